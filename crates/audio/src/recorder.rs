//! Writing what each side of a call heard, as WAV files a person can listen to or plot.
//!
//! A simulated call has two directions of audio: what came **from the callee** (its
//! greeting, a person's voice and key presses) and what went **to the callee** (the app's
//! `<Say>`/`<Play>`, the record beep, `SendDigits` DTMF). [`CallRecorder`] takes both,
//! frame by frame as the simulation renders them, and writes either one stereo file
//! (left = callee, right = app: on headphones each side is in one ear) or two mono files.
//! Mono files are what `ringside detect --plot` reads best; the stereo file is one
//! artefact per call.
//!
//! The writer streams (hound writes as it goes), so a long call never sits in memory here.
//! Samples are 16-bit PCM, clipped to full scale: the simulator's mixer can sum sources
//! past ±1.0, and a wrapped-around sample would sound like a click that never happened.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Why a call's audio could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct RecordError {
    /// The file being written.
    pub path: PathBuf,
    /// What went wrong.
    #[source]
    pub source: hound::Error,
}

/// How a call's two directions are laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One file `STEM.wav`: left channel the callee, right channel the app.
    #[default]
    Stereo,
    /// Two mono files, `STEM.callee.wav` and `STEM.app.wav`.
    Split,
}

/// The files one call was written to.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// The files written (one for stereo, two for split: callee first).
    pub files: Vec<PathBuf>,
    /// Length of the recording in seconds.
    pub seconds: f64,
}

type Writer = hound::WavWriter<BufWriter<File>>;

/// Streams both directions of one call into WAV.
///
/// Call [`push`](Self::push) with each rendered frame (both directions, same length; a
/// shorter side is padded with silence), then [`finish`](Self::finish), which finalises
/// the headers. A recorder dropped without `finish` leaves files hound could not finalise.
pub struct CallRecorder {
    layout: Layout,
    rate: u32,
    writers: Vec<(PathBuf, Writer)>,
    frames: u64,
}

impl std::fmt::Debug for CallRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<&PathBuf> = self.writers.iter().map(|(p, _)| p).collect();
        f.debug_struct("CallRecorder")
            .field("layout", &self.layout)
            .field("rate", &self.rate)
            .field("files", &files)
            .field("frames", &self.frames)
            .finish()
    }
}

impl CallRecorder {
    /// Creates the file(s) for a call: `dir/STEM.wav`, or `dir/STEM.callee.wav` and
    /// `dir/STEM.app.wav`. `stem` is sanitised (see [`file_stem`]); `rate` is the line's
    /// sample rate.
    pub fn create(dir: &Path, stem: &str, rate: u32, layout: Layout) -> Result<Self, RecordError> {
        let stem = file_stem(stem);
        let spec = |channels| hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let open = |path: PathBuf, channels| {
            Writer::create(&path, spec(channels))
                .map(|w| (path.clone(), w))
                .map_err(|source| RecordError { path, source })
        };
        let writers = match layout {
            Layout::Stereo => vec![open(dir.join(format!("{stem}.wav")), 2)?],
            Layout::Split => vec![
                open(dir.join(format!("{stem}.callee.wav")), 1)?,
                open(dir.join(format!("{stem}.app.wav")), 1)?,
            ],
        };
        Ok(Self {
            layout,
            rate,
            writers,
            frames: 0,
        })
    }

    /// Appends one stretch of the call: what came from the callee and what went to it.
    pub fn push(&mut self, from_callee: &[f32], to_callee: &[f32]) -> Result<(), RecordError> {
        let n = from_callee.len().max(to_callee.len());
        let at = |x: &[f32], i: usize| x.get(i).copied().unwrap_or(0.0);
        for i in 0..n {
            let (callee, app) = (pcm16(at(from_callee, i)), pcm16(at(to_callee, i)));
            match self.layout {
                Layout::Stereo => {
                    let (path, w) = &mut self.writers[0];
                    write(w, path, callee)?;
                    write(w, path, app)?;
                }
                Layout::Split => {
                    for ((path, w), v) in self.writers.iter_mut().zip([callee, app]) {
                        write(w, path, v)?;
                    }
                }
            }
        }
        self.frames += n as u64;
        Ok(())
    }

