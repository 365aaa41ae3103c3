//! One thin file per subcommand, wiring input + query + sink, and the steps they share:
//! resolving inputs, reporting errors, building a scan configuration.

pub mod context;
pub mod export;
pub mod fields;
pub mod filters;
pub mod follow;
pub mod formats;
pub mod hint;
pub mod history;
pub mod progress;
pub mod search;
pub mod shell;
pub mod stats;
pub mod suggest;
pub mod tail;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSetBuilder};
use std::sync::atomic::AtomicU64;

use crate::cli::{FilterArgs, QueryPaths};
use crate::config::{FilterConfig, InputConfig, Legacy, Positionals};
use crate::error::{Error, Result};
use crate::input::{self, Input};
use crate::scan::{self, ScanConfig, ScanError};
use crate::sink::print::thousands;
use crate::sink::sanitize::sanitize;
use crate::sink::Sink;

/// Scans each input in turn into `sink`, handing every part to `merge`; an input that
/// fails is reported and the rest are still read. Returns whether any input failed;
/// an output error (the sink's) ends the scan as an error.
pub fn scan_all<S: Sink>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    mut merge: impl FnMut(S::Part),
) -> Result<bool> {
    let mut failed = false;
    for (i, input) in inputs.iter().enumerate() {
        let mut emit = |part| {
            merge(part);
            Ok(true)
        };
        failed |= scanned(scan::scan_input(input, i, cfg, sink, &mut emit))?.is_none();
    }
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

/// The paths to read as given, or the defaults (`COVET_LOGS_PATH`, else piped stdin).
pub fn given_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths.to_vec();
    }
    match std::env::var("COVET_LOGS_PATH") {
        Ok(env) if !env.trim().is_empty() => env
            .split(':')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// Resolves paths (or `COVET_LOGS_PATH`, or piped stdin) to inputs. Paths that fail are
/// reported here; the returned flag says whether any did (exit 2 at the end). With
/// `debug`, each file a directory walk left out is named with why.
pub fn resolve_inputs(
    paths: &[PathBuf],
    follow_links: bool,
    debug: bool,
    globs: &[String],
) -> Result<(Vec<Input>, bool)> {
    use std::io::IsTerminal;
    let env = std::env::var("COVET_LOGS_PATH").ok();
    let stdin_tty = std::io::stdin().is_terminal();
    let input::Resolved {
        inputs,
        errors,
        skipped,
    } = input::resolve(paths, env.as_deref(), stdin_tty, follow_links)?;
    if debug {
        for (path, why) in &skipped {
            eprintln!(
                "covet-logs: debug: {}: skipped: {why}",
                sanitize(&path.display().to_string())
            );
        }
    }
    for e in &errors {
        report(e);
    }
    if inputs.is_empty() && errors.is_empty() {
        return Err(Error::new(
            paths
                .first()
                .map_or("input".to_string(), |p| p.display().to_string()),
            "no log files found (text files named like logs or holding log lines; binary files are skipped)",
        ));
    }
    let inputs = apply_globs(inputs, paths, globs)?;
    Ok((inputs, !errors.is_empty()))
}

/// `-g`: files found by walking a directory are kept when their path matches a glob
/// (or no glob is given); `!GLOB` excludes. Files named as arguments always stay.
pub fn apply_globs(inputs: Vec<Input>, named: &[PathBuf], globs: &[String]) -> Result<Vec<Input>> {
    if globs.is_empty() {
        return Ok(inputs);
    }
    let (mut include, mut exclude) = (GlobSetBuilder::new(), GlobSetBuilder::new());
    let mut any_include = false;
    for g in globs {
        let (set, text) = match g.strip_prefix('!') {
            Some(rest) => (&mut exclude, rest),
            None => {
                any_include = true;
                (&mut include, g.as_str())
            }
        };
        let glob =
            Glob::new(text).map_err(|e| Error::new(format!("--glob {g}"), e.kind().to_string()))?;
        set.add(glob);
    }
    let build = |b: GlobSetBuilder| b.build().map_err(|e| Error::new("--glob", e.to_string()));
    let (include, exclude) = (build(include)?, build(exclude)?);
    let matches = |set: &globset::GlobSet, p: &Path| {
        set.is_match(p) || p.file_name().is_some_and(|n| set.is_match(n))
    };
    Ok(inputs
        .into_iter()
        .filter(|input| match input {
            Input::File(p) if !named.contains(p) => {
                (!any_include || matches(&include, p)) && !matches(&exclude, p)
            }
            _ => true,
        })
        .collect())
}

/// Total size of the file inputs (for progress bars); stdin counts as unknown.
pub fn total_size(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Stdin | Input::Spooled(_) => None,
        })
        .sum()
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
