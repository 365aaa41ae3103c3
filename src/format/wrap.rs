//! Wrapper formats: a container runtime or a relay writes each line of an application's
//! log inside an envelope of its own (docker's json-file `{"log": ...}`, the CRI prefix
//! `ts stdout F`, docker compose's `name  | `, syslog's `@cee:` JSON). Each envelope is
//! data (a [`WrapDef`]): it splits a physical line into outer fields and the inner line,
//! and the inner lines go through the same detection and parsing as a file of their own.
//!
//! An entry of a wrapped format is a run of envelopes whose inner lines make one entry
//! of the inner format (a Java stack trace written one frame per envelope is one entry);
//! a partial inner line (CRI tag `P`, a docker `log` without its final `\n`) is joined to
//! the next without a newline. Entry starts are decided line by line, so a partial line
//! joins the next only when the next does not itself look like an entry start of the
//! inner format.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::LazyLock;

use regex::bytes::{CaptureLocations, Regex};

use crate::format::defs::Cont;
use crate::format::kind::{Base, Format};
use crate::format::level::Level;
use crate::format::record::{Field, Kind, Meta, Raw, Record};
use crate::format::seen::Seen;
use crate::format::timestamp::{self, TimeCtx};
use crate::format::walk::{WalkCache, Walker};
use crate::format::{json, pattern};

/// How a wrapper finds the inner line in a physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// A JSON object whose string key `inner` holds the line (with its `\n` when
    /// complete); `time` is the time used when the inner line has none. The object may
    /// hold only these and the `fields` keys, which become fields.
    Json {
        inner: &'static str,
        time: &'static str,
        fields: &'static [&'static str],
    },
    /// A prefix (a regex matched at the start of the line); the rest of the line is the
    /// inner line. Captures: `ts` (the time used when the inner line has none), `pri` (a
    /// syslog priority, the level when the inner line has none), `tag` (`P` marks a
    /// partial line); any other capture becomes a field of its name.
    Prefix(&'static str),
}

/// A wrapper definition.
#[derive(Debug, Clone, Copy)]
pub struct WrapDef {
    pub name: &'static str,
    pub title: &'static str,
    pub example: &'static str,
    pub envelope: Envelope,
    /// The outer field that gives the service when the inner line names none.
    pub service: Option<&'static str>,
    /// Where a prefix ends, read by hand: the same answer as the prefix's regex (a test
    /// holds them equal on every line), for a prefix asked of every line twice (entry
    /// start, then level) and short enough that a DFA's set-up costs more than its walk.
    pub quick_end: Option<PrefixEnd>,
}

/// Where a prefix envelope ends in a line (`None`: the line is not in it).
pub type PrefixEnd = fn(&[u8]) -> Option<usize>;

/// The built-in wrappers. On a tie in detection the earlier one wins.
pub const WRAPPERS: &[WrapDef] = &[
    WrapDef {
        name: "docker",
        title: "Docker json-file (`{\"log\": ..., \"stream\": ..., \"time\": ...}`)",
        example: r#"{"log":"started\n","stream":"stdout","time":"2024-05-07T12:04:17.597069Z"}"#,
        envelope: Envelope::Json {
            inner: "log",
            time: "time",
            fields: &["stream", "attrs"],
        },
        service: None,
        quick_end: None,
    },
    WrapDef {
        name: "cri",
        title: "Kubernetes CRI container log (`ts stdout F line`, `P` partial lines)",
        example: "2024-05-07T12:04:17.597069Z stdout F started",
        envelope: Envelope::Prefix(
            r"^(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (?P<stream>stdout|stderr) (?P<tag>[FP]) ",
        ),
        service: None,
        quick_end: None,
    },
    WrapDef {
        name: "compose",
        title: "docker compose output (`name  | line`)",
        example: "web-1  | started",
        envelope: Envelope::Prefix(
            r"^(?:\x1b\[[0-9;]*[A-Za-z])*(?P<container>[A-Za-z][\w.-]*) +\| ?",
        ),
        service: Some("container"),
        quick_end: Some(compose_end),
    },
    WrapDef {
        name: "cee",
        title: "syslog with `@cee:` JSON (CEE/lumberjack)",
        example: r#"<13>May  7 12:04:17 host app[123]: @cee: {"msg":"x","level":"error"}"#,
        envelope: Envelope::Prefix(
            r"^(?:<(?P<pri>\d{1,3})>(?:1 )?)?(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+) (?P<host>\S+) (?P<app>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?:? (?:- - )?@cee: ?",
        ),
        service: Some("app"),
        quick_end: None,
    },
];

