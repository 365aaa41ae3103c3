//! The command line run: dispatch to a subcommand, print errors as one line, and map
//! the command's `Outcome` (or error) to the exit code: the one place that decides it.
//! `main.rs` calls [`run`] (re-exported as `covet_logs::run`) and exits with its code.

use clap::Parser;

use crate::cli::filters::HistoryAction;
use crate::cli::{Cli, Command};
use crate::commands;
use crate::engine::Outcome;
use crate::error::EXIT_ERROR;

/// Runs covet-logs with this process's arguments (`std::env::args_os`) and returns
/// the exit code: 0 something matched, 1 nothing matched, 2 an error (printed on
/// stderr as one line), 130 interrupted.
pub fn run() -> i32 {
    // `--no-config` is read before clap, whose defaults come from the config file; it
    // skips config.toml and formats.toml alike.
    let no_config = std::env::args_os()
        .take_while(|a| a != "--")
        .any(|a| a == "--no-config");
    let applied = match no_config {
        true => Ok(()),
        false => crate::config::apply_config_file()
            .and_then(|()| crate::format::user::install_from_config_dir()),
    };
    if let Err(e) = applied {
        commands::report(&e);
        return EXIT_ERROR;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let code = exit_code(dispatch(cli));
    let code = if crate::sink::pager::finish() {
        code
    } else {
        EXIT_ERROR
    };
    report_peak_memory();
    code
}

/// The exit code of a command's end: 0 matched, 1 nothing matched (or a `stats`
/// alert fired), 2 an error (reported here when it ended the command), 130 Ctrl-C.
fn exit_code(ran: crate::error::Result<Outcome>) -> i32 {
    match ran {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            commands::report(&e);
            EXIT_ERROR
        }
    }
}

/// Runs the command; `history run N` parses the recorded search and runs it.
fn dispatch(cli: Cli) -> crate::error::Result<Outcome> {
    match cli.command {
        Command::Search(args) => commands::search::run(&args),
        Command::Tail(args) => commands::tail::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Context(args) => commands::context::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Fields(args) => commands::fields::run(&args),
        Command::Index(args) => commands::index::run(&args),
        Command::Filters(args) => commands::filters::run(&args),
        Command::History(args) => match args.action {
            Some(HistoryAction::Run { n }) => rerun(n),
            None => commands::history::run(&args),
        },
        Command::Completions(args) => commands::shell::completions(&args),
        Command::Man => commands::shell::man(),
        Command::Suggest(args) => commands::shell::suggest(&args),
        Command::Formats(args) => commands::formats::run(&args),
        Command::Serve(args) => crate::serve::run(&args),
        Command::Cluster(args) => commands::cluster::run(&args),
    }
}

/// `history run N`: search N parsed as it was typed, then run.
fn rerun(n: usize) -> crate::error::Result<Outcome> {
    let argv = commands::history::prepare_rerun(n)?;
    match Cli::try_parse_from(argv) {
        Ok(cli) => dispatch(cli),
        Err(e) => {
            let _ = e.print();
            Ok(Outcome::Failed)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn each_outcome_has_its_exit_code() {
        let table = [
            (Ok(Outcome::Matched), 0),
            (Ok(Outcome::NoMatch), 1),
            (Ok(Outcome::Alerted), 1),
            (Ok(Outcome::Failed), 2),
            (Ok(Outcome::Interrupted), 130),
            (Err(Error::new("x", "y")), 2),
        ];
        for (ran, code) in table {
            assert_eq!(exit_code(ran), code);
        }
    }
}
