//! Directory walking: which files in a directory are logs.
//!
//! Recursively, in name order, skipping hidden entries: `*.log`, `*.json`, `*.jsonl`,
//! `*.ndjson`, `*.txt`, rotated copies (`app.log.1`, `app.log-20240115`) and any of
//! these compressed (`.gz`, `.zst`). Files named on the command line are always read.
//!
//! Symbolic links inside a directory are not followed unless asked (`-L`, as ripgrep
//! does); a link named as the directory itself is. Followed or not, each file is read
//! once, however many names lead to it (`Seen`, by device and inode), and a link that
//! loops back to a directory being walked is not entered again (walkdir's check).

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use walkdir::WalkDir;

use crate::error::Error;
use crate::input::Input;

/// Files already taken, by device and inode.
#[derive(Default)]
pub struct Seen(HashSet<(u64, u64)>);

impl Seen {
    /// Whether this is the first time the file is met.
    pub fn first(&mut self, meta: &std::fs::Metadata) -> bool {
        self.0.insert((meta.dev(), meta.ino()))
    }
}

const LOG_EXTENSIONS: [&str; 5] = ["log", "json", "jsonl", "ndjson", "txt"];

/// Whether a file name looks like a log file.
pub fn is_log_name(name: &str) -> bool {
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name);
    // Rotation suffixes: `.1`, `.2`, `-20240115`, `.2024-01-15`.
    let mut base = name;
    loop {
        let trimmed = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        let trimmed = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if trimmed == base || trimmed.is_empty() {
            break;
        }
        base = trimmed;
    }
    LOG_EXTENSIONS.iter().any(|ext| {
        base.len() > ext.len() + 1
            && base.ends_with(ext)
            && base[..base.len() - ext.len()].ends_with('.')
    })
}

/// Adds the log files under `dir` to `out`, in sorted order, each file once.
pub fn walk_dir(
    dir: &Path,
    follow_links: bool,
    seen: &mut Seen,
    out: &mut Vec<Input>,
    errors: &mut Vec<Error>,
) {
    let walker = WalkDir::new(dir)
        .follow_links(follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A link back to a directory being walked: its files are already taken.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                errors.push(walk_error(dir, &e));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !is_log_name(&name) {
            continue;
        }
        match entry.metadata() {
            Ok(meta) if seen.first(&meta) => out.push(Input::File(entry.into_path())),
            Ok(_) => {}
            Err(e) => errors.push(walk_error(dir, &e)),
        }
    }
}

fn walk_error(dir: &Path, e: &walkdir::Error) -> Error {
    let path = e.path().unwrap_or(dir).display().to_string();
    match e.io_error() {
        Some(io) => Error::io(path, io),
        None => Error::new(path, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_names() {
        for yes in [
            "app.log",
            "a.json",
            "a.jsonl",
            "a.ndjson",
            "notes.txt",
            "app.log.1",
            "app.log.2.gz",
            "app.log-20240115",
            "x.jsonl.zst",
            "app.log.gz",
        ] {
            assert!(is_log_name(yes), "{yes}");
        }
        for no in [
            "log",
            "app.rs",
            "image.png",
            "README",
            ".log",
            "app.gz",
            "1.2.3",
        ] {
            assert!(!is_log_name(no), "{no}");
        }
    }
}
