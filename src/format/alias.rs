//! The alias table: which JSON and logfmt keys feed each standard field, and in which
//! order they win. [`ALIASES`] is the one place these names are written; every lookup
//! is derived from it (and from the user's `[fields]` aliases, which rank first) once,
//! into an `Index`: the exact spellings compared as fixed-size words in the hot path,
//! the normalized names, the nested paths, first-letter filters and the `"key":`
//! searchers. It does not read values (that is `record`'s job) or parse the config.

use std::sync::OnceLock;

use crate::format::json;

/// The standard fields of the seed's LogEntry shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The entry's own id (its permalink when present).
    Id,
    /// When it happened.
    Timestamp,
    /// Its severity (see `Level`).
    Level,
    /// What it says.
    Message,
    /// The service that wrote it.
    Service,
    /// Where in the service (a file, a logger, a module).
    Source,
    /// The trace it belongs to.
    TraceId,
    /// The span it belongs to.
    SpanId,
    /// The user it concerns.
    UserId,
    /// The request it belongs to.
    RequestId,
    /// Its tags.
    Tags,
}

/// Each field's JSON output name and the names a query may call it by, in `Field` order.
const NAMES: [(Field, &str, &[&str]); Field::COUNT] = [
    (Field::Id, "id", &["id"]),
    (Field::Timestamp, "timestamp", &["timestamp", "ts", "time"]),
    (Field::Level, "level", &["level", "lvl", "severity"]),
    (Field::Message, "message", &["message", "msg"]),
    (Field::Service, "service", &["service"]),
    (Field::Source, "source", &["source"]),
    (Field::TraceId, "traceId", &["traceid", "trace.id", "trace"]),
    (Field::SpanId, "spanId", &["spanid", "span.id", "span"]),
    (Field::UserId, "userId", &["userid", "user.id"]),
    (Field::RequestId, "requestId", &["requestid", "reqid"]),
    (Field::Tags, "tags", &["tags", "tag"]),
];

impl Field {
    /// How many standard fields there are.
    pub const COUNT: usize = 11;

    /// Every field, in declaration order.
    pub const ALL: [Field; Field::COUNT] = [
        Field::Id,
        Field::Timestamp,
        Field::Level,
        Field::Message,
        Field::Service,
        Field::Source,
        Field::TraceId,
        Field::SpanId,
        Field::UserId,
        Field::RequestId,
        Field::Tags,
    ];

    /// Resolves a field name as typed in a query (`userId`, `user_id`, `trace.id`...).
    pub fn from_query_name(name: &str) -> Option<Field> {
        let norm = normalize_name(name.as_bytes());
        NAMES
            .iter()
            .find(|(_, _, names)| names.iter().any(|n| n.as_bytes() == norm.as_slice()))
            .map(|(f, _, _)| *f)
    }

    /// The name used in JSON output (the seed's camelCase spelling).
    pub fn json_name(self) -> &'static str {
        NAMES[self as usize].1
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// How a field's value is read when it came through an alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// As it is (levels: names, letters, pino/bunyan 10-60, syslog 0-7).
    Plain,
    /// A Serilog message template (`@mt`), rendered with the record's properties.
    Template,
    /// An OpenTelemetry SeverityNumber, 1-24.
    OtelSeverity,
    /// A syslog severity code, 0-7.
    SyslogSeverity,
    /// Google Cloud's `projects/P/traces/ID`: the trace id is the last segment.
    CloudTrace,
}

/// One alias: a key (or a dotted path: `log.level` matches the flat key `"log.level"`
/// and the nested `"log": {"level": ...}`) and how its value reads.
#[derive(Debug, Clone, Copy)]
pub struct Alias {
    pub field: Field,
    pub path: &'static str,
    pub read: Read,
}

const fn plain(field: Field, path: &'static str) -> Alias {
    Alias {
        field,
        path,
        read: Read::Plain,
    }
}

const fn read(field: Field, path: &'static str, read: Read) -> Alias {
    Alias { field, path, read }
}

use Field::*;

