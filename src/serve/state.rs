//! What every handler shares: the served inputs and how to read them, the scan and
//! WebSocket slots, the token, the shutdown signal; and the limits.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};

use crate::serve::error::ApiError;

use crate::cli::InputArgs;
use crate::input::Input;

/// Scans (search, analytics, export, fields, context, suggest) running at once.
pub const MAX_SCANS: usize = 4;
/// How long a request waits for a scan slot before a 429.
pub const SCAN_WAIT: Duration = Duration::from_secs(10);
/// The longest a request may take to answer (an export's streaming is not cut).
pub const REQUEST_TIME: Duration = Duration::from_secs(60);
/// The largest request body.
pub const MAX_BODY: usize = 64 * 1024;
/// WebSocket clients at once.
pub const MAX_WS_CLIENTS: usize = 256;

/// What every handler shares: the served inputs and read settings, the limits.
#[derive(Clone)]
pub struct AppState {
    pub served: Arc<Served>,
    pub scans: Arc<Semaphore>,
    pub ws_clients: Arc<Semaphore>,
    pub token: Option<Arc<[u8]>>,
    /// Searches running now, by their arguments: an identical request waits for the
    /// running scan's answer instead of starting another.
    pub searches: Arc<std::sync::Mutex<HashMap<String, Shared>>>,
    /// The shared followers of `/ws/logs` by filter, and the catch-up slots.
    pub hubs: Arc<crate::serve::stream::hub::Hubs>,
    /// Turns true when the server shuts down (WebSocket clients are closed).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// The inputs given at start and how to read them; the only paths any request reads.
pub struct Served {
    pub paths: Vec<PathBuf>,
    pub input: InputArgs,
}

/// The answer of a running search, once it is there (the body up to `"tookMs":`).
pub type Shared = watch::Receiver<Option<Result<Arc<Vec<u8>>, ApiError>>>;

impl Served {
    /// The served paths as command-line arguments.
    pub fn os_paths(&self) -> impl Iterator<Item = std::ffi::OsString> + '_ {
        self.paths.iter().map(|p| p.clone().into_os_string())
    }

    /// The served paths resolved to inputs now (a directory's files as they are now).
    pub fn inputs(&self) -> Result<Vec<Input>, ApiError> {
        let read = &self.input.read;
        let resolved = crate::input::resolve(&self.paths, None, true, read.follow_links)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        crate::engine::inputs::apply_globs(resolved.inputs, &self.paths, &read.globs)
            .map_err(|e| ApiError::internal(e.to_string()))
    }
}
