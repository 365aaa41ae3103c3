//! `covet-logs search`: the query over every input, printed, counted or as JSON.
//!
//! One input streams its chunks to stdout in order as they complete. Several inputs
//! (or `--newest-first`) are merged by timestamp as they are scanned; newest first goes
//! through a temporary file read from its end (`sink::reverse`).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::cli::SearchArgs;
use crate::cluster::Engine;
use crate::commands::follow;
use crate::commands::progress::Progress;
use crate::commands::report;
use crate::config::{
    rg_query, stderr_is_terminal, DisplayConfig, FilterConfig, InputConfig, Layout, Legacy,
};
use crate::engine::context::Around;
use crate::engine::{self, merge, Outcome};
use crate::error::{Error, Result};
use crate::input::follow::Resume;
use crate::input::Input;
use crate::scan::tally::LevelTally;
use crate::scan::{self, ScanConfig};
use crate::sink::count::Counter;
use crate::sink::out::Out;
use crate::sink::pager;
use crate::sink::print::{Mode, Prefix, Printed, Printer};
use crate::sink::reverse::Reversed;
use crate::sink::sanitize::sanitize;

/// Runs `search`.
pub fn run(args: &SearchArgs) -> Result<Outcome> {
    let started = std::time::Instant::now();
    // With `-e`, as with `-q`, every positional is a path (rg's rule).
    let given = super::split_positionals(
        args.pos.query.as_deref(),
        args.filter.query_opt.is_some() || !args.rg.patterns.is_empty() || args.rg.files,
        &args.pos.paths,
        Legacy::QueryFirst,
        args.input.read.debug,
    );
    let typed = args.filter.query_opt.as_deref().or(given.query.as_deref());
    let query = rg_query(typed, &args.rg, args.filter.regex)?;
    let filter_args = crate::cli::FilterArgs {
        query_opt: None,
        ..args.filter.clone()
    };
    let filter = FilterConfig::new(&filter_args, query.as_deref())?;
    let engine = Engine::parse(&args.engine)?;
    let input_cfg = InputConfig::new(&args.input);
    let display = DisplayConfig::new(&args.display)?;
    let paths = given.paths;
    let opened =
        engine::open_inputs(&paths, &input_cfg.walk()).map_err(|e| hint_query_is_path(e, args))?;
    let (inputs, mut failed) = super::reported(opened, input_cfg.debug);
    if args.rg.files {
        return list_files(&inputs, failed);
    }
    input_cfg.init_threads();
    if args.follow {
        let given = engine::inputs::given_paths(&paths);
        let history = History {
            engine: &engine,
            paths: &given,
            inputs: &inputs,
        };
        return search_follow(args, &filter, &input_cfg, &display, &history, failed);
    }
    super::start_pager(args.display.view.paging, false);
    let progress = Progress::start(
        stderr_is_terminal() && !pager::active(),
        engine::inputs::total_size(&inputs),
    );
    let entries = AtomicU64::new(0);
    let summary = args.rg.stats || (stderr_is_terminal() && std::io::stdout().is_terminal());
    // Line numbers make the permalinks (`FILE:LINE`) that JSON and the terminal show.
    let mut scan_cfg = super::scan_config(
        &filter,
        &input_cfg,
        display.mode != Mode::Raw || args.rg.line_number,
        Some(&progress.bytes),
    );
    if summary {
        scan_cfg.entries = Some(&entries);
    }
    // A search of levels alone keeps what its no-match hint says of the inputs.
    let levels = LevelTally::default();
    let all_files = inputs.iter().all(|i| matches!(i, Input::File(_)));
    if engine == Engine::Local
        && args.max_count.is_none()
        && all_files
        && super::hint::tally_wanted(&filter, &args.filter)
    {
        scan_cfg.levels = Some(&levels);
    }
    if input_cfg.debug {
        eprintln!(
            "covet-logs: debug: query {:?}, {} input(s), output {:?}",
            filter.query_text,
            inputs.len(),
            display.mode
        );
    }
    let around = (
        args.before.or(args.context).unwrap_or(0),
        args.after.or(args.context).unwrap_or(0),
    );
    let printer = printer(&inputs, &filter, &display, args);
    let outcome = if engine != Engine::Local && around == (0, 0) {
        on_engine(
            &engine,
            &inputs,
            &scan_cfg,
            &filter,
            &printer,
            args,
            &mut failed,
        )
    } else if args.count {
        count(&inputs, &scan_cfg, args.max_count, &mut failed)
    } else if around != (0, 0) {
        let finder = Finder {
            engine: &engine,
            filter: &filter,
        };
        print_with_context(
            &inputs,
            &scan_cfg,
            &printer,
            args,
            around,
            &finder,
            &mut failed,
        )
    } else {
        print(&inputs, &scan_cfg, printer, args, &mut failed)
    };
    // Nothing matched: say why it may be (a misspelled field, a window outside the
    // inputs), computed before the progress bar ends and printed after it.
    let hints = match outcome {
        Ok(0) if !failed => super::hint::after_no_match(&inputs, &scan_cfg, &filter, &args.filter),
        _ => Vec::new(),
    };
    progress.finish();
    let matched = outcome?;
    // The summary and hints follow the output, so they wait for the pager to close.
    if pager::active() && !pager::finish() {
        return Ok(Outcome::Failed);
    }
    if summary {
        let took = started.elapsed().as_secs_f64();
        eprintln!(
            "{}",
            super::summary_line(matched, entries.load(Ordering::Relaxed), inputs.len(), took)
        );
    }
    for line in hints {
        eprintln!("covet-logs: {}", sanitize(&line));
    }
    super::history::record(&filter.query_text, matched, args.no_history);
    Ok(Outcome::of(failed, matched))
}

