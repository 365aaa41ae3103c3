//! Log files as a DataFusion table that a Ballista cluster runs: `LogTable` (the
//! table provider the client's logical plan names) plans a `LogScanExec` with one
//! partition per `Split`, and each partition, on whichever executor runs it, reads
//! its split with covet-logs' own detection and parsers, decides every candidate
//! entry with the translated query (DataFusion, as `--engine datafusion` does), and
//! yields the entries that match as rows of [`found_schema`].
//!
//! Both carry a `ScanSpec`: the filter as a `FilterSpec` (compiled again where the
//! partition runs, so the executor decides with the query the client parsed), the
//! reading options and the splits. `codec` serializes them for Ballista.
//!
//! A split is a byte range of a plain file or of an uncompressed object, cut at entry
//! boundaries by the client (`format::bounds`, as the local scanner cuts chunks), a run
//! of a Parquet file's row groups, or a whole input read as covet-logs reads it
//! (a compressed file or object: one partition). A split that cannot know the
//! lines before it (an object's range, row groups) numbers its lines from 1 and, when
//! asked, ends with a size row (its bytes and lines) that the client places it by. A
//! found row
//! holds its input's number and the entry: offset, line, line terminator, raw text
//! (see `entry_bytes`), which is all the client needs to render it with the command's
//! own sink.

use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{BinaryBuilder, RecordBatch, UInt32Array};
use datafusion::arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef};
use datafusion::catalog::Session;
use datafusion::common::{DataFusionError, Result as DfResult};
use datafusion::datasource::{TableProvider, TableType};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::EquivalenceProperties;
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
};
use serde::{Deserialize, Serialize};

use crate::cluster::partial;
use crate::cluster::rows::{Formats, Rows};
use crate::cluster::run::Plan;
use crate::config::{query_error, FilterConfig, FilterSpec};
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::format::{self, bounds, timestamp::TimeCtx, Format};
use crate::input::{self, Input, Opened};
use crate::scan::{self, region, ScanConfig};
use crate::sink::print::{Item, Printed};
use crate::sink::{Hit, Sink, Source};
use crate::stats::agg::{Agg, SinkSpec};

/// One partition of a scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// The input's position among the command's inputs.
    pub input: u32,
    /// The input's absolute path, as the executors see it (a shared filesystem).
    pub path: String,
    /// Bytes `start..end` of a plain file or an uncompressed object, entry-aligned;
    /// `None`: the whole input.
    pub range: Option<(u64, u64)>,
    /// Row groups `a..b` of a Parquet file (`None`: all of them). Its entries' offsets
    /// come back tagged with `a` (`tagged`), since where the rendered rows of group
    /// `a` start is known only once every split before it is rendered; with
    /// `ScanSpec::sizes`, the split ends with a size row saying its rendered length.
    #[serde(default)]
    pub groups: Option<(u32, u32)>,
    /// The input's name as the command shows it (a stats template's example).
    #[serde(default)]
    pub name: String,
    /// The input's format as the client resolved it, by name (from the file's first
    /// bytes, as the local scanner does, or forced): a split in the middle of a file is
    /// read as the whole file is, and a forced wrapper (a setting of the client's
    /// process) reaches the executors. `None`: detected on the split.
    #[serde(default)]
    pub format: Option<String>,
}

impl Split {
    /// How the client places this split's entries, for a split that does not know what
    /// comes before it: by its first row group's tag on the offsets (row groups), or by
    /// its start offset (an object's byte range, whose offsets are the object's but
    /// whose lines count from its start). `None`: offsets and lines are the input's.
    pub fn placed(&self) -> Option<Placed> {
        match (self.groups, self.range) {
            (Some((first, _)), _) => Some(Placed::Tagged(first)),
            (None, Some((start, _))) if input::object::is_object_url(Path::new(&self.path)) => {
                Some(Placed::From(start))
            }
            _ => None,
        }
    }
}

/// How a split is placed in its input by the client (`Split::placed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// Offsets tagged with this first row group (`tagged`), lines from 1.
    Tagged(u32),
    /// Offsets the input's, lines from 1 at this offset.
    From(u64),
}

