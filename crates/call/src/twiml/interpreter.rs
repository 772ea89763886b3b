//! The TwiML interpreter: a sans-I/O cursor over one document.
//!
//! [`Interpreter::step`] yields what to do next; when that was a blocking step (a prompt,
//! `<Gather>`, `<Record>`, `<Dial>`), the caller performs it and reports what happened
//! with [`Interpreter::resume`], which yields the step after it. Steps that leave the
//! document ([`Step::Fetch`], [`Step::Hangup`], [`Step::End`], [`Step::Fail`]) end this
//! interpreter: the caller fetches the next document and builds a new one.
//!
//! All URLs in steps are absolute: `<Redirect>`, `action`, `<Play>` and `<Number url>`
//! resolve against the document's own URL, and a missing `action` means that URL. They
//! are shared (`Arc<Url>`), like the texts: a step's URL becomes an action's, which the
//! call also keeps in its timeline, and the document's own URL is the default `action`;
//! cloning a `Url` would allocate each time.

use std::sync::Arc;

use url::Url;

use super::error::TwimlError;
use super::verb::{Document, Language, Play, Prompt, Say, Verb, Voice};
use crate::api::{Method, PhoneNumber, SendDigits};
use crate::call::DialResult;
use crate::time::Duration;

/// Something to play to the callee: a top-level `<Say>`/`<Play>`/`<Pause>` or a prompt of
/// `<Gather>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Media {
    /// Speak text.
    Say {
        /// The text.
        text: Arc<str>,
        /// The voice.
        voice: Voice,
        /// The language.
        language: Language,
        /// Repetitions; 0 = until the call ends.
        loops: u32,
    },
    /// Play audio from an absolute URL.
    Play {
        /// The resolved audio URL.
        url: Arc<Url>,
        /// Repetitions; 0 = until the call ends.
        loops: u32,
    },
    /// Silence.
    Pause(Duration),
}

/// `<Gather>`, resolved: collect digits while playing the prompts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatherStep {
    /// Prompts to play while listening; the first digit stops them.
    pub prompts: Vec<Media>,
    /// Wait this long for each next digit (counted from the end of the prompts).
    pub timeout: Duration,
    /// The key that ends input, if any; it is not part of the digits.
    pub finish_on_key: Option<char>,
    /// End input after this many digits.
    pub num_digits: Option<u32>,
}

/// `<Record>`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordStep {
    /// Seconds of silence that end the recording (detected by the driver, which hears audio).
    pub timeout: Duration,
    /// Keys that end the recording.
    pub finish_on_key: String,
    /// The longest recording.
    pub max_length: Duration,
    /// Whether a transcription was requested.
    pub transcribe: bool,
    /// Where to post the transcription.
    pub transcribe_callback: Option<Arc<Url>>,
    /// Beep before recording.
    pub play_beep: bool,
}

/// A number of `<Dial>`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialNumber {
    /// The number.
    pub number: PhoneNumber,
    /// Keys to send when that leg answers.
    pub send_digits: Option<SendDigits>,
    /// TwiML for the called party, resolved.
    pub url: Option<Arc<Url>>,
}

/// `<Dial>`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialStep {
    /// The numbers to ring.
    pub numbers: Vec<DialNumber>,
    /// How long to ring.
    pub timeout: Duration,
    /// Whether `*` from the original callee ends the bridge.
    pub hangup_on_star: bool,
    /// The longest bridge.
    pub time_limit: Duration,
    /// The caller id to present, if not the call's own.
    pub caller_id: Option<PhoneNumber>,
}

/// Why the interpreter wants a new document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchCause {
    /// `<Redirect>`.
    Redirect,
    /// A `<Gather>` got digits.
    Gather,
    /// A `<Record>` finished.
    Record,
    /// A `<Dial>` with an `action` ended.
    Dial,
}

/// Request the next document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchStep {
    /// The absolute URL.
    pub url: Arc<Url>,
    /// GET or POST.
    pub method: Method,
    /// The verb's own parameters (`Digits`; `RecordingUrl`, `Duration`, `Digits`;
    /// `DialStatus`, `DialCallSid`, `DialCallDuration`); the call adds its standard ones.
    pub params: Vec<(&'static str, String)>,
    /// Which verb asked.
    pub cause: FetchCause,
}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Play this; then `resume(Outcome::Done)`.
    Media(Media),
    /// Collect digits; then `resume(Outcome::Gathered(digits))`.
    Gather(GatherStep),
    /// Record; then `resume(Outcome::Recorded { .. })`.
    Record(RecordStep),
    /// Bridge to another number; then `resume(Outcome::DialEnded(status))`.
    Dial(DialStep),
    /// Fetch the next document; this interpreter is done.
    Fetch(FetchStep),
    /// `<Hangup/>`: end the call.
    Hangup,
    /// The document ran out of verbs: end the call.
    End,
    /// The document cannot be run (a URL in it does not resolve).
    Fail(TwimlError),
}

