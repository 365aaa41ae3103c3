//! Following inputs into the printer, shared by `tail -f` and `search -f`: what to
//! follow (`follow_specs`), the history another engine reads before following
//! (`Held`), stdout flushed per block (`Live`), line numbers of followed files, and
//! the loop that scans each released block with the query and prints it
//! (`follow_loop`), with the status line; it ends in an `engine::Outcome`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use crate::commands::report;
use crate::config::{stderr_is_terminal, InputConfig};
use crate::engine::follow::{follow_into, Followed};
use crate::engine::Outcome;
use crate::error::{Error, Result};
use crate::input::follow::{Ended, Flow, FollowConfig, Resume, Spec};
use crate::input::Input;
use crate::scan::ScanConfig;
use crate::sink::out::stdout_gone;
use crate::sink::print::{Printed, Printer};
use crate::sink::status::Status;

/// The history of a follow read by another engine (`--engine`): each file input is
/// opened and its length taken before the engine plans, the engine reads each up to
/// that length (`ScanConfig::ends`), and the follower resumes there through the handle
/// opened first. Nothing is read twice or lost between the two, and a file rotated
/// meanwhile is finished from its old handle. Standard input is not history: the
/// follower streams it.
pub(crate) struct Held {
    /// The inputs the engine reads (every input but standard input).
    pub files: Vec<Input>,
    /// Where the engine's read of each ends (`None`: a file that could not be opened
    /// here, read to its end and followed from its start).
    pub ends: Vec<Option<u64>>,
    opened: Vec<Option<std::fs::File>>,
}

impl Held {
    pub fn of(inputs: &[Input]) -> Held {
        let files: Vec<Input> = inputs
            .iter()
            .filter(|i| **i != Input::Stdin)
            .cloned()
            .collect();
        let opened: Vec<Option<std::fs::File>> = files.iter().map(held_file).collect();
        let ends = opened
            .iter()
            .map(|f| f.as_ref().and_then(|f| f.metadata().ok()).map(|m| m.len()))
            .collect();
        // The tests widen the moment between taking the lengths and the engine's plan,
        // in which an append must be neither lost nor read twice.
        if let Some(ms) = std::env::var("COVET_LOGS_TEST_HELD_PAUSE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        Held {
            files,
            ends,
            opened,
        }
    }

    /// Where the follower resumes each file: the end of the engine's read.
    pub fn resumes(&self) -> HashMap<PathBuf, Resume> {
        let mut resumes = HashMap::new();
        for ((input, file), end) in self.files.iter().zip(&self.opened).zip(&self.ends) {
            let resume = file
                .as_ref()
                .zip(*end)
                .and_then(|(f, end)| Resume::of(f, end));
            if let (Input::File(p), Some(resume)) = (input, resume) {
                resumes.insert(p.clone(), resume);
            }
        }
        resumes
    }
}

/// A file input opened before it is read: if its name is rotated meanwhile, the
/// follower finishes this file from where the read ended, then the new one.
pub(crate) fn held_file(input: &Input) -> Option<std::fs::File> {
    match input {
        Input::File(p) => std::fs::File::open(p).ok(),
        Input::Stdin | Input::Spooled(_) => None,
    }
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
        } else if crate::input::object::is_object_url(p) {
            // An object is read once: a store has no appends to wait for.
            eprintln!(
                "covet-logs: {}: an object is read once, not followed",
                crate::sink::sanitize::sanitize(&p.display().to_string())
            );
        } else {
            let compressed = p.is_file() && crate::input::is_compressed(p);
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

/// Follows `specs`, printing matching entries as they come, until interrupted.
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
) -> Result<Outcome> {
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
    let mut status = Status::new(status_on);
    let mut matched = shown;
    let debug = cfg.debug;
    let mut on = |ev: Followed<'_, Printed>| -> Flow {
        match ev {
            Followed::Part {
                part,
                entries,
                split,
                name,
            } => {
                if split > 0 {
                    let what = crate::scan::split_notice(split, cfg.max_entry);
                    let name = crate::sink::sanitize::sanitize(name);
                    if debug || !status.is_enabled() {
                        eprintln!("covet-logs: {name}: {what}");
                    }
                    status.notice(format!("{name}: {what}"));
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
            Followed::Notice { name, what } => {
                if debug || !status.is_enabled() {
                    report(&Error::new(name, what));
                }
                status.notice(format!("{name}: {what}"));
                status.draw(true);
            }
            Followed::Files(n) => {
                status.set_files(n);
                status.draw(true);
            }
            Followed::Idle => {
                if stdout_gone() {
                    return Flow::Stop;
                }
                status.draw(false);
            }
        }
        Flow::Continue
    };
    let ended = follow_into(specs, fcfg, cfg, printer, &mut on)?;
    status.finish();
    Ok(match ended {
        Ended::Interrupted => Outcome::Interrupted,
        Ended::Stopped => Outcome::Matched,
        Ended::Exhausted => Outcome::of(failed, matched),
    })
}
