//! Expectations: what must hold when a scenario's call is over, each checked into a
//! [`Check`] that says what was expected and what happened.

use std::collections::BTreeMap;

use ringside_call::{GreetingEnd, Verdict};
use serde::{Deserialize, Serialize};

use super::app::{AppRequest, PURPOSES};
use ringside_sim::{DetectorReport, TapeReport};

/// The `expect` object of a scenario; every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The call was refused at creation with this API error code (e.g. 21208).
    #[serde(default)]
    pub error_code: Option<u32>,
    /// The final status code, 0–5.
    #[serde(default)]
    pub status: Option<u8>,
    /// The `DialStatus` sent on the first request.
    #[serde(default)]
    pub dial_status: Option<String>,
    /// The detector's verdict.
    #[serde(default)]
    pub verdict: Option<String>,
    /// How the detector said the greeting ended (`beep`, `silence`, `timeout`).
    #[serde(default)]
    pub greeting_end: Option<String>,
    /// Requests made to the app, notifications included.
    #[serde(default)]
    pub app_requests: Option<u32>,
    /// The error codes of the call's notifications, in order.
    #[serde(default)]
    pub notifications: Option<Vec<u32>>,
    /// The first app request came after the detected beep's end, within this much.
    #[serde(default)]
    pub first_fetch_after_beep: Option<Within>,
    /// The keys the far end recognised.
    #[serde(default)]
    pub far_end_digits: Option<String>,
    /// How the message landed on the voicemail tape: `none`, `missed`, `whole`,
    /// `cut-start`, `cut-end`, `cut-both`.
    #[serde(default)]
    pub message: Option<String>,
    /// How many `<Say>`/`<Play>` prompts reached the callee.
    #[serde(default)]
    pub prompts_played: Option<u32>,
    /// When the call ended, in ms: `[earliest, latest]`.
    #[serde(default)]
    pub ended_at_ms: Option<[u64; 2]>,
    /// Requests that must have been made.
    #[serde(default)]
    pub requests: Vec<RequestExpect>,
}

/// A time bound.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Within {
    /// At most this many milliseconds.
    pub within_ms: u64,
}

/// A request that must have been made (some request matches every given field).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestExpect {
    /// Its number, from 1.
    #[serde(default)]
    pub nth: Option<u32>,
    /// Its purpose.
    #[serde(default)]
    pub purpose: Option<String>,
    /// Its URL (absolute, or a path starting with `/`).
    #[serde(default)]
    pub url: Option<String>,
    /// Parameters with these values.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// One expectation, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The expectation's name in the file.
    pub name: String,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
    /// Whether it held.
    pub passed: bool,
}

/// What a run produced, for checking.
#[derive(Debug)]
pub struct Outcome<'a> {
    /// The API error, if the call was refused.
    pub error_code: Option<u32>,
    /// The final status.
    pub status: Option<u8>,
    /// The DialStatus sent.
    pub dial_status: Option<&'a str>,
    /// The detector's findings.
    pub detector: Option<&'a DetectorReport>,
    /// The app requests.
    pub requests: &'a [AppRequest],
    /// Notification codes.
    pub notifications: Vec<u32>,
    /// Keys the far end heard.
    pub far_end_digits: String,
    /// The tape.
    pub tape: Option<&'a TapeReport>,
    /// Prompts played to the callee.
    pub prompts_played: u32,
    /// When the call ended.
    pub ended_at_ms: Option<u64>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

