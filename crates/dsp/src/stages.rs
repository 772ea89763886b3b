//! The detector's stages one by one, for benchmarks; **not a stable API**.
//!
//! [`crate::Detector`] runs these in a fixed order on every 10 ms hop. The root package's
//! benches (`benches/detector.rs`) time each on its own to show where a hop's cost goes, so
//! this module exposes thin wrappers over the crate-private stages: each holds exactly the
//! state the detector holds for that stage, built the same way, and each method forwards to
//! the one the detector calls (inlined; nothing is copied or allocated per call). Results
//! are reduced to public types so the benches have something to `black_box`.
//!
//! Nothing here is needed to use the detector, and it may change with any release.

use crate::classifier::{Classifier, Outcome};
use crate::detector::{DTMF_GATE, PROGRESS_GATE, ReceiverGates};
use crate::dtmf::DtmfDetector;
use crate::event::{DtmfTone, Event, SampleOffset};
use crate::history::History;
use crate::progress::ProgressDetector;
use crate::spectrum::Spectrum;
use crate::tone::{ToneAnalyzer, ToneTracker};
use crate::vad::{Vad, VadChange};
use crate::{Config, ConfigError};

/// FFT length the detector uses at `rate` (32 ms rounded up to a power of two), as in
/// `Detector::new`.
fn fft_len(rate: u32) -> usize {
    (rate as usize * 32 / 1000).next_power_of_two()
}

/// The front end: Hann-windowed real FFT of one analysis window, as a power spectrum.
#[derive(Debug)]
pub struct FrontEnd {
    spectrum: Spectrum,
}

impl FrontEnd {
    /// The front end for `config`'s sample rate.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let rate = config.sample_rate.hz();
        Ok(Self {
            spectrum: Spectrum::new(fft_len(rate), rate),
        })
    }

    /// Samples per analysis window (256 at 8 kHz): what [`FrontEnd::analyze`] reads.
    pub fn window_len(&self) -> usize {
        (self.spectrum.last_power().len() - 1) * 2
    }

    /// Bins per spectrum (`window_len / 2 + 1`).
    pub fn bins(&self) -> usize {
        self.spectrum.last_power().len()
    }

    /// Power spectrum of `window` ([`FrontEnd::window_len`] samples, oldest first).
    #[inline]
    pub fn analyze(&mut self, window: &[f32]) -> &[f32] {
        self.spectrum.analyze(window)
    }
}

/// Per-bin noise estimate of the VAD's tracked floors (what the tone analyser is given).
fn noise_of(vad: &Vad, bins: usize) -> Vec<f32> {
    let mut noise = vec![0.0; bins];
    vad.fill_noise(&mut noise);
    noise
}

/// The voice-activity detector on power spectra.
#[derive(Debug)]
pub struct VadStage {
    vad: Vad,
    bins: usize,
}

impl VadStage {
    /// The VAD as the detector builds it for `config`.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let rate = config.sample_rate.hz();
        let n = fft_len(rate);
        let bin_hz = rate as f32 / n as f32;
        Ok(Self {
            vad: Vad::new(bin_hz, rate as usize / 100, rate, config.min_word_ms),
            bins: n / 2 + 1,
        })
    }

    /// Feeds one frame's spectrum (`center`: the sample at the window's middle; `blocked`:
    /// the frame holds a tone). Returns `SpeechStart`/`SpeechEnd` when the state changed.
    #[inline]
    pub fn update(&mut self, power: &[f32], center: SampleOffset, blocked: bool) -> Option<Event> {
        match self.vad.update(power, center, blocked)? {
            VadChange::Start(at) => Some(Event::SpeechStart { at }),
            VadChange::End(at) => Some(Event::SpeechEnd { at }),
        }
    }

    /// The per-bin noise estimate the detector hands the tone analyser each frame
    /// (allocates: call outside timed code).
    pub fn noise(&self) -> Vec<f32> {
        noise_of(&self.vad, self.bins)
    }
}

/// Tone analysis of one spectrum plus the tracker that groups tonal frames into runs.
#[derive(Debug)]
pub struct ToneStage {
    analyzer: ToneAnalyzer,
    tracker: ToneTracker,
}

