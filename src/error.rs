//! Errors and exit codes: typed errors in library code, one line at the top.
//!
//! `main` prints `covet-logs: <what>: <why>` and maps the outcome to an exit code:
//! 0 something matched, 1 nothing matched, 2 an error happened.

use std::fmt;

use crate::sink::sanitize::sanitize;

/// Exit code: at least one entry matched.
pub const EXIT_MATCH: i32 = 0;
/// Exit code: the search ran but nothing matched.
pub const EXIT_NO_MATCH: i32 = 1;
/// Exit code: an error (bad query, unreadable input, bad option).
pub const EXIT_ERROR: i32 = 2;
/// Exit code: interrupted while following (Ctrl-C), as shells report a SIGINT death.
pub const EXIT_INTERRUPTED: i32 = 130;

/// An error with a subject (`what`) and a reason (`why`), printed on one line.
#[derive(Debug)]
pub struct Error {
    /// What failed: a path, a flag, `stdout`.
    pub what: String,
    /// Why.
    pub why: String,
    /// Extra lines printed after the one-line error (a query caret, candidates).
    pub detail: Option<String>,
}

impl Error {
    /// An error about `what`, because `why`.
    pub fn new(what: impl Into<String>, why: impl Into<String>) -> Error {
        Error {
            what: what.into(),
            why: why.into(),
            detail: None,
        }
    }

    /// An I/O error about `what`, its reason without Rust's "(os error N)".
    pub fn io(what: impl Into<String>, err: &std::io::Error) -> Error {
        Error::new(what, describe_io(err))
    }

    /// The error with lines to print after it (a query and a caret).
    pub fn with_detail(mut self, detail: String) -> Error {
        self.detail = Some(detail);
        self
    }
}

/// The reason part of an I/O error, without Rust's "(os error N)" suffix.
pub fn describe_io(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Both parts escaped: a subject is often a path from a walked directory or a name
/// from a file, the reason may quote input, and either could drive the terminal.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", sanitize(&self.what), sanitize(&self.why))
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
