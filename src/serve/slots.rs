//! Where a request's scan runs: on a blocking thread once one of the `MAX_SCANS` scan
//! slots is free (`blocking`), and the writer that hands what a scan renders to a
//! streaming response as it is produced (`Channel`).

use std::io::Write;

use axum::http::StatusCode;

use crate::serve::error::ApiError;
use crate::serve::state::{AppState, SCAN_WAIT};

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
