//! Log formats: detection from an input's first lines, entry boundaries, and one parser
//! per format (each in a file of its own). Parsers borrow from the raw bytes.
//!
//! Whatever the format, an entry that no parser understands is still an entry: its
//! record has kind `Raw` and its message is the raw text, so it stays searchable.

pub mod alias;

pub mod ansi;
pub mod bounds;
pub mod covet;
pub mod defs;
pub mod json;
pub mod kind;
pub mod level;
pub mod logfmt;
pub mod otlp;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pattern;
pub mod quick;
pub mod record;
mod seen;
pub mod text;
pub mod timestamp;
pub mod user;
pub mod walk;
pub mod wrap;

use std::borrow::Cow;

pub use kind::{Base, Format};
use record::Record;
pub use text::strip_bom;
use timestamp::TimeCtx;

impl Format {
    /// The format's name; a wrapped one is `wrapper/inner` (`docker/logback`).
    pub fn name(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Format::Json => "json",
            Format::Logfmt => "logfmt",
            Format::Covet => "covet",
            Format::Text => "text",
            Format::Plain => "plain",
            Format::Pattern(id) => pattern::compiled(id).def.name,
            Format::Wrapped(w, inner) => {
                return Cow::Owned(format!("{}/{}", w.def().name, inner.format().name()))
            }
        })
    }

    /// Whether an entry can span several lines.
    pub fn multiline(self) -> bool {
        match self {
            Format::Covet | Format::Text | Format::Pattern(_) => true,
            // A stack trace printed raw after a JSON or logfmt line joins it.
            Format::Json | Format::Logfmt => true,
            // Partial lines and stack frames join, whatever the inner format.
            Format::Wrapped(..) => true,
            Format::Plain => false,
        }
    }

    /// Whether an entry's first line is whole by itself, later lines joining it only
    /// by their shape (JSON lines, logfmt): a follower releases such an entry as soon
    /// as its line is complete instead of waiting to see whether lines continue it.
    pub fn first_line_whole(self) -> bool {
        matches!(self, Format::Json | Format::Logfmt)
    }

    /// Whether the line at the start of `from` (the buffer from there on) surely starts
    /// an entry, known from its first bytes without finding its end: a JSON object's
    /// `{`, a logfmt record's `key=`. The entry bounds' shortcut; `false` says nothing.
    #[inline]
    pub fn surely_starts(self, from: &[u8]) -> bool {
        match self {
            Format::Json => from.first() == Some(&b'{'),
            // A key's bytes never include `\n`: the scan stays on the line.
            Format::Logfmt => logfmt::opens_with_pair(from),
            _ => false,
        }
    }

    /// Whether `line` starts a new entry (always true for one-line formats). A line
    /// with colour codes is read without them (a text format's patterns never see them).
    pub fn is_entry_start(self, line: &[u8], ctx: &TimeCtx) -> bool {
        if self.is_start_as_written(line, ctx) {
            return true;
        }
        match ansi::strip(line) {
            std::borrow::Cow::Owned(clean) if self.reads_colour() => {
                self.is_start_as_written(&clean, ctx)
            }
            _ => false,
        }
    }

    /// Whether the format's text may be written in colour: the text formats (JSON
    /// escapes its control characters; a wrapper's inner format decides for itself).
    fn reads_colour(self) -> bool {
        matches!(
            self,
            Format::Covet | Format::Text | Format::Plain | Format::Pattern(_) | Format::Logfmt
        )
    }

    fn is_start_as_written(self, line: &[u8], ctx: &TimeCtx) -> bool {
        match self {
            Format::Pattern(id) => pattern::is_entry_start(id, line, ctx),
            Format::Text => {
                timestamp::parse_leading(line, ctx).is_some()
                    || (!pattern::continues(line) && pattern::is_other_entry(line, ctx))
            }
            Format::Covet => timestamp::parse_leading(line, ctx).is_some(),
            Format::Wrapped(w, inner) => wrap::is_entry_start(w, inner, line, ctx),
            Format::Json | Format::Logfmt => !self.continues_record(line),
            Format::Plain => true,
        }
    }

    /// Whether a line of a JSON-lines or logfmt stream continues the entry above: it
    /// has a continuation shape (a stack frame, indentation, `Caused by:`; see
    /// `pattern::continues`) and is not a record itself. A line opening with `{` is a
    /// record in JSON lines (an object, or the start of a pretty-printed one) and when
    /// it is a whole object in logfmt; a line opening with a `key=` pair is one in
    /// logfmt. A blank line continues nothing (it is skipped, as it always was).
    fn continues_record(self, line: &[u8]) -> bool {
        let text = json::trim_ascii(line);
        match text.first() {
            None => false,
            Some(b'{') if self == Format::Json || json::looks_like_object(text) => false,
            _ if self == Format::Logfmt && logfmt::opens_with_pair(line) => false,
            _ => pattern::continues(line),
        }
    }

    /// Whether the rule for entry starts looks at the line before (see
    /// [`Format::is_entry_start_after`]).
    #[inline]
    pub fn needs_prev(self) -> bool {
        match self {
            Format::Wrapped(w, _) => wrap::marks_partial(w),
            Format::Pattern(id) => pattern::needs_prev(id),
            _ => false,
        }
    }

    /// [`Format::is_entry_start`] given the line before: a line after a partial line
    /// of a wrapper (CRI `P`, docker's `log` without `\n`) continues it, and so does a
    /// request's untimed line after a line of the same request (`pattern::Cont::Request`).
    #[inline]
    pub fn is_entry_start_after(self, prev: Option<&[u8]>, line: &[u8], ctx: &TimeCtx) -> bool {
        match (self, prev) {
            (Format::Wrapped(w, _), Some(prev)) if wrap::is_partial(w, prev) => return false,
            (Format::Pattern(id), Some(prev)) => {
                if let Some(start) = pattern::start_after(id, prev, line) {
                    return start;
                }
                if pattern::continues_request(id, prev, line) {
                    return false;
                }
            }
            _ => {}
        }
        self.is_entry_start(line, ctx)
    }

    /// Parses one entry's raw text into a record.
    #[inline]
    pub fn parse<'a>(self, raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
        // The usual case, a JSON object, built in place (no call, no copy of the record).
        if self == Format::Json {
            let (body, rest) = json::split_entry(strip_bom(raw));
            if body.first() == Some(&b'{') {
                return json_object(body, rest, ctx);
            }
        }
        self.parse_other(raw, ctx)
    }

    #[inline(never)]
    fn parse_other<'a>(self, raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
        let raw = strip_bom(raw);
        if self.reads_colour() && ansi::has_escape(raw) {
            if let std::borrow::Cow::Owned(clean) = ansi::strip(raw) {
                return self.parse_as_written(&clean, ctx).detached();
            }
        }
        self.parse_as_written(raw, ctx)
    }

    fn parse_as_written<'a>(self, raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
        match self {
            Format::Json => json_record(raw, ctx),
            Format::Logfmt => logfmt_record(raw, ctx),
            Format::Covet => covet::parse(raw, ctx),
            Format::Text => text::parse(raw, ctx),
            Format::Plain => text::parse_plain(raw, ctx),
            Format::Pattern(id) => pattern::parse(id, raw, ctx),
            Format::Wrapped(w, inner) => wrap::parse(w, inner, raw, ctx),
        }
    }
}

