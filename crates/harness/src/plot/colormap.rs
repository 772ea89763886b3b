//! The spectrogram's colours: dark for quiet, bright for loud ("inferno"-like stops, which
//! stay readable in greyscale print and for the common colour-vision deficiencies).

use plotters::style::RGBColor;

/// Colour stops from 0.0 (quiet) to 1.0 (loud).
const STOPS: [(f64, [u8; 3]); 6] = [
    (0.0, [0, 0, 4]),
    (0.2, [40, 11, 84]),
    (0.4, [101, 21, 110]),
    (0.6, [187, 55, 84]),
    (0.8, [249, 142, 9]),
    (1.0, [252, 255, 164]),
];

/// The colour of `x` in `0.0..=1.0` (clamped).
pub fn color(x: f64) -> RGBColor {
    let x = if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
    let i = STOPS
        .windows(2)
        .position(|w| x <= w[1].0)
        .unwrap_or(STOPS.len() - 2);
    let ((x0, a), (x1, b)) = (STOPS[i], STOPS[i + 1]);
    let t = if x1 > x0 { (x - x0) / (x1 - x0) } else { 0.0 };
    let mix = |k: usize| (f64::from(a[k]) + t * (f64::from(b[k]) - f64::from(a[k]))).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_monotone_brightness() {
        assert_eq!(color(0.0), RGBColor(0, 0, 4));
        assert_eq!(color(1.0), RGBColor(252, 255, 164));
        assert_eq!(color(f64::NAN), color(0.0));
        let lum = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        let mut last = 0;
        for i in 0..=20 {
            let l = lum(color(f64::from(i) / 20.0));
            assert!(l >= last, "brightness falls at {i}");
            last = l;
        }
    }
}
