//! `<Record>` on the line: the beep, the callee's audio kept sample-exact from the beep's
//! end up to `maxLength`, the stored [`Recording`] under a random `RE…` sid, and the
//! simulated transcription of what the person said.

use ringside_call::{
    CallEvent, Duration, FinishedRecording, Instant, Transcription, TranscriptionFailure,
};

use super::line::{FRAME, Tag};
use super::{Simulation, signals};

/// The `<Record>` beep: 1 kHz at −10 dBFS, like the 2008 service's; its length is the
/// call's [`CallConfig::record_beep`](ringside_call::CallConfig::record_beep).
const RECORD_BEEP: (f32, f32) = (1000.0, 0.316);

/// Transcription works on recordings of 2 to 120 s, as Twilio's did.
const TRANSCRIBABLE_MS: std::ops::RangeInclusive<u64> = 2_000..=120_000;

/// A finished `<Record>`.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The Recording Sid, `RE` + 32 random hex digits.
    pub sid: String,
    /// The URL reported to the app (the prefix and the sid).
    pub url: String,
    /// When recording started (after the beep).
    pub started: Instant,
    /// The length of `audio`.
    pub duration: Duration,
    /// What it recorded (8 kHz mono): the callee's audio from the end of the beep, or
    /// for a recording of the whole call both directions mixed.
    pub audio: Vec<f32>,
    /// A recording of the whole call (2010 `Record=true`), not of a `<Record>`.
    pub whole_call: bool,
}

#[derive(Debug)]
pub(super) struct ActiveRecording {
    pub(super) started: Instant,
    /// The line sample `started` falls on: audio is kept from exactly there.
    pub(super) start_sample: u64,
    pub(super) silence: Duration,
    /// `maxLength` in samples: the recording ends once it holds this many.
    pub(super) max_samples: u64,
    pub(super) audio: Vec<f32>,
    /// A transcription was asked for.
    pub(super) transcribe: bool,
    /// A scripted person talked into it.
    pub(super) spoke: bool,
}

impl ActiveRecording {
    /// Keeps the part of a frame (from line sample `at`) after the beep's end, sample-exact,
    /// up to `maxLength`; true once the recording holds `maxLength` of audio.
    pub(super) fn capture(&mut self, at: u64, frame: &[f32; FRAME]) -> bool {
        if at + FRAME as u64 > self.start_sample {
            let skip = usize::try_from(self.start_sample.saturating_sub(at))
                .unwrap_or(FRAME)
                .min(FRAME);
            let room = self.max_samples.saturating_sub(self.audio.len() as u64);
            let take = (FRAME - skip).min(usize::try_from(room).unwrap_or(FRAME));
            self.audio.extend_from_slice(&frame[skip..skip + take]);
        }
        self.audio.len() as u64 >= self.max_samples
    }
}

impl Simulation {
    /// `<Record>`: beeps (unless `play_beep` is off), lets a scripted person talk, and
    /// starts keeping the callee's audio from the beep's end.
    pub(super) fn start_recording(
        &mut self,
        t: Instant,
        timeout: Duration,
        play_beep: bool,
        max_length: Duration,
        transcribe: bool,
    ) {
        let mut started = t;
        if play_beep {
            let (f, level) = RECORD_BEEP;
            let ms = self.call.config().record_beep.as_millis();
            self.schedule_to_callee(t, Tag::RecordBeep, signals::tone(f, ms, level).into(), 1);
            started = t + Duration::from_millis(ms);
        }
        let start_sample = self.sample_at(started);
        let mut spoke = false;
        if let Some(line) = self.line.as_mut() {
            if let Some(reply) = self.far.on_record(line, start_sample) {
                spoke = reply.speak > Duration::ZERO;
                let key = reply
                    .then_press
                    .map_or("nothing".to_owned(), |k| format!("{k}"));
                self.note(
                    t,
                    format!("far end will talk for {} then press {key}", reply.speak),
                );
            }
        }
        self.recording = Some(ActiveRecording {
            started,
            start_sample,
            silence: timeout,
            max_samples: max_length.as_millis() * signals::SAMPLES_PER_MS,
            audio: Vec::new(),
            transcribe,
            spoke,
        });
        self.last_callee_voice = None;
    }

    /// Ends the recording at `t`: stores it under a fresh sid and queues its report
    /// (with the transcription, if asked for) for the call.
    pub(super) fn finish_recording(&mut self, t: Instant, callee_hung_up: bool) {
        let Some(rec) = self.recording.take() else {
            return;
        };
        let sid = (self.config.sids)("RE");
        let url = format!("{}{sid}", self.config.recording_url_prefix);
        let duration = Duration::from_millis(rec.audio.len() as u64 / signals::SAMPLES_PER_MS);
        let transcription = rec.transcribe.then(|| Transcription {
            sid: (self.config.sids)("TR"),
            result: self.transcribe(duration, rec.spoke),
        });
        self.note(t, format!("recording {url} finished ({duration})"));
        self.queued
            .push_back(CallEvent::RecordingFinished(FinishedRecording {
                sid: sid.clone(),
                url: url.clone(),
                duration,
                callee_hung_up,
                transcription,
            }));
        self.recordings.push(Recording {
            sid,
            url,
            started: rec.started,
            duration,
            audio: rec.audio,
            whole_call: false,
        });
    }

    /// The simulated transcriber: the words the phone book says the person speaks, if
    /// they spoke into this recording and it is of a length that can be transcribed.
    fn transcribe(&self, duration: Duration, spoke: bool) -> Result<String, TranscriptionFailure> {
        if !TRANSCRIBABLE_MS.contains(&duration.as_millis()) {
            return Err(TranscriptionFailure {
                error_code: ringside_call::call::ERROR_TRANSCRIPTION_LENGTH,
                message: format!("the recording is {duration}; transcription needs 2 to 120 s"),
            });
        }
        match (spoke, self.far.says()) {
            (true, Some(text)) => Ok(text.to_owned()),
            (false, _) => Err(TranscriptionFailure {
                error_code: ringside_call::call::ERROR_TRANSCRIPTION_EMPTY,
                message: "no speech was heard in the recording".to_owned(),
            }),
            (true, None) => Err(TranscriptionFailure {
                error_code: ringside_call::call::ERROR_TRANSCRIPTION_EMPTY,
                message: "the speech could not be made out (the phone book gives this far end no \"says\" text)".to_owned(),
            }),
        }
    }
}
