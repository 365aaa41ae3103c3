//! Arguments of `covet-logs stats`.

use std::path::PathBuf;

use clap::Args;

use super::{FilterArgs, InputArgs};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Files or directories; `-` is stdin. Default: $COVET_LOGS_PATH, else piped stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,
}
