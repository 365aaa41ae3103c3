//! `covet-logs context`: what happened around one entry.
//!
//! Select the entry (a `FILE:LINE` permalink, `FILE@OFFSET`, its own `id` value, or a
//! key given directly), pick the correlation key, then scan every input for entries
//! sharing that key within the time window (the key is a literal, so the scan uses
//! the prefilter; a time-ordered file is entered by binary search). The matches are
//! ordered by time and shown as a timeline with a correlation summary.
//!
//! `gather` finds all of it (a `Gathered` value), `Gathered::view` is what the
//! renderers read and `document` the `--json` value; `run` prints one rendering, the
//! server's `/api/v1/logs/{id}/context` serializes `document`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::context::{ByChoice, ContextArgs, ContextFormat};
use crate::cli::FilterArgs;
use crate::commands::report;
use crate::config::{use_color, FilterConfig, InputConfig};
use crate::engine::context::Around;
use crate::engine::{self, Outcome};
use crate::error::{Error, Result};
use crate::format;
use crate::format::level::Level;
use crate::format::timestamp::{self, TimeCtx};
use crate::input::{self, Input};
use crate::scan::region;
use crate::sink::collect::{Collected, Collector, Found};
use crate::sink::out::Out;
use crate::sink::print::TimeStyle;
use crate::sink::sanitize::sanitize;
use crate::sink::Sink;
use crate::sink::{Hit, Source};

/// How an entry was named on the command line.
#[derive(Debug, PartialEq)]
enum Selector {
    Line(PathBuf, u64),
    Offset(PathBuf, u64),
    Id(String),
}

/// Reads `FILE:LINE`, `FILE@OFFSET`, or else an id value.
fn parse_selector(text: &str) -> Selector {
    if let Some((file, off)) = text.rsplit_once('@') {
        if let Ok(n) = off.parse::<u64>() {
            if Path::new(file).is_file() {
                return Selector::Offset(file.into(), n);
            }
        }
    }
    if let Some((file, line)) = text.rsplit_once(':') {
        if let Ok(n) = line.parse::<u64>() {
            if n > 0 && Path::new(file).is_file() {
                return Selector::Line(file.into(), n);
            }
        }
    }
    Selector::Id(text.to_string())
}

/// The key entries are correlated by.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Trace,
    Request,
    User,
    None,
}

impl Key {
    fn field(self) -> &'static str {
        match self {
            Key::Trace => "trace_id",
            Key::Request => "request_id",
            Key::User => "user_id",
            Key::None => "",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Key::Trace => "trace",
            Key::Request => "request",
            Key::User => "user",
            Key::None => "none",
        }
    }

    fn value(self, f: &Found) -> Option<&str> {
        match self {
            Key::Trace => f.trace_id.as_deref(),
            Key::Request => f.request_id.as_deref(),
            Key::User => f.user_id.as_deref(),
            Key::None => None,
        }
    }
}

/// `--window` when not given.
const DEFAULT_WINDOW: &str = "5m";
/// For an entry without a trace, request or user id (and no --window or --by): the
/// entries within this much time of it...
const NEAR_WINDOW_NS: i64 = 30_000_000_000;
/// ...and at most this many before it and after it.
const NEAR_ENTRIES: usize = 20;
/// What the near timeline is, and how to widen it.
const NEAR_NOTE: &str = "the 20 entries before and after it within 30s (it has no trace, request or user id; widen with --window 5m, or --by none for every entry in 5m)";

/// Keeps the `NEAR_ENTRIES` entries before and after the selected one (`related` is
/// in time order and holds it).
fn keep_nearest(related: &mut Vec<Found>, selected: Option<&Found>) {
    let Some(i) = selected.and_then(|s| related.iter().position(|f| same_entry(f, s))) else {
        return;
    };
    related.truncate((i + NEAR_ENTRIES + 1).min(related.len()));
    related.drain(..i.saturating_sub(NEAR_ENTRIES));
}

struct Settings {
    ctx: TimeCtx,
    /// Saved filters (`--filter NAME`) the related entries must also match.
    saved: Vec<String>,
    input: InputConfig,
    window_ns: i64,
}

/// What `context` found for its arguments: the selected entry, the key, the related
/// entries in time order, the neighbours, and whether an input failed.
pub struct Gathered {
    selected: Option<Found>,
    key: Key,
    key_value: Option<String>,
    related: Vec<Found>,
    reference: Option<i64>,
    neighbours: Vec<(Found, i64)>,
    several_files: bool,
    near: bool,
    failed: bool,
}

