//! An evaluation at a glance: the confusion matrix, how long decisions took, and how far
//! beep onsets landed from the labels.
//!
//! ```text
//! title: accuracy, human→machine rate, beeps found
//! confusion matrix (labels × verdicts) | decision time histogram | beep onset error histogram
//! ```
//!
//! Decision times are measured from each label's reference point (the end of a human's
//! first utterance, the start of a machine's greeting; see `FileScore::latency`), so the
//! histogram shows how long the detector waited once it could have known.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT, Format, PlotError, draw_err, ensure_font};
use crate::eval::EvalReport;
use crate::eval::Label;

/// Picture size in pixels.
pub const SIZE: (u32, u32) = (1500, 520);

/// Histogram bins.
const BINS: usize = 24;

/// Draws the summary of `report` to `path` (PNG or SVG, by extension).
pub fn write(path: &Path, title: &str, report: &EvalReport) -> Result<(), PlotError> {
    ensure_font()?;
    let err = draw_err(path);
    match Format::for_output(path)? {
        Format::Png => {
            let root = BitMapBackend::new(path, SIZE).into_drawing_area();
            draw(&root, title, report).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))
        }
        Format::Svg => {
            let root = SVGBackend::new(path, SIZE).into_drawing_area();
            draw(&root, title, report).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))
        }
    }
}

/// Draws the summary into an RGB buffer of [`SIZE`]; for tests.
pub fn render(title: &str, report: &EvalReport) -> Result<Vec<u8>, PlotError> {
    ensure_font()?;
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        let err = draw_err(Path::new("<memory>"));
        draw(&root, title, report).map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(buf)
}

fn s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    r: &EvalReport,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(s)?;
    let pct = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let line = format!(
        "{title}: {} files, accuracy {}, human→machine {}, beeps found {}/{}",
        r.analysed,
        pct(r.accuracy),
        pct(r.human_as_machine),
        r.beeps.hits,
        r.beeps.labelled
    );
    root.draw_text(
        &line,
        &(FONT, 20).into_font().style(FontStyle::Bold).color(&BLACK),
        (12, 10),
    )
    .map_err(s)?;
    let (_, body) = root.split_vertically(44);
    let panels = body.split_evenly((1, 3));
    draw_confusion(&panels[0], r)?;
    let latencies = |label: Label| -> Vec<f64> {
        r.per_file
            .iter()
            .filter(|f| f.label == label && f.correct && f.latency.is_finite())
            .map(|f| f.latency)
            .collect()
    };
    draw_histogram(
        &panels[1],
        "decision time after reference (s)",
        &[
            ("human", latencies(Label::Human), RGBColor(46, 160, 67)),
            ("machine", latencies(Label::Machine), RGBColor(150, 40, 200)),
        ],
    )?;
    let onset: Vec<f64> = r.per_file.iter().filter_map(|f| f.onset_error_ms).collect();
    draw_histogram(
        &panels[2],
        "beep onset error (ms, reported - labelled)",
        &[("beeps", onset, RGBColor(230, 120, 0))],
    )?;
    Ok(())
}

fn draw_confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &EvalReport,
) -> Result<(), String> {
    let c = &r.confusion;
    let (rows, cols) = (c.labels.len(), c.verdicts.len());
    // Row and column names are drawn inside the chart, in a band left of and below the
    // cells (x < 0, y < 0), so they line up with the cells at any size.
    let mut chart = ChartBuilder::on(area)
        .caption("confusion: label (rows) × verdict (columns)", (FONT, 16))
        .margin(10)
        .build_cartesian_2d(-1.3..cols as f64, -0.7..rows as f64)
        .map_err(s)?;
    let names = c
        .labels
        .iter()
        .enumerate()
        .map(|(ri, l)| (l.as_str().to_owned(), (-1.25, (rows - 1 - ri) as f64 + 0.6)))
        .chain(
            c.verdicts
                .iter()
                .enumerate()
                .map(|(ci, v)| (v.to_string(), (ci as f64 + 0.1, -0.35))),
        );
    chart
        .draw_series(names.map(|(t, at)| Text::new(t, at, (FONT, 14).into_font().color(&BLACK))))
        .map_err(s)?;
    let max = c.counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    for (ri, label) in c.labels.iter().enumerate() {
        let total: usize = c.counts[ri].iter().sum();
        for (ci, verdict) in c.verdicts.iter().enumerate() {
            let n = c.counts[ri][ci];
            let y = (rows - 1 - ri) as f64;
            let x = ci as f64;
            let right = label.verdict() == *verdict;
            let shade = n as f64 / max as f64;
            let base = if right {
                RGBColor(46, 160, 67)
            } else {
                RGBColor(220, 20, 20)
            };
            let fill = if n == 0 {
                WHITE.mix(1.0)
            } else {
                base.mix(0.15 + 0.75 * shade)
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    fill.filled(),
                )))
                .map_err(s)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    RGBColor(200, 200, 200),
                )))
                .map_err(s)?;
            if total > 0 {
                chart
                    .draw_series(std::iter::once(Text::new(
                        n.to_string(),
                        (x + 0.4, y + 0.6),
                        (FONT, 16).into_font().color(&BLACK),
                    )))
                    .map_err(s)?;
            }
        }
    }
    Ok(())
}