    /// Finalises the file(s).
    pub fn finish(self) -> Result<RecordedCall, RecordError> {
        let mut files = Vec::with_capacity(self.writers.len());
        for (path, w) in self.writers {
            w.finalize().map_err(|source| RecordError {
                path: path.clone(),
                source,
            })?;
            files.push(path);
        }
        Ok(RecordedCall {
            files,
            seconds: self.frames as f64 / f64::from(self.rate.max(1)),
        })
    }
}

/// Writes a whole call at once (for a simulation that kept both directions, such as
/// `sim::Line::from_callee_audio` / `to_callee_audio`).
pub fn write_call(
    dir: &Path,
    stem: &str,
    rate: u32,
    layout: Layout,
    from_callee: &[f32],
    to_callee: &[f32],
) -> Result<RecordedCall, RecordError> {
    let mut r = CallRecorder::create(dir, stem, rate, layout)?;
    r.push(from_callee, to_callee)?;
    r.finish()
}

/// A file-name stem from a call's name: letters, digits, `-`, `_` and `.` kept, anything
/// else (path separators included) replaced by `_`, so a scenario name cannot write
/// outside the directory.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_start_matches('.');
    if stem.is_empty() {
        "call".to_owned()
    } else {
        stem.to_owned()
    }
}

fn pcm16(v: f32) -> i16 {
    // NaN maps to 0 (`as` saturates and sends NaN to 0).
    (v.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16
}

fn write(w: &mut Writer, path: &Path, v: i16) -> Result<(), RecordError> {
    w.write_sample(v).map_err(|source| RecordError {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn read(path: &Path) -> (hound::WavSpec, Vec<i16>) {
        let mut r = hound::WavReader::open(path).unwrap();
        let spec = r.spec();
        (spec, r.samples::<i16>().map(Result::unwrap).collect())
    }

    #[test]
    fn stereo_interleaves_callee_left_app_right_and_pads() {
        let dir = TempDir::new();
        std::fs::create_dir_all(dir.file("")).unwrap();
        let mut r = CallRecorder::create(&dir.file(""), "call 1/x", 8000, Layout::Stereo).unwrap();
        r.push(&[0.5, 0.5, 0.5], &[-0.25]).unwrap();
        r.push(&[], &[2.0]).unwrap();
        let done = r.finish().unwrap();
        assert_eq!(done.files, vec![dir.file("call_1_x.wav")]);
        assert!((done.seconds - 4.0 / 8000.0).abs() < 1e-12);
        let (spec, s) = read(&done.files[0]);
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (2, 8000, 16)
        );
        assert_eq!(s, vec![16384, -8192, 16384, 0, 16384, 0, 0, 32767]);
    }

    #[test]
    fn split_writes_two_mono_files() {
        let dir = TempDir::new();
        std::fs::create_dir_all(dir.file("")).unwrap();
        let done = write_call(
            &dir.file(""),
            "c",
            8000,
            Layout::Split,
            &[0.1; 80],
            &[-0.1; 80],
        )
        .unwrap();
        assert_eq!(done.files.len(), 2);
        let (spec, callee) = read(&done.files[0]);
        assert_eq!(spec.channels, 1);
        assert_eq!(callee.len(), 80);
        assert!(callee.iter().all(|&v| v > 0));
        let (_, app) = read(&done.files[1]);
        assert!(app.iter().all(|&v| v < 0));
    }

    #[test]
    fn stems_cannot_escape_the_directory() {
        assert_eq!(file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem(""), "call");
        assert_eq!(file_stem("..."), "call");
        assert_eq!(file_stem("vm-01_beep"), "vm-01_beep");
    }

    #[test]
    fn unwritable_directory_is_an_error_naming_the_file() {
        let dir = TempDir::new();
        let e = CallRecorder::create(&dir.file("missing"), "x", 8000, Layout::Stereo).unwrap_err();
        assert!(e.to_string().contains("missing"), "{e}");
    }
}
