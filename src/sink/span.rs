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

/// Collects a `Span`: with `times`, the first and last timestamp too (which parses
/// every entry); without, only the entries per level, read from the bytes where the
/// format allows it (`Hit::level`), and `first`/`last` stay `None`.
pub struct SpanSink {
    pub times: bool,
}

impl Sink for SpanSink {
    type Part = Span;

    fn part(&self) -> Span {
        Span::default()
    }

    fn matched(&self, part: &mut Span, hit: &mut Hit, _: &Source) -> Result<bool, Error> {
        part.entries += 1;
        if self.times {
            part.add_time(hit.record().ts());
        }
        if let Some(level) = hit.level() {
            part.levels[level.index()] += 1;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Entry;
    use crate::format::{parse_format_name, timestamp::TimeCtx, Format};

    /// The span of `lines` (one entry each) read as `format`, and how many records the
    /// sink built.
    fn span(format: Format, lines: &[&str], times: bool) -> (Span, usize) {
        let ctx = TimeCtx::utc_now_year();
        let source = Source {
            name: "t".into(),
            index: 0,
            format,
        };
        let sink = SpanSink { times };
        let mut part = sink.part();
        let mut parsed = 0;
        for line in lines {
            let mut rec = None;
            let entry = Entry {
                raw: line.as_bytes(),
                offset: 0,
                line: 0,
            };
            let mut hit = Hit::new(entry, b"\n", &mut rec, format, &ctx);
            sink.matched(&mut part, &mut hit, &source)
                .expect("a span never fails");
            parsed += usize::from(rec.is_some());
        }
        (part, parsed)
    }

    #[test]
    fn levels_alone_are_read_without_building_records() {
        let logback = parse_format_name("logback").flatten().unwrap();
        let lines = [
            "2024-01-15 10:00:00.000 [main] INFO  a.B - started",
            "2024-01-15 10:00:01.000 [main] WARN  a.B - slow",
            "2024-01-15 10:00:02.000 [main] ERROR a.B - failed",
        ];
        let (levels_only, parsed) = span(logback, &lines, false);
        assert_eq!(parsed, 0);
        assert_eq!(levels_only.levels, [0, 0, 1, 1, 1, 0]);
        assert_eq!((levels_only.entries, levels_only.first), (3, None));
        let (full, parsed) = span(logback, &lines, true);
        assert_eq!(parsed, 3);
        assert_eq!(full.levels, levels_only.levels);
        assert!(full.first.is_some() && full.first < full.last);
        let journald = parse_format_name("journald-iso").flatten().unwrap();
        let line = ["2024-01-15T10:00:00+0100 host sshd[1]: Accepted publickey"];
        let (none, parsed) = span(journald, &line, false);
        assert_eq!((none.levels, none.entries, parsed), ([0; 6], 1, 0));
        let json = ["{\"level\":\"warn\",\"msg\":\"x\"}"];
        let (j, parsed) = span(Format::Json, &json, false);
        assert_eq!((j.levels, parsed), ([0, 0, 0, 1, 0, 0], 0));
    }
}
