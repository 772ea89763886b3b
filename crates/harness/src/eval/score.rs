//! Scoring one analysed recording against its manifest entry.
//!
//! The scoring rules: a beep counts as found when its onset is within 50 ms of the
//! labelled one; a beep reported on a file without one, or more than 250 ms before the real
//! one, is a false beep (the costly case: the message would start while the greeting still
//! plays). Decision times are measured from the moment a decision became possible: the
//! end of a human's first utterance ("hello?" then silence), the start of a machine's
//! greeting, the file's start otherwise.

use ringside_dsp::Verdict;
use serde::Serialize;

use super::manifest::{Entry, Label};
use crate::replay::{Analysis, BeepSpan};

/// Largest onset error, in ms, for a beep to count as detected.
pub const BEEP_HIT_MS: f64 = 50.0;
/// A beep reported more than this many ms before the real one is a false beep.
pub const FALSE_BEEP_EARLY_MS: f64 = 250.0;

/// How one recording fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileScore {
    /// File name as in the manifest.
    pub file: String,
    pub label: Label,
    pub verdict: Verdict,
    pub cause: String,
    /// The verdict is the label's.
    pub correct: bool,
    /// Seconds from the file's start to the decision.
    pub decided_at: f64,
    /// Seconds from the label's reference point (see the module docs) to the decision.
    pub latency: f64,
    /// The labelled beep onset and end, if any.
    pub beep_at: Option<f64>,
    pub beep_end: Option<f64>,
    /// The (first) beep reported.
    pub beep: Option<BeepSpan>,
    /// Reported minus labelled onset, ms (negative = early).
    pub onset_error_ms: Option<f64>,
    /// Reported minus labelled end, ms.
    pub end_error_ms: Option<f64>,
    /// The labelled beep was found (onset within [`BEEP_HIT_MS`]).
    pub beep_hit: bool,
    /// A beep was reported where there is none, or too early.
    pub false_beep: bool,
    /// A message left at the reported greeting end would start more than
    /// [`BEEP_HIT_MS`] before the labelled beep ends, so the box (which records from the
    /// end of its beep) would cut its start.
    pub message_cut: bool,
    /// The manifest's conditions, to see what the hard files have in common.
    pub conditions: String,
}

