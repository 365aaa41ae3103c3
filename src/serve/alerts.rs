//! Alert rules kept by the server: `GET`, `POST /api/v1/alerts` and `DELETE
//! /api/v1/alerts/{name}`. A rule is written in the language of `stats --alert`
//! (`error_rate > 5%`, `count(level:FATAL service:db) > 0`, `p95(duration_ms) > 800`),
//! checked by the same parser when it is saved, and kept by name in `alerts.json` in
//! the config directory (`store`, under its lock). `GET` evaluates every rule with
//! `stats`' own code on the served inputs, filtered by the request's parameters as
//! `/api/v1/logs/analytics` is (`q`, `range`, `level`, ...), so the page shows which
//! rules fire for what it is looking at.

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::cli::StatsArgs;
use crate::config::FilterConfig;
use crate::error::Error;
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::json;
use crate::serve::params::{check_length, defaults, Params};
use crate::serve::slots::blocking;
use crate::serve::state::AppState;
use crate::store::{self, AlertsFile, SavedAlert};

/// A rule to save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAlert {
    /// Letters, digits, `_`, `-`, `.`.
    pub name: String,
    /// A `stats --alert` rule.
    pub rule: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Replace a rule of the same name.
    #[serde(default)]
    pub force: bool,
}

/// One rule and, when it could be checked, its state now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AlertState {
    pub name: String,
    pub rule: String,
    pub description: Option<String>,
    /// Whether the rule holds for the request's entries.
    pub fired: bool,
    /// The measured value (`null` without data).
    pub value: Option<f64>,
    /// What was measured and compared, as `stats --alert` says it.
    pub reason: String,
}

/// `GET /api/v1/alerts`: `{alerts: [AlertState]}`, every rule checked against the
/// served inputs filtered as the analytics are.
#[utoipa::path(get, path = "/api/v1/alerts",
    params(("q" = Option<String>, Query), ("range" = Option<String>, Query),
           ("since" = Option<String>, Query), ("until" = Option<String>, Query)),
    responses((status = 200, description = "{alerts: [AlertState]}", body = Object),
              (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let saved = blocking(&state, load).await?;
    let states = if saved.is_empty() {
        Vec::new()
    } else {
        evaluate(&state, &params, saved).await?
    };
    Ok(json::Json(serde_json::json!({ "alerts": states })).into_response())
}

/// The saved rules, by name.
fn load() -> Result<Vec<(String, SavedAlert)>, ApiError> {
    let path = store::alerts_path().map_err(|e| store_error(&e))?;
    let file = AlertsFile::load(&path).map_err(|e| store_error(&e))?;
    Ok(file.alerts.into_iter().collect())
}

/// Checks the rules in one `stats` run over the request's entries. A rule that no
/// longer parses (a hand-edited file) is listed with why, and not run.
async fn evaluate(
    state: &AppState,
    params: &Params,
    saved: Vec<(String, SavedAlert)>,
) -> Result<Vec<AlertState>, ApiError> {
    let runnable: Vec<bool> = saved
        .iter()
        .map(|(_, a)| crate::stats::alert::parse(&a.rule, &mut Vec::new()).is_ok())
        .collect();
    let mut args: StatsArgs = defaults()?;
    args.filter = params.filter_args("q", &state.served.zone)?;
    args.pos.paths = state.served.paths.clone();
    args.input = state.served.input.clone();
    args.json = true;
    args.alerts = saved
        .iter()
        .zip(&runnable)
        .filter(|(_, ok)| **ok)
        .map(|((_, a), _)| a.rule.clone())
        .collect();
    // A bad query is a 400 before a scan slot is taken.
    FilterConfig::new(&args.filter, None).map_err(|e| ApiError::from_engine(&e))?;
    let outcomes = blocking(state, move || {
        crate::commands::stats::report_of(&args, crate::engine::find_inputs)
            .map(|r| r.alerts)
            .map_err(|e| ApiError::from_engine(&e))
    })
    .await?;
    let mut outcomes = outcomes.into_iter();
    Ok(saved
        .into_iter()
        .zip(runnable)
        .map(|((name, a), ok)| {
            let checked = if ok { outcomes.next() } else { None };
            AlertState {
                name,
                fired: checked.as_ref().is_some_and(|c| c.fired),
                value: checked.as_ref().map(|c| c.value).filter(|v| v.is_finite()),
                reason: checked.map_or_else(
                    || "the rule does not parse; fix or delete it".to_string(),
                    |c| c.reason,
                ),
                rule: a.rule,
                description: a.description,
            }
        })
        .collect())
}

/// `POST /api/v1/alerts`: checks and saves a rule; answers it (201).
#[utoipa::path(post, path = "/api/v1/alerts", request_body = NewAlert,
    responses((status = 201, description = "{name, rule, description}", body = Object),
              (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let new: NewAlert = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad("bad_parameter", format!("body: {e}")))?;
    check_rule(&new)?;
    let answer = serde_json::json!({
        "name": new.name,
        "rule": new.rule.trim(),
        "description": new.description,
    });
    blocking(&state, move || store_rule(new)).await?;
    Ok((StatusCode::CREATED, json::Json(answer)).into_response())
}

/// The name and the rule, checked as `stats --alert` checks a rule (a 400 with the
/// caret's position on a syntax error).
fn check_rule(new: &NewAlert) -> Result<(), ApiError> {
    store::check_name(&new.name).map_err(|e| {
        ApiError::bad(
            "bad_parameter",
            format!("alert name {:?}: {}", new.name, e.why),
        )
    })?;
    let rule = new.rule.trim();
    check_length(rule)?;
    crate::stats::alert::parse(rule, &mut Vec::new()).map_err(|e| ApiError {
        position: Some(rule[..e.span.0.min(rule.len())].chars().count()),
        ..ApiError::bad("bad_query", format!("rule: {}", e.message))
    })?;
    Ok(())
}

fn store_rule(new: NewAlert) -> Result<(), ApiError> {
    let path = store::alerts_path().map_err(|e| store_error(&e))?;
    AlertsFile::update(&path, |file| {
        if file.alerts.contains_key(&new.name) && !new.force {
            return Err(Error::new(
                format!("alert {}", new.name),
                "already saved; use force to replace it",
            ));
        }
        file.alerts.insert(
            new.name.clone(),
            SavedAlert {
                rule: new.rule.trim().to_string(),
                description: new.description.clone().filter(|d| !d.trim().is_empty()),
            },
        );
        Ok(())
    })
    .map_err(|e| store_error(&e))
}

/// `DELETE /api/v1/alerts/{name}` (204; 404 when there is none).
#[utoipa::path(delete, path = "/api/v1/alerts/{name}",
    params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    UrlPath(name): UrlPath<String>,
) -> Result<Response, ApiError> {
    blocking(&state, move || {
        let path = store::alerts_path().map_err(|e| store_error(&e))?;
        AlertsFile::update(&path, |file| match file.alerts.remove(&name) {
            Some(_) => Ok(()),
            None => Err(Error::new(format!("alert {name}"), "no such alert rule")),
        })
        .map_err(|e| store_error(&e))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What the store refused, as a status: an unknown name 404, a taken one 409, a
/// malformed or unreadable file 500 (it is the server's, not the request's).
fn store_error(e: &Error) -> ApiError {
    let text = format!("{}: {}", e.what, e.why);
    match () {
        _ if e.why.starts_with("no such") => ApiError::not_found(text),
        _ if e.why.starts_with("already saved") => {
            ApiError::new(StatusCode::CONFLICT, "exists", text)
        }
        _ => ApiError::internal(text),
    }
}
