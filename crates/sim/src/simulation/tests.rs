//! Simulation timing, through fixtures and hand-built far ends.

use std::path::{Path, PathBuf};

use ringside_call::{
    AccountSid, Call, CallConfig, CallSid, CallStatus, CreateCallRequest, DialStatus, Duration,
    FetchPurpose, GreetingEnd, Instant, Verdict,
};

use super::*;
use crate::clips::ClipLibrary;
use crate::phonebook::{Answer, Outcome, PhoneEntry, Role, Voicemail};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

fn request(extra: &[(&str, &str)]) -> CreateCallRequest {
    let mut params: Vec<(String, String)> = [
        ("Caller", "4158675309"),
        ("Called", "4155550199"),
        ("Url", "http://app.example/call"),
    ]
    .iter()
    .chain(extra)
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    params.dedup_by(|a, b| a.0 == b.0);
    CreateCallRequest::from_params(&params).unwrap()
}

fn sim(entry: &PhoneEntry, extra: &[(&str, &str)]) -> Simulation {
    sim_with(entry, extra, SimConfig::default())
}

fn sim_with(entry: &PhoneEntry, extra: &[(&str, &str)], config: SimConfig) -> Simulation {
    let call = Call::new(
        CallSid::from_u128(1),
        AccountSid::from_u128(2),
        request(extra),
        CallConfig::default(),
        Instant::ZERO,
    );
    let far = ClipLibrary::new().far_end(entry).unwrap();
    Simulation::new(call, far, config).unwrap()
}

fn answering(audio: Option<&str>, role: Role, ring_secs: u64) -> PhoneEntry {
    PhoneEntry {
        description: "test".into(),
        ring: Duration::from_secs(ring_secs),
        outcome: Outcome::Answer(Answer {
            audio: audio.map(fixture),
            recipe: None,
            hangup_after: Some(Duration::from_secs(40)),
            role,
        }),
    }
}

/// Runs the virtual clock, answering every TwiML request with `twiml` at once; returns the
/// requests made, with their times.
/// An app request seen by the test driver: when, why, with what.
type Seen = (Instant, FetchPurpose, Vec<(String, String)>);

