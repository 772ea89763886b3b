//! The typed TwiML document: a `<Response>` and its verbs, every attribute with its
//! 2008 default filled in.
//!
//! URLs are kept as written (possibly relative); the [`Interpreter`](super::Interpreter)
//! resolves them against the URL the document came from. `<Say>` text is shared
//! (`Arc<str>`): it is passed on unchanged to the call's action and timeline.

use std::sync::Arc;

use crate::api::{Method, PhoneNumber, SendDigits};
use crate::time::Duration;

/// A parsed `<Response>`: verbs run top to bottom; the call ends after the last one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The verbs in document order.
    pub verbs: Vec<Verb>,
}

/// One TwiML verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `<Say>`: speak text.
    Say(Say),
    /// `<Play>`: play an audio URL.
    Play(Play),
    /// `<Gather>`: collect DTMF digits, optionally while prompting.
    Gather(Gather),
    /// `<Record>`: record the callee.
    Record(Record),
    /// `<Dial>`: connect the callee to another number.
    Dial(Dial),
    /// `<Redirect>`: continue with the TwiML at another URL.
    Redirect(Redirect),
    /// `<Pause>`: wait silently.
    Pause(Pause),
    /// `<Hangup>`: end the call.
    Hangup,
}

impl Verb {
    /// The element name, as in the document.
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Say(_) => "Say",
            Verb::Play(_) => "Play",
            Verb::Gather(_) => "Gather",
            Verb::Record(_) => "Record",
            Verb::Dial(_) => "Dial",
            Verb::Redirect(_) => "Redirect",
            Verb::Pause(_) => "Pause",
            Verb::Hangup => "Hangup",
        }
    }
}

/// The `voice` of `<Say>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Voice {
    /// `man` (the default).
    #[default]
    Man,
    /// `woman`.
    Woman,
}

impl Voice {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Man => "man",
            Voice::Woman => "woman",
        }
    }
}

/// The `language` of `<Say>`: the four the 2008 speech engine had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// `en` (the default).
    #[default]
    En,
    /// `es`.
    Es,
    /// `fr`.
    Fr,
    /// `de`.
    De,
}

impl Language {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::Fr => "fr",
            Language::De => "de",
        }
    }
}

/// `<Say voice language loop>text</Say>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Say {
    /// The text to speak, at most [`Say::MAX_TEXT_BYTES`].
    pub text: Arc<str>,
    /// Default `man`.
    pub voice: Voice,
    /// Default `en`.
    pub language: Language,
    /// How many times to say it; default 1; 0 repeats until the call ends.
    pub loops: u32,
}

impl Say {
    /// The 2008 limit on the text of one `<Say>`: 4 KB.
    pub const MAX_TEXT_BYTES: usize = 4096;

    /// Says `text` once, in the default voice and language.
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        Say {
            text: text.into(),
            voice: Voice::Man,
            language: Language::En,
            loops: 1,
        }
    }
}

/// `<Play loop>url</Play>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    /// The audio URL as written (absolute or relative to the document).
    pub url: String,
    /// How many times to play it; default 1; 0 repeats until the call ends.
    pub loops: u32,
}

/// `<Pause length>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// Default 1 s.
    pub length: Duration,
}

/// A verb allowed inside `<Gather>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// A nested `<Say>`.
    Say(Say),
    /// A nested `<Play>`.
    Play(Play),
    /// A nested `<Pause>`.
    Pause(Pause),
}

/// `<Gather action method timeout finishOnKey numDigits>` with nested prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gather {
    /// Where to send the digits; `None` means the current document's URL.
    pub action: Option<String>,
    /// Default POST.
    pub method: Method,
    /// How long to wait for the next digit; default 5 s.
    pub timeout: Duration,
    /// The key that ends input; default `#`; `None` when the attribute is empty.
    pub finish_on_key: Option<char>,
    /// Stop after this many digits; default unlimited.
    pub num_digits: Option<u32>,
    /// Say/Play/Pause to perform while listening; stopped by the first digit.
    pub prompts: Vec<Prompt>,
}

/// `<Record action method timeout finishOnKey maxLength transcribe transcribeCallback playBeep>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Where to send the recording; `None` means the current document's URL.
    pub action: Option<String>,
    /// Default POST.
    pub method: Method,
    /// Seconds of silence that end the recording; default 5 s.
    pub timeout: Duration,
    /// Keys that end the recording; default `1234567890*#`; may be empty.
    pub finish_on_key: String,
    /// The longest recording; default 3600 s.
    pub max_length: Duration,
    /// Default false.
    pub transcribe: bool,
    /// Where to post the transcription, if any.
    pub transcribe_callback: Option<String>,
    /// Beep before recording; default true.
    pub play_beep: bool,
}

/// A number to dial: the text of `<Dial>` or a `<Number sendDigits url>` noun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// The normalised number.
    pub number: PhoneNumber,
    /// Keys to send once that leg answers.
    pub send_digits: Option<SendDigits>,
    /// TwiML to run for the called party before connecting, as written.
    pub url: Option<String>,
}

/// `<Dial action method timeout hangupOnStar timeLimit callerId>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    /// Where to report the outcome; `None` continues with the next verb.
    pub action: Option<String>,
    /// Default POST.
    pub method: Method,
    /// How long to ring; default 30 s.
    pub timeout: Duration,
    /// Let the original callee end the bridge by pressing `*`; default false.
    pub hangup_on_star: bool,
    /// The longest bridge; default 14400 s (4 h).
    pub time_limit: Duration,
    /// The caller id for the new leg; default the call's caller.
    pub caller_id: Option<PhoneNumber>,
    /// The numbers to dial (at least one).
    pub numbers: Vec<Number>,
}

/// `<Redirect method>url</Redirect>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The URL as written (absolute or relative to the document).
    pub url: String,
    /// Default POST.
    pub method: Method,
}
