//! The evaluation report: how a corpus run compares with the labels.
//!
//! Rates are fractions (0..=1) and `None` when their denominator is empty (a corpus with
//! no fax files has no fax recall, rather than a recall of 0 or 1). Decision times are in
//! seconds, beep timing errors in milliseconds.

use ringside_dsp::Verdict;
use serde::Serialize;

use super::manifest::Label;
use super::outcome::FileOutcome;
use super::score::FileScore;
use super::stats::{Distribution, ratio};

/// How many files the slowest/worst-beep lists keep.
pub const WORST_LIST_LEN: usize = 10;

/// Everything `ringside eval` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Files listed in the manifest.
    pub files: usize,
    /// Files analysed (listed minus failures).
    pub analysed: usize,
    /// Files that could not be read.
    pub failures: Vec<FileFailure>,
    pub confusion: Confusion,
    /// Per label: recall, precision and decision times from the file's start.
    pub classes: Vec<ClassStats>,
    /// Correct verdicts over analysed files.
    pub accuracy: Option<f64>,
    /// Humans called machine, over human files (the costly error).
    pub human_as_machine: Option<f64>,
    /// Machines called human, over machine files.
    pub machine_as_human: Option<f64>,
    /// Human files: decision time after the end of the first utterance, s.
    pub human_decision_after_first_utterance: Distribution,
    /// Machine files: decision time after the greeting starts, s.
    pub machine_decision_after_speech_start: Distribution,
    pub beeps: BeepStats,
    /// Misclassified files, costliest first (human→machine, then machine→human, others).
    pub wrong: Vec<FileScore>,
    /// The files decided latest after their reference point.
    pub slowest: Vec<FileScore>,
    /// Missed, badly placed and false beeps, worst first.
    pub worst_beeps: Vec<FileScore>,
    /// Every analysed file, in manifest order.
    pub per_file: Vec<FileScore>,
}

/// A file that could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFailure {
    pub file: String,
    pub error: String,
}

/// Counts of (label, verdict) pairs. Rows follow [`Label::ALL`], columns [`Verdict::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub labels: [Label; 4],
    pub verdicts: [Verdict; 5],
    pub counts: [[usize; 5]; 4],
}

impl Confusion {
    fn new() -> Self {
        Self {
            labels: Label::ALL,
            verdicts: Verdict::ALL,
            counts: [[0; 5]; 4],
        }
    }

    /// How many files with `label` got `verdict`.
    pub fn get(&self, label: Label, verdict: Verdict) -> usize {
        self.counts[label.index()][verdict_index(verdict)]
    }

    /// Files with `label`.
    pub fn row_total(&self, label: Label) -> usize {
        self.counts[label.index()].iter().sum()
    }

    /// Files that got `verdict`.
    pub fn column_total(&self, verdict: Verdict) -> usize {
        self.counts
            .iter()
            .map(|row| row[verdict_index(verdict)])
            .sum()
    }
}

fn verdict_index(v: Verdict) -> usize {
    match v {
        Verdict::Human => 0,
        Verdict::Machine => 1,
        Verdict::Fax => 2,
        Verdict::Silence => 3,
        Verdict::Unknown => 4,
    }
}

/// How one label fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassStats {
    pub label: Label,
    pub files: usize,
    pub correct: usize,
    /// Correct over files with this label.
    pub recall: Option<f64>,
    /// Correct over files given this label's verdict.
    pub precision: Option<f64>,
    /// Decision time from the file's start, s.
    pub decision: Distribution,
}

