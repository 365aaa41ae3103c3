//! Issue 14, the terminal experience: each item run as a user types it, with the whole
//! output asserted (stdout, stderr, exit code). Where a terminal matters the command
//! runs under `script` (a pty).

use crate::util;

use util::{Dir, Output};

/// Two small inputs with known lines.
fn fixture() -> Dir {
    let dir = Dir::new();
    dir.create(
        "logs/a.jsonl",
        concat!(
            r#"{"timestamp":"2024-01-15T00:00:01Z","level":"ERROR","service":"api","message":"connection refused by db"}"#,
            "\n",
            r#"{"timestamp":"2024-01-15T00:00:02Z","level":"INFO","service":"api","message":"request ok"}"#,
            "\n",
            r#"{"timestamp":"2024-01-15T00:00:03Z","level":"WARN","service":"api","message":"errors: slow"}"#,
            "\n",
        ),
    );
    dir.create(
        "logs/b.log",
        "2024-01-15 00:00:04.000 [ERROR] worker job.rs:1 timeout after 30s\n\
         2024-01-15 00:00:05.000 [INFO] worker job.rs:2 job done\n",
    );
    // Plain text whose "error" is a word of a sentence, not a level (README: levels in
    // plain text), so `-l ERROR` does not count it.
    dir.create("logs/notes.txt", "not a log at all: error\n");
    dir
}

fn run(dir: &Dir, args: &[&str]) -> Output {
    dir.command().args(args).run()
}

/// Asserts the whole outcome of a command.
fn expect(out: &Output, stdout: &str, stderr: &str, code: i32) {
    assert_eq!(
        (out.stdout_str().as_str(), out.stderr.as_str(), out.code),
        (stdout, stderr, Some(code)),
        "{}",
        out.context()
    );
}

const A1: &str = r#"{"timestamp":"2024-01-15T00:00:01Z","level":"ERROR","service":"api","message":"connection refused by db"}"#;
const A2: &str =
    r#"{"timestamp":"2024-01-15T00:00:02Z","level":"INFO","service":"api","message":"request ok"}"#;
const A3: &str = r#"{"timestamp":"2024-01-15T00:00:03Z","level":"WARN","service":"api","message":"errors: slow"}"#;
const B1: &str = "2024-01-15 00:00:04.000 [ERROR] worker job.rs:1 timeout after 30s";
const B2: &str = "2024-01-15 00:00:05.000 [INFO] worker job.rs:2 job done";

// Item 3: ripgrep habits.

#[test]
fn rg_several_inputs_get_file_prefixes_when_piped() {
    let dir = fixture();
    let out = run(
        &dir,
        &["search", "refused OR timeout", "logs/a.jsonl", "logs/b.log"],
    );
    expect(
        &out,
        &format!("logs/a.jsonl:{A1}\nlogs/b.log:{B1}\n"),
        "",
        0,
    );
    let out = run(
        &dir,
        &[
            "search",
            "--no-filename",
            "refused OR timeout",
            "logs/a.jsonl",
            "logs/b.log",
        ],
    );
    expect(&out, &format!("{A1}\n{B1}\n"), "", 0);
    let out = run(&dir, &["search", "-H", "-n", "ok", "logs/a.jsonl"]);
    expect(&out, &format!("logs/a.jsonl:2:{A2}\n"), "", 0);
}

#[test]
fn rg_e_patterns_are_ored_and_positionals_are_paths() {
    let dir = fixture();
    let out = run(
        &dir,
        &[
            "search",
            "-e",
            "refused",
            "-e",
            "job done",
            "logs/b.log",
            "logs/a.jsonl",
        ],
    );
    expect(
        &out,
        &format!("logs/a.jsonl:{A1}\nlogs/b.log:{B2}\n"),
        "",
        0,
    );
}

