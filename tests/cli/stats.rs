//! End-to-end tests of `covet-logs stats`, against truth computed here from the
//! generator's own entries (`gen::entries`), never from the tool's output: counts per
//! level and service, bucket sums, templates of known messages, calm data without
//! insights, injected spikes and new errors found where they were put, alerts and their
//! exit codes, errors with carets.

use crate::util;

use std::collections::BTreeMap;

use covet_gen::{self as gen, GenEntry, GenFormat};
use serde_json::Value;

use util::{gen_cfg, gen_entries, render_all, Dir};

const SEED: u64 = 11;

fn stats_json(dir: &Dir, args: &[&str]) -> Value {
    let out = dir.command().arg("stats").arg("--json").args(args).run();
    out.expect_code(0);
    serde_json::from_slice(&out.stdout).expect("stats --json is JSON")
}

/// `[{name, value}]` as a map.
fn dist(v: &Value) -> BTreeMap<String, u64> {
    counts(v, "name", "value")
}

/// An array of objects as a map from each one's `key` to its `count` field.
fn counts(v: &Value, key: &str, count: &str) -> BTreeMap<String, u64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d[key].as_str().expect(key).to_string(),
                d[count].as_u64().expect(count),
            )
        })
        .collect()
}

fn truth_by<F: Fn(&GenEntry) -> String>(entries: &[GenEntry], f: F) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for e in entries {
        *m.entry(f(e)).or_insert(0) += 1;
    }
    m
}

fn is_error(e: &GenEntry) -> bool {
    e.level == "ERROR" || e.level == "FATAL"
}

fn breakdown<'a>(v: &'a Value, field: &str) -> &'a Value {
    v["breakdowns"]
        .as_array()
        .expect("breakdowns")
        .iter()
        .find(|b| b["field"] == field)
        .expect("breakdown present")
}

#[test]
fn counts_equal_generator_truth_on_json_and_text() {
    let lines = 4000;
    let entries = gen_entries(&gen_cfg(lines, SEED, GenFormat::Json));
    let levels = truth_by(&entries, |e| e.level.to_string());
    let services = truth_by(&entries, |e| e.service.to_string());
    let sources = truth_by(&entries, |e| e.source.clone());
    let errors = entries.iter().filter(|e| is_error(e)).count() as u64;
    let service_errors = truth_by(
        &entries
            .iter()
            .filter(|e| is_error(e))
            .cloned()
            .collect::<Vec<_>>(),
        |e| e.service.to_string(),
    );
    for format in [GenFormat::Json, GenFormat::Text] {
        let dir = Dir::new();
        dir.create("a.log", render_all(&entries, format));
        // Small chunks: many parts, merged in order; and the same through stdin.
        for args in [
            vec!["a.log", "--top", "100"],
            vec!["a.log", "--top", "100", "--chunk-size", "5000"],
            vec!["--top", "100", "--no-mmap", "--chunk-size", "7000", "a.log"],
        ] {
            let v = stats_json(&dir, &args);
            let what = format!("{format:?} {args:?}");
            assert_eq!(v["totalLogs"], lines as u64, "{what}");
            assert_eq!(dist(&v["levelBreakdown"]), levels, "{what}");
            assert_eq!(dist(&v["serviceDistribution"]), services, "{what}");
            assert_eq!(dist(&v["errorDistribution"]), service_errors, "{what}");
            assert_eq!(v["errors"], errors, "{what}");
            let src = counts(&breakdown(&v, "source")["groups"], "name", "count");
            assert_eq!(src, sources, "{what}");
            // Buckets sum to the totals.
            let vol = v["volumeData"].as_array().unwrap();
            assert!(
                (2..=60).contains(&vol.len()),
                "{what}: {} buckets",
                vol.len()
            );
            let sum: u64 = vol.iter().map(|b| b["value"].as_u64().unwrap()).sum();
            let err_sum: u64 = vol.iter().map(|b| b["errors"].as_u64().unwrap()).sum();
            assert_eq!(sum, lines as u64, "{what}");
            assert_eq!(err_sum, errors, "{what}");
        }
        let out = dir
            .command()
            .args(["stats", "--json", "-"])
            .stdin(render_all(&entries, format))
            .run();
        out.expect_code(0);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(dist(&v["levelBreakdown"]), levels, "{format:?} stdin");
        assert_eq!(
            dist(&v["serviceDistribution"]),
            services,
            "{format:?} stdin"
        );
    }
}

