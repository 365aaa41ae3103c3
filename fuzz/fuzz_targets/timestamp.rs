//! The timestamp reader over arbitrary bytes: log line headers, field values,
//! `--since`/`--until` values and zone names.
#![no_main]

mod common;

use covet_logs::fuzzing::{format_rfc3339_ns, parse_str, parse_tz, parse_user_time, rfc3339};
use covet_logs::leading_timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cx = common::ctx();
    if let Some((ns, len)) = leading_timestamp(data, &cx) {
        assert!(len <= data.len());
        let _ = format_rfc3339_ns(ns);
    }
    let _ = parse_str(data, &cx);
    let _ = rfc3339(data, &cx);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_user_time(s, 1_700_000_000_000_000_000, &cx);
        let _ = parse_tz(s);
    }
});
