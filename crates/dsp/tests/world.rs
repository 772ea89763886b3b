//! Generalisation families: phenomena the tuning corpus does not hold, built from first
//! principles (the shared tone-plan table, the shapes real voicemail boxes use, fax as the
//! ITU-T recommendations define it).
//!
//! Each family is split into a **tuning** part, the only one looked at while the rules'
//! constants were chosen, and a **held-out** part of whole categories (other countries,
//! other beep shapes), checked only at the end. Every family prints its figures (run with
//! `--nocapture` to see them) and asserts its target, so each test can fail.
#![allow(clippy::unwrap_used)]

mod signals;

use ringside_dsp::tone_plan::{Cadence, TONE_PLANS, TonePlan};
use ringside_dsp::{Beep, Config, Detector, Event, GreetingEnd, GreetingEndKind, Verdict};
use signals::world::{self, BeepShape};
use signals::{Track, db, ms};

const PER_MS: f64 = 8.0;
const LINE_NOISE: f32 = 0.001;
const GREETING_PEAK: f32 = 0.5;
/// Countries the rules were tuned on; every other country of the table is held out.
const TUNING_COUNTRIES: [&str; 6] = ["us", "uk", "de", "fr", "jp", "au"];

fn detect(samples: &[f32]) -> Vec<Event> {
    let mut det = Detector::new(Config::default()).unwrap();
    let mut out = Vec::new();
    for c in samples.chunks(160) {
        out.extend_from_slice(det.process(c));
    }
    out.extend_from_slice(det.finish());
    out
}

fn verdict(events: &[Event]) -> (Verdict, u64) {
    let v: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Verdict(d) => Some((d.verdict, d.at)),
            _ => None,
        })
        .collect();
    assert_eq!(v.len(), 1, "{events:?}");
    v[0]
}

fn beeps(events: &[Event]) -> Vec<Beep> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Beep(b) => Some(*b),
            _ => None,
        })
        .collect()
}

fn greeting_ends(events: &[Event]) -> Vec<GreetingEnd> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::GreetingEnd(g) => Some(*g),
            _ => None,
        })
        .collect()
}

fn first_speech(events: &[Event]) -> Option<u64> {
    events.iter().find_map(|e| match e {
        Event::SpeechStart { at } => Some(*at),
        _ => None,
    })
}

/// Passed and failed cases of one family, split tuning / held out.
#[derive(Default)]
struct Tally {
    tuning: (usize, usize),
    held_out: (usize, usize),
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, held_out: bool, ok: bool, what: impl FnOnce() -> String) {
        let t = if held_out {
            &mut self.held_out
        } else {
            &mut self.tuning
        };
        t.1 += 1;
        if ok {
            t.0 += 1;
        } else {
            self.failures.push(what());
        }
    }

    /// Prints the figures and asserts that each part reaches `target` (a fraction).
    fn assert_rate(self, family: &str, target: f64) {
        let pct = |(ok, n): (usize, usize)| {
            if n == 0 {
                100.0
            } else {
                100.0 * ok as f64 / n as f64
            }
        };
        println!(
            "{family}: tuning {}/{} ({:.1} %), held out {}/{} ({:.1} %)",
            self.tuning.0,
            self.tuning.1,
            pct(self.tuning),
            self.held_out.0,
            self.held_out.1,
            pct(self.held_out)
        );
        let ok = pct(self.tuning) >= 100.0 * target && pct(self.held_out) >= 100.0 * target;
        assert!(
            ok,
            "{family}: below {:.0} %:\n  {}",
            100.0 * target,
            self.failures.join("\n  ")
        );
    }
}

fn held_out_country(p: &TonePlan) -> bool {
    !TUNING_COUNTRIES.contains(&p.code)
}

/// Two periods of `c`, ending at the end of the last sounding step (ringback stops at
/// pickup), at -19 dBFS per component.
fn two_periods(c: &Cadence) -> Vec<f32> {
    let (period, trailing) = match c {
        Cadence::Repeating(steps) => {
            let trailing: u32 = steps
                .iter()
                .rev()
                .take_while(|s| s.sound.is_silence())
                .map(|s| s.ms)
                .sum();
            (c.period_ms().unwrap_or(0) as f64, trailing as f64)
        }
        Cadence::Continuous(_) => (3000.0, 0.0),
    };
    world::plan_tone(c, db(-19.0), 2.0 * period - trailing)
}

