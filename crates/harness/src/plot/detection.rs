//! One recording, one picture: where the speech was, what the spectrum looked like, which
//! tones and digits the detector found, and when it decided.
//!
//! Three panels share the time axis, so a vertical line reads across all of them:
//!
//! ```text
//! title: file — verdict (cause) at t        [expected: label, for eval plots]
//! waveform        speech shaded green; decision (red), greeting end (blue) lines
//! spectrogram     0–4 kHz, dB colours; each tone drawn at its frequency and labelled
//! lanes           speech | tones (Hz) | beep (found, and expected) | DTMF | verdict
//! ```
//!
//! [`render`] returns a [`DetectionLayout`] with each panel's pixel rectangle and data
//! ranges, so tests can check pixels in the places that matter.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::colormap;
use super::trace::PlotTrace;
use super::{FONT, Format, PlotError, draw_err, ensure_font};
use crate::replay::Analysis;

/// Picture size in pixels (SVG user units).
pub const SIZE: (u32, u32) = (1200, 760);

/// Spectrogram cells at most, per axis, by format: a PNG gets one cell per pixel column;
/// an SVG, where each cell is an element, a coarser grid that keeps the file near 1 MB.
const PNG_CELLS: (usize, usize) = (1100, 129);
const SVG_CELLS: (usize, usize) = (360, 65);

/// Colours of the things marked.
const SPEECH: RGBColor = RGBColor(46, 160, 67);
const TONE: RGBColor = RGBColor(230, 120, 0);
const BEEP: RGBColor = RGBColor(150, 40, 200);
const DTMF: RGBColor = RGBColor(0, 130, 170);
const DECISION: RGBColor = RGBColor(220, 20, 20);
const GREETING_END: RGBColor = RGBColor(30, 80, 220);
const WAVE: RGBColor = RGBColor(30, 30, 90);

/// The lanes of the bottom panel, top to bottom, with their y positions.
const LANES: [(&str, f64); 5] = [
    ("speech", 4.0),
    ("tones", 3.0),
    ("beep", 2.0),
    ("DTMF", 1.0),
    ("verdict", 0.0),
];

/// What the labels say the recording is (for eval plots).
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// The labelled class, e.g. `"human"`.
    pub label: String,
    /// The labelled beep, onset and end in seconds.
    pub beep: Option<(f64, f64)>,
}

/// Everything one picture shows.
#[derive(Debug, Clone, Copy)]
pub struct DetectionPlot<'a> {
    /// Usually the file name.
    pub title: &'a str,
    pub analysis: &'a Analysis,
    pub trace: &'a PlotTrace,
    pub expected: Option<&'a Expected>,
}

/// Where a panel landed in the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Pixel columns of the plotting area.
    pub x_px: Range<i32>,
    /// Pixel rows of the plotting area (top to bottom).
    pub y_px: Range<i32>,
    /// Data range along x (seconds).
    pub x: Range<f64>,
    /// Data range along y (amplitude, Hz, or lane position).
    pub y: Range<f64>,
}

impl Panel {
    /// The pixel showing data point `(x, y)`.
    pub fn pixel(&self, x: f64, y: f64) -> (i32, i32) {
        let fx = (x - self.x.start) / (self.x.end - self.x.start);
        let fy = (y - self.y.start) / (self.y.end - self.y.start);
        let px = f64::from(self.x_px.start) + fx * f64::from(self.x_px.end - self.x_px.start - 1);
        let py = f64::from(self.y_px.end - 1) - fy * f64::from(self.y_px.end - self.y_px.start - 1);
        (px.round() as i32, py.round() as i32)
    }

    fn from_chart<DB: DrawingBackend>(
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        x: Range<f64>,
        y: Range<f64>,
    ) -> Self {
        let (x_px, y_px) = chart.plotting_area().get_pixel_range();
        Self { x_px, y_px, x, y }
    }
}

/// The panels of a drawn picture.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectionLayout {
    pub waveform: Panel,
    pub spectrogram: Panel,
    pub lanes: Panel,
}

impl DetectionLayout {
    /// The y value of a lane in [`DetectionLayout::lanes`], by name.
    pub fn lane(name: &str) -> Option<f64> {
        LANES.iter().find(|(n, _)| *n == name).map(|&(_, y)| y)
    }
}

