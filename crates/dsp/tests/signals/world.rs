//! Generators for the world outside the tuning corpus: every country's call-progress tones
//! from the shared tone-plan table, every shape of voicemail beep, and fax as it really
//! sounds (CED or ANSam, then V.21 flags). Deterministic like the rest of `signals`.

use std::f64::consts::TAU;

use ringside_dsp::tone_plan::{Cadence, Sound};

use super::{RATE, ms};

/// Modulation depth of the plans' AM tones (see `Sound::Modulated`).
const AM_DEPTH: f64 = 0.9;

/// One sound of a plan for `n` samples from absolute sample `t0` (phases continue across
/// steps), each component at peak `amp`.
fn sound(s: Sound, n: usize, amp: f64, t0: usize, ramp: usize) -> Vec<f32> {
    (0..n)
        .map(|i| {
            let t = (t0 + i) as f64 / RATE as f64;
            let g = if ramp == 0 {
                1.0
            } else {
                let edge = i.min(n - 1 - i);
                (edge as f64 / ramp as f64).min(1.0)
            };
            let v = match s {
                Sound::Silence => 0.0,
                Sound::Single(f) => (TAU * f as f64 * t).sin(),
                Sound::Pair(a, b) => (TAU * a as f64 * t).sin() + (TAU * b as f64 * t).sin(),
                Sound::Modulated { carrier, rate } => {
                    (TAU * carrier as f64 * t).sin()
                        * (1.0 + AM_DEPTH * (TAU * rate as f64 * t).sin())
                        / (1.0 + AM_DEPTH)
                }
            };
            (amp * g * v) as f32
        })
        .collect()
}

/// `total_ms` of a plan cadence, each component at peak `amp`, with 5 ms ramps.
pub fn plan_tone(c: &Cadence, amp: f32, total_ms: f64) -> Vec<f32> {
    let total = ms(total_ms);
    let ramp = ms(5.0);
    let mut out = Vec::with_capacity(total);
    match c {
        Cadence::Continuous(s) => out.extend(sound(*s, total, amp as f64, 0, ramp)),
        Cadence::Repeating(steps) => {
            while out.len() < total {
                for st in steps.iter() {
                    let n = ms(st.ms as f64);
                    let t0 = out.len();
                    out.extend(sound(st.sound, n, amp as f64, t0, ramp));
                }
            }
            out.truncate(total);
        }
    }
    out
}

/// The shapes a voicemail beep comes in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BeepShape {
    /// A plain sine.
    Steady,
    /// Odd harmonics up to 3.4 kHz at 1/k (a band-limited square).
    Square,
    /// A hard-clipped sine (peak at 30 % of the unclipped sine's).
    Clipped,
    /// A bell: 5 ms attack, exponential decay by `decay_db` over the length.
    Decaying { decay_db: f64 },
    /// Vibrato: frequency swings by `swing` (fraction) at `rate_hz`.
    Warble { swing: f64, rate_hz: f64 },
    /// Notes in sequence, back to back (each a fraction of the length), at the listed
    /// frequencies (the `freq` argument is ignored).
    Sequence(&'static [f64]),
    /// `count` bursts of the length, separated by `gap_ms`.
    Bursts { count: usize, gap_ms: f64 },
    /// Two simultaneous tones: `freq` and `freq * ratio`.
    Dual { ratio: f64 },
}

