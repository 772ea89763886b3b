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
    #[error(
        "{}: this is {format} audio, not a manifest (a JSON array of entries); to analyse \
         recordings, run `ringside detect {}`", path.display(), path.display()
    )]
    Audio { path: PathBuf, format: &'static str },
    #[error("{}: not a valid manifest (a JSON array of entries): {source}", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// One entry is not what the format says, e.g. `"label": 1`.
    #[error("{}: entry {index}{}: field `{field}` {problem}", path.display(), file_of(file))]
    Entry {
        path: PathBuf,
        /// Position in the array, from 1.
        index: usize,
        /// The entry's `file`, when it has one.
        file: Option<String>,
        field: String,
        problem: String,
    },
    #[error("{}: the manifest lists no files", path.display())]
    Empty { path: PathBuf },
}

fn file_of(file: &Option<String>) -> String {
    file.as_ref()
        .map(|f| format!(" ({f:?})"))
        .unwrap_or_default()
}

impl Manifest {
    /// Reads and parses `path` (a file, a pipe, or `-` for standard input; a leading
    /// byte-order mark is allowed).
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let io = |source| ManifestError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = ringside_audio::read_input(path).map_err(|e| io(std::io::Error::other(e)))?;
        if let Some(format) = ringside_audio::audio_format_of(&bytes) {
            return Err(ManifestError::Audio {
                path: path.to_path_buf(),
                format,
            });
        }
        let text = ringside_audio::input::text_of(bytes).map_err(io)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, dir).map_err(|e| match e {
            ParseError::Json(source) => ManifestError::Json {
                path: path.to_path_buf(),
                source,
            },
            ParseError::Entry {
                index,
                file,
                field,
                problem,
            } => ManifestError::Entry {
                path: path.to_path_buf(),
                index,
                file,
                field,
                problem,
            },
            ParseError::Empty => ManifestError::Empty {
                path: path.to_path_buf(),
            },
        })
    }

    /// Parses manifest JSON as if read from a file in `dir` (the fuzz target's entry point;
    /// [`Manifest::load`] reads the file and names it in errors).
    pub fn from_json(text: &str, dir: PathBuf) -> Result<Self, String> {
        Self::parse(text, dir).map_err(|e| match e {
            ParseError::Json(e) => e.to_string(),
            ParseError::Entry {
                index,
                field,
                problem,
                ..
            } => {
                format!("entry {index}: field `{field}` {problem}")
            }
            ParseError::Empty => "the manifest lists no files".to_owned(),
        })
    }

    /// Parses manifest JSON: first as an array of objects, then each entry on its own, so
    /// that a wrong field is named with its entry rather than as a position in the text.
    fn parse(text: &str, dir: PathBuf) -> Result<Self, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: Vec<serde_json::Value> = serde_json::from_str(text).map_err(ParseError::Json)?;
        if raw.is_empty() {
            return Err(ParseError::Empty);
        }
        let entries = raw
            .into_iter()
            .enumerate()
            .map(|(i, value)| entry_of(i + 1, value))
            .collect::<Result<_, _>>()?;
        Ok(Self { dir, entries })
    }

    /// Where the audio of `entry` is.
    pub fn path_of(&self, entry: &Entry) -> PathBuf {
        self.dir.join(&entry.file)
    }
}

