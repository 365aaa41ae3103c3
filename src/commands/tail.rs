//! `covet-logs tail`: the last N matching entries, then (with `-f`) every new one.
//!
//! The last entries of a regular file are found by reading backwards from its end
//! (`scan::backward`); stdin and compressed files are streamed, keeping only the last
//! N. Several inputs are merged by timestamp. Following hands over to the follow engine
//! (`input::follow`) at exactly the offset where the backward read stopped, so no
//! entry is shown twice or skipped; each block it releases is scanned with the query
//! and printed at once, flushed per block (`commands::follow`, which `search -f` uses
//! too).

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

use crate::cli::TailArgs;
use crate::commands::follow::{follow_loop, follow_specs, Live};
use crate::commands::report;
use crate::config::{DisplayConfig, FilterConfig, InputConfig, Layout};
use crate::engine::{self, merge, Outcome};
use crate::error::{Error, Result};
use crate::input::follow::Resume;
use crate::input::Input;
use crate::scan::backward::{self, Capture, Captured};
use crate::scan::{self, ScanConfig};
use crate::sink::out::Out;
use crate::sink::print::{Mode, Printed};
use crate::sink::Source;

/// Runs `tail`.
pub fn run(args: &TailArgs) -> Result<Outcome> {
    let mut args = args.clone();
    let debug = args.input.read.debug;
    super::fold_positionals(&mut args.pos, &mut args.filter, debug);
    let args = &args;
    let filter = FilterConfig::new(&args.filter, None)?;
    let input_cfg = InputConfig::new(&args.input);
    let display = DisplayConfig::new(&args.display)?;
    super::start_pager(args.display.view.paging, args.follow);
    let given = engine::inputs::given_paths(&args.pos.paths);
    // Following waits for a file that does not exist yet instead of failing on it.
    let (present, absent): (Vec<PathBuf>, Vec<PathBuf>) = given
        .iter()
        .cloned()
        .partition(|p| p.as_os_str() == "-" || p.exists());
    let (inputs, mut failed) = if args.follow && present.is_empty() && !absent.is_empty() {
        (Vec::new(), false)
    } else {
        // Following opens only the paths present now; the others are waited for.
        let paths = if args.follow { &present } else { &given };
        super::reported(
            engine::open_inputs(paths, &input_cfg.walk())?,
            input_cfg.debug,
        )
    };
    input_cfg.init_threads();
    // Line numbers make the permalinks (`FILE:LINE`) of the terminal view and JSON.
    let scan_cfg = super::scan_config(&filter, &input_cfg, display.mode != Mode::Raw, None);
    let several = inputs.len() + absent.len() > 1 || given.iter().any(|p| p.is_dir());
    let printer = display.printer(
        &filter,
        Layout {
            show_file: several,
            ..Layout::default()
        },
    );
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
        backward::render(&printer, &mut part, &lasts[s].1[k], &lasts[s].0, &scan_cfg)?;
    }
    let shown = chosen.len() as u64;
    if !args.follow {
        let mut out = Out::new();
        out.write(&part.buf);
        out.finish()?;
        return Ok(Outcome::of(failed, shown));
    }
    let mut live = Live::new();
    if !live.write(&part.buf) {
        return Ok(Outcome::Matched);
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
        if meta.is_file() && crate::input::reads_as_written(path) {
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
                return Ok((source, tail.entries, Resume::of(&file, end), None));
            }
            // An entry too long to hold: read forward, cut at the cap as a search is.
            if cfg.debug {
                eprintln!(
                    "covet-logs: debug: {}: an entry too long to read backwards; reading forward",
                    crate::sink::sanitize::sanitize(&name)
                );
            }
            resume = Resume::of(&file, len);
        } else if meta.is_file() {
            // Read through (below); followed, it goes on from here.
            resume = Resume::of(&file, meta.len());
        }
    }
    // Streams (stdin, pipes, compressed files, OTLP exports: a regular one is
    // followed from its end), and files with an entry too long to read backwards:
    // read through, keep the last n.
    let sink = Capture { need_ts };
    let mut kept: Vec<Captured> = Vec::new();
    let mut emit = |part: Vec<Captured>| {
        kept.extend(part);
        if kept.len() > n.saturating_mul(2).max(1024) {
            kept.drain(..kept.len() - n);
        }
        Ok(true)
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
    let times = lasts
        .iter()
        .map(|(_, entries)| entries.iter().map(|e| e.ts).collect())
        .collect();
    let mut order = merge::order_held(times);
    if order.len() > n {
        order.drain(..order.len() - n);
    }
    order
}
