//! `GET /api/v1/logs/search`: `search --json --newest-first`, one page at a time. The
//! inputs are scanned and merged by time as `search` does (`engine::merge`); every
//! match is counted (`total`) and the `limit` matches just before the cursor are kept
//! (a ring), then returned newest first. Identical searches that arrive while one
//! runs wait for its answer instead of scanning again (`AppState::searches`).

use std::collections::VecDeque;
use std::ffi::OsString;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Serialize;

use crate::cli::{Command, SearchArgs};
use crate::config::{DisplayConfig, FilterConfig, InputConfig, Layout};
use crate::engine::merge;
use crate::serve::command::{self, blocking};
use crate::serve::entries::{item_position, parse_entry_cursor, Cursored};
use crate::serve::error::ApiError;
use crate::serve::json;
use crate::serve::params::Params;
use crate::serve::state::{AppState, Served, Shared};

/// Entries per page unless `limit` says.
pub const DEFAULT_LIMIT: usize = 50;
/// The largest page.
pub const MAX_LIMIT: usize = 1000;

/// The answer's shape (documented; the body is written by hand around the entries).
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    /// LogEntry objects, newest first.
    #[schema(value_type = Vec<Object>)]
    pub entries: Vec<serde_json::Value>,
    pub total: u64,
    pub next_cursor: Option<String>,
    pub took_ms: u64,
}

/// `GET /api/v1/logs/search`.
#[utoipa::path(get, path = "/api/v1/logs/search",
    params(("q" = Option<String>, Query, description = "the query"),
           ("since" = Option<String>, Query), ("until" = Option<String>, Query),
           ("range" = Option<String>, Query), ("level" = Option<String>, Query),
           ("service" = Option<String>, Query), ("source" = Option<String>, Query),
           ("filters" = Option<String>, Query, description = "JSON list of LogFilter"),
           ("limit" = Option<usize>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = SearchPage), (status = 400, body = crate::serve::error::ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let params = Params::parse(raw.as_deref())?;
    let limit = params.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?;
    let cursor =
        match params.get("cursor") {
            Some(c) => Some(parse_entry_cursor(c).ok_or_else(|| {
                ApiError::bad("bad_cursor", format!("not a search cursor: {c:?}"))
            })?),
            None => None,
        };
    let args = search_args(&params, &state)?;
    let key = format!("{:?}\u{0}{limit}\u{0}{cursor:?}", args.filter);
    let mut answer = shared_search(&state, key, move |state| {
        let served = state.served.clone();
        async move {
            let page = blocking(&state, move || page(&args, &served, limit, cursor)).await?;
            Ok(Arc::new(page.body_head()))
        }
    });
    let head = answer
        .wait_for(Option::is_some)
        .await
        .map_err(|_| ApiError::internal("the search stopped"))?
        .clone()
        .unwrap_or_else(|| Err(ApiError::internal("the search stopped")))?;
    let mut body = head.as_ref().clone();
    body.extend_from_slice(format!("{}}}", started.elapsed().as_millis()).as_bytes());
    Ok(json::raw(body))
}

/// The running search with this key, or a new one started on its own task (so it
/// finishes and is forgotten even when the request that started it goes away).
fn shared_search<F, Fut>(state: &AppState, key: String, start: F) -> Shared
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<Arc<Vec<u8>>, ApiError>> + Send + 'static,
{
    let mut running = state.searches.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(rx) = running.get(&key) {
        return rx.clone();
    }
    let (tx, rx) = tokio::sync::watch::channel(None);
    running.insert(key.clone(), rx.clone());
    let scan = start(state.clone());
    let searches = state.searches.clone();
    tokio::spawn(async move {
        let answer = scan.await;
        searches
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key);
        let _ = tx.send(Some(answer));
    });
    rx
}

/// The request as `search --json` arguments.
fn search_args(params: &Params, state: &AppState) -> Result<SearchArgs, ApiError> {
    let mut argv: Vec<OsString> = vec![
        "search".into(),
        "--json".into(),
        "--no-history".into(),
        "--paging=never".into(),
    ];
    argv.extend(params.filter_argv("q")?);
    match command::parse(command::with_paths(argv, state))? {
        Command::Search(args) => Ok(*args),
        _ => Err(ApiError::internal("not a search")),
    }
}

/// One page, found by a scan of every input.
struct Page {
    items: VecDeque<Vec<u8>>,
    before: u64,
    total: u64,
}

/// Scans the served inputs with `args`' filter, keeping the `limit` matches before
/// `cursor` (all matches when there is none).
fn page(
    args: &SearchArgs,
    served: &Served,
    limit: usize,
    cursor: Option<(usize, u64)>,
) -> Result<Page, ApiError> {
    let filter = FilterConfig::new(&args.filter, None).map_err(|e| ApiError::from_engine(&e))?;
    let input_cfg = InputConfig::new(&served.input);
    let inputs = served.inputs()?;
    input_cfg.init_threads();
    let display = DisplayConfig::new(&args.display).map_err(|e| ApiError::from_engine(&e))?;
    let several = inputs.len() > 1;
    let printer = display.printer(
        &filter,
        Layout {
            show_file: several,
            need_ts: several,
            ..Layout::default()
        },
    );
    let cfg = crate::commands::scan_config(&filter, &input_cfg, true, None);
    let mut page = Page {
        items: VecDeque::with_capacity(limit),
        before: 0,
        total: 0,
    };
    let mut reached = false;
    let mut write = |item: &[u8]| {
        page.total += 1;
        if !reached {
            reached = match (cursor, item_position(item)) {
                (Some((ci, co)), Some((i, o))) => i == ci && o >= co,
                _ => false,
            };
        }
        if !reached {
            page.before += 1;
            if page.items.len() == limit {
                page.items.pop_front();
            }
            page.items.push_back(item.to_vec());
        }
        Ok(true)
    };
    let merged = merge::scan_by_time(&inputs, &cfg, &Cursored(printer), &mut write);
    if let Some(e) = merged.inputs.first() {
        return Err(ApiError::internal(e.to_string()));
    }
    Ok(page)
}

impl Page {
    /// The JSON body up to the time taken (`..."tookMs":`): entries newest first, the
    /// total, the next cursor.
    fn body_head(self) -> Vec<u8> {
        let more = self.before > self.items.len() as u64;
        let next = match (more, self.items.front()) {
            (true, Some(oldest)) => item_position(oldest).map(|(i, o)| format!("\"c1.{i}.{o}\"")),
            _ => None,
        };
        let mut out = b"{\"entries\":[".to_vec();
        for (n, item) in self.items.iter().rev().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(item.strip_suffix(b"\n").unwrap_or(item));
        }
        out.extend_from_slice(
            format!(
                "],\"total\":{},\"nextCursor\":{},\"tookMs\":",
                self.total,
                next.as_deref().unwrap_or("null")
            )
            .as_bytes(),
        );
        out
    }
}
