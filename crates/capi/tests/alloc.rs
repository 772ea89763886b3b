//! A C caller's loop allocates nothing: `_process_i16` and `_next_event` on a whole
//! recording, in 20 ms frames, make no allocation once the detector exists; and what
//! `_new` allocates is the size the header states.
#![allow(clippy::unwrap_used)]
// A counting global allocator and calls into the C interface both need `unsafe`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

use ringside::*;

/// Forwards to the system allocator, counting what the measured thread asks for.
struct Counting;

thread_local! {
    /// On only around the measured calls, on the test's own thread (the harness's threads
    /// allocate too). A `const` thread-local `Cell` needs no allocation to read.
    static ON: Cell<bool> = const { Cell::new(false) };
}
static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

fn note(bytes: usize) {
    if ON.with(Cell::get) {
        CALLS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(bytes, Ordering::Relaxed);
    }
}

// SAFETY: each method passes its arguments to `System` unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) }
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        note(size);
        unsafe { System.realloc(p, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns what it allocated: (calls, bytes).
fn measure(f: impl FnOnce()) -> (usize, usize) {
    CALLS.store(0, Ordering::SeqCst);
    BYTES.store(0, Ordering::SeqCst);
    ON.with(|on| on.set(true));
    f();
    ON.with(|on| on.set(false));
    (CALLS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst))
}

#[test]
fn the_callers_loop_allocates_nothing() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/machine_beep.wav"
    );
    let pcm: Vec<i16> = hound::WavReader::open(path)
        .unwrap()
        .into_samples()
        .collect::<Result<_, _>>()
        .unwrap();

    // The first detector of a process also builds the tables all detectors share (FFT
    // plans, probe tables); measure the second.
    // SAFETY: NULL config (the defaults) and NULL error are allowed; freed once.
    unsafe { ringside_detector_free(ringside_detector_new(ptr::null(), 8000, ptr::null_mut())) };
    let mut det = ptr::null_mut();
    let (_, state_bytes) = measure(|| {
        // SAFETY: NULL config (the defaults) and NULL error are allowed.
        det = unsafe { ringside_detector_new(ptr::null(), 8000, ptr::null_mut()) };
    });
    assert!(!det.is_null());
    eprintln!("ringside_detector_new allocated {state_bytes} bytes");
    // The header says "about 21 KiB": the detector, its event queue, its conversion buffer.
    assert!(
        (18_000..24_000).contains(&state_bytes),
        "{state_bytes} bytes"
    );

    let mut kinds = Vec::with_capacity(256);
    let (calls, bytes) = measure(|| {
        let mut event = std::mem::MaybeUninit::<RingsideEvent>::uninit();
        for frame in pcm.chunks(160) {
            // SAFETY: a live detector, a live slice, a writable event.
            unsafe {
                assert_eq!(
                    ringside_detector_process_i16(det, frame.as_ptr(), frame.len()),
                    RingsideStatus::Ok
                );
                while ringside_detector_next_event(det, event.as_mut_ptr()) {
                    kinds.push(event.assume_init().kind);
                }
            }
        }
        // SAFETY: as above.
        unsafe {
            assert_eq!(ringside_detector_finish(det), RingsideStatus::Ok);
            while ringside_detector_next_event(det, event.as_mut_ptr()) {
                kinds.push(event.assume_init().kind);
            }
        }
    });
    assert_eq!((calls, bytes), (0, 0), "allocations in the caller's loop");
    // The loop did the work: the greeting, the verdict and the beep came through.
    assert!(kinds.contains(&RingsideEventKind::Verdict), "{kinds:?}");
    assert!(kinds.contains(&RingsideEventKind::Beep), "{kinds:?}");
    assert!(kinds.len() > 10, "{kinds:?}");
    // SAFETY: made above, freed once.
    unsafe { ringside_detector_free(det) };
}
