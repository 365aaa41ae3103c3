//! User formats: `formats.toml` in the config directory defines text formats the same
//! way the built-in ones are defined (`format::defs`), read once at start-up.
//!
//! ```toml
//! [formats.myapp]
//! regex = '^(?P<ts>\S+ \S+) \[(?P<level>\w+)\] (?P<service>\S+): (?P<msg>.*)$'
//! timestamp = "auto"          # or "time-of-day"
//! continuation = "shape"      # or "any": every non-matching line continues an entry
//! ```
//!
//! A bad definition is an error naming the file, the line and the reason.
//!
//! Also the user's field aliases, `[fields]` in `config.toml`, which rank before the
//! built-in aliases of `format::alias`:
//!
//! ```toml
//! [fields]
//! level = ["invloglevel"]
//! message = ["msg_text", "payload.text"]
//! ```

use std::path::Path;

use crate::error::{Error, Result};
use crate::format::alias::{self, Field};
use crate::format::defs::{Cont, Def, Msg, Time};

/// Reads `formats.toml` from the config directory, if there is one, and installs its
/// formats for detection and parsing.
pub fn install_from_config_dir() -> Result<()> {
    let Ok(dir) = crate::store::config_dir() else {
        return Ok(());
    };
    install_fields(&dir.join("config.toml"))?;
    let path = dir.join("formats.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path.display().to_string(), &e)),
    };
    let defs = parse(&text).map_err(|(line, why)| located(&path, line, why))?;
    crate::format::pattern::install_user(defs);
    Ok(())
}

/// Reads `[fields]` of `config.toml`, if any, and installs the aliases it defines.
fn install_fields(path: &Path) -> Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path.display().to_string(), &e)),
    };
    let aliases = parse_fields(&text).map_err(|(line, why)| located(path, line, why))?;
    if !aliases.is_empty() {
        alias::install_user(&aliases);
    }
    Ok(())
}

/// The field names `[fields]` accepts, as its error lists them.
const FIELD_KEYS: &str =
    "timestamp, level, message, service, source, trace_id, span_id, user_id, request_id, id, tags";

/// Parses the `[fields]` table of a `config.toml` text: each key a standard field (by
/// any name a query accepts), each value a list of key names, in rank order. Other
/// tables and keys are `config`'s; an error is a line number and why.
pub fn parse_fields(text: &str) -> std::result::Result<Vec<(Field, String)>, (usize, String)> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        (line, e.message().to_string())
    })?;
    let Some(fields) = table.get("fields") else {
        return Ok(Vec::new());
    };
    let header = find_line(text, "[fields]")
        .or_else(|| find_line(text, "fields"))
        .unwrap_or(1);
    let Some(fields) = fields.as_table() else {
        return Err((header, "fields: expected a [fields] table".into()));
    };
    let mut out = Vec::new();
    for (name, value) in fields {
        let line = find_key_line(text, header, name).unwrap_or(header);
        let bad = |why: String| (line, format!("fields: '{name}': {why}"));
        let Some(field) = Field::from_query_name(name) else {
            return Err(bad(format!("unknown field (expected {FIELD_KEYS})")));
        };
        let list = value
            .as_array()
            .ok_or_else(|| bad("expected a list of key names".into()))?;
        for item in list {
            match item.as_str().map(str::trim) {
                Some(key) if !key.is_empty() => out.push((field, key.to_string())),
                _ => return Err(bad("expected a list of key names".into())),
            }
        }
    }
    Ok(out)
}

/// 1-based line of `key =` at or after `from` (a key may be quoted).
fn find_key_line(text: &str, from: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            let l = l.trim_start().trim_start_matches(['"', '\'']);
            l.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with('=')
            })
        })
        .map(|(i, _)| i + 1)
}

fn located(path: &Path, line: usize, why: String) -> Error {
    Error::new(format!("{}:{line}", path.display()), why)
}

/// Parses a `formats.toml` text into definitions; an error is a line number and why.
pub fn parse(text: &str) -> std::result::Result<Vec<Def>, (usize, String)> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        (line, e.message().to_string())
    })?;
    let mut defs = Vec::new();
    for (key, value) in &table {
        let line = find_line(text, &format!("[{key}")).unwrap_or(1);
        if key != "formats" {
            return Err((
                line,
                format!("unknown table '{key}' (expected [formats.NAME])"),
            ));
        }
        let Some(formats) = value.as_table() else {
            return Err((line, "expected [formats.NAME] tables".into()));
        };
        for (name, body) in formats {
            let line = find_line(text, &format!("[formats.{name}]")).unwrap_or(line);
            defs.push(parse_def(name, body, text, line)?);
        }
    }
    Ok(defs)
}

