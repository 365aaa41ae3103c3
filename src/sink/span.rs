//! The span sink: the first and last timestamp of the entries it is given and how many
//! there are of each level. `search` runs it over every entry when nothing matched, to
//! say what the inputs hold (`commands::hint`).

use crate::error::Error;
use crate::format::level::Level;
use crate::sink::Sink;
use crate::sink::{Hit, Source};

/// Earliest and latest timestamp, and entries per level (in `Level` order).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Span {
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub entries: u64,
    pub levels: [u64; 6],
}

impl Span {
    fn add_time(&mut self, ts: Option<i64>) {
        if let Some(t) = ts {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
    }

    /// Adds another part (any order: only minima, maxima and counts).
    pub fn merge(&mut self, other: Span) {
        self.add_time(other.first);
        self.add_time(other.last);
        self.entries += other.entries;
        for (mine, theirs) in self.levels.iter_mut().zip(other.levels) {
            *mine += theirs;
        }
    }
}

/// The six levels in the order of `Span::levels`.
pub const LEVELS: [Level; 6] = Level::ALL;

/// Collects a `Span`.
pub struct SpanSink;

impl Sink for SpanSink {
    type Part = Span;

    fn part(&self) -> Span {
        Span::default()
    }

    fn matched(&self, part: &mut Span, hit: &mut Hit<'_, '_>, _: &Source) -> Result<bool, Error> {
        let rec = hit.record();
        part.entries += 1;
        part.add_time(rec.ts());
        if let Some(level) = rec.level() {
            if let Some(i) = LEVELS.iter().position(|&l| l == level) {
                part.levels[i] += 1;
            }
        }
        Ok(true)
    }

    fn combines(&self) -> bool {
        true
    }

    fn combine(&self, part: &mut Span, next: Span) {
        part.merge(next);
    }
}
