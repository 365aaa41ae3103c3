//! Counts the ERROR entries per service in a directory through covet-logs' library
//! API: resolve the inputs, compile a query, scan each input into a small sink.
//!
//! `cargo run --example embed -- DIR` prints `COUNT<TAB>SERVICE` lines, by service.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use covet_logs::error::Error;
use covet_logs::format::alias::Field;
use covet_logs::format::timestamp::{self, TimeCtx};
use covet_logs::scan::{self, ScanConfig, MAX_ENTRY};
use covet_logs::sink::{Hit, Sink, Source};
use covet_logs::{input, query};

/// Matching entries counted per service, one map per chunk of input.
struct PerService;

impl Sink for PerService {
    type Part = BTreeMap<String, u64>;
    fn part(&self) -> Self::Part {
        BTreeMap::new()
    }
    fn matched(
        &self,
        part: &mut Self::Part,
        hit: &mut Hit<'_, '_>,
        _: &Source,
    ) -> Result<bool, Error> {
        let service = hit.record().text(Field::Service).unwrap_or_default();
        *part.entry(service.into_owned()).or_default() += 1;
        Ok(true)
    }
}

/// ERROR entries per service in the logs under `dir` (`""` for entries without one;
/// files that cannot be read are left out).
pub fn errors_per_service(dir: &Path) -> Result<BTreeMap<String, u64>, Box<dyn std::error::Error>> {
    let (ctx, now_ns) = (TimeCtx::utc_now_year(), timestamp::now_ns());
    let opts = query::Options {
        case_sensitive: false,
        regex_words: false,
        ctx,
        now_ns,
    };
    let query = query::compile(&query::parse("level:ERROR")?, Vec::new(), &opts)?;
    let cfg = ScanConfig {
        query: &query,
        ctx,
        format: None,
        threads: 2,
        chunk_size: 4 << 20,
        need_lines: false,
        window: (None, None),
        no_mmap: false,
        progress: None,
        entries: None,
        debug: false,
        max_entry: MAX_ENTRY,
    };
    let mut counts = BTreeMap::new();
    let inputs = input::resolve(&[dir.to_path_buf()], None, true, false)?.inputs;
    for (i, input) in inputs.iter().enumerate() {
        scan::scan_input(input, i, &cfg, &PerService, &mut |part| {
            part.into_iter()
                .for_each(|(k, n)| *counts.entry(k).or_default() += n);
            Ok(true)
        })
        .map_err(Error::from)?;
    }
    Ok(counts)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args_os().nth(1).ok_or("usage: embed DIR")?);
    for (service, n) in errors_per_service(&dir)? {
        println!("{n}\t{service}");
    }
    Ok(())
}
