//! The progress bar for long scans: shown on stderr only when it is a terminal and
//! only once a scan has run for about a second; cleared when the scan ends.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress reporter fed by the scanner's byte counter.
pub struct Progress {
    pub bytes: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts watching; `total` is the known input size (0 when unknown).
    pub fn start(enabled: bool, total: u64) -> Progress {
        let bytes = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let handle = enabled.then(|| {
            let (bytes, done) = (bytes.clone(), done.clone());
            std::thread::spawn(move || watch(&bytes, &done, total))
        });
        Progress {
            bytes,
            done,
            handle,
        }
    }

    /// Stops and clears the bar.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            // Wake the watcher now rather than at its next tick, so a short scan is
            // not held up by the progress thread.
            h.thread().unpark();
            let _ = h.join();
        }
    }
}

fn watch(bytes: &AtomicU64, done: &AtomicBool, total: u64) {
    let started = Instant::now();
    while let Some(left) = Duration::from_secs(1).checked_sub(started.elapsed()) {
        if done.load(Ordering::SeqCst) {
            return;
        }
        std::thread::park_timeout(left);
    }
    if done.load(Ordering::SeqCst) {
        return;
    }
    let bar = if total > 0 {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    let template = if total > 0 {
        "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}"
    } else {
        "{spinner} {bytes} {binary_bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    while !done.load(Ordering::SeqCst) {
        bar.set_position(bytes.load(Ordering::Relaxed));
        std::thread::park_timeout(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}
