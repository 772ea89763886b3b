//! `ringside_detector`: one call's detector and the events it has not handed out yet.
//!
//! The Rust detector returns each chunk's events as a slice that the next call
//! overwrites; a C caller instead drains them one at a time with
//! `ringside_detector_next_event`, so they wait in a queue here. The queue is allocated
//! with the detector and holds [`QUEUE_CAPACITY`] events: a caller that drains after every
//! chunk of up to 100 ms never makes it grow, so the caller's loop allocates nothing.
//! Everything here is safe Rust; `ffi.rs` turns C pointers into calls on it.

use std::collections::VecDeque;

use ringside_dsp::{Config, Detector, Event};

use crate::status::{Failure, RingsideStatus};

/// Events held before the queue grows. One 100 ms chunk produces a handful at most (the
/// detector's own per-call buffer is 32).
pub(crate) const QUEUE_CAPACITY: usize = 64;

/// Samples converted from 16-bit to float at a time: 100 ms at 8 kHz.
const CONVERT_BLOCK: usize = 800;

/// The scale of 16-bit PCM, the same as `ringside-audio`'s WAV decoder uses
/// (1 / 2^15), so a C caller's samples reach the detector as the CLI's do.
const I16_SCALE: f32 = 1.0 / 32768.0;

/// One stream's detector, as C holds it (opaque).
#[derive(Debug)]
pub struct RingsideDetector {
    /// The validated settings, kept for `reset`.
    config: Config,
    detector: Detector,
    queue: VecDeque<Event>,
    /// Where 16-bit input is converted, allocated once (a zeroed block on the stack in
    /// every call cost 8 % of the detector's instructions with 20 ms chunks).
    converted: Box<[f32]>,
    state: State,
}

/// Where the stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Taking audio.
    Open,
    /// `finish` was called; only `reset` reopens it.
    Finished,
    /// A call panicked inside; the detector's state cannot be trusted until `reset`.
    Broken,
}

impl RingsideDetector {
    /// A detector for `config` (already validated by `RingsideConfig::to_dsp`).
    pub(crate) fn new(config: Config) -> Result<Self, Failure> {
        let detector = Detector::new(config.clone())?;
        Ok(Self {
            config,
            detector,
            queue: VecDeque::with_capacity(QUEUE_CAPACITY),
            converted: vec![0.0; CONVERT_BLOCK].into_boxed_slice(),
            state: State::Open,
        })
    }

    /// The configured sample rate, Hz.
    pub(crate) fn sample_rate(&self) -> u32 {
        self.detector.sample_rate()
    }

    fn check_open(&self) -> Result<(), Failure> {
        match self.state {
            State::Open => Ok(()),
            State::Finished => Err(Failure::code(RingsideStatus::Finished)),
            State::Broken => Err(Failure::code(RingsideStatus::Internal)),
        }
    }

    /// Feeds float samples (full scale ±1.0) and queues the events they complete.
    pub(crate) fn process_f32(&mut self, samples: &[f32]) -> Result<(), Failure> {
        self.check_open()?;
        self.queue.extend(self.detector.process(samples));
        Ok(())
    }

    /// Feeds 16-bit samples, converted block by block (the detector's results do not
    /// depend on how the stream is chunked).
    pub(crate) fn process_i16(&mut self, samples: &[i16]) -> Result<(), Failure> {
        self.check_open()?;
        for chunk in samples.chunks(CONVERT_BLOCK) {
            let block = &mut self.converted[..chunk.len()];
            for (dst, &s) in block.iter_mut().zip(chunk) {
                *dst = f32::from(s) * I16_SCALE;
            }
            self.queue.extend(self.detector.process(block));
        }
        Ok(())
    }

    /// Ends the stream and queues the last events (the verdict is among the events by
    /// then, if it was not before).
    pub(crate) fn finish(&mut self) -> Result<(), Failure> {
        self.check_open()?;
        self.queue.extend(self.detector.finish());
        self.state = State::Finished;
        Ok(())
    }

    /// The oldest event not yet handed out.
    pub(crate) fn next_event(&mut self) -> Option<Event> {
        self.queue.pop_front()
    }

    /// Starts a new stream with the same settings: pending events are dropped and sample
    /// offsets start again at 0.
    pub(crate) fn reset(&mut self) -> Result<(), Failure> {
        self.detector = Detector::new(self.config.clone())?;
        self.queue.clear();
        self.state = State::Open;
        Ok(())
    }

