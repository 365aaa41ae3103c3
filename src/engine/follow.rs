//! The one follow-to-sink adapter: a `Follower`'s events become the command's. Each
//! block of whole entries the follower releases is scanned with the query into the
//! sink (with line numbers per input when the scan wants them), and its part is handed
//! on with the block's counts; notices, the file count and idle wake-ups pass through.
//! `tail -f`/`search -f` print the parts, `stats -f` folds them into its aggregate.

use std::collections::HashMap;
use std::fs::File;

use crate::error::Result;
use crate::format::Format;
use crate::input::follow::{self, Ended, Event, Flow, FollowConfig, Follower, Spec};
use crate::input::unbatch;
use crate::scan::{region, ScanConfig};
use crate::sink::{Sink, Source};

/// What following hands the command.
pub enum Followed<'a, P> {
    /// The matches of one released block: the sink's part, how many entries the block
    /// held, and how many entries over `--max-entry-size` it split (of input `name`).
    Part {
        part: P,
        entries: usize,
        split: u64,
        name: &'a str,
    },
    /// Something to tell the user about an input (rotated, truncated, unreadable).
    Notice { name: &'a str, what: &'a str },
    /// How many files are followed now.
    Files(usize),
    /// Nothing arrived for a while.
    Idle,
}

/// Follows `specs` until Ctrl-C, the inputs end (stdin) or `on` stops, scanning every
/// released block with `cfg`'s query into `sink`. A sink's error stops following and
/// is returned (after the part it stopped in was handed on).
pub fn follow_into<S: Sink>(
    specs: Vec<Spec>,
    fcfg: FollowConfig,
    cfg: &ScanConfig<'_>,
    sink: &S,
    on: &mut dyn FnMut(Followed<'_, S::Part>) -> Flow,
) -> Result<Ended> {
    let mut follower = Follower::new(specs, fcfg);
    let stop = follow::stop_on_ctrl_c(&follower);
    let mut sources: HashMap<usize, Source> = HashMap::new();
    let mut lines = LineTracker::default();
    // The follower's callback answers only go on or stop: a sink's error waits here
    // for `run` to return, then goes up as this function's own.
    let mut sink_error = None;
    let mut each = |ev: Event<'_>| -> Flow {
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
                let base = match cfg.need_lines {
                    true => lines.base(input, name, offset),
                    false => 0,
                };
                // An OTLP collector export is read one record per line, as a whole read
                // of it is (`input::unbatch`); its records carry offsets in the expanded
                // block and line numbers that count records. Only JSON is looked at.
                let expanded = match format {
                    Format::Json => unbatch::expand_block(bytes),
                    _ => None,
                };
                let block = expanded.as_deref().unwrap_or(bytes);
                let mut part = sink.part();
                let scanned =
                    region::scan_region(block, offset, base, source, cfg, sink, &mut part);
                if cfg.need_lines {
                    lines.advance(input, offset + bytes.len() as u64, block, base);
                }
                let (split, failed) = match scanned {
                    Ok(split) => (split, None),
                    Err(e) => (0, Some(e)),
                };
                let flow = on(Followed::Part {
                    part,
                    entries,
                    split,
                    name,
                });
                match failed {
                    Some(e) => {
                        sink_error = Some(e);
                        Flow::Stop
                    }
                    None => flow,
                }
            }
            Event::Notice { name, what } => on(Followed::Notice { name, what }),
            Event::Files(n) => on(Followed::Files(n)),
            Event::Idle => on(Followed::Idle),
        }
    };
    let ended = follower.run(&stop, &mut each)?;
    match sink_error {
        Some(e) => Err(e),
        None => Ok(ended),
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
            _ => File::open(name)
                .ok()
                .and_then(|f| super::range::records_before(&f, offset))
                .unwrap_or(0),
        }
    }

    /// The next block starts at `end`, `block`'s lines after `base`.
    fn advance(&mut self, input: usize, end: u64, block: &[u8], base: u64) {
        let lines = memchr::memchr_iter(b'\n', block).count() as u64;
        self.next.insert(input, (end, base + lines));
    }
}
