//! `covet-logs context` on generated data split over two files: the timeline must hold
//! exactly the entries the generator put in the trace/request/user and window.

use crate::util;

use covet_gen::{GenEntry, GenFormat};
use serde_json::Value;
use util::*;

/// Entries alternate between a.jsonl and b.jsonl; returns them with their file and line.
fn two_files(dir: &Dir, lines: usize, step_ms: u64) -> Vec<(GenEntry, &'static str, u64)> {
    let mut cfg = gen_cfg(lines, 11, GenFormat::Json);
    cfg.step_ms = step_ms;
    let entries = gen_entries(&cfg);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut placed = Vec::new();
    for (i, e) in entries.into_iter().enumerate() {
        let (buf, name) = if i % 2 == 0 {
            (&mut a, "a.jsonl")
        } else {
            (&mut b, "b.jsonl")
        };
        buf.extend(render(&e, GenFormat::Json));
        let line = (i / 2 + 1) as u64;
        placed.push((e, name, line));
    }
    dir.create("a.jsonl", &a);
    dir.create("b.jsonl", &b);
    placed
}

fn context_json(dir: &Dir, args: &[&str]) -> (Option<i32>, Value) {
    let out = dir.command().arg("context").args(args).arg("--json").run();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", out.context()));
    (out.code, doc)
}

fn timeline_ids(doc: &Value) -> Vec<String> {
    doc["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

/// The timeline `got` holds exactly the entries `want` (none missing, none extra, and
/// at least one), in time order (entries of the same millisecond in either order).
fn assert_timeline(
    placed: &[(GenEntry, &'static str, u64)],
    got: &[String],
    want: &[String],
    what: &str,
) {
    assert!(!want.is_empty(), "premise: {what} has entries");
    assert!(!got.is_empty(), "{what}: empty timeline");
    let ts: std::collections::HashMap<&str, i64> = placed
        .iter()
        .map(|(e, _, _)| (e.id.as_str(), ts_ms(e)))
        .collect();
    let times: Vec<i64> = got
        .iter()
        .map(|id| {
            *ts.get(id.as_str())
                .unwrap_or_else(|| panic!("{what}: unknown id {id}"))
        })
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "{what}: timeline out of time order: {got:?}"
    );
    let (mut g, mut w) = (got.to_vec(), want.to_vec());
    g.sort();
    w.sort();
    assert_eq!(g, w, "{what}");
}

/// The generator's entries that share `key` with `sel`, within `window_ns`, in time order.
fn expected<'a>(
    placed: &'a [(GenEntry, &'static str, u64)],
    sel: &GenEntry,
    key: impl Fn(&GenEntry) -> Option<&String>,
    window_ns: Option<i64>,
) -> Vec<&'a GenEntry> {
    let want = key(sel);
    let sel_ms = ts_ms(sel);
    let mut v: Vec<&GenEntry> = placed
        .iter()
        .map(|(e, _, _)| e)
        .filter(|e| want.is_none() || key(e) == want)
        .filter(|e| window_ns.is_none_or(|w| (ts_ms(e) - sel_ms).abs() * 1_000_000 <= w))
        .collect();
    v.sort_by_key(|e| ts_ms(e));
    v
}

