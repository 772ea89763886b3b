//! A `<Dial>` leg: the dialled number's far end (from the phone book, resolved by the
//! driver), rung and bridged to the callee.
//!
//! The leg rings for its entry's `ring_secs`, then answers, is busy, fails, or never
//! answers, as a call to that number would. Once answered its recording plays to the
//! callee (so it is in the call audio), `<Number sendDigits>` keys are sent to it and
//! recognised by DSP, and it hangs up when its entry says. The call machine bounds the
//! ringing (`timeout`) and the bridge (`timeLimit`, `hangupOnStar`) and stops it with
//! `StopBridge`.

use ringside_call::{
    DialResult, DialStatus, DigitStep, Duration, Instant, PhoneNumber, SendDigits,
};

use super::farend::{FarEnd, RingEnd};
use super::listener::{Heard, LineListener};
use super::signals;

/// One dialled leg, as listed under the call's Segments.
#[derive(Debug, Clone)]
pub struct DialLeg {
    /// The `CallSegmentSid`: `CA` + 32 random hex digits.
    pub segment_sid: String,
    /// The dialled number.
    pub number: PhoneNumber,
    /// The caller id presented to it (`callerId`, or the call's caller).
    pub caller: PhoneNumber,
    /// What the phone book says is there, once resolved.
    pub description: Option<String>,
    /// When it was dialled.
    pub dialled_at: Instant,
    /// When it answered.
    pub answered_at: Option<Instant>,
    /// When it ended.
    pub ended_at: Option<Instant>,
    /// How it ended: `answered`, `busy`, `no-answer` or `failed`.
    pub status: Option<DialStatus>,
    /// The keys the leg recognised (`<Number sendDigits>`).
    pub digits_heard: String,
    pub(super) send_digits: Option<SendDigits>,
    pub(super) far: Option<FarEnd>,
    pub(super) ring_end: Option<(Instant, RingEnd)>,
    pub(super) hangup_at: Option<Instant>,
}

impl DialLeg {
    pub(super) fn new(
        segment_sid: String,
        number: PhoneNumber,
        caller: PhoneNumber,
        send_digits: Option<SendDigits>,
        now: Instant,
    ) -> Self {
        DialLeg {
            segment_sid,
            number,
            caller,
            description: None,
            dialled_at: now,
            answered_at: None,
            ended_at: None,
            status: None,
            digits_heard: String::new(),
            send_digits,
            far: None,
            ring_end: None,
            hangup_at: None,
        }
    }

    /// True until the leg has ended.
    pub fn is_live(&self) -> bool {
        self.ended_at.is_none()
    }

    /// How long it was connected (zero unless answered; up to now while live).
    pub fn duration(&self, now: Instant) -> Duration {
        match self.answered_at {
            Some(a) => self.ended_at.unwrap_or(now) - a,
            None => Duration::ZERO,
        }
    }

    /// What the call is told when the leg is over.
    pub(super) fn result(&self, now: Instant) -> DialResult {
        DialResult {
            status: self.status.unwrap_or(DialStatus::Failed),
            duration: self.duration(now),
            segment_sid: Some(self.segment_sid.clone()),
        }
    }

    /// Ends the leg at `now` with `status`.
    pub(super) fn end(&mut self, now: Instant, status: DialStatus) {
        if self.ended_at.is_none() {
            self.ended_at = Some(now);
            self.status = Some(status);
            self.ring_end = None;
            self.hangup_at = None;
        }
    }

    /// The next thing the leg does by itself.
    pub(super) fn next_due(&self) -> Option<Instant> {
        [self.ring_end.map(|(t, _)| t), self.hangup_at]
            .into_iter()
            .flatten()
            .min()
    }
}

/// The keys of `digits` as the leg hears them: sent as DTMF (each `tone` long, one every
/// `period`, `w` waiting 0.5 s) and recognised by a [`LineListener`], so a key the
/// detector cannot hear is not heard here either.
pub(super) fn hear_keys(
    digits: &SendDigits,
    tone: Duration,
    period: Duration,
    config: &ringside_dsp::Config,
) -> String {
    let mut audio = Vec::new();
    for step in digits.steps() {
        match step {
            DigitStep::Digit(c) => {
                if let Some(t) = signals::dtmf(c, tone.as_millis()) {
                    audio.extend_from_slice(&t);
                }
                let gap = period.as_millis().saturating_sub(tone.as_millis());
                audio.resize(audio.len() + signals::samples(gap), 0.0);
            }
            DigitStep::Wait => {
                let wait = DigitStep::WAIT.as_millis();
                audio.resize(audio.len() + signals::samples(wait), 0.0);
            }
        }
    }
    // Trailing quiet lets the last key's end be seen.
    audio.resize(audio.len() + signals::samples(300), 0.0);
    let Ok(mut listener) = LineListener::new(config, Instant::ZERO) else {
        return String::new();
    };
    let mut heard = Vec::new();
    for frame in audio.chunks(super::FRAME) {
        let mut full = [0.0f32; super::FRAME];
        full[..frame.len()].copy_from_slice(frame);
        listener.process(&full, &mut heard);
    }
    heard
        .into_iter()
        .filter_map(|h| match h {
            Heard::Key(c, _) => Some(c),
            _ => None,
        })
        .collect()
}
