//! `covet-logs tail`: the last N matching entries, then (with `-f`) every new one.
//!
//! The last entries of a regular file are found by reading backwards from its end
//! (`scan::backward`); stdin and compressed files are streamed, keeping only the last
//! N. Several inputs are merged by timestamp. Following hands over to the follow engine
//! (`input::follow`) at exactly the offset where the backward read stopped, so no
//! entry is shown twice or skipped; each block it releases is scanned with the query
//! and printed at once, flushed per block. `search -f` uses the same loop after its
//! normal search (`search_follow`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::cli::{SearchArgs, TailArgs};
use crate::commands::report;
use crate::config::{stderr_is_terminal, DisplayConfig, FilterConfig, InputConfig};
use crate::error::{Error, Result, EXIT_ERROR, EXIT_MATCH, EXIT_NO_MATCH};
use crate::input::follow::{self, Ended, Event, Flow, FollowConfig, Follower, Resume, Spec};
use crate::input::Input;
use crate::scan::backward::{self, Capture, Captured};
use crate::scan::{self, region, ScanConfig, Source};
use crate::sink::out::{stdout_gone, Out};
use crate::sink::print::{Mode, Printed, Printer};
use crate::sink::status::Status;

/// Exit code after Ctrl-C, as shells report a SIGINT death.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Runs `tail` and returns the exit code.
pub fn run(args: &TailArgs) -> i32 {
    match tail(args) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            EXIT_ERROR
        }
    }
}

/// The paths to read as given, or the defaults (`COVET_LOGS_PATH`, else piped stdin).
pub(crate) fn given_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths.to_vec();
    }
    match std::env::var("COVET_LOGS_PATH") {
        Ok(env) if !env.trim().is_empty() => env
            .split(':')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect(),
        _ => Vec::new(),
    }
}

fn tail(args: &TailArgs) -> Result<i32> {
    let filter = FilterConfig::new(&args.filter, None)?;
    let input_cfg = InputConfig::new(&args.input);
    let display = DisplayConfig::new(&args.display)?;
    super::start_pager(args.display.paging, args.follow);
    let given = given_paths(&args.paths);
    // Following waits for a file that does not exist yet instead of failing on it.
    let (present, absent): (Vec<PathBuf>, Vec<PathBuf>) = given
        .iter()
        .cloned()
        .partition(|p| p.as_os_str() == "-" || p.exists());
    let (inputs, mut failed) = if args.follow && present.is_empty() && !absent.is_empty() {
        (Vec::new(), false)
    } else if args.follow {
        let (inputs, failed) = super::resolve_inputs(
            &present,
            args.input.follow_links,
            args.input.debug,
            &args.input.globs,
        )?;
        (inputs, failed)
    } else {
        super::resolve_inputs(
            &given,
            args.input.follow_links,
            args.input.debug,
            &args.input.globs,
        )?
    };
    input_cfg.init_threads();
    // Line numbers make the permalinks (`FILE:LINE`) of the terminal view and JSON.
    let scan_cfg = super::scan_config(&filter, &input_cfg, display.mode != Mode::Raw, None);
    let several = inputs.len() + absent.len() > 1 || given.iter().any(|p| p.is_dir());
    let printer = Printer {
        mode: display.mode,
        color: display.color,
        expand: display.expand,
        show_file: several,
        need_ts: false,
        highlight: filter.query.highlight.clone(),
        time: display.time.clone(),
        prefix: crate::sink::print::Prefix::default(),
        only_matching: false,
    };
    if input_cfg.debug {
        eprintln!(
            "covet-logs: debug: tail -n {}, query {:?}, {} input(s){}",
            args.lines,
            filter.query_text,
            inputs.len(),
            if args.follow { ", following" } else { "" }
        );
    }

    // 1. The last N entries.
    let mut lasts: Vec<(Source, Vec<Captured>)> = Vec::new();
    let mut resumes: HashMap<PathBuf, Resume> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        if args.follow && *input == Input::Stdin {
            continue; // a live pipe has no end to read back from: it streams below
        }
        match last_entries(input, i, args.lines, &scan_cfg, several, args.follow) {
            Ok((source, entries, resume, damage)) => {
                if let (Input::File(p), Some(r)) = (input, resume) {
                    resumes.insert(p.clone(), r);
                }
                lasts.push((source, entries));
                // A damaged stream: its last entries before the damage are shown.
                if let Some(e) = damage {
                    report(&e);
                    failed = true;
                }
            }
            Err(e) => {
                report(&e);
                failed = true;
            }
        }
    }
    let mut chosen = merge_last(&lasts, args.lines);
    if args.newest_first {
        chosen.reverse();
    }
    let mut part = Printed::default();
    for &(s, k) in &chosen {
        backward::render(&printer, &mut part, &lasts[s].1[k], &lasts[s].0, &scan_cfg);
    }
    let shown = chosen.len() as u64;
    if !args.follow {
        let mut out = Out::new();
        out.write(&part.buf);
        out.finish()?;
        return Ok(exit_code(failed, shown));
    }
    let mut live = Live::new();
    if !live.write(&part.buf) {
        return Ok(EXIT_MATCH);
    }

    // 2. Follow.
    let specs = follow_specs(&given, &inputs, &resumes);
    follow_loop(
        specs,
        &scan_cfg,
        &printer,
        &input_cfg,
        !args.no_status,
        live,
        shown,
        failed,
    )
}