/// Every built-in alias; within a field, earlier rows win (the row's rank among its
/// field's rows). Names compare ignoring case, `_` and `-`. The conventions: the
/// seed's own names first, then the usual short names (pino, zap, logrus), Serilog's
/// compact JSON (`@t`, `@l`, `@m`, `@mt`), ECS (`@timestamp`, `log.level`,
/// `service.name`, `event.dataset`), OpenTelemetry's log data model (`Timestamp`,
/// `SeverityText`, `SeverityNumber`, `Body`, `TraceId`, `Resource`), Google Cloud
/// (`severity`, `textPayload`, `jsonPayload.message`, `logging.googleapis.com/trace`),
/// loguru's `serialize=True` envelope (`record.*`), and a message one level down
/// (`data.message`); the catch-all names (`text`, `log`, `event`) last.
pub const ALIASES: &[Alias] = &[
    plain(Timestamp, "timestamp"),
    plain(Timestamp, "ts"),
    plain(Timestamp, "time"),
    plain(Timestamp, "@timestamp"),
    plain(Timestamp, "@t"),
    plain(Timestamp, "t"),
    plain(Timestamp, "date"),
    plain(Timestamp, "datetime"),
    plain(Timestamp, "timeUnixNano"),
    plain(Timestamp, "record.time"),
    plain(Timestamp, "observedTimestamp"),
    plain(Timestamp, "observedTimeUnixNano"),
    plain(Timestamp, "instant"),
    plain(Timestamp, "__REALTIME_TIMESTAMP"),
    plain(Level, "level"),
    plain(Level, "lvl"),
    plain(Level, "severity"),
    plain(Level, "levelname"),
    plain(Level, "log.level"),
    plain(Level, "@l"),
    plain(Level, "loglevel"),
    plain(Level, "severityText"),
    read(Level, "severityNumber", Read::OtelSeverity),
    plain(Level, "record.level"),
    plain(Level, "log.syslog.severity.name"),
    read(Level, "log.syslog.severity.code", Read::SyslogSeverity),
    plain(Level, "@fields.level"),
    plain(Level, "@fields.lvl"),
    read(Level, "PRIORITY", Read::SyslogSeverity),
    plain(Message, "message"),
    plain(Message, "msg"),
    plain(Message, "@m"),
    read(Message, "@mt", Read::Template),
    plain(Message, "body"),
    plain(Message, "textPayload"),
    plain(Message, "record.message"),
    plain(Message, "jsonPayload.message"),
    plain(Message, "body.message"),
    plain(Message, "body.stringValue"),
    plain(Message, "data.message"),
    plain(Message, "data.msg"),
    plain(Message, "payload.message"),
    plain(Message, "payload.msg"),
    plain(Message, "@fields.message"),
    plain(Message, "@fields.msg"),
    plain(Message, "fields.message"),
    plain(Message, "short_message"),
    plain(Message, "text"),
    plain(Message, "log"),
    plain(Message, "event"),
    plain(Service, "service"),
    plain(Service, "service.name"),
    plain(Service, "app"),
    plain(Service, "application"),
    plain(Service, "logger"),
    plain(Service, "component"),
    plain(Service, "resource.service.name"),
    plain(Service, "log.logger"),
    plain(Service, "event.dataset"),
    plain(Service, "serviceContext.service"),
    plain(Service, "record.name"),
    plain(Service, "SYSLOG_IDENTIFIER"),
    plain(Service, "_SYSTEMD_UNIT"),
    plain(Service, "name"),
    plain(Source, "source"),
    plain(Source, "caller"),
    plain(Source, "file"),
    plain(Source, "module"),
    plain(Source, "target"),
    plain(Source, "logger_name"),
    plain(Source, "log.origin.file.name"),
    plain(Source, "record.module"),
    plain(TraceId, "trace_id"),
    plain(TraceId, "trace.id"),
    read(TraceId, "logging.googleapis.com/trace", Read::CloudTrace),
    read(TraceId, "trace", Read::CloudTrace),
    plain(TraceId, "dd.trace_id"),
    plain(SpanId, "span_id"),
    plain(SpanId, "span.id"),
    plain(SpanId, "logging.googleapis.com/spanId"),
    plain(SpanId, "dd.span_id"),
    plain(UserId, "user_id"),
    plain(UserId, "user.id"),
    plain(RequestId, "request_id"),
    plain(RequestId, "req_id"),
    plain(RequestId, "http.request.id"),
    plain(Id, "id"),
    plain(Tags, "tags"),
];

/// Longest normalized alias kept (longer keys are never aliases).
const MAX_KEY: usize = 40;

