//! Standard output for every command: line-buffered on a terminal, block-buffered
//! otherwise; a closed pipe (`| head`) ends the output quietly instead of failing.
//! `capture` points the next `Out` made on this thread at another writer (the server
//! runs a command that way and sends what it writes to the client).

use std::io::{self, IsTerminal, Write};

use crate::error::{Error, Result};

/// Where output goes; remembers a closed pipe so the scan can stop quietly.
pub struct Out {
    w: Box<dyn Write>,
    closed: bool,
    failed: Option<io::Error>,
}

impl Default for Out {
    fn default() -> Out {
        Out::new()
    }
}

thread_local! {
    /// The writer the next `Out::new()` on this thread takes instead of stdout.
    static CAPTURED: std::cell::RefCell<Option<Box<dyn Write>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the first `Out` it makes on this thread writing to `w` instead of
/// stdout; a write error on `w` ends the output as a closed pipe does.
pub fn capture<R>(w: Box<dyn Write>, f: impl FnOnce() -> R) -> R {
    CAPTURED.with(|c| *c.borrow_mut() = Some(w));
    let r = f();
    CAPTURED.with(|c| c.borrow_mut().take());
    r
}

impl Out {
    pub fn new() -> Out {
        if let Some(w) = CAPTURED.with(|c| c.borrow_mut().take()) {
            return Out {
                w,
                closed: false,
                failed: None,
            };
        }
        let stdout = io::stdout();
        let w: Box<dyn Write> = if stdout.is_terminal() {
            Box::new(io::LineWriter::new(stdout.lock()))
        } else {
            Box::new(io::BufWriter::with_capacity(1 << 16, stdout.lock()))
        };
        Out {
            w,
            closed: false,
            failed: None,
        }
    }

    /// Writes; false once the output is gone.
    pub fn write(&mut self, bytes: &[u8]) -> bool {
        if self.closed {
            return false;
        }
        if let Err(e) = self.w.write_all(bytes) {
            self.closed = true;
            if e.kind() != io::ErrorKind::BrokenPipe {
                self.failed = Some(e);
            }
            return false;
        }
        true
    }

    pub fn finish(mut self) -> Result<()> {
        if !self.closed {
            if let Err(e) = self.w.flush() {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    self.failed = Some(e);
                }
            }
        }
        match self.failed {
            Some(e) => Err(Error::io("stdout", &e)),
            None => Ok(()),
        }
    }
}

/// Whether stdout is a pipe whose reader has gone. The follow loops check it while idle,
/// so `tail -f | head` and `stats -f | head` exit even when nothing new arrives.
pub fn stdout_gone() -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDOUT_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one pollfd we own, zero timeout.
    let n = unsafe { libc::poll(&mut fds, 1, 0) };
    n > 0 && fds.revents & (libc::POLLERR | libc::POLLHUP) != 0
}
