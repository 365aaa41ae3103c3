//! End-to-end tests of the `covet-logs` binary.
//!
//! Counts are checked against `covet_gen::truth` (the generator's own simple
//! implementation over its structs, or a second implementation computed here from
//! `gen::entries` + `gen::render`), never against the tool's own output. Whole outputs
//! are compared byte for byte with readable diffs; `--json` output is deserialized.

use crate::util;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};

use covet_gen::{self as gen, GenConfig, GenEntry, GenFormat, SERVICES};
use serde_json::Value;

use util::{
    assert_text_eq, gen_bytes, gen_cfg, gen_entries, render, render_all, truth_matching, ts_ms, Dir,
};

const SEED: u64 = 7;
const LINES: usize = 3000;

fn file_name(format: GenFormat) -> &'static str {
    match format {
        GenFormat::Json => "logs.jsonl",
        GenFormat::Text => "logs.log",
    }
}

/// A directory holding the same generated entries as JSON and in the covet text layout.
struct Fixture {
    dir: Dir,
    entries: Vec<GenEntry>,
}

impl Fixture {
    fn new(lines: usize) -> Fixture {
        let dir = Dir::new();
        for format in [GenFormat::Json, GenFormat::Text] {
            dir.create_gen(file_name(format), &gen_cfg(lines, SEED, format));
        }
        let entries = gen_entries(&gen_cfg(lines, SEED, GenFormat::Json));
        Fixture { dir, entries }
    }

    fn cfg(&self, format: GenFormat) -> GenConfig {
        gen_cfg(self.entries.len(), SEED, format)
    }

    /// The first value of an id field on an entry whose ids are visible in both formats.
    fn visible_id(&self, f: impl Fn(&GenEntry) -> &Option<String>) -> String {
        self.entries
            .iter()
            .filter(|e| gen::text_block_written(e))
            .find_map(|e| f(e).clone())
            .expect("an entry with that id in a written block")
    }
}

/// What a count should be.
enum Want {
    /// `gen::truth` of this query.
    Truth(String),
    /// `a OR b`, as truth(a) + truth(b) - truth(a b) (the truth language has no OR).
    Or(String, String),
    /// Computed in the test from the generated entries.
    Count(u64),
}

struct Case {
    /// Flags before `--`.
    flags: Vec<String>,
    query: String,
    want: Want,
}

fn same(q: &str) -> Case {
    Case {
        flags: vec![],
        query: q.to_string(),
        want: Want::Truth(q.to_string()),
    }
}

fn maps(q: &str, truth: &str) -> Case {
    Case {
        flags: vec![],
        query: q.to_string(),
        want: Want::Truth(truth.to_string()),
    }
}

fn or(q: &str, a: &str, b: &str) -> Case {
    Case {
        flags: vec![],
        query: q.to_string(),
        want: Want::Or(a.to_string(), b.to_string()),
    }
}

fn counted(q: &str, n: u64) -> Case {
    Case {
        flags: vec![],
        query: q.to_string(),
        want: Want::Count(n),
    }
}

fn with_flags(flags: &[&str], mut c: Case) -> Case {
    c.flags = flags.iter().map(|s| s.to_string()).collect();
    c
}

/// Runs `search -c FLAGS -- QUERY FILE` for every case and reports all mismatches at once
/// (count and exit code: 0 when something matched, 1 otherwise).
/// `check_counts` on the JSON and the text rendering.
fn check_counts_both(fx: &Fixture, cases: &[Case]) {
    for format in [GenFormat::Json, GenFormat::Text] {
        check_counts(fx, format, cases);
    }
}

