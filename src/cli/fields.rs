//! Arguments of `covet-logs fields`.

use std::path::PathBuf;

use clap::Args;

use super::{FilterArgs, InputArgs};

#[derive(Debug, Args)]
pub struct FieldsArgs {
    /// Files or directories; `-` is stdin. A first argument that is not an existing
    /// path names one field (`fields level logs/`) whose top values are shown.
    #[arg(value_name = "FIELD|PATH")]
    pub paths: Vec<PathBuf>,

    /// How many top values to show (default 5, or 20 for one field).
    #[arg(short = 'n', long = "top", value_name = "N")]
    pub top: Option<usize>,

    /// One JSON document instead of the table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,
}
