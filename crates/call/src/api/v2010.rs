//! What the 2010-04-01 API adds to a call: `To`/`From`, inline `Twiml`, `FallbackUrl`,
//! status callbacks, `Record`, and answering-machine detection as `MachineDetection`
//! (`Enable`, `DetectMessageEnd`, synchronous or `AsyncAmd`) with its tuning parameters.
//!
//! One [`CreateCallRequest`] describes a call of either API; a 2010 call carries an
//! [`Api2010`] in [`CreateCallRequest::api`] and never an `IfMachine` (that is the 2008
//! API's detection). [`CreateCallRequest::from_params_2010`] validates the form fields.

use std::fmt;
use std::sync::Arc;

use url::Url;

use super::error::{ApiError, codes};
use super::params::Method;
use super::phone::PhoneNumber;
use super::request::{CreateCallRequest, parse_app_url, parse_method, parse_send_digits};
use crate::time::Duration;
use crate::twiml;

/// Error codes of the 2010-04-01 API beyond the 2008 list (the 2008 codes keep their
/// meaning: 21201 becomes "no `To`", 21213 "no `From`" and so on).
pub mod codes_2010 {
    /// A parameter of the Calls resource with no code of its own (a `Record` that is not
    /// `true` or `false`).
    pub const CALLS_RESOURCE: u32 = 21200;
    /// A machine-detection setting out of its documented range, or an unknown mode.
    pub const INVALID_MACHINE_DETECTION: u32 = 21234;
    /// `StatusCallback` (or `AsyncAmdStatusCallback`) is not an absolute http(s) URL.
    pub const INVALID_STATUS_CALLBACK: u32 = 21609;
    /// A `StatusCallbackEvent` that is not `initiated`, `ringing`, `answered` or `completed`.
    pub const INVALID_STATUS_CALLBACK_EVENT: u32 = 21626;
    /// `Twiml` is longer than 4,000 characters.
    pub const TWIML_TOO_LONG: u32 = 32018;
    /// `Twiml` is not a TwiML document.
    pub const TWIML_PARSE: u32 = 12100;
}

/// A URL and how to request it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// Absolute http(s).
    pub url: Url,
    /// GET or POST.
    pub method: Method,
}

/// The call-progress events a `StatusCallback` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusEvent {
    /// The call is dialled.
    Initiated,
    /// The far end rings.
    Ringing,
    /// The far end picked up.
    Answered,
    /// The call ended, however it ended (`completed`, `busy`, `no-answer`, `failed`,
    /// `canceled`).
    Completed,
}

impl StatusEvent {
    /// Every event, in the order a call goes through them.
    pub const ALL: [StatusEvent; 4] = [
        StatusEvent::Initiated,
        StatusEvent::Ringing,
        StatusEvent::Answered,
        StatusEvent::Completed,
    ];

    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            StatusEvent::Initiated => "initiated",
            StatusEvent::Ringing => "ringing",
            StatusEvent::Answered => "answered",
            StatusEvent::Completed => "completed",
        }
    }

    /// Parses a parameter value (exact, lowercase, as the API spells them).
    pub fn parse(s: &str) -> Option<Self> {
        StatusEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A `StatusCallback` and the events it is sent for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCallback {
    /// Where and how.
    pub target: Callback,
    events: u8,
}

impl StatusCallback {
    /// A callback for `events` (an empty list means the documented default: `completed`).
    pub fn new(target: Callback, events: &[StatusEvent]) -> Self {
        let mut bits = events.iter().fold(0, |b, e| b | e.bit());
        if bits == 0 {
            bits = StatusEvent::Completed.bit();
        }
        StatusCallback {
            target,
            events: bits,
        }
    }

    /// Whether `event` is sent.
    pub fn wants(&self, event: StatusEvent) -> bool {
        self.events & event.bit() != 0
    }
}

/// `MachineDetection`: when the result is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AmdMode {
    /// As soon as the detector knows who answered: `human`, `machine_start`, `fax`,
    /// `unknown`.
    Enable,
    /// For a machine, only once its greeting has ended: `machine_end_beep`,
    /// `machine_end_silence`, `machine_end_other`; the other results as with `Enable`.
    DetectMessageEnd,
}

