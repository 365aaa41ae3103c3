//! The one merge of several inputs by time: a k-way merge over lanes (one per input,
//! each already in its own order) by the timestamp of each lane's next item. An item
//! without a timestamp sorts with the item before it in its lane (the start of a lane
//! sorts first); ties go to the lower lane. Search, export, tail and search -f merge
//! through it, over queues of parts (`Parts`, fed by `scan_by_time`'s scanner threads
//! or by parts already held) or over items held (`Held`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::engine::each;
use crate::error::{Error, Result};
use crate::input::Input;
use crate::scan::{self, ScanConfig, ScanError};
use crate::sink::print::Printed;
use crate::sink::Sink;

/// One input's items in order, as the merge sees them.
pub trait Lane {
    /// The next item's timestamp (`Some(None)`: it has none), fetching as needed;
    /// `None` when the lane is done.
    fn peek(&mut self) -> Option<Option<i64>>;
    /// Moves past the item just taken.
    fn advance(&mut self);
}

/// Hands each lane's items to `take(lane index, lane)` in time order, then advances
/// that lane; stops early when `take` returns false.
pub fn by_time<L: Lane>(lanes: &mut [L], mut take: impl FnMut(usize, &mut L) -> bool) {
    let ran = try_by_time(lanes, |s, lane| {
        Ok::<bool, std::convert::Infallible>(take(s, lane))
    });
    let Ok(()) = ran;
}

/// `by_time` for a `take` that can fail: stops at its first error and returns it.
pub fn try_by_time<L: Lane, E>(
    lanes: &mut [L],
    mut take: impl FnMut(usize, &mut L) -> std::result::Result<bool, E>,
) -> std::result::Result<(), E> {
    let mut last = vec![i64::MIN; lanes.len()];
    let key = |lane: &mut L, last: &mut i64| {
        let ts = lane.peek()?;
        if let Some(ts) = ts {
            *last = ts;
        }
        Some(*last)
    };
    let mut heap = BinaryHeap::with_capacity(lanes.len());
    for (s, lane) in lanes.iter_mut().enumerate() {
        if let Some(ts) = key(lane, &mut last[s]) {
            heap.push(Reverse((ts, s)));
        }
    }
    while let Some(Reverse((_, s))) = heap.pop() {
        if !take(s, &mut lanes[s])? {
            return Ok(());
        }
        lanes[s].advance();
        if let Some(ts) = key(&mut lanes[s], &mut last[s]) {
            heap.push(Reverse((ts, s)));
        }
    }
    Ok(())
}

/// A lane over items already held: their timestamps, with a cursor.
pub struct Held {
    times: Vec<Option<i64>>,
    next: usize,
}

impl Held {
    pub fn new(times: impl IntoIterator<Item = Option<i64>>) -> Held {
        Held {
            times: times.into_iter().collect(),
            next: 0,
        }
    }

    /// The position of the item `peek` describes.
    pub fn position(&self) -> usize {
        self.next
    }
}

impl Lane for Held {
    fn peek(&mut self) -> Option<Option<i64>> {
        self.times.get(self.next).copied()
    }

    fn advance(&mut self) {
        self.next += 1;
    }
}

/// A lane over rendered parts as they come (from a scanner's queue, or held), one
/// item at a time.
pub struct Parts<I: Iterator<Item = Printed>> {
    parts: I,
    part: Printed,
    next: usize,
}

impl<I: Iterator<Item = Printed>> Parts<I> {
    pub fn new(parts: impl IntoIterator<IntoIter = I>) -> Parts<I> {
        Parts {
            parts: parts.into_iter(),
            part: Printed::default(),
            next: 0,
        }
    }

    /// The bytes of the item `peek` described.
    pub fn item(&self) -> &[u8] {
        self.part.item(self.next)
    }
}

impl<I: Iterator<Item = Printed>> Lane for Parts<I> {
    fn peek(&mut self) -> Option<Option<i64>> {
        while self.next >= self.part.items.len() {
            self.part = self.parts.next()?;
            self.next = 0;
        }
        Some(self.part.items[self.next].ts)
    }

    fn advance(&mut self) {
        self.next += 1;
    }
}

