//! A client's catch-up: what it missed that is older than its hub's ring, read from the
//! files between its own positions and the ring's newest point (`engine::range`:
//! positioned reads of 64 KiB), rendered for this client alone, and handed to a bounded
//! queue at the client's pace. At most `MAX_CATCHUPS` run at once (a slot of
//! `Hubs::catchups`, held by the reader's thread). Files are found among the served
//! inputs by `(device, inode)`; one that is no longer served cannot be read (its rest
//! is lost, as `docs/API.md` says). When the reader has reached the ring's point the
//! client continues in the ring; a client that takes nothing while `QUEUE` entries wait
//! for `QUEUE_STALL` is closed for overflow. A reader whose client's queue is full
//! while other clients wait for a slot yields its slot (`End::Yielded`): its client
//! queues again for one, resuming after the last entry it was handed, so a slow
//! client never keeps the others from starting.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::cli::FilterArgs;
use crate::engine::range::scan_range;
use crate::input::follow::{head_format, Flow};
use crate::input::Input;
use crate::serve::state::Served;
use crate::serve::stream::cursor::{FileId, Positions};
use crate::serve::stream::hub::{QUEUE, QUEUE_STALL};
use crate::serve::stream::render::{Message, Pipeline, Renderer};
use crate::sink::Source;

/// How a catch-up ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Still reading (or the client left).
    Running = 0,
    /// Everything up to the ring's point was queued.
    Done = 1,
    /// The client took nothing for `QUEUE_STALL` with its queue full.
    Overflowed = 2,
    /// The inputs could not be read with this filter.
    Failed = 3,
    /// The queue was full while others waited for a slot: the slot was given up.
    Yielded = 4,
}

/// A running catch-up: its queue, how it ended, and the flag that stops it.
pub struct CatchUp {
    pub rx: mpsc::Receiver<Message>,
    end: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
}

impl CatchUp {
    /// How it ended (once the queue is closed and empty).
    pub fn end(&self) -> End {
        match self.end.load(Ordering::SeqCst) {
            1 => End::Done,
            2 => End::Overflowed,
            3 => End::Failed,
            4 => End::Yielded,
            _ => End::Running,
        }
    }
}

impl Drop for CatchUp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Starts reading, on a thread of its own holding `slot`, the matches between `from`
/// and `to` (every file `to` names; one `from` does not name is read from its start).
pub fn spawn(
    filter: Arc<FilterArgs>,
    served: Arc<Served>,
    (from, to): (Positions, Positions),
    (slot, waiting): (OwnedSemaphorePermit, Arc<AtomicUsize>),
) -> std::io::Result<CatchUp> {
    let (tx, rx) = mpsc::channel::<Message>(QUEUE);
    let end = Arc::new(AtomicU8::new(End::Running as u8));
    let stop = Arc::new(AtomicBool::new(false));
    let (e, st) = (end.clone(), stop.clone());
    std::thread::Builder::new()
        .name("covet-logs-ws-catchup".into())
        .spawn(move || {
            let mut deliver = |m: Message| queue(&tx, m, (&e, &st, &waiting));
            let ended = match Pipeline::new(&filter, &served.input) {
                Some(p) => read(&p, &served, (&from, &to), &mut deliver),
                None => End::Failed,
            };
            let _ = e.compare_exchange(
                End::Running as u8,
                ended as u8,
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
            drop(slot);
        })?;
    Ok(CatchUp { rx, end, stop })
}

/// Waits for room in the client's queue; `Stop` when it stalls (overflow, recorded),
/// others wait for a slot (yielded, recorded), the client left, or the connection is
/// gone.
fn queue(
    tx: &mpsc::Sender<Message>,
    mut text: Message,
    (end, stop, waiting): (&AtomicU8, &AtomicBool, &AtomicUsize),
) -> Flow {
    let since = Instant::now();
    loop {
        match tx.try_send(text) {
            Ok(()) => return Flow::Continue,
            Err(mpsc::error::TrySendError::Full(t)) => {
                if stop.load(Ordering::SeqCst) {
                    return Flow::Stop;
                }
                if waiting.load(Ordering::SeqCst) > 0 {
                    end.store(End::Yielded as u8, Ordering::SeqCst);
                    return Flow::Stop;
                }
                if since.elapsed() >= QUEUE_STALL {
                    end.store(End::Overflowed as u8, Ordering::SeqCst);
                    return Flow::Stop;
                }
                text = t;
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(mpsc::error::TrySendError::Closed(_)) => return Flow::Stop,
        }
    }
}

/// Reads each file of `to` from the client's position to `to`'s, file after file,
/// into `deliver`; a file `from` does not name, or names past `to`'s position
/// (truncated since), from its start. The cursors start there and end at `to`.
fn read(
    pipeline: &Pipeline,
    served: &Served,
    (from, to): (&Positions, &Positions),
    deliver: &mut dyn FnMut(Message) -> Flow,
) -> End {
    let cfg = pipeline.scan_config();
    let fcfg = pipeline.follow_config();
    let files = served_files(served);
    let start = to
        .iter()
        .map(|(id, &end)| {
            // Past the stream's position: the file was truncated since; from its start.
            (
                *id,
                from.get(id).copied().filter(|&f| f <= end).unwrap_or(0),
            )
        })
        .collect();
    let mut renderer = Renderer::new(start);
    for (input, (&id, &end)) in to.iter().enumerate() {
        let begin = renderer.positions.get(&id).copied().unwrap_or(0);
        let opened = files.get(&id).and_then(|p| Some((p, File::open(p).ok()?)));
        let readable = opened.filter(|(_, f)| f.metadata().is_ok_and(|m| (m.dev(), m.ino()) == id));
        if let Some((path, file)) = readable.filter(|_| begin < end) {
            let Some(format) = fcfg.format.or_else(|| head_format(&file, &fcfg)) else {
                continue;
            };
            renderer.know(input, id);
            let source = Source {
                name: path.display().to_string(),
                index: input,
                format,
            };
            let mut each = |part| {
                for m in renderer.render(part) {
                    if deliver(m) == Flow::Stop {
                        return Flow::Stop;
                    }
                }
                Flow::Continue
            };
            match scan_range(
                &file,
                &source,
                (begin, end),
                &cfg,
                pipeline.sink(),
                &mut each,
            ) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Stop) => return End::Running,
                Err(_) => return End::Failed,
            }
        }
        renderer.positions.insert(id, end);
    }
    End::Done
}

