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

use std::path::Path;

use crate::error::{Error, Result};
use crate::format::defs::{Cont, Def, Msg, Time};

/// Reads `formats.toml` from the config directory, if there is one, and installs its
/// formats for detection and parsing.
pub fn install_from_config_dir() -> Result<()> {
    let Ok(dir) = crate::store::config_dir() else {
        return Ok(());
    };
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
}
