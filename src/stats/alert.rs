//! `--alert` rules: `METRIC OP NUMBER[UNIT]`, checked against the report.
//!
//! Metrics: `count` (entries), `count(QUERY)` (entries matching a query, e.g.
//! `count(level:FATAL)`), `errors`, `warnings`, `error_rate` (percent), `rate` (average
//! entries per second), `peak_rate`, `insights` (how many were found), and
//! `p50(FIELD)`, `p90`, `p95`, `p99`, `min`, `max`, `mean` of the numeric field
//! (`--value`, else `duration_ms`). Operators: `>`, `>=`, `<`, `<=`, `==` (or `=`),
//! `!=`. Units: `%` (error_rate; a bare number means percent too), `/s`, `/m` or
//! `/min`, `/h` for rates. A syntax error points at the offending part with a caret.

use crate::query::QueryError;
use crate::stats::report::{AlertOutcome, Report};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Eq => (a - b).abs() < 1e-9,
            Op::Ne => (a - b).abs() >= 1e-9,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    Count,
    /// `count(QUERY)`: the query text and its index among the rule queries.
    CountQuery(String, usize),
    Errors,
    Warnings,
    ErrorRate,
    Rate,
    PeakRate,
    Insights,
    /// A quantile (0..=1), or min (-1), max (2), mean (-2), of a field.
    Value(f64, String),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub text: String,
    pub metric: Metric,
    pub op: Op,
    /// Threshold in the metric's base unit (percent for error_rate, per second for rates).
    pub threshold: f64,
}

fn err(span: (usize, usize), message: impl Into<String>) -> QueryError {
    QueryError {
        span,
        message: message.into(),
    }
}

