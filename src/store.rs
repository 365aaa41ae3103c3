//! What covet-logs keeps between runs: saved filters in the config directory and the
//! search history in the state directory, each one JSON file written atomically.
//!
//! Directories follow XDG: `$COVET_LOGS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/covet-logs`,
//! else `~/.config/covet-logs`; `$COVET_LOGS_STATE_DIR`, else
//! `$XDG_STATE_HOME/covet-logs`, else `~/.local/state/covet-logs`. A file that does
//! not parse is an error naming its path and line; it is never rewritten over.
//! Compiling a saved filter into a query is `config`'s job, not this module's.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::outfile;

/// The directory for settings and saved filters.
pub fn config_dir() -> Result<PathBuf> {
    dir("COVET_LOGS_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")
}

/// The directory for history.
pub fn state_dir() -> Result<PathBuf> {
    dir("COVET_LOGS_STATE_DIR", "XDG_STATE_HOME", ".local/state")
}

/// The directory for caches (the block index): `$COVET_LOGS_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/covet-logs`, else `~/.cache/covet-logs`.
pub fn cache_dir() -> Result<PathBuf> {
    dir("COVET_LOGS_CACHE_DIR", "XDG_CACHE_HOME", ".cache")
}

fn dir(own: &str, xdg: &str, home_rel: &str) -> Result<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(d) = set(own) {
        return Ok(PathBuf::from(d));
    }
    // XDG says relative values are invalid and must be ignored.
    if let Some(d) = set(xdg).map(PathBuf::from).filter(|p| p.is_absolute()) {
        return Ok(d.join("covet-logs"));
    }
    match set("HOME") {
        Some(h) => Ok(PathBuf::from(h).join(home_rel).join("covet-logs")),
        None => Err(Error::new(
            own,
            format!("not set, and neither is {xdg} nor HOME"),
        )),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory, renamed
/// into place: readers see the old file or the new one, never half of one. A new file
/// is private (0600); a symlink is written through (see `outfile`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    outfile::write_all(path, "state", 0o600, bytes)
}

fn create_parent(path: &Path) -> Result<&Path> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), &e))?;
    Ok(dir)
}

/// An exclusive advisory lock (flock) on the directory that holds `path`, held until
/// dropped. Every read-modify-write of a state file runs under it, so parallel runs
/// queue up instead of overwriting each other's changes; locking the directory rather
/// than a lock file leaves nothing beside the state files.
fn lock_dir_of(path: &Path) -> Result<File> {
    let dir = create_parent(path)?;
    let what = || dir.display().to_string();
    let file = File::open(dir).map_err(|e| Error::io(what(), &e))?;
    file.lock().map_err(|e| Error::io(what(), &e))?;
    Ok(file)
}

/// Reads `path` (a missing file is the default value), applies `change` and writes
/// the result atomically, all under the file's lock. Nothing is written when `change`
/// fails or the file does not parse.
fn update<T>(path: &Path, change: impl FnOnce(&mut T) -> Result<()>) -> Result<()>
where
    T: Default + Serialize + for<'de> Deserialize<'de>,
{
    let _lock = lock_dir_of(path)?;
    let mut value: T = read_json(path)?.unwrap_or_default();
    change(&mut value)?;
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| Error::new(path.display().to_string(), e.to_string()))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Reads and parses a JSON file; `None` when it does not exist.
fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path.display().to_string(), &e)),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Error::new(
            path.display().to_string(),
            format!(
                "line {}, column {}: {}; fix or remove the file (it is left as it is)",
                e.line(),
                e.column(),
                describe_json_error(&e)
            ),
        )
    })
}

/// serde_json's message without its own " at line L column C" suffix.
fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// One saved filter: a query, an optional time window, and the search toggles it was
/// saved with (`--regex`, `--case-sensitive`), which apply whenever it is used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedFilter {
    pub query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Bare words are regular expressions (`--regex`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub regex: bool,
    /// Words match only in their own case (`--case-sensitive`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub case_sensitive: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The saved filters file (`filters.json`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiltersFile {
    #[serde(default)]
    pub filters: BTreeMap<String, SavedFilter>,
}

/// The presets every installation has; they cannot be replaced or deleted.
pub const BUILT_IN: [(&str, &str, &str); 3] = [
    ("errors", "level:>=ERROR", "entries at ERROR or FATAL"),
    ("warnings", "level:>=WARN", "entries at WARN or above"),
    (
        "slow",
        "duration_ms:>1000",
        "entries that took over a second",
    ),
];

