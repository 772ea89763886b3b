//! The call-progress tone plans of the world: dial tone, ringback, busy and congestion of
//! 40 countries, as frequencies and on/off cadences.
//!
//! One table serves two sides of the project: the far-end synthesiser plays these tones
//! before (and after) a simulated pickup, and the detector must recognise every one of them
//! as call progress, never as speech or a voicemail beep. Keeping the facts in one place
//! means a country added here is both heard and recognised.
//!
//! Sources: ITU-T E.180 Supplement 2 ("Various tones used in national networks", the
//! tables the national administrations file with the ITU) and the country sections of
//! Asterisk's `configs/samples/indications.conf.sample`, which transcribe it (and national
//! specifications such as BT SIN 350, ACIF S002, IDA TS PSTN1). Where the two disagree the
//! national specification wins; notes on the rows say where a value was chosen.
//!
//! Three kinds of sound occur ([`Sound`]): a single frequency, a pair of frequencies added
//! (`f1+f2`, e.g. North America's 440+480 Hz), and a carrier amplitude-modulated by a low
//! frequency (`f1×f2`, e.g. India's 400 Hz modulated at 25 Hz, whose spectrum is the
//! carrier and two side tones `f1±f2`). A [`Cadence`] is continuous or a repeating list of
//! [`Step`]s.

/// One sound of a tone plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sound {
    /// Nothing on the line (the "off" part of a cadence).
    Silence,
    /// One sine, Hz.
    Single(f32),
    /// Two sines of equal level added, Hz.
    Pair(f32, f32),
    /// A carrier amplitude-modulated by a low frequency, both Hz: `carrier × (1 + m·sin(2π·rate·t))`
    /// with a modulation depth `m` of about 0.9 (E.180's tolerance is wide; Singapore
    /// specifies 100 %).
    Modulated { carrier: f32, rate: f32 },
}

impl Sound {
    /// The frequencies that carry this sound's energy, Hz: the pair, or a modulated
    /// carrier and its two side tones. Empty for silence.
    pub fn components(&self) -> Vec<f32> {
        match *self {
            Sound::Silence => Vec::new(),
            Sound::Single(f) => vec![f],
            Sound::Pair(a, b) => vec![a, b],
            Sound::Modulated { carrier, rate } => vec![carrier - rate, carrier, carrier + rate],
        }
    }

    /// Whether the line is silent during this sound.
    pub fn is_silence(&self) -> bool {
        matches!(self, Sound::Silence)
    }
}

/// One step of a cadence: a sound held for `ms` milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub sound: Sound,
    pub ms: u32,
}

/// How a tone is switched on and off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cadence {
    /// Sounds without a break (dial tone).
    Continuous(Sound),
    /// The steps in order, repeated for as long as the tone lasts.
    Repeating(&'static [Step]),
}

impl Cadence {
    /// The length of one period, ms (`None` for a continuous tone).
    pub fn period_ms(&self) -> Option<u32> {
        match self {
            Cadence::Continuous(_) => None,
            Cadence::Repeating(steps) => Some(steps.iter().map(|s| s.ms).sum()),
        }
    }

    /// The sounding steps (not the silences).
    pub fn sounding(&self) -> impl Iterator<Item = Step> + '_ {
        let steps: &[Step] = match self {
            Cadence::Continuous(_) => &[],
            Cadence::Repeating(steps) => steps,
        };
        let continuous = match self {
            Cadence::Continuous(sound) => Some(Step {
                sound: *sound,
                ms: 0,
            }),
            Cadence::Repeating(_) => None,
        };
        continuous
            .into_iter()
            .chain(steps.iter().copied().filter(|s| !s.sound.is_silence()))
    }
}

/// The call-progress tones of one country.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TonePlan {
    /// ISO 3166-1 alpha-2 code, lower case (`uk` is used for the United Kingdom, as
    /// telephony configuration files do; `gb` is accepted by [`tone_plan`]).
    pub code: &'static str,
    /// The country's name in English.
    pub country: &'static str,
    /// Heard when the line is picked up to dial.
    pub dial: Cadence,
    /// Heard by the caller while the far end rings (ringback, "ringing tone").
    pub ringback: Cadence,
    /// The far end is busy ("engaged").
    pub busy: Cadence,
    /// The network cannot complete the call ("reorder", "congestion").
    pub congestion: Cadence,
}

