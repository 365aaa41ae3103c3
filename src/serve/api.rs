//! The read-only endpoints that answer what a command prints with `--json`, as the
//! values the commands' own functions return: analytics and insights (the `stats`
//! report, `commands::stats::report_of`), fields (`commands::fields::scan_fields` and
//! `document`), an entry's context (`commands::context::gather` and `document`),
//! suggestions (`commands::suggest::query`, `commands::shell::filter_names`). The CLI
//! prints these values; the handlers serialize them.

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use crate::cli::{ContextArgs, StatsArgs};
use crate::config::{FilterConfig, InputConfig};
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::json;
use crate::serve::params::{defaults, Params};
use crate::serve::permalink;
use crate::serve::slots::blocking;
use crate::serve::state::AppState;
use crate::stats::report::Report;

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
    Ok(json::Json(serde_json::json!({ "insights": report.insights })).into_response_ok())
}

/// The `stats` report for the request: `stats --json`'s arguments with the request's
/// filter, run by `stats`' own function.
async fn stats_report(state: &AppState, raw: Option<&str>) -> Result<Report, ApiError> {
    let params = Params::parse(raw)?;
    let mut args: StatsArgs = defaults()?;
    args.filter = params.filter_args("q", &state.served.zone)?;
    args.interval = params.get("interval").map(str::to_string);
    args.pos.paths = state.served.paths.clone();
    args.input = state.served.input.clone();
    args.json = true;
    // A bad query is a 400 before a scan slot is taken.
    FilterConfig::new(&args.filter, None).map_err(|e| ApiError::from_engine(&e))?;
    blocking(state, move || {
        crate::commands::stats::report_of(&args, crate::engine::find_inputs)
            .map_err(|e| ApiError::from_engine(&e))
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
    let top = params.number("top", 5, 1, 1000)?;
    let filter_args = params.filter_args("q", &state.served.zone)?;
    let filter = FilterConfig::new(&filter_args, None).map_err(|e| ApiError::from_engine(&e))?;
    let served = state.served.clone();
    let doc = blocking(&state, move || {
        let input = InputConfig::new(&served.input);
        let inputs = served.inputs()?;
        let (table, _) = crate::commands::fields::scan_fields(&filter, &input, &inputs, None)
            .map_err(|e| ApiError::from_engine(&e))?;
        let doc = crate::commands::fields::document(&table, None, top)
            .map_err(|e| ApiError::from_engine(&e))?;
        // Serialized here, while the table it borrows from is held.
        serde_json::to_vec(&doc).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await?;
    Ok(json::raw(doc))
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
    let window = params.get("range").map(str::to_string);
    let by = match params.get("mode") {
        None => None,
        Some(m) => Some(
            <crate::cli::context::ByChoice as clap::ValueEnum>::from_str(m, false).map_err(
                |_| {
                    ApiError::bad(
                        "bad_parameter",
                        format!("mode: expected trace, request, user or none, not {m:?}"),
                    )
                },
            )?,
        ),
    };
    let served = state.served.clone();
    let doc = blocking(&state, move || {
        let mut args: ContextArgs =
            permalink::context_args(&served, permalink::resolve(&id, &served)?)?;
        args.window = window;
        args.by = by;
        let gathered = crate::commands::context::gather(&args)
            .map_err(|e| ApiError::from_engine(&e))?
            .map_err(|_| ApiError::not_found(format!("no entry {id:?} in the served inputs")))?;
        let view = gathered
            .view(&args)
            .map_err(|e| ApiError::from_engine(&e))?;
        let mut doc = crate::commands::context::document(&view);
        // `relatedLogs`, the seed's name for the timeline without the selected entry.
        doc.related_logs = Some(
            doc.timeline
                .iter()
                .filter(|e| !e.selected)
                .cloned()
                .collect(),
        );
        serde_json::to_vec(&doc).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await?;
    Ok(json::raw(doc))
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
        Ok(Suggestions {
            suggestions: crate::commands::suggest::query(&word, &paths),
            filters: crate::commands::shell::filter_names(&word),
        })
    })
    .await?;
    Ok(json::Json(found).into_response_ok())
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
