//! One input and how to open it: a file, stdin, or a stream spooled to a temporary
//! file; opened as a memory map (regular files) or a bounded stream (stdin, pipes,
//! compressed files, decoded by magic bytes, with damage reported as the decoded byte
//! count; an OpenTelemetry collector export, by its first bytes, read one record per
//! line through `unbatch`). Used by the resolver and by the directory walk's content
//! check.

use std::fs::File;
use std::io::{self, BufRead, Read, Seek};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
use crate::input::{frames, guard, unbatch};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file (regular, compressed, a FIFO or a device) by its path.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// A stream already read once into a temporary file (see `spool`).
    Spooled(Spool),
}

impl Input {
    /// The name shown in output and errors.
    pub fn display_name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
            Input::Spooled(s) => s.name.clone(),
        }
    }
}

/// The bytes of a stream kept in an anonymous temporary file (deleted when the last
/// clone is dropped), under the stream's own name.
#[derive(Debug, Clone)]
pub struct Spool {
    pub(crate) name: String,
    pub(crate) file: Arc<File>,
}

impl PartialEq for Spool {
    fn eq(&self, other: &Spool) -> bool {
        Arc::ptr_eq(&self.file, &other.file)
    }
}

impl Eq for Spool {}

/// Reads a spool from the start with positioned reads, leaving the shared file alone.
struct SpoolReader {
    file: Arc<File>,
    pos: u64,
}

impl Read for SpoolReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// A decoder whose errors say which format was damaged and after how many decoded
/// bytes, so the reader can keep what came before and report the rest in one line.
///
/// The decoder is asked for at most `DECODE_STEP` bytes at a time: a decoder that
/// fails drops what it decoded in that same call, so small steps lose at most one
/// step before the damage. An error after some bytes is held back until they are
/// taken.
struct Decoded<R> {
    inner: R,
    kind: &'static str,
    bytes: u64,
    failed: Option<io::Error>,
}

const DECODE_STEP: usize = 8 << 10;

impl<R: Read> Decoded<R> {
    fn damage(&self, e: &io::Error) -> io::Error {
        io::Error::other(format!(
            "truncated or corrupt {} data after {} bytes: {}",
            self.kind,
            self.bytes,
            crate::error::describe_io(e)
        ))
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let mut filled = 0;
        while filled < buf.len() {
            let end = buf.len().min(filled + DECODE_STEP);
            match self.inner.read(&mut buf[filled..end]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    self.bytes += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if filled == 0 => return Err(self.damage(&e)),
                Err(e) => {
                    self.failed = Some(self.damage(&e));
                    break;
                }
            }
        }
        Ok(filled)
    }
}

fn decoded(inner: impl Read + Send + 'static, kind: &'static str) -> Box<dyn Read + Send> {
    Box::new(Decoded {
        inner,
        kind,
        bytes: 0,
        failed: None,
    })
}

/// An opened input.
pub enum Opened {
    /// A regular file, memory-mapped (guarded against truncation, see `guard`).
    Mapped(guard::GuardedMap),
    /// Anything read sequentially.
    Stream(Box<dyn Read + Send>),
}

/// Compression, from the magic bytes (the extension is only a hint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
    /// A Parquet file (magic bytes at both ends), read as JSON lines with the `parquet`
    /// feature (`format::parquet::lines`).
    Parquet,
}

/// How a file's bytes are read, from its first bytes: its compression, and whether it
/// is an OpenTelemetry collector export read one record per line (`unbatch`; known
/// here for uncompressed files, and found when a compressed one is opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Encoding {
    pub compression: Compression,
    pub batches: bool,
}

impl Encoding {
    /// Read as written: a file that can be mapped and read again.
    pub fn is_plain(self) -> bool {
        self.compression == Compression::None && !self.batches
    }
}

pub(crate) fn sniff_encoding(path: &Path) -> io::Result<Encoding> {
    sniff_file(&File::open(path)?)
}

/// The encoding of an open file from its first bytes; the file is left at its start,
/// so the handle that was looked at is the one that is read (no second open).
pub(crate) fn sniff_file(file: &File) -> io::Result<Encoding> {
    let mut reader = file;
    let mut head = Vec::with_capacity(unbatch::HEAD);
    reader.take(unbatch::HEAD as u64).read_to_end(&mut head)?;
    reader.seek(io::SeekFrom::Start(0))?;
    Ok(encoding_of(&head, || ends_in_parquet_magic(file)))
}

/// The encoding that first bytes `head` say; `parquet_tail` tells whether the input
/// also ends in Parquet's magic (asked only when it starts with it).
fn encoding_of(head: &[u8], parquet_tail: impl FnOnce() -> bool) -> Encoding {
    let compression = match head {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
        // A skippable frame first (pzstd's frame sizes, a seekable file's table).
        head if frames::is_skippable(head) => Compression::Zstd,
        [b'P', b'A', b'R', b'1', ..] if parquet_tail() => Compression::Parquet,
        _ => Compression::None,
    };
    Encoding {
        compression,
        batches: compression == Compression::None && unbatch::starts_with_batch(head),
    }
}

/// Whether a file's last four bytes are Parquet's magic (its first four are).
fn ends_in_parquet_magic(file: &File) -> bool {
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return false;
    };
    let mut tail = [0u8; 4];
    len >= 12 && file.read_exact_at(&mut tail, len - 4).is_ok() && &tail == b"PAR1"
}

/// A Parquet file as JSON lines, one object per row.
#[cfg(feature = "parquet")]
fn parquet_lines(file: File, name: &str) -> Result<Opened, Error> {
    crate::format::parquet::lines(file)
        .map(Opened::Stream)
        .map_err(|e| Error::new(name, format!("not a readable Parquet file: {e}")))
}

