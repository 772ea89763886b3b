//! What the call does when a `<Record>` ends: request its action (also after the callee
//! hung up, when the reply is ignored) and post its transcription.

use std::sync::Arc;

use url::Url;

use super::{
    Action, Activity, Call, FetchPurpose, FinishedRecording, LogLevel, Notification, State, Timer,
    Transcription,
};
use crate::api::Method;
use crate::time::Instant;
use crate::twiml::{Outcome, Step};

impl Call {
    /// A `<Record>` ended: request its action (after a hang-up too, with `Digits=hangup`,
    /// the call being over), then deliver its transcription.
    pub(super) fn on_recording_finished(
        &mut self,
        now: Instant,
        recording: &FinishedRecording,
    ) -> bool {
        let Activity::Record {
            digits,
            transcribe_callback,
            ..
        } = &self.activity
        else {
            return false;
        };
        let digits = if recording.callee_hung_up {
            "hangup".to_owned()
        } else {
            digits.clone()
        };
        let callback = transcribe_callback.clone();
        self.timers.stop(Timer::RecordMax);
        self.activity = Activity::Idle;
        let outcome = Outcome::Recorded {
            url: recording.url.clone(),
            duration: recording.duration,
            digits,
        };
        if recording.callee_hung_up {
            let step = self.interpreter.as_mut().map(|i| i.resume(outcome));
            self.end(now, State::Completed, false);
            if let Some(Step::Fetch(f)) = step {
                self.note(
                    now,
                    "the callee hung up during the recording: requesting its action".to_owned(),
                );
                self.request_ignoring_reply(
                    now,
                    (f.url, f.method),
                    None,
                    f.params,
                    FetchPurpose::FinalRecordAction,
                );
            }
        } else {
            self.resume(now, outcome);
        }
        if let Some(t) = &recording.transcription {
            self.on_transcription(now, recording, t, callback);
        }
        true
    }

    /// Posts a transcription to `transcribeCallback`; a failed one is also a warning
    /// Notification.
    fn on_transcription(
        &mut self,
        now: Instant,
        recording: &FinishedRecording,
        transcription: &Transcription,
        callback: Option<Arc<Url>>,
    ) {
        let (status, text) = match &transcription.result {
            Ok(text) => ("completed", text.clone()),
            Err(failure) => {
                let n = Notification {
                    time: now,
                    log: LogLevel::Warning,
                    error_code: failure.error_code,
                    message_text: format!(
                        "transcription of recording {} failed: {}",
                        recording.sid, failure.message
                    ),
                    request_url: callback
                        .as_deref()
                        .map_or_else(|| recording.url.clone(), Url::to_string),
                    request_method: Method::Post,
                };
                self.notifications.push(n.clone());
                self.push(now, Action::Notify(n));
                ("failed", String::new())
            }
        };
        let Some(url) = callback else {
            return;
        };
        let extra = vec![
            ("TranscriptionSid", transcription.sid.clone()),
            ("TranscriptionText", text),
            ("TranscriptionStatus", status.to_owned()),
            ("RecordingSid", recording.sid.clone()),
            ("RecordingUrl", recording.url.clone()),
        ];
        self.request_ignoring_reply(
            now,
            (url, Method::Post),
            None,
            extra,
            FetchPurpose::Transcription,
        );
    }
}
