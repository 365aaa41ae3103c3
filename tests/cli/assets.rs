//! The committed completions and man pages must match the clap definition.

mod render {
    include!("assets_render.rs");
}

#[test]
fn completions_and_man_pages_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (name, bytes) in render::render() {
        let committed = std::fs::read(root.join(&name)).unwrap_or_default();
        if committed != bytes {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo run --example gen-assets`"
    );
}
