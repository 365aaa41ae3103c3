//! `config.toml`: defaults for paths, format, color, time zone and tail count; flags
//! and environment variables override it; a bad key or value is an error naming it.

use crate::util;

use covet_gen::GenFormat;
use util::*;

fn write_config(dir: &Dir, text: &str) {
    dir.create_dir(".covet-config");
    dir.create(".covet-config/config.toml", text);
}

#[test]
fn config_file_gives_defaults_that_flags_override() {
    let dir = Dir::new();
    let cfg = gen_cfg(200, 9, GenFormat::Json);
    let bytes = dir.create_gen("app.jsonl", &cfg);
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    write_config(
        &dir,
        "paths = [\"app.jsonl\"]\ntail_count = 3\ncolor = \"never\"\n",
    );
    // tail with no path and no -n: the file's paths and count.
    let out = dir.command().args(["tail"]).run();
    out.expect_code(0);
    let want: Vec<u8> = lines[lines.len() - 3..]
        .iter()
        .flat_map(|l| [*l, b"\n"].concat())
        .collect();
    assert_text_eq("tail from config", &want, &out.stdout);
    // A flag wins over the file.
    let out = dir.command().args(["tail", "-n", "1"]).run();
    assert_text_eq(
        "tail -n 1",
        &[lines[lines.len() - 1], b"\n"].concat(),
        &out.stdout,
    );
    // search with no path uses the configured paths too.
    let out = dir.command().args(["search", "-c", ""]).run();
    assert_eq!(out.count(), 200);
    // The environment wins over the file.
    let out = dir
        .command()
        .env("COVET_LOGS_TAIL_LINES", "2")
        .args(["tail"])
        .run();
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 2);
}

#[test]
fn configured_format_and_time_zone_apply() {
    let dir = Dir::new();
    dir.create("t.log", "2024-01-15 10:00:00 [ERROR] svc a.rs:1 boom\n");
    // Read as plain text, the line has no service field.
    write_config(&dir, "format = \"plain\"\ntz = \"+02:00\"\n");
    let out = dir
        .command()
        .args(["search", "-c", "service:svc", "t.log"])
        .run();
    assert_eq!(out.count(), 0);
    let out = dir
        .command()
        .args(["search", "-c", "service:svc", "t.log", "--format", "covet"])
        .run();
    assert_eq!(out.count(), 1);
    // 10:00 at +02:00 is 08:00 UTC.
    let out = dir
        .command()
        .args(["search", "--json", "", "t.log", "--format", "covet"])
        .run();
    let entries = out.json_lines();
    assert_eq!(entries[0]["timestamp"], "2024-01-15T08:00:00.000Z");
}

#[test]
fn bad_keys_and_values_are_errors_naming_them() {
    let dir = Dir::new();
    dir.create("a.log", "hello\n");
    for (text, want) in [
        ("colour = \"never\"\n", "unknown key 'colour'"),
        (
            "tail_count = -1\n",
            "key 'tail_count': expected a positive integer",
        ),
        ("format = \"xml\"\n", "key 'format'"),
        ("color = [\n", ""),
    ] {
        write_config(&dir, text);
        let out = dir.command().args(["search", "hello", "a.log"]).run();
        out.expect_code(2);
        assert!(out.stdout.is_empty());
        assert!(out.stderr.starts_with("covet-logs: "), "{}", out.context());
        assert!(out.stderr.contains("config.toml"), "{}", out.context());
        assert!(out.stderr.contains(want), "{}", out.context());
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.context());
    }
}
