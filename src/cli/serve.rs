//! Arguments of `covet-logs serve`: the inputs to serve, the address, the token.

use std::path::PathBuf;

use clap::Args;

use super::groups::InputArgs;

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Files or directories to serve (the only inputs any request reads). Default:
    /// $COVET_LOGS_PATH.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Address to listen on. Any address but loopback requires a token. Port 0 picks a
    /// free port; the bound address is printed on stderr.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub addr: String,

    /// A file whose first line is the access token (at least 16 characters), required
    /// as `Authorization: Bearer TOKEN` by every API request (also: COVET_LOGS_TOKEN).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}
