//! The live call driver: runs each created call in the background on the harness's
//! sans-I/O [`Simulation`](ringside_sim::Simulation) — the one implementation of
//! the call rules and of the simulated far end — with tokio time and real HTTP.
//!
//! * [`Engine`] holds what every call shares (phone book, decoded greetings, webhook
//!   client, clock mode) and spawns one task per call ([`Engine::start`]).
//! * `run` is that task: it steps the simulation on the blocking pool (`step`), performs
//!   its outputs (app requests, `<Play>` downloads, notifications), waits for the next
//!   deadline, reply or API command, and loops until the call has ended.
//! * `clock` maps simulated time to tokio time (real) or jumps over it (fast).
//! * `persist` writes what the call does to the store as it happens.

mod clock;
mod persist;
mod run;
mod step;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ringside_call::{AccountSid, ApiVersion, CallConfig, CreateCallRequest};
use ringside_sim::ClipLibrary;
use ringside_sim::phonebook::PhoneBook;

use crate::account::Account;
use crate::config::ClockMode;
use crate::resources::CallRecord;
use crate::running_calls::LiveCalls;
use crate::store::Store;
use crate::webhook::WebhookClient;

/// Runs calls: what every call's driver shares.
#[derive(Debug)]
pub struct Engine {
    phonebook: Arc<PhoneBook>,
    clips: Arc<Mutex<ClipLibrary>>,
    clock: ClockMode,
    webhooks: WebhookClient,
    base_url: String,
    call_config: CallConfig,
}

impl Engine {
    /// An engine calling numbers per `phonebook`, requesting apps with `webhooks`, and
    /// serving recordings under `base_url` (`http://host:port`). The call machine's fetch
    /// timeout is `app_timeout`, the same as the HTTP client's, so both clocks agree on
    /// when an app is too slow.
    pub fn new(
        phonebook: Arc<PhoneBook>,
        clock: ClockMode,
        webhooks: WebhookClient,
        base_url: String,
        app_timeout: Duration,
    ) -> Self {
        let call_config = CallConfig {
            fetch_timeout: app_timeout.into(),
            ..CallConfig::default()
        };
        Engine {
            phonebook,
            clips: Arc::new(Mutex::new(ClipLibrary::new())),
            clock,
            webhooks,
            base_url,
            call_config,
        }
    }

    /// The clock mode.
    pub fn clock(&self) -> ClockMode {
        self.clock
    }

    /// Where an account's recordings are served, under the API the call was created
    /// through; the simulation appends each recording's random `RE…` sid.
    pub fn recording_url_prefix(&self, account: AccountSid, api: &ApiVersion) -> String {
        format!(
            "{}/{}/Accounts/{account}/Recordings/",
            self.base_url,
            api.as_str()
        )
    }

    /// `http://host:port`, the base of every URL the server hands out.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts `record` (already stored with status 0 in `store`) in the background. The
    /// call is registered with `live` before this returns, so a shutdown that begins right
    /// after still waits for it.
    pub fn start(
        self: &Arc<Self>,
        store: &Store,
        live: &Arc<LiveCalls>,
        account: Account,
        record: CallRecord,
        request: CreateCallRequest,
    ) {
        let handle = live.register(record.sid);
        tokio::spawn(run::run_call(
            Arc::clone(self),
            store.clone(),
            account,
            record,
            request,
            handle,
        ));
    }
}
