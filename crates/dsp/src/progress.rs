//! Call-progress tones of every country in [`crate::tone_plan::TONE_PLANS`]: the compound
//! sounds (pairs such as 440+480 or 400+450 Hz, and amplitude-modulated carriers such as
//! Japan's 400 Hz × 16 Hz) that a voicemail beep never is.
//!
//! Why a receiver of its own: the main 32 ms FFT has 31 Hz bins and a Hann main lobe
//! ±62 Hz wide, so 400+450, 413+438 or 440+480 Hz read there as one tone near 425 or 460 Hz
//! whose level beats at the difference frequency, and an AM tone's side tones (16–50 Hz
//! away) merge with its carrier the same way. Rectangular DFT probes over 80 ms
//! ([`crate::probe`]) have 12.5 Hz bins with nulls every 12.5 Hz: the closest pair of the
//! table (413+438, 2 bins apart) is resolved, and a single 425 Hz tone falls on the nulls of
//! its 413 and 438 Hz neighbours, so it is not taken for that pair.
//!
//! The probe frequencies and the sounds to look for are derived from the table when the
//! receiver is built, never listed by hand: a country added to the table is recognised.
//! Single-frequency plan tones (Europe's 425 Hz, France's 440 Hz…) need no probe: the tone
//! tracker sees them as steady tones, which are never speech; whether one is a beep is
//! decided by its cadence (see [`crate::beep`]).
//!
//! A block holds a compound plan sound when the sound's components carry most of the
//! block's energy and each is present: for a pair both halves within 10 dB of each other,
//! for an AM tone both side tones no more than 11 dB below the carrier (a modulation depth
//! of 57 % or more; the plans modulate deeper). A voice cannot do this for long: its
//! harmonics are spaced by its pitch (80–400 Hz), never 16–50 Hz, and they move.

use crate::history::History;
use crate::probe::Probes;
use crate::tone_plan::{Cadence, Sound, TONE_PLANS};

/// Probes the table needs (distinct components of its pairs and AM tones, merged within
/// [`MERGE_HZ`]). A unit test checks that the table derives exactly this many.
pub(crate) const PROBES: usize = 13;
/// Probe slots computed per block: the table's probes, padded to a multiple of eight so
/// the dot products vectorise (an odd count runs the inner loop lane by lane, five times
/// slower than sixteen vectorised probes).
const SLOTS: usize = 16;
/// Components closer than this share a probe (a fifth of a bin).
const MERGE_HZ: f32 = 2.5;
/// Compound sounds the receiver can hold (the table has fewer).
const MAX_SOUNDS: usize = 16;
/// Block length, ms: 12.5 Hz bins.
const BLOCK_MS: u32 = 80;
/// The band all plan components fall in (with the FFT's main lobe), Hz.
pub(crate) const BAND_HZ: (f32, f32) = (300.0, 680.0);
/// The sound's share of the block energy.
const DOMINANCE: f32 = 0.6;
/// A pair's weaker tone at most 10 dB below the stronger.
const BALANCE: f32 = 0.1;
/// An AM tone's side tones: each at least this fraction of the carrier's power (depth m
/// gives (m/2)², 0.2 at the plans' 90 %). A lone carrier leaks at most 0.047 (the
/// rectangular window's first side lobe) into a neighbouring probe, so this stays above.
const SIDEBAND: f32 = 0.08;
/// Each component at least -55 dBFS.
const MIN_LEVEL: f32 = 3e-6;
/// Largest energy ratio between the two halves of a block that holds a steady tone.
const MAX_HALF_RATIO: f32 = 3.0;
/// Blocks to switch on and off.
const ON_BLOCKS: u32 = 3;
const OFF_BLOCKS: u32 = 3;

/// A compound sound as probe indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compound {
    Pair(u8, u8),
    /// (lower side tone, carrier, upper side tone).
    Modulated(u8, u8, u8),
}

/// The table's probe frequencies and compound sounds, derived once.
#[derive(Debug, Clone, Copy)]
struct Plan {
    freqs: [f32; PROBES],
    count: usize,
    sounds: [Compound; MAX_SOUNDS],
    sound_count: usize,
}

