//! Loading recordings for the simulator: decoded once to 8 kHz mono and shared.
//!
//! The simulation core never reads files (it is sans-I/O); drivers load the far end's
//! recording and `<Play>` audio here and hand over [`Clip`]s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::phonebook::{Outcome, PhoneEntry};
use crate::simulation::{Clip, FarEnd, signals};
use ringside_audio::AudioError;
use ringside_audio::{AudioStream, StreamOptions};

/// A cache of decoded recordings, keyed by path.
#[derive(Debug, Default)]
pub struct ClipLibrary {
    clips: HashMap<PathBuf, Clip>,
}

impl ClipLibrary {
    /// An empty library.
    pub fn new() -> Self {
        Self::default()
    }

    /// The recording at `path`, decoded, downmixed and resampled to 8 kHz mono (read once,
    /// then shared).
    pub fn load(&mut self, path: &Path) -> Result<Clip, AudioError> {
        if let Some(clip) = self.clips.get(path) {
            return Ok(Arc::clone(clip));
        }
        let stream = AudioStream::open(path, StreamOptions::for_rate(signals::RATE))?;
        let mut samples = Vec::new();
        stream.for_each_chunk(|chunk| samples.extend_from_slice(chunk))?;
        let clip: Clip = samples.into();
        self.clips.insert(path.to_path_buf(), Arc::clone(&clip));
        Ok(clip)
    }

    /// The far end of `entry`, with its recording loaded.
    pub fn far_end(&mut self, entry: &PhoneEntry) -> Result<FarEnd, AudioError> {
        let greeting = match &entry.outcome {
            Outcome::Answer(a) => a.audio.as_deref().map(|p| self.load(p)).transpose()?,
            _ => None,
        };
        Ok(FarEnd::new(entry, greeting))
    }
}
