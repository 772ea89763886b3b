//! State-machine tests, grouped by the state a builder puts the call in (as smoltcp does),
//! then property tests over random event orders.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::api::{IfMachine, PhoneNumber, SendDigits};
use crate::twiml::{Language, Voice};

const APP: &str = "http://app.example/call/start.php";

fn t(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

fn secs(s: u64) -> Instant {
    Instant::from_secs(s)
}

fn request() -> CreateCallRequest {
    CreateCallRequest::new(
        PhoneNumber::parse("415-867-5309").unwrap(),
        PhoneNumber::parse("(415) 555-1212").unwrap(),
        Url::parse(APP).unwrap(),
    )
}

fn with_machine(if_machine: IfMachine) -> CreateCallRequest {
    CreateCallRequest {
        if_machine: Some(if_machine),
        ..request()
    }
}

fn with_digits(digits: &str) -> CreateCallRequest {
    CreateCallRequest {
        send_digits: Some(SendDigits::parse(digits).unwrap()),
        ..request()
    }
}

fn drain(call: &mut Call) -> Vec<Action> {
    std::iter::from_fn(|| call.poll_action()).collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The single FetchApp among `actions`.
fn only_fetch(actions: &[Action]) -> (FetchId, Url, Method, Vec<(String, String)>, FetchPurpose) {
    let fetches: Vec<_> = actions
        .iter()
        .filter_map(|a| match a {
            Action::FetchApp {
                id,
                url,
                method,
                params,
                purpose,
            } => Some((*id, Url::clone(url), *method, params.to_vec(), *purpose)),
            _ => None,
        })
        .collect();
    assert_eq!(fetches.len(), 1, "{actions:?}");
    fetches.into_iter().next().unwrap()
}

fn has_fetch(actions: &[Action]) -> bool {
    actions.iter().any(|a| matches!(a, Action::FetchApp { .. }))
}

fn created(req: CreateCallRequest) -> Call {
    Call::new(
        CallSid::from_u128(0x42ed11f93dc08b952027ffbc406d0868),
        AccountSid::parse("AC309475e5fede1b49e100272a8640f438").unwrap(),
        req,
        CallConfig::default(),
        Instant::ZERO,
    )
}

fn ringing(req: CreateCallRequest) -> Call {
    let mut c = created(req);
    c.start(Instant::ZERO);
    drain(&mut c);
    c
}

/// Answered at 10 s with IfMachine set.
fn detecting(if_machine: IfMachine) -> Call {
    let mut c = ringing(with_machine(if_machine));
    c.handle_event(secs(10), CallEvent::Answered);
    assert_eq!(c.state(), State::Detecting);
    drain(&mut c);
    c
}

/// Answered at 10 s with IfMachine set, under `config`.
fn detecting_with(if_machine: IfMachine, config: CallConfig) -> Call {
    let mut c = Call::new(
        CallSid::from_u128(0x42ed11f93dc08b952027ffbc406d0868),
        AccountSid::parse("AC309475e5fede1b49e100272a8640f438").unwrap(),
        with_machine(if_machine),
        config,
        Instant::ZERO,
    );
    c.start(Instant::ZERO);
    drain(&mut c);
    c.handle_event(secs(10), CallEvent::Answered);
    assert_eq!(c.state(), State::Detecting);
    drain(&mut c);
    c
}

/// Machine verdict at 12 s with IfMachine=Continue.
fn awaiting_greeting() -> Call {
    let mut c = detecting(IfMachine::Continue);
    c.handle_event(
        secs(12),
        CallEvent::Detector(DetectorEvent::Verdict(Verdict::Machine)),
    );
    assert_eq!(c.state(), State::AwaitingGreetingEnd);
    drain(&mut c);
    c
}

/// Answered at 10 s without IfMachine; the first request is in flight.
fn fetching() -> (Call, FetchId) {
    let mut c = ringing(request());
    c.handle_event(secs(10), CallEvent::Answered);
    let (id, ..) = only_fetch(&drain(&mut c));
    assert_eq!(c.state(), State::Fetching);
    (c, id)
}

fn respond(c: &mut Call, now: Instant, id: FetchId, xml: &str) -> Vec<Action> {
    c.handle_event(
        now,
        CallEvent::AppResponded {
            id,
            status: 200,
            content_type: Some("text/xml".into()),
            body: xml.into(),
        },
    );
    drain(c)
}

/// Running `xml` (answered at 10 s, fetched at 11 s); returns the first actions.
fn running(xml: &str) -> (Call, Vec<Action>) {
    let (mut c, id) = fetching();
    let actions = respond(&mut c, secs(11), id, xml);
    (c, actions)
}

fn playback_id(actions: &[Action]) -> PlaybackId {
    actions
        .iter()
        .find_map(|a| match a {
            Action::Say { id, .. } | Action::Play { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap()
}

mod created {
    use super::*;

    #[test]
    fn is_status_zero_and_idle() {
        let mut c = created(request());
        assert_eq!(c.status(), CallStatus::NotDialled);
        assert_eq!(c.state(), State::Created);
        assert_eq!(c.poll_action(), None);
        assert_eq!(c.poll_timeout(), None);
        assert_eq!(c.start_time(), None);
        assert_eq!(c.duration(), None);
    }

    #[test]
    fn start_dials_and_arms_ring_timeout() {
        let mut c = created(request());
        c.start(secs(1));
        assert_eq!(c.state(), State::Ringing);
        assert_eq!(c.status(), CallStatus::InProgress);
        assert_eq!(c.start_time(), Some(secs(1)));
        assert_eq!(
            drain(&mut c),
            vec![Action::Dial {
                to: PhoneNumber::parse("4155551212").unwrap(),
                from: PhoneNumber::parse("4158675309").unwrap(),
                timeout: Duration::from_secs(60),
            }]
        );
        assert_eq!(c.poll_timeout(), Some(secs(61)));
        c.start(secs(2));
        assert!(drain(&mut c).is_empty());
    }

    #[test]
    fn events_before_start_are_ignored() {
        let mut c = created(request());
        c.handle_event(secs(1), CallEvent::Answered);
        c.handle_event(secs(1), CallEvent::Busy);
        assert_eq!(c.state(), State::Created);
        assert!(matches!(
            c.timeline().last(),
            Some((_, TimelineEntry::Ignored { .. }))
        ));
    }

    /// A shutdown before dialling: the app still gets its one request, as a no-answer.
    #[test]
    fn operator_hangup_cancels_and_notifies_no_answer() {
        let mut c = created(request());
        c.handle_event(secs(1), CallEvent::OperatorHangup);
        assert_eq!(c.status(), CallStatus::NoAnswer);
        let actions = drain(&mut c);
        assert!(!actions.contains(&Action::Hangup));
        let (.., params, purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::Notify);
        assert_eq!(param(&params, "DialStatus"), Some("no-answer"));
    }
}

mod ringing {
    use super::*;

    #[test]
    fn ring_timeout_boundary() {
        let mut c = ringing(request());
        c.handle_timeout(t(59_999));
        assert_eq!(c.state(), State::Ringing);
        assert!(drain(&mut c).is_empty());
        c.handle_timeout(t(60_000));
        assert_eq!(c.status(), CallStatus::NoAnswer);
        let actions = drain(&mut c);
        assert_eq!(actions[0], Action::Hangup);
        let (_, url, method, params, purpose) = only_fetch(&actions);
        assert_eq!(
            (url.as_str(), method, purpose),
            (APP, Method::Post, FetchPurpose::Notify)
        );
        assert_eq!(param(&params, "DialStatus"), Some("no-answer"));
        assert_eq!(param(&params, "CallStatus"), Some("no-answer"));
        assert_eq!(c.dial_status(), Some(DialStatus::NoAnswer));
        assert_eq!(c.end_time(), Some(t(60_000)));
        assert_eq!(c.duration_secs(), Some(0));
        assert_eq!(c.poll_timeout(), None);
    }

    #[test]
    fn timeout_999_is_honoured() {
        let mut c = ringing(CreateCallRequest {
            timeout: Duration::from_secs(999),
            ..request()
        });
        assert_eq!(c.poll_timeout(), Some(secs(999)));
        c.handle_timeout(t(998_999));
        assert_eq!(c.state(), State::Ringing);
        c.handle_timeout(secs(999));
        assert_eq!(c.state(), State::NoAnswer);
    }

    #[test]
    fn timeout_1000_is_rejected_by_validation() {
        let p = |timeout: &str| {
            vec![
                ("Caller".to_owned(), "4158675309".to_owned()),
                ("Called".to_owned(), "4155551212".to_owned()),
                ("Url".to_owned(), APP.to_owned()),
                ("Timeout".to_owned(), timeout.to_owned()),
            ]
        };
        assert!(CreateCallRequest::from_params(&p("999")).is_ok());
        assert_eq!(
            CreateCallRequest::from_params(&p("1000")).unwrap_err().code,
            21208
        );
    }

    #[test]
    fn busy_notifies_busy() {
        let mut c = ringing(request());
        c.handle_event(secs(3), CallEvent::Busy);
        assert_eq!(c.status(), CallStatus::Busy);
        let actions = drain(&mut c);
        assert!(!actions.contains(&Action::Hangup));
        let (.., params, purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::Notify);
        assert_eq!(param(&params, "DialStatus"), Some("busy"));
        assert_eq!(param(&params, "CallStatus"), Some("busy"));
    }

    #[test]
    fn network_no_answer_and_failure() {
        let mut c = ringing(request());
        c.handle_event(secs(30), CallEvent::NoAnswer);
        assert_eq!(c.status(), CallStatus::NoAnswer);
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "DialStatus"), Some("no-answer"));

        let mut c = ringing(request());
        c.handle_event(
            secs(1),
            CallEvent::Failed {
                reason: "no route".into(),
            },
        );
        assert_eq!(c.status(), CallStatus::Failed);
        assert_eq!(c.status().code(), 4);
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "DialStatus"), Some("failed"));
        assert_eq!(param(&params, "CallStatus"), Some("failed"));
    }

    #[test]
    fn rejected_while_ringing_is_busy() {
        let mut c = ringing(request());
        c.handle_event(secs(2), CallEvent::CalleeHungUp);
        assert_eq!(c.status(), CallStatus::Busy);
    }

    /// A shutdown while ringing: hang up, then the app's one request, as a no-answer.
    #[test]
    fn operator_hangup_cancels_and_notifies_no_answer() {
        let mut c = ringing(request());
        c.handle_event(secs(2), CallEvent::OperatorHangup);
        assert_eq!(c.status(), CallStatus::NoAnswer);
        let actions = drain(&mut c);
        assert_eq!(actions[0], Action::Hangup);
        let (.., params, purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::Notify);
        assert_eq!(param(&params, "DialStatus"), Some("no-answer"));
        assert_eq!(param(&params, "CallStatus"), Some("no-answer"));
    }

    #[test]
    fn answer_without_if_machine_fetches_at_once() {
        let mut c = ringing(request());
        c.handle_event(secs(5), CallEvent::Ringing);
        c.handle_event(secs(10), CallEvent::Answered);
        let actions = drain(&mut c);
        let (id, url, method, params, purpose) = only_fetch(&actions);
        assert_eq!(id, FetchId(1));
        assert_eq!(
            (url.as_str(), method, purpose),
            (APP, Method::Post, FetchPurpose::Start)
        );
        let names: Vec<_> = params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "CallSid",
                "CallGuid",
                "AccountSid",
                "AccountGuid",
                "Caller",
                "Called",
                "CallStatus",
                "DialStatus"
            ]
        );
        assert_eq!(
            param(&params, "CallSid"),
            Some("CA42ed11f93dc08b952027ffbc406d0868")
        );
        assert_eq!(param(&params, "CallGuid"), param(&params, "CallSid"));
        assert_eq!(
            param(&params, "AccountSid"),
            Some("AC309475e5fede1b49e100272a8640f438")
        );
        assert_eq!(param(&params, "Caller"), Some("4158675309"));
        assert_eq!(param(&params, "Called"), Some("4155551212"));
        assert_eq!(param(&params, "CallStatus"), Some("in-progress"));
        assert_eq!(param(&params, "DialStatus"), Some("answered"));
        assert_eq!(c.answered_at(), Some(secs(10)));
    }

    #[test]
    fn answer_with_if_machine_starts_detection() {
        for im in [IfMachine::Continue, IfMachine::Hangup] {
            let mut c = ringing(with_machine(im));
            c.handle_event(secs(10), CallEvent::Answered);
            assert_eq!(drain(&mut c), vec![Action::StartDetection]);
            assert_eq!(c.state(), State::Detecting);
        }
    }

    #[test]
    fn redirect_before_answer_changes_first_request() {
        let mut c = ringing(request());
        c.handle_event(
            secs(2),
            CallEvent::Redirect {
                url: Url::parse("http://other.example/x").unwrap().into(),
                method: Method::Get,
            },
        );
        c.handle_event(secs(3), CallEvent::Answered);
        let (_, url, method, params, _) = only_fetch(&drain(&mut c));
        assert_eq!(
            (url.as_str(), method),
            ("http://other.example/x", Method::Get)
        );
        assert_eq!(param(&params, "DialStatus"), Some("answered"));
    }

    #[test]
    fn app_events_while_ringing_are_ignored() {
        let mut c = ringing(request());
        c.handle_event(secs(1), CallEvent::Digit('1'));
        c.handle_event(
            secs(1),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Human)),
        );
        c.handle_event(
            secs(1),
            CallEvent::AppResponded {
                id: FetchId(1),
                status: 200,
                content_type: None,
                body: "<Response/>".into(),
            },
        );
        assert_eq!(c.state(), State::Ringing);
        assert!(drain(&mut c).is_empty());
    }
}

