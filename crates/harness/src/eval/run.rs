//! Running a labelled corpus through the detector on all cores.
//!
//! Workers (scoped threads) pull the next file index from a shared counter, so a long file
//! never leaves a core idle while others wait in a fixed partition. Each worker decodes its
//! file itself ([`analyze_file`]), so N workers are N busy threads. Results come back in
//! manifest order whatever the scheduling, and the report built from them is the same on
//! every run.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use ringside_dsp::{Config, ConfigError};

use super::manifest::{Entry, Manifest};
use super::outcome::FileOutcome;
use super::report::EvalReport;
use crate::replay::analyze_file;

/// How many workers to use by default: one per core.
pub fn default_threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Analyses every file of `manifest` with `threads` workers and returns the outcomes in
/// manifest order. `on_done` is called (from the workers) as each file finishes, e.g. to
/// advance a progress bar.
///
/// Unreadable files are outcomes, not errors: one bad file does not sink an evaluation.
/// Only an invalid `config` stops it, before any file is read.
pub fn run_manifest(
    manifest: &Manifest,
    config: &Config,
    threads: NonZeroUsize,
    on_done: &(dyn Fn(&FileOutcome) + Sync),
) -> Result<Vec<FileOutcome>, ConfigError> {
    config.validate()?;
    let next = AtomicUsize::new(0);
    let workers = threads.get().min(manifest.entries.len()).max(1);
    let mut outcomes: Vec<FileOutcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = manifest.entries.get(index) else {
                            break;
                        };
                        let outcome = run_one(manifest, index, entry, config);
                        on_done(&outcome);
                        mine.push(outcome);
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(mine) => mine,
                // A worker can only panic through a bug in the detector; re-raise it rather
                // than report a corpus with files silently missing.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    outcomes.sort_by_key(|o| o.index);
    Ok(outcomes)
}

fn run_one(manifest: &Manifest, index: usize, entry: &Entry, config: &Config) -> FileOutcome {
    let path = manifest.path_of(entry);
    let result = analyze_file(&path, config);
    if let Err(e) = &result {
        tracing::warn!("{e}");
    }
    FileOutcome {
        index,
        entry: entry.clone(),
        result,
    }
}

/// Runs the corpus and scores it: [`run_manifest`] then [`EvalReport::from_outcomes`].
pub fn evaluate(
    manifest: &Manifest,
    config: &Config,
    threads: NonZeroUsize,
    on_done: &(dyn Fn(&FileOutcome) + Sync),
) -> Result<EvalReport, ConfigError> {
    let outcomes = run_manifest(manifest, config, threads, on_done)?;
    Ok(EvalReport::from_outcomes(&outcomes))
}
