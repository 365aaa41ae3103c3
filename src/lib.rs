//! covet-logs: a log query tool built as one pipeline.
//!
//! input (files, directories, stdin, compressed) -> entries (format detection and
//! parsing) -> filter (query: literal prefilter + predicate) -> sink (printer, counter,
//! stats, export). The `covet-logs` binary is [`run`]; the same pipeline is a small
//! library, and everything else in the crate is private:
//!
//! - **Entries**: [`detect`] a [`Format`] from an input's first lines, then
//!   [`Format::parse`] an entry into a [`Record`], whose fields ([`Field`], [`Level`],
//!   the time) are decoded only when asked for. [`TimeCtx`] says what to assume for
//!   what a timestamp leaves out (zone, year).
//! - **Queries**: [`compile_query`] turns the query language (`level:>=WARN service:api
//!   timeout`) into a [`Query`]; [`Query::matches`] runs it on one entry.
//! - **Scans**: [`open_inputs`] finds the inputs under some paths; [`scan_input`] runs a
//!   query over one of them, in parallel chunks, and hands each matching entry
//!   ([`Hit`], from a [`Source`]) to your [`Sink`], whose per-chunk parts come back in
//!   input order. A scan fails with a [`ScanError`] (the input's, or the sink's).
//! - **Runs**: a command ends in an [`Outcome`], which [`Outcome::exit_code`] maps to
//!   the exit code.
//!
//! `examples/embed.rs` counts ERROR entries per service in a directory with these.
//!
//! ```
//! use covet_logs::{compile_query, detect, Entry, Field, Format, Options, TimeCtx};
//!
//! let ctx = TimeCtx::utc_now_year();
//! let line: &[u8] = br#"{"timestamp":"2024-01-15T10:00:00Z","level":"error","service":"api","message":"upstream timeout"}"#;
//! let format = detect(line, &ctx);
//! assert_eq!(format, Format::Json);
//!
//! // Fields are decoded on demand.
//! let record = format.parse(line, &ctx);
//! assert_eq!(record.text(Field::Service).as_deref(), Some("api"));
//! assert_eq!(record.message(), "upstream timeout");
//!
//! // The query language, compiled once and run on each entry.
//! let query = compile_query("level:ERROR timeout", &Options::new(ctx)).unwrap();
//! let entry = Entry { raw: line, offset: 0, line: 1 };
//! assert!(query.matches(&entry, format, &ctx));
//! ```

#![warn(missing_docs)]

mod app;
mod cli;
mod cluster;
mod commands;
mod config;
mod engine;
mod entry;
mod error;
mod format;
mod index;
mod input;
mod outfile;
mod query;
mod scan;
mod serve;
mod sink;
mod stats;
mod store;

#[cfg(test)]
mod properties;
/// The integration tests' helpers (temporary directories, generated logs), shared
/// with the unit tests that measure or fuzz through them.
#[cfg(test)]
#[path = "../tests/util/mod.rs"]
mod util;

pub use app::run;
pub use cli::assets::render_all as generated_assets;
pub use engine::{open_inputs, Inputs, Outcome};
pub use entry::Entry;
pub use error::Error;
pub use format::level::Level;
pub use format::record::{Field, Record};
pub use format::timestamp::{TimeCtx, Tz};
pub use format::{detect, Format};
pub use input::{Input, Walk};
pub use query::{compile_query, Options, Query, QueryError};
pub use scan::{scan_input, Emit, Report, ScanConfig, ScanError};
pub use sink::{Hit, Sink, Source};

/// The internals the cargo-fuzz targets in `fuzz/` drive below the facade: the query
/// parser (for its print/parse round trip), the region loop of the scanner, and the
/// timestamp readers and writers. Built only under `--cfg fuzzing` (cargo-fuzz sets it),
/// so neither the normal build nor the public API has it.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::format::timestamp::{
        format_rfc3339_ns, parse_str, parse_tz, parse_user_time, rfc3339,
    };
    pub use crate::query::parse as parse_query;
    pub use crate::scan::region::scan_region;
}

/// The timestamp a line starts with, in UTC nanoseconds, and its length in bytes: the
/// forms that start an entry of a text log (RFC 3339/ISO 8601, syslog, common log
/// format, glog, ... read as `TimeCtx` says for a missing zone or year).
pub fn leading_timestamp(line: &[u8], ctx: &TimeCtx) -> Option<(i64, usize)> {
    format::timestamp::parse_leading(line, ctx)
}
