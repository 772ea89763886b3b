//! The accept loop: HTTP/1.1 connections with a header-read timeout and a connection
//! limit, so that clients which open connections and never finish a request cannot hold
//! the server (axum's own `serve` sets neither).
//!
//! * A connection must deliver a request's complete headers within
//!   [`Limits::header_read_timeout`] of the server starting to wait for them (on a
//!   keep-alive connection, from the end of the previous response); hyper closes it
//!   otherwise. A slowloris client sending a byte at a time is closed just the same.
//! * At most [`Limits::max_connections`] connections are open at once. One more is
//!   accepted and closed at once, so the kernel's backlog never fills with connections
//!   nobody serves; a client sees the connection closed and may retry.
//!
//! Shutdown stops accepting, lets requests in flight finish, and closes idle connections
//! (hyper-util's `GracefulShutdown`).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long to wait after the process ran out of file descriptors before accepting again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The limits on client connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a request's headers may take to arrive.
    pub header_read_timeout: Duration,
    /// How many connections may be open at once.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 10 s for headers (a client on loopback or a LAN sends them in milliseconds;
    /// Apache's `RequestReadTimeout` starts at 20 s); 512 connections, well inside the
    /// usual 1024 open files of a process.
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// How many client connections are open, and how many were refused for the limit.
#[derive(Debug, Default)]
pub struct ConnectionStats {
    open: AtomicUsize,
    refused: AtomicUsize,
}

impl ConnectionStats {
    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Connections closed on arrival because the limit was reached, since start.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then waits for the connections
/// to finish their requests (the caller bounds that wait).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stats: Arc<ConnectionStats>,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let service = TowerToHyperService::new(app);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // EMFILE and friends: the connection waits in the backlog; try again soon
                // rather than spin.
                tracing::warn!(error = %e, "accepting a connection failed");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            stats.refused.fetch_add(1, Ordering::SeqCst);
            drop(stream);
            continue;
        };
        stats.open.fetch_add(1, Ordering::SeqCst);
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(stream), service.clone()));
        let stats = Arc::clone(&stats);
        tokio::spawn(async move {
            // A connection ends with an error for a timeout or a client gone away; neither
            // is the server's concern.
            let _ = connection.await;
            stats.open.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
        });
    }
    graceful.shutdown().await;
}
