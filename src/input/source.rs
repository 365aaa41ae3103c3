//! One input and how to open it: a file, stdin, or a stream spooled to a temporary
//! file; opened as a memory map (regular files) or a bounded stream (stdin, pipes,
//! compressed files, decoded by magic bytes, with damage reported as the decoded byte
//! count). Used by the resolver and by the directory walk's content check.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
use crate::input::guard;

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
}

pub(crate) fn sniff_compression(path: &Path) -> io::Result<Compression> {
    let mut magic = [0u8; 4];
    let mut f = File::open(path)?;
    let mut n = 0;
    while n < magic.len() {
        let got = f.read(&mut magic[n..])?;
        if got == 0 {
            break;
        }
        n += got;
    }
    Ok(match &magic[..n] {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd] => Compression::Zstd,
        _ => Compression::None,
    })
}

/// Opens an input: mmap for regular uncompressed files unless `no_mmap`.
pub fn open(input: &Input, no_mmap: bool) -> Result<Opened, Error> {
    let path = match input {
        Input::Stdin => return Ok(Opened::Stream(Box::new(io::stdin()))),
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
        Input::File(p) => p,
    };
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(&name, &e))?;
    if meta.is_dir() {
        return Err(Error::new(name, "is a directory"));
    }
    let compression = if meta.is_file() {
        sniff_compression(path).map_err(|e| Error::io(&name, &e))?
    } else {
        Compression::None
    };
    let file = File::open(path).map_err(|e| Error::io(&name, &e))?;
    match compression {
        Compression::Gzip => Ok(Opened::Stream(decoded(
            flate2::read::MultiGzDecoder::new(io::BufReader::with_capacity(1 << 16, file)),
            "gzip",
        ))),
        Compression::Zstd => {
            let dec = zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(&name, &e))?;
            Ok(Opened::Stream(decoded(dec, "zstd")))
        }
        Compression::None if meta.is_file() && !no_mmap => {
            let map = guard::GuardedMap::new(&file).map_err(|e| Error::io(&name, &e))?;
            Ok(Opened::Mapped(map))
        }
        Compression::None => Ok(Opened::Stream(Box::new(file))),
    }
}
