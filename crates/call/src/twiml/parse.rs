//! TwiML text → [`Document`].
//!
//! Two passes: [`Tree::read`] has quick-xml check the XML and builds a flat element tree
//! borrowing from the text (depth-limited, entities resolved, comments and processing
//! instructions dropped), then each element is checked against the 2008 vocabulary, its
//! attributes parsed with their defaults, and its nesting checked. The first problem found
//! is returned.

use std::borrow::Cow;

use super::error::TwimlError;
use super::tree::{Element, Tree, shorten};
use super::verb::{
    Dial, Document, Gather, Language, Number, Pause, Play, Prompt, Record, Redirect, Say, Verb,
    Voice,
};
use crate::api::{Method, PhoneNumber, SendDigits};
use crate::time::Duration;

/// Every element name of 2008 TwiML.
const KNOWN: &[&str] = &[
    "Response", "Say", "Play", "Gather", "Record", "Dial", "Redirect", "Pause", "Hangup", "Number",
];

impl Element<'_, '_> {
    /// Errors if the element has any child element.
    fn no_children(&self) -> Result<(), TwimlError> {
        match self.elements().next() {
            Some(child) => Err(misplaced(child.name(), self.name())),
            None => Ok(()),
        }
    }

    /// Errors if the element has non-whitespace text.
    fn no_text(&self) -> Result<(), TwimlError> {
        let text = self.text();
        if text.is_empty() {
            Ok(())
        } else {
            Err(TwimlError::UnexpectedText {
                element: self.name().to_owned(),
                text: shorten(text),
            })
        }
    }
}

/// The error for `child` inside `parent`: unknown names and misplaced verbs differ.
fn misplaced(child: &str, parent: &str) -> TwimlError {
    if KNOWN.contains(&child) {
        TwimlError::NotAllowed {
            child: child.to_owned(),
            parent: parent.to_owned(),
        }
    } else {
        TwimlError::UnknownVerb {
            name: child.to_owned(),
            parent: parent.to_owned(),
        }
    }
}

/// Parses a TwiML document.
///
/// ```
/// use ringside_call::twiml::{parse, Verb};
/// let doc = parse("<Response><Say loop=\"2\">Hello</Say><Hangup/></Response>").unwrap();
/// assert!(matches!(&doc.verbs[0], Verb::Say(s) if s.loops == 2 && &*s.text == "Hello"));
/// ```
pub fn parse(xml: &str) -> Result<Document, TwimlError> {
    let tree = Tree::read(xml)?;
    let root = tree.root();
    if root.name() != "Response" {
        return Err(TwimlError::NotResponse {
            found: root.name().to_owned(),
        });
    }
    if let Some((attribute, _)) = root.attrs().first() {
        return Err(TwimlError::UnknownAttribute {
            element: root.name().to_owned(),
            attribute: attribute.clone().into_owned(),
        });
    }
    root.no_text()?;
    let mut verbs = Vec::with_capacity(root.elements().count());
    for el in root.elements() {
        verbs.push(verb(el)?);
    }
    Ok(Document { verbs })
}

fn verb(el: Element<'_, '_>) -> Result<Verb, TwimlError> {
    Ok(match el.name() {
        "Say" => Verb::Say(say(el)?),
        "Play" => Verb::Play(play(el)?),
        "Pause" => Verb::Pause(pause(el)?),
        "Gather" => Verb::Gather(gather(el)?),
        "Record" => Verb::Record(record(el)?),
        "Dial" => Verb::Dial(dial(el)?),
        "Redirect" => Verb::Redirect(redirect(el)?),
        "Hangup" => {
            Attrs::new("Hangup", el).finish()?;
            el.no_children()?;
            el.no_text()?;
            Verb::Hangup
        }
        other => return Err(misplaced(other, "Response")),
    })
}