/// The end of compose's prefix (`name  | `, after any colour codes), as its regex
/// `^(?:\x1b\[[0-9;]*[A-Za-z])*[A-Za-z][\w.-]* +\| ?` finds it: every part is
/// deterministic (no part can take what the next needs), so one pass decides.
fn compose_end(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    while line.get(i) == Some(&0x1b) {
        if line.get(i + 1) != Some(&b'[') {
            return None;
        }
        let params = line[i + 2..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b';')
            .count();
        if !line.get(i + 2 + params)?.is_ascii_alphabetic() {
            return None;
        }
        i += params + 3;
    }
    if !line.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    i += 1;
    i += line[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        .count();
    let spaces = line[i..].iter().take_while(|c| **c == b' ').count();
    if spaces == 0 || line.get(i + spaces) != Some(&b'|') {
        return None;
    }
    i += spaces + 1;
    Some(i + usize::from(line.get(i) == Some(&b' ')))
}

pub use crate::format::kind::Wrapper;

impl Wrapper {
    pub fn def(self) -> &'static WrapDef {
        &WRAPPERS[usize::from(self.0)]
    }

    fn prefix(self) -> Option<&'static Regex> {
        PREFIXES[usize::from(self.0)].as_ref()
    }
}

/// The prefix regexes, compiled once (`None` for JSON envelopes).
static PREFIXES: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    WRAPPERS
        .iter()
        .map(|w| match w.envelope {
            // The built-in table is tested: every prefix compiles.
            Envelope::Prefix(p) => Some(Regex::new(&format!("(?-u){p}")).expect("wrapper")),
            Envelope::Json { .. } => None,
        })
        .collect()
});

/// Each prefix with its `tag` group made to match only `P` (`None` for JSON envelopes
/// and prefixes without a tag): a line matches it exactly when its tag marks it
/// partial, which a DFA tells without the capture engine.
static PARTIAL: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    WRAPPERS
        .iter()
        .map(|w| match w.envelope {
            Envelope::Prefix(p) => {
                partial_pattern(p).and_then(|p| Regex::new(&format!("(?-u){p}")).ok())
            }
            Envelope::Json { .. } => None,
        })
        .collect()
});

/// What a DFA tells of a prefix envelope without the capture engine.
#[derive(Clone, Copy)]
enum Probe {
    /// Where the prefix ends (the inner line's start).
    End,
    /// Whether the prefix marks the line partial ([`PARTIAL`]'s pattern).
    Partial,
}

/// Each prefix's DFAs, by [`Probe`] (`None` for JSON envelopes, or a prefix without a
/// tag for `Partial`): the same patterns as [`PREFIXES`] and [`PARTIAL`], searched
/// anchored with this thread's caches ([`PROBE_CACHES`]), since the `regex` crate's
/// shared cache pool costs as much as the search on a prefix of 40 bytes.
static PROBES: LazyLock<Vec<[Option<Walker>; 2]>> = LazyLock::new(|| {
    WRAPPERS
        .iter()
        .map(|w| match w.envelope {
            Envelope::Prefix(p) => [
                Walker::new(&format!("(?-u){p}"), true),
                partial_pattern(p).and_then(|p| Walker::new(&format!("(?-u){p}"), true)),
            ],
            Envelope::Json { .. } => [None, None],
        })
        .collect()
});

thread_local! {
    /// Search caches of [`PROBES`] on this thread (slot `wrapper * 2 + probe`).
    static PROBE_CACHES: RefCell<Vec<Option<WalkCache>>> = const { RefCell::new(Vec::new()) };
}

/// The end of the leftmost-first match of `w`'s probe `which` anchored at the start of
/// `line` (`Probe::Partial`: the earliest end, enough to say it matches); `None` when
/// it does not match. Falls back on the `regex` crate when the DFA was not built or
/// this thread's caches are in use.
fn probe(w: Wrapper, which: Probe, line: &[u8]) -> Option<usize> {
    if let (Probe::End, Some(quick)) = (which, w.def().quick_end) {
        return quick(line);
    }
    let slot = usize::from(w.0) * 2 + which as usize;
    let fallback = || match which {
        Probe::End => w.prefix()?.find(line).map(|m| m.end()),
        Probe::Partial => PARTIAL[usize::from(w.0)]
            .as_ref()?
            .find(line)
            .map(|m| m.end()),
    };
    let Some(walker) = PROBES[usize::from(w.0)][which as usize].as_ref() else {
        return fallback();
    };
    let found = PROBE_CACHES.with(|cell| {
        let mut all = cell.try_borrow_mut().ok()?;
        if all.len() <= slot {
            all.resize_with(slot + 1, || None);
        }
        let cache = all[slot].get_or_insert_with(|| walker.create_cache());
        Some(walker.end(cache, line, 0, matches!(which, Probe::Partial)))
    });
    match found {
        Some(end) => end,
        None => fallback(),
    }
}

/// The tag that marks a line partial (CRI's `P`).
const PARTIAL_TAG: u8 = b'P';

