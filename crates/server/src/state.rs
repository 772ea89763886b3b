//! `AppState`: what every handler shares — accounts, the store, the running calls and the
//! engine that runs new ones.

use std::sync::Arc;

use crate::account::Accounts;
use crate::driver::Engine;
use crate::running_calls::LiveCalls;
use crate::store::Store;

/// Shared server state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    accounts: Accounts,
    store: Store,
    live: Arc<LiveCalls>,
    engine: Arc<Engine>,
}

impl AppState {
    /// State over these parts.
    pub fn new(accounts: Accounts, store: Store, engine: Engine) -> Self {
        AppState(Arc::new(Inner {
            accounts,
            store,
            live: Arc::new(LiveCalls::default()),
            engine: Arc::new(engine),
        }))
    }

    /// The accounts allowed in.
    pub fn accounts(&self) -> &Accounts {
        &self.0.accounts
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The running calls.
    pub fn live(&self) -> &Arc<LiveCalls> {
        &self.0.live
    }

    /// The call engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.0.engine
    }
}
