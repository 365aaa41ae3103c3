//! Property tests (proptest) of the library's internals, run as unit tests of the
//! crate: the invariants the hostile-input cases of issue 10 broke one by one, so the
//! next break is found by a generator, not by a user:
//!
//! - the query printer and parser round-trip (generated trees and generated strings);
//! - every format parser and format detection take arbitrary bytes without panicking,
//!   and the entries the scanner cuts cover every byte of the input (only blank lines
//!   fall between entries);
//! - a chunked parallel scan, mapped or streamed, equals a sequential one for any
//!   chunk size;
//! - the collecting sink behind `context` keeps the nearest matches whatever the
//!   chunking.
//! - the fast paths of issue 16 equal the full parse on random JSON lines (escapes,
//!   duplicate keys, nested objects, numbers as strings, unicode, cut lines): a
//!   metadata term answered from the bytes (`query::probe`) sees `Record::lookup`'s
//!   values, and the `--json` metadata object written from the bytes
//!   (`sink::metajson`) is `Record::metadata_json`'s, byte for byte.
//!
//! The arbitrary-bytes checks double as fuzzing in CI: the case count comes from
//! `PROPTEST_CASES` (`.ci/run` raises it for `cargo test --lib properties::`), with
//! small defaults so `cargo test` stays quick. The properties that run the binary
//! (export then search, merged search) are in `tests/properties.rs`; the `fuzz/`
//! directory holds the same entry points as cargo-fuzz targets.

use std::sync::Mutex;

use proptest::prelude::*;

use covet_gen::GenFormat;

use crate::format::alias::Field;
use crate::format::timestamp::{self, TimeCtx, Tz};
use crate::format::{self, Format};
use crate::input::Input;
use crate::query::ast::{CmpOp, Expr, FieldOp, Term, TermKind};
use crate::query::{self, Options, Query};
use crate::scan::{self, region, ScanConfig};
use crate::sink::collect::{Collected, Collector};
use crate::sink::Sink;
use crate::sink::{Hit, Source};
use crate::util::{gen_bytes, gen_cfg, proptest_config as config, Dir};

// ---------------------------------------------------------------------------------
// Shared setup
// ---------------------------------------------------------------------------------

/// A fixed context, so results do not depend on the host's zone or the year.
fn ctx() -> TimeCtx {
    TimeCtx {
        tz: Tz::Utc,
        year: 2024,
        reference: 0,
    }
}

const FORMATS: [Format; 5] = [
    Format::Json,
    Format::Logfmt,
    Format::Covet,
    Format::Text,
    Format::Plain,
];

fn compile(q: &str) -> Query {
    let expr = query::parse(q).unwrap_or_else(|e| panic!("query {q:?}: {e}"));
    let opts = Options {
        case_sensitive: false,
        regex_words: false,
        ctx: ctx(),
        now_ns: 1_700_000_000_000_000_000,
    };
    query::compile(&expr, Vec::new(), &opts).unwrap_or_else(|e| panic!("query {q:?}: {e}"))
}

fn scan_config(query: &Query, format: Option<Format>, chunk_size: usize) -> ScanConfig<'_> {
    ScanConfig {
        query,
        ctx: ctx(),
        format,
        threads: 2,
        chunk_size,
        need_lines: true,
        window: (None, None),
        no_mmap: false,
        progress: None,
        entries: None,
        debug: false,
        max_entry: crate::scan::MAX_ENTRY,
        plan: None,
        levels: None,
        ends: None,
    }
}

/// One entry as a sink saw it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    offset: u64,
    line: u64,
    raw: Vec<u8>,
    terminator: Vec<u8>,
}

/// A sink that keeps every match and reads every parsed field of it, so a parser
/// that panics on some input is found here. With `combines`, its parts combine: a
/// mapped scan then folds chunks on each thread and reduces the parts pairwise (the
/// path `stats` takes), which must keep input order.
struct Collect {
    combines: bool,
}

/// `Collect` as the scanner's per-chunk parts.
const COLLECT: Collect = Collect { combines: false };

impl Sink for Collect {
    type Part = Vec<Seen>;

    fn part(&self) -> Vec<Seen> {
        Vec::new()
    }

