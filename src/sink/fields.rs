//! The fields sink: for every field seen in the matching entries (the LogEntry fields
//! and metadata paths), how many entries have it, its JSON types and its value counts.
//!
//! Memory is bounded whatever the logs hold:
//! - field names: the first [`FIELD_CAP`] distinct names (in order of appearance within
//!   each chunk) are tracked in full; past them a name is only counted, as a 64-bit hash
//!   with its occurrences ([`Overflow`]), so the output can say how many more fields
//!   there were and how often they occurred (exact up to [`OVERFLOW_NAMES_CAP`] names);
//! - values: counted exactly up to [`VALUE_CAP`] distinct values per field; past that,
//!   new values are no longer tracked and the field is marked as capped; and all fields
//!   of a table together keep at most [`VALUE_BYTES_CAP`] of values, past which a new
//!   value is not tracked and its field is marked partial.
//!
//! Not here: rendering, which is the command's job.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::format::alias::Field;
use crate::format::level::Level;
use crate::format::timestamp;
use crate::sink::Sink;
use crate::sink::{Counted, Hit, Source};

/// Distinct values tracked per field.
pub const VALUE_CAP: usize = 10_000;
/// Distinct field names tracked in full.
pub const FIELD_CAP: usize = 10_000;
/// Distinct names past [`FIELD_CAP`] that are still told apart (16 bytes each, plus
/// the hash map's overhead); past them the count of further names is a lower bound.
pub const OVERFLOW_NAMES_CAP: usize = 1_000_000;
/// Bytes of values (text plus an estimate of the map's overhead) kept per table.
pub const VALUE_BYTES_CAP: usize = 256 << 20;
/// Estimated overhead of one tracked value besides its text.
const VALUE_OVERHEAD: usize = 48;

/// What is known about one field.
#[derive(Debug, Default, Clone)]
pub struct FieldAcc {
    /// Entries that have the field.
    pub present: u64,
    pub types: BTreeSet<&'static str>,
    pub values: HashMap<String, u64>,
    /// More than [`VALUE_CAP`] distinct values were seen; counts cover the first ones.
    pub capped: bool,
    /// Some occurrences' values were not counted (the value budget was spent, or a
    /// chunk met the name after its own [`FIELD_CAP`]): the values are a lower bound.
    pub partial: bool,
}

/// Field names past [`FIELD_CAP`]: each name's hash with its occurrences.
#[derive(Debug, Default)]
pub struct Overflow {
    names: HashMap<u64, u64>,
    /// Occurrences of all those names (entries that had one, summed over names).
    pub occurrences: u64,
    /// More than [`OVERFLOW_NAMES_CAP`] names: `count` is a lower bound.
    pub inexact: bool,
}

impl Overflow {
    /// Distinct field names that were not tracked.
    pub fn count(&self) -> usize {
        self.names.len()
    }

    fn add(&mut self, hash: u64, n: u64) {
        self.occurrences += n;
        if let Some(c) = self.names.get_mut(&hash) {
            *c += n;
        } else if self.names.len() < OVERFLOW_NAMES_CAP {
            self.names.insert(hash, n);
        } else {
            self.inexact = true;
        }
    }
}

/// The hash overflowed names are known by: one random key per process, so that all
/// tables agree and a log cannot choose names that collide.
fn name_hash(name: &str) -> u64 {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    KEYS.get_or_init(RandomState::new).hash_one(name)
}

/// The fields of a set of entries.
#[derive(Debug, Default)]
pub struct FieldTable {
    pub entries: u64,
    /// Entries without a level counted from index summaries (`Fields::levels_only`):
    /// their other fields (a `metadata.level`) were not read.
    pub unread: u64,
    pub fields: BTreeMap<String, FieldAcc>,
    pub overflow: Overflow,
    /// Bytes of values held, against [`VALUE_BYTES_CAP`].
    value_bytes: usize,
}

impl FieldTable {
    fn see(&mut self, name: &str, ty: &'static str, values: impl IntoIterator<Item = String>) {
        self.see_n(name, ty, values, 1);
    }