/// Parses one rule; `queries` collects the `count(QUERY)` texts (their index is stored).
pub fn parse(text: &str, queries: &mut Vec<String>) -> Result<Rule, QueryError> {
    let b = text.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    let name = text[name_start..i].to_ascii_lowercase();
    if name.is_empty() {
        return Err(err(
            (name_start, name_start + 1),
            "expected a metric (count, errors, warnings, error_rate, rate, peak_rate, insights, p95(FIELD), count(QUERY))",
        ));
    }
    let name_span = (name_start, i);
    let mut arg: Option<(String, usize)> = None;
    skip_ws(&mut i);
    if i < b.len() && b[i] == b'(' {
        let open = i;
        let mut depth = 0;
        let mut quote = false;
        let mut close = None;
        for (j, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'"' => quote = !quote,
                b'(' if !quote => depth += 1,
                b')' if !quote => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            return Err(err((open, open + 1), "expected ')' to close '('"));
        };
        arg = Some((text[open + 1..close].to_string(), open + 1));
        i = close + 1;
    }
    let metric = match (name.as_str(), &arg) {
        ("count", None) => Metric::Count,
        ("count", Some((q, start))) => {
            // Check the query now so its error points into the rule.
            crate::query::parse(q)
                .map_err(|e| err((e.span.0 + start, e.span.1 + start), e.message))?;
            queries.push(q.clone());
            Metric::CountQuery(q.clone(), queries.len() - 1)
        }
        ("errors", None) => Metric::Errors,
        ("warnings", None) => Metric::Warnings,
        ("error_rate", None) => Metric::ErrorRate,
        ("rate" | "avg_rate", None) => Metric::Rate,
        ("peak_rate", None) => Metric::PeakRate,
        ("insights", None) => Metric::Insights,
        (q @ ("p50" | "p90" | "p95" | "p99" | "min" | "max" | "mean"), Some((field, start))) => {
            let field = field.trim();
            if field.is_empty() {
                return Err(err(
                    (*start, start + 1),
                    format!("expected a field name in {q}(...)"),
                ));
            }
            let which = match q {
                "min" => -1.0,
                "max" => 2.0,
                "mean" => -2.0,
                _ => q[1..].parse::<f64>().unwrap_or(50.0) / 100.0,
            };
            Metric::Value(which, field.to_string())
        }
        (_, Some(_))
            if matches!(
                name.as_str(),
                "errors"
                    | "warnings"
                    | "error_rate"
                    | "rate"
                    | "avg_rate"
                    | "peak_rate"
                    | "insights"
            ) =>
        {
            return Err(err(name_span, format!("{name} takes no argument")));
        }
        (q @ ("p50" | "p90" | "p95" | "p99" | "min" | "max" | "mean"), None) => {
            return Err(err(
                name_span,
                format!("{q} needs a field: {q}(duration_ms)"),
            ));
        }
        _ => return Err(err(name_span, format!("unknown metric '{name}'"))),
    };
    skip_ws(&mut i);
    let op_start = i;
    let op = match (b.get(i), b.get(i + 1)) {
        (Some(b'>'), Some(b'=')) => Op::Ge,
        (Some(b'<'), Some(b'=')) => Op::Le,
        (Some(b'='), Some(b'=')) => Op::Eq,
        (Some(b'!'), Some(b'=')) => Op::Ne,
        (Some(b'>'), _) => Op::Gt,
        (Some(b'<'), _) => Op::Lt,
        (Some(b'='), _) => Op::Eq,
        _ => {
            return Err(err(
                (op_start, op_start + 1),
                "expected an operator (>, >=, <, <=, ==, !=)",
            ))
        }
    };
    i += if matches!(op, Op::Gt | Op::Lt) || (op == Op::Eq && b.get(i + 1) != Some(&b'=')) {
        1
    } else {
        2
    };
    skip_ws(&mut i);
    let num_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    let Ok(mut threshold) = text[num_start..i].parse::<f64>() else {
        return Err(err((num_start, num_start + 1), "expected a number"));
    };
    skip_ws(&mut i);
    let unit_start = i;
    let unit = text[i..].trim_end();
    let rate = matches!(metric, Metric::Rate | Metric::PeakRate);
    match unit {
        "" => {}
        "%" if metric == Metric::ErrorRate => {}
        "/s" | "/sec" if rate => {}
        "/m" | "/min" if rate => threshold /= 60.0,
        "/h" if rate => threshold /= 3600.0,
        _ => {
            let hint = match metric {
                Metric::ErrorRate => "expected '%' or nothing",
                Metric::Rate | Metric::PeakRate => "expected '/s', '/m' or '/h'",
                _ => "expected nothing after the number",
            };
            return Err(err((unit_start, text.len().max(unit_start + 1)), hint));
        }
    }
    Ok(Rule {
        text: text.trim().to_string(),
        metric,
        op,
        threshold,
    })
}

/// The rule's current value and a phrase describing it.
fn measure(rule: &Rule, report: &Report, counts: &[u64]) -> Option<(f64, String)> {
    Some(match &rule.metric {
        Metric::Count => (
            report.total_logs as f64,
            format!("{} entries", report.total_logs),
        ),
        Metric::CountQuery(q, i) => {
            let n = *counts.get(*i)?;
            (n as f64, format!("{n} entries match {q}"))
        }
        Metric::Errors => (report.errors as f64, format!("{} errors", report.errors)),
        Metric::Warnings => (
            report.warnings as f64,
            format!("{} warnings", report.warnings),
        ),
        Metric::ErrorRate => (
            report.error_rate,
            format!(
                "error rate is {:.2}% ({} of {} entries)",
                report.error_rate, report.errors, report.total_logs
            ),
        ),
        Metric::Rate => (
            report.avg_log_rate,
            format!("average rate is {:.2}/s", report.avg_log_rate),
        ),
        Metric::PeakRate => (
            report.peak_log_rate,
            format!("peak rate is {:.2}/s", report.peak_log_rate),
        ),
        Metric::Insights => (
            report.insights.len() as f64,
            format!("{} insight(s)", report.insights.len()),
        ),
        Metric::Value(_, field) => {
            let v = value_of(rule, report)?;
            (
                v,
                format!("{} of {field} is {v:.2}", metric_name(&rule.metric)),
            )
        }
    })
}

