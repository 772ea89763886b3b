//! Rendering a plan: placing each sound at a sample index and writing down where.
//!
//! The far end is built on one track at the output rate. Every placement returns its
//! first and one-past-last sample index; the labels are those indices divided by the
//! output rate, so they are exact by construction. Line effects come last and are
//! zero-delay (see [`super::line`]).

use ringside_dsp::tone_plan::{TonePlan, tone_plan};
use serde::{Deserialize, Serialize};

use crate::recipe::Rng;
use crate::recipe::plan::{AnswerPlan, BeforePlan, FarEndPlan, PersonPlan, VoicemailPlan};

use super::speech::{CLIP_RATE, Clip, Kind, SpeechError, SpeechLibrary};
use ringside_audio::{AudioErrorKind, resample};

use super::{beep, fax, line, noise, tones};

/// What answered, as manifests name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Human,
    Machine,
    Fax,
    Silence,
}

/// The truth about one rendered call, in seconds from the first sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub label: Label,
    pub beep_at: Option<f64>,
    pub beep_end: Option<f64>,
    pub speech_start: Option<f64>,
    pub speech_end: Option<f64>,
    pub utterances: Vec<(f64, f64)>,
    pub source: String,
    pub conditions: String,
}

/// A rendered call: the far end's samples (mono, at `rate_hz`) and its labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub samples: Vec<f32>,
    pub rate_hz: u32,
    /// Channels of the file to write; with 2 the far end goes on one, the other is silent.
    pub channels: u32,
    pub far_right: bool,
    /// The sample where the far end picks up: the end of the ringback (0 without one).
    /// A phone-book call rings for this long and plays the samples from here on.
    pub pickup: usize,
    pub labels: Labels,
}

/// A call that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Speech(#[from] SpeechError),
    #[error("unknown country {0:?} for call-progress tones")]
    Country(String),
    #[error("converting a clip to {rate} Hz failed: {source}")]
    Resample {
        rate: u32,
        #[source]
        source: AudioErrorKind,
    },
}

/// The far end's track while it is built.
struct Track {
    x: Vec<f32>,
    rate: u32,
    speech_db: f64,
    sources: Vec<String>,
}

impl Track {
    fn len(&self) -> usize {
        self.x.len()
    }

    fn secs(&self, n: usize) -> f64 {
        n as f64 / f64::from(self.rate)
    }

    fn pad(&mut self, secs: f64) {
        let n = (secs.max(0.0) * f64::from(self.rate)).round() as usize;
        self.x.extend(std::iter::repeat_n(0.0, n));
    }

    /// Appends `sig`; returns its `[start, end)` sample span.
    fn place(&mut self, sig: &[f32]) -> (usize, usize) {
        let start = self.x.len();
        self.x.extend_from_slice(sig);
        (start, self.x.len())
    }

    /// Adds `sig` onto the track from `at` on, growing it if needed.
    fn mix(&mut self, at: usize, sig: &[f32]) {
        if self.x.len() < at + sig.len() {
            self.x.resize(at + sig.len(), 0.0);
        }
        for (o, v) in self.x[at..].iter_mut().zip(sig) {
            *o += v;
        }
    }

    /// A speech clip at the speech level and the output rate.
    fn clip(&mut self, clip: &Clip) -> Result<Vec<f32>, RenderError> {
        self.sources.push(clip.name.clone());
        let g = noise::db(self.speech_db) / f64::from(clip.active_rms.max(1e-6));
        let at_rate = resample(&clip.samples, CLIP_RATE, self.rate).map_err(|source| {
            RenderError::Resample {
                rate: self.rate,
                source,
            }
        })?;
        Ok(at_rate.iter().map(|v| (f64::from(*v) * g) as f32).collect())
    }

    /// The peak amplitude of a tone whose RMS is `rel_db` from the speech level.
    fn tone_amp(&self, rel_db: f64) -> f64 {
        (noise::db(self.speech_db + rel_db) * std::f64::consts::SQRT_2).min(0.9)
    }
}

