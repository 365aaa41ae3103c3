//! `covet-logs cluster scheduler` and `covet-logs cluster executor`: Apache Ballista's
//! scheduler and executor, run in this process through their library entry points,
//! with covet-logs' extension codecs (`codec`) installed, so that the scheduler plans
//! and the executors run covet-logs' log-file scans (`table`).
//!
//! Each binds its listening socket itself before starting Ballista's service on it
//! (loopback by default; port 0 picks a free one) and prints one line on stderr with
//! the address it bound, which tests and scripts read. They run until killed (or
//! Ctrl-C / SIGTERM for the executor, which then tells the scheduler it is leaving).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use arrow_flight::flight_service_server::FlightServiceServer;
use ballista_core::error::BallistaError;
use ballista_core::serde::protobuf::scheduler_grpc_server::SchedulerGrpcServer;
use ballista_core::utils::create_grpc_server;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_executor::flight_service::BallistaFlightService;
use ballista_executor::shutdown::Shutdown;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::create_scheduler;
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use tokio_stream::wrappers::TcpListenerStream;

use crate::cluster::codec;
use crate::error::{Error, Result};

/// The largest gRPC message, as Ballista's own servers allow.
const MAX_MESSAGE: usize = 16 << 20;

/// What `cluster scheduler` is given.
pub struct SchedulerOptions {
    pub bind: String,
    /// Seconds without a word from an executor before its tasks run elsewhere.
    pub executor_timeout: u64,
}

/// What `cluster executor` is given.
pub struct ExecutorOptions {
    pub scheduler: String,
    pub bind: String,
    /// Tasks at once (0: one per core).
    pub concurrency: usize,
}

/// Ballista's own log lines on stderr, at the level `COVET_LOGS_CLUSTER_LOG` names
/// (`error`, `warn`, `info`, `debug`, `trace`); none when it is not set.
struct StderrLog(log::LevelFilter);

impl log::Log for StderrLog {
    fn enabled(&self, meta: &log::Metadata) -> bool {
        meta.level() <= self.0
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            eprintln!("{} {}: {}", record.level(), record.target(), record.args());
        }
    }

    fn flush(&self) {}
}

/// Installs `StderrLog` when `COVET_LOGS_CLUSTER_LOG` asks for it.
pub fn install_log() {
    let Some(level) = std::env::var("COVET_LOGS_CLUSTER_LOG")
        .ok()
        .and_then(|v| v.parse::<log::LevelFilter>().ok())
    else {
        return;
    };
    if log::set_logger(Box::leak(Box::new(StderrLog(level)))).is_ok() {
        log::set_max_level(level);
    }
}

fn runtime(what: &str) -> Result<tokio::runtime::Runtime> {
    install_log();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io(what, &e))
}

fn ballista_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        what,
        e.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Runs a scheduler on `opts.bind` until the process ends.
pub fn scheduler(opts: &SchedulerOptions) -> Result<()> {
    let what = "cluster scheduler";
    runtime(what)?.block_on(async {
        let listener = tokio::net::TcpListener::bind(&opts.bind)
            .await
            .map_err(|e| Error::io(format!("{what}: --bind {}", opts.bind), &e))?;
        let addr = listener.local_addr().map_err(|e| Error::io(what, &e))?;
        let mut config = SchedulerConfig::default()
            .with_hostname(addr.ip().to_string())
            .with_port(addr.port());
        config.bind_host = addr.ip().to_string();
        config.executor_timeout_seconds = opts.executor_timeout.max(1);
        config.expire_dead_executor_interval_seconds = opts.executor_timeout.clamp(1, 15);
        config.override_logical_codec = Some(codec::logical());
        config.override_physical_codec = Some(codec::physical());
        let cluster = BallistaCluster::new_from_config(&config)
            .await
            .map_err(|e| ballista_error(what, e))?;
        let server =
            create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config))
                .await
                .map_err(|e| ballista_error(what, e))?;
        let service = SchedulerGrpcServer::new(server);
        eprintln!("covet-logs: cluster scheduler listening on {addr}");
        create_grpc_server()
            .add_service(service)
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await
            .map_err(|e| ballista_error(what, e))
    })
}

/// Runs an executor that works for the scheduler at `opts.scheduler`, serving its
/// results on `opts.bind`, until the process ends.
pub fn executor(opts: &ExecutorOptions) -> Result<()> {
    let what = "cluster executor";
    let (host, port) = host_port(&opts.scheduler).ok_or_else(|| {
        Error::new(
            "--scheduler",
            format!("{}: expected HOST:PORT", opts.scheduler),
        )
    })?;
    let listener = std::net::TcpListener::bind(&opts.bind)
        .map_err(|e| Error::io(format!("{what}: --bind {}", opts.bind), &e))?;
    let addr = listener.local_addr().map_err(|e| Error::io(what, &e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io(what, &e))?;
    // Shuffle files live here while the process runs.
    let work = tempfile::Builder::new()
        .prefix("covet-logs-executor-")
        .tempdir()
        .map_err(|e| Error::io(what, &e))?;
    let config = ExecutorProcessConfig {
        bind_host: addr.ip().to_string(),
        // The address the scheduler and clients fetch results from (Ballista would
        // otherwise take it from the connection, which our listener does not record).
        external_host: Some(addr.ip().to_string()),
        port: addr.port(),
        scheduler_host: host,
        scheduler_port: port,
        scheduler_connect_timeout_seconds: 10,
        concurrent_tasks: opts.concurrency,
        work_dir: Some(work.path().display().to_string()),
        override_logical_codec: Some(codec::logical()),
        override_physical_codec: Some(codec::physical()),
        override_arrow_flight_service: Some(flight_on(listener)),
        ..ExecutorProcessConfig::default()
    };
    let rt = runtime(what)?;
    eprintln!(
        "covet-logs: cluster executor listening on {addr}, scheduler {}",
        opts.scheduler
    );
    rt.block_on(start_executor_process(Arc::new(config)))
        .map_err(|e| ballista_error(what, e))
}

/// `HOST:PORT` split at its last colon.
fn host_port(s: &str) -> Option<(String, u16)> {
    let (host, port) = s.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (!host.is_empty()).then_some(())?;
    Some((host.to_string(), port.parse().ok()?))
}

/// Ballista's flight service (where results are fetched) on a listener bound here.
fn flight_on(listener: std::net::TcpListener) -> Arc<ballista_executor::ArrowFlightServerProvider> {
    let listener = Mutex::new(Some(listener));
    Arc::new(move |_: SocketAddr, mut shutdown: Shutdown| {
        let taken = listener.lock().ok().and_then(|mut l| l.take());
        tokio::spawn(async move {
            let listener = taken
                .ok_or_else(|| BallistaError::General("the flight service started twice".into()))?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            create_grpc_server()
                .add_service(
                    FlightServiceServer::new(BallistaFlightService::new())
                        .max_decoding_message_size(MAX_MESSAGE)
                        .max_encoding_message_size(MAX_MESSAGE),
                )
                .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown.recv())
                .await
                .map_err(BallistaError::TonicError)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn scheduler_addresses_are_split_at_the_last_colon() {
        assert_eq!(
            host_port("127.0.0.1:50050"),
            Some(("127.0.0.1".into(), 50050))
        );
        assert_eq!(host_port("[::1]:7"), Some(("::1".into(), 7)));
        assert_eq!(host_port("host"), None);
        assert_eq!(host_port(":80"), None);
        assert_eq!(host_port("h:99999"), None);
    }
}
