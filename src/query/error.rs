//! `QueryError`, the one error type of the query front end (lexer, parser, compiler,
//! alert rules), which knows how to show itself as the query with a caret under the
//! offending part. A leaf of `query`: `lex` and `parse` both use it.

use std::fmt;

use crate::query::ast::Span;
use crate::sink::sanitize::mask;

/// What went wrong in a query, and where (a byte span of the query string; an
/// empty span at the query's length points just past its end).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    /// Where in the query: a byte range.
    pub span: Span,
    /// What is wrong there.
    pub message: String,
}

impl QueryError {
    /// Three lines, without a trailing newline: the query, carets under the
    /// span, and the message, each indented by two spaces. Columns count chars,
    /// so a multi-byte char before the span takes one column. Control, bidi and
    /// zero-width chars are shown as `?` (one column each) so the query cannot
    /// drive the terminal and the carets stay aligned.
    pub fn render(&self, query: &str) -> String {
        let (start, end) = self.span;
        let mut column = 0usize;
        let mut width = 0usize;
        for (i, _) in query.char_indices() {
            if i < start {
                column += 1;
            } else if i < end {
                width += 1;
            }
        }
        format!(
            "  {}\n  {}{}\n  {}",
            mask(query),
            " ".repeat(column),
            "^".repeat(width.max(1)),
            mask(&self.message)
        )
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}
