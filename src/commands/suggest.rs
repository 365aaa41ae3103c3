//! Query suggestions for the completion scripts (`covet-logs suggest`): field names
//! (`serv` -> `service:`), after `field:` the values seen most in the default inputs
//! (`$COVET_LOGS_PATH`), and recent searches.
//!
//! Values come from a sample, not a scan: the first and last 256 KiB of each file (the
//! first 1 MiB decoded of a compressed one), so the answer takes milliseconds whatever
//! the size of the logs. The sample's counts are cached in `suggest.json` in the state
//! directory, keyed by each input's path, size and modification time.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::format::alias::Field;
use crate::format::{self, timestamp::TimeCtx};
use crate::input::{self, Input};
use crate::store;

/// Bytes read from each end of a file.
const SAMPLE: u64 = 256 << 10;
/// Values kept per field in the cache, and shown.
const KEEP: usize = 20;
/// Field names offered for an empty word, and searches from the history.
const RECENT: usize = 10;

/// The standard fields, as suggested.
const STANDARD: [Field; 11] = [
    Field::Level,
    Field::Service,
    Field::Source,
    Field::Message,
    Field::TraceId,
    Field::SpanId,
    Field::UserId,
    Field::RequestId,
    Field::Tags,
    Field::Id,
    Field::Timestamp,
];

/// One input's identity for the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    path: PathBuf,
    size: u64,
    mtime_ns: i128,
}

/// The cache file: the inputs it was built from and the sampled counts.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    inputs: Vec<Stamp>,
    /// Field name -> (value, count), most frequent first.
    fields: BTreeMap<String, Vec<(String, u64)>>,
}

/// Candidates for a query word. Several words (a quoted query being typed, as zsh
/// and fish pass it) complete their last word and keep the ones before it.
pub fn query(word: &str, paths: &[PathBuf]) -> Vec<String> {
    if let Some(at) = word.rfind(char::is_whitespace) {
        let (before, last) = word.split_at(at + 1);
        return query(last, paths)
            .into_iter()
            .map(|c| format!("{before}{c}"))
            .collect();
    }
    let cache = sampled(paths);
    let mut out = match word.split_once(':') {
        Some((field, prefix)) => values(&cache, field, prefix),
        None => field_names(&cache, word),
    };
    out.extend(
        recent(word)
            .into_iter()
            .filter(|q| !out.contains(q))
            .collect::<Vec<_>>(),
    );
    out
}

/// `field:value` for the most frequent values of `field` that start with `prefix`.
fn values(cache: &Cache, field: &str, prefix: &str) -> Vec<String> {
    let key =
        Field::from_query_name(field).map_or(field.to_string(), |f| f.json_name().to_string());
    let prefix_lc = prefix.to_lowercase();
    cache
        .fields
        .get(&key)
        .into_iter()
        .flatten()
        .filter(|(v, _)| v.to_lowercase().starts_with(&prefix_lc))
        .filter(|(v, _)| !v.is_empty() && !v.contains(char::is_whitespace))
        .map(|(v, _)| format!("{field}:{v}"))
        .collect()
}

/// `name:` for the standard fields and the sampled ones that start with `word`.
fn field_names(cache: &Cache, word: &str) -> Vec<String> {
    let lc = word.to_lowercase();
    let mut names: Vec<String> = STANDARD.iter().map(|f| f.json_name().to_string()).collect();
    names.extend(
        cache
            .fields
            .keys()
            .filter(|k| !names.contains(k))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let mut out: Vec<String> = names
        .into_iter()
        .filter(|n| n.to_lowercase().starts_with(&lc))
        .map(|n| format!("{n}:"))
        .collect();
    out.dedup();
    out
}

/// Recent searches (newest first) that start with `word`.
fn recent(word: &str) -> Vec<String> {
    let Ok(file) = store::history_path().and_then(|p| store::HistoryFile::load(&p)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for e in file.searches.iter().rev() {
        if !e.query.is_empty() && e.query.starts_with(word) && !out.contains(&e.query) {
            out.push(e.query.clone());
        }
        if out.len() == RECENT {
            break;
        }
    }
    out
}

/// The sampled counts: from the cache when it matches the inputs, else sampled now
/// and cached.
fn sampled(paths: &[PathBuf]) -> Cache {
    let env = std::env::var("COVET_LOGS_PATH").ok();
    let Ok(input::Resolved { inputs, .. }) = input::resolve(paths, env.as_deref(), true, false)
    else {
        return Cache::default();
    };
    let stamps: Vec<Stamp> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => stamp(p),
            _ => None,
        })
        .collect();
    if stamps.is_empty() {
        return Cache::default();
    }
    let path = store::state_dir().ok().map(|d| d.join("suggest.json"));
    if let Some(cached) = path.as_deref().and_then(load_cache) {
        if cached.inputs == stamps {
            return cached;
        }
    }
    let cache = build(stamps);
    if let (Some(path), Ok(bytes)) = (path, serde_json::to_vec(&cache)) {
        let _ = store::write_atomic(&path, &bytes);
    }
    cache
}

