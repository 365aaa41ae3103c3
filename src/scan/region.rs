//! The hot loop over one region of bytes that starts and ends on entry boundaries:
//! prefilter hit, entry bounds, predicate, sink. The boundaries themselves are
//! `format::bounds` (re-exported here for the scanner's callers).

use crate::entry::Entry;
use crate::error::Error;
use crate::query::eval;
use crate::scan::config::ScanConfig;
use crate::scan::tally::{LevelTally, RegionTally};
use crate::sink::Sink;
use crate::sink::{Hit, Source};

pub use crate::format::bounds::*;

/// Counts lines lazily: the line number of a position, moving forward only.
struct LineCounter {
    pos: usize,
    line: u64,
    enabled: bool,
}

impl LineCounter {
    fn line_at(&mut self, buf: &[u8], pos: usize) -> u64 {
        if !self.enabled {
            return 0;
        }
        self.line += memchr::memchr_iter(b'\n', &buf[self.pos..pos]).count() as u64;
        self.pos = pos;
        self.line
    }
}

/// Scans one region (entry-aligned at both ends) and feeds matches to the sink.
/// Returns how many entries longer than `cfg.max_entry` it met (and split), or the
/// sink's error, which ends the region there.
pub fn scan_region<S: Sink>(
    buf: &[u8],
    base_offset: u64,
    base_line: u64,
    source: &Source,
    cfg: &ScanConfig<'_>,
    sink: &S,
    part: &mut S::Part,
) -> Result<u64, Error> {
    let format = source.format;
    let ctx = &cfg.ctx;
    let mut lines = LineCounter {
        pos: 0,
        line: base_line,
        enabled: cfg.need_lines,
    };
    let mut pos = 0;
    let (mut long, mut long_end) = (0u64, usize::MAX);
    // Entries are tallied while every one read so far failed (and all are read).
    let mut tally = cfg
        .levels
        .filter(|t| t.is_full() && cfg.query.prefilter.is_none())
        .map(|_| RegionTally::default());
    while pos < buf.len() {
        let (start, at) = match &cfg.query.prefilter {
            Some(pf) => match pf.find(&buf[pos..]) {
                Some(rel) => (entry_start(buf, pos + rel, pos, format, ctx), pos + rel),
                None => break,
            },
            None => (pos, pos),
        };
        let mut end = entry_end(buf, start, format, ctx);
        let mut start = start;
        if end - start > cfg.max_entry {
            let (from, to, split) = piece_of(buf, start, end, at, cfg.max_entry);
            if split && end != long_end {
                long += 1;
                long_end = end;
            }
            (start, end) = (from, to);
        }
        let raw = entry_bytes(buf, start, end);
        pos = end;
        if raw.is_empty() && end - start <= 2 {
            continue; // a blank line is not an entry
        }
        let entry = Entry {
            raw,
            offset: base_offset + start as u64,
            line: 0,
        };
        let mut rec = None;
        let parse = |r| format.parse(r, ctx);
        if eval::matches(&cfg.query.root, &entry, &mut rec, &parse, format) {
            if tally.take().is_some() {
                cfg.levels.map(LevelTally::stop);
            }
            let entry = Entry {
                line: lines.line_at(buf, start),
                ..entry
            };
            let mut hit = Hit {
                entry,
                terminator: &buf[start + raw.len()..end],
                rec: &mut rec,
                format,
                ctx,
            };
            if !sink.matched(part, &mut hit, source)? {
                return Ok(long);
            }
        } else if let Some(counts) = &mut tally {
            counts.add(Hit::new(entry, &[], &mut rec, format, ctx).level());
        }
    }
    if let (Some(counts), Some(total)) = (tally, cfg.levels) {
        total.add(&counts);
    }
    Ok(long)
}
