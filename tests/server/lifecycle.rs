//! Stopping and starting: restart persistence, calls in progress at shutdown, and the
//! real `ringside serve` binary.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_lists_old_calls_and_ends_live_ones_on_shutdown() {
    let dir = crate::util::scratch("server_restart");
    let db = StoreLocation::File(dir.join("calls.db"));
    let app = TestApp::start().await;

    // First server (fast clock): two finished calls with a notification.
    let server = start_with(config(db.clone(), ClockMode::Fast)).await;
    let api = Api::new(&server);
    let done = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550103"),
            ("Url", &app.url("/")),
        ])
        .await;
    let failed = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550100"),
            ("Url", "http://127.0.0.1:1/down"),
        ])
        .await;
    api.wait_final(&done).await;
    api.wait_final(&failed).await;
    server.stop().await.unwrap();

    // Second server (real clock): a call that rings for a minute is in progress when the
    // server stops; it must be ended and recorded, not left "in progress".
    let server = start_with(config(db.clone(), ClockMode::Real)).await;
    let api = Api::new(&server);
    let r = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Calls"))
        .await;
    assert_eq!(tags(&r.body, "Sid"), vec![failed.clone(), done.clone()]);
    let n = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{failed}/Notifications"
        ))
        .await;
    assert_eq!(tag(&n.body, "ErrorCode").as_deref(), Some("11200"));
    let ringing = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550104"),
            ("Url", &app.url("/")),
        ])
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        tag(&api.call(&ringing).await.body, "Status").as_deref(),
        Some("1")
    );
    server.stop().await.unwrap();

    // Third server: everything is there, and the interrupted call is final.
    let server = start_with(config(db, ClockMode::Fast)).await;
    let api = Api::new(&server);
    let r = api
        .get(&format!("/2008-08-01/Accounts/{SID_A}/Calls"))
        .await;
    assert_eq!(attr(&r.body, "Calls", "total").as_deref(), Some("3"));
    let xml = api.call(&ringing).await.body;
    // Cancelled before answer: no-answer (5), with an end time.
    assert_eq!(tag(&xml, "Status").as_deref(), Some("5"), "{xml}");
    assert!(!tag(&xml, "EndTime").unwrap().is_empty());
    assert_eq!(
        tag(&api.call(&done).await.body, "Status").as_deref(),
        Some("3")
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_command_prints_credentials_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ringside"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--db",
            ":memory:",
            "--clock",
            "fast",
        ])
        .current_dir(crate::util::root())
        .env_remove("RINGSIDE_ACCOUNT_SID")
        .env_remove("RINGSIDE_AUTH_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut field = |name: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(&format!("{name}: "))
            .unwrap_or_else(|| panic!("{line}"))
            .to_owned()
    };
    let base = field("Base URL");
    let sid = field("AccountSid");
    let token = field("AuthToken");
    assert!(sid.starts_with("AC") && sid.len() == 34, "{sid}");
    assert_eq!(token.len(), 32);
    let http = reqwest::Client::new();
    let calls = format!("{base}/Accounts/{sid}/Calls");
    let r = http
        .get(&calls)
        .basic_auth(&sid, Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(&calls)
        .basic_auth(&sid, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Ctrl-C: a clean exit.
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