#[test]
fn rg_i_is_accepted_and_v_inverts_the_query_only() {
    let dir = fixture();
    let out = run(&dir, &["search", "-i", "-v", "REFUSED", "logs/a.jsonl"]);
    expect(&out, &format!("{A2}\n{A3}\n"), "", 0);
    // The last of -s and -i wins.
    let out = run(
        &dir,
        &["search", "-s", "-i", "-c", "REFUSED", "logs/a.jsonl"],
    );
    expect(&out, "1\n", "", 0);
    let out = run(
        &dir,
        &["search", "-i", "-s", "-c", "REFUSED", "logs/a.jsonl"],
    );
    expect(&out, "0\n", "", 1);
    // -v inverts the query; --level still applies.
    let out = run(
        &dir,
        &["search", "-v", "-l", ">=WARN", "refused", "logs/a.jsonl"],
    );
    expect(&out, &format!("{A3}\n"), "", 0);
}

#[test]
fn rg_w_matches_whole_words_only() {
    let dir = fixture();
    let out = run(&dir, &["search", "error", "logs/a.jsonl"]);
    expect(&out, &format!("{A1}\n{A3}\n"), "", 0);
    // `errors` in A3 is not the word `error`; A1's level "ERROR" is.
    let out = run(&dir, &["search", "-w", "error", "logs/a.jsonl"]);
    expect(&out, &format!("{A1}\n"), "", 0);
}

#[test]
fn rg_f_takes_the_query_literally() {
    let dir = fixture();
    dir.create("p.log", "x (a OR b) y\nx a y\n");
    let out = run(&dir, &["search", "-F", "(a OR b)", "p.log"]);
    expect(&out, "x (a OR b) y\n", "", 0);
    let out = run(&dir, &["search", "(a OR b)", "p.log"]);
    expect(&out, "x (a OR b) y\nx a y\n", "", 0);
}

#[test]
fn rg_o_prints_only_the_matches() {
    let dir = fixture();
    let out = run(&dir, &["search", "-o", "-n", "/time\\w+/", "logs/b.log"]);
    expect(&out, "1:timeout\n", "", 0);
    let out = run(&dir, &["search", "-o", "refused OR timeout", "logs"]);
    expect(&out, "logs/a.jsonl:refused\nlogs/b.log:timeout\n", "", 0);
}

#[test]
fn rg_glob_and_files_list_what_would_be_read() {
    let dir = fixture();
    let out = run(&dir, &["search", "--files", "logs"]);
    expect(&out, "logs/a.jsonl\nlogs/b.log\nlogs/notes.txt\n", "", 0);
    let out = run(
        &dir,
        &["search", "--files", "-g", "*.log", "-g", "*.jsonl", "logs"],
    );
    expect(&out, "logs/a.jsonl\nlogs/b.log\n", "", 0);
    let out = run(&dir, &["search", "--files", "-g", "!*.txt", "logs"]);
    expect(&out, "logs/a.jsonl\nlogs/b.log\n", "", 0);
    // A file named as an argument is read whatever the globs say.
    let out = run(
        &dir,
        &["search", "-g", "*.jsonl", "timeout", "logs", "logs/b.log"],
    );
    expect(&out, &format!("logs/b.log:{B1}\n"), "", 0);
}

#[test]
fn rg_no_config_ignores_config_toml() {
    let dir = fixture();
    dir.create(".covet-config/config.toml", "paths = [\"logs/b.log\"]\n");
    let out = run(&dir, &["search", "-c", "timeout"]);
    expect(&out, "1\n", "", 0);
    // Without the file's paths, the (empty) piped stdin is read.
    let out = run(&dir, &["search", "--no-config", "-c", "timeout"]);
    expect(&out, "0\n", "", 1);
}

