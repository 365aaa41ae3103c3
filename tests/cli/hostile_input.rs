//! Hostile inputs (issue 10, cases 4, 5, 10 and 14): directory walks through symlink
//! cycles, FIFOs and stdin read exactly once, entries longer than the cap, and damaged
//! gzip/zstd data. Every run has a deadline, so a regression that hangs fails instead.

use crate::util;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::Dir;

/// What a finished run produced, with the child's own peak resident set size.
struct Run {
    stdout: Vec<u8>,
    stderr: String,
    code: Option<i32>,
    peak_rss_kb: i64,
    cmdline: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn context(&self) -> String {
        format!(
            "command: {}\nexit code: {:?}\nstderr:\n{}\nstdout (first 2000 bytes):\n{}",
            self.cmdline,
            self.code,
            self.stderr,
            String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(2000)])
        )
    }
}

const DEADLINE: Duration = Duration::from_secs(60);

/// Runs the binary in `dir` with `args`, feeding `stdin` (None: an empty pipe),
/// killing it at `DEADLINE`. The exit status comes from `wait4` on the
/// child itself (hence no `Child::wait`); the peak RSS is the one the child reports.
fn run(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let run = run_until(dir, args, stdin, DEADLINE);
    assert!(
        run.code.is_some(),
        "hung: killed after {DEADLINE:?}\n{}",
        run.context()
    );
    run
}

/// Runs the binary for at most `limit`, then kills it (for `-f`, which runs until
/// stopped); `code` is `None` when it was killed.
#[allow(clippy::zombie_processes)]
fn run_until(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>, limit: Duration) -> Run {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("covet-logs"));
    cmd.current_dir(dir).args(args);
    for var in util::TOOL_ENV_VARS.iter().chain(&["NO_COLOR"]) {
        cmd.env_remove(var);
    }
    cmd.env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_NO_HISTORY", "1")
        .env(util::PEAK_RSS_ENV, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn covet-logs");
    let mut pipe_in = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        if let Some(bytes) = stdin {
            let _ = pipe_in.write_all(&bytes);
        }
    });
    let mut pipe_out = child.stdout.take().expect("stdout");
    let mut pipe_err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = pipe_out.read_to_end(&mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = pipe_err.read_to_end(&mut v);
        v
    });
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waits for our own child, with valid pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if start.elapsed() > limit {
            // SAFETY: kills and reaps our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = feeder.join();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // A run that finished ends stderr with its own peak RSS; a killed one has none.
    let (stderr, peak_rss_kb) = match code {
        Some(_) if stderr.contains("covet-logs: peak RSS: ") => {
            let (rest, kib) = util::split_peak_rss(&stderr);
            (rest, kib as i64)
        }
        _ => (stderr, -1),
    };
    let run = Run {
        stdout: out.join().unwrap_or_default(),
        stderr,
        code,
        peak_rss_kb,
        cmdline: format!("covet-logs {}", args.join(" ")),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "the tool panicked\n{}",
        run.context()
    );
    run
}

/// Asserts two outputs are equal, showing where they first differ (not both whole).
fn same_text(actual: &str, expected: &str, run: &Run) {
    if actual == expected {
        return;
    }
    let at = actual
        .bytes()
        .zip(expected.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let window =
        |t: &str| String::from_utf8_lossy(&t.as_bytes()[at..t.len().min(at + 200)]).into_owned();
    panic!(
        "stdout differs at byte {at} ({} vs {} bytes expected)\nactual:   {:?}\nexpected: {:?}\n{}",
        actual.len(),
        expected.len(),
        window(actual),
        window(expected),
        run.context()
    );
}

fn eq(run: &Run, stdout: &str, stderr: &str, code: i32) {
    same_text(&run.out(), stdout, run);
    assert_eq!(run.stderr, stderr, "stderr\n{}", run.context());
    assert_eq!(run.code, Some(code), "exit code\n{}", run.context());
}

// ---------------------------------------------------------------- case 5: FIFO, stdin

const THREE: &str = "{\"level\":\"info\",\"msg\":\"one x\"}\n{\"level\":\"error\",\"msg\":\"two\"}\n{\"level\":\"warn\",\"msg\":\"three x\"}\n";

fn three_csv(file: &str) -> String {
    format!(
        "id,timestamp,level,service,source,message,traceId,spanId,userId,requestId,tags,file,line\n\
         {file}:1,,INFO,,,one x,,,,,,{file},1\n\
         {file}:2,,ERROR,,,two,,,,,,{file},2\n\
         {file}:3,,WARN,,,three x,,,,,,{file},3\n"
    )
}

/// A FIFO named `name` in `dir` whose writer opens it only after `delay`, writes
/// `data` at once and closes it: a reader that opens the FIFO a second time waits
/// for a writer that never comes.
fn late_fifo(dir: &Dir, name: &str, data: &str, delay: Duration) -> PathBuf {
    let path = dir.join(name);
    let c = std::ffi::CString::new(path.to_str().expect("utf-8 path")).expect("c path");
    // SAFETY: a valid, NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let (p, data) = (path.clone(), data.as_bytes().to_vec());
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&p) {
            let _ = f.write_all(&data);
        }
    });
    path
}

