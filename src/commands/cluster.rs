//! `covet-logs cluster scheduler|executor`: runs one of a Ballista cluster's
//! processes (`cluster::node`) until it is killed.

use crate::cli::{ClusterAction, ClusterArgs};
use crate::engine::Outcome;
use crate::error::Result;

pub fn run(args: &ClusterArgs) -> Result<Outcome> {
    match &args.action {
        ClusterAction::Scheduler(a) => crate::cluster::scheduler(&a.bind, a.executor_timeout)?,
        ClusterAction::Executor(a) => {
            crate::cluster::executor(&a.scheduler, &a.bind, a.concurrency)?
        }
    }
    Ok(Outcome::Matched)
}
