//! The `extern "C"` functions, and the few helpers that turn C pointers into Rust
//! references. Every `unsafe` block of the crate is in this module tree.
//!
//! Rules every function follows:
//! - a NULL pointer is reported (`RINGSIDE_STATUS_NULL_ARGUMENT`, or `false`/NULL where
//!   the function returns no status), never dereferenced;
//! - the body runs under [`std::panic::catch_unwind`]: a panic (a bug) becomes
//!   `RINGSIDE_STATUS_INTERNAL` and marks the detector unusable until reset, and never
//!   unwinds into C.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::handle::RingsideDetector;
use crate::status::{Failure, RingsideError, RingsideStatus};

pub mod config;
pub mod detector;
pub mod names;

/// Runs `f`, turning a panic into `on_panic`.
fn guard<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: after a panic nothing `f` touched is used again, except a
    // detector, which `with_detector` marks broken.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// The status of a result.
fn status_of(result: Result<(), Failure>) -> RingsideStatus {
    match result {
        Ok(()) => RingsideStatus::Ok,
        Err(f) => f.status,
    }
}

/// Runs `f` on the detector behind `det`; NULL and panics become status codes, and a
/// panic leaves the detector marked broken.
///
/// # Safety
/// `det` is NULL or a pointer returned by `ringside_detector_new` and not yet freed, used
/// by no other thread during the call.
unsafe fn with_detector(
    det: *mut RingsideDetector,
    f: impl FnOnce(&mut RingsideDetector) -> Result<(), Failure>,
) -> RingsideStatus {
    // SAFETY: the caller guarantees `det` is NULL or a live detector no other thread is
    // using; `as_mut` checks for NULL.
    let Some(handle) = (unsafe { det.as_mut() }) else {
        return RingsideStatus::NullArgument;
    };
    match catch_unwind(AssertUnwindSafe(|| f(&mut *handle))) {
        Ok(result) => status_of(result),
        Err(_) => {
            handle.mark_broken();
            RingsideStatus::Internal
        }
    }
}

/// The `n` samples at `ptr` as a slice; an empty slice when `n` is 0, whatever `ptr`.
///
/// # Safety
/// When `n > 0` and `ptr` is not NULL, `ptr` points to `n` initialised values of `T` that
/// nothing writes during the call.
unsafe fn slice_from<'a, T>(ptr: *const T, n: usize) -> Result<&'a [T], Failure> {
    if n == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null("samples"));
    }
    if !ptr.is_aligned() || n > isize::MAX as usize / size_of::<T>() {
        return Err(Failure::code(RingsideStatus::InvalidArgument));
    }
    // SAFETY: not NULL, aligned, `n` values fit the address space (checked above), and
    // the caller guarantees they are initialised and unchanged during the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// Writes the outcome into `*out` when `out` is not NULL: a cleared record for success,
/// the failure's code, field and message otherwise.
///
/// # Safety
/// `out` is NULL or valid for writing one `RingsideError` (it need not be initialised).
unsafe fn report(out: *mut RingsideError, result: &Result<(), Failure>) {
    if out.is_null() {
        return;
    }
    let mut record = RingsideError::cleared();
    if let Err(f) = result {
        f.write_to(&mut record);
    }
    // SAFETY: not NULL, and the caller guarantees it is valid for a write; `write` reads
    // nothing there, so the memory may be uninitialised.
    unsafe { out.write(record) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringside_dsp::Config;

    #[test]
    fn a_panic_becomes_a_code_and_breaks_the_detector_until_reset() {
        assert_eq!(
            guard(RingsideStatus::Internal, || panic!("a bug")),
            RingsideStatus::Internal
        );
        let det = Box::into_raw(Box::new(
            RingsideDetector::new(Config::default()).unwrap_or_else(|e| panic!("{e:?}")),
        ));
        // SAFETY: `det` is live and used by this thread only.
        let status = unsafe { with_detector(det, |_| panic!("a bug")) };
        assert_eq!(status, RingsideStatus::Internal);
        // SAFETY: as above.
        let status = unsafe { with_detector(det, |d| d.process_f32(&[0.0; 80])) };
        assert_eq!(status, RingsideStatus::Internal);
        // SAFETY: as above.
        let status = unsafe { with_detector(det, RingsideDetector::reset) };
        assert_eq!(status, RingsideStatus::Ok);
        // SAFETY: as above.
        let status = unsafe { with_detector(det, |d| d.process_f32(&[0.0; 80])) };
        assert_eq!(status, RingsideStatus::Ok);
        // SAFETY: made by `Box::into_raw` above, freed once.
        drop(unsafe { Box::from_raw(det) });
    }
}
