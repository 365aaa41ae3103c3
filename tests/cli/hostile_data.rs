//! Hostile data, issue 10 cases 12, 15, 16 and 17: what a log's own content can do to
//! the answers and the memory of `fields`, `search --json`, `export` and `stats`.
//! Every expectation is computed here, from the bytes the test wrote.

use crate::util;

use serde_json::Value;

use util::{Dir, Rng};

// ---------------------------------------------------------------------------------
// 17: `stats --value` percentiles keep the sketch's relative accuracy
// ---------------------------------------------------------------------------------

/// The sketch's stated relative accuracy (README: "within 1 %").
const ALPHA: f64 = 0.01;

fn stats_value(dir: &Dir, file: &str, field: &str) -> Value {
    let out = dir
        .command()
        .args(["stats", "--json", "--value", field, file])
        .run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stats --json is JSON");
    doc["value"].clone()
}

/// The value of rank `floor(q * (n - 1))` of the sorted values.
fn rank_value(sorted: &[f64], q: f64) -> f64 {
    sorted[(q * (sorted.len() - 1) as f64).floor() as usize]
}

fn assert_percentiles(value: &Value, mut values: Vec<f64>, what: &str) {
    values.sort_by(f64::total_cmp);
    for (key, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
        let got = value[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: no {key}"));
        let want = rank_value(&values, q);
        assert!(
            (got - want).abs() <= want.abs() * ALPHA * (1.0 + 1e-9),
            "{what}: {key} = {got}, exact {want}"
        );
    }
    // min and max are exact; serde_json's default float reader may be 1 ulp off.
    for (key, want) in [("min", values[0]), ("max", values[values.len() - 1])] {
        let got = value[key].as_f64().unwrap_or(f64::NAN);
        assert!(
            (got - want).abs() <= want.abs() * 1e-15,
            "{what}: {key} {got} vs {want}"
        );
    }
    assert_eq!(value["count"].as_u64(), Some(values.len() as u64), "{what}");
}

fn value_log(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{{\"level\":\"info\",\"msg\":\"x\",\"d\":{v:e}}}\n"))
        .collect()
}

#[test]
fn stats_value_p50_of_small_values_with_a_huge_outlier() {
    let dir = Dir::new();
    let values = vec![1.0, 2.0, 3.0, 4.0, 1e23];
    dir.create("v.log", value_log(&values));
    let v = stats_value(&dir, "v.log", "d");
    // Was 164448: the low bins had been folded together to make room for 1e23.
    assert_percentiles(&v, values, "{1,2,3,4,1e23}");
}

#[test]
fn stats_value_percentiles_on_skewed_and_signed_inputs() {
    let dir = Dir::new();
    let mut rng = Rng::new(99);
    let mut unit = move || rng.unit();
    let heavy: Vec<f64> = (0..3000).map(|_| unit().powf(-3.0)).collect();
    let signed: Vec<f64> = (0..3000)
        .map(|i| match i % 4 {
            0 => 0.0,
            1 => -unit() * 1e9,
            2 => unit() * 1e-12,
            _ => unit() * 1e30,
        })
        .collect();
    for (what, values) in [("heavy tail", heavy), ("signed, tiny and huge", signed)] {
        dir.create("v.log", value_log(&values));
        let v = stats_value(&dir, "v.log", "d");
        assert_percentiles(&v, values, what);
    }
}

// ---------------------------------------------------------------------------------
// 15: a level that is none of the six keeps its original value
// ---------------------------------------------------------------------------------

/// Lines with unknown levels, and the original value each must keep (as JSON).
fn unknown_levels() -> (String, Vec<Value>) {
    let lines = [
        r#"{"level":"http","msg":"one"}"#,
        r#"{"level":"AUDIT","msg":"two"}"#,
        r#"{"level":{"n":1},"msg":"three"}"#,
    ];
    let want = vec![
        Value::from("http"),
        Value::from("AUDIT"),
        serde_json::json!({"n": 1}),
    ];
    (lines.join("\n") + "\n", want)
}

#[test]
fn search_json_keeps_an_unknown_level_as_metadata() {
    let dir = Dir::new();
    let (text, want) = unknown_levels();
    dir.create("a.log", text);
    let out = dir.command().args(["search", "--json", "", "a.log"]).run();
    out.expect_code(0);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 3, "{}", out.context());
    for (obj, want) in lines.iter().zip(&want) {
        assert_eq!(obj["level"], Value::Null, "not one of the six levels");
        assert_eq!(obj["metadata"]["level"], *want, "{}", out.context());
    }
}