#[test]
fn search_context_reads_stdin_once() {
    let dir = Dir::new();
    let r = run(
        dir.path(),
        &["search", "-C1", "b"],
        Some(b"a\nb\nc\n".to_vec()),
    );
    eq(&r, "a\nb\nc\n", "", 0);
}

#[test]
fn export_csv_reads_stdin_once() {
    let dir = Dir::new();
    let r = run(
        dir.path(),
        &["export", "--format", "csv"],
        Some(THREE.as_bytes().to_vec()),
    );
    eq(&r, &three_csv("<stdin>"), "", 0);
}

#[test]
fn search_context_reads_a_fifo_once() {
    let dir = Dir::new();
    late_fifo(&dir, "f", THREE, Duration::from_millis(300));
    let r = run(dir.path(), &["search", "-C1", "two", "f"], None);
    eq(&r, THREE, "", 0);
}

#[test]
fn export_csv_reads_a_fifo_once() {
    let dir = Dir::new();
    late_fifo(&dir, "f", THREE, Duration::from_millis(300));
    let r = run(dir.path(), &["export", "--format", "csv", "f"], None);
    eq(&r, &three_csv("f"), "", 0);
}

#[test]
fn tail_reads_a_fifo_once() {
    let dir = Dir::new();
    late_fifo(&dir, "f", THREE, Duration::from_millis(300));
    let r = run(dir.path(), &["tail", "-n", "2", "f"], None);
    let last_two: String = THREE.lines().skip(1).map(|l| format!("{l}\n")).collect();
    eq(&r, &last_two, "", 0);
}

#[test]
fn search_context_on_gzip_reads_it_once_and_keeps_context() {
    let dir = Dir::new();
    dir.create_gz("a.log.gz", "a\nb\nc\nd\ne\n");
    let r = run(dir.path(), &["search", "-C1", "d", "a.log.gz"], None);
    eq(&r, "c\nd\ne\n", "", 0);
}

// ---------------------------------------------------------------- case 4: walks, links

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[test]
fn walk_through_symlink_cycles_finishes_with_exact_count() {
    let dir = Dir::new();
    dir.create("d/a.log", "one\ntwo\nthree\n");
    dir.create("d/sub/b.log", "four\n");
    symlink(".", &dir.join("d/s1"));
    symlink(".", &dir.join("d/s2"));
    symlink("..", &dir.join("d/sub/up"));
    for extra in [&[][..], &["-L"][..]] {
        let mut args = vec!["search", "-c"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["", "d"]);
        let r = run(dir.path(), &args, None);
        eq(&r, "4\n", "", 0);
    }
}

#[test]
fn a_file_reachable_twice_is_read_once() {
    let dir = Dir::new();
    dir.create("d/a.log", "one\ntwo\nthree\n");
    std::fs::create_dir_all(dir.join("d/sub")).expect("mkdir");
    std::fs::hard_link(dir.join("d/a.log"), dir.join("d/sub/same.log")).expect("link");
    symlink("../a.log", &dir.join("d/sub/alias.log"));
    // Named and walked, hard-linked, and (with -L) symlinked: three entries each time.
    for args in [
        &["search", "-c", "", "d"][..],
        &["search", "-c", "", "d/a.log", "d"][..],
        &["search", "-c", "-L", "", "d"][..],
        &["search", "-c", "-L", "", "d", "d/sub/alias.log", "d/a.log"][..],
    ] {
        let r = run(dir.path(), args, None);
        eq(&r, "3\n", "", 0);
    }
}

