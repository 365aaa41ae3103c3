//! Compiling a parsed query: the predicate tree that `eval` runs on a record, and the
//! literal prefilter that the scanner searches for over raw bytes before parsing.
//!
//! The prefilter is a necessary condition only: every entry that can match contains
//! one of its literals (false positives are fine, false negatives never). Values that
//! a format may escape (`/`, `"`, `\`, non-ASCII in JSON) are not used as literals.

use aho_corasick::AhoCorasick;
use regex::bytes::Regex as BytesRegex;
use regex::Regex;

use crate::format::alias::Field;
use crate::format::level::Level;
use crate::format::timestamp::{self, TimeCtx};
use crate::query::ast::{CmpOp, Expr, FieldOp, Term, TermKind};
use crate::query::error::QueryError;
use crate::query::prefilter::{Lit, Prefilter};

/// How terms are matched.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Words and phrases match only in their own case (`-s`).
    pub case_sensitive: bool,
    /// `--regex`: bare words are regular expressions.
    pub regex_words: bool,
    /// What to assume for times in the query that leave out a zone or a year.
    pub ctx: TimeCtx,
    /// "Now" for relative times in the query (`timestamp:>15m`).
    pub now_ns: i64,
}

impl Options {
    /// The command line's defaults: case-insensitive, bare words as words, relative
    /// times from the clock's now.
    pub fn new(ctx: TimeCtx) -> Options {
        Options {
            case_sensitive: false,
            regex_words: false,
            ctx,
            now_ns: crate::format::timestamp::now_ns(),
        }
    }
}

/// A compiled query.
#[derive(Debug)]
pub struct Query {
    /// The predicate.
    pub(crate) root: Node,
    /// The literal that every matching entry contains, when there is one: searched
    /// over whole chunks before any entry is parsed.
    pub(crate) prefilter: Option<Prefilter>,
    /// Union of the positive text terms, for highlighting.
    pub(crate) highlight: Option<BytesRegex>,
}

impl Query {
    /// Where the first entry in `hay` that can match may be: the offset of the first
    /// occurrence of a literal that every matching entry contains (the prefilter the
    /// scanner jumps with; false positives possible, false negatives never). `None`:
    /// no entry in `hay` matches. A query without such a literal answers `Some(0)`.
    pub fn find_candidate(&self, hay: &[u8]) -> Option<usize> {
        match &self.prefilter {
            Some(pf) => pf.find(hay),
            None => Some(0),
        }
    }

    /// Whether the query has a literal prefilter (see `find_candidate`).
    pub fn has_prefilter(&self) -> bool {
        self.prefilter.is_some()
    }
}

/// The predicate tree.
#[derive(Debug, Clone)]
pub enum Node {
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A word, phrase or regex matched anywhere in the entry's raw text.
    Text(TextTerm),
    Field(Target, Test),
}

/// A text term (or an `OR` of plain words): how it is matched, and the literals of
/// which a matching entry contains one, when there are such literals.
#[derive(Debug, Clone)]
pub struct TextTerm {
    pub matcher: Matcher,
    pub lits: Option<Vec<Lit>>,
    /// Words (`query::words`) that every entry matching the term holds whole.
    pub words: Vec<String>,
}

/// How a text term is matched against an entry's raw bytes.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A word, phrase or regex.
    Regex(BytesRegex),
    /// Any of several plain words (`a OR b OR ...`), in one aho-corasick pass
    /// instead of one regex per word.
    Words(AhoCorasick),
}

impl TextTerm {
    /// Whether the term occurs anywhere in `raw`.
    #[inline]
    pub fn is_match(&self, raw: &[u8]) -> bool {
        // Console loggers colour their output: a term is also matched on the text
        // without colour codes (only looked at when the plain match fails).
        self.is_match_as_written(raw)
            || (crate::format::ansi::has_escape(raw)
                && matches!(crate::format::ansi::strip(raw),
                    std::borrow::Cow::Owned(clean) if self.is_match_as_written(&clean)))
    }

    #[inline]
    fn is_match_as_written(&self, raw: &[u8]) -> bool {
        match &self.matcher {
            Matcher::Regex(re) => re.is_match(raw),
            Matcher::Words(ac) => ac.is_match(raw),
        }
    }
}

