//! Placed sound is where the labels say: beeps of every shape measured on the written
//! file by demodulation at the beep's frequency, and speech spans by their first and
//! last non-zero samples, at several output rates and in stereo.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;

fn voicemail(beep: &str, output: &str) -> String {
    format!(
        r#"{{"answer": {{"kind": "voicemail", "clips": [1, 2], "gap_s": [0.3, 2],
            "beep": {beep}, "after": {{"kind": "silence", "duration_s": 0.5}}}},
            "output": {output}}}"#
    )
}

const SHAPES: &[&str] = &[
    r#"{"shape": "sine", "freq_hz": [400, 2000], "duration_s": [0.1, 1.0]}"#,
    r#"{"shape": "harmonic", "freq_hz": [400, 1000], "harmonics_db": [-20, -3]}"#,
    r#"{"shape": "clipped", "freq_hz": [400, 1000], "clip_pct": [10, 50]}"#,
    r#"{"shape": "decaying", "freq_hz": [800, 1600], "decay_s": [0.05, 0.5], "duration_s": [0.3, 1.2]}"#,
    r#"{"shape": "warble", "freq_hz": [800, 1600], "warble_pct": [1, 5], "warble_rate_hz": [4, 12]}"#,
    r#"{"shape": "sequence", "tones": [2, 3], "freq_hz": [500, 700], "freq2_hz": [900, 1100], "freq3_hz": [1300, 1500], "duration_s": [0.1, 0.3]}"#,
    r#"{"shape": "dual", "freq_hz": [440, 700], "freq2_hz": [900, 1400]}"#,
    r#"{"shape": "sine", "bursts": [2, 4], "burst_gap_s": [0.05, 0.3], "duration_s": [0.08, 0.25], "freq_hz": [800, 1800]}"#,
    r#"{"shape": "sine", "level_db": -20, "ramp_ms": 20}"#,
    r#"{"shape": "sine", "level_db": 12, "ramp_ms": 0}"#,
];

#[test]
fn beeps_of_every_shape_start_and_end_where_the_manifest_says() {
    let lib = library();
    let dir = scratch("beeps_of_every_shape");
    for (i, beep) in SHAPES.iter().enumerate() {
        for (j, output) in [
            r#"{"rate_hz": 8000}"#,
            r#"{"rate_hz": 16000}"#,
            r#"{"rate_hz": 48000, "channels": 2, "far_channel": "right"}"#,
            r#"{"rate_hz": 44100, "channels": 2, "far_channel": "left"}"#,
        ]
        .iter()
        .enumerate()
        {
            for seed in 0..3u64 {
                let json = voicemail(beep, output);
                let (call, x, rate) =
                    render_and_read(&json, seed * 7 + 1, &lib, &dir, &format!("b{i}_{j}_{seed}"));
                let l = &call.labels;
                let (at, end) = (l.beep_at.unwrap(), l.beep_end.unwrap());
                let speech_end = (l.speech_end.unwrap() * f64::from(rate)).round() as usize;
                let plan = recipe(&json).draw(seed * 7 + 1);
                let freqs = match plan.answer {
                    Some(ringside_sim::recipe::plan::AnswerPlan::Voicemail(v)) => {
                        v.beep.unwrap().freqs
                    }
                    _ => unreachable!(),
                };
                let (first_f, last_f) = (freqs[0], freqs[freqs.len() - 1]);
                let (on, _) = tone_span(&x, first_f, rate, speech_end).unwrap();
                let (_, off) = tone_span(&x, last_f, rate, speech_end).unwrap();
                let r = f64::from(rate);
                let want_on = (at * r).round() as i64;
                let want_off = (end * r).round() as i64;
                let ctx = format!("shape {beep} output {output} seed {seed}: {l:?}");
                assert!(
                    (on as i64 - want_on).abs() <= 1,
                    "onset {on} vs {want_on}: {ctx}"
                );
                assert!(
                    (off as i64 - want_off).abs() <= 1,
                    "end {off} vs {want_off}: {ctx}"
                );
                // The energy there is at the beep's frequency, not somewhere else.
                let a = on;
                let b = (on + (0.05 * r) as usize).min(off);
                let at_f = level_at(&x, first_f, rate, a, b);
                let beside = level_at(&x, first_f * 1.3 + 50.0, rate, a, b);
                assert!(at_f > 3.0 * beside, "{at_f} vs {beside}: {ctx}");
            }
        }
    }
}

