//! `covet-logs export`: matching entries as JSON, NDJSON, CSV, text or raw, to stdout
//! or to a file written atomically.
//!
//! Entries stream in constant memory: one input is scanned in order; several inputs
//! are scanned side by side, each into a small bounded queue, and merged by timestamp
//! as they come. A CSV export without `--fields` first makes a cheap pass to find the
//! metadata columns. `-o FILE` goes through `outfile`: a regular (or new) FILE is
//! written to a temporary file beside it, renamed over it only when everything
//! succeeded (an error, SIGINT, SIGTERM or SIGHUP removes the temporary file and leaves
//! FILE as it was); a symlink is written through; a FIFO or device is written in place.
//! `export_into` renders into any `Dest`: the command's stdout or file, or the server's
//! streamed response body (`/api/v1/logs/export`).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{ExportArgs, ExportFormat};
use crate::cluster::Engine;
use crate::commands::report;
use crate::config::{stderr_is_terminal, FilterConfig, InputConfig};
use crate::engine::{self, merge, Outcome};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::outfile::{self, OutDir, OutFile};
use crate::scan::{self, ScanConfig};
use crate::sink::export::{
    Column, Columns, Exporter, PathCounts, Render, MAX_COLUMNS, STD_COLUMNS,
};
use crate::sink::out::Out;
use crate::sink::print::Mode;

/// Runs `export`.
pub fn run(args: &ExportArgs) -> Result<Outcome> {
    let mut args = args.clone();
    let debug = args.read.debug;
    super::fold_positionals(&mut args.pos, &mut args.filter, debug);
    let args = &args;
    check_fields(args)?;
    check_partitions(args)?;
    let filter = FilterConfig::new(&args.filter, None)?;
    export_into(args, &filter, engine::open_inputs, || {
        if args.output.is_some() {
            // Before the temporary file exists: a signal would kill us before removing it.
            remove_temp_on_signals()?;
        }
        match &args.output {
            Some(dir) if !args.partition_by.is_empty() => {
                OutDir::create(dir, "export").map(Dest::Dir)
            }
            path => Dest::open(path.as_deref()),
        }
    })
}

/// `-o FILE` naming one of the inputs given (by identity: a link or another spelling
/// too) is refused before anything is written: renamed over it, the export would
/// replace the logs it was made from. A file found by walking a directory that is the
/// output (an earlier export into the logs' directory) is left out of the inputs.
fn leave_out_the_output(args: &ExportArgs, opened: &mut engine::Inputs) -> Result<()> {
    let Some(out) = args
        .output
        .as_deref()
        .filter(|_| args.partition_by.is_empty())
    else {
        return Ok(());
    };
    let Some(id) = crate::input::file_id(out) else {
        return Ok(());
    };
    if args
        .pos
        .paths
        .iter()
        .any(|p| crate::input::file_id(p) == Some(id))
    {
        return Err(Error::new(
            format!("-o {}", out.display()),
            "is also an input: the export would replace it (write to another file)",
        ));
    }
    engine::inputs::without(opened, &args.pos.paths, Some(id));
    Ok(())
}

/// `--partition-by` splits a Parquet export written to a directory, each key once.
fn check_partitions(args: &ExportArgs) -> Result<()> {
    if args.partition_by.is_empty() {
        return Ok(());
    }
    if args.format != ExportFormat::Parquet || args.output.is_none() {
        return Err(Error::new(
            "--partition-by",
            "only with --format parquet and -o DIR",
        ));
    }
    let mut seen = args.partition_by.clone();
    seen.sort_by_key(|k| *k as u8);
    seen.dedup();
    if seen.len() != args.partition_by.len() {
        return Err(Error::new("--partition-by", "a key is named twice"));
    }
    Ok(())
}

/// `--fields` names columns of CSV and JSON only, none empty.
pub fn check_fields(args: &ExportArgs) -> Result<()> {
    if !args.fields.is_empty()
        && matches!(
            args.format,
            ExportFormat::Txt | ExportFormat::Raw | ExportFormat::Parquet
        )
    {
        return Err(Error::new(
            "--fields",
            "only with --format csv, json or ndjson",
        ));
    }
    if args.fields.iter().any(|f| f.trim().is_empty()) {
        return Err(Error::new("--fields", "empty field name"));
    }
    Ok(())
}