fn check_counts(fx: &Fixture, format: GenFormat, cases: &[Case]) {
    let cfg = fx.cfg(format);
    let mut truth_queries: Vec<String> = Vec::new();
    for c in cases {
        match &c.want {
            Want::Truth(q) => truth_queries.push(q.clone()),
            Want::Or(a, b) => {
                truth_queries.push(a.clone());
                truth_queries.push(b.clone());
                truth_queries.push(format!("{a} {b}"));
            }
            Want::Count(_) => {}
        }
    }
    let refs: Vec<&str> = truth_queries.iter().map(String::as_str).collect();
    let mut truth = gen::truth(&cfg, &refs).into_iter();
    let mut failures = Vec::new();
    for c in cases {
        let want = match &c.want {
            Want::Truth(_) => truth.next().unwrap(),
            Want::Or(..) => {
                let (a, b, ab) = (
                    truth.next().unwrap(),
                    truth.next().unwrap(),
                    truth.next().unwrap(),
                );
                a + b - ab
            }
            Want::Count(n) => *n,
        };
        let out = fx
            .dir
            .command()
            .arg("search")
            .arg("-c")
            .args(&c.flags)
            .arg("--")
            .arg(&c.query)
            .arg(file_name(format))
            .run();
        let got = std::str::from_utf8(&out.stdout)
            .ok()
            .and_then(|s| s.strip_suffix('\n'))
            .and_then(|s| s.parse::<u64>().ok());
        let want_code = if want > 0 { 0 } else { 1 };
        if got != Some(want) || out.code != Some(want_code) || !out.stderr.is_empty() {
            failures.push(format!(
                "  {}\n    want {want} (exit {want_code}), got {:?} (exit {:?}) stderr {:?}",
                out.cmdline,
                got.map_or_else(|| out.stdout_str(), |n| n.to_string()),
                out.code,
                out.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {format:?} count(s) differ from the truth:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every query form the truth language supports, as (tool query, truth query).
fn truth_table(fx: &Fixture) -> Vec<Case> {
    let user = fx.visible_id(|e| &e.user_id);
    let req = fx.visible_id(|e| &e.request_id);
    let trace = fx.visible_id(|e| &e.trace_id);
    let span = fx.visible_id(|e| &e.span_id);
    let since = gen::format_timestamp(fx.entries[700].ts_ns);
    let until = gen::format_timestamp(fx.entries[2100].ts_ns);
    let window = format!("since:{since} until:{until}");
    vec![
        same(""),
        same("timeout"),
        same("TIMEOUT"),
        same("\"connection pool exhausted\""),
        same("\"Most Recent Call Last\""),
        same("level:ERROR"),
        same("level:error"),
        same("level:>=WARN"),
        same("level:<INFO"),
        same("level:<=INFO"),
        same("level:>warn service:covet-db"),
        same("-level:DEBUG"),
        maps("NOT level:DEBUG", "-level:DEBUG"),
        maps("level:WARN..ERROR", "level:>=WARN level:<=ERROR"),
        same("service:covet-db"),
        same("service:COVET-DB"),
        same("source:request.rs:42"),
        same("service:covet-db source:pool.rs:64"),
        same(&format!("user_id:{user}")),
        same(&format!("user_id:{}", user.to_uppercase())),
        same(&format!("request_id:{req}")),
        same(&format!("trace_id:{trace}")),
        same(&format!("span_id:{span}")),
        same("tags:slow"),
        same("tags:db"),
        same("-tags:api"),
        same("endpoint:/health"),
        same("endpoint:/api/v1/orders"),
        same("endpoint:\"/api/v1/auth/login\""),
        maps("metadata.endpoint:/health", "endpoint:/health"),
        maps(
            "metadata.endpoint:/api/v1/users/profile",
            "endpoint:/api/v1/users/profile",
        ),
        maps("metadata.duration_ms:>1000", "duration_ms:>1000"),
        same("duration_ms:>1000"),
        same("duration_ms:<=20"),
        same("duration_ms:>=2000 duration_ms:<10000"),
        same("status:200"),
        same("status:404"),
        same("status:>=500"),
        maps("status:500..599", "status:>=500 status:<=599"),
        same("error:*"),
        same("-error:*"),
        same("error:DatabaseTimeout"),
        same("error:requesttimeout"),
        same("level:ERROR timeout"),
        maps("level:ERROR AND timeout", "level:ERROR timeout"),
        same("TIMEOUT -level:ERROR"),
        same("duration_ms:<=20 status:200"),
        same("service:covet-api status:>=500 -tags:slow"),
        same("level:>=WARN -service:covet-db \"connection\""),
        maps(&format!("timestamp:>={since} timestamp:<{until}"), &window),
        with_flags(&["--since", &since, "--until", &until], maps("", &window)),
        with_flags(
            &["--since", &since, "--until", &until],
            maps("level:ERROR", &format!("level:ERROR {window}")),
        ),
    ]
}

#[test]
fn count_equals_truth_for_every_query_form_json() {
    let fx = Fixture::new(LINES);
    check_counts(&fx, GenFormat::Json, &truth_table(&fx));
}

#[test]
fn count_equals_truth_for_every_query_form_text() {
    let fx = Fixture::new(LINES);
    check_counts(&fx, GenFormat::Text, &truth_table(&fx));
}

#[test]
fn flags_and_camel_case_names_equal_query_terms() {
    let fx = Fixture::new(LINES);
    let user = fx.visible_id(|e| &e.user_id);
    let req = fx.visible_id(|e| &e.request_id);
    let trace = fx.visible_id(|e| &e.trace_id);
    let span = fx.visible_id(|e| &e.span_id);
    let cases = vec![
        maps(&format!("userId:{user}"), &format!("user_id:{user}")),
        maps(&format!("requestId:{req}"), &format!("request_id:{req}")),
        maps(&format!("traceId:{trace}"), &format!("trace_id:{trace}")),
        maps(&format!("spanId:{span}"), &format!("span_id:{span}")),
        with_flags(&["-l", "ERROR"], maps("", "level:ERROR")),
        with_flags(&["--level", "error"], maps("", "level:ERROR")),
        with_flags(&["-l", ">=WARN"], maps("", "level:>=WARN")),
        with_flags(&["-l", "ERROR", "-l", "FATAL"], maps("", "level:>=ERROR")),
        with_flags(&["-l", "DEBUG..INFO"], maps("", "level:<=INFO")),
        with_flags(&["-l", "ERROR"], maps("timeout", "level:ERROR timeout")),
        with_flags(&["--service", "covet-db"], maps("", "service:covet-db")),
        with_flags(
            &["--service", "covet-db", "--service", "covet-api"],
            or("", "service:covet-db", "service:covet-api"),
        ),
        with_flags(&["--source", "pool.rs:64"], maps("", "source:pool.rs:64")),
        with_flags(
            &["--service", "covet-db", "-l", ">=WARN"],
            maps("", "service:covet-db level:>=WARN"),
        ),
    ];
    check_counts_both(&fx, &cases);
    // `-q` takes the query, so every positional argument is a path.
    let out = fx
        .dir
        .command()
        .args([
            "search",
            "-c",
            "-q",
            "level:ERROR",
            "logs.jsonl",
            "logs.log",
        ])
        .run();
    let t = gen::truth(&fx.cfg(GenFormat::Json), &["level:ERROR"])[0]
        + gen::truth(&fx.cfg(GenFormat::Text), &["level:ERROR"])[0];
    assert_eq!(out.expect_code(0).count(), t, "{}", out.context());
}

#[test]
fn or_and_parentheses_equal_truth_unions() {
    let fx = Fixture::new(LINES);
    let cases = vec![
        or("level:ERROR OR level:FATAL", "level:ERROR", "level:FATAL"),
        or(
            "timeout OR \"connection refused\"",
            "timeout",
            "\"connection refused\"",
        ),
        or(
            "(level:ERROR OR level:FATAL) service:covet-db",
            "level:ERROR service:covet-db",
            "level:FATAL service:covet-db",
        ),
        or(
            "service:covet-db (tags:slow OR status:>=500)",
            "service:covet-db tags:slow",
            "service:covet-db status:>=500",
        ),
        or("tags:slow OR tags:retry", "tags:slow", "tags:retry"),
        maps("-(level:DEBUG OR level:INFO)", "level:>=WARN"),
        maps(
            "NOT (level:DEBUG OR level:INFO OR level:WARN)",
            "level:>=ERROR",
        ),
    ];
    check_counts_both(&fx, &cases);
}

#[test]
fn wildcard_service_equals_the_only_matching_service() {
    let matching: Vec<&str> = SERVICES
        .iter()
        .copied()
        .filter(|s| s.starts_with("covet-d"))
        .collect();
    assert_eq!(
        matching,
        ["covet-db"],
        "premise: one service matches covet-d*"
    );
    let fx = Fixture::new(LINES);
    let cases = vec![
        maps("service:covet-d*", "service:covet-db"),
        maps("service:COVET-D*", "service:covet-db"),
        maps("service:covet-?b", "service:covet-db"),
        maps(
            "service:covet-d* level:ERROR",
            "service:covet-db level:ERROR",
        ),
        maps("-service:covet-d*", "-service:covet-db"),
        with_flags(&["--service", "covet-d*"], maps("", "service:covet-db")),
    ];
    check_counts_both(&fx, &cases);
}

/// The message the tool sees for an entry: in the text layout, the stack trace lines
/// continue the message (the JSON block does not).
fn tool_message(e: &GenEntry, format: GenFormat) -> String {
    match (&e.multiline, format) {
        (Some(st), GenFormat::Text) => format!("{}\n{st}", e.message),
        _ => e.message.clone(),
    }
}

#[test]
fn message_contains_equals_a_count_over_generated_messages() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        let count = |needle: &str| {
            fx.entries
                .iter()
                .filter(|e| tool_message(e, format).to_lowercase().contains(needle))
                .count() as u64
        };
        let cases = vec![
            counted("message:~timeout", count("timeout")),
            counted("msg:~TIMEOUT", count("timeout")),
            counted("message:~\"pool exhausted\"", count("pool exhausted")),
            counted("message:~\"timed out\"", count("timed out")),
            counted(
                "-message:~timeout",
                fx.entries.len() as u64 - count("timeout"),
            ),
        ];
        check_counts(&fx, format, &cases);
    }
}

#[test]
fn regex_terms_equal_truth_unions() {
    let fx = Fixture::new(LINES);
    let cases = vec![
        or("/time(out|d)/", "timeout", "timed"),
        or("/TIME(OUT|D)/", "timeout", "timed"),
        with_flags(&["--regex"], or("time(out|d)", "timeout", "timed")),
        or(
            "level:ERROR /deadlock|refused/",
            "level:ERROR deadlock",
            "level:ERROR refused",
        ),
    ];
    check_counts_both(&fx, &cases);
}

#[test]
fn case_sensitive_flag_equals_exact_substring_count() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        let rendered: Vec<String> = fx
            .entries
            .iter()
            .map(|e| String::from_utf8(render(e, format)).unwrap())
            .collect();
        let exact = |needle: &str| rendered.iter().filter(|r| r.contains(needle)).count() as u64;
        for needle in ["Timeout", "timeout", "TIMEOUT"] {
            assert!(exact(needle) > 0, "premise: {needle} occurs");
        }
        assert_ne!(exact("Timeout"), exact("timeout"));
        let cases = vec![
            with_flags(&["-s"], counted("Timeout", exact("Timeout"))),
            with_flags(&["-s"], counted("timeout", exact("timeout"))),
            with_flags(&["--case-sensitive"], counted("TIMEOUT", exact("TIMEOUT"))),
            with_flags(
                &["-s"],
                counted("\"Connection refused\"", exact("Connection refused")),
            ),
            with_flags(&["-s"], counted("service:COVET-DB", 0)),
            with_flags(&["-s"], maps("service:covet-db", "service:covet-db")),
        ];
        check_counts(&fx, format, &cases);
    }
}

// ---------------------------------------------------------------------------------
// --json output
// ---------------------------------------------------------------------------------

const JSON_KEYS: [&str; 15] = [
    "id",
    "timestamp",
    "level",
    "service",
    "source",
    "message",
    "metadata",
    "traceId",
    "spanId",
    "userId",
    "requestId",
    "tags",
    "file",
    "line",
    "offset",
];

fn opt_str(m: &serde_json::Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).map(|v| match v {
        Value::String(s) => s.clone(),
        other => panic!("{k} is not a string: {other}"),
    })
}

