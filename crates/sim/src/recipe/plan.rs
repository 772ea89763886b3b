//! A far-end plan: one call drawn from a recipe, every parameter a concrete value.
//!
//! A plan is what [`crate::Recipe::draw`] returns and what the synthesiser renders. Speech
//! clips are chosen by `pick` numbers (random 64-bit values) that the speech library maps
//! onto its clips (`pick % count`), so a plan does not depend on which library renders it.
//! Choices are kept as the recipe's words (`"sine"`, `"ulaw"`, ...), which validation has
//! already restricted to the documented ones.

use std::sync::Arc;

/// One call, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct FarEndPlan {
    /// The recipe's name and tags.
    pub recipe: String,
    pub tags: Vec<String>,
    /// Output sample rate, Hz.
    pub rate_hz: u32,
    /// 1 (mono) or 2 (stereo, the far end on one channel and the other silent).
    pub channels: u32,
    /// With 2 channels: the far end is on the right channel.
    pub far_right: bool,
    /// Active speech level, dBFS.
    pub speech_db: f64,
    pub before: BeforePlan,
    /// `None` when the call is not answered (busy, congestion, SIT).
    pub answer: Option<AnswerPlan>,
    pub line: LinePlan,
    /// The randomness of noise generators and dropouts.
    pub noise_seed: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BeforePlan {
    None,
    /// `rings` ringback periods; pickup after `pickup_frac` of the last period's final
    /// silence.
    Ringback {
        country: String,
        rings: u32,
        pickup_frac: f64,
    },
    Busy {
        country: String,
        duration_s: f64,
    },
    Congestion {
        country: String,
        duration_s: f64,
    },
    /// Special information tone, then a recorded announcement.
    Sit {
        announcement: u64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerPlan {
    Voicemail(VoicemailPlan),
    Person(PersonPlan),
    Fax(FaxPlan),
    Silence(SilencePlan),
    Ivr(IvrPlan),
}

#[derive(Debug, Clone, PartialEq)]
pub struct VoicemailPlan {
    pub lead_s: f64,
    /// Greeting clips in order, and the pause after each but the last.
    pub clips: Vec<u64>,
    pub pauses: Vec<f64>,
    /// Silence between the greeting and the beep.
    pub gap_s: f64,
    pub beep: Option<BeepPlan>,
    /// `silence`, `hiss`, `hum` or `end`.
    pub after: String,
    pub after_s: f64,
    pub after_db: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BeepPlan {
    /// One of [`crate::recipe::model::BEEP_SHAPES`].
    pub shape: String,
    /// The tone(s): one; two for `dual`; two or three in order for `sequence`.
    pub freqs: Vec<f64>,
    /// Length of one burst (of one tone of a sequence), s.
    pub duration_s: f64,
    pub bursts: u32,
    pub burst_gap_s: f64,
    /// Peak level relative to the speech's active level, dB.
    pub level_db: f64,
    pub harmonics_db: f64,
    pub clip_pct: f64,
    pub decay_s: f64,
    pub warble_rate_hz: f64,
    pub warble_pct: f64,
    pub ramp_ms: f64,
    pub recording: Option<(Arc<Vec<f32>>, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonPlan {
    pub lead_s: f64,
    /// `short`, `long`, `name` or `hello_name`.
    pub first: String,
    pub first_pick: u64,
    pub name_pick: u64,
    /// A second "hello?": the pause before it and its clip.
    pub second: Option<(f64, u64)>,
    pub tail_s: f64,
    /// `none`, `tv`, `music` or `room`.
    pub background: String,
    pub background_db: f64,
    pub background_pick: u64,
    /// A household beep (not a voicemail beep): Hz, s, dBFS, s after the speech.
    pub household_beep: Option<(f64, f64, f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FaxPlan {
    /// `cng`, `ced`, `ced_v21`, `ansam` or `ansam_v21`.
    pub sequence: String,
    pub lead_s: f64,
    pub ced_s: f64,
    pub v21_s: f64,
    pub cng_count: u32,
    pub level_db: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SilencePlan {
    /// `dead`, `hiss`, `hum` or `clicks`.
    pub kind: String,
    pub duration_s: f64,
    pub level_db: f64,
    pub hum_hz: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IvrPlan {
    pub lead_s: f64,
    pub clips: Vec<u64>,
    pub pauses: Vec<f64>,
    pub tail_s: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinePlan {
    /// `none`, `ulaw` or `alaw`.
    pub codec: String,
    pub bandpass: bool,
    /// Frame-dropout percentage and comfort-noise level (dBFS).
    pub gsm: Option<(f64, f64)>,
    pub gain_db: f64,
    /// Clipping level, % of the peak (100: none).
    pub clip_pct: f64,
    pub dc: f64,
    /// `none`, `white` or `pink`.
    pub noise: String,
    pub snr_db: f64,
    /// Echo delay (ms) and level (dB).
    pub echo: Option<(f64, f64)>,
}
