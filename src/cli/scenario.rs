//! `ringside scenario FILE|DIR...`: run scripted calls on a virtual clock and check them.
//!
//! Text output: per scenario, its timeline (every state change, request and action with
//! its time), the voicemail tape if any, each expectation as PASS/FAIL, then a summary
//! line with the count and the wall time. `--json` prints one report object per scenario
//! per line, then a summary object `{"summary": {...}}`.
//!
//! Exit status: 0 all expectations held; 1 some did not; 2 a scenario file (or its phone
//! book or audio) could not be used — named in the message; the others still run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use ringside_harness::scenario::{self, Scenario, ScenarioReport};
use ringside_sim::ClipLibrary;
use serde::Serialize;

use super::Status;
use super::output::print;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files, or directories of them (every `*.json` inside, by name).
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,

    /// One JSON report per scenario per line, then a summary line.
    #[arg(long)]
    json: bool,

    /// Write what each call sounded like to DIR, one stereo WAV per scenario (left: the
    /// callee's side, right: what the app played, DTMF included), to listen to or plot.
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
}

/// The `--json` summary line.
#[derive(Debug, Serialize)]
struct Summary {
    scenarios: usize,
    passed: usize,
    failed: usize,
    errors: usize,
    wall_ms: f64,
}

#[derive(Debug, Serialize)]
struct SummaryLine {
    summary: Summary,
}

#[derive(Debug, Serialize)]
struct ErrorLine<'a> {
    file: &'a Path,
    error: String,
}

pub fn run(args: &Args) -> anyhow::Result<Status> {
    let wall = Instant::now();
    let mut files = Vec::new();
    let mut errors = 0usize;
    for path in &args.paths {
        if path.is_dir() {
            match scenario::files_in(path) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    errors += 1;
                    report_error(args.json, path, &format!("cannot list the directory: {e}"))?;
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    if let Some(dir) = &args.record {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the recording directory {}", dir.display()))?;
    }
    let mut clips = ClipLibrary::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let result = Scenario::load(file)
            .and_then(|s| scenario::run_recording(&s, &mut clips, args.record.as_deref()));
        match result {
            Ok(report) => {
                if report.passed {
                    passed += 1;
                } else {
                    failed += 1;
                }
                print_report(args.json, &report)?;
            }
            Err(e) => {
                errors += 1;
                report_error(args.json, file, &e.to_string())?;
            }
        }
    }
    let summary = Summary {
        scenarios: files.len(),
        passed,
        failed,
        errors,
        wall_ms: wall.elapsed().as_secs_f64() * 1000.0,
    };
    if args.json {
        print(&format!(
            "{}\n",
            serde_json::to_string(&SummaryLine { summary })?
        ))?;
    } else {
        print(&format!(
            "{} scenarios: {} passed, {} failed, {} unusable, in {:.0} ms wall\n",
            summary.scenarios, summary.passed, summary.failed, summary.errors, summary.wall_ms
        ))?;
    }
    Ok(if errors > 0 {
        Status::BadInput
    } else if failed > 0 {
        Status::CheckFailed
    } else {
        Status::Success
    })
}

fn print_report(json: bool, report: &ScenarioReport) -> anyhow::Result<()> {
    if json {
        print(&format!("{}\n", serde_json::to_string(report)?))?;
    } else {
        print(&format!("{}\n", report.render()))?;
    }
    Ok(())
}

fn report_error(json: bool, file: &Path, error: &str) -> anyhow::Result<()> {
    if json {
        let line = ErrorLine {
            file,
            error: error.to_owned(),
        };
        print(&format!("{}\n", serde_json::to_string(&line)?))?;
    }
    eprintln!("error: {error}");
    Ok(())
}
