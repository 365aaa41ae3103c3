//! `covet-logs stats`: one parallel pass of the aggregating sink over every input, the
//! parts merged in order, then the report, insights and alerts.
//!
//! With `--since`, the scan is widened to the window of equal length before it, whose
//! entries only feed the trend counters; exit status is 1 when an `--alert` fires.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cli::StatsArgs;
use crate::cluster::Engine;
use crate::commands::follow::{follow_specs, Held};
use crate::commands::progress::Progress;
use crate::commands::report;
use crate::config::{query_error, stderr_is_terminal, use_color, FilterConfig, InputConfig};
use crate::engine::follow::{follow_into, Followed};
use crate::engine::{self, Outcome};
use crate::error::{Error, Result};
use crate::input::follow::{Ended, Flow, FollowConfig, Resume, Spec};
use crate::input::Input;
use crate::scan::ScanConfig;
use crate::sink::out::{stdout_gone, Out};
use crate::sink::print::TimeStyle;
use crate::sink::sanitize::sanitize;
use crate::stats::agg::{Agg, SinkSpec, StatsSink};
use crate::stats::alert::{self, Metric, Rule};
use crate::stats::render::{self, Style};
use crate::stats::report::{self as build, ReportOptions};
use crate::store;

const SEC: i64 = 1_000_000_000;
/// The report `stats` would print for `args` (without following): the server's
/// analytics and the tests that measure the insights in-process. Inputs that fail to
/// read are reported on stderr. `find` finds the inputs (`engine::open_inputs`, as the
/// command; the server's `engine::find_inputs` reports no input as an empty report).
pub fn report_of(args: &StatsArgs, find: engine::Find) -> Result<build::Report> {
    let mut keep = None;
    stats_into(args, Some(&mut keep), find)?;
    keep.ok_or_else(|| Error::new("stats", "no report (--follow)"))
}

/// Runs `stats`.
pub fn run(args: &StatsArgs) -> Result<Outcome> {
    stats_into(args, None, engine::open_inputs)
}

/// `30s`, `5m`, `2h`, `1d`, `1w` to nanoseconds.
fn parse_interval(s: &str) -> Result<i64> {
    let bad = || {
        Error::new(
            "--interval",
            format!(
                "invalid duration {s:?}: expected a number and s, m, h, d or w, like 30s or 5m"
            ),
        )
    };
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = t[..split].parse().map_err(|_| bad())?;
    let unit = match &t[split..] {
        "s" | "sec" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86400,
        "w" => 7 * 86400,
        _ => return Err(bad()),
    };
    if n <= 0 {
        return Err(bad());
    }
    n.checked_mul(unit * SEC).ok_or_else(bad)
}

/// Alert rules, parsed before any input is read: `--alert`'s, then with `--alerts`
/// the saved ones.
fn parse_rules(args: &StatsArgs) -> Result<(Vec<Rule>, Vec<String>)> {
    let mut queries = Vec::new();
    let mut rules = Vec::new();
    for text in &args.alerts {
        let rule =
            alert::parse(text, &mut queries).map_err(|e| query_error("--alert", text, &e))?;
        rules.push(rule);
    }
    if args.saved_alerts {
        rules.extend(saved_rules(&mut queries)?);
    }
    Ok((rules, queries))
}

/// The rules saved in the dashboard (`store`'s `alerts.json`), by name; one that does
/// not parse (an older or hand-edited file) is named in a warning and not checked.
fn saved_rules(queries: &mut Vec<String>) -> Result<Vec<Rule>> {
    let file = store::AlertsFile::load(&store::alerts_path()?)?;
    let mut rules = Vec::new();
    for (name, saved) in &file.alerts {
        match alert::parse(&saved.rule, queries) {
            Ok(rule) => rules.push(rule),
            Err(e) => eprintln!(
                "covet-logs: warning: saved alert {}: {}: {}",
                sanitize(name),
                sanitize(&saved.rule),
                sanitize(&e.message)
            ),
        }
    }
    Ok(rules)
}

