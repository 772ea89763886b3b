//! `ringside bench MANIFEST|FILE...`: how fast the detector runs on your recordings.
//!
//! Every file is decoded (and resampled to the detector's rate) into memory first, so the
//! timed part is the detector alone: one fresh `Detector` per file, fed 100 ms chunks, then
//! `finish`. The whole set runs once on one thread and once on N threads (default: one per
//! core), `--rounds` times each, keeping each setting's fastest round (the one least
//! disturbed by other work on the machine).
//!
//! Reported per setting: wall time, CPU time of the workers (Linux: each thread's own run
//! time from `CLOCK_THREAD_CPUTIME_ID`; elsewhere wall time × threads), seconds of audio
//! per CPU-second, times real time, and the speed-up from 1 to N threads; then the process's
//! peak resident memory (`VmHWM` in `/proc/self/status`; "unavailable" off Linux), which
//! includes the decoded audio held in memory. `--json` prints the same as one object.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ringside_audio::{AudioStream, StreamOptions};
use ringside_dsp::{Config, Detector};
use ringside_harness::Manifest;
use serde::Serialize;

use super::Status;
use super::output::print;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A corpus manifest (`.json`, as for `eval`) or audio files, in any mix; every file
    /// must be readable.
    #[arg(required = true, value_name = "MANIFEST|FILE")]
    inputs: Vec<PathBuf>,

    /// Threads for the parallel run (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,

    /// Runs of each setting; the fastest is reported.
    #[arg(long, value_name = "R", default_value_t = NonZeroUsize::new(3).unwrap_or(NonZeroUsize::MIN))]
    rounds: NonZeroUsize,

    /// Print the results as one JSON object.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    tuning: super::tuning::Tuning,
}

/// Detector input per `process` call: 100 ms, as the harness and media servers deliver.
const CHUNK_MS: usize = 100;

/// One run of the whole set with some number of threads.
#[derive(Debug, Clone, Copy, Serialize)]
struct Run {
    threads: usize,
    wall_seconds: f64,
    cpu_seconds: f64,
    /// Whether `cpu_seconds` was measured per thread (else it is wall × threads).
    cpu_measured: bool,
    audio_seconds_per_cpu_second: f64,
    times_real_time: f64,
    /// Events the detector emitted over the set (the same for every run).
    events: u64,
}

/// The `--json` output, also what the text is printed from.
#[derive(Debug, Serialize)]
struct Report {
    files: usize,
    audio_seconds: f64,
    decode_seconds: f64,
    decoded_bytes: usize,
    sample_rate: u32,
    rounds: usize,
    single: Run,
    parallel: Option<Run>,
    /// Wall-time speed-up from one thread to `parallel.threads`.
    speedup: Option<f64>,
    /// Peak resident memory in bytes; `None` where the OS does not say (off Linux).
    peak_memory_bytes: Option<u64>,
}

pub fn run(args: &Args) -> anyhow::Result<Status> {
    let config = args.tuning.config()?;
    let rate = config.sample_rate.hz();
    let files = expand(&args.inputs)?;

    let started = Instant::now();
    let audio = files
        .iter()
        .map(|path| decode(path, rate))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let decode_seconds = started.elapsed().as_secs_f64();
    let samples: usize = audio.iter().map(Vec::len).sum();
    let audio_seconds = samples as f64 / f64::from(rate);

    let threads = args
        .threads
        .unwrap_or_else(ringside_harness::default_threads)
        .get();
    let rounds = args.rounds.get();
    let single = best_of(rounds, || run_all(&audio, &config, 1, audio_seconds))?;
    let parallel = if threads > 1 {
        Some(best_of(rounds, || {
            run_all(&audio, &config, threads, audio_seconds)
        })?)
    } else {
        None
    };
    if let Some(p) = &parallel {
        // Same input, same detector: a difference would be a bug, not noise.
        anyhow::ensure!(
            p.events == single.events,
            "the parallel run emitted {} events, the single-threaded one {}",
            p.events,
            single.events
        );
    }
    let report = Report {
        files: files.len(),
        audio_seconds,
        decode_seconds,
        decoded_bytes: samples * std::mem::size_of::<f32>(),
        sample_rate: rate,
        rounds,
        single,
        speedup: parallel.map(|p| single.wall_seconds / p.wall_seconds),
        parallel,
        peak_memory_bytes: peak_memory(),
    };
    if args.json {
        print(&(serde_json::to_string(&report)? + "\n"))?;
    } else {
        print(&render(&report))?;
    }
    Ok(Status::Success)
}

