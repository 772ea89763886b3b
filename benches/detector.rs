//! The detector's cost: whole, stage by stage, and next to its peers on the same audio.
//!
//! Every benchmark reports its throughput in 10 ms frames of 8 kHz audio, so criterion's
//! `thrpt` is frames per second and "real-time streams per core" is that ÷ 100; the table
//! printed at the end does the arithmetic. Groups:
//!
//! - `fixture`: fixtures/machine_beep.wav (8.4 s: a greeting, then a beep) through the full
//!   detector, webrtc-vad at 30 ms frames (its cheapest), and the Goertzel-bank baseline;
//! - `worst_case`: the same three on a synthetic signal that keeps every receiver busy
//!   (DTMF pair + ringback pair + a speech-like voice + noise);
//! - `stages`: each stage of the detector alone on the fixture's frames.
//!
//! Buffers, spectra and detectors are built outside the timed closures; inputs go
//! through `black_box`. Run: `cargo bench --bench detector -- --warm-up-time 1
//! --measurement-time 3`.
#![allow(clippy::unwrap_used)]

mod support;

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{BatchSize, Criterion, Throughput};
use ringside_dsp::stages::{
    ClassifierStage, DtmfStage, FrontEnd, GateStage, ProgressStage, ToneStage, VadStage,
};
use ringside_dsp::{Config, Detector, Event};
use support::goertzel::GoertzelBank;
use support::summary::{self, Unit};
use support::{HOP, RATE};

/// Chunk fed to `Detector::process`: 100 ms, what the harness and a media server deliver.
const CHUNK: usize = 800;
/// webrtc-vad's cheapest frame: 30 ms.
const WEBRTC_FRAME: usize = 240;

fn config() -> Config {
    Config::default()
}

/// The full detector over `audio`, a fresh detector per iteration (one call).
#[inline(never)]
fn run_detector(det: &mut Detector, audio: &[f32]) -> usize {
    let mut events = 0;
    for chunk in audio.chunks(CHUNK) {
        events += det.process(black_box(chunk)).len();
    }
    events + det.finish().len()
}

/// webrtc-vad over the whole 30 ms frames of `pcm`.
#[inline(never)]
fn run_webrtc(vad: &mut webrtc_vad::Vad, pcm: &[i16]) -> usize {
    let mut voiced = 0;
    // `chunks_exact` never yields an empty slice (webrtc-vad panics on one).
    for frame in pcm.chunks_exact(WEBRTC_FRAME) {
        voiced += usize::from(vad.is_voice_segment(black_box(frame)).unwrap_or(false));
    }
    voiced
}

fn webrtc() -> webrtc_vad::Vad {
    // The mode only moves thresholds; every mode costs the same.
    webrtc_vad::Vad::new_with_rate_and_mode(
        webrtc_vad::SampleRate::Rate8kHz,
        webrtc_vad::VadMode::Quality,
    )
}

#[inline(never)]
fn run_goertzel(bank: &mut GoertzelBank, audio: &[f32]) -> usize {
    audio
        .chunks(CHUNK)
        .filter(|c| bank.process(black_box(c)).is_some())
        .count()
}

