//! `covet-logs cluster scheduler|executor`: runs one of a Ballista cluster's
//! processes (`cluster::node`) until it is killed. Ballista's services have no
//! authentication, so a process binds loopback unless told `--unauthenticated`.

use std::net::{SocketAddr, ToSocketAddrs};

use crate::cli::{ClusterAction, ClusterArgs};
use crate::engine::Outcome;
use crate::error::{Error, Result};

pub fn run(args: &ClusterArgs) -> Result<Outcome> {
    match &args.action {
        ClusterAction::Scheduler(a) => {
            check_bind(&a.bind, a.unauthenticated)?;
            crate::cluster::scheduler(&a.bind, a.executor_timeout)?
        }
        ClusterAction::Executor(a) => {
            check_bind(&a.bind, a.unauthenticated)?;
            crate::cluster::executor(&a.scheduler, &a.bind, a.concurrency)?
        }
    }
    Ok(Outcome::Matched)
}

/// Refuses a `--bind` address that is not loopback (every address it names, when a
/// name) unless `unauthenticated` was given. A name that does not resolve is left to
/// the bind, which says so.
fn check_bind(bind: &str, unauthenticated: bool) -> Result<()> {
    if unauthenticated {
        return Ok(());
    }
    let addrs: Vec<SocketAddr> = match bind.parse::<SocketAddr>() {
        Ok(addr) => vec![addr],
        Err(_) => bind
            .to_socket_addrs()
            .map(Iterator::collect)
            .unwrap_or_default(),
    };
    if addrs.iter().all(|a| a.ip().is_loopback()) {
        return Ok(());
    }
    Err(Error::new(
        format!("--bind {bind}"),
        "not a loopback address, and Ballista's services have no authentication or \
         encryption: add --unauthenticated to listen there (a private network only)",
    ))
}
