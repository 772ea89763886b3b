//! The full detector: one call's audio in, events out.

use crate::beep::{self, BeepLimits, Burst, ToneKind, TrainAssembler};
use crate::classifier::{Classifier, Outcome};
use crate::dtmf::DtmfDetector;
use crate::envelope::Refiner;
use crate::event::{Beep, Decision, Event, GreetingEnd, SampleOffset};
use crate::fax::FaxTracker;
use crate::history::{DcBlocker, History};
use crate::progress::ProgressDetector;
use crate::sit::SitReceiver;
use crate::spectrum::Spectrum;
use crate::tail::{Followed, Tail};
use crate::tone::{ToneAnalyzer, ToneSegment, ToneTracker};
use crate::vad::{Vad, VadChange};
use crate::{Config, ConfigError};

/// Share of the band's energy near their frequencies below which the DTMF and
/// call-progress receivers are not run on a frame. Their own tests need 45–60 % of the
/// block energy in their tones; the gates are looser so they never decide for them.
pub(crate) const DTMF_GATE: f32 = 0.25;
pub(crate) const PROGRESS_GATE: f32 = 0.4;
/// Share of the band in 300–680 Hz that opens the call-progress receiver on a frame the
/// tone analyser did not call tonal.
pub(crate) const PROGRESS_GATE_UNTONAL: f32 = 0.75;
/// Frames a tone in the plans' band must have held before the call-progress receiver runs
/// on it.
const PROGRESS_TONAL_FRAMES: u32 = 3;

/// Sound this far below the loudest recent speech (-15 dB) is background: a television or
/// music behind a person who has said "hello" and waits. A recorded greeting keeps its
/// level; a person on the line speaks well above the room.
const BACKGROUND_RATIO: f32 = 0.0316;
/// How fast the loudest-speech reference forgets, so a loud moment does not mask what
/// follows for long (per 10 ms frame: 3 dB per second).
const PEAK_DECAY_DB_PER_S: f32 = 3.0;

/// Events one `process` call can return without allocating: a 100 ms chunk produces a
/// handful at most.
const EVENT_CAPACITY: usize = 32;

/// Tonal frames after which a run's onset is placed (the history must still hold it).
const ONSET_REFINE_FRAMES: u32 = 4;
/// Added to the longest busy/congestion off time for the quiet that confirms a beep at a
/// single plan tone's pitch, ms.
const PLAN_QUIET_MARGIN_MS: u32 = 100;
/// Frames of a tone run during which the compound call-progress receiver must have held for
/// the run to be call progress.
const COMPOUND_FRAMES: u32 = 3;
/// Sound after a beep candidate cancels it only if it is at most this far below the beep
/// (-15 dB in power, the same margin that makes sound background next to the foreground
/// speech): a box that records after its beep leaves the line quiet, or with hiss, hum or a
/// faint echo far below its own beep; a greeting that goes on, or music, is at the level
/// of the sounds before.
const DROWNS_BEEP: f32 = 0.0316;

