//! One CLI grammar: every filtering command takes the query as its first positional,
//! as `search` does; `-q` still gives it; a first positional that names an existing
//! file while no query was given is the input, and `--debug` says so.
//!
//! The expected entries are computed here from what each test writes.

use crate::util;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::Dir;

/// Two services, three levels; the ERROR lines are 2 and 4.
const LINES: [&str; 5] = [
    r#"{"timestamp":"2024-01-15T10:00:00Z","level":"INFO","service":"api","message":"start"}"#,
    r#"{"timestamp":"2024-01-15T10:00:01Z","level":"ERROR","service":"db","message":"timeout a"}"#,
    r#"{"timestamp":"2024-01-15T10:00:02Z","level":"WARN","service":"api","message":"slow"}"#,
    r#"{"timestamp":"2024-01-15T10:00:03Z","level":"ERROR","service":"api","message":"timeout b"}"#,
    r#"{"timestamp":"2024-01-15T10:00:04Z","level":"INFO","service":"db","message":"done"}"#,
];

const DEBUG_NOTE: &str = "covet-logs: debug: app.log: an existing file and no query: read as \
the input (put a query first to search for this text)\n";

fn app() -> Dir {
    let dir = Dir::new();
    dir.create("app.log", LINES.join("\n") + "\n");
    dir
}

/// The lines whose level is `level`, each with its newline.
fn lines_at(level: &str) -> String {
    LINES
        .iter()
        .filter(|l| l.contains(&format!("\"level\":\"{level}\"")))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn all_lines() -> String {
    LINES.iter().map(|l| format!("{l}\n")).collect()
}

/// covet-logs with `args` in `dir`.
fn run(dir: &Dir, args: &[&str]) -> util::Output {
    dir.command().args(args).run()
}

#[test]
fn tail_takes_the_query_first() {
    let dir = app();
    let out = run(&dir, &["tail", "level:ERROR", "app.log"]);
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.stdout_str(), lines_at("ERROR"));
    // -n counts matching entries only.
    let out = run(&dir, &["tail", "-n", "1", "level:ERROR", "app.log"]);
    assert_eq!(out.stdout_str(), format!("{}\n", LINES[3]));
    // Nothing matched: exit 1, nothing printed.
    let out = run(&dir, &["tail", "level:FATAL", "app.log"]);
    out.expect_code(1);
    assert_eq!(out.stdout_str(), "");
}

#[test]
fn tail_query_first_reads_stdin_without_a_path() {
    let dir = app();
    let out = dir
        .command()
        .args(["tail", "service:db"])
        .stdin(all_lines())
        .run();
    out.expect_code(0);
    assert_eq!(out.stdout_str(), format!("{}\n{}\n", LINES[1], LINES[4]));
}

#[test]
fn q_still_gives_the_query_and_makes_every_positional_a_path() {
    let dir = app();
    dir.create("more.log", format!("{}\n", LINES[1]));
    let out = run(&dir, &["tail", "-q", "level:WARN", "app.log"]);
    assert_eq!(out.stdout_str(), lines_at("WARN"));
    let out = run(&dir, &["tail", "--query", "level:WARN", "app.log"]);
    assert_eq!(out.stdout_str(), lines_at("WARN"));
    let out = run(
        &dir,
        &[
            "export",
            "--format",
            "raw",
            "-q",
            "level:ERROR",
            "app.log",
            "more.log",
        ],
    );
    out.expect_code(0);
    let text = out.stdout_str();
    let mut got: Vec<&str> = text.lines().collect();
    got.sort_unstable();
    let mut want = vec![LINES[1], LINES[1], LINES[3]];
    want.sort_unstable();
    assert_eq!(got, want);
    let out = run(&dir, &["stats", "--json", "-q", "level:ERROR", "app.log"]);
    assert_eq!(total(&out), 2);
    let out = run(&dir, &["fields", "--json", "-q", "timeout", "app.log"]);
    assert_eq!(entries(&out), 2);
}

#[test]
fn a_lone_existing_file_is_the_input_on_every_command() {
    let dir = app();
    let out = run(&dir, &["tail", "app.log"]);
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.stdout_str(), all_lines());
    let out = run(&dir, &["export", "--format", "raw", "app.log"]);
    assert_eq!(out.stdout_str(), all_lines());
    let out = run(&dir, &["stats", "--json", "app.log"]);
    assert_eq!(total(&out), 5);
    let out = run(&dir, &["fields", "--json", "app.log"]);
    assert_eq!(entries(&out), 5);
    let out = run(&dir, &["search", "app.log"]);
    assert_eq!(out.stdout_str(), all_lines());
}

