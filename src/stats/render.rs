//! The terminal dashboard: cards, the volume sparkline, breakdown tables with bars, top
//! error templates, insights and alert lines, fitted to the terminal width. Colors only
//! when asked; every string that came from a log is sanitized before it is printed.

use std::fmt::Write as _;

use crate::format::timestamp;
use crate::sink::sanitize::sanitize;
use crate::stats::report::{Breakdown, DistributionData, Report, Trend, ValueStats};

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const BAR: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// How to draw.
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    fn paint(&self, s: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The terminal width of stdout, else `COLUMNS`, else 100; clamped to 60..=200.
pub fn terminal_width() -> usize {
    let mut w = 0usize;
    // SAFETY: TIOCGWINSZ only writes a winsize struct we own.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) == 0 {
            w = ws.ws_col as usize;
        }
    }
    if w == 0 {
        w = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100);
    }
    w.clamp(60, 200)
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value in at most eight columns: fixed point for everyday magnitudes, scientific
/// notation for huge or tiny ones (a `--value` of 1e23 must not widen the table).
fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 1e7 || (a > 0.0 && a < 0.01) {
        (0..=2)
            .rev()
            .map(|p| format!("{v:.p$e}"))
            .find(|s| s.len() <= 8)
            .unwrap_or_else(|| format!("{v:.0e}"))
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn duration(secs: f64) -> String {
    let s = secs.round() as u64;
    match s {
        0..=119 => format!("{secs:.1}s"),
        120..=7199 => format!("{}m{:02}s", s / 60, s % 60),
        7200..=172_799 => format!("{}h{:02}m", s / 3600, s / 60 % 60),
        _ => format!("{}d{:02}h", s / 86400, s / 3600 % 24),
    }
}

fn when(rfc: &Option<String>) -> String {
    rfc.as_deref()
        .map(|s| s.replacen('T', " ", 1).trim_end_matches('Z').to_string())
        .unwrap_or_else(|| "-".to_string())
}

fn trend_text(t: Option<Trend>, style: &Style, up_is_bad: bool) -> String {
    let Some(t) = t else {
        return String::new();
    };
    match t.change_percent {
        None => "new".to_string(),
        Some(c) if c.abs() < 0.05 => "= 0%".to_string(),
        Some(c) => {
            let arrow = if c > 0.0 { "▲" } else { "▼" };
            let s = format!("{arrow} {c:+.1}%");
            if up_is_bad == (c > 0.0) {
                style.paint(&s, "31")
            } else {
                style.paint(&s, "32")
            }
        }
    }
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.chars().take(w).collect()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// Visible width of a string that may hold ANSI color codes.
fn visible(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            esc = c != 'm';
        } else if c == '\x1b' {
            esc = true;
        } else {
            n += 1;
        }
    }
    n
}

fn pad_visible(s: &str, w: usize) -> String {
    let n = visible(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

fn bar(frac: f64, width: usize) -> String {
    let eighths = (frac.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(BAR[eighths % 8 - 1]);
    }
    s
}

fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else if max == 0 {
                SPARK[0]
            } else {
                SPARK[((v as f64 / max as f64) * 7.0).round() as usize]
            }
        })
        .collect()
}

/// Draws the whole dashboard.
pub fn render(r: &Report, style: &Style) -> String {
    let mut o = String::new();
    let w = style.width;
    let title = style.paint("covet-logs stats", "1");
    let _ = writeln!(
        o,
        "{title}  {} → {}  ({})",
        when(&r.span.start),
        when(&r.span.end),
        duration(r.span.seconds)
    );
    o.push('\n');
    cards(&mut o, r, style);
    volume(&mut o, r, style);
    let level_rows: Vec<DistributionData> = r.level_breakdown.clone();
    table_dist(&mut o, "Levels", &level_rows, r.total_logs, style);
    for b in &r.breakdowns {
        table_breakdown(&mut o, b, r, style);
    }
    templates(&mut o, r, style, w);
    insights(&mut o, r, style, w);
    o
}