/// Runs `context`.
pub fn run(args: &ContextArgs) -> Result<Outcome> {
    let gathered = match gather(args)? {
        Ok(g) => g,
        Err(outcome) => return Ok(outcome),
    };
    let view = gathered.view(args)?;
    let text = if args.json {
        let mut s = serde_json::to_string(&document(&view)).unwrap_or_default();
        s.push('\n');
        s
    } else if args.format == ContextFormat::Md {
        render_md(&view)
    } else {
        let color = use_color(
            args.view.color,
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
        );
        render_text(&view, color)
    };
    let mut out = Out::new();
    super::start_pager(args.view.paging, false);
    out.write(text.as_bytes());
    out.finish()?;
    Ok(Outcome::of(gathered.failed, gathered.related.len() as u64))
}

/// The settings `context` reads its inputs with: time zone, window, input settings.
fn settings(args: &ContextArgs) -> Result<Settings> {
    let tz = timestamp::parse_tz(&args.zone.tz).map_err(|e| Error::new("--tz", e))?;
    let ctx = TimeCtx {
        tz,
        ..TimeCtx::utc_now_year()
    };
    let now = crate::config::now_ns();
    let window = args.window.as_deref().unwrap_or(DEFAULT_WINDOW);
    let window_ns = timestamp::parse_user_time(window, now, &ctx)
        .map(|t| now - t)
        .ok()
        .filter(|w| *w >= 0)
        .ok_or_else(|| {
            Error::new(
                "--window",
                format!("'{window}' is not a duration such as 1m, 5m, 1h"),
            )
        })?;
    // `context` reads every file it is given: `-g` does not apply to it.
    let input = InputConfig::new(&crate::cli::InputArgs {
        format: args.input_format,
        read: crate::cli::ReadArgs {
            globs: Vec::new(),
            ..args.read.clone()
        },
    });
    input.init_threads();
    Ok(Settings {
        ctx,
        saved: args.saved.clone(),
        input,
        window_ns,
    })
}

/// Selects the entry (or takes the key given) and gathers what is around it;
/// `Err(outcome)` when no entry can be chosen (reported on stderr already).
pub fn gather(args: &ContextArgs) -> Result<std::result::Result<Gathered, Outcome>> {
    let mut settings = settings(args)?;
    let direct = [
        (Key::Trace, &args.trace),
        (Key::Request, &args.request),
        (Key::User, &args.user),
    ]
    .into_iter()
    .find_map(|(k, v)| v.clone().map(|v| (k, v)));
    let mut paths = args.paths.clone();
    if direct.is_some() {
        if let Some(p) = &args.id {
            paths.insert(0, p.into());
        }
    }
    let mut failed = false;
    let (selected, key, key_value, inputs) = match direct {
        Some((key, value)) => {
            let opened = engine::open_inputs(&paths, &settings.input.walk())?;
            let (inputs, f) = super::reported(opened, args.read.debug);
            failed |= f;
            (None, key, Some(value), inputs)
        }
        None => {
            let id = args.id.as_deref().ok_or_else(|| {
                Error::new(
                    "context",
                    "give an entry (FILE:LINE, FILE@OFFSET or an id) or --trace/--request/--user",
                )
            })?;
            let selector = parse_selector(id);
            let (mut inputs, f) = context_inputs(&paths, &selector, &settings.input)?;
            failed |= f;
            let selected = match select(&selector, &mut inputs, &settings)? {
                Ok(found) => found,
                Err(outcome) => return Ok(Err(outcome)),
            };
            let key = choose_key(args.by, &selected)?;
            let value = key.value(&selected).map(str::to_string);
            if key == Key::None && args.by.is_none() && args.window.is_none() {
                settings.window_ns = NEAR_WINDOW_NS;
            }
            (Some(selected), key, value, inputs)
        }
    };
    let related = correlate(
        &inputs,
        &settings,
        key,
        key_value.as_deref(),
        selected.as_ref(),
        &mut failed,
    )?;
    let mut related = related;
    if let Some(sel) = &selected {
        if !related.iter().any(|f| same_entry(f, sel)) {
            related.push(sel.clone());
        }
    }
    related.sort_by_key(|f| (f.ts, f.input, f.offset));
    // No key and nothing asked: only the entries nearest the selected one.
    let near = selected.is_some() && key == Key::None && args.by.is_none() && args.window.is_none();
    if near {
        keep_nearest(&mut related, selected.as_ref());
    }
    // Line numbers cost a newline count up to each entry: only the JSON and Markdown
    // reports list every permalink; the text view needs the first error's.
    if args.json || args.format == ContextFormat::Md {
        assign_lines(&mut related, &settings);
    } else if let Some(i) = related
        .iter()
        .position(|f| f.level.is_some_and(|l| l >= Level::Error))
    {
        assign_lines(&mut related[i..=i], &settings);
    }
    if let Some(sel) = &selected {
        for f in related.iter_mut().filter(|f| same_entry(f, sel)) {
            f.line = sel.line;
        }
    }
    let reference = selected
        .as_ref()
        .and_then(|s| s.ts)
        .or_else(|| related.iter().find_map(|f| f.ts));
    let neighbours = match &selected {
        Some(sel) => neighbours(sel, args, &settings)?,
        None => Vec::new(),
    };
    Ok(Ok(Gathered {
        several_files: inputs.len() > 1,
        selected,
        key,
        key_value,
        related,
        reference,
        neighbours,
        near,
        failed,
    }))
}