/// A JSON line; anything that is not a valid object falls back to the next format
/// that reads it, and finally to a raw record.
fn json_record<'a>(raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let (body, rest) = json::split_entry(raw);
    if body.first() == Some(&b'{') {
        return json_object(body, rest, ctx);
    }
    let (line, rest) = split_first_line(raw);
    if logfmt::looks_like_logfmt(line) {
        return logfmt_lines(line, rest, ctx);
    }
    text::parse_plain(raw, ctx)
}

/// The record of a JSON object, the lines after it (`rest`, a raw stack trace) read as
/// the message's continuation lines, as in the text formats.
#[inline]
fn json_object<'a>(obj: &'a [u8], rest: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let mut rec = if otlp::is_batch(obj) {
        Record::new_otlp_batch(obj, *ctx)
    } else {
        Record::new_json(obj, *ctx)
    };
    if !rest.is_empty() {
        rec.extra = Some(rest);
    }
    rec
}

/// A logfmt line; a JSON object among them (a mixed stream) is read as JSON.
fn logfmt_record<'a>(raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let (line, rest) = split_first_line(raw);
    if json::looks_like_object(line) {
        return json_record(raw, ctx);
    }
    logfmt_lines(line, rest, ctx)
}

/// A logfmt entry: the pairs of its first line, the lines after it (a raw stack trace)
/// read as the message's continuation lines.
fn logfmt_lines<'a>(line: &'a [u8], rest: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let mut rec = logfmt::parse(line, ctx);
    if !rest.is_empty() {
        rec.extra = Some(rest);
    }
    rec
}

