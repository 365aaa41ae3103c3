//! The reading half of a stream scan: a stream (stdin, a pipe, a gzip or zstd file)
//! read in blocks cut at entry boundaries, grouped into batches the pool scans in
//! parallel. [`BlockReader::batches`] reads the first batch on the caller's thread; when
//! the stream goes on past it, the rest is read on a thread of its own (named
//! `covet-read`) that stays one batch ahead, so decompression runs while the pool
//! scans, and a short stream (a small `.gz` file) costs no thread. The reader owns
//! everything it needs (no borrow of the scan's configuration), so a scan that stops
//! early (`| head`, `-m`) returns without waiting for a read that may block forever
//! (a pipe that never closes): the thread ends at its next hand-over.

use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::format::{self, timestamp::TimeCtx, Format};

use super::config::ScanConfig;
use super::region;

/// Batches queued between the reading thread and the scan: none, a rendezvous. The
/// reader builds the next batch while the pool scans one, then waits to hand it over,
/// so at most two batches are held (one scanned, one read).
const AHEAD: usize = 0;

/// Blocks of one read: each block's bytes, its byte offset and its first line number.
pub struct Batch {
    pub format: Format,
    pub blocks: Vec<(Vec<u8>, u64, u64)>,
}

/// What the end of a stream says.
#[derive(Default)]
pub struct End {
    /// The detected (or forced) format; `None` for an empty stream.
    pub format: Option<Format>,
    /// Bytes read.
    pub bytes: u64,
    /// The read error that ended the stream, if any.
    pub damage: Option<Error>,
    /// Entries split at the block cutter (`--max-entry-size`).
    pub split: u64,
}

/// One hand-over from the reader.
pub enum Msg {
    Batch(Batch),
    End(End),
}

/// A stream and where its reading stands.
pub struct BlockReader {
    reader: Box<dyn Read + Send>,
    name: String,
    ctx: TimeCtx,
    format: Option<Format>,
    block: usize,
    batch: usize,
    max_entry: usize,
    need_lines: bool,
    cutter: Cutter,
    carry: Vec<u8>,
    eof: bool,
    first: bool,
    offset: u64,
    line: u64,
    damage: Option<Error>,
    spare: Spare,
}

/// Block buffers the scan is done with, handed back for the next blocks: a buffer is
/// written once and its pages stay mapped (a new 4 MiB buffer per block costs a page
/// fault per 4 KiB, a tenth of a gigabyte's decompression time).
/// Only buffers of an ordinary block's size are kept (the pieces of an entry cut at
/// `--max-entry-size` can be far larger, and are freed).
#[derive(Clone, Default)]
pub struct Spare {
    held: Arc<Mutex<Vec<Vec<u8>>>>,
    /// The largest capacity kept.
    max_capacity: usize,
}

impl Spare {
    /// A buffer to fill: one handed back (whole capacity initialized, its bytes
    /// stale), else a new, empty one.
    fn take(&self) -> Vec<u8> {
        self.lock().pop().unwrap_or_default()
    }

    /// Hands a batch's buffers back (at most [`MAX_SPARE`] are kept).
    pub fn give_batch(&self, batch: Batch) {
        for (buf, _, _) in batch.blocks {
            self.give(buf);
        }
    }

