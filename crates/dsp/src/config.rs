//! Every knob of the detector, with defaults and the peers' equivalent settings.

use serde::Serialize;

/// Sample rates the detector accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SampleRate {
    /// 8 kHz, the telephone rate (G.711). The default.
    Hz8000,
    /// 16 kHz (wideband).
    Hz16000,
}

impl SampleRate {
    /// Samples per second.
    pub fn hz(self) -> u32 {
        match self {
            Self::Hz8000 => 8000,
            Self::Hz16000 => 16000,
        }
    }

    /// The rate for `hz`, if supported.
    pub fn from_hz(hz: u32) -> Option<Self> {
        match hz {
            8000 => Some(Self::Hz8000),
            16000 => Some(Self::Hz16000),
            _ => None,
        }
    }
}

/// A configuration the detector cannot run with.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong with it and what would be accepted.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid detector setting `{}`: {}",
            self.field, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

/// All knobs of the answering-machine detector.
///
/// Times are in milliseconds. The defaults are chosen for the costly-error asymmetry of
/// AMD: calling a person a machine hangs up on them, so in doubt the detector says human.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Input sample rate.
    pub sample_rate: SampleRate,
    /// No speech for this long after the last call-progress tone → `Silence`.
    /// Asterisk `initialSilence` (2500); Twilio `SilenceTimeout` (5000).
    pub initial_silence_ms: u32,
    /// A run of speech (pauses shorter than `after_greeting_silence_ms` do not end it)
    /// longer than this → `Machine`. Asterisk `greeting` (1500), Twilio `SpeechThreshold`
    /// (2400), SignalWire machine voice (1250).
    pub greeting_ms: u32,
    /// Silence that ends an utterance: a short utterance followed by this much silence
    /// → `Human`. Asterisk `afterGreetingSilence` (800), Twilio `SpeechEndThreshold` (1200),
    /// SignalWire end silence (1000).
    pub after_greeting_silence_ms: u32,
    /// Shortest burst of voice that counts as a word. Asterisk `minimumWordLength` (100).
    pub min_word_ms: u32,
    /// Silence that separates two words. Asterisk `betweenWordsSilence` (50).
    pub between_words_silence_ms: u32,
    /// More words than this in the first run of speech → `Machine`. Asterisk
    /// `maximumNumberOfWords` (2–3), SignalWire machine words (6).
    pub max_words: u32,
    /// No verdict after this much audio (counted from pickup: the end of any ringback) →
    /// `Human` if speech was heard (the safe side), else `Silence`. Asterisk
    /// `totalAnalysisTime` (5000); Twilio `MachineDetectionTimeout` (30 000).
    pub total_analysis_ms: u32,
    /// After a machine verdict, silence this long after the last speech ends the greeting
    /// when no beep comes. Twilio `machine_end_silence`.
    pub greeting_end_silence_ms: u32,
    /// After a machine verdict, give up waiting for a beep or silence after this long
    /// (from the first audio sample). Twilio `MachineDetectionTimeout` (30 s). A beep
    /// sounding or awaiting confirmation then is waited for, at most `late_beep_ms` more.
    pub greeting_timeout_ms: u32,
    /// After a greeting end by silence, keep listening this long for a beep that still
    /// comes (some boxes pause seconds before their tone); it is reported as a `Beep` and a
    /// second `GreetingEnd` of kind `Beep`. 0 turns it off. No peer has an equivalent
    /// (Twilio and Asterisk stop at the first end).
    pub late_beep_ms: u32,
    /// Beep frequency range, Hz. FreeSWITCH mod_avmd: 440–2000.
    pub beep_min_hz: f32,
    /// Upper end of the beep frequency range, Hz.
    pub beep_max_hz: f32,
    /// Shortest single beep burst, ms.
    pub beep_min_ms: u32,
    /// Longest beep, ms (longer steady tones are call-progress or fax tones).
    pub beep_max_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            sample_rate: SampleRate::Hz8000,
            initial_silence_ms: 5000,
            greeting_ms: 2700,
            after_greeting_silence_ms: 800,
            min_word_ms: 100,
            between_words_silence_ms: 50,
            max_words: 6,
            total_analysis_ms: 10_000,
            greeting_end_silence_ms: 2500,
            greeting_timeout_ms: 30_000,
            late_beep_ms: 10_000,
            beep_min_hz: 300.0,
            beep_max_hz: 2500.0,
            beep_min_ms: 80,
            beep_max_ms: 4000,
        }
    }
}

impl Config {
    /// The names [`Config::set`] accepts, in the order the fields are declared.
    pub const KNOBS: [&'static str; 15] = [
        "sample_rate",
        "initial_silence_ms",
        "greeting_ms",
        "after_greeting_silence_ms",
        "min_word_ms",
        "between_words_silence_ms",
        "max_words",
        "total_analysis_ms",
        "greeting_end_silence_ms",
        "greeting_timeout_ms",
        "late_beep_ms",
        "beep_min_hz",
        "beep_max_hz",
        "beep_min_ms",
        "beep_max_ms",
    ];

