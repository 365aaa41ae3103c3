//! The export sink: each matching entry rendered as one NDJSON object (the printer's
//! LogEntry shape, so `export` and `search --json` write the same objects), one CSV
//! row, the terminal layout without color, or the original text.
//!
//! Also the first, cheap pass of a CSV export: [`Columns`] counts the metadata paths
//! seen in the matching entries, so the header can be written before any row; the
//! header keeps the [`MAX_COLUMNS`] most frequent. This
//! module renders; writing the file atomically is the command's job.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::format::level::Level;
use crate::format::record::{Field, Record};
use crate::format::timestamp;
use crate::sink::print::{entry_id, Item, Mode, Printed, Printer};
use crate::sink::Sink;
use crate::sink::{Hit, Source};

/// The LogEntry fields, in the order CSV writes them by default.
pub const STD_COLUMNS: [&str; 13] = [
    "id",
    "timestamp",
    "level",
    "service",
    "source",
    "message",
    "traceId",
    "spanId",
    "userId",
    "requestId",
    "tags",
    "file",
    "line",
];

/// One output column (or JSON key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Id,
    Std(Field),
    Tags,
    File,
    Line,
    Offset,
    /// A metadata path, split on dots (`metadata.db.rows` is `["db", "rows"]`).
    Meta(Vec<String>),
}

impl Column {
    /// The column for a name given to `--fields` (LogEntry names, query names such as
    /// `trace_id`, `file`, `line`, `offset`, `metadata.PATH`; any other name is a
    /// metadata path).
    pub fn parse(name: &str) -> Column {
        match name {
            "id" => return Column::Id,
            "tags" | "tag" => return Column::Tags,
            "file" => return Column::File,
            "line" => return Column::Line,
            "offset" => return Column::Offset,
            _ => {}
        }
        if let Some(path) = name.strip_prefix("metadata.") {
            return Column::Meta(path.split('.').map(str::to_string).collect());
        }
        // The output name (`traceId`), else any name a query accepts (`trace_id`).
        let by_json_name = Field::ALL.iter().copied().find(|f| f.json_name() == name);
        match by_json_name.or_else(|| Field::from_query_name(name)) {
            Some(Field::Id) => Column::Id,
            Some(Field::Tags) => Column::Tags,
            Some(f) => Column::Std(f),
            None => Column::Meta(name.split('.').map(str::to_string).collect()),
        }
    }

    /// The column's value for one entry; `None` when the entry does not have it.
    fn value(
        &self,
        rec: &Record<'_>,
        meta: &Map<String, Value>,
        file: &str,
        hit: (u64, u64),
    ) -> Option<Value> {
        let (line, offset) = hit;
        match self {
            Column::Id => Some(Value::String(entry_id(rec, file, line))),
            Column::Std(Field::Timestamp) => rec
                .ts()
                .map(|t| Value::String(timestamp::format_rfc3339_ms(t))),
            Column::Std(Field::Level) => {
                rec.level().map(|l| Value::String(Level::as_str(l).into()))
            }
            Column::Std(Field::Message) => Some(Value::String(rec.message().into_owned())),
            Column::Std(f) => rec.text(*f).map(|v| Value::String(v.into_owned())),
            Column::Tags => Some(Value::Array(
                rec.tags()
                    .into_iter()
                    .map(|t| Value::String(t.into_owned()))
                    .collect(),
            )),
            Column::File => Some(Value::String(file.to_string())),
            Column::Line => Some(Value::from(line)),
            Column::Offset => Some(Value::from(offset)),
            Column::Meta(path) => {
                let (first, rest) = path.split_first()?;
                let mut v = meta.get(first)?;
                for key in rest {
                    v = v.as_object()?.get(key)?;
                }
                Some(v.clone())
            }
        }
    }

    fn needs_meta(&self) -> bool {
        matches!(self, Column::Meta(_))
    }
}

/// A value as one CSV cell: strings as they are, tags joined by `;`, numbers and
/// booleans as JSON writes them, objects and arrays as JSON text, null as empty.
pub fn cell(v: Option<&Value>, tags: bool) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) if tags => a
            .iter()
            .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(";"),
        Some(v) => v.to_string(),
    }
}

/// Makes a cell safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`,
/// `@`, tab or carriage return would be read as a formula, so it gets a leading `'`.
pub fn neutralize(cell: String) -> String {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}"),
        _ => cell,
    }
}

/// How the export sink renders.
pub enum Render {
    /// Through the printer: NDJSON (the LogEntry shape), text or raw.
    Print(Printer),
    /// Selected keys of the LogEntry, one JSON object per line.
    JsonFields(Vec<(String, Column)>),
    /// CSV rows of these columns.
    Csv(CsvColumns),
}

