//! The create-call and update-call requests, validated from their form fields.

use url::Url;

use super::error::{ApiError, codes};
use super::params::{IfMachine, Method};
use super::phone::PhoneNumber;
use super::send_digits::SendDigits;
use super::v2010::ApiVersion;
use crate::time::Duration;

/// `POST /2008-08-01/Accounts/{AccountSid}/Calls`, validated.
///
/// Build it with [`CreateCallRequest::from_params`] from untrusted input; the fields are
/// public so that drivers and tests can also build one directly (the call machine uses
/// them as given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCallRequest {
    /// The caller id (a US number).
    pub caller: PhoneNumber,
    /// The number to call.
    pub called: PhoneNumber,
    /// The app's absolute http(s) URL, requested when the call connects.
    pub url: Url,
    /// How to request `url`.
    pub method: Method,
    /// DTMF keys to dial after connecting.
    pub send_digits: Option<SendDigits>,
    /// Answering-machine handling; `None` runs no detection.
    pub if_machine: Option<IfMachine>,
    /// How long to let the phone ring before giving up (1..=999 s; 1..=600 s in 2010).
    pub timeout: Duration,
    /// The API the call was created through, with what the 2010 API adds. A 2010 call
    /// has no `if_machine`: its detection is `MachineDetection`.
    pub api: ApiVersion,
}

impl CreateCallRequest {
    /// The default `Timeout`: 60 s.
    pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
    /// The largest `Timeout` allowed: 999 s.
    pub const MAX_TIMEOUT_SECS: u64 = 999;

    /// A request with the given numbers and URL and every optional parameter at its default.
    pub fn new(caller: PhoneNumber, called: PhoneNumber, url: Url) -> Self {
        CreateCallRequest {
            caller,
            called,
            url,
            method: Method::Post,
            send_digits: None,
            if_machine: None,
            timeout: Duration::from_secs(Self::DEFAULT_TIMEOUT_SECS),
            api: ApiVersion::V2008,
        }
    }

    /// Validates the form fields of a create-call request.
    ///
    /// Parameter names are case-sensitive as in the API (`Caller`, `Called`, `Url`,
    /// `Method`, `SendDigits`, `IfMachine`, `Timeout`); unknown names are ignored; when a
    /// name repeats, the first value counts; an empty optional value counts as absent.
    /// Checks run in this order and the first failure is returned: `Called` (21201 missing,
    /// 21211 invalid, then the test numbers 21217/21214/21215/21216), `Caller` (21213
    /// missing, 21212 invalid or test number `+15005550001`; a caller id must be a 10-digit
    /// US number), `Url` (21205), `Method` (21209), `SendDigits` (21206), `IfMachine`
    /// (21207), `Timeout` (21208). Whether the caller id belongs to the account (21210) is
    /// the server's check.
    pub fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        let get = |name: &str| param(params, name);

        let called_raw = get("Called").ok_or_else(|| {
            ApiError::bad_param(
                codes::CALLED_REQUIRED,
                "Called",
                "No called number is specified: the Called parameter is required",
            )
        })?;
        let called = PhoneNumber::parse(called_raw).map_err(|e| {
            ApiError::bad_param(
                codes::INVALID_CALLED,
                "Called",
                format!(
                    "The Called number {called_raw:?} is not a valid phone number: {}",
                    e.reason
                ),
            )
        })?;
        if let Some(code) = test_called_code(&called) {
            let message = match code {
                codes::CALLED_UNREACHABLE => {
                    format!("The Called number {called_raw:?} cannot be reached")
                }
                codes::CALLED_NOT_PERMITTED => {
                    format!("The account is not permitted to call the Called number {called_raw:?}")
                }
                codes::CALLED_BLOCKED => format!("The Called number {called_raw:?} is blocked"),
                _ => format!("The Called number {called_raw:?} is not a valid phone number"),
            };
            return Err(ApiError::bad_param(code, "Called", message));
        }

