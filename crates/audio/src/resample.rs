//! Streaming sample-rate conversion to the detector's rate.
//!
//! rubato's synchronous FFT resampler: its anti-alias filter leaves about −80 dB of alias
//! when going down to 8 kHz, at well under a millisecond per second of audio (see
//! DEPENDENCIES.md; the polynomial resampler has no anti-alias filter and must not be used
//! to reach 8 kHz). It works on fixed input chunks and delays its output by
//! [`rubato::Resampler::output_delay`] frames; we drop that delay and pad the end, so that
//! output sample `n` is the input at time `n / to`: event times stay exact across a rate
//! change and the length is `ceil(len · to / from)`.
//!
//! The FFT resampler works on the rates' reduced fraction: 44.1 kHz → 8 kHz is 441/80, but
//! an odd rate such as 667,927 Hz (a damaged header; or 11,127 Hz, an old Mac's) reduces to
//! itself, and a 667,927-point filter takes seconds to build for a 57-byte file. A pair
//! whose reduced input side exceeds [`MAX_FFT_INPUT`] goes through rubato's asynchronous
//! sinc resampler instead (a 256-tap windowed sinc, the same anti-alias window), whose
//! cost does not depend on the fraction.
//!
//! When the rates already match, samples pass through untouched. [`resample`] converts a
//! whole signal held in memory the same way (the synthesiser renders calls at 8-48 kHz).

use rubato::audioadapter_buffers::direct::SequentialSlice;
use rubato::{Async, Fft, FixedAsync, FixedSync, Indexing, SincInterpolationParameters};

use crate::error::AudioErrorKind;

/// Input chunk length asked of rubato (it may round it to suit the rate pair).
const CHUNK_FRAMES: usize = 1024;

/// The largest reduced input side (`from / gcd(from, to)`) the FFT resampler is used for:
/// every standard rate is far below (44.1 kHz → 8 kHz is 441), and its filter is built in
/// microseconds; above it, the sinc resampler.
pub const MAX_FFT_INPUT: u32 = 4096;

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Converts a mono stream from one rate to another, block by block.
#[derive(Debug)]
pub struct Resampler {
    stage: Option<FftStage>,
}

impl Resampler {
    /// A converter from `from` Hz to `to` Hz; a pass-through when they are equal.
    pub fn new(from: u32, to: u32) -> Result<Self, AudioErrorKind> {
        if from == to {
            return Ok(Self { stage: None });
        }
        let err = |e: rubato::ResamplerConstructionError| AudioErrorKind::Resample(e.to_string());
        let fft: Box<dyn rubato::Resampler<f32>> = if from / gcd(from, to).max(1) <= MAX_FFT_INPUT {
            Box::new(
                Fft::<f32>::new(
                    from as usize,
                    to as usize,
                    CHUNK_FRAMES,
                    1,
                    FixedSync::Input,
                )
                .map_err(err)?,
            )
        } else {
            Box::new(
                Async::<f32>::new_sinc(
                    f64::from(to) / f64::from(from),
                    1.0,
                    &SincInterpolationParameters::default(),
                    CHUNK_FRAMES,
                    1,
                    FixedAsync::Input,
                )
                .map_err(err)?,
            )
        };
        let to_trim = fft.output_delay();
        let out = vec![0.0; fft.output_frames_max()];
        Ok(Self {
            stage: Some(FftStage {
                pending: Vec::with_capacity(fft.input_frames_max()),
                fft,
                out,
                to_trim,
                from: u64::from(from),
                to: u64::from(to),
                consumed: 0,
                emitted: 0,
            }),
        })
    }

    /// Whether samples are passed through unchanged.
    pub fn is_passthrough(&self) -> bool {
        self.stage.is_none()
    }

    /// Feeds `input`; hands every completed block of output to `emit`.
    pub fn process(
        &mut self,
        input: &[f32],
        emit: &mut dyn FnMut(&[f32]),
    ) -> Result<(), AudioErrorKind> {
        match &mut self.stage {
            None => {
                if !input.is_empty() {
                    emit(input);
                }
                Ok(())
            }
            Some(stage) => stage.process(input, emit),
        }
    }

    /// Ends the stream: flushes what the resampler still holds, up to the exact length.
    pub fn finish(&mut self, emit: &mut dyn FnMut(&[f32])) -> Result<(), AudioErrorKind> {
        match &mut self.stage {
            None => Ok(()),
            Some(stage) => stage.finish(emit),
        }
    }
}

/// `input` at `from` Hz converted to `to` Hz in one go: output sample `n` is the input at
/// time `n / to` (the filter delay dropped) and the length is `ceil(len · to / from)`.
pub fn resample(input: &[f32], from: u32, to: u32) -> Result<Vec<f32>, AudioErrorKind> {
    let mut r = Resampler::new(from, to)?;
    let expected = (input.len() as u128 * u128::from(to)).div_ceil(u128::from(from.max(1)));
    let mut out = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    r.process(input, &mut |s| out.extend_from_slice(s))?;
    r.finish(&mut |s| out.extend_from_slice(s))?;
    Ok(out)
}

