//! Stopping and starting: restart persistence, calls in progress at shutdown, and the
//! real `ringside serve` binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

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

/// A `ringside serve` child process and what it printed.
struct Serve {
    child: Child,
    base: String,
    sid: String,
    token: String,
    listening: String,
}

impl Serve {
    /// Starts `ringside serve ARGS` in `dir` and reads its six stdout lines.
    fn spawn(dir: &Path, args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ringside"))
            .arg("serve")
            .args(args)
            .current_dir(dir)
            .env_remove("RINGSIDE_ACCOUNT_SID")
            .env_remove("RINGSIDE_AUTH_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
        let calls = field("Calls");
        let calls_2010 = field("Calls (2010-04-01)");
        assert_eq!(
            calls_2010,
            calls.replace("2008-08-01", "2010-04-01") + ".json"
        );
        let listening = field("Listening");
        Serve {
            child,
            base,
            sid,
            token,
            listening,
        }
    }

    /// A client, for servers started with account A's credentials.
    fn api(&self) -> Api {
        Api::at(self.base.trim_end_matches("/2008-08-01").to_owned())
    }

    /// Sends `signal` (`-INT`, `-TERM`) and returns the exit code.
    fn signal(mut self, signal: &str) -> Option<i32> {
        let sent = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        self.child.wait().unwrap().code()
    }
}

const AS_A: [&str; 4] = ["--account", SID_A, "--token", TOKEN_A];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_command_prints_credentials_and_stops_on_ctrl_c() {
    let serve = Serve::spawn(
        &crate::util::root(),
        &[
            "--listen",
            "127.0.0.1:0",
            "--db",
            ":memory:",
            "--clock",
            "fast",
        ],
    );
    let (base, sid, token) = (&serve.base, &serve.sid, &serve.token);
    assert!(sid.starts_with("AC") && sid.len() == 34, "{sid}");
    assert_eq!(token.len(), 32);
    let http = reqwest::Client::new();
    let calls = format!("{base}/Accounts/{sid}/Calls");
    let r = http
        .get(&calls)
        .basic_auth(sid, Some(token))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(&calls)
        .basic_auth(sid, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // Ctrl-C: a clean exit.
    assert_eq!(serve.signal("-INT"), Some(0));
}

/// Outside the repository, with no `--phonebook`, the numbers of the README's table still
/// do what it says: the built-in book is the committed one. `--listen :0` binds a free
/// loopback port and prints it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_run_elsewhere_dials_the_committed_phone_book_on_a_bare_port() {
    let dir = crate::util::scratch("serve_elsewhere");
    let mut args = vec!["--listen", ":0", "--db", ":memory:", "--clock", "fast"];
    args.extend(AS_A);
    let serve = Serve::spawn(&dir, &args);
    assert!(
        serve.listening.starts_with("127.0.0.1:"),
        "{}",
        serve.listening
    );
    assert_ne!(serve.listening, "127.0.0.1:0");
    assert_eq!(serve.base, format!("http://{}/2008-08-01", serve.listening));
    let app = TestApp::start().await;
    let api = serve.api();
    let mut expected = Vec::new();
    for (called, status, dial_status) in [
        ("415-555-0103", "3", "busy"),
        ("415-555-0104", "5", "no-answer"),
        ("415-555-0105", "4", "failed"),
        ("415-555-0102", "2", "answered-machine"),
    ] {
        let sid = api
            .dial(&[
                ("Caller", "4158675309"),
                ("Called", called),
                ("Url", &app.url("/")),
                ("IfMachine", "Continue"),
                ("Timeout", "5"),
            ])
            .await;
        expected.push((sid, called, status, dial_status));
    }
    for (sid, called, status, dial_status) in expected {
        let xml = api.wait_final(&sid).await;
        assert_eq!(
            tag(&xml, "Status").as_deref(),
            Some(status),
            "{called}: {xml}"
        );
        let first = app.wait_for(&sid, 1).await;
        assert_eq!(first[0].param("DialStatus"), Some(dial_status), "{called}");
    }
    assert_eq!(serve.signal("-TERM"), Some(0));
}

/// SIGTERM ends calls that are still ringing, and each gets the request every call gets
/// (here a no-answer), made before the process exits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_gives_the_calls_it_ends_their_final_request() {
    let dir = crate::util::scratch("serve_sigterm");
    let db = dir.join("calls.db");
    let db = db.to_str().unwrap();
    let mut args = vec!["--listen", ":0", "--db", db, "--shutdown-grace", "20"];
    args.extend(AS_A);
    let serve = Serve::spawn(&dir, &args);
    let app = TestApp::start().await;
    let api = serve.api();
    let mut sids = Vec::new();
    for method in ["POST", "GET"] {
        sids.push(
            api.dial(&[
                ("Caller", "4158675309"),
                ("Called", "4155550104"),
                ("Url", &app.url("/ended")),
                ("Method", method),
            ])
            .await,
        );
    }
    assert!(app.received().is_empty());
    assert_eq!(serve.signal("-TERM"), Some(0));
    // Nothing is waited for: the process has exited, so the requests were already made.
    for (sid, method) in sids.iter().zip(["POST", "GET"]) {
        let got = app.for_call(sid);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].method, method);
        assert_eq!(got[0].param("DialStatus"), Some("no-answer"));
        assert_eq!(got[0].param("CallStatus"), Some("no-answer"));
    }
    // Recorded as ended: a restarted server finds nothing to recover.
    let server = start_with(config(StoreLocation::File(db.into()), ClockMode::Fast)).await;
    let api = Api::new(&server);
    for sid in &sids {
        let xml = api.call(sid).await.body;
        assert_eq!(tag(&xml, "Status").as_deref(), Some("5"), "{xml}");
        let n = api
            .get(&format!(
                "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
            ))
            .await;
        assert_eq!(
            attr(&n.body, "Notifications", "total").as_deref(),
            Some("0")
        );
    }
    server.stop().await.unwrap();
}

