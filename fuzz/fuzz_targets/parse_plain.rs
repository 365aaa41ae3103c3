//! The plain parser over arbitrary bytes: entries cut by the scanner, every field read.
#![no_main]

mod common;

use covet_logs::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::scan_as(data, Format::Plain));