/// An entry an id names, where it lies in its file: what the server resumes a stream
/// after (`/ws/logs?after=ID`).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The file (as the inputs name it).
    pub file: PathBuf,
    /// Where the entry starts and ends (after its line terminator).
    pub start: u64,
    pub end: u64,
    /// Its time, or that of the nearest entry before it in its file that has one
    /// (entries without a time follow the one before them), looked for at most
    /// `LOOK_BACK` entries back.
    pub ts: Option<i64>,
}

/// How many entries before a timeless entry are read for the time it follows.
pub const LOOK_BACK: usize = 10_000;

/// Finds the entry `args.id` names among `args.paths` as `gather` selects it (own
/// `id` field, `FILE:LINE`, `FILE@OFFSET`; the same refusals: unknown, or an id several
/// entries share, reported on stderr), and where it lies.
pub fn locate(args: &ContextArgs) -> Result<std::result::Result<Located, Outcome>> {
    let settings = settings(args)?;
    let id = args
        .id
        .as_deref()
        .ok_or_else(|| Error::new("context", "give an entry"))?;
    let selector = parse_selector(id);
    let (mut inputs, _) = context_inputs(&args.paths, &selector, &settings.input)?;
    let found = match select(&selector, &mut inputs, &settings)? {
        Ok(found) => found,
        Err(outcome) => return Ok(Err(outcome)),
    };
    let file = PathBuf::from(&found.file);
    let loaded = input::load(&Input::File(file.clone()), settings.input.no_mmap)?;
    let bytes = loaded.bytes();
    let format = settings
        .input
        .format
        .unwrap_or_else(|| format::detect(bytes, &settings.ctx));
    let walk = Around::new(bytes, format, &settings.ctx, settings.input.max_entry);
    let start = found.offset as usize;
    let source = Source {
        name: found.file.clone(),
        index: found.input,
        format,
    };
    let mut ts = found.ts;
    let (mut at, mut stepped) = (start, 0);
    while ts.is_none() && stepped < LOOK_BACK {
        let max = settings.input.max_entry;
        let Some(p) = region::prev_piece(bytes, at, format, &settings.ctx, max) else {
            break;
        };
        ts = found_at(bytes, p, walk.end(p), &source, &settings.ctx).ts;
        (at, stepped) = (p, stepped + 1);
    }
    Ok(Ok(Located {
        file,
        start: found.offset,
        end: walk.end(start) as u64,
        ts,
    }))
}

impl Gathered {
    /// What the renderers read, with times shown as `args` asks.
    pub fn view(&self, args: &ContextArgs) -> Result<View<'_>> {
        Ok(View {
            selected: self.selected.as_ref(),
            key: self.key,
            key_value: self.key_value.as_deref(),
            related: &self.related,
            reference: self.reference,
            neighbours: &self.neighbours,
            several_files: self.several_files,
            time: TimeStyle::new(
                args.view.local && !args.view.utc,
                args.view.time_format.as_deref(),
            )
            .map_err(|e| Error::new("--time-format", e))?,
            near: self.near,
        })
    }
}

/// The inputs to correlate across: the given paths, else `COVET_LOGS_PATH`, else the
/// selected entry's own file. The selected file is always among them.
fn context_inputs(
    paths: &[PathBuf],
    selector: &Selector,
    cfg: &InputConfig,
) -> Result<(Vec<Input>, bool)> {
    let own = match selector {
        Selector::Line(p, _) | Selector::Offset(p, _) => Some(p.clone()),
        Selector::Id(_) => None,
    };
    let env_set = std::env::var_os("COVET_LOGS_PATH").is_some_and(|v| !v.is_empty());
    let (mut inputs, failed) = match (&own, paths.is_empty() && !env_set) {
        (Some(p), true) => (vec![Input::File(p.clone())], false),
        _ => super::reported(engine::open_inputs(paths, &cfg.walk())?, false),
    };
    if let Some(p) = own {
        let canon = |q: &Path| std::fs::canonicalize(q).ok();
        let target = canon(&p);
        let present = inputs.iter().any(|i| match i {
            Input::File(q) => canon(q) == target,
            Input::Stdin | Input::Spooled(_) => false,
        });
        if !present {
            inputs.insert(0, Input::File(p));
        }
    }
    Ok((inputs, failed))
}

