//! The bodies of the fuzz targets in `fuzz/` (`cargo +nightly fuzz run TARGET`), one
//! function per target, so that an ordinary `cargo test` on stable replays every committed
//! seed and every finding through exactly the code the fuzzer ran.
//!
//! Each function takes arbitrary bytes and feeds them to one of the places where untrusted
//! input enters ringside. None of them may panic, hang or allocate without bound, whatever
//! the bytes; a typed error is a correct outcome and is ignored here.
//!
//! | target | what the bytes are | entry point |
//! |---|---|---|
//! | `wav` | a file starting `RIFF` | `open_input` → WAVE header walk, hound or G.711, the stream |
//! | `compressed` | any other file | `open_input` → MP3, FLAC, Ogg, M4A through the source layer |
//! | `twiml` | an app's reply | `ringside_call::twiml::parse` |
//! | `create_call_form` | a POST body | form decoding, `CreateCallRequest::from_params`, `UpdateCallRequest::from_params`, `PhoneNumber::parse` |
//! | `json_inputs` | one byte choosing the kind, then JSON | `Scenario::from_json`, `PhoneBook::from_json`, `Recipe::parse`, `Manifest::from_json` |
//! | `detector` | one byte of chunk size, then `f32` bit patterns (NaN, infinities, extremes) | `Detector::process` / `finish` |

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use ringside_audio::{AudioStream, Input, StreamOptions, open_input};
use ringside_call::{CreateCallRequest, PhoneNumber, UpdateCallRequest};
use ringside_dsp::{Config, Detector};

/// A fuzz target's body: arbitrary bytes in, nothing out, never a panic.
pub type Target = fn(&[u8]);

/// Every target, by the name of its file in `fuzz/fuzz_targets/` and its corpus folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("wav", wav),
    ("compressed", compressed),
    ("twiml", twiml),
    ("create_call_form", create_call_form),
    ("json_inputs", json_inputs),
    ("detector", detector),
];

/// Most 100 ms chunks decoded per input: enough to pass every header and several blocks of
/// audio, few enough that one execution stays in milliseconds.
const MAX_CHUNKS: usize = 100;

/// A WAV file: the header walk and format check, hound or rodio's G.711, the stream.
pub fn wav(data: &[u8]) {
    if data.starts_with(b"RIFF") {
        decode(data);
    }
}

/// Any other file through the source layer's sniffer: MP3, FLAC, Ogg Vorbis, M4A/AAC and
/// the formats refused by name.
pub fn compressed(data: &[u8]) {
    if !data.starts_with(b"RIFF") {
        decode(data);
    }
}

fn decode(data: &[u8]) {
    let input = Input::from_bytes("fuzz", data.to_vec());
    let Ok(source) = open_input(&input) else {
        return;
    };
    let options = StreamOptions::for_rate(8000).on_callers_thread();
    let Ok(stream) = AudioStream::from_source(Path::new("fuzz"), source, options) else {
        return;
    };
    let mut chunks = 0;
    let _ = stream.try_for_each_chunk(|_| {
        chunks += 1;
        if chunks < MAX_CHUNKS {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    });
}

/// An app's TwiML reply.
pub fn twiml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ringside_call::twiml::parse(text);
    }
}

/// A create-call (or update-call) POST body, and every value in it as a phone number.
pub fn create_call_form(data: &[u8]) {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(data)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let _ = CreateCallRequest::from_params(&params);
    let _ = UpdateCallRequest::from_params(&params);
    // The 2010 API's form: its own fields, the inline Twiml, the AMD tuning ranges.
    if let Ok(base) = url::Url::parse("http://ringside.invalid/Calls/CA.json") {
        if let Ok(request) = CreateCallRequest::from_params_2010(&params, &base) {
            if let Some(md) = request
                .api
                .v2010()
                .and_then(|a| a.machine_detection.as_ref())
            {
                let _ = md.tuning(10_000);
            }
        }
    }
    let _ = ringside_call::api::UpdateCall2010::from_params(&params);
    for (_, value) in &params {
        if let Ok(number) = PhoneNumber::parse(value) {
            let _ = number.e164();
        }
    }
}

/// One of the JSON files ringside reads, chosen by the first byte.
pub fn json_inputs(data: &[u8]) {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // A path that exists nowhere: relative files named by the JSON are not found, which is
    // an error like any other.
    let path = Path::new("/nonexistent-ringside-fuzz/input.json");
    match kind % 4 {
        0 => {
            let _ = crate::scenario::Scenario::from_json(text, path);
        }
        1 => {
            let _ = ringside_sim::PhoneBook::from_json(text, path);
        }
        2 => {
            let _ = ringside_sim::recipe::Recipe::parse(text, path);
        }
        _ => {
            let _ = crate::eval::Manifest::from_json(text, PathBuf::from("/nonexistent"));
        }
    }
}

/// The detector fed arbitrary samples: every 4 bytes are an `f32`'s bits, so NaN, the
/// infinities, subnormals and ±3.4e38 all occur; the first byte sets the chunk size.
pub fn detector(data: &[u8]) {
    let Some((&size, rest)) = data.split_first() else {
        return;
    };
    let samples: Vec<f32> = rest
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let Ok(mut detector) = Detector::new(Config::default()) else {
        return;
    };
    for chunk in samples.chunks(usize::from(size) * 8 + 1) {
        let _ = detector.process(chunk);
    }
    let _ = detector.finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every committed seed (`fuzz/corpus/TARGET/`) and every finding the fuzzers saved
    /// (`fuzz/artifacts/TARGET/`) goes through its target again; each must return.
    #[test]
    fn every_committed_seed_and_finding_replays() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
        let mut failures = Vec::new();
        for (name, target) in TARGETS {
            let seeds = files_in(&root.join("corpus").join(name));
            assert!(
                !seeds.is_empty(),
                "no seeds committed for the `{name}` target"
            );
            for file in seeds
                .iter()
                .chain(&files_in(&root.join("artifacts").join(name)))
            {
                let bytes = std::fs::read(file).unwrap();
                if std::panic::catch_unwind(|| target(&bytes)).is_err() {
                    failures.push(file.display().to_string());
                }
            }
        }
        assert!(failures.is_empty(), "panicked on: {failures:#?}");
    }

    fn files_in(dir: &Path) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    }

    #[test]
    fn the_detector_survives_non_finite_samples() {
        let mut bytes = vec![10u8];
        for v in [
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN,
            1e-40,
        ] {
            for _ in 0..2000 {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        detector(&bytes);
    }
}
