//! Who may ask: the token (required off loopback, read from `--token-file` or
//! `COVET_LOGS_TOKEN`, compared in constant time on every API request and WebSocket
//! handshake), the WebSocket's `Origin` against `Host`, the URI length limit, and the
//! headers every response carries (strict CSP, nosniff, no framing).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::serve::error::ApiError;

/// The shortest token accepted.
pub const MIN_TOKEN: usize = 16;
/// The longest request URI (path and query), in bytes.
pub const MAX_URI: usize = 8 * 1024;
/// The WebSocket subprotocol the server speaks; the token rides as `token.TOKEN`.
pub const SUBPROTOCOL: &str = "covet-logs";

/// The Content-Security-Policy of every response: nothing inline, nothing foreign.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

/// The token, if one is set: `--token-file`, else `COVET_LOGS_TOKEN`. Off loopback
/// one is required.
pub fn load_token(
    file: Option<&Path>,
    addr: &SocketAddr,
    addr_text: &str,
) -> Result<Option<Arc<[u8]>>> {
    let token = match file {
        Some(path) => {
            let what = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(&what, &e))?;
            Some((what, text.lines().next().unwrap_or("").trim().to_string()))
        }
        None => std::env::var("COVET_LOGS_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty())
            .map(|t| ("COVET_LOGS_TOKEN".to_string(), t.trim().to_string())),
    };
    match token {
        Some((what, t)) => {
            check_token(&t).map_err(|why| Error::new(what, why))?;
            Ok(Some(Arc::from(t.into_bytes())))
        }
        None if addr.ip().is_loopback() => Ok(None),
        None => Err(Error::new(
            format!("--addr {addr_text}"),
            "a token is required off loopback (--token-file or COVET_LOGS_TOKEN)",
        )),
    }
}

/// A token must be long enough to guess at no rate, and valid in a subprotocol name.
fn check_token(t: &str) -> std::result::Result<(), String> {
    if t.len() < MIN_TOKEN {
        return Err(format!("the token must be at least {MIN_TOKEN} characters"));
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || "-_.~+/=".contains(c);
    if !t.chars().all(ok) {
        return Err("the token may hold only letters, digits and - _ . ~ + / =".to_string());
    }
    Ok(())
}

/// The token a request presents: `Authorization: Bearer T`, or the WebSocket
/// subprotocol `token.T`.
fn presented(headers: &HeaderMap) -> Option<&[u8]> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().as_bytes());
    bearer.or_else(|| {
        headers
            .get_all(header::SEC_WEBSOCKET_PROTOCOL)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .find_map(|p| p.trim().strip_prefix("token."))
            .map(str::as_bytes)
    })
}

/// Whether `path` needs the token: the API and the stream, except health.
fn guarded(path: &str) -> bool {
    (path.starts_with("/api/") || path.starts_with("/ws/")) && path != "/api/v1/health"
}

/// Middleware: the URI limit, then the token (constant time) on guarded paths.
pub async fn gate(State(token): State<Option<Arc<[u8]>>>, req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request URI is {uri_len} bytes; at most {MAX_URI}"),
        )
        .into_response();
    }
    if let Some(token) = &token {
        if guarded(req.uri().path()) && !token_matches(token, presented(req.headers())) {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "missing or wrong token (Authorization: Bearer TOKEN)",
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// Constant-time comparison (the length is not secret: it is checked first).
fn token_matches(token: &[u8], given: Option<&[u8]>) -> bool {
    match given {
        Some(g) if g.len() == token.len() => bool::from(g.ct_eq(token)),
        _ => false,
    }
}

/// Whether a WebSocket handshake's `Origin` (when sent) is this server: same host and
/// port as `Host`, over http or https. Browsers always send it; other clients may not.
pub fn origin_allowed(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = origin.to_str().ok();
    match (origin, host) {
        (Some(o), Some(h)) => {
            let rest = o
                .strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"));
            rest.is_some_and(|r| r.eq_ignore_ascii_case(h))
        }
        _ => false,
    }
}

/// Middleware: the security headers on every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in set {
        h.insert(name, HeaderValue::from_static(value));
    }
    if api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        let t = b"0123456789abcdef";
        assert!(token_matches(t, Some(b"0123456789abcdef")));
        assert!(!token_matches(t, Some(b"0123456789abcdeX")));
        assert!(!token_matches(t, Some(b"0123456789abcde")));
        assert!(!token_matches(t, None));
    }

    #[test]
    fn origin_must_be_the_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:7878"));
        assert!(origin_allowed(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:7878"),
        );
        assert!(origin_allowed(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!origin_allowed(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!origin_allowed(&h));
    }
}
