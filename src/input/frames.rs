//! A zstd file of several independent frames (made by `pzstd`, by concatenating `.zst`
//! files, or in the seekable format: frames and a skippable seek table) decoded on the
//! thread pool in parallel and read in order, as one stream.
//!
//! Frame ends are found from the frame headers without decoding
//! (`find_frame_compressed_size`). Consecutive frames are grouped into runs of about
//! [`RUN`] compressed bytes (skippable frames decode to nothing); each run is decoded by
//! a pool job into a buffer of at most [`CAP`] bytes (a run that decodes to more keeps
//! its decoder, and the reader decodes the rest itself, in order). At most two runs per
//! pool thread are in flight, and their buffers are reused. The reader takes runs in
//! order; a run that no job has started yet is decoded by the reader itself, so waiting
//! never depends on a busy pool. A run that fails hands on what it decoded before the
//! damage (in steps of [`STEP`] bytes, as the single-stream decoder is read), then its
//! error ends the stream. Bytes that are not a frame (a damaged header, a truncated
//! last frame) go to the decoder as they are, which reports them.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::input::guard::GuardedMap;

/// Compressed bytes grouped into one run (a larger frame is a run alone).
const RUN: usize = 1 << 20;
/// The most a pool job decodes of one run.
const CAP: usize = 16 << 20;
/// Bytes decoded per call: a decoder that fails loses what it decoded in that call.
const STEP: usize = 8 << 10;

/// A zstd file's runs of frames, decoded in parallel, read in order.
pub struct Frames {
    map: Arc<GuardedMap>,
    /// Compressed bytes per run (`RUN`; smaller in tests).
    run: usize,
    /// Where the next run starts in the file.
    next: usize,
    /// Runs scheduled, in file order.
    queue: VecDeque<Arc<Slot>>,
    /// Runs in flight at most.
    ahead: usize,
    current: Option<Piece>,
    spare: Spare,
    done: bool,
}

/// Opens `file` for parallel decoding when it holds at least two data frames (a
/// single frame, or a file that cannot be mapped, is read by the ordinary decoder).
pub fn parallel(file: &File) -> Option<Frames> {
    let map = GuardedMap::new(file).ok()?;
    if data_frames(map.bytes(), 2) < 2 {
        return None;
    }
    Some(Frames::new(map, RUN, CAP))
}

/// The data (not skippable) frames at the start of `bytes`, counted up to `most`.
fn data_frames(bytes: &[u8], most: usize) -> usize {
    let (mut at, mut found) = (0, 0);
    while found < most && at < bytes.len() {
        match zstd::zstd_safe::find_frame_compressed_size(&bytes[at..]) {
            Ok(n) if n > 0 => {
                found += usize::from(!is_skippable(&bytes[at..]));
                at += n;
            }
            _ => break,
        }
    }
    found
}

/// A skippable frame's magic number (0x184D2A50 to 0x184D2A5F) starts `bytes`.
pub(crate) fn is_skippable(bytes: &[u8]) -> bool {
    matches!(bytes, [m, 0x2a, 0x4d, 0x18, ..] if m & 0xf0 == 0x50)
}

impl Frames {
    fn new(map: GuardedMap, run: usize, cap: usize) -> Frames {
        Frames {
            map: Arc::new(map),
            run,
            next: 0,
            queue: VecDeque::new(),
            ahead: (2 * rayon::current_num_threads()).max(2),
            current: None,
            spare: Spare {
                held: Arc::default(),
                cap,
            },
            done: false,
        }
    }

    /// The next run's bytes: whole frames up to about `RUN` bytes; from a place where
    /// no whole frame is found, the rest of the file.
    fn next_run(&mut self) -> Option<Span> {
        let len = self.map.bytes().len();
        if self.next >= len {
            return None;
        }
        let start = self.next;
        let mut end = start;
        while end < len && end - start < self.run {
            match zstd::zstd_safe::find_frame_compressed_size(&self.map.bytes()[end..]) {
                Ok(n) if n > 0 => end += n,
                _ => end = len,
            }
        }
        self.next = end;
        Some(Span {
            map: self.map.clone(),
            pos: start,
            end,
        })
    }

    /// Schedules runs on the pool until `ahead` are queued.
    fn schedule(&mut self) {
        while self.queue.len() < self.ahead {
            let Some(span) = self.next_run() else {
                return;
            };
            let slot = Arc::new(Slot {
                state: Mutex::new(State::Pending(span, self.spare.clone())),
                ready: Condvar::new(),
            });
            let job = slot.clone();
            rayon::spawn(move || job.run());
            self.queue.push_back(slot);
        }
    }
}

