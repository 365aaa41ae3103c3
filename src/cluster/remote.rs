//! `--engine df://HOST:PORT`: the same scan as `engine::merge::scan_by_time`, run on a
//! Ballista cluster.
//!
//! The client plans: each input is named by its absolute path (the executors read the
//! same files: a shared filesystem), its format resolved as the local scanner resolves
//! it, and a plain file cut into splits of `SPLIT_CHUNKS` chunks at entry boundaries
//! (`format::bounds`), an uncompressed object the same way from small windows read
//! at each cut (`object_splits`), a local Parquet file of several row groups into runs
//! of row groups; a compressed input is one split. The query goes to
//! the scheduler as a DataFusion plan over a `LogTable` of those splits, with the
//! filter as a `FilterSpec`; executors read, parse and decide the splits in parallel
//! (`table`), and send back the entries that match. The client keeps them in a spill
//! file as they come (`spill`), then renders them with the command's own sink, each
//! input's in offset order, one batch at a time, and merges the inputs by time as the
//! local engine does (`merge::try_by_time`), so it prints what the local engine prints
//! with memory for about one batch per input. A count (`count`) is made on the
//! executors and nothing else comes back.

use std::cell::RefCell;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use ballista_core::extension::{SessionConfigExt, SessionStateExt};
use datafusion::arrow::array::RecordBatch;
use datafusion::error::DataFusionError;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{DataFrame, SessionConfig, SessionContext};

use crate::cluster::codec;
use crate::cluster::spill::{self, Spill};
use crate::cluster::table::{self, Found, LogTable, ScanSpec, Split};
use crate::cluster::waves::{self, Waves};
use crate::config::FilterConfig;
use crate::engine::merge::{self, Merged, Parts};
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::format::{self, bounds, timestamp::TimeCtx, Format};
use crate::input::{self, Input, Opened};
use crate::query::Query;
use crate::scan::{self, ScanConfig};
use crate::sink::print::Printed;
use crate::sink::{Hit, Sink, Source};
use crate::stats::agg::SinkSpec;

/// A split of a plain file is this many of the local scanner's chunks (`--chunk-size`,
/// 4 MiB by default: 32 MiB splits).
pub const SPLIT_CHUNKS: usize = 8;

/// How long the scheduler has to accept a connection.
const CONNECT: Duration = Duration::from_secs(5);

/// How an input is read, as the client resolved it (for rendering its entries).
pub(super) struct Read {
    ctx: TimeCtx,
    format: Format,
}

/// `merge::scan_by_time` on the cluster at `addr` (`HOST:PORT`): the entries `filter`
/// matches, rendered by `sink`, to `write` in the local engine's order.
pub fn scan_by_time<S: Sink<Part = Printed>>(
    addr: &str,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    sink: &S,
    write: &mut dyn FnMut(&[u8]) -> Result<bool>,
) -> Merged {
    let (reads, splits, failed) = plan_inputs(inputs, cfg, plan_input);
    let output = (|| {
        if splits.is_empty() {
            return Ok(());
        }
        let base = ScanSpec {
            sizes: true,
            ..scan_spec(cfg, filter, Vec::new(), None)
        };
        let waves = Waves::start(waves::waves_of(splits, waves::first_wave()), {
            let (addr, count, debug) = (addr.to_string(), inputs.len(), cfg.debug);
            move |n, splits| {
                if debug {
                    eprintln!(
                        "covet-logs: debug: wave {}: {} split(s)",
                        n + 1,
                        splits.len()
                    );
                }
                let spec = ScanSpec {
                    splits,
                    ..base.clone()
                };
                let spill = run_with(&addr, spec, spill_rows)?;
                spill.check(count)?;
                Ok(spill)
            }
        })?;
        let reads = &reads;
        // Each input's lane renders one group of its rows at a time, as the merge
        // asks, taking the waves as they come; the first failure ends the lane and is
        // returned after the merge.
        let failure = RefCell::new(None);
        let mut lanes: Vec<_> = (0..inputs.len())
            .map(|i| {
                let (waves, failure) = (&waves, &failure);
                let mut at = waves::Cursor::default();
                Parts::new(std::iter::from_fn(move || {
                    let read = reads[i].as_ref()?;
                    let part = waves.next_group(i, &mut at).and_then(|bytes| match bytes {
                        Some(bytes) => {
                            let rows = spill::rows(&bytes)?;
                            render(&rows, (&inputs[i], i), read, at.places(), sink).map(Some)
                        }
                        None => Ok(None),
                    });
                    match part {
                        Ok(part) => part,
                        Err(e) => {
                            failure.borrow_mut().get_or_insert(e);
                            None
                        }
                    }
                }))
            })
            .collect();
        merge::try_by_time(&mut lanes, |_, lane| write(lane.item()))?;
        drop(lanes);
        failure.into_inner().map_or(Ok(()), Err)
    })();
    Merged {
        inputs: failed,
        output,
    }
}

