//! The query's syntax tree: what the user asked for, as typed, before anything is
//! compiled. The parser (`parse.rs`) builds it; the compile stage turns it into a
//! literal prefilter plus a predicate. Values stay raw strings here (wildcards,
//! numbers, timestamps, levels are interpreted later), and every term keeps the
//! byte span it came from so later stages can point at it in an error message.
//! This module does no matching and no validation of regexes or numbers.
//!
//! `Display` prints a normalized form (explicit `AND`, parenthesized groups,
//! canonical quoting) that parses back to the same tree; `--debug` shows it.

use std::fmt;

/// A byte range `(start, end)` in the query string.
pub type Span = (usize, usize);

/// A boolean combination of terms.
///
/// The parser flattens nested `And`/`Or` of the same kind and collapses a
/// one-element `And`/`Or` to its element. `And(vec![])` is the empty query and
/// matches everything.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Term(Term),
}

/// One leaf of the query, with the span of its source text (a `-` or `NOT` in
/// front of it is not part of the span).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TermKind {
    /// A bare word (`quoted == false`) or a `"quoted phrase"` (escapes removed),
    /// matched against the entry's whole text.
    Text { text: String, quoted: bool },
    /// `/re/`, with `\/` unescaped to `/` and every other backslash kept.
    Regex(String),
    /// `name:<op>`.
    Field { name: String, op: FieldOp },
}

/// What a field term asks of the field's value. Values are raw strings.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldOp {
    /// `f:v` or `f:"v"`; `*` and `?` in the value are wildcards for the compile
    /// stage (quoting does not escape them).
    Equals(String),
    /// `f:~v` or `f:~"v"`.
    Contains(String),
    /// `f:/re/`.
    Regex(String),
    /// `f:>v`, `f:>=v`, `f:<v`, `f:<=v`.
    Cmp(CmpOp, String),
    /// `f:a..b`, `f:..b`, `f:a..`; both ends inclusive. Never both `None`.
    Range(Option<String>, Option<String>),
    /// `f:*`.
    Exists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    /// The operator as the user types it after `field:`.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }
}

impl Expr {
    /// Every term in the tree, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.collect_terms(&mut out);
        out
    }

    fn collect_terms<'a>(&'a self, out: &mut Vec<&'a Term>) {
        match self {
            Expr::And(items) | Expr::Or(items) => {
                for item in items {
                    item.collect_terms(out);
                }
            }
            Expr::Not(inner) => inner.collect_terms(out),
            Expr::Term(term) => out.push(term),
        }
    }
}

/// Queries written apart (saved filters and the typed query), ANDed as one: the text
/// `(a) AND (b)` (a lone part as it is) and the tree that text parses to, built from
/// the parts' own trees, each parsed once, with their spans moved to where the part
/// stands in that text (so a compile error's caret points into it).
pub fn conjoin(parts: Vec<(String, Expr)>) -> (String, Expr) {
    if parts.len() == 1 {
        let (text, expr) = parts.into_iter().next().expect("one part");
        return (text, expr);
    }
    let mut text = String::new();
    let mut items = Vec::new();
    for (i, (part, mut expr)) in parts.into_iter().enumerate() {
        if i > 0 {
            text.push_str(" AND ");
        }
        text.push('(');
        expr.shift(text.len());
        text.push_str(&part);
        text.push(')');
        // The parser flattens an `And` inside an `And`.
        match expr {
            Expr::And(inner) => items.extend(inner),
            other => items.push(other),
        }
    }
    let expr = match items.len() {
        1 => items.pop().expect("one item"),
        _ => Expr::And(items),
    };
    (text, expr)
}

impl Expr {
    /// Moves every span `by` bytes to the right.
    fn shift(&mut self, by: usize) {
        match self {
            Expr::And(items) | Expr::Or(items) => items.iter_mut().for_each(|e| e.shift(by)),
            Expr::Not(inner) => inner.shift(by),
            Expr::Term(term) => term.span = (term.span.0 + by, term.span.1 + by),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(items) => write_joined(f, items, " AND ", |e| matches!(e, Expr::Or(_))),
            // An `And` inside an `Or` needs no parentheses, but they make the
            // precedence visible, which is the point of the debug form.
            Expr::Or(items) => write_joined(f, items, " OR ", |e| matches!(e, Expr::And(_))),
            Expr::Not(inner) => {
                f.write_str("NOT ")?;
                write_child(f, inner, matches!(**inner, Expr::And(_) | Expr::Or(_)))
            }
            Expr::Term(term) => write!(f, "{term}"),
        }
    }
}

