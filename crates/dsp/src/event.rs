//! What the detector reports: timestamped events and the verdict.
//!
//! Every time is a sample offset from the first sample given to the detector, at the
//! detector's sample rate ([`crate::Config::sample_rate`]). Never wall-clock: the same input
//! always gives the same events.

use serde::Serialize;

/// A sample offset from the start of the stream, at the detector's sample rate.
pub type SampleOffset = u64;

/// One thing the detector noticed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Speech (as judged by the VAD) started.
    SpeechStart { at: SampleOffset },
    /// Speech ended (at the last voiced sample, hangover removed).
    SpeechEnd { at: SampleOffset },
    /// A steady single tone started (any tone: beep candidates, call-progress tones, fax).
    ToneStart { at: SampleOffset, freq_hz: f32 },
    /// The tone that last started has ended.
    ToneEnd { at: SampleOffset, freq_hz: f32 },
    /// A voicemail beep (one burst, or a short train of bursts) was recognised.
    Beep(Beep),
    /// A DTMF digit was recognised.
    Dtmf(DtmfTone),
    /// The human/machine decision. Emitted exactly once per stream.
    Verdict(Decision),
    /// For machines: the greeting is over (the point where a message would be recorded).
    /// Emitted once after the machine verdict, and once more, of kind `Beep`, if a beep
    /// comes within `Config::late_beep_ms` after an end by silence (a late beep: the
    /// earlier end was too early, record from this one).
    GreetingEnd(GreetingEnd),
}

/// A voicemail beep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Beep {
    /// First sample of the (first burst of the) beep.
    pub start: SampleOffset,
    /// One past the last sample of the (last burst of the) beep.
    pub end: SampleOffset,
    /// Mean frequency of the beep, Hz.
    pub freq_hz: f32,
}

/// A DTMF key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DtmfDigit {
    D0,
    D1,
    D2,
    D3,
    D4,
    D5,
    D6,
    D7,
    D8,
    D9,
    Star,
    Hash,
    A,
    B,
    C,
    D,
}

impl DtmfDigit {
    /// The key as it is printed on a keypad.
    pub fn as_char(self) -> char {
        match self {
            Self::D0 => '0',
            Self::D1 => '1',
            Self::D2 => '2',
            Self::D3 => '3',
            Self::D4 => '4',
            Self::D5 => '5',
            Self::D6 => '6',
            Self::D7 => '7',
            Self::D8 => '8',
            Self::D9 => '9',
            Self::Star => '*',
            Self::Hash => '#',
            Self::A => 'A',
            Self::B => 'B',
            Self::C => 'C',
            Self::D => 'D',
        }
    }

    /// The key for a keypad character (`0-9`, `*`, `#`, `A-D`, case-insensitive).
    pub fn from_char(c: char) -> Option<Self> {
        Some(match c.to_ascii_uppercase() {
            '0' => Self::D0,
            '1' => Self::D1,
            '2' => Self::D2,
            '3' => Self::D3,
            '4' => Self::D4,
            '5' => Self::D5,
            '6' => Self::D6,
            '7' => Self::D7,
            '8' => Self::D8,
            '9' => Self::D9,
            '*' => Self::Star,
            '#' => Self::Hash,
            'A' => Self::A,
            'B' => Self::B,
            'C' => Self::C,
            'D' => Self::D,
            _ => return None,
        })
    }

    /// (low group, high group) frequencies in Hz, per ITU-T Q.23.
    pub fn frequencies(self) -> (f32, f32) {
        const LOW: [f32; 4] = [697.0, 770.0, 852.0, 941.0];
        const HIGH: [f32; 4] = [1209.0, 1336.0, 1477.0, 1633.0];
        let (r, c) = self.keypad_position();
        (LOW[r], HIGH[c])
    }

