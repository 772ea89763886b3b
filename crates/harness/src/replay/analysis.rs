//! What the detector said about one recording, in seconds.
//!
//! The detector speaks in events stamped with sample offsets; [`EventCollector`] gathers
//! them into an [`Analysis`]: the verdict, the greeting's end, the beep, and paired
//! speech/tone spans, all in seconds from the file's first sample.

use ringside_dsp::{Cause, Event, GreetingEndKind, SampleOffset, Verdict};
use serde::Serialize;

use ringside_audio::SourceInfo;

/// Everything the detector reported on one recording. Times are seconds from the first
/// sample of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Who answered.
    pub verdict: Verdict,
    /// Why; `None` when the detector emitted no verdict at all (a detector bug: it must
    /// emit exactly one), in which case `verdict` is `Unknown`.
    pub cause: Option<Cause>,
    /// When the verdict was reached (the end of the audio if it never was).
    pub decided_at: f64,
    /// For machines, how and when the greeting ended: where a message may start. A beep
    /// that came after the greeting had been declared over by silence (a late beep) moves
    /// it to that beep.
    pub greeting_end: Option<GreetingEndAt>,
    /// The silence end that a late beep replaced, seconds (`None` otherwise).
    pub silence_end_before_beep: Option<f64>,
    /// The first voicemail beep.
    pub beep: Option<BeepSpan>,
    /// Every beep reported, in order (normally at most one).
    pub beeps: Vec<BeepSpan>,
    /// Speech segments `(start, end)`; a segment still open at the end closes there.
    pub speech: Vec<(f64, f64)>,
    /// Steady tones (beep candidates, call-progress and fax tones).
    pub tones: Vec<ToneSpan>,
    /// DTMF digits.
    pub dtmf: Vec<DtmfSpan>,
    /// Length of the audio the detector was given.
    pub audio_seconds: f64,
    /// The file's format before downmix and resampling; `None` for in-memory audio.
    pub source: Option<SourceInfo>,
}

impl Analysis {
    /// The cause as printed by the CLI.
    pub fn cause_text(&self) -> &'static str {
        self.cause
            .map_or("no verdict from the detector", Cause::as_str)
    }
}

/// The end of a machine's greeting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GreetingEndAt {
    pub kind: GreetingEndKind,
    /// Seconds.
    pub at: f64,
}

/// A beep: onset of its first burst to the end of its last, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BeepSpan {
    pub start: f64,
    pub end: f64,
    pub freq_hz: f64,
}

/// A steady tone, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ToneSpan {
    pub start: f64,
    pub end: f64,
    pub freq_hz: f64,
}

/// A DTMF key press, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DtmfSpan {
    pub digit: char,
    pub start: f64,
    pub end: f64,
}

/// Gathers detector events into an [`Analysis`].
///
/// Feed it every slice the detector returns, from `process` and then `finish`, in order.
/// It tolerates a detector that repeats or omits events (keeping the first verdict, beep
/// and greeting end, ignoring an end without a start) rather than failing the replay;
/// such slips are logged.
#[derive(Debug)]
pub struct EventCollector {
    rate: f64,
    decision: Option<(Verdict, Cause, SampleOffset)>,
    greeting_end: Option<GreetingEndAt>,
    silence_end_before_beep: Option<f64>,
    beeps: Vec<BeepSpan>,
    speech: Vec<(f64, f64)>,
    speech_open: Option<SampleOffset>,
    tones: Vec<ToneSpan>,
    tone_open: Option<SampleOffset>,
    dtmf: Vec<DtmfSpan>,
}

impl EventCollector {
    /// A collector for events stamped at `sample_rate` Hz.
    pub fn new(sample_rate: u32) -> Self {
        Self {
            rate: f64::from(sample_rate.max(1)),
            decision: None,
            greeting_end: None,
            silence_end_before_beep: None,
            beeps: Vec::new(),
            speech: Vec::new(),
            speech_open: None,
            tones: Vec::new(),
            tone_open: None,
            dtmf: Vec::new(),
        }
    }

    fn secs(&self, at: SampleOffset) -> f64 {
        at as f64 / self.rate
    }

    /// Takes the events of one `process` or `finish` call.
    pub fn push(&mut self, events: &[Event]) {
        for event in events {
            self.push_one(event);
        }
    }

    fn push_one(&mut self, event: &Event) {
        match *event {
            Event::SpeechStart { at } => {
                if self.speech_open.is_none() {
                    self.speech_open = Some(at);
                } else {
                    tracing::debug!(at, "speech start while speech is open; ignored");
                }
            }
            Event::SpeechEnd { at } => match self.speech_open.take() {
                Some(start) => self.speech.push((self.secs(start), self.secs(at))),
                None => tracing::debug!(at, "speech end without a start; ignored"),
            },
            Event::ToneStart { at, .. } => {
                // A new tone implicitly ends an unterminated one at its own start.
                if let Some(start) = self.tone_open.replace(at) {
                    tracing::debug!(at, "tone start while a tone is open");
                    self.tones.push(ToneSpan {
                        start: self.secs(start),
                        end: self.secs(at),
                        freq_hz: f64::NAN,
                    });
                }
            }
            Event::ToneEnd { at, freq_hz } => match self.tone_open.take() {
                Some(start) => self.tones.push(ToneSpan {
                    start: self.secs(start),
                    end: self.secs(at),
                    freq_hz: f64::from(freq_hz),
                }),
                None => tracing::debug!(at, "tone end without a start; ignored"),
            },
            Event::Beep(b) => self.beeps.push(BeepSpan {
                start: self.secs(b.start),
                end: self.secs(b.end),
                freq_hz: f64::from(b.freq_hz),
            }),
            Event::Dtmf(d) => self.dtmf.push(DtmfSpan {
                digit: d.digit.as_char(),
                start: self.secs(d.start),
                end: self.secs(d.end),
            }),
            Event::Verdict(d) => {
                if self.decision.is_none() {
                    self.decision = Some((d.verdict, d.cause, d.at));
                } else {
                    tracing::warn!(verdict = %d.verdict, "second verdict from the detector; ignored");
                }
            }
            Event::GreetingEnd(g) => {
                let end = GreetingEndAt {
                    kind: g.kind,
                    at: self.secs(g.at),
                };
                match self.greeting_end {
                    None => self.greeting_end = Some(end),
                    // The detector keeps listening after a silence end; a beep it then
                    // hears is where the box really starts recording.
                    Some(first)
                        if first.kind == GreetingEndKind::Silence
                            && end.kind == GreetingEndKind::Beep =>
                    {
                        self.silence_end_before_beep = Some(first.at);
                        self.greeting_end = Some(end);
                    }
                    Some(_) => tracing::warn!(at = end.at, "another greeting end; ignored"),
                }
            }
        }
    }

