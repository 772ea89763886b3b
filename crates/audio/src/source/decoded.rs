//! Compressed and G.711 audio through rodio's decoders (symphonia underneath): MP3, FLAC,
//! Ogg Vorbis, M4A/AAC, and μ-law/A-law WAV.
//!
//! rodio hands out one `f32` sample at a time from a packet-sized buffer, so the file
//! streams in constant memory whatever its length. Two of its habits need care, because
//! the files come from outside:
//!
//! - It ends a damaged or cut-short stream quietly (it skips undecodable packets and stops
//!   at an I/O error). We compare the frames decoded with the length the container
//!   announces, where it announces one (FLAC STREAMINFO, MP3 Xing/LAME, MP4 `mdhd`, WAV
//!   `data`), and report a shortfall as [`AudioErrorKind::TruncatedStream`].
//!   Ogg and MP4 announce no length a cut file contradicts, so their containers are walked
//!   first ([`super::complete`]): a cut file is refused as truncated before decoding.
//! - symphonia panics on a few impossible states (a 0 Hz WAVE rate, a seek error while
//!   probing). The values that cause the known ones are checked before it sees them
//!   (`riff::WaveHeader::check_format`); as a last resort, opening and every block of
//!   decoding run under [`crate::panic_guard::quietly`], so such a file is a
//!   [`AudioErrorKind::Decode`] error naming it, and no panic text reaches the output.
//!
//! Timing: an MP3's LAME/Xing delay is trimmed by symphonia; an M4A's AAC priming is
//! trimmed here, from the MP4 edit list symphonia ignores ([`super::gapless`]). What a file
//! does not declare (an MP3 without a LAME header) stays in, and [`SourceInfo::timing`] says
//! so.

use rodio::Source as _;
use rodio::decoder::DecoderError;

use super::gapless::{self, Timing};
use super::{AudioSource, Encoding, SourceInfo, complete};
use crate::error::AudioErrorKind;
use crate::input::{Input, InputReader};
use crate::panic_guard::quietly;

/// A compressed container the sniffer recognised, with what rodio needs to know about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Mp3,
    Flac,
    Ogg,
    Mp4,
    /// A WAV file holding G.711 (format tag 6 = A-law, 7 = μ-law).
    G711Wav {
        mu_law: bool,
    },
}

impl Container {
    /// Short container name, as in [`SourceInfo::format`].
    pub fn format(self) -> &'static str {
        match self {
            Self::Mp3 => "mp3",
            Self::Flac => "flac",
            Self::Ogg => "ogg",
            Self::Mp4 => "m4a",
            Self::G711Wav { .. } => "wav",
        }
    }

    /// The codec we expect inside (only Vorbis is decoded from Ogg, only AAC from MP4).
    pub(super) fn codec(self) -> &'static str {
        match self {
            Self::Mp3 => "MP3",
            Self::Flac => "FLAC",
            Self::Ogg => "Vorbis",
            Self::Mp4 => "AAC",
            Self::G711Wav { mu_law: true } => "G.711 μ-law",
            Self::G711Wav { mu_law: false } => "G.711 A-law",
        }
    }

    /// The file-extension hint that steers symphonia's probe.
    fn hint(self) -> &'static str {
        match self {
            Self::Mp3 => "mp3",
            Self::Flac => "flac",
            Self::Ogg => "ogg",
            Self::Mp4 => "m4a",
            Self::G711Wav { .. } => "wav",
        }
    }
}

/// Shortfall tolerated between the announced and the decoded length: a frame's worth of
/// codec padding (an MP3 granule is 1152 frames, an AAC frame 1024) is not truncation.
const LENGTH_SLACK_FRAMES: u64 = 2048;