/// `pattern` with the inside of its `tag` group replaced by [`PARTIAL_TAG`].
fn partial_pattern(pattern: &str) -> Option<String> {
    use regex_syntax::ast::{Ast, GroupKind};
    fn find(ast: &Ast) -> Option<regex_syntax::ast::Span> {
        match ast {
            Ast::Group(g) => match &g.kind {
                GroupKind::CaptureName { name, .. } if name.name == "tag" => Some(*g.ast.span()),
                _ => find(&g.ast),
            },
            Ast::Concat(c) => c.asts.iter().find_map(find),
            Ast::Alternation(a) => a.asts.iter().find_map(find),
            Ast::Repetition(r) => find(&r.ast),
            _ => None,
        }
    }
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .ok()?;
    let span = find(&ast)?;
    Some(format!(
        "{}{}{}",
        &pattern[..span.start.offset],
        char::from(PARTIAL_TAG),
        &pattern[span.end.offset..]
    ))
}

/// The inner line of `line` (without its terminator) when it is in `w`'s envelope,
/// as [`split`] gives it, without reading the envelope's other parts: a prefix's end
/// is found by a DFA; a JSON string with escapes is decoded into `scratch` (cleared
/// first), not into a buffer of its own.
fn inner_line<'s>(w: Wrapper, line: &'s [u8], scratch: &'s mut Vec<u8>) -> Option<&'s [u8]> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (inner, time, known) = match w.def().envelope {
        Envelope::Prefix(_) => return Some(&line[probe(w, Probe::End, line)?..]),
        Envelope::Json {
            inner,
            time,
            fields,
        } => (inner, time, fields),
    };
    json_inner(w, line, (inner, time, known), scratch).map(|(text, _)| text)
}

/// Where a JSON envelope's inner line lies, and whether it is partial (its string does
/// not end with `\n`), as [`json_inner`] found it.
#[derive(Debug, Clone, Copy)]
enum Found {
    /// The line is not in the envelope.
    Outside,
    /// The inner line is these bytes of the line.
    Within { start: u32, len: u32, partial: bool },
    /// The inner line had to be decoded (kept with the answer).
    Decoded { partial: bool },
}

thread_local! {
    /// The last envelope lines this thread split: a line is tested as an entry start,
    /// asked whether it is partial when the next line is tested, then read for its
    /// level, and decoding its string once is enough.
    static SEEN: RefCell<Seen<Found>> = const { RefCell::new(Seen::new()) };
}

/// The inner line of a JSON envelope `line` (its string decoded into `scratch` when it
/// has escapes) and whether it is partial; `None` when the line is not in the envelope.
/// Recalled when this thread just split the same line.
fn json_inner<'s>(
    w: Wrapper,
    line: &'s [u8],
    (inner, time, known): (&str, &str, &[&str]),
    scratch: &'s mut Vec<u8>,
) -> Option<(&'s [u8], bool)> {
    scratch.clear();
    let recalled = SEEN.with(|seen| {
        let seen = seen.borrow();
        let (found, bytes) = seen.recall_with(w.0, line)?;
        scratch.extend_from_slice(bytes);
        Some(found)
    });
    let found = match recalled {
        Some(found) => found,
        None => {
            let found = read_json_inner(w, line, (inner, time, known), scratch);
            SEEN.with(|seen| seen.borrow_mut().remember_with(w.0, line, found, scratch));
            found
        }
    };
    match found {
        Found::Outside => None,
        Found::Within {
            start,
            len,
            partial,
        } => Some((&line[start as usize..][..len as usize], partial)),
        Found::Decoded { partial } => Some((scratch, partial)),
    }
}

/// [`json_inner`] read anew: a decoded inner line is left in `scratch`.
fn read_json_inner(
    w: Wrapper,
    line: &[u8],
    (inner, time, known): (&str, &str, &[&str]),
    scratch: &mut Vec<u8>,
) -> Found {
    let Some(value) = json_envelope(line, inner, time, known) else {
        return Found::Outside;
    };
    if let Some((text, partial)) = plain_line(value) {
        return Found::Within {
            start: (text.as_ptr() as usize - line.as_ptr() as usize) as u32,
            len: text.len() as u32,
            partial,
        };
    }
    if !json::unescape_into(value, scratch) {
        // Not plain JSON (or not a string): as `split` reads it.
        return match split(w, line) {
            Some(outer) => {
                scratch.extend_from_slice(&outer.inner);
                Found::Decoded {
                    partial: outer.partial,
                }
            }
            None => Found::Outside,
        };
    }
    let partial = !scratch.ends_with(b"\n");
    while let [.., b'\n' | b'\r'] = scratch.as_slice() {
        scratch.pop();
    }
    Found::Decoded { partial }
}

/// The raw value of a JSON envelope's `inner` key, when `line` is such an envelope
/// (an object of only the `inner`, `time` and `known` keys, `inner` present).
fn json_envelope<'a>(line: &'a [u8], inner: &str, time: &str, known: &[&str]) -> Option<&'a [u8]> {
    let obj = json::trim_ascii(line);
    if obj.first() != Some(&b'{') {
        return None;
    }
    let mut found = None;
    let mut pairs = json::Pairs::new(obj);
    for pair in pairs.by_ref() {
        let key = match pair.key_escaped {
            false => Cow::Borrowed(pair.key),
            true => Cow::Owned(json::decode_key(&pair).into_owned().into_bytes()),
        };
        if *key == *inner.as_bytes() {
            found = Some(pair.value);
        } else if *key != *time.as_bytes() && !known.iter().any(|k| *key == *k.as_bytes()) {
            return None;
        }
    }
    found.filter(|_| pairs.ok())
}

