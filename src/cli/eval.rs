//! `ringside eval MANIFEST`: score the detector on a labelled corpus.
//!
//! Prints the report as text, or with `--json` as one object (the report, the detector
//! settings used, and the targets missed). Exit status: 0, or 2 when the manifest or any
//! file in it cannot be read, or 1 with `--check-targets` when an acceptance target is
//! missed.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ringside_dsp::Config;
use ringside_harness::{Breakdown, EvalReport, FileOutcome, Manifest, TargetMiss, Targets, text};
use serde::Serialize;

use super::Status;
use super::output::print;

mod plots;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus manifest (a JSON array of labelled files, as in corpus/dev/manifest.json);
    /// file names in it are relative to its directory.
    #[arg(value_name = "MANIFEST")]
    manifest: PathBuf,

    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,

    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,

    /// Exit with status 1 if any acceptance target is missed.
    #[arg(long)]
    check_targets: bool,

    /// Break every figure down by a manifest field (repeatable): `conditions` (each
    /// `;`-separated token), `source` (the kinds of speech and beep it names), `label`, or
    /// any other field such as `recipe` or `tags` (each element of a list) that `ringside
    /// synth` writes.
    #[arg(long, value_name = "FIELD")]
    by: Vec<String>,

    /// Draw pictures into DIR: one per misclassified file and per missed or false beep
    /// (`FILE.png`), and `summary.png` (confusion matrix, decision-time and beep-error
    /// distributions).
    #[arg(long, value_name = "DIR")]
    plots: Option<PathBuf>,

    #[command(flatten)]
    tuning: super::tuning::Tuning,
}

/// The `--json` output.
#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    manifest: String,
    config: &'a Config,
    #[serde(flatten)]
    report: &'a EvalReport,
    targets: &'a Targets,
    targets_missed: &'a [TargetMiss],
    /// One per `--by FIELD`, in the order given.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    by: &'a [Breakdown],
}

pub fn run(args: &Args) -> anyhow::Result<Status> {
    let manifest = Manifest::load(&args.manifest)?;
    for field in &args.by {
        ringside_harness::check_field(&manifest, field)
            .with_context(|| format!("--by: {}", args.manifest.display()))?;
    }
    let config = args.tuning.config()?;
    let threads = args
        .threads
        .unwrap_or_else(ringside_harness::default_threads);
    let progress = progress_bar(manifest.entries.len());
    let on_done = |o: &FileOutcome| {
        progress.set_message(o.entry.file.clone());
        progress.inc(1);
    };
    let report = ringside_harness::evaluate(&manifest, &config, threads, &on_done)
        .context("detector settings")?;
    progress.finish_and_clear();

    if let Some(dir) = &args.plots {
        let n = plots::write_all(dir, &manifest, &report, &config)?;
        eprintln!("wrote {n} pictures to {}", dir.display());
    }

    let breakdowns = args
        .by
        .iter()
        .map(|field| ringside_harness::breakdown(&manifest, &report, field))
        .collect::<Result<Vec<_>, _>>()?;

    let targets = Targets::default();
    let misses = targets.check(&report);
    if args.json {
        let json = JsonReport {
            manifest: args.manifest.display().to_string(),
            config: &config,
            report: &report,
            targets: &targets,
            targets_missed: &misses,
            by: &breakdowns,
        };
        print(&(serde_json::to_string(&json)? + "\n"))?;
    } else {
        let header = format!("ringside eval {}\n", args.manifest.display());
        let mut out = header + &text::render(&report, Some(&misses));
        for by in &breakdowns {
            out.push('\n');
            out.push_str(&text::render_breakdown(by));
        }
        print(&out)?;
    }

    Ok(if !report.failures.is_empty() {
        Status::BadInput
    } else if args.check_targets && !misses.is_empty() {
        Status::CheckFailed
    } else {
        Status::Success
    })
}

/// A progress bar on stderr; indicatif draws nothing when stderr is not a terminal, so
/// logs and CI output stay clean.
fn progress_bar(files: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40.cyan/blue} {pos}/{len} files  {elapsed_precise} (eta {eta})  {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar
}
