//! Why a recipe was refused: the file, the field path, the value, and what is accepted.

use std::path::PathBuf;

/// One problem in one field of a recipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `answer.beep.freq_hz`.
    pub path: String,
    /// The offending value as written (JSON), or `(missing)`.
    pub value: String,
    /// What would have been accepted.
    pub expected: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {}: {}", self.path, self.value, self.expected)
    }
}

/// A recipe that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    #[error("{}: cannot read the recipe: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not valid JSON: {source}", file.display())]
    Json {
        file: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: {}", file.display(), list(errors))]
    Invalid {
        file: PathBuf,
        /// Every problem found, one per field, in file order.
        errors: Vec<FieldError>,
    },
}

impl RecipeError {
    /// The field problems (empty for unreadable files and bad JSON).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid { errors, .. } => errors,
            _ => &[],
        }
    }
}

fn list(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.to_string(),
        many => {
            let lines: Vec<String> = many.iter().map(|e| format!("\n  {e}")).collect();
            format!("{} problems:{}", many.len(), lines.concat())
        }
    }
}
