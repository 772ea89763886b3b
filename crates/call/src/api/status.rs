//! Call outcomes: the numeric `Status` of the Call resource, and the `DialStatus` and
//! `CallStatus` strings sent to the app.

use std::fmt;

/// The `Status` field of a Call resource (codes 0–5 of the 2008 API).
///
/// The 2008 list has no code of its own for "the network could not connect the call";
/// ringside reports such calls as [`CallStatus::Failed`] (4): it is the only "failed" code
/// that is not busy or no-answer, and it matches the `failed` string the app is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallStatus {
    /// 0: created, not yet dialled.
    NotDialled,
    /// 1: dialled and not yet ended (ringing, detecting, or running the app).
    InProgress,
    /// 2: answered and ended normally, by either side.
    Complete,
    /// 3: the callee was busy (or rejected the call while it rang).
    Busy,
    /// 4: the app failed (fetch failed, non-2xx, bad TwiML) or the call could not connect.
    Failed,
    /// 5: nobody answered within `Timeout` (or the call was cancelled before answer).
    NoAnswer,
}

impl CallStatus {
    /// The numeric code, 0–5.
    pub const fn code(self) -> u8 {
        match self {
            CallStatus::NotDialled => 0,
            CallStatus::InProgress => 1,
            CallStatus::Complete => 2,
            CallStatus::Busy => 3,
            CallStatus::Failed => 4,
            CallStatus::NoAnswer => 5,
        }
    }

    /// The status with this numeric code (for the `Status` list filter).
    pub const fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => CallStatus::NotDialled,
            1 => CallStatus::InProgress,
            2 => CallStatus::Complete,
            3 => CallStatus::Busy,
            4 => CallStatus::Failed,
            5 => CallStatus::NoAnswer,
            _ => return None,
        })
    }

    /// True once the call has ended; final statuses never change.
    pub const fn is_final(self) -> bool {
        !matches!(self, CallStatus::NotDialled | CallStatus::InProgress)
    }

    /// The `CallStatus` string sent to the app: `in-progress`, `completed`, `busy`,
    /// `failed`, `no-answer`. `None` for a call not yet dialled (it makes no requests).
    pub const fn webhook_str(self) -> Option<&'static str> {
        Some(match self {
            CallStatus::NotDialled => return None,
            CallStatus::InProgress => "in-progress",
            CallStatus::Complete => "completed",
            CallStatus::Busy => "busy",
            CallStatus::Failed => "failed",
            CallStatus::NoAnswer => "no-answer",
        })
    }
}

impl fmt::Display for CallStatus {
    /// The numeric code, as the Call resource shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// The `DialStatus` parameter: how the outbound call connected (on the app's first
/// request), or how a `<Dial>` ended (on its action request).
///
/// The 2008 docs spell the failure value both `fail` and `failed`; ringside sends `failed`,
/// the spelling of the `<Dial>` action and of the later API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialStatus {
    /// No `IfMachine`: anybody or anything picked up.
    Answered,
    /// `IfMachine` given and a human answered.
    AnsweredHuman,
    /// `IfMachine=Continue` and a machine answered; sent after the greeting ended.
    AnsweredMachine,
    /// `IfMachine=Hangup` and a machine answered; the call was already hung up.
    HangupMachine,
    /// The callee was busy.
    Busy,
    /// Nobody answered within the timeout.
    NoAnswer,
    /// The call could not be connected.
    Failed,
}

impl DialStatus {
    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            DialStatus::Answered => "answered",
            DialStatus::AnsweredHuman => "answered-human",
            DialStatus::AnsweredMachine => "answered-machine",
            DialStatus::HangupMachine => "hangup-machine",
            DialStatus::Busy => "busy",
            DialStatus::NoAnswer => "no-answer",
            DialStatus::Failed => "failed",
        }
    }

    /// Parses a parameter value (exact, lowercase; `fail` is accepted for `failed`).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "answered" => DialStatus::Answered,
            "answered-human" => DialStatus::AnsweredHuman,
            "answered-machine" => DialStatus::AnsweredMachine,
            "hangup-machine" => DialStatus::HangupMachine,
            "busy" => DialStatus::Busy,
            "no-answer" => DialStatus::NoAnswer,
            "failed" | "fail" => DialStatus::Failed,
            _ => return None,
        })
    }
}

impl fmt::Display for DialStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in 0..=5 {
            let s = CallStatus::from_code(code);
            assert_eq!(s.map(CallStatus::code), Some(code));
        }
        assert_eq!(CallStatus::from_code(6), None);
        assert!(!CallStatus::InProgress.is_final());
        assert!(CallStatus::NoAnswer.is_final());
        assert_eq!(CallStatus::NotDialled.webhook_str(), None);
        assert_eq!(CallStatus::NoAnswer.webhook_str(), Some("no-answer"));
    }

    #[test]
    fn dial_status_strings() {
        for s in [
            DialStatus::Answered,
            DialStatus::AnsweredHuman,
            DialStatus::AnsweredMachine,
            DialStatus::HangupMachine,
            DialStatus::Busy,
            DialStatus::NoAnswer,
            DialStatus::Failed,
        ] {
            assert_eq!(DialStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DialStatus::parse("fail"), Some(DialStatus::Failed));
        assert_eq!(DialStatus::parse("Answered"), None);
    }
}
