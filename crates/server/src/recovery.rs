//! Calls a previous server left unfinished: found at start-up, ended and explained.
//!
//! A server that stops cleanly ends every call and records it (see [`crate::Server::run`]).
//! One that is killed (`kill -9`, a crash, a power cut) leaves calls at Status 0 or 1 that
//! no driver will ever finish. At the next start each becomes Status 4 with a Notification
//! saying the server stopped during the call, so `GET …/Notifications` tells an app why
//! the call failed instead of leaving it to guess.

use crate::error::ServerError;
use crate::resources::NotificationRecord;
use crate::sid;
use crate::store::{CallRow, Store};

/// The Notification's error code: 20500, Twilio's "Internal Server Error" — the call
/// failed on the service's side, not the app's.
pub const ERROR_SERVER_STOPPED: u32 = 20500;

/// Ends every unfinished call at `now` (epoch ms) with a Notification; returns how many.
pub fn recover_unfinished(store: &Store, now: i64) -> Result<usize, ServerError> {
    store.with(|c| {
        let tx = c.unchecked_transaction()?;
        let calls = CallRow::recover_unfinished(&tx, now)?;
        for call in &calls {
            let state = if call.status.code() == 0 {
                "before it was dialled"
            } else {
                "while it was in progress"
            };
            let row = NotificationRecord {
                sid: sid::prefixed("NO"),
                account_sid: call.account_sid,
                call_sid: call.sid,
                log: 0,
                error_code: ERROR_SERVER_STOPPED,
                message_text: format!(
                    "the server stopped during the call ({state}) and did not end it; \
                     it was marked failed when the server started again"
                ),
                message_date: now,
                request_url: call.url.clone(),
                request_method: call.method.as_str().to_owned(),
            };
            Store::insert_notification(&tx, &row)?;
        }
        tx.commit()?;
        Ok(calls.len())
    })
}