mod detecting {
    use super::*;

    fn verdict(c: &mut Call, v: Verdict) -> Vec<Action> {
        c.handle_event(secs(13), CallEvent::Detector(DetectorEvent::Verdict(v)));
        drain(c)
    }

    #[test]
    fn human_fetches_answered_human() {
        for im in [IfMachine::Continue, IfMachine::Hangup] {
            let mut c = detecting(im);
            let actions = verdict(&mut c, Verdict::Human);
            assert_eq!(actions[0], Action::StopDetection);
            let (.., params, purpose) = only_fetch(&actions);
            assert_eq!(purpose, FetchPurpose::Start);
            assert_eq!(param(&params, "DialStatus"), Some("answered-human"));
            assert_eq!(c.state(), State::Fetching);
        }
    }

    #[test]
    fn silence_and_unknown_are_handled_as_human() {
        for im in [IfMachine::Continue, IfMachine::Hangup] {
            for v in [Verdict::Silence, Verdict::Unknown] {
                let mut c = detecting(im);
                let (.., params, _) = only_fetch(&verdict(&mut c, v));
                assert_eq!(
                    param(&params, "DialStatus"),
                    Some("answered-human"),
                    "{im} {v:?}"
                );
            }
        }
    }

    #[test]
    fn machine_with_continue_waits_for_greeting() {
        let mut c = detecting(IfMachine::Continue);
        assert!(verdict(&mut c, Verdict::Machine).is_empty());
        assert_eq!(c.state(), State::AwaitingGreetingEnd);
    }

