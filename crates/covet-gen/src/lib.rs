//! Deterministic log generator (the truth for tests and benchmarks).
//!
//! Produces realistic CovetPy service logs (`LogEntry` shape: id, timestamp, level,
//! service, source, message, metadata, trace/span/user/request ids, tags) from a seed,
//! with a self-contained splitmix64 PRNG so the output is byte-identical for the same
//! [`GenConfig`] on every platform. Entries can be rendered as compact JSON lines or in
//! the "covet text layout" (first line, optional stack trace, optional pretty JSON
//! block). [`truth`] / [`truth_checked`] count the entries matching a small query
//! language straight from the generated structs, never by parsing rendered text, so
//! they are an independent oracle for the query engine.
//!
//! Only `serde_json`, `chrono` (RFC 3339 parsing of `since:`/`until:`) and std are used.

use serde_json::Value;
use std::io::{self, Write};

/// Levels in severity order (`DEBUG < INFO < WARN < ERROR < FATAL`).
pub const LEVELS: [&str; 5] = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
/// Services, in the index order used by the weight tables.
pub const SERVICES: [&str; 7] = [
    "covet-core",
    "covet-db",
    "covet-auth",
    "covet-cache",
    "covet-api",
    "covet-worker",
    "covet-gateway",
];
/// The tag vocabulary.
pub const TAGS: [&str; 8] = [
    "api", "db", "auth", "cache", "slow", "retry", "security", "billing",
];
/// 2024-01-15T00:00:00Z in nanoseconds since the Unix epoch.
pub const DEFAULT_START_NS: i64 = 1_705_276_800_000_000_000;

/// Output layout of the generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenFormat {
    /// One compact JSON object per line.
    Json,
    /// The covet text layout (see [`render`]).
    Text,
}

impl std::str::FromStr for GenFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("json") {
            Ok(GenFormat::Json)
        } else if s.eq_ignore_ascii_case("text") {
            Ok(GenFormat::Text)
        } else {
            Err(format!("unknown format `{s}` (expected json or text)"))
        }
    }
}

/// What to generate. The entry stream depends on `seed`, `start_ns`, `step_ms` (and
/// `lines` for its length) but not on `format`: JSON and text describe the same entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenConfig {
    /// Number of entries.
    pub lines: usize,
    /// PRNG seed.
    pub seed: u64,
    /// Rendering used by [`write_logs`] and [`truth`].
    pub format: GenFormat,
    /// Timestamp of the first entry (ns since the Unix epoch).
    pub start_ns: i64,
    /// Mean gap between entries in milliseconds (gaps are uniform in `0..=2*step_ms`).
    pub step_ms: u64,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            lines: 1000,
            seed: 0,
            format: GenFormat::Json,
            start_ns: DEFAULT_START_NS,
            step_ms: 10,
        }
    }
}

/// One generated log entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GenEntry {
    /// `log_` + 10-digit zero-padded 1-based index (seed independent).
    pub id: String,
    /// Nanoseconds since the Unix epoch (rendered at millisecond precision).
    pub ts_ns: i64,
    /// One of [`LEVELS`].
    pub level: &'static str,
    /// One of [`SERVICES`].
    pub service: &'static str,
    /// `file.rs:line`.
    pub source: String,
    /// Single line, no control characters.
    pub message: String,
    /// Ordered metadata object (empty = absent).
    pub metadata: Vec<(String, Value)>,
    /// 32 lowercase hex digits.
    pub trace_id: Option<String>,
    /// 16 lowercase hex digits.
    pub span_id: Option<String>,
    /// `user_<100..999>`.
    pub user_id: Option<String>,
    /// `req_<8 hex>`.
    pub request_id: Option<String>,
    /// Distinct values from [`TAGS`].
    pub tags: Vec<String>,
    /// Stack trace (lines joined by `\n`, no trailing newline); text format only.
    pub multiline: Option<String>,
    /// Whether the text format writes the pretty JSON block for this entry (it is only
    /// written when there is something to put in it, see [`text_block_written`]).
    pub text_block: bool,
}

// ---------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------

/// splitmix64: tiny, fast, and identical on every platform.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (0 when `n == 0`), multiply-shift reduction.
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    /// True with probability `per_mille / 1000`.
    #[inline]
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    /// Uniform in `lo..=hi`.
    #[inline]
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    #[inline]
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    /// Index drawn with the given integer weights.
    fn weighted(&mut self, weights: &[u16]) -> usize {
        let total: u64 = weights.iter().map(|&w| w as u64).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < w as u64 {
                return i;
            }
            r -= w as u64;
        }
        weights.len() - 1
    }
    /// Index skewed towards the front (min of two uniforms).
    #[inline]
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n as u64);
        let b = self.below(n as u64);
        a.min(b) as usize
    }
}

// ---------------------------------------------------------------------------------
// Distribution tables
// ---------------------------------------------------------------------------------

const S_CORE: u8 = 1;
const S_DB: u8 = 2;
const S_AUTH: u8 = 4;
const S_CACHE: u8 = 8;
const S_API: u8 = 16;
const S_WORKER: u8 = 32;
const S_GW: u8 = 64;
const S_ALL: u8 = 0x7f;

const SVC_CORE: usize = 0;
const SVC_DB: usize = 1;
const SVC_AUTH: usize = 2;
const SVC_CACHE: usize = 3;
const SVC_API: usize = 4;
const SVC_WORKER: usize = 5;
const SVC_GW: usize = 6;

/// Per-mille service weights (api and core busiest, worker quietest).
const SERVICE_W: [u16; 7] = [200, 140, 100, 100, 250, 60, 150];

/// Per-mille level weights per service (DEBUG, INFO, WARN, ERROR, FATAL). The mix over
/// services is ~15/60/15/8/2; covet-db is the error-prone one, covet-cache the calm one.
const LEVEL_W: [[u16; 5]; 7] = [
    [150, 600, 150, 80, 20],
    [100, 500, 200, 160, 40],
    [140, 600, 160, 80, 20],
    [220, 620, 110, 40, 10],
    [150, 620, 140, 70, 20],
    [180, 580, 140, 80, 20],
    [150, 620, 150, 70, 10],
];

const SOURCES: [&[&str]; 7] = [
    &[
        "request.rs:42",
        "server.rs:89",
        "router.rs:211",
        "middleware.rs:57",
        "config.rs:19",
    ],
    &[
        "connection.rs:128",
        "query.rs:305",
        "pool.rs:64",
        "transaction.rs:150",
        "migrate.rs:77",
    ],
    &[
        "session.rs:33",
        "token.rs:91",
        "login.rs:48",
        "oauth.rs:172",
    ],
    &["cache.rs:88", "redis.rs:140", "eviction.rs:26"],
    &[
        "handler.rs:73",
        "routes.rs:118",
        "request.rs:42",
        "validate.rs:45",
    ],
    &["job.rs:61", "queue.rs:97", "scheduler.rs:204"],
    &[
        "proxy.rs:156",
        "server.rs:89",
        "upstream.rs:221",
        "ratelimit.rs:39",
    ],
];

const ENDPOINTS: [&str; 9] = [
    "/api/v1/users/profile",
    "/api/v1/orders",
    "/health",
    "/api/v1/products",
    "/api/v1/auth/login",
    "/api/v1/cart",
    "/api/v1/search",
    "/api/v1/auth/refresh",
    "/metrics",
];
const ENDPOINT_W: [u16; 9] = [20, 18, 15, 12, 10, 8, 8, 5, 4];
const AUTH_ENDPOINTS: [&str; 3] = [
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/users/profile",
];
/// Per-mille chance that a metadata object carries an endpoint, per service.
const ENDPOINT_CHANCE: [u64; 7] = [700, 200, 700, 200, 900, 200, 900];

const HOSTS: [&str; 6] = [
    "db-primary.internal",
    "db-replica-2.internal",
    "cache-01.internal",
    "auth.covet.svc",
    "payments.example.com",
    "10.0.3.17",
];
const TABLES: [&str; 6] = [
    "users",
    "orders",
    "sessions",
    "products",
    "payments",
    "audit_log",
];
const QUEUES: [&str; 4] = ["emails", "billing", "exports", "webhooks"];
const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
const METHOD_W: [u16; 4] = [60, 25, 8, 7];
const FUNCS: [&str; 6] = ["handle", "process", "execute", "run", "call", "dispatch"];

const T_API: u8 = 1;
const T_DB: u8 = 2;
const T_AUTH: u8 = 4;
const T_CACHE: u8 = 8;
const T_SLOW: u8 = 16;
const T_RETRY: u8 = 32;
const T_SECURITY: u8 = 64;
const T_BILLING: u8 = 128;

/// Tags that may be added at random, per service (as `T_*` bits).
const EXTRA_TAGS: [&[u8]; 7] = [
    &[T_API, T_CACHE],
    &[T_DB],
    &[T_AUTH, T_SECURITY, T_API],
    &[T_CACHE],
    &[T_API, T_BILLING, T_AUTH, T_CACHE],
    &[T_RETRY, T_BILLING, T_DB],
    &[T_API, T_SECURITY, T_RETRY, T_AUTH],
];

/// A message template: `kind` selects the text in [`Entries::compose`].
#[derive(Clone, Copy)]
struct Tpl {
    kind: u8,
    level: u8,
    svc: u8,
    w: u16,
}

const fn t(kind: u8, level: u8, svc: u8, w: u16) -> Tpl {
    Tpl {
        kind,
        level,
        svc,
        w,
    }
}

const TEMPLATES: &[Tpl] = &[
    // DEBUG
    t(0, 0, S_CACHE | S_AUTH | S_API | S_CORE, 30),
    t(1, 0, S_CACHE | S_API | S_AUTH, 15),
    t(2, 0, S_GW | S_API | S_CORE, 15),
    t(3, 0, S_DB, 20),
    t(4, 0, S_ALL, 8),
    t(5, 0, S_DB, 15),
    t(6, 0, S_WORKER, 20),
    t(7, 0, S_GW | S_CORE, 5),
    t(8, 0, S_AUTH, 15),
    // INFO
    t(20, 1, S_API | S_CORE | S_GW, 30),
    t(21, 1, S_AUTH, 25),
    t(22, 1, S_GW | S_API, 25),
    t(23, 1, S_ALL, 4),
    t(24, 1, S_DB | S_CACHE | S_WORKER | S_CORE, 10),
    t(25, 1, S_CACHE, 15),
    t(26, 1, S_WORKER, 25),
    t(27, 1, S_AUTH, 15),
    t(28, 1, S_CORE | S_GW, 3),
    t(29, 1, S_API, 10),
    t(30, 1, S_GW, 8),
    t(31, 1, S_ALL, 5),
    t(32, 1, S_DB, 20),
    t(33, 1, S_WORKER, 10),
    t(34, 1, S_API | S_WORKER, 4),
    t(35, 1, S_CORE | S_GW, 1),
    // WARN
    t(40, 2, S_DB | S_CORE | S_API, 20),
    t(41, 2, S_DB, 30),
    t(42, 2, S_GW | S_API, 15),
    t(43, 2, S_ALL, 10),
    t(44, 2, S_API | S_GW, 10),
    t(45, 2, S_CACHE, 20),
    t(46, 2, S_AUTH, 15),
    t(47, 2, S_CORE | S_DB, 5),
    t(48, 2, S_WORKER, 20),
    t(49, 2, S_AUTH, 15),
    // ERROR
    t(60, 3, S_API | S_CORE | S_GW, 25),
    t(61, 3, S_DB | S_API | S_WORKER, 25),
    t(62, 3, S_AUTH | S_GW, 25),
    t(63, 3, S_GW | S_API, 15),
    t(64, 3, S_API | S_CORE, 8),
    t(65, 3, S_WORKER, 5),
    t(66, 3, S_DB, 15),
    t(67, 3, S_CACHE, 20),
    t(68, 3, S_DB, 20),
    t(69, 3, S_API | S_WORKER, 5),
    t(70, 3, S_WORKER, 20),
    // FATAL
    t(80, 4, S_ALL, 20),
    t(81, 4, S_DB | S_CORE | S_WORKER | S_API, 25),
    t(82, 4, S_WORKER | S_CORE | S_CACHE, 20),
    t(83, 4, S_ALL, 10),
    t(84, 4, S_AUTH | S_GW, 10),
];

