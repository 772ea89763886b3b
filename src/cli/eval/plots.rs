//! `eval --plots DIR`: a picture for each file the detector got wrong, and a summary.
//!
//! Only the files worth looking at are drawn (misclassified, beep missed, beep where there
//! was none), each replayed once more with a plot trace: a corpus of thousands costs a
//! handful of extra replays, not a second evaluation.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context as _;
use ringside_audio::file_stem;
use ringside_dsp::Config;
use ringside_harness::plot::{self, DetectionPlot, Expected, PlotTrace};
use ringside_harness::{EvalReport, FileScore, Manifest, replay_file};

/// Writes the pictures; returns how many.
pub fn write_all(
    dir: &Path,
    manifest: &Manifest,
    report: &EvalReport,
    config: &Config,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let title = manifest.dir.display().to_string();
    plot::summary::write(&dir.join("summary.png"), &title, report)?;
    let mut written = 1;
    let mut seen = BTreeSet::new();
    let worth = report.wrong.iter().chain(
        report
            .per_file
            .iter()
            .filter(|f| f.false_beep || (f.beep_at.is_some() && !f.beep_hit)),
    );
    for score in worth {
        if !seen.insert(score.file.as_str()) {
            continue;
        }
        match draw_one(dir, manifest, score, config) {
            Ok(()) => written += 1,
            // One unreadable file does not stop the others; it is in the report already.
            Err(e) => eprintln!("warning: no picture for {}: {e:#}", score.file),
        }
    }
    Ok(written)
}

fn draw_one(
    dir: &Path,
    manifest: &Manifest,
    score: &FileScore,
    config: &Config,
) -> anyhow::Result<()> {
    let entry = manifest
        .entries
        .iter()
        .find(|e| e.file == score.file)
        .context("not in the manifest")?;
    let path = manifest.path_of(entry);
    let mut trace = PlotTrace::new();
    let analysis = replay_file(&path, config, None, &mut trace)?;
    let expected = Expected {
        label: score.label.as_str().to_owned(),
        beep: score.beep_at.zip(score.beep_end),
    };
    let plot = DetectionPlot {
        title: &score.file,
        analysis: &analysis,
        trace: &trace,
        expected: Some(&expected),
    };
    let out = dir.join(format!("{}.png", file_stem(&score.file)));
    plot::detection::write(&out, &plot)?;
    Ok(())
}
