//! The caller's answering-machine detector: a real [`ringside_dsp::Detector`] listening to
//! the callee's audio from `StartDetection` on, its events turned into the call's
//! [`DetectorEvent`]s and into a [`DetectorReport`] for people.

use ringside_call::{DetectorEvent, Duration, GreetingEnd, Instant, Verdict};
use ringside_dsp::{Config, ConfigError, Detector, Event, GreetingEndKind};
use serde::{Serialize, Serializer};

use super::signals::SAMPLES_PER_MS;

/// What the detector said during one call (times in ms since the scenario's epoch).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DetectorReport {
    /// Who answered (serialised as `human`, `machine`, `fax`, `silence` or `unknown`).
    #[serde(serialize_with = "verdict_name")]
    pub verdict: Option<Verdict>,
    /// Why, in the detector's words.
    pub cause: Option<&'static str>,
    /// When the verdict was reached (on the line's clock).
    pub decided_at_ms: Option<u64>,
    /// How the greeting ended (serialised as `beep`, `silence` or `timeout`).
    #[serde(serialize_with = "greeting_end_name")]
    pub greeting_end: Option<GreetingEnd>,
    /// When the greeting ended (for a beep, the beep's end).
    pub greeting_end_at_ms: Option<u64>,
    /// The beep, if one was heard: start, end (ms) and frequency (Hz).
    pub beep: Option<(u64, u64, f32)>,
}

/// The call model's names for verdicts, which the scenario files and reports use.
fn verdict_name<S: Serializer>(v: &Option<Verdict>, s: S) -> Result<S::Ok, S::Error> {
    v.map(Verdict::as_str).serialize(s)
}

/// The call model's names for greeting ends.
fn greeting_end_name<S: Serializer>(g: &Option<GreetingEnd>, s: S) -> Result<S::Ok, S::Error> {
    g.map(GreetingEnd::as_str).serialize(s)
}

/// One running detection.
#[derive(Debug)]
pub struct Amd {
    detector: Detector,
    started: Instant,
}

/// Something the detector found, already placed on the line's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// For the call, if it concerns it.
    pub event: Option<DetectorEvent>,
    /// For the timeline.
    pub note: String,
}

impl Amd {
    /// Starts listening at `started` (the detector's sample 0).
    pub fn new(config: &Config, started: Instant) -> Result<Self, ConfigError> {
        Ok(Amd {
            detector: Detector::new(config.clone())?,
            started,
        })
    }

    /// Feeds one frame of the callee's audio; appends what it found.
    pub fn process(&mut self, frame: &[f32], report: &mut DetectorReport, found: &mut Vec<Found>) {
        let started = self.started;
        let at = |s: u64| started + Duration::from_millis(s / SAMPLES_PER_MS);
        for ev in self.detector.process(frame) {
            match *ev {
                Event::Verdict(d) => {
                    let verdict = match d.verdict {
                        ringside_dsp::Verdict::Human => Verdict::Human,
                        ringside_dsp::Verdict::Machine => Verdict::Machine,
                        ringside_dsp::Verdict::Fax => Verdict::Fax,
                        ringside_dsp::Verdict::Silence => Verdict::Silence,
                        ringside_dsp::Verdict::Unknown => Verdict::Unknown,
                    };
                    report.verdict = Some(verdict);
                    report.cause = Some(d.cause.as_str());
                    report.decided_at_ms = Some(at(d.at).as_millis());
                    found.push(Found {
                        event: Some(DetectorEvent::Verdict(verdict)),
                        note: format!(
                            "amd: verdict {} ({}), decided at {}",
                            verdict.as_str(),
                            d.cause,
                            at(d.at)
                        ),
                    });
                }
                Event::GreetingEnd(g) => {
                    let end = match g.kind {
                        GreetingEndKind::Beep => GreetingEnd::Beep,
                        GreetingEndKind::Silence => GreetingEnd::Silence,
                        GreetingEndKind::Timeout => GreetingEnd::Timeout,
                    };
                    report.greeting_end = Some(end);
                    report.greeting_end_at_ms = Some(at(g.at).as_millis());
                    found.push(Found {
                        event: Some(DetectorEvent::GreetingEnded(end)),
                        note: format!("amd: greeting ended ({}) at {}", end.as_str(), at(g.at)),
                    });
                }
                Event::Beep(b) => {
                    report.beep = Some((at(b.start).as_millis(), at(b.end).as_millis(), b.freq_hz));
                    found.push(Found {
                        event: None,
                        note: format!(
                            "amd: beep {}–{} ({:.0} Hz)",
                            at(b.start),
                            at(b.end),
                            b.freq_hz
                        ),
                    });
                }
                _ => {}
            }
        }
    }
}
