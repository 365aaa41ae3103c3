//! The terminal dashboard: cards, the volume chart, breakdown tables with bars, top
//! error templates, insights and alert lines. Colors only when asked; every string that
//! came from a log is sanitized before it is printed.
//!
//! Two layouts. On a terminal of known height the compact one fits the screen (80x24
//! included): cards, a volume chart of as many rows as are left with errors overlaid and
//! an error-rate row when there is room, levels beside top services (with their error
//! counts), the top error templates and the insights, one line each. Otherwise (piped,
//! or `--full`) everything: every breakdown, errors by service, templates with their
//! first/last times and the insights with their actions.

use std::fmt::Write as _;

use crate::format::timestamp;
use crate::sink::print::{thousands, TimeStyle};
use crate::sink::sanitize::sanitize;
use crate::stats::report::{Breakdown, DistributionData, Report, Trend, ValueStats};

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const BAR: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// How to draw.
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// Rows of the screen; 0 when unknown (piped): the full layout.
    pub height: usize,
    /// Everything, whatever the height.
    pub full: bool,
    /// How times are shown (`--local`/`--utc`, `--time-format`).
    pub time: TimeStyle,
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

/// The size of the terminal on stdout (columns, rows); zeros when it is not one.
fn window_size() -> (usize, usize) {
    // SAFETY: TIOCGWINSZ only writes a winsize struct we own.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) == 0 {
            return (ws.ws_col as usize, ws.ws_row as usize);
        }
    }
    (0, 0)
}

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&n| n > 0)
}

/// The terminal width of stdout, else `COLUMNS`, else 100; clamped to 60..=200.
pub fn terminal_width() -> usize {
    let (w, _) = window_size();
    let w = if w == 0 {
        env_number("COLUMNS").unwrap_or(100)
    } else {
        w
    };
    w.clamp(60, 200)
}

