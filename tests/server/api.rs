//! The REST surface: the 2008 documentation's requests and XML, validation errors, auth,
//! paging and filters, method and path handling.

use super::*;

/// The `<Call>` of a create response with the parts that vary per run (sid, PN, time)
/// replaced, so it compares with the documentation's bytes.
fn normalise(xml: &str) -> String {
    let sid = tag(xml, "Sid").unwrap();
    let pn = tag(xml, "PhoneNumberSid").unwrap();
    let start = tag(xml, "StartTime").unwrap();
    assert!(sid.starts_with("CA") && sid.len() == 34, "{sid}");
    assert!(pn.starts_with("PN") && pn.len() == 34, "{pn}");
    assert!(start.ends_with(" +0000"), "{start}");
    xml.replace(&sid, "CA42ed11f93dc08b952027ffbc406d0868")
        .replace(&pn, "PN")
        .replace(&start, "Thu, 03 Apr 2008 04:36:33 -0400")
}

fn seed_response(caller: &str) -> String {
    format!(
        "<TwilioResponse>
<Call>
<Sid>CA42ed11f93dc08b952027ffbc406d0868</Sid>
<CallSegmentSid/>
<AccountSid>AC309475e5fede1b49e100272a8640f438</AccountSid>
<Called>4155551212</Called>
<Caller>{caller}</Caller>
<PhoneNumberSid>PN</PhoneNumberSid>
<Status>0</Status>
<StartTime>Thu, 03 Apr 2008 04:36:33 -0400</StartTime>
<EndTime/>
<Price/>
<Flags>2</Flags>
</Call>
</TwilioResponse>
"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_three_requests_give_the_seeds_xml() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    let url = app.url("/myhandler.php");
    let examples = [
        (
            format!("Caller=4158675309&Called=4155551212&Url={url}"),
            "4158675309",
            "POST",
        ),
        (
            format!("Caller=415-867-5309&Called=4155551212&Url={url}&Method=GET"),
            "4158675309",
            "GET",
        ),
        (
            format!(
                "Caller=866-867-5309&Called=4155551212&Url={url}&Method=GET&SendDigits=1234%23"
            ),
            "8668675309",
            "GET",
        ),
    ];
    let mut sids = Vec::new();
    for (body, caller, _) in &examples {
        let r = api.create_raw(body).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(normalise(&r.body), seed_response(caller));
        sids.push(tag(&r.body, "Sid").unwrap());
    }
    // The same caller id has the same PhoneNumberSid; another has another.
    for (sid, (_, caller, method)) in sids.iter().zip(&examples) {
        let done = api.wait_final(sid).await;
        assert_eq!(tag(&done, "Caller").as_deref(), Some(*caller));
        let got = app.wait_for(sid, 1).await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].method, *method);
        assert_eq!(got[0].param("DialStatus"), Some("answered"));
        assert_eq!(got[0].param("CallStatus"), Some("in-progress"));
        assert_eq!(got[0].param("Caller"), Some(*caller));
        assert_eq!(got[0].param("Called"), Some("4155551212"));
        assert_eq!(got[0].param("AccountSid"), Some(SID_A));
        assert_eq!(got[0].param("CallGuid"), Some(sid.as_str()));
        // The signature is what the app can recompute with the token.
        let signed: Vec<(String, String)> = got[0].form.clone();
        assert_eq!(
            got[0].signature.as_deref(),
            Some(ringside_server::signature::sign(TOKEN_A, &got[0].url, &signed).as_str())
        );
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_validation_error_has_its_code() {
    let server = start().await;
    let api = Api::new(&server);
    let ok = [
        ("Caller", "4158675309"),
        ("Called", "4155551212"),
        ("Url", "http://127.0.0.1:9/app"),
    ];
    let with = |change: (&'static str, &'static str)| {
        let mut p: Vec<(&str, &str)> = ok.iter().copied().filter(|(k, _)| *k != change.0).collect();
        if !change.1.is_empty() {
            p.push(change);
        }
        p
    };
    let cases: Vec<(Vec<(&str, &str)>, u32)> = vec![
        (with(("Called", "")), 21201),
        (with(("Called", "abc")), 21211),
        (with(("Called", "+15005550001")), 21217),
        (with(("Called", "+15005550002")), 21214),
        (with(("Called", "+15005550003")), 21215),
        (with(("Called", "+15005550004")), 21216),
        (with(("Caller", "")), 21213),
        (with(("Caller", "12")), 21212),
        (with(("Caller", "+15005550001")), 21212),
        (with(("Url", "")), 21205),
        (with(("Url", "/relative")), 21205),
        (with(("Url", "ftp://x.example/")), 21205),
        (with(("Method", "PUT")), 21209),
        (with(("SendDigits", "12x")), 21206),
        (with(("IfMachine", "maybe")), 21207),
        (with(("Timeout", "1000")), 21208),
        (with(("Timeout", "ten")), 21208),
    ];
    for (params, code) in cases {
        let r = api.create(&params).await;
        assert_eq!(r.status, 400, "{params:?}: {}", r.body);
        assert!(
            r.body
                .starts_with("<TwilioResponse>\n<RestException>\n<Status>400</Status>\n<Message>"),
            "{}",
            r.body
        );
        assert_eq!(
            tag(&r.body, "Code"),
            Some(code.to_string()),
            "{params:?}: {}",
            r.body
        );
        assert_eq!(
            tag(&r.body, "MoreInfo"),
            Some(format!("http://www.twilio.com/docs/errors/{code}"))
        );
    }
    // 21210: account B may only call from 415-867-5309.
    let r = api
        .http
        .post(api.calls_url(SID_B))
        .basic_auth(SID_B, Some(TOKEN_B))
        .form(&[
            ("Caller", "8668675309"),
            ("Called", "4155551212"),
            ("Url", "http://127.0.0.1:9/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        tag(&r.text().await.unwrap(), "Code").as_deref(),
        Some("21210")
    );
    // Nothing was created by any of them.
    let list = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Calls"))
        .await;
    assert_eq!(attr(&list.body, "Calls", "total").as_deref(), Some("0"));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_is_required_and_accounts_are_sealed() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550103"),
            ("Url", &app.url("/a")),
        ])
        .await;
    let calls_a = format!("/2008-08-01/Accounts/{SID_A}/Calls");
    let call_a = format!("{calls_a}/{sid}");
    // Missing and wrong credentials.
    let r = api
        .send(api.http.get(format!("{}{call_a}", api.base)))
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(tag(&r.body, "Status").as_deref(), Some("401"));
    assert_eq!(api.get_as(&call_a, SID_A, "wrong").await.status, 401);
    assert_eq!(api.get_as(&call_a, "ACnope", TOKEN_A).await.status, 401);
    // B's credentials on A's path: refused, never data.
    let r = api.get_as(&call_a, SID_B, TOKEN_B).await;
    assert_eq!(r.status, 401);
    assert!(!r.body.contains(&sid));
    let r = api.get_as(&calls_a, SID_B, TOKEN_B).await;
    assert_eq!(r.status, 401);
    // A's call under B's path with B's credentials: not found.
    let r = api
        .get_as(
            &format!("/2008-08-01/Accounts/{SID_B}/Calls/{sid}"),
            SID_B,
            TOKEN_B,
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        "<TwilioResponse>\n<RestException>\n<Status>404</Status>\n<Message>The requested resource was not found</Message>\n</RestException>\n</TwilioResponse>\n"
    );
    for sub in ["Notifications", "Recordings"] {
        let r = api
            .get_as(
                &format!("/2008-08-01/Accounts/{SID_B}/Calls/{sid}/{sub}"),
                SID_B,
                TOKEN_B,
            )
            .await;
        assert_eq!(r.status, 404, "{sub}");
    }
    // B cannot redirect A's call either.
    let r = api
        .send(
            api.http
                .post(format!(
                    "{}/2008-08-01/Accounts/{SID_B}/Calls/{sid}",
                    api.base
                ))
                .basic_auth(SID_B, Some(TOKEN_B))
                .form(&[("CurrentUrl", "http://127.0.0.1:9/")]),
        )
        .await;
    assert_eq!(r.status, 404);
    // B's list is empty; A's has the call.
    let r = api
        .get_as(
            &format!("/2008-08-01/Accounts/{SID_B}/Calls"),
            SID_B,
            TOKEN_B,
        )
        .await;
    assert_eq!(attr(&r.body, "Calls", "total").as_deref(), Some("0"));
    let r = api.get(&calls_a).await;
    assert_eq!(tags(&r.body, "Sid"), vec![sid]);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_paths_and_doubled_slash() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    // An old PHP client's `//2008-08-01/...`.
    let r = api
        .send(
            api.http
                .post(format!("{}//2008-08-01/Accounts/{SID_A}/Calls", api.base))
                .basic_auth(SID_A, Some(TOKEN_A))
                .form(&[
                    ("Caller", "4158675309"),
                    ("Called", "4155551212"),
                    ("Url", &app.url("/")),
                ]),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let sid = tag(&r.body, "Sid").unwrap();
    api.wait_final(&sid).await;
    let call = format!("{}/2008-08-01/Accounts/{SID_A}/Calls/{sid}", api.base);
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE] {
        let r = api
            .send(
                api.http
                    .request(method.clone(), &call)
                    .basic_auth(SID_A, Some(TOKEN_A)),
            )
            .await;
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(tag(&r.body, "Status").as_deref(), Some("405"));
    }
    let r = api
        .send(
            api.http
                .delete(api.calls_url(SID_A))
                .basic_auth(SID_A, Some(TOKEN_A)),
        )
        .await;
    assert_eq!(r.status, 405);
    // Unknown and malformed call sids.
    let r = api.call("CA00000000000000000000000000000000").await;
    assert_eq!(r.status, 404);
    assert_eq!(api.call("nonsense").await.status, 404);
    assert_eq!(api.get("/2008-08-01/Nowhere").await.status, 404);
    // Redirecting a finished call is refused.
    let r = api
        .send(
            api.http
                .post(&call)
                .basic_auth(SID_A, Some(TOKEN_A))
                .form(&[("CurrentUrl", app.url("/next").as_str())]),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(tag(&r.body, "Code").as_deref(), Some("21220"));
    // And an invalid CurrentUrl is 21205.
    let r = api
        .send(
            api.http
                .post(&call)
                .basic_auth(SID_A, Some(TOKEN_A))
                .form(&[("CurrentMethod", "GET")]),
        )
        .await;
    assert_eq!(tag(&r.body, "Code").as_deref(), Some("21205"));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_and_filter() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    let url = app.url("/");
    let mut sids = Vec::new();
    for called in [
        "4155550100",
        "4155550103",
        "4155550103",
        "4155550105",
        "4155550100",
        "4155550103",
        "4155550100",
    ] {
        sids.push(
            api.dial(&[("Caller", "4158675309"), ("Called", called), ("Url", &url)])
                .await,
        );
    }
    for sid in &sids {
        api.wait_final(sid).await;
    }
    let base = format!("/2008-08-01/Accounts/{SID_A}/Calls");
    let r = api.get(&base).await;
    assert_eq!(attr(&r.body, "Calls", "total").as_deref(), Some("7"));
    assert_eq!(attr(&r.body, "Calls", "pagesize").as_deref(), Some("50"));
    assert_eq!(attr(&r.body, "Calls", "end").as_deref(), Some("6"));
    // Newest first.
    let listed = tags(&r.body, "Sid");
    let newest_first: Vec<String> = sids.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first);
    // Paging.
    let r = api.get(&format!("{base}?num=3&page=2")).await;
    assert!(
        r.body.contains(
            "<Calls page=\"2\" numpages=\"3\" pagesize=\"3\" total=\"7\" start=\"6\" end=\"6\">"
        ),
        "{}",
        r.body
    );
    assert_eq!(tags(&r.body, "Sid"), vec![sids[0].clone()]);
    let r = api.get(&format!("{base}?num=3&page=9")).await;
    assert!(r.body.contains("total=\"7\""));
    assert!(tags(&r.body, "Sid").is_empty());
    let r = api.get(&format!("{base}?num=5000")).await;
    assert_eq!(attr(&r.body, "Calls", "pagesize").as_deref(), Some("1000"));
    assert_eq!(api.get(&format!("{base}?num=x")).await.status, 400);
    // Filters.
    let total = |body: &str| attr(body, "Calls", "total").unwrap();
    assert_eq!(
        total(
            &api.get(&format!("{base}?Called=(415)%20555-0103"))
                .await
                .body
        ),
        "3"
    );
    assert_eq!(total(&api.get(&format!("{base}?Status=3")).await.body), "3");
    assert_eq!(total(&api.get(&format!("{base}?Status=4")).await.body), "1");
    assert_eq!(
        total(
            &api.get(&format!("{base}?Status=2&Called=4155550100"))
                .await
                .body
        ),
        "3"
    );
    assert_eq!(
        total(&api.get(&format!("{base}?Caller=415-867-5309")).await.body),
        "7"
    );
    assert_eq!(
        total(&api.get(&format!("{base}?Caller=8668675309")).await.body),
        "0"
    );
    let today = {
        let start = tag(&api.call(&sids[0]).await.body, "StartTime").unwrap();
        // "Sun, 29 Nov 2026 18:31:59 +0000" → 2026-11-29
        let parts: Vec<&str> = start.split(' ').collect();
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .position(|m| *m == parts[2])
        .unwrap()
            + 1;
        format!("{}-{month:02}-{}", parts[3], parts[1])
    };
    assert_eq!(
        total(&api.get(&format!("{base}?StartTime={today}")).await.body),
        "7"
    );
    assert_eq!(
        total(&api.get(&format!("{base}?StartTime>={today}")).await.body),
        "7"
    );
    assert_eq!(
        total(&api.get(&format!("{base}?StartTime<={today}")).await.body),
        "7"
    );
    assert_eq!(
        total(&api.get(&format!("{base}?StartTime>=2999-01-01")).await.body),
        "0"
    );
    assert_eq!(
        total(&api.get(&format!("{base}?StartTime<=2000-01-01")).await.body),
        "0"
    );
    assert_eq!(
        api.get(&format!("{base}?StartTime=yesterday")).await.status,
        400
    );
    server.stop().await.unwrap();
}
