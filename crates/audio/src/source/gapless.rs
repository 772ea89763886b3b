//! Encoder delay: the silent frames a lossy encoder puts before the audio, and what a file
//! says about them.
//!
//! A beep's time in an MP3 or M4A must be its time in the original recording, so the
//! decoder's output has to start where the encoder's input started:
//!
//! - **MP3**: LAME writes its delay and padding into the Xing/Info header of the first
//!   frame; symphonia reads it and trims both ends (rodio's gapless mode). A file without
//!   that header (sox writes these) keeps its delay: the MPEG decoder's 529 frames plus the
//!   encoder's own (576 for LAME), which nothing in the file states, so we only report a
//!   lower bound ([`Timing::UnknownDelay`]).
//! - **AAC in MP4**: the encoder's priming (1024 frames for ffmpeg and Apple) is declared
//!   only by the track's edit list (`moov/trak/edts/elst`): the first edit's `media_time` is
//!   where the presentation starts, its duration how long it runs. symphonia 0.5 does not
//!   apply edit lists, so [`mp4_edit`] reads them here and the decoder skips and caps frames
//!   itself.
//!
//! Both readers only look at box and frame headers, never trust a length beyond the file,
//! and report a file they cannot make sense of as "no information", never as an error: the
//! audio itself is still decodable, just not trimmed.

use std::io::{self, Seek, SeekFrom};

use super::read_up_to;
use crate::input::Input;

use serde::Serialize;

/// Largest `moov` box read into memory: an hour of AAC has an index of a few hundred
/// kilobytes, so anything bigger is a damaged or hostile length field.
const MAX_MOOV_BYTES: u64 = 16 << 20;

/// Bytes searched for the Xing/Info header: an ID3v2 tag (skipped by its own length) and
/// then the first MPEG frame, which is at most 1441 bytes at 320 kbit/s and 32 kHz.
const MP3_HEADER_SCAN_BYTES: usize = 4096;

/// How far a decoded stream's times can be trusted, for `detect -v` and the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Timing {
    /// Sample-exact: PCM, G.711, FLAC and Vorbis have no encoder delay to remove.
    Exact,
    /// The encoder delay was removed as the file declares it.
    Trimmed {
        /// Where the file declares it, e.g. `"MP4 edit list"`.
        by: &'static str,
    },
    /// The file declares no encoder delay, so every time from it is late by the codec's
    /// delay, at least `at_least_ms` milliseconds.
    UnknownDelay {
        /// The part of the delay the codec itself fixes (MP3's decoder delay, AAC's
        /// priming), at the file's rate.
        at_least_ms: u32,
    },
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Timing::Exact => f.write_str("sample-exact"),
            Timing::Trimmed { by } => write!(f, "encoder delay removed ({by})"),
            Timing::UnknownDelay { at_least_ms } => write!(
                f,
                "the file declares no encoder delay: times are at least {at_least_ms} ms late"
            ),
        }
    }
}

/// The first edit of an MP4 audio track, in the track's own time scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mp4Edit {
    /// Frames of the decoded track before the presentation starts (the priming).
    pub skip: u64,
    /// Frames the presentation runs for, when the edit says (the rest is padding).
    pub play: Option<u64>,
    /// The track's time scale (frames per second for audio).
    pub timescale: u32,
}

impl Mp4Edit {
    /// `frames` of the track's time scale at `rate` Hz (the decoder's output rate).
    pub fn at_rate(&self, frames: u64, rate: u32) -> u64 {
        if self.timescale == rate || self.timescale == 0 {
            return frames;
        }
        (u128::from(frames) * u128::from(rate) / u128::from(self.timescale)) as u64
    }
}

