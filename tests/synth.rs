//! `ringside synth`: labelled calls from recipes, read back by `ringside eval`;
//! byte-identical per seed, call k independent of --count, clear errors.

use std::path::Path;

use serde_json::Value;

use crate::util::{describe, ringside, scratch};

fn recipes() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(crate::util::root().join("fixtures/recipes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            format!(
                "fixtures/recipes/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    out.sort();
    out
}

fn synth(out: &Path, count: usize, seed: u64) -> std::process::Output {
    let count = count.to_string();
    let seed = seed.to_string();
    let out = out.to_string_lossy().into_owned();
    let mut args = vec!["synth"];
    let r = recipes();
    args.extend(r.iter().map(String::as_str));
    args.extend(["--count", &count, "--seed", &seed, "--out", &out]);
    ringside(&args)
}

fn manifest(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    serde_json::from_str::<Vec<Value>>(&text).unwrap()
}

#[test]
fn synth_then_eval_scores_the_calls() {
    let dir = scratch("synth_eval");
    let n = recipes().len() * 2;
    let out = synth(&dir, n, 1);
    assert!(out.status.success(), "{}", describe(&out));
    let m = manifest(&dir);
    assert_eq!(m.len(), n);
    for e in &m {
        let file = e["file"].as_str().unwrap();
        assert!(dir.join(file).is_file(), "{file}");
        for key in [
            "label",
            "beep_at",
            "beep_end",
            "speech_start",
            "speech_end",
            "utterances",
            "source",
            "conditions",
            "recipe",
            "tags",
        ] {
            assert!(e.get(key).is_some(), "{key} in {e}");
        }
        if e["label"] == "machine" && !e["beep_at"].is_null() {
            assert!(
                e["beep_at"].as_f64().unwrap() >= e["speech_end"].as_f64().unwrap(),
                "{e}"
            );
        }
    }
    let labels: std::collections::HashSet<&str> =
        m.iter().map(|e| e["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), 4, "every label occurs: {labels:?}");
    let manifest_path = dir.join("manifest.json").to_string_lossy().into_owned();
    let eval = ringside(&["eval", &manifest_path]);
    assert!(eval.status.success(), "{}", describe(&eval));
    let text = String::from_utf8_lossy(&eval.stdout);
    assert!(
        text.contains(&format!("{n} files, {n} analysed, 0 unreadable")),
        "{text}"
    );
}

#[test]
fn same_seed_same_bytes_and_calls_do_not_depend_on_count() {
    let (a, b, c) = (scratch("synth_a"), scratch("synth_b"), scratch("synth_c"));
    let n = recipes().len();
    assert!(synth(&a, n, 7).status.success());
    assert!(synth(&b, n, 7).status.success());
    assert!(synth(&c, 5, 7).status.success());
    let ma = manifest(&a);
    for e in &ma {
        let f = e["file"].as_str().unwrap();
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    assert_eq!(
        std::fs::read(a.join("manifest.json")).unwrap(),
        std::fs::read(b.join("manifest.json")).unwrap()
    );
    // The first five calls of a run of five are those of a longer run (names differ in
    // their zero padding only when the count has more digits).
    for (e, f) in manifest(&c).iter().zip(&ma) {
        let (fc, fa) = (e["file"].as_str().unwrap(), f["file"].as_str().unwrap());
        assert_eq!(
            std::fs::read(c.join(fc)).unwrap(),
            std::fs::read(a.join(fa)).unwrap(),
            "{fc}"
        );
    }
    let d = scratch("synth_d");
    assert!(synth(&d, n, 8).status.success());
    let differ = ma.iter().any(|e| {
        let f = e["file"].as_str().unwrap();
        std::fs::read(a.join(f)).unwrap() != std::fs::read(d.join(f)).unwrap()
    });
    assert!(differ, "seed 8 draws other calls than seed 7");
}

#[test]
fn bad_recipes_and_speech_folders_are_named() {
    let dir = scratch("synth_bad");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"answer": {"kind": "voicemail", "beep": {"freq_hz": 9000}}}"#,
    )
    .unwrap();
    let out_dir = dir.join("out").to_string_lossy().into_owned();
    let bad_s = bad.to_string_lossy().into_owned();
    let out = ringside(&["synth", &bad_s, "--out", &out_dir]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.json") && err.contains("answer.beep.freq_hz = 9000"),
        "{err}"
    );
    let out = ringside(&[
        "synth",
        "fixtures/recipes/voicemail_jp.json",
        "--out",
        &out_dir,
        "--speech",
        "/nonexistent/speech",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/speech"),
        "{}",
        describe(&out)
    );
}
