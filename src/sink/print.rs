//! The printer sink: original text (piped), a colored one-line view (terminal), or one
//! JSON object per entry in the seed's LogEntry shape (`--json`).
//!
//! Each chunk renders into its own buffer; `items` remembers where each entry ends and
//! its timestamp, so the command can cut at `--max-count`, reverse for
//! `--newest-first`, or merge several inputs by time.

use std::io::Write;

use owo_colors::OwoColorize;
use regex::bytes::Regex as BytesRegex;
use serde::Serialize;

use crate::error::Error;
use crate::format::level::Level;
use crate::format::record::{Field, Kind, Record};
use crate::format::timestamp;
use crate::sink::metajson::Metadata;
use crate::sink::sanitize::sanitize;
use crate::sink::Sink;
use crate::sink::{Hit, Source};

/// How entries are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The entry's original text.
    Raw,
    /// The terminal view: time, level, service, source, message.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// The printer's settings.
#[derive(Clone)]
pub struct Printer {
    pub mode: Mode,
    pub color: bool,
    /// `-x`: metadata as indented JSON under the entry.
    pub expand: bool,
    /// Label entries with their file (several inputs).
    pub show_file: bool,
    /// Record each entry's timestamp (for merging by time).
    pub need_ts: bool,
    pub highlight: Option<BytesRegex>,
    /// How times are shown (UTC or local, strftime).
    pub time: TimeStyle,
    /// Piped text: each line prefixed with `FILE:` (rg's `-H`, the default with several
    /// inputs) and/or `LINE:` (`-n`).
    pub prefix: Prefix,
    /// `-o`: only the parts that the query's text terms matched, one per line.
    pub only_matching: bool,
}

/// How the terminal view shows a time: UTC or local (`--utc`, `--local`), and an
/// optional strftime layout (`--time-format`), checked when it is made.
#[derive(Debug, Clone, Default)]
pub struct TimeStyle {
    pub local: bool,
    format: Option<String>,
}

impl TimeStyle {
    /// A style; a layout with an unknown `%` directive is refused (chrono would fail
    /// on it while printing).
    pub fn new(local: bool, format: Option<&str>) -> Result<TimeStyle, String> {
        if let Some(f) = format {
            chrono::format::StrftimeItems::new(f)
                .parse()
                .map_err(|_| format!("'{f}' is not a strftime layout such as '%H:%M:%S%.3f'"))?;
        }
        Ok(TimeStyle {
            local,
            format: format.map(str::to_string),
        })
    }

    /// The time `ns` (UTC nanoseconds) as shown.
    pub fn show(&self, ns: i64) -> String {
        let Some(layout) = &self.format else {
            return timestamp::format_display(ns, self.local);
        };
        let utc = chrono::DateTime::from_timestamp_nanos(ns);
        match self.local {
            true => utc.with_timezone(&chrono::Local).format(layout).to_string(),
            false => utc.format(layout).to_string(),
        }
    }
}

/// What goes before each line of piped output, as rg writes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefix {
    pub file: bool,
    pub line: bool,
    /// A context entry of `-A/-B/-C`: `-` after the file and line instead of `:`, as
    /// rg and grep write them.
    pub context: bool,
}

/// One printed entry: where it ends in the part's buffer, and its time.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub end: usize,
    pub ts: Option<i64>,
}

/// A chunk's printed output.
#[derive(Debug, Default)]
pub struct Printed {
    pub buf: Vec<u8>,
    pub items: Vec<Item>,
}

impl Printed {
    /// The bytes of item `i`.
    pub fn item(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.items[i - 1].end };
        &self.buf[start..self.items[i].end]
    }
}

impl Sink for Printer {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        match self.mode {
            Mode::Raw | Mode::Pretty if self.only_matching => {
                self.write_only_matching(&mut part.buf, hit, source)
            }
            Mode::Raw if self.prefix.file || self.prefix.line => {
                self.write_prefixed(&mut part.buf, hit, source)
            }
            Mode::Raw => {
                // The original text, with its own line ending (CRLF stays CRLF).
                part.buf.extend_from_slice(hit.entry.raw);
                match hit.terminator {
                    [] => part.buf.push(b'\n'),
                    t => part.buf.extend_from_slice(t),
                }
            }
            Mode::Pretty => self.write_pretty(&mut part.buf, hit, source),
            Mode::Json => self.write_json(&mut part.buf, hit, source),
        }
        let ts = if self.need_ts {
            hit.record().ts()
        } else {
            None
        };
        part.items.push(Item {
            end: part.buf.len(),
            ts,
        });
        Ok(true)
    }
}

