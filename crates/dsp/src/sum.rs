//! Sums of spectra and sample blocks, in eight lanes.
//!
//! A plain `iter().sum()` of floats is one chain of dependent additions (the compiler may
//! not reorder them), so a 100-bin band costs 100 × the adder's latency. Eight independent
//! partial sums vectorise and overlap; the result differs from the sequential sum only by
//! float rounding, which no decision in the detector is sensitive to (the corpus events are
//! the same either way).

/// `Σ xs`, accumulated in eight lanes.
pub(crate) fn sum(xs: &[f32]) -> f32 {
    sum_of(xs, |v| v)
}

/// `Σ x²`, accumulated in eight lanes.
pub(crate) fn sum_squares(xs: &[f32]) -> f32 {
    sum_of(xs, |v| v * v)
}

/// `Σ f(x)` in eight lanes, the lanes then added pairwise.
#[inline(always)]
fn sum_of(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut lanes = [0.0f32; 8];
    let mut chunks = xs.chunks_exact(8);
    for c in chunks.by_ref() {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l += f(v);
        }
    }
    let tail: f32 = chunks.remainder().iter().map(|&v| f(v)).sum();
    let (a, b) = lanes.split_at(4);
    let pairs: [f32; 4] = std::array::from_fn(|i| a[i] + b[i]);
    (pairs[0] + pairs[2]) + (pairs[1] + pairs[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_match_the_sequential_sums() {
        for n in [0usize, 1, 7, 8, 9, 104, 129] {
            let xs: Vec<f32> = (0..n).map(|i| ((i * 37) % 11) as f32 * 0.1 - 0.3).collect();
            let s: f64 = xs.iter().map(|&v| v as f64).sum();
            let q: f64 = xs.iter().map(|&v| (v as f64) * (v as f64)).sum();
            assert!((sum(&xs) as f64 - s).abs() < 1e-5, "n {n}");
            assert!((sum_squares(&xs) as f64 - q).abs() < 1e-5, "n {n}");
        }
    }
}
