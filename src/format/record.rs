//! The parsed view of one entry: standard fields kept as raw slices of the entry and
//! decoded only when the query or a printer asks, so a scan that looks at `level`
//! never decodes the message. Which keys feed which field is `alias`'s table; this
//! module reads the values (levels given as objects or OpenTelemetry numbers,
//! timestamps given as objects, message templates) and what is left as metadata.

use std::borrow::Cow;
use std::cell::OnceCell;

pub use crate::format::alias::Field;
use crate::format::alias::{self, key_field, Read};
use crate::format::json::{self, Value};
use crate::format::level::Level;
use crate::format::timestamp::{self, TimeCtx};

/// Finds one standard field in a JSON object: the best-ranked alias wins, and the scan
/// stops at the first rank-0 key (the usual case: `"level"` near the start).
fn scan_json_field<'a>(obj: &'a [u8], field: Field) -> Option<(Raw<'a>, u8)> {
    let ix = alias::index();
    // An object value (`"service": {"name": ...}`) is read through the nested aliases.
    if let Some(value) = json::find_top_level_key(obj, ix.needle(field)) {
        if value.first() != Some(&b'{') {
            return Some((refine(field, 0, value), 0));
        }
    }
    let mut best: Option<(&'a [u8], u8)> = None;
    let want = alias::mask(&[field]);
    for pair in json::Pairs::new(obj) {
        ix.pair_fields(pair.key, pair.value, want, |_, value, rank| {
            if best.is_none_or(|(_, r)| rank < r) {
                best = Some((value, rank));
            }
        });
        if best.is_some_and(|(_, r)| r == 0) {
            break;
        }
    }
    best.map(|(v, r)| (refine(field, r, v), r))
        .or_else(|| otlp_field(obj, field))
}

/// A dotted path whose head leads to an OTLP key-value list and whose tail is a key in
/// it (the key may itself hold dots: `resource.attributes.service.name`).
fn otlp_lookup<'a>(obj: &'a [u8], path: &[&str]) -> Option<&'a [u8]> {
    (1..path.len()).find_map(|i| {
        let list = json::lookup_path(obj, &path[..i])?;
        if list.first() != Some(&b'[') {
            return None;
        }
        crate::format::otlp::kv_value(list, &path[i..].join("."))
    })
}

/// A field OTLP/JSON writes in a key-value list (the resource's `service.name`),
/// ranked after every alias.
fn otlp_field(obj: &[u8], field: Field) -> Option<(Raw<'_>, u8)> {
    if field != Field::Service {
        return None;
    }
    crate::format::otlp::service(obj).map(|v| (Raw::Json(v), u8::MAX - 1))
}

/// A found value as the record keeps it: as written, except where its alias says how
/// to read it (Google Cloud's `projects/P/traces/ID` keeps the ID).
#[inline(always)]
fn refine(field: Field, rank: u8, value: &[u8]) -> Raw<'_> {
    // Only trace ids are ever read differently: one compare for the other fields.
    if field == Field::TraceId && rank != 0 {
        return refine_trace(rank, value);
    }
    Raw::Json(value)
}

