//! Directory walking: which files in a directory are logs.
//!
//! Recursively, in name order, skipping hidden entries. A file is read when it is
//! text (no NUL byte in its first 8 KiB, decoded first when it is gzip or zstd, as
//! ripgrep decides) and either has a log's name or holds log lines: names are `*.log`,
//! `*.json`, `*.jsonl`, `*.ndjson`, `*.txt`, `*.out`, `*.err`, `syslog`, `messages`,
//! `access_log`, `error_log`, names without an extension, rotated copies of these
//! (`app.log.1`, `syslog-20240115`) and any of them compressed (`.gz`, `.zst`); any
//! other text file is read when format detection reads most of its first block as
//! log lines (not plain text). Why each other file was left out is kept in `Seen` (for
//! `--debug`). Files named on the command line are always read.
//!
//! Symbolic links inside a directory are not followed unless asked (`-L`, as ripgrep
//! does); a link named as the directory itself is. Followed or not, each file is read
//! once, however many names lead to it (`Seen`, by device and inode), and a link that
//! loops back to a directory being walked is not entered again (walkdir's check).

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::Error;
use crate::input::source::{open, Input, Opened};

/// Files already taken, by device and inode, and the walked files left out with why.
#[derive(Default)]
pub struct Seen {
    taken: HashSet<(u64, u64)>,
    pub skipped: Vec<(PathBuf, &'static str)>,
}

impl Seen {
    /// Whether this is the first time the file is met.
    pub fn first(&mut self, meta: &std::fs::Metadata) -> bool {
        self.taken.insert((meta.dev(), meta.ino()))
    }
}

const LOG_EXTENSIONS: [&str; 7] = ["log", "json", "jsonl", "ndjson", "txt", "out", "err"];

/// Whole names (before rotation and compression suffixes) that are logs.
const LOG_NAMES: [&str; 4] = ["syslog", "messages", "access_log", "error_log"];

/// How much of a file decides whether it is binary and whether it holds log lines.
const SNIFF_BYTES: usize = 8 << 10;

/// Whether a file name looks like a log file.
pub fn is_log_name(name: &str) -> bool {
    let original = name;
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
    if base.is_empty() || base.starts_with('.') {
        return false;
    }
    // A name without an extension (`syslog`, `app`, `kern`): but not a bare rotation
    // number or a name that was only a compression suffix.
    if LOG_NAMES.contains(&base) || (!original.contains('.') && has_letter(base)) {
        return true;
    }
    LOG_EXTENSIONS.iter().any(|ext| {
        base.len() > ext.len() + 1
            && base.ends_with(ext)
            && base[..base.len() - ext.len()].ends_with('.')
    })
}

fn has_letter(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
}

/// What the first block of a file says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniff {
    /// A NUL byte: binary, as ripgrep decides.
    Binary,
    Empty,
    /// Text that format detection reads mostly as log lines.
    LogLines,
    /// Text that is not (prose, code, tables): plain text.
    OtherText,
}

/// Reads a file's first block (decoded when compressed) and classifies it; `None` when
/// it cannot be read (opening it later reports why).
pub fn sniff(path: &Path) -> Option<Sniff> {
    // Without the `parquet` feature a Parquet file is what it was: binary.
    if !cfg!(feature = "parquet")
        && super::source::sniff_encoding(path)
            .is_ok_and(|e| e.compression == super::source::Compression::Parquet)
    {
        return Some(Sniff::Binary);
    }
    let mut block = Vec::with_capacity(SNIFF_BYTES);
    let reader = match open(&Input::File(path.to_path_buf()), true).ok()? {
        Opened::Stream(r) => r,
        Opened::Mapped(_) => return None,
    };
    reader
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut block)
        .ok()?;
    Some(classify(&block))
}

/// [`sniff`] on a block already read.
pub fn classify(block: &[u8]) -> Sniff {
    if memchr::memchr(0, block).is_some() {
        return Sniff::Binary;
    }
    if block.trim_ascii().is_empty() {
        return Sniff::Empty;
    }
    // The last line may be cut by the block's end.
    let whole = match memchr::memrchr(b'\n', block) {
        Some(i) if i + 1 < block.len() => &block[..=i],
        _ => block,
    };
    let ctx = crate::format::timestamp::TimeCtx::utc_now_year();
    let d = crate::format::detect_scored(whole, &ctx);
    if d.format != crate::format::Format::Plain && d.parsed * 2 > d.sampled {
        Sniff::LogLines
    } else {
        Sniff::OtherText
    }
}

/// Whether a walked file is read, or why not.
fn choose(path: &Path, name: &str) -> Result<(), &'static str> {
    let by_name = is_log_name(name);
    match sniff(path) {
        None => Ok(()),
        Some(Sniff::Binary) => Err("binary (a NUL byte in its first 8 KiB)"),
        Some(_) if by_name => Ok(()),
        Some(Sniff::LogLines) => Ok(()),
        Some(Sniff::Empty) => Err("empty, and not named like a log"),
        Some(Sniff::OtherText) => {
            Err("not named like a log, and its first 8 KiB are not log lines")
        }
    }
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
        if !entry.file_type().is_file() {
            continue;
        }
        match entry.metadata() {
            Ok(meta) if seen.first(&meta) => {
                let name = entry.file_name().to_string_lossy();
                match choose(entry.path(), &name) {
                    Ok(()) => out.push(Input::File(entry.into_path())),
                    Err(why) => seen.skipped.push((entry.into_path(), why)),
                }
            }
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
    fn blocks_by_content() {
        assert_eq!(classify(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Sniff::Binary);
        assert_eq!(classify(b"log line\0"), Sniff::Binary);
        assert_eq!(classify(b" \n\n"), Sniff::Empty);
        assert_eq!(
            classify(b"Jan 15 14:23:45 host sshd[1]: a\nJan 15 14:23:46 host sshd[1]: b\n"),
            Sniff::LogLines
        );
        assert_eq!(
            classify(b"{\"level\":\"info\",\"msg\":\"a\"}\n{\"level\":\"warn\"}\n"),
            Sniff::LogLines
        );
        assert_eq!(
            classify(b"fn main() {\n    println!(\"hi\");\n}\n"),
            Sniff::OtherText
        );
        assert_eq!(
            classify(b"# Title\n\nSome prose about the project.\n"),
            Sniff::OtherText
        );
    }

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
            "syslog",
            "syslog.1",
            "syslog.2.gz",
            "messages",
            "messages-20240115",
            "access_log",
            "access_log.1",
            "foo.out",
            "foo.err",
            "noext",
            "README",
            "log",
        ] {
            assert!(is_log_name(yes), "{yes}");
        }
        for no in [
            "app.rs",
            "image.png",
            ".log",
            "app.gz",
            "1.2.3",
            "20240115",
            "data.csv",
        ] {
            assert!(!is_log_name(no), "{no}");
        }
    }
}
