//! Every XML body stays well-formed XML 1.0, whatever text a call carries: a TwiML
//! document holding `&#1;` once put a raw 0x01 byte into a Notification, and every list
//! holding it became unreadable.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::testapp::Answer;
use super::*;

/// Parses `xml` to the end; panics with the parser's error if it is not well-formed.
fn assert_well_formed(xml: &str) {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return,
            Ok(Event::Text(t)) => {
                // quick-xml does not check characters itself: do what a strict parser does.
                let text: &str = &t[..];
                assert!(
                    text.chars()
                        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')),
                    "a character XML 1.0 cannot carry in {xml:?}"
                );
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed ({e}): {xml}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_character_in_twiml_keeps_the_notifications_well_formed() {
    let app = TestApp::start().await;
    app.answer("/", Answer::twiml("<Response><Dial>&#1;</Dial></Response>"));
    app.answer(
        "/raw",
        Answer::twiml("<Response><Say>\u{1}\u{1b}[31m</Say><Bogus\u{7}/></Response>"),
    );
    let server = start().await;
    let api = Api::new(&server);
    let mut sids = Vec::new();
    for path in ["/", "/raw"] {
        let sid = api
            .dial(&[
                ("Caller", "4158675309"),
                ("Called", "4155550100"),
                ("Url", &app.url(path)),
            ])
            .await;
        api.wait_final(&sid).await;
        sids.push(sid);
    }
    let mut notifications = 0;
    for sid in &sids {
        let n = api
            .get(&format!(
                "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
            ))
            .await;
        assert_eq!(n.status, 200);
        assert_well_formed(&n.body);
        assert!(
            !n.body.contains('\u{1}') && !n.body.contains('\u{7}'),
            "{}",
            n.body
        );
        notifications += tags(&n.body, "Notification").len();
        assert_well_formed(&api.call(sid).await.body);
    }
    assert!(notifications >= 1, "the TwiML above raised no Notification");
    let all = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Notifications"))
        .await;
    assert_well_formed(&all.body);
    assert_well_formed(
        &api.get(&format!("/2008-08-01/Accounts/{SID_A}/Calls"))
            .await
            .body,
    );
}