/// Draws `plot` to `path` (PNG or SVG, by extension).
pub fn write(path: &Path, plot: &DetectionPlot<'_>) -> Result<DetectionLayout, PlotError> {
    ensure_font()?;
    let err = draw_err(path);
    let layout = match Format::for_output(path)? {
        Format::Png => {
            let root = BitMapBackend::new(path, SIZE).into_drawing_area();
            let layout = draw(&root, plot, PNG_CELLS).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))?;
            layout
        }
        Format::Svg => {
            let root = SVGBackend::new(path, SIZE).into_drawing_area();
            let layout = draw(&root, plot, SVG_CELLS).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))?;
            layout
        }
    };
    Ok(layout)
}

/// Draws `plot` into an RGB buffer of [`SIZE`] (3 bytes per pixel, row-major); for tests
/// and for callers that encode the picture themselves.
pub fn render(plot: &DetectionPlot<'_>) -> Result<(Vec<u8>, DetectionLayout), PlotError> {
    ensure_font()?;
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    let layout = {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        let layout =
            draw(&root, plot, PNG_CELLS).map_err(|e| draw_err(Path::new("<memory>"))(&e))?;
        root.present()
            .map_err(|e| draw_err(Path::new("<memory>"))(&e))?;
        layout
    };
    Ok((buf, layout))
}

type DrawResult<T> = Result<T, String>;

fn s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &DetectionPlot<'_>,
    cells: (usize, usize),
) -> DrawResult<DetectionLayout> {
    root.fill(&WHITE).map_err(s)?;
    let a = plot.analysis;
    let duration = a.audio_seconds.max(plot.trace.seconds()).max(0.01);
    let (title, body) = root.split_vertically(56);
    draw_title(&title, plot)?;
    let (wave_area, rest) = body.split_vertically(190);
    let (spec_area, lane_area) = rest.split_vertically(300);
    let waveform = draw_waveform(&wave_area, plot, duration)?;
    let spectrogram = draw_spectrogram(&spec_area, plot, duration, cells)?;
    let lanes = draw_lanes(&lane_area, plot, duration)?;
    Ok(DetectionLayout {
        waveform,
        spectrogram,
        lanes,
    })
}

fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &DetectionPlot<'_>,
) -> DrawResult<()> {
    let a = plot.analysis;
    let mut line = format!(
        "{}: {} ({}), decided at {:.3} s",
        plot.title,
        a.verdict,
        a.cause_text(),
        a.decided_at
    );
    if let Some(g) = a.greeting_end {
        line += &format!("; greeting over at {:.3} s", g.at);
    }
    area.draw_text(
        &line,
        &(FONT, 20).into_font().style(FontStyle::Bold).color(&BLACK),
        (12, 8),
    )
    .map_err(s)?;
    if let Some(e) = plot.expected {
        let mut sub = format!("expected: {}", e.label);
        if let Some((on, end)) = e.beep {
            sub += &format!(", beep {on:.3}-{end:.3} s");
        }
        let color = if e.label == a.verdict.to_string() {
            BLACK
        } else {
            DECISION
        };
        area.draw_text(&sub, &(FONT, 16).into_font().color(&color), (12, 33))
            .map_err(s)?;
    }
    Ok(())
}

/// Common shape of the three panels, so their time axes line up.
fn chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    x_labels: bool,
) -> DrawResult<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(24)
        .margin_top(6)
        .y_label_area_size(78)
        .x_label_area_size(if x_labels { 34 } else { 4 })
        .build_cartesian_2d(x, y)
        .map_err(s)
}

fn draw_waveform<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &DetectionPlot<'_>,
    duration: f64,
) -> DrawResult<Panel> {
    let peak = plot
        .trace
        .envelope()
        .map(|(_, lo, hi)| lo.abs().max(hi.abs()))
        .fold(0.0f32, f32::max);
    // Scale to the loudest sample, so quiet telephone audio is not a flat line.
    let top = f64::from(peak).clamp(0.01, 1.0) * 1.05;
    let mut c = chart(area, 0.0..duration, -top..top, false)?;
    c.configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_labels(0)
        .y_labels(3)
        .y_desc("amplitude")
        .label_style((FONT, 13))
        .draw()
        .map_err(s)?;
    c.draw_series(
        plot.analysis
            .speech
            .iter()
            .map(|&(s0, s1)| Rectangle::new([(s0, -top), (s1, top)], SPEECH.mix(0.22).filled())),
    )
    .map_err(s)?;
    // At most ~2 envelope buckets per pixel column.
    let buckets: Vec<(f64, f32, f32)> = plot.trace.envelope().collect();
    let group = buckets.len().div_ceil(2200).max(1);
    c.draw_series(buckets.chunks(group).map(|g| {
        let t = g[0].0;
        let lo = g.iter().map(|b| b.1).fold(f32::INFINITY, f32::min);
        let hi = g.iter().map(|b| b.2).fold(f32::NEG_INFINITY, f32::max);
        PathElement::new(vec![(t, f64::from(lo)), (t, f64::from(hi))], WAVE)
    }))
    .map_err(s)?;
    draw_markers(&mut c, plot, -top..top)?;
    Ok(Panel::from_chart(&c, 0.0..duration, -top..top))
}