impl ToneStage {
    /// The tone analyser and tracker as the detector builds them for `config`.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let rate = config.sample_rate.hz();
        let n = fft_len(rate);
        Ok(Self {
            analyzer: ToneAnalyzer::new(n / 2 + 1, rate as f32 / n as f32),
            tracker: ToneTracker::default(),
        })
    }

    /// Analyses one frame's spectrum against the per-bin `noise` and feeds the result to
    /// the tracker (`amplitudes`: RMS of the newest hop's two halves). Returns whether the
    /// frame was tonal and, if a run ended before it, that run's number of frames.
    #[inline]
    pub fn update(
        &mut self,
        power: &[f32],
        noise: &[f32],
        center: SampleOffset,
        amplitudes: [f32; 2],
    ) -> (bool, Option<u32>) {
        let tone = self.analyzer.analyze(power, noise);
        let ended = self.tracker.update(tone, center, amplitudes);
        (tone.is_tonal(), ended.map(|s| s.frames))
    }
}

/// Sample history shared by the two receivers, fed one hop at a time.
#[derive(Debug)]
struct Hops {
    history: History,
}

impl Hops {
    fn new(capacity: usize) -> Self {
        Self {
            history: History::new(capacity),
        }
    }

    #[inline]
    fn push(&mut self, hop: &[f32]) {
        self.history.extend(hop);
    }
}

/// The spectral gates that decide whether the two receivers run on a frame.
#[derive(Debug)]
pub struct GateStage {
    gates: ReceiverGates,
}

impl GateStage {
    /// The gates as the detector builds them for `config`.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let rate = config.sample_rate.hz();
        let n = fft_len(rate);
        Ok(Self {
            gates: ReceiverGates::new(rate as f32 / n as f32, n / 2 + 1),
        })
    }

    /// Whether the DTMF and the call-progress receivers would run on this spectrum
    /// (leaving aside a digit or tone already in progress, which keeps them running).
    #[inline]
    pub fn open(&self, power: &[f32]) -> (bool, bool) {
        let (dtmf, progress) = self.gates.shares(power);
        (dtmf >= DTMF_GATE, progress >= PROGRESS_GATE)
    }
}

/// The DTMF receiver (eight DFT probes over 25.6 ms) with its own sample history.
#[derive(Debug)]
pub struct DtmfStage {
    hops: Hops,
    dtmf: DtmfDetector,
}

impl DtmfStage {
    /// The receiver as the detector builds it for `config`.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let dtmf = DtmfDetector::new(config.sample_rate.hz());
        Ok(Self {
            hops: Hops::new(dtmf.block_len()),
            dtmf,
        })
    }

    /// Appends one hop of samples and runs the receiver on the newest block. `plausible`
    /// is the spectral gate's answer: `false` skips the filters unless a digit is in
    /// progress, as in the detector. Returns a digit that just ended.
    #[inline]
    pub fn update(&mut self, hop: &[f32], plausible: bool) -> Option<DtmfTone> {
        self.hops.push(hop);
        self.dtmf.update(&self.hops.history, plausible)
    }
}

/// The call-progress receiver (the tone plans' probes over 80 ms) with its own history.
#[derive(Debug)]
pub struct ProgressStage {
    hops: Hops,
    progress: ProgressDetector,
}

impl ProgressStage {
    /// The receiver as the detector builds it for `config`.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        let progress = ProgressDetector::new(config.sample_rate.hz());
        Ok(Self {
            hops: Hops::new(progress.block_len()),
            progress,
        })
    }

    /// Appends one hop and runs the receiver (`plausible` as for [`DtmfStage::update`]).
    /// Returns the end of a tone burst that just finished.
    #[inline]
    pub fn update(&mut self, hop: &[f32], plausible: bool) -> Option<SampleOffset> {
        self.hops.push(hop);
        self.progress.update(&self.hops.history, plausible)
    }
}

/// The classifier: speech and tone timing in, verdict and greeting end out.
#[derive(Debug)]
pub struct ClassifierStage {
    classifier: Classifier,
}

impl ClassifierStage {
    /// The classifier for `config`.
    pub fn new(config: &Config) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self {
            classifier: Classifier::new(config),
        })
    }

    /// A speech segment started at `at` (from the VAD).
    #[inline]
    pub fn speech_start(&mut self, at: SampleOffset) {
        self.classifier.speech_start(at);
    }

    /// The speech segment ended at `at`.
    #[inline]
    pub fn speech_end(&mut self, at: SampleOffset) {
        self.classifier.speech_end(at);
    }

    /// One frame's timer tick (`now`: end of the frame; `voiced_until`: end of the last
    /// foreground speech; `speaking`: foreground speech is going on now). Returns whether
    /// it produced an outcome (a verdict, a beep or the greeting's end).
    #[inline]
    pub fn tick(&mut self, now: SampleOffset, voiced_until: SampleOffset, speaking: bool) -> bool {
        matches!(
            self.classifier.tick(now, voiced_until, speaking, false),
            Some(Outcome::Verdict(_) | Outcome::Beep(_) | Outcome::GreetingEnd(_))
        )
    }
}