/// Checks one `--json` object against the generated entry it came from.
fn check_json_entry(
    m: &serde_json::Map<String, Value>,
    e: &GenEntry,
    format: GenFormat,
    file: &str,
    line: u64,
    offset: u64,
) -> Result<(), String> {
    let mut errs: Vec<String> = m
        .keys()
        .filter(|k| !JSON_KEYS.contains(&k.as_str()))
        .map(|k| format!("unexpected key {k}"))
        .collect();
    let mut check = |what: &str, got: Value, want: Value| {
        if got != want {
            errs.push(format!("{what}: got {got}, want {want}"));
        }
    };
    let get = |k: &str| m.get(k).cloned().unwrap_or(Value::Null);
    let visible = format == GenFormat::Json || gen::text_block_written(e);
    let id = match format {
        GenFormat::Json => e.id.clone(),
        GenFormat::Text => format!("{file}:{line}"),
    };
    check("id", get("id"), Value::from(id));
    check(
        "timestamp",
        get("timestamp"),
        Value::from(gen::format_timestamp(e.ts_ns)),
    );
    check("level", get("level"), Value::from(e.level));
    check("service", get("service"), Value::from(e.service));
    check("source", get("source"), Value::from(e.source.as_str()));
    check(
        "message",
        get("message"),
        Value::from(tool_message(e, format)),
    );
    let tags = if visible { e.tags.clone() } else { vec![] };
    check("tags", get("tags"), serde_json::json!(tags));
    check("file", get("file"), Value::from(file));
    check("line", get("line"), Value::from(line));
    check("offset", get("offset"), Value::from(offset));
    for (key, v) in [
        ("traceId", &e.trace_id),
        ("spanId", &e.span_id),
        ("userId", &e.user_id),
        ("requestId", &e.request_id),
    ] {
        let want = if visible { v.clone() } else { None };
        if opt_str(m, key) != want {
            errs.push(format!("{key}: got {:?}, want {want:?}", m.get(key)));
        }
    }
    let want_meta: serde_json::Map<String, Value> = if visible {
        e.metadata.iter().cloned().collect()
    } else {
        serde_json::Map::new()
    };
    match m.get("metadata") {
        None if want_meta.is_empty() => {}
        Some(Value::Object(got)) if *got == want_meta && !got.is_empty() => {}
        got => errs.push(format!(
            "metadata: got {got:?}, want {}",
            Value::Object(want_meta)
        )),
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("; "))
    }
}

fn check_json_output(format: GenFormat) {
    let fx = Fixture::new(LINES);
    let file = file_name(format);
    let out = fx.dir.command().args(["search", "--json", "", file]).run();
    out.expect_code(0).expect_stderr_empty();
    let objs = out.json_lines();
    assert_eq!(objs.len(), fx.entries.len(), "one object per entry");
    let (mut line, mut offset) = (1u64, 0u64);
    let mut failures = Vec::new();
    for (i, (m, e)) in objs.iter().zip(&fx.entries).enumerate() {
        if let Err(why) = check_json_entry(m, e, format, file, line, offset) {
            failures.push(format!("entry {} ({}): {why}", i + 1, e.id));
        }
        let text = render(e, format);
        line += text.iter().filter(|&&b| b == b'\n').count() as u64;
        offset += text.len() as u64;
    }
    assert!(
        failures.is_empty(),
        "{} of {} {format:?} entries differ in --json output:\n{}",
        failures.len(),
        objs.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn json_output_fields_equal_generated_entries_json_input() {
    check_json_output(GenFormat::Json);
}

#[test]
fn json_output_fields_equal_generated_entries_text_input() {
    check_json_output(GenFormat::Text);
}

#[test]
fn json_output_with_query_is_the_matching_entries() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = fx.cfg(format);
        let want: Vec<String> = truth_matching(&cfg, &fx.entries, "level:ERROR timeout")
            .iter()
            .map(|e| gen::format_timestamp(e.ts_ns) + " " + &e.message)
            .collect();
        let out = fx
            .dir
            .command()
            .args(["search", "--json", "level:ERROR timeout", file_name(format)])
            .run();
        let got: Vec<String> = out
            .expect_code(0)
            .json_lines()
            .iter()
            .map(|m| {
                let msg = opt_str(m, "message").unwrap();
                let first = msg.split('\n').next().unwrap().to_string();
                opt_str(m, "timestamp").unwrap() + " " + &first
            })
            .collect();
        assert_eq!(got, want, "{format:?}");
    }
}

// ---------------------------------------------------------------------------------
// Whole outputs
// ---------------------------------------------------------------------------------

#[test]
fn piped_output_is_the_original_text_of_matching_entries() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = fx.cfg(format);
        for q in [
            "",
            "level:ERROR",
            "timeout",
            "tags:slow",
            "\"most recent call last\"",
            "error:* -level:FATAL",
        ] {
            let want = render_all(truth_matching(&cfg, &fx.entries, q), format);
            let out = fx
                .dir
                .command()
                .args(["search", "--", q, file_name(format)])
                .run();
            out.expect_stderr_empty();
            assert_text_eq(&format!("{format:?} query {q:?}"), &want, &out.stdout);
            out.expect_code(if want.is_empty() { 1 } else { 0 });
        }
    }
}

#[test]
fn text_layout_multiline_entries_are_printed_whole() {
    let fx = Fixture::new(LINES);
    // premise: the data has entries with a stack trace, a JSON block, and both
    let both = fx
        .entries
        .iter()
        .filter(|e| e.multiline.is_some() && gen::text_block_written(e))
        .count();
    assert!(both > 0, "premise: an entry with a stack trace and a block");
    let want = render_all(
        fx.entries
            .iter()
            .filter(|e| e.multiline.is_some() || gen::text_block_written(e)),
        GenFormat::Text,
    );
    // Select the multi-line entries by text: each has a stack trace (Python or Rust
    // frames) or a block opened by a `{` line.
    let q = "/(?m)^(\\{|Traceback|    at )/";
    let out = fx.dir.command().args(["search", "--", q, "logs.log"]).run();
    assert_text_eq("multi-line entries", &want, &out.stdout);
    out.expect_code(0);
}

// ---------------------------------------------------------------------------------
// Chunk boundaries and threads
// ---------------------------------------------------------------------------------

#[test]
fn chunk_sizes_and_threads_do_not_change_results() {
    let dir = Dir::new();
    let cfg = gen_cfg(1000, 11, GenFormat::Text);
    let bytes = dir.create_gen("chunks.log", &cfg);
    let entries = gen_entries(&cfg);
    let user = entries
        .iter()
        .filter(|e| gen::text_block_written(e))
        .find_map(|e| e.user_id.clone())
        .unwrap();
    let user_q = format!("user_id:{user}");
    let queries = ["", "level:>=ERROR", "\"most recent call last\"", &user_q];
    let truth = gen::truth(&cfg, &queries);
    for (qi, q) in queries.iter().enumerate() {
        let want = render_all(truth_matching(&cfg, &entries, q), GenFormat::Text);
        assert!(!want.is_empty(), "premise: {q} matches");
        let mut runs: Vec<(Vec<String>, bool)> = Vec::new();
        for chunk in [None, Some(1), Some(7), Some(64), Some(1000)] {
            for threads in ["1", "2"] {
                let mut flags = vec!["--threads".to_string(), threads.to_string()];
                if let Some(c) = chunk {
                    flags.push("--chunk-size".into());
                    flags.push(c.to_string());
                }
                runs.push((flags.clone(), false));
                if chunk.is_some() && threads == "2" {
                    let mut nm = flags.clone();
                    nm.push("--no-mmap".into());
                    runs.push((nm, false));
                    runs.push((flags, true));
                }
            }
        }
        for (flags, stdin) in runs {
            let file = if stdin { "-" } else { "chunks.log" };
            let mut cmd = dir.command();
            cmd.arg("search").args(&flags).arg("--").arg(q).arg(file);
            if stdin {
                cmd.stdin(bytes.clone());
            }
            let out = cmd.run();
            assert_text_eq(&out.cmdline, &want, &out.stdout);
            out.expect_code(0);
            let mut cmd = dir.command();
            cmd.args(["search", "-c"])
                .args(&flags)
                .arg("--")
                .arg(q)
                .arg(file);
            if stdin {
                cmd.stdin(bytes.clone());
            }
            let out = cmd.run();
            assert_eq!(out.count(), truth[qi], "{}", out.context());
        }
    }
}

// ---------------------------------------------------------------------------------
// Edge inputs
// ---------------------------------------------------------------------------------

#[test]
fn empty_file_counts_zero_and_exits_1() {
    let dir = Dir::new();
    dir.create("empty.log", "");
    let out = dir.command().args(["search", "-c", "x", "empty.log"]).run();
    out.expect_code(1).expect_stderr_empty();
    assert_eq!(out.count(), 0);
    let out = dir.command().args(["search", "", "empty.log"]).run();
    out.expect_code(1).expect_stderr_empty();
    assert!(out.stdout.is_empty(), "{}", out.context());
}

#[test]
fn last_entry_without_trailing_newline_is_found() {
    let dir = Dir::new();
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = gen_cfg(50, 3, format);
        let entries = gen_entries(&cfg);
        let mut bytes = gen_bytes(&cfg);
        assert_eq!(bytes.pop(), Some(b'\n'));
        let name = file_name(format);
        dir.create(name, &bytes);
        let last = entries.last().unwrap();
        let since = gen::format_timestamp(last.ts_ns);
        let want = render_all(
            truth_matching(&cfg, &entries, &format!("since:{since}")),
            format,
        );
        assert!(want.ends_with(&render(last, format)));
        let out = dir
            .command()
            .args(["search", "--since", &since, "", name])
            .run();
        out.expect_code(0);
        assert_text_eq(&format!("{format:?}"), &want, &out.stdout);
        if format == GenFormat::Json {
            let out = dir.command().args(["search", &last.id, name]).run();
            assert_text_eq("last id", &render(last, format), &out.stdout);
        }
        let out = dir.command().args(["search", "-c", "", name]).run();
        assert_eq!(out.count(), 50);
    }
}