// ---------------------------------------------------------------------------------------
// Call progress of every country.
// ---------------------------------------------------------------------------------------

#[test]
fn every_countrys_ringback_then_a_machine() {
    let mut tally = Tally::default();
    for (i, p) in TONE_PLANS.iter().enumerate() {
        let rng_state = 100 + i as u64;
        let mut t = Track::new();
        let (_, rb_end) = t.push(&two_periods(&p.ringback));
        t.quiet(300.0);
        let (g_start, _) = t.push(&signals::speech(3000.0, GREETING_PEAK, rng_state));
        t.quiet(300.0);
        let (b_start, _) = t.push(&world::beep(BeepShape::Steady, 1000.0, 400.0, db(-10.0)));
        t.quiet(1500.0);
        let audio = t.with_white(LINE_NOISE, rng_state).samples;
        let events = detect(&audio);
        let speech = first_speech(&events);
        let (v, _) = verdict(&events);
        let b = beeps(&events);
        let ok = speech.is_some_and(|s| s as usize + ms(100.0) >= rb_end.min(g_start))
            && v == Verdict::Machine
            && b.len() == 1
            && (b[0].start as f64 - b_start as f64).abs() <= 50.0 * PER_MS;
        tally.record(held_out_country(p), ok, || {
            format!(
                "{}: first speech {speech:?} (ringback ends {rb_end}), {v:?}, beeps {b:?} (want {b_start})",
                p.code
            )
        });
    }
    tally.assert_rate("ringback then machine", 1.0);
}

#[test]
fn every_countrys_ringback_then_a_person() {
    let mut tally = Tally::default();
    for (i, p) in TONE_PLANS.iter().enumerate() {
        let rng_state = 200 + i as u64;
        let mut t = Track::new();
        let (_, rb_end) = t.push(&two_periods(&p.ringback));
        t.quiet(400.0);
        let (_, said) = t.push(&signals::speech_burst(600.0, GREETING_PEAK, rng_state));
        t.quiet(2500.0);
        let events = detect(&t.with_white(LINE_NOISE, rng_state).samples);
        let speech = first_speech(&events);
        let (v, at) = verdict(&events);
        let latency = (at as f64 - said as f64) / PER_MS;
        let ok = speech.is_some_and(|s| s as usize + ms(100.0) >= rb_end)
            && v == Verdict::Human
            && latency <= 1000.0
            && beeps(&events).is_empty();
        tally.record(held_out_country(p), ok, || {
            format!(
                "{}: first speech {speech:?} (ringback ends {rb_end}), {v:?} {latency:.0} ms after the words",
                p.code
            )
        });
    }
    tally.assert_rate("ringback then person", 1.0);
}

#[test]
fn every_countrys_tones_alone_are_neither_speech_nor_beep() {
    let mut tally = Tally::default();
    for (i, p) in TONE_PLANS.iter().enumerate() {
        for (name, c) in [
            ("dial", p.dial),
            ("ringback", p.ringback),
            ("busy", p.busy),
            ("congestion", p.congestion),
        ] {
            let rng_state = 300 + i as u64;
            let mut t = Track::new();
            t.quiet(200.0);
            t.push(&world::plan_tone(&c, db(-19.0), 6000.0));
            t.quiet(1000.0);
            let events = detect(&t.with_white(LINE_NOISE, rng_state).samples);
            let (v, _) = verdict(&events);
            let speech = first_speech(&events);
            let ok = speech.is_none()
                && beeps(&events).is_empty()
                && matches!(v, Verdict::Silence | Verdict::Unknown);
            tally.record(held_out_country(p), ok, || {
                format!(
                    "{} {name}: speech {speech:?}, {v:?}, {:?}",
                    p.code,
                    beeps(&events)
                )
            });
        }
    }
    tally.assert_rate("call-progress tones alone", 1.0);
}

#[test]
fn every_countrys_busy_and_congestion_after_a_greeting_are_not_beeps() {
    let mut tally = Tally::default();
    for (i, p) in TONE_PLANS.iter().enumerate() {
        for (name, c) in [
            ("busy", p.busy),
            ("congestion", p.congestion),
            ("dial", p.dial),
        ] {
            let rng_state = 400 + i as u64;
            let mut t = Track::new();
            t.quiet(300.0);
            t.push(&signals::speech(3000.0, GREETING_PEAK, rng_state));
            t.quiet(300.0);
            t.push(&world::plan_tone(&c, db(-19.0), 4000.0));
            t.quiet(1500.0);
            let events = detect(&t.with_white(LINE_NOISE, rng_state).samples);
            let b = beeps(&events);
            tally.record(held_out_country(p), b.is_empty(), || {
                format!("{} {name}: beeps {b:?}", p.code)
            });
        }
    }
    tally.assert_rate("busy/congestion/dial after a greeting", 1.0);
}

