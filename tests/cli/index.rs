//! The block index (`index`, `--index`): every query form gives the same whole output
//! with the index as without it, while selective ones skip blocks; the index is never
//! used stale (rewritten, touched), follows a renamed file, extends a grown one, and a
//! corrupt one is ignored and rebuilt with a notice.

use std::path::PathBuf;

use covet_gen::{GenConfig, GenEntry, GenFormat};

use crate::util::{self, Dir};

/// Small chunks make small blocks: a few hundred KB become dozens of blocks.
const CHUNK: &str = "8192";

fn gen(dir: &Dir, name: &str, format: GenFormat, lines: usize) -> Vec<GenEntry> {
    let cfg = GenConfig {
        step_ms: 200,
        ..util::gen_cfg(lines, 7, format)
    };
    dir.create_gen(name, &cfg);
    util::gen_entries(&cfg)
}

fn index(dir: &Dir, files: &[&str]) -> util::Output {
    let mut cmd = dir.command();
    cmd.args(["index", "--chunk-size", CHUNK]).args(files);
    let out = cmd.run();
    out.expect_code(0);
    out
}

fn run(dir: &Dir, args: &[String], mode: &str) -> util::Output {
    dir.command().args(args).args(["--index", mode]).run()
}

/// Runs `args` with and without the index and asserts the whole outputs are equal.
fn same_both_ways(dir: &Dir, args: &[String]) -> util::Output {
    let with = run(dir, args, "auto");
    let without = run(dir, args, "never");
    util::assert_text_eq(
        &format!("stdout of {}", with.cmdline),
        &without.stdout,
        &with.stdout,
    );
    assert_eq!(
        untimed(&with.stderr),
        untimed(&without.stderr),
        "stderr of {}",
        with.cmdline
    );
    assert_eq!(with.code, without.code, "exit code of {}", with.cmdline);
    with
}

