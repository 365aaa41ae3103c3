//! The scanner: turns an opened input into entries, runs the query on them, and hands
//! matches to a sink, in input order.
//!
//! A mapped file is split into entry-aligned chunks that rayon scans in parallel; the
//! chunks' partial results are emitted in order. Streams (stdin, pipes, compressed
//! files) are read in bounded blocks cut at entry boundaries. Within a region, the
//! query's literal prefilter jumps from candidate to candidate; an entry is widened
//! from the hit to its bounds and only then parsed and checked.
//!
//! No entry grows past `max_entry` bytes: a longer one is split into pieces of that
//! size (none dropped), and one notice per input on stderr says how many were split.
//! A stream that fails part-way (a truncated gzip) is scanned up to the failure first,
//! then the error is returned.

pub mod backward;
mod blocks;
pub mod config;
pub mod region;
pub mod seek;
pub mod tally;

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::error::Error;
use crate::format::{self, timestamp::TimeCtx, Format};
use crate::input::{self, Input, Opened};
use crate::sink::{Counted, Sink, Source};

#[cfg(test)]
use blocks::Cutter;
use blocks::{Batch, BlockReader, Msg};

pub use config::{Plan, PlanBlock, ScanConfig};

pub use crate::format::bounds::{human_size, MAX_ENTRY};

/// The outcome of scanning one input.
#[derive(Debug, Default)]
pub struct Report {
    /// The input's format (detected, or forced); `None` for an empty stream.
    pub format: Option<Format>,
    /// Bytes read.
    pub bytes: u64,
    /// The file shrank while it was being read.
    pub truncated: bool,
    /// A stream failed part-way (truncated or corrupt gzip/zstd); what came before
    /// it was scanned.
    pub damage: Option<Error>,
}

/// Why a scan ended with an error. Errors travel one way, up to the caller: the
/// input's (it could not be opened or read, it shrank, a stream broke part-way after
/// what came before was scanned) and the output's (the sink's `matched` or the
/// caller's `emit` returned an error, and the scan stopped there) are told apart, so
/// a command can report a bad input and go on with the next one, yet stop at a failed
/// output.
#[derive(Debug)]
pub enum ScanError {
    /// Reading the input failed.
    Input(Error),
    /// The sink or `emit` failed.
    Output(Error),
}

impl ScanError {
    /// The error, whichever side it came from.
    pub fn error(&self) -> &Error {
        let (ScanError::Input(e) | ScanError::Output(e)) = self;
        e
    }
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error().fmt(f)
    }
}

impl std::error::Error for ScanError {}

impl From<ScanError> for Error {
    fn from(scan: ScanError) -> Error {
        let (ScanError::Input(e) | ScanError::Output(e)) = scan;
        e
    }
}

impl From<Error> for ScanError {
    /// An error of the scanner's own steps is the input's.
    fn from(e: Error) -> ScanError {
        ScanError::Input(e)
    }
}

/// What `emit` answers for each part: `Ok(true)` to go on, `Ok(false)` to stop
/// quietly, `Err` to stop with an output error.
pub type Emit<'e, P> = dyn FnMut(P) -> Result<bool, Error> + 'e;

/// Scans one input; `emit` receives the sink's parts in order and answers whether to go
/// on. A stream that fails part-way is an error after its entries were emitted.
pub fn scan_input<S: Sink>(
    input: &Input,
    index: usize,
    cfg: &ScanConfig<'_>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
) -> Result<Report, ScanError> {
    let mut report = scan_input_report(input, index, cfg, sink, emit)?;
    match report.damage.take() {
        Some(e) => Err(ScanError::Input(e)),
        None => Ok(report),
    }
}