/// What every partition of a scan needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanSpec {
    pub filter: FilterSpec,
    /// `--format`, by name (`None`: detected per input, as locally).
    pub format: Option<String>,
    /// Entries need their line numbers (the printer shows them).
    pub need_lines: bool,
    /// `--max-entry-size`.
    pub max_entry: usize,
    /// The local scanner's chunk size: a split is read chunk by chunk.
    pub chunk_size: usize,
    pub splits: Vec<Split>,
    /// `stats`: each partition folds what it selects into this sink's aggregate and
    /// yields it as one row of [`partial::schema`]; `None`: the found entries, as rows
    /// of [`found_schema`].
    #[serde(default)]
    pub stats: Option<SinkSpec>,
    /// Each split that is placed by the client (`Split::placed`) ends with a size row
    /// (`size_row`): the client places the entries it printed (a count needs none).
    #[serde(default)]
    pub sizes: bool,
}

impl ScanSpec {
    /// The rows the scan yields.
    pub fn schema(&self) -> SchemaRef {
        match self.stats {
            Some(_) => partial::schema(),
            None => found_schema(),
        }
    }
}

/// The rows a scan yields: the input's number and the entry (`entry_bytes`).
pub fn found_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        ArrowField::new("input", DataType::UInt32, false),
        ArrowField::new("entry", DataType::Binary, false),
    ]))
}

/// A found entry, decoded.
pub struct Found<'a> {
    pub offset: u64,
    pub line: u64,
    pub terminator: &'a [u8],
    pub raw: &'a [u8],
}

/// An entry as a found row carries it: offset and line (little-endian `u64`), the
/// terminator's length (one byte) and bytes, then the raw text.
fn entry_bytes(buf: &mut Vec<u8>, hit: &Hit) {
    buf.extend_from_slice(&hit.entry.offset.to_le_bytes());
    buf.extend_from_slice(&hit.entry.line.to_le_bytes());
    buf.push(hit.terminator.len() as u8);
    buf.extend_from_slice(hit.terminator);
    buf.extend_from_slice(hit.entry.raw);
}

/// Reads what `entry_bytes` wrote; `None` if it is not of that form.
pub fn decode_entry(bytes: &[u8]) -> Option<Found<'_>> {
    let offset = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
    let line = u64::from_le_bytes(bytes.get(8..16)?.try_into().ok()?);
    let term_len = *bytes.get(16)? as usize;
    let terminator = bytes.get(17..17 + term_len)?;
    let raw = bytes.get(17 + term_len..)?;
    Some(Found {
        offset,
        line,
        terminator,
        raw,
    })
}

/// The sink a partition renders with: each entry as `entry_bytes`.
struct Carry;

impl Sink for Carry {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, _: &Source) -> Result<bool> {
        entry_bytes(&mut part.buf, hit);
        part.items.push(Item {
            end: part.buf.len(),
            ts: None,
        });
        Ok(true)
    }
}

/// The format forced by `--format NAME`, by its name, read as the command line reads
/// it (`docker/logback`, a user format of this host's configuration).
pub fn format_by_name(name: &str) -> Option<Format> {
    format::parse_format_name(name).flatten()
}

/// `ctx` dated by a file's modification time, as the local scanner dates it.
pub fn dated(ctx: TimeCtx, path: &Path) -> TimeCtx {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    match modified {
        Some(d) => ctx.dated(d.as_nanos().min(i64::MAX as u128) as i64),
        None => ctx,
    }
}

/// The table a client's query reads.
#[derive(Debug)]
pub struct LogTable {
    pub spec: Arc<ScanSpec>,
}

#[async_trait]
impl TableProvider for LogTable {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn schema(&self) -> SchemaRef {
        self.spec.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        Ok(Arc::new(LogScanExec::new(
            self.spec.clone(),
            projection.cloned(),
        )))
    }
}

/// The scan: one partition per split.
#[derive(Debug)]
pub struct LogScanExec {
    pub spec: Arc<ScanSpec>,
    pub projection: Option<Vec<usize>>,
    props: PlanProperties,
}

impl LogScanExec {
    pub fn new(spec: Arc<ScanSpec>, projection: Option<Vec<usize>>) -> LogScanExec {
        let schema = match &projection {
            Some(p) => Arc::new(spec.schema().project(p).expect("columns of the schema")),
            None => spec.schema(),
        };
        let props = PlanProperties::new(
            EquivalenceProperties::new(schema),
            Partitioning::UnknownPartitioning(spec.splits.len().max(1)),
            EmissionType::Final,
            Boundedness::Bounded,
        );
        LogScanExec {
            spec,
            projection,
            props,
        }
    }
}

