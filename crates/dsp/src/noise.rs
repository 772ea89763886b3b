//! Adaptive noise-floor estimate per sub-band, by minimum statistics.
//!
//! Speech is bursty: within any 1.6 s stretch a talker pauses for breath or between words,
//! and the band energy then falls to the line noise. The floor is therefore the minimum of
//! the smoothed band energy over the last 1.6 s (R. Martin, "Noise power spectral density
//! estimation based on optimal smoothing and minimum statistics", IEEE TSAP 2001), kept as
//! the minima of eight 200 ms sub-windows so memory is fixed. It follows a rise of the
//! noise within 1.6 s and a fall at once, and does not depend on the input gain.

/// Sub-windows in the minimum search.
const SUBWINDOWS: usize = 8;
/// Frames (hops) per sub-window: 20 × 10 ms = 200 ms.
const SUBWINDOW_FRAMES: u32 = 20;
/// Energy smoothing across frames (first-order, per frame).
const SMOOTHING: f32 = 0.6;
/// Lowest floor: about -100 dBFS, so digital silence never divides by zero.
pub(crate) const ABSOLUTE_FLOOR: f32 = 1e-10;

/// Minimum-statistics tracker for one band.
#[derive(Debug, Clone)]
pub(crate) struct NoiseFloor {
    smoothed: f32,
    current_min: f32,
    mins: [f32; SUBWINDOWS],
    next: usize,
    frames_in_sub: u32,
    primed: bool,
}

impl Default for NoiseFloor {
    fn default() -> Self {
        Self::new()
    }
}

impl NoiseFloor {
    pub(crate) fn new() -> Self {
        Self {
            smoothed: 0.0,
            current_min: f32::INFINITY,
            mins: [f32::INFINITY; SUBWINDOWS],
            next: 0,
            frames_in_sub: 0,
            primed: false,
        }
    }

    /// Feeds one frame's band energy.
    pub(crate) fn update(&mut self, energy: f32) {
        if self.primed {
            self.smoothed = SMOOTHING * self.smoothed + (1.0 - SMOOTHING) * energy;
        } else {
            self.smoothed = energy;
            self.primed = true;
        }
        self.current_min = self.current_min.min(self.smoothed);
        self.frames_in_sub += 1;
        if self.frames_in_sub == SUBWINDOW_FRAMES {
            self.mins[self.next] = self.current_min;
            self.next = (self.next + 1) % SUBWINDOWS;
            self.current_min = f32::INFINITY;
            self.frames_in_sub = 0;
        }
    }

    /// The current floor estimate (energy units of the input).
    pub(crate) fn floor(&self) -> f32 {
        let m = self.mins.iter().fold(self.current_min, |a, &b| a.min(b));
        if m.is_finite() {
            m.max(ABSOLUTE_FLOOR)
        } else {
            ABSOLUTE_FLOOR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_follows_minimum_not_bursts() {
        let mut nf = NoiseFloor::new();
        for i in 0..400 {
            // 1e-6 noise with 1e-3 bursts half the time, 300 ms on / 300 ms off.
            let e = if (i / 30) % 2 == 0 { 1e-3 } else { 1e-6 };
            nf.update(e);
        }
        let f = nf.floor();
        assert!(f > 0.5e-6 && f < 2e-6, "{f}");
    }

    #[test]
    fn floor_rises_within_two_seconds() {
        let mut nf = NoiseFloor::new();
        for _ in 0..200 {
            nf.update(1e-8);
        }
        for _ in 0..200 {
            nf.update(1e-5);
        }
        assert!((nf.floor() - 1e-5).abs() < 1e-6);
    }
}
