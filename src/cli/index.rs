//! Arguments of `covet-logs index`.

use std::path::PathBuf;

use clap::Args;

use super::groups::{InputArgs, ZoneArgs};

#[derive(Debug, Args, Clone)]
pub struct IndexArgs {
    /// Files or directories to index (default: $COVET_LOGS_PATH). Only plain files are
    /// indexed; compressed files and stdin are read whole by every query.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub zone: ZoneArgs,

    #[command(flatten)]
    pub input: InputArgs,
}
