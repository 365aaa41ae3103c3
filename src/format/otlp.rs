//! OpenTelemetry's OTLP/JSON encoding. Attributes (of a record, of its resource) are
//! lists of `{"key": K, "value": {"stringValue": V}}` instead of objects; this module
//! reads them (the resource's `service.name` as the service, the lists as plain objects
//! in the output). It also reads the collector's file exporter lines,
//! `{"resourceLogs":[{"resource":..,"scopeLogs":[{"logRecords":[...]}]}]}`: one line
//! holds a batch of records. `unbatch` writes each record as a line of its own (the
//! input layer reads an export through it, `input::unbatch`); a batch line read as an
//! entry anyway (in a file that does not start with one, or not a whole batch) gets a
//! summary record (the first record's time, the highest level, the first service, every
//! body, one per line), and `formats detect` names such a file `otlp-batch`.

use crate::format::json::{self, ArrayItems, Value};
use crate::format::level::Level;
use crate::format::timestamp::{self, TimeCtx};

/// The name `formats detect` gives a file of batches.
pub const BATCH_NAME: &str = "otlp-batch";

/// What `formats detect` says about a file of batches.
pub const BATCH_NOTE: &str = "most lines are OTLP batches of log records, but the file \
does not start with one, so a batch line is read as one entry (the first record's time, \
the highest level, the first service, every record's body on a line of its own; \
`records` counts them)";

/// The value of `key` in an OTLP key-value list, as a raw JSON value (the inside of
/// its `{"stringValue": ...}`).
pub fn kv_value<'a>(list: &'a [u8], key: &str) -> Option<&'a [u8]> {
    ArrayItems::new(list).find_map(|item| {
        let k = json::lookup_path(item, &["key"])?;
        if json::decode(k).as_text() != key {
            return None;
        }
        any_value(json::lookup_path(item, &["value"])?)
    })
}

/// The raw value inside an AnyValue object (`{"stringValue": "x"}`, `{"intValue": "3"}`).
fn any_value(v: &[u8]) -> Option<&[u8]> {
    if v.first() != Some(&b'{') {
        return Some(v);
    }
    json::Pairs::new(v).next().map(|p| p.value)
}

/// The service of an OTLP record: `service.name` in its resource's attribute list. The
/// quick test (`stringValue` somewhere in the line) keeps other JSON lines cheap.
pub fn service(obj: &[u8]) -> Option<&[u8]> {
    memchr::memmem::find(obj, b"Value\"")?;
    let list = json::lookup_path(obj, &["resource", "attributes"])?;
    kv_value(list, "service.name")
}

/// A value for output with every OTLP key-value list turned into an object and every
/// AnyValue into its value (`[{"key":"a","value":{"intValue":"1"}}]` -> `{"a":"1"}`).
pub fn plain(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        J::Array(items) if !items.is_empty() && items.iter().all(is_kv) => J::Object(
            items
                .into_iter()
                .filter_map(|item| match item {
                    J::Object(mut o) => {
                        let key = o.remove("key")?.as_str()?.to_string();
                        Some((key, plain(o.remove("value").unwrap_or(J::Null))))
                    }
                    _ => None,
                })
                .collect(),
        ),
        J::Array(items) => J::Array(items.into_iter().map(plain).collect()),
        J::Object(o) => match any_value_json(&o) {
            Some(inner) => plain(inner.clone()),
            None => J::Object(o.into_iter().map(|(k, v)| (k, plain(v))).collect()),
        },
        other => other,
    }
}

/// `{"key": "..", "value": {"stringValue": ..}}` (an AnyValue, or `{}` when empty).
fn is_kv(item: &serde_json::Value) -> bool {
    item.as_object().is_some_and(|o| {
        o.len() == 2
            && o.get("key").is_some_and(|k| k.is_string())
            && o.get("value")
                .and_then(|v| v.as_object())
                .is_some_and(|v| v.is_empty() || any_value_json(v).is_some())
    })
}

/// The inside of an AnyValue object, if `o` is one.
fn any_value_json(o: &serde_json::Map<String, serde_json::Value>) -> Option<&serde_json::Value> {
    const KINDS: [&str; 7] = [
        "stringValue",
        "intValue",
        "doubleValue",
        "boolValue",
        "bytesValue",
        "arrayValue",
        "kvlistValue",
    ];
    let (k, v) = o.iter().next().filter(|_| o.len() == 1)?;
    if !KINDS.contains(&k.as_str()) {
        return None;
    }
    match k.as_str() {
        "arrayValue" | "kvlistValue" => v.get("values"),
        _ => Some(v),
    }
}

/// Whether a JSON object is a collector batch (its first key is `resourceLogs`).
#[inline]
pub fn is_batch(obj: &[u8]) -> bool {
    let rest = obj.strip_prefix(b"{").unwrap_or(obj).trim_ascii_start();
    rest.starts_with(b"\"resourceLogs\"")
}

