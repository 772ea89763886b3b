//! The phone book's JSON shape, and its validation into [`PhoneEntry`] values.
//!
//! serde checks the shape (unknown fields are refused, so a typo is an error rather than
//! a silently ignored setting); [`RawEntry::validate`] checks values and combinations and
//! names the field and value at fault.

use std::collections::BTreeMap;
use std::path::Path;

use ringside_call::Duration;
use serde::Deserialize;

use super::entry::{
    Answer, HumanScript, KeyPress, Outcome, PhoneEntry, RecordReply, Role, Voicemail,
};
use super::error::PhoneBookError;
use super::recipe::{self, RecipeKind, SpeechDir};

/// The longest delay accepted anywhere in a phone book: one day.
const MAX_SECS: f64 = 86_400.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBook {
    /// The speech folder of recipe entries, relative to the book.
    #[serde(default)]
    pub speech: Option<String>,
    pub default: RawEntry,
    #[serde(default)]
    pub numbers: BTreeMap<String, RawEntry>,
}

#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum RawOutcome {
    #[default]
    Answer,
    Busy,
    NoAnswer,
    Fail,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    ring_secs: f64,
    #[serde(default)]
    outcome: RawOutcome,
    #[serde(default)]
    answer: Option<RawAnswer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    #[serde(default)]
    audio: Option<String>,
    #[serde(default)]
    recipe: Option<serde_json::Value>,
    #[serde(default)]
    hangup_after_secs: Option<f64>,
    #[serde(default)]
    human: Option<RawHuman>,
    #[serde(default)]
    voicemail: Option<RawVoicemail>,
    #[serde(default)]
    ivr: Option<RawIvr>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHuman {
    #[serde(default)]
    press: Vec<RawPress>,
    #[serde(default)]
    gather: Vec<RawPress>,
    #[serde(default)]
    record: Vec<RawRecord>,
    #[serde(default)]
    says: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPress {
    after_secs: f64,
    digits: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    speak_secs: f64,
    #[serde(default)]
    then_press: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVoicemail {
    #[serde(default)]
    records_from_secs: Option<f64>,
    #[serde(default)]
    max_message_secs: Option<f64>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawIvr {}

/// Builds errors for one file.
struct Ctx<'a> {
    path: &'a Path,
}

impl Ctx<'_> {
    fn invalid(
        &self,
        field: &str,
        value: impl ToString,
        reason: impl Into<String>,
    ) -> PhoneBookError {
        PhoneBookError::Invalid {
            path: self.path.to_path_buf(),
            field: field.to_owned(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Seconds as a [`Duration`] (rounded to the millisecond); finite, 0..=1 day.
    fn secs(&self, field: &str, v: f64) -> Result<Duration, PhoneBookError> {
        if !v.is_finite() || !(0.0..=MAX_SECS).contains(&v) {
            return Err(self.invalid(field, v, "must be a number of seconds from 0 to 86400"));
        }
        // In range, so the cast cannot truncate.
        Ok(Duration::from_millis((v * 1000.0).round() as u64))
    }

    fn digits(&self, field: &str, v: &str) -> Result<String, PhoneBookError> {
        if v.is_empty() {
            return Err(self.invalid(field, v, "is empty; give at least one key"));
        }
        if let Some(bad) = v.chars().find(|c| !matches!(c, '0'..='9' | '*' | '#')) {
            return Err(self.invalid(field, v, format!("contains {bad:?}; keys are 0-9, * and #")));
        }
        Ok(v.to_owned())
    }

    /// A person's words: trimmed, not empty, at most [`HumanScript::MAX_SAYS_BYTES`], no
    /// control characters (the text is sent to the app and may be stored as XML).
    fn says(&self, field: &str, text: String) -> Result<String, PhoneBookError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(self.invalid(field, &text, "is empty; give the words the person says"));
        }
        if t.len() > HumanScript::MAX_SAYS_BYTES {
            return Err(self.invalid(
                field,
                format!("{}…", t.chars().take(40).collect::<String>()),
                format!(
                    "is {} bytes; the limit is {}",
                    t.len(),
                    HumanScript::MAX_SAYS_BYTES
                ),
            ));
        }
        if let Some(c) = t.chars().find(|c| c.is_control()) {
            return Err(self.invalid(
                field,
                t.escape_debug(),
                format!("contains the control character {c:?}"),
            ));
        }
        Ok(t.to_owned())
    }

    fn press(&self, field: &str, list: Vec<RawPress>) -> Result<Vec<KeyPress>, PhoneBookError> {
        list.into_iter()
            .enumerate()
            .map(|(i, p)| {
                Ok(KeyPress {
                    after: self.secs(&format!("{field}[{i}].after_secs"), p.after_secs)?,
                    digits: self.digits(&format!("{field}[{i}].digits"), &p.digits)?,
                })
            })
            .collect()
    }
}

impl RawEntry {
    /// Checks values and resolves audio and recipe paths against `base`; recipe calls
    /// take their speech from `speech`.
    pub(super) fn validate(
        self,
        path: &Path,
        base: &Path,
        field: &str,
        speech: &SpeechDir,
    ) -> Result<PhoneEntry, PhoneBookError> {
        let cx = Ctx { path };
        let ring = cx.secs(&format!("{field}.ring_secs"), self.ring_secs)?;
        let outcome = match (self.outcome, self.answer) {
            (RawOutcome::Answer, Some(a)) => {
                Outcome::Answer(a.validate(&cx, base, &format!("{field}.answer"), speech)?)
            }
            (RawOutcome::Answer, None) => {
                return Err(cx.invalid(
                    &format!("{field}.answer"),
                    "",
                    "is missing: an answering number needs an \"answer\" object (or set \"outcome\" to busy, no-answer or fail)",
                ));
            }
            (other, Some(_)) => {
                return Err(cx.invalid(
                    &format!("{field}.answer"),
                    "{…}",
                    format!("contradicts \"outcome\": {other:?}: only an answering number has an \"answer\""),
                ));
            }
            (RawOutcome::Busy, None) => Outcome::Busy,
            (RawOutcome::NoAnswer, None) => Outcome::NoAnswer,
            (RawOutcome::Fail, None) => Outcome::Fail,
        };
        let description = self.description.unwrap_or_else(|| match &outcome {
            Outcome::Answer(a) => match &a.role {
                Role::Plain => "answers".to_owned(),
                Role::Human(_) => "a person answers".to_owned(),
                Role::Voicemail(_) => "voicemail".to_owned(),
                Role::Ivr => "an IVR".to_owned(),
            },
            Outcome::Busy => "busy".to_owned(),
            Outcome::NoAnswer => "never answers".to_owned(),
            Outcome::Fail => "cannot be connected".to_owned(),
        });
        Ok(PhoneEntry {
            description,
            ring,
            outcome,
        })
    }
}

impl RawAnswer {
    fn validate(
        self,
        cx: &Ctx<'_>,
        base: &Path,
        field: &str,
        speech: &SpeechDir,
    ) -> Result<Answer, PhoneBookError> {
        if self.audio.is_some() && self.recipe.is_some() {
            return Err(cx.invalid(
                &format!("{field}.recipe"),
                "{…}",
                "is given with \"audio\"; a far end plays a recording or a recipe, not both",
            ));
        }
        let recipe = self
            .recipe
            .as_ref()
            .map(|v| recipe::read(v, cx.path, base, &format!("{field}.recipe"), speech))
            .transpose()?;
        let kind = recipe.as_ref().map(|(_, k)| *k);
        let audio = match self.audio {
            None => None,
            Some(rel) => {
                let full = base.join(&rel);
                if !full.is_file() {
                    return Err(cx.invalid(
                        &format!("{field}.audio"),
                        &rel,
                        format!("is not a file (looked for {})", full.display()),
                    ));
                }
                Some(full)
            }
        };
        let hangup_after = self
            .hangup_after_secs
            .map(|v| cx.secs(&format!("{field}.hangup_after_secs"), v))
            .transpose()?;
        let (human, voicemail, ivr) = (self.human, self.voicemail, self.ivr);
        // A recipe says who answers; a role object may only refine it.
        let (human, voicemail, ivr) = match kind {
            None | Some(RecipeKind::Plain) => (human, voicemail, ivr),
            Some(k) => {
                let given = match (&human, &voicemail, &ivr) {
                    (Some(_), None, None) => Some(RecipeKind::Person),
                    (None, Some(_), None) => Some(RecipeKind::Voicemail),
                    (None, None, Some(_)) => Some(RecipeKind::Ivr),
                    _ => None,
                };
                if given.is_some_and(|g| g != k) {
                    return Err(cx.invalid(
                        field,
                        "{…}",
                        format!("has a role that contradicts its recipe, whose far end is a {k:?} (leave the role out, or match it)"),
                    ));
                }
                match k {
                    RecipeKind::Person => (Some(human.unwrap_or_default()), None, None),
                    RecipeKind::Voicemail => (
                        None,
                        Some(voicemail.unwrap_or(RawVoicemail {
                            records_from_secs: None,
                            max_message_secs: None,
                        })),
                        None,
                    ),
                    RecipeKind::Ivr => (None, None, Some(RawIvr {})),
                    RecipeKind::Plain => (human, voicemail, ivr),
                }
            }
        };
        if kind == Some(RecipeKind::Plain)
            && (human.is_some() || voicemail.is_some() || ivr.is_some())
        {
            return Err(cx.invalid(
                field,
                "{…}",
                "has a role, but its recipe's far end is a fax or silence, which only plays",
            ));
        }
        let role = match (human, voicemail, ivr) {
            (None, None, None) => Role::Plain,
            (Some(h), None, None) => Role::Human(HumanScript {
                says: h
                    .says
                    .map(|t| cx.says(&format!("{field}.human.says"), t))
                    .transpose()?,
                press: cx.press(&format!("{field}.human.press"), h.press)?,
                gather: cx.press(&format!("{field}.human.gather"), h.gather)?,
                record: h
                    .record
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let f = format!("{field}.human.record[{i}]");
                        let then_press = match r.then_press {
                            None => None,
                            Some(k) => {
                                let k = cx.digits(&format!("{f}.then_press"), &k)?;
                                if k.chars().count() != 1 {
                                    return Err(cx.invalid(
                                        &format!("{f}.then_press"),
                                        &k,
                                        "must be a single key",
                                    ));
                                }
                                k.chars().next()
                            }
                        };
                        Ok(RecordReply {
                            speak: cx.secs(&format!("{f}.speak_secs"), r.speak_secs)?,
                            then_press,
                        })
                    })
                    .collect::<Result<_, _>>()?,
            }),
            (None, Some(v), None) => Role::Voicemail(Voicemail {
                records_from: match (v.records_from_secs, kind.is_some()) {
                    (Some(s), false) => {
                        cx.secs(&format!("{field}.voicemail.records_from_secs"), s)?
                    }
                    (None, true) => Duration::ZERO,
                    (Some(s), true) => {
                        return Err(cx.invalid(
                            &format!("{field}.voicemail.records_from_secs"),
                            s,
                            "is set by the recipe (the end of each call's beep, or of its greeting without one); leave it out",
                        ));
                    }
                    (None, false) => {
                        return Err(cx.invalid(
                            &format!("{field}.voicemail.records_from_secs"),
                            "",
                            "is missing: when the box starts recording, s from answer (the end of its beep)",
                        ));
                    }
                },
                max_message: match v.max_message_secs {
                    None => Voicemail::DEFAULT_MAX_MESSAGE,
                    Some(s) => cx.secs(&format!("{field}.voicemail.max_message_secs"), s)?,
                },
            }),
            (None, None, Some(RawIvr {})) => Role::Ivr,
            _ => {
                return Err(cx.invalid(
                    field,
                    "{…}",
                    "has more than one of \"human\", \"voicemail\" and \"ivr\"; pick one",
                ));
            }
        };
        Ok(Answer {
            audio,
            recipe: recipe.map(|(r, _)| r),
            hangup_after,
            role,
        })
    }
}
