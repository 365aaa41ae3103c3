//! The engine: what the commands (and later a server) share to run the pipeline, and
//! the one `Outcome` a run ends with. Commands resolve their arguments, call the engine
//! and return an `Outcome`; the run (`app::run`) alone turns it into an exit code
//! (`Outcome::exit_code`).
//!
//! - `inputs`: paths to inputs (`open_inputs`, one call for every command; `find_inputs`
//!   for the server, where finding none is an answer; `Find`: either, as a command's
//!   function shared with the server takes it).
//! - `each`: many inputs in input order, small files scanned side by side.
//! - `merge`: several inputs' items in one order by time (the one k-way merge).
//! - `batch`: several queries over the same inputs in one pass, each query's items in
//!   its own order (the server's concurrent searches).
//! - `context`: the entries around a match (`-A/-B/-C`), for `search -C` and `context`.
//! - `follow`: following inputs into a sink (the one follow-to-sink adapter), for
//!   `tail -f`, `search -f` and `stats -f`.
//! - `range`: a byte range of a file scanned in small blocks (a WebSocket client's
//!   catch-up).

pub mod batch;
pub mod context;
pub mod each;
pub mod follow;
pub mod inputs;
pub mod merge;
pub mod range;

pub use inputs::{find_inputs, open_inputs, Find, Inputs};

/// How a command ended. `app::run` maps it to the exit code (`exit_code`); nothing
/// else decides one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Something matched (or the command had nothing to match: `man`, `filters`).
    Matched,
    /// The command ran and nothing matched.
    NoMatch,
    /// `stats --alert`: a rule fired (exit 1, as nothing matched).
    Alerted,
    /// An error was reported on the way (an unreadable input, a closed pager).
    Failed,
    /// Ctrl-C while following.
    Interrupted,
}

impl Outcome {
    /// The exit code: 0 matched, 1 nothing matched (or a `stats` alert fired), 2 an
    /// error was reported, 130 interrupted.
    pub fn exit_code(self) -> i32 {
        use crate::error::{EXIT_ERROR, EXIT_INTERRUPTED, EXIT_MATCH, EXIT_NO_MATCH};
        match self {
            Outcome::Matched => EXIT_MATCH,
            Outcome::NoMatch | Outcome::Alerted => EXIT_NO_MATCH,
            Outcome::Failed => EXIT_ERROR,
            Outcome::Interrupted => EXIT_INTERRUPTED,
        }
    }

    /// The outcome of a scan: failed if any error was reported, else whether
    /// anything matched.
    pub fn of(failed: bool, matched: u64) -> Outcome {
        if failed {
            Outcome::Failed
        } else if matched > 0 {
            Outcome::Matched
        } else {
            Outcome::NoMatch
        }
    }
}
