//! Segment rows: the `<Dial>` legs of a call.

use ringside_call::{AccountSid, CallSid, CallStatus, Method};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::page::PageRequest;
use crate::resources::{CallApi, CallRecord, FLAG_DIAL_LEG, SegmentRecord};

use super::Store;

const COLUMNS: &str = "segment_sid, call_sid, account_sid, called, caller, phone_number_sid, \
     status, start_time, end_time, duration, date_created, date_updated";

fn conversion(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("bad {what} in store").into(),
    )
}

fn segment(row: &Row<'_>) -> rusqlite::Result<SegmentRecord> {
    let call: String = row.get(1)?;
    let account: String = row.get(2)?;
    let status: u8 = row.get(6)?;
    Ok(SegmentRecord {
        segment_sid: row.get(0)?,
        call: CallRecord {
            sid: CallSid::parse(&call).map_err(|_| conversion(1, "call sid"))?,
            account_sid: AccountSid::parse(&account).map_err(|_| conversion(2, "account sid"))?,
            called: row.get(3)?,
            caller: row.get(4)?,
            phone_number_sid: row.get(5)?,
            status: CallStatus::from_code(status).ok_or_else(|| conversion(6, "status"))?,
            start_time: row.get(7)?,
            end_time: row.get(8)?,
            duration: row.get::<_, Option<i64>>(9)?.map(|d| d.max(0) as u64),
            flags: FLAG_DIAL_LEG,
            date_created: row.get(10)?,
            date_updated: row.get(11)?,
            // Not part of a segment's XML; a leg runs no app of its own.
            url: String::new(),
            method: Method::Post,
            dial_status: None,
            api: CallApi::default(),
        },
    })
}

impl Store {
    /// Inserts a leg, or updates the row of the same segment sid (status, times).
    pub fn upsert_segment(conn: &Connection, s: &SegmentRecord) -> rusqlite::Result<()> {
        let c = &s.call;
        conn.execute(
            &format!(
                "INSERT INTO segments ({COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)
                 ON CONFLICT(segment_sid) DO UPDATE SET status=excluded.status,
                   end_time=excluded.end_time, duration=excluded.duration,
                   date_updated=excluded.date_updated"
            ),
            params![
                s.segment_sid,
                c.sid.to_string(),
                c.account_sid.to_string(),
                c.called,
                c.caller,
                c.phone_number_sid,
                c.status.code(),
                c.start_time,
                c.end_time,
                c.duration.map(|d| i64::try_from(d).unwrap_or(i64::MAX)),
                c.date_created,
                c.date_updated,
            ],
        )?;
        Ok(())
    }

    /// A page of one call's legs, oldest first, and how many there are.
    /// The account's leg with this segment sid.
    pub fn get_segment(
        conn: &Connection,
        account: AccountSid,
        segment_sid: &str,
    ) -> rusqlite::Result<Option<SegmentRecord>> {
        conn.query_row(
            &format!("SELECT {COLUMNS} FROM segments WHERE segment_sid = ?1 AND account_sid = ?2"),
            params![segment_sid, account.to_string()],
            segment,
        )
        .optional()
    }

    pub fn list_segments(
        conn: &Connection,
        account: AccountSid,
        call: CallSid,
        page: PageRequest,
    ) -> rusqlite::Result<(u64, Vec<SegmentRecord>)> {
        let (account, call) = (account.to_string(), call.to_string());
        let total: i64 = conn.query_row(
            "SELECT COUNT(*) FROM segments WHERE account_sid = ?1 AND call_sid = ?2",
            params![account, call],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM segments WHERE account_sid = ?1 AND call_sid = ?2
             ORDER BY seq LIMIT ?3 OFFSET ?4"
        ))?;
        let rows = stmt
            .query_map(
                params![
                    account,
                    call,
                    i64::from(page.num),
                    i64::try_from(page.offset()).unwrap_or(i64::MAX)
                ],
                segment,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((total.max(0) as u64, rows))
    }
}
