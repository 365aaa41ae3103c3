//! The block index: per file, a summary of each ~1 MiB block of entries (`block`),
//! kept on disk under the cache directory (`file`), so that a query reads only the
//! blocks that may hold a match. The scanner consumes it through `scan::Plan`, a list
//! of blocks each marked "scan" or "skip"; the query decides from the summaries
//! (`query::need`), and the skipped blocks are ones that provably hold no match, so
//! output is the same with and without the index.
//!
//! An index is used only while it describes the file: same size, modification time
//! and head/tail hashes, same detected format. A file that only grew has the blocks
//! from its last one on indexed again (cost in proportion to what was appended); any
//! other change makes it stale (not used; rebuilt with `--index always` or `index`).
//! A corrupt index is ignored and rebuilt, with a notice. Not for streams (stdin,
//! compressed files): only memory-mapped files are indexed.

pub mod block;
pub mod file;

use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::error::Error;
use crate::format::timestamp::TimeCtx;
use crate::format::Format;
use crate::index::block::{Acc, Built, Summarize, View};
use crate::index::file::{head_hash, tail_hash, Fingerprint, Section, Stored};
use crate::input::{self, Input, Opened};
use crate::query::Query;
use crate::scan::{self, Plan, PlanBlock, ScanConfig};

/// When a query uses the index (`--index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A fresh (or only grown) index is used; none is built for a file without one.
    Auto,
    /// An index is built or rebuilt when missing or stale, then used.
    Always,
    /// The index is not read.
    Never,
}

/// What `ensure` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    UpToDate,
    /// Appended bytes indexed (from the last block on).
    Extended,
    Built,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::UpToDate => "up to date",
            Action::Extended => "extended",
            Action::Built => "built",
        }
    }
}

/// The plan for `mode`, as the scanner takes it.
pub fn planner(mode: Mode) -> Option<&'static dyn Plan> {
    static AUTO: Planner = Planner { build: false };
    static ALWAYS: Planner = Planner { build: true };
    match mode {
        Mode::Auto => Some(&AUTO),
        Mode::Always => Some(&ALWAYS),
        Mode::Never => None,
    }
}

/// Reads (and as its mode says, builds) the index of the file a scan is about to read.
struct Planner {
    build: bool,
}

impl Plan for Planner {
    fn blocks(
        &self,
        path: &Path,
        bytes: &[u8],
        format: Format,
        cfg: &ScanConfig<'_>,
    ) -> Option<Vec<PlanBlock>> {
        let stored = match ensure(path, bytes, format, cfg, self.build) {
            Ok(Some((stored, action))) => {
                debug(cfg, path, &format!("index {}", action.as_str()));
                stored
            }
            Ok(None) => return None,
            Err(e) => {
                debug(cfg, path, &format!("index not used: {e}"));
                return None;
            }
        };
        Some(plan(&stored, cfg.query))
    }
}

/// Where each block of a fresh (or only grown) index of `path` starts and on which
/// line: a line number past one of them is counted from it instead of from the file's
/// start. Empty when there is no such index (none is built).
pub fn block_lines(
    path: &Path,
    bytes: &[u8],
    format: Format,
    cfg: &ScanConfig<'_>,
) -> Vec<(usize, u64)> {
    match ensure(path, bytes, format, cfg, false) {
        Ok(Some((stored, _))) => stored
            .blocks
            .iter()
            .map(|b| (b.start as usize, b.first_line))
            .collect(),
        _ => Vec::new(),
    }
}

/// Each block, marked with whether the query may match in it (asked through the
/// sections that are loaded) and, for a level-and-service query, its count.
pub fn plan(stored: &Stored, query: &Query) -> Vec<PlanBlock> {
    let counted = query.level_service();
    stored
        .blocks
        .iter()
        .map(|b| {
            let view = View {
                block: b,
                values: stored.values.bytes.as_deref(),
                words: stored.words.bytes.as_deref(),
            };
            PlanBlock {
                start: b.start as usize,
                end: b.end as usize,
                first_line: b.first_line,
                entries: b.entries,
                scan: query.may_match(&view),
                matches: counted.as_ref().and_then(|q| b.count(q)),
            }
        })
        .collect()
}

fn debug(cfg: &ScanConfig<'_>, path: &Path, msg: &str) {
    if cfg.debug {
        eprintln!(
            "covet-logs: debug: {}",
            crate::sink::sanitize::sanitize(&format!("{}: {msg}", path.display()))
        );
    }
}

/// How a stored index stands against the file's current bytes.
enum State {
    Missing,
    Fresh(Stored),
    Grown(Stored),
    Stale,
    Corrupt(String),
}