    #[test]
    fn fax_with_continue_requests_the_app_at_once() {
        // A fax has no greeting to end: waiting for one would never request the app.
        let mut c = detecting(IfMachine::Continue);
        let actions = verdict(&mut c, Verdict::Fax);
        assert_eq!(actions[0], Action::StopDetection);
        let (.., params, purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::Start);
        assert_eq!(param(&params, "DialStatus"), Some("answered-machine"));
        assert_eq!(c.dial_status(), Some(DialStatus::AnsweredMachine));
    }

    #[test]
    fn machine_or_fax_with_hangup_hangs_up_then_notifies() {
        for v in [Verdict::Machine, Verdict::Fax] {
            let mut c = detecting(IfMachine::Hangup);
            let actions = verdict(&mut c, v);
            assert_eq!(actions[0], Action::StopDetection);
            assert_eq!(actions[1], Action::Hangup);
            let (.., params, purpose) = only_fetch(&actions);
            assert_eq!(purpose, FetchPurpose::Notify);
            assert_eq!(param(&params, "DialStatus"), Some("hangup-machine"));
            assert_eq!(param(&params, "CallStatus"), Some("completed"));
            assert_eq!(c.status(), CallStatus::Complete);
            assert_eq!(c.dial_status(), Some(DialStatus::HangupMachine));
            assert_eq!(c.duration_secs(), Some(3));
            // The reply is ignored.
            c.handle_event(
                secs(14),
                CallEvent::AppResponded {
                    id: FetchId(1),
                    status: 200,
                    content_type: None,
                    body: "<Response><Say>hi</Say></Response>".into(),
                },
            );
            assert!(drain(&mut c).is_empty());
            assert_eq!(c.status(), CallStatus::Complete);
        }
    }

    #[test]
    fn no_verdict_times_out_as_unknown() {
        let mut c = detecting(IfMachine::Hangup);
        c.handle_timeout(t(39_999));
        assert_eq!(c.state(), State::Detecting);
        c.handle_timeout(secs(40));
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "DialStatus"), Some("answered-human"));
    }

    #[test]
    fn greeting_end_before_verdict_is_ignored() {
        let mut c = detecting(IfMachine::Continue);
        c.handle_event(
            secs(11),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
        );
        assert_eq!(c.state(), State::Detecting);
        assert!(drain(&mut c).is_empty());
    }

    #[test]
    fn hangups_during_detection() {
        // The app is still requested once, as for busy: no verdict yet is answered-human.
        let mut c = detecting(IfMachine::Continue);
        c.handle_event(secs(11), CallEvent::CalleeHungUp);
        assert_eq!(c.status(), CallStatus::Complete);
        let actions = drain(&mut c);
        assert_eq!(actions[0], Action::StopDetection);
        let (.., params, purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::Notify);
        assert_eq!(param(&params, "DialStatus"), Some("answered-human"));
        assert_eq!(param(&params, "CallStatus"), Some("completed"));
        // A shutdown during detection: the app has not been requested yet, so it is
        // told now, once, that the call was answered and has completed.
        let mut c = detecting(IfMachine::Continue);
        c.handle_event(secs(11), CallEvent::OperatorHangup);
        let actions = drain(&mut c);
        assert_eq!(actions[..2], [Action::StopDetection, Action::Hangup]);
        let (.., params, purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::Notify);
        assert_eq!(param(&params, "DialStatus"), Some("answered"));
        assert_eq!(param(&params, "CallStatus"), Some("completed"));
    }
}

mod awaiting_greeting_end {
    use super::*;

