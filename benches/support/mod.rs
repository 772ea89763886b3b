//! Shared by the benches: test audio (a committed fixture and a synthetic worst case), the
//! Goertzel-bank baseline, and the end-of-run summary.
#![allow(dead_code)]

pub mod goertzel;
pub mod summary;

use std::path::PathBuf;

/// Samples per 10 ms at 8 kHz: the unit every audio bench reports in.
pub const HOP: usize = 80;
pub const RATE: u32 = 8000;

/// Samples of a 16-bit mono 8 kHz fixture, as `i16` (webrtc-vad's input) and as `f32` in
/// ±1.0 (ringside's). Benches may panic on a broken checkout.
#[allow(clippy::unwrap_used)]
pub fn fixture(name: &str) -> (Vec<i16>, Vec<f32>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let mut r = hound::WavReader::open(&path).unwrap();
    let spec = r.spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (1, RATE, 16),
        "{name}: the benches need 16-bit mono 8 kHz"
    );
    let pcm: Vec<i16> = r.samples::<i16>().map(|s| s.unwrap()).collect();
    let float = pcm.iter().map(|&s| f32::from(s) / 32768.0).collect();
    (pcm, float)
}

/// `f32` audio as 16-bit PCM (for webrtc-vad), saturating.
pub fn to_i16(x: &[f32]) -> Vec<i16> {
    x.iter()
        .map(|&v| (v * 32768.0).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// A synthetic worst case for the detector's cost: every receiver kept busy on every frame.
///
/// - a DTMF pair (770 + 1336 Hz, digit 5) strong enough to open the DTMF gate;
/// - the ringback pair (440 + 480 Hz) strong enough to open the call-progress gate;
/// - a speech-like voice: a gliding 100–180 Hz pitch with 25 harmonics under two moving
///   formants, in 4 Hz syllables, which keeps the VAD and the tone analyser working;
/// - white noise at about -40 dBFS.
///
/// The bench checks (and prints) how often the gates open on it.
pub fn worst_case(seconds: f32) -> Vec<f32> {
    let n = (seconds * RATE as f32) as usize;
    let tau = std::f32::consts::TAU;
    let fs = RATE as f32;
    let mut rng_state = 0x1234_5678u32;
    let mut phase0 = 0.0f32;
    (0..n)
        .map(|i| {
            let t = i as f32 / fs;
            let tone = |f: f32, a: f32| a * (tau * f * t).sin();
            let dtmf = tone(770.0, 0.12) + tone(1336.0, 0.12);
            let ring = tone(440.0, 0.13) + tone(480.0, 0.13);
            // Pitch glides between 100 and 180 Hz; syllables at 4 Hz.
            let f0 = 140.0 + 40.0 * (tau * 0.7 * t).sin();
            phase0 = (phase0 + tau * f0 / fs) % tau;
            let syllable = 0.5 + 0.5 * (tau * 4.0 * t).sin();
            let f1 = 600.0 + 250.0 * (tau * 1.3 * t).sin();
            let f2 = 1700.0 + 500.0 * (tau * 0.9 * t).cos();
            let mut voice = 0.0;
            for h in 1..=25 {
                let fh = f0 * h as f32;
                let formant = |fc: f32, bw: f32| 1.0 / (1.0 + ((fh - fc) / bw).powi(2));
                let a = formant(f1, 150.0) + 0.5 * formant(f2, 250.0);
                voice += a * (phase0 * h as f32).sin();
            }
            rng_state = rng_state
                .wrapping_mul(1_664_525)
                .wrapping_add(1_013_904_223);
            let noise = ((rng_state >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.03;
            dtmf + ring + 0.05 * syllable * voice + noise
        })
        .collect()
}
