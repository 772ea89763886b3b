//! The classic DSP baseline: a Goertzel filter bank looking for a dominant single tone.
//!
//! What a straightforward beep detector does: filters every 50 Hz from 300 to 2500 Hz (45
//! of them) over consecutive 20 ms blocks (160 samples at 8 kHz, so each filter's bin is
//! 50 Hz wide and the bank tiles the band); a block holds a tone when the strongest filter
//! carries at least half the block's energy and beats every filter more than one bin away
//! by 10 dB; a beep is the same filter (±1) winning for at least 80 ms (four blocks). No
//! VAD, no noise tracking, no classifier: it is here for its cost, next to ours.

const LOW_HZ: f32 = 300.0;
const STEP_HZ: f32 = 50.0;
/// 300, 350, …, 2500 Hz.
const FILTERS: usize = 45;
/// Padded to a multiple of 8 lanes so the per-sample loop vectorises.
const LANES: usize = 48;
const BLOCK_MS: usize = 20;
const MIN_BLOCKS: u32 = 4;
const DOMINANCE: f32 = 0.5;
const MARGIN: f32 = 10.0;

/// A beep found by the baseline: first and one-past-last block, and the filter frequency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineBeep {
    pub start: usize,
    pub end: usize,
    pub freq_hz: f32,
}

/// The filter bank and its run state for one stream.
#[derive(Debug, Clone)]
pub struct GoertzelBank {
    block: usize,
    coeffs: [f32; LANES],
    fill: usize,
    s1: [f32; LANES],
    s2: [f32; LANES],
    energy: f32,
    blocks: usize,
    run: Option<(usize, usize, u32)>,
}

impl GoertzelBank {
    pub fn new(rate: u32) -> Self {
        let block = rate as usize * BLOCK_MS / 1000;
        let mut coeffs = [0.0; LANES];
        for (i, c) in coeffs.iter_mut().take(FILTERS).enumerate() {
            let f = LOW_HZ + STEP_HZ * i as f32;
            *c = 2.0 * (std::f32::consts::TAU * f / rate as f32).cos();
        }
        Self {
            block,
            coeffs,
            fill: 0,
            s1: [0.0; LANES],
            s2: [0.0; LANES],
            energy: 0.0,
            blocks: 0,
            run: None,
        }
    }

    /// Feeds samples; returns a beep that ended with them, if any.
    pub fn process(&mut self, samples: &[f32]) -> Option<BaselineBeep> {
        let mut found = None;
        for &x in samples {
            self.energy += x * x;
            for i in 0..LANES {
                let s = x + self.coeffs[i] * self.s1[i] - self.s2[i];
                self.s2[i] = self.s1[i];
                self.s1[i] = s;
            }
            self.fill += 1;
            if self.fill == self.block
                && let Some(b) = self.end_block()
            {
                found = Some(b);
            }
        }
        found
    }

    fn end_block(&mut self) -> Option<BaselineBeep> {
        let n = self.block as f32;
        let scale = 2.0 / (n * n);
        let mut best = (0, 0.0f32);
        let mut power = [0.0f32; FILTERS];
        for (i, p) in power.iter_mut().enumerate() {
            let (a, b) = (self.s1[i], self.s2[i]);
            *p = (a * a + b * b - self.coeffs[i] * a * b) * scale;
            if *p > best.1 {
                best = (i, *p);
            }
        }
        let mean_square = self.energy / n;
        let dominant = best.1 >= DOMINANCE * mean_square
            && best.1 > 1e-7
            && power
                .iter()
                .enumerate()
                .all(|(i, &p)| i.abs_diff(best.0) <= 1 || p * MARGIN <= best.1);
        self.s1 = [0.0; LANES];
        self.s2 = [0.0; LANES];
        self.energy = 0.0;
        self.fill = 0;
        let index = self.blocks;
        self.blocks += 1;
        let mut ended = None;
        match (&mut self.run, dominant) {
            (Some((_, filter, blocks)), true) if filter.abs_diff(best.0) <= 1 => {
                *blocks += 1;
                *filter = best.0;
            }
            (run, dominant) => {
                if let Some((start, filter, blocks)) = run.take()
                    && blocks >= MIN_BLOCKS
                {
                    ended = Some(BaselineBeep {
                        start,
                        end: index,
                        freq_hz: LOW_HZ + STEP_HZ * filter as f32,
                    });
                }
                if dominant {
                    *run = Some((index, best.0, 1));
                }
            }
        }
        ended
    }
}