/// Runs `stats`; with `keep`, stores the report there instead of printing it.
fn stats_into(
    args: &StatsArgs,
    keep: Option<&mut Option<build::Report>>,
    find: engine::Find,
) -> Result<Outcome> {
    let mut args = args.clone();
    let debug = args.input.read.debug;
    super::fold_positionals(&mut args.pos, &mut args.filter, debug);
    let args = &args;
    let (rules, rule_queries) = parse_rules(args)?;
    let interval = args.interval.as_deref().map(parse_interval).transpose()?;
    let filter = FilterConfig::new(&args.filter, None)?;
    let input_cfg = InputConfig::new(&args.input);

    // The numeric field: --value, else the one a p95(FIELD) alert names, else duration_ms.
    let mut perf = args.value.clone();
    for rule in &rules {
        if let Metric::Value(_, field) = &rule.metric {
            match &perf {
                Some(p) if p != field && args.value.is_some() => {
                    return Err(Error::new(
                        "--alert",
                        format!(
                            "{}: the numeric field is --value {p}, not {field}",
                            rule.text
                        ),
                    ))
                }
                Some(p) if p != field => {
                    return Err(Error::new(
                        "--alert",
                        format!(
                            "{}: only one numeric field per run ({p} and {field})",
                            rule.text
                        ),
                    ))
                }
                _ => perf = Some(field.clone()),
            }
        }
    }
    let perf = perf.unwrap_or_else(|| "duration_ms".to_string());

    // The previous window, for trends: scan it too, counted apart.
    let (scan_filter, current_from) = match filter.window {
        (Some(since), until) => {
            let len = until.unwrap_or(filter.now_ns).saturating_sub(since);
            if len > 0 {
                let wide =
                    filter.with_window(&args.filter, Some(since.saturating_sub(len)), until)?;
                (Some(wide), Some(since))
            } else {
                (None, None)
            }
        }
        _ => (None, None),
    };
    let scan_filter_ref = scan_filter.as_ref().unwrap_or(&filter);

    let spec = SinkSpec {
        by: args.by.clone(),
        value: args.value.clone(),
        perf: Some(perf.clone()),
        current_from,
        counts: rule_queries,
        case_sensitive: args.filter.case_sensitive,
        regex_words: args.filter.regex,
        unit: interval.unwrap_or(SEC),
    };
    let sink = spec
        .sink(filter.ctx, filter.now_ns)
        .map_err(|(q, e)| query_error("--alert", &q, &e))?;
    let engine = Engine::parse(&args.engine)?;

    let opened = find(&args.pos.paths, &input_cfg.walk())?;
    let (inputs, mut failed) = super::reported(opened, input_cfg.debug);
    input_cfg.init_threads();
    let ropts = ReportOptions {
        top: args.top,
        interval,
        window: filter.window,
        now_ns: filter.now_ns,
        by: args.by.clone(),
        value: args.value.clone(),
        perf: Some(perf),
        rate_warn: args.warn_rate,
        rate_crit: args.crit_rate,
        paths: args
            .pos
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        min_confidence: args.min_confidence,
    };
    let stdout_tty = std::io::stdout().is_terminal();
    let style = Style {
        color: use_color(args.view.color, stdout_tty),
        width: args
            .width
            .map_or_else(render::terminal_width, |w| w.clamp(40, 400)),
        height: args
            .height
            .unwrap_or_else(|| render::terminal_height(stdout_tty)),
        full: args.full,
        time: TimeStyle::new(
            args.view.local && !args.view.utc,
            args.view.time_format.as_deref(),
        )
        .map_err(|e| Error::new("--time-format", e))?,
    };
    if args.follow && keep.is_none() {
        let scan_cfg = super::scan_config(scan_filter_ref, &input_cfg, false, None);
        let live = Live {
            sink: &sink,
            cfg: &scan_cfg,
            ropts: &ropts,
            rules: &rules,
            style: &style,
            forced: (args.width, args.height),
            tty: stdout_tty,
            json: args.json,
        };
        let start = match &engine {
            Engine::Local => None,
            // The history on the engine, up to where the follower resumes each file.
            other => {
                let held = Held::of(&inputs);
                let hist_cfg = ScanConfig {
                    ends: Some(&held.ends),
                    ..scan_cfg.clone()
                };
                let agg = match held.files.is_empty() {
                    true => Agg::new(&sink),
                    false => on_engine(
                        other,
                        &held.files,
                        &hist_cfg,
                        scan_filter_ref,
                        &spec,
                        &mut failed,
                    )?,
                };
                Some((agg, held.resumes()))
            }
        };
        return live.run(&args.pos.paths, &inputs, &input_cfg, failed, start);
    }
    super::start_pager(args.view.paging, false);
    let progress = Progress::start(
        stderr_is_terminal() && !crate::sink::pager::active(),
        engine::inputs::total_size(&inputs),
    );
    let scan_cfg = super::scan_config(scan_filter_ref, &input_cfg, false, Some(&progress.bytes));
    if input_cfg.debug {
        eprintln!(
            "covet-logs: debug: stats: query {:?}, {} input(s), trend window from {:?}",
            filter.query_text,
            inputs.len(),
            current_from
        );
    }
    let agg = match &engine {
        Engine::Local => {
            let mut agg = Agg::new(&sink);
            failed |= super::scan_all(&inputs, &scan_cfg, &sink, |part| agg.merge(part))?;
            agg
        }
        other => on_engine(
            other,
            &inputs,
            &scan_cfg,
            scan_filter_ref,
            &spec,
            &mut failed,
        )?,
    };
    progress.finish();

    let mut rep = build::build(&agg, &ropts);
    if let Some(i) = interval {
        let used = (rep.interval_seconds * 1e9) as i64;
        if used != i {
            report(&Error::new(
                "--interval",
                format!("too many buckets; using {}s instead", used / SEC),
            ));
        }
    }
    rep.alerts = alert::check(&rules, &rep, &agg.counts);
    if let Some(keep) = keep {
        *keep = Some(rep);
        return Ok(Outcome::Matched);
    }

    let mut out = Out::new();
    if args.json {
        let text =
            serde_json::to_string_pretty(&rep).map_err(|e| Error::new("json", e.to_string()))?;
        out.write(text.as_bytes());
        out.write(b"\n");
        let lines = render::alert_lines(
            &rep,
            &Style {
                color: false,
                width: style.width,
                height: 0,
                full: true,
                time: style.time.clone(),
            },
        );
        eprint!("{lines}");
    } else {
        out.write(render::render(&rep, &style).as_bytes());
        out.write(render::alert_lines(&rep, &style).as_bytes());
    }
    out.finish()?;
    Ok(if failed {
        Outcome::Failed
    } else if rep.alerts.iter().any(|a| a.fired) {
        Outcome::Alerted
    } else {
        Outcome::Matched
    })
}

