//! Every figure of a report broken down by a manifest field (`eval --by FIELD`).
//!
//! One overall accuracy hides where a detector fails: 99 % on a corpus can be 100 % on
//! steady beeps and 10 % on decaying ones. A breakdown scores each group of files that
//! share a value of one manifest field — a condition token, a kind of source, a recipe, a
//! recipe tag — with the same rules as the whole report ([`EvalReport::from_scores`]), so
//! a user sees which settings or families fail.
//!
//! How a field's value becomes groups (a file may fall in several):
//! - a list (`"tags": ["voicemail", "jp"]`): each element is a group;
//! - `conditions` and any other text field: split at `;` (the corpus's separator); each
//!   token is a group, cut at its first `@` so that `bg_beep@2.22s,2077Hz` and
//!   `bg_beep@0.81s,900Hz` fall in one `bg_beep` group (the part after `@` says where and
//!   how, which differs per file);
//! - `source`: the kinds it names, not its per-file details — for each `|`-separated part,
//!   `beep=KIND` (up to the first `,`) for a beep, else the text before the first `:` (the
//!   speech's origin: `en`, `espeak-ng`, `speech`), else its leading words up to the first
//!   one holding a digit (`fax CNG 1100Hz ...` → `fax CNG`);
//! - `label`: the label; numbers and booleans: their text; a file without the field (or
//!   with `null`) falls in the group `(none)`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::manifest::{Entry, Manifest};
use super::report::EvalReport;
use super::score::FileScore;
use super::stats::Distribution;

/// The group of files that lack the field.
pub const NO_VALUE: &str = "(none)";

/// A field that no manifest entry has.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "no file in the manifest has the field {field:?}; fields present: {}",
    present.join(", ")
)]
pub struct UnknownField {
    pub field: String,
    /// The fields the entries do have, sorted.
    pub present: Vec<String>,
}

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The field's value that defines the group.
    pub value: String,
    pub files: usize,
    pub accuracy: Option<f64>,
    pub human_as_machine: Option<f64>,
    pub machine_as_human: Option<f64>,
    /// Files with a labelled beep, and those found (onset within 50 ms).
    pub beeps_labelled: usize,
    pub beeps_found: usize,
    pub beep_recall: Option<f64>,
    /// |onset error| of the beeps reported on files with one, ms.
    pub onset_error_ms: Distribution,
    pub false_beeps: usize,
    /// Human files: decision time after the first utterance ends, s.
    pub human_decision: Distribution,
    /// Machine files: decision time after the greeting starts, s.
    pub machine_decision: Distribution,
}

/// A report broken down by one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub field: String,
    /// In order of the value's name; files without the field last.
    pub groups: Vec<Group>,
}

/// Whether some entry of `manifest` has `field`: checked before a corpus run, so that a
/// misspelt field is reported at once rather than after minutes of work.
pub fn check_field(manifest: &Manifest, field: &str) -> Result<(), UnknownField> {
    if manifest.entries.iter().any(|e| has_field(e, field)) {
        Ok(())
    } else {
        Err(UnknownField {
            field: field.to_owned(),
            present: present_fields(manifest),
        })
    }
}

/// Breaks `report` (of `manifest`'s files) down by `field`.
pub fn breakdown(
    manifest: &Manifest,
    report: &EvalReport,
    field: &str,
) -> Result<Breakdown, UnknownField> {
    check_field(manifest, field)?;
    let by_file: HashMap<&str, &Entry> = manifest
        .entries
        .iter()
        .map(|e| (e.file.as_str(), e))
        .collect();
    let mut groups: BTreeMap<String, Vec<FileScore>> = BTreeMap::new();
    for score in &report.per_file {
        let Some(entry) = by_file.get(score.file.as_str()) else {
            continue;
        };
        for value in group_values(entry, field) {
            groups.entry(value).or_default().push(score.clone());
        }
    }
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(value, scores)| summarise(value, scores))
        .collect();
    // `(none)` sorts after letters only by luck of ASCII; put it last explicitly.
    groups.sort_by_key(|g| g.value == NO_VALUE);
    Ok(Breakdown {
        field: field.to_owned(),
        groups,
    })
}

fn summarise(value: String, scores: Vec<FileScore>) -> Group {
    let r = EvalReport::from_scores(scores.len(), Vec::new(), scores);
    Group {
        value,
        files: r.analysed,
        accuracy: r.accuracy,
        human_as_machine: r.human_as_machine,
        machine_as_human: r.machine_as_human,
        beeps_labelled: r.beeps.labelled,
        beeps_found: r.beeps.hits,
        beep_recall: r.beeps.recall,
        onset_error_ms: r.beeps.onset_error_ms,
        false_beeps: r.beeps.false_beeps,
        human_decision: r.human_decision_after_first_utterance,
        machine_decision: r.machine_decision_after_speech_start,
    }
}

/// Whether `entry` carries `field` with a value.
fn has_field(entry: &Entry, field: &str) -> bool {
    match field {
        "label" => true,
        "source" => !entry.source.is_empty(),
        "conditions" => !entry.conditions.is_empty(),
        _ => entry.extra.get(field).is_some_and(|v| !v.is_null()),
    }
}

fn present_fields(manifest: &Manifest) -> Vec<String> {
    let mut fields: Vec<String> = ["label", "source", "conditions"]
        .into_iter()
        .map(String::from)
        .collect();
    for e in &manifest.entries {
        fields.extend(e.extra.keys().cloned());
    }
    fields.sort();
    fields.dedup();
    fields
}

