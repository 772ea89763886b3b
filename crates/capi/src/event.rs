//! `ringside_event`: one detector event as a flat C struct, and the names of its codes.
//!
//! One struct for every kind (rather than a tagged union) so a C caller reads the fields
//! it needs without casting; the fields a kind does not use hold `NONE`/0. Each mapping
//! from the detector's enums is an exhaustive `match`, so a new event, verdict or cause
//! in `ringside-dsp` does not compile here until it has a C code.

use std::ffi::{CStr, c_char};

use ringside_dsp::{Cause, Event, GreetingEndKind, SampleOffset, Verdict};

/// What an event reports.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingsideEventKind {
    /// Speech (as judged by the voice activity detector) started at `at`.
    SpeechStart = 0,
    /// Speech ended at `at` (the last voiced sample, hangover removed).
    SpeechEnd = 1,
    /// A steady tone of `freq_hz` started at `at` (beep candidates, call-progress and
    /// fax tones).
    ToneStart = 2,
    /// The tone that last started ended at `at`.
    ToneEnd = 3,
    /// A voicemail beep: `start` (onset of its first burst) to `end` (one past its last
    /// sample), mean frequency `freq_hz`; `at` = `end`.
    Beep = 4,
    /// A DTMF key `digit` from `start` to `end`; `at` = `end`.
    Dtmf = 5,
    /// The decision: `verdict` and `cause`, reached at `at`. Exactly once per stream.
    Verdict = 6,
    /// For machines, the greeting is over (`greeting_end` says how): start a message at
    /// `at`. A second one of kind beep follows an end by silence when a late beep comes.
    GreetingEnd = 7,
}

/// Who (or what) answered.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingsideVerdict {
    /// Not a verdict event.
    None = 0,
    Human = 1,
    Machine = 2,
    Fax = 3,
    Silence = 4,
    Unknown = 5,
}

/// Why the verdict was reached.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingsideCause {
    /// Not a verdict event.
    None = 0,
    /// A short utterance followed by silence: a person saying "hello?".
    ShortGreeting = 1,
    /// Speech went on longer than a person answering would speak.
    LongGreeting = 2,
    /// Too many separate words for a person's answer.
    MaxWords = 3,
    /// A voicemail beep was heard before any decision.
    BeepHeard = 4,
    /// Fax calling or answering tone, or V.21 flags.
    FaxTone = 5,
    /// The special information tone of a network intercept.
    SpecialInformationTone = 6,
    /// Nothing but silence or noise until `initial_silence_ms`.
    InitialSilence = 7,
    /// `total_analysis_ms` ran out without a clear pattern.
    TooLong = 8,
    /// The stream ended (`ringside_detector_finish`) before a decision.
    StreamEnded = 9,
}

/// How a machine's greeting ended.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingsideGreetingEnd {
    /// Not a greeting-end event.
    None = 0,
    /// The beep ended: record from here.
    Beep = 1,
    /// No beep, but the greeting was followed by enough silence.
    Silence = 2,
    /// Neither a beep nor silence before `greeting_timeout_ms`.
    Timeout = 3,
}

/// One event. Times are sample offsets from the first sample given to the detector (since
/// it was created or reset), at its sample rate: seconds = offset / rate.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RingsideEvent {
    /// What the event reports; says which fields below are used.
    pub kind: RingsideEventKind,
    /// `RINGSIDE_VERDICT_NONE` unless `kind` is `RINGSIDE_EVENT_KIND_VERDICT`.
    pub verdict: RingsideVerdict,
    /// `RINGSIDE_CAUSE_NONE` unless `kind` is `RINGSIDE_EVENT_KIND_VERDICT`.
    pub cause: RingsideCause,
    /// `RINGSIDE_GREETING_END_NONE` unless `kind` is `RINGSIDE_EVENT_KIND_GREETING_END`.
    pub greeting_end: RingsideGreetingEnd,
    /// The sample the event is stamped at (for beeps and DTMF, their end).
    pub at: u64,
    /// First sample of a beep or DTMF digit; `at` for other kinds.
    pub start: u64,
    /// One past the last sample of a beep, end of a DTMF digit; `at` for other kinds.
    pub end: u64,
    /// Frequency of a tone or beep, Hz; 0 for other kinds.
    pub freq_hz: f32,
    /// A DTMF key as printed on a keypad (`0`-`9`, `*`, `#`, `A`-`D`); 0 for other kinds.
    pub digit: c_char,
}

impl RingsideEvent {
    fn at(kind: RingsideEventKind, at: SampleOffset) -> Self {
        Self {
            kind,
            verdict: RingsideVerdict::None,
            cause: RingsideCause::None,
            greeting_end: RingsideGreetingEnd::None,
            at,
            start: at,
            end: at,
            freq_hz: 0.0,
            digit: 0,
        }
    }
}

impl From<&Event> for RingsideEvent {
    fn from(event: &Event) -> Self {
        use RingsideEventKind as K;
        match *event {
            Event::SpeechStart { at } => Self::at(K::SpeechStart, at),
            Event::SpeechEnd { at } => Self::at(K::SpeechEnd, at),
            Event::ToneStart { at, freq_hz } => Self {
                freq_hz,
                ..Self::at(K::ToneStart, at)
            },
            Event::ToneEnd { at, freq_hz } => Self {
                freq_hz,
                ..Self::at(K::ToneEnd, at)
            },
            Event::Beep(b) => Self {
                start: b.start,
                end: b.end,
                freq_hz: b.freq_hz,
                ..Self::at(K::Beep, b.end)
            },
            Event::Dtmf(d) => Self {
                start: d.start,
                end: d.end,
                // Keypad characters are ASCII.
                digit: d.digit.as_char() as u8 as c_char,
                ..Self::at(K::Dtmf, d.end)
            },
            Event::Verdict(d) => Self {
                verdict: d.verdict.into(),
                cause: d.cause.into(),
                ..Self::at(K::Verdict, d.at)
            },
            Event::GreetingEnd(g) => Self {
                greeting_end: g.kind.into(),
                ..Self::at(K::GreetingEnd, g.at)
            },
        }
    }
}