/// The rows a query's frame sends back, into a spill file as they come.
async fn spill_rows(frame: DataFrame) -> datafusion::error::Result<Spill> {
    use futures_util::StreamExt;
    let external = |e: Error| DataFusionError::Execution(e.to_string());
    let mut stream = frame.execute_stream().await?;
    let mut spill = Spill::new().map_err(|e| DataFusionError::External(Box::new(e)))?;
    while let Some(batch) = stream.next().await {
        spill.add(&batch?).map_err(external)?;
    }
    Ok(spill)
}

/// The number of entries `filter` matches in `inputs` (`search -c`), counted by the
/// executors: a `COUNT(*)` over the log table, so only the count comes back (no
/// entry crosses the network, and the client holds nothing however many match).
pub fn count(
    addr: &str,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
) -> (Vec<Error>, Result<u64>) {
    let (_, splits, failed) = plan_inputs(inputs, cfg, plan_input);
    if splits.is_empty() {
        return (failed, Ok(0));
    }
    let spec = scan_spec(cfg, filter, splits, None);
    let counted = run_with(addr, spec, |frame| async move { frame.count().await });
    (failed, counted.map(|n| n as u64))
}

/// Each input's reading and splits by `plan` (in input order), and the inputs that
/// could not be planned.
pub(super) fn plan_inputs<R>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    plan: impl Fn(&Input, usize, &ScanConfig<'_>) -> Result<(R, Vec<Split>)>,
) -> (Vec<Option<R>>, Vec<Split>, Vec<Error>) {
    let mut failed = Vec::new();
    let mut reads = Vec::with_capacity(inputs.len());
    let mut splits = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        match plan(input, i, cfg) {
            Ok((read, mut s)) => {
                if cfg.debug {
                    let groups = s.iter().filter(|s| s.groups.is_some()).count();
                    let ranges = s
                        .iter()
                        .filter(|s| matches!(s.placed(), Some(table::Placed::From(_))))
                        .count();
                    eprintln!(
                        "covet-logs: debug: {}: {} split(s), {groups} of Parquet row groups, {ranges} byte ranges of an object",
                        crate::sink::sanitize::sanitize(&input.display_name()),
                        s.len()
                    );
                }
                reads.push(Some(read));
                splits.append(&mut s);
            }
            Err(e) => {
                reads.push(None);
                failed.push(e);
            }
        }
    }
    (reads, splits, failed)
}

/// The scan of `splits` as the cluster runs it.
pub(super) fn scan_spec(
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    splits: Vec<Split>,
    stats: Option<SinkSpec>,
) -> ScanSpec {
    ScanSpec {
        filter: filter.spec(),
        format: cfg.format.map(|f| f.name().into_owned()),
        need_lines: cfg.need_lines,
        max_entry: cfg.max_entry,
        chunk_size: cfg.chunk_size,
        splits,
        stats,
        sizes: false,
    }
}

