//! The sample rates the crate works with (the line's, and the range it accepts from files)
//! and the most channels it accepts.
//!
//! Kept apart from both the decoders and their errors, which each need the limits, so that
//! neither has to import the other.

/// The telephone line's sample rate, the detector's default and the simulator's only one.
pub const LINE_RATE: u32 = 8000;

/// Lowest input sample rate accepted. Below this there is no telephone band left to analyse.
pub const MIN_RATE: u32 = 1000;

/// Highest input sample rate accepted (the highest common studio rate, 768 kHz, fits).
pub const MAX_RATE: u32 = 768_000;

/// Most interleaved channels accepted from a file. Every buffer between the decoder and the
/// downmix holds a block of frames of every channel, so a header announcing 65,535 channels
/// would make each one 16,000 times larger; real recordings have 1 or 2, studio formats up
/// to 22.2 (24), and FLAC and WAVE_FORMAT_EXTENSIBLE name at most 8 and 18 positions.
pub const MAX_CHANNELS: u16 = 32;
