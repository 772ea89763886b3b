//! Fax tones in real order and shape, measured on the written file: CED or ANSam at
//! 2100 Hz (ANSam with its 15 Hz AM and a phase reversal every 450 ms), then after a short
//! silence the V.21 HDLC flags between 1650 and 1850 Hz; CNG's 1100 Hz cadence.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ringside_sim::Label;

fn phase_at(x: &[f64], f: f64, rate: u32, a: usize, b: usize) -> f64 {
    // The window is demodulated from its own first sample; both windows compared are
    // referred back to sample 0 by adding the carrier's phase advance.
    let z = demodulate(&x[a..b], f, rate);
    let (re, im) = z
        .iter()
        .fold((0.0, 0.0), |(r, i), (zr, zi)| (r + zr, i + zi));
    im.atan2(re) + std::f64::consts::TAU * f * a as f64 / f64::from(rate)
}

#[test]
fn ansam_then_v21_flags() {
    let lib = library();
    let dir = scratch("fax_ansam");
    let json = r#"{"answer": {"kind": "fax", "sequence": "ansam_v21", "lead_s": 0.5, "ced_s": 3.0, "v21_s": 1.0}}"#;
    let (call, x, rate) = render_and_read(json, 1, &lib, &dir, "ansam");
    assert_eq!(call.labels.label, Label::Fax);
    assert_eq!(call.labels.beep_at, None);
    let r = f64::from(rate);
    let (on, _) = tone_span(&x, 2100.0, rate, 0).unwrap();
    assert_eq!(on, (0.5 * r) as usize);
    let off = on + (3.0 * r) as usize;
    assert!(x[off - 1] != 0.0 || x[off - 2] != 0.0, "ANSam lasts 3 s");
    // Phase reversals: the 2100 Hz phase differs by π across each 450 ms boundary.
    let win = (0.1 * r) as usize;
    for k in 1..6 {
        let edge = on + (0.45 * r * k as f64).round() as usize;
        let before = phase_at(&x, 2100.0, rate, edge - win - 40, edge - 40);
        let after = phase_at(&x, 2100.0, rate, edge + 40, edge + 40 + win);
        let mut d = (after - before).abs() % std::f64::consts::TAU;
        if d > std::f64::consts::PI {
            d = std::f64::consts::TAU - d;
        }
        assert!((d - std::f64::consts::PI).abs() < 0.3, "reversal {k}: {d}");
    }
    // 15 Hz AM: the 2100 Hz envelope over 10 ms windows swings by about ±20 %.
    let env: Vec<f64> = (0..60)
        .map(|i| {
            let a = on + (0.05 * r) as usize + i * (0.005 * r) as usize;
            level_at(&x, 2100.0, rate, a, a + (0.01 * r) as usize)
        })
        .collect();
    let (lo, hi) = env
        .iter()
        .fold((f64::MAX, 0.0f64), |(l, h), v| (l.min(*v), h.max(*v)));
    assert!(hi / lo > 1.3 && hi / lo < 1.8, "AM swing {lo}..{hi}");
    // Then the V.21 flags after a gap: energy at 1650 and 1850 Hz, none at 2100 Hz.
    let v21 = off + (0.075 * r) as usize;
    assert!(
        x[off..v21].iter().all(|v| *v == 0.0),
        "silence between ANSam and V.21"
    );
    // FSK is not coherent over long spans: average the level over 20 ms windows.
    let win = (0.02 * r) as usize;
    let avg = |f: f64| {
        (0..30)
            .map(|i| {
                let a = v21 + i * win;
                level_at(&x, f, rate, a, a + win)
            })
            .sum::<f64>()
            / 30.0
    };
    let (mark, space, ced) = (avg(1650.0), avg(1850.0), avg(2100.0));
    assert!(
        mark > 0.05 && space > 0.01 && ced < 0.1 * mark,
        "{mark} {space} {ced}"
    );
    // Flags are mostly ones (six of eight bits): more mark than space.
    assert!(mark > space, "{mark} vs {space}");
}

#[test]
fn cng_cadence_and_ced_length() {
    let lib = library();
    let dir = scratch("fax_cng");
    let (_, x, rate) = render_and_read(
        r#"{"answer": {"kind": "fax", "sequence": "cng", "cng_count": 3, "lead_s": 0}}"#,
        1,
        &lib,
        &dir,
        "cng",
    );
    let r = f64::from(rate);
    for k in 0..3 {
        let from = (k as f64 * 3.5 * r) as usize;
        let (on, off) = tone_span(&x[..from + (0.6 * r) as usize], 1100.0, rate, from).unwrap();
        assert_eq!((on, off - on), (from, (0.5 * r) as usize), "CNG {k}");
    }
    let (_, x, rate) = render_and_read(
        r#"{"answer": {"kind": "fax", "sequence": "ced", "ced_s": 3.2, "lead_s": 0.25}}"#,
        1,
        &lib,
        &dir,
        "ced",
    );
    let (on, off) = tone_span(&x, 2100.0, rate, 0).unwrap();
    assert_eq!((on, off - on), (2000, 25_600));
    assert!(
        x[off..].iter().all(|v| *v == 0.0),
        "CED alone, then silence"
    );
}
