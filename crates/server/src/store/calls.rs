//! Call rows: insert, update, fetch one, list a filtered page, and recover calls that a
//! crashed server left unfinished.

use ringside_call::{AccountSid, AnsweredBy, CallSid, CallStatus, Method};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::filter::CallFilter;
use crate::page::PageRequest;
use crate::resources::{ApiKind, CallApi, CallRecord};

/// The `calls` table's operations.
#[derive(Debug)]
pub struct CallRow;

const COLUMNS: &str = "sid, account_sid, called, caller, phone_number_sid, status, start_time, \
     end_time, duration, flags, date_created, date_updated, url, method, dial_status, api_version, \
     api_status, answered_by";

fn from_row(row: &Row<'_>) -> rusqlite::Result<CallRecord> {
    let text_err = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("bad {what} in store").into(),
        )
    };
    let sid: String = row.get(0)?;
    let account: String = row.get(1)?;
    let status: u8 = row.get(5)?;
    let method: String = row.get(13)?;
    Ok(CallRecord {
        sid: CallSid::parse(&sid).map_err(|_| text_err(0, "call sid"))?,
        account_sid: AccountSid::parse(&account).map_err(|_| text_err(1, "account sid"))?,
        called: row.get(2)?,
        caller: row.get(3)?,
        phone_number_sid: row.get(4)?,
        status: CallStatus::from_code(status).ok_or_else(|| text_err(5, "status"))?,
        start_time: row.get(6)?,
        end_time: row.get(7)?,
        duration: row.get::<_, Option<i64>>(8)?.map(|d| d.max(0) as u64),
        flags: row.get(9)?,
        date_created: row.get(10)?,
        date_updated: row.get(11)?,
        url: row.get(12)?,
        method: Method::parse(&method).ok_or_else(|| text_err(13, "method"))?,
        dial_status: row.get(14)?,
        api: CallApi {
            version: ApiKind::parse(&row.get::<_, String>(15)?),
            status: row.get(16)?,
            answered_by: row
                .get::<_, Option<String>>(17)?
                .as_deref()
                .and_then(AnsweredBy::parse),
        },
    })
}

impl CallRow {
    /// Inserts a new call, or replaces the row of the same sid (the driver's updates).
    pub fn upsert(conn: &Connection, c: &CallRecord) -> rusqlite::Result<()> {
        conn.execute(
            &format!(
                "INSERT INTO calls ({COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)
                 ON CONFLICT(sid) DO UPDATE SET status=excluded.status, start_time=excluded.start_time,
                   end_time=excluded.end_time, duration=excluded.duration,
                   date_updated=excluded.date_updated, dial_status=excluded.dial_status,
                   api_status=excluded.api_status, answered_by=excluded.answered_by"
            ),
            params![
                c.sid.to_string(),
                c.account_sid.to_string(),
                c.called,
                c.caller,
                c.phone_number_sid,
                c.status.code(),
                c.start_time,
                c.end_time,
                c.duration.map(|d| i64::try_from(d).unwrap_or(i64::MAX)),
                c.flags,
                c.date_created,
                c.date_updated,
                c.url,
                c.method.as_str(),
                c.dial_status,
                c.api.version.as_str(),
                c.api.status,
                c.api.answered_by.map(AnsweredBy::as_str),
            ],
        )?;
        Ok(())
    }

    /// The account's call with this sid.
    pub fn get(
        conn: &Connection,
        account: AccountSid,
        sid: CallSid,
    ) -> rusqlite::Result<Option<CallRecord>> {
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM calls WHERE sid = ?1 AND account_sid = ?2"),
            params![sid.to_string(), account.to_string()],
            from_row,
        )
        .optional()
    }

    /// One page of the account's calls matching `filter`, newest first, and how many match
    /// in all.
    pub fn list(
        conn: &Connection,
        account: AccountSid,
        filter: &CallFilter,
        page: PageRequest,
    ) -> rusqlite::Result<(u64, Vec<CallRecord>)> {
        let mut clauses = vec!["account_sid = ?".to_owned()];
        let mut values: Vec<Value> = vec![Value::Text(account.to_string())];
        if let Some(called) = &filter.called {
            clauses.push("called = ?".into());
            values.push(Value::Text(called.clone()));
        }
        if let Some(caller) = &filter.caller {
            clauses.push("caller = ?".into());
            values.push(Value::Text(caller.clone()));
        }
        if let Some(status) = filter.status {
            clauses.push("status = ?".into());
            values.push(Value::Integer(i64::from(status.code())));
        }
        if let Some(status) = &filter.status_2010 {
            clauses.push("api_status = ?".into());
            values.push(Value::Text(status.clone()));
        }
        if let Some(from) = filter.end_from {
            clauses.push("end_time >= ?".into());
            values.push(Value::Integer(from));
        }
        if let Some(before) = filter.end_before {
            clauses.push("end_time < ?".into());
            values.push(Value::Integer(before));
        }
        if let Some(from) = filter.start_from {
            clauses.push("start_time >= ?".into());
            values.push(Value::Integer(from));
        }
        if let Some(before) = filter.start_before {
            clauses.push("start_time < ?".into());
            values.push(Value::Integer(before));
        }
        let filter_sql = clauses.join(" AND ");
        let total: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM calls WHERE {filter_sql}"),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        let mut paged = values;
        paged.push(Value::Integer(i64::from(page.num)));
        paged.push(Value::Integer(
            i64::try_from(page.offset()).unwrap_or(i64::MAX),
        ));
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM calls WHERE {filter_sql}
             ORDER BY date_created DESC, seq DESC LIMIT ? OFFSET ?"
        ))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(paged.iter()), from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((total.max(0) as u64, rows))
    }

    /// Deletes the account's call with this sid and its `<Dial>` legs (its recordings and
    /// notifications stay, as resources of their own). True if there was one.
    pub fn delete(conn: &Connection, account: AccountSid, sid: CallSid) -> rusqlite::Result<bool> {
        let (sid, account) = (sid.to_string(), account.to_string());
        conn.execute(
            "DELETE FROM segments WHERE call_sid = ?1 AND account_sid = ?2",
            params![sid, account],
        )?;
        let n = conn.execute(
            "DELETE FROM calls WHERE sid = ?1 AND account_sid = ?2",
            params![sid, account],
        )?;
        Ok(n > 0)
    }

    /// Ends every call still marked 0 or 1: only a server that stopped without ending its
    /// calls (a crash, a kill) leaves such rows, and no driver will ever finish them. They
    /// become failed (4) at `now`. Returns them as they were before.
    pub fn recover_unfinished(conn: &Connection, now: i64) -> rusqlite::Result<Vec<CallRecord>> {
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM calls WHERE status IN (0, 1)"
        ))?;
        let unfinished = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        conn.execute(
            "UPDATE calls SET status = 4, api_status = 'failed', end_time = ?1, duration = 0,
               date_updated = ?1
             WHERE status IN (0, 1)",
            params![now],
        )?;
        Ok(unfinished)
    }
}