#[test]
fn rg_stats_prints_a_summary_line() {
    let dir = fixture();
    let out = run(
        &dir,
        &[
            "search",
            "--stats",
            "level:ERROR",
            "logs/a.jsonl",
            "logs/b.log",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.context());
    assert_eq!(
        out.stdout_str(),
        format!("logs/a.jsonl:{A1}\nlogs/b.log:{B1}\n")
    );
    let secs = out
        .stderr
        .strip_prefix("2 of 5 entries in 2 files, ")
        .and_then(|s| s.strip_suffix(" s\n"))
        .unwrap_or_else(|| panic!("summary: {}", out.context()));
    assert!(secs.parse::<f64>().is_ok_and(|s| s < 60.0), "{secs}");
}

// Item 1: misspelled fields and ranges on words.

#[test]
fn a_field_no_entry_has_is_named_with_the_closest_names() {
    let dir = fixture();
    dir.create(
        "m.jsonl",
        r#"{"level":"INFO","message":"ok","metadata":{"endpoint":"/health","duration_ms":5}}
"#,
    );
    let out = run(&dir, &["search", "levle:ERROR", "logs/a.jsonl"]);
    expect(
        &out,
        "",
        "covet-logs: no entry has a field `levle`; did you mean `level`?\n",
        1,
    );
    let out = run(&dir, &["search", "endpiont:/health", "m.jsonl"]);
    expect(
        &out,
        "",
        "covet-logs: no entry has a field `endpiont`; did you mean `endpoint`?\n",
        1,
    );
    let out = run(&dir, &["search", "qqqqqq:1", "m.jsonl"]);
    expect(&out, "", "covet-logs: no entry has a field `qqqqqq`\n", 1);
    // A field that exists but has no matching value: no hint, exit 1.
    let out = run(&dir, &["search", "endpoint:/nope", "m.jsonl"]);
    expect(&out, "", "", 1);
}

#[test]
fn a_range_on_a_word_is_an_error_with_a_caret() {
    let dir = fixture();
    let out = run(&dir, &["search", "duration_ms:>abc", "logs/a.jsonl"]);
    expect(
        &out,
        "",
        "covet-logs: query: 'abc' is not a number, a time or a level, so it cannot bound a range\n  duration_ms:>abc\n  ^^^^^^^^^^^^^^^^\n",
        2,
    );
}

// Item 2: empty results say what the inputs hold.

#[test]
fn a_window_outside_the_inputs_says_what_they_span() {
    let dir = fixture();
    let out = run(
        &dir,
        &[
            "search",
            "--since",
            "2024-01-16",
            "",
            "logs/a.jsonl",
            "logs/b.log",
        ],
    );
    expect(
        &out,
        "",
        "covet-logs: inputs span 2024-01-15 00:00:01 to 00:00:05; --since 2024-01-16 starts 2024-01-16 00:00:00\n",
        1,
    );
    let out = run(
        &dir,
        &[
            "search",
            "--until",
            "2024-01-14T23:00",
            "error",
            "logs/b.log",
        ],
    );
    expect(
        &out,
        "",
        "covet-logs: inputs span 2024-01-15 00:00:04 to 00:00:05; --until 2024-01-14T23:00 ends 2024-01-14 23:00:00\n",
        1,
    );
}

#[test]
fn a_level_no_entry_has_lists_the_levels_there_are() {
    let dir = fixture();
    let out = run(
        &dir,
        &["search", "-l", "FATAL", "", "logs/a.jsonl", "logs/b.log"],
    );
    expect(
        &out,
        "",
        "covet-logs: no entry at the level asked; levels in the inputs: INFO 2, WARN 1, ERROR 2\n",
        1,
    );
    // The level is there; another term excluded everything: no level hint.
    let out = run(
        &dir,
        &["search", "level:ERROR nothinglikethis", "logs/a.jsonl"],
    );
    expect(&out, "", "", 1);
}

/// The README's example commands, run as written from a directory holding the shipped
/// samples (`examples/logs`): each exits 0 (an `--alert` that fires exits 1) with
/// output, and nothing on stderr. Following commands (`-f`) are left out.
#[test]
fn readme_examples_work_on_the_shipped_samples() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let dir = Dir::new();
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/logs");
    for name in ["api.jsonl", "app.log", "worker.log"] {
        let bytes = std::fs::read(format!("{samples}/{name}")).expect("sample");
        dir.create(&format!("examples/logs/{name}"), bytes);
    }
    let bin = assert_cmd::cargo::cargo_bin("covet-logs");
    let bin_dir = bin.parent().expect("bin dir").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for line in readme.lines() {
        let Some(cmd) = line.strip_prefix("    covet-logs ") else {
            continue;
        };
        // Following and serving run until stopped (serve: tests/cli/serve.rs); installing (`> ~/...`, `| man`) writes outside
        // the test directory or needs man.
        // The dashboard capture's title line (`covet-logs stats  2024-... → ...`) is output.
        if cmd.contains(" -f ")
            || cmd.starts_with("serve ")
            || cmd.contains("~/")
            || cmd.contains("| man ")
            || cmd.contains('→')
        {
            continue;
        }
        let cmd = format!("covet-logs {cmd}");
        let out = std::process::Command::new("bash")
            .args(["-o", "pipefail", "-c", &cmd])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
            .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
            .env("COVET_LOGS_CACHE_DIR", dir.join(".covet-cache"))
            .env_remove("COVET_LOGS_PATH")
            .env_remove("COVET_LOGS_NO_HISTORY")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("bash");
        let want = if cmd.contains("--alert") { 1 } else { 0 };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(want), "{cmd}\n{stderr}");
        assert_eq!(stderr, "", "{cmd}");
        let wrote = ["errors.csv", "report.md"]
            .iter()
            .any(|f| cmd.contains(f) && dir.join(f).metadata().is_ok_and(|m| m.len() > 0));
        let quiet = cmd.contains("filters save") || cmd.contains("filters rm");
        assert!(!out.stdout.is_empty() || wrote || quiet, "{cmd}: no output");
        ran += 1;
    }
    assert!(ran >= 25, "only {ran} README examples found");
}

