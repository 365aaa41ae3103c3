//! One block's summary and the sink that builds them. A block is about 1 MiB of
//! consecutive whole entries; its summary holds what a query can rule out by: the
//! levels present, the time span, the entries per service and level (up to
//! `MAX_SERVICES` services; what a level-and-service count adds up), and two binary
//! fuse filters (`xorf`): one over the hashes of every value of the id-like fields
//! (`query::need::VALUE_FIELDS`), one over every word (`query::words`), kept in two
//! sections of the index file so a lookup by id never reads the words. It answers the query's
//! `Facts`; it is not a place for anything a query cannot ask.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use xorf::{BinaryFuse8, BinaryFuse8Ref, DmaSerializable, Filter, FilterRef};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::error::Error;
use crate::format::ansi;
use crate::format::level::Level;
use crate::format::record::Field;
use crate::query::compile::Bound;
use crate::query::need::{level_bit, span_may_overlap, Facts, LevelService, VALUE_FIELDS};
use crate::query::words::{each_word_key, word_key};
use crate::sink::{Counted, Hit, Sink, Source};

/// Target size of a block; a block ends at the first entry boundary past it (and at
/// every chunk boundary of the scan that builds it).
pub const BLOCK_BYTES: u64 = 1 << 20;
/// Services counted by name per block; past that the filter alone answers.
pub const MAX_SERVICES: usize = 16;
/// Shorter words are not recorded (and a query never rules a block out by one).
pub const MIN_WORD: usize = 3;
/// Slots of the builder's cache of recent word keys.
const RECENT: usize = 1024;

/// What a finished block records.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub start: u64,
    pub end: u64,
    pub first_line: u64,
    pub last_line: u64,
    pub entries: u64,
    /// Bit i: an entry has level `Level::ALL[i]`.
    pub levels: u8,
    /// Earliest and latest timestamp, when any entry has one.
    pub span: Option<(i64, i64)>,
    /// Entries per service (lowercased; `None`: entries without one) and level (in
    /// `Level::ALL` order); `None` when there were more than `MAX_SERVICES` services.
    pub table: Option<Vec<Row>>,
    /// The fuse filter over field-value hashes, in the index's values section; `None`
    /// when no entry has one of the fields.
    pub values: Option<FilterAt>,
    /// The fuse filter over word hashes, in the words section; `None`: no words.
    pub words: Option<FilterAt>,
}

/// Where a block's filter lies in its section, with its descriptor (as `xorf`
/// serializes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterAt {
    pub descriptor: [u8; DESCRIPTOR_LEN],
    pub offset: u64,
    pub len: u64,
}

/// Bytes of a serialized filter descriptor.
pub const DESCRIPTOR_LEN: usize = <BinaryFuse8 as DmaSerializable>::DESCRIPTOR_LEN;

impl FilterAt {
    /// Whether the descriptor's shape lets `contains` index only inside `len` bytes.
    pub fn is_sound(&self) -> bool {
        let d = &self.descriptor;
        let word = |i: usize| u64::from(u32::from_le_bytes(d[i..i + 4].try_into().expect("4")));
        let (length, mask, count) = (word(8), word(12), word(16));
        length.is_power_of_two()
            && mask == length - 1
            && count % length == 0
            && count + 2 * length <= self.len
            && self.len <= u64::from(u32::MAX)
    }

    fn contains(&self, section: &[u8], k: u64) -> bool {
        let (at, len) = (self.offset as usize, self.len as usize);
        match section.get(at..at + len) {
            Some(fps) => BinaryFuse8Ref::from_dma(&self.descriptor, fps).contains(&k),
            None => true,
        }
    }
}

/// A service's entries per level.
pub type Row = (Option<String>, [u32; 6]);

/// Hash of a field's value (`tag` 1 + its place in `VALUE_FIELDS`); a word's is
/// `words::word_key`.
pub fn key(tag: u64, bytes: &[u8]) -> u64 {
    xxh3_64_with_seed(bytes, tag)
}

fn field_tag(field: Field) -> u64 {
    1 + VALUE_FIELDS.iter().position(|f| *f == field).unwrap_or(0) as u64
}

/// A block with the filter sections it is asked through (`None`: not loaded, so its
/// filters answer "maybe").
pub struct View<'a> {
    pub block: &'a Block,
    pub values: Option<&'a [u8]>,
    pub words: Option<&'a [u8]>,
}

/// What a filter says of `k`: no filter means no keys at all.
fn filter_has(filter: &Option<FilterAt>, section: Option<&[u8]>, k: u64) -> bool {
    match (filter, section) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(f), Some(bytes)) => f.contains(bytes, k),
    }
}

