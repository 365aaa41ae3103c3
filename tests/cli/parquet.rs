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