impl Plan {
    fn derive() -> Self {
        let mut plan = Plan {
            freqs: [0.0; PROBES],
            count: 0,
            sounds: [Compound::Pair(0, 0); MAX_SOUNDS],
            sound_count: 0,
        };
        for p in TONE_PLANS {
            for c in [p.dial, p.ringback, p.busy, p.congestion] {
                for step in cadence_sounds(&c) {
                    plan.add(step);
                }
            }
        }
        plan
    }

    /// The probe index for `hz`, adding a probe if there is room.
    fn probe(&mut self, hz: f32) -> Option<u8> {
        if let Some(i) = self.freqs[..self.count]
            .iter()
            .position(|&f| (f - hz).abs() <= MERGE_HZ)
        {
            return Some(i as u8);
        }
        if self.count == PROBES {
            return None;
        }
        self.freqs[self.count] = hz;
        self.count += 1;
        Some((self.count - 1) as u8)
    }

    fn add(&mut self, sound: Sound) {
        let compound = match sound {
            Sound::Pair(a, b) => match (self.probe(a), self.probe(b)) {
                (Some(a), Some(b)) => Compound::Pair(a, b),
                _ => return,
            },
            Sound::Modulated { carrier, rate } => match (
                self.probe(carrier - rate),
                self.probe(carrier),
                self.probe(carrier + rate),
            ) {
                (Some(l), Some(c), Some(u)) => Compound::Modulated(l, c, u),
                _ => return,
            },
            Sound::Single(_) | Sound::Silence => return,
        };
        if self.sounds[..self.sound_count].contains(&compound) || self.sound_count == MAX_SOUNDS {
            return;
        }
        self.sounds[self.sound_count] = compound;
        self.sound_count += 1;
    }
}

/// Every sound of a cadence (a continuous tone's one sound, or each sounding step).
fn cadence_sounds(c: &Cadence) -> impl Iterator<Item = Sound> + '_ {
    c.sounding().map(|s| s.sound)
}

/// The call-progress receiver for compound plan sounds.
#[derive(Debug, Clone)]
pub(crate) struct ProgressDetector {
    probes: Probes<SLOTS>,
    plan: Plan,
    hits: u32,
    misses: u32,
    active: bool,
    /// End of the last block that held the tone.
    last_hit_end: u64,
}

impl ProgressDetector {
    pub(crate) fn new(sample_rate: u32) -> Self {
        let block = (sample_rate * BLOCK_MS / 1000) as usize;
        let plan = Plan::derive();
        // Unused slots (a table with fewer components) probe at the last frequency again:
        // harmless, and no sound refers to them.
        let last = plan.freqs[plan.count.max(1) - 1];
        let omegas: [f64; SLOTS] = std::array::from_fn(|i| {
            let f = if i < plan.count { plan.freqs[i] } else { last };
            std::f64::consts::TAU * f as f64 / sample_rate as f64
        });
        Self {
            probes: Probes::new("call-progress", sample_rate, omegas, block),
            plan,
            hits: 0,
            misses: 0,
            active: false,
            last_hit_end: 0,
        }
    }

    /// Samples of history read per block.
    pub(crate) fn block_len(&self) -> usize {
        self.probes.len()
    }

    /// Whether a compound call-progress tone is sounding.
    pub(crate) fn is_active(&self) -> bool {
        self.active || self.hits > 0
    }

    /// Whether the tone has held long enough to be sure of it (not a passing coincidence).
    pub(crate) fn is_confirmed(&self) -> bool {
        self.active
    }

    /// Examines the newest block. Returns the end of a tone burst that just finished.
    ///
    /// `plausible` says whether the frame's spectrum has most of its energy in
    /// [`BAND_HZ`]; when it has not and no tone is in progress, the probes are skipped.
    pub(crate) fn update(&mut self, history: &History, plausible: bool) -> Option<u64> {
        let busy = self.active || self.hits > 0;
        if (plausible || busy) && self.holds_tone(history) {
            self.hits += 1;
            self.misses = 0;
            self.last_hit_end = history.end();
            if self.hits >= ON_BLOCKS {
                self.active = true;
            }
            return None;
        }
        self.hits = 0;
        if self.active {
            self.misses += 1;
            if self.misses >= OFF_BLOCKS {
                self.active = false;
                self.misses = 0;
                return Some(self.last_hit_end);
            }
        }
        None
    }