impl Facts for View<'_> {
    fn has_word(&self, word: &[u8]) -> bool {
        word.len() < MIN_WORD || filter_has(&self.block.words, self.words, word_key(word))
    }

    fn has_value(&self, field: Field, value: &str) -> bool {
        if field == Field::Service {
            if let Some(table) = &self.block.table {
                return table.iter().any(|(s, _)| s.as_deref() == Some(value));
            }
        }
        let k = key(field_tag(field), value.as_bytes());
        filter_has(&self.block.values, self.values, k)
    }

    fn has_level(&self, mask: u8) -> bool {
        self.block.levels & mask != 0
    }

    fn has_time(&self, lo: &Bound<i64>, hi: &Bound<i64>) -> bool {
        span_may_overlap(self.block.span, lo, hi)
    }
}

impl Block {
    /// The entries of the block that match `q`, by level, from the table (`None`: no
    /// table, or entries without a level of one service, which it does not count).
    pub fn count(&self, q: &LevelService) -> Option<Counted> {
        let table = self.table.as_ref()?;
        let mut counted = Counted::default();
        let rows = table
            .iter()
            .filter(|(s, _)| q.service.is_none() || s.as_deref() == q.service.as_deref());
        for (_, counts) in rows {
            for (i, n) in counts.iter().enumerate() {
                if q.levels & (1 << i) != 0 {
                    counted.by_level[i] += u64::from(*n);
                }
            }
        }
        if q.levelless {
            if q.service.is_some() {
                return None;
            }
            let leveled: u64 = table
                .iter()
                .flat_map(|(_, c)| c)
                .map(|&n| u64::from(n))
                .sum();
            counted.levelless = self.entries.checked_sub(leveled)?;
        }
        Some(counted)
    }
}

/// A finished block with its filters' bytes (offsets relative to them), before they
/// are laid out in the index's sections.
pub struct Built {
    pub block: Block,
    pub values: Vec<u8>,
    pub words: Vec<u8>,
}

/// A set of key hashes: the keys are hashes already, so the set's hasher passes them
/// through (repeated words, such as every entry's JSON keys, are kept once as they
/// come instead of sorted out at the end).
type Keys = HashSet<u64, BuildHasherDefault<PassThrough>>;

#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A filter over `keys`, serialized.
fn filter_of(keys: &Keys) -> Result<Filtered, Error> {
    if keys.is_empty() {
        return Ok(None);
    }
    let keys: Vec<u64> = keys.iter().copied().collect();
    let filter = BinaryFuse8::try_from(&keys)
        .map_err(|e| Error::new("index", format!("filter not built: {e}")))?;
    let mut descriptor = [0u8; DESCRIPTOR_LEN];
    filter.dma_copy_descriptor_to(&mut descriptor);
    let bytes = filter.dma_fingerprints().to_vec();
    let at = FilterAt {
        descriptor,
        offset: 0,
        len: bytes.len() as u64,
    };
    Ok(Some((at, bytes)))
}

/// A block being filled by the builder.
#[derive(Debug, Default)]
pub struct Acc {
    pub start: u64,
    pub first_line: u64,
    pub last_line: u64,
    levels: u8,
    span: Option<(i64, i64)>,
    table: Option<Vec<Row>>,
    values: Keys,
    words: Keys,
    /// The last key seen in each slot (`add_words`); 0 is a key no word is likely to
    /// have, and one that only costs a set insert if it is.
    recent: Vec<u64>,
    /// The filters, once built from the sets (which are then dropped).
    sealed: Option<Sealed>,
    /// A timestamp of this block would read differently with another file date.
    pub dated: bool,
    probed: bool,
}

/// A serialized filter and where it sits, if the block has any keys of its kind.
type Filtered = Option<(FilterAt, Vec<u8>)>;

/// A block's two filters, built.
#[derive(Debug)]
struct Sealed {
    values: Filtered,
    words: Filtered,
}

impl Acc {
    /// A block with no entries from `start` (bytes an entry-by-entry scan found none in).
    pub fn empty(start: u64, line: u64) -> Acc {
        Acc::new(start, line)
    }

    fn new(start: u64, line: u64) -> Acc {
        Acc {
            start,
            first_line: line,
            last_line: line,
            table: Some(Vec::new()),
            recent: vec![0; RECENT],
            ..Acc::default()
        }
    }

    /// The finished block over `start..end` with `entries` entries.
    pub fn finish(mut self, end: u64, entries: u64) -> Result<Built, Error> {
        self.seal()?;
        let Sealed { values, words } = self.sealed.expect("sealed just above");
        let (values, value_bytes) = values.map_or((None, Vec::new()), |(a, b)| (Some(a), b));
        let (words, word_bytes) = words.map_or((None, Vec::new()), |(a, b)| (Some(a), b));
        let block = Block {
            start: self.start,
            end,
            first_line: self.first_line,
            last_line: self.last_line,
            entries,
            levels: self.levels,
            span: self.span,
            table: self.table,
            values,
            words,
        };
        Ok(Built {
            block,
            values: value_bytes,
            words: word_bytes,
        })
    }

