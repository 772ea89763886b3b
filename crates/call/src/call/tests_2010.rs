//! The 2010-04-01 API's rules on the one call machine: parameters, AnsweredBy in each
//! detection mode, status callbacks, cancel, inline TwiML, FallbackUrl, Record.
#![allow(clippy::unwrap_used)]

use super::*;

const APP: &str = "http://app.example/voice";
const STATUS: &str = "http://app.example/status";
const AMD: &str = "http://app.example/amd";
const FALLBACK: &str = "http://app.example/fallback";

fn secs(s: u64) -> Instant {
    Instant::from_secs(s)
}

fn request(extra: &[(&str, &str)]) -> CreateCallRequest {
    let mut params: Vec<(String, String)> = vec![
        ("To".into(), "+14155551212".into()),
        ("From".into(), "+14158675309".into()),
    ];
    if !extra.iter().any(|(k, _)| *k == "Twiml") {
        params.push(("Url".into(), APP.into()));
    }
    params.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let base = Url::parse("http://ringside.invalid/Calls/CA1.json").unwrap();
    CreateCallRequest::from_params_2010(&params, &base).unwrap()
}

fn call(extra: &[(&str, &str)]) -> Call {
    let mut c = Call::new(
        CallSid::from_u128(7),
        AccountSid::from_u128(1),
        request(extra),
        CallConfig::default(),
        Instant::ZERO,
    );
    c.start(Instant::ZERO);
    c
}

fn drain(call: &mut Call) -> Vec<Action> {
    std::iter::from_fn(|| call.poll_action()).collect()
}

/// One request: its URL, purpose and parameters.
type Sent = (String, FetchPurpose, Vec<(String, String)>);

/// Every request among `actions`.
fn fetches(actions: &[Action]) -> Vec<Sent> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::FetchApp {
                url,
                params,
                purpose,
                ..
            } => Some((url.to_string(), *purpose, params.to_vec())),
            _ => None,
        })
        .collect()
}

fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn answered(extra: &[(&str, &str)]) -> Call {
    let mut c = call(extra);
    c.handle_event(secs(1), CallEvent::Ringing);
    c.handle_event(secs(5), CallEvent::Answered);
    c
}

fn verdict(c: &mut Call, at: u64, v: Verdict) {
    c.handle_event(secs(at), DetectorEvent::Verdict(v).into());
}

fn greeting_end(c: &mut Call, at: u64, end: GreetingEnd) {
    c.handle_event(secs(at), DetectorEvent::GreetingEnded(end).into());
}

/// The one request to the app's Url among `actions`, if any.
fn start_request(actions: &[Action]) -> Option<Vec<(String, String)>> {
    let starts: Vec<_> = fetches(actions)
        .into_iter()
        .filter(|(_, p, _)| *p == FetchPurpose::Start)
        .collect();
    assert!(starts.len() <= 1, "{starts:?}");
    starts.into_iter().next().map(|(url, _, p)| {
        assert_eq!(url, APP);
        p
    })
}

#[test]
fn requests_carry_the_2010_parameters_and_no_dial_status() {
    let mut c = answered(&[]);
    let first = start_request(&drain(&mut c)).unwrap();
    let names: Vec<&str> = first.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "AccountSid",
            "ApiVersion",
            "CallSid",
            "Called",
            "Caller",
            "Direction",
            "From",
            "To",
            "CallStatus"
        ]
    );
    assert_eq!(get(&first, "ApiVersion"), Some("2010-04-01"));
    assert_eq!(get(&first, "To"), Some("+14155551212"));
    assert_eq!(get(&first, "From"), Some("+14158675309"));
    assert_eq!(get(&first, "Direction"), Some("outbound-api"));
    assert_eq!(get(&first, "CallStatus"), Some("in-progress"));
}

