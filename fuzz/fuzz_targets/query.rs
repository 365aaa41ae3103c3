//! The query front end over arbitrary text: lex, parse, print and parse back,
//! compile. A successful parse must print a query that parses to the same tree.
#![no_main]

mod common;

use covet_logs::fuzzing::parse_query;
use covet_logs::{compile_query, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_query(text) {
        Ok(expr) => {
            let shown = expr.to_string();
            let again = parse_query(&shown).expect("printed query parses");
            assert_eq!(again.to_string(), shown, "print is a fixed point");
            let opts = Options {
                now_ns: 1_700_000_000_000_000_000,
                ..Options::new(common::ctx())
            };
            let _ = compile_query(text, &opts);
        }
        Err(e) => {
            let _ = e.render(text);
        }
    }
});
