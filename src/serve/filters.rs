//! Saved filters: `GET`, `POST /api/v1/logs/filters` and `DELETE
//! /api/v1/logs/filters/{name}` call `filters`' own `listed`, `save` and `rm`, so the
//! API and the CLI share one file under one lock. A POST may give the seed's
//! structured `LogFilter`s, which are translated to query text first.

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::cli::filters::{NameArgs, SaveArgs};
use crate::commands::filters::{self as store_cmd, Listed};
use crate::error::Error;
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::json;
use crate::serve::params::{check_length, filters_query, LogFilter};
use crate::serve::slots::blocking;
use crate::serve::state::AppState;

/// A filter to save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewFilter {
    pub name: String,
    /// Query text; ANDed with `filters` when both are given.
    #[serde(default)]
    pub query: Option<String>,
    /// The seed's structured filters.
    #[serde(default)]
    pub filters: Vec<LogFilter>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Bare words are regular expressions whenever the filter is used (`--regex`).
    #[serde(default)]
    pub regex: bool,
    /// Words match only in their own case whenever the filter is used.
    #[serde(default)]
    pub case_sensitive: bool,
    /// Replace a saved filter of the same name.
    #[serde(default)]
    pub force: bool,
}

/// `GET /api/v1/logs/filters`: `{filters: [...]}`, one object per `filters list --json` line.
#[utoipa::path(get, path = "/api/v1/logs/filters",
    responses((status = 200, description = "{filters: [SavedFilter]}", body = Object)))]
pub async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    let filters = blocking(&state, list_filters).await?;
    Ok(json::Json(serde_json::json!({ "filters": filters })).into_response())
}

fn list_filters() -> Result<Vec<Listed>, ApiError> {
    store_cmd::listed().map_err(|e| store_error(&e))
}

/// `POST /api/v1/logs/filters`: saves and answers the saved filter (201).
#[utoipa::path(post, path = "/api/v1/logs/filters", request_body = NewFilter,
    responses((status = 201, description = "the saved filter, with the query text it became", body = Object),
              (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let new: NewFilter = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad("bad_parameter", format!("body: {e}")))?;
    let query = new_query(&new)?;
    let args = SaveArgs {
        name: new.name.clone(),
        query,
        since: new.since.clone(),
        until: new.until.clone(),
        description: new.description.clone(),
        force: new.force,
        regex: new.regex,
        case_sensitive: new.case_sensitive,
    };
    let saved = blocking(&state, move || {
        store_cmd::save(&args).map_err(|e| store_error(&e))?;
        list_filters()?
            .into_iter()
            .find(|f| f.name == args.name)
            .ok_or_else(|| ApiError::internal("saved filter not listed"))
    })
    .await?;
    Ok((StatusCode::CREATED, json::Json(saved)).into_response())
}

/// The query text of a new filter: its `query` ANDed with its translated `filters`.
fn new_query(new: &NewFilter) -> Result<String, ApiError> {
    let structured = filters_query(&new.filters)?;
    let typed = new
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty());
    let text = match (typed, structured.is_empty()) {
        (Some(q), true) => q.to_string(),
        (Some(q), false) => format!("({q}) {structured}"),
        (None, false) => structured,
        (None, true) => return Err(ApiError::bad("bad_parameter", "give a query or filters")),
    };
    check_length(&text)?;
    Ok(text)
}

/// `DELETE /api/v1/logs/filters/{name}` (204).
#[utoipa::path(delete, path = "/api/v1/logs/filters/{name}",
    params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    blocking(&state, move || {
        store_cmd::rm(&NameArgs { name }).map_err(|e| store_error(&e))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What `filters` refused, as a status: a query error 400 (with its caret), an
/// unknown name 404, a taken or built-in name 409, a bad name 400.
fn store_error(e: &Error) -> ApiError {
    let conflict = |s: &str| s.contains("already saved") || s.contains("built-in");
    match () {
        _ if e.what == "query" => ApiError::from_query(e),
        _ if e.why.contains("no such") => ApiError::not_found(format!("{}: {}", e.what, e.why)),
        _ if conflict(&e.why) => ApiError::new(
            StatusCode::CONFLICT,
            "exists",
            format!("{}: {}", e.what, e.why),
        ),
        _ if e.what.starts_with("filter") || e.what.starts_with("--") => {
            ApiError::bad("bad_parameter", format!("{}: {}", e.what, e.why))
        }
        _ => ApiError::internal(format!("{}: {}", e.what, e.why)),
    }
}
