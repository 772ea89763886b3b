//! ringside-server: the 2008-08-01 and 2010-04-01 REST APIs over HTTP — accounts, the
//! call store, the webhook client and the driver that runs each call. Both APIs are views
//! of the same calls (`routes` for 2008, `v2010` for 2010), run by the same engine.
//!
//! Data flow of one call:
//!
//! 1. `POST /2008-08-01/Accounts/{AccountSid}/Calls` reaches the axum router (`routes`).
//!    The `auth::Authed` extractor checks HTTP Basic credentials against the path's
//!    account; the form is validated by `ringside_call::CreateCallRequest::from_params`;
//!    the call is stored (`store`, SQLite) with status 0 and answered `201` (`xml`).
//! 2. `driver::Engine::start` spawns the call's task around a sans-I/O
//!    `ringside_sim::Simulation` (the `ringside_call::Call` plus the far end from the phone
//!    book, its audio streamed through the real detector). The task turns the
//!    simulation's deadlines into tokio sleeps ([`ClockMode::Real`]) or jumps over them
//!    ([`ClockMode::Fast`]); the CPU-heavy stepping runs on the blocking pool.
//! 3. Each app fetch the simulation asks for is made by `webhook::WebhookClient` (reqwest
//!    over http or https with rustls, GET query or POST form, user info as Basic auth,
//!    redirects followed with the same method and parameters, each request signed per
//!    [`signature`]); the reply, or a [`FetchError`], goes back in. `<Play>` audio is downloaded and decoded by `ringside_audio`, so every
//!    format the scenarios play works here too.
//! 4. Status changes, Notifications and recordings (WAV via `ringside_audio::encode_wav`)
//!    are written to the store as they happen; `GET` requests read them back.
//! 5. [`Server::run`] serves through its own accept loop (`accept`: header-read timeout,
//!    connection limit) until shutdown, then ends every running call and waits for each
//!    to record its end and make its final app request; calls a killed server left are
//!    failed with a Notification at the next start (`recovery`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use ringside_server::{Account, Server, ServerConfig};
//! let mut config = ServerConfig::new(vec![Account::generate()]);
//! config.listen = "127.0.0.1:0".parse()?;
//! let server = Server::bind(config).await?.spawn();
//! println!("{}", server.base_url());
//! server.stop().await?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod accept;
mod account;
mod auth;
pub mod builtin_phonebook;
mod config;
mod date;
mod driver;
mod error;
mod filter;
mod page;
mod recovery;
mod resources;
mod routes;
mod running_calls;
mod server;
mod sid;
pub mod signature;
mod state;
mod store;
mod v2010;
mod view;
mod webhook;
mod xml;

pub use accept::{ConnectionStats, Limits};
pub use account::{Account, Accounts};
pub use config::{ClockMode, ServerConfig, default_db_path};
pub use error::ServerError;
pub use server::{RunningServer, Server, StartError};
pub use store::StoreLocation;
pub use webhook::{FetchError, TlsSetupError};
