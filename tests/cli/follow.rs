//! `covet-logs tail` and follow mode, run as the real binary.
//!
//! A follower runs as a child process; its stdout is collected by a thread, and the
//! tests wait on that output (with a bounded timeout), never on sleeps of fixed length
//! for correctness. Expected output is computed by the tests from what they wrote.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_covet-logs");
const WAIT: Duration = Duration::from_secs(30);

/// Output collected from a child's pipe as it arrives.
#[derive(Clone, Default)]
pub(crate) struct Collected(Arc<(Mutex<Vec<u8>>, Condvar)>);

impl Collected {
    fn spawn_reader(mut r: impl Read + Send + 'static) -> Collected {
        let c = Collected::default();
        let c2 = c.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1 << 16];
            loop {
                match r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let (m, cv) = &*c2.0;
                        m.lock().unwrap().extend_from_slice(&buf[..n]);
                        cv.notify_all();
                    }
                }
            }
        });
        c
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0 .0.lock().unwrap()).into_owned()
    }

    /// Waits until `pred` holds for the output, or panics after `WAIT`.
    pub(crate) fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let (m, cv) = &*self.0;
        let mut g = m.lock().unwrap();
        loop {
            let text = String::from_utf8_lossy(&g);
            if pred(&text) {
                return text.into_owned();
            }
            let now = Instant::now();
            assert!(
                now < deadline,
                "timed out waiting for {what}; output so far (last 2000 bytes):\n{}",
                &text[text.len().saturating_sub(2000)..]
            );
            g = cv.wait_timeout(g, deadline - now).unwrap().0;
        }
    }
}

/// A running follower; killed if the test ends early.
pub(crate) struct Follower {
    child: Child,
    pub(crate) out: Collected,
    err: Collected,
    stdin: Option<ChildStdin>,
}

impl Follower {
    pub(crate) fn start(dir: &Path, args: &[&str]) -> Follower {
        Follower::start_with(dir, args, false)
    }

    fn start_with(dir: &Path, args: &[&str], piped_stdin: bool) -> Follower {
        Follower::start_env(dir, args, piped_stdin, &[])
    }

