//! Resources under a call or an account: Recordings (metadata lists and the WAV audio) and
//! Notifications.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ringside_call::{AccountSid, CallSid};

use super::params::{CallPath, RecordingPath, query_params};
use crate::auth::{Authed, authenticate};
use crate::error::{ServerError, wav_response, xml_response};
use crate::page::{Page, PageRequest};
use crate::state::AppState;
use crate::store::Store;
use crate::xml;

/// Checks that the path's call is the account's; 404 otherwise.
async fn own_call(
    state: &AppState,
    account: &Authed,
    path: &CallPath,
) -> Result<CallSid, ServerError> {
    let sid = path.sid()?;
    state.find_call(account.0.sid, sid).await.map(|_| sid)
}

/// The optional `CallSid` filter of account-level lists (both APIs').
pub(crate) fn call_filter(params: &[(String, String)]) -> Result<Option<CallSid>, ServerError> {
    match params.iter().find(|(k, _)| k == "CallSid") {
        None => Ok(None),
        Some((_, v)) => CallSid::parse(v)
            .map(Some)
            .map_err(|_| ServerError::bad_request(format!("CallSid {v:?} is not a call sid"))),
    }
}

async fn recordings_page(
    state: &AppState,
    account: &Authed,
    call: Option<CallSid>,
    params: &[(String, String)],
) -> Result<Response, ServerError> {
    let req = PageRequest::from_params(params)?;
    let account_sid = account.0.sid;
    let (total, items) = state
        .store()
        .run(move |c| Store::list_recordings(c, account_sid, call, req))
        .await?;
    let page = Page::new(req, total, items.len() as u64);
    Ok(xml_response(StatusCode::OK, xml::recordings(&page, &items)))
}

async fn notifications_page(
    state: &AppState,
    account: &Authed,
    call: Option<CallSid>,
    params: &[(String, String)],
) -> Result<Response, ServerError> {
    let req = PageRequest::from_params(params)?;
    let account_sid = account.0.sid;
    let (total, items) = state
        .store()
        .run(move |c| Store::list_notifications(c, account_sid, call, req))
        .await?;
    let page = Page::new(req, total, items.len() as u64);
    Ok(xml_response(
        StatusCode::OK,
        xml::notifications(&page, &items),
    ))
}

/// `GET …/Calls/{CallSid}/Recordings`.
pub async fn call_recordings(
    State(state): State<AppState>,
    account: Authed,
    Path(path): Path<CallPath>,
    RawQuery(query): RawQuery,
) -> Result<Response, ServerError> {
    let call = own_call(&state, &account, &path).await?;
    recordings_page(
        &state,
        &account,
        Some(call),
        &query_params(query.as_deref())?,
    )
    .await
}

/// `GET …/Recordings` (optionally `?CallSid=`).
pub async fn account_recordings(
    State(state): State<AppState>,
    account: Authed,
    RawQuery(query): RawQuery,
) -> Result<Response, ServerError> {
    let params = query_params(query.as_deref())?;
    recordings_page(&state, &account, call_filter(&params)?, &params).await
}

/// `GET …/Calls/{CallSid}/Notifications`.
pub async fn call_notifications(
    State(state): State<AppState>,
    account: Authed,
    Path(path): Path<CallPath>,
    RawQuery(query): RawQuery,
) -> Result<Response, ServerError> {
    let call = own_call(&state, &account, &path).await?;
    notifications_page(
        &state,
        &account,
        Some(call),
        &query_params(query.as_deref())?,
    )
    .await
}

/// `GET …/Notifications` (optionally `?CallSid=`).
pub async fn account_notifications(
    State(state): State<AppState>,
    account: Authed,
    RawQuery(query): RawQuery,
) -> Result<Response, ServerError> {
    let params = query_params(query.as_deref())?;
    notifications_page(&state, &account, call_filter(&params)?, &params).await
}

/// `GET …/Recordings/{Sid}`: the audio as WAV (also `.wav`), or the metadata (`.xml`).
///
/// The audio needs no credentials, as the 2008 service's recording URLs did not: the app
/// fetches the `RecordingUrl` it was sent with a plain GET, and the 128-bit sid is the
/// secret: it is random, never derived from the CallSid, so knowing a call's sid does not
/// find its recordings. The path's account must still be the recording's. The metadata
/// needs Basic auth like every other resource. `{Sid}` is the `RE…` sid (the last segment
/// of a RecordingUrl). MP3 (`.mp3`) is not produced by ringside: 404.
pub async fn recording(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(path): Path<RecordingPath>,
) -> Result<Response, ServerError> {
    let (name, format) = match path.recording.rsplit_once('.') {
        Some((name, ext)) => (name.to_owned(), ext.to_ascii_lowercase()),
        None => (path.recording.clone(), "wav".to_owned()),
    };
    if !name.starts_with("RE") {
        return Err(ServerError::NotFound);
    }
    let sid = name;
    let account_sid = match format.as_str() {
        "xml" => authenticate(state.accounts(), &headers, &path.account_sid)?.sid,
        "wav" => AccountSid::parse(&path.account_sid).map_err(|_| ServerError::NotFound)?,
        _ => return Err(ServerError::NotFound),
    };
    let (record, wav) = state
        .store()
        .run(move |c| Store::get_recording(c, account_sid, &sid))
        .await?
        .ok_or(ServerError::NotFound)?;
    if format == "xml" {
        return Ok(xml_response(StatusCode::OK, xml::recording(&record)));
    }
    Ok(wav_response(wav))
}