/// A file decoded by rodio, a block at a time.
pub struct DecodedSource {
    info: SourceInfo,
    decoder: rodio::Decoder<InputReader>,
    /// Frames the container announces, if it does.
    expected_frames: Option<u64>,
    frames_read: u64,
    /// Samples left in rodio's current span; at 0 the next sample starts a new span, whose
    /// format we check (a stream may not change its channel count or rate mid-way).
    span_left: usize,
    /// Decoded samples still to drop before the presentation starts (encoder priming).
    skip_samples: u64,
    /// Frames the presentation still runs for, when the container says (then padding).
    play_left: Option<u64>,
    /// Set when the decoder panicked: it is not called again.
    failed: bool,
}

impl std::fmt::Debug for DecodedSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedSource")
            .field("info", &self.info)
            .field("expected_frames", &self.expected_frames)
            .field("frames_read", &self.frames_read)
            .finish_non_exhaustive()
    }
}

impl DecodedSource {
    /// Opens `path`, which the sniffer found to be `container`, and reads its format.
    pub(crate) fn open(input: &Input, container: Container) -> Result<Self, AudioErrorKind> {
        match container {
            Container::Ogg => complete::check_ogg(input)?,
            Container::Mp4 => complete::check_mp4(input)?,
            Container::Mp3 | Container::Flac | Container::G711Wav { .. } => {}
        }
        let byte_len = input.len();
        let decode_err = |reason: String| AudioErrorKind::Decode {
            format: container.codec(),
            reason,
        };
        let built = quietly(|| {
            rodio::Decoder::builder()
                .with_data(input.reader())
                // Lets symphonia seek, which MP4 needs (its index may sit at the end) and
                // which gives MP3/Ogg their announced length.
                .with_byte_len(byte_len)
                .with_hint(container.hint())
                .with_gapless(true)
                .build()
        });
        let decoder = match built {
            Ok(Ok(d)) => d,
            Ok(Err(e)) => return Err(decode_err(describe(&e))),
            Err(()) => return Err(decode_err("the decoder gave up on this file".to_owned())),
        };
        let sample_rate = decoder.sample_rate().get();
        let channels = decoder.channels().get();
        let mut expected_frames = decoder
            .total_duration()
            .map(|d| (d.as_secs_f64() * f64::from(sample_rate)).round() as u64);
        let (timing, skip_frames, play) = delay_of(input, container, sample_rate);
        if let Some(play) = play {
            expected_frames = Some(play);
        } else if skip_frames > 0 {
            expected_frames = expected_frames.map(|n| n.saturating_sub(skip_frames));
        }
        Ok(Self {
            info: SourceInfo {
                format: container.format(),
                encoding: Encoding::Codec {
                    name: container.codec(),
                },
                sample_rate,
                channels,
                frames: expected_frames,
                timing,
            },
            decoder,
            expected_frames,
            frames_read: 0,
            span_left: 0,
            skip_samples: skip_frames * u64::from(channels),
            play_left: play,
            failed: false,
        })
    }

    /// At a span boundary: the stream must keep the format it started with.
    fn check_span(&mut self) -> Result<(), AudioErrorKind> {
        let (channels, rate) = (
            self.decoder.channels().get(),
            self.decoder.sample_rate().get(),
        );
        if (channels, rate) != (self.info.channels, self.info.sample_rate) {
            return Err(AudioErrorKind::Malformed(format!(
                "the stream changes from {} channel(s) at {} Hz to {channels} at {rate} Hz \
                 after {} frames",
                self.info.channels, self.info.sample_rate, self.frames_read
            )));
        }
        self.span_left = self.decoder.current_span_len().unwrap_or(usize::MAX);
        Ok(())
    }

    /// What a decoder panic is reported as.
    fn gave_up(&self) -> AudioErrorKind {
        AudioErrorKind::Decode {
            format: self.info.encoding.codec_name().unwrap_or("audio"),
            reason: format!(
                "the decoder failed on damaged data after {:.3} s of audio",
                self.frames_read as f64 / f64::from(self.info.sample_rate.max(1))
            ),
        }
    }