/// An element's attributes, consumed one by one; leftovers are unknown attributes.
///
/// The attributes not yet taken are kept as a list from which [`Attrs::take`] swap-removes,
/// so which leftover [`Attrs::finish`] names is fixed by the order attributes are taken in.
struct Attrs<'t, 'a> {
    element: &'static str,
    all: &'t [(Cow<'a, str>, Cow<'a, str>)],
    left: Left,
}

/// Indices into [`Attrs::all`] not yet taken: inline for the usual handful, so checking an
/// element allocates nothing.
enum Left {
    Inline { ids: [u8; Left::INLINE], len: usize },
    Spilled(Vec<usize>),
}

impl Left {
    /// More attributes than any 2008 element has.
    const INLINE: usize = 16;

    fn new(n: usize) -> Self {
        if n <= Self::INLINE {
            let mut ids = [0; Self::INLINE];
            for (i, id) in ids.iter_mut().enumerate().take(n) {
                // i < INLINE, well within a u8.
                *id = i as u8;
            }
            Left::Inline { ids, len: n }
        } else {
            Left::Spilled((0..n).collect())
        }
    }

    fn first(&self) -> Option<usize> {
        match self {
            Left::Inline { ids, len } => ids[..*len].first().map(|&i| usize::from(i)),
            Left::Spilled(ids) => ids.first().copied(),
        }
    }

    /// Removes and returns the first index for which `hit` is true; the last takes its place.
    fn swap_remove_first(&mut self, hit: impl Fn(usize) -> bool) -> Option<usize> {
        match self {
            Left::Inline { ids, len } => {
                let pos = ids[..*len].iter().position(|&i| hit(usize::from(i)))?;
                let found = ids[pos];
                *len -= 1;
                ids[pos] = ids[*len];
                Some(usize::from(found))
            }
            Left::Spilled(ids) => {
                let pos = ids.iter().position(|&i| hit(i))?;
                Some(ids.swap_remove(pos))
            }
        }
    }
}

impl<'t, 'a> Attrs<'t, 'a> {
    fn new(element: &'static str, el: Element<'t, 'a>) -> Self {
        let all = el.attrs();
        Attrs {
            element,
            all,
            left: Left::new(all.len()),
        }
    }

    fn take(&mut self, name: &str) -> Option<&'t str> {
        let all = self.all;
        let i = self.left.swap_remove_first(|i| all[i].0 == name)?;
        Some(&all[i].1)
    }

    fn invalid(&self, attribute: &'static str, value: &str, expected: &'static str) -> TwimlError {
        TwimlError::InvalidAttribute {
            element: self.element,
            attribute,
            value: value.to_owned(),
            expected,
        }
    }

    /// A whole number in `min..=u32::MAX`.
    fn uint(&mut self, name: &'static str, default: u32, min: u32) -> Result<u32, TwimlError> {
        let Some(raw) = self.take(name) else {
            return Ok(default);
        };
        let expected = if min == 0 {
            "a whole number, 0 or more"
        } else {
            "a whole number, 1 or more"
        };
        let v = raw.trim();
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.invalid(name, raw, expected));
        }
        match v.parse::<u32>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(self.invalid(name, raw, expected)),
        }
    }

    fn secs(&mut self, name: &'static str, default: u32, min: u32) -> Result<Duration, TwimlError> {
        Ok(Duration::from_secs(u64::from(
            self.uint(name, default, min)?,
        )))
    }

    fn boolean(&mut self, name: &'static str, default: bool) -> Result<bool, TwimlError> {
        match self.take(name) {
            None => Ok(default),
            Some(raw) if raw.trim().eq_ignore_ascii_case("true") => Ok(true),
            Some(raw) if raw.trim().eq_ignore_ascii_case("false") => Ok(false),
            Some(raw) => Err(self.invalid(name, raw, "true or false")),
        }
    }

    fn method(&mut self) -> Result<Method, TwimlError> {
        match self.take("method") {
            None => Ok(Method::Post),
            Some(raw) => {
                Method::parse(raw.trim()).ok_or_else(|| self.invalid("method", raw, "GET or POST"))
            }
        }
    }

    /// A URL attribute, kept as written; must not be empty.
    fn url(&mut self, name: &'static str) -> Result<Option<String>, TwimlError> {
        match self.take(name) {
            None => Ok(None),
            Some(raw) if raw.trim().is_empty() => Err(self.invalid(name, raw, "a URL")),
            Some(raw) => Ok(Some(raw.trim().to_owned())),
        }
    }

    fn finish(self) -> Result<(), TwimlError> {
        match self.left.first() {
            Some(i) => Err(TwimlError::UnknownAttribute {
                element: self.element.to_owned(),
                attribute: self.all[i].0.clone().into_owned(),
            }),
            None => Ok(()),
        }
    }
}