/// An error's text on one line.
fn one_line(e: &impl std::fmt::Display) -> String {
    e.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An input's format and splits.
pub(super) fn plan_input(
    input: &Input,
    index: usize,
    cfg: &ScanConfig<'_>,
) -> Result<(Read, Vec<Split>)> {
    let Input::File(path) = input else {
        return Err(Error::new(
            input.display_name(),
            "a cluster's executors read files only (not standard input)",
        ));
    };
    let name = input.display_name();
    // An object store's URL is read by the executors as it is (with their own
    // credentials); a local path is made absolute.
    let absolute = match input::object::is_object_url(path) {
        true => path.clone(),
        false => std::path::absolute(path).map_err(|e| Error::io(&name, &e))?,
    };
    let absolute = absolute
        .to_str()
        .ok_or_else(|| {
            Error::new(
                &name,
                "a path that is not UTF-8 cannot be sent to a cluster",
            )
        })?
        .to_string();
    let ctx = table::dated(cfg.ctx, path);
    let split = |range, format: Format| Split {
        input: index as u32,
        path: absolute.clone(),
        range,
        groups: None,
        name: name.clone(),
        format: Some(format.name().into_owned()),
    };
    let size = cfg.chunk_size.max(1).saturating_mul(SPLIT_CHUNKS);
    match input::open(input, cfg.no_mmap)? {
        Opened::Mapped(map) => {
            // A history read up to where a follower resumes ends there (`ends`).
            let bytes = cfg.cut(index, map.bytes());
            let format = cfg.format.unwrap_or_else(|| format::detect(bytes, &ctx));
            let ranges =
                bounds::split_bounded(bytes, 0, bytes.len(), size, usize::MAX, format, &ctx)
                    .unwrap_or_default();
            let splits = ranges
                .into_iter()
                .map(|(s, e)| split(Some((s as u64, e as u64)), format))
                .collect();
            Ok((Read { ctx, format }, splits))
        }
        Opened::Stream(_) => {
            let format = stream_format(input, index, cfg)?;
            let splits = match row_group_splits(path, size)? {
                Some(groups) => groups
                    .into_iter()
                    .map(|groups| Split {
                        groups: Some(groups),
                        ..split(None, format)
                    })
                    .collect(),
                None => match object_splits(path, size as u64, format, &ctx)? {
                    Some(ranges) => ranges.into_iter().map(|r| split(Some(r), format)).collect(),
                    None => vec![split(None, format)],
                },
            };
            Ok((Read { ctx, format }, splits))
        }
    }
}

/// A local Parquet file's row groups cut into runs of about `size` bytes (before
/// compression), when there are two runs or more; `None` for any other input.
fn row_group_splits(path: &std::path::Path, size: usize) -> Result<Option<Vec<(u32, u32)>>> {
    if input::object::is_object_url(path) || !input::is_parquet(path) {
        return Ok(None);
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(&name, &e))?;
    let groups = format::parquet::row_groups(file)
        .map_err(|e| Error::new(&name, format!("not a readable Parquet file: {e}")))?;
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0u32, 0u64);
    for (i, (_, group_bytes)) in groups.iter().enumerate() {
        bytes += group_bytes;
        if bytes >= size as u64 {
            runs.push((start, i as u32 + 1));
            (start, bytes) = (i as u32 + 1, 0);
        }
    }
    if (start as usize) < groups.len() {
        runs.push((start, groups.len() as u32));
    }
    Ok((runs.len() > 1).then_some(runs))
}

/// Bytes read before a planned cut of an object: the line before the first line at
/// or after it must be whole (a format's entry rule may read it).
const BEHIND: u64 = 64 << 10;

/// Bytes read from a planned cut of an object to find the first entry start after it;
/// an entry longer than this leaves the cut out.
const AHEAD: u64 = 1 << 20;