#[test]
fn crlf_line_endings_parse_levels_and_messages() {
    let dir = Dir::new();
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = gen_cfg(500, 5, format);
        let entries = gen_entries(&cfg);
        let lf = gen_bytes(&cfg);
        let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n");
        let name = file_name(format);
        dir.create(name, &crlf);
        for q in [
            "level:ERROR",
            "level:>=WARN service:covet-db",
            "timeout",
            "tags:db",
        ] {
            let out = dir.command().args(["search", "-c", q, name]).run();
            assert_eq!(out.count(), gen::truth(&cfg, &[q])[0], "{}", out.context());
        }
        // --json: levels and messages without carriage returns
        let out = dir.command().args(["search", "--json", "", name]).run();
        let objs = out.expect_code(0).json_lines();
        assert_eq!(objs.len(), entries.len());
        for (m, e) in objs.iter().zip(&entries) {
            assert_eq!(m["level"], e.level, "{format:?} {}", e.id);
            let msg = opt_str(m, "message").unwrap();
            let first = msg.split('\n').next().unwrap();
            assert_eq!(first, e.message, "{format:?} {}", e.id);
        }
        // piped output: the original entries, apart from line terminators
        let q = "level:ERROR";
        let want = render_all(truth_matching(&cfg, &entries, q), format);
        let out = dir.command().args(["search", q, name]).run();
        let got = String::from_utf8(out.stdout.clone())
            .unwrap()
            .replace("\r\n", "\n");
        assert_text_eq(&format!("{format:?} CRLF"), &want, got.as_bytes());
    }
}

#[test]
fn crlf_piped_output_keeps_original_line_endings() {
    let dir = Dir::new();
    let text = "2024-01-15 00:00:00.000 [ERROR] covet-core x.rs:1 boom\r\n    at a (x.rs:1)\r\n2024-01-15 00:00:01.000 [INFO] covet-core x.rs:1 fine\r\n";
    dir.create("crlf.log", text);
    let out = dir.command().args(["search", "boom", "crlf.log"]).run();
    assert_text_eq(
        "CRLF entry",
        b"2024-01-15 00:00:00.000 [ERROR] covet-core x.rs:1 boom\r\n    at a (x.rs:1)\r\n",
        &out.stdout,
    );
    dir.create(
        "crlf.jsonl",
        "{\"level\":\"ERROR\",\"message\":\"disk full\"}\r\n",
    );
    let out = dir.command().args(["search", "disk", "crlf.jsonl"]).run();
    assert_text_eq(
        "CRLF JSON line",
        b"{\"level\":\"ERROR\",\"message\":\"disk full\"}\r\n",
        &out.stdout,
    );
}

#[test]
fn crlf_multiline_message_has_one_kind_of_line_separator() {
    let dir = Dir::new();
    dir.create(
        "crlf.log",
        "2024-01-15 00:00:00.000 [ERROR] covet-core x.rs:1 boom\r\n    at a (x.rs:1)\r\n    at b (x.rs:2)\r\n{\r\n  \"user_id\": \"user_1\"\r\n}\r\n",
    );
    let out = dir
        .command()
        .args(["search", "--json", "boom", "crlf.log"])
        .run();
    let objs = out.expect_code(0).json_lines();
    assert_eq!(objs[0]["userId"], "user_1");
    assert_eq!(
        objs[0]["message"],
        "boom\n    at a (x.rs:1)\n    at b (x.rs:2)"
    );
}

#[test]
fn invalid_utf8_in_a_message_is_searchable() {
    let dir = Dir::new();
    let mut json = b"{\"level\":\"INFO\",\"message\":\"before\"}\n".to_vec();
    let bad_json = b"{\"level\":\"ERROR\",\"message\":\"bad \xff\xfe\xc3 bytes near kestrel\"}\n";
    json.extend_from_slice(bad_json);
    json.extend_from_slice(b"{\"level\":\"INFO\",\"message\":\"after\"}\n");
    dir.create("bad.jsonl", &json);
    let bad_text =
        b"2024-01-15 00:00:01.000 [ERROR] covet-core x.rs:1 bad \xff\xfe\xc3 bytes near kestrel\n";
    let mut text = b"2024-01-15 00:00:00.000 [INFO] covet-core x.rs:1 before\n".to_vec();
    text.extend_from_slice(bad_text);
    text.extend_from_slice(b"2024-01-15 00:00:02.000 [INFO] covet-core x.rs:1 after\n");
    dir.create("bad.log", &text);
    for (name, line) in [("bad.jsonl", &bad_json[..]), ("bad.log", &bad_text[..])] {
        let out = dir.command().args(["search", "kestrel", name]).run();
        out.expect_code(0).expect_stderr_empty();
        assert_text_eq(name, line, &out.stdout);
        let out = dir
            .command()
            .args(["search", "-c", "level:ERROR bytes", name])
            .run();
        assert_eq!(out.count(), 1, "{}", out.context());
        let out = dir
            .command()
            .args(["search", "--json", "kestrel", name])
            .run();
        let objs = out.expect_code(0).json_lines();
        assert_eq!(objs.len(), 1);
        let msg = opt_str(&objs[0], "message").unwrap();
        assert!(
            msg.starts_with("bad ") && msg.ends_with(" bytes near kestrel"),
            "{msg:?}"
        );
        assert_eq!(objs[0]["level"], "ERROR");
    }
}

#[test]
fn nul_bytes_are_searchable() {
    let dir = Dir::new();
    let line = b"{\"level\":\"WARN\",\"message\":\"nul \x00 inside\x00 near osprey\"}\n";
    let mut json = b"{\"level\":\"INFO\",\"message\":\"first\"}\n".to_vec();
    json.extend_from_slice(line);
    dir.create("nul.jsonl", &json);
    let plain = b"plain line one\nsecond \x00\x00 line with heron\nthird\n";
    dir.create("nul.txt", plain);
    let out = dir.command().args(["search", "osprey", "nul.jsonl"]).run();
    out.expect_code(0).expect_stderr_empty();
    assert_text_eq("NUL json", line, &out.stdout);
    let out = dir
        .command()
        .args(["search", "-c", "level:WARN", "nul.jsonl"])
        .run();
    assert_eq!(out.count(), 1);
    let out = dir.command().args(["search", "heron", "nul.txt"]).run();
    out.expect_code(0).expect_stderr_empty();
    assert_text_eq(
        "NUL text",
        b"second \x00\x00 line with heron\n",
        &out.stdout,
    );
}

#[test]
fn ten_megabyte_line_is_matched_by_a_word_at_its_end() {
    let dir = Dir::new();
    let mut msg = "lorem ipsum dolor ".repeat(10 * 1024 * 1024 / 18);
    msg.push_str("zebrafinch");
    let big = format!(
        "{{\"timestamp\":\"2024-01-15T00:00:01Z\",\"level\":\"ERROR\",\"message\":\"{msg}\"}}\n"
    );
    assert!(big.len() > 10 * 1024 * 1024 - 100);
    let mut data = String::from(
        "{\"timestamp\":\"2024-01-15T00:00:00Z\",\"level\":\"INFO\",\"message\":\"small\"}\n",
    );
    data.push_str(&big);
    data.push_str(
        "{\"timestamp\":\"2024-01-15T00:00:02Z\",\"level\":\"INFO\",\"message\":\"small zebra\"}\n",
    );
    dir.create("big.jsonl", &data);
    let out = dir
        .command()
        .args(["search", "-c", "zebrafinch", "big.jsonl"])
        .run();
    out.expect_code(0);
    assert_eq!(out.count(), 1);
    let out = dir
        .command()
        .args([
            "search",
            "-c",
            "level:ERROR message:~zebrafinch",
            "big.jsonl",
        ])
        .run();
    assert_eq!(out.count(), 1);
    let out = dir
        .command()
        .args(["search", "zebrafinch", "big.jsonl"])
        .run();
    out.expect_code(0).expect_stderr_empty();
    assert!(
        out.stdout == big.as_bytes(),
        "the 10 MB line printed whole ({} bytes)",
        out.stdout.len()
    );
    let out = dir
        .command()
        .args(["search", "-c", "zebra", "big.jsonl"])
        .run();
    assert_eq!(out.count(), 2);
}

