//! Listening in on a replay: the audio goes to a [`Sink`] while the detector's events are
//! reported as they happen, like monitoring a live call.
//!
//! [`Listener`] is a [`ReplayObserver`]: it knows nothing about sound devices. The real
//! output (rodio, behind the `playback` feature) is one [`Sink`]; tests use a recording
//! one, so the windowing, ordering and stopping logic is tested on machines without a
//! sound card. Pacing is the stream's job ([`crate::Pace`]), not the listener's.

use std::ops::ControlFlow;

use ringside_dsp::{Event, GreetingEndKind, SampleOffset};

use super::ReplayObserver;
use ringside_audio::SourceInfo;

/// Why audio could not be played.
#[derive(Debug, thiserror::Error)]
pub enum PlaybackError {
    /// No sound output could be opened (no card, no server, headless machine).
    #[error("no sound output device could be opened: {0}")]
    NoDevice(String),
    /// The device failed while playing.
    #[error("the sound output failed: {0}")]
    Device(String),
    /// This binary was built without sound output.
    #[error(
        "this build of ringside cannot play audio; rebuild with `cargo build --features playback` \
         (needs pkg-config and libasound2-dev)"
    )]
    NotBuilt,
}

/// Where listened-to audio goes.
pub trait Sink {
    /// Queues `samples` (mono, `rate` Hz) to be heard after what is already queued.
    fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), PlaybackError>;
    /// Blocks until everything queued has been heard.
    fn drain(&mut self) -> Result<(), PlaybackError>;
}

impl<S: Sink + ?Sized> Sink for Box<S> {
    fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), PlaybackError> {
        (**self).play(samples, rate)
    }
    fn drain(&mut self) -> Result<(), PlaybackError> {
        (**self).drain()
    }
}

/// A sink that hears nothing: for `--realtime` without sound.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Sink for Silent {
    fn play(&mut self, _: &[f32], _: u32) -> Result<(), PlaybackError> {
        Ok(())
    }
    fn drain(&mut self) -> Result<(), PlaybackError> {
        Ok(())
    }
}

/// The part of a recording to listen to, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Window {
    /// Start (0 for the beginning).
    pub from: f64,
    /// End; `None` for the end of the file.
    pub to: Option<f64>,
}

impl Window {
    /// The window in samples at `rate`: `[from, to)`.
    pub fn samples(&self, rate: u32) -> (SampleOffset, Option<SampleOffset>) {
        let at = |s: f64| (s.max(0.0) * f64::from(rate)).round() as SampleOffset;
        (at(self.from), self.to.map(at))
    }
}

/// One detector event as it happened, with its time in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveEvent {
    /// When in the recording it happened (the event's own time, not the wall clock).
    pub at: f64,
    /// What happened.
    pub event: Event,
}

impl std::fmt::Display for LiveEvent {
    /// One line, e.g. `  5.780 s  beep 1451 Hz (5.780-6.142 s)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:8.3} s  ", self.at)?;
        describe(&self.event, f)
    }
}

/// The words for one event (times inside it are in samples; `LiveEvent` holds the rate's
/// conversion only for `at`, so spans are printed from the event itself).
fn describe(event: &Event, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match event {
        Event::SpeechStart { .. } => f.write_str("speech starts"),
        Event::SpeechEnd { .. } => f.write_str("speech ends"),
        Event::ToneStart { freq_hz, .. } => write!(f, "tone starts, {freq_hz:.0} Hz"),
        Event::ToneEnd { freq_hz, .. } => write!(f, "tone ends, {freq_hz:.0} Hz"),
        Event::Beep(b) => write!(f, "BEEP {:.0} Hz", b.freq_hz),
        Event::Dtmf(d) => write!(f, "DTMF {}", d.digit.as_char()),
        Event::Verdict(d) => write!(f, "VERDICT {} ({})", d.verdict, d.cause.as_str()),
        Event::GreetingEnd(g) => {
            let kind = match g.kind {
                GreetingEndKind::Beep => "beep",
                GreetingEndKind::Silence => "silence",
                GreetingEndKind::Timeout => "timeout",
            };
            write!(f, "greeting over ({kind}): leave the message now")
        }
    }
}

