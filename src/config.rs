//! Resolved settings: what the typed arguments mean on this machine (terminal or pipe,
//! colors, threads, time zone, the compiled query). Built once, immutable afterwards.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{ColorChoice, DisplayArgs, FilterArgs, FormatChoice, InputArgs, RgArgs};
use crate::error::{Error, Result};
use crate::format::timestamp::{self, TimeCtx};
use crate::format::Format;
use crate::query::ast::{Expr, FieldOp, Term, TermKind};
use crate::query::compile::{compile_field_op, Bound, Node, Target, Test};
use crate::query::{self, Options, Query};
use crate::sink::print::{Mode, Prefix, Printer, TimeStyle};

/// The resolved query: the compiled predicate and prefilter, the time window, the clock.
/// The query is parsed once and kept (`Parsed`), with the saved filters' window as
/// values, so another window (`with_window`) compiles again with no text round trip.
pub struct FilterConfig {
    pub query: Query,
    pub query_text: String,
    pub ctx: TimeCtx,
    pub window: (Option<i64>, Option<i64>),
    pub now_ns: i64,
    parsed: Parsed,
}

/// What a filter compiles from: the query parsed once, the matching options, and the
/// saved filters' (`--filter NAME`) own window, intersected.
#[derive(Clone)]
struct Parsed {
    text: String,
    expr: Expr,
    opts: Options,
    saved_window: (Option<i64>, Option<i64>),
    /// `--level`, `--service`, `--source`, as typed.
    flags: [Vec<String>; 3],
}

/// A filter in a form another process compiles to the same `FilterConfig`: the query
/// text (saved filters' parts joined in), the flag values, the matching options, the
/// clock and the window resolved here. What a cluster's executors are sent (feature
/// `cluster`), so they decide with the very query the client parsed.
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FilterSpec {
    pub text: String,
    pub flags: [Vec<String>; 3],
    pub case_sensitive: bool,
    pub regex_words: bool,
    /// The zone: `None` local, `Some(seconds east of UTC)` otherwise.
    pub tz: Option<i32>,
    pub year: i32,
    pub now_ns: i64,
    pub window: (Option<i64>, Option<i64>),
}

/// How inputs are read, resolved.
pub struct InputConfig {
    pub format: Option<Format>,
    pub threads: usize,
    pub no_mmap: bool,
    pub debug: bool,
    pub chunk_size: usize,
    /// `-L`: follow symbolic links inside directories.
    pub follow_links: bool,
    /// `-g`: globs that walked files must match.
    pub globs: Vec<String>,
    /// `--max-entry-size`.
    pub max_entry: usize,
    /// The `-j` asked for when it was above `max_threads()` and `threads` was capped.
    pub threads_asked: Option<usize>,
    /// `--index`.
    pub index: crate::index::Mode,
}

/// How entries are shown, resolved for this stdout.
pub struct DisplayConfig {
    pub mode: Mode,
    pub color: bool,
    pub expand: bool,
    /// `--utc`/`--local` and `--time-format`.
    pub time: TimeStyle,
}

/// What a filtering command's positionals mean: the query text and the paths to read.
#[derive(Debug, PartialEq, Eq)]
pub struct Positionals {
    pub query: Option<String>,
    pub paths: Vec<PathBuf>,
    /// The first positional was read as an input, not the query (said with `--debug`).
    pub query_is_input: bool,
}

/// How a command read its positionals before the query came first: `search` always
/// took the query first; `tail`, `stats`, `export` and `fields` took paths only, and
/// those spellings keep working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// `search QUERY PATH...` (rg's rule).
    QueryFirst,
    /// `tail PATH...`: a first positional that names an existing path (or `-`) starts
    /// the paths, and a lone one shaped like a file name (`app.log`, `logs/x`) is a
    /// path even before it exists (`tail -f` waits for it; the others say it is
    /// missing).
    PathsOnly,
}

impl Positionals {
    /// `query` is the first positional, `paths` the rest; `query_opt` whether `-q`
    /// gave the query (then every positional is a path). A lone positional that
    /// names an existing file (not a directory) is the input, not the query: `search
    /// -l ERROR app.log` reads app.log instead of searching stdin for "app.log".
    /// `legacy` adds the older path-first spellings of a command.
    pub fn split(
        given: Option<&OsStr>,
        query_opt: bool,
        paths: &[PathBuf],
        legacy: Legacy,
    ) -> Positionals {
        let mut all: Vec<PathBuf> = given.map(PathBuf::from).into_iter().collect();
        all.extend(paths.iter().cloned());
        // A query is text: a first positional that is not UTF-8 can only be a path.
        let not_text = given.is_some_and(|g| g.to_str().is_none());
        let query = given.and_then(OsStr::to_str);
        let is_file = |q: &str| {
            if crate::input::object::is_object_url(Path::new(q)) {
                return true;
            }
            let url = crate::input::url::local_path(Path::new(q)).ok().flatten();
            std::fs::metadata(url.as_deref().unwrap_or(Path::new(q))).is_ok_and(|m| !m.is_dir())
        };
        let lone_file = query.is_some_and(|q| paths.is_empty() && is_file(q));
        let path_first = legacy == Legacy::PathsOnly
            && query.is_some_and(|q| {
                q == "-"
                    || std::fs::metadata(q).is_ok()
                    || (paths.is_empty() && shaped_like_file_name(q))
            });
        if query_opt || lone_file || path_first || not_text {
            return Positionals {
                query: None,
                paths: all,
                query_is_input: !query_opt,
            };
        }
        Positionals {
            query: query.map(str::to_string),
            paths: paths.to_vec(),
            query_is_input: false,
        }
    }

