//! Speech clips: the committed espeak-ng clips of `fixtures/speech/`, or a user's own.
//!
//! A library is a folder of recordings sorted into kinds by subfolder or by file-name
//! prefix: `greetings/` or `greeting_*.wav` (voicemail greetings), `answers/` or
//! `answer_*.wav` (a person's short answer: "hello?"), `names/` or `name_*.wav`, `long/` or
//! `long_*.wav` (a long first sentence), `ivr/` or `ivr_*.wav` (menus),
//! `announcements/` or `announcement_*.wav` (network announcements after SIT). Files are
//! decoded by ringside-audio, so they may be in any format `ringside detect` reads (WAV of
//! any encoding, G.711, MP3, FLAC, Ogg Vorbis, M4A), at any rate and channel count: they
//! are mixed to mono, resampled to 8 kHz and
//! trimmed of their leading and trailing silence (10 ms frames; a frame is speech when its
//! RMS is above max(noise floor + 12 dB, peak − 40 dB), the floor being the 3rd percentile
//! of frame levels; then inside the first and last speech frame, from and to the first and
//! last sample reaching 1 % of the peak), so a placed clip's first and last samples are
//! where the labels say speech starts and ends.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use ringside_audio::{AudioError, AudioStream, StreamOptions};

/// The rate clips are kept at.
pub const CLIP_RATE: u32 = 8000;

/// A clip that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not audio ringside can decode (the error names the file).
    #[error(transparent)]
    Decode(#[from] AudioError),
    #[error("{}: no speech in the file (silent or too short)", path.display())]
    Silent { path: PathBuf },
    #[error("{}: no speech clips found (expected subfolders greetings/, answers/, names/, long/, ivr/, announcements/ or files named greeting_*.wav, answer_*.mp3, ...)", dir.display())]
    Empty { dir: PathBuf },
    #[error("the speech library {} has no {kind} (files under {kind}/ or named {prefix}_*.wav, .mp3, .flac, ...)", dir.display())]
    Missing {
        dir: PathBuf,
        kind: &'static str,
        prefix: &'static str,
    },
}

/// What a clip is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Greeting,
    Answer,
    Name,
    Long,
    Ivr,
    Announcement,
}

impl Kind {
    const ALL: [(Kind, &'static str, &'static str); 6] = [
        (Kind::Greeting, "greetings", "greeting"),
        (Kind::Answer, "answers", "answer"),
        (Kind::Name, "names", "name"),
        (Kind::Long, "long", "long"),
        (Kind::Ivr, "ivr", "ivr"),
        (Kind::Announcement, "announcements", "announcement"),
    ];

    fn folder(self) -> &'static str {
        Self::ALL.iter().find(|k| k.0 == self).map_or("", |k| k.1)
    }

    fn prefix(self) -> &'static str {
        Self::ALL.iter().find(|k| k.0 == self).map_or("", |k| k.2)
    }
}

/// One trimmed clip at 8 kHz.
#[derive(Debug, Clone)]
pub struct Clip {
    /// `folder/stem`, as written in manifests' `source`.
    pub name: String,
    pub samples: Vec<f32>,
    /// RMS over the clip's speech frames (the active level).
    pub active_rms: f32,
}

/// Clips by kind.
#[derive(Debug, Clone)]
pub struct SpeechLibrary {
    dir: PathBuf,
    clips: Vec<(Kind, Clip)>,
}

impl SpeechLibrary {
    /// Loads every recording of `dir` (subfolders by kind, or kind prefixes).
    pub fn load(dir: &Path) -> Result<Self, SpeechError> {
        let mut clips = Vec::new();
        for (kind, folder, prefix) in Kind::ALL {
            let sub = dir.join(folder);
            if sub.is_dir() {
                for path in audio_files(&sub)? {
                    clips.push((kind, load_clip(&path, folder)?));
                }
            }
            for path in audio_files(dir)? {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if stem.starts_with(&format!("{prefix}_")) {
                    clips.push((kind, load_clip(&path, "")?));
                }
            }
        }
        if clips.is_empty() {
            return Err(SpeechError::Empty {
                dir: dir.to_path_buf(),
            });
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            clips,
        })
    }

    /// The clip of `kind` chosen by `pick` (`pick % count`).
    pub fn pick(&self, kind: Kind, pick: u64) -> Result<&Clip, SpeechError> {
        let of_kind: Vec<&Clip> = self
            .clips
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, c)| c)
            .collect();
        if of_kind.is_empty() {
            return Err(SpeechError::Missing {
                dir: self.dir.clone(),
                kind: kind.folder(),
                prefix: kind.prefix(),
            });
        }
        Ok(of_kind[(pick % of_kind.len() as u64) as usize])
    }

    /// How many clips there are.
    pub fn len(&self) -> usize {
        self.clips.len()
    }

    /// Whether there are none (never, for a loaded library).
    pub fn is_empty(&self) -> bool {
        self.clips.is_empty()
    }
}

