//! `covet-logs history`: the last searches, newest first; and recording a search.
//!
//! Every `search` appends its query, time and match count to `history.json` in the
//! state directory (see `store`), keeping the last 100. `COVET_LOGS_NO_HISTORY=1` or
//! `search --no-history` turn recording off. Recording never fails a search: a problem
//! is one warning line on stderr.

use crate::cli::filters::HistoryArgs;
use crate::commands::report;
use crate::error::{Result, EXIT_ERROR, EXIT_MATCH};
use crate::format::timestamp;
use crate::sink::out::Out;
use crate::sink::sanitize::sanitize;
use crate::store::{self, HistoryEntry, HistoryFile};

/// Whether recording is turned off by the environment.
fn disabled_by_env() -> bool {
    std::env::var("COVET_LOGS_NO_HISTORY").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Records one search unless turned off; problems are a warning, never an error.
pub fn record(query: &str, matches: u64, off: bool) {
    if off || disabled_by_env() {
        return;
    }
    let entry = HistoryEntry {
        query: query.to_string(),
        time: timestamp::format_rfc3339_ms(crate::config::now_ns()),
        matches,
    };
    let res = store::history_path().and_then(|p| HistoryFile::record(&p, entry));
    if let Err(e) = res {
        eprintln!("covet-logs: warning: history not recorded: {e}");
    }
}

/// Runs `history` and returns the exit code.
pub fn run(args: &HistoryArgs) -> i32 {
    match history(args) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            EXIT_ERROR
        }
    }
}

fn history(args: &HistoryArgs) -> Result<i32> {
    let path = store::history_path()?;
    if args.clear {
        HistoryFile::clear(&path)?;
        return Ok(EXIT_MATCH);
    }
    let file = HistoryFile::load(&path)?;
    let n = args.lines.unwrap_or(usize::MAX);
    let mut text = String::new();
    for e in file.searches.iter().rev().take(n) {
        if args.json {
            text.push_str(&serde_json::to_string(e).unwrap_or_default());
        } else {
            text.push_str(&format!(
                "{}  {:>8}  {}",
                sanitize(&e.time),
                e.matches,
                sanitize(&e.query)
            ));
        }
        text.push('\n');
    }
    let mut out = Out::new();
    out.write(text.as_bytes());
    out.finish()?;
    Ok(EXIT_MATCH)
}
