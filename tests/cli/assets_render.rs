// Renders every generated asset: (path relative to the repository, bytes).
// Included by examples/gen-assets.rs and tests/cli/assets.rs.

pub fn render() -> Vec<(String, Vec<u8>)> {
    covet_logs::generated_assets()
}
