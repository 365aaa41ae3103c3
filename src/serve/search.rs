//! `GET /api/v1/logs/search`: `search --json --newest-first`, one page at a time. The
//! request's filter is compiled once by the config layer; the inputs are scanned and
//! merged by time as `search` does; every match is counted (`total`) and the `limit`
//! matches just before the cursor are kept (a ring), then returned newest first.
//!
//! Concurrent searches share scans: an identical search (same filter, page and cursor)
//! waits for the running one's answer; different searches queue for a scan slot, and
//! when one is free the queued searches (up to `batch::MAX_QUERIES`, of which at most
//! `batch::MAX_UNSELECTIVE` without a literal) are answered from one pass that tests
//! each entry with the queries whose literals it holds (`engine::batch::scan_each`),
//! each keeping its own page and total; the rest get the next pass, on another scan
//! slot. A lone search waits `GATHER` for company first.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use crate::cli::DisplayArgs;
use crate::config::{DisplayConfig, FilterConfig, InputConfig, Layout};
use crate::engine::batch::{self, MAX_QUERIES, MAX_UNSELECTIVE};
use crate::scan::ScanConfig;
use crate::serve::entries::{item_position, parse_entry_cursor, Cursored, Positioned};
use crate::serve::error::ApiError;
use crate::serve::json;
use crate::serve::params::{defaults, Params};
use crate::serve::state::{AppState, Queued, Served, Shared, SCAN_WAIT};

/// How long a pass waits, once it has a scan slot, for searches sent at about the same
/// time to join it (again while more keep arriving, up to `GATHER_MAX`).
pub const GATHER: Duration = Duration::from_millis(5);
/// The longest a pass waits for company.
pub const GATHER_MAX: Duration = Duration::from_millis(50);

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
    let filter_args = params.filter_args("q", &state.served.zone)?;
    let key = format!("{filter_args:?}\u{0}{limit}\u{0}{cursor:?}");
    let running = state
        .searches
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    let mut answer = match running {
        Some(rx) => rx,
        None => {
            let filter =
                FilterConfig::new(&filter_args, None).map_err(|e| ApiError::from_engine(&e))?;
            let history = match cursor {
                None => recorded(&params)?,
                Some(_) => None,
            };
            enqueue(&state, key, filter, limit, cursor, history)
        }
    };
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

/// The running or queued search with this key, or this one queued for the next pass
/// (a task is started to run it unless one is waiting already). The pass runs on its
/// own task, so it finishes and is forgotten even when the request goes away.
fn enqueue(
    state: &AppState,
    key: String,
    filter: FilterConfig,
    limit: usize,
    cursor: Option<(usize, u64)>,
    history: Option<(String, Vec<String>)>,
) -> Shared {
    let mut running = state.searches.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(rx) = running.get(&key) {
        return rx.clone();
    }
    let (answer, rx) = tokio::sync::watch::channel(None);
    running.insert(key.clone(), rx.clone());
    let mut pending = state.pending.lock().unwrap_or_else(|e| e.into_inner());
    pending.queued.push(Queued {
        key,
        filter,
        limit,
        cursor,
        history,
        answer,
    });
    if !pending.runner {
        pending.runner = true;
        tokio::spawn(run_pass(state.clone()));
    }
    rx
}

/// Waits for a scan slot, gathers the queued searches and answers them from one pass;
/// searches left over (past `MAX_QUERIES`, or without a literal past
/// `MAX_UNSELECTIVE`) get a pass of their own.
async fn run_pass(state: AppState) {
    let permit = tokio::time::timeout(SCAN_WAIT, state.scans.clone().acquire_owned()).await;
    let permit = match permit {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) => {
            let batch = take_batch(&state);
            return answer(&state, batch, Err(ApiError::internal("shutting down")));
        }
        Err(_) => {
            let busy = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "every scan slot is busy; try again",
            );
            let batch = take_batch(&state);
            return answer(&state, batch, Err(busy));
        }
    };
    gather(&state).await;
    let batch = take_batch(&state);
    let keys: Vec<String> = batch.iter().map(|q| q.key.clone()).collect();
    let served = state.served.clone();
    let ran = tokio::task::spawn_blocking(move || {
        let pages = pages(&served, &batch);
        drop(permit);
        if let Ok(pages) = &pages {
            record(&batch, pages);
        }
        (batch, pages)
    })
    .await;
    match ran {
        Ok((batch, pages)) => answer(&state, batch, pages),
        // A panicked scan dropped its searches' senders (their requests answer that
        // the search stopped); they are no longer running.
        Err(_) => {
            let mut running = state.searches.lock().unwrap_or_else(|e| e.into_inner());
            keys.iter().for_each(|k| drop(running.remove(k)));
        }
    }
}