impl AmdMode {
    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            AmdMode::Enable => "Enable",
            AmdMode::DetectMessageEnd => "DetectMessageEnd",
        }
    }
}

/// Whether the call waits for the detection result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmdDelivery {
    /// The flow starts once the result is known, and its first request carries
    /// `AnsweredBy`.
    Synchronous,
    /// `AsyncAmd=true`: the flow starts at answer; the result is posted to the callback
    /// (if given; it is always on the Call resource).
    Asynchronous(Option<Callback>),
}

/// `MachineDetection` and its tuning parameters, validated to their documented ranges.
/// How each maps onto the detector is [`MachineDetection::tuning`]'s documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineDetection {
    /// When the result is reported.
    pub mode: AmdMode,
    /// Whether the flow waits for it.
    pub delivery: AmdDelivery,
    /// `MachineDetectionTimeout`, 3–59 s (default 30): the longest detection runs before
    /// the result is `unknown` (or, waiting for the end of a greeting, `machine_end_other`).
    pub timeout: Duration,
    /// `MachineDetectionSpeechThreshold`, 1000–6000 ms; `None` keeps the detector's own.
    pub speech_threshold_ms: Option<u32>,
    /// `MachineDetectionSpeechEndThreshold`, 500–5000 ms; `None` keeps the detector's own.
    pub speech_end_threshold_ms: Option<u32>,
    /// `MachineDetectionSilenceTimeout`, 2000–10000 ms; `None` keeps the detector's own.
    pub silence_timeout_ms: Option<u32>,
}

/// The detector settings a call's `MachineDetection*` parameters ask for, in the
/// detector's own terms (milliseconds). `None` leaves a setting as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AmdTuning {
    /// The longest first run of speech a person says (`greeting_ms`).
    pub greeting_ms: Option<u32>,
    /// The silence that ends a person's first utterance (`after_greeting_silence_ms`).
    pub after_greeting_silence_ms: Option<u32>,
    /// Silence from pickup that means nobody is there (`initial_silence_ms`).
    pub initial_silence_ms: Option<u32>,
    /// The longest wait for a verdict (`total_analysis_ms`).
    pub total_analysis_ms: u32,
    /// The longest wait for the end of a greeting (`greeting_timeout_ms`).
    pub greeting_timeout_ms: u32,
}

impl MachineDetection {
    /// The documented default `MachineDetectionTimeout`: 30 s.
    pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

    /// The detector settings these parameters map to:
    ///
    /// - `MachineDetectionSpeechThreshold` → `greeting_ms`: both are the length of speech
    ///   past which the callee is taken for a recording. The detector has other machine
    ///   cues (many words in the first run, a beep), which this does not turn off.
    /// - `MachineDetectionSpeechEndThreshold` → `after_greeting_silence_ms`: the silence
    ///   that ends a short first utterance and makes the callee a person. (The silence
    ///   that ends a machine's greeting is the detector's own `greeting_end_silence_ms`.)
    /// - `MachineDetectionSilenceTimeout` → `initial_silence_ms`: no speech for this long
    ///   after pickup is `unknown`.
    /// - `MachineDetectionTimeout` → `greeting_timeout_ms`, and `total_analysis_ms` when it
    ///   is shorter than `default_total_ms` (the detector decides well within its default,
    ///   so a longer timeout never delays a verdict).
    pub fn tuning(&self, default_total_ms: u32) -> AmdTuning {
        let timeout_ms = u32::try_from(self.timeout.as_millis()).unwrap_or(u32::MAX);
        AmdTuning {
            greeting_ms: self.speech_threshold_ms,
            after_greeting_silence_ms: self.speech_end_threshold_ms,
            initial_silence_ms: self.silence_timeout_ms,
            total_analysis_ms: default_total_ms.min(timeout_ms),
            greeting_timeout_ms: timeout_ms,
        }
    }

    /// True with `AsyncAmd=true`.
    pub fn is_async(&self) -> bool {
        matches!(self.delivery, AmdDelivery::Asynchronous(_))
    }
}

