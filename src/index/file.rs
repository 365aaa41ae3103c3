//! The index on disk: one file per indexed file and parse settings, under the cache
//! directory (`store::cache_dir()/index/`), named by a hash of the file's identity
//! (device and inode, so a rotation rename keeps it) and the settings. It holds the
//! fingerprint that says whether it still describes the file (size, modification
//! time, hashes of the first and last 4 KiB), the file's canonical path (shown, not
//! trusted), and the blocks. Little-endian fields. Three parts, each with its CRC-32: the
//! header (fingerprint and block summaries, read by every query), then the values
//! and the words sections (the blocks' filters), read only by a query that asks them
//! (`load`). Anything that does not decode or check is corrupt. Written to a
//! temporary file renamed over the old one, by one builder at a time (an exclusive
//! lock on a `.lock` file beside it).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use crate::error::Error;
use crate::index::block::{Block, FilterAt, DESCRIPTOR_LEN};

/// The layout and the parsers' reading it was built with: a change to either (new formats,
/// fields a format now fills) makes older index files stale, rebuilt on next use.
const MAGIC: &[u8; 8] = b"CVTIDX04";
/// Bytes hashed at each end of the file for the fingerprint.
const EDGE: usize = 4096;

/// What the index knows of the file it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    pub size: u64,
    pub mtime_ns: i64,
    pub head: u64,
    pub tail: u64,
}

impl Fingerprint {
    /// The fingerprint of `bytes` (the file's contents) written at `mtime_ns`.
    pub fn of(bytes: &[u8], mtime_ns: i64) -> Fingerprint {
        Fingerprint {
            size: bytes.len() as u64,
            mtime_ns,
            head: head_hash(bytes),
            tail: tail_hash(bytes),
        }
    }
}

/// Hash of the first `EDGE` bytes.
pub fn head_hash(bytes: &[u8]) -> u64 {
    xxh3_64(&bytes[..bytes.len().min(EDGE)])
}

/// Hash of the last `EDGE` bytes.
pub fn tail_hash(bytes: &[u8]) -> u64 {
    xxh3_64(&bytes[bytes.len().saturating_sub(EDGE)..])
}

/// A whole index.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub path: String,
    pub format: String,
    pub fingerprint: Fingerprint,
    /// Some timestamp depends on the file's date (time of day or year left out).
    pub dated: bool,
    pub blocks: Vec<Block>,
    /// The blocks' value filters.
    pub values: Section,
    /// The blocks' word filters.
    pub words: Section,
}

/// A section of filter bytes: where it lies in the file, and its bytes once loaded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub bytes: Option<Vec<u8>>,
    pub at: u64,
    pub len: u64,
    pub crc: u32,
}

impl Section {
    /// A loaded section of `bytes`.
    pub fn of(bytes: Vec<u8>) -> Section {
        Section {
            at: 0,
            len: bytes.len() as u64,
            crc: crc32fast::hash(&bytes),
            bytes: Some(bytes),
        }
    }
}

/// Reads a section of the index file at `path` and checks it.
pub fn load(path: &Path, section: &mut Section) -> Result<(), String> {
    use std::os::unix::fs::FileExt;
    if section.bytes.is_some() {
        return Ok(());
    }
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = vec![0u8; section.len as usize];
    file.read_exact_at(&mut bytes, section.at)
        .map_err(|_| "truncated".to_string())?;
    if crc32fast::hash(&bytes) != section.crc {
        return Err("checksum mismatch".into());
    }
    section.bytes = Some(bytes);
    Ok(())
}

/// Where the index of `path` under `settings` lives (without creating anything).
pub fn location(cache: &Path, path: &Path, settings: &str) -> Result<PathBuf, Error> {
    let meta = fs::metadata(path).map_err(|e| Error::io(path.display().to_string(), &e))?;
    let identity = identity(path, &meta);
    let name = format!(
        "{:016x}.idx",
        xxh3_64(format!("{identity}\n{settings}").as_bytes())
    );
    Ok(cache.join("index").join(name))
}

