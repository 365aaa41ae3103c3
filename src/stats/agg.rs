//! The aggregating sink behind `covet-logs stats`: each chunk of input builds a partial
//! aggregate (`Agg`), and the command merges the parts in input order into one.
//!
//! Everything an `Agg` holds is bounded whatever the input size: counts per level, per
//! interned service/source/`--by` value (at most `MAX_GROUPS` distinct values each, the
//! rest counted as `(other)`), time buckets (at most `MAX_BUCKETS`; the bucket width
//! doubles up a ladder of round units when more are needed), error templates (at most
//! `MAX_TEMPLATES`) and quantile sketches. Per entry the work is a handful of lazy
//! field lookups and counter bumps; only ERROR and FATAL messages are decoded and
//! masked, into a reused buffer. Reporting (cards, insights, rendering) is in `stats`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;
use crate::format::level::Level;
use crate::format::record::{Field, Raw, Record};
use crate::format::timestamp::{self, TimeCtx};
use crate::query::compile::Node;
use crate::query::eval::field_matches;
use crate::query::{self, Options, QueryError};
use crate::sink::Sink;
use crate::sink::{Hit, Source};
use crate::stats::field::FieldRef;
use crate::stats::sketch::Sketch;
use crate::stats::template;

/// Most distinct values kept per breakdown before the rest count as `(other)`.
pub const MAX_GROUPS: usize = 50_000;
/// Most time buckets kept before the bucket width grows.
pub const MAX_BUCKETS: usize = 4096;
/// Most distinct error templates kept before the rest count as `(other)`.
pub const MAX_TEMPLATES: usize = 10_000;
/// Services and sources tracked per time bucket (the first interned ones).
pub const TRACKED: usize = 64;
/// The name of the group for values past `MAX_GROUPS`.
pub const OTHER: &str = "(other)";
/// The name of the group for entries without the field.
pub const NONE: &str = "(none)";

const SEC: i64 = 1_000_000_000;
/// Round bucket widths; each divides the next, so buckets coarsen by merging.
const LADDER: [i64; 16] = [
    SEC,
    5 * SEC,
    10 * SEC,
    30 * SEC,
    60 * SEC,
    300 * SEC,
    600 * SEC,
    1800 * SEC,
    3600 * SEC,
    7200 * SEC,
    21600 * SEC,
    43200 * SEC,
    86400 * SEC,
    604_800 * SEC,
    2_419_200 * SEC,
    31_449_600 * SEC,
];

/// The next wider bucket width: a round one that `unit` divides, else twice `unit`.
pub fn next_unit(unit: i64) -> i64 {
    LADDER
        .iter()
        .copied()
        .find(|&l| l > unit && l % unit == 0 && l / unit <= 10)
        .unwrap_or_else(|| unit.saturating_mul(2))
}

/// What the sink computes, besides what it always computes.
pub struct StatsSink {
    /// `--by` fields.
    pub by: Vec<FieldRef>,
    /// `--value` field: its sketch per group of every breakdown.
    pub value: Option<FieldRef>,
    /// The numeric field behind `performance_degradation` (the `--value` field, else
    /// `duration_ms`): a sketch per time bucket.
    pub perf: Option<FieldRef>,
    /// Entries before this time belong to the previous window (for trends).
    pub current_from: Option<i64>,
    /// `count(QUERY)` alert queries: entries matching each are counted.
    pub counts: Vec<Node>,
    /// The first bucket width.
    pub unit: i64,
    /// The scan's time context (for reading JSON timestamps directly).
    pub ctx: TimeCtx,
}

/// A `StatsSink` as values, from which another process (a cluster's executor) builds
/// the same sink: the fields by name, the `count(QUERY)` queries as their text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SinkSpec {
    pub by: Vec<String>,
    pub value: Option<String>,
    pub perf: Option<String>,
    pub current_from: Option<i64>,
    pub counts: Vec<String>,
    /// How the count queries compile: `-s`, `--regex`.
    pub case_sensitive: bool,
    pub regex_words: bool,
    pub unit: i64,
}

