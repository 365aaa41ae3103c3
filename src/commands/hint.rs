//! Hints after a search that matched nothing, so an empty result is not a silent one:
//! a field that no entry has (with the closest names that entries do have), and a time
//! window or level that left every entry out (with what the inputs span).
//!
//! Both read the inputs again, only when nothing matched and only file inputs (stdin
//! is gone by then); the lines are returned for the command to print.

use crate::cli::FilterArgs;
use crate::config::FilterConfig;
use crate::engine::each;
use crate::format::alias::Field;
use crate::format::timestamp;
use crate::input::Input;
use crate::query::ast::{Expr, FieldOp, Term, TermKind};
use crate::query::{self, Options, Query};
use crate::scan::{self, ScanConfig};
use crate::sink::count::Counter;
use crate::sink::fields::{FieldTable, Fields};
use crate::sink::span::{Span, SpanSink, LEVELS};

/// The names a user types for the standard fields, offered as corrections.
const STANDARD_NAMES: [&str; 11] = [
    "timestamp",
    "level",
    "message",
    "service",
    "source",
    "id",
    "trace_id",
    "span_id",
    "user_id",
    "request_id",
    "tags",
];

/// Most suggestions offered for one misspelled field.
const MAX_SUGGESTIONS: usize = 3;

/// The hint lines (without the `covet-logs: ` prefix) for a search that matched nothing.
pub fn after_no_match(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    args: &FilterArgs,
) -> Vec<String> {
    let files: Vec<Input> = inputs
        .iter()
        .filter(|i| matches!(i, Input::File(_)))
        .cloned()
        .collect();
    if files.is_empty() {
        return Vec::new();
    }
    let mut lines = missing_fields(&files, cfg, filter);
    if lines.is_empty() {
        lines.extend(excluded_by_window_or_level(&files, cfg, filter, args));
    }
    lines
}