fn say(el: Element<'_, '_>) -> Result<Say, TwimlError> {
    let mut a = Attrs::new("Say", el);
    let voice = match a.take("voice") {
        None => Voice::Man,
        Some(v) if v.trim().eq_ignore_ascii_case("man") => Voice::Man,
        Some(v) if v.trim().eq_ignore_ascii_case("woman") => Voice::Woman,
        Some(v) => return Err(a.invalid("voice", v, "man or woman")),
    };
    let language = match a.take("language") {
        None => Language::En,
        Some(raw) => match [Language::En, Language::Es, Language::Fr, Language::De]
            .into_iter()
            .find(|l| raw.trim().eq_ignore_ascii_case(l.as_str()))
        {
            Some(l) => l,
            None => return Err(a.invalid("language", raw, "en, es, fr or de")),
        },
    };
    let loops = a.uint("loop", 1, 0)?;
    a.finish()?;
    el.no_children()?;
    let text = el.text();
    if text.len() > Say::MAX_TEXT_BYTES {
        return Err(TwimlError::TextTooLong {
            element: "Say",
            len: text.len(),
            max: Say::MAX_TEXT_BYTES,
        });
    }
    Ok(Say {
        text: text.into(),
        voice,
        language,
        loops,
    })
}

fn play(el: Element<'_, '_>) -> Result<Play, TwimlError> {
    let mut a = Attrs::new("Play", el);
    let loops = a.uint("loop", 1, 0)?;
    a.finish()?;
    el.no_children()?;
    let url = el.text();
    if url.is_empty() {
        return Err(TwimlError::InvalidText {
            element: "Play",
            value: String::new(),
            expected: "the URL of an audio file",
        });
    }
    Ok(Play {
        url: url.to_owned(),
        loops,
    })
}

fn pause(el: Element<'_, '_>) -> Result<Pause, TwimlError> {
    let mut a = Attrs::new("Pause", el);
    let length = a.secs("length", 1, 0)?;
    a.finish()?;
    el.no_children()?;
    el.no_text()?;
    Ok(Pause { length })
}

fn gather(el: Element<'_, '_>) -> Result<Gather, TwimlError> {
    let mut a = Attrs::new("Gather", el);
    let action = a.url("action")?;
    let method = a.method()?;
    let timeout = a.secs("timeout", 5, 1)?;
    let finish_on_key = match a.take("finishOnKey") {
        None => Some('#'),
        Some(raw) => {
            let mut chars = raw.chars();
            match (chars.next(), chars.next()) {
                (None, _) => None,
                (Some(c @ ('0'..='9' | '#' | '*')), None) => Some(c),
                _ => {
                    return Err(a.invalid(
                        "finishOnKey",
                        raw,
                        "one of 0-9, # or *, or empty for none",
                    ));
                }
            }
        }
    };
    let num_digits = match a.take("numDigits") {
        None => None,
        Some(raw) => match raw.trim().parse::<u32>() {
            Ok(n) if n >= 1 && raw.trim().bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => return Err(a.invalid("numDigits", raw, "a whole number, 1 or more")),
        },
    };
    a.finish()?;
    el.no_text()?;
    let mut prompts = Vec::with_capacity(el.elements().count());
    for child in el.elements() {
        prompts.push(match child.name() {
            "Say" => Prompt::Say(say(child)?),
            "Play" => Prompt::Play(play(child)?),
            "Pause" => Prompt::Pause(pause(child)?),
            other => return Err(misplaced(other, "Gather")),
        });
    }
    Ok(Gather {
        action,
        method,
        timeout,
        finish_on_key,
        num_digits,
        prompts,
    })
}

