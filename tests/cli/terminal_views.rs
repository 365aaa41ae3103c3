//! Issue 14, the terminal views: shell completions run in the real shells, the
//! `completions`/`man` commands, query suggestions, the pager, and the stats dashboard
//! laid out for the terminal size.

use crate::util;

use std::path::{Path, PathBuf};
use std::process::Command;

use util::Dir;

/// The directory of the built binary, to put first on PATH for the shells.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_covet-logs"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn path_env() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn have(shell: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {shell}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A log directory with known service counts, and a state directory.
struct Logs {
    dir: Dir,
}

impl Logs {
    fn new() -> Logs {
        let dir = Dir::new();
        let mut text = String::new();
        for (service, n) in [("covet-db", 5), ("covet-api", 3), ("covet-auth", 1)] {
            for i in 0..n {
                text.push_str(&format!(
                    "{{\"timestamp\":\"2024-01-15T10:00:0{i}Z\",\"level\":\"ERROR\",\"service\":\"{service}\",\"message\":\"m{i}\",\"endpoint\":\"/health\"}}\n"
                ));
            }
        }
        dir.create("logs/api.jsonl", text);
        dir.create("logs/app.log", "2024-01-15 10:00:00 INFO started\n");
        dir.create_dir("state");
        dir.create_dir("config");
        Logs { dir }
    }

    fn logs(&self) -> PathBuf {
        self.dir.join("logs")
    }

    /// Runs `shell args...` with the test environment; stdout lines.
    fn shell(&self, program: &str, args: &[&str]) -> Vec<String> {
        let out = Command::new(program)
            .args(args)
            .current_dir(self.dir.path())
            .env("PATH", path_env())
            .env("COVET_LOGS_PATH", self.logs())
            .env("COVET_LOGS_STATE_DIR", self.dir.join("state"))
            .env("COVET_LOGS_CONFIG_DIR", self.dir.join("config"))
            .env("HOME", self.dir.path())
            .output()
            .expect("run shell");
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect()
    }

    fn bash(&self, line: &str) -> Vec<String> {
        let script = repo().join("tests/shells/complete.bash");
        let comp = repo().join("completions/covet-logs.bash");
        self.shell(
            "bash",
            &[script.to_str().unwrap(), comp.to_str().unwrap(), line],
        )
    }

    fn zsh(&self, line: &str) -> Vec<String> {
        let script = repo().join("tests/shells/complete.zsh");
        let comp = repo().join("completions");
        self.shell(
            "zsh",
            &["-f", script.to_str().unwrap(), comp.to_str().unwrap(), line],
        )
    }

