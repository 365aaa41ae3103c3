//! Inputs: which files to read (paths, directories, `COVET_LOGS_PATH`, stdin) and how
//! to read each one: a memory map for regular files, a bounded stream for stdin, pipes
//! and compressed files.
//!
//! A stream can be read only once, so a command that needs two passes or random access
//! (context lines, CSV column discovery) first spools it to an anonymous temporary file
//! (`spool`) and reads that instead. Damaged compressed data is not fatal to what came
//! before it: decoders are wrapped so the error names the format and how many bytes
//! decoded, and readers keep every byte they got.

pub mod follow;
pub mod guard;
pub mod walk;

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
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
    name: String,
    file: Arc<File>,
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
enum Compression {
    None,
    Gzip,
    Zstd,
}

fn sniff_compression(path: &Path) -> io::Result<Compression> {
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

/// What [`resolve`] found: the inputs, the paths that failed (the others are still
/// read), and the files in walked directories that were left out, with why.
pub struct Resolved {
    pub inputs: Vec<Input>,
    pub errors: Vec<Error>,
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// Resolves what to read: the given paths (directories walked), else the paths in
/// `COVET_LOGS_PATH`, else piped stdin.
pub fn resolve(
    paths: &[PathBuf],
    env_path: Option<&str>,
    stdin_is_terminal: bool,
    follow_links: bool,
) -> Result<Resolved, Error> {
    let mut given: Vec<PathBuf> = paths.to_vec();
    if given.is_empty() {
        if let Some(env) = env_path.filter(|s| !s.trim().is_empty()) {
            given = env
                .split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .collect();
        } else if !stdin_is_terminal {
            return Ok(Resolved {
                inputs: vec![Input::Stdin],
                errors: Vec::new(),
                skipped: Vec::new(),
            });
        } else {
            return Err(Error::new(
                "no input",
                "give files or directories, set COVET_LOGS_PATH, or pipe logs to stdin",
            ));
        }
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut seen = walk::Seen::default();
    for path in given {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                walk::walk_dir(&path, follow_links, &mut seen, &mut inputs, &mut errors)
            }
            // A file named twice, or also met in a walked directory, is read once.
            Ok(m) if m.is_file() && !seen.first(&m) => {}
            Ok(_) => inputs.push(Input::File(path)),
            Err(e) => errors.push(Error::io(path.display().to_string(), &e)),
        }
    }
    Ok(Resolved {
        inputs,
        errors,
        skipped: seen.skipped,
    })
}

/// Whether an input can be read more than once as it is: a regular, uncompressed file
/// (or a spool). Anything else (stdin, a FIFO, a device, gzip or zstd data) is spooled
/// by commands that read twice.
fn rereadable(input: &Input) -> bool {
    match input {
        Input::Stdin => false,
        Input::Spooled(_) => true,
        Input::File(p) => std::fs::metadata(p).is_ok_and(|m| {
            m.is_file() && sniff_compression(p).is_ok_and(|c| c == Compression::None)
        }),
    }
}

/// Reads a stream once into an anonymous temporary file, so it can be read again;
/// inputs that can already be read again are returned as they are. A read error keeps
/// the bytes read before it: the spool is returned with the error beside it.
pub fn spool(input: &Input) -> Result<(Input, Option<Error>), Error> {
    spool_if(input, !rereadable(input))
}

fn spool_if(input: &Input, needed: bool) -> Result<(Input, Option<Error>), Error> {
    if !needed {
        return Ok((input.clone(), None));
    }
    let name = input.display_name();
    let Opened::Stream(mut reader) = open(input, true)? else {
        return Ok((input.clone(), None));
    };
    let mut file = tempfile::tempfile().map_err(|e| Error::io("temporary file", &e))?;
    let damage = match io::copy(&mut reader, &mut file) {
        Ok(_) => None,
        Err(e) if e.kind() == io::ErrorKind::StorageFull => {
            return Err(Error::io("temporary file", &e));
        }
        Err(e) => Some(Error::io(&name, &e)),
    };
    let spooled = Input::Spooled(Spool {
        name,
        file: Arc::new(file),
    });
    Ok((spooled, damage))
}

/// Spools every input that cannot be read twice (see `spool`); errors are returned
/// beside the inputs, which keep their order.
pub fn spool_all(inputs: &[Input]) -> (Vec<Input>, Vec<Error>) {
    let mut out = Vec::with_capacity(inputs.len());
    let mut errors = Vec::new();
    for input in inputs {
        match spool(input) {
            Ok((spooled, damage)) => {
                out.push(spooled);
                errors.extend(damage);
            }
            Err(e) => errors.push(e),
        }
    }
    (out, errors)
}

/// A whole input for random access: a guarded map of the file, or of its spool.
pub struct Loaded {
    map: guard::GuardedMap,
    /// What was wrong with the data after the part that could be read.
    pub damage: Option<Error>,
}

impl Loaded {
    pub fn bytes(&self) -> &[u8] {
        self.map.bytes()
    }
}

/// Opens an input for random access: a regular file is mapped, anything else (stdin,
/// FIFOs, compressed inputs, and with `no_mmap` every file) is spooled to a temporary
/// file first, so memory stays bounded and the stream is read once.
pub fn load(input: &Input, no_mmap: bool) -> Result<Loaded, Error> {
    let needed = !rereadable(input) || (no_mmap && matches!(input, Input::File(_)));
    let (input, damage) = spool_if(input, needed)?;
    match open(&input, false)? {
        Opened::Mapped(map) => Ok(Loaded { map, damage }),
        Opened::Stream(_) => Err(Error::new(input.display_name(), "cannot be mapped")),
    }
}
