//! The final numbers from the merged aggregate, in the seed's `LogAnalytics` shape
//! (`totalLogs`, `errorRate`, `avgLogRate`, `topError`, `volumeData`,
//! `errorDistribution`, `serviceDistribution`, `levelBreakdown`, `insights`) plus the
//! cards' trends, breakdowns, templates and alert outcomes. Serialized as `--json`,
//! drawn by `render`. No I/O here.

use serde::Serialize;

use crate::format::level::Level;
use crate::format::timestamp;
use crate::stats::agg::{Agg, Bucket, Group, Groups};
use crate::stats::insight::{self, Insight};
pub use crate::stats::options::ReportOptions;
use crate::stats::sketch::Sketch;

const SEC: i64 = 1_000_000_000;

/// Round display intervals for the volume chart.
const NICE: [i64; 26] = [
    SEC,
    2 * SEC,
    5 * SEC,
    10 * SEC,
    15 * SEC,
    30 * SEC,
    60 * SEC,
    120 * SEC,
    300 * SEC,
    600 * SEC,
    900 * SEC,
    1800 * SEC,
    3600 * SEC,
    7200 * SEC,
    10800 * SEC,
    21600 * SEC,
    43200 * SEC,
    86400 * SEC,
    2 * 86400 * SEC,
    7 * 86400 * SEC,
    14 * 86400 * SEC,
    28 * 86400 * SEC,
    84 * 86400 * SEC,
    364 * 86400 * SEC,
    728 * 86400 * SEC,
    3640 * 86400 * SEC,
];

/// Most buckets in the volume chart when the interval is automatic.
pub const MAX_VOLUME_BUCKETS: i64 = 60;

