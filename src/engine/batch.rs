//! Several queries over the same inputs in one pass (the server's concurrent
//! searches). The scan runs the union of the queries (`query::any_of`: its prefilter
//! searches every query's literals); each entry it finds is tested with each query,
//! sharing the entry's parsed record, and rendered once by the inner sink with the set
//! of queries that matched it. Each query's items then come in the order its own scan
//! merged by time would give them (`merge::scan_by_time` over the union's items: a
//! subsequence of a time merge is the time merge of the subsequence for timed entries;
//! an entry without a timestamp sorts after the entry before it in the union's order,
//! which its own scan might not have matched).
//!
//! It is not the place for paging or counting: the caller takes each `(query, item)`.

use crate::config::FilterConfig;
use crate::engine::merge::{self, Merged};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::query::{self, Query};
use crate::scan::ScanConfig;
use crate::sink::print::Printed;
use crate::sink::{Hit, Sink, Source};

/// The most queries one pass evaluates (one bit each in an item's set).
pub const MAX_QUERIES: usize = 64;

/// Bytes before each rendered item that hold the set of queries that matched it.
const SET_LEN: usize = 8;

/// The inner sink's rendering of each entry that some query matches, each item
/// preceded by the set of those queries (a little-endian `u64`, bit `i` for query `i`).
struct EachQuery<'q, S> {
    inner: &'q S,
    queries: Vec<&'q Query>,
}

impl<S: Sink<Part = Printed>> Sink for EachQuery<'_, S> {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool> {
        let set = self.matching(hit);
        if set == 0 {
            return Ok(true);
        }
        let (len, items) = (part.buf.len(), part.items.len());
        part.buf.extend_from_slice(&set.to_le_bytes());
        let more = self.inner.matched(part, hit, source)?;
        if part.items.len() == items {
            // The inner sink rendered nothing: no set without its item.
            part.buf.truncate(len);
        }
        Ok(more)
    }
}

impl<S> EachQuery<'_, S> {
    /// The queries that match the hit, as a set of bits. A query whose literal is not
    /// in the entry (its prefilter, the necessary condition its own scan jumps by) is
    /// not evaluated.
    fn matching(&self, hit: &mut Hit) -> u64 {
        let mut set = 0u64;
        for (i, q) in self.queries.iter().enumerate() {
            if q.find_candidate(hit.entry.raw).is_none() {
                continue;
            }
            if q.matches_record(&hit.entry, hit.rec, hit.format, hit.ctx) {
                set |= 1 << i;
            }
        }
        set
    }
}

/// The window that holds every filter's (unbounded on a side where one is).
fn hull(filters: &[&FilterConfig]) -> (Option<i64>, Option<i64>) {
    let since = filters
        .iter()
        .map(|f| f.window.0)
        .collect::<Option<Vec<i64>>>();
    let until = filters
        .iter()
        .map(|f| f.window.1)
        .collect::<Option<Vec<i64>>>();
    (
        since.and_then(|s| s.into_iter().min()),
        until.and_then(|u| u.into_iter().max()),
    )
}

/// Scans `inputs` once for every filter (at most `MAX_QUERIES`), with `base`'s
/// settings (its query and window are replaced by the union's), and hands each
/// `(filter index, rendered item)` to `take` in each filter's own time order; stops
/// when `take` returns false or fails.
pub fn scan_each<S: Sink<Part = Printed>>(
    inputs: &[Input],
    filters: &[&FilterConfig],
    base: &ScanConfig<'_>,
    sink: &S,
    take: &mut dyn FnMut(usize, &[u8]) -> Result<bool>,
) -> Merged {
    if filters.len() > MAX_QUERIES {
        return Merged {
            inputs: Vec::new(),
            output: Err(Error::new(
                "search",
                format!("at most {MAX_QUERIES} queries in one pass"),
            )),
        };
    }
    let queries: Vec<&Query> = filters.iter().map(|f| &f.query).collect();
    let union = query::any_of(&queries);
    let cfg = ScanConfig {
        query: &union,
        window: hull(filters),
        ..base.clone()
    };
    let each = EachQuery {
        inner: sink,
        queries,
    };
    merge::scan_by_time(inputs, &cfg, &each, &mut |item: &[u8]| {
        let (set, rendered) = item.split_at(SET_LEN.min(item.len()));
        let mut bits = u64::from_le_bytes(set.try_into().unwrap_or_default());
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if !take(i, rendered)? {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::FilterArgs;
    use crate::sink::print::Printer;

    fn filter(q: &str, level: &[&str]) -> FilterConfig {
        let args = FilterArgs {
            query_opt: Some(q.to_string()),
            levels: level.iter().map(|l| l.to_string()).collect(),
            ..FilterArgs::default()
        };
        FilterConfig::new(&args, None).expect("query")
    }

    /// Renders each entry's text, as the printer's raw mode does.
    fn raw_printer() -> Printer {
        Printer {
            mode: crate::sink::print::Mode::Raw,
            color: false,
            expand: false,
            show_file: false,
            need_ts: true,
            highlight: None,
            time: crate::sink::print::TimeStyle::default(),
            prefix: Default::default(),
            only_matching: false,
        }
    }

    #[test]
    fn each_query_gets_what_its_own_scan_gets() {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = String::new();
        let mut b = String::new();
        for i in 0..400 {
            let level = ["INFO", "WARN", "ERROR"][i % 3];
            let word = ["alpha", "beta", "gamma", "delta"][i % 4];
            let line = format!(
                "{{\"ts\":\"2024-01-01T00:{:02}:{:02}Z\",\"level\":\"{level}\",\"msg\":\"{word} {i}\"}}\n",
                i / 60,
                i % 60
            );
            if i % 5 == 0 { &mut b } else { &mut a }.push_str(&line);
        }
        let inputs: Vec<Input> = [("a.log", a), ("b.log", b)]
            .into_iter()
            .map(|(name, text)| {
                let p = dir.path().join(name);
                std::fs::write(&p, text).expect("write");
                Input::File(p)
            })
            .collect();
        let filters = [
            filter("alpha", &[]),
            filter("beta OR gamma", &["ERROR"]),
            filter("", &["WARN"]),
            filter("nothing-at-all", &[]),
            filter("-delta msg:~1", &[]),
        ];
        let refs: Vec<&FilterConfig> = filters.iter().collect();
        let printer = raw_printer();
        let base = ScanConfig::new(&filters[0].query, filters[0].ctx);
        let mut got = vec![Vec::new(); filters.len()];
        let merged = scan_each(&inputs, &refs, &base, &printer, &mut |i, item| {
            got[i].push(item.to_vec());
            Ok(true)
        });
        assert!(merged.inputs.is_empty() && merged.output.is_ok());
        for (i, f) in filters.iter().enumerate() {
            let cfg = ScanConfig::new(&f.query, f.ctx);
            let mut want = Vec::new();
            let own = merge::scan_by_time(&inputs, &cfg, &printer, &mut |item| {
                want.push(item.to_vec());
                Ok(true)
            });
            assert!(own.output.is_ok());
            assert_eq!(got[i], want, "query {i}");
        }
        assert!(got[0].len() == 100 && got[3].is_empty(), "{}", got[0].len());
    }
}
