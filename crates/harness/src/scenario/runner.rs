//! The virtual-clock driver: runs a [`Scenario`]'s call through a [`Simulation`], jumping
//! from one deadline to the next, so a minute of ringing costs microseconds and a minute
//! of audio a few milliseconds of DSP.

use ringside_call::{
    AccountSid, ApiError, Call, CallConfig, CallSid, CreateCallRequest, FetchId, FetchPurpose,
    Instant, Method, Url,
};

use super::app::{AppRequest, Reply};
use super::error::ScenarioError;
use super::expect::{LegOutcome, NotificationOutcome, Outcome};
use super::file::Scenario;
use super::report::{ScenarioReport, TimelineLine};
use ringside_sim::ClipLibrary;
use ringside_sim::simulation::signals;
use ringside_sim::{Direction, SimConfig, SimEntry, SimOutput, Simulation, Tag};

/// The account every scenario call belongs to.
const ACCOUNT: u128 = 0x5ce0_a710;

/// Runs the scenario file at `path`.
pub fn run_scenario(path: &std::path::Path) -> Result<ScenarioReport, ScenarioError> {
    let scenario = Scenario::load(path)?;
    run(&scenario, &mut ClipLibrary::new())
}

/// A reply on its way back to the call.
#[derive(Debug)]
struct InFlight {
    at: Instant,
    id: FetchId,
    reply: Reply,
}

/// Runs a loaded scenario; `clips` caches recordings across scenarios.
pub fn run(scenario: &Scenario, clips: &mut ClipLibrary) -> Result<ScenarioReport, ScenarioError> {
    run_recording(scenario, clips, None)
}

/// Runs a loaded scenario and, with `record_dir`, writes what both sides of the call heard
/// as a stereo WAV there (left: the callee's side, right: what the app played, DTMF
/// included), named after the scenario file.
///
/// The steps: parse the request (a refused one is a report, not an error), set up the
/// call and its far end, drive it on the virtual clock until it ends, check the
/// expectations against what happened, and write the recording if asked.
pub fn run_recording(
    scenario: &Scenario,
    clips: &mut ClipLibrary,
    record_dir: Option<&std::path::Path>,
) -> Result<ScenarioReport, ScenarioError> {
    let wall = std::time::Instant::now();
    let request = match parse_request(&scenario.request) {
        Ok(r) => r,
        Err(e) => return Ok(rejected(scenario, e.code, e.message.clone(), wall)),
    };
    let mut sim = set_up(scenario, clips, request, record_dir.is_some())?;
    let driven = drive(scenario, clips, &mut sim);
    let mut report = judge(scenario, &sim, driven);
    if let Some(dir) = record_dir {
        report.recording = write_recording(scenario, &sim, dir)?;
    }
    report.wall_ms = wall.elapsed().as_secs_f64() * 1000.0;
    Ok(report)
}

/// The scenario's request, as the API it is written for validates it: a request naming
/// `To` (and no `Called`) is a 2010-04-01 one, anything else a 2008-08-01 one.
fn parse_request(params: &[(String, String)]) -> Result<CreateCallRequest, ApiError> {
    let has = |name: &str| params.iter().any(|(k, _)| k == name);
    if !has("To") || has("Called") {
        return CreateCallRequest::from_params(params);
    }
    // An inline Twiml's relative URLs resolve here; a scenario's app answers any URL.
    match Url::parse("http://app.example/twiml") {
        Ok(base) => CreateCallRequest::from_params_2010(params, &base),
        Err(_) => CreateCallRequest::from_params(params),
    }
}

/// The report of a request the API refused: only the error code can be checked.
fn rejected(
    scenario: &Scenario,
    code: u32,
    message: String,
    wall: std::time::Instant,
) -> ScenarioReport {
    let mut report = blank(scenario);
    report.rejected = Some((code, message));
    let outcome = Outcome {
        error_code: Some(code),
        status: None,
        dial_status: None,
        answered_by: None,
        detector: None,
        requests: &[],
        notifications: Vec::new(),
        recordings: Vec::new(),
        legs: Vec::new(),
        far_end_digits: String::new(),
        tape: None,
        prompts_played: 0,
        ended_at_ms: None,
    };
    report.checks = scenario.expect.check(&outcome);
    report.passed = report.checks.iter().all(|c| c.passed);
    report.wall_ms = wall.elapsed().as_secs_f64() * 1000.0;
    report
}

