//! One log entry: its borrowed bytes, where it came from, and its fields on demand.
//!
//! An `Entry` is the raw text of one logical entry (one line, or a line with its
//! continuation: a JSON block, a stack trace) plus its position. A `Record` is the
//! parsed view of an entry: standard fields are kept as raw slices and decoded only
//! when the query or a printer asks, so a scan that looks at `level` never decodes the
//! message.

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::format::json::{self, Value};
use crate::format::level::Level;
use crate::format::timestamp::{self, TimeCtx};

/// One logical entry as found in its input.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The entry's text, all of its lines, without the final line terminator.
    pub raw: &'a [u8],
    /// Byte offset of the entry's first byte in its input.
    pub offset: u64,
    /// 1-based number of the entry's first line; 0 when line numbers were not counted.
    pub line: u64,
}

/// The standard fields of the seed's LogEntry shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    Timestamp,
    Level,
    Message,
    Service,
    Source,
    TraceId,
    SpanId,
    UserId,
    RequestId,
    Tags,
}

impl Field {
    pub const COUNT: usize = 11;

    /// Resolves a field name as typed in a query (`userId`, `user_id`, `trace.id`...).
    pub fn from_query_name(name: &str) -> Option<Field> {
        let norm = normalize_name(name.as_bytes());
        Some(match norm.as_slice() {
            b"id" => Field::Id,
            b"timestamp" | b"ts" | b"time" => Field::Timestamp,
            b"level" | b"lvl" | b"severity" => Field::Level,
            b"message" | b"msg" => Field::Message,
            b"service" => Field::Service,
            b"source" => Field::Source,
            b"traceid" | b"trace.id" => Field::TraceId,
            b"spanid" | b"span.id" => Field::SpanId,
            b"userid" | b"user.id" => Field::UserId,
            b"requestid" | b"reqid" => Field::RequestId,
            b"tags" | b"tag" => Field::Tags,
            _ => return None,
        })
    }

    /// The name used in JSON output (the seed's camelCase spelling).
    pub fn json_name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Timestamp => "timestamp",
            Field::Level => "level",
            Field::Message => "message",
            Field::Service => "service",
            Field::Source => "source",
            Field::TraceId => "traceId",
            Field::SpanId => "spanId",
            Field::UserId => "userId",
            Field::RequestId => "requestId",
            Field::Tags => "tags",
        }
    }
}

