//! `ScenarioError`: a scenario file that cannot be run.

use std::path::PathBuf;

use ringside_audio::AudioError;
use ringside_sim::phonebook::PhoneBookError;

/// Why a scenario could not be run. A scenario that runs but whose expectations fail is
/// not an error: that is a [`ScenarioReport`](super::ScenarioReport) that did not pass.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read the scenario {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Not JSON of the scenario's shape (serde names the line and column).
    #[error("{}: not a valid scenario: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What serde found.
        #[source]
        source: serde_json::Error,
    },
    /// A value is wrong.
    #[error("{}: {field}: {value:?} {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where in the file.
        field: String,
        /// The offending value.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// The phone book it names (or its inline far end) is wrong.
    #[error("scenario {}: {source}", path.display())]
    PhoneBook {
        /// The scenario.
        path: PathBuf,
        /// The phone-book problem.
        #[source]
        source: PhoneBookError,
    },
    /// The call's audio could not be written (`--record`).
    #[error("scenario {}: {source}", path.display())]
    Record {
        /// The scenario.
        path: PathBuf,
        /// What failed (names the file written).
        #[source]
        source: ringside_audio::RecordError,
    },
    /// A recording it needs cannot be read.
    #[error("scenario {}: {source}", path.display())]
    Audio {
        /// The scenario.
        path: PathBuf,
        /// The audio problem (names the audio file).
        #[source]
        source: AudioError,
    },
}