/// Finds the selected entry; `Err(outcome)` when it cannot be chosen (reported already).
fn select(
    selector: &Selector,
    inputs: &mut [Input],
    s: &Settings,
) -> Result<std::result::Result<Found, Outcome>> {
    let (path, pos) = match selector {
        Selector::Id(id) => return select_by_id(id, inputs, s),
        Selector::Line(p, line) => (p, Pos::Line(*line)),
        Selector::Offset(p, off) => (p, Pos::Offset(*off)),
    };
    let input = Input::File(path.clone());
    let index = inputs.iter().position(|i| *i == input).unwrap_or(0);
    let loaded = input::load(&input, s.input.no_mmap)?;
    let bytes = loaded.bytes();
    let name = input.display_name();
    let offset = match pos {
        Pos::Offset(o) if (o as usize) < bytes.len() => o as usize,
        Pos::Line(l) => match line_offset(bytes, l) {
            Some(o) => o,
            None => {
                report(&Error::new(format!("{name}:{l}"), "no such line"));
                return Ok(Err(Outcome::NoMatch));
            }
        },
        Pos::Offset(o) => {
            report(&Error::new(
                format!("{name}@{o}"),
                "offset past the end of the file",
            ));
            return Ok(Err(Outcome::NoMatch));
        }
    };
    let format = s
        .input
        .format
        .unwrap_or_else(|| format::detect(bytes, &s.ctx));
    let (start, end) = region::entry_around(bytes, offset, format, &s.ctx);
    // An entry past --max-entry-size is selected as the piece that holds the offset.
    let (start, end, _) = region::piece_of(bytes, start, end, offset, s.input.max_entry);
    let source = Source {
        name,
        index,
        format,
    };
    let mut found = found_at(bytes, start, end, &source, &s.ctx);
    // The entry may start a few lines before the one named; count only those.
    found.line = match pos {
        Pos::Line(l) => l - memchr::memchr_iter(b'\n', &bytes[start..offset]).count() as u64,
        Pos::Offset(_) => 1 + memchr::memchr_iter(b'\n', &bytes[..start]).count() as u64,
    };
    Ok(Ok(found))
}

#[derive(Clone, Copy)]
enum Pos {
    Line(u64),
    Offset(u64),
}

/// Byte offset where 1-based line `line` starts.
fn line_offset(bytes: &[u8], line: u64) -> Option<usize> {
    if line == 1 {
        return (!bytes.is_empty()).then_some(0);
    }
    // Count whole blocks with memchr's vectorized count, then step within the block
    // that holds the line.
    use rayon::prelude::*;
    const BLOCK: usize = 1 << 20;
    let mut skip = (line - 2) as usize;
    let mut base = 0;
    let blocks: Vec<&[u8]> = bytes.chunks(BLOCK).collect();
    for group in blocks.chunks(16) {
        let counts: Vec<usize> = group
            .par_iter()
            .map(|b| memchr::memchr_iter(b'\n', b).count())
            .collect();
        for (block, n) in group.iter().zip(counts) {
            if skip < n {
                let nl = base + memchr::memchr_iter(b'\n', block).nth(skip)?;
                return (nl + 1 < bytes.len()).then_some(nl + 1);
            }
            skip -= n;
            base += block.len();
        }
    }
    None
}

/// A `Found` for the entry at `start..end` of a loaded input.
fn found_at(bytes: &[u8], start: usize, end: usize, source: &Source, ctx: &TimeCtx) -> Found {
    let raw = region::entry_bytes(bytes, start, end);
    let entry = crate::entry::Entry {
        raw,
        offset: start as u64,
        line: 0,
    };
    let mut rec = None;
    let mut hit = Hit::new(
        entry,
        &bytes[start + raw.len()..end],
        &mut rec,
        source.format,
        ctx,
    );
    Found::from_hit(&mut hit, source)
}

/// Selects by the entry's own `id` field: exactly one entry must have it.
fn select_by_id(
    id: &str,
    inputs: &[Input],
    s: &Settings,
) -> Result<std::result::Result<Found, Outcome>> {
    let mut failed = false;
    // An id names one entry; more than MAX_RELATED entries sharing it is not a
    // selection anyway.
    let (found, _) = scan_key(inputs, s, "id", id, (None, None), &[], &mut failed)?;
    let mut exact: Vec<Found> = found
        .into_iter()
        .filter(|f| f.id.as_deref() == Some(id))
        .collect();
    if exact.len() == 1 {
        assign_lines(&mut exact, s);
        return Ok(Ok(exact.remove(0)));
    }
    if exact.is_empty() {
        report(&Error::new(
            id,
            "no entry has this id (give FILE:LINE, FILE@OFFSET or an id value)",
        ));
        return Ok(Err(Outcome::NoMatch));
    }
    assign_lines(&mut exact, s);
    let mut detail = String::new();
    for f in &exact {
        let _ = writeln!(detail, "  {}:{}", f.file, f.line);
    }
    report(
        &Error::new(
            id,
            format!(
                "{} entries share this id; give one as FILE:LINE",
                exact.len()
            ),
        )
        .with_detail(detail.trim_end().to_string()),
    );
    Ok(Err(Outcome::Failed))
}

