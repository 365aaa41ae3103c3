//! Severity levels: normalisation of every spelling to TRACE < DEBUG < INFO < WARN < ERROR < FATAL.
//!
//! This module owns the [`Level`] scale and every way logs spell a severity: names
//! (`warning`, `ERR`, `notice`, `crit`, Serilog's `WRN`), single letters (logcat `D`,
//! glog `I`), numbers (pino/bunyan `30`, syslog `3`), plus [`find_level_token`], which
//! picks the level word out of the header of a free-text log line. Everything here is
//! total: any input bytes (empty, huge, invalid UTF-8) give `None`, never a panic.

/// A normalised severity. The derived order is the severity order (`Trace` lowest).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Level {
    /// `TRACE`, `VERBOSE`, ...
    Trace,
    /// `DEBUG`, ...
    Debug,
    /// `INFO`, `NOTICE`, ...
    Info,
    /// `WARN`, `WARNING`, ...
    Warn,
    /// `ERROR`, `ERR`, ...
    Error,
    /// `FATAL`, `CRITICAL`, `PANIC`, ...
    Fatal,
}

/// Longest accepted name ("informational").
const MAX_NAME_LEN: usize = 13;

/// Level names of particular libraries, read only where a format puts its level.
const EXTRA_NAMES: [(&str, Level); 24] = [
    // Redis's marks: `.` debug, `*` notice, `#` warning (`-`, verbose, reads as no level).
    (".", Level::Debug),
    ("*", Level::Info),
    ("#", Level::Warn),
    ("success", Level::Info),
    ("config", Level::Info),
    ("notset", Level::Trace),
    ("fine", Level::Debug),
    ("finer", Level::Trace),
    ("finest", Level::Trace),
    ("dpanic", Level::Fatal),
    ("silly", Level::Trace),
    ("erro", Level::Error),
    ("fata", Level::Fatal),
    ("pani", Level::Fatal),
    ("trac", Level::Trace),
    ("debu", Level::Debug),
    ("trace1", Level::Trace),
    ("trace2", Level::Trace),
    ("trace3", Level::Trace),
    ("trace4", Level::Trace),
    ("trace5", Level::Trace),
    ("trace6", Level::Trace),
    ("trace7", Level::Trace),
    ("trace8", Level::Trace),
];

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 6] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
        Level::Fatal,
    ];

    /// The level's place in [`Level::ALL`] (0 for `TRACE` to 5 for `FATAL`): its slot in
    /// a per-level table or mask.
    pub fn index(self) -> usize {
        match self {
            Level::Trace => 0,
            Level::Debug => 1,
            Level::Info => 2,
            Level::Warn => 3,
            Level::Error => 4,
            Level::Fatal => 5,
        }
    }

    /// Canonical upper-case name: "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL".
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "TRACE",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
            Level::Fatal => "FATAL",
        }
    }

    /// A full level name, ASCII case-insensitive, surrounding whitespace ignored.
    ///
    /// trace, verbose, vrb, trc -> Trace; debug, dbg, dbug -> Debug;
    /// info, inf, information, informational, notice -> Info; warn, warning, wrn -> Warn;
    /// err, error, severe -> Error; fatal, ftl, crit, critical, panic, emerg, emergency,
    /// alert -> Fatal. Single letters are not names (see [`Level::parse_letter`]).
    pub fn parse_name(s: &[u8]) -> Option<Level> {
        // The spellings most logs use, without lowercasing.
        match s {
            b"INFO" | b"info" => return Some(Level::Info),
            b"ERROR" | b"error" => return Some(Level::Error),
            b"WARN" | b"warn" => return Some(Level::Warn),
            b"DEBUG" | b"debug" => return Some(Level::Debug),
            _ => {}
        }
        let s = s.trim_ascii();
        if s.len() < 3 || s.len() > MAX_NAME_LEN {
            return None;
        }
        let mut buf = [0u8; MAX_NAME_LEN];
        for (d, &c) in buf.iter_mut().zip(s) {
            *d = c.to_ascii_lowercase();
        }
        match &buf[..s.len()] {
            b"trace" | b"verbose" | b"vrb" | b"trc" => Some(Level::Trace),
            b"debug" | b"dbg" | b"dbug" => Some(Level::Debug),
            b"info" | b"inf" | b"information" | b"informational" | b"notice" => Some(Level::Info),
            b"warn" | b"warning" | b"wrn" => Some(Level::Warn),
            b"err" | b"error" | b"severe" => Some(Level::Error),
            b"fatal" | b"ftl" | b"crit" | b"critical" | b"panic" | b"emerg" | b"emergency"
            | b"alert" => Some(Level::Fatal),
            _ => None,
        }
    }

    /// A level in a format's level column, where any word is a level: every spelling
    /// [`Level::parse_any`] reads, and the other libraries' names: loguru `SUCCESS`,
    /// Python `NOTSET`, java.util.logging `CONFIG`/`FINE`/`FINER`/`FINEST`, zap
    /// `DPANIC`, winston `silly`, logrus' four-letter `ERRO`/`FATA`/`PANI`/`TRAC`/`DEBU`,
    /// Apache `trace1`..`trace8`. Not used on free text, where these are ordinary words.
    pub fn parse_column(s: &[u8]) -> Option<Level> {
        if let Some(level) = Level::parse_any(s) {
            return Some(level);
        }
        let s = s.trim_ascii();
        if s.len() > MAX_NAME_LEN {
            return None;
        }
        let lower: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
        EXTRA_NAMES
            .iter()
            .find(|(name, _)| name.as_bytes() == lower.as_slice())
            .map(|(_, level)| *level)
    }

    /// Level names of the libraries that are none of the six (winston/npm `http`,
    /// Google Cloud `DEFAULT`, log4j `OFF`/`ALL`, `AUDIT`): a query may name them
    /// (`level:http`) and matches the level as written.
    pub const OTHER_NAMES: [&str; 6] = ["http", "default", "audit", "off", "all", "unknown"];

    /// Whether `s` is one of [`Level::OTHER_NAMES`], ignoring case.
    pub fn is_other_name(s: &str) -> bool {
        Level::OTHER_NAMES
            .iter()
            .any(|n| n.eq_ignore_ascii_case(s.trim()))
    }

    /// An OpenTelemetry SeverityNumber: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN,
    /// 17-20 ERROR, 21-24 FATAL; anything else (0 is UNSPECIFIED) is `None`.
    pub fn from_otel_number(n: f64) -> Option<Level> {
        if !(1.0..=24.0).contains(&n) || n.fract() != 0.0 {
            return None;
        }
        Level::ALL.get((n as usize - 1) / 4).copied()
    }

    /// A syslog severity code, 0-7 (as `from_number` reads 0-7).
    pub fn from_syslog(n: f64) -> Option<Level> {
        if (0.0..=7.0).contains(&n) {
            Level::from_number(n)
        } else {
            None
        }
    }

    /// A one-letter level, upper case only: T/V -> Trace, D -> Debug, I/N -> Info,
    /// W -> Warn, E -> Error, F/C/A -> Fatal.
    pub fn parse_letter(c: u8) -> Option<Level> {
        match c {
            b'T' | b'V' => Some(Level::Trace),
            b'D' => Some(Level::Debug),
            b'I' | b'N' => Some(Level::Info),
            b'W' => Some(Level::Warn),
            b'E' => Some(Level::Error),
            b'F' | b'C' | b'A' => Some(Level::Fatal),
            _ => None,
        }
    }

    /// A numeric level.
    ///
    /// pino/bunyan, 10..=60 by range: [10,20) Trace, [20,30) Debug, [30,40) Info,
    /// [40,50) Warn, [50,60) Error, 60 Fatal. Syslog severities, integers 0..=7:
    /// 0/1/2 Fatal, 3 Error, 4 Warn, 5/6 Info, 7 Debug. Anything else (NaN, negative,
    /// 8, 7.5, 61, ...) is `None`.
    pub fn from_number(n: f64) -> Option<Level> {
        if (10.0..=60.0).contains(&n) {
            return Some(if n < 20.0 {
                Level::Trace
            } else if n < 30.0 {
                Level::Debug
            } else if n < 40.0 {
                Level::Info
            } else if n < 50.0 {
                Level::Warn
            } else if n < 60.0 {
                Level::Error
            } else {
                Level::Fatal
            });
        }
        if (0.0..=7.0).contains(&n) && n.fract() == 0.0 {
            return match n as u8 {
                0..=2 => Some(Level::Fatal),
                3 => Some(Level::Error),
                4 => Some(Level::Warn),
                5 | 6 => Some(Level::Info),
                _ => Some(Level::Debug),
            };
        }
        None
    }

    /// A level field value of any kind: a name, a single upper-case letter, or a
    /// string of ASCII digits (read as a number, see [`Level::from_number`]).
    /// Surrounding whitespace is ignored.
    pub fn parse_any(s: &[u8]) -> Option<Level> {
        let s = s.trim_ascii();
        match s {
            [] => None,
            [c] if c.is_ascii_digit() => Level::from_number(f64::from(c - b'0')),
            [c] => Level::parse_letter(*c),
            _ if s.iter().all(u8::is_ascii_digit) => {
                // At most a few digits can be a level; longer strings are rejected
                // before they could overflow.
                if s.len() > 3 {
                    return None;
                }
                let n = s.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
                Level::from_number(f64::from(n))
            }
            _ => Level::parse_name(s),
        }
    }

    /// A level written by a user in a query: a name or a single letter, both
    /// case-insensitive (`warn`, `W`, `w`, `Error`).
    pub fn parse_user(s: &str) -> Option<Level> {
        let b = s.as_bytes().trim_ascii();
        match b {
            [c] => Level::parse_letter(c.to_ascii_uppercase()),
            _ => Level::parse_name(b),
        }
    }
}

