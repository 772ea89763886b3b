//! Notification and recording rows: the resources hanging off a call.

use ringside_call::{AccountSid, CallSid};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::page::PageRequest;
use crate::resources::{NotificationRecord, RecordingRecord, RecordingSource};

use super::Store;

fn conversion(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("bad {what} in store").into(),
    )
}

fn account(row: &Row<'_>, i: usize) -> rusqlite::Result<AccountSid> {
    let s: String = row.get(i)?;
    AccountSid::parse(&s).map_err(|_| conversion(i, "account sid"))
}

fn call(row: &Row<'_>, i: usize) -> rusqlite::Result<CallSid> {
    let s: String = row.get(i)?;
    CallSid::parse(&s).map_err(|_| conversion(i, "call sid"))
}

fn notification(row: &Row<'_>) -> rusqlite::Result<NotificationRecord> {
    Ok(NotificationRecord {
        sid: row.get(0)?,
        account_sid: account(row, 1)?,
        call_sid: call(row, 2)?,
        log: row.get(3)?,
        error_code: row.get(4)?,
        message_text: row.get(5)?,
        message_date: row.get(6)?,
        request_url: row.get(7)?,
        request_method: row.get(8)?,
    })
}

fn recording(row: &Row<'_>) -> rusqlite::Result<RecordingRecord> {
    Ok(RecordingRecord {
        sid: row.get(0)?,
        account_sid: account(row, 1)?,
        call_sid: call(row, 2)?,
        duration: row.get::<_, i64>(3)?.max(0) as u64,
        date_created: row.get(4)?,
        source: RecordingSource::parse(&row.get::<_, String>(5)?),
    })
}

/// `WHERE` for an account's rows, optionally of one call, and its parameters.
fn scope(account: AccountSid, call: Option<CallSid>) -> (&'static str, Vec<String>) {
    match call {
        Some(c) => (
            "account_sid = ?1 AND call_sid = ?2",
            vec![account.to_string(), c.to_string()],
        ),
        None => ("account_sid = ?1", vec![account.to_string()]),
    }
}

fn page_of<T>(
    conn: &Connection,
    table: &str,
    columns: &str,
    account: AccountSid,
    call: Option<CallSid>,
    page: PageRequest,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<(u64, Vec<T>)> {
    let (filter, mut values) = scope(account, call);
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE {filter}"),
        rusqlite::params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    values.push(page.num.to_string());
    values.push(page.offset().to_string());
    let n = values.len();
    // Oldest first: notifications and recordings read as the call's story.
    let mut stmt = conn.prepare(&format!(
        "SELECT {columns} FROM {table} WHERE {filter} ORDER BY seq
         LIMIT CAST(?{} AS INTEGER) OFFSET CAST(?{n} AS INTEGER)",
        n - 1
    ))?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(values.iter()), map)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((total.max(0) as u64, rows))
}

const NOTIFICATION_COLUMNS: &str = "sid, account_sid, call_sid, log, error_code, message_text, \
     message_date, request_url, request_method";
const RECORDING_COLUMNS: &str = "sid, account_sid, call_sid, duration, date_created, source";

impl Store {
    /// Adds a notification.
    pub fn insert_notification(conn: &Connection, n: &NotificationRecord) -> rusqlite::Result<()> {
        conn.execute(
            &format!(
                "INSERT INTO notifications ({NOTIFICATION_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
            ),
            params![
                n.sid,
                n.account_sid.to_string(),
                n.call_sid.to_string(),
                n.log,
                n.error_code,
                n.message_text,
                n.message_date,
                n.request_url,
                n.request_method
            ],
        )?;
        Ok(())
    }

    /// A page of the account's notifications (of one call if `call` is given).
    pub fn list_notifications(
        conn: &Connection,
        account: AccountSid,
        call: Option<CallSid>,
        page: PageRequest,
    ) -> rusqlite::Result<(u64, Vec<NotificationRecord>)> {
        page_of(
            conn,
            "notifications",
            NOTIFICATION_COLUMNS,
            account,
            call,
            page,
            notification,
        )
    }

    /// Adds a recording and its WAV file.
    pub fn insert_recording(
        conn: &Connection,
        r: &RecordingRecord,
        wav: &[u8],
    ) -> rusqlite::Result<()> {
        conn.execute(
            &format!(
                "INSERT INTO recordings ({RECORDING_COLUMNS}, wav) VALUES (?1,?2,?3,?4,?5,?6,?7)"
            ),
            params![
                r.sid,
                r.account_sid.to_string(),
                r.call_sid.to_string(),
                i64::try_from(r.duration).unwrap_or(i64::MAX),
                r.date_created,
                r.source.as_str(),
                wav
            ],
        )?;
        Ok(())
    }

    /// A page of the account's recordings (of one call if `call` is given).
    pub fn list_recordings(
        conn: &Connection,
        account: AccountSid,
        call: Option<CallSid>,
        page: PageRequest,
    ) -> rusqlite::Result<(u64, Vec<RecordingRecord>)> {
        page_of(
            conn,
            "recordings",
            RECORDING_COLUMNS,
            account,
            call,
            page,
            recording,
        )
    }

    /// The account's recording with this sid and its WAV bytes.
    pub fn get_recording(
        conn: &Connection,
        account: AccountSid,
        sid: &str,
    ) -> rusqlite::Result<Option<(RecordingRecord, Vec<u8>)>> {
        conn.query_row(
            &format!(
                "SELECT {RECORDING_COLUMNS}, wav FROM recordings WHERE sid = ?1 AND account_sid = ?2"
            ),
            params![sid, account.to_string()],
            |row| Ok((recording(row)?, row.get::<_, Vec<u8>>(6)?)),
        )
        .optional()
    }

    /// The account's notification with this sid.
    pub fn get_notification(
        conn: &Connection,
        account: AccountSid,
        sid: &str,
    ) -> rusqlite::Result<Option<NotificationRecord>> {
        conn.query_row(
            &format!(
                "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE sid = ?1 AND account_sid = ?2"
            ),
            params![sid, account.to_string()],
            notification,
        )
        .optional()
    }
}
