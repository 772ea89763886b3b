//! DTMF digit detection (ITU-T Q.23 frequencies, Q.24 acceptance limits).
//!
//! The classic receiver: every 10 ms, the Goertzel sums (DFT power, computed as dot products
//! by [`crate::probe`]) at the eight DTMF frequencies over the
//! last 25.6 ms (205 samples at 8 kHz, the block length whose bins fall closest to the eight
//! frequencies). A block holds a digit when the strongest low-group and high-group tones
//! together carry most of the block's energy, each clearly beats the others of its group,
//! and their levels are within the twist limits. A digit must hold for four consecutive
//! blocks (a tone of about 50 ms) and ends after two blocks without it. Q.24 asks receivers
//! to accept digits from 40 ms; 50 ms trades that corner for fewer false digits from vowels
//! whose formants sit near 700 and 1200 Hz (measured: 20–50 ms talk-off bursts on synthetic
//! speech). Diallers, including ours, send 70–100 ms digits.

use crate::event::{DtmfDigit, DtmfTone, SampleOffset};
use crate::history::History;
use crate::probe::Probes;

const LOW: [f32; 4] = [697.0, 770.0, 852.0, 941.0];
const HIGH: [f32; 4] = [1209.0, 1336.0, 1477.0, 1633.0];

/// The eight DTMF frequencies, low group first.
pub(crate) const FREQUENCIES: [f32; 8] =
    [697.0, 770.0, 852.0, 941.0, 1209.0, 1336.0, 1477.0, 1633.0];
/// The two tones must carry this share of the block energy: speech spreads its energy
/// wider; 0.45 still accepts a digit in pink line noise at 10 dB SNR.
const DOMINANCE: f32 = 0.45;
/// Each tone must beat the others in its group by 6 dB (power ratio 4).
const GROUP_MARGIN: f32 = 4.0;
/// Twist: high group at most 8 dB below (normal) or 4 dB above (reverse) the low group.
const MAX_NORMAL_TWIST: f32 = 6.3;
const MAX_REVERSE_TWIST: f32 = 2.5;
/// Each tone at least -50 dBFS (mean square of a sine).
const MIN_LEVEL: f32 = 1e-5;
/// Blocks needed to accept and to release a digit.
const ACCEPT_BLOCKS: u32 = 4;
const RELEASE_BLOCKS: u32 = 2;

/// The DTMF receiver.
#[derive(Debug, Clone)]
pub(crate) struct DtmfDetector {
    probes: Probes<8>,
    candidate: Option<DtmfDigit>,
    candidate_blocks: u32,
    candidate_start: SampleOffset,
    active: Option<(DtmfDigit, SampleOffset)>,
    active_last: SampleOffset,
    misses: u32,
}

impl DtmfDetector {
    pub(crate) fn new(sample_rate: u32) -> Self {
        let block = (205 * sample_rate / 8000) as usize;
        // Each probe on the block's DFT bin nearest its frequency, as the classic receiver.
        let omegas = std::array::from_fn(|i| {
            let f = if i < 4 { LOW[i] } else { HIGH[i - 4] };
            let k = (block as f32 * f / sample_rate as f32).round();
            std::f64::consts::TAU * k as f64 / block as f64
        });
        Self {
            probes: Probes::new("dtmf", sample_rate, omegas, block),
            candidate: None,
            candidate_blocks: 0,
            candidate_start: 0,
            active: None,
            active_last: 0,
            misses: 0,
        }
    }

    /// Samples of history this detector reads.
    pub(crate) fn block_len(&self) -> usize {
        self.probes.len()
    }

    /// Whether a digit is sounding now.
    pub(crate) fn is_active(&self) -> bool {
        self.active.is_some() || self.candidate.is_some()
    }

    /// Examines the newest block of `history`; returns a digit that has just ended.
    ///
    /// `plausible` says whether the frame's spectrum puts enough energy near the DTMF
    /// frequencies for a digit to be there at all: when it does not and no digit is in
    /// progress, the DFT probes are skipped (they are the receiver's whole cost).
    pub(crate) fn update(&mut self, history: &History, plausible: bool) -> Option<DtmfTone> {
        let end = history.end();
        let start = end.saturating_sub(self.probes.len() as u64);
        let busy = self.active.is_some() || self.candidate.is_some();
        let digit = if plausible || busy {
            self.classify(history)
        } else {
            None
        };
        match digit {
            Some(d) if self.active.is_some_and(|(a, _)| a == d) => {
                self.misses = 0;
                self.active_last = end;
                None
            }
            Some(d) => {
                let ended = self.release();
                if self.candidate == Some(d) {
                    self.candidate_blocks += 1;
                } else {
                    self.candidate = Some(d);
                    self.candidate_blocks = 1;
                    // The tone fills at least half of the first block that sees it.
                    self.candidate_start = start + self.probes.len() as u64 / 2;
                }
                if self.candidate_blocks >= ACCEPT_BLOCKS {
                    self.active = Some((d, self.candidate_start));
                    self.active_last = end;
                    self.misses = 0;
                    self.candidate = None;
                }
                ended
            }
            None => {
                self.candidate = None;
                if self.active.is_some() {
                    self.misses += 1;
                    if self.misses >= RELEASE_BLOCKS {
                        return self.release();
                    }
                }
                None
            }
        }
    }

    fn release(&mut self) -> Option<DtmfTone> {
        let (digit, start) = self.active.take()?;
        self.misses = 0;
        Some(DtmfTone {
            digit,
            start,
            end: self
                .active_last
                .saturating_sub(self.probes.len() as u64 / 2),
        })
    }

    /// Ends the stream.
    pub(crate) fn finish(&mut self) -> Option<DtmfTone> {
        self.candidate = None;
        self.release()
    }

    fn classify(&self, history: &History) -> Option<DtmfDigit> {
        let n = self.probes.len();
        let block = self.probes.measure(history.last(n));
        if block.energy <= 0.0 {
            return None;
        }
        // DFT power → mean square of the sine: |X|² = (A·N/2)², mean square A²/2.
        let scale = 2.0 / (n as f32 * n as f32);
        let p = block.power.map(|v| v * scale);
        let ms = block.energy / n as f32;
        let (lo, plo) = strongest(&p[..4]);
        let (hi, phi) = strongest(&p[4..]);
        if plo < MIN_LEVEL || phi < MIN_LEVEL {
            return None;
        }
        if plo + phi < DOMINANCE * ms {
            return None;
        }
        if phi * MAX_NORMAL_TWIST < plo || phi > MAX_REVERSE_TWIST * plo {
            return None;
        }
        let beats = |group: &[f32], best: usize, pbest: f32| {
            group
                .iter()
                .enumerate()
                .all(|(i, &v)| i == best || v * GROUP_MARGIN <= pbest)
        };
        if !beats(&p[..4], lo, plo) || !beats(&p[4..], hi, phi) {
            return None;
        }
        Some(DtmfDigit::at_keypad_position(lo, hi))
    }
}

fn strongest(p: &[f32]) -> (usize, f32) {
    p.iter().copied().enumerate().fold(
        (0, f32::NEG_INFINITY),
        |b, (i, v)| if v > b.1 { (i, v) } else { b },
    )
}
