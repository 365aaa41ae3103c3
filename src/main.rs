//! covet-logs: dispatch to a subcommand, print errors as one line, and map the
//! command's `Outcome` (or error) to the exit code: the one place that decides it.

use clap::Parser;

use covet_logs::cli::filters::HistoryAction;
use covet_logs::cli::{Cli, Command};
use covet_logs::commands;
use covet_logs::engine::Outcome;
use covet_logs::error::{EXIT_ERROR, EXIT_INTERRUPTED, EXIT_MATCH, EXIT_NO_MATCH};

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
        std::process::exit(EXIT_ERROR);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let code = exit_code(dispatch(cli));
    let code = if covet_logs::sink::pager::finish() {
        code
    } else {
        EXIT_ERROR
    };
    report_peak_memory();
    std::process::exit(code);
}

/// The exit code of a command's end: 0 matched, 1 nothing matched (or a `stats`
/// alert fired), 2 an error (reported here when it ended the command), 130 Ctrl-C.
fn exit_code(ran: covet_logs::error::Result<Outcome>) -> i32 {
    match ran {
        Ok(Outcome::Matched) => EXIT_MATCH,
        Ok(Outcome::NoMatch | Outcome::Alerted) => EXIT_NO_MATCH,
        Ok(Outcome::Failed) => EXIT_ERROR,
        Ok(Outcome::Interrupted) => EXIT_INTERRUPTED,
        Err(e) => {
            commands::report(&e);
            EXIT_ERROR
        }
    }
}

/// Runs the command; `history run N` parses the recorded search and runs it.
fn dispatch(cli: Cli) -> covet_logs::error::Result<Outcome> {
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
        Command::Serve(args) => covet_logs::serve::run(&args),
    }
}

/// `history run N`: search N parsed as it was typed, then run.
fn rerun(n: usize) -> covet_logs::error::Result<Outcome> {
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
    use covet_logs::error::Error;

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
