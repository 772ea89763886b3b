//! `ServerError`: every way a request can fail, and the `RestException` it becomes.
//!
//! Client errors keep their message (it says what to fix); internal errors are logged
//! with their cause and answered with a bare 500, so no database or file detail leaks.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ringside_call::ApiError;

use crate::page::PageError;
use crate::xml;

/// A request that could not be served.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A parameter is wrong: 400 with the API's error code.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A malformed request with no API error code of its own (bad paging, bad body): 400.
    #[error("{0}")]
    BadRequest(String),
    /// Missing or wrong credentials, or another account's path: 401.
    #[error("authentication required")]
    Unauthorized,
    /// No such resource (or not this account's): 404.
    #[error("the requested resource was not found")]
    NotFound,
    /// The resource exists but not with this method: 405.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Something broke inside the server: 500. The cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<PageError> for ServerError {
    fn from(e: PageError) -> Self {
        ServerError::BadRequest(e.to_string())
    }
}

impl ServerError {
    /// A 400 without an API error code.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ServerError::BadRequest(message.into())
    }

    /// A 500 with its cause, for the log.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ServerError::Internal(cause.to_string())
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::Api(e) => {
                StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST)
            }
            ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServerError::NotFound => StatusCode::NOT_FOUND,
            ServerError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ServerError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        ServerError::internal(format!("store: {e}"))
    }
}

impl From<tokio::task::JoinError> for ServerError {
    fn from(e: tokio::task::JoinError) -> Self {
        ServerError::internal(format!("blocking task: {e}"))
    }
}

/// The XML content type of every API response.
pub const XML_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// An XML response with this status.
pub fn xml_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(XML_CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

/// A recording's audio.
pub fn wav_response(wav: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("audio/x-wav"),
        )],
        wav,
    )
        .into_response()
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            ServerError::Api(e) => xml::rest_exception(status.as_u16(), &e.message, Some(e.code)),
            ServerError::BadRequest(m) => xml::rest_exception(status.as_u16(), m, None),
            ServerError::Unauthorized => xml::rest_exception(
                status.as_u16(),
                "Authenticate: use HTTP Basic auth with your AccountSid and AuthToken",
                None,
            ),
            ServerError::NotFound => xml::rest_exception(
                status.as_u16(),
                "The requested resource was not found",
                None,
            ),
            ServerError::MethodNotAllowed => xml::rest_exception(
                status.as_u16(),
                "The requested method is not allowed on this resource",
                None,
            ),
            ServerError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                xml::rest_exception(status.as_u16(), "Internal server error", None)
            }
        };
        let mut response = xml_response(status, body);
        if matches!(self, ServerError::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"ringside\""),
            );
        }
        response
    }
}
