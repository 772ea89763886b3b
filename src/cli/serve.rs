//! `ringside serve`: the 2008-08-01 and 2010-04-01 REST APIs over HTTP, until Ctrl-C.
//!
//! Prints the base URL, the account's credentials and the bound address on stdout, one
//! `Name: value` per line (scripts and tests read them), then serves. On Ctrl-C (or
//! SIGTERM) it stops accepting requests, ends the calls in progress, records them (each
//! call whose app was never requested gets that request first), and exits 0, all within
//! `--shutdown-grace`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use ringside_call::AccountSid;
use ringside_server::{
    Account, ClockMode, Limits, Server, ServerConfig, StoreLocation, default_db_path,
};

use super::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on: HOST:PORT, or :PORT for 127.0.0.1:PORT (port 0 picks a free
    /// port; the bound address is printed).
    #[arg(long, default_value = "127.0.0.1:8008", value_name = "ADDR", value_parser = parse_listen)]
    listen: SocketAddr,

    /// Phone book: what happens when each number is called [default: the built-in book,
    /// the repository's fixtures/phonebook.json compiled in].
    #[arg(long, value_name = "FILE")]
    phonebook: Option<PathBuf>,

    /// `real`: calls take real time; `fast`: as fast as the CPU allows.
    #[arg(long, default_value = "real", value_parser = ["real", "fast"])]
    clock: String,

    /// Account sid (`AC` + 32 hex); generated when not given.
    #[arg(long, env = "RINGSIDE_ACCOUNT_SID", value_name = "SID")]
    account: Option<String>,

    /// Auth token for the account; generated when not given.
    #[arg(
        long,
        env = "RINGSIDE_AUTH_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: Option<String>,

    /// Call store: a SQLite file, or `:memory:` [default: ringside/ringside.db in the user's
    /// data directory].
    #[arg(long, value_name = "PATH")]
    db: Option<String>,

    /// Seconds an app request may take before the call fails with a Notification.
    #[arg(long, default_value_t = 15, value_name = "SECS")]
    app_timeout: u64,

    /// Seconds a shutdown (Ctrl-C, SIGTERM) waits for calls in progress to end, be
    /// recorded and make their final app request; calls still running then are marked
    /// failed at the next start.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    shutdown_grace: u64,

    /// Seconds a client may take to send a request's headers before its connection is
    /// closed.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    header_timeout: u64,

    /// How many client connections may be open at once; more are closed on arrival.
    #[arg(long, default_value_t = 512, value_name = "N")]
    max_connections: usize,

    /// A PEM file of certificate authorities to trust for https apps, besides the
    /// system's (a private CA, or an app's self-signed certificate). Repeatable.
    #[arg(long, value_name = "FILE")]
    ca_cert: Vec<PathBuf>,
}

/// `HOST:PORT`, or `:PORT` for the loopback address (a server is private unless told to
/// listen on `0.0.0.0:PORT`).
fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    let full = match s.strip_prefix(':') {
        Some(port) => format!("127.0.0.1:{port}"),
        None => s.to_owned(),
    };
    full.parse().map_err(|_| {
        format!("{s:?} is not an address: give HOST:PORT (127.0.0.1:8008) or :PORT (:0 picks a free port)")
    })
}

fn account(args: &Args) -> anyhow::Result<Account> {
    match (&args.account, &args.token) {
        (None, None) => Ok(Account::generate()),
        (Some(sid), Some(token)) => {
            let sid = AccountSid::parse(sid).with_context(|| "--account")?;
            if token.is_empty() {
                bail!("--token must not be empty");
            }
            Ok(Account::new(sid, token.clone()))
        }
        _ => bail!(
            "give both --account and --token (or RINGSIDE_ACCOUNT_SID and RINGSIDE_AUTH_TOKEN), or neither to generate them"
        ),
    }
}

pub fn run(args: &Args) -> anyhow::Result<Status> {
    let account = account(args)?;
    let mut config = ServerConfig::new(vec![account.clone()]);
    config.listen = args.listen;
    config.phonebook = args.phonebook.clone();
    config.clock = ClockMode::parse(&args.clock).unwrap_or_default();
    config.db = match &args.db {
        Some(db) => StoreLocation::parse(db),
        None => StoreLocation::File(default_db_path()),
    };
    config.app_timeout = Duration::from_secs(args.app_timeout.max(1));
    config.ca_certs = args.ca_cert.clone();
    config.shutdown_grace = Duration::from_secs(args.shutdown_grace);
    config.limits = Limits {
        header_read_timeout: Duration::from_secs(args.header_timeout.max(1)),
        max_connections: args.max_connections.max(1),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let server = Server::bind(config.clone()).await?;
        let base = server.base_url();
        let mut out = std::io::stdout().lock();
        writeln!(out, "Base URL: {base}/2008-08-01")?;
        writeln!(out, "AccountSid: {}", account.sid)?;
        writeln!(out, "AuthToken: {}", account.token)?;
        writeln!(
            out,
            "Calls: {base}/2008-08-01/Accounts/{}/Calls",
            account.sid
        )?;
        writeln!(
            out,
            "Calls (2010-04-01): {base}/2010-04-01/Accounts/{}/Calls.json",
            account.sid
        )?;
        writeln!(out, "Listening: {}", server.local_addr())?;
        out.flush()?;
        drop(out);
        let phonebook = config.phonebook.as_ref().map_or_else(
            || {
                format!(
                    "built-in (recordings from {})",
                    ringside_server::builtin_phonebook::fixtures_dir().display()
                )
            },
            |p| p.display().to_string(),
        );
        let db = match &config.db {
            StoreLocation::Memory => ":memory:".to_owned(),
            StoreLocation::File(p) => p.display().to_string(),
        };
        eprintln!(
            "serving (clock {}, phone book {phonebook}, store {db}); Ctrl-C to stop",
            args.clock
        );
        server.run(shutdown_signal()).await?;
        eprintln!("stopped; every call recorded");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(Status::Success)
}

/// Completes on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn listen_takes_host_port_or_a_bare_port() {
        assert_eq!(parse_listen(":0").unwrap(), "127.0.0.1:0".parse().unwrap());
        assert_eq!(
            parse_listen(":8008").unwrap(),
            "127.0.0.1:8008".parse().unwrap()
        );
        assert_eq!(
            parse_listen("0.0.0.0:80").unwrap(),
            "0.0.0.0:80".parse().unwrap()
        );
        assert_eq!(parse_listen("[::1]:9").unwrap(), "[::1]:9".parse().unwrap());
        for bad in [":", ":x", "8008", ":70000", "localhost"] {
            let e = parse_listen(bad).unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
    }
}
