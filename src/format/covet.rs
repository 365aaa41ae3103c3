//! The covet text layout: `2024-01-15 14:23:45.123 [ERROR] covet-core request.rs:42 msg`.
//!
//! Lines after the header that do not start a new entry belong to it: a pretty-printed
//! JSON block (whose keys fill trace/span/user/request ids, tags and metadata) and
//! anything else, such as a stack trace, which is kept as continuation text.

use crate::format::json;
use crate::format::level::Level;
use crate::format::record::{offer_json_fields, Field, Kind, Meta, Raw, Record};
use crate::format::text;
use crate::format::timestamp::{self, TimeCtx};

/// The parts of a covet header line after the timestamp.
struct Header<'a> {
    ts: i64,
    level: Level,
    service: &'a [u8],
    source: &'a [u8],
    message: &'a [u8],
}

fn parse_header<'a>(line: &'a [u8], ctx: &TimeCtx) -> Option<Header<'a>> {
    let (ts, used) = timestamp::parse_leading(line, ctx)?;
    let rest = line.get(used..)?.strip_prefix(b" [")?;
    let close = memchr::memchr(b']', &rest[..rest.len().min(12)])?;
    let level = Level::parse_name(&rest[..close])?;
    let rest = rest[close + 1..].strip_prefix(b" ")?;
    let (service, rest) = split_word(rest)?;
    let (source, message) = split_word(rest).unwrap_or((rest, b""));
    Some(Header {
        ts,
        level,
        service,
        source,
        message,
    })
}

fn split_word(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let s = s.strip_prefix(b" ").unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    match memchr::memchr(b' ', s) {
        Some(i) => Some((&s[..i], &s[i + 1..])),
        None => Some((s, b"")),
    }
}

/// Whether a line is a covet header (used by format detection).
pub fn is_header(line: &[u8], ctx: &TimeCtx) -> bool {
    parse_header(line, ctx).is_some()
}

/// Whether a line is a covet header whose service and source are not words of a
/// sentence (detection): the source looks like a code location (`request.rs:42`,
/// `db::pool`, `/api/v1/users`) and the service is not a capitalized word.
pub fn is_layout_line(line: &[u8], ctx: &TimeCtx) -> bool {
    let Some(h) = parse_header(line, ctx) else {
        return false;
    };
    let location = h
        .source
        .iter()
        .any(|c| matches!(c, b':' | b'.' | b'/' | b'#'));
    let capitalized = h.service.first().is_some_and(u8::is_ascii_uppercase)
        && h.service[1..].iter().all(u8::is_ascii_lowercase);
    location && !capitalized
}

/// Parses one covet entry (header plus continuation lines).
pub fn parse<'a>(raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let (first, rest) = text::split_first_line(raw);
    let Some(h) = parse_header(first, ctx) else {
        return text::parse(raw, ctx);
    };
    let mut rec = Record::new(Kind::Text, *ctx);
    rec.set_ts(Some(h.ts));
    rec.set_level(Some(h.level));
    rec.offer(Field::Service, 0, Raw::Text(h.service));
    rec.offer(Field::Source, 0, Raw::Text(h.source));
    rec.offer(Field::Message, 0, Raw::Text(h.message));
    if let Some(rest) = rest {
        attach_block(&mut rec, rest);
    }
    rec
}

/// Finds a JSON block among the continuation lines; the other lines become `extra`.
fn attach_block<'a>(rec: &mut Record<'a>, rest: &'a [u8]) {
    let start = rest
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .filter(|&i| rest[i] == b'{')
        // or after a stack trace: the first line that starts with `{`
        .or_else(|| memchr::memmem::find(rest, b"\n{").map(|i| i + 1));
    let block = start.and_then(|s| json::value_end(rest, s).map(|e| (s, e)));
    match block {
        Some((s, e)) => {
            let obj = &rest[s..e];
            let mut probe = Record::new(Kind::Text, TimeCtx::utc_now_year());
            if offer_json_fields(&mut probe, obj) {
                for field in [
                    Field::TraceId,
                    Field::SpanId,
                    Field::UserId,
                    Field::RequestId,
                    Field::Tags,
                    Field::Id,
                ] {
                    if let Some(Raw::Json(v)) = probe.raw(field) {
                        rec.offer(field, 1, Raw::Json(v));
                    }
                }
                rec.meta = Meta::Json(obj);
                let after = &rest[e..];
                let after = after.strip_prefix(b"\r").unwrap_or(after);
                let after = after.strip_prefix(b"\n").unwrap_or(after);
                let before = text::trim_newlines(&rest[..s]);
                let tail = match before.trim_ascii() {
                    b"" => text::trim_newlines(after),
                    _ => before,
                };
                if !tail.is_empty() {
                    rec.extra = Some(tail);
                }
                return;
            }
            rec.extra = Some(text::trim_newlines(rest));
        }
        None => rec.extra = Some(text::trim_newlines(rest)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_block_and_trace() {
        let raw = b"2024-01-15 14:23:45.123 [ERROR] covet-core request.rs:42 Failed to process request: timeout after 30s\n{\n  \"request_id\": \"req_abc123\",\n  \"user_id\": \"user_456\",\n  \"endpoint\": \"/api/v1/users/profile\",\n  \"duration_ms\": 30000\n}\n    at handler (request.rs:42)";
        let rec = parse(raw, &TimeCtx::utc_now_year());
        assert_eq!(rec.level(), Some(Level::Error));
        assert_eq!(rec.text(Field::Service).as_deref(), Some("covet-core"));
        assert_eq!(rec.text(Field::Source).as_deref(), Some("request.rs:42"));
        assert_eq!(rec.text(Field::UserId).as_deref(), Some("user_456"));
        assert_eq!(rec.text(Field::RequestId).as_deref(), Some("req_abc123"));
        assert_eq!(
            rec.message(),
            "Failed to process request: timeout after 30s\n    at handler (request.rs:42)"
        );
        assert_eq!(rec.lookup("endpoint").len(), 1);
        let meta = rec.metadata_json();
        assert_eq!(meta.len(), 2, "{meta:?}");
        assert_eq!(
            rec.text(Field::Timestamp).as_deref(),
            Some("2024-01-15T14:23:45.123Z")
        );
    }

    #[test]
    fn header_needs_level_and_service() {
        let ctx = TimeCtx::utc_now_year();
        assert!(is_header(
            b"2024-01-15 14:23:45.123 [WARN] covet-db c.rs:1 x",
            &ctx
        ));
        assert!(!is_header(b"2024-01-15 14:23:45.123 [main] x", &ctx));
        assert!(!is_header(b"2024-01-15 14:23:45.123 INFO x", &ctx));
    }
}
