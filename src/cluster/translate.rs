//! The compiled query (`query::compile::Node`: the AST with field names, levels,
//! times, wildcards and case rules already resolved, and the flag terms and the time
//! window ANDed in) as one DataFusion logical `Expr` over the columns of
//! `cluster::rows`. Translating the compiled tree rather than the text means the case
//! rules, level names, relative times and regex limits are decided once, by the same
//! code, for both engines.
//!
//! Every leaf is wrapped so that it is `true` or `false`, never SQL's null: a missing
//! field fails its test and `NOT` of it passes, as in the local engine. A test on a
//! column is native where DataFusion decides exactly as `query::eval` does (`TESTS`);
//! text terms, metadata, tags and ranges over text go to the functions of `udf`. A
//! leaf with no faithful translation is an error that names it, never a different
//! answer. docs/DISTRIBUTED.md has the table.

use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::lower;
use datafusion::logical_expr::{binary_expr, ident, lit, not, Expr, Operator};

use crate::cluster::rows::{text_column, Formats};
use crate::cluster::udf;
use crate::error::Error;
use crate::format::alias::Field;
use crate::format::level::Level;
use crate::format::timestamp::TimeCtx;
use crate::query::compile::{Bound, Node, Target, Test};

/// What the translation needs besides the tree.
pub struct Scope<'a> {
    /// `-s`: value regexes match case (they were compiled with it).
    pub case_sensitive: bool,
    /// The time context the query was compiled with (entries are parsed with it to
    /// look up metadata; it decides no value there).
    pub ctx: TimeCtx,
    /// The scan's formats, for the functions that parse an entry.
    pub formats: &'a Formats,
}

/// How a test on a text column is translated, by kind of test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// `col IS NOT NULL`.
    NotNull,
    /// `col = v`, or `lower(col) = lower(v)` ignoring case (`str::to_lowercase` on
    /// both sides, which is what `eq_ignore_case` compares by).
    Equal,
    /// `col ~ re` / `col ~* re`: arrow's regex kernel, the same regex crate, the case
    /// flag the pattern was compiled with.
    Regex,
    /// A level or time test on a text value: never passes (`text_passes`).
    False,
    /// A range over text (numbers, times or text, by what the value reads as): the
    /// local test in `covet_field_N`.
    Udf,
}

/// The translation of each kind of test on a text column.
fn via(test: &Test) -> Via {
    match test {
        Test::Exists => Via::NotNull,
        Test::Eq { .. } => Via::Equal,
        Test::Pattern(_) => Via::Regex,
        Test::Level(..) | Test::Time(..) => Via::False,
        Test::Range(..) => Via::Udf,
    }
}

/// The filter for `node`.
pub fn translate(node: &Node, scope: &Scope<'_>) -> Result<Expr, Error> {
    Ok(match node {
        Node::All => lit(true),
        Node::And(items) => fold(items, scope, Expr::and, true)?,
        Node::Or(items) => fold(items, scope, Expr::or, false)?,
        Node::Not(inner) => not(translate(inner, scope)?),
        Node::Text(term) => udf::text(term),
        Node::Field(target, test) => field(target, test, scope)?,
    })
}

fn fold(
    items: &[Node],
    scope: &Scope<'_>,
    join: fn(Expr, Expr) -> Expr,
    empty: bool,
) -> Result<Expr, Error> {
    let mut exprs = items.iter().map(|n| translate(n, scope));
    let Some(first) = exprs.next() else {
        return Ok(lit(empty));
    };
    exprs.try_fold(first?, |acc, e| Ok(join(acc, e?)))
}

/// One field term.
fn field(target: &Target, test: &Test, scope: &Scope<'_>) -> Result<Expr, Error> {
    let local = || udf::field(target, test, scope.formats, scope.ctx);
    Ok(match (target, test) {
        (Target::Std(Field::Level), Test::Exists) => ident("severity").is_not_null(),
        (Target::Std(Field::Level), Test::Level(lo, hi)) => {
            let rank = |l: &Level| lit(*l as u8);
            bounded("severity", lo, hi, rank)
        }
        (Target::Std(Field::Level), other) => on_text("level", other, scope, local)?,
        (Target::Std(Field::Timestamp), Test::Exists) => ident("timestamp").is_not_null(),
        (Target::Std(Field::Timestamp), Test::Time(lo, hi)) => {
            let at = |ns: &i64| {
                lit(ScalarValue::TimestampNanosecond(
                    Some(*ns),
                    Some("UTC".into()),
                ))
            };
            bounded("timestamp", lo, hi, at)
        }
        (Target::Std(Field::Timestamp), Test::Range(..)) => {
            return Err(untranslatable(
                "timestamp range over other values",
                "entries' times are compared as times only",
            ))
        }
        (Target::Std(Field::Timestamp), other) => on_text("timestamp_text", other, scope, local)?,
        // Message is never missing: `message:*` holds for every entry, as locally.
        (Target::Std(Field::Message), Test::Exists) => lit(true),
        (Target::Std(Field::Message), other) => on_text("message", other, scope, local)?,
        (Target::Std(Field::Tags), _) | (Target::Meta(_), _) => local(),
        (Target::Std(f), other) => match text_column(*f) {
            Some(column) => on_text(column, other, scope, local)?,
            None => local(),
        },
    })
}

