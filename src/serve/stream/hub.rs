//! The shared stream of one filter: a ring of the most recent messages, numbered in
//! the order the shared follower made them, each with its cursor and the time it
//! arrived, held within a byte budget (`RING_BUDGET`, shared by all filters' rings).
//! Every client of the filter reads the same messages from it, at its own position
//! (`Reader`); the ring is the clients' queue, and a resume whose `after` is a cursor
//! still in it (or the cursor just before its oldest message) replays from there with
//! no file read. `Hubs` is the registry by filter, with the members of each hub and
//! the slots for catch-up readers. This module holds data only: the follower that
//! fills a ring and the readers that catch up live beside it (`live`, `catchup`).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{watch, Semaphore};

use crate::serve::stream::render::Message;

/// Entries a client may have waiting beyond the fewest it has had (its queue).
pub const QUEUE: usize = 4096;
/// How long more than `QUEUE` entries may wait for a client before it is closed.
pub const QUEUE_STALL: Duration = Duration::from_secs(2);
/// Bytes of messages all rings hold together (each ring an equal share).
pub const RING_BUDGET: usize = 64 << 20;
/// The least a ring holds, however many filters are followed.
const RING_MIN: usize = 1 << 20;
/// Catch-up readers running at once (the others wait for a slot).
pub const MAX_CATCHUPS: usize = 4;
/// Messages handed to a client per read.
const BATCH: usize = 256;

/// How far the shared follower has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tip {
    /// The number the next message will have.
    pub head: u64,
    /// The follower stopped (its inputs could not be followed).
    pub ended: bool,
}

struct Slot {
    msg: Message,
    at: Instant,
}

struct Ring {
    slots: VecDeque<Slot>,
    /// The number of `slots[0]`.
    first: u64,
    bytes: usize,
    /// The cursor before `slots[0]`.
    base: Box<str>,
}

impl Ring {
    fn head(&self) -> u64 {
        self.first + self.slots.len() as u64
    }

    fn tip_cursor(&self) -> &str {
        self.slots.back().map_or(&self.base, |s| &s.msg.cursor)
    }
}

/// One filter's shared stream.
pub struct Hub {
    ring: Mutex<Ring>,
    tip: watch::Sender<Tip>,
    members: AtomicUsize,
    live_hubs: Arc<AtomicUsize>,
}

/// Where a client starts reading.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// In the ring, at this message.
    Ring(u64),
    /// Older than the ring: read the files from the client's positions to `to` (the
    /// cursor of the ring's newest point), then continue in the ring at `join`.
    CatchUp { to: String, join: u64 },
}

/// What a read of the ring gave a client.
pub enum Read {
    Messages(Vec<Utf8Bytes>),
    /// Nothing new yet.
    Wait,
    /// The client fell behind: the next message it needs is gone, or more than its
    /// queue has waited for it longer than `QUEUE_STALL`.
    Behind,
    /// The follower ended and everything was read.
    Ended,
}

