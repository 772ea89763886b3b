//! What the simulation asks its driver to do, and what it writes in its timeline.

use std::fmt;

use ringside_call::{
    CallStatus, FetchId, FetchPurpose, Method, Notification, PhoneNumber, PlaybackId,
    TimelineEntry, Url,
};

/// An output of [`Simulation::poll_output`](super::Simulation::poll_output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimOutput {
    /// Request the app. Answer with
    /// [`Simulation::app_responded`](super::Simulation::app_responded) or
    /// [`Simulation::app_failed`](super::Simulation::app_failed) carrying `id` — except
    /// when [`FetchPurpose::expects_twiml`] is false (a notification, the action of a
    /// recording the callee hung up on, a transcription): its reply is ignored.
    FetchApp {
        /// Echo this in the answer.
        id: FetchId,
        /// The absolute URL.
        url: Url,
        /// GET (params in the query string) or POST (a form body).
        method: Method,
        /// The parameters, in a fixed order.
        params: Vec<(String, String)>,
        /// Why.
        purpose: FetchPurpose,
    },
    /// Fetch the audio of a `<Play>` and hand it over, decoded to 8 kHz mono, with
    /// [`Simulation::media_loaded`](super::Simulation::media_loaded) (or
    /// [`Simulation::media_failed`](super::Simulation::media_failed)).
    FetchMedia {
        /// Echo this in the answer.
        id: PlaybackId,
        /// The absolute audio URL.
        url: Url,
    },
    /// Look up the far end of this `<Dial>` leg (in the phone book) and hand it over with
    /// [`Simulation::leg_resolved`](super::Simulation::leg_resolved) (or
    /// [`Simulation::leg_failed`](super::Simulation::leg_failed)).
    DialLeg {
        /// The leg's CallSegmentSid; echo it in the answer.
        segment_sid: String,
        /// The dialled number.
        number: PhoneNumber,
    },
    /// Record this notification (error or warning) for the call.
    Notify(Notification),
    /// The call reached its final status; the line is down. Emitted once.
    Ended {
        /// The final status.
        status: CallStatus,
    },
}

/// One line of a simulation's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimEntry {
    /// From the call machine: a state change, event, action, timer or note.
    Call(TimelineEntry),
    /// From the line, the far end, the detectors or the driver.
    Line(String),
}

impl fmt::Display for SimEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimEntry::Call(e) => write!(f, "call  {e}"),
            SimEntry::Line(s) => write!(f, "line  {s}"),
        }
    }
}
