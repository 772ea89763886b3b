//! Ringback, busy and congestion of every country in the table, measured on the written
//! file: each on/off step lasts what the table says, and the sound is at the table's
//! frequencies.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ringside_dsp::tone_plan::{Cadence, Sound, TONE_PLANS};

/// Maximal runs of non-zero samples, bridging zero runs shorter than `bridge` (a tone's
/// own zero crossings), as `[start, end)`.
fn runs(x: &[f64], bridge: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, v) in x.iter().enumerate() {
        if *v == 0.0 {
            continue;
        }
        match out.last_mut() {
            Some((_, e)) if i - *e < bridge => *e = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

fn ms_to_samples(ms: u32, rate: u32) -> i64 {
    (f64::from(ms) * f64::from(rate) / 1000.0).round() as i64
}

/// Checks on-runs of `x` against `cadence` repeated; returns how many were checked.
fn check_cadence(x: &[f64], cadence: &Cadence, rate: u32, what: &str) -> usize {
    let Cadence::Repeating(steps) = cadence else {
        return 0;
    };
    let sounding: Vec<_> = steps.iter().filter(|s| !s.sound.is_silence()).collect();
    let found = runs(x, 8);
    assert!(!found.is_empty(), "{what}: no tone");
    let mut checked = 0;
    // Every on-run except a possibly cut last one matches the sounding steps in order,
    // and the gap after it matches the silent step that follows in the table.
    for (k, &(s, e)) in found.iter().enumerate() {
        let step = sounding[k % sounding.len()];
        let len = (e - s) as i64;
        let want = ms_to_samples(step.ms, rate);
        if k + 1 == found.len() && len < want {
            continue;
        }
        assert!(
            (len - want).abs() <= 2,
            "{what}: run {k} lasts {len}, table {want}"
        );
        let mid = (s + e) / 2;
        let half = (0.04 * f64::from(rate)) as usize;
        let (a, b) = (mid - half, mid + half);
        let comps = step.sound.components();
        for &f in &comps {
            let lvl = level_at(x, f64::from(f), rate, a, b);
            let total = (x[a..b].iter().map(|v| v * v).sum::<f64>() / (b - a) as f64).sqrt();
            // Each component carries a fair share of the energy.
            let share = match step.sound {
                Sound::Modulated { carrier, .. } if (f - carrier).abs() > 0.5 => 0.15,
                _ => 0.4 / comps.len() as f64,
            };
            assert!(
                lvl / std::f64::consts::SQRT_2 > share * total,
                "{what}: {f} Hz at {lvl} of rms {total}"
            );
        }
        let strongest = comps
            .iter()
            .map(|&f| level_at(x, f64::from(f), rate, a, b))
            .fold(0.0, f64::max);
        let top = comps.iter().fold(0.0f32, |m, &f| m.max(f));
        let off_table = f64::from(top) + 137.0;
        assert!(
            level_at(x, off_table, rate, a, b) < 0.05 * strongest,
            "{what}: energy off the table's frequencies"
        );
        if let Some(&(next, _)) = found.get(k + 1) {
            let gap = (next - e) as i64;
            let pos = steps.iter().position(|st| std::ptr::eq(st, step)).unwrap();
            let off = steps[(pos + 1) % steps.len()];
            assert!(off.sound.is_silence(), "{what}: table step after a tone");
            assert!(
                (gap - ms_to_samples(off.ms, rate)).abs() <= 2,
                "{what}: gap {gap} after run {k}"
            );
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_countrys_ringback_busy_and_congestion_match_the_table() {
    let lib = library();
    let dir = scratch("ringback_table");
    for plan in TONE_PLANS {
        for rate in [8000u32, 16000] {
            let json = format!(
                r#"{{"before": {{"kind": "ringback", "country": "{}", "rings": 3}}, "answer": {{"kind": "silence"}}, "output": {{"rate_hz": {rate}}}}}"#,
                plan.code
            );
            let (_, x, r) =
                render_and_read(&json, 5, &lib, &dir, &format!("rb_{}_{rate}", plan.code));
            assert_eq!(r, rate);
            let n = check_cadence(&x, &plan.ringback, rate, &format!("{} ringback", plan.code));
            assert!(n >= 2, "{}: {n} rings checked", plan.code);
            for kind in ["busy", "congestion"] {
                let json = format!(
                    r#"{{"before": {{"kind": "{kind}", "country": "{}", "duration_s": 3}}, "answer": {{"kind": "silence"}}, "output": {{"rate_hz": {rate}}}}}"#,
                    plan.code
                );
                let (call, x, _) = render_and_read(
                    &json,
                    5,
                    &lib,
                    &dir,
                    &format!("{kind}_{}_{rate}", plan.code),
                );
                assert_eq!(call.labels.label, ringside_sim::Label::Silence);
                let c = if kind == "busy" {
                    &plan.busy
                } else {
                    &plan.congestion
                };
                check_cadence(&x, c, rate, &format!("{} {kind}", plan.code));
            }
        }
    }
}

#[test]
fn rings_count_is_honoured() {
    let lib = library();
    let dir = scratch("ring_count");
    for rings in 1..=4u32 {
        let json = format!(
            r#"{{"before": {{"kind": "ringback", "country": "us", "rings": {rings}}}, "answer": {{"kind": "silence"}}}}"#
        );
        let (call, x, _) = render_and_read(&json, 9, &lib, &dir, &format!("us_{rings}"));
        assert_eq!(runs(&x, 8).len(), rings as usize);
        assert!(call.labels.conditions.contains("ringback_us_pre"));
    }
}