    /// The `--debug` line when the first positional was read as an input.
    pub fn debug_note(&self) -> Option<Error> {
        let first = self.paths.first().filter(|_| self.query_is_input)?;
        let why = match std::fs::metadata(first) {
            Ok(m) if m.is_dir() => "an existing directory",
            Ok(_) => "an existing file",
            Err(_) if first.as_os_str() == "-" => "stdin",
            Err(_) => "a file name",
        };
        Some(Error::new(
            first.display().to_string(),
            format!(
                "{why} and no query: read as the input (put a query first to search for this text)"
            ),
        ))
    }
}

/// A word that reads as a file name rather than a query: no spaces, quotes, colons
/// or parentheses, and a `/` or an extension that starts with a letter (`app.log`,
/// `x.jsonl.gz`, `logs/a`).
fn shaped_like_file_name(text: &str) -> bool {
    let plain = !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || "\"'():=<>".contains(c));
    let ext = text.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && ext.starts_with(|c: char| c.is_ascii_alphabetic())
    });
    plain && (text.contains('/') || ext)
}

/// The query text with rg's matching flags folded in: `-e` patterns ORed (each a
/// query), `-F` each pattern one literal phrase, `-w` words matched whole, `-v` the
/// whole negated. The result is query text again, so saved filters, history and
/// `--debug` see what ran. `typed` is the positional query (or `-q`); with `-e` it is
/// one more pattern.
pub fn rg_query(typed: Option<&str>, rg: &RgArgs, regex_words: bool) -> Result<Option<String>> {
    if rg.patterns.is_empty() && !rg.fixed && !rg.word && !rg.invert {
        return Ok(typed.map(str::to_string));
    }
    let texts: Vec<&str> = typed
        .into_iter()
        .chain(rg.patterns.iter().map(String::as_str))
        .collect();
    let mut alternatives = Vec::new();
    for text in texts {
        let expr = if rg.fixed {
            literal_phrase(text)
        } else {
            query::parse(text).map_err(|e| query_error("query", text, &e))?
        };
        alternatives.push(if rg.word {
            whole_words(expr, regex_words)
        } else {
            expr
        });
    }
    let expr = match alternatives.len() {
        1 => alternatives.remove(0),
        _ => Expr::Or(alternatives),
    };
    if rg.invert {
        if expr == Expr::And(Vec::new()) {
            return Err(Error::new("-v", "needs a query to invert"));
        }
        return Ok(Some(Expr::Not(Box::new(expr)).to_string()));
    }
    Ok(Some(expr.to_string()))
}

/// `-F`: the whole text as one quoted phrase (the empty text matches everything).
fn literal_phrase(text: &str) -> Expr {
    if text.is_empty() {
        return Expr::And(Vec::new());
    }
    Expr::Term(Term {
        kind: TermKind::Text {
            text: text.to_string(),
            quoted: true,
        },
        span: (0, text.len()),
    })
}

/// `-w`: every word or phrase becomes a regex bounded by `\b` on the sides that are
/// word characters (`/health` still matches after a space); with `--regex` a bare
/// word is a regex, bounded on both sides. Field terms are unchanged.
fn whole_words(expr: Expr, re: bool) -> Expr {
    match expr {
        Expr::And(items) => Expr::And(items.into_iter().map(|e| whole_words(e, re)).collect()),
        Expr::Or(items) => Expr::Or(items.into_iter().map(|e| whole_words(e, re)).collect()),
        Expr::Not(inner) => Expr::Not(Box::new(whole_words(*inner, re))),
        Expr::Term(Term {
            kind: TermKind::Text { text, quoted },
            span,
        }) if re && !quoted => Expr::Term(Term {
            kind: TermKind::Regex(format!("\\b(?:{text})\\b")),
            span,
        }),
        Expr::Term(Term {
            kind: TermKind::Text { text, .. },
            span,
        }) => {
            let edge = |c: Option<char>| match c {
                Some(c) if c.is_alphanumeric() || c == '_' => "\\b",
                _ => "",
            };
            let pattern = format!(
                "{}{}{}",
                edge(text.chars().next()),
                regex::escape(&text),
                edge(text.chars().last())
            );
            Expr::Term(Term {
                kind: TermKind::Regex(pattern),
                span,
            })
        }
        other => other,
    }
}

