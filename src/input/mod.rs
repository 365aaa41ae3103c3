//! Inputs: which files to read (paths, directories, `COVET_LOGS_PATH`, stdin) and how
//! to read each one: a memory map for regular files, a bounded stream for stdin, pipes
//! and compressed files.

pub mod follow;
pub mod guard;
pub mod walk;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// The name shown in output and errors.
    pub fn display_name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
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
        Compression::Gzip => Ok(Opened::Stream(Box::new(flate2::read::MultiGzDecoder::new(
            io::BufReader::with_capacity(1 << 16, file),
        )))),
        Compression::Zstd => {
            let dec = zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(&name, &e))?;
            Ok(Opened::Stream(Box::new(dec)))
        }
        Compression::None if meta.is_file() && !no_mmap => {
            let map = guard::GuardedMap::new(&file).map_err(|e| Error::io(&name, &e))?;
            Ok(Opened::Mapped(map))
        }
        Compression::None => Ok(Opened::Stream(Box::new(file))),
    }
}

/// Resolves what to read: the given paths (directories walked), else the paths in
/// `COVET_LOGS_PATH`, else piped stdin. Paths that fail are returned as errors beside
/// the inputs that resolved, so the others are still searched.
pub fn resolve(
    paths: &[PathBuf],
    env_path: Option<&str>,
    stdin_is_terminal: bool,
) -> Result<(Vec<Input>, Vec<Error>), Error> {
    let mut given: Vec<PathBuf> = paths.to_vec();
    if given.is_empty() {
        if let Some(env) = env_path.filter(|s| !s.trim().is_empty()) {
            given = env
                .split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .collect();
        } else if !stdin_is_terminal {
            return Ok((vec![Input::Stdin], Vec::new()));
        } else {
            return Err(Error::new(
                "no input",
                "give files or directories, set COVET_LOGS_PATH, or pipe logs to stdin",
            ));
        }
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in given {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk::walk_dir(&path, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input::File(path)),
            Err(e) => errors.push(Error::io(path.display().to_string(), &e)),
        }
    }
    Ok((inputs, errors))
}

/// A whole input in memory: a guarded map for regular files, the bytes otherwise.
pub enum Loaded {
    Mapped(guard::GuardedMap),
    Bytes(Vec<u8>),
}

impl Loaded {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Loaded::Mapped(m) => m.bytes(),
            Loaded::Bytes(b) => b,
        }
    }
}

/// Opens an input for random access: mapped when possible, else read whole (stdin and
/// compressed inputs, for commands that must look around an entry).
pub fn load(input: &Input, no_mmap: bool) -> Result<Loaded, Error> {
    match open(input, no_mmap)? {
        Opened::Mapped(m) => Ok(Loaded::Mapped(m)),
        Opened::Stream(mut r) => {
            let mut buf = Vec::new();
            r.read_to_end(&mut buf)
                .map_err(|e| Error::io(input.display_name(), &e))?;
            Ok(Loaded::Bytes(buf))
        }
    }
}