        let caller_raw = get("Caller").ok_or_else(|| {
            ApiError::bad_param(
                codes::CALLER_REQUIRED,
                "Caller",
                "No caller id is specified: the Caller parameter is required",
            )
        })?;
        let caller = match PhoneNumber::parse(caller_raw) {
            Ok(n) if n.is_us() && n.to_string() != "5005550001" => n,
            Ok(n) if n.is_us() => {
                return Err(ApiError::bad_param(
                    codes::INVALID_CALLER,
                    "Caller",
                    format!("The Caller number {caller_raw:?} is not a valid phone number"),
                ));
            }
            Ok(_) => {
                return Err(ApiError::bad_param(
                    codes::INVALID_CALLER,
                    "Caller",
                    format!(
                        "The Caller number {caller_raw:?} is not a valid caller id: it must be a 10-digit US number"
                    ),
                ));
            }
            Err(e) => {
                return Err(ApiError::bad_param(
                    codes::INVALID_CALLER,
                    "Caller",
                    format!(
                        "The Caller number {caller_raw:?} is not a valid phone number: {}",
                        e.reason
                    ),
                ));
            }
        };

        let url = parse_app_url(get("Url"), "Url")?;
        let method = parse_method(get("Method"), "Method")?;

        let send_digits = parse_send_digits(get("SendDigits"))?;

        let if_machine = match get("IfMachine") {
            None => None,
            Some(raw) => Some(IfMachine::parse(raw).ok_or_else(|| {
                ApiError::bad_param(
                    codes::INVALID_IF_MACHINE,
                    "IfMachine",
                    format!("IfMachine {raw:?} is invalid: use Continue or Hangup"),
                )
            })?),
        };

        let timeout = match get("Timeout") {
            None => Duration::from_secs(Self::DEFAULT_TIMEOUT_SECS),
            Some(raw) => {
                let secs = raw.parse::<u64>().ok().filter(|s| {
                    raw.bytes().all(|b| b.is_ascii_digit())
                        && (1..=Self::MAX_TIMEOUT_SECS).contains(s)
                });
                match secs {
                    Some(s) => Duration::from_secs(s),
                    None => {
                        return Err(ApiError::bad_param(
                            codes::INVALID_TIMEOUT,
                            "Timeout",
                            format!(
                                "Timeout {raw:?} is invalid: use an integer number of seconds from 1 to 999"
                            ),
                        ));
                    }
                }
            }
        };

        Ok(CreateCallRequest {
            caller,
            called,
            url,
            method,
            send_digits,
            if_machine,
            timeout,
            api: ApiVersion::V2008,
        })
    }
}

/// The error code the test-credential convention assigns to a called number, if any.
pub(crate) fn test_called_code(called: &PhoneNumber) -> Option<u32> {
    match called {
        PhoneNumber::Us(d) => match &**d {
            "5005550001" => Some(codes::CALLED_NOT_VALID),
            "5005550002" => Some(codes::CALLED_UNREACHABLE),
            "5005550003" => Some(codes::CALLED_NOT_PERMITTED),
            "5005550004" => Some(codes::CALLED_BLOCKED),
            _ => None,
        },
        PhoneNumber::International(_) => None,
    }
}

/// Validates an app URL parameter: required, absolute, http or https, with a host.
pub(crate) fn parse_app_url(raw: Option<&str>, field: &'static str) -> Result<Url, ApiError> {
    let Some(raw) = raw else {
        return Err(ApiError::bad_param(
            codes::INVALID_URL,
            field,
            format!("No {field} is specified: the {field} parameter is required"),
        ));
    };
    match Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(url),
        _ => Err(ApiError::bad_param(
            codes::INVALID_URL,
            field,
            format!("{field} {raw:?} is not a fully qualified http or https URL"),
        )),
    }
}

/// Validates `SendDigits` (21206): only `0-9`, `#`, `*` and `w`.
pub(crate) fn parse_send_digits(raw: Option<&str>) -> Result<Option<SendDigits>, ApiError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    SendDigits::parse(raw).map(Some).map_err(|e| {
        ApiError::bad_param(
            codes::INVALID_SEND_DIGITS,
            "SendDigits",
            format!(
                "SendDigits {raw:?} is invalid: {:?} is not allowed; use only 0-9, #, * and w",
                e.invalid
            ),
        )
    })
}

