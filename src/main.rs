//! covet-logs: the command line, all of it in the library (`covet_logs::run`); this
//! file only exits with the code the run returns.

fn main() {
    std::process::exit(covet_logs::run());
}
