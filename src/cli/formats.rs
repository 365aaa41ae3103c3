//! Arguments of `covet-logs formats` (the formats covet-logs reads, and what it
//! detects in given files).

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct FormatsArgs {
    #[command(subcommand)]
    pub action: Option<FormatsAction>,
}

#[derive(Debug, Subcommand)]
pub enum FormatsAction {
    /// Say which format each file was detected as, the share of sampled lines it read,
    /// and two parsed sample entries.
    Detect(DetectArgs),
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Files to look at.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}
