//! Scripted call scenarios, run on a virtual clock.
//!
//! A scenario file ([`file`](mod@file) documents the format) gives a create-call request, the far
//! end (a phone-book number or an inline entry), the app's replies (TwiML per request,
//! matched by URL, purpose, DialStatus or parameters; or HTTP errors, bad documents,
//! silence) and expectations. [`run_scenario`] validates the request as the API would,
//! drives the call through a [`Simulation`](ringside_sim::Simulation) with a virtual clock
//! ([`runner`]), and checks the expectations (`expect`) into a [`ScenarioReport`].

mod app;
mod count;
mod error;
mod expect;
pub mod file;
mod report;
pub mod runner;

pub use app::{AppRequest, Reply, ReplyRule, When};
pub use count::{Count, CountWord};
pub use error::ScenarioError;
pub use expect::{
    Check, Expect, LegExpect, LegOutcome, NotificationExpect, NotificationOutcome,
    RecordingsExpect, RequestExpect, Within,
};
pub use file::Scenario;
pub use report::{ScenarioReport, TimelineLine};
pub use runner::{run, run_recording, run_scenario};

/// The scenario files in `dir` (`*.json`, not recursive), sorted by name.
pub fn files_in(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}