    #[test]
    fn a_machine_hanging_up_before_its_greeting_ends_is_notified_as_a_machine() {
        let mut c = detecting(IfMachine::Continue);
        c.handle_event(
            secs(12),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Machine)),
        );
        drain(&mut c);
        c.handle_event(secs(20), CallEvent::CalleeHungUp);
        let (.., params, purpose) = only_fetch(&drain(&mut c));
        assert_eq!(purpose, FetchPurpose::Notify);
        assert_eq!(param(&params, "DialStatus"), Some("answered-machine"));
        assert_eq!(param(&params, "CallStatus"), Some("completed"));
        // Exactly once: nothing more follows.
        c.handle_event(secs(21), CallEvent::CalleeHungUp);
        assert!(drain(&mut c).is_empty());
    }

    #[test]
    fn every_greeting_end_fetches_answered_machine() {
        for end in [
            GreetingEnd::Beep,
            GreetingEnd::Silence,
            GreetingEnd::Timeout,
        ] {
            let mut c = awaiting_greeting();
            c.handle_event(
                secs(20),
                CallEvent::Detector(DetectorEvent::GreetingEnded(end)),
            );
            let actions = drain(&mut c);
            // After an end by silence the detector keeps listening for a late beep.
            assert_eq!(
                actions.contains(&Action::StopDetection),
                end != GreetingEnd::Silence,
                "{end:?}: {actions:?}"
            );
            let (.., params, purpose) = only_fetch(&actions);
            assert_eq!(purpose, FetchPurpose::Start);
            assert_eq!(param(&params, "DialStatus"), Some("answered-machine"));
        }
    }

    #[test]
    fn no_fetch_before_greeting_end() {
        let mut c = awaiting_greeting();
        c.handle_timeout(secs(30));
        c.handle_event(
            secs(30),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Human)),
        );
        assert!(!has_fetch(&drain(&mut c)));
        assert_eq!(c.state(), State::AwaitingGreetingEnd);
    }

    /// A greeting ended by silence at 20 s, then the app's `<Say>` started playing.
    fn playing_after_silence_end(config: CallConfig) -> (Call, FetchId) {
        let mut c = detecting_with(IfMachine::Continue, config);
        c.handle_event(
            secs(12),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Machine)),
        );
        c.handle_event(
            secs(20),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Silence)),
        );
        let (id, ..) = only_fetch(&drain(&mut c));
        let actions = respond(
            &mut c,
            t(20_100),
            id,
            "<Response><Say>Your order has shipped.</Say></Response>",
        );
        assert!(matches!(actions[0], Action::Say { .. }), "{actions:?}");
        assert_eq!(c.state(), State::Running);
        (c, id)
    }

    #[test]
    fn a_late_beep_restarts_the_machine_flow_after_it() {
        let (mut c, first) = playing_after_silence_end(CallConfig::default());
        c.handle_event(
            secs(24),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
        );
        let actions = drain(&mut c);
        assert_eq!(actions[0], Action::StopDetection, "{actions:?}");
        assert!(actions.contains(&Action::StopPlayback), "{actions:?}");
        let (id, url, _, params, purpose) = only_fetch(&actions);
        assert_ne!(id, first);
        assert_eq!(url.as_str(), request().url.as_str());
        assert_eq!(purpose, FetchPurpose::Start);
        assert_eq!(param(&params, "DialStatus"), Some("answered-machine"));
        assert_eq!(c.state(), State::Fetching);
        // Only once: a second beep changes nothing.
        let id = only_fetch(&actions).0;
        respond(
            &mut c,
            t(24_100),
            id,
            "<Response><Say>Your order has shipped.</Say></Response>",
        );
        c.handle_event(
            secs(26),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
        );
        assert!(!has_fetch(&drain(&mut c)));
        assert_eq!(c.state(), State::Running);
    }

    /// The message ended before the box beeped: hanging up then would leave nothing on the
    /// tape, so the line is held until the window closes — and a beep in it still restarts.
    #[test]
    fn the_end_of_the_document_waits_for_the_late_beep_window() {
        let say = |c: &mut Call, at| {
            let (id, ..) = only_fetch(&drain(c));
            let actions = respond(c, at, id, "<Response><Say>Hi</Say></Response>");
            playback_id(&actions)
        };
        // No beep: the call hangs up when the window (10 s after the silence end) closes.
        // The call's first playback.
        let playing = PlaybackId(1);
        let (mut c, _) = playing_after_silence_end(CallConfig::default());
        c.handle_event(secs(22), CallEvent::PlaybackFinished(playing));
        assert!(!drain(&mut c).contains(&Action::Hangup));
        assert_eq!(c.state(), State::Running);
        c.handle_timeout(secs(30));
        let actions = drain(&mut c);
        assert!(actions.contains(&Action::StopDetection), "{actions:?}");
        assert!(actions.contains(&Action::Hangup), "{actions:?}");
        assert_eq!(c.state(), State::Completed);

        // A beep after the message ended: the flow restarts and then ends at once.
        let (mut c, _) = playing_after_silence_end(CallConfig::default());
        c.handle_event(secs(22), CallEvent::PlaybackFinished(playing));
        c.handle_event(
            secs(25),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
        );
        let again = say(&mut c, t(25_100));
        c.handle_event(secs(27), CallEvent::PlaybackFinished(again));
        assert!(drain(&mut c).contains(&Action::Hangup));
        assert_eq!(c.state(), State::Completed);
    }

    #[test]
    fn no_restart_when_turned_off_or_after_the_window() {
        let off = CallConfig {
            restart_on_late_beep: false,
            ..CallConfig::default()
        };
        let mut c = detecting_with(IfMachine::Continue, off);
        c.handle_event(
            secs(12),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Machine)),
        );
        c.handle_event(
            secs(20),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Silence)),
        );
        let actions = drain(&mut c);
        assert_eq!(actions[0], Action::StopDetection, "{actions:?}");
        let (id, ..) = only_fetch(&actions);
        respond(&mut c, t(20_100), id, "<Response><Say>hi</Say></Response>");
        c.handle_event(
            secs(24),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
        );
        assert!(drain(&mut c).is_empty());
        assert_eq!(c.state(), State::Running);

        // On, but the window (10 s) has passed: detection was stopped, nothing restarts.
        let (mut c, _) = playing_after_silence_end(CallConfig::default());
        c.handle_timeout(secs(30));
        assert_eq!(drain(&mut c), vec![Action::StopDetection]);
        c.handle_event(
            secs(31),
            CallEvent::Detector(DetectorEvent::GreetingEnded(GreetingEnd::Beep)),
        );
        assert!(!has_fetch(&drain(&mut c)));
    }

    #[test]
    fn greeting_timeout_counts_as_end() {
        let mut c = awaiting_greeting();
        c.handle_timeout(t(71_999));
        assert_eq!(c.state(), State::AwaitingGreetingEnd);
        c.handle_timeout(secs(72));
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "DialStatus"), Some("answered-machine"));
    }
}

mod sending_digits {
    use super::*;

    fn digits_with_times(c: &mut Call, until: Instant) -> Vec<(Instant, char)> {
        let mut out = Vec::new();
        while let Some(at) = c.poll_timeout() {
            if at > until {
                break;
            }
            c.handle_timeout(at);
            for a in drain(c) {
                if let Action::SendDigit(d) = a {
                    out.push((at, d));
                }
            }
        }
        out
    }

    #[test]
    fn digits_then_first_request() {
        let mut c = ringing(with_digits("1234#"));
        c.handle_event(secs(10), CallEvent::Answered);
        assert_eq!(drain(&mut c), vec![Action::SendDigit('1')]);
        assert_eq!(c.state(), State::SendingDigits);
        let sent = digits_with_times(&mut c, t(10_800));
        assert_eq!(
            sent,
            vec![
                (t(10_200), '2'),
                (t(10_400), '3'),
                (t(10_600), '4'),
                (t(10_800), '#')
            ]
        );
        assert_eq!(c.state(), State::SendingDigits);
        c.handle_timeout(t(10_999));
        assert_eq!(c.state(), State::SendingDigits);
        c.handle_timeout(t(11_000));
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "DialStatus"), Some("answered"));
    }

    #[test]
    fn w_waits_half_a_second() {
        let mut c = ringing(with_digits("ww1w2"));
        c.handle_event(secs(10), CallEvent::Answered);
        assert!(drain(&mut c).is_empty());
        let sent = digits_with_times(&mut c, secs(20));
        assert_eq!(sent, vec![(t(11_000), '1'), (t(11_700), '2')]);
        assert_eq!(c.state(), State::Fetching);
    }

    #[test]
    fn digits_run_during_detection_and_delay_the_fetch() {
        let mut c = ringing(CreateCallRequest {
            if_machine: Some(IfMachine::Continue),
            ..with_digits("12")
        });
        c.handle_event(secs(10), CallEvent::Answered);
        assert_eq!(
            drain(&mut c),
            vec![Action::StartDetection, Action::SendDigit('1')]
        );
        c.handle_event(
            t(10_100),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Human)),
        );
        assert_eq!(drain(&mut c), vec![Action::StopDetection]);
        assert_eq!(c.state(), State::SendingDigits);
        c.handle_timeout(t(10_200));
        assert_eq!(drain(&mut c), vec![Action::SendDigit('2')]);
        c.handle_timeout(t(10_400));
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "DialStatus"), Some("answered-human"));
    }

    #[test]
    fn machine_hangup_stops_digits() {
        let mut c = ringing(CreateCallRequest {
            if_machine: Some(IfMachine::Hangup),
            ..with_digits("123456")
        });
        c.handle_event(secs(10), CallEvent::Answered);
        drain(&mut c);
        c.handle_event(
            t(10_100),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Machine)),
        );
        drain(&mut c);
        c.handle_timeout(secs(20));
        assert!(drain(&mut c).is_empty());
    }
}

mod fetching {
    use super::*;

    #[test]
    fn non_2xx_is_application_error_11200() {
        let (mut c, id) = fetching();
        c.handle_event(
            secs(11),
            CallEvent::AppResponded {
                id,
                status: 500,
                content_type: Some("text/html".into()),
                body: "oops".into(),
            },
        );
        assert_eq!(c.status(), CallStatus::Failed);
        let actions = drain(&mut c);
        let Action::Notify(n) = &actions[0] else {
            panic!("{actions:?}")
        };
        assert_eq!(
            (n.error_code, n.log, n.request_method),
            (11200, LogLevel::Error, Method::Post)
        );
        assert_eq!(n.request_url, APP);
        assert!(n.message_text.contains("500"));
        assert_eq!(actions[1], Action::Hangup);
        assert_eq!(c.notifications().len(), 1);
    }