/// An entry's first line (without its line terminator) and the lines after it (without
/// the final one; empty for an entry of one line).
#[inline]
fn split_first_line(raw: &[u8]) -> (&[u8], &[u8]) {
    let (line, rest) = text::split_first_line(raw);
    (line, rest.map(text::trim_newlines).unwrap_or_default())
}

/// How many of the first lines to look at when detecting a format.
const DETECT_LINES: usize = 64;
/// How many of the first bytes detection looks at (a stream is read this far first).
pub const DETECT_BYTES: usize = 256 * 1024;

/// Detects the format of an input from its first lines.
///
/// JSON wins when objects are at least half of the non-empty lines that are not
/// continuation lines (a stack trace after a JSON line counts with it). Otherwise every text candidate is
/// scored on the sample: the covet layout (lines with its `[LEVEL] service source`
/// header, where the source looks like a code location) and each built-in definition
/// (lines its pattern reads). The candidate that reads the most lines is chosen when
/// it explains most of the sample (its lines plus continuation lines); the covet layout
/// wins a tie. Then logfmt when half or more of the lines that are not continuation
/// lines are key=value pairs; then generic text when
/// any line starts with a timestamp; otherwise plain text, one entry per line.
pub fn detect(head: &[u8], ctx: &TimeCtx) -> Format {
    detect_scored(head, ctx).format
}

/// A detected format and how sure detection was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    pub format: Format,
    /// Non-empty lines sampled.
    pub sampled: usize,
    /// Sampled lines the format read as entries or continuation lines.
    pub parsed: usize,
    /// Most lines are OpenTelemetry collector batches (see `otlp`).
    pub otlp_batch: bool,
}

impl Detection {
    /// The name `formats detect` shows: the format's, or `otlp-batch`.
    pub fn name(&self) -> Cow<'static, str> {
        if self.otlp_batch {
            return Cow::Borrowed(otlp::BATCH_NAME);
        }
        self.format.name()
    }

    /// What the user should know about how the input is read, if anything.
    pub fn note(&self) -> Option<&'static str> {
        self.otlp_batch.then_some(otlp::BATCH_NOTE)
    }
}

impl Detection {
    /// A detection of `format` that is not an OTLP batch export.
    fn plain(format: Format, sampled: usize, parsed: usize) -> Self {
        Detection {
            format,
            sampled,
            parsed,
            otlp_batch: false,
        }
    }
}

/// The non-blank lines detection samples from the head of an input (CR of CRLF cut).
fn sample_lines(head: &[u8]) -> Vec<&[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', head).chain(std::iter::once(head.len()));
    ends.map(|end| {
        let line = &head[start.min(end)..end];
        start = end + 1;
        line
    })
    .take(DETECT_LINES)
    .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
    .filter(|l| !json::trim_ascii(l).is_empty())
    .collect()
}

/// [`detect`] with the share of sampled lines the chosen format read.
pub fn detect_scored(head: &[u8], ctx: &TimeCtx) -> Detection {
    let head = strip_bom(&head[..head.len().min(DETECT_BYTES)]);
    // Colour codes are read past (see `ansi`), here as in every text format.
    let clean = ansi::strip(head);
    let head = &*clean;
    let lines = sample_lines(head);
    let total = lines.len();
    let done = |format, parsed| Detection::plain(format, total, parsed);
    if total == 0 {
        return done(Format::Plain, 0);
    }
    if let Some((w, inner, n)) = wrap::detect(&lines) {
        let joined = inner.join(&b'\n');
        let found = detect_base(&joined, ctx);
        if let Some(base) = Base::of(found.format) {
            return done(Format::Wrapped(w, base), n);
        }
    }
    detect_base(head, ctx)
}