#[test]
fn export_ndjson_and_csv_keep_an_unknown_level() {
    let dir = Dir::new();
    let (text, want) = unknown_levels();
    dir.create("a.log", text);
    let out = dir
        .command()
        .args(["export", "--format", "ndjson", "a.log"])
        .run();
    out.expect_code(0);
    let got: Vec<Value> = out
        .json_lines()
        .iter()
        .map(|o| o["metadata"]["level"].clone())
        .collect();
    assert_eq!(got, want, "{}", out.context());

    let out = dir
        .command()
        .args(["export", "--format", "csv", "a.log"])
        .run();
    out.expect_code(0);
    let rows = csv_rows(&out.stdout);
    let col = column(&rows[0], "metadata.level");
    let cells: Vec<&str> = rows[1..].iter().map(|r| r[col].as_str()).collect();
    assert_eq!(cells, ["http", "AUDIT", r#"{"n":1}"#], "{}", out.context());
    let level = column(&rows[0], "level");
    assert!(rows[1..].iter().all(|r| r[level].is_empty()));
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("CSV row").iter().map(str::to_string).collect())
        .collect()
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

// ---------------------------------------------------------------------------------
// 16: duplicate keys, the first wins everywhere
// ---------------------------------------------------------------------------------

const DUPLICATES: &str = concat!(
    r#"{"level":"info","user":"a","user":"b","msg":"x"}"#,
    "\n",
    r#"{"level":"warn","m":{"k":"p","k":"q"},"msg":"y"}"#,
    "\n",
);

#[test]
fn duplicate_keys_queries_use_the_first_value() {
    let dir = Dir::new();
    dir.create("d.log", DUPLICATES);
    for (query, want) in [
        ("user:a", 1),
        ("user:b", 0),
        ("m.k:p", 1),
        ("m.k:q", 0),
        ("k:p", 1),
        ("k:q", 0),
    ] {
        let out = dir.command().args(["search", "-c", query, "d.log"]).run();
        assert_eq!(out.count(), want, "{query}\n{}", out.context());
    }
}

#[test]
fn duplicate_keys_output_shows_the_first_value() {
    let dir = Dir::new();
    dir.create("d.log", DUPLICATES);
    let want_meta = [
        serde_json::json!({"user": "a"}),
        serde_json::json!({"m": {"k": "p"}}),
    ];
    for args in [
        &["search", "--json", "", "d.log"][..],
        &["export", "--format", "ndjson", "d.log"],
    ] {
        let out = dir.command().args(args).run();
        out.expect_code(0);
        let got: Vec<Value> = out
            .json_lines()
            .iter()
            .map(|o| o["metadata"].clone())
            .collect();
        assert_eq!(got, want_meta, "{}", out.context());
    }

    let out = dir
        .command()
        .args(["export", "--format", "csv", "d.log"])
        .run();
    out.expect_code(0);
    let rows = csv_rows(&out.stdout);
    let (user, k) = (
        column(&rows[0], "metadata.user"),
        column(&rows[0], "metadata.m.k"),
    );
    assert_eq!((rows[1][user].as_str(), rows[2][k].as_str()), ("a", "p"));

    let out = dir.command().args(["fields", "--json", "d.log"]).run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("fields --json");
    for (field, value) in [("metadata.user", "a"), ("metadata.m.k", "p")] {
        let f = doc["fields"]
            .as_array()
            .and_then(|l| l.iter().find(|f| f["field"] == field))
            .unwrap_or_else(|| panic!("no {field}: {doc}"));
        assert_eq!(f["present"], 1, "{field}");
        assert_eq!(f["top"], serde_json::json!([{"value": value, "count": 1}]));
    }

    let out = dir
        .command()
        .args(["stats", "--json", "--by", "user", "d.log"])
        .run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stats --json");
    let groups = doc["breakdowns"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["field"] == "user"))
        .map(|b| b["groups"].clone())
        .expect("a user breakdown");
    let names: Vec<&str> = groups
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert!(names.contains(&"a") && !names.contains(&"b"), "{groups}");
}

#[test]
fn repeated_logfmt_keys_follow_the_same_rule() {
    let dir = Dir::new();
    dir.create("l.log", "level=info user=a user=b msg=x\n");
    let out = dir
        .command()
        .args(["search", "-c", "user:b", "l.log"])
        .run();
    assert_eq!(out.count(), 0, "{}", out.context());
    let out = dir
        .command()
        .args(["search", "--json", "user:a", "l.log"])
        .run();
    assert_eq!(out.json_lines()[0]["metadata"]["user"], "a");
}

// ---------------------------------------------------------------------------------
// 12: `fields` keeps a bounded number of field names and counts the rest
// ---------------------------------------------------------------------------------

/// Names tracked in full by `fields` (README).
const FIELD_CAP: usize = 10_000;

/// Runs the built binary with `args` in `dir`, returns its stdout, exit code and peak
/// RSS in KiB, as the child measured it (`util::split_peak_rss`).
fn run_with_peak_rss(dir: &Dir, args: &[&str]) -> (Vec<u8>, i32, u64) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .args(args)
        .current_dir(dir.path())
        .env("COVET_LOGS_NO_HISTORY", "1")
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env(util::PEAK_RSS_ENV, "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run covet-logs");
    let (_, peak_kib) = util::split_peak_rss(&String::from_utf8_lossy(&out.stderr));
    (out.stdout, out.status.code().unwrap_or(-1), peak_kib)
}