/// The call (status 0, at virtual time zero) against the scenario's far end, its
/// recording loaded; `keep_audio` when the call is to be written out.
fn set_up(
    scenario: &Scenario,
    clips: &mut ClipLibrary,
    request: CreateCallRequest,
    keep_audio: bool,
) -> Result<Simulation, ScenarioError> {
    let entry = match (&scenario.far_end, &scenario.phonebook) {
        (Some(e), _) => e,
        (None, Some(book)) => book.lookup(&request.called),
        (None, None) => {
            return Err(ScenarioError::Invalid {
                path: scenario.path.clone(),
                field: "far_end".into(),
                value: String::new(),
                reason: "is missing and no phone book was loaded".into(),
            });
        }
    };
    let far = clips
        .far_end(entry)
        .map_err(|source| ScenarioError::Audio {
            path: scenario.path.clone(),
            source,
        })?;
    let sid = CallSid::from_u128(fnv(scenario.path.to_string_lossy().as_bytes()));
    let call = Call::new(
        sid,
        AccountSid::from_u128(ACCOUNT),
        request,
        CallConfig::default(),
        Instant::ZERO,
    );
    let config = SimConfig {
        keep_audio,
        ..SimConfig::default()
    };
    Simulation::new(call, far, config).map_err(|e| ScenarioError::Invalid {
        path: scenario.path.clone(),
        field: "detector".into(),
        value: e.field.to_owned(),
        reason: e.message,
    })
}

/// What driving a call left behind besides the simulation itself.
#[derive(Debug)]
struct Driven {
    /// Every app request, in order.
    requests: Vec<AppRequest>,
    /// The virtual time when driving stopped.
    now: Instant,
    /// Why the call did not end on its own, if it did not.
    stuck: Option<String>,
}

/// Drives `sim` on the virtual clock: performs its outputs (scripted app replies, media
/// from the scenario's files), then jumps to the next deadline (the simulation's or a
/// reply's), until the call has ended and no reply is on its way, or the time limit.
fn drive(scenario: &Scenario, clips: &mut ClipLibrary, sim: &mut Simulation) -> Driven {
    let limit = Instant::from_secs(scenario.max_secs);
    let mut app = ScriptedApp {
        scenario,
        requests: Vec::new(),
        in_flight: Vec::new(),
    };
    let mut now = Instant::ZERO;
    let mut redirects = scenario.redirects.iter().peekable();
    sim.start(now);
    let stuck = loop {
        while let Some(out) = sim.poll_output() {
            match out {
                SimOutput::FetchApp {
                    id,
                    url,
                    method,
                    params,
                    purpose,
                } => app.request(
                    sim,
                    now,
                    AppFetch {
                        id,
                        url,
                        method,
                        params,
                        purpose,
                    },
                ),
                SimOutput::FetchMedia { id, url } => {
                    load_media(scenario, clips, sim, now, id, url.as_str())
                }
                SimOutput::DialLeg {
                    segment_sid,
                    number,
                } => dial_leg(scenario, clips, sim, now, &segment_sid, &number),
                SimOutput::Notify(_) | SimOutput::Ended { .. } => {}
            }
        }
        if sim.is_finished() && app.in_flight.is_empty() {
            break None;
        }
        let next_reply = app.next_reply();
        let next_redirect = redirects
            .peek()
            .filter(|_| !sim.is_finished())
            .map(|r| Instant::from_millis(r.at_ms));
        let Some(next) = [sim.poll_timeout(), next_reply, next_redirect]
            .into_iter()
            .flatten()
            .min()
        else {
            break Some(
                "the simulation has nothing left to do but the call has not ended".to_owned(),
            );
        };
        if next > limit {
            break Some(format!(
                "the call had not ended after {} s of virtual time (max_secs)",
                scenario.max_secs
            ));
        }
        now = now.max(next);
        if next_reply.is_some_and(|t| t <= now) {
            app.deliver_due(sim, now);
        } else if let Some(r) = redirects.next_if(|r| Instant::from_millis(r.at_ms) <= now) {
            sim.note(
                now,
                format!("live redirect to {} {}", method_str(r.method), r.url),
            );
            sim.call_event(
                now,
                ringside_call::CallEvent::Redirect {
                    url: r.url.clone().into(),
                    method: r.method,
                },
            );
        } else {
            sim.handle_timeout(now);
        }
    };
    Driven {
        requests: app.requests,
        now,
        stuck,
    }
}

/// One request of the call to its app.
struct AppFetch {
    id: FetchId,
    url: Url,
    method: Method,
    params: Vec<(String, String)>,
    purpose: FetchPurpose,
}

/// The scenario's app: answers each request with the first reply rule that matches it.
struct ScriptedApp<'a> {
    scenario: &'a Scenario,
    requests: Vec<AppRequest>,
    in_flight: Vec<InFlight>,
}

