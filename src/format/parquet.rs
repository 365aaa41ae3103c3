//! Log entries as a Parquet table (feature `parquet`), both ways.
//!
//! Writing: [`Encoder`] takes the LogEntry objects `export --format ndjson` writes (one
//! JSON line each) and turns them into the columns of [`COLUMNS`] (the timestamp as a
//! UTC millisecond timestamp, the tags as a list, the metadata as JSON text), in
//! row groups of [`ROW_GROUP`] rows, zstd-compressed; the bytes come out as each row
//! group is written, so memory stays bounded. The file says it holds LogEntry columns
//! (key `covet-logs.schema` in its key-value metadata).
//!
//! Reading: [`lines`] turns any Parquet file into JSON lines, one object per row, which
//! the JSON reader then reads as any JSON log: every column becomes a key (strings,
//! numbers, booleans, lists and structs as JSON; timestamps and other types as their
//! text). In a file written here, the metadata column is the metadata object again and
//! the columns that said where the entry was read (`file`, `line`, `offset`) are left
//! out: a read-back entry is located in the Parquet file, with the same id, time,
//! level, fields, message and metadata as the entry written.

use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

use arrow_array::builder::{
    BooleanBuilder, ListBuilder, StringBuilder, TimestampMillisecondBuilder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

/// Rows per row group (and per batch handed to the writer).
pub const ROW_GROUP: usize = 64 * 1024;

/// Rows per batch when reading.
const READ_BATCH: usize = 4096;

/// The key-value metadata key, and its value, that mark a file written here.
const SCHEMA_KEY: &str = "covet-logs.schema";
const SCHEMA_VALUE: &str = "LogEntry/1";

/// How one LogEntry key is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// RFC 3339 text in the LogEntry; a UTC timestamp in milliseconds in the file.
    Time,
    Bool,
    Count,
    /// A list of strings.
    Tags,
    /// A JSON object, kept as its JSON text.
    Json,
}

/// The LogEntry keys in column order, and how each is stored; `located` marks the
/// columns that say where an entry was read (left out when reading back).
const COLUMNS: [(&str, Kind, bool); 16] = [
    ("id", Kind::Text, false),
    ("timestamp", Kind::Time, false),
    ("dateInferred", Kind::Bool, false),
    ("level", Kind::Text, false),
    ("service", Kind::Text, false),
    ("source", Kind::Text, false),
    ("message", Kind::Text, false),
    ("metadata", Kind::Json, false),
    ("traceId", Kind::Text, false),
    ("spanId", Kind::Text, false),
    ("userId", Kind::Text, false),
    ("requestId", Kind::Text, false),
    ("tags", Kind::Tags, false),
    ("file", Kind::Text, true),
    ("line", Kind::Count, true),
    ("offset", Kind::Count, true),
];

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text | Kind::Json => DataType::Utf8,
        Kind::Time => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        Kind::Bool => DataType::Boolean,
        Kind::Count => DataType::UInt64,
        Kind::Tags => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
    }
}

/// The schema of a LogEntry table.
pub fn schema() -> SchemaRef {
    let fields: Vec<Field> = COLUMNS
        .iter()
        .map(|&(name, kind, _)| Field::new(name, data_type(kind), true))
        .collect();
    Arc::new(Schema::new(fields))
}

