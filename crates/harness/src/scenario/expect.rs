//! Expectations: what must hold when a scenario's call is over, each checked into a
//! [`Check`] that says what was expected and what happened.

use std::collections::BTreeMap;

use ringside_call::{GreetingEnd, Verdict};
use serde::{Deserialize, Serialize};

use super::app::{AppRequest, PURPOSES};
use super::count::Count;
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
    /// A 2010 call's `AnsweredBy` (`human`, `machine_start`, `machine_end_beep`, …).
    #[serde(default)]
    pub answered_by: Option<String>,
    /// The detector's verdict.
    #[serde(default)]
    pub verdict: Option<String>,
    /// How the detector said the greeting ended (`beep`, `silence`, `timeout`).
    #[serde(default)]
    pub greeting_end: Option<String>,
    /// How many requests were made to the app, notifications included: a number, or
    /// `{"at_least": n}` / `{"at_most": n}`, or `"never"`.
    #[serde(default)]
    pub app_requests: Option<Count>,
    /// The error codes of the call's notifications, in order.
    #[serde(default)]
    pub notifications: Option<Vec<u32>>,
    /// Notifications that must (or, with `"count": "never"`, must not) have been raised.
    #[serde(default)]
    pub notifications_matching: Vec<NotificationExpect>,
    /// The call's `<Record>`ings.
    #[serde(default)]
    pub recordings: Option<RecordingsExpect>,
    /// How many `<Dial>` legs were placed.
    #[serde(default)]
    pub dial_leg_count: Option<Count>,
    /// The `<Dial>` legs, in the order they were placed: the first entry checks the first
    /// leg, and so on.
    #[serde(default)]
    pub dial_legs: Vec<LegExpect>,
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
    /// How many requests match; default at least one (`"never"`: none may).
    #[serde(default)]
    pub count: Option<Count>,
}

/// Notifications that match every given field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationExpect {
    /// The error code.
    #[serde(default)]
    pub error_code: Option<u32>,
    /// `error` or `warning`.
    #[serde(default)]
    pub log: Option<String>,
    /// Text its message contains.
    #[serde(default)]
    pub message_contains: Option<String>,
    /// How many match; default at least one.
    #[serde(default)]
    pub count: Option<Count>,
}

/// What the call's recordings must be.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingsExpect {
    /// How many were stored.
    #[serde(default)]
    pub count: Option<Count>,
    /// Every recording's `Duration` (whole seconds, rounded up) is in `[lo, hi]`.
    #[serde(default)]
    pub duration_secs: Option<[u64; 2]>,
}

/// One `<Dial>` leg.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegExpect {
    /// The dialled number (any format the API accepts, compared normalised).
    #[serde(default)]
    pub number: Option<String>,
    /// The caller id presented to it.
    #[serde(default)]
    pub caller: Option<String>,
    /// How it ended: `answered`, `busy`, `no-answer`, `failed`.
    #[serde(default)]
    pub status: Option<String>,
    /// How long it was connected, whole seconds rounded up, in `[lo, hi]`.
    #[serde(default)]
    pub duration_secs: Option<[u64; 2]>,
    /// The keys it recognised (`<Number sendDigits>`).
    #[serde(default)]
    pub digits: Option<String>,
}

/// A `<Dial>` leg as the run saw it.
#[derive(Debug, Clone)]
pub struct LegOutcome {
    /// The dialled number, normalised.
    pub number: String,
    /// The caller id, normalised.
    pub caller: String,
    /// How it ended.
    pub status: Option<&'static str>,
    /// Connected seconds, rounded up.
    pub duration_secs: u64,
    /// Keys it recognised.
    pub digits: String,
}

/// A notification as the run saw it.
#[derive(Debug, Clone)]
pub struct NotificationOutcome {
    /// The error code.
    pub error_code: u32,
    /// `error` or `warning`.
    pub log: &'static str,
    /// The message.
    pub message: String,
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
    /// A 2010 call's AnsweredBy.
    pub answered_by: Option<&'a str>,
    /// The detector's findings.
    pub detector: Option<&'a DetectorReport>,
    /// The app requests.
    pub requests: &'a [AppRequest],
    /// The notifications, in order.
    pub notifications: Vec<NotificationOutcome>,
    /// Each recording's duration, whole seconds rounded up.
    pub recordings: Vec<u64>,
    /// The `<Dial>` legs, in order.
    pub legs: Vec<LegOutcome>,
    /// Keys the far end heard.
    pub far_end_digits: String,
    /// The tape.
    pub tape: Option<&'a TapeReport>,
    /// Prompts played to the callee.
    pub prompts_played: u32,
    /// When the call ended.
    pub ended_at_ms: Option<u64>,
}

