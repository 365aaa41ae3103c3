//! What every parser target does with its input: cut it into entries the way the
//! scanner does (a match-all query over one region), parse each entry with the
//! format under test and read every field of the record. The property tests in
//! `src/properties.rs` check the same entry points with proptest.

#![allow(dead_code)] // each target uses a part of it

use covet_logs::fuzzing::scan_region;
use covet_logs::{Error, Field, Format, Hit, Query, ScanConfig, Sink, Source, TimeCtx};

/// The moment the fuzzed logs were "last written" (2024-07-01T00:00:00Z): forms
/// without a year or a date are read against it, the same on every run.
const REFERENCE_NS: i64 = 1_719_792_000_000_000_000;

/// UTC, the year and day of `REFERENCE_NS`.
pub fn ctx() -> TimeCtx {
    TimeCtx::utc_now_year().dated(REFERENCE_NS)
}

/// Reads every field of each matched record; counts entries.
struct Touch;

impl Sink for Touch {
    type Part = usize;

    fn part(&self) -> usize {
        0
    }

    fn matched(&self, part: &mut usize, hit: &mut Hit, _source: &Source) -> Result<bool, Error> {
        let rec = hit.record();
        let _ = (rec.ts(), rec.level(), rec.message(), rec.tags());
        for field in [Field::Id, Field::Service, Field::Source, Field::TraceId] {
            let _ = rec.text(field);
        }
        let _ = rec.metadata_json();
        let _ = rec.lookup("a.b");
        *part += 1;
        Ok(true)
    }
}

/// Scans `data` as `format` and parses every entry.
pub fn scan_as(data: &[u8], format: Format) {
    let query = Query::all();
    let cfg = ScanConfig {
        format: Some(format),
        threads: 1,
        chunk_size: usize::MAX,
        need_lines: true,
        ..ScanConfig::new(&query, ctx())
    };
    let source = Source {
        name: "fuzz".to_string(),
        index: 0,
        format,
    };
    let mut part = 0;
    scan_region(data, 0, 1, &source, &cfg, &Touch, &mut part).expect("Touch never fails");
    let _ = format.parse(data, &cfg.ctx).message().len();
}
