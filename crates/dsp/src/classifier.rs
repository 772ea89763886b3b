//! From speech/silence timing and tones to the verdict, and for machines the greeting's end.
//!
//! The rules, in the order they can fire (all times from the config, in samples):
//! - **Fax**: a fax tone (CNG or CED) before anyone spoke.
//! - **Machine, long greeting**: a run of speech — words separated by pauses shorter than
//!   `after_greeting_silence` — lasts longer than `greeting`. People answer with a word or
//!   a short phrase and wait; recorded greetings talk on.
//! - **Machine, too many words**: more than `max_words` words in the first run.
//! - **Machine, beep**: a voicemail beep, followed by quiet, after at least
//!   [`MIN_SPEECH_BEFORE_BEEP_MS`] of speech (a beep heard before anyone spoke, or while a
//!   person is talking, is a microwave or a TV, not a voicemail box).
//! - **Human**: the first run of speech ended, shorter than `greeting`, and was followed by
//!   `after_greeting_silence` of quiet: someone said "hello?" and is waiting for an answer.
//! - **Machine, special information tone**: the three rising notes of a network
//!   intercept, whose announcement is a recording.
//! - **Silence**: nobody spoke for `initial_silence` after pickup (the end of the last
//!   ring; after a ring, at least the longest ringback silence of the plans). Call-progress
//!   tones are not sound here: busy or congestion alone is nobody there. A stream that
//!   ends before anyone spoke is `Silence` too.
//! - **Unknown**: never from the classifier's own rules (kept for consumers that time out).
//!
//! Only human-looking evidence can end the analysis early in favour of a person, and every
//! machine rule needs positive evidence of a recording: in doubt, the verdict is human.
//!
//! **What counts as the person's speech.** A run restarts at a frame 20 dB louder than
//! everything the run held before ([`Classifier::speech_level`]): room noise that began at
//! pickup, which the VAD takes for speech until its floor adapts, is not joined to the
//! words that follow, so the length of the first run measures the words, the cue the
//! long-greeting rule relies on.
//!
//! **A person waits; a greeting goes on at its level.** The run is measured to its last
//! frame near the voice's own level (within 11 dB of the loudest recent speech), and a
//! voice that has not come near that level for 1.2 s has paused, whatever sound filled
//! the pause: a person who said "hello?" waits for an answer, and the music or television
//! in their room, 11–15 dB below them (too loud to be background), is not their words. A
//! second "hello?" then starts a new run instead of being joined to the first through the
//! room into a "long greeting". A recorded greeting is continuous speech at a steady
//! level: its phrases follow each other within a second, each reaching the level of the
//! last, so its run is unchanged. (A person's 3-second first sentence is still taken for
//! a greeting: its length and pauses are those of a one-sentence greeting, and waiting
//! past them would slow every machine decision: see the crate documentation.)
//!
//! After a machine verdict the classifier keeps listening for the end of the greeting: the
//! beep's end; or, if no beep comes, `greeting_end_silence` of quiet after the last speech;
//! or, failing both, `greeting_timeout` from the start of the stream.
//!
//! **Late beeps.** Some boxes leave seconds of silence between "...after the tone" and the
//! tone. So after a greeting end by silence the classifier keeps listening for
//! `late_beep` more: a beep that still comes is reported (a `Beep`, then a second
//! `GreetingEnd` of kind `Beep` at its end). A consumer sees "greeting ended by silence at
//! t1" and then "a beep came at t2", and can restart a message that started at t1.

use crate::Config;
use crate::beep::Train;
use crate::event::{Cause, Decision, GreetingEnd, GreetingEndKind, SampleOffset, Verdict};

/// Speech needed before a beep can be a voicemail beep, ms.
pub(crate) const MIN_SPEECH_BEFORE_BEEP_MS: u32 = 1000;
/// Quiet needed between the end of speech and a beep's onset, ms. A voicemail box plays its
/// beep after the greeting has stopped; a tone that grows out of speech is a held vowel.
pub(crate) const MIN_GAP_BEFORE_BEEP_MS: u32 = 40;

