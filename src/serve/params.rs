//! A request's query parameters as the CLI's values: the common filter parameters
//! (`q`, `since`, `until`, `range`, `level`, `service`, `source`, `filter`, `filters`,
//! `regex`, `case`) fill the `FilterArgs` of the flags of the same name
//! (`filter_args`), which the config layer compiles as it does the command line's, so
//! every endpoint filters exactly as its command does; the seed's structured
//! `LogFilter`s translated to query text; a command's argument struct with its clap
//! defaults (`defaults`), whose fields a handler then sets.

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use crate::cli::{FilterArgs, ZoneArgs};
use crate::serve::error::ApiError;

/// The longest query text (`q`, `search`, with translated filters), in bytes.
pub const MAX_QUERY: usize = 4096;

/// The query string's pairs, in order; a key may repeat (`level=ERROR&level=WARN`).
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        serde_urlencoded::from_str(raw.unwrap_or(""))
            .map(Params)
            .map_err(|e| ApiError::bad("bad_parameter", format!("query string: {e}")))
    }

    /// The last value of `key` (empty values count as absent).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, comma-separated values split.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A `true`/`false` parameter (`1`/`0` too); absent is false.
    pub fn flag(&self, key: &str) -> Result<bool, ApiError> {
        match self.get(key) {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(v) => Err(ApiError::bad(
                "bad_parameter",
                format!("{key}: expected true or false, not {v:?}"),
            )),
        }
    }

    /// A number parameter within `lo..=hi`, else `default`.
    pub fn number(
        &self,
        key: &str,
        default: usize,
        lo: usize,
        hi: usize,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        match v.parse::<usize>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(ApiError::bad(
                "bad_parameter",
                format!("{key}: expected a whole number from {lo} to {hi}, not {v:?}"),
            )),
        }
    }

    /// The query text: `q` (or `query_key`), ANDed with the translated `filters`.
    pub fn query(&self, query_key: &str) -> Result<Option<String>, ApiError> {
        let typed = self.get(query_key).map(str::to_string);
        let structured = match self.get("filters") {
            Some(json) => {
                let filters: Vec<LogFilter> = serde_json::from_str(json).map_err(|e| {
                    ApiError::bad(
                        "bad_parameter",
                        format!("filters: not a LogFilter list: {e}"),
                    )
                })?;
                Some(filters_query(&filters)?)
            }
            None => None,
        };
        let text = match (typed, structured) {
            (Some(q), Some(f)) if !f.is_empty() => Some(format!("({q}) {f}")),
            (q, f) => q.or(f.filter(|f| !f.is_empty())),
        };
        if let Some(t) = &text {
            check_length(t)?;
        }
        Ok(text)
    }

    /// The filter parameters as the filter flags' values (`zone`: the server's
    /// `--tz`, from `COVET_LOGS_TZ` as the command line reads it).
    pub fn filter_args(&self, query_key: &str, zone: &ZoneArgs) -> Result<FilterArgs, ApiError> {
        let owned =
            |key: &str| -> Vec<String> { self.all(key).into_iter().map(str::to_string).collect() };
        Ok(FilterArgs {
            query_opt: Some(self.query(query_key)?.unwrap_or_default()),
            saved: owned("filter"),
            case_sensitive: self.flag("case")?,
            regex: self.flag("regex")?,
            levels: owned("level"),
            services: owned("service"),
            sources: owned("source"),
            since: self.get("since").or(self.get("range")).map(str::to_string),
            until: self.get("until").map(str::to_string),
            zone: zone.clone(),
        })
    }

    /// The filter parameters as the command line's flags (`--query=...`, `--since=...`,
    /// `--level=...`, `--regex` ...), as the history records a search made in the page
    /// or the API: `history run N` parses them back (no paths, no directory).
    pub fn history_argv(&self, query_key: &str) -> Result<Vec<String>, ApiError> {
        let mut argv = vec![format!(
            "--query={}",
            self.query(query_key)?.unwrap_or_default()
        )];
        if let Some(since) = self.get("since").or(self.get("range")) {
            argv.push(format!("--since={since}"));
        }
        if let Some(until) = self.get("until") {
            argv.push(format!("--until={until}"));
        }
        for key in ["level", "service", "source", "filter"] {
            argv.extend(self.all(key).into_iter().map(|v| format!("--{key}={v}")));
        }
        for (key, flag) in [("regex", "--regex"), ("case", "--case-sensitive")] {
            if self.flag(key)? {
                argv.push(flag.to_string());
            }
        }
        Ok(argv)
    }
}

/// A command's arguments as its clap definition gives them when no flag is typed (the
/// one source of their defaults); the handler sets the fields the request gives.
pub fn defaults<T: clap::Args + clap::FromArgMatches>() -> Result<T, ApiError> {
    let cmd = T::augment_args(clap::Command::new("covet-logs"));
    cmd.try_get_matches_from(["covet-logs"])
        .and_then(|m| T::from_arg_matches(&m))
        .map_err(|e| ApiError::internal(format!("default arguments: {e}")))
}

