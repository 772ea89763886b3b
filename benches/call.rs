//! The call model's cost: the sans-I/O state machine in events per second over whole call
//! lifecycles, and the TwiML parser on a representative document.
//!
//! A lifecycle is recorded once by a scripted driver (it answers every action the way a
//! telephone network and an app would), then replayed into fresh calls in the timed loop:
//! the timing covers only `start`, `handle_event`, `handle_timeout` and draining
//! `poll_action`, not the driver. The app's replies are events like any other: the call
//! parses their TwiML while handling them, so the two "menu" lifecycles include parsing
//! two documents each (the menu and the reply to the digit); "machine, hang up" makes no
//! request that expects TwiML, so it is the state machine alone. `twiml/parse menu
//! document` is the parser on its own. Run: `cargo bench --bench call -- --warm-up-time 1
//! --measurement-time 3`; [`once`] gives instruction counts instead.
#![allow(clippy::unwrap_used)]

// Only the summary: the audio helpers are the detector bench's.
#[allow(dead_code)]
#[path = "support/summary.rs"]
mod summary;

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{BatchSize, Criterion, Throughput};
use ringside_call::{
    AccountSid, Action, Call, CallConfig, CallEvent, CallSid, CreateCallRequest, DetectorEvent,
    Duration, FetchPurpose, GreetingEnd, IfMachine, Instant, PhoneNumber, Url, Verdict, twiml,
};
use summary::Unit;

/// The app's first document: a menu (the common IVR shape).
const MENU: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response>
    <Say voice="woman" language="en">Hello, this is a reminder from Ringside Dental.</Say>
    <Gather numDigits="1" timeout="5" action="/menu.php" method="POST">
        <Say voice="woman">Press 1 to confirm your appointment, 2 to cancel, or 3 to speak to someone.</Say>
        <Pause length="1"/>
    </Gather>
    <Say>We did not receive any input. Goodbye.</Say>
    <Hangup/>
</Response>"#;

/// The reply to the menu choice.
const CONFIRMED: &str = r#"<Response><Say>Thank you, your appointment is confirmed.</Say><Play loop="1">http://app.example/audio/chime.wav</Play><Hangup/></Response>"#;

/// A recorded lifecycle: each input with its time.
type Script = Vec<(Instant, Input)>;

/// One input to the call, as recorded.
#[derive(Debug, Clone)]
enum Input {
    Start,
    Event(CallEvent),
    Timeout,
}

fn new_call(if_machine: Option<IfMachine>) -> Call {
    let mut request = CreateCallRequest::new(
        PhoneNumber::parse("415-867-5309").unwrap(),
        PhoneNumber::parse("(415) 555-1212").unwrap(),
        Url::parse("http://app.example/start.php").unwrap(),
    );
    request.if_machine = if_machine;
    Call::new(
        CallSid::from_u128(0x42ed11f93dc08b952027ffbc406d0868),
        AccountSid::parse("AC309475e5fede1b49e100272a8640f438").unwrap(),
        request,
        CallConfig::default(),
        Instant::ZERO,
    )
}

/// Drives a call to its end with a scripted far end and app, recording every input.
///
/// `machine`: the callee is a voicemail box (verdict machine, greeting ends with a beep)
/// rather than a person.
fn record_lifecycle(if_machine: Option<IfMachine>, machine: bool) -> Script {
    let mut call = new_call(if_machine);
    let mut script = Vec::new();
    let mut now = Instant::ZERO;
    let mut pending: Vec<CallEvent> = Vec::new();
    let feed = |call: &mut Call, script: &mut Script, now, input: Input| {
        match &input {
            Input::Start => call.start(now),
            Input::Event(e) => call.handle_event(now, e.clone()),
            Input::Timeout => call.handle_timeout(now),
        }
        script.push((now, input));
    };
    feed(&mut call, &mut script, now, Input::Start);
    for _ in 0..1000 {
        while let Some(action) = call.poll_action() {
            match action {
                Action::Dial { .. } => {
                    pending.push(CallEvent::Ringing);
                    pending.push(CallEvent::Answered);
                }
                Action::StartDetection => {
                    let verdict = if machine {
                        Verdict::Machine
                    } else {
                        Verdict::Human
                    };
                    pending.push(CallEvent::Detector(DetectorEvent::Verdict(verdict)));
                    if machine {
                        pending.push(CallEvent::Detector(DetectorEvent::GreetingEnded(
                            GreetingEnd::Beep,
                        )));
                    }
                }
                Action::FetchApp { id, purpose, .. } if purpose.expects_twiml() => {
                    let body = match purpose {
                        FetchPurpose::GatherAction => CONFIRMED,
                        _ => MENU,
                    };
                    pending.push(CallEvent::AppResponded {
                        id,
                        status: 200,
                        content_type: Some("text/xml".to_owned()),
                        body: body.to_owned(),
                    });
                }
                Action::Say { id, .. } | Action::Play { id, .. } => {
                    pending.push(CallEvent::PlaybackFinished(id));
                }
                Action::Gather { .. } => pending.push(CallEvent::Digit('1')),
                _ => {}
            }
        }
        if call.is_final() {
            return script;
        }
        now += Duration::from_millis(250);
        if pending.is_empty() {
            if let Some(t) = call.poll_timeout() {
                now = t.max(now);
            }
            feed(&mut call, &mut script, now, Input::Timeout);
        } else {
            let event = pending.remove(0);
            feed(&mut call, &mut script, now, Input::Event(event));
        }
    }
    panic!("the scripted call did not end: {:?}", call.state());
}

