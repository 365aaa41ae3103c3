//! Entries as rows of the LogEntry columns, for DataFusion.
//!
//! `Rows` wraps the command's own rendering sink (the printer of `search --json`, the
//! exporter of `export`): for every entry the scan hands it, the wrapped sink renders
//! the entry exactly as the local engine would, and `Rows` appends, in the same item
//! (so the local time merge of several inputs orders them), the values the columns of
//! [`COLUMNS`] take, read from the entry's record by the same accessors the local
//! predicate uses. `Batch` decodes items into Arrow arrays. The item layout is private
//! to this module: each column in [`COLUMNS`] order as a little-endian `u32` length and
//! its bytes (`u32::MAX` for null), the rendered output last.

use std::sync::{Arc, RwLock};

use datafusion::arrow::array::{
    ArrayRef, BinaryBuilder, RecordBatch, StringBuilder, TimestampNanosecondBuilder, UInt32Builder,
    UInt64Builder, UInt8Builder,
};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef, TimeUnit};

use crate::error::Error;
use crate::format::alias::Field;
use crate::format::{timestamp, Format};
use crate::sink::print::{Item, Printed};
use crate::sink::{Hit, Sink, Source};

/// What a column holds and how it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// The entry's text as read (text terms match it).
    Raw,
    /// The entry's format, as an index into the scan's `Formats`.
    Format,
    /// UTC nanoseconds.
    Timestamp,
    /// The timestamp as RFC 3339 with milliseconds (what `timestamp:2024-01-15T14`
    /// matches a prefix of).
    TimestampText,
    /// The level's rank, `TRACE` 0 to `FATAL` 5; null when none of the six.
    Severity,
    /// The level's name, or the level as written when it is none of the six.
    Level,
    /// The message (never null).
    Message,
    /// One of the text fields read by `Record::text`.
    Text(Field),
}

/// The columns, in table order, with their names. The row number (`row`) and the
/// rendered output (`out`) come after them.
pub const COLUMNS: [(Col, &str); 14] = [
    (Col::Raw, "raw"),
    (Col::Format, FORMAT),
    (Col::Timestamp, "timestamp"),
    (Col::TimestampText, "timestamp_text"),
    (Col::Severity, "severity"),
    (Col::Level, "level"),
    (Col::Message, "message"),
    (Col::Text(Field::Service), "service"),
    (Col::Text(Field::Source), "source"),
    (Col::Text(Field::Id), "id"),
    (Col::Text(Field::TraceId), "trace_id"),
    (Col::Text(Field::SpanId), "span_id"),
    (Col::Text(Field::UserId), "user_id"),
    (Col::Text(Field::RequestId), "request_id"),
];

/// The columns after `COLUMNS` that are not read from a record.
pub const ROW: &str = "row";
/// The column of the entry's format (in `COLUMNS`).
pub const FORMAT: &str = "format";
pub const OUT: &str = "out";

/// The column that holds a text field, if any.
pub fn text_column(field: Field) -> Option<&'static str> {
    COLUMNS
        .iter()
        .find_map(|&(c, name)| (c == Col::Text(field)).then_some(name))
}

fn data_type(col: Col) -> DataType {
    match col {
        Col::Raw => DataType::Binary,
        Col::Format => DataType::UInt32,
        Col::Timestamp => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
        Col::Severity => DataType::UInt8,
        Col::TimestampText | Col::Level | Col::Message | Col::Text(_) => DataType::Utf8,
    }
}

/// The table's schema: the columns, then `row` and `out`.
pub fn schema() -> SchemaRef {
    let mut fields: Vec<ArrowField> = COLUMNS
        .iter()
        .copied()
        .map(|(c, name)| {
            ArrowField::new(
                name,
                data_type(c),
                !matches!(c, Col::Raw | Col::Format | Col::Message),
            )
        })
        .collect();
    fields.push(ArrowField::new(ROW, DataType::UInt64, false));
    fields.push(ArrowField::new(OUT, DataType::Binary, false));
    Arc::new(Schema::new(fields))
}

/// The formats of a scan's inputs, numbered as the `format` column numbers them.
#[derive(Debug, Default, Clone)]
pub struct Formats(Arc<RwLock<Vec<Format>>>);

impl Formats {
    /// The number of `format`, added when new.
    fn code(&self, format: Format) -> u32 {
        if let Some(i) = self.read().iter().position(|&f| f == format) {
            return i as u32;
        }
        let mut all = self.0.write().unwrap_or_else(|e| e.into_inner());
        match all.iter().position(|&f| f == format) {
            Some(i) => i as u32,
            None => {
                all.push(format);
                (all.len() - 1) as u32
            }
        }
    }

