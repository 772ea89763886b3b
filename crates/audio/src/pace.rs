//! Delivering a replay at the speed a live line would (`--realtime`, playback).
//!
//! The reader thread asks a [`Pacer`] how long to wait before sending each chunk, so the
//! consumer sees audio no sooner than a phone line would deliver it: a chunk covering
//! `[t, t + 100 ms)` arrives at `t + 100 ms`. The pacer itself reads no clock (it is given
//! `now`), which keeps it testable; only the reader thread sleeps. Detector times stay
//! sample offsets: pacing changes when results appear, never what they are.

use std::time::{Duration, Instant};

/// How to pace a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pace {
    /// How far ahead of real time chunks may be delivered. Zero for a faithful live line;
    /// a few hundred milliseconds for playback, so the sound card's queue never runs dry.
    pub lead: Duration,
    /// Samples delivered at full speed before pacing starts (`play --from`): the detector
    /// still hears the start of the call, the listener does not wait for it.
    pub from_sample: u64,
}

impl Pace {
    /// A faithful 1× replay from the first sample.
    pub fn realtime() -> Self {
        Self::default()
    }
}

/// The pacing state of one replay.
#[derive(Debug, Clone)]
pub struct Pacer {
    pace: Pace,
    rate: f64,
    /// Samples handed out so far.
    delivered: u64,
    /// When the first paced sample was handed out.
    start: Option<Instant>,
}

impl Pacer {
    /// A pacer for a stream of `rate` samples per second.
    pub fn new(pace: Pace, rate: u32) -> Self {
        Self {
            pace,
            rate: f64::from(rate.max(1)),
            delivered: 0,
            start: None,
        }
    }

    /// Records a chunk of `len` samples about to be sent at `now`; returns how long to wait
    /// before sending it (zero when it is already due).
    pub fn delay(&mut self, len: usize, now: Instant) -> Duration {
        let end = self.delivered + len as u64;
        self.delivered = end;
        if end <= self.pace.from_sample {
            return Duration::ZERO;
        }
        let start = *self.start.get_or_insert(now);
        // Everything paced so far, this chunk included, is due at start + its length.
        let paced_total = end - self.pace.from_sample;
        let due = start + Duration::from_secs_f64(paced_total as f64 / self.rate);
        due.saturating_duration_since(now)
            .saturating_sub(self.pace.lead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_chunk_is_due_when_its_last_sample_would_arrive() {
        let t0 = Instant::now();
        let mut p = Pacer::new(Pace::realtime(), 8000);
        assert_eq!(p.delay(800, t0), Duration::from_millis(100));
        // Sent at t0 + 100 ms: the next is due at t0 + 200 ms.
        let t1 = t0 + Duration::from_millis(100);
        assert_eq!(p.delay(800, t1), Duration::from_millis(100));
        // A consumer that fell behind is not made to wait.
        let late = t0 + Duration::from_millis(500);
        assert_eq!(p.delay(800, late), Duration::ZERO);
    }

    #[test]
    fn lead_sends_early_and_from_skips_the_start() {
        let t0 = Instant::now();
        let lead = Duration::from_millis(250);
        let mut p = Pacer::new(
            Pace {
                lead,
                from_sample: 1600,
            },
            8000,
        );
        assert_eq!(p.delay(800, t0), Duration::ZERO);
        assert_eq!(p.delay(800, t0), Duration::ZERO);
        // Paced from here; within the lead, so no wait until 250 ms are queued.
        assert_eq!(p.delay(800, t0), Duration::ZERO);
        assert_eq!(p.delay(800, t0), Duration::ZERO);
        assert_eq!(p.delay(800, t0), Duration::from_millis(50));
    }
}
