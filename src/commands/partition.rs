//! `export --format parquet --partition-by day,service -o DIR` (feature `parquet`): the
//! exported entries split into one Parquet file per partition, in the directory layout
//! Hive, Spark and DataFusion read as partition columns
//! (`DIR/day=2024-01-15/service=covet-api/part-00000.parquet`), so a cluster reading the
//! directory skips whole days or services.
//!
//! A partition's value is the entry's UTC date, service or level; an entry without one
//! goes to `__HIVE_DEFAULT_PARTITION__`, the name those engines give a missing value.
//! A value is escaped as Hive escapes it (every byte outside `A-Z a-z 0-9 _ - .` and a
//! leading `.` as `%XX`), so a service named `../x` or `a/b` stays one directory level
//! and no name is hidden; a value too long for a file name is cut and given a hash.
//!
//! Memory stays bounded: at most [`MAX_OPEN`] partitions are open at once, each with
//! row groups of up to [`ROWS`] rows, and all of them together hold at most
//! [`MAX_BUFFERED`] rows not yet written out (past that, the partition holding the
//! most ends its row group early). When another partition is needed the one used
//! least recently is finished, and that partition's next entries start its next
//! `part-NNNNN` file. The
//! files are written into the temporary directory of `outfile::OutDir`, which the
//! caller renames into place only when the whole export succeeded.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::cli::PartitionKey;
use crate::error::{Error, Result};
use crate::format::parquet::{parse_entry, Encoder};

/// Partitions open at once (each an open file).
pub const MAX_OPEN: usize = 256;

/// Rows held in memory by all open partitions together.
pub const MAX_BUFFERED: usize = 128 * 1024;

/// Rows per row group of a partition's file.
pub const ROWS: usize = 16 * 1024;

/// The directory name of a missing value (as Hive, Spark and DataFusion name it).
pub const DEFAULT_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Longest escaped value kept whole (a file name holds 255 bytes).
const MAX_VALUE: usize = 160;

/// Entries split into partition files under `root`.
pub struct Split {
    root: PathBuf,
    by: Vec<PartitionKey>,
    open: HashMap<PathBuf, Part>,
    /// The number of the next file of each partition seen.
    next_file: HashMap<PathBuf, u32>,
    tick: u64,
    files: usize,
    /// Rows held by the open partitions' encoders.
    buffered: usize,
    max_open: usize,
    max_buffered: usize,
}

/// One open partition file.
struct Part {
    enc: Encoder,
    out: BufWriter<File>,
    path: PathBuf,
    used: u64,
}

impl Split {
    /// Splits by `by`, in that order of directory levels, into `root`.
    pub fn new(root: &Path, by: &[PartitionKey]) -> Split {
        Split::with_limits(root, by, MAX_OPEN, MAX_BUFFERED)
    }

    fn with_limits(
        root: &Path,
        by: &[PartitionKey],
        max_open: usize,
        max_buffered: usize,
    ) -> Split {
        Split {
            root: root.to_path_buf(),
            by: by.to_vec(),
            open: HashMap::new(),
            next_file: HashMap::new(),
            tick: 0,
            files: 0,
            buffered: 0,
            max_open: max_open.max(1),
            max_buffered,
        }
    }

    /// Adds one LogEntry JSON line to its partition's file.
    pub fn push(&mut self, line: &[u8]) -> Result<()> {
        let entry = parse_entry(line).map_err(|e| Error::new("parquet", e))?;
        let dir = self.dir_of(&entry);
        if !self.open.contains_key(&dir) && self.open.len() >= self.max_open {
            self.close_least_used()?;
        }
        self.tick += 1;
        let part = match self.open.remove(&dir) {
            Some(part) => part,
            None => self.start(&dir)?,
        };
        let part = self.open.entry(dir).or_insert(part);
        part.used = self.tick;
        let before = part.enc.buffered();
        part.enc
            .push_entry(&entry)
            .map_err(|e| Error::new("parquet", e))?;
        self.buffered = self.buffered + part.enc.buffered() - before;
        write_taken(part)?;
        if self.buffered > self.max_buffered {
            self.end_largest_row_group()?;
        }
        Ok(())
    }