#[test]
fn speech_spans_start_and_end_on_the_labelled_samples() {
    let lib = library();
    let dir = scratch("speech_spans");
    let recipes = [
        r#"{"answer": {"kind": "person", "first": {"one_of": ["short", "long", "name", "hello_name"]}, "second_hello": 0.5}, "output": {"rate_hz": {"one_of": [8000, 16000, 22050]}}}"#,
        r#"{"answer": {"kind": "voicemail", "clips": [1, 3]}, "before": {"kind": "ringback", "country": {"one_of": ["us", "uk", "jp"]}}}"#,
        r#"{"answer": {"kind": "ivr", "clips": [1, 3]}}"#,
        r#"{"before": {"kind": "sit"}, "answer": {"kind": "silence"}}"#,
    ];
    for (i, json) in recipes.iter().enumerate() {
        for seed in 0..8u64 {
            let (call, x, rate) = render_and_read(json, seed, &lib, &dir, &format!("s{i}_{seed}"));
            let l = &call.labels;
            assert!(!l.utterances.is_empty(), "{json}");
            assert_eq!(l.speech_start, Some(l.utterances[0].0));
            assert_eq!(l.speech_end, Some(l.utterances[l.utterances.len() - 1].1));
            let r = f64::from(rate);
            for &(s, e) in &l.utterances {
                let (s, e) = ((s * r).round() as usize, (e * r).round() as usize);
                // Around the span's edges the track is digital silence (pause, lead or
                // tail) and the clip's own first and last samples are sound.
                assert!(x[s - 1] == 0.0 && x[e] == 0.0, "{json} seed {seed}: {l:?}");
                let near = |a: usize, b: usize| x[a..b].iter().any(|v| *v != 0.0);
                assert!(
                    near(s, s + 2) && near(e - 2, e),
                    "{json} seed {seed}: {l:?}"
                );
            }
        }
    }
}

#[test]
fn a_person_has_one_utterance_per_hello_and_no_beep() {
    let lib = library();
    let json = r#"{"answer": {"kind": "person", "second_hello": 1, "household_beep": {}}}"#;
    let call = recipe(json).draw(3).render(&lib).unwrap();
    let l = &call.labels;
    assert_eq!(l.utterances.len(), 2);
    assert_eq!(l.beep_at, None, "a household beep is not a voicemail beep");
    assert!(l.conditions.contains("bg_beep@"), "{}", l.conditions);
    assert!(l.conditions.contains("second_hello"), "{}", l.conditions);
}

#[test]
fn a_recorded_beep_is_placed_and_labelled() {
    let lib = library();
    let dir = scratch("recorded_beep");
    // A 600 Hz recorded beep at 22.05 kHz, stereo.
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 22_050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(dir.join("beep.wav"), spec).unwrap();
    for i in 0..6615 {
        let v =
            (10_000.0 * (std::f64::consts::TAU * 600.0 * i as f64 / 22_050.0 + 1.0).sin()) as i16;
        w.write_sample(v).unwrap();
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
    let json =
        r#"{"answer": {"kind": "voicemail", "beep": {"shape": "file", "file": "beep.wav"}}}"#;
    let r = ringside_sim::Recipe::parse(json, &dir.join("r.json")).unwrap();
    let call = r.draw(1).render(&lib).unwrap();
    let l = &call.labels;
    let d = l.beep_end.unwrap() - l.beep_at.unwrap();
    assert!((d - 0.3).abs() < 0.002, "{d}");
    assert!(l.source.contains("beep=file:beep.wav"), "{}", l.source);
}
