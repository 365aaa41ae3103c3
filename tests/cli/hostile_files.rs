//! Hostile-file cases of issue 10: what `export -o` does to whatever the name points at
//! (symlink, FIFO, character device, a file with its own mode and owner), signals in
//! the middle of an export, parallel runs updating the saved state, a CSV export with
//! a new metadata key on every line, and a Markdown report of a log line made of
//! backticks.

use crate::util;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use util::Dir;

/// Three JSON lines; `export` of them is compared with what reaches the target.
const LOG: &str = concat!(
    r#"{"timestamp":"2024-01-15T14:23:45.000Z","level":"INFO","message":"one"}"#,
    "\n",
    r#"{"timestamp":"2024-01-15T14:23:46.000Z","level":"ERROR","message":"two"}"#,
    "\n",
    r#"{"timestamp":"2024-01-15T14:23:47.000Z","level":"WARN","message":"three"}"#,
    "\n",
);

/// What `export a.log` writes to stdout: the bytes every `-o` target must receive.
fn exported_to_stdout(dir: &Dir) -> Vec<u8> {
    let out = exported_to_stdout_of(dir, "a.log");
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 3);
    out
}

/// The names in `dir` (not recursive), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

// ---------------------------------------------------------------------------------
// 1. `export -o` writes through symlinks, FIFOs and devices, keeps mode and owner
// ---------------------------------------------------------------------------------

#[test]
fn export_to_symlink_writes_the_target_and_keeps_the_link() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    let want = exported_to_stdout(&dir);
    dir.create("out/real.ndjson", "old\n");
    std::os::unix::fs::symlink("out/real.ndjson", dir.join("link.ndjson")).unwrap();
    // A dangling link creates its target, as a shell redirection does.
    std::os::unix::fs::symlink("out/new.ndjson", dir.join("dangling.ndjson")).unwrap();
    for link in ["link.ndjson", "dangling.ndjson"] {
        dir.command()
            .args(["export", "-o", link, "a.log"])
            .run()
            .expect_code(0)
            .expect_stderr_empty();
        let meta = std::fs::symlink_metadata(dir.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a symlink");
    }
    assert_eq!(std::fs::read(dir.join("out/real.ndjson")).unwrap(), want);
    assert_eq!(std::fs::read(dir.join("out/new.ndjson")).unwrap(), want);
    assert_eq!(
        names(&dir.join("out")),
        ["new.ndjson", "real.ndjson"],
        "no temporary file left beside the targets"
    );
}

#[test]
fn export_to_fifo_feeds_the_reader_and_keeps_the_fifo() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    let want = exported_to_stdout(&dir);
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut got = Vec::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_end(&mut got)
                .unwrap();
            got
        })
    };
    dir.command()
        .args(["export", "-o", "pipe", "a.log"])
        .run()
        .expect_code(0)
        .expect_stderr_empty();
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "still a FIFO");
    // A reader still waiting for a writer (nothing was written) gets an empty stream
    // instead of waiting forever; when it is done, this open fails (no reader).
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo);
    assert_eq!(reader.join().unwrap(), want, "the reader got the export");
    assert_eq!(names(dir.path()), ["a.log", "pipe"]);
}

#[test]
fn export_to_dev_null_leaves_it_a_character_device() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    let before = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(before.file_type().is_char_device());
    dir.command()
        .args(["export", "--format", "csv", "-o", "/dev/null", "a.log"])
        .run()
        .expect_code(0)
        .expect_stderr_empty();
    let after = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(
        after.file_type().is_char_device(),
        "/dev/null was replaced by a {:?}",
        after.file_type()
    );
    assert_eq!(
        (after.ino(), after.rdev(), after.mode()),
        (before.ino(), before.rdev(), before.mode())
    );
}

