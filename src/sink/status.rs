//! The live status line of `tail -f` on stderr: the seed's Live Stream card as one line.
//!
//! `following 3 files · 120 entries/s · 45 matched · last 4s ago · app.log rotated`
//! (`last`: how long since the newest match arrived). It is drawn only
//! when stderr is a terminal (and not `--no-status`), redrawn at most a few times a
//! second, and erased before entries are written to stdout, so the two never mix on a
//! shared terminal and nothing of it ever reaches stdout.

use std::collections::VecDeque;
use std::io::Write;
use std::time::{Duration, Instant};

use crate::sink::sanitize::sanitize;

/// The window over which the rate is averaged.
const RATE_WINDOW: Duration = Duration::from_secs(5);
/// How long a notice (rotation, truncation) stays on the line.
const NOTICE_FOR: Duration = Duration::from_secs(10);
const REDRAW_EVERY: Duration = Duration::from_millis(250);

/// How long ago, in the largest whole unit: `now`, `12s ago`, `5m ago`, `3h ago`,
/// `2d ago`.
pub fn ago(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 => "now".to_string(),
        1..=59 => format!("{s}s ago"),
        60..=3_599 => format!("{}m ago", s / 60),
        3_600..=86_399 => format!("{}h ago", s / 3_600),
        _ => format!("{}d ago", s / 86_400),
    }
}

/// The status line's state.
pub struct Status {
    enabled: bool,
    files: usize,
    matched: u64,
    /// Entries seen per arrival, for the rate.
    arrivals: VecDeque<(Instant, u64)>,
    started: Instant,
    /// When the newest match arrived.
    last_match: Option<Instant>,
    notice: Option<(String, Instant)>,
    last_draw: Option<Instant>,
    /// Whether the line is on screen now.
    shown: bool,
}

impl Status {
    /// A status line; a disabled one does nothing at all.
    pub fn new(enabled: bool) -> Status {
        Status {
            enabled,
            files: 0,
            matched: 0,
            arrivals: VecDeque::new(),
            started: Instant::now(),
            last_match: None,
            notice: None,
            last_draw: None,
            shown: false,
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    pub fn set_files(&mut self, n: usize) {
        self.files = n;
    }

    /// Records entries that arrived (`seen`) and how many of them matched.
    pub fn record(&mut self, seen: u64, matched: u64) {
        self.matched += matched;
        if matched > 0 {
            self.last_match = Some(Instant::now());
        }
        if self.enabled && seen > 0 {
            self.arrivals.push_back((Instant::now(), seen));
        }
    }

    /// A notice such as `app.log rotated`, shown for a few seconds.
    pub fn notice(&mut self, text: String) {
        if self.enabled {
            self.notice = Some((text, Instant::now()));
            self.last_draw = None; // show it now
        }
    }

    /// Entries per second over the last few seconds.
    pub fn rate(&mut self, now: Instant) -> f64 {
        while self
            .arrivals
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > RATE_WINDOW)
        {
            self.arrivals.pop_front();
        }
        let total: u64 = self.arrivals.iter().map(|a| a.1).sum();
        let span = now.duration_since(self.started).min(RATE_WINDOW);
        total as f64 / span.as_secs_f64().max(1.0)
    }

    /// The line's text (without terminal controls).
    pub fn text(&mut self, now: Instant) -> String {
        let files = match self.files {
            1 => "following 1 input".to_string(),
            n => format!("following {n} inputs"),
        };
        let rate = self.rate(now);
        let mut line = format!(
            "{files} · {} entries/s · {} matched",
            if rate >= 10.0 {
                format!("{rate:.0}")
            } else {
                format!("{rate:.1}")
            },
            self.matched
        );
        if let Some(at) = self.last_match {
            line.push_str(&format!(" · last {}", ago(now.duration_since(at))));
        }
        if let Some((text, at)) = &self.notice {
            if now.duration_since(*at) < NOTICE_FOR {
                line.push_str(" · ");
                line.push_str(&sanitize(text));
            }
        }
        line
    }

    /// Erases the line (before entries are written to stdout).
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(b"\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }

    /// Draws the line if it is due (or `force`).
    pub fn draw(&mut self, force: bool) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if !force && self.shown && self.last_draw.is_some_and(|t| now - t < REDRAW_EVERY) {
            return;
        }
        let mut text = self.text(now);
        let width = terminal_width().saturating_sub(1).max(10);
        if text.chars().count() > width {
            text = text.chars().take(width).collect();
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K\x1b[2m{text}\x1b[0m");
        let _ = err.flush();
        self.shown = true;
        self.last_draw = Some(now);
    }

    /// Removes the line for good (at exit).
    pub fn finish(&mut self) {
        self.clear();
    }
}

/// Columns of the terminal on stderr (80 when unknown).
fn terminal_width() -> usize {
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; failure leaves it zeroed.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    if ok && ws.ws_col > 0 {
        ws.ws_col as usize
    } else {
        80
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shows_files_rate_matches_and_notice() {
        let mut s = Status::new(true);
        s.set_files(2);
        s.record(50, 3);
        s.notice("app.log rotated".into());
        let text = s.text(Instant::now());
        assert!(text.starts_with("following 2 inputs · "), "{text}");
        assert!(
            text.contains("50.0 entries/s") || text.contains("50 entries/s"),
            "{text}"
        );
        assert!(text.contains("3 matched"), "{text}");
        assert!(text.ends_with("app.log rotated"), "{text}");
    }

    #[test]
    fn the_last_match_is_shown_relative_to_now() {
        let mut s = Status::new(true);
        s.set_files(1);
        s.record(10, 0);
        assert!(!s.text(Instant::now()).contains("last"));
        s.record(10, 1);
        let later = Instant::now() + Duration::from_secs(5);
        let text = s.text(later);
        assert!(text.contains(" · 1 matched · last 5s ago"), "{text}");
    }

    #[test]
    fn ago_in_the_largest_whole_unit() {
        for (secs, want) in [
            (0, "now"),
            (1, "1s ago"),
            (59, "59s ago"),
            (60, "1m ago"),
            (3_599, "59m ago"),
            (3_600, "1h ago"),
            (86_400, "1d ago"),
            (200_000, "2d ago"),
        ] {
            assert_eq!(ago(Duration::from_secs(secs)), want);
        }
    }
}
