//! Command-line parsing and dispatch.
//!
//! Exit status, shared by every subcommand: 0 success; 1 a check did not pass (e.g.
//! `eval --check-targets`); 2 bad input (an unreadable file or manifest, a usage error) or
//! any other failure. Output goes to stdout, diagnostics and progress to stderr.

mod bench;
mod detect;
mod eval;
mod logging;
mod output;
mod play;
mod scenario;
mod serve;
mod synth;
mod tuning;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A telephony simulator with a real answering-machine detector.
#[derive(Debug, Parser)]
#[command(name = "ringside", version, about, propagate_version = true)]
struct Cli {
    /// More output: details per file, and log messages (-v info, -vv debug, -vvv trace;
    /// RUST_LOG overrides the log level).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Detect who answered in recordings: verdict, cause, decision time, beep.
    Detect(detect::Args),
    /// Measure the detector's throughput on recordings: audio seconds per CPU-second on
    /// one thread and on all cores, and peak memory.
    Bench(bench::Args),
    /// Score the detector on a labelled corpus (a manifest.json).
    Eval(eval::Args),
    /// Run scripted call scenarios on a virtual clock and check their expectations.
    Scenario(scenario::Args),
    /// Serve the 2008-08-01 and 2010-04-01 REST APIs over HTTP: create calls, watch them run.
    Serve(serve::Args),
    /// Make labelled calls from far-end recipes: WAV files and a manifest for `eval`.
    Synth(synth::Args),
    /// Listen to a recording while the detector runs at real-time pace, events printed
    /// as they happen (needs a build with `--features playback`).
    Play(play::Args),
}

/// How a command ended, as the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything worked.
    Success,
    /// The command ran but a check it was asked to make failed.
    CheckFailed,
    /// Some input could not be used.
    BadInput,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> Self {
        match s {
            Status::Success => ExitCode::SUCCESS,
            Status::CheckFailed => ExitCode::from(1),
            Status::BadInput => ExitCode::from(2),
        }
    }
}

/// Parses the command line, runs the command and turns its result into an exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose);
    let result = match &cli.command {
        Command::Detect(args) => detect::run(args, cli.verbose),
        Command::Bench(args) => bench::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Scenario(args) => scenario::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Play(args) => play::run(args),
        Command::Synth(args) => synth::run(args),
    };
    match result {
        Ok(status) => status.into(),
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            Status::BadInput.into()
        }
    }
}

/// The error and its causes, joined with ": ", leaving out a cause whose text the message
/// before it already quotes (our library errors name their source in their own message).
fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}
