//! `Count`: how many times something must happen, as a scenario writes it — a number
//! (exactly), `{"at_least": n}`, `{"at_most": n}` (both may be given), or `"never"`.

use std::fmt;

use serde::Deserialize;

/// A bound on a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Count {
    /// Exactly this many.
    Exactly(u32),
    /// `"never"`: zero.
    Word(CountWord),
    /// Within bounds; a missing bound is open.
    Range {
        /// At least this many.
        #[serde(default)]
        at_least: Option<u32>,
        /// At most this many.
        #[serde(default)]
        at_most: Option<u32>,
    },
}

/// The words a count may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountWord {
    /// Zero times.
    Never,
}

impl Count {
    /// At least once: what a listed expectation means without a count.
    pub const AT_LEAST_ONCE: Count = Count::Range {
        at_least: Some(1),
        at_most: None,
    };

    /// Whether `n` is allowed.
    pub fn allows(self, n: u32) -> bool {
        match self {
            Count::Exactly(k) => n == k,
            Count::Word(CountWord::Never) => n == 0,
            Count::Range { at_least, at_most } => {
                at_least.is_none_or(|lo| n >= lo) && at_most.is_none_or(|hi| n <= hi)
            }
        }
    }

    /// Checks the bounds make sense; the message says why not.
    pub fn validate(self) -> Result<(), String> {
        match self {
            Count::Range {
                at_least: None,
                at_most: None,
            } => Err("gives neither \"at_least\" nor \"at_most\"".into()),
            Count::Range {
                at_least: Some(lo),
                at_most: Some(hi),
            } if lo > hi => Err(format!("has at_least {lo} above at_most {hi}")),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Count::Exactly(k) => write!(f, "{k}"),
            Count::Word(CountWord::Never) => f.write_str("never"),
            Count::Range { at_least, at_most } => match (at_least, at_most) {
                (Some(lo), Some(hi)) => write!(f, "{lo} to {hi}"),
                (Some(lo), None) => write!(f, "at least {lo}"),
                (None, Some(hi)) => write!(f, "at most {hi}"),
                (None, None) => f.write_str("any number"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Count {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn every_form_parses_and_bounds() {
        assert!(parse("2").allows(2) && !parse("2").allows(3));
        assert!(parse("\"never\"").allows(0) && !parse("\"never\"").allows(1));
        let c = parse(r#"{"at_least": 1}"#);
        assert!(!c.allows(0) && c.allows(7));
        let c = parse(r#"{"at_least": 1, "at_most": 2}"#);
        assert!(c.allows(2) && !c.allows(3));
        assert_eq!(c.to_string(), "1 to 2");
        assert!(parse("{}").validate().is_err());
        assert!(
            parse(r#"{"at_least": 3, "at_most": 2}"#)
                .validate()
                .is_err()
        );
        assert!(serde_json::from_str::<Count>("\"often\"").is_err());
    }
}
