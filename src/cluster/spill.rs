//! The matches a cluster sends back, kept in an anonymous temporary file as they come
//! instead of in memory, and read back one batch at a time, each input's batches in
//! offset order. The client of `--engine df://` renders and merges from here, so its
//! memory holds about one batch per input whatever the number of matches (the disk
//! holds them all once).
//!
//! A batch of found rows comes from one partition, which is one split of one input,
//! its rows in offset order; splits of an input do not overlap. So an input's batches,
//! sorted by their first offset, are its rows in order. Should two of an input's
//! batches interleave all the same, that input's rows are read back together and
//! sorted, as before. A split the client places (`Split::placed`: Parquet row groups,
//! whose offsets are tagged with the first group, or an object's byte range) numbers
//! its lines from 1 and sends a size row, kept aside here: `places` puts each split's
//! entries after the bytes and lines of the splits before it.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::datatypes::UInt32Type;

use crate::cluster::table::{decode_entry, size_of_row, untag, Found, Placed, SizeRow};
use crate::error::{Error, Result};

/// Where one input's run of rows from one batch lies in the file.
#[derive(Debug, Clone, Copy)]
struct Run {
    input: u32,
    first: u64,
    last: u64,
    at: u64,
    len: u64,
}

/// The spilled rows.
pub struct Spill {
    file: File,
    end: u64,
    runs: Vec<Run>,
    buf: Vec<u8>,
    /// The size rows of the splits the client places, with their input.
    sizes: Vec<(u32, SizeRow)>,
}

impl Spill {
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            end: 0,
            runs: Vec::new(),
            buf: Vec::new(),
            sizes: Vec::new(),
        })
    }

    /// Appends a batch's rows (columns: input, entry bytes), one run per input in it.
    pub fn add(&mut self, batch: &RecordBatch) -> Result<()> {
        let bad = || Error::new("--engine", "the cluster sent a row of another form");
        if batch.num_columns() < 2 {
            return Err(bad());
        }
        let inputs = batch
            .column(0)
            .as_primitive_opt::<UInt32Type>()
            .ok_or_else(bad)?;
        let entries = batch.column(1).as_binary_opt::<i32>().ok_or_else(bad)?;
        let mut row = 0;
        while row < batch.num_rows() {
            let input = inputs.value(row);
            self.buf.clear();
            let (mut first, mut last) = (u64::MAX, 0);
            while row < batch.num_rows() && inputs.value(row) == input {
                let bytes = entries.value(row);
                let found = decode_entry(bytes).ok_or_else(bad)?;
                if let Some(size) = size_of_row(&found) {
                    self.sizes.push((input, size));
                    row += 1;
                    continue;
                }
                let offset = found.offset;
                (first, last) = (first.min(offset), last.max(offset));
                self.buf
                    .extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                self.buf.extend_from_slice(bytes);
                row += 1;
            }
            if self.buf.is_empty() {
                continue;
            }
            self.file
                .write_all_at(&self.buf, self.end)
                .map_err(|e| Error::io("temporary file", &e))?;
            self.runs.push(Run {
                input,
                first,
                last,
                at: self.end,
                len: self.buf.len() as u64,
            });
            self.end += self.buf.len() as u64;
        }
        Ok(())
    }

    /// The input indexes seen are below `inputs`.
    pub fn check(&self, inputs: usize) -> Result<()> {
        match self.runs.iter().all(|r| (r.input as usize) < inputs) {
            true => Ok(()),
            false => Err(Error::new(
                "--engine",
                "the cluster sent a row of another form",
            )),
        }
    }

    /// Where input `input`'s entries lie (`places` of this spill's size rows).
    #[cfg(test)]
    pub fn places(&self, input: usize) -> Places {
        places(&self.sizes, input)
    }

    /// The size rows of the splits placed by the client, with their input.
    pub fn sizes(&self) -> &[(u32, SizeRow)] {
        &self.sizes
    }

    /// Input `input`'s rows in offset order, as groups read back one at a time
    /// (`read`): one run each, or all of its runs together when they interleave.
    pub fn groups(&self, input: usize) -> Vec<Group> {
        let mut runs: Vec<Run> = self
            .runs
            .iter()
            .filter(|r| r.input as usize == input)
            .copied()
            .collect();
        runs.sort_by_key(|r| (r.first, r.last));
        match runs.windows(2).all(|w| w[0].last < w[1].first) {
            true => runs.into_iter().map(|r| Group { runs: vec![r] }).collect(),
            false => vec![Group { runs }],
        }
    }

    /// The bytes of a group's runs, for `rows`.
    pub fn read(&self, group: &Group) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        for run in &group.runs {
            let start = bytes.len();
            bytes.resize(start + run.len as usize, 0);
            self.file
                .read_exact_at(&mut bytes[start..], run.at)
                .map_err(|e| Error::io("temporary file", &e))?;
        }
        Ok(bytes)
    }
}

