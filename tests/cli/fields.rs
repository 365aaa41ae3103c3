//! End-to-end tests of `covet-logs fields` against the generator's own values.

use crate::util;

use std::collections::{BTreeMap, BTreeSet};

use covet_gen::GenFormat;
use serde_json::Value;

use util::{gen_cfg, gen_entries, truth_matching, Dir};

const SEED: u64 = 9;
const LINES: usize = 3000;

fn counts<'a>(it: impl Iterator<Item = &'a str>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for v in it {
        *m.entry(v.to_string()).or_insert(0) += 1;
    }
    m
}

fn field<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("field {name} missing"))
}

/// The top values as a map (all of them when `-n` is large enough).
fn top(f: &Value) -> BTreeMap<String, u64> {
    f["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["value"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn fields_match_the_generator() {
    let dir = Dir::new();
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    dir.create_gen("logs.jsonl", &cfg);
    let entries = gen_entries(&cfg);
    let out = dir
        .command()
        .args(["fields", "--json", "-n", "100", "logs.jsonl"])
        .run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entries"], LINES as u64);

    let level = field(&doc, "level");
    assert_eq!(level["present"], LINES as u64);
    assert_eq!(top(level), counts(entries.iter().map(|e| e.level)));
    let service = field(&doc, "service");
    assert_eq!(top(service), counts(entries.iter().map(|e| e.service)));
    assert_eq!(
        service["distinct"],
        counts(entries.iter().map(|e| e.service)).len()
    );

    for (name, have) in [
        (
            "traceId",
            entries.iter().filter(|e| e.trace_id.is_some()).count(),
        ),
        (
            "userId",
            entries.iter().filter(|e| e.user_id.is_some()).count(),
        ),
        (
            "requestId",
            entries.iter().filter(|e| e.request_id.is_some()).count(),
        ),
        (
            "tags",
            entries.iter().filter(|e| !e.tags.is_empty()).count(),
        ),
    ] {
        assert_eq!(field(&doc, name)["present"], have as u64, "{name}");
    }
    let tags = counts(
        entries
            .iter()
            .flat_map(|e| e.tags.iter().map(String::as_str)),
    );
    assert_eq!(top(field(&doc, "tags")), tags);
    let users: BTreeSet<&str> = entries
        .iter()
        .filter_map(|e| e.user_id.as_deref())
        .collect();
    assert_eq!(field(&doc, "userId")["distinct"], users.len());
    assert_eq!(field(&doc, "userId")["distinctExact"], true);

    // Metadata paths, their presence and types.
    let mut present: BTreeMap<String, u64> = BTreeMap::new();
    for e in &entries {
        for (k, v) in &e.metadata {
            match v {
                Value::Object(m) => {
                    for k2 in m.keys() {
                        *present.entry(format!("metadata.{k}.{k2}")).or_insert(0) += 1;
                    }
                }
                _ => *present.entry(format!("metadata.{k}")).or_insert(0) += 1,
            }
        }
    }
    let got: BTreeMap<String, u64> = doc["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["field"].as_str().unwrap().starts_with("metadata."))
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["present"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, present);
    assert_eq!(
        field(&doc, "metadata.duration_ms")["types"],
        serde_json::json!(["number"])
    );
    let d = field(&doc, "metadata.duration_ms");
    assert!(
        (d["share"].as_f64().unwrap() - present["metadata.duration_ms"] as f64 / LINES as f64)
            .abs()
            < 1e-9
    );
}

#[test]
fn one_field_with_a_query() {
    let dir = Dir::new();
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    dir.create_gen("logs.jsonl", &cfg);
    let entries = gen_entries(&cfg);
    let want = truth_matching(&cfg, &entries, "level:>=WARN");
    let out = dir
        .command()
        .args([
            "fields",
            "service",
            "--json",
            "-q",
            "level:>=WARN",
            "logs.jsonl",
        ])
        .run();
    out.expect_code(0);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entries"], want.len() as u64);
    let f = field(&doc, "service");
    assert_eq!(top(f), counts(want.iter().map(|e| e.service)));
    // A bare metadata name finds metadata.NAME; an unknown field is an error.
    let out = dir
        .command()
        .args(["fields", "endpoint", "logs.jsonl"])
        .run();
    out.expect_code(0);
    assert!(out.stdout_str().starts_with("metadata.endpoint in "));
    let out = dir
        .command()
        .args(["fields", "nosuchfield", "logs.jsonl"])
        .run();
    out.expect_code(2);
    assert!(out.stderr.starts_with("covet-logs: field nosuchfield: "));
}

/// `fields NAME` of a standard field shows it when any entry has it, else the
/// `metadata.NAME` of the entries: from a file (read a second time for the metadata)
/// and from stdin (read once, with the metadata), the same whole output.
#[test]
fn a_standard_field_falls_back_to_its_metadata_namesake() {
    let dir = Dir::new();
    let only_meta: String = (0..300)
        .map(|i| {
            format!(
                "{{\"msg\":\"job {i}\",\"metadata\":{{\"service\":\"{}\"}}}}\n",
                ["a", "b", "c"][i % 3]
            )
        })
        .collect();
    let mixed = format!("{{\"msg\":\"x\",\"service\":\"api\"}}\n{only_meta}");
    dir.create("meta.jsonl", &only_meta);
    dir.create("mixed.jsonl", &mixed);
    let want_meta = "metadata.service in 300 of 300 entries (100.0%), 3 distinct\n       100   33.3%  a\n       100   33.3%  b\n       100   33.3%  c\n";
    let want_std = "service in 1 of 301 entries (0.3%), 1 distinct\n         1    0.3%  api\n";
    for (name, text, want) in [
        ("meta.jsonl", &only_meta, want_meta),
        ("mixed.jsonl", &mixed, want_std),
    ] {
        let file = dir.command().args(["fields", "service", name]).run();
        file.expect_code(0);
        util::assert_text_eq(name, want.as_bytes(), &file.stdout);
        let piped = dir
            .command()
            .args(["fields", "service", "-"])
            .stdin(text.as_bytes())
            .run();
        piped.expect_code(0);
        util::assert_text_eq(&format!("{name} on stdin"), want.as_bytes(), &piped.stdout);
    }
}