impl SinkSpec {
    /// The sink, reading timestamps in `ctx` (count queries' relative times from
    /// `now_ns`); a count query that does not compile comes back with its text.
    pub fn sink(&self, ctx: TimeCtx, now_ns: i64) -> Result<StatsSink, (String, QueryError)> {
        let opts = &Options {
            case_sensitive: self.case_sensitive,
            regex_words: self.regex_words,
            ctx,
            now_ns,
        };
        let mut counts = Vec::with_capacity(self.counts.len());
        for text in &self.counts {
            let compiled = query::parse(text)
                .and_then(|expr| query::compile(&expr, Vec::new(), opts))
                .map_err(|e| (text.clone(), e))?;
            counts.push(compiled.root);
        }
        Ok(StatsSink {
            by: self.by.iter().map(|b| FieldRef::new(b)).collect(),
            value: self.value.as_deref().map(FieldRef::new),
            perf: self.perf.as_deref().map(FieldRef::new),
            current_from: self.current_from,
            counts,
            unit: self.unit,
            ctx: opts.ctx,
        })
    }
}

impl StatsSink {
    /// The entry's time: a plain JSON string is parsed straight from its bytes (no
    /// UTF-8 validation and decoding first), anything else as the record does it.
    fn entry_ts(&self, rec: &Record<'_>) -> Option<i64> {
        if let Some(Raw::Json([b'"', inner @ .., b'"'])) = rec.raw(Field::Timestamp) {
            if let Some(ns) = timestamp::rfc3339(inner, &self.ctx) {
                return Some(ns);
            }
            if inner.is_ascii() && !inner.contains(&b'\\') {
                return timestamp::parse_str(inner, &self.ctx);
            }
        }
        rec.ts()
    }
}

/// Per-value counters of a breakdown.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub count: u64,
    pub errors: u64,
    pub warnings: u64,
    pub value: Option<Sketch>,
}

const CACHE_SLOTS: usize = 256;

/// The cache slot of a raw value: its length and a few of its bytes.
fn cache_slot(raw: &[u8]) -> usize {
    let n = raw.len();
    if n == 0 {
        return 0;
    }
    let h = n
        .wrapping_mul(31)
        .wrapping_add(raw[n / 2] as usize * 7)
        .wrapping_add(raw[n - 1] as usize * 131)
        .wrapping_add(raw[n.saturating_sub(3)] as usize * 17)
        .wrapping_add(raw[n.saturating_sub(4)] as usize * 3);
    h % CACHE_SLOTS
}

/// Distinct values of one field, interned by their raw bytes.
#[derive(Debug, Default)]
pub struct Groups {
    /// SipHash: these keys come from the logs (no hash flooding).
    by_raw: HashMap<Box<[u8]>, u32>,
    by_name: HashMap<String, u32>,
    pub groups: Vec<Group>,
    /// A direct-mapped cache in front of `by_raw`: one compare instead of a SipHash for
    /// the few values (services, sources) that make up almost every entry.
    cache: Vec<Option<(Box<[u8]>, u32)>>,
}

impl Groups {
    /// The id of the group for `raw` (display name made by `name` on first sight).
    fn id(&mut self, raw: &[u8], name: impl FnOnce() -> String) -> u32 {
        let slot = cache_slot(raw);
        if let Some((r, id)) = self.cache.get(slot).and_then(Option::as_ref) {
            if **r == *raw {
                return *id;
            }
        }
        let id = match self.by_raw.get(raw) {
            Some(&id) => id,
            None => {
                let name = if self.groups.len() >= MAX_GROUPS {
                    OTHER.to_string()
                } else {
                    name()
                };
                let id = self.named(&name);
                self.by_raw.insert(raw.into(), id);
                id
            }
        };
        if self.cache.is_empty() {
            self.cache.resize(CACHE_SLOTS, None);
        }
        self.cache[slot] = Some((raw.into(), id));
        id
    }

