//! `State`: where a call is in its life.

use std::fmt;

use crate::api::CallStatus;

/// The call's state. Flat, like smoltcp's TCP states; [`State::status`] maps each to the
/// API's numeric status, and the last four are final (absorbing).
///
/// ```text
/// Created ─start→ Ringing ─answered→ [Detecting → AwaitingGreetingEnd] → [SendingDigits]
///    → Fetching ⇄ Running → Completed
/// Ringing → Busy | NoAnswer | Failed | Canceled       any answered state → Completed | Failed
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Created by the API, not yet dialled (status 0).
    Created,
    /// Dialled; the far end is ringing.
    Ringing,
    /// Answered with `IfMachine`; waiting for the detector's verdict.
    Detecting,
    /// A machine answered with `IfMachine=Continue`; waiting for the end of its greeting.
    AwaitingGreetingEnd,
    /// Ready to run the app, but `SendDigits` keys are still being sent.
    SendingDigits,
    /// Waiting for the app's reply to a request.
    Fetching,
    /// Running a TwiML document.
    Running,
    /// Answered and ended (status 2).
    Completed,
    /// Busy, or rejected while ringing (status 3).
    Busy,
    /// The app failed, or the call could not connect (status 4).
    Failed,
    /// Not answered within `Timeout` (status 5).
    NoAnswer,
    /// Cancelled through the 2010 API before it was answered (`canceled`; status 5 in the
    /// 2008 numbering, which has no code of its own for it).
    Canceled,
}

impl State {
    /// The API status of a call in this state.
    pub const fn status(self) -> CallStatus {
        match self {
            State::Created => CallStatus::NotDialled,
            State::Ringing
            | State::Detecting
            | State::AwaitingGreetingEnd
            | State::SendingDigits
            | State::Fetching
            | State::Running => CallStatus::InProgress,
            State::Completed => CallStatus::Complete,
            State::Busy => CallStatus::Busy,
            State::Failed => CallStatus::Failed,
            State::NoAnswer | State::Canceled => CallStatus::NoAnswer,
        }
    }

    /// The 2010 API's `status` of a call in this state: `queued`, `ringing`,
    /// `in-progress`, `completed`, `busy`, `failed`, `no-answer` or `canceled`.
    pub const fn status_2010(self) -> &'static str {
        match self {
            State::Created => "queued",
            State::Ringing => "ringing",
            State::Detecting
            | State::AwaitingGreetingEnd
            | State::SendingDigits
            | State::Fetching
            | State::Running => "in-progress",
            State::Completed => "completed",
            State::Busy => "busy",
            State::Failed => "failed",
            State::NoAnswer => "no-answer",
            State::Canceled => "canceled",
        }
    }

    /// True for the absorbing states.
    pub const fn is_final(self) -> bool {
        self.status().is_final()
    }

    /// True once the callee has picked up (and the call has not ended).
    pub const fn is_answered(self) -> bool {
        matches!(
            self,
            State::Detecting
                | State::AwaitingGreetingEnd
                | State::SendingDigits
                | State::Fetching
                | State::Running
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Created => "created",
            State::Ringing => "ringing",
            State::Detecting => "detecting",
            State::AwaitingGreetingEnd => "awaiting-greeting-end",
            State::SendingDigits => "sending-digits",
            State::Fetching => "fetching",
            State::Running => "running",
            State::Completed => "completed",
            State::Busy => "busy",
            State::Failed => "failed",
            State::NoAnswer => "no-answer",
            State::Canceled => "canceled",
        })
    }
}
