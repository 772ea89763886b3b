//! Simulated far ends on demand.
//!
//! A [`Recipe`] (JSON, `docs/recipes.md`) describes a family of far ends: what the caller
//! hears before pickup (a country's ringback, busy, congestion, SIT and an announcement),
//! who answers (a voicemail box and its beep, a person, a fax, silence, an IVR menu) and
//! the line (G.711, band-pass, a GSM-like channel, gain, clipping, DC, noise, echo, rate,
//! channels). Every parameter may be a value, a range or a list. [`Recipe::draw`] turns a
//! recipe and a seed into one concrete [`FarEndPlan`]; [`FarEndPlan::render`] turns the
//! plan into samples and exact labels, with speech from a [`SpeechLibrary`].
//!
//! Why: a detector is only as good as the calls it was tried on, and recordings of real
//! calls are few, unlabelled and private. Synthetic calls with chosen conditions and
//! labels exact to the sample let anyone measure detection on the far ends they care
//! about, with their own greetings if they have them.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod recipe;
pub mod synth;

pub use recipe::{FarEndPlan, FieldError, Param, Recipe, RecipeError, Rng};
pub use synth::{Entry, Label, Labels, RenderError, Rendered, SpeechError, SpeechLibrary};
