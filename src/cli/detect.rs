//! `ringside detect FILE...`: who answered, per recording.
//!
//! `--json` prints one object per file per line. Its fields are a fixed contract that
//! other tools read; fields may be added, never renamed or removed:
//!
//! ```text
//! {"file": "<path as given>", "verdict": "human"|"machine"|"fax"|"silence"|"unknown",
//!  "cause": "<short text>", "decided_at": <s>,
//!  "greeting_end": {"kind": "beep"|"silence"|"timeout", "at": <s>} | null,
//!  "beep": {"start": <s>, "end": <s>, "freq_hz": <Hz>} | null,
//!  "speech": [[<start s>, <end s>], ...]}
//! {"file": "<path as given>", "error": "<message>"}      (a file that cannot be read)
//! ```
//!
//! A beep heard after the greeting was declared over by silence (a late beep: some boxes
//! wait seconds before the tone) is reported in `beep`, and `greeting_end` moves to it, so
//! a message left at `greeting_end` lands after the real beep; the extra field
//! `silence_end_before_beep` keeps the silence end it replaced.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use ringside_dsp::{Config, Verdict};
use ringside_harness::plot::{DetectionPlot, PlotTrace, detection};
use ringside_harness::{
    Analysis, AnalyzeError, BeepSpan, DtmfSpan, GreetingEndAt, Silent, Window, analyze_file,
    replay_file,
};
use serde::Serialize;

use super::Status;
use super::output::print;
use super::play;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Recordings to analyse: WAV (8-32 bit integer, 32-bit float, G.711 μ-law/A-law),
    /// MP3, FLAC, Ogg Vorbis, M4A/AAC; any rate and channel count.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// One JSON object per file per line instead of text.
    #[arg(long)]
    json: bool,

    /// Draw a picture of each analysis: waveform, spectrogram, speech/tone/beep/DTMF
    /// spans, verdict and decision time. `.png` or `.svg`; with several files, the
    /// file's name is appended (`out.png` → `out-call1.png`).
    #[arg(long, value_name = "OUT")]
    plot: Option<PathBuf>,

    /// Replay at 1× speed, like a live line, printing events as they happen.
    #[arg(long)]
    realtime: bool,

    /// Play the audio while detecting (implies --realtime; needs a build with
    /// `--features playback` and a sound device).
    #[arg(long)]
    play: bool,

    #[command(flatten)]
    tuning: super::tuning::Tuning,
}

/// The `--json` record of an analysed file (the contract in the module docs).
#[derive(Debug, Serialize)]
struct Record<'a> {
    file: &'a str,
    verdict: Verdict,
    cause: &'static str,
    decided_at: f64,
    greeting_end: Option<GreetingEndAt>,
    beep: Option<BeepSpan>,
    speech: &'a [(f64, f64)],
    // Extras beyond the contract.
    /// A late beep moved `greeting_end` to it: the silence end it replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    silence_end_before_beep: Option<f64>,
    audio_seconds: f64,
    dtmf: &'a [DtmfSpan],
}

/// The `--json` record of a file that could not be read.
#[derive(Debug, Serialize)]
struct ErrorRecord<'a> {
    file: &'a str,
    error: String,
}

/// Analyses each file in turn; a bad file is reported and the others still run.
pub fn run(args: &Args, verbose: u8) -> anyhow::Result<Status> {
    let config = args.tuning.config()?;
    let mut status = Status::Success;
    // Open the sound device once, before the first file, so a missing one fails fast.
    let mut sink = if args.play {
        Some(play::open_sink()?)
    } else {
        None
    };
    for path in &args.files {
        let name = path.display().to_string();
        let analysed = if args.play || args.realtime || args.plot.is_some() {
            let (analysed, plotted) = analyse_live(args, &config, path, sink.take())?;
            if plotted.is_err() {
                status = Status::BadInput;
            }
            analysed
        } else {
            analyze_file(path, &config)
        };
        if args.play && sink.is_none() {
            sink = Some(play::open_sink()?);
        }
        let line = match analysed {
            Ok(analysis) => {
                if args.json {
                    json_line(&name, &analysis)?
                } else {
                    text_block(&name, &analysis, verbose)
                }
            }
            Err(AnalyzeError::Audio(e)) => {
                status = Status::BadInput;
                if args.json {
                    let record = ErrorRecord {
                        file: &name,
                        error: e.kind.to_string(),
                    };
                    serde_json::to_string(&record)? + "\n"
                } else {
                    eprintln!("error: {e}");
                    continue;
                }
            }
            Err(AnalyzeError::Config(e)) => return Err(e).context("detector settings"),
        };
        print(&line)?;
    }
    Ok(status)
}