/// The tone plan of `code` (ISO 3166-1 alpha-2, any case; `gb` and `uk` both name the
/// United Kingdom).
pub fn tone_plan(code: &str) -> Option<&'static TonePlan> {
    let code = code.to_ascii_lowercase();
    let code = if code == "gb" { "uk" } else { code.as_str() };
    TONE_PLANS.iter().find(|p| p.code == code)
}

/// Every frequency that carries energy in any tone of any plan, Hz, sorted and without
/// repeats: what a call-progress receiver must cover.
pub fn all_components() -> Vec<f32> {
    let mut out: Vec<f32> = TONE_PLANS
        .iter()
        .flat_map(|p| [p.dial, p.ringback, p.busy, p.congestion])
        .flat_map(|c| {
            c.sounding()
                .flat_map(|s| s.sound.components())
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by(f32::total_cmp);
    out.dedup();
    out
}

const fn on(sound: Sound, ms: u32) -> Step {
    Step { sound, ms }
}
const fn off(ms: u32) -> Step {
    Step {
        sound: Sound::Silence,
        ms,
    }
}
const fn f(hz: f32) -> Sound {
    Sound::Single(hz)
}
const fn pair(a: f32, b: f32) -> Sound {
    Sound::Pair(a, b)
}
const fn am(carrier: f32, rate: f32) -> Sound {
    Sound::Modulated { carrier, rate }
}

/// A tone `ms_on` on, `ms_off` off.
macro_rules! simple {
    ($sound:expr, $on:expr, $off:expr) => {
        Cadence::Repeating(&[on($sound, $on), off($off)])
    };
}
/// The double ring of the British tradition: 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
macro_rules! double_ring {
    ($sound:expr) => {
        Cadence::Repeating(&[on($sound, 400), off(200), on($sound, 400), off(2000)])
    };
}

const F425: Sound = f(425.0);

/// The table, in order of country code.
pub const TONE_PLANS: &[TonePlan] = &[
    TonePlan {
        code: "at",
        country: "Austria",
        dial: Cadence::Continuous(f(420.0)),
        ringback: simple!(f(420.0), 1000, 5000),
        busy: simple!(f(420.0), 400, 400),
        congestion: simple!(f(420.0), 200, 200),
    },
    TonePlan {
        code: "au",
        country: "Australia",
        dial: Cadence::Continuous(pair(413.0, 438.0)),
        ringback: double_ring!(pair(413.0, 438.0)),
        busy: simple!(F425, 375, 375),
        congestion: simple!(F425, 375, 375),
    },
    TonePlan {
        code: "be",
        country: "Belgium",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 3000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 167, 167),
    },
    TonePlan {
        code: "bg",
        country: "Bulgaria",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 250, 250),
    },
    TonePlan {
        code: "br",
        country: "Brazil",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 250, 250),
        congestion: Cadence::Repeating(&[on(F425, 250), off(250), on(F425, 750), off(250)]),
    },
    TonePlan {
        code: "ch",
        country: "Switzerland",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "cl",
        country: "Chile",
        dial: Cadence::Continuous(f(400.0)),
        ringback: simple!(f(400.0), 1000, 3000),
        busy: simple!(f(400.0), 500, 500),
        congestion: simple!(f(400.0), 200, 200),
    },
    TonePlan {
        code: "cn",
        country: "China",
        dial: Cadence::Continuous(f(450.0)),
        ringback: simple!(f(450.0), 1000, 4000),
        busy: simple!(f(450.0), 350, 350),
        congestion: simple!(f(450.0), 700, 700),
    },
    TonePlan {
        code: "cz",
        country: "Czech Republic",
        dial: Cadence::Repeating(&[on(F425, 330), off(330), on(F425, 660), off(660)]),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 330, 330),
        congestion: simple!(F425, 165, 165),
    },
    TonePlan {
        code: "de",
        country: "Germany",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 480, 480),
        congestion: simple!(F425, 240, 240),
    },
    TonePlan {
        code: "dk",
        country: "Denmark",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "ee",
        country: "Estonia",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 300, 300),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "es",
        country: "Spain",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1500, 3000),
        busy: simple!(F425, 200, 200),
        congestion: Cadence::Repeating(&[
            on(F425, 200),
            off(200),
            on(F425, 200),
            off(200),
            on(F425, 200),
            off(600),
        ]),
    },
    TonePlan {
        code: "fi",
        country: "Finland",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 300, 300),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "fr",
        country: "France",
        dial: Cadence::Continuous(f(440.0)),
        ringback: simple!(f(440.0), 1500, 3500),
        busy: simple!(f(440.0), 500, 500),
        congestion: simple!(f(440.0), 250, 250),
    },
    TonePlan {
        code: "gr",
        country: "Greece",
        dial: Cadence::Repeating(&[on(F425, 200), off(300), on(F425, 700), off(800)]),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 300, 300),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "hu",
        country: "Hungary",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1250, 3750),
        busy: simple!(F425, 300, 300),
        congestion: simple!(F425, 300, 300),
    },
    TonePlan {
        code: "id",
        country: "Indonesia",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 250, 250),
    },
    TonePlan {
        code: "il",
        country: "Israel",
        dial: Cadence::Continuous(f(414.0)),
        ringback: simple!(f(414.0), 1000, 3000),
        busy: simple!(f(414.0), 500, 500),
        congestion: simple!(f(414.0), 250, 250),
    },
    TonePlan {
        code: "in",
        country: "India",
        dial: Cadence::Continuous(am(400.0, 25.0)),
        ringback: double_ring!(am(400.0, 25.0)),
        busy: simple!(f(400.0), 750, 750),
        congestion: simple!(f(400.0), 250, 250),
    },
    TonePlan {
        code: "it",
        country: "Italy",
        dial: Cadence::Repeating(&[on(F425, 200), off(200), on(F425, 600), off(1000)]),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 200, 200),
    },
    // Japan's ringback is 400 Hz modulated at 16 Hz (E.180; some exchanges 15 Hz).
    TonePlan {
        code: "jp",
        country: "Japan",
        dial: Cadence::Continuous(f(400.0)),
        ringback: simple!(am(400.0, 16.0), 1000, 2000),
        busy: simple!(f(400.0), 500, 500),
        congestion: simple!(f(400.0), 500, 500),
    },
    TonePlan {
        code: "lt",
        country: "Lithuania",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 350, 350),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "mx",
        country: "Mexico",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 250, 250),
        congestion: simple!(F425, 250, 250),
    },
    TonePlan {
        code: "my",
        country: "Malaysia",
        dial: Cadence::Continuous(F425),
        ringback: double_ring!(F425),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 500, 500),
    },
    TonePlan {
        code: "nl",
        country: "Netherlands",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 250, 250),
    },
    TonePlan {
        code: "no",
        country: "Norway",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "nz",
        country: "New Zealand",
        dial: Cadence::Continuous(f(400.0)),
        ringback: double_ring!(pair(400.0, 450.0)),
        busy: simple!(f(400.0), 500, 500),
        congestion: simple!(f(400.0), 250, 250),
    },
    TonePlan {
        code: "ph",
        country: "Philippines",
        dial: Cadence::Continuous(F425),
        ringback: simple!(pair(425.0, 480.0), 1000, 4000),
        busy: simple!(pair(480.0, 620.0), 500, 500),
        congestion: simple!(pair(480.0, 620.0), 250, 250),
    },
    TonePlan {
        code: "pl",
        country: "Poland",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 500, 500),
    },
    TonePlan {
        code: "pt",
        country: "Portugal",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 5000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 200, 200),
    },
    TonePlan {
        code: "ru",
        country: "Russia",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 350, 350),
        congestion: simple!(F425, 175, 175),
    },
    TonePlan {
        code: "se",
        country: "Sweden",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 5000),
        busy: simple!(F425, 250, 250),
        congestion: simple!(F425, 250, 750),
    },
    // Singapore (IDA TS PSTN1): 425 Hz modulated at 24 Hz, double ring.
    TonePlan {
        code: "sg",
        country: "Singapore",
        dial: Cadence::Continuous(F425),
        ringback: double_ring!(am(425.0, 24.0)),
        busy: simple!(F425, 750, 750),
        congestion: simple!(F425, 250, 250),
    },
    TonePlan {
        code: "th",
        country: "Thailand",
        dial: Cadence::Continuous(am(400.0, 50.0)),
        ringback: simple!(f(420.0), 1000, 5000),
        busy: simple!(f(400.0), 500, 500),
        congestion: simple!(f(400.0), 300, 300),
    },
    TonePlan {
        code: "tw",
        country: "Taiwan",
        dial: Cadence::Continuous(pair(350.0, 440.0)),
        ringback: simple!(pair(440.0, 480.0), 1000, 2000),
        busy: simple!(pair(480.0, 620.0), 500, 500),
        congestion: simple!(pair(480.0, 620.0), 250, 250),
    },
    // United Kingdom (BT SIN 350); the congestion tone is BT's two-part "beep-bip".
    TonePlan {
        code: "uk",
        country: "United Kingdom",
        dial: Cadence::Continuous(pair(350.0, 440.0)),
        ringback: double_ring!(pair(400.0, 450.0)),
        busy: simple!(f(400.0), 375, 375),
        congestion: Cadence::Repeating(&[on(f(400.0), 400), off(350), on(f(400.0), 225), off(525)]),
    },
    // North America's precise tone plan (ANSI T1.401).
    TonePlan {
        code: "us",
        country: "United States and Canada",
        dial: Cadence::Continuous(pair(350.0, 440.0)),
        ringback: simple!(pair(440.0, 480.0), 2000, 4000),
        busy: simple!(pair(480.0, 620.0), 500, 500),
        congestion: simple!(pair(480.0, 620.0), 250, 250),
    },
    TonePlan {
        code: "ve",
        country: "Venezuela",
        dial: Cadence::Continuous(F425),
        ringback: simple!(F425, 1000, 4000),
        busy: simple!(F425, 500, 500),
        congestion: simple!(F425, 250, 250),
    },
    // South Africa: Siemens exchanges' 400 Hz modulated at 33 Hz (Alcatel's use 383+417).
    TonePlan {
        code: "za",
        country: "South Africa",
        dial: Cadence::Continuous(am(400.0, 33.0)),
        ringback: double_ring!(am(400.0, 33.0)),
        busy: simple!(f(400.0), 500, 500),
        congestion: simple!(f(400.0), 250, 250),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_25_countries_with_unique_codes() {
        assert!(TONE_PLANS.len() >= 25, "{}", TONE_PLANS.len());
        let mut codes: Vec<_> = TONE_PLANS.iter().map(|p| p.code).collect();
        let sorted = {
            let mut c = codes.clone();
            c.sort_unstable();
            c
        };
        assert_eq!(codes, sorted, "table in code order");
        codes.dedup();
        assert_eq!(codes.len(), TONE_PLANS.len(), "duplicate code");
    }

    #[test]
    fn every_cadence_sounds_and_has_a_period() {
        for plan in TONE_PLANS {
            for (name, cadence) in [
                ("ringback", plan.ringback),
                ("busy", plan.busy),
                ("congestion", plan.congestion),
            ] {
                let period = cadence.period_ms();
                assert!(
                    matches!(period, Some(p) if p >= 200),
                    "{} {name}: {period:?}",
                    plan.code
                );
                assert!(cadence.sounding().count() > 0, "{} {name}", plan.code);
            }
        }
    }

    #[test]
    fn the_tones_lie_in_the_call_progress_band() {
        // E.180: call-progress tones are between 340 and 640 Hz (the 950/1400/1800 Hz
        // special information tones are a separate family).
        let all = all_components();
        assert!(all.iter().all(|&f| (340.0..=650.0).contains(&f)), "{all:?}");
        assert_eq!(tone_plan("GB"), tone_plan("uk"));
        assert_eq!(tone_plan("jp").map(|p| p.country), Some("Japan"));
        assert!(tone_plan("xx").is_none());
    }
}