/// Default chunk size for parallel scans.
pub const CHUNK_SIZE: usize = 4 << 20;

/// Whether to color output for a stream.
pub fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_tty
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

fn format_of(choice: FormatChoice) -> Option<Format> {
    match choice {
        FormatChoice::Auto => None,
        FormatChoice::Json => Some(Format::Json),
        FormatChoice::Logfmt => Some(Format::Logfmt),
        FormatChoice::Covet => Some(Format::Covet),
        FormatChoice::Text => Some(Format::Text),
        FormatChoice::Plain => Some(Format::Plain),
        FormatChoice::Named(i) => Some(Format::Pattern(i)),
        // The wrapper is forced; the inner format is detected per input.
        FormatChoice::Wrapper(w) => {
            crate::format::wrap::force(crate::format::wrap::Wrapper(w));
            None
        }
    }
}

/// The current time in UTC nanoseconds.
pub fn now_ns() -> i64 {
    chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
}

/// A query error as a one-line error plus the caret display.
pub fn query_error(what: &str, text: &str, err: &query::QueryError) -> Error {
    // The message is on the error line; the detail shows the query and the caret.
    let render = err.render(text);
    let detail: Vec<&str> = render.lines().take(2).collect();
    Error::new(what, err.message.clone()).with_detail(detail.join("\n"))
}

impl FilterConfig {
    /// Compiles `query` (the positional one, or `-q`) with the filter flags.
    pub fn new(args: &FilterArgs, positional: Option<&str>) -> Result<FilterConfig> {
        let tz = timestamp::parse_tz(&args.zone.tz).map_err(|e| Error::new("--tz", e))?;
        let ctx = TimeCtx {
            tz,
            ..TimeCtx::utc_now_year()
        };
        let now = now_ns();
        let typed = args.query_opt.as_deref().or(positional).unwrap_or_default();
        let typed_expr = query::parse(typed).map_err(|e| query_error("query", typed, &e))?;
        let Saved {
            mut parts,
            since: saved_since,
            until: saved_until,
            regex,
            case_sensitive,
        } = saved_filters(&args.saved)?;
        // A saved filter's toggles apply as if their flags were given.
        let opts = Options {
            case_sensitive: args.case_sensitive || case_sensitive,
            regex_words: args.regex || regex,
            ctx,
            now_ns: now,
        };
        // Each text is parsed once; saved filters are ANDed in as trees, their spans
        // placed in the combined text so carets point into it.
        if !typed.trim().is_empty() || parts.is_empty() {
            parts.push((typed.to_string(), typed_expr));
        }
        let (text, expr) = query::ast::conjoin(parts);
        let flags = flag_nodes(&flag_values(args), &opts)?;
        let parse_time = |flag: &str, v: &Option<String>| -> Result<Option<i64>> {
            v.as_deref()
                .map(|s| timestamp::parse_user_time(s, now, &ctx).map_err(|e| Error::new(flag, e)))
                .transpose()
        };
        let since = parse_time("--since", &args.since)?;
        let until = parse_time("--until", &args.until)?;
        check_window(args, since, until)?;
        let mut saved_window = (None, None);
        for (name, v) in &saved_since {
            let t = parse_time(&format!("--filter {name} (since)"), &Some(v.clone()))?;
            saved_window.0 = saved_window.0.max(t);
        }
        for (name, v) in &saved_until {
            let t = parse_time(&format!("--filter {name} (until)"), &Some(v.clone()))?;
            saved_window.1 = earlier(saved_window.1, t);
        }
        let parsed = Parsed {
            text,
            expr,
            opts,
            saved_window,
            flags: flag_values(args),
        };
        parsed.compile(&args.saved, flags, (since, until))
    }

