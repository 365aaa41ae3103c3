//! JSON lines: a borrowing scanner over one object's raw bytes.
//!
//! Like hl's raw record parser, nothing is decoded up front: the scanner walks the
//! top-level keys and hands back each value as a slice of the original line. A value is
//! decoded (string unescaping, numbers) only when the query or the printer asks for it.
//! serde_json is used for the slow path only (strings with escapes, pretty output).

use std::borrow::Cow;

/// One top-level `key: value` pair, both as raw slices (key without its quotes).
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub key: &'a [u8],
    /// The key contains escapes and `key` is the still-escaped text.
    pub key_escaped: bool,
    pub value: &'a [u8],
}

/// Iterates the top-level pairs of a JSON object given as raw bytes.
///
/// Stops (returns `None`) at the end of the object or at the first syntax error; the
/// caller checks `ok()` afterwards to tell the two apart.
pub struct Pairs<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
    done: bool,
}

impl<'a> Pairs<'a> {
    /// Starts iterating `obj`, which must begin (after whitespace) with `{`.
    pub fn new(obj: &'a [u8]) -> Pairs<'a> {
        let mut pos = skip_ws(obj, 0);
        let mut failed = false;
        if obj.get(pos) == Some(&b'{') {
            pos += 1;
        } else {
            failed = true;
        }
        Pairs {
            buf: obj,
            pos,
            failed,
            done: failed,
        }
    }

    /// True when the whole object was walked without a syntax error.
    pub fn ok(&self) -> bool {
        !self.failed
    }

    fn fail(&mut self) -> Option<Pair<'a>> {
        self.failed = true;
        self.done = true;
        None
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = Pair<'a>;

    fn next(&mut self) -> Option<Pair<'a>> {
        if self.done {
            return None;
        }
        match next_pair(self.buf, self.pos) {
            Step::Pair(pair, next) => {
                self.pos = next;
                Some(pair)
            }
            Step::End => {
                self.done = true;
                None
            }
            Step::Error => self.fail(),
        }
    }
}

/// One step of the pair grammar, from just after `{` or after a value.
enum Step<'a> {
    /// A pair, and where the grammar continues after its value.
    Pair(Pair<'a>, usize),
    /// The closing `}`.
    End,
    Error,
}

/// The pair starting at `i` (after optional whitespace and a `,`), the object's end,
/// or a syntax error. Shared by `Pairs` and `walk_pairs`; inlined into both, as the
/// hot path of reading JSON lines.
#[inline(always)]
fn next_pair(b: &[u8], mut i: usize) -> Step<'_> {
    let mut c = match b.get(i) {
        Some(&c) if c > b' ' => c,
        _ => {
            i = skip_ws(b, i);
            match b.get(i) {
                Some(&c) => c,
                None => return Step::Error,
            }
        }
    };
    if c == b',' {
        i = skip_ws(b, i + 1);
        c = match b.get(i) {
            Some(&b'"') => b'"',
            _ => return Step::Error,
        };
    }
    match c {
        b'"' => {}
        b'}' => return Step::End,
        _ => return Step::Error,
    }
    let Some((key_end, key_escaped)) = string_end(b, i) else {
        return Step::Error;
    };
    let key = &b[i + 1..key_end - 1];
    i = if b.get(key_end) == Some(&b':') {
        key_end + 1
    } else {
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            return Step::Error;
        }
        colon + 1
    };
    if !matches!(b.get(i), Some(&c) if c > b' ') {
        i = skip_ws(b, i);
    }
    let Some(end) = value_end(b, i) else {
        return Step::Error;
    };
    let pair = Pair {
        key,
        key_escaped,
        value: &b[i..end],
    };
    Step::Pair(pair, end)
}

