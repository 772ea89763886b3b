//! The detector allocates nothing per frame, and its whole state is small.
//!
//! A counting global allocator wraps the system one; the tests construct a detector, then
//! stream a varied signal through it (speech-like bursts, a beep, DTMF, noise) and count
//! allocations made while processing. Construction itself is measured to give the per-call
//! state size (heap plus the struct).
#![allow(clippy::unwrap_used)]
// A global allocator can only be written with `unsafe`: this test file is the one place the
// workspace allows it (the crates themselves `forbid` it). It forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use ringside_dsp::{Config, Detector, Event};

struct Counting;

thread_local! {
    /// Set on the thread under measurement only: the test harness's own threads allocate
    /// too (collecting results, printing), and must not count against the detector. A
    /// `const` thread-local of a `Cell` needs no allocation to read.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to the system allocator with the caller's arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The tests share the counters: run them one after the other.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn counted<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    ALLOCS.store(0, Ordering::SeqCst);
    BYTES.store(0, Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (
        out,
        ALLOCS.load(Ordering::SeqCst),
        BYTES.load(Ordering::SeqCst),
    )
}

/// 12 s of varied audio at 8 kHz: noise, a speech-like greeting (buzz bursts), DTMF, a beep.
fn varied_signal() -> Vec<f32> {
    let mut rng_state = 7u32;
    let mut noise = move || {
        rng_state = rng_state
            .wrapping_mul(1_664_525)
            .wrapping_add(1_013_904_223);
        (rng_state >> 8) as f32 / (1u32 << 24) as f32 - 0.5
    };
    let tau = std::f32::consts::TAU;
    (0..96_000)
        .map(|n| {
            let t = n as f32 / 8000.0;
            let mut x = 0.003 * noise();
            if (0.5..4.5).contains(&t) && (t * 4.0).fract() < 0.7 {
                let f0 = 120.0 + 15.0 * (t * 3.0).sin();
                for h in 1..20 {
                    x += 0.02 / h as f32 * (tau * f0 * h as f32 * t).sin();
                }
            }
            if (5.0..5.1).contains(&t) {
                x += 0.1 * ((tau * 770.0 * t).sin() + (tau * 1336.0 * t).sin());
            }
            if (5.6..6.0).contains(&t) {
                x += 0.2 * (tau * 1000.0 * t).sin();
            }
            x
        })
        .collect()
}

#[test]
fn processing_allocates_nothing() {
    let _guard = SERIAL.lock().unwrap();
    let signal = varied_signal();
    for chunk in [1usize, 80, 160, 800] {
        let mut det = Detector::new(Config::default()).unwrap();
        let ((events, verdicts), allocs, _) = counted(|| {
            let mut events = 0usize;
            let mut verdicts = 0usize;
            for c in signal.chunks(chunk) {
                for e in det.process(c) {
                    events += 1;
                    verdicts += usize::from(matches!(e, Event::Verdict(_)));
                }
            }
            for e in det.finish() {
                events += 1;
                verdicts += usize::from(matches!(e, Event::Verdict(_)));
            }
            (events, verdicts)
        });
        assert_eq!(allocs, 0, "{allocs} allocations with chunks of {chunk}");
        assert!(
            events > 4,
            "the signal exercised the detector ({events} events)"
        );
        assert_eq!(verdicts, 1);
    }
}

#[test]
fn state_per_call_is_at_most_16_kib() {
    let _guard = SERIAL.lock().unwrap();
    // The first detector also builds the process-wide FFT plans; measure a second one.
    let warm = Detector::new(Config::default()).unwrap();
    let (det, _, heap) = counted(|| Detector::new(Config::default()).unwrap());
    drop(warm);
    let total = heap + std::mem::size_of::<Detector>();
    println!(
        "detector state: {total} bytes ({heap} heap + {} inline)",
        std::mem::size_of::<Detector>()
    );
    assert!(total <= 16 * 1024, "detector state {total} bytes");
    drop(det);
}
