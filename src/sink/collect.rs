//! The collecting sink: keeps an owned summary of every matching entry, for commands
//! that sort, correlate or summarize matches after the scan (`context`).

use crate::entry::Field;
use crate::format::level::Level;
use crate::scan::{Hit, Source};
use crate::sink::Sink;

/// One matching entry, owned.
#[derive(Debug, Clone)]
pub struct Found {
    pub input: usize,
    pub file: String,
    pub offset: u64,
    /// 1-based line; 0 until counted (counting is done after the scan, only if needed).
    pub line: u64,
    pub ts: Option<i64>,
    pub level: Option<Level>,
    pub service: Option<String>,
    pub source: Option<String>,
    pub message: String,
    /// The entry's own `id` field.
    pub id: Option<String>,
    pub trace_id: Option<String>,
    pub request_id: Option<String>,
    pub user_id: Option<String>,
    pub raw: String,
}

impl Found {
    /// Summarizes a hit.
    pub fn from_hit(hit: &mut Hit<'_, '_>, source: &Source) -> Found {
        let offset = hit.entry.offset;
        let raw = String::from_utf8_lossy(hit.entry.raw).into_owned();
        let rec = hit.record();
        let text = |f: Field| rec.text(f).map(|v| v.into_owned());
        Found {
            input: source.index,
            file: source.name.clone(),
            offset,
            line: 0,
            ts: rec.ts(),
            level: rec.level(),
            service: text(Field::Service),
            source: text(Field::Source),
            message: rec.message().into_owned(),
            id: text(Field::Id).filter(|s| !s.is_empty()),
            trace_id: text(Field::TraceId),
            request_id: text(Field::RequestId),
            user_id: text(Field::UserId),
            raw,
        }
    }
}

/// Collects every match.
pub struct Collector;

impl Sink for Collector {
    type Part = Vec<Found>;

    fn part(&self) -> Vec<Found> {
        Vec::new()
    }

    fn matched(&self, part: &mut Vec<Found>, hit: &mut Hit<'_, '_>, source: &Source) -> bool {
        part.push(Found::from_hit(hit, source));
        true
    }
}
