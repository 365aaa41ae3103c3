//! A byte range of one file scanned in small blocks: what a resuming WebSocket client
//! missed, read between two entry boundaries (`from`, `to`) with positioned reads of
//! `BLOCK` bytes, so a catch-up holds one block, the entry not yet complete and the
//! block's rendered part, never a whole file or a 4 MiB follow batch. Each block of
//! whole entries is scanned with the query into the sink (with line numbers counted
//! from the file's start, as the follower counts them) and its part handed on.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;

use crate::error::Result;
use crate::format::bounds;
use crate::input::follow::Flow;
use crate::input::unbatch;
use crate::scan::{region, ScanConfig};
use crate::sink::{Sink, Source};

/// Bytes read per call.
pub const BLOCK: usize = 64 << 10;

/// Scans `file` from `from` to `to` (both entry boundaries; `to` past the file's end
/// reads to its end) into `sink`, a part per block of whole entries handed to `on`
/// until it stops. An entry longer than `cfg.max_entry` goes out in pieces of that
/// size, as the follower releases it.
pub fn scan_range<S: Sink>(
    file: &File,
    source: &Source,
    (from, to): (u64, u64),
    cfg: &ScanConfig<'_>,
    sink: &S,
    on: &mut dyn FnMut(S::Part) -> Flow,
) -> Result<Flow> {
    let mut line = match cfg.need_lines {
        true => lines_before(file, from).unwrap_or(0),
        false => 0,
    };
    let mut block = vec![0u8; BLOCK];
    let mut buf: Vec<u8> = Vec::new();
    let (mut pos, mut offset) = (from, from);
    let mut ended = from >= to;
    while !(ended && buf.is_empty()) {
        if !ended {
            let want = ((to - pos) as usize).min(BLOCK);
            let n = read_some(file, &mut block[..want], pos);
            buf.extend_from_slice(&block[..n]);
            pos += n as u64;
            // The end, or the file is shorter now (truncated): what was read is all.
            ended = n == 0 || pos >= to;
        }
        let cut = bounds::stream_cut(&buf, source.format, &cfg.ctx, ended);
        let cut = match cut {
            0 if buf.len() > cfg.max_entry.max(1) => cfg.max_entry.max(1),
            c => c,
        };
        if cut == 0 {
            continue;
        }
        let mut part = sink.part();
        region::scan_region(&buf[..cut], offset, line, source, cfg, sink, &mut part)?;
        line += memchr::memchr_iter(b'\n', &buf[..cut]).count() as u64;
        buf.drain(..cut);
        offset += cut as u64;
        if on(part) == Flow::Stop {
            return Ok(Flow::Stop);
        }
    }
    Ok(Flow::Continue)
}

/// Reads into `buf` at `pos`; 0 at the end or on an error (the range ends there).
fn read_some(file: &File, buf: &mut [u8], pos: u64) -> usize {
    loop {
        match file.read_at(buf, pos) {
            Ok(n) => return n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return 0,
        }
    }
}

/// The number of the entry's line at `offset` as a whole read of the file counts it:
/// in an OTLP collector export (`input::unbatch`) lines count records, one a line as
/// the reader expands them; otherwise `lines_before`. The follower's line numbers.
pub fn records_before(file: &File, offset: u64) -> Option<u64> {
    let mut head = [0u8; unbatch::HEAD];
    let n = file.read_at(&mut head, 0).ok()?;
    if !unbatch::starts_with_batch(&head[..n]) {
        return lines_before(file, offset);
    }
    let mut from_start = file;
    from_start.seek(SeekFrom::Start(0)).ok()?;
    let mut records = unbatch::Unbatch::new(BufReader::new(from_start.take(offset)));
    let mut line = 1;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match records.read(&mut buf).ok()? {
            0 => return Some(line),
            k => line += memchr::memchr_iter(b'\n', &buf[..k]).count() as u64,
        }
    }
}

/// The number of the line that starts at `offset` (1 for the first line).
pub fn lines_before(file: &File, offset: u64) -> Option<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let (mut pos, mut line) = (0u64, 1u64);
    while pos < offset {
        let want = ((offset - pos) as usize).min(buf.len());
        let n = file.read_at(&mut buf[..want], pos).ok()?;
        if n == 0 {
            break;
        }
        line += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        pos += n as u64;
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::sink::Hit;
    use std::io::Write;

    /// Records each match's offset, line and bytes.
    struct Offsets;

    impl Sink for Offsets {
        type Part = Vec<(u64, u64, Vec<u8>)>;

        fn part(&self) -> Self::Part {
            Vec::new()
        }

        fn matched(
            &self,
            part: &mut Self::Part,
            hit: &mut Hit,
            _: &Source,
        ) -> std::result::Result<bool, crate::error::Error> {
            part.push((hit.entry.offset, hit.entry.line, hit.entry.raw.to_vec()));
            Ok(true)
        }
    }

    #[test]
    fn a_range_is_every_entry_between_its_ends_once_in_small_blocks() {
        // 3,000 lines of varied length, so blocks of 64 KiB cut inside lines.
        let mut text = Vec::new();
        let mut ends = vec![0u64];
        for i in 0..3000 {
            let pad = "x".repeat(i % 97);
            writeln!(text, "{{\"n\":{i},\"message\":\"line {i} {pad}\"}}").unwrap();
            ends.push(text.len() as u64);
        }
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&text).unwrap();
        let ctx = crate::format::timestamp::TimeCtx::utc_now_year();
        let query = crate::query::compile_query("", &crate::query::Options::new(ctx)).unwrap();
        let mut cfg = ScanConfig::new(&query, ctx);
        cfg.need_lines = true;
        let source = Source {
            name: "t".into(),
            index: 0,
            format: Format::Json,
        };
        for (a, b) in [(0, 3000), (17, 2999), (1000, 1001), (5, 5), (2500, 3000)] {
            let mut got = Vec::new();
            let flow = scan_range(&f, &source, (ends[a], ends[b]), &cfg, &Offsets, &mut |p| {
                got.extend(p);
                Flow::Continue
            })
            .unwrap();
            assert_eq!(flow, Flow::Continue);
            let want: Vec<(u64, u64, Vec<u8>)> = (a..b)
                .map(|i| {
                    let line = &text[ends[i] as usize..ends[i + 1] as usize - 1];
                    (ends[i], i as u64 + 1, line.to_vec())
                })
                .collect();
            assert_eq!(got, want, "{a}..{b}");
        }
    }
}
