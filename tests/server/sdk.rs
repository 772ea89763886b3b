//! The 2010-04-01 API driven by Twilio's official helper libraries, unchanged but for
//! their base URL: PyPI `twilio` (`sdk_python.py`, with `RINGSIDE_TWILIO_PYTHON`) and npm
//! `twilio` (`sdk_node.js`, with `RINGSIDE_TWILIO_NODE`, a `node_modules` folder holding
//! it). `.ci/run` installs both; without them these tests are skipped with a note, except
//! under `CI=true`.
//!
//! The scripts check what the libraries return; these tests check what the app received:
//! `AnsweredBy` on the first request, the status callbacks in sequence, the async AMD
//! result, each request signed as Twilio's `RequestValidator` expects.

use std::process::Command;

use super::testapp::{Answer, Received};
use super::webhooks::{twilio_python, validate_with_twilio};
use super::*;

/// The `node_modules` folder holding npm `twilio`, from `RINGSIDE_TWILIO_NODE`.
fn twilio_node() -> Option<String> {
    match std::env::var("RINGSIDE_TWILIO_NODE") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but RINGSIDE_TWILIO_NODE is not set (.ci/run sets it)")
        }
        _ => {
            eprintln!(
                "note: the Node.js helper library test is skipped: set RINGSIDE_TWILIO_NODE \
                 to a node_modules folder with `npm install twilio`"
            );
            None
        }
    }
}

/// Runs `program script` with `job` on stdin (and `env`); its stdout as JSON.
fn run_script(
    program: &str,
    script: &str,
    env: &[(&str, &str)],
    job: &serde_json::Value,
) -> serde_json::Value {
    let out = run_with_stdin(program, script, env, &job.to_string());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{script} printed {stdout:?}: {e}"))
}

fn job(fast: &RunningServer, real: &RunningServer, app: &TestApp) -> serde_json::Value {
    serde_json::json!({
        "account_sid": SID_A,
        "auth_token": TOKEN_A,
        "fast": fast.base_url(),
        "real": real.base_url(),
        "app": app.url(""),
    })
}

