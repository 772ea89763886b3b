//! A listener on one direction of the line: a [`ringside_dsp::Detector`] used for what it
//! hears besides the verdict — DTMF keys and whether someone is talking.
//!
//! The simulator has two: the caller's (keys a person presses reach the call as digits;
//! voice activity ends a `<Record>` after its silence timeout) and the far end's (the keys
//! `SendDigits` sends, as an IVR would recognise them). Both run the same DSP as the real
//! detector, so a key the detector cannot hear is not heard here either.

use ringside_call::{Duration, Instant};
use ringside_dsp::{Config, ConfigError, Detector, Event};

use super::signals::SAMPLES_PER_MS;

/// What a listener heard in one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// A key, with its tone's start.
    Key(char, Instant),
    /// Speech started.
    SpeechStart(Instant),
    /// Speech ended.
    SpeechEnd(Instant),
}

/// A DTMF and voice listener started at some instant.
#[derive(Debug)]
pub struct LineListener {
    detector: Detector,
    started: Instant,
}

impl LineListener {
    /// Starts listening at `started`.
    pub fn new(config: &Config, started: Instant) -> Result<Self, ConfigError> {
        Ok(LineListener {
            detector: Detector::new(config.clone())?,
            started,
        })
    }

    /// Feeds one frame; appends what was heard.
    pub fn process(&mut self, frame: &[f32], heard: &mut Vec<Heard>) {
        let started = self.started;
        let at = |s: u64| started + Duration::from_millis(s / SAMPLES_PER_MS);
        for ev in self.detector.process(frame) {
            match *ev {
                Event::Dtmf(t) => heard.push(Heard::Key(t.digit.as_char(), at(t.start))),
                Event::SpeechStart { at: s } => heard.push(Heard::SpeechStart(at(s))),
                Event::SpeechEnd { at: s } => heard.push(Heard::SpeechEnd(at(s))),
                _ => {}
            }
        }
    }
}
