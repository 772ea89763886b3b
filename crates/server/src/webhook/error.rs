//! `FetchError`: why an app request or a media download failed.

use ringside_call::call::{ERROR_HTTP_RETRIEVAL, ERROR_TOO_MANY_REDIRECTS};

/// Why an app request or a media download failed. The messages go into Notifications, so
/// they say what failed without the URL (the Notification carries it already).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// No answer within the timeout.
    #[error("the request timed out{}", because(.cause))]
    TimedOut {
        /// The innermost cause reqwest gave, if any.
        cause: String,
    },
    /// The connection could not be made (refused, unreachable, DNS).
    #[error("could not connect{}", because(.cause))]
    Connect {
        /// The innermost cause.
        cause: String,
    },
    /// The reply's body could not be read or decoded.
    #[error("the reply could not be read{}", because(.cause))]
    Unreadable {
        /// The innermost cause.
        cause: String,
    },
    /// Any other failure of the request.
    #[error("the request failed{}", because(.cause))]
    Failed {
        /// The innermost cause.
        cause: String,
    },
    /// The app's reply is larger than the limit.
    #[error("the reply is larger than {limit} bytes")]
    ReplyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The `<Play>` audio is larger than the limit.
    #[error("the audio is larger than {limit} bytes")]
    MediaTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The `<Play>` URL answered with an error status.
    #[error("the audio URL answered {0}")]
    MediaStatus(reqwest::StatusCode),
    /// A redirect could not be followed (no or a bad `Location`).
    #[error("the app answered {reason}")]
    Redirect {
        /// What was wrong with it.
        reason: String,
    },
    /// The app's redirects came back to a URL already requested.
    #[error("the app's redirects form a loop (back to an earlier URL after {hops} requests)")]
    RedirectLoop {
        /// Requests made before the loop closed.
        hops: usize,
    },
    /// More redirects than [`redirect::MAX_REDIRECTS`](super::redirect::MAX_REDIRECTS).
    #[error("the app redirected more than {limit} times")]
    TooManyRedirects {
        /// The limit.
        limit: usize,
    },
}

/// `": cause"`, or nothing for an empty cause.
fn because(cause: &str) -> String {
    if cause.is_empty() {
        String::new()
    } else {
        format!(": {cause}")
    }
}

impl FetchError {
    /// The Notification error code the failure is reported with: 11215 (HTTP too many
    /// redirects) for a redirect chain that loops or runs too long, else 11200 (HTTP
    /// retrieval failure).
    pub fn error_code(&self) -> u32 {
        match self {
            FetchError::RedirectLoop { .. } | FetchError::TooManyRedirects { .. } => {
                ERROR_TOO_MANY_REDIRECTS
            }
            _ => ERROR_HTTP_RETRIEVAL,
        }
    }
}
