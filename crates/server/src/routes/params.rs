//! Request parameters: form bodies, query strings and path segments, decoded without
//! trusting them.

use axum::body::Bytes;
use ringside_call::CallSid;
use serde::Deserialize;

use crate::error::ServerError;

/// Decodes `application/x-www-form-urlencoded` text into name/value pairs, in order.
pub fn decode(text: &[u8]) -> Result<Vec<(String, String)>, ServerError> {
    serde_urlencoded::from_bytes(text)
        .map_err(|e| ServerError::bad_request(format!("the parameters are not form-encoded: {e}")))
}

/// The parameters of a POST: the form body first, then the query string (clients of the
/// time sometimes put parameters in the URL even on POST). The content type is not
/// checked: some 2008 clients sent none.
pub fn post_params(
    query: Option<&str>,
    body: &Bytes,
) -> Result<Vec<(String, String)>, ServerError> {
    let mut params = decode(body)?;
    params.extend(decode(query.unwrap_or_default().as_bytes())?);
    Ok(params)
}

/// The parameters of a GET.
pub fn query_params(query: Option<&str>) -> Result<Vec<(String, String)>, ServerError> {
    decode(query.unwrap_or_default().as_bytes())
}

/// The path of a call resource.
#[derive(Debug, Deserialize)]
pub struct CallPath {
    /// Checked by [`crate::auth::Authed`].
    #[allow(dead_code)]
    pub account_sid: String,
    /// `CA…`.
    pub call_sid: String,
}

impl CallPath {
    /// The call sid; a malformed one names no resource, so 404.
    pub fn sid(&self) -> Result<CallSid, ServerError> {
        CallSid::parse(&self.call_sid).map_err(|_| ServerError::NotFound)
    }
}

/// The path of a recording resource.
#[derive(Debug, Deserialize)]
pub struct RecordingPath {
    /// The owning account.
    pub account_sid: String,
    /// `RE…`, optionally with `.wav`, `.mp3` or `.xml`.
    pub recording: String,
}
