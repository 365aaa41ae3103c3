//! The read-only endpoints that answer what a command prints with `--json`: analytics
//! and insights (`stats --json`), fields (`fields --json`), an entry's context
//! (`context --json`), suggestions (`suggest`). Each parses its parameters as the
//! command's arguments and runs the command's own code (see `command`).

use std::ffi::OsString;
use std::path::Path;

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use crate::cli::Command;
use crate::engine::Outcome;
use crate::serve::command::{self, blocking, captured};
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::json;
use crate::serve::params::Params;
use crate::serve::state::AppState;

/// `GET /api/v1/logs/analytics`: `stats --json` on the served inputs.
#[utoipa::path(get, path = "/api/v1/logs/analytics",
    params(("q" = Option<String>, Query), ("range" = Option<String>, Query),
           ("since" = Option<String>, Query), ("until" = Option<String>, Query),
           ("interval" = Option<String>, Query)),
    responses((status = 200, description = "LogAnalytics (the `stats --json` report)", body = Object),
              (status = 400, body = ErrorBody)))]
pub async fn analytics(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let report = stats_report(&state, raw.as_deref()).await?;
    Ok(json::Json(report).into_response_ok())
}

/// `GET /api/v1/logs/insights`: the insights of `stats --json`.
#[utoipa::path(get, path = "/api/v1/logs/insights",
    params(("q" = Option<String>, Query), ("range" = Option<String>, Query)),
    responses((status = 200, description = "{insights: [LogInsight]}", body = Object),
              (status = 400, body = ErrorBody)))]
pub async fn insights(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let report = stats_report(&state, raw.as_deref()).await?;
    let insights = report
        .get("insights")
        .cloned()
        .unwrap_or(Value::Array(Vec::new()));
    Ok(json::Json(serde_json::json!({ "insights": insights })).into_response_ok())
}

/// The `stats` report for the request, as the JSON `stats --json` prints.
async fn stats_report(state: &AppState, raw: Option<&str>) -> Result<Value, ApiError> {
    let params = Params::parse(raw)?;
    let mut argv: Vec<OsString> = vec!["stats".into(), "--json".into(), "--paging=never".into()];
    argv.extend(params.filter_argv("q")?);
    if let Some(i) = params.get("interval") {
        argv.push(format!("--interval={i}").into());
    }
    let Command::Stats(mut args) = command::parse(command::with_paths(argv, state))? else {
        return Err(ApiError::internal("not stats"));
    };
    args.input = state.served.input.clone();
    blocking(state, move || {
        let report =
            crate::commands::stats::report_of(&args).map_err(|e| ApiError::from_engine(&e))?;
        serde_json::to_value(&report).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
}

/// `GET /api/v1/logs/fields`: `fields --json`.
#[utoipa::path(get, path = "/api/v1/logs/fields",
    params(("q" = Option<String>, Query), ("top" = Option<usize>, Query)),
    responses((status = 200, description = "the `fields --json` document", body = Object),
              (status = 400, body = ErrorBody)))]
pub async fn fields(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let mut argv: Vec<OsString> = vec!["fields".into(), "--json".into()];
    argv.extend(params.filter_argv("q")?);
    if params.get("top").is_some() {
        argv.push(format!("--top={}", params.number("top", 5, 1, 1000)?).into());
    }
    let Command::Fields(mut args) = command::parse(command::with_paths(argv, &state))? else {
        return Err(ApiError::internal("not fields"));
    };
    args.input = state.served.input.clone();
    let bytes = blocking(&state, move || {
        let (ran, out) = captured(|| crate::commands::fields::run(&args));
        ran.map_err(|e| ApiError::from_engine(&e))?;
        Ok(out)
    })
    .await?;
    Ok(json::raw(trim_newline(bytes)))
}

/// `GET /api/v1/logs/{id}/context`: `context --json ID` over the served inputs.
#[utoipa::path(get, path = "/api/v1/logs/{id}/context",
    params(("id" = String, Path, description = "a LogEntry id (its own id, FILE:LINE or FILE@OFFSET)"),
           ("range" = Option<String>, Query, description = "the window, as context --window"),
           ("mode" = Option<String>, Query, description = "trace, request, user or none")),
    responses((status = 200, description = "the `context --json` document plus relatedLogs", body = Object),
              (status = 404, body = ErrorBody)))]
