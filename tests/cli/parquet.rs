//! `export --format parquet` and Parquet inputs (the `parquet` feature): an export read
//! back gives the same LogEntry objects as the NDJSON export of the original, and counts
//! equal the generator's truth; without the feature, both are refused in one line.

use crate::util;

#[cfg(feature = "parquet")]
use covet_gen::GenFormat;
#[cfg(feature = "parquet")]
use serde_json::{Map, Value};

use util::Dir;
#[cfg(feature = "parquet")]
use util::{gen_cfg, gen_entries, truth_matching};

/// LogEntry objects without the keys that say where an entry was read (a read-back
/// entry is located in the Parquet file) and without null values (a Parquet null is
/// left out when read back).
#[cfg(feature = "parquet")]
fn entries_of(ndjson: &[u8]) -> Vec<Map<String, Value>> {
    String::from_utf8_lossy(ndjson)
        .lines()
        .map(|l| {
            let mut m: Map<String, Value> = serde_json::from_str(l).expect("a LogEntry line");
            m.retain(|k, v| !v.is_null() && !["file", "line", "offset"].contains(&k.as_str()));
            m
        })
        .collect()
}

#[cfg(feature = "parquet")]
#[test]
fn a_parquet_export_reads_back_as_the_same_entries() {
    for (format, name) in [(GenFormat::Json, "app.jsonl"), (GenFormat::Text, "app.log")] {
        let dir = Dir::new();
        let cfg = gen_cfg(3000, 17, format);
        dir.create_gen(name, &cfg);
        let entries = gen_entries(&cfg);
        let out = dir
            .command()
            .args(["export", "--format", "parquet", "-o", "x.parquet", name])
            .run();
        out.expect_code(0).expect_stderr_empty();
        let original = dir
            .command()
            .args(["export", "--format", "ndjson", name])
            .run();
        let back = dir
            .command()
            .args(["export", "--format", "ndjson", "x.parquet"])
            .run();
        back.expect_code(0).expect_stderr_empty();
        let want = entries_of(&original.stdout);
        assert_eq!(want.len(), entries.len(), "{name}: the original's entries");
        assert_eq!(
            entries_of(&back.stdout),
            want,
            "{name}: read back from Parquet"
        );
        // Queries on the Parquet file count what the generator says.
        for query in ["level:ERROR", "level:>=WARN service:covet-db", "timeout"] {
            let truth = truth_matching(&cfg, &entries, query).len() as u64;
            let got = dir
                .command()
                .args(["search", "-c", query, "x.parquet"])
                .run();
            assert_eq!(got.count(), truth, "{name}: search -c {query:?} on Parquet");
        }
        // A directory holding it reads it as a log.
        let stats = dir
            .command()
            .args(["stats", "--json", "--index", "never", "x.parquet"])
            .run();
        let v: Value = serde_json::from_slice(&stats.stdout).expect("stats json");
        assert_eq!(v["totalLogs"], entries.len() as u64, "{name}: stats total");
    }
}

#[cfg(feature = "parquet")]
#[test]
fn a_filtered_parquet_export_holds_only_the_matches_and_a_damaged_file_is_an_error() {
    let dir = Dir::new();
    let cfg = gen_cfg(2000, 5, GenFormat::Json);
    dir.create_gen("a.jsonl", &cfg);
    let entries = gen_entries(&cfg);
    let truth = truth_matching(&cfg, &entries, "level:>=WARN").len() as u64;
    dir.command()
        .args([
            "export",
            "--format",
            "parquet",
            "-o",
            "w.parquet",
            "level:>=WARN",
            "a.jsonl",
        ])
        .run()
        .expect_code(0);
    let got = dir.command().args(["search", "-c", "", "w.parquet"]).run();
    assert_eq!(got.count(), truth);
    // Parquet's magic at both ends, nothing readable between: one line, exit 2.
    dir.create("bad.parquet", b"PAR1 not a parquet file at all PAR1");
    let out = dir
        .command()
        .args(["search", "-c", "", "bad.parquet"])
        .run();
    out.expect_code(2);
    let err = out.stderr.clone();
    assert!(
        err.starts_with("covet-logs: bad.parquet: not a readable Parquet file:")
            && err.lines().count() == 1,
        "{err}"
    );
    // --fields does not apply to a table of fixed columns.
    let out = dir
        .command()
        .args([
            "export",
            "--format",
            "parquet",
            "--fields",
            "level",
            "-o",
            "f.parquet",
            "a.jsonl",
        ])
        .run();
    out.expect_code(2);
    assert!(!dir.join("f.parquet").exists());
}

