//! Property tests (proptest) that run the binary: `export --format ndjson` read back
//! with `search --json` gives the same entries, `context` keeps a bounded timeline,
//! and a search over several inputs merges them in time order. The case count comes
//! from `PROPTEST_CASES` (`.ci/run` raises it), with small defaults so `cargo test`
//! stays quick. The properties of the library's internals (query round trips, any
//! bytes, chunking) are unit tests of the crate, in `src/properties.rs`.

mod util;

use proptest::prelude::*;

use covet_gen::GenFormat;

use util::{gen_bytes, gen_cfg, proptest_config as config, Dir};

// ---------------------------------------------------------------------------------
// (d) Export then re-import gives the same entries
// ---------------------------------------------------------------------------------

/// The fields compared between the original and the re-imported entries.
const KEPT: &[&str] = &[
    "timestamp",
    "level",
    "message",
    "service",
    "source",
    "tags",
    "metadata",
];

/// Where an exported entry came from: written as top-level keys by export, read
/// back as metadata.
const PROVENANCE: &[&str] = &["file", "line", "offset"];

type Row = serde_json::Map<String, serde_json::Value>;

/// The kept fields of each row; an absent `metadata` is an empty one.
fn kept_fields(rows: &[Row]) -> Vec<Vec<serde_json::Value>> {
    rows.iter()
        .map(|row| {
            KEPT.iter()
                .map(|k| match (row.get(*k), *k) {
                    (None, "metadata") => serde_json::json!({}),
                    (v, _) => v.cloned().unwrap_or(serde_json::Value::Null),
                })
                .collect()
        })
        .collect()
}

/// A re-imported row with the provenance keys moved out of its metadata; they must
/// name the original entry.
fn strip_provenance(mut row: Row, original: &Row) -> Result<Row, TestCaseError> {
    if let Some(serde_json::Value::Object(meta)) = row.get_mut("metadata") {
        for key in PROVENANCE {
            let moved = meta.remove(*key);
            prop_assert_eq!(moved.as_ref(), original.get(*key), "{}", key);
        }
        if meta.is_empty() {
            row.remove("metadata");
        }
    }
    Ok(row)
}

/// JSON lines with assorted keys and values (known levels only: unknown levels and
/// duplicate keys are cases 15 and 16 of issue 10, owned elsewhere).
fn arb_json_log() -> impl Strategy<Value = Vec<u8>> {
    let level = prop_oneof![
        Just("debug"),
        Just("INFO"),
        Just("warn"),
        Just("error"),
        Just("fatal")
    ];
    let value = prop_oneof![
        any::<i32>().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        "[ -~é\t]{0,10}".prop_map(serde_json::Value::from),
        Just(serde_json::json!({"x": [1, "y", null]})),
    ];
    let meta = prop::collection::btree_map("[a-z]{1,6}", value, 0..4);
    let line = (
        0i64..4_000_000_000,
        level,
        "[ -~é]{0,20}",
        "[a-z-]{1,8}",
        meta,
    )
        .prop_map(|(secs, level, msg, service, meta)| {
            let mut obj = serde_json::Map::new();
            obj.insert(
                "timestamp".into(),
                chrono::DateTime::from_timestamp(secs, 0)
                    .expect("a time in range")
                    .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                    .to_string()
                    .into(),
            );
            obj.insert("level".into(), level.into());
            obj.insert("message".into(), msg.into());
            obj.insert("service".into(), service.into());
            for (k, v) in meta {
                obj.entry(format!("m_{k}")).or_insert(v);
            }
            serde_json::Value::Object(obj).to_string()
        });
    prop::collection::vec(line, 1..20).prop_map(|v| (v.join("\n") + "\n").into_bytes())
}

fn assert_export_round_trip(original: &[u8], name: &str) -> Result<(), TestCaseError> {
    let dir = Dir::new();
    dir.create(name, original);
    let exported = dir
        .command()
        .args(["export", "--format", "ndjson", name])
        .run();
    exported.expect_code(0);
    dir.create("exported.ndjson", &exported.stdout);
    let before = dir.command().args(["search", "--json", "", name]).run();
    let after = dir
        .command()
        .args(["search", "--json", "", "exported.ndjson"])
        .run();
    before.expect_code(0);
    after.expect_code(0);
    let (before, after) = (before.json_lines(), after.json_lines());
    prop_assert_eq!(after.len(), before.len());
    let after = after
        .into_iter()
        .zip(&before)
        .map(|(row, original)| strip_provenance(row, original))
        .collect::<Result<Vec<_>, _>>()?;
    prop_assert_eq!(
        kept_fields(&after),
        kept_fields(&before),
        "exported:\n{}",
        util::snippet(&exported.stdout, 3000)
    );
    Ok(())
}

