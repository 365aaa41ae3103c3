//! Writing a file by name without destroying what the name points at: `export -o`
//! and the saved state in `store` both go through [`OutFile`].
//!
//! The rules: a symlink is followed (to the end of its chain) and the rules apply to
//! its target, so the link stays a link. A regular file, or a path that does not exist
//! yet, is written to a temporary file beside it that is renamed over it on
//! [`OutFile::commit`], after taking the old file's mode and owner; until then readers
//! see the old file, and dropping an uncommitted `OutFile` (an error, a panic) removes
//! the temporary file. A FIFO or a character device (`/dev/null`, a terminal) is
//! opened and written in place, never replaced. A directory, a block device or a
//! socket is refused. Temporary files not yet committed are listed so that a signal
//! handler can remove them ([`remove_pending`]). This module writes bytes; what they
//! are is the caller's business.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Prefix of every temporary file (`.covet-logs-<PREFIX>-XXXXXX.tmp`).
const TMP_PREFIX: &str = ".covet-logs-";

/// How many symlinks a chain may hold before it is taken for a loop (Linux's limit).
const MAX_LINKS: usize = 40;

/// Temporary files created and not yet renamed or removed.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A file being written: a temporary file renamed into place, or a FIFO or device
/// written in place.
pub struct OutFile {
    kind: Kind,
    /// The name the user gave, for error messages.
    what: String,
}

enum Kind {
    Atomic {
        tmp: NamedTempFile,
        target: PathBuf,
        _listed: Listed,
    },
    InPlace(File),
}

/// Keeps a temporary file's path in [`PENDING`] while it lives; after the file itself
/// is dropped (declared after it), so the file is never unlisted before it is removed.
struct Listed(PathBuf);

impl Drop for Listed {
    fn drop(&mut self) {
        lock_pending().retain(|p| *p != self.0);
    }
}

/// What a path resolves to, after following symlinks.
enum Target {
    /// A regular file (its metadata) or nothing yet.
    Replace(PathBuf, Option<std::fs::Metadata>),
    /// A FIFO or character device.
    InPlace(PathBuf),
}

impl OutFile {
    /// Opens `path` for writing by the rules above. `tag` names the temporary file
    /// (`.covet-logs-<tag>-XXXXXX.tmp`); `new_mode` is the mode of a file that did not
    /// exist. Opening a FIFO waits for a reader, as a shell redirection does.
    pub fn create(path: &Path, tag: &str, new_mode: u32) -> Result<OutFile> {
        let what = path.display().to_string();
        let kind = match resolve(path).map_err(|e| Error::io(what.clone(), &e))? {
            Target::InPlace(p) => {
                Kind::InPlace(open_in_place(&p).map_err(|e| Error::io(what.clone(), &e))?)
            }
            Target::Replace(target, meta) => {
                let (tmp, listed) =
                    temp_beside(&target, tag).map_err(|e| Error::io(what.clone(), &e))?;
                let out = OutFile {
                    kind: Kind::Atomic {
                        tmp,
                        target,
                        _listed: listed,
                    },
                    what: what.clone(),
                };
                // On failure `out` is dropped, which removes the temporary file.
                out.take_mode_and_owner(meta.as_ref(), new_mode)
                    .map_err(|e| Error::io(what.clone(), &e))?;
                return Ok(out);
            }
        };
        Ok(OutFile { kind, what })
    }

    /// Whether the file is replaced at commit (false: written in place).
    pub fn is_atomic(&self) -> bool {
        matches!(self.kind, Kind::Atomic { .. })
    }

    /// Gives the temporary file the old file's owner and mode (or `new_mode`).
    fn take_mode_and_owner(
        &self,
        old: Option<&std::fs::Metadata>,
        new_mode: u32,
    ) -> io::Result<()> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let Kind::Atomic { tmp, .. } = &self.kind else {
            return Ok(());
        };
        let file = tmp.as_file();
        let mode = match old {
            Some(m) => {
                // Owner first: changing it clears set-id bits that the mode restores.
                // Without the right to give the file away (not root), keep at least
                // the group if we may; the owner is then the caller, as with any tool.
                if std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid())).is_err() {
                    let _ = std::os::unix::fs::fchown(file, None, Some(m.gid()));
                }
                m.mode() & 0o7777
            }
            None => new_mode,
        };
        file.set_permissions(std::fs::Permissions::from_mode(mode))
    }

    /// Finishes the file: syncs the temporary file and renames it over the target, or
    /// flushes a file written in place.
    pub fn commit(self) -> Result<()> {
        let what = self.what;
        match self.kind {
            Kind::InPlace(mut f) => f.flush().map_err(|e| Error::io(what, &e)),
            Kind::Atomic {
                tmp,
                target,
                _listed,
            } => {
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| Error::io(what.clone(), &e))?;
                // Under the lock: a signal handler removes it before or not at all.
                let pending = lock_pending();
                let res = tmp.persist(&target);
                drop(pending);
                res.map(drop).map_err(|e| Error::io(what, &e.error))
            }
        }
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.kind {
            Kind::Atomic { tmp, .. } => tmp.write(buf),
            Kind::InPlace(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.kind {
            Kind::Atomic { tmp, .. } => tmp.flush(),
            Kind::InPlace(f) => f.flush(),
        }
    }
}

