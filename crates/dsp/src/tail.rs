//! A beep's tail under the line's noise: where the box stops its tone.
//!
//! A box records only once its beep has finished, so a message must start after the tone
//! ends, not where the tone sinks below the line's noise. A struck, bell-like beep decays
//! into the noise long before its box stops it: on a noisy line the tone tracker, which
//! needs the tone to dominate the whole band, loses it hundreds of milliseconds early.
//!
//! The physics that lets the tail be followed: a tone is a line in the spectrum, the line's
//! noise is spread over the band. In the tone's own FFT bins (31.25 Hz) the noise is the
//! band's noise divided among ~100 bins, so a tone 15 dB below the noise's total power
//! still stands several dB above the noise in the bins beside it. The tail is followed only
//! at the pitch the tracker last measured, from where the tracker lost it (once the window
//! no longer reaches back into the tracked burst), and only if the tone still stood well
//! out of its bins there ([`START_RATIO`]): it is present while its bins stay
//! [`TAIL_RATIO`] above the bins a few hundred hertz either side (the same noise, without
//! the tone), smoothed over a few frames so that a single noisy frame neither ends nor
//! extends it. Frames a lossy line drops (nearly no power at all) are skipped, not taken
//! for the end; a tone that grows is something new; a tail is followed at most
//! [`MAX_TAIL_MS`].
//!
//! A tail never makes a beep: it only moves the end of a burst that was already a beep
//! candidate, and only later. A late end costs the caller a fraction of a second of tape;
//! an early one cuts the start of the message.
//!
//! The same follower hears a ring's echo: a line's echo returns a ring for a few hundred
//! milliseconds after it stops, and the VAD must not take that for a word (the quiet
//! before the greeting then looks like a person waiting after "hello?"). The echo is
//! heard in the ring's bins, or, when it is loud enough, by the tone tracker as a short
//! tone of its own at the ring's pitch ([`Tail::tracked`]). A beep candidate at a ring's
//! pitch heard before anyone spoke (Europe's ring is one steady 425 Hz tone) may be either:
//! its tail moves the beep's end and holds the VAD shut ([`Followed::BeepAtRingPitch`]).

use crate::event::SampleOffset;

/// While it is followed, the tone's bins must stand this far above the noise beside them
/// (7 dB in power, smoothed). Noise alone sits near 2.6 dB (the largest of three bins whose
/// power is exponential around the mean) and, smoothed, rarely strays past 6 dB.
pub(crate) const TAIL_RATIO: f32 = 5.0;
/// Weight of the newest frame in the smoothed levels: about three frames (30 ms), the
/// window's own length, so the estimate spans about two independent windows.
const SMOOTHING: f32 = 0.3;
/// Bins either side of the tone's that its window's main lobe (Hann: ±2 bins) and a few
/// hertz of pitch error may reach; the reference noise lies beyond.
const LOBE_BINS: usize = 3;
/// How far the reference noise reaches beyond the lobe (9 bins: 280 Hz).
const REFERENCE_BINS: usize = 9;
/// Where the tracker lost it, a fading tone still stands well out of its bins (10 dB): the
/// tail is taken up only then, judged on the mean of its first two frames, or not at all (a
/// tone that stopped dead). Noise alone lifts one frame's three tone bins 6 dB above the
/// bins beside them about once in twenty frames (and the next frame, whose window overlaps
/// it by two thirds, with it), but 10 dB only about once in 7,000.
const START_RATIO: f32 = 10.0;
const START_FRAMES: u32 = 2;
/// A tail missing for this long has ended (bridges a lossy line's dropped frames), ms.
const HANGOVER_MS: u32 = 100;
/// The longest tail followed, ms: a bell that rings on for longer is no beep, and a tone
/// that sits in the beep's bins for longer (hum, a held note) is something else.
const MAX_TAIL_MS: u32 = 1500;
/// A struck tone only decays or holds: a tail whose bins grow this much (3 dB) above the
/// burst's own level (its mean square, which bounds the power of its loudest bin) is
/// something new at that pitch (a voice's harmonic, a note), and following stops.
const MAX_RISE: f32 = 2.0;
/// The longest echo of a ring followed after the ring stops, ms: line and speakerphone
/// echoes return within a few hundred milliseconds.
const RING_ECHO_MS: u32 = 400;
/// A frame whose reference bins hold less than this share of the smoothed noise was
/// dropped by the line (a lossy codec's erased frame), not quiet air.
const DROPPED_FRAME: f32 = 1e-3;