    #[test]
    fn fetch_failure_and_timeout_are_11200() {
        let (mut c, id) = fetching();
        c.handle_event(
            secs(11),
            CallEvent::AppFailed {
                id,
                code: ERROR_HTTP_RETRIEVAL,
                reason: "connection refused".into(),
            },
        );
        assert_eq!(c.status(), CallStatus::Failed);
        assert!(
            c.notifications()[0]
                .message_text
                .contains("connection refused")
        );

        let (mut c, _) = fetching();
        c.handle_timeout(t(24_999));
        assert_eq!(c.state(), State::Fetching);
        c.handle_timeout(secs(25));
        assert_eq!(c.status(), CallStatus::Failed);
        assert_eq!(c.notifications()[0].error_code, 11200);
    }

    #[test]
    fn bad_twiml_is_12100() {
        for body in [
            "<Response><Say>hi</Response>",
            "<Response><Dance/></Response>",
            "not xml at all",
            "",
        ] {
            let (mut c, id) = fetching();
            respond(&mut c, secs(11), id, body);
            assert_eq!(c.status(), CallStatus::Failed, "{body}");
            assert_eq!(c.notifications()[0].error_code, 12100);
        }
    }

    #[test]
    fn stale_reply_is_ignored() {
        let (mut c, id) = fetching();
        c.handle_event(
            secs(11),
            CallEvent::AppResponded {
                id: FetchId(id.0 + 7),
                status: 200,
                content_type: None,
                body: "<Response/>".into(),
            },
        );
        assert_eq!(c.state(), State::Fetching);
        assert!(matches!(
            c.timeline().last(),
            Some((_, TimelineEntry::Ignored { .. }))
        ));
    }

    #[test]
    fn plain_text_is_spoken_then_hung_up() {
        let (mut c, id) = fetching();
        c.handle_event(
            secs(11),
            CallEvent::AppResponded {
                id,
                status: 200,
                content_type: Some("text/plain; charset=utf-8".into()),
                body: "Your order has shipped.".into(),
            },
        );
        let actions = drain(&mut c);
        assert!(
            matches!(&actions[0], Action::Say { text, .. } if &**text == "Your order has shipped.")
        );
        c.handle_event(secs(14), CallEvent::PlaybackFinished(playback_id(&actions)));
        assert_eq!(drain(&mut c), vec![Action::Hangup]);
        assert_eq!(c.status(), CallStatus::Complete);
        assert_eq!(c.duration_secs(), Some(4));
    }

    #[test]
    fn audio_is_played_then_hung_up() {
        let (mut c, id) = fetching();
        c.handle_event(
            secs(11),
            CallEvent::AppResponded {
                id,
                status: 200,
                content_type: Some("audio/mpeg".into()),
                body: String::new(),
            },
        );
        let actions = drain(&mut c);
        assert!(matches!(&actions[0], Action::Play { url, loops: 1, .. } if url.as_str() == APP));
        c.handle_event(secs(12), CallEvent::PlaybackFinished(playback_id(&actions)));
        assert_eq!(drain(&mut c), vec![Action::Hangup]);
    }

    #[test]
    fn live_redirect_supersedes_the_request() {
        let (mut c, old) = fetching();
        c.handle_event(
            secs(11),
            CallEvent::Redirect {
                url: Url::parse("http://app.example/other").unwrap().into(),
                method: Method::Get,
            },
        );
        let (new, url, method, params, purpose) = only_fetch(&drain(&mut c));
        assert_ne!(new, old);
        assert_eq!(
            (url.as_str(), method, purpose),
            (
                "http://app.example/other",
                Method::Get,
                FetchPurpose::LiveRedirect
            )
        );
        assert_eq!(param(&params, "DialStatus"), None);
        respond(&mut c, secs(12), old, "<Response><Say>old</Say></Response>");
        assert_eq!(c.state(), State::Fetching);
    }

    #[test]
    fn redirect_loop_is_cut_with_11215() {
        let (mut c, mut id) = fetching();
        for i in 0..30 {
            let actions = respond(
                &mut c,
                secs(11 + i),
                id,
                "<Response><Redirect>again</Redirect></Response>",
            );
            if c.is_final() {
                break;
            }
            id = only_fetch(&actions).0;
        }
        assert_eq!(c.status(), CallStatus::Failed);
        assert_eq!(c.notifications()[0].error_code, 11215);
        assert_eq!(c.requests_made(), 20);
    }
}

mod running {
    use super::*;

    #[test]
    fn say_then_end_of_document_hangs_up() {
        let (mut c, actions) = running(
            "<Response><Say voice=\"woman\" language=\"es\" loop=\"2\">Hola</Say></Response>",
        );
        assert_eq!(c.state(), State::Running);
        assert_eq!(
            actions,
            vec![Action::Say {
                id: PlaybackId(1),
                text: "Hola".into(),
                voice: Voice::Woman,
                language: Language::Es,
                loops: 2
            }]
        );
        c.handle_event(secs(12), CallEvent::PlaybackFinished(PlaybackId(99)));
        assert_eq!(c.state(), State::Running);
        c.handle_event(secs(15), CallEvent::PlaybackFinished(PlaybackId(1)));
        assert_eq!(drain(&mut c), vec![Action::Hangup]);
        assert_eq!(c.status(), CallStatus::Complete);
        assert_eq!(c.end_time(), Some(secs(15)));
        assert_eq!(c.duration(), Some(Duration::from_secs(5)));
    }

    #[test]
    fn play_resolves_relative_url() {
        let (_, actions) = running("<Response><Play loop=\"0\">music/hold.mp3</Play></Response>");
        assert!(
            matches!(&actions[0], Action::Play { url, loops: 0, .. } if url.as_str() == "http://app.example/call/music/hold.mp3")
        );
    }

    #[test]
    fn pause_runs_on_a_timer() {
        let (mut c, actions) = running("<Response><Pause length=\"3\"/><Hangup/></Response>");
        assert!(actions.is_empty());
        assert_eq!(c.poll_timeout(), Some(secs(14)));
        c.handle_timeout(t(13_999));
        assert_eq!(c.state(), State::Running);
        c.handle_timeout(secs(14));
        assert_eq!(drain(&mut c), vec![Action::Hangup]);
        assert_eq!(c.status(), CallStatus::Complete);
    }

    #[test]
    fn hangup_verb() {
        let (mut c, actions) = running("<Response><Hangup/><Say>never</Say></Response>");
        assert_eq!(actions, vec![Action::Hangup]);
        assert!(c.is_final());
        assert!(drain(&mut c).is_empty());
    }

    #[test]
    fn redirect_verb_fetches_relative_without_dial_status() {
        let (c, actions) =
            running("<Response><Redirect method=\"GET\">next.php</Redirect></Response>");
        let (_, url, method, params, purpose) = only_fetch(&actions);
        assert_eq!(
            (url.as_str(), method, purpose),
            (
                "http://app.example/call/next.php",
                Method::Get,
                FetchPurpose::Redirect
            )
        );
        assert_eq!(param(&params, "DialStatus"), None);
        assert_eq!(param(&params, "CallStatus"), Some("in-progress"));
        assert_eq!(c.state(), State::Fetching);
    }

    #[test]
    fn callee_hangup_completes() {
        let (mut c, _) = running("<Response><Say>hi</Say></Response>");
        c.handle_event(secs(13), CallEvent::CalleeHungUp);
        assert_eq!(c.status(), CallStatus::Complete);
        assert!(drain(&mut c).is_empty());
        assert_eq!(c.duration_secs(), Some(3));
    }