fn skip_ws(buf: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = buf.get(pos) {
        if c == b' ' || c == b'\t' || c == b'\r' || c == b'\n' {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

/// The first `"` or `\\` at or after `from`: sixteen bytes per step with SSE2 (always
/// present on x86_64), a plain loop elsewhere and for the tail. Most JSON strings in logs
/// are short, where this beats memchr's set-up cost.
#[inline(always)]
fn quote_or_backslash(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always
        // available; each unaligned 16-byte load starts at `i` with `i + 16 <= buf.len()`,
        // inside `buf`.
        unsafe {
            let quote = _mm_set1_epi8(b'"' as i8);
            let backslash = _mm_set1_epi8(b'\\' as i8);
            while i + 16 <= buf.len() {
                let v = _mm_loadu_si128(buf.as_ptr().add(i).cast::<__m128i>());
                let hits = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
                let mask = _mm_movemask_epi8(hits);
                if mask != 0 {
                    return Some(i + mask.trailing_zeros() as usize);
                }
                i += 16;
            }
        }
    }
    buf.get(i..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\')
        .map(|p| i + p)
}

/// End (exclusive) of the string starting at `start` (a `"`), and whether it has
/// escapes. A backslash escapes the byte after it.
#[inline(always)]
fn string_end(buf: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut pos = start + 1;
    let mut escaped = false;
    loop {
        let at = quote_or_backslash(buf, pos)?;
        if buf[at] == b'"' {
            return Some((at + 1, escaped));
        }
        escaped = true;
        pos = at + 2;
    }
}

/// End of a string without asking whether it has escapes.
#[inline(always)]
fn string_end_fast(buf: &[u8], start: usize) -> Option<usize> {
    string_end(buf, start).map(|(end, _)| end)
}

/// Walks the top-level pairs of an object, handing each key (still escaped, without
/// quotes) and raw value to `visit` until it returns `false`. The same grammar as
/// `Pairs`, in one loop with no iterator state: the hot path of reading a few fields
/// of every JSON line. Returns `false` on a syntax error before the walk ended.
#[inline]
pub fn walk_pairs<'a>(obj: &'a [u8], mut visit: impl FnMut(&'a [u8], &'a [u8]) -> bool) -> bool {
    let mut i = skip_ws(obj, 0);
    if obj.get(i) != Some(&b'{') {
        return false;
    }
    i += 1;
    loop {
        match next_pair(obj, i) {
            Step::Pair(pair, next) => {
                if !visit(pair.key, pair.value) {
                    return true;
                }
                i = next;
            }
            Step::End => return true,
            Step::Error => return false,
        }
    }
}

/// End (exclusive) of the JSON value starting at `start`.
#[inline(always)]
pub fn value_end(buf: &[u8], start: usize) -> Option<usize> {
    match *buf.get(start)? {
        b'"' => string_end_fast(buf, start),
        b'{' | b'[' => container_end(buf, start),
        _ => {
            let mut pos = start;
            while let Some(&c) = buf.get(pos) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    break;
                }
                pos += 1;
            }
            (pos > start).then_some(pos)
        }
    }
}

/// End of an object or array, skipping nested strings.
fn container_end(buf: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = start;
    while pos < buf.len() {
        match buf[pos] {
            b'"' => {
                pos = string_end_fast(buf, pos)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(pos + 1);
                }
            }
            _ => {}
        }
        pos += 1;
    }
    None
}

/// Finds the value of `"key":` at the top level of `obj` by searching for the quoted
/// key directly, the fast path for the usual spelling of a standard field.
///
/// An unescaped `"key":` can only be a key (inside a string every quote is escaped),
/// so a hit needs only a check that it is at depth one and outside any string. Keys
/// written with spaces before the colon are not found here; the caller then falls back
/// to walking the pairs.
pub fn find_top_level_key<'a>(
    obj: &'a [u8],
    needle: &memchr::memmem::Finder<'_>,
) -> Option<&'a [u8]> {
    let n = needle.needle().len();
    let mut from = 0;
    while let Some(rel) = needle.find(&obj[from..]) {
        let at = from + rel;
        if at > 0 && obj[at - 1] != b'\\' && is_top_level(obj, at) {
            let start = skip_ws(obj, at + n);
            let end = value_end(obj, start)?;
            return Some(&obj[start..end]);
        }
        from = at + 1;
    }
    None
}

