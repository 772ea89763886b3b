//! Call-progress tones: dial tone, ringback, busy and reorder (North American precise tone
//! plan: 350+440, 440+480, 480+620 Hz).
//!
//! Ringback's two tones are 40 Hz apart, inside one lobe of the main 32 ms FFT, where they
//! read as one ~460 Hz tone whose estimated frequency wobbles with the 40 Hz beat. A
//! dedicated receiver resolves them: DFT probes ([`crate::probe`]) at the four frequencies over 50 ms
//! (bins 20 Hz wide, so 440 and 480 Hz fall on separate bins). A block holds a call-progress
//! tone when one of the three pairs carries most of its energy with both halves present.
//! The detector uses it to keep these tones out of the VAD and to know when the line was
//! still ringing (the call was not yet answered).

use crate::history::History;
use crate::probe::Probes;

const FREQS: [f32; 4] = [350.0, 440.0, 480.0, 620.0];
/// The band the four frequencies fall in (with the FFT's main lobe), Hz.
pub(crate) const BAND_HZ: (f32, f32) = (300.0, 680.0);
/// (index, index) into FREQS of each plan pair.
const PAIRS: [(usize, usize); 3] = [(0, 1), (1, 2), (2, 3)];
/// The pair's share of the block energy.
const DOMINANCE: f32 = 0.6;
/// The weaker tone at most 10 dB below the stronger.
const BALANCE: f32 = 0.1;
/// Each tone at least -55 dBFS.
const MIN_LEVEL: f32 = 3e-6;
/// Blocks to switch on and off.
const ON_BLOCKS: u32 = 3;
const OFF_BLOCKS: u32 = 3;

/// The call-progress tone receiver.
#[derive(Debug, Clone)]
pub(crate) struct ProgressDetector {
    probes: Probes<4>,
    hits: u32,
    misses: u32,
    active: bool,
    /// End of the last block that held the tone.
    last_hit_end: u64,
}

impl ProgressDetector {
    pub(crate) fn new(sample_rate: u32) -> Self {
        let block = (sample_rate / 20) as usize;
        let omegas =
            std::array::from_fn(|i| std::f64::consts::TAU * FREQS[i] as f64 / sample_rate as f64);
        Self {
            probes: Probes::new("call-progress", sample_rate, omegas, block),
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

    /// Whether a call-progress tone is sounding.
    pub(crate) fn is_active(&self) -> bool {
        self.active || self.hits > 0
    }

    /// Examines the newest block. Returns the end of a tone burst that just finished.
    ///
    /// `plausible` says whether the frame's spectrum has most of its energy between 330
    /// and 640 Hz; when it has not and no tone is in progress, the filters are skipped.
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
        let block = self.probes.measure(history.last(n));
        if block.energy <= 0.0 {
            return false;
        }
        let scale = 2.0 / (n as f32 * n as f32);
        let p = block.power.map(|v| v * scale);
        let ms = block.energy / n as f32;
        PAIRS.iter().any(|&(a, b)| {
            let (lo, hi) = (p[a].min(p[b]), p[a].max(p[b]));
            lo >= MIN_LEVEL && lo >= BALANCE * hi && p[a] + p[b] >= DOMINANCE * ms
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

    fn pair(a: f32, b: f32) -> impl Fn(f32) -> f32 {
        move |t| {
            0.1 * ((std::f32::consts::TAU * a * t).sin() + (std::f32::consts::TAU * b * t).sin())
        }
    }

    #[test]
    fn recognises_the_plan_pairs() {
        for (a, b) in [(350.0, 440.0), (440.0, 480.0), (480.0, 620.0)] {
            let mut d = ProgressDetector::new(8000);
            let (seen, ended) = feed(&mut d, pair(a, b), 1.0);
            assert!(seen, "{a}+{b}");
            let end = ended.expect("tone end");
            assert!(end.abs_diff(8000) <= 400, "end {end}");
        }
    }

    #[test]
    fn ignores_single_tones_and_other_pairs() {
        for f in [440.0, 460.0, 480.0, 1000.0] {
            let mut d = ProgressDetector::new(8000);
            let (seen, _) = feed(
                &mut d,
                move |t| 0.2 * (std::f32::consts::TAU * f * t).sin(),
                1.0,
            );
            assert!(!seen, "{f}");
        }
        let mut d = ProgressDetector::new(8000);
        assert!(!feed(&mut d, pair(697.0, 1209.0), 1.0).0);
    }
}