/// Added to the longest ringback silence of the tone plans before quiet after a ring is
/// taken for nobody there, ms.
const RING_WAIT_MARGIN_MS: u32 = 500;
/// Added to the longest busy/congestion period before a tone is taken for a new ring, ms.
const RHYTHM_MARGIN_MS: u32 = 100;
/// Added to the longest ring of the plans before a sound is taken for busy or congestion,
/// ms.
const RING_SPAN_MARGIN_MS: u32 = 500;

/// Foreground speech at least this share of the loudest recent speech (-11 dB) is near
/// the voice's own level: a recorded greeting's syllables and a person's words are; music
/// or a television in the room, even when not quiet enough to be background, are not.
pub(crate) const LOUD_RATIO: f32 = 0.08;
/// Time without sound near the voice's level after which a voice has paused to wait, ms:
/// longer than the pauses between a greeting's phrases and its softer phrases.
const PERSON_WAIT_MS: u32 = 1200;

/// A frame this much louder than the whole run before it (20 dB in power) restarts the run.
const RUN_RESTART_RATIO: f32 = 100.0;

/// What the classifier concluded from one input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Outcome {
    Verdict(Decision),
    /// A beep to report (always in a machine context), then the greeting end.
    Beep(Train),
    GreetingEnd(GreetingEnd),
}

/// Timing rules in samples.
#[derive(Debug, Clone, Copy)]
struct Limits {
    initial_silence: u64,
    greeting: u64,
    after_greeting_silence: u64,
    total_analysis: u64,
    greeting_end_silence: u64,
    greeting_timeout: u64,
    min_speech_before_beep: u64,
    min_gap_before_beep: u64,
    late_beep: u64,
    /// Time without sound near the voice's level that is a person waiting.
    person_wait: u64,
    /// Quiet after a ring before silence can be concluded (the next ring may still come).
    ring_wait: u64,
    /// A call-progress tone ending this soon after the previous one belongs to the same
    /// sound: a ring's pieces, a double ring, or busy or congestion repeating. Rings come
    /// back later than this.
    progress_rhythm: u64,
    /// A sound of call-progress tones longer than this is no ring (busy, congestion, dial
    /// tone): nobody is about to answer.
    ring_span: u64,
    max_words: u32,
}

/// The classifier's state.
#[derive(Debug, Clone)]
pub(crate) struct Classifier {
    limits: Limits,
    decision: Option<Decision>,
    greeting_end: Option<GreetingEnd>,
    in_speech: bool,
    /// Start of the current run of speech.
    run_start: Option<SampleOffset>,
    /// End of the last speech segment.
    last_speech_end: Option<SampleOffset>,
    segment_start: SampleOffset,
    words_in_run: u32,
    /// End of the last frame of foreground speech near the voice's level (within
    /// [`LOUD_RATIO`] of the loudest recent speech).
    loud_until: SampleOffset,
    speech_total: u64,
    /// End of the last tone or speech: the initial-silence timer counts from here.
    quiet_since: SampleOffset,
    /// Loudest foreground frame of the current run (band energy).
    run_peak: f32,
    /// Where the call is taken to have been answered: the end of the last call-progress
    /// tone (ringback heard before pickup) before anyone spoke, else the stream's start.
    /// The analysis and greeting time limits count from here.
    origin: SampleOffset,
    /// End of the last call-progress tone (0: none yet), and of the first tone of the sound
    /// it belongs to.
    last_progress_end: SampleOffset,
    progress_from: SampleOffset,
    /// The last call-progress sound was a ring (not busy or congestion repeating).
    ring_pending: bool,
}

