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
pub mod parse;
pub mod prefilter;

pub use compile::{compile, Node, Options, Query};
pub use error::QueryError;
pub use parse::parse;
