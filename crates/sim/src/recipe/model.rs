//! The recipe: a far end described as parts, each parameter a [`Param`] to draw from.
//!
//! `docs/recipes.md` documents every field; the bounds and defaults below are the ones it
//! lists. A recipe is only ever built by [`Recipe::parse`], which checks every field, so
//! drawing from it cannot meet an out-of-range value.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::error::{FieldError, RecipeError};
use super::param::Param;
use super::reader::{Obj, Reader};

/// A family of far ends.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// Its name (the `name` field, or the file's stem).
    pub name: String,
    /// Free labels to break an evaluation down by family.
    pub tags: Vec<String>,
    /// Active speech level, dBFS: the reference for beep level and noise SNR.
    pub speech_db: Param<f64>,
    pub before: Before,
    /// Who answers (ignored when the drawn `before.kind` is busy, congestion or sit).
    pub answer: Answer,
    pub line: Line,
    pub output: Output,
}

/// What the caller hears before pickup.
#[derive(Debug, Clone)]
pub struct Before {
    /// `none`, `ringback`, `busy`, `congestion` or `sit`.
    pub kind: Param<String>,
    /// ISO country code of the tone plan.
    pub country: Param<String>,
    /// Ringback periods before pickup.
    pub rings: Param<u32>,
    /// Length of a busy or congestion tone, s.
    pub duration_s: Param<f64>,
}

/// Who answers.
#[derive(Debug, Clone)]
pub enum Answer {
    Voicemail(Box<Voicemail>),
    Person(Person),
    Fax(Fax),
    Silence(Silence),
    Ivr(Ivr),
}

#[derive(Debug, Clone)]
pub struct Voicemail {
    pub lead_s: Param<f64>,
    pub clips: Param<u32>,
    pub pause_s: Param<f64>,
    pub gap_s: Param<f64>,
    pub beep: Option<Beep>,
    pub after: After,
}

#[derive(Debug, Clone)]
pub struct Beep {
    pub shape: Param<String>,
    pub freq_hz: Param<f64>,
    pub freq2_hz: Param<f64>,
    pub freq3_hz: Param<f64>,
    pub tones: Param<u32>,
    pub duration_s: Param<f64>,
    pub bursts: Param<u32>,
    pub burst_gap_s: Param<f64>,
    pub level_db: Param<f64>,
    pub harmonics_db: Param<f64>,
    pub clip_pct: Param<f64>,
    pub decay_s: Param<f64>,
    pub warble_rate_hz: Param<f64>,
    pub warble_pct: Param<f64>,
    pub ramp_ms: Param<f64>,
    /// A recorded beep (shape `file`): mono samples at 8 kHz, and its file name.
    pub recording: Option<(Arc<Vec<f32>>, String)>,
}

#[derive(Debug, Clone)]
pub struct After {
    pub kind: Param<String>,
    pub duration_s: Param<f64>,
    pub level_db: Param<f64>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub lead_s: Param<f64>,
    pub first: Param<String>,
    pub second_hello: Param<f64>,
    pub gap_s: Param<f64>,
    pub tail_s: Param<f64>,
    pub background: Param<String>,
    pub background_db: Param<f64>,
    pub household_beep: Option<HouseholdBeep>,
}

#[derive(Debug, Clone)]
pub struct HouseholdBeep {
    pub freq_hz: Param<f64>,
    pub duration_s: Param<f64>,
    pub level_db: Param<f64>,
    pub after_speech_s: Param<f64>,
}

#[derive(Debug, Clone)]
pub struct Fax {
    pub sequence: Param<String>,
    pub lead_s: Param<f64>,
    pub ced_s: Param<f64>,
    pub v21_s: Param<f64>,
    pub cng_count: Param<u32>,
    pub level_db: Param<f64>,
}

#[derive(Debug, Clone)]
pub struct Silence {
    pub kind: Param<String>,
    pub duration_s: Param<f64>,
    pub level_db: Param<f64>,
    pub hum_hz: Param<f64>,
}

#[derive(Debug, Clone)]
pub struct Ivr {
    pub lead_s: Param<f64>,
    pub clips: Param<u32>,
    pub pause_s: Param<f64>,
    pub tail_s: Param<f64>,
}