/// `scan_input` for a caller that needs the report (the format) even when the stream
/// failed part-way: the damage is in `Report::damage`.
pub fn scan_input_report<S: Sink>(
    input: &Input,
    index: usize,
    cfg: &ScanConfig<'_>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
) -> Result<Report, ScanError> {
    let name = input.display_name();
    // Timestamps without a year or a date take them from the file's modification time.
    let dated;
    let cfg = match modified_ns(input) {
        Some(ns) => {
            dated = ScanConfig {
                ctx: cfg.ctx.dated(ns),
                ..*cfg
            };
            &dated
        }
        None => cfg,
    };
    match input::open(input, cfg.no_mmap)? {
        Opened::Mapped(map) => {
            // A history read up to where a follower resumes ends there (`ends`).
            let end = cfg.end_of(index);
            let bytes = cfg.cut(index, map.bytes());
            let format = cfg
                .format
                .unwrap_or_else(|| format::detect(bytes, &cfg.ctx));
            let source = Source {
                name: name.clone(),
                index,
                format,
            };
            debug(cfg, || {
                format!(
                    "{name}: format {}, memory-mapped, {} bytes",
                    format.name(),
                    bytes.len()
                )
            });
            map.advise_sequential();
            let plan = match (cfg.plan, input) {
                (Some(plan), Input::File(path)) if end.is_none() => {
                    plan.blocks(path, bytes, format, cfg)
                }
                _ => None,
            };
            // A file with no index to skip by and mostly not in the page cache is read
            // faster by one reader from its start (`GuardedMap::mostly_cold`).
            let why = if plan.is_none() && map.mostly_cold() {
                Some("not in the page cache")
            } else if !scan_mapped(bytes, &source, cfg, plan.as_deref(), sink, emit)? {
                // An entry longer than the cap makes a chunk as long as the entry: read
                // the file as a stream instead, which cuts it into pieces as it reads.
                Some("an entry longer than --max-entry-size")
            } else {
                None
            };
            if let Some(why) = why {
                debug(cfg, || format!("{name}: {why}; read as a stream"));
                let len = bytes.len() as u64;
                drop(map);
                return match input::open(input, true)? {
                    Opened::Stream(reader) if end.is_some() => {
                        scan_stream(Box::new(reader.take(len)), &name, index, cfg, sink, emit)
                    }
                    Opened::Stream(reader) => scan_stream(reader, &name, index, cfg, sink, emit),
                    Opened::Mapped(_) => {
                        Err(Error::new(name, "could not be read as a stream").into())
                    }
                };
            }
            let truncated = map.was_truncated();
            if truncated {
                return Err(ScanError::Input(Error::new(
                    name,
                    "file shrank while being read; results past its new end are incomplete",
                )));
            }
            Ok(Report {
                format: Some(format),
                bytes: bytes.len() as u64,
                truncated,
                damage: None,
            })
        }
        Opened::Stream(reader) => scan_stream(reader, &name, index, cfg, sink, emit),
    }
}

/// A file input's modification time in nanoseconds since the epoch.
fn modified_ns(input: &Input) -> Option<i64> {
    let Input::File(path) = input else {
        return None;
    };
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(since.as_nanos()).ok()
}

fn debug(cfg: &ScanConfig<'_>, msg: impl FnOnce() -> String) {
    if cfg.debug {
        eprintln!(
            "covet-logs: debug: {}",
            crate::sink::sanitize::sanitize(&msg())
        );
    }
}

