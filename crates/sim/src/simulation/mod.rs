//! The simulation core: one [`Call`] driven against a simulated far end, sans-I/O and
//! clock-free, so the scenario runner (virtual clock) and the server (tokio) run the same
//! code.
//!
//! # Shape
//!
//! ```text
//!        ┌──────────── Simulation ─────────────────────────────────────────────┐
//!  app ◀─┤ SimOutput::FetchApp      Call (ringside-call)                        │
//!  app ─▶│ app_responded/app_failed   ▲ events        │ actions                 │
//!        │                            │               ▼                         │
//!        │  Amd (dsp::Detector) ◀─ from callee ◀─ Line (10 ms frames) ◀─ FarEnd │
//!        │  LineListener (keys, voice)  ◀─ from callee      │  ▲ to callee: Say/Play,   │
//!        │  LineListener (far end keys) ◀─ to callee ───────┘  │ SendDigits, beep       │
//!        │  Tape (voicemail)    ◀─ to callee                                    │
//!        └──────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! The callee's recording streams through a real [`ringside_dsp::Detector`] and only its
//! verdict and greeting end reach the call: the phone book never says who answered.
//! Keys go through the line as DTMF audio in both directions and are recognised by DSP.
//!
//! # Driving it (quinn-proto style: inputs, outputs, time always an argument)
//!
//! 1. [`Simulation::new`] with a [`Call`] (status 0), a [`FarEnd`] and a [`SimConfig`];
//!    then [`Simulation::start`]`(now)`.
//! 2. Drain [`Simulation::poll_output`]: perform each [`SimOutput`] (request the app,
//!    load audio for `<Play>`, store a notification) and, when it completes, report it
//!    with [`Simulation::app_responded`] / [`Simulation::app_failed`] /
//!    [`Simulation::media_loaded`] / [`Simulation::media_failed`] at the time it did.
//! 3. Sleep until [`Simulation::poll_timeout`] (or until a reply arrives) and call
//!    [`Simulation::handle_timeout`]`(now)`. While the call is connected the timeout comes
//!    every 10 ms (one audio frame); a virtual clock jumps straight there, a real one
//!    sleeps.
//! 4. Stop after [`SimOutput::Ended`] once no app reply is awaited
//!    ([`Simulation::is_finished`]).
//!
//! Live API requests map to [`Simulation::call_event`] (`CallEvent::Redirect`,
//! `CallEvent::OperatorHangup`). Every input first brings the line up to `now`, so
//! inputs may come at any time not earlier than the last.

mod amd;
mod dialling;
mod drawn;
mod farend;
mod leg;
mod line;
mod listener;
mod output;
mod recording;
mod sids;
pub mod signals;
mod tape;

use std::collections::VecDeque;
use std::sync::Arc;

use ringside_call::{Action, Call, CallEvent, DialStatus, Duration, FetchId, Instant, PlaybackId};
use ringside_dsp::ConfigError;

pub use amd::DetectorReport;
pub use farend::{FarEnd, RingEnd};
pub use leg::DialLeg;
pub use line::{Clip, Direction, FRAME, Frame, Line, Span, Tag};
pub use output::{SimEntry, SimOutput};
pub use recording::Recording;
pub use sids::{SidSource, random_sid};
pub use tape::{Capture, Tape, TapeReport};

use amd::{Amd, Found};
use listener::{Heard, LineListener};
use recording::ActiveRecording;

/// Settings of a simulation.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The detector settings, for the answering-machine detector and the listeners.
    pub detector: ringside_dsp::Config,
    /// Recording URLs are this prefix and the Recording Sid.
    pub recording_url_prefix: String,
    /// Where the sids of recordings, transcriptions and `<Dial>` legs come from: random
    /// (getrandom) unless a test wants them fixed.
    pub sids: SidSource,
    /// Keep the audio of both directions for [`Simulation::line`] (`scenario --record`);
    /// off by default, since it costs 57.6 MB per direction per 30 minutes.
    pub keep_audio: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            detector: ringside_dsp::Config::default(),
            recording_url_prefix: "http://ringside.invalid/Recordings/".to_owned(),
            sids: random_sid,
            keep_audio: false,
        }
    }
}

