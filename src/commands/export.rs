//! `covet-logs export`: matching entries as JSON, NDJSON, CSV, text or raw, to stdout
//! or to a file written atomically.
//!
//! Entries stream in constant memory: one input is scanned in order; several inputs
//! are scanned side by side, each into a small bounded queue, and merged by timestamp
//! as they come. A CSV export without `--fields` first makes a cheap pass to find the
//! metadata columns. `-o FILE` writes a temporary file in FILE's directory and renames
//! it over FILE only when everything succeeded: an error or Ctrl-C leaves FILE as it was.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::report;
use crate::config::{stderr_is_terminal, FilterConfig, InputConfig};
use crate::error::{Error, Result, EXIT_ERROR, EXIT_MATCH, EXIT_NO_MATCH};
use crate::input::Input;
use crate::scan::{self, ScanConfig};
use crate::sink::export::{Column, Columns, Exporter, Render, STD_COLUMNS};
use crate::sink::out::Out;
use crate::sink::print::{Mode, Printed};
use crate::sink::Sink;

/// Exit code after Ctrl-C.
const EXIT_INTERRUPTED: i32 = 130;

/// Set by the Ctrl-C handler; every write checks it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Runs `export` and returns the exit code.
pub fn run(args: &ExportArgs) -> i32 {
    match export(args) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            if INTERRUPTED.load(Ordering::SeqCst) {
                EXIT_INTERRUPTED
            } else {
                EXIT_ERROR
            }
        }
    }
}

fn export(args: &ExportArgs) -> Result<i32> {
    if !args.fields.is_empty() && matches!(args.format, ExportFormat::Txt | ExportFormat::Raw) {
        return Err(Error::new(
            "--fields",
            "only with --format csv, json or ndjson",
        ));
    }
    if args.fields.iter().any(|f| f.trim().is_empty()) {
        return Err(Error::new("--fields", "empty field name"));
    }
    let filter = FilterConfig::new(&args.filter, None)?;
    let input_cfg = InputConfig::new(&args.input_args());
    let (inputs, mut failed) = super::resolve_inputs(&args.paths)?;
    input_cfg.init_threads();
    // Open the destination first: a missing directory fails before any scan.
    let mut dest = Dest::open(args.output.as_deref())?;
    if args.output.is_some() {
        // Without a handler Ctrl-C would kill us before the temporary file is removed.
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    }
    let bytes = AtomicU64::new(0);
    let cfg = super::scan_config(
        &filter,
        &input_cfg,
        args.format != ExportFormat::Raw,
        Some(&bytes),
    );
    let discover = args.format == ExportFormat::Csv && args.fields.is_empty();
    let total = super::total_size(&inputs) * if discover { 2 } else { 1 };
    let bar = (args.output.is_some() && !args.no_progress && stderr_is_terminal())
        .then(|| progress_bar(total));
    let sink = Exporter {
        render: render_for(args, &inputs, &cfg, discover, &mut failed)?,
    };
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(interrupted());
    }
    if let Render::Csv(cols) = &sink.render {
        let header: Vec<String> = if args.fields.is_empty() {
            cols.iter().map(column_name).collect()
        } else {
            args.fields.iter().map(|f| f.trim().to_string()).collect()
        };
        let mut line = Vec::new();
        {
            let mut w = csv::Writer::from_writer(&mut line);
            w.write_record(&header)
                .map_err(|e| Error::new("csv", e.to_string()))?;
            w.flush().map_err(|e| Error::io("csv", &e))?;
        }
        dest.write(&line)?;
    }
    let json_array = args.format == ExportFormat::Json;
    if json_array {
        dest.write(b"[\n")?;
    }
    let mut written = 0u64;
    let mut write_err: Option<Error> = None;
    let mut write = |item: &[u8]| -> bool {
        if INTERRUPTED.load(Ordering::Relaxed) {
            return false;
        }
        let res = if json_array {
            let body = item.strip_suffix(b"\n").unwrap_or(item);
            let sep: &[u8] = if written == 0 { b"" } else { b",\n" };
            dest.write(sep)
                .and_then(|open| Ok(open && dest.write(body)?))
        } else {
            dest.write(item)
        };
        match res {
            Ok(true) => {}
            Ok(false) => return false,
            Err(e) => {
                write_err = Some(e);
                return false;
            }
        }
        written += 1;
        if let Some(bar) = &bar {
            if written.is_multiple_of(1024) {
                bar.set_position(bytes.load(Ordering::Relaxed));
                bar.set_message(format!("{written} entries"));
            }
        }
        true
    };
    stream(&inputs, &cfg, &sink, &mut failed, &mut write);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Some(e) = write_err {
        return Err(e);
    }
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(interrupted());
    }
    if json_array {
        dest.write(if written == 0 { b"]\n" } else { b"\n]\n" })?;
    }
    if failed {
        if let Some(path) = &args.output {
            return Err(Error::new(
                path.display().to_string(),
                "not written, because an input failed",
            ));
        }
    }
    dest.commit()?;
    Ok(if failed {
        EXIT_ERROR
    } else if written > 0 {
        EXIT_MATCH
    } else {
        EXIT_NO_MATCH
    })
}

