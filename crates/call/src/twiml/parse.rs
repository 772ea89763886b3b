//! TwiML text → [`Document`].
//!
//! Two passes: quick-xml's reader builds a small element tree (depth-limited, entities
//! resolved, comments and processing instructions dropped), then each element is checked
//! against the 2008 vocabulary, its attributes parsed with their defaults, and its nesting
//! checked. The first problem found is returned.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::error::TwimlError;
use super::verb::{
    Dial, Document, Gather, Language, Number, Pause, Play, Prompt, Record, Redirect, Say, Verb,
    Voice,
};
use crate::api::{Method, PhoneNumber, SendDigits};
use crate::time::Duration;

/// Valid TwiML nests at most three deep (`Response` > `Gather` > `Say`); anything past
/// this is refused while reading, which also bounds the tree's recursion depth.
const MAX_DEPTH: usize = 8;

/// Every element name of 2008 TwiML.
const KNOWN: &[&str] = &[
    "Response", "Say", "Play", "Gather", "Record", "Dial", "Redirect", "Pause", "Hangup", "Number",
];

#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// All text children joined, trimmed.
    fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            if let Node::Text(t) = c {
                s.push_str(t);
            }
        }
        s.trim().to_owned()
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Errors if the element has any child element.
    fn no_children(&self) -> Result<(), TwimlError> {
        match self.elements().next() {
            Some(child) => Err(misplaced(&child.name, &self.name)),
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
                element: self.name.clone(),
                text: shorten(&text),
            })
        }
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        let mut s: String = text.chars().take(40).collect();
        s.push('…');
        s
    } else {
        text.to_owned()
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

fn xml_error(e: impl std::fmt::Display, position: u64) -> TwimlError {
    TwimlError::Xml {
        message: e.to_string(),
        position,
    }
}

fn start_element(e: &BytesStart<'_>, position: u64) -> Result<Element, TwimlError> {
    let name = e.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| xml_error(err, position))?;
        let key = a.key.as_ref().to_owned();
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| xml_error(err, position))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

/// Appends text to the innermost open element, or checks it is only whitespace outside.
fn push_text(stack: &mut [Element], text: Cow<'_, str>, position: u64) -> Result<(), TwimlError> {
    match stack.last_mut() {
        Some(el) => {
            if let Some(Node::Text(t)) = el.children.last_mut() {
                t.push_str(&text);
            } else {
                el.children.push(Node::Text(text.into_owned()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(xml_error(
            format!("text {:?} outside the root element", shorten(text.trim())),
            position,
        )),
    }
}

fn read_tree(xml: &str) -> Result<Element, TwimlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_error(e, reader.error_position()))?;
        let finished = match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(TwimlError::TooDeep { max: MAX_DEPTH });
                }
                stack.push(start_element(&e, position)?);
                None
            }
            Event::Empty(e) => Some(start_element(&e, position)?),
            // quick-xml checks that end names match their start tags.
            Event::End(_) => stack.pop(),
            Event::Text(t) => {
                push_text(&mut stack, t.xml10_content(), position)?;
                None
            }
            Event::CData(t) => {
                push_text(&mut stack, t.xml10_content(), position)?;
                None
            }
            Event::GeneralRef(r) => {
                let text: Cow<'_, str> =
                    match r.resolve_char_ref().map_err(|e| xml_error(e, position))? {
                        Some(c) => Cow::Owned(c.to_string()),
                        None => {
                            let name = r.xml10_content();
                            match resolve_predefined_entity(&name) {
                                Some(s) => Cow::Borrowed(s),
                                None => {
                                    return Err(xml_error(
                                        format!("unknown entity &{name};"),
                                        position,
                                    ));
                                }
                            }
                        }
                    };
                push_text(&mut stack, text, position)?;
                None
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => None,
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(xml_error(
                        format!("<{}> is never closed", open.name),
                        position,
                    ));
                }
                return root.ok_or(TwimlError::Empty);
            }
        };
        if let Some(el) = finished {
            match stack.last_mut() {
                Some(parent) => parent.children.push(Node::Element(el)),
                None if root.is_some() => {
                    return Err(xml_error(
                        format!("a second root element <{}>", el.name),
                        position,
                    ));
                }
                None => root = Some(el),
            }
        }
    }
}