    /// At the end: did we get what the container announced?
    fn check_length(&self) -> Result<(), AudioErrorKind> {
        if self.frames_read == 0 {
            return Err(AudioErrorKind::Decode {
                format: self.info.encoding.codec_name().unwrap_or("audio"),
                reason: "no audio could be decoded from it".to_owned(),
            });
        }
        match self.expected_frames {
            Some(expected)
                if self.frames_read + LENGTH_SLACK_FRAMES.max(expected / 100) < expected =>
            {
                let rate = f64::from(self.info.sample_rate);
                Err(AudioErrorKind::TruncatedStream {
                    expected_seconds: expected as f64 / rate,
                    decoded_seconds: self.frames_read as f64 / rate,
                })
            }
            _ => Ok(()),
        }
    }
}

impl AudioSource for DecodedSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn read_frames(
        &mut self,
        buf: &mut Vec<f32>,
        max_frames: usize,
    ) -> Result<usize, AudioErrorKind> {
        buf.clear();
        let channels = usize::from(self.info.channels.max(1));
        let max_frames = match self.play_left {
            Some(left) => max_frames.min(usize::try_from(left).unwrap_or(usize::MAX)),
            None => max_frames,
        };
        let wanted = max_frames * channels;
        let mut ended = self.play_left == Some(0);
        if self.failed {
            return Err(self.gave_up());
        }
        let filled = quietly(|| -> Result<(), AudioErrorKind> {
            while buf.len() < wanted {
                let Some(sample) = self.decoder.next() else {
                    ended = true;
                    break;
                };
                if self.span_left == 0 {
                    self.check_span()?;
                }
                self.span_left = self.span_left.saturating_sub(1);
                if self.skip_samples > 0 {
                    self.skip_samples -= 1;
                    continue;
                }
                buf.push(sample);
            }
            Ok(())
        });
        match filled {
            Ok(result) => result?,
            Err(()) => {
                self.failed = true;
                return Err(self.gave_up());
            }
        }
        // A stream that ends inside a frame lost its tail; whole frames only.
        buf.truncate(buf.len() / channels * channels);
        let frames = buf.len() / channels;
        self.frames_read += frames as u64;
        if let Some(left) = self.play_left.as_mut() {
            *left -= frames as u64;
        }
        if ended && frames == 0 {
            self.check_length()?;
        }
        Ok(frames)
    }
}

/// How `container`'s encoder delay is handled: the timing to report, the frames to skip at
/// the start and the frames to play (when the container says), at the decoder's `rate`.
fn delay_of(input: &Input, container: Container, rate: u32) -> (Timing, u64, Option<u64>) {
    match container {
        Container::Mp3 => match gapless::mp3_declares_delay(input) {
            Ok(true) => (
                Timing::Trimmed {
                    by: "LAME/Xing header",
                },
                0,
                None,
            ),
            // The MPEG decoder's delay is 529 frames (ISO/IEC 11172-3's synthesis filter
            // bank); the encoder's own comes on top and is not stated anywhere.
            _ => (
                Timing::UnknownDelay {
                    at_least_ms: frames_ms(529, rate),
                },
                0,
                None,
            ),
        },
        Container::Mp4 => match gapless::mp4_edit(input) {
            Ok(Some(edit)) => (
                Timing::Trimmed {
                    by: "MP4 edit list",
                },
                edit.at_rate(edit.skip, rate),
                edit.play.map(|p| edit.at_rate(p, rate)),
            ),
            // AAC encoders prime with 1024 frames (ISO/IEC 14496-3, one frame of the MDCT).
            _ => (
                Timing::UnknownDelay {
                    at_least_ms: frames_ms(1024, rate),
                },
                0,
                None,
            ),
        },
        Container::Flac | Container::Ogg | Container::G711Wav { .. } => (Timing::Exact, 0, None),
    }
}

/// `frames` at `rate` Hz, in whole milliseconds.
fn frames_ms(frames: u32, rate: u32) -> u32 {
    (u64::from(frames) * 1000 / u64::from(rate.max(1))) as u32
}

