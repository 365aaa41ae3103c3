//! `--engine datafusion` (feature `cluster`): every query form run by the local engine
//! and by DataFusion on the same generated JSON and text logs (and a Parquet export,
//! and a hand-made file of logfmt, colour codes and non-ASCII text), whole outputs of
//! `search -c`, `search --json`, `export --format ndjson` and the terminal's forms
//! (`search -n`, coloured `--newest-first`, `-o`, `-C 1`) compared byte for byte,
//! exit codes too; counts also checked against the generator's truth. The one module
//! of the CLI suite that runs DataFusion, so it links into one test binary.

use crate::util;

#[cfg(feature = "cluster")]
use covet_gen::GenFormat;
use util::Dir;
#[cfg(feature = "cluster")]
use util::{gen_cfg, gen_entries, truth_matching};

/// Query forms of the CLI suite, one or more per kind of term, with the extra flags
/// they are typed with.
#[cfg(feature = "cluster")]
const QUERIES: &[(&str, &[&str])] = &[
    // words and phrases, case rules
    ("timeout", &[]),
    ("TIMEOUT", &[]),
    ("Timeout", &["-s"]),
    ("\"connection refused\"", &[]),
    ("\"Cache hit\"", &["-s"]),
    ("user_456", &[]),
    // regexes
    ("/time(out|d)/", &[]),
    ("/^2024-01-15 00:0[0-3]/", &[]),
    ("/TIME(OUT)?/", &["-s"]),
    ("time.ut", &["--regex"]),
    // fields: equals, wildcards, contains, regex
    ("service:covet-db", &[]),
    ("service:COVET-DB", &[]),
    ("service:COVET-DB", &["-s"]),
    ("service:covet-*", &[]),
    ("service:covet-?b", &[]),
    ("source:*.rs:1?", &[]),
    ("message:~pool", &[]),
    ("message:\"pool exhausted\"", &[]),
    ("user_id:/user_4\\d\\d/", &[]),
    ("userId:user_324", &[]),
    ("requestId:req_*", &[]),
    ("trace_id:*", &[]),
    ("id:log_0000000002", &[]),
    ("tags:api", &[]),
    ("tags:*", &[]),
    // levels
    ("level:ERROR", &[]),
    ("level:error", &[]),
    ("level:>=WARN", &[]),
    ("level:<INFO", &[]),
    ("level:DEBUG..INFO", &[]),
    ("level:*", &[]),
    ("level:~warn", &[]),
    // times
    ("timestamp:2024-01-15T00:01", &[]),
    ("timestamp:>2024-01-15T00:00:30", &[]),
    ("timestamp:2024-01-15T00:00:10..2024-01-15T00:00:20", &[]),
    (
        "timeout",
        &[
            "--since",
            "2024-01-15T00:00:20",
            "--until",
            "2024-01-15T00:00:40",
        ],
    ),
    // metadata: numbers, ranges, paths, any depth, exists
    ("duration_ms:>1000", &[]),
    ("duration_ms:100..500", &[]),
    ("duration_ms:31", &[]),
    ("status:500..599", &[]),
    ("status:>=400 level:ERROR", &[]),
    ("metadata.endpoint:/health", &[]),
    ("endpoint:/api/*", &[]),
    ("metadata.duration_ms:<10", &[]),
    ("endpoint:*", &[]),
    ("nosuchfield:*", &[]),
    // NOT, OR, parentheses
    ("level:ERROR (timeout OR refused)", &[]),
    ("service:covet-db OR service:covet-cache", &[]),
    ("-level:DEBUG", &[]),
    ("NOT (timeout OR refused) level:>=WARN", &[]),
    ("NOT endpoint:*", &[]),
    ("cache OR hit OR miss", &[]),
    ("(level:ERROR OR level:FATAL) -service:covet-db", &[]),
    // flag terms, rg flags
    ("", &["-l", "ERROR", "-l", ">=FATAL"]),
    ("timeout", &["--service", "covet-api"]),
    ("", &["--source", "pool.rs:*"]),
    ("timeout", &["-v"]),
    ("time", &["-w"]),
    ("a.b", &["-F"]),
    ("level:INFO", &["-m", "7"]),
];

/// The outputs and exit code of one command run by both engines.
#[cfg(feature = "cluster")]
fn both(dir: &Dir, args: &[&str]) -> (Vec<u8>, Option<i32>) {
    both_on(dir, args, "datafusion")
}

/// The outputs and exit code of one command run by the local engine and `engine`.
#[cfg(feature = "cluster")]
fn both_on(dir: &Dir, args: &[&str], engine: &str) -> (Vec<u8>, Option<i32>) {
    let local = dir.command().args(args).run();
    let mut df_args = args.to_vec();
    df_args.insert(1, "--engine");
    df_args.insert(2, engine);
    let df = dir.command().args(&df_args).run();
    same_run(&df, &local, &format!("{args:?}"));
    (local.stdout, local.code)
}

/// Another engine's run printed what the local engine's did: stdout, stderr and exit
/// code (`what` names the command in a failure).
#[cfg(feature = "cluster")]
fn same_run(other: &util::Output, local: &util::Output, what: &str) {
    assert_eq!(
        String::from_utf8_lossy(&other.stdout),
        String::from_utf8_lossy(&local.stdout),
        "stdout of {what}"
    );
    assert_eq!(other.stderr, local.stderr, "stderr of {what}");
    assert_eq!(other.code, local.code, "exit code of {what}");
}

/// `search -c`, `search --json` (unless `!json`), `export` and the terminal's forms of
/// every `step`th query on `inputs`, both ways, on two threads; returns how many
/// queries matched something.
#[cfg(feature = "cluster")]
fn compare_all(dir: &Dir, inputs: &[&str], step: usize, json: bool) -> usize {
    compare_on(dir, inputs, (step, 1), json, "datafusion", &[])
}

