//! What every fallible call returns: a status code, and optionally the details in a
//! caller-owned [`RingsideError`].
//!
//! The details live in a fixed-size struct the caller provides (on its stack, say) rather
//! than in a thread-local "last error" or a string the library allocates: nothing to free,
//! nothing shared between threads, and a NULL pointer simply means "the code is enough".

use std::ffi::{CStr, c_char};

use ringside_dsp::ConfigError;

/// The outcome of a call.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingsideStatus {
    /// Success.
    Ok = 0,
    /// A pointer argument that must not be NULL was NULL.
    NullArgument = 1,
    /// A sample pointer that is not aligned for its type, or a sample count larger than
    /// the address space.
    InvalidArgument = 2,
    /// A setting in `ringside_config` is out of range; `field` names it.
    InvalidConfig = 3,
    /// The sample rate is not one the detector runs at (8000 or 16000 Hz).
    UnsupportedRate = 4,
    /// Audio was given after `ringside_detector_finish`; call `ringside_detector_reset`
    /// to start a new stream.
    Finished = 5,
    /// The library hit an internal error (a bug: a Rust panic, caught at the boundary).
    /// The detector is unusable until `ringside_detector_reset` succeeds.
    Internal = 6,
}

impl RingsideStatus {
    /// Short text for the code, NUL-terminated.
    pub(crate) fn text(self) -> &'static CStr {
        match self {
            Self::Ok => c"ok",
            Self::NullArgument => c"a required pointer argument is NULL",
            Self::InvalidArgument => c"misaligned samples or a sample count too large",
            Self::InvalidConfig => c"invalid detector setting",
            Self::UnsupportedRate => c"unsupported sample rate",
            Self::Finished => c"the stream has been finished; reset the detector first",
            Self::Internal => c"internal error in the detector",
        }
    }

    /// Every code, in numeric order.
    pub(crate) const ALL: [Self; 7] = [
        Self::Ok,
        Self::NullArgument,
        Self::InvalidArgument,
        Self::InvalidConfig,
        Self::UnsupportedRate,
        Self::Finished,
        Self::Internal,
    ];
}

/// Bytes in `ringside_error.field`, the terminating NUL included.
pub const RINGSIDE_ERROR_FIELD_LEN: usize = 48;
/// Bytes in `ringside_error.message`, the terminating NUL included.
pub const RINGSIDE_ERROR_MESSAGE_LEN: usize = 256;

/// Details of a failed call, written by the library into memory the caller owns.
///
/// Both strings are always NUL-terminated UTF-8 (cut at a character boundary if longer
/// than the buffer).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RingsideError {
    /// The same code the call returned.
    pub status: RingsideStatus,
    /// The setting at fault, as named in `ringside_config` (`beep_min_hz`,
    /// `sample_rate_hz`, …); empty when no setting is.
    pub field: [c_char; RINGSIDE_ERROR_FIELD_LEN],
    /// What is wrong and what would be accepted, e.g. "invalid detector setting
    /// `beep_min_hz`: 100 Hz must be at least 200 Hz and below beep_max_hz (2500 Hz)".
    pub message: [c_char; RINGSIDE_ERROR_MESSAGE_LEN],
}

/// A failure on the Rust side, before it is reported to C.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub status: RingsideStatus,
    pub field: &'static str,
    pub message: String,
}

impl Failure {
    /// A failure with only a code: the message is the code's text.
    pub fn code(status: RingsideStatus) -> Self {
        Self {
            status,
            field: "",
            message: status.text().to_string_lossy().into_owned(),
        }
    }

    /// An argument that must not be NULL was.
    pub fn null(argument: &'static str) -> Self {
        Self {
            status: RingsideStatus::NullArgument,
            field: "",
            message: format!("`{argument}` is NULL"),
        }
    }

    pub fn unsupported_rate(hz: u32) -> Self {
        Self {
            status: RingsideStatus::UnsupportedRate,
            field: "sample_rate_hz",
            message: format!("{hz} Hz is not supported: use 8000 or 16000"),
        }
    }

    /// Writes the failure into `out`.
    pub fn write_to(&self, out: &mut RingsideError) {
        out.status = self.status;
        copy_c_string(self.field, &mut out.field);
        copy_c_string(&self.message, &mut out.message);
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Self {
            status: RingsideStatus::InvalidConfig,
            field: e.field,
            message: e.to_string(),
        }
    }
}

impl RingsideError {
    /// A cleared record: status `Ok`, both strings empty.
    pub(crate) fn cleared() -> Self {
        Self {
            status: RingsideStatus::Ok,
            field: [0; RINGSIDE_ERROR_FIELD_LEN],
            message: [0; RINGSIDE_ERROR_MESSAGE_LEN],
        }
    }
}

/// Copies `s` into `buf` as a NUL-terminated string, cut at a UTF-8 character boundary
/// when it does not fit.
fn copy_c_string(s: &str, buf: &mut [c_char]) {
    let Some(room) = buf.len().checked_sub(1) else {
        return;
    };
    let mut len = s.len().min(room);
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    for (dst, &b) in buf.iter_mut().zip(&s.as_bytes()[..len]) {
        *dst = b as c_char;
    }
    buf[len] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(buf: &[c_char]) -> String {
        let bytes: Vec<u8> = buf
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("not UTF-8: {e}"))
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary_and_terminated() {
        let mut buf = [1 as c_char; 8];
        copy_c_string("abcdeμμμ", &mut buf);
        // 7 bytes of room: "abcde" (5) + "μ" (2).
        assert_eq!(read(&buf), "abcdeμ");
        copy_c_string("abcdefμ", &mut buf);
        // "μ" would need bytes 6 and 7: it is dropped whole.
        assert_eq!(read(&buf), "abcdef");
        assert_eq!(buf[6], 0);
    }

    #[test]
    fn a_config_error_names_its_field() {
        let mut out = RingsideError::cleared();
        Failure::from(ConfigError {
            field: "beep_min_hz",
            message: "too low".into(),
        })
        .write_to(&mut out);
        assert_eq!(out.status, RingsideStatus::InvalidConfig);
        assert_eq!(read(&out.field), "beep_min_hz");
        assert_eq!(
            read(&out.message),
            "invalid detector setting `beep_min_hz`: too low"
        );
    }

    #[test]
    fn codes_are_numbered_in_order() {
        for (i, s) in RingsideStatus::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
            assert!(!s.text().is_empty());
        }
    }
}