/// The printer for this search: the terminal view, or the original text with rg's
/// `FILE:`/`LINE:` prefixes (`FILE:` by default with several inputs, as rg).
fn printer(
    inputs: &[Input],
    filter: &FilterConfig,
    display: &DisplayConfig,
    args: &SearchArgs,
) -> Printer {
    let rg = &args.rg;
    let file = !rg.no_filename && (rg.with_filename || inputs.len() > 1);
    let raw = display.mode == Mode::Raw;
    let layout = Layout {
        show_file: file && !raw,
        need_ts: inputs.len() > 1,
        prefix: Prefix {
            file: file && raw,
            line: rg.line_number && !rg.no_line_number && raw,
            context: false,
        },
        only_matching: rg.only_matching,
    };
    display.printer(filter, layout)
}

/// `--files`: the inputs that would be read, one per line; exit 1 if there are none.
fn list_files(inputs: &[Input], failed: bool) -> Result<Outcome> {
    let mut out = Out::new();
    for input in inputs {
        out.write(format!("{}\n", sanitize(&input.display_name())).as_bytes());
    }
    out.finish()?;
    Ok(Outcome::of(failed, inputs.len() as u64))
}

/// `search --since 1h app.log` takes `app.log` as the query: say so when that leaves
/// no input.
fn hint_query_is_path(e: crate::error::Error, args: &SearchArgs) -> crate::error::Error {
    match &args.pos.query {
        Some(q) if args.pos.paths.is_empty() && std::path::Path::new(q).exists() => {
            let q = q.to_string_lossy();
            e.with_detail(format!(
                "  the first argument is the query; to search {q:?} put a query first: search '' {q}"
            ))
        }
        _ => e,
    }
}

/// Where each match is, for grep-style context.
struct Offsets;

impl crate::sink::Sink for Offsets {
    type Part = Vec<(usize, usize)>;

    fn part(&self) -> Self::Part {
        Vec::new()
    }

    fn matched(
        &self,
        part: &mut Self::Part,
        hit: &mut crate::sink::Hit<'_, '_>,
        _: &crate::sink::Source,
    ) -> Result<bool> {
        part.push((hit.entry.offset as usize, hit.end() as usize));
        Ok(true)
    }
}

/// `Offsets` for another engine, whose sink renders items: each match's byte range as
/// one item of 16 bytes (start and end, little-endian).
#[cfg(feature = "cluster")]
struct OffsetItems;

