//! Calls end to end with the fast clock: every DialStatus, answering machines, app
//! failures, recordings, live redirects, and 100 calls at once.

use std::collections::HashMap;
use std::time::Duration;

use super::testapp::Answer;
use super::*;

/// Dials `called` (with extra parameters) and returns the call's final XML and the
/// requests the app got for it (waiting for `requests` of them).
pub(super) async fn outcome(
    api: &Api,
    app: &TestApp,
    called: &str,
    extra: &[(&str, &str)],
    requests: usize,
) -> (String, Vec<testapp::Received>) {
    let url = app.url("/start");
    let mut params = vec![
        ("Caller", "4158675309"),
        ("Called", called),
        ("Url", url.as_str()),
    ];
    params.extend_from_slice(extra);
    let sid = api.dial(&params).await;
    let xml = api.wait_final(&sid).await;
    let got = app.wait_for(&sid, requests).await;
    (xml, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_dial_status_end_to_end() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    // (called, extra, DialStatus, CallStatus of the first request, final Status)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str, &'a str);
    let cases: [Case; 7] = [
        ("4155550100", &[], "answered", "in-progress", "2"),
        (
            "4155550100",
            &[("IfMachine", "Continue")],
            "answered-human",
            "in-progress",
            "2",
        ),
        (
            "4155550102",
            &[("IfMachine", "Continue")],
            "answered-machine",
            "in-progress",
            "2",
        ),
        (
            "4155550102",
            &[("IfMachine", "hangup")],
            "hangup-machine",
            "completed",
            "2",
        ),
        ("4155550103", &[], "busy", "busy", "3"),
        (
            "4155550104",
            &[("Timeout", "5")],
            "no-answer",
            "no-answer",
            "5",
        ),
        ("4155550105", &[], "failed", "failed", "4"),
    ];
    for (called, extra, dial_status, call_status, status) in cases {
        let (xml, got) = outcome(&api, &app, called, extra, 1).await;
        assert_eq!(
            tag(&xml, "Status").as_deref(),
            Some(status),
            "{called} {extra:?}: {xml}"
        );
        assert_eq!(
            got.len(),
            1,
            "{called} {extra:?}: exactly one request: {got:?}"
        );
        assert_eq!(
            got[0].param("DialStatus"),
            Some(dial_status),
            "{called} {extra:?}"
        );
        assert_eq!(
            got[0].param("CallStatus"),
            Some(call_status),
            "{called} {extra:?}"
        );
        assert!(tag(&xml, "EndTime").is_some_and(|t| !t.is_empty()));
        assert!(tag(&xml, "Duration").is_some());
    }
    server.stop().await.unwrap();
}

/// Mean square of 16-bit samples in `[from, to)` seconds of an 8 kHz WAV.
pub(super) fn energy(wav: &[u8], from: f64, to: f64) -> f64 {
    let mut r = hound::WavReader::new(std::io::Cursor::new(wav)).unwrap();
    assert_eq!(r.spec().sample_rate, 8000);
    let s: Vec<f64> = r
        .samples::<i16>()
        .map(|x| f64::from(x.unwrap()) / 32768.0)
        .collect();
    let (a, b) = (
        (from * 8000.0) as usize,
        ((to * 8000.0) as usize).min(s.len()),
    );
    if b <= a {
        return 0.0;
    }
    s[a..b].iter().map(|x| x * x).sum::<f64>() / (b - a) as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_machine_continue_requests_the_app_only_after_the_beep() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    let message = "<Response><Say>Hi, this is the dentist calling to confirm your appointment tomorrow at nine.</Say></Response>";
    app.answer("/start", Answer::twiml(message));
    // With IfMachine=Continue the message starts after the beep: the tape (which starts
    // recording at the beep's end) holds it from its first second.
    let (xml, got) = outcome(&api, &app, "4155550102", &[("IfMachine", "Continue")], 1).await;
    assert_eq!(got[0].param("DialStatus"), Some("answered-machine"));
    let sid = tag(&xml, "Sid").unwrap();
    // Greeting (6.1 s) plus the message: the call lasted well past the beep.
    let duration: u64 = tag(&xml, "Duration").unwrap().parse().unwrap();
    assert!(duration >= 8, "duration {duration}");
    let wav = api.tape(&sid).await;
    let on_tape = energy(&wav, 0.0, 2.0);
    assert!(on_tape > 1e-4, "the message is on the tape: {on_tape}");
    // Without IfMachine the flow starts at answer, so the message plays over the
    // greeting and is over before the box records anything of it.
    let (xml, got) = outcome(&api, &app, "4155550102", &[], 1).await;
    assert_eq!(got[0].param("DialStatus"), Some("answered"));
    let sid = tag(&xml, "Sid").unwrap();
    let list = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Recordings"
        ))
        .await;
    let missed = if tags(&list.body, "Sid").is_empty() {
        0.0
    } else {
        energy(&api.tape(&sid).await, 0.0, 2.0)
    };
    assert!(missed < on_tape / 10.0, "{missed} vs {on_tape}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_failures_end_the_call_with_a_notification() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer(
        "/500",
        Answer {
            status: 500,
            ..Answer::twiml("oops")
        },
    );
    app.answer("/bad", Answer::twiml("<Response><Say>unclosed</Response>"));
    app.answer(
        "/slow",
        Answer {
            delay: Duration::from_secs(4),
            ..Answer::twiml("<Response/>")
        },
    );
    // A port nothing listens on: bind one, then free it.
    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/app", l.local_addr().unwrap())
    };
    let cases = [
        (app.url("/500"), "11200"),
        (app.url("/bad"), "12100"),
        (app.url("/slow"), "11200"),
        (down.clone(), "11200"),
    ];
    for (url, code) in cases {
        let sid = api
            .dial(&[
                ("Caller", "4158675309"),
                ("Called", "4155550100"),
                ("Url", &url),
            ])
            .await;
        let xml = api.wait_final(&sid).await;
        assert_eq!(tag(&xml, "Status").as_deref(), Some("4"), "{url}: {xml}");
        let n = api
            .get(&format!(
                "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
            ))
            .await;
        assert_eq!(n.status, 200);
        assert_eq!(
            attr(&n.body, "Notifications", "total").as_deref(),
            Some("1"),
            "{}",
            n.body
        );
        assert_eq!(
            tag(&n.body, "ErrorCode").as_deref(),
            Some(code),
            "{url}: {}",
            n.body
        );
        assert_eq!(tag(&n.body, "Log").as_deref(), Some("0"));
        assert_eq!(tag(&n.body, "RequestURL").as_deref(), Some(url.as_str()));
        assert_eq!(tag(&n.body, "RequestMethod").as_deref(), Some("POST"));
    }
    // The account-level list has all four; the server still serves.
    let n = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Notifications"))
        .await;
    assert_eq!(
        attr(&n.body, "Notifications", "total").as_deref(),
        Some("4")
    );
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550100"),
            ("Url", &app.url("/fine")),
        ])
        .await;
    assert_eq!(
        tag(&api.wait_final(&sid).await, "Status").as_deref(),
        Some("2")
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gather_record_and_the_recording_url() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer(
        "/start",
        Answer::twiml("<Response><Gather action=\"/gathered\" numDigits=\"2\"><Say>Press 42</Say></Gather></Response>"),
    );
    app.answer("/gathered", Answer::twiml("<Response><Say>Leave a message</Say><Record action=\"/recorded\" method=\"GET\"/></Response>"));
    app.answer(
        "/recorded",
        Answer::twiml("<Response><Say>Thanks</Say><Hangup/></Response>"),
    );
    let (xml, got) = outcome(&api, &app, "4155550101", &[], 3).await;
    let sid = tag(&xml, "Sid").unwrap();
    assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{xml}");
    let paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, vec!["/start", "/gathered", "/recorded"], "{got:?}");
    assert_eq!(got[1].param("Digits"), Some("42"));
    assert_eq!(got[2].method, "GET");
    let recording_url = got[2].param("RecordingUrl").unwrap().to_owned();
    assert!(recording_url.starts_with(&format!(
        "{}/2008-08-01/Accounts/{SID_A}/Recordings/",
        api.base
    )));
    let seconds: u64 = got[2].param("Duration").unwrap().parse().unwrap();
    assert!((2..=6).contains(&seconds), "{seconds}");
    // The app can fetch the RecordingUrl it was sent (a real WAV).
    let r = api.http.get(&recording_url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let wav = r.bytes().await.unwrap();
    assert_eq!(&wav[..4], b"RIFF");
    assert!(energy(&wav, 0.5, 2.0) > 1e-5);
    // And the Recordings resource lists it, with the same audio at RE….wav.
    let list = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Recordings"
        ))
        .await;
    assert_eq!(
        attr(&list.body, "Recordings", "total").as_deref(),
        Some("1"),
        "{}",
        list.body
    );
    let re = tags(&list.body, "Sid")
        .into_iter()
        .find(|s| s.starts_with("RE"))
        .unwrap();
    let meta = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Recordings/{re}.xml"))
        .await;
    assert_eq!(tag(&meta.body, "CallSid"), Some(sid.clone()));
    let same = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Recordings/{re}"))
        .await;
    assert_eq!(same.status, 200);
    // Metadata needs auth; MP3 is not made.
    let r = api
        .http
        .get(format!(
            "{}/2008-08-01/Accounts/{SID_A}/Recordings/{re}.xml",
            api.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        api.get(&format!("/2008-08-01/Accounts/{SID_A}/Recordings/{re}.mp3"))
            .await
            .status,
        404
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_redirect_runs_the_new_twiml() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    // The first document is slow to come, so the call is still live when we redirect it.
    app.answer(
        "/start",
        Answer {
            delay: Duration::from_millis(1000),
            ..Answer::twiml("<Response><Say>old</Say></Response>")
        },
    );
    app.answer(
        "/next",
        Answer::twiml("<Response><Say>new</Say></Response>"),
    );
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550100"),
            ("Url", &app.url("/start")),
        ])
        .await;
    app.wait_for(&sid, 1).await;
    let r = api
        .send(
            api.http
                .post(format!(
                    "{}/2008-08-01/Accounts/{SID_A}/Calls/{sid}",
                    api.base
                ))
                .basic_auth(SID_A, Some(TOKEN_A))
                .form(&[
                    ("CurrentUrl", app.url("/next").as_str()),
                    ("CurrentMethod", "GET"),
                ]),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(tag(&r.body, "Sid"), Some(sid.clone()));
    let xml = api.wait_final(&sid).await;
    assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{xml}");
    let got = app.wait_for(&sid, 2).await;
    let paths: Vec<(&str, &str)> = got
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(paths, vec![("POST", "/start"), ("GET", "/next")]);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_lose_and_duplicate_no_webhook() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = std::sync::Arc::new(Api::new(&server));
    let url = app.url("/start");
    let mut tasks = Vec::new();
    for i in 0..100 {
        let api = api.clone();
        let url = url.clone();
        // A mix: answered people and busy lines (busy calls notify the app too).
        let called = if i % 4 == 3 {
            "4155550103"
        } else {
            "4155550100"
        };
        tasks.push(tokio::spawn(async move {
            api.dial(&[("Caller", "4158675309"), ("Called", called), ("Url", &url)])
                .await
        }));
    }
    let mut sids = Vec::new();
    for t in tasks {
        sids.push(t.await.unwrap());
    }
    for sid in &sids {
        let xml = api.wait_final(sid).await;
        assert!(
            matches!(tag(&xml, "Status").as_deref(), Some("2" | "3")),
            "{xml}"
        );
    }
    // Notify requests may land just after the status turns final.
    for _ in 0..100 {
        if app.received().len() >= 100 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut per_call: HashMap<String, usize> = HashMap::new();
    for r in app.received() {
        *per_call
            .entry(r.param("CallSid").unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per_call.len(), 100, "every call requested the app");
    assert!(
        per_call.values().all(|&n| n == 1),
        "no call requested it twice: {per_call:?}"
    );
    for sid in &sids {
        assert_eq!(per_call.get(sid), Some(&1));
    }
    let list = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Calls?num=1000"))
        .await;
    assert_eq!(attr(&list.body, "Calls", "total").as_deref(), Some("100"));
    server.stop().await.unwrap();
}

/// Phone-book entries built from far-end recipes, dialled over HTTP: the Japanese box
/// (415-555-0111) is drawn with each call's sid, found to be a machine by its beep (300 of
/// 300 drawn calls in `eval`), and records the message from the rendered beep's end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recipe_far_ends_answer_like_recordings() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    let message = "<Response><Say>Hi, this is the dentist calling to confirm your appointment tomorrow at nine.</Say></Response>";
    app.answer("/start", Answer::twiml(message));
    for _ in 0..2 {
        let (xml, got) = outcome(&api, &app, "4155550111", &[("IfMachine", "Continue")], 1).await;
        assert_eq!(
            got[0].param("DialStatus"),
            Some("answered-machine"),
            "{xml}"
        );
        assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{xml}");
        let sid = tag(&xml, "Sid").unwrap();
        // The box rang for the drawn Japanese ringback (at least one 3 s period) before
        // answering, then played a greeting and its beep: the call lasted past both.
        let duration: u64 = tag(&xml, "Duration").unwrap().parse().unwrap();
        assert!(duration >= 6, "duration {duration}: {xml}");
        // The message starts right after the detected beep, so it fills the tape's first
        // seconds.
        let wav = api.tape(&sid).await;
        let on_tape = energy(&wav, 0.0, 2.0);
        assert!(on_tape > 1e-4, "the message is on the tape: {on_tape}");
    }
    server.stop().await.unwrap();
}
