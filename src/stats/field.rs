//! Reading one field of a record for `--by` and `--value`, without allocating on the
//! common path: standard fields come from the record's lazy slots; metadata keys in a
//! JSON object are found by searching for `"key":` directly, with the query language's
//! full lookup (exact path, `metadata.` path, any depth, any spelling) as the fallback
//! when that search finds nothing but the object may hold the key.

use std::borrow::Cow;

use memchr::memmem::Finder;

use crate::format::json::{self, Value};
use crate::format::record::{Field, Meta, Raw, Record};

/// A field named on the command line (`--by service`, `--value duration_ms`).
pub struct FieldRef {
    kind: Kind,
}

enum Kind {
    Std(Field),
    Meta(Box<MetaKey>),
}

struct MetaKey {
    /// The metadata name as the query language looks it up.
    path: String,
    /// `"key":` for the direct search.
    needle: Finder<'static>,
    /// The longest letter run of the key (`duration` of `duration_ms`), lowercase and
    /// capitalized: when neither occurs, no spelling of the key can, and the slow full
    /// lookup is skipped. (An all-caps `DURATION_MS` is only found by the exact search.)
    loose: Vec<Finder<'static>>,
}

/// A field's value as found: raw bytes to group by, decoded on demand for display.
pub enum Found<'r> {
    Bytes(&'r [u8], bool),
    Text(Cow<'r, str>),
}

impl<'r> Found<'r> {
    /// The bytes grouping uses (the raw JSON value with its quotes, or plain text).
    pub fn key(&self) -> &[u8] {
        match self {
            Found::Bytes(b, _) => b,
            Found::Text(t) => t.as_bytes(),
        }
    }

    /// The value as text for display.
    pub fn display(&self) -> String {
        match self {
            Found::Bytes(b, true) => json::decode(b).as_text().into_owned(),
            Found::Bytes(b, false) => String::from_utf8_lossy(b).into_owned(),
            Found::Text(t) => t.to_string(),
        }
    }

    /// The value as a number, when it is one (a JSON number or a numeric string).
    pub fn number(&self) -> Option<f64> {
        let b = match self {
            Found::Bytes(b, true) if b.first() == Some(&b'"') => &b[1..b.len().saturating_sub(1)],
            Found::Bytes(b, _) => b,
            Found::Text(t) => t.as_bytes(),
        };
        // Plain integers (the usual durations and counts) without the float parser.
        if !b.is_empty() && b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
            return Some(b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64);
        }
        let n: f64 = std::str::from_utf8(b).ok()?.trim().parse().ok()?;
        n.is_finite().then_some(n)
    }
}

impl FieldRef {
    pub fn new(name: &str) -> FieldRef {
        let kind = match Field::from_query_name(name) {
            Some(f) => Kind::Std(f),
            None => {
                let path = name.strip_prefix("metadata.").unwrap_or(name).to_string();
                let leaf = path.rsplit('.').next().unwrap_or(&path).to_string();
                let run = leaf
                    .split(|c: char| !c.is_alphanumeric())
                    .max_by_key(|r| r.len())
                    .unwrap_or("")
                    .to_lowercase();
                let mut capital = run.clone();
                if let Some(first) = capital.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                let loose = if run.is_empty() {
                    Vec::new()
                } else {
                    vec![
                        Finder::new(run.as_bytes()).into_owned(),
                        Finder::new(capital.as_bytes()).into_owned(),
                    ]
                };
                Kind::Meta(Box::new(MetaKey {
                    needle: json::key_needle(&leaf),
                    loose,
                    path,
                }))
            }
        };
        FieldRef { kind }
    }

    /// The field's value in `rec` (`raw` is the entry's text).
    pub fn get<'r>(&self, rec: &'r Record<'_>) -> Option<Found<'r>> {
        match &self.kind {
            Kind::Std(Field::Level) => rec
                .level()
                .map(|l| Found::Bytes(l.as_str().as_bytes(), false)),
            Kind::Std(f @ (Field::Timestamp | Field::Tags)) => rec.text(*f).map(Found::Text),
            Kind::Std(f) => rec.raw(*f).map(|raw| match raw {
                Raw::Json(b) => Found::Bytes(b, true),
                Raw::Text(b) => Found::Bytes(b, false),
                Raw::Owned(s) => Found::Bytes(s.as_bytes(), false),
            }),
            Kind::Meta(key) => {
                let MetaKey {
                    path,
                    needle,
                    loose,
                } = &**key;
                if let Meta::Json(obj) = rec.meta {
                    if !path.contains('.') {
                        if let Some(v) = direct(obj, needle) {
                            return Some(Found::Bytes(v, true));
                        }
                        if !loose.is_empty() && loose.iter().all(|f| f.find(obj).is_none()) {
                            return None;
                        }
                    }
                }
                let first = rec.lookup(path).into_iter().next()?;
                Some(match first {
                    Value::Null => return None,
                    Value::Str(s) => Found::Text(Cow::Owned(s.into_owned())),
                    other => Found::Text(Cow::Owned(other.as_text().into_owned())),
                })
            }
        }
    }
}

/// `"key":` anywhere in the object (an unescaped `"key":` is always a key), its value.
fn direct<'a>(obj: &'a [u8], needle: &Finder<'_>) -> Option<&'a [u8]> {
    let at = needle.find(obj)?;
    if at == 0 || obj[at - 1] == b'\\' {
        return None;
    }
    let mut start = at + needle.needle().len();
    while obj.get(start).is_some_and(u8::is_ascii_whitespace) {
        start += 1;
    }
    let end = json::value_end(obj, start)?;
    Some(&obj[start..end])
}