/// The answering-machine detector for one call.
///
/// Call [`Detector::process`] with consecutive chunks of the stream (any length), then
/// [`Detector::finish`] once. Each returns the events completed by the new input, in time
/// order of discovery; the slice is valid until the next call. All memory is allocated in
/// [`Detector::new`]: processing allocates nothing as long as no single call produces more
/// than 32 events (chunks up to 100 ms never do).
#[derive(Debug)]
pub struct Detector {
    config: Config,
    hop: usize,
    fft_len: usize,
    dc: DcBlocker,
    /// The current hop's input so far (`hop_fill` samples), clamped, not yet DC-filtered
    /// or stored (allocated once).
    pending: Vec<f32>,
    history: History,
    spectrum: Spectrum,
    noise: Vec<f32>,
    tones: ToneAnalyzer,
    tracker: ToneTracker,
    dtmf: DtmfDetector,
    progress: ProgressDetector,
    gates: ReceiverGates,
    vad: Vad,
    refiner: Refiner,
    limits: BeepLimits,
    trains: TrainAssembler,
    classifier: Classifier,
    hop_fill: usize,
    /// For the tone run in progress: its first frame, refined onset, steady and background
    /// envelope levels.
    run_onset: Option<(SampleOffset, SampleOffset, f32, f32)>,
    /// ToneStart was emitted for the run in progress.
    run_reported: bool,
    /// Frames of the run in progress during which a compound plan tone was held.
    run_compound: u32,
    fax: FaxTracker,
    sit: SitReceiver,
    /// The tone run in progress was part of a special information tone (never a beep).
    run_sit: bool,
    /// The tone run in progress is at a single plan tone's pitch (425 Hz…): call progress
    /// before anyone speaks, not sound that breaks a silence.
    run_plan_pitch: bool,
    finished: bool,
    /// Energy of the loudest recent speech frame, decaying by `PEAK_DECAY_DB_PER_S`.
    foreground_peak: f32,
    peak_decay: f32,
    /// End of the last foreground speech frame.
    voiced_until: SampleOffset,
    /// The last frame held foreground speech.
    foreground_now: bool,
    /// Consecutive non-tonal frames with sound on the line.
    noisy_frames: u32,
    /// The pending beep's tail, followed in its own bins.
    tail: Tail,
    events: Vec<Event>,
}