fn draw_spectrogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &DetectionPlot<'_>,
    duration: f64,
    (max_cols, max_bins): (usize, usize),
) -> DrawResult<Panel> {
    let top_hz = super::spectrogram::MAX_HZ;
    let mut c = chart(area, 0.0..duration, 0.0..top_hz, false)?;
    c.configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_labels(0)
        .y_labels(5)
        .y_desc("Hz")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 13))
        .draw()
        .map_err(s)?;
    if let Some(sp) = plot.trace.spectrogram().filter(|sp| sp.columns() > 0) {
        let (cols, bins) = (sp.columns(), sp.bins());
        let col_group = cols.div_ceil(max_cols).max(1);
        let bin_group = bins.div_ceil(max_bins).max(1);
        // Colour range: the loudest cell down to 70 dB below it.
        let loudest = (0..cols)
            .flat_map(|ci| (0..bins).map(move |b| (ci, b)))
            .map(|(ci, b)| sp.level_db(ci, b))
            .fold(super::spectrogram::FLOOR_DB, f64::max);
        let lowest = loudest - 70.0;
        let hop = sp.hop_seconds();
        let bin_hz = sp.bin_hz();
        let mut cells = Vec::with_capacity(cols.div_ceil(col_group) * bins.div_ceil(bin_group));
        for c0 in (0..cols).step_by(col_group) {
            let c1 = (c0 + col_group).min(cols);
            let t0 = (sp.column_time(c0) - hop / 2.0).max(0.0);
            let t1 = (sp.column_time(c1 - 1) + hop / 2.0).min(duration);
            for b0 in (0..bins).step_by(bin_group) {
                let b1 = (b0 + bin_group).min(bins);
                let db = (c0..c1)
                    .flat_map(|ci| (b0..b1).map(move |b| (ci, b)))
                    .map(|(ci, b)| sp.level_db(ci, b))
                    .fold(f64::NEG_INFINITY, f64::max);
                let f0 = ((b0 as f64 - 0.5) * bin_hz).max(0.0);
                let f1 = ((b1 as f64 - 0.5) * bin_hz).min(top_hz);
                let color = colormap::color((db - lowest) / (loudest - lowest));
                cells.push(Rectangle::new([(t0, f0), (t1, f1)], color.filled()));
            }
        }
        c.draw_series(cells).map_err(s)?;
    }
    // Tones at their frequency, with the frequency written next to them.
    for t in plot.analysis.tones.iter().filter(|t| t.freq_hz.is_finite()) {
        c.draw_series(std::iter::once(PathElement::new(
            vec![(t.start, t.freq_hz), (t.end, t.freq_hz)],
            WHITE.stroke_width(2),
        )))
        .map_err(s)?;
        let label_y = (t.freq_hz + 180.0).min(top_hz - 150.0);
        c.draw_series(std::iter::once(Text::new(
            format!("{:.0} Hz", t.freq_hz),
            (t.start, label_y),
            (FONT, 14).into_font().color(&WHITE),
        )))
        .map_err(s)?;
    }
    for b in &plot.analysis.beeps {
        c.draw_series(std::iter::once(Rectangle::new(
            [(b.start, b.freq_hz - 120.0), (b.end, b.freq_hz + 120.0)],
            BEEP.stroke_width(2),
        )))
        .map_err(s)?;
    }
    draw_markers(&mut c, plot, 0.0..top_hz)?;
    Ok(Panel::from_chart(&c, 0.0..duration, 0.0..top_hz))
}

