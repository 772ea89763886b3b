//! `ApiError`: a refused REST request, with the 2008 API's error code.

use std::fmt;

/// Error codes of the 2008-08-01 API that this crate produces.
pub mod codes {
    /// `Called` is missing.
    pub const CALLED_REQUIRED: u32 = 21201;
    /// `Url` (or `CurrentUrl`) is missing or not an absolute http(s) URL.
    pub const INVALID_URL: u32 = 21205;
    /// `SendDigits` has a character other than `0-9#*w`.
    pub const INVALID_SEND_DIGITS: u32 = 21206;
    /// `IfMachine` is not `Continue` or `Hangup`.
    pub const INVALID_IF_MACHINE: u32 = 21207;
    /// `Timeout` is not an integer in 1..=999.
    pub const INVALID_TIMEOUT: u32 = 21208;
    /// `Method` (or `CurrentMethod`) is not `GET` or `POST`.
    pub const INVALID_METHOD: u32 = 21209;
    /// `Caller` is not verified for the account (checked by the server, not here).
    pub const CALLER_NOT_VERIFIED: u32 = 21210;
    /// `Called` is not a phone number.
    pub const INVALID_CALLED: u32 = 21211;
    /// `Caller` is not a phone number (or is the test number `+15005550001`).
    pub const INVALID_CALLER: u32 = 21212;
    /// `Caller` is missing.
    pub const CALLER_REQUIRED: u32 = 21213;
    /// `Called` cannot be reached (test number `+15005550002`).
    pub const CALLED_UNREACHABLE: u32 = 21214;
    /// The account may not call this number (test number `+15005550003`).
    pub const CALLED_NOT_PERMITTED: u32 = 21215;
    /// `Called` is blocked (test number `+15005550004`).
    pub const CALLED_BLOCKED: u32 = 21216;
    /// `Called` is not a valid number (test number `+15005550001`).
    pub const CALLED_NOT_VALID: u32 = 21217;
}

/// A request the API refuses, as `<RestException>` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The API error code (`21201`…), see [`codes`].
    pub code: u32,
    /// The HTTP status to answer with (400 for every validation error).
    pub status: u16,
    /// What is wrong, naming the parameter and the offending value.
    pub message: String,
    /// The parameter at fault, if one is.
    pub field: Option<&'static str>,
}

impl ApiError {
    /// A 400 error about `field`.
    pub fn bad_param(code: u32, field: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            status: 400,
            message: message.into(),
            field: Some(field),
        }
    }

    /// The `<MoreInfo>` link of the error code.
    pub fn more_info(&self) -> String {
        format!("http://www.twilio.com/docs/errors/{}", self.code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (error {})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}
