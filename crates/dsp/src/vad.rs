//! Voice-activity detector: speech versus silence, noise and tones, frame by frame.
//!
//! Each 10 ms frame's spectrum is split into five telephone sub-bands (300–3400 Hz, like
//! the bands of the WebRTC VAD above 250 Hz). Each band keeps its own noise floor
//! ([`crate::noise::NoiseFloor`]) and the frame's score is the best band's SNR in dB.
//! Taking the best band rather than the broadband SNR matters on noisy lines: white noise
//! spreads over the whole band, speech piles its energy into a formant or two, so a voice
//! 10 dB above the noise overall stands 20 dB above it in its strongest band.
//!
//! Why this is robust to the line conditions the issue names:
//! - gain (-24..0 dB): only ratios to the floor are used, never absolute levels (except an
//!   absolute gate far below any speech, -75 dBFS, against digital near-silence);
//! - mu-law, band-limiting: the bands sit inside 300–3400 Hz, the floor absorbs
//!   quantisation noise;
//! - DC offset: removed upstream by the DC blocker and below the lowest band anyway;
//! - clipping: adds harmonics, which only raise the score of a voiced frame;
//! - tones: frames the tone tracker calls tonal (beeps, ringback, DTMF, fax) are not speech.
//!
//! Decision smoothing: speech starts after two frames above `ON_DB` (hysteresis: it stays on
//! above `OFF_DB`), ends after `HANGOVER_FRAMES` below; segments shorter than the minimum
//! word length are dropped as clicks.

use crate::event::SampleOffset;
use crate::noise::{ABSOLUTE_FLOOR, NoiseFloor};

/// Sub-band edges in Hz.
const BAND_EDGES: [f32; 6] = [300.0, 600.0, 1000.0, 1600.0, 2400.0, 3400.0];
const BANDS: usize = BAND_EDGES.len() - 1;
/// Band SNR (dB) that starts speech. Noise alone stays within ~6 dB of its 1.6 s minimum.
const ON_DB: f32 = 11.0;
/// Band SNR (dB) that keeps speech going once started.
const OFF_DB: f32 = 7.0;
/// Frames above ON_DB needed to start.
const ONSET_FRAMES: u32 = 2;
/// Frames below OFF_DB that end a segment (bridges stop closures inside words).
const HANGOVER_FRAMES: u32 = 8;
/// Frames below which a frame is digital near-silence whatever the floor says (-75 dBFS).
const ABSOLUTE_GATE: f32 = 3e-8;

/// A change of the speech state, with the time it happened (not when it was noticed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VadChange {
    Start(SampleOffset),
    End(SampleOffset),
}

/// The voice-activity detector's state.
#[derive(Debug, Clone)]
pub(crate) struct Vad {
    bins: [(usize, usize); BANDS],
    floors: [NoiseFloor; BANDS],
    energies: [f32; BANDS],
    hop: u64,
    min_word_frames: u32,
    /// Consecutive frames above ON_DB while not in speech.
    above: u32,
    /// Frames below OFF_DB while in speech.
    below: u32,
    /// Start of the current candidate/active segment.
    seg_start: SampleOffset,
    /// End of the last voiced frame in the segment.
    seg_last: SampleOffset,
    seg_frames: u32,
    /// A segment is in progress (perhaps not yet reported).
    active: bool,
    /// The in-progress segment has been reported with `Start`.
    reported: bool,
    last_score: f32,
    last_energy: f32,
}

impl Vad {
    /// `bin_hz`: spectrum bin width; `hop`: samples per frame; `min_word_ms` from the config.
    pub(crate) fn new(bin_hz: f32, hop: usize, sample_rate: u32, min_word_ms: u32) -> Self {
        let mut bins = [(0, 0); BANDS];
        for (b, slot) in bins.iter_mut().enumerate() {
            let lo = (BAND_EDGES[b] / bin_hz).ceil() as usize;
            let hi = (BAND_EDGES[b + 1] / bin_hz).ceil() as usize;
            *slot = (lo, hi.max(lo + 1));
        }
        let frame_ms = hop as f32 * 1000.0 / sample_rate as f32;
        Self {
            bins,
            floors: std::array::from_fn(|_| NoiseFloor::new()),
            energies: [0.0; BANDS],
            hop: hop as u64,
            min_word_frames: ((min_word_ms as f32 / frame_ms).ceil() as u32).max(1),
            above: 0,
            below: 0,
            seg_start: 0,
            seg_last: 0,
            seg_frames: 0,
            active: false,
            reported: false,
            last_score: 0.0,
            last_energy: 0.0,
        }
    }

