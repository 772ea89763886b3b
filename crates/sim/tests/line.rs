//! The line keeps labels valid: band-pass, G.711 and the GSM-like channel move no sound
//! in time; every effect is written in `conditions`; stereo puts the far end on one
//! channel only.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;

/// Centre of energy of `x[a..b]` at `f` Hz, in samples (narrowband: demodulated and
/// smoothed over one period).
fn centre(x: &[f64], f: f64, rate: u32, a: usize, b: usize) -> f64 {
    let w = (f64::from(rate) / f).round() as usize;
    let z = demodulate(x, f, rate);
    let mut num = 0.0;
    let mut den = 0.0;
    for n in a..b - w {
        let (re, im) = z[n..n + w]
            .iter()
            .fold((0.0, 0.0), |(r, i), (zr, zi)| (r + zr, i + zi));
        let e = re * re + im * im;
        num += (n as f64 + (w as f64 - 1.0) / 2.0) * e;
        den += e;
    }
    num / den
}

#[test]
fn filters_and_codecs_do_not_move_the_beep() {
    let lib = library();
    let dir = scratch("line_zero_delay");
    for (i, line) in [
        r#"{"bandpass": true}"#,
        r#"{"codec": "ulaw"}"#,
        r#"{"codec": "alaw", "bandpass": true}"#,
        r#"{"gsm": {"dropout_pct": 0}}"#,
        r#"{"gain_db": -12, "clip_pct": 60, "dc": 0.01}"#,
    ]
    .iter()
    .enumerate()
    {
        for rate in [8000, 16000] {
            let json = format!(
                r#"{{"answer": {{"kind": "voicemail", "gap_s": 1, "beep": {{"freq_hz": 1000, "duration_s": 0.4}}, "after": {{"duration_s": 1}}}}, "line": {line}, "output": {{"rate_hz": {rate}}}}}"#
            );
            let (call, x, r) = render_and_read(&json, 2, &lib, &dir, &format!("l{i}_{rate}"));
            let l = &call.labels;
            let (at, end) = (
                l.beep_at.unwrap() * f64::from(r),
                l.beep_end.unwrap() * f64::from(r),
            );
            let pad = (0.3 * f64::from(r)) as usize;
            let c = centre(&x, 1000.0, r, at as usize - pad, end as usize + pad);
            let want = (at + end - 1.0) / 2.0;
            assert!(
                (c - want).abs() < 2.0,
                "{line} at {rate} Hz: centre {c} vs {want}"
            );
            assert_ne!(l.conditions, "clean", "{line}");
        }
    }
}

#[test]
fn every_effect_is_listed_in_conditions() {
    let lib = library();
    let json = r#"{"before": {"kind": "ringback", "country": "de"},
        "answer": {"kind": "voicemail", "beep": {}},
        "line": {"echo": {"delay_ms": 100, "level_db": -20}, "bandpass": true, "gsm": {"dropout_pct": 3},
                 "gain_db": -6, "noise": "pink", "snr_db": 20, "clip_pct": 80, "dc": 0.012, "codec": "ulaw"},
        "output": {"rate_hz": 16000, "channels": 2, "far_channel": "right"}}"#;
    let call = recipe(json).draw(4).render(&lib).unwrap();
    assert_eq!(
        call.labels.conditions,
        "ringback_de_pre;echo100ms-20dB;bp300-3400;gsm_dropouts3.0%;gain-6dB;pink_noise_snr20dB;clip@80%peak;dc+0.012;ulaw;rate16000;stereo_right"
    );
    let clean = recipe(r#"{"answer": {"kind": "voicemail"}}"#)
        .draw(4)
        .render(&lib)
        .unwrap();
    assert_eq!(clean.labels.conditions, "clean");
}

#[test]
fn stereo_puts_the_far_end_on_one_channel() {
    let lib = library();
    let dir = scratch("line_stereo");
    for (side, right) in [("left", false), ("right", true)] {
        let json = format!(
            r#"{{"answer": {{"kind": "voicemail", "beep": {{}}}}, "output": {{"channels": 2, "far_channel": "{side}", "rate_hz": 48000}}}}"#
        );
        let (call, far, rate) = render_and_read(&json, 1, &lib, &dir, side);
        assert_eq!(rate, 48_000);
        let (other, _) = read_far(&dir.join(format!("{side}.wav")), !right);
        assert!(far.iter().any(|v| *v != 0.0));
        assert!(
            other.iter().all(|v| *v == 0.0),
            "{side}: the other channel is silent"
        );
        assert_eq!(far.len(), call.samples.len());
    }
}

#[test]
fn noise_is_at_the_asked_snr() {
    let lib = library();
    let dir = scratch("line_snr");
    for snr in [10.0, 20.0, 30.0] {
        let json = format!(
            r#"{{"speech_db": -20, "answer": {{"kind": "silence", "duration_s": 5}}, "line": {{"noise": "white", "snr_db": {snr}}}}}"#
        );
        let (_, x, _) = render_and_read(&json, 1, &lib, &dir, &format!("snr{snr}"));
        let rms = (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt();
        let db = 20.0 * rms.log10();
        assert!(
            (db - (-20.0 - snr)).abs() < 0.5,
            "SNR {snr}: noise at {db} dBFS"
        );
    }
}