impl SimConfig {
    /// Applies a 2010 call's `MachineDetection*` parameters to the detector settings (the
    /// mapping is [`MachineDetection::tuning`](ringside_call::MachineDetection::tuning)'s).
    pub fn tune(&mut self, tuning: &ringside_call::AmdTuning) {
        let d = &mut self.detector;
        if let Some(ms) = tuning.greeting_ms {
            d.greeting_ms = ms;
        }
        if let Some(ms) = tuning.after_greeting_silence_ms {
            d.after_greeting_silence_ms = ms;
        }
        if let Some(ms) = tuning.initial_silence_ms {
            d.initial_silence_ms = ms;
        }
        d.total_analysis_ms = tuning.total_analysis_ms;
        d.greeting_timeout_ms = tuning.greeting_timeout_ms;
    }
}

/// Where the line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Not dialled yet.
    Idle,
    /// Ringing; ends then, or never.
    Ringing(Option<(Instant, RingEnd)>),
    /// Connected since the answer.
    Connected,
    /// Hung up (or never connected).
    Down,
}

/// One simulated outbound call. See the module docs for the driving loop.
#[derive(Debug)]
pub struct Simulation {
    call: Call,
    far: FarEnd,
    config: SimConfig,
    now: Instant,
    phase: Phase,
    answered_at: Option<Instant>,
    /// When the app's flow last started (its latest `Start` request): a flow restarted after
    /// a late beep plays the message again, and only that message counts on the tape.
    flow_started_at: Option<Instant>,
    far_hangup_at: Option<Instant>,
    line: Option<Line>,
    amd: Option<Amd>,
    caller_listener: Option<LineListener>,
    callee_listener: Option<LineListener>,
    callee_speaking: bool,
    last_callee_voice: Option<Instant>,
    far_digits: Vec<(Instant, char)>,
    tape: Option<Tape>,
    recording: Option<ActiveRecording>,
    recordings: Vec<Recording>,
    /// The whole call being recorded (2010 `Record=true`): since when, and both directions
    /// mixed.
    call_recording: Option<(Instant, Vec<f32>)>,
    legs: Vec<DialLeg>,
    /// The legs of the `<Dial>` in progress start at this index (`None`: no dial).
    dialling_from: Option<usize>,
    pending_media: Vec<(PlaybackId, u32)>,
    detector: DetectorReport,
    /// Events for the call produced while handling actions, delivered in order.
    queued: VecDeque<CallEvent>,
    outputs: VecDeque<SimOutput>,
    timeline: Vec<(Instant, SimEntry)>,
    call_timeline_seen: usize,
    ended: bool,
}

impl Simulation {
    /// A simulation of `call` (not started) against `far`. Fails only if the detector
    /// settings in `config` are invalid.
    ///
    /// A far end built from a recipe is drawn here, with the call's sid as its seed: the
    /// same call (a scenario's, whose sid comes from its file) always meets the same far
    /// end.
    pub fn new(call: Call, mut far: FarEnd, config: SimConfig) -> Result<Self, ConfigError> {
        config.detector.validate()?;
        let sid = call.sid().as_u128();
        far.for_call((sid as u64) ^ ((sid >> 64) as u64));
        let now = call.created_at();
        Ok(Simulation {
            call,
            far,
            config,
            now,
            phase: Phase::Idle,
            answered_at: None,
            flow_started_at: None,
            far_hangup_at: None,
            line: None,
            amd: None,
            caller_listener: None,
            callee_listener: None,
            callee_speaking: false,
            last_callee_voice: None,
            far_digits: Vec::new(),
            tape: None,
            recording: None,
            recordings: Vec::new(),
            call_recording: None,
            legs: Vec::new(),
            dialling_from: None,
            pending_media: Vec::new(),
            detector: DetectorReport::default(),
            queued: VecDeque::new(),
            outputs: VecDeque::new(),
            timeline: Vec::new(),
            call_timeline_seen: 0,
            ended: false,
        })
    }

    // ---- getters ----

    /// The call being driven (status, DialStatus, notifications, times…).
    pub fn call(&self) -> &Call {
        &self.call
    }

    /// Everything that happened, in order: the call's own timeline interleaved with the
    /// line's (far end, detectors, audio).
    pub fn timeline(&self) -> &[(Instant, SimEntry)] {
        &self.timeline
    }

