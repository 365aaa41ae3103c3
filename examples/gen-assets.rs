//! Writes the shell completions (completions/) and the man page (man/) from the one
//! clap definition (`covet_logs::generated_assets`). Run after changing the CLI:
//! `cargo run --example gen-assets`. The `assets` test fails when they are stale.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, bytes) in covet_logs_assets::render() {
        let path = root.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Shared with tests/cli/assets.rs through `#[path]`.
#[allow(dead_code)]
mod covet_logs_assets {
    include!("../tests/cli/assets_render.rs");
}