/// Lowercases a name and drops `_` and `-`, so spellings compare equal.
pub fn normalize_name(name: &[u8]) -> Vec<u8> {
    name.iter()
        .filter(|c| **c != b'_' && **c != b'-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Which standard field a JSON or logfmt key feeds, with its priority (lower wins).
///
/// The alias lists are the ones the common logging libraries write: pino, bunyan,
/// Serilog's compact JSON (`@t`, `@l`, `@m`, `@mt`), ECS (`log.level`, `service.name`),
/// Python's `levelname`, zap's `caller`, tracing's `target`.
pub fn key_field(key: &[u8]) -> Option<(Field, u8)> {
    let mut buf = [0u8; 24];
    let mut n = 0;
    for &c in key {
        if c == b'_' || c == b'-' {
            continue;
        }
        if n == buf.len() {
            return None;
        }
        buf[n] = c.to_ascii_lowercase();
        n += 1;
    }
    Some(match &buf[..n] {
        b"timestamp" => (Field::Timestamp, 0),
        b"ts" => (Field::Timestamp, 1),
        b"time" => (Field::Timestamp, 2),
        b"@timestamp" => (Field::Timestamp, 3),
        b"@t" => (Field::Timestamp, 4),
        b"t" => (Field::Timestamp, 5),
        b"date" => (Field::Timestamp, 6),
        b"datetime" => (Field::Timestamp, 7),
        b"level" => (Field::Level, 0),
        b"lvl" => (Field::Level, 1),
        b"severity" => (Field::Level, 2),
        b"levelname" => (Field::Level, 3),
        b"log.level" => (Field::Level, 4),
        b"@l" => (Field::Level, 5),
        b"loglevel" => (Field::Level, 6),
        b"message" => (Field::Message, 0),
        b"msg" => (Field::Message, 1),
        b"@m" => (Field::Message, 2),
        b"@mt" => (Field::Message, 3),
        b"text" => (Field::Message, 4),
        b"log" => (Field::Message, 5),
        b"event" => (Field::Message, 6),
        b"service" => (Field::Service, 0),
        b"service.name" => (Field::Service, 1),
        b"app" => (Field::Service, 2),
        b"application" => (Field::Service, 3),
        b"logger" => (Field::Service, 4),
        b"component" => (Field::Service, 5),
        b"source" => (Field::Source, 0),
        b"caller" => (Field::Source, 1),
        b"file" => (Field::Source, 2),
        b"module" => (Field::Source, 3),
        b"target" => (Field::Source, 4),
        b"loggername" => (Field::Source, 5),
        b"traceid" => (Field::TraceId, 0),
        b"trace.id" => (Field::TraceId, 1),
        b"spanid" => (Field::SpanId, 0),
        b"span.id" => (Field::SpanId, 1),
        b"userid" => (Field::UserId, 0),
        b"user.id" => (Field::UserId, 1),
        b"requestid" => (Field::RequestId, 0),
        b"reqid" => (Field::RequestId, 1),
        b"id" => (Field::Id, 0),
        b"tags" => (Field::Tags, 0),
        _ => return None,
    })
}

/// Keys whose object value may hold a nested standard field (`service: {name}`).
fn nested_field(key: &[u8], value: &[u8]) -> Option<(Field, u8, &'static str)> {
    if value.first() != Some(&b'{') {
        return None;
    }
    let mut buf = [0u8; 24];
    match normalize_into(key, &mut buf)? {
        b"service" => Some((Field::Service, 1, "name")),
        b"log" => Some((Field::Level, 4, "level")),
        b"trace" => Some((Field::TraceId, 1, "id")),
        b"span" => Some((Field::SpanId, 1, "id")),
        b"user" => Some((Field::UserId, 1, "id")),
        _ => None,
    }
}

/// `normalize_name` into a stack buffer; `None` when the key is too long to be an alias.
fn normalize_into<'b>(key: &[u8], buf: &'b mut [u8; 24]) -> Option<&'b [u8]> {
    let mut n = 0;
    for &c in key {
        if c == b'_' || c == b'-' {
            continue;
        }
        if n == buf.len() {
            return None;
        }
        buf[n] = c.to_ascii_lowercase();
        n += 1;
    }
    Some(&buf[..n])
}

/// The rank of `@mt`, Serilog's message template.
const TEMPLATE_RANK: u8 = 3;

/// Finds one standard field in a JSON object: the best-ranked alias wins, and the scan
/// stops at the first rank-0 key (the usual case: `"level"` near the start).
fn scan_json_field<'a>(obj: &'a [u8], field: Field) -> Option<(Raw<'a>, u8)> {
    // An object value (`"service": {"name": ...}`) is read through `nested_field` below.
    if let Some(value) = json::find_top_level_key(obj, &key_needles()[field as usize]) {
        if value.first() != Some(&b'{') {
            return Some((Raw::Json(value), 0));
        }
    }
    let mut best: Option<(Raw<'a>, u8)> = None;
    for pair in json::Pairs::new(obj) {
        let found = pair_field(pair.key, pair.value, |key| may_alias(field, key))
            .filter(|(f, _, _)| *f == field)
            .map(|(_, value, rank)| (value, rank));
        if let Some((value, rank)) = found {
            if best.as_ref().is_none_or(|(_, r)| rank < *r) {
                best = Some((Raw::Json(value), rank));
                if rank == 0 {
                    break;
                }
            }
        }
    }
    best
}

/// Which standard field a top-level pair feeds, with its value and alias rank: the
/// inner key of a nested object (`"service": {"name": ...}`), the usual spelling, or an
/// alias (`msg`, `@t`). `may_be_alias` is a cheap filter (first letters) tried before
/// normalizing a key that is not the usual spelling. The one rule behind the lazy
/// lookup, `Record::prefetch` and `offer_json_fields`.
#[inline]
fn pair_field<'a>(
    key: &'a [u8],
    value: &'a [u8],
    may_be_alias: impl Fn(&[u8]) -> bool,
) -> Option<(Field, &'a [u8], u8)> {
    if value.first() == Some(&b'{') {
        if let Some((f, rank, inner)) = nested_field(key, value) {
            return json::lookup_path(value, &[inner]).map(|v| (f, v, rank));
        }
    }
    if let Some(f) = canonical_field(key) {
        return Some((f, value, 0));
    }
    if !may_be_alias(key) {
        return None;
    }
    key_field(key).map(|(f, rank)| (f, value, rank))
}