    /// Finishes every open file; returns how many files were written.
    pub fn finish(mut self) -> Result<usize> {
        for (_, part) in self.open.drain() {
            finish_part(part)?;
        }
        Ok(self.files)
    }

    /// Writes out the row group of the partition holding the most rows.
    fn end_largest_row_group(&mut self) -> Result<()> {
        let Some(part) = self.open.values_mut().max_by_key(|p| p.enc.buffered()) else {
            return Ok(());
        };
        self.buffered -= part.enc.buffered();
        part.enc
            .end_row_group()
            .map_err(|e| Error::new("parquet", e))?;
        write_taken(part)
    }

    /// The relative directory of an entry's partition.
    fn dir_of(&self, entry: &Map<String, Value>) -> PathBuf {
        self.by
            .iter()
            .map(|&key| format!("{}={}", key_name(key), partition_value(key, entry)))
            .collect()
    }

    /// Opens the next file of the partition `dir`.
    fn start(&mut self, dir: &Path) -> Result<Part> {
        let n = self.next_file.entry(dir.to_path_buf()).or_insert(0);
        let full_dir = self.root.join(dir);
        let path = full_dir.join(format!("part-{n:05}.parquet"));
        *n += 1;
        std::fs::create_dir_all(&full_dir).map_err(|e| Error::io(shown(&full_dir), &e))?;
        let file = File::create(&path).map_err(|e| Error::io(shown(&path), &e))?;
        self.files += 1;
        Ok(Part {
            enc: Encoder::with_row_group(ROWS).map_err(|e| Error::new("parquet", e))?,
            out: BufWriter::with_capacity(1 << 16, file),
            path,
            used: 0,
        })
    }

    /// Finishes the partition file used least recently.
    fn close_least_used(&mut self) -> Result<()> {
        let oldest = self
            .open
            .iter()
            .min_by_key(|(_, p)| p.used)
            .map(|(dir, _)| dir.clone());
        match oldest.and_then(|dir| self.open.remove(&dir)) {
            Some(part) => {
                self.buffered -= part.enc.buffered();
                finish_part(part)
            }
            None => Ok(()),
        }
    }
}

/// Writes the bytes the encoder has ready.
fn write_taken(part: &mut Part) -> Result<()> {
    let bytes = part.enc.take();
    part.out
        .write_all(&bytes)
        .map_err(|e| Error::io(shown(&part.path), &e))
}

/// Writes a partition file's last rows and footer, and syncs it.
fn finish_part(part: Part) -> Result<()> {
    let Part {
        enc, mut out, path, ..
    } = part;
    let bytes = enc.finish().map_err(|e| Error::new("parquet", e))?;
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .and_then(|()| out.get_ref().sync_all())
        .map_err(|e| Error::io(shown(&path), &e))
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// The directory key of a partition column.
pub fn key_name(key: PartitionKey) -> &'static str {
    match key {
        PartitionKey::Day => "day",
        PartitionKey::Service => "service",
        PartitionKey::Level => "level",
    }
}

/// An entry's value of `key`, escaped for a directory name.
pub fn partition_value(key: PartitionKey, entry: &Map<String, Value>) -> String {
    let text = |name: &str| entry.get(name).and_then(Value::as_str).map(str::to_owned);
    let value = match key {
        PartitionKey::Day => text("timestamp").and_then(|t| utc_day(&t)),
        PartitionKey::Service => text("service"),
        PartitionKey::Level => text("level"),
    };
    match value {
        Some(v) if !v.is_empty() => escape(&v),
        _ => DEFAULT_PARTITION.to_string(),
    }
}

/// The UTC date of an RFC 3339 timestamp.
fn utc_day(ts: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(ts).ok()?;
    Some(t.with_timezone(&chrono::Utc).format("%Y-%m-%d").to_string())
}

