//! Deterministic synthetic telephone signals with known answers, at 8 kHz.
//!
//! Everything here is seeded: the same call gives the same samples on every platform (an
//! LCG for randomness, `f64` phase accumulators for tones). Levels are linear amplitudes on
//! the detector's ±1.0 full scale; `db(x)` converts from dBFS (0 dB = a full-scale peak).
//!
//! The pieces:
//! - noise: [`white`], [`pink`];
//! - tones: [`tone`] (one or more sines with raised-cosine ramps), [`glide`], [`cadence`],
//!   [`dtmf_digits`];
//! - voice: [`speech`] (phrases of syllables: a glottal pulse train with moving pitch through
//!   three formant resonators), [`vowel`] (the same source held on one vowel), [`music`];
//! - line: [`mulaw_round_trip`] (G.711), [`band_pass`] (300–3400 Hz biquads), [`Track`] for
//!   laying signals out on a timeline, gain/DC/clip helpers.
#![allow(dead_code)]

pub mod world;

use std::f64::consts::TAU;

/// The sample rate of every generated signal.
pub const RATE: u32 = 8000;

/// Samples in `ms` milliseconds.
pub fn ms(ms: f64) -> usize {
    (ms * RATE as f64 / 1000.0).round() as usize
}

/// Linear amplitude of a level in dB relative to full scale.
pub fn db(level_db: f64) -> f32 {
    10f64.powf(level_db / 20.0) as f32
}

/// Root mean square.
pub fn rms(x: &[f32]) -> f32 {
    if x.is_empty() {
        return 0.0;
    }
    (x.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>() / x.len() as f64).sqrt() as f32
}

/// RMS over the samples that are not (near) zero: the level of a signal with pauses.
pub fn active_rms(x: &[f32]) -> f32 {
    let peak = x.iter().fold(0.0f32, |m, &v| m.max(v.abs()));
    let active: Vec<f32> = x
        .iter()
        .copied()
        .filter(|v| v.abs() > peak * 1e-3)
        .collect();
    rms(&active)
}

/// Numerical Recipes' 64-bit LCG: deterministic, good enough for test noise.
#[derive(Debug, Clone)]
pub struct Lcg(u64);

impl Lcg {
    pub fn new(rng_state: u64) -> Self {
        Self(rng_state.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D)
    }

    fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.next_u32() as f64 / 4_294_967_296.0
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal (Box–Muller).
    pub fn gauss(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
    }
}

/// White Gaussian noise of the given RMS.
pub fn white(n: usize, rms_level: f32, rng_state: u64) -> Vec<f32> {
    let mut g = Lcg::new(rng_state);
    (0..n)
        .map(|_| (g.gauss() * rms_level as f64) as f32)
        .collect()
}

/// Pink (1/f) noise of the given RMS (Paul Kellet's refined filter on white noise).
pub fn pink(n: usize, rms_level: f32, rng_state: u64) -> Vec<f32> {
    let mut g = Lcg::new(rng_state);
    let mut b = [0.0f64; 7];
    let mut out: Vec<f32> = (0..n)
        .map(|_| {
            let w = g.gauss();
            b[0] = 0.99886 * b[0] + w * 0.0555179;
            b[1] = 0.99332 * b[1] + w * 0.0750759;
            b[2] = 0.96900 * b[2] + w * 0.1538520;
            b[3] = 0.86650 * b[3] + w * 0.3104856;
            b[4] = 0.55000 * b[4] + w * 0.5329522;
            b[5] = -0.7616 * b[5] - w * 0.0168980;
            let p = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w * 0.5362;
            b[6] = w * 0.115926;
            p as f32
        })
        .collect();
    let r = rms(&out);
    if r > 0.0 {
        scale(&mut out, rms_level / r);
    }
    out
}

/// Raised-cosine gain for sample `i` of `n` with `ramp` samples of fade in and out.
fn ramp_gain(i: usize, n: usize, ramp: usize) -> f64 {
    if ramp == 0 {
        return 1.0;
    }
    let edge = i.min(n - 1 - i);
    if edge >= ramp {
        1.0
    } else {
        0.5 - 0.5 * (std::f64::consts::PI * (edge as f64 + 0.5) / ramp as f64).cos()
    }
}