impl Detector {
    /// Builds a detector for one stream; all state is allocated here.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let rate = config.sample_rate.hz();
        let hop = rate as usize / 100;
        let fft_len = (rate as usize * 32 / 1000).next_power_of_two();
        let spectrum = Spectrum::new(fft_len, rate);
        let bins = fft_len / 2 + 1;
        let bin_hz = spectrum.bin_hz();
        let dtmf = DtmfDetector::new(rate);
        let progress = ProgressDetector::new(rate);
        // Enough history for the onset search (128 ms), and for the FFT window and the DTMF
        // block, and for the call-progress block (each reads the newest samples).
        let history = History::new(
            (rate as usize * 128 / 1000)
                .max(fft_len + dtmf.block_len())
                .max(progress.block_len()),
        );
        let ms = |v: u32| v as u64 * rate as u64 / 1000;
        let limits = BeepLimits {
            min_hz: config.beep_min_hz,
            max_hz: config.beep_max_hz,
            min_len: ms(config.beep_min_ms),
            max_len: ms(config.beep_max_ms),
            held_key: ms(beep::HELD_KEY_MS),
            max_gap: ms(beep::MAX_GAP_MS),
            confirm_quiet: ms(beep::CONFIRM_QUIET_MS),
            plan_quiet: ms(beep::longest_short_cadence_off_ms() + PLAN_QUIET_MARGIN_MS),
            hop: hop as u64,
            rate,
        };
        let classifier = Classifier::new(&config);
        let vad = Vad::new(bin_hz, hop, rate, config.min_word_ms);
        let refiner = Refiner::new(rate);
        Ok(Self {
            hop,
            fft_len,
            dc: DcBlocker::new(rate),
            pending: vec![0.0; hop],
            history,
            spectrum,
            noise: vec![0.0; bins],
            tones: ToneAnalyzer::new(bins, bin_hz),
            tracker: ToneTracker::default(),
            dtmf,
            progress,
            gates: ReceiverGates::new(bin_hz, bins),
            vad,
            refiner,
            limits,
            trains: TrainAssembler::default(),
            classifier,
            hop_fill: 0,
            run_onset: None,
            run_reported: false,
            run_compound: 0,
            fax: FaxTracker::new(rate),
            sit: SitReceiver::default(),
            run_sit: false,
            run_plan_pitch: false,
            finished: false,
            noisy_frames: 0,
            tail: Tail::new(rate, fft_len),
            foreground_peak: 0.0,
            peak_decay: 10f32.powf(-PEAK_DECAY_DB_PER_S / 1000.0),
            voiced_until: 0,
            foreground_now: false,
            events: Vec::with_capacity(EVENT_CAPACITY),
            config,
        })
    }

    /// The configured sample rate in Hz.
    pub fn sample_rate(&self) -> u32 {
        self.config.sample_rate.hz()
    }

    /// The hop size in samples (10 ms): every decision is made on this grid.
    pub fn frame_len(&self) -> usize {
        self.hop
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The decision, once reached.
    pub fn decision(&self) -> Option<Decision> {
        self.classifier.decision()
    }

    /// The end of the greeting, once found (machines only): after a late beep, the beep's.
    pub fn greeting_end(&self) -> Option<GreetingEnd> {
        self.classifier.greeting_end()
    }

    /// Samples consumed so far.
    pub fn position(&self) -> SampleOffset {
        self.history.end() + self.hop_fill as u64
    }

    /// Filters the pending input and moves it into the history.
    fn store_pending(&mut self) {
        let block = &mut self.pending[..self.hop_fill];
        self.dc.process(block);
        self.history.extend(block);
        self.hop_fill = 0;
    }

    /// Feeds samples (mono, full scale ±1.0); returns the events they completed.
    pub fn process(&mut self, samples: &[f32]) -> &[Event] {
        self.events.clear();
        if self.finished {
            return &self.events;
        }
        // Hop by hop rather than sample by sample: input is conditioned into a hop buffer and
        // filtered and stored a whole hop at a time, so the work is the same (and rounds the
        // same) however the stream is chunked.
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (self.hop - self.hop_fill).min(rest.len());
            let (now, later) = rest.split_at(take);
            let slots = &mut self.pending[self.hop_fill..self.hop_fill + take];
            for (dst, &x) in slots.iter_mut().zip(now) {
                // Non-finite input (a broken decoder) is treated as silence, never propagated.
                *dst = if x.is_finite() {
                    x.clamp(-4.0, 4.0)
                } else {
                    0.0
                };
            }
            self.hop_fill += take;
            if self.hop_fill == self.hop {
                self.store_pending();
                self.step();
            }
            rest = later;
        }
        &self.events
    }

    /// Ends the stream; returns the final events (a verdict is always among the events of
    /// the stream by the time this returns).
    pub fn finish(&mut self) -> &[Event] {
        self.events.clear();
        if self.finished {
            return &self.events;
        }
        self.finished = true;
        self.store_pending();
        let now = self.history.end();
        if let Some(seg) = self.tracker.finish() {
            self.segment_ended(seg, now);
        }
        if let Some(d) = self.dtmf.finish() {
            self.events.push(Event::Dtmf(d));
        }
        if let Some(VadChange::End(at)) = self.vad.finish() {
            self.classifier.speech_end(at);
            self.events.push(Event::SpeechEnd { at });
        }
        if let Some(train) = self.trains.finish() {
            self.confirm_beep(train, now);
        }
        if let Some(o) = self.classifier.tick(now, self.voiced_until, false, false) {
            self.push_outcome(o);
        }
        if let Some(o) = self.classifier.finish(now) {
            self.push_outcome(o);
        }
        &self.events
    }

    fn step(&mut self) {
        let now = self.history.end();
        if now < self.fft_len as u64 {
            return;
        }
        let center = now - self.fft_len as u64 / 2;
        let power = self.spectrum.analyze(self.history.last(self.fft_len));
        self.vad.fill_noise(&mut self.noise);
        let tone = self.tones.analyze(power, &self.noise);
        let amplitudes = self.amplitudes_around(center);
        if let Some(seg) = self.tracker.update(tone, center, amplitudes) {
            self.segment_ended(seg, now);
        }
        // The run in progress, read once: nothing below changes the tracker this frame.
        let tracked = self.tracker.current();
        if let Some(cur) = tracked {
            self.run_in_progress(cur, now);
        }
        if self.sit.update(tone.is_tonal().then(|| tone.main())) {
            // Its notes are no beep, whichever of them is still sounding or pending.
            self.trains.cancel();
            self.run_sit = tracked.is_some();
            if let Some(o) = self.classifier.special_information_tone(now) {
                self.push_outcome(o);
            }
        }
        let (dtmf_share, progress_share) = self.gates.shares(self.spectrum.last_power());
        if let Some(d) = self.dtmf.update(&self.history, dtmf_share >= DTMF_GATE) {
            self.events.push(Event::Dtmf(d));
        }
        // A compound plan tone reads in the FFT as a tone in the plans' band held for a few
        // frames (its components merged into one beating lobe, or resolved as a pair; a
        // voice's harmonic passes for a frame or two), or, when the two lobes
        // overlap without either standing out (350+440 Hz), as nearly all of the band's
        // energy between 300 and 680 Hz. Only then can the receiver find one, so only then
        // does it run (or while it holds one): speech rarely passes.
        let (lo, hi) = crate::progress::BAND_HZ;
        let held_tone = tone.has_component_in(lo, hi)
            && self
                .tracker
                .current()
                .is_some_and(|cur| cur.frames >= PROGRESS_TONAL_FRAMES);
        let plausible = progress_share >= PROGRESS_GATE
            && (progress_share >= PROGRESS_GATE_UNTONAL || held_tone);
        if let Some(end) = self.progress.update(&self.history, plausible) {
            self.classifier.call_progress(end);
        }
        // Keys pressed are someone there; call-progress tones are not (busy alone is
        // silence).
        if self.dtmf.is_active() {
            self.classifier.tone_activity(now);
        }
        // Only a block that lies wholly within the run speaks for it: one that reaches back
        // over the gap a lossy line's dropped frame left in a beep hears the tone switched
        // off and on, whose side tones can pass for a plan pair (414 Hz → 413+438 Hz).
        // The shortest compound plan tone (250 ms) holds blocks of its own for 170 ms.
        if self.progress.is_confirmed()
            && tracked.is_some_and(|cur| {
                now.saturating_sub(self.progress.block_len() as u64) >= cur.first_center
            })
        {
            self.run_compound += 1;
        }
        let v21 = self
            .fax
            .v21_frame(self.gates.v21_shares(self.spectrum.last_power()), now);
        if v21 {
            self.classifier.tone_activity(now);
            if self.fax.v21_confirmed() {
                if let Some(o) = self.classifier.fax_tone(now) {
                    self.push_outcome(o);
                }
            }
        }
        // A steady tone is never speech; a voice's strong harmonic can pass the purity test
        // for a few frames, but its pitch moves. A steady run stays blocking through the
        // odd frame that noise knocks out of the purity test.
        let steady_tone = self.tracker.is_steady();
        // The echo of a ring that just stopped is the ring, not a word.
        let ring_echo = self.tail.hears_ring(now);
        let blocked = steady_tone
            || self.dtmf.is_active()
            || self.progress.is_active()
            || self.fax.in_v21()
            || ring_echo;
        match self.vad.update(self.spectrum.last_power(), center, blocked) {
            Some(VadChange::Start(at)) => {
                // Speech after a beep candidate: that was not the beep that starts a recording
                // (unless it is faint line noise far below the beep).
                // (What the VAD hears while the beep's own tone is still in its bins is that
                // tone's tail sinking into the noise.)
                if self.drowns_beep(self.vad.last_energy()) && !self.tail.is_hearing(now) {
                    self.trains.cancel();
                }
                self.classifier.speech_start(at);
                self.events.push(Event::SpeechStart { at });
            }
            Some(VadChange::End(at)) => {
                self.classifier.speech_end(at);
                self.events.push(Event::SpeechEnd { at });
            }
            None => {}
        }
        // The pending beep's tone, still in its own bins though the tracker lost it in the
        // noise, is still playing: the box records only after it.
        let ring = self.tail.follows_ring();
        if !self.trains.is_pending() && !ring {
            self.tail.stop();
        } else if let Some(cur) = tracked {
            self.tail
                .tracked(self.spectrum.bin_of(cur.freq_last), center);
        } else if let Some(end) = self.tail.update(self.spectrum.last_power(), center) {
            if !ring {
                self.trains.extend_tail(end);
            }
        }
        // A tone that may still join the pending beep (its next pip or note) holds the
        // confirmation until it ends and is judged.
        let joining =
            tracked.is_some_and(|cur| self.trains.could_join(cur.first_center, &self.limits));
        if !joining {
            if let Some(train) = self.trains.poll(now, &self.limits) {
                self.confirm_beep(train, now);
            }
        }
        // Foreground: the loudest recent speech sets a reference; sound more than 15 dB
        // below it (a television, music, a far-off voice while the person on the line waits)
        // is background and neither lengthens a greeting nor breaks a silence.
        self.foreground_peak *= self.peak_decay;
        let energy = self.vad.last_energy();
        let background = energy < BACKGROUND_RATIO * self.foreground_peak;
        let speaking = self.vad.in_speech() && !blocked && !background;
        if speaking {
            self.voiced_until = center + self.hop as u64 / 2;
            if self.vad.frame_loud() {
                self.foreground_peak = self.foreground_peak.max(energy);
            }
            let loud = energy >= crate::classifier::LOUD_RATIO * self.foreground_peak;
            self.classifier.speech_level(
                center.saturating_sub(self.hop as u64 / 2),
                self.voiced_until,
                energy,
                loud,
            );
        }
        let call_progress = self.progress.is_active() || (self.run_plan_pitch && tracked.is_some());
        if (self.vad.line_active() || tracked.is_some()) && !background && !call_progress {
            self.classifier.tone_activity(now);
        }
        if self.vad.line_active() {
            // Sound other than the beep itself while a beep waits for confirmation: it was
            // not the beep that starts a recording.
            let sound = (self.vad.frame_loud() || self.vad.in_speech()) && self.drowns_beep(energy);
            if sound && !tone.is_tonal() && tracked.is_none() && !self.tail.is_hearing(now) {
                self.noisy_frames += 1;
                if self.noisy_frames >= 2 {
                    self.trains.cancel();
                }
            } else {
                self.noisy_frames = 0;
            }
        } else {
            self.noisy_frames = 0;
        }
        self.foreground_now = speaking;
        // A tone still sounding that may yet be judged a beep (in the beep band, no longer
        // than a beep) holds the timers as a pending beep does: the line is not silent
        // while the box beeps, though the tracker ends the run a few frames after the tone.
        let beep_sounding = tracked.is_some_and(|cur| {
            cur.span(self.hop as u64) <= self.limits.max_len && self.limits.admits_pitch(cur.freq)
        });
        let beep_pending = self.trains.is_pending() || beep_sounding;
        if let Some(o) = self
            .classifier
            .tick(now, self.voiced_until, speaking, beep_pending)
        {
            self.push_outcome(o);
        }
    }

    /// RMS of the two half-hops around `center` (for the beating test).
    fn amplitudes_around(&self, center: SampleOffset) -> [f32; 2] {
        let half = self.hop / 2;
        let rms = |from: u64| {
            self.history
                .slice(from, half)
                .map_or(0.0, |s| (crate::sum::sum_squares(s) / half as f32).sqrt())
        };
        [rms(center - half as u64), rms(center)]
    }

    fn run_in_progress(&mut self, cur: ToneSegment, now: SampleOffset) {
        let rate = self.sample_rate() as u64;
        if cur.frames == PROGRESS_TONAL_FRAMES {
            self.run_plan_pitch = beep::is_plan_single_tone(cur.freq);
        }
        // Only steady runs can be beeps, whose onsets matter to the millisecond; the
        // history still holds the onset for a couple of frames after the fourth.
        if (ONSET_REFINE_FRAMES..=ONSET_REFINE_FRAMES + 2).contains(&cur.frames)
            && self
                .run_onset
                .is_none_or(|(first, ..)| first != cur.first_center)
        {
            let before = cur.first_center.saturating_sub(60 * rate / 1000);
            let inside = cur.first_center + 20 * rate / 1000;
            let refined = self
                .refiner
                .onset(&self.history, cur.freq_first, before, inside);
            let (onset, steady, bg) = refined.unwrap_or((
                cur.first_center.saturating_sub(self.hop as u64 / 2),
                0.0,
                0.0,
            ));
            self.run_onset = Some((cur.first_center, onset, steady, bg));
        }
        if !self.run_reported && cur.span(self.hop as u64) >= self.limits.min_len {
            self.run_reported = true;
            let at = self.onset_of(&cur);
            self.events.push(Event::ToneStart {
                at,
                freq_hz: cur.freq,
            });
        }
        if self.fax.ced(&cur, self.hop as u64) {
            if let Some(o) = self.classifier.fax_tone(now) {
                self.push_outcome(o);
            }
        }
    }

    fn onset_of(&self, seg: &ToneSegment) -> SampleOffset {
        match self.run_onset {
            Some((first, onset, ..)) if first == seg.first_center => onset,
            _ => seg.first_center.saturating_sub(self.hop as u64 / 2),
        }
    }

    fn segment_ended(&mut self, seg: ToneSegment, now: SampleOffset) {
        let start = self.onset_of(&seg);
        let (steady, bg) = match self.run_onset {
            Some((first, _, s, b)) if first == seg.first_center && s > 0.0 => (s, b),
            _ => (0.0, 0.0),
        };
        let inside = seg.last_center.saturating_sub(self.hop as u64);
        let end = if steady > 0.0 {
            self.refiner
                .end(&self.history, seg.freq_last, inside, steady, bg)
        } else {
            None
        }
        .filter(|&e| e > start)
        .unwrap_or(seg.last_center + self.hop as u64 / 2);
        if self.run_reported {
            self.events.push(Event::ToneEnd {
                at: end,
                freq_hz: seg.freq,
            });
        }
        self.run_reported = false;
        self.run_onset = None;
        let sit = std::mem::take(&mut self.run_sit);
        self.run_plan_pitch = false;
        self.fax.ced(&seg, self.hop as u64);
        let compound = std::mem::take(&mut self.run_compound) >= COMPOUND_FRAMES;
        let kind = if compound {
            ToneKind::CallProgress
        } else {
            beep::classify(&seg, &self.limits)
        };
        // A steady tone at a single plan tone's pitch (Europe's 425 Hz ring) before anyone
        // spoke is call progress too: the call has not been answered while it sounds.
        let progress = kind == ToneKind::CallProgress
            || (seg.span(self.hop as u64) >= self.limits.min_len
                && beep::is_plan_single_tone(seg.freq));
        // Before anyone spoke the call may still be ringing, so a beep candidate at a ring's
        // pitch may be the ring: what the line returns at its pitch after it is its echo.
        // (Later, a voice's harmonic gliding through 400 Hz is no ring.)
        let ring = progress && !self.classifier.anyone_spoke();
        if progress {
            self.classifier.call_progress(end);
            if !self.trains.is_pending() {
                let bin = self.spectrum.bin_of(seg.freq_last);
                let len = self.spectrum.last_power().len();
                self.tail.start_ring(bin, len, steady * steady / 2.0, end);
            }
        }
        if sit {
            return;
        }
        let fax = matches!(kind, ToneKind::FaxCng | ToneKind::FaxCed);
        if fax {
            if let Some(o) = self.classifier.fax_tone(now) {
                self.push_outcome(o);
                return;
            }
        }
        // A fax-like tone after a greeting is a 1100 or 2100 Hz beep; so is a dual tone at a
        // DTMF pair held far longer than a key press (people tap keys for 40–250 ms,
        // dialers send 50–100 ms): some boxes beep with such a pair.
        let held_pair = kind == ToneKind::Dtmf && seg.span(self.hop as u64) >= self.limits.held_key;
        let burst_like = kind == ToneKind::BeepBurst
            || ((fax || held_pair) && beep::is_beep_like(&seg, &self.limits));
        // A tone that is no beep, right before or after a beep candidate (the notes of a
        // tune): the line did not go quiet, so neither is a voicemail beep. Tonal blips
        // shorter than a beep (a tone's ramp, a click, noise that a frame took for a tone)
        // are no notes.
        if !burst_like && kind != ToneKind::Dtmf && seg.span(self.hop as u64) >= self.limits.min_len
        {
            self.trains.tone_not_beep(end);
        }
        if burst_like {
            let burst = Burst {
                start,
                end,
                freq: seg.freq,
                level: steady * steady / 2.0,
            };
            if let Some(train) = self.trains.push(burst, &self.limits) {
                self.confirm_beep(train, now);
            }
            if self.trains.pending_ends_at(end) {
                let power = self.spectrum.last_power();
                let bin = self.spectrum.bin_of(seg.freq_last);
                let followed = if ring {
                    Followed::BeepAtRingPitch
                } else {
                    Followed::Beep
                };
                self.tail
                    .start(bin, power.len(), burst.level, end, followed);
            }
        }
    }

    fn confirm_beep(&mut self, train: beep::Train, now: SampleOffset) {
        let mut outcomes = [None; 3];
        let mut n = 0;
        let foreground = self.foreground_now;
        self.classifier.beep(train, now, foreground, &mut |o| {
            if n < outcomes.len() {
                outcomes[n] = Some(o);
                n += 1;
            }
        });
        for o in outcomes.into_iter().flatten() {
            self.push_outcome(o);
        }
    }

    /// Whether sound of band energy `energy` is loud enough, next to the pending beep, to
    /// show that the line did not go quiet after it (always, when no level is known).
    fn drowns_beep(&self, energy: f32) -> bool {
        match self.trains.pending_level() {
            Some(level) if level > 0.0 => energy >= DROWNS_BEEP * level,
            _ => true,
        }
    }

    fn push_outcome(&mut self, o: Outcome) {
        self.events.push(match o {
            Outcome::Verdict(d) => Event::Verdict(d),
            Outcome::Beep(t) => Event::Beep(Beep {
                start: t.start,
                end: t.tail_end,
                freq_hz: t.freq,
            }),
            Outcome::GreetingEnd(g) => Event::GreetingEnd(g),
        });
    }
}