/// Size limits of every regex a query compiles (documented in README, "Query
/// language"): past them a pattern is refused, so a search stays linear in the input
/// with a bounded factor instead of taking minutes on a long line.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// The lazy DFA's cache per regex and thread (the regex crate's default, made explicit).
pub const REGEX_DFA_LIMIT: usize = 2 << 20;
/// Most repetitions a regex may ask for, multiplied through nesting (`a{1000}`,
/// `(a{10}){100}`), as RE2 and Go allow.
pub const REGEX_MAX_REPEAT: u64 = 1000;

/// Which value a field term looks at.
#[derive(Debug, Clone)]
pub enum Target {
    Std(Field),
    /// A metadata key or dotted path.
    Meta(String),
}

/// What a field term asks.
#[derive(Debug, Clone)]
pub enum Test {
    Exists,
    /// Case-insensitive (ASCII) or exact equality.
    Eq {
        value: String,
        ci: bool,
    },
    /// Wildcards, contains and regexes.
    Pattern(Regex),
    Level(Bound<Level>, Bound<Level>),
    Time(Bound<i64>, Bound<i64>),
    /// Numbers compare as numbers; other values compare as text.
    Range(Bound<RangeValue>, Bound<RangeValue>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound<T> {
    Unbounded,
    Incl(T),
    Excl(T),
}

#[derive(Debug, Clone, PartialEq)]
pub enum RangeValue {
    Num(f64),
    Time(i64),
    Text(String),
}

/// Like compares with like (numbers, times, text); values of different kinds are
/// unordered.
impl PartialOrd for RangeValue {
    fn partial_cmp(&self, other: &RangeValue) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (RangeValue::Num(a), RangeValue::Num(b)) => a.partial_cmp(b),
            (RangeValue::Time(a), RangeValue::Time(b)) => a.partial_cmp(b),
            (RangeValue::Text(a), RangeValue::Text(b)) => a.partial_cmp(b),
            _ => None,
        }
    }
}

impl Query {
    /// A query that matches everything.
    pub fn all() -> Query {
        Query {
            root: Node::All,
            prefilter: None,
            highlight: None,
        }
    }
}

impl Query {
    /// A query that matches every entry that may match this one: only its literal
    /// prefilter, no predicate (the entries another engine then decides on).
    pub fn candidates(&self) -> Query {
        Query {
            root: Node::All,
            prefilter: self.literals().and_then(Prefilter::new),
            highlight: None,
        }
    }

    /// The literals of which every matching entry holds one: what the prefilter
    /// searches (`None` when the query has no prefilter).
    pub(crate) fn literals(&self) -> Option<Vec<Lit>> {
        self.prefilter.as_ref()?;
        required_literals(&self.root).filter(|lits| !lits.is_empty())
    }
}

/// Compiles a parsed expression, plus extra nodes (from flags) that are ANDed to it.
pub fn compile(expr: &Expr, extra: Vec<Node>, opts: &Options) -> Result<Query, QueryError> {
    let mut nodes = vec![compile_expr(expr, opts)?];
    nodes.extend(extra);
    let root = simplify(Node::And(nodes));
    let prefilter = required_literals(&root)
        .filter(|lits| !lits.is_empty())
        .and_then(Prefilter::new);
    let highlight = highlight_regex(expr, opts);
    Ok(Query {
        root,
        prefilter,
        highlight,
    })
}