pub async fn context(
    State(state): State<AppState>,
    UrlPath(id): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    crate::serve::params::check_length(&id)?;
    let mut argv: Vec<OsString> = vec!["context".into(), "--json".into(), "--paging=never".into()];
    if let Some(r) = params.get("range") {
        argv.push(format!("--window={r}").into());
    }
    match params.get("mode") {
        None => {}
        Some(m @ ("trace" | "request" | "user" | "none")) => argv.push(format!("--by={m}").into()),
        Some(m) => {
            return Err(ApiError::bad(
                "bad_parameter",
                format!("mode: expected trace, request, user or none, not {m:?}"),
            ))
        }
    }
    argv.push("--".into());
    argv.push(id.clone().into());
    argv.extend(state.served.os_paths());
    let Command::Context(mut args) = command::parse(argv)? else {
        return Err(ApiError::internal("not context"));
    };
    args.input_format = state.served.input.format;
    args.read = state.served.input.read.clone();
    let served = state.served.clone();
    let bytes = blocking(&state, move || {
        check_permalink(&id, &served)?;
        let (ran, out) = captured(|| crate::commands::context::run(&args));
        match ran {
            Ok(Outcome::Matched) if !out.is_empty() => Ok(out),
            Ok(_) => Err(ApiError::not_found(format!(
                "no entry {id:?} in the served inputs"
            ))),
            Err(e) => Err(ApiError::from_engine(&e)),
        }
    })
    .await?;
    let mut doc: Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::internal(e.to_string()))?;
    add_related(&mut doc);
    Ok(json::Json(doc).into_response_ok())
}

/// A permalink (`FILE:LINE`, `FILE@OFFSET`) must name a served file: no request
/// reads a file that was not given at start.
fn check_permalink(id: &str, served: &crate::serve::state::Served) -> Result<(), ApiError> {
    let file = [id.rsplit_once('@'), id.rsplit_once(':')]
        .into_iter()
        .flatten()
        .find(|(f, n)| n.parse::<u64>().is_ok() && Path::new(f).is_file())
        .map(|(f, _)| f);
    let Some(file) = file else {
        return Ok(());
    };
    let target = std::fs::canonicalize(file).ok();
    let inputs = served.inputs()?;
    let served_file = inputs.iter().any(|i| match i {
        crate::input::Input::File(p) => std::fs::canonicalize(p).ok() == target,
        _ => false,
    });
    match served_file {
        true => Ok(()),
        false => Err(ApiError::not_found(format!(
            "no entry {id:?} in the served inputs"
        ))),
    }
}

/// `relatedLogs`, the seed's name for the timeline without the selected entry.
fn add_related(doc: &mut Value) {
    let related: Vec<Value> = doc
        .get("timeline")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter(|e| e.get("selected") != Some(&Value::Bool(true)))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("relatedLogs".into(), Value::Array(related));
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Suggestions {
    /// Field names, frequent values after `field:`, recent searches (`covet-logs suggest`).
    suggestions: Vec<String>,
    /// Saved and built-in filter names starting with the word.
    filters: Vec<String>,
}

/// `GET /api/v1/logs/suggest?q=WORD`.
#[utoipa::path(get, path = "/api/v1/logs/suggest",
    params(("q" = Option<String>, Query, description = "the word typed so far")),
    responses((status = 200, body = Suggestions)))]
pub async fn suggest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let word = params.get("q").unwrap_or("").to_string();
    crate::serve::params::check_length(&word)?;
    let paths = state.served.paths.clone();
    let found = blocking(&state, move || {
        let run = |kind: &str| -> Result<Vec<String>, ApiError> {
            let mut argv: Vec<OsString> = vec!["suggest".into(), format!("--kind={kind}").into()];
            for p in &paths {
                let mut flag = OsString::from("--path=");
                flag.push(p);
                argv.push(flag);
            }
            argv.push("--".into());
            argv.push(word.clone().into());
            let Command::Suggest(args) = command::parse(argv)? else {
                return Err(ApiError::internal("not suggest"));
            };
            let (ran, out) = captured(|| crate::commands::shell::suggest(&args));
            ran.map_err(|e| ApiError::from_engine(&e))?;
            Ok(String::from_utf8_lossy(&out)
                .lines()
                .map(str::to_string)
                .collect())
        };
        Ok(Suggestions {
            suggestions: run("query")?,
            filters: run("filter")?,
        })
    })
    .await?;
    Ok(json::Json(found).into_response_ok())
}

fn trim_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    while bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    bytes
}

/// `Json` as a finished response (the handlers return `Result<Response, _>`).
trait IntoOk {
    fn into_response_ok(self) -> Response;
}

impl<T: Serialize> IntoOk for json::Json<T> {
    fn into_response_ok(self) -> Response {
        axum::response::IntoResponse::into_response(self)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    status: &'static str,
    version: &'static str,
    inputs: usize,
    token_required: bool,
}

/// `GET /api/v1/health`.
#[utoipa::path(get, path = "/api/v1/health", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> json::Json<Health> {
    json::Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        inputs: state.served.paths.len(),
        token_required: state.token.is_some(),
    })
}
