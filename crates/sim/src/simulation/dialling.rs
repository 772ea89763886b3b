//! Running a `<Dial>`: its legs are placed, rung, bridged and hung up here, and the call
//! is told how the dial ended.
//!
//! Every `<Number>` is rung at once, as the 2008 service did; the first to answer is
//! bridged and the others are hung up. A dial that connects nobody is `no-answer` if a
//! leg was still ringing when it ended (the call's `timeout`), else `busy` if a leg was
//! busy, else `failed`.

use ringside_call::twiml::DialStep;
use ringside_call::{CallEvent, DialResult, DialStatus, Duration, Instant};

use super::farend::RingEnd;
use super::leg::{self, DialLeg};
use super::line::{Direction, Tag};
use super::{SimOutput, Simulation};

impl Simulation {
    /// Places every leg of a `<Dial>`: their far ends are asked of the driver.
    pub(super) fn dial(&mut self, t: Instant, d: &DialStep) {
        if d.numbers.is_empty() {
            self.note(t, "<Dial> has no number to call".to_owned());
            self.queued
                .push_back(CallEvent::BridgeEnded(DialResult::failed()));
            return;
        }
        let caller = d
            .caller_id
            .clone()
            .unwrap_or_else(|| self.call.request().caller.clone());
        self.dialling_from = Some(self.legs.len());
        for n in &d.numbers {
            if n.url.is_some() {
                self.note(
                    t,
                    format!("<Number url> is not run for the dialled party {}", n.number),
                );
            }
            let segment_sid = (self.config.sids)("CA");
            self.note(
                t,
                format!(
                    "dialling {} from {caller} (segment {segment_sid})",
                    n.number
                ),
            );
            self.legs.push(DialLeg::new(
                segment_sid.clone(),
                n.number.clone(),
                caller.clone(),
                n.send_digits.clone(),
                t,
            ));
            self.outputs.push_back(SimOutput::DialLeg {
                segment_sid,
                number: n.number.clone(),
            });
        }
    }

    /// A leg's ring end or hang-up is due.
    pub(super) fn on_leg_due(&mut self, t: Instant) {
        let Some(i) = self
            .legs
            .iter()
            .position(|l| l.next_due().is_some_and(|d| d <= t))
        else {
            return;
        };
        if let Some((_, end)) = self.legs[i].ring_end.filter(|&(at, _)| at <= t) {
            self.legs[i].ring_end = None;
            match end {
                RingEnd::Answer => self.answer_leg(t, i),
                RingEnd::Busy => {
                    self.note(t, format!("dialled {} is busy", self.legs[i].number));
                    self.end_leg(t, i, DialStatus::Busy);
                }
                RingEnd::Fail => {
                    let n = &self.legs[i].number;
                    self.note(t, format!("the network fails the call to {n}"));
                    self.end_leg(t, i, DialStatus::Failed);
                }
            }
        } else {
            self.note(t, format!("dialled {} hangs up", self.legs[i].number));
            self.end_leg(t, i, DialStatus::Answered);
        }
        self.pump(t);
    }

    /// `StopBridge`: the call's `timeout`, `timeLimit` or `*` ends the dial now.
    pub(super) fn stop_dial(&mut self, t: Instant) {
        if self.dialling_from.is_none() {
            return;
        }
        self.note(t, "stopping the dial: hanging up its legs".to_owned());
        self.hang_up_legs(t);
        self.dial_over(t);
    }

    /// The far end of leg `i` picked up: it is bridged (its recording plays to the
    /// callee, its keys are sent) and the other legs of the dial are hung up.
    fn answer_leg(&mut self, t: Instant, i: usize) {
        let (greeting, hangs_up_after) = match &self.legs[i].far {
            Some(far) => (far.greeting().cloned(), far.hangs_up_after()),
            None => (None, None),
        };
        let from = self.dialling_from.unwrap_or(i);
        for j in from..self.legs.len() {
            if j != i && self.legs[j].is_live() {
                self.note(
                    t,
                    format!("hanging up {}: another leg answered", self.legs[j].number),
                );
                self.legs[j].end(t, DialStatus::NoAnswer);
            }
        }
        let leg = &mut self.legs[i];
        leg.answered_at = Some(t);
        leg.hangup_at = hangs_up_after.map(|d| t + d);
        let digits = leg.send_digits.clone();
        let text = format!(
            "dialled {} answers ({})",
            leg.number,
            leg.description.as_deref().unwrap_or_default()
        );
        self.note(t, text);
        if let Some(clip) = greeting {
            self.schedule_to_callee(t, Tag::DialLeg, clip, 1);
        }
        if let Some(digits) = digits {
            let config = self.call.config();
            let heard = leg::hear_keys(
                &digits,
                config.digit_tone,
                config.digit_period,
                &self.config.detector,
            );
            self.note(t, format!("the dialled leg recognised keys {heard:?}"));
            self.legs[i].digits_heard = heard;
        }
        self.queued.push_back(CallEvent::DialAnswered);
    }

    /// Ends leg `i` by itself (busy, failed, hung up) and reports the dial if it is over.
    pub(super) fn end_leg(&mut self, t: Instant, i: usize, status: DialStatus) {
        if self.legs[i].answered_at.is_some() {
            self.stop_leg_audio();
        }
        self.legs[i].end(t, status);
        self.dial_over(t);
    }

    /// Hangs up every live leg of the dial: a bridged one as `answered`, a ringing one as
    /// `no-answer`.
    pub(super) fn hang_up_legs(&mut self, t: Instant) {
        let from = self.dialling_from.unwrap_or(self.legs.len());
        for l in self.legs[from..].iter_mut().filter(|l| l.is_live()) {
            let status = if l.answered_at.is_some() {
                DialStatus::Answered
            } else {
                DialStatus::NoAnswer
            };
            l.end(t, status);
        }
        self.stop_leg_audio();
    }

    fn stop_leg_audio(&mut self) {
        if let Some(line) = self.line.as_mut() {
            line.stop(Direction::ToCallee, |tag| tag == Tag::DialLeg);
        }
    }

    /// Once no leg of the dial is live, tells the call how it ended.
    fn dial_over(&mut self, t: Instant) {
        let Some(from) = self.dialling_from else {
            return;
        };
        let legs = &self.legs[from..];
        if legs.iter().any(DialLeg::is_live) {
            return;
        }
        self.dialling_from = None;
        let result = match legs.iter().find(|l| l.answered_at.is_some()) {
            Some(l) => l.result(t),
            None => {
                let had = |s: DialStatus| legs.iter().any(|l| l.status == Some(s));
                let status = if had(DialStatus::NoAnswer) {
                    DialStatus::NoAnswer
                } else if had(DialStatus::Busy) {
                    DialStatus::Busy
                } else {
                    DialStatus::Failed
                };
                DialResult {
                    status,
                    duration: Duration::ZERO,
                    segment_sid: legs.last().map(|l| l.segment_sid.clone()),
                }
            }
        };
        self.queued.push_back(CallEvent::BridgeEnded(result));
    }
}