/// Writes each log record of a batch line as a JSON line of its own: the record's
/// object with its resource and scope added (`"resource":{..},"scope":{..}`, unless the
/// record has its own), so every reader of a single OTLP record reads it. Returns the
/// number of records written. A line that is not a whole, valid batch, or holds no
/// record, gives 0 and nothing is written: the caller keeps the line as it is.
pub fn unbatch(line: &[u8], out: &mut Vec<u8>) -> usize {
    let obj = json::trim_ascii(line);
    if !is_batch(obj) || serde_json::from_slice::<serde::de::IgnoredAny>(obj).is_err() {
        return 0;
    }
    let start = out.len();
    let mut n = 0;
    let resources = json::lookup_path(obj, &["resourceLogs"]).unwrap_or_default();
    for resource_logs in ArrayItems::new(resources) {
        let resource = json::lookup_path(resource_logs, &["resource"]);
        let scopes = json::lookup_path(resource_logs, &["scopeLogs"]).unwrap_or_default();
        for scope_logs in ArrayItems::new(scopes) {
            let scope = json::lookup_path(scope_logs, &["scope"]);
            let records = json::lookup_path(scope_logs, &["logRecords"]).unwrap_or_default();
            for record in ArrayItems::new(records) {
                write_record(record, &[("resource", resource), ("scope", scope)], out);
                n += 1;
            }
        }
    }
    if n == 0 {
        out.truncate(start);
    }
    n
}

/// One record as a line, with the `extra` members it lacks appended to its object.
fn write_record(record: &[u8], extra: &[(&str, Option<&[u8]>)], out: &mut Vec<u8>) {
    let record = json::trim_ascii(record);
    let Some(inner) = record.strip_prefix(b"{").and_then(|r| r.strip_suffix(b"}")) else {
        out.extend_from_slice(record);
        out.push(b'\n');
        return;
    };
    out.push(b'{');
    out.extend_from_slice(inner);
    let mut empty = inner.trim_ascii().is_empty();
    for (key, value) in extra {
        let Some(value) = value else { continue };
        if json::lookup_path(record, &[key]).is_some() {
            continue;
        }
        if !empty {
            out.push(b',');
        }
        empty = false;
        out.extend_from_slice(b"\"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        out.extend_from_slice(value);
    }
    out.extend_from_slice(b"}\n");
}

/// What a batch line says, summed up (see the module's note).
#[derive(Debug, Default, PartialEq)]
pub struct Batch {
    /// The first record's time.
    pub ts: Option<i64>,
    /// The highest level of its records.
    pub level: Option<Level>,
    /// The first resource's `service.name`.
    pub service: Option<String>,
    /// Every record's body, in order.
    pub bodies: Vec<String>,
}

/// Reads a batch line.
pub fn batch(obj: &[u8], ctx: &TimeCtx) -> Batch {
    let mut out = Batch::default();
    let resources = json::lookup_path(obj, &["resourceLogs"]).unwrap_or_default();
    for resource in ArrayItems::new(resources) {
        if out.service.is_none() {
            out.service = service(resource).map(|s| json::decode(s).as_text().into_owned());
        }
        let scopes = json::lookup_path(resource, &["scopeLogs"]).unwrap_or_default();
        for scope in ArrayItems::new(scopes) {
            let records = json::lookup_path(scope, &["logRecords"]).unwrap_or_default();
            for r in ArrayItems::new(records) {
                out.ts = out.ts.or_else(|| record_time(r, ctx));
                out.level = out.level.max(record_level(r));
                let body = json::lookup_path(r, &["body"]).and_then(any_value);
                out.bodies.push(
                    body.map_or_else(String::new, |b| json::decode(b).as_text().into_owned()),
                );
            }
        }
    }
    out
}

fn record_time(r: &[u8], ctx: &TimeCtx) -> Option<i64> {
    let t = json::lookup_path(r, &["timeUnixNano"])
        .or_else(|| json::lookup_path(r, &["observedTimeUnixNano"]))?;
    match json::decode(t) {
        Value::Num(n) => timestamp::from_epoch(n),
        Value::Str(s) => s
            .parse::<i64>()
            .ok()
            .or_else(|| timestamp::parse_str(s.as_bytes(), ctx)),
        _ => None,
    }
}

fn record_level(r: &[u8]) -> Option<Level> {
    let number = json::lookup_path(r, &["severityNumber"]).and_then(|v| match json::decode(v) {
        Value::Num(n) => Level::from_otel_number(n),
        _ => None,
    });
    number.or_else(|| {
        let text = json::lookup_path(r, &["severityText"])?;
        Level::parse_column(json::decode(text).as_text().as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_lists_read_as_objects() {
        let list = br#"[{"key":"service.name","value":{"stringValue":"api"}},{"key":"n","value":{"intValue":"3"}}]"#;
        assert_eq!(kv_value(list, "service.name"), Some(&br#""api""#[..]));
        assert_eq!(kv_value(list, "n"), Some(&br#""3""#[..]));
        assert_eq!(kv_value(list, "x"), None);
        let v: serde_json::Value = serde_json::from_slice(list).unwrap();
        assert_eq!(
            plain(v),
            serde_json::json!({"service.name": "api", "n": "3"})
        );
        assert!(is_batch(br#"{ "resourceLogs":[]}"#));
        assert!(!is_batch(br#"{"resource":{}}"#));
    }
}