/// A client's place in a ring.
pub struct Reader {
    next: u64,
    least_lag: u64,
    joined: Instant,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hub {
    fn new(base: String, live_hubs: Arc<AtomicUsize>) -> Hub {
        Hub {
            ring: Mutex::new(Ring {
                slots: VecDeque::new(),
                first: 0,
                bytes: 0,
                base: base.into_boxed_str(),
            }),
            tip: watch::channel(Tip {
                head: 0,
                ended: false,
            })
            .0,
            members: AtomicUsize::new(0),
            live_hubs,
        }
    }

    /// Clients reading this hub now (catching up or in the ring).
    pub fn members(&self) -> usize {
        self.members.load(Ordering::SeqCst)
    }

    /// Adds the follower's messages, drops the oldest beyond this ring's share of the
    /// budget (the newest is always kept), and wakes the readers.
    pub fn push(&self, msgs: Vec<Message>) {
        if msgs.is_empty() {
            return;
        }
        let cap = (RING_BUDGET / self.live_hubs.load(Ordering::SeqCst).max(1)).max(RING_MIN);
        let now = Instant::now();
        let head = {
            let mut ring = lock(&self.ring);
            for msg in msgs {
                ring.bytes += msg.size();
                ring.slots.push_back(Slot { msg, at: now });
            }
            while ring.bytes > cap && ring.slots.len() > 1 {
                let Some(old) = ring.slots.pop_front() else {
                    break;
                };
                ring.bytes -= old.msg.size();
                ring.first += 1;
                ring.base = old.msg.cursor;
            }
            ring.head()
        };
        self.tip.send_modify(|t| t.head = head);
    }

    /// The follower stopped: readers end once they have read the rest.
    pub fn end(&self) {
        self.tip.send_modify(|t| t.ended = true);
    }

    /// A receiver of the tip, to wait on between reads.
    pub fn watch(&self) -> watch::Receiver<Tip> {
        self.tip.subscribe()
    }

    /// Where a client resuming after `cursor` (`None`: live, from now) starts.
    pub fn plan(&self, cursor: Option<&str>) -> Plan {
        let ring = lock(&self.ring);
        let Some(cursor) = cursor else {
            return Plan::Ring(ring.head());
        };
        if let Some(i) = ring.slots.iter().rposition(|s| &*s.msg.cursor == cursor) {
            return Plan::Ring(ring.first + i as u64 + 1);
        }
        if *ring.base == *cursor {
            return Plan::Ring(ring.first);
        }
        Plan::CatchUp {
            to: ring.tip_cursor().to_string(),
            join: ring.head(),
        }
    }

    /// The ring's newest point: the cursor after its newest message (or its base when
    /// it is empty) and the number of the message that will follow it.
    pub fn tip_point(&self) -> (String, u64) {
        let ring = lock(&self.ring);
        (ring.tip_cursor().to_string(), ring.head())
    }

    /// A reader at message `next`, if the ring still holds it.
    pub fn reader(&self, next: u64) -> Option<Reader> {
        let ring = lock(&self.ring);
        (next >= ring.first && next <= ring.head()).then(|| Reader {
            next,
            least_lag: ring.head() - next,
            joined: Instant::now(),
        })
    }

    /// Whether `reader` has fallen behind: the next message it needs has left the
    /// ring, or more than `QUEUE` messages beyond the fewest it has had waiting have
    /// waited (since it joined) for `QUEUE_STALL`.
    pub fn behind(&self, reader: &Reader) -> bool {
        let ring = lock(&self.ring);
        Self::behind_in(&ring, reader)
    }

    fn behind_in(ring: &Ring, reader: &Reader) -> bool {
        if reader.next < ring.first {
            return true;
        }
        let lag = ring.head() - reader.next;
        let allowed = reader.least_lag + QUEUE as u64;
        if lag <= allowed {
            return false;
        }
        let over = &ring.slots[(reader.next + allowed - ring.first) as usize];
        over.at.max(reader.joined).elapsed() >= QUEUE_STALL
    }

    /// The next messages for `reader` (at most a batch), or why there are none.
    pub fn read(&self, reader: &mut Reader, ended: bool) -> Read {
        let ring = lock(&self.ring);
        if reader.next < ring.first {
            return Read::Behind;
        }
        let lag = ring.head() - reader.next;
        if lag == 0 {
            return if ended { Read::Ended } else { Read::Wait };
        }
        reader.least_lag = reader.least_lag.min(lag);
        if Self::behind_in(&ring, reader) {
            return Read::Behind;
        }
        let from = (reader.next - ring.first) as usize;
        let take = (lag as usize).min(BATCH);
        let msgs = ring
            .slots
            .range(from..from + take)
            .map(|s| s.msg.text.clone())
            .collect();
        reader.next += take as u64;
        Read::Messages(msgs)
    }
}

/// A client's membership of a hub: the hub's follower runs while it has members.
pub struct Member(Arc<Hub>);

impl Member {
    pub fn hub(&self) -> &Arc<Hub> {
        &self.0
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        self.0.members.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The hubs by filter, and the catch-up slots.
pub struct Hubs {
    map: Mutex<HashMap<String, Arc<Hub>>>,
    live: Arc<AtomicUsize>,
    pub catchups: Arc<Semaphore>,
    /// Clients waiting for a catch-up slot: a reader whose client's queue is full
    /// gives its slot up to them (`catchup`).
    pub waiting: Arc<AtomicUsize>,
}

impl Default for Hubs {
    fn default() -> Hubs {
        Hubs {
            map: Mutex::default(),
            live: Arc::default(),
            catchups: Arc::new(Semaphore::new(MAX_CATCHUPS)),
            waiting: Arc::default(),
        }
    }
}

impl Hubs {
    /// Joins the hub of `key`; when none runs, `start` starts the follower of a new
    /// hub, whose ring begins at the cursor `base`, and the hub is registered.
    pub fn join<E>(
        &self,
        key: &str,
        base: String,
        start: impl FnOnce(Arc<Hub>) -> Result<(), E>,
    ) -> Result<Member, E> {
        let mut map = lock(&self.map);
        if let Some(hub) = map.get(key) {
            hub.members.fetch_add(1, Ordering::SeqCst);
            return Ok(Member(hub.clone()));
        }
        let hub = Arc::new(Hub::new(base, self.live.clone()));
        hub.members.fetch_add(1, Ordering::SeqCst);
        start(hub.clone())?;
        self.live.fetch_add(1, Ordering::SeqCst);
        map.insert(key.to_string(), hub.clone());
        Ok(Member(hub))
    }

    /// Ends `key`'s hub if it still has no member (checked under the registry's lock,
    /// so nobody joins a hub that is ending). True if it was removed.
    pub fn leave_if_empty(&self, key: &str, hub: &Arc<Hub>) -> bool {
        let mut map = lock(&self.map);
        if hub.members() > 0 {
            return false;
        }
        if map.get(key).is_some_and(|h| Arc::ptr_eq(h, hub)) {
            map.remove(key);
            self.live.fetch_sub(1, Ordering::SeqCst);
        }
        true
    }

    /// Removes `key`'s hub whatever its members (its follower failed).
    pub fn remove(&self, key: &str, hub: &Arc<Hub>) {
        let mut map = lock(&self.map);
        if map.get(key).is_some_and(|h| Arc::ptr_eq(h, hub)) {
            map.remove(key);
            self.live.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(n: u64) -> Message {
        let cursor = format!("w1.1-1-{n}");
        Message {
            text: Utf8Bytes::from(format!("{{\"n\":{n},\"cursor\":\"{cursor}\"}}")),
            cursor: cursor.into_boxed_str(),
        }
    }

    fn texts(read: Read) -> Vec<String> {
        match read {
            Read::Messages(v) => v.iter().map(|t| t.as_str().to_string()).collect(),
            _ => panic!("no messages"),
        }
    }

    #[test]
    fn a_cursor_in_the_ring_replays_after_it_and_an_older_one_catches_up() {
        let hub = Hub::new("w1.1-1-0".into(), Arc::new(AtomicUsize::new(1)));
        hub.push((1..=10).map(msg).collect());
        assert_eq!(hub.plan(None), Plan::Ring(10));
        assert_eq!(hub.plan(Some("w1.1-1-0")), Plan::Ring(0));
        assert_eq!(hub.plan(Some("w1.1-1-4")), Plan::Ring(4));
        assert_eq!(
            hub.plan(Some("w1.9-9-4")),
            Plan::CatchUp {
                to: "w1.1-1-10".into(),
                join: 10
            }
        );
        let mut r = hub.reader(4).expect("in the ring");
        let got = texts(hub.read(&mut r, false));
        let want: Vec<String> = (5..=10).map(|n| msg(n).text.as_str().to_string()).collect();
        assert_eq!(got, want);
        assert!(matches!(hub.read(&mut r, false), Read::Wait));
        assert!(matches!(hub.read(&mut r, true), Read::Ended));
    }

    #[test]
    fn the_oldest_go_beyond_the_budget_and_a_reader_there_is_behind() {
        // So many filters followed that each ring holds its least.
        let hub = Hub::new("w1.1-1-0".into(), Arc::new(AtomicUsize::new(1 << 10)));
        let size = msg(1).size();
        let n = (RING_MIN / size) as u64 * 2;
        let mut r = hub.reader(0).expect("at the start");
        hub.push((1..=n).map(msg).collect());
        let ring_first = lock(&hub.ring).first;
        assert!(ring_first > 0 && lock(&hub.ring).bytes <= RING_MIN);
        assert!(matches!(hub.read(&mut r, false), Read::Behind));
        assert!(hub.reader(0).is_none());
        // The base moved with the oldest: resuming there still replays exactly.
        assert_eq!(
            hub.plan(Some(&format!("w1.1-1-{ring_first}"))),
            Plan::Ring(ring_first)
        );
    }
}