#[test]
fn export_over_a_file_keeps_its_mode_and_owner() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    let want = exported_to_stdout(&dir);
    let target = dir.create("out.ndjson", "old\n");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    // As root the file can belong to someone else; the export must not take it over.
    let owner = if is_root() {
        std::os::unix::fs::chown(&target, Some(4321), Some(4322)).unwrap();
        (4321, 4322)
    } else {
        let m = std::fs::metadata(&target).unwrap();
        (m.uid(), m.gid())
    };
    dir.command()
        .args(["export", "-o", "out.ndjson", "a.log"])
        .run()
        .expect_code(0)
        .expect_stderr_empty();
    let meta = std::fs::metadata(&target).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o640, "mode kept");
    assert_eq!((meta.uid(), meta.gid()), owner, "owner kept");
    assert_eq!(std::fs::read(&target).unwrap(), want);
    // A new file gets 0644.
    dir.command()
        .args(["export", "-o", "new.ndjson", "a.log"])
        .run()
        .expect_code(0);
    let meta = std::fs::metadata(dir.join("new.ndjson")).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o644);
    assert_eq!(names(dir.path()), ["a.log", "new.ndjson", "out.ndjson"]);
}

#[test]
fn export_refuses_a_directory_and_a_symlink_loop() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    dir.create_dir("d");
    std::os::unix::fs::symlink("loop", dir.join("loop")).unwrap();
    for (target, why) in [
        ("d", "is a directory"),
        ("loop", "too many levels of symbolic links"),
    ] {
        let out = dir.command().args(["export", "-o", target, "a.log"]).run();
        out.expect_code(2);
        assert_eq!(out.stderr, format!("covet-logs: {target}: {why}\n"));
    }
    assert_eq!(names(dir.path()), ["a.log", "d", "loop"]);
}

#[test]
fn export_refuses_an_output_that_is_one_of_its_inputs() {
    let dir = Dir::new();
    dir.create("logs/a.log", LOG);
    dir.create("logs/b.log", LOG);
    std::os::unix::fs::symlink("logs/a.log", dir.join("link.log")).unwrap();
    // Named as given, through a link, under another spelling.
    for (output, inputs) in [
        ("logs/a.log", vec!["logs/a.log"]),
        ("link.log", vec!["logs/a.log"]),
        ("./logs/../logs/a.log", vec!["logs/b.log", "logs/a.log"]),
    ] {
        let out = dir
            .command()
            .args(["export", "--format", "csv", "-o", output])
            .args(&inputs)
            .run();
        out.expect_code(2);
        assert_eq!(
            out.stderr,
            format!(
                "covet-logs: -o {output}: is also an input: the export would replace it (write to another file)\n"
            )
        );
        assert!(out.stdout.is_empty());
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("logs/a.log")).unwrap(),
        LOG
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("logs/b.log")).unwrap(),
        LOG
    );
    assert_eq!(
        names(&dir.join("logs")),
        ["a.log", "b.log"],
        "no temporary file"
    );
    // Another file in the same directory is written as usual.
    dir.command()
        .args(["export", "-o", "logs/out.ndjson", "logs/a.log"])
        .run()
        .expect_code(0)
        .expect_stderr_empty();
    assert_eq!(
        std::fs::read(dir.join("logs/out.ndjson")).unwrap(),
        exported_to_stdout_of(&dir, "logs/a.log")
    );
    // Exported into the directory it exports, again: the earlier export, found by the
    // walk, is left out of the inputs (as ripgrep skips its own output) and replaced.
    std::fs::remove_file(dir.join("logs/out.ndjson")).unwrap();
    let want = exported_to_stdout_of(&dir, "logs");
    for _ in 0..2 {
        dir.command()
            .args(["export", "-o", "logs/all.ndjson", "logs"])
            .run()
            .expect_code(0)
            .expect_stderr_empty();
        assert_eq!(std::fs::read(dir.join("logs/all.ndjson")).unwrap(), want);
    }
    let out = dir
        .command()
        .args(["export", "--debug", "-o", "logs/all.ndjson", "logs"])
        .run();
    out.expect_code(0);
    assert!(
        out.stderr
            .contains("covet-logs: debug: logs/all.ndjson: skipped: the output of this command\n"),
        "{}",
        out.stderr
    );
}

