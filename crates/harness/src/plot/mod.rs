//! Pictures of what the detector did: one chart per recording, one summary per corpus.
//!
//! - [`trace::PlotTrace`] gathers a waveform envelope and a spectrogram while a file is
//!   replayed (it is a [`crate::ReplayObserver`], so plotting rides along the normal replay).
//! - [`detection`] draws one recording: waveform with speech shaded, the telephone-band
//!   spectrogram with tones marked at their frequency, and lanes for speech, tones, beeps,
//!   DTMF digits and the verdict, with the decision time and greeting end as vertical lines.
//! - [`summary`] draws an evaluation: the confusion matrix and the decision-time and
//!   beep-onset-error distributions.
//!
//! PNG or SVG is chosen by the file's extension. The font (DejaVu Sans, from the `dejavu`
//! crate) is compiled in and registered before anything is drawn, for SVG too (plotters
//! measures text with it), so a machine without font packages renders the same picture.

pub mod colormap;
pub mod detection;
pub mod spectrogram;
pub mod summary;
pub mod trace;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::style::FontStyle;

pub use detection::{DetectionLayout, DetectionPlot, Expected, Panel};
pub use trace::PlotTrace;

/// The family name every chart asks for; bound to the bundled DejaVu Sans.
pub(crate) const FONT: &str = "sans-serif";

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The output name's extension is not one we can write.
    #[error("{}: unknown picture format; use a .png or .svg file name", .0.display())]
    UnknownFormat(PathBuf),
    /// Drawing or writing failed.
    #[error("{}: cannot draw the picture: {message}", path.display())]
    Draw {
        /// The picture being written.
        path: PathBuf,
        /// What plotters (or the file system) said.
        message: String,
    },
    /// The picture's folder does not exist (checked first: plotters would report it as a
    /// raw I/O error only after drawing).
    #[error("{}: cannot write the picture: the folder {} does not exist", path.display(), dir.display())]
    NoFolder {
        /// The picture asked for.
        path: PathBuf,
        /// Its folder.
        dir: PathBuf,
    },
    /// The bundled font was rejected (a build problem, not a user one).
    #[error("the bundled font could not be loaded")]
    Font,
}

/// Picture formats we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// The format a file name asks for, by extension (case-insensitive).
    pub fn of(path: &Path) -> Result<Self, PlotError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("png") => Ok(Self::Png),
            Some("svg") => Ok(Self::Svg),
            _ => Err(PlotError::UnknownFormat(path.to_path_buf())),
        }
    }

    /// The format `path` asks for, once its folder is known to exist.
    pub fn for_output(path: &Path) -> Result<Self, PlotError> {
        let format = Self::of(path)?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(PlotError::NoFolder {
                path: path.to_path_buf(),
                dir: dir.to_path_buf(),
            });
        }
        Ok(format)
    }
}

/// Registers the bundled font with plotters, once per process.
pub(crate) fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        let regular =
            plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let bold = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
        regular.is_ok() && bold.is_ok()
    });
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

/// Turns a plotters error into ours.
pub(crate) fn draw_err(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> PlotError + '_ {
    move |e| PlotError::Draw {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_named_before_drawing() {
        let e = Format::for_output(Path::new("/nonexistent-ringside/x.png")).unwrap_err();
        assert!(
            e.to_string()
                .contains("the folder /nonexistent-ringside does not exist"),
            "{e}"
        );
        assert_eq!(Format::for_output(Path::new("x.svg")).unwrap(), Format::Svg);
    }
}