/// The line between the far end and the caller.
#[derive(Debug, Clone)]
pub struct Line {
    pub codec: Param<String>,
    pub bandpass: Param<bool>,
    pub gsm: Option<Gsm>,
    pub gain_db: Param<f64>,
    pub clip_pct: Param<f64>,
    pub dc: Param<f64>,
    pub noise: Param<String>,
    pub snr_db: Param<f64>,
    pub echo: Option<Echo>,
}

#[derive(Debug, Clone)]
pub struct Gsm {
    pub dropout_pct: Param<f64>,
    pub comfort_db: Param<f64>,
}

#[derive(Debug, Clone)]
pub struct Echo {
    pub delay_ms: Param<f64>,
    pub level_db: Param<f64>,
}

/// The written file.
#[derive(Debug, Clone)]
pub struct Output {
    pub rate_hz: Param<u32>,
    pub channels: Param<u32>,
    pub far_channel: Param<String>,
}

/// Beep shapes.
pub const BEEP_SHAPES: &[&str] = &[
    "sine", "harmonic", "clipped", "decaying", "warble", "sequence", "dual", "file",
];

impl Recipe {
    /// Reads and checks the recipe in `file`.
    pub fn load(file: &Path) -> Result<Self, RecipeError> {
        let text = ringside_audio::read_text(file).map_err(|source| RecipeError::Io {
            file: file.to_path_buf(),
            source,
        })?;
        Self::parse(&text, file)
    }

    /// Parses and checks recipe JSON; `file` names it in errors, its stem is the default
    /// name and its directory is where a recorded beep's file name is looked up.
    pub fn parse(text: &str, file: &Path) -> Result<Self, RecipeError> {
        let value: Value = serde_json::from_str(text).map_err(|source| RecipeError::Json {
            file: file.to_path_buf(),
            source,
        })?;
        Self::from_value(&value, file)
    }

    /// Checks a recipe already parsed as JSON, e.g. one written inline in another file
    /// (a phone-book entry): `file` names that file in errors and is where a recorded
    /// beep's file name is looked up.
    pub fn from_value(value: &Value, file: &Path) -> Result<Self, RecipeError> {
        let mut r = Reader::default();
        let recipe = read_recipe(&mut r, value, file);
        match recipe {
            Some(recipe) if r.errors.is_empty() => Ok(recipe),
            _ => Err(RecipeError::Invalid {
                file: file.to_path_buf(),
                errors: if r.errors.is_empty() {
                    vec![FieldError {
                        path: "(recipe)".to_owned(),
                        value: "?".to_owned(),
                        expected: "a recipe object".to_owned(),
                    }]
                } else {
                    r.errors
                },
            }),
        }
    }
}

fn read_recipe(r: &mut Reader, value: &Value, file: &Path) -> Option<Recipe> {
    let Value::Object(map) = value else {
        r.error("(recipe)".to_owned(), value, "expected a JSON object {..}");
        return None;
    };
    let top = Obj { map, path: "" };
    r.known(
        top,
        &[
            "name",
            "tags",
            "speech_db",
            "before",
            "answer",
            "line",
            "output",
        ],
    );
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = r.text(top, "name").unwrap_or(stem);
    let tags = read_tags(r, top);
    let speech_db = r.num(top, "speech_db", -20.0, (-40.0, -6.0), " dBFS");
    let before = read_before(r, top);
    let answer = match r.object(top, "answer", "answer") {
        Some(obj) => read_answer(r, obj, file),
        None => {
            r.missing(
                "answer".to_owned(),
                "expected an object with \"kind\": voicemail, person, fax, silence or ivr",
            );
            None
        }
    };
    let line_obj = r.object(top, "line", "line");
    let line = read_line(r, line_obj);
    let output_obj = r.object(top, "output", "output");
    let output = read_output(r, output_obj);
    Some(Recipe {
        name,
        tags,
        speech_db,
        before,
        answer: answer?,
        line,
        output,
    })
}

fn read_tags(r: &mut Reader, top: Obj<'_>) -> Vec<String> {
    match top.map.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(|v| v.is_string()) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(other) => {
            r.error("tags".to_owned(), other, "expected a list of strings");
            Vec::new()
        }
    }
}