#[test]
fn an_unanswered_call_requests_no_url_and_reaches_the_status_callback() {
    for (event, status) in [
        (CallEvent::Busy, "busy"),
        (CallEvent::NoAnswer, "no-answer"),
        (CallEvent::Failed { reason: "x".into() }, "failed"),
    ] {
        let mut c = call(&[("StatusCallback", STATUS)]);
        c.handle_event(secs(3), event);
        let sent = fetches(&drain(&mut c));
        assert_eq!(sent.len(), 1, "{sent:?}");
        let (url, purpose, params) = &sent[0];
        assert_eq!(
            (url.as_str(), *purpose),
            (STATUS, FetchPurpose::StatusCallback)
        );
        assert_eq!(get(params, "CallStatus"), Some(status));
        assert_eq!(get(params, "CallDuration"), Some("0"));
        assert_eq!(c.state().status_2010(), status);
    }
}

#[test]
fn status_callbacks_come_in_sequence_for_the_events_asked() {
    let mut c = call(&[
        ("StatusCallback", STATUS),
        ("StatusCallbackEvent", "initiated ringing"),
        ("StatusCallbackEvent", "answered"),
        ("StatusCallbackEvent", "completed"),
    ]);
    let mut seen = fetches(&drain(&mut c));
    c.handle_event(secs(1), CallEvent::Ringing);
    c.handle_event(secs(2), CallEvent::Ringing);
    c.handle_event(secs(5), CallEvent::Answered);
    seen.extend(fetches(&drain(&mut c)));
    c.handle_event(secs(17), CallEvent::CalleeHungUp);
    seen.extend(fetches(&drain(&mut c)));
    let callbacks: Vec<_> = seen
        .iter()
        .filter(|(_, p, _)| *p == FetchPurpose::StatusCallback)
        .map(|(_, _, params)| {
            (
                get(params, "CallStatus").unwrap().to_owned(),
                get(params, "SequenceNumber").unwrap().to_owned(),
                get(params, "CallbackSource").unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("initiated", "0"),
        ("ringing", "1"),
        ("in-progress", "2"),
        ("completed", "3"),
    ];
    assert_eq!(callbacks.len(), want.len(), "{callbacks:?}");
    for ((status, seq, source), (ws, wq)) in callbacks.iter().zip(want) {
        assert_eq!((status.as_str(), seq.as_str()), (ws, wq));
        assert_eq!(source, "call-progress-events");
    }
    let completed = &seen.last().unwrap().2;
    assert_eq!(get(completed, "CallDuration"), Some("12"));
    // Only `completed` without StatusCallbackEvent.
    let mut c = answered(&[("StatusCallback", STATUS)]);
    c.handle_event(secs(9), CallEvent::CalleeHungUp);
    let sent: Vec<_> = fetches(&drain(&mut c))
        .into_iter()
        .filter(|(_, p, _)| *p == FetchPurpose::StatusCallback)
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(get(&sent[0].2, "CallStatus"), Some("completed"));
}

#[test]
fn enable_reports_who_answered_as_soon_as_it_is_known() {
    for (v, by) in [
        (Verdict::Human, "human"),
        (Verdict::Machine, "machine_start"),
        (Verdict::Fax, "fax"),
        (Verdict::Silence, "unknown"),
        (Verdict::Unknown, "unknown"),
    ] {
        let mut c = answered(&[("MachineDetection", "Enable")]);
        assert_eq!(c.state(), State::Detecting);
        assert!(start_request(&drain(&mut c)).is_none());
        verdict(&mut c, 7, v);
        let first = start_request(&drain(&mut c)).unwrap();
        assert_eq!(get(&first, "AnsweredBy"), Some(by), "{v:?}");
        assert_eq!(get(&first, "MachineDetectionDuration"), Some("2000"));
        assert_eq!(c.answered_by().map(AnsweredBy::as_str), Some(by));
    }
    // No verdict within MachineDetectionTimeout: unknown.
    let mut c = answered(&[
        ("MachineDetection", "Enable"),
        ("MachineDetectionTimeout", "5"),
    ]);
    drain(&mut c);
    c.handle_timeout(secs(10));
    let first = start_request(&drain(&mut c)).unwrap();
    assert_eq!(get(&first, "AnsweredBy"), Some("unknown"));
}

#[test]
fn detect_message_end_waits_for_the_greeting_to_end() {
    for (end, by) in [
        (GreetingEnd::Beep, "machine_end_beep"),
        (GreetingEnd::Silence, "machine_end_silence"),
        (GreetingEnd::Timeout, "machine_end_other"),
    ] {
        let mut c = answered(&[("MachineDetection", "DetectMessageEnd")]);
        verdict(&mut c, 7, Verdict::Machine);
        assert_eq!(c.state(), State::AwaitingGreetingEnd);
        assert!(start_request(&drain(&mut c)).is_none());
        greeting_end(&mut c, 15, end);
        let first = start_request(&drain(&mut c)).unwrap();
        assert_eq!(get(&first, "AnsweredBy"), Some(by));
        assert_eq!(get(&first, "MachineDetectionDuration"), Some("10000"));
    }
    let mut c = answered(&[("MachineDetection", "DetectMessageEnd")]);
    verdict(&mut c, 6, Verdict::Human);
    let first = start_request(&drain(&mut c)).unwrap();
    assert_eq!(get(&first, "AnsweredBy"), Some("human"));
}

#[test]
fn a_late_beep_restarts_a_detect_message_end_flow_with_machine_end_beep() {
    let mut c = answered(&[("MachineDetection", "DetectMessageEnd")]);
    verdict(&mut c, 7, Verdict::Machine);
    greeting_end(&mut c, 12, GreetingEnd::Silence);
    let (first_id, first) = match drain(&mut c)
        .into_iter()
        .find(|a| matches!(a, Action::FetchApp { .. }))
    {
        Some(Action::FetchApp { id, params, .. }) => (id, params.to_vec()),
        _ => panic!("no first request"),
    };
    assert_eq!(get(&first, "AnsweredBy"), Some("machine_end_silence"));
    c.handle_event(
        secs(13),
        CallEvent::AppResponded {
            id: first_id,
            status: 200,
            content_type: Some("text/xml".into()),
            body: "<Response><Say>Message</Say></Response>".into(),
        },
    );
    drain(&mut c);
    greeting_end(&mut c, 16, GreetingEnd::Beep);
    let again = start_request(&drain(&mut c)).unwrap();
    assert_eq!(get(&again, "AnsweredBy"), Some("machine_end_beep"));
}

#[test]
fn async_amd_starts_the_flow_at_once_and_posts_the_result() {
    let mut c = answered(&[
        ("MachineDetection", "DetectMessageEnd"),
        ("AsyncAmd", "true"),
        ("AsyncAmdStatusCallback", AMD),
    ]);
    let actions = drain(&mut c);
    assert!(actions.contains(&Action::StartDetection));
    let first = start_request(&actions).unwrap();
    assert_eq!(get(&first, "AnsweredBy"), None);
    verdict(&mut c, 8, Verdict::Machine);
    assert!(fetches(&drain(&mut c)).is_empty());
    greeting_end(&mut c, 14, GreetingEnd::Beep);
    let sent = fetches(&drain(&mut c));
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (url, purpose, params) = &sent[0];
    assert_eq!((url.as_str(), *purpose), (AMD, FetchPurpose::AsyncAmd));
    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "AccountSid",
            "CallSid",
            "AnsweredBy",
            "MachineDetectionDuration"
        ]
    );
    assert_eq!(get(params, "AnsweredBy"), Some("machine_end_beep"));
    assert_eq!(get(params, "MachineDetectionDuration"), Some("9000"));
    // The flow was not disturbed.
    assert_eq!(c.state(), State::Fetching);
    // Enable: the verdict is the result.
    let mut c = answered(&[
        ("MachineDetection", "Enable"),
        ("AsyncAmd", "true"),
        ("AsyncAmdStatusCallback", AMD),
    ]);
    drain(&mut c);
    verdict(&mut c, 6, Verdict::Human);
    let sent = fetches(&drain(&mut c));
    assert_eq!(get(&sent[0].2, "AnsweredBy"), Some("human"));
    assert_eq!(c.answered_by(), Some(AnsweredBy::Human));
}

