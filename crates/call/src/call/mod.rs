//! The call state machine, [`Call`].

mod action;
mod config;
mod event;
mod outcomes;
mod params;
mod recording;
mod state;
mod timeline;
mod timer;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_2010;

use std::collections::VecDeque;
use std::sync::Arc;

use url::Url;

pub use action::{Action, FetchId, FetchPurpose, LogLevel, Notification, PlaybackId};
pub use config::CallConfig;
pub use event::{CallEvent, DetectorEvent, GreetingEnd, Verdict};
pub use outcomes::{DialResult, FinishedRecording, Transcription, TranscriptionFailure};
pub use params::FetchParams;
use params::Identity;
pub use state::State;
pub use timeline::TimelineEntry;
pub use timer::Timer;
use timer::TimerTable;

use crate::api::{
    AccountSid, AmdDelivery, AmdMode, AnsweredBy, Api2010, CallSid, CallStatus, Callback,
    CreateCallRequest, DialStatus, DigitStep, IfMachine, MachineDetection, Method, StatusEvent,
};
use crate::time::{Duration, Instant};
use crate::twiml::{self, FetchCause, Interpreter, Media, Outcome, Say, Step};

/// Notification error code: the app could not be fetched (network error, timeout, non-2xx).
pub const ERROR_HTTP_RETRIEVAL: u32 = 11200;
/// Notification error code: too many app requests in a row with no progress.
pub const ERROR_TOO_MANY_REDIRECTS: u32 = 11215;
/// Notification error code: the reply is not a TwiML document ringside can run.
pub const ERROR_DOCUMENT_PARSE: u32 = 12100;
/// Notification error code (warning): a recording too short or too long to transcribe
/// (Twilio transcribes 2 to 120 s).
pub const ERROR_TRANSCRIPTION_LENGTH: u32 = 13617;
/// Notification error code (warning): nothing could be transcribed from the recording.
pub const ERROR_TRANSCRIPTION_EMPTY: u32 = 17554;

/// How long past `beep + maxLength` the call waits for the driver to end a recording
/// before it asks for the stop itself: two audio frames' worth of a driver's lag, rounded up.
const RECORD_MAX_SLACK: Duration = Duration::from_millis(1000);

/// A request in flight that expects TwiML back.
#[derive(Debug, Clone)]
struct PendingFetch {
    id: FetchId,
    url: Arc<Url>,
    method: Method,
    purpose: FetchPurpose,
}

/// What an asynchronous (2010 `AsyncAmd`) detection still waits for while the flow runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AsyncAmd {
    /// The verdict.
    Verdict,
    /// With `DetectMessageEnd`, after a machine verdict: the end of the greeting.
    GreetingEnd,
}

/// How a call detects machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detection {
    /// Not at all.
    Off,
    /// 2008 `IfMachine`, or 2010 `MachineDetection` without `AsyncAmd`: the flow waits.
    Blocking,
    /// 2010 `AsyncAmd=true`: the flow starts at answer and detection runs beside it.
    Beside,
}

/// What the running document is waiting for.
#[derive(Debug, Clone, Default)]
enum Activity {
    /// Nothing (between documents, or the call is not running TwiML).
    #[default]
    Idle,
    /// A top-level Say/Play (`Some(id)`) or Pause (`None`, on [`Timer::Pause`]).
    Media(Option<PlaybackId>),
    /// A `<Gather>`.
    Gather(GatherState),
    /// A `<Record>`: the keys that end it, the key pressed, whether stop was sent, and
    /// where its transcription goes.
    Record {
        finish_on_key: String,
        digits: String,
        stopping: bool,
        transcribe_callback: Option<Arc<Url>>,
    },
    /// A `<Dial>` bridge: whether the leg answered, `timeLimit`, whether stop was sent.
    Bridge {
        hangup_on_star: bool,
        answered: bool,
        time_limit: Duration,
        stopping: bool,
    },
}

#[derive(Debug, Clone)]
struct GatherState {
    prompts: VecDeque<Media>,
    /// The prompt playing, if a Say/Play.
    playing: Option<PlaybackId>,
    /// A prompt Pause is running on [`Timer::Pause`].
    pausing: bool,
    digits: String,
    timeout: Duration,
    finish_on_key: Option<char>,
    num_digits: Option<u32>,
}

