//! Timestamps: parsing the forms logs use into UTC nanoseconds.
//!
//! Every timestamp is an `i64` of nanoseconds since the Unix epoch, UTC. This module
//! reads the header of text log lines ([`parse_leading`]: ISO 8601, syslog, Apache,
//! ctime, glog, logcat, HDFS, Spark, BGL and other forms), JSON/logfmt field values
//! ([`parse_str`], [`from_epoch`]) and the user's `--since`/`--until` values
//! ([`parse_user_time`]), and formats timestamps back ([`format_rfc3339_ms`],
//! [`format_display`]). Times written without an offset are read in the zone of the
//! [`TimeCtx`]. The line parser is hand-written over bytes: no regex, no allocation,
//! no chrono except for the local time zone, and it rejects most lines on their first
//! byte. All functions are total: any bytes give `None`/`Err`, never a panic.

use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Local, LocalResult, Offset, TimeZone};

const NS: i64 = 1_000_000_000;
const DAY: i64 = 86_400;

/// The zone in which timestamps without an explicit offset are read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tz {
    /// UTC.
    Utc,
    /// The system's local zone (via chrono, DST-aware).
    Local,
    /// A fixed offset, in seconds east of UTC.
    Fixed(i32),
}

/// What to assume for the parts a timestamp leaves out.
#[derive(Clone, Copy, Debug)]
pub struct TimeCtx {
    /// Zone of timestamps without an offset.
    pub tz: Tz,
    /// Year of timestamps without one (syslog, glog, logcat, ...).
    pub year: i32,
    /// The moment a file was last written (nanoseconds; 0 for the clock's now): forms
    /// without a year are placed at or before it, forms with a time of day only on its
    /// date.
    pub reference: i64,
}

impl TimeCtx {
    /// UTC, and the current year.
    pub fn utc_now_year() -> TimeCtx {
        TimeCtx {
            tz: Tz::Utc,
            year: year_of(now_ns()),
            reference: 0,
        }
    }

    /// The year and day of a file's modification time (for timestamps that leave
    /// them out), in this context's zone.
    pub fn dated(self, modified_ns: i64) -> TimeCtx {
        TimeCtx {
            year: year_of(modified_ns),
            reference: modified_ns,
            ..self
        }
    }
}

/// The current time in nanoseconds since the epoch (saturating far outside i64).
pub fn now_ns() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

// ---------------------------------------------------------------------------------
// Civil calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms).

/// Days since 1970-01-01 of a year/month/day (month and day not validated here).
#[inline]
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = i64::from((m + 9) % 12); // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Year, month, day of a count of days since 1970-01-01.
#[inline]
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[inline]
fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn year_of(ns: i64) -> i32 {
    civil_from_days(ns.div_euclid(NS).div_euclid(DAY)).0 as i32
}

// ---------------------------------------------------------------------------------
// Local time zone, through chrono, with a one-entry cache per thread (offsets change
// only at DST transitions, which fall on whole quarter hours).

const BLOCK: i64 = 900;

thread_local! {
    static LOCAL_TO_UTC: Cell<(i64, i32)> = const { Cell::new((i64::MIN, 0)) };
    static UTC_TO_LOCAL: Cell<(i64, i32)> = const { Cell::new((i64::MIN, 0)) };
}

/// Offset (seconds east) of the local zone at the UTC instant `utc_secs`.
fn local_offset_at_utc(utc_secs: i64) -> i32 {
    let key = utc_secs.div_euclid(BLOCK);
    let (k, o) = UTC_TO_LOCAL.with(Cell::get);
    if k == key {
        return o;
    }
    let Some(dt) = DateTime::from_timestamp(utc_secs, 0) else {
        return 0;
    };
    let o = Local
        .offset_from_utc_datetime(&dt.naive_utc())
        .fix()
        .local_minus_utc();
    UTC_TO_LOCAL.with(|c| c.set((key, o)));
    o
}

/// Offset (seconds east) of the local zone for the local wall time `local_secs`.
/// Ambiguous times (DST fall-back) take the earlier instant; times in a DST gap take
/// the offset in force before the gap.
fn local_offset_at_local(local_secs: i64) -> i32 {
    let key = local_secs.div_euclid(BLOCK);
    let (k, o) = LOCAL_TO_UTC.with(Cell::get);
    if k == key {
        return o;
    }
    let Some(dt) = DateTime::from_timestamp(local_secs, 0) else {
        return 0;
    };
    let naive = dt.naive_utc();
    match Local.offset_from_local_datetime(&naive) {
        LocalResult::Single(o) => {
            let o = o.fix().local_minus_utc();
            LOCAL_TO_UTC.with(|c| c.set((key, o)));
            o
        }
        LocalResult::Ambiguous(a, _) => a.fix().local_minus_utc(),
        LocalResult::None => local_offset_at_utc(local_secs - DAY),
    }
}

/// UTC seconds of a local wall time read in `tz`.
#[inline]
fn wall_to_utc(local_secs: i64, tz: Tz) -> i64 {
    match tz {
        Tz::Utc => local_secs,
        Tz::Fixed(o) => local_secs - i64::from(o),
        Tz::Local => local_secs - i64::from(local_offset_at_local(local_secs)),
    }
}

/// Offset of `tz` at the UTC instant `utc_secs`.
fn offset_at_utc(utc_secs: i64, tz: Tz) -> i64 {
    match tz {
        Tz::Utc => 0,
        Tz::Fixed(o) => i64::from(o),
        Tz::Local => i64::from(local_offset_at_utc(utc_secs)),
    }
}

// ---------------------------------------------------------------------------------
// Byte helpers.

#[inline]
fn dig(b: &[u8], i: usize) -> Option<u32> {
    match b.get(i) {
        Some(c @ b'0'..=b'9') => Some(u32::from(c - b'0')),
        _ => None,
    }
}

#[inline]
fn is_digit(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), Some(b'0'..=b'9'))
}

#[inline]
fn is_alnum(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_alphanumeric)
}

#[inline]
fn num2(b: &[u8], i: usize) -> Option<u32> {
    Some(dig(b, i)? * 10 + dig(b, i + 1)?)
}

#[inline]
fn num4(b: &[u8], i: usize) -> Option<u32> {
    Some(num2(b, i)? * 100 + num2(b, i + 2)?)
}

/// One or two digits (not three); returns the value and the index after them.
#[inline]
fn num12(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let a = dig(b, i)?;
    match dig(b, i + 1) {
        Some(c) if !is_digit(b, i + 2) => Some((a * 10 + c, i + 2)),
        Some(_) => None,
        None => Some((a, i + 1)),
    }
}

#[inline]
fn at(b: &[u8], i: usize, c: u8) -> bool {
    b.get(i) == Some(&c)
}

/// Three letters at `i` (`Jan`, `JAN` or `jan`, not followed by a letter), lower-cased.
#[inline]
fn word3(b: &[u8], i: usize) -> Option<[u8; 3]> {
    let w = b.get(i..i + 3)?;
    if !w.iter().all(u8::is_ascii_alphabetic) || b.get(i + 3).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let tail_lower = w[1].is_ascii_lowercase() && w[2].is_ascii_lowercase();
    let all_upper = w.iter().all(u8::is_ascii_uppercase);
    if !(tail_lower || all_upper) {
        return None;
    }
    Some([
        w[0].to_ascii_lowercase(),
        w[1].to_ascii_lowercase(),
        w[2].to_ascii_lowercase(),
    ])
}

fn month_of(w: [u8; 3]) -> Option<u32> {
    Some(match &w {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    })
}

#[inline]
fn month3(b: &[u8], i: usize) -> Option<u32> {
    month_of(word3(b, i)?)
}

fn is_day_name(w: [u8; 3]) -> bool {
    matches!(
        &w,
        b"mon" | b"tue" | b"wed" | b"thu" | b"fri" | b"sat" | b"sun"
    )
}

/// Zone abbreviations with a fixed meaning (RFC 822's, plus common European and
/// Asia-Pacific ones). Ambiguous ones (IST, BST, ...) are left out.
fn zone_abbr(w: &[u8]) -> Option<i32> {
    const H: i32 = 3600;
    Some(match w {
        b"UTC" | b"UT" | b"GMT" | b"Z" | b"WET" => 0,
        b"EST" => -5 * H,
        b"EDT" => -4 * H,
        b"CST" => -6 * H,
        b"CDT" => -5 * H,
        b"MST" => -7 * H,
        b"MDT" => -6 * H,
        b"PST" => -8 * H,
        b"PDT" => -7 * H,
        b"AKST" => -9 * H,
        b"AKDT" => -8 * H,
        b"HST" => -10 * H,
        b"WEST" | b"CET" | b"MET" => H,
        b"CEST" | b"MEST" | b"EET" => 2 * H,
        b"EEST" | b"MSK" => 3 * H,
        b"AWST" => 8 * H,
        b"JST" | b"KST" => 9 * H,
        b"ACST" => 9 * H + H / 2,
        b"AEST" => 10 * H,
        b"ACDT" => 10 * H + H / 2,
        b"AEDT" => 11 * H,
        b"NZST" => 12 * H,
        b"NZDT" => 13 * H,
        _ => return None,
    })
}

/// A run of 1..=5 upper-case letters at `i` not followed by a letter or digit.
#[inline]
fn upper_word(b: &[u8], i: usize) -> Option<&[u8]> {
    let n = b
        .get(i..)?
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    if n == 0 || n > 5 || is_alnum(b, i + n) {
        return None;
    }
    Some(&b[i..i + n])
}

// ---------------------------------------------------------------------------------
// The line-header parser.

/// Fields read from a timestamp before validation.
#[derive(Default)]
struct Parts {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
    nanos: u32,
    /// Explicit offset, seconds east; `None` reads the time in the context zone.
    offset: Option<i32>,
    /// False for forms without a year (the context year is used).
    has_year: bool,
}

/// A fraction of a second at `i` (`.123`, `,123456`, any length; or HealthApp's
/// `:606`, exactly three digits). Returns the index after it.
#[inline]
fn fraction(b: &[u8], i: usize, p: &mut Parts) -> usize {
    match b.get(i) {
        Some(b'.' | b',') if is_digit(b, i + 1) => {
            let mut j = i + 1;
            let (mut v, mut n) = (0u32, 0u32);
            while let Some(d) = dig(b, j) {
                if n < 9 {
                    v = v * 10 + d;
                    n += 1;
                }
                j += 1;
            }
            p.nanos = v * 10u32.pow(9 - n);
            j
        }
        Some(b':') if is_digit(b, i + 1) && is_digit(b, i + 2) && is_digit(b, i + 3) => {
            if is_digit(b, i + 4) {
                return i;
            }
            let ms = dig(b, i + 1).unwrap_or(0) * 100 + num2(b, i + 2).unwrap_or(0);
            p.nanos = ms * 1_000_000;
            i + 4
        }
        _ => i,
    }
}

