//! The text of every code: statuses, verdicts, causes, greeting ends; and the version.
//!
//! Each returns a static NUL-terminated string, never NULL and never to be freed. The
//! codes are taken as plain integers, so a number outside the enum is a defined input
//! (it gets ""), not undefined behaviour.

use std::ffi::{CStr, c_char};

use crate::event::{cause_text, greeting_end_name, verdict_name};
use crate::status::RingsideStatus;

/// The library's version (`major.minor.patch`).
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// The library's version, e.g. "0.1.0".
#[unsafe(no_mangle)]
pub extern "C" fn ringside_version() -> *const c_char {
    VERSION.as_ptr()
}

/// A short description of a `ringside_status` code; "" for a number that is no status.
#[unsafe(no_mangle)]
pub extern "C" fn ringside_status_text(status: u32) -> *const c_char {
    RingsideStatus::ALL
        .iter()
        .find(|s| **s as u32 == status)
        .map_or(c"", |s| s.text())
        .as_ptr()
}

/// The name of a `ringside_verdict` ("human", "machine", "fax", "silence", "unknown"),
/// as in `ringside detect --json`; "" for `RINGSIDE_VERDICT_NONE` or a number that is no
/// verdict.
#[unsafe(no_mangle)]
pub extern "C" fn ringside_verdict_name(verdict: u32) -> *const c_char {
    verdict_name(verdict).as_ptr()
}

/// The text of a `ringside_cause` ("long greeting", "beep heard", …), as in
/// `ringside detect --json`; "" for `RINGSIDE_CAUSE_NONE` or a number that is no cause.
#[unsafe(no_mangle)]
pub extern "C" fn ringside_cause_text(cause: u32) -> *const c_char {
    cause_text(cause).as_ptr()
}

/// The name of a `ringside_greeting_end` ("beep", "silence", "timeout"); "" for
/// `RINGSIDE_GREETING_END_NONE` or a number that is no such code.
#[unsafe(no_mangle)]
pub extern "C" fn ringside_greeting_end_name(kind: u32) -> *const c_char {
    greeting_end_name(kind).as_ptr()
}