/// The key given with --by, or the first the entry has of trace, request, user.
fn choose_key(by: Option<ByChoice>, sel: &Found) -> Result<Key> {
    let key = match by {
        Some(ByChoice::Trace) => Key::Trace,
        Some(ByChoice::Request) => Key::Request,
        Some(ByChoice::User) => Key::User,
        Some(ByChoice::None) => Key::None,
        None => [Key::Trace, Key::Request, Key::User]
            .into_iter()
            .find(|k| k.value(sel).is_some())
            .unwrap_or(Key::None),
    };
    if key != Key::None && key.value(sel).is_none() {
        return Err(Error::new(
            "--by",
            format!("the selected entry has no {}", key.field()),
        ));
    }
    if key == Key::None && sel.ts.is_none() {
        return Err(Error::new("context", "the selected entry has no timestamp, so it has no time window; use --by trace|request|user"));
    }
    Ok(key)
}

/// Related entries kept for the timeline. Past this many, the ones farthest in time
/// from the selected entry (the latest ones when none is selected) are dropped and
/// counted, so memory does not grow with the input (a window or a key can cover all
/// of it).
pub const MAX_RELATED: usize = 50_000;

/// Every entry sharing the key (within the window when an entry is selected).
fn correlate(
    inputs: &[Input],
    s: &Settings,
    key: Key,
    value: Option<&str>,
    selected: Option<&Found>,
    failed: &mut bool,
) -> Result<Vec<Found>> {
    let window = match selected.and_then(|f| f.ts) {
        Some(t) => (Some(t - s.window_ns), Some(t + s.window_ns + 1)),
        None => (None, None),
    };
    let center = selected.and_then(|f| f.ts);
    let (field, value) = match (key, value) {
        (Key::None, _) | (_, None) => ("", ""),
        (k, Some(v)) => (k.field(), v),
    };
    let (related, dropped) = scan_key(inputs, s, field, value, window, &s.saved, failed)?;
    if dropped > 0 {
        eprintln!(
            "covet-logs: context: {dropped} more related entries not shown (the timeline keeps the {MAX_RELATED} {})",
            if center.is_some() { "nearest in time to the selected entry" } else { "first ones" }
        );
    }
    Ok(related)
}

/// Scans every input for `field:"value"` within `window`, collecting the matches.
fn scan_key(
    inputs: &[Input],
    s: &Settings,
    field: &str,
    value: &str,
    window: (Option<i64>, Option<i64>),
    saved: &[String],
    failed: &mut bool,
) -> Result<(Vec<Found>, u64)> {
    // The selected entry's time is the middle of its window.
    let center = match window {
        (Some(lo), Some(hi)) => Some(lo + (hi - 1 - lo) / 2),
        _ => None,
    };
    let query = if field.is_empty() {
        String::new()
    } else {
        format!(
            "{field}:\"{}\"",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        )
    };
    let filter_args = FilterArgs {
        query_opt: Some(query),
        case_sensitive: true,
        since: window.0.map(timestamp::format_rfc3339_ns),
        until: window.1.map(timestamp::format_rfc3339_ns),
        saved: saved.to_vec(),
        ..FilterArgs::default()
    };
    let filter = FilterConfig::new(&filter_args, None)?;
    let cfg = super::scan_config(&filter, &s.input, false, None);
    let collector = Collector {
        keep: MAX_RELATED,
        center,
    };
    let mut all = Collected::default();
    *failed |= super::scan_all(inputs, &cfg, &collector, |part| {
        collector.combine(&mut all, part)
    })?;
    collector.prune(&mut all);
    Ok((all.found, all.dropped))
}

fn same_entry(a: &Found, b: &Found) -> bool {
    a.offset == b.offset && Path::new(&a.file) == Path::new(&b.file)
}

/// Fills in line numbers: one pass per file over the bytes before its last match.
fn assign_lines(found: &mut [Found], s: &Settings) {
    let mut files: Vec<String> = found.iter().map(|f| f.file.clone()).collect();
    files.sort();
    files.dedup();
    for file in files {
        let Ok(loaded) = input::load(&Input::File(file.clone().into()), s.input.no_mmap) else {
            continue;
        };
        let bytes = loaded.bytes();
        let mut idx: Vec<usize> = (0..found.len())
            .filter(|&i| found[i].file == file && found[i].line == 0)
            .collect();
        idx.sort_by_key(|&i| found[i].offset);
        let blocks = indexed_lines(Path::new(&file), bytes, s);
        let (mut pos, mut line) = (0usize, 1u64);
        for i in idx {
            let off = (found[i].offset as usize).min(bytes.len());
            // The block index knows the line each block starts on.
            let at = blocks.partition_point(|&(start, _)| start <= off);
            if let Some(&(start, first)) = at.checked_sub(1).map(|k| &blocks[k]) {
                if start > pos {
                    (pos, line) = (start, first);
                }
            }
            line += memchr::memchr_iter(b'\n', &bytes[pos..off]).count() as u64;
            pos = off;
            found[i].line = line;
        }
    }
}

