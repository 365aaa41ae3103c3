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

/// Whether a line opens with a `key=` pair (a key of key bytes, then `=`), as every
/// logfmt record does and no stack frame, exception or traceback line can.
pub fn opens_with_pair(line: &[u8]) -> bool {
    let key = line.iter().take_while(|&&c| is_key_byte(c)).count();
    key > 0 && line.get(key) == Some(&b'=')
}

#[inline]
fn is_key_byte(c: u8) -> bool {
    KEY_BYTES[usize::from(c)]
}

/// The bytes of a key: ASCII letters and digits, `_ . - @ /`.
static KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'@' | b'/');
        c += 1;
    }
    table
};

/// Splits a line into key/value pairs; bare words without `=` are skipped.
pub fn pairs(line: &[u8]) -> Vec<(&[u8], Raw<'_>)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let n = line.len();
    while pos < n {
        let (key, at) = key_after_space(line, pos);
        pos = at;
        if pos < n && line[pos] == b'=' && !key.is_empty() {
            pos += 1;
            if pos < n && line[pos] == b'"' {
                let (value, end) = quoted(line, pos);
                out.push((key, value));
                pos = end;
            } else {
                let start = pos;
                pos = word_end(line, pos);
                out.push((key, Raw::Text(&line[start..pos])));
            }
        } else {
            // Not a pair: skip the rest of this word.
            pos = word_end(line, pos);
        }
    }
    out
}

/// The `key=value` tail of a text format's line (felix, zerolog, logrus, structlog):
/// as [`pairs`], except that an unquoted value runs up to the next ` key=` (a word
/// followed by `=`) or the end, so `err=exit status 1 ipVersion=0x4` keeps
/// `exit status 1`. A tail is written by a program, not typed: a space inside an
/// unquoted value is part of it.
pub fn tail_pairs(line: &[u8]) -> Vec<(&[u8], Raw<'_>)> {
    TailPairs { line, pos: 0 }.collect()
}

/// The first value of key `name` (as keys compare, `json::names_equal`) in a `key=value`
/// tail, read as [`tail_pairs`] reads it, without collecting the others.
pub fn tail_value<'a>(line: &'a [u8], name: &[u8]) -> Option<Raw<'a>> {
    TailPairs { line, pos: 0 }
        .find(|(key, _)| crate::format::json::names_equal(key, name))
        .map(|(_, value)| value)
}

/// The pairs of a `key=value` tail, one at a time ([`tail_pairs`]).
struct TailPairs<'a> {
    line: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for TailPairs<'a> {
    type Item = (&'a [u8], Raw<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.line;
        while self.pos < line.len() {
            let (key, at) = key_after_space(line, self.pos);
            self.pos = at;
            if key.is_empty() || line.get(self.pos) != Some(&b'=') {
                // Not a pair: skip this word.
                self.pos = word_end(line, self.pos);
                continue;
            }
            self.pos += 1;
            if line.get(self.pos) == Some(&b'"') {
                let (value, end) = quoted(line, self.pos);
                self.pos = end;
                return Some((key, value));
            }
            let end = next_key_at(line, self.pos);
            let value = Raw::Text(line[self.pos..end].trim_ascii_end());
            self.pos = end;
            return Some((key, value));
        }
        None
    }
}

/// Skips the whitespace at `pos` and reads the key bytes after it: the key (maybe
/// empty) and the position just past it.
#[inline]
fn key_after_space(line: &[u8], mut pos: usize) -> (&[u8], usize) {
    let n = line.len();
    while pos < n && line[pos].is_ascii_whitespace() {
        pos += 1;
    }
    let key_start = pos;
    while pos < n && is_key_byte(line[pos]) {
        pos += 1;
    }
    (&line[key_start..pos], pos)
}

/// Where the word at `pos` ends: the next whitespace byte, or the line's end.
#[inline]
fn word_end(line: &[u8], mut pos: usize) -> usize {
    while pos < line.len() && !line[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

/// Where the next ` key=` after `from` starts (its whitespace), or the line's end.
fn next_key_at(line: &[u8], from: usize) -> usize {
    let mut pos = from;
    while let Some(i) = memchr::memchr2(b' ', b'\t', &line[pos..]) {
        let space = pos + i;
        let word = line[space..]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map_or(line.len(), |k| space + k);
        let key_len = line[word..].iter().take_while(|c| is_key_byte(**c)).count();
        if key_len > 0 && line.get(word + key_len) == Some(&b'=') {
            return space;
        }
        pos = word.max(space + 1);
        if pos >= line.len() {
            break;
        }
    }
    line.len()
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
    fn tail_values_run_to_the_next_key() {
        let text = |pairs: Vec<(&[u8], Raw<'_>)>| -> Vec<(String, String)> {
            pairs
                .into_iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(k).into_owned(),
                        v.text().into_owned(),
                    )
                })
                .collect()
        };
        let cases: [(&str, &[(&str, &str)]); 5] = [
            (
                "err=exit status 1 ipVersion=0x4",
                &[("err", "exit status 1"), ("ipVersion", "0x4")],
            ),
            ("a=1  b=\"x y\" c=", &[("a", "1"), ("b", "x y"), ("c", "")]),
            ("msg=a = b end=1", &[("msg", "a = b"), ("end", "1")]),
            ("words first k=v w x", &[("k", "v w x")]),
            (
                "url=http://h/?q=1 x=2",
                &[("url", "http://h/?q=1"), ("x", "2")],
            ),
        ];
        for (line, want) in cases {
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(text(tail_pairs(line.as_bytes())), want, "{line}");
        }
    }

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