#[test]
fn symlinks_in_a_directory_are_followed_only_with_l() {
    let dir = Dir::new();
    dir.create("d/a.log", "here\n");
    dir.create("elsewhere/x.log", "away 1\naway 2\n");
    dir.create("other.log", "linked file\n");
    symlink("../elsewhere", &dir.join("d/ext"));
    symlink("../other.log", &dir.join("d/other.log"));
    let r = run(dir.path(), &["search", "--raw", "", "d"], None);
    eq(&r, "here\n", "", 0);
    let r = run(
        dir.path(),
        &["search", "--raw", "--no-filename", "-L", "", "d"],
        None,
    );
    let mut lines: Vec<String> = r.out().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(
        lines,
        ["away 1", "away 2", "here", "linked file"],
        "{}",
        r.context()
    );
    assert_eq!(r.code, Some(0), "{}", r.context());
    // A symlink named on the command line is followed, without -L.
    symlink("elsewhere", &dir.join("named"));
    let r = run(dir.path(), &["search", "-c", "", "named"], None);
    eq(&r, "2\n", "", 0);
}

// ---------------------------------------------------------------- case 10: entry cap

fn long_text(len: usize) -> String {
    (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect()
}

/// The output lines expected when `line` is cut every `max` bytes.
fn pieces(line: &str, max: usize) -> Vec<String> {
    line.as_bytes()
        .chunks(max)
        .map(|c| String::from_utf8(c.to_vec()).expect("ascii"))
        .collect()
}

#[test]
fn a_long_entry_is_split_at_the_cap_and_reported_once() {
    let dir = Dir::new();
    let long = long_text(3000);
    let text = format!("short 1\n{long}\nshort 2\n");
    dir.create("f.log", &text);
    dir.create_gz("g.log.gz", &text);
    let mut expected = vec!["short 1".to_string()];
    expected.extend(pieces(&long, 1024));
    expected.push("short 2".to_string());
    let expected = expected.join("\n") + "\n";
    for (file, stdin, extra) in [
        ("f.log", None, None),
        ("f.log", None, Some("--no-mmap")),
        ("g.log.gz", None, None),
        ("-", Some(text.clone()), None),
    ] {
        let mut args = vec!["search", "--raw", "--max-entry-size", "1K"];
        args.extend(extra);
        args.extend(["", file]);
        let r = run(dir.path(), &args, stdin.map(String::into_bytes));
        let name = if file == "-" { "<stdin>" } else { file };
        eq(
            &r,
            &expected,
            &format!("covet-logs: {name}: 1 entry longer than 1 KiB was split\n"),
            0,
        );
        // Every byte is in some piece.
        assert_eq!(r.out().replace('\n', ""), text.replace('\n', ""));
    }
}

#[test]
fn split_pieces_are_the_same_whichever_hit_finds_them() {
    let dir = Dir::new();
    let mut a = long_text(2500);
    a.replace_range(1100..1106, "NEEDLE");
    let b = "z".repeat(1500);
    let text = format!("{a}\nmid\n{b}\n");
    dir.create("f.log", &text);
    // A literal in the second piece of `a` only: that piece, on the 1K grid. Only
    // the long entries the search looked into are counted (`b` has no hit).
    let r = run(
        dir.path(),
        &[
            "search",
            "--raw",
            "--max-entry-size",
            "1K",
            "NEEDLE",
            "f.log",
        ],
        None,
    );
    eq(
        &r,
        &format!("{}\n", &a[1024..2048]),
        "covet-logs: f.log: 1 entry longer than 1 KiB was split\n",
        0,
    );
    let r = run(
        dir.path(),
        &["search", "-c", "--max-entry-size", "1K", "", "f.log"],
        None,
    );
    // 3 pieces of a, mid, 2 pieces of b.
    eq(
        &r,
        "6\n",
        "covet-logs: f.log: 2 entries longer than 1 KiB were split\n",
        0,
    );
}

#[test]
fn follow_splits_an_entry_that_grows_past_the_cap() {
    let dir = Dir::new();
    let path = dir.create("f.log", "");
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(800));
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open for append");
        f.write_all("a".repeat(2500).as_bytes()).expect("write");
        f.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(300));
        f.write_all(format!("{}\nshort\n", "b".repeat(100)).as_bytes())
            .expect("write");
    });
    let r = run_until(
        dir.path(),
        &[
            "tail",
            "-f",
            "--no-status",
            "--max-entry-size",
            "1K",
            "f.log",
        ],
        None,
        Duration::from_secs(4),
    );
    writer.join().expect("writer");
    let long = format!("{}{}", "a".repeat(2500), "b".repeat(100));
    let mut expected = pieces(&long, 1024);
    expected.push("short".to_string());
    same_text(&r.out(), &(expected.join("\n") + "\n"), &r);
    // Under load the process may start after the first write: then the first read
    // splits the pieces it sees (and says so in its summary) before following on.
    let follower = "covet-logs: f.log: an entry longer than 1 KiB was split";
    let first_read = "covet-logs: f.log: 1 entry longer than 1 KiB was split";
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        lines == [follower]
            || lines == [first_read]
            || lines == [first_read, follower]
            || lines == [follower, first_read],
        "{}",
        r.context()
    );
}