#[test]
fn trace_context_is_exactly_the_generated_trace() {
    let dir = Dir::new();
    let placed = two_files(&dir, 4000, 10);
    let mut checked = 0;
    for (sel, file, line) in placed
        .iter()
        .filter(|(e, _, _)| e.trace_id.is_some())
        .step_by(97)
        .take(8)
    {
        let permalink = format!("{file}:{line}");
        let (code, doc) = context_json(&dir, &[&permalink, "a.jsonl", "b.jsonl"]);
        assert_eq!(code, Some(0));
        assert_eq!(doc["by"], "trace");
        assert_eq!(doc["selected"]["id"], sel.id.as_str());
        let want = expected(&placed, sel, |e| e.trace_id.as_ref(), Some(300_000_000_000));
        let want_ids: Vec<String> = want.iter().map(|e| e.id.clone()).collect();
        let got = timeline_ids(&doc);
        assert_timeline(&placed, &got, &want_ids, &format!("trace of {permalink}"));
        // Summary: count, services in order of first appearance, levels, first error.
        let summary = &doc["summary"];
        assert_eq!(summary["related"], want.len());
        let mut services: Vec<&str> = Vec::new();
        for e in &want {
            if !services.contains(&e.service) {
                services.push(e.service);
            }
        }
        let got_services: Vec<&str> = summary["services"]
            .as_array()
            .expect("services")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if want.windows(2).all(|w| ts_ms(w[0]) != ts_ms(w[1])) {
            assert_eq!(got_services, services);
        }
        for level in ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"] {
            let n = want.iter().filter(|e| e.level == level).count();
            let got = summary["levels"]
                .as_array()
                .expect("levels")
                .iter()
                .find(|p| p[0] == level)
                .map_or(0, |p| p[1].as_u64().unwrap_or(0) as usize);
            assert_eq!(got, n, "{level} in trace of {permalink}");
        }
        let first_error = want
            .iter()
            .find(|e| e.level == "ERROR" || e.level == "FATAL");
        assert_eq!(
            summary["firstError"]["id"].as_str(),
            first_error.map(|e| e.id.as_str())
        );
        let span = (ts_ms(want[want.len() - 1]) - ts_ms(want[0])) as f64 / 1000.0;
        if want.len() >= 2 {
            assert!((summary["spanSeconds"].as_f64().expect("span") - span).abs() < 1e-6);
        }
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn direct_keys_find_every_entry_of_a_user_and_a_request() {
    let dir = Dir::new();
    let placed = two_files(&dir, 4000, 10);
    let (sel, _, _) = placed
        .iter()
        .find(|(e, _, _)| e.user_id.is_some())
        .expect("a user");
    let user = sel.user_id.clone().expect("user");
    let (code, doc) = context_json(&dir, &["--user", &user, "a.jsonl", "b.jsonl"]);
    assert_eq!(code, Some(0));
    let got = timeline_ids(&doc);
    let want: Vec<String> = placed
        .iter()
        .filter(|(e, _, _)| e.user_id.as_ref() == Some(&user))
        .map(|(e, _, _)| e.id.clone())
        .collect();
    assert_timeline(&placed, &got, &want, &format!("user {user}"));

    let (sel, _, _) = placed
        .iter()
        .find(|(e, _, _)| e.request_id.is_some())
        .expect("a request");
    let request = sel.request_id.clone().expect("request");
    let (_, doc) = context_json(&dir, &["--request", &request, "a.jsonl", "b.jsonl"]);
    let got = timeline_ids(&doc);
    let want: Vec<String> = placed
        .iter()
        .filter(|(e, _, _)| e.request_id.as_ref() == Some(&request))
        .map(|(e, _, _)| e.id.clone())
        .collect();
    assert_timeline(&placed, &got, &want, &format!("request {request}"));

    let (code, _) = context_json(
        &dir,
        &["--trace", "0123456789abcdef0123456789abcdef", "a.jsonl"],
    );
    assert_eq!(code, Some(1), "an unknown trace matches nothing");
}

#[test]
fn window_without_key_is_every_entry_in_the_window() {
    let dir = Dir::new();
    let placed = two_files(&dir, 3000, 100);
    let (sel, file, line) = &placed[1500];
    let permalink = format!("{file}:{line}");
    let (_, doc) = context_json(
        &dir,
        &[
            &permalink, "a.jsonl", "b.jsonl", "--by", "none", "--window", "1m",
        ],
    );
    let got = timeline_ids(&doc);
    let want: Vec<String> = expected(&placed, sel, |_| None, Some(60_000_000_000))
        .iter()
        .map(|e| e.id.clone())
        .collect();
    assert_timeline(&placed, &got, &want, "the 1m window");
}

#[test]
fn neighbours_at_file_start_and_end() {
    let dir = Dir::new();
    let placed = two_files(&dir, 200, 10);
    let a: Vec<&GenEntry> = placed
        .iter()
        .filter(|(_, f, _)| *f == "a.jsonl")
        .map(|(e, _, _)| e)
        .collect();
    let ids = |doc: &Value, side: &str| -> Vec<String> {
        doc[side]
            .as_array()
            .expect(side)
            .iter()
            .map(|e| e["id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let (_, doc) = context_json(&dir, &["a.jsonl:1", "-C", "2"]);
    assert!(ids(&doc, "before").is_empty());
    assert_eq!(ids(&doc, "after"), vec![a[1].id.clone(), a[2].id.clone()]);
    let last = a.len();
    let (_, doc) = context_json(&dir, &[&format!("a.jsonl:{last}"), "-B", "3", "-A", "5"]);
    assert_eq!(
        ids(&doc, "before"),
        vec![
            a[last - 4].id.clone(),
            a[last - 3].id.clone(),
            a[last - 2].id.clone()
        ]
    );
    assert!(ids(&doc, "after").is_empty());
}

#[test]
fn permalinks_printed_by_search_round_trip_into_context() {
    let dir = Dir::new();
    two_files(&dir, 400, 10);
    let out = dir
        .command()
        .args(["search", "--json", "-m", "3", "level:>=WARN", "a.jsonl"])
        .run();
    for entry in out.json_lines() {
        let id = entry["id"].as_str().expect("id");
        let (code, doc) = context_json(&dir, &[id, "a.jsonl"]);
        assert_eq!(code, Some(0));
        assert_eq!(doc["selected"]["id"], id);
        assert_eq!(doc["selected"]["line"], entry["line"]);
    }
    // The text layout has no id field: the permalink is FILE:LINE.
    let cfg = gen_cfg(300, 3, GenFormat::Text);
    dir.create_gen("t.log", &cfg);
    let out = dir
        .command()
        .args(["search", "--json", "-m", "2", "level:ERROR", "t.log"])
        .run();
    for entry in out.json_lines() {
        let id = entry["id"].as_str().expect("id");
        assert_eq!(id, format!("t.log:{}", entry["line"]));
        let (_, doc) = context_json(&dir, &[id]);
        assert_eq!(doc["selected"]["message"], entry["message"]);
        let (_, doc) = context_json(&dir, &[&format!("t.log@{}", entry["offset"])]);
        assert_eq!(doc["selected"]["id"].as_str(), Some(id));
    }
}

#[test]
fn unknown_and_ambiguous_ids() {
    let dir = Dir::new();
    two_files(&dir, 100, 10);
    let out = dir
        .command()
        .args(["context", "log_9999999999", "a.jsonl"])
        .run();
    out.expect_code(1);
    assert!(
        out.stderr
            .starts_with("covet-logs: log_9999999999: no entry has this id"),
        "{}",
        out.context()
    );
    let bytes = std::fs::read(dir.join("a.jsonl")).expect("read");
    dir.create("copy.jsonl", &bytes);
    let out = dir
        .command()
        .args(["context", "log_0000000001", "a.jsonl", "copy.jsonl"])
        .run();
    out.expect_code(2);
    let err = &out.stderr;
    assert!(err.contains("2 entries share this id"), "{err}");
    assert!(
        err.contains("a.jsonl:1") && err.contains("copy.jsonl:1"),
        "{err}"
    );
}

#[test]
fn markdown_report_has_the_timeline_table() {
    let dir = Dir::new();
    let placed = two_files(&dir, 400, 10);
    let (sel, file, line) = placed
        .iter()
        .find(|(e, _, _)| e.trace_id.is_some())
        .expect("traced");
    let out = dir
        .command()
        .args([
            "context",
            &format!("{file}:{line}"),
            "a.jsonl",
            "b.jsonl",
            "--format",
            "md",
        ])
        .run();
    out.expect_code(0);
    let text = out.stdout_str();
    assert!(text.starts_with("## Log context\n"), "{text}");
    let want = expected(&placed, sel, |e| e.trace_id.as_ref(), None);
    let rows = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| |"))
        .count();
    assert_eq!(rows, want.len(), "{text}");
    assert!(text.contains(&format!("- related entries: {}", want.len())));
}

#[test]
fn search_context_groups_merge_and_are_separated_like_grep() {
    let dir = Dir::new();
    let cfg = gen_cfg(600, 21, GenFormat::Text);
    dir.create_gen("t.log", &cfg);
    let entries = gen_entries(&cfg);
    for (before, after) in [(1usize, 1usize), (0, 2), (3, 0), (2, 2)] {
        // Independent grouping: indices of matches widened, merged when they touch.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for (i, _) in entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.level == "FATAL")
        {
            let lo = i.saturating_sub(before);
            let hi = (i + after).min(entries.len() - 1);
            match groups.last_mut() {
                Some(g) if lo <= g.1 + 1 => g.1 = g.1.max(hi),
                _ => groups.push((lo, hi)),
            }
        }
        let mut want = Vec::new();
        for (k, (lo, hi)) in groups.iter().enumerate() {
            if k > 0 {
                want.extend_from_slice(b"--\n");
            }
            for e in &entries[*lo..=*hi] {
                want.extend(render(e, GenFormat::Text));
            }
        }
        let out = dir
            .command()
            .args([
                "search",
                "--raw",
                "level:FATAL",
                "t.log",
                "-B",
                &before.to_string(),
                "-A",
                &after.to_string(),
            ])
            .run();
        out.expect_code(0);
        assert_text_eq(&format!("-B {before} -A {after}"), &want, &out.stdout);
    }
}

#[test]
fn saved_filter_narrows_the_related_entries() {
    let dir = Dir::new();
    let placed = two_files(&dir, 4000, 10);
    let (sel, file, line) = placed
        .iter()
        .find(|(e, _, _)| {
            e.trace_id.is_some()
                && placed.iter().any(|(o, _, _)| {
                    o.trace_id == e.trace_id && (o.level == "ERROR" || o.level == "FATAL")
                })
        })
        .expect("a trace with an error");
    let permalink = format!("{file}:{line}");
    let (_, doc) = context_json(
        &dir,
        &[&permalink, "a.jsonl", "b.jsonl", "--filter", "errors"],
    );
    let got = timeline_ids(&doc);
    let want: Vec<String> = expected(&placed, sel, |e| e.trace_id.as_ref(), Some(300_000_000_000))
        .iter()
        .filter(|e| e.level == "ERROR" || e.level == "FATAL" || e.id == sel.id)
        .map(|e| e.id.clone())
        .collect();
    assert_timeline(&placed, &got, &want, "errors of the trace");
}