/// How a scan merged by time ended: the errors of the inputs that failed, in input
/// order, and the output's error when writing stopped it.
pub struct Merged {
    pub inputs: Vec<Error>,
    pub output: Result<()>,
}

/// Scans every input into `sink` and hands each rendered entry to `write` in time
/// order (one input: its own order); stops when `write` returns false or an error.
/// Several inputs are scanned side by side, each into a queue of two parts, so memory
/// stays at a few parts per input.
pub fn scan_by_time<S: Sink<Part = Printed>>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    write: &mut dyn FnMut(&[u8]) -> Result<bool>,
) -> Merged {
    if inputs.len() != 1 {
        return scan_side_by_side(inputs, cfg, sink, write);
    }
    let mut emit = |part: Printed| {
        for i in 0..part.items.len() {
            if !write(part.item(i))? {
                return Ok(false);
            }
        }
        Ok(true)
    };
    let (inputs, output) = match scan::scan_input(&inputs[0], 0, cfg, sink, &mut emit) {
        Ok(_) => (Vec::new(), Ok(())),
        Err(ScanError::Input(e)) => (vec![e], Ok(())),
        Err(ScanError::Output(e)) => (Vec::new(), Err(e)),
    };
    Merged { inputs, output }
}

/// One input's lane: its parts queued by a scanner thread, or held whole.
type LaneOf<'q> = Parts<Box<dyn Iterator<Item = Printed> + 'q>>;

/// How one input's scan ended, in the form the merge collects.
type Ended = std::result::Result<(), ScanError>;

/// Several inputs merged as their parts come. Small files (`each::SMALL`: one chunk
/// each, whose lane would hold its whole output anyway) are scanned to the end on the
/// thread pool, side by side, and held; every other input (a large file, a stream) is
/// scanned on its own thread into a queue of two parts. So 5,000 small files use the
/// pool's threads, not 5,000 threads. A scanner's own output error (its sink's) ends
/// the merge as the writer's would.
fn scan_side_by_side<S: Sink<Part = Printed>>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    write: &mut dyn FnMut(&[u8]) -> Result<bool>,
) -> Merged {
    let small: Vec<bool> = inputs
        .iter()
        .map(|input| each::small_size(input).is_some())
        .collect();
    std::thread::scope(|scope| {
        let mut queued = Vec::new();
        for (i, input) in inputs.iter().enumerate().filter(|&(i, _)| !small[i]) {
            let (tx, rx) = mpsc::sync_channel::<Printed>(2);
            let handle = scope.spawn(move || {
                let mut emit = |part: Printed| Ok(tx.send(part).is_ok());
                scan::scan_input(input, i, cfg, sink, &mut emit).map(|_| ())
            });
            queued.push((rx, handle));
        }
        let mut held = scan_held(inputs, &small, cfg, sink).into_iter();
        let mut queued = queued.into_iter();
        let mut lanes: Vec<LaneOf<'_>> = Vec::with_capacity(inputs.len());
        let mut ends: Vec<Option<Ended>> = Vec::with_capacity(inputs.len());
        let mut handles = Vec::new();
        for &is_small in &small {
            if is_small {
                let (parts, ended) = held.next().unwrap_or_else(|| (Vec::new(), Ok(())));
                lanes.push(Parts::new(
                    Box::new(parts.into_iter()) as Box<dyn Iterator<Item = _>>
                ));
                ends.push(Some(ended));
            } else if let Some((rx, handle)) = queued.next() {
                lanes.push(Parts::new(
                    Box::new(rx.into_iter()) as Box<dyn Iterator<Item = _>>
                ));
                handles.push(handle);
                ends.push(None);
            }
        }
        let mut output = try_by_time(&mut lanes, |_, lane| write(lane.item()));
        // Dropping the receivers stops scanners that are still sending.
        drop(lanes);
        let mut joined = handles.into_iter().map(|handle| {
            handle
                .join()
                // The text `export` had when the merge was its own.
                .unwrap_or_else(|_| Err(Error::new("export", "a scanner thread failed").into()))
        });
        let mut failed = Vec::new();
        for end in ends {
            match end.or_else(|| joined.next()) {
                Some(Err(ScanError::Input(e))) => failed.push(e),
                Some(Err(ScanError::Output(e))) => output = output.and(Err(e)),
                Some(Ok(())) | None => {}
            }
        }
        Merged {
            inputs: failed,
            output,
        }
    })
}