fn empty() -> &'static serde_json::Map<String, Value> {
    static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(serde_json::Map::new)
}

/// The object, or an empty one (all defaults) at `path`.
fn or_empty<'v>(obj: Option<Obj<'v>>, path: &'v str) -> Obj<'v> {
    obj.unwrap_or(Obj { map: empty(), path })
}

fn read_before(r: &mut Reader, top: Obj<'_>) -> Before {
    let o = or_empty(r.object(top, "before", "before"), "before");
    r.known(o, &["kind", "country", "rings", "duration_s"]);
    let codes: Vec<&str> = ringside_dsp::tone_plan::TONE_PLANS
        .iter()
        .map(|p| p.code)
        .chain(["gb"])
        .collect();
    Before {
        kind: r.choice(
            o,
            "kind",
            "none",
            &["none", "ringback", "busy", "congestion", "sit"],
        ),
        country: r.choice(o, "country", "us", &codes),
        rings: r.int(o, "rings", 2, (1, 10), " rings"),
        duration_s: r.num(o, "duration_s", 4.0, (0.5, 30.0), " s"),
    }
}

fn read_answer(r: &mut Reader, o: Obj<'_>, file: &Path) -> Option<Answer> {
    let kinds = ["voicemail", "person", "fax", "silence", "ivr"];
    let kind = match o.map.get("kind") {
        Some(Value::String(k)) if kinds.contains(&k.as_str()) => k.as_str(),
        Some(other) => {
            r.error(
                "answer.kind".to_owned(),
                other,
                "expected one of voicemail, person, fax, silence, ivr",
            );
            return None;
        }
        None => {
            r.missing(
                "answer.kind".to_owned(),
                "expected one of voicemail, person, fax, silence, ivr",
            );
            return None;
        }
    };
    Some(match kind {
        "voicemail" => Answer::Voicemail(Box::new(read_voicemail(r, o, file))),
        "person" => Answer::Person(read_person(r, o)),
        "fax" => Answer::Fax(read_fax(r, o)),
        "silence" => Answer::Silence(read_silence(r, o)),
        _ => Answer::Ivr(read_ivr(r, o)),
    })
}

fn read_voicemail(r: &mut Reader, o: Obj<'_>, file: &Path) -> Voicemail {
    r.known(
        o,
        &[
            "kind", "lead_s", "clips", "pause_s", "gap_s", "beep", "after",
        ],
    );
    let beep = r
        .object(o, "beep", "answer.beep")
        .map(|b| read_beep(r, b, file));
    let after = or_empty(r.object(o, "after", "answer.after"), "answer.after");
    r.known(after, &["kind", "duration_s", "level_db"]);
    Voicemail {
        lead_s: r.num(o, "lead_s", 0.3, (0.0, 5.0), " s"),
        clips: r.int(o, "clips", 2, (1, 4), " clips"),
        pause_s: r.num(o, "pause_s", 0.3, (0.0, 2.0), " s"),
        gap_s: r.num(o, "gap_s", 0.5, (0.0, 10.0), " s"),
        beep,
        after: After {
            kind: r.choice(after, "kind", "silence", &["silence", "hiss", "hum", "end"]),
            duration_s: r.num(after, "duration_s", 2.0, (0.0, 10.0), " s"),
            level_db: r.num(after, "level_db", -60.0, (-90.0, -30.0), " dBFS"),
        },
    }
}

