//! `<Record>` endings, transcription and `<Dial>` legs, through the whole simulation.

use std::path::{Path, PathBuf};

use ringside_call::{
    AccountSid, Call, CallConfig, CallSid, CallStatus, CreateCallRequest, DialStatus, Duration,
    FetchPurpose, Instant,
};

use super::*;
use crate::clips::ClipLibrary;
use crate::phonebook::{Answer, HumanScript, KeyPress, Outcome, PhoneEntry, RecordReply, Role};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

fn person(script: HumanScript, ring_secs: u64, hangup_secs: u64) -> PhoneEntry {
    PhoneEntry {
        description: "a person".into(),
        ring: Duration::from_secs(ring_secs),
        outcome: Outcome::Answer(Answer {
            audio: Some(fixture("human_hello.wav")),
            recipe: None,
            hangup_after: Some(Duration::from_secs(hangup_secs)),
            role: Role::Human(script),
        }),
    }
}

fn talker(speak_secs: u64, then_press: Option<char>, says: Option<&str>) -> HumanScript {
    HumanScript {
        record: vec![RecordReply {
            speak: Duration::from_secs(speak_secs),
            then_press,
        }],
        says: says.map(str::to_owned),
        ..Default::default()
    }
}

fn sim(entry: &PhoneEntry) -> Simulation {
    let params: Vec<(String, String)> = [
        ("Caller", "4158675309"),
        ("Called", "4155550199"),
        ("Url", "http://app.example/call"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let call = Call::new(
        CallSid::from_u128(1),
        AccountSid::from_u128(2),
        CreateCallRequest::from_params(&params).unwrap(),
        CallConfig::default(),
        Instant::ZERO,
    );
    let far = ClipLibrary::new().far_end(entry).unwrap();
    Simulation::new(call, far, SimConfig::default()).unwrap()
}

/// An app request the test saw.
#[derive(Debug)]
struct Seen {
    at: Instant,
    url: String,
    purpose: FetchPurpose,
    params: Vec<(String, String)>,
}

impl Seen {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Runs the call on a virtual clock: the first request gets `first`, every later one
/// `<Hangup/>`; a dialled number gets `leg` as its far end.
fn run(sim: &mut Simulation, first: &str, leg: Option<&PhoneEntry>) -> Vec<Seen> {
    run_with(sim, first, &|_| leg.cloned())
}

/// As [`run`], with each dialled number's far end chosen by `book`.
fn run_with(
    sim: &mut Simulation,
    first: &str,
    book: &dyn Fn(&str) -> Option<PhoneEntry>,
) -> Vec<Seen> {
    let mut seen: Vec<Seen> = Vec::new();
    sim.start(Instant::ZERO);
    for _ in 0..200_000 {
        let now = sim.timeline().last().map_or(Instant::ZERO, |e| e.0);
        while let Some(out) = sim.poll_output() {
            match out {
                SimOutput::FetchApp {
                    id,
                    url,
                    purpose,
                    params,
                    ..
                } => {
                    let twiml = if seen.is_empty() {
                        first
                    } else {
                        "<Response><Hangup/></Response>"
                    };
                    seen.push(Seen {
                        at: now,
                        url: url.to_string(),
                        purpose,
                        params,
                    });
                    if purpose.expects_twiml() {
                        sim.app_responded(now, id, 200, Some("text/xml".into()), twiml.into());
                    }
                }
                SimOutput::DialLeg {
                    segment_sid,
                    number,
                } => match book(&number.to_string()) {
                    Some(e) => {
                        sim.leg_resolved(now, &segment_sid, ClipLibrary::new().far_end(&e).unwrap())
                    }
                    None => sim.leg_failed(now, &segment_sid, "no such number".into()),
                },
                _ => {}
            }
        }
        if sim.is_finished() {
            return seen;
        }
        let Some(t) = sim.poll_timeout() else { break };
        sim.handle_timeout(t);
    }
    panic!("the simulation did not finish");
}

fn only(seen: &[Seen], purpose: FetchPurpose) -> &Seen {
    let found: Vec<&Seen> = seen.iter().filter(|s| s.purpose == purpose).collect();
    assert_eq!(found.len(), 1, "{purpose:?} in {seen:#?}");
    found[0]
}

#[test]
fn a_record_ended_by_silence_requests_its_action_at_once() {
    // Talks 3 s, presses nothing: 2 s of silence end the recording.
    let mut s = sim(&person(talker(3, None, None), 1, 60));
    let seen = run(
        &mut s,
        r#"<Response><Record timeout="2" finishOnKey="" action="/next"/></Response>"#,
        None,
    );
    let action = only(&seen, FetchPurpose::RecordAction);
    assert!(action.url.ends_with("/next"));
    assert_eq!(action.param("Digits"), Some(""));
    let rec = &s.recordings()[0];
    // Requested in the same step that ended it, long before the person hangs up.
    assert!(action.at < Instant::from_secs(10), "{:?}", action.at);
    assert_eq!(
        action.param("Duration"),
        Some(rec.duration.as_secs_ceil().to_string().as_str())
    );
    assert_eq!(s.call().status(), CallStatus::Complete);
}

#[test]
fn max_length_stores_exactly_that_much_audio_after_the_beep() {
    let mut s = sim(&person(talker(30, None, None), 1, 90));
    let seen = run(
        &mut s,
        r#"<Response><Record maxLength="5" action="/next"/></Response>"#,
        None,
    );
    let rec = &s.recordings()[0];
    assert_eq!(rec.audio.len(), 5 * 8000);
    assert_eq!(rec.duration, Duration::from_secs(5));
    assert_eq!(
        only(&seen, FetchPurpose::RecordAction).param("Duration"),
        Some("5")
    );
}

#[test]
fn the_recording_url_ends_in_a_random_recording_sid() {
    let mut s = sim(&person(talker(2, Some('#'), None), 1, 60));
    let seen = run(
        &mut s,
        r#"<Response><Record action="/next"/></Response>"#,
        None,
    );
    let rec = &s.recordings()[0];
    assert!(rec.sid.starts_with("RE") && rec.sid.len() == 34);
    assert!(!rec.sid.contains(&s.call().sid().to_string()[2..]));
    let url = only(&seen, FetchPurpose::RecordAction)
        .param("RecordingUrl")
        .unwrap();
    assert!(url.ends_with(&rec.sid), "{url}");
    assert_eq!(
        only(&seen, FetchPurpose::RecordAction).param("Digits"),
        Some("#")
    );
}

#[test]
fn a_hangup_during_the_record_still_requests_the_action() {
    // Talks 30 s but hangs up 8 s after answering.
    let mut s = sim(&person(talker(30, None, None), 1, 8));
    let seen = run(
        &mut s,
        r#"<Response><Record action="/next"/></Response>"#,
        None,
    );
    let action = only(&seen, FetchPurpose::FinalRecordAction);
    assert_eq!(action.param("Digits"), Some("hangup"));
    assert_eq!(action.param("CallStatus"), Some("completed"));
    assert_eq!(s.recordings().len(), 1);
    assert_eq!(s.call().status(), CallStatus::Complete);
}

#[test]
fn transcription_is_the_persons_words_or_fails_with_a_warning() {
    let record = r#"<Response><Record action="/next" transcribe="true" transcribeCallback="/text"/></Response>"#;
    let mut s = sim(&person(
        talker(4, Some('#'), Some("Call me back at five.")),
        1,
        60,
    ));
    let seen = run(&mut s, record, None);
    let t = only(&seen, FetchPurpose::Transcription);
    assert!(t.url.ends_with("/text"));
    assert_eq!(t.param("TranscriptionText"), Some("Call me back at five."));
    assert_eq!(t.param("TranscriptionStatus"), Some("completed"));
    assert_eq!(
        t.param("RecordingSid"),
        Some(s.recordings()[0].sid.as_str())
    );
    assert!(s.call().notifications().is_empty());

    // No words in the book: failed, and a warning.
    let mut s = sim(&person(talker(4, Some('#'), None), 1, 60));
    let seen = run(&mut s, record, None);
    let t = only(&seen, FetchPurpose::Transcription);
    assert_eq!(t.param("TranscriptionStatus"), Some("failed"));
    assert_eq!(t.param("TranscriptionText"), Some(""));
    let n = &s.call().notifications()[0];
    assert_eq!((n.log.code(), n.error_code), (1, 17554));
}

fn dial_entry(outcome: Outcome, ring_secs: u64) -> PhoneEntry {
    PhoneEntry {
        description: "agent".into(),
        ring: Duration::from_secs(ring_secs),
        outcome,
    }
}

fn agent(hangup_secs: u64) -> PhoneEntry {
    dial_entry(
        Outcome::Answer(Answer {
            audio: Some(fixture("human_hello.wav")),
            recipe: None,
            hangup_after: Some(Duration::from_secs(hangup_secs)),
            role: Role::Plain,
        }),
        2,
    )
}

#[test]
fn dial_bridges_to_the_dialled_far_end_and_reports_its_duration() {
    let mut s = sim(&person(HumanScript::default(), 1, 60));
    let seen = run(
        &mut s,
        r#"<Response><Dial action="/dialed" callerId="4155550000"><Number sendDigits="12#">4155550100</Number></Dial></Response>"#,
        Some(&agent(6)),
    );
    let action = only(&seen, FetchPurpose::DialAction);
    assert_eq!(action.param("DialStatus"), Some("answered"));
    assert_eq!(action.param("DialCallDuration"), Some("6"));
    let leg = &s.dial_legs()[0];
    assert_eq!(action.param("DialCallSid"), Some(leg.segment_sid.as_str()));
    assert_eq!(leg.status, Some(DialStatus::Answered));
    assert_eq!(leg.caller.to_string(), "4155550000");
    assert_eq!(leg.digits_heard, "12#");
    // The leg's hello reached the callee.
    assert!(
        s.line()
            .unwrap()
            .spans()
            .iter()
            .any(|sp| sp.tag == Tag::DialLeg && sp.direction == Direction::ToCallee)
    );
}

#[test]
fn dial_busy_no_answer_and_failed() {
    for (leg, timeout, want) in [
        (Some(dial_entry(Outcome::Busy, 2)), 30, "busy"),
        (Some(dial_entry(Outcome::NoAnswer, 0)), 5, "no-answer"),
        (Some(agent(10)), 1, "no-answer"),
        (Some(dial_entry(Outcome::Fail, 1)), 30, "failed"),
        (None, 30, "failed"),
    ] {
        let mut s = sim(&person(HumanScript::default(), 1, 60));
        let twiml = format!(
            r#"<Response><Dial action="/dialed" timeout="{timeout}">4155550100</Dial></Response>"#
        );
        let seen = run(&mut s, &twiml, leg.as_ref());
        let action = only(&seen, FetchPurpose::DialAction);
        assert_eq!(action.param("DialStatus"), Some(want), "{twiml}");
        assert_eq!(action.param("DialCallDuration"), Some("0"));
    }
}

#[test]
fn time_limit_and_hangup_on_star_end_the_bridge() {
    let mut s = sim(&person(HumanScript::default(), 1, 60));
    let seen = run(
        &mut s,
        r#"<Response><Dial action="/dialed" timeLimit="3">4155550100</Dial></Response>"#,
        Some(&agent(30)),
    );
    assert_eq!(
        only(&seen, FetchPurpose::DialAction).param("DialCallDuration"),
        Some("3")
    );

    let star = HumanScript {
        press: vec![KeyPress {
            after: Duration::from_secs(6),
            digits: "*".into(),
        }],
        ..Default::default()
    };
    let mut s = sim(&person(star, 1, 60));
    let seen = run(
        &mut s,
        r#"<Response><Dial action="/dialed" hangupOnStar="true">4155550100</Dial></Response>"#,
        Some(&agent(30)),
    );
    let action = only(&seen, FetchPurpose::DialAction);
    assert_eq!(action.param("DialStatus"), Some("answered"));
    let secs: u64 = action.param("DialCallDuration").unwrap().parse().unwrap();
    // Answered 2 s into the bridge, * pressed 4 s later (heard ~0.1 s into its tone).
    assert!((4..=5).contains(&secs), "{secs}");
}

#[test]
fn every_number_rings_at_once_and_the_first_to_answer_is_bridged() {
    let book = |n: &str| match n {
        "4155550103" => Some(dial_entry(Outcome::Busy, 1)),
        "4155550104" => Some(dial_entry(Outcome::NoAnswer, 0)),
        "4155550121" => Some(agent(5)),
        _ => None,
    };
    let mut s = sim(&person(HumanScript::default(), 1, 60));
    let seen = run_with(
        &mut s,
        r#"<Response><Dial action="/dialed"><Number>4155550103</Number><Number>4155550104</Number><Number>4155550121</Number></Dial></Response>"#,
        &book,
    );
    let action = only(&seen, FetchPurpose::DialAction);
    assert_eq!(action.param("DialStatus"), Some("answered"));
    assert_eq!(action.param("DialCallDuration"), Some("5"));
    let legs = s.dial_legs();
    assert_eq!(legs.len(), 3);
    assert_eq!(
        action.param("DialCallSid"),
        Some(legs[2].segment_sid.as_str())
    );
    let statuses: Vec<_> = legs.iter().map(|l| l.status).collect();
    assert_eq!(
        statuses,
        [
            Some(DialStatus::Busy),
            Some(DialStatus::NoAnswer),
            Some(DialStatus::Answered)
        ]
    );
    // The one still ringing was hung up when the agent answered, 2 s in.
    assert_eq!(legs[1].ended_at, legs[2].answered_at);

    // Nobody answers: still ringing at the timeout is no-answer; all busy is busy.
    let mut s = sim(&person(HumanScript::default(), 1, 60));
    let seen = run_with(
        &mut s,
        r#"<Response><Dial action="/dialed" timeout="4"><Number>4155550103</Number><Number>4155550104</Number></Dial></Response>"#,
        &book,
    );
    assert_eq!(
        only(&seen, FetchPurpose::DialAction).param("DialStatus"),
        Some("no-answer")
    );
    let mut s = sim(&person(HumanScript::default(), 1, 60));
    let seen = run_with(
        &mut s,
        r#"<Response><Dial action="/dialed"><Number>4155550103</Number><Number>4155550199</Number></Dial></Response>"#,
        &book,
    );
    assert_eq!(
        only(&seen, FetchPurpose::DialAction).param("DialStatus"),
        Some("busy")
    );
}
