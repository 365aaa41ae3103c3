//! What every handler shares: the served inputs and how to read them, the scan and
//! WebSocket slots, the token, the shutdown signal; and the limits.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};

use crate::serve::error::ApiError;

use crate::cli::{InputArgs, ZoneArgs};
use crate::input::{Input, Walk};

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
    /// Searches waiting for a scan slot, run together in one pass when one is free.
    pub pending: Arc<std::sync::Mutex<Pending>>,
    /// The shared followers of `/ws/logs` by filter, and the catch-up slots.
    pub hubs: Arc<crate::serve::stream::hub::Hubs>,
    /// Turns true when the server shuts down (WebSocket clients are closed).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// The inputs given at start and how to read them; the only paths any request reads.
pub struct Served {
    pub paths: Vec<PathBuf>,
    pub input: InputArgs,
    /// How timestamps without an offset are read (`COVET_LOGS_TZ`, else UTC), as the
    /// command line's `--tz` default.
    pub zone: ZoneArgs,
    /// Every identity (device, inode) each served file name has had while serving,
    /// oldest first: a name whose file was rotated away has several (`permalink`).
    pub seen: std::sync::Mutex<HashMap<PathBuf, Vec<(u64, u64)>>>,
}

/// The answer of a running search, once it is there (the body up to `"tookMs":`).
pub type Shared = watch::Receiver<Option<Result<Arc<Vec<u8>>, ApiError>>>;

/// Searches queued for the next pass, and whether a task is waiting to run it.
#[derive(Default)]
pub struct Pending {
    pub queued: Vec<Queued>,
    pub runner: bool,
}

/// One search waiting for its pass: its key (in `AppState::searches`), its compiled
/// filter, its page, and where its answer goes.
pub struct Queued {
    pub key: String,
    pub filter: crate::config::FilterConfig,
    pub limit: usize,
    pub cursor: Option<(usize, u64)>,
    /// What `covet-logs history` records of it (a first page with a query or a
    /// filter): the query text and the filter flags, without paths.
    pub history: Option<(String, Vec<String>)>,
    pub answer: watch::Sender<Option<Result<Arc<Vec<u8>>, ApiError>>>,
}

impl Served {
    /// The served paths resolved to inputs now (a directory's files as they are now),
    /// as every command opens its inputs; one that cannot be read is reported on
    /// stderr, as the command reports it, and left out. A directory with no log file
    /// yet serves nothing (not an error).
    pub fn inputs(&self) -> Result<Vec<Input>, ApiError> {
        let read = &self.input.read;
        let walk = Walk {
            follow_links: read.follow_links,
            globs: &read.globs,
        };
        let opened = crate::engine::find_inputs(&self.paths, &walk)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let inputs = crate::commands::reported(opened, read.debug).0;
        self.observe(&inputs);
        Ok(inputs)
    }

    /// Records the identity each served file has now, when its name had another.
    pub fn observe(&self, inputs: &[Input]) {
        use std::os::unix::fs::MetadataExt;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        for input in inputs {
            let Input::File(path) = input else { continue };
            let Ok(m) = std::fs::metadata(path) else {
                continue;
            };
            let ids = seen.entry(path.clone()).or_default();
            if ids.last() != Some(&(m.dev(), m.ino())) {
                ids.push((m.dev(), m.ino()));
            }
        }
    }

    /// The identities a served file name has had, oldest first (empty: never seen).
    pub fn identities(&self, path: &std::path::Path) -> Vec<(u64, u64)> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(path).cloned().unwrap_or_default()
    }
}