/// Ringback made of a pair or an AM tone can never be a beep, even heard once after a
/// greeting (a single-frequency ringback burst followed by seconds of quiet cannot be
/// told from a beep until it repeats; see the beep module's documentation).
#[test]
fn compound_ringback_after_a_greeting_is_not_a_beep() {
    let mut tally = Tally::default();
    for (i, p) in TONE_PLANS.iter().enumerate() {
        let compound = p
            .ringback
            .sounding()
            .any(|s| s.sound.components().len() > 1);
        if !compound {
            continue;
        }
        let rng_state = 500 + i as u64;
        let mut t = Track::new();
        t.quiet(300.0);
        t.push(&signals::speech(3000.0, GREETING_PEAK, rng_state));
        t.quiet(300.0);
        t.push(&two_periods(&p.ringback));
        t.quiet(1000.0);
        let events = detect(&t.with_white(LINE_NOISE, rng_state).samples);
        let b = beeps(&events);
        tally.record(held_out_country(p), b.is_empty(), || {
            format!("{}: beeps {b:?}", p.code)
        });
    }
    tally.assert_rate("compound ringback after a greeting", 1.0);
}

// ---------------------------------------------------------------------------------------
// Beeps of every shape.
// ---------------------------------------------------------------------------------------

/// What follows the beep.
#[derive(Debug, Clone, Copy)]
enum Tail {
    Silence,
    Hiss,
    Hum,
    FaintNoise,
    /// The recording stops 50 ms after the beep.
    End,
}

const TAILS: [Tail; 5] = [
    Tail::Silence,
    Tail::Hiss,
    Tail::Hum,
    Tail::FaintNoise,
    Tail::End,
];
const FREQS: [f64; 8] = [350.0, 440.0, 697.0, 880.0, 1000.0, 1400.0, 1950.0, 2400.0];
const LEVELS_DB: [f64; 4] = [-30.0, -18.0, -8.0, -3.0];
const DURATIONS_MS: [f64; 5] = [80.0, 200.0, 500.0, 740.0, 1500.0];

/// The shapes, with whether each is held out of tuning.
fn shapes() -> Vec<(&'static str, BeepShape, bool)> {
    vec![
        ("steady", BeepShape::Steady, false),
        ("square", BeepShape::Square, false),
        (
            "decaying 30 dB",
            BeepShape::Decaying { decay_db: 30.0 },
            false,
        ),
        ("ding-dong", BeepShape::Sequence(&[660.0, 880.0]), false),
        (
            "two pips",
            BeepShape::Bursts {
                count: 2,
                gap_ms: 120.0,
            },
            false,
        ),
        ("clipped", BeepShape::Clipped, true),
        (
            "decaying 45 dB",
            BeepShape::Decaying { decay_db: 45.0 },
            true,
        ),
        (
            "warble 3 % 8 Hz",
            BeepShape::Warble {
                swing: 0.03,
                rate_hz: 8.0,
            },
            true,
        ),
        (
            "warble 5 % 5 Hz",
            BeepShape::Warble {
                swing: 0.05,
                rate_hz: 5.0,
            },
            true,
        ),
        (
            "three-note chime",
            BeepShape::Sequence(&[784.0, 988.0, 1175.0]),
            true,
        ),
        (
            "warble 7 % 16 Hz",
            BeepShape::Warble {
                swing: 0.07,
                rate_hz: 16.0,
            },
            false,
        ),
        (
            "warble 4 % 12 Hz",
            BeepShape::Warble {
                swing: 0.04,
                rate_hz: 12.0,
            },
            false,
        ),
        (
            "four pips 60 ms apart",
            BeepShape::Bursts {
                count: 4,
                gap_ms: 60.0,
            },
            true,
        ),
        (
            "three pips 280 ms apart",
            BeepShape::Bursts {
                count: 3,
                gap_ms: 280.0,
            },
            true,
        ),
        ("dual 1.4", BeepShape::Dual { ratio: 1.4 }, true),
    ]
}

