//! Issue 10, hostile queries and names: a path taken as the query must not leave the
//! tool waiting on stdin (case 6), an `OR` of many words is one pass (7), a huge
//! regex is refused instead of running for minutes (8), `-j` is capped (9), reversed
//! ranges and windows are errors (18), and names from directories or from a
//! hand-edited filters file never reach a terminal raw (19).

use crate::util;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use util::{Dir, Rng};

/// Waits for `child` at most `limit`; kills it and fails when it is still running.
fn wait_or_kill(mut child: Child, limit: Duration, what: &str) -> (i32, String, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            let mut out = String::new();
            let mut err = String::new();
            if let Some(mut s) = child.stdout.take() {
                s.read_to_string(&mut out).expect("stdout");
            }
            if let Some(mut s) = child.stderr.take() {
                s.read_to_string(&mut err).expect("stderr");
            }
            return (status.code().unwrap_or(-1), out, err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?} (blocked on stdin?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The binary in `dir`, with stdin an open pipe that is never written or closed
/// (as under ssh or CI), and the tool's environment cleared.
fn spawn_with_idle_stdin(dir: &Dir, args: &[&str]) -> (Child, std::process::ChildStdin) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("covet-logs"));
    cmd.current_dir(dir.path())
        .args(args)
        .env_remove("COVET_LOGS_PATH")
        .env_remove("COVET_LOGS_FORMAT")
        .env("COVET_LOGS_NO_HISTORY", "1")
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn covet-logs");
    let stdin = child.stdin.take().expect("stdin pipe");
    (child, stdin)
}

const APP_LOG: &str = "{\"level\":\"error\",\"msg\":\"disk full\"}\n\
{\"level\":\"info\",\"msg\":\"started\"}\n\
{\"level\":\"ERROR\",\"msg\":\"timeout\"}\n";

// Case 6: `search -l ERROR app.log` reads app.log, never the idle stdin.
#[test]
fn a_lone_existing_file_is_the_input_not_the_query() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    let (child, stdin) = spawn_with_idle_stdin(&dir, &["search", "-l", "ERROR", "app.log"]);
    let (code, out, err) = wait_or_kill(child, Duration::from_secs(20), "search -l ERROR app.log");
    drop(stdin);
    assert_eq!(code, 0, "stderr: {err}");
    assert_eq!(
        out,
        "{\"level\":\"error\",\"msg\":\"disk full\"}\n{\"level\":\"ERROR\",\"msg\":\"timeout\"}\n"
    );
    assert_eq!(err, "");

    // -l with -c, and --debug says what happened.
    let (child, stdin) =
        spawn_with_idle_stdin(&dir, &["search", "-c", "--debug", "-l", "ERROR", "app.log"]);
    let (code, out, err) = wait_or_kill(child, Duration::from_secs(20), "search --debug");
    drop(stdin);
    assert_eq!((code, out.as_str()), (0, "2\n"), "stderr: {err}");
    assert_eq!(
        err.lines().next(),
        Some(
            "covet-logs: debug: app.log: an existing file and no query: read as the input \
             (put a query first to search for this text)"
        ),
        "{err}"
    );
}

// Case 6: a query followed by a path, and `-q` with a path, are unchanged.
#[test]
fn a_query_then_a_path_and_dash_q_are_unchanged() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    expect_quiet(&dir, &["search", "-c", "timeout", "app.log"], 0, "1\n");
    expect_quiet(
        &dir,
        &["search", "-c", "-q", "disk OR timeout", "app.log"],
        0,
        "2\n",
    );
    // A word that names no file stays the query, over piped stdin.
    let out = dir
        .command()
        .args(["search", "-c", "started"])
        .stdin(APP_LOG)
        .run();
    out.expect_code(0);
    assert_eq!(out.stdout_str(), "1\n");
}