/// Lowercases a name and drops `_` and `-`, so spellings compare equal.
pub fn normalize_name(name: &[u8]) -> Vec<u8> {
    name.iter()
        .filter(|c| **c != b'_' && **c != b'-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `normalize_name` into a stack buffer; `None` when the key is too long to be an alias.
#[inline]
fn normalize_into<'b>(key: &[u8], buf: &'b mut [u8; MAX_KEY]) -> Option<&'b [u8]> {
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

/// A key of at most 16 bytes as two machine words and its length: equal keys give
/// equal prints and, for one length, different keys different prints (the two words
/// overlap and together cover every byte). Compared with three integer compares, as
/// the old hand-written `key == b"level"` literals were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Print {
    len: u8,
    lo: u64,
    hi: u64,
}

impl Print {
    #[inline(always)]
    fn of(key: &[u8]) -> Option<Print> {
        let n = key.len();
        let word = |b: &[u8]| {
            let mut w = [0u8; 8];
            w[..b.len()].copy_from_slice(b);
            u64::from_le_bytes(w)
        };
        let (lo, hi) = match n {
            0 => return None,
            1..=3 => (
                u64::from(key[0]) | u64::from(key[n / 2]) << 8 | u64::from(key[n - 1]) << 16,
                0,
            ),
            4..=7 => (word(&key[..4]), word(&key[n - 4..])),
            8..=16 => (word(&key[..8]), word(&key[n - 8..])),
            _ => return None,
        };
        Some(Print {
            len: n as u8,
            lo,
            hi,
        })
    }
}

/// One alias as the index keeps it (its field and rank are where it is kept).
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub read: Read,
    /// The path as written (user aliases: as configured).
    pub path: String,
}

/// A nested alias: the key holding an object, and the path inside it.
#[derive(Debug, Clone)]
struct Nested {
    outer: Vec<u8>,
    field: Field,
    rank: u8,
    inner: Vec<&'static str>,
}

/// Keys (as prints) with their field and rank in an open-addressing table at most a
/// quarter full: a lookup compares one slot, rarely two, and stops at an empty one.
#[derive(Default)]
struct Slots {
    slots: Vec<Option<(Print, Field, u8)>>,
    shift: u32,
}

impl Slots {
    /// Of the same key given twice, the first stays.
    fn build(entries: &[(Print, Field, u8)]) -> Slots {
        let size = (entries.len() * 4).next_power_of_two().max(64);
        let mut t = Slots {
            slots: vec![None; size],
            shift: 64 - size.trailing_zeros(),
        };
        for e in entries {
            let mut i = t.slot_of(&e.0);
            loop {
                match t.slots[i] {
                    None => {
                        t.slots[i] = Some(*e);
                        break;
                    }
                    Some(other) if other.0 == e.0 => break,
                    Some(_) => i = (i + 1) % size,
                }
            }
        }
        t
    }

    #[inline(always)]
    fn slot_of(&self, p: &Print) -> usize {
        let h = p.lo ^ p.hi.rotate_left(29) ^ u64::from(p.len);
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    #[inline(always)]
    fn get(&self, p: &Print) -> Option<(Field, u8)> {
        let mut i = self.slot_of(p);
        loop {
            match self.slots.get(i)? {
                Some(e) if e.0 == *p => return Some((e.1, e.2)),
                Some(_) => i = (i + 1) & (self.slots.len() - 1),
                None => return None,
            }
        }
    }
}

/// Everything derived from the alias table (plus the user's aliases), built once.
pub(crate) struct Index {
    /// Each field's rows, best first (the rank is the position).
    rows: [Vec<Row>; Field::COUNT],
    /// Exact spellings of each field's best alias (`trace_id`, `traceId`): one compare
    /// of prints before any normalizing.
    exact: Vec<(Print, Field, u8)>,
    exact_slots: Slots,
    /// Normalized flat names of 16 bytes or less.
    short: Vec<(Print, Field, u8)>,
    short_slots: Slots,
    /// Longer normalized flat names.
    long: Vec<(Vec<u8>, Field, u8)>,
    nested: Vec<Nested>,
    /// Per normalized first byte: the fields with an alias (flat or nested) starting so.
    first: [u16; 256],
    /// `"key":` of each field's best alias, for the direct search of the usual line.
    needles: Vec<memchr::memmem::Finder<'static>>,
}

static INDEX: OnceLock<Index> = OnceLock::new();

/// The index of the built-in aliases and any installed user aliases.
#[inline]
pub(crate) fn index() -> &'static Index {
    INDEX.get_or_init(|| Index::build(&[]))
}

/// Installs the user's aliases (from `[fields]`), which rank before the built-in ones.
/// Takes effect only before the first lookup (start-up); false when it was too late.
pub(crate) fn install_user(aliases: &[(Field, String)]) -> bool {
    INDEX.set(Index::build(aliases)).is_ok()
}