#[test]
fn buckets_follow_the_interval_and_the_query() {
    let entries = gen_entries(&gen_cfg(3000, SEED, GenFormat::Json));
    let dir = Dir::new();
    dir.create("a.jsonl", render_all(&entries, GenFormat::Json));
    let v = stats_json(&dir, &["--interval", "5s", "a.jsonl"]);
    assert_eq!(v["intervalSeconds"], 5.0);
    // Truth: entries per 5 s bucket, from the generated timestamps.
    let mut want: BTreeMap<i64, u64> = BTreeMap::new();
    for e in &entries {
        let ms = e.ts_ns.div_euclid(1_000_000);
        *want.entry(ms.div_euclid(5000) * 5000).or_insert(0) += 1;
    }
    let got: BTreeMap<i64, u64> = v["volumeData"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["value"].as_u64().unwrap() > 0)
        .map(|b| {
            let t = gen::parse_rfc3339_ns(b["timestamp"].as_str().unwrap()).unwrap() / 1_000_000;
            (t, b["value"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(got, want);
    // The query narrows everything.
    let v = stats_json(&dir, &["-q", "service:covet-db", "a.jsonl"]);
    let db = entries.iter().filter(|e| e.service == "covet-db").count() as u64;
    assert_eq!(v["totalLogs"], db);
    assert_eq!(dist(&v["serviceDistribution"]).len(), 1);
}

#[test]
fn templates_group_known_messages() {
    let dir = Dir::new();
    let mut text = String::new();
    let msgs = [
        ("Failed to process request: timeout after 30s", 3),
        ("Failed to process request: timeout after 5s", 2),
        ("Authentication failed for user_456: invalid token", 4),
        ("Authentication failed for user_9: invalid token", 1),
        ("Upstream 10.0.3.17:5432 returned 502", 2),
        ("Job job_1a2b3c4d failed after 12.5s", 1),
        ("Job job_ffee0011 failed after 3s", 1),
    ];
    let mut i = 0;
    for (m, n) in msgs {
        for _ in 0..n {
            i += 1;
            text.push_str(&format!(
                "{{\"id\":\"e{i}\",\"timestamp\":\"2024-01-15T10:00:{:02}Z\",\"level\":\"ERROR\",\"service\":\"s\",\"message\":\"{m}\"}}\n",
                i
            ));
        }
    }
    text.push_str("{\"timestamp\":\"2024-01-15T10:00:50Z\",\"level\":\"INFO\",\"message\":\"Started after 5s\"}\n");
    dir.create("e.jsonl", &text);
    let v = stats_json(&dir, &["e.jsonl"]);
    let got = counts(&v["templates"], "template", "count");
    let want: BTreeMap<String, u64> = [
        ("Failed to process request: timeout after <*>s", 5),
        ("Authentication failed for user_<*>: invalid token", 5),
        ("Upstream <*> returned <*>", 2),
        ("Job job_<*> failed after <*>s", 2),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(got, want);
    assert_eq!(v["topError"]["count"], 5);
    // Ties go to the template seen first.
    assert_eq!(
        v["topError"]["message"],
        "Failed to process request: timeout after <*>s"
    );
    let first = &v["templates"][0];
    assert_eq!(first["exampleId"], "e1");
    assert_eq!(first["firstSeen"], "2024-01-15T10:00:01.000Z");
    assert_eq!(first["lastSeen"], "2024-01-15T10:00:05.000Z");

    // On generated data: one template per generator message kind with numbers only.
    let entries = gen_entries(&gen_cfg(5000, SEED, GenFormat::Json));
    let want = entries
        .iter()
        .filter(|e| {
            is_error(e)
                && e.message
                    .starts_with("Failed to process request: timeout after")
        })
        .count() as u64;
    let dir = Dir::new();
    dir.create("g.log", render_all(&entries, GenFormat::Text));
    let v = stats_json(&dir, &["--top", "100", "g.log"]);
    let t = v["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["template"] == "Failed to process request: timeout after <*>s")
        .expect("timeout template");
    assert_eq!(t["count"], want);
}

#[test]
fn calm_data_has_no_insights() {
    for (seed, lines) in [(SEED, 20_000), (3, 8000), (42, 50_000)] {
        let entries = gen_entries(&gen_cfg(lines, seed, GenFormat::Json));
        let dir = Dir::new();
        dir.create("calm.jsonl", render_all(&entries, GenFormat::Json));
        let v = stats_json(&dir, &["calm.jsonl"]);
        assert_eq!(
            v["insights"],
            serde_json::json!([]),
            "seed {seed}: {:#}",
            v["insights"]
        );
    }
}

/// An ERROR entry for `service` at `ts_ns`.
fn error_entry(
    template: &GenEntry,
    ts_ns: i64,
    service: &'static str,
    msg: &str,
    n: usize,
) -> GenEntry {
    GenEntry {
        id: format!("log_x{n:06}"),
        ts_ns,
        level: "ERROR",
        service,
        source: "pool.rs:64".to_string(),
        message: msg.to_string(),
        metadata: Vec::new(),
        multiline: None,
        text_block: false,
        ..template.clone()
    }
}

#[test]
fn injected_spike_is_found_in_its_window_with_its_service() {
    let entries = gen_entries(&gen_cfg(20_000, SEED, GenFormat::Json));
    let first = entries[0].ts_ns;
    let last = entries[entries.len() - 1].ts_ns;
    // 150 extra covet-db errors within 2 seconds, 40 % of the way in.
    let at = first + (last - first) * 2 / 5;
    let mut all = entries.clone();
    for n in 0..150 {
        let ts = at + n as i64 * 13_000_000;
        all.push(error_entry(
            &entries[0],
            ts,
            "covet-db",
            "Database query failed: connection refused (pool size 20)",
            n,
        ));
    }
    all.sort_by_key(|e| e.ts_ns);
    for format in [GenFormat::Json, GenFormat::Text] {
        let dir = Dir::new();
        dir.create("spike.log", render_all(&all, format));
        let v = stats_json(&dir, &["spike.log"]);
        let insights = v["insights"].as_array().unwrap();
        let spikes: Vec<&Value> = insights
            .iter()
            .filter(|i| i["type"] == "error_spike")
            .collect();
        assert_eq!(spikes.len(), 1, "{format:?}: {insights:#?}");
        let s = spikes[0];
        assert_eq!(s["service"], "covet-db");
        let start = gen::parse_rfc3339_ns(s["start"].as_str().unwrap()).unwrap();
        let end = gen::parse_rfc3339_ns(s["end"].as_str().unwrap()).unwrap();
        // The reported window holds (nearly) all of the injected entries.
        let inside = (0..150)
            .map(|n| at + n as i64 * 13_000_000)
            .filter(|t| *t >= start && *t < end)
            .count();
        assert!(inside >= 135, "{format:?}: {inside} of 150 in {s:#}");
        let interval = (v["intervalSeconds"].as_f64().unwrap() * 1e9) as i64;
        assert!(end - start <= 2 * interval, "{s:#}");
        // 150 errors where a handful are expected: the adjusted p-value is tiny, and
        // the confidence is 100 x (1 - p) rounded down to one decimal.
        let p = s["pValue"].as_f64().unwrap();
        assert!(p < 1e-6, "{s:#}");
        assert_eq!(s["confidence"].as_f64(), Some(99.9), "{s:#}");
        let cmd = s["actions"][0]["command"].as_str().unwrap();
        assert!(
            cmd.starts_with("covet-logs search 'level:>=ERROR service:covet-db' --since "),
            "{cmd}"
        );
        // The suggested command finds the injected entries.
        let args: Vec<&str> = cmd.split(' ').collect();
        let since = args[args.iter().position(|a| *a == "--since").unwrap() + 1];
        let until = args[args.iter().position(|a| *a == "--until").unwrap() + 1];
        let out = dir
            .command()
            .args([
                "search",
                "-c",
                "level:>=ERROR service:covet-db",
                "--since",
                since,
                "--until",
                until,
                "spike.log",
            ])
            .run();
        // Exactly the covet-db errors in the window: the injected 150 and the
        // generator's own.
        let (lo, hi) = (
            gen::parse_rfc3339_ns(since).unwrap(),
            gen::parse_rfc3339_ns(until).unwrap(),
        );
        let want = all
            .iter()
            .filter(|e| matches!(e.level, "ERROR" | "FATAL") && e.service == "covet-db")
            .filter(|e| {
                (e.ts_ns / 1_000_000 * 1_000_000) >= lo && (e.ts_ns / 1_000_000 * 1_000_000) < hi
            })
            .count() as u64;
        assert!(want >= 150, "premise: {want}");
        assert_eq!(out.count(), want, "{}", out.context());
    }
}

#[test]
fn new_error_in_the_latest_part_is_reported() {
    let entries = gen_entries(&gen_cfg(20_000, SEED, GenFormat::Json));
    let first = entries[0].ts_ns;
    let last = entries[entries.len() - 1].ts_ns;
    let mut all = entries.clone();
    // A template never seen before, 12 times in the last tenth.
    for n in 0..12 {
        let ts = last - (last - first) / 10 + n as i64 * 1_000_000_000;
        all.push(error_entry(
            &entries[0],
            ts,
            "covet-cache",
            &format!("Disk quota exceeded on volume vol_{n}"),
            n,
        ));
    }
    all.sort_by_key(|e| e.ts_ns);
    let dir = Dir::new();
    dir.create("new.jsonl", render_all(&all, GenFormat::Json));
    let v = stats_json(&dir, &["new.jsonl"]);
    let news: Vec<&Value> = v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["type"] == "new_error")
        .collect();
    assert_eq!(news.len(), 1, "{:#}", v["insights"]);
    assert_eq!(
        news[0]["title"],
        "New error: Disk quota exceeded on volume vol_<*>"
    );
    assert!(news[0]["actions"][0]["command"]
        .as_str()
        .unwrap()
        .contains("'level:>=ERROR \"Disk quota exceeded on volume vol\"'"));
}

#[test]
fn slower_latest_part_is_a_performance_degradation() {
    let mut entries = gen_entries(&gen_cfg(20_000, SEED, GenFormat::Json));
    let first = entries[0].ts_ns;
    let last = entries[entries.len() - 1].ts_ns;
    let cut = last - (last - first) / 5;
    for e in entries.iter_mut().filter(|e| e.ts_ns >= cut) {
        for (k, v) in e.metadata.iter_mut() {
            if k == "duration_ms" {
                *v = Value::from(v.as_u64().unwrap_or(0) * 4);
            }
        }
    }
    let dir = Dir::new();
    dir.create("slow.jsonl", render_all(&entries, GenFormat::Json));
    let v = stats_json(&dir, &["slow.jsonl"]);
    let kinds: Vec<&str> = v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"performance_degradation"),
        "{:#}",
        v["insights"]
    );
}

#[test]
fn service_share_shift_is_an_unusual_pattern() {
    let entries = gen_entries(&gen_cfg(20_000, SEED, GenFormat::Json));
    let first = entries[0].ts_ns;
    let last = entries[entries.len() - 1].ts_ns;
    let cut = last - (last - first) / 5;
    // covet-worker falls silent in the latest fifth.
    let kept: Vec<&GenEntry> = entries
        .iter()
        .filter(|e| !(e.ts_ns >= cut && e.service == "covet-worker"))
        .collect();
    let dir = Dir::new();
    dir.create("shift.jsonl", render_all(kept, GenFormat::Json));
    let v = stats_json(&dir, &["shift.jsonl"]);
    let hit = v["insights"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["type"] == "unusual_pattern" && i["service"] == "covet-worker");
    assert!(hit.is_some(), "{:#}", v["insights"]);
}

#[test]
fn by_and_value_match_truth() {
    let entries = gen_entries(&gen_cfg(6000, SEED, GenFormat::Json));
    let dir = Dir::new();
    dir.create("a.jsonl", render_all(&entries, GenFormat::Json));
    let v = stats_json(
        &dir,
        &[
            "--by",
            "metadata.endpoint",
            "--by",
            "user_id",
            "--value",
            "duration_ms",
            "--top",
            "1000",
            "a.jsonl",
        ],
    );
    let endpoint = |e: &GenEntry| {
        e.metadata
            .iter()
            .find(|(k, _)| k == "endpoint")
            .map(|(_, v)| v.as_str().unwrap().to_string())
    };
    let duration = |e: &GenEntry| {
        e.metadata
            .iter()
            .find(|(k, _)| k == "duration_ms")
            .and_then(|(_, v)| v.as_f64())
    };
    let want = truth_by(&entries, |e| endpoint(e).unwrap_or_else(|| "(none)".into()));
    let b = breakdown(&v, "metadata.endpoint");
    let got = counts(&b["groups"], "name", "count");
    assert_eq!(got, want);
    let users = truth_by(&entries, |e| {
        e.user_id.clone().unwrap_or_else(|| "(none)".into())
    });
    assert_eq!(breakdown(&v, "user_id")["distinct"], users.len());
    // Per-group value stats: exact count/min/max, quantiles within the sketch's 1 %.
    let mut health: Vec<f64> = entries
        .iter()
        .filter(|e| endpoint(e).as_deref() == Some("/health"))
        .filter_map(duration)
        .collect();
    health.sort_by(f64::total_cmp);
    let g = b["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "/health")
        .unwrap();
    let val = &g["value"];
    assert_eq!(val["count"], health.len());
    assert_eq!(val["min"].as_f64().unwrap(), health[0]);
    assert_eq!(val["max"].as_f64().unwrap(), health[health.len() - 1]);
    for (q, key) in [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")] {
        let exact = health[(q * (health.len() - 1) as f64).floor() as usize];
        let got = val[key].as_f64().unwrap();
        assert!(
            (got - exact).abs() <= exact * 0.021,
            "{key}: {got} vs {exact}"
        );
    }
    let all: Vec<f64> = entries.iter().filter_map(duration).collect();
    assert_eq!(v["value"]["count"], all.len());
}

#[test]
fn trends_compare_with_the_previous_window() {
    let entries = gen_entries(&gen_cfg(6000, SEED, GenFormat::Json));
    let dir = Dir::new();
    dir.create("a.jsonl", render_all(&entries, GenFormat::Json));
    let t0 = entries[0].ts_ns;
    let since = t0 + 20_000_000_000;
    let until = t0 + 40_000_000_000;
    let in_range = |lo: i64, hi: i64| {
        entries
            .iter()
            .filter(|e| {
                let ms = e.ts_ns.div_euclid(1_000_000) * 1_000_000;
                ms >= lo && ms < hi
            })
            .collect::<Vec<_>>()
    };
    let cur = in_range(since, until);
    let prev = in_range(since - 20_000_000_000, since);
    let s = gen::format_timestamp(since);
    let u = gen::format_timestamp(until);
    let v = stats_json(&dir, &["--since", &s, "--until", &u, "a.jsonl"]);
    assert_eq!(v["totalLogs"], cur.len());
    assert_eq!(
        v["trends"]["totalLogs"]["previous"].as_f64().unwrap(),
        prev.len() as f64
    );
    let prev_err = prev.iter().filter(|e| is_error(e)).count();
    assert_eq!(
        v["trends"]["errors"]["previous"].as_f64().unwrap(),
        prev_err as f64
    );
    assert_eq!(v["span"]["seconds"], 20.0);
    // No window: no trends.
    let v = stats_json(&dir, &["a.jsonl"]);
    assert_eq!(v["trends"], Value::Null);
}

#[test]
fn alerts_fire_with_exit_codes() {
    let entries = gen_entries(&gen_cfg(3000, SEED, GenFormat::Json));
    let dir = Dir::new();
    dir.create("a.jsonl", render_all(&entries, GenFormat::Json));
    let fatal = entries.iter().filter(|e| e.level == "FATAL").count();
    assert!(fatal > 0);
    let cases: [(&str, i32); 9] = [
        ("error_rate > 5%", 0),
        ("error_rate > 50%", 0),
        ("count(level:FATAL) > 0", 0),
        ("count(level:FATAL service:nope) > 0", 0),
        ("rate < 10/s", 0),
        ("rate > 10/s", 0),
        ("count >= 3000", 0),
        ("p95(duration_ms) > 100000", 0),
        ("errors == 0", 0),
    ];
    let errors = entries.iter().filter(|e| is_error(e)).count() as f64;
    let rate_pct = errors * 100.0 / 3000.0;
    let span_s = (entries[2999].ts_ns - entries[0].ts_ns) as f64 / 1e9;
    let want_fired = [
        rate_pct > 5.0,
        rate_pct > 50.0,
        true,
        false,
        3000.0 / span_s < 10.0,
        3000.0 / span_s > 10.0,
        true,
        false,
        errors == 0.0,
    ];
    for ((rule, _), fired) in cases.iter().zip(want_fired) {
        let out = dir
            .command()
            .args(["stats", "--alert", rule, "a.jsonl"])
            .run();
        out.expect_code(if fired { 1 } else { 0 });
        let line = format!("ALERT {rule}: ");
        assert_eq!(out.stdout_str().contains(&line), fired, "{}", out.context());
        // With --json: the JSON says so, the line goes to stderr.
        let out = dir
            .command()
            .args(["stats", "--json", "--alert", rule, "a.jsonl"])
            .run();
        out.expect_code(if fired { 1 } else { 0 });
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["alerts"][0]["fired"], fired, "{rule}");
        assert_eq!(out.stderr.contains(&line), fired, "{}", out.context());
    }
    // Several rules: one firing is enough.
    let out = dir
        .command()
        .args([
            "stats",
            "--alert",
            "error_rate > 50%",
            "--alert",
            "count(level:FATAL) > 0",
            "a.jsonl",
        ])
        .run();
    out.expect_code(1);
    assert!(out
        .stdout_str()
        .contains(&format!("{fatal} entries match level:FATAL")));
}

#[test]
fn bad_rules_and_inputs_exit_2_with_one_line() {
    let dir = Dir::new();
    dir.create("a.log", "2024-01-15 10:00:00.000 [ERROR] s a.rs:1 boom\n");
    let out = dir
        .command()
        .args(["stats", "--alert", "error_rate >> 5", "a.log"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: --alert: expected a number\n  error_rate >> 5\n              ^\n"
    );
    let out = dir
        .command()
        .args(["stats", "--alert", "count(level:) > 1", "a.log"])
        .run();
    out.expect_code(2);
    assert!(
        out.stderr.starts_with(
            "covet-logs: --alert: expected a value after 'level:'\n  count(level:) > 1\n"
        ),
        "{}",
        out.stderr
    );
    let out = dir.command().args(["stats", "nope.log"]).run();
    out.expect_code(2);
    assert!(
        out.stderr.starts_with("covet-logs: nope.log: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    let out = dir
        .command()
        .args(["stats", "--interval", "5x", "a.log"])
        .run();
    out.expect_code(2);
    assert!(
        out.stderr
            .starts_with("covet-logs: --interval: invalid duration"),
        "{}",
        out.stderr
    );
    let out = dir
        .command()
        .args(["stats", "-q", "level:(", "a.log"])
        .run();
    out.expect_code(2);
    // A missing file among good ones: the others are still summarized.
    let out = dir
        .command()
        .args(["stats", "--json", "a.log", "nope.log"])
        .run();
    out.expect_code(2);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totalLogs"], 1);
}

#[test]
fn odd_input_never_panics() {
    let dir = Dir::new();
    dir.create("empty.log", "");
    dir.create(
        "junk.log",
        "\u{0}\u{1b}[31mred\n{\"level\":\n}}}\n\n\u{202e}evil\n",
    );
    dir.create(
        "odd.jsonl",
        "{\"timestamp\":\"1970-01-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"\\u001b[2J\"}\n{\"timestamp\":\"2999-01-01T00:00:00Z\",\"level\":\"FATAL\",\"message\":\"x\"}\n{\"level\":\"ERROR\"}\n",
    );
    for f in ["junk.log", "odd.jsonl"] {
        for extra in [
            &[][..],
            &["--json"],
            &["--by", "x.y", "--value", "x"],
            &["--interval", "1s"],
        ] {
            let out = dir
                .command()
                .args(["stats", "--color", "always", f])
                .args(extra)
                .run();
            out.expect_code(0);
            if extra.is_empty() {
                let s = out.stdout_str();
                assert!(!s.contains("\u{1b}[2J") && !s.contains('\u{202e}'), "{s}");
            }
        }
    }
    let out = dir.command().args(["stats", "empty.log"]).run();
    out.expect_code(0);
}

#[test]
fn follow_prints_a_snapshot_as_entries_arrive() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let entries = gen_entries(&gen_cfg(400, SEED, GenFormat::Json));
    let dir = Dir::new();
    let path = dir.create("live.jsonl", render_all(&entries[..200], GenFormat::Json));
    let mut child = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .args(["stats", "-f", "--json"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let v: Value = serde_json::from_str(&line).expect("one JSON object per line");
            if tx
                .send(v["totalLogs"].as_u64().expect("totalLogs"))
                .is_err()
            {
                break;
            }
        }
    });
    let wait_for = |want: u64| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(n) = rx.recv_timeout(Duration::from_millis(200)) {
                if n == want {
                    return true;
                }
            }
        }
        false
    };
    let first = wait_for(200);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    f.write_all(&render_all(&entries[200..], GenFormat::Json))
        .expect("append");
    drop(f);
    let second = wait_for(400);
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "no snapshot with the first 200 entries");
    assert!(second, "no snapshot with all 400 entries");
}