/// Follows the tail of the last beep burst.
#[derive(Debug, Clone)]
pub(crate) struct Tail {
    /// Bins of the tone: the one nearest its pitch and one either side.
    tone_bins: Option<(usize, usize)>,
    tone: f32,
    noise: f32,
    /// Frames fed since following began (the smoothed levels hold something once it is 1;
    /// at [`START_FRAMES`] the tail is taken up or dropped).
    fed: u32,
    /// The tone bins' smoothed power may not grow past this.
    ceiling: f32,
    /// Last time the tone was heard in its bins.
    heard_until: SampleOffset,
    /// Frames centred before this still hold the burst itself in their window.
    from: SampleOffset,
    /// Where following stops, whatever is heard.
    stop_at: SampleOffset,
    half_window: u64,
    hangover: u64,
    max_tail: u64,
    ring_echo: u64,
    /// What is followed.
    followed: Followed,
}

/// What the follower listens for in the tone's bins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Followed {
    /// A beep candidate's tail: where it is last heard is the beep's end.
    Beep,
    /// A beep candidate at a call-progress pitch (a European 425 Hz ring is one steady tone
    /// too): its tail is the beep's end if it is a beep, and its echo if it is the ring, so
    /// what the VAD hears at its pitch meanwhile is no word either way.
    BeepAtRingPitch,
    /// A call-progress tone's echo after it stopped: no beep's end moves.
    Ring,
}

impl Followed {
    /// Whether the followed tone may be call progress, whose echo is no word.
    fn may_be_ring(self) -> bool {
        self != Self::Beep
    }
}

impl Tail {
    /// A follower for spectra of `window` samples at `sample_rate`.
    pub(crate) fn new(sample_rate: u32, window: usize) -> Self {
        let ms = |v: u32| u64::from(v) * u64::from(sample_rate) / 1000;
        Self {
            tone_bins: None,
            tone: 0.0,
            noise: 0.0,
            fed: 0,
            ceiling: 0.0,
            heard_until: 0,
            from: 0,
            stop_at: 0,
            half_window: window as u64 / 2,
            hangover: ms(HANGOVER_MS),
            max_tail: ms(MAX_TAIL_MS),
            ring_echo: ms(RING_ECHO_MS),
            followed: Followed::Beep,
        }
    }

    /// A beep burst at `bin` (the FFT bin of its last pitch) with mean square `level` ended
    /// at `end`: follow its tail ([`Followed::Beep`] or [`Followed::BeepAtRingPitch`]).
    /// `bins` is the spectrum's length.
    pub(crate) fn start(
        &mut self,
        bin: usize,
        bins: usize,
        level: f32,
        end: SampleOffset,
        followed: Followed,
    ) {
        let lo = bin.saturating_sub(1);
        let hi = (bin + 1).min(bins.saturating_sub(1));
        let reach = LOBE_BINS + REFERENCE_BINS;
        // A tone too near either edge of the spectrum has no noise on one side to compare.
        self.tone_bins = (bin > reach && bin + reach < bins).then_some((lo, hi));
        self.fed = 0;
        self.ceiling = MAX_RISE * level;
        self.heard_until = end;
        self.from = end + self.half_window;
        self.stop_at = end + self.max_tail;
        self.followed = followed;
    }

    /// A call-progress tone (a ring) at `bin` with mean square `level` ended at `end`:
    /// follow what of it the line still returns (its echo), at most [`RING_ECHO_MS`]. What
    /// the VAD hears meanwhile is the ring, not a word.
    pub(crate) fn start_ring(&mut self, bin: usize, bins: usize, level: f32, end: SampleOffset) {
        self.start(bin, bins, level, end, Followed::Ring);
        self.stop_at = end + self.ring_echo;
    }

    /// How far the tone must stand out of its bins for following to begin. After a ring,
    /// following noise only keeps the VAD shut for a moment (nobody speaks within a few
    /// hundred milliseconds of picking up): no stricter bar than the one that keeps the
    /// echo followed.
    fn take_up(&self) -> f32 {
        if self.followed == Followed::Ring {
            TAIL_RATIO
        } else {
            START_RATIO
        }
    }

    /// Whether a ring's echo is being followed (not a beep's tail).
    pub(crate) fn follows_ring(&self) -> bool {
        self.followed == Followed::Ring && self.tone_bins.is_some()
    }

    /// Whether a tone that may be call progress is still heard at `now`: what the VAD hears
    /// is its echo, not a word.
    pub(crate) fn hears_ring(&self, now: SampleOffset) -> bool {
        self.followed.may_be_ring() && self.is_hearing(now)
    }