/// `a.b` to `["a", "b"]`; a key with `/` (`logging.googleapis.com/trace`) is one name.
fn segments(path: &str) -> Vec<String> {
    if path.contains('/') {
        return vec![path.to_string()];
    }
    path.split('.').map(str::to_string).collect()
}

/// `trace_id` -> `traceId`: the other usual spelling of a snake_case key.
fn camel(path: &str) -> Option<String> {
    if !path.contains('_') {
        return None;
    }
    let mut out = String::new();
    let mut upper = false;
    for c in path.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    Some(out)
}

impl Index {
    /// Derives every lookup from the user's aliases followed by [`ALIASES`].
    pub(crate) fn build(user: &[(Field, String)]) -> Index {
        let mut index = Index {
            rows: Default::default(),
            exact: Vec::new(),
            exact_slots: Slots::default(),
            short_slots: Slots::default(),
            short: Vec::new(),
            long: Vec::new(),
            nested: Vec::new(),
            first: [0; 256],
            needles: Vec::new(),
        };
        let user_rows = user.iter().map(|(f, p)| (*f, p.clone(), Read::Plain));
        let builtin = ALIASES
            .iter()
            .map(|a| (a.field, a.path.to_string(), a.read));
        for (field, path, read) in user_rows.chain(builtin) {
            index.add(field, path, read);
        }
        index.sort();
        index
    }

    fn add(&mut self, field: Field, path: String, read: Read) {
        let norm = normalize_name(path.as_bytes());
        if norm.is_empty() || norm.len() > MAX_KEY || self.flat(&norm).is_some() {
            return; // a name already taken ranks where it was first given
        }
        let rows = &mut self.rows[field as usize];
        let Ok(rank) = u8::try_from(rows.len()) else {
            return;
        };
        rows.push(Row {
            read,
            path: path.clone(),
        });
        match Print::of(&norm) {
            Some(p) => self.short.push((p, field, rank)),
            None => self.long.push((norm.clone(), field, rank)),
        }
        self.first[usize::from(norm[0])] |= field.bit();
        let segs = segments(&path);
        if let [outer, inner @ ..] = segs.as_slice() {
            if !inner.is_empty() {
                let outer = normalize_name(outer.as_bytes());
                self.first[usize::from(outer[0])] |= field.bit();
                // Kept for the program's life (built once); no allocation per lookup.
                let inner = inner
                    .iter()
                    .map(|s| &*Box::leak(s.clone().into_boxed_str()))
                    .collect();
                self.nested.push(Nested {
                    outer,
                    field,
                    rank,
                    inner,
                });
            }
        }
        if rank == 0 {
            let spellings = std::iter::once(path.clone()).chain(camel(&path));
            for s in spellings {
                if let Some(p) = Print::of(s.as_bytes()) {
                    self.exact.push((p, field, 0));
                }
            }
        }
    }

    fn sort(&mut self) {
        self.exact_slots = Slots::build(&self.exact);
        self.short_slots = Slots::build(&self.short);
        self.needles = Field::ALL
            .iter()
            .map(|f| json::key_needle(&self.rows[*f as usize][0].path))
            .collect();
    }

    /// A normalized flat name's field and rank (linear: used while building).
    fn flat(&self, norm: &[u8]) -> Option<(Field, u8)> {
        let p = Print::of(norm);
        self.short
            .iter()
            .find(|e| Some(e.0) == p)
            .map(|e| (e.1, e.2))
            .or_else(|| self.long.iter().find(|e| e.0 == norm).map(|e| (e.1, e.2)))
    }

    /// The rows of a field, best first.
    #[cfg(test)]
    pub(crate) fn rows(&self, field: Field) -> &[Row] {
        &self.rows[field as usize]
    }

    /// How the alias of `field` at `rank` reads.
    #[inline]
    pub(crate) fn read(&self, field: Field, rank: u8) -> Read {
        self.rows[field as usize]
            .get(usize::from(rank))
            .map_or(Read::Plain, |r| r.read)
    }

