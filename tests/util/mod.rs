//! Test helpers for the `covet-logs` integration tests, in the style of ripgrep's
//! `tests/util.rs`: a temporary directory that knows how to write (compressed) files,
//! a command builder that runs the real binary there, and assertions that print
//! readable diffs instead of two walls of bytes.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use covet_gen::{self as gen, GenConfig, GenEntry, GenFormat};

/// A temporary directory, removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix("covet-logs-test-")
            .tempdir()
            .expect("create temp dir");
        Dir { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// `name` inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// Creates a subdirectory (and its parents).
    pub fn create_dir(&self, name: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::create_dir_all(&p).expect("create dir");
        p
    }

    /// Writes `contents` to `name` (parent directories are created).
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&p, contents.as_ref()).expect("write file");
        p
    }

    /// Writes `contents` gzip-compressed to `name`.
    pub fn create_gz(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(contents.as_ref()).expect("gzip");
        let bytes = enc.finish().expect("gzip finish");
        self.create(name, bytes)
    }

    /// Writes `contents` zstd-compressed to `name`.
    pub fn create_zst(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let bytes = zstd::encode_all(contents.as_ref(), 3).expect("zstd");
        self.create(name, bytes)
    }

    /// Writes generated logs for `cfg` to `name` and returns their bytes.
    pub fn create_gen(&self, name: &str, cfg: &GenConfig) -> Vec<u8> {
        let bytes = gen_bytes(cfg);
        self.create(name, &bytes);
        bytes
    }

    /// A `covet-logs` command running in this directory, with a clean environment
    /// for the variables the tool reads.
    pub fn command(&self) -> TestCommand {
        let mut cmd = assert_cmd::Command::cargo_bin("covet-logs").expect("covet-logs binary");
        cmd.current_dir(self.path());
        for var in TOOL_ENV_VARS {
            cmd.env_remove(var);
        }
        cmd.env_remove("NO_COLOR");
        cmd.env("TERM", "xterm-256color");
        // Never read or write the user's saved filters and history.
        cmd.env("COVET_LOGS_CONFIG_DIR", self.join(".covet-config"));
        cmd.env("COVET_LOGS_STATE_DIR", self.join(".covet-state"));
        cmd.env("COVET_LOGS_CACHE_DIR", self.join(".covet-cache"));
        cmd.env("COVET_LOGS_NO_HISTORY", "1");
        TestCommand {
            cmd,
            shown: vec!["covet-logs".to_string()],
        }
    }
}

/// A command being built; `run` executes it and collects its outcome.
pub struct TestCommand {
    cmd: assert_cmd::Command,
    shown: Vec<String>,
}

impl TestCommand {
    pub fn arg(&mut self, a: impl AsRef<OsStr>) -> &mut Self {
        let a = a.as_ref();
        self.shown.push(shell_word(&a.to_string_lossy()));
        self.cmd.arg(a);
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self.arg(a);
        }
        self
    }

    pub fn env(&mut self, key: &str, value: impl AsRef<OsStr>) -> &mut Self {
        self.shown.insert(
            0,
            format!("{key}={}", shell_word(&value.as_ref().to_string_lossy())),
        );
        self.cmd.env(key, value);
        self
    }

    /// Bytes written to the command's stdin (by default stdin is an empty pipe).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.cmd.write_stdin(bytes.into());
        self
    }

    pub fn run(&mut self) -> Output {
        let out = self.cmd.output().expect("run covet-logs");
        let out = Output {
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code(),
            cmdline: self.shown.join(" "),
        };
        out.assert_no_panic();
        out
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// What a finished command produced.
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub cmdline: String,
}

impl Output {
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// A short description for failure messages.
    pub fn context(&self) -> String {
        format!(
            "command: {}\nexit code: {:?}\nstderr:\n{}\nstdout (first 2000 bytes):\n{}",
            self.cmdline,
            self.code,
            self.stderr,
            snippet(&self.stdout, 2000)
        )
    }

    /// No Rust panic message (a crash is never an acceptable outcome).
    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "the tool panicked\n{}",
            self.context()
        );
    }

    pub fn expect_code(&self, code: i32) -> &Output {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n{}",
            self.context()
        );
        self
    }

    pub fn expect_stderr_empty(&self) -> &Output {
        assert!(
            self.stderr.is_empty(),
            "unexpected stderr\n{}",
            self.context()
        );
        self
    }

    /// The number printed by `-c`.
    pub fn count(&self) -> u64 {
        let s = self.stdout_str();
        let line = s.strip_suffix('\n').unwrap_or(&s);
        line.parse().unwrap_or_else(|_| {
            panic!(
                "stdout is not a count followed by a newline\n{}",
                self.context()
            )
        })
    }

    /// stdout as one JSON object per line.
    pub fn json_lines(&self) -> Vec<serde_json::Map<String, serde_json::Value>> {
        let text = std::str::from_utf8(&self.stdout)
            .unwrap_or_else(|e| panic!("--json output is not UTF-8: {e}\n{}", self.context()));
        text.lines()
            .enumerate()
            .map(|(i, line)| match serde_json::from_str(line) {
                Ok(serde_json::Value::Object(m)) => m,
                Ok(other) => panic!("line {} is not an object: {other}", i + 1),
                Err(e) => panic!(
                    "line {} does not deserialize: {e}\n{}\n{}",
                    i + 1,
                    snippet(line.as_bytes(), 500),
                    self.context()
                ),
            })
            .collect()
    }
}

/// The first `max` bytes of `b`, escaped for display.
pub fn snippet(b: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(&b[..b.len().min(max)]);
    let mut out = s.escape_debug().to_string().replace("\\n", "\n");
    if b.len() > max {
        let _ = write!(out, "... ({} more bytes)", b.len() - max);
    }
    out
}