/// Parses a TwiML document.
///
/// ```
/// use ringside_call::twiml::{parse, Verb};
/// let doc = parse("<Response><Say loop=\"2\">Hello</Say><Hangup/></Response>").unwrap();
/// assert!(matches!(&doc.verbs[0], Verb::Say(s) if s.loops == 2 && s.text == "Hello"));
/// ```
pub fn parse(xml: &str) -> Result<Document, TwimlError> {
    let root = read_tree(xml)?;
    if root.name != "Response" {
        return Err(TwimlError::NotResponse { found: root.name });
    }
    if let Some((attribute, _)) = root.attrs.first() {
        return Err(TwimlError::UnknownAttribute {
            element: root.name.clone(),
            attribute: attribute.clone(),
        });
    }
    root.no_text()?;
    let mut verbs = Vec::new();
    for el in root.elements() {
        verbs.push(verb(el)?);
    }
    Ok(Document { verbs })
}

fn verb(el: &Element) -> Result<Verb, TwimlError> {
    Ok(match el.name.as_str() {
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
struct Attrs<'a> {
    element: &'static str,
    attrs: Vec<&'a (String, String)>,
}

impl<'a> Attrs<'a> {
    fn new(element: &'static str, el: &'a Element) -> Self {
        Attrs {
            element,
            attrs: el.attrs.iter().collect(),
        }
    }

    fn take(&mut self, name: &str) -> Option<&'a str> {
        let i = self.attrs.iter().position(|(k, _)| k == name)?;
        Some(self.attrs.swap_remove(i).1.as_str())
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
        match self.attrs.first() {
            Some((k, _)) => Err(TwimlError::UnknownAttribute {
                element: self.element.to_owned(),
                attribute: k.clone(),
            }),
            None => Ok(()),
        }
    }
}

fn say(el: &Element) -> Result<Say, TwimlError> {
    let mut a = Attrs::new("Say", el);
    let voice = match a.take("voice") {
        None => Voice::Man,
        Some(v) if v.trim().eq_ignore_ascii_case("man") => Voice::Man,
        Some(v) if v.trim().eq_ignore_ascii_case("woman") => Voice::Woman,
        Some(v) => return Err(a.invalid("voice", v, "man or woman")),
    };
    let language = match a
        .take("language")
        .map(|l| (l, l.trim().to_ascii_lowercase()))
    {
        None => Language::En,
        Some((_, l)) if l == "en" => Language::En,
        Some((_, l)) if l == "es" => Language::Es,
        Some((_, l)) if l == "fr" => Language::Fr,
        Some((_, l)) if l == "de" => Language::De,
        Some((raw, _)) => return Err(a.invalid("language", raw, "en, es, fr or de")),
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
        text,
        voice,
        language,
        loops,
    })
}

fn play(el: &Element) -> Result<Play, TwimlError> {
    let mut a = Attrs::new("Play", el);
    let loops = a.uint("loop", 1, 0)?;
    a.finish()?;
    el.no_children()?;
    let url = el.text();
    if url.is_empty() {
        return Err(TwimlError::InvalidText {
            element: "Play",
            value: url,
            expected: "the URL of an audio file",
        });
    }
    Ok(Play { url, loops })
}

fn pause(el: &Element) -> Result<Pause, TwimlError> {
    let mut a = Attrs::new("Pause", el);
    let length = a.secs("length", 1, 0)?;
    a.finish()?;
    el.no_children()?;
    el.no_text()?;
    Ok(Pause { length })
}

fn gather(el: &Element) -> Result<Gather, TwimlError> {
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
    let mut prompts = Vec::new();
    for child in el.elements() {
        prompts.push(match child.name.as_str() {
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

fn record(el: &Element) -> Result<Record, TwimlError> {
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

fn phone(element: &'static str, text: String) -> Result<PhoneNumber, TwimlError> {
    PhoneNumber::parse(&text).map_err(|_| TwimlError::InvalidText {
        element,
        value: text,
        expected: "a phone number (10 US digits, or + and country code)",
    })
}

fn dial(el: &Element) -> Result<Dial, TwimlError> {
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
        if child.name != "Number" {
            return Err(misplaced(&child.name, "Dial"));
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
                value: text,
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

fn redirect(el: &Element) -> Result<Redirect, TwimlError> {
    let mut a = Attrs::new("Redirect", el);
    let method = a.method()?;
    a.finish()?;
    el.no_children()?;
    let url = el.text();
    if url.is_empty() {
        return Err(TwimlError::InvalidText {
            element: "Redirect",
            value: url,
            expected: "an absolute or relative URL",
        });
    }
    Ok(Redirect { url, method })
}