/// One column being filled.
enum Builder {
    Text(StringBuilder),
    Time(TimestampMillisecondBuilder),
    Bool(BooleanBuilder),
    Count(UInt64Builder),
    Tags(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(kind: Kind) -> Builder {
        match kind {
            Kind::Text | Kind::Json => Builder::Text(StringBuilder::new()),
            Kind::Time => Builder::Time(TimestampMillisecondBuilder::new().with_timezone("UTC")),
            Kind::Bool => Builder::Bool(BooleanBuilder::new()),
            Kind::Count => Builder::Count(UInt64Builder::new()),
            Kind::Tags => Builder::Tags(ListBuilder::new(StringBuilder::new())),
        }
    }

    /// Appends a LogEntry value (null when absent or of another type).
    fn push(&mut self, kind: Kind, value: Option<&Value>) {
        match (self, value) {
            (Builder::Text(b), Some(Value::String(s))) if kind == Kind::Text => b.append_value(s),
            (Builder::Text(b), Some(v @ Value::Object(_))) if kind == Kind::Json => {
                b.append_value(v.to_string())
            }
            (Builder::Text(b), _) => b.append_null(),
            (Builder::Time(b), Some(Value::String(s))) => {
                match chrono::DateTime::parse_from_rfc3339(s) {
                    Ok(t) => b.append_value(t.timestamp_millis()),
                    Err(_) => b.append_null(),
                }
            }
            (Builder::Time(b), _) => b.append_null(),
            (Builder::Bool(b), Some(Value::Bool(v))) => b.append_value(*v),
            (Builder::Bool(b), _) => b.append_null(),
            (Builder::Count(b), Some(v)) => b.append_option(v.as_u64()),
            (Builder::Count(b), None) => b.append_null(),
            (Builder::Tags(b), Some(Value::Array(tags))) => {
                for t in tags {
                    match t {
                        Value::String(s) => b.values().append_value(s),
                        other => b.values().append_value(other.to_string()),
                    }
                }
                b.append(true);
            }
            (Builder::Tags(b), _) => b.append(false),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Count(b) => Arc::new(b.finish()),
            Builder::Tags(b) => Arc::new(b.finish()),
        }
    }
}

/// Bytes the Parquet writer has produced and the caller has not yet taken.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// LogEntry JSON lines in, Parquet bytes out (see the module's note).
pub struct Encoder {
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
    row_group: usize,
    writer: ArrowWriter<Pending>,
    pending: Pending,
}

impl Encoder {
    pub fn new() -> Result<Encoder, String> {
        Encoder::with_row_group(ROW_GROUP)
    }

    /// An encoder writing row groups of `rows` rows (a partitioned export holds many
    /// encoders at once, each with smaller groups).
    pub fn with_row_group(rows: usize) -> Result<Encoder, String> {
        let row_group = rows.max(1);
        let schema = schema();
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_size(row_group)
            .set_key_value_metadata(Some(vec![KeyValue::new(
                SCHEMA_KEY.to_string(),
                SCHEMA_VALUE.to_string(),
            )]))
            .build();
        let pending = Pending::default();
        let writer = ArrowWriter::try_new(pending.clone(), schema.clone(), Some(props))
            .map_err(|e| e.to_string())?;
        Ok(Encoder {
            builders: COLUMNS.iter().map(|&(_, k, _)| Builder::new(k)).collect(),
            schema,
            rows: 0,
            row_group,
            writer,
            pending,
        })
    }

    /// Adds one LogEntry object (a JSON line, as `export --format ndjson` writes it).
    pub fn push(&mut self, line: &[u8]) -> Result<(), String> {
        self.push_entry(&parse_entry(line)?)
    }

    /// Adds one LogEntry object already parsed ([`parse_entry`]).
    pub fn push_entry(&mut self, entry: &Map<String, Value>) -> Result<(), String> {
        for (b, &(name, kind, _)) in self.builders.iter_mut().zip(COLUMNS.iter()) {
            b.push(kind, entry.get(name));
        }
        self.rows += 1;
        if self.rows >= self.row_group {
            self.flush_rows()?;
        }
        Ok(())
    }

    fn flush_rows(&mut self) -> Result<(), String> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch =
            RecordBatch::try_new(self.schema.clone(), columns).map_err(|e| e.to_string())?;
        self.rows = 0;
        self.writer.write(&batch).map_err(|e| e.to_string())
    }

    /// Rows pushed and not yet written out as a finished row group (held in memory).
    pub fn buffered(&self) -> usize {
        self.rows + self.writer.in_progress_rows()
    }

    /// Ends the current row group now, however few rows it has (frees its memory).
    pub fn end_row_group(&mut self) -> Result<(), String> {
        self.flush_rows()?;
        self.writer.flush().map_err(|e| e.to_string())
    }