/// An object of more than `size` bytes, stored as it is read (not compressed, not
/// Parquet), cut into entry-aligned byte ranges of about `size`: each cut is the first
/// entry start at or after a multiple of `size`, found in a small window read around
/// it, as `bounds::split_bounded` cuts a local file. `None` for any other input.
fn object_splits(
    path: &std::path::Path,
    size: u64,
    format: Format,
    ctx: &TimeCtx,
) -> Result<Option<Vec<(u64, u64)>>> {
    if !input::object::is_object_url(path) {
        return Ok(None);
    }
    let url = path.display().to_string();
    let len = input::object::size(&url)?;
    let size = size.max(1);
    if len <= size {
        return Ok(None);
    }
    let first = std::iter::once(0..len.min(BEHIND)).collect::<Vec<_>>();
    let head = input::object::read_ranges(&url, &first)?;
    if !input::is_plain_head(&head[0]) {
        return Ok(None);
    }
    let targets: Vec<u64> = (1..len.div_ceil(size)).map(|k| k * size).collect();
    let windows: Vec<_> = targets
        .iter()
        .map(|&t| t.saturating_sub(BEHIND)..t.saturating_add(AHEAD).min(len))
        .collect();
    let read = input::object::read_ranges(&url, &windows)?;
    let mut cuts = vec![0];
    for ((&target, window), bytes) in targets.iter().zip(&windows).zip(&read) {
        let last = window.end == len;
        let cut = cut_in(bytes, window.start, target, last, format, ctx);
        if let Some(cut) = cut.filter(|&c| c > cuts[cuts.len() - 1] && c < len) {
            cuts.push(cut);
        }
    }
    cuts.push(len);
    let ranges: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    Ok((ranges.len() > 1).then_some(ranges))
}

/// The first entry start at or after `target` in `window` (the object's bytes from
/// `lo`; `last`: up to its end), when the window shows it for sure: the line before it
/// whole, and the line it starts ended within the window.
fn cut_in(
    window: &[u8],
    lo: u64,
    target: u64,
    last: bool,
    format: Format,
    ctx: &TimeCtx,
) -> Option<u64> {
    let pos = usize::try_from(target.checked_sub(lo)?).ok()?;
    if pos == 0 || pos > window.len() {
        return None;
    }
    // The line that holds byte `pos - 1` must start in the window.
    if lo > 0 && memchr::memchr(b'\n', &window[..pos - 1]).is_none() {
        return None;
    }
    // Only whole lines: up to the window's last newline (all of it at the end).
    let whole = match last {
        true => window.len(),
        false => memchr::memrchr(b'\n', window).map_or(0, |i| i + 1),
    };
    if whole <= pos {
        return None;
    }
    let at = bounds::align(&window[..whole], pos, whole, format, ctx);
    (at < whole).then_some(lo + at as u64)
}

/// The format the local scanner reads a stream input with: what it finds reading up
/// to the first entry.
fn stream_format(input: &Input, index: usize, cfg: &ScanConfig<'_>) -> Result<Format> {
    struct First;
    impl Sink for First {
        type Part = ();
        fn part(&self) {}
        fn matched(&self, _: &mut (), _: &mut Hit, _: &Source) -> Result<bool> {
            Ok(false)
        }
    }
    let all = Query::all();
    let first = ScanConfig {
        query: &all,
        progress: None,
        entries: None,
        ..cfg.clone()
    };
    let report = scan::scan_input_report(input, index, &first, &First, &mut |_| Ok(false))
        .map_err(Error::from)?;
    Ok(report.format.unwrap_or(Format::Plain))
}