#[test]
fn debug_says_the_first_positional_was_read_as_the_input() {
    let dir = app();
    for cmd in [
        &["tail", "--debug", "app.log"][..],
        &["search", "--debug", "app.log"],
        &["export", "--debug", "--format", "raw", "app.log"],
        &["stats", "--debug", "--json", "app.log"],
        &["fields", "--debug", "--json", "app.log"],
    ] {
        let out = run(&dir, cmd);
        out.expect_code(0);
        assert!(
            out.stderr.starts_with(DEBUG_NOTE),
            "{cmd:?}: stderr {:?}",
            out.stderr
        );
        assert_eq!(
            out.stderr.matches("read as the input").count(),
            1,
            "{cmd:?}"
        );
    }
    // A query given first: no such line.
    let out = run(&dir, &["tail", "--debug", "level:ERROR", "app.log"]);
    out.expect_code(0);
    assert!(!out.stderr.contains("read as the input"), "{}", out.stderr);
    assert_eq!(out.stdout_str(), lines_at("ERROR"));
}

/// `stats --json`'s total of entries.
fn total(out: &util::Output) -> u64 {
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stats json");
    doc["totalLogs"].as_u64().expect("totalLogs")
}

/// `fields --json`'s count of entries.
fn entries(out: &util::Output) -> u64 {
    let doc: Value = serde_json::from_slice(&out.stdout).expect("fields json");
    doc["entries"].as_u64().expect("entries")
}

#[test]
fn stats_takes_the_query_first() {
    let dir = app();
    let out = run(&dir, &["stats", "--json", "level:ERROR", "app.log"]);
    out.expect_code(0);
    assert_eq!(total(&out), 2);
    let out = run(&dir, &["stats", "--json", "service:api", "app.log"]);
    assert_eq!(total(&out), 3);
    // The same through -q, and without a query every entry.
    let out = run(&dir, &["stats", "--json", "-q", "service:api", "app.log"]);
    assert_eq!(total(&out), 3);
    let out = run(&dir, &["stats", "--json", "app.log"]);
    assert_eq!(total(&out), 5);
}

#[test]
fn export_takes_the_query_first() {
    let dir = app();
    let out = run(&dir, &["export", "--format", "raw", "timeout", "app.log"]);
    out.expect_code(0);
    assert_eq!(out.stdout_str(), lines_at("ERROR"));
    let out = run(
        &dir,
        &["export", "--format", "csv", "service:db", "app.log"],
    );
    out.expect_code(0);
    // A header row and one row per db entry.
    assert_eq!(out.stdout_str().lines().count(), 3, "{}", out.stdout_str());
    let out = run(&dir, &["export", "level:FATAL", "app.log"]);
    out.expect_code(1);
}

#[test]
fn fields_takes_a_query_first_and_keeps_the_field_name_spelling() {
    let dir = app();
    let out = run(&dir, &["fields", "--json", "level:ERROR", "app.log"]);
    out.expect_code(0);
    assert_eq!(entries(&out), 2);
    // A plain name is still the field, alone or after a query.
    let out = run(&dir, &["fields", "service", "app.log"]);
    out.expect_code(0);
    assert!(
        out.stdout_str().starts_with("service in 5 of 5 entries"),
        "{}",
        out.stdout_str()
    );
    let out = run(&dir, &["fields", "level:ERROR", "service", "app.log"]);
    out.expect_code(0);
    assert!(
        out.stdout_str().starts_with("service in 2 of 2 entries"),
        "{}",
        out.stdout_str()
    );
}

#[test]
fn path_first_spellings_keep_working() {
    let dir = app();
    dir.create("b.log", format!("{}\n", LINES[2]));
    // Two files: both read (the first is not taken as a query).
    let out = run(&dir, &["export", "--format", "raw", "b.log", "app.log"]);
    assert_eq!(out.stdout_str().lines().count(), 6);
    let out = run(&dir, &["stats", "--json", "app.log", "b.log"]);
    assert_eq!(total(&out), 6);
    // A directory first is a path.
    dir.create("logs/c.log", format!("{}\n", LINES[0]));
    let out = run(&dir, &["tail", "logs"]);
    assert_eq!(out.stdout_str(), format!("{}\n", LINES[0]));
    // A missing file name alone is still a missing input, not a query over stdin.
    let out = run(&dir, &["export", "gone.log"]);
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: gone.log: No such file or directory\n"
    );
}