/// Field names in the query that are not standard fields.
fn custom_fields(query_text: &str) -> Vec<String> {
    let Ok(expr) = query::parse(query_text) else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    for term in expr.terms() {
        if let TermKind::Field { name, .. } = &term.kind {
            if Field::from_query_name(name).is_none() && !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// `no entry has a field `levle`; did you mean `level`?` for each custom field that no
/// entry of the inputs has.
fn missing_fields(files: &[Input], cfg: &ScanConfig<'_>, filter: &FilterConfig) -> Vec<String> {
    let names = custom_fields(&filter.query_text);
    if names.is_empty() {
        return Vec::new();
    }
    let sample = sample_fields(files, cfg);
    let known = known_names(&sample);
    let mut lines = Vec::new();
    for name in names {
        if known.iter().any(|k| k.eq_ignore_ascii_case(&name)) || exists(files, cfg, filter, &name)
        {
            continue;
        }
        let close = closest(&name, &known);
        lines.push(match close.as_slice() {
            [] => format!("no entry has a field `{name}`"),
            _ => format!(
                "no entry has a field `{name}`; did you mean {}?",
                close
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        });
    }
    lines
}

/// Bytes of each input read for field names: a batch of two stream blocks this size.
const SAMPLE_CHUNK: usize = 512 << 10;

/// The fields of the first MiB of each input, read as a stream (a map would be cut into
/// chunks over the whole file first, touching all of it).
fn sample_fields(files: &[Input], cfg: &ScanConfig<'_>) -> FieldTable {
    let all = Query::all();
    let cfg = ScanConfig {
        threads: 1,
        chunk_size: SAMPLE_CHUNK,
        no_mmap: true,
        ..rescan(cfg, &all)
    };
    let mut table = FieldTable::default();
    for (i, input) in files.iter().enumerate() {
        let mut emit = |part: FieldTable| {
            table.merge(part);
            Ok(false)
        };
        let _ = scan::scan_input(input, i, &cfg, &Fields::default(), &mut emit);
    }
    table
}

/// Standard names, the sample's names, and the last part of dotted ones.
fn known_names(sample: &FieldTable) -> Vec<String> {
    let mut known: Vec<String> = STANDARD_NAMES.iter().map(|s| s.to_string()).collect();
    for name in sample.fields.keys() {
        for n in [name.as_str(), name.rsplit('.').next().unwrap_or(name)] {
            if !known.iter().any(|k| k == n) {
                known.push(n.to_string());
            }
        }
    }
    known
}

/// Whether any entry has the field (`name:*`). The entry's text must also hold the
/// longest part of the name between `_`, `-` and `.` (ignoring case), which gives the
/// scan a literal to search for, so only entries with it are parsed. (A key spelled
/// with separators elsewhere, `end_point` for `endpoint`, is missed: the hint then names
/// a field that is there, which only happens when the search matched nothing anyway.)
fn exists(files: &[Input], cfg: &ScanConfig<'_>, filter: &FilterConfig, name: &str) -> bool {
    let span = (0, name.len());
    let field = Expr::Term(Term {
        kind: TermKind::Field {
            name: name.to_string(),
            op: FieldOp::Exists,
        },
        span,
    });
    let part = name
        .split(['_', '-', '.'])
        .max_by_key(|p| p.len())
        .unwrap_or(name);
    let expr = match part.len() >= 2 && part.is_ascii() {
        true => Expr::And(vec![
            Expr::Term(Term {
                kind: TermKind::Text {
                    text: part.to_string(),
                    quoted: true,
                },
                span,
            }),
            field,
        ]),
        false => field,
    };
    any_match(files, cfg, filter, &expr)
}

/// Whether any entry matches `expr` (alone: no window), stopping at the first. An
/// expression that does not compile counts as matching (no hint then).
fn any_match(files: &[Input], cfg: &ScanConfig<'_>, filter: &FilterConfig, expr: &Expr) -> bool {
    let opts = Options {
        case_sensitive: false,
        regex_words: false,
        ctx: filter.ctx,
        now_ns: filter.now_ns,
    };
    let Ok(q) = query::compile(expr, Vec::new(), &opts) else {
        return true;
    };
    let cfg = rescan(cfg, &q);
    let mut found = false;
    let mut emit = |n: u64| {
        found |= n > 0;
        Ok(!found)
    };
    let _ = each::scan_inputs(files, &cfg, &Counter, &mut emit, &mut |_, _| Ok(true));
    found
}

/// The level tests that every match must pass: the `-l` values (ORed) and the
/// `level:` terms (or `OR`s of them) ANDed at the top of the query. `None` when there
/// are none.
fn level_terms(query_text: &str, flags: &[String]) -> Option<Expr> {
    let mut parts: Vec<Expr> = match query::parse(query_text) {
        Ok(Expr::And(items)) => items.into_iter().filter(is_level_term).collect(),
        Ok(e) if is_level_term(&e) => vec![e],
        _ => Vec::new(),
    };
    let flag_terms: Vec<Expr> = flags
        .iter()
        .filter_map(|v| query::parse(&format!("level:{v}")).ok())
        .collect();
    if !flag_terms.is_empty() {
        parts.push(Expr::Or(flag_terms));
    }
    (!parts.is_empty()).then_some(Expr::And(parts))
}

/// The known names closest to `name` by edit distance (transpositions count one),
/// within a third of its length.
fn closest(name: &str, known: &[String]) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .map(|k| (strsim::osa_distance(&lower, &k.to_ascii_lowercase()), k))
        .filter(|&(d, _)| d <= limit)
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, k)| k.clone())
        .collect()
}

/// When a time window or a level was asked: what the inputs span and hold, and where
/// the window starts or ends.
fn excluded_by_window_or_level(
    files: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    args: &FilterArgs,
) -> Vec<String> {
    let (since, until) = filter.window;
    let levels = level_terms(&filter.query_text, &args.levels);
    if since.is_none() && until.is_none() && levels.is_none() {
        return Vec::new();
    }
    // The level test stops at the first entry it matches; the span reads every entry,
    // so it runs only when it has something to say. When the level terms are the whole
    // search, the search already gave the answer: no entry is at the level asked.
    let level_excludes_all = levels
        .is_some_and(|e| search_was_level_test(filter, args) || !any_match(files, cfg, filter, &e));
    let windowed = since.is_some() || until.is_some();
    if !windowed && !level_excludes_all {
        return Vec::new();
    }
    let span = span_of(files, cfg, windowed);
    let mut lines = Vec::new();
    if let (Some(first), Some(last)) = (span.first, span.last) {
        let outside = since.is_some_and(|s| last < s) || until.is_some_and(|u| first >= u);
        if outside {
            let mut line = format!("inputs span {}", span_text(first, last));
            if let (Some(s), Some(text)) = (since, &args.since) {
                line.push_str(&format!("; --since {text} starts {}", time_text(s)));
            }
            if let (Some(u), Some(text)) = (until, &args.until) {
                line.push_str(&format!("; --until {text} ends {}", time_text(u)));
            }
            lines.push(line);
        }
    }
    if level_excludes_all && lines.is_empty() {
        let seen: Vec<String> = LEVELS
            .iter()
            .zip(span.levels)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| format!("{} {}", l.as_str(), super::thousands(n)))
            .collect();
        lines.push(match seen.is_empty() {
            true => "no entry at the level asked; no entry in the inputs has a level".to_string(),
            false => format!(
                "no entry at the level asked; levels in the inputs: {}",
                seen.join(", ")
            ),
        });
    }
    lines
}

