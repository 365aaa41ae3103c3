//! The export sink: each matching entry rendered as one NDJSON object (the printer's
//! LogEntry shape, so `export` and `search --json` write the same objects), one CSV
//! row, the terminal layout without color, or the original text.
//!
//! Also the first, cheap pass of a CSV export: [`Columns`] collects the metadata paths
//! seen in the matching entries, so the header can be written before any row. This
//! module renders; writing the file atomically is the command's job.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::entry::{Field, Record};
use crate::format::level::Level;
use crate::format::timestamp;
use crate::scan::{Hit, Source};
use crate::sink::print::{entry_id, Item, Mode, Printed, Printer};
use crate::sink::Sink;

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
        let std = [
            Field::Timestamp,
            Field::Level,
            Field::Message,
            Field::Service,
            Field::Source,
            Field::TraceId,
            Field::SpanId,
            Field::UserId,
            Field::RequestId,
        ];
        if let Some(f) = std.iter().find(|f| f.json_name() == name) {
            return Column::Std(*f);
        }
        match Field::from_query_name(name) {
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
    Csv(Vec<Column>),
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
            local: false,
        }
    }
}

impl Sink for Exporter {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit<'_, '_>, source: &Source) -> bool {
        let columns = match &self.render {
            Render::Print(p) => return p.matched(part, hit, source),
            Render::JsonFields(c) => Either::Json(c),
            Render::Csv(c) => Either::Csv(c),
        };
        let pos = (hit.entry.line, hit.entry.offset);
        let rec = hit.record();
        let need_meta = match columns {
            Either::Json(c) => c.iter().any(|(_, c)| c.needs_meta()),
            Either::Csv(c) => c.iter().any(Column::needs_meta),
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
                if serde_json::to_writer(&mut part.buf, &obj).is_ok() {
                    part.buf.push(b'\n');
                }
            }
            Either::Csv(cols) => {
                let row = cols.iter().map(|c| {
                    let v = c.value(rec, &meta, &source.name, pos);
                    neutralize(cell(v.as_ref(), *c == Column::Tags))
                });
                let mut w = csv::WriterBuilder::new().from_writer(&mut part.buf);
                let _ = w.write_record(row);
                let _ = w.flush();
            }
        }
        let ts = rec.ts();
        part.items.push(Item {
            end: part.buf.len(),
            ts,
        });
        true
    }
}

enum Either<'a> {
    Json(&'a Vec<(String, Column)>),
    Csv(&'a Vec<Column>),
}

/// The first pass of a CSV export: the metadata paths of the matching entries, nested
/// objects flattened to dotted paths (arrays stay one column, written as JSON).
pub struct Columns;

impl Sink for Columns {
    type Part = BTreeSet<String>;

    fn part(&self) -> Self::Part {
        BTreeSet::new()
    }

    fn matched(&self, part: &mut Self::Part, hit: &mut Hit<'_, '_>, _: &Source) -> bool {
        let meta = hit.record().metadata_json();
        collect_paths(&meta, "metadata.", part);
        true
    }
}

fn collect_paths(obj: &Map<String, Value>, prefix: &str, out: &mut BTreeSet<String>) {
    for (k, v) in obj {
        let path = format!("{prefix}{k}");
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                collect_paths(inner, &format!("{path}."), out)
            }
            _ => {
                if !out.contains(&path) {
                    out.insert(path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