fn write_joined(
    f: &mut fmt::Formatter<'_>,
    items: &[Expr],
    sep: &str,
    needs_parens: impl Fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write_child(f, item, needs_parens(item))?;
    }
    Ok(())
}

fn write_child(f: &mut fmt::Formatter<'_>, expr: &Expr, parens: bool) -> fmt::Result {
    if !parens {
        return write!(f, "{expr}");
    }
    let inner = expr.to_string();
    // A bare word may hold an unclosed `(` (`foo(` is one word); a `)` written
    // right after it would be read back as part of the word, so keep them apart.
    let last_chunk = inner.rsplit(char::is_whitespace).next().unwrap_or("");
    let gap = if open_paren_depth(last_chunk) > 0 {
        " "
    } else {
        ""
    };
    write!(f, "({inner}{gap})")
}

/// How many `(` are left open at the end of `s`, counted the way the lexer
/// counts them inside a word.
fn open_paren_depth(s: &str) -> usize {
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TermKind::Text {
                text,
                quoted: false,
            } => f.write_str(text),
            TermKind::Text { text, quoted: true } => write_quoted(f, text),
            TermKind::Regex(re) => write_regex(f, re),
            TermKind::Field { name, op } => {
                write!(f, "{name}:")?;
                match op {
                    FieldOp::Equals(v) => write_value(f, v),
                    FieldOp::Contains(v) => {
                        f.write_str("~")?;
                        write_value(f, v)
                    }
                    FieldOp::Regex(re) => write_regex(f, re),
                    FieldOp::Cmp(op, v) => {
                        f.write_str(op.as_str())?;
                        write_value(f, v)
                    }
                    FieldOp::Range(lo, hi) => write!(
                        f,
                        "{}..{}",
                        lo.as_deref().unwrap_or(""),
                        hi.as_deref().unwrap_or("")
                    ),
                    FieldOp::Exists => f.write_str("*"),
                }
            }
        }
    }
}

/// Writes a value bare when the lexer would read it back unchanged as the same
/// operator, and quoted otherwise (this errs toward quoting).
fn write_value(f: &mut fmt::Formatter<'_>, v: &str) -> fmt::Result {
    let needs_quotes = v.is_empty()
        || v == "*"
        || v.contains("..")
        // `=` too: `f:>` before `=x` would read back as `f:>=` before `x`.
        || v.starts_with(['~', '/', '>', '<', '='])
        || v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '(' | ')'));
    if needs_quotes {
        write_quoted(f, v)
    } else {
        f.write_str(v)
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

fn write_regex(f: &mut fmt::Formatter<'_>, re: &str) -> fmt::Result {
    f.write_str("/")?;
    for c in re.chars() {
        if c == '/' {
            f.write_str("\\/")?;
        } else {
            write!(f, "{c}")?;
        }
    }
    f.write_str("/")
}

#[cfg(test)]
mod conjoin_tests {
    use super::*;

    /// Parts ANDed as trees give the tree their combined text parses to, spans and all.
    #[test]
    fn conjoined_trees_are_what_the_combined_text_parses_to() {
        let cases: &[&[&str]] = &[
            &["level:ERROR"],
            &["level:>=ERROR", "timeout"],
            &["a b", "c"],
            &["a OR b", "NOT c", "d:/x/ e"],
            &["(a OR b) c", "\"quoted phrase\" f:1..2"],
            &["service:api", "a", "b OR (c -d)"],
        ];
        for parts in cases {
            let trees = parts
                .iter()
                .map(|p| (p.to_string(), crate::query::parse(p).expect("part parses")))
                .collect();
            let (text, tree) = conjoin(trees);
            let want = match parts.len() {
                1 => parts[0].to_string(),
                _ => parts
                    .iter()
                    .map(|p| format!("({p})"))
                    .collect::<Vec<_>>()
                    .join(" AND "),
            };
            assert_eq!(text, want);
            assert_eq!(
                tree,
                crate::query::parse(&text).expect("text parses"),
                "{text}"
            );
        }
    }
}