fn simplify(node: Node) -> Node {
    match node {
        Node::And(children) => {
            let mut flat = Vec::new();
            for c in children.into_iter().map(simplify) {
                match c {
                    Node::All => {}
                    Node::And(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            match flat.len() {
                0 => Node::All,
                1 => flat.pop().unwrap_or(Node::All),
                _ => Node::And(flat),
            }
        }
        Node::Or(children) => Node::Or(children.into_iter().map(simplify).collect()),
        Node::Not(inner) => Node::Not(Box::new(simplify(*inner))),
        other => other,
    }
}

fn compile_expr(expr: &Expr, opts: &Options) -> Result<Node, QueryError> {
    Ok(match expr {
        Expr::And(items) => Node::And(
            items
                .iter()
                .map(|e| compile_expr(e, opts))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Or(items) => compile_or(items, opts)?,
        Expr::Not(inner) => Node::Not(Box::new(compile_expr(inner, opts)?)),
        Expr::Term(term) => compile_term(term, opts)?,
    })
}

/// An `OR`: its plain words become one `Words` term (one pass over the entry for
/// any number of words); the other alternatives compile one by one.
fn compile_or(items: &[Expr], opts: &Options) -> Result<Node, QueryError> {
    let words: Vec<&str> = items.iter().filter_map(|e| plain_word(e, opts)).collect();
    let merged = match words.len() {
        0 | 1 => None,
        _ => words_term(&words, opts),
    };
    let Some(merged) = merged else {
        return Ok(Node::Or(
            items
                .iter()
                .map(|e| compile_expr(e, opts))
                .collect::<Result<_, _>>()?,
        ));
    };
    let mut nodes = vec![merged];
    for e in items.iter().filter(|e| plain_word(e, opts).is_none()) {
        nodes.push(compile_expr(e, opts)?);
    }
    Ok(match nodes.len() {
        1 => nodes.remove(0),
        _ => Node::Or(nodes),
    })
}

/// The text of a term that matches as a plain byte string under the same case rule
/// aho-corasick applies: a literal word or phrase, ASCII unless case matters (a
/// non-ASCII word ignores case the Unicode way, which stays a regex).
fn plain_word<'e>(expr: &'e Expr, opts: &Options) -> Option<&'e str> {
    match expr {
        Expr::Term(Term {
            kind: TermKind::Text { text, quoted },
            ..
        }) if (!opts.regex_words || *quoted) && (opts.case_sensitive || text.is_ascii()) => {
            Some(text)
        }
        _ => None,
    }
}

/// One aho-corasick automaton for several plain words, with the prefilter literals
/// a single word would give (none if any word is too short to be one). `None` only
/// past aho-corasick's own limits.
fn words_term(words: &[&str], opts: &Options) -> Option<Node> {
    let ci = !opts.case_sensitive;
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(ci)
        .build(words)
        .ok()?;
    let lits = words
        .iter()
        .map(|w| (w.len() >= 2).then(|| Lit::new(w.as_bytes().to_vec(), ci)))
        .collect();
    Some(Node::Text(TextTerm {
        matcher: Matcher::Words(ac),
        lits,
        words: Vec::new(),
    }))
}

fn err(term: &Term, message: String) -> QueryError {
    QueryError {
        span: term.span,
        message,
    }
}

fn compile_term(term: &Term, opts: &Options) -> Result<Node, QueryError> {
    match &term.kind {
        TermKind::Text { text, quoted } => {
            let literal = !opts.regex_words || *quoted;
            let pattern = if literal {
                regex::escape(text)
            } else {
                text.clone()
            };
            // An ASCII literal ignores case the ASCII way, as its prefilter does.
            let re = if literal && text.is_ascii() {
                ascii_regex(&pattern, opts)
            } else {
                text_regex(&pattern, opts)
            }
            .map_err(|e| err(term, e))?;
            let ci = !opts.case_sensitive;
            let piece = uncoloured_piece(text);
            let lits = (literal && piece.len() >= 2 && (!ci || text.is_ascii()))
                .then(|| vec![Lit::new(piece.as_bytes().to_vec(), ci)]);
            // Unicode case folding could match an ASCII letter to another character,
            // which would split a word differently: words only where bytes compare as
            // ASCII.
            let words = if literal && (!ci || text.is_ascii()) {
                crate::query::words::enclosed_words(text)
            } else {
                Vec::new()
            };
            Ok(Node::Text(TextTerm {
                matcher: Matcher::Regex(re),
                lits,
                words,
            }))
        }
        TermKind::Regex(re) => Ok(Node::Text(TextTerm {
            matcher: Matcher::Regex(text_regex(re, opts).map_err(|e| err(term, e))?),
            lits: None,
            words: Vec::new(),
        })),
        TermKind::Field { name, op } => {
            let target = match Field::from_query_name(name) {
                Some(f) => Target::Std(f),
                None => Target::Meta(name.clone()),
            };
            let test = compile_field_op(&target, op, opts).map_err(|e| err(term, e))?;
            Ok(Node::Field(target, test))
        }
    }
}

/// A regex over raw entry bytes; case-insensitive unless `-s`.
fn text_regex(pattern: &str, opts: &Options) -> Result<BytesRegex, String> {
    check_repeats(pattern)?;
    regex::bytes::RegexBuilder::new(pattern)
        .case_insensitive(!opts.case_sensitive)
        .multi_line(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .build()
        .map_err(regex_error)
}

fn ascii_regex(pattern: &str, opts: &Options) -> Result<BytesRegex, String> {
    regex::bytes::RegexBuilder::new(pattern)
        .case_insensitive(!opts.case_sensitive)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .build()
        .map_err(regex_error)
}

fn value_regex(pattern: &str, opts: &Options) -> Result<Regex, String> {
    check_repeats(pattern)?;
    regex::RegexBuilder::new(pattern)
        .case_insensitive(!opts.case_sensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .build()
        .map_err(regex_error)
}

/// The regex crate's error as one clause; its size limit named in our terms.
fn regex_error(e: regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(_) => format!(
            "regex too large: it compiles to more than {} MiB (the limit)",
            REGEX_SIZE_LIMIT >> 20
        ),
        e => format!("invalid regex: {}", first_line(&e.to_string())),
    }
}

/// Refuses a regex whose counted repetitions, multiplied through nesting, exceed
/// `REGEX_MAX_REPEAT`: such a pattern has as many states as it repeats, and a long
/// line would take time proportional to both. A pattern that does not parse is left
/// to the regex crate to report.
fn check_repeats(pattern: &str) -> Result<(), String> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return Ok(());
    };
    let n = repeat_product(&hir);
    if n > REGEX_MAX_REPEAT {
        return Err(format!(
            "regex repeats too much: {n} repetitions (the limit is {REGEX_MAX_REPEAT})"
        ));
    }
    Ok(())
}

/// The largest product of counted repetitions along any path through the regex.
fn repeat_product(hir: &regex_syntax::hir::Hir) -> u64 {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Repetition(r) => {
            let count = u64::from(r.max.unwrap_or(r.min).max(r.min)).max(1);
            count.saturating_mul(repeat_product(&r.sub))
        }
        HirKind::Capture(c) => repeat_product(&c.sub),
        HirKind::Concat(items) | HirKind::Alternation(items) => {
            items.iter().map(repeat_product).max().unwrap_or(1)
        }
        _ => 1,
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .filter(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error:").trim().to_string())
        .next()
        .unwrap_or_else(|| s.lines().last().unwrap_or("").trim().to_string())
}

/// Compiles one field operator for its target field.
pub fn compile_field_op(target: &Target, op: &FieldOp, opts: &Options) -> Result<Test, String> {
    let field = match target {
        Target::Std(f) => Some(*f),
        Target::Meta(_) => None,
    };
    match op {
        FieldOp::Exists => Ok(Test::Exists),
        FieldOp::Equals(v) if field == Some(Field::Level) && Level::is_other_name(v) => {
            Ok(Test::Eq {
                value: v.clone(),
                ci: true,
            })
        }
        FieldOp::Equals(v) if field == Some(Field::Level) => {
            let level = parse_level(v)?;
            Ok(Test::Level(Bound::Incl(level), Bound::Incl(level)))
        }
        FieldOp::Equals(v) if field == Some(Field::Timestamp) && !has_wildcard(v) => {
            // A timestamp prefix: `timestamp:2024-01-15T14` is that hour.
            Ok(Test::Pattern(value_regex(
                &format!("^{}", glob_to_regex(v, false)),
                opts,
            )?))
        }
        FieldOp::Equals(v) if has_wildcard(v) => {
            Ok(Test::Pattern(value_regex(&glob_to_regex(v, true), opts)?))
        }
        FieldOp::Equals(v) => Ok(Test::Eq {
            value: v.clone(),
            ci: !opts.case_sensitive,
        }),
        FieldOp::Contains(v) => Ok(Test::Pattern(value_regex(&regex::escape(v), opts)?)),
        FieldOp::Regex(re) => Ok(Test::Pattern(value_regex(re, opts)?)),
        FieldOp::Cmp(cmp, v) => {
            let (lo, hi) = match cmp {
                CmpOp::Gt => (Some((v, false)), None),
                CmpOp::Ge => (Some((v, true)), None),
                CmpOp::Lt => (None, Some((v, false))),
                CmpOp::Le => (None, Some((v, true))),
            };
            range_test(field, lo, hi, opts)
        }
        FieldOp::Range(lo, hi) => range_test(
            field,
            lo.as_ref().map(|v| (v, true)),
            hi.as_ref().map(|v| (v, true)),
            opts,
        ),
    }
}

fn parse_level(v: &str) -> Result<Level, String> {
    Level::parse_user(v).ok_or_else(|| {
        format!("unknown level '{v}' (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL)")
    })
}

fn bound<T>(b: Option<(T, bool)>) -> Bound<T> {
    match b {
        None => Bound::Unbounded,
        Some((v, true)) => Bound::Incl(v),
        Some((v, false)) => Bound::Excl(v),
    }
}

fn range_test(
    field: Option<Field>,
    lo: Option<(&String, bool)>,
    hi: Option<(&String, bool)>,
    opts: &Options,
) -> Result<Test, String> {
    let lo_hi = (lo.map(|b| b.0), hi.map(|b| b.0));
    match field {
        Some(Field::Level) => {
            let lo = lo
                .map(|(v, i)| parse_level(v).map(|l| (l, i)))
                .transpose()?;
            let hi = hi
                .map(|(v, i)| parse_level(v).map(|l| (l, i)))
                .transpose()?;
            check_order(lo.map(|b| b.0), hi.map(|b| b.0), lo_hi)?;
            Ok(Test::Level(bound(lo), bound(hi)))
        }
        Some(Field::Timestamp) => {
            let parse = |v: &String| timestamp::parse_user_time(v, opts.now_ns, &opts.ctx);
            let lo = lo.map(|(v, i)| parse(v).map(|t| (t, i))).transpose()?;
            let hi = hi.map(|(v, i)| parse(v).map(|t| (t, i))).transpose()?;
            check_order(lo.map(|b| b.0), hi.map(|b| b.0), lo_hi)?;
            Ok(Test::Time(bound(lo), bound(hi)))
        }
        _ => {
            // A number, a time, or a level name (kept as text); anything else is
            // almost always a typo (`duration_ms:>abc`), refused with a caret.
            let value = |v: &String| -> Result<RangeValue, String> {
                if let Ok(n) = v.parse::<f64>() {
                    if n.is_finite() {
                        return Ok(RangeValue::Num(n));
                    }
                }
                match timestamp::parse_str(v.as_bytes(), &opts.ctx) {
                    Some(t) => Ok(RangeValue::Time(t)),
                    None if Level::parse_user(v).is_some() => Ok(RangeValue::Text(v.clone())),
                    None => Err(format!(
                        "'{v}' is not a number, a time or a level, so it cannot bound a range"
                    )),
                }
            };
            let lo = lo.map(|(v, i)| value(v).map(|x| (x, i))).transpose()?;
            let hi = hi.map(|(v, i)| value(v).map(|x| (x, i))).transpose()?;
            check_order(lo.as_ref().map(|b| &b.0), hi.as_ref().map(|b| &b.0), lo_hi)?;
            Ok(Test::Range(bound(lo), bound(hi)))
        }
    }
}

/// Refuses a range whose start is above its end (`duration_ms:10..1`,
/// `level:ERROR..DEBUG`): it can match nothing, and is almost always a typo. Bounds of
/// different kinds (a number and a word) are not compared.
fn check_order<T: PartialOrd>(
    lo: Option<T>,
    hi: Option<T>,
    typed: (Option<&String>, Option<&String>),
) -> Result<(), String> {
    match (lo, hi, typed) {
        (Some(lo), Some(hi), (Some(a), Some(b))) if lo > hi => {
            Err(format!("reversed range: {a} is above {b} (write {b}..{a})"))
        }
        _ => Ok(()),
    }
}

fn has_wildcard(v: &str) -> bool {
    v.contains('*') || v.contains('?')
}

/// `*` any run, `?` one character; anchored at both ends when `anchored`.
fn glob_to_regex(glob: &str, anchored: bool) -> String {
    let mut re = String::with_capacity(glob.len() + 8);
    if anchored {
        re.push('^');
    }
    let mut buf = [0u8; 4];
    for c in glob.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut buf))),
        }
    }
    if anchored {
        re.push('$');
    }
    re
}

