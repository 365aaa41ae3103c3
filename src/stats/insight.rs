//! Insights: the seed's four kinds, each backed by a stated test so that calm data
//! reports nothing. All work on the volume chart's buckets; the "latest part" is the
//! last quarter of them (at least one; insights that compare parts need 4 buckets).
//! Each p-value is multiplied by the number of things tested within its kind and by
//! the number of kinds (Bonferroni over every test the report makes); the confidence
//! is `100 * (1 - adjusted p)`, rounded down to one decimal, at most 99.9. A finding is
//! reported when its confidence is at least `--min-confidence` (default 99.0) and its
//! effect is large enough to matter. So on calm data the chance that a report holds
//! any insight at confidence `c` or more is at most `1 - c / 100`.
//!
//! - error_spike: bucket `i` with `n` entries and `e` errors against the median
//!   per-bucket error rate `p0`: binomial tail `P(X >= e | n, p0)`, tested over every
//!   bucket; needs `e >= 1.5 n p0` and `e >= 5`. Adjacent flagged buckets form one spike;
//!   the service named is the one with the largest excess over its own error rate.
//! - new_error: a template first seen in the latest part, which covers a fraction `f`
//!   of the time: if it had occurred at a constant rate, all of its `n` occurrences
//!   falling there has probability `f^n`, tested over every template; needs `n >= 3`.
//! - performance_degradation: at each of the p90, p95 and p99 of both parts together,
//!   `c`, the share of latest values above `c` against the earlier share: one-sided
//!   two-proportion z-test, tested over the 3 quantiles; needs the latest p95 at least
//!   1.2 x the earlier p95 and 30 values in each part.
//! - unusual_pattern: a service's or source's share of entries, or the WARN level's,
//!   earlier vs latest part (spike buckets left out): two-proportion z-test, two-sided,
//!   tested over every service, source and the level; needs a change of at least 1.25x
//!   and 2 percentage points.

use serde::Serialize;

use crate::format::timestamp;
use crate::sink::sanitize::shell_word;
use crate::stats::agg::{Agg, Bucket, Template, TRACKED};
use crate::stats::options::ReportOptions;
use crate::stats::sketch::Sketch;
use crate::stats::stat::{binomial_sf, normal_two_sided};
use crate::stats::template::HOLE;

/// The default `--min-confidence`, percent.
pub const MIN_CONFIDENCE: f64 = 99.0;
/// The number of insight kinds; every p-value is also multiplied by it.
pub const KINDS: f64 = 4.0;

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub label: String,
    pub command: String,
}

#[derive(Debug, Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Insight {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// Percent.
    pub confidence: f64,
    pub actions: Vec<Action>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub service: Option<String>,
    /// The adjusted p-value behind the confidence.
    pub p_value: f64,
}

/// `p` tested `tests` times within a kind, adjusted for every test of every kind.
fn adjust(p: f64, tests: f64) -> f64 {
    (p * tests.max(1.0) * KINDS).clamp(0.0, 1.0)
}

/// Percent, rounded down to one decimal, at most 99.9 (a test never gives certainty).
pub fn confidence(p_adj: f64) -> f64 {
    (((1.0 - p_adj.clamp(0.0, 1.0)) * 1000.0).floor() / 10.0).min(99.9)
}

/// Whether an adjusted p-value is strong enough to report.
fn reported(p_adj: f64, opts: &ReportOptions) -> bool {
    confidence(p_adj) >= opts.min_confidence
}

fn t(ts: i64) -> String {
    timestamp::format_rfc3339_ms(ts)
}

fn command(
    sub: &str,
    query: &str,
    since: Option<i64>,
    until: Option<i64>,
    opts: &ReportOptions,
) -> String {
    let mut c = format!("covet-logs {sub} ");
    if sub == "stats" {
        c.push_str("-q ");
    }
    c.push_str(&shell_word(query));
    if let Some(s) = since {
        c.push_str(&format!(" --since {}", t(s)));
    }
    if let Some(u) = until {
        c.push_str(&format!(" --until {}", t(u)));
    }
    for p in &opts.paths {
        c.push(' ');
        c.push_str(&shell_word(p));
    }
    c
}

/// A value usable inside a query (`service:NAME`), quoted when needed.
fn query_value(v: &str) -> String {
    if v.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !v.is_empty()
    {
        v.to_string()
    } else {
        format!("\"{}\"", v.replace(['"', '\\'], ""))
    }
}

