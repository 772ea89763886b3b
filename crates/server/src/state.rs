//! `AppState`: what every handler shares — accounts, the store, the running calls and the
//! engine that runs new ones.

use std::sync::Arc;

use ringside_call::{AccountSid, CallSid, CreateCallRequest};

use crate::account::{Account, Accounts};
use crate::driver::Engine;
use crate::error::ServerError;
use crate::resources::CallRecord;
use crate::running_calls::LiveCalls;
use crate::store::{CallRow, Store};

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

    /// The account's call with this sid, or 404 (another account's call is not found
    /// either).
    pub async fn find_call(
        &self,
        account: AccountSid,
        sid: CallSid,
    ) -> Result<CallRecord, ServerError> {
        self.store()
            .run(move |c| CallRow::get(c, account, sid))
            .await?
            .ok_or(ServerError::NotFound)
    }

    /// Stores a new call (status 0) and starts it, for either API.
    ///
    /// Storing and starting happen on their own task: if the client hangs up mid-request,
    /// axum drops the handler, and a call stored but never started would stay "not yet
    /// dialled" forever. A spawned task runs to the end either way.
    pub async fn create_call(
        &self,
        account: Account,
        record: CallRecord,
        request: CreateCallRequest,
    ) -> Result<(), ServerError> {
        let state = self.clone();
        tokio::spawn(async move {
            let stored = record.clone();
            state
                .store()
                .run(move |c| CallRow::upsert(c, &stored))
                .await?;
            state
                .engine()
                .start(state.store(), state.live(), account, record, request);
            Ok::<_, ServerError>(())
        })
        .await?
    }
}
