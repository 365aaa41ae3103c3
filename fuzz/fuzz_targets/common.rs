//! What every parser target does with its input: cut it into entries the way the
//! scanner does (a match-all query over one region), parse each entry with the
//! format under test and read every field of the record. The property tests in
//! `tests/properties.rs` check the same entry points with proptest.

#![allow(dead_code)] // each target uses a part of it

use covet_logs::format::alias::Field;
use covet_logs::format::timestamp::{TimeCtx, Tz};
use covet_logs::format::Format;
use covet_logs::query::Query;
use covet_logs::scan::{region, ScanConfig};
use covet_logs::sink::{Hit, Source};
use covet_logs::sink::Sink;

pub fn ctx() -> TimeCtx {
    TimeCtx {
        tz: Tz::Utc,
        year: 2024,
    }
}

/// Reads every field of each matched record; counts entries.
struct Touch;

impl Sink for Touch {
    type Part = usize;

    fn part(&self) -> usize {
        0
    }

    fn matched(&self, part: &mut usize, hit: &mut Hit<'_, '_>, _source: &Source) -> bool {
        let rec = hit.record();
        let _ = (rec.ts(), rec.level(), rec.message(), rec.tags());
        for field in [Field::Id, Field::Service, Field::Source, Field::TraceId] {
            let _ = rec.text(field);
        }
        let _ = rec.metadata_json();
        let _ = rec.lookup("a.b");
        *part += 1;
        true
    }
}

/// Scans `data` as `format` and parses every entry.
pub fn scan_as(data: &[u8], format: Format) {
    let query = Query::all();
    let cfg = ScanConfig {
        query: &query,
        ctx: ctx(),
        format: Some(format),
        threads: 1,
        chunk_size: usize::MAX,
        need_lines: true,
        window: (None, None),
        no_mmap: false,
        progress: None,
        debug: false,
    };
    let source = Source {
        name: "fuzz".to_string(),
        index: 0,
        format,
    };
    let mut part = 0;
    region::scan_region(data, 0, 1, &source, &cfg, &Touch, &mut part);
    let _ = format.parse(data, &cfg.ctx).message().len();
}
