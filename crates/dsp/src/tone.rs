//! Tone tracking: which frames hold a pure tone (or a pair), and the runs they form.
//!
//! A frame is *tonal* when, after discounting the expected noise in each bin, nearly all of
//! the telephone-band energy sits in the main lobe of one spectral peak (a single tone), of a
//! peak and its harmonics (a clipped or buzzy beep), or of two peaks (a dual-frequency beep,
//! DTMF, call-progress pairs). Speech never qualifies for long: a voiced sound spreads its
//! energy over many harmonics of a pitch that keeps moving.
//!
//! Consecutive tonal frames whose frequency moves by less than 2 % per frame, or that stay
//! within a warble's swing (±8 %) of the middle of the run's range, form a
//! [`ToneSegment`]. A short dropout (one or two frames lost to noise) does not break it. A
//! fast vibrato smears a warbling beep across its swing within one window; such a frame is
//! tonal when nearly all its energy lies in one slice a swing wide.

use crate::event::SampleOffset;

/// Share of the (noise-discounted) band energy that must sit in the tone's main lobe(s).
/// A sine alone gives ~1.0 even at 10 dB SNR; vowels measured on the dev corpus stay below.
const PURITY: f32 = 0.85;
/// A peak must stand this far above the expected noise in its bin (power ratio, 15 dB).
const PEAK_SNR: f32 = 31.6;
/// Main lobe half-width of the Hann window, in bins.
const LOBE: usize = 2;
/// Frequency change per frame that still continues a segment.
const MAX_STEP: f32 = 0.02;
/// Largest relative frequency step per frame of a steady (generated) tone. A synthesised
/// tone, even one gliding 2 % over its length, moves by well under 0.1 % per frame; the
/// estimate's own noise stays below 0.3 % at 10 dB SNR. Voices move by 0.5–5 %.
const STEADY_STEP: f32 = 0.008;
/// Frames a run needs before it counts as steady.
const STEADY_FRAMES: u32 = 2;
/// Unbroken tonal frames after which a run held within [`WARBLE_SWING`] counts as steady.
const WARBLE_FRAMES: u32 = 8;
/// Largest swing either side of the mean for the warble rule. Boxes that warble swing by
/// "a few per cent" (2–7 % measured on the shapes in use) at 3–16 Hz; 8 % leaves room for
/// the estimate. A voice's harmonic never stays tonal within such a band for long.
pub(crate) const WARBLE_SWING: f32 = 0.08;
/// A half-hop amplitude this much above the previous one is a rise of the envelope (noise
/// at 10 dB SNR moves a 5 ms RMS by about 10 %).
const RISE: f32 = 1.3;
/// Groups of bins for the per-frame noise estimate.
const GROUPS: usize = 8;
/// Non-tonal frames tolerated inside a segment.
const MAX_DROPOUT: u32 = 2;
/// Lowest and highest peak frequency examined, Hz (covers all tones of interest and beeps;
/// below 280 Hz sits the fundamental of most voices).
const LOW_HZ: f32 = 280.0;
/// Energy from here up counts in the purity test, so a voice's fundamental (100–280 Hz)
/// weighs against its harmonics being taken for a tone.
const ENERGY_LOW_HZ: f32 = 90.0;
const HIGH_HZ: f32 = 3500.0;

/// What one frame holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FrameTone {
    None,
    /// One tone (frequency in Hz), possibly with harmonics.
    Single(f32),
    /// Two simultaneous tones, low then high.
    Dual(f32, f32),
}

impl FrameTone {
    pub(crate) fn is_tonal(self) -> bool {
        !matches!(self, FrameTone::None)
    }

    /// Whether a component of the frame's tone lies in `lo..=hi` Hz.
    pub(crate) fn has_component_in(self, lo: f32, hi: f32) -> bool {
        let inside = |f: f32| (lo..=hi).contains(&f);
        match self {
            FrameTone::None => false,
            FrameTone::Single(f) => inside(f),
            FrameTone::Dual(a, b) => inside(a) || inside(b),
        }
    }