/// `AnsweredBy`: who or what answered, as the 2010 API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnsweredBy {
    /// A person.
    Human,
    /// A machine (with `MachineDetection=Enable`), reported as soon as it is known.
    MachineStart,
    /// A machine whose greeting ended with a beep.
    MachineEndBeep,
    /// A machine whose greeting ended in silence, without a beep.
    MachineEndSilence,
    /// A machine whose greeting did not end within `MachineDetectionTimeout`.
    MachineEndOther,
    /// A fax machine.
    Fax,
    /// No decision (silence, or no verdict in time).
    Unknown,
}

impl AnsweredBy {
    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            AnsweredBy::Human => "human",
            AnsweredBy::MachineStart => "machine_start",
            AnsweredBy::MachineEndBeep => "machine_end_beep",
            AnsweredBy::MachineEndSilence => "machine_end_silence",
            AnsweredBy::MachineEndOther => "machine_end_other",
            AnsweredBy::Fax => "fax",
            AnsweredBy::Unknown => "unknown",
        }
    }

    /// Parses a stored value.
    pub fn parse(s: &str) -> Option<Self> {
        [
            AnsweredBy::Human,
            AnsweredBy::MachineStart,
            AnsweredBy::MachineEndBeep,
            AnsweredBy::MachineEndSilence,
            AnsweredBy::MachineEndOther,
            AnsweredBy::Fax,
            AnsweredBy::Unknown,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

impl fmt::Display for AnsweredBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a 2010-04-01 call asks for beyond the fields both APIs share.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Api2010 {
    /// `Twiml`: a document run when the flow starts, instead of requesting `Url` (the
    /// request's `url` is then only the base its relative URLs resolve against).
    pub twiml: Option<Arc<str>>,
    /// `FallbackUrl`: requested, with `ErrorCode` and `ErrorUrl`, when requesting or
    /// running the document at `Url` fails.
    pub fallback: Option<Callback>,
    /// `StatusCallback` with its events.
    pub status_callback: Option<StatusCallback>,
    /// `MachineDetection`.
    pub machine_detection: Option<MachineDetection>,
    /// `Record=true`: both directions of the call are recorded from answer to hang-up.
    pub record: bool,
}

/// Which API a call was created through.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ApiVersion {
    /// 2008-08-01: `Caller`/`Called`, `IfMachine`, `DialStatus`.
    #[default]
    V2008,
    /// 2010-04-01: `From`/`To`, `MachineDetection`, `AnsweredBy`, status callbacks.
    V2010(Box<Api2010>),
}

impl ApiVersion {
    /// `2008-08-01` or `2010-04-01`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ApiVersion::V2008 => "2008-08-01",
            ApiVersion::V2010(_) => "2010-04-01",
        }
    }

    /// The 2010 options, for a 2010 call.
    pub fn v2010(&self) -> Option<&Api2010> {
        match self {
            ApiVersion::V2008 => None,
            ApiVersion::V2010(a) => Some(a),
        }
    }
}

/// The longest inline `Twiml`: 4,000 characters.
pub const MAX_TWIML_CHARS: usize = 4000;
/// The longest 2010 `Timeout`: 600 s.
pub const MAX_TIMEOUT_2010_SECS: u64 = 600;