fn read_beep(r: &mut Reader, b: Obj<'_>, file: &Path) -> Beep {
    r.known(
        b,
        &[
            "shape",
            "freq_hz",
            "freq2_hz",
            "freq3_hz",
            "tones",
            "duration_s",
            "bursts",
            "burst_gap_s",
            "level_db",
            "harmonics_db",
            "clip_pct",
            "decay_s",
            "warble_rate_hz",
            "warble_pct",
            "ramp_ms",
            "file",
        ],
    );
    let shape = r.choice(b, "shape", "sine", BEEP_SHAPES);
    let wants_file = shape.values().iter().any(|s| s.as_str() == "file");
    let recording = match (r.text(b, "file"), wants_file) {
        (Some(name), _) => {
            let dir = file.parent().unwrap_or(Path::new(""));
            let path = dir.join(&name);
            match crate::synth::speech::decode_mono_8k(&path) {
                Ok(samples) if !samples.is_empty() => Some((Arc::new(samples), name)),
                Ok(_) => {
                    r.error(
                        "answer.beep.file".to_owned(),
                        &Value::String(name),
                        "expected a recording with sound in it",
                    );
                    None
                }
                Err(e) => {
                    r.error(
                        "answer.beep.file".to_owned(),
                        &Value::String(name),
                        format!(
                            "expected a readable WAV file, relative to the recipe's folder: {e}"
                        ),
                    );
                    None
                }
            }
        }
        (None, true) => {
            r.missing(
                "answer.beep.file".to_owned(),
                "expected a WAV file relative to the recipe's folder (shape \"file\" needs one)",
            );
            None
        }
        (None, false) => None,
    };
    Beep {
        shape,
        freq_hz: r.num(b, "freq_hz", 1000.0, (200.0, 3400.0), " Hz"),
        freq2_hz: r.num(b, "freq2_hz", 1400.0, (200.0, 3400.0), " Hz"),
        freq3_hz: r.num(b, "freq3_hz", 1800.0, (200.0, 3400.0), " Hz"),
        tones: r.int(b, "tones", 2, (2, 3), " tones"),
        duration_s: r.num(b, "duration_s", 0.5, (0.05, 2.0), " s"),
        bursts: r.int(b, "bursts", 1, (1, 4), " bursts"),
        burst_gap_s: r.num(b, "burst_gap_s", 0.15, (0.03, 0.5), " s"),
        level_db: r.num(b, "level_db", 0.0, (-20.0, 12.0), " dB"),
        harmonics_db: r.num(b, "harmonics_db", -10.0, (-40.0, 0.0), " dB"),
        clip_pct: r.num(b, "clip_pct", 30.0, (5.0, 95.0), " %"),
        decay_s: r.num(b, "decay_s", 0.25, (0.05, 2.0), " s"),
        warble_rate_hz: r.num(b, "warble_rate_hz", 8.0, (1.0, 30.0), " Hz"),
        warble_pct: r.num(b, "warble_pct", 3.0, (0.5, 10.0), " %"),
        ramp_ms: r.num(b, "ramp_ms", 5.0, (0.0, 20.0), " ms"),
        recording,
    }
}

fn read_person(r: &mut Reader, o: Obj<'_>) -> Person {
    r.known(
        o,
        &[
            "kind",
            "lead_s",
            "first",
            "second_hello",
            "gap_s",
            "tail_s",
            "background",
            "background_db",
            "household_beep",
        ],
    );
    let household_beep = r
        .object(o, "household_beep", "answer.household_beep")
        .map(|h| {
            r.known(h, &["freq_hz", "duration_s", "level_db", "after_speech_s"]);
            HouseholdBeep {
                freq_hz: r.num(h, "freq_hz", 2000.0, (300.0, 3400.0), " Hz"),
                duration_s: r.num(h, "duration_s", 0.3, (0.05, 1.5), " s"),
                level_db: r.num(h, "level_db", -24.0, (-50.0, -6.0), " dBFS"),
                after_speech_s: r.num(h, "after_speech_s", 1.0, (0.1, 5.0), " s"),
            }
        });
    Person {
        lead_s: r.num(o, "lead_s", 0.5, (0.0, 5.0), " s"),
        first: r.choice(
            o,
            "first",
            "short",
            &["short", "long", "name", "hello_name"],
        ),
        second_hello: r.num(o, "second_hello", 0.0, (0.0, 1.0), " (probability)"),
        gap_s: r.num(o, "gap_s", 1.5, (0.5, 4.0), " s"),
        tail_s: r.num(o, "tail_s", 3.0, (0.5, 10.0), " s"),
        background: r.choice(o, "background", "none", &["none", "tv", "music", "room"]),
        background_db: r.num(o, "background_db", -38.0, (-60.0, -15.0), " dBFS"),
        household_beep,
    }
}

