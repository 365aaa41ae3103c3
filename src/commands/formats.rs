//! `covet-logs formats`: the built-in formats (name, library, example line), and
//! `formats detect FILE...`: the detected format per file, the share of sampled lines
//! it read, and its first two entries as parsed.

use std::io::Read;
use std::path::Path;

use crate::cli::formats::{FormatsAction, FormatsArgs};
use crate::commands::report;
use crate::engine::Outcome;
use crate::error::{Error, Result};
use crate::format::alias::Field;
use crate::format::{self, timestamp::TimeCtx, Format};
use crate::input::unbatch;
use crate::sink::out::Out;
use crate::sink::sanitize::sanitize;

/// How much of each file detection samples (as `format::detect` does).
const HEAD: u64 = 256 * 1024;

/// Runs `formats`.
pub fn run(args: &FormatsArgs) -> Result<Outcome> {
    let (text, failed) = match &args.action {
        None => (list(), false),
        Some(FormatsAction::Detect(a)) => detect_all(&a.files),
    };
    let mut out = Out::new();
    out.write(text.as_bytes());
    out.finish()?;
    Ok(match failed {
        true => Outcome::Failed,
        false => Outcome::Matched,
    })
}

/// The built-in formats, one per line: name, what writes it, an example line.
fn list() -> String {
    let mut rows: Vec<(&str, &str, &str)> = vec![
        (
            "json",
            "JSON lines (pino, bunyan, zap, Serilog CLEF, ECS, ...)",
            r#"{"time":"2024-01-15T14:23:45Z","level":"info","msg":"hi"}"#,
        ),
        (
            "logfmt",
            "key=value pairs (logrus, slog, Heroku)",
            r#"time=2024-01-15T14:23:45Z level=info msg="hi""#,
        ),
        (
            "covet",
            "the covet layout",
            "2024-01-15 14:23:45.123 [ERROR] covet-core request.rs:42 Failed",
        ),
    ];
    rows.extend(format::pattern::all_defs().map(|d| (d.name, d.title, d.example)));
    // Wrappers: named with their inner format as detected (`docker/json`).
    let wrapped: Vec<(String, &str, &str)> = format::wrap::WRAPPERS
        .iter()
        .map(|w| (format!("{}/FORMAT", w.name), w.title, w.example))
        .collect();
    rows.extend(wrapped.iter().map(|(n, t, e)| (n.as_str(), *t, *e)));
    rows.push((
        "text",
        "any text with a leading timestamp",
        "2024-01-15 14:23:45 something happened",
    ));
    rows.push(("plain", "anything else: one entry per line", "some words"));
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (name, title, example) in rows {
        text.push_str(&format!(
            "{name:<width$}  {title}\n{:width$}  {example}\n",
            ""
        ));
    }
    text
}

/// Each file's detection; errors are reported and flagged.
fn detect_all(files: &[std::path::PathBuf]) -> (String, bool) {
    let mut text = String::new();
    let mut failed = false;
    for path in files {
        match detect_one(path) {
            Ok(t) => text.push_str(&t),
            Err(e) => {
                report(&e);
                failed = true;
            }
        }
    }
    (text, failed)
}

fn detect_one(path: &Path) -> Result<String> {
    let name = path.display().to_string();
    let err = |e: std::io::Error| Error::new(&name, e.to_string());
    let file = std::fs::File::open(path).map_err(err)?;
    let modified = file
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok());
    let mut head = Vec::new();
    file.take(HEAD).read_to_end(&mut head).map_err(err)?;
    let batches = unbatch::starts_with_batch(&head);
    if batches {
        head = expand_batches(&head);
    }
    let ctx = modified.map_or(TimeCtx::utc_now_year(), |m| {
        TimeCtx::utc_now_year().dated(m)
    });
    let d = format::detect_scored(&head, &ctx);
    let share = (d.parsed * 100).checked_div(d.sampled).unwrap_or(0);
    let mut text = format!(
        "{}: {} ({share}% of {} sampled lines read)\n",
        sanitize(&name),
        d.name(),
        d.sampled
    );
    if batches {
        text.push_str(&format!("  note: {BATCHES_NOTE}\n"));
    } else if let Some(note) = d.note() {
        text.push_str(&format!("  note: {note}\n"));
    }
    for raw in first_entries(&head, d.format, &ctx, 2) {
        text.push_str("  ");
        text.push_str(&sample_json(d.format, raw, &ctx));
        text.push('\n');
    }
    Ok(text)
}

/// What `formats detect` says of an OpenTelemetry collector export (`input::unbatch`).
const BATCHES_NOTE: &str = "an OpenTelemetry collector export: each line is a batch of \
log records, and each record is read as an entry of its own (a JSON line with its \
resource and scope; line numbers and offsets count the records)";

/// The head of a collector export as covet-logs reads it: one line per record.
fn expand_batches(head: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len());
    match unbatch::Unbatch::new(std::io::BufReader::new(head)).read_to_end(&mut out) {
        Ok(_) => out,
        Err(_) => head.to_vec(),
    }
}

/// The first `n` entries of `head` by the format's entry-start rule.
fn first_entries<'a>(head: &'a [u8], fmt: Format, ctx: &TimeCtx, n: usize) -> Vec<&'a [u8]> {
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos < head.len() && starts.len() <= n {
        let end = memchr::memchr(b'\n', &head[pos..]).map_or(head.len(), |i| pos + i);
        let line = &head[pos..end];
        let prev = pos
            .checked_sub(1)
            .map(|e| &head[memchr::memrchr(b'\n', &head[..e]).map_or(0, |i| i + 1)..e]);
        if !line.trim_ascii().is_empty()
            && (starts.is_empty() || fmt.is_entry_start_after(prev, line, ctx))
        {
            starts.push(pos);
        }
        pos = end + 1;
    }
    starts.push(head.len());
    starts
        .windows(2)
        .take(n)
        .map(|w| format::text::trim_newlines(&head[w[0]..w[1]]))
        .collect()
}

/// One parsed entry as a JSON object: the standard fields, then the other fields.
fn sample_json(fmt: Format, raw: &[u8], ctx: &TimeCtx) -> String {
    let rec = fmt.parse(raw, ctx);
    let mut obj = serde_json::Map::new();
    for f in [
        Field::Timestamp,
        Field::Level,
        Field::Service,
        Field::Source,
    ] {
        if let Some(v) = rec.text(f) {
            obj.insert(f.json_name().to_string(), v.into_owned().into());
        }
    }
    obj.insert("message".into(), rec.message().into_owned().into());
    obj.extend(rec.metadata_json());
    serde_json::Value::Object(obj).to_string()
}