/// The field a key feeds when it is spelled exactly as usual (a rank-0 alias): one
/// compare instead of normalizing the key.
#[inline(always)]
fn canonical_field(key: &[u8]) -> Option<Field> {
    Some(match *key.first()? {
        b't' if is(key, b"timestamp") => Field::Timestamp,
        b't' if is(key, b"trace_id") || is(key, b"traceId") => Field::TraceId,
        b't' if is(key, b"tags") => Field::Tags,
        b'l' if is(key, b"level") => Field::Level,
        b'm' if is(key, b"message") => Field::Message,
        b's' if is(key, b"service") => Field::Service,
        b's' if is(key, b"source") => Field::Source,
        b's' if is(key, b"span_id") || is(key, b"spanId") => Field::SpanId,
        b'i' if is(key, b"id") => Field::Id,
        b'u' if is(key, b"user_id") || is(key, b"userId") => Field::UserId,
        b'r' if is(key, b"request_id") || is(key, b"requestId") => Field::RequestId,
        _ => return None,
    })
}

/// `key == lit` for a literal of known length: compiled to a few integer compares.
#[inline(always)]
fn is<const N: usize>(key: &[u8], lit: &[u8; N]) -> bool {
    <&[u8; N]>::try_from(key).is_ok_and(|k| k == lit)
}

/// The rank-0 key of each field as it is usually written, in `Field` order.
const CANONICAL_KEYS: [&str; Field::COUNT] = [
    "id",
    "timestamp",
    "level",
    "message",
    "service",
    "source",
    "trace_id",
    "span_id",
    "user_id",
    "request_id",
    "tags",
];

/// Searchers for `"key":` of each canonical key, built once.
pub(crate) fn key_needles() -> &'static [memchr::memmem::Finder<'static>] {
    static NEEDLES: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    NEEDLES.get_or_init(|| CANONICAL_KEYS.iter().map(|k| json::key_needle(k)).collect())
}

/// A cheap first-byte test: can `key` be one of `field`'s aliases at all?
fn may_alias(field: Field, key: &[u8]) -> bool {
    let Some(first) = key.iter().find(|c| **c != b'_' && **c != b'-') else {
        return false;
    };
    let first = first.to_ascii_lowercase();
    let starts: &[u8] = match field {
        Field::Id => b"i",
        Field::Timestamp => b"td@",
        Field::Level => b"lsl@",
        Field::Message => b"mte@l",
        Field::Service => b"salc",
        Field::Source => b"scfmtl",
        Field::TraceId => b"t",
        Field::SpanId => b"s",
        Field::UserId => b"u",
        Field::RequestId => b"r",
        Field::Tags => b"t",
    };
    starts.contains(&first)
}

/// Serilog's compact format carries `@mt` (a template) instead of `@m`: render it by
/// substituting `{Name}` holes with the record's own properties.
fn render_template(template: &str, obj: &[u8]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let hole = &after[..close];
        let name = hole
            .trim_start_matches(['@', '$'])
            .split([':', ','])
            .next()
            .unwrap_or("");
        match json::lookup_path(obj, &[name]) {
            Some(v) if !name.is_empty() => out.push_str(&json::decode(v).as_text()),
            _ => {
                out.push('{');
                out.push_str(hole);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A field value as found: a raw JSON value, a plain text slice, or decoded text.
#[derive(Debug, Clone)]
pub enum Raw<'a> {
    Json(&'a [u8]),
    Text(&'a [u8]),
    Owned(String),
}

impl<'a> Raw<'a> {
    pub fn value(&self) -> Value<'_> {
        match self {
            Raw::Json(raw) => json::decode(raw),
            Raw::Text(t) => Value::Str(String::from_utf8_lossy(t)),
            Raw::Owned(s) => Value::Str(Cow::Borrowed(s.as_str())),
        }
    }

    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Raw::Json(raw) => match json::decode(raw) {
                Value::Str(s) => s,
                other => Cow::Owned(other.as_text().into_owned()),
            },
            Raw::Text(t) => String::from_utf8_lossy(t),
            Raw::Owned(s) => Cow::Borrowed(s.as_str()),
        }
    }
}

/// Metadata: everything that is not a standard field.
#[derive(Debug, Clone)]
pub enum Meta<'a> {
    None,
    /// A JSON object (a JSON line, or a covet text entry's JSON block).
    Json(&'a [u8]),
    /// key=value pairs (logfmt).
    Pairs(Vec<(&'a [u8], Raw<'a>)>),
    /// A JSON object's text owned by the record (the fields of a wrapped line, which
    /// were decoded from its envelope).
    Owned(String),
}

impl Meta<'_> {
    /// The JSON object text of `Json` and `Owned` metadata.
    fn object(&self) -> Option<&[u8]> {
        match self {
            Meta::Json(obj) => Some(obj),
            Meta::Owned(text) => Some(text.as_bytes()),
            _ => None,
        }
    }
}

