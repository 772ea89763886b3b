//! The voicemail tape: what a voicemail box recorded, and whether the app's message is
//! on it whole.
//!
//! A box starts recording at the end of its own beep (the far end's knowledge, from the
//! phone book) and stops when the call ends or the message reaches its limit. The tape
//! keeps the audio it heard and, from the line's spans, when the app's message (its
//! `<Say>`s and `<Play>`s, first start to last end) was sent. A message that started
//! before the recording did lost its start — what happens when the flow starts before the
//! beep, as it does without `IfMachine`.

use std::fmt;

use ringside_call::Instant;
use serde::Serialize;

/// A voicemail box's recording.
#[derive(Debug, Clone)]
pub struct Tape {
    /// When the box started recording.
    pub from: Instant,
    /// When it stopped, once it has.
    pub until: Option<Instant>,
    /// What it recorded (8 kHz mono).
    pub audio: Vec<f32>,
}

/// How much of the app's message the tape holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capture {
    /// The app played nothing.
    None,
    /// The message was never recorded: it ended before recording started, or the box
    /// never started recording.
    Missed,
    /// All of the message is on the tape.
    Whole,
    /// The start is missing (the message began before the beep).
    CutStart,
    /// The end is missing (the call or the box stopped first).
    CutEnd,
    /// Both ends are missing.
    CutBoth,
}

impl Capture {
    /// The lowercase name used in scenario files: `none`, `missed`, `whole`, `cut-start`,
    /// `cut-end`, `cut-both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Capture::None => "none",
            Capture::Missed => "missed",
            Capture::Whole => "whole",
            Capture::CutStart => "cut-start",
            Capture::CutEnd => "cut-end",
            Capture::CutBoth => "cut-both",
        }
    }

    /// True when part of the message is missing.
    pub fn is_cut(self) -> bool {
        matches!(
            self,
            Capture::CutStart | Capture::CutEnd | Capture::CutBoth | Capture::Missed
        )
    }
}

/// The tape judged against the app's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TapeReport {
    /// When recording started (the beep's end), ms since the scenario's epoch.
    pub recording_from_ms: u64,
    /// When recording stopped, if it did.
    pub recording_until_ms: Option<u64>,
    /// When the app's message started on the line, if it played anything.
    pub message_from_ms: Option<u64>,
    /// When it ended (or was cut off).
    pub message_until_ms: Option<u64>,
    /// Whether every prompt of the message played to its end.
    pub message_completed: bool,
    /// How the message landed.
    pub capture: Capture,
    /// Milliseconds of the message's start that were not recorded.
    pub missed_start_ms: u64,
}

impl TapeReport {
    /// Judges a tape: `message` is the message's (start, end, completed), if any.
    pub fn judge(tape: &Tape, message: Option<(Instant, Instant, bool)>) -> Self {
        let from = tape.from;
        let until = tape.until;
        let (capture, missed) = match message {
            None => (Capture::None, 0),
            Some((start, end, completed)) => {
                let recording_ended_first = until.is_some_and(|u| u < end);
                if end <= from || until.is_some_and(|u| u <= start) {
                    (Capture::Missed, (end - start).as_millis())
                } else {
                    let cut_start = start < from;
                    let cut_end = !completed || recording_ended_first;
                    let capture = match (cut_start, cut_end) {
                        (false, false) => Capture::Whole,
                        (true, false) => Capture::CutStart,
                        (false, true) => Capture::CutEnd,
                        (true, true) => Capture::CutBoth,
                    };
                    (capture, (from - start).as_millis())
                }
            }
        };
        TapeReport {
            recording_from_ms: from.as_millis(),
            recording_until_ms: until.map(Instant::as_millis),
            message_from_ms: message.map(|m| m.0.as_millis()),
            message_until_ms: message.map(|m| m.1.as_millis()),
            message_completed: message.is_some_and(|m| m.2),
            capture,
            missed_start_ms: missed,
        }
    }
}

impl fmt::Display for TapeReport {
    /// `message started at 12.950s, beep ended 12.750s, whole`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |ms: u64| Instant::from_millis(ms);
        match self.message_from_ms {
            None => write!(
                f,
                "recording from {} (beep end): the app played nothing",
                at(self.recording_from_ms)
            ),
            Some(start) => {
                write!(
                    f,
                    "message started at {}, beep ended {}, {}",
                    at(start),
                    at(self.recording_from_ms),
                    self.capture.as_str()
                )?;
                if self.missed_start_ms > 0 {
                    write!(f, " (first {} ms not recorded)", self.missed_start_ms)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tape(from: u64, until: Option<u64>) -> Tape {
        Tape {
            from: Instant::from_millis(from),
            until: until.map(Instant::from_millis),
            audio: Vec::new(),
        }
    }

    fn msg(a: u64, b: u64, done: bool) -> Option<(Instant, Instant, bool)> {
        Some((Instant::from_millis(a), Instant::from_millis(b), done))
    }

    #[test]
    fn judges_each_case() {
        let t = tape(6000, Some(20_000));
        assert_eq!(TapeReport::judge(&t, None).capture, Capture::None);
        assert_eq!(
            TapeReport::judge(&t, msg(6100, 9000, true)).capture,
            Capture::Whole
        );
        let cut = TapeReport::judge(&t, msg(5000, 9000, true));
        assert_eq!(
            (cut.capture, cut.missed_start_ms),
            (Capture::CutStart, 1000)
        );
        assert_eq!(
            TapeReport::judge(&t, msg(6100, 25_000, false)).capture,
            Capture::CutEnd
        );
        assert_eq!(
            TapeReport::judge(&t, msg(1000, 5000, true)).capture,
            Capture::Missed
        );
        let r = TapeReport::judge(&t, msg(12_950, 15_000, true));
        assert_eq!(
            r.to_string(),
            "message started at 12.950s, beep ended 6.000s, whole"
        );
    }
}