impl CreateCallRequest {
    /// Validates the form fields of `POST /2010-04-01/Accounts/{AccountSid}/Calls`.
    ///
    /// Same conventions as [`CreateCallRequest::from_params`] (case-sensitive names, first
    /// value wins, empty counts as absent; `StatusCallbackEvent` may repeat or hold several
    /// space-separated events). Checks run in this order: `To` (21201, 21211, the test
    /// numbers 21217/21214/21215/21216), `From` (21213, 21212), `Url`/`Twiml` (21205
    /// neither or a bad Url; 32018 a Twiml over 4,000 characters; 12100 one that does not
    /// parse), `Method` (21209), `FallbackUrl` (21205), `FallbackMethod` (21209),
    /// `StatusCallback` (21609), `StatusCallbackMethod` (21209), `StatusCallbackEvent`
    /// (21626), `SendDigits` (21206), `Timeout` (21208, 1–600), `Record` (21200),
    /// `MachineDetection` and its tuning (21234), `AsyncAmd` (21234),
    /// `AsyncAmdStatusCallback` (21609), `AsyncAmdStatusCallbackMethod` (21209).
    /// `twiml_base` is the URL an inline document's relative URLs resolve against.
    pub fn from_params_2010(
        params: &[(String, String)],
        twiml_base: &Url,
    ) -> Result<Self, ApiError> {
        let get = |name: &str| first(params, name);

        let to_raw = get("To").ok_or_else(|| {
            ApiError::bad_param(
                codes::CALLED_REQUIRED,
                "To",
                "No 'To' number is specified: the To parameter is required",
            )
        })?;
        let to = PhoneNumber::parse(to_raw).map_err(|e| {
            ApiError::bad_param(
                codes::INVALID_CALLED,
                "To",
                format!(
                    "The 'To' number {to_raw:?} is not a valid phone number: {}",
                    e.reason
                ),
            )
        })?;
        if let Some(code) = super::request::test_called_code(&to) {
            return Err(ApiError::bad_param(
                code,
                "To",
                format!("The 'To' number {to_raw:?} cannot be called (test number)"),
            ));
        }
        let from_raw = get("From").ok_or_else(|| {
            ApiError::bad_param(
                codes::CALLER_REQUIRED,
                "From",
                "No 'From' number is specified: the From parameter is required",
            )
        })?;
        let from = match PhoneNumber::parse(from_raw) {
            Ok(n) if n.to_string() != "5005550001" => n,
            Ok(_) => {
                return Err(ApiError::bad_param(
                    codes::INVALID_CALLER,
                    "From",
                    format!("The 'From' number {from_raw:?} is not a valid phone number"),
                ));
            }
            Err(e) => {
                return Err(ApiError::bad_param(
                    codes::INVALID_CALLER,
                    "From",
                    format!(
                        "The 'From' number {from_raw:?} is not a valid phone number: {}",
                        e.reason
                    ),
                ));
            }
        };

        let (url, twiml) = match (get("Url"), raw(params, "Twiml")) {
            (Some(u), _) => (parse_app_url(Some(u), "Url")?, None),
            (None, Some(doc)) if !doc.trim().is_empty() => {
                (twiml_base.clone(), Some(inline_twiml(doc)?))
            }
            (None, _) => {
                return Err(ApiError::bad_param(
                    codes::INVALID_URL,
                    "Url",
                    "No Url or Twiml is specified: one of them is required",
                ));
            }
        };
        let method = parse_method(get("Method"), "Method")?;
        let fallback = match get("FallbackUrl") {
            None => None,
            Some(u) => Some(Callback {
                url: parse_app_url(Some(u), "FallbackUrl")?,
                method: parse_method(get("FallbackMethod"), "FallbackMethod")?,
            }),
        };
        if fallback.is_none() {
            parse_method(get("FallbackMethod"), "FallbackMethod")?;
        }
        let status_callback = match get("StatusCallback") {
            None => None,
            Some(u) => Some(StatusCallback::new(
                Callback {
                    url: callback_url(u, "StatusCallback")?,
                    method: parse_method(get("StatusCallbackMethod"), "StatusCallbackMethod")?,
                },
                &status_events(params)?,
            )),
        };
        if status_callback.is_none() {
            parse_method(get("StatusCallbackMethod"), "StatusCallbackMethod")?;
            status_events(params)?;
        }

        let send_digits = parse_send_digits(get("SendDigits"))?;
        let timeout = match get("Timeout") {
            None => Duration::from_secs(CreateCallRequest::DEFAULT_TIMEOUT_SECS),
            Some(raw) => Duration::from_secs(whole(raw, 1, MAX_TIMEOUT_2010_SECS).ok_or_else(
                || {
                    ApiError::bad_param(
                        codes::INVALID_TIMEOUT,
                        "Timeout",
                        format!(
                            "Timeout {raw:?} is invalid: use an integer number of seconds from 1 to {MAX_TIMEOUT_2010_SECS}"
                        ),
                    )
                },
            )?),
        };
        let record = boolean(get("Record"), "Record", codes_2010::CALLS_RESOURCE)?;
        let machine_detection = machine_detection(params)?;

        Ok(CreateCallRequest {
            caller: from,
            called: to,
            url,
            method,
            send_digits,
            if_machine: None,
            timeout,
            api: ApiVersion::V2010(Box::new(Api2010 {
                twiml,
                fallback,
                status_callback,
                machine_detection,
                record,
            })),
        })
    }
}