/// What `export FILE` writes to stdout.
fn exported_to_stdout_of(dir: &Dir, file: &str) -> Vec<u8> {
    let out = dir.command().args(["export", file]).run();
    out.expect_code(0).expect_stderr_empty();
    out.stdout
}

/// Runs `args` with standard output appended to `file` (`>> FILE`), for at most
/// `limit`; `during` runs once the process has started. Returns the exit code (None
/// when it was still running at the limit and was killed) and its stderr.
fn appending_to(
    dir: &Dir,
    file: &str,
    args: &[&str],
    limit: Duration,
    during: impl FnOnce(),
) -> (Option<i32>, String) {
    let out = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join(file))
        .unwrap();
    let mut child = child_command(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    during();
    let code = wait_or_kill(&mut child, limit).and_then(|s| s.code());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (code, err)
}

#[test]
fn an_input_that_is_standard_output_is_left_out_and_never_followed() {
    let dir = Dir::new();
    dir.create("logs/a.log", LOG);
    dir.create("logs/out.log", LOG);
    let raw = |args: &[&str]| dir.command().args(args).run().stdout;
    // `search QUERY a.log out.log >> out.log`: out.log is left out with grep's error,
    // a.log is searched; exit 2 as for any input that could not be read.
    let want = [
        LOG.as_bytes(),
        &raw(&["search", "--raw", "level:*", "logs/a.log"]),
    ]
    .concat();
    let (code, err) = appending_to(
        &dir,
        "logs/out.log",
        &["search", "--raw", "level:*", "logs/a.log", "logs/out.log"],
        Duration::from_secs(20),
        || {},
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "covet-logs: logs/out.log: input file is also the output\n"
    );
    assert_eq!(std::fs::read(dir.join("logs/out.log")).unwrap(), want);

    // `tail -f QUERY logs/ >> logs/out.log`: the directory's other files are shown
    // and followed; out.log, found by the walk, is skipped as ripgrep skips it, and
    // what is printed into it is never read back (without the rule, each printed
    // line matched again: the file grew without end).
    std::fs::write(dir.join("logs/out.log"), "").unwrap();
    let added = r#"{"timestamp":"2024-01-15T14:23:48.000Z","level":"ERROR","message":"four"}"#;
    let (code, err) = appending_to(
        &dir,
        "logs/out.log",
        &["tail", "-f", "--raw", "--no-status", "level:ERROR", "logs"],
        Duration::from_secs(4),
        || {
            std::thread::sleep(Duration::from_millis(1500));
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(dir.join("logs/a.log"))
                .unwrap();
            writeln!(f, "{added}").unwrap();
        },
    );
    assert_eq!(code, None, "still following at the limit");
    assert_eq!(
        err, "",
        "a walked file that is the output is skipped quietly"
    );
    let two = LOG.lines().nth(1).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("logs/out.log")).unwrap(),
        format!("{two}\n{added}\n")
    );
}

// ---------------------------------------------------------------------------------
// 2. A signal during `export -o` removes the temporary file
// ---------------------------------------------------------------------------------

/// `covet-logs` as a plain child process, with the environment `Dir::command` sets.
fn child_command(dir: &Dir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_covet-logs"));
    cmd.current_dir(dir.path())
        .env_remove("COVET_LOGS_PATH")
        .env_remove("COVET_LOGS_FORMAT")
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_NO_HISTORY", "1");
    cmd
}

/// Waits for `child` up to `limit`; kills it and fails when it does not end.
fn wait_for(child: &mut Child, limit: Duration) -> ExitStatus {
    wait_or_kill(child, limit).unwrap_or_else(|| panic!("covet-logs did not exit within {limit:?}"))
}

