//! `PhoneEntry`: the validated behaviour of one number.

use std::path::PathBuf;
use std::sync::Arc;

use crate::recipe::Recipe;
use crate::synth::SpeechLibrary;

use ringside_call::Duration;

/// What happens when a number is called.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneEntry {
    /// Free text for timelines and reports.
    pub description: String,
    /// How long it rings before [`PhoneEntry::outcome`] happens (ignored for `NoAnswer`).
    pub ring: Duration,
    /// What happens after ringing.
    pub outcome: Outcome,
}

/// How a ringing call ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Somebody or something picks up.
    Answer(Answer),
    /// The line is busy.
    Busy,
    /// It rings until the caller gives up (the call's `Timeout`).
    NoAnswer,
    /// The network cannot connect the call.
    Fail,
}

/// The far end once it has picked up.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// Plays its recording and does nothing else (a fax machine, dead air).
    Plain,
    /// A person following a script.
    Human(HumanScript),
    /// A voicemail box: plays its greeting, then records what it hears.
    Voicemail(Voicemail),
    /// An automated menu that listens for DTMF (every far end hears DTMF; an IVR is the one
    /// whose digits a scenario checks).
    Ivr,
}

/// An answered far end.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The recording played from the moment of answer (absolute path); `None` is silence.
    /// After it ends the line is silent.
    pub audio: Option<PathBuf>,
    /// A far-end recipe instead of a recording: each call draws its own far end from it
    /// with the call's seed (see [`crate::FarEnd::for_call`]).
    pub recipe: Option<AnswerRecipe>,
    /// The far end hangs up this long after answering.
    pub hangup_after: Option<Duration>,
    /// Who is there.
    pub role: Role,
}

/// What a scripted person does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HumanScript {
    /// Keys pressed at fixed times after answer.
    pub press: Vec<KeyPress>,
    /// Replies to successive `<Gather>`s: keys pressed `after` the gather starts. A gather
    /// with no reply left gets no input.
    pub gather: Vec<KeyPress>,
    /// Replies to successive `<Record>`s.
    pub record: Vec<RecordReply>,
    /// What the person says when they talk into a `<Record>`: the text a transcription of
    /// that recording yields (`"says"` in the book). Without it a transcription fails.
    pub says: Option<String>,
}

impl HumanScript {
    /// The longest `says` text accepted: 4 KB, the 2008 limit on `<Say>` text.
    pub const MAX_SAYS_BYTES: usize = 4096;
}

/// Keys pressed after a delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPress {
    /// The delay (from answer, or from the start of the gather).
    pub after: Duration,
    /// The keys, `0-9`, `*`, `#`.
    pub digits: String,
}

/// How a person answers a `<Record>`: talk for a while, then press a key or fall silent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordReply {
    /// How long they talk (starting shortly after recording starts).
    pub speak: Duration,
    /// The key pressed when they stop talking, if any.
    pub then_press: Option<char>,
}

/// A recipe an entry answers with, and the speech its calls are rendered with.
#[derive(Debug, Clone)]
pub struct AnswerRecipe {
    /// Where it was written: the recipe file, or `inline` for an object in the book.
    pub origin: String,
    pub recipe: Arc<Recipe>,
    /// Loaded once per process and shared by every entry that names the same folder.
    pub speech: Arc<SpeechLibrary>,
}

impl PartialEq for AnswerRecipe {
    fn eq(&self, other: &Self) -> bool {
        self.origin == other.origin
            && Arc::ptr_eq(&self.recipe, &other.recipe)
            && Arc::ptr_eq(&self.speech, &other.speech)
    }
}

/// A voicemail box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voicemail {
    /// When the box starts recording, from answer: the end of the beep in its greeting
    /// (or the end of the greeting if it has no beep). This is the far end's own
    /// knowledge of its recording, used to judge the tape; it never reaches the detector.
    /// For a recipe entry it is zero here: each call takes it from the labels of the far
    /// end it rendered.
    pub records_from: Duration,
    /// The longest message; the box hangs up after it.
    pub max_message: Duration,
}

impl Voicemail {
    /// The default longest message: 120 s, a common voicemail limit.
    pub const DEFAULT_MAX_MESSAGE: Duration = Duration::from_secs(120);
}
