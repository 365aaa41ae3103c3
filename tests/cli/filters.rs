//! End-to-end tests of saved filters (`filters save|list|show|rm`, `--filter NAME`)
//! and the search history, each in its own config and state directory. Counts are
//! checked against the generator's truth.

use crate::util;

use covet_gen::{self as gen, GenFormat};
use serde_json::Value;

use util::{gen_cfg, gen_entries, truth_matching, Dir, TestCommand};

const SEED: u64 = 5;
const LINES: usize = 3000;

fn fixture() -> Dir {
    let dir = Dir::new();
    dir.create_gen("logs.jsonl", &gen_cfg(LINES, SEED, GenFormat::Json));
    dir
}

fn truth(query: &str) -> u64 {
    let cfg = gen_cfg(LINES, SEED, GenFormat::Json);
    let entries = gen_entries(&cfg);
    truth_matching(&cfg, &entries, query).len() as u64
}

fn cmd(dir: &Dir) -> TestCommand {
    let mut c = dir.command();
    c.env("COVET_LOGS_CONFIG_DIR", dir.join("cfg"));
    c
}

fn stderr_of(out: &util::Output) -> String {
    out.stderr.clone()
}

#[test]
fn save_list_show_use_and_rm() {
    let dir = fixture();
    // Built-ins are there from the start.
    let out = cmd(&dir).args(["filters", "list", "--json"]).run();
    out.expect_code(0);
    let names: Vec<String> = out
        .json_lines()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["errors", "warnings", "slow"]);

    cmd(&dir)
        .args([
            "filters",
            "save",
            "db",
            "service:covet-db",
            "--description",
            "the database",
        ])
        .run()
        .expect_code(0)
        .expect_stderr_empty();
    let show = cmd(&dir).args(["filters", "show", "db"]).run();
    show.expect_code(0);
    assert_eq!(
        show.stdout_str(),
        "name: db\nquery: service:covet-db\ndescription: the database\n"
    );
    let list = cmd(&dir).args(["filters", "list", "--json"]).run();
    let db = list
        .json_lines()
        .into_iter()
        .find(|m| m["name"] == "db")
        .expect("db listed");
    assert_eq!(db["query"], "service:covet-db");
    assert_eq!(db["builtIn"], false);

    // Used alone, with a built-in, and with a typed query: always ANDed.
    let count = |extra: &[&str]| {
        let out = cmd(&dir)
            .args(["search", "-c"])
            .args(extra)
            .arg("logs.jsonl")
            .run();
        out.assert_no_panic();
        out.count()
    };
    assert_eq!(count(&["--filter", "db", ""]), truth("service:covet-db"));
    assert_eq!(
        count(&["--filter", "db", "--filter", "slow", ""]),
        truth("service:covet-db duration_ms:>1000")
    );
    assert_eq!(
        count(&["--filter", "errors", "timeout"]),
        truth("level:>=ERROR timeout")
    );
    assert_eq!(
        count(&["--filter", "warnings", "-q", "service:covet-api"]),
        truth("level:>=WARN service:covet-api")
    );
    // export takes --filter too.
    let out = cmd(&dir)
        .args([
            "export",
            "--filter",
            "db",
            "--filter",
            "errors",
            "logs.jsonl",
        ])
        .run();
    out.expect_code(0);
    assert_eq!(
        out.json_lines().len() as u64,
        truth("service:covet-db level:>=ERROR")
    );

    // Saving over a name needs --force; built-ins cannot be replaced or deleted.
    let out = cmd(&dir).args(["filters", "save", "db", "x"]).run();
    out.expect_code(2);
    assert_eq!(
        stderr_of(&out),
        "covet-logs: filter db: already saved; use --force to replace it\n"
    );
    for args in [
        &["filters", "save", "errors", "x"][..],
        &["filters", "rm", "slow"],
    ] {
        let out = cmd(&dir).args(args).run();
        out.expect_code(2);
        assert!(
            stderr_of(&out).starts_with("covet-logs: filter "),
            "{}",
            out.context()
        );
    }
    // A bad query is refused before saving.
    let out = cmd(&dir).args(["filters", "save", "bad", "level:>>"]).run();
    out.expect_code(2);

    cmd(&dir).args(["filters", "rm", "db"]).run().expect_code(0);
    let out = cmd(&dir)
        .args(["search", "-c", "--filter", "db", "", "logs.jsonl"])
        .run();
    out.expect_code(2);
    assert_eq!(
        stderr_of(&out),
        "covet-logs: --filter db: no such saved filter (see `covet-logs filters list`)\n"
    );
    let out = cmd(&dir).args(["filters", "rm", "db"]).run();
    out.expect_code(2);
}