/// Compares two outputs and, when they differ, panics with a line-oriented diff
/// around the first difference (lines escaped, so `\r`, ESC and friends are visible).
pub fn assert_text_eq(what: &str, expected: &[u8], got: &[u8]) {
    if expected == got {
        return;
    }
    let split = |b: &[u8]| -> Vec<Vec<u8>> {
        let mut lines: Vec<Vec<u8>> = b
            .split_inclusive(|&c| c == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        if lines.is_empty() {
            lines.push(Vec::new());
        }
        lines
    };
    let (want, have) = (split(expected), split(got));
    let first = want
        .iter()
        .zip(&have)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(have.len()));
    let show = |l: &[u8]| -> String {
        let s = String::from_utf8_lossy(&l[..l.len().min(300)])
            .escape_debug()
            .to_string();
        if l.len() > 300 {
            format!("{s}... ({} bytes)", l.len())
        } else {
            s
        }
    };
    let mut msg = format!(
        "{what}: outputs differ (expected {} bytes / {} lines, got {} bytes / {} lines); \
         first difference at line {}\n",
        expected.len(),
        want.len(),
        got.len(),
        have.len(),
        first + 1
    );
    let mut lines = |sign: &str, from: usize, to: usize, side: &[Vec<u8>]| {
        for (i, l) in side.iter().enumerate().take(to).skip(from) {
            let _ = writeln!(msg, "{sign}  {:>6} | {}", i + 1, show(l));
        }
    };
    lines(" ", first.saturating_sub(3), first, &want);
    lines("-", first, first + 6, &want);
    lines("+", first, first + 6, &have);
    panic!("{msg}");
}

// ---------------------------------------------------------------------------------
// Generated data
// ---------------------------------------------------------------------------------

pub fn gen_cfg(lines: usize, seed: u64, format: GenFormat) -> GenConfig {
    GenConfig {
        lines,
        seed,
        format,
        ..GenConfig::default()
    }
}

pub fn gen_bytes(cfg: &GenConfig) -> Vec<u8> {
    let mut v = Vec::new();
    gen::write_logs(cfg, &mut v).expect("generate logs");
    v
}

pub fn gen_entries(cfg: &GenConfig) -> Vec<GenEntry> {
    gen::entries(cfg).collect()
}

pub fn render(e: &GenEntry, format: GenFormat) -> Vec<u8> {
    let mut out = Vec::new();
    gen::render(e, format, &mut out);
    out
}

/// The entries of `cfg` that the generator's truth says match `query`.
pub fn truth_matching<'a>(
    cfg: &GenConfig,
    entries: &'a [GenEntry],
    query: &str,
) -> Vec<&'a GenEntry> {
    let t = gen::Truth::new(cfg.format, &[query]).expect("valid truth query");
    entries.iter().filter(|e| t.matches(0, e)).collect()
}

/// The concatenated rendering of `entries`.
pub fn render_all<'a>(
    entries: impl IntoIterator<Item = &'a GenEntry>,
    format: GenFormat,
) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        gen::render(e, format, &mut out);
    }
    out
}

/// Timestamp truncated to the millisecond, as rendered.
pub fn ts_ms(e: &GenEntry) -> i64 {
    e.ts_ns.div_euclid(1_000_000)
}

/// Set in a child's environment to have it end stderr with its peak resident set.
pub const PEAK_RSS_ENV: &str = "COVET_LOGS_PEAK_RSS";

/// Splits the `covet-logs: peak RSS: N KiB` line (from a run with `PEAK_RSS_ENV` set)
/// off `stderr`: the rest of stderr, and N. The child reads its own `VmHWM`, because
/// the `ru_maxrss` of `wait4` counts the test process's peak too (the child is started
/// with vfork, and exec keeps the old memory's high-water mark).
pub fn split_peak_rss(stderr: &str) -> (String, u64) {
    let (rest, line) = match stderr.trim_end_matches('\n').rsplit_once('\n') {
        Some((rest, line)) => (format!("{rest}\n"), line),
        None => (String::new(), stderr.trim_end_matches('\n')),
    };
    let kib = line
        .strip_prefix("covet-logs: peak RSS: ")
        .and_then(|l| l.strip_suffix(" KiB"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS line at the end of stderr:\n{stderr}"));
    (rest, kib)
}

/// The proptest settings of the property tests: `PROPTEST_CASES` when set (CI raises
/// it), else `default` cases. Failures are not persisted to files: a regression worth
/// keeping goes into a test of its own.
pub fn proptest_config(default: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config {
        cases,
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Off)),
        ..proptest::test_runner::Config::default()
    }
}

/// The variables of the tool's own that every test command runs without.
pub const TOOL_ENV_VARS: [&str; 6] = [
    "COVET_LOGS_PATH",
    "COVET_LOGS_FORMAT",
    "COVET_LOGS_COLOR",
    "COVET_LOGS_TZ",
    "COVET_LOGS_TAIL_LINES",
    "COVET_LOGS_INDEX",
];

/// All a spawned child writes to its (piped) stderr, read to its end.
pub fn child_stderr(child: &mut std::process::Child) -> String {
    use std::io::Read;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr piped")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    stderr
}

/// The first line of a command's stdout (empty when there is none).
pub fn first_line(out: &Output) -> String {
    out.stdout_str()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A small seeded generator (Knuth's MMIX LCG, high bits) for test data whose truth the
/// test counts as it writes: independent of the tool and of `covet_gen`.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A value in (0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() as f64 + 0.5) / (1u64 << 53) as f64
    }
}

/// `n` with `,` between groups of three digits (`12,345`), as covet-logs and its page
/// write counts (en-US grouping).
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