#[test]
fn fields_with_200k_distinct_names_stays_bounded_and_counts_the_rest() {
    let dir = Dir::new();
    // Line j has `k{j}` and `k{(7j) mod N}`: 200,000 names, most of them twice.
    const N: usize = 200_000;
    let mut text = String::with_capacity(N * 48);
    let mut truth: std::collections::HashMap<String, u64> = Default::default();
    for j in 0..N {
        let (a, b) = (format!("k{j}"), format!("k{}", (7 * j) % N));
        text.push_str(&format!(
            "{{\"level\":\"info\",\"msg\":\"m\",\"{a}\":1,\"{b}\":2}}\n"
        ));
        // A name twice in one line is one key (the first wins) and one presence.
        let names = if a == b { vec![a] } else { vec![a, b] };
        for name in names {
            *truth.entry(format!("metadata.{name}")).or_default() += 1;
        }
    }
    truth.insert("level".into(), N as u64);
    truth.insert("message".into(), N as u64);
    dir.create("keys.log", text);

    let (stdout, code, peak_kib) = run_with_peak_rss(&dir, &["fields", "--json", "keys.log"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_slice(&stdout).expect("fields --json");
    let kept = doc["fields"].as_array().expect("fields");
    assert_eq!(kept.len(), FIELD_CAP);
    let mut kept_occurrences = 0;
    for f in kept {
        let name = f["field"].as_str().unwrap();
        let want = truth[name];
        assert_eq!(f["present"].as_u64(), Some(want), "{name}");
        kept_occurrences += want;
    }
    let all_occurrences: u64 = truth.values().sum();
    assert_eq!(
        doc["moreFields"],
        serde_json::json!({
            "count": truth.len() - FIELD_CAP,
            "countExact": true,
            "occurrences": all_occurrences - kept_occurrences,
        })
    );
    // Before the cap: 1.18 GB (debug build) and growing with every new name; now
    // about 55 MB (22 MB for the same lines with two names).
    assert!(peak_kib < 120 * 1024, "peak RSS {peak_kib} KiB");

    let (stdout, code, _) = run_with_peak_rss(&dir, &["fields", "keys.log"]);
    assert_eq!(code, 0);
    let table = String::from_utf8(stdout).unwrap();
    let more = format!(
        "… and {} more fields ({} occurrences), not tracked past the first {FIELD_CAP}\n",
        truth.len() - FIELD_CAP,
        all_occurrences - kept_occurrences
    );
    assert!(
        table.contains(&more),
        "{}",
        util::snippet(table.as_bytes(), 300)
    );
    let rows = table
        .lines()
        .filter(|l| {
            ["level ", "message ", "metadata."]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count();
    assert_eq!(rows, FIELD_CAP);

    // One field asked for by name is found even past the cap, with exact counts.
    let out = dir
        .command()
        .args(["fields", "--json", "k199999", "keys.log"])
        .run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["fields"][0]["field"], "metadata.k199999");
    assert_eq!(doc["fields"][0]["present"], truth["metadata.k199999"]);
}

// ---------------------------------------------------------------------------------
// 13: `search --newest-first` prints in reverse without holding every match
// ---------------------------------------------------------------------------------

#[test]
fn newest_first_is_the_exact_reverse_in_bounded_memory() {
    let dir = Dir::new();
    let lines: Vec<String> = (0..200_000)
        .map(|i| {
            format!(
                r#"{{"ts":"2024-01-01T{:02}:{:02}:{:02}.{:03}Z","level":"info","msg":"entry {i} {}"}}"#,
                i / 3_600_000 % 24,
                i / 60_000 % 60,
                i / 1000 % 60,
                i % 1000,
                "p".repeat(120)
            )
        })
        .collect();
    dir.create("big.jsonl", &(lines.join("\n") + "\n"));
    // A stream read with one thread and small blocks: the scan itself holds a few KiB,
    // so a reversed print that kept its ~38 MB of output would show in the peak.
    let (stdout, code, peak_kib) = run_with_peak_rss(
        &dir,
        &[
            "search",
            "--no-mmap",
            "-j",
            "1",
            "--chunk-size",
            "65536",
            "--newest-first",
            "entry",
            "big.jsonl",
        ],
    );
    assert_eq!(code, 0);
    let expected: String = lines.iter().rev().map(|l| format!("{l}\n")).collect();
    assert!(
        stdout == expected.as_bytes(),
        "output is not the input reversed"
    );
    assert!(
        peak_kib < 32 * 1024,
        "peak RSS {peak_kib} KiB for a reversed print of 38 MB"
    );
}
