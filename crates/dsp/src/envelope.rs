//! Sample-accurate tone onsets and ends by complex demodulation.
//!
//! The frame-level tone tracker knows a tone's start to within a 32 ms window. To place it
//! to the millisecond, the recent samples are mixed down by the tone's frequency
//! (`x[n]·e^{-jωn}`) and smoothed by a moving average of about 4 ms, which gives the tone's
//! amplitude envelope with the rest of the band (speech, noise) mostly filtered out. The
//! onset is where that envelope last rises through 25 % of the way from the background
//! level to the tone's steady level; the end is where it first falls through it. The moving
//! average delays a step by a known amount (a quarter of its length at the 25 % point on the
//! way up, three quarters on the way down), which is taken back out.

use crate::history::History;

/// Fraction of the way from background to steady level that marks onset and end.
const CROSSING: f32 = 0.25;

/// Moving-average length for `freq` at `rate`: an integer number of the tone's periods
/// close to 4 ms, so the mixing image at 2f is nulled exactly.
fn average_len(freq: f32, rate: u32) -> usize {
    let period = rate as f32 / freq.max(50.0);
    let target = 0.004 * rate as f32;
    let periods = (target / period).round().max(1.0);
    ((periods * period).round() as usize).clamp(4, 256)
}

/// Computes the envelope of `history` at `freq` over `[from, to)` and hands each value to
/// `visit(i, e)`, where `e` is the smoothed amplitude ending at sample `from + i`. Nothing is
/// stored: callers that need two looks make two passes (once per tone, cheap).
fn envelope(
    history: &History,
    freq: f32,
    rate: u32,
    from: u64,
    to: u64,
    mut visit: impl FnMut(usize, f32),
) -> usize {
    let m = average_len(freq, rate);
    let w = std::f64::consts::TAU * freq as f64 / rate as f64;
    let start = from.saturating_sub(m as u64);
    // Two unit phasors, one at the newest sample and one m samples behind it, advanced by
    // complex rotation: no trigonometry per sample. Their starting phases are taken modulo
    // 2π in f64, exact hours into a stream.
    let phasor = |n: u64| {
        let ph = (w * n as f64) % std::f64::consts::TAU;
        (ph.cos(), ph.sin())
    };
    let (step_c, step_s) = (w.cos(), w.sin());
    let rotate = |(c, s): (f64, f64)| (c * step_c - s * step_s, s * step_c + c * step_s);
    let (mut head, mut tail) = (phasor(start), phasor(start));
    // Running sums over the last m mixed samples (x·e^{-jωn}).
    let (mut re, mut im) = (0.0f32, 0.0f32);
    for n in start..to {
        let x = history.at(n);
        re += x * head.0 as f32;
        im -= x * head.1 as f32;
        head = rotate(head);
        if n >= start + m as u64 {
            let x0 = history.at(n - m as u64);
            re -= x0 * tail.0 as f32;
            im += x0 * tail.1 as f32;
            tail = rotate(tail);
        }
        if n >= from {
            visit(
                (n - from) as usize,
                2.0 * (re * re + im * im).sqrt() / m as f32,
            );
        }
    }
    m
}

/// Places tone onsets and ends in the history. Stateless apart from the sample rate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refiner {
    rate: u32,
}

impl Refiner {
    pub(crate) fn new(rate: u32) -> Self {
        Self { rate }
    }

    /// The onset of a tone at `freq` known to be present at `inside` (a sample well into
    /// it) and absent at `before`. Returns (onset, steady level, background level).
    pub(crate) fn onset(
        &mut self,
        history: &History,
        freq: f32,
        before: u64,
        inside: u64,
    ) -> Option<(u64, f32, f32)> {
        let from = before.max(history.start() + MARGIN);
        let to = history.end();
        if inside <= from || inside >= to {
            return None;
        }
        let i_inside = (inside - from) as usize;
        let background_end = (i_inside / 3).max(1);
        let (mut sum, mut count, mut background) = (0.0f32, 0usize, f32::INFINITY);
        envelope(history, freq, self.rate, from, to, |i, e| {
            if i >= i_inside {
                sum += e;
                count += 1;
            } else if i < background_end {
                background = background.min(e);
            }
        });
        let steady = if count > 0 { sum / count as f32 } else { 0.0 };
        if steady <= background * 2.0 {
            return None;
        }
        let thr = background + CROSSING * (steady - background);
        // The last upward crossing before `inside`: one past the last sample below the
        // threshold.
        let mut crossing_i = 0;
        let m = envelope(history, freq, self.rate, from, inside, |i, e| {
            if e < thr {
                crossing_i = i + 1;
            }
        });
        let crossing = from + crossing_i as u64;
        let onset = crossing.saturating_sub((CROSSING * m as f32) as u64);
        Some((onset, steady, background))
    }

    /// The end of a tone at `freq` present at `inside`, with the levels found at its onset.
    pub(crate) fn end(
        &mut self,
        history: &History,
        freq: f32,
        inside: u64,
        steady: f32,
        background: f32,
    ) -> Option<u64> {
        let from = inside.max(history.start() + MARGIN);
        let to = history.end();
        if from >= to {
            return None;
        }
        // The steady level at the end may differ from the onset's (gain riding): prefer the
        // level just inside the end.
        let m = average_len(freq, self.rate);
        let mut local = 0.0f32;
        envelope(
            history,
            freq,
            self.rate,
            from,
            to.min(from + m.max(8) as u64),
            |_, e| {
                local = local.max(e);
            },
        );
        let steady = if local > background * 2.0 {
            local.min(steady * 2.0)
        } else {
            steady
        };
        let thr = background + CROSSING * (steady - background);
        let mut first_below = None;
        envelope(history, freq, self.rate, from, to, |i, e| {
            if first_below.is_none() && e < thr {
                first_below = Some(i);
            }
        });
        let crossing = from + first_below? as u64;
        Some(crossing.saturating_sub(((1.0 - CROSSING) * m as f32) as u64))
    }
}

/// Samples kept clear of the history's oldest end, so the moving average starts on data.
const MARGIN: u64 = 64;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn history_with_tone(onset: u64, end: u64, freq: f32) -> History {
        let mut h = History::new(2048);
        for n in 0..2000u64 {
            let x = if n >= onset && n < end {
                0.3 * (std::f32::consts::TAU * freq * n as f32 / 8000.0).sin()
            } else {
                0.0
            };
            h.push(x + 0.0005 * ((n * 7919 % 101) as f32 / 50.0 - 1.0));
        }
        h
    }

    #[test]
    fn onset_and_end_to_the_millisecond() {
        for freq in [350.0, 700.0, 1000.0, 1777.0, 2400.0] {
            let (on, off) = (700u64, 1500u64);
            let h = history_with_tone(on, off, freq);
            let mut r = Refiner::new(8000);
            let (got_on, steady, bg) = r.onset(&h, freq, 300, 1000).unwrap();
            assert!(
                got_on.abs_diff(on) <= 8,
                "{freq} Hz: onset {got_on} vs {on}"
            );
            let got_off = r.end(&h, freq, 1300, steady, bg).unwrap();
            assert!(
                got_off.abs_diff(off) <= 8,
                "{freq} Hz: end {got_off} vs {off}"
            );
        }
    }
}