/// `stderr` without the seconds that end `--stats`' summary line (`..., 0.05 s`).
fn untimed(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.rfind(", ") {
            Some(at) if l.ends_with(" s") && l.contains(" entries in ") => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many blocks `--debug` says the index let the scan skip, and how many there are.
fn skipped(dir: &Dir, args: &[String]) -> (u64, u64) {
    let mut cmd = dir.command();
    let out = cmd.args(args).args(["--index", "auto", "--debug"]).run();
    let line = out
        .stderr
        .lines()
        .find(|l| l.contains("block(s) skipped"))
        .unwrap_or_else(|| panic!("no index line in:\n{}", out.stderr));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "of").expect("N of M");
    (
        words[at - 1].parse().unwrap(),
        words[at + 1].parse().unwrap(),
    )
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// The query forms of the test suite (words, phrases, regexes, fields, wildcards,
/// ranges, levels, times, AND/OR/NOT, ids that exist and ids that do not).
fn query_forms(e: &[GenEntry]) -> Vec<String> {
    let with = |f: fn(&GenEntry) -> Option<&String>| e.iter().rev().find_map(f).cloned().unwrap();
    let trace = with(|e| e.trace_id.as_ref());
    let span = with(|e| e.span_id.as_ref());
    let user = with(|e| e.user_id.as_ref());
    let request = with(|e| e.request_id.as_ref());
    let id = &e[e.len() / 3].id;
    let mut forms = strings(&[
        "",
        "timeout",
        "\"connection refused\"",
        "\"to the database\"",
        "\"x zzzqqq y\"",
        "/time(out|d)/",
        "level:ERROR",
        "level:>=WARN",
        "level:<=debug",
        "level:FATAL",
        "level:FATAL service:covet-db",
        "service:covet-api OR service:covet-db",
        "NOT service:covet-api",
        "-level:INFO",
        "service:covet-*",
        "service:COVET-DB",
        "service:nothing-here",
        "user_id:user_404 OR level:FATAL",
        "level:ERROR AND NOT timeout",
        "(level:ERROR OR level:FATAL) service:covet-db",
        "status:>=500",
        "duration_ms:>900",
        "endpoint:/api/*",
        "metadata.status:500",
        "tags:cache",
        "timestamp:>=2024-01-15T00:03:00Z",
        "timestamp:2024-01-15T00:03:00Z..2024-01-15T00:04:00Z",
        "timestamp:<2023-01-01T00:00:00Z",
        "trace_id:00000000000000000000000000000000",
    ]);
    forms.push(format!("trace_id:{trace}"));
    forms.push(format!("trace_id:{}", trace.to_uppercase()));
    forms.push(format!("trace:{trace} OR span_id:{span}"));
    forms.push(format!("span_id:{span}"));
    forms.push(format!("user_id:{user}"));
    forms.push(format!("request_id:{request}"));
    forms.push(format!("id:{id}"));
    forms.push(trace.clone());
    forms.push(format!("NOT trace_id:{trace}"));
    forms
}

/// Every query form, through search (raw, JSON, count, rg-style line numbers, -v),
/// stats, fields and export, on JSON lines and on the multi-line covet text layout.
#[test]
fn every_query_form_gives_the_same_output_with_and_without_the_index() {
    let dir = Dir::new();
    let json = gen(&dir, "a.jsonl", GenFormat::Json, 2500);
    gen(&dir, "t.log", GenFormat::Text, 2500);
    index(&dir, &["a.jsonl", "t.log"]);
    let mut matched = 0;
    for q in query_forms(&json) {
        for file in ["a.jsonl", "t.log"] {
            let shapes: [&[&str]; 10] = [
                &["search"],
                &["search", "--json"],
                &["search", "-n", "-H"],
                &["search", "--stats"],
                &["stats", "--json"],
                &["fields", "--json"],
                &["fields", "level"],
                &["fields", "level", "--json"],
                &["export", "--format", "ndjson"],
                &["export", "--format", "csv"],
            ];
            for shape in shapes {
                let mut args = strings(shape);
                args.extend(["-q".to_string(), q.clone(), file.to_string()]);
                same_both_ways(&dir, &args);
            }
            let count = same_both_ways(&dir, &strings(&["search", "-c", "-q", &q, file]));
            matched += count.stdout_str().trim().parse::<u64>().unwrap_or(0);
        }
    }
    assert!(
        matched > 10_000,
        "the forms matched {matched} entries in all"
    );
    for flags in [
        &["-v", "timeout"][..],
        &["-s", "Timeout"],
        &["-w", "-e", "refused"],
        &["-F", "-e", "a.b"],
        &[
            "--since",
            "2024-01-15T00:03:00Z",
            "--until",
            "2024-01-15T00:04:00Z",
            "level:ERROR",
        ],
    ] {
        let mut args = strings(&["search"]);
        args.extend(strings(flags));
        args.push("a.jsonl".into());
        same_both_ways(&dir, &args);
    }
}

/// The selective forms do skip blocks, and their counts are the generator's.
#[test]
fn selective_queries_skip_blocks_and_count_what_the_generator_made() {
    let dir = Dir::new();
    let cfg = GenConfig {
        step_ms: 200,
        ..util::gen_cfg(2500, 7, GenFormat::Json)
    };
    dir.create_gen("a.jsonl", &cfg);
    let entries = util::gen_entries(&cfg);
    index(&dir, &["a.jsonl"]);
    let trace = entries.iter().find_map(|e| e.trace_id.clone()).unwrap();
    let window = "timestamp:2024-01-15T00:03:00Z..2024-01-15T00:04:00Z";
    for (query, truth) in [
        (format!("trace_id:{trace}"), format!("trace_id:{trace}")),
        (
            "service:covet-db level:FATAL".into(),
            "service:covet-db level:FATAL".into(),
        ),
        (
            window.to_string(),
            "since:2024-01-15T00:03:00Z until:2024-01-15T00:04:00.001Z".to_string(),
        ),
    ] {
        let want = util::truth_matching(&cfg, &entries, &truth).len() as u64;
        let args = strings(&["search", "-c", "-q", &query, "a.jsonl"]);
        let out = same_both_ways(&dir, &args);
        assert_eq!(out.count(), want, "{query}");
        let (skip, of) = skipped(&dir, &args);
        assert!(of > 20, "{of} blocks");
        // The level-and-service count comes from the summaries' tables: no block read.
        let least = if query.starts_with("service") {
            of
        } else {
            of * 7 / 10
        };
        assert!(skip >= least, "{query}: only {skip} of {of} blocks skipped");
    }
    // `context --trace` reads through the same plan.
    let ctx = strings(&["context", "--json", "--trace", &trace, "a.jsonl"]);
    let out = same_both_ways(&dir, &ctx);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want = entries
        .iter()
        .filter(|e| e.trace_id.as_ref() == Some(&trace))
        .count();
    assert_eq!(doc["summary"]["related"], want);
    // Line numbers counted from the block the index says each entry's line is in, as
    // from the file's start: one generated entry per line.
    let lines: Vec<u64> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    let want: Vec<u64> = (1..)
        .zip(&entries)
        .filter(|(_, e)| e.trace_id.as_ref() == Some(&trace))
        .map(|(line, _)| line)
        .collect();
    assert_eq!(lines, want);
}

/// `search -c` of every entry and `fields level` are answered from the summaries'
/// tables alone (every block skipped), with the generator's counts.
#[test]
fn level_counts_come_from_the_summaries_with_the_generators_numbers() {
    let dir = Dir::new();
    let entries = gen(&dir, "a.jsonl", GenFormat::Json, 3000);
    index(&dir, &["a.jsonl"]);
    let all = strings(&["search", "-c", "-q", "", "a.jsonl"]);
    assert_eq!(same_both_ways(&dir, &all).count(), entries.len() as u64);
    let fields = strings(&["fields", "level", "--json", "a.jsonl"]);
    let out = same_both_ways(&dir, &fields);
    let (skip, of) = skipped(&dir, &fields);
    assert!(of > 20 && skip == of, "{skip} of {of} blocks skipped");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["entries"], entries.len());
    let field = &doc["fields"][0];
    assert_eq!(field["field"], "level");
    assert_eq!(field["present"], entries.len());
    let mut want: Vec<(String, u64)> = Vec::new();
    for e in &entries {
        match want.iter_mut().find(|(l, _)| l == e.level) {
            Some((_, n)) => *n += 1,
            None => want.push((e.level.to_string(), 1)),
        }
    }
    want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let got: Vec<(String, u64)> = field["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["value"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(field["distinct"], want.len());
}

/// Entries without a level but with a `metadata.level`: `fields level` shows that
/// field, which the summaries do not hold, so the blocks are read after all.
#[test]
fn fields_level_without_levels_reads_the_metadata_level() {
    let dir = Dir::new();
    let text: String = (0..4000)
        .map(|i| {
            format!(
                "{{\"ts\":\"2024-01-15T00:00:{:02}Z\",\"msg\":\"step {i} of the job\",\"metadata\":{{\"level\":\"{}\"}}}}\n",
                i % 60,
                ["low", "high", "mid"][i % 3]
            )
        })
        .collect();
    dir.create("m.jsonl", &text);
    index(&dir, &["m.jsonl"]);
    let out = same_both_ways(&dir, &strings(&["fields", "level", "m.jsonl"]));
    out.expect_code(0);
    let want = "metadata.level in 4000 of 4000 entries (100.0%), 3 distinct\n      1334   33.4%  low\n      1333   33.3%  high\n      1333   33.3%  mid\n";
    util::assert_text_eq("fields level", want.as_bytes(), &out.stdout);
}

fn cache_files(dir: &Dir) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(".covet-cache").join("index"))
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "idx"));
    files
}