/// `input::spool_all` for every input but the ones a cluster's executors read by
/// their name, kept in place: regular files (compressed and Parquet ones too, read
/// once more here for the columns) and object-store URLs.
fn spool_local_streams(inputs: Vec<Input>) -> (Vec<Input>, Vec<Error>) {
    let (mut out, mut errors) = (Vec::with_capacity(inputs.len()), Vec::new());
    for input in inputs {
        match &input {
            Input::File(p) if crate::input::object::is_object_url(p) || p.is_file() => {
                out.push(input)
            }
            _ => {
                let (spooled, failed) = crate::input::spool_all(std::slice::from_ref(&input));
                out.extend(spooled);
                errors.extend(failed);
            }
        }
    }
    (out, errors)
}

/// Exports the entries of `args`' inputs that `filter` matches, in `args.format`, into
/// the destination `open` gives (opened once the inputs are found, before any scan).
/// `find` finds the inputs (`engine::open_inputs`, as the command; the server's
/// `engine::find_inputs` exports nothing from a directory with no log file yet).
pub fn export_into(
    args: &ExportArgs,
    filter: &FilterConfig,
    find: engine::Find,
    open: impl FnOnce() -> Result<Dest>,
) -> Result<Outcome> {
    let engine = Engine::parse(&args.engine)?;
    let input_cfg = InputConfig::new(&args.input_args());
    let mut opened = find(&args.pos.paths, &input_cfg.walk())?;
    leave_out_the_output(args, &mut opened)?;
    let (mut inputs, mut failed) = super::reported(opened, input_cfg.debug);
    if args.format == ExportFormat::Csv && args.fields.is_empty() {
        // Column discovery reads every input twice: a stream is read once, into a
        // spool. A cluster's executors read a file by its path and an object by its
        // URL, so those stay as they are (the discovery here reads a compressed or
        // Parquet file, or an object, once more).
        let remote = matches!(engine, Engine::Cluster(_));
        let (spooled, errors) = match remote {
            true => spool_local_streams(inputs),
            false => crate::input::spool_all(&inputs),
        };
        errors.iter().for_each(report);
        failed |= !errors.is_empty();
        inputs = spooled;
    }
    input_cfg.init_threads();
    // Open the destination first: a missing directory fails before any scan.
    let mut dest = open()?;
    let mut table = match args.format {
        ExportFormat::Parquet => Some(Table::new(args, &dest)?),
        _ => None,
    };
    let bytes = AtomicU64::new(0);
    let mut cfg = super::scan_config(
        filter,
        &input_cfg,
        args.format != ExportFormat::Raw,
        Some(&bytes),
    );
    let discover = args.format == ExportFormat::Csv && args.fields.is_empty();
    let total = engine::inputs::total_size(&inputs) * if discover { 2 } else { 1 };
    let bar = (args.output.is_some() && !args.no_progress && stderr_is_terminal())
        .then(|| progress_bar(total));
    let sink = Exporter {
        render: render_for(args, &inputs, &cfg, discover, &mut failed)?,
    };
    if let Render::Csv(cols) = &sink.render {
        // Every row has a cell per column, so with many columns a chunk renders to many
        // times its size: chunks small enough that a batch of them (16 per thread)
        // renders to about what one chunk of narrow rows would.
        let wide = cols.columns().len() / 64;
        if wide > 1 {
            cfg.chunk_size = (cfg.chunk_size / (wide * 16)).max(64 << 10);
        }
        let header: Vec<String> = if args.fields.is_empty() {
            cols.columns().iter().map(column_name).collect()
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
    let mut write = |item: &[u8]| -> Result<bool> {
        let res = if let Some(table) = &mut table {
            table.push(item, &mut dest)
        } else if json_array {
            let body = item.strip_suffix(b"\n").unwrap_or(item);
            let sep: &[u8] = if written == 0 { b"" } else { b",\n" };
            dest.write(sep)
                .and_then(|open| Ok(open && dest.write(body)?))
        } else {
            dest.write(item)
        };
        if !res? {
            return Ok(false);
        }
        written += 1;
        if let Some(bar) = &bar {
            if written.is_multiple_of(1024) {
                bar.set_position(bytes.load(Ordering::Relaxed));
                bar.set_message(format!("{written} entries"));
            }
        }
        Ok(true)
    };
    let merged = match engine {
        Engine::Local => merge::scan_by_time(&inputs, &cfg, &sink, &mut write),
        #[cfg(feature = "cluster")]
        Engine::DataFusion | Engine::Cluster(_) => {
            crate::cluster::scan_by_time(&engine, &inputs, &cfg, filter, &sink, &mut write)
        }
        #[cfg(not(feature = "cluster"))]
        Engine::DataFusion | Engine::Cluster(_) => {
            unreachable!("Engine::parse gives only Local without the feature")
        }
    };
    for e in &merged.inputs {
        report(e);
        failed = true;
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    merged.output?;
    if json_array {
        dest.write(if written == 0 { b"]\n" } else { b"\n]\n" })?;
    }
    if let Some(table) = table {
        table.finish(&mut dest)?;
    }
    if failed && dest.is_atomic() {
        if let Some(path) = &args.output {
            return Err(Error::new(
                path.display().to_string(),
                "not written, because an input failed",
            ));
        }
    }
    dest.commit()?;
    Ok(Outcome::of(failed, written))
}

/// `--format parquet`: the LogEntry objects the JSON printer renders, encoded as a
/// Parquet table (`format::parquet::Encoder`), whose bytes go to the destination as
/// each row group is written; with `--partition-by`, one table per partition in the
/// destination directory (`commands::partition`). Without the `parquet` feature there
/// is no such value.
#[cfg(feature = "parquet")]
enum Table {
    One(crate::format::parquet::Encoder),
    Split(super::partition::Split),
}

#[cfg(not(feature = "parquet"))]
enum Table {}

/// Parquet is binary: never to a terminal.
fn refuse_terminal(to_stdout: bool) -> Result<()> {
    use std::io::IsTerminal;
    if to_stdout && std::io::stdout().is_terminal() {
        return Err(Error::new(
            "--format parquet",
            "binary output; write it to a file with -o FILE, or to a pipe",
        ));
    }
    Ok(())
}

#[cfg(feature = "parquet")]
impl Table {
    fn new(args: &ExportArgs, dest: &Dest) -> Result<Table> {
        if let Dest::Dir(dir) = dest {
            return Ok(Table::Split(super::partition::Split::new(
                dir.path(),
                &args.partition_by,
            )));
        }
        refuse_terminal(args.output.is_none())?;
        crate::format::parquet::Encoder::new()
            .map(Table::One)
            .map_err(|e| Error::new("parquet", e))
    }

    fn push(&mut self, item: &[u8], dest: &mut Dest) -> Result<bool> {
        match self {
            Table::One(enc) => {
                enc.push(item).map_err(|e| Error::new("parquet", e))?;
                let bytes = enc.take();
                Ok(bytes.is_empty() || dest.write(&bytes)?)
            }
            Table::Split(split) => split.push(item).map(|()| true),
        }
    }

    fn finish(self, dest: &mut Dest) -> Result<()> {
        match self {
            Table::One(enc) => {
                let bytes = enc.finish().map_err(|e| Error::new("parquet", e))?;
                dest.write(&bytes).map(|_| ())
            }
            Table::Split(split) => split.finish().map(|_| ()),
        }
    }
}

#[cfg(not(feature = "parquet"))]
impl Table {
    fn new(args: &ExportArgs, _: &Dest) -> Result<Table> {
        refuse_terminal(args.output.is_none())?;
        Err(Error::new(
            "--format parquet",
            "this build writes Parquet only with the `parquet` feature \
             (cargo install covet-logs --features parquet)",
        ))
    }

    fn push(&mut self, _: &[u8], _: &mut Dest) -> Result<bool> {
        match *self {}
    }

    fn finish(self, _: &mut Dest) -> Result<()> {
        match self {}
    }
}

fn interrupted() -> Error {
    Error::new("export", "interrupted; the output file was not written")
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
        ExportFormat::Json | ExportFormat::Ndjson | ExportFormat::Parquet
            if args.fields.is_empty() =>
        {
            Render::Print(Exporter::printer(Mode::Json))
        }
        ExportFormat::Json | ExportFormat::Ndjson | ExportFormat::Parquet => {
            Render::JsonFields(picked())
        }
        ExportFormat::Txt => Render::Print(Exporter::printer(Mode::Pretty)),
        ExportFormat::Raw => Render::Print(Exporter::printer(Mode::Raw)),
        ExportFormat::Csv if !discover => {
            Render::Csv(picked().into_iter().map(|(_, c)| c).collect())
        }
        ExportFormat::Csv => {
            let mut paths = PathCounts::default();
            for (i, input) in inputs.iter().enumerate() {
                let mut emit = |part: PathCounts| {
                    paths.extend(part);
                    Ok(true)
                };
                let scan = scan::scan_input(input, i, cfg, &Columns, &mut emit);
                *failed |= super::scanned(scan)?.is_none();
            }
            let (paths, left_out) = paths.most_frequent(MAX_COLUMNS);
            if left_out > 0 {
                eprintln!(
                    "covet-logs: warning: {left_out} metadata columns left out (the CSV has \
                     the {MAX_COLUMNS} most frequent); name them with --fields to export them"
                );
            }
            let mut cols: Vec<Column> = STD_COLUMNS.iter().map(|n| Column::parse(n)).collect();
            cols.extend(paths.iter().map(|p| Column::parse(p)));
            Render::Csv(cols.into_iter().collect())
        }
    })
}

/// Where the export goes: stdout, or a file by `outfile`'s rules (a temporary file
/// renamed over the target at the end; a FIFO or device written in place), or another
/// writer (the server's response body; its failing write ends the export as a closed
/// pipe does).
pub enum Dest {
    Stdout(Out),
    Writer(Box<dyn Write + Send>),
    File {
        w: BufWriter<OutFile>,
        path: PathBuf,
    },
    /// A directory of partition files (`--partition-by`), renamed into place at the end.
    Dir(OutDir),
}

impl Dest {
    fn open(path: Option<&Path>) -> Result<Dest> {
        let Some(path) = path else {
            return Ok(Dest::Stdout(Out::new()));
        };
        // A new file gets the usual 0644; a replaced one keeps its mode and owner.
        let file = OutFile::create(path, "export", 0o644)?;
        Ok(Dest::File {
            w: BufWriter::with_capacity(1 << 16, file),
            path: path.to_path_buf(),
        })
    }

    /// Whether an unfinished export leaves the destination as it was.
    fn is_atomic(&self) -> bool {
        match self {
            Dest::Stdout(_) | Dest::Writer(_) => false,
            Dest::File { w, .. } => w.get_ref().is_atomic(),
            Dest::Dir(_) => true,
        }
    }

    /// Writes; `Ok(false)` once stdout is closed (`| head`), which ends the export
    /// quietly (other stdout errors surface at commit).
    fn write(&mut self, bytes: &[u8]) -> Result<bool> {
        match self {
            Dest::Stdout(out) => Ok(out.write(bytes)),
            Dest::Writer(w) => Ok(w.write_all(bytes).is_ok()),
            Dest::File { w, path } => w
                .write_all(bytes)
                .map(|()| true)
                .map_err(|e| Error::io(path.display().to_string(), &e)),
            // The partition files are written by the table, not through here.
            Dest::Dir(_) => Ok(true),
        }
    }

    /// Flushes stdout, or finishes the file (renamed over the target when atomic).
    fn commit(self) -> Result<()> {
        match self {
            Dest::Stdout(out) => out.finish(),
            Dest::Writer(mut w) => {
                // The client may be gone: nothing to report then.
                let _ = w.flush();
                Ok(())
            }
            Dest::File { w, path } => w
                .into_inner()
                .map_err(|e| Error::io(path.display().to_string(), e.error()))?
                .commit(),
            Dest::Dir(dir) => dir.commit(),
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: removes the temporary file (if any: a FIFO or device
/// is written in place), says so and exits 128 + the signal number, even while a read
/// blocks (a pipe that never closes).
fn remove_temp_on_signals() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| Error::io("export: signal handler", &e))?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            if outfile::remove_pending() > 0 {
                report(&interrupted());
            } else {
                report(&Error::new("export", "interrupted"));
            }
            // SAFETY: _exit ends the process at once; nothing is left to run.
            unsafe { libc::_exit(128 + sig) };
        }
    });
    Ok(())
}