fn exit_code(failed: bool, matched: u64) -> i32 {
    if failed {
        EXIT_ERROR
    } else if matched > 0 {
        EXIT_MATCH
    } else {
        EXIT_NO_MATCH
    }
}

/// Whether a file starts with gzip or zstd magic bytes.
fn is_compressed(file: &File) -> bool {
    let mut magic = [0u8; 4];
    let n = file.read_at(&mut magic, 0).unwrap_or(0);
    matches!(&magic[..n], [0x1f, 0x8b, ..] | [0x28, 0xb5, 0x2f, 0xfd])
}

/// Where following should start in a file of `len` bytes: after its last newline, so
/// a line still being written is shown once, whole, by the follower.
fn complete_end(file: &File, len: u64) -> u64 {
    let look = len.min(64 << 10);
    let mut buf = vec![0u8; look as usize];
    match file.read_at(&mut buf, len - look) {
        Ok(n) if n == buf.len() => match memchr::memrchr(b'\n', &buf) {
            Some(i) => len - look + i as u64 + 1,
            None if look == len => 0,
            None => len,
        },
        _ => len,
    }
}

/// What `last_entries` found in one input.
type LastEntries = (Source, Vec<Captured>, Option<Resume>, Option<Error>);

/// The last `n` matching entries of one input, its source, (for a followed regular
/// file) where following resumes, and the damage that ended a stream early.
fn last_entries(
    input: &Input,
    index: usize,
    n: usize,
    cfg: &ScanConfig<'_>,
    need_ts: bool,
    follow: bool,
) -> Result<LastEntries> {
    let name = input.display_name();
    // Only a regular file is opened here: opening a FIFO would consume its writer,
    // and the stream path below must be the one and only reader.
    let regular = match input {
        Input::File(path) => std::fs::metadata(path)
            .map_err(|e| Error::io(&name, &e))?
            .is_file()
            .then_some(path),
        _ => None,
    };
    let mut resume = None;
    if let Some(path) = regular {
        let file = File::open(path).map_err(|e| Error::io(&name, &e))?;
        let meta = file.metadata().map_err(|e| Error::io(&name, &e))?;
        if meta.is_file() && !is_compressed(&file) {
            let len = meta.len();
            let end = if follow {
                complete_end(&file, len)
            } else {
                len
            };
            let io = |e: std::io::Error| Error::io(&name, &e);
            let format = backward::detect_format(&file, len, cfg).map_err(io)?;
            let source = Source {
                name: name.clone(),
                index,
                format,
            };
            let mut tail =
                backward::last_matches(&file, end, n, format, &source, cfg, need_ts).map_err(io)?;
            if !tail.too_long {
                if tail.split > 0 {
                    eprintln!(
                        "covet-logs: {}: {}",
                        crate::sink::sanitize::sanitize(&name),
                        scan::split_notice(tail.split, cfg.max_entry)
                    );
                }
                if cfg.need_lines {
                    backward::number_lines(&file, &mut tail.entries).map_err(io)?;
                }
                if cfg.debug {
                    eprintln!(
                        "covet-logs: debug: {}: format {}, read {} of {len} bytes backwards",
                        crate::sink::sanitize::sanitize(&name),
                        format.name(),
                        tail.bytes_read
                    );
                }
                let resume = Resume {
                    offset: end,
                    id: (meta.dev(), meta.ino()),
                };
                return Ok((source, tail.entries, Some(resume), None));
            }
            // An entry too long to hold: read forward, cut at the cap as a search is.
            if cfg.debug {
                eprintln!(
                    "covet-logs: debug: {}: an entry too long to read backwards; reading forward",
                    crate::sink::sanitize::sanitize(&name)
                );
            }
            resume = Some(Resume {
                offset: len,
                id: (meta.dev(), meta.ino()),
            });
        }
    }
    // Streams (stdin, pipes, compressed files), and files with an entry too long to
    // read backwards: read through, keep the last n.
    let sink = Capture { need_ts };
    let mut kept: Vec<Captured> = Vec::new();
    let mut emit = |part: Vec<Captured>| {
        kept.extend(part);
        if kept.len() > n.saturating_mul(2).max(1024) {
            kept.drain(..kept.len() - n);
        }
        true
    };
    let rep = scan::scan_input_report(input, index, cfg, &sink, &mut emit)?;
    if kept.len() > n {
        kept.drain(..kept.len() - n);
    }
    let source = Source {
        name,
        index,
        format: rep.format.unwrap_or(crate::format::Format::Plain),
    };
    Ok((source, kept, resume, rep.damage))
}

