//! The settings of one scan (`ScanConfig`): the compiled query, time context, format,
//! threads and chunk size, the time window, and the counters a scan reports into. Built
//! by the resolved configuration; read by the scanner, the region loop and the seek.

use std::sync::atomic::AtomicU64;

use crate::format::{timestamp::TimeCtx, Format};
use crate::query::Query;

/// Settings for one scan.
pub struct ScanConfig<'q> {
    pub query: &'q Query,
    pub ctx: TimeCtx,
    /// A format forced with `--format`; `None` detects per input.
    pub format: Option<Format>,
    pub threads: usize,
    /// Target chunk size in bytes for parallel scans and stream blocks.
    pub chunk_size: usize,
    /// Whether entries need their line numbers.
    pub need_lines: bool,
    /// `--since`/`--until` bounds, used to seek in time-ordered files.
    pub window: (Option<i64>, Option<i64>),
    pub no_mmap: bool,
    /// Bytes processed so far, for the progress bar.
    pub progress: Option<&'q AtomicU64>,
    /// Entries read so far, counted only when asked (the summary line of `search`).
    pub entries: Option<&'q AtomicU64>,
    /// Print strategy decisions on stderr.
    pub debug: bool,
    /// The longest entry kept whole (`--max-entry-size`); longer ones are split.
    pub max_entry: usize,
}
