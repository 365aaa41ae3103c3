//! A cluster query's matches in waves, so that the client prints before the whole
//! answer is in. Ballista's client fetches a job's results only once every task of
//! the job has ended, so one job for all splits prints nothing until the last split is
//! read. Here the splits run as a series of jobs: the first few splits of every input
//! first (each input's next splits in each later wave, so that a wave always holds a
//! run of each input's splits in order), each wave twice as large as the one before.
//! A thread of its own runs the waves one after another, a wave ahead of what the
//! client prints; each lane of the merge takes its input's rows a wave at a time, as
//! the merge asks. When the output stops early (`-m`, a closed pipe) the waves not yet
//! begun are never run.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver};

use crate::cluster::spill::{self, Group, Places, Spill};
use crate::cluster::table::{SizeRow, Split};
use crate::error::{Error, Result};

/// Splits in the first wave; each wave after has twice as many as the one before.
pub const FIRST_WAVE: usize = 4;

/// The first wave's size: `COVET_LOGS_FIRST_WAVE` when it is a number of at least 1
/// (a cluster of many executors starts wider; a large number runs one job), else
/// `FIRST_WAVE`.
pub fn first_wave() -> usize {
    std::env::var("COVET_LOGS_FIRST_WAVE")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(FIRST_WAVE)
}

/// The splits of a scan in waves: ordered by their place within their input first
/// (every input's first split, then every input's second...), then cut into waves of
/// `first`, `2 * first`, `4 * first`... splits.
pub fn waves_of(splits: Vec<Split>, first: usize) -> Vec<Vec<Split>> {
    let mut seen: HashMap<u32, usize> = HashMap::new();
    let mut keyed: Vec<(usize, usize, Split)> = splits
        .into_iter()
        .enumerate()
        .map(|(at, split)| {
            let nth = seen.entry(split.input).or_insert(0);
            *nth += 1;
            (*nth, at, split)
        })
        .collect();
    keyed.sort_by_key(|(nth, at, _)| (*nth, *at));
    let mut order = keyed.into_iter().map(|(_, _, split)| split).peekable();
    let (mut waves, mut size) = (Vec::new(), first.max(1));
    while order.peek().is_some() {
        waves.push(order.by_ref().take(size).collect());
        size = size.saturating_mul(2);
    }
    waves
}

/// The waves' answers as they come, shared by the lanes of the merge.
pub struct Waves {
    rx: Receiver<Result<Spill>>,
    /// The last wave holding a split of each input (by input number): a lane past it
    /// is done without waiting for the waves after.
    last: HashMap<usize, usize>,
    got: RefCell<Vec<Spill>>,
    /// The size rows of every wave received so far.
    sizes: RefCell<Vec<(u32, SizeRow)>>,
    /// A wave failed (its error handed to one lane) or every wave was received.
    ended: Cell<bool>,
}

impl Waves {
    /// Runs `waves` one after another with `run` (wave number, its splits) on a thread
    /// of its own, at most one wave ahead of the one the client reads.
    pub fn start(
        waves: Vec<Vec<Split>>,
        mut run: impl FnMut(usize, Vec<Split>) -> Result<Spill> + Send + 'static,
    ) -> Result<Waves> {
        let mut last = HashMap::new();
        for (n, wave) in waves.iter().enumerate() {
            for split in wave {
                last.insert(split.input as usize, n);
            }
        }
        let (tx, rx) = mpsc::sync_channel(0);
        std::thread::Builder::new()
            .name("covet-waves".into())
            .spawn(move || {
                for (n, wave) in waves.into_iter().enumerate() {
                    let answer = run(n, wave);
                    let failed = answer.is_err();
                    if tx.send(answer).is_err() || failed {
                        return;
                    }
                }
            })
            .map_err(|e| Error::io("--engine", &e))?;
        Ok(Waves {
            rx,
            last,
            got: RefCell::new(Vec::new()),
            sizes: RefCell::new(Vec::new()),
            ended: Cell::new(false),
        })
    }

