//! Writes what a running call does to the store, as it happens: status changes (so a
//! `GET` during the call is current), each `<Record>` as soon as it finishes (the app may
//! fetch its RecordingUrl from the very request that announces it), notifications, and at
//! the end the final status, times and the voicemail tape.

use ringside_call::{CallStatus, DialStatus, Notification};
use ringside_sim::{DialLeg, Recording, Simulation};

use crate::date::now_ms;
use crate::error::ServerError;
use crate::resources::{
    CallApi, CallRecord, FLAG_DIAL_LEG, NotificationRecord, RecordingRecord, RecordingSource,
    SegmentRecord,
};
use crate::sid;
use crate::store::{CallRow, Store};
use crate::webhook::target::redact;

/// A call's record and what of it has been written.
#[derive(Debug)]
pub(super) struct Persist {
    store: Store,
    record: CallRecord,
    recordings_saved: usize,
    tape_saved: bool,
    /// Each `<Dial>` leg as last written.
    segments: Vec<SegmentRecord>,
}

impl Persist {
    /// Tracks `record`, already stored with status 0.
    pub(super) fn new(store: Store, record: CallRecord) -> Self {
        Persist {
            store,
            record,
            recordings_saved: 0,
            tape_saved: false,
            segments: Vec::new(),
        }
    }

    /// The record as last written.
    pub(super) fn record(&self) -> &CallRecord {
        &self.record
    }

    async fn write(&self) -> Result<(), ServerError> {
        let row = self.record.clone();
        self.store.run(move |c| CallRow::upsert(c, &row)).await
    }

    /// Writes the call's status and DialStatus if they changed. `StartTime` becomes the
    /// moment of dialling; once final, `EndTime` and `Duration` are set.
    pub(super) async fn sync_status(&mut self, sim: &Simulation) -> Result<(), ServerError> {
        let call = sim.call();
        let status = call.status();
        let dial_status = call.dial_status().map(|d| d.as_str().to_owned());
        let status_2010 = call.state().status_2010();
        let answered_by = call.answered_by();
        if status == self.record.status
            && dial_status == self.record.dial_status
            && status_2010 == self.record.api.status
            && answered_by == self.record.api.answered_by
        {
            return Ok(());
        }
        self.record.api.status = status_2010.to_owned();
        self.record.api.answered_by = answered_by;
        let now = now_ms();
        if self.record.status == CallStatus::NotDialled && status != CallStatus::NotDialled {
            self.record.start_time = now;
        }
        self.record.status = status;
        self.record.dial_status = dial_status;
        self.record.date_updated = now;
        if status.is_final() {
            self.record.end_time = Some(now);
            self.record.duration = Some(call.duration_secs().unwrap_or(0));
        }
        self.write().await
    }

    /// Marks the call failed (4) now: its driver could not run it.
    pub(super) async fn fail(&mut self) -> Result<(), ServerError> {
        let now = now_ms();
        self.record.status = CallStatus::Failed;
        "failed".clone_into(&mut self.record.api.status);
        self.record.end_time = Some(now);
        self.record.duration = Some(0);
        self.record.date_updated = now;
        self.write().await
    }

    /// Stores every `<Record>` finished since the last call.
    pub(super) async fn sync_recordings(&mut self, sim: &Simulation) -> Result<(), ServerError> {
        let fresh: Vec<Recording> = sim.recordings()[self.recordings_saved..].to_vec();
        for r in fresh {
            // The sid is the one at the end of the RecordingUrl the app was sent.
            let source = if r.whole_call {
                RecordingSource::OutboundApi
            } else {
                RecordingSource::RecordVerb
            };
            self.save_audio(r.sid, r.duration.as_secs_ceil(), r.audio, source)
                .await?;
            self.recordings_saved += 1;
        }
        Ok(())
    }