    /// The id of the group named `name`, created when new.
    fn named(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = self.groups.len() as u32;
        self.by_name.insert(name.to_string(), id);
        self.groups.push(Group {
            name: name.to_string(),
            ..Group::default()
        });
        id
    }

    /// Adds `other`'s groups; returns the id mapping from `other`'s ids to ours.
    fn merge(&mut self, other: Groups) -> Vec<u32> {
        let mut map = Vec::with_capacity(other.groups.len());
        for g in other.groups {
            let name = if self.groups.len() >= MAX_GROUPS && !self.by_name.contains_key(&g.name) {
                OTHER
            } else {
                &g.name
            };
            let id = self.named(name) as usize;
            let mine = &mut self.groups[id];
            mine.count += g.count;
            mine.errors += g.errors;
            mine.warnings += g.warnings;
            if let Some(s) = g.value {
                mine.value.get_or_insert_with(Sketch::new).merge(&s);
            }
            map.push(id as u32);
        }
        map
    }
}

/// A breakdown travels as its groups, in id order (ids are positions); the lookups by
/// name are rebuilt, the ones by raw bytes and the cache are the scan's own, so a
/// decoded `Groups` is merged from, not scanned into.
impl Serialize for Groups {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.groups.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Groups {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Groups, D::Error> {
        let groups = Vec::<Group>::deserialize(d)?;
        let by_name = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.clone(), i as u32))
            .collect();
        Ok(Groups {
            by_name,
            groups,
            ..Groups::default()
        })
    }
}

/// One time bucket.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Bucket {
    pub total: u64,
    pub errors: u64,
    pub warnings: u64,
    /// Entries per service id (the first `TRACKED` services).
    pub services: Vec<u64>,
    /// ERROR+FATAL entries per service id.
    pub service_errors: Vec<u64>,
    /// Entries per source id (the first `TRACKED` sources).
    pub sources: Vec<u64>,
    /// The performance field's values in this bucket.
    pub perf: Option<Sketch>,
}

fn bump(v: &mut Vec<u64>, id: u32, n: u64) {
    let i = id as usize;
    if i >= TRACKED {
        return;
    }
    if v.len() <= i {
        v.resize(i + 1, 0);
    }
    v[i] += n;
}

impl Bucket {
    /// Adds `other`, whose service/source ids map to ours through `svc`/`src`.
    pub fn merge(&mut self, other: &Bucket, svc: &[u32], src: &[u32]) {
        self.total += other.total;
        self.errors += other.errors;
        self.warnings += other.warnings;
        for (i, &n) in other.services.iter().enumerate() {
            bump(&mut self.services, svc[i], n);
        }
        for (i, &n) in other.service_errors.iter().enumerate() {
            bump(&mut self.service_errors, svc[i], n);
        }
        for (i, &n) in other.sources.iter().enumerate() {
            bump(&mut self.sources, src[i], n);
        }
        if let Some(s) = &other.perf {
            self.perf.get_or_insert_with(Sketch::new).merge(s);
        }
    }
}

/// A multiplicative hash for bucket numbers (SipHash is needlessly slow per entry, and
/// bucket keys are not attacker-chosen in any way that matters: at most `MAX_BUCKETS`).
#[derive(Default)]
pub struct KeyHasher(u64);