fn cards(o: &mut String, r: &Report, style: &Style) {
    let t = r.trends.clone().unwrap_or_default();
    let (warn, crit) = r.rate_thresholds;
    let rate = format!("{:.2}%", r.error_rate);
    let rate = if r.error_rate >= crit {
        style.paint(&rate, "1;31")
    } else if r.error_rate >= warn {
        style.paint(&rate, "33")
    } else {
        style.paint(&rate, "32")
    };
    let cards: Vec<(&str, String, String)> = vec![
        (
            "Total",
            thousands(r.total_logs),
            trend_text(t.total_logs, style, false),
        ),
        (
            "Errors",
            style.paint(&thousands(r.errors), "31"),
            trend_text(t.errors, style, true),
        ),
        (
            "Warnings",
            style.paint(&thousands(r.warnings), "33"),
            trend_text(t.warnings, style, true),
        ),
        ("Error rate", rate, trend_text(t.error_rate, style, true)),
        (
            "Avg rate",
            format!("{}/s", num(r.avg_log_rate)),
            trend_text(t.avg_log_rate, style, false),
        ),
        (
            "Peak rate",
            format!("{}/s", num(r.peak_log_rate)),
            String::new(),
        ),
    ];
    let per_row = if style.width >= 6 * 16 { 6 } else { 3 };
    let cw = (style.width / per_row).clamp(12, 24);
    for row in cards.chunks(per_row) {
        let mut l1 = String::new();
        let mut l2 = String::new();
        let mut l3 = String::new();
        for (name, value, trend) in row {
            l1.push_str(&pad_visible(&style.paint(name, "2"), cw));
            l2.push_str(&pad_visible(value, cw));
            l3.push_str(&pad_visible(trend, cw));
        }
        let _ = writeln!(o, "{}", l1.trim_end());
        let _ = writeln!(o, "{}", l2.trim_end());
        if !l3.trim().is_empty() {
            let _ = writeln!(o, "{}", l3.trim_end());
        }
    }
    if let Some(top) = &r.top_error {
        let _ = writeln!(
            o,
            "{} {} × {}",
            style.paint("Top error", "2"),
            thousands(top.count),
            sanitize(&top.message)
        );
    }
    o.push('\n');
}

fn volume(o: &mut String, r: &Report, style: &Style) {
    if r.volume_data.is_empty() {
        return;
    }
    let avail = style.width.saturating_sub(10).max(10);
    // More buckets than columns: merge neighbours for drawing only.
    let per = r.volume_data.len().div_ceil(avail);
    let mut totals = Vec::new();
    let mut errors = Vec::new();
    for chunk in r.volume_data.chunks(per) {
        totals.push(chunk.iter().map(|d| d.value).sum::<u64>());
        errors.push(chunk.iter().map(|d| d.errors).sum::<u64>());
    }
    let max = totals.iter().copied().max().unwrap_or(0);
    let max_e = errors.iter().copied().max().unwrap_or(0);
    let _ = writeln!(
        o,
        "{}  {} buckets of {}, max {} entries, {} errors per bucket",
        style.paint("Volume", "1"),
        r.volume_data.len(),
        duration(r.interval_seconds),
        thousands(max),
        thousands(max_e)
    );
    let _ = writeln!(o, " entries {}", style.paint(&sparkline(&totals), "34"));
    let _ = writeln!(o, " errors  {}", style.paint(&sparkline(&errors), "31"));
    let first = r.volume_data.first().map(|d| d.ts).unwrap_or(0);
    let last = r.volume_data.last().map(|d| d.ts).unwrap_or(0);
    let a = timestamp::format_display(first, false);
    let b = timestamp::format_display(last, false);
    let a = &a[..a.len().saturating_sub(4)];
    let b = &b[..b.len().saturating_sub(4)];
    let gap = totals.len().saturating_sub(a.len() + b.len()).max(1);
    let _ = writeln!(o, "         {a}{}{b}", " ".repeat(gap));
    o.push('\n');
}

fn header(o: &mut String, title: &str, name_w: usize, value: bool, style: &Style) {
    let mut h = format!("{}{:>10} {:>6}  ", pad(title, name_w), "count", "share");
    if value {
        for c in ["min", "mean", "p50", "p95", "p99", "max"] {
            let _ = write!(h, "{c:>8}");
        }
    }
    let _ = writeln!(o, "{}", style.paint(h.trim_end(), "1"));
}

fn table_dist(o: &mut String, title: &str, rows: &[DistributionData], total: u64, style: &Style) {
    if rows.is_empty() {
        return;
    }
    let name_w = 24;
    header(o, title, name_w, false, style);
    let bar_w = style.width.saturating_sub(name_w + 20).clamp(5, 40);
    for d in rows {
        let color = match d.name.as_str() {
            "FATAL" => "1;31",
            "ERROR" => "31",
            "WARN" => "33",
            "INFO" => "34",
            _ => "2",
        };
        let _ = writeln!(
            o,
            " {}{:>9} {:>5.1}%  {}",
            pad(&sanitize(&d.name), name_w - 1),
            thousands(d.value),
            d.percentage,
            style.paint(&bar(d.value as f64 / total.max(1) as f64, bar_w), color)
        );
    }
    o.push('\n');
}