    /// Writes the expected noise power of every bin into `out`.
    pub(crate) fn fill_noise(&self, out: &mut [f32]) {
        let len = out.len();
        for (b, &(lo, hi)) in self.bins.iter().enumerate() {
            let per_bin = self.floors[b].floor() / (hi - lo) as f32;
            let from = if b == 0 { 0 } else { lo };
            let to = if b == BANDS - 1 { len } else { hi };
            for v in &mut out[from.min(len)..to.min(len)] {
                *v = per_bin;
            }
        }
    }

    /// Whether the last frame held sound well above the noise (speech, a tone, music…) or a
    /// speech segment is starting or going on: the line was not silent.
    pub(crate) fn line_active(&self) -> bool {
        self.last_score >= ON_DB || self.active || self.above > 0
    }

    /// Telephone-band (300–3400 Hz) energy of the last frame.
    pub(crate) fn last_energy(&self) -> f32 {
        self.last_energy
    }

    /// Whether the last frame itself stood well above the noise floor.
    pub(crate) fn frame_loud(&self) -> bool {
        self.last_score >= ON_DB
    }

    /// Whether the last frame was inside a reported speech segment.
    pub(crate) fn in_speech(&self) -> bool {
        self.active && self.reported
    }

    /// Feeds one frame. `center` is the sample at the middle of the analysis window;
    /// `blocked` says the frame holds a tone, which is never speech. Returns a change of the
    /// speech state if this frame completed one.
    pub(crate) fn update(
        &mut self,
        power: &[f32],
        center: SampleOffset,
        blocked: bool,
    ) -> Option<VadChange> {
        // The best band's SNR: the largest power ratio, converted to dB once (the logarithm
        // is monotonic).
        let mut best_ratio = 0.0f32;
        let mut total = 0.0;
        for (b, &(lo, hi)) in self.bins.iter().enumerate() {
            let e = crate::sum::sum(&power[lo.min(power.len())..hi.min(power.len())]);
            self.energies[b] = e;
            total += e;
            let floor = self.floors[b].floor();
            best_ratio = best_ratio.max((e + ABSOLUTE_FLOOR) / floor);
            self.floors[b].update(e);
        }
        let score = 10.0 * best_ratio.log10();
        self.last_score = score;
        self.last_energy = total;
        let voiced = !blocked && total > ABSOLUTE_GATE;
        let half = self.hop / 2;
        if !self.active {
            if voiced && score >= ON_DB {
                self.above += 1;
                if self.above == 1 {
                    self.seg_start = center.saturating_sub(half);
                }
                if self.above >= ONSET_FRAMES {
                    self.active = true;
                    self.reported = false;
                    self.seg_frames = self.above;
                    self.below = 0;
                    self.seg_last = center + half;
                }
            } else {
                self.above = 0;
            }
            return self.maybe_report();
        }
        if voiced && score >= OFF_DB {
            self.below = 0;
            self.seg_frames += 1;
            self.seg_last = center + half;
            return self.maybe_report();
        }
        self.below += 1;
        if self.below >= HANGOVER_FRAMES {
            self.active = false;
            self.above = 0;
            if self.reported {
                self.reported = false;
                return Some(VadChange::End(self.seg_last));
            }
        }
        None
    }

    fn maybe_report(&mut self) -> Option<VadChange> {
        if self.active && !self.reported && self.seg_frames >= self.min_word_frames {
            self.reported = true;
            return Some(VadChange::Start(self.seg_start));
        }
        None
    }

    /// Ends the stream: closes a segment in progress.
    pub(crate) fn finish(&mut self) -> Option<VadChange> {
        if self.active && self.reported {
            self.active = false;
            self.reported = false;
            return Some(VadChange::End(self.seg_last));
        }
        None
    }
}