// ---------------------------------------------------------------------------------
// Small formatting helpers
// ---------------------------------------------------------------------------------

#[inline]
fn push_num(s: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    s.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

#[inline]
fn push_num_bytes(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_padded(s: &mut String, n: u64, width: usize) {
    let mut digits = 1;
    let mut m = n;
    while m >= 10 {
        m /= 10;
        digits += 1;
    }
    for _ in digits..width {
        s.push('0');
    }
    push_num(s, n);
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[inline]
fn push_hex(s: &mut String, v: u64, digits: u32) {
    let mut buf = [0u8; 16];
    let n = digits.min(16) as usize;
    for (i, b) in buf[..n].iter_mut().enumerate() {
        *b = HEX[((v >> ((n - 1 - i) * 4)) & 0xf) as usize];
    }
    // Only ASCII hex digits were written.
    s.push_str(std::str::from_utf8(&buf[..n]).unwrap_or(""));
}

#[inline]
fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10 % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Appends `YYYY-MM-DD<sep>HH:MM:SS.mmm` (UTC, milliseconds truncated).
fn push_timestamp(out: &mut Vec<u8>, ts_ns: i64, sep: u8) {
    let ms = ts_ns.div_euclid(1_000_000);
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000) as u32;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    if (0..=9999).contains(&y) {
        let y = y as u32;
        push2(out, y / 100);
        push2(out, y % 100);
    } else {
        let _ = write!(out, "{y:+05}");
    }
    out.push(b'-');
    push2(out, m);
    out.push(b'-');
    push2(out, d);
    out.push(sep);
    push2(out, sod / 3600);
    out.push(b':');
    push2(out, sod / 60 % 60);
    out.push(b':');
    push2(out, sod % 60);
    out.push(b'.');
    out.push(b'0' + (milli / 100) as u8);
    push2(out, milli % 100);
}

/// Formats `ts_ns` as RFC 3339 UTC with milliseconds, as the JSON format writes it.
pub fn format_timestamp(ts_ns: i64) -> String {
    let mut v = Vec::with_capacity(24);
    push_timestamp(&mut v, ts_ns, b'T');
    v.push(b'Z');
    String::from_utf8(v).unwrap_or_default()
}

/// Parses an RFC 3339 timestamp to nanoseconds since the Unix epoch.
pub fn parse_rfc3339_ns(s: &str) -> Result<i64, String> {
    let dt = chrono::DateTime::parse_from_rfc3339(s)
        .map_err(|e| format!("invalid RFC 3339 timestamp `{s}`: {e}"))?;
    dt.timestamp_nanos_opt()
        .ok_or_else(|| format!("timestamp `{s}` out of range"))
}

/// Whether a JSON string needs escaping (a control byte, `"` or `\\`), 8 bytes at a time.
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    #[inline]
    fn has_zero(x: u64) -> bool {
        x.wrapping_sub(LO) & !x & HI != 0
    }
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        // A byte < 0x20 makes (x - 0x20..) borrow into its high bit when its own is 0.
        let ctl = x.wrapping_sub(LO * 0x20) & !x & HI != 0;
        if ctl || has_zero(x ^ (LO * b'"' as u64)) || has_zero(x ^ (LO * b'\\' as u64)) {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

/// JSON string with serde_json's escaping, fast path for strings needing none.
#[inline]
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Serializing a str into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn push_json_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::String(s) => push_json_str(out, s),
        Value::Number(n) if n.is_u64() => push_num_bytes(out, n.as_u64().unwrap_or(0)),
        Value::Object(m) => {
            out.push(b'{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_json_str(out, k);
                out.push(b':');
                push_json_value(out, v);
            }
            out.push(b'}');
        }
        Value::Array(a) => {
            out.push(b'[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_json_value(out, v);
            }
            out.push(b']');
        }
        other => {
            let _ = serde_json::to_writer(&mut *out, other);
        }
    }
}

fn push_indent(out: &mut Vec<u8>, level: usize) {
    for _ in 0..level {
        out.extend_from_slice(b"  ");
    }
}

/// serde_json's pretty layout (2-space indent) for a value nested at `level`.
fn push_pretty_value(out: &mut Vec<u8>, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push(b'{');
            for (i, (k, v)) in m.iter().enumerate() {
                out.extend_from_slice(if i > 0 { b",\n" } else { b"\n" });
                push_indent(out, level + 1);
                push_json_str(out, k);
                out.extend_from_slice(b": ");
                push_pretty_value(out, v, level + 1);
            }
            out.push(b'\n');
            push_indent(out, level);
            out.push(b'}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push(b'[');
            for (i, v) in a.iter().enumerate() {
                out.extend_from_slice(if i > 0 { b",\n" } else { b"\n" });
                push_indent(out, level + 1);
                push_pretty_value(out, v, level + 1);
            }
            out.push(b'\n');
            push_indent(out, level);
            out.push(b']');
        }
        other => push_json_value(out, other),
    }
}

// ---------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------

/// Whether [`render`] writes the pretty JSON block for `e` in the text format: the entry
/// asks for it (`text_block`) and has at least one id, metadata key or tag to show.
pub fn text_block_written(e: &GenEntry) -> bool {
    e.text_block
        && (e.request_id.is_some()
            || e.user_id.is_some()
            || e.trace_id.is_some()
            || e.span_id.is_some()
            || !e.metadata.is_empty()
            || !e.tags.is_empty())
}

/// Appends the entry's text, including the trailing `'\n'`.
///
/// * JSON: `{"id","timestamp","level","service","source","message","trace_id",
///   "span_id","user_id","request_id","tags","metadata"}` in that order, compact;
///   absent optional fields and empty metadata are omitted, `tags` is always written.
///   `multiline` and `text_block` are ignored.
/// * Text: `YYYY-MM-DD HH:MM:SS.mmm [LEVEL] service source message`, then the
///   `multiline` stack trace lines (if any), then, if [`text_block_written`], a
///   serde_json-style pretty block with request_id, user_id, trace_id, span_id, the
///   metadata keys flattened, and `tags` when non-empty.
pub fn render(e: &GenEntry, format: GenFormat, out: &mut Vec<u8>) {
    match format {
        GenFormat::Json => render_json(e, out),
        GenFormat::Text => render_text(e, out),
    }
}

fn render_json(e: &GenEntry, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"id\":");
    push_json_str(out, &e.id);
    out.extend_from_slice(b",\"timestamp\":\"");
    push_timestamp(out, e.ts_ns, b'T');
    out.extend_from_slice(b"Z\",\"level\":");
    push_json_str(out, e.level);
    out.extend_from_slice(b",\"service\":");
    push_json_str(out, e.service);
    out.extend_from_slice(b",\"source\":");
    push_json_str(out, &e.source);
    out.extend_from_slice(b",\"message\":");
    push_json_str(out, &e.message);
    let opts: [(&[u8], &Option<String>); 4] = [
        (b",\"trace_id\":", &e.trace_id),
        (b",\"span_id\":", &e.span_id),
        (b",\"user_id\":", &e.user_id),
        (b",\"request_id\":", &e.request_id),
    ];
    for (key, v) in opts {
        if let Some(v) = v {
            out.extend_from_slice(key);
            push_json_str(out, v);
        }
    }
    out.extend_from_slice(b",\"tags\":[");
    for (i, tag) in e.tags.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_str(out, tag);
    }
    out.push(b']');
    if !e.metadata.is_empty() {
        out.extend_from_slice(b",\"metadata\":{");
        for (i, (k, v)) in e.metadata.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_json_str(out, k);
            out.push(b':');
            push_json_value(out, v);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"}\n");
}

fn render_text(e: &GenEntry, out: &mut Vec<u8>) {
    push_timestamp(out, e.ts_ns, b' ');
    out.extend_from_slice(b" [");
    out.extend_from_slice(e.level.as_bytes());
    out.extend_from_slice(b"] ");
    out.extend_from_slice(e.service.as_bytes());
    out.push(b' ');
    out.extend_from_slice(e.source.as_bytes());
    out.push(b' ');
    out.extend_from_slice(e.message.as_bytes());
    out.push(b'\n');
    if let Some(st) = &e.multiline {
        out.extend_from_slice(st.as_bytes());
        out.push(b'\n');
    }
    if !text_block_written(e) {
        return;
    }
    out.push(b'{');
    let mut first = true;
    let mut key = |out: &mut Vec<u8>, k: &str| {
        out.extend_from_slice(if first { b"\n  " } else { b",\n  " });
        first = false;
        push_json_str(out, k);
        out.extend_from_slice(b": ");
    };
    let ids: [(&str, &Option<String>); 4] = [
        ("request_id", &e.request_id),
        ("user_id", &e.user_id),
        ("trace_id", &e.trace_id),
        ("span_id", &e.span_id),
    ];
    for (k, v) in ids {
        if let Some(v) = v {
            key(out, k);
            push_json_str(out, v);
        }
    }
    for (k, v) in &e.metadata {
        key(out, k);
        push_pretty_value(out, v, 1);
    }
    if !e.tags.is_empty() {
        key(out, "tags");
        out.push(b'[');
        for (i, tag) in e.tags.iter().enumerate() {
            out.extend_from_slice(if i > 0 { b",\n    " } else { b"\n    " });
            push_json_str(out, tag);
        }
        out.extend_from_slice(b"\n  ]");
    }
    out.extend_from_slice(b"\n}\n");
}

// ---------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Trace {
    hi: u64,
    lo: u64,
    remaining: u32,
    user: Option<u64>,
    req: Option<u64>,
}

/// Per-template side effects on the rest of the entry.
#[derive(Default)]
struct Ctx {
    dur: Option<u64>,
    error: Option<&'static str>,
    status: Option<u64>,
    endpoint: Option<&'static str>,
    hints: u8,
    attempt: Option<u64>,
}

/// The deterministic entry stream returned by [`entries`].
#[derive(Clone)]
pub struct Entries {
    rng: Rng,
    cfg: GenConfig,
    limit: u64,
    emitted: u64,
    ms_off: u64,
    sub_ns: u64,
    traces: Vec<Trace>,
    /// Per (service, level): (template kind, weight).
    tables: Vec<Vec<(u8, u16)>>,
    /// Strings recycled from the previous entry's metadata (fewer allocations).
    pool: Vec<String>,
}

/// The deterministic stream of `cfg.lines` entries for `cfg` (format independent).
pub fn entries(cfg: &GenConfig) -> Entries {
    Entries::new(cfg, cfg.lines as u64)
}