    pub(crate) fn main(self) -> f32 {
        match self {
            FrameTone::None => 0.0,
            FrameTone::Single(f) => f,
            FrameTone::Dual(a, _) => a,
        }
    }
}

/// Finds tones in one power spectrum.
#[derive(Debug, Clone)]
pub(crate) struct ToneAnalyzer {
    energy_lo: usize,
    lo: usize,
    hi: usize,
    bin_hz: f32,
    /// Noise-discounted spectrum (scratch, allocated once).
    excess: Vec<f32>,
    /// Its sum over the purity band, for the last frame.
    total: f32,
}

impl ToneAnalyzer {
    pub(crate) fn new(bins: usize, bin_hz: f32) -> Self {
        let lo = ((LOW_HZ / bin_hz).floor() as usize).max(LOBE + 1);
        let hi = ((HIGH_HZ / bin_hz).ceil() as usize).min(bins.saturating_sub(LOBE + 2));
        let energy_lo = ((ENERGY_LOW_HZ / bin_hz).floor() as usize).max(1);
        Self {
            energy_lo,
            lo,
            hi,
            bin_hz,
            excess: vec![0.0; bins],
            total: 0.0,
        }
    }

    /// Classifies the frame. `noise[k]` is the expected noise power in bin `k`.
    pub(crate) fn analyze(&mut self, power: &[f32], noise: &[f32]) -> FrameTone {
        let (lo, hi) = (self.lo, self.hi);
        // The tracked floor cannot know the noise when a tone has sounded since the first
        // frame (ringback before pickup): this frame's own spectrum can, since a tone or a
        // pair covers at most a dozen bins. Split the band into eight groups; the second
        // quietest group's mean power (a tone can spoil one group, a pair two neighbours)
        // is within ~20 % of the noise's mean for white noise, hence the 1.25.
        let frame_noise = {
            let width = (hi - lo + 1) / GROUPS;
            let (mut q1, mut q2) = (f32::INFINITY, f32::INFINITY);
            for g in 0..GROUPS {
                let from = lo + g * width;
                let mean = crate::sum::sum(&power[from..from + width]) / width as f32;
                if mean < q1 {
                    q2 = q1;
                    q1 = mean;
                } else if mean < q2 {
                    q2 = mean;
                }
            }
            1.25 * q2
        };
        let noise_at = |k: usize| noise[k].min(frame_noise);
        // The strongest peak first: most frames (silence, noise, much of speech) fail the
        // tests on it, and need no purity sums.
        let k1 = lo + first_max(&power[lo..=hi]);
        // A maximum at the lowest bin examined that still rises below it is the slope of a
        // peak outside the range (a voice's fundamental), not a tone in it.
        if k1 == lo && power[lo - 1] > power[lo] {
            return FrameTone::None;
        }
        if power[k1] < PEAK_SNR * noise_at(k1) {
            return FrameTone::None;
        }
        let bins = self.energy_lo..=hi;
        for ((dst, &p), &n) in self.excess[bins.clone()]
            .iter_mut()
            .zip(&power[bins.clone()])
            .zip(&noise[bins.clone()])
        {
            // Twice the mean noise: per-bin noise power fluctuates around its mean. (Written
            // as selects, which vectorise; spectra are finite.)
            let floor = if n < frame_noise { n } else { frame_noise };
            let e = p - 2.0 * floor;
            *dst = if e > 0.0 { e } else { 0.0 };
        }
        let total = crate::sum::sum(&self.excess[bins]);
        self.total = total;
        if total <= 0.0 {
            return FrameTone::None;
        }
        let lobe = |k: usize, ex: &[f32]| -> f32 { ex[k - LOBE..=k + LOBE].iter().sum() };
        let p1 = lobe(k1, &self.excess) / total;
        let f1 = self.interpolate(power, k1);
        if p1 >= PURITY {
            return FrameTone::Single(f1);
        }
        if p1 < 0.3 {
            return FrameTone::None;
        }
        // Second and third strongest peaks away from the first lobe.
        let (k2, p2) = self.next_peak(power, &[k1]);
        let Some(k2) = k2 else {
            return self.warble(k1);
        };
        let f2 = self.interpolate(power, k2);
        // A beep with harmonics (clipped, buzzy) has its fundamental as the strongest peak;
        // a vowel's strongest harmonic sits at a formant, above a weaker fundamental.
        if let Some(fund) = harmonic_fundamental(f1, f2).filter(|&fund| fund == f1) {
            let (k3, p3) = self.next_peak(power, &[k1, k2]);
            let extra = match k3 {
                Some(k3) if harmonic_fundamental(fund, self.interpolate(power, k3)).is_some() => p3,
                _ => 0.0,
            };
            if p1 + p2 + extra >= PURITY {
                return FrameTone::Single(fund);
            }
            return self.warble(k1);
        }
        if p1 + p2 >= PURITY && p2 >= 0.05 {
            let (a, b) = if f1 < f2 { (f1, f2) } else { (f2, f1) };
            return FrameTone::Dual(a, b);
        }
        self.warble(k1)
    }

