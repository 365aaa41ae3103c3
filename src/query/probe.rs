//! A metadata field test answered straight from a JSON line's bytes, before any record
//! is built: the fast path of `eval` for a term such as `duration_ms:>10000`,
//! `status:500..599` or `metadata.endpoint:/api/*` on JSON lines, which must look at
//! every entry. It finds the same values `Record::lookup` finds, in the same order of
//! preference (a top-level key; else the key inside a `metadata` object; else a flat
//! `metadata.key`; else the key at any depth), but in one walk over the top-level pairs
//! with keys compared against the name normalized once, no allocation, and a second
//! walk only inside `metadata`; the search at every depth runs only when some value
//! walked past (an object, an array with a `{`) can hold keys below it. A line it
//! cannot read this way (not an object, an OTLP batch, a key with escapes, a dotted
//! name) gives `None`: the caller parses the record.

use crate::format::json;
use crate::format::otlp;
use crate::format::text::strip_bom;

/// The longest field name the probe normalizes on the stack; longer ones are parsed.
const MAX_NAME: usize = 64;

/// A field name as keys are compared with it: ASCII lowercase, `_` and `-` dropped
/// (`json::names_equal`).
struct Name {
    buf: [u8; MAX_NAME],
    len: usize,
}

impl Name {
    fn new(name: &[u8]) -> Option<Name> {
        let mut buf = [0u8; MAX_NAME];
        let mut len = 0;
        for &c in name.iter().filter(|&&c| c != b'_' && c != b'-') {
            *buf.get_mut(len)? = c.to_ascii_lowercase();
            len += 1;
        }
        Some(Name { buf, len })
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Whether a key (still escaped) may name this field: false only when its first
    /// byte proves it cannot (a letter other than the name's first; not `\\`, `_`, `-`).
    /// One compare rejects most keys before any other look at them.
    #[inline(always)]
    fn may_be(&self, key: &[u8]) -> bool {
        match (key.first(), self.bytes().first()) {
            (Some(&c), Some(&want)) if !matches!(c, b'\\' | b'_' | b'-') => {
                c.to_ascii_lowercase() == want
            }
            _ => true,
        }
    }

    /// Whether an unescaped key names this field (`json::names_equal`).
    #[inline]
    fn is(&self, key: &[u8]) -> bool {
        let want = self.bytes();
        let mut j = 0;
        for &c in key {
            if c == b'_' || c == b'-' {
                continue;
            }
            if want.get(j) != Some(&c.to_ascii_lowercase()) {
                return false;
            }
            j += 1;
        }
        j == want.len()
    }
}

/// Whether any value of metadata field `name` in the JSON line `raw` passes `test`
/// (given each value's raw JSON text), exactly as over `Record::lookup`'s values;
/// `None` when the line must be parsed to know.
pub fn any_value(raw: &[u8], name: &str, mut test: impl FnMut(&[u8]) -> bool) -> Option<bool> {
    let obj = json::trim_ascii(strip_bom(raw));
    if obj.first() != Some(&b'{') || otlp::is_batch(obj) {
        return None;
    }
    let name = name.strip_prefix("metadata.").unwrap_or(name);
    if name.contains('.') {
        return None;
    }
    let key = Name::new(name.as_bytes())?;
    match first_value(obj, &key)? {
        Looked::Found(value) => Some(test(value)),
        // No container that could hold the key deeper: no leaf either.
        Looked::Absent { nested: false } => Some(false),
        Looked::Absent { nested: true } => {
            // At any depth of the object alone (the walks above stop at its end; a
            // stack trace after it is not searched).
            let (obj, _) = json::split_entry(obj);
            let mut leaves = Vec::new();
            json::find_leaves(obj, name, &mut leaves, 0);
            Some(leaves.into_iter().any(test))
        }
    }
}

/// What the walks found before `Record::lookup`'s fall back to leaves at any depth.
enum Looked<'a> {
    /// The value the lookup takes.
    Found(&'a [u8]),
    /// None; `nested`: some value walked past may hold keys deeper (an object, or an
    /// array with a `{` in it), so the leaves must be searched.
    Absent { nested: bool },
}

/// Whether a value walked past may hold keys below it.
#[inline(always)]
fn may_hold_keys(v: &[u8]) -> bool {
    match v.first() {
        Some(b'{') => true,
        Some(b'[') => memchr::memchr(b'{', v).is_some(),
        _ => false,
    }
}

/// The value `Record::lookup` takes before it falls back to leaves at any depth, or
/// that there is none; `None` when a key has escapes.
fn first_value<'a>(obj: &'a [u8], name: &Name) -> Option<Looked<'a>> {
    const METADATA: &[u8] = b"metadata";
    let meta = Name::new(METADATA)?;
    let mut flat = [0u8; MAX_NAME + METADATA.len()];
    flat[..METADATA.len()].copy_from_slice(METADATA);
    flat[METADATA.len()] = b'.';
    flat[METADATA.len() + 1..][..name.len].copy_from_slice(name.bytes());
    let flat = Name::new(&flat[..METADATA.len() + 1 + name.len])?;

    let mut found = None;
    let mut escaped = false;
    // The `metadata` objects to look in, in order; a later duplicate of a key already
    // met is not (the first of duplicate keys wins).
    let mut metas: [(&[u8], Option<&[u8]>); 4] = [(&[], None); 4];
    let mut n_metas = 0;
    let mut flat_value = None;
    let mut nested = false;
    json::walk_pairs(obj, |k, v| {
        // `metadata` and `metadata.NAME` share their first letter.
        if !name.may_be(k) && !meta.may_be(k) {
            nested |= may_hold_keys(v);
            return true;
        }
        if k.contains(&b'\\') {
            escaped = true;
            return false;
        }
        if name.is(k) {
            found = Some(v);
            return false;
        }
        if meta.is(k) && !metas[..n_metas].iter().any(|(seen, _)| *seen == k) {
            if n_metas == metas.len() {
                escaped = true; // unusual: leave it to the full lookup
                return false;
            }
            // An object walked below, whose own values are looked at there.
            let walked = (v.first() == Some(&b'{')).then_some(v);
            nested |= walked.is_none() && may_hold_keys(v);
            metas[n_metas] = (k, walked);
            n_metas += 1;
            return true;
        }
        nested |= may_hold_keys(v);
        if !meta.is(k) && flat_value.is_none() && flat.is(k) {
            flat_value = Some(v);
        }
        true
    });
    if escaped {
        return None;
    }
    if let Some(v) = found {
        return Some(Looked::Found(v));
    }
    for inner in metas[..n_metas].iter().filter_map(|(_, v)| *v) {
        let mut inner_escaped = false;
        json::walk_pairs(inner, |k, v| {
            nested |= may_hold_keys(v);
            if !name.may_be(k) {
                return true;
            }
            if k.contains(&b'\\') {
                inner_escaped = true;
                return false;
            }
            if name.is(k) {
                found = Some(v);
                return false;
            }
            true
        });
        if inner_escaped {
            return None;
        }
        if let Some(v) = found {
            return Some(Looked::Found(v));
        }
    }
    Some(match flat_value {
        Some(v) => Looked::Found(v),
        None => Looked::Absent { nested },
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::format::json::decode;
    use crate::format::timestamp::TimeCtx;
    use crate::format::Format;

    /// The full parse's answer: `Record::lookup`'s values, compared as text.
    pub(crate) fn full(raw: &[u8], name: &str) -> Vec<String> {
        let rec = Format::Json.parse(raw, &TimeCtx::utc_now_year());
        rec.lookup(name)
            .iter()
            .map(|v| v.as_text().into_owned())
            .collect()
    }

    /// The probe's answer as the same list (every value that the test is offered).
    pub(crate) fn probed(raw: &[u8], name: &str) -> Option<Vec<String>> {
        let mut seen = Vec::new();
        let any = any_value(raw, name, |v| {
            seen.push(decode(v).as_text().into_owned());
            false
        })?;
        assert!(!any);
        Some(seen)
    }

    #[test]
    fn finds_what_lookup_finds_in_its_order() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                r#"{"a":1,"metadata":{"duration_ms":20}}"#,
                "duration_ms",
                &["20"],
            ),
            (
                r#"{"durationMs":5,"metadata":{"duration_ms":20}}"#,
                "duration_ms",
                &["5"],
            ),
            (
                r#"{"metadata":{"x":1},"Metadata":{"DURATION-MS":7}}"#,
                "duration_ms",
                &["7"],
            ),
            (
                r#"{"metadata":{"x":1},"metadata":{"duration_ms":7}}"#,
                "duration_ms",
                &[],
            ),
            (
                r#"{"metadata.duration_ms":3}"#,
                "metadata.duration_ms",
                &["3"],
            ),
            (
                r#"{"a":{"b":{"status":500}},"c":[{"status":"404"}]}"#,
                "status",
                &["500", "404"],
            ),
            (
                r#"{"metadata":{"endpoint":"/api/x"}}"#,
                "metadata.endpoint",
                &["/api/x"],
            ),
            (r#"{"level":"INFO"}"#, "status", &[]),
        ];
        for (line, name, want) in cases {
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(
                full(line.as_bytes(), name),
                want,
                "full parse of {line} for {name}"
            );
            assert_eq!(
                probed(line.as_bytes(), name),
                Some(want),
                "probe of {line} for {name}"
            );
        }
        // Left to the full parse: an escaped key, a dotted name, an OTLP batch, text.
        assert_eq!(probed(br#"{"st\u0061tus":1}"#, "status"), None);
        assert_eq!(probed(br#"{"a":{"b":1}}"#, "a.b"), None);
        assert_eq!(probed(br#"{"resourceLogs":[]}"#, "status"), None);
        assert_eq!(probed(b"status=500", "status"), None);
    }

    #[test]
    fn an_entry_with_lines_after_its_object_is_probed_as_its_object() {
        // A raw stack trace after the JSON line may hold what looks like a key: only
        // the object's own values count, probed or parsed.
        let trace = "\njava.lang.IllegalStateException: {\"status\":500,\"user\":\"u9\"}\n\tat a.B.c(B.java:1)";
        for (line, name, want) in [
            (r#"{"status":200,"msg":"x"}"#, "status", vec!["200"]),
            (r#"{"msg":"x"}"#, "status", vec![]),
            (
                r#"{"msg":"x","metadata":{"user":"u1"}}"#,
                "user",
                vec!["u1"],
            ),
            (r#"{"msg":"x","a":{"b":1}}"#, "user", vec![]),
        ] {
            let raw = format!("{line}{trace}");
            assert_eq!(full(raw.as_bytes(), name), want, "{raw}");
            assert_eq!(
                probed(raw.as_bytes(), name),
                Some(want.iter().map(|s| s.to_string()).collect()),
                "{raw}"
            );
        }
    }
}