/// The seed's LogEntry shape, plus where the entry was found.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEntry<'a> {
    id: String,
    timestamp: Option<String>,
    /// Present (true) only when the timestamp's date was not written but inferred.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    date_inferred: bool,
    level: Option<&'static str>,
    service: Option<&'a str>,
    source: Option<&'a str>,
    message: &'a str,
    #[serde(skip_serializing_if = "MetaOut::is_empty")]
    metadata: MetaOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    tags: Vec<&'a str>,
    file: &'a str,
    line: u64,
    offset: u64,
}

/// The metadata object: serialized from the entry's bytes where they allow it
/// (`metajson`), else built as a map.
enum MetaOut<'a> {
    Raw(Metadata<'a>),
    Map(serde_json::Map<String, serde_json::Value>),
}

impl MetaOut<'_> {
    fn of<'a>(rec: &Record<'a>) -> MetaOut<'a> {
        match Metadata::of(rec) {
            Some(m) => MetaOut::Raw(m),
            None => MetaOut::Map(rec.metadata_json()),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            MetaOut::Raw(m) => m.is_empty(),
            MetaOut::Map(m) => m.is_empty(),
        }
    }
}

impl Serialize for MetaOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MetaOut::Raw(m) => m.serialize(s),
            MetaOut::Map(m) => m.serialize(s),
        }
    }
}

/// The permalink of an entry: its own `id` field, else `FILE:LINE`.
pub fn entry_id(rec: &Record<'_>, file: &str, line: u64) -> String {
    match rec.text(Field::Id) {
        Some(id) if !id.is_empty() => id.into_owned(),
        _ => format!("{file}:{line}"),
    }
}

impl Printer {
    /// `FILE:` and `LINE:` as rg writes them before a line (the name escaped).
    fn push_prefix(&self, out: &mut Vec<u8>, source: &Source, line: u64) {
        let sep = if self.prefix.context { b'-' } else { b':' };
        if self.prefix.file || (self.mode == Mode::Pretty && self.show_file) {
            out.extend_from_slice(sanitize(&source.name).as_bytes());
            out.push(sep);
        }
        if self.prefix.line {
            out.extend_from_slice(line.to_string().as_bytes());
            out.push(sep);
        }
    }

    /// The original text with a prefix on each of its lines (`-H`, `-n`).
    fn write_prefixed(&self, out: &mut Vec<u8>, hit: &Hit<'_, '_>, source: &Source) {
        for (i, text) in hit.entry.raw.split(|&b| b == b'\n').enumerate() {
            self.push_prefix(out, source, hit.entry.line + i as u64);
            out.extend_from_slice(text);
            out.push(b'\n');
        }
    }

    /// `-o`: each match of the query's text terms on its own line, prefixed like the
    /// entry's lines; an entry that only field terms matched is printed whole.
    fn write_only_matching(&self, out: &mut Vec<u8>, hit: &Hit<'_, '_>, source: &Source) {
        let raw = hit.entry.raw;
        let Some(re) = &self.highlight else {
            return self.write_prefixed(out, hit, source);
        };
        for m in re.find_iter(raw).filter(|m| m.start() < m.end()) {
            let line =
                hit.entry.line + memchr::memchr_iter(b'\n', &raw[..m.start()]).count() as u64;
            self.push_prefix(out, source, line);
            let text = String::from_utf8_lossy(m.as_bytes());
            match self.color && self.mode == Mode::Pretty {
                true => out.extend_from_slice(sanitize(&text).red().bold().to_string().as_bytes()),
                false => out.extend_from_slice(sanitize(&text).as_bytes()),
            }
            out.push(b'\n');
        }
    }

    fn write_json(&self, out: &mut Vec<u8>, hit: &mut Hit<'_, '_>, source: &Source) {
        let (line, offset) = (hit.entry.line, hit.entry.offset);
        let rec = hit.record();
        // Every field this object shows, found in one walk over the entry's keys.
        rec.prefetch(&Field::ALL);
        let service = rec.text(Field::Service);
        let src = rec.text(Field::Source);
        let message = rec.message();
        let trace = rec.text(Field::TraceId);
        let span = rec.text(Field::SpanId);
        let user = rec.text(Field::UserId);
        let request = rec.text(Field::RequestId);
        let tags = rec.tags();
        let entry = JsonEntry {
            id: entry_id(rec, &source.name, line),
            timestamp: rec.ts().map(timestamp::format_rfc3339_ms),
            date_inferred: rec.date_inferred && rec.ts().is_some(),
            level: rec.level().map(Level::as_str),
            service: service.as_deref(),
            source: src.as_deref(),
            message: &message,
            metadata: MetaOut::of(rec),
            trace_id: trace.as_deref(),
            span_id: span.as_deref(),
            user_id: user.as_deref(),
            request_id: request.as_deref(),
            tags: tags.iter().map(|t| t.as_ref()).collect(),
            file: &source.name,
            line,
            offset,
        };
        if serde_json::to_writer(&mut *out, &entry).is_ok() {
            out.push(b'\n');
        }
    }

