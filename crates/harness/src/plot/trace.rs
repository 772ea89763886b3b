//! What a picture needs from a replay, gathered while it streams: a waveform envelope and
//! a spectrogram. Neither keeps the audio itself, so plotting a long file costs little.

use std::ops::ControlFlow;

use ringside_dsp::{Event, SampleOffset};

use super::spectrogram::Spectrogram;
use crate::replay::ReplayObserver;
use ringside_audio::SourceInfo;

/// Envelope resolution: 5 ms buckets, finer than any chart is wide for calls over ~6 s.
const BUCKET_SECONDS: f64 = 0.005;

/// The waveform and spectrogram of a replay, as a [`ReplayObserver`].
#[derive(Debug)]
pub struct PlotTrace {
    rate: u32,
    bucket: usize,
    /// (min, max) per bucket.
    envelope: Vec<(f32, f32)>,
    current: Option<(f32, f32)>,
    in_bucket: usize,
    samples: u64,
    spectrogram: Option<Spectrogram>,
}

impl Default for PlotTrace {
    fn default() -> Self {
        Self::new()
    }
}

impl PlotTrace {
    /// An empty trace; the rate is learnt when the replay starts.
    pub fn new() -> Self {
        Self {
            rate: 0,
            bucket: 1,
            envelope: Vec::new(),
            current: None,
            in_bucket: 0,
            samples: 0,
            spectrogram: None,
        }
    }

    /// A trace of in-memory samples at `rate` (for tests and synthetic audio).
    pub fn from_samples(samples: &[f32], rate: u32) -> Self {
        let mut t = Self::new();
        t.begin(rate);
        t.push(samples);
        t
    }

    fn begin(&mut self, rate: u32) {
        self.rate = rate.max(1);
        self.bucket = ((f64::from(self.rate) * BUCKET_SECONDS) as usize).max(1);
        self.spectrogram = Some(Spectrogram::new(self.rate));
    }

    fn push(&mut self, samples: &[f32]) {
        for &v in samples {
            let (lo, hi) = self.current.get_or_insert((v, v));
            *lo = lo.min(v);
            *hi = hi.max(v);
            self.in_bucket += 1;
            if self.in_bucket == self.bucket {
                self.envelope.extend(self.current.take());
                self.in_bucket = 0;
            }
        }
        self.samples += samples.len() as u64;
        if let Some(s) = &mut self.spectrogram {
            s.push(samples);
        }
    }

    /// Sample rate of the traced audio.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Length of the traced audio, seconds.
    pub fn seconds(&self) -> f64 {
        self.samples as f64 / f64::from(self.rate.max(1))
    }

    /// `(start seconds, min, max)` per envelope bucket.
    pub fn envelope(&self) -> impl Iterator<Item = (f64, f32, f32)> + '_ {
        let dt = self.bucket as f64 / f64::from(self.rate.max(1));
        self.envelope
            .iter()
            .chain(self.current.as_ref())
            .enumerate()
            .map(move |(i, &(lo, hi))| (i as f64 * dt, lo, hi))
    }

    /// The spectrogram (`None` before the replay started).
    pub fn spectrogram(&self) -> Option<&Spectrogram> {
        self.spectrogram.as_ref()
    }
}

impl ReplayObserver for PlotTrace {
    fn start(&mut self, rate: u32, _: &SourceInfo) {
        self.begin(rate);
    }

    fn chunk(&mut self, _: SampleOffset, samples: &[f32], _: &[Event]) -> ControlFlow<()> {
        self.push(samples);
        ControlFlow::Continue(())
    }
}