/// The groups `entry` falls in (see the module docs).
fn group_values(entry: &Entry, field: &str) -> Vec<String> {
    let values = match field {
        "label" => vec![entry.label.to_string()],
        "source" => source_kinds(&entry.source),
        "conditions" => tokens(&entry.conditions),
        _ => match entry.extra.get(field) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => tokens(s),
            Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
            Some(other) => scalar(other).into_iter().collect(),
        },
    };
    if values.is_empty() {
        vec![NO_VALUE.to_owned()]
    } else {
        let mut values = values;
        values.sort();
        values.dedup();
        values
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `;`-separated tokens, each cut at its first `@`.
fn tokens(text: &str) -> Vec<String> {
    text.split(';')
        .map(|t| t.split('@').next().unwrap_or(t).trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The kinds a `source` text names (see the module docs).
fn source_kinds(source: &str) -> Vec<String> {
    source
        .split('|')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            if let Some(beep) = part.strip_prefix("beep=") {
                let kind = beep.split(',').next().unwrap_or(beep);
                format!("beep={kind}")
            } else if let Some((origin, _)) = part.split_once(':') {
                origin.trim().to_owned()
            } else {
                part.split_whitespace()
                    .take_while(|w| !w.chars().any(|c| c.is_ascii_digit()))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        })
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: &str) -> Entry {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn conditions_split_and_cut_at_the_at_sign() {
        let e = entry(
            r#"{"file": "a.wav", "label": "human",
                "conditions": "room_noise;bg_beep@0.81s,2077Hz,x1;gain-17dB"}"#,
        );
        assert_eq!(
            group_values(&e, "conditions"),
            ["bg_beep", "gain-17dB", "room_noise"]
        );
    }

    #[test]
    fn source_names_its_kinds_not_its_details() {
        let cases = [
            (
                "en:vm-theperson+d7 | beep=file:en/beep.wav,f=700Hz,d=0.423s",
                vec!["beep=file:en/beep.wav", "en"],
            ),
            (
                "fsdd:jackson:4_5 | beep=sine,f=1639Hz",
                vec!["beep=sine", "fsdd"],
            ),
            ("fax CNG 1100Hz 0.5s on/3s off x2", vec!["fax CNG"]),
            ("en:x | no beep", vec!["en", "no beep"]),
        ];
        for (source, want) in cases {
            let e = Entry {
                source: source.to_owned(),
                ..entry(r#"{"file": "a.wav", "label": "machine"}"#)
            };
            assert_eq!(group_values(&e, "source"), want, "{source}");
        }
    }

    #[test]
    fn lists_numbers_and_missing_values() {
        let e = entry(
            r#"{"file": "a.wav", "label": "machine", "tags": ["jp", "voicemail", "jp"],
                "rings": 3, "recipe": null}"#,
        );
        assert_eq!(group_values(&e, "tags"), ["jp", "voicemail"]);
        assert_eq!(group_values(&e, "rings"), ["3"]);
        assert_eq!(group_values(&e, "recipe"), [NO_VALUE]);
        assert_eq!(group_values(&e, "label"), ["machine"]);
    }

    #[test]
    fn a_field_no_file_has_is_an_error_naming_the_fields_present() {
        let manifest = Manifest {
            dir: Default::default(),
            entries: vec![entry(r#"{"file": "a.wav", "label": "fax", "tags": ["x"]}"#)],
        };
        let report = EvalReport::from_scores(1, Vec::new(), Vec::new());
        let err = breakdown(&manifest, &report, "tag").unwrap_err();
        assert_eq!(err.present, ["conditions", "label", "source", "tags"]);
        assert!(err.to_string().contains("\"tag\""), "{err}");
        assert!(breakdown(&manifest, &report, "tags").is_ok());
    }

    #[test]
    fn each_group_is_scored_like_a_whole_report() {
        use super::super::manifest::Label;
        use super::super::score::tests::{analysis, entry as labelled};
        use ringside_dsp::Verdict;
        let tagged = |file: &str, tags: Value| {
            let mut e = labelled(Label::Machine, Some((5.0, 5.5)), &[(0.5, 4.0)]);
            e.file = file.to_owned();
            e.extra.insert("tags".to_owned(), tags);
            e
        };
        let a = tagged("a.wav", serde_json::json!(["decaying"]));
        let b = tagged("b.wav", serde_json::json!(["decaying", "jp"]));
        let scores = vec![
            FileScore::new(&a, &analysis(Verdict::Machine, 3.0, Some((5.002, 5.5)))),
            FileScore::new(&b, &analysis(Verdict::Human, 3.0, None)),
        ];
        let manifest = Manifest {
            dir: Default::default(),
            entries: vec![a, b],
        };
        let report = EvalReport::from_scores(2, Vec::new(), scores);
        let by = breakdown(&manifest, &report, "tags").unwrap();
        let values: Vec<&str> = by.groups.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(values, ["decaying", "jp"]);
        let decaying = &by.groups[0];
        assert_eq!((decaying.files, decaying.accuracy), (2, Some(0.5)));
        assert_eq!((decaying.beeps_labelled, decaying.beeps_found), (2, 1));
        assert_eq!(decaying.machine_as_human, Some(0.5));
        let jp = &by.groups[1];
        assert_eq!(
            (jp.files, jp.accuracy, jp.beep_recall),
            (1, Some(0.0), Some(0.0))
        );
    }
}