fn state(found: Result<Option<Stored>, String>, bytes: &[u8], mtime: i64, format: Format) -> State {
    let s = match found {
        Ok(Some(s)) => s,
        Ok(None) => return State::Missing,
        Err(why) => return State::Corrupt(why),
    };
    if s.format != format.name() {
        return State::Stale;
    }
    if s.fingerprint == Fingerprint::of(bytes, mtime) {
        return State::Fresh(s);
    }
    let old = s.fingerprint.size as usize;
    let grown = bytes.len() > old
        && head_hash(&bytes[..old]) == s.fingerprint.head
        && tail_hash(&bytes[..old]) == s.fingerprint.tail
        && !s.dated;
    if grown {
        State::Grown(s)
    } else {
        State::Stale
    }
}

/// The index of `path` (whose contents are `bytes`, read as `format`) brought up to
/// date: `None` when there is none to use (`build` false and none fresh or grown).
pub fn ensure(
    path: &Path,
    bytes: &[u8],
    format: Format,
    cfg: &ScanConfig<'_>,
    build: bool,
) -> Result<Option<(Stored, Action)>, Error> {
    let cache = crate::store::cache_dir()?;
    if !build && !any_index(&cache) {
        debug(cfg, path, "no fresh index (`covet-logs index` builds one)");
        return Ok(None);
    }
    let at = file::location(&cache, path, &settings(cfg))?;
    let mtime = mtime_ns(path)?;
    let asks = cfg.query.asks();
    let read = |at: &Path| {
        file::read(at).and_then(|found| match found {
            Some(mut s) => {
                if asks.values {
                    file::load(at, &mut s.values)?;
                }
                if asks.words {
                    file::load(at, &mut s.words)?;
                }
                Ok(Some(s))
            }
            None => Ok(None),
        })
    };
    match state(read(&at), bytes, mtime, format) {
        State::Fresh(s) => return Ok(Some((s, Action::UpToDate))),
        State::Missing | State::Stale if !build => {
            debug(cfg, path, "no fresh index (`covet-logs index` builds one)");
            return Ok(None);
        }
        State::Corrupt(why) => eprintln!(
            "covet-logs: {}: index was corrupt ({why}); rebuilding it",
            crate::sink::sanitize::sanitize(&path.display().to_string())
        ),
        _ => {}
    }
    let lock = file::lock(&at)?;
    // Another builder may have finished while this one waited for the lock.
    let (stored, action) = match state(read(&at), bytes, mtime, format) {
        State::Fresh(s) => return Ok(Some((s, Action::UpToDate))),
        State::Grown(mut s) => {
            let loaded =
                file::load(&at, &mut s.values).and_then(|()| file::load(&at, &mut s.words));
            match loaded {
                Ok(()) => (build_index(path, cfg, Some(s))?, Action::Extended),
                Err(_) => (build_index(path, cfg, None)?, Action::Built),
            }
        }
        _ => (build_index(path, cfg, None)?, Action::Built),
    };
    file::write(&at, &stored, &lock)?;
    // The file may have changed again while it was indexed: then the index waits for
    // the next run, and this scan reads the file whole.
    match state(Ok(Some(stored)), bytes, mtime, format) {
        State::Fresh(s) => Ok(Some((s, action))),
        _ => Ok(None),
    }
}

/// The size in bytes of the stored index of `path` under `cfg`'s settings.
pub fn stored_size(path: &Path, cfg: &ScanConfig<'_>) -> Result<u64, Error> {
    let at = file::location(&crate::store::cache_dir()?, path, &settings(cfg))?;
    std::fs::metadata(&at)
        .map(|m| m.len())
        .map_err(|e| Error::io(at.display().to_string(), &e))
}

/// What the index's key holds besides the file: the settings that change how entries
/// read (a forced format, the time zone, the entry size cap, the user's formats and
/// field aliases).
fn settings(cfg: &ScanConfig<'_>) -> String {
    // Read once a process: a directory of many small files asks for every file.
    static USER: OnceLock<u64> = OnceLock::new();
    let user = *USER.get_or_init(|| {
        let user = crate::store::config_dir()
            .map(|dir| {
                ["formats.toml", "config.toml"]
                    .map(|f| std::fs::read(dir.join(f)).unwrap_or_default())
                    .concat()
            })
            .unwrap_or_default();
        xxhash_rust::xxh3::xxh3_64(&user)
    });
    // A local zone is the process's: `TZ` is part of it.
    format!(
        "format {:?}\ntz {:?} {:?}\nmax entry {}\nuser {:016x}",
        cfg.format.map(|f| f.name()),
        cfg.ctx.tz,
        std::env::var_os("TZ"),
        cfg.max_entry,
        user
    )
}

/// Whether the cache holds any index at all, asked at most once a second (a query
/// over thousands of files that none was built for looks up none of them; a server
/// sees an index built while it runs).
fn any_index(cache: &Path) -> bool {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    static SEEN: Mutex<Option<(Instant, bool)>> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    match *seen {
        Some((at, any)) if at.elapsed() < Duration::from_secs(1) => any,
        _ => {
            let any = std::fs::read_dir(cache.join("index"))
                .is_ok_and(|mut entries| entries.any(|e| e.is_ok()));
            *seen = Some((Instant::now(), any));
            any
        }
    }
}