/// `POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}`: what to do to a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateCall2010 {
    /// `Status=canceled`: cancel the call if it is not yet answered.
    Cancel,
    /// `Status=completed`: hang up (cancel a call not yet answered).
    Complete,
    /// `Url` (and `Method`): run the TwiML there instead.
    Redirect(Callback),
    /// `Twiml`: run this document instead.
    Twiml(Arc<str>),
    /// Nothing that changes the call (only callbacks or unknown fields were given).
    Nothing,
}

impl UpdateCall2010 {
    /// Validates an update: `Status` (`canceled` or `completed`, else 21200), `Url`
    /// (21205) with `Method` (21209), `Twiml` (32018 over 4,000 characters, 12100 not a
    /// document). `Status` wins over `Url`, and `Url` over `Twiml`, as in the API.
    pub fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        let get = |name: &str| first(params, name);
        if let Some(status) = get("Status") {
            return match status {
                "canceled" => Ok(UpdateCall2010::Cancel),
                "completed" => Ok(UpdateCall2010::Complete),
                other => Err(ApiError::bad_param(
                    codes_2010::CALLS_RESOURCE,
                    "Status",
                    format!("Status {other:?} is invalid: use canceled or completed"),
                )),
            };
        }
        let method = parse_method(get("Method"), "Method")?;
        if let Some(url) = get("Url") {
            return Ok(UpdateCall2010::Redirect(Callback {
                url: parse_app_url(Some(url), "Url")?,
                method,
            }));
        }
        match raw(params, "Twiml") {
            Some(doc) if !doc.trim().is_empty() => Ok(UpdateCall2010::Twiml(inline_twiml(doc)?)),
            _ => Ok(UpdateCall2010::Nothing),
        }
    }
}

/// Checks an inline `Twiml` (at most 4,000 characters, a TwiML document).
fn inline_twiml(doc: &str) -> Result<Arc<str>, ApiError> {
    let chars = doc.chars().count();
    if chars > MAX_TWIML_CHARS {
        return Err(ApiError::bad_param(
            codes_2010::TWIML_TOO_LONG,
            "Twiml",
            format!("Twiml is {chars} characters; the limit is {MAX_TWIML_CHARS}"),
        ));
    }
    twiml::parse(doc).map_err(|e| {
        ApiError::bad_param(
            codes_2010::TWIML_PARSE,
            "Twiml",
            format!("Twiml is not a TwiML document: {e}"),
        )
    })?;
    Ok(Arc::from(doc))
}