/// Finds every insight; `templates` are sorted by count.
pub fn find(
    agg: &Agg,
    buckets: &[(i64, Bucket)],
    templates: &[(&String, &Template)],
    opts: &ReportOptions,
) -> Vec<Insight> {
    let mut out = Vec::new();
    if buckets.len() < 4 {
        return out;
    }
    let interval = buckets[1].0 - buckets[0].0;
    let spikes = error_spikes(agg, buckets, interval, opts, &mut out);
    let latest = (buckets.len() / 4).max(1);
    let split = buckets.len() - latest;
    new_errors(agg, buckets[split].0, templates, opts, &mut out);
    performance(buckets, split, opts, &mut out);
    unusual(agg, buckets, split, &spikes, opts, &mut out);
    out.sort_by(|a, b| a.p_value.total_cmp(&b.p_value));
    out
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Flags spike buckets and reports runs of them; returns the flagged bucket indexes.
fn error_spikes(
    agg: &Agg,
    buckets: &[(i64, Bucket)],
    interval: i64,
    opts: &ReportOptions,
    out: &mut Vec<Insight>,
) -> Vec<bool> {
    let nb = buckets.len();
    let mut flagged = vec![false; nb];
    let mut pvals = vec![1.0; nb];
    let rates: Vec<f64> = buckets
        .iter()
        .filter(|(_, b)| b.total > 0)
        .map(|(_, b)| b.errors as f64 / b.total as f64)
        .collect();
    let mut p0 = median(rates).unwrap_or(0.0);
    if p0 <= 0.0 {
        p0 = if agg.total > 0 {
            agg.errors() as f64 / agg.total as f64 / 2.0
        } else {
            0.0
        };
    }
    if p0 <= 0.0 || p0 >= 1.0 {
        return flagged;
    }
    for (i, (_, b)) in buckets.iter().enumerate() {
        let expected = b.total as f64 * p0;
        if b.errors >= 5 && b.errors as f64 >= 1.5 * expected {
            let p = adjust(binomial_sf(b.errors, b.total, p0), nb as f64);
            pvals[i] = p;
            flagged[i] = reported(p, opts);
        }
    }
    let mut i = 0;
    while i < nb {
        if !flagged[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < nb && flagged[i] {
            i += 1;
        }
        let run = &buckets[start..i];
        let p = pvals[start..i].iter().copied().fold(1.0, f64::min);
        let (from, to) = (run[0].0, run[run.len() - 1].0 + interval);
        let n: u64 = run.iter().map(|(_, b)| b.total).sum();
        let e: u64 = run.iter().map(|(_, b)| b.errors).sum();
        // The service with the largest excess over its own error rate elsewhere.
        let mut best: Option<(f64, usize, u64)> = None;
        for (s, g) in agg.services.groups.iter().enumerate().take(TRACKED) {
            let es: u64 = run
                .iter()
                .map(|(_, b)| b.service_errors.get(s).copied().unwrap_or(0))
                .sum();
            let ns: u64 = run
                .iter()
                .map(|(_, b)| b.services.get(s).copied().unwrap_or(0))
                .sum();
            let rest_n = g.count.saturating_sub(ns);
            let rate = if rest_n > 0 {
                g.errors.saturating_sub(es) as f64 / rest_n as f64
            } else {
                p0
            };
            let excess = es as f64 - ns as f64 * rate;
            if best.is_none_or(|(x, _, _)| excess > x) {
                best = Some((excess, s, es));
            }
        }
        let service = best
            .filter(|(x, _, _)| *x > 0.0)
            .map(|(_, s, es)| (agg.services.groups[s].name.clone(), es));
        let query = match &service {
            Some((name, _)) => format!("level:>=ERROR service:{}", query_value(name)),
            None => "level:>=ERROR".to_string(),
        };
        let who = service.as_ref().map_or(String::new(), |(name, es)| {
            format!("; {name} accounts for {es} of them")
        });
        out.push(Insight {
            kind: "error_spike",
            title: format!(
                "Error spike{} at {} to {}",
                service.as_ref().map_or(String::new(), |(n, _)| format!(" in {n}")),
                t(from),
                t(to)
            ),
            description: format!(
                "{e} ERROR/FATAL entries of {n} where about {:.0} were expected at the usual error rate of {:.2}%{who}. Binomial tail probability {:.1e} after testing {nb} buckets and {KINDS} kinds.",
                n as f64 * p0,
                p0 * 100.0,
                p.min(1.0)
            ),
            confidence: confidence(p),
            actions: vec![Action {
                label: "Find the errors".into(),
                command: command("search", &query, Some(from), Some(to), opts),
            }],
            start: Some(t(from)),
            end: Some(t(to)),
            service: service.map(|(n, _)| n),
            p_value: p.min(1.0),
        });
    }
    flagged
}

/// The longest literal piece of a template, for a search phrase.
fn phrase(template: &str) -> Option<String> {
    template
        .split(HOLE)
        .map(|s| s.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|s| !s.contains(['"', '\\']))
        .max_by_key(|s| s.len())
        .filter(|s| s.len() >= 3)
        .map(str::to_string)
}

fn new_errors(
    agg: &Agg,
    split_ts: i64,
    templates: &[(&String, &Template)],
    opts: &ReportOptions,
    out: &mut Vec<Insight>,
) {
    let (Some(first), Some(last)) = (agg.first_ts, agg.last_ts) else {
        return;
    };
    if last <= first || split_ts <= first {
        return;
    }
    let f = ((last - split_ts) as f64 / (last - first) as f64).clamp(1e-9, 1.0);
    let m = templates.len() as f64;
    for (name, tpl) in templates {
        let Some(seen) = tpl.first_ts else { continue };
        if seen < split_ts || tpl.count < 3 {
            continue;
        }
        let p = adjust(f.powf(tpl.count as f64), m);
        if !reported(p, opts) {
            continue;
        }
        let query = match phrase(name) {
            Some(ph) => format!("level:>=ERROR \"{ph}\""),
            None => "level:>=ERROR".to_string(),
        };
        out.push(Insight {
            kind: "new_error",
            title: format!("New error: {name}"),
            description: format!(
                "First seen at {}, {} times since, never in the {:.0}% of the time before. At a constant rate, all {} falling in the last {:.0}% of the time has probability {:.1e} (after testing {} templates and {KINDS} kinds).",
                t(seen),
                tpl.count,
                (1.0 - f) * 100.0,
                tpl.count,
                f * 100.0,
                p,
                templates.len()
            ),
            confidence: confidence(p),
            actions: vec![Action {
                label: "Find these errors".into(),
                command: command("search", &query, Some(seen), None, opts),
            }],
            start: Some(t(seen)),
            end: tpl.last_ts.map(t),
            service: None,
            p_value: p,
        });
    }
}

/// The pooled quantiles `performance_degradation` compares the parts at.
const PERF_QUANTILES: [f64; 3] = [0.9, 0.95, 0.99];

/// One-sided p-value that the share `k / n` exceeds `x / n1` (two-proportion z-test).
fn upper_z(x: u64, n1: u64, k: u64, n: u64) -> f64 {
    let (a, b) = (x as f64 / n1 as f64, k as f64 / n as f64);
    let pooled = (x + k) as f64 / (n1 + n) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n as f64)).sqrt();
    if se <= 0.0 || b <= a {
        return 1.0;
    }
    normal_two_sided((b - a) / se) / 2.0
}