#[test]
fn gz_and_zst_inputs_count_like_plain_files() {
    let dir = Dir::new();
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = gen_cfg(LINES, SEED, format);
        let bytes = gen_bytes(&cfg);
        let base = file_name(format);
        dir.create(base, &bytes);
        let gz = format!("{base}.gz");
        let zst = format!("{base}.zst");
        dir.create_gz(&gz, &bytes);
        dir.create_zst(&zst, &bytes);
        let queries = [
            "",
            "level:ERROR",
            "timeout -level:INFO",
            "tags:slow",
            "\"most recent call last\"",
        ];
        let truth = gen::truth(&cfg, &queries);
        for (i, q) in queries.iter().enumerate() {
            for name in [base, gz.as_str(), zst.as_str()] {
                let out = dir.command().args(["search", "-c", "--", q, name]).run();
                assert_eq!(out.count(), truth[i], "{}", out.context());
            }
        }
        // and the output of a compressed file is the original text
        let entries = gen_entries(&cfg);
        let want = render_all(truth_matching(&cfg, &entries, "level:ERROR"), format);
        for name in [gz.as_str(), zst.as_str()] {
            let out = dir.command().args(["search", "level:ERROR", name]).run();
            assert_text_eq(name, &want, &out.stdout);
        }
    }
}

#[test]
fn directory_input_recurses_and_picks_only_log_like_names() {
    let dir = Dir::new();
    let json_lines = |name: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("{{\"level\":\"INFO\",\"message\":\"marker {name} {i}\"}}\n"))
            .collect()
    };
    let text_lines = |name: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("marker {name} line {i}\n"))
            .collect()
    };
    // (relative path, number of lines, picked)
    let files: &[(&str, usize, bool)] = &[
        ("logs/a.log", 1, true),
        ("logs/b.json", 2, true),
        ("logs/c.jsonl", 3, true),
        ("logs/d.ndjson", 4, true),
        ("logs/e.txt", 5, true),
        ("logs/f.log.1", 6, true),
        ("logs/app.log-20240115", 7, true),
        ("logs/g.log.gz", 8, true),
        ("logs/h.jsonl.zst", 9, true),
        ("logs/sub/deeper/i.log", 10, true),
        ("logs/notes.md", 11, false),
        ("logs/data.csv", 12, false),
        ("logs/README", 13, true), // a name without an extension (issue 11)
        ("logs/.hidden.log", 14, false),
        ("logs/main.rs", 15, false),
        ("logs/archive.gz", 16, false),
        ("logs/.git/x.log", 17, false),
    ];
    let mut want_total = 0;
    let mut want_files = BTreeSet::new();
    for &(path, n, picked) in files {
        let name = path.rsplit('/').next().unwrap();
        let content = if name.contains("json") {
            json_lines(name, n)
        } else {
            text_lines(name, n)
        };
        if path.ends_with(".gz") {
            dir.create_gz(path, content);
        } else if path.ends_with(".zst") {
            dir.create_zst(path, content);
        } else {
            dir.create(path, content);
        }
        if picked {
            want_total += n as u64;
            want_files.insert(path.to_string());
        }
    }
    let out = dir.command().args(["search", "-c", "marker", "logs"]).run();
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.count(), want_total, "{}", out.context());
    let out = dir
        .command()
        .args(["search", "--json", "marker", "logs"])
        .run();
    let got_files: BTreeSet<String> = out
        .expect_code(0)
        .json_lines()
        .iter()
        .map(|m| opt_str(m, "file").unwrap())
        .collect();
    assert_eq!(got_files, want_files);
    // a file named on the command line is read whatever its name
    let out = dir
        .command()
        .args(["search", "-c", "marker", "logs/notes.md"])
        .run();
    assert_eq!(out.count(), 11, "{}", out.context());
}

#[test]
fn stdin_via_dash_and_piped_without_a_path() {
    let dir = Dir::new();
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = gen_cfg(LINES, SEED, format);
        let bytes = gen_bytes(&cfg);
        let entries = gen_entries(&cfg);
        for q in [
            "level:ERROR",
            "timeout service:covet-api",
            "user_id:user_456",
        ] {
            let t = gen::truth(&cfg, &[q])[0];
            let out = dir
                .command()
                .args(["search", "-c", q, "-"])
                .stdin(bytes.clone())
                .run();
            assert_eq!(out.count(), t, "{}", out.context());
            let out = dir
                .command()
                .args(["search", "-c", q])
                .stdin(bytes.clone())
                .run();
            assert_eq!(out.count(), t, "{}", out.context());
        }
        let want = render_all(truth_matching(&cfg, &entries, "level:>=ERROR"), format);
        let out = dir
            .command()
            .args(["search", "level:>=ERROR"])
            .stdin(bytes.clone())
            .run();
        out.expect_code(0).expect_stderr_empty();
        assert_text_eq(&format!("{format:?} stdin"), &want, &out.stdout);
        let out = dir
            .command()
            .args(["search", "--json", "level:>=ERROR", "-"])
            .stdin(bytes)
            .run();
        let objs = out.expect_code(0).json_lines();
        assert_eq!(
            objs.len(),
            truth_matching(&cfg, &entries, "level:>=ERROR").len()
        );
        assert!(objs.iter().all(|m| m["file"] == "<stdin>"));
    }
}

#[test]
fn covet_logs_path_env_is_used_when_no_path_is_given() {
    let dir = Dir::new();
    let cj = gen_cfg(1000, 1, GenFormat::Json);
    let ct = gen_cfg(1000, 2, GenFormat::Text);
    dir.create_gen("one.jsonl", &cj);
    dir.create_gen("two.log", &ct);
    let q = "level:ERROR";
    let (tj, tt) = (gen::truth(&cj, &[q])[0], gen::truth(&ct, &[q])[0]);
    let abs_two = dir.join("two.log");
    let env = format!("one.jsonl:{}", abs_two.display());
    let out = dir
        .command()
        .env("COVET_LOGS_PATH", &env)
        .args(["search", "-c", q])
        .run();
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.count(), tj + tt);
    // a path on the command line wins over the variable
    let out = dir
        .command()
        .env("COVET_LOGS_PATH", &env)
        .args(["search", "-c", q, "one.jsonl"])
        .run();
    assert_eq!(out.count(), tj);
    // and the variable wins over piped stdin
    let out = dir
        .command()
        .env("COVET_LOGS_PATH", "two.log")
        .args(["search", "-c", q])
        .stdin(gen_bytes(&cj))
        .run();
    assert_eq!(out.count(), tt);
}

#[test]
fn missing_file_is_reported_and_the_others_are_still_searched() {
    let dir = Dir::new();
    let cj = gen_cfg(800, 1, GenFormat::Json);
    let ct = gen_cfg(800, 2, GenFormat::Text);
    dir.create_gen("good.jsonl", &cj);
    dir.create_gen("good.log", &ct);
    let q = "level:ERROR";
    let t = gen::truth(&cj, &[q])[0] + gen::truth(&ct, &[q])[0];
    let out = dir
        .command()
        .args(["search", "-c", q, "good.jsonl", "missing.log", "good.log"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: missing.log: No such file or directory\n"
    );
    assert_eq!(out.count(), t);
    let out = dir
        .command()
        .args(["search", "--json", q, "missing.log", "good.jsonl"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: missing.log: No such file or directory\n"
    );
    assert_eq!(out.json_lines().len() as u64, gen::truth(&cj, &[q])[0]);
    // only missing files: still exit 2, nothing on stdout
    let out = dir.command().args(["search", q, "nope.log"]).run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: nope.log: No such file or directory\n"
    );
    assert!(out.stdout.is_empty(), "{}", out.context());
}

/// `file://` URLs name local files (percent-decoded; a lone one is the input, not the
/// query); another scheme (and `s3://` without the `s3` feature) is a one-line error,
/// and the other inputs are still read.
#[test]
fn file_urls_are_read_as_their_paths_and_other_urls_are_refused() {
    let dir = Dir::new();
    let cj = gen_cfg(600, 5, GenFormat::Json);
    dir.create_gen("my app.jsonl", &cj);
    let q = "level:ERROR";
    let truth = gen::truth(&cj, &[q])[0];
    let path = dir.join("my app.jsonl");
    let url = format!(
        "file://{}",
        path.display()
            .to_string()
            .replace('%', "%25")
            .replace(' ', "%20")
    );
    let by_path = dir.command().args(["search", "--json", q]).arg(&path).run();
    by_path.expect_code(0);
    assert_eq!(by_path.json_lines().len() as u64, truth);
    let by_url = dir.command().args(["search", "--json", q, &url]).run();
    by_url.expect_code(0).expect_stderr_empty();
    assert_eq!(by_url.stdout, by_path.stdout);
    // A lone URL is the input: every entry is counted.
    let all = dir.command().args(["search", "-c", &url]).run();
    all.expect_code(0);
    assert_eq!(all.count(), 600);
    let out = dir
        .command()
        .args(["search", "-c", q, "gs://bucket/app.log", &url])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: gs://bucket/app.log: gs:// inputs are not read (only local paths, file:// and s3:// URLs are)\n"
    );
    assert_eq!(out.count(), truth);
    // `s3://` needs the `s3` feature (tests/cli/s3.rs reads a stand-in store with it).
    if !cfg!(feature = "s3") {
        let out = dir
            .command()
            .args(["search", "-c", q, "s3://bucket/app.log", &url])
            .run();
        out.expect_code(2);
        assert_eq!(
            out.stderr,
            "covet-logs: s3://bucket/app.log: s3:// inputs are read only by a build with the `s3` feature (cargo install covet-logs --features s3; `cluster` has it)\n"
        );
        assert_eq!(out.count(), truth);
    }
}

