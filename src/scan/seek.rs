//! Seeking to a time window in a time-ordered file by binary search over the map.
//!
//! A file counts as time-ordered when timestamps sampled at 64 evenly spaced entries
//! never decrease. Then the first entry at or after `--since` and the first after
//! `--until` are found by bisection on byte offsets, and the scan covers that range
//! widened by a margin on both sides (entries slightly out of order near the edges are
//! still seen; the query's own time test decides each entry). Files that are not
//! ordered are scanned whole.

use crate::format::timestamp::TimeCtx;
use crate::format::Format;
use crate::scan::config::ScanConfig;
use crate::scan::region::align;

const SAMPLES: usize = 64;
/// Bytes scanned beyond the bisected edges.
const MARGIN: usize = 256 * 1024;
/// Entries looked at from a probe point to find one with a timestamp.
const PROBE_ENTRIES: usize = 32;

/// The byte range of `bytes` to scan for the configured time window.
pub fn window_range(bytes: &[u8], format: Format, cfg: &ScanConfig<'_>) -> (usize, usize) {
    let full = (0, bytes.len());
    let (since, until) = cfg.window;
    if (since.is_none() && until.is_none()) || bytes.len() < 4 * MARGIN {
        return full;
    }
    if !is_time_ordered(bytes, format, &cfg.ctx) {
        return full;
    }
    let lo = match since {
        Some(t) => first_at_or_after(bytes, format, &cfg.ctx, t, false).saturating_sub(MARGIN),
        None => 0,
    };
    let hi = match until {
        Some(t) => first_at_or_after(bytes, format, &cfg.ctx, t, true).saturating_add(MARGIN),
        None => bytes.len(),
    };
    let lo = align(bytes, lo, bytes.len(), format, &cfg.ctx);
    let hi = if hi >= bytes.len() {
        bytes.len()
    } else {
        align(bytes, hi, bytes.len(), format, &cfg.ctx)
    };
    if lo >= hi {
        return (lo, lo);
    }
    (lo, hi)
}

/// The timestamp of the first entry at or after `pos` that has one.
fn ts_at(bytes: &[u8], pos: usize, format: Format, ctx: &TimeCtx) -> Option<i64> {
    let mut start = align(bytes, pos, bytes.len(), format, ctx);
    for _ in 0..PROBE_ENTRIES {
        if start >= bytes.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        if let Some(t) = format.parse(line, ctx).ts() {
            return Some(t);
        }
        start = align(bytes, end + 1, bytes.len(), format, ctx);
    }
    None
}

fn is_time_ordered(bytes: &[u8], format: Format, ctx: &TimeCtx) -> bool {
    let mut last = i64::MIN;
    let mut seen = 0;
    for i in 0..SAMPLES {
        let pos = bytes.len() / SAMPLES * i;
        if let Some(t) = ts_at(bytes, pos, format, ctx) {
            if t < last {
                return false;
            }
            last = t;
            seen += 1;
        }
    }
    seen >= SAMPLES / 2
}

/// Smallest probe offset whose entry has ts >= t (or > t when `strict`).
fn first_at_or_after(bytes: &[u8], format: Format, ctx: &TimeCtx, t: i64, strict: bool) -> usize {
    let (mut lo, mut hi) = (0usize, bytes.len());
    while hi - lo > 4096 {
        let mid = lo + (hi - lo) / 2;
        match ts_at(bytes, mid, format, ctx) {
            Some(ts) if ts < t || (strict && ts == t) => lo = mid,
            Some(_) => hi = mid,
            None => hi = mid,
        }
    }
    lo
}