impl KeyHasher {
    fn mix(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        w[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.mix(u64::from_le_bytes(w) ^ bytes.len() as u64);
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

/// Time buckets keyed by `floor(ts / unit)`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Buckets {
    pub unit: i64,
    pub map: HashMap<i64, Bucket, BuildHasherDefault<KeyHasher>>,
}

impl Buckets {
    fn new(unit: i64) -> Buckets {
        Buckets {
            unit,
            map: HashMap::default(),
        }
    }

    fn get(&mut self, ts: i64) -> &mut Bucket {
        if self.map.len() >= MAX_BUCKETS && !self.map.contains_key(&ts.div_euclid(self.unit)) {
            self.coarsen_to(next_unit(self.unit));
        }
        self.map.entry(ts.div_euclid(self.unit)).or_default()
    }

    /// Re-buckets to a wider `unit` (a multiple of the current one).
    fn coarsen_to(&mut self, unit: i64) {
        while self.unit < unit {
            let next = next_unit(self.unit);
            let k = next / self.unit;
            let old = std::mem::take(&mut self.map);
            let ident: Vec<u32> = (0..TRACKED as u32).collect();
            for (key, b) in old {
                self.map
                    .entry(key.div_euclid(k))
                    .or_default()
                    .merge(&b, &ident, &ident);
            }
            self.unit = next;
        }
    }
}

/// One error template.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Template {
    pub count: u64,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    /// The id of the first entry seen (its `id` field, else `FILE@OFFSET`).
    pub example: String,
    /// Entries per service id.
    pub services: Vec<u64>,
}

/// Counters of the window before `--since` (for trends).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Prev {
    pub total: u64,
    pub errors: u64,
    pub warnings: u64,
}

/// A partial aggregate: one per chunk, merged in input order. Serialized (serde) as a
/// cluster's executor sends the partial of its split (`cluster::partial`); a decoded
/// one is merged, as `other`, into an aggregate built here.
#[derive(Debug, Serialize, Deserialize)]
pub struct Agg {
    pub total: u64,
    /// Per level (`Level as usize`), and entries without a level at index 6.
    pub levels: [u64; 7],
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub untimed: u64,
    pub services: Groups,
    pub sources: Groups,
    pub by: Vec<Groups>,
    pub buckets: Buckets,
    pub templates: HashMap<String, Template>,
    pub template_overflow: u64,
    /// The `--value` field over all entries.
    pub value: Sketch,
    pub counts: Vec<u64>,
    pub prev: Prev,
    #[serde(skip)]
    scratch: String,
}

impl Agg {
    pub fn new(sink: &StatsSink) -> Agg {
        Agg {
            total: 0,
            levels: [0; 7],
            first_ts: None,
            last_ts: None,
            untimed: 0,
            services: Groups::default(),
            sources: Groups::default(),
            by: sink.by.iter().map(|_| Groups::default()).collect(),
            buckets: Buckets::new(sink.unit),
            templates: HashMap::new(),
            template_overflow: 0,
            value: Sketch::new(),
            counts: vec![0; sink.counts.len()],
            prev: Prev::default(),
            scratch: String::new(),
        }
    }

    pub fn errors(&self) -> u64 {
        self.levels[Level::Error as usize] + self.levels[Level::Fatal as usize]
    }

    pub fn warnings(&self) -> u64 {
        self.levels[Level::Warn as usize]
    }