fn performance(
    buckets: &[(i64, Bucket)],
    split: usize,
    opts: &ReportOptions,
    out: &mut Vec<Insight>,
) {
    let Some(field) = &opts.perf else { return };
    let mut before = Sketch::new();
    let mut latest = Sketch::new();
    for (i, (_, b)) in buckets.iter().enumerate() {
        if let Some(s) = &b.perf {
            if i < split {
                before.merge(s);
            } else {
                latest.merge(s);
            }
        }
    }
    if before.count() < 30 || latest.count() < 30 {
        return;
    }
    let (Some(q), Some(q2)) = (before.quantile(0.95), latest.quantile(0.95)) else {
        return;
    };
    if q <= 0.0 || q2 < 1.2 * q {
        return;
    }
    // Each pooled quantile c: x of the earlier n1 values above it against k of the
    // latest n; under no change the parts are exchangeable (one-sided z-test).
    let mut pooled = before.clone();
    pooled.merge(&latest);
    let (n1, n) = (before.count(), latest.count());
    let mut best: Option<(f64, f64, u64, u64, f64)> = None;
    for quant in PERF_QUANTILES {
        let Some(c) = pooled.quantile(quant) else {
            continue;
        };
        let (x, k) = (before.count_above(c), latest.count_above(c));
        let p = upper_z(x, n1, k, n);
        if best.is_none_or(|b| p < b.0) {
            best = Some((p, c, x, k, quant));
        }
    }
    let Some((p, c, x, k, quant)) = best else {
        return;
    };
    let p = adjust(p, PERF_QUANTILES.len() as f64);
    if !reported(p, opts) {
        return;
    }
    let from = buckets[split].0;
    out.push(Insight {
        kind: "performance_degradation",
        title: format!("{field} p95 rose from {q:.0} to {q2:.0}"),
        description: format!(
            "Since {}, {k} of {n} values of {field} are above {c:.0} (the p{:.0} of all), against {x} of {n1} before. One-sided two-proportion p = {p:.1e} after testing {} quantiles and {KINDS} kinds.",
            t(from),
            quant * 100.0,
            PERF_QUANTILES.len()
        ),
        confidence: confidence(p),
        actions: vec![Action {
            label: "Find the slow entries".into(),
            command: command("search", &format!("{field}:>{q:.0}"), Some(from), None, opts),
        }],
        start: Some(t(from)),
        end: None,
        service: None,
        p_value: p,
    });
}