    fn matched(
        &self,
        part: &mut Vec<Seen>,
        hit: &mut Hit,
        _source: &Source,
    ) -> Result<bool, crate::error::Error> {
        touch_every_field(hit);
        part.push(Seen {
            offset: hit.entry.offset,
            line: hit.entry.line,
            raw: hit.entry.raw.to_vec(),
            terminator: hit.terminator.to_vec(),
        });
        Ok(true)
    }

    fn combines(&self) -> bool {
        self.combines
    }

    fn combine(&self, part: &mut Vec<Seen>, next: Vec<Seen>) {
        part.extend(next);
    }
}

/// Decodes every standard field, the metadata and a few lookups of a record.
fn touch_every_field(hit: &mut Hit<'_, '_>) {
    let rec = hit.record();
    let _ = (rec.ts(), rec.level(), rec.message(), rec.tags());
    for field in [
        Field::Id,
        Field::Timestamp,
        Field::Service,
        Field::Source,
        Field::TraceId,
        Field::UserId,
    ] {
        let _ = rec.text(field);
    }
    let _ = rec.metadata_json();
    for name in ["a", "a.b", "level", "msg", "x.y.z", ""] {
        let _ = rec.lookup(name);
    }
}

/// Scans `buf` in one region, sequentially, with `format`.
fn scan_sequential(buf: &[u8], format: Format, query: &Query) -> Vec<Seen> {
    let cfg = scan_config(query, Some(format), usize::MAX);
    let source = Source {
        name: "buf".to_string(),
        index: 0,
        format,
    };
    let mut part = Vec::new();
    region::scan_region(buf, 0, 1, &source, &cfg, &COLLECT, &mut part).expect("scan");
    part
}

/// Scans a file through the public entry point, parts concatenated in order.
fn scan_file(input: &Input, cfg: &ScanConfig<'_>) -> Vec<Seen> {
    scan_file_with(input, cfg, &COLLECT)
}

fn scan_file_with<S: Sink<Part = Vec<Seen>>>(
    input: &Input,
    cfg: &ScanConfig<'_>,
    sink: &S,
) -> Vec<Seen> {
    let mut all = Vec::new();
    scan::scan_input(input, 0, cfg, sink, &mut |part| {
        all.extend(part);
        Ok(true)
    })
    .expect("scan");
    all
}

/// Every byte of `buf` is in an entry (its text or its terminator), in order, except
/// blank lines, which are not entries.
fn assert_entries_cover(buf: &[u8], seen: &[Seen], what: &str) {
    let mut pos = 0usize;
    for s in seen {
        let at = usize::try_from(s.offset).expect("offset");
        assert!(at >= pos, "{what}: entry at {at} overlaps the previous one");
        assert_only_blank_lines(&buf[pos..at], what, pos);
        let end = at + s.raw.len();
        assert_eq!(&buf[at..end], &s.raw[..], "{what}: entry text at {at}");
        let term_end = end + s.terminator.len();
        assert_eq!(&buf[end..term_end], &s.terminator[..], "{what}: terminator");
        // A final `\r` without `\n` counts as a terminator, as it does before `\n`.
        let at_end = term_end == buf.len();
        assert!(
            matches!(&s.terminator[..], b"\n" | b"\r\n") || at_end && s.terminator.len() <= 1,
            "{what}: odd terminator {:?} at {end}",
            s.terminator
        );
        pos = term_end;
    }
    assert_only_blank_lines(&buf[pos..], what, pos);
}

fn assert_only_blank_lines(gap: &[u8], what: &str, at: usize) {
    let blank = gap
        .split_inclusive(|&b| b == b'\n')
        .all(|l| matches!(l, b"\n" | b"\r\n" | b"\r"));
    assert!(
        blank,
        "{what}: bytes {at}..{} are in no entry: {gap:?}",
        at + gap.len()
    );
}

// ---------------------------------------------------------------------------------
// (a) The query printer and parser round-trip
// ---------------------------------------------------------------------------------

