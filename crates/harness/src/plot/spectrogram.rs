//! A streaming spectrogram of the telephone band, kept small enough for hour-long calls.
//!
//! 256-point real FFT with a Hann window, a hop of 10 ms (the detector's hop, so columns
//! line up with its decisions), magnitudes in dB relative to full scale. Each column keeps
//! only the bins up to [`MAX_HZ`] as one byte each (0.5 dB steps from [`FLOOR_DB`]), so a
//! minute of audio costs about 8 KB at 8 kHz; the audio itself is not kept.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

/// FFT length: 32 ms at 8 kHz, 31 Hz bins; enough to separate DTMF rows and to see a
/// beep's frequency, short enough to see its onset.
pub const FFT_LEN: usize = 256;
/// Highest frequency kept: the top of the narrowband telephone channel (G.711's Nyquist).
pub const MAX_HZ: f64 = 4000.0;
/// Lowest level shown, dB relative to a full-scale sine. Quieter bins are this colour.
pub const FLOOR_DB: f64 = -100.0;
/// Quantisation of the stored levels, dB per step.
const DB_STEP: f64 = 0.5;

/// Spectrogram columns, built as audio streams through.
pub struct Spectrogram {
    rate: u32,
    hop: usize,
    /// Bins kept per column.
    bins: usize,
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// The last `FFT_LEN` samples (and a hop's worth of new ones being gathered).
    pending: Vec<f32>,
    input: Vec<f32>,
    output: Vec<realfft::num_complex::Complex<f32>>,
    scratch: Vec<realfft::num_complex::Complex<f32>>,
    /// Column-major levels, `bins` bytes per column.
    levels: Vec<u8>,
}

impl std::fmt::Debug for Spectrogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spectrogram")
            .field("rate", &self.rate)
            .field("bins", &self.bins)
            .field("columns", &self.columns())
            .finish_non_exhaustive()
    }
}

impl Spectrogram {
    /// An empty spectrogram of audio at `rate` Hz.
    pub fn new(rate: u32) -> Self {
        let rate = rate.max(1);
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FFT_LEN);
        let bin_hz = f64::from(rate) / FFT_LEN as f64;
        let bins = ((MAX_HZ / bin_hz).floor() as usize + 1).min(FFT_LEN / 2 + 1);
        // Periodic Hann window.
        let window = (0..FFT_LEN)
            .map(|i| {
                let x = std::f32::consts::TAU * i as f32 / FFT_LEN as f32;
                0.5 - 0.5 * x.cos()
            })
            .collect();
        Self {
            rate,
            hop: (rate as usize / 100).max(1),
            bins,
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            window,
            // Starts with a window of silence, so column k is centred near k hops + 16 ms.
            pending: vec![0.0; FFT_LEN - (rate as usize / 100).max(1)],
            levels: Vec::new(),
        }
    }

    /// Adds samples; a column is produced for every full hop.
    pub fn push(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() {
            let room = FFT_LEN - self.pending.len();
            let take = room.min(samples.len());
            self.pending.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.pending.len() == FFT_LEN {
                self.column();
                self.pending.drain(..self.hop.min(FFT_LEN));
            }
        }
    }

    fn column(&mut self) {
        for ((x, w), s) in self.input.iter_mut().zip(&self.window).zip(&self.pending) {
            *x = w * s;
        }
        if self
            .fft
            .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch)
            .is_err()
        {
            // Only possible with wrongly sized buffers, which `new` rules out.
            self.levels.extend(std::iter::repeat_n(0, self.bins));
            return;
        }
        // A full-scale sine gives |X| = N/4 with a Hann window: that is 0 dB.
        let full = (FFT_LEN as f64 / 4.0).powi(2);
        for c in &self.output[..self.bins] {
            let power = f64::from(c.norm_sqr()) / full;
            let db = 10.0 * power.max(1e-20).log10();
            let q = ((db - FLOOR_DB) / DB_STEP).clamp(0.0, 255.0);
            self.levels.push(q as u8);
        }
    }

    /// Columns so far.
    pub fn columns(&self) -> usize {
        self.levels.len() / self.bins
    }

    /// Bins per column (0 Hz upwards).
    pub fn bins(&self) -> usize {
        self.bins
    }

    /// Width of one bin, Hz.
    pub fn bin_hz(&self) -> f64 {
        f64::from(self.rate) / FFT_LEN as f64
    }

    /// Seconds between columns.
    pub fn hop_seconds(&self) -> f64 {
        self.hop as f64 / f64::from(self.rate)
    }

    /// Time of column `i`'s centre, seconds.
    pub fn column_time(&self, i: usize) -> f64 {
        // Column i's window ends at sample (i + 1) * hop (see the silent pre-fill).
        ((i + 1) * self.hop) as f64 / f64::from(self.rate)
            - FFT_LEN as f64 / 2.0 / f64::from(self.rate)
    }

    /// Level of `bin` in column `col`, dB (at least [`FLOOR_DB`]).
    pub fn level_db(&self, col: usize, bin: usize) -> f64 {
        let q = self.levels.get(col * self.bins + bin).copied().unwrap_or(0);
        FLOOR_DB + f64::from(q) * DB_STEP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sine_peaks_in_its_bin_at_about_0_db_and_only_while_it_sounds() {
        let rate = 8000;
        let mut x = vec![0.0f32; 8000];
        for (i, v) in x.iter_mut().enumerate().skip(4000) {
            *v = (std::f32::consts::TAU * 1000.0 * i as f32 / 8000.0).sin();
        }
        let mut s = Spectrogram::new(rate);
        for chunk in x.chunks(333) {
            s.push(chunk);
        }
        assert_eq!(s.columns(), 100);
        assert_eq!(s.bins(), 129);
        let bin = (1000.0 / s.bin_hz()).round() as usize;
        let late = s.level_db(80, bin);
        assert!((late - 0.0).abs() < 1.0, "{late} dB");
        assert!(s.level_db(80, bin + 10) < -40.0);
        assert!(s.level_db(20, bin) <= FLOOR_DB + 1.0);
        // Onset: the column whose centre is ~0.5 s is where the level rises.
        let rise = (0..s.columns())
            .find(|&c| s.level_db(c, bin) > -10.0)
            .unwrap();
        assert!(
            (s.column_time(rise) - 0.5).abs() < 0.02,
            "{}",
            s.column_time(rise)
        );
    }
}