    /// The bytes written so far and not yet taken (whole row groups, once flushed).
    pub fn take(&mut self) -> Vec<u8> {
        match self.pending.0.lock() {
            Ok(mut v) => std::mem::take(&mut *v),
            Err(_) => Vec::new(),
        }
    }

    /// Writes the last rows and the footer; returns the bytes not yet taken.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        self.flush_rows()?;
        let pending = self.pending.clone();
        self.writer.close().map_err(|e| e.to_string())?;
        let bytes = match pending.0.lock() {
            Ok(mut v) => std::mem::take(&mut *v),
            Err(_) => Vec::new(),
        };
        Ok(bytes)
    }
}

/// One LogEntry JSON line (as `export --format ndjson` writes it) as an object.
pub fn parse_entry(line: &[u8]) -> Result<Map<String, Value>, String> {
    serde_json::from_slice(line).map_err(|e| format!("not a LogEntry: {e}"))
}

/// A Parquet file read as JSON lines, one object per row (see the module's note).
pub fn lines(file: File) -> io::Result<Box<dyn Read + Send>> {
    lines_of(file, None).map(|(lines, _)| lines)
}

/// Each row group of a Parquet file: its rows and its uncompressed size in bytes.
#[cfg(feature = "cluster")]
pub fn row_groups(file: File) -> io::Result<Vec<(u64, u64)>> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(io::Error::other)?;
    Ok(builder
        .metadata()
        .row_groups()
        .iter()
        .map(|g| {
            (
                g.num_rows().max(0) as u64,
                g.total_byte_size().max(0) as u64,
            )
        })
        .collect())
}

/// `lines`, of row groups `groups` only (all of them: `None`), as if the file held
/// only those; and the rows of the groups before them.
pub fn lines_of(
    file: File,
    groups: Option<std::ops::Range<usize>>,
) -> io::Result<(Box<dyn Read + Send>, u64)> {
    let mut builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(io::Error::other)?;
    let mut before = 0;
    if let Some(groups) = groups {
        let count = builder.metadata().num_row_groups();
        if groups.end > count {
            return Err(io::Error::other(format!(
                "has {count} row groups, not {} (it changed since the query was planned)",
                groups.end
            )));
        }
        before = builder.metadata().row_groups()[..groups.start]
            .iter()
            .map(|g| g.num_rows().max(0) as u64)
            .sum();
        builder = builder.with_row_groups(groups.collect());
    }
    let ours = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .is_some_and(|kv| {
            kv.iter()
                .any(|k| k.key == SCHEMA_KEY && k.value.as_deref() == Some(SCHEMA_VALUE))
        });
    let reader = builder
        .with_batch_size(READ_BATCH)
        .build()
        .map_err(io::Error::other)?;
    let lines = Lines {
        reader,
        ours,
        batch: None,
        row: 0,
        out: Vec::new(),
        pos: 0,
    };
    Ok((Box::new(lines), before))
}

/// Rows rendered as JSON lines on demand.
struct Lines {
    reader: ParquetRecordBatchReader,
    ours: bool,
    batch: Option<RecordBatch>,
    row: usize,
    out: Vec<u8>,
    pos: usize,
}

impl Lines {
    /// Renders the next rows into `out`; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.pos = 0;
        loop {
            if let Some(batch) = &self.batch {
                if self.row < batch.num_rows() {
                    let end = (self.row + 256).min(batch.num_rows());
                    let columns = shown_columns(batch, self.ours);
                    for row in self.row..end {
                        write_row(&columns, row, &mut self.out)?;
                    }
                    self.row = end;
                    return Ok(true);
                }
            }
            match self.reader.next() {
                Some(Ok(batch)) => {
                    self.batch = Some(batch);
                    self.row = 0;
                }
                Some(Err(e)) => return Err(io::Error::other(e)),
                None => return Ok(false),
            }
        }
    }
}

impl Read for Lines {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.out.len() && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A column a row shows: its name as JSON text (`"name":`), the array, and whether it
/// is the metadata column of a file written here (its JSON text is the object).
struct Shown<'a> {
    key: Vec<u8>,
    array: &'a dyn Array,
    metadata: bool,
}

