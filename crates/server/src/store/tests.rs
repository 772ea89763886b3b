//! Store round trips: what goes in comes back out, per account, paged and filtered.

use ringside_call::{AccountSid, CallSid, CallStatus, Method};

use super::*;
use crate::filter::CallFilter;
use crate::page::PageRequest;
use crate::resources::{CallRecord, NotificationRecord, RecordingRecord};

fn call(n: u128, account: u128, created: i64) -> CallRecord {
    CallRecord {
        sid: CallSid::from_u128(n),
        account_sid: AccountSid::from_u128(account),
        called: format!("41555500{:02}", n % 100),
        caller: "4158675309".into(),
        phone_number_sid: "PN0".into(),
        status: CallStatus::NotDialled,
        start_time: created,
        end_time: None,
        duration: None,
        flags: 2,
        date_created: created,
        date_updated: created,
        url: "http://app.example/".into(),
        method: Method::Get,
        dial_status: None,
        api: crate::resources::CallApi::default(),
    }
}

const PAGE: PageRequest = PageRequest { page: 0, num: 50 };

#[test]
fn calls_round_trip_and_update() {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    let mut c = call(1, 1, 1000);
    store.with(|conn| CallRow::upsert(conn, &c)).unwrap();
    let got = store
        .with(|conn| CallRow::get(conn, c.account_sid, c.sid))
        .unwrap();
    assert_eq!(got.as_ref(), Some(&c));
    c.status = CallStatus::Complete;
    c.end_time = Some(5000);
    c.duration = Some(4);
    c.dial_status = Some("answered".into());
    store.with(|conn| CallRow::upsert(conn, &c)).unwrap();
    let got = store
        .with(|conn| CallRow::get(conn, c.account_sid, c.sid))
        .unwrap();
    assert_eq!(got, Some(c.clone()));
    // Another account cannot see it.
    let other = store
        .with(|conn| CallRow::get(conn, AccountSid::from_u128(2), c.sid))
        .unwrap();
    assert_eq!(other, None);
}

#[test]
fn lists_are_newest_first_filtered_and_paged() {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    for n in 1..=7 {
        let mut c = call(n, 1, i64::try_from(n).unwrap() * 1000);
        if n % 2 == 0 {
            c.status = CallStatus::Busy;
        }
        store.with(|conn| CallRow::upsert(conn, &c)).unwrap();
    }
    store
        .with(|conn| CallRow::upsert(conn, &call(99, 2, 500)))
        .unwrap();
    let a = AccountSid::from_u128(1);
    let (total, rows) = store
        .with(|conn| {
            CallRow::list(
                conn,
                a,
                &CallFilter::default(),
                PageRequest { page: 1, num: 3 },
            )
        })
        .unwrap();
    assert_eq!(total, 7);
    let sids: Vec<u128> = rows.iter().map(|c| c.sid.as_u128()).collect();
    assert_eq!(sids, vec![4, 3, 2]);
    let busy = CallFilter {
        status: Some(CallStatus::Busy),
        ..CallFilter::default()
    };
    let (total, _) = store
        .with(|conn| CallRow::list(conn, a, &busy, PAGE))
        .unwrap();
    assert_eq!(total, 3);
    let window = CallFilter {
        start_from: Some(2000),
        start_before: Some(4000),
        ..CallFilter::default()
    };
    let (total, _) = store
        .with(|conn| CallRow::list(conn, a, &window, PAGE))
        .unwrap();
    assert_eq!(total, 2);
}

#[test]
fn children_round_trip_and_survive_reopening() {
    let dir = std::env::temp_dir().join(format!("ringside-store-{}", crate::sid::prefixed("T")));
    let path = dir.join("calls.db");
    let location = StoreLocation::File(path.clone());
    let c = call(1, 1, 1000);
    let n = NotificationRecord {
        sid: "NO1".into(),
        account_sid: c.account_sid,
        call_sid: c.sid,
        log: 0,
        error_code: 11200,
        message_text: "could not connect".into(),
        message_date: 2000,
        request_url: "http://app.example/".into(),
        request_method: "GET".into(),
    };
    let r = RecordingRecord {
        sid: "RE1".into(),
        account_sid: c.account_sid,
        call_sid: c.sid,
        duration: 3,
        date_created: 3000,
        source: crate::resources::RecordingSource::RecordVerb,
    };
    {
        let store = Store::open(&location).unwrap();
        store.with(|conn| CallRow::upsert(conn, &c)).unwrap();
        store
            .with(|conn| Store::insert_notification(conn, &n))
            .unwrap();
        store
            .with(|conn| Store::insert_recording(conn, &r, b"RIFF...."))
            .unwrap();
    }
    let store = Store::open(&location).unwrap();
    let (total, ns) = store
        .with(|conn| Store::list_notifications(conn, c.account_sid, Some(c.sid), PAGE))
        .unwrap();
    assert_eq!((total, ns), (1, vec![n]));
    let (_, rs) = store
        .with(|conn| Store::list_recordings(conn, c.account_sid, None, PAGE))
        .unwrap();
    assert_eq!(rs, vec![r.clone()]);
    let got = store
        .with(|conn| Store::get_recording(conn, c.account_sid, "RE1"))
        .unwrap();
    assert_eq!(got, Some((r, b"RIFF....".to_vec())));
    assert_eq!(
        store
            .with(|conn| Store::get_recording(conn, AccountSid::from_u128(9), "RE1"))
            .unwrap(),
        None
    );
    // The unfinished call is recovered as failed.
    assert_eq!(
        store
            .with(|conn| CallRow::recover_unfinished(conn, 9000))
            .unwrap()
            .iter()
            .map(|r| r.sid)
            .collect::<Vec<_>>(),
        vec![c.sid]
    );
    let got = store
        .with(|conn| CallRow::get(conn, c.account_sid, c.sid))
        .unwrap()
        .unwrap();
    assert_eq!((got.status, got.end_time), (CallStatus::Failed, Some(9000)));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn segments_round_trip_update_and_page_per_call() {
    use crate::resources::{FLAG_DIAL_LEG, SegmentRecord};
    let store = Store::open(&StoreLocation::Memory).unwrap();
    let parent = call(1, 1, 1000);
    let mut leg = SegmentRecord {
        segment_sid: format!("CA{}", "a".repeat(32)),
        call: CallRecord {
            called: "4155550100".into(),
            status: CallStatus::InProgress,
            flags: FLAG_DIAL_LEG,
            url: String::new(),
            method: Method::Post,
            ..parent.clone()
        },
    };
    store.with(|c| Store::upsert_segment(c, &leg)).unwrap();
    leg.call.status = CallStatus::Complete;
    leg.call.end_time = Some(2000);
    leg.call.duration = Some(6);
    store.with(|c| Store::upsert_segment(c, &leg)).unwrap();
    let (total, got) = store
        .with(|c| Store::list_segments(c, parent.account_sid, parent.sid, PAGE))
        .unwrap();
    assert_eq!((total, got), (1, vec![leg.clone()]));
    // Another call, or another account, sees none.
    let (total, _) = store
        .with(|c| Store::list_segments(c, parent.account_sid, CallSid::from_u128(9), PAGE))
        .unwrap();
    assert_eq!(total, 0);
    let (total, _) = store
        .with(|c| Store::list_segments(c, AccountSid::from_u128(7), parent.sid, PAGE))
        .unwrap();
    assert_eq!(total, 0);
}