/// The tree with every span zeroed (spans depend on spacing, not on meaning).
fn without_spans(e: &Expr) -> Expr {
    match e {
        Expr::And(v) => Expr::And(v.iter().map(without_spans).collect()),
        Expr::Or(v) => Expr::Or(v.iter().map(without_spans).collect()),
        Expr::Not(inner) => Expr::Not(Box::new(without_spans(inner))),
        Expr::Term(t) => Expr::Term(Term {
            kind: t.kind.clone(),
            span: (0, 0),
        }),
    }
}

fn term(kind: TermKind) -> Expr {
    Expr::Term(Term { kind, span: (0, 0) })
}

/// A bare word as the lexer reads one: not a keyword, no whitespace, no `:` (that
/// would make a field), no leading `-`, `"`, `(` or `/`.
fn arb_word() -> impl Strategy<Value = String> {
    "[a-z0-9é日_.*?|<>=~][a-z0-9é日_.*?|<>=~/\\\\(-]{0,6}"
        .prop_filter("keyword", |w| !matches!(w.as_str(), "AND" | "OR" | "NOT"))
}

/// Any text: phrases and values are quoted by the printer when needed.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,8}",
        "[a\"\\\\ ()/.:~<>=*\t-]{0,8}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

/// Regex source as the lexer stores it: a `\` always keeps its next char (never
/// `/`, which is stored unescaped), and the source is never empty.
fn arb_regex() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z0-9 .*+()|é\"-]".prop_map(|s| s),
        Just("/".to_string()),
        "\\\\[dws.\\\\()\"]".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

fn arb_field_name() -> impl Strategy<Value = String> {
    "[a-z_@][a-z0-9_.@-]{0,5}"
}

fn arb_field_op() -> impl Strategy<Value = FieldOp> {
    let cmp = prop_oneof![
        Just(CmpOp::Gt),
        Just(CmpOp::Ge),
        Just(CmpOp::Lt),
        Just(CmpOp::Le)
    ];
    // A range bound is a raw value: the low end cannot hold `..` or end in `.`
    // (the first `..` splits), and the whole value cannot look like another op.
    let range = (
        prop::option::of("[a-z0-9:*-]{1,4}"),
        prop::option::of("[a-z0-9:.*/-]{1,4}"),
    )
        .prop_filter("one end", |(lo, hi)| lo.is_some() || hi.is_some());
    prop_oneof![
        arb_text().prop_map(FieldOp::Equals),
        arb_text().prop_map(FieldOp::Contains),
        arb_regex().prop_map(FieldOp::Regex),
        (cmp, arb_text()).prop_map(|(op, v)| FieldOp::Cmp(op, v)),
        range.prop_map(|(lo, hi)| FieldOp::Range(lo, hi)),
        Just(FieldOp::Exists),
    ]
}

fn arb_term() -> impl Strategy<Value = Expr> {
    prop_oneof![
        arb_word().prop_map(|text| term(TermKind::Text {
            text,
            quoted: false
        })),
        arb_text().prop_map(|text| term(TermKind::Text { text, quoted: true })),
        arb_regex().prop_map(|re| term(TermKind::Regex(re))),
        (arb_field_name(), arb_field_op())
            .prop_map(|(name, op)| term(TermKind::Field { name, op })),
    ]
}

/// Trees in the parser's normal form: `And`/`Or` have two or more children, none
/// of their own kind.
fn arb_expr() -> impl Strategy<Value = Expr> {
    arb_term().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| {
                Expr::And(
                    v.into_iter()
                        .flat_map(|e| match e {
                            Expr::And(items) => items,
                            other => vec![other],
                        })
                        .collect(),
                )
            }),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| {
                Expr::Or(
                    v.into_iter()
                        .flat_map(|e| match e {
                            Expr::Or(items) => items,
                            other => vec![other],
                        })
                        .collect(),
                )
            }),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

/// Query strings heavy in syntax, most of which do not parse.
fn arb_query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a"),
        Just("b"),
        Just("_"),
        Just("-"),
        Just("."),
        Just(".."),
        Just(":"),
        Just("~"),
        Just("*"),
        Just(">"),
        Just("<"),
        Just("="),
        Just("/"),
        Just("\\"),
        Just("\""),
        Just("("),
        Just(")"),
        Just(" "),
        Just("AND "),
        Just("OR "),
        Just("NOT "),
        Just("é"),
        Just("\u{202e}"),
        Just("0"),
        Just("level:"),
        Just("f:>"),
        Just("//"),
    ];
    prop::collection::vec(piece, 0..14).prop_map(|v| v.concat())
}