    pub(crate) fn start_env(
        dir: &Path,
        args: &[&str],
        piped_stdin: bool,
        env: &[(&str, &str)],
    ) -> Follower {
        let mut child = Command::new(BIN)
            .args(args)
            .envs(env.iter().copied())
            .current_dir(dir)
            .env_remove("COVET_LOGS_PATH")
            .env("NO_COLOR", "1")
            .stdin(if piped_stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn covet-logs");
        let out = Collected::spawn_reader(child.stdout.take().expect("stdout"));
        let err = Collected::spawn_reader(child.stderr.take().expect("stderr"));
        let stdin = child.stdin.take();
        Follower {
            child,
            out,
            err,
            stdin,
        }
    }

    /// Until the follower is watching: calls `write(k)` for k = 0, 1, 2, ... (one probe
    /// each `pace`) until the printed output satisfies `seen`; returns the last k written
    /// and the output. Panics after 1,000 probes with the follower's stderr.
    fn probe(
        &self,
        pace: Duration,
        mut write: impl FnMut(u64),
        seen: impl Fn(&str) -> bool,
    ) -> (u64, String) {
        for k in 0..1000 {
            write(k);
            std::thread::sleep(pace);
            let text = self.out.text();
            if seen(&text) {
                return (k, text);
            }
        }
        panic!(
            "follower never printed a probe; stderr: {}",
            self.err.text()
        );
    }

    /// Sends SIGINT (Ctrl-C) and returns the exit code.
    fn interrupt(&mut self) -> i32 {
        // SAFETY: signalling our own child by its pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                return st.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "follower did not exit; stderr: {}",
                self.err.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("covet-logs-follow-")
        .tempdir()
        .expect("tempdir")
}

pub(crate) fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open for append");
    f.write_all(text.as_bytes()).expect("append");
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("COVET_LOGS_PATH")
        .stdin(Stdio::null())
        .output()
        .expect("run covet-logs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON line the proof writer writes for sequence number `n`.
pub(crate) fn entry(n: u64) -> String {
    let level = ["INFO", "DEBUG", "WARN", "ERROR"][(n % 4) as usize];
    format!(
        "{{\"timestamp\":\"2024-01-15T10:00:00.000Z\",\"level\":\"{level}\",\"service\":\"svc\",\"message\":\"entry seq={n:07} padding-{}\"}}\n",
        "x".repeat((n % 17) as usize)
    )
}

fn seq_of(line: &str) -> Option<u64> {
    let i = line.find("seq=")?;
    line.get(i + 4..i + 11)?.parse().ok()
}

/// Whether the output holds the entry with sequence number `n` (whole line).
fn has_seq(text: &str, n: u64) -> bool {
    text.contains(entry(n).as_str())
}

/// Waits until process `pid` has read `path` up to at least `size` bytes: the offset of
/// its open descriptor for the file (`/proc/PID/fdinfo`), an observable event, so no
/// pause decides what the follower saw. Linux only, as the follower tests are.
fn wait_read(pid: u32, path: &Path, size: u64) {
    let want = std::fs::canonicalize(path).expect("canonical path");
    let deadline = Instant::now() + WAIT;
    loop {
        let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten();
        for fd in fds.flatten() {
            if std::fs::read_link(fd.path()).ok().as_deref() != Some(want.as_path()) {
                continue;
            }
            let name = fd.file_name();
            let info =
                std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", name.to_string_lossy()))
                    .unwrap_or_default();
            let pos = info
                .lines()
                .find_map(|l| l.strip_prefix("pos:"))
                .and_then(|v| v.trim().parse::<u64>().ok());
            if pos.is_some_and(|p| p >= size) {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the follower to read {} to {size}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

// ---------------------------------------------------------------------------------
// The proof: 100,000+ entries through rotation, copytruncate and half-written lines
// ---------------------------------------------------------------------------------

#[test]
fn follow_loses_and_repeats_nothing_through_rotation_truncation_and_partial_writes() {
    const PRE: u64 = 1_000;
    const TOTAL: u64 = 101_000; // entries written after the follower started
    const ROTATE_EVERY: u64 = 20_000;
    const COPYTRUNCATE_AT: u64 = 50_500;
    const HALVES_AT: [u64; 3] = [30_001, 30_002, 70_003];

    let dir = tempdir();
    let log = dir.path().join("app.log");
    let pre: String = (0..PRE).map(entry).collect();
    std::fs::write(&log, pre).expect("write");

    let mut f = Follower::start(
        dir.path(),
        &["tail", "-f", "-n", "1", "--no-status", "app.log"],
    );
    // The follower has read to the end once it shows the last existing entry.
    f.out
        .wait_for("the last existing entry", |t| has_seq(t, PRE - 1));

    let out = f.out.clone();
    let log2 = log.clone();
    let pid = f.child.id();
    let writer = std::thread::spawn(move || {
        let open = |p: &Path| -> File {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .expect("open log")
        };
        let mut file = open(&log2);
        let mut first_of_file = 0u64; // the follower has surely opened the first file
        let mut buf = String::new();
        let last = PRE + TOTAL;
        let mut rotations = 0;
        for n in PRE..last {
            if n > PRE && (n - PRE).is_multiple_of(ROTATE_EVERY) {
                file.write_all(buf.as_bytes()).expect("write");
                buf.clear();
                // Rotate only once the follower has the current file open (it printed
                // an entry of it), so it must drain the rest after the rename.
                if first_of_file > 0 {
                    out.wait_for("an entry of the current file", |t| {
                        has_seq(t, first_of_file)
                    });
                }
                rotations += 1;
                let rotated = log2.with_file_name(format!("app.log.{rotations}"));
                std::fs::rename(&log2, rotated).expect("rename");
                file = open(&log2);
                first_of_file = n;
            }
            if n == COPYTRUNCATE_AT {
                file.write_all(buf.as_bytes()).expect("write");
                buf.clear();
                // copytruncate loses whatever was not read before the truncation (as
                // with every tool), so wait until the follower caught up, then copy,
                // truncate, and write one entry that it must find at offset 0.
                out.wait_for("catching up before copytruncate", |t| has_seq(t, n - 1));
                std::fs::copy(&log2, log2.with_file_name("app.log.ct")).expect("copy");
                file.set_len(0).expect("truncate");
                file.write_all(entry(n).as_bytes()).expect("write");
                out.wait_for("the first entry after truncation", |t| has_seq(t, n));
                continue;
            }
            if HALVES_AT.contains(&n) {
                file.write_all(buf.as_bytes()).expect("write");
                buf.clear();
                let e = entry(n);
                let (a, b) = e.split_at(e.len() / 2);
                file.write_all(a.as_bytes()).expect("write");
                // The follower has read the half line before the rest is written.
                let size = file.metadata().expect("stat").len();
                wait_read(pid, &log2, size);
                file.write_all(b.as_bytes()).expect("write");
                continue;
            }
            buf.push_str(&entry(n));
            if buf.len() > 8 << 10 {
                file.write_all(buf.as_bytes()).expect("write");
                buf.clear();
            }
        }
        file.write_all(buf.as_bytes()).expect("write");
        rotations
    });
    let rotations = writer.join().expect("writer");
    assert_eq!(rotations, (TOTAL - 1) / ROTATE_EVERY);
    let last = PRE + TOTAL - 1;
    let text = f.out.wait_for("the last entry", |t| has_seq(t, last));
    let code = f.interrupt();
    assert_eq!(code, 130, "Ctrl-C exits 130; stderr: {}", f.err.text());

    // Every entry from the last pre-existing one on, exactly once, in order, whole.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len() as u64, TOTAL + 1, "entry count");
    for (i, line) in lines.iter().enumerate() {
        let want = PRE - 1 + i as u64;
        let got = format!("{line}\n");
        assert_eq!(
            got,
            entry(want),
            "line {i}: expected seq {want}, got {:?}",
            seq_of(line)
        );
    }
    let err = f.err.text();
    assert!(err.contains("rotated"), "rotation noticed: {err}");
    assert!(err.contains("truncated"), "truncation noticed: {err}");
}

// ---------------------------------------------------------------------------------
// tail -n
// ---------------------------------------------------------------------------------

#[test]
fn tail_n_without_trailing_newline_and_multiline_last_entry() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.log"), "one\ntwo\nthree").expect("write");
    let (code, out, _) = run(dir.path(), &["tail", "-n", "2", "a.log"]);
    assert_eq!((code, out.as_str()), (0, "two\nthree\n"));

    let covet = "2024-01-15 14:23:45.123 [INFO] svc a.rs:1 first\n\
                 2024-01-15 14:23:46.000 [ERROR] svc a.rs:2 failed\n\
                 {\n  \"user_id\": \"u1\"\n}\n    at frame one\n";
    std::fs::write(dir.path().join("b.log"), covet).expect("write");
    let (code, out, _) = run(dir.path(), &["tail", "-n", "1", "b.log"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "2024-01-15 14:23:46.000 [ERROR] svc a.rs:2 failed\n{\n  \"user_id\": \"u1\"\n}\n    at frame one\n"
    );
    let (_, out, _) = run(dir.path(), &["tail", "-n", "5", "b.log"]);
    assert_eq!(out, covet, "a multi-line entry counts as one");
}

#[test]
fn tail_n_matches_a_forward_reading_on_a_large_file() {
    let dir = tempdir();
    let total = 60_000u64;
    let text: String = (0..total).map(entry).collect();
    std::fs::write(dir.path().join("big.jsonl"), &text).expect("write");
    // Truth from the writer's own records: ERROR is every n % 4 == 3.
    let errors: Vec<u64> = (0..total).filter(|n| n % 4 == 3).collect();
    let (code, out, _) = run(
        dir.path(),
        &["tail", "-n", "50", "-q", "level:ERROR", "big.jsonl"],
    );
    assert_eq!(code, 0);
    let want: String = errors[errors.len() - 50..]
        .iter()
        .map(|&n| entry(n))
        .collect();
    assert_eq!(out, want);
    // A rare query walks back through the whole file.
    let (_, out, _) = run(
        dir.path(),
        &["tail", "-n", "3", "-q", "\"seq=0000007 \"", "big.jsonl"],
    );
    assert_eq!(out, entry(7));
    let (code, out, _) = run(
        dir.path(),
        &["tail", "-n", "3", "-q", "nosuchword", "big.jsonl"],
    );
    assert_eq!((code, out.as_str()), (1, ""));
    // Newest first.
    let (_, out, _) = run(
        dir.path(),
        &["tail", "-n", "2", "--newest-first", "big.jsonl"],
    );
    assert_eq!(out, entry(total - 1) + &entry(total - 2));
}

#[test]
fn tail_n_across_files_is_by_timestamp() {
    let dir = tempdir();
    let line =
        |s: u32, name: &str| format!("2024-01-15 10:00:{s:02}.000 [INFO] svc a.rs:1 {name}\n");
    let a: String = [1, 3, 5].iter().map(|&s| line(s, "a")).collect();
    let b: String = [2, 4, 6].iter().map(|&s| line(s, "b")).collect();
    std::fs::write(dir.path().join("a.log"), a).expect("write");
    std::fs::write(dir.path().join("b.log"), b).expect("write");
    let (_, out, _) = run(dir.path(), &["tail", "-n", "3", "a.log", "b.log"]);
    assert_eq!(out, line(4, "b") + &line(5, "a") + &line(6, "b"));
}

#[test]
fn tail_errors_are_one_line_and_exit_2() {
    let dir = tempdir();
    let (code, out, err) = run(dir.path(), &["tail", "missing.log"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err, "covet-logs: missing.log: No such file or directory\n");
    let (code, _, err) = run(dir.path(), &["tail", "-q", "level:(", "missing.log"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("covet-logs: query: "), "{err}");
}

// ---------------------------------------------------------------------------------
// follow
// ---------------------------------------------------------------------------------

#[test]
fn follow_waits_for_a_file_that_appears_late() {
    let dir = tempdir();
    let mut f = Follower::start(dir.path(), &["tail", "-f", "--no-status", "late.log"]);
    f.err
        .wait_for("the waiting notice", |t| t.contains("late.log: waiting"));
    append(&dir.path().join("late.log"), "hello\nworld\n");
    f.out
        .wait_for("the late file's lines", |t| t == "hello\nworld\n");
    assert_eq!(f.interrupt(), 130);
}

#[test]
fn follow_survives_deletion_and_recreation() {
    let dir = tempdir();
    let log = dir.path().join("app.log");
    append(&log, "old 1\nold 2\n");
    let f = Follower::start(
        dir.path(),
        &["tail", "-f", "-n", "1", "--no-status", "app.log"],
    );
    f.out.wait_for("the last line", |t| t == "old 2\n");
    append(&log, "old 3\n");
    f.out
        .wait_for("an appended line", |t| t.ends_with("old 3\n"));
    std::fs::remove_file(&log).expect("rm");
    f.err.wait_for("the gone notice", |t| t.contains("gone"));
    append(&log, "new 1\n");
    append(&log, "new 2\n");
    f.out.wait_for("the re-created file", |t| {
        t == "old 2\nold 3\nnew 1\nnew 2\n"
    });
}

#[test]
fn follow_a_directory_picks_up_new_files_but_not_rotated_copies() {
    let dir = tempdir();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).expect("mkdir");
    append(&logs.join("a.log"), "a1\na2\n");
    let f = Follower::start(
        dir.path(),
        &["tail", "-f", "-n", "1", "--no-status", "logs"],
    );
    f.out.wait_for("a's last line", |t| t == "a2\n");
    append(&logs.join("b.log"), "b1\n");
    f.out.wait_for("the new file", |t| t == "a2\nb1\n");
    // A rotated copy of a followed file is not followed again. The follower has
    // looked at the directory after the copy appeared once it prints a file created
    // after the copy; the copy would have been read in that same pass.
    std::fs::copy(logs.join("a.log"), logs.join("a.log.1")).expect("copy");
    append(&logs.join("c.log"), "c1\n");
    f.out
        .wait_for("the file made after the copy", |t| t.contains("c1\n"));
    append(&logs.join("a.log"), "a3\n");
    f.out.wait_for("a's new line", |t| t.ends_with("a3\n"));
    append(&logs.join("b.log"), "b2\n");
    let text = f.out.wait_for("b's new line", |t| t.ends_with("b2\n"));
    assert_eq!(text, "a2\nb1\nc1\na3\nb2\n");
}

#[test]
fn follow_filters_the_live_stream_with_the_query() {
    let dir = tempdir();
    let log = dir.path().join("app.jsonl");
    append(&log, &entry(0));
    let f = Follower::start(
        dir.path(),
        &[
            "tail",
            "-f",
            "-n",
            "0",
            "--no-status",
            "-q",
            "level:>=WARN",
            "app.jsonl",
        ],
    );
    // -n 0 prints nothing; wait until the follower watches (an ERROR entry shows up).
    let (k, _) = f.probe(
        Duration::from_millis(20),
        |k| append(&log, &entry(3 + 4 * (k + 1))),
        |t| t.contains("seq="),
    );
    let n = k + 1;
    let start = f.out.wait_for("the last probe", |t| has_seq(t, 3 + 4 * n));
    let written: Vec<u64> = (1000..1400).collect();
    let all: String = written.iter().map(|&k| entry(k)).collect();
    append(&log, &all);
    // Truth: WARN (n % 4 == 2) and ERROR (n % 4 == 3), from the writer's records.
    let want: String = written
        .iter()
        .filter(|&&k| k % 4 >= 2)
        .map(|&k| entry(k))
        .collect();
    let text = f
        .out
        .wait_for("the filtered entries", |t| t.ends_with(&entry(1399)));
    assert_eq!(&text[start.len()..], want);
}

#[test]
fn follow_prints_a_multiline_entry_whole() {
    let dir = tempdir();
    let log = dir.path().join("app.log");
    append(&log, "2024-01-15 14:23:45.123 [INFO] svc a.rs:1 start\n");
    let mut f = Follower::start(
        dir.path(),
        &["tail", "-f", "-n", "1", "--no-status", "--json", "app.log"],
    );
    f.out
        .wait_for("the first entry", |t| t.contains("\"start\""));
    let header = "2024-01-15 14:23:46.000 [ERROR] svc a.rs:2 failed\n";
    let block = ["{\n", "  \"user_id\": \"u1\",\n", "  \"k\": 2\n", "}\n"];
    append(&log, header);
    // Each piece is written after the follower has read the previous ones.
    let pid = f.child.id();
    for part in block {
        wait_read(pid, &log, std::fs::metadata(&log).expect("stat").len());
        append(&log, part);
    }
    // Printed once the writer goes quiet, without a next entry.
    f.out
        .wait_for("the multi-line entry", |t| t.contains("\"k\":2"));
    append(&log, "2024-01-15 14:23:47.000 [INFO] svc a.rs:3 next\n");
    let text = f.out.wait_for("the next entry", |t| t.contains("\"next\""));
    // One JSON object per entry: a split entry would be two objects (a header
    // without the block's fields, and a block line as an entry of its own).
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let summary: Vec<(String, String, String)> = rows
        .iter()
        .map(|v| {
            (
                v["level"].as_str().unwrap_or("").to_string(),
                v["message"].as_str().unwrap_or("").to_string(),
                v["userId"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want = [
        ("INFO", "start", ""),
        ("ERROR", "failed", "u1"),
        ("INFO", "next", ""),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(summary, want, "{text}");
    assert_eq!(rows[1]["metadata"], serde_json::json!({"k": 2}), "{text}");
    assert_eq!(f.interrupt(), 130, "stderr: {}", f.err.text());
}

#[test]
fn follow_reads_piped_stdin_and_ends_with_it() {
    let dir = tempdir();
    let mut f = Follower::start_with(
        dir.path(),
        &["tail", "-f", "--no-status", "-q", "level:ERROR"],
        true,
    );
    let mut stdin = f.stdin.take().expect("stdin");
    stdin.write_all(entry(3).as_bytes()).expect("write");
    stdin.write_all(entry(4).as_bytes()).expect("write");
    stdin.flush().expect("flush");
    f.out.wait_for("the first error, live", |t| t == entry(3));
    stdin.write_all(entry(7).as_bytes()).expect("write");
    drop(stdin);
    assert_eq!(f.wait_exit(), 0);
    assert_eq!(f.out.text(), entry(3) + &entry(7));
}

#[test]
fn follow_several_files_labels_each_entry() {
    let dir = tempdir();
    append(&dir.path().join("a.log"), "");
    append(&dir.path().join("b.log"), "");
    let f = Follower::start(
        dir.path(),
        &["tail", "-f", "--no-status", "--json", "a.log", "b.log"],
    );
    // Wait until both are watched: append until each one's entry has come out.
    let (_, text) = f.probe(
        Duration::from_millis(20),
        |k| {
            append(&dir.path().join("a.log"), &entry(2 * k));
            append(&dir.path().join("b.log"), &entry(2 * k + 1));
        },
        |t| t.contains("\"file\":\"a.log\"") && t.contains("\"file\":\"b.log\""),
    );
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let file = v["file"].as_str().expect("file");
        let seq = seq_of(v["message"].as_str().expect("message")).expect("seq");
        // Even numbers went to a.log, odd ones to b.log.
        assert_eq!(
            file,
            if seq.is_multiple_of(2) {
                "a.log"
            } else {
                "b.log"
            }
        );
        // Entry `seq` is line `seq / 2 + 1` of its file.
        assert_eq!(v["line"].as_u64(), Some(seq / 2 + 1), "{line}");
    }
}

#[test]
fn search_follow_searches_then_streams() {
    let dir = tempdir();
    let log = dir.path().join("app.jsonl");
    let existing: String = (0..100).map(entry).collect();
    append(&log, &existing);
    let f = Follower::start(
        dir.path(),
        &["search", "-f", "--no-status", "level:ERROR", "app.jsonl"],
    );
    let want: String = (0..100).filter(|n| n % 4 == 3).map(entry).collect();
    f.out.wait_for("the existing matches", |t| t == want);
    let more: String = (100..200).map(entry).collect();
    append(&log, &more);
    let want2: String = (0..200).filter(|n| n % 4 == 3).map(entry).collect();
    f.out.wait_for("the new matches", |t| t == want2);
}

#[test]
fn follow_exits_quietly_when_the_pipe_closes() {
    let dir = tempdir();
    append(&dir.path().join("a.log"), "x\n");
    let mut child = Command::new(BIN)
        .args(["tail", "-f", "--no-status", "a.log"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 2];
    out.read_exact(&mut first).expect("first line");
    drop(out); // the reader goes away, as `| head -1` does
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("follower kept running after its pipe closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert_eq!(status.code(), Some(0));
    assert!(err.is_empty(), "{err}");
}

/// An OTLP collector export line: one batch of `records` (seq, severityNumber).
fn otlp_batch_line(records: &[(u64, u8)]) -> String {
    let recs: Vec<String> = records
        .iter()
        .map(|(seq, sev)| {
            format!(
                r#"{{"timeUnixNano":"{}","severityNumber":{sev},"body":{{"stringValue":"rec={seq}"}}}}"#,
                1_700_000_000_000_000_000u64 + seq * 1_000_000
            )
        })
        .collect();
    format!(
        r#"{{"resourceLogs":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"api"}}}}]}},"scopeLogs":[{{"logRecords":[{}]}}]}}]}}"#,
        recs.join(",")
    ) + "\n"
}

/// `tail -n` and `tail -f` read an OTLP collector export one record per entry, as a
/// search does: the last records, then each appended batch's matching records, with
/// the `FILE:LINE` ids a search gives them (lines count records).
#[test]
fn tail_reads_an_otlp_export_one_record_per_entry_and_follows_it() {
    let dir = tempdir();
    let log = dir.path().join("otel.json");
    let sev = |seq: u64| [9u8, 13, 17][(seq % 3) as usize];
    let batch = |seqs: std::ops::Range<u64>| {
        otlp_batch_line(&seqs.map(|s| (s, sev(s))).collect::<Vec<_>>())
    };
    append(&log, &(batch(0..4) + &batch(4..7)));
    let (code, out, _) = run(dir.path(), &["tail", "-n", "2", "--json", "otel.json"]);
    assert_eq!(code, 0);
    let ids: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, [r#""otel.json:6""#, r#""otel.json:7""#], "{out}");
    let mut f = Follower::start(
        dir.path(),
        &[
            "tail",
            "-f",
            "-n",
            "0",
            "--no-status",
            "--json",
            "-q",
            "level:>=WARN",
            "otel.json",
        ],
    );
    // -n 0 prints nothing: append batches until the follower has shown one.
    let (k, _) = f.probe(
        Duration::from_millis(50),
        |k| append(&log, &batch(7 + 3 * k..10 + 3 * k)),
        |t| t.contains("rec="),
    );
    let start = 10 + 3 * k;
    append(
        &log,
        &(batch(start..start + 5) + &batch(start + 5..start + 6)),
    );
    let seq_of = |v: &serde_json::Value| -> u64 {
        v["message"].as_str().unwrap()["rec=".len()..]
            .parse()
            .unwrap()
    };
    let last = (start..start + 6).rev().find(|&s| sev(s) >= 13).unwrap();
    let text = f.out.wait_for("the last record", |t| {
        t.contains(&format!("\"rec={last}\""))
    });
    f.interrupt();
    let followed: Vec<(String, String)> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| seq_of(v) >= start)
        .map(|v| {
            (
                v["id"].to_string(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Truth from the writer: WARN (13) and ERROR (17) records; lines count records.
    let want: Vec<(String, String)> = (start..start + 6)
        .filter(|&s| sev(s) >= 13)
        .map(|s| (format!("\"otel.json:{}\"", s + 1), format!("rec={s}")))
        .collect();
    assert_eq!(followed, want, "{text}");
}
