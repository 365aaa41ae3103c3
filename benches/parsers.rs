//! Micro-benchmarks of the pipeline's hot parts: format detection, the per-format
//! parsers, leading-timestamp parsing, query parse + compile, the literal prefilter,
//! and predicate evaluation. Inputs come from the deterministic generator
//! (`covet_gen`), so they look like the logs the tool is tuned for.
//!
//! `cargo bench --bench parsers` (all), `cargo bench --bench parsers -- prefilter`
//! (one group). End-to-end comparisons with ripgrep live in `benches/compare.sh`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use covet_gen::{self as gen, GenConfig, GenFormat};
use covet_logs::{
    compile_query, detect, leading_timestamp, Entry, Format, Options, Query, TimeCtx,
};

fn ctx() -> TimeCtx {
    TimeCtx::utc_now_year()
}

fn opts() -> Options {
    Options::new(ctx())
}

fn compiled(q: &str) -> Query {
    compile_query(q, &opts()).unwrap_or_else(|e| panic!("query {q:?}: {e:?}"))
}

/// `lines` generated entries, rendered in `format`.
fn generated(format: GenFormat, lines: usize) -> Vec<u8> {
    let cfg = GenConfig {
        lines,
        seed: 42,
        format,
        ..GenConfig::default()
    };
    let mut buf = Vec::new();
    gen::write_logs(&cfg, &mut buf).expect("write to a Vec");
    buf
}

/// About `bytes` of generated JSON lines (whole lines).
fn generated_size(bytes: u64) -> Vec<u8> {
    let cfg = GenConfig {
        seed: 42,
        ..GenConfig::default()
    };
    let mut buf = Vec::new();
    gen::write_logs_size(&cfg, bytes, &mut buf).expect("write to a Vec");
    buf
}

fn lines(buf: &[u8]) -> Vec<&[u8]> {
    buf.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect()
}

/// Splits covet text into entries (a timestamped line starts one).
fn covet_entries(buf: &[u8]) -> Vec<&[u8]> {
    let ctx = ctx();
    let mut entries = Vec::new();
    let mut start = None;
    let mut pos = 0;
    for line in buf.split_inclusive(|&b| b == b'\n') {
        if Format::Covet.is_entry_start(line, &ctx) {
            if let Some(s) = start {
                entries.push(&buf[s..pos]);
            }
            start = Some(pos);
        }
        pos += line.len();
    }
    if let Some(s) = start {
        entries.push(&buf[s..pos]);
    }
    entries
        .into_iter()
        .map(|e| e.strip_suffix(b"\n").unwrap_or(e))
        .collect()
}

/// Parses and reads the three fields every printer and most queries look at.
fn parse_and_read(format: Format, raw: &[u8], ctx: &TimeCtx) -> usize {
    let rec = format.parse(raw, ctx);
    let level = rec.level();
    let ts = rec.ts();
    let msg = rec.message();
    black_box(level);
    black_box(ts);
    msg.len()
}

fn bench_detect(c: &mut Criterion) {
    let ctx = ctx();
    let json = generated(GenFormat::Json, 64);
    let covet = generated(GenFormat::Text, 64);
    let logfmt: Vec<u8> = (0..64)
        .flat_map(|i| {
            format!(
                "ts=2024-01-15T10:00:{:02}.123Z level=info service=covet-api \
                 msg=\"request completed\" duration_ms={} user_id=user_{}\n",
                i % 60,
                i * 7,
                100 + i
            )
            .into_bytes()
        })
        .collect();
    let text: Vec<u8> = (0..64)
        .flat_map(|i| {
            format!(
                "2015-10-18 18:01:{:02},978 INFO [main] org.apache.hadoop.Job: step {i}\n",
                i % 60
            )
            .into_bytes()
        })
        .collect();
    let mut g = c.benchmark_group("detect");
    for (name, head) in [
        ("json", &json),
        ("covet", &covet),
        ("logfmt", &logfmt),
        ("text", &text),
    ] {
        let want = match name {
            "json" => Format::Json,
            "covet" => Format::Covet,
            "logfmt" => Format::Logfmt,
            _ => Format::Text,
        };
        assert_eq!(detect(head, &ctx), want, "detect {name}");
        g.throughput(Throughput::Bytes(head.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), head, |b, head| {
            b.iter(|| detect(black_box(head), &ctx))
        });
    }
    g.finish();
}