    /// The filter as a `FilterSpec`, for another process to compile.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    pub fn spec(&self) -> FilterSpec {
        let ctx = self.parsed.opts.ctx;
        FilterSpec {
            text: self.parsed.text.clone(),
            flags: self.parsed.flags.clone(),
            case_sensitive: self.parsed.opts.case_sensitive,
            regex_words: self.parsed.opts.regex_words,
            tz: match ctx.tz {
                timestamp::Tz::Utc => Some(0),
                timestamp::Tz::Fixed(s) => Some(s),
                timestamp::Tz::Local => None,
            },
            year: ctx.year,
            now_ns: self.parsed.opts.now_ns,
            window: self.window,
        }
    }

    /// Compiles a `FilterSpec` made by `spec` (in this process or another).
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    pub fn from_spec(spec: &FilterSpec) -> Result<FilterConfig> {
        let ctx = TimeCtx {
            tz: spec.tz.map_or(timestamp::Tz::Local, |s| match s {
                0 => timestamp::Tz::Utc,
                s => timestamp::Tz::Fixed(s),
            }),
            year: spec.year,
            reference: 0,
        };
        let opts = Options {
            case_sensitive: spec.case_sensitive,
            regex_words: spec.regex_words,
            ctx,
            now_ns: spec.now_ns,
        };
        let expr = query::parse(&spec.text).map_err(|e| query_error("query", &spec.text, &e))?;
        let flags = flag_nodes(&spec.flags, &opts)?;
        let parsed = Parsed {
            text: spec.text.clone(),
            expr,
            opts,
            saved_window: (None, None),
            flags: spec.flags.clone(),
        };
        parsed.compile(&[], flags, spec.window)
    }

    /// Whether words and values match only in their own case (`-s`, or a saved
    /// filter's toggle): the case rule the query was compiled with. (Read by
    /// `--engine datafusion`, feature `cluster`.)
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    pub fn case_sensitive(&self) -> bool {
        self.parsed.opts.case_sensitive
    }

    /// The same query and flags over the window `since..until`, given as values (stats'
    /// previous window), intersected with the saved filters' window.
    pub fn with_window(
        &self,
        args: &FilterArgs,
        since: Option<i64>,
        until: Option<i64>,
    ) -> Result<FilterConfig> {
        let flags = flag_nodes(&self.parsed.flags, &self.parsed.opts)?;
        self.parsed
            .clone()
            .compile(&args.saved, flags, (since, until))
    }
}

impl Parsed {
    /// The filter: the parsed query ANDed with the flag terms and the window (the
    /// flags' and the saved filters', intersected).
    fn compile(
        self,
        saved: &[String],
        mut extra: Vec<Node>,
        (since, until): (Option<i64>, Option<i64>),
    ) -> Result<FilterConfig> {
        let since = since.max(self.saved_window.0);
        let until = earlier(until, self.saved_window.1);
        check_saved_window(saved, since, until)?;
        if since.is_some() || until.is_some() {
            let lo = since.map_or(Bound::Unbounded, Bound::Incl);
            let hi = until.map_or(Bound::Unbounded, Bound::Excl);
            extra.push(Node::Field(
                Target::Std(crate::format::alias::Field::Timestamp),
                Test::Time(lo, hi),
            ));
        }
        let query = query::compile(&self.expr, extra, &self.opts)
            .map_err(|e| query_error("query", &self.text, &e))?;
        Ok(FilterConfig {
            query,
            query_text: self.text.clone(),
            ctx: self.opts.ctx,
            window: (since, until),
            now_ns: self.opts.now_ns,
            parsed: self,
        })
    }
}

/// The values of `--level`, `--service` and `--source`.
fn flag_values(args: &FilterArgs) -> [Vec<String>; 3] {
    [
        args.levels.clone(),
        args.services.clone(),
        args.sources.clone(),
    ]
}

/// `--level`, `--service` and `--source` (`flag_values`) as predicate terms.
fn flag_nodes(values: &[Vec<String>; 3], opts: &Options) -> Result<Vec<Node>> {
    let mut nodes = Vec::new();
    nodes.extend(flag_terms("--level", "level", &values[0], opts)?);
    nodes.extend(flag_terms("--service", "service", &values[1], opts)?);
    nodes.extend(flag_terms("--source", "source", &values[2], opts)?);
    Ok(nodes)
}

/// The earlier of two optional bounds (either alone when the other is absent).
fn earlier(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Threads per core that `-j` may ask for: more only adds switching and memory.
pub const THREADS_PER_CORE: usize = 4;
/// Most threads `-j` gets on any machine.
pub const MAX_THREADS: usize = 256;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The most worker threads `-j` gets here: `THREADS_PER_CORE` per core, at most
/// `MAX_THREADS`.
pub fn max_threads() -> usize {
    (cores() * THREADS_PER_CORE).clamp(1, MAX_THREADS)
}

/// `--index` as the index takes it.
pub fn index_mode(choice: crate::cli::IndexChoice) -> crate::index::Mode {
    use crate::cli::IndexChoice;
    use crate::index::Mode;
    match choice {
        IndexChoice::Auto => Mode::Auto,
        IndexChoice::Always => Mode::Always,
        IndexChoice::Never => Mode::Never,
    }
}

impl InputConfig {
    /// How the paths are walked (`-L`, `-g`).
    pub fn walk(&self) -> crate::input::Walk<'_> {
        crate::input::Walk {
            follow_links: self.follow_links,
            globs: &self.globs,
        }
    }

    pub fn new(args: &InputArgs) -> InputConfig {
        let asked = args.read.threads.filter(|&n| n > 0);
        let cap = max_threads();
        InputConfig {
            format: format_of(args.format),
            threads: asked.unwrap_or_else(cores).min(cap),
            no_mmap: args.read.no_mmap,
            debug: args.read.debug,
            chunk_size: args.read.chunk_size.unwrap_or(CHUNK_SIZE).max(1),
            follow_links: args.read.follow_links,
            globs: args.read.globs.clone(),
            max_entry: args.read.max_entry_size.unwrap_or(crate::scan::MAX_ENTRY),
            threads_asked: asked.filter(|&n| n > cap),
            index: index_mode(args.read.index),
        }
    }

    /// Sizes rayon's global pool; call once before scanning. Says so on stderr when
    /// `-j` was capped (here, as every command calls this once).
    pub fn init_threads(&self) {
        if let Some(asked) = self.threads_asked {
            eprintln!(
                "covet-logs: {}",
                Error::new(
                    "warning",
                    format!(
                        "-j {asked} is more than {THREADS_PER_CORE} threads per core; using {}",
                        self.threads
                    )
                )
            );
        }
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build_global();
    }
}

