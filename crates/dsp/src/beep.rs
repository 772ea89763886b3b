//! What a tone is: a voicemail-beep burst, or one of the tones that must never be taken for
//! one (call progress, DTMF, fax, SIT), and the grouping of bursts into one beep.
//!
//! The rules come from the tone plans, not from the corpus:
//! - call progress ([`crate::tone_plan`], 40 countries): pairs and AM tones are found by
//!   their own receiver ([`crate::progress`]); in the FFT they read as one tone in the
//!   plans' band (320–680 Hz) whose level beats (440+480 Hz beats at 40 Hz: the trap
//!   FreeSWITCH's avmd falls into), and a beep's level never does: it is steady or, for a
//!   bell, only decays. Single-frequency plan tones (425 Hz…) repeat at busy or congestion
//!   cadences with at most [`longest_short_cadence_off_ms`] of quiet; a beep at such a
//!   pitch is confirmed only after longer quiet;
//! - DTMF (Q.23): one low-group and one high-group frequency;
//! - fax (T.30): CNG 1100 Hz ±38 Hz, 0.5 s ±15 %; CED (V.25) 2100 Hz ±15 Hz, 2.6–4 s;
//! - SIT (T1.401): 913.8/985.2, then 1370.6/1428.5, then 1776.7 Hz, back to back.
//!
//! A beep is one steady (or slowly gliding, ≤ 15 %, or warbling, or decaying) tone or dual
//! tone in the configured band, long enough and not too long; a short train of such bursts
//! with gaps under [`MAX_GAP_MS`] is one beep, from the first onset to the last end. The
//! bursts may share one pitch (two to four pips) or step through up to [`MAX_NOTES`]
//! pitches (a "ding-dong" chime); a fourth pitch makes it a tune, and nothing that follows
//! a tune without a pause can be a beep.

use crate::event::SampleOffset;
use crate::tone::ToneSegment;

/// A DTMF pair held this long is no key press (people tap keys for 40–250 ms; dialers
/// send 50–100 ms), ms.
pub(crate) const HELD_KEY_MS: u32 = 500;
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
/// Largest glide within one burst, as a fraction of its frequency: a warble's whole swing
/// (twice [`crate::tone::WARBLE_SWING`]) and the estimate's spread (a slow glide of up to
/// 15 % fits too).
const MAX_GLIDE: f32 = 2.0 * crate::tone::WARBLE_SWING + 0.02;
/// Rises of the level a beating segment shows (one per modulation period; the slowest plan
/// modulation, 16 Hz, rises 16 times a second).
const MIN_RISES: u32 = 3;
/// Rises per second below which a beating level is no pair and no plan modulation: half
/// the slowest modulation of the plans (16 Hz), so that rises the envelope misses at low
/// SNR do not take a real one below it.
const MIN_RISE_RATE: f32 = 8.0;
/// The band of the plans' components (338–650 Hz) widened by the FFT's lobe.
const PLAN_BAND_HZ: (f32, f32) = (320.0, 680.0);
/// Different pitches one beep may hold: voicemail boxes play rising "ding-dong" pairs and
/// three-note chimes; a fourth note is a tune.
const MAX_NOTES: u32 = 3;
/// Bursts one beep may hold (boxes play one to four pips); more is a cadence.
const MAX_BURSTS: u32 = 4;

const DTMF_LOW: [f32; 4] = [697.0, 770.0, 852.0, 941.0];
const DTMF_HIGH: [f32; 4] = [1209.0, 1336.0, 1477.0, 1633.0];
const CALL_PROGRESS: [(f32, f32); 3] = [(350.0, 440.0), (440.0, 480.0), (480.0, 620.0)];
pub(crate) const SIT: [[f32; 2]; 3] = [[913.8, 985.2], [1370.6, 1428.5], [1776.7, 1776.7]];

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
    /// A DTMF pair held at least this long may be a beep ([`HELD_KEY_MS`]).
    pub(crate) held_key: u64,
    pub(crate) max_gap: u64,
    pub(crate) confirm_quiet: u64,
    /// Quiet that confirms a beep at a single plan tone's pitch (longer than any busy or
    /// congestion cadence's off time).
    pub(crate) plan_quiet: u64,
    pub(crate) hop: u64,
    pub(crate) rate: u32,
}

