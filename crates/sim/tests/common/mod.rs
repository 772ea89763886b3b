//! Shared by the integration tests: rendering a recipe to a written file and reading it
//! back, and measuring tones on it.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use ringside_sim::synth::write_wav;
use ringside_sim::{Recipe, Rendered, SpeechLibrary};

pub fn speech_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/speech")
}

pub fn library() -> SpeechLibrary {
    SpeechLibrary::load(&speech_dir()).unwrap()
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn recipe(json: &str) -> Recipe {
    Recipe::parse(json, Path::new("test.json")).unwrap_or_else(|e| panic!("{e}"))
}

/// Renders `json` with `seed`, writes the WAV to `dir/name.wav`, reads back the far-end
/// channel as 16-bit values in ±1.0.
pub fn render_and_read(
    json: &str,
    seed: u64,
    lib: &SpeechLibrary,
    dir: &Path,
    name: &str,
) -> (Rendered, Vec<f64>, u32) {
    let call = recipe(json).draw(seed).render(lib).unwrap();
    let path = dir.join(format!("{name}.wav"));
    write_wav(&path, &call).unwrap();
    let (x, rate) = read_far(&path, call.far_right);
    (call, x, rate)
}

/// The far-end channel of a written file.
pub fn read_far(path: &Path, far_right: bool) -> (Vec<f64>, u32) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let all: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    let ch = usize::from(spec.channels);
    let pick = if ch == 2 && far_right { 1 } else { 0 };
    let x = all
        .chunks(ch)
        .map(|f| f64::from(f[pick]) / 32768.0)
        .collect();
    (x, spec.sample_rate)
}

/// Complex demodulation of `x` at `f` Hz: `x[n]·e^{-jωn}` as (re, im).
pub fn demodulate(x: &[f64], f: f64, rate: u32) -> Vec<(f64, f64)> {
    let w = std::f64::consts::TAU * f / f64::from(rate);
    x.iter()
        .enumerate()
        .map(|(n, v)| (v * (w * n as f64).cos(), -v * (w * n as f64).sin()))
        .collect()
}

/// Onset and end (one past the last sample) of the tone at `f` Hz within `from..`:
/// the first sample whose causal one-period sum of the demodulated signal leaves zero,
/// and the last sample whose anti-causal one-period sum does. Half a 16-bit step is the
/// threshold: the rest of the file around the beep is digital silence.
pub fn tone_span(x: &[f64], f: f64, rate: u32, from: usize) -> Option<(usize, usize)> {
    let z = demodulate(x, f, rate);
    let w = (f64::from(rate) / f).round().max(1.0) as usize;
    let thr = 0.5 / 32768.0;
    let mag = |a: usize, b: usize| {
        let (re, im) = z[a..b]
            .iter()
            .fold((0.0, 0.0), |(r, i), (zr, zi)| (r + zr, i + zi));
        (re * re + im * im).sqrt()
    };
    let onset = (from..x.len()).find(|&n| mag(n.saturating_sub(w - 1).max(from), n + 1) > thr)?;
    let last = (onset..x.len())
        .rev()
        .find(|&n| mag(n, (n + w).min(x.len())) > thr)?;
    Some((onset, last + 1))
}

/// Narrowband magnitude at `f` over `x[a..b]`, normalised to a unit sine's (1.0 for a
/// full-scale sine at `f`).
pub fn level_at(x: &[f64], f: f64, rate: u32, a: usize, b: usize) -> f64 {
    let z = demodulate(&x[a..b], f, rate);
    let (re, im) = z
        .iter()
        .fold((0.0, 0.0), |(r, i), (zr, zi)| (r + zr, i + zi));
    2.0 * (re * re + im * im).sqrt() / (b - a) as f64
}