impl DisplayConfig {
    pub fn new(args: &DisplayArgs) -> Result<DisplayConfig> {
        let stdout_tty = std::io::stdout().is_terminal();
        let mode = if args.json {
            Mode::Json
        } else if args.raw || !(stdout_tty || args.view.color == ColorChoice::Always) {
            Mode::Raw
        } else {
            Mode::Pretty
        };
        Ok(DisplayConfig {
            mode,
            color: mode == Mode::Pretty && use_color(args.view.color, stdout_tty),
            expand: args.expand,
            time: TimeStyle::new(
                args.view.local && !args.view.utc,
                args.view.time_format.as_deref(),
            )
            .map_err(|e| Error::new("--time-format", e))?,
        })
    }
}

/// How a command lays out its printed entries: the parts of a `Printer` that are
/// neither the display settings nor the query.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Label entries with their file (several inputs).
    pub show_file: bool,
    /// Record each entry's timestamp (for merging by time).
    pub need_ts: bool,
    /// rg's `FILE:`/`LINE:` prefixes on piped text.
    pub prefix: Prefix,
    /// `-o`.
    pub only_matching: bool,
}

impl DisplayConfig {
    /// The printer for this display and query, laid out as the command says: the one
    /// place a printer is built from the resolved configuration.
    pub fn printer(&self, filter: &FilterConfig, layout: Layout) -> Printer {
        Printer {
            mode: self.mode,
            color: self.color,
            expand: self.expand,
            show_file: layout.show_file,
            need_ts: layout.need_ts,
            highlight: filter.query.highlight.clone(),
            time: self.time.clone(),
            prefix: layout.prefix,
            only_matching: layout.only_matching,
        }
    }
}

/// Whether stderr is a terminal (for progress bars and status lines).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Refuses `--since` after `--until`: almost always a swapped pair. (Equal times are
/// an empty window, kept as asked.)
fn check_window(args: &FilterArgs, since: Option<i64>, until: Option<i64>) -> Result<()> {
    match (since, until, &args.since, &args.until) {
        (Some(s), Some(u), Some(a), Some(b)) if s > u => {
            Err(Error::new("--since", format!("{a} is after --until {b}")))
        }
        _ => Ok(()),
    }
}

/// Refuses saved filters whose windows, intersected with each other and the flags,
/// leave `since` after `until`.
fn check_saved_window(names: &[String], since: Option<i64>, until: Option<i64>) -> Result<()> {
    match (since, until) {
        (Some(s), Some(u)) if s > u && !names.is_empty() => Err(Error::new(
            format!("--filter {}", names.join(", ")),
            "its time window does not overlap the other --since/--until",
        )),
        _ => Ok(()),
    }
}

/// A saved filter's name and one of its window bounds.
type SavedBound = (String, String);
/// A saved filter's query text and its parsed tree.
type SavedQuery = (String, Expr);

/// What the saved filters of a command add: their queries, window bounds and toggles.
#[derive(Default)]
struct Saved {
    parts: Vec<SavedQuery>,
    since: Vec<SavedBound>,
    until: Vec<SavedBound>,
    /// Any of them was saved with `--regex`.
    regex: bool,
    /// Any of them was saved with `--case-sensitive`.
    case_sensitive: bool,
}

/// The saved filters (`--filter NAME`): each non-empty query with its parsed tree,
/// the filters' window bounds and their toggles.
fn saved_filters(names: &[String]) -> Result<Saved> {
    let mut saved = Saved::default();
    for name in names {
        let f = crate::store::find_filter(name)?;
        let what = format!("--filter {name}");
        let expr = query::parse(&f.query).map_err(|e| query_error(&what, &f.query, &e))?;
        if !f.query.trim().is_empty() {
            saved.parts.push((f.query, expr));
        }
        saved.since.extend(f.since.map(|s| (name.clone(), s)));
        saved.until.extend(f.until.map(|u| (name.clone(), u)));
        saved.regex |= f.regex;
        saved.case_sensitive |= f.case_sensitive;
    }
    Ok(saved)
}