/// A built-in preset by name.
pub fn built_in(name: &str) -> Option<SavedFilter> {
    BUILT_IN
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, q, d)| SavedFilter {
            query: q.to_string(),
            description: Some(d.to_string()),
            ..SavedFilter::default()
        })
}

/// Where the saved filters live.
pub fn filters_path() -> Result<PathBuf> {
    Ok(config_dir()?.join("filters.json"))
}

impl FiltersFile {
    /// Loads the file; a missing file is an empty set.
    pub fn load(path: &Path) -> Result<FiltersFile> {
        Ok(read_json(path)?.unwrap_or_default())
    }

    /// Loads the file under its lock, applies `change` and writes it back; parallel
    /// changes are applied one after another, none lost.
    pub fn update(path: &Path, change: impl FnOnce(&mut FiltersFile) -> Result<()>) -> Result<()> {
        update(path, change)
    }
}

/// Looks a filter up by name: saved ones, then the built-ins.
pub fn find_filter(name: &str) -> Result<SavedFilter> {
    if let Some(f) = built_in(name) {
        return Ok(f);
    }
    let path = filters_path()?;
    let file = FiltersFile::load(&path)?;
    file.filters.get(name).cloned().ok_or_else(|| {
        Error::new(
            format!("--filter {name}"),
            "no such saved filter (see `covet-logs filters list`)",
        )
    })
}

/// A name that is safe to type and to store: letters, digits, `_`, `-`, `.`.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !name.starts_with(['-', '.']);
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            format!("filter name {name:?}"),
            "use letters, digits, `_`, `-` and `.` (up to 64, not starting with `-` or `.`)",
        ))
    }
}

/// One alert rule kept for `serve` (`/api/v1/alerts`): a rule in the language of
/// `stats --alert` and an optional description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedAlert {
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The alert rules file (`alerts.json` in the config directory), by name.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsFile {
    #[serde(default)]
    pub alerts: BTreeMap<String, SavedAlert>,
}

/// Where the alert rules live.
pub fn alerts_path() -> Result<PathBuf> {
    Ok(config_dir()?.join("alerts.json"))
}

impl AlertsFile {
    /// Loads the file; a missing file is no rules.
    pub fn load(path: &Path) -> Result<AlertsFile> {
        Ok(read_json(path)?.unwrap_or_default())
    }

    /// Loads the file under its lock, applies `change` and writes it back.
    pub fn update(path: &Path, change: impl FnOnce(&mut AlertsFile) -> Result<()>) -> Result<()> {
        update(path, change)
    }
}

/// One recorded search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub query: String,
    /// RFC 3339 UTC.
    pub time: String,
    pub matches: u64,
    /// The arguments after the program name, as typed (`search -l ERROR timeout
    /// logs/`); empty in entries recorded before they were kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The working directory the search ran in (relative paths are relative to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
}

/// The history file (`history.json`), oldest first.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct HistoryFile {
    #[serde(default)]
    pub searches: Vec<HistoryEntry>,
}

/// How many searches the history keeps.
pub const HISTORY_LEN: usize = 100;

pub fn history_path() -> Result<PathBuf> {
    Ok(state_dir()?.join("history.json"))
}

impl HistoryFile {
    pub fn load(path: &Path) -> Result<HistoryFile> {
        Ok(read_json(path)?.unwrap_or_default())
    }

    /// Appends a search, keeping the last [`HISTORY_LEN`], and writes the file (under
    /// its lock: parallel searches are all recorded).
    pub fn record(path: &Path, entry: HistoryEntry) -> Result<()> {
        update(path, |file: &mut HistoryFile| {
            file.searches.push(entry);
            let over = file.searches.len().saturating_sub(HISTORY_LEN);
            file.searches.drain(..over);
            Ok(())
        })
    }

    /// Removes the history file, under its lock; a file that does not parse is left
    /// as it is (it is not ours to remove).
    pub fn clear(path: &Path) -> Result<()> {
        let _lock = lock_dir_of(path)?;
        HistoryFile::load(path)?;
        match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(path.display().to_string(), &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["errors", "db-slow", "a.b_c", "X9"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", ".x", "a b", "a/b", "ü"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn malformed_file_names_path_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("filters.json");
        std::fs::write(
            &p,
            "{\n  \"filters\": {\n    \"a\": {\"query\": 1}\n  }\n}\n",
        )
        .unwrap();
        let e = FiltersFile::load(&p).unwrap_err();
        assert_eq!(e.what, p.display().to_string());
        assert!(e.why.starts_with("line 3, column "), "{}", e.why);
    }
}