/// Time of day at `i`: `h:mm[:ss][.frac][ AM|PM]` with `sep` between the fields
/// (`:` or BGL's `.`); seconds are optional unless `need_secs`.
fn time(b: &[u8], i: usize, sep: u8, need_secs: bool, p: &mut Parts) -> Option<usize> {
    let (mut h, i) = num12(b, i)?;
    if !at(b, i, sep) {
        return None;
    }
    let m = num2(b, i + 1)?;
    let mut i = i + 3;
    let mut s = 0;
    if at(b, i, sep) && is_digit(b, i + 1) {
        s = num2(b, i + 1)?;
        i = fraction(b, i + 3, p);
    } else if need_secs {
        return None;
    }
    if is_digit(b, i) {
        return None;
    }
    // 12-hour clock (java.util.logging: `Oct 9, 2010 12:46:34 PM`).
    if at(b, i, b' ') && (1..=12).contains(&h) {
        let pm = match b.get(i + 1..i + 3) {
            Some(b"AM") => Some(false),
            Some(b"PM") => Some(true),
            _ => None,
        };
        if let Some(pm) = pm.filter(|_| !is_alnum(b, i + 3)) {
            h = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, false) => h,
                (h, true) => h + 12,
            };
            i += 3;
        }
    }
    p.hour = h;
    p.min = m;
    p.sec = s;
    Some(i)
}

/// `hhmmss` (six digits, not seven) plus a fraction.
fn time_compact(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    p.hour = num2(b, i)?;
    p.min = num2(b, i + 2)?;
    p.sec = num2(b, i + 4)?;
    if is_digit(b, i + 6) {
        return None;
    }
    Some(fraction(b, i + 6, p))
}

/// A numeric offset at `i` (`+hh:mm`, `-hhmm`, and `+hh` when `allow_hh`).
fn num_offset(b: &[u8], i: usize, allow_hh: bool) -> Option<(i32, usize)> {
    let sign = match b.get(i)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h = num2(b, i + 1)?;
    let (m, j) = if at(b, i + 3, b':') {
        (num2(b, i + 4)?, i + 6)
    } else if let Some(m) = num2(b, i + 3) {
        (m, i + 5)
    } else if allow_hh {
        (0, i + 3)
    } else {
        return None;
    };
    if is_digit(b, j) || h > 23 || m > 59 {
        return None;
    }
    Some((sign * (h * 3600 + m * 60) as i32, j))
}

/// An optional zone right after a time: `Z`, `+hh:mm`, `+hhmm`, `+hh`, or after one
/// space `+hh:mm`, `+hhmm` or a known abbreviation (` UTC`, ` PDT`). Returns the index
/// after it (unchanged when there is none).
fn zone(b: &[u8], i: usize, p: &mut Parts) -> usize {
    match b.get(i) {
        Some(b'Z' | b'z') if !is_alnum(b, i + 1) => {
            p.offset = Some(0);
            i + 1
        }
        Some(b'+' | b'-') => match num_offset(b, i, true) {
            Some((o, j)) => {
                p.offset = Some(o);
                j
            }
            None => i,
        },
        Some(b' ') => {
            if let Some((o, j)) = num_offset(b, i + 1, false) {
                p.offset = Some(o);
                return j;
            }
            match upper_word(b, i + 1).and_then(|w| Some((zone_abbr(w)?, w.len()))) {
                Some((o, n)) => {
                    p.offset = Some(o);
                    i + 1 + n
                }
                None => i,
            }
        }
        _ => i,
    }
}

/// A year after a year-less time: ` 2005` or ` EST 2021` (zone abbreviation, known or
/// not, then the year; as date(1) prints). Returns the index after it.
fn year_after(b: &[u8], i: usize, p: &mut Parts) -> usize {
    if !at(b, i, b' ') {
        return i;
    }
    let year4 = |j: usize| -> Option<u32> {
        let y = num4(b, j)?;
        ((1900..=2200).contains(&y) && !is_alnum(b, j + 4)).then_some(y)
    };
    if let Some(y) = year4(i + 1) {
        p.year = i64::from(y);
        p.has_year = true;
        return i + 5;
    }
    if let Some(w) = upper_word(b, i + 1) {
        let j = i + 1 + w.len();
        if at(b, j, b' ') {
            if let Some(y) = year4(j + 1) {
                p.year = i64::from(y);
                p.has_year = true;
                if let Some(o) = zone_abbr(w) {
                    p.offset = Some(o);
                }
                return j + 5;
            }
        }
    }
    i
}

/// Forms starting with a 4-digit year: `2024-01-15T14:23:45`, `2024-01-15 14:23:45`,
/// `2024/01/15 14:23:45`, `2011.11.08 00:01:43`, BGL's `2005-06-03-15.42.50.675872`,
/// and with `whole` a date alone.
fn from_year(b: &[u8], i: usize, sep: u8, p: &mut Parts, whole: bool) -> Option<usize> {
    p.year = i64::from(num4(b, i)?);
    p.has_year = true;
    if sep == b'-' && is_digit(b, i + 7) && matches!(b.get(i + 8), Some(b'T' | b't')) {
        return from_ordinal(b, i + 5, p);
    }
    let (month, j) = num12(b, i + 5)?;
    if !at(b, j, sep) {
        return None;
    }
    let (day, j) = num12(b, j + 1)?;
    p.month = month;
    p.day = day;
    match b.get(j) {
        Some(b'T' | b't') if is_digit(b, j + 1) => time(b, j + 1, b':', false, p),
        Some(b' ') if is_digit(b, j + 1) => time(b, j + 1, b':', false, p),
        Some(b'-') if sep == b'-' && is_digit(b, j + 1) => {
            time(b, j + 1, b'.', true, p).or_else(|| time(b, j + 1, b':', true, p))
        }
        Some(b':') if sep == b'/' => time(b, j + 1, b':', true, p),
        // Gin: `2024/11/12 - 15:19:06`.
        Some(b' ') if sep == b'/' && b.get(j + 1..j + 3) == Some(b"- ") && is_digit(b, j + 3) => {
            time(b, j + 3, b':', false, p)
        }
        _ if whole && !is_alnum(b, j) => Some(j),
        _ => None,
    }
}

/// ISO 8601 ordinal date after `yyyy-`: `ddd` then `T` and the time (`2012-025T10:22:40`).
fn from_ordinal(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    let doy = dig(b, i)? * 100 + num2(b, i + 1)?;
    let leap = days_in_month(p.year, 2) == 29;
    if doy == 0 || doy > 365 + u32::from(leap) {
        return None;
    }
    // Turn the day of the year into month and day.
    let (mut m, mut d) = (1, doy);
    while d > days_in_month(p.year, m) {
        d -= days_in_month(p.year, m);
        m += 1;
    }
    (p.month, p.day) = (m, d);
    time(b, i + 4, b':', true, p)
}

/// `yyyymmdd` then `T`, `-`, `_`, space or `.`, then `hh:mm:ss` or `hhmmss`
/// (HealthApp's `20171223-22:15:29:606`, ISO basic `20240115T142345Z`).
fn from_yyyymmdd(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    p.year = i64::from(num4(b, i)?);
    p.month = num2(b, i + 4)?;
    p.day = num2(b, i + 6)?;
    p.has_year = true;
    let sep = *b.get(i + 8)?;
    if !matches!(sep, b'T' | b't' | b'-' | b'_' | b' ' | b'.') {
        return None;
    }
    let k = i + 9;
    if sep == b'-' && (at(b, k + 1, b':') || at(b, k + 2, b':')) {
        time_unpadded(b, k, p)
    } else if sep != b'.' && at(b, k + 2, b':') {
        time(b, k, b':', true, p)
    } else {
        time_compact(b, k, p)
    }
}

/// HealthApp's unpadded `H:m:s:S` (`22:16:0:119`, `22:15:35:11` = 11 ms), also with
/// a regular `.`/`,` fraction.
fn time_unpadded(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    let (h, i) = num12(b, i)?;
    if !at(b, i, b':') {
        return None;
    }
    let (m, i) = num12(b, i + 1)?;
    if !at(b, i, b':') {
        return None;
    }
    let (s, mut i) = num12(b, i + 1)?;
    if at(b, i, b':') && is_digit(b, i + 1) {
        let n = b[i + 1..]
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n > 3 {
            return None;
        }
        let ms = b[i + 1..i + 1 + n]
            .iter()
            .fold(0, |a, &c| a * 10 + u32::from(c - b'0'));
        p.nanos = ms * 1_000_000;
        i += 1 + n;
    } else {
        i = fraction(b, i, p);
    }
    (p.hour, p.min, p.sec) = (h, m, s);
    Some(i)
}

/// HDFS's `yymmdd hhmmss`, and old MySQL's `yymmdd hh:mm:ss` / `yymmdd  h:mm:ss`.
fn from_yymmdd(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    p.year = two_digit_year(num2(b, i)?);
    p.month = num2(b, i + 2)?;
    p.day = num2(b, i + 4)?;
    p.has_year = true;
    let mut j = i + 7;
    if at(b, j, b' ') {
        j += 1;
    }
    time_compact(b, j, p).or_else(|| time(b, j, b':', true, p))
}

fn two_digit_year(yy: u32) -> i64 {
    i64::from(if yy < 70 { 2000 + yy } else { 1900 + yy })
}