/// Most buckets in the volume chart with `--interval`.
pub const MAX_EXPLICIT_BUCKETS: i64 = 10_000;

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TopError {
    pub message: String,
    pub count: u64,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TimeSeriesData {
    pub timestamp: String,
    #[serde(skip)]
    pub ts: i64,
    pub value: u64,
    pub errors: u64,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DistributionData {
    pub name: String,
    pub value: u64,
    pub percentage: f64,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ValueStats {
    pub count: u64,
    pub min: f64,
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl ValueStats {
    pub fn of(s: &Sketch) -> Option<ValueStats> {
        Some(ValueStats {
            count: s.count(),
            min: s.min()?,
            mean: s.mean()?,
            p50: s.quantile(0.5)?,
            p95: s.quantile(0.95)?,
            p99: s.quantile(0.99)?,
            max: s.max()?,
        })
    }
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    pub name: String,
    pub count: u64,
    pub share: f64,
    pub errors: u64,
    pub warnings: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueStats>,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Breakdown {
    pub field: String,
    /// Distinct values seen (the table shows the top ones).
    pub distinct: usize,
    pub groups: Vec<GroupRow>,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TemplateRow {
    pub template: String,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub example_id: String,
    pub top_service: Option<String>,
}

#[derive(Debug, Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub struct Trend {
    pub previous: f64,
    /// Change in percent of the previous value (`None` when that was 0).
    pub change_percent: Option<f64>,
}

#[derive(Debug, Serialize, Clone, Default)]
#[serde(rename_all = "camelCase")]
pub struct Trends {
    pub total_logs: Option<Trend>,
    pub errors: Option<Trend>,
    pub warnings: Option<Trend>,
    pub error_rate: Option<Trend>,
    pub avg_log_rate: Option<Trend>,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    pub start: Option<String>,
    pub end: Option<String>,
    pub seconds: f64,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct AlertOutcome {
    pub rule: String,
    pub fired: bool,
    pub value: f64,
    pub reason: String,
}

/// The whole report.
#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub total_logs: u64,
    pub errors: u64,
    pub warnings: u64,
    pub error_rate: f64,
    pub avg_log_rate: f64,
    pub peak_log_rate: f64,
    pub top_error: Option<TopError>,
    pub volume_data: Vec<TimeSeriesData>,
    pub error_distribution: Vec<DistributionData>,
    pub service_distribution: Vec<DistributionData>,
    pub level_breakdown: Vec<DistributionData>,
    pub insights: Vec<Insight>,
    pub span: Span,
    /// Volume bucket width in seconds.
    pub interval_seconds: f64,
    pub untimed: u64,
    pub trends: Option<Trends>,
    pub breakdowns: Vec<Breakdown>,
    pub templates: Vec<TemplateRow>,
    pub distinct_templates: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueStats>,
    pub alerts: Vec<AlertOutcome>,
    #[serde(skip)]
    pub rate_thresholds: (f64, f64),
    /// The numeric field's values (for `p95(FIELD)` alerts).
    #[serde(skip)]
    pub perf_sketch: Option<Sketch>,
}

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn ts_text(ts: Option<i64>) -> Option<String> {
    ts.map(timestamp::format_rfc3339_ms)
}

/// The automatic volume interval: the smallest round width that the kept bucket width
/// divides and that gives at most `MAX_VOLUME_BUCKETS` buckets over the span.
pub fn choose_interval(span_ns: i64, unit: i64) -> i64 {
    for &n in NICE.iter() {
        if n % unit == 0 && span_ns / n < MAX_VOLUME_BUCKETS {
            return n;
        }
    }
    let mut n = unit;
    while span_ns / n >= MAX_VOLUME_BUCKETS {
        n = n.saturating_mul(2);
    }
    n
}

/// Display buckets: (start, merged bucket), dense from the first to the last.
pub fn display_buckets(agg: &Agg, interval: i64) -> Vec<(i64, Bucket)> {
    let (Some(first), Some(last)) = (agg.first_ts, agg.last_ts) else {
        return Vec::new();
    };
    let lo = first.div_euclid(interval);
    let hi = last.div_euclid(interval);
    let n = (hi - lo + 1).clamp(1, 100_000) as usize;
    let mut out: Vec<(i64, Bucket)> = (0..n)
        .map(|i| ((lo + i as i64) * interval, Bucket::default()))
        .collect();
    let ident: Vec<u32> = (0..crate::stats::agg::TRACKED as u32).collect();
    for (key, b) in &agg.buckets.map {
        let start = key.saturating_mul(agg.buckets.unit);
        let i = start.div_euclid(interval) - lo;
        if let Some((_, slot)) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            slot.merge(b, &ident, &ident);
        }
    }
    out
}

fn distribution(groups: &Groups, of: impl Fn(&Group) -> u64) -> Vec<DistributionData> {
    let whole: u64 = groups.groups.iter().map(&of).sum();
    let mut v: Vec<DistributionData> = groups
        .groups
        .iter()
        .filter(|g| of(g) > 0)
        .map(|g| DistributionData {
            name: g.name.clone(),
            value: of(g),
            percentage: pct(of(g), whole),
        })
        .collect();
    v.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.name.cmp(&b.name)));
    v
}

fn breakdown(field: &str, groups: &Groups, total: u64, top: usize) -> Breakdown {
    let mut rows: Vec<&Group> = groups.groups.iter().filter(|g| g.count > 0).collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    Breakdown {
        field: field.to_string(),
        distinct: rows.len(),
        groups: rows
            .into_iter()
            .take(top)
            .map(|g| GroupRow {
                name: g.name.clone(),
                count: g.count,
                share: pct(g.count, total),
                errors: g.errors,
                warnings: g.warnings,
                value: g.value.as_ref().and_then(ValueStats::of),
            })
            .collect(),
    }
}

fn trend(current: f64, previous: f64) -> Trend {
    Trend {
        previous,
        change_percent: (previous > 0.0).then(|| (current - previous) * 100.0 / previous),
    }
}

/// All values of the numeric field: the `--value` sketch, else the buckets' ones.
fn perf_sketch(agg: &Agg, opts: &ReportOptions) -> Option<Sketch> {
    if opts.value.is_some() {
        return Some(agg.value.clone());
    }
    opts.perf.as_ref()?;
    let mut s = Sketch::new();
    for b in agg.buckets.map.values() {
        if let Some(p) = &b.perf {
            s.merge(p);
        }
    }
    Some(s)
}

/// Builds the report from the merged aggregate.
pub fn build(agg: &Agg, opts: &ReportOptions) -> Report {
    let total = agg.total;
    let errors = agg.errors();
    let warnings = agg.warnings();
    // The span: the window when one is given, else what the data covers.
    let span_ns = match opts.window {
        (Some(since), until) => until.unwrap_or(opts.now_ns).saturating_sub(since).max(0),
        _ => match (agg.first_ts, agg.last_ts) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        },
    };
    let secs = span_ns as f64 / 1e9;
    let avg_rate = if secs > 0.0 {
        total as f64 / secs
    } else {
        total as f64
    };
    let unit_secs = agg.buckets.unit as f64 / 1e9;
    let peak = agg.buckets.map.values().map(|b| b.total).max().unwrap_or(0) as f64 / unit_secs;
    let data_span = match (agg.first_ts, agg.last_ts) {
        (Some(a), Some(b)) => b - a,
        _ => 0,
    };
    let interval = match opts.interval {
        // An explicit interval, unless the kept buckets are wider or it would draw
        // an absurd number of buckets.
        Some(i) if i % agg.buckets.unit == 0 && data_span / i < MAX_EXPLICIT_BUCKETS => i,
        Some(_) if data_span / agg.buckets.unit < MAX_EXPLICIT_BUCKETS => agg.buckets.unit,
        _ => choose_interval(data_span, agg.buckets.unit),
    };
    let buckets = display_buckets(agg, interval);
    let volume_data = buckets
        .iter()
        .map(|(t, b)| TimeSeriesData {
            timestamp: timestamp::format_rfc3339_ms(*t),
            ts: *t,
            value: b.total,
            errors: b.errors,
        })
        .collect();

    let mut level_breakdown = Vec::new();
    for level in Level::ALL.iter().rev() {
        let n = agg.levels[*level as usize];
        if n > 0 {
            level_breakdown.push(DistributionData {
                name: level.as_str().to_string(),
                value: n,
                percentage: pct(n, total),
            });
        }
    }
    if agg.levels[6] > 0 {
        level_breakdown.push(DistributionData {
            name: "(none)".to_string(),
            value: agg.levels[6],
            percentage: pct(agg.levels[6], total),
        });
    }

    let mut templates: Vec<(&String, &crate::stats::agg::Template)> =
        agg.templates.iter().collect();
    templates.sort_by(|a, b| {
        b.1.count
            .cmp(&a.1.count)
            .then_with(|| a.1.first_ts.cmp(&b.1.first_ts))
            .then_with(|| a.0.cmp(b.0))
    });
    let service_name = |id: usize| agg.services.groups.get(id).map(|g| g.name.clone());
    let template_rows: Vec<TemplateRow> = templates
        .iter()
        .take(opts.top)
        .map(|(name, t)| TemplateRow {
            template: (*name).clone(),
            count: t.count,
            first_seen: ts_text(t.first_ts),
            last_seen: ts_text(t.last_ts),
            example_id: t.example.clone(),
            top_service: t
                .services
                .iter()
                .enumerate()
                .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
                .filter(|(_, n)| **n > 0)
                .and_then(|(i, _)| service_name(i)),
        })
        .collect();
    let top_error = template_rows.first().map(|t| TopError {
        message: t.template.clone(),
        count: t.count,
    });

    let mut breakdowns = vec![
        breakdown("service", &agg.services, total, opts.top),
        breakdown("source", &agg.sources, total, opts.top),
    ];
    for (name, groups) in opts.by.iter().zip(&agg.by) {
        breakdowns.push(breakdown(name, groups, total, opts.top));
    }

    let trends = match opts.window {
        (Some(_), _) if agg.prev.total > 0 => {
            let p = agg.prev;
            let prev_rate = if secs > 0.0 {
                p.total as f64 / secs
            } else {
                p.total as f64
            };
            Some(Trends {
                total_logs: Some(trend(total as f64, p.total as f64)),
                errors: Some(trend(errors as f64, p.errors as f64)),
                warnings: Some(trend(warnings as f64, p.warnings as f64)),
                error_rate: Some(trend(pct(errors, total), pct(p.errors, p.total))),
                avg_log_rate: Some(trend(avg_rate, prev_rate)),
            })
        }
        _ => None,
    };

    let insights = insight::find(agg, &buckets, &templates, opts);

    Report {
        total_logs: total,
        errors,
        warnings,
        error_rate: pct(errors, total),
        avg_log_rate: avg_rate,
        peak_log_rate: peak,
        top_error,
        volume_data,
        error_distribution: distribution(&agg.services, |g| g.errors),
        service_distribution: distribution(&agg.services, |g| g.count),
        level_breakdown,
        insights,
        span: Span {
            start: ts_text(opts.window.0.or(agg.first_ts)),
            end: ts_text(match opts.window {
                (Some(_), until) => Some(until.unwrap_or(opts.now_ns)),
                _ => agg.last_ts,
            }),
            seconds: secs,
        },
        interval_seconds: interval as f64 / 1e9,
        untimed: agg.untimed,
        trends,
        breakdowns,
        templates: template_rows,
        distinct_templates: agg.templates.len(),
        value: opts.value.as_ref().and_then(|_| ValueStats::of(&agg.value)),
        alerts: Vec::new(),
        rate_thresholds: (opts.rate_warn, opts.rate_crit),
        perf_sketch: perf_sketch(agg, opts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_interval_gives_at_most_60_round_buckets() {
        assert_eq!(choose_interval(30 * SEC, SEC), SEC);
        assert_eq!(choose_interval(3599 * SEC, SEC), 60 * SEC);
        assert_eq!(choose_interval(3600 * SEC, SEC), 120 * SEC);
        assert_eq!(choose_interval(8 * 3600 * SEC, 10 * SEC), 600 * SEC);
        assert_eq!(choose_interval(0, SEC), SEC);
        let n = choose_interval(40 * 364 * 86400 * SEC, SEC);
        assert!(40 * 364 * 86400 * SEC / n < MAX_VOLUME_BUCKETS);
    }
}