impl Read for Frames {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            if let Some(piece) = &mut self.current {
                if piece.pos < piece.len {
                    let n = (&piece.bytes[piece.pos..piece.len]).read(buf)?;
                    piece.pos += n;
                    return Ok(n);
                }
                if let Some(dec) = &mut piece.rest {
                    // A run longer than a job decodes: the rest, here, in order.
                    piece.pos = 0;
                    let (len, more, error) = fill(dec, &mut piece.bytes, self.spare.cap);
                    piece.len = len;
                    if !more {
                        piece.rest = None;
                    }
                    piece.error = error;
                    continue;
                }
                let piece = self.current.take().expect("a current piece");
                if let Some(e) = piece.error {
                    self.done = true;
                    return Err(e);
                }
                self.spare.give(piece.bytes);
            }
            self.schedule();
            let Some(slot) = self.queue.pop_front() else {
                self.done = true;
                return Ok(0);
            };
            self.current = Some(slot.take());
            self.schedule();
        }
    }
}

/// The bytes `pos..end` of a shared map, as a buffered reader (what a decoder reads).
struct Span {
    map: Arc<GuardedMap>,
    pos: usize,
    end: usize,
}

impl Read for Span {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.fill_buf()?.read(buf)?;
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Span {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(&self.map.bytes()[self.pos..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.end);
    }
}

type Decoder = zstd::stream::read::Decoder<'static, Span>;

/// What a run decoded to: its bytes (`bytes[pos..len]` still to be read), the decoder
/// when more follows, and the error that ended it.
struct Piece {
    bytes: Vec<u8>,
    pos: usize,
    len: usize,
    rest: Option<Decoder>,
    error: Option<io::Error>,
}

enum State {
    /// Not started: the run and where its buffer comes from.
    Pending(Span, Spare),
    Running,
    Done(Piece),
    Taken,
}

/// One run and its decoding, shared by its pool job and the reader.
struct Slot {
    state: Mutex<State>,
    ready: Condvar,
}

impl Slot {
    /// Decodes the run, unless someone already has started it.
    fn run(&self) {
        let (span, spare) = {
            let mut state = self.lock();
            match std::mem::replace(&mut *state, State::Running) {
                State::Pending(span, spare) => (span, spare),
                other => {
                    *state = other;
                    return;
                }
            }
        };
        let piece = decode(span, spare.take(), spare.cap);
        *self.lock() = State::Done(piece);
        self.ready.notify_all();
    }

