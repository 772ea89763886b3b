//! Running one recording through the detector.

use std::path::Path;

use ringside_dsp::{Config, ConfigError, Detector};

use crate::analysis::{Analysis, EventCollector};
use crate::error::AudioError;
use crate::stream::{AudioStream, StreamOptions};

/// Why a recording could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// The file could not be read (a problem with the input).
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// The detector settings are invalid (a problem with the caller, not the file).
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// Replays `path` through a fresh detector built from `config` and gathers what it said.
///
/// The file is streamed (a reader thread decodes and resamples to the detector's rate
/// while the detector runs), so memory stays constant whatever the file's length.
pub fn analyze_file(path: &Path, config: &Config) -> Result<Analysis, AnalyzeError> {
    let mut detector = Detector::new(config.clone())?;
    let rate = detector.sample_rate();
    let stream = AudioStream::open(path, StreamOptions::for_rate(rate))?;
    let info = stream.info().clone();
    tracing::debug!(
        file = %path.display(),
        rate = info.sample_rate,
        channels = info.channels,
        encoding = %info.encoding,
        resampled = stream.is_resampled(),
        "replaying"
    );
    let mut events = EventCollector::new(rate);
    let summary = stream.for_each_chunk(|chunk| events.push(detector.process(chunk)))?;
    events.push(detector.finish());
    Ok(events.finish(summary.samples, Some(info)))
}

/// Runs in-memory mono samples (at the detector's rate) through a fresh detector, in
/// chunks of `chunk_len`; for tests and for audio that never was a file.
pub fn analyze_samples(
    samples: &[f32],
    config: &Config,
    chunk_len: usize,
) -> Result<Analysis, ConfigError> {
    let mut detector = Detector::new(config.clone())?;
    let mut events = EventCollector::new(detector.sample_rate());
    for chunk in samples.chunks(chunk_len.max(1)) {
        events.push(detector.process(chunk));
    }
    events.push(detector.finish());
    Ok(events.finish(samples.len() as u64, None))
}
