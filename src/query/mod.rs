//! The query language: lex -> parse (AST) -> compile (prefilter + predicate) -> eval.
//!
//! `lex` and `parse` turn the text into an `ast::Expr` with spans for error carets;
//! `compile` resolves field names, levels, times and wildcards and extracts the literal
//! prefilter; `eval` runs the predicate on a parsed record.

pub mod ast;
pub mod compile;
pub mod error;
pub mod eval;
pub mod lex;
pub mod need;
pub mod parse;
pub mod prefilter;
pub mod words;

pub use compile::{compile, Options, Query};
pub use error::QueryError;
pub use parse::parse;

/// Parses and compiles `text` in the query language (`level:>=WARN service:api
/// timeout`, `AND`/`OR`/`NOT`, `field:/regex/`, `timestamp:>15m`, ...). The error
/// carries the span to put a caret under (`QueryError::render`).
pub fn compile_query(text: &str, opts: &Options) -> Result<Query, QueryError> {
    compile(&parse(text)?, Vec::new(), opts)
}