/// Terms from repeated flags (`-l ERROR -l '>=WARN'`): ORed together.
fn flag_terms(flag: &str, field: &str, values: &[String], opts: &Options) -> Result<Option<Node>> {
    if values.is_empty() {
        return Ok(None);
    }
    let mut alternatives = Vec::new();
    for value in values {
        let text = format!("{field}:{value}");
        let expr = query::parse(&text).map_err(|e| query_error(flag, &text, &e))?;
        let op = match &expr {
            Expr::Term(Term {
                kind: TermKind::Field { op, .. },
                ..
            }) => op.clone(),
            _ => FieldOp::Equals(value.clone()),
        };
        let target = match crate::format::alias::Field::from_query_name(field) {
            Some(f) => Target::Std(f),
            None => Target::Meta(field.to_string()),
        };
        let test = compile_field_op(&target, &op, opts).map_err(|e| Error::new(flag, e))?;
        alternatives.push(Node::Field(target, test));
    }
    Ok(Some(if alternatives.len() == 1 {
        alternatives.remove(0)
    } else {
        Node::Or(alternatives)
    }))
}

/// Keys of `config.toml`, each with the environment variable it sets (flags override
/// the variable, the variable overrides the file).
const CONFIG_KEYS: [(&str, &str); 6] = [
    ("paths", "COVET_LOGS_PATH"),
    ("format", "COVET_LOGS_FORMAT"),
    ("color", "COVET_LOGS_COLOR"),
    ("tz", "COVET_LOGS_TZ"),
    ("tail_count", "COVET_LOGS_TAIL_LINES"),
    ("index", "COVET_LOGS_INDEX"),
];

/// Reads `config.toml` from the config directory, if there is one, and turns each key
/// into the default that a flag overrides. Precedence: flag, then environment
/// variable, then the file, then the built-in default. A bad key or value is an error
/// naming it.
pub fn apply_config_file() -> Result<()> {
    let Ok(dir) = crate::store::config_dir() else {
        return Ok(());
    };
    let path = dir.join("config.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path.display().to_string(), &e)),
    };
    for (var, value) in
        parse_config(&text).map_err(|e| Error::new(path.display().to_string(), e))?
    {
        if std::env::var_os(var).is_none() {
            std::env::set_var(var, value);
        }
    }
    Ok(())
}

/// Validates `config.toml` and returns the variables it sets.
pub fn parse_config(text: &str) -> std::result::Result<Vec<(&'static str, String)>, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| e.to_string().lines().next().unwrap_or("").to_string())?;
    let mut out = Vec::new();
    for (key, value) in &table {
        if key == "fields" {
            continue; // field aliases: read by `format::user`
        }
        let Some(&(_, var)) = CONFIG_KEYS.iter().find(|(k, _)| k == key) else {
            let known: Vec<&str> = CONFIG_KEYS.iter().map(|(k, _)| *k).collect();
            return Err(format!(
                "unknown key '{key}' (expected {}, [fields])",
                known.join(", ")
            ));
        };
        let bad = |what: &str| format!("key '{key}': {what}");
        let text = match (key.as_str(), value) {
            ("paths", toml::Value::String(s)) => s.clone(),
            ("paths", toml::Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| bad("expected a list of paths"))
                })
                .collect::<std::result::Result<Vec<_>, _>>()?
                .join(":"),
            ("format", toml::Value::String(s))
                if ["auto", "json", "logfmt", "covet", "text", "plain"].contains(&s.as_str())
                    || crate::format::defs::by_name(s).is_some() =>
            {
                s.clone()
            }
            ("format", _) => {
                return Err(bad(
                    "expected auto, json, logfmt, covet, text, plain or a format `covet-logs formats` lists",
                ))
            }
            ("color" | "index", toml::Value::String(s))
                if ["auto", "always", "never"].contains(&s.as_str()) =>
            {
                s.clone()
            }
            ("color" | "index", _) => return Err(bad("expected auto, always or never")),
            ("tz", toml::Value::String(s)) => {
                timestamp::parse_tz(s).map_err(|e| bad(&e))?;
                s.clone()
            }
            ("tail_count", toml::Value::Integer(n)) if *n > 0 => n.to_string(),
            ("tail_count", _) => return Err(bad("expected a positive integer")),
            _ => return Err(bad("expected a string")),
        };
        out.push((var, text));
    }
    Ok(out)
}

#[cfg(test)]
mod config_file_tests {
    use super::parse_config;

