//! Other engines for the same query (issue 17): `--engine datafusion` runs the
//! compiled query as an Apache DataFusion plan in this process, over the entries that
//! covet-logs' own detection and parsers read; `--engine df://HOST:PORT` runs it on an
//! Apache Ballista cluster (`covet-logs cluster scheduler|executor`). Both print
//! exactly what the local engine prints. Without the `cluster` feature only the choice
//! itself exists, so every build answers `--engine` and `cluster` in one line.
//!
//! The pieces (feature `cluster`): `rows` turns each entry into a row of the LogEntry
//! columns plus what the local engine needs to decide and print (the raw text, the
//! format, the rendered output); `translate` compiles the query's predicate tree into
//! a DataFusion `Expr` over those columns (native expressions where they decide
//! exactly as the local engine does, `udf` otherwise); `run` feeds the rows to a
//! `SessionContext` in bounded batches and hands on the selected rows' output in the
//! local engine's order. For a cluster, `table` is the log files as a DataFusion table
//! whose partitions (entry-aligned splits) an executor scans and decides with `run`'s
//! plan, `codec` carries it through Ballista's extension codecs, `remote` is the
//! client (plans the splits, renders and merges what comes back, a `waves` of jobs at
//! a time, kept in a `spill`) and `node` runs
//! Ballista's scheduler and executor with those codecs.

use crate::error::{Error, Result};

#[cfg(feature = "cluster")]
mod aggregate;
#[cfg(feature = "cluster")]
mod codec;
#[cfg(feature = "cluster")]
pub mod node;
#[cfg(feature = "cluster")]
mod partial;
#[cfg(feature = "cluster")]
mod remote;
#[cfg(feature = "cluster")]
mod rows;
#[cfg(feature = "cluster")]
mod run;
#[cfg(feature = "cluster")]
mod spill;
#[cfg(feature = "cluster")]
mod table;
#[cfg(feature = "cluster")]
pub mod translate;
#[cfg(feature = "cluster")]
mod udf;
#[cfg(feature = "cluster")]
mod waves;

/// Where a query runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// covet-logs' own scanner (the default).
    Local,
    /// Apache DataFusion in this process.
    DataFusion,
    /// A Ballista cluster: its scheduler's `HOST:PORT`.
    Cluster(String),
}

#[cfg(not(feature = "cluster"))]
/// The one-line answer of a build without the feature.
fn needs_feature(what: &str) -> Error {
    Error::new(
        what,
        "needs a build with the `cluster` feature (cargo build --features cluster)",
    )
}

impl Engine {
    /// Reads `--engine`: `local`, `datafusion`, or `df://HOST:PORT`; the last two need
    /// the `cluster` feature.
    pub fn parse(value: &str) -> Result<Engine> {
        match value {
            "local" => Ok(Engine::Local),
            "datafusion" if cfg!(feature = "cluster") => Ok(Engine::DataFusion),
            "datafusion" => Err(Error::new(
                "--engine",
                "datafusion needs a build with the `cluster` feature (cargo build --features cluster)",
            )),
            v if v.starts_with("df://") => {
                if !cfg!(feature = "cluster") {
                    return Err(Error::new(
                        "--engine",
                        format!("{v} needs a build with the `cluster` feature (cargo build --features cluster)"),
                    ));
                }
                let addr = v.trim_start_matches("df://").trim_end_matches('/');
                match addr.rsplit_once(':') {
                    Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
                        Ok(Engine::Cluster(addr.to_string()))
                    }
                    _ => Err(Error::new(
                        "--engine",
                        format!("{v}: expected df://HOST:PORT (the scheduler's address)"),
                    )),
                }
            }
            v => Err(Error::new(
                "--engine",
                format!("unknown engine '{v}' (expected local, datafusion or df://HOST:PORT)"),
            )),
        }
    }
}

/// `engine::merge::scan_by_time` decided by another engine (`DataFusion` or
/// `Cluster`): the entries `filter` matches, rendered by `sink`, to `write` in the
/// local engine's order.
#[cfg(feature = "cluster")]
pub fn scan_by_time<S: crate::sink::Sink<Part = crate::sink::print::Printed>>(
    engine: &Engine,
    inputs: &[crate::input::Input],
    cfg: &crate::scan::ScanConfig<'_>,
    filter: &crate::config::FilterConfig,
    sink: &S,
    write: &mut dyn FnMut(&[u8]) -> Result<bool>,
) -> crate::engine::merge::Merged {
    match engine {
        Engine::Cluster(addr) => remote::scan_by_time(addr, inputs, cfg, filter, sink, write),
        Engine::Local | Engine::DataFusion => run::scan_by_time(inputs, cfg, filter, sink, write),
    }
}

/// `search -c` by another engine: the failed inputs, and the number of entries
/// `filter` matches. A cluster counts on its executors (`remote::count`); DataFusion
/// in this process counts the rows it selects.
#[cfg(feature = "cluster")]
pub fn count(
    engine: &Engine,
    inputs: &[crate::input::Input],
    cfg: &crate::scan::ScanConfig<'_>,
    filter: &crate::config::FilterConfig,
) -> (Vec<Error>, Result<u64>) {
    match engine {
        Engine::Cluster(addr) => remote::count(addr, inputs, cfg, filter),
        Engine::Local | Engine::DataFusion => {
            // The raw text is the cheapest rendering; only the rows are counted.
            let raw = crate::sink::export::Exporter::printer(crate::sink::print::Mode::Raw);
            let mut n = 0u64;
            let merged = run::scan_by_time(inputs, cfg, filter, &raw, &mut |_| {
                n += 1;
                Ok(true)
            });
            (merged.inputs, merged.output.map(|()| n))
        }
    }
}

/// `stats`' aggregate made by another engine (`DataFusion` or `Cluster`): what
/// `filter` selects in `inputs`, folded by the sink `sink` describes where the query
/// runs, merged in input order (`aggregate`).
#[cfg(feature = "cluster")]
pub fn stats(
    engine: &Engine,
    inputs: &[crate::input::Input],
    cfg: &crate::scan::ScanConfig<'_>,
    filter: &crate::config::FilterConfig,
    sink: &crate::stats::agg::SinkSpec,
) -> aggregate::Folded {
    let cluster = match engine {
        Engine::Cluster(addr) => Some(addr.as_str()),
        Engine::Local | Engine::DataFusion => None,
    };
    aggregate::stats(cluster, inputs, cfg, filter, sink)
}

/// `covet-logs cluster scheduler`.
pub fn scheduler(bind: &str, executor_timeout: u64) -> Result<()> {
    #[cfg(feature = "cluster")]
    return node::scheduler(&node::SchedulerOptions {
        bind: bind.to_string(),
        executor_timeout,
    });
    #[cfg(not(feature = "cluster"))]
    {
        let _ = (bind, executor_timeout);
        Err(needs_feature("cluster scheduler"))
    }
}

/// `covet-logs cluster executor`.
pub fn executor(scheduler: &str, bind: &str, concurrency: usize) -> Result<()> {
    #[cfg(feature = "cluster")]
    return node::executor(&node::ExecutorOptions {
        scheduler: scheduler.to_string(),
        bind: bind.to_string(),
        concurrency,
    });
    #[cfg(not(feature = "cluster"))]
    {
        let _ = (scheduler, bind, concurrency);
        Err(needs_feature("cluster executor"))
    }
}
