//! The last matching entries of a file, found by reading backwards from its end.
//!
//! `tail -n 50` on a 1 GB file must not read the gigabyte: blocks are read with
//! ordinary positioned reads from the end towards the start (never a memory map, so a
//! file truncated meanwhile is only an I/O result, not a SIGBUS). Each block is cut at
//! its first entry start by the format's own rule (`Format::is_entry_start`), so a
//! multi-line entry is scanned whole; the bytes before that start wait for the next
//! block. A rare query keeps walking backwards block by block, growing the blocks, and
//! stops as soon as enough entries matched.
//!
//! This module also holds the `Capture` sink (matches copied out with their offsets and
//! times) and `render`, which hands a captured entry to any other sink later, after the
//! command has picked which ones to show.

use std::fs::File;
use std::os::unix::fs::FileExt;

use crate::entry::Entry;
use crate::error::Error;
use crate::format::{self, Format};
use crate::scan::{region, ScanConfig};
use crate::sink::Sink;
use crate::sink::{Hit, Source};

/// First block read from the end; later blocks double up to `MAX_BLOCK`.
const FIRST_BLOCK: usize = 64 << 10;
const MAX_BLOCK: usize = 8 << 20;
/// How much of the head is read to detect the format.
const DETECT_HEAD: usize = 256 << 10;

/// One matching entry, copied out of the input.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Byte offset of the entry in its input.
    pub offset: u64,
    /// 1-based line number, 0 until `number_lines` fills it in.
    pub line: u64,
    /// The entry's text without its final line terminator.
    pub raw: Vec<u8>,
    /// The terminator that followed it (`\n`, `\r\n`, or empty at the end of input).
    pub terminator: Vec<u8>,
    /// The entry's timestamp, when the sink was asked to keep times.
    pub ts: Option<i64>,
}

/// A sink that copies matches out, so they outlive the block they were found in.
pub struct Capture {
    /// Parse each match for its timestamp (needed to merge several inputs by time).
    pub need_ts: bool,
}

impl Sink for Capture {
    type Part = Vec<Captured>;

    fn part(&self) -> Vec<Captured> {
        Vec::new()
    }

    fn matched(&self, part: &mut Vec<Captured>, hit: &mut Hit, _: &Source) -> Result<bool, Error> {
        let ts = if self.need_ts {
            hit.record().ts()
        } else {
            None
        };
        part.push(Captured {
            offset: hit.entry.offset,
            line: hit.entry.line,
            raw: hit.entry.raw.to_vec(),
            terminator: hit.terminator.to_vec(),
            ts,
        });
        Ok(true)
    }
}

/// Hands a captured entry to `sink` as if the scanner had just matched it.
pub fn render<S: Sink>(
    sink: &S,
    part: &mut S::Part,
    entry: &Captured,
    source: &Source,
    cfg: &ScanConfig<'_>,
) -> Result<bool, Error> {
    let mut rec = None;
    let mut hit = Hit {
        entry: Entry {
            raw: &entry.raw,
            offset: entry.offset,
            line: entry.line,
        },
        terminator: &entry.terminator,
        rec: &mut rec,
        format: source.format,
        ctx: &cfg.ctx,
    };
    sink.matched(part, &mut hit, source)
}

/// The result of a backward search of one file.
#[derive(Debug)]
pub struct Tail {
    /// The last matching entries, oldest first (at most the number asked for).
    pub entries: Vec<Captured>,
    /// Bytes read from the end (for `--debug` and the benchmark's sanity check).
    pub bytes_read: u64,
    /// Gave up: an entry longer than `--max-entry-size` has no start in reach, and
    /// holding it would take unbounded memory (the caller reads forward instead).
    pub too_long: bool,
    /// Entries longer than `--max-entry-size` met (and split) on the way.
    pub split: u64,
}

