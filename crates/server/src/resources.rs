//! The stored resources: a call, a notification, a recording — as the store keeps them and
//! the XML renders them.
//!
//! These are plain data, decoupled from the live [`ringside_call::Call`]: a call record
//! outlives its state machine (it is listed after a restart), and one type serves the
//! store, the driver's updates and the renderer.

use ringside_call::{AccountSid, CallSid, CallStatus, Method};

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
}