impl ScriptedApp<'_> {
    /// Answers (later, after the rule's latency) the call's request and logs it.
    fn request(&mut self, sim: &mut Simulation, now: Instant, fetch: AppFetch) {
        let AppFetch {
            id,
            url,
            method,
            params,
            purpose,
        } = fetch;
        let nth = self.requests.len() as u32 + 1;
        let rule = self
            .scenario
            .replies
            .iter()
            .find(|r| r.when.matches(nth, &url, method, purpose, &params));
        let summary = match rule {
            Some(r) => {
                if purpose.expects_twiml() {
                    self.in_flight.push(InFlight {
                        at: now + ringside_call::Duration::from_millis(r.latency_ms),
                        id,
                        reply: r.reply.clone(),
                    });
                }
                describe(&r.reply, purpose)
            }
            None if purpose.expects_twiml() => {
                self.in_flight.push(InFlight {
                    at: now,
                    id,
                    reply: Reply::Http {
                        status: 404,
                        content_type: Some("text/plain".into()),
                        body: "no scripted reply matched this request".into(),
                    },
                });
                "no scripted reply matched: 404".to_owned()
            }
            None => "no scripted reply (ignored)".to_owned(),
        };
        sim.note(
            now,
            format!(
                "app request #{nth} {} {url} [{}]: {summary}",
                method_str(method),
                purpose.as_str()
            ),
        );
        self.requests.push(AppRequest {
            at_ms: now.as_millis(),
            nth,
            url: url.to_string(),
            method: method_str(method),
            purpose: purpose.as_str(),
            params,
            reply: summary,
        });
    }

    /// When the next reply arrives.
    fn next_reply(&self) -> Option<Instant> {
        self.in_flight.iter().map(|f| f.at).min()
    }

    /// Delivers every reply due by `now`, in request order.
    fn deliver_due(&mut self, sim: &mut Simulation, now: Instant) {
        let (due, rest): (Vec<_>, Vec<_>) = self.in_flight.drain(..).partition(|f| f.at <= now);
        self.in_flight = rest;
        for f in due {
            match f.reply {
                Reply::Http {
                    status,
                    content_type,
                    body,
                } => sim.app_responded(now, f.id, status, content_type, body),
                Reply::Fail(reason) => {
                    sim.app_failed(now, f.id, ringside_call::call::ERROR_HTTP_RETRIEVAL, reason);
                }
                Reply::NoReply => {}
            }
        }
    }
}

/// `<Play>` audio: the scenario's file for `url`, or a 2 s 440 Hz stand-in for an unknown
/// URL, so the flow still has a prompt of a known length.
fn load_media(
    scenario: &Scenario,
    clips: &mut ClipLibrary,
    sim: &mut Simulation,
    now: Instant,
    id: ringside_call::PlaybackId,
    url: &str,
) {
    match scenario.media.get(url) {
        Some(path) => match clips.load(path) {
            Ok(clip) => sim.media_loaded(now, id, clip),
            Err(e) => sim.media_failed(now, id, e.to_string()),
        },
        None => {
            sim.note(now, format!("no media file for {url}: playing a 2 s tone"));
            sim.media_loaded(now, id, signals::tone(440.0, 2000, 0.3).into());
        }
    }
}

/// The far end of a `<Dial>`led number: its phone-book entry, as for the called number.
fn dial_leg(
    scenario: &Scenario,
    clips: &mut ClipLibrary,
    sim: &mut Simulation,
    now: Instant,
    segment_sid: &str,
    number: &ringside_call::PhoneNumber,
) {
    let Some(book) = &scenario.phonebook else {
        sim.leg_failed(
            now,
            segment_sid,
            format!("no phone book to look up {number} in (give the scenario a \"phonebook\")"),
        );
        return;
    };
    match clips.far_end(book.lookup(number)) {
        Ok(far) => sim.leg_resolved(now, segment_sid, far),
        Err(e) => sim.leg_failed(now, segment_sid, e.to_string()),
    }
}