fn table_breakdown(o: &mut String, b: &Breakdown, r: &Report, style: &Style) {
    if b.groups.is_empty() {
        return;
    }
    let value = b.groups.iter().any(|g| g.value.is_some());
    let title = if b.distinct > b.groups.len() {
        format!("By {} (top {} of {})", b.field, b.groups.len(), b.distinct)
    } else {
        format!("By {}", b.field)
    };
    // Wide enough for the title; long field names widen the name column.
    let name_w = (title.chars().count() + 1).clamp(24, 48);
    header(o, &title, name_w, value, style);
    let bar_w = style
        .width
        .saturating_sub(name_w + 20 + if value { 48 } else { 0 })
        .clamp(5, 40);
    let top = b.groups.first().map_or(1, |g| g.count).max(1);
    for g in &b.groups {
        let mut line = format!(
            " {}{:>9} {:>5.1}%  ",
            pad(&sanitize(&g.name), name_w - 1),
            thousands(g.count),
            g.share
        );
        if value {
            match &g.value {
                Some(ValueStats {
                    min,
                    mean,
                    p50,
                    p95,
                    p99,
                    max,
                    ..
                }) => {
                    for v in [min, mean, p50, p95, p99, max] {
                        let _ = write!(line, "{:>8}", num(*v));
                    }
                }
                None => line.push_str(&" ".repeat(48)),
            }
            line.push_str("  ");
        }
        let _ = writeln!(
            o,
            "{line}{}",
            style.paint(&bar(g.count as f64 / top as f64, bar_w), "34")
        );
    }
    let _ = r;
    o.push('\n');
}

fn templates(o: &mut String, r: &Report, style: &Style, w: usize) {
    if r.templates.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "{}  {} distinct templates",
        style.paint("Top errors", "1"),
        thousands(r.distinct_templates as u64)
    );
    for t in &r.templates {
        let text: String = sanitize(&t.template)
            .chars()
            .take(w.saturating_sub(12))
            .collect();
        let _ = writeln!(
            o,
            " {:>8} × {}",
            thousands(t.count),
            style.paint(&text, "31")
        );
        let _ = writeln!(
            o,
            "            {}first {}  last {}  e.g. {}",
            t.top_service
                .as_ref()
                .map_or(String::new(), |s| format!("{}  ", sanitize(s))),
            when(&t.first_seen),
            when(&t.last_seen),
            sanitize(&t.example_id)
        );
    }
    o.push('\n');
}

fn insights(o: &mut String, r: &Report, style: &Style, _w: usize) {
    let _ = writeln!(o, "{}", style.paint("Insights", "1"));
    if r.insights.is_empty() {
        let _ = writeln!(o, " none: nothing unusual by the tests in the README\n");
        return;
    }
    for i in &r.insights {
        let _ = writeln!(
            o,
            " {} {} {}",
            style.paint("●", "33"),
            style.paint(&format!("[{} {:.1}%]", i.kind, i.confidence), "2"),
            sanitize(&i.title)
        );
        let _ = writeln!(o, "   {}", sanitize(&i.description));
        for a in &i.actions {
            let _ = writeln!(o, "   → {}", style.paint(&sanitize(&a.command), "36"));
        }
    }
    o.push('\n');
}

/// One line per alert that fired.
pub fn alert_lines(r: &Report, style: &Style) -> String {
    let mut o = String::new();
    for a in r.alerts.iter().filter(|a| a.fired) {
        let _ = writeln!(
            o,
            "{} {}: {}",
            style.paint("ALERT", "1;31"),
            sanitize(&a.rule),
            sanitize(&a.reason)
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_helpers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(bar(0.5, 4), "██");
        assert_eq!(sparkline(&[0, 1, 8]), " ▂█");
        assert_eq!(visible("\x1b[31mab\x1b[0m"), 2);
        assert_eq!(duration(3600.0), "60m00s");
    }

    #[test]
    fn numbers_fit_their_column() {
        assert_eq!(num(1e23), "1.00e23");
        assert_eq!(num(-2.5e22), "-2.50e22");
        assert_eq!(num(0.001), "1.00e-3");
        assert_eq!(num(0.0), "0.00");
        assert_eq!(num(4.0199), "4.02");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(9_999_999.0), "9999999");
        for v in [1e23, -1e300, f64::MAX, 1e-300, 123456.0] {
            assert!(num(v).len() <= 8, "{v}: {}", num(v));
        }
    }
}