/// Parses what `expr` prints and checks that it is `expr` again (spans aside) and
/// prints the same way.
fn assert_round_trip(expr: &Expr) -> Result<(), TestCaseError> {
    let shown = expr.to_string();
    let again = query::parse(&shown)
        .map_err(|e| TestCaseError::fail(format!("{expr:?} printed as {shown:?}: {e}")))?;
    prop_assert_eq!(
        without_spans(&again),
        without_spans(expr),
        "printed as {:?}",
        shown
    );
    prop_assert_eq!(again.to_string(), shown);
    Ok(())
}

/// Trees that once printed as a different query.
#[test]
fn known_query_trees_round_trip() {
    let field = |op| {
        term(TermKind::Field {
            name: "a".to_string(),
            op,
        })
    };
    let cases = [
        // Printed `a:<=` (the value `=` glued to the operator) before the fix.
        field(FieldOp::Cmp(CmpOp::Lt, "=".to_string())),
        field(FieldOp::Cmp(CmpOp::Gt, "=x".to_string())),
    ];
    for expr in &cases {
        if let Err(e) = assert_round_trip(expr) {
            panic!("{e}");
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn query_tree_prints_and_parses_back(expr in arb_expr()) {
        assert_round_trip(&expr)?;
    }

    #[test]
    fn query_string_reparses_to_the_same_tree(q in arb_query_text()) {
        if let Ok(expr) = query::parse(&q) {
            assert_round_trip(&expr)?;
        }
    }
}

// ---------------------------------------------------------------------------------
// (b) Parsers and detection take any bytes, and entries cover the input
// ---------------------------------------------------------------------------------

/// Bytes that look like logs often enough to reach deep into each parser.
fn arb_log_bytes() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just(b"2024-01-15 14:23:45.123 [ERROR] svc a.rs:1 boom".to_vec()),
        Just(b"2015-10-18 18:01:47,978 INFO [main] x.y: started".to_vec()),
        Just(b"Jan 15 14:23:45 host sshd[1]: hi".to_vec()),
        Just(b"    at x.y(Z.java:1)".to_vec()),
        Just(b"{\"level\":\"warn\",\"msg\":\"a\\u00e9\",\"ts\":1705327425}".to_vec()),
        Just(b"{\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"@t\":\"2024-01-15T10:00:00Z\"".to_vec()),
        Just(b"level=info msg=\"a b\" ts=2024-01-15T10:00:00Z k=".to_vec()),
        Just(b"\xEF\xBB\xBF{".to_vec()),
        Just(Vec::new()),
        Just(b"\r".to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
        "[ -~]{0,40}".prop_map(String::into_bytes),
    ];
    (prop::collection::vec(line, 0..12), any::<bool>()).prop_map(|(lines, crlf)| {
        let sep: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        lines.join(sep)
    })
}

fn arb_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..300), arb_log_bytes()]
}

/// Each format parses every entry that the scanner cuts from `buf` (through the
/// collecting sink), and the entries cover the input.
fn check_every_format(buf: &[u8]) {
    let all = Query::all();
    let detected = format::detect(buf, &ctx());
    for format in FORMATS.into_iter().chain([detected]) {
        let seen = scan_sequential(buf, format, &all);
        assert_entries_cover(buf, &seen, &format.name());
        let _ = format.parse(buf, &ctx()).message().len();
    }
}

/// Inputs that once broke a parser or the scanner (none yet; add each new one).
const REGRESSIONS: &[&[u8]] = &[
    b"",
    b"\n",
    b"\r\n\r\n",
    b"\xEF\xBB\xBF",
    b"{\"a\":\"\\ud800\"}",
];

