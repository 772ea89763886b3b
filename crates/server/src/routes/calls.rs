//! The Calls resource: create (`POST …/Calls`), list (`GET …/Calls`), fetch
//! (`GET …/Calls/{CallSid}`) and live redirect (`POST …/Calls/{CallSid}`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use ringside_call::{ApiError, CreateCallRequest, UpdateCallRequest, api::codes};

use super::params::{CallPath, post_params, query_params};
use crate::auth::Authed;
use crate::date::now_ms;
use crate::error::{ServerError, xml_response};
use crate::filter::CallFilter;
use crate::page::{Page, PageRequest};
use crate::resources::{CallApi, CallRecord};
use crate::running_calls::Command;
use crate::sid;
use crate::state::AppState;
use crate::store::{CallRow, Store};
use crate::webhook::target::redact;
use crate::xml::{self, Dates};

/// Error code of a live redirect of a call that is not running (the later API's 21220;
/// the 2008 list has none for it).
pub const CALL_NOT_IN_PROGRESS: u32 = 21220;

/// `POST …/Calls`: validates, stores the call (status 0), starts it in the background and
/// answers 201 with the `<Call>`.
pub async fn create(
    State(state): State<AppState>,
    Authed(account): Authed,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ServerError> {
    let params = post_params(query.as_deref(), &body)?;
    let request = CreateCallRequest::from_params(&params)?;
    let caller = request.caller.to_string();
    if !account.may_call_from(&caller) {
        return Err(ApiError::bad_param(
            codes::CALLER_NOT_VERIFIED,
            "Caller",
            format!("The Caller number {caller} is not a verified caller id for this account"),
        )
        .into());
    }
    let record = CallRecord::created(
        sid::call_sid(),
        account.sid,
        &request,
        redact(request.url.as_str()),
        CallApi::default(),
        now_ms(),
    );
    state.create_call(account, record.clone(), request).await?;
    Ok(xml_response(
        StatusCode::CREATED,
        xml::call(&record, Dates::Omit),
    ))
}

/// `GET …/Calls`: newest first, filtered and paged.
pub async fn list(
    State(state): State<AppState>,
    Authed(account): Authed,
    RawQuery(query): RawQuery,
) -> Result<Response, ServerError> {
    let params = query_params(query.as_deref())?;
    let filter = CallFilter::from_params(&params)?;
    let req = PageRequest::from_params(&params)?;
    let (total, calls) = state
        .store()
        .run(move |c| CallRow::list(c, account.sid, &filter, req))
        .await?;
    let page = Page::new(req, total, calls.len() as u64);
    Ok(xml_response(StatusCode::OK, xml::calls(&page, &calls)))
}

/// The account's call named by the path, or 404.
async fn find(
    state: &AppState,
    account: &Authed,
    path: &CallPath,
) -> Result<CallRecord, ServerError> {
    state.find_call(account.0.sid, path.sid()?).await
}

/// `GET …/Calls/{CallSid}`.
pub async fn fetch(
    State(state): State<AppState>,
    account: Authed,
    Path(path): Path<CallPath>,
) -> Result<Response, ServerError> {
    let call = find(&state, &account, &path).await?;
    Ok(xml_response(StatusCode::OK, xml::call(&call, Dates::Show)))
}

/// `POST …/Calls/{CallSid}` with `CurrentUrl` and `CurrentMethod`: redirects a running
/// call to new TwiML and answers with the call.
pub async fn redirect(
    State(state): State<AppState>,
    account: Authed,
    Path(path): Path<CallPath>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ServerError> {
    let call = find(&state, &account, &path).await?;
    let params = post_params(query.as_deref(), &body)?;
    let update = UpdateCallRequest::from_params(&params)?;
    let command = Command::Redirect {
        url: update.url,
        method: update.method,
    };
    if call.status.is_final() || !state.live().send(call.sid, command) {
        return Err(ApiError::bad_param(
            CALL_NOT_IN_PROGRESS,
            "CurrentUrl",
            format!(
                "Call {} is not in progress: it cannot be redirected",
                call.sid
            ),
        )
        .into());
    }
    Ok(xml_response(StatusCode::OK, xml::call(&call, Dates::Show)))
}

/// `GET …/Calls/{CallSid}/Segments`: the call's `<Dial>` legs, oldest first, each a
/// `<Call>` with its own `CallSegmentSid` (the call itself must exist).
pub async fn segments(
    State(state): State<AppState>,
    account: Authed,
    Path(path): Path<CallPath>,
    RawQuery(query): RawQuery,
) -> Result<Response, ServerError> {
    let call = find(&state, &account, &path).await?;
    let req = PageRequest::from_params(&query_params(query.as_deref())?)?;
    let (account_sid, sid) = (call.account_sid, call.sid);
    let (total, items) = state
        .store()
        .run(move |c| Store::list_segments(c, account_sid, sid, req))
        .await?;
    let page = Page::new(req, total, items.len() as u64);
    Ok(xml_response(StatusCode::OK, xml::segments(&page, &items)))
}
