//! One thin file per subcommand, wiring input + query + sink.

pub mod progress;
pub mod search;

use crate::error::{Error, EXIT_ERROR};

/// Commands whose issues have not landed yet: say so and exit 2, never fake output.
pub fn not_implemented(name: &str) -> i32 {
    eprintln!("covet-logs: {}", Error::new(name, "not implemented yet"));
    EXIT_ERROR
}
