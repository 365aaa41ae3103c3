//! The request as `covet-logs search` arguments for the live stream (`stream`, whose
//! follower takes `SearchArgs`): the parameters parsed by the same clap definition as
//! the command line. Every other endpoint builds its command's values directly
//! (`params::Params::filter_args`) and calls the command's value-returning functions.

use std::ffi::OsString;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::serve::error::ApiError;
use crate::serve::state::AppState;

/// Parses `covet-logs SUBCOMMAND ARGS... -- PATHS...` into the command. Flags that
/// only shape terminal output are fixed (`--paging=never` is added by the callers
/// where the command has it).
pub fn parse(argv: Vec<OsString>) -> Result<Command, ApiError> {
    let mut full: Vec<OsString> = vec!["covet-logs".into(), "--no-config".into()];
    full.extend(argv);
    Cli::try_parse_from(full)
        .map(|cli| cli.command)
        .map_err(|e| {
            let text = e.to_string();
            let line = text.lines().next().unwrap_or("bad parameter");
            ApiError::bad(
                "bad_parameter",
                line.trim_start_matches("error: ").to_string(),
            )
        })
}

/// The served paths as the trailing positionals (after `--`).
pub fn with_paths(mut argv: Vec<OsString>, state: &AppState) -> Vec<OsString> {
    argv.push("--".into());
    argv.extend(state.served.os_paths());
    argv
}
