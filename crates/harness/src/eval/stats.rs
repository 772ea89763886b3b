//! Summaries of a list of measurements: median, p90, p95, max.
//!
//! Percentiles interpolate linearly between the two nearest ranks (numpy's default), so
//! the median of an even count is the mean of the middle two, and a report on a small
//! class does not jump between neighbouring values.

use serde::Serialize;

/// The spread of some measurements. Every statistic is `None` when there are none.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Distribution {
    pub count: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub max: Option<f64>,
}

impl Distribution {
    /// Summarises `values` (NaNs are ignored).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Self {
        let mut v: Vec<f64> = values.into_iter().filter(|x| !x.is_nan()).collect();
        v.sort_by(f64::total_cmp);
        Self {
            count: v.len(),
            median: percentile(&v, 0.5),
            p90: percentile(&v, 0.9),
            p95: percentile(&v, 0.95),
            max: v.last().copied(),
        }
    }

    /// The same distribution with every value multiplied by `factor` (e.g. s → ms).
    pub fn scaled(self, factor: f64) -> Self {
        let s = |x: Option<f64>| x.map(|v| v * factor);
        Self {
            count: self.count,
            median: s(self.median),
            p90: s(self.p90),
            p95: s(self.p95),
            max: s(self.max),
        }
    }
}

/// The `p`-quantile (0..=1) of sorted values, interpolating between ranks.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = p.clamp(0.0, 1.0) * last as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * frac)
}

/// `num / den`, or `None` when there is nothing to divide by.
pub fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        let d = Distribution::of([4.0, 1.0, 3.0, 2.0]);
        assert_eq!(d.count, 4);
        assert_eq!(d.median, Some(2.5));
        assert_eq!(d.max, Some(4.0));
        // pos = 0.9 · 3 = 2.7 → 3 + 0.7 · 1
        assert!((d.p90.unwrap_or(0.0) - 3.7).abs() < 1e-12);
    }

    #[test]
    fn odd_count_median_is_the_middle() {
        assert_eq!(Distribution::of([5.0, 1.0, 9.0]).median, Some(5.0));
    }

    #[test]
    fn empty_has_no_statistics() {
        let d = Distribution::of([]);
        assert_eq!(d, Distribution::default());
        assert_eq!(ratio(1, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }

    #[test]
    fn scaling_keeps_the_count() {
        let d = Distribution::of([0.010, 0.020]).scaled(1000.0);
        assert_eq!(d.count, 2);
        assert!((d.median.unwrap_or(0.0) - 15.0).abs() < 1e-9);
    }
}
