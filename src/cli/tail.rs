//! Arguments of `covet-logs tail`.

use clap::Args;

use super::groups::{DisplayArgs, FilterArgs, InputArgs, QueryPaths};

#[derive(Debug, Args, Clone)]
pub struct TailArgs {
    #[command(flatten)]
    pub pos: QueryPaths,

    /// How many of the last matching entries to show (a multi-line entry counts once).
    #[arg(
        short = 'n',
        long = "lines",
        value_name = "N",
        default_value_t = 20,
        env = "COVET_LOGS_TAIL_LINES"
    )]
    pub lines: usize,

    /// Keep running and print new matching entries as they are appended. Files are
    /// followed by name: rotation, truncation and re-creation are handled.
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Newest entries first (not with --follow).
    #[arg(long, conflicts_with = "follow")]
    pub newest_first: bool,

    /// Do not show the status line on stderr while following.
    #[arg(long)]
    pub no_status: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub display: DisplayArgs,
}
