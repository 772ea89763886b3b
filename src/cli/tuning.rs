//! `--set NAME=VALUE`: the detector's knobs from the command line, for the commands that
//! run the detector on recordings (`detect`, `eval`, `bench`), so a user can try a setting
//! on their own calls before putting it into an application.

use anyhow::Context as _;
use ringside_dsp::Config;

/// The `--set` options, flattened into each command that runs the detector.
#[derive(Debug, Clone, Default, clap::Args)]
#[group(skip)]
pub struct Tuning {
    /// Change a detector setting (repeatable), e.g. `--set greeting_ms=3500`. The names
    /// are the fields of the detector's configuration: initial_silence_ms, greeting_ms,
    /// after_greeting_silence_ms, min_word_ms, between_words_silence_ms, max_words,
    /// total_analysis_ms, greeting_end_silence_ms, greeting_timeout_ms, late_beep_ms,
    /// beep_min_hz, beep_max_hz, beep_min_ms, beep_max_ms, sample_rate.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
}

impl Tuning {
    /// The default configuration with every `--set` applied, checked as a whole.
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut config = Config::default();
        for item in &self.set {
            let (name, value) = item.split_once('=').with_context(|| {
                format!("--set {item}: expected NAME=VALUE, e.g. --set greeting_ms=3500")
            })?;
            let name = name.trim();
            if !Config::KNOBS.contains(&name) {
                anyhow::bail!(
                    "--set {item}: no detector setting is called `{name}`; the settings are: {}",
                    Config::KNOBS.join(", ")
                );
            }
            config
                .set(name, value)
                .with_context(|| format!("--set {item}"))?;
        }
        config
            .validate()
            .context("--set: the settings do not fit together")?;
        Ok(config)
    }
}
