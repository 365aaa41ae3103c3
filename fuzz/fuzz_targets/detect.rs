//! Format detection over arbitrary bytes, then a scan as the detected format.
#![no_main]

mod common;

use covet_logs::detect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let detected = detect(data, &common::ctx());
    common::scan_as(data, detected);
});