/// The sample offset an event is stamped with (for spans, when it became known: the end).
pub fn event_time(event: &Event) -> SampleOffset {
    match *event {
        Event::SpeechStart { at }
        | Event::SpeechEnd { at }
        | Event::ToneStart { at, .. }
        | Event::ToneEnd { at, .. } => at,
        Event::Beep(b) => b.start,
        Event::Dtmf(d) => d.start,
        Event::Verdict(d) => d.at,
        Event::GreetingEnd(g) => g.at,
    }
}

/// Plays the window of a replay to a [`Sink`] and reports every event to `on_event`.
///
/// Events outside the window are reported too: the detector hears the whole call up to the
/// window's end, and what it decided before the listener came in is part of the story.
#[derive(Debug)]
pub struct Listener<S, F> {
    sink: S,
    window: Window,
    on_event: F,
    rate: u32,
    from: SampleOffset,
    to: Option<SampleOffset>,
    played: u64,
    error: Option<PlaybackError>,
}

impl<S: Sink, F: FnMut(LiveEvent)> Listener<S, F> {
    /// A listener playing `window` into `sink`.
    pub fn new(sink: S, window: Window, on_event: F) -> Self {
        Self {
            sink,
            window,
            on_event,
            rate: 0,
            from: 0,
            to: None,
            played: 0,
            error: None,
        }
    }

    /// Samples handed to the sink so far.
    pub fn played(&self) -> u64 {
        self.played
    }

    /// Waits for the sink to play out, and returns it with the first error it raised.
    pub fn finish(mut self) -> (S, Result<(), PlaybackError>) {
        let result = match self.error.take() {
            Some(e) => Err(e),
            None => self.sink.drain(),
        };
        (self.sink, result)
    }

    fn report(&mut self, events: &[Event]) {
        let rate = f64::from(self.rate.max(1));
        for event in events {
            (self.on_event)(LiveEvent {
                at: event_time(event) as f64 / rate,
                event: *event,
            });
        }
    }
}

impl<S: Sink, F: FnMut(LiveEvent)> ReplayObserver for Listener<S, F> {
    fn start(&mut self, rate: u32, _: &SourceInfo) {
        self.rate = rate;
        (self.from, self.to) = self.window.samples(rate);
    }

