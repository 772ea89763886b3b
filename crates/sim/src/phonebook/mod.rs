//! The phone book: what happens when the simulator calls a number.
//!
//! A JSON file (`fixtures/phonebook.json` by default) maps called numbers to a
//! [`PhoneEntry`]: ring for a while, then answer, be busy, fail, or never answer; once
//! answered, which recording plays and who is listening (a scripted [`HumanScript`], a
//! [`Voicemail`] box that records what the app plays after its beep, or an IVR that listens
//! for DTMF). Numbers not in the book get the `default` entry.
//!
//! ```json
//! {
//!   "default": {"ring_secs": 3, "answer": {"audio": "human_hello.wav", "human": {}}},
//!   "numbers": {
//!     "(415) 555-0101": {"ring_secs": 4, "answer": {"audio": "machine_beep.wav",
//!                         "voicemail": {"records_from_secs": 6.142}}},
//!     "415-555-0103": {"ring_secs": 2, "outcome": "busy"}
//!   }
//! }
//! ```
//!
//! Instead of `audio`, an answer may name a far-end recipe (`docs/recipes.md`): a file,
//! `"recipe": "recipes/voicemail_jp.json"`, or an object written inline. Each call then
//! draws its own far end from the recipe with the call's seed, rings for the drawn
//! ringback, and plays the rendered call; the recipe says who answers (a voicemail box
//! records from the rendered beep's end, a person may still have a `human` script). The
//! speech comes from the book's optional `"speech"` folder, else `fixtures/speech`.
//!
//! A person (`"human"`) may carry the words they say into a `<Record>`:
//! `"human": {"record": [{"speak_secs": 3, "then_press": "#"}], "says": "Call me back."}`.
//! That text is what a simulated transcription of the recording yields; without it (or if
//! the person did not talk into the recording) the transcription fails.
//!
//! Keys are written in any format [`PhoneNumber::parse`] accepts and normalised, so
//! `(415) 555-0101` and `+14155550101` are the same entry. Audio and recipe paths are
//! relative to the phone book's own file. The book only says what the far end *does*; who answered is
//! decided by the detector listening to the audio, never read from here.

mod entry;
mod error;
mod raw;
mod recipe;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ringside_call::PhoneNumber;

pub use entry::{
    Answer, AnswerRecipe, HumanScript, KeyPress, Outcome, PhoneEntry, RecordReply, Role, Voicemail,
};
pub use error::PhoneBookError;

/// A loaded, validated phone book.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneBook {
    path: PathBuf,
    default: PhoneEntry,
    numbers: BTreeMap<PhoneNumber, PhoneEntry>,
}

impl PhoneBook {
    /// Reads and validates the phone book at `path`; audio paths resolve against its folder.
    pub fn load(path: &Path) -> Result<Self, PhoneBookError> {
        let text = ringside_audio::read_text(path).map_err(|source| PhoneBookError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, path)
    }

    /// Parses phone-book JSON as if it had been read from `path` (used for error messages
    /// and as the base of relative audio paths; the file itself is not read).
    pub fn from_json(text: &str, path: &Path) -> Result<Self, PhoneBookError> {
        let raw: raw::RawBook =
            serde_json::from_str(text).map_err(|source| PhoneBookError::Json {
                path: path.to_path_buf(),
                source,
            })?;
        let base = base_dir(path);
        let speech = match &raw.speech {
            None => recipe::SpeechDir::default_dir(),
            Some(rel) => {
                let dir = base.join(rel);
                if !dir.is_dir() {
                    return Err(PhoneBookError::Invalid {
                        path: path.to_path_buf(),
                        field: "speech".to_owned(),
                        value: rel.clone(),
                        reason: format!("is not a folder (looked for {})", dir.display()),
                    });
                }
                recipe::SpeechDir {
                    dir,
                    field: "speech",
                }
            }
        };
        let default = raw.default.validate(path, &base, "default", &speech)?;
        let mut numbers = BTreeMap::new();
        for (key, raw_entry) in raw.numbers {
            let field = format!("numbers.{key}");
            let number = PhoneNumber::parse(&key).map_err(|e| PhoneBookError::Invalid {
                path: path.to_path_buf(),
                field: field.clone(),
                value: key.clone(),
                reason: format!("is not a phone number: {}", e.reason),
            })?;
            let entry = raw_entry.validate(path, &base, &field, &speech)?;
            if numbers.insert(number.clone(), entry).is_some() {
                return Err(PhoneBookError::Invalid {
                    path: path.to_path_buf(),
                    field,
                    value: key,
                    reason: format!("is the number {number} again (keys are normalised)"),
                });
            }
        }
        Ok(PhoneBook {
            path: path.to_path_buf(),
            default,
            numbers,
        })
    }

    /// The file the book was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What happens when `number` is called: its entry, or the default.
    pub fn lookup(&self, number: &PhoneNumber) -> &PhoneEntry {
        self.numbers.get(number).unwrap_or(&self.default)
    }

    /// The entry for numbers not in the book.
    pub fn default_entry(&self) -> &PhoneEntry {
        &self.default
    }

    /// Every listed number with its entry, in number order.
    pub fn entries(&self) -> impl Iterator<Item = (&PhoneNumber, &PhoneEntry)> {
        self.numbers.iter()
    }
}

/// Parses one entry (the `default` or a number's value) on its own, e.g. a scenario's
/// inline far end. `path` names the file it came from; `field` where in it.
pub fn parse_entry(
    value: serde_json::Value,
    path: &Path,
    field: &str,
) -> Result<PhoneEntry, PhoneBookError> {
    let raw: raw::RawEntry =
        serde_json::from_value(value).map_err(|e| PhoneBookError::Invalid {
            path: path.to_path_buf(),
            field: field.to_owned(),
            value: String::new(),
            reason: format!("is not a valid phone-book entry: {e}"),
        })?;
    raw.validate(
        path,
        &base_dir(path),
        field,
        &recipe::SpeechDir::default_dir(),
    )
}

/// The folder relative paths in `path` resolve against.
fn base_dir(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

#[cfg(test)]
mod tests;
