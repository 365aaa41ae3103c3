//! covet-logs: dispatch to a subcommand, print errors as one line, map exit codes.

use clap::Parser;

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
    let code = match cli.command {
        Command::Search(args) => commands::search::run(&args),
        Command::Tail(args) => commands::tail::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Context(args) => commands::context::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Fields(args) => commands::fields::run(&args),
        Command::Filters(args) => commands::filters::run(&args),
        Command::History(args) => commands::history::run(&args),
    };
    std::process::exit(code);
}