/// Waits while searches keep arriving: `GATHER` at a time, at most `GATHER_MAX`.
async fn gather(state: &AppState) {
    let started = Instant::now();
    let queued = || {
        state
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .queued
            .len()
    };
    let mut seen = 0;
    loop {
        tokio::time::sleep(GATHER).await;
        let now = queued();
        if now == seen || now >= MAX_QUERIES || started.elapsed() >= GATHER_MAX {
            return;
        }
        seen = now;
    }
}

/// The next pass's searches; a new task for the rest.
fn take_batch(state: &AppState) -> Vec<Queued> {
    let mut pending = state.pending.lock().unwrap_or_else(|e| e.into_inner());
    let queued = std::mem::take(&mut pending.queued);
    let (batch, rest) = split_batch(queued);
    pending.queued = rest;
    if pending.queued.is_empty() {
        pending.runner = false;
    } else {
        tokio::spawn(run_pass(state.clone()));
    }
    batch
}

/// The searches of one pass, in queue order, and the rest: at most `MAX_QUERIES`, of
/// which at most `batch::MAX_UNSELECTIVE` without a literal (each is tested on every
/// entry; the others wait for a pass of their own, which runs beside this one when a
/// scan slot is free).
fn split_batch(queued: Vec<Queued>) -> (Vec<Queued>, Vec<Queued>) {
    let (mut batch, mut rest) = (Vec::new(), Vec::new());
    let mut unselective = 0;
    for q in queued {
        let shares_well = batch::shares_well(&q.filter);
        if batch.len() == MAX_QUERIES || (!shares_well && unselective == MAX_UNSELECTIVE) {
            rest.push(q);
            continue;
        }
        unselective += usize::from(!shares_well);
        batch.push(q);
    }
    (batch, rest)
}

/// What the history records of a first page: its query text and filter flags, when
/// it has a query or a filter (`level`, `service`, `source`, a saved `filter`; a time
/// range alone is the page opening, not a search).
fn recorded(params: &Params) -> Result<Option<(String, Vec<String>)>, ApiError> {
    let query = params.query("q")?.unwrap_or_default();
    let filtered = ["level", "service", "source", "filter"]
        .iter()
        .any(|key| !params.all(key).is_empty());
    if query.trim().is_empty() && !filtered {
        return Ok(None);
    }
    Ok(Some((query, params.history_argv("q")?)))
}

/// Records the pass's searches that the history keeps, with their totals.
fn record(batch: &[Queued], pages: &[Page]) {
    for (q, page) in batch.iter().zip(pages) {
        if let Some((query, flags)) = &q.history {
            crate::commands::history::record_served(query, page.total, flags.clone());
        }
    }
}

/// Sends each search its page (or the pass's error) and forgets it as running.
fn answer(state: &AppState, batch: Vec<Queued>, pages: Result<Vec<Page>, ApiError>) {
    let mut running = state.searches.lock().unwrap_or_else(|e| e.into_inner());
    let mut pages = pages.map(Vec::into_iter);
    for q in batch {
        running.remove(&q.key);
        let one = match &mut pages {
            Ok(pages) => pages
                .next()
                .map(|p| Arc::new(p.body_head()))
                .ok_or_else(|| ApiError::internal("no page")),
            Err(e) => Err(e.clone()),
        };
        let _ = q.answer.send(Some(one));
    }
}

/// One search's page: the ring of the `limit` matches before its cursor, how many
/// matches came before the cursor, and the total.
struct Page {
    items: VecDeque<Vec<u8>>,
    limit: usize,
    cursor: Option<(usize, u64)>,
    reached: bool,
    before: u64,
    total: u64,
}