/// The last `n` entries across inputs, merged by timestamp (entries without one keep
/// the time of the entry before them), as `(input, entry)` indices, oldest first.
fn merge_last(lasts: &[(Source, Vec<Captured>)], n: usize) -> Vec<(usize, usize)> {
    let streams: Vec<Vec<i64>> = lasts
        .iter()
        .map(|(_, entries)| {
            let mut last = i64::MIN;
            entries
                .iter()
                .map(|e| {
                    if let Some(ts) = e.ts {
                        last = ts;
                    }
                    last
                })
                .collect()
        })
        .collect();
    let mut heap = BinaryHeap::new();
    for (s, ts) in streams.iter().enumerate() {
        if let Some(&t) = ts.first() {
            heap.push(Reverse((t, s, 0usize)));
        }
    }
    let mut order = Vec::new();
    while let Some(Reverse((_, s, k))) = heap.pop() {
        order.push((s, k));
        if let Some(&t) = streams[s].get(k + 1) {
            heap.push(Reverse((t, s, k + 1)));
        }
    }
    if order.len() > n {
        order.drain(..order.len() - n);
    }
    order
}

/// What to follow: each given path by name (directories for new files too), stdin
/// when it was an input, resuming where the shown part ended.
fn follow_specs(
    given: &[PathBuf],
    inputs: &[Input],
    resumes: &HashMap<PathBuf, Resume>,
) -> Vec<Spec> {
    let mut specs = Vec::new();
    if given.is_empty() {
        if inputs.contains(&Input::Stdin) {
            specs.push(Spec::Stdin);
        }
        return specs;
    }
    for p in given {
        if p.as_os_str() == "-" {
            specs.push(Spec::Stdin);
        } else if p.is_dir() {
            let resume = resumes
                .iter()
                .filter(|(f, _)| f.starts_with(p))
                .map(|(f, r)| (f.clone(), *r))
                .collect();
            specs.push(Spec::Dir {
                path: p.clone(),
                resume,
            });
        } else {
            let compressed = p.is_file() && File::open(p).is_ok_and(|f| is_compressed(&f));
            if !compressed {
                specs.push(Spec::File {
                    path: p.clone(),
                    resume: resumes.get(p).copied(),
                });
            }
        }
    }
    specs
}