fn plan_of(country: &str) -> Result<&'static TonePlan, RenderError> {
    tone_plan(country).ok_or_else(|| RenderError::Country(country.to_owned()))
}

/// Empty labels of `label`.
fn labels(label: Label) -> Labels {
    Labels {
        label,
        beep_at: None,
        beep_end: None,
        speech_start: None,
        speech_end: None,
        utterances: Vec::new(),
        source: String::new(),
        conditions: String::new(),
    }
}

impl FarEndPlan {
    /// Renders the call with speech from `lib`.
    pub fn render(&self, lib: &SpeechLibrary) -> Result<Rendered, RenderError> {
        let mut t = Track {
            x: Vec::new(),
            rate: self.rate_hz,
            speech_db: self.speech_db,
            sources: Vec::new(),
        };
        let mut rng = Rng::new(self.noise_seed);
        let mut cond: Vec<String> = Vec::new();
        let mut source_tail = String::new();
        let tone_amp = t.tone_amp(0.0);
        let mut pickup = 0;
        let mut out = match &self.before {
            BeforePlan::None => None,
            BeforePlan::Ringback {
                country,
                rings,
                pickup_frac,
            } => {
                let p = plan_of(country)?;
                let x = tones::cadence(&p.ringback, *rings, *pickup_frac, t.rate, tone_amp);
                t.place(&x);
                pickup = t.len();
                cond.push(format!("ringback_{}_pre", p.code));
                None
            }
            BeforePlan::Busy {
                country,
                duration_s,
            }
            | BeforePlan::Congestion {
                country,
                duration_s,
            } => {
                let p = plan_of(country)?;
                let busy = matches!(self.before, BeforePlan::Busy { .. });
                let c = if busy { &p.busy } else { &p.congestion };
                t.place(&tones::cadence_for(c, *duration_s, t.rate, tone_amp));
                let word = if busy { "busy" } else { "congestion" };
                source_tail = format!("{word}:{}", p.code);
                Some(labels(Label::Silence))
            }
            BeforePlan::Sit { announcement } => {
                t.place(&tones::sit(t.rate, tone_amp));
                let clip = lib.pick(Kind::Announcement, *announcement)?;
                let x = t.clip(clip)?;
                let (s, e) = t.place(&x);
                t.pad(1.0);
                source_tail = "sit".to_owned();
                let mut l = labels(Label::Machine);
                set_speech(&mut l, &t, &[(s, e)]);
                Some(l)
            }
        };
        if out.is_none() {
            out = Some(match &self.answer {
                Some(AnswerPlan::Voicemail(v)) => {
                    voicemail(&mut t, v, lib, &mut rng, &mut source_tail)?
                }
                Some(AnswerPlan::Person(p)) => person(&mut t, p, lib, &mut rng, &mut cond)?,
                Some(AnswerPlan::Fax(f)) => {
                    t.pad(f.lead_s);
                    let amp = noise::db(f.level_db) * std::f64::consts::SQRT_2;
                    let r = t.rate;
                    let parts: Vec<Vec<f32>> = match f.sequence.as_str() {
                        "cng" => vec![fax::cng(f.cng_count, r, amp)],
                        "ced" => vec![fax::ced(f.ced_s, r, amp)],
                        "ansam" => vec![fax::ansam(f.ced_s, r, amp)],
                        "ansam_v21" => {
                            vec![fax::ansam(f.ced_s, r, amp), fax::v21_flags(f.v21_s, r, amp)]
                        }
                        _ => vec![fax::ced(f.ced_s, r, amp), fax::v21_flags(f.v21_s, r, amp)],
                    };
                    for (i, p) in parts.iter().enumerate() {
                        if i > 0 {
                            t.pad(0.075);
                        }
                        t.place(p);
                    }
                    t.pad(0.5);
                    source_tail = format!("fax:{}", f.sequence);
                    labels(Label::Fax)
                }
                Some(AnswerPlan::Silence(s)) => {
                    let n = (s.duration_s * f64::from(t.rate)) as usize;
                    let rms = noise::db(s.level_db);
                    let x = match s.kind.as_str() {
                        "hiss" => noise::pink(n, rms, &mut rng),
                        "hum" => noise::hum(n, s.hum_hz, t.rate, rms),
                        "clicks" => noise::clicks(n, t.rate, rms * 10.0, &mut rng),
                        _ => vec![0.0; n],
                    };
                    t.place(&x);
                    source_tail = format!("silence:{}", s.kind);
                    labels(Label::Silence)
                }
                Some(AnswerPlan::Ivr(i)) => {
                    t.pad(i.lead_s);
                    let span = greeting(&mut t, Kind::Ivr, &i.clips, &i.pauses, lib)?;
                    t.pad(i.tail_s);
                    source_tail = "ivr menu, no beep".to_owned();
                    let mut l = labels(Label::Machine);
                    set_speech(&mut l, &t, &[span]);
                    l
                }
                None => labels(Label::Silence),
            });
        }
        let mut labels = out.unwrap_or_else(|| labels(Label::Silence));
        if t.x.is_empty() {
            t.pad(0.5);
        }
        cond.extend(line::apply(
            &mut t.x,
            &self.line,
            t.rate,
            self.speech_db,
            &mut rng,
        ));
        if self.rate_hz != 8000 {
            cond.push(format!("rate{}", self.rate_hz));
        }
        if self.channels == 2 {
            cond.push(format!(
                "stereo_{}",
                if self.far_right { "right" } else { "left" }
            ));
        }
        labels.conditions = if cond.is_empty() {
            "clean".to_owned()
        } else {
            cond.join(";")
        };
        let speech = if t.sources.is_empty() {
            String::new()
        } else {
            format!("speech:{}", t.sources.join("+"))
        };
        labels.source = match (speech.is_empty(), source_tail.is_empty()) {
            (false, false) => format!("{speech} | {source_tail}"),
            (false, true) => speech,
            _ => source_tail,
        };
        Ok(Rendered {
            samples: t.x,
            rate_hz: self.rate_hz,
            channels: self.channels,
            far_right: self.far_right,
            pickup,
            labels,
        })
    }
}