    fn write_pretty(&self, out: &mut Vec<u8>, hit: &mut Hit<'_, '_>, source: &Source) {
        let line_no = hit.entry.line;
        let rec = hit.record();
        let mut line = String::with_capacity(160);
        if self.show_file {
            let name = sanitize(&source.name);
            if self.color {
                line.push_str(&name.magenta().to_string());
            } else {
                line.push_str(&name);
            }
            line.push_str(": ");
        }
        if rec.kind != Kind::Raw || rec.ts().is_some() {
            if let Some(ts) = rec.ts() {
                let t = self.time.show(ts);
                self.push_dim(&mut line, &t);
                line.push(' ');
            }
        }
        if let Some(level) = rec.level() {
            self.push_level(&mut line, level);
            line.push(' ');
        }
        for field in [Field::Service, Field::Source] {
            if let Some(v) = rec.text(field) {
                let v = sanitize(&v);
                if self.color {
                    line.push_str(&v.cyan().to_string());
                } else {
                    line.push_str(&v);
                }
                line.push(' ');
            }
        }
        let message = rec.message();
        let mut lines = message.split('\n');
        let first = lines.next().unwrap_or("");
        line.push_str(&self.highlighted(first));
        let tags = rec.tags();
        if !tags.is_empty() {
            let joined = format!(" [{}]", sanitize(&tags.join(", ")));
            self.push_dim(&mut line, &joined);
        }
        // The permalink, to paste into `covet-logs context`.
        if line_no > 0 {
            let id = entry_id(rec, &source.name, line_no);
            self.push_dim(&mut line, &format!(" #{}", sanitize(&id)));
        }
        line.push('\n');
        for cont in lines {
            line.push_str("  ");
            line.push_str(&self.highlighted(cont.strip_suffix('\r').unwrap_or(cont)));
            line.push('\n');
        }
        if self.expand {
            let meta = rec.metadata_json();
            let mut extra = serde_json::Map::new();
            for field in [
                Field::TraceId,
                Field::SpanId,
                Field::UserId,
                Field::RequestId,
            ] {
                if let Some(v) = rec.text(field) {
                    extra.insert(
                        field.json_name().to_string(),
                        serde_json::Value::String(v.into()),
                    );
                }
            }
            extra.extend(meta);
            if !extra.is_empty() {
                let pretty = serde_json::to_string_pretty(&serde_json::Value::Object(extra))
                    .unwrap_or_default();
                for l in pretty.lines() {
                    line.push_str("    ");
                    self.push_dim(&mut line, &sanitize(l));
                    line.push('\n');
                }
            }
        }
        let _ = out.write_all(line.as_bytes());
    }

    fn push_dim(&self, line: &mut String, s: &str) {
        if self.color {
            line.push_str(&s.dimmed().to_string());
        } else {
            line.push_str(s);
        }
    }

    fn push_level(&self, line: &mut String, level: Level) {
        let name = format!("{:<5}", level.as_str());
        if !self.color {
            line.push_str(&name);
            return;
        }
        let styled = match level {
            Level::Trace | Level::Debug => name.bright_black().to_string(),
            Level::Info => name.blue().to_string(),
            Level::Warn => name.yellow().to_string(),
            Level::Error => name.red().to_string(),
            Level::Fatal => name.on_red().bold().to_string(),
        };
        line.push_str(&styled);
    }

    /// The text, sanitized, with query matches highlighted when colored.
    fn highlighted(&self, text: &str) -> String {
        let safe = sanitize(text);
        let Some(re) = self.highlight.as_ref().filter(|_| self.color) else {
            return safe.into_owned();
        };
        let mut out = String::with_capacity(safe.len() + 16);
        let mut last = 0;
        let bytes = safe.as_bytes();
        for m in re.find_iter(bytes) {
            if m.start() == m.end()
                || !safe.is_char_boundary(m.start())
                || !safe.is_char_boundary(m.end())
            {
                continue;
            }
            out.push_str(&safe[last..m.start()]);
            out.push_str(&(&safe[m.start()..m.end()]).black().on_yellow().to_string());
            last = m.end();
        }
        out.push_str(&safe[last..]);
        out
    }
}

/// A count with thousands separators: `1234567` -> `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