#[cfg(not(feature = "parquet"))]
fn parquet_lines(_: File, name: &str) -> Result<Opened, Error> {
    Err(Error::new(
        name,
        "a Parquet file; this build reads Parquet only with the `parquet` feature \
         (cargo install covet-logs --features parquet)",
    ))
}

/// A stream read through `unbatch::Unbatch` when its first bytes open an OTLP batch
/// (they are read here and handed on in front of the rest); as it is otherwise.
fn unbatched(mut inner: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    let mut head = Vec::with_capacity(unbatch::HEAD);
    let mut failed = None;
    let mut chunk = [0u8; unbatch::HEAD];
    while head.len() < unbatch::HEAD && memchr::memchr(b'\n', &head).is_none() {
        match inner.read(&mut chunk[..unbatch::HEAD - head.len()]) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    let batches = unbatch::starts_with_batch(&head);
    let rest: Box<dyn Read + Send> = match failed {
        Some(e) => Box::new(FailOnce(Some(e))),
        None => inner,
    };
    let whole = io::Cursor::new(head).chain(rest);
    match batches {
        true => Box::new(unbatch::Unbatch::new(io::BufReader::with_capacity(
            1 << 16,
            whole,
        ))),
        false => Box::new(whole),
    }
}

/// A reader that returns one error (a read error met while looking at a stream's
/// first bytes, returned after them).
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// A zstd file read by one decoder, frame after frame.
fn zstd_stream(file: File, name: &str) -> Result<Opened, Error> {
    let dec = zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(name, &e))?;
    Ok(Opened::Stream(unbatched(decoded(dec, "zstd"))))
}

/// Whether an object whose first bytes are `head` is read as it is stored: not
/// compressed, not Parquet, not an OTLP batch (so any entry-aligned byte range of it
/// reads as that part of the whole does).
/// (An object that starts as Parquet does counts as Parquet: its end is not read.)
#[cfg(feature = "cluster")]
pub fn is_plain_head(head: &[u8]) -> bool {
    encoding_of(head, || true).is_plain()
}

/// An object store's stream, decoded by its first bytes as a file is (a Parquet
/// object, which is read from its end, is kept in a temporary file first).
fn object_stream(body: Box<dyn Read + Send>, name: &str) -> Result<Opened, Error> {
    let mut body = io::BufReader::with_capacity(1 << 16, body);
    let head = body.fill_buf().map_err(|e| Error::io(name, &e))?;
    // Parquet's end is checked once the object is in a file.
    match encoding_of(head, || true).compression {
        Compression::Gzip => Ok(Opened::Stream(unbatched(decoded(
            flate2::read::MultiGzDecoder::new(body),
            "gzip",
        )))),
        Compression::Zstd => {
            let dec =
                zstd::stream::read::Decoder::with_buffer(body).map_err(|e| Error::io(name, &e))?;
            Ok(Opened::Stream(unbatched(decoded(dec, "zstd"))))
        }
        Compression::Parquet => {
            let mut file = tempfile::tempfile().map_err(|e| Error::io(name, &e))?;
            io::copy(&mut body, &mut file).map_err(|e| Error::io(name, &e))?;
            if !ends_in_parquet_magic(&file) {
                file.seek(io::SeekFrom::Start(0))
                    .map_err(|e| Error::io(name, &e))?;
                return Ok(Opened::Stream(unbatched(Box::new(file))));
            }
            parquet_lines(file, name)
        }
        Compression::None => Ok(Opened::Stream(unbatched(Box::new(body)))),
    }
}

/// Opens an input: mmap for regular uncompressed files unless `no_mmap`.
pub fn open(input: &Input, no_mmap: bool) -> Result<Opened, Error> {
    let path = match input {
        Input::Stdin => return Ok(Opened::Stream(unbatched(Box::new(io::stdin())))),
        Input::Spooled(s) if no_mmap => {
            return Ok(Opened::Stream(Box::new(SpoolReader {
                file: s.file.clone(),
                pos: 0,
            })))
        }
        Input::Spooled(s) => {
            let map = guard::GuardedMap::new(&s.file).map_err(|e| Error::io(&s.name, &e))?;
            return Ok(Opened::Mapped(map));
        }
        Input::File(p) if super::object::is_object_url(p) => {
            let url = p.display().to_string();
            return object_stream(super::object::open(&url)?, &url);
        }
        Input::File(p) => p,
    };
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(&name, &e))?;
    if meta.is_dir() {
        return Err(Error::new(name, "is a directory"));
    }
    let file = File::open(path).map_err(|e| Error::io(&name, &e))?;
    let encoding = match meta.is_file() {
        true => sniff_file(&file).map_err(|e| Error::io(&name, &e))?,
        false => Encoding {
            compression: Compression::None,
            batches: false,
        },
    };
    match encoding.compression {
        Compression::Gzip => Ok(Opened::Stream(unbatched(decoded(
            flate2::read::MultiGzDecoder::new(io::BufReader::with_capacity(1 << 16, file)),
            "gzip",
        )))),
        Compression::Zstd if meta.is_file() && !no_mmap => match frames::parallel(&file) {
            Some(frames) => Ok(Opened::Stream(unbatched(decoded(frames, "zstd")))),
            None => zstd_stream(file, &name),
        },
        Compression::Zstd => zstd_stream(file, &name),
        Compression::Parquet => parquet_lines(file, &name),
        Compression::None if meta.is_file() && !no_mmap && !encoding.batches => {
            let map = guard::GuardedMap::new(&file).map_err(|e| Error::io(&name, &e))?;
            Ok(Opened::Mapped(map))
        }
        Compression::None => Ok(Opened::Stream(unbatched(Box::new(file)))),
    }
}