    #[test]
    fn live_redirect_stops_playback() {
        let (mut c, _) = running("<Response><Say>long message</Say></Response>");
        c.handle_event(
            secs(12),
            CallEvent::Redirect {
                url: Url::parse("http://app.example/hangup.xml").unwrap().into(),
                method: Method::Post,
            },
        );
        let actions = drain(&mut c);
        assert_eq!(actions[0], Action::StopPlayback);
        let (id, .., purpose) = only_fetch(&actions);
        assert_eq!(purpose, FetchPurpose::LiveRedirect);
        c.handle_event(secs(13), CallEvent::PlaybackFinished(PlaybackId(1)));
        assert_eq!(c.state(), State::Fetching);
        assert_eq!(
            respond(&mut c, secs(13), id, "<Response><Hangup/></Response>"),
            vec![Action::Hangup]
        );
    }

    #[test]
    fn max_call_length() {
        let (mut c, _) = running("<Response><Say loop=\"0\">forever</Say></Response>");
        c.handle_timeout(secs(10 + 4 * 3600));
        assert_eq!(c.status(), CallStatus::Complete);
    }
}

mod gather {
    use super::*;

    const MENU: &str = "<Response><Gather numDigits=\"3\" timeout=\"5\" action=\"menu.php\">\
        <Say>Enter your code</Say><Pause length=\"1\"/></Gather><Say>Bye</Say></Response>";

    #[test]
    fn digits_stop_prompt_and_post_to_action() {
        let (mut c, actions) = running(MENU);
        assert_eq!(
            actions[0],
            Action::Gather {
                timeout: Duration::from_secs(5),
                finish_on_key: Some('#'),
                num_digits: Some(3)
            }
        );
        assert!(matches!(actions[1], Action::Say { .. }));
        c.handle_event(secs(12), CallEvent::Digit('4'));
        assert_eq!(drain(&mut c), vec![Action::StopPlayback]);
        c.handle_event(secs(13), CallEvent::Digits("2x7".into()));
        let actions = drain(&mut c);
        let (.., url, method, params, purpose) = only_fetch(&actions);
        assert_eq!(
            (url.as_str(), method, purpose),
            (
                "http://app.example/call/menu.php",
                Method::Post,
                FetchPurpose::GatherAction
            )
        );
        assert_eq!(param(&params, "Digits"), Some("427"));
        assert_eq!(param(&params, "DialStatus"), None);
    }

    #[test]
    fn finish_on_key_ends_input_and_is_not_sent() {
        let (mut c, _) = running("<Response><Gather/></Response>");
        c.handle_event(secs(12), CallEvent::Digits("12#".into()));
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "Digits"), Some("12"));
    }

    #[test]
    fn action_defaults_to_current_url() {
        let (mut c, _) = running("<Response><Gather numDigits=\"1\"/></Response>");
        c.handle_event(secs(12), CallEvent::Digit('9'));
        let (_, url, ..) = only_fetch(&drain(&mut c));
        assert_eq!(url.as_str(), APP);
    }

    #[test]
    fn timeout_counts_from_the_end_of_prompts_and_resets_per_digit() {
        let (mut c, actions) = running(MENU);
        let say = playback_id(&actions);
        c.handle_event(secs(14), CallEvent::PlaybackFinished(say));
        // The Pause prompt runs 14..15 s; the 5 s input timeout starts after it.
        c.handle_timeout(secs(15));
        assert_eq!(c.poll_timeout(), Some(secs(20)));
        c.handle_event(secs(19), CallEvent::Digit('1'));
        c.handle_timeout(t(23_999));
        assert_eq!(c.state(), State::Running);
        c.handle_timeout(secs(24));
        let (.., params, _) = only_fetch(&drain(&mut c));
        assert_eq!(param(&params, "Digits"), Some("1"));
    }

    #[test]
    fn no_input_goes_to_next_verb() {
        let (mut c, actions) = running(MENU);
        c.handle_event(secs(14), CallEvent::PlaybackFinished(playback_id(&actions)));
        c.handle_timeout(secs(15));
        c.handle_timeout(secs(20));
        let actions = drain(&mut c);
        assert!(
            matches!(&actions[..], [Action::Say { text, .. }] if &**text == "Bye"),
            "{actions:?}"
        );
    }

    #[test]
    fn digits_outside_gather_are_ignored() {
        let (mut c, _) = running("<Response><Say>hi</Say></Response>");
        c.handle_event(secs(12), CallEvent::Digit('1'));
        assert!(drain(&mut c).is_empty());
        assert!(matches!(
            c.timeline().last(),
            Some((_, TimelineEntry::Ignored { .. }))
        ));
    }
}

mod record {
    use super::*;

    fn finished(c: &mut Call, at: Instant, ms: u64) -> Vec<Action> {
        c.handle_event(at, CallEvent::RecordingFinished(recording(ms, false, None)));
        drain(c)
    }

    fn recording(
        ms: u64,
        callee_hung_up: bool,
        transcription: Option<Result<&str, u32>>,
    ) -> FinishedRecording {
        FinishedRecording {
            sid: format!("RE{}", "1".repeat(32)),
            url: "http://rec.example/RE1".into(),
            duration: Duration::from_millis(ms),
            callee_hung_up,
            transcription: transcription.map(|r| Transcription {
                sid: format!("TR{}", "2".repeat(32)),
                result: r.map(str::to_owned).map_err(|code| TranscriptionFailure {
                    error_code: code,
                    message: "nothing was said".into(),
                }),
            }),
        }
    }

    #[test]
    fn action_carries_recording() {
        let (mut c, actions) = running(
            "<Response><Record action=\"/saved\" maxLength=\"30\" playBeep=\"false\"/></Response>",
        );
        assert_eq!(
            actions,
            vec![Action::Record {
                max_length: Duration::from_secs(30),
                timeout: Duration::from_secs(5),
                finish_on_key: "1234567890*#".into(),
                play_beep: false,
                transcribe: false,
                transcribe_callback: None,
            }]
        );
        let (_, url, _, params, purpose) = only_fetch(&finished(&mut c, secs(20), 8_300));
        assert_eq!(
            (url.as_str(), purpose),
            ("http://app.example/saved", FetchPurpose::RecordAction)
        );
        assert_eq!(
            param(&params, "RecordingUrl"),
            Some("http://rec.example/RE1")
        );
        assert_eq!(param(&params, "Duration"), Some("9"));
        assert_eq!(param(&params, "Digits"), Some(""));
    }

    #[test]
    fn finish_on_key_stops_recording() {
        let (mut c, _) = running("<Response><Record finishOnKey=\"#\"/></Response>");
        c.handle_event(secs(15), CallEvent::Digit('5'));
        assert!(drain(&mut c).is_empty());
        c.handle_event(secs(16), CallEvent::Digit('#'));
        assert_eq!(drain(&mut c), vec![Action::StopRecording]);
        let (.., params, _) = only_fetch(&finished(&mut c, secs(16), 5_000));
        assert_eq!(param(&params, "Digits"), Some("#"));
    }

    #[test]
    fn max_length_is_the_drivers_with_a_backstop_after_the_beep() {
        // The driver ends the recording at exactly maxLength of audio; the call asks for
        // the stop itself only past beep (0.5 s) + maxLength + 1 s.
        let (mut c, _) = running("<Response><Record maxLength=\"10\"/></Response>");
        c.handle_timeout(t(22_499));
        assert!(drain(&mut c).is_empty());
        c.handle_timeout(t(22_500));
        assert_eq!(drain(&mut c), vec![Action::StopRecording]);
        assert!(has_fetch(&finished(&mut c, t(22_500), 10_000)));
    }

