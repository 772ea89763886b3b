//! The embedded store: calls, notifications and recordings in SQLite (rusqlite, bundled).
//!
//! One connection behind a mutex. SQLite serialises writers anyway, and every statement
//! here touches a handful of rows, so one connection costs nothing measurable and keeps the
//! store free of pool tuning. Callers on the async runtime go through [`Store::run`], which
//! moves the work to tokio's blocking pool so a slow disk never stalls request handling.
//!
//! A file database runs in WAL mode with `synchronous=NORMAL`: a commit survives a crash of
//! the process (nothing is lost on a clean or unclean shutdown of ringside), and only an OS
//! crash or power loss can drop the last transactions — the right trade for a simulator.

mod calls;
mod children;
mod segments;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::error::ServerError;

pub use calls::CallRow;

/// Where the store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// A database file (created with its parent directory if missing).
    File(std::path::PathBuf),
    /// In memory: gone when the server stops (`--db :memory:`).
    Memory,
}

impl StoreLocation {
    /// `:memory:` or a path.
    pub fn parse(s: &str) -> Self {
        if s == ":memory:" {
            StoreLocation::Memory
        } else {
            StoreLocation::File(s.into())
        }
    }
}

/// The server's persistent state. Cheap to clone (shared connection).
#[derive(Debug, Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS calls (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    sid              TEXT NOT NULL UNIQUE,
    account_sid      TEXT NOT NULL,
    called           TEXT NOT NULL,
    caller           TEXT NOT NULL,
    phone_number_sid TEXT NOT NULL,
    status           INTEGER NOT NULL,
    start_time       INTEGER NOT NULL,
    end_time         INTEGER,
    duration         INTEGER,
    flags            INTEGER NOT NULL,
    date_created     INTEGER NOT NULL,
    date_updated     INTEGER NOT NULL,
    url              TEXT NOT NULL,
    method           TEXT NOT NULL,
    dial_status      TEXT,
    api_version      TEXT NOT NULL DEFAULT '2008-08-01',
    api_status       TEXT NOT NULL DEFAULT '',
    answered_by      TEXT
);
CREATE INDEX IF NOT EXISTS calls_by_account ON calls (account_sid, date_created);
CREATE TABLE IF NOT EXISTS notifications (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    sid            TEXT NOT NULL UNIQUE,
    account_sid    TEXT NOT NULL,
    call_sid       TEXT NOT NULL,
    log            INTEGER NOT NULL,
    error_code     INTEGER NOT NULL,
    message_text   TEXT NOT NULL,
    message_date   INTEGER NOT NULL,
    request_url    TEXT NOT NULL,
    request_method TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_by_call ON notifications (account_sid, call_sid);
CREATE TABLE IF NOT EXISTS recordings (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    sid          TEXT NOT NULL UNIQUE,
    account_sid  TEXT NOT NULL,
    call_sid     TEXT NOT NULL,
    duration     INTEGER NOT NULL,
    date_created INTEGER NOT NULL,
    wav          BLOB NOT NULL,
    source       TEXT NOT NULL DEFAULT 'RecordVerb'
);
CREATE INDEX IF NOT EXISTS recordings_by_call ON recordings (account_sid, call_sid);
CREATE TABLE IF NOT EXISTS segments (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_sid      TEXT NOT NULL UNIQUE,
    call_sid         TEXT NOT NULL,
    account_sid      TEXT NOT NULL,
    called           TEXT NOT NULL,
    caller           TEXT NOT NULL,
    phone_number_sid TEXT NOT NULL,
    status           INTEGER NOT NULL,
    start_time       INTEGER NOT NULL,
    end_time         INTEGER,
    duration         INTEGER,
    date_created     INTEGER NOT NULL,
    date_updated     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS segments_by_call ON segments (account_sid, call_sid);
";

impl Store {
    /// Opens (creating if needed) the store at `location`.
    pub fn open(location: &StoreLocation) -> Result<Self, ServerError> {
        let conn = match location {
            StoreLocation::Memory => Connection::open_in_memory()?,
            StoreLocation::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        ServerError::internal(format!("creating {}: {e}", dir.display()))
                    })?;
                }
                let conn = Connection::open(path)?;
                conn.pragma_update(None, "journal_mode", "WAL")?;
                conn.pragma_update(None, "synchronous", "NORMAL")?;
                conn
            }
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Opens the store at a path given as text (`:memory:` or a file).
    pub fn open_path(path: &Path) -> Result<Self, ServerError> {
        Store::open(&StoreLocation::parse(&path.to_string_lossy()))
    }

    /// Runs `f` on the connection, here and now (for blocking contexts and tests).
    pub fn with<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> Result<R, ServerError> {
        // A panic while holding the lock cannot leave SQLite inconsistent (statements are
        // atomic), so a poisoned lock is still safe to use.
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(f(&conn)?)
    }

    /// Runs `f` on the connection in tokio's blocking pool.
    pub async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, ServerError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.with(f)).await?
    }
}

/// Columns added since the first schema: a store written by an older ringside gets them
/// (with their defaults) when it is opened.
const ADDED_COLUMNS: [(&str, &str, &str); 4] = [
    ("calls", "api_version", "TEXT NOT NULL DEFAULT '2008-08-01'"),
    ("calls", "api_status", "TEXT NOT NULL DEFAULT ''"),
    ("calls", "answered_by", "TEXT"),
    ("recordings", "source", "TEXT NOT NULL DEFAULT 'RecordVerb'"),
];

fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    for (table, column, definition) in ADDED_COLUMNS {
        let present: bool = conn.query_row(
            "SELECT COUNT(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
            rusqlite::params![table, column],
            |r| r.get(0),
        )?;
        if !present {
            conn.execute_batch(&format!(
                "ALTER TABLE {table} ADD COLUMN {column} {definition}"
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