/// The columns of `batch` that a row shows, in order (`row_object`'s choice).
fn shown_columns(batch: &RecordBatch, ours: bool) -> Vec<Shown<'_>> {
    let schema = batch.schema();
    schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(field, _)| {
            let name = field.name().as_str();
            !(ours && COLUMNS.iter().any(|&(n, _, located)| located && n == name))
        })
        .map(|(field, column)| {
            let mut key = serde_json::to_vec(field.name()).unwrap_or_default();
            key.push(b':');
            Shown {
                key,
                array: column.as_ref(),
                metadata: ours && field.name() == "metadata",
            }
        })
        .collect()
}

/// One row as a JSON line, written straight into `out`: the object `row_object`
/// makes, serialized, without building it. Strings, booleans, integers and
/// timestamps are written directly; a metadata column's JSON object text is copied
/// when it is one compact, valid object; anything else goes through `json_value`.
fn write_row(columns: &[Shown<'_>], row: usize, out: &mut Vec<u8>) -> io::Result<()> {
    out.push(b'{');
    let mut first = true;
    for c in columns {
        if c.array.is_null(row) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&c.key);
        write_cell(c, row, out)?;
    }
    out.extend_from_slice(b"}\n");
    Ok(())
}

fn write_cell(c: &Shown<'_>, row: usize, out: &mut Vec<u8>) -> io::Result<()> {
    use arrow_array::types::{
        Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
    };
    let a = c.array;
    let text = |s: &str, out: &mut Vec<u8>| serde_json::to_writer(out, s).map_err(io::Error::other);
    let int = |v: &dyn std::fmt::Display, out: &mut Vec<u8>| write!(out, "{v}");
    match a.data_type() {
        DataType::Utf8 if c.metadata => write_metadata(a.as_string::<i32>().value(row), out),
        DataType::Utf8 => text(a.as_string::<i32>().value(row), out),
        DataType::LargeUtf8 => text(a.as_string::<i64>().value(row), out),
        DataType::Utf8View => text(a.as_string_view().value(row), out),
        DataType::Boolean => {
            out.extend_from_slice(if a.as_boolean().value(row) {
                b"true"
            } else {
                b"false"
            });
            Ok(())
        }
        DataType::Int8 => int(&a.as_primitive::<Int8Type>().value(row), out),
        DataType::Int16 => int(&a.as_primitive::<Int16Type>().value(row), out),
        DataType::Int32 => int(&a.as_primitive::<Int32Type>().value(row), out),
        DataType::Int64 => int(&a.as_primitive::<Int64Type>().value(row), out),
        DataType::UInt8 => int(&a.as_primitive::<UInt8Type>().value(row), out),
        DataType::UInt16 => int(&a.as_primitive::<UInt16Type>().value(row), out),
        DataType::UInt32 => int(&a.as_primitive::<UInt32Type>().value(row), out),
        DataType::UInt64 => int(&a.as_primitive::<UInt64Type>().value(row), out),
        _ => serde_json::to_writer(out, &json_value(a, row)).map_err(io::Error::other),
    }
}

/// The metadata column of a file written here: its text copied when it is one
/// compact, valid JSON object (written here, it is one serialized map: no repeated
/// keys), else the object it parses to (or the text itself).
fn write_metadata(text: &str, out: &mut Vec<u8>) -> io::Result<()> {
    let compact = text.starts_with('{')
        && !text.contains(['\n', '\r'])
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    if compact {
        out.extend_from_slice(text.as_bytes());
        return Ok(());
    }
    let value = match serde_json::from_str(text) {
        Ok(v @ Value::Object(_)) => v,
        _ => Value::String(text.to_string()),
    };
    serde_json::to_writer(out, &value).map_err(io::Error::other)
}

/// One row as a JSON object: every non-null column by name.
#[cfg(test)]
fn row_object(batch: &RecordBatch, row: usize, ours: bool) -> Map<String, Value> {
    let schema = batch.schema();
    let mut obj = Map::new();
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let name = field.name().as_str();
        if ours && COLUMNS.iter().any(|&(n, _, located)| located && n == name) {
            continue;
        }
        if column.is_null(row) {
            continue;
        }
        let mut value = json_value(column.as_ref(), row);
        if ours && name == "metadata" {
            if let Value::String(s) = &value {
                if let Ok(v @ Value::Object(_)) = serde_json::from_str(s) {
                    value = v;
                }
            }
        }
        obj.insert(name.to_string(), value);
    }
    obj
}

