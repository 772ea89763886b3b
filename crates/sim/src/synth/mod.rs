//! The synthesiser: signal generators, the line, rendering a plan, and writing calls.

pub mod beep;
pub mod fax;
pub mod line;
pub mod manifest;
pub mod noise;
pub mod render;
pub mod speech;
pub mod tones;

pub use manifest::{Entry, WriteError, write_manifest, write_wav};
pub use render::{Label, Labels, RenderError, Rendered};
pub use speech::{SpeechError, SpeechLibrary};
