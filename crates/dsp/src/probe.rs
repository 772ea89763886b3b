//! Fixed-frequency DFT probes: the power at a few known frequencies over the newest block.
//!
//! The DTMF and call-progress receivers need what a bank of Goertzel filters gives, the
//! squared magnitude `|Σ x[n]·e^(−jωn)|²` of the block at each frequency. A Goertzel filter
//! is a recursion: every sample waits for the previous one, so a 400-sample block costs 400
//! dependent multiply-adds however many frequencies run beside it. The same sum written as
//! two dot products with precomputed cosine and sine rows has no such chain: consecutive
//! samples accumulate into separate lanes and the compiler vectorises them, which makes the
//! receivers two to four times cheaper on the same result (to float rounding).
//!
//! Written about the block's centre, the sum halves again: with `c = (len−1)/2` and
//! `t = n − c`, `cos ωt` is even and `sin ωt` odd about the centre, so the samples `n` and
//! `len−1−n` enter as their sum (times the cosine) and their difference (times the sine):
//! `len/2` rows of `F` products each for the real and imaginary parts instead of `len`.
//! Moving the phase reference to the centre turns every probe's complex sum by a unit
//! factor, so its squared magnitude is the same.
//!
//! The rows depend only on the block length, the frequencies and the sample rate, so one
//! table per receiver kind is shared by every call in the process: a call's own state stays
//! a few hundred bytes.

use std::sync::Arc;

use crate::shared::{Cache, get_or_build};

/// Identifies a table: (receiver name, sample rate).
type Key = (&'static str, u32);

/// The probe rows, one table per key for the whole process.
static TABLES: Cache<Key, [f32]> = Cache::new();

/// `F` DFT probes over blocks of a fixed length.
///
/// Table layout: for each of the first `len/2` samples `n`, `F` cosines then `F` sines of
/// `ω·(n − c)`, `c` the block's centre: one row per pair of samples mirrored about it.
#[derive(Clone)]
pub(crate) struct Probes<const F: usize> {
    table: Arc<[f32]>,
    len: usize,
}

impl<const F: usize> std::fmt::Debug for Probes<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probes")
            .field("frequencies", &F)
            .field("len", &self.len)
            .finish()
    }
}

/// What one block holds: the power at each probe and the block's energy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ProbePowers<const F: usize> {
    /// `|X(ω_i)|²` for each probe (unscaled: a sine of amplitude A gives (A·len/2)²).
    pub(crate) power: [f32; F],
    /// `Σ x²` over the block.
    pub(crate) energy: f32,
}

impl<const F: usize> Probes<F> {
    /// Probes at the angular frequencies `omegas` (radians per sample) over blocks of `len`
    /// samples. `name` and `sample_rate` identify the shared table: the same name must
    /// always come with the same `omegas` and `len` for a rate.
    pub(crate) fn new(name: &'static str, sample_rate: u32, omegas: [f64; F], len: usize) -> Self {
        let table = get_or_build(&TABLES, (name, sample_rate), || {
            let centre = (len as f64 - 1.0) / 2.0;
            let mut t = Vec::with_capacity(len / 2 * 2 * F);
            for n in 0..len / 2 {
                // Phases in f64: the rows are exact to f32 precision at any n.
                let at = n as f64 - centre;
                t.extend(omegas.iter().map(|w| (w * at).cos() as f32));
                t.extend(omegas.iter().map(|w| (w * at).sin() as f32));
            }
            t.into()
        });
        Self { table, len }
    }