/// `compare_all` against `engine`, each command typed with `extra` flags too; of the
/// queries picked by `step.0`, the terminal's forms run on every `step.1`th.
#[cfg(feature = "cluster")]
fn compare_on(
    dir: &Dir,
    inputs: &[&str],
    step: (usize, usize),
    json: bool,
    engine: &str,
    extra: &[&str],
) -> usize {
    let one = |i: usize, (query, flags): &(&str, &[&str])| -> usize {
        // `--query=` so that a query starting with `-` is not read as a flag.
        let q = format!("--query={query}");
        let run = |cmd: &[&str]| {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend_from_slice(flags);
            args.extend_from_slice(extra);
            if !query.is_empty() {
                args.push(&q);
            }
            args.extend_from_slice(inputs);
            both_on(dir, &args, engine)
        };
        let (count, code) = run(&["search", "-c"]);
        assert!(matches!(code, Some(0 | 1)), "{query}: exit {code:?}");
        let n: u64 = String::from_utf8_lossy(&count)
            .trim()
            .parse()
            .expect("a count");
        if json {
            let (out, _) = run(&["search", "--json"]);
            let lines = out.split(|&b| b == b'\n').filter(|l| !l.is_empty());
            assert_eq!(lines.count() as u64, n, "{query}: --json lines");
        }
        run(&["export", "--format", "ndjson"]);
        if i.is_multiple_of(step.1) {
            // The terminal's outputs too: the raw text with line numbers, the coloured
            // pretty form newest first, the matched parts alone, and each match with
            // the entries around it.
            run(&["search", "-n"]);
            run(&["search", "--color", "always", "--newest-first"]);
            run(&["search", "-o"]);
            run(&["search", "-C", "1", "-n"]);
        }
        usize::from(code == Some(0))
    };
    let picked: Vec<_> = QUERIES.iter().step_by(step.0).enumerate().collect();
    let (a, b) = picked.split_at(picked.len() / 2);
    std::thread::scope(|s| {
        let first = s.spawn(|| a.iter().map(|(i, q)| one(*i, q)).sum::<usize>());
        let second: usize = b.iter().map(|(i, q)| one(*i, q)).sum();
        first.join().expect("first half") + second
    })
}

#[cfg(feature = "cluster")]
#[test]
fn every_query_form_gives_the_local_output_on_json_text_and_parquet() {
    let dir = Dir::new();
    for (format, name) in [(GenFormat::Json, "app.jsonl"), (GenFormat::Text, "app.log")] {
        let cfg = gen_cfg(3000, 17, format);
        dir.create_gen(name, &cfg);
        let entries = gen_entries(&cfg);
        // The counts are the generator's truth (so the comparison is not of two
        // equally wrong answers).
        for query in [
            "level:ERROR",
            "level:>=WARN service:covet-db",
            "timeout",
            "-level:DEBUG",
        ] {
            let truth = truth_matching(&cfg, &entries, query).len() as u64;
            let q = format!("--query={query}");
            let got = dir
                .command()
                .args(["search", "--engine", "datafusion", "-c", &q, name])
                .run();
            assert_eq!(got.count(), truth, "{name}: {query}");
        }
        let matched = compare_all(&dir, &[name], 1, true);
        assert!(
            matched >= 35,
            "{name}: only {matched} queries matched anything"
        );
    }
    dir.command()
        .args([
            "export",
            "--format",
            "parquet",
            "-o",
            "app.parquet",
            "app.jsonl",
        ])
        .run()
        .expect_code(0);
    compare_all(&dir, &["app.parquet"], 2, false);
    // Several inputs: merged by time, as the local engine merges them.
    compare_all(&dir, &["app.jsonl", "app.log"], 2, true);
}

/// Case rules and raw-text rules on what generated data does not hold: colour codes,
/// non-ASCII letters, logfmt values typed as numbers, a line without a timestamp.
#[cfg(feature = "cluster")]
#[test]
fn hand_made_lines_give_the_local_output() {
    let dir = Dir::new();
    dir.create(
        "odd.log",
        "ts=2024-01-15T00:00:01Z level=error msg=\"Ünïcode ÉCOLE failed\" n=12 svc=Σίσυφος\n\
         ts=2024-01-15T00:00:02Z level=warn msg=\"\x1b[31mtimeout\x1b[0m on db\" n=3e1\n\
         ts=2024-01-15T00:00:03Z level=http msg=\"GET / \" n=abc k=ok\n\
         ts=2024-01-15T00:00:04Z msg=\"no level at all\" n=7.5\n\
         level=info msg=\"no time\"\n"
            .as_bytes(),
    );
    let queries = [
        "école",
        "ÉCOLE",
        "ünïcode",
        "timeout",
        "\"timeout on\"",
        "level:http",
        "level:HTTP",
        "level:*",
        "-level:*",
        "n:>10",
        "n:30",
        "n:abc",
        "n:7..8",
        "svc:σίσυφος",
        "svc:Σίσυφος",
        "k:*",
        "-k:*",
        "timestamp:*",
        "message:~on",
        "msg:*",
    ];
    for q in queries {
        for flags in [&[][..], &["-s"]] {
            let mut args = vec!["search", "-c"];
            args.extend_from_slice(flags);
            let q = format!("--query={q}");
            args.extend([q.as_str(), "odd.log"]);
            both(&dir, &args);
            args[1] = "--json";
            both(&dir, &args);
        }
    }
}

/// A forced wrapper (`--format cri`, the inner format detected) is the format the engine
/// reads with: the inner lines' levels and loggers, the partial line joined to the next.
#[cfg(feature = "cluster")]
#[test]
fn a_forced_wrapper_format_is_read_by_the_engine_too() {
    forced_wrapper_reads_as_locally(&Dir::new(), "datafusion");
}

