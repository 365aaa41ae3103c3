//! The query tokenizer: splits what the user typed into words, phrases, regexes,
//! field terms, parentheses and the `AND`/`OR`/`NOT`/`-` operators, each with its
//! byte span. Field terms are lexed whole here (`level:>=WARN` is one token), so
//! the parser only deals with boolean structure. It does not build the tree,
//! check regexes, or interpret values (wildcards, numbers, timestamps).
//!
//! Rules worth knowing:
//! - A word or raw value runs to whitespace or to a `)` that it did not open
//!   itself: `main()` is one word, `(a b)` is a group.
//! - `"..."` understands `\"` and `\\`; any other backslash is kept (`"C:\tmp"`).
//!   `/.../` understands `\/`; every other backslash is kept for the regex engine.
//!   A closing quote or slash must be followed by whitespace, `)` or the end.
//! - A token starting with `//` is not a regex (an empty regex is useless), so a
//!   URL-ish word stays a word. `http://x` lexes as field `http` equal to `//x`,
//!   which is what a `name:value` reading gives and is accepted as such.
//! - A `-` directly before a term negates it (`-5` is NOT `5`; quote it to search
//!   for a negative number). `AND`, `OR`, `NOT` are keywords only in uppercase.
//! - In a raw field value `..` makes a range (`f:1..5`), so a value holding `..`
//!   (`path:../x`) must be quoted.

use crate::query::ast::{CmpOp, FieldOp, Span};
use crate::query::error::QueryError;

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A bare word, as typed.
    Word(String),
    /// A `"quoted phrase"`, escapes removed.
    Phrase(String),
    /// A `/regex/`, `\/` unescaped.
    Regex(String),
    /// A whole `name:<op>` term.
    Field(String, FieldOp),
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// A `-` directly in front of a term.
    Minus,
}

/// Splits `query` into tokens, or reports the first lexical error.
pub fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut lexer = Lexer { src: query, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

struct Lexer<'a> {
    src: &'a str,
    /// Byte offset of the next char; always on a char boundary.
    pos: usize,
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '@'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '-')
}