    /// Adds `other`, which comes after `self` in input order.
    pub fn merge(&mut self, other: Agg) {
        self.total += other.total;
        for (a, b) in self.levels.iter_mut().zip(other.levels) {
            *a += b;
        }
        self.first_ts = min_opt(self.first_ts, other.first_ts);
        self.last_ts = max_opt(self.last_ts, other.last_ts);
        self.untimed += other.untimed;
        let svc = self.services.merge(other.services);
        let src = self.sources.merge(other.sources);
        for (mine, theirs) in self.by.iter_mut().zip(other.by) {
            mine.merge(theirs);
        }
        let mut ob = other.buckets;
        if ob.unit < self.buckets.unit {
            ob.coarsen_to(self.buckets.unit);
        } else if ob.unit > self.buckets.unit {
            self.buckets.coarsen_to(ob.unit);
        }
        for (key, b) in ob.map {
            self.buckets
                .map
                .entry(key)
                .or_default()
                .merge(&b, &svc, &src);
        }
        while self.buckets.map.len() > MAX_BUCKETS {
            let next = next_unit(self.buckets.unit);
            self.buckets.coarsen_to(next);
        }
        for (name, t) in other.templates {
            let full = self.templates.len() >= MAX_TEMPLATES;
            match self.templates.get_mut(&name) {
                Some(mine) => {
                    mine.count += t.count;
                    mine.first_ts = min_opt(mine.first_ts, t.first_ts);
                    mine.last_ts = max_opt(mine.last_ts, t.last_ts);
                    for (i, &n) in t.services.iter().enumerate() {
                        bump(&mut mine.services, svc[i], n);
                    }
                }
                None if full => self.template_overflow += t.count,
                None => {
                    let mut services = Vec::new();
                    for (i, &n) in t.services.iter().enumerate() {
                        bump(&mut services, svc[i], n);
                    }
                    self.templates.insert(name, Template { services, ..t });
                }
            }
        }
        self.template_overflow += other.template_overflow;
        self.value.merge(&other.value);
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self.prev.total += other.prev.total;
        self.prev.errors += other.prev.errors;
        self.prev.warnings += other.prev.warnings;
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Raw bytes of a standard field (empty when absent) and a closure naming them.
fn raw_bytes<'r>(raw: Option<&'r Raw<'_>>) -> (&'r [u8], bool) {
    match raw {
        Some(Raw::Json(b)) => (b, true),
        Some(Raw::Text(b)) => (b, false),
        Some(Raw::Owned(s)) => (s.as_bytes(), false),
        None => (b"", false),
    }
}

fn display(raw: &[u8], json: bool) -> String {
    if raw.is_empty() {
        NONE.to_string()
    } else if json {
        crate::format::json::decode(raw).as_text().into_owned()
    } else {
        String::from_utf8_lossy(raw).into_owned()
    }
}

/// Whether the record passes a compiled query (for `count(QUERY)` alerts).
fn passes(node: &Node, raw: &[u8], rec: &Record<'_>) -> bool {
    match node {
        Node::All => true,
        Node::And(items) => items.iter().all(|n| passes(n, raw, rec)),
        Node::Or(items) => items.iter().any(|n| passes(n, raw, rec)),
        Node::Not(inner) => !passes(inner, raw, rec),
        Node::Text(t) => t.is_match(raw),
        Node::Field(target, test) => field_matches(rec, target, test),
    }
}

impl Sink for StatsSink {
    type Part = Agg;

    fn part(&self) -> Agg {
        Agg::new(self)
    }

    fn combines(&self) -> bool {
        true
    }

    fn combine(&self, part: &mut Agg, next: Agg) {
        part.merge(next);
    }

