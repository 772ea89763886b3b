//! A look at a RIFF/WAVE header without decoding it: which encoding, whether its format
//! is one we can decode at all, and whether the data chunk is all there.
//!
//! hound reads linear PCM and float but refuses G.711 (format tags 6 and 7), which is what
//! telephone systems export most. We need the format tag before choosing a decoder, and for
//! the files we hand to rodio we need the announced data length ourselves: rodio ends a cut
//! file early without an error, so the check has to happen here, before decoding.
//!
//! The `fmt ` chunk's numbers are checked here too, for every WAV, before either decoder
//! sees them ([`WaveHeader::check_format`]): symphonia panics on a 0 Hz rate, and a header
//! announcing 65,535 channels would size every later buffer by it.

use std::io::{BufReader, Read, Seek, SeekFrom};

use crate::error::AudioErrorKind;
use crate::input::InputReader;
use crate::rate::{MAX_CHANNELS, MAX_RATE, MIN_RATE};

/// WAVE_FORMAT_PCM.
const FORMAT_PCM: u16 = 1;
/// WAVE_FORMAT_IEEE_FLOAT.
const FORMAT_FLOAT: u16 = 3;
/// WAVE_FORMAT_ALAW (RFC 2361).
pub const FORMAT_ALAW: u16 = 6;
/// WAVE_FORMAT_MULAW (RFC 2361).
pub const FORMAT_MULAW: u16 = 7;
/// WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the SubFormat GUID.
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;
/// Chunks walked before giving up; real files have a handful (fmt, fact, LIST, data).
const MAX_CHUNKS: usize = 64;

/// The numbers of a `fmt ` chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaveFormat {
    /// The format tag, resolved through WAVE_FORMAT_EXTENSIBLE.
    pub format_tag: u16,
    pub channels: u16,
    pub sample_rate: u32,
    pub block_align: u16,
    pub bits_per_sample: u16,
}

/// What the header of a WAVE file says, as far as choosing a decoder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaveHeader {
    pub format: WaveFormat,
    /// Byte offset of the first audio byte and the data chunk's announced length.
    pub data: Option<(u64, u64)>,
}

impl WaveHeader {
    /// Reads the header; `None` when it cannot be walked (hound then reports why).
    pub fn read(reader: InputReader) -> Option<Self> {
        let mut r = BufReader::new(reader);
        let mut head = [0u8; 12];
        r.read_exact(&mut head).ok()?;
        if &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
            return None;
        }
        let mut pos = 12u64;
        let mut format = None;
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
                    if want < 16 {
                        return None;
                    }
                    r.read_exact(&mut fmt[..want]).ok()?;
                    format = Some(WaveFormat::parse(&fmt, want));
                    // Back to the chunk's start, then over it (with the RIFF pad byte).
                    r.seek(SeekFrom::Start(pos)).ok()?;
                }
                b"data" => {
                    return Some(Self {
                        format: format?,
                        data: Some((pos, len)),
                    });
                }
                _ => {}
            }
            pos = pos.checked_add(len + (len & 1))?;
            r.seek(SeekFrom::Start(pos)).ok()?;
        }
        format.map(|format| Self { format, data: None })
    }

    /// Whether hound cannot read this encoding but rodio (symphonia) can.
    pub fn is_g711(&self) -> bool {
        matches!(self.format.format_tag, FORMAT_ALAW | FORMAT_MULAW)
    }

    /// Refuses a format no decoder should be handed: a rate or channel count out of range,
    /// a block size that does not hold one sample per channel, G.711 that is not 8-bit.
    pub fn check_format(&self) -> Result<(), AudioErrorKind> {
        let f = self.format;
        if !(MIN_RATE..=MAX_RATE).contains(&f.sample_rate) {
            return Err(AudioErrorKind::SampleRate(f.sample_rate));
        }
        if f.channels == 0 || f.channels > MAX_CHANNELS {
            return Err(AudioErrorKind::Channels(f.channels));
        }
        let bits = f.bits_per_sample;
        let bad = |what: String| Err(AudioErrorKind::Malformed(what));
        match f.format_tag {
            FORMAT_ALAW | FORMAT_MULAW if bits != 8 => {
                bad(format!("G.711 samples are 8 bits, the header says {bits}"))
            }
            FORMAT_PCM | FORMAT_FLOAT | FORMAT_ALAW | FORMAT_MULAW => {
                let sample_bytes = u32::from(bits).div_ceil(8);
                if bits == 0 {
                    return bad("the header says 0 bits per sample".to_owned());
                }
                if u32::from(f.block_align) < sample_bytes * u32::from(f.channels) {
                    return bad(format!(
                        "a block of {} bytes cannot hold {} channel(s) of {bits}-bit samples",
                        f.block_align, f.channels
                    ));
                }
                Ok(())
            }
            tag => Err(AudioErrorKind::UnsupportedEncoding(format!(
                "{} (format tag {tag:#06x}); only linear PCM, IEEE float and G.711 are read, \
                 convert with e.g. `sox in.wav -e signed -b 16 out.wav`",
                codec_name(tag)
            ))),
        }
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

/// The name of a WAVE format tag (RFC 2361) that is common in telephony exports.
fn codec_name(tag: u16) -> &'static str {
    match tag {
        0x0002 => "Microsoft ADPCM",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 | 0x0055 => "MPEG audio in a WAV",
        _ => "a codec",
    }
}