    fn fish(&self, line: &str) -> Vec<String> {
        let comp = repo().join("completions/covet-logs.fish");
        let cmd = format!(
            "source {}; complete -C {}",
            comp.display(),
            shell_quote(line)
        );
        self.shell("fish", &["--no-config", "-c", &cmd])
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The cases every shell must complete: a subcommand, a flag of a subcommand, a file,
/// a field name, field values (most frequent first where the shell keeps order), a
/// saved filter name.
fn check_shell(name: &str, complete: impl Fn(&str) -> Vec<String>, sorted: bool) {
    let order = |mut v: Vec<String>| {
        if sorted {
            v.sort();
        }
        v
    };
    assert_eq!(
        complete("covet-logs sta"),
        strs(&["stats"]),
        "{name}: subcommand"
    );
    assert_eq!(
        complete("covet-logs stats --sin"),
        strs(&["--since"]),
        "{name}: flag"
    );
    let files = complete("covet-logs stats logs/ap");
    assert!(
        files.iter().any(|f| f.ends_with("api.jsonl"))
            && files.iter().any(|f| f.ends_with("app.log")),
        "{name}: files: {files:?}"
    );
    assert_eq!(
        complete("covet-logs search serv"),
        strs(&["service:"]),
        "{name}: field"
    );
    let values = complete("covet-logs search service:");
    let expected: Vec<String> = ["covet-db", "covet-api", "covet-auth"]
        .iter()
        .map(|v| match name {
            // bash replaces the text after the `:` word break
            "bash" => v.to_string(),
            _ => format!("service:{v}"),
        })
        .collect();
    assert_eq!(order(values), order(expected), "{name}: values");
    assert_eq!(
        complete("covet-logs search --filter er"),
        strs(&["errors"]),
        "{name}: --filter"
    );
}

#[test]
fn bash_completes_subcommands_flags_files_and_queries() {
    let logs = Logs::new();
    check_shell("bash", |l| logs.bash(l), false);
    // the query is the first positional: values of options are skipped, and the word
    // after the query is a path again; -q takes a query on every command
    assert_eq!(
        logs.bash("covet-logs search --since 1h serv"),
        strs(&["service:"])
    );
    assert_eq!(
        logs.bash("covet-logs search level:ERROR logs/ap"),
        strs(&["logs/api.jsonl", "logs/app.log"])
    );
    assert_eq!(
        logs.bash("covet-logs stats -q service:covet-d"),
        strs(&["covet-db"])
    );
    // inside a quoted query, the word being typed is completed and the words before it
    // are kept (readline replaces the whole quoted text)
    assert_eq!(
        logs.bash("covet-logs search 'level:ERROR serv"),
        strs(&["level:ERROR service:"])
    );
    assert_eq!(
        logs.bash("covet-logs search 'level:ERROR service:covet-d"),
        strs(&["level:ERROR service:covet-db"])
    );
}

#[test]
fn zsh_completes_subcommands_flags_files_and_queries() {
    if !have("zsh") {
        println!("skipped: zsh is not installed (.ci/run installs it with apt-get)");
        return;
    }
    let logs = Logs::new();
    check_shell("zsh", |l| logs.zsh(l), true);
    assert_eq!(
        logs.zsh("covet-logs search 'level:ERROR serv"),
        strs(&["level:ERROR service:"])
    );
}

#[test]
fn fish_completes_subcommands_flags_files_and_queries() {
    if !have("fish") {
        println!("skipped: fish is not installed (.ci/run installs it with apt-get)");
        return;
    }
    let logs = Logs::new();
    check_shell("fish", |l| logs.fish(l), true);
    assert_eq!(
        logs.fish("covet-logs search 'level:ERROR service:covet-d"),
        strs(&["'level:ERROR service:covet-db"])
    );
}

#[test]
fn completions_and_man_commands_print_the_committed_files() {
    let dir = Dir::new();
    for (shell, file) in [
        ("bash", "covet-logs.bash"),
        ("zsh", "_covet-logs"),
        ("fish", "covet-logs.fish"),
        ("powershell", "_covet-logs.ps1"),
        ("elvish", "covet-logs.elv"),
    ] {
        let out = dir.command().args(["completions", shell]).run();
        out.expect_code(0).expect_stderr_empty();
        let committed = std::fs::read(repo().join("completions").join(file)).unwrap();
        util::assert_text_eq(shell, &committed, &out.stdout);
    }
    let out = dir.command().arg("man").run();
    out.expect_code(0).expect_stderr_empty();
    let committed = std::fs::read(repo().join("man/covet-logs.1")).unwrap();
    util::assert_text_eq("man", &committed, &out.stdout);
    let out = dir.command().args(["completions", "tcsh"]).run();
    out.expect_code(2);
}

/// Runs `suggest` in the Logs environment.
fn suggest(logs: &Logs, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .arg("suggest")
        .args(args)
        .env("COVET_LOGS_PATH", logs.logs())
        .env("COVET_LOGS_STATE_DIR", logs.dir.join("state"))
        .env("COVET_LOGS_CONFIG_DIR", logs.dir.join("config"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn suggest_fields_values_searches_and_filters() {
    let logs = Logs::new();
    assert_eq!(suggest(&logs, &["--", "serv"]), (0, "service:\n".into()));
    assert_eq!(suggest(&logs, &["--", "end"]), (0, "endpoint:\n".into()));
    assert_eq!(
        suggest(&logs, &["--", "service:"]),
        (
            0,
            "service:covet-db\nservice:covet-api\nservice:covet-auth\n".into()
        )
    );
    assert_eq!(
        suggest(&logs, &["--", "service:covet-a"]),
        (0, "service:covet-api\nservice:covet-auth\n".into())
    );
    assert_eq!(
        suggest(&logs, &["--", "level:"]),
        (0, "level:ERROR\nlevel:INFO\n".into())
    );
    assert_eq!(suggest(&logs, &["--", "nosuchfield:"]), (1, String::new()));
    // a saved filter and a recorded search
    let env = |c: &mut Command| {
        c.env("COVET_LOGS_PATH", logs.logs())
            .env("COVET_LOGS_STATE_DIR", logs.dir.join("state"))
            .env("COVET_LOGS_CONFIG_DIR", logs.dir.join("config"));
    };
    let mut save = Command::new(env!("CARGO_BIN_EXE_covet-logs"));
    save.args(["filters", "save", "dbonly", "service:covet-db"]);
    env(&mut save);
    assert!(save.output().unwrap().status.success());
    assert_eq!(
        suggest(&logs, &["--kind", "filter", "--", ""]),
        (0, "dbonly\nerrors\nslow\nwarnings\n".into())
    );
    let mut search = Command::new(env!("CARGO_BIN_EXE_covet-logs"));
    search.args(["search", "service:covet-api m1"]);
    env(&mut search);
    assert!(search.output().unwrap().status.success());
    assert_eq!(
        suggest(&logs, &["--", "service:covet-api"]),
        (0, "service:covet-api\nservice:covet-api m1\n".into())
    );
}

#[test]
fn suggest_cache_follows_size_and_mtime() {
    let logs = Logs::new();
    let (_, first) = suggest(&logs, &["--", "service:"]);
    assert!(first.starts_with("service:covet-db\n"), "{first}");
    assert!(logs.dir.join("state/suggest.json").exists());
    let mut more = String::new();
    for i in 0..9 {
        more.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T10:01:0{i}Z\",\"level\":\"WARN\",\"service\":\"covet-cache\",\"message\":\"x\"}}\n"
        ));
    }
    let path = logs.logs().join("api.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&more);
    std::fs::write(&path, text).unwrap();
    let (_, second) = suggest(&logs, &["--", "service:"]);
    assert_eq!(
        second,
        "service:covet-cache\nservice:covet-db\nservice:covet-api\nservice:covet-auth\n"
    );
}

// ---- the pager ----

/// A pager that records what it was given (and its LESS variable) instead of showing it.
fn recording_pager(dir: &Dir) -> PathBuf {
    let path = dir.create(
        "pager.sh",
        "#!/bin/sh\ncat > \"$PAGER_OUT\"\necho \"LESS=$LESS\" > \"$PAGER_OUT.env\"\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

const PAGED_LOG: &str = "\
{\"timestamp\":\"2024-01-15T10:00:00Z\",\"level\":\"INFO\",\"service\":\"covet-api\",\"message\":\"started\"}
{\"timestamp\":\"2024-01-15T10:00:01Z\",\"level\":\"ERROR\",\"service\":\"covet-db\",\"message\":\"connection refused\",\"traceId\":\"t1\"}
{\"timestamp\":\"2024-01-15T10:00:02Z\",\"level\":\"WARN\",\"service\":\"covet-api\",\"message\":\"slow request\",\"traceId\":\"t1\"}
{\"timestamp\":\"2024-01-15T10:00:03Z\",\"level\":\"ERROR\",\"service\":\"covet-api\",\"message\":\"upstream failed\",\"traceId\":\"t1\"}
";

/// Runs covet-logs in a pseudo-terminal (`script`), with `env`; (exit code, what the
/// terminal showed, what the pager received or None when it did not run).
fn in_pty(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> Option<(i32, String, Option<String>)> {
    let mut line = shell_quote(env!("CARGO_BIN_EXE_covet-logs"));
    for a in args {
        line.push(' ');
        line.push_str(&shell_quote(a));
    }
    in_pty_line(dir, &line, env)
}

/// As `in_pty`, for a shell command line.
fn in_pty_line(
    dir: &Dir,
    line: &str,
    env: &[(&str, &str)],
) -> Option<(i32, String, Option<String>)> {
    if !have("script") {
        println!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let out_file = dir.join("paged.txt");
    let _ = std::fs::remove_file(&out_file);
    let mut cmd = Command::new("script");
    cmd.args(["-qec", line, "/dev/null"])
        .current_dir(dir.path())
        .env("PAGER", recording_pager(dir))
        .env_remove("COVET_LOGS_PAGER")
        .env_remove("LESS")
        .env("PAGER_OUT", &out_file)
        .env("COVET_LOGS_STATE_DIR", dir.join("state"))
        .env("COVET_LOGS_NO_HISTORY", "1")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    let paged = std::fs::read_to_string(&out_file).ok();
    Some((out.status.code().unwrap_or(-1), shown, paged))
}

#[test]
fn search_context_and_stats_page_on_a_terminal() {
    let dir = Dir::new();
    dir.create("app.jsonl", PAGED_LOG);
    let Some((code, shown, paged)) = in_pty(
        &dir,
        &["search", "level:ERROR", "app.jsonl", "--color", "never"],
        &[],
    ) else {
        return;
    };
    assert_eq!(code, 0);
    assert_eq!(shown, "", "the terminal shows only what the pager shows");
    let paged = paged.expect("the pager ran");
    insta::assert_snapshot!("paged_search", paged);
    assert_eq!(
        std::fs::read_to_string(dir.join("paged.txt.env")).unwrap(),
        "LESS=FRX\n"
    );
    // colors are decided by the real terminal, and reach the pager
    let (_, _, colored) = in_pty(&dir, &["search", "level:ERROR", "app.jsonl"], &[]).unwrap();
    assert!(colored.unwrap().contains("\x1b[31mERROR"));
    // context and stats too; COVET_LOGS_PAGER wins over PAGER
    let (code, shown, paged) =
        in_pty(&dir, &["context", "app.jsonl:2", "--color", "never"], &[]).unwrap();
    assert_eq!((code, shown.as_str()), (0, ""));
    assert!(paged.unwrap().contains("connection refused"));
    let other = dir.create("other.sh", "#!/bin/sh\ncat > \"$PAGER_OUT.other\"\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, shown, paged) = in_pty(
        &dir,
        &["stats", "app.jsonl", "--color", "never"],
        &[("COVET_LOGS_PAGER", other.to_str().unwrap())],
    )
    .unwrap();
    assert_eq!((code, shown.as_str(), paged), (0, "", None));
    let stats = std::fs::read_to_string(dir.join("paged.txt.other")).unwrap();
    assert!(stats.contains("Total"), "{stats}");
}

#[test]
fn no_pager_when_never_piped_or_following() {
    let dir = Dir::new();
    dir.create("app.jsonl", PAGED_LOG);
    // --paging never on a terminal: straight to the terminal, exit code kept
    let Some((code, shown, paged)) = in_pty(
        &dir,
        &[
            "search",
            "level:ERROR",
            "app.jsonl",
            "--color",
            "never",
            "--paging",
            "never",
        ],
        &[],
    ) else {
        return;
    };
    assert_eq!(code, 0);
    assert_eq!(paged, None);
    assert!(
        shown.contains("connection refused") && shown.contains("upstream failed"),
        "{shown}"
    );
    // nothing matched: the pager's exit does not hide exit 1
    let (code, _, _) = in_pty(&dir, &["search", "nomatchatall", "app.jsonl"], &[]).unwrap();
    assert_eq!(code, 1);
    // piped: no pager with auto, a pager with always
    let run = |paging: &str| {
        Command::new(env!("CARGO_BIN_EXE_covet-logs"))
            .args(["search", "level:ERROR", "app.jsonl", "--paging", paging])
            .current_dir(dir.path())
            .env("PAGER", recording_pager(&dir))
            .env("PAGER_OUT", dir.join("piped.txt"))
            .env("COVET_LOGS_NO_HISTORY", "1")
            .output()
            .unwrap()
    };
    let out = run("auto");
    assert!(String::from_utf8_lossy(&out.stdout).contains("upstream failed"));
    assert!(!dir.join("piped.txt").exists());
    let out = run("always");
    assert_eq!(out.stdout, b"");
    assert!(std::fs::read_to_string(dir.join("piped.txt"))
        .unwrap()
        .contains("upstream failed"));
    // a pager that cannot be run: said on stderr, exit 2
    let out = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .args(["search", "level:ERROR", "app.jsonl", "--paging", "always"])
        .current_dir(dir.path())
        .env("PAGER", "no-such-pager-here")
        .env("COVET_LOGS_NO_HISTORY", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).ends_with(
        "covet-logs: pager `no-such-pager-here`: could not be run; set COVET_LOGS_PAGER or PAGER, or use --paging never\n"
    ));
    // following: never paged (`timeout` ends the follow after a second)
    let bin = env!("CARGO_BIN_EXE_covet-logs");
    let line = format!(
        "timeout --foreground 1 {bin} search -f level:ERROR app.jsonl --color never --no-status; true"
    );
    let (_, shown, paged) = in_pty_line(&dir, &line, &[]).unwrap();
    assert_eq!(paged, None);
    assert!(shown.contains("upstream failed"), "{shown}");
}

// ---- the stats dashboard ----

/// `stats` of generated logs laid out for `cols` x `rows` (the hidden --width/--height,
/// as a terminal of that size would give).
fn dashboard(dir: &Dir, cols: usize, rows: usize) -> String {
    let out = dir
        .command()
        .args([
            "stats",
            "app.jsonl",
            "--color",
            "never",
            "--paging",
            "never",
        ])
        .args(["--width", &cols.to_string(), "--height", &rows.to_string()])
        .run();
    out.expect_code(0).expect_stderr_empty();
    out.stdout_str()
}

fn gen_dir() -> Dir {
    let dir = Dir::new();
    dir.create_gen(
        "app.jsonl",
        &util::gen_cfg(3000, 14, covet_gen::GenFormat::Json),
    );
    dir
}

#[test]
fn dashboard_fits_80x24() {
    let dir = gen_dir();
    let text = dashboard(&dir, 80, 24);
    // one row is left for the prompt; no line is wider than the screen
    assert_eq!(text.lines().count(), 23, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    insta::assert_snapshot!("dashboard_80x24", text);
}

#[test]
fn dashboard_fits_160x48() {
    let dir = gen_dir();
    let text = dashboard(&dir, 160, 48);
    assert!(text.lines().count() <= 47, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 160, "{line:?}");
    }
    // room for the error-rate row
    assert!(text.lines().any(|l| l.contains("% │")), "{text}");
    insta::assert_snapshot!("dashboard_160x48", text);
}

#[test]
fn piped_or_full_dashboard_has_everything_and_errors_by_service() {
    let dir = gen_dir();
    let piped = dir
        .command()
        .args(["stats", "app.jsonl", "--color", "never"])
        .run();
    piped.expect_code(0);
    let full = dir
        .command()
        .args(["stats", "app.jsonl", "--color", "never", "--full"])
        .args(["--width", "100", "--height", "24"])
        .run();
    full.expect_code(0);
    let text = piped.stdout_str();
    assert!(text.lines().count() > 40, "{text}");
    for section in [
        "By service",
        "By source",
        "Errors by service",
        "Top errors",
        "Insights",
    ] {
        assert!(text.contains(section), "{section}: {text}");
    }
    assert!(full.stdout_str().lines().count() > 40);
    // errors by service: the counts agree with --json's errorDistribution
    let json = dir.command().args(["stats", "app.jsonl", "--json"]).run();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let after = text.split("Errors by service").nth(1).unwrap();
    for d in doc["errorDistribution"].as_array().unwrap() {
        let (name, n) = (d["name"].as_str().unwrap(), d["value"].as_u64().unwrap());
        if n == 0 {
            continue;
        }
        let line = after
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap();
        let count: String = line.split_whitespace().nth(1).unwrap().replace(',', "");
        assert_eq!(count.parse::<u64>().unwrap(), n, "{line}");
    }
}

#[test]
fn stats_follow_redraws_in_place_on_the_alternate_screen() {
    let dir = gen_dir();
    let bin = env!("CARGO_BIN_EXE_covet-logs");
    let line = format!(
        "timeout --foreground -s INT 3 {bin} stats -f app.jsonl --color never --width 80 --height 24; true"
    );
    let Some((_, shown, paged)) = in_pty_line(&dir, &line, &[]) else {
        return;
    };
    assert_eq!(paged, None, "following never pages");
    assert!(shown.starts_with("\x1b[?1049h\x1b[?25l\x1b[H"), "{shown:?}");
    assert!(
        !shown.contains("\x1b[2J"),
        "no full clears: frames overwrite in place"
    );
    let (live, after) = shown
        .split_once("\x1b[?25h\x1b[?1049l")
        .expect("left the alternate screen");
    assert!(live.matches("\x1b[H").count() >= 1);
    // each frame's lines end clearing the rest of the line, and the frame the rest of the screen
    assert!(
        live.contains("\x1b[K\n") && live.ends_with("\x1b[J"),
        "{live:?}"
    );
    // one dashboard left on the normal screen, the compact one for 80x24
    assert_eq!(after.matches("covet-logs stats").count(), 1);
    assert_eq!(after.lines().count(), 23, "{after}");
}

#[test]
fn readme_shows_the_current_compact_dashboard() {
    let dir = Dir::new();
    let out = dir
        .command()
        .args([
            "stats", "--color", "never", "--width", "80", "--height", "24",
        ])
        .arg(repo().join("examples/logs"))
        .run();
    out.expect_code(0);
    let indented: String = out
        .stdout_str()
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("    {l}\n")
            }
        })
        .collect();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains(&indented),
        "README's dashboard capture is stale:\n{indented}"
    );
}
