//! The pass/fail bar for an evaluation: the acceptance targets a release of the detector must meet.
//!
//! A metric whose denominator is empty (no fax files in the corpus, say) is not checked:
//! there is nothing to hold against the bar. A metric that should exist but does not
//! (beep timing when beeps are labelled but none was reported) fails.

use serde::Serialize;

use super::manifest::Label;
use super::report::EvalReport;

/// Thresholds an evaluation must meet. Rates are fractions, times seconds or ms as named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Targets {
    pub min_accuracy: f64,
    pub max_human_as_machine: f64,
    pub max_machine_as_human: f64,
    pub min_fax_recall: f64,
    pub min_silence_recall: f64,
    pub min_beep_recall: f64,
    pub max_beep_onset_median_ms: f64,
    pub max_beep_onset_p95_ms: f64,
    /// False beeps allowed on human, fax and silence files together.
    pub max_false_beeps_non_machine: usize,
    /// Median human decision time after the end of the first utterance, s.
    pub max_human_decision_median_s: f64,
    /// Median machine decision time after the greeting starts, s.
    pub max_machine_decision_median_s: f64,
    /// Machine files whose message would start before the beep ends.
    pub max_messages_cut: usize,
}

impl Default for Targets {
    /// The acceptance targets.
    fn default() -> Self {
        Self {
            min_accuracy: 0.98,
            max_human_as_machine: 0.01,
            max_machine_as_human: 0.02,
            min_fax_recall: 0.95,
            min_silence_recall: 0.95,
            min_beep_recall: 0.97,
            max_beep_onset_median_ms: 10.0,
            max_beep_onset_p95_ms: 30.0,
            max_false_beeps_non_machine: 0,
            max_human_decision_median_s: 0.8,
            max_machine_decision_median_s: 2.5,
            max_messages_cut: 0,
        }
    }
}

/// A target that was not met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetMiss {
    /// What is measured, e.g. `"accuracy"`.
    pub name: &'static str,
    /// The bar, e.g. `">= 97.0%"`.
    pub wanted: String,
    /// What was measured, e.g. `"95.6%"` or `"none measured"`.
    pub got: String,
}

impl std::fmt::Display for TargetMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} (wanted {})", self.name, self.got, self.wanted)
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

impl Targets {
    /// The targets `report` misses; empty when it meets them all.
    pub fn check(&self, report: &EvalReport) -> Vec<TargetMiss> {
        let mut misses = Vec::new();
        let mut at_least = |name, got: Option<f64>, min: f64, show: fn(f64) -> String| {
            if let Some(g) = got.filter(|g| *g < min) {
                misses.push(TargetMiss {
                    name,
                    wanted: format!(">= {}", show(min)),
                    got: show(g),
                });
            }
        };
        at_least("accuracy", report.accuracy, self.min_accuracy, pct);
        let recall = |l| report.class(l).and_then(|c| c.recall);
        at_least(
            "fax classified as fax",
            recall(Label::Fax),
            self.min_fax_recall,
            pct,
        );
        at_least(
            "silence classified as silence",
            recall(Label::Silence),
            self.min_silence_recall,
            pct,
        );
        at_least(
            "beep recall (onset within 50 ms)",
            report.beeps.recall,
            self.min_beep_recall,
            pct,
        );

        let mut at_most = |name, got: Option<f64>, max: f64, show: fn(f64) -> String| {
            if let Some(g) = got.filter(|g| *g > max) {
                misses.push(TargetMiss {
                    name,
                    wanted: format!("<= {}", show(max)),
                    got: show(g),
                });
            }
        };
        at_most(
            "humans called machine",
            report.human_as_machine,
            self.max_human_as_machine,
            pct,
        );
        at_most(
            "machines called human",
            report.machine_as_human,
            self.max_machine_as_human,
            pct,
        );
        let ms = |x: f64| format!("{x:.1} ms");
        let secs = |x: f64| format!("{x:.2} s");
        at_most(
            "median beep onset error",
            report.beeps.onset_error_ms.median,
            self.max_beep_onset_median_ms,
            ms,
        );
        at_most(
            "p95 beep onset error",
            report.beeps.onset_error_ms.p95,
            self.max_beep_onset_p95_ms,
            ms,
        );
        at_most(
            "median human decision after first utterance",
            report.human_decision_after_first_utterance.median,
            self.max_human_decision_median_s,
            secs,
        );
        at_most(
            "median machine decision after greeting start",
            report.machine_decision_after_speech_start.median,
            self.max_machine_decision_median_s,
            secs,
        );

        if report.beeps.labelled > 0 && report.beeps.reported == 0 {
            misses.push(TargetMiss {
                name: "beep onset error",
                wanted: format!(
                    "median <= {} ms, p95 <= {} ms",
                    self.max_beep_onset_median_ms, self.max_beep_onset_p95_ms
                ),
                got: "no beep reported on any file that has one".to_owned(),
            });
        }
        let [human, _, fax, silence] = report.beeps.false_beeps_by_label;
        let non_machine = human + fax + silence;
        if non_machine > self.max_false_beeps_non_machine {
            misses.push(TargetMiss {
                name: "false beeps on human, fax and silence files",
                wanted: format!("<= {}", self.max_false_beeps_non_machine),
                got: non_machine.to_string(),
            });
        }
        if report.beeps.messages_cut > self.max_messages_cut {
            misses.push(TargetMiss {
                name: "messages that would start before the beep ends",
                wanted: format!("<= {}", self.max_messages_cut),
                got: report.beeps.messages_cut.to_string(),
            });
        }
        if !report.failures.is_empty() {
            misses.push(TargetMiss {
                name: "unreadable files",
                wanted: "0".to_owned(),
                got: report.failures.len().to_string(),
            });
        }
        misses
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::report::tests::sample_report;

    #[test]
    fn sample_report_misses_what_it_should() {
        let misses = Targets::default().check(&sample_report());
        let names: Vec<&str> = misses.iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            [
                "accuracy",
                "silence classified as silence",
                "beep recall (onset within 50 ms)",
                "humans called machine",
                "machines called human",
                "median human decision after first utterance",
                "false beeps on human, fax and silence files",
                "unreadable files",
            ]
        );
        // Fax recall (100%), onset median (10 ms) and p95 (19 ms) and the machine decision
        // median (2.25 s) meet the bar; the human median (0.9 s) does not.
        assert_eq!(misses[0].got, "70.0%");
    }

    #[test]
    fn lenient_targets_pass() {
        let lenient = Targets {
            min_accuracy: 0.5,
            max_human_as_machine: 0.5,
            max_machine_as_human: 0.5,
            min_fax_recall: 0.0,
            min_silence_recall: 0.0,
            min_beep_recall: 0.5,
            max_false_beeps_non_machine: 1,
            max_human_decision_median_s: 1.0,
            ..Targets::default()
        };
        let mut report = sample_report();
        report.failures.clear();
        assert_eq!(lenient.check(&report), []);
    }
}