/// Scans a whole in-memory buffer (a mapped file) in parallel, entry-aligned chunks.
/// Returns false, having scanned nothing, when a chunk would be longer than a chunk
/// plus `--max-entry-size` (an entry past the cap): its pages and its rendered output
/// would be held whole, so the caller reads the file as a stream instead. A sink's
/// error ends the scan after the parts before it (and its own part) were emitted.
fn scan_mapped<S: Sink>(
    bytes: &[u8],
    source: &Source,
    cfg: &ScanConfig<'_>,
    plan: Option<&[PlanBlock]>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
) -> Result<bool, ScanError> {
    let (lo, hi) = seek::window_range(bytes, source.format, cfg);
    if (lo, hi) != (0, bytes.len()) {
        debug(cfg, || {
            format!("{}: time window seeks to bytes {lo}..{hi}", source.name)
        });
    }
    // A sink that takes counts takes the summaries' counts for whole blocks.
    let counting = sink.takes_counts() && (lo, hi) == (0, bytes.len());
    let (ranges, counted) = match plan {
        Some(blocks) => planned_ranges(bytes, blocks, (lo, hi), counting, source, cfg),
        None => (vec![(lo, hi, None)], None),
    };
    if let Some(counted) = counted {
        let mut part = sink.part();
        sink.add_counted(&mut part, &counted);
        if !emit(part).map_err(ScanError::Output)? {
            return Ok(true);
        }
    }
    let longest = cfg.chunk_size.max(1).saturating_add(cfg.max_entry);
    let mut chunks = Vec::new();
    // The line number a chunk starts on, where it starts a planned range.
    let mut resets = Vec::new();
    for &(s, e, line) in &ranges {
        let Some(part) = region::split_bounded(
            bytes,
            s,
            e,
            cfg.chunk_size,
            longest,
            source.format,
            &cfg.ctx,
        ) else {
            return Ok(false);
        };
        resets.extend((0..part.len()).map(|i| if i == 0 { line } else { None }));
        chunks.extend(part);
    }
    let split = AtomicU64::new(0);
    debug(cfg, || {
        format!(
            "{}: {} chunk(s), {} thread(s), prefilter {}",
            source.name,
            chunks.len(),
            cfg.threads,
            cfg.query
                .prefilter
                .as_ref()
                .map_or("none".to_string(), |p| p.describe().to_string())
        )
    });
    if sink.combines() && !cfg.need_lines {
        let part = fold_chunks(bytes, &chunks, source, cfg, sink, &split);
        notice_split(&source.name, split.into_inner(), cfg.max_entry);
        emit(part.map_err(ScanError::Output)?).map_err(ScanError::Output)?;
        return Ok(true);
    }
    let mut line_base = match ranges.first() {
        Some(&(s, _, None)) if cfg.need_lines && s > 0 => {
            1 + memchr::memchr_iter(b'\n', &bytes[..s]).count() as u64
        }
        _ => 1,
    };
    let mut resets = resets.into_iter();
    // Large batches: each batch ends in a barrier where a thread with a cheaper chunk
    // waits, so fewer, larger batches keep both cores busy.
    let batch = (cfg.threads * 16).max(1);
    for group in chunks.chunks(batch) {
        let bases: Vec<u64> = if cfg.need_lines {
            let counts: Vec<u64> = group
                .par_iter()
                .map(|&(s, e)| memchr::memchr_iter(b'\n', &bytes[s..e]).count() as u64)
                .collect();
            let mut bases = Vec::with_capacity(counts.len());
            for c in counts {
                if let Some(Some(line)) = resets.next() {
                    line_base = line;
                }
                bases.push(line_base);
                line_base += c;
            }
            bases
        } else {
            vec![0; group.len()]
        };
        let parts: Vec<(S::Part, Result<(), Error>)> = group
            .par_iter()
            .zip(bases.par_iter())
            .map(|(&(s, e), &base)| {
                let mut part = sink.part();
                let scanned =
                    region::scan_region(&bytes[s..e], s as u64, base, source, cfg, sink, &mut part);
                let scanned = scanned.map(|long| {
                    split.fetch_add(long, Ordering::Relaxed);
                });
                // Counted before the pages are released: counting after would map them again.
                count_progress(cfg, &bytes[s..e], source.format);
                input::guard::release(&bytes[s..e]);
                (part, scanned)
            })
            .collect();
        if !emit_in_order(parts, emit)? {
            return Ok(true);
        }
    }
    notice_split(&source.name, split.into_inner(), cfg.max_entry);
    Ok(true)
}

/// A byte range to scan and, when known, the line it starts on.
type Range = (usize, usize, Option<u64>);

/// The ranges of a planned file to scan, inside the time window's `lo..hi`: the blocks
/// that may hold a match, adjacent ones joined, each with the line it starts on; and,
/// when `counting`, the matches of the blocks whose count the plan knows (those are
/// not read). The blocks not read go to the counters of bytes and entries, as if read.
fn planned_ranges(
    bytes: &[u8],
    blocks: &[PlanBlock],
    (lo, hi): (usize, usize),
    counting: bool,
    source: &Source,
    cfg: &ScanConfig<'_>,
) -> (Vec<Range>, Option<Counted>) {
    let mut ranges: Vec<Range> = Vec::new();
    let (mut skipped, mut skipped_bytes, mut entries) = (0usize, 0u64, 0u64);
    let mut counted = None;
    for b in blocks {
        let (s, e) = (b.start.max(lo), b.end.min(hi));
        if s >= e {
            continue;
        }
        let known = b.matches.filter(|_| counting);
        if !b.scan || known.is_some() {
            if let Some(n) = known {
                counted.get_or_insert_with(Counted::default).add(&n);
            }
            skipped += 1;
            skipped_bytes += (e - s) as u64;
            entries += if (s, e) == (b.start, b.end) {
                b.entries
            } else {
                count_entries(&bytes[s..e], source.format, &cfg.ctx)
            };
            continue;
        }
        match ranges.last_mut() {
            Some(last) if last.1 == s => last.1 = e,
            _ => ranges.push((s, e, (s == b.start).then_some(b.first_line))),
        }
    }
    debug(cfg, || {
        format!(
            "{}: index: {} of {} block(s) skipped{}, {} range(s) scanned",
            source.name,
            skipped,
            blocks.len(),
            counted.map_or(String::new(), |n| format!(
                " ({} matches counted from summaries)",
                n.total()
            )),
            ranges.len()
        )
    });
    if skipped > 0 {
        cfg.levels.map(tally::LevelTally::stop);
    }
    if let Some(p) = cfg.progress {
        p.fetch_add(skipped_bytes, Ordering::Relaxed);
    }
    if let Some(n) = cfg.entries {
        n.fetch_add(entries, Ordering::Relaxed);
    }
    (ranges, counted)
}

