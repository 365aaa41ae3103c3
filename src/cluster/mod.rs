//! Other engines for the same query (issue 17): `--engine datafusion` runs the
//! compiled query as an Apache DataFusion plan in this process, over the entries that
//! covet-logs' own detection and parsers read, and prints exactly what the local
//! engine prints; `--engine df://HOST:PORT` is kept for a Ballista cluster (not built
//! yet). Without the `cluster` feature only the choice itself exists, so every build
//! answers `--engine` in one line.
//!
//! The pieces (feature `cluster`): `rows` turns each entry into a row of the LogEntry
//! columns plus what the local engine needs to decide and print (the raw text, the
//! format, the rendered output); `translate` compiles the query's predicate tree into
//! a DataFusion `Expr` over those columns (native expressions where they decide
//! exactly as the local engine does, `udf` otherwise); `run` feeds the rows to a
//! `SessionContext` in bounded batches and hands on the selected rows' output in the
//! local engine's order.

use crate::error::{Error, Result};

#[cfg(feature = "cluster")]
mod rows;
#[cfg(feature = "cluster")]
mod run;
#[cfg(feature = "cluster")]
pub mod translate;
#[cfg(feature = "cluster")]
mod udf;

#[cfg(feature = "cluster")]
pub use run::scan_by_time;

/// Where a query runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// covet-logs' own scanner (the default).
    Local,
    /// Apache DataFusion in this process.
    DataFusion,
}

impl Engine {
    /// Reads `--engine`: `local`, `datafusion`, or `df://HOST:PORT` (refused: Ballista
    /// is not built yet). `datafusion` needs the `cluster` feature.
    pub fn parse(value: &str) -> Result<Engine> {
        match value {
            "local" => Ok(Engine::Local),
            "datafusion" if cfg!(feature = "cluster") => Ok(Engine::DataFusion),
            "datafusion" => Err(Error::new(
                "--engine",
                "datafusion needs a build with the `cluster` feature (cargo build --features cluster)",
            )),
            v if v.starts_with("df://") => Err(Error::new(
                "--engine",
                format!(
                    "{v}: a Ballista cluster is not built yet; `--engine datafusion` runs the same plan in this process"
                ),
            )),
            v => Err(Error::new(
                "--engine",
                format!("unknown engine '{v}' (expected local, datafusion or df://HOST:PORT)"),
            )),
        }
    }
}