fn interrupted() -> Error {
    Error::new("export", "interrupted; no output file was written")
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} scanned, {msg}, {binary_bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar.set_message("0 entries");
    bar
}

/// The name of a default CSV column.
fn column_name(c: &Column) -> String {
    match c {
        Column::Id => "id".into(),
        Column::Std(f) => f.json_name().into(),
        Column::Tags => "tags".into(),
        Column::File => "file".into(),
        Column::Line => "line".into(),
        Column::Offset => "offset".into(),
        Column::Meta(path) => format!("metadata.{}", path.join(".")),
    }
}

/// How entries are rendered; for a CSV without `--fields`, the discovery pass.
fn render_for(
    args: &ExportArgs,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    discover: bool,
    failed: &mut bool,
) -> Result<Render> {
    let picked = || -> Vec<(String, Column)> {
        args.fields
            .iter()
            .map(|f| (f.trim().to_string(), Column::parse(f.trim())))
            .collect()
    };
    Ok(match args.format {
        ExportFormat::Json | ExportFormat::Ndjson if args.fields.is_empty() => {
            Render::Print(Exporter::printer(Mode::Json))
        }
        ExportFormat::Json | ExportFormat::Ndjson => Render::JsonFields(picked()),
        ExportFormat::Txt => Render::Print(Exporter::printer(Mode::Pretty)),
        ExportFormat::Raw => Render::Print(Exporter::printer(Mode::Raw)),
        ExportFormat::Csv if !discover => {
            Render::Csv(picked().into_iter().map(|(_, c)| c).collect())
        }
        ExportFormat::Csv => {
            let mut paths = BTreeSet::new();
            for (i, input) in inputs.iter().enumerate() {
                let mut emit = |part: BTreeSet<String>| {
                    paths.extend(part);
                    !INTERRUPTED.load(Ordering::Relaxed)
                };
                if let Err(e) = scan::scan_input(input, i, cfg, &Columns, &mut emit) {
                    report(&e);
                    *failed = true;
                }
            }
            let mut cols: Vec<Column> = STD_COLUMNS.iter().map(|n| Column::parse(n)).collect();
            cols.extend(paths.iter().map(|p| Column::parse(p)));
            Render::Csv(cols)
        }
    })
}

