//! Inputs: which files to read (paths, `file://` URLs, directories, `COVET_LOGS_PATH`, stdin) and how
//! to read each one: a memory map for regular files, a bounded stream for stdin, pipes
//! and compressed files.
//!
//! A stream can be read only once, so a command that needs two passes or random access
//! (context lines, CSV column discovery) first spools it to an anonymous temporary file
//! (`spool`) and reads that instead. Damaged compressed data is not fatal to what came
//! before it: decoders are wrapped so the error names the format and how many bytes
//! decoded, and readers keep every byte they got.

pub mod follow;
mod frames;
pub mod guard;
pub mod object;
pub mod source;
pub mod unbatch;
pub mod url;
pub mod walk;

#[cfg(feature = "cluster")]
pub use source::is_plain_head;
use source::sniff_encoding;
pub use source::{open, Input, Opened, Spool};

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;

/// How paths become inputs: whether a directory walk follows symbolic links (`-L`),
/// and the globs a walked file must match (`-g`; `!GLOB` excludes). Files named
/// directly are always read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Walk<'a> {
    /// Follow symbolic links inside directories.
    pub follow_links: bool,
    /// Globs for the files a directory walk finds.
    pub globs: &'a [String],
}

/// What [`resolve`] found: the inputs, the paths that failed (the others are still
/// read), and the files in walked directories that were left out, with why.
pub struct Resolved {
    pub inputs: Vec<Input>,
    pub errors: Vec<Error>,
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// A file's identity: device and inode.
pub type FileId = (u64, u64);

/// The identity a file's metadata gives.
pub fn id_of(meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// The identity of the file `path` names (following links), when it exists.
pub fn file_id(path: &Path) -> Option<FileId> {
    std::fs::metadata(path).ok().map(|m| id_of(&m))
}

/// The regular file standard output writes to (`> FILE`, `>> FILE`), if it is one:
/// an input that is that file would grow as it is read, so it is never read.
pub fn stdout_file() -> Option<FileId> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    meta.is_file().then(|| id_of(&meta))
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
        let path = match url::local_path(&path) {
            Ok(local) => local.unwrap_or(path),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if object::is_object_url(&path) {
            match object::expand(&path.to_string_lossy()) {
                Ok(objects) => inputs.extend(objects.into_iter().map(Input::File)),
                Err(e) => errors.push(e),
            }
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

/// Whether a regular file is read as it is written (not compressed, not an OTLP
/// collector export): what can be read backwards, mapped, or indexed byte for byte.
pub fn reads_as_written(path: &std::path::Path) -> bool {
    sniff_encoding(path).is_ok_and(|e| e.is_plain())
}

/// Whether a file starts with gzip or zstd magic bytes (it cannot be followed).
pub fn is_compressed(path: &std::path::Path) -> bool {
    sniff_encoding(path).is_ok_and(|e| e.compression != source::Compression::None)
}

/// Whether a file is Parquet (its first and last four bytes are Parquet's magic).
#[cfg(feature = "cluster")]
pub fn is_parquet(path: &std::path::Path) -> bool {
    sniff_encoding(path).is_ok_and(|e| e.compression == source::Compression::Parquet)
}

/// The same for a file already open (read through that handle, left at its start).
pub fn file_reads_as_written(file: &std::fs::File) -> bool {
    source::sniff_file(file).is_ok_and(|e| e.is_plain())
}

/// Whether an input can be read more than once as it is: a regular, uncompressed file
/// (or a spool). Anything else (stdin, a FIFO, a device, gzip or zstd data) is spooled
/// by commands that read twice.
fn rereadable(input: &Input) -> bool {
    match input {
        Input::Stdin => false,
        Input::Spooled(_) => true,
        Input::File(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file() && reads_as_written(p)),
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
}

impl Loaded {
    pub fn bytes(&self) -> &[u8] {
        self.map.bytes()
    }
}

/// Opens an input for random access: a regular file is mapped, anything else (stdin,
/// FIFOs, compressed inputs, and with `no_mmap` every file) is spooled to a temporary
/// file first, so memory stays bounded and the stream is read once. (Its callers
/// spool a stream first, with `spool`, and report its damage from there.)
pub fn load(input: &Input, no_mmap: bool) -> Result<Loaded, Error> {
    let needed = !rereadable(input) || (no_mmap && matches!(input, Input::File(_)));
    let (input, _damage) = spool_if(input, needed)?;
    match open(&input, false)? {
        Opened::Mapped(map) => Ok(Loaded { map }),
        Opened::Stream(_) => Err(Error::new(input.display_name(), "cannot be mapped")),
    }
}