/// One physical line split by its envelope.
pub struct Outer<'a> {
    /// The inner line, without its line terminator. Borrowed from the line unless it
    /// had to be unescaped (a docker `log` string with escapes other than its final
    /// `\n`).
    pub inner: Cow<'a, [u8]>,
    /// Whether the inner line is cut and continues in the next envelope.
    pub partial: bool,
    /// The envelope's time and priority; its other fields are read from `line` only
    /// when a record is built ([`Outer::fields`]: entry starts and level tests need
    /// only the inner line, and splitting allocates nothing).
    ts: Option<Cow<'a, [u8]>>,
    pri: Option<u32>,
    line: &'a [u8],
}

/// An envelope field's value as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outside<'a> {
    /// Text from a prefix capture.
    Text(&'a [u8]),
    /// A raw JSON value from a JSON envelope.
    Json(&'a [u8]),
}

impl Outside<'_> {
    fn to_json(self) -> serde_json::Value {
        match self {
            Outside::Text(t) => serde_json::Value::String(String::from_utf8_lossy(t).into_owned()),
            Outside::Json(v) => json::parse_first_wins(v).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Splits `line` by wrapper `w`; `None` when the line is not in that envelope.
pub fn split(w: Wrapper, line: &[u8]) -> Option<Outer<'_>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match w.def().envelope {
        Envelope::Json {
            inner,
            time,
            fields,
        } => split_json(line, inner, time, fields),
        Envelope::Prefix(_) => split_prefix(w, w.prefix()?, line),
    }
}

fn split_json<'a>(
    line: &'a [u8],
    inner: &str,
    time: &str,
    known: &[&'static str],
) -> Option<Outer<'a>> {
    let obj = json::trim_ascii(line);
    if obj.first() != Some(&b'{') {
        return None;
    }
    let mut out = Outer {
        inner: Cow::Borrowed(&[]),
        partial: false,
        ts: None,
        pri: None,
        line,
    };
    let mut found = false;
    let mut pairs = json::Pairs::new(obj);
    for pair in pairs.by_ref() {
        let key = json::decode_key(&pair);
        if key == inner {
            (out.inner, out.partial) = json_line(pair.value)?;
            found = true;
        } else if key == time {
            out.ts = Some(match json::decode(pair.value) {
                json::Value::Str(Cow::Borrowed(s)) => Cow::Borrowed(s.as_bytes()),
                other => Cow::Owned(other.as_text().into_owned().into_bytes()),
            });
        } else if !known.contains(&&*key) {
            return None;
        }
    }
    (found && pairs.ok()).then_some(out)
}

/// The line in a JSON envelope's string value, without its terminator, and whether it
/// is partial (no final `\n`). The usual values ([`plain_line`]) are borrowed; others
/// are decoded (`json::decode`).
fn json_line(value: &[u8]) -> Option<(Cow<'_, [u8]>, bool)> {
    if let Some((text, partial)) = plain_line(value) {
        return Some((Cow::Borrowed(text), partial));
    }
    let json::Value::Str(text) = json::decode(value) else {
        return None;
    };
    Some(strip_terminator(text))
}

/// [`json_line`] for a string that decoding would borrow from: no escape, or none but
/// its final `\n` (then no control character, which the JSON decoder refuses); valid
/// UTF-8 either way.
fn plain_line(value: &[u8]) -> Option<(&[u8], bool)> {
    let body = value.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if memchr::memchr(b'\\', body).is_none() {
        std::str::from_utf8(body).ok()?;
        let mut text = body;
        while let [rest @ .., b'\n' | b'\r'] = text {
            text = rest;
        }
        return Some((text, !body.ends_with(b"\n")));
    }
    let text = body.strip_suffix(b"\\n")?;
    let plain = memchr::memchr(b'\\', text).is_none()
        && text.iter().all(|&c| c >= 0x20)
        && std::str::from_utf8(text).is_ok();
    plain.then_some((text, false))
}

/// Drops the inner line's terminator; no `\n` means the line continues.
fn strip_terminator(text: Cow<'_, str>) -> (Cow<'_, [u8]>, bool) {
    let partial = !text.ends_with('\n');
    let trim = |s: &str| s.trim_end_matches(['\n', '\r']).len();
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(&s.as_bytes()[..trim(s)]),
        Cow::Owned(mut s) => {
            s.truncate(trim(&s));
            Cow::Owned(s.into_bytes())
        }
    };
    (text, partial)
}

thread_local! {
    /// Capture slots per prefix wrapper, reused by every split on this thread.
    static LOCATIONS: RefCell<Vec<Option<CaptureLocations>>> = const { RefCell::new(Vec::new()) };
}

