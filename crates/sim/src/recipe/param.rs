//! `Param<T>`: a recipe value that is fixed, a range, or a list to draw from.
//!
//! One recipe describes a family of calls: every number in it may be given as a value
//! (`1000`), a range (`{"min": 900, "max": 1100}` or `[900, 1100]`, uniform; integers
//! inclusive) or a list (`{"one_of": [1000, 1400]}`, each equally likely). Choices such as
//! a beep's shape are a value or a list, never a range.

use serde::{Deserialize, Serialize};

use super::rng::Rng;

/// A value, a range or a list of values, drawn with [`Param::draw`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Param<T> {
    /// Always this value.
    Fixed(T),
    /// Uniform between `min` and `max`.
    Range { min: T, max: T },
    /// The same, written `[lo, hi]`.
    Pair([T; 2]),
    /// One of the listed values, each equally likely.
    OneOf { one_of: Vec<T> },
}

/// How a type is drawn from a range (reals uniform, integers uniform inclusive, other
/// types cannot form ranges and yield the low end; validation rejects such ranges).
pub trait Drawable: Clone + Default {
    /// A value between `lo` and `hi`.
    fn between(lo: &Self, hi: &Self, rng: &mut Rng) -> Self;
}

impl Drawable for f64 {
    fn between(lo: &Self, hi: &Self, rng: &mut Rng) -> Self {
        rng.range(*lo, *hi)
    }
}

impl Drawable for u32 {
    fn between(lo: &Self, hi: &Self, rng: &mut Rng) -> Self {
        let (lo, hi) = ((*lo).min(*hi), (*lo).max(*hi));
        lo + rng.below(u64::from(hi - lo) + 1) as u32
    }
}

impl Drawable for String {
    fn between(lo: &Self, _hi: &Self, _rng: &mut Rng) -> Self {
        lo.clone()
    }
}

impl Drawable for bool {
    fn between(lo: &Self, _hi: &Self, _rng: &mut Rng) -> Self {
        *lo
    }
}

impl<T: Drawable> Param<T> {
    /// A parameter that is always `value`.
    pub fn fixed(value: T) -> Self {
        Self::Fixed(value)
    }

    /// Draws one value.
    ///
    /// A fixed value consumes no randomness; a range or list consumes one draw, so
    /// changing one parameter from fixed to drawn shifts only the draws after it within
    /// its own part of the call.
    pub fn draw(&self, rng: &mut Rng) -> T {
        match self {
            Self::Fixed(v) => v.clone(),
            Self::Range { min, max } | Self::Pair([min, max]) => T::between(min, max, rng),
            Self::OneOf { one_of } => {
                let i = rng.below(one_of.len() as u64) as usize;
                // Validation rejects empty lists; an unvalidated one yields the default.
                one_of.get(i).cloned().unwrap_or_default()
            }
        }
    }

    /// Every value the parameter names: the value, the two ends of the range, or the list.
    pub fn values(&self) -> Vec<&T> {
        match self {
            Self::Fixed(v) => vec![v],
            Self::Range { min, max } | Self::Pair([min, max]) => vec![min, max],
            Self::OneOf { one_of } => one_of.iter().collect(),
        }
    }

    /// The ends of a range, if this is one.
    pub fn range(&self) -> Option<(&T, &T)> {
        match self {
            Self::Range { min, max } | Self::Pair([min, max]) => Some((min, max)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        let p: Param<f64> = serde_json::from_str("1000").unwrap();
        assert_eq!(p, Param::Fixed(1000.0));
        let p: Param<f64> = serde_json::from_str(r#"{"min": 1, "max": 2}"#).unwrap();
        assert_eq!(p.range(), Some((&1.0, &2.0)));
        let p: Param<f64> = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(p.range(), Some((&1.0, &2.0)));
        let p: Param<String> = serde_json::from_str(r#"{"one_of": ["a", "b"]}"#).unwrap();
        assert_eq!(p.values().len(), 2);
    }

    #[test]
    fn draws_within_the_range_and_from_the_list() {
        let mut rng = Rng::new(1);
        let r: Param<u32> = Param::Pair([2, 4]);
        let mut seen = [false; 5];
        for _ in 0..200 {
            let v = r.draw(&mut rng);
            assert!((2..=4).contains(&v));
            seen[v as usize] = true;
        }
        assert!(seen[2] && seen[3] && seen[4], "inclusive ends");
        let l: Param<f64> = Param::OneOf {
            one_of: vec![1.0, 5.0],
        };
        for _ in 0..50 {
            let v = l.draw(&mut rng);
            assert!(v == 1.0 || v == 5.0);
        }
        assert_eq!(Param::fixed(3.5).draw(&mut rng), 3.5);
    }
}