/// A beep of `shape` at `freq` Hz, `dur_ms` long (per burst), peak `amp`.
pub fn beep(shape: BeepShape, freq: f64, dur_ms: f64, amp: f32) -> Vec<f32> {
    let n = ms(dur_ms);
    let ramp = ms(3.0).min(n / 2).max(1);
    let edge = |i: usize, n: usize| ((i.min(n - 1 - i)) as f64 / ramp as f64).min(1.0);
    let amp = amp as f64;
    match shape {
        BeepShape::Steady => (0..n)
            .map(|i| (amp * edge(i, n) * (TAU * freq * i as f64 / RATE as f64).sin()) as f32)
            .collect(),
        BeepShape::Square => {
            let mut out: Vec<f32> = (0..n)
                .map(|i| {
                    let t = i as f64 / RATE as f64;
                    let mut v = 0.0;
                    let mut k = 1.0;
                    while freq * k < 3400.0 {
                        v += (TAU * freq * k * t).sin() / k;
                        k += 2.0;
                    }
                    (edge(i, n) * v) as f32
                })
                .collect();
            super::normalize_peak(&mut out, amp as f32);
            out
        }
        BeepShape::Clipped => (0..n)
            .map(|i| {
                let v = (TAU * freq * i as f64 / RATE as f64).sin().clamp(-0.3, 0.3) / 0.3;
                (amp * edge(i, n) * v) as f32
            })
            .collect(),
        BeepShape::Decaying { decay_db } => {
            let attack = ms(5.0).max(1);
            (0..n)
                .map(|i| {
                    let a = (i as f64 / attack as f64).min(1.0);
                    let d = 10f64.powf(-decay_db / 20.0 * i as f64 / n as f64);
                    let tail = ((n - 1 - i) as f64 / ramp as f64).min(1.0);
                    (amp * a * d * tail * (TAU * freq * i as f64 / RATE as f64).sin()) as f32
                })
                .collect()
        }
        BeepShape::Warble { swing, rate_hz } => {
            let mut phase = 0.0f64;
            (0..n)
                .map(|i| {
                    let t = i as f64 / RATE as f64;
                    let f = freq * (1.0 + swing * (TAU * rate_hz * t).sin());
                    let v = amp * edge(i, n) * phase.sin();
                    phase = (phase + TAU * f / RATE as f64) % TAU;
                    v as f32
                })
                .collect()
        }
        BeepShape::Sequence(notes) => {
            let each = n / notes.len();
            let mut out = Vec::with_capacity(n);
            for &f in notes {
                out.extend(beep(
                    BeepShape::Steady,
                    f,
                    each as f64 * 1000.0 / RATE as f64,
                    amp as f32,
                ));
            }
            out
        }
        BeepShape::Bursts { count, gap_ms } => {
            let one = beep(BeepShape::Steady, freq, dur_ms, amp as f32);
            let mut out = Vec::new();
            for k in 0..count {
                if k > 0 {
                    out.resize(out.len() + ms(gap_ms), 0.0);
                }
                out.extend_from_slice(&one);
            }
            out
        }
        BeepShape::Dual { ratio } => (0..n)
            .map(|i| {
                let t = i as f64 / RATE as f64;
                let v = (TAU * freq * t).sin() + (TAU * freq * ratio * t).sin();
                (amp * 0.5 * edge(i, n) * v) as f32
            })
            .collect(),
    }
}

/// CED: 2100 Hz for `dur_ms`, peak `amp`.
pub fn ced(dur_ms: f64, amp: f32, freq: f64) -> Vec<f32> {
    beep(BeepShape::Steady, freq, dur_ms, amp)
}

/// ANSam: 2100 Hz, 20 % amplitude modulation at 15 Hz, a phase reversal every 450 ms.
pub fn ansam(dur_ms: f64, amp: f32) -> Vec<f32> {
    let n = ms(dur_ms);
    let rev = ms(450.0);
    (0..n)
        .map(|i| {
            let t = i as f64 / RATE as f64;
            let flip = if (i / rev) % 2 == 1 {
                std::f64::consts::PI
            } else {
                0.0
            };
            let env = (1.0 + 0.2 * (TAU * 15.0 * t).sin()) / 1.2;
            (amp as f64 * env * (TAU * 2100.0 * t + flip).sin()) as f32
        })
        .collect()
}

/// V.21 channel 2 HDLC flags (0x7E) for `dur_ms`: FSK at 300 bit/s, mark (1) 1650 Hz,
/// space (0) 1850 Hz, continuous phase.
pub fn v21_flags(dur_ms: f64, amp: f32) -> Vec<f32> {
    let n = ms(dur_ms);
    let bit_len = RATE as f64 / 300.0;
    const FLAG: [u8; 8] = [0, 1, 1, 1, 1, 1, 1, 0];
    let mut phase = 0.0f64;
    (0..n)
        .map(|i| {
            let bit = FLAG[((i as f64 / bit_len) as usize) % 8];
            let f = if bit == 1 { 1650.0 } else { 1850.0 };
            let v = amp as f64 * phase.sin();
            phase = (phase + TAU * f / RATE as f64) % TAU;
            v as f32
        })
        .collect()
}

/// Mains hum: 50 Hz and its 3rd harmonic, RMS `level`.
pub fn hum(n: usize, level: f32) -> Vec<f32> {
    (0..n)
        .map(|i| {
            let t = i as f64 / RATE as f64;
            (level as f64 * 1.2 * ((TAU * 50.0 * t).sin() + 0.5 * (TAU * 150.0 * t).sin())) as f32
        })
        .collect()
}