/// Bytes that a format may write differently from the query's text.
fn literal_safe(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_control() && !matches!(b, b'"' | b'\\' | b'/'))
}

/// The longest piece of a text term that a console logger never splits with a colour
/// code: colour changes sit between tokens and around separators (`key=`, `INF `,
/// `fmt:`, `[...]`, `|`), so a term such as `addr=:8080` may be written
/// `ESC[36maddr=ESC[0m:8080` and only its pieces are in the raw bytes for sure. The
/// term itself is still matched whole, on the text without colour (`TextTerm::is_match`).
fn uncoloured_piece(text: &str) -> &str {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '=' | ':' | '[' | ']' | '|' | '>' | '<' | ',' | '(' | ')')
    })
    .max_by_key(|p| p.len())
    .unwrap_or("")
}

/// Longest run of `s` that is safe to search raw.
fn longest_safe_run(s: &str) -> &str {
    s.split(|c: char| {
        !c.is_ascii() || c.is_ascii_control() || matches!(c, '"' | '\\' | '/' | '*' | '?')
    })
    .max_by_key(|p| p.len())
    .unwrap_or("")
}

/// Literals of which every matching entry contains at least one (`None`: no such set).
fn required_literals(node: &Node) -> Option<Vec<Lit>> {
    match node {
        Node::All | Node::Not(_) => None,
        Node::Text(t) => t.lits.clone(),
        Node::Field(target, test) => field_literal(target, test),
        Node::And(children) => children
            .iter()
            .filter_map(required_literals)
            .max_by_key(|lits| lits.iter().map(Lit::score).min().unwrap_or(0)),
        Node::Or(children) => {
            let mut all = Vec::new();
            for child in children {
                all.extend(required_literals(child)?);
            }
            Some(all)
        }
    }
}

