//! covet-logs: dispatch to a subcommand, print errors as one line, map exit codes.

use clap::Parser;

use covet_logs::cli::filters::HistoryAction;
use covet_logs::cli::{Cli, Command};
use covet_logs::commands;

fn main() {
    // `--no-config` is read before clap, whose defaults come from the config file; it
    // skips config.toml and formats.toml alike.
    let no_config = std::env::args_os()
        .take_while(|a| a != "--")
        .any(|a| a == "--no-config");
    let applied = match no_config {
        true => Ok(()),
        false => covet_logs::config::apply_config_file()
            .and_then(|()| covet_logs::format::user::install_from_config_dir()),
    };
    if let Err(e) = applied {
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
    let code = dispatch(cli);
    let code = if covet_logs::sink::pager::finish() {
        code
    } else {
        covet_logs::error::EXIT_ERROR
    };
    report_peak_memory();
    std::process::exit(code);
}

/// Runs the command; `history run N` parses the recorded search and runs it.
fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Search(args) => commands::search::run(&args),
        Command::Tail(args) => commands::tail::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Context(args) => commands::context::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Fields(args) => commands::fields::run(&args),
        Command::Filters(args) => commands::filters::run(&args),
        Command::History(args) => match args.action {
            Some(HistoryAction::Run { n }) => rerun(n),
            None => commands::history::run(&args),
        },
        Command::Completions(args) => commands::shell::completions(&args),
        Command::Man => commands::shell::man(),
        Command::Suggest(args) => commands::shell::suggest(&args),
        Command::Formats(args) => commands::formats::run(&args),
    }
}

/// `history run N`: search N parsed as it was typed, then run.
fn rerun(n: usize) -> i32 {
    let argv = match commands::history::prepare_rerun(n) {
        Ok(argv) => argv,
        Err(e) => {
            commands::report(&e);
            return covet_logs::error::EXIT_ERROR;
        }
    };
    match Cli::try_parse_from(argv) {
        Ok(cli) => dispatch(cli),
        Err(e) => {
            let _ = e.print();
            covet_logs::error::EXIT_ERROR
        }
    }
}

/// With `COVET_LOGS_PEAK_RSS` set, the last stderr line is this process's peak resident
/// set (`VmHWM` of /proc/self/status, which counts only memory since exec; the
/// `ru_maxrss` a parent gets from `wait4` also includes the parent's own peak when the
/// child was started by vfork/posix_spawn). The memory tests read it.
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
