//! Why an audio file could not be replayed.
//!
//! Audio files come from outside the program, so every way they can be wrong is a value
//! here, never a panic. The message names the file and says what is wrong with it in terms
//! a user can act on (re-export the file, convert it, pick another one).

use std::io;
use std::path::{Path, PathBuf};

/// An audio file that could not be read, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct AudioError {
    /// The file, as it was given.
    pub path: PathBuf,
    /// What is wrong with it.
    pub kind: AudioErrorKind,
}

impl AudioError {
    /// Attaches the file name to a problem found while reading it.
    pub fn new(path: impl AsRef<Path>, kind: AudioErrorKind) -> Self {
        Self {
            path: path.as_ref().to_path_buf(),
            kind,
        }
    }
}

/// The problem with an audio file.
#[derive(Debug, thiserror::Error)]
pub enum AudioErrorKind {
    /// The file could not be opened or read from the disk.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// The file has zero bytes.
    #[error("the file is empty (0 bytes)")]
    EmptyFile,
    /// A valid WAV header, but the data chunk holds no samples.
    #[error("the WAV file holds no audio (its data chunk is empty)")]
    NoSamples,
    /// The file is not a WAV file, nor any other format we recognise.
    #[error("not a WAV file, nor MP3, FLAC, Ogg Vorbis or M4A ({0})")]
    NotWav(String),
    /// A format we recognise but cannot decode (RF64, AIFF, .au, ...).
    #[error("{0} files are not supported; convert to WAV (e.g. `sox in out.wav`)")]
    UnsupportedFormat(&'static str),
    /// A compressed (or G.711) file the decoder could not read.
    #[error("cannot decode this {format} file: {reason}")]
    Decode {
        /// The codec we expected, e.g. `"MP3"`.
        format: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// A decoded stream that ended well before the length its container announces.
    #[error(
        "truncated: the file announces {expected_seconds:.3} s of audio but only \
         {decoded_seconds:.3} s could be decoded (the file was cut short or is damaged)"
    )]
    TruncatedStream {
        /// Length according to the container.
        expected_seconds: f64,
        /// Length actually decoded.
        decoded_seconds: f64,
    },
    /// A WAV file whose header is damaged or self-contradictory.
    #[error("malformed WAV: {0}")]
    Malformed(String),
    /// A WAV encoding we cannot decode (ADPCM, 64-bit float, ...).
    #[error("unsupported WAV encoding: {0}")]
    UnsupportedEncoding(String),
    /// The file ends before the amount of audio its header announces.
    #[error(
        "truncated: the header announces {expected_bytes} bytes of audio but only \
         {actual_bytes} are present (the file was cut short, e.g. by an interrupted copy)"
    )]
    Truncated {
        /// Size of the data chunk according to the header.
        expected_bytes: u64,
        /// Bytes of the data chunk actually present in the file.
        actual_bytes: u64,
    },
    /// A sample rate we cannot convert from.
    #[error("unsupported sample rate {0} Hz (accepted: {min}..={max} Hz)", min = crate::rate::MIN_RATE, max = crate::rate::MAX_RATE)]
    SampleRate(u32),
    /// A channel count we do not accept (0, or more than [`crate::MAX_CHANNELS`]).
    #[error("unsupported channel count {0} (accepted: 1..={max})", max = crate::rate::MAX_CHANNELS)]
    Channels(u16),
    /// The input could not be opened or read: a missing file, a FIFO with no writer, ...
    #[error("{0}")]
    Input(#[from] crate::input::InputError),
    /// The file ends before its container's own structure does (an Ogg stream without its
    /// last page, an MP4 box longer than the file).
    #[error("truncated: {0} (the file was cut short, e.g. by an interrupted copy)")]
    TruncatedContainer(String),
    /// The resampler refused the stream; a bug on our side rather than in the file.
    #[error("resampling failed: {0}")]
    Resample(String),
    /// The reader thread died; a bug on our side rather than in the file.
    #[error("internal error in the audio reader: {0}")]
    Internal(String),
}