    /// (row, column) on the 4×4 keypad.
    pub(crate) fn keypad_position(self) -> (usize, usize) {
        match self {
            Self::D1 => (0, 0),
            Self::D2 => (0, 1),
            Self::D3 => (0, 2),
            Self::A => (0, 3),
            Self::D4 => (1, 0),
            Self::D5 => (1, 1),
            Self::D6 => (1, 2),
            Self::B => (1, 3),
            Self::D7 => (2, 0),
            Self::D8 => (2, 1),
            Self::D9 => (2, 2),
            Self::C => (2, 3),
            Self::Star => (3, 0),
            Self::D0 => (3, 1),
            Self::Hash => (3, 2),
            Self::D => (3, 3),
        }
    }

    /// The key at (row, column) of the 4×4 keypad.
    pub(crate) fn at_keypad_position(row: usize, col: usize) -> Self {
        const KEYS: [[DtmfDigit; 4]; 4] = [
            [DtmfDigit::D1, DtmfDigit::D2, DtmfDigit::D3, DtmfDigit::A],
            [DtmfDigit::D4, DtmfDigit::D5, DtmfDigit::D6, DtmfDigit::B],
            [DtmfDigit::D7, DtmfDigit::D8, DtmfDigit::D9, DtmfDigit::C],
            [
                DtmfDigit::Star,
                DtmfDigit::D0,
                DtmfDigit::Hash,
                DtmfDigit::D,
            ],
        ];
        KEYS[row & 3][col & 3]
    }
}

/// A DTMF digit with its timing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DtmfTone {
    pub digit: DtmfDigit,
    pub start: SampleOffset,
    pub end: SampleOffset,
}

/// Who (or what) answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Human,
    Machine,
    Fax,
    Silence,
    Unknown,
}

impl Verdict {
    /// Lower-case name, as used in JSON reports and manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Human => "human",
            Self::Machine => "machine",
            Self::Fax => "fax",
            Self::Silence => "silence",
            Self::Unknown => "unknown",
        }
    }

    /// All verdicts, in report order.
    pub const ALL: [Verdict; 5] = [
        Verdict::Human,
        Verdict::Machine,
        Verdict::Fax,
        Verdict::Silence,
        Verdict::Unknown,
    ];
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the classifier reached its verdict (the peers' "cause" strings, Asterisk style).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A short utterance followed by silence: the pattern of a person saying "hello?".
    ShortGreeting,
    /// Speech went on longer than a person answering would speak.
    LongGreeting,
    /// Too many separate words/phrases for a person's answer.
    MaxWords,
    /// A voicemail beep was heard before any decision.
    BeepHeard,
    /// Fax calling tone (CNG, 1100 Hz) or answering tone (CED, 2100 Hz), or V.21 flags.
    FaxTone,
    /// The special information tone of a network intercept: a recorded announcement
    /// follows, never a person.
    SpecialInformationTone,
    /// Nothing but silence/noise until the initial-silence limit.
    InitialSilence,
    /// The analysis window ran out without a clear pattern.
    TooLong,
    /// The stream ended before a decision could be reached.
    StreamEnded,
}

impl Cause {
    /// Short text, as printed by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortGreeting => "short greeting then silence",
            Self::LongGreeting => "long greeting",
            Self::MaxWords => "too many words",
            Self::BeepHeard => "beep heard",
            Self::FaxTone => "fax tone",
            Self::SpecialInformationTone => "special information tone",
            Self::InitialSilence => "initial silence",
            Self::TooLong => "analysis time exceeded",
            Self::StreamEnded => "stream ended",
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verdict, why, and when it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decision {
    pub verdict: Verdict,
    pub cause: Cause,
    /// The sample at which the decision was made (all input up to here was seen).
    pub at: SampleOffset,
}

/// How a machine's greeting ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GreetingEndKind {
    /// The beep ended: record from here.
    Beep,
    /// No beep, but the greeting was followed by enough silence.
    Silence,
    /// Neither a beep nor silence before the greeting limit.
    Timeout,
}

/// The end of a machine's greeting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GreetingEnd {
    pub kind: GreetingEndKind,
    /// When to start talking: the beep's end, or the moment silence/timeout was established.
    pub at: SampleOffset,
}
