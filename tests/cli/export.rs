//! End-to-end tests of `covet-logs export`: every format read back (csv with the csv
//! crate, ndjson and json with serde_json) and compared with the generator's own
//! `GenEntry` values, the time merge of several files, CSV formula neutralization and
//! the atomic `-o` write.

use crate::util;

use covet_gen::{self as gen, GenEntry, GenFormat};
use serde_json::{Map, Value};

use util::{gen_cfg, gen_entries, truth_matching, Dir};

const SEED: u64 = 11;
const LINES: usize = 2500;

fn fixture() -> (Dir, Vec<GenEntry>) {
    let dir = Dir::new();
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    dir.create_gen("logs.jsonl", &cfg);
    (dir, gen_entries(&cfg))
}

/// The spreadsheet-safe form of a cell, written independently of the tool.
fn safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Metadata flattened to `metadata.a.b` paths, leaves as the cell text.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => out.push((prefix.to_string(), String::new())),
        v => out.push((prefix.to_string(), v.to_string())),
    }
}

fn expected_meta(e: &GenEntry) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in &e.metadata {
        flatten(&format!("metadata.{k}"), v, &mut out);
    }
    out
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .expect("csv header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("csv row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_round_trips_to_the_generator_values() {
    let (dir, entries) = fixture();
    let out = dir
        .command()
        .args(["export", "--format", "csv", "logs.jsonl"])
        .run();
    out.expect_code(0);
    let (header, rows) = read_csv(&out.stdout);
    assert_eq!(
        &header[..13],
        [
            "id",
            "timestamp",
            "level",
            "service",
            "source",
            "message",
            "traceId",
            "spanId",
            "userId",
            "requestId",
            "tags",
            "file",
            "line"
        ]
    );
    // The metadata columns are exactly the paths present in the data, sorted.
    let mut want_cols: Vec<String> = entries
        .iter()
        .flat_map(expected_meta)
        .map(|(k, _)| k)
        .collect();
    want_cols.sort();
    want_cols.dedup();
    assert_eq!(header[13..], want_cols[..]);
    assert_eq!(rows.len(), entries.len());
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    for (i, (row, e)) in rows.iter().zip(&entries).enumerate() {
        let ctx = format!("row {i}: {row:?}\nwant {e:?}");
        assert_eq!(row[col("id")], e.id, "{ctx}");
        assert_eq!(
            gen::parse_rfc3339_ns(&row[col("timestamp")]).expect("timestamp"),
            e.ts_ns.div_euclid(1_000_000) * 1_000_000,
            "{ctx}"
        );
        assert_eq!(row[col("level")], e.level, "{ctx}");
        assert_eq!(row[col("service")], e.service, "{ctx}");
        assert_eq!(row[col("source")], safe(&e.source), "{ctx}");
        assert_eq!(row[col("message")], safe(&e.message), "{ctx}");
        for (name, v) in [
            ("traceId", &e.trace_id),
            ("spanId", &e.span_id),
            ("userId", &e.user_id),
            ("requestId", &e.request_id),
        ] {
            assert_eq!(
                row[col(name)],
                v.clone().unwrap_or_default(),
                "{name} {ctx}"
            );
        }
        let tags: Vec<&str> = if row[col("tags")].is_empty() {
            vec![]
        } else {
            row[col("tags")].split(';').collect()
        };
        assert_eq!(tags, e.tags, "{ctx}");
        assert_eq!(row[col("file")], "logs.jsonl");
        assert_eq!(row[col("line")], (i + 1).to_string());
        let meta = expected_meta(e);
        for c in &want_cols {
            let want = meta
                .iter()
                .find(|(k, _)| k == c)
                .map_or(String::new(), |(_, v)| safe(v));
            assert_eq!(row[col(c)], want, "{c} {ctx}");
        }
        // Numbers come back as the same numbers.
        if let Some((_, Value::Number(n))) = e.metadata.iter().find(|(k, _)| k == "duration_ms") {
            let got: f64 = row[col("metadata.duration_ms")].parse().expect("number");
            assert_eq!(Some(got), n.as_f64(), "{ctx}");
        }
    }
}

#[test]
fn csv_with_fields_and_a_query() {
    let (dir, entries) = fixture();
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    let query = "level:>=WARN";
    let out = dir
        .command()
        .args(["export", "--format", "csv", "-q", query, "logs.jsonl"])
        .args(["--fields", "timestamp,level,metadata.duration_ms,trace_id"])
        .run();
    out.expect_code(0);
    let (header, rows) = read_csv(&out.stdout);
    assert_eq!(
        header,
        ["timestamp", "level", "metadata.duration_ms", "trace_id"]
    );
    let want = truth_matching(&cfg, &entries, query);
    assert!(!want.is_empty());
    assert_eq!(rows.len(), want.len());
    for (row, e) in rows.iter().zip(want) {
        assert_eq!(row[0], gen::format_timestamp(e.ts_ns));
        assert_eq!(row[1], e.level);
        let d = e
            .metadata
            .iter()
            .find(|(k, _)| k == "duration_ms")
            .map_or(String::new(), |(_, v)| v.to_string());
        assert_eq!(row[2], d);
        assert_eq!(row[3], e.trace_id.clone().unwrap_or_default());
    }
}

fn check_entry(m: &Map<String, Value>, e: &GenEntry) {
    let ctx = format!("{m:?}\nwant {e:?}");
    let s = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    assert_eq!(s("id").as_deref(), Some(e.id.as_str()), "{ctx}");
    assert_eq!(
        s("timestamp"),
        Some(gen::format_timestamp(e.ts_ns)),
        "{ctx}"
    );
    assert_eq!(s("level").as_deref(), Some(e.level), "{ctx}");
    assert_eq!(s("service").as_deref(), Some(e.service), "{ctx}");
    assert_eq!(s("source"), Some(e.source.clone()), "{ctx}");
    assert_eq!(s("message"), Some(e.message.clone()), "{ctx}");
    assert_eq!(s("traceId"), e.trace_id, "{ctx}");
    assert_eq!(s("spanId"), e.span_id, "{ctx}");
    assert_eq!(s("userId"), e.user_id, "{ctx}");
    assert_eq!(s("requestId"), e.request_id, "{ctx}");
    assert_eq!(m.get("tags"), Some(&serde_json::json!(e.tags)), "{ctx}");
    let want: Map<String, Value> = e.metadata.iter().cloned().collect();
    match m.get("metadata") {
        None => assert!(want.is_empty(), "{ctx}"),
        Some(Value::Object(got)) => assert_eq!(*got, want, "{ctx}"),
        Some(other) => panic!("metadata {other:?}"),
    }
}

#[test]
fn ndjson_round_trips_and_equals_search_json() {
    let (dir, entries) = fixture();
    let out = dir.command().args(["export", "logs.jsonl"]).run();
    out.expect_code(0);
    let lines = out.json_lines();
    assert_eq!(lines.len(), entries.len());
    for (m, e) in lines.iter().zip(&entries) {
        check_entry(m, e);
    }
    let search = dir
        .command()
        .args(["search", "--json", "", "logs.jsonl"])
        .run();
    assert_eq!(out.stdout, search.stdout, "export ndjson == search --json");
}

/// stdout as a pipe: the export widens the pipe's buffer to 1 MiB (fewer switches
/// between writer and reader) and writes the same bytes as into a file.
#[cfg(target_os = "linux")]
#[test]
fn a_piped_export_widens_the_pipe_and_writes_the_file_bytes() {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    use std::process::{Command, Stdio};

    let (dir, entries) = fixture();
    let mut child = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .current_dir(dir.path())
        .args(["export", "logs.jsonl"])
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_CACHE_DIR", dir.join(".covet-cache"))
        .env("COVET_LOGS_NO_HISTORY", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start covet-logs");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut piped = Vec::new();
    stdout.read_to_end(&mut piped).expect("read the pipe");
    // The read end still holds the pipe: its size is what the writer set.
    // SAFETY: F_GETPIPE_SZ on a descriptor this test owns.
    let size = unsafe { libc::fcntl(stdout.as_raw_fd(), libc::F_GETPIPE_SZ) };
    assert!(child.wait().expect("wait").success());
    let max: i32 = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")
        .map(|s| s.trim().parse().unwrap_or(0))
        .unwrap_or(0);
    assert_eq!(size, max.min(1 << 20), "pipe buffer after the export");

    dir.command()
        .args(["export", "-o", "out.ndjson", "logs.jsonl"])
        .run()
        .expect_code(0);
    let file = std::fs::read(dir.join("out.ndjson")).expect("read the file");
    assert_eq!(piped.iter().filter(|&&b| b == b'\n').count(), entries.len());
    assert!(piped == file, "the piped export equals the file export");
}

#[test]
fn json_is_one_array_of_the_matching_entries() {
    let (dir, entries) = fixture();
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    let out = dir
        .command()
        .args(["export", "--format", "json", "-l", "ERROR", "logs.jsonl"])
        .run();
    out.expect_code(0);
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let arr = v.as_array().expect("an array");
    let want = truth_matching(&cfg, &entries, "level:ERROR");
    assert_eq!(arr.len(), want.len());
    for (m, e) in arr.iter().zip(want) {
        check_entry(m.as_object().expect("object"), e);
    }
    // Nothing matched: still a valid, empty array, exit 1.
    let none = dir
        .command()
        .args([
            "export",
            "--format",
            "json",
            "-q",
            "zzzznothing",
            "logs.jsonl",
        ])
        .run();
    none.expect_code(1);
    let v: Value = serde_json::from_slice(&none.stdout).expect("valid JSON");
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn several_files_merge_by_time_in_constant_order() {
    let dir = Dir::new();
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    let entries = gen_entries(&cfg);
    // Deal the entries into three files; each file stays in time order.
    let mut files = [Vec::new(), Vec::new(), Vec::new()];
    for (i, e) in entries.iter().enumerate() {
        gen::render(e, GenFormat::Json, &mut files[(i * 7 / 3) % 3]);
    }
    for (i, f) in files.iter().enumerate() {
        dir.create(&format!("part{i}.jsonl"), f);
    }
    let out = dir
        .command()
        .args(["export", "--format", "ndjson", "--chunk-size", "4096"])
        .args(["part0.jsonl", "part1.jsonl", "part2.jsonl"])
        .run();
    out.expect_code(0);
    let got: Vec<(i64, String)> = out
        .json_lines()
        .iter()
        .map(|m| {
            let ts = gen::parse_rfc3339_ns(m["timestamp"].as_str().unwrap()).unwrap();
            (ts, m["id"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(got.len(), entries.len());
    assert!(
        got.windows(2).all(|w| w[0].0 <= w[1].0),
        "not in time order"
    );
    let mut want: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut ids: Vec<String> = got.into_iter().map(|(_, id)| id).collect();
    want.sort();
    ids.sort();
    assert_eq!(ids, want);
}

#[test]
fn txt_and_raw() {
    let (dir, entries) = fixture();
    let raw = dir
        .command()
        .args(["export", "--format", "raw", "logs.jsonl"])
        .run();
    raw.expect_code(0);
    assert_eq!(raw.stdout, util::render_all(&entries, GenFormat::Json));
    let txt = dir
        .command()
        .args(["export", "--format", "txt", "logs.jsonl"])
        .run();
    txt.expect_code(0);
    let text = txt.stdout_str();
    assert!(!text.contains('\x1b'), "no color");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), entries.len());
    for (l, e) in lines.iter().zip(&entries) {
        assert!(l.contains(&e.message) && l.contains(e.level), "{l} / {e:?}");
    }
}

#[test]
fn csv_neutralizes_formulas() {
    let dir = Dir::new();
    let cells = [
        "=1+2", "+SUM(A1)", "-2", "@cmd", "\tx", "\ry", "a=b", "plain",
    ];
    let mut log = String::new();
    for (i, c) in cells.iter().enumerate() {
        let line = serde_json::json!({
            "timestamp": format!("2024-01-15T00:00:0{i}.000Z"),
            "level": "INFO",
            "message": c,
            "payload": c,
        });
        log.push_str(&line.to_string());
        log.push('\n');
    }
    dir.create("evil.jsonl", log);
    let out = dir
        .command()
        .args([
            "export",
            "--format",
            "csv",
            "--fields",
            "message,metadata.payload",
            "evil.jsonl",
        ])
        .run();
    out.expect_code(0);
    let (_, rows) = read_csv(&out.stdout);
    let want = [
        "'=1+2",
        "'+SUM(A1)",
        "'-2",
        "'@cmd",
        "'\tx",
        "'\ry",
        "a=b",
        "plain",
    ];
    assert_eq!(rows.len(), want.len());
    for (row, w) in rows.iter().zip(want) {
        assert_eq!(row[0], w);
        assert_eq!(row[1], w);
    }
}

fn files_in(dir: &Dir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failing_export_leaves_no_file_and_keeps_an_existing_one() {
    let dir = Dir::new();
    let cfg = gen_cfg(20_000, SEED, GenFormat::Json);
    let bytes = util::gen_bytes(&cfg);
    // A gzip file cut in half fails in the middle of the scan, after rows were written.
    let gz = dir.create_gz("cut.jsonl.gz", &bytes);
    let full = std::fs::read(&gz).unwrap();
    std::fs::write(&gz, &full[..full.len() / 2]).unwrap();
    let before = files_in(&dir);
    let export_cut = |format: &str, target: &str| {
        dir.command()
            .args([
                "export",
                "--format",
                format,
                "--chunk-size",
                "65536",
                "-o",
                target,
            ])
            .arg("cut.jsonl.gz")
            .run()
    };
    for format in ["csv", "ndjson", "json"] {
        let out = export_cut(format, "new.out");
        out.expect_code(2);
        assert_eq!(
            files_in(&dir),
            before,
            "{format}: no file, no temporary left"
        );
        dir.create("old.out", "KEEP ME\n");
        let out = export_cut(format, "old.out");
        out.expect_code(2);
        let err = out.stderr.clone();
        assert!(err.lines().all(|l| l.starts_with("covet-logs: ")), "{err}");
        assert_eq!(std::fs::read(dir.join("old.out")).unwrap(), b"KEEP ME\n");
        std::fs::remove_file(dir.join("old.out")).unwrap();
    }
    // A bad query, a missing directory: one-line errors, nothing written.
    dir.create_gen("ok.jsonl", &gen_cfg(50, SEED, GenFormat::Json));
    let before = files_in(&dir);
    let out = dir
        .command()
        .args(["export", "-q", "level:>>", "-o", "x.csv", "ok.jsonl"])
        .run();
    out.expect_code(2);
    let out = dir
        .command()
        .args(["export", "-o", "missing/x.csv", "ok.jsonl"])
        .run();
    out.expect_code(2);
    assert!(out
        .stderr
        .clone()
        .starts_with("covet-logs: missing/x.csv: "));
    assert_eq!(files_in(&dir), before);
}

#[test]
fn a_successful_export_replaces_the_file() {
    let (dir, entries) = fixture();
    dir.create("out.ndjson", "OLD\n");
    let out = dir
        .command()
        .args(["export", "-o", "out.ndjson", "logs.jsonl"])
        .run();
    out.expect_code(0);
    assert!(out.stdout.is_empty(), "nothing on stdout with -o");
    let text = std::fs::read_to_string(dir.join("out.ndjson")).unwrap();
    let lines: Vec<Map<String, Value>> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), entries.len());
    for (m, e) in lines.iter().zip(&entries) {
        check_entry(m, e);
    }
    assert_eq!(files_in(&dir), ["logs.jsonl", "out.ndjson"]);
}

#[test]
fn fields_only_with_structured_formats() {
    let (dir, _) = fixture();
    let out = dir
        .command()
        .args([
            "export",
            "--format",
            "txt",
            "--fields",
            "level",
            "logs.jsonl",
        ])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr.clone(),
        "covet-logs: --fields: only with --format csv, json or ndjson\n"
    );
}