    fn chunk(&mut self, at: SampleOffset, samples: &[f32], events: &[Event]) -> ControlFlow<()> {
        let end = at + samples.len() as u64;
        let lo = self.from.clamp(at, end);
        let hi = self.to.unwrap_or(end).clamp(lo, end);
        if hi > lo {
            // In range: `lo - at` and `hi - at` are at most `samples.len()`.
            let part = &samples[(lo - at) as usize..(hi - at) as usize];
            if let Err(e) = self.sink.play(part, self.rate) {
                self.error = Some(e);
                return ControlFlow::Break(());
            }
            self.played += part.len() as u64;
        }
        self.report(events);
        match self.to {
            Some(to) if end >= to => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    }

    fn finish(&mut self, _: SampleOffset, events: &[Event]) {
        self.report(events);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::replay_file;
    use ringside_audio::testutil::{TempDir, sine, write_wav};
    use ringside_dsp::Config;

    /// Remembers what it was asked to play.
    #[derive(Debug, Default)]
    struct RecordingSink {
        played: Vec<f32>,
        calls: usize,
        rate: u32,
        drained: bool,
        fail_after: Option<usize>,
    }

    impl Sink for RecordingSink {
        fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), PlaybackError> {
            if self.fail_after.is_some_and(|n| self.calls >= n) {
                return Err(PlaybackError::Device("unplugged".to_owned()));
            }
            self.calls += 1;
            self.rate = rate;
            self.played.extend_from_slice(samples);
            Ok(())
        }
        fn drain(&mut self) -> Result<(), PlaybackError> {
            self.drained = true;
            Ok(())
        }
    }

    /// 2 s: a ramp we can recognise sample by sample.
    fn ramp_file(dir: &TempDir) -> (std::path::PathBuf, Vec<f64>) {
        let x: Vec<f64> = (0..16_000).map(|i| (i % 1000) as f64 / 2000.0).collect();
        let path = dir.file("ramp.wav");
        write_wav(&path, 8000, 1, 32, true, &x);
        (path, x)
    }

    #[test]
    fn plays_the_whole_file_in_order_and_drains() {
        let dir = TempDir::new();
        let (path, x) = ramp_file(&dir);
        let mut l = Listener::new(RecordingSink::default(), Window::default(), |_| {});
        let a = replay_file(&path, &Config::default(), None, &mut l).unwrap();
        assert_eq!(l.played(), 16_000);
        let (sink, result) = l.finish();
        result.unwrap();
        assert!(sink.drained);
        assert_eq!(sink.rate, 8000);
        assert_eq!(sink.calls, 20, "100 ms chunks");
        assert!(
            sink.played
                .iter()
                .zip(&x)
                .all(|(a, b)| (f64::from(*a) - b).abs() < 1e-6)
        );
        assert!((a.audio_seconds - 2.0).abs() < 1e-9);
    }

    #[test]
    fn window_plays_only_from_to_and_stops_the_replay() {
        let dir = TempDir::new();
        let (path, x) = ramp_file(&dir);
        let window = Window {
            from: 0.25,
            to: Some(1.05),
        };
        let mut l = Listener::new(RecordingSink::default(), window, |_| {});
        let a = replay_file(&path, &Config::default(), None, &mut l).unwrap();
        let (sink, _) = l.finish();
        assert_eq!(sink.played.len(), 6400);
        assert!((f64::from(sink.played[0]) - x[2000]).abs() < 1e-6);
        assert!((f64::from(sink.played[6399]) - x[8399]).abs() < 1e-6);
        // The replay stopped at the chunk holding `to`.
        assert!((a.audio_seconds - 1.1).abs() < 1e-9, "{}", a.audio_seconds);
    }

    #[test]
    fn events_arrive_in_time_order_with_their_times() {
        let dir = TempDir::new();
        let path = dir.file("beep.wav");
        let mut x = vec![0.0; 8000];
        x.extend(sine(1000.0, 8000, 0.4).iter().map(|v| v * 0.5));
        x.extend(vec![0.0; 16_000]);
        write_wav(&path, 8000, 1, 16, false, &x);
        let mut seen = Vec::new();
        let mut l = Listener::new(
            RecordingSink::default(),
            Window::default(),
            |e: LiveEvent| seen.push(e),
        );
        replay_file(&path, &Config::default(), None, &mut l).unwrap();
        drop(l);
        let tone = seen
            .iter()
            .find(|e| matches!(e.event, Event::ToneStart { .. }))
            .expect("tone start reported");
        assert!((tone.at - 1.0).abs() < 0.1, "{}", tone.at);
        assert!(seen.iter().any(|e| matches!(e.event, Event::Verdict(_))));
        let line = tone.to_string();
        assert!(line.contains("tone starts, 1000 Hz"), "{line}");
    }

    #[test]
    fn a_failing_sink_stops_the_replay_and_reports_the_error() {
        let dir = TempDir::new();
        let (path, _) = ramp_file(&dir);
        let sink = RecordingSink {
            fail_after: Some(3),
            ..Default::default()
        };
        let mut l = Listener::new(sink, Window::default(), |_| {});
        let a = replay_file(&path, &Config::default(), None, &mut l).unwrap();
        assert!((a.audio_seconds - 0.4).abs() < 1e-9);
        let (sink, result) = l.finish();
        assert!(matches!(result, Err(PlaybackError::Device(_))));
        assert!(!sink.drained);
    }
}
