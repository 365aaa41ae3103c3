//! Opening inputs: the one call every command (and later a server) makes to turn the
//! paths it was given into inputs. Paths as given, else `COVET_LOGS_PATH`, else piped
//! stdin; directories walked (`-L` follows links), walked files kept by `-g` globs.
//! The result is a value: the inputs, the paths that failed and the files a walk left
//! out. Nothing is printed here; the caller reports what it wants to (the CLI:
//! `commands::reported`).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};
use crate::input::{self, Input, Walk};

/// What `open_inputs` found.
pub struct Inputs {
    /// The inputs to read, in order.
    pub list: Vec<Input>,
    /// The paths that could not be read (the others are still read).
    pub errors: Vec<Error>,
    /// Files in walked directories that were left out, with why.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// How a caller finds its inputs: [`open_inputs`] (finding none is an error, as a
/// command says) or [`find_inputs`] (finding none is an empty answer, as the server
/// serves a directory its service has not written to yet).
pub type Find = fn(&[PathBuf], &Walk<'_>) -> Result<Inputs>;

/// Total size of the file inputs (for progress bars); stdin counts as unknown.
pub fn total_size(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Stdin | Input::Spooled(_) => None,
        })
        .sum()
}

/// Finds the inputs that `paths` name (or `COVET_LOGS_PATH`, or piped stdin),
/// walking directories as `walk` says (`-L`, `-g`). An error when nothing at all was
/// found, or a glob is malformed; a path that fails is in `Inputs::errors`.
pub fn open_inputs(paths: &[PathBuf], walk: &Walk<'_>) -> Result<Inputs> {
    let resolved = resolve(paths, walk)?;
    if resolved.inputs.is_empty() && resolved.errors.is_empty() {
        return Err(none_found(paths));
    }
    let mut found = globbed(resolved, paths, walk)?;
    without(&mut found, paths, input::stdout_file());
    Ok(found)
}

/// The inputs without the file `output` names (by device and inode): read, it would
/// grow as it is read (without end under `-f`). Named among `paths`, it is left out
/// with grep's error; found by walking a directory, it is skipped as ripgrep skips
/// it (said with `--debug`).
pub fn without(found: &mut Inputs, paths: &[PathBuf], output: Option<input::FileId>) {
    let Some(output) = output else {
        return;
    };
    let named = paths.iter().any(|p| input::file_id(p) == Some(output));
    let list = std::mem::take(&mut found.list);
    for item in list {
        match &item {
            Input::File(p) if input::file_id(p) == Some(output) => match named {
                true => found.errors.push(Error::new(
                    p.display().to_string(),
                    "input file is also the output",
                )),
                false => found
                    .skipped
                    .push((p.clone(), "the output of this command")),
            },
            _ => found.list.push(item),
        }
    }
}

/// [`open_inputs`] where finding no log file is an answer, not an error: a server
/// watching a directory its service has not written to yet serves nothing until it
/// does.
pub fn find_inputs(paths: &[PathBuf], walk: &Walk<'_>) -> Result<Inputs> {
    globbed(resolve(paths, walk)?, paths, walk)
}

fn resolve(paths: &[PathBuf], walk: &Walk<'_>) -> Result<input::Resolved> {
    use std::io::IsTerminal;
    let env = std::env::var("COVET_LOGS_PATH").ok();
    let stdin_tty = std::io::stdin().is_terminal();
    input::resolve(paths, env.as_deref(), stdin_tty, walk.follow_links)
}

fn globbed(resolved: input::Resolved, paths: &[PathBuf], walk: &Walk<'_>) -> Result<Inputs> {
    let input::Resolved {
        inputs,
        errors,
        skipped,
    } = resolved;
    Ok(Inputs {
        list: apply_globs(inputs, paths, walk.globs)?,
        errors,
        skipped,
    })
}

/// The error of a search that found no log file at all.
fn none_found(paths: &[PathBuf]) -> Error {
    let what = paths
        .first()
        .map_or("input".to_string(), |p| p.display().to_string());
    Error::new(
        what,
        "no log files found (text files named like logs or holding log lines; binary files are skipped)",
    )
}

/// The paths to read as given, or the defaults (`COVET_LOGS_PATH`, else none: piped
/// stdin).
pub fn given_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths.to_vec();
    }
    match std::env::var("COVET_LOGS_PATH") {
        Ok(env) if !env.trim().is_empty() => env
            .split(':')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// `-g`: files found by walking a directory are kept when their path matches a glob
/// (or no glob is given); `!GLOB` excludes. Files named as arguments always stay.
pub fn apply_globs(inputs: Vec<Input>, named: &[PathBuf], globs: &[String]) -> Result<Vec<Input>> {
    if globs.is_empty() {
        return Ok(inputs);
    }
    let (mut include, mut exclude) = (GlobSetBuilder::new(), GlobSetBuilder::new());
    let mut any_include = false;
    for g in globs {
        let (set, text) = match g.strip_prefix('!') {
            Some(rest) => (&mut exclude, rest),
            None => {
                any_include = true;
                (&mut include, g.as_str())
            }
        };
        let glob =
            Glob::new(text).map_err(|e| Error::new(format!("--glob {g}"), e.kind().to_string()))?;
        set.add(glob);
    }
    let build = |b: GlobSetBuilder| b.build().map_err(|e| Error::new("--glob", e.to_string()));
    let (include, exclude) = (build(include)?, build(exclude)?);
    let matches =
        |set: &GlobSet, p: &Path| set.is_match(p) || p.file_name().is_some_and(|n| set.is_match(n));
    Ok(inputs
        .into_iter()
        .filter(|input| match input {
            Input::File(p) if !named.contains(p) => {
                (!any_include || matches(&include, p)) && !matches(&exclude, p)
            }
            _ => true,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(paths: &[PathBuf], globs: &[&str]) -> Result<Inputs> {
        let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
        let walk = Walk {
            follow_links: false,
            globs: &globs,
        };
        open_inputs(paths, &walk)
    }

    #[test]
    fn inputs_errors_and_skipped_files_come_back_as_values() {
        let dir = tempfile::tempdir().expect("dir");
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).expect("write");
            p
        };
        let api = write("api.log", b"2024-01-15T10:00:00Z INFO up\n");
        write("db.log", b"2024-01-15T10:00:00Z INFO up\n");
        write("blob.bin", b"\0\x01\x02\x03 binary\0");
        let missing = dir.path().join("missing.log");
        let paths = vec![dir.path().to_path_buf(), missing.clone()];

        let all = open(&paths, &[]).expect("open");
        let mut names: Vec<String> = all.list.iter().map(Input::display_name).collect();
        names.sort();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].ends_with("api.log") && names[1].ends_with("db.log"));
        assert_eq!(all.errors.len(), 1);
        assert_eq!(all.errors[0].what, missing.display().to_string());
        assert!(all.skipped.iter().any(|(p, _)| p.ends_with("blob.bin")));

        // `-g` keeps walked files that match; a named file always stays.
        let kept = open(&[dir.path().to_path_buf()], &["api*"]).expect("open");
        assert_eq!(kept.list, vec![Input::File(api)]);
        let bad = open(&[dir.path().to_path_buf()], &["a{"]);
        assert!(bad.is_err_and(|e| e.what == "--glob a{"));

        // Nothing to read at all is the one error of the call itself.
        let empty = tempfile::tempdir().expect("dir");
        let none = open(&[empty.path().to_path_buf()], &[]);
        assert!(none.is_err_and(|e| e.why.starts_with("no log files found")));
    }
}
