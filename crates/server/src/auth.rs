//! HTTP Basic auth, and the rule that an account only ever sees its own resources.
//!
//! A request is let through only if its credentials are an account's sid and token **and**
//! that sid is the `{AccountSid}` of the path. Anything else is 401 — also a valid account
//! asking for another account's path — so no response tells an outsider whether an account
//! or a call exists.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use ringside_call::AccountSid;

use crate::account::{Account, Accounts};
use crate::error::ServerError;
use crate::state::AppState;

/// The `(user, password)` of an `Authorization: Basic …` header.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = BASE64_STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Compares two secrets in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The account that `headers` authenticate for the path's `path_account`, or 401.
pub fn authenticate<'a>(
    accounts: &'a Accounts,
    headers: &HeaderMap,
    path_account: &str,
) -> Result<&'a Account, ServerError> {
    let (user, password) = basic_credentials(headers).ok_or(ServerError::Unauthorized)?;
    let user = AccountSid::parse(&user).map_err(|_| ServerError::Unauthorized)?;
    let path = AccountSid::parse(path_account).map_err(|_| ServerError::Unauthorized)?;
    let account = accounts.get(user).ok_or(ServerError::Unauthorized)?;
    if !constant_time_eq(account.token.as_bytes(), password.as_bytes()) || user != path {
        return Err(ServerError::Unauthorized);
    }
    Ok(account)
}

/// Extractor: the authenticated account of a request under `/Accounts/{AccountSid}/…`.
#[derive(Debug, Clone)]
pub struct Authed(pub Account);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ServerError::Unauthorized)?;
        let path_account = params
            .iter()
            .find(|(k, _)| *k == "account_sid")
            .map(|(_, v)| v.to_owned())
            .ok_or(ServerError::Unauthorized)?;
        authenticate(state.accounts(), &parts.headers, &path_account).map(|a| Authed(a.clone()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(user: &str, password: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        let v = format!(
            "Basic {}",
            BASE64_STANDARD.encode(format!("{user}:{password}"))
        );
        h.insert(axum::http::header::AUTHORIZATION, v.parse().unwrap());
        h
    }

    #[test]
    fn only_the_paths_own_account_gets_in() {
        let a = Account::new(AccountSid::from_u128(1), "secret-a");
        let b = Account::new(AccountSid::from_u128(2), "secret-b");
        let accounts = Accounts::new(vec![a.clone(), b.clone()]);
        let sa = a.sid.to_string();
        let sb = b.sid.to_string();
        assert!(authenticate(&accounts, &headers(&sa, "secret-a"), &sa).is_ok());
        // Upper-case hex in the path is the same account.
        assert!(authenticate(&accounts, &headers(&sa, "secret-a"), &sa.to_uppercase()).is_ok());
        for (user, pw, path) in [
            (sa.as_str(), "wrong", sa.as_str()),
            (sa.as_str(), "secret-a", sb.as_str()),
            (sb.as_str(), "secret-b", sa.as_str()),
            (sa.as_str(), "secret-b", sa.as_str()),
            ("nobody", "secret-a", sa.as_str()),
        ] {
            assert!(matches!(
                authenticate(&accounts, &headers(user, pw), path),
                Err(ServerError::Unauthorized)
            ));
        }
        assert!(authenticate(&accounts, &HeaderMap::new(), &sa).is_err());
    }
}