impl Classifier {
    pub(crate) fn new(config: &Config) -> Self {
        let ms = |v: u32| v as u64 * config.sample_rate.hz() as u64 / 1000;
        Self {
            limits: Limits {
                initial_silence: ms(config.initial_silence_ms),
                greeting: ms(config.greeting_ms),
                after_greeting_silence: ms(config.after_greeting_silence_ms),
                total_analysis: ms(config.total_analysis_ms),
                greeting_end_silence: ms(config.greeting_end_silence_ms),
                greeting_timeout: ms(config.greeting_timeout_ms),
                min_speech_before_beep: ms(MIN_SPEECH_BEFORE_BEEP_MS),
                min_gap_before_beep: ms(MIN_GAP_BEFORE_BEEP_MS),
                late_beep: ms(config.late_beep_ms),
                person_wait: ms(PERSON_WAIT_MS),
                ring_wait: ms(crate::beep::longest_ringback_off_ms() + RING_WAIT_MARGIN_MS),
                progress_rhythm: ms(crate::beep::longest_busy_period_ms() + RHYTHM_MARGIN_MS),
                ring_span: ms(crate::beep::longest_ring_span_ms() + RING_SPAN_MARGIN_MS),
                max_words: config.max_words,
            },
            decision: None,
            greeting_end: None,
            in_speech: false,
            run_start: None,
            last_speech_end: None,
            segment_start: 0,
            words_in_run: 0,
            loud_until: 0,
            speech_total: 0,
            quiet_since: 0,
            run_peak: 0.0,
            origin: 0,
            last_progress_end: 0,
            progress_from: 0,
            ring_pending: false,
        }
    }

    /// A call-progress tone (ringback, busy…) ended at `end`: until someone speaks, the
    /// call was not yet answered.
    ///
    /// Pickup is where ringback stops, so a ring's end moves the origin of the analysis
    /// and silence timers. Tones whose ends follow each other at busy or congestion pace
    /// make one sound; once that sound has lasted longer than any ring, it is nobody
    /// answering: it moves nothing more, and (like every call-progress tone) it does not
    /// count as sound for the silence rule, so a line that only plays busy is `Silence`.
    pub(crate) fn call_progress(&mut self, end: SampleOffset) {
        if self.decision.is_some() || self.run_start.is_some() {
            return;
        }
        let same_sound = self.last_progress_end > 0
            && end.saturating_sub(self.last_progress_end) <= self.limits.progress_rhythm;
        if !same_sound {
            self.progress_from = end;
        }
        self.last_progress_end = self.last_progress_end.max(end);
        self.ring_pending = end.saturating_sub(self.progress_from) <= self.limits.ring_span;
        if self.ring_pending {
            self.origin = self.origin.max(end);
        } else {
            // The onsets of its tones, heard before the receiver recognised them, were no
            // one there either.
            self.quiet_since = self.quiet_since.min(self.progress_from);
        }
    }

    /// Whether anyone has spoken yet: before that, the call may still be ringing, and a
    /// tone at a ring's pitch may be the ring.
    pub(crate) fn anyone_spoke(&self) -> bool {
        self.run_start.is_some()
    }

    /// A special information tone was recognised at `now`: a network announcement follows.
    pub(crate) fn special_information_tone(&mut self, now: SampleOffset) -> Option<Outcome> {
        self.decide(Verdict::Machine, Cause::SpecialInformationTone, now)
    }

    pub(crate) fn decision(&self) -> Option<Decision> {
        self.decision
    }

    pub(crate) fn greeting_end(&self) -> Option<GreetingEnd> {
        self.greeting_end
    }

    /// Whether a beep ending at `end` would be reported (machine verdict, greeting still
    /// running or ended by silence less than `late_beep` before).
    pub(crate) fn wants_beep(&self, end: SampleOffset) -> bool {
        match self.greeting_end {
            None => match self.decision {
                Some(d) => d.verdict == Verdict::Machine,
                None => self.speech_total_now() >= self.limits.min_speech_before_beep,
            },
            Some(g) => {
                g.kind == GreetingEndKind::Silence
                    && end > g.at
                    && end - g.at <= self.limits.late_beep
            }
        }
    }

    fn speech_total_now(&self) -> u64 {
        self.speech_total
    }

    fn decide(&mut self, verdict: Verdict, cause: Cause, at: SampleOffset) -> Option<Outcome> {
        if self.decision.is_some() {
            return None;
        }
        let d = Decision { verdict, cause, at };
        self.decision = Some(d);
        Some(Outcome::Verdict(d))
    }

    fn end_greeting(&mut self, kind: GreetingEndKind, at: SampleOffset) -> Option<Outcome> {
        if self.greeting_end.is_some() || self.decision.map(|d| d.verdict) != Some(Verdict::Machine)
        {
            return None;
        }
        let g = GreetingEnd { kind, at };
        self.greeting_end = Some(g);
        Some(Outcome::GreetingEnd(g))
    }

