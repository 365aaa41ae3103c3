//! The command line, defined once with clap derive: the doc comments are the help text,
//! and the same definition generates the shell completions and the man page.

pub mod assets;
pub mod cluster;
pub mod context;
pub mod export;
pub mod fields;
pub mod filters;
pub mod formats;
pub mod groups;
pub mod index;
pub mod rg;
pub mod serve;
pub mod shell;
pub mod stats;
pub mod tail;

use clap::{Args, Parser, Subcommand};

pub use cluster::{ClusterAction, ClusterArgs};
pub use context::ContextArgs;
pub use export::{ExportArgs, ExportFormat};
// Read by the partitioned Parquet export only (feature `parquet`).
#[cfg(feature = "parquet")]
pub use export::PartitionKey;
pub use fields::FieldsArgs;
pub use filters::{FiltersArgs, HistoryArgs};
pub use groups::{
    ColorChoice, DisplayArgs, FilterArgs, FormatChoice, IndexChoice, InputArgs, PagingChoice,
    QueryPaths, ReadArgs, ZoneArgs,
};
pub use index::IndexArgs;
pub use rg::RgArgs;
pub use serve::ServeArgs;
pub use shell::{CompletionsArgs, SuggestArgs};
pub use stats::StatsArgs;
pub use tail::TailArgs;

/// Search, follow and summarize logs: JSON lines, logfmt, covet text and plain text.
#[derive(Debug, Parser)]
#[command(name = "covet-logs", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Ignore config.toml (flags and environment variables still apply), as rg's
    /// --no-config. Read before the other flags (main.rs), since the file sets their
    /// defaults.
    #[arg(long, global = true)]
    pub no_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find entries matching a query (`covet-logs search 'level:ERROR timeout' logs/`).
    Search(Box<SearchArgs>),
    /// Show the last matching entries, and follow new ones with -f.
    Tail(Box<TailArgs>),
    /// Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts.
    Stats(Box<StatsArgs>),
    /// Show what happened around one entry, correlated by trace, request or user.
    Context(Box<ContextArgs>),
    /// Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file.
    Export(Box<ExportArgs>),
    /// Every field in the entries: types, share present, distinct and top values.
    Fields(Box<FieldsArgs>),
    /// Build or refresh the block index of files, so that later queries read only the
    /// blocks that may match (kept under $COVET_LOGS_CACHE_DIR, else
    /// $XDG_CACHE_HOME/covet-logs, else ~/.cache/covet-logs).
    Index(Box<IndexArgs>),
    /// Save, list, show and delete named filters for `--filter NAME`.
    Filters(FiltersArgs),
    /// The last searches (query, time, match count), newest first.
    History(HistoryArgs),
    /// Print the completion script for a shell (`covet-logs completions bash >
    /// ~/.local/share/bash-completion/completions/covet-logs`).
    Completions(CompletionsArgs),
    /// Print the man page (`covet-logs man | man -l -`).
    Man,
    /// Suggestions for the completion scripts: field names, values, searches, filters.
    #[command(hide = true)]
    Suggest(SuggestArgs),
    /// The formats covet-logs reads; `formats detect FILE...` shows what it detects.
    Formats(formats::FormatsArgs),
    /// Serve the inputs over HTTP: the REST + WebSocket API and the dashboard
    /// (`covet-logs serve logs/`, then open http://127.0.0.1:7878/).
    Serve(Box<ServeArgs>),
    /// Run an Apache Ballista scheduler or executor for `--engine df://HOST:PORT` (a
    /// build with the `cluster` feature).
    Cluster(ClusterArgs),
}

/// `search`'s positionals are [`QueryPaths`], worded for `search`: a first positional
/// is always the query here (see `config::Legacy::QueryFirst`).
#[derive(Debug, Args)]
#[command(mut_arg("query", |a| a.help(
    "The query, e.g. `level:>=WARN service:covet-db \"connection refused\"`. \
     Omitted (or empty) matches every entry. With -q, this is a path too",
)))]
#[command(mut_arg("paths", |a| a.help(
    "Files or directories to search (or `file://` URLs); `-` is stdin. Default: $COVET_LOGS_PATH, else \
     piped stdin",
)))]
pub struct SearchArgs {
    #[command(flatten)]
    pub pos: QueryPaths,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub display: DisplayArgs,

    #[command(flatten)]
    pub rg: RgArgs,

    /// Print a count of matching entries instead of the entries.
    #[arg(short = 'c', long, conflicts_with_all = ["json", "raw"])]
    pub count: bool,

    /// Stop after N matching entries.
    #[arg(short = 'm', long = "max-count", value_name = "N")]
    pub max_count: Option<u64>,

    /// Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this
    /// process), `df://HOST:PORT` (an Apache Ballista cluster's scheduler, see
    /// `covet-logs cluster`); both need a build with the `cluster` feature. Other
    /// engines print what the local one prints.
    #[arg(long, value_name = "ENGINE", default_value = "local")]
    pub engine: String,

    /// Newest entries first.
    #[arg(long)]
    pub newest_first: bool,

    /// Show N entries after each match (multi-line entries count as one).
    #[arg(short = 'A', long = "after-context", value_name = "N", conflicts_with_all = ["count", "follow"])]
    pub after: Option<usize>,

    /// Show N entries before each match.
    #[arg(short = 'B', long = "before-context", value_name = "N", conflicts_with_all = ["count", "follow"])]
    pub before: Option<usize>,

    /// Show N entries before and after each match.
    #[arg(short = 'C', long = "context", value_name = "N", conflicts_with_all = ["count", "follow"])]
    pub context: Option<usize>,

    /// After searching, keep following the files and print new matching entries as
    /// they are appended (as `tail -f`).
    #[arg(short = 'f', long, conflicts_with_all = ["count", "max_count", "newest_first"])]
    pub follow: bool,

    /// With --follow: no status line on stderr.
    #[arg(long, requires = "follow")]
    pub no_status: bool,

    /// Do not record this search in the history (also: COVET_LOGS_NO_HISTORY=1).
    #[arg(long)]
    pub no_history: bool,
}