/// The block starts and their lines from the index of `file`, when it has a fresh one
/// (under the settings `scan_key` reads with) and `--index` allows it.
fn indexed_lines(file: &Path, bytes: &[u8], s: &Settings) -> Vec<(usize, u64)> {
    if s.input.index == crate::index::Mode::Never || s.input.no_mmap {
        return Vec::new();
    }
    let Ok(filter) = FilterConfig::new(&FilterArgs::default(), None) else {
        return Vec::new();
    };
    let cfg = super::scan_config(&filter, &s.input, false, None);
    let format = s
        .input
        .format
        .unwrap_or_else(|| format::detect(bytes, &filter.ctx));
    crate::index::block_lines(file, bytes, format, &cfg)
}

/// The entries around the selected one in its own file (-B/-A/-C).
fn neighbours(sel: &Found, args: &ContextArgs, s: &Settings) -> Result<Vec<(Found, i64)>> {
    let before = args.before.or(args.context).unwrap_or(0);
    let after = args.after.or(args.context).unwrap_or(0);
    if before == 0 && after == 0 {
        return Ok(Vec::new());
    }
    let input = Input::File(sel.file.clone().into());
    let loaded = input::load(&input, s.input.no_mmap)?;
    let bytes = loaded.bytes();
    let format = s
        .input
        .format
        .unwrap_or_else(|| format::detect(bytes, &s.ctx));
    let source = Source {
        name: sel.file.clone(),
        index: sel.input,
        format,
    };
    // Whole entries, however long (the selected entry is whole too).
    let walk = Around::new(bytes, format, &s.ctx, usize::MAX);
    let starts = walk.neighbours(sel.offset as usize, before, after);
    let (at, sides): (Vec<usize>, Vec<i64>) = starts.into_iter().unzip();
    let mut found: Vec<Found> = at
        .into_iter()
        .map(|p| found_at(bytes, p, walk.end(p), &source, &s.ctx))
        .collect();
    assign_lines(&mut found, s);
    let out: Vec<(Found, i64)> = found.into_iter().zip(sides).collect();
    Ok(out)
}

/// Everything the renderers need.
pub struct View<'a> {
    selected: Option<&'a Found>,
    key: Key,
    key_value: Option<&'a str>,
    related: &'a [Found],
    reference: Option<i64>,
    neighbours: &'a [(Found, i64)],
    several_files: bool,
    /// How the timeline shows times (`--local`/`--utc`, `--time-format`).
    time: TimeStyle,
    /// The timeline is the entries nearest the selected one (no key, no --window).
    near: bool,
}

/// The correlation summary.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    related: usize,
    services: Vec<String>,
    levels: Vec<(String, usize)>,
    first_error: Option<FirstError>,
    span_seconds: Option<f64>,
    longest_gap_seconds: Option<f64>,
    longest_gap_after: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FirstError {
    id: String,
    offset_seconds: Option<f64>,
    level: String,
    message: String,
}

fn permalink(f: &Found) -> String {
    match &f.id {
        Some(id) => id.clone(),
        None => format!("{}:{}", f.file, f.line),
    }
}

fn seconds(ns: i64) -> f64 {
    ns as f64 / 1e9
}