impl Iterator for Entries {
    type Item = GenEntry;
    fn next(&mut self) -> Option<GenEntry> {
        let mut e = GenEntry::default();
        if self.next_into(&mut e) {
            Some(e)
        } else {
            None
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.limit.saturating_sub(self.emitted);
        let left = usize::try_from(left).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl Entries {
    fn new(cfg: &GenConfig, limit: u64) -> Entries {
        let mut tables = Vec::with_capacity(35);
        for svc in 0..7 {
            for level in 0..5u8 {
                let v: Vec<(u8, u16)> = TEMPLATES
                    .iter()
                    .filter(|t| t.level == level && t.svc & (1 << svc) != 0)
                    .map(|t| (t.kind, t.w))
                    .collect();
                tables.push(v);
            }
        }
        Entries {
            rng: Rng(cfg.seed),
            cfg: *cfg,
            limit,
            emitted: 0,
            ms_off: 0,
            sub_ns: 0,
            traces: Vec::with_capacity(8),
            tables,
            pool: Vec::new(),
        }
    }

    /// Overwrites `e` with the next entry, reusing its allocations where it can.
    /// Returns false (leaving `e` untouched) when the stream is exhausted.
    pub fn next_into(&mut self, e: &mut GenEntry) -> bool {
        if self.emitted >= self.limit {
            return false;
        }
        self.fill(e);
        self.emitted += 1;
        true
    }

    fn fill(&mut self, e: &mut GenEntry) {
        let rng_step = self.cfg.step_ms.saturating_mul(2).saturating_add(1);
        // id
        e.id.clear();
        e.id.push_str("log_");
        push_padded(&mut e.id, self.emitted + 1, 10);
        // timestamp: first entry exactly at start_ns, then ms gaps plus sub-ms jitter
        // that never goes backwards within the same millisecond.
        if self.emitted > 0 {
            let gap = self.rng.below(rng_step);
            if gap == 0 {
                let room = 1_000_000 - self.sub_ns;
                self.sub_ns += self.rng.below(room);
            } else {
                self.ms_off = self.ms_off.saturating_add(gap);
                self.sub_ns = self.rng.below(1_000_000);
            }
        }
        let off = (self.ms_off.min(i64::MAX as u64) as i64).saturating_mul(1_000_000);
        e.ts_ns = self
            .cfg
            .start_ns
            .saturating_add(off)
            .saturating_add(self.sub_ns as i64);

        // trace fan-out
        let mut new_root = false;
        let mut trace: Option<(u64, u64)> = None;
        let mut user: Option<u64>;
        let req: Option<u64>;
        if self.rng.chance(500) {
            let i = if self.traces.is_empty() || (self.traces.len() < 8 && self.rng.chance(300)) {
                let hi = self.rng.next_u64();
                let lo = self.rng.next_u64();
                let remaining = self.rng.range(2, 8) as u32;
                let u = if self.rng.chance(700) {
                    Some(self.rng.range(100, 999))
                } else {
                    None
                };
                let r = if self.rng.chance(900) {
                    Some(self.rng.next_u64() & 0xffff_ffff)
                } else {
                    None
                };
                self.traces.push(Trace {
                    hi,
                    lo,
                    remaining,
                    user: u,
                    req: r,
                });
                new_root = true;
                self.traces.len() - 1
            } else {
                self.rng.below(self.traces.len() as u64) as usize
            };
            let tr = &mut self.traces[i];
            tr.remaining -= 1;
            trace = Some((tr.hi, tr.lo));
            user = tr.user;
            req = tr.req;
            if tr.remaining == 0 {
                self.traces.swap_remove(i);
            }
        } else {
            user = if self.rng.chance(450) {
                Some(self.rng.range(100, 999))
            } else {
                None
            };
            req = if self.rng.chance(500) {
                Some(self.rng.next_u64() & 0xffff_ffff)
            } else {
                None
            };
        }

        // service, level, source
        let svc = if new_root && self.rng.chance(600) {
            if self.rng.chance(500) {
                SVC_GW
            } else {
                SVC_API
            }
        } else {
            self.rng.weighted(&SERVICE_W)
        };
        let level = self.rng.weighted(&LEVEL_W[svc]);
        e.service = SERVICES[svc];
        e.level = LEVELS[level];
        let srcs = SOURCES[svc];
        e.source.clear();
        e.source.push_str(srcs[self.rng.skewed(srcs.len())]);

        // message
        let kind = {
            let table = &self.tables[svc * 5 + level];
            let total: u64 = table.iter().map(|&(_, w)| w as u64).sum();
            let mut r = self.rng.below(total);
            let mut kind = table[table.len() - 1].0;
            for &(k, w) in table {
                if r < w as u64 {
                    kind = k;
                    break;
                }
                r -= w as u64;
            }
            kind
        };
        let mut ctx = Ctx::default();
        e.message.clear();
        self.compose(kind, level, &mut e.message, &mut user, &mut ctx);

        // ids
        set_opt(&mut e.trace_id, trace, |s, (hi, lo)| {
            push_hex(s, hi, 16);
            push_hex(s, lo, 16);
        });
        let span = if trace.is_some() {
            Some(self.rng.next_u64())
        } else {
            None
        };
        set_opt(&mut e.span_id, span, |s, v| push_hex(s, v, 16));
        set_opt(&mut e.user_id, user, |s, u| {
            s.push_str("user_");
            push_num(s, u);
        });
        set_opt(&mut e.request_id, req, |s, r| {
            s.push_str("req_");
            push_hex(s, r, 8);
        });

        // metadata
        for (k, v) in e.metadata.drain(..) {
            if self.pool.len() < 64 {
                self.pool.push(k);
                if let Value::String(s) = v {
                    self.pool.push(s);
                }
            }
        }
        let is_err = level >= 3;
        if is_err
            || self.rng.chance(700)
            || ctx.endpoint.is_some()
            || ctx.dur.is_some()
            || ctx.status.is_some()
        {
            if ctx.endpoint.is_none()
                && (ctx.status.is_some() || self.rng.chance(ENDPOINT_CHANCE[svc]))
            {
                ctx.endpoint = Some(self.endpoint(svc));
            }
            if let Some(ep) = ctx.endpoint {
                let v = Value::String(self.text(ep));
                self.meta_push(e, "endpoint", v);
            }
            if ctx.dur.is_none() && (self.rng.chance(850) || ctx.endpoint.is_some()) {
                ctx.dur = Some(self.duration());
            }
            if let Some(d) = ctx.dur {
                self.meta_push(e, "duration_ms", Value::from(d));
            }
            if ctx.endpoint.is_some() {
                let st = match ctx.status {
                    Some(s) => s,
                    None => self.status(level),
                };
                self.meta_push(e, "status", Value::from(st));
            }
            if is_err {
                let err = ctx.error.unwrap_or("InternalError");
                let v = Value::String(self.text(err));
                self.meta_push(e, "error", v);
            }
            if let Some(a) = ctx.attempt {
                self.meta_push(e, "attempt", Value::from(a));
            }
            if svc == SVC_DB && self.rng.chance(300) {
                // Keys inserted in sorted order so serde_json's map (BTreeMap or
                // IndexMap, depending on features) iterates identically.
                let mut m = serde_json::Map::new();
                let rows = if self.rng.chance(900) {
                    self.rng.below(50)
                } else {
                    self.rng.range(50, 20_000)
                };
                m.insert("rows".into(), Value::from(rows));
                m.insert("table".into(), Value::from(self.rng.pick(&TABLES)));
                self.meta_push(e, "db", Value::Object(m));
            }
            if svc == SVC_CACHE && self.rng.chance(300) {
                let hit = self.rng.chance(800);
                self.meta_push(e, "cache_hit", Value::Bool(hit));
            }
            if svc == SVC_WORKER && self.rng.chance(300) {
                let q = self.rng.pick(&QUEUES);
                let v = Value::String(self.text(q));
                self.meta_push(e, "queue", v);
            }
            if self.rng.chance(20) {
                let mut m = serde_json::Map::new();
                let mut ip = String::with_capacity(15);
                ip.push_str("10.0.");
                push_num(&mut ip, self.rng.below(256));
                ip.push('.');
                push_num(&mut ip, self.rng.range(1, 254));
                m.insert("ip".into(), Value::String(ip));
                let ua = self.rng.pick(&[
                    "curl/8.4.0",
                    "Mozilla/5.0 (X11; Linux x86_64)",
                    "covet-sdk/2.3.1 (python 3.12)",
                ]);
                m.insert("user_agent".into(), Value::from(ua));
                self.meta_push(e, "client", Value::Object(m));
            }
        }

        // tags
        let mut hints = ctx.hints;
        match svc {
            SVC_DB if self.rng.chance(500) => hints |= T_DB,
            SVC_CACHE if self.rng.chance(500) => hints |= T_CACHE,
            SVC_AUTH if self.rng.chance(500) => hints |= T_AUTH,
            SVC_API | SVC_GW if self.rng.chance(400) => hints |= T_API,
            _ => {}
        }
        if ctx.dur.is_some_and(|d| d >= 1000) {
            hints |= T_SLOW;
        }
        let target = self.rng.weighted(&[300, 400, 200, 100]);
        let mut picked = [0usize; 3];
        let mut count = 0;
        let mut have: u8 = 0;
        for i in 0..TAGS.len() {
            if hints & (1 << i) != 0 && count < 3 {
                picked[count] = i;
                count += 1;
                have |= 1 << i;
            }
        }
        // Extra tags come from a per-service pool ("slow" only ever from the duration).
        let pool = EXTRA_TAGS[svc];
        let mut attempts = 0;
        while count < target && attempts < 6 {
            attempts += 1;
            let bit = pool[self.rng.below(pool.len() as u64) as usize];
            if have & bit == 0 {
                have |= bit;
                picked[count] = bit.trailing_zeros() as usize;
                count += 1;
            }
        }
        e.tags.truncate(count);
        for (i, &t) in picked[..count].iter().enumerate() {
            match e.tags.get_mut(i) {
                Some(s) => {
                    s.clear();
                    s.push_str(TAGS[t]);
                }
                None => e.tags.push(TAGS[t].to_string()),
            }
        }

        // text-format extras
        let has_block_content = e.trace_id.is_some()
            || e.user_id.is_some()
            || e.request_id.is_some()
            || !e.metadata.is_empty();
        e.text_block = has_block_content && self.rng.chance(300);
        e.multiline = if is_err && self.rng.chance(30) {
            Some(self.stack_trace(svc, &e.source, ctx.error.unwrap_or("InternalError")))
        } else {
            None
        };
    }

    /// A string with the given contents, reusing a pooled allocation.
    fn text(&mut self, s: &str) -> String {
        let mut out = self.pool.pop().unwrap_or_default();
        out.clear();
        out.push_str(s);
        out
    }

    fn meta_push(&mut self, e: &mut GenEntry, key: &str, v: Value) {
        let k = self.text(key);
        e.metadata.push((k, v));
    }

    fn endpoint(&mut self, svc: usize) -> &'static str {
        if svc == SVC_AUTH && self.rng.chance(600) {
            self.rng.pick(&AUTH_ENDPOINTS)
        } else {
            ENDPOINTS[self.rng.weighted(&ENDPOINT_W)]
        }
    }

    /// Heavy-tailed latency in ms.
    fn duration(&mut self) -> u64 {
        let r = self.rng.below(1000);
        if r < 600 {
            self.rng.range(1, 50)
        } else if r < 880 {
            self.rng.range(50, 299)
        } else if r < 970 {
            self.rng.range(300, 1999)
        } else if r < 995 {
            self.rng.range(2000, 9999)
        } else {
            self.rng.range(10_000, 59_999)
        }
    }

    fn status(&mut self, level: usize) -> u64 {
        let (codes, w): (&[u64], &[u16]) = match level {
            0 | 1 => (&[200, 201, 204, 304], &[80, 8, 6, 6]),
            2 => (&[200, 404, 429, 401], &[40, 25, 20, 15]),
            3 => (&[500, 502, 503, 504], &[50, 15, 20, 15]),
            _ => (&[500, 503], &[70, 30]),
        };
        codes[self.rng.weighted(w)]
    }

    fn user(&mut self, user: &mut Option<u64>) -> u64 {
        match *user {
            Some(u) => u,
            None => {
                let u = self.rng.range(100, 999);
                *user = Some(u);
                u
            }
        }
    }

    fn compose(
        &mut self,
        kind: u8,
        level: usize,
        m: &mut String,
        user: &mut Option<u64>,
        ctx: &mut Ctx,
    ) {
        let r = &mut self.rng;
        match kind {
            // ---- DEBUG
            0 => {
                m.push_str("Cache hit for key session:");
                push_hex(m, r.next_u64(), 6);
                ctx.hints |= T_CACHE;
            }
            1 => {
                m.push_str("Cache miss for key user:");
                push_num(m, r.range(1, 99_999));
                ctx.hints |= T_CACHE;
            }
            2 => {
                m.push_str("Parsed ");
                push_num(m, r.range(3, 40));
                m.push_str(" headers from 10.0.");
                push_num(m, r.below(256));
                m.push('.');
                push_num(m, r.range(1, 254));
            }
            3 => {
                m.push_str("Acquired connection from pool (");
                push_num(m, r.range(1, 20));
                m.push_str("/20 in use)");
            }
            4 | 23 => {
                m.push_str("Retrying with timeout=");
                push_num(m, r.pick(&[2, 5, 10, 30]));
                m.push('s');
                ctx.hints |= T_RETRY;
                ctx.attempt = Some(r.range(1, 4));
            }
            5 => {
                m.push_str("Query plan: SELECT * FROM ");
                m.push_str(r.pick(&TABLES));
                m.push_str(" WHERE id = ");
                push_num(m, r.range(1, 999_999));
            }
            6 => {
                m.push_str("Dispatching job job_");
                push_hex(m, r.next_u64(), 8);
                m.push_str(" to queue ");
                m.push_str(r.pick(&QUEUES));
            }
            7 => {
                m.push_str("Socket read Timeout set to ");
                push_num(m, r.pick(&[500, 1000, 2500, 5000]));
                m.push_str("ms");
            }
            8 => {
                m.push_str("Token signature verified (kid=");
                push_hex(m, r.next_u64(), 8);
                m.push(')');
            }
            // ---- INFO
            20 => {
                let d = self.duration();
                m.push_str("Request completed in ");
                push_num(m, d);
                m.push_str("ms");
                ctx.dur = Some(d);
            }
            21 => {
                let u = self.user(user);
                m.push_str("User user_");
                push_num(m, u);
                m.push_str(" logged in");
                ctx.endpoint = Some("/api/v1/auth/login");
                ctx.hints |= T_AUTH;
            }
            22 => {
                let meth = METHODS[r.weighted(&METHOD_W)];
                let ep = self.endpoint(SVC_API);
                let st = self.status(level);
                let d = self.duration();
                m.push_str(meth);
                m.push(' ');
                m.push_str(ep);
                m.push(' ');
                push_num(m, st);
                m.push_str(" in ");
                push_num(m, d);
                m.push_str("ms");
                ctx.endpoint = Some(ep);
                ctx.status = Some(st);
                ctx.dur = Some(d);
                ctx.hints |= T_API;
            }
            24 => {
                let h = r.pick(&HOSTS);
                m.push_str("Connection established to ");
                m.push_str(h);
                m.push(':');
                push_num(m, r.pick(&[5432, 6379, 5672, 443]));
            }
            25 => {
                m.push_str("Cache warmed: ");
                push_num(m, r.range(100, 250_000));
                m.push_str(" keys loaded");
            }
            26 => {
                let job = r.next_u64();
                let d = self.duration();
                m.push_str("Job job_");
                push_hex(m, job, 8);
                m.push_str(" finished in ");
                push_num(m, d);
                m.push_str("ms");
                ctx.dur = Some(d);
            }
            27 => {
                let u = self.user(user);
                m.push_str("Session created for user_");
                push_num(m, u);
                ctx.hints |= T_AUTH;
            }
            28 => {
                m.push_str("Config reloaded, Timeout set to ");
                push_num(m, r.pick(&[10, 30, 60]));
                m.push('s');
            }
            29 => {
                m.push_str("Order ord_");
                push_num(m, r.range(10_000, 99_999));
                m.push_str(" created, total ");
                push_num(m, r.range(1, 900));
                m.push('.');
                let c = r.below(100);
                m.push((b'0' + (c / 10) as u8) as char);
                m.push((b'0' + (c % 10) as u8) as char);
                m.push_str(" EUR");
                ctx.endpoint = Some("/api/v1/orders");
                ctx.hints |= T_BILLING;
            }
            30 => {
                let d = self.duration();
                let h = self.rng.pick(&HOSTS);
                m.push_str("Upstream latency \u{2192} ");
                push_num(m, d);
                m.push_str("ms from ");
                m.push_str(h);
                ctx.dur = Some(d);
            }
            31 => {
                m.push_str("Health check passed");
                ctx.endpoint = Some("/health");
                ctx.status = Some(200);
            }
            32 => {
                m.push_str("Transaction committed (");
                push_num(m, r.range(1, 500));
                m.push_str(" rows)");
            }
            33 => {
                let n = r.range(10, 5000);
                let d = self.duration();
                m.push_str("Processed batch of ");
                push_num(m, n);
                m.push_str(" events in ");
                push_num(m, d);
                m.push_str("ms");
                ctx.dur = Some(d);
            }
            34 => {
                let inv = r.range(1000, 99_999);
                let u = self.user(user);
                m.push_str("Invoice inv_");
                push_num(m, inv);
                m.push_str(" sent to user_");
                push_num(m, u);
                ctx.hints |= T_BILLING;
            }
            35 => {
                m.push_str("Server listening on 0.0.0.0:");
                push_num(m, r.pick(&[8000, 8080, 8443]));
            }
            // ---- WARN
            40 => m.push_str("Connection pool exhausted, queueing request"),
            41 => {
                let d = r.range(1000, 9999);
                m.push_str("Slow query detected: ");
                push_num(m, d);
                m.push_str("ms");
                ctx.dur = Some(d);
                ctx.hints |= T_DB;
            }
            42 => {
                let u = self.user(user);
                let n = self.rng.range(800, 999);
                m.push_str("Rate limit approaching for user_");
                push_num(m, u);
                m.push_str(": ");
                push_num(m, n);
                m.push_str("/1000 requests");
                ctx.status = Some(429);
            }
            43 => {
                let a = r.range(1, 4);
                m.push_str("Retry ");
                push_num(m, a);
                m.push_str("/5 after TIMEOUT from ");
                m.push_str(r.pick(&HOSTS));
                ctx.attempt = Some(a);
                ctx.hints |= T_RETRY;
            }
            44 => {
                let ep = self.endpoint(SVC_API);
                m.push_str("Deprecated endpoint ");
                m.push_str(ep);
                m.push_str(" called");
                ctx.endpoint = Some(ep);
                ctx.status = Some(200);
            }
            45 => {
                m.push_str("Cache miss ratio high: ");
                push_num(m, r.range(35, 95));
                m.push('%');
                ctx.hints |= T_CACHE;
            }
            46 => {
                let u = self.user(user);
                let n = self.rng.range(5, 300);
                m.push_str("Token expires in ");
                push_num(m, n);
                m.push_str("s for user_");
                push_num(m, u);
                ctx.hints |= T_AUTH;
            }
            47 => m.push_str("Config value \"max_conn\" is deprecated, use \"pool.max\""),
            48 => {
                m.push_str("Job job_");
                push_hex(m, r.next_u64(), 8);
                m.push_str(" exceeded soft timeout (");
                push_num(m, r.pick(&[30, 60, 120]));
                m.push_str("s), still running");
            }
            49 => {
                let u = self.user(user);
                let a = self.rng.below(256);
                let b = self.rng.range(1, 254);
                m.push_str("Failed login attempt for user_");
                push_num(m, u);
                m.push_str(" from 192.168.");
                push_num(m, a);
                m.push('.');
                push_num(m, b);
                ctx.endpoint = Some("/api/v1/auth/login");
                ctx.status = Some(401);
                ctx.hints |= T_SECURITY;
            }
            // ---- ERROR
            60 => {
                let s = r.pick(&[5, 10, 30, 60]);
                m.push_str("Failed to process request: timeout after ");
                push_num(m, s);
                m.push('s');
                ctx.dur = Some(s * 1000);
                ctx.status = Some(504);
                ctx.error = Some("RequestTimeout");
            }
            61 => {
                m.push_str("Database query failed: connection refused (pool size ");
                push_num(m, r.pick(&[10, 20, 50]));
                m.push(')');
                ctx.error = Some("ConnectionRefused");
                ctx.hints |= T_DB;
            }
            62 => {
                let u = self.user(user);
                m.push_str("Authentication failed for user_");
                push_num(m, u);
                m.push_str(": invalid token");
                ctx.status = Some(401);
                ctx.error = Some("AuthenticationError");
                ctx.hints |= T_SECURITY;
            }
            63 => {
                let h = r.pick(&HOSTS);
                let st = r.pick(&[502, 503]);
                m.push_str("Upstream ");
                m.push_str(h);
                m.push_str(" returned ");
                push_num(m, st);
                ctx.status = Some(st);
                ctx.error = Some("UpstreamError");
            }
            64 => {
                m.push_str("Failed to parse payload: unexpected token '\"' at position ");
                push_num(m, r.range(1, 4096));
                ctx.status = Some(400);
                ctx.error = Some("ParseError");
            }
            65 => {
                m.push_str("Cannot open file C:\\data\\export_");
                push_num(m, r.range(1, 9999));
                m.push_str(".csv: access denied");
                ctx.error = Some("IoError");
            }
            66 => {
                m.push_str("Deadlock detected on table ");
                m.push_str(r.pick(&TABLES));
                ctx.error = Some("DeadlockDetected");
                ctx.hints |= T_DB;
            }
            67 => {
                m.push_str("Cache write failed: Timeout waiting for lock");
                ctx.error = Some("LockTimeout");
                ctx.hints |= T_CACHE;
            }
            68 => {
                let d = r.range(5000, 30_000);
                m.push_str("Query on ");
                m.push_str(r.pick(&TABLES));
                m.push_str(" failed: DatabaseTimeout after ");
                push_num(m, d);
                m.push_str("ms");
                ctx.dur = Some(d);
                ctx.error = Some("DatabaseTimeout");
                ctx.hints |= T_DB;
            }
            69 => {
                m.push_str("Payment declined for order ord_");
                push_num(m, r.range(10_000, 99_999));
                m.push_str(": card_expired");
                ctx.error = Some("PaymentDeclined");
                ctx.hints |= T_BILLING;
            }
            70 => {
                let s = r.pick(&[60, 300, 900]);
                m.push_str("Job job_");
                push_hex(m, r.next_u64(), 8);
                m.push_str(" failed: TIMEOUT exceeded after ");
                push_num(m, s);
                m.push('s');
                ctx.dur = Some(s * 1000);
                ctx.error = Some("JobTimeout");
            }
            // ---- FATAL
            80 => {
                m.push_str("Out of memory: failed to allocate ");
                push_num(m, r.range(1, 64) << 20);
                m.push_str(" bytes");
                ctx.error = Some("OutOfMemory");
            }
            81 => {
                m.push_str("Unrecoverable error: database connection lost");
                ctx.error = Some("ConnectionLost");
            }
            82 => {
                let len = r.range(0, 16);
                let idx = len + r.range(0, 8);
                m.push_str("Panic in worker thread: index out of bounds: the len is ");
                push_num(m, len);
                m.push_str(" but the index is ");
                push_num(m, idx);
                ctx.error = Some("WorkerPanic");
            }
            83 => {
                m.push_str("Configuration invalid, shutting down");
                ctx.error = Some("ConfigError");
            }
            _ => {
                m.push_str("Certificate store corrupted, refusing to start");
                ctx.error = Some("TlsError");
                ctx.hints |= T_SECURITY;
            }
        }
    }

    fn stack_trace(&mut self, svc: usize, source: &str, error: &str) -> String {
        let mut s = String::with_capacity(256);
        if self.rng.chance(600) {
            // Rust-style frames, first one at the entry's source.
            let krate = match svc {
                SVC_CORE => "covet_core",
                SVC_DB => "covet_db",
                SVC_AUTH => "covet_auth",
                SVC_CACHE => "covet_cache",
                SVC_API => "covet_api",
                SVC_WORKER => "covet_worker",
                _ => "covet_gateway",
            };
            let frames = self.rng.range(2, 5);
            let srcs = SOURCES[svc];
            for i in 0..frames {
                let src = if i == 0 { source } else { self.rng.pick(srcs) };
                let module = src.split('.').next().unwrap_or("lib");
                if i > 0 {
                    s.push('\n');
                }
                s.push_str("    at ");
                s.push_str(krate);
                s.push_str("::");
                s.push_str(module);
                s.push_str("::");
                s.push_str(self.rng.pick(&FUNCS));
                s.push_str(" (");
                s.push_str(src);
                s.push(')');
            }
            s.push_str("\n    at tokio::runtime::task::harness::poll (harness.rs:");
            push_num(&mut s, self.rng.range(100, 600));
            s.push(')');
        } else {
            s.push_str("Traceback (most recent call last):\n");
            s.push_str("  File \"app.py\", line ");
            push_num(&mut s, self.rng.range(5, 60));
            s.push_str(", in handler\n    result = process(request)\n");
            s.push_str("  File \"covet/");
            s.push_str(self.rng.pick(&["tasks", "db", "http", "auth"]));
            s.push_str(".py\", line ");
            push_num(&mut s, self.rng.range(60, 400));
            s.push_str(", in process\n");
            let last = if error.contains("Timeout") {
                "    raise TimeoutError(\"timed out\")\nTimeoutError: timed out"
            } else if error.contains("Connection") {
                "    conn = pool.acquire()\nConnectionRefusedError: [Errno 111] Connection refused"
            } else if self.rng.chance(500) {
                "    user = payload[\"user_id\"]\nKeyError: 'user_id'"
            } else {
                "    size = int(header)\nValueError: invalid literal for int() with base 10: 'abc'"
            };
            s.push_str(last);
        }
        s
    }
}

fn set_opt<T>(slot: &mut Option<String>, v: Option<T>, f: impl FnOnce(&mut String, T)) {
    match v {
        Some(v) => {
            let mut s = slot.take().unwrap_or_default();
            s.clear();
            f(&mut s, v);
            *slot = Some(s);
        }
        None => *slot = None,
    }
}

// ---------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------

const CHUNK: usize = 1 << 20;

/// Writes `cfg.lines` entries in `cfg.format` to `w` (internally buffered in 1 MiB
/// chunks; no need to wrap `w` in a `BufWriter`).
pub fn write_logs<W: Write>(cfg: &GenConfig, w: W) -> io::Result<()> {
    write_until(cfg, cfg.lines as u64, u64::MAX, w).map(|_| ())
}

/// Like [`write_logs`], but ignores `cfg.lines` and keeps writing whole entries until at
/// least `min_bytes` bytes were written. Returns the number of entries written, which
/// can be put in `cfg.lines` to describe the same data (e.g. for [`truth`]).
pub fn write_logs_size<W: Write>(cfg: &GenConfig, min_bytes: u64, w: W) -> io::Result<u64> {
    write_until(cfg, u64::MAX, min_bytes, w)
}

fn write_until<W: Write>(cfg: &GenConfig, lines: u64, min_bytes: u64, mut w: W) -> io::Result<u64> {
    let mut gen = Entries::new(cfg, lines);
    let mut e = GenEntry::default();
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 64 * 1024);
    let mut written: u64 = 0;
    let mut n: u64 = 0;
    while written.saturating_add(buf.len() as u64) < min_bytes && gen.next_into(&mut e) {
        render(&e, cfg.format, &mut buf);
        n += 1;
        if buf.len() >= CHUNK {
            w.write_all(&buf)?;
            written += buf.len() as u64;
            buf.clear();
        }
    }
    w.write_all(&buf)?;
    w.flush()?;
    Ok(n)
}

// ---------------------------------------------------------------------------------
// Truth
// ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Cmp {
    fn split(v: &str) -> (Cmp, &str) {
        for (p, c) in [
            (">=", Cmp::Ge),
            ("<=", Cmp::Le),
            (">", Cmp::Gt),
            ("<", Cmp::Lt),
        ] {
            if let Some(rest) = v.strip_prefix(p) {
                return (c, rest);
            }
        }
        (Cmp::Eq, v.strip_prefix('=').unwrap_or(v))
    }
    fn test<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdField {
    User,
    Request,
    Trace,
    Span,
}

#[derive(Clone, Debug, PartialEq)]
enum Pred {
    /// Lowercased needle, substring of the lowercased rendered entry.
    Text(String),
    /// Needle, substring of the rendered entry as written (`case:WORD`).
    CaseText(String),
    Level(Cmp, usize),
    Service(String),
    Source(String),
    Id(IdField, String),
    Tag(String),
    Endpoint(String),
    Duration(Cmp, i64),
    Status(Cmp, i64),
    ErrorExists,
    ErrorIs(String),
    Since(i64),
    Until(i64),
}

#[derive(Clone, Debug, PartialEq)]
struct Term {
    neg: bool,
    pred: Pred,
}

/// A set of compiled truth queries for one format.
///
/// Query language: terms separated by whitespace, all must hold (AND); `-term` negates
/// one term. Terms: `word`, `"quoted phrase"` (case-insensitive substring of the
/// entry's full rendered text in the format: all lines, JSON keys and escapes
/// included), `case:WORD` (the same, case-sensitive), `level:X`, `level:>=X|>X|<=X|<X`, `service:X`, `source:X`,
/// `user_id:X`, `request_id:X`, `trace_id:X`, `span_id:X` (case-insensitive equality),
/// `tags:X` (membership), `endpoint:X`, `error:*` (key exists), `error:X`,
/// `duration_ms:[op]N`, `status:[op]N` (op one of `>`, `>=`, `<`, `<=`, `=` or none),
/// `since:RFC3339` (ts >= since), `until:RFC3339` (ts < until). Field values may be
/// quoted (`endpoint:"/health"`). Timestamps compare at millisecond precision, as
/// rendered. In the text format, fields that only appear in the JSON block (ids, tags,
/// metadata) only match entries whose block was written ([`text_block_written`]).
#[derive(Clone, Debug)]
pub struct Truth {
    format: GenFormat,
    queries: Vec<Vec<Term>>,
}

fn tokenize(q: &str) -> Result<Vec<String>, String> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut started = false;
    for c in q.chars() {
        if in_quote {
            cur.push(c);
            if c == '"' {
                in_quote = false;
            }
        } else if c.is_whitespace() {
            if started {
                toks.push(std::mem::take(&mut cur));
                started = false;
            }
        } else {
            started = true;
            cur.push(c);
            if c == '"' {
                in_quote = true;
            }
        }
    }
    if in_quote {
        return Err(format!("unterminated quote in `{q}`"));
    }
    if started {
        toks.push(cur);
    }
    Ok(toks)
}

