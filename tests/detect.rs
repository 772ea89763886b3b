//! `ringside detect` through the binary: the JSON contract, exit codes, bad inputs, and
//! other encodings of the same recording.

use serde_json::Value;

use crate::util::{
    describe, fixture, json_lines, read_fixture, resample, ringside, scratch, write_wav,
};

const GOOD: [&str; 4] = [
    "machine_beep.wav",
    "human_hello.wav",
    "fax_ced.wav",
    "silence_hiss.wav",
];

/// Checks one `--json` record against its fixed contract.
fn assert_contract(record: &Value, file: &str) {
    let ctx = || format!("record {record}");
    assert_eq!(record["file"], file, "{}", ctx());
    let verdict = record["verdict"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", ctx()));
    assert!(
        ["human", "machine", "fax", "silence", "unknown"].contains(&verdict),
        "{}",
        ctx()
    );
    assert!(
        record["cause"].as_str().is_some_and(|c| !c.is_empty()),
        "{}",
        ctx()
    );
    assert!(
        record["decided_at"].as_f64().is_some_and(|t| t >= 0.0),
        "{}",
        ctx()
    );
    let greeting_end = &record["greeting_end"];
    assert!(
        greeting_end.is_null() || greeting_end.is_object(),
        "{}",
        ctx()
    );
    if greeting_end.is_object() {
        let kind = greeting_end["kind"].as_str().unwrap_or_default();
        assert!(["beep", "silence", "timeout"].contains(&kind), "{}", ctx());
        assert!(greeting_end["at"].is_f64(), "{}", ctx());
    }
    let beep = &record["beep"];
    assert!(beep.is_null() || beep.is_object(), "{}", ctx());
    if beep.is_object() {
        for key in ["start", "end", "freq_hz"] {
            assert!(beep[key].is_number(), "{key}: {}", ctx());
        }
    }
    let speech = record["speech"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", ctx()));
    for seg in speech {
        let pair = seg.as_array().unwrap_or_else(|| panic!("{}", ctx()));
        assert_eq!(pair.len(), 2, "{}", ctx());
        let (s, e) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
        assert!(0.0 <= s && s <= e, "{}", ctx());
    }
    assert!(record.get("error").is_none(), "{}", ctx());
}

#[test]
fn json_records_follow_the_contract() {
    let files: Vec<String> = GOOD.iter().map(|f| fixture(f)).collect();
    let mut args = vec!["detect", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = ringside(&args);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let records = json_lines(&out);
    assert_eq!(records.len(), files.len(), "{}", describe(&out));
    for (record, file) in records.iter().zip(&files) {
        assert_contract(record, file);
    }
}

/// A box that waits seconds before its tone: the greeting ends by silence at 6.95 s, the
/// 880 Hz beep comes at 11.482-12.200 s (labels of `fixtures/machine_late_beep.wav`, made by
/// `ringside synth` from `fixtures/recipes/voicemail_late_beep.json`). A message must start
/// after the beep, so `greeting_end` is the beep's end and the silence end is kept aside.
#[test]
fn a_late_beep_moves_the_greeting_end_to_it() {
    let file = fixture("machine_late_beep.wav");
    let out = ringside(&["detect", "--json", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let record = &json_lines(&out)[0];
    assert_contract(record, &file);
    assert_eq!(record["verdict"], "machine", "{record}");
    assert_eq!(record["greeting_end"]["kind"], "beep", "{record}");
    let end = record["greeting_end"]["at"].as_f64().unwrap();
    assert!((end - 12.2).abs() < 0.05, "{record}");
    let onset = record["beep"]["start"].as_f64().unwrap();
    assert!((onset - 11.482).abs() < 0.05, "{record}");
    let silence = record["silence_end_before_beep"].as_f64().unwrap();
    assert!(silence > 4.4 && silence < onset, "{record}");
}

#[test]
fn a_bad_file_among_good_ones_exits_2_and_the_others_still_run() {
    let (good1, bad, good2) = (
        fixture("human_hello.wav"),
        fixture("bad_text.wav"),
        fixture("fax_ced.wav"),
    );
    let out = ringside(&["detect", "--json", &good1, &bad, &good2]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let records = json_lines(&out);
    assert_eq!(records.len(), 3, "{}", describe(&out));
    assert_contract(&records[0], &good1);
    assert_contract(&records[2], &good2);
    // The error object: exactly the file and the message.
    let err = records[1].as_object().unwrap();
    assert_eq!(err.len(), 2, "{}", records[1]);
    assert_eq!(err["file"], bad.as_str());
    assert!(err["error"].as_str().unwrap().contains("not a WAV file"));
}

#[test]
fn each_kind_of_bad_file_says_what_is_wrong() {
    for (name, needle) in [
        ("bad_empty.wav", "empty"),
        ("bad_text.wav", "not a WAV file"),
        ("bad_truncated.wav", "truncated"),
        ("no_such_file.wav", "cannot read the file"),
    ] {
        let file = fixture(name);
        let out = ringside(&["detect", "--json", &file]);
        assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
        let records = json_lines(&out);
        assert_eq!(records[0]["file"], file.as_str());
        let msg = records[0]["error"].as_str().unwrap_or_default();
        assert!(msg.contains(needle), "{name}: {msg}");

        // Text mode: the message goes to stderr, naming the file.
        let out = ringside(&["detect", &file]);
        assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&file) && stderr.contains(needle),
            "{stderr}"
        );
    }
}

#[test]
fn text_output_names_file_and_verdict_and_verbose_adds_detail() {
    let file = fixture("human_hello.wav");
    let out = ringside(&["detect", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with(&format!("{file}: ")), "{stdout}");
    assert!(stdout.contains("decided at"), "{stdout}");
    assert!(!stdout.contains("speech (s)"), "{stdout}");

    let out = ringside(&["detect", "-v", &file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("speech (s):"), "{stdout}");
    assert!(
        stdout.contains("16-bit PCM, 8000 Hz, 1 channel"),
        "{stdout}"
    );
}

#[test]
fn set_changes_a_knob_for_the_run_and_a_bad_setting_is_refused_before_any_file() {
    let file = fixture("machine_beep.wav");
    let decided = |args: &[&str]| {
        let out = ringside(&[&["detect", "--json", &file], args].concat());
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        json_lines(&out)[0]["decided_at"].as_f64().unwrap()
    };
    let default = decided(&[]);
    let quick = decided(&["--set", "greeting_ms=1500"]);
    assert!(
        quick < default - 1.0,
        "greeting_ms=1500 decided at {quick} s, the default at {default} s"
    );
    // eval runs with the setting and says so in its report.
    let manifest = fixture("manifest.json");
    let out = ringside(&["eval", "--json", "--set", "greeting_ms=1500", &manifest]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(json_lines(&out)[0]["config"]["greeting_ms"], 1500);
    for (args, needle) in [
        (
            &["--set", "greeting=1500"][..],
            "no detector setting is called `greeting`",
        ),
        (&["--set", "greeting_ms"], "expected NAME=VALUE"),
        (&["--set", "greeting_ms=3 s"], "`3 s` is not a whole number"),
        (&["--set", "greeting_ms=50"], "shorter than min_word_ms"),
        (&["--set", "sample_rate=44100"], "8000 or 16000"),
    ] {
        let out = ringside(&[&["detect", &file], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", describe(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}

#[test]
fn the_echo_of_a_ring_is_not_a_persons_hello() {
    // The echo of each ring runs on after it stops. Taken for a word, it made the quiet
    // before the greeting a person waiting. A UK double ring under a 173 ms echo: the echo
    // stays in the ring's bins. Spain's single 425 Hz ring under a 164 ms echo: the echo is
    // loud enough for the tone tracker to take it for a short tone of its own.
    for (name, greeting_from) in [
        ("machine_ring_echo.wav", 5.7),
        ("machine_ring_echo_es.wav", 7.3),
    ] {
        let file = fixture(name);
        let out = ringside(&["detect", "--json", &file]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        let record = &json_lines(&out)[0];
        assert_eq!(record["verdict"], "machine", "{name}: {record}");
        let first_speech = record["speech"][0][0].as_f64().unwrap();
        assert!(
            first_speech > greeting_from,
            "{name}: speech heard before the greeting: {record}"
        );
    }
}

#[test]
fn a_beep_split_by_a_dropped_frame_is_one_beep() {
    // A steady 414 Hz beep with one 20 ms frame dropped by the line at 8.10 s: the blocks
    // of the call-progress receiver that reach back over the gap heard 413+438 Hz side
    // tones, which made the piece after it a ring and cancelled the beep.
    let file = fixture("machine_beep_dropout.wav");
    let out = ringside(&["detect", "--json", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let record = &json_lines(&out)[0];
    assert_eq!(record["verdict"], "machine", "{record}");
    let beep = &record["beep"];
    let (start, end) = (beep["start"].as_f64(), beep["end"].as_f64());
    assert!(
        start.is_some_and(|s| (s - 7.603).abs() <= 0.02),
        "beep {beep} (want 7.603 s)"
    );
    assert!(
        end.is_some_and(|e| (e - 8.225).abs() <= 0.03),
        "beep {beep} (want its end 8.225 s, after the dropped frame)"
    );
    assert_eq!(record["greeting_end"]["kind"], "beep", "{record}");
}

#[test]
fn usage_errors_exit_2() {
    let out = ringside(&["detect"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let out = ringside(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

/// The same recording as 24-bit, 32-bit float and stereo 44.1 kHz WAV gives the same
/// answer: lossless re-encodings exactly, the resampled one within a few ms.
#[test]
fn other_encodings_of_a_fixture_give_the_same_answer() {
    let dir = scratch("other_encodings");
    let (x, rate) = read_fixture("machine_beep.wav");
    let mono: Vec<Vec<f64>> = x.iter().map(|&v| vec![v]).collect();
    let pcm24 = dir.join("machine_beep_24bit.wav");
    let float = dir.join("machine_beep_float.wav");
    let stereo = dir.join("machine_beep_stereo44k.wav");
    write_wav(&pcm24, rate, 24, false, &mono);
    write_wav(&float, rate, 32, true, &mono);
    let up = resample(&x, rate, 44_100);
    let both: Vec<Vec<f64>> = up.iter().map(|&v| vec![v, v]).collect();
    write_wav(&stereo, 44_100, 16, false, &both);

    let paths = [
        fixture("machine_beep.wav"),
        pcm24.display().to_string(),
        float.display().to_string(),
        stereo.display().to_string(),
    ];
    let mut args = vec!["detect", "--json"];
    args.extend(paths.iter().map(String::as_str));
    let out = ringside(&args);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let mut records = json_lines(&out);
    for r in &mut records {
        r.as_object_mut().unwrap().remove("file");
    }
    // Every 16-bit value is exact in 24-bit and in float: bit-identical input.
    assert_eq!(records[1], records[0], "24-bit");
    assert_eq!(records[2], records[0], "float");
    // Resampled twice (8k → 44.1k → 8k): the same decisions, times within 5 ms.
    let (a, b) = (&records[0], &records[3]);
    assert_eq!(a["verdict"], b["verdict"], "{a}\n{b}");
    assert_eq!(a["cause"], b["cause"], "{a}\n{b}");
    let close = |x: &Value, y: &Value| match (x.as_f64(), y.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 0.005,
        _ => x == y,
    };
    assert!(close(&a["audio_seconds"], &b["audio_seconds"]), "{a}\n{b}");
    let (ta, tb) = (a["decided_at"].as_f64(), b["decided_at"].as_f64());
    assert!(
        ta.zip(tb).is_some_and(|(ta, tb)| (ta - tb).abs() <= 0.1),
        "decision time moved: {a}\n{b}"
    );
    assert_eq!(a["beep"].is_null(), b["beep"].is_null(), "{a}\n{b}");
    assert!(close(&a["beep"]["start"], &b["beep"]["start"]), "{a}\n{b}");
    assert_eq!(
        a["greeting_end"]["kind"], b["greeting_end"]["kind"],
        "{a}\n{b}"
    );
}
