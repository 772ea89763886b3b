//! `ringside scenario` through the binary: the committed scenarios, the machine+Continue
//! timeline, JSON output, a failing expectation, and an unusable file.

use std::fs;

use crate::util::{describe, json_lines, ringside, root, scratch};

#[test]
fn every_committed_scenario_passes() {
    let out = ringside(&["scenario", "fixtures/scenarios"]);
    assert!(out.status.success(), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout.lines().last().unwrap();
    assert!(summary.contains("0 failed, 0 unusable"), "{summary}");
}

#[test]
fn machine_continue_timeline_fetches_the_app_after_the_detected_beep_end() {
    let out = ringside(&[
        "scenario",
        "fixtures/scenarios/machine_continue.json",
        "--json",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let lines = json_lines(&out);
    let report = &lines[0];
    let at = |pred: &dyn Fn(&str) -> bool| {
        report["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| pred(l["text"].as_str().unwrap()))
            .map(|l| l["at_ms"].as_u64().unwrap())
    };
    let greeting_end = at(&|t| t.starts_with("event detector greeting end (beep)")).unwrap();
    let fetch = at(&|t| t.starts_with("action fetch") && t.contains("[start]")).unwrap();
    let beep_end = report["detector"]["greeting_end_at_ms"].as_u64().unwrap();
    assert!(
        beep_end <= greeting_end && greeting_end <= fetch,
        "{report}"
    );
    assert!(
        report["timeline"]
            .to_string()
            .contains("DialStatus=answered-machine"),
        "{report}"
    );
    assert_eq!(report["tape"]["capture"], "whole");
    assert_eq!(lines.last().unwrap()["summary"]["passed"], 1);
}

#[test]
fn a_failing_expectation_exits_1_and_says_which() {
    let dir = scratch("scenario_failing");
    let book = root().join("fixtures/phonebook.json");
    let file = dir.join("wrong.json");
    fs::write(
        &file,
        format!(
            r#"{{"phonebook": {book:?}, "request": {{"Caller": "4158675309", "Called": "4155550103",
                "Url": "http://app.example/call"}}, "expect": {{"status": 2}}}}"#
        ),
    )
    .unwrap();
    let out = ringside(&["scenario", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAIL status: expected 2, got 3"),
        "{stdout}"
    );
}

#[test]
fn an_unusable_scenario_exits_2_naming_file_and_field() {
    let dir = scratch("scenario_bad");
    let file = dir.join("bad.json");
    fs::write(
        &file,
        r#"{"request": {}, "far_end": {"outcome": "busy"}, "expect": {"message": "chopped"}}"#,
    )
    .unwrap();
    let out = ringside(&["scenario", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.json") && stderr.contains("expect.message"),
        "{stderr}"
    );
    assert!(stderr.contains("chopped"), "{stderr}");
}

#[test]
fn record_writes_what_both_sides_heard() {
    let dir = scratch("scenario_record");
    let rec = dir.join("calls");
    let out = ringside(&[
        "scenario",
        "fixtures/scenarios/machine_continue.json",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let wav = rec.join("machine_continue.wav");
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate), (2, 8000));
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .map(|s| s.unwrap() as f32 / 32768.0)
        .collect();
    let (left, right): (Vec<f32>, Vec<f32>) = samples.chunks(2).map(|f| (f[0], f[1])).unzip();
    let energy = |x: &[f32]| x.iter().map(|v| v * v).sum::<f32>();
    // The callee played its greeting (left); the app's message went down the line after
    // the beep (right), so the right channel is silent during the greeting's first seconds.
    assert!(left.len() > 8000 * 8, "{} frames", left.len());
    assert!(energy(&left[..8000 * 4]) > 1.0);
    assert!(energy(&right) > 1.0);
    assert!(energy(&right[..8000 * 4]) < 1e-3);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("call audio:"),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_dialled_legs_voice_is_in_the_recorded_call_audio() {
    let dir = scratch("scenario_dial_record");
    let rec = dir.join("calls");
    let out = ringside(&[
        "scenario",
        "fixtures/scenarios/dial_answered.json",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let mut reader = hound::WavReader::open(rec.join("dial_answered.wav")).unwrap();
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .map(|s| s.unwrap() as f32 / 32768.0)
        .collect();
    let right: Vec<f32> = samples.chunks(2).map(|f| f[1]).collect();
    let energy = |from: f64, to: f64| {
        let (a, b) = ((from * 8000.0) as usize, (to * 8000.0) as usize);
        right[a..b.min(right.len())]
            .iter()
            .map(|v| v * v)
            .sum::<f32>()
    };
    // Line time starts at the answer (4 s). "Connecting you." plays 0.05–0.95 s; the
    // agent answers at 2.95 s and says hello until 6.7 s; nothing else is sent before the
    // leg hangs up at 10.95 s.
    assert!(
        energy(3.0, 6.6) > 1.0,
        "the agent's hello reached the callee"
    );
    assert!(energy(1.2, 2.9) < 1e-3, "silence while the agent rang");
}

#[test]
fn counts_and_new_expectations_are_validated_with_their_field() {
    let dir = scratch("scenario_bad_count");
    let book = root().join("fixtures/phonebook.json");
    for (expect, field) in [
        (
            r#"{"app_requests": {"at_least": 3, "at_most": 1}}"#,
            "expect.app_requests",
        ),
        (
            r#"{"requests": [{"purpose": "dial-action", "count": {}}]}"#,
            "expect.requests[0].count",
        ),
        (
            r#"{"dial_legs": [{"status": "maybe"}]}"#,
            "expect.dial_legs[0].status",
        ),
        (
            r#"{"recordings": {"duration_secs": [9, 2]}}"#,
            "expect.recordings.duration_secs",
        ),
    ] {
        let file = dir.join("bad.json");
        fs::write(
            &file,
            format!(
                r#"{{"phonebook": {book:?}, "request": {{"Caller": "4158675309", "Called": "4155550103",
                    "Url": "http://app.example/call"}}, "expect": {expect}}}"#
            ),
        )
        .unwrap();
        let out = ringside(&["scenario", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{expect}: {}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(field), "{expect}: {stderr}");
    }
    // A live redirect needs an absolute URL.
    let file = dir.join("bad_redirect.json");
    fs::write(
        &file,
        format!(
            r#"{{"phonebook": {book:?}, "request": {{"Caller": "4158675309", "Called": "4155550100",
                "Url": "http://app.example/call"}}, "redirects": [{{"at_ms": 10, "url": "/relative"}}]}}"#
        ),
    )
    .unwrap();
    let out = ringside(&["scenario", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("redirects[0].url"));
}
