//! Every invalid recipe field gets its own error naming the file, the field path and the
//! value, and saying what is accepted.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use ringside_sim::{Recipe, RecipeError};

/// A voicemail recipe with `field` (a JSON fragment inside `answer`, `line`, ...) set.
const BASE_VM: &str = r#"{"answer": {"kind": "voicemail", "beep": {BEEP}}, "line": {LINE}, "output": {OUT}, "before": {BEFORE} TOP}"#;

fn vm(beep: &str, line: &str, out: &str, before: &str, top: &str) -> String {
    BASE_VM
        .replace("{BEEP}", &format!("{{{beep}}}"))
        .replace("{LINE}", &format!("{{{line}}}"))
        .replace("{OUT}", &format!("{{{out}}}"))
        .replace("{BEFORE}", &format!("{{{before}}}"))
        .replace(" TOP", top)
}

fn only_error(json: &str) -> (String, RecipeError) {
    let e = Recipe::parse(json, Path::new("recipes/bad.json")).unwrap_err();
    let errs = e.field_errors();
    assert_eq!(errs.len(), 1, "one error for {json}: {e}");
    (errs[0].path.clone(), e)
}

#[test]
fn each_bad_field_is_named_with_its_value() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            vm(r#""freq_hz": 50"#, "", "", "", ""),
            "answer.beep.freq_hz",
            "50",
        ),
        (
            vm(r#""freq_hz": "loud""#, "", "", "", ""),
            "answer.beep.freq_hz",
            "\"loud\"",
        ),
        (
            vm(r#""freq_hz": {"min": 2000, "max": 1000}"#, "", "", "", ""),
            "answer.beep.freq_hz",
            "2000",
        ),
        (
            vm(r#""freq_hz": {"one_of": []}"#, "", "", "", ""),
            "answer.beep.freq_hz",
            "[]",
        ),
        (
            vm(r#""freq_hz": [100, 1000]"#, "", "", "", ""),
            "answer.beep.freq_hz",
            "100",
        ),
        (
            vm(r#""shape": "square""#, "", "", "", ""),
            "answer.beep.shape",
            "square",
        ),
        (
            vm(r#""shape": ["sine", "dual"]"#, "", "", "", ""),
            "answer.beep.shape",
            "sine",
        ),
        (
            vm(r#""duration_s": 5"#, "", "", "", ""),
            "answer.beep.duration_s",
            "5",
        ),
        (
            vm(r#""bursts": 7"#, "", "", "", ""),
            "answer.beep.bursts",
            "7",
        ),
        (
            vm(r#""bursts": 1.5"#, "", "", "", ""),
            "answer.beep.bursts",
            "1.5",
        ),
        (
            vm(r#""tones": 4"#, "", "", "", ""),
            "answer.beep.tones",
            "4",
        ),
        (
            vm(r#""level_db": 40"#, "", "", "", ""),
            "answer.beep.level_db",
            "40",
        ),
        (
            vm(r#""warble_pct": 50"#, "", "", "", ""),
            "answer.beep.warble_pct",
            "50",
        ),
        (
            vm(r#""decay_s": 0"#, "", "", "", ""),
            "answer.beep.decay_s",
            "0",
        ),
        (
            vm(r#""shape": "file""#, "", "", "", ""),
            "answer.beep.file",
            "(missing)",
        ),
        (
            vm(r#""shape": "file", "file": "no_such.wav""#, "", "", "", ""),
            "answer.beep.file",
            "no_such.wav",
        ),
        (
            vm(r#""frequency": 1000"#, "", "", "", ""),
            "answer.beep.frequency",
            "1000",
        ),
        (vm("", r#""codec": "gsm""#, "", "", ""), "line.codec", "gsm"),
        (
            vm("", r#""bandpass": "yes""#, "", "", ""),
            "line.bandpass",
            "yes",
        ),
        (vm("", r#""gain_db": 20"#, "", "", ""), "line.gain_db", "20"),
        (vm("", r#""clip_pct": 0"#, "", "", ""), "line.clip_pct", "0"),
        (vm("", r#""snr_db": -5"#, "", "", ""), "line.snr_db", "-5"),
        (
            vm("", r#""gsm": {"dropout_pct": 80}"#, "", "", ""),
            "line.gsm.dropout_pct",
            "80",
        ),
        (
            vm("", r#""echo": {"delay_ms": 2000}"#, "", "", ""),
            "line.echo.delay_ms",
            "2000",
        ),
        (vm("", r#""echo": 3"#, "", "", ""), "line.echo", "3"),
        (
            vm("", "", r#""rate_hz": 96000"#, "", ""),
            "output.rate_hz",
            "96000",
        ),
        (
            vm("", "", r#""channels": 3"#, "", ""),
            "output.channels",
            "3",
        ),
        (
            vm("", "", r#""far_channel": "middle""#, "", ""),
            "output.far_channel",
            "middle",
        ),
        (
            vm("", "", "", r#""country": "xx""#, ""),
            "before.country",
            "xx",
        ),
        (
            vm("", "", "", r#""kind": "ringing""#, ""),
            "before.kind",
            "ringing",
        ),
        (vm("", "", "", r#""rings": 0"#, ""), "before.rings", "0"),
        (vm("", "", "", "", r#", "speech_db": 0"#), "speech_db", "0"),
        (vm("", "", "", "", r#", "tags": "x""#), "tags", "x"),
        (vm("", "", "", "", r#", "colour": "red""#), "colour", "red"),
        (
            r#"{"answer": {"kind": "robot"}}"#.to_owned(),
            "answer.kind",
            "robot",
        ),
        (r#"{"before": {}}"#.to_owned(), "answer", "(missing)"),
        (
            r#"{"answer": {"kind": "voicemail", "gap_s": 12}}"#.to_owned(),
            "answer.gap_s",
            "12",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "clips": 9}}"#.to_owned(),
            "answer.clips",
            "9",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "after": {"kind": "music"}}}"#.to_owned(),
            "answer.after.kind",
            "music",
        ),
        (
            r#"{"answer": {"kind": "person", "first": "shout"}}"#.to_owned(),
            "answer.first",
            "shout",
        ),
        (
            r#"{"answer": {"kind": "person", "second_hello": 2}}"#.to_owned(),
            "answer.second_hello",
            "2",
        ),
        (
            r#"{"answer": {"kind": "person", "background": "dog"}}"#.to_owned(),
            "answer.background",
            "dog",
        ),
        (
            r#"{"answer": {"kind": "person", "household_beep": {"freq_hz": 9000}}}"#.to_owned(),
            "answer.household_beep.freq_hz",
            "9000",
        ),
        (
            r#"{"answer": {"kind": "fax", "sequence": "v34"}}"#.to_owned(),
            "answer.sequence",
            "v34",
        ),
        (
            r#"{"answer": {"kind": "fax", "ced_s": 1}}"#.to_owned(),
            "answer.ced_s",
            "1",
        ),
        (
            r#"{"answer": {"kind": "silence", "noise": "rain"}}"#.to_owned(),
            "answer.noise",
            "rain",
        ),
        (
            r#"{"answer": {"kind": "silence", "duration_s": 100}}"#.to_owned(),
            "answer.duration_s",
            "100",
        ),
        (
            r#"{"answer": {"kind": "ivr", "clips": 0}}"#.to_owned(),
            "answer.clips",
            "0",
        ),
        (
            r#"{"answer": {"kind": "ivr", "beep": {}}}"#.to_owned(),
            "answer.beep",
            "{}",
        ),
    ];
    for (json, path, value) in &cases {
        let (got, e) = only_error(json);
        assert_eq!(&got, path, "{json}: {e}");
        let msg = e.to_string();
        assert!(msg.starts_with("recipes/bad.json: "), "{msg}");
        assert!(msg.contains(path), "{msg}");
        assert!(msg.contains(value), "value {value} in {msg}");
        assert!(msg.contains("expected"), "what is accepted, in {msg}");
    }
}

#[test]
fn several_problems_are_all_reported() {
    let json = r#"{"answer": {"kind": "voicemail", "gap_s": -1, "beep": {"freq_hz": 1, "shape": "x"}}, "output": {"rate_hz": 1}}"#;
    let e = Recipe::parse(json, Path::new("r.json")).unwrap_err();
    let paths: Vec<&str> = e.field_errors().iter().map(|f| f.path.as_str()).collect();
    for p in [
        "answer.gap_s",
        "answer.beep.freq_hz",
        "answer.beep.shape",
        "output.rate_hz",
    ] {
        assert!(paths.contains(&p), "{p} in {paths:?}");
    }
    assert!(e.to_string().contains("4 problems"), "{e}");
}

#[test]
fn unreadable_and_malformed_files_name_the_file() {
    let e = Recipe::load(Path::new("/nonexistent/r.json")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/nonexistent/r.json: cannot read"),
        "{e}"
    );
    let e = Recipe::parse("{", Path::new("x.json")).unwrap_err();
    assert!(e.to_string().starts_with("x.json: not valid JSON"), "{e}");
    let e = Recipe::parse("[1]", Path::new("x.json")).unwrap_err();
    assert!(e.to_string().contains("expected a JSON object"), "{e}");
}

#[test]
fn every_committed_recipe_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/recipes");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let r = Recipe::load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(!r.tags.is_empty(), "{} has tags", path.display());
            n += 1;
        }
    }
    assert!(n >= 15, "{n} recipes");
}

#[test]
fn an_inline_recipe_is_checked_the_same_way() {
    let v: serde_json::Value =
        serde_json::from_str(r#"{"answer": {"kind": "person", "lead_s": 9}}"#).unwrap();
    let e = Recipe::from_value(&v, Path::new("phonebook.json")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("phonebook.json: answer.lead_s = 9"),
        "{e}"
    );
    let ok: serde_json::Value = serde_json::from_str(r#"{"answer": {"kind": "person"}}"#).unwrap();
    let r = Recipe::from_value(&ok, Path::new("phonebook.json")).unwrap();
    assert_eq!(r.draw(5), r.draw(5), "one call per seed, reproducible");
}

/// Every numeric field, set out of its bounds, gives exactly one error at its own path.
#[test]
fn every_numeric_field_is_bounded() {
    let fields: &[(&str, &str)] = &[
        // (recipe with FIELD where the bad value goes, path)
        (
            r#"{"speech_db": X, "answer": {"kind": "silence"}}"#,
            "speech_db",
        ),
        (
            r#"{"before": {"rings": X}, "answer": {"kind": "silence"}}"#,
            "before.rings",
        ),
        (
            r#"{"before": {"duration_s": X}, "answer": {"kind": "silence"}}"#,
            "before.duration_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "lead_s": X}}"#,
            "answer.lead_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "clips": X}}"#,
            "answer.clips",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "pause_s": X}}"#,
            "answer.pause_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "gap_s": X}}"#,
            "answer.gap_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "after": {"duration_s": X}}}"#,
            "answer.after.duration_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "after": {"level_db": X}}}"#,
            "answer.after.level_db",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"freq_hz": X}}}"#,
            "answer.beep.freq_hz",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"freq2_hz": X}}}"#,
            "answer.beep.freq2_hz",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"freq3_hz": X}}}"#,
            "answer.beep.freq3_hz",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"tones": X}}}"#,
            "answer.beep.tones",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"duration_s": X}}}"#,
            "answer.beep.duration_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"bursts": X}}}"#,
            "answer.beep.bursts",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"burst_gap_s": X}}}"#,
            "answer.beep.burst_gap_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"level_db": X}}}"#,
            "answer.beep.level_db",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"harmonics_db": X}}}"#,
            "answer.beep.harmonics_db",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"clip_pct": X}}}"#,
            "answer.beep.clip_pct",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"decay_s": X}}}"#,
            "answer.beep.decay_s",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"warble_rate_hz": X}}}"#,
            "answer.beep.warble_rate_hz",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"warble_pct": X}}}"#,
            "answer.beep.warble_pct",
        ),
        (
            r#"{"answer": {"kind": "voicemail", "beep": {"ramp_ms": X}}}"#,
            "answer.beep.ramp_ms",
        ),
        (
            r#"{"answer": {"kind": "person", "lead_s": X}}"#,
            "answer.lead_s",
        ),
        (
            r#"{"answer": {"kind": "person", "second_hello": X}}"#,
            "answer.second_hello",
        ),
        (
            r#"{"answer": {"kind": "person", "gap_s": X}}"#,
            "answer.gap_s",
        ),
        (
            r#"{"answer": {"kind": "person", "tail_s": X}}"#,
            "answer.tail_s",
        ),
        (
            r#"{"answer": {"kind": "person", "background_db": X}}"#,
            "answer.background_db",
        ),
        (
            r#"{"answer": {"kind": "person", "household_beep": {"freq_hz": X}}}"#,
            "answer.household_beep.freq_hz",
        ),
        (
            r#"{"answer": {"kind": "person", "household_beep": {"duration_s": X}}}"#,
            "answer.household_beep.duration_s",
        ),
        (
            r#"{"answer": {"kind": "person", "household_beep": {"level_db": X}}}"#,
            "answer.household_beep.level_db",
        ),
        (
            r#"{"answer": {"kind": "person", "household_beep": {"after_speech_s": X}}}"#,
            "answer.household_beep.after_speech_s",
        ),
        (
            r#"{"answer": {"kind": "fax", "lead_s": X}}"#,
            "answer.lead_s",
        ),
        (r#"{"answer": {"kind": "fax", "ced_s": X}}"#, "answer.ced_s"),
        (r#"{"answer": {"kind": "fax", "v21_s": X}}"#, "answer.v21_s"),
        (
            r#"{"answer": {"kind": "fax", "cng_count": X}}"#,
            "answer.cng_count",
        ),
        (
            r#"{"answer": {"kind": "fax", "level_db": X}}"#,
            "answer.level_db",
        ),
        (
            r#"{"answer": {"kind": "silence", "duration_s": X}}"#,
            "answer.duration_s",
        ),
        (
            r#"{"answer": {"kind": "silence", "level_db": X}}"#,
            "answer.level_db",
        ),
        (
            r#"{"answer": {"kind": "silence", "hum_hz": X}}"#,
            "answer.hum_hz",
        ),
        (
            r#"{"answer": {"kind": "ivr", "lead_s": X}}"#,
            "answer.lead_s",
        ),
        (r#"{"answer": {"kind": "ivr", "clips": X}}"#, "answer.clips"),
        (
            r#"{"answer": {"kind": "ivr", "pause_s": X}}"#,
            "answer.pause_s",
        ),
        (
            r#"{"answer": {"kind": "ivr", "tail_s": X}}"#,
            "answer.tail_s",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"gain_db": X}}"#,
            "line.gain_db",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"clip_pct": X}}"#,
            "line.clip_pct",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"dc": X}}"#,
            "line.dc",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"snr_db": X}}"#,
            "line.snr_db",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"gsm": {"dropout_pct": X}}}"#,
            "line.gsm.dropout_pct",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"gsm": {"comfort_db": X}}}"#,
            "line.gsm.comfort_db",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"echo": {"delay_ms": X}}}"#,
            "line.echo.delay_ms",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "line": {"echo": {"level_db": X}}}"#,
            "line.echo.level_db",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "output": {"rate_hz": X}}"#,
            "output.rate_hz",
        ),
        (
            r#"{"answer": {"kind": "silence"}, "output": {"channels": X}}"#,
            "output.channels",
        ),
    ];
    for (template, path) in fields {
        for bad in [
            "1000000",
            "-1000000",
            "\"x\"",
            "[5, 1]",
            r#"{"one_of": []}"#,
        ] {
            let json = template.replace('X', bad);
            let (got, e) = only_error(&json);
            assert_eq!(&got, path, "{json}: {e}");
            assert!(e.to_string().contains("expected"), "{e}");
        }
    }
}