/// Beep detection and timing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeepStats {
    /// Files with a labelled beep.
    pub labelled: usize,
    /// Of those, files where any beep was reported.
    pub reported: usize,
    /// Of those, beeps found with the onset within 50 ms.
    pub hits: usize,
    /// `hits / labelled`.
    pub recall: Option<f64>,
    /// |onset error|, ms, over files with both a labelled and a reported beep.
    pub onset_error_ms: Distribution,
    /// |end error|, ms, over the same files.
    pub end_error_ms: Distribution,
    /// Median signed onset error, ms (negative: reported early).
    pub onset_bias_ms: Option<f64>,
    /// False beeps (on a file without one, or > 250 ms early), all labels.
    pub false_beeps: usize,
    /// False beeps per label, in [`Label::ALL`] order.
    pub false_beeps_by_label: [usize; 4],
    /// Machine files whose message would start before the beep ends (see
    /// [`FileScore::message_cut`]).
    pub messages_cut: usize,
}

impl EvalReport {
    /// Scores the outcomes of a corpus run.
    pub fn from_outcomes(outcomes: &[FileOutcome]) -> Self {
        let mut failures = Vec::new();
        let mut scores = Vec::new();
        for o in outcomes {
            match &o.result {
                Ok(a) => scores.push(FileScore::new(&o.entry, a)),
                Err(e) => failures.push(FileFailure {
                    file: o.entry.file.clone(),
                    error: e.to_string(),
                }),
            }
        }
        Self::from_scores(outcomes.len(), failures, scores)
    }

    /// The report for already scored files (`files` listed in all, `failures` unread).
    pub fn from_scores(files: usize, failures: Vec<FileFailure>, scores: Vec<FileScore>) -> Self {
        let mut confusion = Confusion::new();
        for s in &scores {
            confusion.counts[s.label.index()][verdict_index(s.verdict)] += 1;
        }
        let classes = Label::ALL
            .iter()
            .map(|&label| {
                let files = confusion.row_total(label);
                let correct = confusion.get(label, label.verdict());
                ClassStats {
                    label,
                    files,
                    correct,
                    recall: ratio(correct, files),
                    precision: ratio(correct, confusion.column_total(label.verdict())),
                    decision: Distribution::of(
                        scores
                            .iter()
                            .filter(|s| s.label == label)
                            .map(|s| s.decided_at),
                    ),
                }
            })
            .collect();
        let correct = scores.iter().filter(|s| s.correct).count();
        let latency_of = |label: Label| {
            Distribution::of(
                scores
                    .iter()
                    .filter(|s| s.label == label)
                    .map(|s| s.latency),
            )
        };
        Self {
            files,
            analysed: scores.len(),
            failures,
            accuracy: ratio(correct, scores.len()),
            human_as_machine: ratio(
                confusion.get(Label::Human, Verdict::Machine),
                confusion.row_total(Label::Human),
            ),
            machine_as_human: ratio(
                confusion.get(Label::Machine, Verdict::Human),
                confusion.row_total(Label::Machine),
            ),
            human_decision_after_first_utterance: latency_of(Label::Human),
            machine_decision_after_speech_start: latency_of(Label::Machine),
            beeps: beep_stats(&scores),
            confusion,
            classes,
            wrong: wrong_files(&scores),
            slowest: slowest_files(&scores),
            worst_beeps: worst_beeps(&scores),
            per_file: scores,
        }
    }

    /// The stats of one label.
    pub fn class(&self, label: Label) -> Option<&ClassStats> {
        self.classes.iter().find(|c| c.label == label)
    }
}

fn beep_stats(scores: &[FileScore]) -> BeepStats {
    let labelled: Vec<&FileScore> = scores.iter().filter(|s| s.beep_at.is_some()).collect();
    let onset: Vec<f64> = labelled.iter().filter_map(|s| s.onset_error_ms).collect();
    let mut false_beeps_by_label = [0; 4];
    for s in scores.iter().filter(|s| s.false_beep) {
        false_beeps_by_label[s.label.index()] += 1;
    }
    let hits = labelled.iter().filter(|s| s.beep_hit).count();
    BeepStats {
        labelled: labelled.len(),
        reported: onset.len(),
        hits,
        recall: ratio(hits, labelled.len()),
        onset_error_ms: Distribution::of(onset.iter().map(|e| e.abs())),
        end_error_ms: Distribution::of(
            labelled.iter().filter_map(|s| s.end_error_ms).map(f64::abs),
        ),
        onset_bias_ms: Distribution::of(onset.iter().copied()).median,
        false_beeps: false_beeps_by_label.iter().sum(),
        false_beeps_by_label,
        messages_cut: scores.iter().filter(|s| s.message_cut).count(),
    }
}

