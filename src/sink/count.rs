//! The counting sink behind `-c/--count`: no parsing beyond what the query needs.

use crate::error::Error;
use crate::sink::Sink;
use crate::sink::{Counted, Hit, Source};

/// Counts matching entries.
pub struct Counter;

impl Sink for Counter {
    type Part = u64;

    fn part(&self) -> u64 {
        0
    }

    fn matched(&self, part: &mut u64, _hit: &mut Hit, _source: &Source) -> Result<bool, Error> {
        *part += 1;
        Ok(true)
    }

    fn takes_counts(&self) -> bool {
        true
    }

    fn add_counted(&self, part: &mut u64, counted: &Counted) {
        *part += counted.total();
    }
}
