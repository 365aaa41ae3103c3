//! `covet-logs history`: the last searches, newest first; recording a search; and
//! `history run N`, which prepares search N to run again (`main` dispatches it).
//!
//! Every `search` appends its query, arguments (paths and flags as typed), working
//! directory, time and match count to `history.json` in the state directory (see
//! `store`), keeping the last 100. `COVET_LOGS_NO_HISTORY=1` or `search --no-history`
//! turn recording off. Recording never fails a search: a problem is one warning line
//! on stderr. Searches made in the server's page or API are recorded too
//! (`record_served`: the query and filter flags, without paths).

use std::sync::OnceLock;

use crate::cli::filters::HistoryArgs;
use crate::engine::Outcome;
use crate::error::{Error, Result};
use crate::format::timestamp;
use crate::sink::out::Out;
use crate::sink::sanitize::{sanitize, shell_word};
use crate::store::{self, HistoryEntry, HistoryFile};

/// Whether recording is turned off by the environment.
fn disabled_by_env() -> bool {
    std::env::var("COVET_LOGS_NO_HISTORY").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The arguments of a search run again by `history run N` (its own, not
/// `history run N`), to record it as it was typed.
static RERUN_ARGS: OnceLock<Vec<String>> = OnceLock::new();

/// The arguments after the program name, as typed (or as recorded, for a re-run).
fn typed_args() -> Vec<String> {
    match RERUN_ARGS.get() {
        Some(args) => args.clone(),
        None => std::env::args_os()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
    }
}

/// Records one search unless turned off; problems are a warning, never an error.
pub fn record(query: &str, matches: u64, off: bool) {
    if off || disabled_by_env() {
        return;
    }
    let cwd = std::env::current_dir()
        .ok()
        .map(|d| d.to_string_lossy().into_owned());
    append(query, matches, typed_args(), cwd);
}

/// Records a search made through the server's API, unless turned off by the
/// environment: its query, match count and filter flags (`search --query=...
/// --level=...`: what `history run` runs again, on the default inputs), no path and
/// no working directory (those of the server are not the searcher's).
pub fn record_served(query: &str, matches: u64, filter_flags: Vec<String>) {
    if disabled_by_env() {
        return;
    }
    let args = std::iter::once("search".to_string())
        .chain(filter_flags)
        .collect();
    append(query, matches, args, None);
}

/// Appends one entry to the history file (under its lock); a problem is a warning.
fn append(query: &str, matches: u64, args: Vec<String>, cwd: Option<String>) {
    let entry = HistoryEntry {
        query: query.to_string(),
        time: timestamp::format_rfc3339_ms(crate::config::now_ns()),
        matches,
        args,
        cwd,
    };
    let res = store::history_path().and_then(|p| HistoryFile::record(&p, entry));
    if let Err(e) = res {
        eprintln!("covet-logs: warning: history not recorded: {e}");
    }
}

/// The `n` most recent searches, newest first (the value `history --json` prints and
/// the server answers).
pub fn recent(n: usize) -> Result<Vec<HistoryEntry>> {
    let file = HistoryFile::load(&store::history_path()?)?;
    Ok(file.searches.into_iter().rev().take(n).collect())
}

/// Runs `history` (`history run N` is `main`'s: it parses the recorded search).
pub fn run(args: &HistoryArgs) -> Result<Outcome> {
    let path = store::history_path()?;
    if args.clear {
        HistoryFile::clear(&path)?;
        return Ok(Outcome::Matched);
    }
    let now = crate::config::now_ns();
    let mut text = String::new();
    for (i, e) in recent(args.lines.unwrap_or(usize::MAX))?.iter().enumerate() {
        if args.json {
            text.push_str(&serde_json::to_string(e).unwrap_or_default());
        } else {
            text.push_str(&format!(
                "{:>3}  {}  {:>9}  {:>8} matched  covet-logs {}",
                i + 1,
                sanitize(&shown_time(&e.time)),
                ago(&e.time, now),
                super::thousands(e.matches),
                sanitize(&command_line(e))
            ));
        }
        text.push('\n');
    }
    let mut out = Out::new();
    out.write(text.as_bytes());
    out.finish()?;
    Ok(Outcome::Matched)
}

/// `2024-01-15T14:23:45.123Z` as `2024-01-15 14:23:45` (unchanged if it does not parse).
fn shown_time(time: &str) -> String {
    match timestamp::parse_str(time.as_bytes(), &timestamp::TimeCtx::utc_now_year()) {
        Some(ns) => timestamp::format_display(ns, false)
            .get(..19)
            .unwrap_or(time)
            .to_string(),
        None => time.to_string(),
    }
}

/// How long ago: `12s ago`, `5m ago`, `3h ago`, `2d ago`.
fn ago(time: &str, now: i64) -> String {
    let Some(ns) = timestamp::parse_str(time.as_bytes(), &timestamp::TimeCtx::utc_now_year())
    else {
        return String::new();
    };
    crate::sink::status::ago(std::time::Duration::from_nanos((now - ns).max(0) as u64))
}

/// The recorded command line, each argument quoted for a shell when it needs it; an
/// entry recorded before arguments were kept shows its query.
fn command_line(e: &HistoryEntry) -> String {
    let args = rerun_args(e);
    args.iter()
        .map(|a| shell_word(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The arguments to run an entry again (an old entry: `search -q QUERY`).
fn rerun_args(e: &HistoryEntry) -> Vec<String> {
    match e.args.is_empty() {
        false => e.args.clone(),
        true => vec!["search".into(), "-q".into(), e.query.clone()],
    }
}

/// `history run N`: the command line of search N (1 is the newest) to parse and run
/// again, after moving to the directory it ran in; says on stderr what runs.
pub fn prepare_rerun(n: usize) -> Result<Vec<String>> {
    let path = store::history_path()?;
    let file = HistoryFile::load(&path)?;
    let count = file.searches.len();
    let entry = n
        .checked_sub(1)
        .and_then(|i| file.searches.iter().rev().nth(i))
        .ok_or_else(|| {
            Error::new(
                format!("history run {n}"),
                format!("there are {count} recorded searches (1 is the newest)"),
            )
        })?;
    if let Some(dir) = &entry.cwd {
        std::env::set_current_dir(dir).map_err(|e| Error::io(dir.clone(), &e))?;
    }
    let args = rerun_args(entry);
    if args.first().map(String::as_str) != Some("search") {
        return Err(Error::new(
            format!("history run {n}"),
            "only searches are run again",
        ));
    }
    eprintln!(
        "covet-logs: running: covet-logs {}",
        sanitize(&command_line(entry))
    );
    let _ = RERUN_ARGS.set(args.clone());
    Ok(std::iter::once("covet-logs".to_string())
        .chain(args)
        .collect())
}