// Case 7: 10,000 ORed words over ~3 MB: one aho-corasick pass, exact count.
#[test]
fn ten_thousand_ored_words_are_one_pass() {
    // Words `w00000x`..`w19999x`: fixed width between letters, so one can occur
    // inside a token only as the whole token, which keeps the truth a set lookup.
    let word = |i: u64| format!("w{i:05}x");
    let query: Vec<String> = (0..10_000).map(word).collect();
    let wanted: std::collections::HashSet<String> = query.iter().cloned().collect();
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let mut text = String::new();
    let mut truth = 0u64;
    let mut line_no = 0u64;
    while text.len() < 3_000_000 {
        let mut tokens = Vec::new();
        for _ in 0..6 {
            // Drawn from 40,000 words so about a quarter of the lines match nothing.
            let w = word(rng.next_u64() % 40_000);
            tokens.push(if rng.next_u64().is_multiple_of(3) {
                w.to_uppercase()
            } else {
                w
            });
        }
        if tokens.iter().any(|t| wanted.contains(&t.to_lowercase())) {
            truth += 1;
        }
        text.push_str(&format!(
            "2024-01-01T00:{:02}:{:02}Z INFO {}\n",
            (line_no / 60) % 60,
            line_no % 60,
            tokens.join(" ")
        ));
        line_no += 1;
    }
    assert!(
        truth > 1000 && truth < line_no,
        "fixture: {truth} of {line_no}"
    );
    let dir = Dir::new();
    dir.create("app.log", &text);
    let start = Instant::now();
    let out = dir
        .command()
        .args(["search", "-c", &query.join(" OR "), "app.log"])
        .run();
    let took = start.elapsed();
    out.expect_code(0).expect_stderr_empty();
    assert_eq!(out.count(), truth, "{}", out.context());
    // Before: more than 60 s; now about 1 s in a debug build.
    assert!(took < Duration::from_secs(20), "took {took:?}");

    // Case matters with -s: only the lower-case tokens count.
    let truth_cs = text
        .lines()
        .filter(|l| l.split(' ').skip(2).any(|t| wanted.contains(t)))
        .count() as u64;
    let out = dir
        .command()
        .args(["search", "-c", "-s", &query.join(" OR "), "app.log"])
        .run();
    assert_eq!(out.count(), truth_cs, "{}", out.context());
}

// Case 7: words mixed with other terms, phrases and non-ASCII words keep their rules.
#[test]
fn ored_words_keep_the_term_rules() {
    let dir = Dir::new();
    dir.create(
        "app.log",
        "alpha one\nBETA two\ngamma ÉCOLE\nx delta\nzeta \"q r\"\nnothing\n",
    );
    let cases = [
        ("alpha OR beta", 2),
        ("alpha OR beta OR école", 3),
        ("alpha OR beta OR /^x/", 3),
        ("alpha OR \"q r\" OR ta", 4),
        ("(alpha OR beta) -one", 1),
        ("NOT (alpha OR beta OR gamma OR delta OR zeta)", 1),
        ("a OR e", 5),
    ];
    for (q, want) in cases {
        let out = dir.command().args(["search", "-c", q, "app.log"]).run();
        assert_eq!(out.count(), want, "{q}\n{}", out.context());
    }
}

/// 200 KB of `a` on one line.
fn long_line_dir() -> Dir {
    let dir = Dir::new();
    let mut line = "x".repeat(10);
    line.push_str(&"a".repeat(200_000));
    line.push('\n');
    dir.create("long.log", line);
    dir
}

// Case 8: a regex past the limits is refused at once, with a caret, exit 2.
#[test]
fn a_huge_regex_is_refused_with_a_caret() {
    let dir = long_line_dir();
    let start = Instant::now();
    let out = dir
        .command()
        .args(["search", "/a{100000}b/", "long.log"])
        .run();
    assert!(start.elapsed() < Duration::from_secs(10));
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: query: regex repeats too much: 100000 repetitions (the limit is 1000)\n  \
         /a{100000}b/\n  ^^^^^^^^^^^^\n"
    );
    // Nested repetitions multiply.
    let out = dir
        .command()
        .args(["search", "level:ERROR /(a{10}){200}/", "long.log"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: query: regex repeats too much: 2000 repetitions (the limit is 1000)\n  \
         level:ERROR /(a{10}){200}/\n              ^^^^^^^^^^^^^^\n"
    );
    // Within the repetition limit but over the compiled size limit.
    let out = dir
        .command()
        .args(["search", "msg:/\\w{50}/", "long.log"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: query: regex too large: it compiles to more than 1 MiB (the limit)\n  \
         msg:/\\w{50}/\n  ^^^^^^^^^^^^\n"
    );
}

// Case 8: the largest allowed repetition over the long line stays fast.
#[test]
fn an_allowed_repetition_over_a_long_line_is_fast() {
    let dir = long_line_dir();
    let start = Instant::now();
    expect_quiet(&dir, &["search", "-c", "/a{1000}b/", "long.log"], 1, "0\n");
    expect_quiet(&dir, &["search", "-c", "/xa{1000}/", "long.log"], 0, "1\n");
    assert!(start.elapsed() < Duration::from_secs(20));
}

// Case 9: `-j 100000` is capped, with one warning line; the answer is unchanged.
#[test]
fn threads_are_capped_with_a_warning() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = (cores * 4).min(256);
    let out = dir
        .command()
        .args(["search", "-c", "-j", "100000", "level:ERROR", "app.log"])
        .run();
    out.expect_code(0);
    assert_eq!(out.stdout_str(), "2\n");
    assert_eq!(
        out.stderr,
        format!("covet-logs: warning: -j 100000 is more than 4 threads per core; using {cap}\n")
    );
    let out = dir
        .command()
        .args(["search", "-c", "--debug", "-j", "100000", "", "app.log"])
        .run();
    assert!(
        out.stderr.contains(&format!(", {cap} thread(s),")),
        "{}",
        out.context()
    );
    // Within the cap: no warning.
    let out = dir
        .command()
        .args(["search", "-c", "-j", "2", "level:ERROR", "app.log"])
        .run();
    out.expect_code(0).expect_stderr_empty();
}

