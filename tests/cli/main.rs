//! The integration tests of the `covet-logs` binary, as one test target (one link of
//! the crate instead of one per file): a module per command or concern. Shared helpers
//! are in `tests/util/mod.rs` (also used by `tests/properties.rs`, which stays a target
//! of its own so `.ci/run` can run it alone with a raised `PROPTEST_CASES`).
//! `assets_render.rs` is not a module: `assets.rs` and `examples/gen-assets.rs` include it.

#[path = "../util/mod.rs"]
mod util;

mod assets;
mod browser;
mod cluster;
mod config;
mod context;
mod embed;
mod export;
mod fields;
mod filters;
mod follow;
mod formats;
mod formats_libs;
mod formats_nested;
mod formats_polish;
mod formats_speed;
mod grammar;
mod hostile_data;
mod hostile_files;
mod hostile_input;
mod hostile_query;
mod index;
mod json_conventions;
mod parquet;
mod s3;
mod search;
mod serve;
mod serve_page;
mod stats;
mod terminal;
mod terminal_views;
mod zstd_frames;