/// True if the MP3 `input` has a Xing/Info header, i.e. its delay can be trimmed.
pub(super) fn mp3_declares_delay(input: &Input) -> io::Result<bool> {
    let mut file = input.reader();
    let mut head = vec![0u8; MP3_HEADER_SCAN_BYTES];
    let n = read_up_to(&mut file, &mut head)?;
    head.truncate(n);
    let mut start = 0;
    // ID3v2: "ID3", version (2), flags (1), then a 28-bit syncsafe size of the tag body.
    if head.len() >= 10 && head.starts_with(b"ID3") {
        let size = head[6..10]
            .iter()
            .fold(0usize, |acc, &b| (acc << 7) | usize::from(b & 0x7F));
        start = 10 + size;
        if start >= head.len() {
            file.seek(SeekFrom::Start(start as u64))?;
            head.resize(MP3_HEADER_SCAN_BYTES, 0);
            let n = read_up_to(&mut file, &mut head)?;
            head.truncate(n);
            start = 0;
        }
    }
    let frame = &head[start.min(head.len())..];
    Ok(find(frame, b"Xing").is_some() || find(frame, b"Info").is_some())
}

/// The edit list of the first audio track of the MP4 `input`, if it has one that trims.
pub(super) fn mp4_edit(input: &Input) -> io::Result<Option<Mp4Edit>> {
    let mut file = input.reader();
    let len = input.len();
    let mut at = 0u64;
    while at + 8 <= len {
        file.seek(SeekFrom::Start(at))?;
        let mut header = [0u8; 16];
        let n = read_up_to(&mut file, &mut header)?;
        let Some((kind, header_len, size)) = box_header(&header[..n], len - at) else {
            return Ok(None);
        };
        if &kind == b"moov" {
            let body = size - header_len;
            if body > MAX_MOOV_BYTES {
                return Ok(None);
            }
            let mut moov = vec![0u8; body as usize];
            file.seek(SeekFrom::Start(at + header_len))?;
            if read_up_to(&mut file, &mut moov)? < moov.len() {
                return Ok(None);
            }
            return Ok(audio_track_edit(&moov));
        }
        at += size;
    }
    Ok(None)
}

/// The first audio track's first non-empty edit, from the body of a `moov` box.
fn audio_track_edit(moov: &[u8]) -> Option<Mp4Edit> {
    let movie_timescale = child(moov, b"mvhd").and_then(full_box_timescale)?;
    for trak in children(moov, b"trak") {
        let Some(mdia) = child(trak, b"mdia") else {
            continue;
        };
        // hdlr: version/flags (4), pre_defined (4), handler type (4).
        let is_audio = child(mdia, b"hdlr").is_some_and(|h| h.get(8..12) == Some(b"soun"));
        if !is_audio {
            continue;
        }
        let timescale = child(mdia, b"mdhd").and_then(full_box_timescale)?;
        let elst = child(trak, b"edts").and_then(|e| child(e, b"elst"))?;
        return first_edit(elst, movie_timescale, timescale);
    }
    None
}

/// Reads the `elst` entries: the first with a media time (not an empty edit) decides.
fn first_edit(elst: &[u8], movie_timescale: u32, timescale: u32) -> Option<Mp4Edit> {
    let version = *elst.first()?;
    let count = be_u32(elst.get(4..8)?)? as usize;
    let entry_len = if version == 1 { 20 } else { 12 };
    for i in 0..count {
        let e = elst.get(8 + i * entry_len..8 + (i + 1) * entry_len)?;
        let (duration, media_time) = if version == 1 {
            (be_u64(&e[0..8])?, be_u64(&e[8..16])? as i64)
        } else {
            (
                u64::from(be_u32(&e[0..4])?),
                i64::from(be_u32(&e[4..8])? as i32),
            )
        };
        if media_time < 0 {
            continue; // An empty edit: a delay before the track, not a trim.
        }
        let play = (duration > 0 && movie_timescale > 0).then(|| {
            (u128::from(duration) * u128::from(timescale) / u128::from(movie_timescale)) as u64
        });
        return Some(Mp4Edit {
            skip: media_time as u64,
            play,
            timescale,
        });
    }
    None
}

/// The time scale of an `mvhd` or `mdhd` body (versions 0 and 1).
fn full_box_timescale(body: &[u8]) -> Option<u32> {
    match body.first()? {
        0 => be_u32(body.get(12..16)?),
        1 => be_u32(body.get(20..24)?),
        _ => None,
    }
}

/// The first child box of type `kind` in `body`.
fn child<'a>(body: &'a [u8], kind: &'a [u8; 4]) -> Option<&'a [u8]> {
    children(body, kind).next()
}

