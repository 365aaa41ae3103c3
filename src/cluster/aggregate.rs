//! `stats --engine datafusion|df://HOST:PORT`: the aggregate `stats` reports, made
//! where the query runs.
//!
//! The inputs are cut into the splits a cluster scan has (`remote::plan_input`:
//! entry-aligned byte ranges of plain files, a whole input otherwise). Each split is
//! read, decided by the translated query and folded into a partial `Agg` by the
//! command's own `StatsSink` (`table::fold_split`): on an executor of the cluster,
//! which sends it back as one encoded row (`partial`), or, with `datafusion`, on this
//! process's thread pool. The client merges the partials in split order, which is
//! input order, as the local engine merges its parts; the report is then built and
//! printed by `stats` as always.

use rayon::prelude::*;

use crate::cluster::partial;
use crate::cluster::remote::{self, plan_input};
use crate::cluster::table::{fold_split, Split};
use crate::config::{query_error, FilterConfig};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::scan::ScanConfig;
use crate::stats::agg::{Agg, SinkSpec};

/// The merged aggregate, and the inputs that could not be read (the others counted).
pub struct Folded {
    pub inputs: Vec<Error>,
    pub output: Result<Agg>,
}

/// The aggregate of what `filter` selects in `inputs`, folded by the sink `sink`
/// describes: on the cluster whose scheduler is at `cluster`, else in this process.
pub fn stats(
    cluster: Option<&str>,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    sink: &SinkSpec,
) -> Folded {
    // Standard input is read here (`datafusion`) as one split; a cluster refuses it.
    let read_here = |input: &Input| cluster.is_none() && !matches!(input, Input::File(_));
    let (_, splits, failed) = remote::plan_inputs(inputs, cfg, |input, i, cfg| {
        if read_here(input) {
            return Ok(((), vec![whole(input, i)]));
        }
        plan_input(input, i, cfg).map(|(_, splits)| ((), splits))
    });
    let output = (|| {
        let parts = match cluster {
            Some(addr) if !splits.is_empty() => {
                let spec = remote::scan_spec(cfg, filter, splits, Some(sink.clone()));
                let count = spec.splits.len();
                partial::read(&remote::run(addr, spec)?, count)?
            }
            Some(_) => Vec::new(),
            None => here(inputs, cfg, filter, sink, splits)?,
        };
        let built = sink
            .sink(filter.ctx, filter.now_ns)
            .map_err(|(q, e)| query_error("--alert", &q, &e))?;
        let mut agg = Agg::new(&built);
        for part in parts {
            agg.merge(part);
        }
        Ok(agg)
    })();
    Folded {
        inputs: failed,
        output,
    }
}

/// A split of all of `input`.
fn whole(input: &Input, index: usize) -> Split {
    Split {
        input: index as u32,
        path: String::new(),
        range: None,
        groups: None,
        name: input.display_name(),
        format: None,
    }
}

/// `--engine datafusion`: each split folded on this process's thread pool, the
/// partials in split order.
fn here(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    sink: &SinkSpec,
    splits: Vec<Split>,
) -> Result<Vec<Agg>> {
    let spec = remote::scan_spec(cfg, filter, Vec::new(), None);
    splits
        .par_iter()
        .map(|split| fold_split(&spec, sink, split, &inputs[split.input as usize]))
        .collect()
}