struct FftStage {
    /// The FFT resampler, or for an awkward rate pair the sinc one.
    fft: Box<dyn rubato::Resampler<f32>>,
    /// Input not yet handed to rubato (less than one chunk between calls).
    pending: Vec<f32>,
    out: Vec<f32>,
    /// Output frames still to drop at the start (the filter delay).
    to_trim: usize,
    from: u64,
    to: u64,
    /// Input frames received.
    consumed: u64,
    /// Output frames emitted.
    emitted: u64,
}

impl std::fmt::Debug for FftStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FftStage")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("consumed", &self.consumed)
            .field("emitted", &self.emitted)
            .finish_non_exhaustive()
    }
}

impl FftStage {
    fn process(
        &mut self,
        input: &[f32],
        emit: &mut dyn FnMut(&[f32]),
    ) -> Result<(), AudioErrorKind> {
        self.consumed += input.len() as u64;
        self.pending.extend_from_slice(input);
        let mut start = 0;
        loop {
            let need = self.fft.input_frames_next();
            if self.pending.len() - start < need {
                break;
            }
            self.run(start, need, None, emit)?;
            start += need;
        }
        self.pending.drain(..start);
        Ok(())
    }

    fn finish(&mut self, emit: &mut dyn FnMut(&[f32])) -> Result<(), AudioErrorKind> {
        // ceil(consumed · to / from): every input instant gets an output sample.
        let expected = (u128::from(self.consumed) * u128::from(self.to))
            .div_ceil(u128::from(self.from)) as u64;
        let left = self.pending.len();
        if left > 0 {
            self.run(0, left, Some(left), emit)?;
            self.pending.clear();
        }
        // Pump silence until the delayed tail is out. Each call yields at least one output
        // frame, so this ends; the bound is a guard against a resampler bug.
        let mut guard = 0;
        while self.emitted < expected {
            self.run(0, 0, Some(0), emit)?;
            guard += 1;
            if guard > 1000 {
                return Err(AudioErrorKind::Resample(
                    "the resampler stopped producing output".to_owned(),
                ));
            }
        }
        Ok(())
    }

