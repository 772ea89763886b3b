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
    /// (from the first audio sample). Twilio `MachineDetectionTimeout` (30 s).
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
