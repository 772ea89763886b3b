//! The 2010 Calls resource: create (`POST …/Calls.json`), list (`GET …/Calls.json`),
//! fetch (`GET …/Calls/{CallSid}.json`) and update (`POST …/Calls/{CallSid}.json`:
//! `Status=canceled|completed`, `Url`/`Method`, `Twiml`).

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ringside_call::api::UpdateCall2010;
use ringside_call::{ApiError, CallSid, CreateCallRequest, Url, api::codes};
use serde::Deserialize;

use super::render::{self, account_path};
use super::{Format, paging, respond, split_ext};
use crate::auth::Authed;
use crate::date::now_ms;
use crate::error::{ServerError, xml_response};
use crate::filter::CallFilter;
use crate::resources::{ApiKind, CallApi, CallRecord};
use crate::routes::params::{post_params, query_params};
use crate::running_calls::Command;
use crate::sid;
use crate::state::AppState;
use crate::store::{CallRow, Store};
use crate::view::View;
use crate::webhook::target::redact;
use crate::xml;

/// Error code of an update that needs a running call, or a delete that needs an ended one
/// (21220, "invalid call state").
const CALL_NOT_IN_PROGRESS: u32 = 21220;

/// How long an update that hangs up or cancels waits for the call to record its end, so
/// the resource it answers with shows it (the driver takes one step, a few ms).
const END_WAIT: Duration = Duration::from_secs(2);

/// `POST …/Calls.json`: validates, stores the call (`queued`), starts it, answers 201.
pub async fn create(
    format: Format,
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    respond(
        format,
        create_call(format, &state, auth, query, &body).await,
    )
}

async fn create_call(
    format: Format,
    state: &AppState,
    auth: Result<Authed, ServerError>,
    query: Option<String>,
    body: &Bytes,
) -> Result<Response, ServerError> {
    let Authed(account) = auth?;
    let params = post_params(query.as_deref(), body)?;
    let sid = sid::call_sid();
    // An inline Twiml's relative URLs resolve against the call's own resource.
    let base = format!(
        "{}{}/Calls/{sid}.json",
        state.engine().base_url(),
        account_path(account.sid)
    );
    let base = Url::parse(&base).map_err(ServerError::internal)?;
    let request = CreateCallRequest::from_params_2010(&params, &base)?;
    let caller = request.caller.to_string();
    if !account.may_call_from(&caller) {
        return Err(ApiError::bad_param(
            codes::CALLER_NOT_VERIFIED,
            "From",
            format!(
                "The 'From' number {} is not a verified caller id for this account",
                request.caller.e164()
            ),
        )
        .into());
    }
    let inline = request.api.v2010().is_some_and(|a| a.twiml.is_some());
    let api = CallApi {
        version: ApiKind::V2010,
        status: "queued".to_owned(),
        answered_by: None,
    };
    // An inline document has no Url to show.
    let url = if inline {
        String::new()
    } else {
        redact(request.url.as_str())
    };
    let record = CallRecord::created(sid, account.sid, &request, url, api, now_ms());
    state.create_call(account, record.clone(), request).await?;
    Ok(format.one(StatusCode::CREATED, "Call", &render::call(&record)))
}

/// `GET …/Calls.json`: newest first, filtered and paged.
pub async fn list(
    format: Format,
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    RawQuery(query): RawQuery,
) -> Response {
    respond(format, list_calls(format, &state, auth, query).await)
}

async fn list_calls(
    format: Format,
    state: &AppState,
    auth: Result<Authed, ServerError>,
    query: Option<String>,
) -> Result<Response, ServerError> {
    let Authed(account) = auth?;
    let params = query_params(query.as_deref())?;
    let filter = CallFilter::from_params_2010(&params)?;
    let req = paging::request(&params)?;
    let account_sid = account.sid;
    let (total, views): (u64, Vec<View>) = match filter.parent {
        // A call's `<Dial>` legs, oldest first (the other filters do not apply to them).
        Some(parent) => {
            let (total, legs) = state
                .store()
                .run(move |c| Store::list_segments(c, account_sid, parent, req))
                .await?;
            (total, legs.iter().map(render::leg).collect())
        }
        None => {
            let (total, calls) = state
                .store()
                .run(move |c| CallRow::list(c, account_sid, &filter, req))
                .await?;
            (total, calls.iter().map(render::call).collect())
        }
    };
    let ext = if format == Format::Json { ".json" } else { "" };
    let path = format!("{}/Calls{ext}", account_path(account_sid));
    let page = paging::page(&path, &params, req, total, views.len() as u64);
    Ok(match format {
        Format::Json => super::json_response(StatusCode::OK, &page.to_json("calls", &views)),
        Format::Xml => xml_response(
            StatusCode::OK,
            xml::view_list("Calls", "Call", &page, &views),
        ),
    })
}

/// The path of one call: `{call}` is `CA…`, `CA….json` or `CA….xml`.
#[derive(Debug, Deserialize)]
pub struct OneCall {
    /// Checked by [`Authed`].
    #[allow(dead_code)]
    account_sid: String,
    call: String,
}

