//! `--engine datafusion`: the same scan as `engine::merge::scan_by_time`, with the
//! decision made by DataFusion.
//!
//! The entries of the inputs are read by covet-logs' detection and parsers (so Parquet
//! inputs arrive as their LogEntry rows too); the scan pushes down only what cannot
//! change the answer (the query's literal prefilter, the time window's seek), so every
//! entry that may match is rendered by the command's own sink and turned into a row
//! (`rows::Rows`). Items come
//! in the local engine's order (one input: as read; several: merged by timestamp), are
//! numbered, and gathered into record batches of `BATCH` rows; each batch is filtered
//! by the translated query on a single-partition `SessionContext` and the selected
//! rows' output is handed on in row order. Memory stays at one batch and its rendered
//! output, whatever the size of the inputs.

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{UInt32Type, UInt64Type};
use datafusion::logical_expr::Expr;
use datafusion::prelude::{ident, SessionConfig, SessionContext};

use crate::cluster::rows::{Batch, Formats, Rows, FORMAT, OUT, ROW};
use crate::cluster::translate::{translate, Scope};
use crate::config::FilterConfig;
use crate::engine::merge::{self, Merged};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::scan::ScanConfig;
use crate::sink::print::Printed;
use crate::sink::Sink;

/// Rows per record batch.
pub(super) const BATCH: usize = 8192;

fn df_error(e: impl std::fmt::Display) -> Error {
    Error::new("--engine datafusion", e.to_string())
}

/// The filter and the session that runs it on each batch (here, and in each
/// partition of a cluster's scan: `table`).
pub(super) struct Plan {
    filter: Expr,
    ctx: SessionContext,
    runtime: tokio::runtime::Runtime,
}

impl Plan {
    pub(super) fn new(filter: &FilterConfig, formats: &Formats) -> Result<Plan> {
        let scope = Scope {
            case_sensitive: filter.case_sensitive(),
            ctx: filter.ctx,
            formats,
        };
        let expr = translate(&filter.query.root, &scope)?;
        // One partition: a batch's rows stay in their order, no threads are started.
        let config = SessionConfig::new().with_target_partitions(1);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Error::io("--engine datafusion", &e))?;
        Ok(Plan {
            filter: expr,
            ctx: SessionContext::new_with_config(config),
            runtime,
        })
    }

    /// The outputs of the batch's rows that pass, in row order, each with its row's
    /// format (numbered as `Formats` numbers it).
    pub(super) fn select(
        &self,
        batch: &mut Batch,
        emit: &mut dyn FnMut(&[u8], u32) -> Result<bool>,
    ) -> Result<bool> {
        if batch.len() == 0 {
            return Ok(true);
        }
        let rb = batch.finish()?;
        let frame = self
            .ctx
            .read_batch(rb)
            .and_then(|df| df.filter(self.filter.clone()))
            .and_then(|df| df.select(vec![ident(ROW), ident(OUT), ident(FORMAT)]))
            .map_err(df_error)?;
        let found = self.runtime.block_on(frame.collect()).map_err(df_error)?;
        let mut rows: Vec<(u64, Vec<u8>, u32)> = Vec::new();
        for b in &found {
            let nums = b.column(0).as_primitive::<UInt64Type>();
            let outs = b.column(1).as_binary::<i32>();
            let formats = b.column(2).as_primitive::<UInt32Type>();
            for i in 0..b.num_rows() {
                rows.push((nums.value(i), outs.value(i).to_vec(), formats.value(i)));
            }
        }
        rows.sort_by_key(|r| r.0);
        for (_, out, format) in rows {
            if !emit(&out, format)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// `merge::scan_by_time` with DataFusion deciding: the entries `filter` matches,
/// rendered by `sink`, to `write` in the local engine's order.
pub fn scan_by_time<S: Sink<Part = Printed>>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    sink: &S,
    write: &mut dyn FnMut(&[u8]) -> Result<bool>,
) -> Merged {
    let formats = Formats::default();
    let plan = match Plan::new(filter, &formats) {
        Ok(plan) => plan,
        Err(e) => {
            return Merged {
                inputs: Vec::new(),
                output: Err(e),
            }
        }
    };
    // Pushed into the scan: the query's literal prefilter and the time window's seek,
    // both necessary conditions only (an entry they pass is still decided by
    // DataFusion; one they skip cannot match).
    let candidates = filter.query.candidates();
    let every = ScanConfig {
        query: &candidates,
        plan: None,
        levels: None,
        ..cfg.clone()
    };
    let rows = Rows {
        inner: sink,
        formats,
    };
    let mut batch = Batch::new();
    let mut next = 0u64;
    let mut stopped = false;
    let mut gather = |item: &[u8]| -> Result<bool> {
        batch.push(next, item);
        next += 1;
        if batch.len() < BATCH {
            return Ok(true);
        }
        let go_on = plan.select(&mut batch, &mut |out, _| write(out))?;
        stopped |= !go_on;
        Ok(go_on)
    };
    let mut merged = merge::scan_by_time(inputs, &every, &rows, &mut gather);
    if merged.output.is_ok() && !stopped {
        merged.output = plan
            .select(&mut batch, &mut |out, _| write(out))
            .map(|_| ());
    }
    merged
}