/// Is `c` part of a word? ASCII letters and digits, and every non-ASCII byte (so that
/// a level name glued to accented letters is not taken as a word of its own).
#[inline]
fn is_word_byte(c: u8) -> bool {
    WORD_BYTES[usize::from(c)]
}

/// [`is_word_byte`] as a table (the token scan asks it of every byte it reads).
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || b >= 0x80;
        c += 1;
    }
    table
};

/// Bytes allowed right before a level word.
#[inline]
fn ok_before(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'[' | b'(' | b'<' | b'{' | b'|' | b'"' | b'\'' | b',' | b';' | b':' | b']'
    )
}

/// Bytes allowed right after a level word.
#[inline]
fn ok_after(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t'
            | b']'
            | b')'
            | b'>'
            | b'}'
            | b'|'
            | b'"'
            | b'\''
            | b','
            | b';'
            | b':'
            | b'\r'
            | b'\n'
    )
}

/// Whether `word` (3 bytes or more) starts as one of [`Level::parse_name`]'s names do,
/// in any case: a test of two bytes that turns away most words of a line before the
/// checks that read the whole word (it only skips words `parse_name` would refuse).
#[inline]
fn could_be_name(word: &[u8]) -> bool {
    matches!(
        [word[0] | 0x20, word[1] | 0x20],
        [b't', b'r']
            | [b'v', b'e' | b'r']
            | [b'd', b'e' | b'b']
            | [b'i', b'n']
            | [b'n', b'o']
            | [b'w', b'a' | b'r']
            | [b'e', b'r' | b'm']
            | [b's', b'e']
            | [b'f', b'a' | b't']
            | [b'c', b'r']
            | [b'p', b'a']
            | [b'a', b'l']
    )
}