/// How a record was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Logfmt,
    Text,
    /// No format applied: the message is the raw text.
    Raw,
}

/// The parsed view of one entry.
#[derive(Debug)]
pub struct Record<'a> {
    pub kind: Kind,
    /// Each standard field with the rank of the alias that fed it. Text formats fill
    /// them while parsing; JSON fills each on first use.
    fields: [OnceCell<Option<(Raw<'a>, u8)>>; Field::COUNT],
    /// For JSON: the object, whose fields are looked up one at a time on demand.
    json: Option<&'a [u8]>,
    ts: OnceCell<Option<i64>>,
    level: OnceCell<Option<Level>>,
    pub meta: Meta<'a>,
    /// Continuation lines (stack trace) appended to the message for text formats.
    pub extra: Option<&'a [u8]>,
    /// The timestamp's date was not written (a time of day only): it was inferred.
    pub date_inferred: bool,
    ctx: TimeCtx,
}

impl<'a> Record<'a> {
    #[inline]
    pub fn new(kind: Kind, ctx: TimeCtx) -> Record<'a> {
        Record {
            kind,
            fields: Default::default(),
            json: None,
            ts: OnceCell::new(),
            level: OnceCell::new(),
            meta: Meta::None,
            extra: None,
            date_inferred: false,
            ctx,
        }
    }

    /// A JSON object's record: fields are found when first asked for.
    #[inline]
    pub fn new_json(obj: &'a [u8], ctx: TimeCtx) -> Record<'a> {
        let mut rec = Record::new(Kind::Json, ctx);
        rec.json = Some(obj);
        rec.meta = Meta::Json(obj);
        rec
    }

    /// Sets a standard field unless one with a better (lower) rank is already set.
    pub fn offer(&mut self, field: Field, rank: u8, value: Raw<'a>) {
        let i = field as usize;
        let better = match self.fields[i].get() {
            Some(Some((_, old))) => rank < *old,
            _ => true,
        };
        if better {
            self.fields[i] = OnceCell::from(Some((value, rank)));
        }
    }

    /// Reads several standard fields of a JSON record in one walk over its top-level
    /// pairs, instead of one search per field. The walk stops once every field asked
    /// for has its best (rank 0) alias; a field it leaves unsettled (a syntax error
    /// before it) is still found on first use. No effect on other kinds of record.
    pub fn prefetch(&self, fields: &[Field]) {
        let Some(obj) = self.json else {
            return;
        };
        let bit = |f: Field| 1u16 << (f as u16);
        let want = fields
            .iter()
            .filter(|&&f| self.fields[f as usize].get().is_none())
            .fold(0u16, |w, &f| w | bit(f));
        if want == 0 {
            return;
        }
        let mut best: [Option<(&'a [u8], u8)>; Field::COUNT] = [None; Field::COUNT];
        let mut at_rank0 = 0u16;
        let ok = json::walk_pairs(obj, |key, value| {
            let found = pair_field(key, value, |key| fields.iter().any(|&f| may_alias(f, key)))
                .filter(|(f, _, _)| want & bit(*f) != 0);
            if let Some((f, value, rank)) = found {
                let slot = &mut best[f as usize];
                if slot.is_none_or(|(_, r)| rank < r) {
                    *slot = Some((value, rank));
                    if rank == 0 {
                        at_rank0 |= bit(f);
                    }
                }
            }
            at_rank0 != want
        });
        if !ok {
            return;
        }
        for &f in fields {
            if want & bit(f) != 0 {
                let value = best[f as usize].map(|(v, r)| (Raw::Json(v), r));
                let _ = self.fields[f as usize].set(value);
            }
        }
    }

    pub fn set_ts(&mut self, ts: Option<i64>) {
        self.ts = OnceCell::from(ts);
    }

    pub fn set_level(&mut self, level: Option<Level>) {
        self.level = OnceCell::from(level);
    }

    pub fn raw(&self, field: Field) -> Option<&Raw<'a>> {
        let i = field as usize;
        self.slot(i, field).as_ref().map(|(raw, _)| raw)
    }

    /// The alias rank that fed a field (`u8::MAX` when absent).
    fn rank(&self, field: Field) -> u8 {
        let i = field as usize;
        self.slot(i, field)
            .as_ref()
            .map_or(u8::MAX, |(_, rank)| *rank)
    }

    fn slot(&self, i: usize, field: Field) -> &Option<(Raw<'a>, u8)> {
        match self.json {
            Some(obj) => self.fields[i].get_or_init(|| scan_json_field(obj, field)),
            None => self.fields[i].get().unwrap_or(&None),
        }
    }

    /// The entry's timestamp in UTC nanoseconds.
    pub fn ts(&self) -> Option<i64> {
        *self.ts.get_or_init(|| {
            let raw = self.raw(Field::Timestamp)?;
            match raw.value() {
                Value::Num(n) => timestamp::from_epoch(n),
                Value::Str(s) => timestamp::parse_str(s.as_bytes(), &self.ctx),
                _ => None,
            }
        })
    }

    /// The entry's normalized level.
    pub fn level(&self) -> Option<Level> {
        *self.level.get_or_init(|| {
            let raw = self.raw(Field::Level)?;
            // The common case, a plain JSON string: no decoding needed.
            if let Raw::Json([b'"', inner @ .., b'"']) = raw {
                let level = Level::parse_any(inner);
                if level.is_some() || !inner.contains(&b'\\') {
                    return level;
                }
            }
            match raw.value() {
                Value::Num(n) => Level::from_number(n),
                Value::Str(s) => Level::parse_any(s.as_bytes()),
                _ => None,
            }
        })
    }

    /// A standard field as text (tags joined by `,`), `None` when absent.
    pub fn text(&self, field: Field) -> Option<Cow<'_, str>> {
        match field {
            Field::Timestamp => self
                .ts()
                .map(|t| Cow::Owned(timestamp::format_rfc3339_ms(t))),
            Field::Level => self.level().map(|l| Cow::Borrowed(l.as_str())),
            Field::Tags => {
                let tags = self.tags();
                (!tags.is_empty()).then(|| Cow::Owned(tags.join(",")))
            }
            // A JSON `null` is an absent value, not the text "null".
            _ => self
                .raw(field)
                .filter(|r| !matches!(r, Raw::Json(v) if json::trim_ascii(v) == b"null"))
                .map(|r| r.text()),
        }
    }

    /// The message; for text formats with continuation lines, those lines follow it.
    pub fn message(&self) -> Cow<'_, str> {
        let first = match (self.raw(Field::Message), self.json) {
            (Some(raw), Some(obj)) if self.rank(Field::Message) == TEMPLATE_RANK => {
                Cow::Owned(render_template(&raw.text(), obj))
            }
            (Some(raw), _) => raw.text(),
            // A JSON object without a message field: the whole line is the message.
            (None, Some(obj)) => String::from_utf8_lossy(obj),
            (None, None) => Cow::Borrowed(""),
        };
        match self.extra {
            Some(extra) if !extra.is_empty() => {
                let mut s = first.into_owned();
                s.push('\n');
                // Continuation lines keep `\n` as their only separator, CRLF or not.
                s.push_str(&String::from_utf8_lossy(extra).replace("\r\n", "\n"));
                Cow::Owned(s)
            }
            _ => first,
        }
    }

    /// Tags as a list: a JSON array, or a comma-separated string.
    pub fn tags(&self) -> Vec<Cow<'_, str>> {
        let Some(raw) = self.raw(Field::Tags) else {
            return Vec::new();
        };
        match raw {
            Raw::Json(v) if v.first() == Some(&b'[') => json::ArrayItems::new(v)
                .map(|item| match json::decode(item) {
                    Value::Str(s) => s,
                    other => Cow::Owned(other.as_text().into_owned()),
                })
                .collect(),
            other => other
                .text()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Cow::Owned(s.to_string()))
                .collect(),
        }
    }

    /// Values of a metadata field: an exact (dotted) path first, else the key at any depth.
    pub fn lookup(&self, name: &str) -> Vec<Value<'_>> {
        let name = name.strip_prefix("metadata.").unwrap_or(name);
        match &self.meta {
            Meta::None => Vec::new(),
            Meta::Json(_) | Meta::Owned(_) => {
                let obj = self.meta.object().unwrap_or_default();
                let path: Vec<&str> = name.split('.').collect();
                if let Some(v) = json::lookup_path(obj, &path) {
                    return vec![json::decode(v)];
                }
                // The seed nests metadata under "metadata": look there by path too.
                let mut nested = vec!["metadata"];
                nested.extend(path.iter());
                if let Some(v) = json::lookup_path(obj, &nested) {
                    return vec![json::decode(v)];
                }
                let mut leaves = Vec::new();
                if !name.contains('.') {
                    json::find_leaves(obj, name, &mut leaves, 0);
                }
                leaves.into_iter().map(json::decode).collect()
            }
            // The first of repeated keys wins, as in JSON.
            Meta::Pairs(pairs) => pairs
                .iter()
                .find(|(k, _)| json::names_equal(k, name.as_bytes()))
                .map(|(_, v)| match v {
                    Raw::Text(t) => text_value(t),
                    other => other.value(),
                })
                .into_iter()
                .collect(),
        }
    }

    /// Metadata as a JSON object for output: non-standard keys, with a nested
    /// `metadata` object merged in at the top.
    pub fn metadata_json(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        match &self.meta {
            Meta::None => {}
            Meta::Json(_) | Meta::Owned(_) => {
                let obj = self.meta.object().unwrap_or_default();
                for pair in json::Pairs::new(obj) {
                    let key = json::decode_key(&pair);
                    if self.is_standard_key(pair.key) {
                        continue;
                    }
                    let value = json::parse_first_wins(pair.value).unwrap_or_else(|| {
                        serde_json::Value::String(String::from_utf8_lossy(pair.value).into())
                    });
                    if key == "metadata" {
                        if let serde_json::Value::Object(inner) = value {
                            for (k, v) in inner {
                                map.entry(k).or_insert(v);
                            }
                            continue;
                        }
                    }
                    // Duplicate keys: the first wins, as in every lookup.
                    map.entry(key.into_owned()).or_insert(value);
                }
            }
            Meta::Pairs(pairs) => {
                for (k, v) in pairs {
                    if self.is_standard_key(k) {
                        continue;
                    }
                    let value = match v {
                        Raw::Text(t) => text_value(t),
                        other => other.value(),
                    };
                    let key = String::from_utf8_lossy(k).into_owned();
                    map.entry(key).or_insert_with(|| value_to_json(&value));
                }
            }
        }
        map
    }

    /// A standard field whose value is not understood (a level that is none of the
    /// six, a timestamp in no known form) keeps its key in the metadata instead of
    /// vanishing from the output.
    fn understood(&self, field: Field) -> bool {
        match field {
            Field::Level => self.level().is_some(),
            Field::Timestamp => self.ts().is_some(),
            _ => true,
        }
    }

    /// A key that fed one of the standard fields, and whose value that field shows
    /// (so it is not repeated as metadata).
    fn is_standard_key(&self, key: &[u8]) -> bool {
        if self.kind == Kind::Text {
            // A covet JSON block feeds only the id fields; its other keys are metadata.
            return key_field(key).is_some_and(|(field, _)| {
                matches!(
                    field,
                    Field::TraceId
                        | Field::SpanId
                        | Field::UserId
                        | Field::RequestId
                        | Field::Tags
                        | Field::Id
                ) && self.raw(field).is_some()
            });
        }
        match key_field(key) {
            Some((field, rank)) => self.rank(field) == rank && self.understood(field),
            None => {
                let norm = normalize_name(key);
                matches!(
                    norm.as_slice(),
                    b"service" | b"log" | b"trace" | b"span" | b"user"
                ) && self.kind == Kind::Json
                    && self.nested_was_used(key)
            }
        }
    }

    fn nested_was_used(&self, key: &[u8]) -> bool {
        let Meta::Json(obj) = self.meta else {
            return false;
        };
        json::Pairs::new(obj)
            .find(|p| p.key == key)
            .and_then(|p| nested_field(p.key, p.value))
            .is_some_and(|(field, rank, _)| self.rank(field) == rank && self.understood(field))
    }
}

