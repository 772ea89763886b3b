//! ringside-dsp: answering-machine detection on streamed telephone audio.
//!
//! Pure DSP: no I/O, no threads, no allocation per frame. Feed mono PCM (as `f32`
//! full-scale ±1.0) at 8 kHz (16 kHz accepted) in chunks of any length to
//! [`Detector::process`]; it returns the [`Event`]s that the new audio completed, each
//! stamped with a sample offset. Call [`Detector::finish`] at the end of the stream.
//!
//! Inside, one 10 ms hop drives everything:
//! `frame` → windowed real FFT (`spectrum`) → noise floor → { `vad`, `tone` tracker →
//! `beep`, `dtmf`, `progress` (the compound call-progress tones of every country in
//! [`tone_plan`]), `fax` (CED/ANSam and V.21) } → `classifier`, which turns speech/silence
//! timing and tones into a [`Decision`] (human / machine / fax / silence / unknown) and,
//! for machines, the [`GreetingEnd`] (and, when a beep comes after an end by silence, a
//! second one of kind `Beep`: see [`Config::late_beep_ms`]).
//!
//! The rules follow from the physics of what they tell apart, not from a corpus: the tone
//! plans' frequencies and cadences, the shapes voicemail beeps come in (steady, clipped,
//! decaying, warbling, chimes, pips, dual), fax as ITU-T T.30/V.25/V.8 define it, and the
//! level of a voice against the room behind it. `tests/world.rs` checks each family with
//! whole categories held out of tuning.
//!
//! ```
//! use ringside_dsp::{Config, Detector, Event};
//! let mut det = Detector::new(Config::default()).unwrap();
//! let silence = vec![0.0f32; 8000];
//! let mut verdict = None;
//! for _ in 0..10 {
//!     for ev in det.process(&silence) {
//!         if let Event::Verdict(d) = ev { verdict = Some(d.verdict); }
//!     }
//! }
//! assert_eq!(verdict, Some(ringside_dsp::Verdict::Silence));
//! ```
#![forbid(unsafe_code)]

mod beep;
mod classifier;
mod config;
mod detector;
mod dtmf;
mod envelope;
mod event;
mod fax;
mod history;
mod noise;
mod probe;
mod progress;
mod shared;
mod sit;
mod spectrum;
#[cfg(feature = "unstable-stages")]
#[doc(hidden)]
pub mod stages;
mod sum;
mod tone;
pub mod tone_plan;
mod vad;

pub use config::{Config, ConfigError, SampleRate};
pub use detector::Detector;
pub use event::{
    Beep, Cause, Decision, DtmfDigit, DtmfTone, Event, GreetingEnd, GreetingEndKind, SampleOffset,
    Verdict,
};
