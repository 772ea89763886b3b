//! ringside-sim: the far end of a simulated call — what answers, how it sounds — and the
//! sans-I/O [`Simulation`] that drives one `ringside_call::Call` against it.
//!
//! Two ways to get a far end:
//! - a recording: a [`PhoneBook`] entry names a file, [`ClipLibrary`] decodes it (through
//!   ringside-audio) into a [`Clip`];
//! - a recipe: a [`Recipe`] (JSON, `docs/recipes.md`) describes a family of far ends — what
//!   the caller hears before pickup (a country's ringback, busy, congestion, SIT and an
//!   announcement), who answers (a voicemail box and its beep, a person, a fax, silence, an
//!   IVR menu) and the line (G.711, band-pass, a GSM-like channel, gain, clipping, DC,
//!   noise, echo, rate, channels). Every parameter may be a value, a range or a list.
//!   [`Recipe::draw`] turns a recipe and a seed into one concrete [`FarEndPlan`];
//!   [`FarEndPlan::render`] turns the plan into samples and labels exact to the sample,
//!   with speech from a [`SpeechLibrary`]. `ringside synth` writes such calls as a labelled
//!   set; a phone-book entry can name a recipe wherever it names a recording.
//!
//! ```text
//! PhoneBook (JSON) ─ lookup(number) ─▶ PhoneEntry ─ ClipLibrary::far_end ─▶ FarEnd
//!                                                   (a recording decoded by ringside-audio,
//!                                                    or a checked recipe and its speech)
//! Simulation::new(Call, FarEnd, SimConfig)   a recipe far end is drawn here, seeded by the
//!                                            call's sid (FarEnd::for_call), and rendered
//!   inputs:  start / handle_timeout(now) / app_responded / app_failed / media_loaded /
//!            media_failed / leg_resolved / leg_failed / call_event
//!   outputs: poll_output() → SimOutput (FetchApp, FetchMedia, DialLeg, Notify, Ended),
//!            poll_timeout() → the next instant the line needs (every 10 ms when connected)
//!   inside:  Line (both directions mixed in 10 ms frames) → Amd (the real detector) and two
//!            LineListeners (DTMF, voice) → the call's events; Tape (a voicemail box)
//! ```
//!
//! The simulation reads no file and no clock: the scenario runner (virtual clock, in
//! ringside-harness) and the server (tokio) are two drivers of the same code, and so apply
//! the same call rules to the same audio. Who answered is never read from the phone book:
//! the callee's audio streams through a real `ringside_dsp::Detector`, and only its
//! verdict reaches the call ([`DetectorReport`] keeps it for people).
//!
//! A `<Dial>`led number's far end is a phone-book entry too: the simulation asks for it
//! ([`SimOutput::DialLeg`]) and rings it as a [`DialLeg`]. Recordings, transcriptions and
//! legs get random sids ([`random_sid`]), never derived from the call's.
//!
//! The audio of both directions is kept only when [`SimConfig::keep_audio`] asks (a
//! `scenario --record` run); a server call keeps none.
//!
//! Why recipes: a detector is only as good as the calls it was tried on, and recordings of
//! real calls are few, unlabelled and private. Synthetic calls with chosen conditions and
//! exact labels let anyone measure detection on the far ends they care about, with their
//! own greetings if they have them.
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod clips;
pub mod phonebook;
pub mod recipe;
pub mod simulation;
pub mod synth;

pub use clips::ClipLibrary;
pub use phonebook::{PhoneBook, PhoneBookError, PhoneEntry};
pub use recipe::{FarEndPlan, FieldError, Param, Recipe, RecipeError, Rng};
pub use simulation::{
    Capture, Clip, DetectorReport, DialLeg, Direction, FRAME, FarEnd, Frame, Line, Recording,
    RingEnd, SidSource, SimConfig, SimEntry, SimOutput, Simulation, Span, Tag, Tape, TapeReport,
    random_sid,
};
pub use synth::{Entry, Label, Labels, RenderError, Rendered, SpeechError, SpeechLibrary};
