//! `WS /ws/logs`: matching entries as they are written, one LogEntry JSON per text
//! message, followed by `tail -f`'s follower through the engine's follow adapter
//! (`engine::follow::follow_into`): rotation, truncation, new files in directories.
//!
//! Each message carries a stream cursor (`w1.`): the read position, after this entry,
//! of every file the connection knows, by `(device, inode)`. `after=CURSOR` resumes
//! every file there (a file the cursor does not know is read from its start), so a
//! reconnect loses and repeats nothing while the entries are still in the files.
//! A client that resumes with `after` has a follower of its own (on its thread) that
//! hands messages to a bounded queue and waits while it is full (the backlog goes at
//! the client's pace); when the queue stays full for `QUEUE_STALL` the follower stops,
//! what is queued is sent, and the socket closes with `CLOSE_OVERFLOW`. Clients that start live share one
//! follower per filter (a broadcast queue of the same size: a client that falls
//! behind it is closed with `CLOSE_OVERFLOW` at once, before any gap).

use std::collections::{BTreeMap, HashMap};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use tokio::sync::{broadcast, mpsc};

use crate::config::{DisplayConfig, FilterConfig, InputConfig, Layout};
use crate::engine::follow::{follow_into, Followed};
use crate::input::follow::{Flow, FollowConfig, Resume, Spec};
use crate::input::Input;
use crate::serve::command;
use crate::serve::entries::{append_cursor, StreamPart, Streamed};
use crate::serve::error::ApiError;
use crate::serve::params::Params;
use crate::serve::security::{origin_allowed, SUBPROTOCOL};
use crate::serve::state::{AppState, Served};

/// Entries queued per client before it counts as too slow.
pub const QUEUE: usize = 4096;
/// The close code of a client whose queue overflowed: reconnect with `after`.
pub const CLOSE_OVERFLOW: u16 = 4008;
/// The close code when an input could not be followed.
pub const CLOSE_FAILED: u16 = 1011;
/// The close code when the server shuts down.
pub const CLOSE_SHUTDOWN: u16 = 1001;
/// How long a resuming client's full queue may wait for it before it is closed.
pub const QUEUE_STALL: Duration = Duration::from_secs(2);
/// The longest one message may take to send before the client is dropped.
const SEND_TIME: Duration = Duration::from_secs(10);
/// How often the server pings an idle client.
const PING: Duration = Duration::from_secs(30);
/// The prefix of a stream cursor.
pub const STREAM_CURSOR: &str = "w1.";

/// A file's identity: device and inode.
type FileId = (u64, u64);

/// Why the follower stopped (shared with the socket task).
const RUNNING: u8 = 0;
const OVERFLOWED: u8 = 1;
const FAILED: u8 = 2;
const LEFT: u8 = 3;

/// `GET /ws/logs` (the upgrade).
pub async fn ws_logs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    if !origin_allowed(&headers) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden_origin",
            "the Origin is not this server",
        ));
    }
    let params = Params::parse(raw.as_deref())?;
    let after =
        match params.get("after") {
            Some(c) => Some(parse_cursor(c).ok_or_else(|| {
                ApiError::bad("bad_cursor", format!("not a stream cursor: {c:?}"))
            })?),
            None => None,
        };
    let args = stream_args(&params, &state)?;
    FilterConfig::new(&args.filter, None).map_err(|e| ApiError::from_engine(&e))?;
    let slot = state.ws_clients.clone().try_acquire_owned().map_err(|_| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "too many WebSocket clients",
        )
    })?;
    let served = state.served.clone();
    let shutdown = state.shutdown.clone();
    // Where reading starts is fixed before the handshake answers: whatever is written
    // once the client sees the connection open is sent.
    let start = {
        let served = served.clone();
        let after = after.clone();
        tokio::task::spawn_blocking(move || resume_specs(&served, after.as_ref()))
            .await
            .map_err(|_| ApiError::internal("cannot list the inputs"))??
    };
    let feed = match after {
        Some(_) => own_feed(args, served, start),
        None => shared_feed(&state, args, served, start),
    }
    .map_err(|_| ApiError::internal("cannot start following"))?;
    Ok(upgrade
        .protocols([SUBPROTOCOL])
        .on_upgrade(move |socket| async move {
            run(socket, feed, shutdown).await;
            drop(slot);
        }))
}

