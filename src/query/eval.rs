//! Evaluating a compiled query on one entry: text terms on the raw bytes, field terms
//! on the parsed record (decoded on demand).

use std::borrow::Cow;

use crate::entry::Entry;
use crate::format::json::{self, Value};
use crate::format::record::{text_value, Field, Record};
use crate::format::{pattern, quick, timestamp, Format};
use crate::query::compile::{Bound, Node, RangeValue, Target, Test};
use crate::query::probe;

impl crate::query::Query {
    /// Whether `entry`, of `format`, matches the query (parsed only if a field term
    /// needs its record).
    pub fn matches(&self, entry: &Entry<'_>, format: Format, ctx: &timestamp::TimeCtx) -> bool {
        let parse = |raw| format.parse(raw, ctx);
        matches(&self.root, entry, &mut None, &parse, format)
    }

    /// `matches`, sharing the entry's record with the caller (parsed at most once for
    /// several queries over the same entry).
    pub fn matches_record<'a>(
        &self,
        entry: &Entry<'a>,
        rec: &mut Option<Record<'a>>,
        format: Format,
        ctx: &timestamp::TimeCtx,
    ) -> bool {
        let parse = |raw| format.parse(raw, ctx);
        matches(&self.root, entry, rec, &parse, format)
    }
}