fn check_count(field: &str, c: Option<Count>) -> Result<(), (String, String, String)> {
    match c.map(Count::validate) {
        Some(Err(why)) => Err((field.to_owned(), "{…}".to_owned(), why)),
        _ => Ok(()),
    }
}

fn check_range(field: &str, r: Option<[u64; 2]>) -> Result<(), (String, String, String)> {
    match r {
        Some([lo, hi]) if lo > hi => Err((
            field.to_owned(),
            format!("[{lo}, {hi}]"),
            "is not a range: its first bound is above its second".to_owned(),
        )),
        _ => Ok(()),
    }
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
            check_count(&format!("requests[{i}].count"), r.count)?;
        }
        check_count("app_requests", self.app_requests)?;
        check_count("dial_leg_count", self.dial_leg_count)?;
        if let Some(r) = &self.recordings {
            check_count("recordings.count", r.count)?;
            check_range("recordings.duration_secs", r.duration_secs)?;
        }
        for (i, n) in self.notifications_matching.iter().enumerate() {
            check_count(&format!("notifications_matching[{i}].count"), n.count)?;
            if let Some(l) = n
                .log
                .as_ref()
                .filter(|l| !matches!(l.as_str(), "error" | "warning"))
            {
                return Err((
                    format!("notifications_matching[{i}].log"),
                    l.clone(),
                    "is not error or warning".into(),
                ));
            }
        }
        for (i, l) in self.dial_legs.iter().enumerate() {
            check_range(&format!("dial_legs[{i}].duration_secs"), l.duration_secs)?;
            if let Some(st) = l
                .status
                .as_ref()
                .filter(|s| !matches!(s.as_str(), "answered" | "busy" | "no-answer" | "failed"))
            {
                return Err((
                    format!("dial_legs[{i}].status"),
                    st.clone(),
                    "is not one of answered, busy, no-answer, failed".into(),
                ));
            }
            for (field, v) in [("number", &l.number), ("caller", &l.caller)] {
                if let Some(v) = v
                    .as_ref()
                    .filter(|v| ringside_call::PhoneNumber::parse(v).is_err())
                {
                    return Err((
                        format!("dial_legs[{i}].{field}"),
                        v.clone(),
                        "is not a phone number".into(),
                    ));
                }
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
        if let Some(a) = &self.answered_by {
            add(
                "answered_by",
                a.clone(),
                opt(o.answered_by),
                o.answered_by == Some(a.as_str()),
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
                n.allows(actual),
            );
        }
        let codes: Vec<u32> = o.notifications.iter().map(|n| n.error_code).collect();
        if let Some(want) = &self.notifications {
            add(
                "notifications",
                format!("{want:?}"),
                format!("{codes:?}"),
                *want == codes,
            );
        }
        for (i, n) in self.notifications_matching.iter().enumerate() {
            let count = n.count.unwrap_or(Count::AT_LEAST_ONCE);
            let matching = o
                .notifications
                .iter()
                .filter(|x| {
                    n.error_code.is_none_or(|c| c == x.error_code)
                        && n.log.as_deref().is_none_or(|l| l == x.log)
                        && n.message_contains
                            .as_deref()
                            .is_none_or(|t| x.message.contains(t))
                })
                .count() as u32;
            let mut what = Vec::new();
            if let Some(c) = n.error_code {
                what.push(format!("code {c}"));
            }
            if let Some(l) = &n.log {
                what.push(l.clone());
            }
            if let Some(t) = &n.message_contains {
                what.push(format!("{t:?}"));
            }
            add(
                &format!("notifications_matching[{i}]"),
                format!("{count} of [{}]", what.join(", ")),
                format!("{matching} (all: {codes:?})"),
                count.allows(matching),
            );
        }
        if let Some(r) = &self.recordings {
            if let Some(count) = r.count {
                let n = o.recordings.len() as u32;
                add(
                    "recordings.count",
                    count.to_string(),
                    n.to_string(),
                    count.allows(n),
                );
            }
            if let Some([lo, hi]) = r.duration_secs {
                add(
                    "recordings.duration_secs",
                    format!("each {lo}..={hi} s"),
                    format!("{:?}", o.recordings),
                    !o.recordings.is_empty() && o.recordings.iter().all(|d| (lo..=hi).contains(d)),
                );
            }
        }
        if let Some(count) = self.dial_leg_count {
            let n = o.legs.len() as u32;
            add(
                "dial_leg_count",
                count.to_string(),
                n.to_string(),
                count.allows(n),
            );
        }
        for (i, want) in self.dial_legs.iter().enumerate() {
            let name = format!("dial_legs[{i}]");
            let Some(leg) = o.legs.get(i) else {
                add(
                    &name,
                    "a leg".into(),
                    format!("{} legs", o.legs.len()),
                    false,
                );
                continue;
            };
            let norm = |s: &str| {
                ringside_call::PhoneNumber::parse(s)
                    .map_or_else(|_| s.to_owned(), |p| p.to_string())
            };
            let mut expected = Vec::new();
            let mut ok = true;
            if let Some(n) = &want.number {
                expected.push(format!("to {}", norm(n)));
                ok &= norm(n) == leg.number;
            }
            if let Some(c) = &want.caller {
                expected.push(format!("from {}", norm(c)));
                ok &= norm(c) == leg.caller;
            }
            if let Some(st) = &want.status {
                expected.push(st.clone());
                ok &= leg.status == Some(st.as_str());
            }
            if let Some([lo, hi]) = want.duration_secs {
                expected.push(format!("{lo}..={hi} s"));
                ok &= (lo..=hi).contains(&leg.duration_secs);
            }
            if let Some(d) = &want.digits {
                expected.push(format!("heard {d:?}"));
                ok &= *d == leg.digits;
            }
            add(
                &name,
                expected.join(", "),
                format!(
                    "to {} from {}, {}, {} s, heard {:?}",
                    leg.number,
                    leg.caller,
                    leg.status.unwrap_or("live"),
                    leg.duration_secs,
                    leg.digits
                ),
                ok,
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
            let matching: Vec<&AppRequest> = o.requests.iter().filter(|q| matches(q)).collect();
            let count = r.count.unwrap_or(Count::AT_LEAST_ONCE);
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
            if r.count.is_some() {
                expected = format!("{count} × {expected}");
            }
            let actual = match matching.as_slice() {
                [] => "no such request".to_owned(),
                [q] => format!("#{} [{}] {}", q.nth, q.purpose, q.url),
                [q, rest @ ..] => format!(
                    "{} such requests, first #{} [{}] {}",
                    rest.len() + 1,
                    q.nth,
                    q.purpose,
                    q.url
                ),
            };
            add(
                &format!("requests[{i}]"),
                expected.trim_end().to_owned(),
                actual,
                count.allows(matching.len() as u32),
            );
        }
        checks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(purpose: &'static str) -> AppRequest {
        AppRequest {
            at_ms: 0,
            nth: 1,
            url: "http://app.example/call".into(),
            method: "POST",
            purpose,
            params: vec![("Digits".into(), "hangup".into())],
            reply: String::new(),
        }
    }

    fn outcome<'a>(requests: &'a [AppRequest], legs: Vec<LegOutcome>) -> Outcome<'a> {
        Outcome {
            error_code: None,
            status: Some(2),
            dial_status: None,
            answered_by: None,
            detector: None,
            requests,
            notifications: vec![NotificationOutcome {
                error_code: 17554,
                log: "warning",
                message: "transcription of recording RE1 failed".into(),
            }],
            recordings: vec![5],
            legs,
            far_end_digits: String::new(),
            tape: None,
            prompts_played: 0,
            ended_at_ms: Some(9000),
        }
    }

    fn verdicts(expect: &str, o: &Outcome<'_>) -> Vec<(String, bool)> {
        let e: Expect = serde_json::from_str(expect).unwrap();
        e.validate().unwrap();
        e.check(o).into_iter().map(|c| (c.name, c.passed)).collect()
    }

    #[test]
    fn counts_recordings_legs_and_notifications_can_fail() {
        let requests = [request("final-record-action")];
        let leg = LegOutcome {
            number: "4155550121".into(),
            caller: "4158675309".into(),
            status: Some("busy"),
            duration_secs: 0,
            digits: String::new(),
        };
        let o = outcome(&requests, vec![leg]);
        let got = verdicts(
            r#"{"app_requests": {"at_least": 2},
                "requests": [{"purpose": "final-record-action", "count": "never"},
                             {"purpose": "final-record-action", "params": {"Digits": "hangup"}, "count": 1}],
                "recordings": {"count": 1, "duration_secs": [6, 9]},
                "dial_leg_count": 1,
                "dial_legs": [{"number": "(415) 555-0121", "status": "answered"}, {"status": "busy"}],
                "notifications_matching": [{"error_code": 17554, "log": "warning", "message_contains": "transcription"},
                                           {"log": "error", "count": "never"}]}"#,
            &o,
        );
        let want = [
            ("app_requests", false),
            ("notifications_matching[0]", true),
            ("notifications_matching[1]", true),
            ("recordings.count", true),
            ("recordings.duration_secs", false),
            ("dial_leg_count", true),
            ("dial_legs[0]", false),
            ("dial_legs[1]", false),
            ("requests[0]", false),
            ("requests[1]", true),
        ];
        let got: Vec<(&str, bool)> = got.iter().map(|(n, p)| (n.as_str(), *p)).collect();
        assert_eq!(got, want);
    }
}
