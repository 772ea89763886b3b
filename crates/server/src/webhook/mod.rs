//! The webhook client: requests the app's Url for real, signed, with a timeout.
//!
//! * A GET carries the parameters in the query string (appended to any the Url already
//!   has); a POST carries them as a form body.
//! * `http` and `https` Urls both work; https runs on rustls ([`tls`]), trusting the
//!   platform's roots and any `--ca-cert`.
//! * A Url's user info becomes HTTP Basic auth and is never sent in the URL; the fragment
//!   is dropped ([`target`]). Every request is signed with the account's AuthToken over
//!   the URL actually requested (see [`crate::signature`]).
//! * Redirects are followed with the same method and parameters, each hop signed for its
//!   own URL, up to a limit ([`redirect`]).
//!
//! Whatever goes wrong — connection refused, timeout, a body too large, a redirect loop —
//! comes back as a [`FetchError`]: the call turns it into status 4 and a Notification
//! (with [`FetchError::error_code`]), and the server carries on.

mod error;
pub mod redirect;
pub mod target;
pub mod tls;

use std::path::PathBuf;
use std::time::Duration;

use ringside_call::{Method, Url};

pub use error::FetchError;
use redirect::{Hops, is_redirect};
use target::Target;
pub use tls::TlsSetupError;

use crate::signature;

/// The largest app reply read: TwiML documents are a few KB; 1 MiB leaves room for an
/// audio reply without letting a broken app exhaust memory.
const MAX_BODY: usize = 1024 * 1024;

/// The largest `<Play>` audio downloaded: 16 MiB is over 15 minutes of 8 kHz 16-bit WAV.
const MAX_MEDIA: usize = 16 * 1024 * 1024;

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
    /// The absolute URL, as the app gave it (user info and fragment included).
    pub url: Url,
    /// GET or POST.
    pub method: Method,
    /// The parameters, in the call's order.
    pub params: Vec<(String, String)>,
}

impl AppRequest {
    /// The URL actually requested (no user info or fragment; with the parameters for a
    /// GET) and the parameters signed with it (none for a GET: they are in the URL).
    pub fn signed_parts(&self) -> (Url, &[(String, String)]) {
        self.signed_parts_at(&Target::of(&self.url))
    }

    fn signed_parts_at(&self, target: &Target) -> (Url, &[(String, String)]) {
        match self.method {
            Method::Get => {
                let mut url = target.url.clone();
                if !self.params.is_empty() {
                    url.query_pairs_mut().extend_pairs(self.params.iter());
                }
                (url, &[])
            }
            Method::Post => (target.url.clone(), &self.params),
        }
    }
}

/// What the webhook client trusts and how long it waits.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// How long one request may take (connect, send and read together), each redirect
    /// hop included.
    pub timeout: Duration,
    /// PEM files of extra certificate authorities for https apps.
    pub ca_certs: Vec<PathBuf>,
}

/// An HTTP client for app requests. Cheap to clone (shared connection pool).
#[derive(Debug, Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
}

impl WebhookClient {
    /// A client whose requests give up after `timeout`, trusting the platform's roots.
    pub fn new(timeout: Duration) -> Result<Self, TlsSetupError> {
        Self::with_roots(timeout, Vec::new())
    }

    /// A client per `settings`; a `--ca-cert` that cannot be used is an error naming it.
    pub fn from_settings(settings: &WebhookSettings) -> Result<Self, TlsSetupError> {
        let roots = tls::load_ca_certs(&settings.ca_certs)?;
        Self::with_roots(settings.timeout, roots)
    }

    fn with_roots(
        timeout: Duration,
        roots: Vec<reqwest::Certificate>,
    ) -> Result<Self, TlsSetupError> {
        tls::install_provider();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            // Redirects are followed by hand: same method, same parameters, a new
            // signature at every hop (see `redirect`).
            .redirect(reqwest::redirect::Policy::none())
            .tls_certs_merge(roots)
            .user_agent(concat!(
                "ringside/",
                env!("CARGO_PKG_VERSION"),
                " (TwilioProxy)"
            ))
            .build()
            .map_err(|e| TlsSetupError::Client {
                cause: e.to_string(),
            })?;
        Ok(WebhookClient { http })
    }

    /// Requests the app, signed with `auth_token`, following its redirects.
    pub async fn fetch(
        &self,
        auth_token: &str,
        request: &AppRequest,
    ) -> Result<AppReply, FetchError> {
        let response = follow(&request.url, |target| {
            self.signed_request(auth_token, request, target)
        })
        .await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = read_body(
            response,
            MAX_BODY,
            FetchError::ReplyTooLarge { limit: MAX_BODY },
        )
        .await?;
        Ok(AppReply {
            status,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// `request` sent to `target`, signed.
    fn signed_request(
        &self,
        auth_token: &str,
        request: &AppRequest,
        target: &Target,
    ) -> reqwest::RequestBuilder {
        let (url, signed) = request.signed_parts_at(target);
        let signature = signature::sign(auth_token, url.as_str(), signed);
        let builder = match request.method {
            Method::Get => self.http.get(url.as_str()),
            Method::Post => self.http.post(url.as_str()).form(&request.params),
        };
        with_credentials(builder, target).header(signature::HEADER, signature)
    }

    /// Downloads a `<Play>` URL: an unsigned GET, like the 2008 service's media fetches,
    /// with the same user-info and redirect rules as app requests.
    pub async fn fetch_media(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        let response = follow(url, |target| {
            with_credentials(self.http.get(target.url.as_str()), target)
        })
        .await?;
        if !response.status().is_success() {
            return Err(FetchError::MediaStatus(response.status()));
        }
        read_body(
            response,
            MAX_MEDIA,
            FetchError::MediaTooLarge { limit: MAX_MEDIA },
        )
        .await
    }
}

/// Sends to `first`, and on each redirect to the next hop (see [`redirect`]), until an
/// answer that is not a redirect.
async fn follow(
    first: &Url,
    mut request: impl FnMut(&Target) -> reqwest::RequestBuilder,
) -> Result<reqwest::Response, FetchError> {
    let mut target = Target::of(first);
    let mut hops = Hops::new(&target);
    loop {
        let response = request(&target).send().await.map_err(describe)?;
        if !is_redirect(response.status().as_u16()) {
            return Ok(response);
        }
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        target = hops.next(&target, location.as_deref())?;
    }
}

/// Basic auth from the target's credentials, if any.
fn with_credentials(builder: reqwest::RequestBuilder, target: &Target) -> reqwest::RequestBuilder {
    match &target.credentials {
        Some(c) => builder.basic_auth(&c.user, Some(&c.password)),
        None => builder,
    }
}

/// Reads a body of at most `limit` bytes; `too_large` past it.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    too_large: FetchError,
) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(describe)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
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
    fn user_info_and_fragment_are_neither_sent_nor_signed() {
        let r = AppRequest {
            url: Url::parse("https://u:p@app.example/h?x=1#frag").unwrap(),
            method: Method::Get,
            params: vec![("CallSid".into(), "CA1".into())],
        };
        assert_eq!(
            r.signed_parts().0.as_str(),
            "https://app.example/h?x=1&CallSid=CA1"
        );
    }

    #[test]
    fn redirect_failures_are_11215_and_others_11200() {
        assert_eq!(FetchError::RedirectLoop { hops: 2 }.error_code(), 11215);
        assert_eq!(
            FetchError::TooManyRedirects { limit: 10 }.error_code(),
            11215
        );
        let e = FetchError::Connect {
            cause: String::new(),
        };
        assert_eq!(e.error_code(), 11200);
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
