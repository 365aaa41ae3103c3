//! An entry id as the server resolves it, for `/api/v1/logs/{id}/context` and
//! `/ws/logs?after=ID`: an own `id` value is looked for in the served inputs; a
//! permalink (`FILE:LINE`, `FILE@OFFSET`) must name a served file (no request reads a
//! file that was not given at start), and names the file that had that name while it
//! was served, followed across rotation by device and inode.
//!
//! The server records every identity each served name has had (`Served::observe`,
//! whenever it lists its inputs). When a name has had one, a permalink is that file's,
//! even renamed away: found by identity in the same directory, else under any name the
//! server serves now. When it has had several (`app.log` renamed to `app.log.1` and a
//! new `app.log` created while serving), the bare `FILE:LINE` does not say which file
//! it was made for: it resolves when exactly one of the files still reachable holds
//! that line (offset), and is refused as ambiguous when several do (404, listing
//! them). A file that is gone (deleted, or moved out of every served name) holds
//! nothing any more: it neither resolves nor makes the others ambiguous (as after a
//! restart, which never knew it: no refusal lasts until a restart). When no reachable
//! file holds the line and one is gone, the 404 says the file is gone.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::cli::ContextArgs;
use crate::commands::context::Located;
use crate::engine::Outcome;
use crate::input::Input;
use crate::serve::error::ApiError;
use crate::serve::params::defaults;
use crate::serve::state::Served;

/// A permalink's parts: the file, the separator (`:` a line, `@` an offset), the number.
struct Link<'a> {
    file: &'a str,
    sep: char,
    n: u64,
}

/// `FILE@OFFSET` or `FILE:LINE` (line from 1), else `None` (an own id value).
fn split(id: &str) -> Option<Link<'_>> {
    let at = id.rsplit_once('@').and_then(|(file, n)| {
        let n = n.parse().ok()?;
        Some(Link { file, sep: '@', n })
    });
    let line = || {
        let (file, n) = id.rsplit_once(':')?;
        let n = n.parse().ok().filter(|&n| n > 0)?;
        Some(Link { file, sep: ':', n })
    };
    at.or_else(line).filter(|l| !l.file.is_empty())
}

/// The id to look for: `id` itself, or the permalink of the same entry in the file
/// the served name had (its name now, when it was rotated away). 404 for a permalink
/// of a file that is not served, or that cannot be told from another (above).
pub fn resolve(id: &str, served: &Served) -> Result<String, ApiError> {
    let Some(link) = split(id) else {
        return Ok(id.to_string());
    };
    let inputs = served.inputs()?;
    let path = Path::new(link.file);
    let history = served.identities(path);
    if history.is_empty() {
        return served_spelling(id, &link, &inputs);
    }
    // Never rotated, still there: the permalink as it is.
    if let [only] = history.as_slice() {
        if reach(path, *only, &inputs).as_deref() == Some(path) {
            return Ok(id.to_string());
        }
    }
    let mut holding = Vec::new();
    let mut gone = 0;
    for identity in &history {
        match reach(path, *identity, &inputs) {
            Some(p) if holds(&p, &link, served) => holding.push(p),
            Some(_) => {}
            None => gone += 1,
        }
    }
    match (holding.as_slice(), gone) {
        ([one], _) => Ok(format!("{}{}{}", one.display(), link.sep, link.n)),
        ([], 0) => Err(ApiError::not_found(format!(
            "no entry {id:?} in the served inputs"
        ))),
        ([], _) => Err(ApiError::not_found(format!(
            "no entry {id:?}: the file {} named when it was served is gone \
             (deleted or moved out of the served inputs)",
            link.file
        ))),
        (files, _) => Err(ambiguous(id, &link, files)),
    }
}

/// A permalink whose name the server never listed: another spelling of a served file
/// (`./app.log`, an absolute path) is accepted, anything else is a 404.
fn served_spelling(id: &str, link: &Link<'_>, inputs: &[Input]) -> Result<String, ApiError> {
    let not_found = || ApiError::not_found(format!("no entry {id:?} in the served inputs"));
    if !Path::new(link.file).is_file() {
        // Not a file: the whole text is an own id value (`svc:42`).
        return Ok(id.to_string());
    }
    let target = std::fs::canonicalize(link.file).ok();
    let served = inputs.iter().any(|i| match i {
        Input::File(p) => std::fs::canonicalize(p).ok() == target,
        _ => false,
    });
    served.then(|| id.to_string()).ok_or_else(not_found)
}