/// Scans every input and hands each rendered entry to `write` in time order (one
/// input: its own order); stops when `write` returns false. Memory stays at a few
/// parts per input (`search` over several inputs merges through it too).
pub(crate) fn stream<S: Sink<Part = Printed>>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    failed: &mut bool,
    write: &mut dyn FnMut(&[u8]) -> bool,
) {
    if inputs.len() == 1 {
        let mut emit = |part: Printed| {
            for i in 0..part.items.len() {
                if !write(part.item(i)) {
                    return false;
                }
            }
            true
        };
        if let Err(e) = scan::scan_input(&inputs[0], 0, cfg, sink, &mut emit) {
            report(&e);
            *failed = true;
        }
        return;
    }
    std::thread::scope(|scope| {
        let mut streams = Vec::with_capacity(inputs.len());
        let mut handles = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            // A short queue per input bounds memory to a few parts per input.
            let (tx, rx) = mpsc::sync_channel::<Printed>(2);
            handles.push(scope.spawn(move || {
                let mut emit = |part: Printed| tx.send(part).is_ok();
                scan::scan_input(input, i, cfg, sink, &mut emit)
            }));
            streams.push(Stream {
                rx,
                part: Printed::default(),
                next: 0,
                last_ts: i64::MIN,
            });
        }
        let mut heap = BinaryHeap::new();
        for (s, stream) in streams.iter_mut().enumerate() {
            if let Some(ts) = stream.peek_ts() {
                heap.push(Reverse((ts, s)));
            }
        }
        while let Some(Reverse((_, s))) = heap.pop() {
            let stream = &mut streams[s];
            if !write(stream.part.item(stream.next)) {
                break;
            }
            stream.next += 1;
            if let Some(ts) = stream.peek_ts() {
                heap.push(Reverse((ts, s)));
            }
        }
        // Dropping the receivers stops scanners that are still sending.
        drop(streams);
        for h in handles {
            match h.join() {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    report(&e);
                    *failed = true;
                }
                Err(_) => {
                    report(&Error::new("export", "a scanner thread failed"));
                    *failed = true;
                }
            }
        }
    });
}

/// One input's queue of rendered parts, with the next item to merge.
struct Stream {
    rx: mpsc::Receiver<Printed>,
    part: Printed,
    next: usize,
    /// Entries without a timestamp sort with the entry before them.
    last_ts: i64,
}

impl Stream {
    /// The merge key of the next item, receiving parts as needed; None at the end.
    fn peek_ts(&mut self) -> Option<i64> {
        while self.next >= self.part.items.len() {
            self.part = self.rx.recv().ok()?;
            self.next = 0;
        }
        if let Some(ts) = self.part.items[self.next].ts {
            self.last_ts = ts;
        }
        Some(self.last_ts)
    }
}

/// Where the export goes: stdout, or a temporary file renamed over the target at the end.
enum Dest {
    Stdout(Out),
    File {
        w: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
}

impl Dest {
    fn open(path: Option<&Path>) -> Result<Dest> {
        let Some(path) = path else {
            return Ok(Dest::Stdout(Out::new()));
        };
        let what = path.display().to_string();
        if path.is_dir() {
            return Err(Error::new(what, "is a directory"));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".covet-logs-export-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(what.clone(), &e))?;
        // A replaced file keeps its permissions; a new one gets the usual 0644.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let perms = std::fs::metadata(path)
                .map(|m| m.permissions())
                .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
            let _ = tmp.as_file().set_permissions(perms);
        }
        Ok(Dest::File {
            w: BufWriter::with_capacity(1 << 16, tmp),
            path: path.to_path_buf(),
        })
    }

    /// Writes; `Ok(false)` once stdout is closed (`| head`), which ends the export
    /// quietly (other stdout errors surface at commit).
    fn write(&mut self, bytes: &[u8]) -> Result<bool> {
        match self {
            Dest::Stdout(out) => Ok(out.write(bytes)),
            Dest::File { w, path } => w
                .write_all(bytes)
                .map(|()| true)
                .map_err(|e| Error::io(path.display().to_string(), &e)),
        }
    }

    /// Flushes stdout, or syncs the temporary file and renames it over the target.
    fn commit(self) -> Result<()> {
        match self {
            Dest::Stdout(out) => out.finish(),
            Dest::File { w, path } => {
                let what = path.display().to_string();
                let tmp = w
                    .into_inner()
                    .map_err(|e| Error::io(what.clone(), e.error()))?;
                tmp.as_file()
                    .sync_all()
                    .map_err(|e| Error::io(what.clone(), &e))?;
                tmp.persist(&path).map_err(|e| Error::io(what, &e.error))?;
                Ok(())
            }
        }
    }
}