#[test]
fn known_hostile_inputs_parse() {
    for input in REGRESSIONS {
        check_every_format(input);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_format_takes_any_bytes_and_keeps_them(buf in arb_bytes()) {
        check_every_format(&buf);
    }

    #[test]
    fn query_parser_takes_any_text(q in any::<String>()) {
        match query::parse(&q) {
            Ok(expr) => {
                for t in expr.terms() {
                    prop_assert!(q.get(t.span.0..t.span.1).is_some(), "span {:?}", t.span);
                }
            }
            Err(e) => {
                prop_assert!(e.span.0 <= e.span.1 && e.span.1 <= q.len(), "{:?}", e);
                prop_assert!(q.is_char_boundary(e.span.0) && q.is_char_boundary(e.span.1));
                prop_assert_eq!(e.render(&q).lines().count(), 3);
            }
        }
    }

    #[test]
    fn timestamp_reader_takes_any_bytes(buf in arb_bytes(), s in any::<String>()) {
        let cx = ctx();
        let _ = timestamp::parse_leading(&buf, &cx);
        let _ = timestamp::parse_str(&buf, &cx);
        let _ = timestamp::rfc3339(&buf, &cx);
        let _ = timestamp::parse_user_time(&s, 1_700_000_000_000_000_000, &cx);
        let _ = timestamp::parse_tz(&s);
        if let Some((ns, len)) = timestamp::parse_leading(&buf, &cx) {
            prop_assert!(len <= buf.len());
            let _ = timestamp::format_rfc3339_ns(ns);
        }
    }

    #[test]
    fn timestamps_print_and_read_back(ns in -2_000_000_000_000_000_000i64..7_000_000_000_000_000_000) {
        let shown = timestamp::format_rfc3339_ns(ns);
        prop_assert_eq!(timestamp::rfc3339(shown.as_bytes(), &ctx()), Some(ns), "{}", shown);
    }
}

// ---------------------------------------------------------------------------------
// (c) A chunked parallel scan equals a sequential one
// ---------------------------------------------------------------------------------

/// Multi-line logs of every format mixed, and stretches of generated covet text.
fn arb_multiline_log() -> impl Strategy<Value = Vec<u8>> {
    let generated = (1usize..40, any::<u64>(), any::<bool>()).prop_map(|(n, seed, json)| {
        let f = if json {
            GenFormat::Json
        } else {
            GenFormat::Text
        };
        gen_bytes(&gen_cfg(n, seed, f))
    });
    prop_oneof![
        generated,
        arb_log_bytes(),
        prop::collection::vec(arb_log_bytes(), 1..6).prop_map(|v| v.join(&b"\n"[..])),
    ]
}

/// The queries the scan equality is checked with: none, a prefilter literal, a
/// field term, a negation and a disjunction.
const SCAN_QUERIES: &[&str] = &["", "boom", "level:ERROR", "-at", "at OR msg OR svc"];

/// A process-wide lock: scans share rayon's pool and the map guard table.
static SCANS: Mutex<()> = Mutex::new(());

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn chunked_scan_equals_sequential(
        buf in arb_multiline_log(),
        sizes in prop::collection::vec(1usize..400, 3),
    ) {
        let _lock = SCANS.lock().unwrap_or_else(|e| e.into_inner());
        let dir = Dir::new();
        let input = Input::File(dir.create("in.log", &buf));
        let format = format::detect(&buf, &ctx());
        for q in SCAN_QUERIES {
            let query = compile(q);
            let want = scan_sequential(&buf, format, &query);
            for size in sizes.iter().copied().chain([1, buf.len().max(1)]) {
                let mapped = scan_file(&input, &scan_config(&query, None, size));
                prop_assert_eq!(&mapped, &want, "mapped, query {:?}, chunk size {}", q, size);
                let mut folded_cfg = scan_config(&query, None, size);
                folded_cfg.need_lines = false;
                let folded = scan_file_with(&input, &folded_cfg, &Collect { combines: true });
                let unnumbered: Vec<Seen> =
                    want.iter().map(|s| Seen { line: 0, ..s.clone() }).collect();
                prop_assert_eq!(&folded, &unnumbered, "folded, query {:?}, chunk size {}", q, size);
                let mut streamed_cfg = scan_config(&query, Some(format), size);
                streamed_cfg.no_mmap = true;
                let streamed = scan_file(&input, &streamed_cfg);
                let mut whole_cfg = scan_config(&query, Some(format), usize::MAX >> 8);
                whole_cfg.no_mmap = true;
                let whole = scan_file(&input, &whole_cfg);
                prop_assert_eq!(&streamed, &whole, "streamed, query {:?}, chunk size {}", q, size);
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Bounded memory (case 13): found by benches/memory.sh
// ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(24))]

    /// The collecting sink behind `context` keeps the `keep` matches nearest to the
    /// center (the first ones without one) whatever the chunking: pruned per thread,
    /// combined, pruned again.
    #[test]
    fn bounded_collector_keeps_the_nearest(
        lines in 1usize..400,
        seed in any::<u64>(),
        keep in 1usize..50,
        size in 64usize..4096,
        pick in any::<prop::sample::Index>(),
        centered in any::<bool>(),
    ) {
        let _lock = SCANS.lock().unwrap_or_else(|e| e.into_inner());
        let buf = gen_bytes(&gen_cfg(lines, seed, GenFormat::Text));
        let dir = Dir::new();
        let input = Input::File(dir.create("in.log", &buf));
        let all = compile("");
        let everything = Collector { keep: usize::MAX, center: None };
        let mut truth = Collected::default();
        scan::scan_input(&input, 0, &scan_config(&all, None, usize::MAX >> 8), &everything, &mut |p| {
            everything.combine(&mut truth, p);
            Ok(true)
        })
        .expect("scan");
        let center = centered.then(|| truth.found[pick.index(truth.found.len())].ts).flatten();
        let mut want: Vec<(u64, u64)> = truth
            .found
            .iter()
            .map(|f| (center.map_or(0, |c| f.ts.map_or(u64::MAX, |t| t.abs_diff(c))), f.offset))
            .collect();
        want.sort();
        want.truncate(keep);
        let collector = Collector { keep, center };
        let mut cfg = scan_config(&all, None, size);
        cfg.need_lines = false;
        let mut got = Collected::default();
        scan::scan_input(&input, 0, &cfg, &collector, &mut |p| {
            collector.combine(&mut got, p);
            Ok(true)
        })
        .expect("scan");
        collector.prune(&mut got);
        let mut got_keys: Vec<(u64, u64)> = got
            .found
            .iter()
            .map(|f| (center.map_or(0, |c| f.ts.map_or(u64::MAX, |t| t.abs_diff(c))), f.offset))
            .collect();
        got_keys.sort();
        prop_assert_eq!(got_keys, want);
        prop_assert_eq!(got.dropped as usize + got.found.len(), truth.found.len());
    }
}

// ---------------------------------------------------------------------------------
// Fast paths against the full parse (issue 16): a metadata term answered from a JSON
// line's bytes (`query::probe`), and the `--json` metadata object serialized from them
// (`sink::metajson`)
// ---------------------------------------------------------------------------------

/// A key drawn from spellings of the names the properties ask for, and others.
fn arb_json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("status".to_string()),
        Just("Status".to_string()),
        Just("STATUS".to_string()),
        Just("duration_ms".to_string()),
        Just("durationMs".to_string()),
        Just("duration-ms".to_string()),
        Just("metadata".to_string()),
        Just("Metadata".to_string()),
        Just("metadata.status".to_string()),
        Just("level".to_string()),
        Just("msg".to_string()),
        Just("trace_id".to_string()),
        Just("st\\u0061tus".to_string()),
        Just("é_status".to_string()),
        Just("stringValue".to_string()),
        "[a-z]{1,6}",
    ]
}

/// A JSON value: numbers (negative, zero, large, fractions, exponents), numbers as
/// strings, strings with escapes and unicode, literals, nested objects and arrays.
fn arb_json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (-1_000_000i64..1_000_000).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (-1e6f64..1e6).prop_map(|f| format!("{f}")),
        (0u32..100_000).prop_map(|n| format!("\"{n}\"")),
        Just("-0".to_string()),
        Just("1e3".to_string()),
        Just("007".to_string()),
        Just("\"3e4\"".to_string()),
        Just("\"/api/v1/x\"".to_string()),
        Just("\"a \\\"q\\\" \\\\ \\u00e9 \\/api\"".to_string()),
        Just("\"ünï ☃ \\n\"".to_string()),
        Just("\"ERROR\"".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec((arb_json_key(), inner.clone()), 0..4).prop_map(|pairs| {
                let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", body.join(","))
            }),
            prop::collection::vec(inner, 0..3).prop_map(|items| format!("[{}]", items.join(","))),
        ]
    })
}