    /// Whether wave `n` is in, waiting for it (and the waves before); `false` when
    /// there is no such wave.
    fn have(&self, n: usize) -> Result<bool> {
        while self.got.borrow().len() <= n {
            if self.ended.get() {
                return Ok(false);
            }
            match self.rx.recv() {
                Ok(Ok(spill)) => {
                    self.sizes.borrow_mut().extend_from_slice(spill.sizes());
                    self.got.borrow_mut().push(spill);
                }
                Ok(Err(e)) => {
                    self.ended.set(true);
                    return Err(e);
                }
                Err(_) => {
                    self.ended.set(true);
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The bytes of input `input`'s next group of rows after `at` (`spill::rows`
    /// reads them; `at.places()` places them), waiting for the wave that holds it;
    /// `None` once the input has no more.
    pub fn next_group(&self, input: usize, at: &mut Cursor) -> Result<Option<Vec<u8>>> {
        loop {
            if let Some(group) = at.groups.get(at.next) {
                at.next += 1;
                return self.got.borrow()[at.wave - 1].read(group).map(Some);
            }
            let more = self.last.get(&input).is_some_and(|&last| at.wave <= last);
            if !more || !self.have(at.wave)? {
                return Ok(None);
            }
            at.groups = self.got.borrow()[at.wave].groups(input);
            at.next = 0;
            at.wave += 1;
            at.places = spill::places(&self.sizes.borrow(), input);
        }
    }
}

/// Where one lane is in the waves: the next wave to take, the groups of its input in
/// the wave taken, and where their entries lie.
#[derive(Default)]
pub struct Cursor {
    wave: usize,
    groups: Vec<Group>,
    next: usize,
    places: Places,
}

impl Cursor {
    /// Where the entries of the groups `Waves::next_group` hands on lie in the input.
    pub fn places(&self) -> &Places {
        &self.places
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: u32, start: u64) -> Split {
        Split {
            input,
            path: format!("/logs/{input}.log"),
            range: Some((start, start + 10)),
            groups: None,
            name: format!("{input}.log"),
            format: None,
        }
    }

    /// Every input's first splits come first, each input's splits stay in order and
    /// each wave doubles; every split is in exactly one wave.
    #[test]
    fn waves_take_each_inputs_splits_in_order_and_double() {
        let mut splits = Vec::new();
        for start in 0..6 {
            splits.push(split(0, start * 10));
        }
        splits.push(split(1, 0));
        for start in 0..3 {
            splits.push(split(2, start * 10));
        }
        let waves = waves_of(splits, 2);
        let shape: Vec<Vec<(u32, u64)>> = waves
            .iter()
            .map(|w| w.iter().map(|s| (s.input, s.range.unwrap().0)).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![(0, 0), (1, 0)],
                vec![(2, 0), (0, 10), (2, 10), (0, 20)],
                vec![(2, 20), (0, 30), (0, 40), (0, 50)],
            ]
        );
        assert_eq!(waves_of(Vec::new(), 4).len(), 0);
    }

    /// An input whose splits are all in the first wave is done once that wave is in:
    /// its lane does not wait for the later waves (here the second never ends), so the
    /// merge can go on printing the other inputs.
    #[test]
    fn a_lane_past_its_inputs_last_wave_does_not_wait_for_the_rest() {
        let waves = waves_of(
            vec![split(0, 0), split(1, 0), split(1, 10), split(1, 20)],
            2,
        );
        assert_eq!(waves.len(), 2);
        let (hold_tx, hold) = mpsc::channel::<()>();
        let hold = std::sync::Mutex::new(hold);
        let waves = Waves::start(waves, move |n, _| {
            if n > 0 {
                // The second wave waits until the test ends.
                let _ = hold.lock().unwrap().recv();
            }
            Ok(Spill::new().unwrap())
        })
        .unwrap();
        let (done_tx, done) = mpsc::channel();
        let lane = std::thread::spawn(move || {
            let mut at = Cursor::default();
            let got = waves.next_group(0, &mut at).unwrap();
            let _ = done_tx.send(got.is_none());
        });
        let answer = done.recv_timeout(std::time::Duration::from_secs(10));
        drop(hold_tx);
        lane.join().unwrap();
        assert_eq!(answer, Ok(true), "the lane of input 0 waited");
    }
}
