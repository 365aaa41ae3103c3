//! The query parser: turns the tokens from `lex.rs` into an `ast::Expr` (errors are
//! `error::QueryError`).
//! Recursive descent over three levels, loosest first: `OR`, then `AND`
//! (explicit or implied by adjacency), then `NOT`/`-` and parentheses. It does
//! not look inside values; compiling terms into matchers is the next stage.
//!
//! Grammar:
//! ```text
//! query   := or?                      (empty query = And([]) = match all)
//! or      := and ("OR" and)*
//! and     := unary ("AND"? unary)*
//! unary   := ("NOT" | "-") unary | "(" or ")" | term
//! ```

use crate::query::ast::{Expr, Span, Term, TermKind};
use crate::query::error::QueryError;
use crate::query::lex::{lex, Token, TokenKind};

/// Deeper nesting than this (parentheses, `NOT`, `-`) is refused instead of
/// risking the stack on a hostile query.
const MAX_DEPTH: usize = 128;

/// Parses a query. Empty or all-whitespace queries give `Expr::And(vec![])`.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    let tokens = lex(query)?;
    let mut parser = Parser {
        query,
        tokens,
        pos: 0,
        depth: 0,
    };
    if parser.tokens.is_empty() {
        return Ok(Expr::And(Vec::new()));
    }
    let expr = parser.or(None)?;
    match parser.peek() {
        None => Ok(expr),
        // `or` stops only at the end or at a `)` it cannot use.
        Some(token) => Err(error(token.span, "unexpected ')'")),
    }
}

fn error(span: Span, message: impl Into<String>) -> QueryError {
    QueryError {
        span,
        message: message.into(),
    }
}