/// The needle `find_top_level_key` searches for: `"key":`.
pub fn key_needle(key: &str) -> memchr::memmem::Finder<'static> {
    memchr::memmem::Finder::new(format!("\"{key}\":").as_bytes()).into_owned()
}

/// Whether position `at` of an object is outside strings and at nesting depth one.
fn is_top_level(obj: &[u8], at: usize) -> bool {
    // Usual case: only scalars before the key. Then no bracket or backslash follows
    // the opening brace, and an even number of quotes means we are outside a string.
    let prefix = &obj[1.min(at)..at];
    let (mut quotes, mut special) = (0u32, false);
    // One branch-free pass that the compiler vectorizes; short prefixes make the
    // fixed cost of several memchr calls the larger part.
    for &c in prefix {
        quotes += u32::from(c == b'"');
        special |= matches!(c, b'{' | b'[' | b'}' | b']' | b'\\');
    }
    if !special {
        return quotes.is_multiple_of(2);
    }
    let mut depth = 0i32;
    let mut in_string = false;
    let mut i = 0;
    while i < at {
        let c = obj[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                // The object closed: what follows (a stack trace printed after a JSON
                // line) holds none of its keys.
                b'}' | b']' if depth <= 1 => return false,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    !in_string && depth == 1
}

/// A decoded scalar or a raw container.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Bool(bool),
    Null,
    /// An object or array, still raw.
    Container(&'a [u8]),
}

impl<'a> Value<'a> {
    /// Text form used for string comparisons: strings as-is, numbers and booleans as written.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Value::Str(s) => Cow::Borrowed(s.as_ref()),
            Value::Num(n) => Cow::Owned(format_number(*n)),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Null => Cow::Borrowed("null"),
            Value::Container(raw) => String::from_utf8_lossy(raw),
        }
    }
}

/// Formats a number the way JSON usually writes it (integers without a fraction).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Decodes a raw JSON value.
pub fn decode(raw: &[u8]) -> Value<'_> {
    match raw.first() {
        Some(b'"') => Value::Str(decode_str(raw)),
        Some(b'{') | Some(b'[') => Value::Container(raw),
        Some(b't') if raw == b"true" => Value::Bool(true),
        Some(b'f') if raw == b"false" => Value::Bool(false),
        Some(b'n') if raw == b"null" => Value::Null,
        _ => match std::str::from_utf8(raw)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
        {
            Some(n) => Value::Num(n),
            None => Value::Str(String::from_utf8_lossy(raw)),
        },
    }
}

/// Decodes a raw JSON string (with its quotes); borrows when there is no escape.
pub fn decode_str(raw: &[u8]) -> Cow<'_, str> {
    let inner = if raw.len() >= 2 && raw[0] == b'"' && raw[raw.len() - 1] == b'"' {
        &raw[1..raw.len() - 1]
    } else {
        raw
    };
    if memchr::memchr(b'\\', inner).is_none() {
        return String::from_utf8_lossy(inner);
    }
    match serde_json::from_slice::<String>(raw) {
        Ok(s) => Cow::Owned(s),
        Err(_) => String::from_utf8_lossy(inner),
    }
}

/// Decodes a raw JSON string (with its quotes) by appending its text to `out`, as
/// [`decode_str`] would give it; `false` (and `out` as it was) where [`decode_str`]
/// would not decode it as JSON (an escape that is not one, a lone surrogate, a control
/// character, bytes that are not UTF-8), which then decides. For reading many strings
/// into one reused buffer.
pub fn unescape_into(raw: &[u8], out: &mut Vec<u8>) -> bool {
    let Some(body) = raw.strip_prefix(b"\"").and_then(|r| r.strip_suffix(b"\"")) else {
        return false;
    };
    let start = out.len();
    let ok = std::str::from_utf8(body).is_ok() && unescape_body(body, out);
    if !ok {
        out.truncate(start);
    }
    ok
}