fn unquote(v: &str) -> Result<&str, String> {
    let inner = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        &v[1..v.len() - 1]
    } else {
        v
    };
    if inner.contains('"') {
        return Err(format!("misplaced quote in `{v}`"));
    }
    if inner.is_empty() {
        return Err(format!("empty value in `{v}`"));
    }
    Ok(inner)
}

fn parse_level(v: &str) -> Result<usize, String> {
    LEVELS
        .iter()
        .position(|l| l.eq_ignore_ascii_case(v))
        .ok_or_else(|| format!("unknown level `{v}` (expected DEBUG, INFO, WARN, ERROR or FATAL)"))
}

fn parse_int(v: &str) -> Result<i64, String> {
    v.parse::<i64>()
        .map_err(|_| format!("expected an integer, got `{v}`"))
}

fn parse_term(tok: &str) -> Result<Term, String> {
    let (neg, body) = match tok.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, tok),
    };
    if body.is_empty() {
        return Err(format!("empty term `{tok}`"));
    }
    if body.starts_with('"') {
        // unquote rejects anything but one `"..."` with no inner quote.
        let inner = unquote(body)?;
        return Ok(Term {
            neg,
            pred: Pred::Text(inner.to_lowercase()),
        });
    }
    let colon = body.find(':');
    let quote = body.find('"');
    let (key, raw) = match colon {
        Some(c) if quote.is_none_or(|q| q > c) => (&body[..c], &body[c + 1..]),
        _ => {
            if quote.is_some() {
                return Err(format!("misplaced quote in `{tok}`"));
            }
            return Ok(Term {
                neg,
                pred: Pred::Text(body.to_lowercase()),
            });
        }
    };
    let key_l = key.to_ascii_lowercase();
    let value = unquote(raw)?;
    let pred = match key_l.as_str() {
        "level" => {
            let (cmp, v) = Cmp::split(value);
            Pred::Level(cmp, parse_level(v)?)
        }
        "case" => Pred::CaseText(value.to_string()),
        "service" => Pred::Service(value.to_lowercase()),
        "source" => Pred::Source(value.to_lowercase()),
        "user_id" => Pred::Id(IdField::User, value.to_lowercase()),
        "request_id" => Pred::Id(IdField::Request, value.to_lowercase()),
        "trace_id" => Pred::Id(IdField::Trace, value.to_lowercase()),
        "span_id" => Pred::Id(IdField::Span, value.to_lowercase()),
        "tags" => Pred::Tag(value.to_lowercase()),
        "endpoint" => Pred::Endpoint(value.to_lowercase()),
        "duration_ms" => {
            let (cmp, v) = Cmp::split(value);
            Pred::Duration(cmp, parse_int(v)?)
        }
        "status" => {
            let (cmp, v) = Cmp::split(value);
            Pred::Status(cmp, parse_int(v)?)
        }
        "error" => {
            if value == "*" {
                Pred::ErrorExists
            } else {
                Pred::ErrorIs(value.to_lowercase())
            }
        }
        "since" => Pred::Since(parse_rfc3339_ns(value)?),
        "until" => Pred::Until(parse_rfc3339_ns(value)?),
        _ => {
            return Err(format!(
                "unknown field `{key}` in `{tok}` (quote the term to search text)"
            ))
        }
    };
    Ok(Term { neg, pred })
}

