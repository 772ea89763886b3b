//! `<Play>` of every supported format over HTTP: the app serves an MP3 and a μ-law WAV, the
//! server downloads and decodes them with ringside-audio, and the voicemail box that
//! answered records them. The tape's length is the played duration: before the server
//! decoded through ringside-audio it skipped anything but linear WAV, and the tape was
//! empty.

use super::testapp::Answer;
use super::*;

/// The greeting the media files encode (fixtures/machine_beep.wav): 8.375 s.
const MEDIA_SECONDS: f64 = 8.375;

/// Dials the voicemail box with IfMachine=Continue, so the app's `<Play>` starts after
/// the beep, when the box records; returns the tape's samples (8 kHz mono).
async fn play_to_voicemail(api: &Api, app: &TestApp, media_path: &str) -> Vec<f32> {
    let twiml = format!(
        "<Response><Play>{}</Play><Hangup/></Response>",
        app.url(media_path)
    );
    let start = format!("/start-{}", media_path.trim_start_matches('/'));
    app.answer(&start, Answer::twiml(&twiml));
    let url = app.url(&start);
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550102"),
            ("Url", url.as_str()),
            ("IfMachine", "Continue"),
        ])
        .await;
    let xml = api.wait_final(&sid).await;
    assert_eq!(tag(&xml, "Status").as_deref(), Some("2"), "{xml}");
    let list = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
        ))
        .await;
    assert_eq!(
        attr(&list.body, "Notifications", "total").as_deref(),
        Some("0"),
        "the media played without a problem: {}",
        list.body
    );
    let wav = api.tape(&sid).await;
    let mut r = hound::WavReader::new(std::io::Cursor::new(wav)).unwrap();
    assert_eq!(r.spec().sample_rate, 8000);
    r.samples::<i16>()
        .map(|x| f32::from(x.unwrap()) / 32768.0)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_plays_mp3_and_ulaw_wav_for_their_whole_length() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Api::new(&server);
    let formats = crate::util::root().join("fixtures/formats");
    app.answer(
        "/greeting.mp3",
        Answer::file(&formats.join("machine_beep.mp3"), "audio/mpeg"),
    );
    app.answer(
        "/greeting-ulaw.wav",
        Answer::file(&formats.join("machine_beep_ulaw.wav"), "audio/wav"),
    );
    let mut lengths = Vec::new();
    for media in ["/greeting.mp3", "/greeting-ulaw.wav"] {
        let tape = play_to_voicemail(&api, &app, media).await;
        let seconds = tape.len() as f64 / 8000.0;
        // The tape runs from the beep's end to the hang-up after the prompt: the whole
        // prompt, plus the detector's short wait for the beep's end to be confirmed.
        assert!(
            (MEDIA_SECONDS..MEDIA_SECONDS + 1.0).contains(&seconds),
            "{media}: tape of {seconds:.3} s for a {MEDIA_SECONDS} s prompt"
        );
        // What is on it is the greeting, not silence: its words are loud.
        let peak = tape.iter().fold(0f32, |m, &x| m.max(x.abs()));
        assert!(peak > 0.05, "{media}: the tape is silent (peak {peak})");
        lengths.push(seconds);
    }
    // Same prompt in two encodings: the same length within a frame.
    assert!(
        (lengths[0] - lengths[1]).abs() < 0.02,
        "mp3 {:.3} s, μ-law {:.3} s",
        lengths[0],
        lengths[1]
    );
}
