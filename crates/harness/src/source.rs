//! Where audio comes from: a decoder behind one trait, chosen by sniffing the file.
//!
//! Only WAV is decoded today (hound). Compressed formats (MP3, FLAC, OGG via rodio) are
//! recognised by their magic bytes and rejected with a clear message; adding one means a
//! new [`AudioSource`] implementation and one arm in [`open_source`], nothing else.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{AudioError, AudioErrorKind};
use crate::wav::WavSource;

/// Lowest input sample rate accepted. Below this there is no telephone band left to analyse.
pub const MIN_RATE: u32 = 1000;
/// Highest input sample rate accepted (the highest common studio rate, 768 kHz, fits).
pub const MAX_RATE: u32 = 768_000;

/// How the samples are stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Encoding {
    /// Linear PCM, signed integers of this many bits (8-bit WAV is unsigned on disk).
    Int { bits: u16 },
    /// IEEE float of this many bits.
    Float { bits: u16 },
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int { bits } => write!(f, "{bits}-bit PCM"),
            Self::Float { bits } => write!(f, "{bits}-bit float"),
        }
    }
}

/// What a source holds, known once its header is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    /// Container format, e.g. `"wav"`.
    pub format: &'static str,
    /// Sample encoding.
    pub encoding: Encoding,
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels per frame.
    pub channels: u16,
    /// Number of frames, when the header says.
    pub frames: Option<u64>,
}

/// A decoder that yields interleaved `f32` frames (full scale ±1.0), a block at a time.
///
/// Implementations keep only a block in memory, so a two-hour recording streams in
/// constant space. They are `Send` so that the reader thread can own them.
pub trait AudioSource: Send + std::fmt::Debug {
    /// The stream's format.
    fn info(&self) -> &SourceInfo;

    /// Replaces `buf` with up to `max_frames` interleaved frames; returns how many frames
    /// were read, 0 at the end of the stream.
    ///
    /// A damaged stream (cut short, unreadable) is an error, not an early end.
    fn read_frames(
        &mut self,
        buf: &mut Vec<f32>,
        max_frames: usize,
    ) -> Result<usize, AudioErrorKind>;
}

/// Opens `path` with the decoder its first bytes call for.
///
/// Header problems (not audio, empty, truncated, unsupported encoding or rate) are reported
/// here, before any audio is decoded.
pub fn open_source(path: &Path) -> Result<Box<dyn AudioSource>, AudioError> {
    let err = |kind| AudioError::new(path, kind);
    let mut file = File::open(path).map_err(|e| err(AudioErrorKind::Io(e)))?;
    let mut magic = [0u8; 12];
    let n = read_up_to(&mut file, &mut magic).map_err(|e| err(AudioErrorKind::Io(e)))?;
    let magic = &magic[..n];
    match sniff(magic) {
        Sniffed::Empty => Err(err(AudioErrorKind::EmptyFile)),
        Sniffed::Wav => {
            let source = WavSource::open(path).map_err(err)?;
            check_rate(source.info().sample_rate).map_err(err)?;
            Ok(Box::new(source))
        }
        Sniffed::Compressed(name) => Err(err(AudioErrorKind::UnsupportedFormat(name))),
        Sniffed::Unknown => Err(err(AudioErrorKind::NotWav(describe_unknown(magic)))),
    }
}

fn check_rate(rate: u32) -> Result<(), AudioErrorKind> {
    if (MIN_RATE..=MAX_RATE).contains(&rate) {
        Ok(())
    } else {
        Err(AudioErrorKind::SampleRate(rate))
    }
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[derive(Debug, PartialEq, Eq)]
enum Sniffed {
    Empty,
    Wav,
    Compressed(&'static str),
    Unknown,
}

/// Classifies a file by its first (up to 12) bytes.
fn sniff(magic: &[u8]) -> Sniffed {
    if magic.is_empty() {
        return Sniffed::Empty;
    }
    // A RIFF header whose form type is WAVE; hound reports anything wrong after that.
    // A file shorter than 12 bytes that starts with "RIFF" goes to hound too, which then
    // reports the header as cut short.
    if magic.starts_with(b"RIFF") && (magic.len() < 12 || &magic[8..12] == b"WAVE") {
        return Sniffed::Wav;
    }
    let compressed: &[(&[u8], &str)] = &[
        (b"RF64", "RF64 (64-bit WAV)"),
        (b"RIFX", "big-endian WAV (RIFX)"),
        (b"ID3", "MP3"),
        (b"fLaC", "FLAC"),
        (b"OggS", "Ogg"),
        (b"FORM", "AIFF"),
        (b".snd", "Sun/NeXT .au"),
    ];
    for (prefix, name) in compressed {
        if magic.starts_with(prefix) {
            return Sniffed::Compressed(name);
        }
    }
    // MPEG audio frame sync: 11 set bits.
    if magic.len() >= 2 && magic[0] == 0xFF && magic[1] & 0xE0 == 0xE0 {
        return Sniffed::Compressed("MP3");
    }
    if magic.len() >= 8 && &magic[4..8] == b"ftyp" {
        return Sniffed::Compressed("MP4/M4A");
    }
    Sniffed::Unknown
}

/// A short description of what an unrecognised file starts with.
fn describe_unknown(magic: &[u8]) -> String {
    if magic.starts_with(b"RIFF") {
        return "a RIFF file, but not of type WAVE".to_owned();
    }
    let printable = magic
        .iter()
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    if printable {
        format!(
            "it starts with the text {:?}",
            String::from_utf8_lossy(magic)
        )
    } else {
        let hex: Vec<String> = magic.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!(
            "no RIFF/WAVE header; it starts with bytes {}",
            hex.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_known_magics() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), Sniffed::Wav);
        assert_eq!(sniff(b"RIFF\0\0"), Sniffed::Wav);
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI "), Sniffed::Unknown);
        assert_eq!(sniff(b"fLaC\0\0\0"), Sniffed::Compressed("FLAC"));
        assert_eq!(sniff(b"ID3\x04"), Sniffed::Compressed("MP3"));
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x00]), Sniffed::Compressed("MP3"));
        assert_eq!(sniff(b"OggS\0\x02"), Sniffed::Compressed("Ogg"));
        assert_eq!(sniff(b"hello world\n"), Sniffed::Unknown);
    }

    #[test]
    fn describes_text_and_binary() {
        assert!(describe_unknown(b"hello").contains("text"));
        assert!(describe_unknown(&[0, 1, 2, 3]).contains("00 01 02 03"));
    }
}