#[test]
fn tail_splits_a_long_last_entry_read_backwards_or_forwards() {
    let dir = Dir::new();
    // 3,000 bytes: in the first block read back. 300,000: no entry start within the
    // cap, so tail reads forward instead of holding it.
    for len in [3000, 300_000] {
        let long = long_text(len);
        dir.create("t.log", format!("first\n{long}"));
        let r = run(
            dir.path(),
            &["tail", "-n", "2", "--max-entry-size", "1K", "t.log"],
            None,
        );
        let p = pieces(&long, 1024);
        let expected = format!("{}\n{}\n", p[p.len() - 2], p[p.len() - 1]);
        eq(
            &r,
            &expected,
            "covet-logs: t.log: 1 entry longer than 1 KiB was split\n",
            0,
        );
    }
}

#[test]
fn context_lines_count_the_pieces_of_a_split_entry() {
    let dir = Dir::new();
    let mut long = long_text(2500);
    long.replace_range(1100..1106, "NEEDLE");
    dir.create("f.log", format!("before\n{long}\nafter\n"));
    let p = pieces(&long, 1024);
    for (n, expected) in [
        ("0", format!("{}\n", p[1])),
        ("1", format!("{}\n{}\n{}\n", p[0], p[1], p[2])),
        (
            "2",
            format!("before\n{}\n{}\n{}\nafter\n", p[0], p[1], p[2]),
        ),
    ] {
        let r = run(
            dir.path(),
            &[
                "search",
                "-C",
                n,
                "--max-entry-size",
                "1K",
                "NEEDLE",
                "f.log",
            ],
            None,
        );
        eq(
            &r,
            &expected,
            "covet-logs: f.log: 1 entry longer than 1 KiB was split\n",
            0,
        );
    }
}

#[test]
fn max_entry_size_rejects_a_bad_size() {
    let dir = Dir::new();
    dir.create("f.log", "x\n");
    let r = run(
        dir.path(),
        &["search", "--max-entry-size", "12Q", "x", "f.log"],
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.context());
    assert!(
        r.stderr
            .contains("'12Q' is not a size such as 4096, 1K, 64M or 1G"),
        "{}",
        r.context()
    );
}

/// 200 MiB of zeros without a newline, as 200 concatenated gzip members of 1 MiB
/// (one stream to a gzip reader, cheap to build).
fn zero_bomb(dir: &Dir, name: &str) {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; 1 << 20]).expect("gzip");
    let member = enc.finish().expect("gzip finish");
    dir.create(name, member.repeat(200));
}

