//! Generic text logs: a timestamp at the start of an entry, a level token near it, the
//! rest is the message; lines without a timestamp continue the entry. Also the `plain`
//! fallback, where the whole text is the message.

use crate::format::level::{find_level_token, Level, Place};
use crate::format::record::{Field, Kind, Raw, Record};
use crate::format::timestamp::{self, TimeCtx};

/// Drops a UTF-8 byte order mark.
pub fn strip_bom(raw: &[u8]) -> &[u8] {
    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
}

/// How far past the timestamp a level token may start.
const LEVEL_SCAN: usize = 48;
/// How far into a line without a leading timestamp a level token may start (some
/// formats put a host, a pid or a file name first).
const PLAIN_LEVEL_SCAN: usize = 128;

/// Splits off the first line; the rest (after the newline) is `None` for one line.
pub fn split_first_line(raw: &[u8]) -> (&[u8], Option<&[u8]>) {
    match memchr::memchr(b'\n', raw) {
        Some(i) => {
            let first = &raw[..i];
            let first = first.strip_suffix(b"\r").unwrap_or(first);
            (first, Some(&raw[i + 1..]))
        }
        None => (raw.strip_suffix(b"\r").unwrap_or(raw), None),
    }
}

/// Trims trailing newlines and carriage returns.
pub fn trim_newlines(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., last] = s {
        if *last == b'\n' || *last == b'\r' {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Parses a generic text entry.
pub fn parse<'a>(raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let (first, rest) = split_first_line(raw);
    let Some((ts, used)) = timestamp::parse_leading(first, ctx) else {
        return parse_plain(raw, ctx);
    };
    let mut rec = Record::new(Kind::Text, *ctx);
    rec.set_ts(Some(ts));
    let after = &first[used.min(first.len())..];
    let message = match find_level_token(after, LEVEL_SCAN, Place::Column) {
        Some((level, _start, end)) => {
            rec.set_level(Some(level));
            trim_separators(&after[end.min(after.len())..])
        }
        None => {
            // glog and similar put the level before or inside the timestamp.
            rec.set_level(find_level_token(first, LEVEL_SCAN, Place::Text).map(|(l, _, _)| l));
            trim_separators(after)
        }
    };
    rec.offer(Field::Message, 0, Raw::Text(message));
    if let Some(rest) = rest {
        let rest = trim_newlines(rest);
        if !rest.is_empty() {
            rec.extra = Some(rest);
        }
    }
    rec
}

/// Text that no format parses: the message is the whole text; a level token near the
/// start (shaped as a level: see [`find_level_token`]) and a leading timestamp are
/// still picked up when present.
pub fn parse_plain<'a>(raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let mut rec = Record::new(Kind::Raw, *ctx);
    let (first, _) = split_first_line(raw);
    let ts = timestamp::parse_leading(first, ctx).map(|(t, _)| t);
    rec.set_ts(ts);
    rec.set_level(plain_level(first));
    rec.offer(Field::Message, 0, Raw::Text(trim_newlines(raw)));
    rec
}

/// The level of a plain entry's first line.
fn plain_level(first: &[u8]) -> Option<Level> {
    find_level_token(first, PLAIN_LEVEL_SCAN, Place::Text).map(|(l, _, _)| l)
}

/// The level of a plain entry read straight from its bytes, exactly as
/// [`parse_plain`] (through `Format::parse`) gives it; `None` when the record must be
/// parsed to know (colour codes, which the full parse reads past).
pub fn quick_plain_level(raw: &[u8]) -> Option<Option<Level>> {
    let (first, rest) = split_first_line_uncoloured(strip_bom(raw))?;
    if rest.is_some_and(|r| memchr::memchr(0x1b, r).is_some()) {
        return None;
    }
    Some(plain_level(first))
}

/// [`split_first_line`] of an entry whose first line has no colour codes (no ESC);
/// `None` when it has. One pass over a one-line entry.
pub fn split_first_line_uncoloured(raw: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    match memchr::memchr2(0x1b, b'\n', raw) {
        Some(i) if raw[i] == 0x1b => None,
        Some(_) => Some(split_first_line(raw)),
        None => Some((raw.strip_suffix(b"\r").unwrap_or(raw), None)),
    }
}

/// Drops the punctuation that separates a header from its message (`] : - |`).
fn trim_separators(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if matches!(
            first,
            b' ' | b'\t' | b']' | b')' | b'>' | b':' | b'-' | b'|'
        ) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::level::Level;

    #[test]
    fn header_and_continuation() {
        let ctx = TimeCtx::utc_now_year();
        let rec = parse(
            b"2015-10-18 18:01:47,978 ERROR [main] boom: it broke\n\tat x.y(Z.java:1)\n",
            &ctx,
        );
        assert_eq!(rec.level(), Some(Level::Error));
        assert_eq!(rec.message(), "[main] boom: it broke\n\tat x.y(Z.java:1)");
        assert_eq!(
            rec.text(Field::Timestamp).as_deref(),
            Some("2015-10-18T18:01:47.978Z")
        );
    }

    #[test]
    fn plain_text_is_the_message() {
        let rec = parse_plain(b"something odd happened", &TimeCtx::utc_now_year());
        assert_eq!(rec.message(), "something odd happened");
        assert_eq!(rec.level(), None);
        assert_eq!(rec.ts(), None);
    }
}
