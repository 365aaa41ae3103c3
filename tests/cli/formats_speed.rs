//! Issue 11's fast paths, checked by what a user sees: the empty-result hint after a
//! level search (answered from the search itself when it was only a level test, the
//! levels then read without parsing), wrapped lines read without copies, a wrapper
//! forced with `--format`. Each sample is written from the format's documented shape.

use crate::util::{thousands, Dir, Output};

fn search(dir: &Dir, args: &[&str]) -> Output {
    dir.command().arg("search").args(args).run()
}

fn expect(out: &Output, stdout: &str, stderr: &str, code: i32) {
    assert_eq!(out.stdout_str(), stdout, "{}", out.context());
    assert_eq!(out.stderr, stderr, "{}", out.context());
    assert_eq!(out.code, Some(code), "{}", out.context());
}

// journalctl -o short-iso: no level anywhere.
const JOURNALD: &str = "\
2024-01-15T10:00:00+0100 web1 sshd[811]: Accepted publickey for deploy from 10.0.0.7
2024-01-15T10:00:02+0100 web1 systemd[1]: Started Session 4 of user deploy.
2024-01-15T10:00:05+0100 web1 sshd[811]: error: Received disconnect from 10.0.0.7
";

// logback's default layout with a date.
const LOGBACK: &str = "\
2024-01-15 10:00:00.000 [main] INFO  com.example.App - started
2024-01-15 10:00:01.000 [http-1] WARN  com.example.Api - slow request
2024-01-15 10:00:02.000 [http-2] ERROR com.example.Db - query failed
java.sql.SQLException: timeout
\tat com.example.Db.run(Db.java:42)
";

#[test]
fn a_level_search_on_a_format_without_levels_says_so() {
    let dir = Dir::new();
    dir.create("j.log", JOURNALD);
    let hint = "covet-logs: no entry at the level asked; no entry in the inputs has a level\n";
    for args in [
        &["-c", "level:>=WARN", "j.log"][..],
        &["-c", "-l", "ERROR", "", "j.log"],
        &["-c", "level:ERROR OR level:FATAL", "j.log"],
    ] {
        expect(&search(&dir, args), "0\n", hint, 1);
    }
    // With a window, the span is read too (and the window is inside it).
    let out = search(
        &dir,
        &[
            "-c",
            "--since",
            "2024-01-15T08:00:00Z",
            "level:>=WARN",
            "j.log",
        ],
    );
    expect(&out, "0\n", hint, 1);
}

#[test]
fn the_level_hint_counts_levels_of_every_entry() {
    let dir = Dir::new();
    dir.create("a.log", LOGBACK);
    let out = search(&dir, &["-c", "level:FATAL", "a.log"]);
    let hint =
        "covet-logs: no entry at the level asked; levels in the inputs: INFO 1, WARN 1, ERROR 1\n";
    expect(&out, "0\n", hint, 1);
    // Another test left everything out, not the level: no level hint (the search was
    // not only a level test, so its empty result says nothing about the level).
    for args in [
        &[
            "-c",
            "--service",
            "nothing.like.this",
            "-l",
            "ERROR",
            "",
            "a.log",
        ][..],
        &["-c", "level:ERROR AND message:nothinglikethis", "a.log"],
        &["-c", "-s", "level:ERROR nothinglikethis", "a.log"],
    ] {
        expect(&search(&dir, args), "0\n", "", 1);
    }
}

/// `n` logback entries whose levels cycle through `levels`, every seventh with a stack
/// trace under it; and how many entries of each level there are, counted here.
fn logback_entries(n: usize, levels: &[&str]) -> (String, Vec<(String, usize)>) {
    let mut text = String::new();
    let mut counts: Vec<(String, usize)> = levels.iter().map(|l| (l.to_string(), 0)).collect();
    for i in 0..n {
        let k = (i * 7 + i / 3) % levels.len();
        counts[k].1 += 1;
        text.push_str(&format!(
            "2024-01-15 10:{:02}:{:02}.000 [main] {:<5} com.example.App - step {i}\n",
            i / 60 % 60,
            i % 60,
            levels[k]
        ));
        if i % 7 == 0 {
            text.push_str("java.io.IOException: closed\n\tat com.example.Db.run(Db.java:42)\n");
        }
    }
    (text, counts)
}