fn draw_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    series: &[(&str, Vec<f64>, RGBColor)],
) -> Result<(), String> {
    let all = series.iter().flat_map(|(_, v, _)| v.iter().copied());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let range: Range<f64> = if lo.is_finite() && hi > lo {
        let pad = (hi - lo) * 0.05;
        (lo - pad)..(hi + pad)
    } else if lo.is_finite() {
        (lo - 1.0)..(lo + 1.0)
    } else {
        0.0..1.0
    };
    let width = (range.end - range.start) / BINS as f64;
    let counts: Vec<Vec<usize>> = series
        .iter()
        .map(|(_, v, _)| {
            let mut c = vec![0usize; BINS];
            for x in v {
                let i = (((x - range.start) / width) as usize).min(BINS - 1);
                c[i] += 1;
            }
            c
        })
        .collect();
    let top = counts.iter().flatten().copied().max().unwrap_or(0).max(1) as f64 * 1.15;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 16))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(range.clone(), 0.0..top)
        .map_err(s)?;
    chart
        .configure_mesh()
        .y_desc("files")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 12))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(s)?;
    let n = series.len().max(1) as f64;
    for (k, ((name, values, color), c)) in series.iter().zip(&counts).enumerate() {
        // Side-by-side bars within each bin, one slot per series.
        let slot = width / n;
        chart
            .draw_series(
                c.iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(i, &count)| {
                        let x0 = range.start + i as f64 * width + k as f64 * slot;
                        Rectangle::new([(x0, 0.0), (x0 + slot * 0.9, count as f64)], color.filled())
                    }),
            )
            .map_err(s)?
            .label(format!("{name} (n={})", values.len()))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font((FONT, 13))
        .draw()
        .map_err(s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Manifest;
    use ringside_audio::testutil::TempDir;
    use ringside_dsp::Config;
    use std::num::NonZeroUsize;

    fn fixture_report() -> EvalReport {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/manifest.json");
        let manifest = Manifest::load(&path).unwrap();
        crate::eval::evaluate(&manifest, &Config::default(), NonZeroUsize::MIN, &|_| {}).unwrap()
    }

    #[test]
    fn draws_matrix_and_histograms() {
        let r = fixture_report();
        let buf = render("fixtures", &r).unwrap();
        assert_eq!(buf.len(), (SIZE.0 * SIZE.1 * 3) as usize);
        // Each third of the picture has ink below the title: the matrix cells (green for
        // correct verdicts) and the histogram bars.
        let px = |x: u32, y: u32| {
            let i = ((y * SIZE.0 + x) * 3) as usize;
            (buf[i], buf[i + 1], buf[i + 2])
        };
        let third = SIZE.0 / 3;
        for k in 0..3 {
            let coloured = (k * third..(k + 1) * third)
                .flat_map(|x| (60..SIZE.1).map(move |y| (x, y)))
                .filter(|&(x, y)| {
                    let (r, g, b) = px(x, y);
                    r.abs_diff(g) > 40 || g.abs_diff(b) > 40
                })
                .count();
            assert!(coloured > 300, "panel {k}: {coloured} coloured pixels");
        }
    }

    #[test]
    fn writes_png_and_svg() {
        let r = fixture_report();
        let dir = TempDir::new();
        std::fs::create_dir_all(dir.file("")).unwrap();
        write(&dir.file("s.png"), "fixtures", &r).unwrap();
        let png = std::fs::read(dir.file("s.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        write(&dir.file("s.svg"), "fixtures", &r).unwrap();
        let svg = std::fs::read_to_string(dir.file("s.svg")).unwrap();
        assert!(svg.contains("confusion") && svg.contains("beep onset error"));
    }
}
