//! Every detector verdict in every IfMachine mode over real HTTP: a defined DialStatus,
//! and the app requested exactly once (README, "DialStatus by verdict").

use super::calls::outcome;
use super::testapp::Answer;
use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_verdict_gets_one_request_with_its_dial_status_in_each_mode() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer("/start", Answer::twiml("<Response><Hangup/></Response>"));
    // (who answers, number, [(IfMachine, DialStatus, CallStatus)])
    type Mode<'a> = (&'a str, &'a str, &'a str);
    let table: [(&str, &str, [Mode; 3]); 4] = [
        (
            "person",
            "4155550100",
            [
                ("", "answered", "in-progress"),
                ("Continue", "answered-human", "in-progress"),
                ("Hangup", "answered-human", "in-progress"),
            ],
        ),
        (
            "voicemail",
            "4155550102",
            [
                ("", "answered", "in-progress"),
                ("Continue", "answered-machine", "in-progress"),
                ("Hangup", "hangup-machine", "completed"),
            ],
        ),
        (
            "fax",
            "4155550106",
            [
                ("", "answered", "in-progress"),
                ("Continue", "answered-machine", "in-progress"),
                ("Hangup", "hangup-machine", "completed"),
            ],
        ),
        (
            "dead air",
            "4155550110",
            [
                ("", "answered", "in-progress"),
                ("Continue", "answered-human", "in-progress"),
                ("Hangup", "answered-human", "in-progress"),
            ],
        ),
    ];
    for (who, called, modes) in table {
        for (mode, dial_status, call_status) in modes {
            let extra: Vec<(&str, &str)> = if mode.is_empty() {
                Vec::new()
            } else {
                vec![("IfMachine", mode)]
            };
            let (xml, got) = outcome(&api, &app, called, &extra, 1).await;
            // Give a second request, were there one, time to land.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let sid = tag(&xml, "Sid").unwrap();
            let got_now = app.for_call(&sid);
            assert_eq!(
                got_now.len(),
                1,
                "{who} {mode:?}: exactly one request: {got:?}"
            );
            assert_eq!(
                got_now[0].param("DialStatus"),
                Some(dial_status),
                "{who} {mode:?}"
            );
            assert_eq!(
                got_now[0].param("CallStatus"),
                Some(call_status),
                "{who} {mode:?}"
            );
            assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{who} {mode:?}");
        }
    }
    server.stop().await.unwrap();
}