/// The served files by identity, as they are now.
fn served_files(served: &Served) -> HashMap<FileId, PathBuf> {
    let Ok(inputs) = served.inputs() else {
        return HashMap::new();
    };
    inputs
        .into_iter()
        .filter_map(|i| match i {
            Input::File(p) => {
                let m = std::fs::metadata(&p).ok()?;
                Some(((m.dev(), m.ino()), p))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(n: u64) -> Message {
        Message {
            text: format!("{{\"n\":{n}}}").into(),
            cursor: format!("w1.1-1-{n}").into_boxed_str(),
        }
    }

    #[test]
    fn a_full_queue_gives_its_slot_up_only_while_someone_waits() {
        let (tx, mut rx) = mpsc::channel::<Message>(1);
        let (end, stop, waiting) = (
            AtomicU8::new(End::Running as u8),
            AtomicBool::new(false),
            AtomicUsize::new(0),
        );
        assert_eq!(queue(&tx, msg(1), (&end, &stop, &waiting)), Flow::Continue);
        // Full, and a client waits for a slot: yielded at once, the entry not queued.
        waiting.store(1, Ordering::SeqCst);
        assert_eq!(queue(&tx, msg(2), (&end, &stop, &waiting)), Flow::Stop);
        assert_eq!(end.load(Ordering::SeqCst), End::Yielded as u8);
        assert_eq!(
            rx.try_recv().map(|m| m.cursor).ok().as_deref(),
            Some("w1.1-1-1")
        );
        assert!(rx.try_recv().is_err());
        // Full, nobody waiting: it waits for room (the client takes one meanwhile).
        end.store(End::Running as u8, Ordering::SeqCst);
        waiting.store(0, Ordering::SeqCst);
        assert_eq!(queue(&tx, msg(2), (&end, &stop, &waiting)), Flow::Continue);
        let taker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            (rx.try_recv().map(|m| m.cursor).ok(), rx)
        });
        assert_eq!(queue(&tx, msg(3), (&end, &stop, &waiting)), Flow::Continue);
        assert_eq!(end.load(Ordering::SeqCst), End::Running as u8);
        let (took, mut rx) = taker.join().unwrap();
        assert_eq!(took.as_deref(), Some("w1.1-1-2"));
        assert_eq!(
            rx.try_recv().map(|m| m.cursor).ok().as_deref(),
            Some("w1.1-1-3")
        );
    }
}