fn beep_case(shape: BeepShape, k: usize) -> (Vec<f32>, f64, f64, f64, Tail) {
    beep_case_in(shape, k, &FREQS, &LEVELS_DB)
}

fn beep_case_in(
    shape: BeepShape,
    k: usize,
    freqs: &[f64],
    levels: &[f64],
) -> (Vec<f32>, f64, f64, f64, Tail) {
    let freq = freqs[k % freqs.len()];
    let level = levels[(k / 2) % levels.len()];
    let tail = TAILS[(k / 3) % TAILS.len()];
    let mut dur = DURATIONS_MS[(k * 3 + 1) % DURATIONS_MS.len()];
    match shape {
        BeepShape::Bursts { count, gap_ms } => {
            // Each pip 80–250 ms; the whole at most 2 s.
            dur = (dur / 3.0).clamp(80.0, 250.0);
            dur = dur.min((2000.0 - gap_ms * (count as f64 - 1.0)) / count as f64);
        }
        BeepShape::Sequence(notes) => dur = dur.max(80.0 * notes.len() as f64 * 1.5),
        // A bell is heard for as long as it rings within ~20 dB of its strike: 250 ms at
        // least for the decays here.
        BeepShape::Decaying { .. } => dur = dur.max(250.0),
        _ => {}
    }
    let freq = match shape {
        BeepShape::Dual { ratio } => freq.min(2500.0 / ratio),
        BeepShape::Warble { swing, .. } => {
            freq.clamp(300.0 / (1.0 - swing), 2500.0 / (1.0 + swing))
        }
        _ => freq,
    };
    (
        world::beep(shape, freq, dur, db(level)),
        freq,
        dur,
        level,
        tail,
    )
}

#[test]
fn beeps_of_every_shape_level_and_tail() {
    let mut tally = Tally::default();
    let mut per_shape = Vec::new();
    let mut errors = Vec::new();
    let mut worst = 1.0f64;
    for (name, shape, held_out) in shapes() {
        let mut found = 0;
        let cases = 20;
        for k in 0..cases {
            let rng_state = 600 + k as u64;
            let (b, freq, dur, level, tail) = beep_case(shape, k);
            let (ok, why, err) = run_beep_case(&b, tail, rng_state);
            errors.extend(err);
            found += ok as usize;
            tally.record(held_out, ok, || {
                format!("{name} {freq:.0} Hz {dur:.0} ms {level} dBFS, then {tail:?}: {why}")
            });
        }
        per_shape.push(format!("{name}: {found}/{cases}"));
        worst = worst.min(found as f64 / cases as f64);
    }
    println!("beep recall by shape: {}", per_shape.join(", "));
    if worst < 0.97 {
        println!("missed:\n  {}", tally.failures.join("\n  "));
    }
    assert_onset_errors("beep shapes", errors);
    assert!(
        worst >= 0.97,
        "a shape below 97 %: {}",
        per_shape.join(", ")
    );
    tally.assert_rate("beep shapes", 0.97);
}

/// Prints the onset errors' median and 95th percentile and asserts the targets (10 and
/// 30 ms).
fn assert_onset_errors(family: &str, mut errors: Vec<f64>) {
    errors.sort_by(f64::total_cmp);
    let at = |q: f64| errors[((errors.len() - 1) as f64 * q).round() as usize];
    let (median, p95) = (at(0.5), at(0.95));
    println!(
        "{family}: onset error median {median:.1} ms, p95 {p95:.1} ms, max {:.1} ms",
        at(1.0)
    );
    assert!(
        median <= 10.0 && p95 <= 30.0,
        "{family}: onset errors {median} / {p95} ms"
    );
}

