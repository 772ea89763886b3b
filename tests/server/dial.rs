//! `<Dial>` over real HTTP: the dialled number's far end comes from the phone book, the
//! action gets DialStatus, DialCallSid and DialCallDuration, and each leg is listed under
//! the call's Segments with its CallSegmentSid.

use super::calls::outcome;
use super::testapp::Answer;
use super::*;

/// The `<Call>` elements under `…/Calls/{sid}/Segments`.
async fn segments(api: &Api, sid: &str) -> (String, Vec<String>) {
    let r = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Segments"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let calls = tags(&r.body, "Call");
    (r.body, calls)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_answers_and_is_bridged_to_an_agent() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer(
        "/start",
        Answer::twiml(
            r#"<Response><Say>Connecting you.</Say><Dial action="/dialed" callerId="(415) 555-0000"><Number sendDigits="12#">415-555-0121</Number></Dial></Response>"#,
        ),
    );
    app.answer("/dialed", Answer::twiml("<Response><Hangup/></Response>"));
    let (xml, got) = outcome(&api, &app, "4155550100", &[], 2).await;
    let sid = tag(&xml, "Sid").unwrap();
    assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{xml}");
    let dialed = got
        .iter()
        .find(|r| r.path == "/dialed")
        .expect("the action");
    assert_eq!(dialed.param("DialStatus"), Some("answered"));
    // The agent answers after 2 s and hangs up 8 s later.
    assert_eq!(dialed.param("DialCallDuration"), Some("8"));
    let segment = dialed.param("DialCallSid").unwrap().to_owned();
    assert!(segment.starts_with("CA") && segment.len() == 34 && segment != sid);

    let (body, calls) = segments(&api, &sid).await;
    assert_eq!(
        attr(&body, "Calls", "total").as_deref(),
        Some("1"),
        "{body}"
    );
    let leg = &calls[0];
    assert_eq!(tag(leg, "Sid"), Some(sid.clone()));
    assert_eq!(tag(leg, "CallSegmentSid"), Some(segment));
    assert_eq!(tag(leg, "Called").as_deref(), Some("4155550121"));
    assert_eq!(tag(leg, "Caller").as_deref(), Some("4155550000"));
    assert_eq!(tag(leg, "Status").as_deref(), Some("2"));
    assert_eq!(tag(leg, "Duration").as_deref(), Some("8"));
    assert_eq!(tag(leg, "Flags").as_deref(), Some("4"));
    // The call itself still has an empty CallSegmentSid.
    assert_eq!(tag(&xml, "CallSegmentSid").as_deref(), Some(""));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn busy_no_answer_failed_time_limit_and_hangup_on_star() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer("/dialed", Answer::twiml("<Response><Hangup/></Response>"));
    // (called, Dial, DialStatus, DialCallDuration range, the segment's Status)
    type Case<'a> = (&'a str, &'a str, &'a str, (u64, u64), &'a str);
    let cases: [Case; 5] = [
        (
            "4155550100",
            r#"<Dial action="/dialed">4155550103</Dial>"#,
            "busy",
            (0, 0),
            "3",
        ),
        (
            "4155550100",
            r#"<Dial action="/dialed" timeout="3">4155550104</Dial>"#,
            "no-answer",
            (0, 0),
            "5",
        ),
        (
            "4155550100",
            r#"<Dial action="/dialed">4155550105</Dial>"#,
            "failed",
            (0, 0),
            "4",
        ),
        (
            "4155550100",
            r#"<Dial action="/dialed" timeLimit="3">4155550121</Dial>"#,
            "answered",
            (3, 3),
            "2",
        ),
        // 0123 answers after 1 s and presses * 8 s later; the agent answers 2 s after the
        // dial, so about 6 s of bridge (plus the key's recognition) are counted.
        (
            "4155550123",
            r#"<Dial action="/dialed" hangupOnStar="true">4155550121</Dial>"#,
            "answered",
            (6, 7),
            "2",
        ),
    ];
    for (called, dial, status, (lo, hi), segment_status) in cases {
        app.answer(
            "/start",
            Answer::twiml(&format!("<Response>{dial}</Response>")),
        );
        let (xml, got) = outcome(&api, &app, called, &[], 2).await;
        let sid = tag(&xml, "Sid").unwrap();
        assert_eq!(got.len(), 2, "{dial}: {got:?}");
        let dialed = &got[1];
        assert_eq!(dialed.path, "/dialed");
        assert_eq!(dialed.param("DialStatus"), Some(status), "{dial}");
        let secs: u64 = dialed.param("DialCallDuration").unwrap().parse().unwrap();
        assert!((lo..=hi).contains(&secs), "{dial}: {secs}");
        let (_, calls) = segments(&api, &sid).await;
        assert_eq!(calls.len(), 1, "{dial}");
        assert_eq!(
            tag(&calls[0], "Status").as_deref(),
            Some(segment_status),
            "{dial}"
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_number_rings_at_once_and_each_leg_is_a_segment() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer(
        "/start",
        Answer::twiml(
            r#"<Response><Dial action="/dialed"><Number>4155550103</Number><Number>4155550104</Number><Number>4155550121</Number></Dial></Response>"#,
        ),
    );
    app.answer("/dialed", Answer::twiml("<Response><Hangup/></Response>"));
    let (xml, got) = outcome(&api, &app, "4155550100", &[], 2).await;
    let sid = tag(&xml, "Sid").unwrap();
    let dialed = got
        .iter()
        .find(|r| r.path == "/dialed")
        .expect("the action");
    assert_eq!(dialed.param("DialStatus"), Some("answered"));
    let (body, calls) = segments(&api, &sid).await;
    assert_eq!(
        attr(&body, "Calls", "total").as_deref(),
        Some("3"),
        "{body}"
    );
    let legs: Vec<(String, String)> = calls
        .iter()
        .map(|c| (tag(c, "Called").unwrap(), tag(c, "Status").unwrap()))
        .collect();
    let want = [
        ("4155550103", "3"),
        ("4155550104", "5"),
        ("4155550121", "2"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
        .collect();
    assert_eq!(legs, want);
    // The action names the leg that was bridged.
    assert_eq!(
        dialed.param("DialCallSid"),
        tag(&calls[2], "CallSegmentSid").as_deref()
    );
    server.stop().await.unwrap();
}