/// `MachineDetection` and the parameters that tune it; `None` without `MachineDetection`
/// (the tuning parameters are still checked, so a typo is not silently ignored).
fn machine_detection(params: &[(String, String)]) -> Result<Option<MachineDetection>, ApiError> {
    let get = |name: &str| first(params, name);
    let bad = |field: &'static str, message: String| {
        ApiError::bad_param(codes_2010::INVALID_MACHINE_DETECTION, field, message)
    };
    let ranged = |field: &'static str, lo: u64, hi: u64| -> Result<Option<u64>, ApiError> {
        match get(field) {
            None => Ok(None),
            Some(raw) => whole(raw, lo, hi).map(Some).ok_or_else(|| {
                bad(
                    field,
                    format!("{field} {raw:?} is invalid: use a whole number from {lo} to {hi}"),
                )
            }),
        }
    };
    let mode = match get("MachineDetection") {
        None => None,
        Some(raw) if raw.eq_ignore_ascii_case("enable") => Some(AmdMode::Enable),
        Some(raw) if raw.eq_ignore_ascii_case("detectmessageend") => {
            Some(AmdMode::DetectMessageEnd)
        }
        Some(raw) if raw.eq_ignore_ascii_case("none") => None,
        Some(raw) => {
            return Err(bad(
                "MachineDetection",
                format!("MachineDetection {raw:?} is invalid: use Enable or DetectMessageEnd"),
            ));
        }
    };
    let timeout = ranged("MachineDetectionTimeout", 3, 59)?;
    let speech = ranged("MachineDetectionSpeechThreshold", 1000, 6000)?;
    let speech_end = ranged("MachineDetectionSpeechEndThreshold", 500, 5000)?;
    let silence = ranged("MachineDetectionSilenceTimeout", 2000, 10_000)?;
    let asynchronous = boolean(
        get("AsyncAmd"),
        "AsyncAmd",
        codes_2010::INVALID_MACHINE_DETECTION,
    )?;
    let callback = match get("AsyncAmdStatusCallback") {
        None => None,
        Some(u) => Some(Callback {
            url: callback_url(u, "AsyncAmdStatusCallback")?,
            method: parse_method(
                get("AsyncAmdStatusCallbackMethod"),
                "AsyncAmdStatusCallbackMethod",
            )?,
        }),
    };
    if callback.is_none() {
        parse_method(
            get("AsyncAmdStatusCallbackMethod"),
            "AsyncAmdStatusCallbackMethod",
        )?;
    }
    let ms = |v: Option<u64>| v.map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    Ok(mode.map(|mode| MachineDetection {
        mode,
        delivery: if asynchronous {
            AmdDelivery::Asynchronous(callback)
        } else {
            AmdDelivery::Synchronous
        },
        timeout: Duration::from_secs(timeout.unwrap_or(MachineDetection::DEFAULT_TIMEOUT_SECS)),
        speech_threshold_ms: ms(speech),
        speech_end_threshold_ms: ms(speech_end),
        silence_timeout_ms: ms(silence),
    }))
}

/// Every `StatusCallbackEvent` value (repeated fields and space-separated lists alike).
fn status_events(params: &[(String, String)]) -> Result<Vec<StatusEvent>, ApiError> {
    let mut events = Vec::new();
    for (_, value) in params.iter().filter(|(k, _)| k == "StatusCallbackEvent") {
        for word in value.split([' ', ',']).filter(|w| !w.is_empty()) {
            let event = StatusEvent::parse(word).ok_or_else(|| {
                ApiError::bad_param(
                    codes_2010::INVALID_STATUS_CALLBACK_EVENT,
                    "StatusCallbackEvent",
                    format!(
                        "StatusCallbackEvent {word:?} is invalid: use initiated, ringing, answered or completed"
                    ),
                )
            })?;
            if !events.contains(&event) {
                events.push(event);
            }
        }
    }
    Ok(events)
}

fn callback_url(raw: &str, field: &'static str) -> Result<Url, ApiError> {
    parse_app_url(Some(raw), field).map_err(|_| {
        ApiError::bad_param(
            codes_2010::INVALID_STATUS_CALLBACK,
            field,
            format!("{field} {raw:?} is not a fully qualified http or https URL"),
        )
    })
}

fn boolean(raw: Option<&str>, field: &'static str, code: u32) -> Result<bool, ApiError> {
    match raw {
        None => Ok(false),
        Some(r) if r.eq_ignore_ascii_case("true") => Ok(true),
        Some(r) if r.eq_ignore_ascii_case("false") => Ok(false),
        Some(r) => Err(ApiError::bad_param(
            code,
            field,
            format!("{field} {r:?} is invalid: use true or false"),
        )),
    }
}

/// A whole number of digits only, within `lo..=hi`.
fn whole(raw: &str, lo: u64, hi: u64) -> Option<u64> {
    raw.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| raw.parse::<u64>().ok())
        .flatten()
        .filter(|v| (lo..=hi).contains(v))
}

/// The first value of `name`, trimmed; empty counts as absent.
fn first<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    raw(params, name).map(str::trim).filter(|v| !v.is_empty())
}

