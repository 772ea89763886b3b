//! Load without loss: 1,000 calls created concurrently against one server (the client
//! keeps 64 in flight). Every call reaches a final status, and the app receives exactly
//! one first request per call, validly signed. Counted, not timed.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::*;

const CALLS: usize = 1000;
const IN_FLIGHT: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_all_end_with_one_signed_first_request_each() {
    let server = start().await;
    let app = TestApp::start().await;
    let api = Arc::new(Api::new(&server));
    let url = app.url("/");
    // A person, busy, a network failure, and a person behind the detector.
    let kinds: [(&str, Option<&str>, &str); 4] = [
        ("4155550100", None, "2"),
        ("4155550103", None, "3"),
        ("4155550105", None, "4"),
        ("4155550100", Some("Continue"), "2"),
    ];
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = JoinSet::new();
    for i in 0..CALLS {
        let (called, if_machine, status) = kinds[i % kinds.len()];
        let (api, gate, url) = (Arc::clone(&api), Arc::clone(&gate), url.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let mut params = vec![("Caller", "4158675309"), ("Called", called), ("Url", &url)];
            if let Some(m) = if_machine {
                params.push(("IfMachine", m));
            }
            let sid = api.dial(&params).await;
            let xml = api.wait_final(&sid).await;
            (sid, tag(&xml, "Status").unwrap(), status)
        });
    }
    let mut sids = Vec::with_capacity(CALLS);
    while let Some(done) = tasks.join_next().await {
        let (sid, got, expected) = done.unwrap();
        assert_eq!(got, expected, "{sid}");
        sids.push(sid);
    }
    assert_eq!(sids.len(), CALLS);

    // Every call's first request (the one with DialStatus) arrived exactly once.
    let expected_requests = sids.len();
    let mut received = app.received();
    for _ in 0..200 {
        if received
            .iter()
            .filter(|r| r.param("DialStatus").is_some())
            .count()
            >= expected_requests
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        received = app.received();
    }
    let mut first: HashMap<&str, usize> = HashMap::new();
    for r in &received {
        assert_signed(r);
        if r.param("DialStatus").is_some() {
            *first.entry(r.param("CallSid").unwrap()).or_default() += 1;
        }
    }
    assert_eq!(first.len(), CALLS);
    for sid in &sids {
        assert_eq!(first.get(sid.as_str()), Some(&1), "{sid}");
    }
    server.stop().await.unwrap();
}