#[cfg(feature = "cluster")]
impl crate::sink::Sink for OffsetItems {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(
        &self,
        part: &mut Printed,
        hit: &mut crate::sink::Hit<'_, '_>,
        _: &crate::sink::Source,
    ) -> Result<bool> {
        part.buf.extend_from_slice(&hit.entry.offset.to_le_bytes());
        part.buf.extend_from_slice(&hit.end().to_le_bytes());
        part.items.push(crate::sink::print::Item {
            end: part.buf.len(),
            ts: None,
        });
        Ok(true)
    }
}

/// Who finds the matches of `-A/-B/-C`: the local scanner, or another engine (the
/// entries around them are then read here, from the same file).
struct Finder<'a> {
    engine: &'a Engine,
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    filter: &'a FilterConfig,
}

impl Finder<'_> {
    /// The byte ranges of the entries that match in `input` (`read`: the same input
    /// as this process reads it, a stream spooled), in order, and whether the input
    /// failed (reported; the ranges are those found before it did).
    fn hits(
        &self,
        input: &Input,
        read: &Input,
        index: usize,
        cfg: &ScanConfig<'_>,
    ) -> Result<(Vec<(usize, usize)>, bool)> {
        if *self.engine == Engine::Local {
            let mut hits: Vec<(usize, usize)> = Vec::new();
            let mut emit = |part: Vec<(usize, usize)>| {
                hits.extend(part);
                Ok(true)
            };
            let scan = scan::scan_input(read, index, cfg, &Offsets, &mut emit);
            let failed = super::scanned(scan)?.is_none();
            return Ok((hits, failed));
        }
        self.hits_on(input, read, cfg)
    }

    /// `hits` by another engine. A file goes to it by its path (a cluster's executors
    /// read it there), standard input as spooled here.
    #[cfg(feature = "cluster")]
    fn hits_on(
        &self,
        input: &Input,
        read: &Input,
        cfg: &ScanConfig<'_>,
    ) -> Result<(Vec<(usize, usize)>, bool)> {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let given = match input {
            Input::File(_) => input.clone(),
            Input::Stdin | Input::Spooled(_) => read.clone(),
        };
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default()) as usize;
        let mut take = |item: &[u8]| {
            if item.len() == 16 {
                hits.push((word(&item[..8]), word(&item[8..])));
            }
            Ok(true)
        };
        let merged = crate::cluster::scan_by_time(
            self.engine,
            std::slice::from_ref(&given),
            cfg,
            self.filter,
            &OffsetItems,
            &mut take,
        );
        let failed = report_all(merged.inputs);
        merged.output?;
        Ok((hits, failed))
    }

    #[cfg(not(feature = "cluster"))]
    fn hits_on(
        &self,
        _: &Input,
        _: &Input,
        _: &ScanConfig<'_>,
    ) -> Result<(Vec<(usize, usize)>, bool)> {
        unreachable!("Engine::parse gives only Local without the `cluster` feature")
    }
}

