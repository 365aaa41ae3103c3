//! Arguments of `covet-logs fields`.

use std::path::PathBuf;

use clap::Args;

use super::groups::{FilterArgs, InputArgs};

#[derive(Debug, Args, Clone)]
pub struct FieldsArgs {
    /// The query, as `search`'s, when it is not a plain name (`fields 'level:ERROR'
    /// logs/`; a one-word query goes with -q). A first argument that is an existing
    /// path starts the paths; one that is a plain name (`level`, `metadata.endpoint`)
    /// names the field whose top values are shown (`fields level logs/`), as does a
    /// plain name right after the query.
    #[arg(value_name = "QUERY|FIELD|PATH")]
    pub query: Option<std::ffi::OsString>,

    /// Files or directories; `-` is stdin (after an optional FIELD).
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
