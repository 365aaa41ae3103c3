//! `covet-logs filters save|list|show|rm`: named queries kept in the config directory
//! (see `store`), used with `--filter NAME` on the scanning commands. `save`, `rm` and
//! `listed` (the filters as values) are what the server's `/api/v1/logs/filters`
//! calls too, under the same lock.

use crate::cli::filters::{FiltersAction, FiltersArgs, ListArgs, NameArgs, SaveArgs};
use crate::cli::FilterArgs;
use crate::config::FilterConfig;
use crate::engine::Outcome;
use crate::error::{Error, Result};
use crate::sink::out::Out;
use crate::sink::sanitize::sanitize;
use crate::store::{self, FiltersFile, SavedFilter, BUILT_IN};

/// Runs `filters`.
pub fn run(args: &FiltersArgs) -> Result<Outcome> {
    match &args.action {
        FiltersAction::Save(a) => save(a),
        FiltersAction::List(a) => list(a),
        FiltersAction::Show(a) => show(a),
        FiltersAction::Rm(a) => rm(a),
    }?;
    Ok(Outcome::Matched)
}

/// Saves a filter (compiled first, as a search would); refuses a built-in name, and a
/// taken one without `force`.
pub fn save(a: &SaveArgs) -> Result<()> {
    store::check_name(&a.name)?;
    if store::built_in(&a.name).is_some() {
        return Err(Error::new(
            format!("filter {}", a.name),
            "is a built-in preset and cannot be replaced; choose another name",
        ));
    }
    // Compile it as a search would, so a saved filter is always usable.
    let check = FilterArgs {
        query_opt: Some(a.query.clone()),
        since: a.since.clone(),
        until: a.until.clone(),
        regex: a.regex,
        case_sensitive: a.case_sensitive,
        ..FilterArgs::default()
    };
    FilterConfig::new(&check, None)?;
    let path = store::filters_path()?;
    // Under the file's lock; a malformed file stops here, before anything is written.
    FiltersFile::update(&path, |file| {
        if file.filters.contains_key(&a.name) && !a.force {
            return Err(Error::new(
                format!("filter {}", a.name),
                "already saved; use --force to replace it",
            ));
        }
        file.filters.insert(
            a.name.clone(),
            SavedFilter {
                query: a.query.clone(),
                since: a.since.clone(),
                until: a.until.clone(),
                description: a.description.clone(),
                regex: a.regex,
                case_sensitive: a.case_sensitive,
            },
        );
        Ok(())
    })
}

/// Every filter: built-ins first, then the saved ones by name.
fn all() -> Result<Vec<(String, SavedFilter, bool)>> {
    let mut out: Vec<(String, SavedFilter, bool)> = BUILT_IN
        .iter()
        .filter_map(|(n, _, _)| store::built_in(n).map(|f| (n.to_string(), f, true)))
        .collect();
    let file = FiltersFile::load(&store::filters_path()?)?;
    out.extend(file.filters.into_iter().map(|(n, f)| (n, f, false)));
    Ok(out)
}

/// One filter as `filters list --json` shows it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listed {
    pub name: String,
    pub query: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub description: Option<String>,
    pub regex: bool,
    pub case_sensitive: bool,
    pub built_in: bool,
}

/// Every filter as a value: built-ins first, then the saved ones by name.
pub fn listed() -> Result<Vec<Listed>> {
    Ok(all()?
        .into_iter()
        .map(|(name, f, built_in)| Listed {
            name,
            query: f.query,
            since: f.since,
            until: f.until,
            description: f.description,
            regex: f.regex,
            case_sensitive: f.case_sensitive,
            built_in,
        })
        .collect())
}

fn list(a: &ListArgs) -> Result<()> {
    let mut text = String::new();
    if a.json {
        for f in listed()? {
            let line = serde_json::to_string(&f).map_err(|e| Error::new("json", e.to_string()))?;
            text.push_str(&line);
            text.push('\n');
        }
    } else {
        let filters = all()?;
        // A hand-edited filters.json may hold any name: escaped like the rest.
        let width = filters
            .iter()
            .map(|(n, _, _)| sanitize(n).chars().count())
            .max()
            .unwrap_or(0);
        for (name, f, built_in) in &filters {
            let name = sanitize(name);
            let mut line = format!("{name:<width$}  {}", sanitize(&f.query));
            if let Some(s) = &f.since {
                line.push_str(&format!("  --since {}", sanitize(s)));
            }
            if let Some(u) = &f.until {
                line.push_str(&format!("  --until {}", sanitize(u)));
            }
            for (on, flag) in [(f.regex, "--regex"), (f.case_sensitive, "--case-sensitive")] {
                if on {
                    line.push_str("  ");
                    line.push_str(flag);
                }
            }
            if let Some(d) = &f.description {
                line.push_str(&format!("  # {}", sanitize(d)));
            }
            if *built_in {
                line.push_str("  (built-in)");
            }
            text.push_str(&line);
            text.push('\n');
        }
    }
    write(&text)
}

fn show(a: &NameArgs) -> Result<()> {
    let (name, f, built_in) = all()?
        .into_iter()
        .find(|(n, _, _)| *n == a.name)
        .ok_or_else(|| Error::new(format!("filter {}", a.name), "no such filter"))?;
    let mut text = format!("name: {}\nquery: {}\n", sanitize(&name), sanitize(&f.query));
    for (k, v) in [
        ("since", &f.since),
        ("until", &f.until),
        ("description", &f.description),
    ] {
        if let Some(v) = v {
            text.push_str(&format!("{k}: {}\n", sanitize(v)));
        }
    }
    for (on, what) in [(f.regex, "regex"), (f.case_sensitive, "case-sensitive")] {
        if on {
            text.push_str(&format!("{what}: yes\n"));
        }
    }
    if built_in {
        text.push_str("built-in: yes\n");
    }
    write(&text)
}

/// Deletes a saved filter; refuses a built-in or unknown name.
pub fn rm(a: &NameArgs) -> Result<()> {
    if store::built_in(&a.name).is_some() {
        return Err(Error::new(
            format!("filter {}", a.name),
            "is a built-in preset and cannot be deleted",
        ));
    }
    FiltersFile::update(&store::filters_path()?, |file| {
        match file.filters.remove(&a.name) {
            Some(_) => Ok(()),
            None => Err(Error::new(
                format!("filter {}", a.name),
                "no such saved filter",
            )),
        }
    })
}

fn write(text: &str) -> Result<()> {
    let mut out = Out::new();
    out.write(text.as_bytes());
    out.finish()
}
