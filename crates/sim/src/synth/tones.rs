//! Call-progress tones from the shared country table (`ringside_dsp::tone_plan`), and the
//! special information tone.
//!
//! The table is the one the detector uses, so a country's ringback heard in a synthetic
//! call is exactly the one the detector must recognise. Steps switch on and off without
//! ramps, as exchange tone generators do; a step of `ms` milliseconds lasts
//! `round(ms · rate / 1000)` samples.

use std::f64::consts::TAU;

use ringside_dsp::tone_plan::{Cadence, Sound, Step};

/// `n` samples of `sound` starting at absolute sample `t0` (phase is continuous in time),
/// peak amplitude `amp` per component pair (components share it equally).
pub fn sound(s: Sound, t0: usize, n: usize, rate: u32, amp: f64) -> Vec<f32> {
    let r = f64::from(rate);
    (t0..t0 + n)
        .map(|i| {
            let t = i as f64 / r;
            let v = match s {
                Sound::Silence => 0.0,
                Sound::Single(f) => (TAU * f64::from(f) * t).cos(),
                Sound::Pair(a, b) => {
                    0.5 * ((TAU * f64::from(a) * t).cos() + (TAU * f64::from(b) * t).cos())
                }
                Sound::Modulated { carrier, rate } => {
                    let m = 0.9;
                    (1.0 + m * (TAU * f64::from(rate) * t).sin()) / (1.0 + m)
                        * (TAU * f64::from(carrier) * t).cos()
                }
            };
            (amp * v) as f32
        })
        .collect()
}

/// Samples in a step of `ms` milliseconds.
pub fn step_len(ms: u32, rate: u32) -> usize {
    ((u64::from(ms) * u64::from(rate) + 500) / 1000) as usize
}

/// The steps of a cadence (a continuous tone as one 1 s step).
pub fn steps(c: &Cadence) -> Vec<Step> {
    match *c {
        Cadence::Continuous(sound) => vec![Step { sound, ms: 1000 }],
        Cadence::Repeating(steps) => steps.to_vec(),
    }
}

/// `rings` periods of a cadence, the last one cut `tail_frac` of the way through the
/// silence after its last sounding step: ringback picked up during the pause after the
/// last ring.
pub fn cadence(c: &Cadence, rings: u32, tail_frac: f64, rate: u32, amp: f64) -> Vec<f32> {
    let steps = steps(c);
    let mut out = Vec::new();
    for ring in 0..rings {
        let last = ring + 1 == rings;
        let last_sounding = steps
            .iter()
            .rposition(|s| !s.sound.is_silence())
            .unwrap_or(0);
        for (i, step) in steps.iter().enumerate() {
            let mut n = step_len(step.ms, rate);
            if last && i > last_sounding {
                n = (n as f64 * tail_frac.clamp(0.0, 1.0)) as usize;
            }
            let t0 = out.len();
            out.extend(sound(step.sound, t0, n, rate, amp));
        }
    }
    out
}

/// Whole periods of a cadence until at least `secs` seconds.
pub fn cadence_for(c: &Cadence, secs: f64, rate: u32, amp: f64) -> Vec<f32> {
    let want = (secs * f64::from(rate)) as usize;
    let mut out = Vec::new();
    while out.len() < want.max(1) {
        let before = out.len();
        for step in steps(c) {
            let t0 = out.len();
            out.extend(sound(step.sound, t0, step_len(step.ms, rate), rate, amp));
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// The special information tone ("vacant code" variant, ANSI T1.209 / ITU-T E.180 §3):
/// 913.8, 1370.6 then 1776.7 Hz, 274 / 274 / 380 ms, then 0.1 s of silence.
pub fn sit(rate: u32, amp: f64) -> Vec<f32> {
    let mut out = Vec::new();
    for (f, ms) in [(913.8f32, 274u32), (1370.6, 274), (1776.7, 380)] {
        let t0 = out.len();
        out.extend(sound(Sound::Single(f), t0, step_len(ms, rate), rate, amp));
    }
    out.extend(std::iter::repeat_n(0.0, step_len(100, rate)));
    out
}
