//! Arguments of `covet-logs stats`.

use clap::Args;

use super::groups::{FilterArgs, InputArgs, QueryPaths, ViewArgs};

#[derive(Debug, Args, Clone)]
pub struct StatsArgs {
    #[command(flatten)]
    pub pos: QueryPaths,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub input: InputArgs,

    /// The report as one JSON object (the LogAnalytics shape plus breakdowns,
    /// templates and alerts).
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub view: ViewArgs,

    /// Volume bucket width (`30s`, `1m`, `1h`, `1d`; default: about 40-60 buckets).
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<String>,

    /// Add a breakdown by this field (`user_id`, `metadata.endpoint`, ...; repeatable).
    #[arg(long = "by", value_name = "FIELD")]
    pub by: Vec<String>,

    /// Rows per breakdown and number of error templates shown.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// A numeric field (`duration_ms`): count, min, mean, p50, p95, p99 and max per group.
    #[arg(long, value_name = "FIELD")]
    pub value: Option<String>,

    /// Alert rule, e.g. `error_rate > 5%`, `count(level:FATAL) > 0`, `rate < 10/s`
    /// (repeatable). Exit 1 when any fires, 0 when none does.
    #[arg(long = "alert", value_name = "RULE")]
    pub alerts: Vec<String>,

    /// Also check the alert rules saved in the dashboard (`alerts.json` in the config
    /// directory), as `--alert` checks its rules; a saved rule that no longer parses is
    /// a warning.
    #[arg(long = "alerts")]
    pub saved_alerts: bool,

    /// Keep following the inputs and redraw about once a second (on a terminal; when
    /// piped, print one JSON snapshot per second in which something changed).
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this
    /// process), `df://HOST:PORT` (an Apache Ballista cluster's scheduler, see
    /// `covet-logs cluster`); both need a build with the `cluster` feature. Other
    /// engines print the report the local one prints (not with `-f`).
    #[arg(long, value_name = "ENGINE", default_value = "local")]
    pub engine: String,

    /// The whole dashboard (every breakdown, template times, insight actions) even on
    /// a terminal, where it is otherwise fitted to the screen.
    #[arg(long, conflicts_with = "json")]
    pub full: bool,

    /// Lay the dashboard out for this many columns (default: the terminal's).
    #[arg(long, hide = true, value_name = "COLS")]
    pub width: Option<usize>,

    /// Lay the dashboard out for this many rows (default: the terminal's; piped: full).
    #[arg(long, hide = true, value_name = "ROWS")]
    pub height: Option<usize>,

    /// Error rate (percent) from which the card turns amber.
    #[arg(long, value_name = "PCT", default_value_t = 5.0)]
    pub warn_rate: f64,

    /// Error rate (percent) from which the card turns red.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub crit_rate: f64,

    /// Report an insight only at this confidence (percent, 0-100) or more; on calm
    /// data a report holds any insight with chance at most 100 - PCT percent.
    #[arg(long, value_name = "PCT", default_value_t = crate::stats::insight::MIN_CONFIDENCE,
          value_parser = parse_confidence)]
    pub min_confidence: f64,
}

fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a percentage from 0 to 100")),
    }
}
