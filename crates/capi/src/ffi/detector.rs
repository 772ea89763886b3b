//! A detector's life: `ringside_detector_new`, `_process_i16` / `_process_f32`,
//! `_next_event`, `_finish`, `_reset`, `_free`.

use crate::config::RingsideConfig;
use crate::event::RingsideEvent;
use crate::handle::RingsideDetector;
use crate::status::{Failure, RingsideError, RingsideStatus};

use super::{guard, report, slice_from, with_detector};

/// Creates a detector for one stream of mono audio at `sample_rate_hz` (8000 or 16000).
///
/// `config` may be NULL for the defaults. Returns NULL on failure, with the code, the
/// field at fault and a message in `*error` when `error` is not NULL (on success it is
/// cleared). All of the detector's memory is allocated here (about 21 KiB: the detector's
/// state, its event queue and a conversion buffer); free it with `ringside_detector_free`.
///
/// # Safety
/// `config` is NULL or points to a readable `ringside_config`; `error` is NULL or points
/// to writable memory for one `ringside_error`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_new(
    config: *const RingsideConfig,
    sample_rate_hz: u32,
    error: *mut RingsideError,
) -> *mut RingsideDetector {
    let built = guard(Err(Failure::code(RingsideStatus::Internal)), || {
        // SAFETY: the caller guarantees `config` is NULL or readable; `as_ref` checks for
        // NULL.
        let config = unsafe { config.as_ref() }.copied().unwrap_or_default();
        RingsideDetector::new(config.to_dsp(sample_rate_hz)?)
    });
    let (pointer, result) = match built {
        Ok(det) => (Box::into_raw(Box::new(det)), Ok(())),
        Err(f) => (std::ptr::null_mut(), Err(f)),
    };
    // SAFETY: the caller guarantees `error` is NULL or writable.
    unsafe { report(error, &result) };
    pointer
}

/// Frees a detector and any events not yet read. NULL is ignored.
///
/// # Safety
/// `det` is NULL or a pointer returned by `ringside_detector_new`, not freed before and
/// not used by any thread after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_free(det: *mut RingsideDetector) {
    if det.is_null() {
        return;
    }
    guard((), || {
        // SAFETY: the caller guarantees `det` came from `Box::into_raw` in
        // `ringside_detector_new` and is given up here.
        drop(unsafe { Box::from_raw(det) });
    });
}

/// Starts a new stream with the same settings and rate, as if just created: pending
/// events are dropped and sample offsets start again at 0. Also makes a detector usable
/// again after `RINGSIDE_STATUS_INTERNAL`. Allocates, like `ringside_detector_new`.
///
/// # Safety
/// `det` is NULL or a live detector that no other thread uses during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_reset(det: *mut RingsideDetector) -> RingsideStatus {
    // SAFETY: forwarded from the caller.
    unsafe { with_detector(det, RingsideDetector::reset) }
}

/// Feeds `n` 16-bit samples (mono, at the detector's rate; any `n`, chunks of any size),
/// and queues the events they complete for `ringside_detector_next_event`. `samples`
/// may be NULL when `n` is 0. Allocates nothing as long as the events are drained after
/// each chunk of up to 100 ms.
///
/// # Safety
/// `det` is NULL or a live detector that no other thread uses during the call; when `n`
/// is not 0, `samples` is NULL or points to `n` readable `int16_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_process_i16(
    det: *mut RingsideDetector,
    samples: *const i16,
    n: usize,
) -> RingsideStatus {
    // SAFETY: forwarded from the caller.
    unsafe { with_detector(det, |d| d.process_i16(slice_from(samples, n)?)) }
}

/// Feeds `n` float samples (mono, full scale ±1.0, at the detector's rate); otherwise as
/// `ringside_detector_process_i16`. Non-finite samples are taken as silence.
///
/// # Safety
/// `det` is NULL or a live detector that no other thread uses during the call; when `n`
/// is not 0, `samples` is NULL or points to `n` readable `float`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_process_f32(
    det: *mut RingsideDetector,
    samples: *const f32,
    n: usize,
) -> RingsideStatus {
    // SAFETY: forwarded from the caller.
    unsafe { with_detector(det, |d| d.process_f32(slice_from(samples, n)?)) }
}

/// Ends the stream: the audio held back for the current 10 ms is analysed and the last
/// events queued. By the time it returns, a verdict event has been queued (now or
/// before). Audio given afterwards is refused (`RINGSIDE_STATUS_FINISHED`) until
/// `ringside_detector_reset`; events already queued can still be read.
///
/// # Safety
/// `det` is NULL or a live detector that no other thread uses during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_finish(det: *mut RingsideDetector) -> RingsideStatus {
    // SAFETY: forwarded from the caller.
    unsafe { with_detector(det, RingsideDetector::finish) }
}

/// Moves the oldest event not yet read into `*event` and returns true; returns false
/// (and leaves `*event` alone) when there is none, or when `det` or `event` is NULL.
/// Events come in the order the detector found them; call it until it returns false
/// after every `process` and after `finish`.
///
/// # Safety
/// `det` is NULL or a live detector that no other thread uses during the call; `event`
/// is NULL or points to writable memory for one `ringside_event`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_next_event(
    det: *mut RingsideDetector,
    event: *mut RingsideEvent,
) -> bool {
    if event.is_null() {
        return false;
    }
    let mut next = None;
    // SAFETY: forwarded from the caller.
    let status = unsafe {
        with_detector(det, |d| {
            next = d.next_event().map(|e| RingsideEvent::from(&e));
            Ok(())
        })
    };
    match next {
        Some(e) if status == RingsideStatus::Ok => {
            // SAFETY: not NULL, and the caller guarantees it is valid for a write; `write`
            // reads nothing there, so the memory may be uninitialised.
            unsafe { event.write(e) };
            true
        }
        _ => false,
    }
}

/// The sample rate the detector was created for, Hz; 0 when `det` is NULL.
///
/// # Safety
/// `det` is NULL or a live detector that no other thread is changing during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_detector_sample_rate(det: *const RingsideDetector) -> u32 {
    // SAFETY: the caller guarantees `det` is NULL or live; `as_ref` checks for NULL.
    unsafe { det.as_ref() }.map_or(0, RingsideDetector::sample_rate)
}