/// Misclassifications, costliest kind first, then the latest decided.
fn wrong_files(scores: &[FileScore]) -> Vec<FileScore> {
    let severity = |s: &FileScore| match (s.label, s.verdict) {
        (Label::Human, Verdict::Machine) => 0,
        (Label::Machine, Verdict::Human) => 1,
        _ => 2,
    };
    let mut wrong: Vec<FileScore> = scores.iter().filter(|s| !s.correct).cloned().collect();
    wrong.sort_by(|a, b| {
        severity(a)
            .cmp(&severity(b))
            .then(b.latency.total_cmp(&a.latency))
            .then(a.file.cmp(&b.file))
    });
    wrong
}

fn slowest_files(scores: &[FileScore]) -> Vec<FileScore> {
    let mut all: Vec<FileScore> = scores.to_vec();
    all.sort_by(|a, b| b.latency.total_cmp(&a.latency).then(a.file.cmp(&b.file)));
    all.truncate(WORST_LIST_LEN);
    all
}

/// Files with a beep problem: false beeps first, then misses (no beep reported), then
/// by how far off the onset was.
fn worst_beeps(scores: &[FileScore]) -> Vec<FileScore> {
    // (kind, size): false beeps, then misses, then late/early hits; larger errors first.
    let badness = |s: &FileScore| {
        let size = s.onset_error_ms.map_or(f64::MAX, f64::abs);
        (
            u8::from(s.false_beep) * 2 + u8::from(s.beep.is_none()),
            size,
        )
    };
    let mut bad: Vec<FileScore> = scores
        .iter()
        .filter(|s| s.false_beep || (s.beep_at.is_some() && !s.beep_hit))
        .cloned()
        .collect();
    bad.sort_by(|a, b| {
        let ((ka, sa), (kb, sb)) = (badness(a), badness(b));
        kb.cmp(&ka)
            .then(sb.total_cmp(&sa))
            .then(a.file.cmp(&b.file))
    });
    bad.truncate(WORST_LIST_LEN);
    bad
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::eval::score::tests::{analysis, entry};

    fn outcome(
        index: usize,
        e: crate::eval::manifest::Entry,
        a: crate::replay::Analysis,
    ) -> FileOutcome {
        FileOutcome {
            index,
            entry: e,
            result: Ok(a),
        }
    }

    /// 4 humans (one called machine), 4 machines (one called human, one missed beep),
    /// 1 fax (right), 1 silence (called unknown, with a false beep), 1 unreadable file.
    pub(crate) fn sample_report() -> EvalReport {
        let h = |i, v, at| {
            let mut e = entry(Label::Human, None, &[(0.5, 1.0)]);
            e.file = format!("h{i}.wav");
            outcome(i, e, analysis(v, at, None))
        };
        let m = |i, v, at, beep| {
            let mut e = entry(Label::Machine, Some((8.0, 8.5)), &[(1.0, 7.0)]);
            e.file = format!("m{i}.wav");
            outcome(i, e, analysis(v, at, beep))
        };
        let mut outcomes = vec![
            h(0, Verdict::Human, 1.5),
            h(1, Verdict::Human, 2.0),
            h(2, Verdict::Human, 1.8),
            h(3, Verdict::Machine, 3.0),
            m(4, Verdict::Machine, 3.0, Some((8.005, 8.5))),
            m(5, Verdict::Machine, 4.0, Some((7.99, 8.52))),
            m(6, Verdict::Machine, 3.5, None),
            m(7, Verdict::Human, 2.0, Some((8.02, 8.5))),
            outcome(
                8,
                entry(Label::Fax, None, &[]),
                analysis(Verdict::Fax, 1.0, None),
            ),
            outcome(
                9,
                entry(Label::Silence, None, &[]),
                analysis(Verdict::Unknown, 6.0, Some((2.0, 2.3))),
            ),
        ];
        let mut bad = entry(Label::Human, None, &[(0.5, 1.0)]);
        bad.file = "bad.wav".into();
        outcomes.push(FileOutcome {
            index: 10,
            entry: bad,
            result: Err(crate::replay::AnalyzeError::Audio(
                ringside_audio::AudioError::new(
                    "bad.wav",
                    ringside_audio::AudioErrorKind::EmptyFile,
                ),
            )),
        });
        EvalReport::from_outcomes(&outcomes)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn counts_and_rates() {
        let r = sample_report();
        assert_eq!(r.files, 11);
        assert_eq!(r.analysed, 10);
        assert_eq!(r.failures.len(), 1);
        assert_eq!(r.confusion.get(Label::Human, Verdict::Machine), 1);
        assert_eq!(r.confusion.get(Label::Silence, Verdict::Unknown), 1);
        assert!(close(r.accuracy, 7.0 / 10.0));
        assert!(close(r.human_as_machine, 0.25));
        assert!(close(r.machine_as_human, 0.25));
        let human = r.class(Label::Human).unwrap();
        assert!(close(human.recall, 0.75));
        // Verdict human given 4 times (3 humans + 1 machine).
        assert!(close(human.precision, 0.75));
        let silence = r.class(Label::Silence).unwrap();
        assert!(close(silence.recall, 0.0));
        assert_eq!(silence.precision, None);
    }

    #[test]
    fn decision_times_from_reference_points() {
        let r = sample_report();
        // Human latencies after 1.0 s: 0.5, 1.0, 0.8, 2.0 → median 0.9.
        assert!(close(r.human_decision_after_first_utterance.median, 0.9));
        assert!(close(r.human_decision_after_first_utterance.max, 2.0));
        // Machine latencies after 1.0 s: 2, 3, 2.5, 1 → median 2.25.
        assert!(close(r.machine_decision_after_speech_start.median, 2.25));
        let human = r.class(Label::Human).unwrap();
        assert!(close(human.decision.median, 1.9));
    }

    #[test]
    fn beep_metrics() {
        let r = sample_report();
        let b = &r.beeps;
        assert_eq!(b.labelled, 4);
        assert_eq!(b.reported, 3);
        assert_eq!(b.hits, 3);
        assert!(close(b.recall, 0.75));
        // |onset errors| 5, 10, 20 ms.
        assert!((b.onset_error_ms.median.unwrap() - 10.0).abs() < 1e-6);
        assert!((b.onset_error_ms.max.unwrap() - 20.0).abs() < 1e-6);
        // Signed 5, -10, 20 → median 5.
        assert!((b.onset_bias_ms.unwrap() - 5.0).abs() < 1e-6);
        assert!((b.end_error_ms.max.unwrap() - 20.0).abs() < 1e-6);
        assert_eq!(b.false_beeps, 1);
        assert_eq!(b.false_beeps_by_label, [0, 0, 0, 1]);
    }

    #[test]
    fn worst_lists_are_ordered() {
        let r = sample_report();
        assert_eq!(r.wrong.len(), 3);
        assert_eq!(r.wrong[0].file, "h3.wav", "human→machine first");
        assert_eq!(r.wrong[1].file, "m7.wav");
        assert_eq!(r.slowest[0].file, "silence.wav");
        assert_eq!(r.worst_beeps[0].file, "silence.wav", "false beeps first");
        assert_eq!(r.worst_beeps[1].file, "m6.wav", "then misses");
        assert_eq!(r.per_file.len(), 10);
    }
}