/// Whether the search was nothing but the level tests of [`level_terms`] (no other
/// term, flag or window), so that its empty result says no entry is at the level asked.
fn search_was_level_test(filter: &FilterConfig, args: &FilterArgs) -> bool {
    let no_other_flags = args.services.is_empty()
        && args.sources.is_empty()
        && !args.case_sensitive
        && !args.regex
        && filter.window == (None, None);
    no_other_flags
        && match query::parse(&filter.query_text) {
            Ok(Expr::And(items)) => items.iter().all(is_level_term),
            Ok(e) => is_level_term(&e),
            Err(_) => false,
        }
}

/// Whether `e` is one `level:` term, or an `OR` of them.
fn is_level_term(e: &Expr) -> bool {
    match e {
        Expr::Or(items) => items.iter().all(is_level_term),
        Expr::Term(Term {
            kind: TermKind::Field { name, .. },
            ..
        }) => Field::from_query_name(name) == Some(Field::Level),
        _ => false,
    }
}

/// Whether the search can tally the levels of the entries it reads (`ScanConfig::levels`)
/// for [`after_no_match`], which then does not read the inputs again: when the search
/// is nothing but level tests (so it reads every entry's level and skips none).
pub fn tally_wanted(filter: &FilterConfig, args: &FilterArgs) -> bool {
    search_was_level_test(filter, args)
}

/// Entries per level of every entry, and with `times` their first and last timestamp
/// (without, the levels are read from the bytes where the format allows it). Without
/// times, a full tally of the search's own reading answers (nothing matched: it holds
/// every entry).
fn span_of(files: &[Input], cfg: &ScanConfig<'_>, times: bool) -> Span {
    if let Some(tally) = cfg.levels.filter(|t| !times && t.is_full()) {
        let (entries, levels) = tally.counts();
        return Span {
            entries,
            levels,
            ..Span::default()
        };
    }
    let all = Query::all();
    let cfg = rescan(cfg, &all);
    let mut span = Span::default();
    let mut emit = |part: Span| {
        span.merge(part);
        Ok(true)
    };
    let sink = SpanSink { times };
    let _ = each::scan_inputs(files, &cfg, &sink, &mut emit, &mut |_, _| Ok(true));
    span
}

/// `2024-01-15 00:00:00` (UTC, to the second).
fn time_text(ns: i64) -> String {
    let full = timestamp::format_display(ns, false);
    full.get(..19).unwrap_or(&full).to_string()
}

/// `2024-01-15 00:00:00 to 00:15:09`: the date once when both ends share it.
fn span_text(first: i64, last: i64) -> String {
    let (a, b) = (time_text(first), time_text(last));
    match (a.get(..10), b.get(..10)) {
        (Some(da), Some(db)) if da == db => format!("{a} to {}", &b[11..]),
        _ => format!("{a} to {b}"),
    }
}

/// The search's scan settings for another pass of the hints: `query` over the whole
/// inputs (no time window), without the progress bar or the summary's entry count.
fn rescan<'a>(cfg: &ScanConfig<'a>, query: &'a Query) -> ScanConfig<'a> {
    ScanConfig {
        query,
        window: (None, None),
        progress: None,
        entries: None,
        levels: None,
        ..*cfg
    }
}