/// Detects a format that is not wrapped (see [`detect`]).
fn detect_base(head: &[u8], ctx: &TimeCtx) -> Detection {
    let lines = sample_lines(head);
    let total = lines.len();
    let done = |format, parsed| Detection::plain(format, total, parsed);
    if total == 0 {
        return done(Format::Plain, 0);
    }
    let json_n = lines.iter().filter(|l| json::looks_like_object(l)).count();
    let text: Vec<&[u8]> = lines
        .iter()
        .copied()
        .filter(|l| !json::looks_like_object(l))
        .collect();
    let shaped = text.iter().filter(|l| pattern::continues(l)).count();
    // JSON when objects are at least half of the lines that are not continuation
    // lines (a JSON line's stack trace counts with it, as the text formats' do).
    if json_n > 0 && json_n * 2 >= total - shaped {
        let batches = lines
            .iter()
            .filter(|l| otlp::is_batch(json::trim_ascii(l)))
            .count();
        return Detection {
            otlp_batch: batches * 2 > total,
            ..done(Format::Json, (json_n + shaped).min(total))
        };
    }
    let covet_n = text
        .iter()
        .filter(|l| covet::is_layout_line(l, ctx))
        .count();
    let best = pattern::best(&text);
    let covet_score = (covet_n > 0).then_some((covet_n, covet_n + shaped));
    let chosen = match (covet_score, best) {
        (Some((n, e)), Some(b)) if n >= b.matched => Some((Format::Covet, e)),
        (_, Some(b)) => Some((Format::Pattern(b.id), b.explained)),
        (Some((_, e)), None) => Some((Format::Covet, e)),
        (None, None) => None,
    };
    if let Some((format, explained)) = chosen {
        if explained * 2 > total {
            return done(format, explained.min(total));
        }
    }
    let logfmt_n = text
        .iter()
        .filter(|l| timestamp::parse_leading(l, ctx).is_none() && logfmt::looks_like_logfmt(l))
        .count();
    let ts_n = text
        .iter()
        .filter(|l| timestamp::parse_leading(l, ctx).is_some())
        .count();
    if logfmt_n > 0 && logfmt_n * 2 >= total - shaped {
        done(Format::Logfmt, (logfmt_n + shaped).min(total))
    } else if ts_n > 0 {
        done(Format::Text, (ts_n + shaped).min(total))
    } else {
        done(Format::Plain, total)
    }
}