/// Replays a recorded lifecycle into `call`; returns the actions it produced.
#[inline(never)]
fn replay(call: &mut Call, script: Script) -> usize {
    let mut actions = 0;
    for (now, input) in script {
        match input {
            Input::Start => call.start(now),
            Input::Event(e) => call.handle_event(now, e),
            Input::Timeout => call.handle_timeout(now),
        }
        while let Some(a) = call.poll_action() {
            black_box(&a);
            actions += 1;
        }
    }
    actions
}

/// The lifecycles benchmarked: name, the request's `IfMachine`, and whether a machine
/// answers.
const LIFECYCLES: [(&str, Option<IfMachine>, bool); 3] = [
    ("lifecycle: human, menu, digit, goodbye", None, false),
    (
        "lifecycle: machine, beep, menu",
        Some(IfMachine::Continue),
        true,
    ),
    ("lifecycle: machine, hang up", Some(IfMachine::Hangup), true),
];

fn state_machine(c: &mut Criterion) {
    let mut g = c.benchmark_group("call");
    for (name, if_machine, machine) in LIFECYCLES {
        let script = record_lifecycle(if_machine, machine);
        eprintln!("{name}: {} inputs", script.len());
        g.throughput(Throughput::Elements(script.len() as u64));
        g.bench_function(name, |b| {
            b.iter_batched(
                || (new_call(if_machine), script.clone()),
                |(mut call, script)| {
                    let n = replay(&mut call, script);
                    (call, n)
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

fn parser(c: &mut Criterion) {
    let mut g = c.benchmark_group("twiml");
    g.throughput(Throughput::Elements(1));
    assert!(twiml::parse(MENU).is_ok());
    g.bench_function("parse menu document", |b| {
        b.iter(|| twiml::parse(black_box(MENU)))
    });
    g.finish();
}

/// `RINGSIDE_BENCH_ONCE=lifecycles|lifecycle:<i>|parse`: replay every lifecycle (or only
/// the `i`th of [`LIFECYCLES`], from 0; or parse the menu) [`ONCE_ROUNDS`] times without
/// criterion, for instruction counts that a noisy machine cannot disturb:
///
/// ```text
/// RINGSIDE_BENCH_ONCE=lifecycles valgrind --tool=callgrind --toggle-collect='call::replay' \
///     target/release/deps/call-<hash>
/// ```
///
/// (`parse` with `--toggle-collect='call::parse_all'`). Prints the inputs or documents
/// handled: divide the instruction count by it.
fn once(which: &str) {
    let chosen: Vec<_> = match which {
        "parse" => {
            black_box(parse_all());
            println!("parse: {ONCE_ROUNDS} documents");
            return;
        }
        "lifecycles" => LIFECYCLES.iter().collect(),
        _ => match which
            .strip_prefix("lifecycle:")
            .and_then(|i| LIFECYCLES.get(i.parse::<usize>().ok()?))
        {
            Some(one) => vec![one],
            None => panic!("RINGSIDE_BENCH_ONCE={which}: use lifecycles, lifecycle:<0-2> or parse"),
        },
    };
    let scripts: Vec<_> = chosen
        .iter()
        .map(|&&(_, if_machine, machine)| (if_machine, record_lifecycle(if_machine, machine)))
        .collect();
    let inputs: usize = scripts.iter().map(|(_, s)| s.len()).sum();
    black_box(replay_all(&scripts));
    println!("{which}: {} inputs", inputs * ONCE_ROUNDS);
}

/// How many times [`once`] repeats its workload.
const ONCE_ROUNDS: usize = 1000;

#[inline(never)]
fn replay_all(scripts: &[(Option<IfMachine>, Script)]) -> usize {
    let mut actions = 0;
    for _ in 0..ONCE_ROUNDS {
        for (if_machine, script) in scripts {
            let mut call = new_call(*if_machine);
            actions += replay(&mut call, script.clone());
        }
    }
    actions
}

#[inline(never)]
fn parse_all() -> usize {
    (0..ONCE_ROUNDS)
        .filter(|_| twiml::parse(black_box(MENU)).is_ok())
        .count()
}

fn main() {
    if let Ok(which) = std::env::var("RINGSIDE_BENCH_ONCE") {
        once(&which);
        return;
    }
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    state_machine(&mut c);
    parser(&mut c);
    c.final_summary();
    summary::print(
        started,
        &[
            ("call", Unit::Item("event"), None),
            ("twiml", Unit::Item("document"), None),
        ],
    );
}