/// The small inputs (`small[i]`) scanned to the end on the thread pool, side by side:
/// each one's parts and how its scan ended, in input order.
fn scan_held<S: Sink<Part = Printed>>(
    inputs: &[Input],
    small: &[bool],
    cfg: &ScanConfig<'_>,
    sink: &S,
) -> Vec<(Vec<Printed>, Ended)> {
    inputs
        .par_iter()
        .enumerate()
        .filter(|&(i, _)| small[i])
        .map(|(i, input)| {
            let mut parts = Vec::new();
            let mut keep = |part| {
                parts.push(part);
                Ok(true)
            };
            let ended = scan::scan_input(input, i, cfg, sink, &mut keep).map(|_| ());
            (parts, ended)
        })
        .collect()
}

/// The order of items held per input, by time, as `(input, position)` pairs.
pub fn order_held(per_input: Vec<Vec<Option<i64>>>) -> Vec<(usize, usize)> {
    let mut lanes: Vec<Held> = per_input.into_iter().map(Held::new).collect();
    let mut order = Vec::with_capacity(lanes.iter().map(|l| l.times.len()).sum());
    by_time(&mut lanes, |s, lane| {
        order.push((s, lane.position()));
        true
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::timestamp::TimeCtx;

    #[test]
    fn merges_by_time_with_untimed_items_kept_after_their_predecessor() {
        let order = order_held(vec![
            vec![Some(1), None, Some(5)],
            vec![Some(2), Some(3)],
            vec![None, Some(0)],
        ]);
        // Lane 2's first item has no time: it sorts first; its second then has 0.
        assert_eq!(
            order,
            vec![(2, 0), (2, 1), (0, 0), (0, 1), (1, 0), (1, 1), (0, 2)]
        );
    }

    fn part(times: &[Option<i64>]) -> Printed {
        let mut p = Printed::default();
        for (i, &ts) in times.iter().enumerate() {
            p.buf.push(b'a' + i as u8);
            p.items.push(crate::sink::print::Item {
                end: p.buf.len(),
                ts,
            });
        }
        p
    }

    #[test]
    fn parts_merge_across_part_boundaries_and_empty_parts() {
        let mut lanes = vec![
            Parts::new(vec![part(&[Some(1)]), part(&[]), part(&[None, Some(4)])]),
            Parts::new(vec![part(&[Some(2), Some(3)])]),
        ];
        let mut seen = Vec::new();
        by_time(&mut lanes, |s, lane| {
            seen.push((s, lane.item().to_vec()));
            true
        });
        let want: Vec<(usize, Vec<u8>)> = vec![
            (0, b"a".to_vec()),
            (0, b"a".to_vec()),
            (1, b"a".to_vec()),
            (1, b"b".to_vec()),
            (0, b"b".to_vec()),
        ];
        assert_eq!(seen, want);
    }

    #[test]
    fn ties_go_to_the_lower_lane_and_take_can_stop() {
        let mut lanes = vec![Held::new([Some(1), Some(1)]), Held::new([Some(1)])];
        let mut seen = Vec::new();
        by_time(&mut lanes, |s, lane| {
            seen.push((s, lane.position()));
            seen.len() < 2
        });
        assert_eq!(seen, vec![(0, 0), (0, 1)]);
    }

    /// Renders each entry's text; fails at the entry `boom`.
    struct FailAtBoom;

    impl Sink for FailAtBoom {
        type Part = Printed;

        fn part(&self) -> Printed {
            Printed::default()
        }

        fn matched(
            &self,
            part: &mut Printed,
            hit: &mut crate::sink::Hit<'_, '_>,
            _: &crate::sink::Source,
        ) -> Result<bool> {
            if hit.entry.raw == b"boom" {
                return Err(Error::new("sink", "failed at boom"));
            }
            part.buf.extend_from_slice(hit.entry.raw);
            part.buf.push(b'\n');
            part.items.push(crate::sink::print::Item {
                end: part.buf.len(),
                ts: None,
            });
            Ok(true)
        }
    }

    #[test]
    fn a_sinks_error_is_the_merges_output_error_and_an_unreadable_input_its_own() {
        let query =
            crate::query::compile_query("", &crate::query::Options::new(TimeCtx::utc_now_year()))
                .expect("query");
        let cfg = ScanConfig::new(&query, TimeCtx::utc_now_year());
        let dir = tempfile::tempdir().expect("dir");
        let file = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("write");
            Input::File(p)
        };
        let good = file("good.log", "a\nb\n");
        let bad = file("bad.log", "c\nboom\nd\n");
        let missing = Input::File(dir.path().join("missing.log"));
        for inputs in [vec![bad.clone()], vec![good.clone(), bad]] {
            let mut written = Vec::new();
            let merged = scan_by_time(&inputs, &cfg, &FailAtBoom, &mut |item| {
                written.extend_from_slice(item);
                Ok(true)
            });
            assert!(merged.inputs.is_empty(), "{} inputs", inputs.len());
            let e = merged.output.expect_err("the sink's error");
            assert_eq!(
                (e.what.as_str(), e.why.as_str()),
                ("sink", "failed at boom")
            );
            assert!(
                !written.windows(1).any(|w| w == b"d"),
                "nothing after the failure"
            );
        }
        let merged = scan_by_time(&[good, missing], &cfg, &FailAtBoom, &mut |_| Ok(true));
        assert!(merged.output.is_ok());
        assert_eq!(merged.inputs.len(), 1);
    }

    /// Renders each entry's text, its time the number it starts with.
    struct Numbered;

    impl Sink for Numbered {
        type Part = Printed;

        fn part(&self) -> Printed {
            Printed::default()
        }

        fn matched(
            &self,
            part: &mut Printed,
            hit: &mut crate::sink::Hit<'_, '_>,
            _: &crate::sink::Source,
        ) -> Result<bool> {
            let text = String::from_utf8_lossy(hit.entry.raw);
            let ts = text.split(' ').next().and_then(|n| n.parse().ok());
            part.buf.extend_from_slice(hit.entry.raw);
            part.buf.push(b'\n');
            part.items.push(crate::sink::print::Item {
                end: part.buf.len(),
                ts,
            });
            Ok(true)
        }
    }

    #[test]
    fn many_small_inputs_and_a_large_one_merge_in_time_order() {
        let query =
            crate::query::compile_query("", &crate::query::Options::new(TimeCtx::utc_now_year()))
                .expect("query");
        let mut cfg = ScanConfig::new(&query, TimeCtx::utc_now_year());
        cfg.format = Some(crate::format::Format::Plain);
        let dir = tempfile::tempdir().expect("dir");
        // 300 small files and one past `each::SMALL`, each in its own time order, with
        // equal times across files; the truth: sorted by (time, input, position).
        let mut want: Vec<(i64, usize, usize, String)> = Vec::new();
        let mut inputs = Vec::new();
        for k in 0..301usize {
            let lines = if k == 150 { 300_000 } else { 1 + k % 7 };
            let mut text = String::new();
            for i in 0..lines {
                let ts = ((i * 37 + k * 11) % 1000 + i * 1000) as i64;
                let line = format!("{ts} input {k} line {i} {}", "x".repeat(k % 5));
                text.push_str(&line);
                text.push('\n');
                want.push((ts, k, i, line));
            }
            let path = dir.path().join(format!("{k:03}.log"));
            std::fs::write(&path, &text).expect("write");
            inputs.push(Input::File(path));
        }
        assert!(
            std::fs::metadata(dir.path().join("150.log"))
                .expect("large")
                .len()
                > each::SMALL
        );
        want.sort();
        let mut got = Vec::new();
        let merged = scan_by_time(&inputs, &cfg, &Numbered, &mut |item| {
            got.push(
                String::from_utf8_lossy(item)
                    .trim_end_matches('\n')
                    .to_string(),
            );
            Ok(true)
        });
        assert!(merged.inputs.is_empty() && merged.output.is_ok());
        let want: Vec<String> = want.into_iter().map(|(_, _, _, line)| line).collect();
        assert_eq!(got.len(), want.len());
        if let Some(i) = (0..want.len()).find(|&i| got[i] != want[i]) {
            panic!(
                "merged order differs at {i}: {:?} where the truth has {:?}",
                &got[i.saturating_sub(2)..i + 3],
                &want[i.saturating_sub(2)..i + 3]
            );
        }
    }
}
