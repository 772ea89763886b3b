//! Windowed real FFT front end: one power spectrum per 10 ms hop.
//!
//! A 32 ms Hann window (256 points at 8 kHz, 512 at 16 kHz) gives 31.25 Hz bins: enough to
//! separate the DTMF/call-progress pairs from single tones and to place a peak to a few Hz
//! with parabolic interpolation, while still following 80 ms beep bursts. The window slides
//! by one hop, so consecutive frames overlap by 22 ms.

use std::sync::Arc;

use realfft::num_complex::Complex32;
use realfft::{RealFftPlanner, RealToComplex};

use crate::shared::{Cache, get_or_build};

/// FFT plans (twiddle tables) are immutable and the same for every call: one per size per
/// process, shared, so a call's own state is only its buffers.
fn shared_plan(size: usize) -> Arc<dyn RealToComplex<f32>> {
    static PLANS: Cache<usize, dyn RealToComplex<f32>> = Cache::new();
    get_or_build(&PLANS, size, || {
        RealFftPlanner::<f32>::new().plan_fft_forward(size)
    })
}

/// Computes power spectra of fixed-size windows. All buffers are allocated once.
pub(crate) struct Spectrum {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    input: Vec<f32>,
    output: Vec<Complex32>,
    scratch: Vec<Complex32>,
    power: Vec<f32>,
    sample_rate: f32,
}

impl std::fmt::Debug for Spectrum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spectrum")
            .field("size", &self.window.len())
            .finish()
    }
}

impl Spectrum {
    /// A spectrum analyser for windows of `size` samples (a power of two) at `sample_rate`.
    pub(crate) fn new(size: usize, sample_rate: u32) -> Self {
        let fft = shared_plan(size);
        let input = fft.make_input_vec();
        let output = fft.make_output_vec();
        let scratch = fft.make_scratch_vec();
        // Periodic Hann: its overlapped copies at a hop of size/4 sum to a constant.
        let window = (0..size)
            .map(|i| {
                let x = std::f32::consts::TAU * i as f32 / size as f32;
                0.5 - 0.5 * x.cos()
            })
            .collect();
        let power = vec![0.0; size / 2 + 1];
        Self {
            fft,
            window,
            input,
            output,
            scratch,
            power,
            sample_rate: sample_rate as f32,
        }
    }

    /// Width of one bin in Hz.
    pub(crate) fn bin_hz(&self) -> f32 {
        self.sample_rate / self.window.len() as f32
    }

    /// The bin nearest `hz`, clamped to the spectrum.
    pub(crate) fn bin_of(&self, hz: f32) -> usize {
        ((hz / self.bin_hz()).round().max(0.0) as usize).min(self.power.len() - 1)
    }

    /// The spectrum computed by the last [`Self::analyze`].
    pub(crate) fn last_power(&self) -> &[f32] {
        &self.power
    }

    /// Power spectrum of `frame` (exactly [`Self::size`] samples, oldest first).
    ///
    /// Scaled so that a full-scale sine of amplitude 1 has a total power of about 0.5 summed
    /// over its main lobe, like its mean square: power figures are comparable across window
    /// sizes and sample rates.
    pub(crate) fn analyze(&mut self, frame: &[f32]) -> &[f32] {
        for ((dst, x), w) in self.input.iter_mut().zip(frame).zip(&self.window) {
            *dst = x * w;
        }
        // The only error realfft reports is a buffer of the wrong length, which the
        // constructor rules out; fall back to silence rather than panic.
        if self
            .fft
            .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch)
            .is_err()
        {
            self.power.fill(0.0);
            return &self.power;
        }
        // Hann window: sum(w^2) = 3N/8. Parseval: sum |X|^2 (both halves) = N * sum (x w)^2.
        let n = self.window.len() as f32;
        let scale = 2.0 / (n * n * 3.0 / 8.0);
        for (p, c) in self.power.iter_mut().zip(&self.output) {
            *p = c.norm_sqr() * scale;
        }
        &self.power
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Slow, obviously correct reference.
    fn naive_dft_power(x: &[f32], w: &[f32]) -> Vec<f64> {
        let n = x.len();
        (0..=n / 2)
            .map(|k| {
                let (mut re, mut im) = (0.0f64, 0.0f64);
                for (i, (&xi, &wi)) in x.iter().zip(w).enumerate() {
                    let a = -std::f64::consts::TAU * (k * i) as f64 / n as f64;
                    re += (xi * wi) as f64 * a.cos();
                    im += (xi * wi) as f64 * a.sin();
                }
                re * re + im * im
            })
            .collect()
    }

    #[test]
    fn fft_matches_naive_dft() {
        let mut s = Spectrum::new(256, 8000);
        let mut rng_state = 12345u32;
        let x: Vec<f32> = (0..256)
            .map(|i| {
                rng_state = rng_state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let noise = ((rng_state >> 16) as f32 / 32768.0) - 1.0;
                0.3 * (i as f32 * 0.37).sin() + 0.1 * noise
            })
            .collect();
        let reference = naive_dft_power(&x, &s.window.clone());
        let n = 256.0f64;
        let scale = 2.0 / (n * n * 3.0 / 8.0);
        let got = s.analyze(&x).to_vec();
        for (k, (g, r)) in got.iter().zip(&reference).enumerate() {
            let r = r * scale;
            assert!(
                ((*g as f64) - r).abs() <= 1e-4 * r.max(1e-6),
                "bin {k}: fft {g} vs dft {r}"
            );
        }
    }

    #[test]
    fn sine_power_is_its_mean_square() {
        for (size, rate) in [(256, 8000), (512, 16000)] {
            let mut s = Spectrum::new(size, rate);
            let f = 1000.0;
            let x: Vec<f32> = (0..size)
                .map(|i| 0.5 * (std::f32::consts::TAU * f * i as f32 / rate as f32).sin())
                .collect();
            let p = s.analyze(&x);
            let total: f32 = p.iter().sum();
            // Mean square of a 0.5-amplitude sine is 0.125.
            assert!((total - 0.125).abs() < 0.01, "total {total}");
            let peak = p
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(k, _)| k)
                .unwrap();
            assert_eq!(peak, s.bin_of(f));
        }
    }
}
