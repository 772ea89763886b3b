//! What a tone is: a voicemail-beep burst, or one of the tones that must never be taken for
//! one (call progress, DTMF, fax, SIT), and the grouping of bursts into one beep.
//!
//! The rules come from the tone plans, not from the corpus:
//! - call-progress pairs (North American precise tone plan): dial 350+440, ringback 440+480,
//!   busy/reorder 480+620 Hz. 440+480 Hz lie 40 Hz apart, inside one FFT lobe, and read as a
//!   single ~460 Hz tone that beats at 40 Hz (the trap FreeSWITCH's avmd falls into); the
//!   amplitude-modulation depth catches it: a beep is steady, a beating pair is not;
//! - DTMF (Q.23): one low-group and one high-group frequency;
//! - fax (T.30): CNG 1100 Hz ±38 Hz, 0.5 s ±15 %; CED (V.25) 2100 Hz ±15 Hz, 2.6–4 s;
//! - SIT (T1.401): 913.8/985.2, then 1370.6/1428.5, then 1776.7 Hz, back to back.
//!
//! A beep is one steady (or slowly gliding, ≤ 15 %) tone or dual tone in the configured
//! band, long enough and not too long; a short train of such bursts with gaps under
//! [`MAX_GAP_MS`] is one beep, from the first onset to the last end.

use crate::event::SampleOffset;
use crate::tone::ToneSegment;

/// Largest gap between the bursts of one multi-burst beep, ms.
pub(crate) const MAX_GAP_MS: u32 = 350;
/// Quiet needed after a beep before it is confirmed, ms. A voicemail box records after its
/// beep, so the line goes quiet; a note of music or a held vowel is followed by more sound.
pub(crate) const CONFIRM_QUIET_MS: u32 = 500;
/// A beating pair modulates its envelope almost fully; a steady tone in noise stays far
/// below (measured: sines in white noise at 10 dB SNR reach ~0.45).
const MAX_AM_DEPTH: f32 = 0.65;
/// Pitch difference allowed between the bursts of one multi-burst beep.
const TRAIN_PITCH_TOLERANCE: f32 = 0.05;
/// Largest glide within one burst, as a fraction of its frequency.
const MAX_GLIDE: f32 = 0.15;

const DTMF_LOW: [f32; 4] = [697.0, 770.0, 852.0, 941.0];
const DTMF_HIGH: [f32; 4] = [1209.0, 1336.0, 1477.0, 1633.0];
const CALL_PROGRESS: [(f32, f32); 3] = [(350.0, 440.0), (440.0, 480.0), (480.0, 620.0)];
const SIT: [[f32; 2]; 3] = [[913.8, 985.2], [1370.6, 1428.5], [1776.7, 1776.7]];

/// What a finished tone segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToneKind {
    /// May be (part of) a voicemail beep.
    BeepBurst,
    /// Fax calling tone (also a beep burst if a greeting came before it).
    FaxCng,
    /// Fax answering tone.
    FaxCed,
    /// A DTMF digit (reported by the DTMF receiver).
    Dtmf,
    /// Dial tone, ringback, busy, reorder.
    CallProgress,
    /// Anything else tonal: too short, too long, unsteady, out of band.
    Other,
}

/// Frequency/duration limits from the detector config, in samples and Hz.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BeepLimits {
    pub(crate) min_hz: f32,
    pub(crate) max_hz: f32,
    pub(crate) min_len: u64,
    pub(crate) max_len: u64,
    pub(crate) max_gap: u64,
    pub(crate) confirm_quiet: u64,
    pub(crate) hop: u64,
    pub(crate) rate: u32,
}

fn near(f: f32, target: f32, tolerance: f32) -> bool {
    (f - target).abs() <= tolerance
}

fn near_rel(f: f32, target: f32, rel: f32) -> bool {
    (f - target).abs() <= rel * target
}

/// Classifies a finished (or, for CED, ongoing) tone segment.
pub(crate) fn classify(seg: &ToneSegment, limits: &BeepLimits) -> ToneKind {
    let len = seg.span(limits.hop);
    let ms = len as f32 * 1000.0 / limits.rate as f32;
    if let Some(f2) = seg.freq2 {
        let (lo, hi) = (seg.freq.min(f2), seg.freq.max(f2));
        if DTMF_LOW.iter().any(|&l| near_rel(lo, l, 0.025))
            && DTMF_HIGH.iter().any(|&h| near_rel(hi, h, 0.025))
        {
            return ToneKind::Dtmf;
        }
        if CALL_PROGRESS
            .iter()
            .any(|&(a, b)| near_rel(lo, a, 0.03) && near_rel(hi, b, 0.03))
        {
            return ToneKind::CallProgress;
        }
    }
    if seg.am_depth > MAX_AM_DEPTH {
        // Two tones closer than the FFT can separate: a call-progress pair.
        return ToneKind::CallProgress;
    }
    if seg.freq2.is_none() && near(seg.freq, 2100.0, 20.0) && ms >= 1500.0 {
        return ToneKind::FaxCed;
    }
    if seg.freq2.is_none() && near(seg.freq, 1100.0, 38.0) && (400.0..=700.0).contains(&ms) {
        return ToneKind::FaxCng;
    }
    if is_beep_like(seg, limits) {
        ToneKind::BeepBurst
    } else {
        ToneKind::Other
    }
}

