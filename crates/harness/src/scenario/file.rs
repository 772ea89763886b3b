//! The scenario file: a call request, its far end, the app's scripted replies, and what
//! must hold at the end.
//!
//! ```json
//! {
//!   "description": "machine, IfMachine=Continue: the message lands after the beep",
//!   "phonebook": "../phonebook.json",
//!   "request": {"Caller": "4158675309", "Called": "4155550102",
//!               "Url": "http://app.example/call", "IfMachine": "Continue"},
//!   "app": {"latency_ms": 50, "replies": [
//!     {"when": {"dial_status": "answered-machine"},
//!      "twiml": "<Response><Say>Hi, it's the dentist.</Say></Response>"}]},
//!   "expect": {"status": 2, "dial_status": "answered-machine",
//!              "first_fetch_after_beep": {"within_ms": 500}, "message": "whole"}
//! }
//! ```
//!
//! `phonebook` (default `../phonebook.json`) and `media` paths are relative to the
//! scenario file; `far_end` replaces the phone-book lookup of the called number with an
//! inline entry (a `<Dial>`led number is still looked up in `phonebook`, when given).
//! `redirects` are live redirects (`POST …/Calls/{CallSid}` with `CurrentUrl`) made at a
//! virtual time: `[{"at_ms": 8000, "url": "http://app.example/other", "method": "GET"}]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use ringside_call::{Method, Url};

use super::app::{Reply, ReplyRule, When};
use super::error::ScenarioError;
use super::expect::Expect;
use ringside_sim::phonebook::{self, PhoneBook, PhoneEntry};

/// The default time limit of a scenario, in virtual seconds.
const DEFAULT_MAX_SECS: u64 = 1200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    phonebook: Option<String>,
    request: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    far_end: Option<serde_json::Value>,
    #[serde(default)]
    app: RawApp,
    #[serde(default)]
    media: BTreeMap<String, String>,
    #[serde(default)]
    max_secs: Option<u64>,
    #[serde(default)]
    redirects: Vec<RawRedirect>,
    #[serde(default)]
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedirect {
    at_ms: u64,
    url: String,
    #[serde(default)]
    method: Option<String>,
}

/// A live redirect of the running call, as the REST API would make it.
#[derive(Debug, Clone)]
pub struct LiveRedirect {
    /// When, in virtual ms from the dial.
    pub at_ms: u64,
    /// The new TwiML URL (absolute).
    pub url: Url,
    /// How to request it (default POST).
    pub method: Method,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawApp {
    #[serde(default)]
    latency_ms: Option<u64>,
    #[serde(default)]
    replies: Vec<RawReply>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReply {
    #[serde(default)]
    when: When,
    #[serde(default)]
    twiml: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    no_reply: bool,
    #[serde(default)]
    fail: Option<String>,
    #[serde(default)]
    latency_ms: Option<u64>,
}

/// A loaded, validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// What it shows.
    pub description: String,
    /// The create-call form fields, as given (validated when run, like the API would).
    pub request: Vec<(String, String)>,
    /// The far end, when given inline.
    pub far_end: Option<PhoneEntry>,
    /// The phone book, unless the far end is inline.
    pub phonebook: Option<PhoneBook>,
    /// The app's replies, first match wins.
    pub replies: Vec<ReplyRule>,
    /// Audio for `<Play>` URLs: URL → file.
    pub media: BTreeMap<String, PathBuf>,
    /// Virtual time after which the call is declared stuck.
    pub max_secs: u64,
    /// Live redirects, in time order.
    pub redirects: Vec<LiveRedirect>,
    /// What must hold.
    pub expect: Expect,
}

impl Scenario {
    /// Reads and validates the scenario at `path` (and its phone book).
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let text = ringside_audio::read_text(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, path)
    }

    /// Parses scenario JSON as if read from `path`.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, ScenarioError> {
        let raw: RawScenario =
            serde_json::from_str(text).map_err(|source| ScenarioError::Json {
                path: path.to_path_buf(),
                source,
            })?;
        let invalid = |field: &str, value: &str, reason: &str| ScenarioError::Invalid {
            path: path.to_path_buf(),
            field: field.to_owned(),
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();

        let mut request = Vec::new();
        for (k, v) in raw.request {
            let value = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                other => {
                    return Err(invalid(
                        &format!("request.{k}"),
                        &other.to_string(),
                        "must be a string or a number (form fields are text)",
                    ));
                }
            };
            request.push((k, value));
        }

