//! Process-wide caches of immutable tables (FFT plans, DFT probe rows).
//!
//! A table depends only on its key (a size, a sample rate) and never changes, so every call
//! in the process can share one copy: a call's own state stays its buffers.

use std::sync::{Arc, Mutex, OnceLock};

/// A cache: one table per key, built on first use.
pub(crate) type Cache<K, V> = OnceLock<Mutex<Vec<(K, Arc<V>)>>>;

/// The table for `key`, built by `build` the first time it is asked for.
pub(crate) fn get_or_build<K: PartialEq, V: ?Sized>(
    cache: &'static Cache<K, V>,
    key: K,
    build: impl FnOnce() -> Arc<V>,
) -> Arc<V> {
    let tables = cache.get_or_init(|| Mutex::new(Vec::new()));
    // A poisoned lock only means another thread panicked while building; the list is
    // still valid.
    let mut tables = tables.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, table)) = tables.iter().find(|(k, _)| *k == key) {
        return Arc::clone(table);
    }
    let table = build();
    tables.push((key, Arc::clone(&table)));
    table
}
