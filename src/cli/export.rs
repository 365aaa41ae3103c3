//! Arguments of `covet-logs export`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{FilterArgs, FormatChoice, InputArgs};

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
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Files or directories; `-` is stdin. Default: $COVET_LOGS_PATH, else piped stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

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

    /// No progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// Input format (default: detected per input from its first lines).
    #[arg(long, value_enum, default_value = "auto", value_name = "FORMAT")]
    pub input_format: FormatChoice,

    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Read files with plain reads instead of memory maps.
    #[arg(long)]
    pub no_mmap: bool,

    /// Show strategy decisions (format detected, prefilter, chunks) on stderr.
    #[arg(long)]
    pub debug: bool,

    /// Chunk size in bytes for parallel scans (for testing).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,

    /// Follow symbolic links inside directories (links named as arguments are always
    /// followed). Each file is read once, however many links lead to it.
    #[arg(short = 'L', long)]
    pub follow_links: bool,

    /// Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is
    /// split into pieces of this size, and a notice on stderr says how many were.
    #[arg(long, value_name = "SIZE", value_parser = super::parse_size)]
    pub max_entry_size: Option<usize>,

    /// Only files whose path matches this glob, inside walked directories (repeatable;
    /// `!GLOB` excludes). Files named as arguments are always read.
    #[arg(
        short = 'g',
        long = "glob",
        value_name = "GLOB",
        allow_hyphen_values = true
    )]
    pub globs: Vec<String>,
}

impl ExportArgs {
    /// The shared input settings (`--format` is the output format here).
    pub fn input_args(&self) -> InputArgs {
        InputArgs {
            format: self.input_format,
            threads: self.threads,
            no_mmap: self.no_mmap,
            debug: self.debug,
            chunk_size: self.chunk_size,
            follow_links: self.follow_links,
            max_entry_size: self.max_entry_size,
            globs: self.globs.clone(),
        }
    }
}