#[test]
fn lines_no_format_parses_are_still_searchable() {
    let dir = Dir::new();
    let text = "the quick brown fox\njumps over\n\nthe lazy dog ERROR maybe\nlast line\n";
    dir.create("plain.txt", text);
    let out = dir.command().args(["search", "brown", "plain.txt"]).run();
    out.expect_code(0).expect_stderr_empty();
    assert_text_eq("plain", b"the quick brown fox\n", &out.stdout);
    let out = dir.command().args(["search", "-c", "", "plain.txt"]).run();
    assert_eq!(out.count(), 4, "blank lines are not entries");
    let out = dir
        .command()
        .args(["search", "-c", "the", "plain.txt"])
        .run();
    assert_eq!(out.count(), 2);
    let out = dir
        .command()
        .args(["search", "--json", "lazy", "plain.txt"])
        .run();
    let objs = out.expect_code(0).json_lines();
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0]["message"], "the lazy dog ERROR maybe");
    assert_eq!(objs[0]["line"], 4);
    assert_eq!(objs[0]["id"], "plain.txt:4");
    // a mixed file: JSON lines and junk lines; the junk is searchable too
    let mixed = "{\"level\":\"INFO\",\"message\":\"a\"}\nnot json at all, wombat\n{\"level\":\"INFO\",\"message\":\"wombat\"}\n";
    dir.create("mixed.jsonl", mixed);
    let out = dir
        .command()
        .args(["search", "-c", "wombat", "mixed.jsonl"])
        .run();
    assert_eq!(out.count(), 2);
}

#[test]
fn format_override_changes_how_entries_are_split() {
    let dir = Dir::new();
    let cfg = gen_cfg(500, 9, GenFormat::Text);
    let bytes = dir.create_gen("covet.log", &cfg);
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    assert!(lines > 500, "premise: some entries span several lines");
    let count = |flags: &[&str]| {
        let out = dir
            .command()
            .args(["search", "-c"])
            .args(flags)
            .args(["", "covet.log"])
            .run();
        out.count()
    };
    assert_eq!(count(&[]), 500);
    assert_eq!(count(&["--format", "covet"]), 500);
    assert_eq!(count(&["--format", "text"]), 500);
    assert_eq!(count(&["--format", "plain"]), lines);
    // forced JSON: no line is an object, but every line is an entry unless its shape
    // continues the one above (indented, or the closing `}` of a block); a block's
    // opening `{` starts one, as a pretty-printed object would
    let starts = bytes
        .split(|&b| b == b'\n')
        .filter(|l| {
            l.first()
                .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'}')
        })
        .count() as u64;
    assert!(
        starts > 500 && starts < lines,
        "premise: {starts} of {lines}"
    );
    assert_eq!(count(&["--format", "json"]), starts);
    // as covet text, block fields are fields; as plain text they are not
    let user = gen_entries(&cfg)
        .iter()
        .filter(|e| gen::text_block_written(e))
        .find_map(|e| e.user_id.clone())
        .unwrap();
    let q = format!("user_id:{user}");
    let t = gen::truth(&cfg, &[&q])[0];
    assert!(t > 0);
    let out = dir.command().args(["search", "-c", &q, "covet.log"]).run();
    assert_eq!(out.count(), t);
    let out = dir
        .command()
        .args(["search", "-c", "--format", "plain", &q, "covet.log"])
        .run();
    assert_eq!(out.count(), 0);
    out.expect_code(1);
}

#[test]
fn logfmt_input_is_detected_and_searchable() {
    let dir = Dir::new();
    let text = "ts=2024-01-15T00:00:00Z level=info msg=\"started\" service=covet-api\n\
                ts=2024-01-15T00:00:01Z level=error msg=\"db timeout\" service=covet-db duration_ms=1200\n\
                ts=2024-01-15T00:00:02Z level=warn msg=\"slow\" service=covet-db duration_ms=800\n";
    dir.create("app.log", text);
    for (q, n) in [
        ("level:ERROR", 1),
        ("level:>=WARN", 2),
        ("service:covet-db", 2),
        ("duration_ms:>1000", 1),
        ("timeout", 1),
    ] {
        let out = dir.command().args(["search", "-c", q, "app.log"]).run();
        assert_eq!(out.count(), n, "{}", out.context());
    }
}

// ---------------------------------------------------------------------------------
// Exit codes and query errors
// ---------------------------------------------------------------------------------

#[test]
fn exit_codes_are_0_on_match_1_on_no_match_2_on_error() {
    let dir = Dir::new();
    dir.create_gen("a.jsonl", &gen_cfg(300, 1, GenFormat::Json));
    let out = dir
        .command()
        .args(["search", "level:ERROR", "a.jsonl"])
        .run();
    out.expect_code(0).expect_stderr_empty();
    let out = dir
        .command()
        .args(["search", "zzzznotthere", "a.jsonl"])
        .run();
    out.expect_code(1).expect_stderr_empty();
    assert!(out.stdout.is_empty());
    let out = dir
        .command()
        .args(["search", "-c", "zzzznotthere", "a.jsonl"])
        .run();
    out.expect_code(1);
    assert_eq!(out.count(), 0);
    // errors: bad query, missing file, bad option, bad --since
    for args in [
        &["search", "level:", "a.jsonl"][..],
        &["search", "/(/", "a.jsonl"],
        &["search", "x", "missing.jsonl"],
        &["search", "--since", "not-a-time", "x", "a.jsonl"],
        &["search", "--no-such-flag", "x", "a.jsonl"],
        &["search", "-c", "--json", "x", "a.jsonl"],
    ] {
        let out = dir.command().args(args).run();
        out.expect_code(2);
        assert!(out.stdout.is_empty(), "{}", out.context());
        assert!(!out.stderr.is_empty(), "{}", out.context());
    }
}

fn assert_query_error(query: &str, want_stderr: &str) {
    let dir = Dir::new();
    dir.create(
        "a.log",
        "2024-01-15 00:00:00.000 [ERROR] covet-core x.rs:1 timeout\n",
    );
    let out = dir.command().args(["search", "--", query, "a.log"]).run();
    out.expect_code(2);
    assert!(out.stdout.is_empty(), "{}", out.context());
    assert_text_eq(
        &format!("stderr for {query:?}"),
        want_stderr.as_bytes(),
        out.stderr.as_bytes(),
    );
}

#[test]
fn unclosed_parenthesis_prints_the_query_with_a_caret() {
    assert_query_error(
        "level:ERROR (timeout",
        "covet-logs: query: expected ')' to close '(' at column 13\n  level:ERROR (timeout\n                      ^\n",
    );
}

#[test]
fn unknown_level_prints_the_query_with_a_caret_under_the_term() {
    assert_query_error(
        "level:BOGUS",
        "covet-logs: query: unknown level 'BOGUS' (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL)\n  level:BOGUS\n  ^^^^^^^^^^^\n",
    );
    assert_query_error(
        "timeout level:BOGUS",
        "covet-logs: query: unknown level 'BOGUS' (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL)\n  timeout level:BOGUS\n          ^^^^^^^^^^^\n",
    );
}

#[test]
fn missing_field_value_prints_the_query_with_a_caret() {
    assert_query_error(
        "timeout level:",
        "covet-logs: query: expected a value after 'level:'\n  timeout level:\n          ^^^^^^\n",
    );
}

