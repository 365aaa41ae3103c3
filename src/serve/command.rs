//! Running the CLI's code for a request: the request's parameters parsed by the same
//! clap definition as the command line (`covet-logs stats --json ...`), run on a
//! blocking thread while holding one of the `MAX_SCANS` scan slots, with what the
//! command writes captured (`sink::out::capture`) instead of going to stdout.

use std::ffi::OsString;
use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::serve::error::ApiError;
use crate::serve::state::{AppState, SCAN_WAIT};
use crate::sink::out;

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

/// Runs `f` on a blocking thread once a scan slot is free (429 after `SCAN_WAIT`).
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = tokio::time::timeout(SCAN_WAIT, state.scans.clone().acquire_owned())
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "every scan slot is busy; try again",
            )
        })?
        .map_err(|_| ApiError::internal("shutting down"))?;
    let joined = tokio::task::spawn_blocking(move || {
        let r = f();
        drop(permit);
        r
    })
    .await;
    joined.unwrap_or_else(|_| {
        Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the scan failed",
        ))
    })
}

/// A writer into a shared buffer (what a command printed, read after it returns).
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs a command with its output captured: its result and the bytes it wrote.
pub fn captured<R>(f: impl FnOnce() -> R) -> (R, Vec<u8>) {
    let buf = Buffer::default();
    let r = out::capture(Box::new(buf.clone()), f);
    (r, buf.take())
}

/// How long a streaming response may take no block before it is ended.
pub const STALL: std::time::Duration = std::time::Duration::from_secs(30);

/// A writer that hands 64 KiB blocks to a streaming response; once the client is gone
/// (or has taken nothing for `STALL`) it fails as a closed pipe, which ends the
/// command's output quietly.
pub struct Channel {
    tx: tokio::sync::mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Channel {
    pub fn new(tx: tokio::sync::mpsc::Sender<Vec<u8>>) -> Channel {
        Channel {
            tx,
            buf: Vec::with_capacity(1 << 16),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let mut block = std::mem::replace(&mut self.buf, Vec::with_capacity(1 << 16));
        // A client that takes no block for `STALL` holds its scan slot no longer.
        let started = std::time::Instant::now();
        loop {
            match self.tx.try_send(block) {
                Ok(()) => return Ok(()),
                Err(tokio::sync::mpsc::error::TrySendError::Full(b))
                    if started.elapsed() < STALL =>
                {
                    block = b;
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(_) => return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
            }
        }
    }
}

impl Write for Channel {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(buf);
        if self.buf.len() >= 1 << 16 {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        let _ = self.send();
    }
}
