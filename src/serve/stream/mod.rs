//! `WS /ws/logs`: matching entries as they are written, one LogEntry JSON per text
//! message, followed by `tail -f`'s follower through the engine's follow adapter
//! (`engine::follow::follow_into`): rotation, truncation, new files in directories.
//!
//! Each message carries a stream cursor (`w1.`, `cursor`): the read position, after
//! this entry, of every file the stream knows, by `(device, inode)`; `after=CURSOR`
//! resumes there, so a reconnect loses and repeats nothing while the entries are still
//! in the files.
//!
//! - `hub`: all clients of one filter share one follower (`live`), which renders each
//!   entry once into a ring of recent messages (a byte budget); each client reads the
//!   ring at its own place. A resume whose cursor is in the ring replays from it.
//! - `catchup`: an `after` older than the ring is read from the files up to the ring's
//!   newest point (small blocks, a few readers at once), then the client continues in
//!   the ring: handed back to the shared follower, with no gap and no repeat.
//! - `render`: the pipeline and the rendering both share; `cursor`: the cursor's text.
//! - `resume`: `after=ID` (a LogEntry `id` instead of a cursor) turned into positions
//!   read from the files before the client joins, which then resume as a cursor's.
//!
//! A client that has had more than `QUEUE` entries waiting (beyond the fewest it has
//! had) for `QUEUE_STALL`, whose next entry has left the ring, or whose socket took
//! nothing for `SEND_TIME` (entries or a ping: every frame goes through one send that
//! watches this), is closed with `CLOSE_OVERFLOW` before any gap, and resumes with
//! `after`. The shared follower never waits for a client (it only pushes into the
//! ring), and reads in small steps (`render::LIVE_BATCH`), so a large write reaches
//! the clients as it is scanned rather than 4 MiB at a time.

pub mod catchup;
pub mod cursor;
pub mod hub;
pub mod live;
pub mod render;
pub mod resume;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::SinkExt;
use tokio::sync::watch;

use crate::cli::FilterArgs;
use crate::config::FilterConfig;
use crate::serve::error::ApiError;
use crate::serve::params::Params;
use crate::serve::security::{origin_allowed, SUBPROTOCOL};
use crate::serve::slots::blocking;
use crate::serve::state::{AppState, Served};
use catchup::{CatchUp, End};
use cursor::{format_cursor, parse_cursor, Positions};
use hub::{Hubs, Member, Plan, Read, Reader, Tip};

/// The close code of a client that fell behind: reconnect with `after`.
pub const CLOSE_OVERFLOW: u16 = 4008;
/// The close code when an input could not be followed.
pub const CLOSE_FAILED: u16 = 1011;
/// The close code when the server shuts down.
pub const CLOSE_SHUTDOWN: u16 = 1001;
/// The longest a client may take nothing before it is closed for overflow.
const SEND_TIME: Duration = Duration::from_secs(10);
/// The longest a close frame waits behind what the socket holds: a client closed for
/// overflow that stopped reading for a while still gets the close code once it reads.
const CLOSE_TIME: Duration = Duration::from_secs(30);
/// How often the server pings an idle client.
const PING: Duration = Duration::from_secs(30);
/// The read buffer of a connection. Clients send only control frames (pong, close:
/// at most 139 bytes), and the WebSocket library zero-fills this whole buffer before
/// every read attempt, which the connection's loop makes once per batch it sends: the
/// default 128 KiB was a fifth of the server's instructions under load (callgrind),
/// 4 KiB still a tenth. A longer message is read in several steps.
const READ_BUFFER: usize = 512;
/// The largest message or frame a client may send (none is needed: what clients
/// send is ignored); a larger one ends the connection.
const MAX_CLIENT_MESSAGE: usize = 64 << 10;

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
    let after = params.get("after").map(resume_point).transpose()?;
    let filter = params.filter_args("search", &state.served.zone)?;
    FilterConfig::new(&filter, None).map_err(|e| ApiError::from_engine(&e))?;
    let slot = state.ws_clients.clone().try_acquire_owned().map_err(|_| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "too many WebSocket clients",
        )
    })?;
    // An entry id is looked for in the files (a scan: under a scan slot) before
    // following starts.
    let after = match after {
        Some(Resume::Entry(id)) => {
            let served = state.served.clone();
            let found = blocking(&state, move || resume::positions_after_id(&served, &id));
            Some(Start::Entry(found.await?))
        }
        Some(Resume::Cursor(p)) => Some(Start::Cursor(p)),
        None => None,
    };
    let shutdown = state.shutdown.clone();
    // Where reading starts is fixed before the handshake answers: whatever is written
    // once the client sees the connection open is sent.
    let feed = {
        let (hubs, served) = (state.hubs.clone(), state.served.clone());
        tokio::task::spawn_blocking(move || Feed::start(hubs, served, Arc::new(filter), after))
            .await
            .map_err(|_| ApiError::internal("cannot start following"))??
    };
    Ok(upgrade
        .protocols([SUBPROTOCOL])
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| async move {
            run(socket, feed, shutdown).await;
            drop(slot);
        }))
}