impl DisplayAs for LogScanExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "LogScanExec: splits={}", self.spec.splits.len())
    }
}

impl ExecutionPlan for LogScanExec {
    fn name(&self) -> &str {
        "LogScanExec"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn properties(&self) -> &PlanProperties {
        &self.props
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        _context: Arc<TaskContext>,
    ) -> DfResult<SendableRecordBatchStream> {
        let spec = self.spec.clone();
        let projection = self.projection.clone();
        // The scan is blocking work (a mapped file, the parsers, a DataFusion filter on
        // its own runtime): it runs on a thread of its own, outside tokio's.
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let rows = match &spec.stats {
                Some(sink) => partial_row(&spec, sink, partition),
                None => found_rows(&spec, partition),
            };
            let found = rows.and_then(|b| project(b, &projection));
            let _ = tx.send(found);
        });
        let schema = self.props.eq_properties.schema().clone();
        let batches = futures_util::stream::once(async move {
            rx.await
                .map_err(|_| DataFusionError::Execution("a scan thread failed".into()))
                .and_then(|found| found.map_err(|e| DataFusionError::Execution(e.to_string())))
        });
        let flat = futures_util::StreamExt::flat_map(batches, |r| {
            futures_util::stream::iter(match r {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            })
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, flat)))
    }
}

fn project(batches: Vec<RecordBatch>, projection: &Option<Vec<usize>>) -> Result<Vec<RecordBatch>> {
    match projection {
        None => Ok(batches),
        Some(p) => batches
            .iter()
            .map(|b| b.project(p))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::new("cluster scan", e.to_string())),
    }
}

/// The matching entries of one partition, as found rows (then its size row, when
/// asked and the split is of row groups).
fn found_rows(spec: &ScanSpec, partition: usize) -> Result<Vec<RecordBatch>> {
    let split = split_of(spec, partition)?;
    let mut found = FoundRows::new(split.input);
    let input = Input::File(PathBuf::from(&split.path));
    let read = select_split(spec, split, &input, &mut |entry, _, _| found.push(entry))?;
    if let (true, Some(placed)) = (spec.sizes, split.placed()) {
        found.push(&size_row(placed, read))?;
    }
    found.finish()
}

/// The bit where a tagged offset's tag starts: a split of row groups renders less than
/// 1 TiB.
const TAG_SHIFT: u32 = 40;

/// The offset of an entry of a split of row groups starting at group `tag`: the tag in
/// the high bits, the offset within the split's rendered rows below.
pub(super) fn tagged(tag: u32, offset: u64) -> u64 {
    (u64::from(tag) << TAG_SHIFT) | (offset & ((1 << TAG_SHIFT) - 1))
}

/// A tagged offset's tag and offset within its split.
pub fn untag(offset: u64) -> (u64, u64) {
    (offset >> TAG_SHIFT, offset & ((1 << TAG_SHIFT) - 1))
}

/// The offset of a size row (no entry has it).
const SIZE_ROW: u64 = u64::MAX;

/// What a split read: bytes (rendered, for Parquet) and lines (newlines).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    pub bytes: u64,
    pub lines: u64,
}

/// A size row, as the client reads it back: which split (`Split::placed`) read what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRow {
    pub placed: Placed,
    pub read: Extent,
}

/// The size row of a split placed by the client: where it is (`placed`) and what it
/// read. Its `line` field holds the tag or start, its text bytes, lines and kind.
pub(super) fn size_row(placed: Placed, read: Extent) -> Vec<u8> {
    let (key, kind) = match placed {
        Placed::Tagged(tag) => (u64::from(tag), 0u8),
        Placed::From(start) => (start, 1u8),
    };
    let mut b = SIZE_ROW.to_le_bytes().to_vec();
    b.extend_from_slice(&key.to_le_bytes());
    b.push(0);
    b.extend_from_slice(&read.bytes.to_le_bytes());
    b.extend_from_slice(&read.lines.to_le_bytes());
    b.push(kind);
    b
}