/// Writes `bytes` to `path` by the rules above, in one go.
pub fn write_all(path: &Path, tag: &str, new_mode: u32, bytes: &[u8]) -> Result<()> {
    let mut f = OutFile::create(path, tag, new_mode)?;
    f.write_all(bytes)
        .map_err(|e| Error::io(path.display().to_string(), &e))?;
    f.commit()
}

/// A directory being written: a temporary directory beside the target, renamed to it
/// by [`OutDir::commit`]; dropped uncommitted, it is removed with what it holds.
pub struct OutDir {
    tmp: Option<tempfile::TempDir>,
    target: PathBuf,
    _listed: Listed,
}

impl OutDir {
    /// Starts writing the directory `path`, which must not exist or be empty.
    pub fn create(path: &Path, tag: &str) -> Result<OutDir> {
        let what = || path.display().to_string();
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            let empty_dir = meta.is_dir()
                && std::fs::read_dir(path)
                    .map_err(|e| Error::io(what(), &e))?
                    .next()
                    .is_none();
            if !empty_dir {
                return Err(Error::new(
                    what(),
                    "exists; a partitioned export writes a new (or empty) directory",
                ));
            }
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut pending = lock_pending();
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{TMP_PREFIX}{tag}-"))
            .suffix(".tmp")
            .tempdir_in(parent)
            .map_err(|e| Error::io(what(), &e))?;
        pending.push(tmp.path().to_path_buf());
        let listed = Listed(tmp.path().to_path_buf());
        drop(pending);
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(|e| Error::io(what(), &e))?;
        }
        Ok(OutDir {
            tmp: Some(tmp),
            target: path.to_path_buf(),
            _listed: listed,
        })
    }

    /// Where the files go until the commit (the partitioned Parquet export's writer,
    /// feature `parquet`).
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub fn path(&self) -> &Path {
        self.tmp.as_ref().map_or(&self.target, |t| t.path())
    }

    /// Renames the directory into place (an empty directory there is replaced).
    pub fn commit(mut self) -> Result<()> {
        let what = self.target.display().to_string();
        let Some(tmp) = self.tmp.take() else {
            return Ok(());
        };
        if self.target.is_dir() {
            // Checked empty at create; remove_dir refuses if something appeared since.
            std::fs::remove_dir(&self.target).map_err(|e| Error::io(what.clone(), &e))?;
        }
        let pending = lock_pending();
        let res = std::fs::rename(tmp.path(), &self.target);
        drop(pending);
        match res {
            Ok(()) => {
                // Renamed: nothing is left for the TempDir to remove.
                let _ = tmp.keep();
                Ok(())
            }
            Err(e) => Err(Error::io(what, &e)),
        }
    }
}

/// Removes every temporary file not yet committed; for a signal handler that is
/// about to end the process. Later commits of those files fail. Returns how many
/// there were.
pub fn remove_pending() -> usize {
    let mut pending = lock_pending();
    for p in pending.iter() {
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
        }
    }
    let n = pending.len();
    pending.clear();
    n
}

fn lock_pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Follows symlinks from `path` and classifies what is at the end.
fn resolve(path: &Path) -> io::Result<Target> {
    use std::os::unix::fs::FileTypeExt;
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Replace(p, None)),
            Err(e) => return Err(e),
        };
        let t = meta.file_type();
        if t.is_symlink() {
            let link = std::fs::read_link(&p)?;
            p = match p.parent() {
                Some(dir) => dir.join(link),
                None => link,
            };
        } else if t.is_file() {
            return Ok(Target::Replace(p, Some(meta)));
        } else if t.is_fifo() || t.is_char_device() {
            return Ok(Target::InPlace(p));
        } else {
            let kind = if t.is_dir() {
                "is a directory"
            } else if t.is_block_device() {
                "is a block device; refusing to write to it"
            } else {
                "is not a regular file, FIFO or character device"
            };
            return Err(io::Error::other(kind));
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Opens a FIFO or character device for writing, without following a symlink put in
/// its place since it was resolved, without making a terminal our controlling one, and
/// checking that what was opened is still a FIFO or device.
fn open_in_place(p: &Path) -> io::Result<File> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let f = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(p)?;
    let t = f.metadata()?.file_type();
    if t.is_fifo() || t.is_char_device() {
        Ok(f)
    } else {
        Err(io::Error::other("changed while being opened; not written"))
    }
}

/// A new temporary file in `target`'s directory, listed as pending.
fn temp_beside(target: &Path, tag: &str) -> io::Result<(NamedTempFile, Listed)> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Listed under the lock, so a signal between creating and listing cannot leave it.
    let mut pending = lock_pending();
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{TMP_PREFIX}{tag}-"))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    pending.push(tmp.path().to_path_buf());
    let listed = Listed(tmp.path().to_path_buf());
    Ok((tmp, listed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlink_chain_is_followed_to_a_new_path() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("sub/c", dir.path().join("b")).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write_all(&a, "t", 0o644, b"x").unwrap();
        assert!(std::fs::symlink_metadata(&a)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(dir.path().join("sub/c")).unwrap(), b"x");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(left.len(), 1, "only the target is left in its directory");
    }

    #[test]
    fn symlink_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("a", &a).unwrap();
        let e = OutFile::create(&a, "t", 0o644).err().unwrap();
        assert_eq!(e.why, "too many levels of symbolic links");
    }

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let mut f = OutFile::create(&target, "t", 0o644).unwrap();
        f.write_all(b"partial").unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
