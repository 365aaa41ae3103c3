//! The dashboard page at `/`. A placeholder until the page (HTML, CSS and JS assets
//! embedded in the binary) lands: a tiny static HTML that points at the API.

use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;

/// The page's routes: `/` (and later its assets). Stateless, merged into the API router.
pub fn routes() -> Router {
    Router::new().route("/", get(index))
}

async fn index() -> impl IntoResponse {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>covet-logs</title></head>\
         <body><h1>covet-logs</h1><p>The API is at <code>/api/v1/</code> \
         (<a href=\"/api/v1/openapi.json\">openapi.json</a>).</p></body></html>",
    )
}
