//! The 2010-04-01 REST surface over raw HTTP: every create-call validation error with its
//! documented code, the error bodies (JSON and XML), the `.xml` representations, auth, a
//! `FallbackUrl`, `Record=true`, and the 2008 API listing calls made through 2010.

use super::testapp::Answer;
use super::*;

fn calls_2010(api: &Api, ext: &str) -> String {
    format!("{}/2010-04-01/Accounts/{SID_A}/Calls{ext}", api.base)
}

async fn post_2010(api: &Api, url: &str, params: &[(&str, &str)]) -> (u16, String) {
    let r = api
        .http
        .post(url)
        .basic_auth(SID_A, Some(TOKEN_A))
        .form(params)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Creates a 2010 call from `+14158675309` to `to` running `url` (and `extra`), asserts
/// 201, and returns its sid.
async fn dial_2010(api: &Api, to: &str, url: &str, extra: &[(&str, &str)]) -> String {
    let mut params = vec![("To", to), ("From", "+14158675309"), ("Url", url)];
    params.extend_from_slice(extra);
    let (status, body) = post_2010(api, &calls_2010(api, ".json"), &params).await;
    assert_eq!(status, 201, "{body}");
    let call: serde_json::Value = serde_json::from_str(&body).unwrap();
    call["sid"].as_str().unwrap().to_owned()
}

async fn get_json(api: &Api, path: &str) -> (u16, serde_json::Value) {
    let r = api.get(path).await;
    (r.status, serde_json::from_str(&r.body).unwrap_or_default())
}

async fn wait_final_2010(api: &Api, sid: &str) -> serde_json::Value {
    for _ in 0..600 {
        let (status, call) = get_json(
            api,
            &format!("/2010-04-01/Accounts/{SID_A}/Calls/{sid}.json"),
        )
        .await;
        assert_eq!(status, 200, "{call}");
        if !matches!(
            call["status"].as_str(),
            Some("queued" | "ringing" | "in-progress")
        ) {
            return call;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("call {sid} never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_create_validation_error_has_its_code_and_names_the_field() {
    let server = start().await;
    let api = Api::new(&server);
    let base = [
        ("To", "+14155550100"),
        ("From", "+14158675309"),
        ("Url", "http://app.example/voice"),
    ];
    // (the fields that differ from `base`, the error code, the field the message names)
    type Case<'a> = (&'a [(&'a str, &'a str)], u32, &'a str);
    let cases: &[Case] = &[
        (&[("To", "")], 21201, "To"),
        (&[("To", "555")], 21211, "To"),
        (&[("To", "+15005550001")], 21217, "To"),
        (&[("To", "+15005550002")], 21214, "To"),
        (&[("To", "+15005550003")], 21215, "To"),
        (&[("To", "+15005550004")], 21216, "To"),
        (&[("From", "")], 21213, "From"),
        (&[("From", "x")], 21212, "From"),
        (&[("Url", "")], 21205, "Url"),
        (&[("Url", "ftp://app.example/")], 21205, "Url"),
        (&[("Method", "PUT")], 21209, "Method"),
        (&[("FallbackUrl", "nope")], 21205, "FallbackUrl"),
        (&[("FallbackMethod", "PUT")], 21209, "FallbackMethod"),
        (&[("StatusCallback", "nope")], 21609, "StatusCallback"),
        (
            &[("StatusCallbackMethod", "PUT")],
            21209,
            "StatusCallbackMethod",
        ),
        (
            &[("StatusCallbackEvent", "queued")],
            21626,
            "StatusCallbackEvent",
        ),
        (&[("SendDigits", "12a")], 21206, "SendDigits"),
        (&[("Timeout", "601")], 21208, "Timeout"),
        (&[("Record", "maybe")], 21200, "Record"),
        (&[("MachineDetection", "Always")], 21234, "MachineDetection"),
        (
            &[("MachineDetectionTimeout", "60")],
            21234,
            "MachineDetectionTimeout",
        ),
        (
            &[("MachineDetectionSpeechThreshold", "6001")],
            21234,
            "MachineDetectionSpeechThreshold",
        ),
        (
            &[("MachineDetectionSpeechEndThreshold", "499")],
            21234,
            "MachineDetectionSpeechEndThreshold",
        ),
        (
            &[("MachineDetectionSilenceTimeout", "10001")],
            21234,
            "MachineDetectionSilenceTimeout",
        ),
        (&[("AsyncAmd", "yes")], 21234, "AsyncAmd"),
        (
            &[("AsyncAmdStatusCallback", "nope")],
            21609,
            "AsyncAmdStatusCallback",
        ),
        (
            &[("AsyncAmdStatusCallbackMethod", "PUT")],
            21209,
            "AsyncAmdStatusCallbackMethod",
        ),
        (&[("Url", ""), ("Twiml", "<Response><Say>")], 12100, "Twiml"),
    ];
    for (extra, code, field) in cases {
        let mut params: Vec<(&str, &str)> = base
            .iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .copied()
            .collect();
        params.extend(extra.iter().copied());
        let (status, body) = post_2010(&api, &calls_2010(&api, ".json"), &params).await;
        assert_eq!(status, 400, "{extra:?}: {body}");
        let e: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(e["code"], *code, "{extra:?}: {body}");
        assert_eq!(e["status"], 400);
        assert_eq!(
            e["more_info"],
            format!("https://www.twilio.com/docs/errors/{code}")
        );
        assert!(e["message"].as_str().unwrap().contains(field), "{body}");
    }
    let long = format!("<Response><Say>{}</Say></Response>", "a".repeat(4000));
    let (status, body) = post_2010(
        &api,
        &calls_2010(&api, ".json"),
        &[
            ("To", "+14155550100"),
            ("From", "+14158675309"),
            ("Twiml", &long),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("32018"), "{body}");
    // Account B may only call from 415-867-5309.
    let r = api
        .http
        .post(format!(
            "{}/2010-04-01/Accounts/{SID_B}/Calls.json",
            api.base
        ))
        .basic_auth(SID_B, Some(TOKEN_B))
        .form(&[
            ("To", "+14155550100"),
            ("From", "+14155559999"),
            ("Url", "http://app.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(e["code"], 21210, "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_and_resources_come_as_json_or_xml_by_extension() {
    let server = start().await;
    let api = Api::new(&server);
    // 401, 404, 405 in both forms.
    let r = api
        .http
        .get(calls_2010(&api, ".json"))
        .basic_auth(SID_A, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    let e: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(
        (e["code"].as_u64(), e["status"].as_u64()),
        (Some(20003), Some(401))
    );
    let (status, e) = get_json(
        &api,
        &format!(
            "/2010-04-01/Accounts/{SID_A}/Calls/CA{}.json",
            "0".repeat(32)
        ),
    )
    .await;
    assert_eq!((status, e["code"].as_u64()), (404, Some(20404)));
    let r = api
        .get(&format!("/2010-04-01/Accounts/{SID_A}/Nothing.xml"))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(tag(&r.body, "Code").as_deref(), Some("20404"), "{}", r.body);
    let r = api
        .http
        .delete(calls_2010(&api, ".json"))
        .basic_auth(SID_A, Some(TOKEN_A))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    // A call in XML, and the list in XML with its paging attributes.
    let app = TestApp::start().await;
    let (status, body) = post_2010(
        &api,
        &calls_2010(&api, ""),
        &[
            ("To", "+14155550100"),
            ("From", "+14158675309"),
            ("Url", &app.url("/voice")),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(tag(&body, "Status").as_deref(), Some("queued"));
    assert_eq!(tag(&body, "ApiVersion").as_deref(), Some("2010-04-01"));
    assert_eq!(tag(&body, "ToFormatted").as_deref(), Some("(415) 555-0100"));
    let sid = tag(&body, "Sid").unwrap();
    assert!(body.contains("<SubresourceUris>"), "{body}");
    wait_final_2010(&api, &sid).await;
    let r = api
        .get(&format!(
            "/2010-04-01/Accounts/{SID_A}/Calls.xml?PageSize=5"
        ))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(attr(&r.body, "Calls", "pagesize").as_deref(), Some("5"));
    assert_eq!(tag(&r.body, "Sid").as_deref(), Some(sid.as_str()));
    // Both APIs see the same calls: the 2008 list shows it too, with its 2008 status.
    let r = api.call(&sid).await;
    assert_eq!(tag(&r.body, "Status").as_deref(), Some("2"), "{}", r.body);
    let (_, list) = get_json(
        &api,
        &format!("/2010-04-01/Accounts/{SID_A}/Calls.json?Status=completed&PageSize=1"),
    )
    .await;
    assert_eq!(list["calls"][0]["sid"], sid.as_str());
    assert_eq!(list["page_size"], 1);
    assert_eq!(list["next_page_uri"], serde_json::Value::Null);
    let (status, e) = get_json(
        &api,
        &format!("/2010-04-01/Accounts/{SID_A}/Calls.json?Status=done"),
    )
    .await;
    assert_eq!((status, e["code"].as_u64()), (400, Some(20001)), "{e}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_url_falls_back_and_record_true_records_the_whole_call() {
    let server = start().await;
    let api = Api::new(&server);
    let app = TestApp::start().await;
    app.answer(
        "/voice",
        Answer {
            status: 503,
            ..Answer::twiml("")
        },
    );
    app.answer(
        "/fallback",
        Answer::twiml(
            "<Response><Say>Sorry, the line is busy. We will call again.</Say></Response>",
        ),
    );
    let sid = dial_2010(
        &api,
        "+14155550100",
        &app.url("/voice"),
        &[("FallbackUrl", &app.url("/fallback")), ("Record", "true")],
    )
    .await;
    let done = wait_final_2010(&api, &sid).await;
    assert_eq!(done["status"], "completed", "{done}");
    let got = app.wait_for(&sid, 2).await;
    let fallback = got.iter().find(|r| r.path == "/fallback").unwrap();
    assert_eq!(fallback.param("ErrorCode"), Some("11200"));
    assert_eq!(fallback.param("ErrorUrl"), Some(app.url("/voice").as_str()));
    assert_signed(fallback);
    // The failure is still a Notification.
    let (_, notes) = get_json(
        &api,
        &format!("/2010-04-01/Accounts/{SID_A}/Calls/{sid}/Notifications.json"),
    )
    .await;
    assert_eq!(notes["notifications"][0]["error_code"], "11200", "{notes}");
    // Record=true: one recording of the whole call, both directions.
    let (_, recs) = get_json(
        &api,
        &format!("/2010-04-01/Accounts/{SID_A}/Calls/{sid}/Recordings.json"),
    )
    .await;
    let list = recs["recordings"].as_array().unwrap();
    let whole: Vec<_> = list
        .iter()
        .filter(|r| r["source"] == "OutboundAPI")
        .collect();
    assert_eq!(whole.len(), 1, "{recs}");
    let secs: u64 = whole[0]["duration"].as_str().unwrap().parse().unwrap();
    let call_secs: u64 = done["duration"].as_str().unwrap().parse().unwrap();
    assert!(
        secs + 1 >= call_secs && secs <= call_secs,
        "{secs} s of {call_secs} s"
    );
    let media = whole[0]["media_url"].as_str().unwrap();
    let wav = api.http.get(media).send().await.unwrap();
    assert_eq!(wav.status(), 200);
    assert_eq!(wav.bytes().await.unwrap().get(..4), Some(&b"RIFF"[..]));
    let (status, meta) = get_json(
        &api,
        &format!(
            "/2010-04-01/Accounts/{SID_A}/Recordings/{}.json",
            whole[0]["sid"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!((status, &meta["call_sid"]), (200, &serde_json::json!(sid)));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2010_recording_url_is_a_2010_resource_that_serves_the_audio() {
    let server = start().await;
    let api = Api::new(&server);
    let app = TestApp::start().await;
    app.answer(
        "/voice",
        Answer::twiml("<Response><Record action=\"/saved\" maxLength=\"10\"/></Response>"),
    );
    app.answer("/saved", Answer::twiml("<Response><Hangup/></Response>"));
    // 0101 talks 3 s into a record, then presses #.
    let sid = dial_2010(&api, "+14155550101", &app.url("/voice"), &[]).await;
    wait_final_2010(&api, &sid).await;
    let got = app.wait_for(&sid, 2).await;
    let saved = got.iter().find(|r| r.path == "/saved").unwrap();
    let url = saved.param("RecordingUrl").unwrap();
    let prefix = format!("{}/2010-04-01/Accounts/{SID_A}/Recordings/RE", api.base);
    assert!(url.starts_with(&prefix), "{url}");
    assert_eq!(saved.param("Digits"), Some("#"));
    let wav = api.http.get(url).send().await.unwrap();
    assert_eq!(wav.status(), 200);
    assert_eq!(wav.bytes().await.unwrap().get(..4), Some(&b"RIFF"[..]));
    let (status, meta) = get_json(&api, &format!("{}.json", &url[api.base.len()..])).await;
    assert_eq!(status, 200, "{meta}");
    assert_eq!(meta["source"], "RecordVerb");
    assert_eq!(meta["duration"], saved.param("Duration").unwrap());
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dialled_leg_is_a_child_call_of_the_call_that_dialled_it() {
    let server = start().await;
    let api = Api::new(&server);
    let app = TestApp::start().await;
    // 0121 is an agent: rings 2 s, answers, hangs up 8 s later.
    app.answer(
        "/voice",
        Answer::twiml("<Response><Dial><Number>415-555-0121</Number></Dial></Response>"),
    );
    let sid = dial_2010(&api, "+14155550100", &app.url("/voice"), &[]).await;
    wait_final_2010(&api, &sid).await;
    let (status, list) = get_json(
        &api,
        &format!("/2010-04-01/Accounts/{SID_A}/Calls.json?ParentCallSid={sid}"),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let legs = list["calls"].as_array().unwrap();
    assert_eq!(legs.len(), 1, "{list}");
    let leg = &legs[0];
    assert_eq!(leg["parent_call_sid"], sid.as_str());
    assert_eq!(leg["direction"], "outbound-dial");
    assert_eq!(leg["to"], "+14155550121");
    assert_eq!(leg["status"], "completed");
    let leg_sid = leg["sid"].as_str().unwrap();
    assert_ne!(leg_sid, sid);
    let (status, fetched) = get_json(
        &api,
        &format!("/2010-04-01/Accounts/{SID_A}/Calls/{leg_sid}.json"),
    )
    .await;
    assert_eq!(status, 200, "{fetched}");
    assert_eq!(fetched["parent_call_sid"], sid.as_str());
    // The leg is not a call of the top-level list.
    let (_, all) = get_json(&api, &format!("/2010-04-01/Accounts/{SID_A}/Calls.json")).await;
    assert_eq!(all["calls"].as_array().unwrap().len(), 1, "{all}");
    server.stop().await.unwrap();
}
