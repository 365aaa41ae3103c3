//! Arguments of `covet-logs export`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::groups::{FilterArgs, FormatChoice, InputArgs, QueryPaths, ReadArgs};

/// The file formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON array of LogEntry objects.
    Json,
    /// One LogEntry object per line (the same objects as `search --json`).
    Ndjson,
    /// A header row, then one row per entry; metadata flattened to dotted columns.
    Csv,
    /// The terminal layout without color.
    Txt,
    /// The original text of each entry.
    Raw,
    /// The LogEntry columns as a Parquet table (zstd; builds with the `parquet` feature;
    /// to a file with -o, or a pipe).
    Parquet,
}

/// What a partitioned Parquet export splits its files by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum PartitionKey {
    /// The entry's UTC date (`day=2024-01-15`).
    Day,
    /// The entry's service (`service=covet-api`).
    Service,
    /// The entry's level (`level=ERROR`).
    Level,
}

#[derive(Debug, Args, Clone)]
pub struct ExportArgs {
    #[command(flatten)]
    pub pos: QueryPaths,

    /// Output format. (The input format is `--input-format` here.)
    #[arg(long, value_enum, default_value = "ndjson", value_name = "FORMAT")]
    pub format: ExportFormat,

    /// Write to FILE (atomically: a temporary file beside it, renamed into place only
    /// when the export succeeds). Default: stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Columns (csv) or keys (json, ndjson), comma-separated: `timestamp,level,message,
    /// metadata.duration_ms`. Default: every LogEntry field, metadata flattened (csv).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub fields: Vec<String>,

    /// With --format parquet and -o DIR: one Parquet file per partition, in
    /// directories named as Hive, Spark and DataFusion read them
    /// (`DIR/day=2024-01-15/service=covet-api/part-00000.parquet`). DIR must be new or
    /// empty; it appears only when the export succeeded.
    #[arg(long, value_enum, value_name = "KEYS", value_delimiter = ',')]
    pub partition_by: Vec<PartitionKey>,

    /// No progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,

    /// Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this
    /// process), `df://HOST:PORT` (an Apache Ballista cluster's scheduler, see
    /// `covet-logs cluster`); both need a build with the `cluster` feature. Other
    /// engines print what the local one prints.
    #[arg(long, value_name = "ENGINE", default_value = "local")]
    pub engine: String,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Input format (default: detected per input from its first lines).
    #[arg(long, value_enum, default_value = "auto", value_name = "FORMAT")]
    pub input_format: FormatChoice,

    #[command(flatten)]
    pub read: ReadArgs,
}

impl ExportArgs {
    /// The shared input settings (`--format` is the output format here).
    pub fn input_args(&self) -> InputArgs {
        InputArgs {
            format: self.input_format,
            read: self.read.clone(),
        }
    }
}
