//! Signals the simulator puts on the line: DTMF keys, a speech stand-in for `<Say>`, and
//! plain tones (the `<Record>` beep, the stand-in for audio that could not be loaded).
//!
//! Everything is 8 kHz mono `f32` (full scale ±1.0), deterministic, and generated once per
//! prompt (never per frame).

use std::f32::consts::TAU;

use ringside_dsp::DtmfDigit;

/// The line's sample rate: the detector's 8 kHz.
pub const RATE: u32 = 8000;

/// Samples per millisecond at [`RATE`].
pub const SAMPLES_PER_MS: u64 = RATE as u64 / 1000;

/// How long a `<Say>` lasts per character of text: about 60 ms, a speaking rate of
/// ~160 words a minute for English text (6 characters a word with the space).
pub const SAY_MS_PER_CHAR: u64 = 60;

/// The shortest `<Say>` (a one-word prompt still takes this long).
pub const SAY_MIN_MS: u64 = 300;

/// Level of each of the two DTMF frequencies: −10 dBFS, well inside the −25…0 dBm0 range
/// receivers must accept (ITU-T Q.24), with equal levels (no twist).
const DTMF_LEVEL: f32 = 0.316;

/// Onset/offset ramp of tones, so that switching does not splatter energy across bands.
const RAMP_MS: u64 = 5;

/// `ms` milliseconds as a sample count.
pub fn samples(ms: u64) -> usize {
    usize::try_from(ms * SAMPLES_PER_MS).unwrap_or(usize::MAX)
}

/// The DTMF tone of `key` (`0-9`, `*`, `#`, `A-D`) for `ms` milliseconds: the two ITU-T
/// Q.23 frequencies at equal level. `None` for a character that is not a key.
pub fn dtmf(key: char, ms: u64) -> Option<Vec<f32>> {
    let (low, high) = DtmfDigit::from_char(key)?.frequencies();
    let mut out = tone(low, ms, DTMF_LEVEL);
    for (x, h) in out.iter_mut().zip(tone(high, ms, DTMF_LEVEL)) {
        *x += h;
    }
    Some(out)
}

/// A sine tone at `freq` Hz for `ms` milliseconds at peak `level`, with 5 ms ramps.
pub fn tone(freq: f32, ms: u64, level: f32) -> Vec<f32> {
    let n = samples(ms);
    let ramp = samples(RAMP_MS).max(1);
    let step = TAU * freq / RATE as f32;
    let mut phase = 0.0f32;
    (0..n)
        .map(|i| {
            let edge = i.min(n - 1 - i);
            let gain = if edge < ramp {
                edge as f32 / ramp as f32
            } else {
                1.0
            };
            let x = phase.sin() * level * gain;
            phase = (phase + step) % TAU;
            x
        })
        .collect()
}

/// How long a `<Say>` of `text` lasts: [`SAY_MS_PER_CHAR`] per character, at least
/// [`SAY_MIN_MS`].
pub fn say_duration_ms(text: &str) -> u64 {
    (text.chars().count() as u64 * SAY_MS_PER_CHAR).max(SAY_MIN_MS)
}

