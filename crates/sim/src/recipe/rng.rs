//! The random generator behind every draw: small, documented and stable across versions.
//!
//! Generated calls must be byte-identical for a given recipe and seed on every machine and
//! with every future build, so the generator is written out here rather than taken from a
//! crate whose output may change between releases. It is SplitMix64 (Steele, Lea and
//! Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a 64-bit counter
//! advanced by the golden-ratio increment and passed through a bijective mixing function.
//! Its statistical quality is ample for drawing parameters and noise.
//!
//! Each call gets its own stream ([`Rng::for_call`]), derived from the seed and the call's
//! index only, so call `k` is the same whether 10 or 10,000 calls are generated. Inside a
//! call, [`Rng::fork`] gives independent sub-streams (e.g. one for noise) so that adding a
//! draw in one part does not shift the values of another.

/// The golden-ratio increment of SplitMix64.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The stream of call number `index` of a run with `seed`.
    pub fn for_call(seed: u64, index: u64) -> Self {
        let mut base = Self::new(seed);
        let a = base.next_u64();
        Self::new(mix(a ^ mix(index.wrapping_add(GAMMA))))
    }

    /// An independent sub-stream named by `label` (e.g. `b"noise"`).
    pub fn fork(&mut self, label: &[u8]) -> Self {
        let mut h = self.next_u64();
        for &b in label {
            h = mix(h ^ u64::from(b));
        }
        Self::new(h)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// Uniform in [0, 1), with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi] (hi itself has probability zero for reals).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in `0..n` (`n` > 0; 0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: bias below 2^-64 · n, negligible here.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal value (Box-Muller).
    pub fn gauss(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// SplitMix64's output function (a bijection of 64-bit words).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_splitmix64_sequence() {
        // Reference values of SplitMix64 seeded with 0 (as in the xoshiro authors' code).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn call_streams_differ_and_repeat() {
        let a: Vec<u64> = (0..3).map(|i| Rng::for_call(7, i).next_u64()).collect();
        let b: Vec<u64> = (0..3).map(|i| Rng::for_call(7, i).next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert_ne!(Rng::for_call(8, 0).next_u64(), a[0]);
    }

    #[test]
    fn draws_stay_in_bounds() {
        let mut r = Rng::new(3);
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(r.below(5) < 5);
            let x = r.range(2.0, 3.0);
            assert!((2.0..=3.0).contains(&x));
        }
    }
}
