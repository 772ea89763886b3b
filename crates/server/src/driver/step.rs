//! One step of a simulation, run on the blocking pool: hand it what happened, bring it up
//! to `now` (which streams the callee's audio through the detector), and collect what it
//! asks for.

use ringside_call::{CallEvent, FetchId, Instant, PlaybackId};
use ringside_sim::{Clip, FarEnd, SimOutput, Simulation};

use crate::webhook::AppReply;

/// The most deadlines one fast step jumps over before handing control back, so API
/// commands and shutdown are noticed every few simulated seconds: 500 deadlines is 5 s
/// of connected audio (one per 10 ms frame).
const FAST_STEPS: usize = 500;

/// Something that happened to the call outside the simulation.
#[derive(Debug)]
pub(super) enum Input {
    /// Dial.
    Start,
    /// An API command or shutdown, as a call event.
    Event(CallEvent),
    /// The app answered.
    AppResponded {
        /// Which request.
        id: FetchId,
        /// What it said.
        reply: AppReply,
    },
    /// The app could not be reached.
    AppFailed {
        /// Which request.
        id: FetchId,
        /// The Notification's error code.
        code: u32,
        /// Why.
        reason: String,
    },
    /// `<Play>` audio arrived.
    MediaLoaded {
        /// Which prompt.
        id: PlaybackId,
        /// 8 kHz mono.
        clip: Clip,
    },
    /// `<Play>` audio could not be had.
    MediaFailed {
        /// Which prompt.
        id: PlaybackId,
        /// Why.
        reason: String,
    },
    /// The far end of a `<Dial>` leg, from the phone book.
    LegResolved {
        /// Which leg.
        segment_sid: String,
        /// What is there.
        far: Box<FarEnd>,
    },
    /// The far end of a `<Dial>` leg could not be loaded.
    LegFailed {
        /// Which leg.
        segment_sid: String,
        /// Why.
        reason: String,
    },
}

/// What a step gives back: the simulation, its outputs, and the time it got to.
#[derive(Debug)]
pub(super) struct Stepped {
    pub sim: Simulation,
    pub outputs: Vec<SimOutput>,
    pub now: Instant,
}

/// Applies `inputs` at `now` and brings the simulation up to `now`. With `jump`, keeps
/// jumping to the next deadline until the simulation asks for something (the fast clock).
pub(super) fn step(mut sim: Simulation, inputs: Vec<Input>, now: Instant, jump: bool) -> Stepped {
    for input in inputs {
        match input {
            Input::Start => sim.start(now),
            Input::Event(e) => sim.call_event(now, e),
            Input::AppResponded { id, reply } => {
                sim.app_responded(now, id, reply.status, reply.content_type, reply.body);
            }
            Input::AppFailed { id, code, reason } => sim.app_failed(now, id, code, reason),
            Input::MediaLoaded { id, clip } => sim.media_loaded(now, id, clip),
            Input::MediaFailed { id, reason } => sim.media_failed(now, id, reason),
            Input::LegResolved { segment_sid, far } => {
                sim.leg_resolved(now, &segment_sid, *far);
            }
            Input::LegFailed {
                segment_sid,
                reason,
            } => sim.leg_failed(now, &segment_sid, reason),
        }
    }
    sim.handle_timeout(now);
    let mut outputs: Vec<SimOutput> = std::iter::from_fn(|| sim.poll_output()).collect();
    let mut reached = now;
    if jump {
        for _ in 0..FAST_STEPS {
            if !outputs.is_empty() || sim.is_finished() {
                break;
            }
            let Some(t) = sim.poll_timeout() else { break };
            reached = reached.max(t);
            sim.handle_timeout(reached);
            outputs.extend(std::iter::from_fn(|| sim.poll_output()));
        }
    }
    Stepped {
        sim,
        outputs,
        now: reached,
    }
}