/// A size row's split and what it read; `None` for an entry.
pub fn size_of_row(found: &Found<'_>) -> Option<SizeRow> {
    if found.offset != SIZE_ROW || found.raw.len() != 17 {
        return None;
    }
    let bytes = u64::from_le_bytes(found.raw[..8].try_into().ok()?);
    let lines = u64::from_le_bytes(found.raw[8..16].try_into().ok()?);
    let placed = match found.raw[16] {
        0 => Placed::Tagged(u32::try_from(found.line).ok()?),
        _ => Placed::From(found.line),
    };
    Some(SizeRow {
        placed,
        read: Extent { bytes, lines },
    })
}

/// `stats`: the partial aggregate of one partition, as one row.
fn partial_row(spec: &ScanSpec, sink: &SinkSpec, partition: usize) -> Result<Vec<RecordBatch>> {
    let split = split_of(spec, partition)?;
    let input = Input::File(PathBuf::from(&split.path));
    let agg = fold_split(spec, sink, split, &input)?;
    Ok(vec![partial::row(partition as u32, &agg)?])
}

/// `stats`: what the query selects in `split` of `input`, folded by the sink `sink`
/// describes into one partial aggregate, as the local scan folds a run of chunks.
pub fn fold_split(spec: &ScanSpec, sink: &SinkSpec, split: &Split, input: &Input) -> Result<Agg> {
    let filter = FilterConfig::from_spec(&spec.filter)?;
    let sink = sink
        .sink(filter.ctx, filter.now_ns)
        .map_err(|(q, e)| query_error("--alert", &q, &e))?;
    let mut agg = Agg::new(&sink);
    let mut source = Source {
        name: split.name.clone(),
        index: split.input as usize,
        format: Format::Plain,
    };
    let _size = select_split(spec, split, input, &mut |bytes, format, ctx| {
        let bad = || Error::new("cluster scan", "an entry of another form");
        let found = decode_entry(bytes).ok_or_else(bad)?;
        source.format = format;
        let entry = Entry {
            raw: found.raw,
            offset: found.offset,
            line: found.line,
        };
        let mut rec = None;
        let mut hit = Hit::new(entry, found.terminator, &mut rec, format, ctx);
        sink.matched(&mut agg, &mut hit, &source)?;
        Ok(())
    })?;
    Ok(agg)
}

/// Split `partition` of `spec`.
pub fn split_of(spec: &ScanSpec, partition: usize) -> Result<&Split> {
    spec.splits
        .get(partition)
        .ok_or_else(|| Error::new("cluster scan", format!("no partition {partition}")))
}

/// What a split's selected entries are handed to: the entry (`entry_bytes`), its
/// format, and the time context it was read with.
pub type Take<'t> = dyn FnMut(&[u8], Format, &TimeCtx) -> Result<()> + 't;

/// Reads `split` of `input` with covet-logs' detection and parsers, decides every
/// candidate entry with the translated query (DataFusion), and hands each entry it
/// selects to `take`, in input order; returns what the split read (rendered, for
/// Parquet).
pub fn select_split(
    spec: &ScanSpec,
    split: &Split,
    input: &Input,
    take: &mut Take<'_>,
) -> Result<Extent> {
    let filter = FilterConfig::from_spec(&spec.filter)?;
    let formats = Formats::default();
    let plan = Plan::new(&filter, &formats)?;
    let candidates = filter.query.candidates();
    let forced = match split.format.as_ref().or(spec.format.as_ref()) {
        Some(name) => Some(format_by_name(name).ok_or_else(|| {
            Error::new("--format", format!("{name}: not known on this executor"))
        })?),
        None => None,
    };
    let ctx = match input {
        Input::File(path) => dated(filter.ctx, path),
        _ => filter.ctx,
    };
    let cfg = ScanConfig {
        query: &candidates,
        ctx,
        format: forced,
        threads: 1,
        chunk_size: spec.chunk_size.max(1),
        need_lines: spec.need_lines,
        window: filter.window,
        no_mmap: false,
        progress: None,
        entries: None,
        debug: false,
        max_entry: spec.max_entry,
        plan: None,
        levels: None,
        ends: None,
    };
    let rows = Rows {
        inner: &Carry,
        formats: formats.clone(),
    };
    // A split of row groups: its entries' offsets tagged with its first group; an
    // object's range: its offsets moved to where it starts (lines count from 1 in
    // both, the client places them).
    let placed = split.placed();
    let stream = match (placed, split.groups, split.range) {
        (_, Some((first, end)), _) => Some(row_group_lines(input, first..end)?),
        (Some(Placed::From(start)), _, Some((_, end))) => Some(object_range(input, start..end)?),
        _ => None,
    };
    let mut retagged: Box<Take<'_>>;
    let take: &mut Take<'_> = match placed {
        Some(placed) => {
            retagged = Box::new(move |bytes: &[u8], format: Format, ctx: &TimeCtx| {
                take(&retag(bytes, placed), format, ctx)
            });
            &mut *retagged
        }
        None => take,
    };
    let mut gather = Gather {
        plan: &plan,
        formats,
        ctx,
        batch: crate::cluster::rows::Batch::new(),
        next: 0,
        take,
    };
    let read = match (stream, split.range) {
        (None, Some((start, end))) => {
            scan_range(
                input,
                (start as usize, end as usize),
                split.input,
                &cfg,
                &rows,
                &mut gather,
            )?;
            Extent {
                bytes: end - start,
                lines: 0,
            }
        }
        (stream, _) => {
            let mut emit = |part: Printed| {
                for i in 0..part.items.len() {
                    gather.push(part.item(i))?;
                }
                Ok(true)
            };
            let index = split.input as usize;
            let name = input.display_name();
            match stream {
                Some(stream) => {
                    let lines = Arc::new(AtomicU64::new(0));
                    let counted = Box::new(Counted {
                        inner: stream,
                        lines: lines.clone(),
                    });
                    let report = scan::scan_stream(counted, &name, index, &cfg, &rows, &mut emit);
                    Extent {
                        bytes: report.map_err(Error::from)?.bytes,
                        lines: lines.load(Ordering::Relaxed),
                    }
                }
                None => Extent {
                    bytes: scan::scan_input(input, index, &cfg, &rows, &mut emit)
                        .map_err(Error::from)?
                        .bytes,
                    lines: 0,
                },
            }
        }
    };
    gather.decide()?;
    Ok(read)
}