fn load_cache(path: &Path) -> Option<Cache> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?;
    let mtime_ns = match mtime.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    Some(Stamp {
        path: path.to_path_buf(),
        size: meta.len(),
        mtime_ns,
    })
}

/// Samples every input and keeps the most frequent values of each field.
fn build(stamps: Vec<Stamp>) -> Cache {
    let ctx = TimeCtx::utc_now_year();
    let mut counts: HashMap<String, HashMap<String, u64>> = HashMap::new();
    for s in &stamps {
        for part in sample(&s.path, s.size) {
            count_part(&part, &ctx, &mut counts);
        }
    }
    let fields = counts
        .into_iter()
        .map(|(name, vals)| {
            let mut v: Vec<(String, u64)> = vals.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(KEEP);
            (name, v)
        })
        .collect();
    Cache {
        inputs: stamps,
        fields,
    }
}

/// The head and tail of a plain file, or the decoded head of a compressed one; each
/// cut to whole lines.
fn sample(path: &Path, size: u64) -> Vec<Vec<u8>> {
    let input = Input::File(path.to_path_buf());
    let mut parts = Vec::new();
    if let Ok(input::Opened::Stream(mut r)) = input::open(&input, false) {
        let mut buf = Vec::new();
        let _ = r.by_ref().take(4 * SAMPLE).read_to_end(&mut buf);
        parts.push(buf);
        return parts;
    }
    let Ok(mut f) = std::fs::File::open(path) else {
        return parts;
    };
    let mut head = Vec::new();
    let _ = f.by_ref().take(SAMPLE).read_to_end(&mut head);
    parts.push(head);
    if size > 2 * SAMPLE && f.seek(SeekFrom::Start(size - SAMPLE)).is_ok() {
        let mut tail = Vec::new();
        let _ = f.take(SAMPLE).read_to_end(&mut tail);
        let start = memchr::memchr(b'\n', &tail).map_or(tail.len(), |i| i + 1);
        parts.push(tail[start..].to_vec());
    }
    parts
}

/// Counts the field values of each line of a sample that starts an entry.
fn count_part(part: &[u8], ctx: &TimeCtx, counts: &mut HashMap<String, HashMap<String, u64>>) {
    let end = memchr::memrchr(b'\n', part).map_or(0, |i| i + 1);
    let part = format::strip_bom(&part[..end]);
    let fmt = format::detect(part, ctx);
    for line in part.split(|&b| b == b'\n') {
        if line.is_empty() || !fmt.is_entry_start(line, ctx) {
            continue;
        }
        let rec = fmt.parse(line, ctx);
        let mut add = |name: &str, value: String| {
            if value.len() <= 80 {
                *counts
                    .entry(name.to_string())
                    .or_default()
                    .entry(value)
                    .or_default() += 1;
            }
        };
        if let Some(level) = rec.level() {
            add("level", level.as_str().to_string());
        }
        for f in STANDARD.iter().filter(|f| {
            !matches!(
                f,
                Field::Level | Field::Message | Field::Timestamp | Field::Id
            )
        }) {
            if let Some(v) = rec.text(*f) {
                add(f.json_name(), v.into_owned());
            }
        }
        for (k, v) in rec.metadata_json() {
            match v {
                serde_json::Value::String(s) => add(&k, s),
                serde_json::Value::Number(n) => add(&k, n.to_string()),
                serde_json::Value::Bool(b) => add(&k, b.to_string()),
                _ => {}
            }
        }
    }
}
