//! Arguments of `covet-logs cluster`: the Apache Ballista scheduler and executor that
//! `--engine df://HOST:PORT` runs queries on (a build with the `cluster` feature).

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(subcommand)]
    pub action: ClusterAction,
}

#[derive(Debug, Subcommand)]
pub enum ClusterAction {
    /// Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands
    /// their tasks to the executors. Prints the address it listens on, on stderr.
    Scheduler(SchedulerArgs),
    /// Run an executor: it reads, parses and filters the splits of log files the
    /// scheduler gives it (the files must be at the same paths as on the client).
    /// Prints the address it listens on, on stderr.
    Executor(ExecutorArgs),
}

#[derive(Debug, Args)]
pub struct SchedulerArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:50050")]
    pub bind: String,

    /// Allow a `--bind` address other than loopback. Ballista's services have no
    /// authentication and no encryption: only on a private network you trust.
    #[arg(long)]
    pub unauthenticated: bool,

    /// Seconds without a word from an executor before it is taken for lost and its
    /// tasks run on the others; also how long a query waits for a live executor
    /// before it is refused (`no executor alive at the scheduler`). A query whose
    /// executors are all lost fails then (`every executor was lost during the query`).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub executor_timeout: u64,
}

#[derive(Debug, Args)]
pub struct ExecutorArgs {
    /// The scheduler's address.
    #[arg(long, value_name = "HOST:PORT")]
    pub scheduler: String,

    /// Address to serve results on (port 0: any free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:0")]
    pub bind: String,

    /// Allow a `--bind` address other than loopback. Ballista's services have no
    /// authentication and no encryption: only on a private network you trust.
    #[arg(long)]
    pub unauthenticated: bool,

    /// Tasks run at once (0: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub concurrency: usize,
}