    /// The format numbered `code`.
    pub fn get(&self, code: u32) -> Option<Format> {
        self.read().get(code as usize).copied()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Format>> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// The rendering sink `S`, with each item carrying its row's column values.
pub struct Rows<'s, S> {
    pub inner: &'s S,
    pub formats: Formats,
}

impl<S: Sink<Part = Printed>> Sink for Rows<'_, S> {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        let start = part.buf.len();
        let items = part.items.len();
        let go_on = self.inner.matched(part, hit, source)?;
        if part.items.len() == items {
            // The sink rendered nothing for this entry: it has no row.
            part.buf.truncate(start);
            return Ok(go_on);
        }
        let ts = part.items.last().and_then(|i| i.ts);
        let out = part.buf.split_off(start);
        part.items.truncate(items);
        let code = self.formats.code(hit.format);
        let raw = hit.entry.raw;
        let rec = hit.record();
        rec.prefetch(&Field::ALL);
        let t = rec.ts();
        let level = rec.level();
        for (col, _) in COLUMNS {
            let value: Option<Vec<u8>> = match col {
                Col::Raw => Some(raw.to_vec()),
                Col::Format => Some(code.to_le_bytes().to_vec()),
                Col::Timestamp => t.map(|t| t.to_le_bytes().to_vec()),
                Col::TimestampText => t.map(|t| timestamp::format_rfc3339_ms(t).into_bytes()),
                Col::Severity => level.map(|l| vec![l as u8]),
                Col::Level => match level {
                    Some(l) => Some(l.as_str().as_bytes().to_vec()),
                    None => rec.level_text().map(|t| t.as_bytes().to_vec()),
                },
                Col::Message => Some(rec.message().as_bytes().to_vec()),
                Col::Text(field) => rec.text(field).map(|v| v.as_bytes().to_vec()),
            };
            put(&mut part.buf, value.as_deref());
        }
        put(&mut part.buf, Some(&out));
        part.items.push(Item {
            end: part.buf.len(),
            ts,
        });
        Ok(go_on)
    }
}

fn put(buf: &mut Vec<u8>, value: Option<&[u8]>) {
    match value {
        Some(v) => {
            buf.extend_from_slice(&(v.len() as u32).to_le_bytes());
            buf.extend_from_slice(v);
        }
        None => buf.extend_from_slice(&u32::MAX.to_le_bytes()),
    }
}

/// Reads the next value of an item.
fn take<'a>(item: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = item.split_at(4);
    let len = u32::from_le_bytes(len.try_into().expect("four bytes"));
    if len == u32::MAX {
        *item = rest;
        return None;
    }
    let (v, rest) = rest.split_at(len as usize);
    *item = rest;
    Some(v)
}

/// One column being filled.
enum Builder {
    Binary(BinaryBuilder),
    Code(UInt32Builder),
    Time(TimestampNanosecondBuilder),
    Rank(UInt8Builder),
    Text(StringBuilder),
}

impl Builder {
    fn new(col: Col) -> Builder {
        match col {
            Col::Raw => Builder::Binary(BinaryBuilder::new()),
            Col::Format => Builder::Code(UInt32Builder::new()),
            Col::Timestamp => Builder::Time(TimestampNanosecondBuilder::new().with_timezone("UTC")),
            Col::Severity => Builder::Rank(UInt8Builder::new()),
            _ => Builder::Text(StringBuilder::new()),
        }
    }

    fn push(&mut self, v: Option<&[u8]>) {
        match self {
            Builder::Binary(b) => b.append_option(v),
            Builder::Code(b) => {
                b.append_option(v.map(|v| u32::from_le_bytes(v.try_into().expect("u32"))))
            }
            Builder::Time(b) => {
                b.append_option(v.map(|v| i64::from_le_bytes(v.try_into().expect("i64"))))
            }
            Builder::Rank(b) => b.append_option(v.map(|v| v[0])),
            // Written from `&str` by `Rows`, so valid UTF-8.
            Builder::Text(b) => b.append_option(v.map(|v| String::from_utf8_lossy(v))),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Binary(b) => Arc::new(b.finish()),
            Builder::Code(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::Rank(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
        }
    }
}

/// Rows being gathered into one record batch.
pub struct Batch {
    cols: Vec<Builder>,
    row: UInt64Builder,
    out: BinaryBuilder,
    len: usize,
}

impl Batch {
    pub fn new() -> Batch {
        Batch {
            cols: COLUMNS
                .iter()
                .copied()
                .map(|(c, _)| Builder::new(c))
                .collect(),
            row: UInt64Builder::new(),
            out: BinaryBuilder::new(),
            len: 0,
        }
    }

    /// Adds the row of an item `Rows` wrote, numbered `row`.
    pub fn push(&mut self, row: u64, mut item: &[u8]) {
        for b in &mut self.cols {
            b.push(take(&mut item));
        }
        self.out.append_value(take(&mut item).unwrap_or_default());
        self.row.append_value(row);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The rows so far as a record batch; the builder starts empty again.
    pub fn finish(&mut self) -> Result<RecordBatch, Error> {
        let mut arrays: Vec<ArrayRef> = self.cols.iter_mut().map(Builder::finish).collect();
        arrays.push(Arc::new(self.row.finish()));
        arrays.push(Arc::new(self.out.finish()));
        self.len = 0;
        RecordBatch::try_new(schema(), arrays)
            .map_err(|e| Error::new("--engine datafusion", e.to_string()))
    }
}