// ---------------------------------------------------------------------------------
// Order: --max-count, --newest-first, merging several inputs
// ---------------------------------------------------------------------------------

#[test]
fn max_count_prints_exactly_the_first_n_entries() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = fx.cfg(format);
        let matching = truth_matching(&cfg, &fx.entries, "level:>=WARN");
        for n in [1usize, 3, 17, 250] {
            let want = render_all(matching[..n].iter().copied(), format);
            let out = fx
                .dir
                .command()
                .args([
                    "search",
                    "-m",
                    &n.to_string(),
                    "level:>=WARN",
                    file_name(format),
                ])
                .run();
            out.expect_code(0);
            assert_text_eq(&format!("{format:?} -m {n}"), &want, &out.stdout);
            let out = fx
                .dir
                .command()
                .args([
                    "search",
                    "--max-count",
                    &n.to_string(),
                    "--json",
                    "level:>=WARN",
                    file_name(format),
                ])
                .run();
            assert_eq!(out.json_lines().len(), n);
            let out = fx
                .dir
                .command()
                .args([
                    "search",
                    "-c",
                    "-m",
                    &n.to_string(),
                    "level:>=WARN",
                    file_name(format),
                ])
                .run();
            assert_eq!(out.count(), n as u64);
        }
        // more than there are: all of them
        let out = fx
            .dir
            .command()
            .args([
                "search",
                "-c",
                "-m",
                "1000000",
                "level:>=WARN",
                file_name(format),
            ])
            .run();
        assert_eq!(out.count(), matching.len() as u64);
    }
}

#[test]
fn newest_first_reverses_the_order() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = fx.cfg(format);
        let matching = truth_matching(&cfg, &fx.entries, "level:ERROR");
        let want = render_all(matching.iter().rev().copied(), format);
        let out = fx
            .dir
            .command()
            .args(["search", "--newest-first", "level:ERROR", file_name(format)])
            .run();
        out.expect_code(0);
        assert_text_eq(&format!("{format:?} --newest-first"), &want, &out.stdout);
        // -m 3 --newest-first: the 3 newest
        let want = render_all(matching.iter().rev().take(3).copied(), format);
        let out = fx
            .dir
            .command()
            .args([
                "search",
                "-m",
                "3",
                "--newest-first",
                "level:ERROR",
                file_name(format),
            ])
            .run();
        out.expect_code(0);
        assert_text_eq(
            &format!("{format:?} -m 3 --newest-first"),
            &want,
            &out.stdout,
        );
    }
}

#[test]
fn several_inputs_are_merged_in_time_order() {
    let dir = Dir::new();
    for format in [GenFormat::Json, GenFormat::Text] {
        let cfg = gen_cfg(2000, 17, format);
        let entries = gen_entries(&cfg);
        let (mut even, mut odd) = (Vec::new(), Vec::new());
        for (i, e) in entries.iter().enumerate() {
            render_into(if i % 2 == 0 { &mut even } else { &mut odd }, e, format);
        }
        let ext = if format == GenFormat::Json {
            "jsonl"
        } else {
            "log"
        };
        let (a, b) = (format!("a.{ext}"), format!("b.{ext}"));
        dir.create(&a, &even);
        dir.create(&b, &odd);
        // Expected: the generator's order, except that entries in the same millisecond
        // (the rendered precision) are ordered by input, then position (the tool's
        // documented tie rule).
        let mut order: Vec<(usize, &GenEntry)> = entries.iter().enumerate().collect();
        order.sort_by_key(|&(i, e)| (ts_ms(e), i % 2));
        let ties = entries
            .windows(2)
            .filter(|w| ts_ms(&w[0]) == ts_ms(&w[1]))
            .count();
        assert!(ties > 0, "premise: some entries share a millisecond");
        for q in ["", "level:>=WARN"] {
            let t = gen::Truth::new(format, &[q]).unwrap();
            let matching: Vec<&GenEntry> = order
                .iter()
                .map(|&(_, e)| e)
                .filter(|e| t.matches(0, e))
                .collect();
            let want = render_all(matching.iter().copied(), format);
            let out = dir
                .command()
                .args(["search", "--no-filename", "--", q, &a, &b])
                .run();
            out.expect_code(0).expect_stderr_empty();
            assert_text_eq(&format!("{format:?} merged {q:?}"), &want, &out.stdout);
            let out = dir
                .command()
                .args(["search", "--no-filename", "--newest-first", "--", q, &a, &b])
                .run();
            let want = render_all(matching.iter().rev().copied(), format);
            assert_text_eq(
                &format!("{format:?} merged newest first {q:?}"),
                &want,
                &out.stdout,
            );
            let out = dir
                .command()
                .args(["search", "--no-filename", "-m", "5", "--", q, &a, &b])
                .run();
            let want = render_all(matching[..5].iter().copied(), format);
            assert_text_eq(&format!("{format:?} merged -m 5 {q:?}"), &want, &out.stdout);
            // --json: ids in time order
            if format == GenFormat::Json {
                let out = dir
                    .command()
                    .args(["search", "--json", "--", q, &a, &b])
                    .run();
                let ids: Vec<String> = out
                    .json_lines()
                    .iter()
                    .map(|m| opt_str(m, "id").unwrap())
                    .collect();
                let want: Vec<String> = matching.iter().map(|e| e.id.clone()).collect();
                assert_eq!(ids, want);
            }
        }
    }
}

fn render_into(out: &mut Vec<u8>, e: &GenEntry, format: GenFormat) {
    gen::render(e, format, out);
}

// ---------------------------------------------------------------------------------
// Time windows
// ---------------------------------------------------------------------------------

/// (flags, truth terms) for windows over `entries`, with bounds on exact entry times;
/// without `all`, only the windows that cover part of the file (where a seek helps).
fn windows(entries: &[GenEntry], all: bool) -> Vec<(Vec<String>, String)> {
    let n = entries.len();
    let at = |i: usize| gen::format_timestamp(entries[i].ts_ns);
    let first = at(0);
    let last = at(n - 1);
    let before = gen::format_timestamp(entries[0].ts_ns - 3_600_000_000_000);
    let after = gen::format_timestamp(entries[n - 1].ts_ns + 3_600_000_000_000);
    vec![
        (vec!["--since", &at(n / 3)], format!("since:{}", at(n / 3))),
        (vec!["--until", &at(n / 3)], format!("until:{}", at(n / 3))),
        (
            vec!["--since", &at(n / 4), "--until", &at(n / 2)],
            format!("since:{} until:{}", at(n / 4), at(n / 2)),
        ),
        (
            vec!["--since", &at(n / 2), "--until", &at(n / 2 + 1)],
            format!("since:{} until:{}", at(n / 2), at(n / 2 + 1)),
        ),
        (vec!["--since", &first], format!("since:{first}")),
        (vec!["--until", &last], format!("until:{last}")),
        (vec!["--since", &last], format!("since:{last}")),
        (vec!["--since", &before, "--until", &after], String::new()),
        (vec!["--since", &after], format!("since:{after}")),
        (vec!["--until", &before], format!("until:{before}")),
        (
            vec!["--since", &at(n / 2), "--until", &at(n / 2)],
            format!("since:{} until:{}", at(n / 2), at(n / 2)),
        ),
        // an offset other than Z: the same instant
        (
            vec!["--since", &offset_form(&at(n / 5))],
            format!("since:{}", at(n / 5)),
        ),
    ]
    .into_iter()
    .enumerate()
    .filter(|(i, _)| all || [0, 1, 2, 3, 6, 10, 11].contains(i))
    .map(|(_, (f, t))| (f.into_iter().map(String::from).collect(), t))
    .collect()
}

/// `2024-01-15T00:00:05.123Z` as `2024-01-15T01:00:05.123+01:00`.
fn offset_form(ts: &str) -> String {
    let ns = gen::parse_rfc3339_ns(ts).unwrap() + 3_600_000_000_000;
    let z = gen::format_timestamp(ns);
    format!("{}+01:00", z.strip_suffix('Z').unwrap())
}

