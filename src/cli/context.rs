//! Arguments of `covet-logs context`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::groups::{FormatChoice, ReadArgs, ViewArgs, ZoneArgs};

/// Which key correlates entries with the selected one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByChoice {
    Trace,
    Request,
    User,
    None,
}

/// How the context is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContextFormat {
    /// A timeline and a summary for the terminal.
    Text,
    /// Markdown, ready to paste into a bug report.
    Md,
}

#[derive(Debug, Args, Clone)]
pub struct ContextArgs {
    /// The entry: a permalink as search prints it (`FILE:LINE`), `FILE@BYTE_OFFSET`, or
    /// the value of an entry's own `id` field. With --trace/--request/--user it is a path.
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// Files or directories to correlate across. Default: $COVET_LOGS_PATH, else the
    /// selected entry's own file.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Every entry of this trace id (no entry needs to be selected).
    #[arg(long, value_name = "ID", conflicts_with_all = ["request", "user"])]
    pub trace: Option<String>,

    /// Every entry of this request id.
    #[arg(long, value_name = "ID", conflicts_with = "user")]
    pub request: Option<String>,

    /// Every entry of this user id.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,

    /// The correlation key (default: trace when the entry has a trace id, else request,
    /// else user, else none: every entry in the window).
    #[arg(long, value_enum)]
    pub by: Option<ByChoice>,

    /// Only related entries that also match this saved filter (`covet-logs filters
    /// list`); repeatable, ANDed.
    #[arg(long = "filter", value_name = "NAME")]
    pub saved: Vec<String>,

    /// How far before and after the selected entry to look: `1m`, `5m`, `15m`, `1h`...
    /// (default 5m; for an entry without trace, request or user id, the 20 entries
    /// before and after it within 30s, unless --window or --by is given).
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,

    /// Show N entries after the selected one in its own file.
    #[arg(short = 'A', long = "after-context", value_name = "N")]
    pub after: Option<usize>,

    /// Show N entries before the selected one in its own file.
    #[arg(short = 'B', long = "before-context", value_name = "N")]
    pub before: Option<usize>,

    /// Show N entries before and after the selected one in its own file.
    #[arg(short = 'C', long = "context", value_name = "N")]
    pub context: Option<usize>,

    /// One JSON document: the selected entry, the timeline and the summary.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Output layout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ContextFormat,

    /// Input format (default: detected per input).
    #[arg(
        long = "input-format",
        value_enum,
        default_value = "auto",
        env = "COVET_LOGS_FORMAT"
    )]
    pub input_format: FormatChoice,

    #[command(flatten)]
    pub zone: ZoneArgs,

    #[command(flatten)]
    pub view: ViewArgs,

    #[command(flatten)]
    pub read: ReadArgs,
}