/// The text of a JSON string's body (valid UTF-8) appended to `out`; `false` on what
/// the JSON decoder refuses. Runs of plain bytes are copied whole.
fn unescape_body(body: &[u8], out: &mut Vec<u8>) -> bool {
    let (mut i, mut run) = (0, 0);
    while i < body.len() {
        let c = body[i];
        if c >= 0x20 && c != b'\\' && c != b'"' {
            i += 1;
            continue;
        }
        if c != b'\\' {
            return false;
        }
        out.extend_from_slice(&body[run..i]);
        let byte = match body.get(i + 1) {
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                let Some((ch, used)) = unicode_escape(&body[i..]) else {
                    return false;
                };
                let mut buf = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i += used;
                run = i;
                continue;
            }
            _ => return false,
        };
        out.push(byte);
        i += 2;
        run = i;
    }
    out.extend_from_slice(&body[run..]);
    true
}

/// A `\uXXXX` escape (a surrogate pair as two) at the start of `at`: the character and
/// the bytes it took; `None` for a lone surrogate or bad hex digits.
fn unicode_escape(at: &[u8]) -> Option<(char, usize)> {
    let hex = |b: &[u8]| -> Option<u32> {
        let digits = std::str::from_utf8(b.get(2..6)?).ok()?;
        if b.get(..2)? != b"\\u" || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    };
    let first = hex(at)?;
    match first {
        0xD800..=0xDBFF => {
            let second = hex(at.get(6..)?)?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return None;
            }
            let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            Some((char::from_u32(c)?, 12))
        }
        0xDC00..=0xDFFF => None,
        c => Some((char::from_u32(c)?, 6)),
    }
}

/// Decodes a key (as given by `Pair`) to text.
pub fn decode_key<'a>(pair: &Pair<'a>) -> Cow<'a, str> {
    if !pair.key_escaped {
        return String::from_utf8_lossy(pair.key);
    }
    let mut quoted = Vec::with_capacity(pair.key.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(pair.key);
    quoted.push(b'"');
    match serde_json::from_slice::<String>(&quoted) {
        Ok(s) => Cow::Owned(s),
        Err(_) => String::from_utf8_lossy(pair.key),
    }
}

/// Parses a raw JSON value for output with the tool's rule for duplicate keys, the
/// first one wins (as the field lookups, which stop at the first match), where
/// `serde_json::Value` would keep the last. `None` when `raw` is not valid JSON.
pub fn parse_first_wins(raw: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice::<FirstWins>(raw).ok().map(|v| v.0)
}

/// A `serde_json::Value` deserialized keeping the first of duplicate keys.
struct FirstWins(serde_json::Value);

impl<'de> serde::Deserialize<'de> for FirstWins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FirstWinsVisitor).map(FirstWins)
    }
}

struct FirstWinsVisitor;

impl<'de> serde::de::Visitor<'de> for FirstWinsVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(FirstWins(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut obj = serde_json::Map::new();
        while let Some((k, FirstWins(v))) = map.next_entry::<String, FirstWins>()? {
            obj.entry(k).or_insert(v);
        }
        Ok(serde_json::Value::Object(obj))
    }
}

/// An entry of a JSON-lines stream split into its object and the lines that continue it
/// (a stack trace printed raw after a JSON line): the object is the first line when
/// that line closes it (`}` last), otherwise the whole entry (a pretty-printed object).
/// Both are trimmed; the rest is empty for an entry of one line.
#[inline]
pub fn split_entry(raw: &[u8]) -> (&[u8], &[u8]) {
    let body = trim_ascii(raw);
    let Some(nl) = memchr::memchr(b'\n', body) else {
        return (body, &[]);
    };
    let first = trim_ascii(&body[..nl]);
    if first.last() != Some(&b'}') {
        return (body, &[]);
    }
    (first, &body[nl + 1..])
}

/// True when `raw` (trimmed) looks like a JSON object: starts with `{` and ends with `}`.
pub fn looks_like_object(raw: &[u8]) -> bool {
    let raw = trim_ascii(raw);
    raw.first() == Some(&b'{') && raw.last() == Some(&b'}')
}