fn unusual(
    agg: &Agg,
    buckets: &[(i64, Bucket)],
    split: usize,
    spikes: &[bool],
    opts: &ReportOptions,
    out: &mut Vec<Insight>,
) {
    let parts = |pick: fn(&Bucket) -> &Vec<u64>, id: usize| -> (u64, u64) {
        let mut c = (0, 0);
        for (i, (_, b)) in buckets.iter().enumerate() {
            if spikes[i] {
                continue;
            }
            let n = pick(b).get(id).copied().unwrap_or(0);
            if i < split {
                c.0 += n
            } else {
                c.1 += n
            }
        }
        c
    };
    let (mut n1, mut n2) = (0u64, 0u64);
    for (i, (_, b)) in buckets.iter().enumerate() {
        if spikes[i] {
            continue;
        }
        if i < split {
            n1 += b.total
        } else {
            n2 += b.total
        }
    }
    if n1 < 100 || n2 < 100 {
        return;
    }
    let svc = agg.services.groups.len().min(TRACKED);
    let src = agg.sources.groups.len().min(TRACKED);
    let m = (svc + src + 1) as f64;
    let from = buckets[split].0;
    let mut check = |kind: &str, name: &str, (c1, c2): (u64, u64)| {
        if c1 + c2 < 20 {
            return;
        }
        let (s1, s2) = (c1 as f64 / n1 as f64, c2 as f64 / n2 as f64);
        let pooled = (c1 + c2) as f64 / (n1 + n2) as f64;
        let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
        if se <= 0.0 {
            return;
        }
        let z = (s2 - s1) / se;
        let p = adjust(normal_two_sided(z), m);
        let big = (s2 - s1).abs() >= 0.02 && (s2 >= 1.25 * s1 || s2 * 1.25 <= s1);
        if !reported(p, opts) || !big {
            return;
        }
        let dir = if s2 > s1 { "rose" } else { "fell" };
        out.push(Insight {
            kind: "unusual_pattern",
            title: format!(
                "{kind} {name}: share of entries {dir} from {:.1}% to {:.1}%",
                s1 * 100.0,
                s2 * 100.0
            ),
            description: format!(
                "Since {}, {c2} of {n2} entries come from {kind} {name}, against {c1} of {n1} before. Two-proportion z = {z:.1}, p = {p:.1e} after testing {m} services, sources and levels and {KINDS} kinds.",
                t(from)
            ),
            confidence: confidence(p),
            actions: vec![Action {
                label: format!("Summarize {kind} {name}"),
                command: command("stats", &format!("{kind}:{}", query_value(name)), Some(from), None, opts),
            }],
            start: Some(t(from)),
            end: None,
            service: (kind == "service").then(|| name.to_string()),
            p_value: p.min(1.0),
        });
    };
    for s in 0..svc {
        let c = parts(|b| &b.services, s);
        check("service", &agg.services.groups[s].name, c);
    }
    for s in 0..src {
        let c = parts(|b| &b.sources, s);
        check("source", &agg.sources.groups[s].name, c);
    }
    let mut warn = (0, 0);
    for (i, (_, b)) in buckets.iter().enumerate() {
        if spikes[i] {
            continue;
        }
        if i < split {
            warn.0 += b.warnings
        } else {
            warn.1 += b.warnings
        }
    }
    check("level", "WARN", warn);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_and_quoting() {
        assert_eq!(
            phrase("Failed to process request: timeout after <*>s").as_deref(),
            Some("Failed to process request: timeout after")
        );
        assert_eq!(phrase("<*> <*>"), None);
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(query_value("covet-db"), "covet-db");
        assert_eq!(query_value("a b"), "\"a b\"");
    }

    #[test]
    fn confidence_is_one_minus_adjusted_p_rounded_down() {
        let table = [
            (0.0, 99.9),
            (1e-12, 99.9),
            (0.0004, 99.9),
            (0.001, 99.9),
            (0.0011, 99.8),
            (0.0049, 99.5),
            (0.0099, 99.0),
            (0.0101, 98.9),
            (0.05, 95.0),
            (0.5, 50.0),
            (1.0, 0.0),
            (3.0, 0.0),
        ];
        for (p, want) in table {
            assert_eq!(confidence(p), want, "p {p}");
        }
        // Every test of every kind counts: 10 buckets x 4 kinds.
        assert_eq!(adjust(1e-4, 10.0), 4e-3);
        assert_eq!(adjust(0.2, 10.0), 1.0);
    }
}
