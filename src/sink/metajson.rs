//! The `metadata` object of `--json` and NDJSON export, serialized from the entry's
//! own JSON bytes. `Record::metadata_json` builds a `serde_json::Map` (every key and
//! value parsed into owned values) only to serialize it again; here each value that is
//! already written the way serde_json would write it (a string without escapes or
//! control characters, an integer, `true`, `false`, `null`) is serialized straight
//! from its bytes, and only the others are parsed, one value at a time. The result is
//! the same object, key for key and byte for byte: the same keys left out (the
//! standard fields'), a nested `metadata` object merged in at the top, the first of
//! duplicate keys kept, OTLP value lists made plain. An object this does not read the
//! same way (escaped keys, many keys, a `metadata` object that is an OTLP AnyValue)
//! gives `None`, and the caller uses `Record::metadata_json`.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::format::json;
use crate::format::otlp;
use crate::format::record::{Meta, Record};

/// More keys than this, and duplicates would cost a quadratic search: left to the map.
const MAX_KEYS: usize = 64;

/// One metadata value, ready to serialize.
enum Out<'a> {
    /// A string that serde_json writes exactly as it is written here.
    Str(&'a str),
    /// Bytes serde_json writes as they are: an integer, `true`, `false`, `null`.
    Verbatim(&'a str),
    /// Any other value, parsed (first of duplicate keys kept, OTLP lists plain).
    Parsed(serde_json::Value),
}

/// The metadata of a JSON record as (key, value) pairs in output order, or `None` when
/// `Record::metadata_json` must build it.
pub struct Metadata<'a> {
    pairs: Vec<(&'a str, Out<'a>)>,
}

impl<'a> Metadata<'a> {
    /// Reads the metadata of `rec` (a JSON record), or `None` (see the module's note).
    pub fn of(rec: &Record<'a>) -> Option<Metadata<'a>> {
        let Meta::Json(obj) = rec.meta else {
            return None;
        };
        let mut pairs = Vec::new();
        let mut ok = true;
        json::walk_pairs(obj, |key, value| {
            ok = add_top(rec, &mut pairs, key, value).is_some();
            ok
        });
        ok.then_some(Metadata { pairs })
    }

    /// No key to write (the object is left out).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// One top-level pair: left out, merged (`metadata`), or added; `None` to give up.
fn add_top<'a>(
    rec: &Record<'a>,
    pairs: &mut Vec<(&'a str, Out<'a>)>,
    key: &'a [u8],
    value: &'a [u8],
) -> Option<()> {
    let key = plain_key(key)?;
    if rec.is_standard_key(key.as_bytes()) {
        return Some(());
    }
    if key == "metadata" && value.first() == Some(&b'{') {
        return merge_object(pairs, value);
    }
    add(pairs, key, value)
}

/// The pairs of a nested `metadata` object, each added unless its key is there.
fn merge_object<'a>(pairs: &mut Vec<(&'a str, Out<'a>)>, obj: &'a [u8]) -> Option<()> {
    let mut inner: Vec<(&'a [u8], &'a [u8])> = Vec::new();
    let whole = json::walk_pairs(obj, |k, v| {
        inner.push((k, v));
        inner.len() <= MAX_KEYS
    });
    // An object with one AnyValue key becomes that value (`otlp::plain`): not merged.
    // Duplicates of that one key collapse to it in the map's parse, so they count too.
    let any_value = inner
        .first()
        .is_some_and(|(k0, _)| k0.ends_with(b"Value") && inner.iter().all(|(k, _)| k == k0));
    if !whole || inner.len() > MAX_KEYS || any_value {
        return None;
    }
    // The object must parse as a whole, as `metadata_json` parses it: each value here.
    let mut merged = Vec::with_capacity(inner.len());
    for (k, v) in inner {
        merged.push((plain_key(k)?, v));
    }
    for (k, v) in merged {
        add(pairs, k, v)?;
    }
    Some(())
}

/// Adds `key: value` unless the key is there already (the first wins).
fn add<'a>(pairs: &mut Vec<(&'a str, Out<'a>)>, key: &'a str, value: &'a [u8]) -> Option<()> {
    if pairs.iter().any(|(k, _)| *k == key) {
        // A duplicate must still parse, as the map's parse of the whole value would.
        return verbatim(value)
            .map(|_| ())
            .or_else(|| parsed(value).map(|_| ()));
    }
    if pairs.len() >= MAX_KEYS {
        return None;
    }
    let out = match verbatim(value) {
        Some(out) => out,
        None => Out::Parsed(parsed(value)?),
    };
    pairs.push((key, out));
    Some(())
}

/// A key without escapes or control characters, as text.
fn plain_key(key: &[u8]) -> Option<&str> {
    if key.iter().any(|&c| c == b'\\' || c < 0x20) {
        return None;
    }
    std::str::from_utf8(key).ok()
}

/// A value serde_json writes back exactly as written.
fn verbatim(value: &[u8]) -> Option<Out<'_>> {
    match value {
        [b'"', body @ .., b'"'] if !body.iter().any(|&c| c == b'\\' || c < 0x20) => {
            std::str::from_utf8(body).ok().map(Out::Str)
        }
        b"true" | b"false" | b"null" => std::str::from_utf8(value).ok().map(Out::Verbatim),
        _ if canonical_integer(value) => std::str::from_utf8(value).ok().map(Out::Verbatim),
        _ => None,
    }
}

/// `0` or `-?[1-9][0-9]*` within 18 digits (an i64, printed back the same).
fn canonical_integer(v: &[u8]) -> bool {
    let digits = v.strip_prefix(b"-").unwrap_or(v);
    match digits {
        [b'0'] => v.len() == 1,
        [b'1'..=b'9', rest @ ..] => rest.len() < 18 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// A value as `metadata_json` reads it: parsed keeping the first of duplicate keys,
/// OTLP lists made plain; `None` when it does not parse (the map would keep the whole
/// object's text then).
fn parsed(value: &[u8]) -> Option<serde_json::Value> {
    let v = json::parse_first_wins(value)?;
    Some(match v {
        v @ (serde_json::Value::Array(_) | serde_json::Value::Object(_)) => otlp::plain(v),
        v => v,
    })
}

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.pairs.len()))?;
        for (k, v) in &self.pairs {
            match v {
                Out::Str(text) => map.serialize_entry(k, text)?,
                Out::Verbatim(text) => map.serialize_entry(k, &Verbatim(text))?,
                Out::Parsed(value) => map.serialize_entry(k, value)?,
            }
        }
        map.end()
    }
}

/// An integer or literal serialized as its own kind (so serde_json writes the bytes).
struct Verbatim<'a>(&'a str);

impl Serialize for Verbatim<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            "true" => s.serialize_bool(true),
            "false" => s.serialize_bool(false),
            "null" => s.serialize_unit(),
            n => match n.parse::<i64>() {
                Ok(i) => s.serialize_i64(i),
                Err(_) => s.serialize_str(n),
            },
        }
    }
}