/// The refusal of a permalink that several reachable files with that name hold.
fn ambiguous(id: &str, link: &Link<'_>, files: &[PathBuf]) -> ApiError {
    let named: Vec<String> = files
        .iter()
        .map(|f| format!("{}{}{}", f.display(), link.sep, link.n))
        .collect();
    ApiError::not_found(format!(
        "{id:?} is ambiguous: {} was rotated while served; the position is in {}; \
         name the entry by its own id or a stream cursor",
        link.file,
        named.join(" and ")
    ))
}

/// Where the file with `identity` is now: under `path`, renamed within its directory,
/// or under another name the server serves (`inputs`); `None` when it is gone
/// (deleted, moved out of the served inputs, compressed anew).
fn reach(path: &Path, identity: (u64, u64), inputs: &[Input]) -> Option<PathBuf> {
    let is = |m: &std::fs::Metadata| m.is_file() && (m.dev(), m.ino()) == identity;
    if std::fs::metadata(path).is_ok_and(|m| is(&m)) {
        return Some(path.to_path_buf());
    }
    in_directory(path, &is).or_else(|| {
        inputs.iter().find_map(|i| match i {
            Input::File(p) if std::fs::metadata(p).is_ok_and(|m| is(&m)) => Some(p.clone()),
            _ => None,
        })
    })
}

/// The file beside `path` (in its directory) that `is` accepts.
fn in_directory(path: &Path, is: &dyn Fn(&std::fs::Metadata) -> bool) -> Option<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let in_dir = std::fs::read_dir(dir).ok()?;
    in_dir
        .filter_map(Result::ok)
        .find(|e| e.metadata().is_ok_and(|m| is(&m)))
        .map(|e| match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.join(e.file_name()),
            _ => PathBuf::from(e.file_name()),
        })
}

/// Whether `file` has the line (offset) a permalink names.
fn holds(file: &Path, link: &Link<'_>, served: &Served) -> bool {
    let no_mmap = served.input.read.no_mmap;
    let Ok(loaded) = crate::input::load(&Input::File(file.to_path_buf()), no_mmap) else {
        return false;
    };
    let bytes = loaded.bytes();
    match link.sep {
        '@' => link.n < bytes.len() as u64,
        _ if link.n == 1 => !bytes.is_empty(),
        _ => memchr::memchr_iter(b'\n', bytes)
            .nth(link.n as usize - 2)
            .is_some_and(|nl| nl + 1 < bytes.len()),
    }
}

/// `context`'s arguments over the served inputs, for `id` (resolved already).
pub fn context_args(served: &Served, id: String) -> Result<ContextArgs, ApiError> {
    let mut args: ContextArgs = defaults()?;
    args.id = Some(id);
    args.paths = served.paths.clone();
    args.input_format = served.input.format;
    args.read = served.input.read.clone();
    args.zone = served.zone.clone();
    args.json = true;
    Ok(args)
}

/// The entry `id` names among the served inputs and where it lies (blocking): 404
/// when no entry has it, or several do, as `/logs/{id}/context` answers.
pub fn locate(served: &Served, id: &str) -> Result<Located, ApiError> {
    let args = context_args(served, resolve(id, served)?)?;
    match crate::commands::context::locate(&args).map_err(|e| ApiError::from_engine(&e))? {
        Ok(found) => Ok(found),
        Err(Outcome::Failed) => Err(ApiError::not_found(format!(
            "several entries share the id {id:?}; name one as FILE:LINE"
        ))),
        Err(_) => Err(ApiError::not_found(format!(
            "no entry {id:?} in the served inputs"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalinks_split_at_their_last_separator() {
        let parts = |id| split(id).map(|l| (l.file.to_string(), l.sep, l.n));
        assert_eq!(parts("logs/a.log:12"), Some(("logs/a.log".into(), ':', 12)));
        assert_eq!(parts("a:b.log@40"), Some(("a:b.log".into(), '@', 40)));
        assert_eq!(parts("a.log:0"), None);
        assert_eq!(parts("req-42"), None);
        assert_eq!(parts(":5"), None);
    }
}
