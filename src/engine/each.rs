//! Many inputs, scanned in input order as far as the caller can tell, side by side on
//! the thread pool where that pays. A small input (a regular file under `SMALL`) is
//! one task: runs of them (up to `RUN_INPUTS` inputs or `RUN_BYTES` bytes) are scanned
//! in parallel, each into its own list of parts, which are then handed on input by
//! input; a large input, a stream or a spool is scanned alone, its chunks in parallel
//! (`scan::scan_input`), its parts handed on as they come. This is ripgrep's per-file
//! parallelism beside the per-chunk one: a directory of thousands of small logs uses
//! every core, and the parts, the errors and where a stop takes effect are those of a
//! scan of one input after another.

use rayon::prelude::*;

use crate::error::Error;
use crate::input::Input;
use crate::scan::{self, Emit, Report, ScanConfig, ScanError};
use crate::sink::Sink;

/// An input below this size is scanned as one task beside others.
pub const SMALL: u64 = 4 << 20;
/// At most this many small inputs are scanned side by side before their parts are
/// handed on.
const RUN_INPUTS: usize = 256;
/// At most this many bytes of small inputs are scanned side by side.
const RUN_BYTES: u64 = 64 << 20;

/// What the caller says at the end of each input (its report, or why it failed):
/// `Ok(true)` to go on to the next input, `Ok(false)` to stop, `Err` to stop with
/// an error.
pub type Done<'d> = dyn FnMut(usize, Result<Report, ScanError>) -> Result<bool, Error> + 'd;

/// Scans `inputs` into `sink`, handing every part to `emit` and then each input's end
/// to `done`, both in input order (see the module's note). A `false` from either stops
/// the scan after that input; an error from either is returned.
pub fn scan_inputs<S: Sink>(
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
    done: &mut Done<'_>,
) -> Result<(), Error> {
    let sizes: Vec<Option<u64>> = inputs.iter().map(small_size).collect();
    let mut i = 0;
    while i < inputs.len() {
        let run = small_run(&sizes[i..]);
        let go_on = match run {
            0 | 1 => scan_alone(i, &inputs[i], cfg, sink, emit, done)?,
            n => scan_side_by_side(i, &inputs[i..i + n], cfg, sink, emit, done)?,
        };
        if !go_on {
            break;
        }
        i += run.max(1);
    }
    Ok(())
}

/// The size of an input that is a small regular file, `None` for any other.
fn small_size(input: &Input) -> Option<u64> {
    let Input::File(path) = input else {
        return None;
    };
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && meta.len() < SMALL).then_some(meta.len())
}

/// How many of the inputs at the front form a run of small ones.
fn small_run(sizes: &[Option<u64>]) -> usize {
    let mut bytes = 0;
    let mut n = 0;
    for size in sizes.iter().take(RUN_INPUTS) {
        let Some(size) = size else { break };
        if n > 0 && bytes + size > RUN_BYTES {
            break;
        }
        bytes += size;
        n += 1;
    }
    n
}

/// One input, its parts handed on as they come; whether to go on.
fn scan_alone<S: Sink>(
    index: usize,
    input: &Input,
    cfg: &ScanConfig<'_>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
    done: &mut Done<'_>,
) -> Result<bool, Error> {
    let mut stopped = false;
    let mut watched = |part| {
        let go_on = emit(part)?;
        stopped |= !go_on;
        Ok(go_on)
    };
    let scanned = scan::scan_input(input, index, cfg, sink, &mut watched);
    Ok(done(index, scanned)? && !stopped)
}

/// One input of a run: its parts and how its scan ended.
type Scanned<P> = (Vec<P>, Result<Report, ScanError>);

/// A run of small inputs scanned in parallel, then handed on input by input.
fn scan_side_by_side<S: Sink>(
    first: usize,
    inputs: &[Input],
    cfg: &ScanConfig<'_>,
    sink: &S,
    emit: &mut Emit<'_, S::Part>,
    done: &mut Done<'_>,
) -> Result<bool, Error> {
    let scanned: Vec<Scanned<S::Part>> = inputs
        .par_iter()
        .enumerate()
        .map(|(k, input)| {
            let mut parts = Vec::new();
            let mut keep = |part| {
                parts.push(part);
                Ok(true)
            };
            let result = scan::scan_input(input, first + k, cfg, sink, &mut keep);
            (parts, result)
        })
        .collect();
    for (k, (parts, result)) in scanned.into_iter().enumerate() {
        for part in parts {
            if !emit(part)? {
                done(first + k, result)?;
                return Ok(false);
            }
        }
        if !done(first + k, result)? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_small_inputs_are_bounded_by_count_and_bytes() {
        let small = |n: usize, size: u64| vec![Some(size); n];
        assert_eq!(small_run(&small(1000, 10)), RUN_INPUTS);
        assert_eq!(small_run(&small(3, 10)), 3);
        assert_eq!(small_run(&[Some(1), Some(2), None, Some(3)]), 2);
        assert_eq!(small_run(&[None, Some(3)]), 0);
        // 64 MiB of 3 MiB inputs: 21 fit.
        assert_eq!(small_run(&small(100, 3 << 20)), 21);
    }
}
