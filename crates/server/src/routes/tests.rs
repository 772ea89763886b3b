//! The router driven with `oneshot` requests, no socket: auth, 404/405, the doubled
//! slash, and a create that reaches the store.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use base64::prelude::BASE64_STANDARD;
use http_body_util::BodyExt;
use ringside_call::AccountSid;
use ringside_sim::phonebook::PhoneBook;
use tower::ServiceExt;

use super::app;
use crate::account::{Account, Accounts};
use crate::config::ClockMode;
use crate::driver::Engine;
use crate::state::AppState;
use crate::store::{Store, StoreLocation};
use crate::webhook::WebhookClient;

const SID: &str = "AC309475e5fede1b49e100272a8640f438";

fn state() -> AppState {
    let book = PhoneBook::from_json(
        r#"{"default": {"outcome": "busy", "ring_secs": 1}}"#,
        std::path::Path::new("test.json"),
    )
    .unwrap();
    let engine = Engine::new(
        Arc::new(book),
        ClockMode::Fast,
        WebhookClient::new(Duration::from_secs(1)).unwrap(),
        "http://test.invalid".into(),
        Duration::from_secs(1),
    );
    let account = Account::new(AccountSid::parse(SID).unwrap(), "secret");
    AppState::new(
        Accounts::new(vec![account]),
        Store::open(&StoreLocation::Memory).unwrap(),
        engine,
    )
}

fn request(method: &str, path: &str, auth: bool, body: &str) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    if auth {
        let creds = BASE64_STANDARD.encode(format!("{SID}:secret"));
        b = b.header("Authorization", format!("Basic {creds}"));
    }
    b.header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, String) {
    let response = app(state.clone()).oneshot(req).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn statuses_of_the_surface() {
    let state = state();
    let calls = format!("/2008-08-01/Accounts/{SID}/Calls");
    assert_eq!(
        send(&state, request("GET", &calls, false, "")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = send(&state, request("GET", &calls, true, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("total=\"0\""), "{body}");
    let (status, body) = send(&state, request("DELETE", &calls, true, "")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body.contains("<Status>405</Status>"));
    let (status, _) = send(&state, request("GET", "/nothing/here", true, "")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = send(
        &state,
        request("POST", &format!("/{calls}"), true, "Called=4155551212"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<Code>21213</Code>"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_call_is_stored_and_runs_to_its_end() {
    let state = state();
    let calls = format!("/2008-08-01/Accounts/{SID}/Calls");
    let form = "Caller=4158675309&Called=4155551212&Url=http://127.0.0.1:1/app";
    let (status, body) = send(&state, request("POST", &calls, true, form)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body.contains("<Status>0</Status>"));
    state.live().wait_idle().await;
    let (_, body) = send(
        &state,
        request("GET", &format!("{calls}?Status=3"), true, ""),
    )
    .await;
    assert!(
        body.contains("total=\"1\""),
        "the busy call ended as busy: {body}"
    );
}