/// Where input `input`'s entries lie, by the size rows `sizes` (of every input): its
/// placed splits one after another, by the bytes and lines each read (its offsets and
/// lines as they came, when it has none).
pub fn places(sizes: &[(u32, SizeRow)], input: usize) -> Places {
    let mut sizes: Vec<(bool, u64, SizeRow)> = sizes
        .iter()
        .filter(|s| s.0 as usize == input)
        .map(|&(_, size)| match size.placed {
            Placed::Tagged(tag) => (true, u64::from(tag), size),
            Placed::From(start) => (false, start, size),
        })
        .collect();
    sizes.sort_unstable_by_key(|s| (s.0, s.1));
    let tagged = sizes.first().is_some_and(|s| s.0);
    let (mut at, mut lines) = (0, 0);
    let starts = sizes
        .into_iter()
        .map(|(_, key, size)| {
            let place = (key, at, lines);
            at += size.read.bytes;
            lines += size.read.lines;
            place
        })
        .collect();
    Places { tagged, starts }
}

/// Where the placed splits of one input start: (key, offset, lines before), by key
/// (a first row group when the offsets are tagged, else a start offset).
#[derive(Default)]
pub struct Places {
    tagged: bool,
    starts: Vec<(u64, u64, u64)>,
}

impl Places {
    /// The split an entry at `offset` (as it came) belongs to, if placed.
    fn split_of(&self, offset: u64) -> Option<&(u64, u64, u64)> {
        if self.starts.is_empty() {
            return None;
        }
        match self.tagged {
            true => {
                let tag = untag(offset).0;
                let i = self.starts.binary_search_by_key(&tag, |s| s.0).ok()?;
                Some(&self.starts[i])
            }
            false => {
                let i = self.starts.partition_point(|s| s.0 <= offset);
                i.checked_sub(1).map(|i| &self.starts[i])
            }
        }
    }

    /// An entry's offset in the input: a tagged offset (`table::untag`) placed after
    /// the splits before its own; any other offset as it is.
    pub fn offset(&self, offset: u64) -> u64 {
        match (self.tagged, self.split_of(offset)) {
            (true, Some(&(_, start, _))) => start + untag(offset).1,
            _ => offset,
        }
    }

    /// An entry's line in the input: a placed split's line (counted from 1 at its
    /// start) after the lines of the splits before it; 0 (no line) stays 0.
    pub fn line(&self, offset: u64, line: u64) -> u64 {
        match (line, self.split_of(offset)) {
            (0, _) | (_, None) => line,
            (_, Some(&(_, _, before))) => line + before,
        }
    }
}

/// Runs of one input read back together.
pub struct Group {
    runs: Vec<Run>,
}

/// The rows of a group's bytes (`Spill::read`), in offset order.
pub fn rows(bytes: &[u8]) -> Result<Vec<Found<'_>>> {
    let mut rows = rows_of(bytes)?;
    rows.sort_by_key(|f| f.offset);
    Ok(rows)
}

