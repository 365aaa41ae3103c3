//! The collecting sink: keeps an owned summary of matching entries, for commands
//! that sort, correlate or summarize matches after the scan (`context`), up to a
//! given number (the rest are counted).

use crate::error::Error;
use crate::format::alias::Field;
use crate::format::level::Level;
use crate::sink::Sink;
use crate::sink::{Hit, Source};

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

/// Collects matches, keeping at most `keep` of them: the nearest in time to `center`
/// when there is one, else the first ones in input order. The others are counted, so
/// memory stays bounded whatever the input.
pub struct Collector {
    pub keep: usize,
    pub center: Option<i64>,
}

/// What a `Collector` kept, and how many matches it left out.
#[derive(Debug, Default)]
pub struct Collected {
    pub found: Vec<Found>,
    pub dropped: u64,
}

impl Collector {
    /// Cuts `part` down to `keep` entries.
    pub fn prune(&self, part: &mut Collected) {
        if part.found.len() <= self.keep {
            return;
        }
        if let Some(c) = self.center {
            part.found.sort_by_key(|f| {
                let distance = f.ts.map_or(u64::MAX, |t| t.abs_diff(c));
                (distance, f.input, f.offset)
            });
        }
        part.dropped += (part.found.len() - self.keep) as u64;
        part.found.truncate(self.keep);
    }

    /// Prunes once twice `keep` are held, so the sort runs once per `keep` matches.
    fn prune_when_full(&self, part: &mut Collected) {
        if part.found.len() >= self.keep.max(1).saturating_mul(2) {
            self.prune(part);
        }
    }
}

impl Sink for Collector {
    type Part = Collected;

    fn part(&self) -> Collected {
        Collected::default()
    }

    fn matched(&self, part: &mut Collected, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        part.found.push(Found::from_hit(hit, source));
        self.prune_when_full(part);
        Ok(true)
    }

    // Parts combine so a mapped file is folded per thread and pruned as it goes,
    // instead of a whole batch of chunks' matches waiting to be emitted.
    fn combines(&self) -> bool {
        true
    }

    fn combine(&self, part: &mut Collected, next: Collected) {
        part.found.extend(next.found);
        part.dropped += next.dropped;
        self.prune_when_full(part);
    }
}
