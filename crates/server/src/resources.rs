//! The stored resources: a call, a notification, a recording — as the store keeps them and
//! the XML renders them.
//!
//! These are plain data, decoupled from the live [`ringside_call::Call`]: a call record
//! outlives its state machine (it is listed after a restart), and one type serves the
//! store, the driver's updates and the renderer.

use ringside_call::{AccountSid, AnsweredBy, CallSid, CallStatus, CreateCallRequest, Method};

/// `Flags` bit for a call started through the REST API (API-2008.md's decision: 2).
pub const FLAG_API: u32 = 2;
/// `Flags` bit for a leg started by `<Dial>`.
pub const FLAG_DIAL_LEG: u32 = 4;

/// One call, as `<Call>` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// `CA…`.
    pub sid: CallSid,
    /// The owning account.
    pub account_sid: AccountSid,
    /// The callee, 10 digits (or `+` and country code).
    pub called: String,
    /// The caller id, 10 digits.
    pub caller: String,
    /// `PN…` of the caller id.
    pub phone_number_sid: String,
    /// 0–5.
    pub status: CallStatus,
    /// When dialled, epoch ms; the creation time until then (the 2008 documentation shows a
    /// StartTime on a call not yet dialled).
    pub start_time: i64,
    /// When it ended, epoch ms.
    pub end_time: Option<i64>,
    /// Connected seconds, once ended.
    pub duration: Option<u64>,
    /// Bit field, see [`FLAG_API`].
    pub flags: u32,
    /// Epoch ms.
    pub date_created: i64,
    /// Epoch ms.
    pub date_updated: i64,
    /// The app's Url.
    pub url: String,
    /// How the Url is requested.
    pub method: Method,
    /// The `DialStatus` sent to the app, once known (not part of the 2008 `<Call>`; kept for
    /// the operator and tests).
    pub dial_status: Option<String>,
    /// What the 2010 API shows of the call (both APIs show every call).
    pub api: CallApi,
}

/// Which API created a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiKind {
    /// 2008-08-01.
    #[default]
    V2008,
    /// 2010-04-01.
    V2010,
}

impl ApiKind {
    /// The version string.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKind::V2008 => "2008-08-01",
            ApiKind::V2010 => "2010-04-01",
        }
    }

    /// The kind of a stored version string.
    pub fn parse(s: &str) -> Self {
        if s == "2010-04-01" {
            ApiKind::V2010
        } else {
            ApiKind::V2008
        }
    }
}

/// The 2010 API's view of a call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallApi {
    /// The API the call was created through.
    pub version: ApiKind,
    /// The 2010 status (`queued`, `ringing`, `in-progress`, …); empty until the driver
    /// first writes it (then [`CallRecord::status_2010`] derives it from `status`).
    pub status: String,
    /// `AnsweredBy`, once machine detection has a result.
    pub answered_by: Option<AnsweredBy>,
}

impl CallRecord {
    /// A call just created through either API: status 0, dialled by nobody yet, its Url
    /// stored as `url` (without user info: the store never holds an app's password).
    pub fn created(
        sid: CallSid,
        account_sid: AccountSid,
        request: &CreateCallRequest,
        url: String,
        api: CallApi,
        now: i64,
    ) -> Self {
        let caller = request.caller.to_string();
        CallRecord {
            sid,
            account_sid,
            called: request.called.to_string(),
            phone_number_sid: crate::sid::phone_number_sid(account_sid, &caller),
            caller,
            status: CallStatus::NotDialled,
            start_time: now,
            end_time: None,
            duration: None,
            flags: FLAG_API,
            date_created: now,
            date_updated: now,
            url,
            method: request.method,
            dial_status: None,
            api,
        }
    }

    /// The 2010 status name.
    pub fn status_2010(&self) -> &str {
        if !self.api.status.is_empty() {
            return &self.api.status;
        }
        match self.status {
            CallStatus::NotDialled => "queued",
            CallStatus::InProgress => "in-progress",
            CallStatus::Complete => "completed",
            CallStatus::Busy => "busy",
            CallStatus::Failed => "failed",
            CallStatus::NoAnswer => "no-answer",
        }
    }
}

/// Where a recording came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordingSource {
    /// A `<Record>` verb, or a voicemail box's tape.
    #[default]
    RecordVerb,
    /// The whole call, asked for with the 2010 API's `Record=true`.
    OutboundApi,
}

impl RecordingSource {
    /// The 2010 resource's `source`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordingSource::RecordVerb => "RecordVerb",
            RecordingSource::OutboundApi => "OutboundAPI",
        }
    }

    /// The source of a stored name.
    pub fn parse(s: &str) -> Self {
        if s == "OutboundAPI" {
            RecordingSource::OutboundApi
        } else {
            RecordingSource::RecordVerb
        }
    }
}

/// One `<Dial>` leg of a call, as `…/Calls/{CallSid}/Segments` lists it: a `<Call>` whose
/// `Sid` is the call's and whose `CallSegmentSid` is the leg's own; `Called` is the
/// dialled number, `Caller` the caller id presented, `Flags` [`FLAG_DIAL_LEG`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRecord {
    /// `CA…`, random.
    pub segment_sid: String,
    /// The leg as a call record (`sid` is the parent call's).
    pub call: CallRecord,
}

/// One Notification (an error or warning about the app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    /// `NO…`.
    pub sid: String,
    /// The owning account.
    pub account_sid: AccountSid,
    /// The call it concerns.
    pub call_sid: CallSid,
    /// 0 error, 1 warning.
    pub log: u8,
    /// 11200, 11215, 12100…
    pub error_code: u32,
    /// What went wrong.
    pub message_text: String,
    /// When, epoch ms.
    pub message_date: i64,
    /// The request it concerns.
    pub request_url: String,
    /// Its method.
    pub request_method: String,
}

/// One recording's metadata; the audio (a WAV file) is stored beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingRecord {
    /// `RE…`.
    pub sid: String,
    /// The owning account.
    pub account_sid: AccountSid,
    /// The call it was made on.
    pub call_sid: CallSid,
    /// Whole seconds, rounded up.
    pub duration: u64,
    /// Epoch ms.
    pub date_created: i64,
    /// What made it.
    pub source: RecordingSource,
}
