//! Following inputs as they grow (`tail -f`, `search -f`): by name, as `tail -F` does.
//!
//! Each followed path is read with ordinary reads (never a memory map: a file truncated
//! under a map raises SIGBUS). New data is cut into whole entries by the format's
//! entry-start rule and handed to the caller as byte blocks; what may still continue (a
//! half-written line, a multi-line entry whose next line has not come yet) waits in a
//! per-file buffer until it is complete, or until the writer has been quiet for a
//! while. The engine knows nothing of queries or printing: the command scans the blocks.
//!
//! Changes under a name are found by comparing the open file with the path:
//! - rotation by rename (or deletion and re-creation): the path names another file. The
//!   old one is drained to its end, then the new one is read from its start;
//! - copytruncate: the open file is shorter than what was read. Reading restarts at 0;
//! - a path that does not exist yet is waited for; files that appear in a followed
//!   directory are picked up (rotated copies such as `app.log.1` are not: their
//!   entries were already read under the original name).
//!
//! Wake-ups come from file-system notifications (the notify crate, watching the parent
//! directories) with a polling fallback, so an appended entry is seen within
//! milliseconds and an idle follower sleeps.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::Watcher;

use crate::error::Error;
use crate::format::bounds;
use crate::format::timestamp::TimeCtx;
use crate::format::{self, Format};
use crate::input::walk;

/// Where reading of an already-known file resumes (the end of what was shown).
#[derive(Debug, Clone)]
pub struct Resume {
    pub offset: u64,
    /// `(device, inode)` of the file that offset belongs to.
    pub id: (u64, u64),
    /// That file, opened before it was read: when the name was rotated away between
    /// the read and the start of following, the rest of it is read from here before
    /// the new file (nothing written in between is lost).
    pub held: Option<std::sync::Arc<File>>,
}

impl Resume {
    /// The resume point of `file` (already open) at `offset`.
    pub fn of(file: &File, offset: u64) -> Option<Resume> {
        let meta = file.metadata().ok()?;
        Some(Resume {
            offset,
            id: super::id_of(&meta),
            held: file.try_clone().ok().map(std::sync::Arc::new),
        })
    }
}

/// One thing to follow.
#[derive(Debug, Clone)]
pub enum Spec {
    /// A file, followed by name. Without `resume` it is read from its start.
    File {
        path: PathBuf,
        resume: Option<Resume>,
    },
    /// A directory: its log files (resumed where given), plus any that appear later.
    Dir {
        path: PathBuf,
        resume: Vec<(PathBuf, Resume)>,
    },
    /// Standard input, read until it ends.
    Stdin,
}

/// The engine's settings.
#[derive(Debug, Clone)]
pub struct FollowConfig {
    /// A format forced with `--format`; `None` detects per file from its first data.
    pub format: Option<Format>,
    pub ctx: TimeCtx,
    /// Quiet time after which complete lines are released even if the entry they
    /// belong to might continue (multi-line formats).
    pub quiet: Duration,
    /// Quiet time after which even a line without its newline is released.
    pub partial: Duration,
    /// Polling interval when notifications work (a safety net) and when they do not.
    pub poll_notified: Duration,
    pub poll_fallback: Duration,
    /// Count entries in each block (for the status line's rate).
    pub count_entries: bool,
    /// `-L`: follow symbolic links inside followed directories.
    pub follow_links: bool,
    /// The longest entry held back whole (`--max-entry-size`); a longer one is
    /// released in pieces of this size.
    pub max_entry: usize,
    /// Bytes read from one file before its whole entries are released: bounds memory,
    /// and how long the first entry of a large write waits for the rest of its block
    /// to be scanned (the server releases small blocks so a stream flows steadily).
    pub read_batch: usize,
    /// A file never followed: the one standard output writes to (an entry printed
    /// into a followed file would be read again, without end).
    pub output: Option<super::FileId>,
}

impl Default for FollowConfig {
    fn default() -> FollowConfig {
        FollowConfig {
            format: None,
            ctx: TimeCtx::utc_now_year(),
            quiet: Duration::from_millis(200),
            partial: Duration::from_millis(1000),
            poll_notified: Duration::from_millis(500),
            poll_fallback: Duration::from_millis(50),
            count_entries: false,
            follow_links: false,
            max_entry: bounds::MAX_ENTRY,
            read_batch: READ_BATCH,
            output: super::stdout_file(),
        }
    }
}