/// Reads exactly `buf.len()` bytes at `offset`, or fewer if the file got shorter.
fn read_full_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read_at(&mut buf[n..], offset + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Detects a file's format from its head, read with an ordinary read.
pub fn detect_format(file: &File, len: u64, cfg: &ScanConfig<'_>) -> std::io::Result<Format> {
    if let Some(f) = cfg.format {
        return Ok(f);
    }
    let mut head = vec![0u8; (len as usize).min(DETECT_HEAD)];
    let n = read_full_at(file, &mut head, 0)?;
    head.truncate(n);
    Ok(format::detect(&head, &cfg.ctx))
}

/// The last `n` entries of `file[..end]` that match the query, oldest first.
///
/// `end` must be an entry boundary or the file's end (a partial last line counts as
/// an entry, as `tail` shows it).
pub fn last_matches(
    file: &File,
    end: u64,
    n: usize,
    format: Format,
    source: &Source,
    cfg: &ScanConfig<'_>,
    need_ts: bool,
) -> std::io::Result<Tail> {
    let sink = Capture { need_ts };
    // Blocks of matches, newest block first.
    let mut found: Vec<Vec<Captured>> = Vec::new();
    let mut count = 0usize;
    // `pending` holds file[pending_lo..scanned_lo]: bytes before the scanned region
    // that do not yet start on a known entry boundary.
    let mut pending: Vec<u8> = Vec::new();
    let mut pending_lo = end;
    let mut block = FIRST_BLOCK;
    let mut bytes_read = 0u64;
    let mut too_long = false;
    let mut split = 0u64;
    while n > 0 && count < n && pending_lo > 0 {
        let lo = pending_lo.saturating_sub(block as u64);
        let want = (pending_lo - lo) as usize;
        let mut buf = vec![0u8; want + pending.len()];
        let got = read_full_at(file, &mut buf[..want], lo)?;
        if got < want {
            // The file shrank under us: what is left is the whole answer.
            break;
        }
        bytes_read += got as u64;
        buf[want..].copy_from_slice(&pending);
        let start = if lo == 0 {
            0
        } else {
            // Skip the first (possibly partial) line, then find an entry start.
            let first_nl = memchr::memchr(b'\n', &buf).map_or(buf.len(), |i| i + 1);
            region::align(&buf, first_nl, buf.len(), format, &cfg.ctx)
        };
        if start < buf.len() {
            let mut part = Vec::new();
            // `Capture` never fails; its error type is the scan's.
            split += region::scan_region(
                &buf[start..],
                lo + start as u64,
                0,
                source,
                cfg,
                &sink,
                &mut part,
            )
            .map_err(|e| std::io::Error::other(e.to_string()))?;
            count += part.len();
            if !part.is_empty() {
                found.push(part);
            }
        }
        buf.truncate(start);
        pending = buf;
        pending_lo = lo;
        if pending.len() > cfg.max_entry {
            too_long = true;
            break;
        }
        block = (block * 2).min(MAX_BLOCK);
    }
    let mut entries: Vec<Captured> = found.into_iter().rev().flatten().collect();
    if entries.len() > n {
        entries.drain(..entries.len() - n);
    }
    Ok(Tail {
        entries,
        bytes_read,
        too_long,
        split,
    })
}

/// Fills in the line numbers of entries (sorted by offset) by counting newlines from
/// the start of the file: a forward read, done only when line numbers are shown.
pub fn number_lines(file: &File, entries: &mut [Captured]) -> std::io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = 0u64;
    let mut line = 1u64;
    for e in entries.iter_mut() {
        while pos < e.offset {
            let want = ((e.offset - pos) as usize).min(buf.len());
            let got = read_full_at(file, &mut buf[..want], pos)?;
            if got == 0 {
                break;
            }
            line += memchr::memchr_iter(b'\n', &buf[..got]).count() as u64;
            pos += got as u64;
        }
        e.line = line;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::timestamp::TimeCtx;
    use crate::query::{self, Options};
    use std::io::Write;

    fn run(text: &[u8], n: usize, q: &str, format: Option<Format>) -> Vec<String> {
        let ctx = TimeCtx::utc_now_year();
        let opts = Options {
            case_sensitive: false,
            regex_words: false,
            ctx,
            now_ns: 0,
        };
        let expr = query::parse(q).expect("query");
        let query = query::compile(&expr, Vec::new(), &opts).expect("compile");
        let cfg = ScanConfig {
            query: &query,
            ctx,
            format,
            threads: 1,
            chunk_size: 1 << 20,
            need_lines: false,
            window: (None, None),
            no_mmap: true,
            progress: None,
            entries: None,
            debug: false,
            max_entry: crate::scan::MAX_ENTRY,
            plan: None,
            levels: None,
            ends: None,
        };
        let mut f = tempfile::tempfile().expect("tempfile");
        f.write_all(text).expect("write");
        let fmt = detect_format(&f, text.len() as u64, &cfg).expect("detect");
        let source = Source {
            name: "t".into(),
            index: 0,
            format: fmt,
        };
        let tail = last_matches(&f, text.len() as u64, n, fmt, &source, &cfg, false).expect("tail");
        tail.entries
            .iter()
            .map(|e| String::from_utf8_lossy(&e.raw).into_owned())
            .collect()
    }

    /// A simple second implementation: split the whole text into entries forwards.
    fn truth(lines: &[String], n: usize, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let all: Vec<String> = lines.iter().filter(|l| keep(l)).cloned().collect();
        all[all.len().saturating_sub(n)..].to_vec()
    }

    #[test]
    fn last_lines_across_many_blocks() {
        let lines: Vec<String> = (0..40_000)
            .map(|i| format!("line {i} {}", if i % 997 == 0 { "rare" } else { "x" }))
            .collect();
        let text = lines.join("\n") + "\n";
        for n in [0, 1, 20, 5000] {
            assert_eq!(
                run(text.as_bytes(), n, "", Some(Format::Plain)),
                truth(&lines, n, |_| true)
            );
        }
        assert_eq!(
            run(text.as_bytes(), 30, "rare", Some(Format::Plain)),
            truth(&lines, 30, |l| l.contains("rare"))
        );
        // Fewer matches than asked: all of them, found by walking to the start.
        assert_eq!(
            run(text.as_bytes(), 1000, "rare", Some(Format::Plain)),
            truth(&lines, 1000, |l| l.contains("rare"))
        );
    }

    #[test]
    fn no_trailing_newline_and_multiline_last_entry() {
        assert_eq!(run(b"a\nb\nc", 2, "", Some(Format::Plain)), ["b", "c"]);
        let covet = "2024-01-15 14:23:45.123 [INFO] svc a.rs:1 one\n\
                     2024-01-15 14:23:46.000 [ERROR] svc a.rs:2 two\n{\n  \"k\": 1\n}\n";
        let got = run(covet.as_bytes(), 1, "", None);
        assert_eq!(
            got,
            ["2024-01-15 14:23:46.000 [ERROR] svc a.rs:2 two\n{\n  \"k\": 1\n}"]
        );
    }

    #[test]
    fn a_multiline_entry_longer_than_a_block_stays_whole() {
        let mut text = String::from("2024-01-15 14:23:45.123 [INFO] svc a.rs:1 first\n");
        text.push_str("2024-01-15 14:23:46.000 [ERROR] svc a.rs:2 big\n");
        for i in 0..20_000 {
            text.push_str(&format!("    at frame{i}\n"));
        }
        let got = run(text.as_bytes(), 2, "", None);
        assert_eq!(got.len(), 2);
        assert!(got[0].ends_with("first"));
        assert!(got[1].ends_with("at frame19999"));
        assert_eq!(got[1].lines().count(), 20_001);
    }
}
