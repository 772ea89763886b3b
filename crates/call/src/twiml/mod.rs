//! TwiML (2008): the typed document, its parser and its step-by-step interpreter.
//!
//! [`parse`] turns the app's XML into a [`Document`] of [`Verb`]s with every default filled
//! in, or a [`TwimlError`] naming the element, attribute and value at fault.
//! [`Interpreter`] walks a document: [`Interpreter::step`] says what to do next,
//! [`Interpreter::resume`] takes what happened (digits gathered, recording finished, dial
//! ended) and says what comes after.

mod error;
mod interpreter;
mod parse;
mod tree;
mod verb;

pub use error::TwimlError;
pub use interpreter::{
    DialNumber, DialStep, FetchCause, FetchStep, GatherStep, Interpreter, Media, Outcome,
    RecordStep, Step,
};
pub use parse::parse;
pub use verb::{
    Dial, Document, Gather, Language, Number, Pause, Play, Prompt, Record, Redirect, Say, Verb,
    Voice,
};

#[cfg(test)]
mod tests;
