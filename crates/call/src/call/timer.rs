//! The call's timers: one `Copy` enum and a small table (as in quinn-proto).

use std::fmt;

use crate::time::Instant;

/// A deadline the call may be waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Ringing longer than `Timeout` → no-answer.
    Ring,
    /// No detector verdict in time → treat as unknown.
    Detection,
    /// No end of greeting in time → treat as ended.
    Greeting,
    /// The next `SendDigits` step.
    Digit,
    /// The app did not answer in time.
    Fetch,
    /// The end of a `<Pause>` (top-level or in `<Gather>`).
    Pause,
    /// `<Gather timeout>` since the last prompt or digit.
    GatherInput,
    /// `<Record maxLength>`.
    RecordMax,
    /// `<Dial timeLimit>`, from the leg's answer.
    BridgeLimit,
    /// `<Dial timeout>`: ringing the dialled leg.
    DialRing,
    /// The longest call allowed.
    MaxLength,
    /// The end of the window in which a late beep restarts the machine flow.
    LateBeep,
}

impl Timer {
    const ALL: [Timer; 12] = [
        Timer::Ring,
        Timer::Detection,
        Timer::Greeting,
        Timer::Digit,
        Timer::Fetch,
        Timer::Pause,
        Timer::GatherInput,
        Timer::RecordMax,
        Timer::BridgeLimit,
        Timer::DialRing,
        Timer::MaxLength,
        Timer::LateBeep,
    ];

    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Timer::Ring => "ring-timeout",
            Timer::Detection => "detection-timeout",
            Timer::Greeting => "greeting-timeout",
            Timer::Digit => "send-digit",
            Timer::Fetch => "fetch-timeout",
            Timer::Pause => "pause-end",
            Timer::GatherInput => "gather-timeout",
            Timer::RecordMax => "record-max-length",
            Timer::BridgeLimit => "dial-time-limit",
            Timer::DialRing => "dial-timeout",
            Timer::MaxLength => "max-call-length",
            Timer::LateBeep => "late-beep-window",
        })
    }
}

/// When each timer expires, if set.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimerTable {
    deadlines: [Option<Instant>; Timer::ALL.len()],
}

impl TimerTable {
    pub(crate) fn set(&mut self, timer: Timer, at: Instant) {
        self.deadlines[timer.index()] = Some(at);
    }

    pub(crate) fn stop(&mut self, timer: Timer) {
        self.deadlines[timer.index()] = None;
    }

    pub(crate) fn is_set(&self, timer: Timer) -> bool {
        self.deadlines[timer.index()].is_some()
    }

    pub(crate) fn clear(&mut self) {
        self.deadlines = Default::default();
    }

    /// The earliest deadline.
    pub(crate) fn next_timeout(&self) -> Option<Instant> {
        self.deadlines.iter().flatten().min().copied()
    }

    /// The earliest timer expired at `now`; ties go to the one listed first in [`Timer`].
    pub(crate) fn expired(&self, now: Instant) -> Option<Timer> {
        Timer::ALL
            .iter()
            .filter_map(|&t| {
                self.deadlines[t.index()]
                    .filter(|&d| d <= now)
                    .map(|d| (d, t))
            })
            .min_by_key(|&(d, t)| (d, t.index()))
            .map(|(_, t)| t)
    }
}