/// Whether the entry matches. `rec` is parsed lazily: text-only queries never parse.
/// `format` is the entry's format: for JSON lines and the formats defined as data, a
/// level test can often be answered from the raw bytes without building a record.
pub fn matches<'a, F>(
    node: &Node,
    entry: &Entry<'a>,
    rec: &mut Option<Record<'a>>,
    parse: &F,
    format: Format,
) -> bool
where
    F: Fn(&'a [u8]) -> Record<'a>,
{
    match node {
        Node::Field(Target::Std(Field::Level), Test::Level(lo, hi))
            if rec.is_none()
                && matches!(
                    format,
                    Format::Json | Format::Pattern(_) | Format::Wrapped(..)
                ) =>
        {
            match quick::level(format, entry.raw) {
                Some(level) => level.is_some_and(|l| in_range(&l, lo, hi)),
                None => {
                    let r = rec.get_or_insert_with(|| parse(entry.raw));
                    field_matches(r, &Target::Std(Field::Level), &Test::Level(*lo, *hi))
                }
            }
        }
        // A metadata term on a JSON line or a text format: the value is read from the
        // bytes where they decide it, no record.
        Node::Field(target @ Target::Meta(name), test)
            if rec.is_none() && matches!(format, Format::Json | Format::Pattern(_)) =>
        {
            match meta_from_bytes(format, entry.raw, name, test) {
                Some(hit) => hit,
                None => {
                    let r = rec.get_or_insert_with(|| parse(entry.raw));
                    field_matches(r, target, test)
                }
            }
        }
        Node::All => true,
        Node::And(items) => items.iter().all(|n| matches(n, entry, rec, parse, format)),
        Node::Or(items) => items.iter().any(|n| matches(n, entry, rec, parse, format)),
        Node::Not(inner) => !matches(inner, entry, rec, parse, format),
        Node::Text(t) => t.is_match(entry.raw),
        Node::Field(target, test) => {
            let r = rec.get_or_insert_with(|| parse(entry.raw));
            field_matches(r, target, test)
        }
    }
}

/// Whether a record's field passes a test.
pub fn field_matches(rec: &Record<'_>, target: &Target, test: &Test) -> bool {
    match target {
        Target::Std(Field::Level) => match test {
            Test::Exists => rec.level().is_some(),
            Test::Level(lo, hi) => rec.level().is_some_and(|l| in_range(&l, lo, hi)),
            // A level that is none of the six is compared as written (`level:http`).
            other => match rec.level() {
                Some(l) => text_passes(l.as_str(), other),
                None => rec.level_text().is_some_and(|t| text_passes(&t, other)),
            },
        },
        Target::Std(Field::Timestamp) => match test {
            Test::Exists => rec.ts().is_some(),
            Test::Time(lo, hi) => rec.ts().is_some_and(|t| in_range(&t, lo, hi)),
            Test::Range(lo, hi) => rec.ts().is_some_and(|t| {
                let v = RangeValue::Time(t);
                range_passes(&v, lo, hi)
            }),
            other => rec
                .ts()
                .is_some_and(|t| text_passes(&timestamp::format_rfc3339_ms(t), other)),
        },
        Target::Std(Field::Tags) => {
            let tags = rec.tags();
            match test {
                Test::Exists => !tags.is_empty(),
                other => tags.iter().any(|t| text_passes(t, other)),
            }
        }
        Target::Std(Field::Message) => {
            let msg = rec.message();
            text_passes(&msg, test)
        }
        Target::Std(field) => match rec.text(*field) {
            None => false,
            Some(_) if matches!(test, Test::Exists) => true,
            Some(v) => text_passes(&v, test),
        },
        Target::Meta(name) => values_pass(&rec.lookup(name), test),
    }
}

/// Whether metadata field `name` of an entry passes `test`, read from its bytes: a JSON
/// line's value by `probe`, a text format's group by `pattern::quick_field`; `None`
/// when the record must be parsed to know.
fn meta_from_bytes(format: Format, raw: &[u8], name: &str, test: &Test) -> Option<bool> {
    match format {
        Format::Json => probe::any_value(raw, name, |v| value_passes(&json::decode(v), test)),
        Format::Pattern(id) => pattern::quick_field(id, name, raw)
            .map(|value| value.is_some_and(|v| value_passes(&text_value(v), test))),
        _ => None,
    }
}

/// Whether a metadata field's values pass a test (any one of them; `Exists`: there is one).
fn values_pass(values: &[Value<'_>], test: &Test) -> bool {
    match test {
        Test::Exists => !values.is_empty(),
        other => values.iter().any(|v| value_passes(v, other)),
    }
}

fn in_range<T: PartialOrd>(v: &T, lo: &Bound<T>, hi: &Bound<T>) -> bool {
    let lo_ok = match lo {
        Bound::Unbounded => true,
        Bound::Incl(b) => v >= b,
        Bound::Excl(b) => v > b,
    };
    let hi_ok = match hi {
        Bound::Unbounded => true,
        Bound::Incl(b) => v <= b,
        Bound::Excl(b) => v < b,
    };
    lo_ok && hi_ok
}

/// A text value against a test (ranges compare as numbers when both sides are).
fn text_passes(v: &str, test: &Test) -> bool {
    match test {
        Test::Exists => true,
        Test::Eq { value, ci } => {
            if *ci {
                eq_ignore_case(v, value)
            } else {
                v == value
            }
        }
        Test::Pattern(re) => re.is_match(v),
        Test::Level(..) | Test::Time(..) => false,
        Test::Range(lo, hi) => range_passes(&typed(Cow::Borrowed(v)), lo, hi),
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn value_passes(v: &Value<'_>, test: &Test) -> bool {
    match (v, test) {
        (Value::Num(n), Test::Range(lo, hi)) => range_passes(&RangeValue::Num(*n), lo, hi),
        (Value::Num(n), Test::Eq { value, .. }) => match value.parse::<f64>() {
            Ok(q) => *n == q,
            Err(_) => text_passes(&v.as_text(), test),
        },
        (Value::Container(_), Test::Eq { .. } | Test::Range(..)) => false,
        _ => text_passes(&v.as_text(), test),
    }
}

/// A text value typed for range comparison: a number, else a time, else text.
fn typed(v: Cow<'_, str>) -> RangeValue {
    if let Ok(n) = v.trim().parse::<f64>() {
        if n.is_finite() {
            return RangeValue::Num(n);
        }
    }
    let ctx = timestamp::TimeCtx::utc_now_year();
    match timestamp::parse_str(v.as_bytes(), &ctx) {
        Some(t) => RangeValue::Time(t),
        None => RangeValue::Text(v.into_owned()),
    }
}

/// Compares only like with like: a number with a number bound, a time with a time bound.
fn range_passes(v: &RangeValue, lo: &Bound<RangeValue>, hi: &Bound<RangeValue>) -> bool {
    fn side(v: &RangeValue, b: &Bound<RangeValue>, lower: bool) -> bool {
        let (bv, incl) = match b {
            Bound::Unbounded => return true,
            Bound::Incl(x) => (x, true),
            Bound::Excl(x) => (x, false),
        };
        match v.partial_cmp(bv) {
            None => false,
            Some(std::cmp::Ordering::Equal) => incl,
            Some(std::cmp::Ordering::Greater) => lower,
            Some(std::cmp::Ordering::Less) => !lower,
        }
    }
    side(v, lo, true) && side(v, hi, false)
}
