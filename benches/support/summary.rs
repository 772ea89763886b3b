//! The table printed after a bench run, from criterion's own results on disk.
//!
//! Criterion writes `<group>/<bench>/new/{benchmark,estimates}.json` under its output
//! directory; this reads back the benchmarks measured in this run (files written after it
//! started) and turns "time per iteration" and "elements per iteration" into the figures the
//! README reports: ns per element and, for audio, real-time streams per core.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

/// What one element of throughput is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 10 ms of 8 kHz audio: reported as ns per 10 ms and streams per core (frames/s ÷ 100).
    Audio10ms,
    /// One input to a state machine or one document: ns each and millions per second.
    Item(&'static str),
}

/// One measured benchmark.
#[derive(Debug, Clone)]
struct Row {
    name: String,
    ns_per_element: f64,
}

/// Criterion's output directory, found the way criterion finds it.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn rows_of_group(dir: &Path, group: &str, since: SystemTime) -> Vec<Row> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for entry in entries.flatten() {
        let new = entry.path().join("new");
        let estimates = new.join("estimates.json");
        let fresh = std::fs::metadata(&estimates)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if !fresh {
            continue;
        }
        let (Some(bench), Some(est)) = (
            read_json(&new.join("benchmark.json")),
            read_json(&estimates),
        ) else {
            continue;
        };
        if bench["group_id"].as_str() != Some(group) {
            continue;
        }
        let Some(elements) = bench["throughput"]["Elements"].as_f64() else {
            continue;
        };
        // The figure criterion prints as "time": the slope of the linear fit when it
        // sampled linearly, else the mean.
        let ns = est["slope"]["point_estimate"]
            .as_f64()
            .or_else(|| est["mean"]["point_estimate"].as_f64());
        if let Some(ns) = ns {
            rows.push(Row {
                name: bench["function_id"]
                    .as_str()
                    .or_else(|| bench["value_str"].as_str())
                    .unwrap_or("?")
                    .to_owned(),
                ns_per_element: ns / elements.max(1.0),
            });
        }
    }
    rows.sort_by(|a, b| a.ns_per_element.total_cmp(&b.ns_per_element));
    rows
}

/// Prints the table for `groups` (name, unit, and the bench in the group every other is
/// compared to, if any) from the results written since `since`.
pub fn print(since: SystemTime, groups: &[(&str, Unit, Option<&str>)]) {
    let dir = criterion_dir();
    let mut printed = false;
    for &(group, unit, reference) in groups {
        let rows = rows_of_group(&dir.join(group), group, since);
        if rows.is_empty() {
            continue;
        }
        if !printed {
            println!("\n=== summary (from {}) ===", dir.display());
            printed = true;
        }
        let reference = reference
            .and_then(|r| rows.iter().find(|row| row.name == r))
            .map(|row| (row.name.clone(), row.ns_per_element));
        println!("\n{group}");
        match unit {
            Unit::Audio10ms => println!(
                "  {:<40} {:>12} {:>16} {:>10}",
                "bench",
                "ns / 10 ms",
                "streams / core",
                reference.as_ref().map_or("", |_| "ratio")
            ),
            Unit::Item(what) => println!(
                "  {:<40} {:>12} {:>16}",
                "bench",
                format!("ns / {what}"),
                format!("M {what}s / s")
            ),
        }
        for row in &rows {
            let per_second = 1e9 / row.ns_per_element;
            match unit {
                Unit::Audio10ms => {
                    let ratio = reference
                        .as_ref()
                        .map(|(_, r)| format!("{:.2}×", row.ns_per_element / r))
                        .unwrap_or_default();
                    println!(
                        "  {:<40} {:>12.0} {:>16.0} {:>10}",
                        row.name,
                        row.ns_per_element,
                        per_second / 100.0,
                        ratio
                    );
                }
                Unit::Item(_) => println!(
                    "  {:<40} {:>12.1} {:>16.2}",
                    row.name,
                    row.ns_per_element,
                    per_second / 1e6
                ),
            }
        }
        if let Some((name, _)) = &reference {
            println!("  (ratio: time relative to {name} in the same run)");
        }
    }
}