// Case 18: reversed ranges are errors with a caret; flags are named.
#[test]
fn reversed_ranges_are_errors() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    let cases = [
        (
            "duration_ms:10..1",
            "covet-logs: query: reversed range: 10 is above 1 (write 1..10)\n  \
             duration_ms:10..1\n  ^^^^^^^^^^^^^^^^^\n",
        ),
        (
            "disk level:ERROR..DEBUG",
            "covet-logs: query: reversed range: ERROR is above DEBUG (write DEBUG..ERROR)\n  \
             disk level:ERROR..DEBUG\n       ^^^^^^^^^^^^^^^^^^\n",
        ),
        (
            "timestamp:2024-02-01..2024-01-01",
            "covet-logs: query: reversed range: 2024-02-01 is above 2024-01-01 \
             (write 2024-01-01..2024-02-01)\n  \
             timestamp:2024-02-01..2024-01-01\n  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
        ),
    ];
    for (q, want) in cases {
        let out = dir.command().args(["search", q, "app.log"]).run();
        out.expect_code(2);
        assert_eq!(out.stderr, want, "{q}");
        assert!(out.stdout.is_empty());
    }
    expect_error(
        &dir,
        &["search", "-l", "ERROR..DEBUG", "", "app.log"],
        2,
        "covet-logs: --level: reversed range: ERROR is above DEBUG (write DEBUG..ERROR)\n",
    );
    // Forward and one-point ranges are fine.
    for q in [
        "duration_ms:1..10",
        "level:DEBUG..ERROR",
        "level:ERROR..ERROR",
    ] {
        let out = dir.command().args(["search", "-c", q, "app.log"]).run();
        assert_ne!(out.code, Some(2), "{q}\n{}", out.context());
    }
}

// Case 18: --since after --until is an error naming the flags.
#[test]
fn since_after_until_is_an_error() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    expect_error(
        &dir,
        &[
            "search",
            "--since",
            "2024-02-01",
            "--until",
            "2024-01-01",
            "",
            "app.log",
        ],
        2,
        "covet-logs: --since: 2024-02-01 is after --until 2024-01-01\n",
    );
    let out = dir
        .command()
        .args(["stats", "--since", "1h", "--until", "2h", "app.log"])
        .run();
    out.expect_code(2);
    assert_eq!(out.stderr, "covet-logs: --since: 1h is after --until 2h\n");
}

/// A name a hostile user could give a file: an OSC title sequence ended by BEL.
const EVIL: &str = "d\x1b]0;PWN\x07.log";
/// How the tool shows it.
const EVIL_SHOWN: &str = "d\\x1b]0;PWN\\x07.log";

/// Fails when `text` holds a byte a terminal would obey (other than newline).
fn assert_no_control_bytes(what: &str, text: &[u8]) {
    let bad: Vec<(usize, u8)> = text
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, b)| (b < 0x20 && b != b'\n') || b == 0x7f)
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: raw control bytes {bad:?} in {text:?}"
    );
    let c1 = String::from_utf8_lossy(text).contains('\u{9b}');
    assert!(!c1, "{what}: raw CSI (U+009B)");
}