        let load_book = |rel: &str| {
            PhoneBook::load(&base.join(rel)).map_err(|source| ScenarioError::PhoneBook {
                path: path.to_path_buf(),
                source,
            })
        };
        let (far_end, phonebook) = match raw.far_end {
            Some(v) => {
                let entry = phonebook::parse_entry(v, path, "far_end").map_err(|source| {
                    ScenarioError::PhoneBook {
                        path: path.to_path_buf(),
                        source,
                    }
                })?;
                let book = raw.phonebook.as_deref().map(load_book).transpose()?;
                (Some(entry), book)
            }
            None => {
                let rel = raw.phonebook.as_deref().unwrap_or("../phonebook.json");
                (None, Some(load_book(rel)?))
            }
        };

        let mut redirects = Vec::new();
        for (i, r) in raw.redirects.into_iter().enumerate() {
            let field = format!("redirects[{i}]");
            let url = Url::parse(&r.url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    invalid(
                        &format!("{field}.url"),
                        &r.url,
                        "is not an absolute http(s) URL",
                    )
                })?;
            let method = match r.method.as_deref() {
                None => Method::Post,
                Some(m) => Method::parse(m)
                    .ok_or_else(|| invalid(&format!("{field}.method"), m, "is not GET or POST"))?,
            };
            redirects.push(LiveRedirect {
                at_ms: r.at_ms,
                url,
                method,
            });
        }
        redirects.sort_by_key(|r| r.at_ms);

        let default_latency = raw.app.latency_ms.unwrap_or(50);
        let mut replies = Vec::new();
        for (i, r) in raw.app.replies.into_iter().enumerate() {
            let field = format!("app.replies[{i}]");
            let kinds = [
                r.twiml.is_some(),
                r.body.is_some(),
                r.no_reply,
                r.fail.is_some(),
            ]
            .iter()
            .filter(|&&b| b)
            .count();
            if kinds > 1 {
                return Err(invalid(
                    &field,
                    "{…}",
                    "has more than one of \"twiml\", \"body\", \"no_reply\" and \"fail\"",
                ));
            }
            if kinds == 0 && r.status.is_none() {
                return Err(invalid(
                    &field,
                    "{…}",
                    "says nothing to reply: give \"twiml\", \"body\", \"status\", \"no_reply\" or \"fail\"",
                ));
            }
            if let Some(s) = r.status.filter(|s| !(100..=599).contains(s)) {
                return Err(invalid(
                    &format!("{field}.status"),
                    &s.to_string(),
                    "is not an HTTP status",
                ));
            }
            r.when
                .validate()
                .map_err(|(f, v, why)| invalid(&format!("{field}.when.{f}"), &v, &why))?;
            let reply = if r.no_reply {
                Reply::NoReply
            } else if let Some(reason) = r.fail {
                Reply::Fail(reason)
            } else if let Some(twiml) = r.twiml {
                Reply::Http {
                    status: r.status.unwrap_or(200),
                    content_type: Some(r.content_type.unwrap_or_else(|| "text/xml".to_owned())),
                    body: twiml,
                }
            } else {
                Reply::Http {
                    status: r.status.unwrap_or(200),
                    content_type: r.content_type,
                    body: r.body.unwrap_or_default(),
                }
            };
            replies.push(ReplyRule {
                when: r.when,
                reply,
                latency_ms: r.latency_ms.unwrap_or(default_latency),
            });
        }

        let mut media = BTreeMap::new();
        for (url, file) in raw.media {
            let full = base.join(&file);
            if !full.is_file() {
                return Err(invalid(&format!("media.{url}"), &file, "is not a file"));
            }
            media.insert(url, full);
        }
        raw.expect
            .validate()
            .map_err(|(f, v, why)| invalid(&format!("expect.{f}"), &v, &why))?;

        let description = raw.description.unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        Ok(Scenario {
            path: path.to_path_buf(),
            description,
            request,
            far_end,
            phonebook,
            replies,
            media,
            max_secs: raw.max_secs.unwrap_or(DEFAULT_MAX_SECS).max(1),
            redirects,
            expect: raw.expect,
        })
    }
}
