//! Following inputs into the printer, shared by `tail -f` and `search -f`: what to
//! follow (`follow_specs`), stdout flushed per block (`Live`), line numbers of followed
//! files, and the loop that scans each released block with the query and prints it
//! (`follow_loop`), with the status line; its end maps to the exit code.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::commands::report;
use crate::config::{stderr_is_terminal, InputConfig};
use crate::error::{Error, Result, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_MATCH, EXIT_NO_MATCH};
use crate::input::follow::{self, Ended, Event, Flow, FollowConfig, Follower, Resume, Spec};
use crate::input::Input;
use crate::scan::{region, ScanConfig};
use crate::sink::out::stdout_gone;
use crate::sink::print::{Printed, Printer};
use crate::sink::status::Status;
use crate::sink::Source;

/// The exit code from whether an input failed and how many entries matched.
pub(crate) fn exit_code(failed: bool, matched: u64) -> i32 {
    if failed {
        EXIT_ERROR
    } else if matched > 0 {
        EXIT_MATCH
    } else {
        EXIT_NO_MATCH
    }
}

/// Whether a file starts with gzip or zstd magic bytes.
pub(crate) fn is_compressed(file: &File) -> bool {
    let mut magic = [0u8; 4];
    let n = file.read_at(&mut magic, 0).unwrap_or(0);
    matches!(&magic[..n], [0x1f, 0x8b, ..] | [0x28, 0xb5, 0x2f, 0xfd])
}

/// What to follow: each given path by name (directories for new files too), stdin
/// when it was an input, resuming where the shown part ended.
pub(crate) fn follow_specs(
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
                .map(|(f, r)| (f.clone(), r.clone()))
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
                    resume: resumes.get(p).cloned(),
                });
            }
        }
    }
    specs
}

/// Standard output while following: every block is flushed at once; a closed pipe
/// ends the follow quietly.
pub(crate) struct Live {
    out: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Live {
    pub(crate) fn new() -> Live {
        Live {
            out: std::io::stdout().lock(),
            closed: false,
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> bool {
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
pub(crate) fn follow_loop(
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
