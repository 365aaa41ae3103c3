//! Issue 14, the terminal views: shell completions run in the real shells, the
//! `completions`/`man` commands, query suggestions, the pager, and the stats dashboard
//! laid out for the terminal size.

mod util;

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
}

#[test]
fn zsh_completes_subcommands_flags_files_and_queries() {
    if !have("zsh") {
        println!("skipped: zsh is not installed (.ci/run installs it with apt-get)");
        return;
    }
    let logs = Logs::new();
    check_shell("zsh", |l| logs.zsh(l), true);
}

#[test]
fn fish_completes_subcommands_flags_files_and_queries() {
    if !have("fish") {
        println!("skipped: fish is not installed (.ci/run installs it with apt-get)");
        return;
    }
    let logs = Logs::new();
    check_shell("fish", |l| logs.fish(l), true);
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