    /// Resamples `pending[start..start + len]` (a full chunk, or a last `partial` one).
    fn run(
        &mut self,
        start: usize,
        len: usize,
        partial: Option<usize>,
        emit: &mut dyn FnMut(&[f32]),
    ) -> Result<(), AudioErrorKind> {
        let err = |e: &dyn std::fmt::Display| AudioErrorKind::Resample(e.to_string());
        let input =
            SequentialSlice::new(&self.pending[start..start + len], 1, len).map_err(|e| err(&e))?;
        let out_frames = self.out.len();
        let mut output =
            SequentialSlice::new_mut(&mut self.out[..], 1, out_frames).map_err(|e| err(&e))?;
        let indexing = partial.map(|n| Indexing::new().partial_len(n));
        let (_, produced) = self
            .fft
            .process_into_buffer(&input, &mut output, indexing.as_ref())
            .map_err(|e| err(&e))?;
        let trim = self.to_trim.min(produced);
        self.to_trim -= trim;
        let expected_total = if partial.is_some() {
            (u128::from(self.consumed) * u128::from(self.to)).div_ceil(u128::from(self.from)) as u64
        } else {
            u64::MAX
        };
        let room = expected_total.saturating_sub(self.emitted);
        let keep = ((produced - trim) as u64).min(room) as usize;
        if keep > 0 {
            emit(&self.out[trim..trim + keep]);
            self.emitted += keep as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Index of the sample of largest magnitude (where a click came out).
    fn loudest(y: &[f32]) -> usize {
        y.iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map_or(0, |(i, _)| i)
    }

    fn resample_all(input: &[f32], from: u32, to: u32, block: usize) -> Vec<f32> {
        let mut r = Resampler::new(from, to).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(block) {
            r.process(chunk, &mut |s| out.extend_from_slice(s)).unwrap();
        }
        r.finish(&mut |s| out.extend_from_slice(s)).unwrap();
        out
    }

    fn sine(freq: f64, rate: u32, secs: f64) -> Vec<f32> {
        let n = (f64::from(rate) * secs) as usize;
        (0..n)
            .map(|i| {
                (0.5 * (std::f64::consts::TAU * freq * i as f64 / f64::from(rate)).sin()) as f32
            })
            .collect()
    }

    /// Frequency from zero crossings over the middle of the signal (away from edge effects).
    fn crossing_freq(x: &[f32], rate: u32) -> f64 {
        let mid = &x[x.len() / 4..x.len() * 3 / 4];
        let crossings: Vec<usize> = mid
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
            .map(|(i, _)| i)
            .collect();
        let (first, last) = (crossings[0], crossings[crossings.len() - 1]);
        (crossings.len() - 1) as f64 * f64::from(rate) / (last - first) as f64
    }

    #[test]
    fn equal_rates_pass_through() {
        let x = sine(1000.0, 8000, 0.1);
        let r = Resampler::new(8000, 8000).unwrap();
        assert!(r.is_passthrough());
        assert_eq!(resample_all(&x, 8000, 8000, 77), x);
    }

    #[test]
    fn sine_keeps_frequency_and_length() {
        for (from, block) in [(44_100, 1000), (16_000, 333), (48_000, 4096), (11_025, 7)] {
            let x = sine(1000.0, from, 1.0);
            let y = resample_all(&x, from, 8000, block);
            let expected = (x.len() as u64 * 8000).div_ceil(u64::from(from)) as usize;
            assert_eq!(y.len(), expected, "length from {from} Hz");
            let f = crossing_freq(&y, 8000);
            assert!((f - 1000.0).abs() < 1.0, "from {from} Hz: {f} Hz");
            // Level is kept (passband gain ≈ 1). RMS, not peak: at 8 samples per cycle
            // the samples need not land on the crest.
            let mid = &y[y.len() / 4..y.len() * 3 / 4];
            let rms = (mid.iter().map(|v| v * v).sum::<f32>() / mid.len() as f32).sqrt();
            let want = 0.5 / 2f32.sqrt();
            assert!((rms / want - 1.0).abs() < 0.01, "from {from} Hz: rms {rms}");
        }
    }

    #[test]
    fn an_odd_rate_goes_through_the_sinc_resampler_with_time_and_tone_kept() {
        // 11,127 Hz and 667,927 Hz reduce to themselves against 8 kHz: far past the FFT
        // resampler's bound, which would build a filter that long.
        for from in [11_127u32, 667_927] {
            assert!(from / gcd(from, 8000) > MAX_FFT_INPUT);
            let x = sine(1000.0, from, 0.5);
            let y = resample_all(&x, from, 8000, 700);
            let expected = (x.len() as u64 * 8000).div_ceil(u64::from(from)) as usize;
            assert_eq!(y.len(), expected, "length from {from} Hz");
            let f = crossing_freq(&y, 8000);
            assert!((f - 1000.0).abs() < 1.0, "from {from} Hz: {f} Hz");
        }
        // A click keeps its time.
        let from = 11_127u32;
        let mut x = vec![0.0f32; from as usize];
        x[from as usize / 2] = 1.0;
        let y = resample_all(&x, from, 8000, 512);
        let peak_at = loudest(&y);
        assert!((peak_at as i64 - 4000).abs() <= 1, "click at {peak_at}");
    }

    #[test]
    fn delay_is_removed() {
        // A click at 0.5 s must come out at 0.5 s.
        let from = 44_100;
        let mut x = vec![0.0f32; from as usize];
        x[from as usize / 2] = 1.0;
        let y = resample_all(&x, from, 8000, 512);
        let peak_at = loudest(&y);
        assert!((peak_at as i64 - 4000).abs() <= 1, "click at {peak_at}");
    }

    #[test]
    fn whole_signal_keeps_length_and_timing() {
        let mut x = vec![0.0f32; 8000];
        x[4000] = 1.0;
        let y = resample(&x, 8000, 48_000).unwrap();
        assert_eq!(y.len(), 48_000);
        let peak = loudest(&y);
        assert!((peak as i64 - 24_000).abs() <= 1, "click at {peak}");
        assert_eq!(resample(&y, 48_000, 8000).unwrap().len(), 8000);
        assert_eq!(resample(&x, 8000, 8000).unwrap(), x);
        assert_eq!(resample(&x[..1001], 8000, 22_050).unwrap().len(), 2760);
    }

    #[test]
    fn upsampling_works_too() {
        let x = sine(440.0, 4000, 0.5);
        let y = resample_all(&x, 4000, 8000, 100);
        assert_eq!(y.len(), 4000);
        assert!((crossing_freq(&y, 8000) - 440.0).abs() < 1.0);
    }

    #[test]
    fn aliasing_is_suppressed() {
        // 6 kHz at 44.1 kHz is above the 4 kHz Nyquist of 8 kHz: it must vanish, not fold
        // back to 2 kHz.
        let x = sine(6000.0, 44_100, 0.5);
        let y = resample_all(&x, 44_100, 8000, 1024);
        let mid = &y[y.len() / 4..y.len() * 3 / 4];
        let rms = (mid.iter().map(|v| v * v).sum::<f32>() / mid.len() as f32).sqrt();
        assert!(rms < 0.5 / 2f32.sqrt() * 0.01, "alias rms {rms}");
    }
}
