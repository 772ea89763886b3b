//! A user's own speech: any rate and channel count, sorted by subfolder or prefix, and
//! clear errors naming the file.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::*;
use ringside_sim::{SpeechError, SpeechLibrary};

fn write_tone(path: &Path, rate: u32, channels: u16, secs: f64, lead: f64) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let n = (f64::from(rate) * (secs + 2.0 * lead)) as usize;
    let (a, b) = (
        (lead * f64::from(rate)) as usize,
        ((lead + secs) * f64::from(rate)) as usize,
    );
    for i in 0..n {
        let t = i as f64 / f64::from(rate);
        let v = if (a..b).contains(&i) {
            (8000.0
                * (std::f64::consts::TAU * 300.0 * t).sin()
                * (1.0 + 0.5 * (std::f64::consts::TAU * 4.0 * t).sin())) as i16
        } else {
            0
        };
        for _ in 0..channels {
            w.write_sample(v).unwrap();
        }
    }
    w.finalize().unwrap();
}

#[test]
fn own_recordings_at_any_rate_by_folder_or_prefix() {
    let dir = scratch("own_speech");
    std::fs::create_dir_all(dir.join("greetings")).unwrap();
    write_tone(&dir.join("greetings/mine.wav"), 44_100, 2, 2.0, 0.5);
    write_tone(&dir.join("answer_hello.wav"), 16_000, 1, 0.5, 0.3);
    let lib = SpeechLibrary::load(&dir).unwrap();
    assert_eq!(lib.len(), 2);
    let vm = recipe(r#"{"answer": {"kind": "voicemail", "clips": 1, "beep": {}}}"#);
    let call = vm.draw(1).render(&lib).unwrap();
    let l = &call.labels;
    let span = l.speech_end.unwrap() - l.speech_start.unwrap();
    assert!((span - 2.0).abs() < 0.02, "trimmed greeting lasts {span}");
    assert!(l.source.contains("greetings/mine"), "{}", l.source);
    let p = recipe(r#"{"answer": {"kind": "person"}}"#);
    let call = p.draw(1).render(&lib).unwrap();
    assert!(
        call.labels.source.contains("answer_hello"),
        "{}",
        call.labels.source
    );
    // A kind the folder lacks is named, with the convention.
    let long = recipe(r#"{"answer": {"kind": "person", "first": "long"}}"#);
    let e = long.draw(1).render(&lib).unwrap_err().to_string();
    assert!(e.contains("no long") && e.contains("long_*.wav"), "{e}");
}

#[test]
fn bad_files_are_named() {
    let dir = scratch("bad_speech");
    std::fs::create_dir_all(dir.join("answers")).unwrap();
    std::fs::write(dir.join("answers/broken.wav"), b"RIFF....WAVEjunk").unwrap();
    let e = SpeechLibrary::load(&dir).unwrap_err();
    assert!(matches!(e, SpeechError::Decode(_)), "{e}");
    assert!(e.to_string().contains("answers/broken.wav"), "{e}");
    let silent = scratch("silent_speech");
    write_tone(&silent.join("greeting_quiet.wav"), 8000, 1, 0.0, 0.5);
    let e = SpeechLibrary::load(&silent).unwrap_err();
    assert!(
        e.to_string().contains("greeting_quiet.wav") && e.to_string().contains("no speech"),
        "{e}"
    );
    let empty = scratch("empty_speech");
    let e = SpeechLibrary::load(&empty).unwrap_err();
    assert!(e.to_string().contains("no speech clips"), "{e}");
}

#[test]
fn committed_clips_cover_every_kind() {
    let lib = library();
    for json in [
        r#"{"answer": {"kind": "voicemail"}}"#,
        r#"{"answer": {"kind": "person", "first": "long"}}"#,
        r#"{"answer": {"kind": "person", "first": "hello_name"}}"#,
        r#"{"answer": {"kind": "ivr"}}"#,
        r#"{"before": {"kind": "sit"}, "answer": {"kind": "silence"}}"#,
    ] {
        recipe(json).draw(1).render(&lib).unwrap();
    }
}

/// Every format `ringside detect` reads is a usable clip, with the same sound: the
/// committed greeting in six encodings trims to the length of its WAV original.
#[test]
fn own_recordings_in_every_format() {
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/formats");
    let dir = scratch("every_format_speech");
    std::fs::create_dir_all(dir.join("greetings")).unwrap();
    let files = [
        "machine_beep.flac",
        "machine_beep.m4a",
        "machine_beep.mp3",
        "machine_beep.ogg",
        "machine_beep_alaw.wav",
        "machine_beep_ulaw.wav",
    ];
    for f in files {
        std::fs::copy(formats.join(f), dir.join("greetings").join(f)).unwrap();
    }
    let wav = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/machine_beep.wav");
    let reference = ringside_sim::synth::speech::decode_mono_8k(&wav).unwrap();
    let lib = SpeechLibrary::load(&dir).unwrap();
    assert_eq!(lib.len(), files.len());
    for f in files {
        let x =
            ringside_sim::synth::speech::decode_mono_8k(&dir.join("greetings").join(f)).unwrap();
        // Lossy codecs pad or trim a few ms at the ends; the decoded call is the same length.
        let diff = (x.len() as i64 - reference.len() as i64).abs();
        assert!(
            diff <= 80,
            "{f}: {} samples vs {}",
            x.len(),
            reference.len()
        );
    }
    // A file that is not audio at all is refused, naming it.
    std::fs::write(dir.join("greetings/notes.mp3"), b"not an mp3 at all").unwrap();
    let e = SpeechLibrary::load(&dir).unwrap_err().to_string();
    assert!(e.contains("greetings/notes.mp3"), "{e}");
}