    /// Marks the detector unusable after a panic inside one of its calls.
    pub(crate) fn mark_broken(&mut self) {
        self.state = State::Broken;
        self.queue.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(n: usize, hz: f32, amp: f32) -> Vec<f32> {
        (0..n)
            .map(|i| amp * (std::f32::consts::TAU * hz * i as f32 / 8000.0).sin())
            .collect()
    }

    fn drain(det: &mut RingsideDetector) -> Vec<Event> {
        std::iter::from_fn(|| det.next_event()).collect()
    }

    /// 16-bit input is the float input scaled by 2^-15: the same events, whatever the
    /// chunking.
    #[test]
    fn i16_and_f32_input_give_the_same_events() {
        let mut signal = vec![0.0f32; 8000];
        signal.extend(tone(8000, 1000.0, 0.3));
        signal.extend(vec![0.0; 16_000]);
        let pcm: Vec<i16> = signal.iter().map(|&x| (x * 32768.0) as i16).collect();
        let back: Vec<f32> = pcm.iter().map(|&s| f32::from(s) / 32768.0).collect();

        let mut a = RingsideDetector::new(Config::default()).unwrap_or_else(|e| panic!("{e:?}"));
        for chunk in back.chunks(800) {
            a.process_f32(chunk).unwrap_or_else(|e| panic!("{e:?}"));
        }
        a.finish().unwrap_or_else(|e| panic!("{e:?}"));
        let mut b = RingsideDetector::new(Config::default()).unwrap_or_else(|e| panic!("{e:?}"));
        for chunk in pcm.chunks(37) {
            b.process_i16(chunk).unwrap_or_else(|e| panic!("{e:?}"));
        }
        b.finish().unwrap_or_else(|e| panic!("{e:?}"));
        let (ea, eb) = (drain(&mut a), drain(&mut b));
        assert!(
            ea.iter().any(|e| matches!(e, Event::ToneStart { .. })),
            "{ea:?}"
        );
        assert!(ea.iter().any(|e| matches!(e, Event::Verdict(_))), "{ea:?}");
        assert_eq!(ea, eb);
    }

    #[test]
    fn audio_after_finish_is_refused_until_reset() {
        let mut det = RingsideDetector::new(Config::default()).unwrap_or_else(|e| panic!("{e:?}"));
        det.process_f32(&[0.0; 800])
            .unwrap_or_else(|e| panic!("{e:?}"));
        det.finish().unwrap_or_else(|e| panic!("{e:?}"));
        let status = |r: Result<(), Failure>| r.err().map(|f| f.status);
        assert_eq!(
            status(det.process_f32(&[0.0; 80])),
            Some(RingsideStatus::Finished)
        );
        assert_eq!(status(det.finish()), Some(RingsideStatus::Finished));
        // The finished stream's verdict is still there to read.
        assert!(
            drain(&mut det)
                .iter()
                .any(|e| matches!(e, Event::Verdict(_)))
        );

        det.process_f32(&[0.0; 80]).unwrap_err();
        det.reset().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(status(det.process_f32(&[0.0; 80])), None);
    }

    #[test]
    fn a_broken_detector_refuses_everything_until_reset() {
        let mut det = RingsideDetector::new(Config::default()).unwrap_or_else(|e| panic!("{e:?}"));
        det.mark_broken();
        let r = det.process_i16(&[0; 80]);
        assert_eq!(r.err().map(|f| f.status), Some(RingsideStatus::Internal));
        det.reset().unwrap_or_else(|e| panic!("{e:?}"));
        det.process_i16(&[0; 80])
            .unwrap_or_else(|e| panic!("{e:?}"));
    }

    #[test]
    fn reset_starts_offsets_again_at_zero() {
        let mut det = RingsideDetector::new(Config::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let mut signal = vec![0.0f32; 4000];
        signal.extend(tone(4000, 1000.0, 0.3));
        signal.extend(vec![0.0; 4000]);
        det.process_f32(&signal).unwrap_or_else(|e| panic!("{e:?}"));
        let first = drain(&mut det);
        assert!(
            first
                .iter()
                .any(|e| matches!(e, Event::ToneStart { at, .. } if *at >= 3900)),
            "{first:?}"
        );
        det.reset().unwrap_or_else(|e| panic!("{e:?}"));
        det.process_f32(&signal).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(drain(&mut det), first);
    }
}
