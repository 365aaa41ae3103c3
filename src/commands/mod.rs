//! One thin file per subcommand, wiring input + query + sink, and the steps they share:
//! reporting the opened inputs and errors, building a scan configuration.

pub mod cluster;
pub mod context;
pub mod export;
pub mod fields;
pub mod filters;
pub mod follow;
pub mod formats;
pub mod hint;
pub mod history;
pub mod index;
#[cfg(test)]
mod insights;
#[cfg(feature = "parquet")]
mod partition;
pub mod progress;
pub mod search;
pub mod shell;
pub mod stats;
pub mod suggest;
pub mod tail;

use std::ffi::OsStr;
use std::path::PathBuf;

use std::sync::atomic::AtomicU64;

use crate::cli::{FilterArgs, QueryPaths};
use crate::config::{FilterConfig, InputConfig, Legacy, Positionals};
use crate::engine::each;
use crate::engine::inputs::Inputs;
use crate::error::{Error, Result};
use crate::input::Input;
use crate::scan::{ScanConfig, ScanError};
use crate::sink::print::thousands;
use crate::sink::sanitize::sanitize;
use crate::sink::Sink;

/// Scans the inputs into `sink` (small files side by side, `engine::each`), handing
/// every part to `merge` in input order; an input that fails is reported and the rest
/// are still read. Returns whether any input failed; an output error (the sink's) ends
/// the scan as an error.
pub fn scan_all<S: Sink>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    mut merge: impl FnMut(S::Part),
) -> Result<bool> {
    let mut failed = false;
    let mut emit = |part| {
        merge(part);
        Ok(true)
    };
    let mut done = |_, scan| {
        failed |= scanned(scan)?.is_none();
        Ok(true)
    };
    each::scan_inputs(inputs, cfg, sink, &mut emit, &mut done)?;
    Ok(failed)
}

/// One input's scan as a command that goes on to the next input sees it: its report,
/// or `None` when the input failed (reported here); an output error is the command's.
pub fn scanned<T>(scan: std::result::Result<T, ScanError>) -> Result<Option<T>> {
    match scan {
        Ok(t) => Ok(Some(t)),
        Err(ScanError::Input(e)) => {
            report(&e);
            Ok(None)
        }
        Err(ScanError::Output(e)) => Err(e),
    }
}

/// Prints an error as `covet-logs: what: why`, plus its detail lines.
pub fn report(e: &Error) {
    eprintln!("covet-logs: {e}");
    for line in e.detail.iter().flat_map(|d| d.lines()) {
        eprintln!("{}", sanitize(line));
    }
}

/// A filtering command's positionals as its query and paths, by the one rule of
/// `config::Positionals`; `--debug` says when the first was read as an input.
pub fn split_positionals(
    query: Option<&OsStr>,
    query_opt: bool,
    paths: &[PathBuf],
    legacy: Legacy,
    debug: bool,
) -> Positionals {
    let given = Positionals::split(query, query_opt, paths, legacy);
    if let Some(note) = given.debug_note().filter(|_| debug) {
        eprintln!("covet-logs: debug: {note}");
    }
    given
}

/// `tail`, `stats`, `export`, `fields`: the first positional taken as the query (into
/// `filter.query_opt`, as `-q` would) or as the first path.
pub fn fold_positionals(pos: &mut QueryPaths, filter: &mut FilterArgs, debug: bool) {
    let given = split_positionals(
        pos.query.as_deref(),
        filter.query_opt.is_some(),
        &pos.paths,
        Legacy::PathsOnly,
        debug,
    );
    pos.query = None;
    pos.paths = given.paths;
    if filter.query_opt.is_none() {
        filter.query_opt = given.query;
    }
}

/// What `engine::open_inputs` found, as the CLI says it: with `debug`, each file a
/// directory walk left out, with why; then each path that failed. Returns the inputs
/// and whether any path failed (exit 2 at the end).
pub fn reported(opened: Inputs, debug: bool) -> (Vec<Input>, bool) {
    if debug {
        for (path, why) in &opened.skipped {
            eprintln!(
                "covet-logs: debug: {}: skipped: {why}",
                sanitize(&path.display().to_string())
            );
        }
    }
    opened.errors.iter().for_each(report);
    (opened.list, !opened.errors.is_empty())
}

/// The scanner's settings from the resolved filter and input settings.
pub fn scan_config<'a>(
    filter: &'a FilterConfig,
    input: &InputConfig,
    need_lines: bool,
    progress: Option<&'a AtomicU64>,
) -> ScanConfig<'a> {
    ScanConfig {
        query: &filter.query,
        ctx: filter.ctx,
        format: input.format,
        threads: input.threads,
        chunk_size: input.chunk_size,
        need_lines,
        window: filter.window,
        no_mmap: input.no_mmap,
        progress,
        entries: None,
        debug: input.debug,
        max_entry: input.max_entry,
        plan: crate::index::planner(input.index),
        levels: None,
        ends: None,
    }
}

/// Starts the pager as `--paging` asks (see `sink::pager`); never while following.
pub fn start_pager(choice: crate::cli::PagingChoice, following: bool) {
    use crate::cli::PagingChoice;
    use crate::sink::pager::{self, Paging};
    let paging = match choice {
        PagingChoice::Auto => Paging::Auto,
        PagingChoice::Always => Paging::Always,
        PagingChoice::Never => Paging::Never,
    };
    pager::start(paging, following);
}

/// The summary after a search (`--stats`, or on a terminal), as the seed's "Showing
/// 1-50 of 1.2M": `1,247 of 2.4M entries in 3 files, 0.21 s`.
pub fn summary_line(matched: u64, entries: u64, files: usize, secs: f64) -> String {
    let noun = |n: u64, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    format!(
        "{} of {} {} in {} {}, {:.2} s",
        thousands(matched),
        short_count(entries),
        noun(entries, "entry", "entries"),
        files,
        noun(files as u64, "file", "files"),
        secs
    )
}

/// `2_400_000` -> `2.4M`; below ten thousand, exact with separators.
pub fn short_count(n: u64) -> String {
    match n {
        0..=9_999 => thousands(n),
        10_000..=999_999 => format!("{:.1}K", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.1}G", n as f64 / 1e9),
    }
}