fn stream_args(params: &Params, state: &AppState) -> Result<crate::cli::SearchArgs, ApiError> {
    let mut argv: Vec<std::ffi::OsString> =
        vec!["search".into(), "--json".into(), "--no-history".into()];
    argv.extend(params.filter_argv("search")?);
    match command::parse(command::with_paths(argv, state))? {
        crate::cli::Command::Search(args) => Ok(*args),
        _ => Err(ApiError::internal("not a search")),
    }
}

/// Where a connection's messages come from.
enum Feed {
    /// Its own follower (a client resuming with `after`): a queue, why it ended, and
    /// the flag that stops it.
    Own {
        rx: mpsc::Receiver<Vec<u8>>,
        state: Arc<AtomicU8>,
        stop: Arc<AtomicBool>,
    },
    /// The follower shared by the clients that started live with the same filter.
    Shared(broadcast::Receiver<Utf8Bytes>),
}

/// What a feed gave.
enum Next {
    Entry(Utf8Bytes),
    Overflow,
    Failed,
}

impl Feed {
    async fn next(&mut self) -> Next {
        match self {
            Feed::Own { rx, state, .. } => match rx.recv().await {
                Some(b) => Next::Entry(Utf8Bytes::from(String::from_utf8(b).unwrap_or_default())),
                None if state.load(Ordering::SeqCst) == OVERFLOWED => Next::Overflow,
                None => Next::Failed,
            },
            Feed::Shared(rx) => match rx.recv().await {
                Ok(b) => Next::Entry(b),
                // Missed entries: nothing more may be sent (the client resumes).
                Err(broadcast::error::RecvError::Lagged(_)) => Next::Overflow,
                Err(broadcast::error::RecvError::Closed) => Next::Failed,
            },
        }
    }

    fn stop(&self) {
        if let Feed::Own { stop, state, .. } = self {
            stop.store(true, Ordering::SeqCst);
            let _ = state.compare_exchange(RUNNING, LEFT, Ordering::SeqCst, Ordering::SeqCst);
        }
    }
}

/// A follower of its own, from the cursor's positions, into a bounded queue.
fn own_feed(
    args: crate::cli::SearchArgs,
    served: Arc<Served>,
    start: (Vec<Spec>, BTreeMap<FileId, u64>),
) -> std::io::Result<Feed> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(QUEUE);
    let state = Arc::new(AtomicU8::new(RUNNING));
    let stop = Arc::new(AtomicBool::new(false));
    let (st, sp) = (state.clone(), stop.clone());
    std::thread::Builder::new()
        .name("covet-logs-ws".into())
        .spawn(move || {
            // The backlog waits for the client; a client that takes nothing for
            // `QUEUE_STALL` while its queue is full is closed.
            let mut deliver = |mut text: Vec<u8>| {
                let since = std::time::Instant::now();
                loop {
                    match tx.try_send(text) {
                        Ok(()) => return Flow::Continue,
                        Err(mpsc::error::TrySendError::Full(t)) => {
                            if since.elapsed() >= QUEUE_STALL {
                                st.store(OVERFLOWED, Ordering::SeqCst);
                                return Flow::Stop;
                            }
                            if sp.load(Ordering::SeqCst) {
                                return Flow::Stop;
                            }
                            text = t;
                            std::thread::sleep(Duration::from_millis(2));
                        }
                        Err(mpsc::error::TrySendError::Closed(_)) => return Flow::Stop,
                    }
                }
            };
            let going = || !sp.load(Ordering::SeqCst);
            if !follow(&args, &served, start, &mut deliver, &going) {
                st.store(FAILED, Ordering::SeqCst);
            }
        })?;
    Ok(Feed::Own { rx, state, stop })
}

