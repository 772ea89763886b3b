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
/// Table layout: for each sample `n`, `F` cosines then `F` sines of `ω·n`: one row per
/// sample, read in step with the samples.
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
            let mut t = Vec::with_capacity(len * 2 * F);
            for n in 0..len {
                // Phases in f64: the rows are exact to f32 precision at any n.
                t.extend(omegas.iter().map(|w| (w * n as f64).cos() as f32));
                t.extend(omegas.iter().map(|w| (w * n as f64).sin() as f32));
            }
            t.into()
        });
        Self { table, len }
    }

    /// Block length in samples.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Measures `block` (exactly [`Self::len`] samples; a shorter one is measured as if
    /// zero-padded).
    pub(crate) fn measure(&self, block: &[f32]) -> ProbePowers<F> {
        // Two samples per step into separate accumulators: no addition waits for the one
        // before it, and each row's 2F products vectorise.
        let mut even = [[0.0f32; F]; 2];
        let mut odd = [[0.0f32; F]; 2];
        let mut energy = [0.0f32; 2];
        let pairs = self.table.chunks_exact(4 * F).zip(block.chunks_exact(2));
        for (rows, x) in pairs {
            let (r0, r1) = rows.split_at(2 * F);
            let (x0, x1) = (x[0], x[1]);
            energy[0] += x0 * x0;
            energy[1] += x1 * x1;
            for i in 0..F {
                even[0][i] += x0 * r0[i];
                even[1][i] += x0 * r0[F + i];
                odd[0][i] += x1 * r1[i];
                odd[1][i] += x1 * r1[F + i];
            }
        }
        // An odd length leaves one sample.
        let used = block.len().min(self.len) & !1;
        if block.len() > used && self.len > used {
            let x = block[used];
            let row = &self.table[used * 2 * F..(used + 1) * 2 * F];
            energy[0] += x * x;
            for i in 0..F {
                even[0][i] += x * row[i];
                even[1][i] += x * row[F + i];
            }
        }
        ProbePowers {
            power: std::array::from_fn(|i| {
                let re = even[0][i] + odd[0][i];
                let im = even[1][i] + odd[1][i];
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
        for len in [205, 400] {
            let probes = Probes::new(if len == 205 { "t205" } else { "t400" }, 8000, omegas, len);
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
    fn tables_are_shared() {
        let a = Probes::new("shared", 8000, [0.3], 64);
        let b = Probes::new("shared", 8000, [0.3], 64);
        assert!(Arc::ptr_eq(&a.table, &b.table));
    }
}
