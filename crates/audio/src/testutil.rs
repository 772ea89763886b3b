//! Helpers for tests that need audio files on disk (this crate's, and, with the
//! `test-support` feature, other crates' tests: the harness uses them too).
// Test support: a failure here is a broken test machine, and a panic is the right report.
#![allow(clippy::unwrap_used, clippy::new_without_default)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "ringside-harness-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A sine of `freq` Hz at amplitude 0.5, `secs` long, at `rate`.
pub fn sine(freq: f64, rate: u32, secs: f64) -> Vec<f64> {
    let n = (f64::from(rate) * secs).round() as usize;
    (0..n)
        .map(|i| 0.5 * (std::f64::consts::TAU * freq * i as f64 / f64::from(rate)).sin())
        .collect()
}

/// Writes `mono` to every one of `channels` channels, in the given encoding.
pub fn write_wav(path: &Path, rate: u32, channels: u16, bits: u16, float: bool, mono: &[f64]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let full = f64::from(1u32 << (bits - 1).min(31));
    for &v in mono {
        for _ in 0..channels {
            if float {
                w.write_sample(v as f32).unwrap();
            } else if bits == 8 {
                w.write_sample((v * full).round() as i8).unwrap();
            } else {
                w.write_sample((v * full).round() as i32).unwrap();
            }
        }
    }
    w.finalize().unwrap();
}
