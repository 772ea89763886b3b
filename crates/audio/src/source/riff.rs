//! A look at a RIFF/WAVE header without decoding it: which encoding, and whether the data
//! chunk is all there.
//!
//! hound reads linear PCM and float but refuses G.711 (format tags 6 and 7), which is what
//! telephone systems export most. We need the format tag before choosing a decoder, and for
//! the files we hand to rodio we need the announced data length ourselves: rodio ends a cut
//! file early without an error, so the check has to happen here, before decoding.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::AudioErrorKind;

/// WAVE_FORMAT_ALAW (RFC 2361).
pub const FORMAT_ALAW: u16 = 6;
/// WAVE_FORMAT_MULAW (RFC 2361).
pub const FORMAT_MULAW: u16 = 7;
/// WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the SubFormat GUID.
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;
/// Chunks walked before giving up; real files have a handful (fmt, fact, LIST, data).
const MAX_CHUNKS: usize = 64;

/// What the header of a WAVE file says, as far as choosing a decoder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaveHeader {
    /// The format tag, resolved through WAVE_FORMAT_EXTENSIBLE.
    pub format_tag: u16,
    /// Byte offset of the first audio byte and the data chunk's announced length.
    pub data: Option<(u64, u64)>,
}

impl WaveHeader {
    /// Reads the header of `path`; `None` when it cannot be walked (hound then reports why).
    pub fn read(path: &Path) -> Option<Self> {
        let mut r = BufReader::new(File::open(path).ok()?);
        let mut head = [0u8; 12];
        r.read_exact(&mut head).ok()?;
        if &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
            return None;
        }
        let mut pos = 12u64;
        let mut format_tag = None;
        for _ in 0..MAX_CHUNKS {
            let mut chunk = [0u8; 8];
            if r.read_exact(&mut chunk).is_err() {
                break;
            }
            let len = u64::from(u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]));
            pos += 8;
            match &chunk[..4] {
                b"fmt " => {
                    let mut fmt = [0u8; 26];
                    let want = usize::try_from(len.min(26)).ok()?;
                    r.read_exact(&mut fmt[..want]).ok()?;
                    let tag = u16::from_le_bytes([fmt[0], fmt[1]]);
                    format_tag = Some(if tag == FORMAT_EXTENSIBLE && want >= 26 {
                        u16::from_le_bytes([fmt[24], fmt[25]])
                    } else {
                        tag
                    });
                    // Back to the chunk's start, then over it (with the RIFF pad byte).
                    r.seek(SeekFrom::Start(pos)).ok()?;
                }
                b"data" => {
                    return Some(Self {
                        format_tag: format_tag?,
                        data: Some((pos, len)),
                    });
                }
                _ => {}
            }
            pos = pos.checked_add(len + (len & 1))?;
            r.seek(SeekFrom::Start(pos)).ok()?;
        }
        format_tag.map(|format_tag| Self {
            format_tag,
            data: None,
        })
    }

    /// Whether hound cannot read this encoding but rodio (symphonia) can.
    pub fn is_g711(&self) -> bool {
        matches!(self.format_tag, FORMAT_ALAW | FORMAT_MULAW)
    }

    /// Refuses a file whose data chunk is longer than what the file holds.
    ///
    /// A length of `0xFFFFFFFF` (or 0) is what streaming writers leave when they never came
    /// back to fill it in; such a file cannot be checked and is let through.
    pub fn check_complete(&self, file_len: u64) -> Result<(), AudioErrorKind> {
        let Some((start, len)) = self.data else {
            return Err(AudioErrorKind::Malformed("no data chunk found".to_owned()));
        };
        if len == 0 || len == u64::from(u32::MAX) {
            return Ok(());
        }
        let actual_bytes = file_len.saturating_sub(start);
        if actual_bytes < len {
            return Err(AudioErrorKind::Truncated {
                expected_bytes: len,
                actual_bytes,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    /// A minimal G.711 WAV: `fmt ` (16 bytes), an odd-sized `LIST` chunk, then `data`.
    pub(crate) fn g711_bytes(tag: u16, data: &[u8], announced: u32) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF\0\0\0\0WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&8000u32.to_le_bytes());
        b.extend_from_slice(&8000u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&8u16.to_le_bytes());
        b.extend_from_slice(b"LIST\x03\0\0\0abc\0");
        b.extend_from_slice(b"data");
        b.extend_from_slice(&announced.to_le_bytes());
        b.extend_from_slice(data);
        b
    }

    #[test]
    fn finds_tag_and_data_past_odd_chunks() {
        let dir = TempDir::new();
        let path = dir.file("u.wav");
        std::fs::write(&path, g711_bytes(FORMAT_MULAW, &[0xFF; 10], 10)).unwrap();
        let h = WaveHeader::read(&path).unwrap();
        assert!(h.is_g711());
        assert_eq!(h.data, Some((56, 10)));
        assert!(h.check_complete(66).is_ok());
        assert!(matches!(
            h.check_complete(60),
            Err(AudioErrorKind::Truncated {
                expected_bytes: 10,
                actual_bytes: 4
            })
        ));
    }

    #[test]
    fn garbage_is_none() {
        let dir = TempDir::new();
        let path = dir.file("g.wav");
        std::fs::write(&path, b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff").unwrap();
        assert!(WaveHeader::read(&path).is_none());
        std::fs::write(&path, b"hello").unwrap();
        assert!(WaveHeader::read(&path).is_none());
    }
}
