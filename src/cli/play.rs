//! `ringside play FILE [--from S --to S]`, and the live mode shared with `detect
//! --realtime/--play`: audio paced to real time, events printed the moment the detector
//! emits them.
//!
//! Sound output exists only in builds with the `playback` feature (it links ALSA). Without
//! it, or without a sound device, the command says so and exits with status 2; the
//! listening logic itself ([`ringside_harness::Listener`]) is the same either way.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use ringside_audio::Pace;
use ringside_dsp::Config;
use ringside_harness::{
    Analysis, AnalyzeError, Listener, LiveEvent, ReplayObserver, Sink, Window, replay_file,
};

use super::Status;
use super::output::print;

/// How far ahead of the listener audio is queued: enough that the sound card never runs
/// dry between 100 ms chunks, little enough that events still appear as the audio plays.
pub const PLAYBACK_LEAD: Duration = Duration::from_millis(300);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The recording to listen to (any format `detect` reads).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Start listening here, seconds (the detector still hears the call from its start).
    #[arg(long, value_name = "S", default_value_t = 0.0)]
    from: f64,

    /// Stop here, seconds.
    #[arg(long, value_name = "S")]
    to: Option<f64>,
}

pub fn run(args: &Args) -> anyhow::Result<Status> {
    if !(args.from >= 0.0 && args.to.is_none_or(|to| to > args.from)) {
        anyhow::bail!(
            "--from must be >= 0 and --to after it (got {} and {:?})",
            args.from,
            args.to
        );
    }
    let sink = open_sink()?;
    let window = Window {
        from: args.from,
        to: args.to,
    };
    let name = args.file.display().to_string();
    print(&format!("{name}: playing (events as they happen)\n"))?;
    match listen(
        &args.file,
        &Config::default(),
        sink,
        window,
        PLAYBACK_LEAD,
        true,
        &mut (),
    )? {
        Ok(analysis) => {
            print(&summary_line(&name, &analysis))?;
            Ok(Status::Success)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(Status::BadInput)
        }
    }
}

/// The default sound output, or why there is none.
pub fn open_sink() -> anyhow::Result<Box<dyn Sink>> {
    #[cfg(feature = "playback")]
    let sink = ringside_harness::DeviceSink::open_default().map(|s| Box::new(s) as Box<dyn Sink>);
    #[cfg(not(feature = "playback"))]
    let sink: Result<Box<dyn Sink>, ringside_harness::PlaybackError> =
        Err(ringside_harness::PlaybackError::NotBuilt);
    sink.context("cannot play audio")
}

/// Replays `path` at real-time pace (audio queued up to `lead` ahead) into `sink`, printing each event as it happens (to
/// stdout, or to stderr when stdout carries JSON). `extra` watches the same replay (e.g.
/// a plot trace).
///
/// The outer error is a failed sound device or detector settings; the inner one a file
/// that could not be read (reported per file by the caller).
pub fn listen(
    path: &Path,
    config: &Config,
    sink: Box<dyn Sink>,
    window: Window,
    lead: Duration,
    events_to_stdout: bool,
    extra: &mut dyn ReplayObserver,
) -> anyhow::Result<Result<Analysis, ringside_audio::AudioError>> {
    let rate = config.sample_rate.hz();
    let pace = Pace {
        lead,
        from_sample: (window.from * f64::from(rate)).round() as u64,
    };
    let print_event = |e: LiveEvent| {
        let line = format!("{e}\n");
        // A closed stdout must not stop the sound; the summary will report it.
        let _ = if events_to_stdout {
            std::io::stdout()
                .lock()
                .write_all(line.as_bytes())
                .and_then(|()| std::io::stdout().flush())
        } else {
            std::io::stderr().lock().write_all(line.as_bytes())
        };
    };
    let mut listener = Listener::new(sink, window, print_event);
    let result = replay_file(path, config, Some(pace), &mut (&mut listener, extra));
    let (_, played) = listener.finish();
    match result {
        Ok(analysis) => {
            played.context("playback")?;
            Ok(Ok(analysis))
        }
        Err(AnalyzeError::Audio(e)) => Ok(Err(e)),
        Err(AnalyzeError::Config(e)) => Err(e).context("detector settings"),
    }
}

/// The last line of a live run.
pub fn summary_line(name: &str, a: &Analysis) -> String {
    format!(
        "{name}: {} ({}), decided at {:.3} s\n",
        a.verdict,
        a.cause_text(),
        a.decided_at
    )
}