/// Forms starting with a 1- or 2-digit number followed by `sep`:
/// CLF `15/Jan/2024:14:23:45`, Spark `17/06/09 20:10:40` (yy/MM/dd),
/// Tomcat `15-Jan-2024 14:23:45`, logcat `03-17 16:13:38.811` (MM-dd, no year),
/// `15.01.2024 14:23:45` (dd.MM.yyyy), Proxifier `10.30 16:49:06` (MM.dd, no year).
fn from_short(b: &[u8], i: usize, n: usize, sep: u8, p: &mut Parts) -> Option<usize> {
    let a = if n == 2 { num2(b, i)? } else { dig(b, i)? };
    let j = i + n + 1;
    let alpha = b.get(j).is_some_and(u8::is_ascii_alphabetic);
    match sep {
        b'/' | b'-' if alpha => {
            // dd/Mon/yyyy:hh:mm:ss or dd-Mon-yyyy hh:mm:ss
            p.day = a;
            p.month = month3(b, j)?;
            if !at(b, j + 3, sep) {
                return None;
            }
            p.year = i64::from(num4(b, j + 4)?);
            p.has_year = true;
            // CLF's `dd/Mon/yyyy:hh:mm:ss`, Django's `dd/Mon/yyyy hh:mm:ss`.
            let joined = at(b, j + 8, if sep == b'/' { b':' } else { b' ' });
            if !(joined || (sep == b'/' && at(b, j + 8, b' '))) {
                return None;
            }
            time(b, j + 9, b':', true, p)
        }
        b'/' if n == 2 => {
            let second = num2(b, j)?;
            match b.get(j + 2) {
                // snort: MM/dd-hh:mm:ss.ffffff (no year)
                Some(b'-') => {
                    (p.month, p.day) = (a, second);
                    time(b, j + 3, b':', true, p)
                }
                Some(b'/') => {
                    let k = j + 3;
                    let yn = b
                        .get(k..)?
                        .iter()
                        .take(5)
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    match (yn, b.get(k + yn)) {
                        // Spark: yy/MM/dd hh:mm:ss
                        (2, Some(b' ')) => {
                            p.year = two_digit_year(a);
                            (p.month, p.day) = (second, num2(b, k)?);
                            p.has_year = true;
                            time(b, k + 3, b':', true, p)
                        }
                        // suricata: MM/dd/yy-hh:mm:ss, MM/dd/yyyy-hh:mm:ss
                        (2 | 4, Some(b'-')) => {
                            p.year = if yn == 2 {
                                two_digit_year(num2(b, k)?)
                            } else {
                                i64::from(num4(b, k)?)
                            };
                            (p.month, p.day) = (a, second);
                            p.has_year = true;
                            time(b, k + yn + 1, b':', true, p)
                        }
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        b'-' if n == 2 => {
            p.month = a;
            p.day = num2(b, j)?;
            if !at(b, j + 2, b' ') {
                return None;
            }
            time(b, j + 3, b':', true, p)
        }
        b'.' if n == 2 => {
            let second = num2(b, j)?;
            if at(b, j + 2, b'.') {
                p.day = a;
                p.month = second;
                p.year = i64::from(num4(b, j + 3)?);
                p.has_year = true;
                if !at(b, j + 7, b' ') {
                    return None;
                }
                time(b, j + 8, b':', true, p)
            } else if at(b, j + 2, b' ') {
                p.month = a;
                p.day = second;
                time(b, j + 3, b':', true, p)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// glog: a level letter, then `mmdd` or `yyyymmdd`, a space and `hh:mm:ss.uuuuuu`.
fn from_glog(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    let j = i + 1;
    let n = b
        .get(j..)?
        .iter()
        .take(9)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let k = match n {
        4 => j,
        8 => {
            p.year = i64::from(num4(b, j)?);
            p.has_year = true;
            j + 4
        }
        _ => return None,
    };
    p.month = num2(b, k)?;
    p.day = num2(b, k + 2)?;
    if !at(b, k + 4, b' ') {
        return None;
    }
    time(b, k + 5, b':', true, p)
}

/// After a month name: syslog `Jan 15 14:23:45` / `Jan  5 14:23:45` (+ optional year),
/// `Jan 15 2024 14:23:45`, and java.util.logging `Oct 9, 2010 12:46:34 PM`.
fn from_month(b: &[u8], i: usize, month: u32, p: &mut Parts) -> Option<usize> {
    p.month = month;
    if !at(b, i, b' ') {
        return None;
    }
    let mut j = i + 1;
    if at(b, j, b' ') {
        j += 1;
    }
    let (day, j) = num12(b, j)?;
    p.day = day;
    if at(b, j, b',') && at(b, j + 1, b' ') {
        p.year = i64::from(num4(b, j + 2)?);
        p.has_year = true;
        if !at(b, j + 6, b' ') {
            return None;
        }
        return time(b, j + 7, b':', true, p);
    }
    if !at(b, j, b' ') {
        return None;
    }
    if let Some(y) = num4(b, j + 1) {
        if at(b, j + 5, b' ') && is_digit(b, j + 6) {
            p.year = i64::from(y);
            p.has_year = true;
            return time(b, j + 6, b':', true, p);
        }
    }
    let k = time(b, j + 1, b':', true, p)?;
    Some(year_after(b, k, p))
}

/// After a day name: ctime / date(1) `Sun Dec 04 04:47:44 2005`,
/// `Wed May 19 08:00:01 EST 2021`, `Thu Nov 14 20:36:37.222` (no year), and RFC 2822
/// `Sun, 04 Dec 2005 04:47:44 +0000`.
fn from_day_name(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    if at(b, i, b',') && at(b, i + 1, b' ') {
        let (day, j) = num12(b, i + 2)?;
        p.day = day;
        if !at(b, j, b' ') {
            return None;
        }
        p.month = month3(b, j + 1)?;
        if !at(b, j + 4, b' ') {
            return None;
        }
        p.year = i64::from(num4(b, j + 5)?);
        p.has_year = true;
        if !at(b, j + 9, b' ') {
            return None;
        }
        return time(b, j + 10, b':', true, p);
    }
    if !at(b, i, b' ') {
        return None;
    }
    let month = month3(b, i + 1)?;
    from_month(b, i + 4, month, p)
}

fn from_letter(b: &[u8], i: usize, p: &mut Parts) -> Option<usize> {
    let c = *b.get(i)?;
    if matches!(c, b'I' | b'W' | b'E' | b'F') && is_digit(b, i + 1) {
        return from_glog(b, i, p);
    }
    let w = word3(b, i)?;
    if let Some(m) = month_of(w) {
        return from_month(b, i + 3, m, p);
    }
    if is_day_name(w) {
        return from_day_name(b, i + 3, p);
    }
    None
}

fn from_digit(b: &[u8], i: usize, p: &mut Parts, whole: bool) -> Option<usize> {
    let n = b
        .get(i..)?
        .iter()
        .take(9)
        .take_while(|c| c.is_ascii_digit())
        .count();
    match (n, b.get(i + n).copied()) {
        (4, Some(sep @ (b'-' | b'/' | b'.'))) => from_year(b, i, sep, p, whole),
        (8, Some(_)) => from_yyyymmdd(b, i, p),
        (6, Some(b' ')) => from_yymmdd(b, i, p),
        (1 | 2, Some(sep @ (b'/' | b'-' | b'.'))) => from_short(b, i, n, sep, p),
        (1 | 2, Some(b' ')) => from_day_month(b, i, n, p),
        _ => None,
    }
}

/// `d Mon yyyy hh:mm:ss[.f]` (Redis, RFC 2822 without its day name).
fn from_day_month(b: &[u8], i: usize, n: usize, p: &mut Parts) -> Option<usize> {
    p.day = if n == 2 { num2(b, i)? } else { dig(b, i)? };
    let j = i + n + 1;
    p.month = month3(b, j)?;
    if !at(b, j + 3, b' ') || !at(b, j + 8, b' ') {
        return None;
    }
    p.year = i64::from(num4(b, j + 4)?);
    p.has_year = true;
    time(b, j + 9, b':', true, p)
}

static NOW_CACHE: AtomicI64 = AtomicI64::new(i64::MIN);

/// Whether `ns` is more than a day in the future. Uses a cached clock reading and
/// reads the clock again only when the cached one says yes.
fn in_future(ns: i64) -> bool {
    let cached = NOW_CACHE.load(Ordering::Relaxed);
    if cached != i64::MIN && ns <= cached.saturating_add(DAY * NS) {
        return false;
    }
    let now = now_ns();
    NOW_CACHE.store(now, Ordering::Relaxed);
    ns > now.saturating_add(DAY * NS)
}

/// Validates the parts and converts them to UTC nanoseconds.
fn to_ns(p: &Parts, year: i64, ctx: &TimeCtx) -> Option<i64> {
    if !(1..=12).contains(&p.month)
        || p.day == 0
        || p.day > days_in_month(year, p.month)
        || p.hour > 23
        || p.min > 59
        || p.sec > 60
    {
        return None;
    }
    let local =
        days_from_civil(year, p.month, p.day) * DAY + i64::from(p.hour * 3600 + p.min * 60 + p.sec);
    let utc = match p.offset {
        Some(o) => local - i64::from(o),
        None => wall_to_utc(local, ctx.tz),
    };
    utc.checked_mul(NS)?.checked_add(i64::from(p.nanos))
}

/// A time of day alone, `14:23:45`, `14:23:45.123`, `3:04PM`, `3:04:05 PM`, dated from
/// the context's reference moment (the file's modification time, else now) in the
/// context's zone: on the reference's date, or the day before when that time of day is
/// more than [`TIME_OF_DAY_AHEAD`] later than the reference's (the clock went back past
/// midnight). So a file written over the 18 hours before its modification time, across
/// midnight or not, reads right; older lines of a longer file are placed a day or more
/// too late (nothing in a line tells the days apart).
pub fn time_of_day(s: &[u8], ctx: &TimeCtx) -> Option<i64> {
    let s = s.trim_ascii();
    let (s, half) = match s
        .len()
        .checked_sub(2)
        .map(|i| (s[..i].trim_ascii_end(), &s[i..]))
    {
        Some((t, b"AM" | b"am")) => (t, Some(0)),
        Some((t, b"PM" | b"pm")) => (t, Some(12)),
        _ => (s, None),
    };
    let mut fields = s.splitn(3, |&c| c == b':');
    let num = |b: &[u8]| -> Option<u32> {
        (!b.is_empty() && b.len() <= 2 && b.iter().all(u8::is_ascii_digit))
            .then(|| b.iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0')))
    };
    let mut hour = num(fields.next()?)?;
    let min = num(fields.next()?)?;
    let (sec, nanos) = match fields.next() {
        None => (0, 0),
        Some(rest) => {
            let cut = rest
                .iter()
                .position(|&c| c == b'.' || c == b',')
                .unwrap_or(rest.len());
            let frac = rest.get(cut + 1..).unwrap_or_default();
            if frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let nanos = frac
                .iter()
                .chain(std::iter::repeat(&b'0'))
                .take(9)
                .fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
            (num(&rest[..cut])?, nanos)
        }
    };
    if let Some(add) = half {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = hour % 12 + add;
    }
    let reference = if ctx.reference == 0 {
        now_ns()
    } else {
        ctx.reference
    };
    let ref_secs = reference.div_euclid(NS);
    let ref_day = (ref_secs + offset_at_utc(ref_secs, ctx.tz)).div_euclid(DAY);
    let on_day = |days: i64| {
        let (year, month, day) = civil_from_days(days);
        let p = Parts {
            year,
            month,
            day,
            hour,
            min,
            sec,
            nanos,
            offset: None,
            has_year: true,
        };
        to_ns(&p, year, ctx)
    };
    // The file was last written at the reference moment, so no entry is later: a time
    // of day after the reference's is from the day before (a file written across
    // midnight). Decided per entry, so chunks read in parallel and streams agree.
    match on_day(ref_day)? {
        ns if ns > reference.saturating_add(TIME_OF_DAY_AHEAD * NS) => on_day(ref_day - 1),
        ns => Some(ns),
    }
}

/// How far past the reference moment a time of day may fall and still be on the
/// reference's date: a writer's clock in a zone up to six hours east of the zone the
/// times are read in (`--tz`, UTC by default) writes times of day that much "later".
pub const TIME_OF_DAY_AHEAD: i64 = 6 * 3600;

fn finish(p: &Parts, ctx: &TimeCtx) -> Option<i64> {
    if p.has_year {
        return to_ns(p, p.year, ctx);
    }
    let year = i64::from(ctx.year);
    match to_ns(p, year, ctx) {
        Some(ns) if ctx.reference != 0 && ns <= ctx.reference.saturating_add(DAY * NS) => Some(ns),
        Some(ns) if ctx.reference == 0 && !in_future(ns) => Some(ns),
        // More than a day ahead (December lines read in January), or Feb 29 of the
        // previous, leap year: take the previous year.
        _ => to_ns(p, year - 1, ctx),
    }
}

/// Parses the timestamp at `b` (after optional spaces, a BOM and `[`). Returns the
/// time and the index after it (after its `]` when one closes the opening `[`).
fn parse_at(b: &[u8], ctx: &TimeCtx, whole: bool) -> Option<(i64, usize)> {
    let mut i = 0;
    if b.starts_with(b"\xEF\xBB\xBF") {
        i = 3;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    // Syslog priority: RFC 3164 `<13>`, RFC 5424 `<13>1 `.
    if at(b, i, b'<') {
        let n = b
            .get(i + 1..)?
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(1..=3).contains(&n) || !at(b, i + 1 + n, b'>') {
            return None;
        }
        i += n + 2;
        if at(b, i, b'1') && at(b, i + 1, b' ') {
            i += 2;
        }
    }
    let bracket = at(b, i, b'[');
    if bracket {
        i += 1;
    }
    let mut p = Parts::default();
    let end = match *b.get(i)? {
        b'0'..=b'9' => from_digit(b, i, &mut p, whole)?,
        b'A'..=b'Z' | b'a'..=b'z' => from_letter(b, i, &mut p)?,
        _ => return None,
    };
    let mut end = if p.offset.is_none() {
        zone(b, end, &mut p)
    } else {
        end
    };
    if bracket && at(b, end, b']') {
        end += 1;
    }
    if is_alnum(b, end) {
        return None;
    }
    Some((finish(&p, ctx)?, end))
}

/// Finds a timestamp at the very start of a text log line.
///
/// A UTF-8 BOM, leading spaces/tabs, a syslog priority (`<34>`, RFC 5424 `<165>1 `)
/// and an opening `[` are skipped. Returns the UTC nanoseconds and the number of bytes
/// consumed: everything up to the end of the timestamp including its fraction and
/// zone, and the `]` when it closes the opening `[` right away (trailing spaces are not
/// consumed). The timestamp must be followed by the end of the line or a byte that is
/// not an ASCII letter or digit.
///
/// Forms (a fraction is `.` or `,` and any number of digits; a zone is `Z`, `+hh:mm`,
/// `+hhmm`, `+hh`, or after a space `+hh:mm`, `+hhmm` or a known abbreviation such as
/// `UTC`, `GMT`, `EST`, `PDT`, `CET`):
/// - ISO 8601 / RFC 3339: `2024-01-15T14:23:45.123Z`, `2024-01-15 14:23:45,123`,
///   `2024-01-15T14:23:45+01:00`, `2024/01/15 14:23:45`, `2011.11.08 00:01:43.408`,
///   `2024-01-15 14:23` (no seconds), basic `20240115T142345Z`, ordinal
///   `2012-025T10:22:40`;
/// - syslog `Jan 15 14:23:45`, `Jan  5 14:23:45` (year from `ctx`, see below);
/// - Apache/CLF `[15/Jan/2024:14:23:45 +0000]`, Tomcat `15-Jan-2024 14:23:45.123`;
/// - ctime `[Sun Dec 04 04:47:44 2005]`, date(1) `Wed May 19 08:00:01 EST 2021`
///   (an unknown abbreviation leaves the time in `ctx.tz`), RFC 2822
///   `Sun, 04 Dec 2005 04:47:44 +0000`;
/// - java.util.logging `Oct 9, 2010 12:46:34 PM`;
/// - glog `I0115 14:23:45.123456` (and `I20240115 ...`; the letter is consumed);
/// - HDFS `081109 203615`, Spark `17/06/09 20:10:40`, logcat `03-17 16:13:38.811`,
///   HealthApp `20171223-22:15:29:606` and unpadded `20171223-22:16:0:11` (`:S` is
///   milliseconds), BGL `2005-06-03-15.42.50.675872`, Proxifier `10.30 16:49:06`
///   (MM.dd), `15.01.2024 14:23:45` (dd.MM.yyyy), old MySQL `150420  9:41:02`,
///   snort `12/28-12:55:38.765402` (MM/dd), suricata `10/05/2010-10:08:59.667372`
///   (MM/dd/yyyy or MM/dd/yy).
///
/// Not read: `MM/dd/yyyy` or `dd/MM/yyyy` with a space (ambiguous), time-only forms,
/// epoch numbers, full month names, non-English month names.
///
/// Forms without a year take `ctx.year`, or the year before when that would put the
/// time more than a day in the future (or when Feb 29 does not exist in `ctx.year`).
/// Times without a zone are read in `ctx.tz`. Epoch numbers are not accepted here (too
/// ambiguous at a line start).
pub fn parse_leading(line: &[u8], ctx: &TimeCtx) -> Option<(i64, usize)> {
    parse_at(line, ctx, false)
}

/// Parses a whole field value as a timestamp (surrounding whitespace ignored): every
/// form of [`parse_leading`], a date alone (`2024-01-15`, midnight in `ctx.tz`), or an
/// epoch number written as digits (`1705328625`, `1705328625.123`, `1705328625123`,
/// optionally negative), whose unit follows from its magnitude as in [`from_epoch`]
/// (read exactly, without going through `f64`).
pub fn parse_str(s: &[u8], ctx: &TimeCtx) -> Option<i64> {
    let s = s.trim_ascii();
    if s.is_empty() {
        return None;
    }
    if let Some(ns) = rfc3339(s, ctx) {
        return Some(ns);
    }
    if let Some(ns) = epoch_digits(s) {
        return Some(ns);
    }
    match parse_at(s, ctx, true)? {
        (ns, end) if end == s.len() => Some(ns),
        _ => None,
    }
}

/// The usual form, read at fixed positions: `yyyy-mm-ddThh:mm:ss[.f{1,9}][Z|±hh:mm]`
/// (`T`, `t` or a space between date and time). `None` for anything else, which the
/// general parser then reads (to the same value when this form was meant).
#[inline]
pub fn rfc3339(s: &[u8], ctx: &TimeCtx) -> Option<i64> {
    let head: &[u8; 19] = s.get(..19)?.try_into().ok()?;
    // Consecutive entries mostly share their second: the date and time of the last
    // string read on this thread are kept, so a repeat costs one compare.
    let local = match LAST_SECOND.with(Cell::get) {
        Some((last, secs)) if last == *head => secs,
        _ => {
            let secs = wall_seconds(head)?;
            LAST_SECOND.with(|c| c.set(Some((*head, secs))));
            secs
        }
    };
    let mut p = Parts::default();
    let mut rest = &s[19..];
    if let [b'.', frac @ ..] = rest {
        let (mut v, mut n) = (0u32, 0usize);
        while let Some(&c) = frac.get(n) {
            let digit = c.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            if n == 9 {
                return None;
            }
            v = v * 10 + u32::from(digit);
            n += 1;
        }
        if n == 0 {
            return None;
        }
        const SCALE: [u32; 10] = [
            1_000_000_000,
            100_000_000,
            10_000_000,
            1_000_000,
            100_000,
            10_000,
            1_000,
            100,
            10,
            1,
        ];
        p.nanos = v * SCALE[n];
        rest = &frac[n..];
    }
    match rest {
        [] => {}
        [b'Z' | b'z'] => p.offset = Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
                (a <= 9 && b <= 9).then_some(u32::from(a) * 10 + u32::from(b))
            };
            let (h, m) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let o = (h * 3600 + m * 60) as i32;
            p.offset = Some(if *sign == b'-' { -o } else { o });
        }
        _ => return None,
    }
    let utc = match p.offset {
        Some(o) => local - i64::from(o),
        None => wall_to_utc(local, ctx.tz),
    };
    utc.checked_mul(NS)?.checked_add(i64::from(p.nanos))
}

thread_local! {
    /// The last `yyyy-mm-ddThh:mm:ss` read by `rfc3339` and its wall-clock seconds.
    static LAST_SECOND: Cell<Option<([u8; 19], i64)>> = const { Cell::new(None) };
}

/// Wall-clock seconds since the epoch of `yyyy-mm-ddThh:mm:ss` (`T`, `t` or a space),
/// validated as `to_ns` does; `None` when the text is not that form.
fn wall_seconds(head: &[u8; 19]) -> Option<i64> {
    if head[4] != b'-'
        || head[7] != b'-'
        || !matches!(head[10], b'T' | b't' | b' ')
        || head[13] != b':'
        || head[16] != b':'
    {
        return None;
    }
    let d = |i: usize| head[i].wrapping_sub(b'0');
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    if DIGITS.iter().fold(0u8, |bad, &i| bad | u8::from(d(i) > 9)) != 0 {
        return None;
    }
    let n2 = |i: usize| u32::from(d(i)) * 10 + u32::from(d(i + 1));
    let year = i64::from(n2(0) * 100 + n2(2));
    let (month, day, hour, min, sec) = (n2(5), n2(8), n2(11), n2(14), n2(17));
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || min > 59
        || sec > 60
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * DAY + i64::from(hour * 3600 + min * 60 + sec))
}

/// `-?digits(.digits)?` read as an epoch in s / ms / us / ns by magnitude, exactly
/// (a JSON number's digits, which `f64` would round: `1705328625.123` is .122999906 s).
pub fn epoch_digits(s: &[u8]) -> Option<i64> {
    let (neg, s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(dot) => (&s[..dot], &s[dot + 1..]),
        None => (s, &s[..0]),
    };
    if int.is_empty()
        || int.len() > 19
        || !int.iter().all(u8::is_ascii_digit)
        || (s.len() > int.len() && frac.is_empty())
        || !frac.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let iv = int
        .iter()
        .fold(0i128, |a, &c| a * 10 + i128::from(c - b'0'));
    let scale: i128 = if iv < 100_000_000_000 {
        1_000_000_000
    } else if iv < 100_000_000_000_000 {
        1_000_000
    } else if iv < 100_000_000_000_000_000 {
        1_000
    } else {
        1
    };
    let frac = &frac[..frac.len().min(9)];
    let fv = frac
        .iter()
        .fold(0i128, |a, &c| a * 10 + i128::from(c - b'0'));
    let ns = iv * scale + fv * scale / 10i128.pow(frac.len() as u32);
    i64::try_from(if neg { -ns } else { ns }).ok()
}

/// An epoch number to nanoseconds; its magnitude decides the unit:
/// |n| < 1e11 seconds, < 1e14 milliseconds, < 1e17 microseconds, else nanoseconds.
/// Fractions are kept (rounded to the nanosecond). NaN, infinities and values outside
/// the i64 nanosecond range give `None`.
pub fn from_epoch(n: f64) -> Option<i64> {
    if !n.is_finite() {
        return None;
    }
    let a = n.abs();
    let scale: i64 = if a < 1e11 {
        1_000_000_000
    } else if a < 1e14 {
        1_000_000
    } else if a < 1e17 {
        1_000
    } else {
        1
    };
    let ip = n.trunc();
    // |ip| < 2^63 so the cast is exact; anything larger cannot fit anyway.
    if ip.abs() >= 9.223_372_036_854_775e18 {
        return None;
    }
    // The fraction to the precision the number holds: the smallest power of ten of
    // nanoseconds at least its spacing (an epoch in seconds holds microseconds), so
    // the double nearest `1705328625.123` reads as .123, not .122999907.
    let spacing_ns = (f64::from_bits(a.to_bits() + 1) - a) * scale as f64;
    let quantum = 10f64.powi(spacing_ns.log10().ceil().max(0.0) as i32);
    let frac_ns = (((n - ip) * scale as f64) / quantum).round() * quantum;
    (ip as i64).checked_mul(scale)?.checked_add(frac_ns as i64)
}

// ---------------------------------------------------------------------------------
// Formatting.

/// `YYYY-MM-DD?HH:MM:SS.mmm` for the wall time `secs` (+ `ms`).
fn format_wall(secs: i64, ms: u32, sep: u8, zulu: bool) -> String {
    let (y, mo, d) = civil_from_days(secs.div_euclid(DAY));
    let sod = secs.rem_euclid(DAY) as u32;
    if !(0..=9999).contains(&y) {
        let t = if sep == b'T' { 'T' } else { ' ' };
        let z = if zulu { "Z" } else { "" };
        return format!(
            "{y:04}-{mo:02}-{d:02}{t}{:02}:{:02}:{:02}.{ms:03}{z}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        );
    }
    let mut out = [0u8; 24];
    let put2 = |o: &mut [u8], v: u32| {
        o[0] = b'0' + (v / 10 % 10) as u8;
        o[1] = b'0' + (v % 10) as u8;
    };
    let y = y as u32;
    put2(&mut out[0..2], y / 100);
    put2(&mut out[2..4], y % 100);
    out[4] = b'-';
    put2(&mut out[5..7], mo);
    out[7] = b'-';
    put2(&mut out[8..10], d);
    out[10] = sep;
    put2(&mut out[11..13], sod / 3600);
    out[13] = b':';
    put2(&mut out[14..16], sod / 60 % 60);
    out[16] = b':';
    put2(&mut out[17..19], sod % 60);
    out[19] = b'.';
    out[20] = b'0' + (ms / 100 % 10) as u8;
    put2(&mut out[21..23], ms % 100);
    out[23] = b'Z';
    let n = if zulu { 24 } else { 23 };
    out[..n].iter().map(|&c| char::from(c)).collect()
}

/// RFC 3339 in UTC with milliseconds (truncated): `2024-01-15T14:23:45.123Z`.
pub fn format_rfc3339_ms(ns: i64) -> String {
    let ms = (ns.rem_euclid(NS) / 1_000_000) as u32;
    format_wall(ns.div_euclid(NS), ms, b'T', true)
}

/// `2024-01-15T14:23:45.123456789Z`: full precision, for times passed on exactly.
pub fn format_rfc3339_ns(ns: i64) -> String {
    let ms = format_rfc3339_ms(ns.div_euclid(NS) * NS);
    let frac = ns.rem_euclid(NS);
    format!(
        "{}.{frac:09}Z",
        ms.trim_end_matches('Z').trim_end_matches(".000")
    )
}

/// `2024-01-15 14:23:45.123` in UTC, or in the local zone when `local`.
pub fn format_display(ns: i64, local: bool) -> String {
    let secs = ns.div_euclid(NS);
    let ms = (ns.rem_euclid(NS) / 1_000_000) as u32;
    let secs = if local {
        secs + i64::from(local_offset_at_utc(secs))
    } else {
        secs
    };
    format_wall(secs, ms, b' ', false)
}

// ---------------------------------------------------------------------------------
// User input.

/// A `--tz` value: `UTC`, `Z`, `GMT` (any case) -> [`Tz::Utc`]; `local` ->
/// [`Tz::Local`]; `+05:30`, `-0800`, `+02`, `+5` -> [`Tz::Fixed`] (also after `UTC`/
/// `GMT`: `UTC+2`); a known abbreviation such as `EST` or `CET` -> its fixed offset.
pub fn parse_tz(s: &str) -> Result<Tz, String> {
    let t = s.trim();
    let err = || {
        format!(
            "invalid time zone {s:?}: expected UTC, Z, local, an offset like +05:30, -0800 or +02, \
             or an abbreviation like EST or CET"
        )
    };
    let upper = t.to_ascii_uppercase();
    match upper.as_str() {
        "UTC" | "Z" | "GMT" | "UT" => return Ok(Tz::Utc),
        "LOCAL" => return Ok(Tz::Local),
        _ => {}
    }
    let b = upper.as_bytes();
    let b = b
        .strip_prefix(b"UTC")
        .or_else(|| b.strip_prefix(b"GMT"))
        .unwrap_or(b);
    if let Some((sign, rest)) = match b.split_first() {
        Some((b'+', r)) => Some((1, r)),
        Some((b'-', r)) => Some((-1, r)),
        _ => None,
    } {
        let (h, m) = match rest {
            [h] if h.is_ascii_digit() => (u32::from(h - b'0'), 0),
            [_, _] => (num2(rest, 0).ok_or_else(err)?, 0),
            [h, b':', _, _] if h.is_ascii_digit() => {
                (u32::from(h - b'0'), num2(rest, 2).ok_or_else(err)?)
            }
            [_, _, _, _] => (
                num2(rest, 0).ok_or_else(err)?,
                num2(rest, 2).ok_or_else(err)?,
            ),
            [_, _, b':', _, _] => (
                num2(rest, 0).ok_or_else(err)?,
                num2(rest, 3).ok_or_else(err)?,
            ),
            _ => return Err(err()),
        };
        if h > 23 || m > 59 {
            return Err(err());
        }
        return Ok(Tz::Fixed(sign * (h * 3600 + m * 60) as i32));
    }
    match zone_abbr(upper.as_bytes()) {
        Some(0) => Ok(Tz::Utc),
        Some(o) => Ok(Tz::Fixed(o)),
        None => Err(err()),
    }
}

/// A `--since` / `--until` value, relative to `now_ns`:
/// - `now`; `today` / `yesterday`: midnight starting that day in `ctx.tz`;
/// - a duration ago: `15m`, `30s`, `2h`, `3d`, `1w`, `500ms`, `1.5h`, `2 hours ago`
///   (units s/sec/second(s), m/min/minute(s), h/hr/hour(s), d/day(s), w/week(s), ms);
/// - a time of day today in `ctx.tz`: `14:30`, `14:30:15`;
/// - a date (midnight in `ctx.tz`): `2024-01-15`, `20240115`;
/// - a date and time: `2024-01-15T14:00`, `2024-01-15 14:00:30`, any RFC 3339 and
///   every form [`parse_str`] reads (times without an offset are in `ctx.tz`);
/// - an epoch of 9 or more digits (`1705328625`, `1705328625123`).
pub fn parse_user_time(s: &str, now_ns: i64, ctx: &TimeCtx) -> Result<i64, String> {
    let t = s.trim();
    let err = || {
        format!(
            "invalid time {s:?}: expected now, today, yesterday, a duration ago like 15m, 30s, 2h, \
             3d or 1w, a time of day like 14:30, a date like 2024-01-15, a date and time like \
             2024-01-15T14:00 or 2024-01-15 14:00:00, an RFC 3339 timestamp like \
             2024-01-15T14:00:00Z or 2024-01-15T14:00:00+01:00, or an epoch like 1705328625"
        )
    };
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "now" => return Ok(now_ns),
        "today" => return local_midnight(now_ns, 0, 0, ctx).ok_or_else(err),
        "yesterday" => return local_midnight(now_ns, -1, 0, ctx).ok_or_else(err),
        _ => {}
    }
    if let Some(ago) = duration_ns(lower.as_bytes()) {
        return now_ns.checked_sub(ago).ok_or_else(err);
    }
    let b = t.as_bytes();
    // A time of day, today.
    let mut p = Parts::default();
    if is_digit(b, 0) && time(b, 0, b':', false, &mut p) == Some(b.len()) {
        if p.hour > 23 || p.min > 59 || p.sec > 60 {
            return Err(err());
        }
        let sod = i64::from(p.hour * 3600 + p.min * 60 + p.sec);
        return local_midnight(now_ns, 0, sod, ctx)
            .and_then(|ns| ns.checked_add(i64::from(p.nanos)))
            .ok_or_else(err);
    }
    if b.iter().all(u8::is_ascii_digit) {
        if b.len() == 8 {
            // yyyymmdd
            let p = Parts {
                year: i64::from(num4(b, 0).ok_or_else(err)?),
                month: num2(b, 4).ok_or_else(err)?,
                day: num2(b, 6).ok_or_else(err)?,
                has_year: true,
                ..Parts::default()
            };
            return to_ns(&p, p.year, ctx).ok_or_else(err);
        }
        if b.len() < 9 {
            return Err(err());
        }
    }
    parse_str(b, ctx).ok_or_else(err)
}

/// `days` days after the start of today (in `ctx.tz`, as of `now_ns`), plus `sod`
/// seconds of wall time, in UTC nanoseconds.
fn local_midnight(now_ns: i64, days: i64, sod: i64, ctx: &TimeCtx) -> Option<i64> {
    let now = now_ns.div_euclid(NS);
    let today = (now + offset_at_utc(now, ctx.tz)).div_euclid(DAY);
    let wall = (today + days).checked_mul(DAY)?.checked_add(sod)?;
    wall_to_utc(wall, ctx.tz).checked_mul(NS)
}

/// `15m`, `1.5 h`, `2 hours ago`, `-30s` as nanoseconds (positive).
fn duration_ns(s: &[u8]) -> Option<i64> {
    let s = s.strip_suffix(b"ago").unwrap_or(s).trim_ascii();
    let s = s.strip_prefix(b"-").unwrap_or(s);
    let nlen = s
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b'.')
        .count();
    let (num, unit) = s.split_at(nlen);
    let unit_ns: i128 = match unit.trim_ascii() {
        b"ms" | b"msec" | b"millis" => 1_000_000,
        b"s" | b"sec" | b"secs" | b"second" | b"seconds" => 1_000_000_000,
        b"m" | b"min" | b"mins" | b"minute" | b"minutes" => 60_000_000_000,
        b"h" | b"hr" | b"hrs" | b"hour" | b"hours" => 3_600_000_000_000,
        b"d" | b"day" | b"days" => 86_400_000_000_000,
        b"w" | b"wk" | b"wks" | b"week" | b"weeks" => 604_800_000_000_000,
        _ => return None,
    };
    let (int, frac) = match num.iter().position(|&c| c == b'.') {
        Some(d) => (&num[..d], &num[d + 1..]),
        None => (num, &num[..0]),
    };
    if int.is_empty() || int.len() > 12 || frac.contains(&b'.') {
        return None;
    }
    let iv = int
        .iter()
        .fold(0i128, |a, &c| a * 10 + i128::from(c - b'0'));
    let frac = &frac[..frac.len().min(9)];
    let fv = frac
        .iter()
        .fold(0i128, |a, &c| a * 10 + i128::from(c - b'0'));
    let ns = iv * unit_ns + fv * unit_ns / 10i128.pow(frac.len() as u32);
    i64::try_from(ns).ok()
}

#[cfg(test)]
mod rfc3339_ns_tests {
    use super::*;

    #[test]
    fn full_precision_round_trips() {
        let ctx = TimeCtx::utc_now_year();
        for ns in [0i64, 1, 1_705_328_625_123_456_789, -1] {
            let text = format_rfc3339_ns(ns);
            assert_eq!(parse_str(text.as_bytes(), &ctx), Some(ns), "{text}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(year: i32) -> TimeCtx {
        TimeCtx {
            tz: Tz::Utc,
            year,
            reference: 0,
        }
    }

    fn leading(line: &[u8], c: &TimeCtx) -> Option<(String, usize)> {
        parse_leading(line, c).map(|(ns, n)| (format_rfc3339_ms(ns), n))
    }

    /// Nanosecond precision for fraction tests.
    fn nanos_of(ns: i64) -> i64 {
        ns.rem_euclid(NS)
    }

    /// The fixed-position reader agrees with the general parser wherever it answers,
    /// over every one-byte change and every cut of a set of RFC 3339 strings.
    #[test]
    fn rfc3339_fast_path_agrees_with_general_parser() {
        let bases: &[&[u8]] = &[
            b"2024-01-15T14:23:45.123Z",
            b"2024-02-29 23:59:60.123456789+05:30",
            b"1999-12-31t00:00:00-08:00",
            b"2023-02-28T12:00:00",
            b"2024-01-15T14:23:45.1z",
        ];
        let subs = b"0123456789-+:.TtZz /x";
        let mut answered = 0;
        for tz in [Tz::Utc, Tz::Fixed(3600)] {
            let c = TimeCtx {
                tz,
                year: 2024,
                reference: 0,
            };
            for base in bases {
                let mut cases: Vec<Vec<u8>> =
                    (0..=base.len()).map(|n| base[..n].to_vec()).collect();
                for i in 0..base.len() {
                    for &b in subs {
                        let mut v = base.to_vec();
                        v[i] = b;
                        cases.push(v);
                    }
                }
                for case in cases {
                    if let Some(fast) = rfc3339(&case, &c) {
                        answered += 1;
                        let general = parse_at(&case, &c, true)
                            .filter(|(_, end)| *end == case.len())
                            .map(|(ns, _)| ns);
                        assert_eq!(Some(fast), general, "{}", String::from_utf8_lossy(&case));
                    }
                }
            }
        }
        assert!(answered > 500, "{answered}");
        // The per-thread cache of the last second never answers for other text.
        assert_eq!(rfc3339(&[0; 19], &ctx(2024)), None);
        assert!(rfc3339(b"2024-01-15T14:23:45Z", &ctx(2024)).is_some());
        assert_eq!(rfc3339(b"2024-01-15T14:23:45Q", &ctx(2024)), None);
        assert_eq!(rfc3339(b"2024-01-15T14:23:4", &ctx(2024)), None);
        assert_eq!(
            rfc3339(b"2024-01-15T14:23:45+01:00", &ctx(2024)),
            rfc3339(b"2024-01-15T13:23:45Z", &ctx(2024))
        );
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for z in (-800_000..800_000).step_by(7) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn leading_forms() {
        let c = ctx(2024);
        // (line, expected RFC 3339, expected consumed bytes)
        let cases: &[(&[u8], &str, usize)] = &[
            // ISO 8601 / RFC 3339
            (
                b"2024-01-15T14:23:45.123Z rest",
                "2024-01-15T14:23:45.123Z",
                24,
            ),
            (
                b"2024-01-15 14:23:45.123 INFO x",
                "2024-01-15T14:23:45.123Z",
                23,
            ),
            (
                b"2024-01-15 14:23:45,123 INFO x",
                "2024-01-15T14:23:45.123Z",
                23,
            ),
            (
                b"2024-01-15T14:23:45+01:00 x",
                "2024-01-15T13:23:45.000Z",
                25,
            ),
            (
                b"2024-01-15T14:23:45-0800 x",
                "2024-01-15T22:23:45.000Z",
                24,
            ),
            (b"2024-01-15T14:23:45+05 x", "2024-01-15T09:23:45.000Z", 22),
            (
                b"2024-01-15T14:23:45.5+05:30",
                "2024-01-15T08:53:45.500Z",
                27,
            ),
            (b"2024-01-15 14:23:45 UTC x", "2024-01-15T14:23:45.000Z", 23),
            (
                b"2024-01-15 14:23:45 +0100 x",
                "2024-01-15T13:23:45.000Z",
                25,
            ),
            (
                b"2018-07-06 09:02:17.148 +10:00 [INF] x",
                "2018-07-05T23:02:17.148Z",
                30,
            ),
            (
                b"2025-08-13 01:45:01.123 PDT [12345] LOG:",
                "2025-08-13T08:45:01.123Z",
                27,
            ),
            (b"2024/01/15 14:23:45 x", "2024-01-15T14:23:45.000Z", 19),
            (
                b"2024/11/12 - 15:19:06 | 200",
                "2024-11-12T15:19:06.000Z",
                21,
            ),
            (
                b"2011.11.08 00:01:43.408|INFO |c1.a|msg",
                "2011-11-08T00:01:43.408Z",
                23,
            ),
            (b"2024-01-15 14:23 x", "2024-01-15T14:23:00.000Z", 16),
            (b"2024-01-15t14:23:45z", "2024-01-15T14:23:45.000Z", 20),
            (b"20240115T142345Z x", "2024-01-15T14:23:45.000Z", 16),
            (
                b"2015-10-18 18:01:47,978 INFO [main] x",
                "2015-10-18T18:01:47.978Z",
                23,
            ),
            (
                b"2016-09-28 04:30:30, Info   CBS",
                "2016-09-28T04:30:30.000Z",
                19,
            ),
            (
                b"2015-07-29 17:41:44,747 - INFO  [x]",
                "2015-07-29T17:41:44.747Z",
                23,
            ),
            (
                b"2012-07-02 10:22:40,672:DEBUG:foo",
                "2012-07-02T10:22:40.672Z",
                23,
            ),
            (
                b"2015-04-24T21:09:29.296 25376]INFO:x",
                "2015-04-24T21:09:29.296Z",
                23,
            ),
            (b"2024-01-15 02:23:45 PM x", "2024-01-15T14:23:45.000Z", 22),
            (b"2024-01-15T14:23:45", "2024-01-15T14:23:45.000Z", 19),
            // brackets
            (
                b"[2023-05-15 18:19:32] local.ERROR: x",
                "2023-05-15T18:19:32.000Z",
                21,
            ),
            (
                b"[2017-11-09T02:12:24Z ERROR main] x",
                "2017-11-09T02:12:24.000Z",
                21,
            ),
            (b"  [2024-01-15 14:23:45] x", "2024-01-15T14:23:45.000Z", 23),
            (
                b"\xEF\xBB\xBF2018-07-06 09:02:17.148 x",
                "2018-07-06T09:02:17.148Z",
                26,
            ),
            // fractions of 3/6/9/12 digits
            (
                b"2024-01-15T14:23:45.123456Z",
                "2024-01-15T14:23:45.123Z",
                27,
            ),
            (
                b"2024-01-15T14:23:45.123456789Z",
                "2024-01-15T14:23:45.123Z",
                30,
            ),
            (
                b"2024-01-15T14:23:45.123456789012Z",
                "2024-01-15T14:23:45.123Z",
                33,
            ),
            // syslog
            (
                b"Jan 15 14:23:45 host app[1]: x",
                "2024-01-15T14:23:45.000Z",
                15,
            ),
            (
                b"Jan  5 14:23:45 host app[1]: x",
                "2024-01-05T14:23:45.000Z",
                15,
            ),
            (b"Jan 5 14:23:45 host", "2024-01-05T14:23:45.000Z", 14),
            (
                b"Mar 24 15:17:38.999  000000000264F I x",
                "2024-03-24T15:17:38.999Z",
                19,
            ),
            (
                b"Mar 11 09:39:39: --- last message",
                "2024-03-11T09:39:39.000Z",
                15,
            ),
            (b"Jan 15 2023 14:23:45 x", "2023-01-15T14:23:45.000Z", 20),
            // Django runserver: [dd/Mon/yyyy hh:mm:ss]
            (
                b"[15/Jan/2024 14:23:45] \"GET",
                "2024-01-15T14:23:45.000Z",
                22,
            ),
            // Redis: d Mon yyyy hh:mm:ss.mmm
            (
                b"15 Jan 2024 14:23:45.123 * Ready",
                "2024-01-15T14:23:45.123Z",
                24,
            ),
            (b"5 Feb 2024 04:03:02 x", "2024-02-05T04:03:02.000Z", 19),
            (
                b"Jun 14 15:16:01 2005 combo x",
                "2005-06-14T15:16:01.000Z",
                20,
            ),
            // Apache / CLF / ctime / date(1) / RFC 2822
            (
                b"[15/Jan/2024:14:23:45 +0000] x",
                "2024-01-15T14:23:45.000Z",
                28,
            ),
            (
                b"[15/Jan/2024:14:23:45 -0500] x",
                "2024-01-15T19:23:45.000Z",
                28,
            ),
            (
                b"15/Jan/2024:14:23:45.120 +0100 x",
                "2024-01-15T13:23:45.120Z",
                30,
            ),
            (
                b"[Sun Dec 04 04:47:44 2005] [notice] x",
                "2005-12-04T04:47:44.000Z",
                26,
            ),
            (
                b"Wed May 19 08:00:01 EST 2021 line 1",
                "2021-05-19T13:00:01.000Z",
                28,
            ),
            (
                b"Wed May 19 08:00:01 UTC 2021 line 1",
                "2021-05-19T08:00:01.000Z",
                28,
            ),
            (
                b"Wed May 19 08:00:01 XYZ 2021 line 1",
                "2021-05-19T08:00:01.000Z",
                28,
            ),
            (
                b"Thu Jun  2 00:01:01 GMT 2022",
                "2022-06-02T00:01:01.000Z",
                28,
            ),
            (
                b"Mon Jun  6 18:43:28 2016 [pid 2] x",
                "2016-06-06T18:43:28.000Z",
                24,
            ),
            (
                b"Thu Nov 14 20:36:37.222 <airportd[88]> x",
                "2024-11-14T20:36:37.222Z",
                23,
            ),
            (
                b"Sun, 04 Dec 2005 04:47:44 +0100 x",
                "2005-12-04T03:47:44.000Z",
                31,
            ),
            (
                b"Sun, 04 Dec 2005 04:47:44 GMT",
                "2005-12-04T04:47:44.000Z",
                29,
            ),
            (
                b"15-Jan-2024 14:23:45.123 INFO x",
                "2024-01-15T14:23:45.123Z",
                24,
            ),
            (
                b"Oct 9, 2010 12:46:34 PM org.x main",
                "2010-10-09T12:46:34.000Z",
                23,
            ),
            (b"Jul 09, 2015 3:23:29 AM x", "2015-07-09T03:23:29.000Z", 23),
            (
                b"Jul 09, 2015 12:23:29 AM x",
                "2015-07-09T00:23:29.000Z",
                24,
            ),
            // glog
            (
                b"I0115 14:23:45.123456 1234 file.cc:12] x",
                "2024-01-15T14:23:45.123Z",
                21,
            ),
            (
                b"E0517 15:04:22.619632 1952452992 x",
                "2024-05-17T15:04:22.619Z",
                21,
            ),
            (
                b"I20230115 14:23:45.123456 1 x",
                "2023-01-15T14:23:45.123Z",
                25,
            ),
            // in the wild
            (
                b"081109 203615 148 INFO dfs.DataNode",
                "2008-11-09T20:36:15.000Z",
                13,
            ),
            (b"150420  9:41:02 [Note] x", "2015-04-20T09:41:02.000Z", 15),
            (b"150420 10:41:02 [Note] x", "2015-04-20T10:41:02.000Z", 15),
            (b"17/06/09 20:10:40 INFO x", "2017-06-09T20:10:40.000Z", 17),
            (
                b"03-17 16:13:38.811  1702  2395 D x",
                "2024-03-17T16:13:38.811Z",
                18,
            ),
            (
                b"20171223-22:15:29:606|Step_LSC|30002312|x",
                "2017-12-23T22:15:29.606Z",
                21,
            ),
            (
                b"20171223-22:15:35:11|Step_SPUtils|x",
                "2017-12-23T22:15:35.011Z",
                20,
            ),
            (
                b"20171223-22:16:0:119|Step_LSC|x",
                "2017-12-23T22:16:00.119Z",
                20,
            ),
            (b"20171223-2:6:5:1|x", "2017-12-23T02:06:05.001Z", 16),
            (b"20171223-22:15:29|x", "2017-12-23T22:15:29.000Z", 17),
            (
                b"20120702.102240,672:DEBUG:foo",
                "2012-07-02T10:22:40.672Z",
                19,
            ),
            (
                b"2012-025T10:22:40,672:DEBUG:foo",
                "2012-01-25T10:22:40.672Z",
                21,
            ),
            (b"2012-366T23:00:00 x", "2012-12-31T23:00:00.000Z", 17),
            (b"2014-060T16:56:38 x", "2014-03-01T16:56:38.000Z", 17),
            (
                b"12/28-12:55:38.765402 [**] [1:366:11]",
                "2024-12-28T12:55:38.765Z",
                21,
            ),
            (
                b"10/05/2010-10:08:59.667372 [**] x",
                "2010-10-05T10:08:59.667Z",
                26,
            ),
            (
                b"10/05/10-10:08:59.667372 [**] x",
                "2010-10-05T10:08:59.667Z",
                24,
            ),
            (
                b"<34>Oct 11 22:14:15 mymachine su: 'su root' failed",
                "2024-10-11T22:14:15.000Z",
                19,
            ),
            (
                b"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog",
                "2003-10-11T22:14:15.003Z",
                31,
            ),
            (
                b"2005-06-03-15.42.50.675872 R02-M1 x",
                "2005-06-03T15:42:50.675Z",
                26,
            ),
            (
                b"[10.30 16:49:06] chrome.exe - x",
                "2024-10-30T16:49:06.000Z",
                16,
            ),
            (
                b"09.10.2010 12:43:03 class method",
                "2010-10-09T12:43:03.000Z",
                19,
            ),
            (
                b"2015-04-24T21:08:10.313913+00:00 err rbd",
                "2015-04-24T21:08:10.313Z",
                32,
            ),
            // edge values
            (b"2024-02-29 00:00:00", "2024-02-29T00:00:00.000Z", 19),
            (b"2000-02-29 23:59:59.999", "2000-02-29T23:59:59.999Z", 23),
            (b"1970-01-01 00:00:00", "1970-01-01T00:00:00.000Z", 19),
            (b"1969-12-31 23:59:59.5", "1969-12-31T23:59:59.500Z", 21),
            (b"2016-12-31 23:59:60", "2017-01-01T00:00:00.000Z", 19),
        ];
        for (line, want, used) in cases {
            let got = leading(line, &c);
            assert_eq!(
                got,
                Some((want.to_string(), *used)),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn leading_rejects() {
        let c = ctx(2024);
        let cases: &[&[u8]] = &[
            b"",
            b" ",
            b"[",
            b"[]",
            b"\xff\xfe\xfd",
            b"\xEF\xBB",
            b"1234 apples",
            b"10.0.0.1 - - [15/Jan/2024:14:23:45 +0000] \"GET /\"",
            b"1.2.3",
            b"1.2.3 released",
            b"v1.2.3",
            b"2024",
            b"2024-01-15",
            b"2024-01-15 started",
            b"2024-13-01 00:00:00",
            b"2024-00-10 00:00:00",
            b"2023-02-29 00:00:00",
            b"2024-02-30 00:00:00",
            b"2024-04-31 00:00:00",
            b"2024-01-00 00:00:00",
            b"2024-01-15 24:00:00",
            b"2024-01-15 14:60:00",
            b"2024-01-15 14:23:61",
            b"2024-01-15 14:23:456",
            b"2024-01-15T14:23:45.123abc",
            b"2015-04-24T21:08:10.313913FOO err",
            b"2024-01-15 123:23:45",
            b"1705328625 hello",
            b"1705328625.123 hello",
            b"1428634687123 Hello, World!",
            b"134681 node-246 unix.hw state_change.unavailable 1077804742",
            b"- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872",
            b"- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond",
            b"nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO",
            b"07:23:27     INFO - msg",
            b"Jan 32 14:23:45 host",
            b"Jan 15 25:23:45 host",
            b"Jan 15 14:23 host",
            b"15 Jan 24 14:23:45 x",
            b"15 Janet 2024 14:23:45",
            b"3 apples",
            b"January 15 14:23:45",
            b"Janet said hi",
            b"Monday is a day",
            b"Mon Foo 04 04:47:44 2005",
            b"jAN 15 14:23:45 host",
            b"Info 2024-01-15",
            b"Error: 12:00:00 something",
            b"I0115 x",
            b"I01151 14:23:45.1",
            b"W1345 14:23:45.1",
            b"E0230 14:23:45.1",
            b"[31/Feb/2024:14:23:45 +0000]",
            b"[15/Foo/2024:14:23:45 +0000]",
            b"12/25/2024 14:23:45",
            b"17/13/09 20:10:40 INFO",
            b"13-17 16:13:38.811",
            b"10.32 16:49:06",
            b"081109 253615 148 INFO",
            b"081309 203615 148 INFO",
            b"20171323-22:15:29:606|x",
            b"20171223-22:15:29:6061|x",
            b"20171223-22:15|x",
            b"99999999999999999999-01-01 00:00:00",
            b"    at com.foo.Bar.baz(Bar.java:10)",
            b"Caused by: java.lang.RuntimeException",
            b"  File \"x.py\", line 3, in <module>",
            b"\t... 12 more",
            b"{\"time\":\"2024-01-15T14:23:45Z\"}",
            b"<15>",
            b"<1234>Mar  6 04:07:23 host x",
            b"<>Mar  6 04:07:23 host x",
            b"<b>Mar  6 04:07:23 host x",
            b"2013-365Tx",
            b"2013-366T10:00:00",
            b"2013-000T10:00:00",
            b"21/12/28-12:55:38.765402 [**]",
            b"10/13/21 07:57:42.865446 pid=69",
            b"12/28/2024 12:55:38",
        ];
        for line in cases {
            assert_eq!(
                leading(line, &c),
                None,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn leading_zones_from_ctx() {
        let fixed = TimeCtx {
            tz: Tz::Fixed(3600),
            year: 2024,
            reference: 0,
        };
        let cases: &[(&[u8], &str)] = &[
            (b"2024-01-15 14:23:45 x", "2024-01-15T13:23:45.000Z"),
            (b"2024-01-15T14:23:45Z x", "2024-01-15T14:23:45.000Z"),
            (b"2024-01-15T14:23:45-01:00 x", "2024-01-15T15:23:45.000Z"),
            (b"Jan 15 14:23:45 host", "2024-01-15T13:23:45.000Z"),
            (
                b"Wed May 19 08:00:01 XYZ 2021 x",
                "2021-05-19T07:00:01.000Z",
            ),
            (
                b"Wed May 19 08:00:01 UTC 2021 x",
                "2021-05-19T08:00:01.000Z",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(
                leading(line, &fixed).map(|x| x.0).as_deref(),
                Some(*want),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
        // Local: whatever the machine's zone is, the result matches chrono.
        let local = TimeCtx {
            tz: Tz::Local,
            year: 2024,
            reference: 0,
        };
        let (ns, _) = parse_leading(b"2024-07-01 12:00:00", &local).unwrap();
        let want = Local
            .with_ymd_and_hms(2024, 7, 1, 12, 0, 0)
            .earliest()
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap();
        assert_eq!(ns, want);
        assert_eq!(format_display(ns, true), "2024-07-01 12:00:00.000");
    }

    #[test]
    fn fractions_exact() {
        let c = ctx(2024);
        let cases: &[(&[u8], i64)] = &[
            (b"2024-01-15T14:23:45.1Z", 100_000_000),
            (b"2024-01-15T14:23:45.123Z", 123_000_000),
            (b"2024-01-15T14:23:45.123456Z", 123_456_000),
            (b"2024-01-15T14:23:45.123456789Z", 123_456_789),
            (b"2024-01-15T14:23:45,987654321999Z", 987_654_321),
            (b"I0115 14:23:45.000001 1 x", 1_000),
        ];
        for (line, want) in cases {
            let (ns, _) = parse_leading(line, &c).unwrap();
            assert_eq!(nanos_of(ns), *want, "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn yearless_rolls_back_from_future() {
        let now = now_ns();
        let this_year = year_of(now);
        let c = TimeCtx {
            tz: Tz::Utc,
            year: this_year,
            reference: 0,
        };
        // Two days from now, written without a year: taken as last year.
        let soon = now + 2 * DAY * NS;
        let (y, m, d) = civil_from_days(soon.div_euclid(NS).div_euclid(DAY));
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let line = format!("{} {:2} 00:00:00 host x", months[m as usize - 1], d);
        let (ns, _) = parse_leading(line.as_bytes(), &c).unwrap();
        let want_year = if y as i32 == this_year {
            this_year - 1
        } else {
            this_year
        };
        assert_eq!(year_of(ns), want_year, "{line}");
        // Yesterday stays this year (unless yesterday was last year).
        let past = now - DAY * NS;
        let (y, m, d) = civil_from_days(past.div_euclid(NS).div_euclid(DAY));
        let line = format!("{} {:2} 00:00:00 host x", months[m as usize - 1], d);
        let (ns, _) = parse_leading(line.as_bytes(), &c).unwrap();
        assert_eq!(i64::from(year_of(ns)), y, "{line}");
        // Feb 29 in a non-leap context year falls back to the leap year before.
        let (ns, _) = parse_leading(b"Feb 29 10:00:00 host", &ctx(2025)).unwrap();
        assert_eq!(format_rfc3339_ms(ns), "2024-02-29T10:00:00.000Z");
        assert_eq!(parse_leading(b"Feb 29 10:00:00 host", &ctx(2023)), None);
    }

    #[test]
    fn total_on_any_bytes() {
        let c = ctx(2024);
        // Every prefix of every case, plus byte noise: never panics.
        let samples: &[&[u8]] = &[
            b"[15/Jan/2024:14:23:45.123456 +0000] x",
            b"Wed May 19 08:00:01.5 EST 2021 x",
            b"Sun, 04 Dec 2005 04:47:44 +0100",
            b"I20230115 14:23:45.123456 1 x",
            b"20171223-22:15:29:606|x",
            b"2005-06-03-15.42.50.675872 x",
            b"150420  9:41:02 x",
            b"Oct 9, 2010 12:46:34 PM x",
            b"9999-12-31T23:59:59.999999999+23:59",
            b"0000-01-01T00:00:00-23:59",
        ];
        for s in samples {
            for n in 0..=s.len() {
                let _ = parse_leading(&s[..n], &c);
                let _ = parse_str(&s[..n], &c);
            }
        }
        let mut x: u32 = 12345;
        for _ in 0..20_000 {
            let mut buf = [0u8; 24];
            for b in buf.iter_mut() {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *b = b"0123456789:-/. TZ+JanMonI,["[(x % 27) as usize];
            }
            let _ = parse_leading(&buf, &c);
            let _ = parse_str(&buf, &c);
        }
        assert_eq!(parse_leading(b"9999-12-31T23:59:59Z", &c), None);
        assert_eq!(parse_leading(b"0001-01-01T00:00:00Z", &c), None);
        assert!(parse_leading(b"2262-04-11T23:47:16Z", &c).is_some());
        assert_eq!(parse_leading(b"2262-04-11T23:47:17Z", &c), None);
    }

    #[test]
    fn str_values() {
        let c = ctx(2024);
        let cases: &[(&[u8], Option<&str>)] = &[
            (
                b"2024-01-15T14:23:45.123Z",
                Some("2024-01-15T14:23:45.123Z"),
            ),
            (
                b" 2024-01-15T14:23:45.123+01:00 ",
                Some("2024-01-15T13:23:45.123Z"),
            ),
            (b"2024-01-15 14:23:45", Some("2024-01-15T14:23:45.000Z")),
            (b"2024-01-15", Some("2024-01-15T00:00:00.000Z")),
            (
                b"Sat May 13 17:50:00 CEST 2023",
                Some("2023-05-13T15:50:00.000Z"),
            ),
            (
                b"[15/Jan/2024:14:23:45 +0000]",
                Some("2024-01-15T14:23:45.000Z"),
            ),
            (
                b"15/Jan/2024:14:23:45 +0000",
                Some("2024-01-15T14:23:45.000Z"),
            ),
            (b"1705328625", Some("2024-01-15T14:23:45.000Z")),
            (b"1705328625.123", Some("2024-01-15T14:23:45.123Z")),
            (b"1705328625123", Some("2024-01-15T14:23:45.123Z")),
            (b"1705328625123456", Some("2024-01-15T14:23:45.123Z")),
            (b"1705328625123456789", Some("2024-01-15T14:23:45.123Z")),
            (b"0", Some("1970-01-01T00:00:00.000Z")),
            (b"-1.5", Some("1969-12-31T23:59:58.500Z")),
            (b"2024-01-15T14:23:45Z trailing", None),
            (b"2024-01-15 junk", None),
            (b"2024-01-15T", None),
            (b"", None),
            (b"  ", None),
            (b"abc", None),
            (b"12.", None),
            (b".5", None),
            (b"1.2.3", None),
            (b"99999999999999999999", None),
            (b"9223372036854775808", None),
            (b"\xff\xfe", None),
            (b"1705328625\xff", None),
        ];
        for (input, want) in cases {
            let got = parse_str(input, &c).map(format_rfc3339_ms);
            assert_eq!(
                got.as_deref(),
                *want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
        assert_eq!(
            parse_str(b"1705328625123456789", &c),
            Some(1_705_328_625_123_456_789)
        );
        assert_eq!(
            parse_str(b"1705328625.123456789", &c),
            Some(1_705_328_625_123_456_789)
        );
    }

    #[test]
    fn epochs() {
        let cases: &[(f64, Option<i64>)] = &[
            (0.0, Some(0)),
            (1_705_328_625.0, Some(1_705_328_625_000_000_000)),
            (1_705_328_625.5, Some(1_705_328_625_500_000_000)),
            (1_705_328_625_123.0, Some(1_705_328_625_123_000_000)),
            (1_705_328_625_123_456.0, Some(1_705_328_625_123_456_000)),
            (1.7053286251234568e18, Some(1_705_328_625_123_456_768)),
            (99_999_999_999.0, None),
            (-1.5, Some(-1_500_000_000)),
            (-1_705_328_625_123.0, Some(-1_705_328_625_123_000_000)),
            (f64::NAN, None),
            (f64::INFINITY, None),
            (f64::NEG_INFINITY, None),
            (1e19, None),
            (-1e19, None),
            (1e300, None),
            (9.3e10, None),
        ];
        for (n, want) in cases {
            assert_eq!(from_epoch(*n), *want, "{n}");
        }
        // A fraction is read to the precision the double holds, as it was written.
        assert_eq!(
            from_epoch(1_705_328_625.123),
            Some(1_705_328_625_123_000_000)
        );
        assert_eq!(
            from_epoch(1_705_328_625.123_456),
            Some(1_705_328_625_123_456_000)
        );
        assert_eq!(
            from_epoch(1_705_328_625_123.456),
            Some(1_705_328_625_123_456_000)
        );
        assert_eq!(from_epoch(0.123_456_789), Some(123_456_789));
        assert_eq!(
            from_epoch(-1_705_328_625.123),
            Some(-1_705_328_625_123_000_000)
        );
        // 1e11 and up is milliseconds.
        assert_eq!(from_epoch(1e11), Some(100_000_000_000_000_000));
        assert_eq!(from_epoch(1e14), Some(100_000_000_000_000_000));
        assert_eq!(from_epoch(1e17), Some(100_000_000_000_000_000));
    }

    #[test]
    fn formatting() {
        let cases: &[(i64, &str, &str)] = &[
            (0, "1970-01-01T00:00:00.000Z", "1970-01-01 00:00:00.000"),
            (
                1_705_328_625_123_456_789,
                "2024-01-15T14:23:45.123Z",
                "2024-01-15 14:23:45.123",
            ),
            (-1, "1969-12-31T23:59:59.999Z", "1969-12-31 23:59:59.999"),
            (
                951_782_400_000_000_000,
                "2000-02-29T00:00:00.000Z",
                "2000-02-29 00:00:00.000",
            ),
            (
                i64::MAX,
                "2262-04-11T23:47:16.854Z",
                "2262-04-11 23:47:16.854",
            ),
            (
                i64::MIN,
                "1677-09-21T00:12:43.145Z",
                "1677-09-21 00:12:43.145",
            ),
        ];
        for (ns, rfc, disp) in cases {
            assert_eq!(format_rfc3339_ms(*ns), *rfc);
            assert_eq!(format_display(*ns, false), *disp);
            // Local display never panics, even at the extremes.
            assert_eq!(format_display(*ns, true).len(), 23);
        }
    }

    #[test]
    fn tz_values() {
        let cases: &[(&str, Result<Tz, ()>)] = &[
            ("UTC", Ok(Tz::Utc)),
            ("utc", Ok(Tz::Utc)),
            ("Z", Ok(Tz::Utc)),
            ("GMT", Ok(Tz::Utc)),
            ("local", Ok(Tz::Local)),
            ("Local", Ok(Tz::Local)),
            ("+05:30", Ok(Tz::Fixed(19_800))),
            ("-0800", Ok(Tz::Fixed(-28_800))),
            ("+02", Ok(Tz::Fixed(7_200))),
            ("-5", Ok(Tz::Fixed(-18_000))),
            ("+5:45", Ok(Tz::Fixed(20_700))),
            ("+00:00", Ok(Tz::Fixed(0))),
            ("UTC+2", Ok(Tz::Fixed(7_200))),
            ("EST", Ok(Tz::Fixed(-18_000))),
            ("cet", Ok(Tz::Fixed(3_600))),
            (" +01:00 ", Ok(Tz::Fixed(3_600))),
            ("", Err(())),
            ("+", Err(())),
            ("+24:00", Err(())),
            ("+05:60", Err(())),
            ("+123", Err(())),
            ("05:30", Err(())),
            ("Europe/Paris", Err(())),
            ("é", Err(())),
        ];
        for (s, want) in cases {
            let got = parse_tz(s).map_err(|_| ());
            assert_eq!(got, *want, "{s:?}");
        }
        assert!(parse_tz("nope").unwrap_err().contains("+05:30"));
    }

    #[test]
    fn user_times() {
        // now = 2024-01-15T14:23:45.5Z
        let now = 1_705_328_625_500_000_000;
        let c = ctx(2024);
        let cases: &[(&str, &str)] = &[
            ("now", "2024-01-15T14:23:45.500Z"),
            ("15m", "2024-01-15T14:08:45.500Z"),
            ("30s", "2024-01-15T14:23:15.500Z"),
            ("2h", "2024-01-15T12:23:45.500Z"),
            ("3d", "2024-01-12T14:23:45.500Z"),
            ("1w", "2024-01-08T14:23:45.500Z"),
            ("1.5h", "2024-01-15T12:53:45.500Z"),
            ("500ms", "2024-01-15T14:23:45.000Z"),
            ("2 hours ago", "2024-01-15T12:23:45.500Z"),
            ("10min", "2024-01-15T14:13:45.500Z"),
            ("today", "2024-01-15T00:00:00.000Z"),
            ("Yesterday", "2024-01-14T00:00:00.000Z"),
            ("14:00", "2024-01-15T14:00:00.000Z"),
            ("09:30:15", "2024-01-15T09:30:15.000Z"),
            ("2024-01-15", "2024-01-15T00:00:00.000Z"),
            ("20240110", "2024-01-10T00:00:00.000Z"),
            ("2024-01-15T14:00", "2024-01-15T14:00:00.000Z"),
            ("2024-01-15 14:00", "2024-01-15T14:00:00.000Z"),
            ("2024-01-15 14:00:30", "2024-01-15T14:00:30.000Z"),
            ("2024-01-15T14:00:00Z", "2024-01-15T14:00:00.000Z"),
            ("2024-01-15T14:00:00.250+01:00", "2024-01-15T13:00:00.250Z"),
            ("1705328625", "2024-01-15T14:23:45.000Z"),
        ];
        for (s, want) in cases {
            let got = parse_user_time(s, now, &c).map(format_rfc3339_ms);
            assert_eq!(got.as_deref(), Ok(*want), "{s:?}");
        }
        // In a fixed zone, "today" is local midnight.
        let plus2 = TimeCtx {
            tz: Tz::Fixed(7200),
            year: 2024,
            reference: 0,
        };
        let late = 1_705_356_000_000_000_000; // 2024-01-15T22:00:00Z = 16th 00:00 at +02
        let got = parse_user_time("today", late, &plus2).map(format_rfc3339_ms);
        assert_eq!(got.as_deref(), Ok("2024-01-15T22:00:00.000Z"));
        let got = parse_user_time("2024-01-15", now, &plus2).map(format_rfc3339_ms);
        assert_eq!(got.as_deref(), Ok("2024-01-14T22:00:00.000Z"));

        for bad in [
            "",
            "soon",
            "15x",
            "15",
            "m",
            "2024-13-01",
            "2024-01-15T25:00",
            "25:00",
            "1.2.3h",
            "-",
            "9999999999999w",
            "é",
        ] {
            let e = parse_user_time(bad, now, &c).unwrap_err();
            assert!(
                e.contains("2024-01-15T14:00") && e.contains("15m"),
                "{bad:?}: {e}"
            );
        }
    }
}
