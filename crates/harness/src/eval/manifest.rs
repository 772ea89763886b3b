//! A labelled corpus: the `manifest.json` format of `../shared/corpus/dev`.
//!
//! A JSON array of entries, one per recording, with the truth about it: what answered,
//! where the beep is, where the speech is. File names are relative to the manifest's
//! directory (absolute names are used as they are).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ringside_dsp::Verdict;
use serde::{Deserialize, Serialize};

/// What really answered, according to the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Human,
    Machine,
    Fax,
    Silence,
}

impl Label {
    /// All labels, in report order.
    pub const ALL: [Label; 4] = [Label::Human, Label::Machine, Label::Fax, Label::Silence];

    /// Lower-case name, as in manifests.
    pub fn as_str(self) -> &'static str {
        self.verdict().as_str()
    }

    /// The verdict that is right for this label.
    pub fn verdict(self) -> Verdict {
        match self {
            Self::Human => Verdict::Human,
            Self::Machine => Verdict::Machine,
            Self::Fax => Verdict::Fax,
            Self::Silence => Verdict::Silence,
        }
    }

    /// Position in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One labelled recording. Times are seconds from the file's first sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// File name, relative to the manifest's directory.
    pub file: String,
    pub label: Label,
    /// Onset of the (first burst of the) voicemail beep.
    #[serde(default)]
    pub beep_at: Option<f64>,
    /// End of the (last burst of the) beep.
    #[serde(default)]
    pub beep_end: Option<f64>,
    /// First sample of speech.
    #[serde(default)]
    pub speech_start: Option<f64>,
    /// Last sample of speech.
    #[serde(default)]
    pub speech_end: Option<f64>,
    /// Speech as `[start, end]` pairs: one per human utterance, one for a whole greeting.
    #[serde(default)]
    pub utterances: Vec<(f64, f64)>,
    /// What the audio is made of (free text).
    #[serde(default)]
    pub source: String,
    /// `;`-separated channel conditions (free text).
    #[serde(default)]
    pub conditions: String,
    /// Any other fields (`ringside synth` writes `recipe` and `tags`), kept so that
    /// `eval --by FIELD` can group files by them.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A loaded manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The directory that entry file names are relative to.
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
}

/// A manifest that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{}: cannot read the manifest: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a valid manifest (a JSON array of entries): {source}", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: the manifest lists no files", path.display())]
    Empty { path: PathBuf },
}

impl Manifest {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, dir).map_err(|e| match e {
            ParseError::Json(source) => ManifestError::Json {
                path: path.to_path_buf(),
                source,
            },
            ParseError::Empty => ManifestError::Empty {
                path: path.to_path_buf(),
            },
        })
    }

    fn parse(text: &str, dir: PathBuf) -> Result<Self, ParseError> {
        let entries: Vec<Entry> = serde_json::from_str(text).map_err(ParseError::Json)?;
        if entries.is_empty() {
            return Err(ParseError::Empty);
        }
        Ok(Self { dir, entries })
    }

    /// Where the audio of `entry` is.
    pub fn path_of(&self, entry: &Entry) -> PathBuf {
        self.dir.join(&entry.file)
    }
}

enum ParseError {
    Json(serde_json::Error),
    Empty,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_corpus_format() {
        let text = r#"[{"file": "dev_0001.wav", "label": "machine", "beep_at": 13.321125,
            "beep_end": 13.744375, "speech_start": 1.55325, "speech_end": 12.742125,
            "utterances": [[1.55325, 12.742125]], "source": "en:x | beep=sine",
            "conditions": "ulaw"},
            {"file": "f.wav", "label": "fax", "beep_at": null, "beep_end": null,
            "speech_start": null, "speech_end": null, "utterances": [], "source": "fax",
            "conditions": "clean"}]"#;
        let m = Manifest::parse(text, PathBuf::from("corpus")).ok().unwrap();
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries[0].label, Label::Machine);
        assert_eq!(m.entries[0].utterances, [(1.55325, 12.742125)]);
        assert_eq!(m.entries[1].beep_at, None);
        assert_eq!(
            m.path_of(&m.entries[1]),
            PathBuf::from("corpus").join("f.wav")
        );
    }

    #[test]
    fn rejects_unknown_labels_and_empty_lists() {
        let bad = r#"[{"file": "a.wav", "label": "robot"}]"#;
        assert!(matches!(
            Manifest::parse(bad, PathBuf::new()),
            Err(ParseError::Json(_))
        ));
        assert!(matches!(
            Manifest::parse("[]", PathBuf::new()),
            Err(ParseError::Empty)
        ));
    }
}
