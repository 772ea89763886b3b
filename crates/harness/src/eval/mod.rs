//! Judging the detector on a labelled corpus.
//!
//! ```text
//! Manifest (JSON: file, label, beep, speech spans…)
//!   ─ run_manifest (all cores; each worker replays its own file) ─▶ [FileOutcome]
//!   ─ EvalReport::from_outcomes: FileScore per file ─▶ Confusion, ClassStats, Distribution
//!                                                     of decision times and beep errors
//!   ─▶ text::render (the console report)   serde JSON (`eval --json`)
//!   ─▶ Targets::check: the acceptance targets a release must meet ─▶ [TargetMiss]
//! ```
//!
//! The modules form a chain with no way back: `manifest` ← `score` ← `outcome` ← `report`
//! ← `targets` ← `text`, and `run` on top of `manifest`, `outcome` and `report`.

mod breakdown;
mod manifest;
mod outcome;
mod report;
mod run;
mod score;
mod stats;
pub mod table;
mod targets;
pub mod text;

pub use breakdown::{Breakdown, Group, NO_VALUE, UnknownField, breakdown, check_field};
pub use manifest::{Entry, Label, Manifest, ManifestError};
pub use outcome::FileOutcome;
pub use report::{BeepStats, ClassStats, Confusion, EvalReport, FileFailure};
pub use run::{default_threads, evaluate, run_manifest};
pub use score::{BEEP_HIT_MS, FALSE_BEEP_EARLY_MS, FileScore};
pub use stats::{Distribution, percentile};
pub use targets::{TargetMiss, Targets};