/// Scans the served inputs once for every search of the batch; each keeps the `limit`
/// matches before its cursor (all matches when there is none).
fn pages(served: &Served, batch: &[Queued]) -> Result<Vec<Page>, ApiError> {
    let Some(first) = batch.first() else {
        return Ok(Vec::new());
    };
    let input_cfg = InputConfig::new(&served.input);
    let inputs = served.inputs()?;
    input_cfg.init_threads();
    let mut display_args: DisplayArgs = defaults()?;
    display_args.json = true;
    let display = DisplayConfig::new(&display_args).map_err(|e| ApiError::from_engine(&e))?;
    let several = inputs.len() > 1;
    let printer = display.printer(
        &first.filter,
        Layout {
            show_file: several,
            need_ts: several,
            ..Layout::default()
        },
    );
    let base = crate::commands::scan_config(&first.filter, &input_cfg, true, None);
    let filters: Vec<&FilterConfig> = batch.iter().map(|q| &q.filter).collect();
    if input_cfg.debug {
        eprintln!(
            "covet-logs: debug: search: one pass for {} queries over {} inputs",
            filters.len(),
            inputs.len()
        );
    }
    let mut pages: Vec<Page> = batch.iter().map(|q| Page::new(q.limit, q.cursor)).collect();
    let cursored = Cursored(printer);
    if let [_] = batch {
        // A lone search renders its matches as it goes (its own scan, as `search`).
        let merged = batch::scan_each(&inputs, &filters, &base, &cursored, &mut |i, item| {
            pages[i].take(item);
            Ok(true)
        });
        finished(merged)?;
        return Ok(pages);
    }
    // Several: the pass keeps positions; only the entries the pages keep are rendered.
    let positioned = Positioned { need_ts: several };
    // Positions need no line numbers (the kept entries get theirs when rendered).
    let unnumbered = ScanConfig {
        need_lines: false,
        ..base.clone()
    };
    let merged = batch::scan_each(
        &inputs,
        &filters,
        &unnumbered,
        &positioned,
        &mut |i, item| {
            pages[i].take(item);
            Ok(true)
        },
    );
    finished(merged)?;
    let kept: HashSet<(usize, u64)> = pages
        .iter()
        .flat_map(|p| p.items.iter().filter_map(|item| item_position(item)))
        .collect();
    let mut rendered: HashMap<(usize, u64), Vec<u8>> = HashMap::with_capacity(kept.len());
    if !kept.is_empty() {
        let merged = batch::render_at(&inputs, &filters, &kept, &base, &cursored, &mut |item| {
            if let Some(at) = item_position(item) {
                rendered.insert(at, item.to_vec());
            }
            Ok(true)
        });
        finished(merged)?;
    }
    for page in &mut pages {
        for item in page.items.iter_mut() {
            let at = item_position(item);
            *item = at
                .and_then(|at| rendered.get(&at).cloned())
                .ok_or_else(|| ApiError::internal("an input changed during the search"))?;
        }
    }
    Ok(pages)
}

/// A pass's errors as the API's.
fn finished(merged: crate::engine::merge::Merged) -> Result<(), ApiError> {
    if let Some(e) = merged.inputs.first() {
        return Err(ApiError::internal(e.to_string()));
    }
    merged.output.map_err(|e| ApiError::internal(e.to_string()))
}

impl Page {
    fn new(limit: usize, cursor: Option<(usize, u64)>) -> Page {
        Page {
            items: VecDeque::with_capacity(limit),
            limit,
            cursor,
            reached: false,
            before: 0,
            total: 0,
        }
    }

    /// Counts a match, and keeps it when it comes before the cursor.
    fn take(&mut self, item: &[u8]) {
        self.total += 1;
        if !self.reached {
            self.reached = match (self.cursor, item_position(item)) {
                (Some((ci, co)), Some((i, o))) => i == ci && o >= co,
                _ => false,
            };
        }
        if !self.reached {
            self.before += 1;
            if self.items.len() == self.limit {
                self.items.pop_front();
            }
            self.items.push_back(item.to_vec());
        }
    }

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
