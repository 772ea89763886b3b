//! Fresh identifiers: call, notification and recording sids, auth tokens.
//!
//! 128 random bits from the operating system (getrandom): sids are guessable by nobody, so
//! knowing one account's sid never reveals another's calls.

use ringside_call::{AccountSid, CallSid};

/// 128 random bits. Falls back to a time-and-counter mix if the OS refuses randomness,
/// which only weakens unguessability, never uniqueness within a process.
pub fn random_u128() -> u128 {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_ok() {
        return u128::from_be_bytes(bytes);
    }
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = u128::try_from(crate::date::now_ms()).unwrap_or(0);
    (t << 64) | u128::from(n)
}

/// A new call sid.
pub fn call_sid() -> CallSid {
    CallSid::from_u128(random_u128())
}

/// A new account sid.
pub fn account_sid() -> AccountSid {
    AccountSid::from_u128(random_u128())
}

/// A new sid with this two-letter prefix (`NO`, `RE`).
pub fn prefixed(prefix: &str) -> String {
    format!("{prefix}{:032x}", random_u128())
}

/// A new auth token: 32 hex digits, like the 2008 service's.
pub fn auth_token() -> String {
    format!("{:032x}", random_u128())
}

/// The `PhoneNumberSid` of a caller id on an account: stable (the same number always has
/// the same sid on an account) and distinct across numbers and accounts.
pub fn phone_number_sid(account: AccountSid, number: &str) -> String {
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(format!("{account}:{number}").as_bytes());
    let mut hex = String::with_capacity(34);
    hex.push_str("PN");
    for b in digest.iter().take(16) {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_have_the_api_shape() {
        let s = call_sid().to_string();
        assert!(s.starts_with("CA") && s.len() == 34);
        assert_ne!(call_sid(), call_sid());
        let n = prefixed("NO");
        assert!(n.starts_with("NO") && n.len() == 34);
        let a = AccountSid::from_u128(1);
        let pn = phone_number_sid(a, "4158675309");
        assert_eq!(pn.len(), 34);
        assert_eq!(pn, phone_number_sid(a, "4158675309"));
        assert_ne!(pn, phone_number_sid(a, "8668675309"));
        assert_ne!(pn, phone_number_sid(AccountSid::from_u128(2), "4158675309"));
    }
}