/// A stream that counts the newlines read through it (a split's lines, for its size
/// row).
struct Counted {
    inner: Box<dyn std::io::Read + Send>,
    lines: Arc<AtomicU64>,
}

impl std::io::Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let lines = memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        self.lines.fetch_add(lines, Ordering::Relaxed);
        Ok(n)
    }
}

/// Bytes `range` of the object `input` (entry-aligned, uncompressed), as a stream.
fn object_range(
    input: &Input,
    range: std::ops::Range<u64>,
) -> Result<Box<dyn std::io::Read + Send>> {
    let Input::File(path) = input else {
        return Err(Error::new(input.display_name(), "a range of a stream"));
    };
    input::object::open_range(&path.display().to_string(), range)
}

/// Row groups `groups` of the Parquet file `input`, as JSON lines.
fn row_group_lines(
    input: &Input,
    groups: std::ops::Range<u32>,
) -> Result<Box<dyn std::io::Read + Send>> {
    let name = input.display_name();
    let Input::File(path) = input else {
        return Err(Error::new(
            name,
            "row groups of a file that is not a Parquet file",
        ));
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(&name, &e))?;
    format::parquet::lines_of(file, Some(groups.start as usize..groups.end as usize))
        .map(|(lines, _)| lines)
        .map_err(|e| Error::new(name, format!("not a readable Parquet file: {e}")))
}

/// An entry (`entry_bytes`) of a split the client places: its offset tagged with the
/// split's first row group, or moved to where the object's range starts.
fn retag(bytes: &[u8], placed: Placed) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Some(found) = decode_entry(bytes) {
        let offset = match placed {
            Placed::Tagged(tag) => tagged(tag, found.offset),
            Placed::From(start) => start + found.offset,
        };
        out[..8].copy_from_slice(&offset.to_le_bytes());
    }
    out
}