    /// The strongest peak not within a lobe of `taken`, and its share of the energy.
    fn next_peak(&self, power: &[f32], taken: &[usize]) -> (Option<usize>, f32) {
        let total = self.total;
        let mut best: Option<usize> = None;
        let mut best_power = f32::NEG_INFINITY;
        for k in self.lo..=self.hi {
            let p = power[k];
            // A local maximum stronger than the best so far (the cheap tests first).
            if p <= best_power || p < power[k - 1] || p < power[k + 1] {
                continue;
            }
            // Peaks 4 bins (125 Hz at 8 kHz) apart are still told apart: the closest dual
            // beeps in use are ~130 Hz apart.
            if taken.iter().any(|&t| k.abs_diff(t) <= LOBE + 1) {
                continue;
            }
            best = Some(k);
            best_power = p;
        }
        match best {
            Some(k) if total > 0.0 => {
                // Bins already in a taken lobe are not counted twice.
                let e: f32 = (k - LOBE..=k + LOBE)
                    .filter(|&j| taken.iter().all(|&t| j.abs_diff(t) > LOBE))
                    .map(|j| self.excess[j])
                    .sum();
                (Some(k), e / total)
            }
            _ => (None, 0.0),
        }
    }

    /// Peak frequency by parabolic interpolation of the log power around bin `k`
    /// (exact for a Gaussian lobe, within ~1 % of a bin for Hann).
    fn interpolate(&self, power: &[f32], k: usize) -> f32 {
        let l = (power[k - 1] + 1e-20).ln();
        let c = (power[k] + 1e-20).ln();
        let r = (power[k + 1] + 1e-20).ln();
        let denom = l - 2.0 * c + r;
        let delta = if denom.abs() > 1e-12 {
            (0.5 * (l - r) / denom).clamp(-0.5, 0.5)
        } else {
            0.0
        };
        (k as f32 + delta) * self.bin_hz
    }

    /// A warbling (frequency-modulated) tone seen through one window: its frequency sweeps
    /// during the window's 32 ms, so its energy is smeared over part or all of its swing
    /// instead of one lobe. Nearly all of the band's energy then lies in one slice a
    /// swing wide (plus a lobe either side) that holds the strongest peak, wherever in the
    /// swing the peak fell (at an end, where the frequency dwells, or in the middle of a
    /// sweep). A vowel's energy is spread over harmonics of its pitch across the band and
    /// does not fit such a narrow slice. Reported at the slice's energy centroid.
    fn warble(&self, k1: usize) -> FrameTone {
        let total = self.total;
        if total <= 0.0 {
            return FrameTone::None;
        }
        let width = swing_bins(k1) + 2 * LOBE;
        let (first, last) = (self.energy_lo, self.hi);
        // Every placement of the slice that still holds the peak's lobe.
        let lowest = (k1 + LOBE).saturating_sub(width).max(first);
        let highest = k1.saturating_sub(LOBE).min(last.saturating_sub(width));
        let mut best = (0.0f32, lowest);
        for from in lowest..=highest.max(lowest) {
            let to = (from + width).min(last);
            let energy = crate::sum::sum(&self.excess[from..=to]);
            if energy > best.0 {
                best = (energy, from);
            }
        }
        if best.0 < PURITY * total {
            return FrameTone::None;
        }
        let from = best.1;
        let to = (from + width).min(last);
        let moment: f32 = self.excess[from..=to]
            .iter()
            .enumerate()
            .map(|(i, &e)| (from + i) as f32 * e)
            .sum();
        FrameTone::Single(moment / best.0 * self.bin_hz)
    }
}