fn error(span: Span, message: impl Into<String>) -> QueryError {
    QueryError {
        span,
        message: message.into(),
    }
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    /// True where a term may end: end of input, whitespace, or `)`.
    fn at_term_end(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) => c.is_whitespace() || c == ')',
        }
    }

    fn next_token(&mut self) -> Result<Option<Token>, QueryError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let kind = match c {
            '(' => {
                self.bump();
                TokenKind::LParen
            }
            ')' => {
                self.bump();
                TokenKind::RParen
            }
            '"' => {
                let text = self.quoted("unterminated quoted phrase")?;
                self.expect_term_end("the closing '\"' of a phrase")?;
                TokenKind::Phrase(text)
            }
            '/' if self.regex_ahead() => {
                let re = self.regex()?;
                self.expect_term_end("the closing '/' of a regex")?;
                TokenKind::Regex(re)
            }
            '-' => {
                self.bump();
                if self.at_term_end() {
                    return Err(error((start, self.pos), "expected a term after '-'"));
                }
                TokenKind::Minus
            }
            _ => self.word_or_field()?,
        };
        Ok(Some(Token {
            kind,
            span: (start, self.pos),
        }))
    }

    fn expect_term_end(&self, after: &str) -> Result<(), QueryError> {
        match self.peek() {
            Some(c) if !self.at_term_end() => Err(error(
                (self.pos, self.pos + c.len_utf8()),
                format!("expected a space or ')' after {after}"),
            )),
            _ => Ok(()),
        }
    }

    /// Reads `"..."` starting at the opening quote; returns the unescaped text.
    fn quoted(&mut self, unterminated: &str) -> Result<String, QueryError> {
        let start = self.pos;
        self.bump();
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(error((start, self.src.len()), unterminated)),
                Some('"') => {
                    self.bump();
                    return Ok(text);
                }
                Some('\\') => {
                    self.bump();
                    match self.peek() {
                        Some(c @ ('"' | '\\')) => {
                            text.push(c);
                            self.bump();
                        }
                        // Kept verbatim so Windows paths and the like survive;
                        // the next char is read on the next turn.
                        _ => text.push('\\'),
                    }
                }
                Some(c) => {
                    text.push(c);
                    self.bump();
                }
            }
        }
    }

    /// Whether a `/` here opens a regex: a closing unescaped `/` follows and ends the
    /// term. Otherwise the text is a plain word or value, so paths such as
    /// `endpoint:/api/v1/users` or `/health` need no quoting.
    fn regex_ahead(&self) -> bool {
        let bytes = self.src.as_bytes();
        if bytes.get(self.pos + 1) == Some(&b'/') {
            return false;
        }
        let mut i = self.pos + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'/' => {
                    return match bytes.get(i + 1) {
                        None => true,
                        Some(c) => c.is_ascii_whitespace() || *c == b')',
                    };
                }
                _ => i += 1,
            }
        }
        false
    }

    /// Reads `/.../` starting at the opening slash; returns the regex source.
    fn regex(&mut self) -> Result<String, QueryError> {
        let start = self.pos;
        self.bump();
        let mut re = String::new();
        loop {
            match self.peek() {
                None => return Err(error((start, self.src.len()), "unterminated regex")),
                Some('/') => {
                    self.bump();
                    return Ok(re);
                }
                Some('\\') => {
                    self.bump();
                    match self.peek() {
                        Some('/') => re.push('/'),
                        // Consume the escaped char with its backslash, so `\\/`
                        // is an escaped backslash followed by the closing slash.
                        Some(c) => {
                            re.push('\\');
                            re.push(c);
                        }
                        None => return Err(error((start, self.src.len()), "unterminated regex")),
                    }
                    self.bump();
                }
                Some(c) => {
                    re.push(c);
                    self.bump();
                }
            }
        }
    }

    /// Reads a raw word or value: up to whitespace or a `)` it did not open.
    fn raw(&mut self) -> &'a str {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                break;
            }
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            self.bump();
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    fn word_or_field(&mut self) -> Result<TokenKind, QueryError> {
        let start = self.pos;
        if self.peek().is_some_and(is_name_start) {
            self.bump();
            while self.peek().is_some_and(is_name_char) {
                self.bump();
            }
            if self.peek() == Some(':') {
                let name = self.src.get(start..self.pos).unwrap_or("").to_string();
                self.bump();
                let op = self.field_op(start, &name)?;
                return Ok(TokenKind::Field(name, op));
            }
            self.pos = start;
        }
        Ok(match self.raw() {
            "AND" => TokenKind::And,
            "OR" => TokenKind::Or,
            "NOT" => TokenKind::Not,
            word => TokenKind::Word(word.to_string()),
        })
    }

    /// Reads what follows `name:`; `start` is where the name began.
    fn field_op(&mut self, start: usize, name: &str) -> Result<FieldOp, QueryError> {
        let missing_value = |lexer: &Self, op: &str| {
            error(
                (start, lexer.pos),
                format!("expected a value after '{name}:{op}'"),
            )
        };
        if self.at_term_end() {
            return Err(missing_value(self, ""));
        }
        match self.peek() {
            Some('"') => {
                let v = self.quoted("unterminated quoted value")?;
                self.expect_term_end("the closing '\"' of a value")?;
                Ok(FieldOp::Equals(v))
            }
            Some('~') => {
                self.bump();
                if self.at_term_end() {
                    return Err(missing_value(self, "~"));
                }
                Ok(FieldOp::Contains(self.value()?))
            }
            Some('/') if self.regex_ahead() => {
                let re = self.regex()?;
                self.expect_term_end("the closing '/' of a regex")?;
                Ok(FieldOp::Regex(re))
            }
            Some(c @ ('>' | '<')) => {
                self.bump();
                let or_equal = self.peek() == Some('=');
                if or_equal {
                    self.bump();
                }
                let op = match (c, or_equal) {
                    ('>', false) => CmpOp::Gt,
                    ('>', true) => CmpOp::Ge,
                    ('<', false) => CmpOp::Lt,
                    _ => CmpOp::Le,
                };
                if self.at_term_end() {
                    return Err(missing_value(self, op.as_str()));
                }
                Ok(FieldOp::Cmp(op, self.value()?))
            }
            _ => {
                let value_start = self.pos;
                let raw = self.raw();
                if raw == "*" {
                    return Ok(FieldOp::Exists);
                }
                let Some((lo, hi)) = raw.split_once("..") else {
                    return Ok(FieldOp::Equals(raw.to_string()));
                };
                if lo.is_empty() && hi.is_empty() {
                    return Err(error(
                        (value_start, self.pos),
                        "expected a value before or after '..' in a range",
                    ));
                }
                let bound = |s: &str| (!s.is_empty()).then(|| s.to_string());
                Ok(FieldOp::Range(bound(lo), bound(hi)))
            }
        }
    }

    /// A quoted or raw value after `~`, `>`, `>=`, `<` or `<=` (caller checked
    /// that one is there).
    fn value(&mut self) -> Result<String, QueryError> {
        if self.peek() == Some('"') {
            let v = self.quoted("unterminated quoted value")?;
            self.expect_term_end("the closing '\"' of a value")?;
            Ok(v)
        } else {
            Ok(self.raw().to_string())
        }
    }
}
