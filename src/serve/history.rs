//! `GET /api/v1/history`: the recent searches of `covet-logs history` (the CLI's
//! store, newest first), so the page lists what was searched on this host besides
//! what this browser searched. Only the query, time and match count are answered:
//! the recorded arguments and working directory name paths on disk, which no answer
//! of the server gives out.

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::json;
use crate::serve::params::Params;
use crate::serve::slots::blocking;
use crate::serve::state::AppState;

/// One recorded search, as the page shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecentSearch {
    pub query: String,
    /// RFC 3339 UTC.
    pub time: String,
    pub matches: u64,
}

/// `GET /api/v1/history?limit=N` (1..=100, default 20): `{searches: [RecentSearch]}`.
#[utoipa::path(get, path = "/api/v1/history",
    params(("limit" = Option<usize>, Query)),
    responses((status = 200, description = "{searches: [RecentSearch]}", body = Object),
              (status = 400, body = ErrorBody)))]
pub async fn recent(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let limit = params.number("limit", 20, 1, crate::store::HISTORY_LEN)?;
    let searches = blocking(&state, move || {
        let recent = crate::commands::history::recent(limit)
            .map_err(|e| ApiError::internal(format!("{}: {}", e.what, e.why)))?;
        Ok(recent
            .into_iter()
            .map(|e| RecentSearch {
                query: e.query,
                time: e.time,
                matches: e.matches,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(json::Json(serde_json::json!({ "searches": searches })).into_response())
}