impl BeepLimits {
    /// Whether a tone at `hz` lies in the beep band. The upper edge allows 1 % for the
    /// estimate; the lower edge does not, because below it the fundamentals of voices begin.
    pub(crate) fn admits_pitch(&self, hz: f32) -> bool {
        hz >= self.min_hz && hz <= 1.01 * self.max_hz
    }
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
    // CED (and ANSam, whose 15 Hz modulation would otherwise read as beating).
    if seg.freq2.is_none() && near(seg.freq, 2100.0, 20.0) && ms >= 1500.0 {
        return ToneKind::FaxCed;
    }
    if is_beating(seg, limits) {
        // Two tones closer than the FFT can separate, or an AM carrier: in the band of the
        // tone plans that is call progress; elsewhere it is still no beep, whose level is
        // steady or only decays.
        return if in_plan_band(seg.freq) {
            ToneKind::CallProgress
        } else {
            ToneKind::Other
        };
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
    limits.admits_pitch(seg.freq)
        && seg.freq2.is_none_or(|f| limits.admits_pitch(f))
        && glide <= MAX_GLIDE
        && !is_beating(seg, limits)
        && len >= limits.min_len
        && len <= limits.max_len
}

/// Whether a segment's level beats: it dips deeply and rises again, period after period.
/// A pair of tones closer than the FFT's lobe does (at the difference frequency), and so
/// does an amplitude-modulated plan tone; a beep's level is steady, or, for a bell-like
/// beep, only decays, which is a deep dip without a rise.
///
/// Outside the plans' band the rises must also come at least [`MIN_RISE_RATE`] times a
/// second: pairs beat at their difference (40–50 Hz for the ringback pairs) and the plans
/// modulate at 16–33 Hz, while two to four pips joined into one tone by an echo that fills
/// their gaps rise once per pip, 2–8 times a second — a beep heard through an echo, not a
/// beating tone. (In the band, a beating tone is call progress whatever its rate.)
///
/// Two tones the FFT resolves (a dual beep, DTMF) beat too, at their difference frequency;
/// they are judged by their frequencies instead.
fn is_beating(seg: &ToneSegment, limits: &BeepLimits) -> bool {
    let secs = seg.span(limits.hop) as f32 / limits.rate as f32;
    seg.freq2.is_none()
        && seg.am_depth > MAX_AM_DEPTH
        && seg.rises >= MIN_RISES
        && (in_plan_band(seg.freq) || seg.rises as f32 >= MIN_RISE_RATE * secs)
}

/// The band of the tone plans' components, with the FFT's lobe: 340–650 Hz.
fn in_plan_band(freq: f32) -> bool {
    (PLAN_BAND_HZ.0..=PLAN_BAND_HZ.1).contains(&freq)
}

/// Whether `freq` is a single-frequency tone of some country's plan (Europe's 425 Hz,
/// France's 440 Hz…). Such a tone after a greeting is only a beep if it does not come back
/// at a busy or congestion cadence.
pub(crate) fn is_plan_single_tone(freq: f32) -> bool {
    crate::tone_plan::TONE_PLANS.iter().any(|p| {
        [p.dial, p.ringback, p.busy, p.congestion].iter().any(|c| {
            c.sounding().any(|s| match s.sound {
                crate::tone_plan::Sound::Single(f) => near_rel(freq, f, 0.015),
                _ => false,
            })
        })
    })
}

/// The longest silence inside any interrupted dial, busy or congestion cadence of the table,
/// ms: a tone at a plan frequency that is followed by more quiet than this is not one of
/// them. (Ringback's silences, 2–5 s, are longer than a box waits after its beep.)
pub(crate) fn longest_short_cadence_off_ms() -> u32 {
    crate::tone_plan::TONE_PLANS
        .iter()
        .flat_map(|p| [p.dial, p.busy, p.congestion])
        .filter_map(|c| match c {
            crate::tone_plan::Cadence::Repeating(steps) => steps
                .iter()
                .filter(|s| s.sound.is_silence())
                .map(|s| s.ms)
                .max(),
            crate::tone_plan::Cadence::Continuous(_) => None,
        })
        .max()
        .unwrap_or(0)
}

/// The longest period of any busy or congestion cadence of the table, ms: such tones come
/// back sooner than this after their previous end, which ringback (whose silences last
/// 2–5 s) never does but between the two bursts of a double ring. (Interrupted dial tones,
/// with periods up to 2 s, are heard before dialling, not on a call.)
pub(crate) fn longest_busy_period_ms() -> u32 {
    crate::tone_plan::TONE_PLANS
        .iter()
        .flat_map(|p| [p.busy, p.congestion])
        .filter_map(|c| c.period_ms())
        .max()
        .unwrap_or(0)
}

/// The longest ring of the table, from its first tone's start to its last tone's end
/// (a period without its longest silence), ms.
pub(crate) fn longest_ring_span_ms() -> u32 {
    crate::tone_plan::TONE_PLANS
        .iter()
        .filter_map(|p| match p.ringback {
            crate::tone_plan::Cadence::Repeating(steps) => {
                let off = steps
                    .iter()
                    .filter(|s| s.sound.is_silence())
                    .map(|s| s.ms)
                    .max()
                    .unwrap_or(0);
                p.ringback.period_ms().map(|t| t - off)
            }
            crate::tone_plan::Cadence::Continuous(_) => None,
        })
        .max()
        .unwrap_or(0)
}

/// The longest silence inside any ringback cadence of the table, ms: until this much quiet
/// followed a ring, the next ring may still come and nobody has answered yet.
pub(crate) fn longest_ringback_off_ms() -> u32 {
    crate::tone_plan::TONE_PLANS
        .iter()
        .filter_map(|p| match p.ringback {
            crate::tone_plan::Cadence::Repeating(steps) => steps
                .iter()
                .filter(|s| s.sound.is_silence())
                .map(|s| s.ms)
                .max(),
            crate::tone_plan::Cadence::Continuous(_) => None,
        })
        .max()
        .unwrap_or(0)
}

/// Which SIT segment a frequency belongs to, if any.
pub(crate) fn sit_part(freq: f32) -> Option<usize> {
    SIT.iter()
        .position(|pair| pair.iter().any(|&f| near_rel(freq, f, 0.015)))
}

/// A beep burst with sample-accurate bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Burst {
    pub(crate) start: SampleOffset,
    pub(crate) end: SampleOffset,
    pub(crate) freq: f32,
    /// Mean square of the burst's steady part (0 when unknown).
    pub(crate) level: f32,
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
    /// Frequency of the last burst, and how many distinct pitches the train has had.
    last_freq: f32,
    notes: u32,
    /// Every burst so far was at a single-frequency plan tone's pitch.
    plan_pitch: bool,
    /// The loudest burst's mean square.
    pub(crate) level: f32,
    /// Where the tone left its FFT bins ([`crate::tail`]): at or after `end`, which is
    /// where the tone tracker lost it. The box records from here.
    pub(crate) tail_end: SampleOffset,
}