/// The rows of spilled bytes (length-prefixed entries).
fn rows_of(mut bytes: &[u8]) -> Result<Vec<Found<'_>>> {
    let bad = || Error::new("temporary file", "a spilled row was damaged");
    let mut rows = Vec::new();
    while !bytes.is_empty() {
        let len = u32::from_le_bytes(bytes.get(..4).ok_or_else(bad)?.try_into().expect("4"));
        let entry = bytes.get(4..4 + len as usize).ok_or_else(bad)?;
        rows.push(decode_entry(entry).ok_or_else(bad)?);
        bytes = &bytes[4 + len as usize..];
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{BinaryArray, UInt32Array};

    use super::*;
    use crate::cluster::table::{found_per_input, found_schema};

    /// A found row as a partition writes it (`table::entry_bytes`).
    fn found(offset: u64, line: u64) -> Vec<u8> {
        let raw = format!("entry at {offset}");
        let mut b = offset.to_le_bytes().to_vec();
        b.extend_from_slice(&line.to_le_bytes());
        b.push(1);
        b.push(b'\n');
        b.extend_from_slice(raw.as_bytes());
        b
    }

    fn entry(offset: u64) -> Vec<u8> {
        found(offset, offset / 10 + 1)
    }

    /// A batch of found rows (or size rows), each with its input.
    fn batch_of(rows: Vec<(u32, Vec<u8>)>) -> RecordBatch {
        let inputs = UInt32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>());
        let entries = BinaryArray::from_iter_values(rows.iter().map(|r| &r.1));
        RecordBatch::try_new(found_schema(), vec![Arc::new(inputs), Arc::new(entries)]).unwrap()
    }

    fn batch(rows: &[(u32, u64)]) -> RecordBatch {
        batch_of(rows.iter().map(|&(i, o)| (i, entry(o))).collect())
    }

    /// Input `input`'s rows read back, each placed: (offset, line).
    fn placed(spill: &Spill, input: usize) -> Vec<(u64, u64)> {
        let places = spill.places(input);
        spill
            .groups(input)
            .iter()
            .flat_map(|g| {
                let bytes = spill.read(g).unwrap();
                rows(&bytes)
                    .unwrap()
                    .iter()
                    .map(|f| (places.offset(f.offset), places.line(f.offset, f.line)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn owned(rows: &[Found<'_>]) -> Vec<(u64, u64, Vec<u8>, Vec<u8>)> {
        rows.iter()
            .map(|f| (f.offset, f.line, f.terminator.to_vec(), f.raw.to_vec()))
            .collect()
    }

    /// Batches in any order, a batch holding two inputs' rows, and runs that
    /// interleave: each input's rows read back in offset order, equal to the rows
    /// held in memory and sorted (the client before the spill), and every group but
    /// an interleaving one is one batch's run.
    #[test]
    fn each_inputs_rows_come_back_in_offset_order_a_run_at_a_time() {
        let batches = [
            batch(&[(0, 100), (0, 110)]),
            batch(&[(1, 5), (1, 15), (2, 25), (2, 75)]),
            batch(&[(0, 0), (0, 10), (0, 20)]),
            batch(&[(2, 0), (2, 50)]),
            batch(&[(3, 7)]),
        ];
        let mut spill = Spill::new().unwrap();
        for b in &batches {
            spill.add(b).unwrap();
        }
        spill.check(4).unwrap();
        assert!(spill.check(3).is_err());
        let held = found_per_input(&batches, 4).unwrap();
        let sizes: Vec<Vec<usize>> = (0..4)
            .map(|i| {
                let mut got = Vec::new();
                let mut sizes = Vec::new();
                for group in spill.groups(i) {
                    let bytes = spill.read(&group).unwrap();
                    let rows = rows(&bytes).unwrap();
                    sizes.push(rows.len());
                    got.extend(owned(&rows));
                }
                assert_eq!(got, owned(&held[i]), "input {i}");
                sizes
            })
            .collect();
        assert_eq!(sizes, vec![vec![3, 2], vec![2], vec![4], vec![1]]);
    }

    /// Splits of Parquet row groups: their entries' tagged offsets are placed after
    /// the rendered sizes of the splits before (whatever order the size rows come
    /// in), the size rows are not rows, and another input's offsets stay as they are.
    #[test]
    fn tagged_offsets_are_placed_after_the_splits_before() {
        use crate::cluster::table::{size_row, tagged, Extent};
        let with_size = |input: u32, rows: &[u64], size: Option<(u32, u64)>| {
            let mut rows: Vec<(u32, Vec<u8>)> = rows.iter().map(|&o| (input, entry(o))).collect();
            if let Some((tag, size)) = size {
                let read = Extent {
                    bytes: size,
                    lines: size / 100,
                };
                rows.push((input, size_row(Placed::Tagged(tag), read)));
            }
            batch_of(rows)
        };
        let mut spill = Spill::new().unwrap();
        // Groups 0..2 render 1,000 bytes, 2..3 500, 3..5 700; they arrive out of order.
        spill
            .add(&with_size(0, &[tagged(3, 10)], Some((3, 700))))
            .unwrap();
        spill
            .add(&with_size(
                0,
                &[tagged(0, 0), tagged(0, 990)],
                Some((0, 1000)),
            ))
            .unwrap();
        spill.add(&with_size(0, &[], Some((2, 500)))).unwrap();
        spill.add(&with_size(1, &[5, 15], None)).unwrap();
        let offsets =
            |input: usize| -> Vec<u64> { placed(&spill, input).into_iter().map(|p| p.0).collect() };
        assert_eq!(offsets(0), vec![0, 990, 1510]);
        assert_eq!(offsets(1), vec![5, 15]);
    }

    /// Byte ranges of an object: offsets are the object's, lines count from 1 in each
    /// range and are placed after the lines of the ranges before (size rows in any
    /// order); an entry without a line keeps 0.
    #[test]
    fn an_objects_range_lines_follow_the_lines_of_the_ranges_before() {
        use crate::cluster::table::{size_row, Extent};
        let rows_of = |rows: &[(u64, u64)], size: Option<(u64, u64, u64)>| {
            let mut rows: Vec<(u32, Vec<u8>)> =
                rows.iter().map(|&(o, l)| (0, found(o, l))).collect();
            if let Some((start, bytes, lines)) = size {
                rows.push((0, size_row(Placed::From(start), Extent { bytes, lines })));
            }
            batch_of(rows)
        };
        let mut spill = Spill::new().unwrap();
        // Ranges 0..100 (4 lines), 100..250 (6 lines), 250..300 (2 lines).
        spill
            .add(&rows_of(&[(260, 2)], Some((250, 50, 2))))
            .unwrap();
        spill
            .add(&rows_of(&[(0, 1), (40, 0)], Some((0, 100, 4))))
            .unwrap();
        spill
            .add(&rows_of(&[(100, 1), (180, 4)], Some((100, 150, 6))))
            .unwrap();
        assert_eq!(
            placed(&spill, 0),
            vec![(0, 1), (40, 0), (100, 5), (180, 8), (260, 12)]
        );
    }

    #[test]
    fn a_batch_of_another_form_is_an_error() {
        let mut spill = Spill::new().unwrap();
        let inputs = UInt32Array::from(vec![0u32]);
        let entries = BinaryArray::from_iter_values([b"short".as_slice()]);
        let bad = RecordBatch::try_new(found_schema(), vec![Arc::new(inputs), Arc::new(entries)])
            .unwrap();
        let err = spill.add(&bad).unwrap_err().to_string();
        assert!(err.contains("a row of another form"), "{err}");
    }
}
