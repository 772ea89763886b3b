//! What became of one manifest entry: the link between running a corpus (`run`) and
//! scoring it (`report`), kept apart so that neither imports the other.

use super::manifest::Entry;
use crate::replay::{Analysis, AnalyzeError};

/// One manifest entry and what became of it.
#[derive(Debug)]
pub struct FileOutcome {
    /// Position in the manifest.
    pub index: usize,
    /// The entry, with its labels.
    pub entry: Entry,
    /// The analysis, or why the file could not be read (the error names the file).
    pub result: Result<Analysis, AnalyzeError>,
}
