//! The levels of the entries a scan read without a match, tallied until the first
//! match: what a search that matched nothing says of its inputs ("levels in the
//! inputs: INFO 120, DEBUG 8") without reading them a second time. A scan that skips
//! entries unread (index blocks) or finds a match stops the tally; only a full one is
//! worth anything.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::format::level::Level;

/// Entries per level (in `Level::ALL` order) of the entries read, while it is full.
#[derive(Debug)]
pub struct LevelTally {
    full: AtomicBool,
    entries: AtomicU64,
    levels: [AtomicU64; 6],
}

impl Default for LevelTally {
    fn default() -> LevelTally {
        LevelTally {
            full: AtomicBool::new(true),
            entries: AtomicU64::new(0),
            levels: Default::default(),
        }
    }
}

/// One region's counts, added to the tally when the region ends.
#[derive(Debug, Default, Clone, Copy)]
pub struct RegionTally {
    entries: u64,
    levels: [u64; 6],
}

impl RegionTally {
    /// Counts one entry of level `level`.
    #[inline]
    pub fn add(&mut self, level: Option<Level>) {
        self.entries += 1;
        if let Some(level) = level {
            self.levels[level.index()] += 1;
        }
    }
}

impl LevelTally {
    /// Whether every entry read so far was tallied and none matched.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Relaxed)
    }

    /// The tally no longer covers every entry (one matched, or some were not read).
    pub fn stop(&self) {
        self.full.store(false, Ordering::Relaxed);
    }

    /// Adds a region's counts.
    pub fn add(&self, region: &RegionTally) {
        self.entries.fetch_add(region.entries, Ordering::Relaxed);
        for (total, n) in self.levels.iter().zip(region.levels) {
            total.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// Entries tallied, and of them how many at each level (`Level::ALL` order).
    pub fn counts(&self) -> (u64, [u64; 6]) {
        let levels = std::array::from_fn(|i| self.levels[i].load(Ordering::Relaxed));
        (self.entries.load(Ordering::Relaxed), levels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_add_up_and_a_stop_is_final() {
        let tally = LevelTally::default();
        let mut a = RegionTally::default();
        for level in [
            Some(Level::Info),
            None,
            Some(Level::Error),
            Some(Level::Info),
        ] {
            a.add(level);
        }
        let mut b = RegionTally::default();
        b.add(Some(Level::Debug));
        tally.add(&a);
        tally.add(&b);
        let mut want = [0u64; 6];
        for (l, n) in [(Level::Info, 2), (Level::Error, 1), (Level::Debug, 1)] {
            want[l.index()] = n;
        }
        assert_eq!(tally.counts(), (5, want));
        assert!(tally.is_full());
        tally.stop();
        tally.add(&b);
        assert!(!tally.is_full());
    }
}