/// One outbound call of the 2008 or the 2010 API, as a sans-I/O state machine.
///
/// # Driving a call
///
/// Methods come in four kinds, as in quinn-proto's `Connection`: getters; inputs
/// ([`handle_event`](Call::handle_event), [`handle_timeout`](Call::handle_timeout));
/// one command ([`start`](Call::start)); outputs ([`poll_action`](Call::poll_action),
/// [`poll_timeout`](Call::poll_timeout)). A driver:
///
/// 1. builds the call with [`Call::new`] (status 0) and calls [`Call::start`] to dial;
/// 2. drains [`Call::poll_action`] until `None`, performing each action;
/// 3. asks [`Call::poll_timeout`] for the next deadline and waits until that time or until
///    something happens, whichever is first;
/// 4. feeds what happened to [`Call::handle_event`], or calls [`Call::handle_timeout`] if the
///    deadline passed (calling it early is harmless);
/// 5. goes back to 2 until [`Call::is_final`] and no actions are left.
///
/// Time only moves forward: pass a `now` no earlier than the previous one (an earlier
/// `now` is treated as the latest seen).
///
/// # Rules it owns
///
/// - **Ringing** lasts at most `Timeout` from the dial: at exactly `dial + Timeout` the
///   call is hung up as no-answer (status 5) and the app is notified with
///   `DialStatus=no-answer`. Busy → status 3, `busy`. A failed connect → status 4,
///   `failed` (the 2008 codes have no separate "could not connect"). A callee who rejects
///   the ringing call (hangs up before answer) is reported busy, as carriers signal it.
///   An operator hang-up before answer cancels the call as no-answer, without notifying.
/// - **Answer without `IfMachine`**: the flow starts at once with `DialStatus=answered`.
/// - **Answer with `IfMachine`**: [`Action::StartDetection`], then the verdict decides:
///   - `Human` → `answered-human`;
///   - `Silence` and `Unknown` (and no verdict within
///     [`CallConfig::detection_timeout`]) → handled as a human: hanging up on a person who
///     said nothing is worse than talking to a machine, and the app still learns nothing
///     false (`answered-human` is what the 2008 service sent when it could not tell);
///   - `Machine` → with `Continue` the call waits for the end of the greeting (beep end,
///     silence, or the detector's timeout; at most [`CallConfig::greeting_timeout`]) and
///     only then requests the app with `answered-machine`, so what it plays lands on the
///     tape; with `Hangup` it hangs up at once (status 2, complete), then notifies the app
///     with `hangup-machine` and ignores the reply.
///   - `Fax` → handled as a machine whose greeting is already over (a fax has none and
///     takes no message): `Continue` requests the app at once with `answered-machine`;
///     `Hangup` hangs up and notifies `hangup-machine`.
/// - **A hang-up before the flow starts** (during detection, the greeting or SendDigits):
///   the app is still requested once, as a notification with `CallStatus=completed` and
///   the `DialStatus` known by then (`answered-machine` while a greeting played, else
///   `answered-human`, or `answered` without `IfMachine`).
/// - **`<Record>`**: `maxLength` counts after the beep ([`CallConfig::record_beep`]);
///   every way it ends (silence, maxLength, finishOnKey, the callee hanging up) requests the
///   action with `RecordingUrl`, `Duration` and `Digits` (`hangup` after a hang-up, when
///   the request is a [`FetchPurpose::FinalRecordAction`] whose reply is ignored). With
///   `transcribe`, the transcription the driver reports is posted to `transcribeCallback`
///   (`TranscriptionStatus` `completed` or `failed`; a failure is also a warning).
/// - **`<Dial>`**: ringing is bounded by `timeout` (then `no-answer`), the bridge by
///   `timeLimit` from the leg's answer; `*` ends it with `hangupOnStar`. The action gets
///   `DialStatus`, `DialCallSid` (the leg's CallSegmentSid) and `DialCallDuration`.
///   - **Late beep** (with `Continue`, unless [`CallConfig::restart_on_late_beep`] is off):
///     after a greeting end by *silence* detection keeps running for
///     [`CallConfig::late_beep_window`]; a greeting end by *beep* reported in that window
///     means the box beeped after all, and would have recorded only the tail of the
///     message. The flow is restarted after the beep: what is playing, recording or
///     bridging is stopped and the app is requested again with `answered-machine`, so the
///     message lands on the tape whole. Only one restart per call. A document that ends
///     (or says `<Hangup/>`) while the window is open holds the line until it closes, so a
///     box that beeps after a short message still gets the message.
/// - **`SendDigits`** are sent from the moment of answer, one key every
///   [`CallConfig::digit_period`] (a `w` waits 0.5 s), while detection runs. The first app
///   request waits until the last key has sounded, so the app's TwiML never talks over the
///   DTMF (the 2008 service dialled them right after connect, before running the app).
/// - **The app**: every request carries `CallSid`, `CallGuid`, `AccountSid`, `AccountGuid`,
///   `Caller`, `Called`, `CallStatus`; the first also `DialStatus`; action requests add the
///   verb's parameters. A request that fails, times out ([`CallConfig::fetch_timeout`]) or
///   answers non-2xx ends the call with status 4 and Notification 11200; a reply that is
///   not valid TwiML, 12100. `text/plain` is spoken then hung up; `audio/*` is played then
///   hung up; any other content type is parsed as TwiML.
/// - **Hang-ups** from either side are accepted in every state; final states absorb every
///   later event. Start, answer and end times are kept; [`Call::duration`] is answer to end.
///
/// # The 2010-04-01 API
///
/// A call whose request carries [`Api2010`] follows the same rules, with the 2010 API's
/// words and additions:
///
/// - requests carry `AccountSid`, `ApiVersion`, `CallSid`, `Called`, `Caller`, `Direction`
///   (`outbound-api`), `From`, `To` (E.164) and the 2010 `CallStatus`
///   ([`State::status_2010`]), never `DialStatus`; `Url` is only requested once the call is
///   answered (a busy, unanswered or failed call is reported to the `StatusCallback`);
/// - `MachineDetection`: the first request carries `AnsweredBy` and
///   `MachineDetectionDuration` (ms from answer to the result) (`human`, `unknown` for
///   silence or no verdict, `fax`; a machine is `machine_start` with `Enable` and, with
///   `DetectMessageEnd`, `machine_end_beep`/`_silence`/`_other` once its greeting ended);
///   with `AsyncAmd` the flow starts at answer and the result goes to
///   `AsyncAmdStatusCallback` (`AccountSid`, `CallSid`, `AnsweredBy`,
///   `MachineDetectionDuration` in ms since answer); a late beep restarts a
///   `DetectMessageEnd` flow as it does a 2008 `Continue` flow, with `machine_end_beep`;
/// - `StatusCallback`: `initiated`, `ringing`, `answered`, `completed` as asked, each with
///   `CallbackSource`, `SequenceNumber` (from 0), `CallDuration` on `completed` and
///   `AnsweredBy` once known (the driver adds `Timestamp`, a wall-clock time);
/// - `Twiml` runs the inline document instead of requesting `Url`; `FallbackUrl` is
///   requested with `ErrorCode` and `ErrorUrl` when the first request fails or its reply
///   cannot be run (the error is still a Notification); `Record=true` asks the driver to
///   record the call ([`Action::RecordCall`]);
/// - [`CallEvent::Cancel`] ends a call not yet answered as `canceled`; an operator hang-up
///   before answer is a cancel too.
#[derive(Debug, Clone)]
pub struct Call {
    sid: CallSid,
    account_sid: AccountSid,
    request: CreateCallRequest,
    config: CallConfig,
    state: State,
    /// The URL and method of the app's first request (changed by a live redirect before it).
    app_url: Arc<Url>,
    app_method: Method,
    now: Instant,
    created_at: Instant,
    dialled_at: Option<Instant>,
    answered_at: Option<Instant>,
    ended_at: Option<Instant>,
    /// The DialStatus for (or sent on) the first request.
    dial_status: Option<DialStatus>,
    first_request_made: bool,
    detecting: bool,
    /// A greeting ended by silence and a late beep would restart the flow.
    late_beep_open: bool,
    /// The document ended (or said `<Hangup/>`) while the late-beep window was open: the
    /// call hangs up when the window closes, unless a beep restarts the flow first.
    hangup_after_late_beep_window: bool,
    digits: VecDeque<DigitStep>,
    fetch: Option<PendingFetch>,
    interpreter: Option<Interpreter>,
    activity: Activity,
    next_fetch_id: u32,
    next_playback_id: u32,
    fetches_without_progress: u32,
    requests_made: u32,
    timers: TimerTable,
    actions: VecDeque<Action>,
    timeline: Vec<(Instant, TimelineEntry)>,
    notifications: Vec<Notification>,
    /// The parameters every request to the app carries but `CallStatus` (see
    /// [`FetchParams`]), formatted once and shared by every request's [`FetchParams`].
    identity: Arc<Identity>,
    /// 2010: who answered, once known, and when that was known.
    answered_by: Option<AnsweredBy>,
    answered_by_at: Option<Instant>,
    /// 2010 `AsyncAmd`: what the detection running beside the flow still waits for.
    async_amd: Option<AsyncAmd>,
    /// 2010: the next status callback's `SequenceNumber`.
    status_sequence: u32,
    /// The `ringing` event was reported.
    rang: bool,
    /// 2010 `Twiml`: the document the flow starts with instead of requesting `Url`.
    inline_twiml: Option<Arc<str>>,
}

impl Call {
    /// A new call, status 0, created at `now`. Nothing happens until [`Call::start`].
    pub fn new(
        sid: CallSid,
        account_sid: AccountSid,
        request: CreateCallRequest,
        config: CallConfig,
        now: Instant,
    ) -> Self {
        let app_url = Arc::new(request.url.clone());
        let app_method = request.method;
        let (sid_text, account_text) = (sid.to_string(), account_sid.to_string());
        let mut config = config;
        let identity: Arc<Identity> = match request.api.v2010() {
            None => Arc::new([
                ("CallSid", sid_text.clone()),
                ("CallGuid", sid_text),
                ("AccountSid", account_text.clone()),
                ("AccountGuid", account_text),
                ("Caller", request.caller.to_string()),
                ("Called", request.called.to_string()),
            ]),
            Some(v2010) => {
                if let Some(md) = &v2010.machine_detection {
                    // `MachineDetectionTimeout` bounds the whole detection, verdict and
                    // greeting alike.
                    config.detection_timeout = md.timeout;
                    config.greeting_timeout = md.timeout;
                }
                let (to, from) = (request.called.e164(), request.caller.e164());
                Arc::new([
                    ("AccountSid", account_text),
                    ("ApiVersion", request.api.as_str().to_owned()),
                    ("CallSid", sid_text),
                    ("Called", to.clone()),
                    ("Caller", from.clone()),
                    ("Direction", "outbound-api".to_owned()),
                    ("From", from),
                    ("To", to),
                ])
            }
        };
        let inline_twiml = request.api.v2010().and_then(|a| a.twiml.clone());
        Call {
            sid,
            account_sid,
            request,
            config,
            state: State::Created,
            app_url,
            app_method,
            now,
            created_at: now,
            dialled_at: None,
            answered_at: None,
            ended_at: None,
            dial_status: None,
            first_request_made: false,
            detecting: false,
            late_beep_open: false,
            hangup_after_late_beep_window: false,
            digits: VecDeque::new(),
            fetch: None,
            interpreter: None,
            activity: Activity::Idle,
            next_fetch_id: 0,
            next_playback_id: 0,
            fetches_without_progress: 0,
            requests_made: 0,
            timers: TimerTable::default(),
            actions: VecDeque::new(),
            // A whole call logs a few dozen entries: grow once, not five times.
            timeline: Vec::with_capacity(32),
            notifications: Vec::new(),
            identity,
            answered_by: None,
            answered_by_at: None,
            async_amd: None,
            status_sequence: 0,
            rang: false,
            inline_twiml,
        }
    }