    /// `n` entries that have the field with these values.
    fn see_n(
        &mut self,
        name: &str,
        ty: &'static str,
        values: impl IntoIterator<Item = String>,
        n: u64,
    ) {
        let room = self.fields.len() < FIELD_CAP;
        let acc = match self.fields.get_mut(name) {
            Some(a) => a,
            None if room => self.fields.entry(name.to_string()).or_default(),
            None => {
                self.overflow.add(name_hash(name), 1);
                return;
            }
        };
        acc.present += n;
        acc.types.insert(ty);
        for v in values {
            add_value(acc, &mut self.value_bytes, v, n);
        }
    }

    /// Adds another table (a later chunk) into this one.
    pub fn merge(&mut self, other: FieldTable) {
        self.entries += other.entries;
        self.unread += other.unread;
        for (name, acc) in other.fields {
            let room = self.fields.len() < FIELD_CAP;
            let mine = match self.fields.get_mut(&name) {
                Some(mine) => mine,
                None if room => self.fields.entry(name).or_default(),
                None => {
                    self.overflow.add(name_hash(&name), acc.present);
                    continue;
                }
            };
            mine.present += acc.present;
            mine.types.extend(acc.types);
            mine.capped |= acc.capped;
            mine.partial |= acc.partial;
            for (v, n) in acc.values {
                add_value(mine, &mut self.value_bytes, v, n);
            }
        }
        self.merge_overflow(other.overflow);
    }

    /// Names the other table could not track: counted for a field tracked here (its
    /// presence exact, its values partial), else added to this table's overflow.
    fn merge_overflow(&mut self, other: Overflow) {
        // Occurrences of names past the other table's cap of names told apart.
        let told: u64 = other.names.values().sum();
        self.overflow.occurrences += other.occurrences - told;
        if other.names.is_empty() {
            self.overflow.inexact |= other.inexact;
            return;
        }
        let tracked: HashMap<u64, String> = self
            .fields
            .keys()
            .map(|name| (name_hash(name), name.clone()))
            .collect();
        for (hash, n) in other.names {
            match tracked
                .get(&hash)
                .and_then(|name| self.fields.get_mut(name))
            {
                Some(acc) => {
                    acc.present += n;
                    acc.partial = true;
                }
                None => self.overflow.add(hash, n),
            }
        }
        self.overflow.inexact |= other.inexact;
    }
}

/// Counts one value of a field, within the per-field and per-table caps.
fn add_value(acc: &mut FieldAcc, bytes: &mut usize, v: String, n: u64) {
    if let Some(c) = acc.values.get_mut(&v) {
        *c += n;
    } else if acc.values.len() >= VALUE_CAP {
        acc.capped = true;
    } else if *bytes + v.len() + VALUE_OVERHEAD > VALUE_BYTES_CAP {
        acc.partial = true;
    } else {
        *bytes += v.len() + VALUE_OVERHEAD;
        acc.values.insert(v, n);
    }
}

/// The fields sink; `only` restricts it to the names of one field (`fields NAME`),
/// which then is never past a cap of names. With `levels_only` (`fields level`), a
/// block whose matches an index summary counts by level is taken as those counts,
/// not read; its entries without a level are counted in `FieldTable::unread`.
#[derive(Default)]
pub struct Fields {
    pub only: Option<Vec<String>>,
    pub levels_only: bool,
}

impl Fields {
    fn wants(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n == name))
    }
}

/// A JSON value's type name.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value as counted: strings as they are, others as JSON text.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

impl Fields {
    fn see_meta(&self, table: &mut FieldTable, obj: &Map<String, Value>, prefix: &str) {
        for (k, v) in obj {
            let path = format!("{prefix}{k}");
            match v {
                Value::Object(inner) if !inner.is_empty() => {
                    self.see_meta(table, inner, &format!("{path}."))
                }
                v if self.wants(&path) => table.see(&path, type_name(v), [value_text(v)]),
                _ => {}
            }
        }
    }

    /// A standard field, when wanted; `values` is only built then.
    fn see_std<I: IntoIterator<Item = String>>(
        &self,
        table: &mut FieldTable,
        name: &str,
        ty: &'static str,
        values: impl FnOnce() -> Option<I>,
    ) {
        if self.wants(name) {
            if let Some(values) = values() {
                table.see(name, ty, values);
            }
        }
    }
}