/// `-A/-B/-C`: each match with N entries around it in its own file; overlapping groups
/// merge, and `--` separates groups, as grep does. Inputs are printed one after another.
fn print_with_context(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    printer: &Printer,
    args: &SearchArgs,
    (before, after): (usize, usize),
    finder: &Finder<'_>,
    failed: &mut bool,
) -> Result<u64> {
    use crate::scan::region;
    let limit = args.max_count.unwrap_or(u64::MAX);
    let mut out = Out::new();
    let mut matched = 0u64;
    let mut first_group = true;
    let mut around = printer.clone();
    around.prefix.context = true;
    for (index, given) in inputs.iter().enumerate() {
        // Read once: a stream is spooled, and both passes below read the spool.
        let loaded = match crate::input::spool(given).and_then(|(input, damage)| {
            Ok((crate::input::load(&input, cfg.no_mmap)?, input, damage))
        }) {
            Ok((loaded, spooled, damage)) => {
                if let Some(e) = damage {
                    report(&e);
                    *failed = true;
                }
                (loaded, spooled)
            }
            Err(e) => {
                report(&e);
                *failed = true;
                continue;
            }
        };
        let (loaded, input) = (loaded.0, &loaded.1);
        let bytes = loaded.bytes();
        let format = cfg
            .format
            .unwrap_or_else(|| crate::format::detect(bytes, &cfg.ctx));
        let source = crate::sink::Source {
            name: input.display_name(),
            index,
            format,
        };
        let (mut hits, input_failed) = finder.hits(given, input, index, cfg)?;
        *failed |= input_failed;
        hits.truncate((limit - matched).min(hits.len() as u64) as usize);
        matched += hits.len() as u64;
        // Matches are printed with `:` after their prefix, the entries around them with `-`.
        let starts: Vec<usize> = hits.iter().map(|h| h.0).collect();
        // Widen each match to its group and merge groups that touch.
        let walk = Around::new(bytes, format, &cfg.ctx, cfg.max_entry);
        let groups = walk.groups(hits, before, after);
        let mut line = 1u64;
        let mut counted = 0usize;
        for (lo, hi) in groups {
            if !first_group && !out.write(b"--\n") {
                return Ok(matched);
            }
            first_group = false;
            let mut part = Printed::default();
            let mut pos = lo;
            while pos < hi {
                let end = walk.end(pos);
                let raw = region::entry_bytes(bytes, pos, end);
                line += memchr::memchr_iter(b'\n', &bytes[counted..pos]).count() as u64;
                counted = pos;
                let entry = crate::entry::Entry {
                    raw,
                    offset: pos as u64,
                    line,
                };
                let mut rec = None;
                let mut hit = crate::sink::Hit::new(
                    entry,
                    &bytes[pos + raw.len()..end],
                    &mut rec,
                    format,
                    &cfg.ctx,
                );
                let which = match starts.binary_search(&pos) {
                    Ok(_) => printer,
                    Err(_) => &around,
                };
                crate::sink::Sink::matched(which, &mut part, &mut hit, &source)?;
                pos = end.max(pos + 1);
            }
            if !out.write(&part.buf) {
                return Ok(matched);
            }
        }
    }
    out.finish()?;
    Ok(matched)
}

/// `-c` or `--json` with the query decided by another engine (`cluster`), in the
/// local engine's order, printing what the local engine prints.
#[cfg(feature = "cluster")]
fn on_engine(
    engine: &Engine,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    printer: &Printer,
    args: &SearchArgs,
    failed: &mut bool,
) -> Result<u64> {
    let limit = args.max_count.unwrap_or(u64::MAX);
    let mut out = Out::new();
    let mut matched = 0u64;
    if args.count {
        if limit > 0 {
            let (inputs_failed, counted) = crate::cluster::count(engine, inputs, cfg, filter);
            *failed |= report_all(inputs_failed);
            matched = counted?.min(limit);
        }
        out.write(format!("{matched}\n").as_bytes());
        out.finish()?;
        return Ok(matched);
    }
    if args.newest_first {
        // Merged by time into a temporary file, then printed from its end, as locally.
        let mut spool = Reversed::new().map_err(|e| Error::io("--newest-first", &e))?;
        let merged =
            crate::cluster::scan_by_time(engine, inputs, cfg, filter, printer, &mut |item| {
                Ok(spool.push(item))
            });
        *failed |= report_all(merged.inputs);
        merged.output?;
        return print_reversed(spool, limit, out);
    }
    let mut write = |item: &[u8]| {
        matched += 1;
        Ok(out.write(item) && matched < limit)
    };
    if limit > 0 {
        let merged = crate::cluster::scan_by_time(engine, inputs, cfg, filter, printer, &mut write);
        *failed |= report_all(merged.inputs);
        merged.output?;
    }
    out.finish()?;
    Ok(matched)
}

#[cfg(not(feature = "cluster"))]
fn on_engine(
    _: &Engine,
    _: &[Input],
    _: &ScanConfig<'_>,
    _: &FilterConfig,
    _: &Printer,
    _: &SearchArgs,
    _: &mut bool,
) -> Result<u64> {
    unreachable!("Engine::parse gives only Local without the `cluster` feature")
}

