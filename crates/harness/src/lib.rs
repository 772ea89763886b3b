//! ringside-harness: replays recordings through the detector and judges them, and runs
//! scripted calls on a virtual clock.
//!
//! - [`replay`]: one recording. [`analyze_file`] streams a file (decoded by
//!   `ringside_audio::AudioStream`) through a `ringside_dsp::Detector` and gathers its
//!   events into an [`Analysis`] (times in seconds). [`replay_file`] does the same while a
//!   [`ReplayObserver`] watches each chunk and its events: a [`Listener`] prints them live
//!   and plays the audio to a [`Sink`], a [`plot::PlotTrace`] gathers what [`plot`] draws;
//!   observers combine as `&mut T`, `Option<T>` and pairs, so the replay loop knows none.
//! - [`eval`]: a corpus. A [`Manifest`] of labelled files is replayed on all cores
//!   ([`run_manifest`] → [`FileOutcome`]s), each scored against its labels ([`FileScore`]),
//!   and summarised in an [`EvalReport`] (confusion matrix, recall/precision, decision-time
//!   and beep-timing distributions, the worst files) that serialises to JSON, renders as
//!   text ([`text::render`]) and is held against the acceptance targets by
//!   [`Targets::check`].
//! - [`scenario`]: a scripted call. A [`scenario::Scenario`] (request, far end, scripted app
//!   replies, expectations) is run by [`scenario::run`] through a `ringside_sim::Simulation`
//!   with the clock jumping from deadline to deadline, and judged into a
//!   [`scenario::ScenarioReport`].
//! - `plot` (the default-on `plot` feature): pictures of one replay and of an evaluation.
//! - [`fuzzing`]: the bodies of the fuzz targets in `fuzz/`, replayed by `cargo test`.
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
pub mod fuzzing;
#[cfg(feature = "plot")]
pub mod plot;
pub mod replay;
pub mod scenario;

pub use eval::{
    BEEP_HIT_MS, BeepStats, Breakdown, ClassStats, Confusion, Distribution, Entry, EvalReport,
    FALSE_BEEP_EARLY_MS, FileFailure, FileOutcome, FileScore, Label, Manifest, ManifestError,
    TargetMiss, Targets, UnknownField, breakdown, check_field, default_threads, evaluate,
    percentile, run_manifest, table, text,
};
#[cfg(feature = "playback")]
pub use replay::DeviceSink;
pub use replay::{
    Analysis, AnalyzeError, BeepSpan, DtmfSpan, EventCollector, GreetingEndAt, Listener, LiveEvent,
    PlaybackError, ReplayObserver, Silent, Sink, ToneSpan, Window, analyze_file, analyze_samples,
    event_time, replay_file,
};
