//! Phone numbers in "any format", normalised the way the 2008 API stored them.
//!
//! US numbers (NANP) become 10 digits with no decoration: `(415) 555-1212`,
//! `415-555-1212`, `415.555.1212`, `4155551212`, `1 415 555 1212` and `+1 415 555 1212`
//! all give `4155551212`. Anything else must start with `+` and a country code, and keeps
//! it: `+44 1234 567890` gives `+441234567890`. Separators (spaces, `-`, `.`, `(`, `)`) are
//! dropped; letters and any other character are refused rather than guessed at.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// Why a string is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumberError {
    /// The rejected input.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for PhoneNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a phone number: {}", self.value, self.reason)
    }
}

impl std::error::Error for PhoneNumberError {}

/// A normalised phone number.
///
/// The digits are shared, not owned: a number is copied into every `Dial` action and
/// timeline line of a call, and a clone is then a reference-count increment rather than
/// an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PhoneNumber {
    /// A North American number: exactly 10 digits, area code first.
    Us(Arc<str>),
    /// An international number: country code and subscriber digits, without the `+`.
    International(Arc<str>),
}

/// E.164 allows at most 15 digits including the country code.
const MAX_E164_DIGITS: usize = 15;
/// The shortest full international numbers (small Pacific islands) have a 3-digit country
/// code and 5 subscriber digits; fewer than 8 digits in all is never a complete number.
const MIN_INTERNATIONAL_DIGITS: usize = 8;

impl PhoneNumber {
    /// Normalises a number written in any of the accepted formats (see the module docs).
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        let err = |reason| PhoneNumberError {
            value: input.to_owned(),
            reason,
        };
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => {
                    return Err(err(
                        "only digits, spaces, '-', '.', '(' and ')' may follow an optional leading '+'",
                    ));
                }
            }
        }
        if digits.is_empty() {
            return Err(err("no digits"));
        }
        let national = match (plus, digits.len()) {
            (true, 11) if digits.starts_with('1') => &digits[1..],
            (true, _) if digits.starts_with('1') => {
                return Err(err(
                    "a +1 number needs exactly 10 digits after the country code",
                ));
            }
            (true, n) if !(MIN_INTERNATIONAL_DIGITS..=MAX_E164_DIGITS).contains(&n) => {
                return Err(err(
                    "an international number has 8 to 15 digits after the '+'",
                ));
            }
            (true, _) if digits.starts_with('0') => {
                return Err(err("a country code never starts with 0"));
            }
            (true, _) => return Ok(PhoneNumber::International(digits.into())),
            (false, 11) if digits.starts_with('1') => &digits[1..],
            (false, 10) => &digits[..],
            (false, _) => {
                return Err(err(
                    "a US number has 10 digits (optionally after 1 or +1); other countries need '+' and the country code",
                ));
            }
        };
        if matches!(national.as_bytes().first(), Some(b'0' | b'1')) {
            return Err(err("a US area code cannot start with 0 or 1"));
        }
        Ok(PhoneNumber::Us(national.into()))
    }

    /// True for a 10-digit North American number.
    pub fn is_us(&self) -> bool {
        matches!(self, PhoneNumber::Us(_))
    }

    /// The number in E.164 form, always with `+` and country code: `+14155551212`.
    pub fn e164(&self) -> String {
        match self {
            PhoneNumber::Us(d) => format!("+1{d}"),
            PhoneNumber::International(d) => format!("+{d}"),
        }
    }
}

impl fmt::Display for PhoneNumber {
    /// The API's stored form: 10 digits for US numbers, `+` and country code otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneNumber::Us(d) => f.write_str(d),
            PhoneNumber::International(d) => write!(f, "+{d}"),
        }
    }
}

impl FromStr for PhoneNumber {
    type Err = PhoneNumberError;
    fn from_str(s: &str) -> Result<Self, PhoneNumberError> {
        PhoneNumber::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn us_formats_normalise_to_ten_digits() {
        for input in [
            "(415) 555-1212",
            "415-555-1212",
            "4155551212",
            "415.555.1212",
            "14155551212",
            "1-415-555-1212",
            "+14155551212",
            "+1 (415) 555-1212",
            "  4155551212 ",
        ] {
            let n = PhoneNumber::parse(input).unwrap();
            assert_eq!(n.to_string(), "4155551212", "{input}");
            assert!(n.is_us());
            assert_eq!(n.e164(), "+14155551212");
        }
    }

    #[test]
    fn international_keeps_plus_and_country_code() {
        let n = PhoneNumber::parse("+44 1234 567890").unwrap();
        assert_eq!(n.to_string(), "+441234567890");
        assert!(!n.is_us());
        assert_eq!(PhoneNumber::parse("+441234567890").unwrap(), n);
    }

    #[test]
    fn rejects_junk() {
        for input in [
            "",
            "+",
            "hello",
            "415555121",
            "415555121234",
            "24155551212",
            "0155551212",
            "1155551212",
            "+1415555121",
            "+0441234567890",
            "+4412",
            "+4412345678901234",
            "1-800-FLOWERS",
            "415_555_1212",
            "++14155551212",
        ] {
            assert!(PhoneNumber::parse(input).is_err(), "{input}");
        }
        let e = PhoneNumber::parse("hello").unwrap_err();
        assert!(e.to_string().contains("\"hello\""));
    }
}