/// The aggregate of `stats` made by another engine (`cluster`): partial aggregates of
/// the splits, decided and folded where the query runs, merged here in input order.
#[cfg(feature = "cluster")]
fn on_engine(
    engine: &Engine,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    filter: &FilterConfig,
    spec: &SinkSpec,
    failed: &mut bool,
) -> Result<Agg> {
    let folded = crate::cluster::stats(engine, inputs, cfg, filter, spec);
    folded.inputs.iter().for_each(report);
    *failed |= !folded.inputs.is_empty();
    folded.output
}

#[cfg(not(feature = "cluster"))]
fn on_engine(
    _: &Engine,
    _: &[Input],
    _: &ScanConfig<'_>,
    _: &FilterConfig,
    _: &SinkSpec,
    _: &mut bool,
) -> Result<Agg> {
    unreachable!("Engine::parse gives only Local without the `cluster` feature")
}

/// `stats -f`: the follow engine reads every input from its start and then as it
/// grows; each block of whole entries is scanned into a part and merged; the dashboard
/// is redrawn (or a JSON snapshot printed) at most once a second when something changed.
struct Live<'a> {
    sink: &'a StatsSink,
    cfg: &'a ScanConfig<'a>,
    ropts: &'a ReportOptions,
    rules: &'a [Rule],
    style: &'a Style,
    /// `--width`/`--height`: the size is not re-read from the terminal.
    forced: (Option<usize>, Option<usize>),
    tty: bool,
    json: bool,
}

/// Enter the alternate screen and hide the cursor; leave it and show the cursor.
const ALT_ENTER: &str = "\x1b[?1049h\x1b[?25l";
const ALT_LEAVE: &str = "\x1b[?25h\x1b[?1049l";

