//! Whole-signal sample-rate conversion with rubato's synchronous FFT resampler.
//!
//! Speech clips are stored at 8 kHz and a call may be written at 8-48 kHz; a user's own
//! recordings come at any rate. The FFT resampler keeps alias products near -80 dB. Its
//! filter delay ([`rubato::Resampler::output_delay`]) is dropped and the tail flushed, so
//! output sample `n` is the input at time `n / to` and the length is
//! `ceil(len · to / from)`: a clip placed at a sample index starts exactly there.

use rubato::audioadapter_buffers::direct::SequentialSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler as _};

/// Input chunk length asked of rubato.
const CHUNK: usize = 1024;

/// `input` at `from` Hz, converted to `to` Hz.
pub fn resample(input: &[f32], from: u32, to: u32) -> Result<Vec<f32>, String> {
    if from == to || input.is_empty() {
        return Ok(input.to_vec());
    }
    let mut fft = Fft::<f32>::new(from as usize, to as usize, CHUNK, 1, FixedSync::Input)
        .map_err(|e| e.to_string())?;
    let expected = (input.len() as u128 * u128::from(to)).div_ceil(u128::from(from)) as usize;
    let mut skip = fft.output_delay();
    let mut out = Vec::with_capacity(expected + CHUNK);
    let mut buf = vec![0.0f32; fft.output_frames_max()];
    let mut pos = 0;
    let mut guard = 0;
    while out.len() < expected {
        let need = fft.input_frames_next();
        let have = input.len().saturating_sub(pos).min(need);
        let chunk = &input[pos..pos + have];
        pos += have;
        let src = SequentialSlice::new(chunk, 1, have).map_err(|e| e.to_string())?;
        let frames = buf.len();
        let mut dst =
            SequentialSlice::new_mut(&mut buf[..], 1, frames).map_err(|e| e.to_string())?;
        let indexing = (have < need).then(|| Indexing::new().partial_len(have));
        let (_, produced) = fft
            .process_into_buffer(&src, &mut dst, indexing.as_ref())
            .map_err(|e| e.to_string())?;
        let drop = skip.min(produced);
        skip -= drop;
        out.extend_from_slice(&buf[drop..produced]);
        if have < need {
            guard += 1;
            if guard > 1000 {
                return Err("the resampler stopped producing output".to_owned());
            }
        }
    }
    out.truncate(expected);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_length_and_timing() {
        let mut x = vec![0.0f32; 8000];
        x[4000] = 1.0;
        let y = resample(&x, 8000, 48_000).unwrap();
        assert_eq!(y.len(), 48_000);
        let peak = y
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .map(|(i, _)| i)
            .unwrap();
        assert!((peak as i64 - 24_000).abs() <= 1, "click at {peak}");
        let z = resample(&y, 48_000, 8000).unwrap();
        assert_eq!(z.len(), 8000);
    }
}