/// Whether a segment has the shape of a beep burst: in band, steady or slowly gliding, neither too short nor too long.
/// A fax-like tone heard after a greeting is judged by this too: a voicemail box may well
/// beep at 1100 or 2100 Hz.
pub(crate) fn is_beep_like(seg: &ToneSegment, limits: &BeepLimits) -> bool {
    let len = seg.span(limits.hop);
    let glide = (seg.freq_max - seg.freq_min) / seg.freq.max(1.0);
    // The upper edge allows 1 % for the estimate; the lower edge does not, because below it
    // the fundamentals of voices begin.
    let in_band = |f: f32| f >= limits.min_hz && f <= 1.01 * limits.max_hz;
    in_band(seg.freq)
        && seg.freq2.is_none_or(in_band)
        && glide <= MAX_GLIDE
        && seg.am_depth <= MAX_AM_DEPTH
        && len >= limits.min_len
        && len <= limits.max_len
}

/// Which SIT segment a frequency belongs to, if any.
fn sit_part(freq: f32) -> Option<usize> {
    SIT.iter()
        .position(|pair| pair.iter().any(|&f| near_rel(freq, f, 0.015)))
}

/// A beep burst with sample-accurate bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Burst {
    pub(crate) start: SampleOffset,
    pub(crate) end: SampleOffset,
    pub(crate) freq: f32,
}

/// A complete beep (one burst or a train).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Train {
    pub(crate) start: SampleOffset,
    pub(crate) end: SampleOffset,
    pub(crate) freq: f32,
    bursts: u32,
    /// Bit i set: a burst matched SIT segment i.
    sit: u8,
    /// Whether consecutive bursts followed each other with no gap at a frequency jump.
    sit_ordered: bool,
    last_sit: Option<usize>,
    freq_weight: f32,
    /// Frequency of the first burst: the bursts of one beep share their pitch.
    first_freq: f32,
}

impl Train {
    /// Whether the train is a special information tone rather than a beep.
    fn is_sit(&self) -> bool {
        self.sit_ordered && self.sit.count_ones() >= 2
    }
}

/// Groups bursts into beeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrainAssembler {
    pending: Option<Train>,
}

impl TrainAssembler {
    /// Whether a beep is waiting to be confirmed.
    pub(crate) fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Adds a burst; returns a previous train that this burst cannot belong to.
    pub(crate) fn push(&mut self, b: Burst, limits: &BeepLimits) -> Option<Train> {
        let part = sit_part(b.freq);
        let weight = (b.end - b.start) as f32;
        if let Some(t) = self.pending.as_mut() {
            let gap = b.start.saturating_sub(t.end);
            let same_pitch = near_rel(b.freq, t.first_freq, TRAIN_PITCH_TOLERANCE);
            if gap <= limits.max_gap && !same_pitch && part.is_none() {
                // A different tone straight after: a tune, not a beep train. Only the new
                // burst may still begin a beep.
                self.pending = None;
            } else if gap <= limits.max_gap && b.end - t.start <= limits.max_len {
                t.end = b.end;
                t.bursts += 1;
                t.freq = (t.freq * t.freq_weight + b.freq * weight) / (t.freq_weight + weight);
                t.freq_weight += weight;
                if let Some(p) = part {
                    t.sit |= 1 << p;
                    t.sit_ordered &= t.last_sit.is_none_or(|l| p == l + 1);
                    t.last_sit = Some(p);
                } else {
                    t.sit_ordered = false;
                }
                return None;
            }
        }
        let previous = self.pending.take().filter(|t| !t.is_sit());
        self.pending = Some(Train {
            start: b.start,
            end: b.end,
            freq: b.freq,
            bursts: 1,
            sit: part.map_or(0, |p| 1 << p),
            sit_ordered: part.is_some(),
            last_sit: part,
            freq_weight: weight,
            first_freq: b.freq,
        });
        previous
    }

    /// Confirms the pending train once no further burst can join it (`now` is past its end
    /// by more than the largest gap).
    pub(crate) fn poll(&mut self, now: SampleOffset, limits: &BeepLimits) -> Option<Train> {
        let t = self.pending?;
        if now.saturating_sub(t.end) > limits.max_gap.max(limits.confirm_quiet) {
            self.pending = None;
            return (!t.is_sit()).then_some(t);
        }
        None
    }

    /// Whether a tone at `freq` starting at `start` is foreign to the pending train: it
    /// follows the train and has another pitch, so it could not be one of its bursts.
    pub(crate) fn is_foreign(&self, freq: f32, start: SampleOffset) -> bool {
        // SIT segments follow each other at new pitches; they are judged as a train.
        self.pending.is_some_and(|t| {
            start > t.end
                && !near_rel(freq, t.first_freq, TRAIN_PITCH_TOLERANCE)
                && sit_part(freq).is_none()
        })
    }

    /// Drops the pending train (speech followed it: it was not the beep that starts a
    /// recording).
    pub(crate) fn cancel(&mut self) {
        self.pending = None;
    }

    /// Ends the stream: the pending train is complete.
    pub(crate) fn finish(&mut self) -> Option<Train> {
        self.pending.take().filter(|t| !t.is_sit())
    }
}