/// A sum of sines (`(frequency Hz, peak amplitude)`), `dur_ms` long, with raised-cosine
/// ramps of `ramp_ms` inside the duration.
pub fn tone(parts: &[(f64, f32)], dur_ms: f64, ramp_ms: f64) -> Vec<f32> {
    let n = ms(dur_ms);
    let ramp = ms(ramp_ms).min(n / 2);
    (0..n)
        .map(|i| {
            let t = i as f64 / RATE as f64;
            let s: f64 = parts
                .iter()
                .map(|&(f, a)| a as f64 * (TAU * f * t).sin())
                .sum();
            (s * ramp_gain(i, n, ramp)) as f32
        })
        .collect()
}

/// A sine whose frequency moves linearly from `f0` to `f1` Hz.
pub fn glide(f0: f64, f1: f64, amp: f32, dur_ms: f64, ramp_ms: f64) -> Vec<f32> {
    let n = ms(dur_ms);
    let ramp = ms(ramp_ms).min(n / 2);
    let mut phase = 0.0f64;
    (0..n)
        .map(|i| {
            let f = f0 + (f1 - f0) * i as f64 / n.max(1) as f64;
            let s = amp as f64 * phase.sin() * ramp_gain(i, n, ramp);
            phase = (phase + TAU * f / RATE as f64) % TAU;
            s as f32
        })
        .collect()
}

/// `burst` repeated with `off_ms` of silence after each, until `total_ms` is filled.
pub fn cadence(burst: &[f32], off_ms: f64, total_ms: f64) -> Vec<f32> {
    let total = ms(total_ms);
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        out.extend_from_slice(burst);
        out.resize(out.len() + ms(off_ms), 0.0);
    }
    out.truncate(total);
    out
}

/// DTMF (low, high) frequencies of a keypad character, per ITU-T Q.23.
pub fn dtmf_freqs(key: char) -> (f64, f64) {
    const LOW: [f64; 4] = [697.0, 770.0, 852.0, 941.0];
    const HIGH: [f64; 4] = [1209.0, 1336.0, 1477.0, 1633.0];
    const KEYS: [&str; 4] = ["123A", "456B", "789C", "*0#D"];
    for (r, row) in KEYS.iter().enumerate() {
        if let Some(c) = row.find(key.to_ascii_uppercase()) {
            return (LOW[r], HIGH[c]);
        }
    }
    panic!("not a DTMF key: {key:?}")
}

/// A DTMF digit string: each key `on_ms` long (peak of the pair = `level`, the two tones at
/// equal level), followed by `off_ms` of silence. Returns the samples and each key's
/// (start, end) sample offsets.
pub fn dtmf_digits(
    keys: &str,
    on_ms: f64,
    off_ms: f64,
    level: f32,
) -> (Vec<f32>, Vec<(char, usize, usize)>) {
    let mut out = Vec::new();
    let mut marks = Vec::new();
    for key in keys.chars() {
        let (lo, hi) = dtmf_freqs(key);
        let start = out.len();
        out.extend(tone(&[(lo, level / 2.0), (hi, level / 2.0)], on_ms, 2.0));
        marks.push((key, start, out.len()));
        out.resize(out.len() + ms(off_ms), 0.0);
    }
    (out, marks)
}

/// A two-pole resonator (formant), unity gain near its centre frequency.
#[derive(Debug, Clone, Default)]
struct Resonator {
    y1: f64,
    y2: f64,
}