/// A warble's full swing (twice [`WARBLE_SWING`]) around bin `k`, in bins.
fn swing_bins(k: usize) -> usize {
    (2.0 * WARBLE_SWING * k as f32).ceil() as usize
}

/// Index of the first largest value (0 for an empty slice). Spectra are finite and
/// non-negative.
fn first_max(xs: &[f32]) -> usize {
    // The maximum in eight independent lanes (vectorises), then its first position.
    let mut lanes = [f32::NEG_INFINITY; 8];
    let mut chunks = xs.chunks_exact(8);
    for c in chunks.by_ref() {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l = if v > *l { v } else { *l };
        }
    }
    let max = chunks
        .remainder()
        .iter()
        .chain(&lanes)
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    xs.iter().position(|&v| v == max).unwrap_or(0)
}

/// If `a` and `b` are a tone and one of its harmonics 2–7 (either way round), the
/// fundamental. A square-ish (clipped) beep puts its energy in the odd harmonics: 81 % in
/// the fundamental, 9 % in the 3rd, 3 % in the 5th, 2 % in the 7th.
fn harmonic_fundamental(a: f32, b: f32) -> Option<f32> {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let ratio = hi / lo;
    let n = ratio.round();
    if (2.0..=7.0).contains(&n) && (ratio - n).abs() <= 0.02 * n {
        Some(lo)
    } else {
        None
    }
}

/// A run of tonal frames with a steady (or slowly gliding) frequency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ToneSegment {
    /// Frame-level start and end (centres of the first and last tonal frames).
    pub(crate) first_center: SampleOffset,
    pub(crate) last_center: SampleOffset,
    /// Tonal frames in the run.
    pub(crate) frames: u32,
    /// Mean main frequency, and its extremes.
    pub(crate) freq: f32,
    pub(crate) freq_min: f32,
    pub(crate) freq_max: f32,
    /// Frequency at the first and at the last frame (for onset/end refinement).
    pub(crate) freq_first: f32,
    pub(crate) freq_last: f32,
    /// Mean second frequency when most frames were dual.
    pub(crate) freq2: Option<f32>,
    /// Amplitude-modulation depth inside the run (0 steady … 1 fully beating).
    pub(crate) am_depth: f32,
    /// Times the amplitude rose by more than [`RISE`] from one half-hop to the next, into
    /// the upper half of the run's level, after the onset: a beating pair or an AM tone
    /// does once per modulation period, a steady or decaying (bell-like) tone never does.
    pub(crate) rises: u32,
}

impl ToneSegment {
    /// Frame-level duration in samples.
    pub(crate) fn span(&self, hop: u64) -> u64 {
        self.last_center - self.first_center + hop
    }
}

#[derive(Debug, Clone, Copy)]
struct Run {
    seg: ToneSegment,
    freq_sum: f32,
    freq2_sum: f32,
    dual_frames: u32,
    last_tone: FrameTone,
    dropout: u32,
    am_min: f32,
    am_max: f32,
    /// Amplitudes of the last two frames, held back: the frames at a tone's end see its
    /// decay and must not count as modulation.
    held: [[f32; 2]; 2],
    /// Consecutive frames (up to now) that moved by at most `STEADY_STEP`.
    steady_frames: u32,
    /// Consecutive frames without a dropout (for the warble rule).
    unbroken: u32,
    /// The last half-hop amplitude seen after the onset (for counting rises).
    last_amp: f32,
}

