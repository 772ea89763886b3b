//! Voicemail beeps of every shape the field knows.
//!
//! A beep is `bursts` copies of one burst separated by silent gaps. Each burst has a
//! quarter-sine ramp at both ends (`ramp_ms`) whose first and last samples are already
//! above zero (`sin(π/2 · (i+1)/(R+1))`), and starts at phase 1 rad, so the first and
//! last samples of the beep are the ones the labels name: nothing of the beep lies
//! outside `[beep_at, beep_end)`.

use std::f64::consts::{FRAC_PI_2, TAU};

use crate::recipe::plan::BeepPlan;

use ringside_audio::{AudioErrorKind, resample};

use super::speech::CLIP_RATE;

/// Starting phase of every tone (rad): keeps the first sample clear of zero.
const PHASE0: f64 = 1.0;

/// A decaying beep falls to this fraction of its start (-30 dB) and holds until it ends,
/// as a box that cuts its bell-like tone does; its end stays audible and measurable.
const DECAY_FLOOR: f64 = 0.0316;

/// The whole beep at `rate` with peak amplitude `amp`; fails only when a recorded beep
/// cannot be converted to `rate`.
pub fn render(b: &BeepPlan, rate: u32, amp: f64) -> Result<Vec<f32>, AudioErrorKind> {
    let burst = burst(b, rate, amp)?;
    let gap = (b.burst_gap_s * f64::from(rate)).round() as usize;
    let mut out = Vec::new();
    for i in 0..b.bursts.max(1) {
        if i > 0 {
            out.extend(std::iter::repeat_n(0.0, gap));
        }
        out.extend_from_slice(&burst);
    }
    Ok(out)
}

fn burst(b: &BeepPlan, rate: u32, amp: f64) -> Result<Vec<f32>, AudioErrorKind> {
    let r = f64::from(rate);
    let n = (b.duration_s * r).round().max(1.0) as usize;
    let f = b.freqs.first().copied().unwrap_or(1000.0);
    let tone = |freq: f64, i: usize| (TAU * freq * i as f64 / r + PHASE0).sin();
    let mut x: Vec<f64> = match b.shape.as_str() {
        "harmonic" => {
            let h = 10f64.powf(b.harmonics_db / 20.0);
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    let t = TAU * f * i as f64 / r + PHASE0;
                    t.sin() + h * (2.0 * t).sin() + h * (3.0 * t).sin()
                })
                .collect();
            normalise(v)
        }
        "clipped" => {
            let c = b.clip_pct / 100.0;
            (0..n).map(|i| tone(f, i).clamp(-c, c) / c).collect()
        }
        "decaying" => (0..n)
            .map(|i| tone(f, i) * (-(i as f64 / r) / b.decay_s).exp().max(DECAY_FLOOR))
            .collect(),
        "warble" => {
            let depth = b.warble_pct / 100.0;
            let mut phase = PHASE0;
            (0..n)
                .map(|i| {
                    let t = i as f64 / r;
                    let v = phase.sin();
                    let inst = f * (1.0 + depth * (TAU * b.warble_rate_hz * t).sin());
                    phase += TAU * inst / r;
                    v
                })
                .collect()
        }
        "sequence" => {
            // Each tone lasts the burst length; phase continues across tones.
            let mut phase = PHASE0;
            let mut v = Vec::with_capacity(n * b.freqs.len());
            for &freq in &b.freqs {
                for _ in 0..n {
                    v.push(phase.sin());
                    phase += TAU * freq / r;
                }
            }
            v
        }
        "dual" => (0..n)
            .map(|i| 0.5 * b.freqs.iter().map(|&fr| tone(fr, i)).sum::<f64>())
            .collect(),
        "file" => match &b.recording {
            Some((samples, _)) => {
                let y = resample(samples, CLIP_RATE, rate)?;
                normalise(y.iter().map(|v| f64::from(*v)).collect())
            }
            None => (0..n).map(|i| tone(f, i)).collect(),
        },
        _ => (0..n).map(|i| tone(f, i)).collect(),
    };
    if b.shape != "file" {
        ramp(&mut x, (b.ramp_ms / 1000.0 * r).round() as usize);
    }
    Ok(x.iter().map(|v| (amp * v) as f32).collect())
}

fn normalise(v: Vec<f64>) -> Vec<f64> {
    let peak = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if peak > 0.0 {
        v.into_iter().map(|x| x / peak).collect()
    } else {
        v
    }
}

/// Quarter-sine fade in and out over `len` samples at each end.
pub fn ramp(x: &mut [f64], len: usize) {
    let len = len.min(x.len() / 2);
    let n = x.len();
    for i in 0..len {
        let g = (FRAC_PI_2 * (i + 1) as f64 / (len + 1) as f64).sin();
        x[i] *= g;
        x[n - 1 - i] *= g;
    }
}

/// What the manifest's `source` says about the beep.
pub fn describe(b: &BeepPlan) -> String {
    let freqs: Vec<String> = b.freqs.iter().map(|f| format!("{f:.0}")).collect();
    let f = match b.shape.as_str() {
        "warble" => {
            let f0 = b.freqs.first().copied().unwrap_or(0.0);
            let d = f0 * b.warble_pct / 100.0;
            format!("{:.0}~{:.0}", f0 - d, f0 + d)
        }
        "dual" => freqs.join("+"),
        _ => freqs.join("|"),
    };
    match &b.recording {
        Some((_, name)) if b.shape == "file" => {
            format!("beep=file:{name},bursts={}", b.bursts)
        }
        _ => format!(
            "beep={},f={f}Hz,d={:.3}s,bursts={}",
            b.shape, b.duration_s, b.bursts
        ),
    }
}