/// File extensions taken as recordings: the formats ringside-audio decodes.
const AUDIO_EXTENSIONS: [&str; 9] = [
    "wav", "wave", "mp3", "flac", "ogg", "oga", "m4a", "mp4", "aac",
];

/// The committed clips: `fixtures/speech` of the working directory, else of the source
/// tree ringside was built from.
pub fn default_dir() -> PathBuf {
    let here = Path::new("fixtures").join("speech");
    if here.is_dir() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(here)
    }
}

/// The library of `dir`, loaded on first use and shared for the rest of the process: a
/// server or a scenario run renders many calls from the same clips.
pub fn shared(dir: &Path) -> Result<Arc<SpeechLibrary>, SpeechError> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<SpeechLibrary>>>> = OnceLock::new();
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let loaded = LOADED.get_or_init(Mutex::default);
    if let Some(lib) = loaded
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Ok(Arc::clone(lib));
    }
    // Loaded outside the lock; two threads racing on a first load keep one result.
    let lib = Arc::new(SpeechLibrary::load(dir)?);
    let mut map = loaded.lock().unwrap_or_else(PoisonError::into_inner);
    Ok(Arc::clone(map.entry(key).or_insert(lib)))
}

fn audio_files(dir: &Path) -> Result<Vec<PathBuf>, SpeechError> {
    let entries = std::fs::read_dir(dir).map_err(|source| SpeechError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
        })
        .collect();
    // Sorted, so a pick names the same clip on every file system.
    out.sort();
    Ok(out)
}

fn load_clip(path: &Path, folder: &str) -> Result<Clip, SpeechError> {
    let samples = decode_mono_8k(path)?;
    let (samples, active_rms) = trim(&samples).ok_or_else(|| SpeechError::Silent {
        path: path.to_path_buf(),
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = if folder.is_empty() {
        stem
    } else {
        format!("{folder}/{stem}")
    };
    Ok(Clip {
        name,
        samples,
        active_rms,
    })
}

/// Decodes a recording (any format ringside-audio reads, any rate and channel count) as
/// mono at 8 kHz.
pub fn decode_mono_8k(path: &Path) -> Result<Vec<f32>, SpeechError> {
    let stream = AudioStream::open(path, StreamOptions::for_rate(CLIP_RATE).on_callers_thread())?;
    let mut samples = Vec::new();
    stream.for_each_chunk(|chunk| samples.extend_from_slice(chunk))?;
    Ok(samples)
}

/// Cuts leading and trailing silence by the rule in the module doc; returns the cut clip
/// and its active RMS, or `None` when no frame is speech.
pub fn trim(x: &[f32]) -> Option<(Vec<f32>, f32)> {
    const FRAME: usize = (CLIP_RATE / 100) as usize;
    let levels: Vec<f64> = x
        .chunks_exact(FRAME)
        .map(|f| {
            let ms = f.iter().map(|v| f64::from(*v) * f64::from(*v)).sum::<f64>() / FRAME as f64;
            10.0 * ms.max(1e-18).log10()
        })
        .collect();
    if levels.is_empty() {
        return None;
    }
    let mut sorted = levels.clone();
    sorted.sort_by(f64::total_cmp);
    let floor = sorted[(0.03 * (sorted.len() - 1) as f64) as usize];
    let peak_db = sorted[sorted.len() - 1];
    let thresh = (floor + 12.0).max(peak_db - 40.0);
    let active: Vec<usize> = (0..levels.len()).filter(|&i| levels[i] > thresh).collect();
    let (&first, &last) = (active.first()?, active.last()?);
    let seg = &x[first * FRAME..(last + 1) * FRAME];
    let peak = seg.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let lo = seg.iter().position(|v| v.abs() >= 0.01 * peak)?;
    let hi = seg.len() - seg.iter().rev().position(|v| v.abs() >= 0.01 * peak)?;
    let cut = seg[lo..hi].to_vec();
    let active_ms = active
        .iter()
        .map(|&i| 10f64.powf(levels[i] / 10.0))
        .sum::<f64>()
        / active.len() as f64;
    Some((cut, active_ms.sqrt() as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_cuts_silence_around_sound() {
        let mut x = vec![0.0f32; 8000];
        for (i, v) in x.iter_mut().enumerate().take(6000).skip(2000) {
            *v = 0.3 * (i as f32 * 0.3).sin();
        }
        let (cut, rms) = trim(&x).unwrap();
        assert!((3990..=4000).contains(&cut.len()), "{}", cut.len());
        assert!(cut[0].abs() > 0.0 && cut[cut.len() - 1].abs() > 0.0);
        assert!((rms - 0.3 / 2f32.sqrt()).abs() < 0.01);
        assert!(trim(&[0.0; 100]).is_none());
    }
}
