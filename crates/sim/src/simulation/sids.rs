//! Fresh sids for what a simulated call creates: recordings (`RE…`), transcriptions
//! (`TR…`) and `<Dial>` legs (`CA…`, the CallSegmentSid).
//!
//! 128 random bits from the operating system each, never derived from the call's own
//! sid: a RecordingUrl is served without credentials, so knowing a CallSid must not be
//! enough to find its recordings.

/// Makes a sid: a two-letter prefix and 32 lowercase hex digits.
pub type SidSource = fn(&'static str) -> String;

/// A random sid with this prefix, from getrandom. Should the OS refuse randomness, a
/// process-wide counter mixed with the time keeps sids unique (though guessable).
pub fn random_sid(prefix: &'static str) -> String {
    let mut bytes = [0u8; 16];
    let value = if getrandom::fill(&mut bytes).is_ok() {
        u128::from_be_bytes(bytes)
    } else {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        (t << 64) ^ u128::from(n)
    };
    format!("{prefix}{value:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_are_prefixed_hex_and_fresh() {
        let a = random_sid("RE");
        assert_eq!(a.len(), 34);
        assert!(a.starts_with("RE"));
        assert!(
            a[2..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(a, random_sid("RE"));
    }
}
