//! Following an app's redirects as Twilio does for webhooks.
//!
//! A 301, 302, 303, 307 or 308 from the app is followed with the *same* method and the
//! same parameters (a POST stays a POST with its form; a GET's parameters go on the new
//! URL's query again), unlike a browser, which turns 301/302/303 into a bodiless GET. Each
//! hop is a new request, signed for its own URL. A `Location` may be relative; it resolves
//! against the URL that answered. The chain ends with a [`FetchError`] when a URL comes
//! round again (a loop) or after [`MAX_REDIRECTS`] hops; the call then fails with
//! Notification 11215 ("HTTP too many redirects").
//!
//! Basic credentials follow a hop only to the same origin (scheme, host and port), unless
//! the `Location` carries its own user info: an app cannot send the account's app
//! password to a third party by redirecting.

use ringside_call::Url;

use super::FetchError;
use super::target::Target;

/// How many redirects one app request follows: 10, reqwest's and Twilio's own client
/// default.
pub const MAX_REDIRECTS: usize = 10;

/// True for the statuses that are followed.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The chain of URLs one app request has visited.
#[derive(Debug)]
pub struct Hops {
    visited: Vec<Url>,
}

impl Hops {
    /// A chain starting at `first`.
    pub fn new(first: &Target) -> Self {
        Hops {
            visited: vec![first.url.clone()],
        }
    }

    /// The target after `current` answered a redirect to `location`, or why the chain
    /// ends there.
    pub fn next(&mut self, current: &Target, location: Option<&str>) -> Result<Target, FetchError> {
        let Some(location) = location else {
            return Err(FetchError::Redirect {
                reason: "a redirect without a Location header".to_owned(),
            });
        };
        let resolved = current
            .url
            .join(location)
            .map_err(|e| FetchError::Redirect {
                reason: format!("a redirect to an unusable Location {location:?}: {e}"),
            })?;
        if !matches!(resolved.scheme(), "http" | "https") {
            return Err(FetchError::Redirect {
                reason: format!("a redirect to a {} URL", resolved.scheme()),
            });
        }
        let mut next = Target::of(&resolved);
        if next.credentials.is_none() && next.url.origin() == current.url.origin() {
            next.credentials.clone_from(&current.credentials);
        }
        if self.visited.contains(&next.url) {
            return Err(FetchError::RedirectLoop {
                hops: self.visited.len(),
            });
        }
        if self.visited.len() > MAX_REDIRECTS {
            return Err(FetchError::TooManyRedirects {
                limit: MAX_REDIRECTS,
            });
        }
        self.visited.push(next.url.clone());
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &str) -> Target {
        Target::of(&Url::parse(s).unwrap())
    }

    #[test]
    fn relative_locations_resolve_and_credentials_stay_at_home() {
        let first = target("https://u:p@app.example/a/start?x=1");
        let mut hops = Hops::new(&first);
        let next = hops.next(&first, Some("next?y=2")).unwrap();
        assert_eq!(next.url.as_str(), "https://app.example/a/next?y=2");
        assert_eq!(next.credentials.as_ref().unwrap().user, "u");
        let away = hops.next(&next, Some("https://other.example/z")).unwrap();
        assert_eq!(away.credentials, None);
        let own = hops
            .next(&away, Some("https://v:q@third.example/"))
            .unwrap();
        assert_eq!(own.credentials.unwrap().user, "v");
    }

    #[test]
    fn a_loop_or_a_long_chain_ends() {
        let first = target("http://app.example/a");
        let mut hops = Hops::new(&first);
        let b = hops.next(&first, Some("/b")).unwrap();
        assert_eq!(
            hops.next(&b, Some("/a")),
            Err(FetchError::RedirectLoop { hops: 2 })
        );
        let mut hops = Hops::new(&first);
        let mut at = first;
        let mut result = Ok(at.clone());
        for i in 0..=MAX_REDIRECTS {
            result = hops.next(&at, Some(&format!("/hop{i}")));
            match &result {
                Ok(t) => at = t.clone(),
                Err(_) => break,
            }
        }
        assert_eq!(
            result,
            Err(FetchError::TooManyRedirects {
                limit: MAX_REDIRECTS
            })
        );
        assert!(hops.next(&at, None).is_err());
        assert!(hops.next(&at, Some("ftp://x/")).is_err());
    }

    #[test]
    fn only_the_five_redirect_statuses_are_followed() {
        for s in [301, 302, 303, 307, 308] {
            assert!(is_redirect(s));
        }
        for s in [200, 300, 304, 305, 306, 400] {
            assert!(!is_redirect(s));
        }
    }
}
