//! The HTTP surface: one route per resource under `/2008-08-01/Accounts/{AccountSid}`,
//! and the 2010-04-01 routes (`crate::v2010`) merged in.
//!
//! [`app`] builds the whole service, so tests can drive it with `oneshot` requests and no
//! socket. Around the routes: a request-body limit, a rewrite of a doubled leading slash
//! (an old PHP client sends `//2008-08-01/…`), 404 and 405 as `RestException`s.

mod calls;
pub(crate) mod children;
pub(crate) mod params;
#[cfg(test)]
mod tests;

use axum::Router;
use axum::extract::Request;
use axum::http::Uri;
use axum::routing::get;
use tower::ServiceExt;
use tower_http::limit::RequestBodyLimitLayer;

use axum::response::{IntoResponse, Response};

use crate::error::ServerError;
use crate::state::AppState;
use crate::v2010;

/// The largest request body accepted: create-call forms are a few hundred bytes.
const BODY_LIMIT: usize = 64 * 1024;

/// The whole HTTP service over `state`.
pub fn app(state: AppState) -> Router {
    let account = "/2008-08-01/Accounts/{account_sid}";
    let routes = Router::new()
        .route(
            &format!("{account}/Calls"),
            get(calls::list).post(calls::create),
        )
        .route(
            &format!("{account}/Calls/{{call_sid}}"),
            get(calls::fetch).post(calls::redirect),
        )
        .route(
            &format!("{account}/Calls/{{call_sid}}/Segments"),
            get(calls::segments),
        )
        .route(
            &format!("{account}/Calls/{{call_sid}}/Recordings"),
            get(children::call_recordings),
        )
        .route(
            &format!("{account}/Calls/{{call_sid}}/Notifications"),
            get(children::call_notifications),
        )
        .route(
            &format!("{account}/Recordings"),
            get(children::account_recordings),
        )
        .route(
            &format!("{account}/Recordings/{{recording}}"),
            get(children::recording),
        )
        .route(
            &format!("{account}/Notifications"),
            get(children::account_notifications),
        )
        .merge(v2010::routes())
        .fallback(|uri: Uri| async move { by_api(&uri, ServerError::NotFound) })
        .method_not_allowed_fallback(|uri: Uri| async move {
            by_api(&uri, ServerError::MethodNotAllowed)
        })
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .with_state(state);
    // Routing happens inside `routes`, so the path is rewritten before it is matched.
    let normalized = routes.map_request(collapse_leading_slashes);
    Router::new().fallback_service(normalized)
}

/// An error for a path no route serves, in the style of the API the path names.
fn by_api(uri: &Uri, error: ServerError) -> Response {
    if uri.path().starts_with("/2010-04-01/") {
        v2010::error_response(v2010::Format::of_path(uri.path()), &error)
    } else {
        error.into_response()
    }
}

/// `//2008-08-01/…` → `/2008-08-01/…`.
fn collapse_leading_slashes(mut req: Request) -> Request {
    let path = req.uri().path();
    if path.starts_with("//") {
        let trimmed = format!("/{}", path.trim_start_matches('/'));
        let rebuilt = match req.uri().query() {
            Some(q) => format!("{trimmed}?{q}"),
            None => trimmed,
        };
        if let Ok(uri) = rebuilt.parse::<Uri>() {
            *req.uri_mut() = uri;
        }
    }
    req
}