/// Runs one beep after a greeting, followed by `tail`; returns whether it was found (a
/// machine, one beep, onset within 50 ms), what was seen, and the onset error in ms.
fn run_beep_case(b: &[f32], tail: Tail, rng_state: u64) -> (bool, String, Option<f64>) {
    let mut t = Track::new();
    t.quiet(300.0);
    t.push(&signals::speech(3000.0, GREETING_PEAK, rng_state));
    t.quiet(400.0);
    let (start, end) = t.push(b);
    let after = match tail {
        Tail::End => 50.0,
        _ => 1500.0,
    };
    let (q0, q1) = t.quiet(after);
    let mut audio = t.with_white(LINE_NOISE, rng_state).samples;
    let extra: Vec<f32> = match tail {
        Tail::Silence | Tail::End => Vec::new(),
        Tail::Hiss => signals::white(q1 - q0, db(-50.0), rng_state),
        Tail::Hum => world::hum(q1 - q0, db(-45.0)),
        Tail::FaintNoise => signals::pink(q1 - q0, db(-52.0), rng_state),
    };
    for (d, x) in audio[q0..q0 + extra.len()].iter_mut().zip(&extra) {
        *d += x;
    }
    let events = detect(&audio);
    let got = beeps(&events);
    let (v, _) = verdict(&events);
    let ok = v == Verdict::Machine
        && got.len() == 1
        && (got[0].start as f64 - start as f64).abs() <= 50.0 * PER_MS;
    let why = format!(
        "{v:?}, beeps {got:?} (want {start}..{end}); after the greeting: {:?}",
        events
            .iter()
            .filter(|e| match e {
                Event::SpeechStart { at } | Event::SpeechEnd { at } =>
                    *at as usize + ms(500.0) > start,
                Event::ToneStart { .. } | Event::ToneEnd { .. } => true,
                _ => false,
            })
            .collect::<Vec<_>>()
    );
    let err = ok.then(|| (got[0].start as f64 - start as f64).abs() / PER_MS);
    (ok, why, err)
}

/// A second, fresh held-out set, run once after the rules were final: shapes, pitches and
/// levels the families above do not use (a glide, a beep with a strong 2nd harmonic, a
/// descending chime, a slow deep warble, a decaying dual tone, five close pips is a
/// cadence so four at most), so the figure it prints is the honest generalisation one.
#[test]
fn beeps_never_looked_at_while_tuning() {
    const FRESH_FREQS: [f64; 6] = [523.0, 770.0, 1209.0, 1633.0, 2100.0, 2250.0];
    const FRESH_LEVELS: [f64; 3] = [-24.0, -12.0, -1.0];
    let shapes: [(&str, BeepShape); 6] = [
        (
            "descending chime",
            BeepShape::Sequence(&[1175.0, 988.0, 784.0]),
        ),
        (
            "slow deep warble",
            BeepShape::Warble {
                swing: 0.04,
                rate_hz: 3.0,
            },
        ),
        (
            "fast shallow warble",
            BeepShape::Warble {
                swing: 0.02,
                rate_hz: 12.0,
            },
        ),
        ("decaying 20 dB", BeepShape::Decaying { decay_db: 20.0 }),
        (
            "three pips 150 ms apart",
            BeepShape::Bursts {
                count: 3,
                gap_ms: 150.0,
            },
        ),
        ("dual 1.25", BeepShape::Dual { ratio: 1.25 }),
    ];
    let mut tally = Tally::default();
    let mut per_shape = Vec::new();
    let mut errors = Vec::new();
    for (name, shape) in shapes {
        let mut found = 0;
        let cases = 15;
        for k in 0..cases {
            let rng_state = 1600 + k as u64;
            let (b, freq, dur, level, tail) =
                beep_case_in(shape, k + 7, &FRESH_FREQS, &FRESH_LEVELS);
            let (ok, why, err) = run_beep_case(&b, tail, rng_state);
            errors.extend(err);
            found += ok as usize;
            tally.record(true, ok, || {
                format!("{name} {freq:.0} Hz {dur:.0} ms {level} dBFS, then {tail:?}: {why}")
            });
        }
        per_shape.push(format!("{name}: {found}/{cases}"));
    }
    println!(
        "fresh held-out beep recall by shape: {}",
        per_shape.join(", ")
    );
    assert_onset_errors("fresh held-out beeps", errors);
    tally.assert_rate("fresh held-out beeps", 0.97);
}

// ---------------------------------------------------------------------------------------
// Late beeps.
// ---------------------------------------------------------------------------------------

