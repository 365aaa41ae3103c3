//! `index`: builds or refreshes the block index (`crate::index`) of each plain file
//! among the paths, and says per file what it did and what the index costs. Stdin and
//! compressed files are named as not indexed; a file that fails is reported and the
//! others go on (exit 2 at the end).

use std::path::Path;

use crate::cli::{FilterArgs, IndexArgs};
use crate::config::{FilterConfig, InputConfig};
use crate::engine::{self, Outcome};
use crate::error::{Error, Result};
use crate::format;
use crate::index;
use crate::input::{self, Input, Opened};
use crate::scan::ScanConfig;
use crate::sink::sanitize::sanitize;

/// Runs `index`.
pub fn run(args: &IndexArgs) -> Result<Outcome> {
    let filter_args = FilterArgs {
        zone: args.zone.clone(),
        ..FilterArgs::default()
    };
    let filter = FilterConfig::new(&filter_args, None)?;
    let input_cfg = InputConfig::new(&args.input);
    let opened = engine::open_inputs(&args.paths, &input_cfg.walk())?;
    let (inputs, mut failed) = super::reported(opened, input_cfg.debug);
    input_cfg.init_threads();
    let cfg = super::scan_config(&filter, &input_cfg, false, None);
    for input in &inputs {
        match index_one(input, &cfg) {
            Ok(line) => println!("{}", sanitize(&line)),
            Err(e) => {
                super::report(&e);
                failed = true;
            }
        }
    }
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Matched
    })
}

/// Indexes one input; the line that says what was done.
fn index_one(input: &Input, cfg: &ScanConfig<'_>) -> Result<String> {
    let name = input.display_name();
    let Input::File(path) = input else {
        return Ok(format!("{name}: not indexed (not a file)"));
    };
    if input::object::is_object_url(path) {
        return Ok(format!("{name}: not indexed (an object store's object)"));
    }
    let map = match input::open(input, false)? {
        Opened::Mapped(map) => map,
        Opened::Stream(_) => {
            return Ok(format!(
                "{name}: not indexed (compressed, an OTLP collector export, or not a regular file)"
            ))
        }
    };
    let bytes = map.bytes();
    let mtime = modified_ns(path)?;
    let dated = ScanConfig {
        ctx: cfg.ctx.dated(mtime),
        ..*cfg
    };
    let format = cfg
        .format
        .unwrap_or_else(|| format::detect(bytes, &dated.ctx));
    let started = std::time::Instant::now();
    let (stored, action) = index::ensure(path, bytes, format, &dated, true)?
        .ok_or_else(|| Error::new(name.clone(), "changed while being indexed; run again"))?;
    let size = index::stored_size(path, &dated)?;
    let entries: u64 = stored.blocks.iter().map(|b| b.entries).sum();
    let share = 100.0 * size as f64 / (bytes.len().max(1)) as f64;
    Ok(format!(
        "{name}: {}: {} {}, {} {}, index {} ({share:.2}% of {}), {:.2} s",
        action.as_str(),
        stored.blocks.len(),
        if stored.blocks.len() == 1 {
            "block"
        } else {
            "blocks"
        },
        super::thousands(entries),
        if entries == 1 { "entry" } else { "entries" },
        mib(size),
        mib(bytes.len() as u64),
        started.elapsed().as_secs_f64()
    ))
}

fn mib(n: u64) -> String {
    format!("{:.1} MiB", n as f64 / f64::from(1 << 20))
}

fn modified_ns(path: &Path) -> Result<i64> {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| Error::io(path.display().to_string(), &e))?;
    Ok(modified
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64))
}