fn metric_name(m: &Metric) -> String {
    match m {
        Metric::Value(q, _) if *q == -1.0 => "min".into(),
        Metric::Value(q, _) if *q == 2.0 => "max".into(),
        Metric::Value(q, _) if *q == -2.0 => "mean".into(),
        Metric::Value(q, _) => format!("p{:.0}", q * 100.0),
        _ => String::new(),
    }
}

fn value_of(rule: &Rule, report: &Report) -> Option<f64> {
    let Metric::Value(q, _) = rule.metric else {
        return None;
    };
    let s = report.perf_sketch.as_ref()?;
    if q == -1.0 {
        s.min()
    } else if q == 2.0 {
        s.max()
    } else if q == -2.0 {
        s.mean()
    } else {
        s.quantile(q)
    }
}

/// Checks every rule; returns the outcomes (a rule without data does not fire).
pub fn check(rules: &[Rule], report: &Report, counts: &[u64]) -> Vec<AlertOutcome> {
    rules
        .iter()
        .map(|rule| match measure(rule, report, counts) {
            Some((value, what)) => {
                let fired = rule.op.holds(value, rule.threshold);
                AlertOutcome {
                    rule: rule.text.clone(),
                    fired,
                    value,
                    reason: format!(
                        "{what} ({} {} {})",
                        if fired { "is" } else { "is not" },
                        rule.op.text(),
                        trim_num(rule.threshold)
                    ),
                }
            }
            None => AlertOutcome {
                rule: rule.text.clone(),
                fired: false,
                value: f64::NAN,
                reason: "no values to compare".to_string(),
            },
        })
        .collect()
}

fn trim_num(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Rule, QueryError> {
        parse(s, &mut Vec::new())
    }

    #[test]
    fn rules_parse() {
        let r = p("error_rate > 5%").unwrap();
        assert_eq!(
            (r.metric, r.op, r.threshold),
            (Metric::ErrorRate, Op::Gt, 5.0)
        );
        let r = p("rate < 600/m").unwrap();
        assert_eq!((r.metric, r.op, r.threshold), (Metric::Rate, Op::Lt, 10.0));
        let mut qs = Vec::new();
        let r = parse("count(level:FATAL) > 0", &mut qs).unwrap();
        assert_eq!(r.metric, Metric::CountQuery("level:FATAL".into(), 0));
        assert_eq!(qs, ["level:FATAL"]);
        let r = p("count((a OR b) \"x)\") >= 2").unwrap();
        assert!(matches!(r.metric, Metric::CountQuery(ref q, _) if q == "(a OR b) \"x)\""));
        assert_eq!(r.op, Op::Ge);
        let r = p("p95(duration_ms) >= 1000").unwrap();
        assert_eq!(r.metric, Metric::Value(0.95, "duration_ms".into()));
        assert_eq!(p("errors==3").unwrap().op, Op::Eq);
        assert_eq!(p("errors != 3").unwrap().op, Op::Ne);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            ("error_rate >> 5", 12, "expected a number"),
            ("bogus > 1", 0, "unknown metric 'bogus'"),
            (
                "error_rate 5",
                11,
                "expected an operator (>, >=, <, <=, ==, !=)",
            ),
            ("count(level:ERROR > 1", 5, "expected ')' to close '('"),
            ("rate > 5 apples", 9, "expected '/s', '/m' or '/h'"),
            ("count(level:) > 1", 6, "expected a value after 'level:'"),
            ("", 0, "expected a metric"),
        ];
        for (rule, col, msg) in cases {
            let e = p(rule).expect_err(rule);
            assert_eq!(e.span.0, col, "{rule}: {e:?}");
            assert!(e.message.starts_with(msg), "{rule}: {}", e.message);
        }
    }
}
