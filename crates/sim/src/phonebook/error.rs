//! `PhoneBookError`: a phone book (or inline entry) that cannot be used.

use std::path::PathBuf;

/// Why a phone book was refused. Every message names the file and, for a bad value, the
/// field (as a dotted path such as `numbers.4155550101.answer.audio`) and the value.
#[derive(Debug, thiserror::Error)]
pub enum PhoneBookError {
    /// The file could not be read.
    #[error("cannot read the phone book {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON of the phone book's shape (serde names the line and column).
    #[error("{}: not a valid phone book: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What serde found.
        #[source]
        source: serde_json::Error,
    },
    /// A value is out of range or contradicts another.
    #[error("{}: {field}: {value:?} {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where in the file, as a dotted path.
        field: String,
        /// The offending value as written.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
}