impl FileScore {
    /// Scores `analysis` against the truth in `entry`.
    pub fn new(entry: &Entry, analysis: &Analysis) -> Self {
        let reference = match entry.label {
            Label::Human => entry
                .utterances
                .first()
                .map(|u| u.1)
                .or(entry.speech_end)
                .unwrap_or(0.0),
            Label::Machine => entry
                .speech_start
                .or_else(|| entry.utterances.first().map(|u| u.0))
                .unwrap_or(0.0),
            Label::Fax | Label::Silence => 0.0,
        };
        let onset_error_ms = match (entry.beep_at, analysis.beep) {
            (Some(at), Some(b)) => Some((b.start - at) * 1000.0),
            _ => None,
        };
        let end_error_ms = match (entry.beep_end, analysis.beep) {
            (Some(end), Some(b)) => Some((b.end - end) * 1000.0),
            _ => None,
        };
        let beep_hit = onset_error_ms.is_some_and(|e| e.abs() <= BEEP_HIT_MS);
        let false_beep = match (entry.beep_at, analysis.beep) {
            (None, Some(_)) => true,
            (Some(_), Some(_)) => onset_error_ms.is_some_and(|e| e < -FALSE_BEEP_EARLY_MS),
            (_, None) => false,
        };
        let message_cut = analysis.verdict == Verdict::Machine
            && match (entry.beep_end, analysis.greeting_end) {
                (Some(end), Some(g)) => g.at < end - BEEP_HIT_MS / 1000.0,
                _ => false,
            };
        Self {
            file: entry.file.clone(),
            label: entry.label,
            verdict: analysis.verdict,
            cause: analysis.cause_text().to_owned(),
            correct: analysis.verdict == entry.label.verdict(),
            decided_at: analysis.decided_at,
            latency: analysis.decided_at - reference,
            beep_at: entry.beep_at,
            beep_end: entry.beep_end,
            beep: analysis.beep,
            onset_error_ms,
            end_error_ms,
            beep_hit,
            false_beep,
            message_cut,
            conditions: entry.conditions.clone(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ringside_dsp::Cause;

    pub(crate) fn entry(label: Label, beep: Option<(f64, f64)>, utt: &[(f64, f64)]) -> Entry {
        Entry {
            file: format!("{label}.wav"),
            label,
            beep_at: beep.map(|b| b.0),
            beep_end: beep.map(|b| b.1),
            speech_start: utt.first().map(|u| u.0),
            speech_end: utt.last().map(|u| u.1),
            utterances: utt.to_vec(),
            source: String::new(),
            conditions: String::new(),
            extra: Default::default(),
        }
    }

    pub(crate) fn analysis(verdict: Verdict, at: f64, beep: Option<(f64, f64)>) -> Analysis {
        Analysis {
            verdict,
            cause: Some(Cause::LongGreeting),
            decided_at: at,
            greeting_end: None,
            silence_end_before_beep: None,
            beep: beep.map(|(start, end)| BeepSpan {
                start,
                end,
                freq_hz: 1000.0,
            }),
            beeps: Vec::new(),
            speech: Vec::new(),
            tones: Vec::new(),
            dtmf: Vec::new(),
            audio_seconds: 10.0,
            source: None,
        }
    }

    #[test]
    fn human_latency_counts_from_first_utterance_end() {
        let e = entry(Label::Human, None, &[(0.5, 1.0), (3.0, 3.5)]);
        let s = FileScore::new(&e, &analysis(Verdict::Human, 1.75, None));
        assert!(s.correct);
        assert_eq!(s.latency, 0.75);
        assert!(!s.false_beep);
    }

    #[test]
    fn machine_latency_counts_from_speech_start() {
        let e = entry(Label::Machine, Some((8.0, 8.5)), &[(1.0, 7.0)]);
        let s = FileScore::new(&e, &analysis(Verdict::Machine, 3.0, Some((8.02, 8.49))));
        assert_eq!(s.latency, 2.0);
        assert!(s.beep_hit);
        assert!((s.onset_error_ms.unwrap_or(0.0) - 20.0).abs() < 1e-9);
        assert!((s.end_error_ms.unwrap_or(0.0) + 10.0).abs() < 1e-9);
        assert!(!s.false_beep);
    }

    #[test]
    fn beep_rules() {
        let e = entry(Label::Machine, Some((8.0, 8.5)), &[(1.0, 7.0)]);
        let score = |b| FileScore::new(&e, &analysis(Verdict::Machine, 3.0, Some(b)));
        // 60 ms late: not a hit, not false.
        let late = score((8.06, 8.5));
        assert!(!late.beep_hit && !late.false_beep);
        // exactly 50 ms early: a hit.
        assert!(score((7.95, 8.5)).beep_hit);
        // 300 ms early: false.
        let early = score((7.7, 8.5));
        assert!(!early.beep_hit && early.false_beep);
        // on a file without beep: false.
        let h = entry(Label::Human, None, &[(0.5, 1.0)]);
        assert!(FileScore::new(&h, &analysis(Verdict::Human, 2.0, Some((4.0, 4.2)))).false_beep);
    }

    #[test]
    fn a_message_left_before_the_beep_ends_is_cut() {
        use crate::replay::GreetingEndAt;
        use ringside_dsp::GreetingEndKind;
        let e = entry(Label::Machine, Some((5.0, 5.5)), &[(0.5, 4.0)]);
        let ended_at = |at| {
            let mut a = analysis(Verdict::Machine, 3.0, Some((5.0, 5.5)));
            a.greeting_end = Some(GreetingEndAt {
                kind: GreetingEndKind::Silence,
                at,
            });
            FileScore::new(&e, &a).message_cut
        };
        assert!(
            ended_at(4.8),
            "a silence end before the beep cuts the message"
        );
        assert!(!ended_at(5.5), "at the beep's end it does not");
        assert!(!ended_at(5.47), "within the 50 ms tolerance it does not");
        let mut human = analysis(Verdict::Human, 3.0, None);
        human.greeting_end = None;
        assert!(
            !FileScore::new(&e, &human).message_cut,
            "no message is left"
        );
    }
}
