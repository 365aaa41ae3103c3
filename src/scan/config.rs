//! The settings of one scan (`ScanConfig`): the compiled query, time context, format,
//! threads and chunk size, the time window, and the counters a scan reports into. Built
//! by the resolved configuration; read by the scanner, the region loop and the seek.

use std::path::Path;
use std::sync::atomic::AtomicU64;

use crate::format::{timestamp::TimeCtx, Format};
use crate::query::Query;
use crate::scan::tally::LevelTally;
use crate::sink::Counted;

/// Settings for one scan.
#[derive(Clone)]
pub struct ScanConfig<'q> {
    /// The query every entry is tested with.
    pub query: &'q Query,
    /// What to assume for what the entries' timestamps leave out.
    pub ctx: TimeCtx,
    /// A format forced with `--format`; `None` detects per input.
    pub format: Option<Format>,
    /// Threads the scan is planned for (the work runs on rayon's global pool).
    pub threads: usize,
    /// Target chunk size in bytes for parallel scans and stream blocks.
    pub chunk_size: usize,
    /// Whether entries need their line numbers.
    pub need_lines: bool,
    /// `--since`/`--until` bounds, used to seek in time-ordered files.
    pub window: (Option<i64>, Option<i64>),
    /// Read files as streams instead of mapping them.
    pub no_mmap: bool,
    /// Bytes processed so far, for the progress bar.
    pub progress: Option<&'q AtomicU64>,
    /// Entries read so far, counted only when asked (the summary line of `search`).
    pub entries: Option<&'q AtomicU64>,
    /// Print strategy decisions on stderr.
    pub debug: bool,
    /// The longest entry kept whole (`--max-entry-size`); longer ones are split.
    pub max_entry: usize,
    /// Which blocks of a mapped file can hold a match (a block index); `None`: all.
    pub plan: Option<&'q dyn Plan>,
    /// The levels of the entries read without a match, tallied until the first match
    /// (only when asked: what a search that matched nothing says of its inputs).
    pub levels: Option<&'q LevelTally>,
    /// Where each input's read ends, by its position among the inputs (`None`, or a
    /// position past the slice: at its end as mapped): the history of a follow that an
    /// engine reads, up to where the follower resumes.
    pub ends: Option<&'q [Option<u64>]>,
}

/// Tells the scanner which entry-aligned blocks of a mapped file may hold a match, so
/// it reads only those (the block index answers it, without the scanner knowing how).
pub trait Plan: Sync {
    /// The file's blocks, covering `bytes` in order without gaps, or `None` when there
    /// is no usable plan (the file is then scanned whole).
    fn blocks(
        &self,
        path: &Path,
        bytes: &[u8],
        format: Format,
        cfg: &ScanConfig<'_>,
    ) -> Option<Vec<PlanBlock>>;
}

/// One entry-aligned block of a planned file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanBlock {
    /// Byte range.
    pub start: usize,
    pub end: usize,
    /// Line number of the block's first line (1-based).
    pub first_line: u64,
    /// Entries in the block, counted as the scanner counts them.
    pub entries: u64,
    /// Whether the block may hold a match (false: proven not to).
    pub scan: bool,
    /// The entries of the block that match, by level, when the summary knows them
    /// exactly (a sink that takes counts takes these instead of reading the block).
    pub matches: Option<Counted>,
}

impl<'q> ScanConfig<'q> {
    /// Where the read of input `index` ends (`ends`), if it is cut short.
    pub fn end_of(&self, index: usize) -> Option<u64> {
        self.ends
            .and_then(|ends| ends.get(index).copied().flatten())
    }

    /// The bytes of input `index` (`bytes`: all of it, as mapped) that a scan reads.
    pub fn cut<'b>(&self, index: usize, bytes: &'b [u8]) -> &'b [u8] {
        match self.end_of(index) {
            Some(end) => &bytes[..bytes.len().min(end as usize)],
            None => bytes,
        }
    }

    /// The command line's defaults for `query`: formats detected per input, one thread
    /// per core, 4 MiB chunks, files mapped, no line numbers, no window, entries up to
    /// 64 MiB kept whole, every input read to its end.
    pub fn new(query: &'q Query, ctx: TimeCtx) -> ScanConfig<'q> {
        ScanConfig {
            query,
            ctx,
            format: None,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            chunk_size: 4 << 20,
            need_lines: false,
            window: (None, None),
            no_mmap: false,
            progress: None,
            entries: None,
            debug: false,
            max_entry: crate::format::bounds::MAX_ENTRY,
            plan: None,
            levels: None,
            ends: None,
        }
    }
}
