//! The fields sink: for every field seen in the matching entries (the LogEntry fields
//! and metadata paths), how many entries have it, its JSON types and its value counts.
//!
//! Values are counted exactly up to [`VALUE_CAP`] distinct values per field; past that,
//! new values are no longer tracked and the field is marked as sampled, so memory stays
//! bounded on high-cardinality fields (messages, ids, timestamps). Rendering is the
//! command's job.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::entry::Field;
use crate::format::level::Level;
use crate::format::timestamp;
use crate::scan::{Hit, Source};
use crate::sink::Sink;

/// Distinct values tracked per field.
pub const VALUE_CAP: usize = 10_000;

/// What is known about one field.
#[derive(Debug, Default, Clone)]
pub struct FieldAcc {
    /// Entries that have the field.
    pub present: u64,
    pub types: BTreeSet<&'static str>,
    pub values: HashMap<String, u64>,
    /// More than [`VALUE_CAP`] distinct values were seen; counts cover the first ones.
    pub capped: bool,
}

impl FieldAcc {
    fn add_value(&mut self, v: String, n: u64) {
        if let Some(c) = self.values.get_mut(&v) {
            *c += n;
        } else if self.values.len() < VALUE_CAP {
            self.values.insert(v, n);
        } else {
            self.capped = true;
        }
    }
}

/// The fields of a set of entries.
#[derive(Debug, Default)]
pub struct FieldTable {
    pub entries: u64,
    pub fields: BTreeMap<String, FieldAcc>,
}

impl FieldTable {
    fn see(&mut self, name: &str, ty: &'static str, values: impl IntoIterator<Item = String>) {
        let acc = match self.fields.get_mut(name) {
            Some(a) => a,
            None => self.fields.entry(name.to_string()).or_default(),
        };
        acc.present += 1;
        acc.types.insert(ty);
        for v in values {
            acc.add_value(v, 1);
        }
    }

    /// Adds another table (a later chunk) into this one.
    pub fn merge(&mut self, other: FieldTable) {
        self.entries += other.entries;
        for (name, acc) in other.fields {
            let mine = self.fields.entry(name).or_default();
            mine.present += acc.present;
            mine.types.extend(acc.types);
            mine.capped |= acc.capped;
            for (v, n) in acc.values {
                mine.add_value(v, n);
            }
        }
    }
}

/// The fields sink.
pub struct Fields;

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

fn see_meta(table: &mut FieldTable, obj: &Map<String, Value>, prefix: &str) {
    for (k, v) in obj {
        let path = format!("{prefix}{k}");
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                see_meta(table, inner, &format!("{path}."))
            }
            v => table.see(&path, type_name(v), [value_text(v)]),
        }
    }
}

impl Sink for Fields {
    type Part = FieldTable;

    fn part(&self) -> FieldTable {
        FieldTable::default()
    }

    fn matched(&self, part: &mut FieldTable, hit: &mut Hit<'_, '_>, _: &Source) -> bool {
        let rec = hit.record();
        part.entries += 1;
        if let Some(ts) = rec.ts() {
            part.see("timestamp", "time", [timestamp::format_rfc3339_ms(ts)]);
        }
        if let Some(l) = rec.level() {
            part.see("level", "level", [Level::as_str(l).to_string()]);
        }
        let message = rec.message();
        if !message.is_empty() {
            part.see("message", "string", [message.into_owned()]);
        }
        for f in [
            Field::Id,
            Field::Service,
            Field::Source,
            Field::TraceId,
            Field::SpanId,
            Field::UserId,
            Field::RequestId,
        ] {
            if let Some(v) = rec.text(f) {
                part.see(f.json_name(), "string", [v.into_owned()]);
            }
        }
        let tags = rec.tags();
        if !tags.is_empty() {
            part.see("tags", "array", tags.into_iter().map(|t| t.into_owned()));
        }
        see_meta(part, &rec.metadata_json(), "metadata.");
        true
    }
}
