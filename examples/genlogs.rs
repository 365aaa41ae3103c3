//! Generate deterministic CovetPy-style logs, or the ground-truth counts for queries.
//!
//! ```text
//! cargo run --release --example genlogs -- --lines 100000 --seed 7 --format json > logs.jsonl
//! cargo run --release --example genlogs -- --size 1G --format text --out /tmp/big.log
//! cargo run --release --example genlogs -- --lines 5000 --seed 7 --truth 'level:ERROR timeout'
//! ```

use covet_gen::{self as gen, GenConfig, GenFormat};
use std::fs::File;
use std::io::{self, Write};
use std::process::ExitCode;

const USAGE: &str = "\
usage: genlogs [--lines N | --size SIZE] [--seed S] [--format json|text] [--out FILE]
               [--start RFC3339] [--step-ms MS] [--truth QUERY]...

  --lines N        number of entries (default 1000)
  --size SIZE      instead of --lines: write whole entries until at least SIZE bytes
                   (K, M, G suffixes, binary multiples: 1G = 1073741824)
  --seed S         PRNG seed, u64 (default 0)
  --format F       json (default) or text (the covet text layout)
  --out FILE       write to FILE instead of stdout
  --start TS       first timestamp, RFC 3339 (default 2024-01-15T00:00:00Z)
  --step-ms MS     mean gap between entries in ms (default 10)
  --truth QUERY    print `COUNT<TAB>QUERY` for each query instead of the logs
                   (with --out the logs are still written to FILE); repeatable
  -h, --help       show this help

Query terms (AND-ed, `-term` negates): word, \"phrase\", level:X, level:>=X (>, <=, <),
service:X, source:X, user_id:X, request_id:X, trace_id:X, span_id:X, tags:X,
endpoint:X, duration_ms:>N (>=, <, <=, =), status:N, error:*, error:X,
since:RFC3339, until:RFC3339";

struct Args {
    cfg: GenConfig,
    size: Option<u64>,
    out: Option<String>,
    truth: Vec<String>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut cfg = GenConfig::default();
    let mut lines: Option<usize> = None;
    let mut size = None;
    let mut out = None;
    let mut truth = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let known = [
            "--lines",
            "--size",
            "--seed",
            "--format",
            "--out",
            "--start",
            "--step-ms",
            "--truth",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument `{arg}`"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("`{flag}` needs a value"))?,
        };
        let num = |v: &str| -> Result<u64, String> {
            v.parse::<u64>()
                .map_err(|_| format!("`{flag}` expects a non-negative integer, got `{v}`"))
        };
        match flag.as_str() {
            "--lines" => {
                lines = Some(
                    usize::try_from(num(&value)?)
                        .map_err(|_| format!("`--lines {value}` is too large"))?,
                )
            }
            "--size" => size = Some(gen::parse_size(&value)?),
            "--seed" => cfg.seed = num(&value)?,
            "--format" => cfg.format = value.parse::<GenFormat>()?,
            "--out" => out = Some(value),
            "--start" => cfg.start_ns = gen::parse_rfc3339_ns(&value)?,
            "--step-ms" => cfg.step_ms = num(&value)?,
            _ => truth.push(value),
        }
    }
    if lines.is_some() && size.is_some() {
        return Err("use either --lines or --size, not both".into());
    }
    if let Some(n) = lines {
        cfg.lines = n;
    }
    Ok(Some(Args {
        cfg,
        size,
        out,
        truth,
    }))
}

fn run(mut args: Args) -> io::Result<()> {
    let err = |e: String| io::Error::new(io::ErrorKind::InvalidInput, e);
    if !args.truth.is_empty() {
        // Validate the queries before any (possibly long) generation.
        let queries: Vec<&str> = args.truth.iter().map(String::as_str).collect();
        let truth = gen::Truth::new(args.cfg.format, &queries).map_err(err)?;
        if let Some(size) = args.size {
            let n = match &args.out {
                Some(path) => gen::write_logs_size(&args.cfg, size, File::create(path)?)?,
                None => gen::write_logs_size(&args.cfg, size, io::sink())?,
            };
            args.cfg.lines = usize::try_from(n).unwrap_or(usize::MAX);
        } else if let Some(path) = &args.out {
            gen::write_logs(&args.cfg, File::create(path)?)?;
        }
        let counts = truth.count(&args.cfg);
        let stdout = io::stdout();
        let mut w = stdout.lock();
        for (count, q) in counts.iter().zip(&queries) {
            writeln!(w, "{count}\t{q}")?;
        }
        return w.flush();
    }
    match (&args.out, args.size) {
        (Some(path), Some(size)) => {
            gen::write_logs_size(&args.cfg, size, File::create(path)?).map(|_| ())
        }
        (Some(path), None) => gen::write_logs(&args.cfg, File::create(path)?),
        (None, Some(size)) => {
            gen::write_logs_size(&args.cfg, size, io::stdout().lock()).map(|_| ())
        }
        (None, None) => gen::write_logs(&args.cfg, io::stdout().lock()),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("genlogs: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        // `genlogs | head` is fine.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
            eprintln!("genlogs: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("genlogs: {e}");
            ExitCode::FAILURE
        }
    }
}