impl Expect {
    /// Checks names and values that serde cannot.
    pub(super) fn validate(&self) -> Result<(), (String, String, String)> {
        if let Some(s) = self.status.filter(|s| *s > 5) {
            return Err((
                "status".into(),
                s.to_string(),
                "is not a status code (0-5)".into(),
            ));
        }
        if let Some(m) = &self.message {
            let names = [
                "none",
                "missed",
                "whole",
                "cut-start",
                "cut-end",
                "cut-both",
            ];
            if !names.contains(&m.as_str()) {
                return Err((
                    "message".into(),
                    m.clone(),
                    format!("is not one of {}", names.join(", ")),
                ));
            }
        }
        for (i, r) in self.requests.iter().enumerate() {
            if let Some(p) = r
                .purpose
                .as_ref()
                .filter(|p| !PURPOSES.contains(&p.as_str()))
            {
                return Err((
                    format!("requests[{i}].purpose"),
                    p.clone(),
                    format!("is not one of {}", PURPOSES.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// Checks every expectation given against `o`.
    pub fn check(&self, o: &Outcome<'_>) -> Vec<Check> {
        let mut checks = Vec::new();
        let mut add = |name: &str, expected: String, actual: String, passed: bool| {
            checks.push(Check {
                name: name.to_owned(),
                expected,
                actual,
                passed,
            });
        };
        if let Some(code) = self.error_code {
            add(
                "error_code",
                code.to_string(),
                opt(o.error_code),
                o.error_code == Some(code),
            );
        } else if let Some(code) = o.error_code {
            add(
                "call created",
                "yes".into(),
                format!("refused with error {code}"),
                false,
            );
        }
        if let Some(s) = self.status {
            add("status", s.to_string(), opt(o.status), o.status == Some(s));
        }
        if let Some(d) = &self.dial_status {
            add(
                "dial_status",
                d.clone(),
                opt(o.dial_status),
                o.dial_status == Some(d.as_str()),
            );
        }
        let det = o.detector;
        if let Some(v) = &self.verdict {
            let actual = det.and_then(|d| d.verdict).map(Verdict::as_str);
            add(
                "verdict",
                v.clone(),
                opt(actual),
                actual == Some(v.as_str()),
            );
        }
        if let Some(g) = &self.greeting_end {
            let actual = det.and_then(|d| d.greeting_end).map(GreetingEnd::as_str);
            add(
                "greeting_end",
                g.clone(),
                opt(actual),
                actual == Some(g.as_str()),
            );
        }
        if let Some(n) = self.app_requests {
            let actual = o.requests.len() as u32;
            add(
                "app_requests",
                n.to_string(),
                actual.to_string(),
                actual == n,
            );
        }
        if let Some(codes) = &self.notifications {
            add(
                "notifications",
                format!("{codes:?}"),
                format!("{:?}", o.notifications),
                *codes == o.notifications,
            );
        }
        if let Some(w) = self.first_fetch_after_beep {
            let beep_end = det
                .filter(|d| d.greeting_end == Some(GreetingEnd::Beep))
                .and_then(|d| d.greeting_end_at_ms);
            let first = o
                .requests
                .iter()
                .find(|r| r.purpose == "start")
                .map(|r| r.at_ms);
            let (actual, passed) = match (first, beep_end) {
                (Some(f), Some(b)) => (
                    format!(
                        "first fetch at {f} ms, detected beep end {b} ms ({:+} ms)",
                        f as i64 - b as i64
                    ),
                    f >= b && f - b <= w.within_ms,
                ),
                (None, _) => ("no start request".to_owned(), false),
                (_, None) => ("no beep detected".to_owned(), false),
            };
            add(
                "first_fetch_after_beep",
                format!("0..={} ms after the detected beep end", w.within_ms),
                actual,
                passed,
            );
        }
        if let Some(d) = &self.far_end_digits {
            add(
                "far_end_digits",
                d.clone(),
                o.far_end_digits.clone(),
                *d == o.far_end_digits,
            );
        }
        if let Some(m) = &self.message {
            let actual = o.tape.map_or("no tape", |t| t.capture.as_str());
            let detail = o.tape.map_or_else(|| actual.to_owned(), |t| t.to_string());
            add("message", m.clone(), detail, actual == m.as_str());
        }
        if let Some(n) = self.prompts_played {
            add(
                "prompts_played",
                n.to_string(),
                o.prompts_played.to_string(),
                n == o.prompts_played,
            );
        }
        if let Some([lo, hi]) = self.ended_at_ms {
            add(
                "ended_at_ms",
                format!("{lo}..={hi}"),
                opt(o.ended_at_ms),
                o.ended_at_ms.is_some_and(|t| (lo..=hi).contains(&t)),
            );
        }
        for (i, r) in self.requests.iter().enumerate() {
            let matches = |q: &AppRequest| {
                r.nth.is_none_or(|n| n == q.nth)
                    && r.purpose.as_ref().is_none_or(|p| p == q.purpose)
                    && r.url.as_ref().is_none_or(|u| {
                        if u.starts_with('/') {
                            q.url
                                .split_once("://")
                                .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
                                .is_some_and(|p| p == u || p.starts_with(&format!("{u}?")))
                        } else {
                            q.url == *u
                        }
                    })
                    && r.params.iter().all(|(k, v)| q.param(k) == Some(v.as_str()))
            };
            let found = o.requests.iter().find(|q| matches(q));
            let mut expected = String::new();
            if let Some(n) = r.nth {
                expected += &format!("#{n} ");
            }
            if let Some(p) = &r.purpose {
                expected += &format!("[{p}] ");
            }
            if let Some(u) = &r.url {
                expected += &format!("{u} ");
            }
            for (k, v) in &r.params {
                expected += &format!("{k}={v} ");
            }
            let actual = match found {
                Some(q) => format!("#{} [{}] {}", q.nth, q.purpose, q.url),
                None => "no such request".to_owned(),
            };
            add(
                &format!("requests[{i}]"),
                expected.trim_end().to_owned(),
                actual,
                found.is_some(),
            );
        }
        checks
    }
}