#[test]
fn a_saved_window_intersects_the_flags() {
    let dir = fixture();
    let entries = gen_entries(&gen_cfg(LINES, SEED, GenFormat::Json));
    let mid = gen::format_timestamp(entries[LINES / 2].ts_ns);
    let late = gen::format_timestamp(entries[LINES * 3 / 4].ts_ns);
    cmd(&dir)
        .args([
            "filters",
            "save",
            "late-db",
            "service:covet-db",
            "--since",
            &mid,
        ])
        .run()
        .expect_code(0);
    let out = cmd(&dir)
        .args(["search", "-c", "--filter", "late-db", "", "logs.jsonl"])
        .run();
    assert_eq!(out.count(), truth(&format!("service:covet-db since:{mid}")));
    let out = cmd(&dir)
        .args([
            "search",
            "-c",
            "--filter",
            "late-db",
            "--since",
            &late,
            "",
            "logs.jsonl",
        ])
        .run();
    assert_eq!(
        out.count(),
        truth(&format!("service:covet-db since:{late}"))
    );
}

#[test]
fn a_malformed_filters_file_is_reported_and_kept() {
    let dir = fixture();
    let bad = "{\n  \"filters\": {\n    \"db\": { \"query\": \"service:covet-db\" \n  }\n";
    let path = dir.create("cfg/filters.json", bad);
    for args in [
        &["filters", "list"][..],
        &["filters", "save", "x", "level:ERROR"],
        &["filters", "rm", "x"],
        &["search", "-c", "--filter", "db", "", "logs.jsonl"],
    ] {
        let out = cmd(&dir).args(args).run();
        out.expect_code(2);
        let err = stderr_of(&out);
        assert!(
            err.starts_with(&format!("covet-logs: {}: line ", path.display())),
            "{}",
            out.context()
        );
        assert_eq!(err.lines().count(), 1, "{}", out.context());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            bad,
            "file untouched"
        );
    }
    // Built-ins still work without reading the file.
    let out = cmd(&dir)
        .args(["search", "-c", "--filter", "errors", "", "logs.jsonl"])
        .run();
    assert_eq!(out.count(), truth("level:>=ERROR"));
}

