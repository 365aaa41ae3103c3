//! Arguments of `covet-logs tail`.

use std::path::PathBuf;

use clap::Args;

use super::groups::{DisplayArgs, FilterArgs, InputArgs};

#[derive(Debug, Args, Clone)]
pub struct TailArgs {
    /// The query, as `search`'s (`level:>=WARN "connection refused"`); omitted (or
    /// empty) matches every entry. A first argument that names an existing file or
    /// directory, or a lone file name (`app.log`), is a path; with -q every
    /// argument is a path.
    #[arg(value_name = "QUERY")]
    pub query: Option<std::ffi::OsString>,

    /// Files or directories; `-` is stdin. Default: $COVET_LOGS_PATH, else piped stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

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
