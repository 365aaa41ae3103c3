//! `--engine datafusion` (feature `cluster`): every query form run by the local engine
//! and by DataFusion on the same generated JSON and text logs (and a Parquet export,
//! and a hand-made file of logfmt, colour codes and non-ASCII text), whole outputs of
//! `search -c`, `search --json` and `export --format ndjson` compared byte for byte,
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
    let local = dir.command().args(args).run();
    let mut df_args = args.to_vec();
    df_args.insert(1, "--engine");
    df_args.insert(2, "datafusion");
    let df = dir.command().args(&df_args).run();
    assert_eq!(
        String::from_utf8_lossy(&df.stdout),
        String::from_utf8_lossy(&local.stdout),
        "stdout of {args:?}"
    );
    assert_eq!(df.stderr, local.stderr, "stderr of {args:?}");
    assert_eq!(df.code, local.code, "exit code of {args:?}");
    (local.stdout, local.code)
}

/// `search -c`, `search --json` (unless `!json`) and `export` of every `step`th query
/// on `inputs`, both ways, on two threads; returns how many queries matched something.
#[cfg(feature = "cluster")]
fn compare_all(dir: &Dir, inputs: &[&str], step: usize, json: bool) -> usize {
    let one = |(query, flags): &(&str, &[&str])| -> usize {
        // `--query=` so that a query starting with `-` is not read as a flag.
        let q = format!("--query={query}");
        let run = |cmd: &[&str]| {
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend_from_slice(flags);
            if !query.is_empty() {
                args.push(&q);
            }
            args.extend_from_slice(inputs);
            both(dir, &args)
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
        usize::from(code == Some(0))
    };
    let picked: Vec<_> = QUERIES.iter().step_by(step).collect();
    let (a, b) = picked.split_at(picked.len() / 2);
    std::thread::scope(|s| {
        let first = s.spawn(|| a.iter().map(|q| one(q)).sum::<usize>());
        let second: usize = b.iter().map(|q| one(q)).sum();
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

/// `df://` is not built yet, `datafusion` prints `-c` and `--json` only (one line,
/// exit 2 each).
#[cfg(feature = "cluster")]
#[test]
fn engines_and_outputs_not_built_are_one_line_errors() {
    let dir = Dir::new();
    dir.create(
        "a.log",
        b"2024-01-15 00:00:00.000 [ERROR] api x.rs:1 boom\n",
    );
    let cases: [(&[&str], &str); 4] = [
        (
            &["search", "-c", "--engine", "df://127.0.0.1:50050", "boom", "a.log"],
            "covet-logs: --engine: df://127.0.0.1:50050: a Ballista cluster is not built yet; `--engine datafusion` runs the same plan in this process\n",
        ),
        (
            &["search", "--engine", "datafusion", "boom", "a.log"],
            "covet-logs: --engine: this output (use -c or --json) is not supported with --engine datafusion yet\n",
        ),
        (
            &["search", "-c", "--engine", "spark", "boom", "a.log"],
            "covet-logs: --engine: unknown engine 'spark' (expected local, datafusion or df://HOST:PORT)\n",
        ),
        (
            &["export", "--engine", "df://h:1", "boom", "a.log"],
            "covet-logs: --engine: df://h:1: a Ballista cluster is not built yet; `--engine datafusion` runs the same plan in this process\n",
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
}
