//! Directory walking: which files in a directory are logs.
//!
//! Recursively, in name order, skipping hidden entries: `*.log`, `*.json`, `*.jsonl`,
//! `*.ndjson`, `*.txt`, rotated copies (`app.log.1`, `app.log-20240115`) and any of
//! these compressed (`.gz`, `.zst`). Files named on the command line are always read.

use std::path::Path;

use crate::error::Error;
use crate::input::Input;

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

/// Adds the log files under `dir` to `out`, in sorted order.
pub fn walk_dir(dir: &Path, out: &mut Vec<Input>, errors: &mut Vec<Error>) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => {
            errors.push(Error::io(dir.display().to_string(), &e));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk_dir(&path, out, errors),
            Ok(m) if m.is_file() && is_log_name(&name) => out.push(Input::File(path)),
            Ok(_) => {}
            Err(e) => errors.push(Error::io(path.display().to_string(), &e)),
        }
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