// Case 19: a dangling symlink with ESC/BEL in its name, in a walked directory.
#[test]
fn walked_names_are_escaped_on_stderr() {
    let dir = Dir::new();
    dir.create("logs/app.log", APP_LOG);
    std::os::unix::fs::symlink("/nonexistent/x", dir.join(&format!("logs/{EVIL}")))
        .expect("symlink");
    // Without -L a link inside a directory is skipped quietly (as rg does).
    let out = dir.command().args(["search", "-c", "", "logs"]).run();
    out.expect_code(0);
    assert_eq!(out.stderr, "", "{}", out.context());
    // With -L it is followed, and the error names it escaped.
    let out = dir.command().args(["search", "-c", "-L", "", "logs"]).run();
    out.expect_code(2);
    assert_no_control_bytes("stderr", out.stderr.as_bytes());
    assert_eq!(
        out.stderr,
        format!("covet-logs: logs/{EVIL_SHOWN}: No such file or directory\n"),
        "{}",
        out.context()
    );

    // A real log file with that name: --debug names every input it reads.
    let dir = Dir::new();
    dir.create(&format!("logs/{EVIL}"), APP_LOG);
    let out = dir
        .command()
        .args(["search", "-c", "--debug", "", "logs"])
        .run();
    out.expect_code(0);
    assert_no_control_bytes("stderr", out.stderr.as_bytes());
    assert!(
        out.stderr
            .contains(&format!("logs/{EVIL_SHOWN}: format json")),
        "{}",
        out.context()
    );
}

// Case 19: an error about a named path escapes the name.
#[test]
fn a_missing_path_is_escaped_in_the_error() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    let out = dir.command().args(["search", "x", EVIL, "app.log"]).run();
    out.expect_code(2);
    assert_no_control_bytes("stderr", out.stderr.as_bytes());
    assert_eq!(
        out.stderr,
        format!("covet-logs: {EVIL_SHOWN}: No such file or directory\n")
    );
}

// Case 19: filter names from a hand-edited filters.json, in list and show.
#[test]
fn filter_names_are_escaped_in_list_and_show() {
    let dir = Dir::new();
    let name = "ev\x1b[2Jil\u{9b}x";
    let file = serde_json::json!({
        "filters": { name: { "query": "level:ERROR\u{1b}]0;T\u{7}" } }
    });
    dir.create(".covet-config/filters.json", file.to_string());
    let out = dir.command().args(["filters", "list"]).run();
    out.expect_code(0);
    assert_no_control_bytes("filters list", &out.stdout);
    let listed = out.stdout_str();
    assert!(
        listed.contains("ev\\x1b[2Jil\\x9bx  level:ERROR\\x1b]0;T\\x07\n"),
        "{listed}"
    );
    let out = dir.command().args(["filters", "show", name]).run();
    out.expect_code(0);
    assert_no_control_bytes("filters show", &out.stdout);
    assert_eq!(
        out.stdout_str(),
        "name: ev\\x1b[2Jil\\x9bx\nquery: level:ERROR\\x1b]0;T\\x07\n"
    );
    // A name that does not exist is escaped in the error.
    let out = dir.command().args(["filters", "show", "no\x1bpe"]).run();
    out.expect_code(2);
    assert_no_control_bytes("stderr", out.stderr.as_bytes());
    assert_eq!(out.stderr, "covet-logs: filter no\\x1bpe: no such filter\n");
}

// Case 18: a saved filter's window that ends before --since is named.
#[test]
fn a_saved_window_before_since_is_an_error() {
    let dir = Dir::new();
    dir.create("app.log", APP_LOG);
    dir.command()
        .args(["filters", "save", "jan", "", "--until", "2024-01-31"])
        .run()
        .expect_code(0);
    expect_error(
        &dir,
        &[
            "search",
            "--filter",
            "jan",
            "--since",
            "2024-03-01",
            "",
            "app.log",
        ],
        2,
        "covet-logs: --filter jan: its time window does not overlap the other --since/--until\n",
    );
}

/// Runs `args` in `dir`: exit code `code`, nothing on stderr, `stdout` whole.
fn expect_quiet(dir: &Dir, args: &[&str], code: i32, stdout: &str) {
    let out = dir.command().args(args).run();
    out.expect_code(code).expect_stderr_empty();
    assert_eq!(out.stdout_str(), stdout);
}

/// Runs `args` in `dir`: exit code `code` and `stderr` whole.
fn expect_error(dir: &Dir, args: &[&str], code: i32, stderr: &str) {
    let out = dir.command().args(args).run();
    out.expect_code(code);
    assert_eq!(out.stderr, stderr);
}