fn meta<'a>(e: &'a GenEntry, key: &str) -> Option<&'a Value> {
    e.metadata.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn num_cmp(v: Option<&Value>, cmp: Cmp, n: i64) -> bool {
    match v {
        Some(Value::Number(x)) => {
            if let Some(i) = x.as_i64() {
                cmp.test(i, n)
            } else if let Some(u) = x.as_u64() {
                cmp.test(u as i128, n as i128)
            } else if let Some(f) = x.as_f64() {
                cmp.test(f, n as f64)
            } else {
                false
            }
        }
        _ => false,
    }
}

fn str_eq(v: Option<&str>, needle: &str) -> bool {
    v.is_some_and(|s| s.to_lowercase() == needle)
}

impl Truth {
    /// Compiles `queries` for `format`; Err describes the first invalid query.
    pub fn new(format: GenFormat, queries: &[&str]) -> Result<Truth, String> {
        let mut compiled = Vec::with_capacity(queries.len());
        for q in queries {
            let terms = tokenize(q)?
                .iter()
                .map(|t| parse_term(t))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("query `{q}`: {e}"))?;
            compiled.push(terms);
        }
        Ok(Truth {
            format,
            queries: compiled,
        })
    }

    /// Number of compiled queries.
    pub fn len(&self) -> usize {
        self.queries.len()
    }

    /// True when there are no queries.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    fn needs_text(&self) -> bool {
        self.queries
            .iter()
            .flatten()
            .any(|t| matches!(t.pred, Pred::Text(_)))
    }

    /// Whether entry `e` satisfies query number `q`.
    pub fn matches(&self, q: usize, e: &GenEntry) -> bool {
        let mut text = None;
        self.eval(q, e, &mut text)
    }

    fn eval(&self, q: usize, e: &GenEntry, text: &mut Option<String>) -> bool {
        let Some(terms) = self.queries.get(q) else {
            return false;
        };
        terms.iter().all(|t| self.eval_term(t, e, text) != t.neg)
    }

    fn eval_term(&self, t: &Term, e: &GenEntry, text: &mut Option<String>) -> bool {
        let visible = self.format == GenFormat::Json || text_block_written(e);
        match &t.pred {
            Pred::CaseText(needle) => {
                let mut buf = Vec::with_capacity(512);
                render(e, self.format, &mut buf);
                String::from_utf8_lossy(&buf).contains(needle.as_str())
            }
            Pred::Text(needle) => {
                let hay = text.get_or_insert_with(|| {
                    let mut buf = Vec::with_capacity(512);
                    render(e, self.format, &mut buf);
                    String::from_utf8_lossy(&buf).to_lowercase()
                });
                hay.contains(needle.as_str())
            }
            Pred::Level(cmp, l) => LEVELS
                .iter()
                .position(|x| *x == e.level)
                .is_some_and(|i| cmp.test(i, *l)),
            Pred::Service(s) => e.service.to_lowercase() == *s,
            Pred::Source(s) => e.source.to_lowercase() == *s,
            Pred::Id(f, s) => {
                let v = match f {
                    IdField::User => &e.user_id,
                    IdField::Request => &e.request_id,
                    IdField::Trace => &e.trace_id,
                    IdField::Span => &e.span_id,
                };
                visible && str_eq(v.as_deref(), s)
            }
            Pred::Tag(s) => visible && e.tags.iter().any(|x| x.to_lowercase() == *s),
            Pred::Endpoint(s) => visible && str_eq(meta(e, "endpoint").and_then(Value::as_str), s),
            Pred::Duration(cmp, n) => visible && num_cmp(meta(e, "duration_ms"), *cmp, *n),
            Pred::Status(cmp, n) => visible && num_cmp(meta(e, "status"), *cmp, *n),
            Pred::ErrorExists => visible && meta(e, "error").is_some(),
            Pred::ErrorIs(s) => visible && str_eq(meta(e, "error").and_then(Value::as_str), s),
            Pred::Since(ns) => e.ts_ns.div_euclid(1_000_000) * 1_000_000 >= *ns,
            Pred::Until(ns) => e.ts_ns.div_euclid(1_000_000) * 1_000_000 < *ns,
        }
    }

    /// Counts, per query, the entries of `entries(cfg)` that match (uses `cfg.lines`,
    /// `cfg.seed`, `cfg.start_ns`, `cfg.step_ms`; the format is the one given to `new`).
    pub fn count(&self, cfg: &GenConfig) -> Vec<u64> {
        let mut counts = vec![0u64; self.queries.len()];
        let mut gen = entries(cfg);
        let mut e = GenEntry::default();
        let needs_text = self.needs_text();
        while gen.next_into(&mut e) {
            let mut text = None;
            for (q, c) in counts.iter_mut().enumerate() {
                if self.eval(q, &e, &mut text) {
                    *c += 1;
                }
            }
            debug_assert!(needs_text || text.is_none());
        }
        counts
    }
}

