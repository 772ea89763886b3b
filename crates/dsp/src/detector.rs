//! The full detector (placeholder while the DSP lands).

use crate::{Config, ConfigError, Event};

/// The answering-machine detector for one call.
#[derive(Debug)]
pub struct Detector {
    config: Config,
    events: Vec<Event>,
    pos: u64,
}

impl Detector {
    /// Builds a detector; all state is allocated here.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            config,
            events: Vec::with_capacity(64),
            pos: 0,
        })
    }

    /// The configured sample rate in Hz.
    pub fn sample_rate(&self) -> u32 {
        self.config.sample_rate.hz()
    }

    /// The hop size in samples (10 ms); chunks of this size avoid internal buffering.
    pub fn frame_len(&self) -> usize {
        self.sample_rate() as usize / 100
    }

    /// Feeds samples; returns the events they completed.
    pub fn process(&mut self, samples: &[f32]) -> &[Event] {
        self.events.clear();
        self.pos += samples.len() as u64;
        &self.events
    }

    /// Ends the stream; returns the final events.
    pub fn finish(&mut self) -> &[Event] {
        self.events.clear();
        &self.events
    }
}
