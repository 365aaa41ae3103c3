//! Printing in reverse (`search --newest-first`) in bounded memory: rendered items are
//! appended, in time order, to an anonymous temporary file and their end offsets to a
//! second one; printing reads the offsets backwards a block at a time and each item by
//! a positioned read. Memory holds one block of offsets and one item, whatever the
//! number of matches; the disk holds the rendered output once.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;

/// Offsets read back per step (8 bytes each).
const OFFSETS_PER_READ: u64 = 8192;

/// Items written in order, read back newest first.
pub struct Reversed {
    items: BufWriter<File>,
    ends: BufWriter<File>,
    len: u64,
    count: u64,
    failed: Option<io::Error>,
}

impl Reversed {
    /// Two anonymous temporary files (removed by the system however the process ends).
    pub fn new() -> io::Result<Reversed> {
        Ok(Reversed {
            items: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            ends: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            len: 0,
            count: 0,
            failed: None,
        })
    }

    /// Appends one item; `false` once writing failed (the scan should stop).
    pub fn push(&mut self, item: &[u8]) -> bool {
        if self.failed.is_some() {
            return false;
        }
        self.len += item.len() as u64;
        let written = self
            .items
            .write_all(item)
            .and_then(|()| self.ends.write_all(&self.len.to_le_bytes()));
        match written {
            Ok(()) => {
                self.count += 1;
                true
            }
            Err(e) => {
                self.failed = Some(e);
                false
            }
        }
    }

    /// Calls `each` with every item, last pushed first, until it returns `false`.
    pub fn for_each_rev(self, mut each: impl FnMut(&[u8]) -> bool) -> io::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let items = self.items.into_inner().map_err(|e| e.into_error())?;
        let ends = self.ends.into_inner().map_err(|e| e.into_error())?;
        let mut item = Vec::new();
        let mut block = Vec::new();
        let mut hi = self.count;
        while hi > 0 {
            let lo = hi.saturating_sub(OFFSETS_PER_READ);
            // One offset before the block too: it is where the block's first item starts.
            let first = lo.saturating_sub(1);
            block.resize(((hi - first) * 8) as usize, 0);
            ends.read_exact_at(&mut block, first * 8)?;
            let offsets: Vec<u64> = block
                .chunks_exact(8)
                .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
                .collect();
            for i in (lo..hi).rev() {
                let end = offsets[(i - first) as usize];
                let start = if i == 0 {
                    0
                } else {
                    offsets[(i - 1 - first) as usize]
                };
                item.resize((end - start) as usize, 0);
                items.read_exact_at(&mut item, start)?;
                if !each(&item) {
                    return Ok(());
                }
            }
            hi = lo;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reversed(items: &[Vec<u8>], stop_after: usize) -> Vec<Vec<u8>> {
        let mut r = Reversed::new().unwrap();
        for i in items {
            assert!(r.push(i));
        }
        let mut out = Vec::new();
        r.for_each_rev(|item| {
            out.push(item.to_vec());
            out.len() < stop_after
        })
        .unwrap();
        out
    }

    #[test]
    fn items_come_back_last_first_across_blocks() {
        // More items than one block of offsets, with empty and varied lengths.
        let n = OFFSETS_PER_READ as usize * 2 + 17;
        let items: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("{}\n", "x".repeat(i % 7)).into_bytes())
            .map(|mut v| {
                if v.len() == 1 {
                    v.clear();
                }
                v
            })
            .collect();
        let mut expected = items.clone();
        expected.reverse();
        assert_eq!(reversed(&items, usize::MAX), expected);
        assert_eq!(reversed(&items, 3), expected[..3].to_vec());
        assert_eq!(reversed(&[], usize::MAX), Vec::<Vec<u8>>::new());
        assert_eq!(
            reversed(&[b"only\n".to_vec()], usize::MAX),
            vec![b"only\n".to_vec()]
        );
    }
}
