//! Entry boundaries in a buffer of bytes: where entries start and end by the format's
//! own rule (`Format::is_entry_start`), so a multi-line entry (a JSON block, a stack
//! trace) is never cut in two; how a buffer splits into entry-aligned chunks, where a
//! stream buffer may be cut, and how an entry over `--max-entry-size` is handed on in
//! pieces. Used by the scanner, the follower and the context views alike.

use crate::format::timestamp::TimeCtx;
use crate::format::Format;

/// Default `--max-entry-size`.
pub const MAX_ENTRY: usize = 64 << 20;

/// `64 MiB`, `1 KiB`, `1000 bytes`.
pub fn human_size(n: usize) -> String {
    const UNITS: [(usize, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    UNITS
        .iter()
        .find(|(u, _)| n >= *u && n.is_multiple_of(*u))
        .map_or(format!("{n} bytes"), |(u, name)| {
            format!("{} {name}", n / u)
        })
}

/// Start of the line after the one containing `pos - 1` (so `pos` itself when it is
/// already a line start).
pub(crate) fn line_start_at_or_after(buf: &[u8], pos: usize) -> usize {
    if pos == 0 || pos >= buf.len() {
        return pos.min(buf.len());
    }
    if buf[pos - 1] == b'\n' {
        return pos;
    }
    match memchr::memchr(b'\n', &buf[pos..]) {
        Some(i) => pos + i + 1,
        None => buf.len(),
    }
}

/// End of the line starting at `start`, excluding its `\n` (so `buf.len()` at the end).
#[inline]
pub(crate) fn line_end(buf: &[u8], start: usize) -> usize {
    match memchr::memchr(b'\n', &buf[start..]) {
        Some(i) => start + i,
        None => buf.len(),
    }
}

/// Whether the line `buf[start..le]` starts an entry. Formats whose rule depends on
/// the line before (a partial line in an envelope continues in the next) get it.
#[inline]
pub(crate) fn starts(buf: &[u8], start: usize, le: usize, format: Format, ctx: &TimeCtx) -> bool {
    let prev = (format.needs_prev() && start > 0).then(|| {
        let s = memchr::memrchr(b'\n', &buf[..start - 1]).map_or(0, |i| i + 1);
        &buf[s..start - 1]
    });
    format.is_entry_start_after(prev, &buf[start..le], ctx)
}

/// The first entry start at or after `pos`.
pub fn align(buf: &[u8], pos: usize, end: usize, format: Format, ctx: &TimeCtx) -> usize {
    let mut start = line_start_at_or_after(buf, pos);
    if !format.multiline() {
        return start.min(end);
    }
    while start < end {
        let le = line_end(buf, start);
        if starts(buf, start, le, format, ctx) {
            return start;
        }
        start = le + 1;
    }
    end
}

/// Splits `buf[lo..hi]` into entry-aligned chunks of about `size` bytes (the tests'
/// form of `split_bounded`).
#[cfg(test)]
pub fn split(
    buf: &[u8],
    lo: usize,
    hi: usize,
    size: usize,
    format: Format,
    ctx: &TimeCtx,
) -> Vec<(usize, usize)> {
    split_bounded(buf, lo, hi, size, usize::MAX, format, ctx).unwrap_or_default()
}

/// As `split`, but `None` as soon as a chunk would reach `longest` bytes (an entry
/// too long to end within it). The search for each chunk's end reads at most `longest`
/// bytes from the chunk's start, so a giant entry is found without touching all of it.
pub fn split_bounded(
    buf: &[u8],
    lo: usize,
    hi: usize,
    size: usize,
    longest: usize,
    format: Format,
    ctx: &TimeCtx,
) -> Option<Vec<(usize, usize)>> {
    let size = size.max(1);
    let mut chunks = Vec::new();
    let mut start = lo;
    while start < hi {
        let target = start.saturating_add(size);
        let end = if target >= hi {
            hi
        } else {
            let bound = start.saturating_add(longest).min(hi);
            let end = align(&buf[..bound], target.min(bound), bound, format, ctx);
            if end >= bound && bound < hi {
                return None;
            }
            end
        };
        chunks.push((start, end));
        start = end;
    }
    Some(chunks)
}

/// Where to cut a stream buffer so that the part before holds only whole entries:
/// before the last entry, which may still continue. 0 means "need more data".
pub fn stream_cut(buf: &[u8], format: Format, ctx: &TimeCtx, eof: bool) -> usize {
    if eof {
        return buf.len();
    }
    let Some(last_nl) = memchr::memrchr(b'\n', buf) else {
        return 0;
    };
    if !format.multiline() {
        return last_nl + 1;
    }
    // Walk complete lines backwards; the last entry start among them begins the
    // entry that the next block may continue.
    let mut end = last_nl;
    loop {
        let start = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |i| i + 1);
        if starts(buf, start, end, format, ctx) {
            return start;
        }
        if start == 0 {
            return 0;
        }
        end = start - 1;
    }
}

/// End of the entry whose first line starts at `start` (just past its final newline).
#[inline]
pub fn entry_end(buf: &[u8], start: usize, format: Format, ctx: &TimeCtx) -> usize {
    let end = line_end(buf, start);
    let next = end + 1;
    if next >= buf.len() || !format.multiline() || format.surely_starts(&buf[next..]) {
        return next.min(buf.len());
    }
    lines_after(buf, end, format, ctx)
}

/// [`entry_end`] past a first line that ends at `end`: the lines after it that do not
/// start an entry. The line after `end` exists and did not surely start one (the
/// caller asked).
#[inline(never)]
fn lines_after(buf: &[u8], mut end: usize, format: Format, ctx: &TimeCtx) -> usize {
    loop {
        let next = end + 1;
        let le = line_end(buf, next);
        if starts(buf, next, le, format, ctx) {
            break;
        }
        end = le;
        let next = end + 1;
        if next >= buf.len() || format.surely_starts(&buf[next..]) {
            break;
        }
    }
    (end + 1).min(buf.len())
}

/// Start of the entry containing position `p`, not before `floor` (an entry start).
#[inline]
pub fn entry_start(buf: &[u8], p: usize, floor: usize, format: Format, ctx: &TimeCtx) -> usize {
    let mut start = memchr::memrchr(b'\n', &buf[floor..p]).map_or(floor, |i| floor + i + 1);
    if format.multiline() {
        while start > floor && !format.surely_starts(&buf[start..]) {
            let le = line_end(buf, start);
            if starts(buf, start, le, format, ctx) {
                break;
            }
            start = memchr::memrchr(b'\n', &buf[floor..start - 1]).map_or(floor, |i| floor + i + 1);
        }
    }
    start
}

/// The entry's bytes without its final line terminator.
#[inline]
pub fn entry_bytes(buf: &[u8], start: usize, end: usize) -> &[u8] {
    let mut e = end;
    if e > start && buf[e - 1] == b'\n' {
        e -= 1;
    }
    if e > start && buf[e - 1] == b'\r' {
        e -= 1;
    }
    &buf[start..e]
}

/// The entry before the one starting at `start` (its start), if any.
pub fn prev_entry(buf: &[u8], start: usize, format: Format, ctx: &TimeCtx) -> Option<usize> {
    (start > 0).then(|| entry_start(buf, start - 1, 0, format, ctx))
}

/// Start and end of the entry that contains byte `pos`.
pub fn entry_around(buf: &[u8], pos: usize, format: Format, ctx: &TimeCtx) -> (usize, usize) {
    let pos = pos.min(buf.len().saturating_sub(1));
    let start = entry_start(buf, pos, 0, format, ctx);
    (start, entry_end(buf, start, format, ctx))
}

/// The piece of the entry `start..end` that holds byte `at`, and whether the entry is
/// split. An entry whose text (without its terminator) is longer than `max` is cut
/// every `max` bytes from its start, the last piece keeping the terminator, so a piece
/// is the same whichever hit leads to it. `start` may also be a piece boundary.
#[inline]
pub fn piece_of(
    buf: &[u8],
    start: usize,
    end: usize,
    at: usize,
    max: usize,
) -> (usize, usize, bool) {
    let max = max.max(1);
    let text_end = start + entry_bytes(buf, start, end).len();
    if text_end - start <= max {
        return (start, end, false);
    }
    let from = start + (at.clamp(start, text_end - 1) - start) / max * max;
    let to = if text_end - from > max {
        from + max
    } else {
        end
    };
    (from, to, true)
}

/// End of the piece that starts at `pos` (an entry start or a piece boundary).
pub fn piece_end(buf: &[u8], pos: usize, format: Format, ctx: &TimeCtx, max: usize) -> usize {
    piece_of(buf, pos, entry_end(buf, pos, format, ctx), pos, max).1
}

/// Start of the piece before `pos` (an entry start or a piece boundary), if any: the
/// previous entry, or its last piece when it is split.
pub fn prev_piece(
    buf: &[u8],
    pos: usize,
    format: Format,
    ctx: &TimeCtx,
    max: usize,
) -> Option<usize> {
    let start = prev_entry(buf, pos, format, ctx)?;
    let end = entry_end(buf, start, format, ctx);
    Some(piece_of(buf, start, end, pos - 1, max).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TimeCtx {
        TimeCtx::utc_now_year()
    }

    const COVET: &str = "2024-01-15 14:23:45.123 [ERROR] a b.rs:1 one\n{\n  \"k\": 1\n}\n2024-01-15 14:23:46.000 [INFO] a b.rs:2 two\n    at x\n2024-01-15 14:23:47.000 [INFO] a b.rs:3 three\n";

    #[test]
    fn chunks_never_cut_an_entry() {
        let buf = COVET.as_bytes();
        for size in 1..buf.len() + 2 {
            let chunks = split(buf, 0, buf.len(), size, Format::Covet, &ctx());
            let starts: Vec<usize> = chunks.iter().map(|c| c.0).collect();
            for s in &starts {
                assert!(
                    *s == 0 || buf[s - 1] == b'\n' && buf[*s..].starts_with(b"2024"),
                    "size {size}: chunk at {s}"
                );
            }
            assert_eq!(chunks.last().map(|c| c.1), Some(buf.len()));
        }
    }

    #[test]
    fn bounded_split_refuses_a_chunk_past_its_limit() {
        // Lines of 10 bytes, then one of 100, then 10 again.
        let mut buf = b"aaaaaaaaa\n".repeat(5);
        buf.extend(b"b".repeat(99));
        buf.push(b'\n');
        buf.extend(b"ccccccccc\n".repeat(5));
        let ctx = ctx();
        let all = split(&buf, 0, buf.len(), 10, Format::Plain, &ctx);
        assert_eq!(all.len(), 11);
        assert_eq!(all[5], (50, 150));
        let bounded = |longest| split_bounded(&buf, 0, buf.len(), 10, longest, Format::Plain, &ctx);
        assert_eq!(bounded(200), Some(all.clone()));
        assert_eq!(bounded(101), Some(all));
        assert_eq!(bounded(100), None);
        assert_eq!(bounded(20), None);
    }

    #[test]
    fn stream_cut_keeps_the_open_entry() {
        let buf = COVET.as_bytes();
        let cut = stream_cut(buf, Format::Covet, &ctx(), false);
        assert!(buf[cut..].starts_with(b"2024-01-15 14:23:47"));
        assert_eq!(stream_cut(b"abc", Format::Plain, &ctx(), false), 0);
        assert_eq!(stream_cut(b"a\nb", Format::Plain, &ctx(), false), 2);
        assert_eq!(stream_cut(b"a\nb", Format::Plain, &ctx(), true), 3);
        // A JSON line's raw stack trace may go on in the next block: the last whole
        // line that starts an entry is held back with the lines after it.
        let json = b"{\"a\":1}\n{\"b\":2}\n\tat x.Y(Y.java:1)\n\tat x.Y";
        assert_eq!(stream_cut(json, Format::Json, &ctx(), false), 8);
        assert_eq!(stream_cut(json, Format::Json, &ctx(), true), json.len());
        assert_eq!(
            stream_cut(b"{\"a\":1}\n{\"b\"", Format::Json, &ctx(), false),
            0
        );
        let logfmt = b"a=1 b=2\nCaused by: x\nc=3 d=4\n";
        assert_eq!(stream_cut(logfmt, Format::Logfmt, &ctx(), false), 21);
    }

    #[test]
    fn json_and_logfmt_entries_take_the_lines_shaped_to_continue_them() {
        let json = "{\"a\":1}\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\n{\"b\":2}\n  {\"c\":3}\n{\n  \"d\": 4\n}\nnot a frame\n";
        let logfmt = "a=1 b=2\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad\n{\"c\":3}\nat=info path=/\n    at a.B.c(B.java:1)\nnot a frame\n";
        for (format, text, want) in [
            (
                Format::Json,
                json,
                &[
                    "{\"a\":1}\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n",
                    "\n",
                    "{\"b\":2}\n",
                    "  {\"c\":3}\n",
                    "{\n  \"d\": 4\n}\n",
                    "not a frame\n",
                ][..],
            ),
            (
                Format::Logfmt,
                logfmt,
                &[
                    "a=1 b=2\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad\n",
                    "{\"c\":3}\n",
                    "at=info path=/\n    at a.B.c(B.java:1)\n",
                    "not a frame\n",
                ][..],
            ),
        ] {
            let buf = text.as_bytes();
            let mut entries = Vec::new();
            let mut start = 0;
            while start < buf.len() {
                let end = entry_end(buf, start, format, &ctx());
                entries.push(&text[start..end]);
                // Every byte of the entry leads back to its start.
                for p in start..end {
                    assert_eq!(entry_start(buf, p, 0, format, &ctx()), start, "{format:?} {p}");
                }
                start = end;
            }
            assert_eq!(entries, want, "{format:?}");
        }
    }

    #[test]
    fn pieces_of_a_long_entry_lie_on_one_grid() {
        let mut buf = vec![b'x'; 2510];
        buf[9] = b'\n';
        buf.extend_from_slice(b"\n");
        let buf = &buf[..];
        // (start, end, hit) -> piece; the entry 10..2511 has 2500 bytes of text.
        for (start, end, at, piece) in [
            (10, 2511, 10, (10, 1034, true)),
            (10, 2511, 1100, (1034, 2058, true)),
            (10, 2511, 2509, (2058, 2511, true)),
            (10, 2511, 2510, (2058, 2511, true)),
            (1034, 2511, 1034, (1034, 2058, true)),
            (2058, 2511, 2058, (2058, 2511, false)),
            (0, 10, 3, (0, 10, false)),
        ] {
            assert_eq!(
                piece_of(buf, start, end, at, 1024),
                piece,
                "{start} {end} {at}"
            );
        }
        // Text of exactly the cap is one piece with its newline, forward and back.
        let exact = [&[b'y'; 1024][..], b"\n"].concat();
        assert_eq!(piece_of(&exact, 0, 1025, 0, 1024), (0, 1025, false));
        let ctx = ctx();
        let mut pos = 10;
        let mut starts = vec![pos];
        while pos < buf.len() {
            pos = piece_end(buf, pos, Format::Plain, &ctx, 1024);
            starts.push(pos);
        }
        assert_eq!(starts, [10, 1034, 2058, 2511]);
        let mut back = vec![2511];
        while let Some(p) = prev_piece(buf, *back.last().expect("start"), Format::Plain, &ctx, 1024)
        {
            back.push(p);
        }
        assert_eq!(back, [2511, 2058, 1034, 10, 0]);
    }

    #[test]
    fn entry_bounds_from_a_hit_inside_a_block() {
        let buf = COVET.as_bytes();
        let p = COVET.find("\"k\"").expect("hit");
        let s = entry_start(buf, p, 0, Format::Covet, &ctx());
        assert_eq!(s, 0);
        let e = entry_end(buf, s, Format::Covet, &ctx());
        assert!(buf[e..].starts_with(b"2024-01-15 14:23:46"));
    }
}
