//! `ScenarioReport`: what one scenario did and whether its expectations held; JSON for
//! machines, [`ScenarioReport::render`] for people.

use std::fmt::Write as _;
use std::path::PathBuf;

use ringside_call::Instant;
use serde::Serialize;

use super::app::AppRequest;
use super::expect::Check;
use ringside_sim::{DetectorReport, TapeReport};

/// One line of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineLine {
    /// When, in ms since the dial.
    pub at_ms: u64,
    /// `call` (the call machine) or `line` (far end, detectors, audio, app).
    pub source: &'static str,
    /// What happened.
    pub text: String,
}

/// The result of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    /// The scenario file.
    pub file: PathBuf,
    /// Its description.
    pub description: String,
    /// The API error if the request was refused: (code, message).
    pub rejected: Option<(u32, String)>,
    /// The call sid.
    pub call_sid: Option<String>,
    /// The final status code (0–5).
    pub status: Option<u8>,
    /// The DialStatus sent.
    pub dial_status: Option<String>,
    /// A 2010 call's AnsweredBy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    /// What the detector said.
    pub detector: Option<DetectorReport>,
    /// The voicemail tape, judged.
    pub tape: Option<TapeReport>,
    /// Keys the far end recognised.
    pub far_end_digits: String,
    /// Every app request.
    pub requests: Vec<AppRequest>,
    /// Notifications: (code, message).
    pub notifications: Vec<(u32, String)>,
    /// Everything that happened.
    pub timeline: Vec<TimelineLine>,
    /// Each expectation.
    pub checks: Vec<Check>,
    /// Whether every check passed.
    pub passed: bool,
    /// Virtual time the call took, ms.
    pub virtual_ms: u64,
    /// Wall time to run it, ms.
    pub wall_ms: f64,
    /// The call's audio, when recorded (`ringside scenario --record DIR`).
    pub recording: Option<PathBuf>,
}

impl ScenarioReport {
    /// The report as text: the timeline, the tape, each check, a verdict line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "== {} — {}", self.file.display(), self.description);
        if let Some(rec) = &self.recording {
            let _ = writeln!(out, "   call audio: {}", rec.display());
        }
        if let Some((code, msg)) = &self.rejected {
            let _ = writeln!(out, "   request refused: {msg} (error {code})");
        }
        for line in &self.timeline {
            let _ = writeln!(
                out,
                "   {:>9}  {:<4}  {}",
                Instant::from_millis(line.at_ms).to_string(),
                line.source,
                line.text
            );
        }
        if let Some(tape) = &self.tape {
            let _ = writeln!(out, "   tape: {tape}");
        }
        if !self.far_end_digits.is_empty() {
            let _ = writeln!(out, "   far end heard: {}", self.far_end_digits);
        }
        for c in &self.checks {
            let mark = if c.passed { "PASS" } else { "FAIL" };
            if c.passed {
                let _ = writeln!(out, "   {mark} {}: {}", c.name, c.actual);
            } else {
                let _ = writeln!(
                    out,
                    "   {mark} {}: expected {}, got {}",
                    c.name, c.expected, c.actual
                );
            }
        }
        let verdict = if self.passed { "passed" } else { "FAILED" };
        let _ = writeln!(
            out,
            "   => {verdict}: {} of {} checks, status {}, {:.3} s virtual, {:.1} ms wall",
            self.checks.iter().filter(|c| c.passed).count(),
            self.checks.len(),
            self.status.map_or("-".to_owned(), |s| s.to_string()),
            self.virtual_ms as f64 / 1000.0,
            self.wall_ms
        );
        out
    }
}
