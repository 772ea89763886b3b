//! Writing calls: WAV files (16-bit PCM) and the `manifest.json` that `ringside eval`
//! reads (the format of the shared corpus: `file`, `label`, `beep_at`, `beep_end`,
//! `speech_start`, `speech_end`, `utterances`, `source`, `conditions`), plus `recipe` and
//! `tags`, which the reader ignores.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::render::{Label, Rendered};

/// One manifest entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub label: Label,
    pub beep_at: Option<f64>,
    pub beep_end: Option<f64>,
    pub speech_start: Option<f64>,
    pub speech_end: Option<f64>,
    pub utterances: Vec<(f64, f64)>,
    pub source: String,
    pub conditions: String,
    /// The recipe the call was drawn from.
    pub recipe: String,
    pub tags: Vec<String>,
}

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write: {reason}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    pub reason: String,
}

/// 16-bit sample of a float in ±1.0 (rounded, saturated).
pub fn to_i16(v: f32) -> i16 {
    (f64::from(v) * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

/// Writes `call` as a WAV file at `path`.
pub fn write_wav(path: &Path, call: &Rendered) -> Result<(), WriteError> {
    let err = |reason: String| WriteError {
        path: path.to_path_buf(),
        reason,
    };
    let spec = hound::WavSpec {
        channels: call.channels.clamp(1, 2) as u16,
        sample_rate: call.rate_hz,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(|e| err(e.to_string()))?;
    for &v in &call.samples {
        let s = to_i16(v);
        if spec.channels == 2 {
            let (l, r) = if call.far_right { (0, s) } else { (s, 0) };
            w.write_sample(l).map_err(|e| err(e.to_string()))?;
            w.write_sample(r).map_err(|e| err(e.to_string()))?;
        } else {
            w.write_sample(s).map_err(|e| err(e.to_string()))?;
        }
    }
    w.finalize().map_err(|e| err(e.to_string()))
}

/// The manifest entry of `call` written as `file` from `recipe`.
pub fn entry(file: &str, call: &Rendered, recipe: &str, tags: &[String]) -> Entry {
    let l = &call.labels;
    Entry {
        file: file.to_owned(),
        label: l.label,
        beep_at: l.beep_at,
        beep_end: l.beep_end,
        speech_start: l.speech_start,
        speech_end: l.speech_end,
        utterances: l.utterances.clone(),
        source: l.source.clone(),
        conditions: l.conditions.clone(),
        recipe: recipe.to_owned(),
        tags: tags.to_vec(),
    }
}

/// Writes the manifest (a JSON array, one entry per line for readable diffs).
pub fn write_manifest(path: &Path, entries: &[Entry]) -> Result<(), WriteError> {
    let err = |reason: String| WriteError {
        path: path.to_path_buf(),
        reason,
    };
    let mut text = String::from("[\n");
    for (i, e) in entries.iter().enumerate() {
        let line = serde_json::to_string(e).map_err(|e| err(e.to_string()))?;
        text.push_str(&line);
        text.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
    }
    text.push_str("]\n");
    std::fs::write(path, text).map_err(|e| err(e.to_string()))
}