/// The shared follower of this filter (started now if none runs): one scan of what is
/// appended, each message sent to every client that follows live with that filter.
/// It stops when its last client has gone.
fn shared_feed(
    state: &AppState,
    args: crate::cli::SearchArgs,
    served: Arc<Served>,
    start: (Vec<Spec>, BTreeMap<FileId, u64>),
) -> std::io::Result<Feed> {
    let key = format!("{:?}", args.filter);
    let mut hubs = state.hubs.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(tx) = hubs.get(&key) {
        return Ok(Feed::Shared(tx.subscribe()));
    }
    let (tx, rx) = broadcast::channel::<Utf8Bytes>(QUEUE);
    hubs.insert(key.clone(), tx.clone());
    let registry = state.hubs.clone();
    let spawned = std::thread::Builder::new()
        .name("covet-logs-ws-shared".into())
        .spawn({
            let (registry, key, tx) = (registry.clone(), key.clone(), tx.clone());
            move || {
                let mut deliver = |text: Vec<u8>| {
                    let text = Utf8Bytes::from(String::from_utf8(text).unwrap_or_default());
                    let _ = tx.send(text);
                    Flow::Continue
                };
                // Under the registry's lock, so no client subscribes to a follower
                // that is ending.
                let going = || {
                    let mut hubs = registry.lock().unwrap_or_else(|e| e.into_inner());
                    if tx.receiver_count() > 0 {
                        return true;
                    }
                    hubs.remove(&key);
                    false
                };
                follow(&args, &served, start, &mut deliver, &going);
                registry
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&key);
            }
        });
    if let Err(e) = spawned {
        hubs.remove(&key);
        return Err(e);
    }
    Ok(Feed::Shared(rx))
}

/// One connection: messages relayed from its feed until either side ends.
async fn run(
    mut socket: WebSocket,
    mut feed: Feed,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut ping = tokio::time::interval(PING);
    ping.tick().await;
    loop {
        tokio::select! {
            next = feed.next() => match next {
                Next::Entry(text) => {
                    let sent = tokio::time::timeout(SEND_TIME, socket.send(Message::Text(text))).await;
                    if !matches!(sent, Ok(Ok(()))) {
                        break;
                    }
                }
                Next::Overflow => {
                    let _ = close(&mut socket, CLOSE_OVERFLOW, "overflow: resume with after").await;
                    break;
                }
                Next::Failed => {
                    let _ = close(&mut socket, CLOSE_FAILED, "the inputs could not be followed").await;
                    break;
                }
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            _ = shutdown.changed() => {
                let _ = close(&mut socket, CLOSE_SHUTDOWN, "server shutting down").await;
                break;
            }
        }
    }
    feed.stop();
}

async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) -> Result<(), axum::Error> {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    tokio::time::timeout(
        Duration::from_secs(5),
        socket.send(Message::Close(Some(frame))),
    )
    .await
    .unwrap_or(Ok(()))
}

/// Follows from the resume points with `follow_into`, the printer's JSON handed to
/// `deliver`, each entry given the stream cursor after it, while `going()`. False if
/// the inputs could not be followed.
fn follow(
    args: &crate::cli::SearchArgs,
    served: &Served,
    (specs, mut positions): (Vec<Spec>, BTreeMap<FileId, u64>),
    deliver: &mut dyn FnMut(Vec<u8>) -> Flow,
    going: &dyn Fn() -> bool,
) -> bool {
    let Ok(filter) = FilterConfig::new(&args.filter, None) else {
        return false;
    };
    let Ok(display) = DisplayConfig::new(&args.display) else {
        return false;
    };
    let input_cfg = InputConfig::new(&served.input);
    let printer = display.printer(&filter, Layout::default());
    let cfg = crate::commands::scan_config(&filter, &input_cfg, true, None);
    let fcfg = FollowConfig {
        format: input_cfg.format,
        ctx: cfg.ctx,
        follow_links: input_cfg.follow_links,
        max_entry: input_cfg.max_entry,
        ..FollowConfig::default()
    };
    let mut ids: HashMap<usize, FileId> = HashMap::new();
    let mut names: HashMap<usize, String> = HashMap::new();
    let mut on = |ev: Followed<'_, StreamPart>| -> Flow {
        if !going() {
            return Flow::Stop;
        }
        match ev {
            Followed::Part { part, .. } => {
                send_part(part, &mut ids, &mut names, &mut positions, deliver)
            }
            Followed::Notice { name, .. } => {
                // Rotated, re-created or truncated: look the file up again.
                ids.retain(|input, _| names.get(input).map(String::as_str) != Some(name));
                Flow::Continue
            }
            Followed::Files(_) | Followed::Idle => Flow::Continue,
        }
    };
    follow_into(specs, fcfg, &cfg, &Streamed(printer), &mut on).is_ok()
}

