//! ringside-audio: every way audio enters or leaves ringside, as 8 kHz (or any rate) mono
//! `f32` frames in and 16-bit WAV out.
//!
//! ```text
//! file, pipe, FIFO, `-` ─ Input (opened once; cursors for every reader of it)
//!      ─ open_source / open_input (sniffs the first bytes) ─▶ Box<dyn AudioSource>
//!          WavSource: hound, linear PCM and float WAV
//!          DecodedSource: rodio/symphonia, MP3, FLAC, Ogg Vorbis, M4A/AAC, G.711 WAV
//!      ─ AudioStream (reader thread, or the caller's: Delivery)
//!          read_frames → downmix → Resampler (rubato FFT) → fixed-length chunks
//!      ══ crossbeam bounded(CHANNEL_CAPACITY), paced by a Pacer when asked ══▶ consumer
//!
//! both directions of a call ─ CallRecorder / write_call ─▶ STEM.wav (or .callee/.app)
//! bytes (a fetched `<Play>` body) ─ decode_bytes ─▶ Input::from_bytes, the same path
//! samples ─ encode_wav ─▶ WAV bytes (a stored recording)
//! ```
//!
//! [`AudioSource`] is the one decoder trait, declared in [`source`] with its two
//! implementations below it; a new format is one more implementation and one arm in
//! [`open_source`]. Every problem with a file is an [`AudioError`] naming the file and a
//! typed [`AudioErrorKind`], never a panic: the files come from outside.
//!
//! Times stay the recording's own: FLAC, Vorbis, PCM and G.711 are sample-exact, an MP3's
//! LAME/Xing delay and an M4A's edit list are honoured, and a file that declares no encoder
//! delay says so in [`SourceInfo::timing`] ([`Timing`]).
//!
//! ```no_run
//! use ringside_audio::{AudioStream, StreamOptions};
//! let stream = AudioStream::open("greeting.mp3".as_ref(), StreamOptions::for_rate(8000))?;
//! let mut samples = Vec::new();
//! stream.for_each_chunk(|chunk| samples.extend_from_slice(chunk))?;
//! # Ok::<(), ringside_audio::AudioError>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod downmix;
mod error;
mod in_memory;
pub mod input;
mod pace;
mod panic_guard;
mod rate;
pub mod recorder;
mod resample;
pub mod source;
mod stream;
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod testutil;

pub use downmix::downmix;
pub use error::{AudioError, AudioErrorKind};
pub use in_memory::{decode_bytes, encode_wav};
pub use input::{Input, InputError, read_input, read_text};
pub use pace::{Pace, Pacer};
pub use rate::{LINE_RATE, MAX_CHANNELS, MAX_RATE, MIN_RATE};
pub use recorder::{CallRecorder, Layout, RecordError, RecordedCall, file_stem, write_call};
pub use resample::{Resampler, resample};
pub use source::{
    AudioSource, DecodedSource, Encoding, SourceInfo, Timing, WavSource, audio_format_of,
    open_input, open_source,
};
pub use stream::{AudioStream, CHANNEL_CAPACITY, Delivery, StreamOptions, StreamSummary};
