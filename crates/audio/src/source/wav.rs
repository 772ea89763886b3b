//! WAV decoding with hound: integer PCM of 8 to 32 bits, 32-bit float, WAVE_FORMAT_EXTENSIBLE.
//!
//! hound trusts the header for the amount of audio and only notices a short file when a
//! read fails half-way. We compare the data chunk's announced size with what the file
//! really holds when opening it, so a truncated file is refused before it is analysed
//! rather than after a partial (and misleading) run.

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use hound::{SampleFormat, WavIntoSamples, WavReader};

use super::{AudioSource, Encoding, SourceInfo, Timing};
use crate::error::AudioErrorKind;
use crate::input::{Input, InputReader};

/// hound's message when a read hits the end of the file.
const HOUND_SHORT_READ: &str = "Failed to read enough bytes.";

/// A WAV file being decoded, one block at a time.
#[derive(Debug)]
pub struct WavSource {
    info: SourceInfo,
    samples: Samples,
    /// Size of one stored sample in bytes (for error messages).
    bytes_per_sample: u64,
    /// Samples (not frames) decoded so far.
    samples_read: u64,
    data_bytes: u64,
}

/// hound's sample iterator, typed by the stored format.
enum Samples {
    /// Integer samples, with the factor that maps them to ±1.0.
    Int(WavIntoSamples<BufReader<InputReader>, i32>, f32),
    Float(WavIntoSamples<BufReader<InputReader>, f32>),
}

impl std::fmt::Debug for Samples {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Int(_, scale) => write!(f, "Int(scale {scale})"),
            Self::Float(_) => f.write_str("Float"),
        }
    }
}

impl WavSource {
    /// Opens and checks a WAV file: header, encoding, and that the data is all there.
    pub fn open(input: &Input) -> Result<Self, AudioErrorKind> {
        let layout = DataLayout::read(input)?;
        let reader = WavReader::new(BufReader::new(input.reader())).map_err(from_hound)?;
        let spec = reader.spec();
        let total_samples = u64::from(reader.len());
        if total_samples == 0 {
            return Err(AudioErrorKind::NoSamples);
        }
        let bytes_per_sample = (layout.data_bytes / total_samples).max(1);
        let (encoding, samples) = match spec.sample_format {
            SampleFormat::Int => {
                if !(8..=32).contains(&spec.bits_per_sample) {
                    return Err(AudioErrorKind::UnsupportedEncoding(format!(
                        "{}-bit integer samples",
                        spec.bits_per_sample
                    )));
                }
                // Signed full scale is 2^(bits-1); hound already re-centres 8-bit unsigned.
                let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
                (
                    Encoding::Int {
                        bits: spec.bits_per_sample,
                    },
                    Samples::Int(reader.into_samples(), scale),
                )
            }
            SampleFormat::Float => {
                if spec.bits_per_sample != 32 {
                    return Err(AudioErrorKind::UnsupportedEncoding(format!(
                        "{}-bit float samples (only 32-bit float is read)",
                        spec.bits_per_sample
                    )));
                }
                (
                    Encoding::Float {
                        bits: spec.bits_per_sample,
                    },
                    Samples::Float(reader.into_samples()),
                )
            }
        };
        Ok(Self {
            info: SourceInfo {
                format: "wav",
                encoding,
                sample_rate: spec.sample_rate,
                channels: spec.channels,
                frames: Some(total_samples / u64::from(spec.channels.max(1))),
                timing: Timing::Exact,
            },
            samples,
            bytes_per_sample,
            samples_read: 0,
            data_bytes: layout.data_bytes,
        })
    }

    fn next_sample(&mut self) -> Option<Result<f32, hound::Error>> {
        match &mut self.samples {
            Samples::Int(it, scale) => it.next().map(|r| r.map(|v| v as f32 * *scale)),
            Samples::Float(it) => it.next(),
        }
    }
}