/// All upper case, all lower case, or Capitalized (first upper, rest lower).
fn plausible_case(w: &[u8]) -> bool {
    let rest = &w[1..];
    if rest.iter().all(u8::is_ascii_lowercase) {
        return true; // "info", "Info"
    }
    w.iter().all(u8::is_ascii_uppercase) // "INFO"
}

/// glog header at `s`: a letter of IWEF then MMDD or YYYYMMDD, a space and a digit
/// (`I0115 14:23:45.123456 ...`).
fn glog_level(line: &[u8], s: usize) -> Option<Level> {
    let lvl = match line.get(s)? {
        b'I' => Level::Info,
        b'W' => Level::Warn,
        b'E' => Level::Error,
        b'F' => Level::Fatal,
        _ => return None,
    };
    let rest = line.get(s + 1..)?;
    let digits = rest
        .iter()
        .take(9)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if (digits == 4 || digits == 8)
        && rest.get(digits) == Some(&b' ')
        && rest.get(digits + 1).is_some_and(u8::is_ascii_digit)
    {
        Some(lvl)
    } else {
        None
    }
}

/// Where [`find_level_token`] looks: the text right after a line's timestamp (a
/// header's level column) or free text (a line without a timestamp, or a whole line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// After a timestamp: the first word may be a level in any plausible case
    /// (`2016-06-30 12:00:01 trace ...`, `... info vpxd[45715]`).
    Column,
    /// Free text: a lower-case or Capitalized level name counts only when it is
    /// shaped as a level (see [`find_level_token`]).
    Text,
}

