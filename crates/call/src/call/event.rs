//! `CallEvent`: everything a driver tells the call.

use std::fmt;
use std::sync::Arc;

use url::Url;

use super::action::{FetchId, PlaybackId};
use super::outcomes::{DialResult, FinishedRecording};
use crate::api::{Method, UpdateCallRequest};

/// The answering-machine detector's verdict (mirrors the DSP crate's verdicts without
/// depending on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// A person answered.
    Human,
    /// An answering machine or voicemail answered.
    Machine,
    /// A fax machine answered (CNG/CED tones).
    Fax,
    /// Nothing was heard.
    Silence,
    /// The detector could not decide.
    Unknown,
}

impl Verdict {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Human => "human",
            Verdict::Machine => "machine",
            Verdict::Fax => "fax",
            Verdict::Silence => "silence",
            Verdict::Unknown => "unknown",
        }
    }
}

/// How a machine's greeting ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GreetingEnd {
    /// The beep ended: the machine is recording.
    Beep,
    /// The greeting was followed by silence, with no beep.
    Silence,
    /// The detector gave up waiting for either.
    Timeout,
}

impl GreetingEnd {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            GreetingEnd::Beep => "beep",
            GreetingEnd::Silence => "silence",
            GreetingEnd::Timeout => "timeout",
        }
    }
}

/// What the answering-machine detector reports about the callee's audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DetectorEvent {
    /// The verdict, once reached.
    Verdict(Verdict),
    /// After a `Machine` (or `Fax`) verdict: the greeting is over.
    GreetingEnded(GreetingEnd),
}

/// An input to [`Call::handle_event`](super::Call::handle_event).
///
/// Events that do not apply to the call's current state are recorded in the timeline
/// and otherwise ignored; none of them can panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEvent {
    /// The far end is ringing (informational; the ring timeout runs from the dial).
    Ringing,
    /// The callee picked up.
    Answered,
    /// The callee is busy.
    Busy,
    /// The network gave up ringing before our `Timeout`.
    NoAnswer,
    /// The call could not be connected.
    Failed {
        /// Why, for the timeline.
        reason: String,
    },
    /// The callee hung up (or rejected the call while it rang).
    CalleeHungUp,
    /// The operator (API user, CLI, test) ends the call.
    OperatorHangup,
    /// The 2010 API's `Status=canceled`: a call not yet answered is cancelled; an answered
    /// one is not affected.
    Cancel,
    /// The 2010 API's `Twiml` update: run this document instead of the current one (or,
    /// before the flow starts, instead of requesting `Url`).
    Twiml(Arc<str>),
    /// `POST …/Calls/{CallSid}` with `CurrentUrl`: run the TwiML at this URL instead.
    Redirect {
        /// The new document URL (shared: the call keeps it as its current URL too).
        url: Arc<Url>,
        /// How to request it.
        method: Method,
    },
    /// The answering-machine detector reports.
    Detector(DetectorEvent),
    /// The app answered request `id`.
    AppResponded {
        /// Which request (from [`Action::FetchApp`](super::Action::FetchApp)).
        id: FetchId,
        /// The HTTP status.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The body as text.
        body: String,
    },
    /// Request `id` failed without an HTTP answer (connection refused, timeout, …).
    AppFailed {
        /// Which request.
        id: FetchId,
        /// The Notification's error code: [`ERROR_HTTP_RETRIEVAL`](super::ERROR_HTTP_RETRIEVAL)
        /// (11200), or [`ERROR_TOO_MANY_REDIRECTS`](super::ERROR_TOO_MANY_REDIRECTS) (11215)
        /// when the app's HTTP redirects loop or run too long.
        code: u32,
        /// Why, for the Notification.
        reason: String,
    },
    /// A `Say` or `Play` finished (all its loops).
    PlaybackFinished(PlaybackId),
    /// The callee pressed a key (`0`–`9`, `*`, `#`; anything else is ignored).
    Digit(char),
    /// The callee pressed several keys, in order.
    Digits(String),
    /// A `Record` ended (silence, maxLength, `StopRecording`, or the callee hung up —
    /// then report this *before* [`CallEvent::CalleeHungUp`], so the action is requested).
    RecordingFinished(FinishedRecording),
    /// The leg of a `Bridge` (TwiML `<Dial>`) answered: the bridge is up, and `timeLimit`
    /// counts from now.
    DialAnswered,
    /// A `Bridge` (TwiML `<Dial>`) ended.
    BridgeEnded(DialResult),
}

impl From<UpdateCallRequest> for CallEvent {
    fn from(r: UpdateCallRequest) -> Self {
        CallEvent::Redirect {
            url: Arc::new(r.url),
            method: r.method,
        }
    }
}

impl From<DetectorEvent> for CallEvent {
    fn from(e: DetectorEvent) -> Self {
        CallEvent::Detector(e)
    }
}

impl fmt::Display for CallEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallEvent::Ringing => f.write_str("ringing"),
            CallEvent::Answered => f.write_str("answered"),
            CallEvent::Busy => f.write_str("busy"),
            CallEvent::NoAnswer => f.write_str("no-answer"),
            CallEvent::Failed { reason } => write!(f, "failed: {reason}"),
            CallEvent::CalleeHungUp => f.write_str("callee hung up"),
            CallEvent::OperatorHangup => f.write_str("operator hangup"),
            CallEvent::Cancel => f.write_str("cancel"),
            CallEvent::Twiml(doc) => write!(f, "run inline TwiML ({} bytes)", doc.len()),
            CallEvent::Redirect { url, method } => write!(f, "redirect to {method} {url}"),
            CallEvent::Detector(DetectorEvent::Verdict(v)) => {
                write!(f, "detector verdict {}", v.as_str())
            }
            CallEvent::Detector(DetectorEvent::GreetingEnded(g)) => {
                write!(f, "detector greeting end ({})", g.as_str())
            }
            CallEvent::AppResponded {
                id,
                status,
                content_type,
                body,
            } => write!(
                f,
                "app responded to {id}: {status} {} ({} bytes)",
                content_type.as_deref().unwrap_or("no content type"),
                body.len()
            ),
            CallEvent::AppFailed { id, reason, .. } => {
                write!(f, "app request {id} failed: {reason}")
            }
            CallEvent::PlaybackFinished(id) => write!(f, "playback {id} finished"),
            CallEvent::Digit(c) => write!(f, "digit {c}"),
            CallEvent::Digits(s) => write!(f, "digits {s}"),
            CallEvent::RecordingFinished(r) => {
                write!(
                    f,
                    "recording {} finished ({}, {})",
                    r.sid, r.duration, r.url
                )?;
                if r.callee_hung_up {
                    f.write_str(", callee hung up")?;
                }
                Ok(())
            }
            CallEvent::DialAnswered => f.write_str("dialled leg answered"),
            CallEvent::BridgeEnded(r) => write!(f, "dial ended ({r})"),
        }
    }
}
