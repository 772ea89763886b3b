//! The 2010 Recordings and Notifications: lists under a call or the account, one
//! recording (metadata as `.json`/`.xml`, audio as `.wav` or without extension), one
//! notification.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ringside_call::{AccountSid, CallSid};
use serde::Deserialize;

use super::render::{self, account_path};
use super::{Format, json_response, paging, respond, split_ext};
use crate::auth::{Authed, authenticate};
use crate::error::{ServerError, wav_response, xml_response};
use crate::routes::children::call_filter;
use crate::routes::params::query_params;
use crate::state::AppState;
use crate::store::Store;
use crate::view::View;
use crate::xml;

/// A path under one call.
#[derive(Debug, Deserialize)]
pub struct UnderCall {
    /// Checked by [`Authed`].
    #[allow(dead_code)]
    account_sid: String,
    call_sid: String,
}

/// Which list.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Recordings,
    Notifications,
}

impl Kind {
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Recordings => ("recordings", "Recordings", "Recording"),
            Kind::Notifications => ("notifications", "Notifications", "Notification"),
        }
    }
}

/// A page of the list under the call `under` (the path's), or of the account's (where a
/// `CallSid` query parameter may pick one call).
async fn page(
    format: Format,
    state: &AppState,
    account: AccountSid,
    under: Option<CallSid>,
    kind: Kind,
    query: Option<String>,
) -> Result<Response, ServerError> {
    let params = query_params(query.as_deref())?;
    let call = match under {
        Some(c) => Some(c),
        None => call_filter(&params)?,
    };
    let req = paging::request(&params)?;
    let base_url = state.engine().base_url().to_owned();
    let (total, views): (u64, Vec<View>) = match kind {
        Kind::Recordings => {
            let (total, items) = state
                .store()
                .run(move |c| Store::list_recordings(c, account, call, req))
                .await?;
            let views = items.iter().map(|r| render::recording(r, &base_url));
            (total, views.collect())
        }
        Kind::Notifications => {
            let (total, items) = state
                .store()
                .run(move |c| Store::list_notifications(c, account, call, req))
                .await?;
            let views = items.iter().map(|n| render::notification(n, false));
            (total, views.collect())
        }
    };
    let (key, list, item) = kind.names();
    let ext = if format == Format::Json { ".json" } else { "" };
    let path = match under {
        Some(c) => format!("{}/Calls/{c}/{list}{ext}", account_path(account)),
        None => format!("{}/{list}{ext}", account_path(account)),
    };
    // The page links keep the one filter these lists have (`page` adds the paging).
    let filters: Vec<_> = params.into_iter().filter(|(k, _)| k == "CallSid").collect();
    let page = paging::page(&path, &filters, req, total, views.len() as u64);
    Ok(match format {
        Format::Json => json_response(StatusCode::OK, &page.to_json(key, &views)),
        Format::Xml => xml_response(StatusCode::OK, xml::view_list(list, item, &page, &views)),
    })
}

async fn own_call(
    state: &AppState,
    account: AccountSid,
    sid: &str,
) -> Result<CallSid, ServerError> {
    let sid = CallSid::parse(sid).map_err(|_| ServerError::NotFound)?;
    state.find_call(account, sid).await.map(|_| sid)
}

async fn under_call(
    format: Format,
    state: &AppState,
    auth: Result<Authed, ServerError>,
    path: &UnderCall,
    kind: Kind,
    query: Option<String>,
) -> Result<Response, ServerError> {
    let account = auth?.0.sid;
    let call = own_call(state, account, &path.call_sid).await?;
    page(format, state, account, Some(call), kind, query).await
}

/// `GET …/Calls/{CallSid}/Recordings.json`.
pub async fn call_recordings(
    format: Format,
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    Path(path): Path<UnderCall>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = under_call(format, &state, auth, &path, Kind::Recordings, query).await;
    respond(format, result)
}

/// `GET …/Calls/{CallSid}/Notifications.json`.
pub async fn call_notifications(
    format: Format,
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    Path(path): Path<UnderCall>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = under_call(format, &state, auth, &path, Kind::Notifications, query).await;
    respond(format, result)
}

/// `GET …/Recordings.json` (optionally `?CallSid=`).
pub async fn account_recordings(
    format: Format,
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let account = auth?.0.sid;
        page(format, &state, account, None, Kind::Recordings, query).await
    };
    respond(format, result.await)
}

/// `GET …/Notifications.json` (optionally `?CallSid=`).
pub async fn account_notifications(
    format: Format,
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let account = auth?.0.sid;
        page(format, &state, account, None, Kind::Notifications, query).await
    };
    respond(format, result.await)
}

/// The path of one recording or notification.
#[derive(Debug, Deserialize)]
pub struct OneRecording {
    account_sid: String,
    recording: String,
}

/// `GET …/Recordings/{Sid}`: the audio as WAV (no extension, or `.wav`) without
/// credentials, as a `RecordingUrl` is fetched (the random 128-bit sid is the secret; see
/// the 2008 resource); the metadata (`.json`, `.xml`) with Basic auth. MP3 is not made
/// here: 404.
pub async fn recording(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(path): Path<OneRecording>,
) -> Response {
    let (sid, ext) = split_ext(&path.recording);
    let format = if ext == Some("json") {
        Format::Json
    } else {
        Format::Xml
    };
    let result = async {
        if !sid.starts_with("RE") {
            return Err(ServerError::NotFound);
        }
        let metadata = match ext {
            Some("json" | "xml") => true,
            None | Some("wav") => false,
            Some(_) => return Err(ServerError::NotFound),
        };
        let account = if metadata {
            authenticate(state.accounts(), &headers, &path.account_sid)?.sid
        } else {
            AccountSid::parse(&path.account_sid).map_err(|_| ServerError::NotFound)?
        };
        let owned = sid.to_owned();
        let (record, wav) = state
            .store()
            .run(move |c| Store::get_recording(c, account, &owned))
            .await?
            .ok_or(ServerError::NotFound)?;
        if metadata {
            let view = render::recording(&record, state.engine().base_url());
            return Ok(format.one(StatusCode::OK, "Recording", &view));
        }
        Ok(wav_response(wav))
    };
    respond(format, result.await)
}

/// The path of one notification.
#[derive(Debug, Deserialize)]
pub struct OneNotification {
    /// Checked by [`Authed`].
    #[allow(dead_code)]
    account_sid: String,
    notification: String,
}

/// `GET …/Notifications/{Sid}.json`.
pub async fn notification(
    State(state): State<AppState>,
    auth: Result<Authed, ServerError>,
    Path(path): Path<OneNotification>,
) -> Response {
    let format = Format::of_path(&path.notification);
    let result = async {
        let account = auth?.0.sid;
        let (sid, ext) = split_ext(&path.notification);
        if !matches!(ext, None | Some("json" | "xml")) || !sid.starts_with("NO") {
            return Err(ServerError::NotFound);
        }
        let sid = sid.to_owned();
        let n = state
            .store()
            .run(move |c| Store::get_notification(c, account, &sid))
            .await?
            .ok_or(ServerError::NotFound)?;
        Ok(format.one(
            StatusCode::OK,
            "Notification",
            &render::notification(&n, true),
        ))
    };
    respond(format, result.await)
}
