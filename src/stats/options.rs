//! `ReportOptions`: how the report is built (`--top`, `--interval`, the window, the
//! `--by`/`--value` fields, thresholds). A leaf of `stats`, read by `report` and
//! `insight` alike.

/// How the report is built.
pub struct ReportOptions {
    pub top: usize,
    /// `--interval`, in ns.
    pub interval: Option<i64>,
    /// `--since` / `--until` as resolved (the current window).
    pub window: (Option<i64>, Option<i64>),
    pub now_ns: i64,
    /// Names of the `--by` fields, in order.
    pub by: Vec<String>,
    /// The `--value` field's name.
    pub value: Option<String>,
    /// The field behind `performance_degradation`.
    pub perf: Option<String>,
    /// Error-rate card thresholds in percent (amber, red).
    pub rate_warn: f64,
    pub rate_crit: f64,
    /// The inputs as typed, appended to suggested commands.
    pub paths: Vec<String>,
    /// `--min-confidence`: the least confidence (percent) an insight is reported at.
    pub min_confidence: f64,
}