/// A metadata value given as text (logfmt): numbers and booleans are typed.
fn text_value(t: &[u8]) -> Value<'_> {
    let s = String::from_utf8_lossy(t);
    if let Ok(n) = s.parse::<f64>() {
        if n.is_finite() {
            return Value::Num(n);
        }
    }
    match s.as_ref() {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::Str(s),
    }
}

/// Converts a decoded value to serde_json for output.
pub fn value_to_json(v: &Value<'_>) -> serde_json::Value {
    match v {
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::Num(n) => serde_json::Number::from_f64(*n)
            .map(|num| {
                if n.fract() == 0.0 && n.abs() < 9e15 {
                    serde_json::Value::from(*n as i64)
                } else {
                    serde_json::Value::Number(num)
                }
            })
            .unwrap_or(serde_json::Value::Null),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Null => serde_json::Value::Null,
        Value::Container(raw) => serde_json::from_slice(raw)
            .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(raw).into())),
    }
}

/// Fills the standard fields of `rec` from a JSON object's top-level pairs.
pub fn offer_json_fields<'a>(rec: &mut Record<'a>, obj: &'a [u8]) -> bool {
    let mut pairs = json::Pairs::new(obj);
    for pair in pairs.by_ref() {
        if let Some((field, value, rank)) = pair_field(pair.key, pair.value, |_| true) {
            rec.offer(field, rank, Raw::Json(value));
        }
    }
    pairs.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TimeCtx {
        TimeCtx::utc_now_year()
    }

    /// A field's raw text as a lookup finds it.
    fn text(rec: &Record<'_>, f: Field) -> Option<String> {
        rec.raw(f).map(|r| r.text().into_owned())
    }

    /// Hand-written expectations from the README's JSON field names table: the first
    /// key of each list wins whatever the order in the object, a dotted name matches a
    /// flat key and a nested object, and of duplicate keys the first wins. Each object
    /// is read field by field (lazily) and after one `prefetch`; both must give these.
    #[test]
    fn field_lookups_follow_the_documented_key_lists() {
        type Want = [Option<&'static str>; 5];
        // (object, [level, timestamp, service, source, message] raw texts)
        let cases: [(&str, Want); 20] = [
            (
                r#"{"id":"a1","timestamp":"2024-01-15T00:00:00Z","level":"INFO","service":"api","source":"x.rs:1","message":"hi"}"#,
                [
                    Some("INFO"),
                    Some("2024-01-15T00:00:00Z"),
                    Some("api"),
                    Some("x.rs:1"),
                    Some("hi"),
                ],
            ),
            (
                r#"{"time":"2024-01-15T00:00:00Z","msg":"m","lvl":"warn","logger":"svc","caller":"a.go:3"}"#,
                [
                    Some("warn"),
                    Some("2024-01-15T00:00:00Z"),
                    Some("svc"),
                    Some("a.go:3"),
                    Some("m"),
                ],
            ),
            // `lvl` before `level` in the object: `level` is first in the list and wins.
            (
                r#"{"lvl":"info","level":"error","ts":1,"timestamp":2,"app":"a","service":"s"}"#,
                [Some("error"), Some("2"), Some("s"), None, None],
            ),
            (
                r#"{"level":"error","lvl":"info"}"#,
                [Some("error"), None, None, None, None],
            ),
            // `msg` before `message`: `message` wins.
            (
                r#"{"msg":"short","message":"long"}"#,
                [None, None, None, None, Some("long")],
            ),
            // Nested `log.level`, and a flat `log.level` key.
            (
                r#"{"service":{"name":"nested","version":"1"},"log":{"level":"debug"},"message":"m"}"#,
                [Some("debug"), None, Some("nested"), None, Some("m")],
            ),
            (
                r#"{"log.level":"warn","message":"m"}"#,
                [Some("warn"), None, None, None, Some("m")],
            ),
            // `severity` is before `log.level` in the list; an object is no message.
            (
                r#"{"log":{"level":"debug"},"severity":"error"}"#,
                [Some("error"), None, None, None, None],
            ),
            // Duplicate keys: the first occurrence wins.
            (
                r#"{"level":"info","level":"error","msg":"a","msg":"b"}"#,
                [Some("info"), None, None, None, Some("a")],
            ),
            (
                r#"{"level" : "info" , "service":"spaced","source": "s"}"#,
                [Some("info"), None, Some("spaced"), Some("s"), None],
            ),
            (
                r#"{"message":"no level here","data":{"level":"inner"}}"#,
                [None, None, None, None, Some("no level here")],
            ),
            (
                r#"{"severity":"INFO","component":"c","file":"f.py"}"#,
                [Some("INFO"), None, Some("c"), Some("f.py"), None],
            ),
            // `service` without a name: `app` is next.
            (
                r#"{"service":{"version":"1"},"app":"fallback","trace":{"id":"t1"}}"#,
                [None, None, Some("fallback"), None, None],
            ),
            (
                r#"{"Level":"warn","Service":"caps","TimeStamp":"7"}"#,
                [Some("warn"), Some("7"), Some("caps"), None, None],
            ),
            (r#"{}"#, [None, None, None, None, None]),
            (
                r#"{"@t":"2024-01-15T00:00:00Z","@l":"Error","@mt":"x {A}","A":1,"Application":"app"}"#,
                [
                    Some("Error"),
                    Some("2024-01-15T00:00:00Z"),
                    Some("app"),
                    None,
                    Some("x {A}"),
                ],
            ),
            (
                r#"{"le\u0076el":"escaped key","level":"warn"}"#,
                [Some("warn"), None, None, None, None],
            ),
            (
                r#"{"level":"info","service":"s", broken"#,
                [Some("info"), None, Some("s"), None, None],
            ),
            (
                r#"{"level":"info","source":{"file":"a.rs","line":3},"message":{"a":1}}"#,
                [
                    Some("info"),
                    None,
                    None,
                    Some("{\"file\":\"a.rs\",\"line\":3}"),
                    Some("{\"a\":1}"),
                ],
            ),
            (
                r#"{"module":"m1","target":"t1","logger_name":"l1","caller":"c1"}"#,
                [None, None, None, Some("c1"), None],
            ),
        ];
        let fields = [
            Field::Level,
            Field::Timestamp,
            Field::Service,
            Field::Source,
            Field::Message,
        ];
        for (obj, want) in cases {
            let lazy = Record::new_json(obj.as_bytes(), ctx());
            let eager = Record::new_json(obj.as_bytes(), ctx());
            eager.prefetch(&fields[..4]);
            for (f, w) in fields.iter().zip(want) {
                let w = w.map(str::to_string);
                assert_eq!(text(&lazy, *f), w, "lazy {obj} {f:?}");
                assert_eq!(text(&eager, *f), w, "prefetched {obj} {f:?}");
            }
        }
    }

    #[test]
    fn metadata_keeps_what_the_fields_do_not_show_and_the_first_of_duplicates() {
        // (object, metadata as JSON, level)
        let cases = [
            (r#"{"level":"http","msg":"m"}"#, r#"{"level":"http"}"#, None),
            (r#"{"lvl":{"n":1},"msg":"m"}"#, r#"{"lvl":{"n":1}}"#, None),
            (r#"{"level":99,"msg":"m"}"#, r#"{"level":99}"#, None),
            (r#"{"level":"warn","msg":"m"}"#, r#"{}"#, Some(Level::Warn)),
            (
                r#"{"ts":"someday","level":"info"}"#,
                r#"{"ts":"someday"}"#,
                Some(Level::Info),
            ),
            (
                r#"{"u":"a","u":"b","level":"info","level":"error"}"#,
                r#"{"u":"a"}"#,
                Some(Level::Info),
            ),
            (
                r#"{"m":{"k":1,"k":2},"metadata":{"u":3,"m":4}}"#,
                r#"{"m":{"k":1},"u":3}"#,
                None,
            ),
        ];
        for (obj, meta, level) in cases {
            let rec = Record::new_json(obj.as_bytes(), ctx());
            let want: serde_json::Value = serde_json::from_str(meta).unwrap();
            assert_eq!(
                serde_json::Value::Object(rec.metadata_json()),
                want,
                "{obj}"
            );
            assert_eq!(rec.level(), level, "{obj}");
        }
    }
}
