//! logfmt: `ts=... level=info msg="..." key=value` lines.
//!
//! Keys that name a standard field (by the same aliases as JSON) fill it; the other
//! pairs are metadata. A line with no pair at all is read as plain text instead.

use crate::format::alias::key_field;
use crate::format::record::{Kind, Meta, Raw, Record};
use crate::format::{text, timestamp::TimeCtx};

/// Parses one logfmt line.
pub fn parse<'a>(raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let pairs = pairs(raw);
    if pairs.is_empty() {
        return text::parse_plain(raw, ctx);
    }
    let mut rec = Record::new(Kind::Logfmt, *ctx);
    for (key, value) in &pairs {
        if let Some((field, rank)) = key_field(key) {
            rec.offer(field, rank, value.clone());
        }
    }
    rec.meta = Meta::Pairs(pairs);
    rec
}

/// True when the line starts with a `key=` pair and has at least two pairs.
pub fn looks_like_logfmt(line: &[u8]) -> bool {
    let line = crate::format::json::trim_ascii(line);
    let first_eq = match line.iter().position(|&c| c == b'=' || c == b' ') {
        Some(i) if line[i] == b'=' && i > 0 => i,
        _ => return false,
    };
    if !line[..first_eq].iter().all(|&c| is_key_byte(c)) {
        return false;
    }
    pairs(line).len() >= 2
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'@' | b'/')
}

/// Splits a line into key/value pairs; bare words without `=` are skipped.
pub fn pairs(line: &[u8]) -> Vec<(&[u8], Raw<'_>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let n = line.len();
    while pos < n {
        while pos < n && line[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let key_start = pos;
        while pos < n && is_key_byte(line[pos]) {
            pos += 1;
        }
        let key = &line[key_start..pos];
        if pos < n && line[pos] == b'=' && !key.is_empty() {
            pos += 1;
            if pos < n && line[pos] == b'"' {
                let (value, end) = quoted(line, pos);
                out.push((key, value));
                pos = end;
            } else {
                let start = pos;
                while pos < n && !line[pos].is_ascii_whitespace() {
                    pos += 1;
                }
                out.push((key, Raw::Text(&line[start..pos])));
            }
        } else {
            // Not a pair: skip the rest of this word.
            while pos < n && !line[pos].is_ascii_whitespace() {
                pos += 1;
            }
        }
    }
    out
}

/// A double-quoted value starting at `start`; returns it and the position after it.
fn quoted(line: &[u8], start: usize) -> (Raw<'_>, usize) {
    let mut pos = start + 1;
    let mut escaped = false;
    while pos < line.len() {
        match line[pos] {
            b'\\' => {
                escaped = true;
                pos += 2;
            }
            b'"' => break,
            _ => pos += 1,
        }
    }
    let end = pos.min(line.len());
    let inner = &line[start + 1..end];
    let after = (end + 1).min(line.len());
    if !escaped {
        return (Raw::Text(inner), after);
    }
    let mut s = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' && i + 1 < inner.len() {
            s.push(match inner[i + 1] {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                other => other,
            });
            i += 2;
        } else {
            s.push(inner[i]);
            i += 1;
        }
    }
    (Raw::Owned(String::from_utf8_lossy(&s).into_owned()), after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::alias::Field;
    use crate::format::level::Level;

    #[test]
    fn parses_pairs_and_standard_fields() {
        let ctx = TimeCtx::utc_now_year();
        let rec = parse(
            br#"ts=2024-01-15T14:23:45.123Z level=error msg="db \"down\" now" service=covet-db duration_ms=31 flag"#,
            &ctx,
        );
        assert_eq!(rec.level(), Some(Level::Error));
        assert_eq!(rec.message(), "db \"down\" now");
        assert_eq!(rec.text(Field::Service).as_deref(), Some("covet-db"));
        assert_eq!(
            rec.text(Field::Timestamp).as_deref(),
            Some("2024-01-15T14:23:45.123Z")
        );
        assert_eq!(
            rec.lookup("duration_ms"),
            vec![crate::format::json::Value::Num(31.0)]
        );
    }

    #[test]
    fn recognises_logfmt_lines() {
        assert!(looks_like_logfmt(b"level=info msg=hi"));
        assert!(!looks_like_logfmt(b"hello level=info msg=hi"));
        assert!(!looks_like_logfmt(b"a=1"));
        assert!(!looks_like_logfmt(b""));
    }

    #[test]
    fn unterminated_quote_keeps_the_rest() {
        let p = pairs(br#"msg="open ended"#);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].1.text(), "open ended");
    }
}