fn on(received: &[Received], path: &str) -> Vec<Received> {
    received
        .iter()
        .filter(|r| r.path == path)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_helper_library_drives_calls_with_machine_detection() {
    let Some(python) = twilio_python() else {
        return;
    };
    let app = TestApp::start().await;
    app.answer(
        "/voice",
        Answer::twiml(
            "<Response><Say>This is a reminder of your appointment tomorrow at ten.</Say></Response>",
        ),
    );
    app.answer(
        "/hold",
        Answer::twiml("<Response><Pause length=\"20\"/></Response>"),
    );
    app.answer(
        "/broken",
        Answer {
            status: 500,
            ..Answer::twiml("")
        },
    );
    let fast = start().await;
    let real = start_with(config(StoreLocation::Memory, ClockMode::Real)).await;
    let out = run_script(
        &python,
        "tests/server/sdk_python.py",
        &[],
        &job(&fast, &real, &app),
    );
    let sid = |name: &str| out[name].as_str().unwrap().to_owned();

    // The voicemail box: one first request, after the greeting ended with the beep.
    let voicemail = app.wait_for(&sid("voicemail"), 5).await;
    let first = on(&voicemail, "/voice");
    assert_eq!(first.len(), 1, "{voicemail:?}");
    assert_eq!(first[0].param("AnsweredBy"), Some("machine_end_beep"));
    let took: u64 = first[0]
        .param("MachineDetectionDuration")
        .unwrap()
        .parse()
        .unwrap();
    assert!((1000..30_000).contains(&took), "{took} ms");
    assert_eq!(first[0].param("CallStatus"), Some("in-progress"));
    assert_eq!(first[0].param("ApiVersion"), Some("2010-04-01"));
    assert_eq!(first[0].param("DialStatus"), None);
    // Every event, numbered in the order it happened, and arriving in that order.
    let status = on(&voicemail, "/status");
    let seen: Vec<_> = status
        .iter()
        .map(|r| {
            (
                r.param("SequenceNumber").unwrap(),
                r.param("CallStatus").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("0", "initiated"),
            ("1", "ringing"),
            ("2", "in-progress"),
            ("3", "completed")
        ]
    );
    assert!(status.iter().all(|r| r.param("Timestamp").is_some()));
    assert_eq!(status[3].param("AnsweredBy"), Some("machine_end_beep"));
    assert!(
        status[3]
            .param("CallDuration")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            > 0
    );
    // The tape holds the message: at least as long as the 3 s it takes to say.
    let tape = Api::new(&fast).tape(&sid("voicemail")).await;
    assert!(tape.len() > 44 + 2 * 8000 * 3, "{} bytes", tape.len());

    let person = app.wait_for(&sid("person"), 1).await;
    assert_eq!(person[0].param("AnsweredBy"), Some("human"));

    // Async AMD: the flow started with no AnsweredBy; the result went to the callback.
    let asynchronous = app.wait_for(&sid("async"), 2).await;
    let first = on(&asynchronous, "/hold");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].param("AnsweredBy"), None);
    let amd = on(&asynchronous, "/amd");
    assert_eq!(amd.len(), 1, "{asynchronous:?}");
    assert_eq!(amd[0].param("AnsweredBy"), Some("machine_start"));
    let waited: u64 = amd[0]
        .param("MachineDetectionDuration")
        .unwrap()
        .parse()
        .unwrap();
    assert!((500..10_000).contains(&waited), "{waited} ms");

    // The cancelled call never reached the app; the updated one was redirected.
    assert!(app.for_call(&sid("canceled")).is_empty());
    let updated = app.wait_for(&sid("updated"), 1).await;
    assert_eq!(on(&updated, "/next").len(), 1, "{updated:?}");

    // Every request the app got is signed as Twilio's own validator expects.
    let all = app.received();
    for r in &all {
        assert_signed(r);
    }
    validate_with_twilio(&python, &all);
    fast.stop().await.unwrap();
    real.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_helper_library_creates_fetches_and_lists_calls() {
    let Some(modules) = twilio_node() else {
        return;
    };
    let app = TestApp::start().await;
    let fast = start().await;
    let out = run_script(
        "node",
        "tests/server/sdk_node.js",
        &[("NODE_PATH", &modules)],
        &job(&fast, &fast, &app),
    );
    let person = out["person"].as_str().unwrap();
    let got = app.wait_for(person, 1).await;
    assert_eq!(got[0].param("AnsweredBy"), Some("human"));
    assert_signed(&got[0]);
    fast.stop().await.unwrap();
}

/// The first code block of `lang` in the README's 2010-04-01 section, pointed at `server`
/// and `app` instead of the quick start's ports and token.
fn readme_example(lang: &str, server: &RunningServer, app: &TestApp) -> String {
    let readme = std::fs::read_to_string(crate::util::root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Serve: the 2010-04-01 REST API")
        .nth(1)
        .expect("README has the 2010-04-01 section");
    let start = section
        .find(&format!("```{lang}\n"))
        .unwrap_or_else(|| panic!("no {lang} block"))
        + lang.len()
        + 4;
    let code = &section[start..start + section[start..].find("```").unwrap()];
    assert!(
        code.contains(SID_A) && code.contains("\"secret\""),
        "{code}"
    );
    code.replace("http://127.0.0.1:8008", &server.base_url())
        .replace("http://127.0.0.1:9000", &app.url(""))
        .replace("\"secret\"", &format!("\"{TOKEN_A}\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_helper_library_examples_run_as_shown() {
    let python = twilio_python();
    let node = twilio_node();
    let app = TestApp::start().await;
    let server = start().await;
    let dir = crate::util::scratch("readme_sdk_examples");
    if let Some(python) = python {
        let file = dir.join("example.py");
        std::fs::write(&file, readme_example("python", &server, &app)).unwrap();
        let out = Command::new(&python).arg(&file).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("completed machine_end_beep"), "{stdout}");
    }
    if let Some(modules) = node {
        let file = dir.join("example.js");
        std::fs::write(&file, readme_example("js", &server, &app)).unwrap();
        let out = Command::new("node")
            .arg(&file)
            .env("NODE_PATH", &modules)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("completed human"), "{stdout}");
    }
    server.stop().await.unwrap();
}
