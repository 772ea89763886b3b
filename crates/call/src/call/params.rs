//! `FetchParams`: the form fields of one request to the app.

use std::fmt;
use std::sync::Arc;

use crate::api::DialStatus;

/// The fields every request of a call carries before `CallStatus`: in the 2008 API
/// `CallSid`, `CallGuid`, `AccountSid`, `AccountGuid`, `Caller`, `Called`; in the 2010 API
/// `AccountSid`, `ApiVersion`, `CallSid`, `Called`, `Caller`, `Direction`, `From`, `To`.
pub(crate) type Identity = [(&'static str, String)];

/// The parameters of an [`Action::FetchApp`](super::Action::FetchApp), in their fixed
/// order: the call's identity, `CallStatus`, `DialStatus` (first request and
/// notifications), then the verb's own (`Digits`; `RecordingUrl`, `Duration`, `Digits`;
/// `DialStatus`, `DialCallSid`, `DialCallDuration`; a transcription's `TranscriptionSid`,
/// `TranscriptionText`, `TranscriptionStatus`, `RecordingSid`, `RecordingUrl`).
///
/// Why not a `Vec` of owned pairs: a call makes a request per document and keeps each in
/// its timeline, and the identity part is the same every time. Here it is formatted once
/// per call and shared, the statuses are static names, so building and cloning the
/// parameters copies no strings. [`FetchParams::to_vec`] gives owned pairs to a driver
/// that wants them.
#[derive(Clone, PartialEq, Eq)]
pub struct FetchParams {
    identity: Arc<Identity>,
    call_status: Option<&'static str>,
    dial_status: Option<DialStatus>,
    extra: Vec<(&'static str, String)>,
}

impl FetchParams {
    pub(crate) fn new(
        identity: Arc<Identity>,
        call_status: Option<&'static str>,
        dial_status: Option<DialStatus>,
        extra: Vec<(&'static str, String)>,
    ) -> Self {
        FetchParams {
            identity,
            call_status,
            dial_status,
            extra,
        }
    }

    /// The `(name, value)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let identity = self.identity.iter().map(|(k, v)| (*k, v.as_str()));
        let status = self.call_status.map(|s| ("CallStatus", s));
        let dial_status = self.dial_status.map(|d| ("DialStatus", d.as_str()));
        let extra = self.extra.iter().map(|(k, v)| (*k, v.as_str()));
        identity.chain(status).chain(dial_status).chain(extra)
    }

    /// The value of the first parameter called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// How many parameters there are.
    pub fn len(&self) -> usize {
        self.identity.len()
            + usize::from(self.call_status.is_some())
            + usize::from(self.dial_status.is_some())
            + self.extra.len()
    }

    /// True only for a request with no parameter at all (none is ever made).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pairs as owned strings, in order.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

impl fmt::Debug for FetchParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
