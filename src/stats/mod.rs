//! `covet-logs stats`: the aggregation pass (`agg`, a sink) and everything after it:
//! this module turns the merged aggregate into the report (cards, volume, breakdowns,
//! templates), finds insights with stated statistical tests, evaluates `--alert`
//! rules and renders the result for a terminal or as JSON. The command's wiring is
//! `commands::stats`.
//!
//! - `agg`: the `stats` sink: a partial aggregate per chunk (`Agg`), combined in order;
//! - `field`: reading a `--by`/`--value` field from a record cheaply;
//! - `sketch`: the mergeable quantile sketch (DDSketch);
//! - `template`: masking error messages into templates;
//! - `options`: how the report is built (`ReportOptions`);
//! - `report`: the final numbers, in the seed's LogAnalytics shape;
//! - `insight`: error_spike, new_error, performance_degradation, unusual_pattern;
//! - `stat`: the tail probabilities the insights use;
//! - `alert`: the `--alert` rule language;
//! - `render`: the terminal dashboard.

pub mod agg;
pub mod alert;
pub mod field;
pub mod insight;
pub mod options;
pub mod render;
pub mod report;
pub mod sketch;
pub mod stat;
pub mod template;