/// A cell as JSON: strings, booleans, numbers, lists and structs as themselves, any
/// other type (timestamps, dates, decimals, binary) as arrow's text for it.
fn json_value(array: &dyn Array, row: usize) -> Value {
    if array.is_null(row) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Utf8 => Value::String(array.as_string::<i32>().value(row).to_string()),
        DataType::LargeUtf8 => Value::String(array.as_string::<i64>().value(row).to_string()),
        DataType::Utf8View => Value::String(array.as_string_view().value(row).to_string()),
        DataType::Boolean => Value::Bool(array.as_boolean().value(row)),
        DataType::List(_) => list_value(array.as_list::<i32>().value(row).as_ref()),
        DataType::LargeList(_) => list_value(array.as_list::<i64>().value(row).as_ref()),
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let obj = fields
                .iter()
                .zip(s.columns())
                .filter(|(_, c)| !c.is_null(row))
                .map(|(f, c)| (f.name().clone(), json_value(c.as_ref(), row)))
                .collect();
            Value::Object(obj)
        }
        DataType::Timestamp(unit, tz) => time_value(array, row, *unit, tz.is_some()),
        t => {
            let text = display(array, row);
            match t.is_numeric() {
                true => serde_json::from_str::<serde_json::Number>(&text)
                    .map(Value::Number)
                    .unwrap_or(Value::String(text)),
                false => Value::String(text),
            }
        }
    }
}

/// A timestamp as RFC 3339: with `Z` when the column has a time zone (its values are
/// UTC instants), without when it has none (read then in the reader's `--tz`).
fn time_value(array: &dyn Array, row: usize, unit: TimeUnit, zoned: bool) -> Value {
    use arrow_array::types::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    let ns = match unit {
        TimeUnit::Second => array
            .as_primitive::<TimestampSecondType>()
            .value(row)
            .checked_mul(1_000_000_000),
        TimeUnit::Millisecond => array
            .as_primitive::<TimestampMillisecondType>()
            .value(row)
            .checked_mul(1_000_000),
        TimeUnit::Microsecond => array
            .as_primitive::<TimestampMicrosecondType>()
            .value(row)
            .checked_mul(1_000),
        TimeUnit::Nanosecond => Some(array.as_primitive::<TimestampNanosecondType>().value(row)),
    };
    let Some(ns) = ns else {
        return Value::String(display(array, row));
    };
    let t = chrono::DateTime::from_timestamp_nanos(ns);
    let text = match zoned {
        true => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        false => t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
    };
    Value::String(text)
}

fn list_value(items: &dyn Array) -> Value {
    Value::Array((0..items.len()).map(|i| json_value(items, i)).collect())
}