/// Finds the level word in the header of a free-text log line.
///
/// Only words that start within the first `max_scan` bytes are considered, and the
/// first one that qualifies wins. A word is a maximal run of ASCII letters/digits
/// (non-ASCII bytes count as word bytes). It qualifies when:
/// - it is a level name ([`Level::parse_name`]) written `INFO`, `info` or `Info`
///   (not `iNfO`), and it is delimited by one of ` \t[(<{|"',;:]` before (or the line
///   start) and one of ` \t])>}|"',;:` after (or the line end): `[ERROR]`, ` INFO `,
///   `WARN:`, `<warning>`, `|INFO |`, `:DEBUG:`. `level=error`, `error.rs`,
///   `my_error` and `com.error.X` do not qualify; the one exception to the `.` rule is
///   an ALL-CAPS name between `.` and `:` (Laravel's `local.ERROR:`). A lower-case or
///   Capitalized name right after a plain word and one space (`stack trace`,
///   `Internet Information Services`) is prose and skipped, unless `:` follows;
/// - and, when it is not ALL CAPS, it is shaped as a level: enclosed (`[error]`,
///   `<warning>`, `(info)`, `{debug}`, `|info|`), followed by `:` (`error:`,
///   `Warning:`), or, at [`Place::Column`], the first word of the text. Otherwise a
///   lower-case word is message text (`fatal flag cleared`, `error in upstream call`);
/// - or it is a one-letter level ([`Level::parse_letter`]) with a single space on each
///   side, preceded by a number or hex id (`1702  2395 D WindowManager:`) or `]`/`)`,
///   or starting the text after one space (` W msg`, the rest of a line after its
///   timestamp); so English "I" or "A" inside a sentence is not taken;
/// - or the line starts (after spaces) with a glog header `I0115 14:23:45...`; the
///   level letter alone is returned.
///
/// Returns the level and the word's byte range `start..end` in `line`.
pub fn find_level_token(
    line: &[u8],
    max_scan: usize,
    place: Place,
) -> Option<(Level, usize, usize)> {
    let window = max_scan.min(line.len());
    if let Some(found) = glog_token(line, window) {
        return Some(found);
    }
    let from = match place {
        Place::Column => 0,
        // Most lines of free text hold no byte a level there needs: a few bytes at a
        // time say so, where the word scan reads every word.
        Place::Text => first_candidate_word(line, window)?,
    };
    level_word(line, window, place, from)
}

/// A glog header's level letter (after spaces, in the first `window` bytes): glued to
/// the date, so words alone cannot see it.
fn glog_token(line: &[u8], window: usize) -> Option<(Level, usize, usize)> {
    let i = line[..window].iter().take_while(|c| **c == b' ').count();
    if i >= window {
        return None;
    }
    glog_level(line, i).map(|l| (l, i, i + 1))
}

/// [`find_level_token`]'s scan of the words that start in `from..window`: the first
/// one that qualifies.
fn level_word(
    line: &[u8],
    window: usize,
    place: Place,
    from: usize,
) -> Option<(Level, usize, usize)> {
    let mut i = from;
    let mut seen_word = false;
    while i < window {
        // Skip to the start of the next word.
        if !is_word_byte(line[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < line.len() && is_word_byte(line[end]) {
            end += 1;
        }
        i = end;
        let word = &line[start..end];
        let first_word = !seen_word;
        seen_word = true;
        let before = if start == 0 {
            None
        } else {
            Some(line[start - 1])
        };
        let after = line.get(end).copied();

        if word.len() == 1 {
            if before == Some(b' ') && after == Some(b' ') {
                if let Some(l) = Level::parse_letter(word[0]) {
                    // The byte before the single space must end a number / id / bracket,
                    // or the text starts with that space (the rest of a line after its
                    // timestamp: ` W message`).
                    let ok = match start {
                        1 => true,
                        _ => {
                            let p = line[start - 2];
                            p.is_ascii_digit() || matches!(p, b'A'..=b'F' | b']' | b')')
                        }
                    };
                    if ok {
                        return Some((l, start, end));
                    }
                }
            }
            continue;
        }
        if word.len() < 3 || word.len() > MAX_NAME_LEN || !could_be_name(word) {
            continue;
        }
        if !word.iter().all(u8::is_ascii_alphabetic) || !plausible_case(word) {
            continue;
        }
        let after_ok = after.is_none_or(ok_after);
        let before_ok = match before {
            None => true,
            Some(b'.') => {
                after == Some(b':') && word.iter().all(u8::is_ascii_uppercase) // local.ERROR:
            }
            Some(c) => ok_before(c),
        };
        if !(after_ok && before_ok) {
            continue;
        }
        // "stack trace", "Internet Information Services", "this is debug": a word in
        // lower or Capitalized case right after a plain word is prose, not a level.
        if before == Some(b' ') && after != Some(b':') && !word[1].is_ascii_uppercase() {
            let mut t = start - 1;
            while t > 0 && is_word_byte(line[t - 1]) {
                t -= 1;
            }
            let prev = &line[t..start - 1];
            if prev.len() >= 2 && prev.iter().all(u8::is_ascii_alphabetic) {
                continue;
            }
        }
        if !is_level_shaped(word, before, after, place, first_word) {
            continue;
        }
        if let Some(l) = Level::parse_name(word) {
            return Some((l, start, end));
        }
    }
    None
}

/// Bytes one of which a level in free text needs, in it or right after it: an upper-case
/// letter (`INFO`, `Warning`, a one-letter level, a glog header) or what makes a
/// lower-case name shaped as a level (`error:`, `[warn]`, `(info)`, `<debug>`, `{x}`,
/// `|info|`); see [`is_level_shaped`].
static CANDIDATE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_uppercase() || matches!(b, b':' | b']' | b')' | b'>' | b'}' | b'|');
        c += 1;
    }
    table
};