    /// The searcher for `"key":` of a field's best alias.
    pub(crate) fn needle(&self, field: Field) -> &memchr::memmem::Finder<'static> {
        &self.needles[field as usize]
    }

    /// The field a key feeds when spelled exactly as its field's best alias.
    #[inline(always)]
    fn exact(&self, key: &[u8]) -> Option<(Field, u8)> {
        self.exact_slots.get(&Print::of(key)?)
    }

    /// Which standard field a flat JSON or logfmt key feeds, with its rank (lower wins).
    pub(crate) fn key_field(&self, key: &[u8]) -> Option<(Field, u8)> {
        let mut buf = [0u8; MAX_KEY];
        let norm = normalize_into(key, &mut buf)?;
        match Print::of(norm) {
            Some(p) => self.short_slots.get(&p),
            None => self.long.iter().find(|e| e.0 == norm).map(|e| (e.1, e.2)),
        }
    }

    /// Calls `each` for the nested aliases whose outer key is `key` (`service`, `log`,
    /// `record`...); false when there is none.
    #[inline]
    fn for_nested(&self, key: &[u8], mut each: impl FnMut(&Nested)) -> bool {
        let mut buf = [0u8; MAX_KEY];
        let Some(norm) = normalize_into(key, &mut buf) else {
            return false;
        };
        let mut any = false;
        for n in &self.nested {
            if n.outer == norm {
                any = true;
                each(n);
            }
        }
        any
    }

    /// A cheap test on the first letter: can `key` be an alias of a field in `wanted`?
    #[inline(always)]
    fn may_alias(&self, key: &[u8], wanted: u16) -> bool {
        let Some(first) = key.iter().find(|c| **c != b'_' && **c != b'-') else {
            return false;
        };
        self.first[usize::from(first.to_ascii_lowercase())] & wanted != 0
    }

    /// Calls `found(field, value, rank)` for each field in `wanted` (a bit per `Field`)
    /// that a top-level pair feeds: through nested aliases when the value is an object
    /// held by an outer key (`"service": {"name": ...}`), else the best alias spelled
    /// exactly, else any alias by its normalized name. The one rule behind the lazy
    /// lookup, `Record::prefetch` and the covet layout's JSON block.
    #[inline]
    pub(crate) fn pair_fields<'a>(
        &self,
        key: &'a [u8],
        value: &'a [u8],
        wanted: u16,
        mut found: impl FnMut(Field, &'a [u8], u8),
    ) {
        // A key holding an object is read through its nested aliases only.
        if value.first() == Some(&b'{')
            && self.may_alias(key, wanted)
            && self.for_nested(key, |n| {
                if wanted & n.field.bit() != 0 {
                    if let Some(v) = json::lookup_path(value, &n.inner) {
                        found(n.field, v, n.rank);
                    }
                }
            })
        {
            return;
        }
        if let Some((f, rank)) = self.exact(key) {
            if wanted & f.bit() != 0 {
                found(f, value, rank);
            }
            return;
        }
        if !self.may_alias(key, wanted) {
            return;
        }
        if let Some((f, rank)) = self.key_field(key) {
            if wanted & f.bit() != 0 {
                found(f, value, rank);
            }
        }
    }
}

/// Which standard field a flat JSON or logfmt key feeds, with its rank (lower wins).
pub fn key_field(key: &[u8]) -> Option<(Field, u8)> {
    index().key_field(key)
}