/// A query over `MAX_QUERY` bytes is a 414.
pub fn check_length(text: &str) -> Result<(), ApiError> {
    if text.len() > MAX_QUERY {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the query is {} bytes; at most {MAX_QUERY}", text.len()),
        ));
    }
    Ok(())
}

/// The seed's structured filter.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LogFilter {
    /// A field name as the query language takes it (`level`, `service`,
    /// `metadata.endpoint`, `duration_ms`, ...).
    pub field: String,
    /// `equals`, `contains`, `regex`, `range` or `exists`.
    pub operator: String,
    /// The value: a string, number or bool; for `range`, `{min, max}` or `[min, max]`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub value: Value,
    /// Shown in the page; not part of the query (accepted, never read).
    #[serde(default)]
    #[allow(dead_code)]
    pub label: Option<String>,
}

/// The filters as query text, ANDed (`field:"v" field:~"w" ...`).
pub fn filters_query(filters: &[LogFilter]) -> Result<String, ApiError> {
    let terms: Vec<String> = filters.iter().map(filter_term).collect::<Result<_, _>>()?;
    Ok(terms.join(" "))
}

/// One filter as a query term.
fn filter_term(f: &LogFilter) -> Result<String, ApiError> {
    let field = f.field.trim();
    let bad = |why: String| ApiError::bad("bad_parameter", format!("filter on {field:?}: {why}"));
    let name_ok = |c: char| c.is_alphanumeric() || "_.-@$".contains(c);
    if field.is_empty() || !field.chars().all(name_ok) {
        return Err(bad("not a field name".to_string()));
    }
    match f.operator.as_str() {
        "equals" => Ok(format!(
            "{field}:{}",
            scalar(&f.value)
                .map(quoted)
                .ok_or_else(|| bad("expected a value".into()))?
        )),
        "contains" => Ok(format!(
            "{field}:~{}",
            scalar(&f.value)
                .map(quoted)
                .ok_or_else(|| bad("expected a value".into()))?
        )),
        "regex" => {
            let re = f
                .value
                .as_str()
                .ok_or_else(|| bad("expected a regex string".into()))?;
            Ok(format!("{field}:/{}/", re.replace('/', "\\/")))
        }
        "range" => range_term(field, &f.value)
            .ok_or_else(|| bad("expected {min, max} or [min, max]".into())),
        "exists" => Ok(format!("{field}:*")),
        op => Err(bad(format!(
            "unknown operator {op:?} (equals, contains, regex, range, exists)"
        ))),
    }
}

/// A string, number or bool as text.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A quoted query value (`"` and `\` escaped).
fn quoted(s: String) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `field:MIN..MAX` (either end may be absent: `field:>=MIN`, `field:<=MAX`).
fn range_term(field: &str, v: &Value) -> Option<String> {
    let (lo, hi) = match v {
        Value::Object(m) => (m.get("min").and_then(scalar), m.get("max").and_then(scalar)),
        Value::Array(a) if a.len() == 2 => (scalar(&a[0]), scalar(&a[1])),
        _ => return None,
    };
    let plain = |s: &String| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '"');
    match (lo.filter(plain), hi.filter(plain)) {
        (Some(lo), Some(hi)) => Some(format!("{field}:{lo}..{hi}")),
        (Some(lo), None) => Some(format!("{field}:>={lo}")),
        (None, Some(hi)) => Some(format!("{field}:<={hi}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(field: &str, op: &str, value: Value) -> LogFilter {
        LogFilter {
            field: field.into(),
            operator: op.into(),
            value,
            label: None,
        }
    }

    #[test]
    fn each_operator_becomes_its_term() {
        let filters = [
            f("level", "equals", json!("ERROR")),
            f("message", "contains", json!("pool \"x\"")),
            f("user_id", "regex", json!("user_4\\d+/x")),
            f("duration_ms", "range", json!({"min": 100, "max": 500})),
            f("status", "range", json!([500, null])),
            f("error", "exists", Value::Null),
        ];
        assert_eq!(
            filters_query(&filters).unwrap(),
            r#"level:"ERROR" message:~"pool \"x\"" user_id:/user_4\d+\/x/ duration_ms:100..500 status:>=500 error:*"#
        );
    }

    #[test]
    fn bad_filters_are_400s() {
        for bad in [
            f("level", "like", json!("x")),
            f("a b", "equals", json!("x")),
            f("x", "range", json!("1")),
            f("x", "equals", json!({"a": 1})),
        ] {
            assert_eq!(
                filters_query(&[bad]).unwrap_err().status,
                StatusCode::BAD_REQUEST
            );
        }
    }
}
