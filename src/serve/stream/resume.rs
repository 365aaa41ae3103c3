//! `after=ID`: a resume after an entry named by its LogEntry `id` (an own `id` field,
//! `FILE:LINE`, `FILE@OFFSET`; resolved as `/logs/{id}/context` resolves it,
//! `permalink::locate`) turned into stream positions, which then resume as a cursor
//! does (`catchup` reads from them).
//!
//! - The entry's own file resumes right after the entry.
//! - Every other served file resumes at its first entry (in file order) whose time is
//!   later than the entry's; entries without a time follow the one before them, so
//!   they are skipped or sent with it. An entry without a time takes the time of the
//!   nearest entry before it in its file that has one (`context::LOOK_BACK` entries
//!   back at most).
//! - When that time is unknown (no entry before it has one), or a file has no later
//!   entry, the file resumes at its end now: only what is written from now on.
//!
//! A position past the ring's newest point (a file the shared follower has not read
//! that far yet) is kept within it (`within`), so the catch-up does not take the file
//! for a truncated one.

use std::os::unix::fs::MetadataExt;

use crate::cli::FilterArgs;
use crate::commands::context::Located;
use crate::config::{FilterConfig, InputConfig};
use crate::format::timestamp;
use crate::input::Input;
use crate::serve::error::ApiError;
use crate::serve::state::Served;
use crate::serve::stream::cursor::Positions;
use crate::sink::{Hit, Sink, Source};

/// The positions a stream resumes at after the entry `id` names (blocking: it reads
/// the files). 404 `not_found` for an id no entry has, or several entries share.
pub fn positions_after_id(served: &Served, id: &str) -> Result<Positions, ApiError> {
    let located = crate::serve::permalink::locate(served, id)?;
    positions_after(served, &located)
}

/// Each served file's resume position after `entry` (above).
fn positions_after(served: &Served, entry: &Located) -> Result<Positions, ApiError> {
    let own = std::fs::metadata(&entry.file)
        .map(|m| (m.dev(), m.ino()))
        .map_err(|e| ApiError::not_found(format!("{}: {e}", entry.file.display())))?;
    let mut positions = Positions::new();
    for input in served.inputs()? {
        let Input::File(path) = &input else { continue };
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        let id = (meta.dev(), meta.ino());
        let at = match entry.ts {
            _ if id == own => entry.end,
            Some(t) => first_later(served, &input, t)?.unwrap_or(meta.len()),
            None => meta.len(),
        };
        positions.insert(id, at);
    }
    positions.entry(own).or_insert(entry.end);
    Ok(positions)
}

/// Positions found from an entry id, kept within the ring's point `to`: a position
/// past it is in a file the shared follower has not read that far yet (the ring sends
/// what lies beyond), not a truncated one that a catch-up would read from its start.
pub fn within(mut from: Positions, to: &Positions) -> Positions {
    for (id, at) in from.iter_mut() {
        if let Some(&end) = to.get(id) {
            *at = (*at).min(end);
        }
    }
    from
}

/// Where the first entry of `input` timed later than `t` starts (`None`: none is).
fn first_later(served: &Served, input: &Input, t: i64) -> Result<Option<u64>, ApiError> {
    let args = FilterArgs {
        query_opt: Some(String::new()),
        since: Some(timestamp::format_rfc3339_ns(t + 1)),
        zone: served.zone.clone(),
        ..FilterArgs::default()
    };
    let filter = FilterConfig::new(&args, None).map_err(|e| ApiError::from_engine(&e))?;
    let input_cfg = InputConfig::new(&served.input);
    let cfg = crate::commands::scan_config(&filter, &input_cfg, false, None);
    let mut first = None;
    crate::commands::scan_all(std::slice::from_ref(input), &cfg, &First, |part| {
        first = first.or(part)
    })
    .map_err(|e| ApiError::from_engine(&e))?;
    Ok(first)
}

/// The sink that keeps a chunk's first match and stops the chunk there.
struct First;

impl Sink for First {
    type Part = Option<u64>;

    fn part(&self) -> Option<u64> {
        None
    }

    fn matched(
        &self,
        part: &mut Option<u64>,
        hit: &mut Hit,
        _: &Source,
    ) -> Result<bool, crate::error::Error> {
        *part = Some(hit.entry.offset);
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_past_the_ring_are_kept_within_it() {
        let from = Positions::from([((1, 1), 50), ((1, 2), 10), ((1, 3), 7)]);
        let to = Positions::from([((1, 1), 40), ((1, 2), 30)]);
        assert_eq!(
            within(from, &to),
            Positions::from([((1, 1), 40), ((1, 2), 10), ((1, 3), 7)])
        );
    }
}