/// The files named by `inputs`: a `.json` is a manifest, anything else an audio file.
fn expand(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            let manifest = Manifest::load(input)?;
            files.extend(manifest.entries.iter().map(|e| manifest.path_of(e)));
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// The whole file, mono at `rate`, in memory.
fn decode(path: &Path, rate: u32) -> anyhow::Result<Vec<f32>> {
    let stream = AudioStream::open(path, StreamOptions::for_rate(rate))?;
    let mut samples = Vec::with_capacity(
        stream
            .info()
            .frames
            .filter(|_| !stream.is_resampled())
            .map_or(0, |f| f as usize),
    );
    stream
        .for_each_chunk(|chunk| samples.extend_from_slice(chunk))
        .with_context(|| format!("decoding {}", path.display()))?;
    Ok(samples)
}

/// Runs `f` `rounds` times; the run with the least wall time.
fn best_of(rounds: usize, mut f: impl FnMut() -> anyhow::Result<Run>) -> anyhow::Result<Run> {
    let mut best: Option<Run> = None;
    for _ in 0..rounds {
        let run = f()?;
        if best.is_none_or(|b| run.wall_seconds < b.wall_seconds) {
            best = Some(run);
        }
    }
    best.context("no rounds")
}

/// Every file through a fresh detector, on `threads` workers pulling the next file from a
/// shared counter (as `eval` does).
fn run_all(
    audio: &[Vec<f32>],
    config: &Config,
    threads: usize,
    audio_seconds: f64,
) -> anyhow::Result<Run> {
    let next = AtomicUsize::new(0);
    let workers = threads.min(audio.len()).max(1);
    let started = Instant::now();
    let results: Vec<anyhow::Result<(u64, Option<Duration>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<(u64, Option<Duration>)> {
                    let cpu_start = thread_cpu_time();
                    let mut events = 0u64;
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(samples) = audio.get(index) else {
                            break;
                        };
                        events += detect(samples, config)?;
                    }
                    let cpu = cpu_start.zip(thread_cpu_time()).map(|(a, b)| b - a);
                    Ok((events, cpu))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let wall = started.elapsed().as_secs_f64();
    let mut events = 0;
    let mut cpu = Some(Duration::ZERO);
    for r in results {
        let (e, c) = r?;
        events += e;
        cpu = cpu.zip(c).map(|(a, b)| a + b);
    }
    let cpu_measured = cpu.is_some();
    let cpu_seconds = cpu.map_or(wall * workers as f64, |c| c.as_secs_f64());
    Ok(Run {
        threads: workers,
        wall_seconds: wall,
        cpu_seconds,
        cpu_measured,
        audio_seconds_per_cpu_second: audio_seconds / cpu_seconds.max(1e-9),
        times_real_time: audio_seconds / wall.max(1e-9),
        events,
    })
}

/// One call's worth of detection; the number of events emitted.
fn detect(samples: &[f32], config: &Config) -> anyhow::Result<u64> {
    let mut detector = Detector::new(config.clone()).context("detector settings")?;
    let chunk = (detector.sample_rate() as usize * CHUNK_MS / 1000).max(1);
    let mut events = 0;
    for c in samples.chunks(chunk) {
        events += detector.process(c).len() as u64;
    }
    Ok(events + detector.finish().len() as u64)
}

/// CPU time the calling thread has run (Linux: `CLOCK_THREAD_CPUTIME_ID`, exact to the
/// nanosecond; `/proc/thread-self/schedstat` only advances at scheduler events, which a run
/// of a few milliseconds may not see).
#[cfg(target_os = "linux")]
fn thread_cpu_time() -> Option<Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let secs = u64::try_from(t.tv_sec).ok()?;
    let nanos = u32::try_from(t.tv_nsec).ok()?;
    Some(Duration::new(secs, nanos))
}

/// Elsewhere the CPU time is taken to be the wall time.
#[cfg(not(target_os = "linux"))]
fn thread_cpu_time() -> Option<Duration> {
    None
}

/// Peak resident set size (`VmHWM`), in bytes, where the OS reports it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn mib(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}

fn render(r: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ringside bench: {} files, {:.1} s of audio at {} Hz (decoded in {:.2} s, {:.1} MiB \
         in memory); best of {} rounds",
        r.files,
        r.audio_seconds,
        r.sample_rate,
        r.decode_seconds,
        mib(r.decoded_bytes as f64),
        r.rounds
    );
    let _ = writeln!(
        out,
        "{:>7}  {:>9}  {:>9}  {:>15}  {:>11}  {:>8}",
        "threads", "wall (s)", "CPU (s)", "audio s / CPU s", "× real time", "speed-up"
    );
    let row = |out: &mut String, run: &Run, speedup: f64| {
        let _ = writeln!(
            out,
            "{:>7}  {:>9.3}  {:>9.3}{} {:>15.0}  {:>11.0}  {:>7.2}×",
            run.threads,
            run.wall_seconds,
            run.cpu_seconds,
            if run.cpu_measured { " " } else { "*" },
            run.audio_seconds_per_cpu_second,
            run.times_real_time,
            speedup
        );
    };
    row(&mut out, &r.single, 1.0);
    if let (Some(p), Some(s)) = (&r.parallel, r.speedup) {
        row(&mut out, p, s);
    }
    if !r.single.cpu_measured {
        let _ = writeln!(out, "* CPU time not available here: wall time × threads");
    }
    let _ = writeln!(
        out,
        "per 10 ms of audio: {:.2} µs of CPU (one thread)",
        r.single.cpu_seconds / (r.audio_seconds * 100.0) * 1e6
    );
    match r.peak_memory_bytes {
        Some(b) => {
            let _ = writeln!(
                out,
                "peak memory (VmHWM): {:.1} MiB, including the decoded audio",
                mib(b as f64)
            );
        }
        None => {
            let _ = writeln!(out, "peak memory: unavailable (no /proc/self/status)");
        }
    }
    out
}