fn record(el: Element<'_, '_>) -> Result<Record, TwimlError> {
    let mut a = Attrs::new("Record", el);
    let action = a.url("action")?;
    let method = a.method()?;
    let timeout = a.secs("timeout", 5, 1)?;
    let finish_on_key = match a.take("finishOnKey") {
        None => "1234567890*#".to_owned(),
        Some(raw) if raw.chars().all(|c| matches!(c, '0'..='9' | '#' | '*')) => raw.to_owned(),
        Some(raw) => {
            return Err(a.invalid("finishOnKey", raw, "any of 0-9, # and *, or empty for none"));
        }
    };
    let max_length = a.secs("maxLength", 3600, 1)?;
    let transcribe = a.boolean("transcribe", false)?;
    let transcribe_callback = a.url("transcribeCallback")?;
    let play_beep = a.boolean("playBeep", true)?;
    a.finish()?;
    el.no_children()?;
    el.no_text()?;
    Ok(Record {
        action,
        method,
        timeout,
        finish_on_key,
        max_length,
        transcribe,
        transcribe_callback,
        play_beep,
    })
}

fn phone(element: &'static str, text: &str) -> Result<PhoneNumber, TwimlError> {
    PhoneNumber::parse(text).map_err(|_| TwimlError::InvalidText {
        element,
        value: text.to_owned(),
        expected: "a phone number (10 US digits, or + and country code)",
    })
}

fn dial(el: Element<'_, '_>) -> Result<Dial, TwimlError> {
    let mut a = Attrs::new("Dial", el);
    let action = a.url("action")?;
    let method = a.method()?;
    let timeout = a.secs("timeout", 30, 1)?;
    let hangup_on_star = a.boolean("hangupOnStar", false)?;
    let time_limit = a.secs("timeLimit", 14400, 1)?;
    let caller_id = match a.take("callerId") {
        None => None,
        Some(raw) => Some(
            PhoneNumber::parse(raw).map_err(|_| a.invalid("callerId", raw, "a phone number"))?,
        ),
    };
    a.finish()?;
    let mut numbers = Vec::new();
    for child in el.elements() {
        if child.name() != "Number" {
            return Err(misplaced(child.name(), "Dial"));
        }
        let mut na = Attrs::new("Number", child);
        let send_digits = match na.take("sendDigits") {
            None => None,
            Some(raw) => Some(
                SendDigits::parse(raw)
                    .map_err(|_| na.invalid("sendDigits", raw, "only 0-9, #, * and w"))?,
            ),
        };
        let url = na.url("url")?;
        na.finish()?;
        child.no_children()?;
        numbers.push(Number {
            number: phone("Number", child.text())?,
            send_digits,
            url,
        });
    }
    let text = el.text();
    if numbers.is_empty() {
        if text.is_empty() {
            return Err(TwimlError::InvalidText {
                element: "Dial",
                value: String::new(),
                expected: "a number to dial, as text or <Number> nouns",
            });
        }
        numbers.push(Number {
            number: phone("Dial", text)?,
            send_digits: None,
            url: None,
        });
    } else {
        el.no_text()?;
    }
    Ok(Dial {
        action,
        method,
        timeout,
        hangup_on_star,
        time_limit,
        caller_id,
        numbers,
    })
}

fn redirect(el: Element<'_, '_>) -> Result<Redirect, TwimlError> {
    let mut a = Attrs::new("Redirect", el);
    let method = a.method()?;
    a.finish()?;
    el.no_children()?;
    let url = el.text();
    if url.is_empty() {
        return Err(TwimlError::InvalidText {
            element: "Redirect",
            value: String::new(),
            expected: "an absolute or relative URL",
        });
    }
    Ok(Redirect {
        url: url.to_owned(),
        method,
    })
}