/// The found entries of one input, rendered by `sink` as the local scan renders them.
fn render<S: Sink<Part = Printed>>(
    found: &[Found<'_>],
    (input, index): (&Input, usize),
    read: &Read,
    places: &spill::Places,
    sink: &S,
) -> Result<Printed> {
    let source = Source {
        name: input.display_name(),
        index,
        format: read.format,
    };
    let mut part = sink.part();
    for f in found {
        let entry = Entry {
            raw: f.raw,
            offset: places.offset(f.offset),
            line: places.line(f.offset, f.line),
        };
        let mut rec = None;
        let mut hit = Hit::new(entry, f.terminator, &mut rec, read.format, &read.ctx);
        if !sink.matched(&mut part, &mut hit, &source)? {
            break;
        }
    }
    Ok(part)
}

/// Fails fast when nothing listens at `addr`.
fn reach(addr: &str) -> Result<()> {
    let what = format!("--engine df://{addr}");
    let sock = addr
        .to_socket_addrs()
        .map_err(|e| Error::new(&what, format!("not an address: {e}")))?
        .next()
        .ok_or_else(|| Error::new(&what, "not an address"))?;
    TcpStream::connect_timeout(&sock, CONNECT)
        .map(|_| ())
        .map_err(|e| Error::new(&what, format!("no scheduler there: {e}")))
}

/// The found rows of the scan `spec` on the cluster at `addr`. A query that failed
/// because an executor holding finished results could no longer be reached (it died
/// after its tasks, before the client fetched them; Ballista reruns only the tasks of
/// an executor it has found lost) is run once more, in full: nothing was printed yet,
/// and the scheduler now hands tasks only to executors that still ask for work.
pub(super) fn run(addr: &str, spec: ScanSpec) -> Result<Vec<RecordBatch>> {
    run_with(addr, spec, |frame| async move { frame.collect().await })
}

/// `run`, with `finish` making the answer of the query's frame (its rows, a count).
fn run_with<T, F, Fut>(addr: &str, spec: ScanSpec, finish: F) -> Result<T>
where
    F: Fn(DataFrame) -> Fut,
    Fut: std::future::Future<Output = datafusion::error::Result<T>>,
{
    reach(addr)?;
    let what = format!("--engine df://{addr}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&what, &e))?;
    let spec = Arc::new(spec);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let answer = runtime.block_on(async {
            let frame = frame(addr, spec.clone()).await?;
            finish(frame).await
        });
        match answer {
            Ok(batches) => return Ok(batches),
            Err(e) if attempt < 2 && unreachable_executor(&e.to_string()) => continue,
            Err(e) => return Err(Error::new(&what, job_reason(&one_line(&e)))),
        }
    }
}

/// A failed job's own reason, without the chain of wrappers Ballista's client puts
/// before it (`Arrow error: External error: Execution error: Job ID failed: REASON`).
fn job_reason(message: &str) -> String {
    if let Some(reason) = status_reason(message) {
        return reason;
    }
    let reason = message
        .find("Job ")
        .and_then(|at| message[at..].find(" failed: ").map(|end| at + end))
        .map_or(message, |end| &message[end + " failed: ".len()..]);
    reason.to_string()
}

/// A gRPC status that Ballista's client printed with `{:?}` (`Status { code: Unknown,
/// message: "transport error", source: Some(... error: "stream closed ...") }`) as
/// words: its message, and for a broken connection (the scheduler went away during
/// the query) what broke it.
fn status_reason(message: &str) -> Option<String> {
    let quoted = |at: usize| -> Option<&str> {
        let rest = &message[at..];
        rest.find('"').map(|end| &rest[..end])
    };
    let status = message.find("Status { code: ")?;
    let first = status + message[status..].find("message: \"")?;
    let said = quoted(first + "message: \"".len())?;
    if said != "transport error" && !said.contains("connect") {
        return Some(said.to_string());
    }
    // The innermost words: an io error's `message: "..."` or a source's `error: "..."`.
    let inner = |key: &str| {
        message
            .rfind(key)
            .filter(|&at| at > first)
            .and_then(|at| quoted(at + key.len()))
    };
    let cause = match inner("message: \"").or_else(|| inner("error: \"")) {
        Some(cause) if !cause.is_empty() => format!("{said}: {cause}"),
        _ => said.to_string(),
    };
    Some(format!(
        "the connection to the cluster broke during the query ({cause})"
    ))
}

/// Whether an error says an executor could not be reached.
fn unreachable_executor(message: &str) -> bool {
    message.contains("GrpcConnectionError") && message.contains("executor")
}

/// The query's frame on Ballista's client: the log table of `spec`'s splits.
async fn frame(addr: &str, spec: Arc<ScanSpec>) -> datafusion::error::Result<DataFrame> {
    let config = SessionConfig::new_with_ballista()
        .with_ballista_logical_extension_codec(codec::logical())
        .with_ballista_physical_extension_codec(codec::physical())
        .with_ballista_job_name("covet-logs");
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build()
        .upgrade_for_ballista(format!("http://{addr}"))?;
    let ctx = SessionContext::new_with_state(state);
    ctx.read_table(Arc::new(LogTable { spec }))
}

#[cfg(test)]
mod tests {
    use super::unreachable_executor;

    /// A cut of an object is the first entry start at or after its target, found in
    /// the window read around it; no cut when the window does not show one for sure.
    #[test]
    fn an_objects_cut_is_the_first_entry_start_the_window_shows() {
        use super::cut_in;
        use crate::format::{timestamp::TimeCtx, Format};
        let ctx = TimeCtx::utc_now_year();
        let text = b"2024-01-15 10:00:00.000 [ERROR] api src first\n  at a.b(C.java:1)\n  at c.d(E.java:2)\n2024-01-15 10:00:01.000 [INFO] api src second\n";
        let second = text.len() - 46;
        assert_eq!(&text[second..second + 4], b"2024");
        // A window from the object's start: targets in the first entry, or on the next.
        for target in [1, 30, 60, second as u64] {
            assert_eq!(
                cut_in(text, 0, target, true, Format::Covet, &ctx),
                Some(second as u64),
                "{target}"
            );
        }
        // Lines: any line start is an entry's.
        let first_end = text.iter().position(|&b| b == b'\n').unwrap() as u64;
        assert_eq!(
            cut_in(text, 0, 30, true, Format::Plain, &ctx),
            Some(first_end + 1)
        );
        // A window from byte 100 of the object: a target whose line starts in it.
        assert_eq!(
            cut_in(text, 100, 160, true, Format::Covet, &ctx),
            Some(100 + second as u64)
        );
        // ...but not one whose line may have started before the window.
        assert_eq!(cut_in(text, 100, 110, true, Format::Covet, &ctx), None);
        // Past the last entry start of a window that ends inside the object: its last
        // line may go on, so no cut.
        assert_eq!(
            cut_in(text, 0, second as u64 + 1, false, Format::Covet, &ctx),
            None
        );
    }

    #[test]
    fn a_failed_job_is_reported_by_its_reason() {
        assert_eq!(
            super::job_reason("Arrow error: External error: Execution error: Job odEss3E failed: every executor was lost"),
            "every executor was lost"
        );
        assert_eq!(
            super::job_reason("no scheduler there"),
            "no scheduler there"
        );
        assert_eq!(
            super::job_reason(
                r#"Arrow error: External error: Execution error: Status { code: Unknown, message: "transport error", source: Some(tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: BrokenPipe, error: "stream closed because of a broken pipe" }))) }"#
            ),
            "the connection to the cluster broke during the query (transport error: stream closed because of a broken pipe)"
        );
        assert_eq!(
            super::job_reason(
                r#"Execution error: Status { code: Unavailable, message: "tcp connect error", source: Some(tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", 127.0.0.1:36641, Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))) }"#
            ),
            "the connection to the cluster broke during the query (tcp connect error: Connection refused)"
        );
        assert_eq!(
            super::job_reason(
                r#"Execution error: Status { code: Unavailable, message: "no executor alive at the scheduler after 2s", source: None }"#
            ),
            "no executor alive at the scheduler after 2s"
        );
        assert_eq!(super::job_reason("Job x is fine"), "Job x is fine");
    }

    #[test]
    fn only_an_unreachable_executor_runs_a_query_again() {
        assert!(unreachable_executor(
            "Arrow error: External error: Execution error: GrpcConnectionError(\"Error connecting to Ballista scheduler or executor at http://127.0.0.1:35063: tcp connect error\")"
        ));
        assert!(!unreachable_executor(
            "Execution error: a.log: No such file or directory"
        ));
    }
}
