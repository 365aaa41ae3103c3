//! Several queries over the same inputs in one pass (the server's concurrent
//! searches). The scan steps through every entry (no prefilter: with several queries'
//! literals most entries hold one, and jumping from hit to hit would search the bytes
//! twice); one walk of an aho-corasick DFA over each entry (`prefilter::LiteralSets`,
//! every query's literals in one automaton) says which queries' own literals it
//! holds, and only those queries (plus any without a literal) are evaluated on it,
//! sharing the entry's parsed record. So a pass costs one automaton walk over the bytes and, per
//! entry, the queries it can match, not every query. An entry is rendered once by the
//! inner sink with the set of queries that matched it. Each query's items then come in
//! the order its own scan merged by time would give them (`merge::scan_by_time` over
//! the pass's items: a subsequence of a time merge is the time merge of the
//! subsequence for timed entries; an entry without a timestamp sorts after the entry
//! before it in the pass's order, which its own scan might not have matched). A lone
//! query is scanned as itself (its own prefilter).
//!
//! It is not the place for paging or counting: the caller takes each `(query, item)`.
//! Which queries share a pass is the caller's choice; `shares_well` says which cost a
//! pass only the entries holding their literals.

use std::collections::HashSet;

use crate::config::FilterConfig;
use crate::engine::merge::{self, Merged};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::query::prefilter::LiteralSets;
use crate::query::Query;
use crate::scan::ScanConfig;
use crate::sink::print::Printed;
use crate::sink::{Hit, Sink, Source};

/// The most queries one pass evaluates (one bit each in an item's set).
pub const MAX_QUERIES: usize = 64;

/// The most queries without a literal that one pass evaluates: each is tested on every
/// entry, so a pass costs about one full scan per such query, and past a few of them
/// one pass holding all would keep every search of the batch waiting (and past the
/// request time) while separate passes run side by side on the scan slots.
pub const MAX_UNSELECTIVE: usize = 4;

/// Bytes before each rendered item that hold the set of queries that matched it.
const SET_LEN: usize = 8;

/// Whether a query costs a shared pass only the entries that hold one of its literals
/// (it has a prefilter); the others are tested on every entry.
pub fn shares_well(filter: &FilterConfig) -> bool {
    filter.query.has_prefilter()
}

/// Which queries an entry is tested with.
enum Tested<'q> {
    /// The scan's own predicate was the only query's: every entry it hands on matched.
    ByScan,
    /// The queries whose literals (`LiteralSets`) the entry holds.
    Each(Vec<&'q Query>, LiteralSets),
}

/// The inner sink's rendering of each entry that some query matches, each item
/// preceded by the set of those queries (a little-endian `u64`, bit `i` for query `i`).
struct EachQuery<'q, S> {
    inner: &'q S,
    tested: Tested<'q>,
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
    /// The queries that match the hit, as a set of bits. Only the queries that hold a
    /// literal in the entry (or have none) are evaluated: the others cannot match.
    fn matching(&self, hit: &mut Hit) -> u64 {
        let (queries, sets) = match &self.tested {
            Tested::ByScan => return 1,
            Tested::Each(queries, sets) => (queries, sets),
        };
        let mut candidates = sets.holding(hit.entry.raw);
        let mut set = 0u64;
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if queries[i].matches_record(&hit.entry, hit.rec, hit.format, hit.ctx) {
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

fn too_many() -> Merged {
    Merged {
        inputs: Vec::new(),
        output: Err(Error::new(
            "search",
            format!("at most {MAX_QUERIES} queries in one pass"),
        )),
    }
}

/// Scans `inputs` once for every filter (at most `MAX_QUERIES`), with `base`'s
/// settings (its query and window are replaced by the filters'), and hands each
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
        return too_many();
    }
    let queries: Vec<&Query> = filters.iter().map(|f| &f.query).collect();
    let every = Query::all();
    let (query, tested) = match queries.as_slice() {
        [one] => (*one, Tested::ByScan),
        _ => {
            let lits: Vec<_> = queries.iter().map(|q| q.literals()).collect();
            let Some(sets) = LiteralSets::new(&lits) else {
                return too_many();
            };
            (&every, Tested::Each(queries, sets))
        }
    };
    let cfg = ScanConfig {
        query,
        window: hull(filters),
        ..base.clone()
    };
    let each = EachQuery {
        inner: sink,
        tested,
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

/// The inner sink's rendering of only the entries at `positions` (input index, byte
/// offset).
struct Only<'q, S> {
    inner: &'q S,
    positions: &'q HashSet<(usize, u64)>,
}

impl<S: Sink<Part = Printed>> Sink for Only<'_, S> {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool> {
        match self.positions.contains(&(source.index, hit.entry.offset)) {
            true => self.inner.matched(part, hit, source),
            false => Ok(true),
        }
    }
}