impl Live<'_> {
    fn specs(paths: &[PathBuf], inputs: &[Input]) -> Vec<Spec> {
        if paths.is_empty() {
            return if inputs.contains(&Input::Stdin) {
                vec![Spec::Stdin]
            } else {
                Vec::new()
            };
        }
        paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Spec::Stdin
                } else if p.is_dir() {
                    Spec::Dir {
                        path: p.clone(),
                        resume: Vec::new(),
                    }
                } else {
                    Spec::File {
                        path: p.clone(),
                        resume: None,
                    }
                }
            })
            .collect()
    }

    /// The current report as text to write.
    fn frame(&self, agg: &Agg) -> (String, bool) {
        let mut rep = build::build(agg, self.ropts);
        rep.alerts = alert::check(self.rules, &rep, &agg.counts);
        let fired = rep.alerts.iter().any(|a| a.fired);
        let text = if self.json || !self.tty {
            let mut t = serde_json::to_string(&rep).unwrap_or_default();
            t.push('\n');
            t
        } else {
            // Home, then each line over the last frame's (cleared to its end), then
            // clear what is left below: redrawn in place, nothing scrolls.
            let style = self.fit();
            let body = render::render(&rep, &style) + &render::alert_lines(&rep, &style);
            let mut t = String::from("\x1b[H");
            for line in body.lines() {
                t.push_str(line);
                t.push_str("\x1b[K\n");
            }
            t.push_str("\x1b[J");
            t
        };
        (text, fired)
    }

    /// The style for the terminal's current size (it may have been resized).
    fn fit(&self) -> Style {
        Style {
            color: self.style.color,
            width: self
                .forced
                .0
                .map_or_else(render::terminal_width, |w| w.clamp(40, 400)),
            height: self
                .forced
                .1
                .unwrap_or_else(|| render::terminal_height(true))
                .max(1),
            full: self.style.full,
            time: self.style.time.clone(),
        }
    }

    /// The last dashboard, printed once on the normal screen after leaving the
    /// alternate one.
    fn last_frame(&self, agg: &Agg) -> (String, bool) {
        let mut rep = build::build(agg, self.ropts);
        rep.alerts = alert::check(self.rules, &rep, &agg.counts);
        let style = self.fit();
        let text = render::render(&rep, &style) + &render::alert_lines(&rep, &style);
        (text, rep.alerts.iter().any(|a| a.fired))
    }

    /// Follows `inputs` from their start, or, given `start` (the aggregate of what an
    /// engine read and where each file resumes), from there.
    fn run(
        &self,
        paths: &[PathBuf],
        inputs: &[Input],
        input_cfg: &InputConfig,
        failed: bool,
        start: Option<(Agg, HashMap<PathBuf, Resume>)>,
    ) -> Result<Outcome> {
        let (specs, mut agg) = match start {
            None => (Live::specs(paths, inputs), Agg::new(self.sink)),
            Some((agg, resumes)) => (follow_specs(paths, inputs, &resumes), agg),
        };
        if specs.is_empty() {
            return Err(Error::new("--follow", "nothing to follow"));
        }
        let fcfg = FollowConfig {
            format: input_cfg.format,
            ctx: self.cfg.ctx,
            follow_links: input_cfg.follow_links,
            max_entry: input_cfg.max_entry,
            ..FollowConfig::default()
        };
        let mut last: Option<Instant> = None;
        // A terminal gets a first frame at once (empty, or the engine's history); a
        // pipe only gets data.
        let mut dirty = (self.tty && !self.json) || agg.total > 0;
        let mut fired = false;
        let screen = self.tty && !self.json;
        let mut stdout = std::io::stdout().lock();
        if screen {
            let _ = stdout
                .write_all(ALT_ENTER.as_bytes())
                .and_then(|_| stdout.flush());
        }
        let mut on = |ev: Followed<'_, Agg>| -> Flow {
            match ev {
                Followed::Part { part, .. } => {
                    agg.merge(part);
                    dirty = true;
                }
                Followed::Notice { name, what } => {
                    if !self.tty {
                        report(&Error::new(name, what));
                    }
                }
                Followed::Files(_) => {}
                Followed::Idle => {
                    if stdout_gone() {
                        return Flow::Stop;
                    }
                }
            }
            if dirty && last.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                let (text, f) = self.frame(&agg);
                fired = f;
                dirty = false;
                last = Some(Instant::now());
                if stdout
                    .write_all(text.as_bytes())
                    .and_then(|_| stdout.flush())
                    .is_err()
                {
                    return Flow::Stop;
                }
            }
            Flow::Continue
        };
        let ended = follow_into(specs, fcfg, self.cfg, self.sink, &mut on);
        let mut out = std::io::stdout().lock();
        if screen {
            let (last, f) = self.last_frame(&agg);
            fired = f;
            let text = format!("{ALT_LEAVE}{last}");
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
        }
        let ended = ended?;
        if dirty && !screen {
            let (text, f) = self.frame(&agg);
            fired = f;
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
        }
        Ok(match ended {
            Ended::Interrupted => Outcome::Interrupted,
            _ if failed => Outcome::Failed,
            _ if fired => Outcome::Alerted,
            _ => Outcome::Matched,
        })
    }
}