fn draw_lanes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &DetectionPlot<'_>,
    duration: f64,
) -> DrawResult<Panel> {
    let a = plot.analysis;
    let y = -0.6..4.6;
    let mut c = chart(area, 0.0..duration, y.clone(), true)?;
    let lane_name = |v: &f64| {
        LANES
            .iter()
            .find(|(_, y)| (y - v).abs() < 0.01)
            .map_or(String::new(), |(n, _)| (*n).to_owned())
    };
    c.configure_mesh()
        .disable_y_mesh()
        .x_desc("seconds")
        .y_labels(LANES.len() + 1)
        .y_label_formatter(&lane_name)
        .label_style((FONT, 13))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(s)?;
    let bar = |y: f64, s0: f64, s1: f64, color: RGBColor| {
        Rectangle::new(
            [(s0, y - 0.3), (s1.max(s0 + duration * 0.002), y + 0.3)],
            color.filled(),
        )
    };
    let text_style = (FONT, 13).into_font().color(&BLACK);
    c.draw_series(a.speech.iter().map(|&(s0, s1)| bar(4.0, s0, s1, SPEECH)))
        .map_err(s)?;
    c.draw_series(a.tones.iter().map(|t| bar(3.0, t.start, t.end, TONE)))
        .map_err(s)?;
    c.draw_series(a.tones.iter().filter(|t| t.freq_hz.is_finite()).map(|t| {
        Text::new(
            format!("{:.0} Hz", t.freq_hz),
            (t.end + duration * 0.004, 3.25),
            text_style.clone(),
        )
    }))
    .map_err(s)?;
    if let Some((on, end)) = plot.expected.and_then(|e| e.beep) {
        c.draw_series(std::iter::once(Rectangle::new(
            [(on, 1.6), (end, 2.4)],
            BLACK.stroke_width(1),
        )))
        .map_err(s)?;
    }
    c.draw_series(a.beeps.iter().map(|b| bar(2.0, b.start, b.end, BEEP)))
        .map_err(s)?;
    c.draw_series(a.beeps.iter().map(|b| {
        Text::new(
            format!("beep {:.0} Hz at {:.3} s", b.freq_hz, b.start),
            (b.end + duration * 0.004, 2.25),
            text_style.clone(),
        )
    }))
    .map_err(s)?;
    c.draw_series(a.dtmf.iter().map(|d| bar(1.0, d.start, d.end, DTMF)))
        .map_err(s)?;
    c.draw_series(a.dtmf.iter().map(|d| {
        Text::new(
            d.digit.to_string(),
            (d.start, 1.75),
            (FONT, 15).into_font().style(FontStyle::Bold).color(&DTMF),
        )
    }))
    .map_err(s)?;
    // The verdict: a diamond at the decision time, and the words.
    c.draw_series(std::iter::once(Polygon::new(
        {
            let (t, h, w) = (a.decided_at, 0.3, duration * 0.006);
            vec![(t - w, 0.0), (t, h), (t + w, 0.0), (t, -h)]
        },
        DECISION.filled(),
    )))
    .map_err(s)?;
    let anchor = if a.decided_at > duration * 0.7 {
        (a.decided_at - duration * 0.25, 0.25)
    } else {
        (a.decided_at + duration * 0.01, 0.25)
    };
    c.draw_series(std::iter::once(Text::new(
        format!("{} at {:.3} s", a.verdict, a.decided_at),
        anchor,
        (FONT, 14)
            .into_font()
            .style(FontStyle::Bold)
            .color(&DECISION),
    )))
    .map_err(s)?;
    draw_markers(&mut c, plot, y.clone())?;
    Ok(Panel::from_chart(&c, 0.0..duration, y))
}

