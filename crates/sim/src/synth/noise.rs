//! Noises: white and pink hiss, mains hum, clicks, and music/room beds.
//!
//! All are driven by the call's own noise stream ([`crate::Rng`]) so a call renders
//! identically every time.

use std::f64::consts::TAU;

use crate::recipe::Rng;

/// White Gaussian noise of RMS `rms`.
pub fn white(n: usize, rms: f64, rng: &mut Rng) -> Vec<f32> {
    (0..n).map(|_| (rms * rng.gauss()) as f32).collect()
}

/// Pink (1/f) noise of about RMS `rms`: white noise through Paul Kellet's economy
/// three-pole filter (a published approximation, within ±0.5 dB above 40 Hz).
pub fn pink(n: usize, rms: f64, rng: &mut Rng) -> Vec<f32> {
    let (mut b0, mut b1, mut b2) = (0.0f64, 0.0f64, 0.0f64);
    let raw: Vec<f64> = (0..n)
        .map(|_| {
            let w = rng.gauss();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            b0 + b1 + b2 + w * 0.1848
        })
        .collect();
    scale_to_rms(&raw, rms)
}

/// Mains hum: the fundamental and its 3rd harmonic (-6 dB), of RMS about `rms`.
pub fn hum(n: usize, hz: f64, rate: u32, rms: f64) -> Vec<f32> {
    let r = f64::from(rate);
    let raw: Vec<f64> = (0..n)
        .map(|i| {
            let t = TAU * hz * i as f64 / r;
            t.sin() + 0.5 * (3.0 * t).sin()
        })
        .collect();
    scale_to_rms(&raw, rms)
}

/// Sparse clicks (about 3 per second): short decaying impulses of peak `peak`.
pub fn clicks(n: usize, rate: u32, peak: f64, rng: &mut Rng) -> Vec<f32> {
    let mut out = vec![0.0f32; n];
    let mut i = 0usize;
    let r = f64::from(rate);
    loop {
        i += (r * rng.range(0.1, 0.6)) as usize;
        if i >= n {
            break;
        }
        let sign = if rng.chance(0.5) { 1.0 } else { -1.0 };
        for k in 0..(r * 0.002) as usize {
            if let Some(v) = out.get_mut(i + k) {
                *v += (sign * peak * (-(k as f64) / (r * 0.0004)).exp()) as f32;
            }
        }
    }
    out
}

/// A music bed: a four-chord loop of soft triads, 0.5 s per chord, of RMS about `rms`.
pub fn music(n: usize, rate: u32, rms: f64) -> Vec<f32> {
    const CHORDS: [[f64; 3]; 4] = [
        [261.63, 329.63, 392.00],
        [220.00, 261.63, 329.63],
        [174.61, 220.00, 261.63],
        [196.00, 246.94, 293.66],
    ];
    let r = f64::from(rate);
    let raw: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / r;
            let chord = CHORDS[(t / 0.5) as usize % 4];
            let within = (t % 0.5) / 0.5;
            let env = (1.0 - within).powf(0.7);
            env * chord.iter().map(|f| (TAU * f * t).sin()).sum::<f64>()
        })
        .collect();
    scale_to_rms(&raw, rms)
}

fn scale_to_rms(x: &[f64], rms: f64) -> Vec<f32> {
    let have = (x.iter().map(|v| v * v).sum::<f64>() / x.len().max(1) as f64).sqrt();
    let g = if have > 0.0 { rms / have } else { 0.0 };
    x.iter().map(|v| (v * g) as f32).collect()
}

/// dBFS to a linear amplitude.
pub fn db(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}