/// What the engine reports.
#[derive(Debug)]
pub enum Event<'a> {
    /// Whole entries from one input: `bytes` starts and ends on entry boundaries.
    Entries {
        /// A stable number per followed file, in the order files were first seen.
        input: usize,
        name: &'a str,
        format: Format,
        /// Offset of `bytes[0]` in the file.
        offset: u64,
        bytes: &'a [u8],
        /// Number of entries in `bytes` (0 unless `count_entries`).
        entries: usize,
    },
    /// Something happened to a file: `rotated`, `truncated`, `appeared`, `gone`, ...
    Notice { name: &'a str, what: &'a str },
    /// The number of files being followed changed.
    Files(usize),
    /// Nothing new; a chance to refresh a status line or check the output.
    Idle,
}

/// What the caller wants after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// Why the engine stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The stop flag was raised (Ctrl-C).
    Interrupted,
    /// The caller said stop (a closed pipe).
    Stopped,
    /// Every input ended (only stdin can end).
    Exhausted,
}

enum Wake {
    Changed,
    Stdin(Vec<u8>),
    StdinEnd,
}

/// A handle that wakes the engine (for a signal handler).
#[derive(Clone)]
pub struct Waker(Sender<Wake>);

impl Waker {
    pub fn wake(&self) {
        let _ = self.0.send(Wake::Changed);
    }
}

/// Bytes of one input not yet handed out.
struct Pending {
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    offset: u64,
    last_data: Instant,
    format: Option<Format>,
    /// The next release is a piece cut at `max_entry` from an entry with no end yet.
    forced: bool,
    /// The entry at the start of `buf` continues one that was split (told already).
    splitting: bool,
}

impl Pending {
    fn new(offset: u64) -> Pending {
        Pending {
            buf: Vec::new(),
            offset,
            last_data: Instant::now(),
            format: None,
            forced: false,
            splitting: false,
        }
    }

    /// `cut`, or for a buffer with no whole entry that has grown past the cap, the
    /// cap: that many bytes go out as one piece of the entry.
    fn capped(&mut self, cut: usize, cfg: &FollowConfig) -> usize {
        if cut == 0 && self.buf.len() > cfg.max_entry.max(1) {
            self.forced = true;
            return cfg.max_entry.max(1);
        }
        cut
    }
}

/// A followed file.
struct Tracked {
    path: PathBuf,
    name: String,
    input: usize,
    file: Option<File>,
    id: Option<(u64, u64)>,
    /// Offset of the next byte to read from `file`.
    pos: u64,
    pending: Pending,
    /// Said "waiting for" / "gone" already.
    told_missing: bool,
}

/// Read size per call.
const READ_BLOCK: usize = 1 << 16;
/// Bytes read from one file before the blocks are released (the default `read_batch`).
const READ_BATCH: usize = 4 << 20;

/// Whether a name is a rotated or compressed copy (`app.log.1`, `app.log-20240115`,
/// `app.log.2.gz`): such files are not followed when they appear.
pub fn is_rotated_copy(name: &str) -> bool {
    if name.ends_with(".gz") || name.ends_with(".zst") {
        return true;
    }
    let last = name.rsplit(['.', '-', '_']).next().unwrap_or("");
    !last.is_empty() && last.len() < name.len() && last.bytes().all(|b| b.is_ascii_digit())
}

/// The follow engine. Build it with `Follower::new`, then `run` it.
pub struct Follower {
    cfg: FollowConfig,
    files: Vec<Tracked>,
    dirs: Vec<PathBuf>,
    /// Every file identity ever followed, so a renamed copy is not followed twice.
    seen_ids: HashSet<(u64, u64)>,
    stdin: Option<(usize, Pending, bool)>,
    next_input: usize,
    tx: Sender<Wake>,
    rx: Receiver<Wake>,
    watcher: Option<notify::RecommendedWatcher>,
    watched: HashSet<PathBuf>,
    /// Some directory could not be watched: poll at the fallback rate.
    unwatched: bool,
}