/// Counts the entries of `cfg` (rendered in `cfg.format`) matching each query.
pub fn truth_checked(cfg: &GenConfig, queries: &[&str]) -> Result<Vec<u64>, String> {
    Ok(Truth::new(cfg.format, queries)?.count(cfg))
}

/// [`truth_checked`] for tests: panics on an invalid query.
pub fn truth(cfg: &GenConfig, queries: &[&str]) -> Vec<u64> {
    match truth_checked(cfg, queries) {
        Ok(v) => v,
        Err(e) => panic!("invalid truth query: {e}"),
    }
}

/// Parses a size such as `1G`, `512M`, `64K`, `1000` (binary multiples; an optional
/// trailing `B` or `iB` is accepted).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, mult) = match body.chars().last() {
        Some('k') => (&body[..body.len() - 1], 1u64 << 10),
        Some('m') => (&body[..body.len() - 1], 1 << 20),
        Some('g') => (&body[..body.len() - 1], 1 << 30),
        Some('t') => (&body[..body.len() - 1], 1 << 40),
        _ => (body, 1),
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("invalid size `{s}` (examples: 1G, 512M, 64K, 1000)"))?;
    n.checked_mul(mult)
        .ok_or_else(|| format!("size `{s}` too large"))
}

// ---------------------------------------------------------------------------------
// Injected effects (for measuring the insights)
// ---------------------------------------------------------------------------------

/// A change made to a generated stream, for measuring what `stats` finds. Times are
/// fractions of the stream's span (first to last timestamp).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// Nothing changed.
    Calm,
    /// Between 40 % and 46.25 % of the span, non-error entries turn ERROR (keeping
    /// their service, with a message of an existing ERROR entry) so that the error
    /// rate is this factor times the stream's own.
    ErrorSpike(f64),
    /// This many ERROR entries of a message the generator never writes, spread evenly
    /// over the last 12.5 % of the span.
    NewTemplate(usize),
    /// Every `duration_ms` in the last 25 % of the span multiplied by this factor.
    LatencyShift(f64),
    /// In the last 25 % of the span, INFO entries turn WARN so that the WARN share is
    /// this factor times the stream's own.
    WarnMix(f64),
}

/// The message of [`Effect::NewTemplate`]'s entries.
pub const NEW_ERROR: &str = "TLS handshake failed: certificate expired for upstream";

/// What [`inject`] changed: exact counts, the truth for the measurements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Injected {
    /// Entries changed in place (level or duration).
    pub changed: u64,
    /// Entries added.
    pub added: u64,
    /// The affected time range `[from, to)` in ns.
    pub from: i64,
    pub to: i64,
}

/// Keeps each entry of service `i` with probability `keep[i]` per mille (missing
/// weights keep everything): a stationary change of the service mix.
pub fn thin_services(entries: &mut Vec<GenEntry>, keep: &[u64], seed: u64) {
    let mut rng = Rng(seed ^ 0x5EED_7411);
    entries.retain(|e| {
        let i = SERVICES.iter().position(|s| *s == e.service).unwrap_or(0);
        rng.chance(keep.get(i).copied().unwrap_or(1000))
    });
}

