//! `<Record>` over real HTTP: every way it ends requests the action with the recording's
//! random sid in its URL, the stored audio's Duration, and Digits; transcriptions reach
//! the transcribeCallback.

use super::calls::outcome;
use super::testapp::{Answer, Received};
use super::*;

/// The recordings listed under a call: (sid, Duration).
async fn recordings(api: &Api, sid: &str) -> Vec<(String, String)> {
    let list = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Recordings"
        ))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let sids: Vec<String> = tags(&list.body, "Sid")
        .into_iter()
        .filter(|s| s.starts_with("RE"))
        .collect();
    let durations = tags(&list.body, "Duration");
    sids.into_iter().zip(durations).collect()
}

/// The number of samples in a 16-bit mono WAV's data chunk.
fn samples(wav: &[u8]) -> u32 {
    let r = hound::WavReader::new(std::io::Cursor::new(wav)).unwrap();
    assert_eq!((r.spec().channels, r.spec().bits_per_sample), (1, 16));
    r.len()
}

fn action<'a>(got: &'a [Received], path: &str) -> &'a Received {
    let hits: Vec<&Received> = got.iter().filter(|r| r.path == path).collect();
    assert_eq!(hits.len(), 1, "one request to {path}: {got:?}");
    hits[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_ending_requests_the_action_with_the_recording_sid() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer(
        "/next",
        Answer::twiml("<Response><Say>Thanks</Say></Response>"),
    );
    // (how it ends, number, Record, Digits, Duration range in s)
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str, (u64, u64));
    let cases: [Case; 5] = [
        (
            "silence",
            "4155550109",
            r#"<Record timeout="2" action="/next"/>"#,
            "",
            (31, 34),
        ),
        (
            "finishOnKey=\"\"",
            "4155550101",
            r#"<Record finishOnKey="" timeout="2" action="/next"/>"#,
            "",
            (5, 7),
        ),
        (
            "finishOnKey",
            "4155550101",
            r#"<Record action="/next"/>"#,
            "#",
            (3, 5),
        ),
        (
            "maxLength",
            "4155550109",
            r#"<Record maxLength="5" action="/next"/>"#,
            "",
            (5, 5),
        ),
        (
            "callee hangup",
            "4155550122",
            r#"<Record action="/next"/>"#,
            "hangup",
            (9, 10),
        ),
    ];
    for (how, called, record, digits, (lo, hi)) in cases {
        app.answer(
            "/start",
            Answer::twiml(&format!("<Response>{record}</Response>")),
        );
        let (xml, got) = outcome(&api, &app, called, &[], 2).await;
        let sid = tag(&xml, "Sid").unwrap();
        assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{how}: {xml}");
        let next = action(&got, "/next");
        assert_eq!(next.param("Digits"), Some(digits), "{how}");
        let duration: u64 = next.param("Duration").unwrap().parse().unwrap();
        assert!((lo..=hi).contains(&duration), "{how}: Duration {duration}");
        if how == "callee hangup" {
            assert_eq!(next.param("CallStatus"), Some("completed"), "{how}");
        }
        // The URL names the recording the Recordings list shows, by a random sid.
        let url = next.param("RecordingUrl").unwrap();
        let listed = recordings(&api, &sid).await;
        assert_eq!(listed.len(), 1, "{how}: {listed:?}");
        let (re, listed_duration) = &listed[0];
        assert_eq!(
            url,
            format!("{}/2008-08-01/Accounts/{SID_A}/Recordings/{re}", api.base),
            "{how}"
        );
        assert_eq!(re.len(), 34);
        assert!(
            !re.contains(&sid[2..]),
            "{how}: the sid is not derived from the call's"
        );
        // Knowing the CallSid finds nothing: there are no `CA…-1` keys.
        let guess = format!(
            "{}/2008-08-01/Accounts/{SID_A}/Recordings/{sid}-1",
            api.base
        );
        let r = api.http.get(&guess).send().await.unwrap();
        assert_eq!(r.status(), 404, "{how}");
        assert_eq!(listed_duration, &duration.to_string(), "{how}");
        // The WAV holds the audio the Duration describes.
        let wav = api
            .http
            .get(url)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let n = samples(&wav);
        assert_eq!(u64::from(n).div_ceil(8000), duration, "{how}: {n} samples");
        if how == "maxLength" {
            assert_eq!(n, 5 * 8000, "maxLength=5 stores 5 s after the beep");
        }
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcriptions_reach_the_callback_or_fail_with_a_notification() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    app.answer(
        "/start",
        Answer::twiml(
            r#"<Response><Record action="/next" maxLength="10" transcribe="true" transcribeCallback="/text"/></Response>"#,
        ),
    );
    app.answer("/next", Answer::twiml("<Response><Hangup/></Response>"));

    // 0101 talks 3 s, presses #, and the phone book gives its words.
    let (xml, got) = outcome(&api, &app, "4155550101", &[], 3).await;
    let sid = tag(&xml, "Sid").unwrap();
    let text = action(&got, "/text");
    assert_eq!(text.method, "POST");
    assert_eq!(
        text.param("TranscriptionText"),
        Some("Hi, it's Ann. Please call me back after five.")
    );
    assert_eq!(text.param("TranscriptionStatus"), Some("completed"));
    assert!(
        text.param("TranscriptionSid")
            .is_some_and(|s| s.starts_with("TR") && s.len() == 34)
    );
    assert_eq!(
        text.param("RecordingUrl"),
        action(&got, "/next").param("RecordingUrl")
    );
    let re = &recordings(&api, &sid).await[0].0;
    assert_eq!(text.param("RecordingSid"), Some(re.as_str()));
    assert!(
        text.signature.is_some(),
        "the callback is signed like every request"
    );

    // 0109 talks, but the book has no words for it: failed, and a warning Notification.
    let (xml, got) = outcome(&api, &app, "4155550109", &[], 3).await;
    let sid = tag(&xml, "Sid").unwrap();
    assert_eq!(
        tag(&xml, "Status").as_deref(),
        Some("2"),
        "a warning does not fail the call"
    );
    let text = action(&got, "/text");
    assert_eq!(text.param("TranscriptionStatus"), Some("failed"));
    assert_eq!(text.param("TranscriptionText"), Some(""));
    let notes = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
        ))
        .await;
    assert_eq!(
        tag(&notes.body, "Log").as_deref(),
        Some("1"),
        "{}",
        notes.body
    );
    assert_eq!(tag(&notes.body, "ErrorCode").as_deref(), Some("17554"));
    assert!(
        tag(&notes.body, "MessageText")
            .unwrap()
            .contains("transcription")
    );
    server.stop().await.unwrap();
}