#[cfg(unix)]
fn identity(_path: &Path, meta: &fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!("dev {} ino {}", meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(path: &Path, _meta: &fs::Metadata) -> String {
    let canon = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("path {}", canon.display())
}

/// Reads an index's header (the sections are left to `load`): `Ok(None)` when there
/// is none, `Err` (the reason) when it is corrupt.
pub fn read(at: &Path) -> Result<Option<Stored>, String> {
    use std::io::Read;
    let mut file = match File::open(at) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let mut head = [0u8; 16];
    file.read_exact(&mut head)
        .map_err(|_| "truncated".to_string())?;
    let len = u64::from_le_bytes(head[8..16].try_into().expect("8 bytes"));
    if &head[..8] != MAGIC || len.saturating_add(20) > size {
        return Err("not an index file of this version".into());
    }
    let mut rest = vec![0u8; len as usize + 4];
    file.read_exact(&mut rest)
        .map_err(|_| "truncated".to_string())?;
    let stored = decode(&head, &rest)?;
    if stored.words.at + stored.words.len != size {
        return Err("truncated".into());
    }
    Ok(Some(stored))
}

/// Holds the builders' lock of one index until dropped.
pub struct Lock(#[allow(dead_code)] File);

/// Waits for the exclusive right to build the index at `at` (its directory created).
pub fn lock(at: &Path) -> Result<Lock, Error> {
    let what = || at.display().to_string();
    if let Some(dir) = at.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), &e))?;
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(at.with_extension("lock"))
        .map_err(|e| Error::io(what(), &e))?;
    fs4::FileExt::lock(&file).map_err(|e| Error::io(what(), &e))?;
    Ok(Lock(file))
}

/// Writes the index whole: a temporary file in the same directory, renamed over `at`.
pub fn write(at: &Path, stored: &Stored, _lock: &Lock) -> Result<(), Error> {
    let what = || at.display().to_string();
    let dir = at.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(what(), &e))?;
    let (Some(values), Some(words)) = (&stored.values.bytes, &stored.words.bytes) else {
        return Err(Error::new(what(), "sections not loaded"));
    };
    for part in [&encode(stored)[..], values, words] {
        tmp.write_all(part).map_err(|e| Error::io(what(), &e))?;
    }
    tmp.persist(at).map_err(|e| Error::io(what(), &e.error))?;
    Ok(())
}

/// The magic, the header's length, the header and its CRC (the sections follow).
fn encode(s: &Stored) -> Vec<u8> {
    let mut h = Vec::with_capacity(64 + s.blocks.len() * 256);
    put_str(&mut h, &s.path);
    put_str(&mut h, &s.format);
    let f = &s.fingerprint;
    for v in [
        f.size,
        f.mtime_ns as u64,
        f.head,
        f.tail,
        s.blocks.len() as u64,
    ] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.push(u8::from(s.dated));
    for b in &s.blocks {
        put_block(&mut h, b);
    }
    for section in [&s.values, &s.words] {
        h.extend_from_slice(&section.len.to_le_bytes());
        h.extend_from_slice(&section.crc.to_le_bytes());
    }
    let mut out = Vec::with_capacity(h.len() + 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(h.len() as u64).to_le_bytes());
    out.extend_from_slice(&h);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_block(out: &mut Vec<u8>, b: &Block) {
    for v in [b.start, b.end, b.first_line, b.last_line, b.entries] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.push(b.levels);
    match b.span {
        Some((lo, hi)) => {
            out.push(1);
            out.extend_from_slice(&lo.to_le_bytes());
            out.extend_from_slice(&hi.to_le_bytes());
        }
        None => out.push(0),
    }
    match &b.table {
        Some(rows) => {
            out.push(1);
            out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
            for (service, counts) in rows {
                match service {
                    Some(s) => {
                        out.push(1);
                        put_str(out, s);
                    }
                    None => out.push(0),
                }
                counts
                    .iter()
                    .for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
            }
        }
        None => out.push(0),
    }
    for filter in [&b.values, &b.words] {
        match filter {
            Some(f) => {
                out.push(1);
                out.extend_from_slice(&f.descriptor);
                out.extend_from_slice(&f.offset.to_le_bytes());
                out.extend_from_slice(&f.len.to_le_bytes());
            }
            None => out.push(0),
        }
    }
}

/// A cursor over the stored bytes; every read fails past the end.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.bytes.len() {
            return Err("truncated".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn str(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "a name is not UTF-8".to_string())
    }
}

/// The header from its first 16 bytes (`head`) and the rest with its CRC (`rest`).
fn decode(head: &[u8; 16], rest: &[u8]) -> Result<Stored, String> {
    let Some((body, crc)) = rest.split_last_chunk::<4>() else {
        return Err("truncated".into());
    };
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(head);
    hasher.update(body);
    if hasher.finalize() != u32::from_le_bytes(*crc) {
        return Err("checksum mismatch".into());
    }
    let mut r = Reader { bytes: body };
    let path = r.str()?;
    let format = r.str()?;
    let fingerprint = Fingerprint {
        size: r.u64()?,
        mtime_ns: r.u64()? as i64,
        head: r.u64()?,
        tail: r.u64()?,
    };
    let count = r.u64()?;
    let dated = r.u8()? != 0;
    let mut blocks = Vec::new();
    for _ in 0..count {
        blocks.push(get_block(&mut r)?);
    }
    let values_at = 16 + body.len() as u64 + 4;
    let values = section(&mut r, values_at)?;
    let words = section(&mut r, values_at + values.len)?;
    if !r.bytes.is_empty() {
        return Err("trailing bytes".into());
    }
    check_cover(&blocks, fingerprint.size)?;
    for b in &blocks {
        let inside = |f: &Option<FilterAt>, s: &Section| {
            f.is_none_or(|f| {
                f.is_sound() && f.offset.checked_add(f.len).is_some_and(|e| e <= s.len)
            })
        };
        if !inside(&b.values, &values) || !inside(&b.words, &words) {
            return Err("a block filter has a bad shape".into());
        }
    }
    Ok(Stored {
        path,
        format,
        fingerprint,
        dated,
        blocks,
        values,
        words,
    })
}

