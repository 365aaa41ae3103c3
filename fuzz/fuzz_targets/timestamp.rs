//! The timestamp reader over arbitrary bytes: log line headers, field values,
//! `--since`/`--until` values and zone names.
#![no_main]

mod common;

use covet_logs::format::timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cx = common::ctx();
    if let Some((ns, len)) = timestamp::parse_leading(data, &cx) {
        assert!(len <= data.len());
        let _ = timestamp::format_rfc3339_ns(ns);
    }
    let _ = timestamp::parse_str(data, &cx);
    let _ = timestamp::rfc3339(data, &cx);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = timestamp::parse_user_time(s, 1_700_000_000_000_000_000, &cx);
        let _ = timestamp::parse_tz(s);
    }
});