/// The captures of a prefix envelope (each group's span, by group index), read with
/// this thread's capture slots: `visit(name, value)` for each named group that matched.
/// `None` when the line is not in the envelope; else the end of the prefix.
fn read_prefix<'a>(
    w: Wrapper,
    re: &Regex,
    line: &'a [u8],
    mut visit: impl FnMut(&'static str, &'a [u8]),
) -> Option<usize> {
    LOCATIONS.with(|cell| {
        let mut all = cell.borrow_mut();
        let slot = usize::from(w.0);
        if all.len() <= slot {
            all.resize_with(slot + 1, || None);
        }
        let locs = all[slot].get_or_insert_with(|| re.capture_locations());
        let end = re.captures_read(locs, line)?.end();
        for (i, name) in PREFIX_NAMES[slot].iter().enumerate() {
            if let (Some(name), Some((s, e))) = (name, locs.get(i)) {
                visit(name, &line[s..e]);
            }
        }
        Some(end)
    })
}

/// The group names of each prefix regex, by group index (empty for JSON envelopes).
static PREFIX_NAMES: LazyLock<Vec<Vec<Option<&'static str>>>> = LazyLock::new(|| {
    PREFIXES
        .iter()
        .map(|re| match re {
            Some(re) => re.capture_names().collect(),
            None => Vec::new(),
        })
        .collect()
});

fn split_prefix<'a>(w: Wrapper, re: &Regex, line: &'a [u8]) -> Option<Outer<'a>> {
    let (mut ts, mut partial, mut pri) = (None, false, None);
    let end = read_prefix(w, re, line, |name, value| match name {
        "ts" => ts = Some(Cow::Borrowed(value)),
        "tag" => partial = value == b"P",
        "pri" => pri = std::str::from_utf8(value).ok().and_then(|s| s.parse().ok()),
        _ => {}
    })?;
    Some(Outer {
        inner: Cow::Borrowed(&line[end..]),
        partial,
        ts,
        pri,
        line,
    })
}

impl<'a> Outer<'a> {
    /// The envelope's fields other than the time, priority and tag (name, value):
    /// read again from the line, only when a record is built.
    fn fields(&self, w: Wrapper) -> Vec<(&'static str, Outside<'a>)> {
        let mut out = Vec::new();
        match (w.def().envelope, w.prefix()) {
            (Envelope::Json { fields, .. }, _) => {
                for pair in json::Pairs::new(json::trim_ascii(self.line)) {
                    let key = json::decode_key(&pair);
                    if let Some(name) = fields.iter().find(|k| **k == key) {
                        out.push((*name, Outside::Json(pair.value)));
                    }
                }
            }
            (Envelope::Prefix(_), Some(re)) => {
                read_prefix(w, re, self.line, |name, value| {
                    if !matches!(name, "ts" | "tag" | "pri") {
                        out.push((name, Outside::Text(value)));
                    }
                });
            }
            (Envelope::Prefix(_), None) => {}
        }
        out
    }

    /// The level the envelope gives (a syslog priority's severity), used when the
    /// inner line has none.
    fn level(&self) -> Option<Level> {
        self.pri.and_then(|p| Level::from_number(f64::from(p % 8)))
    }
}

/// Whether `w`'s envelope can mark a line partial (a JSON string without its final
/// `\n`, a prefix with a `tag` group): only then does an entry start depend on the line
/// before.
pub fn marks_partial(w: Wrapper) -> bool {
    MARKS_PARTIAL[usize::from(w.0)]
}

/// [`marks_partial`] of each wrapper, decided once (it is asked of every line).
static MARKS_PARTIAL: LazyLock<Vec<bool>> = LazyLock::new(|| {
    (0..WRAPPERS.len())
        .map(|i| match WRAPPERS[i].envelope {
            Envelope::Json { .. } => true,
            Envelope::Prefix(_) => PREFIX_NAMES[i].contains(&Some("tag")),
        })
        .collect()
});

/// Whether `w`'s envelope can give a level (a prefix with a `pri` group).
fn gives_level(w: Wrapper) -> bool {
    PREFIX_NAMES[usize::from(w.0)].contains(&Some("pri"))
}

/// Whether `line` is in `w`'s envelope with a partial inner line (continued in the
/// next line). For a JSON envelope the raw string is checked for its final `\n` without
/// decoding it.
pub fn is_partial(w: Wrapper, line: &[u8]) -> bool {
    with_scratch(|scratch, _| partial_in(w, line, scratch))
}

/// [`is_partial`], decoding a JSON string with escapes into `scratch` (cleared first).
fn partial_in(w: Wrapper, line: &[u8], scratch: &mut Vec<u8>) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match w.def().envelope {
        Envelope::Json {
            inner,
            time,
            fields,
        } => json_inner(w, line, (inner, time, fields), scratch).is_some_and(|(_, p)| p),
        // Every match of the partial pattern holds the tag it puts in: most lines have
        // no such byte at all, and memchr says so faster than the DFA.
        Envelope::Prefix(_) => {
            memchr::memchr(PARTIAL_TAG, line).is_some() && probe(w, Probe::Partial, line).is_some()
        }
    }
}