#[cold]
fn refine_trace(rank: u8, value: &[u8]) -> Raw<'_> {
    if alias::index().read(Field::TraceId, rank) == Read::CloudTrace {
        if let [b'"', inner @ .., b'"'] = value {
            if let Some(i) = memchr::memmem::rfind(inner, b"/traces/") {
                return Raw::Text(&inner[i + 8..]);
            }
        }
    }
    Raw::Json(value)
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
    pub(crate) kind: Kind,
    /// Each standard field with the rank of the alias that fed it. Text formats fill
    /// them while parsing; JSON fills each on first use.
    fields: [OnceCell<Option<(Raw<'a>, u8)>>; Field::COUNT],
    /// For JSON: the object, whose fields are looked up one at a time on demand.
    json: Option<&'a [u8]>,
    ts: OnceCell<Option<i64>>,
    level: OnceCell<Option<Level>>,
    pub(crate) meta: Meta<'a>,
    /// Continuation lines (stack trace) appended to the message for text formats.
    pub extra: Option<&'a [u8]>,
    /// The timestamp's date was not written (a time of day only): it was inferred.
    pub date_inferred: bool,
    ctx: TimeCtx,
}

impl<'a> Record<'a> {
    #[inline]
    pub(crate) fn new(kind: Kind, ctx: TimeCtx) -> Record<'a> {
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

    /// The record of an OpenTelemetry collector batch line: a summary of its records
    /// (see `otlp`), with `records` counting them.
    pub fn new_otlp_batch(obj: &[u8], ctx: TimeCtx) -> Record<'a> {
        let batch = crate::format::otlp::batch(obj, &ctx);
        let mut rec = Record::new(Kind::Json, ctx);
        rec.set_ts(batch.ts);
        rec.set_level(batch.level);
        if let Some(service) = batch.service {
            rec.offer(Field::Service, 0, Raw::Owned(service));
        }
        rec.meta = Meta::Owned(format!("{{\"records\":{}}}", batch.bodies.len()));
        rec.offer(Field::Message, 0, Raw::Owned(batch.bodies.join("\n")));
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
        let want = fields
            .iter()
            .filter(|&&f| self.fields[f as usize].get().is_none())
            .fold(0u16, |w, &f| w | alias::mask(&[f]));
        if want == 0 {
            return;
        }
        let ix = alias::index();
        let mut best: [Option<(&'a [u8], u8)>; Field::COUNT] = [None; Field::COUNT];
        let mut at_rank0 = 0u16;
        let ok = json::walk_pairs(obj, |key, value| {
            ix.pair_fields(key, value, want, |f, value, rank| {
                let slot = &mut best[f as usize];
                if slot.is_none_or(|(_, r)| rank < r) {
                    *slot = Some((value, rank));
                    if rank == 0 {
                        at_rank0 |= alias::mask(&[f]);
                    }
                }
            });
            at_rank0 != want
        });
        if !ok {
            return;
        }
        for &f in fields {
            if want & alias::mask(&[f]) != 0 {
                let value = best[f as usize]
                    .map(|(v, r)| (refine(f, r, v), r))
                    .or_else(|| otlp_field(obj, f));
                let _ = self.fields[f as usize].set(value);
            }
        }
    }

    pub(crate) fn set_ts(&mut self, ts: Option<i64>) {
        self.ts = OnceCell::from(ts);
    }

    pub(crate) fn set_level(&mut self, level: Option<Level>) {
        self.level = OnceCell::from(level);
    }

    pub(crate) fn raw(&self, field: Field) -> Option<&Raw<'a>> {
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

    /// How the alias that fed `field` reads (JSON and logfmt; text formats set their
    /// values as they are).
    fn read_of(&self, field: Field) -> Read {
        self.read_at(field, self.rank(field))
    }

    /// How the alias of `field` at `rank` reads; the best alias always reads plain.
    #[inline]
    fn read_at(&self, field: Field, rank: u8) -> Read {
        match self.kind {
            Kind::Json | Kind::Logfmt if rank != 0 => alias::index().read(field, rank),
            _ => Read::Plain,
        }
    }

    /// The entry's timestamp in UTC nanoseconds.
    pub fn ts(&self) -> Option<i64> {
        *self.ts.get_or_init(|| {
            let raw = self.raw(Field::Timestamp)?;
            // A JSON number is read from its digits, exactly; `f64` would round it.
            if let Raw::Json(digits) = &raw {
                if let Some(ns) = timestamp::epoch_digits(digits) {
                    return Some(ns);
                }
            }
            time_value(&raw.value(), &self.ctx)
        })
    }

    /// The entry's normalized level.
    pub fn level(&self) -> Option<Level> {
        *self.level.get_or_init(|| {
            let (raw, rank) = self.slot(Field::Level as usize, Field::Level).as_ref()?;
            let read = self.read_at(Field::Level, *rank);
            // The common case, a plain JSON string: no decoding needed.
            if let (Raw::Json([b'"', inner @ .., b'"']), Read::Plain) = (raw, read) {
                let level = Level::parse_any(inner).or_else(|| Level::parse_column(inner));
                if level.is_some() || !inner.contains(&b'\\') {
                    return level;
                }
            }
            level_value(&raw.value(), read)
        })
    }

    /// The level as written when it is none of the six (`http`, `AUDIT`, a custom
    /// loguru level's name): what `level:http` compares. `None` when the level is one
    /// of the six or absent.
    pub fn level_text(&self) -> Option<Cow<'_, str>> {
        if self.level().is_some() {
            return None;
        }
        let Some(raw) = self.raw(Field::Level) else {
            // Text formats keep a level that is none of the six as the field `level`.
            let first = self.lookup("level").into_iter().next()?;
            return Some(Cow::Owned(first.as_text().into_owned()));
        };
        Some(match raw.value() {
            Value::Container(obj) => level_name(obj)
                .map(|v| Cow::Owned(json::decode(v).as_text().into_owned()))
                .unwrap_or_else(|| String::from_utf8_lossy(obj)),
            Value::Str(s) => Cow::Owned(s.into_owned()),
            other => Cow::Owned(other.as_text().into_owned()),
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
            (Some(raw), Some(obj)) if self.read_of(Field::Message) == Read::Template => {
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

    /// A copy that owns its values and borrows nothing: for a record read from a
    /// buffer that does not outlive it (an entry with its colour codes removed). The
    /// message takes the continuation lines; metadata becomes a JSON object.
    pub fn detached<'b>(&self) -> Record<'b> {
        let mut out = Record::new(self.kind, self.ctx);
        out.set_ts(self.ts());
        out.set_level(self.level());
        out.date_inferred = self.date_inferred;
        if let (None, Some(raw)) = (self.level(), self.raw(Field::Level)) {
            // A level that is none of the six keeps its text (`level:http`).
            let rank = self.rank(Field::Level);
            out.offer(Field::Level, rank, Raw::Owned(raw.text().into_owned()));
        }
        for field in Field::ALL {
            if matches!(field, Field::Timestamp | Field::Level | Field::Message) {
                continue;
            }
            if let Some(text) = self.text(field) {
                out.offer(field, self.rank(field), Raw::Owned(text.into_owned()));
            }
        }
        if self.raw(Field::Message).is_some() || self.extra.is_some() {
            out.offer(Field::Message, 0, Raw::Owned(self.message().into_owned()));
        }
        let meta = self.metadata_json();
        if !meta.is_empty() {
            out.meta = Meta::Owned(serde_json::Value::Object(meta).to_string());
        }
        out
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
                // OTLP key-value lists: `attributes.db.system` is the item whose key
                // is `db.system` in the list at `attributes`.
                if let Some(v) = otlp_lookup(obj, &path) {
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
                    // OTLP's key-value lists (`attributes`, `resource`) as objects.
                    let value = match value {
                        v @ (serde_json::Value::Array(_) | serde_json::Value::Object(_)) => {
                            crate::format::otlp::plain(v)
                        }
                        v => v,
                    };
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

    /// A flat key that fed one of the standard fields, and whose value that field shows
    /// (so it is not repeated as metadata).
    pub(crate) fn is_standard_key(&self, key: &[u8]) -> bool {
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
        // A key read through a nested alias (`"service": {"name": ...}`) stays: its
        // object may hold more than the field shows.
        key_field(key)
            .is_some_and(|(field, rank)| self.rank(field) == rank && self.understood(field))
    }
}

/// A value written as text (a text format's capture, a logfmt value) as
/// [`Record::lookup`] gives it: a finite number, `true`/`false`, else the string.
pub fn text_value(t: &[u8]) -> Value<'_> {
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
    let ix = alias::index();
    let all = alias::mask(&Field::ALL);
    let mut pairs = json::Pairs::new(obj);
    for pair in pairs.by_ref() {
        ix.pair_fields(pair.key, pair.value, all, |field, value, rank| {
            rec.offer(field, rank, refine(field, rank, value));
        });
    }
    pairs.ok()
}

/// Inner keys that name a level given as an object (loguru `{"name", "no"}`,
/// `{"label", "value"}`), the name first.
const LEVEL_NAME_KEYS: [&str; 4] = ["name", "label", "levelname", "text"];
const LEVEL_NUMBER_KEYS: [&str; 4] = ["no", "value", "number", "levelno"];

/// The name inside a level object.
fn level_name(obj: &[u8]) -> Option<&[u8]> {
    LEVEL_NAME_KEYS
        .iter()
        .find_map(|k| json::lookup_path(obj, &[k]))
}

/// A level value: a name, a letter or a number (read by the alias's scale), or an
/// object whose name (else number) is one of those.
fn level_value(v: &Value<'_>, read: Read) -> Option<Level> {
    let number = |n: f64| match read {
        Read::OtelSeverity => Level::from_otel_number(n),
        Read::SyslogSeverity => Level::from_syslog(n),
        _ => Level::from_number(n),
    };
    match v {
        Value::Num(n) => number(*n),
        Value::Str(s) => match read {
            Read::OtelSeverity | Read::SyslogSeverity => {
                s.trim().parse::<f64>().ok().and_then(number)
            }
            _ => Level::parse_column(s.as_bytes()),
        },
        Value::Container(obj) if obj.first() == Some(&b'{') => {
            if let Some(name) = level_name(obj) {
                return level_value(&json::decode(name), Read::Plain);
            }
            LEVEL_NUMBER_KEYS
                .iter()
                .find_map(|k| json::lookup_path(obj, &[k]))
                .and_then(|v| level_value(&json::decode(v), read))
        }
        _ => None,
    }
}

/// A timestamp value: text in any known form, an epoch number (magnitude tells the
/// unit), or an object: Google's `{"seconds", "nanos"}`, log4j2's `{"epochSecond",
/// "nanoOfSecond"}`, loguru's `{"repr", "timestamp"}`, MongoDB's `{"$date"}`.
fn time_value(v: &Value<'_>, ctx: &TimeCtx) -> Option<i64> {
    match v {
        Value::Num(n) => timestamp::from_epoch(*n),
        Value::Str(s) => timestamp::parse_str(s.as_bytes(), ctx),
        Value::Container(obj) if obj.first() == Some(&b'{') => {
            let num = |k: &str| match json::lookup_path(obj, &[k]).map(json::decode) {
                Some(Value::Num(n)) => Some(n),
                Some(Value::Str(s)) => s.parse::<f64>().ok(),
                _ => None,
            };
            // Google `{seconds, nanos}`, log4j2 JsonLayout `{epochSecond, nanoOfSecond}`.
            if let Some(secs) = num("seconds").or_else(|| num("epochSecond")) {
                let nanos = num("nanos").or_else(|| num("nanoOfSecond")).unwrap_or(0.0);
                if !(secs.is_finite() && nanos.is_finite()) || secs.abs() > 9e9 {
                    return None;
                }
                return Some((secs as i64).checked_mul(1_000_000_000)? + nanos as i64);
            }
            ["repr", "timestamp", "$date"].iter().find_map(|k| {
                json::lookup_path(obj, &[k]).and_then(|v| match json::decode(v) {
                    Value::Container(_) => None,
                    inner => time_value(&inner, ctx),
                })
            })
        }
        _ => None,
    }
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
