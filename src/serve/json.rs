//! JSON bodies that are safe to show anywhere: serialized with serde_json, then `<`,
//! `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026` (valid JSON, the same value), so
//! log text can never be read as HTML even by a client that sniffs. Control
//! characters are escaped by JSON itself.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A JSON response with HTML-significant characters escaped.
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => raw(bytes),
            Err(_) => raw(
                br#"{"error":"internal","detail":"serialization failed","position":null}"#.to_vec(),
            ),
        }
    }
}

/// A response of JSON bytes already made (escaped here).
pub fn raw(bytes: Vec<u8>) -> Response {
    let mut res = escape_html(bytes).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// `<`, `>`, `&` as JSON `\u` escapes. Outside strings JSON never holds them, so the
/// rewrite is the same JSON value; already-escaped bytes are left alone.
pub fn escape_html(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.iter().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + 32);
    for b in bytes {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_the_value() {
        let v = serde_json::json!({"m": "<script>&x</script>\u{1b}[31m"});
        let bytes = escape_html(serde_json::to_vec(&v).unwrap());
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains('<') && !text.contains('&') && !text.contains('\u{1b}'));
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, v);
    }
}
