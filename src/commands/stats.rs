//! `covet-logs stats`.

use crate::cli::StatsArgs;

/// Runs `stats` and returns the exit code.
pub fn run(_args: &StatsArgs) -> i32 {
    super::not_implemented("stats")
}