pub fn trim_ascii(mut raw: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = raw {
        if first.is_ascii_whitespace() {
            raw = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = raw {
        if last.is_ascii_whitespace() {
            raw = rest;
        } else {
            break;
        }
    }
    raw
}

/// Finds a key by path segments from `obj`, descending into nested objects.
pub fn lookup_path<'a>(obj: &'a [u8], path: &[&str]) -> Option<&'a [u8]> {
    let (first, rest) = path.split_first()?;
    // Keys already descended into without success: a later duplicate of one of them
    // is ignored (the first of duplicate keys wins, as in `parse_first_wins`).
    let mut tried: Option<SeenKeys> = None;
    for pair in Pairs::new(obj) {
        if key_matches(&pair, first) {
            if rest.is_empty() {
                return Some(pair.value);
            }
            if tried
                .get_or_insert_with(SeenKeys::default)
                .seen_before(pair.key)
            {
                continue;
            }
            if pair.value.first() == Some(&b'{') {
                if let Some(v) = lookup_path(pair.value, rest) {
                    return Some(v);
                }
            }
        }
    }
    // Dotted keys written flat ("service.name": ...) match a multi-segment path too.
    if !rest.is_empty() {
        let joined = path.join(".");
        for pair in Pairs::new(obj) {
            if key_matches(&pair, &joined) {
                return Some(pair.value);
            }
        }
    }
    None
}