/// Where [`find_level_token`]'s word scan of free text can start: the word holding
/// the first [`CANDIDATE_BYTES`] byte, or the word right before it (every earlier word
/// lacks what a level needs). `None` when no word starting in the first `window`
/// bytes can be a level (a word that starts there ends at most [`MAX_NAME_LEN`] bytes
/// on, with the byte after it).
fn first_candidate_word(line: &[u8], window: usize) -> Option<usize> {
    let reach = line.len().min(window.saturating_add(MAX_NAME_LEN + 1));
    let at = line[..reach]
        .iter()
        .position(|&c| CANDIDATE_BYTES[usize::from(c)])?;
    let before = line[..at]
        .iter()
        .rev()
        .take_while(|c| is_word_byte(**c))
        .count();
    Some(at - before)
}

/// Whether a level name (already delimited) is shaped as a level rather than a word of
/// a sentence: ALL CAPS, enclosed in brackets, followed by `:`, or the first word of a
/// level column. `first_word`: no word comes before this one in the text.
fn is_level_shaped(
    word: &[u8],
    before: Option<u8>,
    after: Option<u8>,
    place: Place,
    first_word: bool,
) -> bool {
    let opens = matches!(before, Some(b'[' | b'(' | b'<' | b'{' | b'|'));
    let closes = matches!(after, Some(b']' | b')' | b'>' | b'}' | b'|'));
    word.iter().all(u8::is_ascii_uppercase)
        || (opens && closes)
        || after == Some(b':')
        || (place == Place::Column && first_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word scan from the first candidate word finds what a scan of every word
    /// finds.
    fn candidates_agree(line: &[u8]) -> Result<(), String> {
        for window in [0, 3, 20, 48, 128, usize::MAX] {
            let w = window.min(line.len());
            let want = glog_token(line, w).or_else(|| level_word(line, w, Place::Text, 0));
            let got = find_level_token(line, window, Place::Text);
            if got != want {
                return Err(format!(
                    "{:?} (window {window}): {got:?}, every word: {want:?}",
                    String::from_utf8_lossy(line)
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn free_text_scans_from_the_first_candidate_word_alike() {
        let lines: [&[u8]; 14] = [
            b"user login ok for user_1",
            b"retrying after error in upstream call (attempt 3)",
            b"WARN threshold crossed: queue depth 5",
            b"no error found while checking shard 4",
            b"cache miss for key session:7 error: gone",
            b"see [warn] here",
            b"a warning| b",
            b"x 12 W y",
            b"  I0115 14:23:45.123456 1 a.go:1] x",
            b"prefix local.ERROR: boom",
            b"stack trace Error: x",
            b"the verylongwordthatrunspastwindow ERROR",
            b"\xc3\xa9error: accent",
            b"error",
        ];
        for line in lines {
            candidates_agree(line).unwrap();
        }
        assert_eq!(
            find_level_token(b"cache miss error: gone", 128, Place::Text),
            Some((Level::Error, 11, 16))
        );
        assert_eq!(
            find_level_token(b"no error found while checking", 128, Place::Text),
            None
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Lines of level words, prose words and the bytes around them, in any order.
        #[test]
        fn free_text_scans_from_the_first_candidate_word_alike_on_any_line(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "error", "Error", "ERROR", "warn", "W", "I", "info", "trace", "x", "12",
                    "ab", " ", " ", ":", "[", "]", "(", ")", "<", ">", "|", ".", "_", "\t",
                    "I0115", "\u{e9}", "informationals",
                ]),
                0..16,
            ),
        ) {
            candidates_agree(parts.concat().as_bytes())
                .map_err(proptest::test_runner::TestCaseError::fail)?;
        }
    }

    #[test]
    fn index_is_the_place_in_all() {
        for (i, level) in Level::ALL.into_iter().enumerate() {
            assert_eq!(level.index(), i, "{level:?}");
        }
    }

    #[test]
    fn every_name_passes_the_two_byte_test() {
        let names = [
            "trace",
            "verbose",
            "vrb",
            "trc",
            "debug",
            "dbg",
            "dbug",
            "info",
            "inf",
            "information",
            "informational",
            "notice",
            "warn",
            "warning",
            "wrn",
            "err",
            "error",
            "severe",
            "fatal",
            "ftl",
            "crit",
            "critical",
            "panic",
            "emerg",
            "emergency",
            "alert",
        ];
        for name in names {
            for word in [name.to_string(), name.to_uppercase(), {
                let mut c = name.to_string();
                c[..1].make_ascii_uppercase();
                c
            }] {
                assert!(Level::parse_name(word.as_bytes()).is_some(), "{word}");
                assert!(could_be_name(word.as_bytes()), "{word}");
            }
        }
        // Every word of three to thirteen letters `parse_name` reads passes the test:
        // all two-letter starts tried with every name's rest.
        for a in b'a'..=b'z' {
            for b in b'a'..=b'z' {
                for name in names {
                    let word = [&[a, b][..], &name.as_bytes()[2..]].concat();
                    if Level::parse_name(&word).is_some() {
                        assert!(could_be_name(&word), "{}", String::from_utf8_lossy(&word));
                    }
                }
            }
        }
        for word in ["processed", "records", "user", "upstream", "Started"] {
            assert!(!could_be_name(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn names() {
        let cases: &[(&[u8], Option<Level>)] = &[
            (b"trace", Some(Level::Trace)),
            (b"TRACE", Some(Level::Trace)),
            (b"Verbose", Some(Level::Trace)),
            (b"VRB", Some(Level::Trace)),
            (b"debug", Some(Level::Debug)),
            (b"DBG", Some(Level::Debug)),
            (b"dbug", Some(Level::Debug)),
            (b"info", Some(Level::Info)),
            (b"InFo", Some(Level::Info)),
            (b"INF", Some(Level::Info)),
            (b"information", Some(Level::Info)),
            (b"Informational", Some(Level::Info)),
            (b"notice", Some(Level::Info)),
            (b"warn", Some(Level::Warn)),
            (b"WARNING", Some(Level::Warn)),
            (b"wrn", Some(Level::Warn)),
            (b"err", Some(Level::Error)),
            (b"error", Some(Level::Error)),
            (b"SEVERE", Some(Level::Error)),
            (b"crit", Some(Level::Fatal)),
            (b"critical", Some(Level::Fatal)),
            (b"fatal", Some(Level::Fatal)),
            (b"FTL", Some(Level::Fatal)),
            (b"panic", Some(Level::Fatal)),
            (b"emerg", Some(Level::Fatal)),
            (b"emergency", Some(Level::Fatal)),
            (b"alert", Some(Level::Fatal)),
            (b"  warn\t", Some(Level::Warn)),
            (b"\nERROR \r\n", Some(Level::Error)),
            (b"", None),
            (b"   ", None),
            (b"W", None),
            (b"e", None),
            (b"warnings", None),
            (b"informationall", None),
            (b"info:", None),
            (b"in fo", None),
            (b"errorerrorerrorerror", None),
            (b"\xff\xfe", None),
            (b"inf\xc3\xb6", None),
            (b"30", None),
        ];
        for (input, want) in cases {
            assert_eq!(
                Level::parse_name(input),
                *want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn letters() {
        let cases: &[(u8, Option<Level>)] = &[
            (b'T', Some(Level::Trace)),
            (b'V', Some(Level::Trace)),
            (b'D', Some(Level::Debug)),
            (b'I', Some(Level::Info)),
            (b'N', Some(Level::Info)),
            (b'W', Some(Level::Warn)),
            (b'E', Some(Level::Error)),
            (b'F', Some(Level::Fatal)),
            (b'C', Some(Level::Fatal)),
            (b'A', Some(Level::Fatal)),
            (b'i', None),
            (b'd', None),
            (b'X', None),
            (b'3', None),
            (b' ', None),
            (0xff, None),
        ];
        for (input, want) in cases {
            assert_eq!(Level::parse_letter(*input), *want, "{:?}", *input as char);
        }
    }

    #[test]
    fn numbers() {
        let cases: &[(f64, Option<Level>)] = &[
            (10.0, Some(Level::Trace)),
            (15.0, Some(Level::Trace)),
            (19.9, Some(Level::Trace)),
            (20.0, Some(Level::Debug)),
            (30.0, Some(Level::Info)),
            (35.0, Some(Level::Info)),
            (40.0, Some(Level::Warn)),
            (50.0, Some(Level::Error)),
            (59.0, Some(Level::Error)),
            (60.0, Some(Level::Fatal)),
            (0.0, Some(Level::Fatal)),
            (1.0, Some(Level::Fatal)),
            (2.0, Some(Level::Fatal)),
            (3.0, Some(Level::Error)),
            (4.0, Some(Level::Warn)),
            (5.0, Some(Level::Info)),
            (6.0, Some(Level::Info)),
            (7.0, Some(Level::Debug)),
            (7.5, None),
            (8.0, None),
            (9.0, None),
            (60.5, None),
            (61.0, None),
            (100.0, None),
            (-1.0, None),
            (-0.0, Some(Level::Fatal)),
            (f64::NAN, None),
            (f64::INFINITY, None),
            (f64::NEG_INFINITY, None),
            (1e300, None),
        ];
        for (input, want) in cases {
            assert_eq!(Level::from_number(*input), *want, "{input}");
        }
    }

    #[test]
    fn any_and_user() {
        let any: &[(&[u8], Option<Level>)] = &[
            (b"30", Some(Level::Info)),
            (b" 50 ", Some(Level::Error)),
            (b"60", Some(Level::Fatal)),
            (b"3", Some(Level::Error)),
            (b"7", Some(Level::Debug)),
            (b"8", None),
            (b"070", None),
            (b"99999999999999999999999999", None),
            (b"W", Some(Level::Warn)),
            (b"w", None),
            (b"warning", Some(Level::Warn)),
            (b"Error", Some(Level::Error)),
            (b"30.5", None),
            (b"-1", None),
            (b"", None),
            (b"\xff", None),
        ];
        for (input, want) in any {
            assert_eq!(
                Level::parse_any(input),
                *want,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
        let user: &[(&str, Option<Level>)] = &[
            ("warn", Some(Level::Warn)),
            ("W", Some(Level::Warn)),
            ("w", Some(Level::Warn)),
            ("e", Some(Level::Error)),
            (" Error ", Some(Level::Error)),
            ("FATAL", Some(Level::Fatal)),
            ("x", None),
            ("30", None),
            ("", None),
            ("é", None),
        ];
        for (input, want) in user {
            assert_eq!(Level::parse_user(input), *want, "{input:?}");
        }
    }

    #[test]
    fn otel_severity_numbers_follow_the_spec_ranges() {
        let want = [
            (0.0, None),
            (1.0, Some(Level::Trace)),
            (4.0, Some(Level::Trace)),
            (5.0, Some(Level::Debug)),
            (8.0, Some(Level::Debug)),
            (9.0, Some(Level::Info)),
            (12.0, Some(Level::Info)),
            (13.0, Some(Level::Warn)),
            (16.0, Some(Level::Warn)),
            (17.0, Some(Level::Error)),
            (20.0, Some(Level::Error)),
            (21.0, Some(Level::Fatal)),
            (24.0, Some(Level::Fatal)),
            (25.0, None),
            (9.5, None),
            (-1.0, None),
            (f64::NAN, None),
        ];
        for (n, level) in want {
            assert_eq!(Level::from_otel_number(n), level, "{n}");
        }
        assert_eq!(Level::from_syslog(3.0), Some(Level::Error));
        assert_eq!(Level::from_syslog(30.0), None);
        assert!(Level::is_other_name("HTTP"));
        assert!(!Level::is_other_name("BOGUS"));
    }

    #[test]
    fn as_str_round_trips() {
        for l in Level::ALL {
            assert_eq!(Level::parse_name(l.as_str().as_bytes()), Some(l));
            assert_eq!(Level::parse_user(l.as_str()), Some(l));
        }
        assert!(Level::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    type TokenCase<'a> = (&'a [u8], Option<(Level, &'a str)>);

    #[test]
    fn tokens() {
        // (line, expected level and the token text)
        let cases: &[TokenCase] = &[
            (b"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", Some((Level::Info, "notice"))),
            (b"[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6", Some((Level::Error, "error"))),
            (b"03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs", Some((Level::Debug, "D"))),
            (b"03-17 16:13:38.819  1702  8671 V PowerManagerService: acquire lock", Some((Level::Trace, "V"))),
            (b"Mar 24 15:17:38.999  000000000264F I shmem.res 262144", Some((Level::Info, "I"))),
            (b"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1", Some((Level::Info, "INFO"))),
            (b"2015-10-18 18:01:47,978 WARN [main] org.apache.hadoop.X: error in foo", Some((Level::Warn, "WARN"))),
            (b"2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Fast", Some((Level::Info, "INFO"))),
            (b"nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 WARNING nova.x [req-1]", Some((Level::Warn, "WARNING"))),
            (b"- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected", Some((Level::Info, "INFO"))),
            (b"KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt", Some((Level::Fatal, "FATAL"))),
            (b"2012-07-02 10:22:40,672:DEBUG:foo bar baz", Some((Level::Debug, "DEBUG"))),
            (b"2015-04-24T21:09:39.296 25376]ERROR:somemodule:Something very INFOrmative.", Some((Level::Error, "ERROR"))),
            (b"[2023-05-15 18:19:32] local.ERROR: Target class [Fruitcake] does not exist.", Some((Level::Error, "ERROR"))),
            (b"2018-07-06 09:02:18.259 +10:00 [ERR] HTTP GET / responded 500", Some((Level::Error, "ERR"))),
            (b"2020-08-06T14:25:02.936146Z 0 [Warning] [MY-010068] [Server] CA certificate", Some((Level::Warn, "Warning"))),
            (b"[2017-11-09T02:12:24Z ERROR main] Unable to bar", Some((Level::Error, "ERROR"))),
            (b"2022-08-29 08:10:00 |  TRACE | msg", Some((Level::Trace, "TRACE"))),
            (b"<warning> disk almost full", Some((Level::Warn, "warning"))),
            (b"WARN: deprecated", Some((Level::Warn, "WARN"))),
            (b"E0517 15:04:22.619632 1952452992 logging_unittest.cc:253] Log every 3", Some((Level::Error, "E"))),
            (b"I20240115 14:23:45.123456 1 x.cc:1] hi", Some((Level::Info, "I"))),
            (b"Nov  3 09:23:38 myhost info: starting", Some((Level::Info, "info"))),
            (b"Sep 19 09:24:04 host gmetad: Warning: we failed", Some((Level::Warn, "Warning"))),
            (b"Jun 15 04:06:20 combo logrotate: ALERT exited abnormally", Some((Level::Fatal, "ALERT"))),
            (b"WARN threshold crossed: queue depth 5", Some((Level::Warn, "WARN"))),
            (b"error: disk quota exceeded", Some((Level::Error, "error"))),
            (b"Warning: we failed", Some((Level::Warn, "Warning"))),
            (b"[error] worker 3 exited", Some((Level::Error, "error"))),
            (b"(info) cache warmed", Some((Level::Info, "info"))),
            (b"web-1 {debug} ready", Some((Level::Debug, "debug"))),
            // Not levels: a lower-case or Capitalized word of free text that is not
            // shaped as a level is message text.
            (b"fatal flag cleared on node-12", None),
            (b"Error connecting to db-3", None),
            (b"info about the release follows", None),
            (b"retrying after error in upstream call", None),
            (b"2016-06-30 12:00:01 trace tracemessage", None),
            (b"   --- End of inner exception stack trace ---", None),
            (b"#Software: Microsoft Internet Information Services 8.5", None),
            (b"Mar  6 04:07:23 hostname log_tag this is debug", None),
            (b"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname=", None),
            (b"Jul  1 09:01:06 calvisitor-10-105-160-95 QQ[10018]: I think A thing", None),
            (b"ts=2024-01-15T14:23:45Z level=error msg=boom", None),
            (b"2024-01-15 14:23:45 iNfO mixed case", None),
            (b"2024-01-15 14:23:45 org.error.Handler started", None),
            (b"2024-01-15 14:23:45 my_error_handler: started", None),
            (b"2024-01-15 14:23:45 Errors: 0", None),
            (b"2024-01-15 14:23:45 infos debug2", None),
            (b"Error\xc3\xa9 foo", None),
            (b"", None),
            (b"\xff\xfe\xfd ERROR", Some((Level::Error, "ERROR"))),
            (b"I", None),
            (b" D ", Some((Level::Debug, "D"))),
            (b" W something happened", Some((Level::Warn, "W"))),
            (b"  W two spaces", None),
        ];
        for (line, want) in cases {
            let got = find_level_token(line, 200, Place::Text)
                .map(|(l, s, e)| (l, String::from_utf8_lossy(&line[s..e]).into_owned()));
            let want = want.map(|(l, t)| (l, t.to_string()));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn column_tokens() {
        // The text after a line's timestamp: its first word is the level column.
        let cases: &[TokenCase] = &[
            (
                b", Info                  CBS    Loaded",
                Some((Level::Info, "Info")),
            ),
            (
                b" info vpxd[45715] [Originator@6876]",
                Some((Level::Info, "info")),
            ),
            (b" trace tracemessage", Some((Level::Trace, "trace"))),
            (
                b" - Warning disk almost full",
                Some((Level::Warn, "Warning")),
            ),
            (b" ERROR [main] boom", Some((Level::Error, "ERROR"))),
            (b" [main] error: boom", Some((Level::Error, "error"))),
            (b" host1 error something", None),
            (b" fatal flag cleared", Some((Level::Fatal, "fatal"))),
        ];
        for (line, want) in cases {
            let got = find_level_token(line, 200, Place::Column)
                .map(|(l, s, e)| (l, String::from_utf8_lossy(&line[s..e]).into_owned()));
            let want = want.map(|(l, t)| (l, t.to_string()));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn token_scan_limit() {
        let line = b"Jun 14 15:16:01 combo app[1]: connection reset, ERROR ignored";
        assert_eq!(find_level_token(line, 20, Place::Text), None);
        assert_eq!(find_level_token(line, 0, Place::Text), None);
        let (l, s, e) = find_level_token(line, line.len(), Place::Text).unwrap();
        assert_eq!((l, &line[s..e]), (Level::Error, &b"ERROR"[..]));
        // A word that starts inside the window is read to its end.
        assert_eq!(
            find_level_token(b"x WARNING", 3, Place::Text),
            Some((Level::Warn, 2, 9))
        );
        assert_eq!(
            find_level_token(b"x WARNING", usize::MAX, Place::Text),
            Some((Level::Warn, 2, 9))
        );
    }
}
