//! Fax as it sounds on a real line: the answering tone (CED, or ANSam) and the V.21 flags
//! that follow it.
//!
//! - **CED** (V.25) is 2100 Hz for 2.6–4 s. **ANSam** (V.8) is the same carrier with 15 Hz
//!   amplitude modulation and a phase reversal every 450 ms. Each reversal puts a notch in
//!   the tone and can split the tracked run, so the tracker joins 2100 Hz runs whose gaps
//!   are shorter than [`MAX_CED_GAP_MS`] and counts the whole: [`CED_MS`] of it is an answering
//!   fax.
//! - **V.21 flags** (T.30, channel 2): HDLC flags `0x7E` sent as FSK at 300 bit/s, mark
//!   1650 Hz, space 1850 Hz. Within one 32 ms FFT frame (about ten bits) the energy sits
//!   between 1550 and 1950 Hz with both the mark and the space frequency present, which
//!   neither a voice (formants spread over the band) nor a single beep (one lobe) does.
//!   Held for [`V21_CONFIRM_MS`], it is a fax; while it sounds it is never speech.

use crate::event::SampleOffset;
use crate::tone::ToneSegment;

/// Longest gap joining 2100 Hz runs into one answering tone, ms.
const MAX_CED_GAP_MS: u64 = 120;
/// Answering tone that makes a fax, ms: a voice never holds a pure 2100 Hz for a second,
/// and a beep is not heard before anyone spoke. (CED starts up to 2.5 s after the answer;
/// one second of it keeps the verdict within 3.5 s of pickup.)
const CED_MS: u64 = 1000;
/// Share of the telephone band's energy in 1550–1950 Hz for a V.21 frame.
pub(crate) const V21_BAND_SHARE: f32 = 0.7;
/// Share each of the mark and the space frequency must carry (HDLC flags send six marks
/// and two spaces per byte: about 75 % and 25 %).
pub(crate) const V21_TONE_SHARE: f32 = 0.05;
/// V.21 frames needed for a fax, ms.
const V21_CONFIRM_MS: u32 = 200;
/// V.21 frames after which the line is taken to carry it (and the VAD is held off).
const V21_ON_FRAMES: u32 = 3;
/// Non-V.21 frames tolerated inside a V.21 stretch.
const V21_MAX_MISSES: u32 = 3;

/// Follows the answering tone and the V.21 flags.
#[derive(Debug, Clone)]
pub(crate) struct FaxTracker {
    rate: u64,
    /// The 2100 Hz stretch so far: (first onset frame, the run it was last extended by, end).
    ced: Option<(SampleOffset, SampleOffset, SampleOffset)>,
    v21_frames: u32,
    v21_misses: u32,
    v21_confirm: u32,
}

impl FaxTracker {
    pub(crate) fn new(rate: u32) -> Self {
        Self {
            rate: rate as u64,
            ced: None,
            v21_frames: 0,
            v21_misses: 0,
            v21_confirm: V21_CONFIRM_MS / 10,
        }
    }

    /// Notes a 2100 Hz run (in progress or ended); returns whether the stretch of answering
    /// tone it belongs to is long enough for a fax.
    pub(crate) fn ced(&mut self, seg: &ToneSegment, hop: u64) -> bool {
        if seg.freq2.is_some() || (seg.freq - 2100.0).abs() > 20.0 {
            return false;
        }
        let end = seg.last_center + hop / 2;
        let gap = MAX_CED_GAP_MS * self.rate / 1000;
        let start = match self.ced {
            Some((start, run, _)) if run == seg.first_center => start,
            Some((start, _, last_end)) if seg.first_center <= last_end + gap => start,
            _ => seg.first_center,
        };
        self.ced = Some((start, seg.first_center, end));
        end.saturating_sub(start) >= CED_MS * self.rate / 1000
    }

    /// Feeds one frame's V.21 shares `(band, mark, space)`; returns whether V.21 is on the
    /// line now.
    pub(crate) fn v21_frame(&mut self, shares: (f32, f32, f32), _now: SampleOffset) -> bool {
        let (band, mark, space) = shares;
        if band >= V21_BAND_SHARE && mark >= V21_TONE_SHARE && space >= V21_TONE_SHARE {
            self.v21_frames += 1;
            self.v21_misses = 0;
        } else if self.v21_frames > 0 {
            self.v21_misses += 1;
            if self.v21_misses > V21_MAX_MISSES {
                self.v21_frames = 0;
                self.v21_misses = 0;
            }
        }
        self.in_v21()
    }

    /// Whether V.21 signalling is on the line.
    pub(crate) fn in_v21(&self) -> bool {
        self.v21_frames >= V21_ON_FRAMES
    }

    /// Whether V.21 has held long enough to call the line a fax.
    pub(crate) fn v21_confirmed(&self) -> bool {
        self.v21_frames >= self.v21_confirm
    }
}
