//! Audio in and out of the line (8 kHz mono): `<Play>` audio fetched from the app's URLs,
//! and recordings written out as WAV files. (Callee greetings are loaded by the harness's
//! `ClipLibrary`.)

use std::io::Cursor;

use ringside_harness::sim::synth::RATE;
use ringside_harness::{Resampler, downmix};

/// Decodes a WAV file held in memory (a `<Play>` URL's body) to 8 kHz mono.
///
/// Only WAV is decoded: MP3 and friends need decoders the server does not carry; such a
/// prompt fails and the simulation skips it with a note, as the 2008 service skipped
/// audio it could not play.
pub fn decode_wav(bytes: &[u8]) -> Result<Vec<f32>, String> {
    let mut reader =
        hound::WavReader::new(Cursor::new(bytes)).map_err(|e| format!("not a WAV file: {e}"))?;
    let spec = reader.spec();
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| format!("bad WAV data: {e}"))?,
        hound::SampleFormat::Int => {
            let scale = 2f32.powi(i32::from(spec.bits_per_sample.clamp(1, 32)) - 1);
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 / scale))
                .collect::<Result<_, _>>()
                .map_err(|e| format!("bad WAV data: {e}"))?
        }
    };
    let mut mono = Vec::with_capacity(interleaved.len() / usize::from(spec.channels.max(1)));
    downmix(&interleaved, usize::from(spec.channels.max(1)), &mut mono);
    let mut resampler = Resampler::new(spec.sample_rate, RATE).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(mono.len());
    resampler
        .process(&mono, &mut |b| out.extend_from_slice(b))
        .map_err(|e| e.to_string())?;
    resampler
        .finish(&mut |b| out.extend_from_slice(b))
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Encodes 8 kHz mono samples as a 16-bit PCM WAV file.
pub fn encode_wav(samples: &[f32]) -> Result<Vec<u8>, String> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut bytes, spec).map_err(|e| e.to_string())?;
        for &s in samples {
            let v = (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            writer.write_sample(v).map_err(|e| e.to_string())?;
        }
        writer.finalize().map_err(|e| e.to_string())?;
    }
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_round_trip_at_the_line_rate() {
        let tone: Vec<f32> = (0..800).map(|i| (i as f32 * 0.1).sin() * 0.5).collect();
        let wav = encode_wav(&tone).unwrap();
        assert_eq!(&wav[..4], b"RIFF");
        let back = decode_wav(&wav).unwrap();
        assert_eq!(back.len(), tone.len());
        assert!(back.iter().zip(&tone).all(|(a, b)| (a - b).abs() < 1e-3));
        assert!(decode_wav(b"not audio").is_err());
    }
}