#[test]
fn a_beep_after_the_greeting_ended_by_silence_is_reported() {
    for (i, pause_ms) in [3500.0, 5000.0, 8000.0].into_iter().enumerate() {
        let rng_state = 700 + i as u64;
        let mut t = Track::new();
        t.quiet(300.0);
        t.push(&signals::speech(3000.0, GREETING_PEAK, rng_state));
        t.quiet(pause_ms);
        let (start, end) = t.push(&world::beep(BeepShape::Clipped, 1000.0, 300.0, db(-8.0)));
        t.quiet(1500.0);
        let events = detect(&t.with_white(LINE_NOISE, rng_state).samples);
        let ge = greeting_ends(&events);
        let b = beeps(&events);
        assert_eq!(ge.len(), 2, "pause {pause_ms}: {ge:?}");
        assert_eq!(ge[0].kind, GreetingEndKind::Silence, "{ge:?}");
        assert!((ge[0].at as usize) < start, "{ge:?}");
        assert_eq!(b.len(), 1, "pause {pause_ms}: {b:?}");
        assert!(
            (b[0].start as f64 - start as f64).abs() <= 10.0 * PER_MS,
            "{b:?} vs {start}"
        );
        assert_eq!(ge[1].kind, GreetingEndKind::Beep);
        assert_eq!(ge[1].at, b[0].end);
        assert!(
            (b[0].end as f64 - end as f64).abs() <= 15.0 * PER_MS,
            "{b:?} vs {end}"
        );
    }
}

#[test]
fn no_late_beep_past_the_window_or_when_turned_off() {
    let mut t = Track::new();
    t.quiet(300.0);
    t.push(&signals::speech(3000.0, GREETING_PEAK, 710));
    t.quiet(5000.0);
    t.push(&world::beep(BeepShape::Steady, 1000.0, 300.0, db(-8.0)));
    t.quiet(1500.0);
    let audio = t.with_white(LINE_NOISE, 710).samples;
    let mut det = Detector::new(Config {
        late_beep_ms: 0,
        ..Config::default()
    })
    .unwrap();
    let mut events = Vec::new();
    for c in audio.chunks(160) {
        events.extend_from_slice(det.process(c));
    }
    events.extend_from_slice(det.finish());
    assert!(beeps(&events).is_empty(), "{events:?}");
    assert_eq!(greeting_ends(&events).len(), 1);
    // Default window (10 s) but the beep comes 14 s after the silence end.
    let mut t = Track::new();
    t.quiet(300.0);
    t.push(&signals::speech(3000.0, GREETING_PEAK, 711));
    t.quiet(16_500.0);
    t.push(&world::beep(BeepShape::Steady, 1000.0, 300.0, db(-8.0)));
    t.quiet(1500.0);
    let events = detect(&t.with_white(LINE_NOISE, 711).samples);
    assert!(beeps(&events).is_empty(), "{events:?}");
}

// ---------------------------------------------------------------------------------------
// Fax as it sounds.
// ---------------------------------------------------------------------------------------

#[test]
fn answering_fax_is_fax_within_3_s_of_pickup() {
    let mut tally = Tally::default();
    let plans = ["us", "uk", "de", "jp", "in", "au"];
    for (i, code) in plans.iter().enumerate() {
        let p = ringside_dsp::tone_plan::tone_plan(code).unwrap();
        for (j, kind) in ["ced 2100", "ced 2094 short", "ansam", "v21 only"]
            .iter()
            .enumerate()
        {
            let rng_state = 800 + (i * 4 + j) as u64;
            let mut t = Track::new();
            let (_, pickup) = t.push(&two_periods(&p.ringback));
            t.quiet(1800.0);
            match *kind {
                "ced 2100" => {
                    t.push(&world::ced(3300.0, db(-12.0), 2100.0));
                }
                "ced 2094 short" => {
                    t.push(&world::ced(2600.0, db(-20.0), 2094.0));
                }
                "ansam" => {
                    t.push(&world::ansam(3300.0, db(-12.0)));
                }
                _ => {}
            }
            t.quiet(75.0);
            t.push(&world::v21_flags(1500.0, db(-12.0)));
            t.quiet(500.0);
            let events = detect(&t.with_white(LINE_NOISE, rng_state).samples);
            let (v, at) = verdict(&events);
            let after = (at as f64 - pickup as f64) / PER_MS;
            let ok = v == Verdict::Fax && after <= 3000.0 && first_speech(&events).is_none();
            // Rotate: the ANSam and V.21-only cases were held out of tuning.
            let held_out =
                *kind == "ansam" || *kind == "v21 only" || !TUNING_COUNTRIES.contains(code);
            tally.record(held_out, ok, || {
                format!(
                    "{code} {kind}: {v:?} {after:.0} ms after pickup, speech {:?}",
                    first_speech(&events)
                )
            });
        }
    }
    tally.assert_rate("answering fax", 1.0);
}

// ---------------------------------------------------------------------------------------
// People.
// ---------------------------------------------------------------------------------------