/// Arrow's text for a cell (RFC 3339 for timestamps).
fn display(array: &dyn Array, row: usize) -> String {
    match ArrayFormatter::try_new(array, &FormatOptions::default()) {
        Ok(f) => f.value(row).to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_entries_round_trip_through_a_parquet_file() {
        let written = [
            r#"{"id":"a.log:1","timestamp":"2024-01-15T10:00:00.123Z","level":"ERROR","service":"api","source":null,"message":"boom \"quoted\"\nsecond line","metadata":{"duration_ms":5,"db":{"rows":[1,2]}},"traceId":"t1","tags":["x","y"],"file":"a.log","line":1,"offset":0}"#,
            r#"{"id":"a.log:2","timestamp":null,"level":null,"service":null,"source":null,"message":"plain","tags":[],"file":"a.log","line":2,"offset":99}"#,
        ];
        let mut enc = Encoder::new().unwrap();
        for line in written {
            enc.push(line.as_bytes()).unwrap();
        }
        let mut bytes = enc.take();
        bytes.extend(enc.finish().unwrap());
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        std::fs::write(&path, &bytes).unwrap();
        let mut text = String::new();
        lines(File::open(&path).unwrap())
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        let got: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        // Nulls and the location columns are left out; the rest is what was written.
        let want = [
            r#"{"id":"a.log:1","timestamp":"2024-01-15T10:00:00.123Z","level":"ERROR","service":"api","message":"boom \"quoted\"\nsecond line","metadata":{"duration_ms":5,"db":{"rows":[1,2]}},"traceId":"t1","tags":["x","y"]}"#,
            r#"{"id":"a.log:2","message":"plain","tags":[]}"#,
        ];
        let want: Vec<Value> = want
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(got, want);
    }

    /// `write_row` writes the object `row_object` builds, for every column type and
    /// every awkward value, with and without a file's "written here" mark.
    #[test]
    fn rows_written_directly_equal_the_objects_built() {
        use arrow_array::builder::{Float64Builder, Int64Builder, StructBuilder};
        use arrow_array::{StringArray, TimestampMillisecondArray, UInt32Array};
        let texts = [
            Some("plain"),
            Some("quote \" backslash \\ tab \t nl \n ctl \u{1} é 日本 \u{7f}"),
            None,
            Some(""),
            Some("</script><img onerror=x>"),
            Some("\u{2028}\u{2029}"),
        ];
        let metas = [
            Some(r#"{"a":1,"b":{"c":[1,2]}}"#),
            Some("{\n  \"pretty\": true\n}"),
            Some("not json"),
            Some(r#"[1,2]"#),
            Some(r#"{"x":"y\\n"}"#),
            None,
        ];
        let n = texts.len();
        let mut ints = Int64Builder::new();
        let mut floats = Float64Builder::new();
        let mut flags = BooleanBuilder::new();
        let mut tags = ListBuilder::new(StringBuilder::new());
        for i in 0..n {
            ints.append_option((i != 2).then_some(i64::MIN + i as i64 * 7));
            floats.append_value([1.5, f64::NAN, f64::INFINITY, -0.0, 1e300, 3.0][i]);
            flags.append_option([Some(true), Some(false), None, Some(true), None, Some(false)][i]);
            for t in 0..i % 3 {
                tags.values().append_value(format!("t{t}\"x"));
            }
            tags.append(i != 4);
        }
        let mut inner = StructBuilder::from_fields(vec![Field::new("k", DataType::Utf8, true)], n);
        for i in 0..n {
            inner
                .field_builder::<StringBuilder>(0)
                .unwrap()
                .append_option(texts[(i + 1) % n]);
            inner.append(i != 3);
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("message", Arc::new(StringArray::from(texts.to_vec()))),
            ("metadata", Arc::new(StringArray::from(metas.to_vec()))),
            ("n", Arc::new(ints.finish())),
            (
                "u",
                Arc::new(UInt32Array::from(vec![0, 1, u32::MAX, 7, 8, 9])),
            ),
            ("f", Arc::new(floats.finish())),
            ("ok", Arc::new(flags.finish())),
            ("tags", Arc::new(tags.finish())),
            ("s", Arc::new(inner.finish())),
            (
                "timestamp",
                Arc::new(
                    TimestampMillisecondArray::from(vec![0, 1_700_000_000_123, -5, 1, 2, 3])
                        .with_timezone("UTC"),
                ),
            ),
            ("file", Arc::new(StringArray::from(vec!["a.log"; 6]))),
            ("line", Arc::new(UInt32Array::from(vec![1, 2, 3, 4, 5, 6]))),
        ];
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        for ours in [false, true] {
            let shown = shown_columns(&batch, ours);
            for row in 0..n {
                let mut direct = Vec::new();
                write_row(&shown, row, &mut direct).unwrap();
                assert_eq!(direct.last(), Some(&b'\n'));
                assert!(!direct[..direct.len() - 1].contains(&b'\n'), "one line");
                let got: Value = serde_json::from_slice(&direct).unwrap();
                let want = Value::Object(row_object(&batch, row, ours));
                assert_eq!(got, want, "row {row}, ours {ours}");
            }
        }
    }
}
