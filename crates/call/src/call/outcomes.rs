//! What a driver reports when a `<Record>` or a `<Dial>` ends: the finished recording
//! (with its transcription, if one was asked for) and the dialled leg's result.
//!
//! Both carry sids the driver chose (`RE…`, `TR…`, the leg's `CallSegmentSid`): the call
//! machine needs no randomness, and the driver makes them unguessable.

use std::fmt;

use crate::api::DialStatus;
use crate::time::Duration;

/// A `<Record>` that ended, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedRecording {
    /// The Recording Sid, `RE` + 32 hex digits.
    pub sid: String,
    /// Where the audio can be fetched (`RecordingUrl`); its last segment is the sid.
    pub url: String,
    /// The length of the stored audio (the beep is not part of it).
    pub duration: Duration,
    /// The callee hung up during the recording (`Digits=hangup`; the call is over).
    pub callee_hung_up: bool,
    /// The transcription, when `transcribe` was set.
    pub transcription: Option<Transcription>,
}

/// The simulated transcription of a recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcription {
    /// `TR` + 32 hex digits.
    pub sid: String,
    /// The text, or why there is none.
    pub result: Result<String, TranscriptionFailure>,
}

/// Why a recording could not be transcribed; raised as a warning Notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptionFailure {
    /// The Notification's error code (13617: length out of range; 17554: nothing to hear).
    pub error_code: u32,
    /// What went wrong, for the Notification.
    pub message: String,
}

/// How a `<Dial>` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialResult {
    /// `answered`, `busy`, `no-answer` or `failed`.
    pub status: DialStatus,
    /// How long the leg was connected (zero unless answered).
    pub duration: Duration,
    /// The leg's `CallSegmentSid`, if a leg was placed.
    pub segment_sid: Option<String>,
}

impl DialResult {
    /// A dial that placed no leg (nothing to dial).
    pub fn failed() -> Self {
        DialResult {
            status: DialStatus::Failed,
            duration: Duration::ZERO,
            segment_sid: None,
        }
    }
}

impl fmt::Display for DialResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.status, self.duration)?;
        if let Some(s) = &self.segment_sid {
            write!(f, ", segment {s}")?;
        }
        Ok(())
    }
}
