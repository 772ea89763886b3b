//! Audio held in memory rather than in a file: a `<Play>` URL's body fetched over HTTP,
//! and a recording served back as a WAV body.
//!
//! Decoding goes through exactly the same path as a file ([`open_source`], then an
//! [`AudioStream`] on the caller's thread), so `serve` plays every format `scenario` and
//! `detect` read, with the same checks. The decoders sniff and re-read their input by path
//! (the WAV header reader, the MP4 edit-list reader and hound each open it), so the bytes
//! are written to a private temporary file for the duration of the decode and removed
//! afterwards; the caller bounds their size (the server's media fetch has a body limit).
//!
//! [`open_source`]: crate::open_source

use std::io::{Cursor, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{AudioError, AudioErrorKind};
use crate::stream::{AudioStream, StreamOptions};

/// Decodes audio bytes of any supported format to mono at `rate`. `name` names the audio in
/// errors (a URL, say).
pub fn decode_bytes(bytes: &[u8], rate: u32, name: &str) -> Result<Vec<f32>, AudioError> {
    let scratch =
        ScratchFile::write(bytes).map_err(|e| AudioError::new(name, AudioErrorKind::Io(e)))?;
    let renamed = |e: AudioError| AudioError::new(name, e.kind);
    let stream = AudioStream::open(
        scratch.path(),
        StreamOptions::for_rate(rate).on_callers_thread(),
    )
    .map_err(renamed)?;
    let mut samples = Vec::new();
    stream
        .for_each_chunk(|chunk| samples.extend_from_slice(chunk))
        .map_err(renamed)?;
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

/// A file in the system temporary directory, removed on drop.
struct ScratchFile(PathBuf);

impl ScratchFile {
    fn write(bytes: &[u8]) -> std::io::Result<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "ringside-audio-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let mut file = std::fs::File::create_new(&path)?;
        let scratch = ScratchFile(path);
        file.write_all(bytes)?;
        Ok(scratch)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