/// Scans bytes `start..end` (entry-aligned) of a plain file, chunk by chunk.
fn scan_range(
    input: &Input,
    (start, end): (usize, usize),
    index: u32,
    cfg: &ScanConfig<'_>,
    rows: &Rows<'_, Carry>,
    gather: &mut Gather<'_, '_>,
) -> Result<()> {
    let name = input.display_name();
    let map = match input::open(input, false)? {
        Opened::Mapped(map) => map,
        Opened::Stream(_) => return Err(Error::new(name, "is no longer a plain file")),
    };
    let bytes = map.bytes();
    if end > bytes.len() || start > end {
        return Err(Error::new(
            name,
            "changed since the query was planned (it is shorter)",
        ));
    }
    let format = cfg
        .format
        .unwrap_or_else(|| format::detect(bytes, &cfg.ctx));
    let source = Source {
        name,
        index: index as usize,
        format,
    };
    let mut line = if cfg.need_lines {
        1 + memchr::memchr_iter(b'\n', &bytes[..start]).count() as u64
    } else {
        0
    };
    let chunks = bounds::split_bounded(
        bytes,
        start,
        end,
        cfg.chunk_size,
        usize::MAX,
        format,
        &cfg.ctx,
    )
    .unwrap_or_default();
    for (s, e) in chunks {
        let mut part = rows.part();
        region::scan_region(&bytes[s..e], s as u64, line, &source, cfg, rows, &mut part)?;
        for i in 0..part.items.len() {
            gather.push(part.item(i))?;
        }
        if cfg.need_lines {
            line += memchr::memchr_iter(b'\n', &bytes[s..e]).count() as u64;
        }
    }
    Ok(())
}

/// Candidate rows gathered into batches, each decided by the plan as it fills; the
/// entries it selects handed to `take`.
struct Gather<'p, 't> {
    plan: &'p Plan,
    formats: Formats,
    ctx: TimeCtx,
    batch: crate::cluster::rows::Batch,
    next: u64,
    take: &'p mut Take<'t>,
}

impl Gather<'_, '_> {
    fn push(&mut self, item: &[u8]) -> Result<()> {
        self.batch.push(self.next, item);
        self.next += 1;
        if self.batch.len() >= crate::cluster::run::BATCH {
            self.decide()?;
        }
        Ok(())
    }

    fn decide(&mut self) -> Result<()> {
        let Gather {
            plan,
            formats,
            ctx,
            batch,
            take,
            ..
        } = self;
        plan.select(batch, &mut |entry, code| {
            let format = formats
                .get(code)
                .ok_or_else(|| Error::new("cluster scan", format!("no format numbered {code}")))?;
            take(entry, format, ctx)?;
            Ok(true)
        })?;
        Ok(())
    }
}

/// Found rows being gathered, a record batch per `BATCH` of them.
struct FoundRows {
    input: u32,
    entries: BinaryBuilder,
    len: usize,
    found: Vec<RecordBatch>,
}

impl FoundRows {
    fn new(input: u32) -> FoundRows {
        FoundRows {
            input,
            entries: BinaryBuilder::new(),
            len: 0,
            found: Vec::new(),
        }
    }

    fn push(&mut self, entry: &[u8]) -> Result<()> {
        self.entries.append_value(entry);
        self.len += 1;
        if self.len >= crate::cluster::run::BATCH {
            self.cut()?;
        }
        Ok(())
    }

    /// The rows so far as a record batch.
    fn cut(&mut self) -> Result<()> {
        if self.len == 0 {
            return Ok(());
        }
        let inputs = UInt32Array::from(vec![self.input; self.len]);
        self.len = 0;
        let batch = RecordBatch::try_new(
            found_schema(),
            vec![Arc::new(inputs), Arc::new(self.entries.finish())],
        )
        .map_err(|e| Error::new("cluster scan", e.to_string()))?;
        self.found.push(batch);
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<RecordBatch>> {
        self.cut()?;
        Ok(self.found)
    }
}

/// The found rows of `batches`, per input (`inputs` of them), each input's in offset
/// order, all in memory: what the client did before `spill`, kept as its tests' oracle.
#[cfg(test)]
pub fn found_per_input(batches: &[RecordBatch], inputs: usize) -> Result<Vec<Vec<Found<'_>>>> {
    use datafusion::arrow::array::AsArray;
    let mut per: Vec<Vec<Found<'_>>> = (0..inputs).map(|_| Vec::new()).collect();
    for b in batches {
        let ins = b
            .column(0)
            .as_primitive::<datafusion::arrow::datatypes::UInt32Type>();
        let entries = b.column(1).as_binary::<i32>();
        for i in 0..b.num_rows() {
            let bad = || Error::new("--engine", "the cluster sent a row of another form");
            let lane = per.get_mut(ins.value(i) as usize).ok_or_else(bad)?;
            lane.push(decode_entry(entries.value(i)).ok_or_else(bad)?);
        }
    }
    for lane in &mut per {
        lane.sort_by_key(|f| f.offset);
    }
    Ok(per)
}