/// Standard output while following: every block is flushed at once; a closed pipe
/// ends the follow quietly.
struct Live {
    out: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Live {
    fn new() -> Live {
        Live {
            out: std::io::stdout().lock(),
            closed: false,
        }
    }

    fn write(&mut self, bytes: &[u8]) -> bool {
        if self.closed {
            return false;
        }
        if bytes.is_empty() {
            return true;
        }
        if self
            .out
            .write_all(bytes)
            .and_then(|_| self.out.flush())
            .is_err()
        {
            self.closed = true;
        }
        !self.closed
    }
}

/// Line numbers per followed input, for the `FILE:LINE` permalink (terminal view and
/// `--json`).
#[derive(Default)]
struct LineTracker {
    /// input -> (offset the next block starts at, its first line).
    next: HashMap<usize, (u64, u64)>,
}

impl LineTracker {
    fn base(&mut self, input: usize, name: &str, offset: u64) -> u64 {
        match self.next.get(&input) {
            Some(&(off, line)) if off == offset => line,
            _ if offset == 0 => 1,
            _ => count_lines_to(Path::new(name), offset).unwrap_or(0),
        }
    }

    fn advance(&mut self, input: usize, offset: u64, bytes: &[u8], base: u64) {
        let lines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.next
            .insert(input, (offset + bytes.len() as u64, base + lines));
    }
}

fn count_lines_to(path: &Path, offset: u64) -> Option<u64> {
    let file = File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut pos, mut line) = (0u64, 1u64);
    while pos < offset {
        let want = ((offset - pos) as usize).min(buf.len());
        let n = file.read_at(&mut buf[..want], pos).ok()?;
        if n == 0 {
            break;
        }
        line += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        pos += n as u64;
    }
    Some(line)
}

/// Follows `specs`, printing matching entries as they come; returns the exit code.
#[allow(clippy::too_many_arguments)]
fn follow_loop(
    specs: Vec<Spec>,
    cfg: &ScanConfig<'_>,
    printer: &Printer,
    input_cfg: &InputConfig,
    status_wanted: bool,
    mut live: Live,
    shown: u64,
    failed: bool,
) -> Result<i32> {
    let status_on = status_wanted && stderr_is_terminal();
    let fcfg = FollowConfig {
        format: input_cfg.format,
        ctx: cfg.ctx,
        count_entries: status_on,
        follow_links: input_cfg.follow_links,
        max_entry: input_cfg.max_entry,
        ..FollowConfig::default()
    };
    if specs.is_empty() {
        return Err(Error::new("follow", "nothing to follow"));
    }
    let mut follower = Follower::new(specs, fcfg);
    let stop = follow::stop_on_ctrl_c(&follower);
    let mut status = Status::new(status_on);
    let mut matched = shown;
    let mut sources: HashMap<usize, Source> = HashMap::new();
    let mut lines = LineTracker::default();
    let debug = cfg.debug;
    let mut on = |ev: Event<'_>| -> Flow {
        match ev {
            Event::Entries {
                input,
                name,
                format,
                offset,
                bytes,
                entries,
            } => {
                let source = sources.entry(input).or_insert_with(|| Source {
                    name: name.to_string(),
                    index: input,
                    format,
                });
                source.format = format;
                let base = if cfg.need_lines {
                    lines.base(input, name, offset)
                } else {
                    0
                };
                let mut part = Printed::default();
                let long =
                    region::scan_region(bytes, offset, base, source, cfg, printer, &mut part);
                if long > 0 {
                    let what = crate::scan::split_notice(long, cfg.max_entry);
                    let name = crate::sink::sanitize::sanitize(name);
                    if debug || !status.is_enabled() {
                        eprintln!("covet-logs: {name}: {what}");
                    }
                    status.notice(format!("{name}: {what}"));
                }
                if cfg.need_lines {
                    lines.advance(input, offset, bytes, base);
                }
                status.record(entries as u64, part.items.len() as u64);
                matched += part.items.len() as u64;
                if !part.buf.is_empty() {
                    status.clear();
                    if !live.write(&part.buf) {
                        return Flow::Stop;
                    }
                }
                status.draw(false);
            }
            Event::Notice { name, what } => {
                if debug || !status.is_enabled() {
                    report(&Error::new(name, what));
                }
                status.notice(format!("{name}: {what}"));
                status.draw(true);
            }
            Event::Files(n) => {
                status.set_files(n);
                status.draw(true);
            }
            Event::Idle => {
                if stdout_gone() {
                    return Flow::Stop;
                }
                status.draw(false);
            }
        }
        Flow::Continue
    };
    let ended = follower.run(&stop, &mut on)?;
    status.finish();
    Ok(match ended {
        Ended::Interrupted => EXIT_INTERRUPTED,
        Ended::Stopped => EXIT_MATCH,
        Ended::Exhausted => exit_code(failed, matched),
    })
}