    // ---- getters ----

    /// The call's sid.
    pub fn sid(&self) -> CallSid {
        self.sid
    }

    /// The owning account.
    pub fn account_sid(&self) -> AccountSid {
        self.account_sid
    }

    /// The request the call was created from.
    pub fn request(&self) -> &CreateCallRequest {
        &self.request
    }

    /// The configuration.
    pub fn config(&self) -> &CallConfig {
        &self.config
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The API status (0–5).
    pub fn status(&self) -> CallStatus {
        self.state.status()
    }

    /// True once the call has ended; nothing changes after that.
    pub fn is_final(&self) -> bool {
        self.state.is_final()
    }

    /// The `DialStatus` sent (or about to be sent) on the app's first request, if decided.
    /// A 2010 call keeps it too (it is how the call itself tells a person from a machine)
    /// but never sends it.
    pub fn dial_status(&self) -> Option<DialStatus> {
        self.dial_status
    }

    /// 2010: `AnsweredBy`, once detection has a result.
    pub fn answered_by(&self) -> Option<AnsweredBy> {
        self.answered_by
    }

    /// The status name the call's API uses now: the 2008 `CallStatus` strings
    /// (`in-progress`, `completed`, …), or the 2010 ones ([`State::status_2010`]).
    pub fn status_name(&self) -> &'static str {
        match self.v2010() {
            Some(_) => self.state.status_2010(),
            // A request is only made once the call was dialled, so the status always has
            // a webhook name; "in-progress" covers a status 0 that cannot occur.
            None => self.status().webhook_str().unwrap_or("in-progress"),
        }
    }

    fn v2010(&self) -> Option<&Api2010> {
        self.request.api.v2010()
    }

    fn machine_detection(&self) -> Option<&MachineDetection> {
        self.v2010().and_then(|a| a.machine_detection.as_ref())
    }

    fn detection(&self) -> Detection {
        match (self.request.if_machine, self.machine_detection()) {
            (_, Some(md)) if md.is_async() => Detection::Beside,
            (Some(_), _) | (_, Some(_)) => Detection::Blocking,
            (None, None) => Detection::Off,
        }
    }

    /// When the call was created (`DateCreated`).
    pub fn created_at(&self) -> Instant {
        self.created_at
    }

    /// When it was dialled (`StartTime`), once [`Call::start`] ran.
    pub fn start_time(&self) -> Option<Instant> {
        self.dialled_at
    }

    /// When the callee answered.
    pub fn answered_at(&self) -> Option<Instant> {
        self.answered_at
    }

    /// When the call ended (`EndTime`).
    pub fn end_time(&self) -> Option<Instant> {
        self.ended_at
    }

    /// How long the call was connected, from answer to end; zero if never answered;
    /// `None` until the call has ended.
    pub fn duration(&self) -> Option<Duration> {
        let end = self.ended_at?;
        Some(self.answered_at.map_or(Duration::ZERO, |a| end - a))
    }

    /// [`Call::duration`] in whole seconds, rounded up (the resource's `Duration`).
    pub fn duration_secs(&self) -> Option<u64> {
        self.duration().map(Duration::as_secs_ceil)
    }

    /// The URL of the TwiML being run, or that the first request will go to.
    pub fn current_url(&self) -> &Url {
        match (&self.interpreter, &self.fetch) {
            (_, Some(f)) => &f.url,
            (Some(i), None) => i.url(),
            (None, None) => &self.app_url,
        }
    }

    /// How many requests the call has made to the app, notifications included.
    pub fn requests_made(&self) -> u32 {
        self.requests_made
    }

    /// Errors and warnings about the app, oldest first.
    pub fn notifications(&self) -> &[Notification] {
        &self.notifications
    }

    /// Everything that happened, in order, with its time.
    pub fn timeline(&self) -> &[(Instant, TimelineEntry)] {
        &self.timeline
    }

    // ---- commands ----

    /// Dials the call: emits [`Action::Dial`] and starts the ring timeout. Does nothing
    /// unless the call is still [`State::Created`].
    pub fn start(&mut self, now: Instant) {
        let now = self.advance(now);
        if self.state != State::Created {
            self.note(
                now,
                "start ignored: the call was already started or ended".to_owned(),
            );
            return;
        }
        self.dialled_at = Some(now);
        self.status_event(now, StatusEvent::Initiated);
        self.set_state(now, State::Ringing);
        self.push(
            now,
            Action::Dial {
                to: self.request.called.clone(),
                from: self.request.caller.clone(),
                timeout: self.request.timeout,
            },
        );
        self.timers.set(Timer::Ring, now + self.request.timeout);
    }

    // ---- inputs ----

    /// Handles something that happened at `now`. Events that do not apply to the current
    /// state are recorded as ignored.
    pub fn handle_event(&mut self, now: Instant, event: CallEvent) {
        let now = self.advance(now);
        if let CallEvent::Digits(keys) = event {
            for c in keys.chars() {
                self.handle_event(now, CallEvent::Digit(c));
            }
            return;
        }
        if self.state.is_final() {
            self.timeline.push((
                now,
                TimelineEntry::Ignored {
                    event,
                    state: self.state,
                },
            ));
            return;
        }
        // The event's line goes before whatever it causes, but the event itself is only
        // moved there once handled (whether it applied decides the line), so it is never
        // copied: a placeholder holds its place meanwhile.
        let entry = self.timeline.len();
        let state = self.state;
        self.timeline
            .push((now, TimelineEntry::Event(CallEvent::Ringing)));
        let handled = self.dispatch(now, &event);
        let line = if handled {
            TimelineEntry::Event(event)
        } else {
            tracing::debug!(call = %self.sid, %event, %state, "event ignored");
            TimelineEntry::Ignored { event, state }
        };
        if let Some((_, slot)) = self.timeline.get_mut(entry) {
            *slot = line;
        }
    }

