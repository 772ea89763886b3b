//! Time as a value: the call machine never reads a clock.
//!
//! [`Instant`] counts milliseconds since an epoch the driver chooses (the start of a scenario
//! for the virtual-clock harness, process start for a tokio server); only differences between
//! instants mean anything. Millisecond resolution is enough for every rule of the 2008 API
//! (the finest is the 0.5 s `w` of `SendDigits`) and keeps arithmetic exact and deterministic.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in time, in milliseconds since a driver-chosen epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant {
    millis: u64,
}

impl Instant {
    /// The epoch.
    pub const ZERO: Instant = Instant { millis: 0 };

    /// The instant `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: u64) -> Self {
        Instant { millis }
    }

    /// The instant `secs` seconds after the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Instant {
            millis: secs.saturating_mul(1000),
        }
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.millis
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_millis(self.millis.saturating_sub(earlier.millis))
    }
}

impl fmt::Display for Instant {
    /// Seconds with millisecond precision: `61.250s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.millis / 1000, self.millis % 1000)
    }
}

/// A span of time in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    millis: u64,
}

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration { millis: 0 };

    /// `millis` milliseconds.
    pub const fn from_millis(millis: u64) -> Self {
        Duration { millis }
    }

    /// `secs` whole seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Duration {
            millis: secs.saturating_mul(1000),
        }
    }

    /// The length in milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.millis
    }

    /// Whole seconds, rounded down.
    pub const fn as_secs(self) -> u64 {
        self.millis / 1000
    }

    /// Whole seconds, rounded up: how the API reports call and recording durations
    /// (a 4.2 s call lasted 5 billable seconds).
    pub const fn as_secs_ceil(self) -> u64 {
        self.millis.div_ceil(1000)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis % 1000 == 0 {
            write!(f, "{}s", self.millis / 1000)
        } else {
            write!(f, "{}.{:03}s", self.millis / 1000, self.millis % 1000)
        }
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    /// Saturates at the end of time rather than overflowing.
    fn add(self, rhs: Duration) -> Instant {
        Instant {
            millis: self.millis.saturating_add(rhs.millis),
        }
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    /// Saturates at zero when `rhs` is later.
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        Duration {
            millis: self.millis.saturating_add(rhs.millis),
        }
    }
}

impl From<Duration> for std::time::Duration {
    fn from(d: Duration) -> Self {
        std::time::Duration::from_millis(d.millis)
    }
}

impl From<std::time::Duration> for Duration {
    /// Truncates to whole milliseconds; saturates beyond `u64::MAX` ms.
    fn from(d: std::time::Duration) -> Self {
        Duration {
            millis: u64::try_from(d.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = Instant::from_millis(u64::MAX - 1);
        assert_eq!((t + Duration::from_secs(1)).as_millis(), u64::MAX);
        assert_eq!(Instant::ZERO - Instant::from_secs(3), Duration::ZERO);
        assert_eq!(
            Instant::from_secs(3) - Instant::from_millis(500),
            Duration::from_millis(2500)
        );
    }

    #[test]
    fn display_and_rounding() {
        assert_eq!(Instant::from_millis(61_250).to_string(), "61.250s");
        assert_eq!(Duration::from_secs(5).to_string(), "5s");
        assert_eq!(Duration::from_millis(500).to_string(), "0.500s");
        assert_eq!(Duration::from_millis(4200).as_secs_ceil(), 5);
        assert_eq!(Duration::from_millis(4000).as_secs_ceil(), 4);
        assert_eq!(Duration::from_millis(4999).as_secs(), 4);
    }

    #[test]
    fn converts_to_and_from_std() {
        let d: std::time::Duration = Duration::from_millis(1500).into();
        assert_eq!(d, std::time::Duration::from_millis(1500));
        assert_eq!(Duration::from(d), Duration::from_millis(1500));
    }
}