/// Queues a block's entries, each with the cursor after it; `Stop` on overflow.
fn send_part(
    part: StreamPart,
    ids: &mut HashMap<usize, FileId>,
    names: &mut HashMap<usize, String>,
    positions: &mut BTreeMap<FileId, u64>,
    deliver: &mut dyn FnMut(Vec<u8>) -> Flow,
) -> Flow {
    for (i, &(input, end)) in part.ends.iter().enumerate() {
        let id = match ids.get(&input) {
            Some(id) => *id,
            None => {
                let Some(name) = part.names.get(&input) else {
                    continue;
                };
                let Some(id) = std::fs::metadata(name).ok().map(|m| (m.dev(), m.ino())) else {
                    continue;
                };
                ids.insert(input, id);
                names.insert(input, name.clone());
                id
            }
        };
        positions.insert(id, end);
        let mut one = crate::sink::print::Printed::default();
        one.buf.extend_from_slice(part.printed.item(i));
        one.items.push(crate::sink::print::Item {
            end: one.buf.len(),
            ts: None,
        });
        append_cursor(&mut one, &format_cursor(positions));
        let mut text = crate::serve::json::escape_html(one.buf);
        if text.last() == Some(&b'\n') {
            text.pop();
        }
        if deliver(text) == Flow::Stop {
            return Flow::Stop;
        }
    }
    Flow::Continue
}

/// What to follow, resumed where `after` says (else at the files' current ends), and
/// the positions the cursor starts from.
fn resume_specs(
    served: &Served,
    after: Option<&BTreeMap<FileId, u64>>,
) -> Result<(Vec<Spec>, BTreeMap<FileId, u64>), ApiError> {
    let files: Vec<PathBuf> = served
        .inputs()?
        .into_iter()
        .filter_map(|i| match i {
            Input::File(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut positions = BTreeMap::new();
    let mut resumes: Vec<(PathBuf, Resume)> = Vec::new();
    for path in files {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let id = (meta.dev(), meta.ino());
        let offset = match after {
            Some(cursor) => match cursor.get(&id) {
                Some(&off) if off <= meta.len() => off,
                _ => 0,
            },
            None => meta.len(),
        };
        positions.insert(id, offset);
        resumes.push((
            path,
            Resume {
                offset,
                id,
                held: None,
            },
        ));
    }
    let specs = served
        .paths
        .iter()
        .map(|p| {
            let mine = |f: &PathBuf| f == p || f.starts_with(p);
            if p.is_dir() {
                Spec::Dir {
                    path: p.clone(),
                    resume: resumes.iter().filter(|(f, _)| mine(f)).cloned().collect(),
                }
            } else {
                Spec::File {
                    path: p.clone(),
                    resume: resumes.iter().find(|(f, _)| f == p).map(|(_, r)| r.clone()),
                }
            }
        })
        .collect();
    Ok((specs, positions))
}

/// `w1.DEV-INO-OFFSET_...` (decimal).
pub fn format_cursor(positions: &BTreeMap<FileId, u64>) -> String {
    let parts: Vec<String> = positions
        .iter()
        .map(|((dev, ino), off)| format!("{dev}-{ino}-{off}"))
        .collect();
    format!("{STREAM_CURSOR}{}", parts.join("_"))
}

/// A stream cursor back to positions.
pub fn parse_cursor(text: &str) -> Option<BTreeMap<FileId, u64>> {
    let body = text.strip_prefix(STREAM_CURSOR)?;
    let mut out = BTreeMap::new();
    for part in body.split('_').filter(|p| !p.is_empty()) {
        let mut nums = part.split('-').map(|n| n.parse::<u64>());
        match (nums.next(), nums.next(), nums.next(), nums.next()) {
            (Some(Ok(dev)), Some(Ok(ino)), Some(Ok(off)), None) => {
                out.insert((dev, ino), off);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_cursors_round_trip() {
        let mut p = BTreeMap::new();
        p.insert((2049, 77), 1234);
        p.insert((2049, 5), 0);
        let c = format_cursor(&p);
        assert_eq!(c, "w1.2049-5-0_2049-77-1234");
        assert_eq!(parse_cursor(&c), Some(p));
        assert_eq!(parse_cursor("w1."), Some(BTreeMap::new()));
        for bad in ["c1.0.5", "w1.1-2", "w1.1-2-x", "w1.1-2-3-4"] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }
}