/// The columns of a CSV export, with the metadata columns grouped by their first key,
/// so a row costs the entry's own keys rather than a look-up per column (a header may
/// have [`MAX_COLUMNS`] metadata columns, most of them empty in any one row).
#[derive(Debug, Default)]
pub struct CsvColumns {
    cols: Vec<Column>,
    /// First metadata key -> positions of the columns under it.
    by_first_key: HashMap<String, Vec<usize>>,
}

impl CsvColumns {
    pub fn columns(&self) -> &[Column] {
        &self.cols
    }

    fn needs_meta(&self) -> bool {
        !self.by_first_key.is_empty()
    }

    /// One entry's cells, in column order.
    fn row(
        &self,
        rec: &Record<'_>,
        meta: &Map<String, Value>,
        file: &str,
        hit: (u64, u64),
    ) -> Vec<Option<Value>> {
        let mut cells: Vec<Option<Value>> = self
            .cols
            .iter()
            .map(|c| match c {
                Column::Meta(_) => None,
                c => c.value(rec, meta, file, hit),
            })
            .collect();
        for key in meta.keys() {
            for &i in self.by_first_key.get(key).into_iter().flatten() {
                cells[i] = self.cols[i].value(rec, meta, file, hit);
            }
        }
        cells
    }
}

impl FromIterator<Column> for CsvColumns {
    fn from_iter<I: IntoIterator<Item = Column>>(iter: I) -> Self {
        let cols: Vec<Column> = iter.into_iter().collect();
        let mut by_first_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in cols.iter().enumerate() {
            if let Column::Meta(path) = c {
                if let Some(first) = path.first() {
                    by_first_key.entry(first.clone()).or_default().push(i);
                }
            }
        }
        CsvColumns { cols, by_first_key }
    }
}

/// The export sink. Its parts are printed buffers with per-entry ends and timestamps,
/// so the command can merge several inputs by time.
pub struct Exporter {
    pub render: Render,
}

impl Exporter {
    /// The printer for a printer-rendered mode, colorless, recording timestamps.
    pub fn printer(mode: Mode) -> Printer {
        Printer {
            mode,
            color: false,
            expand: false,
            show_file: false,
            need_ts: true,
            highlight: None,
            time: crate::sink::print::TimeStyle::default(),
            prefix: crate::sink::print::Prefix::default(),
            only_matching: false,
        }
    }
}

impl Sink for Exporter {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        let columns = match &self.render {
            Render::Print(p) => return p.matched(part, hit, source),
            Render::JsonFields(c) => Either::Json(c),
            Render::Csv(c) => Either::Csv(c),
        };
        let pos = (hit.entry.line, hit.entry.offset);
        let rec = hit.record();
        // The columns' fields, found in one walk over the entry's keys.
        rec.prefetch(&Field::ALL);
        let need_meta = match columns {
            Either::Json(c) => c.iter().any(|(_, c)| c.needs_meta()),
            Either::Csv(c) => c.needs_meta(),
        };
        let meta = if need_meta {
            rec.metadata_json()
        } else {
            Map::new()
        };
        match columns {
            Either::Json(cols) => {
                let mut obj = Map::new();
                for (name, col) in cols {
                    if let Some(v) = col.value(rec, &meta, &source.name, pos) {
                        obj.insert(name.clone(), v);
                    }
                }
                serde_json::to_writer(&mut part.buf, &obj)
                    .map_err(|e| Error::new("json", e.to_string()))?;
                part.buf.push(b'\n');
            }
            Either::Csv(cols) => {
                let cells = cols.row(rec, &meta, &source.name, pos);
                let row = cells
                    .iter()
                    .zip(cols.columns())
                    .map(|(v, c)| neutralize(cell(v.as_ref(), *c == Column::Tags)));
                write_csv_row(&mut part.buf, row)?;
            }
        }
        let ts = rec.ts();
        part.items.push(Item {
            end: part.buf.len(),
            ts,
        });
        Ok(true)
    }
}

