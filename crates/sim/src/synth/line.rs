//! The line between the far end and the caller: filters, codecs, level, noise, echo.
//!
//! Labels are sample indices, so every effect here is zero-delay: the band-pass is run
//! forwards then backwards (zero phase, 4th-order Butterworth magnitude from two 2nd-order
//! sections), G.711 works sample by sample, gain/clipping/DC/noise do not move anything.
//! Two effects add sound outside the labelled spans and say so in `conditions`: echo (a
//! delayed, attenuated copy: the labels mark the direct sound) and the GSM-like channel's
//! frame dropouts (a 20 ms frame inside speech or a beep can be replaced by comfort
//! noise; the labels still mark where the sound was placed). A zero-phase filter is
//! non-causal: its ringing spreads a few samples before an onset, well below the sound.

use std::f64::consts::PI;

use crate::recipe::Rng;
use crate::recipe::plan::LinePlan;

use super::noise;

/// A 2nd-order section (RBJ cookbook coefficients), direct form I.
#[derive(Debug, Clone, Copy)]
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
}

impl Biquad {
    fn lowpass(f: f64, rate: f64) -> Self {
        let w = 2.0 * PI * f / rate;
        let alpha = w.sin() / (2.0 * std::f64::consts::FRAC_1_SQRT_2);
        let c = w.cos();
        let a0 = 1.0 + alpha;
        Self {
            b: [(1.0 - c) / 2.0 / a0, (1.0 - c) / a0, (1.0 - c) / 2.0 / a0],
            a: [-2.0 * c / a0, (1.0 - alpha) / a0],
        }
    }

    fn highpass(f: f64, rate: f64) -> Self {
        let w = 2.0 * PI * f / rate;
        let alpha = w.sin() / (2.0 * std::f64::consts::FRAC_1_SQRT_2);
        let c = w.cos();
        let a0 = 1.0 + alpha;
        Self {
            b: [(1.0 + c) / 2.0 / a0, -(1.0 + c) / a0, (1.0 + c) / 2.0 / a0],
            a: [-2.0 * c / a0, (1.0 - alpha) / a0],
        }
    }

    fn run(&self, x: &mut [f64]) {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
        for v in x.iter_mut() {
            let y =
                self.b[0] * *v + self.b[1] * x1 + self.b[2] * x2 - self.a[0] * y1 - self.a[1] * y2;
            x2 = x1;
            x1 = *v;
            y2 = y1;
            y1 = y;
            *v = y;
        }
    }
}

/// Zero-phase band-pass `lo`..`hi` Hz (the upper edge is skipped when at or above
/// Nyquist).
pub fn bandpass(x: &mut [f32], lo: f64, hi: f64, rate: u32) {
    let r = f64::from(rate);
    let mut sections = vec![Biquad::highpass(lo, r)];
    if hi < 0.45 * r {
        sections.push(Biquad::lowpass(hi, r));
    }
    let mut y: Vec<f64> = x.iter().map(|v| f64::from(*v)).collect();
    for s in &sections {
        s.run(&mut y);
        y.reverse();
        s.run(&mut y);
        y.reverse();
    }
    for (o, v) in x.iter_mut().zip(y) {
        *o = v as f32;
    }
}

/// G.711 μ-law encoding of a 16-bit sample.
pub fn ulaw_encode(pcm: i16) -> u8 {
    const BIAS: i32 = 0x84;
    let mut s = i32::from(pcm);
    let sign = if s < 0 {
        s = -s;
        0x80
    } else {
        0
    };
    s = s.min(32_635) + BIAS;
    let exp = (31 - (s as u32).leading_zeros()).saturating_sub(7).min(7) as i32;
    let mant = (s >> (exp + 3)) & 0x0F;
    !(sign | (exp << 4) | mant) as u8
}

/// G.711 μ-law decoding.
pub fn ulaw_decode(u: u8) -> i16 {
    let u = !u;
    let exp = i32::from((u >> 4) & 7);
    let mant = i32::from(u & 0x0F);
    let s = (((mant << 3) + 0x84) << exp) - 0x84;
    if u & 0x80 != 0 { -s as i16 } else { s as i16 }
}

/// G.711 A-law encoding of a 16-bit sample.
pub fn alaw_encode(pcm: i16) -> u8 {
    const SEG_END: [i32; 8] = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF];
    let mut s = i32::from(pcm) >> 3;
    let mask = if s >= 0 {
        0xD5
    } else {
        s = -s - 1;
        0x55
    };
    let Some(seg) = SEG_END.iter().position(|&e| s <= e) else {
        return 0x7F ^ mask;
    };
    let mant = if seg < 2 {
        (s >> 1) & 0x0F
    } else {
        (s >> seg) & 0x0F
    };
    (((seg as i32) << 4) | mant) as u8 ^ mask
}

/// G.711 A-law decoding.
pub fn alaw_decode(a: u8) -> i16 {
    let a = a ^ 0x55;
    let mut t = i32::from(a & 0x0F) << 4;
    let seg = i32::from((a & 0x70) >> 4);
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => {
            t += 0x108;
            t <<= seg - 1;
        }
    }
    if a & 0x80 != 0 { t as i16 } else { -t as i16 }
}