/// A speech-like stand-in lasting `ms` milliseconds: voiced syllables of ~200 ms (a
/// 100–140 Hz harmonic series shaped by two moving formants, as vowels are) grouped into
/// words by short gaps.
///
/// It is what the callee hears for `<Say>` and for a scripted person talking. It has the
/// energy, spectrum and rhythm a voice-activity detector reacts to, and no pair of
/// isolated pure tones, so DTMF detectors ignore it. `voice` varies the pitch and vowels.
pub fn speech(ms: u64, voice: u32) -> Vec<f32> {
    let n = samples(ms);
    let mut out = vec![0.0f32; n];
    let syllable = samples(200);
    let gap = samples(70);
    let mut pos = 0usize;
    let mut k = voice;
    let mut phase = 0.0f32;
    while pos < n {
        k = k.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let r = |shift: u32| ((k >> shift) & 0xff) as f32 / 255.0;
        let f0 = 100.0 + 40.0 * r(8);
        let f1 = 350.0 + 450.0 * r(16);
        let f2 = 1000.0 + 1200.0 * r(24);
        // Every third syllable ends a word.
        let len = syllable.min(n - pos);
        let harmonics = (3400.0 / f0) as usize;
        let gains: Vec<f32> = (1..=harmonics)
            .map(|h| {
                let f = h as f32 * f0;
                let formant = |c: f32, bw: f32| 1.0 / (1.0 + ((f - c) / bw).powi(2));
                0.5 * formant(f1, 120.0) + 0.3 * formant(f2, 200.0) + 0.02
            })
            .collect();
        let step = TAU * f0 / RATE as f32;
        for i in 0..len {
            // Raised-cosine syllable envelope.
            let env = 0.5 - 0.5 * (TAU * i as f32 / len as f32).cos();
            let mut x = 0.0;
            for (h, g) in gains.iter().enumerate() {
                x += g * ((h + 1) as f32 * phase).sin();
            }
            out[pos + i] = 0.12 * env * x;
            phase = (phase + step) % TAU;
        }
        pos += len;
        if k.is_multiple_of(3) {
            pos += gap;
        }
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use ringside_dsp::{Config, Detector, Event};

    use super::*;

    /// Runs `audio` through a detector in 10 ms frames and returns the DTMF keys heard.
    fn keys_heard(audio: &[f32]) -> String {
        let mut det = Detector::new(Config::default()).unwrap();
        let mut keys = String::new();
        let collect = |evs: &[Event], keys: &mut String| {
            for e in evs {
                if let Event::Dtmf(t) = e {
                    keys.push(t.digit.as_char());
                }
            }
        };
        for frame in audio.chunks(80) {
            let evs = det.process(frame).to_vec();
            collect(&evs, &mut keys);
        }
        let evs = det.finish().to_vec();
        collect(&evs, &mut keys);
        keys
    }

    #[test]
    fn every_key_round_trips_through_the_dsp_detector() {
        let mut line = vec![0.0f32; samples(300)];
        for key in "0123456789*#".chars() {
            line.extend(dtmf(key, 100).unwrap());
            line.extend(vec![0.0; samples(100)]);
        }
        line.extend(vec![0.0; samples(500)]);
        assert_eq!(keys_heard(&line), "0123456789*#");
    }

    #[test]
    fn keys_over_speech_are_still_heard_and_speech_alone_is_no_key() {
        let talk = speech(4000, 7);
        assert_eq!(
            keys_heard(&talk),
            "",
            "the speech stand-in must not look like DTMF"
        );
        let mut mixed = talk.clone();
        let key = dtmf('5', 120).unwrap();
        let at = samples(1500);
        for (x, k) in mixed[at..].iter_mut().zip(&key) {
            *x += k;
        }
        assert_eq!(keys_heard(&mixed), "5");
    }

    #[test]
    fn speech_stand_in_is_heard_as_speech() {
        let mut det = Detector::new(Config::default()).unwrap();
        let mut audio = vec![0.0f32; samples(500)];
        audio.extend(speech(1500, 1));
        audio.extend(vec![0.0; samples(2000)]);
        let mut starts = 0;
        for frame in audio.chunks(80) {
            starts += det
                .process(frame)
                .iter()
                .filter(|e| matches!(e, Event::SpeechStart { .. }))
                .count();
        }
        assert!(starts >= 1, "the VAD heard no speech in the stand-in");
    }

    #[test]
    fn say_lasts_in_proportion_to_its_text() {
        assert_eq!(say_duration_ms("Hi"), SAY_MIN_MS);
        assert_eq!(say_duration_ms(&"x".repeat(50)), 3000);
        assert_eq!(speech(3000, 0).len(), 24_000);
        assert_eq!(dtmf('x', 100), None);
    }
}