thread_local! {
    /// One CSV writer per thread, its buffer reused row after row (a writer made per
    /// row allocated and zeroed 8 KiB for each). Flexible: rows of different exports
    /// (the server's, one after another) may have different lengths, as fresh writers
    /// allowed. It writes into `ROW`, which each row then moves to its part.
    static CSV: std::cell::RefCell<csv::Writer<RowBuf>> =
        std::cell::RefCell::new(csv::WriterBuilder::new().flexible(true).from_writer(RowBuf));
    static ROW: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The thread's row buffer (`ROW`) as the CSV writer's output.
struct RowBuf;

impl std::io::Write for RowBuf {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        ROW.with(|row| row.borrow_mut().extend_from_slice(bytes));
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Appends one CSV row (quoted as the csv crate quotes) to `out`.
fn write_csv_row<I>(out: &mut Vec<u8>, row: I) -> Result<(), Error>
where
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    let written = CSV.with(|w| {
        let mut w = w.borrow_mut();
        w.write_record(row)
            .map_err(|e| Error::new("csv", e.to_string()))
            .and_then(|()| w.flush().map_err(|e| Error::io("csv", &e)))
    });
    ROW.with(|row| {
        let mut row = row.borrow_mut();
        out.extend_from_slice(&row);
        row.clear();
    });
    written
}

enum Either<'a> {
    Json(&'a Vec<(String, Column)>),
    Csv(&'a CsvColumns),
}

/// How many metadata columns a CSV export discovers at most; the rest are counted,
/// left out, and can be named with `--fields`. (Every row has every column, so the
/// output grows with rows times columns: 50,000 entries with a key each would be a
/// 50,000-column CSV of 2.5 billion cells.)
pub const MAX_COLUMNS: usize = 1000;

/// The first pass of a CSV export: the metadata paths of the matching entries, nested
/// objects flattened to dotted paths (arrays stay one column, written as JSON), with
/// how many entries have each.
pub struct Columns;

impl Sink for Columns {
    type Part = PathCounts;

    fn part(&self) -> Self::Part {
        PathCounts::default()
    }

    fn matched(&self, part: &mut Self::Part, hit: &mut Hit, _: &Source) -> Result<bool, Error> {
        let meta = hit.record().metadata_json();
        collect_paths(&meta, "metadata.", &mut part.0);
        Ok(true)
    }
}

/// Metadata paths and how many entries have each; memory grows with the number of
/// distinct paths, never with their product with anything.
#[derive(Debug, Default)]
pub struct PathCounts(HashMap<String, u64>);

impl PathCounts {
    /// The `max` most frequent paths (ties by name) in name order, and how many
    /// other paths were left out.
    pub fn most_frequent(self, max: usize) -> (Vec<String>, usize) {
        let mut all: Vec<(String, u64)> = self.0.into_iter().collect();
        let left_out = all.len().saturating_sub(max);
        if left_out > 0 {
            all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            all.truncate(max);
        }
        let mut paths: Vec<String> = all.into_iter().map(|(p, _)| p).collect();
        paths.sort_unstable();
        (paths, left_out)
    }
}

impl Extend<(String, u64)> for PathCounts {
    fn extend<I: IntoIterator<Item = (String, u64)>>(&mut self, iter: I) {
        for (path, n) in iter {
            *self.0.entry(path).or_insert(0) += n;
        }
    }
}

impl IntoIterator for PathCounts {
    type Item = (String, u64);
    type IntoIter = std::collections::hash_map::IntoIter<String, u64>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

fn collect_paths(obj: &Map<String, Value>, prefix: &str, out: &mut HashMap<String, u64>) {
    for (k, v) in obj {
        let path = format!("{prefix}{k}");
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                collect_paths(inner, &format!("{path}."), out)
            }
            _ => *out.entry(path).or_insert(0) += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_paths_in_name_order() {
        let mut counts = PathCounts::default();
        counts.extend([
            ("c".to_string(), 5),
            ("a".to_string(), 1),
            ("b".to_string(), 1),
        ]);
        counts.extend([("a".to_string(), 1), ("d".to_string(), 1)]);
        // c 5, a 2, then b and d tie at 1: b wins by name.
        let (paths, left_out) = counts.most_frequent(3);
        assert_eq!(paths, ["a", "b", "c"]);
        assert_eq!(left_out, 1);
    }

    #[test]
    fn neutralizes_formula_starts() {
        for (input, want) in [
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("plain", "plain"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralize(input.to_string()), want, "{input:?}");
        }
    }

    #[test]
    fn column_names() {
        assert_eq!(Column::parse("timestamp"), Column::Std(Field::Timestamp));
        assert_eq!(Column::parse("trace_id"), Column::Std(Field::TraceId));
        assert_eq!(Column::parse("traceId"), Column::Std(Field::TraceId));
        assert_eq!(
            Column::parse("metadata.db.rows"),
            Column::Meta(vec!["db".into(), "rows".into()])
        );
        assert_eq!(
            Column::parse("duration_ms"),
            Column::Meta(vec!["duration_ms".into()])
        );
    }
}