    /// Fires every timer due at or before `now`. Harmless to call early or repeatedly.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.advance(now);
        // Each timer either ends something or moves the call forward by a positive delay;
        // the cap only guards against a bug turning this into a spin.
        for _ in 0..10_000 {
            let Some(timer) = self.timers.expired(now) else {
                return;
            };
            self.timers.stop(timer);
            self.timeline.push((now, TimelineEntry::Timer(timer)));
            self.on_timer(now, timer);
        }
    }

    // ---- outputs ----

    /// The next thing for the driver to do, oldest first.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// When [`Call::handle_timeout`] must next be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next_timeout()
    }

    // ---- internals ----

    fn advance(&mut self, now: Instant) -> Instant {
        self.now = self.now.max(now);
        self.now
    }

    fn set_state(&mut self, now: Instant, to: State) {
        let from = self.state;
        if from == to {
            return;
        }
        tracing::debug!(call = %self.sid, "{from}=>{to}");
        self.state = to;
        self.timeline.push((now, TimelineEntry::State { from, to }));
    }

    fn push(&mut self, now: Instant, action: Action) {
        self.timeline
            .push((now, TimelineEntry::Action(action.clone())));
        self.actions.push_back(action);
    }

    fn note(&mut self, now: Instant, text: String) {
        self.timeline.push((now, TimelineEntry::Note(text)));
    }

    /// Handles an event in a live state; false if it does not apply.
    fn dispatch(&mut self, now: Instant, event: &CallEvent) -> bool {
        use CallEvent as E;
        use State as S;
        match (self.state, event) {
            (_, E::Ringing) => {
                if self.state == S::Ringing && !std::mem::replace(&mut self.rang, true) {
                    self.status_event(now, StatusEvent::Ringing);
                }
                true
            }
            (S::Created | S::Ringing, E::Cancel) => {
                self.end(now, State::Canceled, self.state == S::Ringing);
                true
            }
            (s, E::Detector(DetectorEvent::Verdict(v)))
                if s.is_answered() && self.async_amd == Some(AsyncAmd::Verdict) =>
            {
                self.on_async_verdict(now, *v);
                true
            }
            (s, E::Detector(DetectorEvent::GreetingEnded(end)))
                if s.is_answered() && self.async_amd == Some(AsyncAmd::GreetingEnd) =>
            {
                self.async_result(now, machine_end(*end));
                true
            }
            (S::Ringing, E::Answered) => {
                self.on_answer(now);
                true
            }
            (S::Ringing, E::Busy | E::CalleeHungUp) => {
                self.end_unconnected(now, State::Busy, DialStatus::Busy, false);
                true
            }
            (S::Ringing, E::NoAnswer) => {
                self.end_unconnected(now, State::NoAnswer, DialStatus::NoAnswer, false);
                true
            }
            (S::Ringing, E::Failed { .. }) => {
                self.end_unconnected(now, State::Failed, DialStatus::Failed, false);
                true
            }
            // Ended by the operator (a server shutting down). A call whose app was never
            // requested still gets the one request every call gets, as a no-answer
            // (unanswered) or with the DialStatus it had reached (answered, before the
            // greeting ended); a call already running its app has had its requests.
            (S::Created | S::Ringing, E::OperatorHangup) => {
                let ringing = self.state == S::Ringing;
                if self.v2010().is_some() {
                    self.end(now, State::Canceled, ringing);
                } else {
                    self.end_unconnected(now, State::NoAnswer, DialStatus::NoAnswer, ringing);
                }
                true
            }
            (s, E::OperatorHangup) if s.is_answered() => {
                self.end(now, State::Completed, true);
                if !self.first_request_made {
                    let dial_status = self.dial_status.unwrap_or(DialStatus::Answered);
                    self.notify_app(now, dial_status);
                }
                true
            }
            (s, E::CalleeHungUp) if s.is_answered() => {
                self.end(now, State::Completed, false);
                if !self.first_request_made {
                    // The flow never started (detection, the greeting, SendDigits): the app
                    // still hears about the call once, as for busy or hangup-machine, with
                    // what was known: a machine whose greeting had not ended, else a person
                    // (no verdict yet is handled as a human, as a timeout is).
                    let dial_status =
                        self.dial_status
                            .unwrap_or(match (s, self.request.if_machine) {
                                (S::AwaitingGreetingEnd, _) => DialStatus::AnsweredMachine,
                                (_, Some(_)) => DialStatus::AnsweredHuman,
                                (_, None) => DialStatus::Answered,
                            });
                    self.dial_status = Some(dial_status);
                    if self.v2010().is_none() {
                        self.note(
                            now,
                            "the callee hung up before the app was requested: notifying it"
                                .to_owned(),
                        );
                        self.notify_app(now, dial_status);
                    }
                }
                true
            }
            (
                S::Created | S::Ringing | S::Detecting | S::AwaitingGreetingEnd | S::SendingDigits,
                E::Redirect { url, method },
            ) => {
                self.inline_twiml = None;
                self.retarget(now, Arc::clone(url), *method);
                true
            }
            (
                S::Created | S::Ringing | S::Detecting | S::AwaitingGreetingEnd | S::SendingDigits,
                E::Twiml(doc),
            ) => {
                self.note(now, "the flow will start with the TwiML given".to_owned());
                self.inline_twiml = Some(Arc::clone(doc));
                true
            }
            (S::Fetching | S::Running, E::Twiml(doc)) => {
                self.cancel_activity(now);
                self.interpreter = None;
                self.fetches_without_progress = 0;
                self.run_inline(now, &Arc::clone(doc));
                true
            }
            (S::Fetching | S::Running, E::Redirect { url, method }) => {
                self.cancel_activity(now);
                self.interpreter = None;
                self.fetches_without_progress = 0;
                self.start_fetch(
                    now,
                    Arc::clone(url),
                    *method,
                    Vec::new(),
                    FetchPurpose::LiveRedirect,
                );
                true
            }
            (S::Detecting, E::Detector(DetectorEvent::Verdict(v))) => {
                self.on_verdict(now, *v);
                true
            }
            (S::AwaitingGreetingEnd, E::Detector(DetectorEvent::GreetingEnded(end))) => {
                self.on_greeting_end(now, *end);
                true
            }
            (
                S::SendingDigits | S::Fetching | S::Running,
                E::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
            ) if self.late_beep_open => {
                self.on_late_beep(now);
                true
            }
            (
                S::Fetching,
                E::AppResponded {
                    id,
                    status,
                    content_type,
                    body,
                },
            ) if self.fetch.as_ref().is_some_and(|f| f.id == *id) => {
                self.on_app_response(now, *status, content_type.as_deref(), body);
                true
            }
            (S::Fetching, E::AppFailed { id, code, reason })
                if self.fetch.as_ref().is_some_and(|f| f.id == *id) =>
            {
                self.fetch_failed(now, *code, format!("HTTP retrieval failure: {reason}"));
                true
            }
            (S::Running, E::PlaybackFinished(id)) => self.on_playback_finished(now, *id),
            (S::Running, &E::Digit(c)) if matches!(c, '0'..='9' | '*' | '#') => {
                self.on_digit(now, c)
            }
            (S::Running, E::RecordingFinished(recording)) => {
                self.on_recording_finished(now, recording)
            }
            (S::Running, E::DialAnswered) => {
                let Activity::Bridge {
                    answered,
                    time_limit,
                    stopping: false,
                    ..
                } = &mut self.activity
                else {
                    return false;
                };
                *answered = true;
                let limit = *time_limit;
                self.timers.stop(Timer::DialRing);
                self.timers.set(Timer::BridgeLimit, now + limit);
                true
            }
            (S::Running, E::BridgeEnded(result)) => {
                if !matches!(self.activity, Activity::Bridge { .. }) {
                    return false;
                }
                self.timers.stop(Timer::BridgeLimit);
                self.timers.stop(Timer::DialRing);
                self.activity = Activity::Idle;
                self.resume(now, Outcome::DialEnded(result.clone()));
                true
            }
            _ => false,
        }
    }

    fn on_timer(&mut self, now: Instant, timer: Timer) {
        match timer {
            Timer::Ring => {
                if self.state == State::Ringing {
                    self.end_unconnected(now, State::NoAnswer, DialStatus::NoAnswer, true);
                }
            }
            Timer::Detection => {
                if self.state == State::Detecting {
                    self.note(now, "no verdict in time: handled as unknown".to_owned());
                    self.on_verdict(now, Verdict::Unknown);
                } else if self.async_amd == Some(AsyncAmd::Verdict) {
                    self.note(now, "no verdict in time: unknown".to_owned());
                    self.async_result(now, AnsweredBy::Unknown);
                }
            }
            Timer::Greeting => {
                if self.state == State::AwaitingGreetingEnd {
                    self.note(
                        now,
                        "no end of greeting in time: handled as ended".to_owned(),
                    );
                    self.on_greeting_end(now, GreetingEnd::Timeout);
                } else if self.async_amd == Some(AsyncAmd::GreetingEnd) {
                    self.note(now, "no end of greeting in time".to_owned());
                    self.async_result(now, AnsweredBy::MachineEndOther);
                }
            }
            Timer::Digit => self.send_next_digit(now),
            Timer::Fetch => {
                if self.state == State::Fetching {
                    let secs = self.config.fetch_timeout;
                    self.fetch_failed(
                        now,
                        ERROR_HTTP_RETRIEVAL,
                        format!("HTTP retrieval failure: no response within {secs}"),
                    );
                }
            }
            Timer::Pause => match &mut self.activity {
                Activity::Media(None) => {
                    self.activity = Activity::Idle;
                    self.resume(now, Outcome::Done);
                }
                Activity::Gather(g) if g.pausing => {
                    g.pausing = false;
                    self.next_prompt(now);
                }
                _ => {}
            },
            Timer::GatherInput => {
                if matches!(self.activity, Activity::Gather(_)) {
                    self.finish_gather(now);
                }
            }
            Timer::RecordMax => {
                if let Activity::Record { stopping, .. } = &mut self.activity {
                    if !*stopping {
                        *stopping = true;
                        self.push(now, Action::StopRecording);
                    }
                }
            }
            Timer::BridgeLimit | Timer::DialRing => {
                if let Activity::Bridge { stopping, .. } = &mut self.activity {
                    if !*stopping {
                        *stopping = true;
                        self.push(now, Action::StopBridge);
                    }
                }
            }
            Timer::LateBeep => {
                self.late_beep_open = false;
                self.stop_detection(now);
                if std::mem::take(&mut self.hangup_after_late_beep_window) {
                    self.note(now, "no late beep came; hanging up".to_owned());
                    self.end(now, State::Completed, true);
                }
            }
            Timer::MaxLength => {
                if self.state.is_answered() {
                    self.note(now, "maximum call length reached".to_owned());
                    self.end(now, State::Completed, true);
                }
            }
        }
    }

    fn on_answer(&mut self, now: Instant) {
        self.answered_at = Some(now);
        self.timers.stop(Timer::Ring);
        self.timers
            .set(Timer::MaxLength, now + self.config.max_call_length);
        if let Some(digits) = &self.request.send_digits {
            self.digits = digits.steps().collect();
        }
        if self.v2010().is_some_and(|a| a.record) {
            self.push(now, Action::RecordCall);
        }
        match self.detection() {
            Detection::Blocking => {
                self.set_state(now, State::Detecting);
                self.start_detection(now);
                self.send_next_digit(now);
            }
            Detection::Beside => {
                // The flow starts now; the result is posted when it comes.
                self.start_detection(now);
                self.async_amd = Some(AsyncAmd::Verdict);
                self.send_next_digit(now);
                self.flow_ready(now, DialStatus::Answered);
            }
            Detection::Off => {
                // Digits first, so a flow that can start at once still waits for them.
                self.send_next_digit(now);
                self.flow_ready(now, DialStatus::Answered);
            }
        }
        self.status_event(now, StatusEvent::Answered);
    }

    fn start_detection(&mut self, now: Instant) {
        self.detecting = true;
        self.push(now, Action::StartDetection);
        self.timers
            .set(Timer::Detection, now + self.config.detection_timeout);
    }

    fn stop_detection(&mut self, now: Instant) {
        if self.detecting {
            self.detecting = false;
            self.push(now, Action::StopDetection);
        }
    }

    fn on_verdict(&mut self, now: Instant, verdict: Verdict) {
        self.timers.stop(Timer::Detection);
        if let Some(mode) = self.machine_detection().map(|m| m.mode) {
            match answered_by(verdict, Some(mode)) {
                Some(by) => {
                    self.set_answered_by(now, by);
                    self.stop_detection(now);
                    self.flow_ready(now, dial_status_of(by));
                }
                None => {
                    self.set_state(now, State::AwaitingGreetingEnd);
                    self.timers
                        .set(Timer::Greeting, now + self.config.greeting_timeout);
                }
            }
            return;
        }
        match verdict {
            Verdict::Human => {
                self.stop_detection(now);
                self.flow_ready(now, DialStatus::AnsweredHuman);
            }
            Verdict::Silence | Verdict::Unknown => {
                self.note(
                    now,
                    format!("{} verdict handled as a human", verdict.as_str()),
                );
                self.stop_detection(now);
                self.flow_ready(now, DialStatus::AnsweredHuman);
            }
            Verdict::Fax if self.request.if_machine == Some(IfMachine::Continue) => {
                // A fax has no greeting to end and takes no message: waiting for a beep
                // would only wait until it hangs up. The app is requested at once.
                self.note(
                    now,
                    "fax verdict handled as a machine whose greeting has ended".to_owned(),
                );
                self.stop_detection(now);
                self.flow_ready(now, DialStatus::AnsweredMachine);
            }
            Verdict::Machine | Verdict::Fax => {
                if verdict == Verdict::Fax {
                    self.note(now, "fax verdict handled as a machine".to_owned());
                }
                match self.request.if_machine {
                    Some(IfMachine::Hangup) => {
                        self.stop_detection(now);
                        self.dial_status = Some(DialStatus::HangupMachine);
                        self.end(now, State::Completed, true);
                        self.notify_app(now, DialStatus::HangupMachine);
                    }
                    // `Detecting` is only entered with IfMachine set; Continue is the other case.
                    Some(IfMachine::Continue) | None => {
                        self.set_state(now, State::AwaitingGreetingEnd);
                        self.timers
                            .set(Timer::Greeting, now + self.config.greeting_timeout);
                    }
                }
            }
        }
    }

    fn on_greeting_end(&mut self, now: Instant, end: GreetingEnd) {
        self.timers.stop(Timer::Greeting);
        if self.v2010().is_some() {
            self.set_answered_by(now, machine_end(end));
        }
        if end == GreetingEnd::Silence
            && self.config.restart_on_late_beep
            && self.config.late_beep_window > Duration::ZERO
        {
            self.late_beep_open = true;
            self.timers
                .set(Timer::LateBeep, now + self.config.late_beep_window);
            self.note(
                now,
                "greeting ended by silence; listening for a late beep".to_owned(),
            );
        } else {
            self.stop_detection(now);
        }
        self.flow_ready(now, DialStatus::AnsweredMachine);
    }

    /// The beep came after the greeting end by silence: the flow started too early, and the
    /// tape would hold only what followed the beep. Start it again after the beep.
    fn on_late_beep(&mut self, now: Instant) {
        self.late_beep_open = false;
        self.hangup_after_late_beep_window = false;
        self.timers.stop(Timer::LateBeep);
        self.stop_detection(now);
        if self.state == State::SendingDigits {
            // The flow has not started yet: it starts after the digits, after the beep.
            self.note(now, "late beep before the flow started".to_owned());
            return;
        }
        self.note(
            now,
            "late beep: restarting the answered-machine flow after it".to_owned(),
        );
        self.cancel_activity(now);
        self.interpreter = None;
        self.fetches_without_progress = 0;
        if self.v2010().is_some() {
            self.set_answered_by(now, AnsweredBy::MachineEndBeep);
        }
        // The restarted flow's first request carries DialStatus (or AnsweredBy) again, as
        // a first one does.
        self.first_request_made = false;
        self.start_flow(now);
    }

    /// The call is ready to run the app with this `DialStatus`, once digits are sent.
    fn flow_ready(&mut self, now: Instant, dial_status: DialStatus) {
        self.dial_status = Some(dial_status);
        if self.timers.is_set(Timer::Digit) {
            self.set_state(now, State::SendingDigits);
        } else {
            self.start_flow(now);
        }
    }

    /// Performs the next `SendDigits` step, or — when the last has sounded — starts the
    /// flow if it was waiting.
    fn send_next_digit(&mut self, now: Instant) {
        match self.digits.pop_front() {
            Some(DigitStep::Digit(c)) => {
                self.push(now, Action::SendDigit(c));
                self.timers
                    .set(Timer::Digit, now + self.config.digit_period);
            }
            Some(DigitStep::Wait) => {
                self.timers.set(Timer::Digit, now + DigitStep::WAIT);
            }
            None => {
                self.timers.stop(Timer::Digit);
                if self.state == State::SendingDigits {
                    self.start_flow(now);
                }
            }
        }
    }

    /// A live redirect before the first request: the first request goes there instead.
    fn retarget(&mut self, now: Instant, url: Arc<Url>, method: Method) {
        self.note(now, format!("the first request will go to {method} {url}"));
        self.app_url = url;
        self.app_method = method;
    }

    fn next_fetch_id(&mut self) -> FetchId {
        self.next_fetch_id = self.next_fetch_id.wrapping_add(1);
        FetchId(self.next_fetch_id)
    }

    /// Requests TwiML from the app and waits for it in [`State::Fetching`].
    fn start_fetch(
        &mut self,
        now: Instant,
        url: Arc<Url>,
        method: Method,
        extra: Vec<(&'static str, String)>,
        purpose: FetchPurpose,
    ) {
        self.fetches_without_progress += 1;
        if self.fetches_without_progress > self.config.max_fetches_without_progress {
            let n = self.config.max_fetches_without_progress;
            self.app_error(
                now,
                ERROR_TOO_MANY_REDIRECTS,
                format!(
                    "too many redirects: {n} app requests in a row with nothing played or gathered"
                ),
                url.to_string(),
                method,
            );
            return;
        }
        let first = !self.first_request_made;
        let v2010 = self.v2010().is_some();
        // The first request carries DialStatus (2008) or AnsweredBy (2010).
        let dial_status = self.dial_status.filter(|_| first && !v2010);
        let mut extra = extra;
        if let Some(by) = self.answered_by.filter(|_| first && v2010) {
            extra.insert(0, ("AnsweredBy", by.as_str().to_owned()));
            extra.insert(
                1,
                ("MachineDetectionDuration", self.detection_ms().to_string()),
            );
        }
        // A document is only requested while the call is up, in both APIs' words (the
        // state may still say ringing on the answer's own step).
        let status = CallStatus::InProgress.webhook_str();
        let params = FetchParams::new(Arc::clone(&self.identity), status, dial_status, extra);
        self.first_request_made = true;
        self.requests_made += 1;
        let id = self.next_fetch_id();
        self.fetch = Some(PendingFetch {
            id,
            url: Arc::clone(&url),
            method,
            purpose,
        });
        self.set_state(now, State::Fetching);
        self.timers
            .set(Timer::Fetch, now + self.config.fetch_timeout);
        self.push(
            now,
            Action::FetchApp {
                id,
                url,
                method,
                params,
                purpose,
            },
        );
    }

    /// Tells the app how an unconnected (or machine-hung-up) call ended; the reply is
    /// ignored. 2008 only: a 2010 app hears of such ends through its `StatusCallback`.
    fn notify_app(&mut self, now: Instant, dial_status: DialStatus) {
        if self.v2010().is_some() {
            return;
        }
        self.first_request_made = true;
        let (url, method) = (Arc::clone(&self.app_url), self.app_method);
        self.request_ignoring_reply(
            now,
            (url, method),
            Some(dial_status),
            Vec::new(),
            FetchPurpose::Notify,
        );
    }

    /// A request whose reply is not run (a notification, the action of a recording the
    /// callee hung up on, a transcription callback), with the call's current status.
    fn request_ignoring_reply(
        &mut self,
        now: Instant,
        (url, method): (Arc<Url>, Method),
        dial_status: Option<DialStatus>,
        extra: Vec<(&'static str, String)>,
        purpose: FetchPurpose,
    ) {
        let params = FetchParams::new(
            Arc::clone(&self.identity),
            Some(self.status_name()),
            dial_status.filter(|_| self.v2010().is_none()),
            extra,
        );
        self.send_without_reply(now, url, method, params, purpose);
    }

    /// Makes a request whose reply is not waited for.
    fn send_without_reply(
        &mut self,
        now: Instant,
        url: Arc<Url>,
        method: Method,
        params: FetchParams,
        purpose: FetchPurpose,
    ) {
        self.requests_made += 1;
        let id = self.next_fetch_id();
        self.push(
            now,
            Action::FetchApp {
                id,
                url,
                method,
                params,
                purpose,
            },
        );
    }

    fn on_app_response(
        &mut self,
        now: Instant,
        status: u16,
        content_type: Option<&str>,
        body: &str,
    ) {
        let Some(fetch) = self.fetch.take() else {
            return;
        };
        self.timers.stop(Timer::Fetch);
        if !(200..300).contains(&status) {
            self.app_error_or_fallback(
                now,
                ERROR_HTTP_RETRIEVAL,
                format!("HTTP retrieval failure: the app answered {status}"),
                &fetch,
            );
            return;
        }
        // Compared without case rather than lowercased: no copy of the header per reply.
        let mime = content_type
            .and_then(|ct| ct.split(';').next())
            .map_or("", str::trim);
        let interpreter = if mime
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("audio/"))
        {
            Interpreter::for_audio(fetch.url)
        } else if mime.eq_ignore_ascii_case("text/plain") {
            if body.trim().len() > Say::MAX_TEXT_BYTES {
                self.app_error(
                    now,
                    ERROR_DOCUMENT_PARSE,
                    format!(
                        "the text/plain reply is {} bytes; the limit for speech is {}",
                        body.trim().len(),
                        Say::MAX_TEXT_BYTES
                    ),
                    fetch.url.to_string(),
                    fetch.method,
                );
                return;
            }
            Interpreter::for_text(body, fetch.url)
        } else {
            match twiml::parse(body) {
                Ok(doc) => Interpreter::new(doc, fetch.url),
                Err(e) => {
                    self.app_error_or_fallback(now, e.code(), e.to_string(), &fetch);
                    return;
                }
            }
        };
        self.set_state(now, State::Running);
        let mut interpreter = interpreter;
        let step = interpreter.step();
        self.interpreter = Some(interpreter);
        self.run(now, step);
    }

    fn fetch_failed(&mut self, now: Instant, error_code: u32, message: String) {
        let Some(fetch) = self.fetch.take() else {
            return;
        };
        self.app_error_or_fallback(now, error_code, message, &fetch);
    }

    /// A failed first request of a 2010 call with a `FallbackUrl`: the error is a
    /// Notification, and the fallback is requested as the first request again, with
    /// `ErrorCode` and `ErrorUrl`. Any other failure ends the call ([`Call::app_error`]).
    fn app_error_or_fallback(
        &mut self,
        now: Instant,
        error_code: u32,
        message_text: String,
        fetch: &PendingFetch,
    ) {
        let fallback = self
            .v2010()
            .and_then(|a| a.fallback.clone())
            .filter(|_| fetch.purpose == FetchPurpose::Start);
        let Some(Callback { url, method }) = fallback else {
            self.app_error(
                now,
                error_code,
                message_text,
                fetch.url.to_string(),
                fetch.method,
            );
            return;
        };
        let n = Notification {
            time: now,
            log: LogLevel::Error,
            error_code,
            message_text,
            request_url: fetch.url.to_string(),
            request_method: fetch.method,
        };
        self.notifications.push(n.clone());
        self.push(now, Action::Notify(n));
        self.note(now, format!("requesting the FallbackUrl {method} {url}"));
        self.first_request_made = false;
        self.start_fetch(
            now,
            Arc::new(url),
            method,
            vec![
                ("ErrorCode", error_code.to_string()),
                ("ErrorUrl", fetch.url.to_string()),
            ],
            FetchPurpose::Fallback,
        );
    }

    /// Runs an inline document (2010 `Twiml`) as if the app had answered with it.
    fn run_inline(&mut self, now: Instant, doc: &str) {
        match twiml::parse(doc) {
            Ok(doc) => {
                self.set_state(now, State::Running);
                let mut interpreter = Interpreter::new(doc, Arc::clone(&self.app_url));
                let step = interpreter.step();
                self.interpreter = Some(interpreter);
                self.run(now, step);
            }
            Err(e) => {
                let (url, method) = (self.app_url.to_string(), self.app_method);
                self.app_error(now, e.code(), format!("Twiml: {e}"), url, method);
            }
        }
    }

    /// Starts the app's flow: requests `Url` (the first request), or runs the inline
    /// `Twiml` of a 2010 call.
    fn start_flow(&mut self, now: Instant) {
        match self.inline_twiml.clone() {
            Some(doc) => {
                self.note(now, "running the call's inline TwiML".to_owned());
                self.first_request_made = true;
                self.run_inline(now, &doc);
            }
            None => {
                let (url, method) = (Arc::clone(&self.app_url), self.app_method);
                self.start_fetch(now, url, method, Vec::new(), FetchPurpose::Start);
            }
        }
    }

    /// Sends a 2010 status callback for `event`, if the call asked for it.
    fn status_event(&mut self, now: Instant, event: StatusEvent) {
        let Some(callback) = self
            .v2010()
            .and_then(|a| a.status_callback.as_ref())
            .filter(|c| c.wants(event))
            .map(|c| c.target.clone())
        else {
            return;
        };
        let mut extra = vec![
            ("CallbackSource", "call-progress-events".to_owned()),
            ("SequenceNumber", self.status_sequence.to_string()),
        ];
        self.status_sequence += 1;
        if event == StatusEvent::Completed {
            extra.push((
                "CallDuration",
                self.duration_secs().unwrap_or(0).to_string(),
            ));
        }
        if let Some(by) = self.answered_by {
            extra.push(("AnsweredBy", by.as_str().to_owned()));
        }
        let status = match event {
            StatusEvent::Initiated => "initiated",
            _ => self.status_name(),
        };
        let params = FetchParams::new(Arc::clone(&self.identity), Some(status), None, extra);
        self.send_without_reply(
            now,
            Arc::new(callback.url),
            callback.method,
            params,
            FetchPurpose::StatusCallback,
        );
    }

    /// Records a 2010 detection result and when it came.
    fn set_answered_by(&mut self, now: Instant, by: AnsweredBy) {
        self.answered_by = Some(by);
        self.answered_by_at = Some(now);
    }

    /// `MachineDetectionDuration`: ms from the answer to the detection result.
    fn detection_ms(&self) -> u64 {
        match (self.answered_at, self.answered_by_at) {
            (Some(a), Some(d)) => d.saturating_duration_since(a).as_millis(),
            _ => 0,
        }
    }

    /// An `AsyncAmd` verdict: the result, or (a machine with `DetectMessageEnd`) a wait
    /// for the end of the greeting.
    fn on_async_verdict(&mut self, now: Instant, verdict: Verdict) {
        self.timers.stop(Timer::Detection);
        let mode = self.machine_detection().map(|m| m.mode);
        match answered_by(verdict, mode) {
            Some(by) => self.async_result(now, by),
            None => {
                self.async_amd = Some(AsyncAmd::GreetingEnd);
                self.timers
                    .set(Timer::Greeting, now + self.config.greeting_timeout);
            }
        }
    }

    /// An `AsyncAmd` result: kept on the call and posted to `AsyncAmdStatusCallback`.
    fn async_result(&mut self, now: Instant, by: AnsweredBy) {
        self.async_amd = None;
        self.set_answered_by(now, by);
        self.dial_status = Some(dial_status_of(by));
        self.timers.stop(Timer::Detection);
        self.timers.stop(Timer::Greeting);
        self.stop_detection(now);
        let callback = match self.machine_detection().map(|m| &m.delivery) {
            Some(AmdDelivery::Asynchronous(Some(c))) => c.clone(),
            _ => {
                self.note(
                    now,
                    format!("AnsweredBy {by}: no AsyncAmdStatusCallback to post it to"),
                );
                return;
            }
        };
        let waited = self.detection_ms();
        let identity: Arc<Identity> = Arc::new([
            ("AccountSid", self.account_sid.to_string()),
            ("CallSid", self.sid.to_string()),
        ]);
        let extra = vec![
            ("AnsweredBy", by.as_str().to_owned()),
            ("MachineDetectionDuration", waited.to_string()),
        ];
        let params = FetchParams::new(identity, None, None, extra);
        self.send_without_reply(
            now,
            Arc::new(callback.url),
            callback.method,
            params,
            FetchPurpose::AsyncAmd,
        );
    }

    /// Ends the call with status 4 and a Notification.
    fn app_error(
        &mut self,
        now: Instant,
        error_code: u32,
        message_text: String,
        request_url: String,
        method: Method,
    ) {
        let n = Notification {
            time: now,
            log: LogLevel::Error,
            error_code,
            message_text,
            request_url,
            request_method: method,
        };
        self.notifications.push(n.clone());
        self.push(now, Action::Notify(n));
        self.end(now, State::Failed, true);
    }

    /// Performs one interpreter step.
    fn run(&mut self, now: Instant, step: Step) {
        match step {
            Step::Media(m) => {
                self.fetches_without_progress = 0;
                let playing = self.start_media(now, m);
                self.activity = Activity::Media(playing);
            }
            Step::Gather(g) => {
                self.fetches_without_progress = 0;
                self.push(
                    now,
                    Action::Gather {
                        timeout: g.timeout,
                        finish_on_key: g.finish_on_key,
                        num_digits: g.num_digits,
                    },
                );
                self.activity = Activity::Gather(GatherState {
                    prompts: g.prompts.into(),
                    playing: None,
                    pausing: false,
                    digits: String::new(),
                    timeout: g.timeout,
                    finish_on_key: g.finish_on_key,
                    num_digits: g.num_digits,
                });
                self.next_prompt(now);
            }
            Step::Record(r) => {
                self.fetches_without_progress = 0;
                // The driver stores exactly `max_length` of audio after the beep and ends
                // the recording itself; this is the backstop for one that does not.
                let beep = if r.play_beep {
                    self.config.record_beep
                } else {
                    Duration::ZERO
                };
                self.timers.set(
                    Timer::RecordMax,
                    now + beep + r.max_length + RECORD_MAX_SLACK,
                );
                self.activity = Activity::Record {
                    finish_on_key: r.finish_on_key.clone(),
                    digits: String::new(),
                    stopping: false,
                    transcribe_callback: r.transcribe_callback.clone().filter(|_| r.transcribe),
                };
                self.push(
                    now,
                    Action::Record {
                        max_length: r.max_length,
                        timeout: r.timeout,
                        finish_on_key: r.finish_on_key,
                        play_beep: r.play_beep,
                        transcribe: r.transcribe,
                        transcribe_callback: r.transcribe_callback,
                    },
                );
            }
            Step::Dial(d) => {
                self.fetches_without_progress = 0;
                // Ringing is bounded by `timeout`; `timeLimit` starts when the leg answers.
                self.timers.set(Timer::DialRing, now + d.timeout);
                self.activity = Activity::Bridge {
                    hangup_on_star: d.hangup_on_star,
                    answered: false,
                    time_limit: d.time_limit,
                    stopping: false,
                };
                self.push(now, Action::Bridge(d));
            }
            Step::Fetch(f) => {
                self.activity = Activity::Idle;
                self.interpreter = None;
                let purpose = match f.cause {
                    FetchCause::Redirect => FetchPurpose::Redirect,
                    FetchCause::Gather => FetchPurpose::GatherAction,
                    FetchCause::Record => FetchPurpose::RecordAction,
                    FetchCause::Dial => FetchPurpose::DialAction,
                };
                self.start_fetch(now, f.url, f.method, f.params, purpose);
            }
            Step::Hangup | Step::End => {
                let what = if matches!(step, Step::Hangup) {
                    "<Hangup/>"
                } else {
                    "end of document"
                };
                if self.late_beep_open {
                    // Hanging up now would lose the message if the box beeps after all:
                    // hold the line until the late-beep window closes.
                    self.note(
                        now,
                        format!("{what}; holding the line until the late-beep window closes"),
                    );
                    self.activity = Activity::Idle;
                    self.interpreter = None;
                    self.hangup_after_late_beep_window = true;
                } else {
                    self.note(now, what.to_owned());
                    self.end(now, State::Completed, true);
                }
            }
            Step::Fail(e) => {
                let (url, method) = (self.current_url().to_string(), self.app_method);
                self.app_error(now, e.code(), e.to_string(), url, method);
            }
        }
    }

    /// Starts a Say/Play (returning its id) or a Pause (on [`Timer::Pause`]).
    fn start_media(&mut self, now: Instant, media: Media) -> Option<PlaybackId> {
        match media {
            Media::Say {
                text,
                voice,
                language,
                loops,
            } => {
                self.next_playback_id = self.next_playback_id.wrapping_add(1);
                let id = PlaybackId(self.next_playback_id);
                self.push(
                    now,
                    Action::Say {
                        id,
                        text,
                        voice,
                        language,
                        loops,
                    },
                );
                Some(id)
            }
            Media::Play { url, loops } => {
                self.next_playback_id = self.next_playback_id.wrapping_add(1);
                let id = PlaybackId(self.next_playback_id);
                self.push(now, Action::Play { id, url, loops });
                Some(id)
            }
            Media::Pause(length) => {
                self.note(now, format!("pause {length}"));
                self.timers.set(Timer::Pause, now + length);
                None
            }
        }
    }

    fn resume(&mut self, now: Instant, outcome: Outcome) {
        let Some(interpreter) = self.interpreter.as_mut() else {
            return;
        };
        let step = interpreter.resume(outcome);
        self.run(now, step);
    }

    fn on_playback_finished(&mut self, now: Instant, id: PlaybackId) -> bool {
        match &mut self.activity {
            Activity::Media(Some(playing)) if *playing == id => {
                self.activity = Activity::Idle;
                self.resume(now, Outcome::Done);
                true
            }
            Activity::Gather(g) if g.playing == Some(id) => {
                g.playing = None;
                self.next_prompt(now);
                true
            }
            _ => false,
        }
    }

    /// Plays the next `<Gather>` prompt, or starts waiting for input after the last.
    fn next_prompt(&mut self, now: Instant) {
        let Activity::Gather(g) = &mut self.activity else {
            return;
        };
        match g.prompts.pop_front() {
            Some(media) => {
                let is_pause = matches!(media, Media::Pause(_));
                let playing = self.start_media(now, media);
                if let Activity::Gather(g) = &mut self.activity {
                    g.playing = playing;
                    g.pausing = is_pause;
                }
            }
            None => {
                let timeout = g.timeout;
                self.timers.set(Timer::GatherInput, now + timeout);
            }
        }
    }

    fn on_digit(&mut self, now: Instant, c: char) -> bool {
        match &mut self.activity {
            Activity::Gather(g) => {
                let stop_playback = g.playing.take().is_some();
                let was_pausing = std::mem::replace(&mut g.pausing, false);
                g.prompts.clear();
                let finished = if g.finish_on_key == Some(c) {
                    true
                } else {
                    g.digits.push(c);
                    g.num_digits.is_some_and(|n| {
                        u32::try_from(g.digits.chars().count()).unwrap_or(u32::MAX) >= n
                    })
                };
                let timeout = g.timeout;
                if stop_playback {
                    self.push(now, Action::StopPlayback);
                }
                if was_pausing {
                    self.timers.stop(Timer::Pause);
                }
                if finished {
                    self.finish_gather(now);
                } else {
                    self.timers.set(Timer::GatherInput, now + timeout);
                }
                true
            }
            Activity::Record {
                finish_on_key,
                digits,
                stopping,
                ..
            } => {
                if *stopping || !finish_on_key.contains(c) {
                    return false;
                }
                digits.push(c);
                *stopping = true;
                self.timers.stop(Timer::RecordMax);
                self.push(now, Action::StopRecording);
                true
            }
            Activity::Bridge {
                hangup_on_star,
                stopping,
                ..
            } => {
                if c != '*' || !*hangup_on_star || *stopping {
                    return false;
                }
                *stopping = true;
                self.timers.stop(Timer::BridgeLimit);
                self.timers.stop(Timer::DialRing);
                self.note(now, "* pressed: hanging up the dialled leg".to_owned());
                self.push(now, Action::StopBridge);
                true
            }
            Activity::Idle | Activity::Media(_) => false,
        }
    }

    fn finish_gather(&mut self, now: Instant) {
        let Activity::Gather(g) = std::mem::take(&mut self.activity) else {
            return;
        };
        self.timers.stop(Timer::GatherInput);
        self.timers.stop(Timer::Pause);
        if g.playing.is_some() {
            self.push(now, Action::StopPlayback);
        }
        self.resume(now, Outcome::Gathered(g.digits));
    }

    /// Stops whatever the document was doing (for a live redirect or the end of the call).
    fn cancel_activity(&mut self, now: Instant) {
        for t in [
            Timer::Pause,
            Timer::GatherInput,
            Timer::RecordMax,
            Timer::BridgeLimit,
            Timer::DialRing,
            Timer::Fetch,
        ] {
            self.timers.stop(t);
        }
        self.fetch = None;
        match std::mem::take(&mut self.activity) {
            Activity::Media(Some(_)) => self.push(now, Action::StopPlayback),
            Activity::Gather(g) if g.playing.is_some() => self.push(now, Action::StopPlayback),
            Activity::Record {
                stopping: false, ..
            } => self.push(now, Action::StopRecording),
            Activity::Bridge {
                stopping: false, ..
            } => self.push(now, Action::StopBridge),
            _ => {}
        }
    }

    /// Ends a call that never connected, then notifies the app.
    fn end_unconnected(
        &mut self,
        now: Instant,
        state: State,
        dial_status: DialStatus,
        hang_up: bool,
    ) {
        self.dial_status = Some(dial_status);
        self.end(now, state, hang_up);
        self.notify_app(now, dial_status);
    }

    /// Moves to a final state. `hang_up` emits [`Action::Hangup`] (we end the line; not
    /// needed when the far end or the network already did).
    fn end(&mut self, now: Instant, state: State, hang_up: bool) {
        self.stop_detection(now);
        if hang_up {
            self.push(now, Action::Hangup);
        }
        self.timers.clear();
        self.fetch = None;
        self.interpreter = None;
        self.activity = Activity::Idle;
        self.digits.clear();
        self.ended_at = Some(now);
        self.async_amd = None;
        self.set_state(now, state);
        self.status_event(now, StatusEvent::Completed);
    }
}