    /// The decoded run: decoded here if no job has started it, else waited for.
    fn take(&self) -> Piece {
        self.run();
        let mut state = self.lock();
        loop {
            match std::mem::replace(&mut *state, State::Taken) {
                State::Done(piece) => return piece,
                other => {
                    *state = other;
                    state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Decodes a run into `bytes` (at most `cap` of it).
fn decode(span: Span, mut bytes: Vec<u8>, cap: usize) -> Piece {
    let mut dec = match Decoder::with_buffer(span) {
        Ok(dec) => dec,
        Err(e) => {
            return Piece {
                bytes,
                pos: 0,
                len: 0,
                rest: None,
                error: Some(e),
            }
        }
    };
    let (len, more, error) = fill(&mut dec, &mut bytes, cap);
    Piece {
        bytes,
        pos: 0,
        len,
        rest: more.then_some(dec),
        error,
    }
}

/// Decodes into `bytes` from its start until `cap` bytes are decoded or the run ends or
/// fails: how many bytes, whether more may follow, and the error. Decoded `STEP` bytes
/// at a time, into the buffer's own room (initialized once: a reused buffer keeps its
/// length of `cap`, so its pages are neither cleared nor faulted again).
fn fill(dec: &mut Decoder, bytes: &mut Vec<u8>, cap: usize) -> (usize, bool, Option<io::Error>) {
    bytes.resize(cap, 0);
    let mut len = 0;
    loop {
        if len == cap {
            return (len, true, None);
        }
        let end = cap.min(len + STEP);
        match dec.read(&mut bytes[len..end]) {
            Ok(0) => return (len, false, None),
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (len, false, Some(e)),
        }
    }
}

/// Decoded buffers handed back for the next runs (their pages stay mapped), each of
/// `cap` bytes: the most a job decodes of one run (`CAP`; smaller in tests).
#[derive(Clone)]
struct Spare {
    held: Arc<Mutex<Vec<Vec<u8>>>>,
    cap: usize,
}

/// Buffers kept at most.
const MAX_SPARE: usize = 8;

impl Spare {
    fn take(&self) -> Vec<u8> {
        self.lock().pop().unwrap_or_default()
    }

    fn give(&self, buf: Vec<u8>) {
        let mut held = self.lock();
        if held.len() < MAX_SPARE && buf.len() == self.cap {
            held.push(buf);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Vec<u8>>> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skippable(payload: &[u8]) -> Vec<u8> {
        let mut frame = vec![0x5e, 0x2a, 0x4d, 0x18];
        frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        frame.extend_from_slice(payload);
        frame
    }

    fn text() -> Vec<u8> {
        (0..20_000)
            .map(|i| format!("line {i} {}\n", i * 7919 % 10007))
            .collect::<String>()
            .into_bytes()
    }

    /// `text` cut every `step` bytes (and once after three) into frames, with skippable
    /// frames first, among them and last.
    fn framed(text: &[u8], step: usize) -> Vec<u8> {
        let mut out = skippable(b"size");
        let mut cuts: Vec<usize> = vec![0, 3];
        cuts.extend((1..).map(|i| 3 + i * step).take_while(|&c| c < text.len()));
        cuts.push(text.len());
        for (i, w) in cuts.windows(2).enumerate() {
            out.extend(zstd::encode_all(&text[w[0]..w[1]], 1).expect("zstd"));
            if i % 5 == 1 {
                out.extend(skippable(&[]));
            }
        }
        out.extend(skippable(&[7; 40]));
        out
    }

    fn mapped(bytes: &[u8]) -> (tempfile::NamedTempFile, GuardedMap) {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), bytes).expect("write");
        let map = GuardedMap::new(file.as_file()).expect("map");
        (file, map)
    }

    /// Reads `frames` to its end or first error, `read` bytes at a time.
    fn read_all(mut frames: Frames, read: usize) -> (Vec<u8>, Option<io::Error>) {
        let (mut out, mut buf) = (Vec::new(), vec![0u8; read]);
        loop {
            match frames.read(&mut buf) {
                Ok(0) => return (out, None),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => {
                    // The stream stays ended after its error.
                    assert_eq!(frames.read(&mut buf).expect("ended"), 0);
                    return (out, Some(e));
                }
            }
        }
    }

    #[test]
    fn frames_decode_in_order_whatever_the_runs_and_buffers() {
        let text = text();
        for step in [1000, 7777, 60_000] {
            let zst = framed(&text, step);
            for (run, cap, read) in [(1, 100, 7), (300, 1000, 4096), (5000, 50_000, 65536)] {
                let (_file, map) = mapped(&zst);
                let (out, error) = read_all(Frames::new(map, run, cap), read);
                assert!(
                    error.is_none(),
                    "step {step} run {run} cap {cap}: {error:?}"
                );
                assert!(out == text, "step {step} run {run} cap {cap}");
            }
        }
    }

    #[test]
    fn only_a_file_of_two_data_frames_or_more_is_decoded_in_parallel() {
        let one = zstd::encode_all(&b"a\nb\n"[..], 3).expect("zstd");
        let two = [&one[..], &one[..]].concat();
        for (bytes, frames) in [
            (one.clone(), 1),
            ([skippable(b"x"), one.clone(), skippable(b"")].concat(), 1),
            (two.clone(), 2),
            ([skippable(b"x"), two.clone()].concat(), 2),
            // Not a frame after the first: one (the decoder reports the rest).
            ([&one[..], b"garbage"].concat(), 1),
        ] {
            assert_eq!(data_frames(&bytes, 2), frames);
            let (file, _) = mapped(&bytes);
            assert_eq!(parallel(file.as_file()).is_some(), frames == 2);
        }
        assert!(is_skippable(&skippable(b"")) && !is_skippable(&one));
    }

    #[test]
    fn a_damaged_frame_ends_the_stream_after_what_decoded_before_it() {
        // Several blocks in a frame: numbers that hardly compress.
        let mut x = 1u64;
        let text: Vec<u8> = (0..60_000)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("line {i} {:x}\n", x >> 11)
            })
            .collect::<String>()
            .into_bytes();
        let cut = text.len() / 3;
        let first = zstd::encode_all(&text[..cut], 3).expect("zstd");
        let mut second = zstd::encode_all(&text[cut..], 3).expect("zstd");
        let mid = second.len() / 2;
        second[mid..mid + 16].fill(0xff);
        // What the second frame alone decodes before its damage, read as `fill` reads.
        let mut dec = zstd::stream::read::Decoder::new(&second[..]).expect("decoder");
        let mut expected = text[..cut].to_vec();
        let mut buf = [0u8; STEP];
        while let Ok(n @ 1..) = dec.read(&mut buf) {
            expected.extend_from_slice(&buf[..n]);
        }
        assert!(expected.len() > cut && expected.len() < text.len());
        let (_file, map) = mapped(&[first, second].concat());
        let (out, error) = read_all(Frames::new(map, 1, CAP), 1000);
        assert!(error.is_some());
        assert!(
            out == expected,
            "{} bytes, expected {}",
            out.len(),
            expected.len()
        );
        // A truncated last frame is damage too.
        let whole = zstd::encode_all(&text[cut..], 3).expect("zstd");
        let first = zstd::encode_all(&text[..cut], 3).expect("zstd");
        let (_file, map) = mapped(&[&first[..], &whole[..whole.len() - 9]].concat());
        let (out, error) = read_all(Frames::new(map, 1, CAP), 1000);
        assert!(error.is_some() && out.starts_with(&text[..cut]) && out.len() < text.len());
    }
}