fn summarize(v: &View<'_>) -> Summary {
    let mut services: Vec<String> = Vec::new();
    for f in v.related {
        if let Some(s) = &f.service {
            if !services.contains(s) {
                services.push(s.clone());
            }
        }
    }
    let mut levels = Vec::new();
    for level in Level::ALL {
        let n = v.related.iter().filter(|f| f.level == Some(level)).count();
        if n > 0 {
            levels.push((level.as_str().to_string(), n));
        }
    }
    let first_error = v
        .related
        .iter()
        .find(|f| f.level.is_some_and(|l| l >= Level::Error))
        .map(|f| FirstError {
            id: permalink(f),
            offset_seconds: f.ts.zip(v.reference).map(|(t, r)| seconds(t - r)),
            level: f.level.map_or("", Level::as_str).to_string(),
            message: first_line(&f.message).to_string(),
        });
    let times: Vec<i64> = v.related.iter().filter_map(|f| f.ts).collect();
    let span_seconds = (times.len() >= 2).then(|| seconds(times[times.len() - 1] - times[0]));
    let gap = times
        .windows(2)
        .map(|w| (w[1] - w[0], w[0]))
        .max_by_key(|(g, _)| *g);
    Summary {
        related: v.related.len(),
        services,
        levels,
        first_error,
        span_seconds,
        longest_gap_seconds: gap.map(|(g, _)| seconds(g)),
        longest_gap_after: gap.map(|(_, t)| timestamp::format_rfc3339_ms(t)),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn offset_label(f: &Found, reference: Option<i64>) -> String {
    match f.ts.zip(reference) {
        Some((t, r)) => format!("{:+.3}s", seconds(t - r)),
        None => "?".to_string(),
    }
}

fn entry_line(f: &Found, time: &TimeStyle) -> String {
    let mut parts = Vec::new();
    if let Some(t) = f.ts {
        parts.push(time.show(t));
    }
    if let Some(l) = f.level {
        parts.push(format!("{:<5}", l.as_str()));
    }
    for v in [&f.service, &f.source].into_iter().flatten() {
        parts.push(v.clone());
    }
    parts.push(first_line(&f.message).to_string());
    sanitize(&parts.join(" ")).into_owned()
}

fn render_text(v: &View<'_>, color: bool) -> String {
    use owo_colors::OwoColorize;
    let mut out = String::new();
    if let Some(sel) = v.selected {
        let _ = writeln!(
            out,
            "selected {}: {}",
            permalink(sel),
            entry_line(sel, &v.time)
        );
    }
    if !v.neighbours.is_empty() {
        let _ = writeln!(out, "\nin its file:");
        for (f, _) in v.neighbours.iter().filter(|(_, s)| *s < 0) {
            let _ = writeln!(out, "  {}:{} {}", f.file, f.line, entry_line(f, &v.time));
        }
        if let Some(sel) = v.selected {
            let _ = writeln!(
                out,
                "> {}:{} {}",
                sel.file,
                sel.line,
                entry_line(sel, &v.time)
            );
        }
        for (f, _) in v.neighbours.iter().filter(|(_, s)| *s > 0) {
            let _ = writeln!(out, "  {}:{} {}", f.file, f.line, entry_line(f, &v.time));
        }
    }
    let _ = match (v.key, v.key_value) {
        _ if v.near => writeln!(out, "\ntimeline: {NEAR_NOTE}"),
        (Key::None, _) | (_, None) => writeln!(out, "\ntimeline: every entry in the window"),
        (k, Some(val)) => writeln!(out, "\ntimeline: {}={}", k.field(), sanitize(val)),
    };
    for f in v.related {
        let is_sel = v.selected.is_some_and(|s| same_entry(s, f));
        let marker = if is_sel { ">" } else { " " };
        let mut line = format!(
            "{marker} {:>10}  {}",
            offset_label(f, v.reference),
            entry_line(f, &v.time)
        );
        if v.several_files {
            line.push_str(&format!("  [{}]", sanitize(&f.file)));
        }
        if color && is_sel {
            line = line.bold().to_string();
        } else if color && f.level.is_some_and(|l| l >= Level::Error) {
            line = line.red().to_string();
        }
        let _ = writeln!(out, "{line}");
    }
    let s = summarize(v);
    let _ = writeln!(out, "\nsummary:");
    let _ = writeln!(out, "  related entries: {}", s.related);
    let _ = writeln!(out, "  services: {}", sanitize(&s.services.join(", ")));
    let levels: Vec<String> = s.levels.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let _ = writeln!(out, "  levels: {}", levels.join(", "));
    match &s.first_error {
        Some(e) => {
            let off = e
                .offset_seconds
                .map_or("?".to_string(), |o| format!("{o:+.3}s"));
            let _ = writeln!(
                out,
                "  first error: {off} {} {} ({})",
                e.level,
                sanitize(&e.message),
                sanitize(&e.id)
            );
        }
        None => {
            let _ = writeln!(out, "  first error: none");
        }
    }
    if let Some(span) = s.span_seconds {
        let _ = writeln!(out, "  span: {span:.3}s");
    }
    if let (Some(g), Some(after)) = (s.longest_gap_seconds, &s.longest_gap_after) {
        let _ = writeln!(out, "  longest quiet gap: {g:.3}s after {after}");
    }
    out
}

/// A Markdown code fence that `text` cannot close: one backtick longer than the
/// longest run of backticks in it, and at least three (CommonMark's rule).
fn code_fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn render_md(v: &View<'_>) -> String {
    let cell = |s: &str| sanitize(s).replace('|', "\\|");
    let mut out = String::from("## Log context\n\n");
    if let Some(sel) = v.selected {
        let raw = sanitize(&sel.raw).replace("\\n", "\n");
        let fence = code_fence(&raw);
        let _ = writeln!(
            out,
            "**Selected entry** `{}`\n\n{fence}\n{raw}\n{fence}\n",
            permalink(sel),
        );
    }
    let _ = match (v.key, v.key_value) {
        _ if v.near => writeln!(out, "### Timeline ({NEAR_NOTE})\n"),
        (Key::None, _) | (_, None) => writeln!(out, "### Timeline (every entry in the window)\n"),
        (k, Some(val)) => writeln!(out, "### Timeline (`{}={}`)\n", k.field(), cell(val)),
    };
    out.push_str(
        "| | offset | time | level | service | source | message |\n|---|---|---|---|---|---|---|\n",
    );
    for f in v.related {
        let mark = if v.selected.is_some_and(|s| same_entry(s, f)) {
            "→"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {mark} | {} | {} | {} | {} | {} | {} |",
            offset_label(f, v.reference),
            f.ts.map(timestamp::format_rfc3339_ms).unwrap_or_default(),
            f.level.map_or("", Level::as_str),
            cell(f.service.as_deref().unwrap_or("")),
            cell(f.source.as_deref().unwrap_or("")),
            cell(first_line(&f.message)),
        );
    }
    let s = summarize(v);
    let levels: Vec<String> = s.levels.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let _ = writeln!(out, "\n### Summary\n");
    let _ = writeln!(out, "- related entries: {}", s.related);
    let _ = writeln!(out, "- services: {}", cell(&s.services.join(", ")));
    let _ = writeln!(out, "- levels: {}", levels.join(", "));
    if let Some(e) = &s.first_error {
        let off = e
            .offset_seconds
            .map_or("?".to_string(), |o| format!("{o:+.3}s"));
        let _ = writeln!(out, "- first error: {off} {} {}", e.level, cell(&e.message));
    }
    if let Some(span) = s.span_seconds {
        let _ = writeln!(out, "- span: {span:.3}s");
    }
    if let Some(g) = s.longest_gap_seconds {
        let _ = writeln!(out, "- longest quiet gap: {g:.3}s");
    }
    out
}

/// One entry of `context --json`.
#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct JsonEntry<'a> {
    id: String,
    file: &'a str,
    line: u64,
    offset: u64,
    offset_seconds: Option<f64>,
    timestamp: Option<String>,
    level: Option<&'static str>,
    service: Option<&'a str>,
    source: Option<&'a str>,
    message: &'a str,
    trace_id: Option<&'a str>,
    request_id: Option<&'a str>,
    user_id: Option<&'a str>,
    pub selected: bool,
}

/// `context --json`: the document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonContext<'a> {
    selected: Option<JsonEntry<'a>>,
    by: &'static str,
    key: Option<&'a str>,
    before: Vec<JsonEntry<'a>>,
    after: Vec<JsonEntry<'a>>,
    pub timeline: Vec<JsonEntry<'a>>,
    summary: Summary,
    /// The seed's `relatedLogs` (the timeline without the selected entry); set by the
    /// server, absent from the command's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_logs: Option<Vec<JsonEntry<'a>>>,
}