/// Groups tonal frames into segments.
#[derive(Debug, Clone, Default)]
pub(crate) struct ToneTracker {
    run: Option<Run>,
}

impl ToneTracker {
    /// Whether the run in progress looks like a generated tone now: its last
    /// `STEADY_FRAMES` frames moved by no more than `STEADY_STEP` each.
    ///
    /// A warbling beep (vibrato: a few % of swing at several Hz) moves by more than that
    /// per frame, but never leaves a narrow band around its centre and never loses the
    /// purity test; a voice's harmonic passes that test for a few frames at most, and its
    /// pitch wanders further. So a run that has stayed tonal, unbroken, for
    /// [`WARBLE_FRAMES`] within ±[`WARBLE_SWING`] of its mean is steady too.
    pub(crate) fn is_steady(&self) -> bool {
        self.run.as_ref().is_some_and(|r| {
            if r.steady_frames >= STEADY_FRAMES {
                return true;
            }
            let mean = r.freq_sum / r.seg.frames.max(1) as f32;
            r.unbroken >= WARBLE_FRAMES
                && r.seg.freq_max - r.seg.freq_min <= 2.0 * WARBLE_SWING * mean
        })
    }

    /// The run in progress, if any (for decisions on long tones while they last).
    pub(crate) fn current(&self) -> Option<ToneSegment> {
        self.run.as_ref().map(finish_run)
    }

    /// Feeds one frame's tone at `center` with its short-term amplitudes (two RMS values
    /// over the halves of the newest hop). Returns a segment that ended before this frame.
    pub(crate) fn update(
        &mut self,
        tone: FrameTone,
        center: SampleOffset,
        amplitudes: [f32; 2],
    ) -> Option<ToneSegment> {
        let mut ended = None;
        if let Some(run) = self.run.as_mut() {
            // A single tone's run follows its one frequency: a frame where the next note
            // overlaps it in the window (a dual frame) does not carry the run on to that
            // note.
            let last = if run.dual_frames == 0 {
                FrameTone::Single(run.seg.freq_last)
            } else {
                run.last_tone
            };
            let continues = tone.is_tonal() && (same_tone(last, tone) || within_swing(run, tone));
            if continues {
                extend(run, tone, center, amplitudes);
                return None;
            }
            run.dropout += 1;
            if run.dropout > MAX_DROPOUT || tone.is_tonal() {
                ended = self.run.take().map(|r| finish_run(&r));
            } else {
                return None;
            }
        }
        if tone.is_tonal() {
            let f = tone.main();
            let mut run = Run {
                seg: ToneSegment {
                    first_center: center,
                    last_center: center,
                    frames: 0,
                    freq: f,
                    freq_min: f,
                    freq_max: f,
                    freq_first: f,
                    freq_last: f,
                    freq2: None,
                    am_depth: 0.0,
                    rises: 0,
                },
                freq_sum: 0.0,
                freq2_sum: 0.0,
                dual_frames: 0,
                last_tone: tone,
                dropout: 0,
                am_min: f32::INFINITY,
                am_max: 0.0,
                held: [[0.0; 2]; 2],
                steady_frames: 0,
                unbroken: 0,
                last_amp: 0.0,
            };
            extend(&mut run, tone, center, amplitudes);
            self.run = Some(run);
        }
        ended
    }

    /// Ends the stream.
    pub(crate) fn finish(&mut self) -> Option<ToneSegment> {
        self.run.take().map(|r| finish_run(&r))
    }
}

/// Whether a single tone keeps the run within a warble's whole swing (twice
/// [`WARBLE_SWING`] around the middle of its range). A fast, deep vibrato (±7 % at 16 Hz)
/// moves its frequency by up to 7 % from one 10 ms frame to the next, far beyond
/// [`MAX_STEP`], but never leaves the band around its centre; a run that keeps to such a
/// band is one tone.
fn within_swing(run: &Run, tone: FrameTone) -> bool {
    let FrameTone::Single(f) = tone else {
        return false;
    };
    if run.dual_frames > 0 {
        return false;
    }
    let (lo, hi) = (run.seg.freq_min.min(f), run.seg.freq_max.max(f));
    hi - lo <= WARBLE_SWING * (hi + lo)
}