/// `column` within `lo..hi` (each bound inclusive, exclusive or absent); null fails.
fn bounded<T>(column: &str, lo: &Bound<T>, hi: &Bound<T>, value: impl Fn(&T) -> Expr) -> Expr {
    let c = ident(column);
    let mut e = c.clone().is_not_null();
    match lo {
        Bound::Unbounded => {}
        Bound::Incl(v) => e = e.and(c.clone().gt_eq(value(v))),
        Bound::Excl(v) => e = e.and(c.clone().gt(value(v))),
    }
    match hi {
        Bound::Unbounded => {}
        Bound::Incl(v) => e = e.and(c.lt_eq(value(v))),
        Bound::Excl(v) => e = e.and(c.lt(value(v))),
    }
    e.is_true()
}

/// A test on a text column (null: the field is missing, and the test fails).
fn on_text(
    column: &str,
    test: &Test,
    scope: &Scope<'_>,
    local: impl Fn() -> Expr,
) -> Result<Expr, Error> {
    let c = ident(column);
    Ok(match (via(test), test) {
        (Via::NotNull, _) => c.is_not_null(),
        (Via::Equal, Test::Eq { value, ci: true }) => {
            lower(c).eq(lit(value.to_lowercase())).is_true()
        }
        (Via::Equal, Test::Eq { value, ci: false }) => c.eq(lit(value.clone())).is_true(),
        (Via::Regex, Test::Pattern(re)) => {
            let op = match scope.case_sensitive {
                true => Operator::RegexMatch,
                false => Operator::RegexIMatch,
            };
            binary_expr(c, op, lit(re.as_str().to_string())).is_true()
        }
        (Via::False, _) => lit(false),
        (Via::Udf, _) => local(),
        (via, test) => {
            return Err(untranslatable(
                &format!("{column} test {test:?}"),
                &format!("expected a {via:?} test"),
            ))
        }
    })
}

fn untranslatable(term: &str, why: &str) -> Error {
    Error::new(
        "--engine",
        format!("{term} has no DataFusion translation: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(formats: &Formats) -> Scope<'_> {
        Scope {
            case_sensitive: false,
            ctx: TimeCtx::utc_now_year(),
            formats,
        }
    }

    /// Native tests become the expressions the table promises; the rest become the
    /// local engine's functions.
    #[test]
    fn leaves_translate_as_the_table_says() {
        let formats = Formats::default();
        let opts = crate::query::Options {
            case_sensitive: false,
            regex_words: false,
            ctx: TimeCtx::utc_now_year(),
            now_ns: 0,
        };
        let cases = [
            ("level:>=WARN", "severity IS NOT NULL AND severity >= UInt8(3) IS TRUE"),
            ("service:API", "lower(service) = Utf8(\"api\") IS TRUE"),
            ("user_id:*", "user_id IS NOT NULL"),
            ("service:api-*", "service ~* Utf8(\"^api\\-.*$\") IS TRUE"),
            ("message:*", "Boolean(true)"),
            ("level:ERROR -service:db", "severity IS NOT NULL AND severity >= UInt8(4) AND severity <= UInt8(4) IS TRUE AND NOT lower(service) = Utf8(\"db\") IS TRUE"),
        ];
        for (q, want) in cases {
            let query = crate::query::compile_query(q, &opts).expect(q);
            let e = translate(&query.root, &scope(&formats)).expect(q);
            assert_eq!(e.to_string(), want, "{q}");
        }
        for q in [
            "timeout",
            "/a+b/",
            "duration_ms:>10",
            "tags:slow",
            "service:1..5",
        ] {
            let query = crate::query::compile_query(q, &opts).expect(q);
            let e = translate(&query.root, &scope(&formats))
                .expect(q)
                .to_string();
            assert!(e.starts_with("covet_"), "{q}: {e}");
        }
    }

    /// A leaf the table has no faithful translation for is an error naming it.
    #[test]
    fn an_untranslatable_leaf_is_an_error_naming_it() {
        let formats = Formats::default();
        let node = Node::Field(
            Target::Std(Field::Timestamp),
            Test::Range(Bound::Unbounded, Bound::Unbounded),
        );
        let e = translate(&node, &scope(&formats)).expect_err("refused");
        assert_eq!(e.what, "--engine");
        assert_eq!(
            e.why,
            "timestamp range over other values has no DataFusion translation: entries' times are compared as times only"
        );
    }
}