fn set_speech(l: &mut Labels, t: &Track, spans: &[(usize, usize)]) {
    l.utterances = spans.iter().map(|&(s, e)| (t.secs(s), t.secs(e))).collect();
    l.speech_start = l.utterances.first().map(|u| u.0);
    l.speech_end = l.utterances.last().map(|u| u.1);
}

/// Clips of `kind` joined with pauses; returns the whole span.
fn greeting(
    t: &mut Track,
    kind: Kind,
    clips: &[u64],
    pauses: &[f64],
    lib: &SpeechLibrary,
) -> Result<(usize, usize), RenderError> {
    let start = t.len();
    for (i, &pick) in clips.iter().enumerate() {
        if i > 0 {
            t.pad(pauses.get(i - 1).copied().unwrap_or(0.3));
        }
        let x = t.clip(lib.pick(kind, pick)?)?;
        t.place(&x);
    }
    Ok((start, t.len()))
}

fn voicemail(
    t: &mut Track,
    v: &VoicemailPlan,
    lib: &SpeechLibrary,
    rng: &mut Rng,
    source_tail: &mut String,
) -> Result<Labels, RenderError> {
    t.pad(v.lead_s);
    let span = greeting(t, Kind::Greeting, &v.clips, &v.pauses, lib)?;
    let mut l = labels(Label::Machine);
    set_speech(&mut l, t, &[span]);
    t.pad(v.gap_s);
    match &v.beep {
        Some(b) => {
            let amp = t.tone_amp(b.level_db);
            let x = beep::render(b, t.rate, amp).map_err(|source| RenderError::Resample {
                rate: t.rate,
                source,
            })?;
            let (s, e) = t.place(&x);
            l.beep_at = Some(t.secs(s));
            l.beep_end = Some(t.secs(e));
            *source_tail = beep::describe(b);
        }
        None => *source_tail = "no beep".to_owned(),
    }
    let n = (v.after_s * f64::from(t.rate)) as usize;
    let rms = noise::db(v.after_db);
    let after = match v.after.as_str() {
        "end" => Vec::new(),
        "hiss" => noise::pink(n, rms, rng),
        "hum" => noise::hum(n, 50.0, t.rate, rms),
        _ => vec![0.0; n],
    };
    t.place(&after);
    *source_tail = format!("{source_tail}, after={}", v.after);
    Ok(l)
}

