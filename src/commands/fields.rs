//! `covet-logs fields`: every field in the matching entries with its types, the share
//! of entries that have it, its distinct values and its top values; or the top values
//! of one field. `scan_fields` (the table) and `document` (the `--json` value) are
//! what the server's `/api/v1/logs/fields` calls too; `run` prints them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::format::alias::Field;
use crate::input::Input;

use serde::Serialize;

use crate::cli::fields::FieldsArgs;
use crate::cli::QueryPaths;
use crate::config::{FilterConfig, InputConfig};
use crate::engine::{self, Outcome};
use crate::error::{Error, Result};
use crate::sink::fields::{FieldAcc, FieldTable, Fields, Overflow, FIELD_CAP, VALUE_CAP};
use crate::sink::out::Out;
use crate::sink::sanitize::sanitize;

/// `fields --json`: the document.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocJson<'a> {
    entries: u64,
    fields: Vec<FieldJson<'a>>,
    more_fields: MoreJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FieldJson<'a> {
    field: &'a str,
    types: &'a BTreeSet<&'static str>,
    present: u64,
    share: f64,
    distinct: usize,
    distinct_exact: bool,
    top: Vec<TopJson<'a>>,
}

#[derive(Serialize)]
struct TopJson<'a> {
    value: &'a str,
    count: u64,
}

/// Field names past the cap.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MoreJson {
    count: usize,
    count_exact: bool,
    occurrences: u64,
}

/// The top `n` values, most frequent first, ties by value.
fn top(acc: &FieldAcc, n: usize) -> Vec<(&str, u64)> {
    let mut v: Vec<(&str, u64)> = acc.values.iter().map(|(k, c)| (k.as_str(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.truncate(n);
    v
}

/// A positional that names a field rather than a path or a query: not `-`, no such
/// path, and only name characters (`level`, `metadata.endpoint`, `user-id`).
fn names_field(p: &Path) -> bool {
    let text = p.to_string_lossy();
    p.as_os_str() != "-"
        && !p.exists()
        && !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "_.-@$".contains(c))
}

/// The positionals as query, field and paths: `[QUERY] [FIELD] [PATH]...`, where a
/// first plain name is the field (the spelling from before the query came first).
fn split_args(args: &FieldsArgs) -> (FieldsArgs, Option<String>) {
    let mut args = args.clone();
    let mut all: Vec<PathBuf> = args.query.take().map(PathBuf::from).into_iter().collect();
    all.append(&mut args.paths);
    let field_first = all.first().is_some_and(|p| names_field(p));
    if !field_first && !all.is_empty() {
        let mut pos = QueryPaths {
            query: Some(all.remove(0).into_os_string()),
            paths: all,
        };
        let debug = args.input.read.debug;
        super::fold_positionals(&mut pos, &mut args.filter, debug);
        all = pos.paths;
    }
    let one = match all.first() {
        Some(p) if names_field(p) => Some(all.remove(0).to_string_lossy().into_owned()),
        _ => None,
    };
    args.paths = all;
    (args, one)
}

/// Runs `fields`.
pub fn run(args: &FieldsArgs) -> Result<Outcome> {
    let (args, one) = split_args(args);
    let args = &args;
    let filter = FilterConfig::new(&args.filter, None)?;
    let input_cfg = InputConfig::new(&args.input);
    let opened = engine::open_inputs(&args.paths, &input_cfg.walk())?;
    let (inputs, failed) = super::reported(opened, input_cfg.debug);
    let (table, scan_failed) = scan_fields(&filter, &input_cfg, &inputs, one.as_deref())?;
    let n = args.top.unwrap_or(if one.is_some() { 20 } else { 5 });
    let text = if args.json {
        // Serialized straight from these structs: no `Value` tree for 10,000 fields.
        let doc = serde_json::to_string(&document(&table, one.as_deref(), n)?)
            .map_err(|e| Error::new("fields --json", e.to_string()))?;
        doc + "\n"
    } else {
        render_text(&table, one.as_deref(), n)?
    };
    let mut out = Out::new();
    out.write(text.as_bytes());
    out.finish()?;
    Ok(Outcome::of(failed || scan_failed, table.entries))
}

/// The fields of the entries of `inputs` that `filter` matches (with `one`, only that
/// field is tracked, so no cap of names applies); true when an input failed.
pub fn scan_fields(
    filter: &FilterConfig,
    input_cfg: &InputConfig,
    inputs: &[Input],
    one: Option<&str>,
) -> Result<(FieldTable, bool)> {
    input_cfg.init_threads();
    let cfg = super::scan_config(filter, input_cfg, false, None);
    // A standard field (`level`) is read without building every entry's metadata, as
    // long as some entry has it; `metadata.NAME` is looked for only when none does,
    // by reading the inputs again (so only when each can be read again).
    let first_std = one.is_some_and(is_standard_name) && inputs.iter().all(rereadable);
    let names = |with_meta: bool| {
        one.map(|name| match with_meta {
            true => vec![name.to_string(), format!("metadata.{name}")],
            false => vec![name.to_string()],
        })
    };
    let sink = Fields {
        only: names(!first_std),
        levels_only: one == Some("level"),
    };
    let mut table = FieldTable::default();
    let mut failed = super::scan_all(inputs, &cfg, &sink, |part| table.merge(part))?;
    let absent = one.is_some_and(|name| !table.fields.contains_key(name));
    // Also when blocks counted from index summaries (`levels_only`) were not read for
    // a `metadata.level`.
    if absent && (first_std || table.unread > 0) {
        let sink = Fields {
            only: names(true),
            levels_only: false,
        };
        table = FieldTable::default();
        failed = super::scan_all(inputs, &cfg, &sink, |part| table.merge(part))?;
    }
    Ok((table, failed))
}

/// A name `Fields` reads as a standard field (`timestamp`, `level`, `message`, `tags`
/// and the text fields by their JSON names).
fn is_standard_name(name: &str) -> bool {
    matches!(name, "timestamp" | "level" | "message" | "tags")
        || Field::ALL.iter().any(|f| f.json_name() == name)
}

/// An input that a second pass reads as the first did: a local file or a spool.
fn rereadable(input: &Input) -> bool {
    match input {
        Input::File(p) => !crate::input::object::is_object_url(p) && p.is_file(),
        Input::Spooled(_) => true,
        Input::Stdin => false,
    }
}

/// The share of the table's entries that `present` is.
fn share_of(table: &FieldTable, present: u64) -> f64 {
    match table.entries {
        0 => 0.0,
        total => present as f64 / total as f64,
    }
}

/// The fields shown: `one` (or `metadata.ONE`), else every field. An error when `one`
/// is in no matching entry.
fn selected<'t>(
    table: &'t FieldTable,
    one: Option<&str>,
) -> Result<Vec<(&'t String, &'t FieldAcc)>> {
    let Some(name) = one else {
        return Ok(table.fields.iter().collect());
    };
    let found = table.fields.get_key_value(name).or_else(|| {
        let alt = format!("metadata.{name}");
        table.fields.get_key_value(alt.as_str())
    });
    match found {
        Some(f) => Ok(vec![f]),
        None if table.entries == 0 => Ok(vec![]),
        None => Err(Error::new(
            format!("field {name}"),
            "not found in the matching entries (and not an existing path)",
        )),
    }
}

/// `fields --json`: the document, with each field's `n` top values.
pub fn document<'t>(table: &'t FieldTable, one: Option<&str>, n: usize) -> Result<DocJson<'t>> {
    let fields: Vec<FieldJson> = selected(table, one)?
        .into_iter()
        .map(|(name, acc)| FieldJson {
            field: name,
            types: &acc.types,
            present: acc.present,
            share: share_of(table, acc.present),
            distinct: acc.values.len(),
            distinct_exact: !acc.capped && !acc.partial,
            top: top(acc, n)
                .into_iter()
                .map(|(value, count)| TopJson { value, count })
                .collect(),
        })
        .collect();
    let more = &table.overflow;
    Ok(DocJson {
        entries: table.entries,
        fields,
        more_fields: MoreJson {
            count: more.count(),
            count_exact: !more.inexact,
            occurrences: more.occurrences,
        },
    })
}