fn mtime_ns(path: &Path) -> Result<i64, Error> {
    let what = || path.display().to_string();
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| Error::io(what(), &e))?;
    let since = modified
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| Error::new(what(), "modification time before 1970"))?;
    i64::try_from(since.as_nanos())
        .map_err(|_| Error::new(what(), "modification time out of range"))
}

/// A plan that scans from `start` (an entry start on line `line`) to the end.
struct From {
    start: usize,
    line: u64,
}

impl Plan for From {
    fn blocks(
        &self,
        _: &Path,
        bytes: &[u8],
        _: Format,
        _: &ScanConfig<'_>,
    ) -> Option<Vec<PlanBlock>> {
        let start = self.start.min(bytes.len());
        Some(vec![
            PlanBlock {
                start: 0,
                end: start,
                first_line: 1,
                entries: 0,
                scan: false,
                matches: None,
            },
            PlanBlock {
                start,
                end: bytes.len(),
                first_line: self.line,
                entries: 0,
                scan: true,
                matches: None,
            },
        ])
    }
}

const YEAR_NS: i64 = 366 * 24 * 3600 * 1_000_000_000;

/// Indexes the file, from its start or (`from`, an index of what it was before it
/// grew) from that index's last block on.
fn build_index(path: &Path, cfg: &ScanConfig<'_>, from: Option<Stored>) -> Result<Stored, Error> {
    let what = || path.display().to_string();
    let mtime = mtime_ns(path)?;
    let ctx = cfg.ctx.dated(mtime);
    let (mut kept, mut values, mut words, start, line) = match from {
        Some(mut s) => {
            let last = s.blocks.pop();
            let (start, line) = last.map_or((0, 1), |b| (b.start, b.first_line));
            let bytes = |section: Section| section.bytes.unwrap_or_default();
            (s.blocks, bytes(s.values), bytes(s.words), start, line)
        }
        None => (Vec::new(), Vec::new(), Vec::new(), 0, 1),
    };
    let all = Query::all();
    let resume = From {
        start: start as usize,
        line,
    };
    let scan_cfg = ScanConfig {
        query: &all,
        ctx,
        need_lines: true,
        window: (None, None),
        no_mmap: false,
        progress: None,
        entries: None,
        plan: (start > 0).then_some(&resume as &dyn Plan),
        levels: None,
        ..*cfg
    };
    let sink = Summarize {
        later: ctx.dated(mtime.saturating_add(YEAR_NS)),
    };
    let mut accs: Vec<Acc> = Vec::new();
    let report = scan::scan_input(
        &Input::File(path.to_path_buf()),
        0,
        &scan_cfg,
        &sink,
        &mut |part| {
            accs.extend(part);
            Ok(true)
        },
    )
    .map_err(Error::from)?;
    let format = report
        .format
        .ok_or_else(|| Error::new(what(), "no format"))?;
    let Opened::Mapped(map) = input::open(&Input::File(path.to_path_buf()), false)? else {
        return Err(Error::new(what(), "not a regular file"));
    };
    let bytes = map
        .bytes()
        .get(..report.bytes as usize)
        .ok_or_else(|| Error::new(what(), "file shrank while being indexed"))?;
    // A stream scan (an entry over the size cap) reads from the start: keep what follows
    // the kept blocks.
    accs.retain(|a| a.start >= start);
    let dated = accs.iter().any(|a| a.dated);
    for mut built in finish_blocks(accs, (start, line), bytes, format, &ctx)? {
        if let Some(f) = &mut built.block.values {
            f.offset = values.len() as u64;
        }
        if let Some(f) = &mut built.block.words {
            f.offset = words.len() as u64;
        }
        values.extend_from_slice(&built.values);
        words.extend_from_slice(&built.words);
        kept.push(built.block);
    }
    if mtime_ns(path)? != mtime {
        return Err(Error::new(what(), "file changed while being indexed"));
    }
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(Stored {
        path: canonical.display().to_string(),
        format: format.name().into_owned(),
        fingerprint: Fingerprint::of(bytes, mtime),
        dated,
        blocks: kept,
        values: Section::of(values),
        words: Section::of(words),
    })
}

/// The blocks over `start..bytes.len()`: each from its first entry to the next one's,
/// with its entries counted as the scanner counts them.
fn finish_blocks(
    mut accs: Vec<Acc>,
    (start, line): (u64, u64),
    bytes: &[u8],
    format: Format,
    ctx: &TimeCtx,
) -> Result<Vec<Built>, Error> {
    let len = bytes.len() as u64;
    if start >= len {
        return Ok(Vec::new());
    }
    match accs.first_mut() {
        Some(first) => (first.start, first.first_line) = (start, line),
        None => accs.push(Acc::empty(start, line)),
    }
    let ends: Vec<u64> = accs.iter().skip(1).map(|a| a.start).chain([len]).collect();
    accs.into_par_iter()
        .zip(ends)
        .map(|(acc, end)| {
            let entries =
                scan::count_entries(&bytes[acc.start as usize..end as usize], format, ctx);
            acc.finish(end, entries)
        })
        .collect()
}