/// Hands a batch's parts to `emit` in order, each with what its region's scan ended
/// in: a sink's error comes after the part it stopped in. False when `emit` stopped.
fn emit_in_order<P>(
    parts: Vec<(P, Result<(), Error>)>,
    emit: &mut Emit<'_, P>,
) -> Result<bool, ScanError> {
    for (part, scanned) in parts {
        let more = emit(part).map_err(ScanError::Output)?;
        scanned.map_err(ScanError::Output)?;
        if !more {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Adds a scanned range to the progress counters: its bytes, and its entries when asked.
fn count_progress(cfg: &ScanConfig<'_>, range: &[u8], format: Format) {
    if let Some(p) = cfg.progress {
        p.fetch_add(range.len() as u64, Ordering::Relaxed);
    }
    if let Some(entries) = cfg.entries {
        entries.fetch_add(count_entries(range, format, &cfg.ctx), Ordering::Relaxed);
    }
}

/// Entries in an entry-aligned range: its non-blank lines for one-line formats; for
/// multi-line ones, the lines that start an entry (the range's first line always does).
pub fn count_entries(range: &[u8], format: Format, ctx: &TimeCtx) -> u64 {
    let mut n = 0;
    let mut start = 0;
    while start < range.len() {
        let end = memchr::memchr(b'\n', &range[start..]).map_or(range.len(), |i| start + i);
        let line = &range[start..end];
        let blank = line.iter().all(|b| b.is_ascii_whitespace());
        let starts = || format.surely_starts(line) || format.is_entry_start(line, ctx);
        if !blank && (start == 0 || !format.multiline() || starts()) {
            n += 1;
        }
        start = end + 1;
    }
    n
}

/// Scans all chunks of a mapped file into one part for a sink whose parts combine:
/// each thread folds a run of consecutive chunks into one part, and the parts are
/// combined pairwise in input order, in parallel, so no merge waits on one thread.
/// A sink's error stops the fold (the first one in input order is returned).
fn fold_chunks<S: Sink>(
    bytes: &[u8],
    chunks: &[(usize, usize)],
    source: &Source,
    cfg: &ScanConfig<'_>,
    sink: &S,
    split: &AtomicU64,
) -> Result<S::Part, Error> {
    chunks
        .par_iter()
        .try_fold(
            || sink.part(),
            |mut part, &(s, e)| {
                let scanned =
                    region::scan_region(&bytes[s..e], s as u64, 0, source, cfg, sink, &mut part);
                // Counted before the pages are released: counting after would map them again.
                count_progress(cfg, &bytes[s..e], source.format);
                input::guard::release(&bytes[s..e]);
                split.fetch_add(scanned?, Ordering::Relaxed);
                Ok(part)
            },
        )
        .try_reduce_with(|mut first, next| {
            sink.combine(&mut first, next);
            Ok(first)
        })
        .unwrap_or_else(|| Ok(sink.part()))
}

/// Scans a stream in blocks cut at entry boundaries, a batch of blocks in parallel.
/// The blocks are read (and decompressed) by `blocks::BlockReader`: the first batch
/// on this thread, the rest on a thread of its own that stays one batch ahead of the
/// pool scanning the batch before, so reading and scanning overlap. A read error ends
/// the stream: what was read before it is scanned, then the error is returned.
pub fn scan_stream<S: Sink>(
    reader: Box<dyn Read + Send>,
    name: &str,
    index: usize,
    cfg: &ScanConfig<'_>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
) -> Result<Report, ScanError> {
    let split = AtomicU64::new(0);
    let mut source: Option<Source> = None;
    let mut offset = 0u64;
    let reader = BlockReader::new(reader, name, cfg);
    let spare = reader.spare();
    let batches = reader.batches();
    let mut end = None;
    let mut stopped = false;
    for msg in batches {
        let batch = match msg {
            Msg::Batch(batch) => batch,
            Msg::End(e) => {
                end = Some(e);
                break;
            }
        };
        let src = source.get_or_insert_with(|| Source {
            name: name.to_string(),
            index,
            format: batch.format,
        });
        if batch.blocks.len() == 1 && batch.blocks[0].0.len() < (1 << 16) {
            debug(cfg, || {
                format!("{name}: format {}, streamed", batch.format.name())
            });
        }
        if let Some((buf, off, _)) = batch.blocks.last() {
            offset = off + buf.len() as u64;
        }
        let parts = scan_blocks(&batch, src, cfg, sink, &split);
        spare.give_batch(batch);
        if !emit_in_order(parts, emit)? {
            stopped = true;
            break;
        }
    }
    let end = end.unwrap_or_default();
    notice_split(name, end.split + split.into_inner(), cfg.max_entry);
    Ok(Report {
        format: end.format.or(source.map(|s| s.format)),
        bytes: end.bytes.max(offset),
        truncated: false,
        damage: end.damage.filter(|_| !stopped),
    })
}

/// Scans a batch's blocks in parallel; each block's part and result, in order.
fn scan_blocks<S: Sink>(
    batch: &Batch,
    src: &Source,
    cfg: &ScanConfig<'_>,
    sink: &S,
    split: &AtomicU64,
) -> Vec<(S::Part, Result<(), Error>)> {
    batch
        .blocks
        .par_iter()
        .map(|(buf, off, base)| {
            let mut part = sink.part();
            let base = if cfg.need_lines { *base } else { 0 };
            let scanned = region::scan_region(buf, *off, base, src, cfg, sink, &mut part);
            let scanned = scanned.map(|long| {
                split.fetch_add(long, Ordering::Relaxed);
            });
            count_progress(cfg, buf, batch.format);
            (part, scanned)
        })
        .collect()
}

/// The one notice per input about entries split at `--max-entry-size`.
fn notice_split(name: &str, split: u64, max: usize) {
    if split > 0 {
        eprintln!(
            "covet-logs: {}: {}",
            crate::sink::sanitize::sanitize(name),
            split_notice(split, max)
        );
    }
}

/// `N entries longer than 64 MiB were split`.
pub fn split_notice(split: u64, max: usize) -> String {
    let (noun, verb) = if split == 1 {
        ("entry", "was")
    } else {
        ("entries", "were")
    };
    format!(
        "{split} {noun} longer than {} {verb} split",
        human_size(max)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `text` in `step`-byte reads through a `Cutter`, as `scan_stream` does, and
    /// returns the blocks and the count of split entries.
    fn blocks(text: &[u8], max: usize, step: usize) -> (Vec<Vec<u8>>, u64) {
        let ctx = TimeCtx::utc_now_year();
        let mut cutter = Cutter::new(max);
        let (mut buf, mut out, mut rest) = (Vec::new(), Vec::new(), text);
        while !(rest.is_empty() && buf.is_empty()) {
            let take = step.min(rest.len());
            buf.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            loop {
                let cut = cutter.cut(&buf, Format::Plain, &ctx, rest.is_empty());
                if cut == 0 {
                    break;
                }
                out.push(buf.drain(..cut).collect());
            }
        }
        (out, cutter.split)
    }

    #[test]
    fn entries_are_counted_once_however_many_lines() {
        let ctx = TimeCtx::utc_now_year();
        let covet = b"2024-01-15 14:23:45.123 [ERROR] api handler.rs:1 boom\n{\n  \"a\": 1\n}\n\
2024-01-15 14:23:46.000 [INFO] api handler.rs:2 ok\n\n";
        assert_eq!(count_entries(covet, Format::Covet, &ctx), 2);
        // One-line formats: every non-blank line, the last one unterminated too.
        assert_eq!(count_entries(b"a\n\n  \nb\nc", Format::Plain, &ctx), 3);
        assert_eq!(count_entries(b"", Format::Json, &ctx), 0);
    }

    #[test]
    fn stream_blocks_cut_long_entries_at_the_cap_for_any_read_size() {
        let long = vec![b'x'; 2600];
        let mut text = b"short\n".to_vec();
        text.extend_from_slice(&long);
        text.extend_from_slice(b"\nend\n");
        for step in [1, 7, 100, 1000, 1024, 4096, 10_000] {
            let (out, split) = blocks(&text, 1024, step);
            assert_eq!(out.concat(), text, "step {step}: every byte once, in order");
            // Each block stays within the cap plus one read (memory bound); an entry
            // still too long inside a block is split and counted by `scan_region`,
            // never by both.
            let in_blocks = out
                .iter()
                .flat_map(|b| b.split(|&c| c == b'\n'))
                .filter(|line| line.len() > 1024)
                .count() as u64;
            assert_eq!(split + in_blocks, 1, "step {step}");
            assert!(
                out.iter().all(|b| b.len() <= 2 * 1024 + step),
                "step {step}"
            );
        }
    }

    #[test]
    fn sizes_are_named_in_binary_units() {
        for (n, text) in [
            (64 << 20, "64 MiB"),
            (1 << 10, "1 KiB"),
            (3 << 30, "3 GiB"),
            (1000, "1000 bytes"),
            (1536, "1536 bytes"),
        ] {
            assert_eq!(human_size(n), text);
        }
        assert_eq!(split_notice(1, 1024), "1 entry longer than 1 KiB was split");
        assert_eq!(
            split_notice(3, 64 << 20),
            "3 entries longer than 64 MiB were split"
        );
    }

    /// Counts entries, and fails at the one holding `stop`.
    struct FailAt(&'static [u8]);

    impl Sink for FailAt {
        type Part = u64;

        fn part(&self) -> u64 {
            0
        }

        fn matched(
            &self,
            part: &mut u64,
            hit: &mut crate::sink::Hit<'_, '_>,
            _: &Source,
        ) -> Result<bool, Error> {
            if hit.entry.raw == self.0 {
                return Err(Error::new("sink", "failed here"));
            }
            *part += 1;
            Ok(true)
        }
    }

    #[test]
    fn a_sink_error_ends_the_scan_as_an_output_error_after_the_entries_before_it() {
        let opts = crate::query::Options {
            case_sensitive: false,
            regex_words: false,
            ctx: TimeCtx::utc_now_year(),
            now_ns: 0,
        };
        let query =
            crate::query::compile(&crate::query::parse("").expect("parse"), Vec::new(), &opts)
                .expect("compile");
        let text: String = (0..2000).map(|i| format!("line {i}\n")).collect();
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("in.log");
        std::fs::write(&path, &text).expect("write");
        for no_mmap in [false, true] {
            let cfg = ScanConfig {
                format: Some(Format::Plain),
                threads: 2,
                chunk_size: 512,
                no_mmap,
                ..ScanConfig::new(&query, opts.ctx)
            };
            let mut seen = 0u64;
            let scanned = scan_input(
                &Input::File(path.clone()),
                0,
                &cfg,
                &FailAt(b"line 1500"),
                &mut |n| {
                    seen += n;
                    Ok(true)
                },
            );
            match scanned {
                Err(ScanError::Output(e)) => assert_eq!(e.why, "failed here"),
                other => panic!("no_mmap {no_mmap}: {other:?}"),
            }
            // Every entry before the failing one was handed on, none after it.
            assert_eq!(seen, 1500, "no_mmap {no_mmap}");
            // `emit`'s own error is the output's too, and stops the scan at once.
            let mut parts = 0;
            let scanned = scan_input(
                &Input::File(path.clone()),
                0,
                &cfg,
                &FailAt(b"-"),
                &mut |_| {
                    parts += 1;
                    Err(Error::new("stdout", "gone"))
                },
            );
            assert!(matches!(scanned, Err(ScanError::Output(e)) if e.what == "stdout"));
            assert_eq!(parts, 1);
        }
        let missing = Input::File(dir.path().join("missing.log"));
        let cfg = ScanConfig::new(&query, opts.ctx);
        let scanned = scan_input(&missing, 0, &cfg, &FailAt(b"-"), &mut |_| Ok(true));
        assert!(matches!(scanned, Err(ScanError::Input(_))));
    }
}
