//! Running one recording through the detector.
//!
//! [`analyze_file`] gives the finished [`Analysis`]. [`replay_file`] does the same but lets
//! a [`ReplayObserver`] watch the replay chunk by chunk (the audio and the events it
//! caused), which is how playback, live printing and plotting hook in without the replay
//! loop knowing about any of them.

use std::ops::ControlFlow;
use std::path::Path;

mod analysis;
#[cfg(feature = "playback")]
mod device_sink;
#[cfg(test)]
mod format_tests;
mod listener;

use ringside_dsp::{Config, ConfigError, Detector, Event, SampleOffset};

pub use analysis::{Analysis, BeepSpan, DtmfSpan, EventCollector, GreetingEndAt, ToneSpan};
#[cfg(feature = "playback")]
pub use device_sink::DeviceSink;
pub use listener::{Listener, LiveEvent, PlaybackError, Silent, Sink, Window, event_time};
use ringside_audio::AudioError;
use ringside_audio::Pace;
use ringside_audio::SourceInfo;
use ringside_audio::{AudioStream, Delivery, StreamOptions};

/// Watches a replay as it happens.
///
/// Called on the consumer's thread, in stream order: [`start`](Self::start) once, then
/// [`chunk`](Self::chunk) for each chunk, then [`finish`](Self::finish) unless a chunk
/// stopped the replay.
pub trait ReplayObserver {
    /// The replay starts: samples will come mono at `rate`; `source` is the file's format.
    fn start(&mut self, rate: u32, source: &SourceInfo) {
        let _ = (rate, source);
    }

    /// One chunk, starting at sample `at`, and the events the detector emitted for it.
    /// Returning `Break` ends the replay there (the analysis then covers what was heard).
    fn chunk(&mut self, at: SampleOffset, samples: &[f32], events: &[Event]) -> ControlFlow<()>;

    /// The stream ended at sample `at`; `events` are those the detector's `finish` emitted.
    fn finish(&mut self, at: SampleOffset, events: &[Event]) {
        let _ = (at, events);
    }
}

/// Observes nothing: a plain analysis.
impl ReplayObserver for () {
    fn chunk(&mut self, _: SampleOffset, _: &[f32], _: &[Event]) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

impl<T: ReplayObserver + ?Sized> ReplayObserver for &mut T {
    fn start(&mut self, rate: u32, source: &SourceInfo) {
        (**self).start(rate, source);
    }
    fn chunk(&mut self, at: SampleOffset, samples: &[f32], events: &[Event]) -> ControlFlow<()> {
        (**self).chunk(at, samples, events)
    }
    fn finish(&mut self, at: SampleOffset, events: &[Event]) {
        (**self).finish(at, events);
    }
}

/// An observer that may be absent (`--plot` not given, ...).
impl<T: ReplayObserver> ReplayObserver for Option<T> {
    fn start(&mut self, rate: u32, source: &SourceInfo) {
        if let Some(o) = self {
            o.start(rate, source);
        }
    }
    fn chunk(&mut self, at: SampleOffset, samples: &[f32], events: &[Event]) -> ControlFlow<()> {
        match self {
            Some(o) => o.chunk(at, samples, events),
            None => ControlFlow::Continue(()),
        }
    }
    fn finish(&mut self, at: SampleOffset, events: &[Event]) {
        if let Some(o) = self {
            o.finish(at, events);
        }
    }
}

/// Two observers of one replay; it stops when either asks.
impl<A: ReplayObserver, B: ReplayObserver> ReplayObserver for (A, B) {
    fn start(&mut self, rate: u32, source: &SourceInfo) {
        self.0.start(rate, source);
        self.1.start(rate, source);
    }
    fn chunk(&mut self, at: SampleOffset, samples: &[f32], events: &[Event]) -> ControlFlow<()> {
        let a = self.0.chunk(at, samples, events);
        let b = self.1.chunk(at, samples, events);
        if a.is_break() || b.is_break() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
    fn finish(&mut self, at: SampleOffset, events: &[Event]) {
        self.0.finish(at, events);
        self.1.finish(at, events);
    }
}

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
/// The file is streamed in 100 ms chunks, so memory stays constant whatever its length. It
/// is decoded on the calling thread, between the detector's chunks: this is the batch
/// entry point (`eval` runs one file per core), where a reader thread per file would only
/// compete with the other workers. The events are the same as [`replay_file`]'s.
pub fn analyze_file(path: &Path, config: &Config) -> Result<Analysis, AnalyzeError> {
    replay(path, config, Delivery::CallersThread, None, &mut ())
}

/// Replays `path` like [`analyze_file`], but with a reader thread feeding the detector the
/// way a live line would, optionally at a live line's pace, showing each chunk and its
/// events to `observer` as they happen.
pub fn replay_file(
    path: &Path,
    config: &Config,
    pace: Option<Pace>,
    observer: &mut dyn ReplayObserver,
) -> Result<Analysis, AnalyzeError> {
    replay(path, config, Delivery::ReaderThread, pace, observer)
}

fn replay(
    path: &Path,
    config: &Config,
    delivery: Delivery,
    pace: Option<Pace>,
    observer: &mut dyn ReplayObserver,
) -> Result<Analysis, AnalyzeError> {
    let mut detector = Detector::new(config.clone())?;
    let rate = detector.sample_rate();
    let mut options = StreamOptions::for_rate(rate);
    options.pace = pace;
    options.delivery = delivery;
    let stream = AudioStream::open(path, options)?;
    let info = stream.info().clone();
    tracing::debug!(
        file = %path.display(),
        rate = info.sample_rate,
        channels = info.channels,
        encoding = %info.encoding,
        resampled = stream.is_resampled(),
        "replaying"
    );
    observer.start(rate, &info);
    let mut events = EventCollector::new(rate);
    let mut at: SampleOffset = 0;
    let mut stopped = false;
    let summary = stream.try_for_each_chunk(|chunk| {
        let emitted = detector.process(chunk);
        events.push(emitted);
        let flow = observer.chunk(at, chunk, emitted);
        at += chunk.len() as u64;
        stopped = flow.is_break();
        flow
    })?;
    let emitted = detector.finish();
    events.push(emitted);
    if !stopped {
        observer.finish(summary.samples, emitted);
    }
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
