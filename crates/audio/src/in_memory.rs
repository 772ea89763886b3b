//! Audio held in memory rather than in a file: a `<Play>` URL's body fetched over HTTP,
//! and a recording served back as a WAV body.
//!
//! Decoding goes through exactly the same path as a file ([`open_input`] on an
//! [`Input`] that holds the bytes, then an [`AudioStream`] on the caller's thread), so
//! `serve` plays every format `scenario` and `detect` read, with the same checks. The
//! caller bounds the bytes' size (the server's media fetch has a body limit).
//!
//! [`open_input`]: crate::open_input

use std::io::Cursor;
use std::path::Path;

use crate::error::AudioError;
use crate::input::Input;
use crate::source::open_input;
use crate::stream::{AudioStream, StreamOptions};

/// Decodes audio bytes of any supported format to mono at `rate`. `name` names the audio in
/// errors (a URL, say).
pub fn decode_bytes(bytes: &[u8], rate: u32, name: &str) -> Result<Vec<f32>, AudioError> {
    let input = Input::from_bytes(name, bytes.to_vec());
    let source = open_input(&input)?;
    let stream = AudioStream::from_source(
        Path::new(name),
        source,
        StreamOptions::for_rate(rate).on_callers_thread(),
    )?;
    let mut samples = Vec::new();
    stream.for_each_chunk(|chunk| samples.extend_from_slice(chunk))?;
    Ok(samples)
}

/// Encodes mono samples at `rate` as a 16-bit PCM WAV file, clipped to full scale.
pub fn encode_wav(samples: &[f32], rate: u32) -> Result<Vec<u8>, hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::new());
    {
        let mut writer = hound::WavWriter::new(&mut bytes, spec)?;
        for &s in samples {
            // NaN maps to 0 (`as` saturates and sends NaN to 0).
            writer.write_sample((s.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16)?;
        }
        writer.finalize()?;
    }
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AudioErrorKind;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn wav_round_trip_at_the_line_rate() {
        let tone: Vec<f32> = (0..800).map(|i| (i as f32 * 0.1).sin() * 0.5).collect();
        let wav = encode_wav(&tone, 8000).unwrap();
        assert_eq!(&wav[..4], b"RIFF");
        let back = decode_bytes(&wav, 8000, "tone").unwrap();
        assert_eq!(back.len(), tone.len());
        assert!(back.iter().zip(&tone).all(|(a, b)| (a - b).abs() < 1e-3));
    }

    #[test]
    fn every_format_decodes_from_memory_to_its_length() {
        // The WAV is 8.375 s; every encoding of it decodes to that length within a frame.
        for file in [
            "machine_beep.wav",
            "formats/machine_beep.mp3",
            "formats/machine_beep.m4a",
            "formats/machine_beep.flac",
            "formats/machine_beep.ogg",
            "formats/machine_beep_ulaw.wav",
        ] {
            let samples = decode_bytes(&fixture(file), 8000, file).unwrap();
            let seconds = samples.len() as f64 / 8000.0;
            assert!((seconds - 8.375).abs() < 0.01, "{file}: {seconds} s");
        }
    }

    #[test]
    fn garbage_is_an_error_naming_the_audio() {
        let e = decode_bytes(b"not audio", 8000, "http://app/x.wav").unwrap_err();
        assert_eq!(e.path, Path::new("http://app/x.wav"));
        assert!(matches!(e.kind, AudioErrorKind::NotWav(_)), "{e}");
    }
}
