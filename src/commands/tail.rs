//! `covet-logs tail`.

use crate::cli::TailArgs;

/// Runs `tail` and returns the exit code.
pub fn run(_args: &TailArgs) -> i32 {
    super::not_implemented("tail")
}