fn json_entry<'a>(f: &'a Found, v: &View<'_>) -> JsonEntry<'a> {
    JsonEntry {
        id: permalink(f),
        file: &f.file,
        line: f.line,
        offset: f.offset,
        offset_seconds: f.ts.zip(v.reference).map(|(t, r)| seconds(t - r)),
        timestamp: f.ts.map(timestamp::format_rfc3339_ms),
        level: f.level.map(Level::as_str),
        service: f.service.as_deref(),
        source: f.source.as_deref(),
        message: &f.message,
        trace_id: f.trace_id.as_deref(),
        request_id: f.request_id.as_deref(),
        user_id: f.user_id.as_deref(),
        selected: v.selected.is_some_and(|s| same_entry(s, f)),
    }
}

/// `context --json`: the document of the view.
pub fn document<'a>(v: &View<'a>) -> JsonContext<'a> {
    JsonContext {
        selected: v.selected.map(|s| json_entry(s, v)),
        by: v.key.name(),
        key: v.key_value,
        before: v
            .neighbours
            .iter()
            .filter(|(_, s)| *s < 0)
            .map(|(f, _)| json_entry(f, v))
            .collect(),
        after: v
            .neighbours
            .iter()
            .filter(|(_, s)| *s > 0)
            .map(|(f, _)| json_entry(f, v))
            .collect(),
        timeline: v.related.iter().map(|f| json_entry(f, v)).collect(),
        summary: summarize(v),
        related_logs: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_outlasts_every_backtick_run() {
        for (text, fence) in [
            ("plain", "```"),
            ("a `b` c", "```"),
            ("x ``` y", "````"),
            ("x ``` y ```` z `", "`````"),
        ] {
            assert_eq!(code_fence(text), fence, "{text:?}");
        }
    }

    #[test]
    fn selectors() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("a.log");
        std::fs::write(&file, "x\n").expect("write");
        let f = file.display().to_string();
        assert_eq!(
            parse_selector(&format!("{f}:12")),
            Selector::Line(file.clone(), 12)
        );
        assert_eq!(
            parse_selector(&format!("{f}@340")),
            Selector::Offset(file.clone(), 340)
        );
        assert_eq!(
            parse_selector("log_0000000012"),
            Selector::Id("log_0000000012".into())
        );
        assert_eq!(
            parse_selector("missing.log:3"),
            Selector::Id("missing.log:3".into())
        );
    }

    #[test]
    fn line_offsets() {
        let b = b"a\nbb\nccc\n";
        assert_eq!(line_offset(b, 1), Some(0));
        assert_eq!(line_offset(b, 2), Some(2));
        assert_eq!(line_offset(b, 3), Some(5));
        assert_eq!(line_offset(b, 4), None);
    }
}