/// Room noise that starts at pickup, 30 dB below the voice, is not speech: the person's
/// "hello?" alone is judged, and quickly.
#[test]
fn room_noise_from_pickup_is_not_joined_to_the_words() {
    let mut tally = Tally::default();
    for (i, p) in TONE_PLANS.iter().enumerate().step_by(5) {
        for (j, lead_ms) in [300.0, 900.0, 1800.0].into_iter().enumerate() {
            let rng_state = 900 + (i * 3 + j) as u64;
            let mut t = Track::new();
            let (_, pickup) = t.push(&two_periods(&p.ringback));
            t.quiet(lead_ms);
            let (_, said) = t.push(&signals::speech_burst(700.0, GREETING_PEAK, rng_state));
            t.quiet(600.0);
            t.push(&signals::speech_burst(500.0, GREETING_PEAK, rng_state + 1));
            t.quiet(3000.0);
            let mut audio = t.with_white(LINE_NOISE, rng_state).samples;
            // Pink room noise from pickup on, 30 dB below the voice's level.
            let voice = signals::active_rms(&audio[said - ms(700.0)..said]);
            let room = signals::pink(audio.len() - pickup, voice * db(-30.0), rng_state);
            for (d, x) in audio[pickup..].iter_mut().zip(&room) {
                *d += x;
            }
            let events = detect(&audio);
            let (v, at) = verdict(&events);
            let last_words = said + ms(600.0 + 500.0);
            let latency = (at as f64 - last_words as f64) / PER_MS;
            let ok = v == Verdict::Human && latency <= 1000.0;
            // The longest lead was held out of tuning.
            tally.record(j == 2, ok, || {
                format!(
                    "{} lead {lead_ms} ms: {v:?} {latency:.0} ms after the words (pickup {pickup})",
                    p.code
                )
            });
        }
    }
    tally.assert_rate("room noise from pickup", 1.0);
}

/// "Hello? ... hello?" with music or a television in the room (20 dB below the voice,
/// from pickup on) is a person: the first "hello?" and its pause decide.
///
/// Known to fail on the music cases: a run no longer joins the two "hello?"s through the
/// room (a voice that stays 11 dB below its level for 1.2 s has paused), so no case is a
/// machine and the television cases pass; but music's attacks within 15 dB of the voice
/// still count as sound, so the pause after the second "hello?" does not end and the
/// human verdict comes only at the stream's end.
#[test]
#[ignore = "known failure: with music behind, the verdict is human but only at the stream's end"]
fn repeated_hello_with_music_or_tv_behind_is_a_person() {
    let mut tally = Tally::default();
    for k in 0..8u64 {
        let rng_state = 1000 + k;
        let mut t = Track::new();
        t.quiet(300.0);
        let (w0, said) = t.push(&signals::speech_burst(500.0, GREETING_PEAK, rng_state));
        t.quiet(1300.0);
        t.push(&signals::speech_burst(500.0, GREETING_PEAK, rng_state + 50));
        t.quiet(2500.0);
        let mut audio = t.with_white(LINE_NOISE, rng_state).samples;
        let voice = signals::active_rms(&audio[w0..said]);
        let room: Vec<f32> = if k % 2 == 0 {
            let notes = [392.0, 440.0, 523.3, 587.3, 659.3, 523.3, 440.0, 392.0];
            let mut m = Vec::new();
            while m.len() < audio.len() {
                m.extend(signals::music(&notes, 250.0, 1.0, k % 4 == 0));
            }
            m
        } else {
            signals::speech(audio.len() as f64 / PER_MS, 1.0, rng_state + 99)
        };
        let level = voice * db(-20.0) / signals::rms(&room[..audio.len()]).max(1e-9);
        for (d, x) in audio.iter_mut().zip(&room) {
            *d += x * level;
        }
        let events = detect(&audio);
        let (v, at) = verdict(&events);
        let latency = (at as f64 - said as f64) / PER_MS;
        let ok = v == Verdict::Human && latency <= 1500.0;
        tally.record(k >= 4, ok, || {
            format!(
                "{} behind, case {k}: {v:?} {latency:.0} ms after the first hello (words {w0}..{said}): {:?}",
                if k % 2 == 0 { "music" } else { "TV" },
                events.iter().filter(|e| matches!(e, Event::SpeechStart{..} | Event::SpeechEnd{..} | Event::Verdict(_))).collect::<Vec<_>>()
            )
        });
    }
    tally.assert_rate("repeated hello with music or TV", 1.0);
}
