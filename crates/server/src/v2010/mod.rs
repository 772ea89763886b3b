//! The 2010-04-01 REST API, beside the 2008 one and over the same store and call engine:
//! `Calls` (create, list, fetch, update), `Recordings` and `Notifications`, each as JSON
//! (`.json`) or XML (`.xml`, or no extension), errors as
//! `{"code", "message", "more_info", "status"}` (or their `<RestException>`).
//!
//! The official helper libraries (PyPI and npm `twilio`) drive it unchanged but for their
//! base URL. A call created here is the same [`ringside_call::Call`] as a 2008 one, with
//! the 2010 options in its request; both APIs list every call.

mod calls;
mod children;
mod paging;
mod render;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::{ServerError, xml_response};
use crate::state::AppState;
use crate::view::View;
use crate::xml;

/// The path every 2010 resource hangs off.
pub const ACCOUNT: &str = "/2010-04-01/Accounts/{account_sid}";

/// The 2010 routes (the caller adds state, limits and fallbacks).
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for ext in ["", ".json", ".xml"] {
        router = router
            .route(
                &format!("{ACCOUNT}/Calls{ext}"),
                get(calls::list).post(calls::create),
            )
            .route(
                &format!("{ACCOUNT}/Calls/{{call_sid}}/Recordings{ext}"),
                get(children::call_recordings),
            )
            .route(
                &format!("{ACCOUNT}/Calls/{{call_sid}}/Notifications{ext}"),
                get(children::call_notifications),
            )
            .route(
                &format!("{ACCOUNT}/Recordings{ext}"),
                get(children::account_recordings),
            )
            .route(
                &format!("{ACCOUNT}/Notifications{ext}"),
                get(children::account_notifications),
            );
    }
    router
        .route(
            &format!("{ACCOUNT}/Calls/{{call}}"),
            get(calls::fetch).post(calls::update).delete(calls::delete),
        )
        .route(
            &format!("{ACCOUNT}/Recordings/{{recording}}"),
            get(children::recording),
        )
        .route(
            &format!("{ACCOUNT}/Notifications/{{notification}}"),
            get(children::notification),
        )
}

/// How a response is written: by the path's extension, XML unless it ends in `.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json`.
    Json,
    /// The `<TwilioResponse>` XML.
    Xml,
}

impl Format {
    /// The format a path asks for.
    pub fn of_path(path: &str) -> Self {
        if path.ends_with(".json") {
            Format::Json
        } else {
            Format::Xml
        }
    }

    /// A resource.
    fn one(self, status: StatusCode, tag: &'static str, view: &View) -> Response {
        match self {
            Format::Json => json_response(status, &view.to_json()),
            Format::Xml => xml_response(status, xml::view(tag, view)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Format::of_path(parts.uri.path()))
    }
}

fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        value.to_string(),
    )
        .into_response()
}

/// `(code, message)` of a failed 2010 request: the API error's own, or the generic codes
/// (20001 bad request, 20003 authenticate, 20404 not found, 20004 method not allowed,
/// 20500 internal error).
fn error_body(error: &ServerError) -> (u32, String) {
    match error {
        ServerError::Api(e) => (e.code, e.message.clone()),
        ServerError::BadRequest(m) => (20001, m.clone()),
        ServerError::Unauthorized => (
            20003,
            "Authenticate: use HTTP Basic auth with your AccountSid and AuthToken".to_owned(),
        ),
        ServerError::NotFound => (20404, "The requested resource was not found".to_owned()),
        ServerError::MethodNotAllowed => (
            20004,
            "The requested method is not allowed on this resource".to_owned(),
        ),
        ServerError::Internal(cause) => {
            tracing::error!(%cause, "internal error");
            (20500, "Internal server error".to_owned())
        }
    }
}

/// The 2010 error response of `error`, in `format`.
pub fn error_response(format: Format, error: &ServerError) -> Response {
    let status = error.status();
    let (code, message) = error_body(error);
    let more_info = format!("https://www.twilio.com/docs/errors/{code}");
    let mut response = match format {
        Format::Json => json_response(
            status,
            &serde_json::json!({
                "code": code,
                "message": message,
                "more_info": more_info,
                "status": status.as_u16(),
            }),
        ),
        Format::Xml => xml_response(
            status,
            xml::rest_exception_2010(status.as_u16(), &message, code, &more_info),
        ),
    };
    if matches!(error, ServerError::Unauthorized) {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"ringside\""),
        );
    }
    response
}

/// A handler's result in its format.
fn respond(format: Format, result: Result<Response, ServerError>) -> Response {
    result.unwrap_or_else(|e| error_response(format, &e))
}

/// The sid in a path segment that may end in `.json` or `.xml`, and the format it asks
/// for.
fn split_ext(segment: &str) -> (&str, Option<&str>) {
    match segment.rsplit_once('.') {
        Some((name, ext)) => (name, Some(ext)),
        None => (segment, None),
    }
}