fn field_literal(target: &Target, test: &Test) -> Option<Vec<Lit>> {
    if matches!(target, Target::Std(Field::Level | Field::Timestamp)) {
        return None;
    }
    let (text, ci) = match test {
        Test::Eq { value, ci } => (value.as_str(), *ci),
        _ => return None,
    };
    let run = if literal_safe(text) {
        text
    } else {
        longest_safe_run(text)
    };
    // Numbers may be written in other forms (`3e4`, `30000.0`): no literal for them.
    if run.len() < 3 || text.parse::<f64>().is_ok() {
        return None;
    }
    Some(vec![Lit::new(run.as_bytes().to_vec(), ci)])
}

/// One regex matching any positive text term, used to highlight matches.
fn highlight_regex(expr: &Expr, opts: &Options) -> Option<BytesRegex> {
    let mut parts = Vec::new();
    collect_positive_text(expr, false, opts, &mut parts);
    if parts.is_empty() {
        return None;
    }
    text_regex(&parts.join("|"), opts).ok()
}

fn collect_positive_text(expr: &Expr, negated: bool, opts: &Options, out: &mut Vec<String>) {
    match expr {
        Expr::And(items) | Expr::Or(items) => {
            for e in items {
                collect_positive_text(e, negated, opts, out);
            }
        }
        Expr::Not(inner) => collect_positive_text(inner, !negated, opts, out),
        Expr::Term(term) if !negated => match &term.kind {
            TermKind::Text { text, quoted } => out.push(if opts.regex_words && !quoted {
                format!("(?:{text})")
            } else {
                regex::escape(text)
            }),
            TermKind::Regex(re) => out.push(format!("(?:{re})")),
            TermKind::Field { .. } => {}
        },
        Expr::Term(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(case_sensitive: bool, regex_words: bool) -> Options {
        Options {
            case_sensitive,
            regex_words,
            ctx: TimeCtx::utc_now_year(),
            now_ns: 0,
        }
    }

    fn compiled(query: &str, o: &Options) -> Result<Query, QueryError> {
        compile(&crate::query::parse(query).expect("parses"), Vec::new(), o)
    }

    /// How many `Words` and regex text terms the predicate holds.
    fn shape(node: &Node) -> (usize, usize) {
        match node {
            Node::Text(TextTerm {
                matcher: Matcher::Words(_),
                ..
            }) => (1, 0),
            Node::Text(_) => (0, 1),
            Node::And(items) | Node::Or(items) => items
                .iter()
                .map(shape)
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
            Node::Not(inner) => shape(inner),
            _ => (0, 0),
        }
    }

    #[test]
    fn plain_words_of_an_or_become_one_automaton() {
        // query, -s, --regex, (Words terms, regex terms)
        let cases = [
            ("a OR b OR c", false, false, (1, 0)),
            ("a OR \"b c\" OR /d/", false, false, (1, 1)),
            ("école OR b", false, false, (0, 2)),
            ("école OR b", true, false, (1, 0)),
            ("a.b OR c", false, true, (0, 2)),
            ("\"a.b\" OR \"c\"", false, true, (1, 0)),
            ("a OR level:ERROR", false, false, (0, 1)),
            ("x (a OR b) -(c OR d)", false, false, (2, 1)),
        ];
        for (q, cs, re, want) in cases {
            let query = compiled(q, &opts(cs, re)).expect(q);
            assert_eq!(shape(&query.root), want, "{q}");
        }
    }

    #[test]
    fn a_words_term_matches_as_the_terms_would() {
        let query = compiled("alpha OR beta_2 OR x", &opts(false, false)).expect("ok");
        let Node::Text(t) = &query.root else {
            panic!("{:?}", query.root)
        };
        for (hay, want) in [
            (&b"ALPHA"[..], true),
            (b"Beta_2", true),
            (b"..X..", true),
            (b"bet", false),
        ] {
            assert_eq!(t.is_match(hay), want, "{hay:?}");
        }
        // `x` is too short to be a literal: no prefilter for the OR.
        assert!(query.prefilter.is_none());
        let query = compiled("alpha OR beta", &opts(true, false)).expect("ok");
        let Node::Text(t) = &query.root else {
            panic!("{:?}", query.root)
        };
        assert!(!t.is_match(b"ALPHA") && t.is_match(b"xbetax"));
        assert!(query.prefilter.is_some());
    }

    #[test]
    fn regex_limits() {
        let o = opts(false, false);
        let cases = [
            ("/a{1000}b/", None),
            (
                "/a{1001}/",
                Some("regex repeats too much: 1001 repetitions"),
            ),
            (
                "/(a{10}){101}/",
                Some("regex repeats too much: 1010 repetitions"),
            ),
            ("/a{10,}b*(c|d{999})/", None),
            ("/a{5}|b{2000}/", Some("2000 repetitions")),
            ("msg:/x{1000000}/", Some("regex repeats too much")),
            ("/\\w{20}/", None),
            (
                "/\\w{50}/",
                Some("regex too large: it compiles to more than 1 MiB"),
            ),
        ];
        for (q, want) in cases {
            match (compiled(q, &o), want) {
                (Ok(_), None) => {}
                (Err(e), Some(w)) => assert!(
                    e.message.starts_with(w) || e.message.contains(w),
                    "{q}: {}",
                    e.message
                ),
                (Ok(_), Some(w)) => panic!("{q}: accepted, want {w}"),
                (Err(e), None) => panic!("{q}: {}", e.message),
            }
        }
    }

    #[test]
    fn reversed_ranges() {
        let o = opts(false, false);
        let cases = [
            (
                "n:10..1",
                Some("reversed range: 10 is above 1 (write 1..10)"),
            ),
            ("n:1..10", None),
            ("n:5..5", None),
            ("n:b..a", Some("'b' is not a number, a time or a level")),
            ("n:1..zz", Some("'zz' is not a number, a time or a level")),
            ("n:>abc", Some("'abc' is not a number, a time or a level")),
            ("n:ERROR..WARN", None),
            (
                "level:FATAL..TRACE",
                Some("reversed range: FATAL is above TRACE"),
            ),
            ("level:INFO..", None),
            (
                "timestamp:2024-01-02..2024-01-01T23:59",
                Some("reversed range"),
            ),
        ];
        for (q, want) in cases {
            match (compiled(q, &o), want) {
                (Ok(_), None) => {}
                (Err(e), Some(w)) => assert!(e.message.starts_with(w), "{q}: {}", e.message),
                (Ok(_), Some(w)) => panic!("{q}: accepted, want {w}"),
                (Err(e), None) => panic!("{q}: {}", e.message),
            }
        }
    }
}
