//! Small enumerated parameters: `IfMachine` and `Method`.

use std::fmt;

/// What to do when answering-machine detection says a machine answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IfMachine {
    /// Wait for the end of the greeting, then run the app with `answered-machine`.
    Continue,
    /// Hang up at once, then notify the app with `hangup-machine`.
    Hangup,
}

impl IfMachine {
    /// Parses `Continue` or `Hangup` in any case (the 2008 docs use both `Continue` and
    /// `continue`).
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("continue") {
            Some(IfMachine::Continue)
        } else if s.eq_ignore_ascii_case("hangup") {
            Some(IfMachine::Hangup)
        } else {
            None
        }
    }
}

impl fmt::Display for IfMachine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IfMachine::Continue => "Continue",
            IfMachine::Hangup => "Hangup",
        })
    }
}

/// The HTTP method used to request an app URL. POST unless the request says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Method {
    /// Parameters go in the query string.
    Get,
    /// Parameters go in a form-encoded body.
    #[default]
    Post,
}

impl Method {
    /// Parses `GET` or `POST`, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("get") {
            Some(Method::Get)
        } else if s.eq_ignore_ascii_case("post") {
            Some(Method::Post)
        } else {
            None
        }
    }

    /// `GET` or `POST`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_machine_any_case() {
        for s in ["Continue", "continue", "CONTINUE", "cOnTiNuE"] {
            assert_eq!(IfMachine::parse(s), Some(IfMachine::Continue));
        }
        for s in ["Hangup", "hangup", "HANGUP"] {
            assert_eq!(IfMachine::parse(s), Some(IfMachine::Hangup));
        }
        for s in ["", "hang up", "Continue ", "yes"] {
            assert_eq!(IfMachine::parse(s), None);
        }
    }

    #[test]
    fn method_parse_and_default() {
        assert_eq!(Method::default(), Method::Post);
        assert_eq!(Method::parse("get"), Some(Method::Get));
        assert_eq!(Method::parse("POST"), Some(Method::Post));
        assert_eq!(Method::parse("PUT"), None);
        assert_eq!(Method::Get.to_string(), "GET");
    }
}