    /// Sets the knob `name` from its text form (`greeting_ms`, `"3000"`), as a user
    /// tuning the detector from the command line writes it. The value is parsed only:
    /// call [`Config::validate`] once every knob is set, since knobs constrain each other.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        fn whole(field: &'static str, value: &str) -> Result<u32, ConfigError> {
            value.trim().parse().map_err(|_| ConfigError {
                field,
                message: format!("`{value}` is not a whole number (0 to {})", u32::MAX),
            })
        }
        fn hz(field: &'static str, value: &str) -> Result<f32, ConfigError> {
            match value.trim().parse::<f32>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(ConfigError {
                    field,
                    message: format!("`{value}` is not a frequency in Hz"),
                }),
            }
        }
        // The knob's name as a `'static` string, for the error of a bad value.
        let field = Self::KNOBS
            .into_iter()
            .find(|k| *k == name)
            .unwrap_or("set");
        match field {
            "sample_rate" => {
                let v = whole(field, value)?;
                self.sample_rate = SampleRate::from_hz(v).ok_or_else(|| ConfigError {
                    field,
                    message: format!("{v} Hz is not supported (8000 or 16000)"),
                })?;
            }
            "initial_silence_ms" => self.initial_silence_ms = whole(field, value)?,
            "greeting_ms" => self.greeting_ms = whole(field, value)?,
            "after_greeting_silence_ms" => self.after_greeting_silence_ms = whole(field, value)?,
            "min_word_ms" => self.min_word_ms = whole(field, value)?,
            "between_words_silence_ms" => self.between_words_silence_ms = whole(field, value)?,
            "max_words" => self.max_words = whole(field, value)?,
            "total_analysis_ms" => self.total_analysis_ms = whole(field, value)?,
            "greeting_end_silence_ms" => self.greeting_end_silence_ms = whole(field, value)?,
            "greeting_timeout_ms" => self.greeting_timeout_ms = whole(field, value)?,
            "late_beep_ms" => self.late_beep_ms = whole(field, value)?,
            "beep_min_hz" => self.beep_min_hz = hz(field, value)?,
            "beep_max_hz" => self.beep_max_hz = hz(field, value)?,
            "beep_min_ms" => self.beep_min_ms = whole(field, value)?,
            "beep_max_ms" => self.beep_max_ms = whole(field, value)?,
            _ => {
                return Err(ConfigError {
                    field: "set",
                    message: format!(
                        "no detector setting is called `{name}`; the settings are: {}",
                        Self::KNOBS.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// Checks that the settings are coherent.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |field, message: String| Err(ConfigError { field, message });
        if !(self.beep_min_hz >= 200.0 && self.beep_min_hz < self.beep_max_hz) {
            return err(
                "beep_min_hz",
                format!(
                    "{} Hz must be at least 200 Hz and below beep_max_hz ({} Hz)",
                    self.beep_min_hz, self.beep_max_hz
                ),
            );
        }
        let nyquist = self.sample_rate.hz() as f32 / 2.0;
        if self.beep_max_hz > nyquist - 200.0 {
            return err(
                "beep_max_hz",
                format!(
                    "{} Hz is too close to the Nyquist frequency ({nyquist} Hz)",
                    self.beep_max_hz
                ),
            );
        }
        if self.beep_min_ms < 40 || self.beep_min_ms >= self.beep_max_ms {
            return err(
                "beep_min_ms",
                format!(
                    "{} ms must be at least 40 ms and below beep_max_ms ({} ms)",
                    self.beep_min_ms, self.beep_max_ms
                ),
            );
        }
        if self.after_greeting_silence_ms < 100 {
            return err(
                "after_greeting_silence_ms",
                format!("{} ms is below 100 ms", self.after_greeting_silence_ms),
            );
        }
        if self.greeting_ms < self.min_word_ms {
            return err(
                "greeting_ms",
                format!("{} ms is shorter than min_word_ms", self.greeting_ms),
            );
        }
        if self.greeting_timeout_ms < self.total_analysis_ms {
            return err(
                "greeting_timeout_ms",
                format!(
                    "{} ms is shorter than total_analysis_ms ({} ms)",
                    self.greeting_timeout_ms, self.total_analysis_ms
                ),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_knob_can_be_set_by_name_and_lands_in_its_field() {
        for name in Config::KNOBS {
            let mut c = Config::default();
            let value = if name == "sample_rate" {
                "16000"
            } else {
                "1234"
            };
            c.set(name, value).unwrap();
            assert_ne!(c, Config::default(), "{name} changed nothing");
            let json = serde_json::to_value(&c).unwrap();
            let expected = if name == "sample_rate" {
                serde_json::json!("Hz16000")
            } else if name.ends_with("_hz") {
                serde_json::json!(1234.0)
            } else {
                serde_json::json!(1234)
            };
            assert_eq!(json[name], expected, "{name}");
        }
    }

    #[test]
    fn a_bad_name_or_value_names_the_setting_and_what_is_accepted() {
        let mut c = Config::default();
        let e = c.set("greeting", "3000").unwrap_err();
        assert!(e.to_string().contains("`greeting`"), "{e}");
        assert!(e.to_string().contains("greeting_ms"), "{e}");
        let e = c.set("greeting_ms", "3 s").unwrap_err();
        assert_eq!(e.field, "greeting_ms");
        assert!(e.message.contains("`3 s`"), "{e}");
        assert_eq!(c.set("greeting_ms", "-1").unwrap_err().field, "greeting_ms");
        assert_eq!(
            c.set("beep_min_hz", "NaN").unwrap_err().field,
            "beep_min_hz"
        );
        let e = c.set("sample_rate", "44100").unwrap_err();
        assert!(e.message.contains("8000 or 16000"), "{e}");
        assert_eq!(c, Config::default());
    }
}
