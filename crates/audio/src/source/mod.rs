//! Where audio comes from: a decoder behind one trait, chosen by sniffing the file.
//!
//! The first bytes decide, never the file name (voicemail exports are often misnamed):
//! linear PCM and float WAV go to hound ([`WavSource`]); MP3, FLAC, Ogg Vorbis, M4A/AAC
//! and G.711 (μ-law/A-law) WAV go to rodio ([`DecodedSource`]). Formats we recognise but
//! do not decode (RF64, RIFX, AIFF, .au) are refused by name. Adding a format means a new
//! [`AudioSource`] implementation and one arm in [`open_source`], nothing else.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

mod complete;
mod decoded;
mod gapless;
mod riff;
mod wav;

pub use decoded::DecodedSource;
pub use gapless::Timing;
pub use wav::WavSource;

use crate::error::{AudioError, AudioErrorKind};
use crate::input::Input;
use crate::rate::{MAX_CHANNELS, MAX_RATE, MIN_RATE};
use decoded::Container;
use riff::{FORMAT_MULAW, WaveHeader};

/// How the samples are stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Encoding {
    /// Linear PCM, signed integers of this many bits (8-bit WAV is unsigned on disk).
    Int { bits: u16 },
    /// IEEE float of this many bits.
    Float { bits: u16 },
    /// A codec decoded to float by rodio (MP3, FLAC, Vorbis, AAC, G.711).
    Codec { name: &'static str },
}