/// What `after` names: a stream cursor, or an entry by its LogEntry `id`.
enum Resume {
    Cursor(Positions),
    Entry(String),
}

/// `after`: a `w1.` cursor (400 `bad_cursor` when malformed), an entry cursor of a
/// search (`c1.`, 400 `bad_cursor`: a search position is no stream position), else an
/// entry id (resolved in `resume`).
fn resume_point(after: &str) -> Result<Resume, ApiError> {
    let bad = |why: &str| ApiError::bad("bad_cursor", format!("{why}: {after:?}"));
    if after.starts_with(cursor::STREAM_CURSOR) {
        return parse_cursor(after)
            .map(Resume::Cursor)
            .ok_or_else(|| bad("not a stream cursor"));
    }
    if crate::serve::entries::parse_entry_cursor(after).is_some() {
        return Err(bad("a search cursor is not a stream position"));
    }
    crate::serve::params::check_length(after)?;
    Ok(Resume::Entry(after.to_string()))
}

/// Where a resume starts: a cursor's positions, or positions found from an entry id
/// (kept within the ring's point, `resume::within`).
enum Start {
    Cursor(Positions),
    Entry(Positions),
}

/// Where a connection's messages come from: its hub, after a catch-up when its
/// `after` is older than the ring.
struct Feed {
    member: Member,
    tip: watch::Receiver<Tip>,
    phase: Phase,
    hubs: Arc<Hubs>,
    served: Arc<Served>,
    filter: Arc<FilterArgs>,
}

enum Phase {
    /// Reading the ring.
    Ring(Reader),
    /// Waiting for a catch-up slot, to read from `from` to `to`, then the ring at
    /// `join`.
    Queued {
        from: Positions,
        to: Positions,
        join: u64,
    },
    /// A catch-up reader runs; `from` moves to the cursor of each message taken.
    CatchingUp {
        reader: CatchUp,
        from: Positions,
        to: Positions,
        join: u64,
    },
}

/// What a feed gave.
enum Next {
    Batch(Vec<Utf8Bytes>),
    Overflow,
    Failed,
}

impl Feed {
    /// Joins the filter's hub and plans where this client starts (blocking: it may
    /// list the inputs and start the follower).
    fn start(
        hubs: Arc<Hubs>,
        served: Arc<Served>,
        filter: Arc<FilterArgs>,
        after: Option<Start>,
    ) -> Result<Feed, ApiError> {
        let member = live::join(&hubs, &filter, &served)?;
        let hub = member.hub().clone();
        let cursor = after
            .as_ref()
            .map(|(Start::Cursor(p) | Start::Entry(p))| format_cursor(p));
        let phase = match hub.plan(cursor.as_deref()) {
            Plan::Ring(next) => hub.reader(next).map(Phase::Ring),
            Plan::CatchUp { to, join } => parse_cursor(&to).map(|to| Phase::Queued {
                from: match after {
                    Some(Start::Entry(from)) => resume::within(from, &to),
                    Some(Start::Cursor(from)) => from,
                    None => Positions::default(),
                },
                to,
                join,
            }),
        }
        .ok_or_else(|| ApiError::internal("the stream moved while starting"))?;
        Ok(Feed {
            tip: hub.watch(),
            member,
            phase,
            hubs,
            served,
            filter,
        })
    }

    /// Whether the client has fallen behind (checked while its socket takes nothing).
    fn behind(&self) -> bool {
        match &self.phase {
            Phase::Ring(reader) => self.member.hub().behind(reader),
            Phase::CatchingUp { reader, .. } => {
                reader.end() == End::Overflowed || reader.rx.len() >= hub::QUEUE
            }
            Phase::Queued { .. } => false,
        }
    }