/// A shell word for `script -c`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `covet-logs ARGS` in `dir` under `script` (stdin, stdout and stderr on one pty, as
/// in a terminal), with the test environment; the output with `\r\n` made `\n`.
fn pty_command(dir: &Dir, args: &[&str]) -> std::process::Command {
    let bin = assert_cmd::cargo::cargo_bin("covet-logs");
    let mut line = quote(&bin.display().to_string());
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(dir.path())
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "200")
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_NO_HISTORY", "1")
        // The pager has its own tests (terminal_views.rs); here output goes to the pty.
        .env("COVET_LOGS_PAGING", "never")
        .env_remove("NO_COLOR")
        .env_remove("PAGER")
        .env_remove("COVET_LOGS_PAGER");
    for var in util::TOOL_ENV_VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// A command left running under `script`, its output read as it comes.
struct Follow {
    child: std::process::Child,
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    seen: Vec<u8>,
}

impl Follow {
    /// Spawns `cmd` (from `pty_command`) and reads its output on a thread.
    fn start(mut cmd: std::process::Command) -> Follow {
        use std::io::Read;
        let mut child = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("script");
        let mut stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Follow {
            child,
            rx,
            seen: Vec::new(),
        }
    }

    /// Waits (20 s at most) until the output so far contains `want`.
    fn wait_for(&mut self, want: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !String::from_utf8_lossy(&self.seen).contains(want) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(bytes) => self.seen.extend(bytes),
                Err(_) => panic!(
                    "waited for {want:?}; got {:?}",
                    String::from_utf8_lossy(&self.seen)
                ),
            }
        }
    }

    /// Ends the command; the output seen, with `\r\n` made `\n`.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        String::from_utf8_lossy(&self.seen).replace("\r\n", "\n")
    }
}

fn pty(dir: &Dir, args: &[&str]) -> (String, Option<i32>) {
    pty_output(pty_command(dir, args))
}

/// Runs `cmd` (from `pty_command`) with no input: its output with `\r\n` made `\n`, and
/// its exit code.
fn pty_output(mut cmd: std::process::Command) -> (String, Option<i32>) {
    let out = cmd
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    (text, out.status.code())
}