    fn give(&self, mut buf: Vec<u8>) {
        if buf.capacity() > self.max_capacity {
            return;
        }
        // Initialized to its capacity (only the tail past the block's end is written
        // here), so the next fill reads into it without zeroing it first.
        buf.resize(buf.capacity(), 0);
        let mut spare = self.lock();
        if spare.len() < MAX_SPARE {
            spare.push(buf);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Buffers kept for reuse: the blocks of two batches at most (the default pool of two
/// threads makes batches of four blocks).
const MAX_SPARE: usize = 16;

impl BlockReader {
    pub fn new(reader: Box<dyn Read + Send>, name: &str, cfg: &ScanConfig<'_>) -> BlockReader {
        BlockReader {
            reader,
            name: name.to_string(),
            ctx: cfg.ctx,
            format: cfg.format,
            block: cfg.chunk_size.max(1),
            batch: (cfg.threads * 2).max(1),
            max_entry: cfg.max_entry,
            need_lines: cfg.need_lines,
            cutter: Cutter::new(cfg.max_entry),
            carry: Vec::new(),
            eof: false,
            first: true,
            offset: 0,
            line: 1,
            damage: None,
            spare: Spare {
                held: Arc::default(),
                // A block and a carried partial entry of up to another block.
                max_capacity: cfg.chunk_size.max(1).saturating_mul(2),
            },
        }
    }

    /// Where the scan hands its finished batches' buffers back.
    pub fn spare(&self) -> Spare {
        self.spare.clone()
    }

    /// The stream's batches, then its end: the first batch read here, the rest on a
    /// reading thread when there is more.
    pub fn batches(mut self) -> Batches {
        let first = self.next_batch();
        let (tx, rx) = sync_channel(AHEAD);
        if first.is_none() || self.done() {
            return Batches {
                first,
                rest: None,
                end: Some(self.end()),
            };
        }
        let spawned = std::thread::Builder::new()
            .name("covet-read".into())
            .spawn(move || {
                while let Some(batch) = self.next_batch() {
                    if tx.send(Msg::Batch(batch)).is_err() {
                        return;
                    }
                }
                let _ = tx.send(Msg::End(self.end()));
            });
        match spawned {
            Ok(_) => Batches {
                first,
                rest: Some(rx),
                end: None,
            },
            // No thread to be had: the stream cannot go on (said as damage).
            Err(e) => Batches {
                first,
                rest: None,
                end: Some(End {
                    damage: Some(Error::io("reading thread", &e)),
                    ..End::default()
                }),
            },
        }
    }

    fn done(&self) -> bool {
        self.eof && self.carry.is_empty()
    }

    fn end(self) -> End {
        End {
            format: self.format,
            bytes: self.offset,
            damage: self.damage,
            split: self.cutter.split,
        }
    }

    /// The next batch of blocks, bounded in blocks and in bytes (one long entry fills
    /// it alone); `None` at the end of the stream.
    fn next_batch(&mut self) -> Option<Batch> {
        let mut blocks: Vec<(Vec<u8>, u64, u64)> = Vec::new();
        let mut held = 0usize;
        while blocks.len() < self.batch && held < self.batch * self.block && !self.done() {
            let mut room = Room::new(self.spare.take(), &self.carry);
            let cut = self.cut_block(&mut room);
            self.carry.clear();
            self.carry.extend_from_slice(&room.filled()[cut..]);
            let mut buf = room.buf;
            buf.truncate(cut);
            if buf.is_empty() {
                self.spare.give(buf);
                continue;
            }
            if buf.capacity() > buf.len() / 2 * 3 {
                // Most of what was read went on to the next block (an entry cut at
                // --max-entry-size): give the room back rather than hold it while the
                // block waits its turn (a large block shrinks in place).
                buf.shrink_to_fit();
            }
            let lines = if self.need_lines {
                memchr::memchr_iter(b'\n', &buf).count() as u64
            } else {
                0
            };
            let len = buf.len() as u64;
            held += buf.len();
            blocks.push((buf, self.offset, self.line));
            self.offset += len;
            self.line += lines;
        }
        let format = self.format?;
        (!blocks.is_empty()).then_some(Batch { format, blocks })
    }

    /// Reads into `buf` until it holds a whole entry (or the stream ends); where to cut.
    fn cut_block(&mut self, room: &mut Room) -> usize {
        loop {
            if !self.eof {
                let mut want = self.block.min(self.max_entry.max(1));
                if self.format.is_none() {
                    // Detection reads a sample of lines, not the first read's bytes.
                    want = want.max(format::DETECT_BYTES.saturating_sub(room.len));
                }
                if self.first {
                    // Enough to see a BOM whole, however small the blocks.
                    want = want.max(3);
                }
                match room.fill(&mut self.reader, want) {
                    Ok(end) => self.eof = end,
                    Err(e) => {
                        self.damage = Some(Error::io(&self.name, &e));
                        self.eof = true;
                    }
                }
            }
            if self.first {
                // BOM is dropped once, at the very start of the stream.
                if room.filled().starts_with(b"\xEF\xBB\xBF") {
                    room.drop_front(3);
                    self.offset += 3;
                }
                self.first = false;
            }
            let ctx = self.ctx;
            let buf = room.filled();
            let fmt = *self.format.get_or_insert_with(|| format::detect(buf, &ctx));
            let cut = self.cutter.cut(buf, fmt, &ctx, self.eof);
            if cut > 0 || self.eof {
                return cut;
            }
        }
    }
}

/// The batches of a stream, in order, then its [`End`].
pub struct Batches {
    first: Option<Batch>,
    rest: Option<Receiver<Msg>>,
    end: Option<End>,
}

impl Iterator for Batches {
    type Item = Msg;

    fn next(&mut self) -> Option<Msg> {
        if let Some(batch) = self.first.take() {
            return Some(Msg::Batch(batch));
        }
        if let Some(rx) = &self.rest {
            return Some(rx.recv().unwrap_or_else(|_| {
                // The reading thread ended without its end: it panicked.
                Msg::End(End {
                    damage: Some(Error::new("reading thread", "ended unexpectedly")),
                    ..End::default()
                })
            }))
            .inspect(|m| {
                if matches!(m, Msg::End(_)) {
                    self.rest = None;
                }
            });
        }
        self.end.take().map(Msg::End)
    }
}

/// Where stream blocks are cut: after the last whole entry, or, when one entry has
/// grown to `max` bytes without ending, after `max` bytes of it (counted once per
/// entry, however many pieces it takes).
pub(super) struct Cutter {
    max: usize,
    /// The entry at the start of the next block continues one that was split.
    splitting: bool,
    /// Entries split so far.
    pub(super) split: u64,
}

impl Cutter {
    pub(super) fn new(max: usize) -> Cutter {
        Cutter {
            max: max.max(1),
            splitting: false,
            split: 0,
        }
    }

    pub(super) fn cut(&mut self, buf: &[u8], format: Format, ctx: &TimeCtx, eof: bool) -> usize {
        if buf.len() > self.max && first_text_len(buf, format, ctx) > self.max {
            if !self.splitting {
                self.split += 1;
            }
            self.splitting = true;
            return self.max;
        }
        let cut = region::stream_cut(buf, format, ctx, eof);
        if cut > 0 {
            self.splitting = false;
        }
        cut
    }
}

/// Length of the text of the entry at the start of `buf` (without its terminator).
fn first_text_len(buf: &[u8], format: Format, ctx: &TimeCtx) -> usize {
    region::entry_bytes(buf, 0, region::entry_end(buf, 0, format, ctx)).len()
}

/// The first step of initialized room a new buffer gets.
const ROOM_STEP: usize = 64 << 10;

/// A block buffer being filled: `buf[..len]` holds the stream's bytes, and the rest of
/// `buf` is room already initialized by an earlier block. Reading into that room
/// directly (not into a `Vec`'s spare capacity, which `read_to_end` zeroes on every
/// call) saves a pass over every byte read: 5 % of a `.gz` search.
struct Room {
    buf: Vec<u8>,
    len: usize,
}

impl Room {
    /// `buf` (a spare buffer, its contents stale) holding `carry` at its start.
    fn new(mut buf: Vec<u8>, carry: &[u8]) -> Room {
        if buf.len() < carry.len() {
            buf.resize(carry.len(), 0);
        }
        buf[..carry.len()].copy_from_slice(carry);
        Room {
            buf,
            len: carry.len(),
        }
    }

    fn filled(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Drops the first `n` filled bytes (a BOM).
    fn drop_front(&mut self, n: usize) {
        self.buf.copy_within(n..self.len, 0);
        self.len -= n;
    }

    /// Reads until `want` more bytes are filled or the stream ends; true at EOF. Bytes
    /// read before an error stay filled.
    fn fill(&mut self, reader: &mut dyn Read, want: usize) -> std::io::Result<bool> {
        let end = self.len + want;
        while self.len < end {
            if self.buf.len() == self.len {
                // Out of initialized room: grow it as the data comes (doubling, from
                // 64 KiB), so a short stream does not zero a whole block it never fills.
                let grow = (end - self.len).min(self.buf.len().max(ROOM_STEP));
                self.buf.resize(self.len + grow, 0);
            }
            let stop = end.min(self.buf.len());
            match reader.read(&mut self.buf[self.len..stop]) {
                Ok(0) => return Ok(true),
                Ok(n) => self.len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{compile, parse, Options};

    fn query() -> crate::query::Query {
        let opts = Options {
            case_sensitive: false,
            regex_words: false,
            ctx: TimeCtx::utc_now_year(),
            now_ns: 0,
        };
        compile(&parse("").expect("parse"), Vec::new(), &opts).expect("compile")
    }

    /// A reader handing out at most `step` bytes per read.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn batches_cover_the_stream_in_order_cut_at_entries_for_any_read_size() {
        let q = query();
        // Past `DETECT_BYTES`, which the first block reads whole to detect the format.
        let text: String = (0..12_000)
            .map(|i| {
                format!(
                    "2024-01-15 10:00:{:02}.000 [INFO] api a.rs:1 line {i}\n  detail {i}\n",
                    i % 60
                )
            })
            .collect();
        let text: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
        let with_bom: &'static [u8] = Box::leak([b"\xEF\xBB\xBF", text].concat().into());
        let cases = [
            (64, 7),
            (1000, 1 << 20),
            (1 << 16, 13),
            (1 << 20, 4096),
            (300, 1),
        ];
        for ((chunk, step), input) in cases.into_iter().flat_map(|c| [(c, text), (c, with_bom)]) {
            let bom = (input.len() - text.len()) as u64;
            let cfg = ScanConfig {
                threads: 2,
                chunk_size: chunk,
                need_lines: true,
                ..ScanConfig::new(&q, TimeCtx::utc_now_year())
            };
            let reader = BlockReader::new(Box::new(Trickle(input, step)), "t", &cfg);
            // Buffers go back as the scan gives them back: later blocks are read into
            // reused room holding earlier blocks' bytes.
            let spare = reader.spare();
            let (mut joined, mut next_off, mut next_line, mut end) = (Vec::new(), bom, 1, None);
            let mut blocks = 0;
            for msg in reader.batches() {
                match msg {
                    Msg::Batch(b) => {
                        assert_eq!(b.format, Format::Covet, "chunk {chunk} step {step}");
                        for (buf, off, line) in &b.blocks {
                            assert_eq!((*off, *line), (next_off, next_line));
                            // Every block ends after a whole entry (its detail line too).
                            assert!(buf.ends_with(b"\n") && !buf.starts_with(b"  "));
                            next_off += buf.len() as u64;
                            next_line += memchr::memchr_iter(b'\n', buf).count() as u64;
                            joined.extend_from_slice(buf);
                            blocks += 1;
                        }
                        spare.give_batch(b);
                    }
                    Msg::End(e) => end = Some(e),
                }
            }
            assert_eq!(joined, text, "chunk {chunk} step {step} bom {bom}");
            assert!(
                blocks > 2 || chunk > text.len(),
                "chunk {chunk}: {blocks} blocks"
            );
            let end = end.expect("an end");
            assert_eq!(end.bytes, input.len() as u64);
            assert!(end.damage.is_none() && end.split == 0);
        }
    }

    #[test]
    fn room_is_initialized_as_the_data_comes_not_a_whole_block_ahead() {
        // A short stream read with a huge block: at most one first step is zeroed.
        let mut room = Room::new(Vec::new(), b"carried ");
        let eof = room.fill(&mut Trickle(b"0123456789", 4), 64 << 20).unwrap();
        assert!(eof);
        assert_eq!(room.filled(), b"carried 0123456789");
        assert!(
            room.buf.len() <= 8 + ROOM_STEP,
            "{} bytes zeroed",
            room.buf.len()
        );
        // Reused room (initialized to its capacity) is read into as it is.
        let mut reused = Room::new(vec![7u8; 100], b"ab");
        assert!(!reused.fill(&mut Trickle(&[b'x'; 300], 64), 50).unwrap());
        assert_eq!(reused.buf.len(), 100);
        assert_eq!(reused.filled(), [&b"ab"[..], &[b'x'; 50]].concat());
    }

    #[test]
    fn a_scan_that_stops_early_does_not_wait_for_a_read_that_never_ends() {
        let q = query();
        let cfg = ScanConfig {
            threads: 2,
            chunk_size: 1 << 10,
            ..ScanConfig::new(&q, TimeCtx::utc_now_year())
        };
        // A pipe whose writer stays open: after its data, a read blocks forever.
        let (rx, mut tx) = std::io::pipe().expect("pipe");
        std::thread::spawn(move || {
            let lines: String = (0..60_000).map(|i| format!("line {i}\n")).collect();
            let _ = std::io::Write::write_all(&mut tx, lines.as_bytes());
            loop {
                std::thread::park();
            }
        });
        let started = std::time::Instant::now();
        let mut batches = BlockReader::new(Box::new(rx), "pipe", &cfg).batches();
        assert!(matches!(batches.next(), Some(Msg::Batch(_))));
        assert!(matches!(batches.next(), Some(Msg::Batch(_))));
        drop(batches);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn a_read_error_ends_the_stream_after_what_came_before() {
        struct Broken(usize);
        impl Read for Broken {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("corrupt"));
                }
                let n = buf.len().min(self.0).min(6);
                buf[..n].copy_from_slice(&b"a b c\n"[..n]);
                self.0 -= n;
                Ok(n)
            }
        }
        let q = query();
        let cfg = ScanConfig {
            threads: 1,
            chunk_size: 12,
            ..ScanConfig::new(&q, TimeCtx::utc_now_year())
        };
        let (mut bytes, mut end) = (0, None);
        for msg in BlockReader::new(Box::new(Broken(600)), "b", &cfg).batches() {
            match msg {
                Msg::Batch(b) => bytes += b.blocks.iter().map(|(v, _, _)| v.len()).sum::<usize>(),
                Msg::End(e) => end = Some(e),
            }
        }
        assert_eq!(bytes, 600);
        let end = end.expect("end");
        assert_eq!(end.bytes, 600);
        assert!(end.damage.expect("damage").to_string().contains("corrupt"));
    }
}
