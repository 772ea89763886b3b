//! ringside-harness: replays recordings through the detector and scores it on a corpus.
//!
//! Data flow of one replay ([`analyze_file`]):
//!
//! ```text
//! file ─ source::open_source ─▶ dyn AudioSource (WavSource: hound; DecodedSource: rodio
//!                                               for MP3, FLAC, Ogg Vorbis, M4A, G.711 WAV)
//!        reader thread: read_frames → downmix → resample::Resampler (rubato FFT) → chunks
//!        ══ crossbeam bounded(8) ══▶ consumer: Detector::process → analysis::EventCollector
//!                                                                   → Analysis (seconds)
//! ```
//!
//! [`AudioStream`] owns the reader thread; the bounded channel keeps memory constant for
//! any file length and gives the detector audio the way a live line would (batch work
//! decodes on its own threads instead: [`Delivery`]). Every problem
//! with a file is an [`AudioError`] naming the file, never a panic. A new input format is
//! one more [`AudioSource`] and one arm in [`open_source`].
//!
//! Evaluation ([`evaluate`]): a [`Manifest`] of labelled files is replayed on all cores
//! ([`run_manifest`]), each file scored against its labels ([`FileScore`]), and the scores
//! summarised in an [`EvalReport`] (confusion matrix, recall/precision, decision-time and
//! beep-timing distributions, the worst files), which serialises to JSON, renders as text
//! ([`text::render`]), and is held against issue 2's bar by [`Targets::check`].
//!
//! Watching a replay: [`replay_file`] shows each chunk and its events to a
//! [`ReplayObserver`]. A [`Listener`] plays them to a [`Sink`] (the sound card with the
//! `playback` feature) and reports events as they happen, with the stream paced to real
//! time by a [`Pace`]; a [`plot::PlotTrace`] gathers what [`plot`] draws. [`record`]
//! writes what both sides of a simulated call heard as WAV.
//!
//! Simulated calls: a [`phonebook::PhoneBook`] says what each number does; [`sim::Simulation`]
//! drives one `ringside_call::Call` against that far end, sans-I/O, with the callee's audio
//! streaming through a real detector; [`scenario`] runs scripted calls on a virtual clock
//! and checks their expectations.
//!
//! ```no_run
//! use ringside_dsp::Config;
//! let analysis = ringside_harness::analyze_file("call.wav".as_ref(), &Config::default())?;
//! println!("{} ({}) at {:.2} s", analysis.verdict, analysis.cause_text(), analysis.decided_at);
//! # Ok::<(), ringside_harness::AnalyzeError>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod eval;
#[cfg(feature = "plot")]
pub mod plot;
pub mod replay;
pub mod scenario;
#[cfg(test)]
mod testutil;

pub use eval::{
    BEEP_HIT_MS, BeepStats, ClassStats, Confusion, Distribution, Entry, EvalReport,
    FALSE_BEEP_EARLY_MS, FileFailure, FileOutcome, FileScore, Label, Manifest, ManifestError,
    TargetMiss, Targets, default_threads, evaluate, percentile, run_manifest, table, text,
};
#[cfg(feature = "playback")]
pub use replay::DeviceSink;
pub use replay::{
    Analysis, AnalyzeError, BeepSpan, DtmfSpan, EventCollector, GreetingEndAt, Listener, LiveEvent,
    PlaybackError, ReplayObserver, Silent, Sink, ToneSpan, Window, analyze_file, analyze_samples,
    event_time, replay_file,
};