/// The summary line's seconds replaced by `S`.
fn mask_seconds(text: &str) -> String {
    let re = regex::Regex::new(r", \d+\.\d\d s\n").expect("regex");
    re.replace_all(text, ", S s\n").into_owned()
}

// Item 11: the summary line on a terminal.

#[test]
fn on_a_terminal_a_summary_follows_the_results() {
    let dir = fixture();
    let (out, code) = pty(
        &dir,
        &[
            "search",
            "--color",
            "never",
            "level:ERROR",
            "logs/a.jsonl",
            "logs/b.log",
        ],
    );
    assert_eq!(
        mask_seconds(&out),
        "logs/a.jsonl: 2024-01-15 00:00:01.000 ERROR api connection refused by db #logs/a.jsonl:1\n\
         logs/b.log: 2024-01-15 00:00:04.000 ERROR worker job.rs:1 timeout after 30s #logs/b.log:1\n\
         2 of 5 entries in 2 files, S s\n"
    );
    assert_eq!(code, Some(0));
    // Piped, no summary unless --stats (see rg_stats_prints_a_summary_line).
    let out = run(&dir, &["search", "level:ERROR", "logs/b.log"]);
    expect(&out, &format!("{B1}\n"), "", 0);
}

// Item 8: tail shows the permalink as search does.

#[test]
fn tail_shows_permalinks_in_the_terminal_view() {
    let dir = fixture();
    let (out, code) = pty(&dir, &["tail", "-n", "2", "--color", "never", "logs/b.log"]);
    assert_eq!(
        out,
        "2024-01-15 00:00:04.000 ERROR worker job.rs:1 timeout after 30s #logs/b.log:1\n\
         2024-01-15 00:00:05.000 INFO  worker job.rs:2 job done #logs/b.log:2\n"
    );
    assert_eq!(code, Some(0));
}

#[test]
fn tail_f_shows_permalinks_of_new_entries() {
    use std::io::Write;
    let dir = fixture();
    let mut run = Follow::start(pty_command(
        &dir,
        &[
            "tail",
            "-f",
            "-n",
            "1",
            "--no-status",
            "--color",
            "never",
            "logs/b.log",
        ],
    ));
    run.wait_for("job done #logs/b.log:2\r\n");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("logs/b.log"))
        .expect("open");
    f.write_all(b"2024-01-15 00:00:06.000 [WARN] worker job.rs:3 retrying\n")
        .expect("append");
    run.wait_for("retrying #logs/b.log:3\r\n");
    assert_eq!(
        run.stop(),
        "2024-01-15 00:00:05.000 INFO  worker job.rs:2 job done #logs/b.log:2\n\
         2024-01-15 00:00:06.000 WARN  worker job.rs:3 retrying #logs/b.log:3\n"
    );
}

// Item 9: history keeps paths and flags, shows when and how many, runs again.