/// Every file under `root`, as a path relative to it, sorted.
#[cfg(feature = "parquet")]
fn files_under(root: &std::path::Path) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Entries as sorted JSON texts: the same multiset in any order.
#[cfg(feature = "parquet")]
fn sorted_texts(entries: Vec<Map<String, Value>>) -> Vec<String> {
    let mut v: Vec<String> = entries
        .into_iter()
        .map(|m| Value::Object(m).to_string())
        .collect();
    v.sort();
    v
}

#[cfg(feature = "parquet")]
#[test]
fn a_partitioned_export_writes_one_file_per_day_service_and_level_and_reads_back_whole() {
    use std::collections::BTreeMap;
    let dir = Dir::new();
    // Two days: a minute before midnight, about 200 s of entries.
    let mut cfg = gen_cfg(4000, 23, GenFormat::Json);
    cfg.start_ns = 1_705_276_740_000_000_000; // 2024-01-14T23:59:00Z
    cfg.step_ms = 50;
    dir.create_gen("a.jsonl", &cfg);
    let entries = gen_entries(&cfg);
    let out = dir
        .command()
        .args([
            "export",
            "--format",
            "parquet",
            "--partition-by",
            "day,service,level",
            "-o",
            "out",
            "a.jsonl",
        ])
        .run();
    out.expect_code(0).expect_stderr_empty();
    // The partitions, and the count of each, from the generator's own records.
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for e in &entries {
        let day = chrono::DateTime::from_timestamp_nanos(e.ts_ns).format("%Y-%m-%d");
        let key = format!(
            "day={day}/service={}/level={}/part-00000.parquet",
            e.service, e.level
        );
        *want.entry(key).or_default() += 1;
    }
    let days: std::collections::BTreeSet<&str> = want.keys().map(|k| &k[4..14]).collect();
    assert!(days.len() >= 2, "the data spans {days:?}");
    assert_eq!(
        files_under(&dir.join("out")),
        want.keys().cloned().collect::<Vec<_>>()
    );
    for (file, n) in &want {
        let got = dir
            .command()
            .args(["search", "-c", "", &format!("out/{file}")])
            .run();
        assert_eq!(got.count(), *n, "{file}");
    }
    // The directory read back as a whole: the same entries as the original's export.
    let original = dir
        .command()
        .args(["export", "--format", "ndjson", "a.jsonl"])
        .run();
    let back = dir
        .command()
        .args(["export", "--format", "ndjson", "out"])
        .run();
    back.expect_code(0).expect_stderr_empty();
    assert_eq!(
        sorted_texts(entries_of(&back.stdout)),
        sorted_texts(entries_of(&original.stdout))
    );
}