/// Cheap tests on the FFT frame that decide whether the Goertzel receivers need to run.
#[derive(Debug, Clone)]
pub(crate) struct ReceiverGates {
    /// Bins within one bin of a DTMF frequency.
    dtmf_bins: [usize; 24],
    progress: (usize, usize),
    band: (usize, usize),
    /// V.21 channel 2: the whole FSK band, the mark and the space frequency.
    v21: [(usize, usize); 3],
}

impl ReceiverGates {
    pub(crate) fn new(bin_hz: f32, bins: usize) -> Self {
        let bin = |hz: f32| ((hz / bin_hz).round() as usize).min(bins - 1);
        let mut dtmf_bins = [0; 24];
        for (i, f) in crate::dtmf::FREQUENCIES.iter().enumerate() {
            let k = bin(*f);
            dtmf_bins[3 * i] = k.saturating_sub(1);
            dtmf_bins[3 * i + 1] = k;
            dtmf_bins[3 * i + 2] = (k + 1).min(bins - 1);
        }
        Self {
            dtmf_bins,
            progress: (
                bin(crate::progress::BAND_HZ.0),
                bin(crate::progress::BAND_HZ.1),
            ),
            band: (bin(250.0), bin(3500.0)),
            v21: [
                (bin(1550.0), bin(1950.0)),
                (bin(1620.0), bin(1680.0)),
                (bin(1820.0), bin(1880.0)),
            ],
        }
    }

    /// Shares of the 250–3500 Hz energy in the V.21 band, at its mark and at its space
    /// frequency.
    pub(crate) fn v21_shares(&self, power: &[f32]) -> (f32, f32, f32) {
        let total = crate::sum::sum(&power[self.band.0..=self.band.1]);
        if total <= 0.0 {
            return (0.0, 0.0, 0.0);
        }
        let [a, b, c] = self
            .v21
            .map(|(lo, hi)| crate::sum::sum(&power[lo..=hi]) / total);
        (a, b, c)
    }

    /// Shares of the 250–3500 Hz energy near the DTMF frequencies and in the call-progress
    /// band.
    pub(crate) fn shares(&self, power: &[f32]) -> (f32, f32) {
        let total = crate::sum::sum(&power[self.band.0..=self.band.1]);
        if total <= 0.0 {
            return (0.0, 0.0);
        }
        let dtmf: f32 = self.dtmf_bins.iter().map(|&k| power[k]).sum();
        let progress = crate::sum::sum(&power[self.progress.0..=self.progress.1]);
        (dtmf / total, progress / total)
    }
}