/// After `kill -9`, the next start marks the calls it finds unfinished failed (Status 4)
/// and says why in a Notification.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_a_killed_server_left_are_failed_with_a_notification_at_restart() {
    let dir = crate::util::scratch("serve_killed");
    let db = dir.join("calls.db");
    let mut args = vec!["--listen", ":0", "--db", db.to_str().unwrap()];
    args.extend(AS_A);
    let mut serve = Serve::spawn(&dir, &args);
    let app = TestApp::start().await;
    let api = serve.api();
    let url = format!("http://user:secret@{}/x", app.authority());
    let sid = api
        .dial(&[
            ("Caller", "4158675309"),
            ("Called", "4155550104"),
            ("Url", &url),
        ])
        .await;
    // The store says in progress once the call is dialled.
    let mut status = String::new();
    for _ in 0..200 {
        status = tag(&api.call(&sid).await.body, "Status").unwrap();
        if status == "1" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(status, "1");
    serve.child.kill().unwrap();
    serve.child.wait().unwrap();

    let server = start_with(config(StoreLocation::File(db), ClockMode::Fast)).await;
    let api = Api::new(&server);
    let xml = api.call(&sid).await.body;
    assert_eq!(tag(&xml, "Status").as_deref(), Some("4"), "{xml}");
    assert!(!tag(&xml, "EndTime").unwrap().is_empty());
    let n = api
        .get(&format!(
            "/2008-08-01/Accounts/{SID_A}/Calls/{sid}/Notifications"
        ))
        .await
        .body;
    assert_eq!(
        attr(&n, "Notifications", "total").as_deref(),
        Some("1"),
        "{n}"
    );
    assert_eq!(tag(&n, "ErrorCode").as_deref(), Some("20500"), "{n}");
    assert!(
        tag(&n, "MessageText")
            .unwrap()
            .contains("the server stopped during the call"),
        "{n}"
    );
    assert_eq!(tag(&n, "RequestURL"), Some(app.url("/x")), "{n}");
    server.stop().await.unwrap();
}

/// A `--ca-cert` that cannot be used stops `serve` before it listens, naming the file.
#[test]
fn serve_refuses_a_ca_cert_it_cannot_use() {
    let dir = crate::util::scratch("serve_bad_ca");
    let text = dir.join("not-a-cert.pem");
    std::fs::write(&text, "hello\n").unwrap();
    let missing = dir.join("missing.pem");
    for (file, problem) in [
        (&missing, "No such file or directory"),
        (&text, "holds no \"BEGIN CERTIFICATE\" block"),
    ] {
        let file = file.to_str().unwrap();
        let out = crate::util::ringside(&[
            "serve",
            "--listen",
            ":0",
            "--db",
            ":memory:",
            "--ca-cert",
            file,
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            crate::util::describe(&out)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("--ca-cert {file}: ")), "{stderr}");
        assert!(stderr.contains(problem), "{stderr}");
    }
}