    #[test]
    fn a_hangup_during_the_recording_still_requests_the_action() {
        let (mut c, _) = running("<Response><Record action=\"/saved\"/></Response>");
        c.handle_event(
            secs(15),
            CallEvent::RecordingFinished(recording(4_000, true, None)),
        );
        let (_, url, _, params, purpose) = only_fetch(&drain(&mut c));
        assert_eq!(url.as_str(), "http://app.example/saved");
        assert_eq!(purpose, FetchPurpose::FinalRecordAction);
        assert!(!purpose.expects_twiml());
        assert_eq!(param(&params, "Digits"), Some("hangup"));
        assert_eq!(param(&params, "Duration"), Some("4"));
        assert_eq!(param(&params, "CallStatus"), Some("completed"));
        assert_eq!(c.status(), CallStatus::Complete);
        // The hang-up that follows changes nothing.
        c.handle_event(secs(15), CallEvent::CalleeHungUp);
        assert!(drain(&mut c).is_empty());
    }

    #[test]
    fn transcription_is_posted_to_the_callback() {
        let (mut c, _) = running(
            "<Response><Record action=\"/saved\" transcribe=\"true\" transcribeCallback=\"/text\"/></Response>",
        );
        c.handle_event(
            secs(15),
            CallEvent::RecordingFinished(recording(4_000, false, Some(Ok("call me back")))),
        );
        let fetches: Vec<_> = drain(&mut c)
            .into_iter()
            .filter_map(|a| match a {
                Action::FetchApp {
                    url,
                    params,
                    purpose,
                    method,
                    ..
                } => Some((url, params, purpose, method)),
                _ => None,
            })
            .collect();
        assert_eq!(fetches.len(), 2);
        assert_eq!(fetches[0].2, FetchPurpose::RecordAction);
        let (url, params, purpose, method) = &fetches[1];
        assert_eq!(
            (url.as_str(), *purpose, *method),
            (
                "http://app.example/text",
                FetchPurpose::Transcription,
                Method::Post
            )
        );
        assert_eq!(params.get("TranscriptionText"), Some("call me back"));
        assert_eq!(params.get("TranscriptionStatus"), Some("completed"));
        assert_eq!(params.get("RecordingUrl"), Some("http://rec.example/RE1"));
        assert!(
            params
                .get("TranscriptionSid")
                .is_some_and(|s| s.starts_with("TR"))
        );
        assert!(c.notifications().is_empty());
    }

    #[test]
    fn a_failed_transcription_is_posted_and_notified() {
        let (mut c, _) = running(
            "<Response><Record transcribe=\"true\" transcribeCallback=\"/text\"/></Response>",
        );
        c.handle_event(
            secs(15),
            CallEvent::RecordingFinished(recording(1_000, false, Some(Err(13617)))),
        );
        let actions = drain(&mut c);
        let n = actions.iter().find_map(|a| match a {
            Action::Notify(n) => Some(n.clone()),
            _ => None,
        });
        let n = n.expect("a notification");
        assert_eq!((n.log, n.error_code), (LogLevel::Warning, 13617));
        let status = actions.iter().find_map(|a| match a {
            Action::FetchApp {
                params, purpose, ..
            } if *purpose == FetchPurpose::Transcription => {
                params.get("TranscriptionStatus").map(str::to_owned)
            }
            _ => None,
        });
        assert_eq!(status.as_deref(), Some("failed"));
        // A warning does not end the call.
        assert!(!c.is_final());
    }
}

mod bridge {
    use super::*;

    #[test]
    fn dial_action_gets_dial_status() {
        let (mut c, actions) =
            running("<Response><Dial action=\"done\">4155551213</Dial></Response>");
        assert!(
            matches!(&actions[0], Action::Bridge(d) if d.numbers[0].number.to_string() == "4155551213")
        );
        c.handle_event(secs(20), CallEvent::DialAnswered);
        c.handle_event(
            secs(40),
            CallEvent::BridgeEnded(DialResult {
                status: DialStatus::Answered,
                duration: Duration::from_millis(19_200),
                segment_sid: Some("CA00000000000000000000000000000042".into()),
            }),
        );
        let (.., params, purpose) = only_fetch(&drain(&mut c));
        assert_eq!(purpose, FetchPurpose::DialAction);
        assert_eq!(param(&params, "DialStatus"), Some("answered"));
        assert_eq!(param(&params, "DialCallDuration"), Some("20"));
        assert_eq!(
            param(&params, "DialCallSid"),
            Some("CA00000000000000000000000000000042")
        );
    }

    #[test]
    fn dial_timeout_stops_ringing() {
        let (mut c, _) = running("<Response><Dial timeout=\"7\">4155551213</Dial></Response>");
        c.handle_timeout(t(17_999));
        assert!(drain(&mut c).is_empty());
        c.handle_timeout(secs(18));
        assert_eq!(drain(&mut c), vec![Action::StopBridge]);
    }

    #[test]
    fn without_action_continues() {
        let (mut c, _) = running("<Response><Dial>4155551213</Dial><Say>after</Say></Response>");
        c.handle_event(secs(40), CallEvent::BridgeEnded(ended(DialStatus::Busy)));
        assert!(matches!(&drain(&mut c)[..], [Action::Say { .. }]));
    }

    #[test]
    fn hangup_on_star_and_time_limit() {
        let (mut c, _) =
            running("<Response><Dial hangupOnStar=\"true\">4155551213</Dial></Response>");
        c.handle_event(secs(20), CallEvent::Digit('1'));
        assert!(drain(&mut c).is_empty());
        c.handle_event(secs(20), CallEvent::Digit('*'));
        assert_eq!(drain(&mut c), vec![Action::StopBridge]);

        // timeLimit counts from the leg's answer, not from the dial.
        let (mut c, _) = running("<Response><Dial timeLimit=\"5\">4155551213</Dial></Response>");
        c.handle_event(secs(12), CallEvent::Digit('*'));
        assert!(drain(&mut c).is_empty());
        c.handle_event(secs(14), CallEvent::DialAnswered);
        c.handle_timeout(t(18_999));
        assert!(drain(&mut c).is_empty());
        c.handle_timeout(secs(19));
        assert_eq!(drain(&mut c), vec![Action::StopBridge]);
    }

    fn ended(status: DialStatus) -> DialResult {
        DialResult {
            status,
            duration: Duration::ZERO,
            segment_sid: None,
        }
    }
}

mod final_states {
    use super::*;

    #[test]
    fn every_event_after_the_end_is_ignored() {
        let mut c = ringing(request());
        c.handle_event(secs(1), CallEvent::Busy);
        drain(&mut c);
        let before = (c.status(), c.end_time(), c.dial_status());
        for e in [
            CallEvent::Answered,
            CallEvent::Ringing,
            CallEvent::NoAnswer,
            CallEvent::CalleeHungUp,
            CallEvent::OperatorHangup,
            CallEvent::Digit('1'),
            CallEvent::Detector(DetectorEvent::Verdict(Verdict::Human)),
            CallEvent::PlaybackFinished(PlaybackId(1)),
            CallEvent::BridgeEnded(DialResult::failed()),
        ] {
            c.handle_event(secs(5), e);
            c.handle_timeout(secs(5000));
        }
        c.start(secs(6));
        assert_eq!((c.status(), c.end_time(), c.dial_status()), before);
        assert!(drain(&mut c).is_empty());
        assert_eq!(c.poll_timeout(), None);
    }

