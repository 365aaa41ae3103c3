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
use ballista_core::serde::protobuf as pb;
use ballista_core::serde::protobuf::executor_status;
use ballista_core::serde::protobuf::scheduler_grpc_server::{SchedulerGrpc, SchedulerGrpcServer};
use ballista_core::utils::create_grpc_server;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_executor::flight_service::BallistaFlightService;
use ballista_executor::shutdown::Shutdown;
use ballista_scheduler::cluster::{BallistaCluster, ClusterState};
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::create_scheduler;
use ballista_scheduler::scheduler_server::SchedulerServer;
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
        let state = cluster.cluster_state();
        let server =
            create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config))
                .await
                .map_err(|e| ballista_error(what, e))?;
        let service = SchedulerGrpcServer::new(Gated {
            inner: server,
            state,
            wait: opts.executor_timeout.max(1),
            last_poll: Mutex::new(None),
        });
        eprintln!("covet-logs: cluster scheduler listening on {addr}");
        create_grpc_server()
            .add_service(service)
            .serve_with_incoming(TcpListenerStream::new(listener))
            .await
            .map_err(|e| ballista_error(what, e))
    })
}

/// Ballista's scheduler service, except that a query waits at most `wait` seconds for
/// a live executor and is refused with a one-line status otherwise, instead of staying
/// queued until one registers. Live: an executor is registered (it asked for work
/// once and has not left; a busy executor asks for no more work until a slot is
/// free, so a registered one counts), one asked for work (`poll_work`, which idle
/// executors call all the time in Ballista's default pull scheduling) in the last
/// `wait` seconds, or one's last heartbeat (push scheduling) is that recent and not
/// terminating or dead. An executor killed without a word stays registered until the
/// scheduler finds it lost (no heartbeat for `--executor-timeout` seconds); a query
/// still unfinished when none is left is failed (`get_job_status`). Every other call
/// goes straight to Ballista's service.
struct Gated {
    inner: SchedulerServer<LogicalPlanNode, PhysicalPlanNode>,
    state: Arc<dyn ClusterState>,
    wait: u64,
    last_poll: Mutex<Option<std::time::Instant>>,
}

impl Gated {
    async fn has_live_executor(&self) -> bool {
        if !self.state.registered_executor_metadata().await.is_empty() {
            return true;
        }
        let recent = std::time::Duration::from_secs(self.wait);
        let polled = self
            .last_poll
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|t| t.elapsed() <= recent);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        polled
            || self.state.executor_heartbeats().values().any(|h| {
                !matches!(
                    h.status.as_ref().and_then(|s| s.status.as_ref()),
                    Some(
                        executor_status::Status::Dead(_) | executor_status::Status::Terminating(_)
                    )
                ) && now.saturating_sub(h.timestamp) <= self.wait
            })
    }

    /// Waits up to `wait` seconds for a live executor.
    async fn an_executor(&self) -> std::result::Result<(), tonic::Status> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(self.wait);
        while !self.has_live_executor().await {
            if tokio::time::Instant::now() >= deadline {
                return Err(tonic::Status::unavailable(format!(
                    "no executor alive at the scheduler after {}s (start one: covet-logs cluster executor --scheduler HOST:PORT)",
                    self.wait
                )));
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        Ok(())
    }
}

/// Whether a job is still queued or running.
fn is_unfinished(result: &pb::GetJobStatusResult) -> bool {
    use ballista_core::serde::protobuf::job_status::Status;
    matches!(
        result.status.as_ref().and_then(|s| s.status.as_ref()),
        Some(Status::Queued(_) | Status::Running(_))
    )
}