/// Collects every value whose key is `name`, at any depth (objects inside arrays too).
pub fn find_leaves<'a>(obj: &'a [u8], name: &str, out: &mut Vec<&'a [u8]>, depth: usize) {
    if depth > 64 {
        return;
    }
    match obj.first() {
        Some(b'{') => {
            let mut seen = SeenKeys::default();
            for pair in Pairs::new(obj) {
                let wanted = key_matches(&pair, name);
                let container = matches!(pair.value.first(), Some(b'{') | Some(b'['));
                // A later duplicate key is not looked at (the first one wins); only
                // the pairs that matter are checked, every key is noted.
                if !(wanted || container) {
                    seen.note(pair.key);
                    continue;
                }
                if seen.seen_before(pair.key) {
                    continue;
                }
                if wanted {
                    out.push(pair.value);
                }
                if container {
                    find_leaves(pair.value, name, out, depth + 1);
                }
            }
        }
        Some(b'[') => {
            for item in ArrayItems::new(obj) {
                if matches!(item.first(), Some(b'{') | Some(b'[')) {
                    find_leaves(item, name, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The keys of an object's pairs walked so far, to tell the first pair with a key
/// from its later duplicates. The first keys sit in an array on the stack (no
/// allocation for the usual small object); past them, a hash set (a hostile line can
/// have millions of keys).
struct SeenKeys<'a> {
    first: [&'a [u8]; SeenKeys::INLINE],
    len: usize,
    more: Option<std::collections::HashSet<&'a [u8]>>,
}

impl Default for SeenKeys<'_> {
    fn default() -> Self {
        SeenKeys {
            first: [&[]; SeenKeys::INLINE],
            len: 0,
            more: None,
        }
    }
}

impl<'a> SeenKeys<'a> {
    const INLINE: usize = 32;

    /// True when `key` was noted before; notes it either way.
    fn seen_before(&mut self, key: &'a [u8]) -> bool {
        if self.first[..self.len].contains(&key) {
            return true;
        }
        !self.note(key)
    }

    /// Notes `key` without asking; false when the set already had it.
    fn note(&mut self, key: &'a [u8]) -> bool {
        if self.len < Self::INLINE {
            self.first[self.len] = key;
            self.len += 1;
            return true;
        }
        self.more.get_or_insert_with(Default::default).insert(key)
    }
}

/// Key comparison used for field names: ASCII case-insensitive, ignoring `_` and `-`,
/// so `userId`, `user_id` and `USER-ID` are the same key.
pub fn key_matches(pair: &Pair<'_>, name: &str) -> bool {
    if pair.key_escaped {
        return names_equal(decode_key(pair).as_bytes(), name.as_bytes());
    }
    names_equal(pair.key, name.as_bytes())
}

/// Field-name equality: ASCII case-insensitive, `_` and `-` ignored.
pub fn names_equal(a: &[u8], b: &[u8]) -> bool {
    let mut ia = a.iter().filter(|c| **c != b'_' && **c != b'-');
    let mut ib = b.iter().filter(|c| **c != b'_' && **c != b'-');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

/// Iterates the raw items of a JSON array.
pub struct ArrayItems<'a> {
    buf: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> ArrayItems<'a> {
    pub fn new(arr: &'a [u8]) -> ArrayItems<'a> {
        let pos = skip_ws(arr, 0);
        let ok = arr.get(pos) == Some(&b'[');
        ArrayItems {
            buf: arr,
            pos: pos + 1,
            done: !ok,
        }
    }
}

impl<'a> Iterator for ArrayItems<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        let mut pos = skip_ws(self.buf, self.pos);
        match self.buf.get(pos) {
            Some(b']') | None => {
                self.done = true;
                return None;
            }
            Some(b',') => pos = skip_ws(self.buf, pos + 1),
            _ => {}
        }
        let Some(end) = value_end(self.buf, pos) else {
            self.done = true;
            return None;
        };
        self.pos = end;
        Some(&self.buf[pos..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_into_agrees_with_decode_str() {
        let parts: [&[u8]; 22] = [
            b"plain",
            b"\\n",
            b"\\\"",
            b"\\\\",
            b"\\/",
            b"\\b\\f\\r\\t",
            b"\\u00e9",
            b"\\u0000",
            b"\\ud83d\\ude00",
            b"\\ud83d",
            b"\\ude00",
            b"\\ud83dx",
            b"\\ud83d\\u0041",
            b"\\u12",
            b"\\u12g4",
            b"\\x",
            b"\\",
            b"\t",
            b"\x7f",
            "\u{e9}t\u{e9}".as_bytes(),
            b"\xe9",
            b" ",
        ];
        let mut checked = 0;
        for a in parts {
            for b in parts {
                let raw = [b"\"".as_slice(), a, b, b"\""].concat();
                let mut out = b"kept".to_vec();
                let want = decode_str(&raw);
                if unescape_into(&raw, &mut out) {
                    assert_eq!(
                        &out[4..],
                        want.as_bytes(),
                        "{:?}",
                        String::from_utf8_lossy(&raw)
                    );
                    checked += 1;
                } else {
                    assert_eq!(out, b"kept");
                    // Refused only where decoding is not plain JSON: the raw text back.
                    let inner = &raw[1..raw.len() - 1];
                    assert_eq!(
                        want,
                        String::from_utf8_lossy(inner),
                        "{:?}",
                        String::from_utf8_lossy(&raw)
                    );
                }
            }
        }
        assert!(checked > 150, "{checked}");
    }

    /// A byte-at-a-time reading of the same rule, as the truth for the SSE2 scanner.
    fn string_end_reference(buf: &[u8], start: usize) -> Option<(usize, bool)> {
        let (mut i, mut escaped) = (start + 1, false);
        while i < buf.len() {
            match buf[i] {
                b'"' => return Some((i + 1, escaped)),
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// Hand-written expectations for both walkers (`walk_pairs` and `Pairs`): the
    /// top-level pairs (raw key, raw value) and whether the object was well formed.
    #[test]
    fn walkers_give_the_expected_pairs() {
        type Case = (&'static str, &'static [(&'static str, &'static str)], bool);
        let cases: [Case; 13] = [
            (
                r#"{"a":1,"b":"x","c":{"d":[1,2,{"e":"}"}]},"f":true}"#,
                &[
                    ("a", "1"),
                    ("b", r#""x""#),
                    ("c", r#"{"d":[1,2,{"e":"}"}]}"#),
                    ("f", "true"),
                ],
                true,
            ),
            (
                "  { \"a\" : 1 ,\t\"b\":\"q\\\"uote\" , \"k\\u0041\":null }  ",
                &[("a", "1"), ("b", r#""q\"uote""#), (r"k\u0041", "null")],
                true,
            ),
            // Duplicate keys are both walked (lookups stop at the first).
            (r#"{"a":1,"a":2}"#, &[("a", "1"), ("a", "2")], true),
            (r#"{"a":1,}"#, &[("a", "1")], false),
            // A stray leading comma is tolerated (skipped).
            (r#"{,"a":1}"#, &[("a", "1")], true),
            // A missing comma is tolerated too (a trailing one is not).
            (r#"{"a":1 "b":2}"#, &[("a", "1"), ("b", "2")], true),
            (r#"{"a":1"#, &[("a", "1")], false),
            (r#"{"a":}"#, &[], false),
            (r#"{"a" 1}"#, &[], false),
            (r#"{"unterminated:1}"#, &[], false),
            (r#"{}"#, &[], true),
            (r#"[1,2]"#, &[], false),
            ("", &[], false),
        ];
        for (obj, want, ok) in cases {
            let want: Vec<(Vec<u8>, Vec<u8>)> = want
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
                .collect();
            let mut walked = Vec::new();
            let walked_ok = walk_pairs(obj.as_bytes(), |k, v| {
                walked.push((k.to_vec(), v.to_vec()));
                true
            });
            assert_eq!(walked, want, "walk_pairs {obj}");
            assert_eq!(walked_ok, ok, "walk_pairs ok {obj}");
            let mut pairs = Pairs::new(obj.as_bytes());
            let listed: Vec<_> = pairs
                .by_ref()
                .map(|p| (p.key.to_vec(), p.value.to_vec()))
                .collect();
            assert_eq!(listed, want, "Pairs {obj}");
            assert_eq!(pairs.ok(), ok, "Pairs ok {obj}");
        }
        // Stopping early reports success.
        assert!(walk_pairs(br#"{"a":1,"b":2,"#, |_, _| false));
    }

    #[test]
    fn string_end_agrees_with_a_plain_loop_at_every_length_and_escape_position() {
        for len in 0..70 {
            for esc in (0..len).chain([usize::MAX]) {
                for tail in [&b"\",\"x\":1}"[..], b"", b"\\"] {
                    let mut buf = vec![b' ', b'"'];
                    for i in 0..len {
                        buf.push(if i == esc {
                            b'\\'
                        } else {
                            b'a' + (i % 26) as u8
                        });
                    }
                    buf.extend_from_slice(tail);
                    assert_eq!(
                        string_end(&buf, 1),
                        string_end_reference(&buf, 1),
                        "{}",
                        String::from_utf8_lossy(&buf)
                    );
                }
            }
        }
    }

    fn pairs(s: &str) -> Vec<(String, String)> {
        Pairs::new(s.as_bytes())
            .map(|p| {
                (
                    String::from_utf8_lossy(p.key).into_owned(),
                    String::from_utf8_lossy(p.value).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn walks_top_level_pairs() {
        let got =
            pairs(r#"{"a":1, "b" : "x\"y", "c":{"d":[1,{"e":"}"}]}, "f":[[],[{}]],"g":null}"#);
        let want = [
            ("a", "1"),
            ("b", r#""x\"y""#),
            ("c", r#"{"d":[1,{"e":"}"}]}"#),
            ("f", "[[],[{}]]"),
            ("g", "null"),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1.as_str()), w);
        }
    }

    #[test]
    fn reports_broken_objects() {
        for bad in [
            r#"{"a":"#,
            r#"{"a" 1}"#,
            r#"["a"]"#,
            r#"{"a":"unterminated}"#,
            "",
            "{",
        ] {
            let mut it = Pairs::new(bad.as_bytes());
            while it.next().is_some() {}
            assert!(!it.ok() || bad == "{", "accepted {bad:?}");
        }
    }

    #[test]
    fn decodes_values() {
        assert_eq!(decode(br#""a\nb""#), Value::Str("a\nb".into()));
        assert_eq!(decode(b"42"), Value::Num(42.0));
        assert_eq!(decode(b"true"), Value::Bool(true));
        assert_eq!(decode(b"null"), Value::Null);
        assert_eq!(decode(br#""\u00e9""#), Value::Str("é".into()));
    }

    #[test]
    fn finds_paths_and_leaves() {
        let obj = br#"{"service":{"name":"api"},"log.level":"warn","m":{"x":{"endpoint":"/h"}},"l":[{"endpoint":"/a"}]}"#;
        assert_eq!(
            lookup_path(obj, &["service", "name"]),
            Some(&br#""api""#[..])
        );
        assert_eq!(lookup_path(obj, &["log", "level"]), Some(&br#""warn""#[..]));
        let mut out = Vec::new();
        find_leaves(obj, "endpoint", &mut out, 0);
        assert_eq!(out, vec![&br#""/h""#[..], &br#""/a""#[..]]);
    }

    #[test]
    fn finds_top_level_keys_only() {
        let obj = br#"{"msg":"say \"level\": no","m":{"level":"x"},"level":"ERROR","z":1}"#;
        let level = key_needle("level");
        assert_eq!(find_top_level_key(obj, &level), Some(&br#""ERROR""#[..]));
        assert_eq!(find_top_level_key(br#"{"a":{"level":1}}"#, &level), None);
        assert_eq!(find_top_level_key(br#"{"level" : 1}"#, &level), None);
        assert_eq!(
            find_top_level_key(br#"{"z":[{"q":"}"}],"level":30}"#, &level),
            Some(&b"30"[..])
        );
        // After the object closes (a stack trace printed after a JSON line), a key is
        // not the object's, whatever the depth count says.
        for after in [
            &br#"{"a":1}
error: {"level":"x"}"#[..],
            br#"{"a":{"b":2}} {"level":"x"}"#,
            br#"{"a":1}] [{"level":"x"}"#,
        ] {
            assert_eq!(
                find_top_level_key(after, &level),
                None,
                "{}",
                String::from_utf8_lossy(after)
            );
        }
        let pretty = b"{\n  \"a\": {\"b\": 1},\n  \"level\": \"warn\"\n}";
        assert_eq!(find_top_level_key(pretty, &level), Some(&br#""warn""#[..]));
    }

    #[test]
    fn duplicate_keys_first_wins_everywhere() {
        let obj =
            br#"{"u":"a","u":"b","m":{"k":1,"k":{"x":2}},"n":1,"n":{"y":3},"l":[{"z":1,"z":2}]}"#;
        let parsed = parse_first_wins(obj).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"u":"a","m":{"k":1},"n":1,"l":[{"z":1}]})
        );
        assert_eq!(lookup_path(obj, &["u"]), Some(&br#""a""#[..]));
        assert_eq!(lookup_path(obj, &["m", "k"]), Some(&b"1"[..]));
        assert_eq!(lookup_path(obj, &["m", "k", "x"]), None);
        assert_eq!(lookup_path(obj, &["n", "y"]), None);
        for (name, want) in [
            ("k", vec![&b"1"[..]]),
            ("x", vec![]),
            ("y", vec![]),
            ("z", vec![b"1"]),
        ] {
            let mut out = Vec::new();
            find_leaves(obj, name, &mut out, 0);
            assert_eq!(out, want, "{name}");
        }
        assert_eq!(parse_first_wins(b"{\"a\":"), None);
    }

    #[test]
    fn many_duplicate_keys_stay_linear() {
        // Past the short list, keys go to a hash set: 200,000 keys in one object.
        let mut obj = String::from("{");
        for i in 0..200_000 {
            obj.push_str(&format!("\"k{}\":{{\"q\":{i}}},", i % 1000));
        }
        obj.push_str("\"end\":1}");
        let mut out = Vec::new();
        find_leaves(obj.as_bytes(), "q", &mut out, 0);
        assert_eq!(out.len(), 1000);
        assert_eq!(out[999], b"999");
    }

    #[test]
    fn key_names_ignore_case_and_separators() {
        assert!(names_equal(b"userId", b"user_id"));
        assert!(names_equal(b"USER-ID", b"userid"));
        assert!(!names_equal(b"user", b"user_id"));
    }
}