fn to_i16(v: f32) -> i16 {
    (f64::from(v) * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

/// Applies the line to the far end's signal; returns the `conditions` tokens.
///
/// Order: echo, band-pass, GSM-like channel, gain, noise at SNR, clipping, DC, codec.
/// `speech_db` is the active speech level the SNR refers to.
pub fn apply(
    x: &mut [f32],
    line: &LinePlan,
    rate: u32,
    speech_db: f64,
    rng: &mut Rng,
) -> Vec<String> {
    let mut cond = Vec::new();
    if let Some((delay_ms, level_db)) = line.echo {
        let d = (delay_ms / 1000.0 * f64::from(rate)).round() as usize;
        let g = noise::db(level_db) as f32;
        for i in (d..x.len()).rev() {
            x[i] += g * x[i - d];
        }
        cond.push(format!("echo{delay_ms:.0}ms{level_db:.0}dB"));
    }
    if line.bandpass {
        bandpass(x, 300.0, 3400.0, rate);
        cond.push("bp300-3400".to_owned());
    }
    if let Some((dropout_pct, comfort_db)) = line.gsm {
        gsm(x, dropout_pct, comfort_db, rate, rng);
        cond.push(format!("gsm_dropouts{dropout_pct:.1}%"));
    }
    if line.gain_db != 0.0 {
        let g = noise::db(line.gain_db) as f32;
        x.iter_mut().for_each(|v| *v *= g);
        cond.push(format!("gain{:+.0}dB", line.gain_db).replace('+', ""));
    }
    let noise_rms = noise::db(speech_db + line.gain_db - line.snr_db);
    match line.noise.as_str() {
        "white" | "pink" => {
            let n = if line.noise == "white" {
                noise::white(x.len(), noise_rms, rng)
            } else {
                noise::pink(x.len(), noise_rms, rng)
            };
            x.iter_mut().zip(n).for_each(|(v, e)| *v += e);
            cond.push(format!("{}_noise_snr{:.0}dB", line.noise, line.snr_db));
        }
        _ => {}
    }
    if line.clip_pct < 100.0 {
        let peak = x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let c = peak * (line.clip_pct / 100.0) as f32;
        x.iter_mut().for_each(|v| *v = v.clamp(-c, c));
        cond.push(format!("clip@{:.0}%peak", line.clip_pct));
    }
    if line.dc != 0.0 {
        x.iter_mut().for_each(|v| *v += line.dc as f32);
        cond.push(format!("dc{:+.3}", line.dc));
    }
    match line.codec.as_str() {
        "ulaw" => {
            x.iter_mut()
                .for_each(|v| *v = f32::from(ulaw_decode(ulaw_encode(to_i16(*v)))) / 32768.0);
            cond.push("ulaw".to_owned());
        }
        "alaw" => {
            x.iter_mut()
                .for_each(|v| *v = f32::from(alaw_decode(alaw_encode(to_i16(*v)))) / 32768.0);
            cond.push("alaw".to_owned());
        }
        _ => {}
    }
    cond
}

/// A GSM/AMR-like narrowband channel: 300-3400 Hz, 20 ms frames; quiet frames (below
/// -50 dBFS) and dropped frames (`dropout_pct` %) are replaced by comfort noise.
fn gsm(x: &mut [f32], dropout_pct: f64, comfort_db: f64, rate: u32, rng: &mut Rng) {
    bandpass(x, 300.0, 3400.0, rate);
    let frame = (rate / 50) as usize;
    let comfort = noise::db(comfort_db);
    let quiet = noise::db(-50.0);
    for f in x.chunks_mut(frame) {
        let rms =
            (f.iter().map(|v| f64::from(*v) * f64::from(*v)).sum::<f64>() / f.len() as f64).sqrt();
        let dropped = rng.chance(dropout_pct / 100.0);
        if dropped || rms < quiet {
            for (v, n) in f.iter_mut().zip(noise::white(frame, comfort, rng)) {
                *v = n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g711_round_trips_within_its_step() {
        for pcm in (-32768i32..32768).step_by(97) {
            let pcm = pcm as i16;
            for (enc, dec) in [
                (ulaw_encode as fn(i16) -> u8, ulaw_decode as fn(u8) -> i16),
                (alaw_encode, alaw_decode),
            ] {
                let back = i32::from(dec(enc(pcm)));
                let err = (back - i32::from(pcm)).abs();
                let allowed = (i32::from(pcm).abs() / 16).max(40);
                assert!(err <= allowed, "{pcm} -> {back}");
            }
        }
        assert_eq!(ulaw_encode(0), 0xFF);
        assert_eq!(alaw_encode(0), 0xD5);
    }

    #[test]
    fn bandpass_is_zero_phase() {
        // A 1 kHz burst keeps its centre of energy where it was.
        let rate = 8000;
        let mut x = vec![0.0f32; 8000];
        for (i, v) in x.iter_mut().enumerate().skip(3000).take(2000) {
            *v = (2.0 * PI * 1000.0 * i as f64 / 8000.0).sin() as f32 * 0.5;
        }
        let centre = |x: &[f32]| {
            let e: f64 = x.iter().map(|v| f64::from(*v).powi(2)).sum();
            x.iter()
                .enumerate()
                .map(|(i, v)| i as f64 * f64::from(*v).powi(2))
                .sum::<f64>()
                / e
        };
        let before = centre(&x);
        bandpass(&mut x, 300.0, 3400.0, rate);
        assert!(
            (centre(&x) - before).abs() < 0.5,
            "{} vs {before}",
            centre(&x)
        );
        // And passes 1 kHz at about unity gain.
        let rms = (x[3500..4500].iter().map(|v| v * v).sum::<f32>() / 1000.0).sqrt();
        assert!((rms / (0.5 / 2f32.sqrt()) - 1.0).abs() < 0.05, "{rms}");
    }
}
