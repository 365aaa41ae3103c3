//! Arguments of `covet-logs filters` (saved filters) and `covet-logs history`.

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct FiltersArgs {
    #[command(subcommand)]
    pub action: FiltersAction,
}

#[derive(Debug, Subcommand)]
pub enum FiltersAction {
    /// Save a query (and optionally a time window) under a name, for `--filter NAME`.
    Save(SaveArgs),
    /// List the saved filters and the built-in presets.
    List(ListArgs),
    /// Show one filter.
    Show(NameArgs),
    /// Delete a saved filter (built-in presets cannot be deleted).
    Rm(NameArgs),
}

#[derive(Debug, Args)]
pub struct SaveArgs {
    /// The name: letters, digits, `_`, `-`, `.`.
    #[arg(value_name = "NAME")]
    pub name: String,

    /// The query, e.g. `level:>=WARN service:covet-db`.
    #[arg(value_name = "QUERY")]
    pub query: String,

    /// Entries at or after this time, resolved when the filter is used (`1h` means the
    /// last hour at that moment).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Entries before this time, resolved when the filter is used.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// A description shown by `filters list`.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,

    /// Bare words of the query are regular expressions whenever the filter is used
    /// (as `--regex`).
    #[arg(long)]
    pub regex: bool,

    /// Words match only in their own case whenever the filter is used (as `-s`).
    #[arg(short = 's', long)]
    pub case_sensitive: bool,

    /// Replace a saved filter of the same name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON object per filter.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NameArgs {
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub action: Option<HistoryAction>,

    /// Show at most N searches (newest first).
    #[arg(short = 'n', long = "lines", value_name = "N")]
    pub lines: Option<usize>,

    /// One JSON object per search.
    #[arg(long)]
    pub json: bool,

    /// Forget every recorded search.
    #[arg(long, conflicts_with_all = ["lines", "json"])]
    pub clear: bool,
}

#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Run search N of the listing again (1 is the newest), with its paths and flags,
    /// in the directory it ran in.
    Run {
        #[arg(value_name = "N")]
        n: usize,
    },
}