fn count(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    max: Option<u64>,
    failed: &mut bool,
) -> Result<u64> {
    let mut total = 0u64;
    let limit = max.unwrap_or(u64::MAX);
    let mut emit = |n: u64| {
        total += n;
        Ok(total < limit)
    };
    let mut done = |_, scan| {
        *failed |= super::scanned(scan)?.is_none();
        Ok(true)
    };
    crate::engine::each::scan_inputs(inputs, cfg, &Counter, &mut emit, &mut done)?;
    let total = total.min(limit);
    let mut out = Out::new();
    out.write(format!("{total}\n").as_bytes());
    out.finish()?;
    Ok(total)
}

fn print(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    printer: Printer,
    args: &SearchArgs,
    failed: &mut bool,
) -> Result<u64> {
    let merge = args.newest_first;
    let limit = args.max_count.unwrap_or(u64::MAX);
    let mut out = Out::new();
    let mut printed = 0u64;
    if !merge && inputs.len() > 1 {
        // Merged by time as they are scanned, a few parts per input in memory.
        let mut write = |item: &[u8]| {
            printed += 1;
            Ok(out.write(item) && printed < limit)
        };
        if limit > 0 {
            let merged = merge::scan_by_time(inputs, cfg, &printer, &mut write);
            *failed |= report_all(merged.inputs);
            merged.output?;
        }
        out.finish()?;
        return Ok(printed);
    }
    if !merge {
        if let Some(input) = inputs.first() {
            let mut emit = |part: Printed| {
                let n = part.items.len() as u64;
                if printed + n > limit {
                    let keep = (limit - printed) as usize;
                    let end = if keep == 0 {
                        0
                    } else {
                        part.items[keep - 1].end
                    };
                    printed = limit;
                    out.write(&part.buf[..end]);
                    return Ok(false);
                }
                printed += n;
                Ok(out.write(&part.buf) && printed < limit)
            };
            let scan = scan::scan_input(input, 0, cfg, &printer, &mut emit);
            *failed |= super::scanned(scan)?.is_none();
        }
        out.finish()?;
        return Ok(printed);
    }
    // Newest first: merged by time into a temporary file, then printed from its end.
    let mut spool = Reversed::new().map_err(|e| Error::io("--newest-first", &e))?;
    let merged = merge::scan_by_time(inputs, cfg, &printer, &mut |item| Ok(spool.push(item)));
    *failed |= report_all(merged.inputs);
    merged.output?;
    print_reversed(spool, limit, out)
}

/// The spooled items of `--newest-first`, from the last, at most `limit` of them.
fn print_reversed(spool: Reversed, limit: u64, mut out: Out) -> Result<u64> {
    let mut printed = 0u64;
    spool
        .for_each_rev(|item| {
            if printed >= limit || !out.write(item) {
                return false;
            }
            printed += 1;
            true
        })
        .map_err(|e| Error::io("--newest-first", &e))?;
    out.finish()?;
    Ok(printed)
}

/// Reports each error; whether there was any.
fn report_all(errors: Vec<Error>) -> bool {
    errors.iter().for_each(report);
    !errors.is_empty()
}

/// What `search -f` reads before following: the given paths, the inputs they name,
/// and the engine that reads what they hold now.
struct History<'a> {
    engine: &'a Engine,
    paths: &'a [PathBuf],
    inputs: &'a [Input],
}

/// What the history printed, and where the follower resumes each file.
type Read = (u64, HashMap<PathBuf, Resume>);

