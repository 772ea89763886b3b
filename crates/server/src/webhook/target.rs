//! `Target`: what an app URL means on the wire.
//!
//! A Url may carry user info (`https://user:pass@host/x`) and a `#fragment`. Neither is
//! ever sent in the request line: the user info becomes HTTP Basic credentials (as Twilio
//! does), the fragment is dropped (as every HTTP client does). The signature therefore
//! covers the URL without them — the URL the app actually sees and can rebuild.

use ringside_call::Url;

/// HTTP Basic credentials taken from a Url's user info, percent-decoded.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password (may be empty).
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"…")
            .finish()
    }
}

/// A Url split into what is requested and the credentials that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL requested and signed: no user info, no fragment.
    pub url: Url,
    /// Basic credentials, when the Url had user info.
    pub credentials: Option<Credentials>,
}

impl Target {
    /// Splits `url`.
    pub fn of(url: &Url) -> Self {
        let credentials =
            (!url.username().is_empty() || url.password().is_some()).then(|| Credentials {
                user: decode(url.username()),
                password: decode(url.password().unwrap_or_default()),
            });
        Target {
            url: bare(url),
            credentials,
        }
    }
}

/// `url` without user info and fragment.
pub fn bare(url: &Url) -> Url {
    let mut url = url.clone();
    // Both fail only for URLs that cannot have user info (no host): nothing to strip.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);
    url
}

/// A URL as text with any user info removed, for storing and showing (a Notification's
/// RequestURL). Text that is not an absolute URL is returned as it is: it holds no
/// credentials a URL parser would find.
pub fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let mut parsed = parsed;
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_becomes_credentials_and_leaves_the_url() {
        let t =
            Target::of(&Url::parse("https://al%40ice:p%3Ass@app.example:8443/x?a=1#top").unwrap());
        assert_eq!(t.url.as_str(), "https://app.example:8443/x?a=1");
        let c = t.credentials.unwrap();
        assert_eq!((c.user.as_str(), c.password.as_str()), ("al@ice", "p:ss"));
        assert!(!format!("{c:?}").contains("p:ss"));
        let t = Target::of(&Url::parse("http://app.example/x").unwrap());
        assert_eq!(t.credentials, None);
        let t = Target::of(&Url::parse("http://user@app.example/x").unwrap());
        assert_eq!(t.credentials.unwrap().password, "");
    }

    #[test]
    fn redact_strips_user_info_only() {
        assert_eq!(
            redact("https://u:p@h.example/a?b=c#d"),
            "https://h.example/a?b=c#d"
        );
        assert_eq!(redact("http://h.example/a"), "http://h.example/a");
        assert_eq!(redact("not a url"), "not a url");
    }
}