fn bench_parse(c: &mut Criterion) {
    let ctx = ctx();
    let json_buf = generated(GenFormat::Json, 256);
    let json_lines = lines(&json_buf);
    let covet_buf = generated(GenFormat::Text, 512);
    let covet = covet_entries(&covet_buf);
    let with_block: Vec<&[u8]> = covet
        .iter()
        .copied()
        .filter(|e| e.windows(2).any(|w| w == b"\n{"))
        .collect();
    assert!(!with_block.is_empty(), "no covet entry with a JSON block");
    let logfmt: &[u8] = b"ts=2024-01-15T14:23:45.123Z level=error service=covet-db \
        source=connection.rs:128 msg=\"connection refused after 3 retries\" \
        user_id=user_456 request_id=req_1a2b3c4d duration_ms=1503 status=503";
    let text: &[u8] =
        b"2015-10-18 18:01:47,978 ERROR [main] org.apache.hadoop.mapreduce.Job: Task failed: timeout after 600 secs";

    let mut g = c.benchmark_group("parse");
    // One typical line, and the mean over a batch of generated ones.
    g.throughput(Throughput::Elements(1));
    g.bench_function("json_line", |b| {
        let line = json_lines[0];
        b.iter(|| parse_and_read(Format::Json, black_box(line), &ctx))
    });
    g.bench_function("logfmt_line", |b| {
        b.iter(|| parse_and_read(Format::Logfmt, black_box(logfmt), &ctx))
    });
    g.bench_function("covet_entry_with_json_block", |b| {
        let entry = with_block[0];
        b.iter(|| parse_and_read(Format::Covet, black_box(entry), &ctx))
    });
    g.bench_function("text_line", |b| {
        b.iter(|| parse_and_read(Format::Text, black_box(text), &ctx))
    });
    g.throughput(Throughput::Elements(json_lines.len() as u64));
    g.bench_function("json_256_generated_lines", |b| {
        b.iter(|| {
            json_lines
                .iter()
                .map(|l| parse_and_read(Format::Json, black_box(l), &ctx))
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Elements(covet.len() as u64));
    g.bench_function("covet_generated_entries", |b| {
        b.iter(|| {
            covet
                .iter()
                .map(|e| parse_and_read(Format::Covet, black_box(e), &ctx))
                .sum::<usize>()
        })
    });
    g.finish();
}

fn bench_timestamp(c: &mut Criterion) {
    let ctx = ctx();
    let forms: [(&str, &[u8]); 7] = [
        ("rfc3339_ms_z", b"2024-01-15T14:23:45.123Z rest"),
        (
            "covet_space_ms",
            b"2024-01-15 14:23:45.123 [ERROR] covet-core",
        ),
        ("iso_comma_offset", b"2024-01-15 14:23:45,123+01:00 INFO"),
        ("syslog", b"Jan 15 14:23:45 host sshd[123]: Accepted"),
        ("clf", b"[15/Jan/2024:14:23:45 +0000] \"GET / HTTP/1.1\""),
        ("glog", b"I0115 14:23:45.123456 1234 main.cc:42] hi"),
        ("none", b"just some words without a time"),
    ];
    let mut g = c.benchmark_group("timestamp_parse_leading");
    g.throughput(Throughput::Elements(1));
    for (name, line) in forms {
        assert_eq!(
            leading_timestamp(line, &ctx).is_some(),
            name != "none",
            "parse_leading {name}"
        );
        g.bench_with_input(BenchmarkId::from_parameter(name), line, |b, line| {
            b.iter(|| leading_timestamp(black_box(line), &ctx))
        });
    }
    g.finish();
}

fn bench_query(c: &mut Criterion) {
    let opts = opts();
    let queries = [
        ("simple", "level:ERROR timeout"),
        (
            "typical",
            "level:>=WARN service:covet-db \"connection refused\" -user_id:user_456 duration_ms:>100",
        ),
        (
            "boolean",
            "(timeout OR \"connection reset\") AND NOT service:covet-cache tags:retry",
        ),
    ];
    let mut g = c.benchmark_group("query_parse_compile");
    for (name, q) in queries {
        g.bench_with_input(BenchmarkId::from_parameter(name), q, |b, q| {
            b.iter(|| compile_query(black_box(q), &opts).expect("compiles"))
        });
    }
    g.finish();
}

fn bench_prefilter(c: &mut Criterion) {
    let buf = generated_size(1 << 20);
    let mut g = c.benchmark_group("prefilter_find_1MiB");
    g.throughput(Throughput::Bytes(buf.len() as u64));
    for (name, q) in [
        ("word_ci_timeout", "timeout"),
        ("user_id_user_456", "user_id:user_456"),
        ("error_and_timeout", "level:ERROR timeout"),
        ("any_of_two", "timeout OR refused"),
    ] {
        let query = compiled(q);
        assert!(query.has_prefilter(), "query {q:?} has no prefilter");
        // All candidates, as the scanner sees them: find, then go on past the hit.
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let hay = black_box(&buf[..]);
                let (mut pos, mut n) = (0usize, 0usize);
                while let Some(i) = query.find_candidate(&hay[pos..]) {
                    n += 1;
                    pos += i + 1;
                }
                n
            })
        });
    }
    g.finish();
}

fn bench_eval(c: &mut Criterion) {
    let ctx = ctx();
    let buf = generated(GenFormat::Json, 1000);
    let entries: Vec<Entry<'_>> = lines(&buf)
        .into_iter()
        .map(|raw| Entry {
            raw,
            offset: 0,
            line: 0,
        })
        .collect();
    let mut g = c.benchmark_group("eval_matches_1000_json_records");
    g.throughput(Throughput::Elements(entries.len() as u64));
    for (name, q) in [
        ("text_timeout", "timeout"),
        ("level_error", "level:ERROR"),
        ("level_error_and_timeout", "level:ERROR timeout"),
        ("user_id", "user_id:user_456"),
        ("metadata_duration", "duration_ms:>100"),
        ("level_range_and_service", "level:>=WARN service:covet-db"),
    ] {
        let query = compiled(q);
        // Every record, without the prefilter: the predicate's own cost, including the
        // lazy parse that field terms trigger.
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                entries
                    .iter()
                    .filter(|e| query.matches(black_box(e), Format::Json, &ctx))
                    .count()
            })
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_detect, bench_parse, bench_timestamp, bench_query, bench_prefilter, bench_eval
}
criterion_main!(benches);
