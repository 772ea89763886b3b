//! The webhook's transport: https with a trusted private certificate, user info as Basic
//! auth, redirects followed with method, parameters and a fresh signature, loops ended
//! with 11215, and every signature checked by Twilio's own helper library.

use base64::Engine as _;

use super::testapp::Answer;
use super::*;

/// A fast-clock server that trusts `app`'s self-signed certificate.
async fn trusting(app: &TestApp, test: &str) -> RunningServer {
    let dir = crate::util::scratch(test);
    let pem = dir.join("app-ca.pem");
    std::fs::write(&pem, app.certificate.as_deref().unwrap()).unwrap();
    let mut c = config(StoreLocation::Memory, ClockMode::Fast);
    c.ca_certs = vec![pem];
    start_with(c).await
}

async fn notifications_of(api: &Api, sid: &str) -> String {
    api.get(&format!(
        "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
    ))
    .await
    .body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_app_with_a_trusted_self_signed_certificate_runs_the_call() {
    let app = TestApp::start_tls().await;
    let server = trusting(&app, "webhook_tls").await;
    let api = Api::new(&server);
    let url = app.url("/start");
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550103"),
            ("Url", &url),
        ])
        .await;
    let xml = api.wait_final(&sid).await;
    assert_eq!(tag(&xml, "Status").as_deref(), Some("3"), "{xml}");
    let got = app.wait_for(&sid, 1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].param("DialStatus"), Some("busy"));
    assert!(got[0].url.starts_with("https://"));
    assert_signed(&got[0]);

    // A server that was not told to trust the certificate refuses the app: 11200.
    let plain = start().await;
    let api = Api::new(&plain);
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550100"),
            ("Url", &url),
        ])
        .await;
    let xml = api.wait_final(&sid).await;
    assert_eq!(tag(&xml, "Status").as_deref(), Some("4"), "{xml}");
    let n = notifications_of(&api, &sid).await;
    assert_eq!(tag(&n, "ErrorCode").as_deref(), Some("11200"), "{n}");
    let text = tag(&n, "MessageText").unwrap();
    assert!(
        text.contains("invalid peer certificate: UnknownIssuer"),
        "{n}"
    );
    assert!(app.for_call(&sid).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_info_becomes_basic_auth_and_is_never_sent_signed_or_stored() {
    let app = TestApp::start().await;
    app.answer(
        "/fails",
        Answer {
            status: 500,
            ..Answer::twiml("no")
        },
    );
    let server = start().await;
    let api = Api::new(&server);
    let url = format!(
        "http://al%40ice:s%3Acret@{}/start?x=1#frag",
        app.authority()
    );
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550103"),
            ("Url", &url),
        ])
        .await;
    api.wait_final(&sid).await;
    let got = app.wait_for(&sid, 1).await;
    let expected = format!(
        "Basic {}",
        base64::prelude::BASE64_STANDARD.encode("al@ice:s:cret")
    );
    assert_eq!(got[0].authorization.as_deref(), Some(expected.as_str()));
    assert_eq!(got[0].url, app.url("/start?x=1"));
    assert_signed(&got[0]);

    // A failing app: the Notification's RequestURL keeps neither user nor password.
    let url = format!("http://al%40ice:s%3Acret@{}/fails", app.authority());
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550100"),
            ("Url", &url),
        ])
        .await;
    api.wait_final(&sid).await;
    let n = notifications_of(&api, &sid).await;
    assert_eq!(tag(&n, "RequestURL"), Some(app.url("/fails")), "{n}");
    assert!(!n.contains("cret") && !n.contains("al%40ice"), "{n}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_keep_method_and_parameters_and_each_hop_is_signed() {
    let app = TestApp::start().await;
    // 301 → 302 → 303 → 307 → 308 → the TwiML, one relative and one absolute Location.
    app.answer("/r301", Answer::redirect(301, "r302"));
    app.answer("/r302", Answer::redirect(302, &app.url("/r303")));
    app.answer("/r303", Answer::redirect(303, "/r307?hop=4"));
    app.answer("/r307", Answer::redirect(307, "/r308"));
    app.answer("/r308", Answer::redirect(308, "/twiml"));
    app.answer("/twiml", Answer::twiml("<Response><Hangup/></Response>"));
    let server = start().await;
    let api = Api::new(&server);
    for method in ["POST", "GET"] {
        let sid = api
            .dial(&[
                ("Caller", "4158675309"),
                ("Called", "4155550103"),
                ("Url", &app.url("/r301")),
                ("Method", method),
            ])
            .await;
        api.wait_final(&sid).await;
        let got = app.wait_for(&sid, 6).await;
        let paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            ["/r301", "/r302", "/r303", "/r307", "/r308", "/twiml"]
        );
        for r in &got {
            assert_eq!(r.method, method, "{r:?}");
            assert_eq!(r.param("DialStatus"), Some("busy"), "{r:?}");
            assert_eq!(r.param("CallSid"), Some(sid.as_str()), "{r:?}");
            assert_signed(r);
        }
        assert_eq!(got[3].param("hop"), Some("4"));
        // Each hop carries the parameters once.
        assert!(
            got.iter()
                .all(|r| r.params.iter().filter(|(k, _)| k == "CallSid").count() == 1)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_loop_or_a_long_chain_ends_with_notification_11215() {
    let app = TestApp::start().await;
    app.answer("/a", Answer::redirect(302, "/b"));
    app.answer("/b", Answer::redirect(307, "/a"));
    for i in 0..12 {
        app.answer(
            &format!("/h{i}"),
            Answer::redirect(302, &format!("/h{}", i + 1)),
        );
    }
    let server = start().await;
    let api = Api::new(&server);
    for (start, requests, text) in [("/a", 2, "loop"), ("/h0", 11, "more than 10")] {
        let sid = api
            .dial(&[
                ("Caller", "4158675309"),
                ("Called", "4155550100"),
                ("Url", &app.url(start)),
            ])
            .await;
        let xml = api.wait_final(&sid).await;
        assert_eq!(tag(&xml, "Status").as_deref(), Some("4"), "{xml}");
        let n = notifications_of(&api, &sid).await;
        assert_eq!(tag(&n, "ErrorCode").as_deref(), Some("11215"), "{n}");
        assert!(tag(&n, "MessageText").unwrap().contains(text), "{n}");
        assert_eq!(tag(&n, "RequestURL"), Some(app.url(start)), "{n}");
        assert_eq!(app.for_call(&sid).len(), requests);
    }
}

/// The python with PyPI `twilio` installed (`.ci/run` makes one), from
/// `RINGSIDE_TWILIO_PYTHON`. Unset: skipped with a note, except under `CI=true`.
pub(super) fn twilio_python() -> Option<String> {
    match std::env::var("RINGSIDE_TWILIO_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but RINGSIDE_TWILIO_PYTHON is not set (.ci/run sets it)")
        }
        _ => {
            eprintln!(
                "note: signatures not checked with Twilio's RequestValidator: set \
                 RINGSIDE_TWILIO_PYTHON to a python with `pip install twilio`"
            );
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twilios_request_validator_accepts_every_signature() {
    let Some(python) = twilio_python() else {
        return;
    };
    let tls = TestApp::start_tls().await;
    let plain = TestApp::start().await;
    plain.answer("/hop", Answer::redirect(307, "/there?q=a%20b"));
    let server = trusting(&tls, "webhook_validator").await;
    let api = Api::new(&server);
    let urls = [
        tls.url("/start?foo=1&bar=2"),
        format!("http://user:pass@{}/basic#frag", plain.authority()),
        plain.url("/hop"),
    ];
    let mut received = Vec::new();
    for url in &urls {
        for method in ["POST", "GET"] {
            // 0101 answers: a person, so the request carries every parameter of a live call.
            let sid = api
                .dial(&[
                    ("Caller", "4158675309"),
                    ("Called", "4155550101"),
                    ("Url", url),
                    ("Method", method),
                ])
                .await;
            api.wait_final(&sid).await;
            received.extend(tls.for_call(&sid));
            received.extend(plain.for_call(&sid));
        }
    }
    assert!(received.len() >= 8, "{received:?}");
    validate_with_twilio(&python, &received);
}

/// Checks every request's `X-Twilio-Signature` with PyPI `twilio`'s `RequestValidator`
/// (`tests/server/twilio_validate.py`), run by `python`.
pub(super) fn validate_with_twilio(python: &str, received: &[testapp::Received]) {
    let job = serde_json::json!({
        "token": TOKEN_A,
        "requests": received.iter().map(|r| serde_json::json!({
            "url": r.url,
            "params": r.form,
            "signature": r.signature,
        })).collect::<Vec<_>>(),
    });
    let out = run_with_stdin(
        python,
        "tests/server/twilio_validate.py",
        &[],
        &job.to_string(),
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("valid")).count(),
        received.len(),
        "{report}"
    );
}