    /// The tone tracker follows a tone at `bin` at `center`: if it is the pitch of the
    /// followed tone that may be a ring, that tone is still heard (its echo, loud enough for
    /// the tracker to take it for a tone of its own after the ring's level dropped).
    pub(crate) fn tracked(&mut self, bin: usize, center: SampleOffset) {
        if !self.followed.may_be_ring() || center >= self.stop_at {
            return;
        }
        if let Some((lo, hi)) = self.tone_bins {
            if (lo..=hi).contains(&bin) && center > self.heard_until {
                self.heard_until = center;
            }
        }
    }

    /// Stops following (the beep was confirmed, dropped, or a new tone began).
    pub(crate) fn stop(&mut self) {
        self.tone_bins = None;
    }

    /// Whether the tone is still heard in its bins at `now` (or was, within the hangover
    /// that bridges dropped frames): sound the VAD hears now may be the tail itself.
    pub(crate) fn is_hearing(&self, now: SampleOffset) -> bool {
        // Right after a ring, before its echo could be measured, the line still carries it.
        self.tone_bins.is_some()
            && (self.fed > 0 || self.followed.may_be_ring())
            && now <= self.heard_until + self.hangover
    }

    /// One frame's power spectrum, centred at `center`: returns the new end of the beep when
    /// its tone was still in its bins there.
    pub(crate) fn update(&mut self, power: &[f32], center: SampleOffset) -> Option<SampleOffset> {
        let (lo, hi) = self.tone_bins?;
        if center >= self.stop_at || center > self.heard_until + self.hangover {
            self.tone_bins = None;
            return None;
        }
        if center < self.from {
            // The window still reaches back into the burst: its tone there is no tail (a
            // tone that stops dead would otherwise seem to ring on for half a window).
            return None;
        }
        let tone = power.get(lo..=hi)?.iter().copied().fold(0.0, f32::max);
        let below = lo.saturating_sub(LOBE_BINS + REFERENCE_BINS)..lo.saturating_sub(LOBE_BINS);
        let above = hi + 1 + LOBE_BINS..hi + 1 + LOBE_BINS + REFERENCE_BINS;
        let (sum, n) = below
            .chain(above)
            .filter_map(|k| power.get(k))
            .fold((0.0, 0u32), |(s, n), &p| (s + p, n + 1));
        if n == 0 {
            return None;
        }
        let noise = sum / n as f32;
        let primed = self.fed > 0;
        if primed && noise < DROPPED_FRAME * self.noise && tone < DROPPED_FRAME * self.tone {
            return None;
        }
        if primed {
            // A plain mean over the first frames (so the first one, which noise alone
            // makes stand out one time in twenty, weighs no more than the next), then the
            // running weight.
            let weight = (1.0 / (self.fed + 1) as f32).max(SMOOTHING);
            self.tone += weight * (tone - self.tone);
            self.noise += weight * (noise - self.noise);
        } else {
            self.tone = tone;
            self.noise = noise;
            if self.ceiling <= 0.0 {
                // No level measured: the first frame's own.
                self.ceiling = MAX_RISE * tone;
            }
        }
        if self.tone > self.ceiling {
            self.tone_bins = None;
            return None;
        }
        self.fed += 1;
        if self.fed < START_FRAMES {
            return None;
        }
        if self.fed == START_FRAMES && self.tone <= self.take_up() * self.noise {
            // Nothing rang on where the tracker lost the tone: it stopped there.
            self.tone_bins = None;
            return None;
        }
        if self.tone > TAIL_RATIO * self.noise && center > self.heard_until {
            self.heard_until = center;
            return Some(center);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Power spectra of a tone at bin 32 with level `tone` over flat noise of level 1, with
    /// a deterministic scatter of the noise (exponential-like, mean 1).
    fn frame(tone: f32, seed: u32) -> Vec<f32> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(seed).wrapping_mul(0x2545_F491_4F6C_DD1D);
        (0..129)
            .map(|k| {
                // xorshift64*, then an exponential deviate: a noise bin's power.
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                let u = (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40) as f32 / (1u64 << 24) as f32;
                let noise = -(1.0 - u * 0.999_999).ln();
                noise + if (31..=33).contains(&k) { tone } else { 0.0 }
            })
            .collect()
    }

    #[test]
    fn a_tone_below_the_band_noise_but_above_its_bins_noise_extends_the_end_until_it_stops() {
        let mut t = Tail::new(8000, 0);
        t.start(32, 129, 40.0, 1000, Followed::Beep);
        let mut end = 1000;
        for i in 0..40u32 {
            let center = 1000 + u64::from(i + 1) * 80;
            // The fading tone 15 dB above its bins' noise where the tracker lost it, then
            // 9 dB for 23 frames (200 ms in all), then nothing.
            let level = match i {
                0..2 => 30.0,
                2..25 => 8.0,
                _ => 0.0,
            };
            if let Some(e) = t.update(&frame(level, i), center) {
                end = e;
            }
        }
        let heard = 1000 + 25 * 80;
        assert!(
            end + 80 >= heard && end <= heard + 3 * 80,
            "end {end}, tone until {heard}"
        );
    }

    #[test]
    fn noise_alone_extends_nothing_and_a_tone_that_never_stops_is_capped() {
        // Noise alone where the tracker lost the tone: it stopped there.
        for seed in 0..200u32 {
            let mut t = Tail::new(8000, 0);
            t.start(32, 129, 25.0, 0, Followed::Beep);
            for i in 0..100u32 {
                let got = t.update(&frame(0.0, seed * 1000 + i), u64::from(i + 1) * 80);
                assert_eq!(got, None, "seed {seed}, frame {i}");
            }
        }
        // A tone that never stops (hum at the beep's pitch) is followed at most 1.5 s.
        let mut t = Tail::new(8000, 0);
        t.start(32, 129, 25.0, 0, Followed::Beep);
        let mut last = 0;
        for i in 0..400u32 {
            let center = u64::from(i + 1) * 80;
            let f = if i % 10 == 5 {
                vec![0.0; 129]
            } else {
                frame(20.0, i)
            };
            if let Some(e) = t.update(&f, center) {
                last = e;
            }
        }
        assert!((11_000..=12_000).contains(&last), "followed to {last}");
    }

    #[test]
    fn a_sound_that_grows_in_the_tone_bins_is_not_the_tail() {
        let mut t = Tail::new(8000, 0);
        t.start(32, 129, 25.0, 0, Followed::Beep);
        // The first frame alone decides nothing; the second takes the tail up.
        assert_eq!(t.update(&frame(20.0, 1), 80), None);
        assert_eq!(t.update(&frame(20.0, 2), 160), Some(160));
        assert_eq!(t.update(&frame(8.0, 3), 240), Some(240));
        assert!(t.is_hearing(260));
        // A voice's harmonic lands in the bins, 10 dB up: following stops for good.
        let mut ended = false;
        for i in 4..12u32 {
            let center = u64::from(i) * 80;
            if t.update(&frame(60.0, i), center).is_none() {
                ended = true;
            }
        }
        assert!(ended && !t.is_hearing(1000));
        assert_eq!(t.update(&frame(6.0, 13), 1040), None);
    }

    #[test]
    fn a_tone_at_the_edge_of_the_spectrum_is_not_followed() {
        let mut t = Tail::new(8000, 0);
        t.start(3, 129, 50.0, 0, Followed::Beep);
        assert_eq!(t.update(&frame(50.0, 1), 80), None);
        t.start(126, 129, 50.0, 0, Followed::Beep);
        assert_eq!(t.update(&frame(50.0, 1), 80), None);
    }

    #[test]
    fn an_echo_the_tracker_takes_for_a_tone_of_its_own_is_still_the_ring() {
        // Hangover 100 ms = 800 samples at 8 kHz; the ring stopped at 1000.
        let mut t = Tail::new(8000, 0);
        t.start_ring(32, 129, 25.0, 1000);
        assert!(t.hears_ring(1000));
        // The tracker follows the echo at the ring's pitch for 200 ms: still the ring.
        for center in (1080..=2600).step_by(80) {
            t.tracked(33, center);
        }
        assert!(t.hears_ring(2600 + 800));
        assert!(!t.hears_ring(2600 + 881));
        // A tone at another pitch is something else.
        t.start_ring(32, 129, 25.0, 1000);
        t.tracked(40, 1500);
        assert!(!t.hears_ring(1801));
        // Nor does the tracker prolong the echo past the longest echo followed (400 ms).
        t.start_ring(32, 129, 25.0, 1000);
        t.tracked(32, 1000 + 3200);
        assert!(!t.hears_ring(1000 + 3200));
    }

    #[test]
    fn only_a_tone_that_may_be_a_ring_holds_the_vad_before_its_tail_is_measured() {
        let mut t = Tail::new(8000, 0);
        t.start(32, 129, 25.0, 1000, Followed::Beep);
        assert!(!t.hears_ring(1100));
        t.tracked(32, 1500);
        assert!(!t.hears_ring(1500));
        t.start(32, 129, 25.0, 1000, Followed::BeepAtRingPitch);
        assert!(t.hears_ring(1100));
        // Its tail, measured, still moves the beep's end.
        assert_eq!(t.update(&frame(20.0, 1), 1080), None);
        assert_eq!(t.update(&frame(20.0, 2), 1160), Some(1160));
    }
}
