//! `ringside_config`: the detector's knobs as a plain C struct.
//!
//! The fields are `ringside_dsp::Config`'s, with the same names, units and defaults; the
//! sample rate is not among them but an argument of `ringside_detector_new`, because a
//! media server knows it per call (from the codec) while the knobs are per deployment.
//!
//! Both conversions ([`RingsideConfig::from_dsp`], [`RingsideConfig::to_dsp`]) name every
//! field of `ringside_dsp::Config` without `..`, so a knob added to the detector does not
//! compile here until it is added to the C struct (and the `knobs!` list) too; the
//! defaults are read from `Config::default()` itself, so they cannot differ.

use ringside_dsp::{Config, SampleRate};

use crate::status::Failure;

/// Every setting of the answering-machine detector. Times in milliseconds, frequencies
/// in Hz. Start from `ringside_config_default()` and change what you need; the defaults
/// are chosen for the costly-error asymmetry of AMD (calling a person a machine hangs up
/// on them, so in doubt the detector says human).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RingsideConfig {
    /// No speech for this long after the last call-progress tone: silence.
    /// Default: 5000.
    pub initial_silence_ms: u32,
    /// A run of speech longer than this: machine. Default: 2700.
    pub greeting_ms: u32,
    /// Silence that ends an utterance: a short utterance then this much silence: human.
    /// At least 100. Default: 800.
    pub after_greeting_silence_ms: u32,
    /// Shortest burst of voice that counts as a word. Default: 100.
    pub min_word_ms: u32,
    /// Silence that separates two words. Default: 50.
    pub between_words_silence_ms: u32,
    /// More words than this in the first run of speech: machine. Default: 6.
    pub max_words: u32,
    /// No verdict after this much audio from pickup: human if speech was heard, else
    /// silence. Default: 10000.
    pub total_analysis_ms: u32,
    /// After a machine verdict, silence this long after the last speech ends the greeting
    /// when no beep comes. Default: 2500.
    pub greeting_end_silence_ms: u32,
    /// After a machine verdict, stop waiting for a beep or silence this long after the
    /// first sample. At least `total_analysis_ms`. Default: 30000.
    pub greeting_timeout_ms: u32,
    /// After a greeting end by silence, keep listening this long for a late beep (reported
    /// as a beep and a second greeting end); 0 turns it off. Default: 10000.
    pub late_beep_ms: u32,
    /// Lowest beep frequency. At least 200, below `beep_max_hz`. Default: 300.
    pub beep_min_hz: f32,
    /// Highest beep frequency; at least 200 Hz below half the sample rate.
    /// Default: 2500.
    pub beep_max_hz: f32,
    /// Shortest single beep burst. At least 40, below `beep_max_ms`. Default: 80.
    pub beep_min_ms: u32,
    /// Longest beep (longer steady tones are call-progress or fax tones). Default: 4000.
    pub beep_max_ms: u32,
}

/// The knobs, listed once: the conversions below are generated from this list, and each
/// names every field of both structs without `..`, so a field missing from the list, from
/// `RingsideConfig` or from `ringside_dsp::Config` is a compile error. (A macro over a
/// list rather than over the struct itself, because cbindgen reads the struct as written.)
macro_rules! knobs {
    ($($knob:ident),* $(,)?) => {
        impl RingsideConfig {
            /// The C view of `config` (its sample rate is dropped: it is an argument in C).
            pub fn from_dsp(config: &Config) -> Self {
                let Config { sample_rate: _, $($knob),* } = *config;
                Self { $($knob),* }
            }

            /// The detector's configuration for a stream at `sample_rate_hz`, validated.
            pub(crate) fn to_dsp(self, sample_rate_hz: u32) -> Result<Config, Failure> {
                let sample_rate = SampleRate::from_hz(sample_rate_hz)
                    .ok_or(Failure::unsupported_rate(sample_rate_hz))?;
                let Self { $($knob),* } = self;
                let config = Config { sample_rate, $($knob),* };
                config.validate()?;
                Ok(config)
            }

            /// Each field's name and value, in declaration order (for the tests that hold
            /// the header's documented defaults to the real ones).
            pub fn fields(&self) -> Vec<(&'static str, f64)> {
                let Self { $($knob),* } = *self;
                vec![$((stringify!($knob), f64::from($knob))),*]
            }
        }
    };
}

knobs!(
    initial_silence_ms,
    greeting_ms,
    after_greeting_silence_ms,
    min_word_ms,
    between_words_silence_ms,
    max_words,
    total_analysis_ms,
    greeting_end_silence_ms,
    greeting_timeout_ms,
    late_beep_ms,
    beep_min_hz,
    beep_max_hz,
    beep_min_ms,
    beep_max_ms,
);

impl Default for RingsideConfig {
    fn default() -> Self {
        Self::from_dsp(&Config::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::RingsideStatus;

    /// The drift test: the C defaults, taken back to Rust at the default rate, are exactly
    /// `Config::default()` (every field, since `to_dsp` names them all).
    #[test]
    fn the_c_defaults_are_the_detectors_defaults() {
        let c = RingsideConfig::default();
        let back = c.to_dsp(8000).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back, Config::default());
    }

    #[test]
    fn every_field_survives_the_round_trip() {
        // Each field at a distinct value that still validates.
        let c = RingsideConfig {
            initial_silence_ms: 4001,
            greeting_ms: 2001,
            after_greeting_silence_ms: 901,
            min_word_ms: 101,
            between_words_silence_ms: 51,
            max_words: 4,
            total_analysis_ms: 9001,
            greeting_end_silence_ms: 2001,
            greeting_timeout_ms: 20_001,
            late_beep_ms: 0,
            beep_min_hz: 350.0,
            beep_max_hz: 2400.0,
            beep_min_ms: 90,
            beep_max_ms: 3000,
        };
        let back = c.to_dsp(16_000).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back.sample_rate, SampleRate::Hz16000);
        assert_eq!(RingsideConfig::from_dsp(&back), c);
        let values: Vec<f64> = c.fields().iter().map(|f| f.1).collect();
        let defaults: Vec<f64> = RingsideConfig::default()
            .fields()
            .iter()
            .map(|f| f.1)
            .collect();
        for (i, (v, d)) in values.iter().zip(&defaults).enumerate() {
            assert_ne!(
                v,
                d,
                "field {} was not changed by the test",
                c.fields()[i].0
            );
        }
    }

    #[test]
    fn a_bad_setting_is_named() {
        let c = RingsideConfig {
            beep_min_hz: 100.0,
            ..RingsideConfig::default()
        };
        let e = c.to_dsp(8000).unwrap_err();
        assert_eq!(e.status, RingsideStatus::InvalidConfig);
        assert_eq!(e.field, "beep_min_hz");
        assert!(e.message.contains("100 Hz"), "{}", e.message);
    }

    #[test]
    fn an_unsupported_rate_is_named() {
        let e = RingsideConfig::default().to_dsp(44_100).unwrap_err();
        assert_eq!(e.status, RingsideStatus::UnsupportedRate);
        assert_eq!(e.field, "sample_rate_hz");
        assert_eq!(e.message, "44100 Hz is not supported: use 8000 or 16000");
    }
}