/// One entry of the array; the two fields every entry needs are checked by name first.
fn entry_of(index: usize, value: serde_json::Value) -> Result<Entry, ParseError> {
    let file = value
        .get("file")
        .and_then(|f| f.as_str())
        .map(str::to_owned);
    let problem = |field: &str, problem: String| ParseError::Entry {
        index,
        file: file.clone(),
        field: field.to_owned(),
        problem,
    };
    let Some(object) = value.as_object() else {
        return Err(problem(
            "file",
            format!(
                "is missing: the entry is {}, not an object",
                kind_of(&value)
            ),
        ));
    };
    match object.get("file") {
        Some(serde_json::Value::String(_)) => {}
        Some(other) => {
            return Err(problem(
                "file",
                format!("must be a file name (a string), not {}", kind_of(other)),
            ));
        }
        None => return Err(problem("file", "is missing".to_owned())),
    }
    let labels = "one of \"human\", \"machine\", \"fax\", \"silence\"";
    match object.get("label") {
        Some(serde_json::Value::String(l))
            if Label::ALL.iter().any(|label| label.as_str() == l) => {}
        Some(serde_json::Value::String(l)) => {
            return Err(problem("label", format!("is {l:?}; it must be {labels}")));
        }
        Some(other) => {
            return Err(problem(
                "label",
                format!("must be {labels} (a string), not {}", kind_of(other)),
            ));
        }
        None => return Err(problem("label", format!("is missing; it must be {labels}"))),
    }
    // The remaining fields: times in seconds (or null), `[start, end]` pairs, free text.
    for field in ["beep_at", "beep_end", "speech_start", "speech_end"] {
        match object.get(field) {
            None | Some(serde_json::Value::Null | serde_json::Value::Number(_)) => {}
            Some(other) => {
                return Err(problem(
                    field,
                    format!("must be a time in seconds or null, not {}", kind_of(other)),
                ));
            }
        }
    }
    for field in ["source", "conditions"] {
        if let Some(other) = object.get(field).filter(|v| !v.is_string()) {
            return Err(problem(
                field,
                format!("must be text (a string), not {}", kind_of(other)),
            ));
        }
    }
    serde_json::from_value(value).map_err(|e| {
        problem(
            "utterances",
            format!("must be a list of [start, end] pairs in seconds: {e}"),
        )
    })
}

/// A JSON value's kind, with the value when it is short, for messages.
fn kind_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "null".to_owned(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::String(s) => format!("the string {s:?}"),
        serde_json::Value::Array(_) => "an array".to_owned(),
        serde_json::Value::Object(_) => "an object".to_owned(),
    }
}

enum ParseError {
    Json(serde_json::Error),
    Entry {
        index: usize,
        file: Option<String>,
        field: String,
        problem: String,
    },
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
            Err(ParseError::Entry { index: 1, .. })
        ));
        assert!(matches!(
            Manifest::parse("[]", PathBuf::new()),
            Err(ParseError::Empty)
        ));
    }

    #[test]
    fn a_wrong_field_is_named_with_its_entry() {
        let load = |text: &str| {
            let dir = ringside_audio::testutil::TempDir::new();
            let path = dir.file("m.json");
            std::fs::write(&path, text).unwrap();
            Manifest::load(&path).unwrap_err().to_string()
        };
        let e = load(r#"[{"file": "a.wav", "label": "human"}, {"file": "b.wav", "label": 1}]"#);
        assert!(
            e.contains("entry 2 (\"b.wav\"): field `label`") && e.contains("the number 1"),
            "{e}"
        );
        let e = load(r#"[{"file": 7, "label": "human"}]"#);
        assert!(e.contains("field `file`"), "{e}");
        let e = load(r#"[{"file": "a.wav", "label": "human", "beep_at": "soon"}]"#);
        assert!(e.contains("entry 1") && e.contains("soon"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let dir = ringside_audio::testutil::TempDir::new();
        let path = dir.file("m.json");
        std::fs::write(
            &path,
            "\u{feff}[{\"file\": \"a.wav\", \"label\": \"human\"}]",
        )
        .unwrap();
        assert_eq!(Manifest::load(&path).unwrap().entries.len(), 1);
    }

    #[test]
    fn an_audio_file_is_not_a_manifest() {
        let dir = ringside_audio::testutil::TempDir::new();
        let path = dir.file("call.wav");
        std::fs::write(&path, b"RIFF\x10\0\0\0WAVEfmt \xff\xfe\xfd").unwrap();
        let e = Manifest::load(&path).unwrap_err().to_string();
        assert!(
            e.contains("WAV audio") && e.contains("ringside detect"),
            "{e}"
        );
    }
}
