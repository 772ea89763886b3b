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

    #[cfg(test)]
    pub(crate) fn push(&mut self, x: f32) {
        self.extend(&[x]);
    }

    /// Appends `xs`, oldest first.
    pub(crate) fn extend(&mut self, xs: &[f32]) {
        let cap = self.capacity();
        // More than the capacity: only the newest `cap` samples can be kept.
        let skip = xs.len().saturating_sub(cap);
        self.written += skip as u64;
        let mut xs = &xs[skip..];
        while !xs.is_empty() {
            let at = (self.written as usize) & self.mask;
            let n = xs.len().min(cap - at);
            let (now, later) = xs.split_at(n);
            self.buf[at..at + n].copy_from_slice(now);
            self.buf[cap + at..cap + at + n].copy_from_slice(now);
            self.written += n as u64;
            xs = later;
        }
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

    /// Filters `xs` in place.
    pub(crate) fn process(&mut self, xs: &mut [f32]) {
        // The recursion run one sample at a time waits a multiply and an add per sample.
        // Four at a time, each output is written from the four new differences and the
        // output four back (`y[n+i] = Σ r^j·d[n+i−j] + r^(i+1)·y[n−1]`), so the only
        // dependency between groups is one multiply-add: the same filter, four times the
        // throughput, equal up to float rounding.
        let r = self.r;
        let (r2, r3) = (r * r, r * r * r);
        let r4 = r2 * r2;
        let (mut x1, mut y1) = (self.x1, self.y1);
        let mut groups = xs.chunks_exact_mut(4);
        for g in groups.by_ref() {
            let d0 = g[0] - x1;
            let d1 = g[1] - g[0];
            let d2 = g[2] - g[1];
            let d3 = g[3] - g[2];
            x1 = g[3];
            let e1 = d1 + r * d0;
            let e2 = d2 + r * d1 + r2 * d0;
            let e3 = d3 + r * d2 + r2 * d1 + r3 * d0;
            g[0] = d0 + r * y1;
            g[1] = e1 + r2 * y1;
            g[2] = e2 + r3 * y1;
            y1 = e3 + r4 * y1;
            g[3] = y1;
        }
        for v in groups.into_remainder() {
            let x = *v;
            y1 = x - x1 + r * y1;
            x1 = x;
            *v = y1;
        }
        self.x1 = x1;
        self.y1 = y1;
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
        // Bulk appends wrap like single ones, and keep only the newest when too long.
        let mut b = History::new(8);
        b.extend(&(0..5).map(|i| i as f32).collect::<Vec<_>>());
        b.extend(&(5..20).map(|i| i as f32).collect::<Vec<_>>());
        assert_eq!(b.end(), 20);
        assert_eq!(b.last(8), h.last(8));
        b.extend(&[20.0, 21.0, 22.0]);
        assert_eq!(b.last(3), &[20.0, 21.0, 22.0]);
        assert_eq!(b.at(15), 15.0);
        assert_eq!(b.at(14), 0.0);
    }

    #[test]
    fn dc_blocker_matches_its_recursion() {
        let mut dc = DcBlocker::new(8000);
        let (mut x1, mut y1) = (0.0f64, 0.0f64);
        let r = dc.r as f64;
        let x: Vec<f32> = (0..1001)
            .map(|i| ((i * 7919) % 211) as f32 / 211.0 - 0.3)
            .collect();
        let mut y = x.clone();
        // Odd chunk lengths exercise the group remainder and its carry into the next call.
        for part in y.chunks_mut(83) {
            dc.process(part);
        }
        for (i, (&xi, &yi)) in x.iter().zip(&y).enumerate() {
            let want = xi as f64 - x1 + r * y1;
            x1 = xi as f64;
            y1 = want;
            assert!(
                (yi as f64 - want).abs() < 1e-5,
                "sample {i}: {yi} vs {want}"
            );
        }
    }

    #[test]
    fn dc_blocker_removes_offset() {
        let mut dc = DcBlocker::new(8000);
        let mut x = vec![0.3; 4000];
        dc.process(&mut x[..1234]);
        dc.process(&mut x[1234..]);
        assert!(x[3999].abs() < 1e-3, "{}", x[3999]);
    }
}
