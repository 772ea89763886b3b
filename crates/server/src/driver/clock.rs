//! Simulated time for one call: milliseconds since the call's task started.

use ringside_call::{Duration, Instant};

use crate::config::ClockMode;

/// Where simulated time comes from.
#[derive(Debug, Clone, Copy)]
pub(super) enum Clock {
    /// Simulated time is real time since `epoch`.
    Real {
        /// The call's time zero.
        epoch: tokio::time::Instant,
    },
    /// Simulated time is wherever the simulation last got to.
    Fast {
        /// The latest simulated instant.
        now: Instant,
    },
}

impl Clock {
    /// A clock starting at zero now.
    pub(super) fn new(mode: ClockMode) -> Self {
        match mode {
            ClockMode::Real => Clock::Real {
                epoch: tokio::time::Instant::now(),
            },
            ClockMode::Fast => Clock::Fast { now: Instant::ZERO },
        }
    }

    /// True for the fast clock.
    pub(super) fn is_fast(self) -> bool {
        matches!(self, Clock::Fast { .. })
    }

    /// The simulated time now.
    pub(super) fn now(&self) -> Instant {
        match self {
            Clock::Real { epoch } => Instant::ZERO + Duration::from(epoch.elapsed()),
            Clock::Fast { now } => *now,
        }
    }

    /// The simulation got to `t` (the fast clock follows it; real time needs no help).
    pub(super) fn observe(&mut self, t: Instant) {
        if let Clock::Fast { now } = self {
            *now = (*now).max(t);
        }
    }

    /// The tokio instant of simulated `t` (real clock only; the fast clock never sleeps).
    pub(super) fn deadline(&self, t: Instant) -> tokio::time::Instant {
        match self {
            Clock::Real { epoch } => *epoch + std::time::Duration::from(t - Instant::ZERO),
            Clock::Fast { .. } => tokio::time::Instant::now(),
        }
    }
}