fn same_tone(prev: FrameTone, next: FrameTone) -> bool {
    let close = |a: f32, b: f32| (a - b).abs() <= (MAX_STEP * a).max(12.0);
    match (prev, next) {
        (FrameTone::Single(a), FrameTone::Single(b)) => close(a, b),
        (FrameTone::Dual(a1, a2), FrameTone::Dual(b1, b2)) => close(a1, b1) && close(a2, b2),
        // A dual tone whose weaker half drops below the purity test for a frame, or vice
        // versa, is still the same tone.
        (FrameTone::Dual(a1, a2), FrameTone::Single(b))
        | (FrameTone::Single(b), FrameTone::Dual(a1, a2)) => close(a1, b) || close(a2, b),
        _ => false,
    }
}

fn extend(run: &mut Run, tone: FrameTone, center: SampleOffset, amplitudes: [f32; 2]) {
    // Keep tracking the component the run started with (for a dual tone, the one nearest
    // the last frequency; a frame where only the other half survived leaves it unchanged).
    let last = run.seg.freq_last;
    let near = |b: f32| (last - b).abs() <= (MAX_STEP * last).max(12.0);
    let f = match tone {
        // A single tone that jumped (a warble's swing) is followed; a dual run whose other
        // half survived alone keeps its frequency.
        FrameTone::Single(b) if run.seg.frames == 0 || near(b) || run.dual_frames == 0 => b,
        FrameTone::Dual(b1, b2) => {
            if (last - b1).abs() <= (last - b2).abs() {
                b1
            } else {
                b2
            }
        }
        _ => last,
    };
    if run.seg.frames > 0 && (f - last).abs() <= STEADY_STEP * last {
        run.steady_frames += 1;
    } else {
        run.steady_frames = 0;
    }
    let seg = &mut run.seg;
    // Amplitude extremes, skipping the first two frames (the onset ramp) and holding back
    // the newest two (perhaps the decay).
    if seg.frames >= 4 {
        for a in run.held[0] {
            run.am_min = run.am_min.min(a);
            run.am_max = run.am_max.max(a);
            // A rise back up to the level's upper half: a decay sinking into noise wobbles
            // but never climbs back there.
            if run.last_amp > 0.0 && a > RISE * run.last_amp && 2.0 * a >= run.am_max {
                seg.rises += 1;
            }
            run.last_amp = a;
        }
    }
    run.held = [run.held[1], amplitudes];
    seg.frames += 1;
    seg.last_center = center;
    seg.freq_last = f;
    seg.freq_min = seg.freq_min.min(f);
    seg.freq_max = seg.freq_max.max(f);
    run.freq_sum += f;
    if let FrameTone::Dual(_, b) = tone {
        if (b - f).abs() > 1.0 {
            run.freq2_sum += b;
            run.dual_frames += 1;
        }
    }
    run.last_tone = match (run.last_tone, tone) {
        (FrameTone::Dual(..), FrameTone::Single(_)) => run.last_tone,
        _ => tone,
    };
    run.unbroken = if run.dropout == 0 {
        run.unbroken + 1
    } else {
        1
    };
    run.dropout = 0;
}

fn finish_run(run: &Run) -> ToneSegment {
    let mut seg = run.seg;
    seg.freq = run.freq_sum / seg.frames.max(1) as f32;
    if run.dual_frames * 2 >= seg.frames {
        seg.freq2 = Some(run.freq2_sum / run.dual_frames.max(1) as f32);
    }
    seg.am_depth = if run.am_max > 0.0 && run.am_min.is_finite() {
        1.0 - run.am_min / run.am_max
    } else {
        0.0
    };
    seg
}