/// `tail -f QUERY FILE`: the query applies to appended entries (it was read as a
/// second file before, and every entry was shown).
#[test]
fn tail_follow_takes_the_query_first() {
    let dir = app();
    let path = dir.join("app.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .current_dir(dir.path())
        .args(["tail", "-f", "--no-status", "level:ERROR", "app.log"])
        .env("COVET_LOGS_NO_HISTORY", "1")
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".cfg"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".state"))
        .env_remove("COVET_LOGS_PATH")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let got = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().expect("stdout");
    let sink = Arc::clone(&got);
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().expect("lock").extend_from_slice(&buf[..n]);
        }
    });
    let text = || String::from_utf8_lossy(&got.lock().expect("lock")).into_owned();
    let wait_for = |want: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while text() != want && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let before = lines_at("ERROR");
    wait_for(&before);
    let appended = [
        r#"{"timestamp":"2024-01-15T10:00:05Z","level":"INFO","service":"api","message":"ok"}"#,
        r#"{"timestamp":"2024-01-15T10:00:06Z","level":"ERROR","service":"db","message":"late"}"#,
        r#"{"timestamp":"2024-01-15T10:00:07Z","level":"DEBUG","service":"db","message":"x"}"#,
    ];
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    f.write_all((appended.join("\n") + "\n").as_bytes())
        .expect("append");
    drop(f);
    let want = format!("{before}{}\n", appended[1]);
    wait_for(&want);
    // Whatever else arrives within a moment must not be the INFO or DEBUG lines.
    std::thread::sleep(Duration::from_millis(400));
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert_eq!(text(), want, "stderr: {stderr}");
}

/// A lone file name that does not exist yet is still a path on the path-first
/// commands (as before the query came first): `tail` says it is missing, `--debug`
/// says it was read as the input, and `search` keeps rg's rule (the query).
#[test]
fn a_lone_file_name_stays_a_path_and_debug_says_so() {
    let dir = app();
    let out = run(&dir, &["tail", "--debug", "later.log"]);
    out.expect_code(2);
    assert!(
        out.stderr.starts_with(
            "covet-logs: debug: later.log: a file name and no query: read as the input \
             (put a query first to search for this text)\ncovet-logs: later.log: No such file or directory\n"
        ),
        "{}",
        out.stderr
    );
    let out = run(&dir, &["stats", "later.log"]);
    out.expect_code(2);
    assert!(
        out.stderr.starts_with("covet-logs: later.log: "),
        "{}",
        out.stderr
    );
    // A bare word is the query: stdin is read.
    let out = dir
        .command()
        .args(["tail", "slow"])
        .stdin(all_lines())
        .run();
    out.expect_code(0);
    assert_eq!(out.stdout_str(), format!("{}\n", LINES[2]));
    // search: the first positional is always the query unless it is an existing file.
    let out = dir
        .command()
        .args(["search", "later.log"])
        .stdin(all_lines())
        .run();
    out.expect_code(1);
}

/// Completes `line` with the committed bash script (as readline would hand it over,
/// `tests/shells/complete.bash`), with the samples of `dir` as `COVET_LOGS_PATH`.
fn bash_complete(dir: &Dir, line: &str) -> Vec<String> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_covet-logs"));
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(repo.join("tests/shells/complete.bash"))
        .arg(repo.join("completions/covet-logs.bash"))
        .arg(line)
        .current_dir(dir.path())
        .env("PATH", path)
        .env("COVET_LOGS_PATH", dir.join("app.log"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".state"))
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".cfg"))
        .env("HOME", dir.path())
        .output()
        .expect("bash");
    assert!(out.status.success(), "{line}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The query completes in the first positional of every command that takes it there
/// (values of options skipped, `-n` takes one on tail), and the word after it is a
/// path again.
#[test]
fn bash_completes_the_query_first_on_tail_stats_and_export() {
    let dir = app();
    dir.create("logs/api.jsonl", format!("{}\n", LINES[0]));
    for line in [
        "covet-logs tail serv",
        "covet-logs tail -n 5 serv",
        "covet-logs tail -f --since 1h serv",
        "covet-logs stats --by service serv",
        "covet-logs export --format csv serv",
    ] {
        assert_eq!(bash_complete(&dir, line), ["service:"], "{line}");
    }
    assert_eq!(
        bash_complete(&dir, "covet-logs tail service:"),
        ["api", "db"],
        "values"
    );
    assert_eq!(
        bash_complete(&dir, "covet-logs stats level:ERROR logs/ap"),
        ["logs/api.jsonl"]
    );
    assert_eq!(
        bash_complete(&dir, "covet-logs tail 'level:ERROR serv"),
        ["level:ERROR service:"]
    );
}
