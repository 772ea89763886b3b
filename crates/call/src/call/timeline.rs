//! `TimelineEntry`: the call's own record of what happened, for drivers to print.

use std::fmt;

use super::action::Action;
use super::event::CallEvent;
use super::state::State;
use super::timer::Timer;

/// One line of a call's timeline; [`Call::timeline`](super::Call::timeline) pairs each
/// with its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEntry {
    /// A state transition, `from => to`.
    State {
        /// The state left.
        from: State,
        /// The state entered.
        to: State,
    },
    /// An event handed to the call.
    Event(CallEvent),
    /// An event that did not apply to the state it arrived in.
    Ignored {
        /// The event.
        event: CallEvent,
        /// The state it arrived in.
        state: State,
    },
    /// An action the call emitted.
    Action(Action),
    /// A timer expired.
    Timer(Timer),
    /// A decision worth seeing (e.g. "fax verdict handled as a machine").
    Note(String),
}

impl fmt::Display for TimelineEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimelineEntry::State { from, to } => write!(f, "state {from} => {to}"),
            TimelineEntry::Event(e) => write!(f, "event {e}"),
            TimelineEntry::Ignored { event, state } => write!(f, "ignored {event} (in {state})"),
            TimelineEntry::Action(a) => write!(f, "action {a}"),
            TimelineEntry::Timer(t) => write!(f, "timer {t}"),
            TimelineEntry::Note(n) => write!(f, "note {n}"),
        }
    }
}
