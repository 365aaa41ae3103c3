//! The pager: long output on a terminal goes through `less -RFX` (or
//! `$COVET_LOGS_PAGER`, then `$PAGER`), as git and hl do. `-F` makes less exit at once
//! when the output fits the screen, `-R` keeps colors, `-X` leaves the text on screen.
//!
//! The pager is started once the command has decided colors (from the real terminal),
//! and stdout (fd 1) is pointed at its input, so every writer reaches it unchanged.
//! `finish` closes that input and waits for the pager before the process exits. While a
//! pager runs, Ctrl-C does not kill covet-logs (less uses it to stop a search); quitting
//! the pager closes the pipe, which ends the command quietly.

use std::io::{IsTerminal, Write};
use std::os::fd::AsRawFd;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// When to page (the `--paging` flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// When stdout is a terminal.
    Auto,
    /// Whenever the command is not following.
    Always,
    Never,
}

/// The running pager and its command line, if any.
static PAGER: Mutex<Option<(Child, String)>> = Mutex::new(None);

/// The pager command: `COVET_LOGS_PAGER`, `PAGER`, else `less -RFX`. Empty or `cat`
/// means no pager.
fn command_line() -> Option<String> {
    let chosen = ["COVET_LOGS_PAGER", "PAGER"]
        .iter()
        .find_map(|k| std::env::var(k).ok())
        .unwrap_or_else(|| "less -RFX".to_string());
    let trimmed = chosen.trim();
    (!trimmed.is_empty() && trimmed != "cat").then(|| trimmed.to_string())
}

/// Whether this invocation pages.
fn wanted(paging: Paging, following: bool) -> bool {
    match paging {
        Paging::Never => false,
        _ if following => false,
        Paging::Always => true,
        Paging::Auto => std::io::stdout().is_terminal(),
    }
}

/// Starts the pager when `paging` asks for it and points stdout at it. A pager that
/// cannot be started is skipped (the output goes to the terminal as it would).
pub fn start(paging: Paging, following: bool) {
    if !wanted(paging, following) {
        return;
    }
    let Some(line) = command_line() else {
        return;
    };
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(&line).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else {
        return;
    };
    let Some(stdin) = child.stdin.take() else {
        return;
    };
    let _ = std::io::stdout().flush();
    // SAFETY: dup2 on two open descriptors; fd 1 now writes into the pager's pipe.
    if unsafe { libc::dup2(stdin.as_raw_fd(), 1) } < 0 {
        return;
    }
    drop(stdin);
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGINT,
        Arc::new(AtomicBool::new(false)),
    );
    if let Ok(mut slot) = PAGER.lock() {
        *slot = Some((child, line));
    }
}

/// Whether a pager is running (progress bars stay off: they would draw over it).
pub fn active() -> bool {
    PAGER.lock().is_ok_and(|p| p.is_some())
}

/// Closes the pager's input and waits for it to exit. Call before the process exits.
/// A pager that could not be run (the shell's 126/127) is reported: the output went
/// nowhere; false then (exit 2).
pub fn finish() -> bool {
    let Some((mut child, line)) = PAGER.lock().ok().and_then(|mut p| p.take()) else {
        return true;
    };
    let _ = std::io::stdout().flush();
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        // SAFETY: replaces fd 1 (the pipe's last write end) with /dev/null.
        unsafe { libc::dup2(null.as_raw_fd(), 1) };
    }
    if let Ok(status) = child.wait() {
        if matches!(status.code(), Some(126 | 127)) {
            eprintln!(
                "covet-logs: pager `{}`: could not be run; set COVET_LOGS_PAGER or PAGER, or use --paging never",
                crate::sink::sanitize::sanitize(&line)
            );
            return false;
        }
    }
    true
}