    /// What the answering-machine detector said.
    pub fn detector_report(&self) -> &DetectorReport {
        &self.detector
    }

    /// The keys the far end recognised on the line (what an IVR heard), in order.
    pub fn far_end_digits(&self) -> String {
        self.far_digits.iter().map(|&(_, c)| c).collect()
    }

    /// The keys the far end recognised, with the start of each tone.
    pub fn far_end_digit_times(&self) -> &[(Instant, char)] {
        &self.far_digits
    }

    /// The voicemail tape, for a voicemail far end that was answered.
    pub fn tape(&self) -> Option<&Tape> {
        self.tape.as_ref()
    }

    /// The tape judged against what the app played (`None` without a tape).
    pub fn tape_report(&self) -> Option<TapeReport> {
        let tape = self.tape.as_ref()?;
        let answered = self.answered_at?;
        let at = |s: u64| answered + Duration::from_millis(s / signals::SAMPLES_PER_MS);
        let mut message: Option<(Instant, Instant, bool)> = None;
        for span in self.line.iter().flat_map(Line::spans) {
            if span.direction != Direction::ToCallee || !matches!(span.tag, Tag::Playback(_)) {
                continue;
            }
            let (s, e) = (at(span.start), at(span.end));
            if self.flow_started_at.is_some_and(|flow| s < flow) {
                continue;
            }
            message = Some(match message {
                None => (s, e, span.completed),
                Some((s0, e0, c0)) => (s0.min(s), e0.max(e), c0 && span.completed),
            });
        }
        Some(TapeReport::judge(tape, message))
    }

    /// Finished `<Record>`s.
    pub fn recordings(&self) -> &[Recording] {
        &self.recordings
    }

    /// The `<Dial>` legs placed so far, oldest first (live ones included).
    pub fn dial_legs(&self) -> &[DialLeg] {
        &self.legs
    }

    /// The line once answered: both directions' audio and every source's span.
    pub fn line(&self) -> Option<&Line> {
        self.line.as_ref()
    }

    /// When the far end answered.
    pub fn answered_at(&self) -> Option<Instant> {
        self.answered_at
    }

    /// The far end.
    pub fn far_end(&self) -> &FarEnd {
        &self.far
    }

    /// True once the call has ended and [`SimOutput::Ended`] has been emitted.
    pub fn is_finished(&self) -> bool {
        self.ended
    }

    // ---- commands and inputs ----

    /// Dials the call at `now`.
    pub fn start(&mut self, now: Instant) {
        self.now = self.now.max(now);
        self.call.start(self.now);
        self.pump(self.now);
    }

