//! Audio formats through the binary: compressed formats, pictures, live pacing, playback.

use std::time::Instant;

use crate::util::{describe, fixture, json_lines, ringside, scratch};

#[test]
fn detect_reads_every_committed_format_alike() {
    let files: Vec<String> = [
        "machine_beep.flac",
        "machine_beep.ogg",
        "machine_beep.mp3",
        "machine_beep.m4a",
        "machine_beep_ulaw.wav",
        "machine_beep_alaw.wav",
    ]
    .iter()
    .map(|f| fixture(&format!("formats/{f}")))
    .collect();
    let mut args = vec!["detect", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = ringside(&args);
    assert!(out.status.success(), "{}", describe(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), files.len());
    for l in &lines {
        assert_eq!(l["verdict"], "machine", "{l}");
        let onset = l["beep"]["start"].as_f64().unwrap();
        assert!((onset - 5.78325).abs() <= 0.005, "{l}");
    }
}

#[test]
fn detect_verbose_says_how_far_times_can_be_trusted() {
    for (file, timing) in [
        (
            "formats/machine_beep.m4a",
            "timing: encoder delay removed (MP4 edit list)",
        ),
        (
            "formats/machine_beep.mp3",
            "timing: encoder delay removed (LAME/Xing header)",
        ),
        ("formats/machine_beep.flac", "timing: sample-exact"),
    ] {
        let out = ringside(&["detect", "-v", &fixture(file)]);
        assert!(out.status.success(), "{}", describe(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(timing), "{file}: {text}");
    }
}

#[test]
fn a_cut_compressed_file_is_an_error_naming_it() {
    let dir = scratch("cut_flac");
    let path = dir.join("cut.flac");
    let bytes =
        std::fs::read(crate::util::root().join("fixtures/formats/machine_beep.flac")).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let out = ringside(&["detect", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cut.flac") && err.contains("truncated"),
        "{err}"
    );
}

#[test]
fn plot_writes_png_and_svg() {
    let dir = scratch("plot");
    let png = dir.join("beep.png");
    let svg = dir.join("beep.svg");
    for out_file in [&png, &svg] {
        let out = ringside(&[
            "detect",
            &fixture("machine_beep.wav"),
            "--plot",
            out_file.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", describe(&out));
    }
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    assert!(
        bytes.len() > 20_000,
        "{} bytes: a blank picture compresses far smaller",
        bytes.len()
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    // The verdict's label, whatever the detector's tuning makes the time.
    assert!(text.contains("machine at "), "no verdict label in the SVG");

    let bad = ringside(&["detect", &fixture("machine_beep.wav"), "--plot", "x.bmp"]);
    assert_eq!(bad.status.code(), Some(2), "{}", describe(&bad));
}

#[test]
fn eval_plots_writes_a_summary() {
    let dir = scratch("eval_plots");
    let out = ringside(&[
        "eval",
        &fixture("manifest.json"),
        "--plots",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(dir.join("summary.png").is_file());
}

#[test]
fn realtime_takes_as_long_as_the_audio_and_prints_events_with_times() {
    // human_hello.wav is 3.75 s long.
    let t0 = Instant::now();
    let out = ringside(&["detect", "--realtime", &fixture("human_hello.wav")]);
    let took = t0.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", describe(&out));
    assert!(took >= 3.5, "took {took:.2} s");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" s  speech starts"), "{text}");
    assert!(text.contains("VERDICT human"), "{text}");
}

#[cfg(not(feature = "playback"))]
#[test]
fn play_without_the_feature_says_how_to_get_it() {
    let out = ringside(&["play", &fixture("machine_beep.wav")]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--features playback"), "{err}");
}