/// Whether `line` starts an entry of `inner` wrapped in `w` (the line before is not
/// partial, see `Format::is_entry_start_after`). As in any mixed stream, an inner line
/// continues the entry above only when the inner format does not read it as a start
/// and it has a continuation shape (a stack frame, indentation, `Caused by:`), or the
/// inner format takes every line up to its next match (records over two lines). A
/// line in no envelope starts an entry of its own.
pub fn is_entry_start(w: Wrapper, inner: Base, line: &[u8], ctx: &TimeCtx) -> bool {
    with_scratch(|scratch, _| is_start_of(w, inner, line, scratch, ctx))
}

/// [`is_entry_start`] with a buffer for the inner line.
fn is_start_of(w: Wrapper, inner: Base, line: &[u8], scratch: &mut Vec<u8>, ctx: &TimeCtx) -> bool {
    let Some(text) = inner_line(w, line, scratch) else {
        return true;
    };
    let format = inner.format();
    let start = if format.multiline() {
        format.is_entry_start(text, ctx)
    } else {
        // A JSON object, maybe cut (partial): its first line starts an entry.
        text.first() == Some(&b'{') || !pattern::continues(text)
    };
    if start {
        return true;
    }
    let takes_any = matches!(inner, Base::Pattern(id) if matches!(pattern::compiled(id).def.cont, Cont::Any | Cont::Block));
    !(takes_any || pattern::continues(text))
}

/// The inner text of an entry: each envelope's inner line, partial lines joined to the
/// next without a newline. Also returns the first envelope.
fn unwrap_entry(w: Wrapper, raw: &[u8]) -> (Vec<u8>, Option<Outer<'_>>) {
    let mut text = Vec::with_capacity(raw.len());
    let first = unwrap_into(w, raw, &mut text, &mut Vec::new()).and_then(|line| split(w, line));
    (text, first)
}

/// [`unwrap_entry`] into `text` (appended to; `scratch` decodes a line); returns the
/// first line in the envelope.
fn unwrap_into<'a>(
    w: Wrapper,
    raw: &'a [u8],
    text: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
) -> Option<&'a [u8]> {
    let mut first = None;
    for line in raw.split(|&b| b == b'\n') {
        match inner_line(w, line, scratch) {
            Some(inner) => {
                text.extend_from_slice(inner);
                if !partial_in(w, line, scratch) {
                    text.push(b'\n');
                }
                first.get_or_insert(line);
            }
            None => {
                text.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
                text.push(b'\n');
            }
        }
    }
    while text.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
        text.pop();
    }
    first
}

thread_local! {
    /// Buffers reused on this thread: an inner line being decoded, and the inner text
    /// of a multi-line entry ([`with_inner`]).
    static BUFFERS: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Calls `f` with this thread's buffers (fresh ones if they are in use).
fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>, &mut Vec<u8>) -> R) -> R {
    BUFFERS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut bufs) => {
            let (scratch, text) = &mut *bufs;
            f(scratch, text)
        }
        Err(_) => f(&mut Vec::new(), &mut Vec::new()),
    })
}

/// Calls `read` with an entry's inner text, exactly as [`parse`] hands it to the inner
/// format, and the level its envelope gives (used when the inner text has none), without
/// a copy of its own: a one-line entry's inner line is read where it lies (unless it
/// had to be unescaped), a longer entry's lines are joined in a buffer reused on this
/// thread. `None` when no line is in the envelope (`parse` reads the entry as any line).
pub fn with_inner<R>(
    w: Wrapper,
    raw: &[u8],
    read: impl FnOnce(&[u8], &dyn Fn() -> Option<Level>) -> R,
) -> Option<R> {
    // The envelope's level needs its captures: read only when asked, and only from an
    // envelope that can give one (a `pri` group).
    let level_of = |line: &[u8]| {
        gives_level(w)
            .then(|| split(w, line).and_then(|o| o.level()))
            .flatten()
    };
    with_scratch(|scratch, text| {
        if memchr::memchr(b'\n', raw).is_none() {
            let mut inner = inner_line(w, raw, scratch)?;
            while let [rest @ .., b'\n' | b'\r'] = inner {
                inner = rest;
            }
            return Some(read(inner, &|| level_of(raw)));
        }
        text.clear();
        let first = unwrap_into(w, raw, text, scratch)?;
        Some(read(text, &|| level_of(first)))
    })
}

/// Parses one entry of `inner` wrapped in `w`: the inner text is parsed by the inner
/// format, then the envelope's fields are added (the inner line's own time, level and
/// service win over the envelope's).
pub fn parse<'a>(w: Wrapper, inner: Base, raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let (text, outer) = unwrap_entry(w, raw);
    let Some(outer) = outer else {
        // Not in the envelope at all: read as any line.
        return Format::Json.parse(raw, ctx);
    };
    let rec = inner.format().parse(&text, ctx);
    owned_record(w, &rec, &outer, ctx)
}