fn check_windows(
    dir: &Dir,
    name: &str,
    cfg: &GenConfig,
    entries: &[GenEntry],
    extra: &[&str],
    queries: &[&str],
    all: bool,
) {
    let mut failures = Vec::new();
    for &query in queries {
        let cases = windows(entries, all);
        let truths: Vec<String> = cases
            .iter()
            .map(|(_, t)| format!("{query} {t}").trim().to_string())
            .collect();
        let refs: Vec<&str> = truths.iter().map(String::as_str).collect();
        let want = gen::truth(cfg, &refs);
        for ((flags, _), want) in cases.iter().zip(want) {
            let out = dir
                .command()
                .args(["search", "-c"])
                .args(extra)
                .args(flags)
                .arg("--")
                .arg(query)
                .arg(name)
                .run();
            let got = out.count();
            let code = if want > 0 { 0 } else { 1 };
            if got != want || out.code != Some(code) {
                failures.push(format!(
                    "  {}\n    want {want}, got {got} (exit {:?})",
                    out.cmdline, out.code
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "time windows differ from truth:\n{}",
        failures.join("\n")
    );
}

#[test]
fn since_and_until_count_equal_truth() {
    let fx = Fixture::new(LINES);
    for format in [GenFormat::Json, GenFormat::Text] {
        check_windows(
            &fx.dir,
            file_name(format),
            &fx.cfg(format),
            &fx.entries,
            &[],
            &["", "level:ERROR"],
            true,
        );
    }
}

#[test]
fn since_and_until_on_a_large_time_ordered_file_use_the_seek_and_equal_truth() {
    let dir = Dir::new();
    for (format, lines) in [(GenFormat::Json, 30_000), (GenFormat::Text, 20_000)] {
        let cfg = gen_cfg(lines, 23, format);
        let name = file_name(format);
        let bytes = dir.create_gen(name, &cfg);
        assert!(
            bytes.len() > 1 << 20,
            "premise: {} bytes is over the seek threshold",
            bytes.len()
        );
        let entries = gen_entries(&cfg);
        // the seek path is taken
        let mid = gen::format_timestamp(entries[lines / 2].ts_ns);
        let out = dir
            .command()
            .args(["search", "-c", "--debug", "--since", &mid, "", name])
            .run();
        assert!(
            out.stderr.contains("time window seeks to bytes"),
            "seek not used\n{}",
            out.context()
        );
        assert_eq!(out.count(), gen::truth(&cfg, &[&format!("since:{mid}")])[0]);
        check_windows(&dir, name, &cfg, &entries, &[], &["", "level:ERROR"], false);
        if format == GenFormat::Json {
            check_windows(
                &dir,
                name,
                &cfg,
                &entries,
                &["--chunk-size", "100000"],
                &[""],
                false,
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Early close of stdout
// ---------------------------------------------------------------------------------

#[test]
fn closing_stdout_early_is_quiet() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let dir = Dir::new();
    dir.create_gen("a.jsonl", &gen_cfg(LINES, 1, GenFormat::Json));
    dir.create_gen("b.log", &gen_cfg(LINES, 2, GenFormat::Text));
    for args in [
        &["search", "", "a.jsonl"][..],
        &["search", "--json", "", "b.log"],
        &["search", "", "a.jsonl", "b.log"],
        &["search", "--newest-first", "", "b.log"],
        &["search", "--color", "always", "", "a.jsonl"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("COVET_LOGS_PATH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).expect("read a line");
        assert!(!first.is_empty(), "{args:?}: no output");
        drop(stdout);
        let stderr = util::child_stderr(&mut child);
        let status = child.wait().unwrap();
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: stderr {stderr:?}"
        );
        assert!(
            matches!(status.code(), Some(0) | Some(1)),
            "{args:?}: status {status:?} (signal {:?}), stderr {stderr:?}",
            status.signal()
        );
    }
}

// ---------------------------------------------------------------------------------
// Control characters
// ---------------------------------------------------------------------------------

#[test]
fn control_characters_are_escaped_in_the_terminal_view() {
    let dir = Dir::new();
    // Colour (SGR) is read past in text formats; other escapes stay and are escaped.
    let text_line = "2024-01-15 00:00:00.000 [ERROR] covet-core x.rs:1 \x1b[2J\x1b[31mred alert\u{202e}txt.exe\x07 done\n";
    dir.create("ctl.log", text_line);
    let json_line = "{\"timestamp\":\"2024-01-15T00:00:00Z\",\"level\":\"ERROR\",\"service\":\"svc\\u001b[2J\",\"message\":\"\\u001b[31mred alert\\u202etxt.exe\\u0007 done\"}\n";
    dir.create("ctl.jsonl", json_line);
    for name in ["ctl.log", "ctl.jsonl"] {
        for query in ["red", "alert", "done"] {
            let out = dir
                .command()
                .args(["search", "--color", "always", query, name])
                .run();
            out.expect_code(0).expect_stderr_empty();
            let s = out.stdout_str();
            assert!(s.contains("\\x1b["), "{name}: escaped ESC missing: {s:?}");
            assert!(
                s.contains("\\u{202e}"),
                "{name}: escaped bidi override missing: {s:?}"
            );
            assert!(s.contains("\\x07"), "{name}: escaped BEL missing: {s:?}");
            assert!(
                !s.contains("\x1b[31mred"),
                "{name}: raw ESC from the log: {s:?}"
            );
            assert!(!s.contains('\u{202e}'), "{name}: raw bidi override: {s:?}");
            assert!(!s.contains('\x07'), "{name}: raw BEL: {s:?}");
            assert!(!s.contains("\x1b[2J"), "{name}: raw ESC in service: {s:?}");
        }
    }
    // piped without --color: the original text, untouched
    let out = dir.command().args(["search", "red", "ctl.log"]).run();
    assert_text_eq("piped ctl.log", text_line.as_bytes(), &out.stdout);
    let out = dir.command().args(["search", "red", "ctl.jsonl"]).run();
    assert_text_eq("piped ctl.jsonl", json_line.as_bytes(), &out.stdout);
    // --color never on a pipe is the same
    let out = dir
        .command()
        .args(["search", "--color", "never", "red", "ctl.log"])
        .run();
    assert_text_eq("--color never", text_line.as_bytes(), &out.stdout);
}

/// A large file mostly out of the page cache is read as a stream from its start, a
/// warm one is mapped, and a small one is read whole: the same output every way, with
/// the count the generator made.
#[test]
fn cold_warm_and_small_files_give_the_same_output() {
    use std::os::unix::io::AsRawFd;
    let dir = Dir::new();
    let cfg = gen_cfg(70_000, 5, GenFormat::Json);
    let bytes = dir.create_gen("big.jsonl", &cfg);
    assert!(bytes.len() > 16 << 20, "{} bytes", bytes.len());
    let want = truth_matching(&cfg, &gen_entries(&cfg), "level:ERROR").len() as u64;
    // Evict the file's pages: written back first, then dropped (a hint the kernel
    // follows for clean pages no process maps).
    let file = std::fs::File::open(dir.join("big.jsonl")).unwrap();
    file.sync_all().unwrap();
    // SAFETY: a plain libc call on an open descriptor.
    let advised = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    assert_eq!(advised, 0);
    let search = |name: &str| {
        let out = dir
            .command()
            .args(["search", "--debug", "--color", "never", "level:ERROR", name])
            .run();
        out.expect_code(0);
        out
    };
    let evicted = !first_page_resident(&file);
    drop(file);
    let cold = search("big.jsonl");
    if evicted {
        assert!(
            cold.stderr
                .contains("not in the page cache; read as a stream"),
            "{}",
            cold.stderr
        );
    } else {
        eprintln!("cold read not checked: the kernel kept the file's pages (a tmpfs?)");
    }
    let warm = search("big.jsonl");
    assert!(!warm.stderr.contains("read as a stream"), "{}", warm.stderr);
    assert_text_eq("cold against warm", &warm.stdout, &cold.stdout);
    assert_eq!(warm.stdout_str().lines().count() as u64, want);
    // The first 250 KB (a small file, read whole) against the same bytes inside a large
    // file: the entries of that part, as mapped.
    let cut = bytes[..250 << 10]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    dir.create("small.jsonl", &bytes[..cut]);
    let small = search("small.jsonl");
    let n = small.stdout_str().lines().count();
    let head: String = warm
        .stdout_str()
        .lines()
        .take(n)
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(n > 30, "{n}");
    assert_text_eq(
        "small against the large file's start",
        head.as_bytes(),
        &small.stdout,
    );
}

/// Whether the first page of `file` is in the page cache (`mincore` of a map of it).
fn first_page_resident(file: &std::fs::File) -> bool {
    // SAFETY: a read-only map of a file this test wrote and no one changes; mincore
    // writes one byte per page of the page-aligned range asked (one page).
    unsafe {
        let map = memmap2::Mmap::map(file).unwrap();
        let mut vec = [0u8; 1];
        let ok = libc::mincore(map.as_ptr() as *mut libc::c_void, 1, vec.as_mut_ptr());
        ok == 0 && vec[0] & 1 == 1
    }
}
