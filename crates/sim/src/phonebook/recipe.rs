//! A phone-book entry that answers with a far-end recipe instead of a recording.
//!
//! `"recipe"` is a file name (relative to the phone book, like `audio`) or a recipe object
//! written inline. The recipe is checked when the book is loaded, its errors named at the
//! entry's field; the speech its calls are rendered with is loaded once per process; and
//! one far end is drawn at load as a trial, so a speech folder lacking a kind of clip the
//! recipe needs is reported then rather than on the first call. A recipe that passed is
//! remembered (by its JSON and speech folder) for the rest of the process, so a scenario
//! run that loads the book once per scenario checks each recipe once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde_json::Value;

use super::entry::AnswerRecipe;
use super::error::PhoneBookError;
use crate::recipe::Recipe;
use crate::recipe::model::Answer as RecipeAnswer;
use crate::synth::speech;

/// Where an entry's recipe calls take their speech from, and the field that said so.
#[derive(Debug, Clone)]
pub(super) struct SpeechDir {
    pub dir: PathBuf,
    /// `speech` when the book names the folder; empty for the default.
    pub field: &'static str,
}

impl SpeechDir {
    /// The committed clips.
    pub fn default_dir() -> Self {
        Self {
            dir: speech::default_dir(),
            field: "",
        }
    }
}

/// What a recipe's calls are, for the entry's role: the answer kind of the recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RecipeKind {
    Voicemail,
    Person,
    Ivr,
    /// A fax machine or silence: it plays and does nothing else.
    Plain,
}

impl RecipeKind {
    fn of(recipe: &Recipe) -> Self {
        match recipe.answer {
            RecipeAnswer::Voicemail(_) => Self::Voicemail,
            RecipeAnswer::Person(_) => Self::Person,
            RecipeAnswer::Ivr(_) => Self::Ivr,
            RecipeAnswer::Fax(_) | RecipeAnswer::Silence(_) => Self::Plain,
        }
    }
}

/// Reads `value` (the entry's `recipe` at `field` of `book`) into a checked recipe.
pub(super) fn read(
    value: &Value,
    book: &Path,
    base: &Path,
    field: &str,
    speech: &SpeechDir,
) -> Result<(AnswerRecipe, RecipeKind), PhoneBookError> {
    let invalid = |value: String, reason: String| PhoneBookError::Invalid {
        path: book.to_path_buf(),
        field: field.to_owned(),
        value,
        reason,
    };
    let json = match value {
        Value::String(rel) => {
            let full = base.join(rel);
            if !full.is_file() {
                return Err(invalid(
                    rel.clone(),
                    format!("is not a file (looked for {})", full.display()),
                ));
            }
            let text = ringside_audio::read_text(&full)
                .map_err(|e| invalid(rel.clone(), format!("cannot be read: {e}")))?;
            Source::File(full, rel.clone(), text)
        }
        Value::Object(_) => Source::Inline(value.to_string()),
        other => {
            return Err(invalid(
                other.to_string(),
                "must be a recipe file name (relative to the phone book) or a recipe object"
                    .to_owned(),
            ));
        }
    };
    // Keyed by where it was written too: a recipe's default name and its recorded beep's
    // folder come from its file.
    let (key_text, origin) = match &json {
        Source::File(full, _, text) => (
            format!("{}\n{text}", full.display()),
            full.display().to_string(),
        ),
        Source::Inline(text) => (format!("{}\n{text}", book.display()), "inline".to_owned()),
    };
    let key = (key_text, speech.dir.clone());
    static CHECKED: OnceLock<Mutex<Checked>> = OnceLock::new();
    let checked = CHECKED.get_or_init(Mutex::default);
    let known = checked
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .cloned();
    let library = speech::shared(&speech.dir).map_err(|e| PhoneBookError::Invalid {
        path: book.to_path_buf(),
        field: speech_field(field, speech),
        value: speech.dir.display().to_string(),
        reason: format!("cannot give the recipe its speech: {e}"),
    })?;
    if let Some(recipe) = known {
        let kind = RecipeKind::of(&recipe);
        return Ok((
            AnswerRecipe {
                origin,
                recipe,
                speech: library,
            },
            kind,
        ));
    }
    let recipe = match &json {
        Source::File(full, rel, text) => Recipe::parse(text, full)
            .map_err(|e| invalid(rel.clone(), format!("is not a usable recipe: {e}")))?,
        Source::Inline(_) => Recipe::from_value(value, book)
            .map_err(|e| invalid("{…}".to_owned(), format!("is not a usable recipe: {e}")))?,
    };
    recipe
        .draw(0)
        .render(&library)
        .map_err(|e| PhoneBookError::Invalid {
            path: book.to_path_buf(),
            field: speech_field(field, speech),
            value: speech.dir.display().to_string(),
            reason: format!("cannot render a call from the recipe: {e}"),
        })?;
    let recipe = Arc::new(recipe);
    checked
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, Arc::clone(&recipe));
    let kind = RecipeKind::of(&recipe);
    Ok((
        AnswerRecipe {
            origin,
            recipe,
            speech: library,
        },
        kind,
    ))
}

/// Recipes that passed, by (where and what was written, speech folder).
type Checked = HashMap<(String, PathBuf), Arc<Recipe>>;

/// A recipe as written: a file (its full path, the name as written, its text) or inline.
enum Source {
    File(PathBuf, String, String),
    Inline(String),
}

/// The field a speech problem is reported at: `speech` when the book names the folder,
/// else the recipe's own field.
fn speech_field(field: &str, speech: &SpeechDir) -> String {
    if speech.field.is_empty() {
        field.to_owned()
    } else {
        speech.field.to_owned()
    }
}