    /// The next messages. Cancel-safe: what was taken is returned before any await.
    async fn next(&mut self) -> Next {
        loop {
            let hub = self.member.hub().clone();
            match &mut self.phase {
                Phase::Ring(reader) => {
                    let ended = self.tip.borrow_and_update().ended;
                    match hub.read(reader, ended) {
                        Read::Messages(m) => return Next::Batch(m),
                        Read::Behind => return Next::Overflow,
                        Read::Ended => return Next::Failed,
                        Read::Wait => {
                            if self.tip.changed().await.is_err() {
                                return Next::Failed;
                            }
                        }
                    }
                }
                Phase::Queued { from, to, join } => {
                    let slot = {
                        let _waiting = Waiting::new(&self.hubs.waiting);
                        self.hubs.catchups.clone().acquire_owned().await
                    };
                    let Ok(slot) = slot else {
                        return Next::Failed;
                    };
                    let (from, to, join) = (std::mem::take(from), std::mem::take(to), *join);
                    let range = (from.clone(), to.clone());
                    let slot = (slot, self.hubs.waiting.clone());
                    let Ok(reader) =
                        catchup::spawn(self.filter.clone(), self.served.clone(), range, slot)
                    else {
                        return Next::Failed;
                    };
                    self.phase = Phase::CatchingUp {
                        reader,
                        from,
                        to,
                        join,
                    };
                }
                Phase::CatchingUp {
                    reader,
                    from,
                    to,
                    join,
                } => {
                    let mut batch = Vec::new();
                    if reader.rx.recv_many(&mut batch, 256).await > 0 {
                        if let Some(at) = batch.last().and_then(|m| parse_cursor(&m.cursor)) {
                            *from = at;
                        }
                        return Next::Batch(batch.into_iter().map(|m| m.text).collect());
                    }
                    match reader.end() {
                        End::Done => {}
                        End::Overflowed => return Next::Overflow,
                        // Gave its slot to a waiting client: queue again, from the
                        // last entry taken.
                        End::Yielded => {
                            self.phase = Phase::Queued {
                                from: std::mem::take(from),
                                to: std::mem::take(to),
                                join: *join,
                            };
                            continue;
                        }
                        End::Failed | End::Running => return Next::Failed,
                    }
                    // Caught up to the ring's point: continue in the ring there, or,
                    // if it has left the ring meanwhile, catch up again from it.
                    self.phase = match hub.reader(*join) {
                        Some(r) => Phase::Ring(r),
                        None => {
                            let (cursor, join) = hub.tip_point();
                            let Some(next_to) = parse_cursor(&cursor) else {
                                return Next::Failed;
                            };
                            Phase::Queued {
                                from: std::mem::take(to),
                                to: next_to,
                                join,
                            }
                        }
                    };
                }
            }
        }
    }
}

/// A client counted among those waiting for a catch-up slot while this lives (the
/// wait is cancelled when the connection ends).
struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(count: &'a std::sync::atomic::AtomicUsize) -> Waiting<'a> {
        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// What a connection does next.
enum Out {
    Send(Vec<Message>),
    Close(u16, &'static str),
    Stop,
}

/// One connection: messages relayed from its feed until either side ends. Every
/// frame (entries and pings alike) goes out through `send`, so a client that takes
/// nothing is closed for overflow whatever the server was sending it; the close frame
/// is sent after the feed is dropped (no catch-up slot or ring place held meanwhile).
async fn run(
    mut socket: WebSocket,
    mut feed: Feed,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut ping = tokio::time::interval(PING);
    ping.tick().await;
    let closing = loop {
        let out = tokio::select! {
            next = feed.next() => match next {
                Next::Batch(texts) => Out::Send(texts.into_iter().map(Message::Text).collect()),
                Next::Overflow => Out::Close(CLOSE_OVERFLOW, OVERFLOW),
                Next::Failed => Out::Close(CLOSE_FAILED, "the inputs could not be followed"),
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => Out::Stop,
                Some(Ok(_)) => continue,
            },
            _ = ping.tick() => Out::Send(vec![Message::Ping(Vec::new().into())]),
            _ = shutdown.changed() => Out::Close(CLOSE_SHUTDOWN, "server shutting down"),
        };
        match out {
            Out::Send(msgs) => match send(&mut socket, msgs, &feed).await {
                Sent::Done => {}
                Sent::Stalled => break Some((CLOSE_OVERFLOW, OVERFLOW)),
                Sent::Dead => break None,
            },
            Out::Close(code, reason) => break Some((code, reason)),
            Out::Stop => break None,
        }
    };
    drop(feed);
    if let Some((code, reason)) = closing {
        let _ = close(&mut socket, code, reason).await;
    }
}

/// The reason given with `CLOSE_OVERFLOW`.
const OVERFLOW: &str = "overflow: resume with after";

/// How sending went.
enum Sent {
    Done,
    /// The client fell behind while its socket took nothing, or took nothing for
    /// `SEND_TIME`: close it for overflow (it resumes with `after`).
    Stalled,
    /// The connection failed.
    Dead,
}

/// Sends messages; while the socket takes nothing, checks every `QUEUE_STALL` whether
/// the client has fallen behind, and gives up after `SEND_TIME`.
async fn send(socket: &mut WebSocket, msgs: Vec<Message>, feed: &Feed) -> Sent {
    let started = tokio::time::Instant::now();
    let send = send_all(socket, msgs);
    tokio::pin!(send);
    loop {
        tokio::select! {
            sent = &mut send => return if sent.is_ok() { Sent::Done } else { Sent::Dead },
            _ = tokio::time::sleep(hub::QUEUE_STALL) => {
                if feed.behind() || started.elapsed() >= SEND_TIME {
                    return Sent::Stalled;
                }
            }
        }
    }
}

/// Sends messages with one flush at the end (one write for many small messages).
async fn send_all(socket: &mut WebSocket, msgs: Vec<Message>) -> Result<(), axum::Error> {
    for msg in msgs {
        socket.feed(msg).await?;
    }
    socket.flush().await
}

/// Sends a close frame, waiting at most `CLOSE_TIME` behind what the socket holds.
async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) -> Result<(), axum::Error> {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    tokio::time::timeout(CLOSE_TIME, socket.send(Message::Close(Some(frame))))
        .await
        .unwrap_or(Ok(()))
}