/// Every child box of type `kind` in `body`, as their bodies.
fn children<'a>(body: &'a [u8], kind: &'a [u8; 4]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        while at < body.len() {
            let rest = &body[at..];
            let (k, header_len, size) = box_header(rest, rest.len() as u64)?;
            let (header_len, size) = (header_len as usize, size as usize);
            let found = &rest[header_len..size];
            at += size;
            if &k == kind {
                return Some(found);
            }
        }
        None
    })
}

/// A box header: its type, header length and whole size, checked against `room` bytes.
fn box_header(bytes: &[u8], room: u64) -> Option<([u8; 4], u64, u64)> {
    let size = u64::from(be_u32(bytes.get(0..4)?)?);
    let kind: [u8; 4] = bytes.get(4..8)?.try_into().ok()?;
    let (header_len, size) = match size {
        0 => (8, room),
        1 => (16, be_u64(bytes.get(8..16)?)?),
        s => (8, s),
    };
    (size >= header_len && size <= room).then_some((kind, header_len, size))
}

fn be_u32(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

fn be_u64(b: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(b.try_into().ok()?))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_path(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/formats")
            .join(name)
    }

    fn fixture(name: &str) -> Input {
        Input::open(&fixture_path(name)).unwrap()
    }

    #[test]
    fn reads_ffmpeg_aac_priming_from_the_edit_list() {
        let edit = mp4_edit(&fixture("machine_beep.m4a")).unwrap().unwrap();
        assert_eq!(edit.skip, 1024);
        assert_eq!(edit.timescale, 8000);
        // 8.375 s, as long as the WAV it was encoded from.
        assert_eq!(edit.play, Some(67_000));
        assert_eq!(edit.at_rate(1024, 16_000), 2048);
    }

    #[test]
    fn finds_the_lame_header() {
        assert!(mp3_declares_delay(&fixture("machine_beep.mp3")).unwrap());
        assert!(!mp3_declares_delay(&fixture("machine_beep.flac")).unwrap());
    }

    #[test]
    fn an_mp3_without_its_header_declares_no_delay() {
        // The fixture with its Info/LAME tags defaced: an MP3 as sox writes them.
        let mut bytes = std::fs::read(fixture_path("machine_beep.mp3")).unwrap();
        for tag in [&b"Info"[..], b"LAME"] {
            let at = find(&bytes, tag).unwrap();
            bytes[at..at + 4].copy_from_slice(b"Xxxx");
        }
        let dir = crate::testutil::TempDir::new();
        let path = dir.file("no-header.mp3");
        std::fs::write(&path, &bytes).unwrap();
        assert!(!mp3_declares_delay(&Input::open(&path).unwrap()).unwrap());
        let source = crate::open_source(&path).unwrap();
        // 529 frames of MPEG decoder delay at 8 kHz.
        assert_eq!(
            source.info().timing,
            Timing::UnknownDelay { at_least_ms: 66 }
        );
        let exact = crate::open_source(&fixture_path("machine_beep.mp3")).unwrap();
        assert_eq!(
            exact.info().timing,
            Timing::Trimmed {
                by: "LAME/Xing header"
            }
        );
    }

    #[test]
    fn other_files_have_no_edit() {
        assert_eq!(mp4_edit(&fixture("machine_beep.mp3")).unwrap(), None);
        assert_eq!(mp4_edit(&fixture("machine_beep_ulaw.wav")).unwrap(), None);
    }

    #[test]
    fn damaged_boxes_are_no_information() {
        // An elst claiming a million entries in 16 bytes.
        let elst = [0, 0, 0, 0, 0, 0x0F, 0x42, 0x40, 0, 0, 0, 1, 0, 0, 0, 4];
        assert_eq!(first_edit(&elst, 1000, 8000), None);
        // A box whose size runs past its parent.
        assert_eq!(box_header(&[0, 0, 1, 0, b'm', b'o', b'o', b'v'], 64), None);
        assert_eq!(box_header(&[0, 0, 0, 4, b'f', b'r', b'e', b'e'], 64), None);
        proptest::proptest!(|(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256))| {
            let _ = audio_track_edit(&bytes);
        });
    }
}
