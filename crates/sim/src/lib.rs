//! ringside-sim: the far end of a simulated call, and the sans-I/O [`Simulation`] that
//! drives one `ringside_call::Call` against it.
//!
//! ```text
//! PhoneBook (JSON) ─ lookup(number) ─▶ PhoneEntry ─ ClipLibrary::far_end ─▶ FarEnd
//!                                                   (recordings decoded by ringside-audio)
//! Simulation::new(Call, FarEnd, SimConfig)
//!   inputs:  start / handle_timeout(now) / app_responded / app_failed / media_loaded /
//!            media_failed / call_event
//!   outputs: poll_output() → SimOutput (FetchApp, FetchMedia, Notify, Ended),
//!            poll_timeout() → the next instant the line needs (every 10 ms when connected)
//!   inside:  Line (both directions mixed in 10 ms frames) → Amd (the real detector) and two
//!            LineListeners (DTMF, voice) → the call's events; Tape (a voicemail box)
//! ```
//!
//! The simulation reads no file and no clock: the scenario runner (virtual clock, in
//! ringside-harness) and the server (tokio) are two drivers of the same code, and so apply
//! the same call rules to the same audio. Who answered is never read from the phone book:
//! the callee's recording streams through a real `ringside_dsp::Detector`, and only its
//! verdict reaches the call ([`DetectorReport`] keeps it for people).
//!
//! The audio of both directions is kept only when [`SimConfig::keep_audio`] asks (a
//! `scenario --record` run); a server call keeps none.
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod clips;
pub mod phonebook;
pub mod simulation;

pub use clips::ClipLibrary;
pub use phonebook::{PhoneBook, PhoneBookError, PhoneEntry};
pub use simulation::{
    Capture, Clip, DetectorReport, Direction, FRAME, FarEnd, Frame, Line, Recording, RingEnd,
    SimConfig, SimEntry, SimOutput, Simulation, Span, Tag, Tape, TapeReport,
};