    fn holds_tone(&self, history: &History) -> bool {
        let n = self.probes.len();
        let samples = history.last(n);
        // A block the tone fills only partly (its onset or end) has a main lobe as wide as
        // the part is short, and would show side tones that are not there: the two halves
        // of a steady tone's block carry about the same energy (an AM tone's within 2:1).
        let (first, second) = samples.split_at(n / 2);
        let (e1, e2) = (
            crate::sum::sum_squares(first),
            crate::sum::sum_squares(second),
        );
        if e1.min(e2) * MAX_HALF_RATIO < e1.max(e2) {
            return false;
        }
        let block = self.probes.measure(samples);
        if block.energy <= 0.0 {
            return false;
        }
        let scale = 2.0 / (n as f32 * n as f32);
        let p = block.power.map(|v| v * scale);
        let ms = block.energy / n as f32;
        self.plan.sounds[..self.plan.sound_count]
            .iter()
            .any(|&s| match s {
                Compound::Pair(a, b) => {
                    let (a, b) = (p[a as usize], p[b as usize]);
                    let (lo, hi) = (a.min(b), a.max(b));
                    lo >= MIN_LEVEL && lo >= BALANCE * hi && a + b >= DOMINANCE * ms
                }
                Compound::Modulated(l, c, u) => {
                    let (l, c, u) = (p[l as usize], p[c as usize], p[u as usize]);
                    c >= MIN_LEVEL
                        && l.min(u) >= SIDEBAND * c
                        && l.max(u) <= c
                        && l + c + u >= DOMINANCE * ms
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(
        det: &mut ProgressDetector,
        f: impl Fn(f32) -> f32,
        seconds: f32,
    ) -> (bool, Option<u64>) {
        let mut h = History::new(1024);
        let mut seen = false;
        let mut ended = None;
        let n = (8000.0 * seconds) as usize;
        for i in 0..n + 800 {
            let t = i as f32 / 8000.0;
            h.push(if i < n { f(t) } else { 0.0 });
            if (i + 1) % 80 == 0 {
                if let Some(e) = det.update(&h, true) {
                    ended = Some(e);
                }
                seen |= det.active;
            }
        }
        (seen, ended)
    }

    fn sine(f: f32, t: f32) -> f32 {
        (std::f32::consts::TAU * f * t).sin()
    }

    #[test]
    fn the_table_derives_exactly_the_probes_provided() {
        let plan = Plan::derive();
        assert_eq!(plan.count, PROBES, "{:?}", &plan.freqs[..plan.count]);
        assert!(plan.sound_count < MAX_SOUNDS, "{}", plan.sound_count);
    }

    #[test]
    fn recognises_every_compound_sound_of_the_table() {
        for p in TONE_PLANS {
            for c in [p.dial, p.ringback, p.busy, p.congestion] {
                for sound in cadence_sounds(&c) {
                    let signal: Box<dyn Fn(f32) -> f32> = match sound {
                        Sound::Pair(a, b) => Box::new(move |t| 0.1 * (sine(a, t) + sine(b, t))),
                        Sound::Modulated { carrier, rate } => {
                            Box::new(move |t| 0.1 * sine(carrier, t) * (1.0 + 0.9 * sine(rate, t)))
                        }
                        _ => continue,
                    };
                    let mut d = ProgressDetector::new(8000);
                    let (seen, ended) = feed(&mut d, signal, 1.0);
                    assert!(seen, "{}: {sound:?}", p.code);
                    let end = ended.expect("tone end");
                    assert!(end.abs_diff(8000) <= 480, "{}: end {end}", p.code);
                }
            }
        }
    }

    #[test]
    fn ignores_single_tones_and_dtmf() {
        for f in [
            400.0, 413.0, 420.0, 425.0, 440.0, 450.0, 460.0, 480.0, 1000.0,
        ] {
            let mut d = ProgressDetector::new(8000);
            let (seen, _) = feed(&mut d, move |t| 0.2 * sine(f, t), 1.0);
            assert!(!seen, "{f}");
        }
        let mut d = ProgressDetector::new(8000);
        assert!(!feed(&mut d, |t| 0.1 * (sine(697.0, t) + sine(1209.0, t)), 1.0).0);
    }
}
