//! `ringside bench` through the binary on the fixtures.

use serde_json::Value;

use crate::util::{describe, fixture, ringside};

#[test]
fn json_reports_throughput_scaling_and_memory() {
    let out = ringside(&[
        "bench",
        "fixtures/manifest.json",
        "--threads",
        "2",
        "--rounds",
        "1",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "one object: {stdout}");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["files"], 4);
    assert_eq!(r["sample_rate"], 8000);
    // machine_beep 8.375 s + human_hello 3.745 s + fax_ced 6.250 s + silence_hiss 3.799 s.
    let audio = r["audio_seconds"].as_f64().unwrap();
    assert!((audio - 22.168).abs() < 0.01, "{audio}");
    for run in [&r["single"], &r["parallel"]] {
        assert!(run["wall_seconds"].as_f64().unwrap() > 0.0, "{run}");
        assert!(run["cpu_seconds"].as_f64().unwrap() > 0.0, "{run}");
        // Far faster than real time even in a debug test build (the DSP crate is
        // optimised in the dev profile).
        assert!(run["times_real_time"].as_f64().unwrap() > 10.0, "{run}");
        assert!(run["events"].as_u64().unwrap() > 0, "{run}");
    }
    assert_eq!(r["single"]["threads"], 1);
    assert_eq!(r["parallel"]["threads"], 2);
    assert_eq!(r["single"]["events"], r["parallel"]["events"]);
    assert!(r["speedup"].as_f64().unwrap() > 0.0);
    if cfg!(target_os = "linux") {
        assert!(r["peak_memory_bytes"].as_u64().unwrap() > 1 << 20);
    }
}

#[test]
fn text_report_on_files() {
    let out = ringside(&[
        "bench",
        &fixture("machine_beep.wav"),
        &fixture("human_hello.wav"),
        "--threads",
        "1",
        "--rounds",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "ringside bench: 2 files",
        "audio s / CPU s",
        "per 10 ms of audio",
        "peak memory",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?}:\n{stdout}");
    }
}

#[test]
fn unreadable_file_is_bad_input() {
    let out = ringside(&["bench", &fixture("bad_text.wav")]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad_text.wav"),
        "{}",
        describe(&out)
    );
}