/// The operator or bracket just before a place where a term is required, used
/// to say what the term was expected after.
type After = Option<(&'static str, Span)>;

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn or(&mut self, after: After) -> Result<Expr, QueryError> {
        let mut items = vec![self.and(after)?];
        while let Some(Token {
            kind: TokenKind::Or,
            span,
        }) = self.peek()
        {
            let after = Some(("OR", *span));
            self.pos += 1;
            items.push(self.and(after)?);
        }
        Ok(flatten(items, Expr::Or, |e| match e {
            Expr::Or(v) => Ok(v),
            other => Err(other),
        }))
    }

    fn and(&mut self, after: After) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary(after)?];
        loop {
            match self.peek() {
                Some(Token {
                    kind: TokenKind::And,
                    span,
                }) => {
                    let after = Some(("AND", *span));
                    self.pos += 1;
                    items.push(self.unary(after)?);
                }
                Some(token) if starts_unary(&token.kind) => items.push(self.unary(None)?),
                _ => break,
            }
        }
        Ok(flatten(items, Expr::And, |e| match e {
            Expr::And(v) => Ok(v),
            other => Err(other),
        }))
    }

    fn unary(&mut self, after: After) -> Result<Expr, QueryError> {
        let Some(token) = self.next() else {
            return Err(self.missing_term(after, None));
        };
        let nests = matches!(
            token.kind,
            TokenKind::Not | TokenKind::Minus | TokenKind::LParen
        );
        if nests && self.depth >= MAX_DEPTH {
            return Err(error(
                token.span,
                format!("query nests too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        let span = token.span;
        let kind = match token.kind {
            TokenKind::Not | TokenKind::Minus => {
                let what = if token.kind == TokenKind::Not {
                    "NOT"
                } else {
                    "'-'"
                };
                self.depth += 1;
                let inner = self.unary(Some((what, span)));
                self.depth -= 1;
                return Ok(Expr::Not(Box::new(inner?)));
            }
            TokenKind::LParen => {
                self.depth += 1;
                let inner = self.or(Some(("'('", span)));
                self.depth -= 1;
                let inner = inner?;
                return match self.next() {
                    Some(Token {
                        kind: TokenKind::RParen,
                        ..
                    }) => Ok(inner),
                    // `or` consumes every token it can, so only the end is left.
                    _ => Err(error(
                        (self.query.len(), self.query.len()),
                        format!(
                            "expected ')' to close '(' at column {}",
                            self.column(span.0)
                        ),
                    )),
                };
            }
            TokenKind::Word(text) => TermKind::Text {
                text,
                quoted: false,
            },
            TokenKind::Phrase(text) => TermKind::Text { text, quoted: true },
            TokenKind::Regex(re) => TermKind::Regex(re),
            TokenKind::Field(name, op) => TermKind::Field { name, op },
            TokenKind::RParen | TokenKind::And | TokenKind::Or => {
                return Err(self.missing_term(after, Some(&token)));
            }
        };
        Ok(Expr::Term(Term { kind, span }))
    }

    /// The error for a place that needed a term but found `found` (or the end).
    fn missing_term(&self, after: After, found: Option<&Token>) -> QueryError {
        match (after, found) {
            (Some((what, at)), None) => error(at, format!("expected a term after {what}")),
            (Some((what, _)), Some(token)) => {
                error(token.span, format!("expected a term after {what}"))
            }
            (None, Some(token)) => match token.kind {
                TokenKind::And => error(token.span, "expected a term before AND"),
                TokenKind::Or => error(token.span, "expected a term before OR"),
                _ => error(token.span, "unexpected ')'"),
            },
            (None, None) => error((self.query.len(), self.query.len()), "expected a term"),
        }
    }

    /// 1-based char column of a byte offset, as shown to the user.
    fn column(&self, offset: usize) -> usize {
        self.query
            .char_indices()
            .take_while(|(i, _)| *i < offset)
            .count()
            + 1
    }
}

fn starts_unary(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Word(_)
            | TokenKind::Phrase(_)
            | TokenKind::Regex(_)
            | TokenKind::Field(..)
            | TokenKind::LParen
            | TokenKind::Not
            | TokenKind::Minus
    )
}

/// Builds an `And`/`Or` from `items`, splicing in children of the same kind
/// (`split` returns them) and collapsing a single item to itself.
fn flatten(
    items: Vec<Expr>,
    build: fn(Vec<Expr>) -> Expr,
    split: fn(Expr) -> Result<Vec<Expr>, Expr>,
) -> Expr {
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match split(item) {
            Ok(children) => flat.extend(children),
            Err(other) => flat.push(other),
        }
    }
    if flat.len() == 1 {
        if let Some(only) = flat.pop() {
            return only;
        }
    }
    build(flat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::ast::{CmpOp, FieldOp};

    /// (query, expected Display of the parsed tree).
    const VALID: &[(&str, &str)] = &[
        // empty = match all
        ("", ""),
        ("   \t ", ""),
        // text terms
        ("timeout", "timeout"),
        ("connection timeout", "connection AND timeout"),
        (r#""connection reset""#, r#""connection reset""#),
        (r#""say \"hi\" \\ now""#, r#""say \"hi\" \\ now""#),
        (r#""C:\tmp""#, r#""C:\\tmp""#),
        ("main()", "main()"),
        ("(call(x))", "call(x)"),
        ("café 日本語", "café AND 日本語"),
        ("or and not", "or AND and AND not"),
        ("a|b", "a|b"),
        ("12:30", "12:30"),
        ("//cdn", "//cdn"),
        // A slash with no closing slash at the end of the term is plain text.
        ("/abc", "/abc"),
        ("/re/i", "/re/i"),
        ("endpoint:/api/v1/users", r#"endpoint:"/api/v1/users""#),
        ("f:/x", r#"f:"/x""#),
        // regex terms
        ("/time(out|d)/", "/time(out|d)/"),
        (r"/a\/b/", r"/a\/b/"),
        (r"/\d+ ms/", r"/\d+ ms/"),
        (r"/a\\/ b", r"/a\\/ AND b"),
        // field equals, wildcards, quoted values
        ("level:ERROR", "level:ERROR"),
        ("msg:time*out?", "msg:time*out?"),
        ("@timestamp:x", "@timestamp:x"),
        ("x-request-id:abc-123", "x-request-id:abc-123"),
        ("k8s.pod_name:web-1", "k8s.pod_name:web-1"),
        (r#"msg:"disk full""#, r#"msg:"disk full""#),
        (r#"msg:"""#, r#"msg:"""#),
        (r#"f:"*""#, r#"f:"*""#),
        ("url:https://x.io/a", "url:https://x.io/a"),
        ("http://x", r#"http:"//x""#),
        ("a:b:c", "a:b:c"),
        // contains
        ("msg:~timeout", "msg:~timeout"),
        (r#"msg:~"broken pipe""#, r#"msg:~"broken pipe""#),
        // field regex
        ("path:/^\\/api\\/v[0-9]+/", r"path:/^\/api\/v[0-9]+/"),
        (
            "msg:/read tcp .* i\\/o timeout/",
            r"msg:/read tcp .* i\/o timeout/",
        ),
        // comparisons
        ("status:>499", "status:>499"),
        ("status:>=500", "status:>=500"),
        ("latency_ms:<10", "latency_ms:<10"),
        ("latency_ms:<=10.5", "latency_ms:<=10.5"),
        ("level:>=WARN", "level:>=WARN"),
        ("ts:>=2024-01-15T14:00:00Z", "ts:>=2024-01-15T14:00:00Z"),
        (r#"ts:<"2024-01-15 14:00""#, r#"ts:<"2024-01-15 14:00""#),
        // ranges
        ("status:500..599", "status:500..599"),
        ("status:..399", "status:..399"),
        ("status:500..", "status:500.."),
        (
            "ts:2024-01-15T14:00:00Z..2024-01-15T15:30:00.250Z",
            "ts:2024-01-15T14:00:00Z..2024-01-15T15:30:00.250Z",
        ),
        ("level:INFO..ERROR", "level:INFO..ERROR"),
        // exists
        ("trace_id:*", "trace_id:*"),
        ("trace_id:**", "trace_id:**"),
        // negation
        ("-level:DEBUG", "NOT level:DEBUG"),
        ("NOT level:DEBUG", "NOT level:DEBUG"),
        (r#"-"health check""#, r#"NOT "health check""#),
        ("-/^GET /", "NOT /^GET /"),
        ("-(a OR b)", "NOT (a OR b)"),
        ("NOT (a b)", "NOT (a AND b)"),
        ("NOT NOT a", "NOT NOT a"),
        ("--a", "NOT NOT a"),
        ("-5", "NOT 5"),
        ("a-b", "a-b"),
        ("NOT a b", "NOT a AND b"),
        // precedence and grouping
        ("a b OR c", "(a AND b) OR c"),
        ("a OR b c", "a OR (b AND c)"),
        ("a AND b OR c AND d", "(a AND b) OR (c AND d)"),
        ("a (b OR c)", "a AND (b OR c)"),
        ("NOT a OR b", "NOT a OR b"),
        ("(a OR b) OR c", "a OR b OR c"),
        ("(a b) c", "a AND b AND c"),
        ("((a))", "a"),
        ("((a OR (b c)) d)", "(a OR (b AND c)) AND d"),
        ("(level:ERROR OR level:WARN)", "level:ERROR OR level:WARN"),
        ("(status:>=500)", "status:>=500"),
        ("(f:a(b))", "f:\"a(b)\""),
        (
            "level:ERROR (msg:~timeout OR status:>=500) -service:health",
            "level:ERROR AND (msg:~timeout OR status:>=500) AND NOT service:health",
        ),
        ("NOT (a foo( )", "NOT (a AND foo( )"),
    ];

    #[test]
    fn valid_queries() {
        for (query, expected) in VALID {
            match parse(query) {
                Ok(expr) => assert_eq!(expr.to_string(), *expected, "query: {query:?}"),
                Err(e) => panic!("query {query:?} failed:\n{}", e.render(query)),
            }
        }
    }

    /// (query, expected span, expected message substring).
    const INVALID: &[(&str, Span, &str)] = &[
        ("level:", (0, 6), "expected a value after 'level:'"),
        ("level: x", (0, 6), "expected a value after 'level:'"),
        ("(level:)", (1, 7), "expected a value after 'level:'"),
        ("msg:~", (0, 5), "expected a value after 'msg:~'"),
        ("n:>= 5", (0, 4), "expected a value after 'n:>='"),
        ("n:<", (0, 3), "expected a value after 'n:<'"),
        ("n:..", (2, 4), "expected a value before or after '..'"),
        (r#"a "open"#, (2, 7), "unterminated quoted phrase"),
        (r#""esc \""#, (0, 7), "unterminated quoted phrase"),
        (r#"msg:"x"#, (4, 6), "unterminated quoted value"),
        (
            r#""a"b"#,
            (3, 4),
            "expected a space or ')' after the closing '\"'",
        ),
        ("(a b", (4, 4), "expected ')' to close '(' at column 1"),
        ("x (a (b)", (8, 8), "expected ')' to close '(' at column 3"),
        ("a )", (2, 3), "unexpected ')'"),
        (")", (0, 1), "unexpected ')'"),
        ("(a))", (3, 4), "unexpected ')'"),
        ("()", (1, 2), "expected a term after '('"),
        ("NOT", (0, 3), "expected a term after NOT"),
        ("a NOT", (2, 5), "expected a term after NOT"),
        ("NOT )", (4, 5), "expected a term after NOT"),
        ("a -", (2, 3), "expected a term after '-'"),
        ("- a", (0, 1), "expected a term after '-'"),
        ("(-)", (1, 2), "expected a term after '-'"),
        ("-OR a", (1, 3), "expected a term after '-'"),
        ("a OR", (2, 4), "expected a term after OR"),
        ("a OR OR b", (5, 7), "expected a term after OR"),
        ("a AND", (2, 5), "expected a term after AND"),
        ("OR a", (0, 2), "expected a term before OR"),
        ("AND a", (0, 3), "expected a term before AND"),
        ("(OR a)", (1, 3), "expected a term after '('"),
    ];

    #[test]
    fn invalid_queries() {
        for (query, span, message) in INVALID {
            match parse(query) {
                Ok(expr) => panic!("query {query:?} parsed as {expr}"),
                Err(e) => {
                    assert_eq!(e.span, *span, "query {query:?}: {}", e.message);
                    assert!(
                        e.message.contains(message),
                        "query {query:?}: message {:?} lacks {message:?}",
                        e.message
                    );
                }
            }
        }
    }

    #[test]
    fn too_deep_is_an_error_not_a_crash() {
        for unit in ["(", "NOT ", "-"] {
            let query = format!("{}a", unit.repeat(100_000));
            let err = parse(&query).expect_err("must refuse");
            assert!(err.message.contains("nests too deeply"), "{}", err.message);
        }
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(parse(&ok).map(|e| e.to_string()), Ok("a".to_string()));
    }

    #[test]
    fn render_points_at_chars_not_bytes() {
        let query = "héllo level: x";
        let err = parse(query).expect_err("empty value");
        assert_eq!(
            err.render(query),
            "  héllo level: x\n        ^^^^^^\n  expected a value after 'level:'"
        );

        let query = "日本 (a OR b";
        let err = parse(query).expect_err("unclosed");
        assert_eq!(
            err.render(query),
            "  日本 (a OR b\n            ^\n  expected ')' to close '(' at column 4"
        );

        let query = "é\u{1b}[31m \"open";
        let err = parse(query).expect_err("unterminated");
        assert_eq!(
            err.render(query),
            "  é?[31m \"open\n         ^^^^^\n  unterminated quoted phrase"
        );

        // Bidi overrides, zero-width and C1 controls: the same test as every other
        // stream (`sink::sanitize`), masked one column each.
        let query = "a\u{202e}b\u{200b}\u{9b} \"open";
        let err = parse(query).expect_err("unterminated");
        assert_eq!(
            err.render(query),
            "  a?b?? \"open\n        ^^^^^\n  unterminated quoted phrase"
        );
    }

    #[test]
    fn render_survives_foreign_spans() {
        let err = QueryError {
            span: (1, 1000),
            message: "x".into(),
        };
        assert_eq!(err.render("éa"), "  éa\n   ^\n  x");
        let err = QueryError {
            span: (50, 10),
            message: "x".into(),
        };
        assert_eq!(err.render("éa"), "  éa\n    ^\n  x");
    }

    #[test]
    fn terms_and_spans() {
        let query = "level:ERROR -\"a b\" OR /x/ (msg:~y)";
        let expr = parse(query).expect("valid");
        let terms = expr.terms();
        let texts: Vec<&str> = terms.iter().map(|t| &query[t.span.0..t.span.1]).collect();
        assert_eq!(texts, ["level:ERROR", "\"a b\"", "/x/", "msg:~y"]);
        assert_eq!(
            terms[0].kind,
            TermKind::Field {
                name: "level".into(),
                op: FieldOp::Equals("ERROR".into())
            }
        );
    }

    #[test]
    fn field_ops_in_the_tree() {
        let op = |q: &str| match parse(q) {
            Ok(Expr::Term(Term {
                kind: TermKind::Field { op, .. },
                ..
            })) => op,
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(op("a:b*"), FieldOp::Equals("b*".into()));
        assert_eq!(op("a:~b"), FieldOp::Contains("b".into()));
        assert_eq!(op(r"a:/b\/c\d/"), FieldOp::Regex(r"b/c\d".into()));
        assert_eq!(op("a:>=1"), FieldOp::Cmp(CmpOp::Ge, "1".into()));
        assert_eq!(op("a:<1"), FieldOp::Cmp(CmpOp::Lt, "1".into()));
        assert_eq!(
            op("a:1..2"),
            FieldOp::Range(Some("1".into()), Some("2".into()))
        );
        assert_eq!(op("a:..2"), FieldOp::Range(None, Some("2".into())));
        assert_eq!(op("a:1.."), FieldOp::Range(Some("1".into()), None));
        assert_eq!(op("a:*"), FieldOp::Exists);
        assert_eq!(
            parse("\"x\""),
            Ok(Expr::Term(Term {
                kind: TermKind::Text {
                    text: "x".into(),
                    quoted: true
                },
                span: (0, 3)
            }))
        );
    }

    /// Random queries from an alphabet heavy in syntax: parsing never panics,
    /// errors point inside the query on char boundaries, and a successful parse
    /// prints a form that parses back to the same tree.
    #[test]
    fn fuzz_never_panics_and_round_trips() {
        const ALPHABET: &[&str] = &[
            "a", "b", "Z", "_", "@", "-", ".", "..", ":", "~", "*", "?", ">", "<", "=", "/", "\\",
            "\"", "(", ")", " ", " ", "\t", "AND", "OR", "NOT", "é", "日", "\u{1b}", "\u{202e}",
            "0", "9", "|", "level:", "//",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut ok, mut err) = (0, 0);
        for _ in 0..50_000 {
            let len = (next() % 12) as usize;
            let query: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            match parse(&query) {
                Ok(expr) => {
                    ok += 1;
                    for term in expr.terms() {
                        let (s, e) = term.span;
                        assert!(query.get(s..e).is_some(), "{query:?}: term span {s}..{e}");
                    }
                    let shown = expr.to_string();
                    match parse(&shown) {
                        Ok(again) => {
                            assert_eq!(again.to_string(), shown, "query {query:?}");
                            let kinds = |e: &Expr| -> Vec<TermKind> {
                                e.terms().into_iter().map(|t| t.kind.clone()).collect()
                            };
                            assert_eq!(kinds(&again), kinds(&expr), "query {query:?}");
                        }
                        Err(e) => panic!("{query:?} printed as {shown:?} which fails: {e:?}"),
                    }
                }
                Err(e) => {
                    err += 1;
                    let (s, end) = e.span;
                    assert!(s <= end && end <= query.len(), "{query:?}: {e:?}");
                    assert!(
                        query.is_char_boundary(s) && query.is_char_boundary(end),
                        "{query:?}: {e:?}"
                    );
                    assert_eq!(e.render(&query).lines().count(), 3);
                }
            }
        }
        assert!(ok > 1000 && err > 1000, "ok {ok}, err {err}");
    }
}