fn run(sim: &mut Simulation, twiml: &str) -> Vec<Seen> {
    let mut requests = Vec::new();
    sim.start(Instant::ZERO);
    for _ in 0..100_000 {
        while let Some(out) = sim.poll_output() {
            if let SimOutput::FetchApp {
                id,
                purpose,
                params,
                ..
            } = out
            {
                let now = sim.timeline().last().map_or(Instant::ZERO, |e| e.0);
                requests.push((now, purpose, params));
                if purpose.expects_twiml() {
                    sim.app_responded(now, id, 200, Some("text/xml".into()), twiml.into());
                }
            }
        }
        if sim.is_finished() {
            return requests;
        }
        let Some(t) = sim.poll_timeout() else { break };
        sim.handle_timeout(t);
    }
    panic!("the simulation did not finish");
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn ringing_costs_nothing_and_ends_exactly_at_timeout() {
    let entry = PhoneEntry {
        description: "never".into(),
        ring: Duration::ZERO,
        outcome: Outcome::NoAnswer,
    };
    let mut s = sim(&entry, &[("Timeout", "45")]);
    let requests = run(&mut s, "<Response/>");
    assert_eq!(s.call().status(), CallStatus::NoAnswer);
    assert_eq!(s.call().end_time(), Some(Instant::from_secs(45)));
    assert_eq!(requests.len(), 1);
    assert_eq!(param(&requests[0].2, "DialStatus"), Some("no-answer"));
    assert!(s.line().is_none(), "no audio is produced while ringing");
}

#[test]
fn machine_continue_fetches_after_the_detected_beep_and_the_tape_is_whole() {
    let vm = Role::Voicemail(Voicemail {
        records_from: Duration::from_millis(6142),
        max_message: Duration::from_secs(60),
    });
    let keeping = SimConfig {
        keep_audio: true,
        ..SimConfig::default()
    };
    let mut s = sim_with(
        &answering(Some("machine_beep.wav"), vm.clone(), 5),
        &[("IfMachine", "Continue")],
        keeping,
    );
    let requests = run(
        &mut s,
        "<Response><Say>Please call us back tomorrow.</Say></Response>",
    );
    let det = s.detector_report().clone();
    assert_eq!(det.verdict, Some(Verdict::Machine), "{det:?}");
    assert_eq!(det.greeting_end, Some(GreetingEnd::Beep), "{det:?}");
    let beep_end = det.greeting_end_at_ms.unwrap();
    // The true beep ends 6.142 s after the answer at 5 s.
    assert!(beep_end.abs_diff(11_142) < 100, "beep end {beep_end}");
    let (at, purpose, params) = &requests[0];
    assert_eq!(*purpose, FetchPurpose::Start);
    assert_eq!(param(params, "DialStatus"), Some("answered-machine"));
    assert!(
        at.as_millis() >= beep_end,
        "fetched at {at} before the beep end"
    );
    let tape = s.tape_report().unwrap();
    assert_eq!(tape.capture, Capture::Whole, "{tape}");
    assert_eq!(s.call().dial_status(), Some(DialStatus::AnsweredMachine));
    // Asked to, both directions' audio is kept from the answer on.
    let line = s.line().unwrap();
    assert_eq!(line.to_callee_audio().len(), line.from_callee_audio().len());
    assert!(line.from_callee_audio().len() > 8 * 8000);

    // By default the same call keeps none, and behaves the same.
    let mut plain = sim(
        &answering(Some("machine_beep.wav"), vm, 5),
        &[("IfMachine", "Continue")],
    );
    run(
        &mut plain,
        "<Response><Say>Please call us back tomorrow.</Say></Response>",
    );
    assert_eq!(plain.detector_report(), &det);
    let line = plain.line().unwrap();
    assert!(line.from_callee_audio().is_empty() && line.to_callee_audio().is_empty());
}

#[test]
fn send_digits_reach_the_far_end_as_dtmf_in_time() {
    let mut s = sim(&answering(None, Role::Ivr, 1), &[("SendDigits", "w9*0")]);
    let requests = run(&mut s, "<Response><Pause length=\"1\"/></Response>");
    assert_eq!(s.far_end_digits(), "9*0");
    let times: Vec<u64> = s
        .far_end_digit_times()
        .iter()
        .map(|(t, _)| t.as_millis())
        .collect();
    // Answer at 1 s, `w` waits 0.5 s, then one key every 200 ms; the DSP places each
    // tone's start within a DTMF block of the truth.
    for (got, want) in times.iter().zip([1500, 1700, 1900]) {
        assert!(got.abs_diff(want) <= 20, "key at {got}, sent at {want}");
    }
    // The app runs only after the last key.
    assert!(requests[0].0 >= Instant::from_millis(2100));
}

#[test]
fn a_person_pressing_keys_is_heard_as_digits_by_the_call() {
    let script = crate::phonebook::HumanScript {
        gather: vec![crate::phonebook::KeyPress {
            after: Duration::from_millis(500),
            digits: "7#".into(),
        }],
        ..Default::default()
    };
    let mut s = sim(
        &answering(Some("human_hello.wav"), Role::Human(script), 2),
        &[],
    );
    let requests = run(
        &mut s,
        "<Response><Gather action=\"/g\"><Say>Press seven.</Say></Gather></Response>",
    );
    let gather = requests
        .iter()
        .find(|r| r.1 == FetchPurpose::GatherAction)
        .expect("the gather action was requested");
    assert_eq!(param(&gather.2, "Digits"), Some("7"));
}

/// A phone-book entry built from a recipe file (relative to the committed fixtures).
fn recipe_entry(answer: &str) -> PhoneEntry {
    crate::phonebook::parse_entry(
        serde_json::from_str(&format!(r#"{{"ring_secs": 1, "answer": {answer}}}"#)).unwrap(),
        &fixture("test-phonebook.json"),
        "far_end",
    )
    .unwrap()
}

fn sim_sid(entry: &PhoneEntry, sid: u128, extra: &[(&str, &str)]) -> Simulation {
    let call = Call::new(
        CallSid::from_u128(sid),
        AccountSid::from_u128(2),
        request(extra),
        CallConfig::default(),
        Instant::ZERO,
    );
    let far = ClipLibrary::new().far_end(entry).unwrap();
    Simulation::new(call, far, SimConfig::default()).unwrap()
}

#[test]
fn a_recipe_voicemail_rings_its_ringback_and_records_from_its_rendered_beep() {
    let entry = recipe_entry(r#"{"recipe": "recipes/voicemail_jp.json"}"#);
    let Outcome::Answer(a) = &entry.outcome else {
        panic!()
    };
    let recipe = a.recipe.clone().unwrap();
    for sid in [1u128, 7, 1 << 70] {
        let seed = (sid as u64) ^ ((sid >> 64) as u64);
        let plan = recipe.recipe.draw(seed);
        let call = plan.render(&recipe.speech).unwrap();
        let rate = f64::from(call.rate_hz);
        let pickup = call.pickup as f64 / rate;
        let beep_end = call.labels.beep_end.unwrap() - pickup;
        let mut s = sim_sid(&entry, sid, &[("IfMachine", "Continue")]);
        let want = Duration::from_millis((beep_end * 1000.0).ceil() as u64);
        assert_eq!(s.far_end().records_from(), Some(want), "sid {sid}");
        run(&mut s, "<Response><Say>Call us back.</Say></Response>");
        // It rang for the entry's second plus the rendered ringback.
        let answered = s.answered_at().unwrap().as_millis();
        let ring = 1000 + (pickup * 1000.0).ceil() as u64;
        assert_eq!(answered, ring, "sid {sid}");
        let det = s.detector_report().clone();
        assert_eq!(det.verdict, Some(Verdict::Machine), "sid {sid}: {det:?}");
        let tape = s.tape_report().unwrap();
        assert_eq!(tape.capture, Capture::Whole, "sid {sid}: {tape}");
        assert!(s.far_end().description().contains("recipe voicemail_jp"));
    }
    // The same call meets the same far end; another call, another draw.
    let a = sim_sid(&entry, 7, &[]);
    let b = sim_sid(&entry, 7, &[]);
    let c = sim_sid(&entry, 8, &[]);
    assert_eq!(a.far_end().description(), b.far_end().description());
    assert_eq!(a.far_end().records_from(), b.far_end().records_from());
    assert_ne!(a.far_end().description(), c.far_end().description());
}

#[test]
fn a_recipe_person_is_a_human_and_a_busy_recipe_is_busy() {
    let entry = recipe_entry(r#"{"recipe": "recipes/human_hello_twice_music.json"}"#);
    let mut s = sim_sid(&entry, 3, &[("IfMachine", "Continue")]);
    run(
        &mut s,
        "<Response><Say>Hi, this is your dentist.</Say></Response>",
    );
    let det = s.detector_report().clone();
    assert_eq!(det.verdict, Some(Verdict::Human), "{det:?}");
    assert_eq!(s.far_end().records_from(), None);

    let busy = recipe_entry(
        r#"{"recipe": {"before": {"kind": "busy", "country": "us", "duration_s": 3},
            "answer": {"kind": "silence"}}}"#,
    );
    let mut s = sim_sid(&busy, 3, &[]);
    run(&mut s, "<Response/>");
    assert_eq!(s.call().status(), CallStatus::Busy);
}