    /// Brings the simulation up to `now`: plays the line frame by frame, fires the
    /// call's timers and the far end's scheduled acts, in time order. Harmless to call
    /// early or repeatedly.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.advance(now);
    }

    /// The app answered request `id` at `now`.
    pub fn app_responded(
        &mut self,
        now: Instant,
        id: FetchId,
        status: u16,
        content_type: Option<String>,
        body: String,
    ) {
        self.call_event(
            now,
            CallEvent::AppResponded {
                id,
                status,
                content_type,
                body,
            },
        );
    }

    /// Request `id` failed at `now` without an HTTP answer; `code` is the Notification's
    /// error code (see [`CallEvent::AppFailed`]).
    pub fn app_failed(&mut self, now: Instant, id: FetchId, code: u32, reason: String) {
        self.call_event(now, CallEvent::AppFailed { id, code, reason });
    }

    /// The audio of `<Play>` `id`, decoded to 8 kHz mono; it starts playing at `now`.
    pub fn media_loaded(&mut self, now: Instant, id: PlaybackId, audio: Clip) {
        self.advance(now);
        let Some(i) = self.pending_media.iter().position(|&(p, _)| p == id) else {
            self.note(
                now,
                format!("media for playback {id} arrived after it was stopped"),
            );
            return;
        };
        let (_, loops) = self.pending_media.remove(i);
        let start = self.sample_at(now);
        if let Some(line) = self.line.as_mut() {
            line.schedule(Direction::ToCallee, Tag::Playback(id), audio, start, loops);
        }
    }

    /// The audio of `<Play>` `id` could not be fetched or decoded: the prompt is skipped
    /// (the 2008 service logged a warning and went on).
    pub fn media_failed(&mut self, now: Instant, id: PlaybackId, reason: String) {
        self.advance(now);
        if let Some(i) = self.pending_media.iter().position(|&(p, _)| p == id) {
            self.pending_media.remove(i);
            self.note(now, format!("playback {id} skipped: {reason}"));
            self.deliver(now, CallEvent::PlaybackFinished(id));
        }
    }

    /// The far end of `<Dial>` leg `segment_sid` (asked for with [`SimOutput::DialLeg`]),
    /// looked up in the phone book by the driver: it starts ringing at `now`.
    pub fn leg_resolved(&mut self, now: Instant, segment_sid: &str, mut far: FarEnd) {
        self.advance(now);
        let Some(i) = self.live_leg(segment_sid) else {
            return;
        };
        let sid = self.legs[i].segment_sid.bytes().fold(0u64, |h, b| {
            h.wrapping_mul(0x0000_0100_0000_01b3) ^ u64::from(b)
        });
        far.for_call(sid);
        let end = far.ring_end(self.now);
        let text = match end {
            Some((at, how)) => format!("dialled leg rings until {at}, then {how:?}"),
            None => "dialled leg rings and never answers".to_owned(),
        };
        let leg = &mut self.legs[i];
        leg.description = Some(far.description().to_owned());
        leg.ring_end = end;
        leg.far = Some(far);
        self.note(self.now, text);
    }

    /// The far end of `<Dial>` leg `segment_sid` could not be had (its audio did not
    /// load): the leg fails.
    pub fn leg_failed(&mut self, now: Instant, segment_sid: &str, reason: String) {
        self.advance(now);
        let Some(i) = self.live_leg(segment_sid) else {
            return;
        };
        self.note(self.now, format!("dialled leg failed: {reason}"));
        self.end_leg(self.now, i, DialStatus::Failed);
        self.pump(self.now);
    }

    /// Hands the call an event from outside the line: a live redirect
    /// (`CallEvent::Redirect`), an operator hang-up, an app reply.
    pub fn call_event(&mut self, now: Instant, event: CallEvent) {
        self.advance(now);
        self.deliver(self.now, event);
    }

    /// Adds a driver's line to the timeline (e.g. "no scripted reply matched").
    pub fn note(&mut self, now: Instant, text: String) {
        self.timeline
            .push((now.max(self.now), SimEntry::Line(text)));
    }

    // ---- outputs ----

    /// The next thing for the driver to do.
    pub fn poll_output(&mut self) -> Option<SimOutput> {
        self.outputs.pop_front()
    }

    /// When [`Simulation::handle_timeout`] must next be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        [
            self.next_frame(),
            self.ring_due().map(|(t, _)| t),
            self.far_hangup_at,
            self.call.poll_timeout(),
            self.leg_due(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn leg_due(&self) -> Option<Instant> {
        self.legs.iter().filter_map(DialLeg::next_due).min()
    }

    fn live_leg(&self, segment_sid: &str) -> Option<usize> {
        self.legs
            .iter()
            .position(|l| l.segment_sid == segment_sid && l.is_live())
    }

    // ---- internals: time ----

    fn next_frame(&self) -> Option<Instant> {
        match (self.phase, &self.line) {
            (Phase::Connected, Some(line)) => Some(self.time_of(line.cursor() + FRAME as u64)),
            _ => None,
        }
    }

    fn ring_due(&self) -> Option<(Instant, RingEnd)> {
        match self.phase {
            Phase::Ringing(end) => end,
            _ => None,
        }
    }

    fn time_of(&self, sample: u64) -> Instant {
        self.answered_at.unwrap_or(self.now)
            + Duration::from_millis(sample / signals::SAMPLES_PER_MS)
    }

    fn sample_at(&self, t: Instant) -> u64 {
        match self.answered_at {
            Some(a) => (t - a).as_millis() * signals::SAMPLES_PER_MS,
            None => 0,
        }
    }

    /// Runs everything due up to `now`, earliest first; on a tie the audio frame goes
    /// first (it happened before its end), then the far end, then the call's timers.
    fn advance(&mut self, now: Instant) {
        let now = now.max(self.now);
        loop {
            let frame = self.next_frame().filter(|&t| t <= now);
            let ring = self.ring_due().filter(|&(t, _)| t <= now);
            let hangup = self.far_hangup_at.filter(|&t| t <= now);
            let timer = self.call.poll_timeout().filter(|&t| t <= now);
            let leg = self.leg_due().filter(|&t| t <= now);
            let earliest = [frame, ring.map(|r| r.0), hangup, leg, timer]
                .into_iter()
                .flatten()
                .min();
            let Some(t) = earliest else { break };
            self.now = self.now.max(t);
            let t = self.now;
            if frame.is_some_and(|f| f <= t) {
                self.on_frame();
            } else if let Some((_, end)) = ring.filter(|r| r.0 <= t) {
                self.on_ring_end(t, end);
            } else if hangup.is_some_and(|h| h <= t) {
                self.far_hangup_at = None;
                self.note(t, format!("far end hangs up ({})", self.far.description()));
                // A recording cut by the hang-up is reported first, so its action is
                // still requested.
                self.tear_down(t, true);
                self.pump(t);
                self.deliver(t, CallEvent::CalleeHungUp);
            } else if leg.is_some_and(|l| l <= t) {
                self.on_leg_due(t);
            } else {
                self.call.handle_timeout(t);
                self.pump(t);
            }
        }
        self.now = now;
    }

    // ---- internals: the far end ----

    fn on_ring_end(&mut self, t: Instant, end: RingEnd) {
        match end {
            RingEnd::Answer => {
                self.phase = Phase::Connected;
                self.answered_at = Some(t);
                let mut line = if self.config.keep_audio {
                    Line::keeping_audio()
                } else {
                    Line::new()
                };
                self.far.on_answer(&mut line);
                self.line = Some(line);
                // Validated in `new`, so these cannot fail.
                self.caller_listener = LineListener::new(&self.config.detector, t).ok();
                self.callee_listener = LineListener::new(&self.config.detector, t).ok();
                self.far_hangup_at = self.far.hangs_up_after().map(|d| t + d);
                if let Some(from) = self.far.records_from() {
                    self.tape = Some(Tape {
                        from: t + from,
                        until: None,
                        audio: Vec::new(),
                    });
                }
                self.note(t, format!("far end answers ({})", self.far.description()));
                self.deliver(t, CallEvent::Answered);
            }
            RingEnd::Busy => {
                self.phase = Phase::Down;
                self.note(t, format!("far end is busy ({})", self.far.description()));
                self.deliver(t, CallEvent::Busy);
            }
            RingEnd::Fail => {
                self.phase = Phase::Down;
                self.note(
                    t,
                    format!("network fails the call ({})", self.far.description()),
                );
                self.deliver(
                    t,
                    CallEvent::Failed {
                        reason: self.far.failure().map_or_else(
                            || "the phone book says this number cannot be connected".to_owned(),
                            str::to_owned,
                        ),
                    },
                );
            }
        }
    }

    /// Renders one frame and lets every listener hear it.
    fn on_frame(&mut self) {
        let Some(line) = self.line.as_mut() else {
            return;
        };
        let frame = line.render();
        let start = self.time_of(frame.at);
        let t = self.time_of(frame.at + FRAME as u64);
        self.now = self.now.max(t);

        if let Some(tape) = self.tape.as_mut() {
            if tape.until.is_none() && start >= tape.from {
                tape.audio.extend_from_slice(&frame.to_callee);
            }
        }
        if let Some((_, audio)) = self.call_recording.as_mut() {
            let mixed = frame.to_callee.iter().zip(&frame.from_callee);
            audio.extend(mixed.map(|(a, b)| (a + b).clamp(-1.0, 1.0)));
        }
        let record_full = self
            .recording
            .as_mut()
            .is_some_and(|rec| rec.capture(frame.at, &frame.from_callee));

        let mut found = Vec::new();
        if let Some(amd) = self.amd.as_mut() {
            amd.process(&frame.from_callee, &mut self.detector, &mut found);
        }
        let mut heard = Vec::new();
        if let Some(listener) = self.caller_listener.as_mut() {
            listener.process(&frame.from_callee, &mut heard);
        }
        let mut far_heard = Vec::new();
        if let Some(listener) = self.callee_listener.as_mut() {
            listener.process(&frame.to_callee, &mut far_heard);
        }

        for span in &frame.finished {
            let (s, e) = (self.time_of(span.start), self.time_of(span.end));
            self.note(t, format!("{} played {s}–{e}", span.tag));
        }
        for Found { event, note } in found {
            self.note(t, note);
            if let Some(ev) = event {
                self.deliver(t, CallEvent::Detector(ev));
            }
        }
        for h in far_heard {
            if let Heard::Key(c, at) = h {
                self.far_digits.push((at, c));
                self.note(t, format!("far end recognised key {c} (tone from {at})"));
            }
        }
        for h in heard {
            match h {
                Heard::Key(c, at) => {
                    self.note(t, format!("caller recognised key {c} (tone from {at})"));
                    self.deliver(t, CallEvent::Digit(c));
                }
                Heard::SpeechStart(_) => {
                    self.callee_speaking = true;
                    self.last_callee_voice = Some(t);
                }
                Heard::SpeechEnd(at) => {
                    self.callee_speaking = false;
                    self.last_callee_voice = Some(at);
                }
            }
        }
        if self.callee_speaking {
            self.last_callee_voice = Some(t);
        }
        for span in frame.finished {
            if let (Tag::Playback(id), true) = (span.tag, span.completed) {
                self.deliver(t, CallEvent::PlaybackFinished(id));
            }
        }
        // `<Record maxLength>`: the recording holds exactly that much audio.
        if record_full {
            self.note(t, "recording: maxLength reached".to_owned());
            self.finish_recording(t, false);
        }
        // `<Record timeout>`: that much silence from the callee ends the recording.
        if let Some(rec) = &self.recording {
            let quiet_since = self
                .last_callee_voice
                .map_or(rec.started, |v| v.max(rec.started));
            if !self.callee_speaking && t >= rec.started && t - quiet_since >= rec.silence {
                self.note(t, format!("recording: {} of silence", rec.silence));
                self.finish_recording(t, false);
            }
        }
        // What the frame caused (a recording's end) reaches the call now, not at the
        // next event.
        if !self.queued.is_empty() {
            self.pump(t);
        }
    }

    /// The line goes down: everything stops, the tape, any recording and any `<Dial>` leg
    /// end. `callee_hung_up` says who ended it (a recording then reports it).
    fn tear_down(&mut self, t: Instant, callee_hung_up: bool) {
        if self.phase == Phase::Connected {
            if let Some(line) = self.line.as_mut() {
                for span in line.hang_up() {
                    let start = self.answered_at.unwrap_or(t)
                        + Duration::from_millis(span.start / signals::SAMPLES_PER_MS);
                    self.timeline.push((
                        t,
                        SimEntry::Line(format!("{} cut off (played from {start})", span.tag)),
                    ));
                }
            }
        }
        self.phase = Phase::Down;
        self.far_hangup_at = None;
        self.amd = None;
        self.caller_listener = None;
        self.callee_listener = None;
        self.pending_media.clear();
        if let Some(tape) = self.tape.as_mut() {
            if tape.until.is_none() {
                tape.until = Some(t.max(tape.from));
            }
        }
        self.finish_recording(t, callee_hung_up);
        if let Some((started, audio)) = self.call_recording.take() {
            let sid = (self.config.sids)("RE");
            let url = format!("{}{sid}", self.config.recording_url_prefix);
            let duration = Duration::from_millis(audio.len() as u64 / signals::SAMPLES_PER_MS);
            self.note(t, format!("call recording {sid} ({duration})"));
            self.recordings.push(Recording {
                sid,
                url,
                started,
                duration,
                audio,
                whole_call: true,
            });
        }
        if self.dialling_from.take().is_some() {
            self.note(t, "the call ended: hanging up the dialled legs".to_owned());
            self.hang_up_legs(t);
        }
    }

    // ---- internals: the call ----

    /// Hands `event` to the call at `t` and performs what follows.
    fn deliver(&mut self, t: Instant, event: CallEvent) {
        self.call.handle_event(t, event);
        self.pump(t);
    }

    /// Performs the call's actions (and the events they cause) until both run dry.
    fn pump(&mut self, t: Instant) {
        loop {
            if let Some(action) = self.call.poll_action() {
                self.sync_timeline();
                self.perform(t, action);
                continue;
            }
            if let Some(event) = self.queued.pop_front() {
                self.call.handle_event(t, event);
                continue;
            }
            break;
        }
        self.sync_timeline();
        if self.call.is_final() && !self.ended {
            if self.phase != Phase::Down {
                self.tear_down(t, false);
            }
            self.ended = true;
            self.outputs.push_back(SimOutput::Ended {
                status: self.call.status(),
            });
        }
    }

    fn sync_timeline(&mut self) {
        let entries = self.call.timeline();
        for (at, e) in &entries[self.call_timeline_seen.min(entries.len())..] {
            self.timeline.push((*at, SimEntry::Call(e.clone())));
        }
        self.call_timeline_seen = entries.len();
    }

    fn schedule_to_callee(&mut self, t: Instant, tag: Tag, clip: Clip, plays: u32) {
        let at = self.sample_at(t);
        if let Some(line) = self
            .line
            .as_mut()
            .filter(|_| self.phase == Phase::Connected)
        {
            line.schedule(Direction::ToCallee, tag, clip, at, plays);
        }
    }

    fn perform(&mut self, t: Instant, action: Action) {
        match action {
            Action::Dial { .. } => {
                let end = self.far.ring_end(t);
                self.phase = Phase::Ringing(end);
                let text = match end {
                    Some((at, how)) => format!("far end rings until {at}, then {how:?}"),
                    None => "far end rings and never answers".to_owned(),
                };
                self.note(t, text);
                self.queued.push_back(CallEvent::Ringing);
            }
            Action::StartDetection => {
                self.amd = Amd::new(&self.config.detector, t).ok();
            }
            Action::StopDetection => self.amd = None,
            Action::RecordCall => {
                if self.phase == Phase::Connected && self.call_recording.is_none() {
                    self.call_recording = Some((t, Vec::new()));
                }
            }
            Action::SendDigit(c) => {
                let ms = self.call.config().digit_tone.as_millis();
                if let Some(tone) = signals::dtmf(c, ms) {
                    self.schedule_to_callee(t, Tag::SentKey(c), tone.into(), 1);
                }
            }
            Action::FetchApp {
                id,
                url,
                method,
                params,
                purpose,
            } => {
                if purpose == ringside_call::FetchPurpose::Start {
                    self.flow_started_at = Some(t);
                }
                self.outputs.push_back(SimOutput::FetchApp {
                    id,
                    url: Arc::unwrap_or_clone(url),
                    method,
                    params: params.to_vec(),
                    purpose,
                });
            }
            Action::Say {
                id, text, loops, ..
            } => {
                let voice = text
                    .bytes()
                    .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
                let clip: Clip = signals::speech(signals::say_duration_ms(&text), voice).into();
                self.schedule_to_callee(t, Tag::Playback(id), clip, loops);
            }
            Action::Play { id, url, loops } => {
                self.pending_media.push((id, loops));
                let url = Arc::unwrap_or_clone(url);
                self.outputs.push_back(SimOutput::FetchMedia { id, url });
            }
            Action::StopPlayback => {
                self.pending_media.clear();
                if let Some(line) = self.line.as_mut() {
                    line.stop(Direction::ToCallee, |tag| matches!(tag, Tag::Playback(_)));
                }
            }
            Action::Gather { .. } => {
                let at = self.sample_at(t);
                if let Some(line) = self.line.as_mut() {
                    if let Some(keys) = self.far.on_gather(line, at) {
                        self.note(t, format!("far end will answer the gather with {keys}"));
                    }
                }
            }
            Action::Record {
                timeout,
                play_beep,
                max_length,
                transcribe,
                ..
            } => self.start_recording(t, timeout, play_beep, max_length, transcribe),
            Action::StopRecording => self.finish_recording(t, false),
            Action::Bridge(d) => self.dial(t, &d),
            Action::StopBridge => self.stop_dial(t),
            Action::Hangup => {
                if matches!(self.phase, Phase::Ringing(_)) {
                    self.note(t, "ringing cancelled".to_owned());
                }
                self.tear_down(t, false);
            }
            Action::Notify(n) => self.outputs.push_back(SimOutput::Notify(n)),
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod flow_tests;
