//! The simulated far end: a phone-book entry brought to life on a [`Line`].
//!
//! It decides how ringing ends, puts the callee's recording on the line at answer,
//! schedules a scripted person's keys and voice, and knows when it hangs up and when its
//! voicemail box records. It reacts to what the caller does the way a person or a box
//! would notice it (a menu starting, a beep to speak after) — never to what a detector
//! concluded.

use std::sync::Arc;

use ringside_call::{Duration, Instant};

use super::drawn::{self, DrawnEnd};
use super::line::{Clip, Direction, Line, Tag};
use super::signals;
use crate::phonebook::{Answer, KeyPress, Outcome, PhoneEntry, RecordReply, Role};

/// How long a scripted key is held, and the pause after it: 120 ms each, a brisk but
/// ordinary human rhythm (well above the 40 ms minimum of ITU-T Q.24).
const PRESS_MS: u64 = 120;

/// A person starts talking this long after a recording starts.
const SPEAK_DELAY_MS: u64 = 300;

/// What the far end does when ringing ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingEnd {
    /// It picks up.
    Answer,
    /// It is busy.
    Busy,
    /// The network fails the call.
    Fail,
}

/// A far end ready to be called.
#[derive(Debug, Clone)]
pub struct FarEnd {
    description: String,
    ring: Duration,
    outcome: Outcome,
    greeting: Option<Clip>,
    /// For a recipe entry, once drawn: when the box records, and why a draw failed.
    records_from: Option<Duration>,
    failure: Option<String>,
    drawn: bool,
    gather_replies: usize,
    record_replies: usize,
}

impl FarEnd {
    /// The far end of `entry`, playing `greeting` (the entry's audio, loaded at 8 kHz by
    /// the driver; `None` for silence) when it answers.
    pub fn new(entry: &PhoneEntry, greeting: Option<Clip>) -> Self {
        FarEnd {
            description: entry.description.clone(),
            ring: entry.ring,
            outcome: entry.outcome.clone(),
            greeting,
            records_from: None,
            failure: None,
            drawn: false,
            gather_replies: 0,
            record_replies: 0,
        }
    }

    /// Draws this call's far end from the entry's recipe, if it has one, with `seed` (the
    /// call's own, so the same call gets the same far end): rings for the rendered
    /// ringback on top of the entry's `ring_secs`, then plays the rendered call; a drawn
    /// busy or congestion tone makes the call busy or failed once it has played. A recipe
    /// that cannot be rendered fails the call with the reason. Without a recipe, or once
    /// drawn ([`crate::Simulation::new`] draws), nothing changes.
    pub fn for_call(&mut self, seed: u64) {
        if self.drawn {
            return;
        }
        let Some(recipe) = self.answer().and_then(|a| a.recipe.clone()) else {
            return;
        };
        self.drawn = true;
        match drawn::draw(&recipe, seed) {
            Ok(call) => {
                self.ring = self.ring + call.ring;
                match call.end {
                    DrawnEnd::Answer => {}
                    DrawnEnd::Busy => self.outcome = Outcome::Busy,
                    DrawnEnd::Congestion => {
                        self.outcome = Outcome::Fail;
                        self.failure = Some("the far end's recipe drew a congestion tone".into());
                    }
                }
                self.greeting = Some(call.audio);
                self.records_from = call.records_from;
                self.description = format!("{} [{}]", self.description, call.summary);
            }
            Err(e) => {
                self.outcome = Outcome::Fail;
                self.failure = Some(format!(
                    "the far end's recipe ({}) could not be rendered: {e}",
                    recipe.origin
                ));
            }
        }
    }

    /// Why the network fails the call, when the far end knows better than the phone
    /// book's `fail` (a recipe that drew congestion or could not be rendered).
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// The entry's description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// When, after a dial at `dialled`, ringing ends and how; `None` rings forever.
    pub fn ring_end(&self, dialled: Instant) -> Option<(Instant, RingEnd)> {
        let end = match self.outcome {
            Outcome::Answer(_) => RingEnd::Answer,
            Outcome::Busy => RingEnd::Busy,
            Outcome::Fail => RingEnd::Fail,
            Outcome::NoAnswer => return None,
        };
        Some((dialled + self.ring, end))
    }