/// The decision (red) and greeting end (blue) as vertical lines across a panel.
fn draw_markers<DB: DrawingBackend>(
    c: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    plot: &DetectionPlot<'_>,
    y: Range<f64>,
) -> DrawResult<()> {
    let a = plot.analysis;
    let mut lines = vec![(a.decided_at, DECISION)];
    if let Some(g) = a.greeting_end {
        lines.push((g.at, GREETING_END));
    }
    c.draw_series(
        lines.into_iter().map(|(t, color)| {
            PathElement::new(vec![(t, y.start), (t, y.end)], color.stroke_width(2))
        }),
    )
    .map_err(s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::replay_file;
    use ringside_audio::testutil::TempDir;
    use ringside_dsp::Config;

    fn machine_beep() -> (Analysis, PlotTrace) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/machine_beep.wav");
        let mut trace = PlotTrace::new();
        let a = replay_file(&path, &Config::default(), None, &mut trace).unwrap();
        (a, trace)
    }

    fn rgb(buf: &[u8], (x, y): (i32, i32)) -> (u8, u8, u8) {
        let i = ((y as u32 * SIZE.0 + x as u32) * 3) as usize;
        (buf[i], buf[i + 1], buf[i + 2])
    }

    /// Whether any pixel within `r` of `p` satisfies `f`.
    fn near(buf: &[u8], p: (i32, i32), r: i32, f: impl Fn((u8, u8, u8)) -> bool) -> bool {
        (-r..=r).any(|dx| (-r..=r).any(|dy| f(rgb(buf, (p.0 + dx, p.1 + dy)))))
    }

    #[test]
    fn draws_each_finding_where_it_belongs() {
        let (a, trace) = machine_beep();
        let beep = a.beep.expect("the fixture has a beep");
        let plot = DetectionPlot {
            title: "machine_beep.wav",
            analysis: &a,
            trace: &trace,
            expected: None,
        };
        let (buf, l) = render(&plot).unwrap();
        assert_eq!(buf.len(), (SIZE.0 * SIZE.1 * 3) as usize);
        let white = |c: (u8, u8, u8)| c == (255, 255, 255);
        // Waveform: ink around zero in the middle of the greeting.
        let (s0, s1) = a.speech[0];
        let mid = (s0 + s1) / 2.0;
        assert!(near(&buf, l.waveform.pixel(mid, 0.0), 3, |c| c
            == (WAVE.0, WAVE.1, WAVE.2)));
        // Spectrogram: bright at the beep's frequency during the beep, darker far above it.
        let bright = |c: (u8, u8, u8)| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        let t = (beep.start + beep.end) / 2.0;
        // The brightest spectrogram colour within a few rows of the beep's frequency (the
        // white tone line and the purple beep box are drawn over it, so skip those).
        let (bx, by) = l.spectrogram.pixel(t, beep.freq_hz);
        let at_beep = (-6..=6)
            .map(|dy| rgb(&buf, (bx, by + dy)))
            .filter(|&c| c != (255, 255, 255) && c != (BEEP.0, BEEP.1, BEEP.2))
            .map(bright)
            .max()
            .unwrap_or(0);
        let above = bright(rgb(&buf, l.spectrogram.pixel(t, 3700.0)));
        assert!(
            at_beep > 500 && at_beep > above + 200,
            "{at_beep} vs {above}"
        );
        // Lanes: speech green mid-greeting, the beep purple, the decision line red.
        let speech_y = DetectionLayout::lane("speech").unwrap();
        assert_eq!(
            rgb(&buf, l.lanes.pixel(mid, speech_y)),
            (SPEECH.0, SPEECH.1, SPEECH.2)
        );
        let beep_y = DetectionLayout::lane("beep").unwrap();
        assert_eq!(
            rgb(&buf, l.lanes.pixel(t, beep_y)),
            (BEEP.0, BEEP.1, BEEP.2)
        );
        let decision = l.lanes.pixel(a.decided_at, 3.5);
        assert!(near(&buf, decision, 1, |c| c
            == (DECISION.0, DECISION.1, DECISION.2)));
        // Nothing in the DTMF lane (the fixture has no digits).
        let dtmf_y = DetectionLayout::lane("DTMF").unwrap();
        assert!(white(rgb(&buf, l.lanes.pixel(0.75, dtmf_y))));
        // The title is drawn (dark pixels in the top band).
        let title_ink = (0..600)
            .flat_map(|x| (5..30).map(move |y| (x, y)))
            .filter(|&p| !white(rgb(&buf, p)))
            .count();
        assert!(title_ink > 500, "{title_ink}");
    }

    #[test]
    fn writes_png_and_svg_files() {
        let (a, trace) = machine_beep();
        let expected = Expected {
            label: "machine".to_owned(),
            beep: Some((5.78, 6.14)),
        };
        let plot = DetectionPlot {
            title: "machine_beep.wav",
            analysis: &a,
            trace: &trace,
            expected: Some(&expected),
        };
        let dir = TempDir::new();
        std::fs::create_dir_all(dir.file("")).unwrap();
        let png = dir.file("p.png");
        write(&png, &plot).unwrap();
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let dim =
            |o: usize| u32::from_be_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
        assert_eq!((dim(16), dim(20)), SIZE);
        let svg = dir.file("p.SVG");
        write(&svg, &plot).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.starts_with("<svg"), "{}", &text[..40]);
        let verdict = format!("{} at {:.3} s", a.verdict, a.decided_at);
        assert!(text.contains(&verdict), "no {verdict:?}");
        assert!(text.contains("1452 Hz") || text.contains("1451 Hz"));
        assert!(text.len() < 3_000_000, "{} bytes", text.len());
        assert!(matches!(
            write(&dir.file("p.jpg"), &plot),
            Err(PlotError::UnknownFormat(_))
        ));
    }
}