    /// Builds the filters from the key sets and drops the sets: the scanner calls it
    /// as soon as a block's last entry is in, so at most a few blocks per worker hold
    /// their sets, however large the file.
    pub fn seal(&mut self) -> Result<(), Error> {
        if self.sealed.is_none() {
            self.sealed = Some(Sealed {
                values: filter_of(&std::mem::take(&mut self.values))?,
                words: filter_of(&std::mem::take(&mut self.words))?,
            });
            self.recent = Vec::new();
        }
        Ok(())
    }

    /// A block of `start..` whose value and word filters hold `keys` (for tests).
    #[cfg(test)]
    pub fn sample(start: u64, keys: Vec<u64>) -> Acc {
        Acc {
            values: keys.iter().copied().collect(),
            words: keys.into_iter().collect(),
            ..Acc::new(start, 1)
        }
    }

    /// Adds the keys of the words of `raw`. A word seen just before (most of an
    /// entry's words are its neighbours': keys, levels, services) is caught by a small
    /// direct-mapped cache of recent keys before the set.
    fn add_words(&mut self, raw: &[u8]) {
        let (keys, recent) = (&mut self.words, &mut self.recent);
        each_word_key(raw, MIN_WORD, |k| {
            let slot = &mut recent[k as usize % RECENT];
            if *slot != k {
                *slot = k;
                keys.insert(k);
            }
        });
    }

    /// Adds the key of a field's value, lowercased.
    fn add_value(&mut self, field: Field, value: &str) {
        let mut buf = [0u8; 64];
        let k = key(field_tag(field), lowercase(value, &mut buf).as_bytes());
        self.values.insert(k);
    }

    /// Counts an entry in its service's row (a new row while there is room).
    fn count(&mut self, service: Option<&str>, level: Option<Level>) {
        let Some(table) = &mut self.table else {
            return;
        };
        let at = match table.iter().position(|(s, _)| s.as_deref() == service) {
            Some(at) => at,
            None if table.len() > MAX_SERVICES => {
                self.table = None;
                return;
            }
            None => {
                table.push((service.map(str::to_string), [0; 6]));
                table.len() - 1
            }
        };
        if let Some(level) = level {
            table[at].1[level.index()] += 1;
        }
    }
}

/// `value` lowercased: in `buf` when it is short ASCII (every entry has a service and
/// most of its ids are), else a new string.
fn lowercase<'b>(value: &str, buf: &'b mut [u8; 64]) -> Cow<'b, str> {
    match buf.get_mut(..value.len()) {
        Some(low) if value.is_ascii() => {
            low.copy_from_slice(value.as_bytes());
            low.make_ascii_lowercase();
            Cow::Borrowed(std::str::from_utf8(low).expect("ASCII is UTF-8"))
        }
        _ => Cow::Owned(value.to_lowercase()),
    }
}

/// The sink that summarizes every entry of a scan into blocks (a part per chunk).
pub struct Summarize {
    /// The time context with a file date a year later, to tell whether timestamps
    /// depend on the file's date (then a grown file is re-indexed whole).
    pub later: crate::format::timestamp::TimeCtx,
}

/// The standard fields a summary reads, read together in one walk of a JSON entry.
const READ: [Field; 9] = [
    Field::Level,
    Field::Timestamp,
    Field::Id,
    Field::Service,
    Field::Source,
    Field::TraceId,
    Field::SpanId,
    Field::UserId,
    Field::RequestId,
];

impl Sink for Summarize {
    type Part = Vec<Acc>;

    fn part(&self) -> Vec<Acc> {
        Vec::new()
    }

    fn matched(&self, part: &mut Vec<Acc>, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        let (offset, line, raw) = (hit.entry.offset, hit.entry.line, hit.entry.raw);
        if part
            .last()
            .is_none_or(|acc| offset - acc.start >= BLOCK_BYTES)
        {
            if let Some(done) = part.last_mut() {
                done.seal()?;
            }
            part.push(Acc::new(offset, line));
        }
        let acc = part.last_mut().expect("a block was just pushed");
        acc.last_line = line;
        acc.add_words(raw);
        if ansi::has_escape(raw) {
            acc.add_words(&ansi::strip(raw));
        }
        let rec = hit.record();
        rec.prefetch(&READ);
        let level = rec.level();
        if let Some(level) = level {
            acc.levels |= level_bit(level);
        }
        if let Some(t) = rec.ts() {
            acc.span = Some(acc.span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
            if !acc.probed {
                acc.probed = true;
                acc.dated =
                    rec.date_inferred || source.format.parse(raw, &self.later).ts() != Some(t);
            }
        }
        for field in VALUE_FIELDS {
            if let Some(v) = rec.text(field) {
                acc.add_value(field, &v);
            }
        }
        let mut buf = [0u8; 64];
        let service = rec.text(Field::Service);
        let service = service.as_deref().map(|v| lowercase(v, &mut buf));
        acc.count(service.as_deref(), level);
        Ok(true)
    }
}
