//! The most recent input samples, addressable by absolute sample offset.
//!
//! The FFT reads its sliding window from here, the DTMF detector its Goertzel block, and
//! the beep detector goes back into it to place onsets and ends to the sample. Fixed
//! capacity (a power of two), allocated once.
//!
//! Every sample is stored twice, at `i` and `i + capacity`, so that any run of up to
//! `capacity` consecutive samples is one contiguous slice: the FFT, Goertzel filters and
//! envelope read plain slices (vectorisable, no per-sample wrap or bounds logic).

/// A ring buffer of the last `capacity` samples.
#[derive(Debug, Clone)]
pub(crate) struct History {
    buf: Vec<f32>,
    mask: usize,
    /// Absolute offset of the next sample to be written.
    written: u64,
}

impl History {
    /// A history holding at least `min_capacity` samples.
    pub(crate) fn new(min_capacity: usize) -> Self {
        let cap = min_capacity.next_power_of_two();
        Self {
            buf: vec![0.0; 2 * cap],
            mask: cap - 1,
            written: 0,
        }
    }

    pub(crate) fn push(&mut self, x: f32) {
        let i = (self.written as usize) & self.mask;
        self.buf[i] = x;
        self.buf[i + self.mask + 1] = x;
        self.written += 1;
    }

    /// Samples held.
    pub(crate) fn capacity(&self) -> usize {
        self.mask + 1
    }

    /// Offset one past the newest sample.
    pub(crate) fn end(&self) -> u64 {
        self.written
    }

    /// The oldest offset still held.
    pub(crate) fn start(&self) -> u64 {
        self.written.saturating_sub(self.capacity() as u64)
    }

    /// Sample at absolute `offset`; zero before the stream or once overwritten.
    pub(crate) fn at(&self, offset: u64) -> f32 {
        if offset < self.start() || offset >= self.written {
            return 0.0;
        }
        self.buf[(offset as usize) & self.mask]
    }

    /// The newest `n` samples (at most the capacity), oldest first; zeros before the
    /// stream started.
    pub(crate) fn last(&self, n: usize) -> &[f32] {
        let n = n.min(self.capacity());
        let end = (self.written as usize & self.mask) + self.capacity();
        &self.buf[end - n..end]
    }

    /// `len` samples from absolute `offset`, if they are all still held (or lie before the
    /// stream's start, where they read as zeros) and already written.
    pub(crate) fn slice(&self, offset: u64, len: usize) -> Option<&[f32]> {
        let end = offset.checked_add(len as u64)?;
        if end > self.written || self.written - offset > self.capacity() as u64 {
            return None;
        }
        let back = (self.written - offset) as usize;
        let last = self.last(back);
        Some(&last[..len])
    }
}

/// First-order DC blocker, `y[n] = x[n] - x[n-1] + r·y[n-1]`.
///
/// Pole at r = 0.995 puts the -3 dB point near 6 Hz at 8 kHz: removes a DC offset within
/// a few tens of ms and leaves the telephone band (≥ 300 Hz) untouched.
#[derive(Debug, Clone, Default)]
pub(crate) struct DcBlocker {
    x1: f32,
    y1: f32,
    r: f32,
}

impl DcBlocker {
    pub(crate) fn new(sample_rate: u32) -> Self {
        // Same corner frequency at any rate.
        let r = 1.0 - 0.005 * 8000.0 / sample_rate as f32;
        Self {
            x1: 0.0,
            y1: 0.0,
            r,
        }
    }

    pub(crate) fn process(&mut self, x: f32) -> f32 {
        let y = x - self.x1 + self.r * self.y1;
        self.x1 = x;
        self.y1 = y;
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_addresses_by_offset() {
        let mut h = History::new(8);
        for i in 0..20 {
            h.push(i as f32);
        }
        assert_eq!(h.end(), 20);
        assert_eq!(h.start(), 12);
        assert_eq!(h.at(11), 0.0);
        assert_eq!(h.at(12), 12.0);
        assert_eq!(h.at(19), 19.0);
        assert_eq!(h.last(3), &[17.0, 18.0, 19.0]);
        assert_eq!(h.slice(15, 2), Some(&[15.0, 16.0][..]));
        assert_eq!(h.slice(11, 2), None);
        assert_eq!(h.slice(19, 2), None);
    }

    #[test]
    fn dc_blocker_removes_offset() {
        let mut dc = DcBlocker::new(8000);
        let mut y = 0.0;
        for _ in 0..4000 {
            y = dc.process(0.3);
        }
        assert!(y.abs() < 1e-3, "{y}");
    }
}
