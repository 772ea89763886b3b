//! Fax and modem answer tones, in the order a real answering fax sends them.
//!
//! - CNG (T.30): the calling fax's 1100 Hz, 0.5 s on / 3 s off.
//! - CED (T.30): the answering fax's 2100 Hz for 2.6-4 s.
//! - ANSam (V.8 / V.25): 2100 Hz amplitude-modulated at 15 Hz (±20 %), its phase reversed
//!   every 450 ms.
//! - V.21 channel 2 HDLC flags (T.30 preamble): bytes 0x7E at 300 bit/s, FSK with mark
//!   (1) at 1650 Hz and space (0) at 1850 Hz, continuous phase.
//!
//! An answering fax plays CED (or ANSam), about 75 ms of silence, then the V.21 preamble.

use std::f64::consts::{PI, TAU};

/// CED or plain 2100 Hz for `secs`.
pub fn ced(secs: f64, rate: u32, amp: f64) -> Vec<f32> {
    let r = f64::from(rate);
    let n = (secs * r) as usize;
    (0..n)
        .map(|i| (amp * (TAU * 2100.0 * i as f64 / r + 1.0).sin()) as f32)
        .collect()
}

/// ANSam for `secs`: 15 Hz AM of ±20 % and a phase reversal every 450 ms.
pub fn ansam(secs: f64, rate: u32, amp: f64) -> Vec<f32> {
    let r = f64::from(rate);
    let n = (secs * r) as usize;
    let reversal = (0.45 * r).round() as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 / r;
            let flips = (i / reversal.max(1)) % 2;
            let phase = if flips == 1 { PI } else { 0.0 };
            let env = (1.0 + 0.2 * (TAU * 15.0 * t).sin()) / 1.2;
            (amp * env * (TAU * 2100.0 * t + 1.0 + phase).sin()) as f32
        })
        .collect()
}

/// `count` CNG tones (1100 Hz, 0.5 s), each followed by 3 s of silence except the last.
pub fn cng(count: u32, rate: u32, amp: f64) -> Vec<f32> {
    let r = f64::from(rate);
    let on = (0.5 * r) as usize;
    let off = (3.0 * r) as usize;
    let mut out = Vec::new();
    for k in 0..count {
        if k > 0 {
            out.extend(std::iter::repeat_n(0.0, off));
        }
        out.extend((0..on).map(|i| (amp * (TAU * 1100.0 * i as f64 / r + 1.0).sin()) as f32));
    }
    out
}

/// HDLC flags (0x7E) as V.21 channel-2 FSK for at least `secs`, whole bytes.
pub fn v21_flags(secs: f64, rate: u32, amp: f64) -> Vec<f32> {
    let r = f64::from(rate);
    let bits = ((secs * 300.0).ceil() as usize).div_ceil(8) * 8;
    let mut phase: f64 = 1.0;
    let mut out = Vec::new();
    for k in 0..bits {
        // 0x7E sent least significant bit first: 0 1 1 1 1 1 1 0.
        let bit = (0x7Eu8 >> (k % 8)) & 1;
        let f = if bit == 1 { 1650.0 } else { 1850.0 };
        let end = ((k + 1) as f64 * r / 300.0).round() as usize;
        while out.len() < end {
            out.push((amp * phase.sin()) as f32);
            phase += TAU * f / r;
        }
    }
    out
}
