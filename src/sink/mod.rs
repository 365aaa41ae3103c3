//! Sinks: what happens to a matching entry. The scanner calls `matched` for each one,
//! in input order within a part; parts are merged by the command that owns the sink.
//! The printer, the counter (and later stats, context and export) are all sinks.

pub mod collect;
pub mod count;
pub mod export;
pub mod fields;
pub mod hit;
pub mod metajson;
pub mod out;
pub mod pager;
pub mod print;
pub mod reverse;
pub mod sanitize;
pub mod span;
pub mod status;

pub use hit::{Counted, Hit, Source};

use crate::error::Error;

/// Receives matching entries. Implementations are shared across threads; each chunk
/// of input gets its own `Part`, and the parts come back to the command in order.
///
/// Like ripgrep's `Sink`, `matched` answers with a `Result`: `Ok(true)` to go on,
/// `Ok(false)` to stop scanning this chunk (the part keeps what it holds), and
/// `Err(e)` to stop the scan with an error. Errors travel one way: the scanner
/// returns a sink's error as `scan::ScanError::Output` to the command, which decides
/// what it means (nothing is stored aside for later). A sink that cannot fail returns
/// `Ok(true)`. (Before this signature `matched` returned a plain `bool`; a sink written
/// for that wraps its answer in `Ok`.)
pub trait Sink: Sync {
    /// What one chunk's matches become (a rendered buffer, a count, an aggregate).
    type Part: Send;

    /// A fresh, empty part for one chunk.
    fn part(&self) -> Self::Part;

    /// Takes one matching entry: `Ok(true)` to go on, `Ok(false)` to stop scanning
    /// this chunk, `Err` to stop the scan with that error.
    fn matched(&self, part: &mut Self::Part, hit: &mut Hit, source: &Source)
        -> Result<bool, Error>;

    /// Whether parts combine into one (`combine`). Then a mapped file is scanned by
    /// folding its chunks into a few parts and reducing those in parallel, in input
    /// order, and the command gets one part per input instead of one per chunk.
    fn combines(&self) -> bool {
        false
    }

    /// Appends `next`, which comes after `part` in input order. Called only when
    /// `combines()` is true.
    fn combine(&self, _part: &mut Self::Part, _next: Self::Part) {}

    /// Whether the sink needs nothing of a match but its level (then a block whose
    /// matches are counted by level in an index summary is not read: `add_counted`
    /// takes the counts).
    fn takes_counts(&self) -> bool {
        false
    }

    /// Adds matches that were counted without reading them. Called only when
    /// `takes_counts()` is true.
    fn add_counted(&self, _part: &mut Self::Part, _counted: &Counted) {}
}
