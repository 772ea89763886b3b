//! ringside-call: the pure call model of ringside — the REST API's types (2008-08-01, and
//! what 2010-04-01 adds in [`api::v2010`]), the outbound-call state machine that runs a
//! call of either API, and TwiML with its step-by-step interpreter.
//!
//! Nothing here does I/O or reads a clock; time is a value ([`Instant`], [`Duration`]).
//!
//! Data flow:
//!
//! 1. A driver (the server, or the harness's scenario runner) validates the form fields of
//!    `POST …/Calls` with [`CreateCallRequest::from_params`] — numbers normalised by
//!    [`PhoneNumber`], errors as [`ApiError`] with the API's codes — and builds a [`Call`]
//!    (status 0), then [`Call::start`]s it.
//! 2. The driver loops: perform every [`Action`] from [`Call::poll_action`] (dial, start the
//!    answering-machine detector, send DTMF, fetch the app's URL, say/play/gather/record,
//!    hang up); sleep until [`Call::poll_timeout`] or until something happens; report it
//!    with [`Call::handle_event`] (a [`CallEvent`]: answered, busy, detector verdicts and
//!    greeting end, app replies, digits, playback finished, a [`FinishedRecording`] (with
//!    its [`Transcription`]), a `<Dial>` leg answering and its [`DialResult`], hang-ups,
//!    live redirects) or [`Call::handle_timeout`]. The harness does this with a virtual clock,
//!    the server with tokio timers; both run the same rules.
//! 3. Inside the call, an app reply is parsed by [`twiml::parse`] into a
//!    [`twiml::Document`] and run by a [`twiml::Interpreter`], whose [`twiml::Step`]s the
//!    call turns into actions and whose action URLs become the next app request.
//! 4. The call keeps its status ([`CallStatus`], 0–5), the `DialStatus` it sent, its
//!    start/answer/end times, any [`Notification`]s, and a timeline of every state change,
//!    event, action and timer ([`Call::timeline`]) for drivers to print.
#![forbid(unsafe_code)]

pub mod api;
pub mod call;
pub mod time;
pub mod twiml;

pub use api::{
    AccountSid, AmdTuning, AnsweredBy, ApiError, ApiVersion, CallSid, CallStatus,
    CreateCallRequest, DialStatus, DigitStep, IfMachine, MachineDetection, Method, PhoneNumber,
    SendDigits, UpdateCallRequest,
};
pub use call::{
    Action, Call, CallConfig, CallEvent, DetectorEvent, DialResult, FetchId, FetchParams,
    FetchPurpose, FinishedRecording, GreetingEnd, LogLevel, Notification, PlaybackId, State,
    TimelineEntry, Timer, Transcription, TranscriptionFailure, Verdict,
};
pub use time::{Duration, Instant};
pub use url::Url;
