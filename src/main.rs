//! covet-logs: dispatch to a subcommand, print errors as one line, map exit codes.

use clap::Parser;

use covet_logs::cli::filters::HistoryAction;
use covet_logs::cli::{Cli, Command};
use covet_logs::commands;

fn main() {
    // `--no-config` is read before clap, whose defaults come from the config file.
    let no_config = std::env::args_os()
        .take_while(|a| a != "--")
        .any(|a| a == "--no-config");
    let applied = match no_config {
        true => Ok(()),
        false => covet_logs::config::apply_config_file(),
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
    std::process::exit(dispatch(cli));
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