/// [`a_forced_wrapper_format_is_read_by_the_engine_too`] on `engine` (on a cluster the
/// format reaches the executors by its name).
#[cfg(feature = "cluster")]
fn forced_wrapper_reads_as_locally(dir: &Dir, engine: &str) {
    let mut text = String::new();
    for i in 0..40 {
        let level = ["INFO", "WARN", "ERROR", "DEBUG"][i % 4];
        let tag = if i % 9 == 4 { "P" } else { "F" };
        text.push_str(&format!(
            "2024-05-07T12:04:{:02}.597069Z stdout {tag} 2024-05-07 12:04:{:02}.597 [main] {level:<5} a.B{} - step {i}\n",
            i % 60,
            i % 60,
            i % 3
        ));
    }
    dir.create("pod.log", text.as_bytes());
    // A partial line (`P`) is joined to the next: the next line starts no entry. Each
    // entry keeps its first line's level.
    let starts: Vec<usize> = (0..40).filter(|i| i % 9 != 5).collect();
    let level_in = |levels: &[usize]| starts.iter().filter(|i| levels.contains(&(*i % 4))).count();
    let expected = [
        ("level:>=WARN", level_in(&[1, 2])),
        ("step", starts.len()),
        ("-level:ERROR", starts.len() - level_in(&[2])),
        (
            "service:a.B1",
            starts.iter().filter(|i| *i % 3 == 1).count(),
        ),
    ];
    for (query, want) in expected {
        let q = format!("--query={query}");
        for cmd in [
            &["search", "-c"][..],
            &["search", "--json"],
            &["export", "--format", "ndjson"],
        ] {
            let mut args = cmd.to_vec();
            let flag = match cmd[0] {
                "export" => "--input-format",
                _ => "--format",
            };
            args.extend([flag, "cri", q.as_str(), "pod.log"]);
            let (out, _) = both_on(dir, &args, engine);
            let got = match cmd[1] {
                "-c" => String::from_utf8_lossy(&out)
                    .trim()
                    .parse::<usize>()
                    .expect("a count"),
                _ => out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count(),
            };
            assert_eq!(got, want, "{cmd:?} {query}");
        }
    }
    // Four bare lines an init step wrote before the envelope: too few envelope lines
    // for detection to choose it, so only the forced wrapper reads them as CRI (the
    // client's process knows it was forced; the executors are told).
    dir.create(
        "few.log",
        b"starting container\npulling image\nimage pulled\nmounting volumes\n\
          2024-05-07T12:04:17.597069Z stderr F 2024-05-07 12:04:17.597 [main] ERROR a.B - failed\n\
          2024-05-07T12:04:18.000000Z stdout F 2024-05-07 12:04:18.000 [main] INFO  a.B - retrying\n\
          2024-05-07T12:04:19.000000Z stdout F 2024-05-07 12:04:19.000 [main] WARN  a.B - slow\n",
    );
    let forced = both_on(
        dir,
        &[
            "search",
            "--json",
            "--format",
            "cri",
            "service:a.B",
            "few.log",
        ],
        engine,
    );
    let detected = dir
        .command()
        .args(["search", "--json", "service:a.B", "few.log"])
        .run();
    assert_ne!(
        forced.0, detected.stdout,
        "forcing the wrapper changes what is read"
    );
    let services = String::from_utf8_lossy(&forced.0)
        .matches(r#""service":"a.B""#)
        .count();
    assert_eq!(services, 3, "{}", String::from_utf8_lossy(&forced.0));
}

/// Every export format, Parquet bytes included, is the local engine's.
#[cfg(feature = "cluster")]
#[test]
fn every_export_format_is_the_local_one() {
    let dir = Dir::new();
    dir.create_gen("app.log", &gen_cfg(800, 5, GenFormat::Text));
    for format in ["ndjson", "json", "csv", "txt", "raw"] {
        both(
            &dir,
            &["export", "--format", format, "level:>=WARN", "app.log"],
        );
    }
    both(
        &dir,
        &[
            "export",
            "--fields",
            "timestamp,level,metadata.duration_ms",
            "--format",
            "csv",
            "timeout",
            "app.log",
        ],
    );
    for (engine, file) in [("local", "a.parquet"), ("datafusion", "b.parquet")] {
        dir.command()
            .args([
                "export",
                "--engine",
                engine,
                "--format",
                "parquet",
                "-o",
                file,
                "level:>=WARN",
                "app.log",
            ])
            .run()
            .expect_code(0);
    }
    assert_eq!(
        std::fs::read(dir.join("a.parquet")).expect("a.parquet"),
        std::fs::read(dir.join("b.parquet")).expect("b.parquet")
    );
}

/// An unknown engine or a `df://` without a port is refused (one line, exit 2 each).
#[cfg(feature = "cluster")]
#[test]
fn unknown_engines_are_one_line_errors() {
    let dir = Dir::new();
    dir.create(
        "a.log",
        b"2024-01-15 00:00:00.000 [ERROR] api x.rs:1 boom\n",
    );
    let cases: [(&[&str], &str); 2] = [
        (
            &["search", "-c", "--engine", "df://127.0.0.1", "boom", "a.log"],
            "covet-logs: --engine: df://127.0.0.1: expected df://HOST:PORT (the scheduler's address)\n",
        ),
        (
            &["search", "-c", "--engine", "spark", "boom", "a.log"],
            "covet-logs: --engine: unknown engine 'spark' (expected local, datafusion or df://HOST:PORT)\n",
        ),
    ];
    for (args, want) in cases {
        let out = dir.command().args(args).run();
        out.expect_code(2);
        assert_eq!(out.stderr, want, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// Without the feature, `--engine datafusion` says which build has it.
#[cfg(not(feature = "cluster"))]
#[test]
fn without_the_feature_datafusion_is_refused_in_one_line() {
    let dir = Dir::new();
    dir.create(
        "a.log",
        b"2024-01-15 00:00:00.000 [ERROR] api x.rs:1 boom\n",
    );
    let out = dir
        .command()
        .args(["search", "-c", "--engine", "datafusion", "boom", "a.log"])
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: --engine: datafusion needs a build with the `cluster` feature (cargo build --features cluster)\n"
    );
    let cases: [(&[&str], &str); 3] = [
        (
            &["search", "-c", "--engine", "df://h:1", "boom", "a.log"],
            "covet-logs: --engine: df://h:1 needs a build with the `cluster` feature (cargo build --features cluster)\n",
        ),
        (
            &["cluster", "scheduler"],
            "covet-logs: cluster scheduler: needs a build with the `cluster` feature (cargo build --features cluster)\n",
        ),
        (
            &["cluster", "executor", "--scheduler", "h:1"],
            "covet-logs: cluster executor: needs a build with the `cluster` feature (cargo build --features cluster)\n",
        ),
    ];
    for (args, want) in cases {
        let out = dir.command().args(args).run();
        out.expect_code(2);
        assert_eq!(out.stderr, want, "{args:?}");
    }
}

/// A scheduler or an executor listens off loopback only when told the services are
/// unauthenticated (checked before anything starts, so in every build).
#[test]
fn a_cluster_process_binds_off_loopback_only_when_told_it_is_unauthenticated() {
    let dir = Dir::new();
    let refused = |bind: &str| {
        format!(
            "covet-logs: --bind {bind}: not a loopback address, and Ballista's services have \
             no authentication or encryption: add --unauthenticated to listen there (a \
             private network only)\n"
        )
    };
    for bind in ["0.0.0.0:0", "10.1.2.3:50050", "[::]:0"] {
        for args in [
            vec!["cluster", "scheduler", "--bind", bind],
            vec![
                "cluster",
                "executor",
                "--scheduler",
                "127.0.0.1:1",
                "--bind",
                bind,
            ],
        ] {
            let out = dir.command().args(&args).run();
            out.expect_code(2);
            assert_eq!(out.stderr, refused(bind), "{args:?}");
            assert!(out.stdout.is_empty(), "{args:?}");
        }
    }
    // Loopback names and addresses pass the check (then, without the feature, the
    // build says what it lacks; with it, the bind itself is what the other tests run).
    #[cfg(not(feature = "cluster"))]
    for bind in ["127.0.0.1:0", "localhost:0", "[::1]:0"] {
        let out = dir
            .command()
            .args(["cluster", "scheduler", "--bind", bind])
            .run();
        out.expect_code(2);
        assert_eq!(
            out.stderr,
            "covet-logs: cluster scheduler: needs a build with the `cluster` feature (cargo build --features cluster)\n"
        );
    }
}

/// A `covet-logs cluster ...` process, killed when dropped.
#[cfg(feature = "cluster")]
pub(crate) struct Node {
    child: std::process::Child,
    /// The address it printed that it listens on.
    addr: String,
}

#[cfg(feature = "cluster")]
impl Node {
    /// Starts `covet-logs cluster ARGS` and waits (up to two minutes: a loaded
    /// machine) for the line that says where it listens.
    fn start(dir: &Dir, args: &[&str]) -> Node {
        Node::start_env(dir, args, &[])
    }

    /// `start`, with these variables added to the process's environment.
    fn start_env(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> Node {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let mut child = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
            .arg("cluster")
            .args(args)
            .envs(env.iter().copied())
            .current_dir(dir.path())
            .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
            .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
            .env("COVET_LOGS_CACHE_DIR", dir.join(".covet-cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("covet-logs cluster");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads on to the end, so the process never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut node = Node {
            child,
            addr: String::new(),
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while node.addr.is_empty() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("cluster {args:?}: no 'listening on' line"));
            if let Some(rest) = line.split("listening on ").nth(1) {
                node.addr = rest.split(',').next().expect("an address").to_string();
            }
        }
        node
    }
}

#[cfg(feature = "cluster")]
impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scheduler and two executors on ephemeral loopback ports.
#[cfg(feature = "cluster")]
pub(crate) struct Cluster {
    executors: Vec<Node>,
    scheduler: Node,
}

#[cfg(feature = "cluster")]
impl Cluster {
    fn start(dir: &Dir, concurrency: &str, timeout: &str) -> Cluster {
        Cluster::start_env(dir, concurrency, timeout, &[])
    }

    /// `start`, with these variables in every node's environment (an executor reads
    /// an object store with its own credentials).
    pub(crate) fn start_env(
        dir: &Dir,
        concurrency: &str,
        timeout: &str,
        env: &[(&str, &str)],
    ) -> Cluster {
        let scheduler = Node::start_env(
            dir,
            &[
                "scheduler",
                "--bind",
                "127.0.0.1:0",
                "--executor-timeout",
                timeout,
            ],
            env,
        );
        let executors = (0..2)
            .map(|_| {
                Node::start_env(
                    dir,
                    &[
                        "executor",
                        "--scheduler",
                        &scheduler.addr,
                        "--concurrency",
                        concurrency,
                    ],
                    env,
                )
            })
            .collect();
        Cluster {
            executors,
            scheduler,
        }
    }

    pub(crate) fn engine(&self) -> String {
        format!("df://{}", self.scheduler.addr)
    }
}

/// A forced wrapper reaches the executors: they read each split as the client
/// resolved its input (the wrapper is a setting of the client's process).
#[cfg(feature = "cluster")]
#[test]
fn a_forced_wrapper_reaches_the_executors() {
    let dir = Dir::new();
    let cluster = Cluster::start(&dir, "2", "60");
    forced_wrapper_reads_as_locally(&dir, &cluster.engine());
}

/// The query forms of the suite through a scheduler and two executors (separate
/// processes), on JSON, text, Parquet and two inputs merged, compared whole with the
/// local engine; small splits (`--chunk-size`), so each file is several partitions
/// that both executors share. Counts also against the generator's truth.
#[cfg(feature = "cluster")]
#[test]
fn every_query_form_gives_the_local_output_on_a_ballista_cluster() {
    let dir = Dir::new();
    let cluster = Cluster::start(&dir, "2", "60");
    let engine = cluster.engine();
    let split = ["--chunk-size", "16384"];
    for (format, name) in [(GenFormat::Json, "app.jsonl"), (GenFormat::Text, "app.log")] {
        let cfg = gen_cfg(3000, 17, format);
        dir.create_gen(name, &cfg);
        let entries = gen_entries(&cfg);
        for query in ["level:ERROR", "level:>=WARN service:covet-db", "timeout"] {
            let truth = truth_matching(&cfg, &entries, query).len() as u64;
            let q = format!("--query={query}");
            let got = dir
                .command()
                .args(["search", "--engine", &engine, "-c", &q, name])
                .args(split)
                .run();
            assert_eq!(got.count(), truth, "{name}: {query}");
        }
        let matched = compare_on(&dir, &[name], (1, 4), true, &engine, &split);
        assert!(
            matched >= 35,
            "{name}: only {matched} queries matched anything"
        );
    }
    dir.command()
        .args([
            "export",
            "--format",
            "parquet",
            "-o",
            "app.parquet",
            "app.jsonl",
        ])
        .run()
        .expect_code(0);
    compare_on(&dir, &["app.parquet"], (3, 4), false, &engine, &[]);
    compare_on(
        &dir,
        &["app.jsonl", "app.log"],
        (2, 4),
        true,
        &engine,
        &split,
    );
    for format in ["json", "csv", "txt", "raw"] {
        both_on(
            &dir,
            &[
                "export",
                "--format",
                format,
                "level:>=WARN",
                "app.log",
                "app.jsonl",
            ],
            &engine,
        );
    }
    drop(cluster);
}

/// A scheduler that is not there: one line, exit 2, within seconds.
#[cfg(feature = "cluster")]
#[test]
fn a_scheduler_that_is_not_there_is_a_one_line_error() {
    let dir = Dir::new();
    dir.create(
        "a.log",
        b"2024-01-15 00:00:00.000 [ERROR] api x.rs:1 boom\n",
    );
    // A port just freed: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let engine = format!("df://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    let out = dir
        .command()
        .args(["search", "-c", "--engine", &engine, "boom", "a.log"])
        .run();
    out.expect_code(2);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    let want = format!("covet-logs: --engine df://127.0.0.1:{port}: no scheduler there: ");
    assert!(out.stderr.starts_with(&want), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

/// A query on a larger file through a scheduler (`--executor-timeout timeout`) and two
/// executors, with `kill` done to the executors 1.5 s in. Not a synchronisation:
/// whenever the kill lands (before, during or after the tasks), only two outcomes are
/// right, and both are checked: the local answer, or a one-line error with exit 2
/// after whole lines of the local answer's start (the waves printed before the one
/// that failed). A query still waiting at two minutes fails the test. Returns how long
/// the query took.
#[cfg(feature = "cluster")]
fn a_query_with_executors_killed(
    seed: u64,
    timeout: &str,
    what: &str,
    kill: impl FnOnce(&mut Cluster),
) -> std::time::Duration {
    use std::io::Read;
    let dir = Dir::new();
    let cfg = gen_cfg(120_000, seed, GenFormat::Json);
    dir.create_gen("big.jsonl", &cfg);
    let args = [
        "search",
        "--json",
        "--chunk-size",
        "262144",
        "level:>=WARN",
        "big.jsonl",
    ];
    let local = dir.command().args(args).run();
    local.expect_code(0);
    let mut cluster = Cluster::start(&dir, "1", timeout);
    let engine = cluster.engine();
    let mut remote = std::process::Command::new(env!("CARGO_BIN_EXE_covet-logs"));
    remote
        .args(&args[..1])
        .args(["--engine", &engine])
        .args(&args[1..])
        .current_dir(dir.path())
        .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
        .env("COVET_LOGS_STATE_DIR", dir.join(".covet-state"))
        .env("COVET_LOGS_NO_HISTORY", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let started = std::time::Instant::now();
    let mut query = remote.spawn().expect("the query");
    let read = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = r.expect("piped").read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(query.stdout.take().map(|r| Box::new(r) as _));
    let stderr = read(query.stderr.take().map(|r| Box::new(r) as _));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    kill(&mut cluster);
    let status = loop {
        if let Some(status) = query.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = query.kill();
            panic!("{what}: the query still waits two minutes after");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let took = started.elapsed();
    let stdout = stdout.join().expect("stdout");
    let stderr = String::from_utf8_lossy(&stderr.join().expect("stderr")).into_owned();
    match status.code() {
        Some(0) => {
            assert_eq!(
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&local.stdout)
            );
            assert!(stderr.is_empty(), "{stderr}");
            eprintln!("{what}: the right answer ({took:?})");
        }
        Some(2) => {
            eprintln!("{what}: {stderr} ({took:?}, {} bytes out)", stdout.len());
            assert!(
                local.stdout.starts_with(&stdout) && stdout.last().is_none_or(|&b| b == b'\n'),
                "the output before the error is not the start of the answer"
            );
            assert!(stderr.starts_with("covet-logs: --engine df://"), "{stderr}");
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
        }
        code => panic!("exit {code:?}: {stderr}"),
    }
    took
}

/// One executor killed while a query runs: the answer is the local one (Ballista ran
/// the lost tasks again on the other executor) or a one-line error, never another
/// answer.
#[cfg(feature = "cluster")]
#[test]
fn an_executor_killed_during_a_query_gives_the_right_answer_or_an_error() {
    a_query_with_executors_killed(23, "5", "an executor killed", |cluster| {
        drop(cluster.executors.pop());
    });
}

/// Every executor killed without a word while a query runs: the query ends, with the
/// local answer (it finished first) or a one-line error soon after the scheduler finds
/// them lost, never a wait without end.
#[cfg(feature = "cluster")]
#[test]
fn every_executor_killed_during_a_query_ends_it_in_one_line() {
    let took = a_query_with_executors_killed(29, "3", "every executor killed", |cluster| {
        cluster.executors.clear();
    });
    // Lost after 3 s without a heartbeat, found within the scheduler's next sweep.
    assert!(took < std::time::Duration::from_secs(60), "took {took:?}");
}

/// `stats` run by the local engine once and by each of `engines`: stdout (the whole
/// report), stderr and exit code must be the local ones. Returns the local run.
#[cfg(feature = "cluster")]
fn stats_same(dir: &Dir, args: &[&str], engines: &[&str]) -> util::Output {
    let local = dir.command().arg("stats").args(args).run();
    for engine in engines {
        let other = dir
            .command()
            .args(["stats", "--engine", engine])
            .args(args)
            .run();
        same_run(&other, &local, &format!("stats {args:?} on {engine}"));
    }
    local
}

/// `stats` and `stats --json` through `--engine datafusion` and a scheduler with two
/// executors (one cluster for every form): the whole report (cards, volume,
/// breakdowns, `--value` percentiles, templates, trends, alerts) is the local one, on
/// generated JSON and text, several files, a file cut into many splits, a Parquet
/// input (one split), with a query, `--by`, `--value`, `--since/--until` and an
/// alert. The entry counts also against the generator's truth.
#[cfg(feature = "cluster")]
#[test]
fn stats_through_both_engines_is_the_local_report() {
    let dir = Dir::new();
    let cluster = Cluster::start(&dir, "2", "60");
    let remote = cluster.engine();
    let engines = ["datafusion", remote.as_str()];
    let json_cfg = gen_cfg(8000, 31, GenFormat::Json);
    let text_cfg = gen_cfg(3000, 32, GenFormat::Text);
    dir.create_gen("big.jsonl", &json_cfg);
    dir.create_gen("app.log", &text_cfg);
    // 16 KiB chunks: splits of 128 KiB, so big.jsonl (about 2.5 MB) is about 20.
    let split = ["--chunk-size", "16384"];
    let forms: [&[&str]; 6] = [
        &["--json", "big.jsonl"],
        &["--width", "120", "big.jsonl", "app.log"],
        &[
            "--json",
            "--query=level:>=WARN",
            "--by",
            "user_id",
            "--value",
            "duration_ms",
            "app.log",
            "big.jsonl",
        ],
        &[
            "--width",
            "100",
            "--full",
            "--query=timeout OR refused",
            "--by",
            "metadata.endpoint",
            "app.log",
        ],
        &[
            "--json",
            "--since",
            "2024-01-15T00:00:40Z",
            "--until",
            "2024-01-15T00:01:10Z",
            "big.jsonl",
            "app.log",
        ],
        &[
            "--json",
            "--alert",
            "count(level:FATAL) > 0",
            "--alert",
            "error_rate > 90%",
            "--query=-level:DEBUG",
            "big.jsonl",
        ],
    ];
    for form in forms {
        let mut args = form.to_vec();
        args.extend(split);
        let local = stats_same(&dir, &args, &engines);
        assert!(
            matches!(local.code, Some(0 | 1)),
            "{form:?}: {}",
            local.stderr
        );
        assert!(local.stdout.len() > 500, "{form:?}: a report");
    }
    // The counts are the generator's.
    let totals = |args: &[&str]| -> u64 {
        let out = stats_same(&dir, args, &engines);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        report["totalLogs"].as_u64().expect("totalLogs")
    };
    for (query, cfg, name) in [
        ("level:>=WARN", &json_cfg, "big.jsonl"),
        ("level:ERROR service:covet-db", &text_cfg, "app.log"),
    ] {
        let q = format!("--query={query}");
        let truth = truth_matching(cfg, &gen_entries(cfg), query).len() as u64;
        assert_eq!(
            totals(&["--json", &q, name, split[0], split[1]]),
            truth,
            "{query}"
        );
    }
    // A Parquet input: one split, read as covet-logs reads it.
    dir.command()
        .args([
            "export",
            "--format",
            "parquet",
            "-o",
            "app.parquet",
            "app.log",
        ])
        .run()
        .expect_code(0);
    assert_eq!(totals(&["--json", "app.parquet"]), 3000);
    drop(cluster);
}

/// `stats` from standard input runs on `datafusion` (one split); a cluster's executors
/// read files only: one line, exit 2.
#[cfg(feature = "cluster")]
#[test]
fn stats_from_stdin_and_its_refusals() {
    let dir = Dir::new();
    let bytes = dir.create_gen("app.jsonl", &gen_cfg(500, 7, GenFormat::Json));
    let args = ["stats", "--json", "--query=level:>=WARN", "--by", "service"];
    let local = dir.command().args(args).arg("-").stdin(bytes.clone()).run();
    local.expect_code(0);
    let df = dir
        .command()
        .args(args)
        .args(["--engine", "datafusion", "-"])
        .stdin(bytes.clone())
        .run();
    assert_eq!(df.stdout_str(), local.stdout_str());
    assert_eq!(df.stderr, local.stderr);
    let out = dir
        .command()
        .args(args)
        .args(["--engine", "df://127.0.0.1:1", "-"])
        .stdin(bytes)
        .run();
    out.expect_code(2);
    assert_eq!(
        out.stderr,
        "covet-logs: <stdin>: a cluster's executors read files only (not standard input)\n"
    );
}

/// A scheduler with no executor: a query waits at most `--executor-timeout` seconds
/// for one, then is refused in one line (exit 2, nothing on stdout).
#[cfg(feature = "cluster")]
#[test]
fn a_scheduler_without_executors_refuses_a_query_in_one_line() {
    let dir = Dir::new();
    dir.create(
        "a.log",
        b"2024-01-15 00:00:00.000 [ERROR] api x.rs:1 boom\n",
    );
    let scheduler = Node::start(
        &dir,
        &[
            "scheduler",
            "--bind",
            "127.0.0.1:0",
            "--executor-timeout",
            "2",
        ],
    );
    let engine = format!("df://{}", scheduler.addr);
    for args in [
        vec!["search", "-c", "--engine", &engine, "boom", "a.log"],
        vec!["stats", "--json", "--engine", &engine, "a.log"],
    ] {
        let started = std::time::Instant::now();
        let out = dir.command().args(&args).run();
        out.expect_code(2);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "took {:?}",
            started.elapsed()
        );
        assert!(
            out.stderr
                .starts_with(&format!("covet-logs: --engine {engine}: ")),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains("no executor alive at the scheduler after 2s"),
            "{}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    drop(scheduler);
}

/// The client of a cluster does not hold the matches in memory: an export of every
/// entry of a 60 MB file peaks within half the file's size of what a count (which
/// holds nothing) peaks at, where holding the rows and their rendering took more than
/// twice the file. Every row arrives, in order (the whole output equals the local
/// engine's).
#[cfg(feature = "cluster")]
#[test]
fn a_clusters_matches_are_not_held_in_the_clients_memory() {
    let dir = Dir::new();
    let cluster = Cluster::start(&dir, "2", "60");
    let engine = cluster.engine();
    let cfg = gen_cfg(200_000, 23, GenFormat::Json);
    let data = dir.create_gen("big.jsonl", &cfg);
    let peak = |args: &[&str]| {
        let out = dir
            .command()
            .env(util::PEAK_RSS_ENV, "1")
            .args(args)
            .args(["--engine", &engine, "big.jsonl"])
            .run();
        out.expect_code(0);
        util::split_peak_rss(&out.stderr).1
    };
    let counted = peak(&["search", "-c", "--query="]);
    let exported = peak(&["export", "--format", "ndjson", "-o", "remote.ndjson"]);
    let half_kib = data.len() as u64 / 2048;
    assert!(
        exported < counted + half_kib,
        "export peaked at {exported} KiB, a count at {counted} KiB (data {} KiB)",
        data.len() / 1024
    );
    dir.command()
        .args([
            "export",
            "--format",
            "ndjson",
            "-o",
            "local.ndjson",
            "big.jsonl",
        ])
        .run()
        .expect_code(0);
    let (remote, local) = (
        std::fs::read(dir.join("remote.ndjson")).unwrap(),
        std::fs::read(dir.join("local.ndjson")).unwrap(),
    );
    assert_eq!(remote.iter().filter(|&&b| b == b'\n').count(), 200_000);
    util::assert_text_eq("export through the cluster", &local, &remote);
    drop(cluster);
}

/// An executor told to stop (SIGTERM) while it runs a query whose scheduler is gone
/// leaves within its grace period (10 s), however far Ballista's own shutdown gets
/// (it tells the scheduler it is leaving and waits for its running tasks).
#[cfg(feature = "cluster")]
#[test]
fn a_busy_executor_whose_scheduler_died_stops_on_sigterm() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = Dir::new();
    dir.create_gen("big.log", &gen_cfg(400_000, 29, GenFormat::Text));
    let mut cluster = Cluster::start(&dir, "2", "60");
    let engine = cluster.engine();
    let mut client = Command::new(env!("CARGO_BIN_EXE_covet-logs"))
        .args([
            "search", "--json", "--engine", &engine, "timeout", "big.log",
        ])
        .args(["--chunk-size", "65536"])
        .current_dir(dir.path())
        .env("COVET_LOGS_NO_HISTORY", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the client");
    std::thread::sleep(Duration::from_millis(1500));
    let _ = cluster.scheduler.child.kill();
    let _ = cluster.scheduler.child.wait();
    let told = Instant::now();
    for e in &cluster.executors {
        // SAFETY: a plain kill(2) of a child this test started and has not reaped.
        unsafe { libc::kill(e.child.id() as i32, libc::SIGTERM) };
    }
    for e in &mut cluster.executors {
        while e.child.try_wait().expect("try_wait").is_none() {
            assert!(
                told.elapsed() < Duration::from_secs(30),
                "an executor still runs 30 s after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let took = told.elapsed();
    assert!(
        took < Duration::from_secs(20),
        "the executors took {took:?} to stop"
    );
    let _ = client.kill();
    let _ = client.wait();
}

/// A follower of `app.jsonl` (`command` typed with `--engine E`), started while a
/// writer appends to it: 2,000 entries are there before it starts, 600 more are
/// appended one by one as it starts, including during a pause the follower takes
/// between taking the files' lengths and the engine's plan. Returns once the writer is
/// done: the test directory, the file, the follower.
#[cfg(feature = "cluster")]
fn follow_while_writing(
    command: &[&str],
    engine: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    crate::follow::Follower,
) {
    use crate::follow;
    let dir = follow::tempdir();
    let log = dir.path().join("app.jsonl");
    let first: String = (0..2000).map(follow::entry).collect();
    follow::append(&log, &first);
    let writer = {
        let log = log.clone();
        std::thread::spawn(move || {
            for n in 2000..2600 {
                follow::append(&log, &follow::entry(n));
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        })
    };
    let mut args = command.to_vec();
    args.extend(["--chunk-size", "16384", "--engine", engine, "app.jsonl"]);
    let f = follow::Follower::start_env(
        dir.path(),
        &args,
        false,
        &[("COVET_LOGS_TEST_HELD_PAUSE_MS", "400")],
    );
    writer.join().expect("writer");
    (dir, log, f)
}

/// `search -f --engine E`: what the engine reads first and what the follower reads
/// after meet exactly. Entries are appended all along (before, while and after the
/// engine reads the history), and each match is printed once, in order.
#[cfg(feature = "cluster")]
fn search_follow_meets_the_history(engine: &str) {
    use crate::follow;
    let (_dir, log, f) = follow_while_writing(
        &["search", "-f", "--no-status", "--query=level:ERROR"],
        engine,
    );
    let want: String = (0..2600)
        .filter(|n| n % 4 == 3)
        .map(follow::entry)
        .collect();
    f.out.wait_for("every match once, in order", |t| t == want);
    // And what is appended once the follower is watching.
    let more: String = (2600..2700).map(follow::entry).collect();
    follow::append(&log, &more);
    let want: String = (0..2700)
        .filter(|n| n % 4 == 3)
        .map(follow::entry)
        .collect();
    f.out.wait_for("the later matches", |t| t == want);
}

#[cfg(feature = "cluster")]
#[test]
fn search_follow_through_datafusion_prints_each_match_once() {
    search_follow_meets_the_history("datafusion");
}

#[cfg(feature = "cluster")]
#[test]
fn search_follow_through_a_cluster_prints_each_match_once() {
    let dir = Dir::new();
    let cluster = Cluster::start(&dir, "2", "60");
    search_follow_meets_the_history(&cluster.engine());
}

/// `stats -f --json --engine E`: the engine's history and what the follower reads
/// after add up exactly (entries appended before, while and after the history is
/// read are each counted once): the last snapshot's totals equal the writer's.
#[cfg(feature = "cluster")]
fn stats_follow_meets_the_history(engine: &str) {
    use crate::follow;
    let (_dir, log, f) = follow_while_writing(&["stats", "-f", "--json"], engine);
    // `entry(n)`'s level is INFO, DEBUG, WARN, ERROR by n % 4.
    let totals = |n: u64| {
        (
            n,
            (0..n).filter(|k| k % 4 == 3).count() as u64,
            (0..n).filter(|k| k % 4 == 2).count() as u64,
        )
    };
    let last = |t: &str| -> Option<(u64, u64, u64)> {
        let line = t.lines().rev().find(|l| !l.trim().is_empty())?;
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        Some((
            v["totalLogs"].as_u64()?,
            v["errors"].as_u64()?,
            v["warnings"].as_u64()?,
        ))
    };
    f.out.wait_for("the totals of 2,600 entries", |t| {
        last(t) == Some(totals(2600))
    });
    let more: String = (2600..2700).map(follow::entry).collect();
    follow::append(&log, &more);
    f.out.wait_for("the totals of 2,700 entries", |t| {
        last(t) == Some(totals(2700))
    });
}

#[cfg(feature = "cluster")]
#[test]
fn stats_follow_through_datafusion_counts_each_entry_once() {
    stats_follow_meets_the_history("datafusion");
}

#[cfg(feature = "cluster")]
#[test]
fn stats_follow_through_a_cluster_counts_each_entry_once() {
    let dir = Dir::new();
    let cluster = Cluster::start(&dir, "2", "60");
    stats_follow_meets_the_history(&cluster.engine());
}

/// A Parquet file of several row groups is cut into splits of row groups (the
/// `--debug` line says so), and every output is the local engine's: the offsets of
/// `--json` and `export` place each split's rows after the splits before it, the line
/// numbers count the rows before it, `-C` reads the entries around from the file, and
/// `stats --json` folds the splits into the local report.
#[cfg(feature = "cluster")]
#[test]
fn a_parquet_file_of_several_row_groups_is_split_with_the_local_output() {
    let dir = Dir::new();
    let cfg = gen_cfg(40_000, 23, GenFormat::Json);
    dir.create_gen("app.jsonl", &cfg);
    // A partitioned export writes row groups of 16,384 rows: three here.
    dir.command()
        .args([
            "export",
            "--format",
            "parquet",
            "--partition-by",
            "day",
            "-o",
            "parts",
            "app.jsonl",
        ])
        .run()
        .expect_code(0);
    let file = "parts/day=2024-01-15/part-00000.parquet";
    let cluster = Cluster::start(&dir, "2", "60");
    let engine = cluster.engine();
    let debug = dir
        .command()
        .args([
            "search",
            "-c",
            "--debug",
            "--chunk-size",
            "16384",
            "--engine",
            &engine,
        ])
        .args(["level:ERROR", file])
        .run();
    debug.expect_code(0);
    assert!(
        debug
            .stderr
            .contains(": 3 split(s), 3 of Parquet row groups"),
        "{}",
        debug.stderr
    );
    let truth = truth_matching(&cfg, &gen_entries(&cfg), "level:ERROR").len() as u64;
    assert_eq!(debug.count(), truth);
    for args in [
        &["search", "-c", "--query=timeout"][..],
        &["search", "--json", "--query=level:>=WARN"],
        &["search", "-n", "-C", "1", "--query=level:FATAL"],
        &[
            "search",
            "--newest-first",
            "-m",
            "20",
            "--query=service:covet-db",
        ],
        &["export", "--format", "ndjson", "--query=duration_ms:>1000"],
        &["export", "--format", "csv", "--query=-level:DEBUG"],
    ] {
        let mut with = args.to_vec();
        with.extend(["--chunk-size", "16384", file]);
        both_on(&dir, &with, &engine);
    }
    stats_same(
        &dir,
        &["--json", "--chunk-size", "16384", "--by", "service", file],
        &[&engine, "datafusion"],
    );
}

/// A cluster search runs its splits as a series of jobs (waves of 4, 8, 16...
/// splits), printing each wave's matches before the next is in, and begins no more
/// waves once the output has stopped (`-m`): besides the wave it printed from, only
/// the one begun ahead of it ran. `--debug` names each wave begun. The outputs are the
/// local engine's either way.
#[cfg(feature = "cluster")]
#[test]
fn a_cluster_search_runs_in_waves_and_stops_with_its_output() {
    let dir = Dir::new();
    let cfg = gen_cfg(20_000, 31, GenFormat::Json);
    dir.create_gen("big.jsonl", &cfg);
    let cluster = Cluster::start(&dir, "2", "60");
    let engine = cluster.engine();
    let chunk = ["--chunk-size", "32768"];
    let waves_said = |stderr: &str| -> Vec<usize> {
        stderr
            .lines()
            .filter_map(|l| l.strip_prefix("covet-logs: debug: wave "))
            .map(|l| {
                let (n, rest) = l.split_once(": ").expect("wave N: K split(s)");
                let k = rest.strip_suffix(" split(s)").expect("K split(s)");
                (n.parse::<usize>().unwrap(), k.parse::<usize>().unwrap())
            })
            .enumerate()
            .map(|(i, (n, k))| {
                assert_eq!(n, i + 1, "waves in order");
                k
            })
            .collect()
    };
    let whole = dir
        .command()
        .args(["search", "--debug", "-n", "--engine", &engine])
        .args(chunk)
        .args(["level:ERROR", "big.jsonl"])
        .run();
    whole.expect_code(0);
    let splits: usize = whole
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("covet-logs: debug: big.jsonl: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the splits said");
    assert!(splits > 12, "{splits} splits");
    // 4, 8, 16... splits a wave, every split in one.
    let waves = waves_said(&whole.stderr);
    let mut want = Vec::new();
    let (mut left, mut size) = (splits, 4);
    while left > 0 {
        want.push(size.min(left));
        left -= size.min(left);
        size *= 2;
    }
    assert_eq!(waves, want);
    let local = dir
        .command()
        .args(["search", "-n"])
        .args(chunk)
        .args(["level:ERROR", "big.jsonl"])
        .run();
    util::assert_text_eq("search -n", &local.stdout, &whole.stdout);
    // The first matches are in the first wave: at most the second was begun ahead.
    let first = dir
        .command()
        .args(["search", "--debug", "-m", "3", "--engine", &engine])
        .args(chunk)
        .args(["level:ERROR", "big.jsonl"])
        .run();
    first.expect_code(0);
    // (Whether the wave begun ahead says so before the process ends is a race.)
    let begun = waves_said(&first.stderr);
    assert!(begun == [4] || begun == [4, 8], "{begun:?}");
    assert!(waves.len() > 2, "{waves:?}");
    let local = dir
        .command()
        .args(["search", "-m", "3"])
        .args(chunk)
        .args(["level:ERROR", "big.jsonl"])
        .run();
    assert_eq!(local.stdout_str().lines().count(), 3);
    util::assert_text_eq("search -m 3", &local.stdout, &first.stdout);
    drop(cluster);
}
