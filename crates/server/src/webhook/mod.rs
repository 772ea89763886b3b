//! The webhook client: requests the app's Url for real, signed, with a timeout.
//!
//! A GET carries the parameters in the query string (appended to any the Url already has);
//! a POST carries them as a form body. Either way the request is signed with the account's
//! AuthToken (see [`crate::signature`]). Whatever goes wrong — connection refused, timeout,
//! a body too large — comes back as a [`FetchError`]: the call turns its message into
//! status 4 and a Notification, and the server carries on.

use std::time::Duration;

use ringside_call::{Method, Url};

use crate::signature;

/// The largest app reply read: TwiML documents are a few KB; 1 MiB leaves room for an
/// audio reply without letting a broken app exhaust memory.
const MAX_BODY: usize = 1024 * 1024;

/// The largest `<Play>` audio downloaded: 16 MiB is over 15 minutes of 8 kHz 16-bit WAV.
const MAX_MEDIA: usize = 16 * 1024 * 1024;

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
    /// The client could not be built (a TLS or resolver setup problem on this machine).
    #[error("building the webhook client: {cause}")]
    Build {
        /// What reqwest said.
        cause: String,
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

/// What the app answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppReply {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body, as text (invalid UTF-8 replaced).
    pub body: String,
}

/// One request to make.
#[derive(Debug, Clone)]
pub struct AppRequest {
    /// The absolute URL.
    pub url: Url,
    /// GET or POST.
    pub method: Method,
    /// The parameters, in the call's order.
    pub params: Vec<(String, String)>,
}

impl AppRequest {
    /// The URL actually requested (with the parameters for a GET) and the parameters
    /// signed with it (none for a GET: they are in the URL).
    pub fn signed_parts(&self) -> (Url, &[(String, String)]) {
        match self.method {
            Method::Get => {
                let mut url = self.url.clone();
                if !self.params.is_empty() {
                    url.query_pairs_mut().extend_pairs(self.params.iter());
                }
                (url, &[])
            }
            Method::Post => (self.url.clone(), &self.params),
        }
    }
}

/// An HTTP client for app requests. Cheap to clone (shared connection pool).
#[derive(Debug, Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
}

impl WebhookClient {
    /// A client whose requests give up after `timeout` (connect, send and read together).
    pub fn new(timeout: Duration) -> Result<Self, FetchError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!(
                "ringside/",
                env!("CARGO_PKG_VERSION"),
                " (TwilioProxy)"
            ))
            .build()
            .map_err(|e| FetchError::Build {
                cause: e.to_string(),
            })?;
        Ok(WebhookClient { http })
    }

    /// Requests the app, signed with `auth_token`.
    pub async fn fetch(
        &self,
        auth_token: &str,
        request: &AppRequest,
    ) -> Result<AppReply, FetchError> {
        let (url, signed) = request.signed_parts();
        let signature = signature::sign(auth_token, url.as_str(), signed);
        let builder = match request.method {
            Method::Get => self.http.get(url.as_str()),
            Method::Post => self.http.post(url.as_str()).form(&request.params),
        };
        let mut response = builder
            .header(signature::HEADER, signature)
            .send()
            .await
            .map_err(describe)?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(FetchError::ReplyTooLarge { limit: MAX_BODY });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(AppReply {
            status,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

impl WebhookClient {
    /// Downloads a `<Play>` URL (unsigned GET, like the 2008 service's media fetches).
    pub async fn fetch_media(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        let mut response = self.http.get(url.as_str()).send().await.map_err(describe)?;
        if !response.status().is_success() {
            return Err(FetchError::MediaStatus(response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > MAX_MEDIA {
                return Err(FetchError::MediaTooLarge { limit: MAX_MEDIA });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// A reqwest error as a [`FetchError`], with the innermost cause (the most specific one,
/// e.g. "Connection refused") rather than reqwest's own summary, which repeats the URL.
fn describe(e: reqwest::Error) -> FetchError {
    let mut cause = String::new();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if e.is_timeout() {
        FetchError::TimedOut { cause }
    } else if e.is_connect() {
        FetchError::Connect { cause }
    } else if e.is_body() || e.is_decode() {
        FetchError::Unreadable { cause }
    } else {
        FetchError::Failed { cause }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn get_puts_parameters_in_the_signed_url() {
        let r = AppRequest {
            url: Url::parse("http://app.example/h.php?x=1").unwrap(),
            method: Method::Get,
            params: vec![
                ("CallSid".into(), "CA1".into()),
                ("Digits".into(), "1234#".into()),
            ],
        };
        let (url, signed) = r.signed_parts();
        assert_eq!(
            url.as_str(),
            "http://app.example/h.php?x=1&CallSid=CA1&Digits=1234%23"
        );
        assert!(signed.is_empty());
        let r = AppRequest {
            method: Method::Post,
            ..r
        };
        let (url, signed) = r.signed_parts();
        assert_eq!(url.as_str(), "http://app.example/h.php?x=1");
        assert_eq!(signed.len(), 2);
    }

    #[test]
    fn fetch_errors_read_as_before() {
        let e = FetchError::Connect {
            cause: "Connection refused (os error 111)".into(),
        };
        assert_eq!(
            e.to_string(),
            "could not connect: Connection refused (os error 111)"
        );
        let e = FetchError::TimedOut {
            cause: String::new(),
        };
        assert_eq!(e.to_string(), "the request timed out");
        let e = FetchError::MediaStatus(reqwest::StatusCode::NOT_FOUND);
        assert_eq!(e.to_string(), "the audio URL answered 404 Not Found");
    }
}