fn read_fax(r: &mut Reader, o: Obj<'_>) -> Fax {
    r.known(
        o,
        &[
            "kind",
            "sequence",
            "lead_s",
            "ced_s",
            "v21_s",
            "cng_count",
            "level_db",
        ],
    );
    Fax {
        sequence: r.choice(
            o,
            "sequence",
            "ced_v21",
            &["cng", "ced", "ced_v21", "ansam", "ansam_v21"],
        ),
        lead_s: r.num(o, "lead_s", 0.2, (0.0, 3.0), " s"),
        ced_s: r.num(o, "ced_s", 3.3, (2.6, 4.0), " s"),
        v21_s: r.num(o, "v21_s", 1.5, (0.2, 4.0), " s"),
        cng_count: r.int(o, "cng_count", 2, (1, 5), " tones"),
        level_db: r.num(o, "level_db", -13.0, (-40.0, -3.0), " dBFS"),
    }
}

fn read_silence(r: &mut Reader, o: Obj<'_>) -> Silence {
    r.known(o, &["kind", "noise", "duration_s", "level_db", "hum_hz"]);
    Silence {
        kind: r.choice(o, "noise", "dead", &["dead", "hiss", "hum", "clicks"]),
        duration_s: r.num(o, "duration_s", 5.0, (0.5, 60.0), " s"),
        level_db: r.num(o, "level_db", -55.0, (-90.0, -20.0), " dBFS"),
        hum_hz: r.num(o, "hum_hz", 50.0, (40.0, 70.0), " Hz"),
    }
}

fn read_ivr(r: &mut Reader, o: Obj<'_>) -> Ivr {
    r.known(o, &["kind", "lead_s", "clips", "pause_s", "tail_s"]);
    Ivr {
        lead_s: r.num(o, "lead_s", 0.3, (0.0, 5.0), " s"),
        clips: r.int(o, "clips", 1, (1, 3), " clips"),
        pause_s: r.num(o, "pause_s", 0.5, (0.0, 3.0), " s"),
        tail_s: r.num(o, "tail_s", 2.0, (0.0, 10.0), " s"),
    }
}

fn read_line(r: &mut Reader, o: Option<Obj<'_>>) -> Line {
    let o = or_empty(o, "line");
    r.known(
        o,
        &[
            "codec", "bandpass", "gsm", "gain_db", "clip_pct", "dc", "noise", "snr_db", "echo",
        ],
    );
    let gsm = r.object(o, "gsm", "line.gsm").map(|g| {
        r.known(g, &["dropout_pct", "comfort_db"]);
        Gsm {
            dropout_pct: r.num(g, "dropout_pct", 2.0, (0.0, 30.0), " %"),
            comfort_db: r.num(g, "comfort_db", -62.0, (-90.0, -40.0), " dBFS"),
        }
    });
    let echo = r.object(o, "echo", "line.echo").map(|e| {
        r.known(e, &["delay_ms", "level_db"]);
        Echo {
            delay_ms: r.num(e, "delay_ms", 120.0, (5.0, 500.0), " ms"),
            level_db: r.num(e, "level_db", -20.0, (-50.0, -3.0), " dB"),
        }
    });
    Line {
        codec: r.choice(o, "codec", "none", &["none", "ulaw", "alaw"]),
        bandpass: r.flag(o, "bandpass", false),
        gsm,
        gain_db: r.num(o, "gain_db", 0.0, (-24.0, 6.0), " dB"),
        clip_pct: r.num(o, "clip_pct", 100.0, (10.0, 100.0), " % of peak"),
        dc: r.num(o, "dc", 0.0, (-0.2, 0.2), " (full scale)"),
        noise: r.choice(o, "noise", "none", &["none", "white", "pink"]),
        snr_db: r.num(o, "snr_db", 30.0, (0.0, 60.0), " dB"),
        echo,
    }
}

fn read_output(r: &mut Reader, o: Option<Obj<'_>>) -> Output {
    let o = or_empty(o, "output");
    r.known(o, &["rate_hz", "channels", "far_channel"]);
    let rate_hz = r.int(o, "rate_hz", 8000, (8000, 48_000), " Hz");
    Output {
        rate_hz,
        channels: r.int(o, "channels", 1, (1, 2), " channels"),
        far_channel: r.choice(o, "far_channel", "left", &["left", "right"]),
    }
}
