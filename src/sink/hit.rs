//! What a sink is handed for each matching entry: the `Hit` (the entry, its line
//! terminator, its record parsed on first use) and the `Source` it came from; and,
//! for a block an index summary answers, the `Counted` matches it holds. They live
//! beside `Sink`, which takes them; the scanner builds them.

use crate::entry::Entry;
use crate::format::level::Level;
use crate::format::record::Record;
use crate::format::{quick, timestamp::TimeCtx, Format};

/// What a sink is told about the input an entry came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// The input's name as shown (its path, `<stdin>`).
    pub name: String,
    /// Its position among the scan's inputs.
    pub index: usize,
    /// Its format.
    pub format: Format,
}

/// The matches of a block that were counted from its index summary, not read: how
/// many have each level (in `Level::ALL` order) and how many have none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub by_level: [u64; 6],
    pub levelless: u64,
}

impl Counted {
    /// Every counted match.
    pub fn total(&self) -> u64 {
        self.by_level.iter().sum::<u64>() + self.levelless
    }

    /// Adds another block's counts.
    pub fn add(&mut self, other: &Counted) {
        for (mine, theirs) in self.by_level.iter_mut().zip(other.by_level) {
            *mine += theirs;
        }
        self.levelless += other.levelless;
    }
}

/// A matching entry, with its record parsed on first use.
pub struct Hit<'a, 'r> {
    /// The entry: its text (without the line terminator), offset and line.
    pub entry: Entry<'a>,
    /// The line terminator that followed the entry in its input (`\n`, `\r\n`, or
    /// nothing at the end of an input without a final newline).
    pub terminator: &'a [u8],
    // Crate-visible so the scanner's hot loop builds a hit without a call.
    pub(crate) rec: &'r mut Option<Record<'a>>,
    pub(crate) format: Format,
    pub(crate) ctx: &'r TimeCtx,
}

impl<'a, 'r> Hit<'a, 'r> {
    /// A hit for an entry found outside a scan (context neighbours, selected entries).
    pub fn new(
        entry: Entry<'a>,
        terminator: &'a [u8],
        rec: &'r mut Option<Record<'a>>,
        format: Format,
        ctx: &'r TimeCtx,
    ) -> Hit<'a, 'r> {
        Hit {
            entry,
            terminator,
            rec,
            format,
            ctx,
        }
    }

    /// Where the entry ends in its input, its line terminator included.
    pub fn end(&self) -> u64 {
        self.entry.offset + (self.entry.raw.len() + self.terminator.len()) as u64
    }

    /// The entry's record, parsed on first use (then kept for the other calls).
    pub fn record(&mut self) -> &Record<'a> {
        let (format, ctx, raw) = (self.format, self.ctx, self.entry.raw);
        self.rec.get_or_insert_with(|| format.parse(raw, ctx))
    }

    /// The entry's level, read from its bytes where the format allows it (no record
    /// is built then; see `format::quick`).
    pub fn level(&mut self) -> Option<Level> {
        match self.rec {
            Some(rec) => rec.level(),
            None => match quick::level(self.format, self.entry.raw) {
                Some(level) => level,
                None => self.record().level(),
            },
        }
    }
}