/// Parses a `--format` value; `auto` is `None`.
pub fn parse_format_name(name: &str) -> Option<Option<Format>> {
    Some(match name {
        "auto" => None,
        "json" | "jsonl" | "ndjson" => Some(Format::Json),
        "logfmt" => Some(Format::Logfmt),
        "covet" => Some(Format::Covet),
        "text" => Some(Format::Text),
        "plain" => Some(Format::Plain),
        other if other.contains('/') => {
            let (w, inner) = other.split_once('/')?;
            let inner = Base::of(parse_format_name(inner)??)?;
            Some(Format::Wrapped(wrap::by_name(w)?, inner))
        }
        other => Some(Format::Pattern(
            u8::try_from(pattern::by_name(other)?).ok()?,
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TimeCtx {
        TimeCtx::utc_now_year()
    }

    fn builtin(name: &str) -> Format {
        parse_format_name(name).flatten().unwrap()
    }

    #[test]
    fn detects_each_format() {
        let cases: &[(&str, Format)] = &[
            ("{\"a\":1}\n{\"b\":2}\n", Format::Json),
            ("\u{feff}{\"level\":\"info\"}\n", Format::Json),
            ("ts=2024-01-15T10:00:00Z level=info msg=\"hi there\"\nlevel=warn msg=x\n", Format::Logfmt),
            (
                "2024-01-15 14:23:45.123 [ERROR] covet-core request.rs:42 Failed\n{\n  \"a\": 1\n}\n",
                Format::Covet,
            ),
            ("2015-10-18 18:01:47,978 INFO [main] x.y: started\n  at foo\n", builtin("log4j")),
            ("Jan 15 14:23:45 host sshd[1]: hello\n", builtin("syslog")),
            ("2015-10-18 18:01:47 something happened\n  at foo\n", Format::Text),
            ("just some words\nand more\n", Format::Plain),
            ("", Format::Plain),
        ];
        for (input, want) in cases {
            assert_eq!(detect(input.as_bytes(), &ctx()), *want, "{input:?}");
        }
    }

    #[test]
    fn json_lines_with_their_stack_traces_are_json() {
        let trace = "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\nCaused by: java.io.IOException: x\n\t... 3 more\n";
        let json = format!(
            "{{\"level\":\"info\",\"msg\":\"a\"}}\n{{\"level\":\"error\",\"msg\":\"b\"}}\n{trace}{{\"level\":\"info\",\"msg\":\"c\"}}\n"
        );
        let found = detect_scored(json.as_bytes(), &ctx());
        assert_eq!(
            (found.format, found.sampled, found.parsed),
            (Format::Json, 8, 8)
        );
        // Each line in a container runtime's envelope: the inner format is JSON too.
        let cri: String = json
            .lines()
            .map(|l| format!("2024-05-07T12:04:17.597069Z stdout F {l}\n"))
            .collect();
        let want = parse_format_name("cri/json").unwrap().unwrap();
        assert_eq!(detect(cri.as_bytes(), &ctx()), want);
        // A logfmt file with one JSON line and a traceback: the JSON line is not most
        // of the entry lines.
        let logfmt = "time=2024-01-15T10:00:00Z level=info msg=a\n{\"level\":\"error\"}\ntime=2024-01-15T10:00:02Z level=warn msg=c\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad\ntime=2024-01-15T10:00:03Z level=info msg=d\n";
        // It is logfmt: the traceback's lines do not count against it either.
        assert_eq!(detect(logfmt.as_bytes(), &ctx()), Format::Logfmt);
        // Prose lines are not continuation lines: one JSON line in five is not JSON.
        let prose = "{\"a\":1}\nsome words\nmore words\nand more\nthe end\n";
        assert_eq!(detect(prose.as_bytes(), &ctx()), Format::Plain);
    }

    #[test]
    fn the_lines_after_a_json_or_logfmt_record_continue_its_message() {
        let trace = "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\t... 3 more";
        let cases: &[(Format, String, &str, &str)] = &[
            (
                Format::Json,
                format!(
                    "{{\"level\":\"error\",\"msg\":\"failed\",\"user\":\"u1\"}}\r\n{trace}\r\n"
                ),
                "failed",
                r#"{"user":"u1"}"#,
            ),
            (
                Format::Logfmt,
                format!("level=error msg=failed user=u1\r\n{trace}\n"),
                "failed",
                r#"{"user":"u1"}"#,
            ),
            // A JSON object in a logfmt stream, with its trace.
            (
                Format::Logfmt,
                format!("{{\"level\":\"error\",\"msg\":\"failed\",\"user\":\"u1\"}}\n{trace}"),
                "failed",
                r#"{"user":"u1"}"#,
            ),
            // A pretty-printed object is read whole.
            (
                Format::Json,
                "{\n  \"level\": \"error\",\n  \"msg\": \"failed\",\n  \"user\": \"u1\"\n}"
                    .to_string(),
                "",
                r#"{"user":"u1"}"#,
            ),
        ];
        for (format, raw, msg, meta) in cases {
            let rec = format.parse(raw.as_bytes(), &ctx());
            assert_eq!(rec.level(), Some(level::Level::Error), "{raw:?}");
            let want = if msg.is_empty() {
                "failed".to_string()
            } else {
                format!("{msg}\n{}", trace.replace("\r", ""))
            };
            assert_eq!(rec.message(), want, "{raw:?}");
            let meta_json = serde_json::Value::Object(rec.metadata_json()).to_string();
            assert_eq!(meta_json, *meta, "{raw:?}");
        }
    }

    #[test]
    fn json_line_that_is_not_json_stays_searchable() {
        let rec = Format::Json.parse(b"not json at all", &ctx());
        assert_eq!(rec.message(), "not json at all");
    }

    #[test]
    fn renders_message_templates() {
        let rec = Format::Json.parse(
            br#"{"@t":"2024-01-15T10:00:00Z","@mt":"User {UserId} took {Elapsed:0.0} ms","UserId":"u1","Elapsed":12.5}"#,
            &ctx(),
        );
        assert_eq!(rec.message(), "User u1 took 12.5 ms");
    }
}