/// The inner record with the envelope's fields, owned (the inner text was decoded into
/// a buffer of its own).
fn owned_record<'a>(w: Wrapper, rec: &Record<'_>, outer: &Outer<'_>, ctx: &TimeCtx) -> Record<'a> {
    let mut out = Record::new(
        if rec.kind == Kind::Raw {
            Kind::Raw
        } else {
            Kind::Text
        },
        *ctx,
    );
    let ts = rec.ts().or_else(|| {
        let t = outer.ts.as_deref()?;
        timestamp::parse_str(t, ctx).or_else(|| timestamp::parse_leading(t, ctx).map(|(t, _)| t))
    });
    out.set_ts(ts);
    out.set_level(rec.level().or_else(|| outer.level()));
    // Every field but the time, level and message, which are read on their own.
    let copied = |f: &Field| !matches!(f, Field::Timestamp | Field::Level | Field::Message);
    for field in Field::ALL.into_iter().filter(copied) {
        if let Some(text) = rec.text(field) {
            out.offer(field, 0, Raw::Owned(text.into_owned()));
        }
    }
    let fields = outer.fields(w);
    if out.raw(Field::Service).is_none() {
        let named = w.def().service.and_then(|s| {
            fields
                .iter()
                .find(|(n, _)| *n == s)
                .map(|(_, v)| v.to_json())
        });
        if let Some(serde_json::Value::String(service)) = named {
            out.offer(Field::Service, 0, Raw::Owned(service));
        }
    }
    out.offer(Field::Message, 0, Raw::Owned(rec.message().into_owned()));
    let mut meta = rec.metadata_json();
    for (name, value) in &fields {
        meta.entry(name.to_string())
            .or_insert_with(|| value.to_json());
    }
    if !meta.is_empty() {
        out.meta = Meta::Owned(serde_json::Value::Object(meta).to_string());
    }
    out
}

/// How many sample lines must be in an envelope for the wrapper to be chosen.
fn enough(n: usize, total: usize) -> bool {
    n > 0 && n * 2 > total
}

/// The wrapper given with `--format` (its inner format is detected), set once at
/// start-up before any detection.
static FORCED: std::sync::OnceLock<Wrapper> = std::sync::OnceLock::new();

/// Makes detection read every input as wrapped in `w` (`--format docker`).
pub fn force(w: Wrapper) {
    let _ = FORCED.set(w);
}

/// The wrapper most of `lines` are in (the forced one, however many), with the inner
/// lines of those lines (partial lines joined) and how many lines were in it.
pub fn detect(lines: &[&[u8]]) -> Option<(Wrapper, Vec<Vec<u8>>, usize)> {
    let forced = FORCED.get().map(|w| usize::from(w.0));
    let candidates = forced.map_or(0..WRAPPERS.len(), |i| i..i + 1);
    candidates.into_iter().find_map(|i| {
        let w = Wrapper(u8::try_from(i).ok()?);
        let mut inner = Vec::new();
        let mut open: Option<Vec<u8>> = None;
        let mut n = 0;
        for line in lines {
            let Some(o) = split(w, line) else { continue };
            n += 1;
            let mut text = open.take().unwrap_or_default();
            text.extend_from_slice(&o.inner);
            if o.partial {
                open = Some(text);
            } else {
                inner.push(text);
            }
        }
        inner.extend(open);
        (forced.is_some() || enough(n, lines.len())).then_some((w, inner, n))
    })
}