impl Sink for Fields {
    type Part = FieldTable;

    fn part(&self) -> FieldTable {
        FieldTable::default()
    }

    fn matched(&self, part: &mut FieldTable, hit: &mut Hit, _: &Source) -> Result<bool, Error> {
        let rec = hit.record();
        part.entries += 1;
        self.see_std(part, "timestamp", "time", || {
            rec.ts().map(|ts| [timestamp::format_rfc3339_ms(ts)])
        });
        self.see_std(part, "level", "level", || {
            rec.level().map(|l| [Level::as_str(l).to_string()])
        });
        self.see_std(part, "message", "string", || {
            let message = rec.message();
            (!message.is_empty()).then(|| [message.into_owned()])
        });
        // The text-valued fields (time, level, message and tags are shown above).
        let text_fields = Field::ALL.into_iter().filter(|f| {
            !matches!(
                f,
                Field::Timestamp | Field::Level | Field::Message | Field::Tags
            )
        });
        for f in text_fields {
            self.see_std(part, f.json_name(), "string", || {
                rec.text(f).map(|v| [v.into_owned()])
            });
        }
        self.see_std(part, "tags", "array", || {
            let tags = rec.tags();
            (!tags.is_empty()).then(|| tags.into_iter().map(|t| t.into_owned()))
        });
        let wants_meta = self
            .only
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n.starts_with("metadata.")));
        if wants_meta {
            self.see_meta(part, &rec.metadata_json(), "metadata.");
        }
        Ok(true)
    }

    fn takes_counts(&self) -> bool {
        self.levels_only
    }

    fn add_counted(&self, part: &mut FieldTable, counted: &Counted) {
        part.entries += counted.total();
        part.unread += counted.levelless;
        for (level, &n) in Level::ALL.iter().zip(&counted.by_level) {
            if n > 0 {
                part.see_n("level", "level", [level.as_str().to_string()], n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_with(names: impl IntoIterator<Item = String>) -> FieldTable {
        let mut t = FieldTable::default();
        for name in names {
            t.entries += 1;
            t.see(&name, "number", ["1".to_string()]);
        }
        t
    }

    #[test]
    fn names_past_the_cap_are_counted_not_kept() {
        let n = FIELD_CAP + 2_500;
        let t = table_with(
            (0..n)
                .map(|i| format!("k{i}"))
                .chain(["k5".into(), "k10001".into()]),
        );
        assert_eq!(t.fields.len(), FIELD_CAP);
        assert_eq!(t.overflow.count(), 2_500);
        assert_eq!(t.overflow.occurrences, 2_501);
        assert_eq!(t.fields["k5"].present, 2);
    }

    #[test]
    fn merging_chunks_keeps_presence_exact() {
        // Chunk 1 keeps a..; chunk 2 meets "shared" only past its own cap.
        let first = table_with((0..10).map(|i| format!("a{i}")).chain(["shared".into()]));
        let mut second = table_with((0..FIELD_CAP).map(|i| format!("b{i}")));
        second.entries += 1;
        second.see("shared", "number", ["1".to_string()]);
        assert_eq!(second.overflow.count(), 1);
        let mut all = first;
        all.merge(second);
        assert_eq!(all.fields.len(), FIELD_CAP);
        let shared = &all.fields["shared"];
        assert_eq!((shared.present, shared.partial), (2, true));
        // 11 + 10,000 distinct names; 10,000 kept, "shared" among them.
        assert_eq!(all.overflow.count(), 11);
        assert_eq!(all.overflow.occurrences, 11);
    }

    #[test]
    fn the_value_budget_stops_new_values() {
        let mut t = FieldTable::default();
        let big = "x".repeat(VALUE_BYTES_CAP / 3);
        for i in 0..4 {
            t.see("m", "string", [format!("{i}{big}")]);
        }
        let m = &t.fields["m"];
        assert_eq!((m.present, m.values.len(), m.partial), (4, 2, true));
    }
}