/// The first value of `name`, untouched (a document keeps its whitespace).
fn raw<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn base() -> Vec<(String, String)> {
        [
            ("To", "+14155551212"),
            ("From", "+14158675309"),
            ("Url", "http://app.example/voice"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    }

    fn with(extra: &[(&str, &str)]) -> Result<CreateCallRequest, ApiError> {
        let mut p = base();
        for (k, v) in extra {
            p.retain(|(key, _)| key != k);
            p.push(((*k).to_owned(), (*v).to_owned()));
        }
        CreateCallRequest::from_params_2010(&p, &Url::parse("http://ringside.invalid/").unwrap())
    }

    fn code(extra: &[(&str, &str)]) -> (u32, &'static str) {
        let e = with(extra).unwrap_err();
        (e.code, e.field.unwrap())
    }

    fn opts(r: &CreateCallRequest) -> &Api2010 {
        r.api.v2010().unwrap()
    }

    #[test]
    fn defaults() {
        let r = with(&[]).unwrap();
        assert_eq!(r.called.e164(), "+14155551212");
        assert_eq!(r.caller.e164(), "+14158675309");
        assert_eq!(r.timeout, Duration::from_secs(60));
        assert_eq!(r.if_machine, None);
        assert_eq!(opts(&r), &Api2010::default());
        assert_eq!(r.api.as_str(), "2010-04-01");
    }

    #[test]
    fn every_validation_error_has_its_code_and_names_its_field() {
        type Case<'a> = (&'a [(&'a str, &'a str)], (u32, &'a str));
        let cases: &[Case] = &[
            (&[("To", "")], (21201, "To")),
            (&[("To", "12")], (21211, "To")),
            (&[("To", "+15005550002")], (21214, "To")),
            (&[("From", "")], (21213, "From")),
            (&[("From", "abc")], (21212, "From")),
            (&[("From", "+15005550001")], (21212, "From")),
            (&[("Url", "/relative")], (21205, "Url")),
            (&[("Url", "")], (21205, "Url")),
            (&[("Method", "PUT")], (21209, "Method")),
            (&[("FallbackUrl", "ftp://x/")], (21205, "FallbackUrl")),
            (&[("FallbackMethod", "DELETE")], (21209, "FallbackMethod")),
            (&[("StatusCallback", "nope")], (21609, "StatusCallback")),
            (
                &[("StatusCallbackMethod", "PATCH")],
                (21209, "StatusCallbackMethod"),
            ),
            (
                &[("StatusCallbackEvent", "initiated hungup")],
                (21626, "StatusCallbackEvent"),
            ),
            (&[("SendDigits", "12x")], (21206, "SendDigits")),
            (&[("Timeout", "601")], (21208, "Timeout")),
            (&[("Timeout", "0")], (21208, "Timeout")),
            (&[("Record", "yes")], (21200, "Record")),
            (
                &[("MachineDetection", "Maybe")],
                (21234, "MachineDetection"),
            ),
            (
                &[("MachineDetectionTimeout", "2")],
                (21234, "MachineDetectionTimeout"),
            ),
            (
                &[("MachineDetectionTimeout", "60")],
                (21234, "MachineDetectionTimeout"),
            ),
            (
                &[("MachineDetectionSpeechThreshold", "999")],
                (21234, "MachineDetectionSpeechThreshold"),
            ),
            (
                &[("MachineDetectionSpeechEndThreshold", "5001")],
                (21234, "MachineDetectionSpeechEndThreshold"),
            ),
            (
                &[("MachineDetectionSilenceTimeout", "1999")],
                (21234, "MachineDetectionSilenceTimeout"),
            ),
            (&[("AsyncAmd", "sometimes")], (21234, "AsyncAmd")),
            (
                &[("AsyncAmdStatusCallback", "mailto:a@b")],
                (21609, "AsyncAmdStatusCallback"),
            ),
            (
                &[("AsyncAmdStatusCallbackMethod", "PUT")],
                (21209, "AsyncAmdStatusCallbackMethod"),
            ),
        ];
        for (extra, want) in cases {
            assert_eq!(code(extra), *want, "{extra:?}");
            let message = with(extra).unwrap_err().message;
            assert!(message.contains(want.1), "{message}");
        }
        let mut p: Vec<_> = base().into_iter().filter(|(k, _)| k != "Url").collect();
        let base_url = Url::parse("http://ringside.invalid/").unwrap();
        let e = CreateCallRequest::from_params_2010(&p, &base_url).unwrap_err();
        assert_eq!((e.code, e.field), (21205, Some("Url")));
        p.push(("Twiml".into(), "<Response><Say>hi</Response>".into()));
        let e = CreateCallRequest::from_params_2010(&p, &base_url).unwrap_err();
        assert_eq!((e.code, e.field), (12100, Some("Twiml")));
        p.pop();
        p.push((
            "Twiml".into(),
            format!("<Response><Say>{}</Say></Response>", "a".repeat(4000)),
        ));
        let e = CreateCallRequest::from_params_2010(&p, &base_url).unwrap_err();
        assert_eq!((e.code, e.field), (32018, Some("Twiml")));
    }

    #[test]
    fn updates() {
        let p = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            UpdateCall2010::from_params(&p(&[("Status", "canceled")])),
            Ok(UpdateCall2010::Cancel)
        );
        assert_eq!(
            UpdateCall2010::from_params(&p(&[("Status", "completed"), ("Url", "x")])),
            Ok(UpdateCall2010::Complete)
        );
        let e = UpdateCall2010::from_params(&p(&[("Status", "done")])).unwrap_err();
        assert_eq!((e.code, e.field), (21200, Some("Status")));
        let e = UpdateCall2010::from_params(&p(&[("Url", "nope")])).unwrap_err();
        assert_eq!((e.code, e.field), (21205, Some("Url")));
        let e = UpdateCall2010::from_params(&p(&[("Twiml", "<Response>")])).unwrap_err();
        assert_eq!((e.code, e.field), (12100, Some("Twiml")));
        assert!(matches!(
            UpdateCall2010::from_params(&p(&[("Url", "http://a.example/x"), ("Method", "GET")])),
            Ok(UpdateCall2010::Redirect(Callback {
                method: Method::Get,
                ..
            }))
        ));
        assert_eq!(
            UpdateCall2010::from_params(&p(&[("StatusCallback", "http://a/")])),
            Ok(UpdateCall2010::Nothing)
        );
    }

    #[test]
    fn twiml_callbacks_and_detection() {
        let mut p: Vec<_> = base().into_iter().filter(|(k, _)| k != "Url").collect();
        for (k, v) in [
            ("Twiml", "<Response><Say>Hello</Say></Response>"),
            ("StatusCallback", "https://app.example/status"),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "ringing answered"),
            ("MachineDetection", "DetectMessageEnd"),
            ("MachineDetectionTimeout", "45"),
            ("MachineDetectionSpeechThreshold", "3000"),
            ("AsyncAmd", "true"),
            ("AsyncAmdStatusCallback", "https://app.example/amd"),
            ("Record", "true"),
        ] {
            p.push((k.into(), v.into()));
        }
        let base_url = Url::parse("http://ringside.invalid/base").unwrap();
        let r = CreateCallRequest::from_params_2010(&p, &base_url).unwrap();
        assert_eq!(r.url, base_url);
        let o = opts(&r);
        assert_eq!(
            o.twiml.as_deref(),
            Some("<Response><Say>Hello</Say></Response>")
        );
        assert!(o.record);
        let sc = o.status_callback.as_ref().unwrap();
        assert!(sc.wants(StatusEvent::Initiated) && sc.wants(StatusEvent::Answered));
        assert!(!sc.wants(StatusEvent::Completed));
        let md = o.machine_detection.as_ref().unwrap();
        assert_eq!(md.mode, AmdMode::DetectMessageEnd);
        assert!(md.is_async());
        assert_eq!(md.timeout, Duration::from_secs(45));
        let t = md.tuning(10_000);
        assert_eq!(t.greeting_ms, Some(3000));
        assert_eq!(
            (t.total_analysis_ms, t.greeting_timeout_ms),
            (10_000, 45_000)
        );
        let r = with(&[
            ("StatusCallback", "http://app.example/s"),
            ("MachineDetection", "Enable"),
            ("MachineDetectionTimeout", "5"),
        ])
        .unwrap();
        let o = opts(&r);
        assert!(
            o.status_callback
                .as_ref()
                .unwrap()
                .wants(StatusEvent::Completed)
        );
        let md = o.machine_detection.as_ref().unwrap();
        assert_eq!(md.delivery, AmdDelivery::Synchronous);
        assert_eq!(md.tuning(10_000).total_analysis_ms, 5000);
    }
}
