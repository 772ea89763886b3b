//! `Server`: binds, serves the API (through [`crate::accept`]: header-read timeout and
//! connection limit) until told to stop, then ends every running call and waits for each
//! to record its end and make its final app request before returning.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use ringside_sim::phonebook::{PhoneBook, PhoneBookError};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::accept::{self, ConnectionStats, Limits};
use crate::account::Accounts;
use crate::builtin_phonebook;
use crate::config::ServerConfig;
use crate::date::now_ms;
use crate::driver::Engine;
use crate::error::ServerError;
use crate::recovery;
use crate::routes::app;
use crate::state::AppState;
use crate::store::Store;
use crate::webhook::{TlsSetupError, WebhookClient, WebhookSettings};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// No account to let in.
    #[error("no account configured")]
    NoAccount,
    /// The listen address is taken or not ours.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The phone book is unreadable or invalid.
    #[error(transparent)]
    PhoneBook(#[from] PhoneBookError),
    /// The store cannot be opened.
    #[error("cannot open the call store: {0}")]
    Store(#[source] ServerError),
    /// The webhook client could not be built (a `--ca-cert` file that cannot be used).
    #[error(transparent)]
    Webhooks(#[from] TlsSetupError),
}

/// A bound server, ready to [`run`](Server::run).
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
    addr: SocketAddr,
    grace: std::time::Duration,
    limits: Limits,
    connections: Arc<ConnectionStats>,
}

impl Server {
    /// Opens the store, loads the phone book, and binds the listen address.
    ///
    /// Calls a previous server left unfinished (it was killed) are marked failed here, since
    /// nothing will ever end them otherwise.
    pub async fn bind(config: ServerConfig) -> Result<Self, StartError> {
        if config.accounts.is_empty() {
            return Err(StartError::NoAccount);
        }
        let phonebook = match &config.phonebook {
            Some(path) => PhoneBook::load(path)?,
            None => builtin_phonebook::load()?,
        };
        let store = Store::open(&config.db).map_err(StartError::Store)?;
        let recovered =
            recovery::recover_unfinished(&store, now_ms()).map_err(StartError::Store)?;
        if recovered > 0 {
            tracing::warn!(
                recovered,
                "calls left unfinished by a previous server marked failed"
            );
        }
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let webhooks = WebhookClient::from_settings(&WebhookSettings {
            timeout: config.app_timeout,
            ca_certs: config.ca_certs.clone(),
        })?;
        let engine = Engine::new(
            Arc::new(phonebook),
            config.clock,
            webhooks,
            format!("http://{addr}"),
            config.app_timeout,
        );
        let state = AppState::new(Accounts::new(config.accounts), store, engine);
        Ok(Server {
            listener,
            state,
            addr,
            grace: config.shutdown_grace,
            limits: config.limits,
            connections: Arc::default(),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base the API's paths hang off.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shared state (for inspection in tests).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The client connections open now and refused so far.
    pub fn connections(&self) -> &Arc<ConnectionStats> {
        &self.connections
    }

    /// Serves until `shutdown` completes; then stops accepting requests, ends every running
    /// call (each records its final status, notifications and recordings), and returns once
    /// they have all finished or the grace period is over.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let live = Arc::clone(self.state.live());
        let (stopping_tx, stopping_rx) = oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = stopping_tx.send(());
        };
        let service = app(self.state.clone());
        let serving = tokio::spawn(accept::serve(
            self.listener,
            service,
            self.limits,
            Arc::clone(&self.connections),
            signal,
        ));
        // Calls must start ending as soon as shutdown begins, not after the last HTTP
        // connection closes: a keep-alive client would otherwise hold them open.
        let _ = stopping_rx.await;
        // One deadline for the whole shutdown: finishing HTTP requests, ending calls, and
        // their final app requests all fit in the grace period together.
        let deadline = tokio::time::Instant::now() + self.grace;
        let running = live.running();
        live.begin_shutdown();
        if running > 0 {
            tracing::info!(running, "ending calls in progress");
        }
        // Requests still in flight may create calls; those see the shutdown flag and end at
        // once. So wait for the HTTP side first, then for every call to be recorded.
        let served = match tokio::time::timeout_at(deadline, serving).await {
            Ok(Ok(())) | Err(_) => Ok(()),
            Ok(Err(join)) => Err(std::io::Error::other(join)),
        };
        if tokio::time::timeout_at(deadline, live.wait_idle())
            .await
            .is_err()
        {
            // Their rows stay unfinished; the next start marks them failed, with a
            // Notification (see `recovery`).
            tracing::warn!(
                left = live.running(),
                "calls still running after the grace period"
            );
        }
        served
    }

    /// Runs the server on a task; [`RunningServer::stop`] shuts it down cleanly.
    pub fn spawn(self) -> RunningServer {
        let addr = self.addr;
        let state = self.state.clone();
        let connections = Arc::clone(&self.connections);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(self.run(async move {
            let _ = rx.await;
        }));
        RunningServer {
            addr,
            state,
            connections,
            stop: Some(tx),
            task,
        }
    }
}

/// A server running on a task.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    state: AppState,
    connections: Arc<ConnectionStats>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The shared state.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The client connections open now and refused so far.
    pub fn connections(&self) -> &ConnectionStats {
        &self.connections
    }

    /// Shuts down as Ctrl-C would, and waits for it.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}