fn debug_lines(dir: &Dir, args: &[&str]) -> String {
    let out = dir.command().args(args).args(["--debug"]).run();
    out.stderr
        .lines()
        .filter(|l| l.contains("index"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_rewritten_or_touched_file_is_read_whole_until_reindexed() {
    let dir = Dir::new();
    let entries = gen(&dir, "a.jsonl", GenFormat::Json, 1500);
    index(&dir, &["a.jsonl"]);
    let trace = entries.iter().find_map(|e| e.trace_id.clone()).unwrap();
    let q = format!("trace_id:{trace}");
    let args = ["search", "-c", "-q", &q, "a.jsonl"];
    assert!(debug_lines(&dir, &args).contains("index up to date"));
    // Same size, the trace id changed in place in one entry: the index would skip it.
    let path = dir.join("a.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let other = entries
        .iter()
        .rev()
        .find_map(|e| e.trace_id.clone())
        .unwrap();
    let changed = text.replacen(&other, &trace, 1);
    assert_eq!(changed.len(), text.len());
    std::fs::write(&path, &changed).unwrap();
    let before = dir
        .command()
        .args(args)
        .args(["--index", "never"])
        .run()
        .count();
    let after = dir.command().args(args).run();
    assert_eq!(after.count(), before);
    let want = entries
        .iter()
        .filter(|e| e.trace_id.as_ref() == Some(&trace))
        .count() as u64;
    assert_eq!(before, want + 1);
    assert!(debug_lines(&dir, &args).contains("no fresh index"));
    // `--index always` rebuilds it, and then it is used again.
    let out = dir
        .command()
        .args(args)
        .args(["--index", "always", "--debug"])
        .run();
    assert!(out.stderr.contains("index built"), "{}", out.stderr);
    assert_eq!(out.count(), want + 1);
    assert!(debug_lines(&dir, &args).contains("index up to date"));
    // Only the modification time changed: stale too.
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    assert!(debug_lines(&dir, &args).contains("no fresh index"));
}

#[test]
fn a_grown_file_has_only_its_tail_indexed_again() {
    let dir = Dir::new();
    let cfg = GenConfig {
        step_ms: 200,
        ..util::gen_cfg(3000, 9, GenFormat::Text)
    };
    let all = util::gen_entries(&cfg);
    let rendered: Vec<Vec<u8>> = all
        .iter()
        .map(|e| util::render(e, GenFormat::Text))
        .collect();
    dir.create("t.log", rendered[..2000].concat());
    index(&dir, &["t.log"]);
    let mut f = std::fs::File::options()
        .append(true)
        .open(dir.join("t.log"))
        .unwrap();
    std::io::Write::write_all(&mut f, &rendered[2000..].concat()).unwrap();
    drop(f);
    let late = all[2500..].iter().find_map(|e| e.trace_id.clone()).unwrap();
    let q = format!("trace_id:{late}");
    let args = ["search", "-n", "-H", "-q", &q, "t.log"];
    assert!(debug_lines(&dir, &args).contains("index extended"));
    assert!(debug_lines(&dir, &args).contains("index up to date"));
    same_both_ways(&dir, &strings(&args));
    let out = dir.command().args(["index", "t.log"]).run();
    assert!(
        util::first_line(&out).contains("up to date"),
        "{}",
        out.stdout_str()
    );
    // Entries and lines counted across the old and the new blocks.
    let stats = same_both_ways(
        &dir,
        &strings(&["search", "--stats", "-q", "level:FATAL", "t.log"]),
    );
    assert!(
        stats.stderr.contains("of 3,000 entries"),
        "{}",
        stats.stderr
    );
    let want = util::truth_matching(&cfg, &all, &format!("trace_id:{late}")).len() as u64;
    assert_eq!(
        dir.command()
            .args(["search", "-c", "-q", &q, "t.log"])
            .run()
            .count(),
        want
    );
}

#[test]
fn a_renamed_file_keeps_its_index() {
    let dir = Dir::new();
    gen(&dir, "app.log", GenFormat::Json, 800);
    index(&dir, &["app.log"]);
    std::fs::rename(dir.join("app.log"), dir.join("app.log.1")).unwrap();
    let lines = debug_lines(&dir, &["search", "-c", "level:FATAL", "app.log.1"]);
    assert!(lines.contains("index up to date"), "{lines}");
    assert_eq!(cache_files(&dir).len(), 1);
}

#[test]
fn a_corrupt_index_is_ignored_and_rebuilt_with_a_notice() {
    let dir = Dir::new();
    gen(&dir, "a.jsonl", GenFormat::Json, 800);
    index(&dir, &["a.jsonl"]);
    let files = cache_files(&dir);
    assert_eq!(files.len(), 1);
    let good = std::fs::read(&files[0]).unwrap();
    assert!(good.len() > 100);
    let args = strings(&["search", "-c", "level:FATAL", "a.jsonl"]);
    let want = run(&dir, &args, "never").stdout;
    for damage in [b"junk".to_vec(), good[..good.len() / 2].to_vec(), {
        let mut b = good.clone();
        b[good.len() / 3] ^= 1;
        b
    }] {
        std::fs::write(&files[0], damage).unwrap();
        let out = run(&dir, &args, "auto");
        assert_eq!(out.stdout, want);
        assert!(
            out.stderr.contains("a.jsonl: index was corrupt"),
            "{}",
            out.stderr
        );
        let again = run(&dir, &args, "auto");
        assert_eq!(again.stderr, "", "rebuilt whole");
        let lines = debug_lines(&dir, &["search", "-c", "level:FATAL", "a.jsonl"]);
        assert!(lines.contains("index up to date"), "{lines}");
    }
}

#[test]
fn concurrent_builders_leave_one_whole_index() {
    let dir = Dir::new();
    gen(&dir, "a.jsonl", GenFormat::Json, 3000);
    let children: Vec<_> = (0..3)
        .map(|_| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("covet-logs"));
            cmd.current_dir(dir.path())
                .env("COVET_LOGS_CACHE_DIR", dir.join(".covet-cache"))
                .env("COVET_LOGS_CONFIG_DIR", dir.join(".covet-config"))
                .args(["index", "--chunk-size", CHUNK, "a.jsonl"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut built = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        built += usize::from(String::from_utf8_lossy(&out.stdout).contains(": built:"));
    }
    assert_eq!(built, 1, "one builder builds, the others find it built");
    assert_eq!(cache_files(&dir).len(), 1);
    let lines = debug_lines(&dir, &["search", "-c", "level:FATAL", "a.jsonl"]);
    assert!(lines.contains("index up to date"), "{lines}");
}

#[test]
fn stdin_and_compressed_files_are_never_indexed() {
    let dir = Dir::new();
    let cfg = util::gen_cfg(500, 3, GenFormat::Json);
    let bytes = util::gen_bytes(&cfg);
    dir.create_gz("a.jsonl.gz", &bytes);
    let out = dir
        .command()
        .args(["search", "-c", "--index", "always", "level:ERROR"])
        .stdin(bytes.clone())
        .run();
    out.expect_code(0);
    let out = dir.command().args(["index", "a.jsonl.gz"]).run();
    out.expect_code(0);
    assert!(
        out.stdout_str().contains("a.jsonl.gz: not indexed"),
        "{}",
        out.stdout_str()
    );
    assert!(cache_files(&dir).is_empty());
}
