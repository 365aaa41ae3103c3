//! Arguments of `covet-logs context`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{ColorChoice, FormatChoice};

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

#[derive(Debug, Args)]
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

    /// Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`.
    #[arg(long, value_name = "TZ", default_value = "UTC", env = "COVET_LOGS_TZ")]
    pub tz: String,

    /// Show times in local time instead of UTC.
    #[arg(long, overrides_with = "utc")]
    pub local: bool,

    /// Show times in UTC (the default; overrides an earlier --local).
    #[arg(long, overrides_with = "local")]
    pub utc: bool,

    /// How times are shown in the timeline, as strftime: `%H:%M:%S%.3f`, `%b %d %T`
    /// (default `%Y-%m-%d %H:%M:%S%.3f`). JSON and Markdown keep their own forms.
    #[arg(long, value_name = "STRFTIME")]
    pub time_format: Option<String>,

    /// When to use colors.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        env = "COVET_LOGS_COLOR"
    )]
    pub color: ColorChoice,

    /// Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto`
    /// on a terminal, `always`, `never`.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        env = "COVET_LOGS_PAGING"
    )]
    pub paging: super::PagingChoice,

    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Read files with plain reads instead of memory maps.
    #[arg(long)]
    pub no_mmap: bool,

    /// Show strategy decisions on stderr.
    #[arg(long)]
    pub debug: bool,

    /// Follow symbolic links inside directories (links named as arguments are always
    /// followed). Each file is read once, however many links lead to it.
    #[arg(short = 'L', long)]
    pub follow_links: bool,

    /// Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is
    /// split into pieces of this size, and a notice on stderr says how many were.
    #[arg(long, value_name = "SIZE", value_parser = super::parse_size)]
    pub max_entry_size: Option<usize>,
}