    #[test]
    fn timeline_records_transitions() {
        let (mut c, _) = running("<Response><Hangup/></Response>");
        drain(&mut c);
        let states: Vec<String> = c
            .timeline()
            .iter()
            .filter(|(_, e)| matches!(e, TimelineEntry::State { .. }))
            .map(|(at, e)| format!("{at} {e}"))
            .collect();
        assert_eq!(
            states,
            [
                "0.000s state created => ringing",
                "10.000s state ringing => fetching",
                "11.000s state fetching => running",
                "11.000s state running => completed",
            ]
        );
        let printed: Vec<String> = c
            .timeline()
            .iter()
            .map(|(at, e)| format!("{at} {e}"))
            .collect();
        assert!(
            printed
                .iter()
                .any(|l| l.contains("fetch #1 POST") && l.contains("DialStatus=answered")),
            "{printed:#?}"
        );
    }

    #[test]
    fn time_never_runs_backwards() {
        let (mut c, _) = running("<Response><Say>hi</Say></Response>");
        c.handle_event(secs(1), CallEvent::CalleeHungUp);
        assert_eq!(c.end_time(), Some(secs(11)));
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn event() -> impl Strategy<Value = CallEvent> {
        let id = (0u32..4).prop_map(FetchId);
        let xml = prop_oneof![
            Just("<Response><Say>hi</Say><Gather numDigits=\"2\"><Play>a.mp3</Play></Gather></Response>".to_owned()),
            Just("<Response><Record maxLength=\"5\"/><Redirect>x</Redirect></Response>".to_owned()),
            Just("<Response><Dial hangupOnStar=\"true\" action=\"d\">4155551213</Dial></Response>".to_owned()),
            Just("<Response><Pause length=\"0\"/><Hangup/></Response>".to_owned()),
            Just("<Response><Redirect>again</Redirect></Response>".to_owned()),
            Just("<Response><Bogus/></Response>".to_owned()),
            ".{0,40}",
        ];
        prop_oneof![
            Just(CallEvent::Ringing),
            Just(CallEvent::Answered),
            Just(CallEvent::Answered),
            Just(CallEvent::Busy),
            Just(CallEvent::NoAnswer),
            Just(CallEvent::Failed { reason: "x".into() }),
            Just(CallEvent::OperatorHangup),
            prop_oneof![
                Just(Verdict::Human),
                Just(Verdict::Machine),
                Just(Verdict::Fax),
                Just(Verdict::Silence),
                Just(Verdict::Unknown)
            ]
            .prop_map(|v| CallEvent::Detector(DetectorEvent::Verdict(v))),
            prop_oneof![
                Just(GreetingEnd::Beep),
                Just(GreetingEnd::Silence),
                Just(GreetingEnd::Timeout)
            ]
            .prop_map(|g| CallEvent::Detector(DetectorEvent::GreetingEnded(g))),
            (
                id.clone(),
                prop_oneof![Just(200u16), Just(404), Just(500)],
                xml,
                prop::option::of(prop_oneof![
                    Just("text/xml".to_owned()),
                    Just("text/plain".to_owned()),
                    Just("audio/wav".to_owned())
                ])
            )
                .prop_map(|(id, status, body, content_type)| CallEvent::AppResponded {
                    id,
                    status,
                    content_type,
                    body
                }),
            id.prop_map(|id| CallEvent::AppFailed {
                id,
                code: ERROR_HTTP_RETRIEVAL,
                reason: "refused".into()
            }),
            (0u32..4).prop_map(|i| CallEvent::PlaybackFinished(PlaybackId(i))),
            any::<char>().prop_map(CallEvent::Digit),
            "[0-9*#a]{0,4}".prop_map(CallEvent::Digits),
            Just(CallEvent::RecordingFinished(FinishedRecording {
                sid: "RE1".into(),
                url: "http://r/RE1".into(),
                duration: Duration::from_secs(3),
                callee_hung_up: false,
                transcription: None,
            })),
            Just(CallEvent::DialAnswered),
            Just(CallEvent::BridgeEnded(DialResult::failed())),
            Just(CallEvent::Redirect {
                url: Url::parse("http://app.example/r").unwrap().into(),
                method: Method::Get
            }),
        ]
    }

    fn any_request() -> impl Strategy<Value = CreateCallRequest> {
        (
            prop::option::of(prop_oneof![
                Just(IfMachine::Continue),
                Just(IfMachine::Hangup)
            ]),
            prop::option::of("[0-9#*w]{0,5}"),
            1u64..=999,
        )
            .prop_map(|(if_machine, digits, timeout)| CreateCallRequest {
                if_machine,
                send_digits: digits.map(|d| SendDigits::parse(&d).unwrap()),
                timeout: Duration::from_secs(timeout),
                ..request()
            })
    }

    /// Applies random events and timeouts; checks invariants after each.
    fn run(req: CreateCallRequest, steps: Vec<(u64, Option<CallEvent>)>) -> Call {
        let mut c = created(req);
        c.start(Instant::ZERO);
        let mut now = Instant::ZERO;
        let mut final_status = None;
        for (dt, ev) in steps {
            now += Duration::from_millis(dt);
            match ev {
                Some(e) => c.handle_event(now, e),
                None => c.handle_timeout(now),
            }
            while c.poll_action().is_some() {}
            if let Some(deadline) = c.poll_timeout() {
                assert!(!c.is_final(), "a final call has timers");
                let _ = deadline;
            }
            match final_status {
                Some(s) => assert_eq!(c.status(), s, "final status changed"),
                None if c.is_final() => {
                    final_status = Some(c.status());
                    assert!(c.end_time().is_some());
                    assert!(c.duration().is_some());
                }
                None => {}
            }
        }
        c
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn random_events_never_panic_and_finals_absorb(
            req in any_request(),
            steps in prop::collection::vec((0u64..20_000, prop::option::weighted(0.8, event())), 0..40),
        ) {
            run(req, steps);
        }

        #[test]
        fn a_call_always_ends_once_the_callee_hangs_up(
            req in any_request(),
            steps in prop::collection::vec((0u64..20_000, prop::option::weighted(0.8, event())), 0..40),
        ) {
            let mut c = run(req, steps);
            let now = c.timeline().last().map_or(Instant::ZERO, |(t, _)| *t) + Duration::from_secs(1);
            c.handle_event(now, CallEvent::CalleeHungUp);
            // Ringing calls treat a hang-up as a rejection; created calls are started first.
            prop_assert!(c.is_final(), "state {}", c.state());
        }

        #[test]
        fn unanswered_calls_end_by_time_alone(req in any_request(), answer in any::<bool>()) {
            let mut c = created(req);
            c.start(Instant::ZERO);
            if answer {
                c.handle_event(secs(1), CallEvent::Answered);
            }
            // With the app and detector silent, timers alone bring the call to an end.
            let mut guard = 0;
            while let Some(at) = c.poll_timeout() {
                c.handle_timeout(at);
                while c.poll_action().is_some() {}
                guard += 1;
                prop_assert!(guard < 1000);
            }
            prop_assert!(c.is_final(), "state {}", c.state());
        }
    }
}
