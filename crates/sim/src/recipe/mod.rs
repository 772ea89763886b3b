//! Far-end recipes: JSON descriptions of families of calls, checked field by field, and
//! drawn one call at a time into a [`FarEndPlan`].
//!
//! The format is documented in `docs/recipes.md`. A recipe is parsed ([`Recipe::load`]),
//! every problem reported with its field path and value ([`RecipeError`]), then drawn
//! with a seed ([`Recipe::draw`]): the same recipe and seed always give the same plan.

pub mod error;
pub mod model;
pub mod param;
pub mod plan;
pub mod rng;

mod draw;
mod reader;

pub use error::{FieldError, RecipeError};
pub use model::Recipe;
pub use param::Param;
pub use plan::FarEndPlan;
pub use rng::Rng;
