//! The evaluation report as text, for a terminal or a CI log.

use std::fmt::Write as _;

use ringside_dsp::Verdict;

use super::breakdown::Breakdown;
use super::manifest::Label;
use super::report::EvalReport;
use super::score::FileScore;
use super::stats::Distribution;
use super::table::Table;
use super::targets::TargetMiss;

/// Misclassified files shown in the text report (the JSON report has them all).
const WRONG_SHOWN: usize = 20;

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

fn dist_row(name: &str, d: &Distribution, decimals: usize) -> Vec<String> {
    vec![
        name.to_owned(),
        d.count.to_string(),
        num(d.median, decimals),
        num(d.p90, decimals),
        num(d.p95, decimals),
        num(d.max, decimals),
    ]
}

/// Renders `report`; with `misses`, ends with the target check.
pub fn render(report: &EvalReport, misses: Option<&[TargetMiss]>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} files, {} analysed, {} unreadable\n",
        report.files,
        report.analysed,
        report.failures.len()
    );
    confusion(&mut out, report);
    decisions(&mut out, report);
    beeps(&mut out, report);
    lists(&mut out, report);
    if let Some(misses) = misses {
        if misses.is_empty() {
            out.push_str("acceptance targets: all met\n");
        } else {
            let _ = writeln!(out, "acceptance targets: {} missed", misses.len());
            for m in misses {
                let _ = writeln!(out, "  {m}");
            }
        }
    }
    out
}

fn confusion(out: &mut String, r: &EvalReport) {
    out.push_str("confusion matrix (rows: label, columns: verdict)\n");
    let mut header = vec!["label".to_owned()];
    header.extend(Verdict::ALL.iter().map(|v| v.to_string()));
    header.extend(["files", "recall", "precision"].map(String::from));
    let mut t = Table::new(header);
    for class in &r.classes {
        let mut row = vec![class.label.to_string()];
        row.extend(
            Verdict::ALL
                .iter()
                .map(|&v| r.confusion.get(class.label, v).to_string()),
        );
        row.extend([
            class.files.to_string(),
            pct(class.recall),
            pct(class.precision),
        ]);
        t.row(row);
    }
    out.push_str(&t.render(2));
    let _ = writeln!(
        out,
        "\naccuracy {}   humans called machine {}   machines called human {}\n",
        pct(r.accuracy),
        pct(r.human_as_machine),
        pct(r.machine_as_human)
    );
}

fn decisions(out: &mut String, r: &EvalReport) {
    out.push_str("decision time (s)\n");
    let mut t = Table::new(["measured from", "n", "median", "p90", "p95", "max"]);
    for class in &r.classes {
        t.row(dist_row(
            &format!("{}: file start", class.label),
            &class.decision,
            2,
        ));
    }
    t.row(dist_row(
        "human: end of first utterance",
        &r.human_decision_after_first_utterance,
        2,
    ));
    t.row(dist_row(
        "machine: greeting start",
        &r.machine_decision_after_speech_start,
        2,
    ));
    out.push_str(&t.render(2));
    out.push('\n');
}

fn beeps(out: &mut String, r: &EvalReport) {
    let b = &r.beeps;
    let _ = writeln!(
        out,
        "beeps: {} labelled, {} reported on them, {} within 50 ms (recall {})",
        b.labelled,
        b.reported,
        b.hits,
        pct(b.recall)
    );
    let by_label: Vec<String> = Label::ALL
        .iter()
        .map(|l| format!("{l} {}", b.false_beeps_by_label[l.index()]))
        .collect();
    let _ = writeln!(
        out,
        "false beeps: {} ({})",
        b.false_beeps,
        by_label.join(", ")
    );
    let _ = writeln!(
        out,
        "messages that would start before the beep ends: {}",
        b.messages_cut
    );
    let mut t = Table::new(["|error| (ms)", "n", "median", "p90", "p95", "max"]);
    t.row(dist_row("onset", &b.onset_error_ms, 1));
    t.row(dist_row("end", &b.end_error_ms, 1));
    out.push_str(&t.render(2));
    let _ = writeln!(
        out,
        "  onset bias (median signed error): {} ms\n",
        num(b.onset_bias_ms, 1)
    );
}

