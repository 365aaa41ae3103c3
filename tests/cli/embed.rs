//! `examples/embed.rs`, the library used from another program: its ERROR counts per
//! service over a directory of generated JSON and text logs equal the generator's truth.

use covet_gen::{self as gen, GenFormat, SERVICES};

use crate::util::{gen_cfg, Dir};

#[path = "../../examples/embed.rs"]
#[allow(dead_code)]
mod example;

#[test]
fn embed_counts_errors_per_service_as_the_generator() {
    let dir = Dir::new();
    let json = gen_cfg(3000, 31, GenFormat::Json);
    let text = gen_cfg(2000, 32, GenFormat::Text);
    dir.create_gen("logs/app.jsonl", &json);
    dir.create_gen("logs/nested/app.log", &text);
    dir.create("logs/notes.bin", b"\0\0 level:ERROR service:covet-db\n");

    let got = example::errors_per_service(&dir.join("logs")).expect("embed runs");

    let mut want = std::collections::BTreeMap::new();
    for service in SERVICES {
        let q = format!("level:ERROR service:{service}");
        let n = gen::truth(&json, &[&q])[0] + gen::truth(&text, &[&q])[0];
        if n > 0 {
            want.insert(service.to_string(), n);
        }
    }
    assert!(
        want.len() >= 5,
        "the data has errors in most services: {want:?}"
    );
    assert_eq!(got, want);
}