    /// The analysis of a stream of `total_samples` samples.
    pub fn finish(mut self, total_samples: u64, source: Option<SourceInfo>) -> Analysis {
        let end = self.secs(total_samples);
        if let Some(start) = self.speech_open.take() {
            self.speech.push((self.secs(start), end));
        }
        if let Some(start) = self.tone_open.take() {
            self.tones.push(ToneSpan {
                start: self.secs(start),
                end,
                freq_hz: f64::NAN,
            });
        }
        let (verdict, cause, decided_at) = match self.decision {
            Some((v, c, at)) => (v, Some(c), self.secs(at)),
            None => {
                tracing::warn!("the detector emitted no verdict");
                (Verdict::Unknown, None, end)
            }
        };
        Analysis {
            verdict,
            cause,
            decided_at,
            greeting_end: self.greeting_end,
            silence_end_before_beep: self.silence_end_before_beep,
            beep: self.beeps.first().copied(),
            beeps: self.beeps,
            speech: self.speech,
            tones: self.tones,
            dtmf: self.dtmf,
            audio_seconds: end,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringside_dsp::{Beep, Decision, DtmfDigit, DtmfTone, GreetingEnd};

    #[test]
    fn pairs_speech_and_converts_to_seconds() {
        let mut c = EventCollector::new(8000);
        c.push(&[
            Event::SpeechStart { at: 8000 },
            Event::SpeechEnd { at: 12000 },
            Event::Verdict(Decision {
                verdict: Verdict::Machine,
                cause: Cause::LongGreeting,
                at: 20000,
            }),
        ]);
        c.push(&[
            Event::SpeechStart { at: 24000 },
            Event::Beep(Beep {
                start: 40000,
                end: 44000,
                freq_hz: 1000.0,
            }),
            Event::GreetingEnd(GreetingEnd {
                kind: GreetingEndKind::Beep,
                at: 44000,
            }),
            Event::Dtmf(DtmfTone {
                digit: DtmfDigit::Star,
                start: 800,
                end: 1600,
            }),
        ]);
        let a = c.finish(48000, None);
        assert_eq!(a.verdict, Verdict::Machine);
        assert_eq!(a.cause, Some(Cause::LongGreeting));
        assert_eq!(a.decided_at, 2.5);
        assert_eq!(a.speech, [(1.0, 1.5), (3.0, 6.0)]);
        assert_eq!(
            a.beep,
            Some(BeepSpan {
                start: 5.0,
                end: 5.5,
                freq_hz: 1000.0
            })
        );
        assert_eq!(a.greeting_end.map(|g| g.at), Some(5.5));
        assert_eq!(a.dtmf[0].digit, '*');
        assert_eq!(a.audio_seconds, 6.0);
    }

    #[test]
    fn a_late_beep_moves_the_greeting_end_and_keeps_the_silence_end() {
        let end = |kind, at| Event::GreetingEnd(GreetingEnd { kind, at });
        let mut c = EventCollector::new(8000);
        c.push(&[end(GreetingEndKind::Silence, 40_000)]);
        c.push(&[
            Event::Beep(Beep {
                start: 80_000,
                end: 84_000,
                freq_hz: 1000.0,
            }),
            end(GreetingEndKind::Beep, 84_000),
            // Anything after the beep's end does not move it again.
            end(GreetingEndKind::Silence, 120_000),
        ]);
        let a = c.finish(128_000, None);
        assert_eq!(
            a.greeting_end,
            Some(GreetingEndAt {
                kind: GreetingEndKind::Beep,
                at: 10.5
            })
        );
        assert_eq!(a.silence_end_before_beep, Some(5.0));
        assert_eq!(a.beep.map(|b| b.start), Some(10.0));
    }

    #[test]
    fn missing_verdict_is_unknown_at_the_end() {
        let mut c = EventCollector::new(16000);
        c.push(&[Event::SpeechEnd { at: 5 }]);
        let a = c.finish(32000, None);
        assert_eq!(a.verdict, Verdict::Unknown);
        assert_eq!(a.cause, None);
        assert_eq!(a.decided_at, 2.0);
        assert!(a.speech.is_empty());
        assert_eq!(a.cause_text(), "no verdict from the detector");
    }

    #[test]
    fn first_verdict_wins() {
        let mut c = EventCollector::new(8000);
        let d = |verdict, at| {
            Event::Verdict(Decision {
                verdict,
                cause: Cause::ShortGreeting,
                at,
            })
        };
        c.push(&[d(Verdict::Human, 800), d(Verdict::Machine, 1600)]);
        assert_eq!(c.finish(8000, None).verdict, Verdict::Human);
    }
}