/// History lines with the time of day and the "ago" column masked.
fn mask_history(text: &str) -> String {
    let re = regex::Regex::new(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(now|\d+[smhd] ago)").expect("re");
    re.replace_all(text, "TIME AGO").into_owned()
}

#[test]
fn history_shows_commands_and_runs_one_again() {
    let dir = fixture();
    let with_history = |args: &[&str]| {
        dir.command()
            .env("COVET_LOGS_NO_HISTORY", "")
            .args(args)
            .run()
    };
    with_history(&["search", "-c", "-l", "ERROR", "", "logs"]).expect_code(0);
    with_history(&["search", "-w", "job done", "logs/b.log"]).expect_code(0);
    let out = with_history(&["history"]);
    expect(
        &Output {
            stdout: mask_history(&out.stdout_str()).into_bytes(),
            ..out
        },
        "  1  TIME AGO         1 matched  covet-logs search -w 'job done' logs/b.log\n  \
           2  TIME AGO         2 matched  covet-logs search -c -l ERROR '' logs\n",
        "",
        0,
    );
    // Run the first one again, from another directory: it runs where it ran.
    let elsewhere = Dir::new();
    let out = elsewhere
        .command()
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_NO_HISTORY", "")
        .args(["history", "run", "2"])
        .run();
    expect(
        &out,
        "2\n",
        "covet-logs: running: covet-logs search -c -l ERROR '' logs\n",
        0,
    );
    let out = with_history(&["history", "-n", "1"]);
    assert_eq!(
        mask_history(&out.stdout_str()),
        "  1  TIME AGO         2 matched  covet-logs search -c -l ERROR '' logs\n"
    );
    let out = with_history(&["history", "run", "7"]);
    expect(
        &out,
        "",
        "covet-logs: history run 7: there are 3 recorded searches (1 is the newest)\n",
        2,
    );
}

// Item 10: context on an entry without ids.

#[test]
fn context_without_ids_shows_the_nearest_entries_and_how_to_widen() {
    let dir = Dir::new();
    let mut log = String::new();
    for i in 0..100 {
        log.push_str(&format!(
            "ts=2024-01-15T00:{:02}:{:02}Z level=info msg=\"tick {i}\"\n",
            i / 60,
            i % 60
        ));
    }
    dir.create("t.log", &log);
    let line = |i: i64| {
        format!(
            "2024-01-15 00:{:02}:{:02}.000 INFO  tick {i}",
            i / 60,
            i % 60
        )
    };
    let mut want = format!(
        "selected t.log:51: {}\n\ntimeline: the 20 entries before and after it within 30s \
         (it has no trace, request or user id; widen with --window 5m, or --by none for \
         every entry in 5m)\n",
        line(50)
    );
    for i in 30..=70 {
        let marker = if i == 50 { ">" } else { " " };
        let offset = format!("{:+.3}s", (i - 50) as f64);
        want.push_str(&format!("{marker} {offset:>10}  {}\n", line(i)));
    }
    want.push_str(
        "\nsummary:\n  related entries: 41\n  services: \n  levels: INFO 41\n  first error: none\n  \
         span: 40.000s\n  longest quiet gap: 1.000s after 2024-01-15T00:01:09.000Z\n",
    );
    let out = run(&dir, &["context", "t.log:51"]);
    expect(&out, &want, "", 0);
    // Widened: every entry within the window asked for.
    let out = run(&dir, &["context", "t.log:51", "--window", "1m"]);
    let text = out.stdout_str();
    assert!(
        text.contains("\ntimeline: every entry in the window\n"),
        "{text}"
    );
    assert!(text.contains("  related entries: 100\n"), "{text}");
}

// Item 12: time display.

#[test]
fn time_format_utc_and_local_shape_the_terminal_view() {
    let dir = fixture();
    let (out, code) = pty(
        &dir,
        &[
            "search",
            "--color",
            "never",
            "--time-format",
            "%H:%M:%S",
            "timeout",
            "logs/b.log",
        ],
    );
    assert_eq!(
        mask_seconds(&out),
        "00:00:04 ERROR worker job.rs:1 timeout after 30s #logs/b.log:1\n\
         1 of 2 entries in 1 file, S s\n"
    );
    assert_eq!(code, Some(0));
    let run_tz = |args: &[&str]| {
        let mut cmd = pty_command(&dir, args);
        cmd.env("TZ", "Asia/Kolkata");
        mask_seconds(&pty_output(cmd).0)
    };
    let local = run_tz(&[
        "search",
        "--color",
        "never",
        "--local",
        "--time-format",
        "%F %T %z",
        "timeout",
        "logs/b.log",
    ]);
    assert_eq!(
        local,
        "2024-01-15 05:30:04 +0530 ERROR worker job.rs:1 timeout after 30s #logs/b.log:1\n\
         1 of 2 entries in 1 file, S s\n"
    );
    // --utc after --local wins.
    let utc = run_tz(&[
        "search",
        "--color",
        "never",
        "--local",
        "--utc",
        "timeout",
        "logs/b.log",
    ]);
    assert_eq!(
        utc,
        "2024-01-15 00:00:04.000 ERROR worker job.rs:1 timeout after 30s #logs/b.log:1\n\
         1 of 2 entries in 1 file, S s\n"
    );
    let out = run(
        &dir,
        &["search", "--time-format", "%Q", "timeout", "logs/b.log"],
    );
    expect(
        &out,
        "",
        "covet-logs: --time-format: '%Q' is not a strftime layout such as '%H:%M:%S%.3f'\n",
        2,
    );
}

#[test]
fn tail_f_status_says_how_long_since_the_last_match() {
    use std::io::Write;
    let dir = fixture();
    let mut run = Follow::start(pty_command(
        &dir,
        &["tail", "-f", "-n", "0", "--color", "never", "logs/b.log"],
    ));
    run.wait_for("following 1 input");
    std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("logs/b.log"))
        .expect("open")
        .write_all(b"2024-01-15 00:00:06.000 [WARN] worker job.rs:3 retrying\n")
        .expect("append");
    run.wait_for("retrying #logs/b.log:3");
    // The status line, redrawn after the entry, counts it and ages it.
    run.wait_for("1 matched \u{b7} last ");
    run.wait_for("s ago");
    run.stop();
}