#[test]
fn cancel_ends_a_call_not_yet_answered_and_nothing_else() {
    let mut c = call(&[("StatusCallback", STATUS)]);
    drain(&mut c);
    c.handle_event(secs(2), CallEvent::Cancel);
    assert_eq!(c.state(), State::Canceled);
    assert_eq!(c.status_name(), "canceled");
    let actions = drain(&mut c);
    assert!(actions.contains(&Action::Hangup));
    let sent = fetches(&actions);
    assert_eq!(sent.len(), 1);
    assert_eq!(get(&sent[0].2, "CallStatus"), Some("canceled"));
    let mut c = answered(&[]);
    drain(&mut c);
    c.handle_event(secs(6), CallEvent::Cancel);
    assert!(!c.is_final());
    // An operator hang-up before answer is a cancel too, and requests no Url.
    let mut c = call(&[]);
    drain(&mut c);
    c.handle_event(secs(2), CallEvent::OperatorHangup);
    assert_eq!(c.state(), State::Canceled);
    assert!(fetches(&drain(&mut c)).is_empty());
}

#[test]
fn inline_twiml_runs_without_a_request_and_can_be_replaced() {
    let mut c = answered(&[("Twiml", "<Response><Say>Hello there</Say></Response>")]);
    let actions = drain(&mut c);
    assert!(fetches(&actions).is_empty(), "{actions:?}");
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Say { text, .. } if &**text == "Hello there"))
    );
    assert_eq!(c.state(), State::Running);
    c.handle_event(
        secs(6),
        CallEvent::Twiml("<Response><Hangup/></Response>".into()),
    );
    assert_eq!(c.state(), State::Completed);
}

