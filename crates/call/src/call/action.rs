//! `Action`: everything the call asks its driver to do.

use std::fmt;
use std::sync::Arc;

use url::Url;

use super::params::FetchParams;
use crate::api::{Method, PhoneNumber};
use crate::time::{Duration, Instant};
use crate::twiml::{DialStep, Language, Voice};

/// Identifies one app request, so a late reply to a superseded request is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FetchId(pub u32);

impl fmt::Display for FetchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Identifies one `Say`/`Play`, so a late "finished" for a stopped prompt is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaybackId(pub u32);

impl fmt::Display for PlaybackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Why the call requests an app URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchPurpose {
    /// The first request, with `DialStatus`, when the call flow starts.
    Start,
    /// A `<Redirect>` verb.
    Redirect,
    /// A `<Gather>` action, with `Digits`.
    GatherAction,
    /// A `<Record>` action, with `RecordingUrl`, `Duration`, `Digits`.
    RecordAction,
    /// A `<Dial>` action, with `DialStatus`.
    DialAction,
    /// A live redirect through the REST API (`CurrentUrl`).
    LiveRedirect,
    /// The call ended without running the app (busy, no-answer, failed, hangup-machine,
    /// a hang-up before the flow started): the app is told, and its reply is ignored. No
    /// [`CallEvent`](super::CallEvent) is needed for it.
    Notify,
    /// The callee hung up during a `<Record>`: its action is requested with the recording
    /// and `Digits=hangup`, and the reply is ignored (the call is over).
    FinalRecordAction,
    /// The `transcribeCallback` of a `<Record transcribe="true">`; the reply is ignored.
    Transcription,
    /// The 2010 API's `FallbackUrl`, requested (with `ErrorCode` and `ErrorUrl`) after the
    /// first request to `Url` failed; its reply is run.
    Fallback,
    /// A 2010 `StatusCallback` (call-progress event); the reply is ignored.
    StatusCallback,
    /// A 2010 `AsyncAmdStatusCallback` with `AnsweredBy`; the reply is ignored.
    AsyncAmd,
}

impl FetchPurpose {
    /// True if the reply will be run as TwiML (false for `Notify`, `FinalRecordAction`
    /// and `Transcription`, whose replies are ignored).
    pub fn expects_twiml(self) -> bool {
        !matches!(
            self,
            FetchPurpose::Notify
                | FetchPurpose::FinalRecordAction
                | FetchPurpose::Transcription
                | FetchPurpose::StatusCallback
                | FetchPurpose::AsyncAmd
        )
    }

    /// A short name for timelines.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchPurpose::Start => "start",
            FetchPurpose::Redirect => "redirect",
            FetchPurpose::GatherAction => "gather-action",
            FetchPurpose::RecordAction => "record-action",
            FetchPurpose::DialAction => "dial-action",
            FetchPurpose::LiveRedirect => "live-redirect",
            FetchPurpose::Notify => "notify",
            FetchPurpose::FinalRecordAction => "final-record-action",
            FetchPurpose::Transcription => "transcription",
            FetchPurpose::Fallback => "fallback",
            FetchPurpose::StatusCallback => "status-callback",
            FetchPurpose::AsyncAmd => "async-amd",
        }
    }
}

/// The `Log` level of a Notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogLevel {
    /// 0.
    Error,
    /// 1.
    Warning,
}

impl LogLevel {
    /// The numeric `Log` value.
    pub fn code(self) -> u8 {
        match self {
            LogLevel::Error => 0,
            LogLevel::Warning => 1,
        }
    }
}

/// A problem with the app, as listed under `…/Calls/{CallSid}/Notifications`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// When it happened.
    pub time: Instant,
    /// Error or warning.
    pub log: LogLevel,
    /// 11200 HTTP retrieval failure, 11215 too many redirects, 12100 document parse failure.
    pub error_code: u32,
    /// What went wrong.
    pub message_text: String,
    /// The request it concerns.
    pub request_url: String,
    /// Its method.
    pub request_method: Method,
}

