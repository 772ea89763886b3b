//! A far end drawn from a phone-book recipe for one call.
//!
//! The recipe is drawn with the call's own seed and rendered with the entry's speech
//! library; the call then rings for the rendered ringback, plays the rest at the line's
//! rate, and — for a voicemail box — records from the rendered beep's end (or the
//! greeting's end when there is no beep), read from the rendering's exact labels. A drawn
//! busy or congestion tone ends the call as the phone book's `busy` and `fail` do.

use ringside_audio::resample;
use ringside_call::Duration;

use super::line::Clip;
use super::signals;
use crate::phonebook::AnswerRecipe;
use crate::recipe::plan::{AnswerPlan, BeforePlan};
use crate::synth::{Label, RenderError};

/// How a drawn call ends its ringing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DrawnEnd {
    /// It picks up after the rendered ringback.
    Answer,
    /// Busy tone: the call is busy once the tone has played.
    Busy,
    /// Congestion: the network fails the call.
    Congestion,
}

/// One call's far end, rendered.
#[derive(Debug, Clone)]
pub(super) struct DrawnCall {
    /// How long it rings (or plays busy/congestion) before [`DrawnCall::end`].
    pub ring: Duration,
    pub end: DrawnEnd,
    /// What plays from answer, at the line's rate.
    pub audio: Clip,
    /// For a voicemail box: when it starts recording, from answer.
    pub records_from: Option<Duration>,
    /// What was drawn, for the timeline.
    pub summary: String,
}

/// Seconds as a duration, rounded up to the millisecond (a box starts recording after
/// the beep's last sample, never inside it).
fn ceil_ms(secs: f64) -> Duration {
    Duration::from_millis((secs.max(0.0) * 1000.0).ceil() as u64)
}

/// Draws and renders `recipe` with `seed`.
pub(super) fn draw(recipe: &AnswerRecipe, seed: u64) -> Result<DrawnCall, RenderError> {
    let plan = recipe.recipe.draw(seed);
    let call = plan.render(&recipe.speech)?;
    let rate = f64::from(call.rate_hz);
    let end = match plan.before {
        BeforePlan::Busy { .. } => DrawnEnd::Busy,
        BeforePlan::Congestion { .. } => DrawnEnd::Congestion,
        _ => DrawnEnd::Answer,
    };
    let pickup = if end == DrawnEnd::Answer {
        call.pickup.min(call.samples.len())
    } else {
        call.samples.len()
    };
    let pickup_s = pickup as f64 / rate;
    let audio =
        resample(&call.samples[pickup..], call.rate_hz, signals::RATE).map_err(|source| {
            RenderError::Resample {
                rate: signals::RATE,
                source,
            }
        })?;
    let l = &call.labels;
    let records_from = match (&plan.answer, l.label) {
        (Some(AnswerPlan::Voicemail(_)), Label::Machine) => {
            l.beep_end.or(l.speech_end).map(|t| ceil_ms(t - pickup_s))
        }
        _ => None,
    };
    let mut summary = format!("recipe {}: {}", plan.recipe, l.source);
    if let Some(b) = l.beep_at {
        summary.push_str(&format!(", beep {:.3} s after answer", b - pickup_s));
    }
    Ok(DrawnCall {
        ring: ceil_ms(pickup_s),
        end,
        audio: audio.into(),
        records_from,
        summary,
    })
}
