//! The API's one error shape, `{error, detail, position}`, and the status each kind of
//! failure answers with. Everything a handler can fail with becomes an `ApiError`;
//! nothing a request sends yields a 500.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::Error;
use crate::sink::sanitize::sanitize;

/// An error answer: the status, a stable code, one human line and, for a bad query,
/// the caret's character position in the query text.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub position: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `bad_query`, `bad_parameter`, `not_found`, ...
    pub error: String,
    /// One human line.
    pub detail: String,
    /// For `bad_query`: the caret's 0-based character index in the query text.
    pub position: Option<usize>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            detail: sanitize(&detail.into()).into_owned(),
            position: None,
        }
    }

    pub fn bad(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    /// A server fault (an input that became unreadable); never for user input.
    pub fn internal(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "read_failed", detail)
    }

    /// A query error from the engine: the caret position is read from the error's
    /// caret line (`  ` + one column per char + `^`).
    pub fn from_query(e: &Error) -> ApiError {
        let position = e
            .detail
            .as_deref()
            .and_then(|d| d.lines().nth(1))
            .and_then(|caret| caret.find('^'))
            .map(|col| col.saturating_sub(2));
        ApiError {
            position,
            ..ApiError::bad("bad_query", format!("{}: {}", e.what, e.why))
        }
    }

    /// An engine error: a query error is a 400 with its position, an unknown entry a
    /// 404, anything else about the request a 400.
    pub fn from_engine(e: &Error) -> ApiError {
        if e.what == "query" || e.what.starts_with("--filter") && e.detail.is_some() {
            return ApiError::from_query(e);
        }
        ApiError::bad("bad_parameter", format!("{}: {}", e.what, e.why))
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.code.to_string(),
            detail: self.detail.clone(),
            position: self.position,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, super::json::Json(self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// The error code of a status the framework or a layer answered with by itself.
pub fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden_origin",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_client_error() => "bad_parameter",
        _ => "internal",
    }
}