impl AudioSource for WavSource {
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
        let wanted = max_frames * channels;
        while buf.len() < wanted {
            match self.next_sample() {
                Some(Ok(v)) => {
                    buf.push(v);
                    self.samples_read += 1;
                }
                Some(Err(hound::Error::IoError(e))) if is_short_read(&e) => {
                    // The file shrank after it was opened.
                    return Err(AudioErrorKind::Truncated {
                        expected_bytes: self.data_bytes,
                        actual_bytes: self.samples_read * self.bytes_per_sample,
                    });
                }
                Some(Err(e)) => return Err(from_hound(e)),
                None => break,
            }
        }
        // hound guarantees whole frames; drop a partial one defensively.
        buf.truncate(buf.len() / channels * channels);
        Ok(buf.len() / channels)
    }
}

/// Where the data chunk is and how big the header says it is.
#[derive(Debug)]
struct DataLayout {
    data_bytes: u64,
}

impl DataLayout {
    /// Parses the header (through hound, so both agree) and checks the data is all there.
    fn read(input: &Input) -> Result<Self, AudioErrorKind> {
        let file_len = input.len();
        let mut counting = CountingReader {
            inner: BufReader::new(input.reader()),
            count: 0,
        };
        // hound stops right after the data chunk's header: what it consumed is the offset
        // of the first audio byte, and the 4 bytes before it are the chunk's length.
        WavReader::new(&mut counting).map_err(from_hound)?;
        let data_start = counting.count;
        let mut file = counting.inner.into_inner();
        let data_bytes = read_chunk_len_before(&mut file, data_start)?;
        let actual_bytes = file_len.saturating_sub(data_start);
        if actual_bytes < data_bytes {
            return Err(AudioErrorKind::Truncated {
                expected_bytes: data_bytes,
                actual_bytes,
            });
        }
        Ok(Self { data_bytes })
    }
}

/// Reads the `data` chunk length stored in the 4 bytes before `data_start`.
fn read_chunk_len_before(file: &mut InputReader, data_start: u64) -> Result<u64, AudioErrorKind> {
    let header_at = data_start
        .checked_sub(8)
        .ok_or_else(|| AudioErrorKind::Malformed("data chunk header not found".to_owned()))?;
    let mut header = [0u8; 8];
    file.seek(SeekFrom::Start(header_at))
        .and_then(|_| file.read_exact(&mut header))
        .map_err(AudioErrorKind::Io)?;
    if &header[..4] != b"data" {
        return Err(AudioErrorKind::Malformed(
            "data chunk header not found".to_owned(),
        ));
    }
    Ok(u64::from(u32::from_le_bytes([
        header[4], header[5], header[6], header[7],
    ])))
}

/// Counts the bytes handed out, to learn where hound's header parsing stopped.
struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

fn is_short_read(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::UnexpectedEof || e.to_string() == HOUND_SHORT_READ
}