impl Train {
    /// The quiet after the train that confirms it: longer for a tone at a single plan
    /// tone's pitch (it must not come back at a busy or congestion cadence).
    fn quiet_needed(&self, limits: &BeepLimits) -> u64 {
        let quiet = if self.plan_pitch {
            limits.confirm_quiet.max(limits.plan_quiet)
        } else {
            limits.confirm_quiet
        };
        quiet.max(limits.max_gap)
    }

    /// Whether the train is a special information tone rather than a beep.
    fn is_sit(&self) -> bool {
        self.sit_ordered && self.sit.count_ones() >= 2
    }
}

/// Groups bursts into beeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrainAssembler {
    pending: Option<Train>,
    /// End of the last note of a tune: nothing starting within the largest gap of it can be
    /// a beep (the tune goes on).
    tune_until: Option<SampleOffset>,
    /// End and pitch of the last burst of a cadence (a tone that came back before the line
    /// had been quiet long enough for a beep): the same pitch coming back again within the
    /// plan quiet is more of that cadence.
    cadence: Option<(SampleOffset, f32)>,
}

impl TrainAssembler {
    /// Whether a beep is waiting to be confirmed.
    pub(crate) fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// The pending train's loudest burst (mean square), if any.
    pub(crate) fn pending_level(&self) -> Option<f32> {
        self.pending.map(|t| t.level)
    }