/// Checks the scenario's expectations against the finished call and builds its report
/// (without the recording and the wall time, added by the caller).
fn judge(scenario: &Scenario, sim: &Simulation, driven: Driven) -> ScenarioReport {
    let Driven {
        requests,
        now,
        stuck,
    } = driven;
    let call = sim.call();
    let tape = sim.tape_report();
    let prompts_played = sim.line().map_or(0, |l| {
        l.spans()
            .iter()
            .filter(|s| s.direction == Direction::ToCallee && matches!(s.tag, Tag::Playback(_)))
            .count() as u32
    });
    let notifications: Vec<(u32, String)> = call
        .notifications()
        .iter()
        .map(|n| (n.error_code, n.message_text.clone()))
        .collect();
    let status = call.is_final().then(|| call.status().code());
    let end = call.end_time().unwrap_or(now);
    let outcome = Outcome {
        error_code: None,
        status,
        dial_status: call.dial_status().map(|d| d.as_str()),
        answered_by: call.answered_by().map(|a| a.as_str()),
        detector: Some(sim.detector_report()),
        requests: &requests,
        notifications: call
            .notifications()
            .iter()
            .map(|n| NotificationOutcome {
                error_code: n.error_code,
                log: match n.log {
                    ringside_call::LogLevel::Error => "error",
                    ringside_call::LogLevel::Warning => "warning",
                },
                message: n.message_text.clone(),
            })
            .collect(),
        recordings: sim
            .recordings()
            .iter()
            .map(|r| r.duration.as_secs_ceil())
            .collect(),
        legs: sim
            .dial_legs()
            .iter()
            .map(|l| LegOutcome {
                number: l.number.to_string(),
                caller: l.caller.to_string(),
                status: l.status.map(|s| s.as_str()),
                duration_secs: l.duration(end).as_secs_ceil(),
                digits: l.digits_heard.clone(),
            })
            .collect(),
        far_end_digits: sim.far_end_digits(),
        tape: tape.as_ref(),
        prompts_played,
        ended_at_ms: call.end_time().map(Instant::as_millis),
    };
    let mut checks = scenario.expect.check(&outcome);
    if let Some(why) = &stuck {
        checks.insert(
            0,
            super::expect::Check {
                name: "call ended".into(),
                expected: "a final status".into(),
                actual: why.clone(),
                passed: false,
            },
        );
    }
    let detector = sim.detector_report().clone();
    let passed = checks.iter().all(|c| c.passed);
    ScenarioReport {
        file: scenario.path.clone(),
        description: scenario.description.clone(),
        rejected: None,
        call_sid: Some(call.sid().to_string()),
        status,
        dial_status: call.dial_status().map(|d| d.as_str().to_owned()),
        answered_by: call.answered_by().map(|a| a.as_str().to_owned()),
        detector: detector.verdict.is_some().then_some(detector),
        tape,
        far_end_digits: sim.far_end_digits(),
        requests,
        notifications,
        timeline: timeline(sim),
        checks,
        passed,
        virtual_ms: call.end_time().unwrap_or(now).as_millis(),
        wall_ms: 0.0,
        recording: None,
    }
}

/// The call's and the line's timelines, interleaved, as report lines.
fn timeline(sim: &Simulation) -> Vec<TimelineLine> {
    sim.timeline()
        .iter()
        .map(|(at, e)| TimelineLine {
            at_ms: at.as_millis(),
            source: match e {
                SimEntry::Call(_) => "call",
                SimEntry::Line(_) => "line",
            },
            text: match e {
                SimEntry::Call(c) => c.to_string(),
                SimEntry::Line(s) => s.clone(),
            },
        })
        .collect()
}

/// Writes both directions of an answered call as one stereo WAV in `dir`, named after the
/// scenario file; `None` if the call was never answered (nothing was on the line).
fn write_recording(
    scenario: &Scenario,
    sim: &Simulation,
    dir: &std::path::Path,
) -> Result<Option<std::path::PathBuf>, ScenarioError> {
    let Some(line) = sim.line() else {
        return Ok(None);
    };
    let stem = scenario.path.file_stem().map_or_else(
        || sim.call().sid().to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let written = ringside_audio::write_call(
        dir,
        &stem,
        signals::RATE,
        ringside_audio::Layout::Stereo,
        line.from_callee_audio(),
        line.to_callee_audio(),
    )
    .map_err(|source| ScenarioError::Record {
        path: scenario.path.clone(),
        source,
    })?;
    Ok(written.files.into_iter().next())
}

fn blank(scenario: &Scenario) -> ScenarioReport {
    ScenarioReport {
        file: scenario.path.clone(),
        description: scenario.description.clone(),
        rejected: None,
        call_sid: None,
        status: None,
        dial_status: None,
        answered_by: None,
        detector: None,
        tape: None,
        far_end_digits: String::new(),
        requests: Vec::new(),
        notifications: Vec::new(),
        timeline: Vec::new(),
        checks: Vec::new(),
        passed: false,
        virtual_ms: 0,
        wall_ms: 0.0,
        recording: None,
    }
}

fn method_str(m: Method) -> &'static str {
    m.as_str()
}

fn describe(reply: &Reply, purpose: FetchPurpose) -> String {
    let text = match reply {
        Reply::Http {
            status,
            content_type,
            body,
        } => format!(
            "{status} {} ({} bytes)",
            content_type.as_deref().unwrap_or("no content type"),
            body.len()
        ),
        Reply::NoReply => "no reply".to_owned(),
        Reply::Fail(r) => format!("connection fails: {r}"),
    };
    if purpose.expects_twiml() {
        text
    } else {
        format!("{text}, ignored")
    }
}

/// FNV-1a, 128-bit folded from two 64-bit halves: a stable call sid per scenario file.
fn fnv(bytes: &[u8]) -> u128 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (u128::from(h) << 64) | u128::from(h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15)
}