    /// Block length in samples.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Measures `block`: its first [`Self::len`] samples (a shorter one is measured as if
    /// zero-padded at its end).
    pub(crate) fn measure(&self, block: &[f32]) -> ProbePowers<F> {
        let half = self.len / 2;
        let block = &block[..self.len.min(block.len())];
        let mut re = [[0.0f32; F]; 2];
        let mut im = [[0.0f32; F]; 2];
        let mut energy = [0.0f32; 2];
        let mut paired = 0;
        if block.len() == self.len {
            // Sample k from the start with sample k from the end, two pairs per step into
            // separate accumulators: no addition waits for the one before it, and each
            // row's F products vectorise.
            let (head, rest) = block.split_at(half);
            let tail = &rest[rest.len() - half..];
            let rows = self.table.chunks_exact(4 * F);
            for ((rows, a), b) in rows.zip(head.chunks_exact(2)).zip(tail.rchunks_exact(2)) {
                let (r0, r1) = rows.split_at(2 * F);
                // b is read from the end: b[1] mirrors a[0], b[0] mirrors a[1].
                let (s0, d0) = (a[0] + b[1], a[0] - b[1]);
                let (s1, d1) = (a[1] + b[0], a[1] - b[0]);
                energy[0] += a[0] * a[0] + b[1] * b[1];
                energy[1] += a[1] * a[1] + b[0] * b[0];
                for i in 0..F {
                    re[0][i] += s0 * r0[i];
                    im[0][i] += d0 * r0[F + i];
                    re[1][i] += s1 * r1[i];
                    im[1][i] += d1 * r1[F + i];
                }
            }
            paired = half & !1;
        }
        // What is left (an odd pair; every pair of a short block), one pair at a time.
        let sample = |n: usize| block.get(n).copied().unwrap_or(0.0);
        for k in paired..half {
            let (a, b) = (sample(k), sample(self.len - 1 - k));
            let row = &self.table[k * 2 * F..(k + 1) * 2 * F];
            energy[0] += a * a + b * b;
            for i in 0..F {
                re[0][i] += (a + b) * row[i];
                im[0][i] += (a - b) * row[F + i];
            }
        }
        // An odd length leaves the centre sample, at phase 0 for every probe.
        if self.len % 2 == 1 {
            let x = sample(half);
            energy[0] += x * x;
            for r in &mut re[0] {
                *r += x;
            }
        }
        ProbePowers {
            power: std::array::from_fn(|i| {
                let re = re[0][i] + re[1][i];
                let im = im[0][i] + im[1][i];
                re * re + im * im
            }),
            energy: energy[0] + energy[1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Goertzel recursion, as a reference.
    fn goertzel(x: &[f32], w: f64) -> f64 {
        let c = 2.0 * w.cos();
        let (mut s1, mut s2) = (0.0f64, 0.0f64);
        for &v in x {
            let s = v as f64 + c * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        s1 * s1 + s2 * s2 - c * s1 * s2
    }

    #[test]
    fn matches_goertzel_at_any_frequency_and_odd_length() {
        let omegas = [0.27, 0.5, 1.1, 2.9];
        // Even and odd counts of mirrored pairs, odd and even lengths.
        for (name, len) in [("t205", 205), ("t206", 206), ("t400", 400), ("t7", 7)] {
            let probes = Probes::new(name, 8000, omegas, len);
            let mut rng_state = 7u32;
            let x: Vec<f32> = (0..len)
                .map(|i| {
                    rng_state = rng_state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    0.4 * (i as f32 * 0.5).sin() + ((rng_state >> 16) as f32 / 65536.0 - 0.5) * 0.2
                })
                .collect();
            let got = probes.measure(&x);
            for (i, w) in omegas.iter().enumerate() {
                let r = goertzel(&x, *w);
                let g = got.power[i] as f64;
                assert!(
                    (g - r).abs() <= 1e-4 * r.max(1.0),
                    "len {len} ω {w}: {g} vs {r}"
                );
            }
            let e: f32 = x.iter().map(|v| v * v).sum();
            assert!((got.energy - e).abs() <= 1e-4 * e);
        }
    }

    #[test]
    fn a_short_block_is_measured_as_if_zero_padded() {
        let omegas = [0.27, 0.5, 1.1, 2.9];
        let probes = Probes::new("t101", 8000, omegas, 101);
        let x: Vec<f32> = (0..60).map(|i| (i as f32 * 0.61).sin() * 0.3).collect();
        let mut padded = x.clone();
        padded.resize(101, 0.0);
        let got = probes.measure(&x);
        for (i, w) in omegas.iter().enumerate() {
            let r = goertzel(&padded, *w);
            let g = got.power[i] as f64;
            assert!((g - r).abs() <= 1e-4 * r.max(1.0), "ω {w}: {g} vs {r}");
        }
        // A longer one: its first len samples.
        let long: Vec<f32> = padded.iter().copied().chain([1.0; 50]).collect();
        assert_eq!(probes.measure(&long), probes.measure(&padded));
    }

    #[test]
    fn tables_are_shared() {
        let a = Probes::new("shared", 8000, [0.3], 64);
        let b = Probes::new("shared", 8000, [0.3], 64);
        assert!(Arc::ptr_eq(&a.table, &b.table));
    }
}