/// A JSON line: pairs with duplicate keys and spaces, sometimes cut short or preceded
/// by a byte order mark.
fn arb_json_line() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec((arb_json_key(), arb_json_value(), any::<bool>()), 0..8),
        0usize..3,
        any::<bool>(),
    )
        .prop_map(|(pairs, cut, bom)| {
            let body: Vec<String> = pairs
                .iter()
                .map(|(k, v, spaced)| match spaced {
                    true => format!(" \"{k}\" : {v} "),
                    false => format!("\"{k}\":{v}"),
                })
                .collect();
            let mut line = format!("{{{}}}", body.join(",")).into_bytes();
            line.truncate(line.len().saturating_sub(cut * 3));
            if bom {
                line.splice(0..0, *b"\xEF\xBB\xBF");
            }
            line
        })
}

/// The `--json` metadata object both ways: (from the bytes when taken, from the map).
fn metadata_both_ways(line: &[u8]) -> (Option<String>, String) {
    let rec = Format::Json.parse(line, &ctx());
    let map = serde_json::to_string(&rec.metadata_json()).expect("map");
    let raw = crate::sink::metajson::Metadata::of(&rec)
        .map(|m| serde_json::to_string(&m).expect("metadata"));
    (raw, map)
}

/// Lines proptest once found where the two ways differed, each kept as a fixed case.
#[test]
fn metadata_from_bytes_equals_the_map_on_found_cases() {
    let found: [&[u8]; 3] = [
        // Duplicates of one AnyValue key: the map's first-wins parse makes it an AnyValue.
        br#"{"metadata":{"stringValue":"3e4","stringValue":"3e4"}, "status" : -10000 }"#,
        br#"{"metadata":{"intValue":"1","intValue":"2","intValue":"3"},"x":1}"#,
        br#"{"metadata":{"stringValue":"a","other":"b"},"x":1}"#,
    ];
    for line in found {
        let (raw, map) = metadata_both_ways(line);
        if let Some(raw) = raw {
            assert_eq!(raw, map, "{}", String::from_utf8_lossy(line));
        }
    }
}

