//! `SendDigits`: keys to dial as DTMF once the call connects.

use std::fmt;

use crate::time::Duration;

/// One step of dialling a [`SendDigits`] string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigitStep {
    /// Send this DTMF key (`0`–`9`, `#`, `*`).
    Digit(char),
    /// Wait [`DigitStep::WAIT`] (a `w` in the string).
    Wait,
}

impl DigitStep {
    /// How long a `w` waits: half a second, per the 2008 docs.
    pub const WAIT: Duration = Duration::from_millis(500);
}

/// A validated `SendDigits` value: `0`–`9`, `#`, `*` and `w` (a 0.5 s wait).
///
/// An upper-case `W` is accepted and stored as `w`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SendDigits(String);

/// Why a string is not a valid `SendDigits` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendDigitsError {
    /// The rejected input.
    pub value: String,
    /// The first character that is not allowed.
    pub invalid: char,
}

impl fmt::Display for SendDigitsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} contains {:?}; only 0-9, #, * and w (wait 0.5 s) are allowed",
            self.value, self.invalid
        )
    }
}

impl std::error::Error for SendDigitsError {}

impl SendDigits {
    /// Validates a `SendDigits` string.
    pub fn parse(s: &str) -> Result<Self, SendDigitsError> {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '0'..='9' | '#' | '*' | 'w' => out.push(c),
                'W' => out.push('w'),
                _ => {
                    return Err(SendDigitsError {
                        value: s.to_owned(),
                        invalid: c,
                    });
                }
            }
        }
        Ok(SendDigits(out))
    }

    /// The steps to perform, in order.
    pub fn steps(&self) -> impl Iterator<Item = DigitStep> + '_ {
        self.0.chars().map(|c| match c {
            'w' => DigitStep::Wait,
            d => DigitStep::Digit(d),
        })
    }

    /// The string as given (with `W` lowered).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True if there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for SendDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn steps_in_order() {
        let d = SendDigits::parse("ww1234#*W").unwrap();
        let steps: Vec<_> = d.steps().collect();
        assert_eq!(
            steps,
            vec![
                DigitStep::Wait,
                DigitStep::Wait,
                DigitStep::Digit('1'),
                DigitStep::Digit('2'),
                DigitStep::Digit('3'),
                DigitStep::Digit('4'),
                DigitStep::Digit('#'),
                DigitStep::Digit('*'),
                DigitStep::Wait,
            ]
        );
        assert_eq!(d.as_str(), "ww1234#*w");
    }

    #[test]
    fn rejects_other_characters() {
        let e = SendDigits::parse("12a3").unwrap_err();
        assert_eq!(e.invalid, 'a');
        assert!(e.to_string().contains("\"12a3\""));
        assert!(SendDigits::parse("1 2").is_err());
        assert!(SendDigits::parse("A").is_err());
        assert!(SendDigits::parse("").unwrap().is_empty());
    }
}