impl WaveFormat {
    /// The first `len` (16 to 26) bytes of a `fmt ` chunk's body, zero-padded to 26.
    fn parse(fmt: &[u8; 26], len: usize) -> Self {
        let u16_at = |i: usize| u16::from_le_bytes([fmt[i], fmt[i + 1]]);
        let tag = u16_at(0);
        Self {
            format_tag: if tag == FORMAT_EXTENSIBLE && len >= 26 {
                u16_at(24)
            } else {
                tag
            },
            channels: u16_at(2),
            sample_rate: u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]),
            block_align: u16_at(12),
            bits_per_sample: u16_at(14),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Input;

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
        let input = Input::from_bytes("u.wav", g711_bytes(FORMAT_MULAW, &[0xFF; 10], 10));
        let h = WaveHeader::read(input.reader()).unwrap();
        assert!(h.check_format().is_ok());
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
        let read = |b: &[u8]| WaveHeader::read(Input::from_bytes("g.wav", b.to_vec()).reader());
        assert!(read(b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff").is_none());
        assert!(read(b"hello").is_none());
    }

    fn header_with(patch: impl FnOnce(&mut Vec<u8>)) -> WaveHeader {
        let mut b = g711_bytes(FORMAT_MULAW, &[0xFF; 10], 10);
        patch(&mut b);
        WaveHeader::read(Input::from_bytes("p.wav", b).reader()).unwrap()
    }

    #[test]
    fn impossible_formats_are_refused_before_decoding() {
        // Offsets into the fmt body: channels at 22, rate at 24, block align 32, bits 34.
        let zero_rate = header_with(|b| b[24..28].copy_from_slice(&0u32.to_le_bytes()));
        assert!(matches!(
            zero_rate.check_format(),
            Err(AudioErrorKind::SampleRate(0))
        ));
        let many = header_with(|b| b[22..24].copy_from_slice(&65535u16.to_le_bytes()));
        assert!(matches!(
            many.check_format(),
            Err(AudioErrorKind::Channels(65535))
        ));
        let none = header_with(|b| b[22..24].copy_from_slice(&0u16.to_le_bytes()));
        assert!(matches!(
            none.check_format(),
            Err(AudioErrorKind::Channels(0))
        ));
        let wide = header_with(|b| b[34..36].copy_from_slice(&16u16.to_le_bytes()));
        let e = wide.check_format().unwrap_err().to_string();
        assert!(e.contains("8 bits") && e.contains("16"), "{e}");
        let small = header_with(|b| b[32..34].copy_from_slice(&0u16.to_le_bytes()));
        assert!(
            small
                .check_format()
                .unwrap_err()
                .to_string()
                .contains("block")
        );
    }
}