/// What happened during the last blocking step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A prompt finished (or anything else finished with nothing to report).
    Done,
    /// `<Gather>` ended with these digits; empty means no input.
    Gathered(String),
    /// `<Record>` ended.
    Recorded {
        /// Where the recording can be fetched.
        url: String,
        /// Its length.
        duration: Duration,
        /// The key that ended it, if any.
        digits: String,
    },
    /// `<Dial>` ended.
    DialEnded(DialResult),
}

#[derive(Debug, Clone)]
enum Pending {
    Nothing,
    Gather {
        action: Arc<Url>,
        method: Method,
    },
    Record {
        action: Arc<Url>,
        method: Method,
    },
    Dial {
        action: Option<Arc<Url>>,
        method: Method,
    },
}

/// Runs one TwiML document, one step at a time.
#[derive(Debug, Clone)]
pub struct Interpreter {
    /// The verbs not yet run: each is taken, not copied, when its turn comes.
    verbs: std::vec::IntoIter<Verb>,
    url: Arc<Url>,
    pending: Pending,
    done: bool,
}

impl Interpreter {
    /// An interpreter for `document`, fetched from `url` (the base for relative URLs).
    pub fn new(document: Document, url: impl Into<Arc<Url>>) -> Self {
        Interpreter {
            verbs: document.verbs.into_iter(),
            url: url.into(),
            pending: Pending::Nothing,
            done: false,
        }
    }

    /// For a `text/plain` response: speak the text, then hang up.
    pub fn for_text(text: &str, url: impl Into<Arc<Url>>) -> Self {
        let doc = Document {
            verbs: vec![Verb::Say(Say::new(text.trim())), Verb::Hangup],
        };
        Interpreter::new(doc, url)
    }

    /// For an audio response: play it (from the URL it came from), then hang up.
    pub fn for_audio(url: impl Into<Arc<Url>>) -> Self {
        let url = url.into();
        let doc = Document {
            verbs: vec![
                Verb::Play(Play {
                    url: url.to_string(),
                    loops: 1,
                }),
                Verb::Hangup,
            ],
        };
        Interpreter::new(doc, url)
    }

    /// The URL of the document being run.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// True once a step that leaves the document has been yielded.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next verb's step. A blocking step left pending is abandoned (its outcome will
    /// not be sent anywhere); use [`Interpreter::resume`] to report one.
    pub fn step(&mut self) -> Step {
        self.pending = Pending::Nothing;
        if self.done {
            return Step::End;
        }
        let Some(verb) = self.verbs.next() else {
            self.done = true;
            return Step::End;
        };
        let step = match self.verb_step(verb) {
            Ok(step) => step,
            Err(e) => Step::Fail(e),
        };
        if matches!(
            step,
            Step::Fetch(_) | Step::Hangup | Step::End | Step::Fail(_)
        ) {
            self.done = true;
        }
        step
    }

    /// Reports how the last blocking step went and yields the step after it: the verb's
    /// action request if it has one to make, otherwise the next verb.
    ///
    /// `<Gather>` with no digits goes on to the next verb; `<Record>` always requests its
    /// action (the current URL by default); `<Dial>` requests its action only if it has
    /// one. An outcome that does not match the pending step counts as [`Outcome::Done`].
    pub fn resume(&mut self, outcome: Outcome) -> Step {
        let pending = std::mem::replace(&mut self.pending, Pending::Nothing);
        let fetch = match (pending, outcome) {
            (Pending::Gather { action, method }, Outcome::Gathered(digits))
                if !digits.is_empty() =>
            {
                Some(FetchStep {
                    url: action,
                    method,
                    params: vec![("Digits", digits)],
                    cause: FetchCause::Gather,
                })
            }
            (
                Pending::Record { action, method },
                Outcome::Recorded {
                    url,
                    duration,
                    digits,
                },
            ) => Some(FetchStep {
                url: action,
                method,
                params: vec![
                    ("RecordingUrl", url),
                    ("Duration", duration.as_secs_ceil().to_string()),
                    ("Digits", digits),
                ],
                cause: FetchCause::Record,
            }),
            (
                Pending::Dial {
                    action: Some(action),
                    method,
                },
                Outcome::DialEnded(result),
            ) => {
                let mut params = vec![("DialStatus", result.status.as_str().to_owned())];
                if let Some(segment) = result.segment_sid {
                    params.push(("DialCallSid", segment));
                }
                params.push((
                    "DialCallDuration",
                    result.duration.as_secs_ceil().to_string(),
                ));
                Some(FetchStep {
                    url: action,
                    method,
                    params,
                    cause: FetchCause::Dial,
                })
            }
            _ => None,
        };
        match fetch {
            Some(f) if !self.done => {
                self.done = true;
                Step::Fetch(f)
            }
            _ => self.step(),
        }
    }