impl Gated {
    /// A job left with no live executor (every one died without a word, and the
    /// scheduler has since found them lost): cancelled, and answered as failed with a
    /// one-line reason, so the client stops waiting instead of waiting for ever.
    async fn fail_lost(&self, job_id: &str, result: &mut pb::GetJobStatusResult) {
        use ballista_core::serde::protobuf::job_status::Status;
        let cancel = tonic::Request::new(pb::CancelJobParams {
            job_id: job_id.to_string(),
        });
        let _ = SchedulerGrpc::cancel_job(&self.inner, cancel).await;
        let error = format!(
            "every executor was lost during the query (none alive for {}s; start one: covet-logs cluster executor --scheduler HOST:PORT)",
            self.wait
        );
        if let Some(status) = result.status.as_mut() {
            status.status = Some(Status::Failed(pb::FailedJob {
                error,
                ..pb::FailedJob::default()
            }));
        }
    }
}

/// `Gated`'s service: each call named here handed to Ballista's service as it is
/// (through the trait: `SchedulerServer` has inherent methods of the same names);
/// `poll_work` noted, then handed on; `execute_query` after the wait for an executor;
/// `get_job_status` answers "failed" for an unfinished job once no executor is alive.
macro_rules! gated_service {
    ($($call:ident($params:ident) -> $result:ident;)*) => {
        #[async_trait::async_trait]
        impl SchedulerGrpc for Gated {
            $(
                async fn $call(
                    &self,
                    request: tonic::Request<pb::$params>,
                ) -> std::result::Result<tonic::Response<pb::$result>, tonic::Status> {
                    SchedulerGrpc::$call(&self.inner, request).await
                }
            )*

            async fn poll_work(
                &self,
                request: tonic::Request<pb::PollWorkParams>,
            ) -> std::result::Result<tonic::Response<pb::PollWorkResult>, tonic::Status> {
                *self.last_poll.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(std::time::Instant::now());
                SchedulerGrpc::poll_work(&self.inner, request).await
            }

            async fn get_job_status(
                &self,
                request: tonic::Request<pb::GetJobStatusParams>,
            ) -> std::result::Result<tonic::Response<pb::GetJobStatusResult>, tonic::Status> {
                let job_id = request.get_ref().job_id.clone();
                let mut response = SchedulerGrpc::get_job_status(&self.inner, request).await?;
                if is_unfinished(response.get_ref()) && !self.has_live_executor().await {
                    self.fail_lost(&job_id, response.get_mut()).await;
                }
                Ok(response)
            }

            async fn execute_query(
                &self,
                request: tonic::Request<pb::ExecuteQueryParams>,
            ) -> std::result::Result<tonic::Response<pb::ExecuteQueryResult>, tonic::Status> {
                self.an_executor().await?;
                SchedulerGrpc::execute_query(&self.inner, request).await
            }
        }
    };
}

gated_service! {
    register_executor(RegisterExecutorParams) -> RegisterExecutorResult;
    heart_beat_from_executor(HeartBeatParams) -> HeartBeatResult;
    update_task_status(UpdateTaskStatusParams) -> UpdateTaskStatusResult;
    create_update_session(CreateUpdateSessionParams) -> CreateUpdateSessionResult;
    remove_session(RemoveSessionParams) -> RemoveSessionResult;
    executor_stopped(ExecutorStoppedParams) -> ExecutorStoppedResult;
    cancel_job(CancelJobParams) -> CancelJobResult;
    clean_job_data(CleanJobDataParams) -> CleanJobDataResult;
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
    exit_after_grace(what)?;
    rt.block_on(start_executor_process(Arc::new(config)))
        .map_err(|e| ballista_error(what, e))
}

/// How long an executor told to stop may take to leave.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Ballista's executor stops on SIGTERM or Ctrl-C by telling the scheduler it is
/// leaving and waiting for its running tasks; with the scheduler gone, or a long scan
/// running on a thread of its own, that can last. So the process ends at most
/// `STOP_GRACE` after the first such signal, however far that has got.
fn exit_after_grace(what: &str) -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM]).map_err(|e| Error::io(what, &e))?;
    let what = what.to_string();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            std::thread::sleep(STOP_GRACE);
            eprintln!(
                "covet-logs: {what}: still stopping {}s after the signal; exiting",
                STOP_GRACE.as_secs()
            );
            std::process::exit(128 + signal);
        }
    });
    Ok(())
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