impl Encoding {
    /// The codec's name, for decoded (non-PCM) streams.
    pub fn codec_name(&self) -> Option<&'static str> {
        match self {
            Self::Codec { name } => Some(name),
            _ => None,
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int { bits } => write!(f, "{bits}-bit PCM"),
            Self::Float { bits } => write!(f, "{bits}-bit float"),
            Self::Codec { name } => f.write_str(name),
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
    /// Whether times in the decoded stream are the recording's own (encoder delay).
    pub timing: Timing,
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

/// Opens `path` (a file, a pipe, a FIFO with a writer, or `-` for standard input) with the
/// decoder its first bytes call for.
///
/// Header problems (not audio, empty, truncated, unsupported encoding, rate or channel
/// count) are reported here, before any audio is decoded.
pub fn open_source(path: &Path) -> Result<Box<dyn AudioSource>, AudioError> {
    let input = Input::open(path).map_err(|e| AudioError::new(path, e.into()))?;
    open_input(&input)
}

/// Opens an already opened [`Input`] with the decoder its first bytes call for; errors
/// name [`Input::name`].
pub fn open_input(input: &Input) -> Result<Box<dyn AudioSource>, AudioError> {
    let err = |kind| AudioError::new(input.name(), kind);
    let mut magic = [0u8; 12];
    let n = read_up_to(&mut input.reader(), &mut magic).map_err(|e| err(AudioErrorKind::Io(e)))?;
    let magic = &magic[..n];
    let source: Box<dyn AudioSource> = match sniff(magic) {
        Sniffed::Empty => return Err(err(AudioErrorKind::EmptyFile)),
        Sniffed::Wav => match WaveHeader::read(input.reader()) {
            Some(header) => {
                header.check_format().map_err(err)?;
                if header.is_g711() {
                    // hound refuses G.711; rodio decodes it but would not notice a cut file.
                    header.check_complete(input.len()).map_err(err)?;
                    let mu_law = header.format.format_tag == FORMAT_MULAW;
                    open_decoded(input, Container::G711Wav { mu_law })?
                } else {
                    Box::new(WavSource::open(input).map_err(err)?)
                }
            }
            // Not walkable: hound says what is wrong with it.
            None => Box::new(WavSource::open(input).map_err(err)?),
        },
        Sniffed::Decoded(container) => open_decoded(input, container)?,
        Sniffed::Compressed(name) => return Err(err(AudioErrorKind::UnsupportedFormat(name))),
        Sniffed::Unknown => return Err(err(AudioErrorKind::NotWav(describe_unknown(magic)))),
    };
    check_rate(source.info().sample_rate).map_err(err)?;
    check_channels(source.info().channels).map_err(err)?;
    Ok(source)
}

fn open_decoded(input: &Input, container: Container) -> Result<Box<dyn AudioSource>, AudioError> {
    let source = DecodedSource::open(input, container)
        .map_err(|kind| AudioError::new(input.name(), kind))?;
    Ok(Box::new(source))
}

fn check_rate(rate: u32) -> Result<(), AudioErrorKind> {
    if (MIN_RATE..=MAX_RATE).contains(&rate) {
        Ok(())
    } else {
        Err(AudioErrorKind::SampleRate(rate))
    }
}

fn check_channels(channels: u16) -> Result<(), AudioErrorKind> {
    if (1..=MAX_CHANNELS).contains(&channels) {
        Ok(())
    } else {
        Err(AudioErrorKind::Channels(channels))
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The audio format `bytes` (a file's first bytes) start with, if any we recognise: so that
/// a command that expects text can say "this is an audio file" instead of "not UTF-8".
pub fn audio_format_of(bytes: &[u8]) -> Option<&'static str> {
    match sniff(&bytes[..bytes.len().min(12)]) {
        Sniffed::Wav => Some("WAV"),
        Sniffed::Decoded(container) => Some(container.codec()),
        Sniffed::Compressed(name) => Some(name),
        Sniffed::Empty | Sniffed::Unknown => None,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Sniffed {
    Empty,
    Wav,
    /// A container rodio decodes.
    Decoded(Container),
    /// A format we recognise but do not decode.
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
        (b"FORM", "AIFF"),
        (b".snd", "Sun/NeXT .au"),
    ];
    let decoded: &[(&[u8], Container)] = &[
        (b"ID3", Container::Mp3),
        (b"fLaC", Container::Flac),
        (b"OggS", Container::Ogg),
    ];
    for (prefix, container) in decoded {
        if magic.starts_with(prefix) {
            return Sniffed::Decoded(*container);
        }
    }
    for (prefix, name) in compressed {
        if magic.starts_with(prefix) {
            return Sniffed::Compressed(name);
        }
    }
    // MPEG audio frame sync: 11 set bits.
    if magic.len() >= 2 && magic[0] == 0xFF && magic[1] & 0xE0 == 0xE0 {
        return Sniffed::Decoded(Container::Mp3);
    }
    if magic.len() >= 8 && &magic[4..8] == b"ftyp" {
        return Sniffed::Decoded(Container::Mp4);
    }
    Sniffed::Unknown
}

/// A short description of what an unrecognised file starts with.
///
/// Never the bytes themselves: the file may be anything a manifest or a command line points
/// at (`/etc/shadow`), and its first bytes would end up in logs and reports. Only what kind
/// of content it looks like.
fn describe_unknown(magic: &[u8]) -> String {
    if magic.starts_with(b"RIFF") {
        return "a RIFF file, but not of type WAVE".to_owned();
    }
    let named: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "gzip-compressed data"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"%PDF", "a PDF document"),
        (b"\x7fELF", "a program (ELF)"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
    ];
    if let Some((_, name)) = named.iter().find(|(m, _)| magic.starts_with(m)) {
        return format!("it holds {name}");
    }
    let text = std::str::from_utf8(magic).is_ok_and(|t| {
        t.chars()
            .all(|c| !c.is_control() || c.is_ascii_whitespace())
    });
    if text {
        "it holds text, not audio".to_owned()
    } else {
        "it starts with no audio header we know".to_owned()
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
        assert_eq!(sniff(b"fLaC\0\0\0"), Sniffed::Decoded(Container::Flac));
        assert_eq!(sniff(b"ID3\x04"), Sniffed::Decoded(Container::Mp3));
        assert_eq!(
            sniff(&[0xFF, 0xFB, 0x90, 0x00]),
            Sniffed::Decoded(Container::Mp3)
        );
        assert_eq!(sniff(b"OggS\0\x02"), Sniffed::Decoded(Container::Ogg));
        assert_eq!(
            sniff(b"\0\0\0\x20ftypM4A "),
            Sniffed::Decoded(Container::Mp4)
        );
        assert_eq!(sniff(b"FORM\0\0\0\0AIFF"), Sniffed::Compressed("AIFF"));
        assert_eq!(sniff(b"hello world\n"), Sniffed::Unknown);
    }

    #[test]
    fn describes_text_and_binary() {
        assert!(describe_unknown(b"hello").contains("text"));
        assert!(!describe_unknown(&[0, 1, 2, 3]).contains("00"));
        // The bytes of whatever the file is never reach the message.
        let shadow = describe_unknown(b"root:$y$j9T$");
        assert!(!shadow.contains("root"), "{shadow}");
    }
}