    fn resolve(&self, element: &'static str, url: &str) -> Result<Arc<Url>, TwimlError> {
        match self.url.join(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(Arc::new(u)),
            _ => Err(TwimlError::BadUrl {
                element,
                url: url.to_owned(),
            }),
        }
    }

    fn action(
        &self,
        element: &'static str,
        action: Option<&String>,
    ) -> Result<Arc<Url>, TwimlError> {
        match action {
            Some(a) => self.resolve(element, a),
            None => Ok(Arc::clone(&self.url)),
        }
    }

    fn media(&self, prompt: Prompt) -> Result<Media, TwimlError> {
        Ok(match prompt {
            Prompt::Say(s) => Media::Say {
                text: s.text,
                voice: s.voice,
                language: s.language,
                loops: s.loops,
            },
            Prompt::Play(p) => Media::Play {
                url: self.resolve("Play", &p.url)?,
                loops: p.loops,
            },
            Prompt::Pause(p) => Media::Pause(p.length),
        })
    }

    fn verb_step(&mut self, verb: Verb) -> Result<Step, TwimlError> {
        Ok(match verb {
            Verb::Say(s) => Step::Media(self.media(Prompt::Say(s))?),
            Verb::Play(p) => Step::Media(self.media(Prompt::Play(p))?),
            Verb::Pause(p) => Step::Media(Media::Pause(p.length)),
            Verb::Gather(g) => {
                let action = self.action("Gather", g.action.as_ref())?;
                let prompts = g
                    .prompts
                    .into_iter()
                    .map(|p| self.media(p))
                    .collect::<Result<Vec<_>, _>>()?;
                self.pending = Pending::Gather {
                    action,
                    method: g.method,
                };
                Step::Gather(GatherStep {
                    prompts,
                    timeout: g.timeout,
                    finish_on_key: g.finish_on_key,
                    num_digits: g.num_digits,
                })
            }
            Verb::Record(r) => {
                let action = self.action("Record", r.action.as_ref())?;
                let transcribe_callback = match &r.transcribe_callback {
                    Some(u) => Some(self.resolve("Record", u)?),
                    None => None,
                };
                self.pending = Pending::Record {
                    action,
                    method: r.method,
                };
                Step::Record(RecordStep {
                    timeout: r.timeout,
                    finish_on_key: r.finish_on_key,
                    max_length: r.max_length,
                    transcribe: r.transcribe,
                    transcribe_callback,
                    play_beep: r.play_beep,
                })
            }
            Verb::Dial(d) => {
                let action = match &d.action {
                    Some(a) => Some(self.resolve("Dial", a)?),
                    None => None,
                };
                let mut numbers = Vec::with_capacity(d.numbers.len());
                for n in d.numbers {
                    let url = match &n.url {
                        Some(u) => Some(self.resolve("Number", u)?),
                        None => None,
                    };
                    numbers.push(DialNumber {
                        number: n.number,
                        send_digits: n.send_digits,
                        url,
                    });
                }
                self.pending = Pending::Dial {
                    action,
                    method: d.method,
                };
                Step::Dial(DialStep {
                    numbers,
                    timeout: d.timeout,
                    hangup_on_star: d.hangup_on_star,
                    time_limit: d.time_limit,
                    caller_id: d.caller_id,
                })
            }
            Verb::Redirect(r) => Step::Fetch(FetchStep {
                url: self.resolve("Redirect", &r.url)?,
                method: r.method,
                params: Vec::new(),
                cause: FetchCause::Redirect,
            }),
            Verb::Hangup => Step::Hangup,
        })
    }
}