    /// Speech started at `at`.
    pub(crate) fn speech_start(&mut self, at: SampleOffset) {
        self.in_speech = true;
        self.segment_start = at;
        let new_run = match (self.run_start, self.last_speech_end) {
            (None, _) => true,
            (Some(_), Some(end)) => at.saturating_sub(end) >= self.limits.after_greeting_silence,
            (Some(_), None) => false,
        };
        if new_run {
            self.run_start = Some(at);
            self.words_in_run = 0;
            self.run_peak = 0.0;
        }
        self.words_in_run += 1;
    }

    /// A frame of foreground speech starting at `at` had band energy `energy`.
    ///
    /// A voice is never 20 dB quieter than itself for a whole run: within its first
    /// syllable it reaches its level (a greeting's own rises, a louder phrase after a soft
    /// one, stay within that). If this frame is louder than everything the run held so far
    /// by more than that, what came before was the room (noise that began at pickup, a
    /// far television), not the words, and the run starts here. A person's "hello?" is
    /// then judged alone instead of joined to the room into a "long greeting".
    ///
    /// `loud` says the frame is near the voice's level (not more than 11 dB below the
    /// loudest recent speech), ending at `end`. A voice on the line that has not come near
    /// its own level for 1.2 s has paused, whatever played meanwhile:
    /// music or a television 11–15 dB below it (not quiet enough to be background) is the
    /// room, not the words. The person said "hello?" and waited; a second "hello?" starts
    /// a new run instead of being joined to the first through the room's sound. A
    /// greeting's phrases follow each other at its steady level within a second (1.2 s,
    /// not the 0.8 s that ends an utterance: a greeting's softer phrase may sit 11 dB
    /// below its loudest for longer than its pauses last).
    pub(crate) fn speech_level(
        &mut self,
        at: SampleOffset,
        end: SampleOffset,
        energy: f32,
        loud: bool,
    ) {
        if self.decision.is_some() {
            return;
        }
        let Some(run_start) = self.run_start else {
            return;
        };
        let waited = self.loud_until > run_start
            && at.saturating_sub(self.loud_until) >= self.limits.person_wait;
        if (self.run_peak > 0.0 && energy > RUN_RESTART_RATIO * self.run_peak) || (loud && waited) {
            self.run_start = Some(at);
            self.words_in_run = 1;
        }
        self.run_peak = self.run_peak.max(energy);
        if loud {
            self.loud_until = end;
        }
    }

    /// Speech ended at `at`.
    pub(crate) fn speech_end(&mut self, at: SampleOffset) {
        self.in_speech = false;
        self.speech_total += at.saturating_sub(self.segment_start);
        self.last_speech_end = Some(at);
        self.quiet_since = self.quiet_since.max(at);
    }

    /// Something (speech starting, a tone, a DTMF digit, music) is sounding at `now`: the
    /// line is not silent.
    pub(crate) fn tone_activity(&mut self, now: SampleOffset) {
        self.quiet_since = self.quiet_since.max(now);
    }

    /// A fax tone was recognised at `now`.
    pub(crate) fn fax_tone(&mut self, now: SampleOffset) -> Option<Outcome> {
        if self.speech_total == 0 && !self.in_speech {
            return self.decide(Verdict::Fax, Cause::FaxTone, now);
        }
        None
    }

    /// A complete beep was recognised at `now`. Returns the outcomes in order (a verdict may
    /// come first).
    ///
    /// `foreground` says whether foreground speech is going on now: a beep heard while a
    /// person talks is a microwave or a television, not a voicemail box.
    pub(crate) fn beep(
        &mut self,
        train: Train,
        now: SampleOffset,
        foreground: bool,
        out: &mut impl FnMut(Outcome),
    ) {
        if foreground || !self.wants_beep(train.end) {
            return;
        }
        // Speech that ended just before the tone, or went on through it: a held vowel, not a
        // beep. (Sound the VAD took for speech from the beep's last moments on, such as a
        // bell's tail sinking into the noise, was already judged too faint to matter.)
        let tail_from = train.end.saturating_sub(self.limits.min_gap_before_beep);
        if self.last_speech_end.is_some_and(|end| {
            end + self.limits.min_gap_before_beep > train.start && self.segment_start < tail_from
        }) {
            return;
        }
        if let Some(v) = self.decide(Verdict::Machine, Cause::BeepHeard, now) {
            out(v);
        }
        out(Outcome::Beep(train));
        if self.greeting_end.is_some() {
            // A late beep: it replaces the end by silence (once).
            let g = GreetingEnd {
                kind: GreetingEndKind::Beep,
                at: train.tail_end,
            };
            self.greeting_end = Some(g);
            out(Outcome::GreetingEnd(g));
        } else if let Some(g) = self.end_greeting(GreetingEndKind::Beep, train.tail_end) {
            out(g);
        }
    }