/// Applies `effect` to `entries` (sorted by time), deterministically from `seed`.
pub fn inject(entries: &mut Vec<GenEntry>, effect: Effect, seed: u64) -> Injected {
    let mut rng = Rng(seed ^ 0x1A1E_C7ED);
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Injected::default();
    };
    let (t0, span) = (first.ts_ns, (last.ts_ns - first.ts_ns).max(1));
    let at = |f: f64| t0 + (span as f64 * f) as i64;
    let share = |entries: &[GenEntry], pick: &dyn Fn(&GenEntry) -> bool| {
        entries.iter().filter(|e| pick(e)).count() as f64 / entries.len() as f64
    };
    let mut done = Injected::default();
    match effect {
        Effect::Calm => {}
        Effect::ErrorSpike(factor) => {
            let is_err = |e: &GenEntry| e.level == "ERROR" || e.level == "FATAL";
            let p = share(entries, &is_err);
            let msgs: Vec<(&'static str, String)> = entries
                .iter()
                .filter(|e| e.level == "ERROR")
                .map(|e| (e.service, e.message.clone()))
                .collect();
            let q = ((factor - 1.0) * p / (1.0 - p)).clamp(0.0, 1.0);
            (done.from, done.to) = (at(0.4), at(0.4625));
            for e in entries.iter_mut() {
                if e.ts_ns < done.from || e.ts_ns >= done.to || is_err(e) {
                    continue;
                }
                if (rng.below(1 << 20) as f64) < q * (1u64 << 20) as f64 {
                    let own: Vec<&String> = msgs
                        .iter()
                        .filter(|(s, _)| *s == e.service)
                        .map(|(_, m)| m)
                        .collect();
                    if own.is_empty() {
                        continue;
                    }
                    e.level = "ERROR";
                    e.message = own[rng.below(own.len() as u64) as usize].clone();
                    done.changed += 1;
                }
            }
        }
        Effect::NewTemplate(n) => {
            (done.from, done.to) = (at(0.875), last.ts_ns + 1);
            let base = entries[0].clone();
            for k in 0..n {
                let ts = done.from + (done.to - done.from) * k as i64 / n.max(1) as i64;
                entries.push(GenEntry {
                    id: format!("log_new{k:06}"),
                    ts_ns: ts,
                    level: "ERROR",
                    service: "covet-gateway",
                    source: "tls.rs:88".to_string(),
                    message: NEW_ERROR.to_string(),
                    metadata: Vec::new(),
                    multiline: None,
                    text_block: false,
                    ..base.clone()
                });
                done.added += 1;
            }
            entries.sort_by_key(|e| e.ts_ns);
        }
        Effect::LatencyShift(factor) => {
            (done.from, done.to) = (at(0.75), last.ts_ns + 1);
            for e in entries.iter_mut().filter(|e| e.ts_ns >= done.from) {
                for (k, v) in e.metadata.iter_mut() {
                    if k == "duration_ms" {
                        if let Some(d) = v.as_u64() {
                            *v = Value::from((d as f64 * factor).round() as u64);
                            done.changed += 1;
                        }
                    }
                }
            }
        }
        Effect::WarnMix(factor) => {
            let w = share(entries, &|e| e.level == "WARN");
            let i = share(entries, &|e| e.level == "INFO");
            let q = ((factor - 1.0) * w / i).clamp(0.0, 1.0);
            (done.from, done.to) = (at(0.75), last.ts_ns + 1);
            for e in entries.iter_mut().filter(|e| e.ts_ns >= done.from) {
                if e.level == "INFO" && (rng.below(1 << 20) as f64) < q * (1u64 << 20) as f64 {
                    e.level = "WARN";
                    done.changed += 1;
                }
            }
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(lines: usize, seed: u64, format: GenFormat) -> GenConfig {
        GenConfig {
            lines,
            seed,
            format,
            ..Default::default()
        }
    }

    fn bytes(c: &GenConfig) -> Vec<u8> {
        let mut v = Vec::new();
        write_logs(c, &mut v).unwrap();
        v
    }

    fn json_lines(c: &GenConfig) -> Vec<serde_json::Map<String, Value>> {
        let c = GenConfig {
            format: GenFormat::Json,
            ..*c
        };
        String::from_utf8(bytes(&c))
            .unwrap()
            .lines()
            .map(|l| match serde_json::from_str::<Value>(l).unwrap() {
                Value::Object(m) => m,
                other => panic!("not an object: {other}"),
            })
            .collect()
    }

    /// Splits text output into entries: a new entry starts at a line beginning with a
    /// `YYYY-MM-DD ` date.
    fn text_entries(text: &str) -> Vec<Vec<&str>> {
        let mut out: Vec<Vec<&str>> = Vec::new();
        for line in text.lines() {
            let b = line.as_bytes();
            let is_head = b.len() > 24
                && b[..4].iter().all(u8::is_ascii_digit)
                && b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b' ';
            if is_head {
                out.push(vec![line]);
            } else {
                out.last_mut()
                    .expect("continuation before any entry")
                    .push(line);
            }
        }
        out
    }

    #[test]
    fn deterministic_per_seed() {
        for format in [GenFormat::Json, GenFormat::Text] {
            let a = bytes(&cfg(3000, 42, format));
            let b = bytes(&cfg(3000, 42, format));
            assert_eq!(a, b);
            let c = bytes(&cfg(3000, 43, format));
            assert_ne!(a, c);
        }
        // The stream is format independent and a prefix of longer runs.
        let short: Vec<GenEntry> = entries(&cfg(100, 9, GenFormat::Json)).collect();
        let long: Vec<GenEntry> = entries(&cfg(200, 9, GenFormat::Text)).collect();
        assert_eq!(short[..], long[..100]);
        // next_into reuse gives the same entries as fresh allocation.
        let mut g = entries(&cfg(200, 9, GenFormat::Json));
        let mut e = GenEntry::default();
        for want in &long {
            assert!(g.next_into(&mut e));
            assert_eq!(&e, want);
        }
        assert!(!g.next_into(&mut e));
    }

    #[test]
    fn golden_first_line_is_stable() {
        // Guards cross-platform / cross-version byte identity of the stream.
        let out = bytes(&cfg(1, 1, GenFormat::Json));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"log_0000000001\",\"timestamp\":\"2024-01-15T00:00:00.000Z\",\"level\":\"INFO\",\"service\":\"covet-cache\",\"source\":\"eviction.rs:26\",\"message\":\"Cache warmed: 71448 keys loaded\",\"tags\":[\"cache\"]}\n"
        );
    }

    #[test]
    fn json_lines_parse_with_fields_in_order() {
        let c = cfg(5000, 3, GenFormat::Json);
        let text = String::from_utf8(bytes(&c)).unwrap();
        let ents: Vec<GenEntry> = entries(&c).collect();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5000);
        let order = [
            "id",
            "timestamp",
            "level",
            "service",
            "source",
            "message",
            "trace_id",
            "span_id",
            "user_id",
            "request_id",
            "tags",
            "metadata",
        ];
        for (i, (line, e)) in lines.iter().zip(&ents).enumerate() {
            let v: Value = serde_json::from_str(line).unwrap();
            let m = v.as_object().unwrap();
            assert_eq!(m["id"], format!("log_{:010}", i + 1));
            for k in ["id", "timestamp", "level", "service", "source", "message"] {
                assert!(m[k].is_string(), "{k} in {line}");
            }
            assert!(m["tags"].is_array());
            assert_eq!(m["level"], e.level);
            assert_eq!(m["message"], e.message.as_str());
            let ts = parse_rfc3339_ns(m["timestamp"].as_str().unwrap()).unwrap();
            assert_eq!(ts, e.ts_ns.div_euclid(1_000_000) * 1_000_000);
            // only documented keys, in the documented order
            for k in m.keys() {
                assert!(order.contains(&k.as_str()), "unexpected key {k}");
            }
            let mut last = 0;
            let positions: Vec<usize> = order
                .iter()
                .filter(|k| m.contains_key(**k))
                .map(|k| line.find(&format!("\"{k}\":")).unwrap())
                .collect();
            for p in positions {
                assert!(p >= last, "key order in {line}");
                last = p;
            }
            if let Some(md) = m.get("metadata") {
                let md = md.as_object().unwrap();
                assert!(!md.is_empty());
                if let Some(d) = md.get("duration_ms") {
                    assert!(d.is_u64());
                }
            }
            for (k, len, prefix) in [
                ("trace_id", 32, ""),
                ("span_id", 16, ""),
                ("request_id", 12, "req_"),
            ] {
                if let Some(v) = m.get(k) {
                    let s = v.as_str().unwrap();
                    assert_eq!(s.len(), len, "{k}");
                    assert!(s.starts_with(prefix));
                    assert!(s[prefix.len()..]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                }
            }
            if let Some(u) = m.get("user_id") {
                let n: u32 = u
                    .as_str()
                    .unwrap()
                    .strip_prefix("user_")
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((100..=999).contains(&n));
            }
            assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
        }
        // The JSON carries some messages that need escaping.
        assert!(text.contains("\\\"max_conn\\\"") || text.contains("\\\\data\\\\"));
    }

    #[test]
    fn distributions_look_realistic() {
        let ents: Vec<GenEntry> = entries(&cfg(10_000, 11, GenFormat::Json)).collect();
        let n = ents.len() as f64;
        let frac = |f: &dyn Fn(&GenEntry) -> bool| ents.iter().filter(|e| f(e)).count() as f64 / n;
        let bounds = [
            ("DEBUG", 0.12, 0.18),
            ("INFO", 0.55, 0.65),
            ("WARN", 0.12, 0.18),
            ("ERROR", 0.065, 0.10),
            ("FATAL", 0.01, 0.035),
        ];
        for (lvl, lo, hi) in bounds {
            let p = frac(&|e| e.level == lvl);
            assert!(p >= lo && p <= hi, "{lvl}: {p}");
        }
        let err_rate = |svc: &str| {
            let of: Vec<&GenEntry> = ents.iter().filter(|e| e.service == svc).collect();
            of.iter().filter(|e| e.level == "ERROR").count() as f64 / of.len() as f64
        };
        assert!(err_rate("covet-db") > 1.5 * err_rate("covet-cache"));
        assert!(err_rate("covet-db") > 0.12);
        let api = frac(&|e| e.service == "covet-api");
        let worker = frac(&|e| e.service == "covet-worker");
        assert!(api > 2.0 * worker, "services skewed: {api} vs {worker}");
        for svc in SERVICES {
            assert!(frac(&|e| e.service == svc) > 0.03, "{svc}");
        }
        let user = frac(&|e| e.user_id.is_some());
        let req = frac(&|e| e.request_id.is_some());
        let trace = frac(&|e| e.trace_id.is_some());
        assert!((0.55..0.68).contains(&user), "user {user}");
        assert!((0.64..0.76).contains(&req), "request {req}");
        assert!((0.45..0.55).contains(&trace), "trace {trace}");
        assert!(ents
            .iter()
            .all(|e| e.trace_id.is_some() == e.span_id.is_some()));
        // traces fan out over several entries and services
        let mut by_trace: std::collections::BTreeMap<&str, Vec<&GenEntry>> = Default::default();
        for e in &ents {
            if let Some(t) = &e.trace_id {
                by_trace.entry(t).or_default().push(e);
            }
        }
        let multi = by_trace.values().filter(|v| v.len() >= 2).count();
        assert!(multi as f64 > 0.8 * by_trace.len() as f64);
        assert!(by_trace.values().any(|v| {
            let s: std::collections::BTreeSet<_> = v.iter().map(|e| e.service).collect();
            s.len() >= 3
        }));
        // errors carry an error name; only errors do
        for e in &ents {
            let has_err = e.metadata.iter().any(|(k, _)| k == "error");
            assert_eq!(has_err, e.level == "ERROR" || e.level == "FATAL");
            let mut t = e.tags.clone();
            t.sort();
            t.dedup();
            assert_eq!(t.len(), e.tags.len(), "duplicate tags");
            assert!(e.tags.iter().all(|t| TAGS.contains(&t.as_str())));
        }
        // heavy-tailed durations
        let durs: Vec<u64> = ents
            .iter()
            .filter_map(|e| meta(e, "duration_ms").and_then(Value::as_u64))
            .collect();
        let slow = durs.iter().filter(|&&d| d >= 1000).count() as f64 / durs.len() as f64;
        assert!(slow > 0.02 && slow < 0.2, "slow {slow}");
        assert!(durs.iter().any(|&d| d >= 10_000));
        // case variants of timeout
        let has = |w: &str| ents.iter().any(|e| e.message.contains(w));
        assert!(has("timeout") && has("Timeout") && has("TIMEOUT"));
        assert!(ents
            .iter()
            .any(|e| e.level == "INFO" && e.message.contains("timeout")));
        assert!(ents
            .iter()
            .any(|e| e.level == "DEBUG" && e.message.contains("timeout")));
        assert!(ents
            .iter()
            .any(|e| e.metadata.iter().any(|(_, v)| v.is_object())));
        let blocks = frac(&text_block_written);
        assert!((0.2..0.4).contains(&blocks), "blocks {blocks}");
        let errs = ents
            .iter()
            .filter(|e| e.level == "ERROR" || e.level == "FATAL");
        let (ml, ne) = errs.fold((0, 0), |(a, b), e| {
            (a + e.multiline.is_some() as u32, b + 1)
        });
        assert!(ml > 0 && (ml as f64) < 0.08 * ne as f64, "{ml}/{ne}");
        assert!(ents
            .iter()
            .all(|e| e.multiline.is_none() || e.level == "ERROR" || e.level == "FATAL"));
    }

    #[test]
    fn every_service_level_has_templates() {
        let g = entries(&GenConfig::default());
        assert_eq!(g.tables.len(), SERVICES.len() * LEVELS.len());
        assert!(g.tables.iter().all(|t| !t.is_empty()));
        assert!(SOURCES.iter().all(|s| !s.is_empty()));
    }

    #[test]
    fn timestamps_non_decreasing() {
        for step in [0, 1, 10, 1000] {
            let c = GenConfig {
                step_ms: step,
                ..cfg(5000, 5, GenFormat::Json)
            };
            let ents: Vec<GenEntry> = entries(&c).collect();
            assert_eq!(ents[0].ts_ns, c.start_ns);
            for w in ents.windows(2) {
                assert!(w[0].ts_ns <= w[1].ts_ns, "step {step}");
            }
            let last = ents.last().unwrap().ts_ns - c.start_ns;
            let mean_ms = last as f64 / 1e6 / 4999.0;
            assert!(
                (mean_ms - step as f64).abs() <= 0.1 * step as f64 + 1.0,
                "{mean_ms}"
            );
        }
    }

    #[test]
    fn timestamp_formatting_matches_chrono() {
        let mut r = Rng(77);
        for i in 0..2000 {
            let ns = if i < 5 {
                [0, -1, 1, 951_782_400_000_000_000, DEFAULT_START_NS][i]
            } else {
                (r.next_u64() % 8_000_000_000_000_000_000) as i64 - 2_000_000_000_000_000_000
            };
            let dt = chrono::DateTime::from_timestamp_nanos(ns);
            assert_eq!(
                format_timestamp(ns),
                dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
            );
        }
    }

    #[test]
    fn escape_check_matches_naive() {
        let mut r = Rng(5);
        let alphabet = b"ab\"\\\x01\x1f ~\x7f";
        for _ in 0..20_000 {
            let len = r.below(20) as usize;
            let s: Vec<u8> = (0..len)
                .map(|_| {
                    if r.chance(900) {
                        b'a' + r.below(26) as u8
                    } else {
                        alphabet[r.below(alphabet.len() as u64) as usize]
                    }
                })
                .collect();
            let naive = s.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\');
            assert_eq!(needs_escape(&s), naive, "{s:?}");
            let st = String::from_utf8(s).unwrap();
            let mut out = Vec::new();
            push_json_str(&mut out, &st);
            assert_eq!(out, serde_json::to_vec(&st).unwrap());
        }
        for b in 0u8..=255 {
            let mut s = vec![b'x'; 8];
            s.push(b);
            let mut w = [b'y'; 8];
            w[(b % 8) as usize] = b;
            let naive = b < 0x20 || b == b'"' || b == b'\\';
            assert_eq!(needs_escape(&s), naive);
            assert_eq!(needs_escape(&w), naive, "{b}");
        }
    }

    #[test]
    fn text_layout() {
        let c = cfg(5000, 8, GenFormat::Text);
        let text = String::from_utf8(bytes(&c)).unwrap();
        let ents: Vec<GenEntry> = entries(&c).collect();
        let parts = text_entries(&text);
        assert_eq!(parts.len(), ents.len());
        let mut saw_rust = false;
        let mut saw_py = false;
        for (lines, e) in parts.iter().zip(&ents) {
            let want = format!(
                "{} [{}] {} {} {}",
                chrono::DateTime::from_timestamp_nanos(e.ts_ns).format("%Y-%m-%d %H:%M:%S%.3f"),
                e.level,
                e.service,
                e.source,
                e.message
            );
            assert_eq!(lines[0], want);
            let mut rest = &lines[1..];
            if let Some(st) = &e.multiline {
                let n = st.lines().count();
                assert_eq!(rest[..n].join("\n"), *st);
                saw_rust |= st.starts_with("    at ");
                saw_py |= st.starts_with("Traceback (most recent call last):");
                rest = &rest[n..];
            }
            if text_block_written(e) {
                assert_eq!(rest[0], "{");
                assert_eq!(*rest.last().unwrap(), "}");
                let block = rest.join("\n");
                let v: Value = serde_json::from_str(&block).unwrap();
                let m = v.as_object().unwrap();
                // top-level key order: ids, metadata keys, tags
                let mut want_keys: Vec<&str> = Vec::new();
                for (k, v) in [
                    ("request_id", &e.request_id),
                    ("user_id", &e.user_id),
                    ("trace_id", &e.trace_id),
                    ("span_id", &e.span_id),
                ] {
                    if let Some(v) = v {
                        want_keys.push(k);
                        assert_eq!(m[k], v.as_str());
                    }
                }
                for (k, v) in &e.metadata {
                    want_keys.push(k);
                    assert_eq!(&m[k], v);
                    // nested values laid out exactly like serde_json's pretty printer
                    let mut mine = Vec::new();
                    push_pretty_value(&mut mine, v, 0);
                    assert_eq!(
                        String::from_utf8(mine).unwrap(),
                        serde_json::to_string_pretty(v).unwrap()
                    );
                }
                if !e.tags.is_empty() {
                    want_keys.push("tags");
                    assert_eq!(m["tags"], serde_json::json!(e.tags));
                }
                let got_keys: Vec<&str> = rest
                    .iter()
                    .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
                    .map(|l| l[3..].split('"').next().unwrap())
                    .collect();
                assert_eq!(got_keys, want_keys);
                rest = &[];
            }
            assert!(rest.is_empty(), "unexpected lines {rest:?}");
        }
        assert!(saw_rust && saw_py);
    }

    #[test]
    fn truth_matches_independent_counts() {
        let c = cfg(3000, 21, GenFormat::Json);
        let rows = json_lines(&c);
        let raw = String::from_utf8(bytes(&c)).unwrap();
        let count = |f: &dyn Fn(&serde_json::Map<String, Value>) -> bool| {
            rows.iter().filter(|m| f(m)).count() as u64
        };
        let md = |m: &serde_json::Map<String, Value>, k: &str| {
            m.get("metadata").and_then(|x| x.get(k)).cloned()
        };
        let lvl = |m: &serde_json::Map<String, Value>| {
            LEVELS.iter().position(|l| m["level"] == *l).unwrap()
        };
        let first_user = rows
            .iter()
            .find_map(|m| m.get("user_id").and_then(Value::as_str))
            .unwrap()
            .to_string();
        let first_trace = rows
            .iter()
            .find_map(|m| m.get("trace_id").and_then(Value::as_str))
            .unwrap()
            .to_string();
        let since = "2024-01-15T00:00:05.000Z";
        let until = "2024-01-15T00:00:20Z";
        let since_ns = parse_rfc3339_ns(since).unwrap();
        let until_ns = parse_rfc3339_ns(until).unwrap();
        let q_user = format!("user_id:{}", first_user.to_uppercase());
        let q_trace = format!("trace_id:{first_trace}");
        let q_since = format!("since:{since} until:{until}");
        let queries = [
            "level:ERROR",
            "level:error",
            "level:>=WARN",
            "level:<INFO",
            "service:covet-db level:>warn",
            "timeout",
            "TIMEOUT -level:ERROR",
            "\"connection pool exhausted\"",
            "error:*",
            "-error:*",
            "duration_ms:>1000",
            "duration_ms:<=20 status:200",
            "tags:slow",
            "endpoint:/health",
            q_user.as_str(),
            q_trace.as_str(),
            q_since.as_str(),
            "",
            "source:request.rs:42",
            "error:DatabaseTimeout",
        ];
        let got = truth(&c, &queries);
        let lower: Vec<String> = raw.lines().map(str::to_lowercase).collect();
        let word = |w: &str| lower.iter().filter(|l| l.contains(w)).count() as u64;
        let expected = vec![
            count(&|m| m["level"] == "ERROR"),
            count(&|m| m["level"] == "ERROR"),
            count(&|m| lvl(m) >= 2),
            count(&|m| lvl(m) < 1),
            count(&|m| m["service"] == "covet-db" && lvl(m) > 2),
            word("timeout"),
            lower
                .iter()
                .zip(&rows)
                .filter(|(l, m)| l.contains("timeout") && m["level"] != "ERROR")
                .count() as u64,
            word("connection pool exhausted"),
            count(&|m| md(m, "error").is_some()),
            count(&|m| md(m, "error").is_none()),
            count(&|m| {
                md(m, "duration_ms")
                    .and_then(|v| v.as_u64())
                    .is_some_and(|d| d > 1000)
            }),
            count(&|m| {
                md(m, "duration_ms")
                    .and_then(|v| v.as_u64())
                    .is_some_and(|d| d <= 20)
                    && md(m, "status") == Some(Value::from(200))
            }),
            count(&|m| m["tags"].as_array().unwrap().contains(&Value::from("slow"))),
            count(&|m| md(m, "endpoint") == Some(Value::from("/health"))),
            count(&|m| m.get("user_id").and_then(Value::as_str) == Some(first_user.as_str())),
            count(&|m| m.get("trace_id").and_then(Value::as_str) == Some(first_trace.as_str())),
            count(&|m| {
                let t = parse_rfc3339_ns(m["timestamp"].as_str().unwrap()).unwrap();
                t >= since_ns && t < until_ns
            }),
            rows.len() as u64,
            count(&|m| m["source"] == "request.rs:42"),
            count(&|m| md(m, "error") == Some(Value::from("DatabaseTimeout"))),
        ];
        for (i, q) in queries.iter().enumerate() {
            assert_eq!(got[i], expected[i], "query {q:?}");
        }
        // sanity: these are not trivially 0 or everything
        for (i, q) in queries.iter().enumerate() {
            if !q.is_empty() {
                assert!(got[i] > 0 && got[i] < 3000, "{q:?} -> {}", got[i]);
            }
        }
        // a term and its negation partition the entries
        for q in ["timeout", "level:>=WARN", "tags:db", "user_id:user_456"] {
            let r = truth(&c, &[q, &format!("-{q}")]);
            assert_eq!(r[0] + r[1], 3000, "{q}");
        }
    }

    #[test]
    fn truth_text_format_counts_only_written_blocks() {
        let c = cfg(4000, 13, GenFormat::Text);
        let text = String::from_utf8(bytes(&c)).unwrap();
        let parts = text_entries(&text);
        // the most common user in written blocks, found by parsing the text output
        let mut per_user: std::collections::BTreeMap<String, u64> = Default::default();
        let mut with_error = 0;
        let mut timeout_words = 0;
        for lines in &parts {
            let whole = lines.join("\n").to_lowercase();
            if whole.contains("timeout") {
                timeout_words += 1;
            }
            if let Some(start) = lines.iter().position(|l| *l == "{") {
                let v: Value = serde_json::from_str(&lines[start..].join("\n")).unwrap();
                if let Some(u) = v.get("user_id").and_then(Value::as_str) {
                    *per_user.entry(u.to_string()).or_default() += 1;
                }
                if v.get("error").is_some() {
                    with_error += 1;
                }
            }
        }
        let (user, n) = per_user.iter().max_by_key(|(_, n)| **n).unwrap();
        let q = format!("user_id:{user}");
        let got = truth(&c, &[q.as_str(), "error:*", "timeout"]);
        assert_eq!(got, vec![*n, with_error, timeout_words]);
        // JSON sees every entry with that user, so at least as many
        let json = truth(
            &GenConfig {
                format: GenFormat::Json,
                ..c
            },
            &[q.as_str()],
        );
        assert!(json[0] >= got[0]);
        // stack traces are searchable in text only
        let t = truth(&c, &["\"most recent call last\""]);
        let j = truth(
            &GenConfig {
                format: GenFormat::Json,
                ..c
            },
            &["\"most recent call last\""],
        );
        assert!(t[0] > 0);
        assert_eq!(j[0], 0);
    }

    #[test]
    fn truth_on_hand_checked_entries() {
        let mut e = GenEntry {
            id: "log_0000000001".into(),
            ts_ns: DEFAULT_START_NS + 1_500_000, // 00:00:00.001500 -> rendered .001
            level: "WARN",
            service: "covet-db",
            source: "pool.rs:64".into(),
            message: "Slow query detected: 1234ms".into(),
            metadata: vec![
                ("duration_ms".into(), Value::from(1234)),
                (
                    "db".into(),
                    serde_json::json!({"rows": 12, "table": "users"}),
                ),
            ],
            user_id: Some("user_456".into()),
            tags: vec!["db".into(), "slow".into()],
            ..Default::default()
        };
        let check =
            |t: &Truth, e: &GenEntry| (0..t.len()).map(|q| t.matches(q, e)).collect::<Vec<_>>();
        let qs = [
            "level:warn",
            "level:>INFO level:<ERROR",
            "level:>=ERROR",
            "SLOW query",
            "\"query detected: 1234\"",
            "user_id:USER_456",
            "user_id:user_45",
            "tags:slow -tags:api",
            "duration_ms:>=1234 duration_ms:<1235",
            "status:200",
            "since:2024-01-15T00:00:00.001Z",
            "since:2024-01-15T00:00:00.0015Z",
            "until:2024-01-15T00:00:00.002Z",
            "users",
            "service:COVET-DB source:pool.rs:64",
            "-error:*",
        ];
        let want_json = [
            true, true, false, true, true, true, false, true, true, false, true, false, true, true,
            true, true,
        ];
        let tj = Truth::new(GenFormat::Json, &qs).unwrap();
        assert_eq!(check(&tj, &e), want_json);
        // text without block: block-only fields are invisible; "users" (nested table
        // name) is not in the rendered text either
        let tt = Truth::new(GenFormat::Text, &qs).unwrap();
        let mut want_text = want_json;
        want_text[5] = false; // user_id
        want_text[7] = false; // tags
        want_text[8] = false; // duration
        want_text[13] = false; // "users" only in the block
        assert_eq!(check(&tt, &e), want_text);
        e.text_block = true;
        assert_eq!(check(&tt, &e), want_json);
        let mut out = Vec::new();
        render(&e, GenFormat::Text, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2024-01-15 00:00:00.001 [WARN] covet-db pool.rs:64 Slow query detected: 1234ms\n{\n  \"user_id\": \"user_456\",\n  \"duration_ms\": 1234,\n  \"db\": {\n    \"rows\": 12,\n    \"table\": \"users\"\n  },\n  \"tags\": [\n    \"db\",\n    \"slow\"\n  ]\n}\n"
        );
    }

    #[test]
    fn truth_rejects_bad_syntax() {
        let c = cfg(10, 1, GenFormat::Json);
        for q in [
            "level:LOUD",
            "level:>=",
            "\"unterminated",
            "foo:bar",
            "-",
            "duration_ms:>abc",
            "status:",
            "since:yesterday",
            "\"\"",
            "wo\"rd",
            "service:\"a\"b\"",
        ] {
            assert!(truth_checked(&c, &[q]).is_err(), "{q:?} should be rejected");
        }
        assert!(truth_checked(&c, &["endpoint:\"/health\" \"two words\" -x"]).is_ok());
    }

    #[test]
    fn size_mode_and_parse_size() {
        let c = cfg(0, 4, GenFormat::Json);
        let mut out = Vec::new();
        let n = write_logs_size(&c, 100_000, &mut out).unwrap();
        assert!(out.len() >= 100_000);
        let same = bytes(&GenConfig {
            lines: n as usize,
            ..c
        });
        assert_eq!(out, same);
        // the last entry was needed to reach the size
        let fewer = bytes(&GenConfig {
            lines: n as usize - 1,
            ..c
        });
        assert!((fewer.len() as u64) < 100_000);
        assert_eq!(parse_size("1G").unwrap(), 1 << 30);
        assert_eq!(parse_size("512m").unwrap(), 512 << 20);
        assert_eq!(parse_size("64KiB").unwrap(), 64 << 10);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn case_term_is_case_sensitive() {
        let e = GenEntry {
            level: "ERROR",
            service: "covet-api",
            message: "Request Timeout here".into(),
            ..Default::default()
        };
        let t = Truth::new(
            GenFormat::Json,
            &["case:Timeout", "case:timeout", "timeout"],
        )
        .unwrap();
        assert_eq!(
            (t.matches(0, &e), t.matches(1, &e), t.matches(2, &e)),
            (true, false, true)
        );
    }
}