/// Waits for `child` up to `limit`: its exit status, or `None` when it was still
/// running and has been killed.
fn wait_or_kill(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn temp_files(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".covet-logs-export-") && n.ends_with(".tmp"))
        .collect()
}

#[test]
fn signals_during_export_remove_the_temporary_file() {
    for (sig, old) in [
        (libc::SIGTERM, None),
        (libc::SIGHUP, Some("old contents\n")),
        (libc::SIGINT, Some("old contents\n")),
    ] {
        let dir = Dir::new();
        if let Some(old) = old {
            dir.create("out.ndjson", old);
        }
        // stdin stays open: the export is blocked reading when the signal comes.
        let mut child = child_command(&dir)
            .args(["export", "-o", "out.ndjson", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // Less than a pipe buffer: written at once whatever the child does.
        for _ in 0..100 {
            stdin.write_all(LOG.as_bytes()).unwrap();
        }
        let start = Instant::now();
        while temp_files(dir.path()).is_empty() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // SAFETY: a signal to our own child.
        assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
        let status = wait_for(&mut child, Duration::from_secs(20));
        drop(stdin);
        let stderr = util::child_stderr(&mut child);
        assert_eq!(
            status.code(),
            Some(128 + sig),
            "signal {sig}; stderr: {stderr}"
        );
        assert_eq!(
            stderr, "covet-logs: export: interrupted; the output file was not written\n",
            "signal {sig}"
        );
        assert_eq!(temp_files(dir.path()), Vec::<String>::new(), "signal {sig}");
        match old {
            Some(old) => assert_eq!(
                std::fs::read_to_string(dir.join("out.ndjson")).unwrap(),
                old,
                "signal {sig}: target untouched"
            ),
            None => assert!(!dir.join("out.ndjson").exists(), "signal {sig}"),
        }
    }
}

#[test]
fn failed_input_removes_the_temporary_file() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    dir.create("out.ndjson", "old\n");
    let out = dir
        .command()
        .args(["export", "-o", "out.ndjson", "a.log", "missing.log"])
        .run();
    out.expect_code(2);
    assert!(
        out.stderr
            .ends_with("covet-logs: out.ndjson: not written, because an input failed\n"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out.ndjson")).unwrap(),
        "old\n"
    );
    assert_eq!(names(dir.path()), ["a.log", "out.ndjson"]);
}

// ---------------------------------------------------------------------------------
// 3. Parallel runs lose no saved state
// ---------------------------------------------------------------------------------

#[test]
fn fifty_parallel_searches_are_all_in_the_history() {
    let dir = Dir::new();
    dir.create("a.log", LOG);
    let queries: BTreeSet<String> = (0..50).map(|i| format!("word{i}")).collect();
    std::thread::scope(|s| {
        for q in &queries {
            let dir = &dir;
            s.spawn(move || {
                dir.command()
                    .env("COVET_LOGS_NO_HISTORY", "0")
                    .args(["search", "-c", q, "a.log"])
                    .run()
                    .expect_code(1)
                    .expect_stderr_empty();
            });
        }
    });
    let text = std::fs::read_to_string(dir.join(".covet-state/history.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let recorded: Vec<&str> = v["searches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["query"].as_str().unwrap())
        .collect();
    assert_eq!(recorded.len(), 50, "{text}");
    let recorded: BTreeSet<String> = recorded.into_iter().map(str::to_string).collect();
    assert_eq!(recorded, queries);
    assert_eq!(names(&dir.join(".covet-state")), ["history.json"]);
}

#[test]
fn twenty_parallel_filter_saves_are_all_kept() {
    let dir = Dir::new();
    let names_saved: BTreeSet<String> = (0..20).map(|i| format!("f{i:02}")).collect();
    std::thread::scope(|s| {
        for (i, name) in names_saved.iter().enumerate() {
            let dir = &dir;
            s.spawn(move || {
                dir.command()
                    .args(["filters", "save", name, &format!("service:svc{i}")])
                    .run()
                    .expect_code(0)
                    .expect_stderr_empty();
            });
        }
    });
    let text = std::fs::read_to_string(dir.join(".covet-config/filters.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let saved = v["filters"].as_object().unwrap();
    let got: BTreeSet<String> = saved.keys().cloned().collect();
    assert_eq!(got, names_saved, "{text}");
    for (i, name) in names_saved.iter().enumerate() {
        assert_eq!(saved[name]["query"], format!("service:svc{i}"));
    }
    assert_eq!(names(&dir.join(".covet-config")), ["filters.json"]);
}

#[test]
fn saved_state_behind_a_symlink_stays_a_symlink() {
    let dir = Dir::new();
    dir.create("dotfiles/filters.json", "{\"filters\": {}}\n");
    dir.create_dir(".covet-config");
    std::os::unix::fs::symlink(
        dir.join("dotfiles/filters.json"),
        dir.join(".covet-config/filters.json"),
    )
    .unwrap();
    dir.command()
        .args(["filters", "save", "db", "service:covet-db"])
        .run()
        .expect_code(0);
    let link = dir.join(".covet-config/filters.json");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("dotfiles/filters.json")).unwrap())
            .unwrap();
    assert_eq!(v["filters"]["db"]["query"], "service:covet-db");
}

// ---------------------------------------------------------------------------------
// 11. CSV export with a new metadata key on every line
// ---------------------------------------------------------------------------------

/// Runs `cmd` to the end and returns its status, its stderr without the peak line,
/// and its peak resident set in bytes, as the child measured it (`util::split_peak_rss`).
fn run_measured(cmd: &mut Command) -> (ExitStatus, String, u64) {
    let out = cmd.env(util::PEAK_RSS_ENV, "1").output().unwrap();
    let (stderr, kib) = util::split_peak_rss(&String::from_utf8_lossy(&out.stderr));
    (out.status, stderr, kib * 1024)
}

#[test]
fn csv_with_a_new_key_per_line_caps_columns_in_bounded_memory() {
    const LINES: usize = 50_000;
    let dir = Dir::new();
    let mut log = String::new();
    for i in 0..LINES {
        log.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T14:23:45.000Z\",\"level\":\"INFO\",\"message\":\"m{i}\",\"shared\":{i},\"key_{i:05}\":{i}}}\n"
        ));
    }
    dir.create("wide.jsonl", &log);
    let (stderr, rss) = export_wide_csv(&dir);
    assert!(rss < 300 << 20, "peak RSS {} MiB", rss >> 20);
    // 50,000 once-only keys and `shared`: 49,001 left out, said once.
    assert_eq!(
        stderr,
        "covet-logs: warning: 49001 metadata columns left out (the CSV has the 1000 most \
         frequent); name them with --fields to export them\n"
    );

    let mut r = csv::Reader::from_path(dir.join("out.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header.len(), 13 + 1000);
    // The key every line has, then the first 999 of the once-only keys by name.
    let meta: Vec<&str> = header[13..].iter().map(String::as_str).collect();
    let mut want: Vec<String> = (0..999).map(|i| format!("metadata.key_{i:05}")).collect();
    want.push("metadata.shared".to_string());
    assert_eq!(meta, want);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), LINES);
    // Row i has its own key only when it is a kept column, and `shared` always.
    for i in [0usize, 998, 999, 49_999] {
        let row = &rows[i];
        assert_eq!(&row[5], format!("m{i}"));
        assert_eq!(&row[13 + 999], i.to_string());
        let own: Vec<usize> = (13..13 + 999).filter(|&c| !row[c].is_empty()).collect();
        let want: Vec<usize> = if i < 999 { vec![13 + i] } else { vec![] };
        assert_eq!(own, want, "row {i}");
    }

    // `--fields` reaches a column that was left out.
    let out = dir
        .command()
        .args(["export", "--format", "csv", "--fields", "message,key_49999"])
        .arg("wide.jsonl")
        .run();
    out.expect_code(0).expect_stderr_empty();
    let text = out.stdout_str();
    assert_eq!(text.lines().next(), Some("message,key_49999"));
    assert_eq!(text.lines().last(), Some("m49999,49999"));
}

// ---------------------------------------------------------------------------------
// 20. Markdown fences that a log line cannot close
// ---------------------------------------------------------------------------------

/// The first fenced code block in `md` as CommonMark reads it: opened by a line of
/// N >= 3 backticks, closed by the next line of N or more backticks only.
fn first_code_block(md: &str) -> Option<String> {
    let fence_len = |l: &str| {
        let t = l.trim_start_matches(' ');
        let n = t.len() - t.trim_start_matches('`').len();
        (l.len() - t.len() <= 3 && n >= 3).then_some((n, t[n..].trim().is_empty()))
    };
    let mut lines = md.lines();
    let open = lines.by_ref().find_map(fence_len)?.0;
    let mut body = Vec::new();
    for l in lines {
        if matches!(fence_len(l), Some((n, true)) if n >= open) {
            return Some(body.join("\n"));
        }
        body.push(l);
    }
    None
}

#[test]
fn markdown_selected_entry_survives_backtick_fences() {
    let dir = Dir::new();
    let entry =
        "2024-01-15T14:23:46.000Z ERROR block follows\n```\n# not a heading\n````\nend ``` `";
    dir.create(
        "a.log",
        format!(
            "2024-01-15T14:23:45.000Z INFO first\n{entry}\n2024-01-15T14:23:47.000Z INFO after\n"
        ),
    );
    let out = dir
        .command()
        .args(["context", "a.log:2", "a.log", "--format", "md"])
        .run();
    out.expect_code(0);
    let md = out.stdout_str();
    assert_eq!(first_code_block(&md).as_deref(), Some(entry), "{md}");
}

// Case 11/13: 1,000 columns make every CSV row over 1 KB of cells; the rows of a batch of
// chunks must not all be held (a chunk is scanned smaller when the rows are wide).
#[test]
fn wide_csv_rows_are_rendered_in_bounded_memory() {
    const LINES: usize = 150_000;
    let dir = Dir::new();
    let mut log = String::with_capacity(LINES * 90);
    for i in 0..LINES {
        log.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T14:23:45.000Z\",\"level\":\"INFO\",\"message\":\"m{i}\",\"key_{:03}\":{i}}}\n",
            i % 1000
        ));
    }
    dir.create("wide.jsonl", &log);
    drop(log);
    let (stderr, rss) = export_wide_csv(&dir);
    assert_eq!(stderr, "");
    // 13 standard columns and the 1,000 keys: every row has 1,013 cells.
    let csv = std::fs::read_to_string(dir.join("out.csv")).unwrap();
    let mut rows = csv.lines();
    assert_eq!(rows.next().unwrap().split(',').count(), 1013);
    let rows: Vec<&str> = rows.collect();
    assert_eq!(rows.len(), LINES);
    // Entry 8 has `key_007`, the eighth metadata column (names sorted).
    let expected = format!(
        "wide.jsonl:8,2024-01-15T14:23:45.000Z,INFO,,,m7,,,,,,wide.jsonl,8,{}7{}",
        ",".repeat(7),
        ",".repeat(992)
    );
    assert_eq!(rows[7], expected);
    // The rendered CSV is about 150 MB; the scan must hold a small part of it.
    assert!(rss < 110 << 20, "peak RSS {} MiB", rss >> 20);
}

/// `export --format csv -o out.csv wide.jsonl`, which must succeed: its stderr and
/// peak RSS.
fn export_wide_csv(dir: &Dir) -> (String, u64) {
    let (status, stderr, rss) = run_measured(child_command(dir).args([
        "export",
        "--format",
        "csv",
        "-o",
        "out.csv",
        "wide.jsonl",
    ]));
    assert_eq!(status.code(), Some(0), "{stderr}");
    (stderr, rss)
}