impl Follower {
    pub fn new(specs: Vec<Spec>, cfg: FollowConfig) -> Follower {
        let (tx, rx) = mpsc::channel();
        let wake = tx.clone();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if res.is_ok() {
                let _ = wake.send(Wake::Changed);
            }
        })
        .ok();
        let mut f = Follower {
            cfg,
            files: Vec::new(),
            dirs: Vec::new(),
            seen_ids: HashSet::new(),
            stdin: None,
            next_input: 0,
            tx,
            rx,
            watcher,
            watched: HashSet::new(),
            unwatched: false,
        };
        // Counted as seen, a new file that is the output is never added.
        f.seen_ids.extend(f.cfg.output);
        for spec in specs {
            match spec {
                Spec::File { path, resume } => f.add_file(path, resume),
                Spec::Dir { path, resume } => {
                    f.watch(&path, notify::RecursiveMode::Recursive);
                    let mut inputs = Vec::new();
                    let links = f.cfg.follow_links;
                    walk::walk_dir(
                        &path,
                        links,
                        &mut Default::default(),
                        &mut inputs,
                        &mut Vec::new(),
                    );
                    for input in inputs {
                        if let crate::input::Input::File(p) = input {
                            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                            if name.as_deref().is_some_and(is_rotated_copy) {
                                continue;
                            }
                            // A file the caller did not read (it appeared since) is
                            // read from its start.
                            let r = resume.iter().find(|(q, _)| *q == p).map(|(_, r)| r.clone());
                            f.add_file(p, r);
                        }
                    }
                    f.dirs.push(path);
                }
                Spec::Stdin => {
                    if f.stdin.is_none() {
                        let input = f.next_input;
                        f.next_input += 1;
                        f.stdin = Some((input, Pending::new(0), false));
                        spawn_stdin_reader(f.tx.clone());
                    }
                }
            }
        }
        f
    }

    /// A handle to wake the engine from elsewhere (a signal handler).
    pub fn waker(&self) -> Waker {
        Waker(self.tx.clone())
    }

    /// Number of inputs being followed.
    pub fn count(&self) -> usize {
        self.files.len() + usize::from(self.stdin.as_ref().is_some_and(|s| !s.2))
    }

    /// Watches a directory; when that fails (no such directory yet, no inotify), the
    /// engine polls at the fallback rate instead.
    fn watch(&mut self, dir: &Path, mode: notify::RecursiveMode) {
        if self.watched.contains(dir) {
            return;
        }
        let ok = match self.watcher.as_mut() {
            Some(w) => w.watch(dir, mode).is_ok(),
            None => false,
        };
        if ok {
            self.watched.insert(dir.to_path_buf());
        } else {
            self.unwatched = true;
        }
    }

    fn add_file(&mut self, path: PathBuf, resume: Option<Resume>) {
        if self.files.iter().any(|t| t.path == path) {
            return;
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        self.watch(&parent, notify::RecursiveMode::NonRecursive);
        let input = self.next_input;
        self.next_input += 1;
        let mut t = Tracked {
            name: path.display().to_string(),
            path,
            input,
            file: None,
            id: None,
            pos: 0,
            pending: Pending::new(0),
            told_missing: false,
        };
        let by_name = File::open(&t.path)
            .ok()
            .and_then(|f| f.metadata().ok().map(|m| (f, super::id_of(&m))));
        if by_name
            .as_ref()
            .is_some_and(|(_, id)| Some(*id) == self.cfg.output)
        {
            return; // the output (`engine::inputs::without` said so)
        }
        let held = resume
            .as_ref()
            .and_then(|r| r.held.as_ref())
            .and_then(|h| h.try_clone().ok());
        let opened = match (by_name, resume, held) {
            (Some((file, id)), Some(r), _) if r.id == id => Some((file, id, r.offset)),
            // Renamed or replaced since it was read: finish the file that was read
            // (the next poll sees the name point elsewhere and switches, as on rotation).
            (_, Some(r), Some(held)) => Some((held, r.id, r.offset)),
            (Some((file, id)), _, _) => Some((file, id, 0)),
            _ => None,
        };
        if let Some((file, id, start)) = opened {
            t.id = Some(id);
            t.pos = start;
            t.pending = Pending::new(start);
            t.pending.format = self.cfg.format.or_else(|| head_format(&file, &self.cfg));
            t.file = Some(file);
            self.seen_ids.insert(id);
        }
        self.files.push(t);
    }

    /// Follows until Ctrl-C (`stop`), the caller stops, or every input ended.
    pub fn run(
        &mut self,
        stop: &AtomicBool,
        on: &mut dyn FnMut(Event<'_>) -> Flow,
    ) -> Result<Ended, Error> {
        if on(Event::Files(self.count())) == Flow::Stop {
            return Ok(Ended::Stopped);
        }
        for t in &self.files {
            if t.file.is_none() {
                let what = "waiting for it to appear";
                if on(Event::Notice {
                    name: &t.name,
                    what,
                }) == Flow::Stop
                {
                    return Ok(Ended::Stopped);
                }
            }
        }
        let poll = if self.unwatched {
            self.cfg.poll_fallback
        } else {
            self.cfg.poll_notified
        };
        loop {
            if stop.load(Ordering::SeqCst) {
                self.flush_all(on);
                return Ok(Ended::Interrupted);
            }
            if self.check_dirs(on) == Flow::Stop {
                return Ok(Ended::Stopped);
            }
            for i in 0..self.files.len() {
                if self.poll_file(i, on) == Flow::Stop {
                    return Ok(Ended::Stopped);
                }
            }
            if self.release_stdin(on) == Flow::Stop {
                return Ok(Ended::Stopped);
            }
            if self.files.is_empty() && self.dirs.is_empty() && self.stdin_ended() {
                return Ok(Ended::Exhausted);
            }
            if on(Event::Idle) == Flow::Stop {
                return Ok(Ended::Stopped);
            }
            // Sleep until a notification, stdin data, the next poll, or the moment a
            // quiet buffer is due to be released.
            let timeout = self.next_deadline().map_or(poll, |d| d.min(poll));
            match self.rx.recv_timeout(timeout) {
                Ok(w) => self.take_wake(w),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(Ended::Exhausted),
            }
            // Coalesce a burst of notifications into one pass.
            while let Ok(w) = self.rx.try_recv() {
                self.take_wake(w);
            }
        }
    }

    fn stdin_ended(&self) -> bool {
        self.stdin
            .as_ref()
            .is_none_or(|s| s.2 && s.1.buf.is_empty())
    }

    fn take_wake(&mut self, w: Wake) {
        match w {
            Wake::Changed => {}
            Wake::Stdin(data) => {
                if let Some((_, p, _)) = self.stdin.as_mut() {
                    p.buf.extend_from_slice(&data);
                    p.last_data = Instant::now();
                }
            }
            Wake::StdinEnd => {
                if let Some(s) = self.stdin.as_mut() {
                    s.2 = true;
                }
            }
        }
    }

    /// How long until the earliest pending buffer becomes due for release.
    fn next_deadline(&self) -> Option<Duration> {
        let now = Instant::now();
        let mut best: Option<Duration> = None;
        let pendings = self
            .files
            .iter()
            .map(|t| &t.pending)
            .chain(self.stdin.iter().map(|s| &s.1));
        for p in pendings.filter(|p| !p.buf.is_empty()) {
            let quiet = now.saturating_duration_since(p.last_data);
            let due = if quiet < self.cfg.quiet {
                self.cfg.quiet - quiet
            } else if quiet < self.cfg.partial {
                self.cfg.partial - quiet
            } else {
                continue;
            };
            // A little slack so the deadline has passed when we look again.
            let due = due + Duration::from_millis(2);
            best = Some(best.map_or(due, |b: Duration| b.min(due)));
        }
        best
    }

    fn flush_all(&mut self, on: &mut dyn FnMut(Event<'_>) -> Flow) {
        // Complete lines only: a half-written line at Ctrl-C is not an entry yet.
        for i in 0..self.files.len() {
            let t = &mut self.files[i];
            let cut = memchr::memrchr(b'\n', &t.pending.buf).map_or(0, |p| p + 1);
            if release(&mut t.pending, cut, t.input, &t.name, &self.cfg, on) == Flow::Stop {
                return;
            }
        }
        if let Some((input, p, ended)) = self.stdin.as_mut() {
            let cut = if *ended {
                p.buf.len()
            } else {
                memchr::memrchr(b'\n', &p.buf).map_or(0, |x| x + 1)
            };
            let _ = release(p, cut, *input, "<stdin>", &self.cfg, on);
        }
    }

    fn release_stdin(&mut self, on: &mut dyn FnMut(Event<'_>) -> Flow) -> Flow {
        let Some((input, p, ended)) = self.stdin.as_mut() else {
            return Flow::Continue;
        };
        if p.format.is_none() && !p.buf.is_empty() {
            // Detect from the first data; a forced format wins.
            p.format = Some(
                self.cfg
                    .format
                    .unwrap_or_else(|| format::detect(&p.buf, &self.cfg.ctx)),
            );
        }
        let cut = due_cut(p, &self.cfg, *ended);
        release(p, cut, *input, "<stdin>", &self.cfg, on)
    }

    /// Picks up files that appeared in followed directories.
    fn check_dirs(&mut self, on: &mut dyn FnMut(Event<'_>) -> Flow) -> Flow {
        if self.dirs.is_empty() {
            return Flow::Continue;
        }
        let mut found = Vec::new();
        for d in &self.dirs {
            let links = self.cfg.follow_links;
            walk::walk_dir(
                d,
                links,
                &mut Default::default(),
                &mut found,
                &mut Vec::new(),
            );
        }
        let before = self.files.len();
        for input in found {
            let crate::input::Input::File(p) = input else {
                continue;
            };
            if self.files.iter().any(|t| t.path == p) {
                continue;
            }
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.as_deref().is_some_and(is_rotated_copy) {
                continue;
            }
            let known =
                std::fs::metadata(&p).is_ok_and(|m| self.seen_ids.contains(&super::id_of(&m)));
            if known {
                continue; // a followed file under another name (renamed)
            }
            self.add_file(p, None);
            let t = &self.files[self.files.len() - 1];
            if on(Event::Notice {
                name: &t.name,
                what: "appeared",
            }) == Flow::Stop
            {
                return Flow::Stop;
            }
        }
        if self.files.len() != before {
            return on(Event::Files(self.count()));
        }
        Flow::Continue
    }

    /// Reads what is new in one followed file, handling rotation and truncation.
    fn poll_file(&mut self, i: usize, on: &mut dyn FnMut(Event<'_>) -> Flow) -> Flow {
        let cfg = self.cfg.clone();
        // 1. Drain the open file (noticing truncation).
        if self.drain(i, on) == Flow::Stop {
            return Flow::Stop;
        }
        // 2. Does the name still point at the open file?
        let t = &mut self.files[i];
        let now_id = std::fs::metadata(&t.path).ok().map(|m| super::id_of(&m));
        match (t.id, now_id) {
            (Some(a), Some(b)) if a == b => {}
            (None, None) => {}
            (Some(_), None) => {
                if !t.told_missing {
                    t.told_missing = true;
                    let name = t.name.clone();
                    if on(Event::Notice {
                        name: &name,
                        what: "gone; waiting for it to come back",
                    }) == Flow::Stop
                    {
                        return Flow::Stop;
                    }
                }
            }
            (old, Some(_)) => {
                // Rotated, or re-created, or appeared late: drain the old file to its
                // end (a writer may have added to it since step 1), release what is
                // left of it, then switch to the new one from its start.
                if old.is_some() && self.drain(i, on) == Flow::Stop {
                    return Flow::Stop;
                }
                let t = &mut self.files[i];
                let cut = t.pending.buf.len();
                if release(&mut t.pending, cut, t.input, &t.name, &cfg, on) == Flow::Stop {
                    return Flow::Stop;
                }
                let t = &mut self.files[i];
                let Ok(file) = File::open(&t.path) else {
                    return Flow::Continue; // gone again; next time
                };
                let Ok(m) = file.metadata() else {
                    return Flow::Continue;
                };
                let id = super::id_of(&m);
                t.id = Some(id);
                t.pos = 0;
                t.pending = Pending::new(0);
                t.pending.format = cfg.format.or_else(|| head_format(&file, &cfg));
                t.file = Some(file);
                t.told_missing = false;
                self.seen_ids.insert(id);
                let what = if old.is_some() {
                    "rotated; following the new file"
                } else {
                    "appeared"
                };
                let name = t.name.clone();
                if on(Event::Notice { name: &name, what }) == Flow::Stop {
                    return Flow::Stop;
                }
                if self.drain(i, on) == Flow::Stop {
                    return Flow::Stop;
                }
            }
        }
        // 3. Release what is due.
        let t = &mut self.files[i];
        let cut = due_cut(&mut t.pending, &cfg, false);
        release(&mut t.pending, cut, t.input, &t.name, &cfg, on)
    }

    /// Reads the open file to its end, releasing whole entries as it goes.
    fn drain(&mut self, i: usize, on: &mut dyn FnMut(Event<'_>) -> Flow) -> Flow {
        let cfg = self.cfg.clone();
        let t = &mut self.files[i];
        let Some(file) = t.file.as_mut() else {
            return Flow::Continue;
        };
        let Ok(len) = file.metadata().map(|m| m.len()) else {
            return Flow::Continue;
        };
        if len < t.pos {
            // Truncated in place (copytruncate): what was read stays shown; what was
            // pending is the tail of the old content and goes out now.
            let cut = t.pending.buf.len();
            if release(&mut t.pending, cut, t.input, &t.name, &cfg, on) == Flow::Stop {
                return Flow::Stop;
            }
            t.pos = 0;
            t.pending = Pending::new(0);
            t.pending.format = cfg.format.or_else(|| head_format(file, &cfg));
            if on(Event::Notice {
                name: &t.name,
                what: "truncated; reading from its start",
            }) == Flow::Stop
            {
                return Flow::Stop;
            }
        }
        if file.seek(SeekFrom::Start(t.pos)).is_err() {
            return Flow::Continue;
        }
        let mut chunk = vec![0u8; READ_BLOCK];
        loop {
            let mut batch = 0usize;
            let mut eof = false;
            while batch < cfg.read_batch.max(READ_BLOCK) {
                match file.read(&mut chunk) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => {
                        t.pending.buf.extend_from_slice(&chunk[..n]);
                        t.pos += n as u64;
                        batch += n;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => {
                        eof = true;
                        break;
                    }
                }
            }
            if batch > 0 {
                t.pending.last_data = Instant::now();
                if t.pending.format.is_none() {
                    t.pending.format = Some(format::detect(&t.pending.buf, &cfg.ctx));
                }
                let fmt = t.pending.format.unwrap_or(Format::Plain);
                let cut = whole_entries(&t.pending.buf, fmt, &cfg.ctx);
                let cut = t.pending.capped(cut, &cfg);
                if release(&mut t.pending, cut, t.input, &t.name, &cfg, on) == Flow::Stop {
                    return Flow::Stop;
                }
            }
            if eof {
                return Flow::Continue;
            }
        }
    }
}

/// How much of a pending buffer may go out now: whole entries always; after a quiet
/// period every complete line; after a longer one (or at the end) everything.
fn due_cut(p: &mut Pending, cfg: &FollowConfig, ended: bool) -> usize {
    if p.buf.is_empty() {
        return 0;
    }
    if ended {
        return p.buf.len();
    }
    let fmt = p.format.unwrap_or(Format::Plain);
    let quiet = p.last_data.elapsed();
    if quiet >= cfg.partial {
        return p.buf.len();
    }
    if quiet >= cfg.quiet {
        return memchr::memrchr(b'\n', &p.buf).map_or(0, |i| i + 1);
    }
    let cut = whole_entries(&p.buf, fmt, &cfg.ctx);
    p.capped(cut, cfg)
}

/// Where the entries that surely ended end in a followed buffer (0: none yet). An
/// entry whose first line is whole by itself (JSON lines, logfmt) goes out with that
/// line: a raw stack trace written after it in a later read is an entry of its own,
/// so a line is never held back for a quiet period.
fn whole_entries(buf: &[u8], fmt: Format, ctx: &TimeCtx) -> usize {
    if fmt.first_line_whole() {
        return memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1);
    }
    bounds::stream_cut(buf, fmt, ctx, false)
}

/// Hands `p.buf[..cut]` to the caller and keeps the rest.
fn release(
    p: &mut Pending,
    cut: usize,
    input: usize,
    name: &str,
    cfg: &FollowConfig,
    on: &mut dyn FnMut(Event<'_>) -> Flow,
) -> Flow {
    if cut == 0 {
        return Flow::Continue;
    }
    if std::mem::take(&mut p.forced) {
        if !std::mem::replace(&mut p.splitting, true) {
            let what = format!(
                "an entry longer than {} was split",
                bounds::human_size(cfg.max_entry)
            );
            if on(Event::Notice { name, what: &what }) == Flow::Stop {
                return Flow::Stop;
            }
        }
    } else {
        p.splitting = false;
    }
    let format = p.format.unwrap_or_else(|| {
        cfg.format
            .unwrap_or_else(|| format::detect(&p.buf[..cut], &cfg.ctx))
    });
    p.format = Some(format);
    let entries = if cfg.count_entries {
        count_entries(&p.buf[..cut], format, &cfg.ctx)
    } else {
        0
    };
    let flow = on(Event::Entries {
        input,
        name,
        format,
        offset: p.offset,
        bytes: &p.buf[..cut],
        entries,
    });
    p.buf.drain(..cut);
    p.offset += cut as u64;
    flow
}

/// Number of entries in a block of whole entries.
fn count_entries(bytes: &[u8], format: Format, ctx: &TimeCtx) -> usize {
    let mut n = 0;
    let mut prev = None;
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.is_empty() && format.is_entry_start_after(prev, line, ctx) {
            n += 1;
        }
        prev = Some(line);
    }
    n
}

/// The format from the head of a non-empty file; `None` for an empty one (detected
/// later from its first data).
pub fn head_format(file: &File, cfg: &FollowConfig) -> Option<Format> {
    use std::os::unix::fs::FileExt;
    let mut head = vec![0u8; 64 << 10];
    let n = file.read_at(&mut head, 0).ok()?;
    if n == 0 {
        return None;
    }
    Some(format::detect(&head[..n], &cfg.ctx))
}

/// Reads stdin on a thread of its own (a blocking read cannot be woken otherwise).
fn spawn_stdin_reader(tx: Sender<Wake>) {
    let _ = std::thread::Builder::new()
        .name("covet-logs-stdin".into())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            let mut buf = vec![0u8; READ_BLOCK];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) => {
                        let _ = tx.send(Wake::StdinEnd);
                        return;
                    }
                    Ok(n) => {
                        if tx.send(Wake::Stdin(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => {
                        let _ = tx.send(Wake::StdinEnd);
                        return;
                    }
                }
            }
        });
}

/// A flag raised by Ctrl-C, shared with the follow loop.
pub fn stop_flag() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

/// A stop flag that Ctrl-C raises, waking the follower so it notices at once.
pub fn stop_on_ctrl_c(follower: &Follower) -> Arc<AtomicBool> {
    let stop = stop_flag();
    let flag = stop.clone();
    let waker = follower.waker();
    // An error means a handler exists already (a second follow in one process): keep it.
    let _ = ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        waker.wake();
    });
    stop
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_copies_are_recognised() {
        for n in [
            "app.log.1",
            "app.log-20240115",
            "app.log.2.gz",
            "x.jsonl.zst",
        ] {
            assert!(is_rotated_copy(n), "{n}");
        }
        for n in ["app.log", "api.jsonl", "v2.log", "123"] {
            assert!(!is_rotated_copy(n), "{n}");
        }
    }

    /// A file rotated between the read that gave its resume point and the start of
    /// following: the rest of the old file is read (from the held handle), then the
    /// new one, and nothing in between is lost or repeated.
    #[test]
    fn a_rotation_before_following_starts_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("app.log");
        std::fs::write(&log, "a\n").unwrap();
        let file = File::open(&log).unwrap();
        let resume = Resume::of(&file, 2).unwrap();
        let mut old = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::io::Write::write_all(&mut old, b"b\n").unwrap();
        std::fs::rename(&log, dir.path().join("app.log.1")).unwrap();
        std::fs::write(&log, "c\n").unwrap();
        let cfg = FollowConfig {
            format: Some(Format::Plain),
            quiet: Duration::from_millis(1),
            partial: Duration::from_millis(1),
            poll_notified: Duration::from_millis(5),
            poll_fallback: Duration::from_millis(5),
            ..FollowConfig::default()
        };
        let spec = Spec::File {
            path: log.clone(),
            resume: Some(resume),
        };
        let mut follower = Follower::new(vec![spec], cfg);
        let mut seen = Vec::new();
        let mut idle = 0;
        let stop = AtomicBool::new(false);
        follower
            .run(&stop, &mut |event| {
                match event {
                    Event::Entries { bytes, .. } => seen.extend_from_slice(bytes),
                    Event::Idle => idle += 1,
                    _ => {}
                }
                if seen == b"b\nc\n" || idle > 200 {
                    Flow::Stop
                } else {
                    Flow::Continue
                }
            })
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&seen), "b\nc\n");
    }

    #[test]
    fn counts_multiline_entries_once() {
        let ctx = TimeCtx::utc_now_year();
        let text = b"2024-01-15 14:23:45.123 [INFO] a b.rs:1 one\n{\n}\n2024-01-15 14:23:46.000 [INFO] a b.rs:2 two\n";
        assert_eq!(count_entries(text, Format::Covet, &ctx), 2);
        assert_eq!(count_entries(b"a\nb\n\nc", Format::Plain, &ctx), 3);
    }
}