/// Translates hound's errors (raised while parsing the header) into ours.
fn from_hound(e: hound::Error) -> AudioErrorKind {
    match e {
        hound::Error::IoError(e) if is_short_read(&e) => {
            AudioErrorKind::Malformed("the header is cut short".to_owned())
        }
        hound::Error::IoError(e) => AudioErrorKind::Io(e),
        hound::Error::FormatError(msg) => AudioErrorKind::Malformed(msg.to_owned()),
        hound::Error::Unsupported => AudioErrorKind::UnsupportedEncoding(
            "not linear PCM, IEEE float or G.711 (ADPCM and other codecs are not read)".to_owned(),
        ),
        other => AudioErrorKind::Malformed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{TempDir, sine, write_wav};
    use std::path::Path;

    fn decode_all(path: &Path) -> Result<(SourceInfo, Vec<f32>), AudioErrorKind> {
        let mut src = WavSource::open(&Input::open(path).unwrap())?;
        let mut all = Vec::new();
        let mut buf = Vec::new();
        while src.read_frames(&mut buf, 1000)? > 0 {
            all.extend_from_slice(&buf);
        }
        Ok((src.info().clone(), all))
    }

    #[test]
    fn decodes_every_pcm_width_and_float() {
        let dir = TempDir::new();
        let x = sine(440.0, 8000, 0.25);
        for (bits, float, tolerance) in [
            (8, false, 1.0 / 100.0),
            (16, false, 1.0 / 30_000.0),
            (24, false, 1e-6),
            (32, false, 1e-6),
            (32, true, 1e-6),
        ] {
            let path = dir.file(&format!("x{bits}{float}.wav"));
            write_wav(&path, 8000, 1, bits, float, &x);
            let (info, y) = decode_all(&path).unwrap();
            assert_eq!(info.sample_rate, 8000);
            assert_eq!(info.frames, Some(x.len() as u64));
            let want = if float {
                Encoding::Float { bits }
            } else {
                Encoding::Int { bits }
            };
            assert_eq!(info.encoding, want);
            assert_eq!(y.len(), x.len());
            let err = x
                .iter()
                .zip(&y)
                .map(|(a, b)| (a - f64::from(*b)).abs())
                .fold(0.0, f64::max);
            assert!(err <= tolerance, "{bits}-bit float={float}: error {err}");
        }
    }

    #[test]
    fn reads_extensible_multichannel_interleaved() {
        // hound writes WAVE_FORMAT_EXTENSIBLE for more than two channels.
        let dir = TempDir::new();
        let path = dir.file("six.wav");
        write_wav(&path, 48_000, 6, 16, false, &[0.25, -0.5]);
        let (info, y) = decode_all(&path).unwrap();
        assert_eq!(info.channels, 6);
        assert_eq!(info.frames, Some(2));
        assert_eq!(y.len(), 12);
        assert!(y[..6].iter().all(|v| (v - 0.25).abs() < 1e-4));
    }

    #[test]
    fn truncated_data_is_refused_up_front() {
        let dir = TempDir::new();
        let path = dir.file("cut.wav");
        write_wav(&path, 8000, 1, 16, false, &sine(440.0, 8000, 1.0));
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        match WavSource::open(&Input::open(&path).unwrap()) {
            Err(AudioErrorKind::Truncated {
                expected_bytes,
                actual_bytes,
            }) => {
                assert_eq!(expected_bytes, 16_000);
                assert!(actual_bytes < 8000, "{actual_bytes}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_without_samples_is_no_samples() {
        let dir = TempDir::new();
        let path = dir.file("none.wav");
        write_wav(&path, 8000, 1, 16, false, &[]);
        assert!(matches!(
            WavSource::open(&Input::open(&path).unwrap()),
            Err(AudioErrorKind::NoSamples)
        ));
    }

    #[test]
    fn header_cut_short_is_malformed() {
        let dir = TempDir::new();
        let path = dir.file("head.wav");
        write_wav(&path, 8000, 1, 16, false, &[0.1; 100]);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..20]).unwrap();
        assert!(matches!(
            WavSource::open(&Input::open(&path).unwrap()),
            Err(AudioErrorKind::Malformed(_))
        ));
    }

    #[test]
    fn mu_law_is_unsupported_encoding() {
        // A WAVE_FORMAT_MULAW (7) header: hound rejects it, we say what it is.
        // (`open_source` never gets here: it sends G.711 to rodio.)
        let dir = TempDir::new();
        let path = dir.file("ulaw.wav");
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&(36u32 + 4).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&7u16.to_le_bytes()); // format
        b.extend_from_slice(&1u16.to_le_bytes()); // channels
        b.extend_from_slice(&8000u32.to_le_bytes());
        b.extend_from_slice(&8000u32.to_le_bytes()); // bytes/s
        b.extend_from_slice(&1u16.to_le_bytes()); // block align
        b.extend_from_slice(&8u16.to_le_bytes()); // bits
        b.extend_from_slice(b"data");
        b.extend_from_slice(&4u32.to_le_bytes());
        b.extend_from_slice(&[0xFF; 4]);
        std::fs::write(&path, b).unwrap();
        assert!(matches!(
            WavSource::open(&Input::open(&path).unwrap()),
            Err(AudioErrorKind::UnsupportedEncoding(_))
        ));
    }
}