/// The 2010 `AnsweredBy` of a verdict; `None` for a machine whose greeting end is still to
/// come (`DetectMessageEnd`). Silence and no decision are `unknown`.
fn answered_by(verdict: Verdict, mode: Option<AmdMode>) -> Option<AnsweredBy> {
    Some(match verdict {
        Verdict::Human => AnsweredBy::Human,
        Verdict::Silence | Verdict::Unknown => AnsweredBy::Unknown,
        Verdict::Fax => AnsweredBy::Fax,
        Verdict::Machine => match mode {
            Some(AmdMode::DetectMessageEnd) => return None,
            Some(AmdMode::Enable) | None => AnsweredBy::MachineStart,
        },
    })
}

/// The 2010 `AnsweredBy` of a machine whose greeting ended this way.
fn machine_end(end: GreetingEnd) -> AnsweredBy {
    match end {
        GreetingEnd::Beep => AnsweredBy::MachineEndBeep,
        GreetingEnd::Silence => AnsweredBy::MachineEndSilence,
        GreetingEnd::Timeout => AnsweredBy::MachineEndOther,
    }
}

/// The call's own person/machine distinction for a 2010 result (it decides what a late
/// beep or an early hang-up means).
fn dial_status_of(by: AnsweredBy) -> DialStatus {
    match by {
        AnsweredBy::Human | AnsweredBy::Unknown => DialStatus::AnsweredHuman,
        _ => DialStatus::AnsweredMachine,
    }
}