impl OneCall {
    /// The sid and the format its extension asks for; a malformed sid or an unknown
    /// extension names no resource.
    fn parse(&self) -> Result<(CallSid, Format), ServerError> {
        let (sid, ext) = split_ext(&self.call);
        let format = match ext {
            None | Some("xml") => Format::Xml,
            Some("json") => Format::Json,
            Some(_) => return Err(ServerError::NotFound),
        };
        let sid = CallSid::parse(sid).map_err(|_| ServerError::NotFound)?;
        Ok((sid, format))
    }
}

async fn find(state: &AppState, account: &Authed, sid: CallSid) -> Result<CallRecord, ServerError> {
    state.find_call(account.0.sid, sid).await
}

/// `GET …/Calls/{CallSid}.json`: a call, or one of its `<Dial>` legs by its own sid.
pub async fn fetch(
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    Path(path): Path<OneCall>,
) -> Response {
    let format = Format::of_path(&path.call);
    respond(
        format,
        async {
            let (sid, format) = path.parse()?;
            let account = auth?;
            let view = match find(&state, &account, sid).await {
                Ok(call) => render::call(&call),
                Err(ServerError::NotFound) => {
                    let (account_sid, leg) = (account.0.sid, sid.to_string());
                    let leg = state
                        .store()
                        .run(move |c| Store::get_segment(c, account_sid, &leg))
                        .await?
                        .ok_or(ServerError::NotFound)?;
                    render::leg(&leg)
                }
                Err(e) => return Err(e),
            };
            Ok(format.one(StatusCode::OK, "Call", &view))
        }
        .await,
    )
}

/// `POST …/Calls/{CallSid}.json`: cancel, hang up, redirect or replace the TwiML of a call.
///
/// `Status=canceled` cancels a call not yet answered and leaves an answered one alone;
/// `Status=completed` hangs up (a call not yet answered is cancelled). Both answer with the
/// call once it has recorded its end. `Url` or `Twiml` on a call that has ended is 21220.
pub async fn update(
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    Path(path): Path<OneCall>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let format = Format::of_path(&path.call);
    respond(format, update_call(&state, auth, &path, query, &body).await)
}

async fn update_call(
    state: &AppState,
    auth: Result<Authed, ServerError>,
    path: &OneCall,
    query: Option<String>,
    body: &Bytes,
) -> Result<Response, ServerError> {
    let (sid, format) = path.parse()?;
    let account = auth?;
    let call = find(state, &account, sid).await?;
    let params = post_params(query.as_deref(), body)?;
    let update = UpdateCall2010::from_params(&params)?;
    let (command, field) = match update {
        UpdateCall2010::Nothing => {
            return Ok(format.one(StatusCode::OK, "Call", &render::call(&call)));
        }
        UpdateCall2010::Cancel => (Command::Cancel, "Status"),
        UpdateCall2010::Complete => (Command::Hangup, "Status"),
        UpdateCall2010::Redirect(target) => (
            Command::Redirect {
                url: target.url,
                method: target.method,
            },
            "Url",
        ),
        UpdateCall2010::Twiml(doc) => (Command::Twiml(doc), "Twiml"),
    };
    let ends = matches!(command, Command::Cancel | Command::Hangup);
    let cancel_only = matches!(command, Command::Cancel);
    let sent = !call.status.is_final() && state.live().send(call.sid, command);
    if !sent {
        if ends {
            // Ending a call that has ended changes nothing.
            return Ok(format.one(StatusCode::OK, "Call", &render::call(&call)));
        }
        return Err(ApiError::bad_param(
            CALL_NOT_IN_PROGRESS,
            field,
            format!(
                "Call {} is not in progress: it cannot be redirected",
                call.sid
            ),
        )
        .into());
    }
    let mut current = call;
    if ends {
        let deadline = tokio::time::Instant::now() + END_WAIT;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
            current = find(state, &account, sid).await?;
            // A cancel leaves an answered call running: nothing more to wait for.
            if current.status.is_final() || (cancel_only && current.status_2010() == "in-progress")
            {
                break;
            }
        }
    }
    Ok(format.one(StatusCode::OK, "Call", &render::call(&current)))
}

/// `DELETE …/Calls/{CallSid}.json`: forgets a call that has ended (204); its recordings and
/// notifications stay. A call still running is 400 with code 21220.
pub async fn delete(
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    Path(path): Path<OneCall>,
) -> Response {
    let format = Format::of_path(&path.call);
    respond(
        format,
        async {
            let (sid, _) = path.parse()?;
            let account = auth?;
            let call = find(&state, &account, sid).await?;
            if !call.status.is_final() {
                return Err(ApiError::bad_param(
                    CALL_NOT_IN_PROGRESS,
                    "CallSid",
                    format!("Call {sid} has not ended: only an ended call can be deleted"),
                )
                .into());
            }
            let account_sid = account.0.sid;
            state
                .store()
                .run(move |c| CallRow::delete(c, account_sid, sid))
                .await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        .await,
    )
}
