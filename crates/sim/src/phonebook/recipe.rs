//! A phone-book entry that answers with a far-end recipe instead of a recording.
//!
//! `"recipe"` is a file name (relative to the phone book, like `audio`) or a recipe object
//! written inline. The recipe is checked when the book is loaded, its errors named at the
//! entry's field; the speech its calls are rendered with is loaded once per process; and
//! one far end is drawn at load as a trial, so a speech folder lacking a kind of clip the
//! recipe needs is reported then rather than on the first call.

use std::path::{Path, PathBuf};

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
    let (recipe, origin) = match value {
        Value::String(rel) => {
            let full = base.join(rel);
            if !full.is_file() {
                return Err(invalid(
                    rel.clone(),
                    format!("is not a file (looked for {})", full.display()),
                ));
            }
            let recipe = Recipe::load(&full)
                .map_err(|e| invalid(rel.clone(), format!("is not a usable recipe: {e}")))?;
            (recipe, full.display().to_string())
        }
        Value::Object(_) => {
            let recipe = Recipe::from_value(value, book)
                .map_err(|e| invalid("{…}".to_owned(), format!("is not a usable recipe: {e}")))?;
            (recipe, "inline".to_owned())
        }
        other => {
            return Err(invalid(
                other.to_string(),
                "must be a recipe file name (relative to the phone book) or a recipe object"
                    .to_owned(),
            ));
        }
    };
    let speech_field = if speech.field.is_empty() {
        field.to_owned()
    } else {
        speech.field.to_owned()
    };
    let library = speech::shared(&speech.dir).map_err(|e| PhoneBookError::Invalid {
        path: book.to_path_buf(),
        field: speech_field.clone(),
        value: speech.dir.display().to_string(),
        reason: format!("cannot give the recipe its speech: {e}"),
    })?;
    recipe
        .draw(0)
        .render(&library)
        .map_err(|e| PhoneBookError::Invalid {
            path: book.to_path_buf(),
            field: speech_field,
            value: speech.dir.display().to_string(),
            reason: format!("cannot render a call from the recipe: {e}"),
        })?;
    let kind = RecipeKind::of(&recipe);
    Ok((
        AnswerRecipe {
            origin,
            recipe: std::sync::Arc::new(recipe),
            speech: library,
        },
        kind,
    ))
}