/// Validates a method parameter (21209): `GET` or `POST` in any case, default POST.
pub(crate) fn parse_method(raw: Option<&str>, field: &'static str) -> Result<Method, ApiError> {
    match raw {
        None => Ok(Method::Post),
        Some(raw) => Method::parse(raw).ok_or_else(|| {
            ApiError::bad_param(
                codes::INVALID_METHOD,
                field,
                format!("{field} {raw:?} is invalid: use GET or POST"),
            )
        }),
    }
}

/// `POST /2008-08-01/Accounts/{AccountSid}/Calls/{CallSid}`: redirect a live call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateCallRequest {
    /// The new TwiML URL (required).
    pub url: Url,
    /// How to request it (default POST).
    pub method: Method,
}

impl UpdateCallRequest {
    /// Validates the form fields: `CurrentUrl` (required, 21205) and `CurrentMethod`
    /// (`GET`/`POST`, default POST, 21209). Same conventions as
    /// [`CreateCallRequest::from_params`].
    pub fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        let get = |name: &str| param(params, name);
        Ok(UpdateCallRequest {
            url: parse_app_url(get("CurrentUrl"), "CurrentUrl")?,
            method: parse_method(get("CurrentMethod"), "CurrentMethod")?,
        })
    }
}

/// The first value of form field `name`, trimmed; an empty value counts as absent.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Caller", "415-867-5309"),
            ("Called", "(415) 555-1212"),
            ("Url", "http://www.myapp.com/myhandler.php"),
        ]
    }

    fn with(extra: &[(&'static str, &'static str)]) -> Result<CreateCallRequest, ApiError> {
        let mut p = base();
        for (k, v) in extra {
            p.retain(|(key, _)| key != k);
            p.push((k, v));
        }
        CreateCallRequest::from_params(&params(&p))
    }

    fn code(extra: &[(&'static str, &'static str)]) -> u32 {
        with(extra).unwrap_err().code
    }

    #[test]
    fn the_docs_examples_validate_with_defaults() {
        let r = with(&[]).unwrap();
        assert_eq!(r.caller.to_string(), "4158675309");
        assert_eq!(r.called.to_string(), "4155551212");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.timeout, Duration::from_secs(60));
        assert_eq!(r.if_machine, None);
        assert_eq!(r.send_digits, None);
        let r = with(&[
            ("Method", "GET"),
            ("SendDigits", "1234#"),
            ("Caller", "866-867-5309"),
        ])
        .unwrap();
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.send_digits.unwrap().as_str(), "1234#");
        assert_eq!(r.caller.to_string(), "8668675309");
    }

    #[test]
    fn missing_and_invalid_numbers() {
        let p: Vec<_> = base().into_iter().filter(|(k, _)| *k != "Called").collect();
        let e = CreateCallRequest::from_params(&params(&p)).unwrap_err();
        assert_eq!((e.code, e.status, e.field), (21201, 400, Some("Called")));
        let p: Vec<_> = base().into_iter().filter(|(k, _)| *k != "Caller").collect();
        assert_eq!(
            CreateCallRequest::from_params(&params(&p))
                .unwrap_err()
                .code,
            21213
        );
        assert_eq!(code(&[("Called", "")]), 21201);
        assert_eq!(code(&[("Caller", "")]), 21213);
        let e = with(&[("Called", "12345")]).unwrap_err();
        assert_eq!(e.code, 21211);
        assert!(
            e.message.contains("Called") && e.message.contains("\"12345\""),
            "{}",
            e.message
        );
        let e = with(&[("Caller", "nope")]).unwrap_err();
        assert_eq!(e.code, 21212);
        assert!(e.message.contains("Caller") && e.message.contains("\"nope\""));
        assert_eq!(code(&[("Caller", "+441234567890")]), 21212);
        assert_eq!(
            with(&[("Called", "+44 1234 567890")])
                .unwrap()
                .called
                .to_string(),
            "+441234567890"
        );
    }

    #[test]
    fn test_credential_numbers() {
        assert_eq!(code(&[("Caller", "+15005550001")]), 21212);
        assert!(with(&[("Caller", "+15005550006")]).is_ok());
        assert_eq!(code(&[("Called", "+15005550001")]), 21217);
        assert_eq!(code(&[("Called", "+15005550002")]), 21214);
        assert_eq!(code(&[("Called", "+15005550003")]), 21215);
        assert_eq!(code(&[("Called", "(500) 555-0004")]), 21216);
    }

    #[test]
    fn url_rules() {
        let p: Vec<_> = base().into_iter().filter(|(k, _)| *k != "Url").collect();
        let e = CreateCallRequest::from_params(&params(&p)).unwrap_err();
        assert_eq!((e.code, e.field), (21205, Some("Url")));
        for bad in [
            "",
            "/relative/path",
            "ftp://example.com/x",
            "www.myapp.com",
            "http://",
            "mailto:a@b.c",
        ] {
            assert_eq!(code(&[("Url", bad)]), 21205, "{bad}");
        }
        assert!(with(&[("Url", "https://example.com/a?b=c")]).is_ok());
    }

    #[test]
    fn optional_parameters() {
        assert_eq!(code(&[("Method", "PUT")]), 21209);
        assert_eq!(with(&[("Method", "get")]).unwrap().method, Method::Get);
        assert_eq!(with(&[("Method", "")]).unwrap().method, Method::Post);
        let e = with(&[("SendDigits", "12x")]).unwrap_err();
        assert_eq!(e.code, 21206);
        assert!(e.message.contains("'x'") && e.message.contains("\"12x\""));
        assert_eq!(code(&[("IfMachine", "maybe")]), 21207);
        assert_eq!(
            with(&[("IfMachine", "continue")]).unwrap().if_machine,
            Some(IfMachine::Continue)
        );
        assert_eq!(
            with(&[("IfMachine", "HANGUP")]).unwrap().if_machine,
            Some(IfMachine::Hangup)
        );
    }

    #[test]
    fn timeout_bounds() {
        assert_eq!(
            with(&[("Timeout", "999")]).unwrap().timeout,
            Duration::from_secs(999)
        );
        assert_eq!(
            with(&[("Timeout", "1")]).unwrap().timeout,
            Duration::from_secs(1)
        );
        assert_eq!(
            with(&[("Timeout", "15")]).unwrap().timeout,
            Duration::from_secs(15)
        );
        for bad in [
            "1000",
            "0",
            "-5",
            "+5",
            "1.5",
            "ten",
            "99999999999999999999999",
        ] {
            let e = with(&[("Timeout", bad)]).unwrap_err();
            assert_eq!(e.code, 21208, "{bad}");
            assert!(e.message.contains(bad), "{}", e.message);
        }
    }

    #[test]
    fn first_duplicate_wins_and_unknown_ignored() {
        let mut p = base();
        p.push(("Timeout", "30"));
        p.push(("Timeout", "5000"));
        p.push(("Bogus", "x"));
        let r = CreateCallRequest::from_params(&params(&p)).unwrap();
        assert_eq!(r.timeout, Duration::from_secs(30));
    }

    #[test]
    fn update_request() {
        let r = UpdateCallRequest::from_params(&params(&[("CurrentUrl", "http://a.example/next")]))
            .unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url.as_str(), "http://a.example/next");
        let e = UpdateCallRequest::from_params(&params(&[])).unwrap_err();
        assert_eq!((e.code, e.field), (21205, Some("CurrentUrl")));
        let e = UpdateCallRequest::from_params(&params(&[
            ("CurrentUrl", "http://a/"),
            ("CurrentMethod", "DELETE"),
        ]))
        .unwrap_err();
        assert_eq!((e.code, e.field), (21209, Some("CurrentMethod")));
    }
}