#[cfg(feature = "parquet")]
#[test]
fn partition_values_are_escaped_missing_ones_defaulted_and_a_used_directory_kept() {
    let dir = Dir::new();
    dir.create(
        "a.jsonl",
        concat!(
            r#"{"timestamp":"2024-01-14T23:59:59Z","level":"ERROR","service":"../evil","message":"a"}"#,
            "\n",
            r#"{"timestamp":"2024-01-15T00:00:01+02:00","level":"INFO","service":"a/b c","message":"b"}"#,
            "\n",
            r#"{"level":"INFO","message":"no time, no service"}"#,
            "\n",
        ),
    );
    let export = |args: &[&str]| {
        let mut all = vec!["export", "--format", "parquet"];
        all.extend_from_slice(args);
        all.push("a.jsonl");
        dir.command().args(all).run()
    };
    export(&["--partition-by", "day,service", "-o", "p"]).expect_code(0);
    assert_eq!(
        files_under(&dir.join("p")),
        [
            "day=2024-01-14/service=%2E.%2Fevil/part-00000.parquet",
            "day=2024-01-14/service=a%2Fb%20c/part-00000.parquet",
            "day=__HIVE_DEFAULT_PARTITION__/service=__HIVE_DEFAULT_PARTITION__/part-00000.parquet",
        ]
    );
    let back = dir.command().args(["search", "-c", "", "p"]).run();
    assert_eq!(back.count(), 3);
    // A directory that holds something is never written into or replaced.
    dir.create("used/keep.txt", "mine\n");
    let out = export(&["--partition-by", "service", "-o", "used"]);
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: used: exists; a partitioned export writes a new (or empty) directory\n"
    );
    assert_eq!(files_under(&dir.join("used")), ["keep.txt"]);
    // An empty directory is filled; no temporary directory is left beside it.
    std::fs::create_dir(dir.join("empty")).unwrap();
    export(&["--partition-by", "level", "-o", "empty"]).expect_code(0);
    assert_eq!(
        files_under(&dir.join("empty")),
        [
            "level=ERROR/part-00000.parquet",
            "level=INFO/part-00000.parquet"
        ]
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".covet-logs-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Only with --format parquet and -o; each key once.
    for (args, why) in [
        (
            vec![
                "export",
                "--format",
                "ndjson",
                "--partition-by",
                "day",
                "-o",
                "n",
                "a.jsonl",
            ],
            "only with --format parquet and -o DIR",
        ),
        (
            vec![
                "export",
                "--format",
                "parquet",
                "--partition-by",
                "day",
                "a.jsonl",
            ],
            "only with --format parquet and -o DIR",
        ),
        (
            vec![
                "export",
                "--format",
                "parquet",
                "--partition-by",
                "day,day",
                "-o",
                "n",
                "a.jsonl",
            ],
            "a key is named twice",
        ),
    ] {
        let out = dir.command().args(args).run();
        out.expect_code(2);
        assert_eq!(out.stderr, format!("covet-logs: --partition-by: {why}\n"));
        assert!(!dir.join("n").exists());
    }
}

#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_parquet_feature_parquet_is_refused_in_one_line() {
    let dir = Dir::new();
    dir.create("a.log", "2024-01-15T10:00:00Z ERROR one\n");
    let out = dir
        .command()
        .args(["export", "--format", "parquet", "-o", "x.parquet", "a.log"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: --format parquet: this build writes Parquet only with the `parquet` \
         feature (cargo install covet-logs --features parquet)\n"
    );
    assert!(!dir.join("x.parquet").exists());
    let out = dir
        .command()
        .args([
            "export",
            "--format",
            "parquet",
            "--partition-by",
            "day",
            "-o",
            "d",
            "a.log",
        ])
        .run();
    out.expect_code(2);
    assert!(out
        .stderr
        .starts_with("covet-logs: --format parquet: this build writes"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.log"], "no directory, no temporary left");
    // A Parquet file named on the command line: one line, exit 2; in a directory: binary.
    dir.create("t.parquet", b"PAR1\0\0\0\0 a table PAR1");
    let out = dir.command().args(["search", "-c", "", "t.parquet"]).run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: t.parquet: a Parquet file; this build reads Parquet only with the \
         `parquet` feature (cargo install covet-logs --features parquet)\n"
    );
    let out = dir.command().args(["search", "-c", "", "."]).run();
    out.expect_code(0);
    assert_eq!(out.stdout_str(), "1\n");
}