    fn matched(&self, agg: &mut Agg, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        let entry = hit.entry;
        let rec = hit.record();
        rec.prefetch(&[
            Field::Level,
            Field::Timestamp,
            Field::Service,
            Field::Source,
        ]);
        let level = rec.level();
        let is_err = level.is_some_and(|l| l >= Level::Error);
        let is_warn = level == Some(Level::Warn);
        let ts = self.entry_ts(rec);
        if let (Some(from), Some(t)) = (self.current_from, ts) {
            if t < from {
                agg.prev.total += 1;
                agg.prev.errors += u64::from(is_err);
                agg.prev.warnings += u64::from(is_warn);
                return Ok(true);
            }
        }
        agg.total += 1;
        agg.levels[level.map_or(6, |l| l as usize)] += 1;
        let (e, w) = (u64::from(is_err), u64::from(is_warn));

        let (raw, json) = raw_bytes(rec.raw(Field::Service));
        let svc = agg.services.id(raw, || display(raw, json));
        let g = &mut agg.services.groups[svc as usize];
        g.count += 1;
        g.errors += e;
        g.warnings += w;
        let (raw, json) = raw_bytes(rec.raw(Field::Source));
        let src = agg.sources.id(raw, || display(raw, json));
        let g = &mut agg.sources.groups[src as usize];
        g.count += 1;
        g.errors += e;
        g.warnings += w;

        let value = self.value.as_ref().and_then(|f| f.get(rec)?.number());
        if let Some(v) = value {
            agg.value.add(v);
            agg.services.groups[svc as usize]
                .value
                .get_or_insert_with(Sketch::new)
                .add(v);
            agg.sources.groups[src as usize]
                .value
                .get_or_insert_with(Sketch::new)
                .add(v);
        }
        for (field, groups) in self.by.iter().zip(agg.by.iter_mut()) {
            let found = field.get(rec);
            let raw = found.as_ref().map_or(&b""[..], |f| f.key());
            let id = groups.id(raw, || match &found {
                Some(f) => f.display(),
                None => NONE.to_string(),
            });
            let g = &mut groups.groups[id as usize];
            g.count += 1;
            g.errors += e;
            g.warnings += w;
            if let Some(v) = value {
                g.value.get_or_insert_with(Sketch::new).add(v);
            }
        }

        match ts {
            Some(t) => {
                agg.first_ts = Some(agg.first_ts.map_or(t, |f| f.min(t)));
                agg.last_ts = Some(agg.last_ts.map_or(t, |l| l.max(t)));
                let perf = match (&self.perf, &self.value) {
                    (Some(_), Some(_)) => value,
                    (Some(f), None) => f.get(rec).and_then(|v| v.number()),
                    _ => None,
                };
                let b = agg.buckets.get(t);
                b.total += 1;
                b.errors += e;
                b.warnings += w;
                bump(&mut b.services, svc, 1);
                bump(&mut b.service_errors, svc, e);
                bump(&mut b.sources, src, 1);
                if let Some(v) = perf {
                    b.perf.get_or_insert_with(Sketch::new).add(v);
                }
            }
            None => agg.untimed += 1,
        }

        if is_err {
            let msg = match rec.raw(Field::Message) {
                Some(raw) => raw.text(),
                None => rec.message(),
            };
            template::mask(&msg, &mut agg.scratch);
            let full = agg.templates.len() >= MAX_TEMPLATES;
            match agg.templates.get_mut(agg.scratch.as_str()) {
                Some(t) => {
                    t.count += 1;
                    t.first_ts = min_opt(t.first_ts, ts);
                    t.last_ts = max_opt(t.last_ts, ts);
                    bump(&mut t.services, svc, 1);
                }
                None if full => agg.template_overflow += 1,
                None => {
                    let example = match rec.raw(Field::Id) {
                        Some(id) => id.text().into_owned(),
                        None => format!("{}@{}", source.name, entry.offset),
                    };
                    let mut services = Vec::new();
                    bump(&mut services, svc, 1);
                    agg.templates.insert(
                        agg.scratch.clone(),
                        Template {
                            count: 1,
                            first_ts: ts,
                            last_ts: ts,
                            example,
                            services,
                        },
                    );
                }
            }
        }

        for (node, n) in self.counts.iter().zip(agg.counts.iter_mut()) {
            if passes(node, entry.raw, rec) {
                *n += 1;
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_units_divide_each_other() {
        let mut u = SEC;
        for _ in 0..20 {
            let n = next_unit(u);
            assert!(n > u && n % u == 0, "{u} -> {n}");
            u = n;
        }
        assert_eq!(next_unit(7 * SEC), 14 * SEC);
    }

    #[test]
    fn coarsening_keeps_totals() {
        let mut b = Buckets::new(SEC);
        for i in 0..(MAX_BUCKETS as i64 * 3) {
            let bucket = b.get(i * SEC + 5);
            bucket.total += 1;
            bump(&mut bucket.services, (i % 3) as u32, 1);
        }
        assert!(b.map.len() <= MAX_BUCKETS);
        assert!(b.unit > SEC);
        let total: u64 = b.map.values().map(|x| x.total).sum();
        assert_eq!(total, MAX_BUCKETS as u64 * 3);
        let svc0: u64 = b
            .map
            .values()
            .map(|x| x.services.first().copied().unwrap_or(0))
            .sum();
        assert_eq!(svc0, MAX_BUCKETS as u64);
    }
}
