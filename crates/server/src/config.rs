//! `ServerConfig`: everything `ringside serve` can be told.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::accept::Limits;
use crate::account::Account;
use crate::store::StoreLocation;

/// How simulated time passes for calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockMode {
    /// Calls take as long as real ones: the callee's audio streams at 8000 samples a second.
    #[default]
    Real,
    /// Calls run as fast as the CPU allows: simulated time jumps ahead whenever the call is
    /// only waiting for time to pass (ringing, a greeting, a pause). While the app is being
    /// requested simulated time stands still, so app timeouts stay real.
    Fast,
}

impl ClockMode {
    /// `real` or `fast`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "real" => Some(ClockMode::Real),
            "fast" => Some(ClockMode::Fast),
            _ => None,
        }
    }
}

/// The server's settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The phone book file; `None` uses the built-in book (the committed
    /// `fixtures/phonebook.json`, see [`crate::builtin_phonebook`]).
    pub phonebook: Option<PathBuf>,
    /// How simulated time passes.
    pub clock: ClockMode,
    /// The accounts allowed in (at least one).
    pub accounts: Vec<Account>,
    /// Where calls are stored.
    pub db: StoreLocation,
    /// How long an app request may take before it fails the call (11200). Twilio's
    /// documented TwiML fetch timeout is 15 s.
    pub app_timeout: Duration,
    /// How long a shutdown waits for running calls to record their end and make their
    /// final app request.
    pub shutdown_grace: Duration,
    /// PEM files of certificate authorities trusted for https apps, besides the
    /// platform's (`--ca-cert`).
    pub ca_certs: Vec<PathBuf>,
    /// Client connections: header-read timeout and how many may be open.
    pub limits: Limits,
}

impl ServerConfig {
    /// Defaults: `127.0.0.1:8008`, the default phone book, real clock, one generated
    /// account, the default database file.
    pub fn new(accounts: Vec<Account>) -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8008)),
            phonebook: None,
            clock: ClockMode::Real,
            accounts,
            db: StoreLocation::File(default_db_path()),
            app_timeout: Duration::from_secs(15),
            shutdown_grace: Duration::from_secs(10),
            ca_certs: Vec::new(),
            limits: Limits::default(),
        }
    }
}

/// `$XDG_DATA_HOME/ringside/ringside.db`, else `~/.local/share/ringside/ringside.db`, else
/// `ringside.db` in the working directory.
pub fn default_db_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local").join("share"))
        });
    match base {
        Some(dir) => dir.join("ringside").join("ringside.db"),
        None => PathBuf::from("ringside.db"),
    }
}
