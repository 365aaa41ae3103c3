//! covet-logs: a log query tool built as one pipeline.
//!
//! input (files, directories, stdin, compressed) -> entries (format detection and
//! parsing) -> filter (query: literal prefilter + predicate) -> sink (printer, counter).
//! Each stage is a module of its own; `commands` wires them per subcommand.
//!
//! The library is what the `covet-logs` binary is made of, and can be used on its own:
//! [`format`](mod@format) detects a format and parses entries into a [`format::record::Record`],
//! [`query`] parses and compiles the query language, [`query::eval`] runs it on an
//! entry, and [`scan`] runs it over whole inputs (found by [`input::resolve`]) into a
//! [`sink::Sink`]. `examples/embed.rs` counts ERROR entries per service that way.
//!
//! ```
//! use covet_logs::entry::Entry;
//! use covet_logs::format::{self, alias::Field, timestamp::{self, TimeCtx}, Format};
//! use covet_logs::query::{self, eval, Options};
//!
//! let ctx = TimeCtx::utc_now_year();
//! let line: &[u8] = br#"{"timestamp":"2024-01-15T10:00:00Z","level":"error","service":"api","message":"upstream timeout"}"#;
//! let format = format::detect(line, &ctx);
//! assert_eq!(format, Format::Json);
//!
//! // Fields are decoded on demand.
//! let record = format.parse(line, &ctx);
//! assert_eq!(record.text(Field::Service).as_deref(), Some("api"));
//! assert_eq!(record.message(), "upstream timeout");
//!
//! // The query language, compiled once and run on each entry.
//! let opts = Options { case_sensitive: false, regex_words: false, ctx, now_ns: timestamp::now_ns() };
//! let query = query::compile(&query::parse("level:ERROR timeout").unwrap(), Vec::new(), &opts).unwrap();
//! let entry = Entry { raw: line, offset: 0, line: 1 };
//! let parse = |raw| format.parse(raw, &ctx);
//! assert!(eval::matches(&query.root, &entry, &mut None, &parse, format));
//! ```

pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod entry;
pub mod error;
pub mod format;
pub mod input;
pub mod outfile;
pub mod query;
pub mod scan;
pub mod serve;
pub mod sink;
pub mod stats;
pub mod store;
