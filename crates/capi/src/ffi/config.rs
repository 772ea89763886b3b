//! `ringside_config_default`, `ringside_config_validate`.

use crate::config::RingsideConfig;
use crate::status::{Failure, RingsideError, RingsideStatus};

use super::{guard, report, status_of};

/// The detector's default settings (the same as `ringside detect` uses).
#[unsafe(no_mangle)]
pub extern "C" fn ringside_config_default() -> RingsideConfig {
    RingsideConfig::default()
}

/// Checks `config` for a stream at `sample_rate_hz` (8000 or 16000) without building a
/// detector: `RINGSIDE_STATUS_OK`, or the code of the first problem found, with its field
/// and message in `*error` when `error` is not NULL (`error` may be NULL; on success it is
/// cleared).
///
/// # Safety
/// `config` is NULL or points to a readable `ringside_config`; `error` is NULL or points
/// to writable memory for one `ringside_error`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ringside_config_validate(
    config: *const RingsideConfig,
    sample_rate_hz: u32,
    error: *mut RingsideError,
) -> RingsideStatus {
    guard(RingsideStatus::Internal, || {
        // SAFETY: the caller guarantees `config` is NULL or readable; `as_ref` checks for
        // NULL.
        let result = match unsafe { config.as_ref() } {
            None => Err(Failure::null("config")),
            Some(c) => c.to_dsp(sample_rate_hz).map(|_| ()),
        };
        // SAFETY: the caller guarantees `error` is NULL or writable.
        unsafe { report(error, &result) };
        status_of(result)
    })
}