/// An output of [`Call::poll_action`](super::Call::poll_action).
///
/// Texts and URLs are shared (`Arc`), not owned: the call keeps a copy of every action in
/// its timeline, and with shared parts that copy is a few reference-count increments
/// instead of an allocation per string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Place the outbound call; report `Ringing`/`Answered`/`Busy`/`NoAnswer`/`Failed`.
    Dial {
        /// The callee.
        to: PhoneNumber,
        /// The caller id.
        from: PhoneNumber,
        /// The ring timeout the call will enforce (for information).
        timeout: Duration,
    },
    /// Run the answering-machine detector on the callee's audio; report `Detector` events.
    StartDetection,
    /// Stop the detector.
    StopDetection,
    /// Record the whole call (the 2010 API's `Record=true`): both directions, mixed, from
    /// now until the call ends, stored as one recording.
    RecordCall,
    /// Sound this DTMF key to the callee now, for [`CallConfig::digit_tone`](super::CallConfig::digit_tone).
    SendDigit(char),
    /// Request the app; answer with `AppResponded`/`AppFailed` carrying `id` (not needed
    /// for [`FetchPurpose::Notify`]). GET puts `params` in the query string, POST in a
    /// form body.
    FetchApp {
        /// Echo this in the reply event.
        id: FetchId,
        /// The absolute URL.
        url: Arc<Url>,
        /// GET or POST.
        method: Method,
        /// The parameters, in a fixed order.
        params: FetchParams,
        /// Why.
        purpose: FetchPurpose,
    },
    /// Speak text `loops` times (0 = until stopped); then report `PlaybackFinished(id)`.
    Say {
        /// Echo this in `PlaybackFinished`.
        id: PlaybackId,
        /// The text.
        text: Arc<str>,
        /// The voice.
        voice: Voice,
        /// The language.
        language: Language,
        /// Repetitions; 0 = until stopped.
        loops: u32,
    },
    /// Play audio `loops` times (0 = until stopped); then report `PlaybackFinished(id)`.
    Play {
        /// Echo this in `PlaybackFinished`.
        id: PlaybackId,
        /// The audio URL.
        url: Arc<Url>,
        /// Repetitions; 0 = until stopped.
        loops: u32,
    },
    /// Stop the current `Say`/`Play` at once (no `PlaybackFinished` needed).
    StopPlayback,
    /// Digits are being collected from now on (informational: the call applies
    /// `timeout`, `finish_on_key` and `num_digits` itself; just report `Digit`s).
    Gather {
        /// Per-digit timeout, counted from the end of the prompts.
        timeout: Duration,
        /// The key that ends input.
        finish_on_key: Option<char>,
        /// Stop after this many digits.
        num_digits: Option<u32>,
    },
    /// Start recording the callee (after a beep of
    /// [`CallConfig::record_beep`](super::CallConfig::record_beep) if `play_beep`); end on
    /// `timeout` of silence, once `max_length` of audio is stored (the driver counts the
    /// samples, so the stored audio is exactly that long), or on `StopRecording`; then
    /// report `RecordingFinished`. The call applies `finish_on_key` by sending
    /// `StopRecording`, and sends one itself shortly after `beep + max_length` should the
    /// driver not have ended it.
    Record {
        /// The longest recording.
        max_length: Duration,
        /// Silence that ends it (the driver hears the audio, so it applies this).
        timeout: Duration,
        /// Keys that end it (applied by the call).
        finish_on_key: String,
        /// Beep first.
        play_beep: bool,
        /// A transcription was requested.
        transcribe: bool,
        /// Where to post it.
        transcribe_callback: Option<Arc<Url>>,
    },
    /// End the recording now; then report `RecordingFinished`.
    StopRecording,
    /// TwiML `<Dial>`: ring the number(s) and bridge the callee to the leg that answers;
    /// report `DialAnswered` when it does and `BridgeEnded` when the leg is over (busy,
    /// failed, hung up). The call applies `timeout`, `timeLimit` and `hangupOnStar` by
    /// sending `StopBridge`.
    Bridge(DialStep),
    /// End the bridge now: stop ringing (`timeout`: report `no-answer`) or hang up the leg
    /// (`*` with `hangupOnStar`, or `timeLimit`: report `answered`); then report `BridgeEnded`.
    StopBridge,
    /// Hang up the call (or cancel it while ringing); stop everything on the line.
    Hangup,
    /// Record this Notification for the call.
    Notify(Notification),
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Dial { to, from, timeout } => {
                write!(f, "dial {to} from {from} (timeout {timeout})")
            }
            Action::StartDetection => f.write_str("start detection"),
            Action::StopDetection => f.write_str("stop detection"),
            Action::RecordCall => f.write_str("record the call"),
            Action::SendDigit(c) => write!(f, "send digit {c}"),
            Action::FetchApp {
                id,
                url,
                method,
                params,
                purpose,
            } => {
                write!(f, "fetch {id} {method} {url} [{}]", purpose.as_str())?;
                for (k, v) in params.iter() {
                    if matches!(
                        k,
                        "DialStatus"
                            | "CallStatus"
                            | "Digits"
                            | "RecordingUrl"
                            | "Duration"
                            | "DialCallDuration"
                            | "TranscriptionStatus"
                    ) {
                        write!(f, " {k}={v}")?;
                    }
                }
                Ok(())
            }
            Action::Say {
                id,
                text,
                voice,
                language,
                loops,
            } => {
                let short: String = text.chars().take(60).collect();
                let ellipsis = if short.len() < text.len() { "…" } else { "" };
                write!(
                    f,
                    "say {id} {short:?}{ellipsis} ({}, {}, loop {loops})",
                    voice.as_str(),
                    language.as_str()
                )
            }
            Action::Play { id, url, loops } => write!(f, "play {id} {url} (loop {loops})"),
            Action::StopPlayback => f.write_str("stop playback"),
            Action::Gather {
                timeout,
                finish_on_key,
                num_digits,
            } => {
                write!(f, "gather (timeout {timeout}")?;
                if let Some(k) = finish_on_key {
                    write!(f, ", finishOnKey {k}")?;
                }
                if let Some(n) = num_digits {
                    write!(f, ", numDigits {n}")?;
                }
                f.write_str(")")
            }
            Action::Record {
                max_length,
                timeout,
                finish_on_key,
                play_beep,
                ..
            } => write!(
                f,
                "record (maxLength {max_length}, silence {timeout}, finishOnKey {finish_on_key:?}, beep {play_beep})"
            ),
            Action::StopRecording => f.write_str("stop recording"),
            Action::Bridge(d) => {
                f.write_str("bridge to")?;
                for n in &d.numbers {
                    write!(f, " {}", n.number)?;
                }
                write!(f, " (timeout {}, timeLimit {})", d.timeout, d.time_limit)
            }
            Action::StopBridge => f.write_str("stop bridge"),
            Action::Hangup => f.write_str("hang up"),
            Action::Notify(n) => write!(
                f,
                "notification {} (log {}): {} [{} {}]",
                n.error_code,
                n.log.code(),
                n.message_text,
                n.request_method,
                n.request_url
            ),
        }
    }
}