#[test]
fn the_level_hint_from_the_search_itself_counts_every_chunk_of_every_input() {
    let dir = Dir::new();
    let (a, mut counts) = logback_entries(3000, &["TRACE", "DEBUG", "INFO", "WARN"]);
    let (b, more) = logback_entries(1000, &["INFO", "WARN"]);
    dir.create("a.log", &a);
    dir.create("b.log", &b);
    for (level, n) in more {
        counts.iter_mut().find(|(l, _)| *l == level).unwrap().1 += n;
    }
    let listed: Vec<String> = counts
        .iter()
        .map(|(l, n)| format!("{l} {}", thousands(*n)))
        .collect();
    let hint = format!(
        "covet-logs: no entry at the level asked; levels in the inputs: {}\n",
        listed.join(", ")
    );
    // Small chunks on two threads: the tally adds up many regions read in parallel.
    // `-m` keeps the search from tallying: the hint then reads the inputs again, and
    // says the same.
    for extra in [&[][..], &["-m", "100000"]] {
        for query in [&["level:>=ERROR"][..], &["-l", "FATAL", "-l", "ERROR", ""]] {
            let mut args = vec!["-c", "-j2", "--chunk-size", "4096"];
            args.extend_from_slice(extra);
            args.extend_from_slice(query);
            args.extend_from_slice(&["a.log", "b.log"]);
            expect(&search(&dir, &args), "0\n", &hint, 1);
        }
    }
    // Printing instead of counting, and blocks an index proves hold no match (the search
    // then skips them and the hint reads them).
    let out = search(
        &dir,
        &[
            "-j2",
            "--chunk-size",
            "4096",
            "level:FATAL",
            "a.log",
            "b.log",
        ],
    );
    expect(&out, "", &hint, 1);
    let indexed = dir
        .command()
        .args(["index", "--chunk-size", "4096", "a.log", "b.log"])
        .run();
    indexed.expect_code(0);
    let out = search(
        &dir,
        &["-c", "--index", "auto", "level:FATAL", "a.log", "b.log"],
    );
    expect(&out, "0\n", &hint, 1);
}

// A CRI container log after four bare lines an init step wrote: only 3 of 7 lines are
// in the envelope, too few for detection to choose it.
const CRI_FEW: &str = "\
starting container
pulling image
image pulled
mounting volumes
2024-05-07T12:04:17.597069Z stderr F 2024-05-07 12:04:17.597 [main] ERROR a.B - failed
2024-05-07T12:04:18.000000Z stdout F 2024-05-07 12:04:18.000 [main] INFO  a.B - retrying
2024-05-07T12:04:19.000000Z stdout F 2024-05-07 12:04:19.000 [main] WARN  a.B - slow
";

#[test]
fn format_forces_a_wrapper_and_detects_the_inner_format() {
    let dir = Dir::new();
    dir.create("c.log", CRI_FEW);
    // Detected: not wrapped, no `stream` field.
    let hint = "covet-logs: no entry has a field `stream`\n";
    expect(
        &search(&dir, &["-c", "stream:stderr", "c.log"]),
        "0\n",
        hint,
        1,
    );
    let forced = |query: &str| search(&dir, &["-c", "--format", "cri", query, "c.log"]);
    expect(&forced("stream:stderr"), "1\n", "", 0);
    expect(&forced("level:>=WARN"), "2\n", "", 0);
    // Each bare line is an entry of its own.
    expect(&forced(""), "7\n", "", 0);
    let out = search(&dir, &["--format", "cri", "--json", "level:ERROR", "c.log"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(v["message"], "failed", "{}", out.context());
    assert_eq!(v["service"], "a.B", "{}", out.context());
    assert_eq!(v["metadata"]["stream"], "stderr", "{}", out.context());
    assert_eq!(out.code, Some(0));
    // A name that is neither a format nor a wrapper is refused.
    let out = search(&dir, &["--format", "crio", "x", "c.log"]);
    assert_eq!(out.code, Some(2), "{}", out.context());
}