    #[test]
    fn keys_values_and_errors() {
        let mut ok = parse_config("paths = [\"a.log\", \"logs\"]\nformat = \"json\"\ncolor = \"never\"\ntz = \"+02:00\"\ntail_count = 5\n")
            .expect("valid");
        ok.sort();
        assert_eq!(
            ok,
            vec![
                ("COVET_LOGS_COLOR", "never".to_string()),
                ("COVET_LOGS_FORMAT", "json".to_string()),
                ("COVET_LOGS_PATH", "a.log:logs".to_string()),
                ("COVET_LOGS_TAIL_LINES", "5".to_string()),
                ("COVET_LOGS_TZ", "+02:00".to_string()),
            ]
        );
        let cases = [
            ("colour = \"never\"", "unknown key 'colour'"),
            ("format = \"xml\"", "key 'format'"),
            ("tail_count = 0", "key 'tail_count'"),
            ("tz = \"Mars/Olympus\"", "key 'tz'"),
            ("paths = [1]", "key 'paths'"),
            ("format = ", ""),
        ];
        for (text, want) in cases {
            let err = parse_config(text).expect_err(text);
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}

#[cfg(test)]
mod positional_tests {
    use std::path::PathBuf;

    use super::{shaped_like_file_name, Legacy, Positionals};

    #[test]
    fn file_name_shapes() {
        for (text, want) in [
            ("app.log", true),
            ("x.jsonl.gz", true),
            ("logs/a", true),
            ("./a", true),
            ("level:ERROR", false),
            ("timeout", false),
            ("1.5", false),
            ("a b.log", false),
            ("\"x.log\"", false),
            ("msg:x.log", false),
            (".hidden", false),
            ("", false),
        ] {
            assert_eq!(shaped_like_file_name(text), want, "{text:?}");
        }
    }

    /// A first positional that is not UTF-8 cannot be a query: it is the first path,
    /// on every command (`tail $'\xff.log'`).
    #[cfg(unix)]
    #[test]
    fn a_first_positional_that_is_not_text_is_a_path() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"a\xff.log");
        for legacy in [Legacy::QueryFirst, Legacy::PathsOnly] {
            let got = Positionals::split(Some(name), false, &[PathBuf::from("b")], legacy);
            assert_eq!(got.query, None);
            assert_eq!(got.paths, vec![PathBuf::from(name), PathBuf::from("b")]);
            assert!(got.query_is_input);
        }
    }

    /// The split for each rule, on positionals that name no existing path (an
    /// existing file is covered by tests/cli_grammar.rs, which runs in a directory).
    #[test]
    fn query_first_or_paths() {
        let p = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        let split = |q: Option<&str>, opt: bool, rest: &[&str], legacy| {
            let got = Positionals::split(q.map(std::ffi::OsStr::new), opt, &p(rest), legacy);
            (got.query, got.paths, got.query_is_input)
        };
        let none: Option<String> = None;
        let q = |s: &str| Some(s.to_string());
        for legacy in [Legacy::QueryFirst, Legacy::PathsOnly] {
            // A query, then paths.
            assert_eq!(
                split(Some("level:ERROR"), false, &["nope/a.log"], legacy),
                (q("level:ERROR"), p(&["nope/a.log"]), false)
            );
            // -q: every positional is a path, and nothing is said.
            assert_eq!(
                split(Some("nope/a.log"), true, &["b"], legacy),
                (none.clone(), p(&["nope/a.log", "b"]), false)
            );
            // A bare word alone is the query.
            assert_eq!(
                split(Some("timeout"), false, &[], legacy),
                (q("timeout"), p(&[]), false)
            );
        }
        // A lone missing file name: the query for search (rg), a path for the others.
        assert_eq!(
            split(Some("nope/a.log"), false, &[], Legacy::QueryFirst),
            (q("nope/a.log"), p(&[]), false)
        );
        assert_eq!(
            split(Some("nope/a.log"), false, &[], Legacy::PathsOnly),
            (none.clone(), p(&["nope/a.log"]), true)
        );
        // `-` first starts the paths on the path-first commands.
        assert_eq!(
            split(Some("-"), false, &["nope/a.log"], Legacy::PathsOnly),
            (none, p(&["-", "nope/a.log"]), true)
        );
    }
}

#[cfg(test)]
mod filter_tests {
    use super::*;
    use crate::entry::Entry;
    use crate::query::eval;

    fn matches(f: &FilterConfig, line: &str) -> bool {
        let entry = Entry {
            raw: line.as_bytes(),
            offset: 0,
            line: 1,
        };
        let parse = |raw| Format::Json.parse(raw, &f.ctx);
        eval::matches(&f.query.root, &entry, &mut None, &parse, Format::Json)
    }