/// Renders the entries at `positions` (found by a pass of `scan_each` over the same
/// inputs and filters) with `sink`, handing each rendering to `take`: one scan that
/// steps through the entries of the filters' window and tests none, so a shared pass
/// renders the few entries its searches keep instead of every match.
pub fn render_at<S: Sink<Part = Printed>>(
    inputs: &[Input],
    filters: &[&FilterConfig],
    positions: &HashSet<(usize, u64)>,
    base: &ScanConfig<'_>,
    sink: &S,
    take: &mut dyn FnMut(&[u8]) -> Result<bool>,
) -> Merged {
    let every = Query::all();
    let cfg = ScanConfig {
        query: &every,
        window: hull(filters),
        ..base.clone()
    };
    let only = Only {
        inner: sink,
        positions,
    };
    merge::scan_by_time(inputs, &cfg, &only, take)
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

    /// Queries of every shape a shared pass meets, with flags' levels and the
    /// generator's truth spelling where its language has one: selective literals, a
    /// phrase, an `OR` of words, `NOT`, a field regex, a field equality, a case-sensitive
    /// word, and queries without any literal (levels only, a number range, a negation).
    const MIXED: [(&str, &[&str], Option<&str>); 14] = [
        ("timeout", &[], Some("timeout")),
        ("failed", &["ERROR"], Some("failed level:ERROR")),
        ("level:ERROR deadlock", &[], Some("level:ERROR deadlock")),
        (
            "\"connection refused\"",
            &[],
            Some("\"connection refused\""),
        ),
        ("connection OR deadlock OR payload", &[], None),
        ("-request", &["WARN"], Some("-request level:WARN")),
        ("message:/pool|lock/", &[], None),
        ("", &["ERROR"], Some("level:ERROR")),
        ("service:covet-db", &[], Some("service:covet-db")),
        ("level:>=WARN -timeout", &[], Some("level:>=WARN -timeout")),
        ("duration_ms:>500", &[], Some("duration_ms:>500")),
        ("NOT (timeout OR failed) level:ERROR", &[], None),
        ("/tim[e]o?ut|lock/ OR token", &[], None),
        ("Query", &[], Some("case:Query")),
    ];

    fn mixed(i: usize) -> FilterConfig {
        let (q, levels, _) = MIXED[i];
        let mut f = filter(q, levels);
        if q == "Query" {
            // Case-sensitive: `Query plan: ...` and `Query on ...`, not `query`.
            let args = FilterArgs {
                query_opt: Some(q.to_string()),
                case_sensitive: true,
                ..FilterArgs::default()
            };
            f = FilterConfig::new(&args, None).expect("query");
        }
        f
    }

    /// Generated entries in two files (every third entry in the second), as inputs.
    fn generated(dir: &tempfile::TempDir, cfg: &covet_gen::GenConfig) -> Vec<Input> {
        let mut files = [Vec::new(), Vec::new()];
        for (n, e) in covet_gen::entries(cfg).enumerate() {
            covet_gen::render(&e, cfg.format, &mut files[usize::from(n % 3 == 2)]);
        }
        files
            .iter()
            .enumerate()
            .map(|(n, bytes)| {
                let p = dir.path().join(format!("{n}.log"));
                std::fs::write(&p, bytes).expect("write");
                Input::File(p)
            })
            .collect()
    }

    /// One query's rendered items, in order.
    type Items = Vec<Vec<u8>>;

    /// Each query's items alone (`scan_by_time` with its own query) and from one pass.
    fn alone_and_shared(
        inputs: &[Input],
        filters: &[FilterConfig],
        chunk_size: usize,
    ) -> (Vec<Items>, Vec<Items>) {
        let printer = raw_printer();
        let alone = filters
            .iter()
            .map(|f| {
                let cfg = ScanConfig {
                    chunk_size,
                    ..ScanConfig::new(&f.query, f.ctx)
                };
                let mut items = Vec::new();
                let own = merge::scan_by_time(inputs, &cfg, &printer, &mut |item| {
                    items.push(item.to_vec());
                    Ok(true)
                });
                assert!(own.inputs.is_empty() && own.output.is_ok());
                items
            })
            .collect();
        let refs: Vec<&FilterConfig> = filters.iter().collect();
        let base = ScanConfig {
            chunk_size,
            ..ScanConfig::new(&filters[0].query, filters[0].ctx)
        };
        let mut shared = vec![Vec::new(); filters.len()];
        let merged = scan_each(inputs, &refs, &base, &printer, &mut |i, item| {
            shared[i].push(item.to_vec());
            Ok(true)
        });
        assert!(merged.inputs.is_empty() && merged.output.is_ok());
        (alone, shared)
    }

    #[test]
    fn mixed_queries_in_one_pass_get_their_own_scans_answers_and_the_truth() {
        let dir = tempfile::tempdir().expect("dir");
        for format in [covet_gen::GenFormat::Json, covet_gen::GenFormat::Text] {
            let cfg = covet_gen::GenConfig {
                lines: 3000,
                seed: 11,
                format,
                ..covet_gen::GenConfig::default()
            };
            let inputs = generated(&dir, &cfg);
            let filters: Vec<FilterConfig> = (0..MIXED.len()).map(mixed).collect();
            let (alone, shared) = alone_and_shared(&inputs, &filters, 64 << 10);
            let spelled: Vec<(usize, &str)> = MIXED
                .iter()
                .enumerate()
                .filter_map(|(i, m)| Some((i, m.2?)))
                .collect();
            let truth = covet_gen::truth(&cfg, &spelled.iter().map(|s| s.1).collect::<Vec<_>>());
            for ((i, q), want) in spelled.iter().zip(truth) {
                assert_eq!(shared[*i].len() as u64, want, "{format:?} {q}");
            }
            for (i, m) in MIXED.iter().enumerate() {
                assert_eq!(shared[i], alone[i], "{format:?} {}", m.0);
            }
            // Not vacuous: most queries match some entries, none matches all.
            let some = shared.iter().filter(|s| !s.is_empty()).count();
            let counts: Vec<usize> = shared.iter().map(Vec::len).collect();
            assert!(some >= MIXED.len() - 1, "{counts:?}");
            assert!(shared.iter().all(|s| s.len() < 3000));
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::util::proptest_config(12))]

        /// Any selection of the mixed queries (repeats included), in any order, over
        /// any chunking: one pass answers each as its own scan does.
        #[test]
        fn any_batch_of_mixed_queries_equals_separate_scans(
            picks in proptest::collection::vec(0..MIXED.len(), 2..10),
            seed in 0u64..1000,
            json in proptest::bool::ANY,
            chunk_kib in 4usize..256,
        ) {
            let dir = tempfile::tempdir().expect("dir");
            let format = match json {
                true => covet_gen::GenFormat::Json,
                false => covet_gen::GenFormat::Text,
            };
            let cfg = covet_gen::GenConfig {
                lines: 600,
                seed,
                format,
                ..covet_gen::GenConfig::default()
            };
            let inputs = generated(&dir, &cfg);
            let filters: Vec<FilterConfig> = picks.iter().map(|&i| mixed(i)).collect();
            let (alone, shared) = alone_and_shared(&inputs, &filters, chunk_kib << 10);
            proptest::prop_assert_eq!(shared, alone);
        }
    }
}
