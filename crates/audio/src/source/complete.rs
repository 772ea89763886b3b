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
        if &header[4..8] == b"moov" {
            moov = true;
            check_tables(&mut r, at + 8, at + size, 0)?;
        }
        at += size;
    }
    if !moov {
        return Err(AudioErrorKind::TruncatedContainer(
            "the MP4 file ends before its `moov` box (the index of its audio)".to_owned(),
        ));
    }
    Ok(())
}

/// The boxes on the way from `moov` to the sample tables.
const CONTAINERS: [&[u8; 4]; 5] = [b"moov", b"trak", b"mdia", b"minf", b"stbl"];

/// Refuses a sample table (inside `moov`'s `trak/mdia/minf/stbl`) that announces more
/// entries than its box can hold: a decoder sizes its tables from the count, so a damaged
/// count of a few billion would ask for gigabytes before reading a byte of them. Children
/// that run past their parent are refused too. `from..to` is the parent's payload.
fn check_tables<R: std::io::Read + Seek>(
    r: &mut R,
    from: u64,
    to: u64,
    depth: usize,
) -> Result<(), AudioErrorKind> {
    let mut at = from;
    while to.saturating_sub(at) >= 8 {
        let mut head = [0u8; 20];
        r.seek(SeekFrom::Start(at)).map_err(AudioErrorKind::Io)?;
        let n = read_up_to(r, &mut head).map_err(AudioErrorKind::Io)?;
        if n < 8 {
            return Ok(());
        }
        let word = |i: usize| {
            u64::from(u32::from_be_bytes([
                head[i],
                head[i + 1],
                head[i + 2],
                head[i + 3],
            ]))
        };
        let size = match word(0) {
            // 64-bit sizes and "to the end" are left to the decoder's own checks.
            0 | 1 => return Ok(()),
            s if s < 8 => return Ok(()),
            s => s,
        };
        let kind: [u8; 4] = [head[4], head[5], head[6], head[7]];
        let name = String::from_utf8_lossy(&kind).into_owned();
        if size > to - at {
            return Err(AudioErrorKind::TruncatedContainer(format!(
                "the MP4 box `{name}` at byte {at} announces {size} bytes but its parent \
                 holds only {}",
                to - at
            )));
        }
        // Entry size and where the count sits (after version and flags; `stsz` first
        // gives a sample size, and has entries only when it is 0).
        let table = match &kind {
            b"stts" | b"ctts" | b"co64" => Some((8, 12)),
            b"stsc" => Some((12, 12)),
            b"stco" | b"stss" => Some((4, 12)),
            b"stsz" if n >= 20 && word(12) == 0 => Some((4, 16)),
            _ => None,
        };
        if let Some((entry, count_at)) = table {
            if n >= count_at + 4 {
                let count = word(count_at);
                let room = size.saturating_sub(count_at as u64 + 4);
                if count.saturating_mul(entry) > room {
                    return Err(AudioErrorKind::TruncatedContainer(format!(
                        "the MP4 table `{name}` at byte {at} announces {count} entries of \
                         {entry} bytes but its box holds only {room} bytes"
                    )));
                }
            }
        } else if depth + 1 < CONTAINERS.len() && &kind == CONTAINERS[depth + 1] {
            check_tables(r, at + 8, at + size, depth + 1)?;
        }
        at += size;
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
    fn a_sample_table_announcing_more_entries_than_its_box_holds_is_refused() {
        let bytes = fixture("machine_beep.m4a");
        check_mp4(&Input::from_bytes("whole.m4a", bytes.clone())).unwrap();
        for table in [b"stco", b"stsc", b"stts"] {
            let at = bytes
                .windows(4)
                .position(|w| w == table)
                .expect("the fixture has the table");
            let mut damaged = bytes.clone();
            // The entry count follows the type (4), version and flags (4).
            damaged[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
            let e = check_mp4(&Input::from_bytes("damaged.m4a", damaged)).unwrap_err();
            let text = e.to_string();
            let name = String::from_utf8_lossy(table).into_owned();
            assert!(
                text.contains(&name) && text.contains("4294967280 entries"),
                "{text}"
            );
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