/// An absent `source` is exported as `"source":null`, which used to come back as
/// the string "null".
#[test]
fn export_keeps_a_null_field_absent() {
    let line =
        br#"{"timestamp":"2024-01-15T00:00:00.000Z","level":"info","message":"m","service":"s"}"#;
    if let Err(e) = assert_export_round_trip(line, "null.jsonl") {
        panic!("{e}");
    }
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn export_then_search_gives_the_same_entries(lines in 1usize..60, seed in any::<u64>(), json in any::<bool>()) {
        let f = if json { GenFormat::Json } else { GenFormat::Text };
        assert_export_round_trip(&gen_bytes(&gen_cfg(lines, seed, f)), "app.log")?;
    }

    #[test]
    fn export_then_search_keeps_assorted_json(original in arb_json_log()) {
        assert_export_round_trip(&original, "app.jsonl")?;
    }
}

// ---------------------------------------------------------------------------------
// Bounded memory (case 13): found by benches/memory.sh
// ---------------------------------------------------------------------------------

/// `context` kept every related entry: with all entries inside the window (here all
/// in one second) memory grew with the input (1.3 GB RSS on 200 MB). The timeline
/// now keeps the 50,000 nearest and says how many it left out.
#[test]
fn context_keeps_a_bounded_timeline() {
    const LINES: usize = 50_010;
    let mut log = String::new();
    for i in 0..LINES {
        log.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T00:00:00.000Z\",\"level\":\"info\",\"message\":\"m {i}\"}}\n"
        ));
    }
    let dir = Dir::new();
    dir.create("app.jsonl", &log);
    let out = dir
        .command()
        .args(["context", "app.jsonl:1", "--by", "none", "--json"])
        .run();
    out.expect_code(0);
    assert_eq!(
        out.stderr,
        "covet-logs: context: 10 more related entries not shown (the timeline keeps the 50000 nearest in time to the selected entry)\n",
        "{}",
        out.context()
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("context --json");
    let timeline = report["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 50_000);
    assert_eq!(timeline[0]["message"], "m 0");
    assert_eq!(timeline[49_999]["message"], "m 49999");
}

proptest! {
    #![proptest_config(config(8))]

    /// `search` over several inputs merges them by time as it scans (a few parts per
    /// input in memory); `--newest-first` still collects and reverses. Both orders
    /// must agree, and `-m` must cut the same merged stream.
    #[test]
    fn merged_search_streams_in_time_order(
        a in 1usize..300,
        b in 1usize..300,
        seed in any::<u64>(),
        text in any::<bool>(),
        max in 1usize..100,
    ) {
        let f = if text { GenFormat::Text } else { GenFormat::Json };
        let dir = Dir::new();
        dir.create("a.log", gen_bytes(&gen_cfg(a, seed, f)));
        dir.create("b.log", gen_bytes(&gen_cfg(b, seed ^ 1, f)));
        let merged = dir.command().args(["search", "--json", "", "a.log", "b.log"]).run();
        merged.expect_code(0);
        let rows = merged.json_lines();
        prop_assert_eq!(rows.len(), a + b);
        let times: Vec<String> = rows
            .iter()
            .map(|r| r["timestamp"].as_str().unwrap_or_default().to_string())
            .collect();
        prop_assert!(times.windows(2).all(|w| w[0] <= w[1]), "not in time order");
        let newest = dir
            .command()
            .args(["search", "--json", "--newest-first", "", "a.log", "b.log"])
            .run();
        let mut reversed: Vec<&[u8]> = newest.stdout.split_inclusive(|&c| c == b'\n').collect();
        reversed.reverse();
        prop_assert_eq!(reversed.concat(), merged.stdout.clone());
        let first = dir
            .command()
            .args(["search", "--json", "-m", &max.to_string(), "", "a.log", "b.log"])
            .run();
        let want: Vec<&[u8]> = merged.stdout.split_inclusive(|&c| c == b'\n').take(max).collect();
        prop_assert_eq!(first.stdout, want.concat());
    }
}