    /// Writes each `<Dial>` leg that is new or changed since the last call.
    pub(super) async fn sync_segments(&mut self, sim: &Simulation) -> Result<(), ServerError> {
        for (i, leg) in sim.dial_legs().iter().enumerate() {
            let now = now_ms();
            let row = match self.segments.get(i) {
                Some(saved) => {
                    let mut row = saved.clone();
                    let status = segment_status(leg);
                    if row.call.status == status {
                        continue;
                    }
                    row.call.status = status;
                    row.call.date_updated = now;
                    if status.is_final() {
                        row.call.end_time = Some(now);
                        row.call.duration = Some(
                            leg.duration(leg.ended_at.unwrap_or(leg.dialled_at))
                                .as_secs_ceil(),
                        );
                    }
                    row
                }
                None => self.new_segment(leg, now),
            };
            let stored = row.clone();
            self.store
                .run(move |c| Store::upsert_segment(c, &stored))
                .await?;
            if i < self.segments.len() {
                self.segments[i] = row;
            } else {
                self.segments.push(row);
            }
        }
        Ok(())
    }

    fn new_segment(&self, leg: &DialLeg, now: i64) -> SegmentRecord {
        let status = segment_status(leg);
        let caller = leg.caller.to_string();
        SegmentRecord {
            segment_sid: leg.segment_sid.clone(),
            call: CallRecord {
                sid: self.record.sid,
                account_sid: self.record.account_sid,
                called: leg.number.to_string(),
                phone_number_sid: sid::phone_number_sid(self.record.account_sid, &caller),
                caller,
                status,
                start_time: now,
                end_time: status.is_final().then_some(now),
                duration: status.is_final().then(|| {
                    leg.duration(leg.ended_at.unwrap_or(leg.dialled_at))
                        .as_secs_ceil()
                }),
                flags: FLAG_DIAL_LEG,
                date_created: now,
                date_updated: now,
                url: String::new(),
                method: self.record.method,
                dial_status: None,
                api: CallApi::default(),
            },
        }
    }

    /// Stores the voicemail tape, once, if the box recorded anything.
    pub(super) async fn save_tape(&mut self, sim: &Simulation) -> Result<(), ServerError> {
        if self.tape_saved {
            return Ok(());
        }
        let Some(tape) = sim.tape().filter(|t| !t.audio.is_empty()) else {
            return Ok(());
        };
        self.tape_saved = true;
        let secs = (tape.audio.len() as u64).div_ceil(u64::from(ringside_audio::LINE_RATE));
        self.save_audio(
            sid::prefixed("RE"),
            secs,
            tape.audio.clone(),
            RecordingSource::RecordVerb,
        )
        .await
    }

    async fn save_audio(
        &self,
        sid: String,
        duration: u64,
        audio: Vec<f32>,
        source: RecordingSource,
    ) -> Result<(), ServerError> {
        let wav = tokio::task::spawn_blocking(move || {
            ringside_audio::encode_wav(&audio, ringside_audio::LINE_RATE)
        })
        .await?
        .map_err(|e| ServerError::internal(format!("encoding a recording: {e}")))?;
        let record = RecordingRecord {
            sid,
            account_sid: self.record.account_sid,
            call_sid: self.record.sid,
            duration,
            date_created: now_ms(),
            source,
        };
        self.store
            .run(move |c| Store::insert_recording(c, &record, &wav))
            .await
    }

    /// Stores a notification the call raised.
    pub(super) async fn notification(&self, n: &Notification) -> Result<(), ServerError> {
        let row = NotificationRecord {
            sid: sid::prefixed("NO"),
            account_sid: self.record.account_sid,
            call_sid: self.record.sid,
            log: n.log.code(),
            error_code: n.error_code,
            message_text: n.message_text.clone(),
            message_date: now_ms(),
            // A Url's user info is a password: never stored, never listed.
            request_url: redact(&n.request_url),
            request_method: n.request_method.as_str().to_owned(),
        };
        self.store
            .run(move |c| Store::insert_notification(c, &row))
            .await
    }
}

/// A leg's status code: 1 while it rings or is bridged, then 2 (it answered), 3 busy,
/// 4 failed, 5 no answer.
fn segment_status(leg: &DialLeg) -> CallStatus {
    match leg.status {
        None => CallStatus::InProgress,
        Some(DialStatus::Busy) => CallStatus::Busy,
        Some(DialStatus::NoAnswer) => CallStatus::NoAnswer,
        Some(DialStatus::Failed) => CallStatus::Failed,
        Some(_) => CallStatus::Complete,
    }
}
