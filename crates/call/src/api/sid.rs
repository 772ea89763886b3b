//! Resource identifiers: `AC…` accounts and `CA…` calls.
//!
//! Both are a two-letter prefix and 32 hex digits (128 bits). The caller supplies the
//! randomness for new call sids ([`CallSid::from_u128`]), so this crate needs no RNG and
//! tests stay deterministic.

use std::fmt;
use std::str::FromStr;

/// Why a string is not a sid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidError {
    /// The expected prefix, `AC` or `CA`.
    pub prefix: &'static str,
    /// The rejected input.
    pub value: String,
}

impl fmt::Display for SidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid sid {:?}: expected {} followed by 32 hex digits",
            self.value, self.prefix
        )
    }
}

impl std::error::Error for SidError {}

/// Parses `prefix` + 32 hex digits into the 128-bit value.
fn parse_sid(s: &str, prefix: &'static str, lowercase_only: bool) -> Result<u128, SidError> {
    let err = || SidError {
        prefix,
        value: s.to_owned(),
    };
    let hex = s.strip_prefix(prefix).ok_or_else(err)?;
    let valid = hex.len() == 32
        && hex.bytes().all(|b| {
            b.is_ascii_digit()
                || (b'a'..=b'f').contains(&b)
                || (!lowercase_only && (b'A'..=b'F').contains(&b))
        });
    if !valid {
        return Err(err());
    }
    u128::from_str_radix(hex, 16).map_err(|_| err())
}

/// An account identifier: `AC` + 32 hex digits.
///
/// Parsing accepts either case of hex digit (the 2008 docs show lowercase; some clients
/// uppercase); display is always lowercase, so compare parsed values, not strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountSid(u128);

impl AccountSid {
    /// The account sid with this 128-bit value.
    pub const fn from_u128(value: u128) -> Self {
        AccountSid(value)
    }

    /// The account sid made of these 16 bytes (big-endian).
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        AccountSid(u128::from_be_bytes(bytes))
    }

    /// Parses `AC` + 32 hex digits.
    pub fn parse(s: &str) -> Result<Self, SidError> {
        parse_sid(s, "AC", false).map(AccountSid)
    }
}

impl fmt::Display for AccountSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AC{:032x}", self.0)
    }
}

impl FromStr for AccountSid {
    type Err = SidError;
    fn from_str(s: &str) -> Result<Self, SidError> {
        AccountSid::parse(s)
    }
}

/// A call identifier: `CA` + 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallSid(u128);

impl CallSid {
    /// The call sid with this 128-bit value; pass random bits for a fresh call.
    pub const fn from_u128(value: u128) -> Self {
        CallSid(value)
    }

    /// The call sid made of these 16 random bytes (big-endian).
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        CallSid(u128::from_be_bytes(bytes))
    }

    /// Parses `CA` + 32 lowercase hex digits (the API only ever issued lowercase).
    pub fn parse(s: &str) -> Result<Self, SidError> {
        parse_sid(s, "CA", true).map(CallSid)
    }

    /// The 128-bit value.
    pub const fn as_u128(self) -> u128 {
        self.0
    }
}

impl fmt::Display for CallSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CA{:032x}", self.0)
    }
}

impl FromStr for CallSid {
    type Err = SidError;
    fn from_str(s: &str) -> Result<Self, SidError> {
        CallSid::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn call_sid_round_trips() {
        let s = "CA42ed11f93dc08b952027ffbc406d0868";
        let sid = CallSid::parse(s).unwrap();
        assert_eq!(sid.to_string(), s);
        assert_eq!(
            CallSid::from_u128(1).to_string(),
            "CA00000000000000000000000000000001"
        );
        assert_eq!(
            CallSid::from_bytes([0xab; 16]).to_string(),
            format!("CA{}", "ab".repeat(16))
        );
    }

    #[test]
    fn call_sid_rejects_bad_input() {
        for bad in [
            "",
            "CA",
            "CA42ED11F93DC08B952027FFBC406D0868",
            "AC42ed11f93dc08b952027ffbc406d0868",
            "CA42ed11f93dc08b952027ffbc406d086",
            "CA42ed11f93dc08b952027ffbc406d08688",
            "CA42ed11f93dc08b952027ffbc406d086g",
            "CA+2ed11f93dc08b952027ffbc406d0868",
        ] {
            assert!(CallSid::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn account_sid_accepts_either_case() {
        let a = AccountSid::parse("AC309475e5fede1b49e100272a8640f438").unwrap();
        let b = AccountSid::parse("AC309475E5FEDE1B49E100272A8640F438").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "AC309475e5fede1b49e100272a8640f438");
        let err = AccountSid::parse("ACnope").unwrap_err();
        assert!(err.to_string().contains("\"ACnope\""));
    }
}