#[test]
fn generated_json_lines_take_the_fast_paths() {
    let buf = gen_bytes(&gen_cfg(2000, 5, GenFormat::Json));
    for line in buf.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
        let (raw, map) = metadata_both_ways(line);
        assert_eq!(
            raw.as_deref(),
            Some(map.as_str()),
            "{}",
            String::from_utf8_lossy(line)
        );
        for name in [
            "duration_ms",
            "status",
            "metadata.endpoint",
            "error",
            "nothing",
        ] {
            let full = crate::query::probe::tests::full(line, name);
            let probed = crate::query::probe::tests::probed(line, name);
            assert_eq!(
                probed,
                Some(full),
                "{name} in {}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// The probe offers a metadata test exactly the values the full parse's lookup
    /// gives, in the same order, or declines (only for a line with escapes).
    #[test]
    fn probe_agrees_with_the_full_parse(
        line in arb_json_line(),
        name in prop_oneof![
            Just("status"), Just("duration_ms"), Just("metadata.status"),
            Just("Duration-MS"), Just("metadata"), Just("metadata.level")
        ],
    ) {
        let want = crate::query::probe::tests::full(&line, name);
        match crate::query::probe::tests::probed(&line, name) {
            Some(got) => prop_assert_eq!(got, want),
            // Declined: only for escapes, or a line that is not an object.
            None => prop_assert!(
                line.contains(&b'\\') || !line.trim_ascii().starts_with(b"{"),
                "declined without escapes"
            ),
        }
    }

    /// The metadata object serialized from the bytes equals the map's, byte for byte,
    /// whenever it is taken.
    #[test]
    fn metadata_from_bytes_equals_the_map(line in arb_json_line()) {
        let (raw, map) = metadata_both_ways(&line);
        if let Some(raw) = raw {
            prop_assert_eq!(raw, map);
        }
    }
}