    /// Adds a burst; returns a previous train that this burst cannot belong to.
    pub(crate) fn push(&mut self, b: Burst, limits: &BeepLimits) -> Option<Train> {
        if let Some(until) = self.tune_until {
            if b.start.saturating_sub(until) <= limits.max_gap {
                // The tune goes on.
                self.tune_until = Some(b.end);
                self.pending = None;
                return None;
            }
            self.tune_until = None;
        }
        if let Some((until, f)) = self.cadence {
            if b.start.saturating_sub(until) <= limits.plan_quiet {
                if near_rel(b.freq, f, TRAIN_PITCH_TOLERANCE) {
                    self.cadence = Some((b.end, f));
                    self.pending = None;
                    return None;
                }
            } else {
                self.cadence = None;
            }
        }
        let part = sit_part(b.freq);
        let weight = (b.end - b.start) as f32;
        if let Some(t) = self.pending.as_mut() {
            let gap = b.start.saturating_sub(t.end);
            let quiet = t.quiet_needed(limits);
            let same_pitch = near_rel(b.freq, t.last_freq, TRAIN_PITCH_TOLERANCE);
            let cadence = if gap <= limits.max_gap {
                // More pips than a beep has: a cadence.
                t.bursts >= MAX_BURSTS && same_pitch
            } else {
                // The tone came back before the line was quiet long enough.
                gap <= quiet && same_pitch
            };
            if cadence {
                self.pending = None;
                self.cadence = Some((b.end, b.freq));
                return None;
            }
            let new_note = !same_pitch && part.is_none();
            if gap <= limits.max_gap && new_note && t.notes >= MAX_NOTES {
                // A fourth pitch straight after: a tune, not a beep.
                self.pending = None;
                self.tune_until = Some(b.end);
                return None;
            }
            if gap <= limits.max_gap && b.end - t.start <= limits.max_len {
                t.end = b.end;
                t.tail_end = t.tail_end.max(b.end);
                t.bursts += 1;
                t.freq = (t.freq * t.freq_weight + b.freq * weight) / (t.freq_weight + weight);
                t.freq_weight += weight;
                t.level = t.level.max(b.level);
                t.plan_pitch &= is_plan_single_tone(b.freq);
                if new_note {
                    t.notes += 1;
                }
                t.last_freq = b.freq;
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
        // A previous train is complete only if the line stayed quiet long enough after it.
        let previous = self
            .pending
            .take()
            .filter(|t| !t.is_sit() && b.start.saturating_sub(t.end) > t.quiet_needed(limits));
        self.pending = Some(Train {
            start: b.start,
            end: b.end,
            freq: b.freq,
            bursts: 1,
            sit: part.map_or(0, |p| 1 << p),
            sit_ordered: part.is_some(),
            last_sit: part,
            freq_weight: weight,
            last_freq: b.freq,
            notes: 1,
            plan_pitch: is_plan_single_tone(b.freq),
            level: b.level,
            tail_end: b.end,
        });
        previous
    }

    /// Whether a tone starting at `start` may still join the pending train, or show it to
    /// be part of a cadence: it started before the line had been quiet long enough.
    pub(crate) fn could_join(&self, start: SampleOffset, limits: &BeepLimits) -> bool {
        self.pending
            .is_some_and(|t| start >= t.end && start - t.end <= t.quiet_needed(limits))
    }

    /// Confirms the pending train once no further burst can join it and the line has
    /// stayed quiet long enough after it (`now` is the newest sample).
    pub(crate) fn poll(&mut self, now: SampleOffset, limits: &BeepLimits) -> Option<Train> {
        let t = self.pending?;
        if now.saturating_sub(t.tail_end) > t.quiet_needed(limits) {
            self.pending = None;
            return (!t.is_sit()).then_some(t);
        }
        None
    }

    /// A tone that is no beep (out of band, unsteady, beating…) ended at `end` after at
    /// least a beep's shortest length: a burst straight after it is the next note of a tune,
    /// not a beep that starts out of the quiet after a greeting.
    pub(crate) fn tone_not_beep(&mut self, end: SampleOffset) {
        self.pending = None;
        self.tune_until = Some(self.tune_until.map_or(end, |u| u.max(end)));
    }

    /// The pending train's tone was still heard in its bins until `end`
    /// ([`crate::tail`]): the box is still playing it.
    pub(crate) fn extend_tail(&mut self, end: SampleOffset) {
        if let Some(t) = self.pending.as_mut() {
            t.tail_end = t.tail_end.max(end);
        }
    }

    /// Whether the pending train ends at `end` (its last burst is the one that ended there).
    pub(crate) fn pending_ends_at(&self, end: SampleOffset) -> bool {
        self.pending.is_some_and(|t| t.end == end)
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
