//! The scripted app: replies chosen by matching each request.

use std::collections::BTreeMap;

use ringside_call::{DialStatus, FetchPurpose, Method, Url};
use serde::Deserialize;

/// Which requests a reply answers; every field given must match.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The request URL: an absolute URL must equal it; a path starting with `/` must
    /// equal its path.
    #[serde(default)]
    pub url: Option<String>,
    /// `GET` or `POST`.
    #[serde(default)]
    pub method: Option<String>,
    /// `start`, `redirect`, `gather-action`, `record-action`, `dial-action`,
    /// `live-redirect`, `notify`, `final-record-action`, `transcription`.
    #[serde(default)]
    pub purpose: Option<String>,
    /// The `DialStatus` parameter.
    #[serde(default)]
    pub dial_status: Option<String>,
    /// Parameters that must have these values.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The request's number among all app requests of the call, from 1.
    #[serde(default)]
    pub nth: Option<u32>,
}

/// The purposes' names, as [`FetchPurpose::as_str`] spells them.
pub(super) const PURPOSES: [&str; 12] = [
    "start",
    "redirect",
    "gather-action",
    "record-action",
    "dial-action",
    "live-redirect",
    "notify",
    "final-record-action",
    "transcription",
    "fallback",
    "status-callback",
    "async-amd",
];

/// One app request, as the runner saw it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AppRequest {
    /// When it was made (ms).
    pub at_ms: u64,
    /// Its number, from 1.
    pub nth: u32,
    /// The URL.
    pub url: String,
    /// `GET`/`POST`.
    pub method: &'static str,
    /// Why.
    pub purpose: &'static str,
    /// The parameters.
    pub params: Vec<(String, String)>,
    /// What was answered: `200 text/xml (120 bytes)`, `no reply`, `unmatched → 404`.
    pub reply: String,
}

impl AppRequest {
    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl When {
    /// Checks the names in the rule.
    pub(super) fn validate(&self) -> Result<(), (String, String, String)> {
        if let Some(p) = &self.purpose {
            if !PURPOSES.contains(&p.as_str()) {
                return Err((
                    "purpose".into(),
                    p.clone(),
                    format!("is not one of {}", PURPOSES.join(", ")),
                ));
            }
        }
        if let Some(d) = &self.dial_status {
            if DialStatus::parse(d).is_none() {
                return Err((
                    "dial_status".into(),
                    d.clone(),
                    "is not a DialStatus".into(),
                ));
            }
        }
        if let Some(m) = &self.method {
            if Method::parse(m).is_none() {
                return Err(("method".into(), m.clone(), "is not GET or POST".into()));
            }
        }
        Ok(())
    }

    /// Whether a request matches.
    pub fn matches(
        &self,
        nth: u32,
        url: &Url,
        method: Method,
        purpose: FetchPurpose,
        params: &[(String, String)],
    ) -> bool {
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        self.url.as_ref().is_none_or(|u| {
            if u.starts_with('/') {
                url.path() == u
            } else {
                url.as_str() == u
            }
        }) && self
            .method
            .as_ref()
            .is_none_or(|m| Method::parse(m) == Some(method))
            && self.purpose.as_ref().is_none_or(|p| p == purpose.as_str())
            && self
                .dial_status
                .as_ref()
                .is_none_or(|d| param("DialStatus") == Some(d.as_str()))
            && self
                .params
                .iter()
                .all(|(k, v)| param(k) == Some(v.as_str()))
            && self.nth.is_none_or(|n| n == nth)
    }
}

/// What the app does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Answers with this status, content type and body.
    Http {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type`.
        content_type: Option<String>,
        /// The body.
        body: String,
    },
    /// Never answers (the call's fetch timeout decides).
    NoReply,
    /// The connection fails with this reason.
    Fail(String),
}

/// A reply and the requests it answers.
#[derive(Debug, Clone)]
pub struct ReplyRule {
    /// Which requests.
    pub when: When,
    /// The reply.
    pub reply: Reply,
    /// How long the app takes to answer.
    pub latency_ms: u64,
}