fn file_table(scores: &[FileScore]) -> Table {
    let mut t = Table::new([
        "file",
        "label",
        "verdict",
        "decided s",
        "latency s",
        "cause",
        "conditions",
    ]);
    for s in scores {
        t.row([
            s.file.clone(),
            s.label.to_string(),
            s.verdict.to_string(),
            format!("{:.2}", s.decided_at),
            format!("{:.2}", s.latency),
            s.cause.clone(),
            s.conditions.clone(),
        ]);
    }
    t
}

fn lists(out: &mut String, r: &EvalReport) {
    if !r.wrong.is_empty() {
        let _ = writeln!(out, "misclassified ({}), costliest first", r.wrong.len());
        let shown = &r.wrong[..r.wrong.len().min(WRONG_SHOWN)];
        out.push_str(&file_table(shown).render(2));
        if r.wrong.len() > shown.len() {
            let _ = writeln!(
                out,
                "  ... and {} more (see --json)",
                r.wrong.len() - shown.len()
            );
        }
        out.push('\n');
    }
    if !r.slowest.is_empty() {
        out.push_str("slowest decisions (latency from the label's reference point)\n");
        out.push_str(&file_table(&r.slowest).render(2));
        out.push('\n');
    }
    if !r.worst_beeps.is_empty() {
        out.push_str("worst beeps\n");
        let mut t = Table::new([
            "file",
            "label",
            "beep at",
            "reported",
            "onset err ms",
            "end err ms",
            "problem",
        ]);
        for s in &r.worst_beeps {
            let problem = if s.false_beep {
                "false beep"
            } else if s.beep.is_none() {
                "missed"
            } else {
                "off by > 50 ms"
            };
            t.row([
                s.file.clone(),
                s.label.to_string(),
                num(s.beep_at, 3),
                num(s.beep.map(|b| b.start), 3),
                num(s.onset_error_ms, 1),
                num(s.end_error_ms, 1),
                problem.to_owned(),
            ]);
        }
        out.push_str(&t.render(2));
        out.push('\n');
    }
    if !r.failures.is_empty() {
        out.push_str("unreadable files\n");
        for f in &r.failures {
            let _ = writeln!(out, "  {}", f.error);
        }
        out.push('\n');
    }
}

/// Renders a breakdown: one row per group, the figures of the whole report in columns.
pub fn render_breakdown(by: &Breakdown) -> String {
    let mut out = format!("by {} ({} groups)\n", by.field, by.groups.len());
    let mut t = Table::new([
        by.field.as_str(),
        "files",
        "accuracy",
        "human→machine",
        "machine→human",
        "beeps",
        "recall",
        "onset ms",
        "p95 ms",
        "false beeps",
        "human s",
        "machine s",
    ]);
    for g in &by.groups {
        let beeps = if g.beeps_labelled == 0 {
            "-".to_owned()
        } else {
            format!("{}/{}", g.beeps_found, g.beeps_labelled)
        };
        t.row([
            g.value.clone(),
            g.files.to_string(),
            pct(g.accuracy),
            pct(g.human_as_machine),
            pct(g.machine_as_human),
            beeps,
            pct(g.beep_recall),
            num(g.onset_error_ms.median, 1),
            num(g.onset_error_ms.p95, 1),
            g.false_beeps.to_string(),
            num(g.human_decision.median, 2),
            num(g.machine_decision.median, 2),
        ]);
    }
    out.push_str(&t.render(2));
    out.push_str(
        "  (beeps: found within 50 ms / labelled; onset: median and p95 |error|; human s: \
         median decision after the first utterance ends; machine s: after the greeting \
         starts)\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::report::tests::sample_report;
    use crate::eval::targets::Targets;

    #[test]
    fn report_has_every_section() {
        let r = sample_report();
        let misses = Targets::default().check(&r);
        let text = render(&r, Some(&misses));
        for needle in [
            "11 files, 10 analysed, 1 unreadable",
            "confusion matrix",
            "accuracy 70.0%",
            "human: end of first utterance",
            "beeps: 4 labelled",
            "false beeps: 1 (human 0, machine 0, fax 0, silence 1)",
            "misclassified (3)",
            "slowest decisions",
            "worst beeps",
            "unreadable files",
            "acceptance targets: 8 missed",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
    }
}