#[test]
fn fallback_url_is_requested_once_when_the_first_request_fails() {
    let mut c = answered(&[("FallbackUrl", FALLBACK), ("FallbackMethod", "GET")]);
    let first = drain(&mut c);
    let Some(Action::FetchApp { id, .. }) = first
        .iter()
        .find(|a| matches!(a, Action::FetchApp { .. }))
        .cloned()
    else {
        panic!("no request");
    };
    c.handle_event(
        secs(6),
        CallEvent::AppResponded {
            id,
            status: 500,
            content_type: None,
            body: String::new(),
        },
    );
    let actions = drain(&mut c);
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Notify(n) if n.error_code == 11200))
    );
    let sent = fetches(&actions);
    assert_eq!(sent.len(), 1);
    let (url, purpose, params) = &sent[0];
    assert_eq!((url.as_str(), *purpose), (FALLBACK, FetchPurpose::Fallback));
    assert_eq!(get(params, "ErrorCode"), Some("11200"));
    assert_eq!(get(params, "ErrorUrl"), Some(APP));
    let Some(Action::FetchApp { id, method, .. }) = actions
        .iter()
        .find(|a| matches!(a, Action::FetchApp { .. }))
        .cloned()
    else {
        panic!("no fallback request");
    };
    assert_eq!(method, Method::Get);
    // The fallback failing too ends the call.
    c.handle_event(
        secs(7),
        CallEvent::AppFailed {
            id,
            code: 11200,
            reason: "refused".into(),
        },
    );
    assert_eq!(c.state(), State::Failed);
}

#[test]
fn record_true_asks_for_the_whole_call_from_the_answer() {
    let mut c = answered(&[("Record", "true")]);
    assert!(drain(&mut c).contains(&Action::RecordCall));
    let mut c = answered(&[]);
    assert!(!drain(&mut c).contains(&Action::RecordCall));
}

#[test]
fn timeline_status_names_follow_the_2010_list() {
    let c = Call::new(
        CallSid::from_u128(7),
        AccountSid::from_u128(1),
        request(&[]),
        CallConfig::default(),
        Instant::ZERO,
    );
    assert_eq!(c.status_name(), "queued");
    let mut c = c;
    c.start(Instant::ZERO);
    assert_eq!(c.status_name(), "ringing");
}
