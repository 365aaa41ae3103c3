//! Hostile data, issue 10 cases 12, 15, 16 and 17: what a log's own content can do to
//! the answers and the memory of `fields`, `search --json`, `export` and `stats`.
//! Every expectation is computed here, from the bytes the test wrote.

mod util;

use serde_json::Value;

use util::Dir;

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
    let mut seed = 99u64;
    let mut unit = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
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
