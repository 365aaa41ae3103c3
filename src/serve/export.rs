//! `GET /api/v1/logs/export`: `export`'s own renderers (`commands::export::export_into`)
//! on a blocking thread, writing into the response body, streamed to the client in
//! 64 KiB blocks as it is produced (the command's bytes, CSV neutralized the same way).
//! The query is compiled once, before anything is streamed: a bad one is a JSON error;
//! a client that goes away stops the export as a closed pipe does.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::export::{check_fields, export_into, Dest};
use crate::config::FilterConfig;
use crate::serve::error::{ApiError, ErrorBody};
use crate::serve::params::{defaults, Params};
use crate::serve::slots::{blocking, Channel};
use crate::serve::state::AppState;

/// Each format: its name, content type and file extension.
const FORMATS: [(&str, &str, &str); 5] = [
    ("json", "application/json", "json"),
    ("ndjson", "application/x-ndjson", "ndjson"),
    ("csv", "text/csv; charset=utf-8", "csv"),
    ("txt", "text/plain; charset=utf-8", "txt"),
    ("raw", "text/plain; charset=utf-8", "log"),
];

/// `GET /api/v1/logs/export`.
#[utoipa::path(get, path = "/api/v1/logs/export",
    params(("format" = Option<String>, Query, description = "json, ndjson (default), csv, txt or raw"),
           ("q" = Option<String>, Query), ("fields" = Option<String>, Query, description = "comma-separated columns")),
    responses((status = 200, description = "the export, streamed"), (status = 400, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let name = params.get("format").unwrap_or("ndjson");
    let &(format, content_type, ext) = FORMATS.iter().find(|f| f.0 == name).ok_or_else(|| {
        ApiError::bad(
            "bad_parameter",
            format!("format: expected json, ndjson, csv, txt or raw, not {name:?}"),
        )
    })?;
    let mut args: ExportArgs = defaults()?;
    args.format = <ExportFormat as clap::ValueEnum>::from_str(format, false)
        .map_err(|e| ApiError::internal(format!("format {format}: {e}")))?;
    args.filter = params.filter_args("q", &state.served.zone)?;
    args.fields = params
        .all("fields")
        .into_iter()
        .map(str::to_string)
        .collect();
    args.no_progress = true;
    args.pos.paths = state.served.paths.clone();
    args.input_format = state.served.input.format;
    args.read = state.served.input.read.clone();
    check_fields(&args).map_err(|e| ApiError::from_engine(&e))?;
    // A bad query is answered before anything is streamed.
    let filter = FilterConfig::new(&args.filter, None).map_err(|e| ApiError::from_engine(&e))?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let task = tokio::spawn(async move {
        blocking(&state, move || {
            let into = Dest::Writer(Box::new(Channel::new(tx)));
            export_into(&args, &filter, crate::engine::find_inputs, || Ok(into))
                .map(|_| ())
                .map_err(|e| ApiError::from_engine(&e))
        })
        .await
    });
    let first = rx.recv().await;
    let first = match first {
        Some(block) => block,
        None => {
            task.await
                .map_err(|_| ApiError::internal("export failed"))??;
            Vec::new()
        }
    };
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, std::io::Error>(b), rx))
    });
    let head = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) });
    // Fused: the compression layer polls once more after the end.
    let body = Body::from_stream(futures_util::StreamExt::fuse(
        futures_util::StreamExt::chain(head, rest),
    ));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"covet-logs.{ext}\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
