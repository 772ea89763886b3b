//! The filters of `GET …/Calls`: `Called`, `Caller`, `Status`, and `StartTime` as a day
//! (`StartTime=2008-04-03`) or a bound (`StartTime>=…`, `StartTime<=…`).
//!
//! A query string `StartTime>=2008-04-03` decodes as the name `StartTime>` with the value
//! `2008-04-03` (the `=` is the separator), so both that and a percent-encoded `>=` in the
//! name are accepted.

use ringside_call::{CallStatus, PhoneNumber};

use crate::date::{DAY_MS, parse_day, parse_day_or_time};
use crate::error::ServerError;

/// Which calls a list request wants. Every field is optional; all given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// The callee, normalised as the Call resource shows it.
    pub called: Option<String>,
    /// The caller id, normalised.
    pub caller: Option<String>,
    /// The status code.
    pub status: Option<CallStatus>,
    /// Calls that started at or after this epoch ms.
    pub start_from: Option<i64>,
    /// Calls that started before this epoch ms.
    pub start_before: Option<i64>,
    /// The 2010 status name.
    pub status_2010: Option<String>,
    /// Calls that ended at or after this epoch ms.
    pub end_from: Option<i64>,
    /// Calls that ended before this epoch ms.
    pub end_before: Option<i64>,
    /// A `ParentCallSid` filter: the `<Dial>` legs of this call (only legs have a parent;
    /// the list shows them and no other calls).
    pub parent: Option<ringside_call::CallSid>,
}

impl CallFilter {
    /// Reads the filters from query parameters; an unparseable value is a 400 naming it.
    pub fn from_params(params: &[(String, String)]) -> Result<Self, ServerError> {
        let mut f = CallFilter::default();
        for (name, value) in params {
            let value = value.trim();
            match name.as_str() {
                "Called" => f.called = Some(number(name, value)?),
                "Caller" => f.caller = Some(number(name, value)?),
                "Status" => {
                    let status = value
                        .parse::<u8>()
                        .ok()
                        .and_then(CallStatus::from_code)
                        .ok_or_else(|| {
                            ServerError::bad_request(format!(
                                "Status {value:?} is invalid: use a status code from 0 to 5"
                            ))
                        })?;
                    f.status = Some(status);
                }
                "StartTime" => {
                    let day = day(name, value)?;
                    f.start_from = Some(day);
                    f.start_before = Some(day + DAY_MS);
                }
                "StartTime>" | "StartTime>=" => f.start_from = Some(day(name, value)?),
                "StartTime<" | "StartTime<=" => f.start_before = Some(day(name, value)? + DAY_MS),
                _ => {}
            }
        }
        Ok(f)
    }
}

/// The 2010 statuses a list may filter on.
const STATUSES_2010: [&str; 8] = [
    "queued",
    "ringing",
    "in-progress",
    "canceled",
    "completed",
    "failed",
    "busy",
    "no-answer",
];

impl CallFilter {
    /// Reads the 2010 list filters: `To`, `From`, `Status` (a 2010 status name),
    /// `ParentCallSid` (the call's `<Dial>` legs), and `StartTime` /
    /// `EndTime` as a day or with `<`/`>` (a day or `YYYY-MM-DDTHH:MM:SSZ`).
    pub fn from_params_2010(params: &[(String, String)]) -> Result<Self, ServerError> {
        let mut f = CallFilter::default();
        for (name, value) in params {
            let value = value.trim();
            match name.as_str() {
                "To" => f.called = Some(number(name, value)?),
                "From" => f.caller = Some(number(name, value)?),
                "Status" => {
                    if !STATUSES_2010.contains(&value) {
                        return Err(ServerError::bad_request(format!(
                            "Status {value:?} is invalid: use one of {}",
                            STATUSES_2010.join(", ")
                        )));
                    }
                    f.status_2010 = Some(value.to_owned());
                }
                "ParentCallSid" => {
                    let sid = ringside_call::CallSid::parse(value).map_err(|_| {
                        ServerError::bad_request(format!(
                            "ParentCallSid {value:?} is not a call sid"
                        ))
                    })?;
                    f.parent = Some(sid);
                }
                "StartTime" | "EndTime" => {
                    let (at, _) = time(name, value)?;
                    let range = (Some(at), Some(at + DAY_MS));
                    if name == "StartTime" {
                        (f.start_from, f.start_before) = range;
                    } else {
                        (f.end_from, f.end_before) = range;
                    }
                }
                "StartTime>" | "StartTime>=" => f.start_from = Some(time(name, value)?.0),
                "EndTime>" | "EndTime>=" => f.end_from = Some(time(name, value)?.0),
                "StartTime<" | "StartTime<=" => f.start_before = Some(before(name, value)?),
                "EndTime<" | "EndTime<=" => f.end_before = Some(before(name, value)?),
                _ => {}
            }
        }
        Ok(f)
    }
}

/// An upper bound: a day includes all of it, a time is exact.
fn before(name: &str, value: &str) -> Result<i64, ServerError> {
    let (at, day_only) = time(name, value)?;
    Ok(if day_only { at + DAY_MS } else { at })
}

fn time(name: &str, value: &str) -> Result<(i64, bool), ServerError> {
    let shown = name.trim_end_matches('=');
    parse_day_or_time(value).ok_or_else(|| {
        ServerError::bad_request(format!(
            "{shown} {value:?} is invalid: use a date as YYYY-MM-DD or a UTC time as YYYY-MM-DDTHH:MM:SSZ"
        ))
    })
}

fn number(name: &str, value: &str) -> Result<String, ServerError> {
    PhoneNumber::parse(value)
        .map(|n| n.to_string())
        .map_err(|e| {
            ServerError::bad_request(format!(
                "{name} {value:?} is not a valid phone number: {}",
                e.reason
            ))
        })
}

fn day(name: &str, value: &str) -> Result<i64, ServerError> {
    let shown = name.trim_end_matches('=');
    parse_day(value).ok_or_else(|| {
        ServerError::bad_request(format!(
            "{shown} {value:?} is invalid: use a date as YYYY-MM-DD"
        ))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<CallFilter, ServerError> {
        let p: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        CallFilter::from_params(&p)
    }

    #[test]
    fn reads_each_filter() {
        let f = parse("Called=(415)%20555-1212&Caller=%2B14158675309&Status=2").unwrap();
        assert_eq!(f.called.as_deref(), Some("4155551212"));
        assert_eq!(f.caller.as_deref(), Some("4158675309"));
        assert_eq!(f.status, Some(CallStatus::Complete));
        let day = parse_day("2008-04-03").unwrap();
        let f = parse("StartTime=2008-04-03").unwrap();
        assert_eq!(
            (f.start_from, f.start_before),
            (Some(day), Some(day + DAY_MS))
        );
        let f = parse("StartTime>=2008-04-03&StartTime<=2008-04-05").unwrap();
        assert_eq!(f.start_from, Some(day));
        assert_eq!(f.start_before, Some(day + 3 * DAY_MS));
        let f = parse("StartTime%3E%3D=2008-04-03").unwrap();
        assert_eq!(f.start_from, Some(day));
    }

    #[test]
    fn refuses_bad_values() {
        for q in [
            "Status=9",
            "Status=x",
            "StartTime=2008-4-3",
            "Called=abc",
            "StartTime>=yesterday",
        ] {
            assert!(matches!(parse(q), Err(ServerError::BadRequest(_))), "{q}");
        }
    }
}