/// The terminal height of stdout, else `LINES` when stdout is a terminal; 0 (unknown:
/// the full layout) when piped.
pub fn terminal_height(stdout_tty: bool) -> usize {
    match window_size() {
        (_, 0) if stdout_tty => env_number("LINES").unwrap_or(24),
        (_, 0) => 0,
        (_, h) => h,
    }
    .min(500)
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

/// A report time (RFC 3339) as the style shows it; `-` when there is none.
fn when(rfc: &Option<String>, style: &Style) -> String {
    let ns = rfc
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .and_then(|t| t.timestamp_nanos_opt());
    match (ns, rfc) {
        (Some(ns), _) => style.time.show(ns),
        (None, Some(s)) => s.replacen('T', " ", 1).trim_end_matches('Z').to_string(),
        (None, None) => "-".to_string(),
    }
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

/// Draws the dashboard: compact on a screen of known height, else everything.
pub fn render(r: &Report, style: &Style) -> String {
    if style.full || style.height == 0 {
        render_full(r, style)
    } else {
        render_compact(r, style)
    }
}

/// Everything: every breakdown, all templates with their times, insights with actions.
fn render_full(r: &Report, style: &Style) -> String {
    let mut o = String::new();
    let w = style.width;
    let title = style.paint("covet-logs stats", "1");
    let _ = writeln!(
        o,
        "{title}  {} → {}  ({})",
        when(&r.span.start, style),
        when(&r.span.end, style),
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
    let by_service: Vec<DistributionData> = r
        .error_distribution
        .iter()
        .filter(|d| d.value > 0)
        .cloned()
        .collect();
    table_dist(&mut o, "Errors by service", &by_service, r.errors, style);
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
    chart(o, r, style, 8, true);
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
        let color = level_color(&d.name);
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
            when(&t.first_seen, style),
            when(&t.last_seen, style),
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

/// Lower eighths of a cell, for the chart's column tops.
const VBAR: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// Width of the chart's y-axis labels (`  1,234 ┤`).
const AXIS_W: usize = 9;

/// The volume buckets merged (or widened) to `cols` columns: (entries, errors, first
/// bucket time) per column.
fn columns(r: &Report, cols: usize) -> Vec<(u64, u64, i64)> {
    let n = r.volume_data.len();
    if n == 0 || cols == 0 {
        return Vec::new();
    }
    let per = n.div_ceil(cols);
    let merged: Vec<(u64, u64, i64)> = r
        .volume_data
        .chunks(per)
        .map(|c| {
            (
                c.iter().map(|d| d.value).sum(),
                c.iter().map(|d| d.errors).sum(),
                c[0].ts,
            )
        })
        .collect();
    // Few buckets: each one several columns wide, so the chart spans the width.
    let wide = (cols / merged.len()).clamp(1, 6);
    merged
        .into_iter()
        .flat_map(|c| std::iter::repeat_n(c, wide))
        .collect()
}

/// One chart cell: the part of a column of `level` eighths that falls in `row`.
fn cell(level: usize, row: usize) -> char {
    match level.saturating_sub(row * 8).min(8) {
        0 => ' ',
        f => VBAR[f - 1],
    }
}

/// The volume chart: `rows` rows of columns scaled to the busiest, the error part of
/// each column overlaid (red, or `▓` without color), a row of errors per column, an
/// optional error-rate row, and a time axis.
fn chart(o: &mut String, r: &Report, style: &Style, rows: usize, rate_row: bool) {
    if r.volume_data.is_empty() {
        return;
    }
    let cols = columns(r, style.width.saturating_sub(AXIS_W + 1).max(10));
    let max = cols.iter().map(|c| c.0).max().unwrap_or(0).max(1);
    let max_e = cols.iter().map(|c| c.1).max().unwrap_or(0);
    let _ = writeln!(
        o,
        "{}  {} × {} buckets, busiest {} ({} errors)",
        style.paint("Volume", "1"),
        r.volume_data.len(),
        duration(r.interval_seconds),
        thousands(max),
        thousands(max_e)
    );
    let rows = rows.max(1);
    let scale = |v: u64| ((v as f64 / max as f64) * (rows * 8) as f64).round() as usize;
    for row in (0..rows).rev() {
        let label = if row == rows - 1 {
            format!("{:>7} ┤", thousands(max))
        } else if row == 0 {
            format!("{:>7} ┤", 0)
        } else {
            format!("{:>7} │", "")
        };
        let mut line = style.paint(&label, "2");
        for &(v, e, _) in &cols {
            let c = cell(scale(v), row);
            let err = scale(e);
            if err >= row * 8 + 4 && c != ' ' {
                line.push_str(&if style.color {
                    style.paint(&c.to_string(), "31")
                } else {
                    "▓".to_string()
                });
            } else {
                line.push_str(&style.paint(&c.to_string(), "34"));
            }
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    let errors: Vec<u64> = cols.iter().map(|c| c.1).collect();
    let _ = writeln!(
        o,
        "{}{}",
        style.paint(&format!("{:>7} │", "errors"), "2"),
        style.paint(&sparkline(&errors), "31").trim_end()
    );
    if rate_row {
        let rates: Vec<u64> = cols
            .iter()
            .map(|c| {
                if c.0 == 0 {
                    0
                } else {
                    (c.1 * 10_000).div_ceil(c.0)
                }
            })
            .collect();
        let top = rates.iter().copied().max().unwrap_or(0) as f64 / 100.0;
        let _ = writeln!(
            o,
            "{}{}",
            style.paint(&format!("{:>7} │", format!("{top:.0}%")), "2"),
            style.paint(&sparkline(&rates), "33").trim_end()
        );
    }
    let _ = writeln!(o, "{}", time_axis(&cols, r));
}

/// Times under the chart's first, middle and last columns.
fn time_axis(cols: &[(u64, u64, i64)], r: &Report) -> String {
    let span_day = r.volume_data.last().map_or(0, |d| d.ts)
        - r.volume_data.first().map_or(0, |d| d.ts)
        >= 86_400_000_000_000;
    let label = |ts: i64| {
        let full = timestamp::format_display(ts, false);
        if span_day {
            full.get(5..16).unwrap_or(&full).to_string()
        } else {
            full.get(11..19).unwrap_or(&full).to_string()
        }
    };
    let n = cols.len();
    let mut line: Vec<char> = vec![' '; n];
    let mut put = |at: usize, text: &str| {
        let t: Vec<char> = text.chars().collect();
        let start = at.min(n.saturating_sub(t.len()));
        if line[start..(start + t.len()).min(n)]
            .iter()
            .all(|&c| c == ' ')
            && (start == 0 || line[start - 1] == ' ')
        {
            for (i, c) in t.into_iter().enumerate().take(n - start) {
                line[start + i] = c;
            }
        }
    };
    if let Some(first) = cols.first() {
        put(0, &label(first.2));
    }
    if let Some(last) = cols.last() {
        let l = label(last.2);
        put(n.saturating_sub(l.chars().count()), &l);
    }
    if n > 0 {
        let mid = &cols[n / 2];
        let l = label(mid.2);
        put((n / 2).saturating_sub(l.chars().count() / 2), &l);
    }
    let text: String = line.into_iter().collect();
    format!("{:>w$}{}", "", text.trim_end(), w = AXIS_W)
}

/// How many rows each compact section gets on a screen of `height`.
struct Budget {
    chart: usize,
    rate: bool,
    panel: usize,
    templates: usize,
    insights: usize,
}

fn budget(r: &Report, height: usize, width: usize) -> Budget {
    let panel_rows = r.level_breakdown.len().max(r.service_distribution.len());
    let mut b = Budget {
        chart: 3,
        rate: false,
        panel: panel_rows.min(5),
        templates: r.templates.len().min(3),
        insights: r.insights.len().min(2),
    };
    // title, cards (2), blank, chart header, errors row, axis, panel header, blank,
    // and the shell prompt; templates: header and blank; insights: header (or the
    // one "none" line).
    // Narrow: the cards take two rows, and the two panels stack.
    let narrow = width < 76;
    let used = |b: &Budget| {
        10 + if narrow { 3 + b.panel } else { 0 }
            + if r.templates.is_empty() {
                0
            } else {
                2 + b.templates
            }
            + if r.insights.is_empty() {
                1
            } else {
                1 + b.insights
            }
            + b.chart
            + usize::from(b.rate)
            + b.panel
    };
    // A short screen: fewer templates, panel rows and chart rows, down to a floor.
    while used(&b) > height {
        if b.templates > 1 {
            b.templates -= 1;
        } else if b.panel > 3 {
            b.panel -= 1;
        } else if b.chart > 2 {
            b.chart -= 1;
        } else {
            break;
        }
    }
    let mut spare = height.saturating_sub(used(&b));
    let take = |want: usize, spare: &mut usize| {
        let n = want.min(*spare);
        *spare -= n;
        n
    };
    b.chart += take(9, &mut spare);
    if spare > 0 && b.chart >= 8 {
        b.rate = true;
        spare -= 1;
    }
    b.panel += take(panel_rows.min(10).saturating_sub(b.panel), &mut spare);
    b.templates += take(
        r.templates.len().min(8).saturating_sub(b.templates),
        &mut spare,
    );
    b.insights += take(r.insights.len().saturating_sub(b.insights), &mut spare);
    b.chart += take(4, &mut spare);
    b
}

/// The dashboard fitted to `style.height` rows.
fn render_compact(r: &Report, style: &Style) -> String {
    let mut o = String::new();
    let b = budget(r, style.height, style.width);
    let span = format!(
        "  {} → {}  ({})",
        when(&r.span.start, style),
        when(&r.span.end, style),
        duration(r.span.seconds)
    );
    let span: String = span.chars().take(style.width.saturating_sub(16)).collect();
    let _ = writeln!(o, "{}{span}", style.paint("covet-logs stats", "1"));
    compact_cards(&mut o, r, style);
    o.push('\n');
    chart(&mut o, r, style, b.chart, b.rate);
    panels(&mut o, r, style, b.panel);
    o.push('\n');
    if !r.templates.is_empty() {
        let _ = writeln!(
            o,
            "{}  {} distinct templates",
            style.paint("Top errors", "1"),
            thousands(r.distinct_templates as u64)
        );
        for t in r.templates.iter().take(b.templates) {
            let service = t.top_service.as_deref().map(sanitize).unwrap_or_default();
            let room = style.width.saturating_sub(14 + service.chars().count());
            let text: String = sanitize(&t.template).chars().take(room).collect();
            let _ = writeln!(
                o,
                " {:>8} × {}  {}",
                thousands(t.count),
                style.paint(&text, "31"),
                style.paint(&service, "2")
            );
        }
        o.push('\n');
    }
    if r.insights.is_empty() {
        let _ = writeln!(
            o,
            "{}  none: nothing unusual by the tests in the README",
            style.paint("Insights", "1")
        );
    } else {
        let _ = writeln!(o, "{}", style.paint("Insights", "1"));
    }
    for i in r.insights.iter().take(b.insights) {
        let head = format!("[{} {:.1}%]", i.kind, i.confidence);
        let room = style.width.saturating_sub(head.chars().count() + 4);
        let title: String = sanitize(&i.title).chars().take(room).collect();
        let _ = writeln!(
            o,
            " {} {} {}",
            style.paint("●", "33"),
            style.paint(&head, "2"),
            title
        );
    }
    o
}

/// The six cards in one row (two lines), or two rows of three on a narrow screen.
fn compact_cards(o: &mut String, r: &Report, style: &Style) {
    let (warn, crit) = r.rate_thresholds;
    let rate = format!("{:.2}%", r.error_rate);
    let rate_color = if r.error_rate >= crit {
        "1;31"
    } else if r.error_rate >= warn {
        "33"
    } else {
        "32"
    };
    let cards = [
        ("Total", thousands(r.total_logs), "0"),
        ("Errors", thousands(r.errors), "31"),
        ("Warnings", thousands(r.warnings), "33"),
        ("Error rate", rate, rate_color),
        ("Avg rate", format!("{}/s", num(r.avg_log_rate)), "0"),
        ("Peak rate", format!("{}/s", num(r.peak_log_rate)), "0"),
    ];
    let per_row = if style.width >= 6 * 13 { 6 } else { 3 };
    let cw = (style.width / per_row).min(24);
    for row in cards.chunks(per_row) {
        let mut l1 = String::new();
        let mut l2 = String::new();
        for (name, value, color) in row {
            l1.push_str(&pad_visible(&style.paint(name, "2"), cw));
            l2.push_str(&pad_visible(&style.paint(value, color), cw));
        }
        let _ = writeln!(o, "{}", l1.trim_end());
        let _ = writeln!(o, "{}", l2.trim_end());
    }
}

/// Levels beside the top services (count, errors, bar); stacked when narrow.
fn panels(o: &mut String, r: &Report, style: &Style, rows: usize) {
    let side = style.width >= 76;
    let pw = if side {
        (style.width - 2) / 2
    } else {
        style.width
    };
    let mut left = vec![style.paint(
        &pad(
            &format!("{:<10}{:>9} {:>6}", "Levels", "count", "share"),
            pw,
        ),
        "1",
    )];
    let bar_w = pw.saturating_sub(30).max(3);
    for d in r.level_breakdown.iter().take(rows) {
        let color = level_color(&d.name);
        let text = format!(
            " {:<9}{:>9} {:>5.1}%  ",
            pad(&sanitize(&d.name), 9),
            thousands(d.value),
            d.percentage
        );
        let line = text
            + &style.paint(
                &bar(d.value as f64 / r.total_logs.max(1) as f64, bar_w),
                color,
            );
        left.push(line);
    }
    let name_w = pw.saturating_sub(23).clamp(10, 24);
    let mut right = vec![style.paint(
        &format!(
            "{}{:>9} {:>7}",
            pad("Services", name_w + 1),
            "count",
            "errors"
        ),
        "1",
    )];
    let top = r.service_distribution.first().map_or(1, |d| d.value).max(1);
    let sbar = pw.saturating_sub(name_w + 20).max(3);
    for d in r.service_distribution.iter().take(rows) {
        let errors = r
            .error_distribution
            .iter()
            .find(|e| e.name == d.name)
            .map_or(0, |e| e.value);
        let text = format!(
            " {}{:>9} {:>7}  ",
            pad(&sanitize(&d.name), name_w),
            thousands(d.value),
            style.paint(&thousands(errors), if errors > 0 { "31" } else { "2" })
        );
        right.push(text + &style.paint(&bar(d.value as f64 / top as f64, sbar), "34"));
    }
    if side {
        for i in 0..left.len().max(right.len()) {
            let l = pad_visible(left.get(i).map_or("", |l| l.as_str()), pw);
            let rr = right.get(i).map_or("", |s| s.as_str());
            let _ = writeln!(o, "{}", format!("{l}  {rr}").trim_end());
        }
    } else {
        for l in left.iter().chain(right.iter()) {
            let _ = writeln!(o, "{}", l.trim_end());
        }
    }
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

/// The SGR colour a level's row is drawn in (dim for DEBUG, TRACE and unknown names).
fn level_color(name: &str) -> &'static str {
    match name {
        "FATAL" => "1;31",
        "ERROR" => "31",
        "WARN" => "33",
        "INFO" => "34",
        _ => "2",
    }
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
