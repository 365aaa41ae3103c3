//! The dashboard page: `/` and its assets under `/assets/`, embedded in the binary at
//! build time from `src/serve/web/` (plain HTML, CSS and JavaScript: no CDN, no build
//! step, works offline). The files hold no inline script or style, so the server's
//! strict Content-Security-Policy (`default-src 'self'`) applies to them unchanged.
//! This module only serves bytes; what the page asks of the API is in `web/app.js`,
//! and the security headers are added by the router's middleware, not here.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// One embedded file: its URL path, content type and bytes.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// Every file the page is made of. `/` is `index.html`.
const ASSETS: &[Asset] = &[
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        bytes: include_bytes!("web/index.html"),
    },
    Asset {
        path: "/assets/app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("web/app.js"),
    },
    Asset {
        path: "/assets/style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("web/style.css"),
    },
    Asset {
        path: "/assets/favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("web/favicon.svg"),
    },
];

/// The page's routes: `/`, `/index.html` and each asset. Stateless, merged into the
/// API router (which adds the security headers and the token gate).
pub fn routes() -> Router {
    let router = ASSETS.iter().fold(Router::new(), |router, asset| {
        router.route(asset.path, get(move || serve_asset(asset)))
    });
    router.route("/index.html", get(|| serve_asset(&ASSETS[0])))
}

/// The asset's bytes with its content type. Revalidated on every load
/// (`no-cache`) so a new binary's page is never mixed with an old script.
async fn serve_asset(asset: &'static Asset) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        asset.bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::ASSETS;

    /// A strict CSP blocks inline script and style: the page must hold neither.
    #[test]
    fn html_has_no_inline_script_or_style() {
        let html = std::str::from_utf8(ASSETS[0].bytes).expect("index.html is UTF-8");
        for banned in [
            " style=",
            "<style",
            " onclick=",
            " onload=",
            " onerror=",
            "javascript:",
        ] {
            assert!(!html.contains(banned), "index.html holds `{banned}`");
        }
        for (at, _) in html.match_indices("<script") {
            let tag = &html[at..at + html[at..].find('>').expect("closed tag")];
            assert!(tag.contains(" src=\""), "inline script: {tag}");
        }
    }

    /// Log text is written with textContent: the script never parses strings as HTML.
    #[test]
    fn script_never_parses_html() {
        let js = std::str::from_utf8(ASSETS[1].bytes).expect("app.js is UTF-8");
        for banned in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!js.contains(banned), "app.js uses `{banned}`");
        }
    }

    /// Every asset the HTML links is served.
    #[test]
    fn linked_assets_are_served() {
        let html = std::str::from_utf8(ASSETS[0].bytes).expect("index.html is UTF-8");
        for link in html.split('"').filter(|s| s.starts_with("/assets/")) {
            assert!(
                ASSETS.iter().any(|a| a.path == link),
                "{link} is linked but not served"
            );
        }
    }
}