#[test]
fn a_gzip_bomb_without_newlines_stays_in_bounded_memory() {
    let dir = Dir::new();
    zero_bomb(&dir, "bomb.log.gz");
    let r = run(
        dir.path(),
        &["search", "-j", "2", "-c", "", "bomb.log.gz"],
        None,
    );
    // 200 MiB cut every 64 MiB: 64 + 64 + 64 + 8.
    eq(
        &r,
        "4\n",
        "covet-logs: bomb.log.gz: 1 entry longer than 64 MiB was split\n",
        0,
    );
    // The whole entry would be 200 MiB; a piece is 64 MiB.
    assert!(
        r.peak_rss_kb < 160 * 1024,
        "peak RSS {} KiB\n{}",
        r.peak_rss_kb,
        r.context()
    );
}

// ---------------------------------------------------------------- case 14: damaged data

/// What a decoder yields before its first error, read independently of the tool,
/// and whether it failed at all.
fn decode_until_error(mut r: impl Read) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return (out, false),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return (out, true),
        }
    }
}

fn numbered_lines(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"level\":\"info\",\"msg\":\"entry {i} {}\"}}\n",
                i * 7919 % 10007
            )
        })
        .collect()
}

/// Runs `search --raw ''` over a damaged file and checks it prints exactly what
/// decoded (a cut last line as an entry of its own), then the one-line report, exit 2.
fn check_damaged(dir: &Dir, name: &str, kind: &str, decoded: &[u8]) {
    let text = String::from_utf8_lossy(decoded).into_owned();
    let mut expected: String = text.lines().map(|l| format!("{l}\n")).collect();
    if text.is_empty() {
        expected.clear();
    }
    let r = run(dir.path(), &["search", "--raw", "", name], None);
    same_text(&r.out(), &expected, &r);
    let prefix = format!(
        "covet-logs: {name}: truncated or corrupt {kind} data after {} bytes: ",
        decoded.len()
    );
    assert!(
        r.stderr.starts_with(&prefix) && r.stderr.lines().count() == 1,
        "expected one line starting {prefix:?}\n{}",
        r.context()
    );
    assert_eq!(r.code, Some(2), "{}", r.context());
    let r = run(dir.path(), &["search", "-c", "", name], None);
    assert_eq!(
        r.out(),
        format!("{}\n", text.lines().count()),
        "{}",
        r.context()
    );
    assert_eq!(r.code, Some(2), "{}", r.context());
    // tail shows the last entries before the damage, then reports it.
    let r = run(dir.path(), &["tail", "-n", "3", "--raw", name], None);
    let lines: Vec<&str> = text.lines().collect();
    let last3: String = lines[lines.len().saturating_sub(3)..]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    same_text(&r.out(), &last3, &r);
    assert!(r.stderr.starts_with(&prefix), "{}", r.context());
    assert_eq!(r.code, Some(2), "{}", r.context());
}

fn gzip(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).expect("gzip");
    enc.finish().expect("gzip finish")
}

#[test]
fn gzip_missing_its_trailer_keeps_every_entry() {
    let dir = Dir::new();
    let text = numbered_lines(5000);
    let gz = gzip(&text);
    dir.create("t.log.gz", &gz[..gz.len() - 4]);
    let (decoded, failed) =
        decode_until_error(flate2::read::MultiGzDecoder::new(&gz[..gz.len() - 4]));
    assert!(failed, "the cut gzip must fail to decode");
    assert_eq!(
        decoded,
        text.as_bytes(),
        "all data decodes before the trailer"
    );
    check_damaged(&dir, "t.log.gz", "gzip", &decoded);
}

#[test]
fn gzip_cut_in_the_middle_keeps_what_decoded() {
    let dir = Dir::new();
    let text = numbered_lines(20000);
    let gz = gzip(&text);
    let cut = &gz[..gz.len() / 2];
    dir.create("t.log.gz", cut);
    let (decoded, failed) = decode_until_error(flate2::read::MultiGzDecoder::new(cut));
    assert!(failed && !decoded.is_empty() && decoded.len() < text.len());
    check_damaged(&dir, "t.log.gz", "gzip", &decoded);
}

