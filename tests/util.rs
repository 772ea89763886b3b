//! Running the binary and making test inputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The workspace root (where `fixtures/` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A committed fixture, as a path relative to the workspace root (how a user types it).
pub fn fixture(name: &str) -> String {
    format!("fixtures/{name}")
}

/// Runs `ringside ARGS...` from the workspace root.
pub fn ringside(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ringside"))
        .args(args)
        .current_dir(root())
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// The exit status, stdout and stderr of a run, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// stdout parsed as one JSON value per line.
pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A fresh scratch directory for one test, under cargo's per-target temp dir.
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads a 16-bit mono fixture as f64 samples in ±1.0, with its rate.
pub fn read_fixture(name: &str) -> (Vec<f64>, u32) {
    let mut r = hound::WavReader::open(root().join("fixtures").join(name)).unwrap();
    let spec = r.spec();
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16));
    let x = r
        .samples::<i16>()
        .map(|s| f64::from(s.unwrap()) / 32768.0)
        .collect();
    (x, spec.sample_rate)
}

/// Writes `frames` (each the samples of all channels) in the given encoding.
pub fn write_wav(path: &Path, rate: u32, bits: u16, float: bool, frames: &[Vec<f64>]) {
    let spec = hound::WavSpec {
        channels: frames.first().map_or(1, |f| f.len() as u16),
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let full = f64::from(1u32 << (bits - 1));
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for frame in frames {
        for &v in frame {
            if float {
                w.write_sample(v as f32).unwrap();
            } else {
                w.write_sample((v * full).round().clamp(-full, full - 1.0) as i32)
                    .unwrap();
            }
        }
    }
    w.finalize().unwrap();
}

/// `x` at `from` Hz resampled to `to` Hz (with the harness's own resampler).
pub fn resample(x: &[f64], from: u32, to: u32) -> Vec<f64> {
    let mut r = ringside_audio::Resampler::new(from, to).unwrap();
    let input: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let mut out = Vec::new();
    r.process(&input, &mut |s| out.extend(s.iter().map(|&v| f64::from(v))))
        .unwrap();
    r.finish(&mut |s| out.extend(s.iter().map(|&v| f64::from(v))))
        .unwrap();
    out
}
