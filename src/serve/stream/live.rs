//! The shared follower of a filter: `tail -f`'s follower (`engine::follow::follow_into`:
//! rotation, truncation, new files in directories) from the files' ends at the moment
//! it starts, each released block's matches rendered once (`render`) into its hub's
//! ring. It runs while the hub has members and for `LINGER` after the last one left
//! (a client closed for overflow reconnects to the same ring), then removes its hub.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cli::FilterArgs;
use crate::engine::follow::{follow_into, Followed};
use crate::input::follow::{Flow, Resume, Spec};
use crate::input::Input;
use crate::serve::error::ApiError;
use crate::serve::state::Served;
use crate::serve::stream::cursor::{format_cursor, Positions};
use crate::serve::stream::hub::{Hub, Hubs, Member};
use crate::serve::stream::render::{Pipeline, Renderer};

/// How long a hub outlives its last client.
pub const LINGER: Duration = Duration::from_secs(10);

/// Joins the hub of this filter, starting its follower if none runs.
pub fn join(
    hubs: &Arc<Hubs>,
    filter: &Arc<FilterArgs>,
    served: &Arc<Served>,
) -> Result<Member, ApiError> {
    let key = format!("{filter:?}");
    let (specs, positions) = at_the_ends(served)?;
    hubs.join(&key, format_cursor(&positions), |hub| {
        let (hubs, key, filter, served) =
            (hubs.clone(), key.clone(), filter.clone(), served.clone());
        std::thread::Builder::new()
            .name("covet-logs-ws-shared".into())
            .spawn(move || {
                let mut empty_since = None;
                follow(&hub, &filter, &served, (specs, positions), &mut || {
                    stay(&hubs, &key, &hub, &mut empty_since)
                });
                // Stopped for want of members (removed already), or the inputs
                // could not be followed: the readers end after what they have.
                hubs.remove(&key, &hub);
                hub.end();
            })
            .map(drop)
            .map_err(|_| ApiError::internal("cannot start following"))
    })
}

/// Whether the follower goes on: yes while the hub has members, and until `LINGER`
/// after the last left (then the hub is removed, unless someone joined meanwhile).
fn stay(hubs: &Hubs, key: &str, hub: &Arc<Hub>, empty_since: &mut Option<Instant>) -> bool {
    if hub.members() > 0 {
        *empty_since = None;
        return true;
    }
    if empty_since.get_or_insert_with(Instant::now).elapsed() < LINGER {
        return true;
    }
    if hubs.leave_if_empty(key, hub) {
        hub.end();
        return false;
    }
    *empty_since = None;
    true
}

/// Follows from `start` into the hub's ring while `going()`. False if the inputs
/// could not be followed (the caller ends the hub either way).
fn follow(
    hub: &Hub,
    filter: &FilterArgs,
    served: &Served,
    (specs, positions): (Vec<Spec>, Positions),
    going: &mut dyn FnMut() -> bool,
) -> bool {
    let Some(pipeline) = Pipeline::new(filter, &served.input) else {
        return false;
    };
    let cfg = pipeline.scan_config();
    let mut renderer = Renderer::new(positions);
    let mut on = |ev: Followed<'_, crate::serve::entries::StreamPart>| -> Flow {
        if !going() {
            return Flow::Stop;
        }
        match ev {
            Followed::Part { part, .. } => hub.push(renderer.render(part)),
            // Rotated, re-created or truncated: look the file up again, and record
            // the name's new identity (`permalink`).
            Followed::Notice { name, .. } => {
                renderer.forget(name);
                let _ = served.inputs();
            }
            Followed::Files(_) | Followed::Idle => {}
        }
        Flow::Continue
    };
    follow_into(
        specs,
        pipeline.follow_config(),
        &cfg,
        pipeline.sink(),
        &mut on,
    )
    .is_ok()
}

/// What to follow, from each served file's current end, and those ends as positions.
fn at_the_ends(served: &Served) -> Result<(Vec<Spec>, Positions), ApiError> {
    let files: Vec<PathBuf> = served
        .inputs()?
        .into_iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut positions = BTreeMap::new();
    let mut resumes: Vec<(PathBuf, Resume)> = Vec::new();
    for path in files {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let id = (meta.dev(), meta.ino());
        positions.insert(id, meta.len());
        let resume = Resume {
            offset: meta.len(),
            id,
            held: None,
        };
        resumes.push((path, resume));
    }
    let specs = served
        .paths
        .iter()
        .map(|p| {
            let mine = |f: &PathBuf| f == p || f.starts_with(p);
            if p.is_dir() {
                Spec::Dir {
                    path: p.clone(),
                    resume: resumes.iter().filter(|(f, _)| mine(f)).cloned().collect(),
                }
            } else {
                Spec::File {
                    path: p.clone(),
                    resume: resumes.iter().find(|(f, _)| f == p).map(|(_, r)| r.clone()),
                }
            }
        })
        .collect();
    Ok((specs, positions))
}
