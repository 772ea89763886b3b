//! End-to-end tests: the real `ringside` binary on committed fixtures, and the detector's
//! evaluation on the shared corpora.
//!
//! One test binary with modules (faster to link than one per file). The corpus
//! evaluation is its own module so it can run alone: `cargo test --test tests corpus`.
#![allow(clippy::unwrap_used)]

mod bench;
mod corpus;
mod detect;
mod eval;
mod hostile;
mod media;
mod scenario;
mod server;
mod synth;
mod util;
