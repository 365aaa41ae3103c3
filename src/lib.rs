//! covet-logs: a log query tool built as one pipeline.
//!
//! input (files, directories, stdin, compressed) -> entries (format detection and
//! parsing) -> filter (query: literal prefilter + predicate) -> sink (printer, counter).
//! Each stage is a module of its own; `commands` wires them per subcommand.

pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod entry;
pub mod error;
pub mod format;
pub mod gen;
pub mod input;
pub mod outfile;
pub mod query;
pub mod scan;
pub mod sink;
pub mod stats;
pub mod store;