/// The text report: one field's top values, or the table of every field.
fn render_text(table: &FieldTable, one: Option<&str>, n: usize) -> Result<String> {
    let selected = selected(table, one)?;
    let total = table.entries;
    let share = |present: u64| share_of(table, present);
    let mut text = String::new();
    if one.is_some() {
        for (name, acc) in &selected {
            text.push_str(&format!(
                "{} in {} of {total} entries ({:.1}%), {} distinct\n",
                sanitize(name),
                acc.present,
                share(acc.present) * 100.0,
                distinct(acc)
            ));
            for (v, c) in top(acc, n) {
                text.push_str(&format!(
                    "{c:>10}  {:>5.1}%  {}\n",
                    share(c) * 100.0,
                    sanitize(v)
                ));
            }
        }
    } else {
        let width = selected
            .iter()
            .map(|(k, _)| k.len())
            .max()
            .unwrap_or(5)
            .max(5);
        text.push_str(&format!("{total} entries\n"));
        text.push_str(&format!(
            "{:<width$}  {:<14}  {:>7}  {:>8}  TOP VALUES\n",
            "FIELD", "TYPES", "PRESENT", "DISTINCT"
        ));
        for (name, acc) in &selected {
            let types: Vec<&str> = acc.types.iter().copied().collect();
            let tops: Vec<String> = top(acc, n)
                .iter()
                .map(|(v, c)| format!("{} ({c})", sanitize(&shorten(v, 40))))
                .collect();
            text.push_str(&format!(
                "{:<width$}  {:<14}  {:>6.1}%  {:>8}  {}\n",
                sanitize(name),
                types.join(","),
                share(acc.present) * 100.0,
                distinct(acc),
                tops.join(", ")
            ));
        }
        if let Some(line) = more_fields_line(&table.overflow) {
            text.push_str(&line);
        }
        if selected.iter().any(|(_, a)| a.capped) {
            text.push_str(&format!(
                "(>N: more than {VALUE_CAP} distinct values; top values among the first {VALUE_CAP} seen)\n"
            ));
        }
        if selected.iter().any(|(_, a)| a.partial && !a.capped) {
            text.push_str(
                "(N+: values of some entries were not counted, past a memory cap; presence is exact)\n",
            );
        }
    }
    Ok(text)
}

fn distinct(acc: &FieldAcc) -> String {
    if acc.capped {
        format!(">{VALUE_CAP}")
    } else if acc.partial {
        format!("{}+", acc.values.len())
    } else {
        acc.values.len().to_string()
    }
}

/// The line under the table for the field names past [`FIELD_CAP`].
fn more_fields_line(more: &Overflow) -> Option<String> {
    if more.count() == 0 {
        return None;
    }
    let at_least = if more.inexact { "at least " } else { "" };
    Some(format!(
        "… and {at_least}{} more fields ({} occurrences), not tracked past the first {FIELD_CAP}\n",
        more.count(),
        more.occurrences
    ))
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}