/// A wrapper by name.
pub fn by_name(name: &str) -> Option<Wrapper> {
    WRAPPERS
        .iter()
        .position(|w| w.name == name)
        .and_then(|i| u8::try_from(i).ok())
        .map(Wrapper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrapper_splits_its_example() {
        for (i, def) in WRAPPERS.iter().enumerate() {
            let o = split(Wrapper(i as u8), def.example.as_bytes());
            assert!(o.is_some(), "{}", def.name);
        }
    }

    #[test]
    fn docker_lines_split_into_inner_and_fields() {
        let o = split(
            Wrapper(0),
            br#"{"log":"a \"b\"\n","stream":"stderr","time":"2024-05-07T12:04:17Z"}"#,
        )
        .unwrap();
        assert_eq!(&*o.inner, b"a \"b\"");
        assert!(!o.partial);
        assert_eq!(
            o.fields(Wrapper(0)),
            vec![("stream", Outside::Json(br#""stderr""#))]
        );
        // Any other key: not a docker envelope (an application's own JSON).
        assert!(split(Wrapper(0), br#"{"log":"x\n","level":"info"}"#).is_none());
        let p = split(Wrapper(0), br#"{"log":"cut"}"#).unwrap();
        assert!(p.partial);
        assert!(is_partial(
            Wrapper(0),
            br#"{"log":"cut","stream":"stdout"}"#
        ));
        assert!(!is_partial(
            Wrapper(0),
            br#"{"log":"whole\n","stream":"stdout"}"#
        ));
        assert!(!is_partial(Wrapper(0), br#"{"log":"x","level":"info"}"#));
        assert!(is_partial(Wrapper(1), b"2024-05-07T12:04:17Z stdout P cut"));
        assert!(!is_partial(
            Wrapper(1),
            b"2024-05-07T12:04:17Z stdout F whole"
        ));
    }

    #[test]
    fn docker_lines_without_escapes_are_borrowed() {
        let values: [&[u8]; 9] = [
            br#""started\n""#,
            br#""cut""#,
            br#""a \"q\"\n""#,
            br#""tab\t\n""#,
            b"\"raw\ttab\\n\"",
            b"\"latin1 \xe9\\n\"",
            br#""crlf\r\n""#,
            br#""\n""#,
            br#""""#,
        ];
        for v in values {
            let json::Value::Str(text) = json::decode(v) else {
                panic!("{v:?}")
            };
            let want = strip_terminator(text);
            let got = json_line(v).expect("a string");
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(v));
        }
        let (text, partial) = json_line(br#""started\n""#).unwrap();
        assert!(matches!(text, Cow::Borrowed(b"started")) && !partial);
        let (text, _) = json_line(br#""a \"q\"\n""#).unwrap();
        assert!(matches!(text, Cow::Owned(_)));
    }

    /// Where a hand-written reading of a prefix says it ends, the regex says so too.
    fn quick_ends_agree(line: &[u8]) -> Result<(), String> {
        for (i, def) in WRAPPERS.iter().enumerate() {
            let (Some(quick), Some(re)) = (def.quick_end, Wrapper(i as u8).prefix()) else {
                continue;
            };
            let want = re.find(line).map(|m| m.end());
            if quick(line) != want {
                return Err(format!(
                    "{}: {:?}: quick {:?}, regex {want:?}",
                    def.name,
                    String::from_utf8_lossy(line),
                    quick(line)
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn quick_prefix_ends_are_the_regex_ends() {
        let lines: [&[u8]; 14] = [
            b"web-1  | started",
            b"web-1  |started",
            b"web-1  |  two spaces",
            b"web-1 | ",
            b"web-1|no space",
            b"1web  | digit first",
            b"[36mweb.1_a-b  | [0mcoloured",
            b"[1;36m[0mdb  | two codes",
            b"[36 broken  | x",
            b"]0;titleweb  | x",
            b"[",
            b"web  ",
            b"",
            b"web	| tab",
        ];
        for line in lines {
            quick_ends_agree(line).unwrap();
        }
        assert_eq!(compose_end(b"web-1  | started"), Some(9));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Lines made of the bytes a prefix is made of, in any order.
        #[test]
        fn quick_prefix_ends_are_the_regex_ends_on_any_line(
            line in proptest::collection::vec(
                proptest::sample::select(b"\x1b[0;9mAz_.-| \t\r:\xff".to_vec()),
                0..24,
            ),
        ) {
            quick_ends_agree(&line).map_err(proptest::test_runner::TestCaseError::fail)?;
        }
    }

    #[test]
    fn partial_and_inner_agree_with_the_split() {
        assert_eq!(
            partial_pattern(r"^(?P<ts>\S+) (?P<tag>[FP]) ").as_deref(),
            Some(r"^(?P<ts>\S+) (?P<tag>P) ")
        );
        let lines: [&[u8]; 13] = [
            br#"{"log":"{\"level\":\"error\"}\n","stream":"stdout"}"#,
            br#"{"log":"bad \x escape\n","stream":"stdout"}"#,
            br#"{"log":"lone \ud83d\n","stream":"stdout"}"#,
            b"{\"log\":\"raw\ttab\\r\\n\",\"stream\":\"stdout\"}",
            b"2024-05-07T12:04:17.597069Z stdout P cut",
            b"2024-05-07T12:04:17.597069Z stderr F whole\r",
            b"2024-05-07T12:04:17Z stdout P ",
            b"2024-05-07T12:04:17+02:00 stdout X odd",
            b"web-1  | P started",
            b"<13>May  7 12:04:17 host app[123]: @cee: {\"msg\":\"x\"}",
            br#"{"log":"cut","stream":"stdout"}"#,
            br#"{"log":"whole\n","stream":"stdout"}"#,
            b"no envelope P here",
        ];
        for i in 0..WRAPPERS.len() {
            let w = Wrapper(i as u8);
            for line in lines {
                let o = split(w, line);
                let what = format!("{} {:?}", w.def().name, String::from_utf8_lossy(line));
                assert_eq!(
                    is_partial(w, line),
                    o.as_ref().is_some_and(|o| o.partial),
                    "{what}"
                );
                let inner = inner_line(w, line, &mut Vec::new()).map(<[u8]>::to_vec);
                assert_eq!(inner, o.map(|o| o.inner.into_owned()), "{what}");
            }
        }
    }
}
