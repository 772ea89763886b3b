//! Whether a compressed file's container is all there, judged from its own structure.
//!
//! rodio ends a cut stream quietly, and for Ogg and MP4 the decoded length cannot show the
//! cut: an Ogg file announces no length (its duration is the last page's granule position,
//! so the first half of a file "announces" exactly what it holds), and symphonia reads a
//! cut MP4 as an "end of stream" read error. So the container is walked before decoding:
//!
//! - **Ogg** (RFC 3533): pages follow each other back to back; the last page of a logical
//!   stream carries the end-of-stream flag. A page that runs past the end of the file, or a
//!   file whose pages end without that flag, was cut.
//! - **MP4** (ISO/IEC 14496-12): the file is a sequence of top-level boxes, each announcing
//!   its size. A box that runs past the end of the file was cut.
//!
//! Only headers are read (27 bytes and a segment table per Ogg page, 16 bytes per box), at
//! their own offsets, so the walk costs a few reads per 4 KiB page of audio.

use std::io::{Seek, SeekFrom};

use super::read_up_to;
use crate::error::AudioErrorKind;
use crate::input::Input;

/// The Ogg page header's `header_type` flag for the last page of a logical stream.
const OGG_END_OF_STREAM: u8 = 0x04;

/// Refuses an Ogg file whose pages are cut or end before an end-of-stream page.
pub(super) fn check_ogg(input: &Input) -> Result<(), AudioErrorKind> {
    let len = input.len();
    let mut r = input.reader();
    let mut at = 0u64;
    let mut pages = 0u64;
    let mut ended = false;
    while at < len {
        let mut header = [0u8; 27];
        r.seek(SeekFrom::Start(at)).map_err(AudioErrorKind::Io)?;
        let n = read_up_to(&mut r, &mut header).map_err(AudioErrorKind::Io)?;
        if n < header.len() {
            return cut_page(pages, at, len);
        }
        if &header[..4] != b"OggS" {
            // Not a page where one should start: trailing bytes after the stream, or
            // damage the decoder will report. Judge by what came before.
            break;
        }
        let segments = usize::from(header[26]);
        let mut table = [0u8; 255];
        let n = read_up_to(&mut r, &mut table[..segments]).map_err(AudioErrorKind::Io)?;
        if n < segments {
            return cut_page(pages, at, len);
        }
        let body: u64 = table[..segments].iter().map(|&b| u64::from(b)).sum();
        let next = at + 27 + segments as u64 + body;
        if next > len {
            return cut_page(pages, at, len);
        }
        ended |= header[5] & OGG_END_OF_STREAM != 0;
        pages += 1;
        at = next;
    }
    if pages > 0 && !ended {
        return Err(AudioErrorKind::TruncatedContainer(format!(
            "the Ogg stream stops after {pages} pages without its end-of-stream page"
        )));
    }
    Ok(())
}

/// A page that runs past the end of the file. The first page is the codec's identification
/// header: if even that one does not fit, the file is more likely not Ogg at all behind its
/// magic, which the decoder reports in its own words.
fn cut_page(pages: u64, at: u64, len: u64) -> Result<(), AudioErrorKind> {
    if pages == 0 {
        return Ok(());
    }
    Err(AudioErrorKind::TruncatedContainer(format!(
        "Ogg page {} starts at byte {at} but the file ends at byte {len}, inside it",
        pages + 1
    )))
}

/// Refuses an MP4 file whose top-level boxes run past its end.
pub(super) fn check_mp4(input: &Input) -> Result<(), AudioErrorKind> {
    let len = input.len();
    let mut r = input.reader();
    let mut at = 0u64;
    let mut moov = false;
    while len - at >= 8 {
        let mut header = [0u8; 16];
        r.seek(SeekFrom::Start(at)).map_err(AudioErrorKind::Io)?;
        let n = read_up_to(&mut r, &mut header).map_err(AudioErrorKind::Io)?;
        if n < 8
            || !header[4..8]
                .iter()
                .all(|b| b.is_ascii_graphic() || *b == b' ')
        {
            // Not a box header (box types are four printable characters): damage, which
            // the decoder reports in its own words.
            return Ok(());
        }
        let kind = String::from_utf8_lossy(&header[4..8]).into_owned();
        let small = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        let size = match small {
            // Runs to the end of the file: nothing after it to check.
            0 => return Ok(()),
            1 if n >= 16 => u64::from_be_bytes([
                header[8], header[9], header[10], header[11], header[12], header[13], header[14],
                header[15],
            ]),
            // A 64-bit size cut off, or a size smaller than the header: damage the decoder
            // reports in its own words.
            1 => return Ok(()),
            s if s < 8 => return Ok(()),
            s => s,
        };
        if size > len - at {
            return Err(AudioErrorKind::TruncatedContainer(format!(
                "the MP4 box `{kind}` at byte {at} announces {size} bytes but only {} are \
                 present",
                len - at
            )));
        }
        moov |= &header[4..8] == b"moov";
        at += size;
    }
    if !moov {
        return Err(AudioErrorKind::TruncatedContainer(
            "the MP4 file ends before its `moov` box (the index of its audio)".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/formats")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn whole_files_pass() {
        check_ogg(&Input::from_bytes("a.ogg", fixture("machine_beep.ogg"))).unwrap();
        check_mp4(&Input::from_bytes("a.m4a", fixture("machine_beep.m4a"))).unwrap();
    }

    #[test]
    fn every_cut_of_an_ogg_file_is_truncated() {
        let bytes = fixture("machine_beep.ogg");
        for cut in [100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            let input = Input::from_bytes("cut.ogg", bytes[..cut].to_vec());
            let e = check_ogg(&input).unwrap_err();
            assert!(e.to_string().starts_with("truncated"), "{cut}: {e}");
        }
    }

    #[test]
    fn every_cut_of_an_m4a_file_is_truncated() {
        let bytes = fixture("machine_beep.m4a");
        for cut in [100, bytes.len() / 2, bytes.len() - 1] {
            let input = Input::from_bytes("cut.m4a", bytes[..cut].to_vec());
            let e = check_mp4(&input).unwrap_err();
            assert!(e.to_string().contains("MP4 box"), "{cut}: {e}");
        }
    }
}