#[test]
fn corrupt_zstd_keeps_what_decoded() {
    let dir = Dir::new();
    let text = numbered_lines(40000);
    let mut zst = zstd::encode_all(text.as_bytes(), 3).expect("zstd");
    // Garbage over the middle of the frame: the blocks before it still decode.
    let mid = zst.len() / 2;
    zst[mid..mid + 64].fill(0xff);
    dir.create("t.log.zst", &zst);
    let (decoded, failed) =
        decode_until_error(zstd::stream::read::Decoder::new(&zst[..]).expect("decoder"));
    assert!(failed && !decoded.is_empty() && decoded.len() < text.len());
    check_damaged(&dir, "t.log.zst", "zstd", &decoded);
}

/// Lines of pseudo-random hex: text that hardly compresses, so each frame of it is
/// a decoding run of its own (runs group frames up to 1 MiB compressed).
fn hex_lines(n: usize, seed: u64) -> String {
    let mut rng = util::Rng::new(seed);
    (0..n)
        .map(|i| {
            let words: Vec<String> = (0..6).map(|_| format!("{:016x}", rng.next_u64())).collect();
            format!(
                "{{\"level\":\"info\",\"msg\":\"line {i} {}\"}}\n",
                words.join(" ")
            )
        })
        .collect()
}

#[test]
fn a_damaged_frame_of_many_keeps_the_frames_before_it_and_what_decoded() {
    let dir = Dir::new();
    let text = hex_lines(100_000, 17);
    // Five frames cut mid-line, decoded in parallel; garbage in the middle of the third.
    let cuts: Vec<usize> = (0..=5).map(|i| text.len() * i / 5 + (i % 5) * 13).collect();
    let frames: Vec<Vec<u8>> = cuts
        .windows(2)
        .map(|w| zstd::encode_all(&text.as_bytes()[w[0]..w[1]], 3).expect("zstd"))
        .collect();
    assert!(
        frames.iter().all(|f| f.len() > 1 << 20),
        "one run per frame"
    );
    let mut third = frames[2].clone();
    let mid = third.len() / 2;
    third[mid..mid + 64].fill(0xff);
    let zst = [
        &frames[0][..],
        &frames[1][..],
        &third[..],
        &frames[3],
        &frames[4],
    ]
    .concat();
    dir.create("t.log.zst", &zst);
    // What decodes: the first two frames whole, then the third up to its damage, read
    // as the single-stream decoder is (8 KiB at a time from the frame's start).
    let (in_third, failed) =
        decode_until_error(zstd::stream::read::Decoder::new(&third[..]).expect("decoder"));
    assert!(failed && !in_third.is_empty());
    let mut decoded = text.as_bytes()[..cuts[2]].to_vec();
    decoded.extend_from_slice(&in_third);
    check_damaged(&dir, "t.log.zst", "zstd", &decoded);
}

// Case 10/13: a mapped file whose one entry is far longer than the cap is read as a
// stream (a chunk cannot end inside it), so neither its pages nor its rendering are
// held whole.
#[test]
fn a_mapped_giant_entry_is_read_as_a_stream_in_bounded_memory() {
    let dir = Dir::new();
    let mut line = vec![b'a'; 48 << 20];
    line[(30 << 20) + 5..(30 << 20) + 11].copy_from_slice(b"NEEDLE");
    dir.create("big.log", &line);
    drop(line);
    let args = |extra: &'static [&'static str]| {
        let mut v = vec![
            "search",
            "-c",
            "--max-entry-size",
            "1M",
            "--chunk-size",
            "1048576",
        ];
        v.extend(extra);
        v.extend(["NEEDLE", "big.log"]);
        v
    };
    let mapped = run(dir.path(), &args(&[]), None);
    let streamed = run(dir.path(), &args(&["--no-mmap"]), None);
    for r in [&mapped, &streamed] {
        eq(
            r,
            "1\n",
            "covet-logs: big.log: 1 entry longer than 1 MiB was split\n",
            0,
        );
    }
    // The old mapped scan touched all 48 MiB of the one chunk.
    assert!(
        mapped.peak_rss_kb > 0 && mapped.peak_rss_kb < 40 * 1024,
        "peak RSS {} KiB\n{}",
        mapped.peak_rss_kb,
        mapped.context()
    );
}