    fn answer(&self) -> Option<&Answer> {
        match &self.outcome {
            Outcome::Answer(a) => Some(a),
            _ => None,
        }
    }

    /// Puts the recording and the timed key presses on `line` (sample 0 = answer).
    pub fn on_answer(&self, line: &mut Line) {
        if let Some(clip) = &self.greeting {
            line.schedule(Direction::FromCallee, Tag::Greeting, Arc::clone(clip), 0, 1);
        }
        if let Some(Role::Human(script)) = self.answer().map(|a| &a.role) {
            for press in &script.press {
                press_keys(line, 0, press);
            }
        }
    }

    /// The recording it plays once answered (`None` for silence).
    pub fn greeting(&self) -> Option<&Clip> {
        self.greeting.as_ref()
    }

    /// What a scripted person says into a `<Record>` (the phone book's `says`).
    pub fn says(&self) -> Option<&str> {
        match self.answer().map(|a| &a.role) {
            Some(Role::Human(script)) => script.says.as_deref(),
            _ => None,
        }
    }

    /// How long after answer the far end hangs up by itself, if it does.
    pub fn hangs_up_after(&self) -> Option<Duration> {
        let answer = self.answer()?;
        let box_limit = match &answer.role {
            Role::Voicemail(v) => Some(self.records_from.unwrap_or(v.records_from) + v.max_message),
            _ => None,
        };
        match (answer.hangup_after, box_limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// For a voicemail box: when it starts recording, from answer.
    pub fn records_from(&self) -> Option<Duration> {
        match self.answer().map(|a| &a.role) {
            Some(Role::Voicemail(v)) => Some(self.records_from.unwrap_or(v.records_from)),
            _ => None,
        }
    }

    /// True for the IVR role.
    pub fn is_ivr(&self) -> bool {
        matches!(self.answer().map(|a| &a.role), Some(Role::Ivr))
    }

    /// A `<Gather>` started at line sample `at`: a scripted person answers with their next
    /// gather reply, if any; returns the keys scheduled.
    pub fn on_gather(&mut self, line: &mut Line, at: u64) -> Option<String> {
        let Some(Role::Human(script)) = self.answer().map(|a| &a.role) else {
            return None;
        };
        let reply = script.gather.get(self.gather_replies)?.clone();
        self.gather_replies += 1;
        press_keys(line, at, &reply);
        Some(reply.digits)
    }

    /// A `<Record>` started at line sample `at`: a scripted person talks, then presses a
    /// key or falls silent; returns the reply followed.
    pub fn on_record(&mut self, line: &mut Line, at: u64) -> Option<RecordReply> {
        let Some(Role::Human(script)) = self.answer().map(|a| &a.role) else {
            return None;
        };
        let reply = script.record.get(self.record_replies)?.clone();
        self.record_replies += 1;
        let start = at + SPEAK_DELAY_MS * signals::SAMPLES_PER_MS;
        let voice: Clip =
            signals::speech(reply.speak.as_millis(), 11 + self.record_replies as u32).into();
        line.schedule(Direction::FromCallee, Tag::Voice, voice, start, 1);
        if let Some(key) = reply.then_press {
            let after = start + reply.speak.as_millis() * signals::SAMPLES_PER_MS;
            if let Some(tone) = signals::dtmf(key, PRESS_MS) {
                line.schedule(
                    Direction::FromCallee,
                    Tag::PressedKey(key),
                    tone.into(),
                    after,
                    1,
                );
            }
        }
        Some(reply)
    }
}

/// Schedules `press.digits` from line sample `base + press.after`, one key every
/// 2 × [`PRESS_MS`].
fn press_keys(line: &mut Line, base: u64, press: &KeyPress) {
    let mut at = base + press.after.as_millis() * signals::SAMPLES_PER_MS;
    for key in press.digits.chars() {
        if let Some(tone) = signals::dtmf(key, PRESS_MS) {
            line.schedule(
                Direction::FromCallee,
                Tag::PressedKey(key),
                tone.into(),
                at,
                1,
            );
        }
        at += 2 * PRESS_MS * signals::SAMPLES_PER_MS;
    }
}