fn person(
    t: &mut Track,
    p: &PersonPlan,
    lib: &SpeechLibrary,
    rng: &mut Rng,
    cond: &mut Vec<String>,
) -> Result<Labels, RenderError> {
    let answer_start = t.len();
    t.pad(p.lead_s);
    let first_start = t.len();
    match p.first.as_str() {
        "long" => {
            let x = t.clip(lib.pick(Kind::Long, p.first_pick)?)?;
            t.place(&x);
            cond.push("long_answer".to_owned());
        }
        "name" => {
            let x = t.clip(lib.pick(Kind::Name, p.name_pick)?)?;
            t.place(&x);
        }
        "hello_name" => {
            let x = t.clip(lib.pick(Kind::Answer, p.first_pick)?)?;
            t.place(&x);
            t.pad(0.15);
            let x = t.clip(lib.pick(Kind::Name, p.name_pick)?)?;
            t.place(&x);
        }
        _ => {
            let x = t.clip(lib.pick(Kind::Answer, p.first_pick)?)?;
            t.place(&x);
        }
    }
    let mut spans = vec![(first_start, t.len())];
    if let Some((gap, pick)) = p.second {
        t.pad(gap);
        let x = t.clip(lib.pick(Kind::Answer, pick)?)?;
        spans.push(t.place(&x));
        cond.push("second_hello".to_owned());
    }
    let speech_end = t.len();
    t.pad(p.tail_s);
    if let Some((freq, dur, db, after)) = p.household_beep {
        let at = speech_end + (after * f64::from(t.rate)) as usize;
        let n = (dur * f64::from(t.rate)) as usize;
        let r = f64::from(t.rate);
        let amp = noise::db(db) * std::f64::consts::SQRT_2;
        let mut x: Vec<f64> = (0..n)
            .map(|i| (std::f64::consts::TAU * freq * i as f64 / r + 1.0).sin())
            .collect();
        beep::ramp(&mut x, (0.005 * r) as usize);
        let x: Vec<f32> = x.iter().map(|v| (v * amp) as f32).collect();
        t.mix(at, &x);
        cond.push(format!("bg_beep@{:.2}", t.secs(at)));
    }
    let bed_len = t.len() - answer_start;
    let rms = noise::db(p.background_db);
    let bed = match p.background.as_str() {
        "music" => Some(noise::music(bed_len, t.rate, rms)),
        "room" => Some(noise::pink(bed_len, rms, rng)),
        "tv" => {
            let clip = lib.pick(Kind::Greeting, p.background_pick)?;
            let g = rms / f64::from(clip.active_rms.max(1e-6));
            let voice = resample(&clip.samples, CLIP_RATE, t.rate).map_err(|source| {
                RenderError::Resample {
                    rate: t.rate,
                    source,
                }
            })?;
            let music = noise::music(bed_len, t.rate, rms * 0.5);
            Some(
                music
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        m + voice
                            .get(i % voice.len().max(1))
                            .map_or(0.0, |v| (f64::from(*v) * g) as f32)
                    })
                    .collect(),
            )
        }
        _ => None,
    };
    if let Some(bed) = bed {
        t.mix(answer_start, &bed);
        cond.push(match p.background.as_str() {
            "room" => "room_noise".to_owned(),
            "tv" => "tv_music_bg".to_owned(),
            _ => "music_bg".to_owned(),
        });
    }
    let mut l = labels(Label::Human);
    set_speech(&mut l, t, &spans);
    Ok(l)
}
