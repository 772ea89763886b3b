//! `ringside eval` through the binary on the fixtures' manifest.

use std::path::Path;

use serde_json::{Value, json};

use crate::util::{describe, ringside, root, scratch};

#[test]
fn json_report_has_every_metric() {
    let out = ringside(&["eval", "fixtures/manifest.json", "--json", "--threads", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "one object: {stdout}");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["files"], 4);
    assert_eq!(r["analysed"], 4);
    assert_eq!(r["manifest"], "fixtures/manifest.json");
    let counts = r["confusion"]["counts"].as_array().unwrap();
    let total: u64 = counts
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total, 4);
    assert_eq!(r["classes"].as_array().unwrap().len(), 4);
    for key in [
        "accuracy",
        "human_as_machine",
        "machine_as_human",
        "human_decision_after_first_utterance",
        "machine_decision_after_speech_start",
        "beeps",
        "wrong",
        "slowest",
        "worst_beeps",
        "per_file",
        "targets_missed",
        "config",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["beeps"]["labelled"], 1);
    assert!(r["human_decision_after_first_utterance"]["median"].is_number());
}

#[test]
fn text_report_has_its_sections() {
    let out = ringside(&["eval", "fixtures/manifest.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "4 files, 4 analysed, 0 unreadable",
        "confusion matrix",
        "accuracy",
        "decision time (s)",
        "human: end of first utterance",
        "machine: greeting start",
        "beeps: 1 labelled",
        "false beeps:",
        "acceptance targets:",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
}

/// Writes a manifest in a scratch directory pointing at fixtures by absolute path.
fn manifest_with(test: &str, entries: &[(&str, &str)]) -> String {
    let dir = scratch(test);
    let list: Vec<Value> = entries
        .iter()
        .map(|(file, label)| {
            json!({"file": root().join("fixtures").join(file), "label": label,
                   "beep_at": null, "beep_end": null, "speech_start": null,
                   "speech_end": null, "utterances": []})
        })
        .collect();
    let path = dir.join("manifest.json");
    std::fs::write(&path, serde_json::to_string(&list).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn unreadable_files_are_listed_and_exit_2() {
    let manifest = manifest_with(
        "eval_unreadable",
        &[("fax_ced.wav", "fax"), ("bad_truncated.wav", "human")],
    );
    let out = ringside(&["eval", &manifest, "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["analysed"], 1);
    let failures = r["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert!(failures[0]["error"].as_str().unwrap().contains("truncated"));
}

#[test]
fn check_targets_exits_1_when_targets_are_missed() {
    // Labels swapped on purpose: whatever the detector says, accuracy is at most 50%.
    let manifest = manifest_with(
        "eval_check_targets",
        &[("fax_ced.wav", "silence"), ("silence_hiss.wav", "fax")],
    );
    let out = ringside(&["eval", &manifest, "--check-targets"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("missed"), "{stdout}");
    // Without the flag the same run succeeds.
    let out = ringside(&["eval", &manifest]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
}

#[test]
fn a_missing_or_broken_manifest_exits_2() {
    let out = ringside(&["eval", "fixtures/no_such_manifest.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_manifest.json"));

    let dir = scratch("eval_broken_manifest");
    let path = dir.join("manifest.json");
    std::fs::write(&path, r#"[{"file": "a.wav", "label": "robot"}]"#).unwrap();
    let out = ringside(&["eval", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("field `label` is \"robot\"") && Path::new(&path).exists(),
        "{stderr}"
    );
}