impl From<Verdict> for RingsideVerdict {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Human => Self::Human,
            Verdict::Machine => Self::Machine,
            Verdict::Fax => Self::Fax,
            Verdict::Silence => Self::Silence,
            Verdict::Unknown => Self::Unknown,
        }
    }
}

impl From<Cause> for RingsideCause {
    fn from(c: Cause) -> Self {
        match c {
            Cause::ShortGreeting => Self::ShortGreeting,
            Cause::LongGreeting => Self::LongGreeting,
            Cause::MaxWords => Self::MaxWords,
            Cause::BeepHeard => Self::BeepHeard,
            Cause::FaxTone => Self::FaxTone,
            Cause::SpecialInformationTone => Self::SpecialInformationTone,
            Cause::InitialSilence => Self::InitialSilence,
            Cause::TooLong => Self::TooLong,
            Cause::StreamEnded => Self::StreamEnded,
        }
    }
}

impl From<GreetingEndKind> for RingsideGreetingEnd {
    fn from(k: GreetingEndKind) -> Self {
        match k {
            GreetingEndKind::Beep => Self::Beep,
            GreetingEndKind::Silence => Self::Silence,
            GreetingEndKind::Timeout => Self::Timeout,
        }
    }
}

/// The lower-case name of a verdict code, as in `ringside detect --json`; "" for
/// `NONE` and for a number that is no verdict.
pub(crate) fn verdict_name(code: u32) -> &'static CStr {
    match code {
        1 => c"human",
        2 => c"machine",
        3 => c"fax",
        4 => c"silence",
        5 => c"unknown",
        _ => c"",
    }
}

/// The short text of a cause code, as `ringside detect` prints it; "" for `NONE` and for a
/// number that is no cause.
pub(crate) fn cause_text(code: u32) -> &'static CStr {
    match code {
        1 => c"short greeting then silence",
        2 => c"long greeting",
        3 => c"too many words",
        4 => c"beep heard",
        5 => c"fax tone",
        6 => c"special information tone",
        7 => c"initial silence",
        8 => c"analysis time exceeded",
        9 => c"stream ended",
        _ => c"",
    }
}

/// The name of a greeting-end code (`beep`, `silence`, `timeout`); "" for `NONE` and for
/// a number that is no such code.
pub(crate) fn greeting_end_name(code: u32) -> &'static CStr {
    match code {
        1 => c"beep",
        2 => c"silence",
        3 => c"timeout",
        _ => c"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringside_dsp::{Beep, Decision, DtmfDigit, DtmfTone, GreetingEnd};

    /// The C names are the Rust names: the JSON a C program prints matches the CLI's.
    #[test]
    fn names_match_the_detectors() {
        for v in Verdict::ALL {
            let code = RingsideVerdict::from(v) as u32;
            assert_eq!(verdict_name(code).to_str(), Ok(v.as_str()));
        }
        for c in [
            Cause::ShortGreeting,
            Cause::LongGreeting,
            Cause::MaxWords,
            Cause::BeepHeard,
            Cause::FaxTone,
            Cause::SpecialInformationTone,
            Cause::InitialSilence,
            Cause::TooLong,
            Cause::StreamEnded,
        ] {
            let code = RingsideCause::from(c) as u32;
            assert_eq!(cause_text(code).to_str(), Ok(c.as_str()));
        }
        for (k, name) in [
            (GreetingEndKind::Beep, "beep"),
            (GreetingEndKind::Silence, "silence"),
            (GreetingEndKind::Timeout, "timeout"),
        ] {
            let code = RingsideGreetingEnd::from(k) as u32;
            assert_eq!(greeting_end_name(code).to_str(), Ok(name));
        }
        for none in [0, 10, u32::MAX] {
            assert!(verdict_name(none).is_empty());
            assert!(cause_text(none).is_empty());
            assert!(greeting_end_name(none).is_empty());
        }
    }

    #[test]
    fn spans_and_stamps() {
        let beep = RingsideEvent::from(&Event::Beep(Beep {
            start: 100,
            end: 900,
            freq_hz: 1000.0,
        }));
        assert_eq!(beep.kind, RingsideEventKind::Beep);
        assert_eq!((beep.start, beep.end, beep.at), (100, 900, 900));
        assert_eq!(beep.freq_hz, 1000.0);
        assert_eq!(beep.verdict, RingsideVerdict::None);

        let key = RingsideEvent::from(&Event::Dtmf(DtmfTone {
            digit: DtmfDigit::Hash,
            start: 5,
            end: 50,
        }));
        assert_eq!(key.digit, b'#' as c_char);
        assert_eq!((key.start, key.end, key.at), (5, 50, 50));

        let verdict = RingsideEvent::from(&Event::Verdict(Decision {
            verdict: Verdict::Fax,
            cause: Cause::FaxTone,
            at: 77,
        }));
        assert_eq!(verdict.verdict, RingsideVerdict::Fax);
        assert_eq!(verdict.cause, RingsideCause::FaxTone);
        assert_eq!((verdict.start, verdict.end, verdict.at), (77, 77, 77));

        let end = RingsideEvent::from(&Event::GreetingEnd(GreetingEnd {
            kind: GreetingEndKind::Timeout,
            at: 9,
        }));
        assert_eq!(end.greeting_end, RingsideGreetingEnd::Timeout);
        assert_eq!(end.digit, 0);
    }
}