/// Full detector and peers on the same audio, in one group so the ratios come from one run.
fn peers(c: &mut Criterion, group: &str, audio: &[f32], pcm: &[i16]) {
    let frames = (audio.len() / HOP) as u64;
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(frames));
    g.bench_function("ringside detector", |b| {
        b.iter_batched_ref(
            || Detector::new(config()).unwrap(),
            |det| run_detector(det, black_box(audio)),
            BatchSize::SmallInput,
        )
    });
    // webrtc-vad only sees whole 30 ms frames: count those.
    let webrtc_frames = (pcm.len() / WEBRTC_FRAME * WEBRTC_FRAME / HOP) as u64;
    g.throughput(Throughput::Elements(webrtc_frames));
    g.bench_function("webrtc-vad 30 ms", |b| {
        b.iter_batched_ref(
            webrtc,
            |vad| run_webrtc(vad, black_box(pcm)),
            BatchSize::SmallInput,
        )
    });
    g.throughput(Throughput::Elements(frames));
    g.bench_function("goertzel bank", |b| {
        b.iter_batched_ref(
            || GoertzelBank::new(RATE),
            |bank| run_goertzel(bank, black_box(audio)),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// What the stages are fed: the fixture's analysis windows and, computed once by the
/// stages themselves in the detector's order, each frame's spectrum, noise estimate,
/// amplitudes and VAD changes.
struct Frames {
    /// Start of each frame's analysis window in the audio.
    window_starts: Vec<usize>,
    window_len: usize,
    spectra: Vec<Vec<f32>>,
    noise: Vec<Vec<f32>>,
    amplitudes: Vec<[f32; 2]>,
    centers: Vec<u64>,
    speech: Vec<Option<Event>>,
}

fn frames(audio: &[f32]) -> Frames {
    let cfg = config();
    let mut front = FrontEnd::new(&cfg).unwrap();
    let mut vad = VadStage::new(&cfg).unwrap();
    let n = front.window_len();
    let mut f = Frames {
        window_starts: Vec::new(),
        window_len: n,
        spectra: Vec::new(),
        noise: Vec::new(),
        amplitudes: Vec::new(),
        centers: Vec::new(),
        speech: Vec::new(),
    };
    let mut end = n;
    while end <= audio.len() {
        let start = end - n;
        let center = (end - n / 2) as u64;
        let rms = |s: &[f32]| (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt();
        let c = center as usize;
        f.amplitudes
            .push([rms(&audio[c - HOP / 2..c]), rms(&audio[c..c + HOP / 2])]);
        f.noise.push(vad.noise());
        let power = front.analyze(&audio[start..end]).to_vec();
        f.speech.push(vad.update(&power, center, false));
        f.window_starts.push(start);
        f.spectra.push(power);
        f.centers.push(center);
        end += HOP;
    }
    f
}

fn stages(c: &mut Criterion, audio: &[f32]) {
    let cfg = config();
    let f = frames(audio);
    let count = f.spectra.len();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Elements(count as u64));

    let mut front = FrontEnd::new(&cfg).unwrap();
    g.bench_function("front end (window + FFT + power)", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for &s in &f.window_starts {
                acc += front.analyze(black_box(&audio[s..s + f.window_len]))[10];
            }
            acc
        })
    });

    g.bench_function("vad", |b| {
        b.iter_batched_ref(
            || VadStage::new(&cfg).unwrap(),
            |vad| {
                let mut changes = 0;
                for (p, &center) in f.spectra.iter().zip(&f.centers) {
                    changes += usize::from(vad.update(black_box(p), center, false).is_some());
                }
                changes
            },
            BatchSize::SmallInput,
        )
    });

    g.bench_function("tone analysis + tracker", |b| {
        b.iter_batched_ref(
            || ToneStage::new(&cfg).unwrap(),
            |tone| {
                let mut tonal = 0;
                for i in 0..count {
                    let (is_tonal, _) = tone.update(
                        black_box(&f.spectra[i]),
                        &f.noise[i],
                        f.centers[i],
                        f.amplitudes[i],
                    );
                    tonal += usize::from(is_tonal);
                }
                tonal
            },
            BatchSize::SmallInput,
        )
    });

    let gates = GateStage::new(&cfg).unwrap();
    g.bench_function("receiver gates", |b| {
        b.iter(|| {
            let mut open = 0;
            for p in &f.spectra {
                let (d, pr) = gates.open(black_box(p));
                open += usize::from(d) + usize::from(pr);
            }
            open
        })
    });

    // The receivers with their gates forced open: the DFT probes run on every frame
    // (their whole cost; the detector pays it only on frames the gates let through).
    g.bench_function("dtmf receiver (ungated)", |b| {
        b.iter_batched_ref(
            || DtmfStage::new(&cfg).unwrap(),
            |dtmf| {
                let mut digits = 0;
                for hop in audio.chunks_exact(HOP) {
                    digits += usize::from(dtmf.update(black_box(hop), true).is_some());
                }
                digits
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("call-progress receiver (ungated)", |b| {
        b.iter_batched_ref(
            || ProgressStage::new(&cfg).unwrap(),
            |progress| {
                let mut ends = 0;
                for hop in audio.chunks_exact(HOP) {
                    ends += usize::from(progress.update(black_box(hop), true).is_some());
                }
                ends
            },
            BatchSize::SmallInput,
        )
    });

    g.bench_function("classifier", |b| {
        b.iter_batched_ref(
            || ClassifierStage::new(&cfg).unwrap(),
            |cls| {
                let mut outcomes = 0;
                let mut voiced_until = 0;
                let mut speaking = false;
                for (i, change) in f.speech.iter().enumerate() {
                    match change {
                        Some(Event::SpeechStart { at }) => {
                            cls.speech_start(*at);
                            speaking = true;
                        }
                        Some(Event::SpeechEnd { at }) => {
                            cls.speech_end(*at);
                            speaking = false;
                        }
                        _ => {}
                    }
                    let center = f.centers[i];
                    if speaking {
                        voiced_until = center + HOP as u64 / 2;
                    }
                    let now = center + f.window_len as u64 / 2;
                    outcomes += usize::from(cls.tick(black_box(now), voiced_until, speaking));
                }
                outcomes
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// Says how much of the worst case keeps the receivers busy, so the claim is checked on
/// every run rather than assumed.
fn describe_worst_case(audio: &[f32]) {
    let cfg = config();
    let f = frames(audio);
    let gates = GateStage::new(&cfg).unwrap();
    let (mut dtmf, mut progress) = (0, 0);
    for p in &f.spectra {
        let (d, pr) = gates.open(p);
        dtmf += usize::from(d);
        progress += usize::from(pr);
    }
    let n = f.spectra.len().max(1) as f32;
    let mut det = Detector::new(cfg).unwrap();
    let events = run_detector(&mut det, audio);
    eprintln!(
        "worst case: {:.1} s, DTMF gate open on {:.0} % of frames, call-progress gate on \
         {:.0} %, {events} detector events",
        audio.len() as f32 / RATE as f32,
        100.0 * dtmf as f32 / n,
        100.0 * progress as f32 / n,
    );
}

/// `RINGSIDE_BENCH_ONCE=ringside|webrtc|goertzel`: run that workload once over the fixture
/// and the worst case, without criterion, for instruction counts that a noisy machine
/// cannot disturb:
///
/// ```text
/// RINGSIDE_BENCH_ONCE=ringside valgrind --tool=callgrind --toggle-collect='*run_detector*' \
///     target/release/deps/detector-<hash>
/// ```
///
/// (`*run_webrtc*`, `*run_goertzel*` for the peers). `RINGSIDE_BENCH_AUDIO=fixture` or
/// `worst_case` runs only that audio. Prints the 10 ms frames processed.
fn once(which: &str) {
    let (pcm, audio) = support::fixture("machine_beep.wav");
    let worst = support::worst_case(10.0);
    let worst_pcm = support::to_i16(&worst);
    let only = std::env::var("RINGSIDE_BENCH_AUDIO").unwrap_or_default();
    let mut frames = 0;
    for (name, audio, pcm) in [
        ("fixture", &audio, &pcm),
        ("worst_case", &worst, &worst_pcm),
    ] {
        if !only.is_empty() && only != name {
            continue;
        }
        match which {
            "ringside" => {
                let mut det = Detector::new(config()).unwrap();
                black_box(run_detector(&mut det, audio));
                frames += audio.len() / HOP;
            }
            "webrtc" => {
                let mut vad = webrtc();
                black_box(run_webrtc(&mut vad, pcm));
                frames += pcm.len() / WEBRTC_FRAME * WEBRTC_FRAME / HOP;
            }
            "goertzel" => {
                let mut bank = GoertzelBank::new(RATE);
                black_box(run_goertzel(&mut bank, audio));
                frames += audio.len() / HOP;
            }
            other => panic!("RINGSIDE_BENCH_ONCE={other}: use ringside, webrtc or goertzel"),
        }
    }
    println!("{which}: {frames} frames of 10 ms");
}

fn main() {
    if let Ok(which) = std::env::var("RINGSIDE_BENCH_ONCE") {
        once(&which);
        return;
    }
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();

    let (pcm, audio) = support::fixture("machine_beep.wav");
    let mut bank = GoertzelBank::new(RATE);
    let beeps: Vec<_> = audio
        .chunks(CHUNK)
        .filter_map(|c| bank.process(c))
        .collect();
    eprintln!("goertzel baseline on machine_beep.wav: {beeps:?} (20 ms blocks)");
    peers(&mut c, "fixture", &audio, &pcm);

    let worst = support::worst_case(10.0);
    describe_worst_case(&worst);
    let worst_pcm = support::to_i16(&worst);
    peers(&mut c, "worst_case", &worst, &worst_pcm);

    stages(&mut c, &audio);

    c.final_summary();
    summary::print(
        started,
        &[
            ("fixture", Unit::Audio10ms, Some("webrtc-vad 30 ms")),
            ("worst_case", Unit::Audio10ms, Some("webrtc-vad 30 ms")),
            ("stages", Unit::Audio10ms, None),
        ],
    );
}
