//! `covet-logs serve`: the engine behind the seed's REST + WebSocket API, and the
//! dashboard page. Every endpoint runs the same code as the CLI command it mirrors
//! (docs/API.md lists them) on the inputs given at start; no request names a path.
//!
//! - `security`: token, Origin, URI limit, response headers.
//! - `error`, `json`: the `{error, detail, position}` shape; HTML-inert JSON bodies.
//! - `state`: what the handlers share (inputs, limits); `params`: query parameters as
//!   the commands' values (`FilterArgs`, compiled by the config layer); `slots`: a scan
//!   on a blocking thread in one of the scan slots, a streamed body's writer.
//! - `search`, `api`, `export`, `filters`, `stream`, `openapi`: the endpoints;
//!   `alerts` (alert rules kept and checked) and `history` (recent searches) beside
//!   them.
//! - `page`: the dashboard at `/` (its own assets).
//!
//! The server runs on tokio; scans run on blocking threads, at most `MAX_SCANS` at once.

pub mod alerts;
pub mod api;
pub mod entries;
pub mod error;
pub mod export;
pub mod filters;
pub mod history;
pub mod json;
pub mod openapi;
pub mod page;
pub mod params;
pub mod permalink;
pub mod search;
pub mod security;
pub mod slots;
pub mod state;
pub mod stream;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::Router;
use tokio::sync::Semaphore;

pub use state::{AppState, Served, MAX_BODY, MAX_SCANS, MAX_WS_CLIENTS, REQUEST_TIME};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::cli::ServeArgs;
use crate::engine::Outcome;
use crate::error::{Error, Result};
use crate::serve::error::{code_of, ApiError};

/// Runs the server until Ctrl-C.
pub fn run(args: &ServeArgs) -> Result<Outcome> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        Error::new(
            format!("--addr {}", args.addr),
            "expected IP:PORT, like 127.0.0.1:7878",
        )
    })?;
    let token = security::load_token(args.token_file.as_deref(), &addr, &args.addr)?;
    let paths = served_paths(&args.paths)?;
    let (stopping, shutdown) = tokio::sync::watch::channel(false);
    let state = AppState {
        served: Arc::new(Served {
            paths,
            input: args.input.clone(),
            zone: zone_of_env(),
            seen: Default::default(),
        }),
        scans: Arc::new(Semaphore::new(MAX_SCANS)),
        ws_clients: Arc::new(Semaphore::new(MAX_WS_CLIENTS)),
        token,
        searches: Arc::default(),
        pending: Arc::default(),
        hubs: Arc::default(),
        shutdown,
    };
    // The served files' identities as they are at start (a permalink names these).
    let _ = state.served.inputs();
    // Ctrl-C and SIGTERM stop the server. Installed before any follower starts, so a
    // follower's own Ctrl-C hook (which keeps an existing handler) leaves it alone.
    let _ = ctrlc::set_handler(move || {
        let _ = stopping.send(true);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("serve", &e))?;
    runtime.block_on(serve(addr, state))?;
    Ok(Outcome::Matched)
}

/// `--tz`'s default as the command line reads it: `COVET_LOGS_TZ`, else UTC.
fn zone_of_env() -> crate::cli::ZoneArgs {
    match std::env::var("COVET_LOGS_TZ") {
        Ok(tz) if !tz.is_empty() => crate::cli::ZoneArgs { tz },
        _ => crate::cli::ZoneArgs::default(),
    }
}

/// The given paths (else `$COVET_LOGS_PATH`), each of which must exist; stdin cannot
/// be served.
fn served_paths(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let paths = crate::engine::inputs::given_paths(given);
    if paths.is_empty() {
        return Err(Error::new(
            "serve",
            "no inputs: name files or directories (or set COVET_LOGS_PATH)",
        ));
    }
    for p in &paths {
        if p.as_os_str() == "-" {
            return Err(Error::new(
                "serve",
                "stdin cannot be served: name files or directories",
            ));
        }
        std::fs::metadata(p).map_err(|e| Error::io(p.display().to_string(), &e))?;
    }
    Ok(paths)
}

async fn serve(addr: SocketAddr, state: AppState) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::io(format!("--addr {addr}"), &e))?;
    let bound = listener.local_addr().map_err(|e| Error::io("serve", &e))?;
    eprintln!(
        "covet-logs: serving {} inputs on http://{bound}/",
        state.served.paths.len()
    );
    let mut stopping = state.shutdown.clone();
    let app = router(state);
    let stopped = async move {
        let _ = stopping.wait_for(|s| *s).await;
        // Connections get a moment to close; then the process ends regardless.
        std::thread::spawn(|| {
            std::thread::sleep(Duration::from_secs(3));
            std::process::exit(0);
        });
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stopped)
        .await
        .map_err(|e| Error::io("serve", &e))
}

/// The whole application: the API, the stream, the page, and the layers around them.
pub fn router(state: AppState) -> Router {
    let token = state.token.clone();
    let api = Router::new()
        .route("/api/v1/health", get(api::health))
        .route("/api/v1/logs/search", get(search::search))
        .route("/api/v1/logs/analytics", get(api::analytics))
        .route("/api/v1/logs/insights", get(api::insights))
        .route("/api/v1/logs/fields", get(api::fields))
        .route("/api/v1/logs/suggest", get(api::suggest))
        .route("/api/v1/logs/export", get(export::export))
        .route("/api/v1/logs/{id}/context", get(api::context))
        .route(
            "/api/v1/logs/filters",
            get(filters::list).post(filters::save),
        )
        .route("/api/v1/logs/filters/{name}", delete(filters::remove))
        .route("/api/v1/alerts", get(alerts::list).post(alerts::save))
        .route("/api/v1/alerts/{name}", delete(alerts::remove))
        .route("/api/v1/history", get(history::recent))
        .route("/ws/logs", get(stream::ws_logs))
        .route("/api/v1/openapi.json", get(openapi::openapi))
        .fallback(not_found)
        .with_state(state);
    api.merge(page::routes())
        .layer(middleware::from_fn(json_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIME,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(token, security::gate))
        .layer(middleware::from_fn(security::headers))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}

/// Middleware: an error answer a layer or the framework made by itself (413, 405, a
/// timeout, a rejected extractor) becomes the JSON error shape.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let detail = match axum::body::to_bytes(res.into_body(), 4096).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).trim().to_string(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    ApiError::new(status, code_of(status), detail).into_response()
}