#[test]
fn rg_context_lines_take_a_dash_after_their_prefix() {
    let dir = fixture();
    dir.create("n.log", "a\nb\nc\nd\ne\n");
    let out = run(&dir, &["search", "-n", "-C1", "b", "n.log"]);
    expect(&out, "1-a\n2:b\n3-c\n", "", 0);
    let out = run(&dir, &["search", "-H", "-n", "-A1", "/[bd]/", "n.log"]);
    expect(&out, "n.log:2:b\nn.log-3-c\nn.log:4:d\nn.log-5-e\n", "", 0);
}

#[test]
fn context_takes_time_format_and_utc() {
    let dir = fixture();
    let out = run(
        &dir,
        &[
            "context",
            "logs/b.log:1",
            "--local",
            "--utc",
            "--time-format",
            "%H:%M:%S",
        ],
    );
    expect(
        &out,
        "selected logs/b.log:1: 00:00:04 ERROR worker job.rs:1 timeout after 30s\n\
         \n\
         timeline: the 20 entries before and after it within 30s (it has no trace, request or user id; widen with --window 5m, or --by none for every entry in 5m)\n\
         >    +0.000s  00:00:04 ERROR worker job.rs:1 timeout after 30s\n     \
         +1.000s  00:00:05 INFO  worker job.rs:2 job done\n\
         \n\
         summary:\n  \
         related entries: 2\n  \
         services: worker\n  \
         levels: INFO 1, ERROR 1\n  \
         first error: +0.000s ERROR timeout after 30s (logs/b.log:1)\n  \
         span: 1.000s\n  \
         longest quiet gap: 1.000s after 2024-01-15T00:00:04.000Z\n",
        "",
        0,
    );
    let out = run(&dir, &["context", "logs/b.log:1", "--time-format", "%Q"]);
    expect(
        &out,
        "",
        "covet-logs: --time-format: '%Q' is not a strftime layout such as '%H:%M:%S%.3f'\n",
        2,
    );
}

#[test]
fn stats_takes_time_format() {
    let dir = fixture();
    let out = run(&dir, &["stats", "--time-format", "%H:%M:%S", "logs/b.log"]);
    assert_eq!(out.code, Some(0), "{}", out.context());
    let first = util::first_line(&out);
    assert_eq!(first, "covet-logs stats  00:00:04 → 00:00:05  (1.0s)");
    let out = run(&dir, &["stats", "--time-format", "%Q", "logs/b.log"]);
    expect(
        &out,
        "",
        "covet-logs: --time-format: '%Q' is not a strftime layout such as '%H:%M:%S%.3f'\n",
        2,
    );
}