/// `search -f`: the normal search over the existing content (merged by time when
/// there are several files), then the same follow loop as `tail -f`, resuming each
/// file exactly where the search's read of it ended.
fn search_follow(
    args: &SearchArgs,
    filter: &FilterConfig,
    input_cfg: &InputConfig,
    display: &DisplayConfig,
    history: &History<'_>,
    mut failed: bool,
) -> Result<Outcome> {
    let (paths, inputs) = (history.paths, history.inputs);
    let cfg = super::scan_config(filter, input_cfg, display.mode != Mode::Raw, None);
    let several = inputs.len() > 1 || paths.iter().any(|p| p.is_dir());
    let printer = display.printer(
        filter,
        Layout {
            show_file: several,
            need_ts: several,
            ..Layout::default()
        },
    );
    let mut live = follow::Live::new();
    let read = match history.engine {
        Engine::Local => history_here(inputs, &cfg, &printer, several, &mut live, &mut failed)?,
        engine => history_on(
            engine,
            inputs,
            &cfg,
            filter,
            &printer,
            &mut live,
            &mut failed,
        )?,
    };
    // `None`: the output is gone, nothing to follow for.
    let Some((shown, resumes)) = read else {
        return Ok(Outcome::Matched);
    };
    let specs = follow::follow_specs(paths, inputs, &resumes);
    let status = !args.no_status;
    follow::follow_loop(
        specs, &cfg, &printer, input_cfg, status, live, shown, failed,
    )
}

/// The history of `search -f` read here, each input once (merged by time when there
/// are several); each file resumes where its read ended.
fn history_here(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    printer: &Printer,
    several: bool,
    live: &mut follow::Live,
    failed: &mut bool,
) -> Result<Option<Read>> {
    let mut per_input: Vec<Vec<Printed>> = Vec::new();
    let mut resumes = HashMap::new();
    let mut streamed = 0u64;
    for (i, input) in inputs.iter().enumerate() {
        let mut parts = Vec::new();
        if *input == Input::Stdin {
            per_input.push(parts);
            continue; // streamed live below
        }
        // The file is opened before the scan: if the name is rotated meanwhile, the
        // follower finishes this file from where the scan ended, then the new one.
        let held = follow::held_file(input);
        let mut emit = |part: Printed| {
            if several {
                parts.push(part);
                Ok(true)
            } else {
                streamed += part.items.len() as u64;
                Ok(live.write(&part.buf))
            }
        };
        match super::scanned(scan::scan_input(input, i, cfg, printer, &mut emit))? {
            Some(rep) => {
                let resume = held.as_ref().and_then(|f| Resume::of(f, rep.bytes));
                if let (Input::File(p), Some(resume)) = (input, resume) {
                    resumes.insert(p.clone(), resume);
                }
            }
            None => *failed = true,
        }
        per_input.push(parts);
    }
    let mut shown = streamed;
    let mut lanes: Vec<_> = per_input.into_iter().map(merge::Parts::new).collect();
    let mut open = true;
    merge::by_time(&mut lanes, |_, lane| {
        open = live.write(lane.item());
        shown += u64::from(open);
        open
    });
    Ok(open.then_some((shown, resumes)))
}

#[cfg(not(feature = "cluster"))]
fn history_on(
    _: &Engine,
    _: &[Input],
    _: &ScanConfig<'_>,
    _: &FilterConfig,
    _: &Printer,
    _: &mut follow::Live,
    _: &mut bool,
) -> Result<Option<Read>> {
    unreachable!("Engine::parse gives only Local without the `cluster` feature")
}

/// The history of `search -f` read by another engine (`--engine`), up to where the
/// follower resumes each file (`follow::Held`).
#[cfg(feature = "cluster")]
fn history_on(
    engine: &Engine,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    printer: &Printer,
    live: &mut follow::Live,
    failed: &mut bool,
) -> Result<Option<Read>> {
    let held = follow::Held::of(inputs);
    let cfg = ScanConfig {
        ends: Some(&held.ends),
        ..cfg.clone()
    };
    let mut shown = 0u64;
    let mut open = true;
    if !held.files.is_empty() {
        let mut write = |item: &[u8]| {
            open = live.write(item);
            shown += u64::from(open);
            Ok(open)
        };
        let merged =
            crate::cluster::scan_by_time(engine, &held.files, &cfg, filter, printer, &mut write);
        *failed |= report_all(merged.inputs);
        merged.output?;
    }
    Ok(open.then_some((shown, held.resumes())))
}