/// One `[formats.NAME]` table.
fn parse_def(
    name: &str,
    body: &toml::Value,
    text: &str,
    line: usize,
) -> std::result::Result<Def, (usize, String)> {
    let bad = |why: String| (line, format!("format '{name}': {why}"));
    let Some(body) = body.as_table() else {
        return Err(bad("expected a table with a regex".into()));
    };
    if crate::format::parse_format_name(name).is_some() {
        return Err(bad("is a built-in format name".into()));
    }
    let mut def = Def {
        name: leak(name),
        title: "user format (formats.toml)",
        example: "",
        pattern: "",
        time: Time::Auto,
        cont: Cont::Shape,
        msg: Msg::Plain,
        status_level: false,
        level: None,
    };
    for (key, value) in body {
        let s = value
            .as_str()
            .ok_or_else(|| bad(format!("key '{key}': expected a string")))?;
        match (key.as_str(), s) {
            ("regex", _) => def.pattern = leak(s),
            ("timestamp", "auto") => def.time = Time::Auto,
            ("timestamp", "time-of-day") => def.time = Time::TimeOfDay,
            ("continuation", "shape") => def.cont = Cont::Shape,
            ("continuation", "any") => def.cont = Cont::Any,
            ("timestamp", _) => {
                return Err(bad(format!(
                    "timestamp '{s}': expected auto or time-of-day"
                )))
            }
            ("continuation", _) => {
                return Err(bad(format!("continuation '{s}': expected shape or any")))
            }
            _ => {
                return Err(bad(format!(
                    "unknown key '{key}' (expected regex, timestamp, continuation)"
                )))
            }
        }
    }
    let regex_line = find_line_after(text, line, "regex").unwrap_or(line);
    let re = regex::bytes::Regex::new(def.pattern).map_err(|e| {
        let why = e.to_string();
        let last = why.lines().last().unwrap_or_default().trim().to_string();
        (regex_line, format!("format '{name}': bad regex: {last}"))
    })?;
    if def.pattern.is_empty() {
        return Err(bad("needs a regex".into()));
    }
    let names: Vec<&str> = re.capture_names().flatten().collect();
    if !names.iter().any(|n| matches!(*n, "ts" | "level" | "msg")) {
        return Err((
            regex_line,
            format!("format '{name}': the regex needs a named group ts, level or msg"),
        ));
    }
    Ok(def)
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// 1-based line of the first line that starts with `prefix` (after spaces).
fn find_line(text: &str, prefix: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map(|i| i + 1)
}

/// 1-based line of the first line at or after `from` that starts with `prefix`.
fn find_line_after(text: &str, from: usize, prefix: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.trim_start().starts_with(prefix))
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_definitions_and_reports_bad_ones_with_lines() {
        let defs = parse(
            "[formats.myapp]\nregex = '^(?P<ts>\\S+) (?P<msg>.*)$'\ntimestamp = \"time-of-day\"\n",
        )
        .unwrap();
        assert_eq!(defs.len(), 1);
        assert_eq!((defs[0].name, defs[0].time), ("myapp", Time::TimeOfDay));
        let err = |t: &str| parse(t).unwrap_err();
        assert_eq!(err("[formats.a]\nregex = '(unclosed'\n").0, 2);
        assert!(err("[formats.a]\nregex = '(unclosed'\n")
            .1
            .starts_with("format 'a': bad regex"));
        assert_eq!(
            err("# c\n[formats.a]\nregex = '^x$'\n"),
            (
                3,
                "format 'a': the regex needs a named group ts, level or msg".into()
            )
        );
        assert_eq!(
            err("[formats.a]\nregex = '(?P<msg>.*)'\nmode = \"x\"\n").1,
            "format 'a': unknown key 'mode' (expected regex, timestamp, continuation)"
        );
        assert_eq!(
            err("[formats.klog]\nregex = '(?P<msg>.*)'\n").1,
            "format 'klog': is a built-in format name"
        );
        assert_eq!(err("[formats.a\nregex = 1\n").0, 1);
    }

    #[test]
    fn reads_field_aliases_and_reports_bad_ones_with_lines() {
        let got = parse_fields(
            "color = \"never\"\n\n[fields]\nlevel = [\"invloglevel\"]\nmsg = [\"msg_text\", \"a.b\"]\n",
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (Field::Level, "invloglevel".to_string()),
                (Field::Message, "msg_text".to_string()),
                (Field::Message, "a.b".to_string()),
            ]
        );
        assert_eq!(parse_fields("color = \"never\"\n").unwrap(), vec![]);
        let err = |t: &str| parse_fields(t).unwrap_err();
        assert_eq!(
            err("[fields]\nlevel = [\"a\"]\nlevl = [\"b\"]\n"),
            (
                3,
                format!("fields: 'levl': unknown field (expected {FIELD_KEYS})")
            )
        );
        assert_eq!(
            err("# x\n[fields]\nlevel = \"a\"\n"),
            (3, "fields: 'level': expected a list of key names".into())
        );
        assert_eq!(
            err("[fields]\nlevel = [1]\n"),
            (2, "fields: 'level': expected a list of key names".into())
        );
        assert_eq!(
            err("fields = 3\n"),
            (1, "fields: expected a [fields] table".into())
        );
        assert_eq!(err("[fields]\nlevel = [\n").0, 3);
    }
}