/// Hive's escaping: bytes outside `A-Z a-z 0-9 _ - .`, and a leading `.`, as `%XX`;
/// a long value cut at [`MAX_VALUE`] bytes and ended by a hash of the whole value.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, b) in value.bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || (b == b'.' && i > 0);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.len() > MAX_VALUE {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        value.hash(&mut h);
        out.truncate(MAX_VALUE);
        // Never end inside a `%XX`.
        if let Some(i) = out[MAX_VALUE - 2..].find('%') {
            out.truncate(MAX_VALUE - 2 + i);
        }
        out.push_str(&format!("~{:016x}", h.finish()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_into_one_plain_directory_level() {
        assert_eq!(escape("covet-api"), "covet-api");
        assert_eq!(escape("a/b"), "a%2Fb");
        assert_eq!(escape("../x"), "%2E.%2Fx");
        assert_eq!(escape(".hidden"), "%2Ehidden");
        assert_eq!(escape("k=v %"), "k%3Dv%20%25");
        assert_eq!(escape("é"), "%C3%A9");
        let long = "x".repeat(500);
        let e = escape(&long);
        assert!(e.len() <= MAX_VALUE + 17, "{}", e.len());
        assert_ne!(e, escape(&"x".repeat(501)));
        let pct = "%".repeat(100);
        assert!(!escape(&pct).contains("%~"), "cut inside an escape");
    }

    /// Row counts per file, read back.
    fn rows_per_file(root: &Path) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let mut text = String::new();
                let file = File::open(&p).unwrap();
                std::io::Read::read_to_string(
                    &mut crate::format::parquet::lines(file).unwrap(),
                    &mut text,
                )
                .unwrap();
                let name = p.strip_prefix(root).unwrap().display().to_string();
                out.push((name, text.lines().count()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn past_its_limits_a_split_starts_new_files_and_ends_row_groups_early_losing_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // Three services round-robin, two open at once: every switch closes a file.
        let mut split = Split::with_limits(dir.path(), &[PartitionKey::Service], 2, 5);
        let services = ["a", "b", "c"];
        for i in 0..30 {
            let line = format!(r#"{{"service":"{}","message":"m{i}"}}"#, services[i % 3]);
            split.push(line.as_bytes()).unwrap();
            assert!(split.buffered <= 5 + 1, "{} rows held", split.buffered);
        }
        let files = split.finish().unwrap();
        let got = rows_per_file(dir.path());
        assert_eq!(got.len(), files);
        // Each service's 10 entries, none lost, in files of one row each (a round-robin
        // over three with two open closes the least used every time).
        for s in services {
            let rows: usize = got
                .iter()
                .filter(|(n, _)| n.starts_with(&format!("service={s}/")))
                .map(|(_, r)| r)
                .sum();
            assert_eq!(rows, 10, "{s}: {got:?}");
        }
        assert_eq!(files, 30, "{got:?}");
        // Within the open limit, one file per partition, row groups ended early.
        let dir = tempfile::tempdir().unwrap();
        let mut split = Split::with_limits(dir.path(), &[PartitionKey::Service], 8, 5);
        for i in 0..30 {
            let line = format!(r#"{{"service":"{}","message":"m{i}"}}"#, services[i % 3]);
            split.push(line.as_bytes()).unwrap();
            assert!(split.buffered <= 6, "{} rows held", split.buffered);
        }
        assert_eq!(split.finish().unwrap(), 3);
        assert_eq!(
            rows_per_file(dir.path()),
            [
                ("service=a/part-00000.parquet".to_string(), 10),
                ("service=b/part-00000.parquet".to_string(), 10),
                ("service=c/part-00000.parquet".to_string(), 10),
            ]
        );
    }

    #[test]
    fn an_entry_without_a_value_goes_to_the_default_partition() {
        let e: Map<String, Value> = serde_json::from_str(
            r#"{"timestamp":"2024-01-15T23:30:00-02:00","service":"","level":"ERROR"}"#,
        )
        .unwrap();
        assert_eq!(partition_value(PartitionKey::Day, &e), "2024-01-16");
        assert_eq!(
            partition_value(PartitionKey::Service, &e),
            DEFAULT_PARTITION
        );
        assert_eq!(partition_value(PartitionKey::Level, &e), "ERROR");
        let none = Map::new();
        assert_eq!(partition_value(PartitionKey::Day, &none), DEFAULT_PARTITION);
    }
}