/// One file with the extras asked for: real-time pace, sound, a picture.
///
/// A picture that cannot be written is reported on stderr (the second value is then an
/// error) but does not cost the verdict, which the caller still prints.
fn analyse_live(
    args: &Args,
    config: &Config,
    path: &Path,
    sink: Option<Box<dyn ringside_harness::Sink>>,
) -> anyhow::Result<(Result<Analysis, AnalyzeError>, Result<(), ()>)> {
    let mut trace = args.plot.as_ref().map(|_| PlotTrace::new());
    let analysed = if args.play || args.realtime {
        let (sink, lead) = match sink {
            Some(s) => (s, play::PLAYBACK_LEAD),
            None => (
                Box::new(Silent) as Box<dyn ringside_harness::Sink>,
                Duration::ZERO,
            ),
        };
        if !args.json {
            print(&format!(
                "{}: live (events as they happen)\n",
                path.display()
            ))?;
        }
        play::listen(
            path,
            config,
            sink,
            Window::default(),
            lead,
            !args.json,
            &mut trace,
        )?
        .map_err(AnalyzeError::from)
    } else {
        replay_file(path, config, None, &mut trace)
    };
    if let (Some(out), Some(trace), Ok(analysis)) = (&args.plot, &trace, &analysed) {
        let out = plot_path(out, path, args.files.len() > 1);
        let title = path.file_name().map_or(path.display().to_string(), |n| {
            n.to_string_lossy().into_owned()
        });
        let plot = DetectionPlot {
            title: &title,
            analysis,
            trace,
            expected: None,
        };
        match detection::write(&out, &plot) {
            Ok(_) => eprintln!("wrote {}", out.display()),
            Err(e) => {
                eprintln!("error: {e}");
                return Ok((analysed, Err(())));
            }
        }
    }
    Ok((analysed, Ok(())))
}

/// Where the picture of `file` goes: `out` itself, or with several files `out-STEM.ext`.
fn plot_path(out: &Path, file: &Path, several: bool) -> PathBuf {
    if !several {
        return out.to_path_buf();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let file_stem = file
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    out.with_file_name(format!("{stem}-{file_stem}.{ext}"))
}

fn json_line(name: &str, a: &Analysis) -> anyhow::Result<String> {
    let record = Record {
        file: name,
        verdict: a.verdict,
        cause: a.cause_text(),
        decided_at: a.decided_at,
        greeting_end: a.greeting_end,
        // Frequencies to 0.1 Hz: the detector's f32 estimate has no more precision, and
        // 1451.2000732421875 helps nobody.
        beep: a.beep.map(|b| BeepSpan {
            freq_hz: (b.freq_hz * 10.0).round() / 10.0,
            ..b
        }),
        speech: &a.speech,
        silence_end_before_beep: a.silence_end_before_beep,
        audio_seconds: a.audio_seconds,
        dtmf: &a.dtmf,
    };
    Ok(serde_json::to_string(&record)? + "\n")
}

fn text_block(name: &str, a: &Analysis, verbose: u8) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{name}: {} ({}), decided at {:.3} s",
        a.verdict,
        a.cause_text(),
        a.decided_at
    );
    match a.greeting_end {
        Some(g) => {
            let kind = match g.kind {
                ringside_dsp::GreetingEndKind::Beep => "beep",
                ringside_dsp::GreetingEndKind::Silence => "silence",
                ringside_dsp::GreetingEndKind::Timeout => "timeout",
            };
            let _ = write!(out, "  greeting end: {kind} at {:.3} s", g.at);
            if let Some(silence) = a.silence_end_before_beep {
                let _ = write!(
                    out,
                    " (a late beep: the line had been quiet since {silence:.3} s)"
                );
            }
            out.push('\n');
        }
        None if a.verdict == Verdict::Machine => {
            let _ = writeln!(out, "  greeting end: not reached");
        }
        None => {}
    }
    if let Some(b) = a.beep {
        let _ = writeln!(
            out,
            "  beep: {:.3} - {:.3} s ({:.0} ms), {:.0} Hz",
            b.start,
            b.end,
            (b.end - b.start) * 1000.0,
            b.freq_hz
        );
    }
    if verbose > 0 {
        if let Some(s) = &a.source {
            let _ = writeln!(
                out,
                "  audio: {:.3} s, {} {}, {} Hz, {} channel{}",
                a.audio_seconds,
                s.format,
                s.encoding,
                s.sample_rate,
                s.channels,
                if s.channels == 1 { "" } else { "s" }
            );
            let _ = writeln!(out, "  timing: {}", s.timing);
        }
        let spans: Vec<String> = a
            .speech
            .iter()
            .map(|(s, e)| format!("{s:.3}-{e:.3}"))
            .collect();
        let speech = if spans.is_empty() {
            "none".to_owned()
        } else {
            spans.join(", ")
        };
        let _ = writeln!(out, "  speech (s): {speech}");
        for t in &a.tones {
            let _ = writeln!(
                out,
                "  tone: {:.3} - {:.3} s, {:.0} Hz",
                t.start, t.end, t.freq_hz
            );
        }
        if !a.dtmf.is_empty() {
            let digits: Vec<String> = a
                .dtmf
                .iter()
                .map(|d| format!("{} at {:.3} s", d.digit, d.start))
                .collect();
            let _ = writeln!(out, "  dtmf: {}", digits.join(", "));
        }
    }
    out
}