/// rodio's error, in words for someone holding the file.
fn describe(e: &DecoderError) -> String {
    match e {
        DecoderError::UnrecognizedFormat => {
            "the container or codec is not one we decode, or the file is damaged".to_owned()
        }
        DecoderError::NoStreams => "the file holds no audio track".to_owned(),
        DecoderError::IoError(msg) => format!("read error: {msg}"),
        DecoderError::DecodeError(msg) => format!("malformed data: {msg}"),
        DecoderError::LimitError(msg) => format!("exceeds a decoder limit: {msg}"),
        DecoderError::ResetRequired => {
            "the decoder needs a reset (unsupported stream change)".to_owned()
        }
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AudioError;
    use crate::stream::{AudioStream, StreamOptions};
    use crate::testutil::TempDir;
    use std::path::{Path, PathBuf};

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(name)
    }

    fn decode(path: &Path) -> Result<u64, AudioError> {
        let stream = AudioStream::open(path, StreamOptions::for_rate(8000))?;
        Ok(stream.for_each_chunk(|_| {})?.samples)
    }

    #[test]
    fn a_cut_flac_is_truncated_not_short() {
        let dir = TempDir::new();
        let path = dir.file("cut.flac");
        let bytes = std::fs::read(fixture("formats/machine_beep.flac")).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        match decode(&path) {
            Err(AudioError {
                kind:
                    AudioErrorKind::TruncatedStream {
                        expected_seconds,
                        decoded_seconds,
                    },
                ..
            }) => {
                assert!((expected_seconds - 8.375).abs() < 1e-3);
                assert!(decoded_seconds < 6.0, "{decoded_seconds}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cut_g711_wav_is_refused_up_front() {
        let dir = TempDir::new();
        let path = dir.file("cut.wav");
        let bytes = std::fs::read(fixture("formats/machine_beep_ulaw.wav")).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1000]).unwrap();
        let Err(e) = AudioStream::open(&path, StreamOptions::for_rate(8000)) else {
            panic!("accepted");
        };
        assert!(matches!(e.kind, AudioErrorKind::Truncated { .. }), "{e}");
    }

    #[test]
    fn garbage_behind_a_known_magic_is_a_decode_error() {
        let dir = TempDir::new();
        for (name, head) in [
            ("a.mp3", &b"ID3\x04\0\0\0\0\0\x10"[..]),
            ("a.ogg", b"OggS\0\x02"),
            ("a.m4a", b"\0\0\0\x18ftypM4A \0\0\0\0"),
            ("a.flac", b"fLaC"),
        ] {
            let path = dir.file(name);
            let mut bytes = head.to_vec();
            bytes.extend((0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
            std::fs::write(&path, bytes).unwrap();
            match decode(&path) {
                Err(AudioError {
                    kind: AudioErrorKind::Decode { reason, .. },
                    path: p,
                }) => {
                    assert_eq!(p, path);
                    assert!(!reason.is_empty());
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A real file with bytes flipped: an error or audio, never a panic or a hang.
        #[test]
        fn damaged_files_never_panic(
            which in 0usize..4,
            flips in proptest::collection::vec((0.0f64..1.0, proptest::num::u8::ANY), 1..20),
        ) {
            let name = ["machine_beep.flac", "machine_beep.ogg", "machine_beep.mp3", "machine_beep.m4a"][which];
            let mut bytes = std::fs::read(fixture(&format!("formats/{name}"))).unwrap();
            let n = bytes.len();
            for (at, v) in flips {
                // Keep the first 8 bytes, so the sniffer still picks this decoder.
                let i = 8 + ((n - 8) as f64 * at) as usize;
                bytes[i.min(n - 1)] ^= v;
            }
            let dir = TempDir::new();
            let path = dir.file(name);
            std::fs::write(&path, &bytes).unwrap();
            let _ = decode(&path);
        }
    }
}