impl Resonator {
    fn step(&mut self, x: f64, freq: f64, bw: f64) -> f64 {
        let r = (-std::f64::consts::PI * bw / RATE as f64).exp();
        let a1 = -2.0 * r * (TAU * freq / RATE as f64).cos();
        let a2 = r * r;
        // Gain that makes the peak roughly unity: (1 - r) * sqrt(1 - 2r cos 2θ + r²).
        let g = (1.0 - r) * (1.0 - 2.0 * r * (2.0 * TAU * freq / RATE as f64).cos() + r * r).sqrt();
        let y = g * x - a1 * self.y1 - a2 * self.y2;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// Formant frequencies of a few vowels (Peterson & Barney, male means), Hz.
const VOWELS: [[f64; 3]; 8] = [
    [730.0, 1090.0, 2440.0],
    [270.0, 2290.0, 3010.0],
    [530.0, 1840.0, 2480.0],
    [660.0, 1720.0, 2410.0],
    [300.0, 870.0, 2240.0],
    [640.0, 1190.0, 2390.0],
    [490.0, 1350.0, 1690.0],
    [570.0, 840.0, 2410.0],
];
const BANDWIDTHS: [f64; 3] = [90.0, 120.0, 180.0];

/// The voice source and vocal tract shared by [`speech`] and [`vowel`].
#[derive(Debug)]
struct Voice {
    rng: Lcg,
    phase: f64,
    period_jitter: f64,
    glottal: f64,
    formants: [Resonator; 3],
    current: [f64; 3],
}

impl Voice {
    fn new(rng_state: u64) -> Self {
        Self {
            rng: Lcg::new(rng_state),
            phase: 0.0,
            period_jitter: 1.0,
            glottal: 0.0,
            formants: Default::default(),
            current: VOWELS[0],
        }
    }

    /// One sample at pitch `f0` (Hz) gliding the formants towards `target`, with `noise`
    /// (aspiration/frication share, 0..1).
    fn step(&mut self, f0: f64, target: [f64; 3], noise: f64) -> f64 {
        // Formant transitions of ~25 ms.
        for (c, t) in self.current.iter_mut().zip(target) {
            *c += (t - *c) * 0.005;
        }
        self.phase += f0 * self.period_jitter / RATE as f64;
        let mut pulse = 0.0;
        if self.phase >= 1.0 {
            self.phase -= 1.0;
            pulse = 1.0;
            // 1 % period jitter, redrawn every period.
            self.period_jitter = 1.0 + 0.01 * self.rng.gauss();
        }
        // Glottal spectrum tilt: a leaky integrator of the pulses, then lip radiation
        // (difference), net about -6 dB/octave above the pitch.
        let prev = self.glottal;
        self.glottal = 0.93 * self.glottal + pulse;
        let source = (self.glottal - prev) + noise * 0.3 * self.rng.gauss();
        let mut out = 0.0;
        for (k, res) in self.formants.iter_mut().enumerate() {
            // Formants in cascade would colour each other; in parallel with falling gains
            // they give a plain vowel-like spectrum.
            let gain = [1.0, 0.6, 0.3][k];
            out += gain * res.step(source, self.current[k], BANDWIDTHS[k]);
        }
        out
    }
}

fn normalize_peak(x: &mut [f32], peak: f32) {
    let m = x.iter().fold(0.0f32, |m, &v| m.max(v.abs()));
    if m > 0.0 {
        scale(x, peak / m);
    }
}

/// Speech-like audio, `dur_ms` long, peak `peak`: phrases of 0.7–1.3 s (pauses of
/// 150–300 ms between them, true silence) made of syllables of 180–300 ms (~4 Hz); each
/// syllable is a vowel (random from a table) with a 25 ms attack and 50 ms release down to
/// -20 dB between syllables, some opened by a 30 ms fricative. The pitch is set by the rng_state
/// (100–220 Hz) and moves by ±4 % (slow intonation) plus a declination and 1 % jitter.
/// The signal starts at sample 0 and is silent after `dur_ms` (the last release ends there).
pub fn speech(dur_ms: f64, peak: f32, rng_state: u64) -> Vec<f32> {
    speech_with(dur_ms, peak, rng_state, true)
}

/// Like [`speech`] but one phrase without pauses (a burst of continuous talk).
pub fn speech_burst(dur_ms: f64, peak: f32, rng_state: u64) -> Vec<f32> {
    speech_with(dur_ms, peak, rng_state, false)
}

fn speech_with(dur_ms: f64, peak: f32, rng_state: u64, pauses: bool) -> Vec<f32> {
    let n = ms(dur_ms);
    let mut rng = Lcg::new(rng_state ^ 0xABCD);
    // The syllable/phrase plan: envelope targets per sample.
    let mut env = vec![0.0f64; n];
    let mut vowel_of = vec![0usize; n];
    let mut fric = vec![0.0f64; n];
    let (attack, release) = (ms(25.0), ms(50.0));
    let floor = 0.1;
    let mut pos = 0usize;
    while pos < n {
        let phrase_len = if pauses {
            ms(rng.range(700.0, 1300.0))
        } else {
            n
        };
        let mut phrase_end = (pos + phrase_len).min(n);
        // Do not leave a stub of a phrase shorter than 400 ms at the end.
        if n.saturating_sub(phrase_end) < ms(700.0) {
            phrase_end = n;
        }
        let mut s = pos;
        while s < phrase_end {
            let mut len = ms(rng.range(180.0, 300.0));
            if phrase_end.saturating_sub(s + len) < ms(150.0) {
                len = phrase_end - s;
            }
            let v = (rng.unit() * VOWELS.len() as f64) as usize % VOWELS.len();
            let first = s == pos;
            let last = s + len >= phrase_end;
            let has_fric = rng.unit() < 0.4;
            for i in 0..len {
                let k = s + i;
                let up = if i < attack {
                    let lo = if first { 0.0 } else { floor };
                    lo + (1.0 - lo)
                        * (0.5 - 0.5 * (std::f64::consts::PI * i as f64 / attack as f64).cos())
                } else {
                    1.0
                };
                let left = len - 1 - i;
                let down = if left < release {
                    let lo = if last { 0.0 } else { floor };
                    lo + (1.0 - lo)
                        * (0.5 - 0.5 * (std::f64::consts::PI * left as f64 / release as f64).cos())
                } else {
                    1.0
                };
                env[k] = up.min(down);
                vowel_of[k] = v;
                if has_fric && i < ms(30.0) {
                    fric[k] = 1.0;
                }
            }
            s += len;
        }
        pos = phrase_end;
        if pauses && pos < n {
            pos = (pos + ms(rng.range(150.0, 300.0))).min(n);
        }
    }
    let base = rng.range(100.0, 220.0);
    let phi = rng.range(0.0, TAU);
    let rate_hz = rng.range(0.6, 1.0);
    let mut voice = Voice::new(rng_state);
    let mut out: Vec<f32> = (0..n)
        .map(|k| {
            let t = k as f64 / RATE as f64;
            let f0 =
                base * (1.0 + 0.04 * (TAU * rate_hz * t + phi).sin() - 0.03 * k as f64 / n as f64);
            let y = voice.step(f0, VOWELS[vowel_of[k]], 0.05 + 0.6 * fric[k]);
            (y * env[k]) as f32
        })
        .collect();
    normalize_peak(&mut out, peak);
    out
}

/// A sustained vowel: one vowel held `dur_ms` at pitch `f0` (moving by `drift` as a
/// fraction, slowly, over the duration; 1 % jitter), 30 ms ramps, peak `peak`.
pub fn vowel(
    dur_ms: f64,
    f0: f64,
    drift: f64,
    vowel_index: usize,
    peak: f32,
    rng_state: u64,
) -> Vec<f32> {
    let n = ms(dur_ms);
    let ramp = ms(30.0);
    let mut voice = Voice::new(rng_state);
    let target = VOWELS[vowel_index % VOWELS.len()];
    voice.current = target;
    let mut out: Vec<f32> = (0..n)
        .map(|k| {
            let f = f0 * (1.0 + drift * k as f64 / n as f64);
            (voice.step(f, target, 0.03) * ramp_gain(k, n, ramp)) as f32
        })
        .collect();
    normalize_peak(&mut out, peak);
    out
}

/// Music-like audio: notes (fundamental Hz) held `note_ms` each, back to back, each with
/// harmonics 2..=5 at falling levels, a 10 ms attack, a decay to 70 % and a 40 ms release;
/// `chord` adds a major third and a fifth above every other note.
pub fn music(notes: &[f64], note_ms: f64, peak: f32, chord: bool) -> Vec<f32> {
    let mut out = Vec::new();
    for (i, &f) in notes.iter().enumerate() {
        let n = ms(note_ms);
        let voices: Vec<f64> = if chord && i % 2 == 1 {
            vec![f, f * 1.26, f * 1.5]
        } else {
            vec![f]
        };
        for k in 0..n {
            let t = k as f64 / RATE as f64;
            let attack = (k as f64 / ms(10.0) as f64).min(1.0);
            let decay = 0.7 + 0.3 * (-t / 0.08).exp();
            let release = ((n - k) as f64 / ms(40.0) as f64).min(1.0);
            let mut s = 0.0;
            for &v in &voices {
                for h in 1..=5 {
                    let fh = v * h as f64;
                    if fh < 3800.0 {
                        s += (TAU * fh * t).sin() / (h * h) as f64;
                    }
                }
            }
            out.push((s * attack * decay * release) as f32);
        }
    }
    normalize_peak(&mut out, peak);
    out
}

/// G.711 mu-law: encodes a 16-bit sample to a byte.
fn mulaw_encode(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32635;
    let mut s = sample as i32;
    let sign = if s < 0 { 0x80 } else { 0 };
    if s < 0 {
        s = -s;
    }
    s = s.min(CLIP) + BIAS;
    let mut exponent = 7;
    let mut mask = 0x4000;
    while s & mask == 0 && exponent > 0 {
        exponent -= 1;
        mask >>= 1;
    }
    let mantissa = (s >> (exponent + 3)) & 0x0F;
    !((sign | (exponent << 4) | mantissa) as u8)
}

/// G.711 mu-law: decodes a byte to a 16-bit sample.
fn mulaw_decode(byte: u8) -> i16 {
    const BIAS: i32 = 0x84;
    let u = !byte as i32;
    let exponent = (u >> 4) & 7;
    let mantissa = u & 0x0F;
    let magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    (if u & 0x80 != 0 { -magnitude } else { magnitude }) as i16
}

/// Passes the signal through a G.711 mu-law encoder and decoder (8-bit companding).
pub fn mulaw_round_trip(x: &mut [f32]) {
    for v in x {
        let s = (*v * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
        *v = mulaw_decode(mulaw_encode(s)) as f32 / 32768.0;
    }
}

/// A biquad section (RBJ cookbook), direct form I.
#[derive(Debug, Clone)]
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
    x: [f64; 2],
    y: [f64; 2],
}

impl Biquad {
    fn new(high_pass: bool, freq: f64) -> Self {
        let w = TAU * freq / RATE as f64;
        let (sin, cos) = w.sin_cos();
        let alpha = sin / (2.0 * std::f64::consts::FRAC_1_SQRT_2);
        let a0 = 1.0 + alpha;
        let b = if high_pass {
            [(1.0 + cos) / 2.0, -(1.0 + cos), (1.0 + cos) / 2.0]
        } else {
            [(1.0 - cos) / 2.0, 1.0 - cos, (1.0 - cos) / 2.0]
        };
        Self {
            b: b.map(|v| v / a0),
            a: [-2.0 * cos / a0, (1.0 - alpha) / a0],
            x: [0.0; 2],
            y: [0.0; 2],
        }
    }

    fn step(&mut self, x: f64) -> f64 {
        let y = self.b[0] * x + self.b[1] * self.x[0] + self.b[2] * self.x[1]
            - self.a[0] * self.y[0]
            - self.a[1] * self.y[1];
        self.x = [x, self.x[0]];
        self.y = [y, self.y[0]];
        y
    }
}

/// The telephone channel: 4th-order Butterworth-ish band-pass, 300–3400 Hz (two high-pass
/// and two low-pass biquads).
pub fn band_pass(x: &mut [f32]) {
    let mut stages = [
        Biquad::new(true, 300.0),
        Biquad::new(true, 300.0),
        Biquad::new(false, 3400.0),
        Biquad::new(false, 3400.0),
    ];
    for v in x {
        let mut s = *v as f64;
        for st in &mut stages {
            s = st.step(s);
        }
        *v = s as f32;
    }
}

/// Multiplies by a linear factor.
pub fn scale(x: &mut [f32], factor: f32) {
    for v in x {
        *v *= factor;
    }
}

/// Applies a gain in dB.
pub fn gain_db(x: &mut [f32], gain: f64) {
    scale(x, db(gain));
}

/// Adds a DC offset.
pub fn add_dc(x: &mut [f32], dc: f32) {
    for v in x {
        *v += dc;
    }
}

/// Hard clipping at ±`level`.
pub fn clip(x: &mut [f32], level: f32) {
    for v in x {
        *v = v.clamp(-level, level);
    }
}

/// Adds `other` sample by sample (as far as both reach).
pub fn mix(x: &mut [f32], other: &[f32]) {
    for (v, o) in x.iter_mut().zip(other) {
        *v += o;
    }
}

/// A timeline: signals appended one after another; offsets returned for the known answers.
#[derive(Debug, Clone, Default)]
pub struct Track {
    pub samples: Vec<f32>,
}

impl Track {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `s`; returns its (start, end) sample offsets.
    pub fn push(&mut self, s: &[f32]) -> (usize, usize) {
        let start = self.samples.len();
        self.samples.extend_from_slice(s);
        (start, self.samples.len())
    }

    /// Appends `ms` of digital silence (background noise is added over the whole track).
    pub fn quiet(&mut self, dur_ms: f64) -> (usize, usize) {
        let start = self.samples.len();
        self.samples.resize(start + ms(dur_ms), 0.0);
        (start, self.samples.len())
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Adds white line noise of RMS `level` over the whole track.
    pub fn with_white(mut self, level: f32, rng_state: u64) -> Self {
        let n = white(self.len(), level, rng_state);
        mix(&mut self.samples, &n);
        self
    }

    /// Adds pink line noise of RMS `level` over the whole track.
    pub fn with_pink(mut self, level: f32, rng_state: u64) -> Self {
        let n = pink(self.len(), level, rng_state);
        mix(&mut self.samples, &n);
        self
    }
}
