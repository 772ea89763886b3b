//! The sample rates the crate works with: the line's, and the range it accepts from files.
//!
//! Kept apart from both the decoders and their errors, which each need the limits, so that
//! neither has to import the other.

/// The telephone line's sample rate, the detector's default and the simulator's only one.
pub const LINE_RATE: u32 = 8000;

/// Lowest input sample rate accepted. Below this there is no telephone band left to analyse.
pub const MIN_RATE: u32 = 1000;

/// Highest input sample rate accepted (the highest common studio rate, 768 kHz, fits).
pub const MAX_RATE: u32 = 768_000;