/// The bit set of `fields`, as `Index::pair_fields` takes it.
pub(crate) fn mask(fields: &[Field]) -> u16 {
    fields.iter().fold(0, |m, f| m | f.bit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_tell_keys_apart_and_match_equal_ones() {
        let keys: [&[u8]; 12] = [
            b"t",
            b"ts",
            b"id",
            b"tag",
            b"tags",
            b"level",
            b"lvl",
            b"message",
            b"messages",
            b"trace_id",
            b"traceId",
            b"observedtimestamp",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(
                    Print::of(a) == Print::of(b) && Print::of(a).is_some(),
                    a == b && a.len() <= 16,
                    "{a:?} {b:?}"
                );
            }
        }
        assert_eq!(Print::of(b""), None);
        assert_eq!(Print::of(&[b'a'; 17]), None);
    }

    #[test]
    fn every_row_is_found_by_its_own_name_with_its_rank() {
        let ix = Index::build(&[]);
        for f in Field::ALL {
            let rows = ix.rows(f);
            assert!(!rows.is_empty(), "{f:?} has no alias");
            // `Record` reads the best alias plainly without asking the index.
            assert_eq!(rows[0].read, Read::Plain, "{f:?}");
            for (i, row) in rows.iter().enumerate() {
                let rank = u8::try_from(i).unwrap();
                // As written, upper-cased, and with separators changed.
                for spelling in [
                    row.path.clone(),
                    row.path.to_uppercase(),
                    row.path.replace('_', "-"),
                ] {
                    assert_eq!(
                        ix.key_field(spelling.as_bytes()),
                        Some((f, rank)),
                        "{spelling}"
                    );
                }
            }
        }
        assert_eq!(ix.key_field(b"metadata"), None);
        assert_eq!(ix.key_field(&[b'a'; 100]), None);
    }

    #[test]
    fn no_name_is_given_twice() {
        let mut seen = std::collections::HashSet::new();
        for a in ALIASES {
            assert!(seen.insert(normalize_name(a.path.as_bytes())), "{}", a.path);
        }
    }

    /// Every lookup agrees with the table: a pair with a row's key (flat, or nested
    /// as an object for dotted rows) feeds that row's field at its rank.
    #[test]
    fn pair_fields_agree_with_the_table() {
        let ix = Index::build(&[]);
        let all = mask(&Field::ALL);
        for row in ALIASES {
            let f = row.field;
            let rank = ix.key_field(row.path.as_bytes()).unwrap().1;
            let segs = segments(row.path);
            let (key, value) = if segs.len() > 1 {
                let mut v = String::from("\"x\"");
                for s in segs[1..].iter().rev() {
                    v = format!("{{\"{s}\":{v}}}");
                }
                (segs[0].clone(), v)
            } else {
                (row.path.to_string(), "\"x\"".to_string())
            };
            let mut got = Vec::new();
            ix.pair_fields(key.as_bytes(), value.as_bytes(), all, |f, v, r| {
                got.push((f, v.to_vec(), r))
            });
            assert!(
                got.contains(&(f, b"\"x\"".to_vec(), rank)),
                "{} gave {got:?}",
                row.path
            );
            // Asking for other fields only finds nothing of this one.
            let mut other = Vec::new();
            ix.pair_fields(
                key.as_bytes(),
                value.as_bytes(),
                all & !f.bit(),
                |f2, _, _| other.push(f2),
            );
            assert!(!other.contains(&f), "{}", row.path);
        }
    }

    #[test]
    fn exact_spellings_are_the_best_aliases_and_their_camel_case() {
        let ix = Index::build(&[]);
        for (key, want) in [
            ("timestamp", Some(Field::Timestamp)),
            ("level", Some(Field::Level)),
            ("trace_id", Some(Field::TraceId)),
            ("traceId", Some(Field::TraceId)),
            ("requestId", Some(Field::RequestId)),
            ("id", Some(Field::Id)),
            ("Level", None),
            ("lvl", None),
        ] {
            assert_eq!(ix.exact(key.as_bytes()).map(|e| e.0), want, "{key}");
        }
        assert_eq!(
            String::from_utf8_lossy(ix.needle(Field::Level).needle()),
            "\"level\":"
        );
    }

    #[test]
    fn user_aliases_rank_first_and_move_the_exact_spelling() {
        let ix = Index::build(&[
            (Field::Level, "invloglevel".into()),
            (Field::Message, "msg_text".into()),
            (Field::Message, "level".into()),
        ]);
        assert_eq!(ix.key_field(b"invloglevel"), Some((Field::Level, 0)));
        assert_eq!(ix.key_field(b"level"), Some((Field::Message, 1)));
        assert_eq!(ix.key_field(b"lvl"), Some((Field::Level, 1)));
        assert_eq!(ix.key_field(b"msgText"), Some((Field::Message, 0)));
        assert_eq!(ix.exact(b"invloglevel"), Some((Field::Level, 0)));
        assert_eq!(ix.exact(b"msgText"), Some((Field::Message, 0)));
        assert_eq!(ix.exact(b"message"), None);
        assert_eq!(ix.rows(Field::Message)[0].path, "msg_text");
    }

    /// The README's table lists every alias, so the documentation cannot drift.
    #[test]
    fn the_readme_lists_every_alias() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("| field | keys, best first |")
            .expect("alias table");
        let table = &readme[start..start + readme[start..].find("\n\n").unwrap()];
        for a in ALIASES {
            assert!(table.contains(&format!("`{}`", a.path)), "{}", a.path);
        }
    }

    #[test]
    fn query_names_and_json_names_come_from_one_table() {
        for (f, json_name, names) in NAMES {
            assert_eq!(Field::ALL[f as usize], f);
            assert_eq!(f.json_name(), json_name);
            for n in names {
                assert_eq!(Field::from_query_name(n), Some(f));
            }
        }
        assert_eq!(Field::from_query_name("user_id"), Some(Field::UserId));
        assert_eq!(Field::from_query_name("TRACE-ID"), Some(Field::TraceId));
        assert_eq!(Field::from_query_name("nope"), None);
    }
}