/// `search -f`: the normal search over the existing content (merged by time when
/// there are several files), then the same follow loop as `tail -f`, resuming each
/// file exactly where the search's read of it ended.
pub fn search_follow(
    args: &SearchArgs,
    filter: &FilterConfig,
    input_cfg: &InputConfig,
    display: &DisplayConfig,
    paths: &[PathBuf],
    inputs: &[Input],
    mut failed: bool,
) -> Result<i32> {
    let cfg = super::scan_config(filter, input_cfg, display.mode != Mode::Raw, None);
    let several = inputs.len() > 1 || paths.iter().any(|p| p.is_dir());
    let printer = Printer {
        mode: display.mode,
        color: display.color,
        expand: display.expand,
        show_file: several,
        need_ts: several,
        highlight: filter.query.highlight.clone(),
        time: display.time.clone(),
        prefix: crate::sink::print::Prefix::default(),
        only_matching: false,
    };
    let mut live = Live::new();
    let mut per_input: Vec<Vec<Printed>> = Vec::new();
    let mut resumes = HashMap::new();
    let mut streamed = 0u64;
    for (i, input) in inputs.iter().enumerate() {
        let mut parts = Vec::new();
        if *input == Input::Stdin {
            per_input.push(parts);
            continue; // streamed live below
        }
        // The identity is taken before the scan; if the file was replaced meanwhile,
        // the follower sees another file and reads that one from its start.
        let id = match input {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino())),
            Input::Stdin | Input::Spooled(_) => None,
        };
        let mut emit = |part: Printed| {
            if several {
                parts.push(part);
                true
            } else {
                streamed += part.items.len() as u64;
                live.write(&part.buf)
            }
        };
        match scan::scan_input(input, i, &cfg, &printer, &mut emit) {
            Ok(rep) => {
                if let (Input::File(p), Some(id)) = (input, id) {
                    resumes.insert(
                        p.clone(),
                        Resume {
                            offset: rep.bytes,
                            id,
                        },
                    );
                }
            }
            Err(e) => {
                report(&e);
                failed = true;
            }
        }
        per_input.push(parts);
    }
    let mut shown = streamed;
    for (input, part, item) in super::search::merge_order(&per_input) {
        if !live.write(per_input[input][part].item(item)) {
            return Ok(EXIT_MATCH);
        }
        shown += 1;
    }
    let specs = follow_specs(paths, inputs, &resumes);
    let status = !args.no_status;
    follow_loop(
        specs, &cfg, &printer, input_cfg, status, live, shown, failed,
    )
}
