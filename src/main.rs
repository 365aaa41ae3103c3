//! covet-logs: dispatch to a subcommand, print errors as one line, map exit codes.

use clap::Parser;

use covet_logs::cli::{Cli, Command};
use covet_logs::commands;

fn main() {
    let config = covet_logs::config::apply_config_file()
        .and_then(|()| covet_logs::format::user::install_from_config_dir());
    if let Err(e) = config {
        commands::report(&e);
        std::process::exit(covet_logs::error::EXIT_ERROR);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let code = match cli.command {
        Command::Search(args) => commands::search::run(&args),
        Command::Tail(args) => commands::tail::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Context(args) => commands::context::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Fields(args) => commands::fields::run(&args),
        Command::Filters(args) => commands::filters::run(&args),
        Command::History(args) => commands::history::run(&args),
        Command::Completions(args) => commands::shell::completions(&args),
        Command::Man => commands::shell::man(),
        Command::Suggest(args) => commands::shell::suggest(&args),
        Command::Formats(args) => commands::formats::run(&args),
    };
    let code = if covet_logs::sink::pager::finish() {
        code
    } else {
        covet_logs::error::EXIT_ERROR
    };
    report_peak_memory();
    std::process::exit(code);
}

/// With `COVET_LOGS_PEAK_RSS` set, the last stderr line is this process's peak resident
/// set (`VmHWM` of /proc/self/status, which counts only memory since exec; the
/// `ru_maxrss` a parent gets from `wait4` also includes the parent's own peak when the
/// child was started by vfork/posix_spawn). The memory tests and benches read it.
fn report_peak_memory() {
    if std::env::var_os("COVET_LOGS_PEAK_RSS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    match kib {
        Some(kib) => eprintln!("covet-logs: peak RSS: {kib} KiB"),
        None => eprintln!("covet-logs: peak RSS: unknown"),
    }
}