    /// Advances the timers to `now` (the end of the newest frame). `voiced_until` is the end
    /// of the last foreground speech; `speaking` says whether foreground speech is going on
    /// now (speech the VAD hears that is not 15 dB below the loudest recent speech).
    pub(crate) fn tick(
        &mut self,
        now: SampleOffset,
        voiced_until: SampleOffset,
        speaking: bool,
        beep_pending: bool,
    ) -> Option<Outcome> {
        let l = self.limits;
        if self.decision.is_none() {
            if let Some(run_start) = self.run_start {
                if self.in_speech {
                    // The run's length runs to its last sound near the voice's level.
                    let length = self.loud_until.saturating_sub(run_start);
                    if length >= l.greeting {
                        return self.decide(Verdict::Machine, Cause::LongGreeting, now);
                    }
                    if l.max_words > 0 && self.words_in_run > l.max_words {
                        return self.decide(Verdict::Machine, Cause::MaxWords, now);
                    }
                }
                if !speaking {
                    let quiet_from = voiced_until
                        .max(self.quiet_since)
                        .max(self.last_speech_end.unwrap_or(0));
                    if now.saturating_sub(quiet_from) >= l.after_greeting_silence && !beep_pending {
                        return self.decide(Verdict::Human, Cause::ShortGreeting, now);
                    }
                }
            } else {
                let wait = if self.ring_pending {
                    l.initial_silence.max(l.ring_wait)
                } else {
                    l.initial_silence
                };
                if now.saturating_sub(self.quiet_since.max(self.origin)) >= wait {
                    return self.decide(Verdict::Silence, Cause::InitialSilence, now);
                }
            }
            if now.saturating_sub(self.origin) >= l.total_analysis {
                // Speech that fitted no machine pattern: the safe side. No speech at all, only
                // tones or noise: nothing useful on the line.
                let verdict = if self.run_start.is_some() {
                    Verdict::Human
                } else {
                    Verdict::Silence
                };
                return self.decide(verdict, Cause::TooLong, now);
            }
            return None;
        }
        if self.greeting_end.is_none() && self.decision.map(|d| d.verdict) == Some(Verdict::Machine)
        {
            if !self.in_speech && !beep_pending {
                let last = self.last_speech_end.unwrap_or(0);
                if now.saturating_sub(last) >= l.greeting_end_silence {
                    return self.end_greeting(GreetingEndKind::Silence, now);
                }
            }
            // A beep still sounding or waiting for its confirmation at the timeout is waited
            // for, as long as a late beep after silence would be: a box's beep after a long
            // greeting is what the caller waits for.
            let elapsed = now.saturating_sub(self.origin);
            if elapsed >= l.greeting_timeout
                && (!beep_pending || elapsed >= l.greeting_timeout + l.late_beep)
            {
                return self.end_greeting(GreetingEndKind::Timeout, now);
            }
        }
        None
    }

    /// The stream ended at `now` without a verdict: decide on what was heard.
    pub(crate) fn finish(&mut self, now: SampleOffset) -> Option<Outcome> {
        if self.decision.is_some() {
            return None;
        }
        if self.run_start.is_some() {
            // A run that was still short: the safe side.
            return self.decide(Verdict::Human, Cause::StreamEnded, now);
        }
        // Nobody spoke: call-progress tones, hiss, hum or clicks are no one there (the same
        // conclusion as the analysis limit's when no speech was heard).
        self.decide(Verdict::Silence, Cause::StreamEnded, now)
    }
}