fn section(r: &mut Reader<'_>, at: u64) -> Result<Section, String> {
    Ok(Section {
        bytes: None,
        at,
        len: r.u64()?,
        crc: r.u32()?,
    })
}

fn get_block(r: &mut Reader<'_>) -> Result<Block, String> {
    let (start, end, first_line, last_line, entries) =
        (r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?);
    let levels = r.u8()?;
    let span = match r.u8()? {
        0 => None,
        _ => Some((r.u64()? as i64, r.u64()? as i64)),
    };
    let table = match r.u8()? {
        0 => None,
        _ => {
            let n = r.u32()? as usize;
            let mut rows = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                let service = match r.u8()? {
                    0 => None,
                    _ => Some(r.str()?),
                };
                let mut counts = [0u32; 6];
                for c in &mut counts {
                    *c = r.u32()?;
                }
                rows.push((service, counts));
            }
            Some(rows)
        }
    };
    let values = filter_at(r)?;
    let words = filter_at(r)?;
    Ok(Block {
        start,
        end,
        first_line,
        last_line,
        entries,
        levels,
        span,
        table,
        values,
        words,
    })
}

fn filter_at(r: &mut Reader<'_>) -> Result<Option<FilterAt>, String> {
    Ok(match r.u8()? {
        0 => None,
        _ => Some(FilterAt {
            descriptor: r
                .take(DESCRIPTOR_LEN)?
                .try_into()
                .expect("descriptor length"),
            offset: r.u64()?,
            len: r.u64()?,
        }),
    })
}

/// The blocks must cover `0..size` in order without gaps.
fn check_cover(blocks: &[Block], size: u64) -> Result<(), String> {
    let mut at = 0;
    for b in blocks {
        if b.start != at || b.end < b.start {
            return Err("blocks do not cover the file".into());
        }
        at = b.end;
    }
    if at != size {
        return Err("blocks do not cover the file".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::block::Acc;

    /// An index of two blocks written to a temporary file: its path and what it holds.
    fn sample(dir: &Path) -> (PathBuf, Stored) {
        let built = Acc::sample(0, (0..1000).collect()).finish(100, 4).unwrap();
        let empty = Acc::sample(100, Vec::new()).finish(300, 5).unwrap();
        let mut second = empty.block;
        second.table = None;
        let stored = Stored {
            path: "/var/log/app.log".into(),
            format: "json".into(),
            fingerprint: Fingerprint {
                size: 300,
                mtime_ns: 17,
                head: 1,
                tail: 2,
            },
            dated: false,
            blocks: vec![built.block, second],
            values: Section::of(built.values),
            words: Section::of(built.words),
        };
        let at = dir.join("x.idx");
        let lock = lock(&at).unwrap();
        write(&at, &stored, &lock).unwrap();
        (at, stored)
    }

    #[test]
    fn an_index_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let (at, s) = sample(dir.path());
        let mut back = read(&at).unwrap().unwrap();
        assert_eq!(back.blocks, s.blocks);
        assert_eq!((&back.path, &back.fingerprint), (&s.path, &s.fingerprint));
        load(&at, &mut back.values).unwrap();
        load(&at, &mut back.words).unwrap();
        assert_eq!(
            (back.values.bytes, back.words.bytes),
            (s.values.bytes, s.words.bytes)
        );
    }

    #[test]
    fn any_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (at, _) = sample(dir.path());
        let good = fs::read(&at).unwrap();
        let check = |bytes: &[u8]| -> Result<(), String> {
            fs::write(&at, bytes).unwrap();
            let mut s = read(&at)?.ok_or("gone")?;
            load(&at, &mut s.values)?;
            load(&at, &mut s.words)
        };
        assert_eq!(check(&good), Ok(()));
        for cut in [0, 3, 8, 17, good.len() / 2, good.len() - 1] {
            assert!(check(&good[..cut]).is_err(), "cut at {cut}");
        }
        for i in (0..good.len()).step_by(3) {
            let mut bad = good.clone();
            bad[i] ^= 0x40;
            assert!(check(&bad).is_err(), "flip at {i}");
        }
    }
}