#[test]
fn filters_live_under_xdg_config_home() {
    let dir = fixture();
    let mut c = dir.command();
    c.env("COVET_LOGS_CONFIG_DIR", "")
        .env("XDG_CONFIG_HOME", dir.join("xdg"))
        .args(["filters", "save", "db", "service:covet-db"]);
    c.run().expect_code(0);
    let text = std::fs::read_to_string(dir.join("xdg/covet-logs/filters.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["filters"]["db"]["query"], "service:covet-db");
    // No temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.join("xdg/covet-logs"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["filters.json"]);
}

fn history_cmd(dir: &Dir) -> TestCommand {
    let mut c = dir.command();
    c.env("COVET_LOGS_NO_HISTORY", "");
    c
}

#[test]
fn history_records_searches_newest_first_and_keeps_100() {
    let dir = fixture();
    for q in ["level:ERROR", "service:covet-db timeout"] {
        history_cmd(&dir)
            .args(["search", "-c", q, "logs.jsonl"])
            .run();
    }
    let out = history_cmd(&dir).args(["history", "--json"]).run();
    out.expect_code(0);
    let got: Vec<(String, u64)> = out
        .json_lines()
        .iter()
        .map(|m| {
            (
                m["query"].as_str().unwrap().to_string(),
                m["matches"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "service:covet-db timeout".to_string(),
                truth("service:covet-db timeout")
            ),
            ("level:ERROR".to_string(), truth("level:ERROR")),
        ]
    );
    // Off: the flag and the variable.
    history_cmd(&dir)
        .args(["search", "-c", "--no-history", "off1", "logs.jsonl"])
        .run();
    dir.command()
        .args(["search", "-c", "off2", "logs.jsonl"])
        .run();
    let out = history_cmd(&dir).args(["history", "--json"]).run();
    assert_eq!(out.json_lines().len(), 2);
    // Only the last 100 are kept.
    for i in 0..105 {
        history_cmd(&dir)
            .args(["search", "-c", &format!("q{i}"), "logs.jsonl"])
            .run();
    }
    let out = history_cmd(&dir).args(["history", "--json"]).run();
    let lines = out.json_lines();
    assert_eq!(lines.len(), 100);
    assert_eq!(lines[0]["query"], "q104");
    assert_eq!(lines[99]["query"], "q5");
    let out = history_cmd(&dir).args(["history", "-n", "3"]).run();
    assert_eq!(out.stdout_str().lines().count(), 3);
    history_cmd(&dir)
        .args(["history", "--clear"])
        .run()
        .expect_code(0);
    let out = history_cmd(&dir).args(["history"]).run();
    assert!(out.stdout.is_empty());
}

#[test]
fn a_malformed_history_never_fails_a_search_and_is_kept() {
    let dir = fixture();
    let path = dir.create(".covet-state/history.json", "{ not json");
    let out = history_cmd(&dir)
        .args(["search", "-c", "level:ERROR", "logs.jsonl"])
        .run();
    out.expect_code(0);
    assert_eq!(out.count(), truth("level:ERROR"));
    assert!(stderr_of(&out).starts_with("covet-logs: warning: history not recorded: "));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
    let out = history_cmd(&dir).args(["history"]).run();
    out.expect_code(2);
    assert!(stderr_of(&out).starts_with(&format!("covet-logs: {}: line 1", path.display())));
}

/// The typed query and the saved filters are each parsed once and ANDed as trees: a
/// parse error points into the text that has it (the typed query is read first), a
/// compile error into the combined text, under the right token.
#[test]
fn carets_point_into_the_typed_query_the_saved_filter_or_the_combined_text() {
    let dir = fixture();
    dir.create(
        "cfg/filters.json",
        "{\n  \"filters\": {\n    \"bad\": { \"query\": \"level:ERROR AND (\" },\n    \
         \"re\": { \"query\": \"message:/[/\" }\n  }\n}\n",
    );
    let cases: [(&[&str], &str); 4] = [
        (
            &["--filter", "bad", "x OR"],
            "covet-logs: query: expected a term after OR\n  x OR\n    ^^\n",
        ),
        (
            &["--filter", "bad", "level:ERROR"],
            "covet-logs: --filter bad: expected a term after '('\n  level:ERROR AND (\n                  ^\n",
        ),
        (
            &["--filter", "re", "level:ERROR"],
            "covet-logs: query: invalid regex: unclosed character class\n  \
             (message:/[/) AND (level:ERROR)\n   ^^^^^^^^^^^\n",
        ),
        (
            &["--filter", "errors", "--filter", "slow", "message:/(/"],
            "covet-logs: query: invalid regex: unclosed group\n  \
             (level:>=ERROR) AND (duration_ms:>1000) AND (message:/(/)\n\
             \x20                                              ^^^^^^^^^^^\n",
        ),
    ];
    for (args, want) in cases {
        let out = cmd(&dir)
            .args(["search", "-c"])
            .args(args)
            .arg("logs.jsonl")
            .run();
        out.expect_code(2);
        assert_eq!(stderr_of(&out), want, "{}", out.context());
    }
}