    #[test]
    fn another_window_is_the_same_query_over_those_values() {
        let args = FilterArgs {
            query_opt: Some("disk".to_string()),
            levels: vec!["ERROR".to_string()],
            since: Some("2024-01-15T10:00:00Z".to_string()),
            ..FilterArgs::default()
        };
        let f = FilterConfig::new(&args, None).unwrap();
        let at_ten = 1_705_312_800_000_000_000i64;
        assert_eq!(f.window, (Some(at_ten), None));
        let hour = 3_600_000_000_000i64;
        let wide = f.with_window(&args, Some(at_ten - hour), None).unwrap();
        assert_eq!(wide.window, (Some(at_ten - hour), None));
        assert_eq!(wide.query_text, "disk");
        let line = |t: &str, level: &str| {
            format!(r#"{{"time":"{t}","level":"{level}","msg":"disk full"}}"#)
        };
        let before = line("2024-01-15T09:30:00Z", "ERROR");
        assert!(!matches(&f, &before) && matches(&wide, &before));
        // The flags and the query still apply in the other window.
        assert!(!matches(&wide, &line("2024-01-15T09:30:00Z", "INFO")));
        assert!(!matches(
            &wide,
            r#"{"time":"2024-01-15T09:30:00Z","level":"ERROR","msg":"cpu"}"#
        ));
    }

    /// A filter sent to another process as a `FilterSpec` decides every line as the
    /// filter it came from: query, flags, case rule, regex words, window, relative time.
    #[test]
    fn a_filter_compiled_from_its_spec_decides_as_the_original() {
        let line = |t: &str, level: &str, svc: &str, msg: &str| {
            format!(r#"{{"time":"{t}","level":"{level}","service":"{svc}","msg":"{msg}"}}"#)
        };
        let lines = [
            line("2024-01-15T10:30:00Z", "ERROR", "api", "Disk full"),
            line("2024-01-15T10:30:00Z", "ERROR", "db", "disk full"),
            line("2024-01-15T09:30:00Z", "ERROR", "api", "disk full"),
            line("2024-01-15T10:30:00Z", "INFO", "api", "disk full"),
            line("2024-01-15T11:30:00Z", "WARN", "api", "d.sk full"),
            line("2024-01-15T10:30:00Z", "FATAL", "api", "cpu"),
        ];
        let cases = [
            cases_first(),
            FilterArgs {
                query_opt: Some("Disk -service:db".to_string()),
                case_sensitive: true,
                ..FilterArgs::default()
            },
            FilterArgs {
                query_opt: Some("d.sk timestamp:<1h".to_string()),
                regex: true,
                ..FilterArgs::default()
            },
        ];
        for args in cases {
            let f = FilterConfig::new(&args, None).unwrap();
            let spec = f.spec();
            let back = FilterConfig::from_spec(&spec).unwrap();
            assert_eq!(back.spec(), spec);
            assert_eq!(back.window, f.window);
            let decided =
                |f: &FilterConfig| lines.iter().map(|l| matches(f, l)).collect::<Vec<_>>();
            assert_eq!(decided(&back), decided(&f), "{:?}", args.query_opt);
        }
        // The first case matches what it should (not both sides equally wrong).
        let f = FilterConfig::from_spec(&FilterConfig::new(&cases_first(), None).unwrap().spec())
            .unwrap();
        let got: Vec<bool> = lines.iter().map(|l| matches(&f, l)).collect();
        assert_eq!(got, [true, false, false, false, true, false]);
        let regex = FilterConfig::new(
            &FilterArgs {
                query_opt: Some("d.sk".to_string()),
                regex: true,
                ..FilterArgs::default()
            },
            None,
        )
        .unwrap();
        let got: Vec<bool> = lines.iter().map(|l| matches(&regex, l)).collect();
        assert_eq!(got, [true, true, true, true, true, false]);
    }

    fn cases_first() -> FilterArgs {
        FilterArgs {
            query_opt: Some("disk OR d.sk".to_string()),
            levels: vec![">=WARN".to_string()],
            services: vec!["api".to_string()],
            since: Some("2024-01-15T10:00:00Z".to_string()),
            until: Some("2024-01-15T12:00:00Z".to_string()),
            ..FilterArgs::default()
        }
    }

    #[test]
    fn the_printer_takes_the_display_the_query_and_the_layout() {
        let args = FilterArgs {
            query_opt: Some("timeout".to_string()),
            ..FilterArgs::default()
        };
        let f = FilterConfig::new(&args, None).unwrap();
        let display = DisplayConfig {
            mode: Mode::Raw,
            color: false,
            expand: true,
            time: TimeStyle::default(),
        };
        let layout = Layout {
            show_file: true,
            need_ts: true,
            prefix: Prefix {
                file: true,
                line: true,
                context: false,
            },
            only_matching: true,
        };
        let p = display.printer(&f, layout);
        assert_eq!(p.mode, Mode::Raw);
        assert!(p.expand && p.show_file && p.need_ts && p.only_matching);
        assert_eq!(p.prefix, layout.prefix);
        assert!(p.highlight.is_some_and(|h| h.is_match(b"a TIMEOUT here")));
    }
}
