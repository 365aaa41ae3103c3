//! What a block of entries must contain for a query to match in it, asked of a block
//! summary (`Facts`, which the block index implements). Derived from the compiled
//! predicate: text terms need their enclosed words (`query::words`), equality on an
//! id-like field needs that value, a level test one of its levels, a time test an
//! entry inside its window. `AND` needs every child, `OR` any; a `NOT`, and any term
//! that is not one of these, needs nothing (the block is scanned). So an answer of
//! "cannot match" is a proof, and the scan of the remaining blocks decides the rest.

use crate::format::level::Level;
use crate::format::record::Field;
use crate::query::compile::{Bound, Node, Target, Test};
use crate::query::Query;

/// Fields whose values a block summary records (exactly, lowercased), so that
/// `field:value` can be looked up.
pub const VALUE_FIELDS: [Field; 7] = [
    Field::Id,
    Field::Service,
    Field::Source,
    Field::TraceId,
    Field::SpanId,
    Field::UserId,
    Field::RequestId,
];

/// A block's summary, as a query asks it. Each answer may say "maybe" wrongly (a
/// false positive), never "no" wrongly.
pub trait Facts {
    /// Whether an entry may hold `word` (lowercased) as a whole word.
    fn has_word(&self, word: &[u8]) -> bool;
    /// Whether an entry may have `value` (lowercased) in `field` (one of `VALUE_FIELDS`).
    fn has_value(&self, field: Field, value: &str) -> bool;
    /// Whether an entry may have one of the levels in `mask` (bit i: `Level::ALL[i]`).
    fn has_level(&self, mask: u8) -> bool;
    /// Whether an entry may have a timestamp inside the bounds.
    fn has_time(&self, lo: &Bound<i64>, hi: &Bound<i64>) -> bool;
}

/// A query that tests only levels and, ignoring case, at most one service (or nothing:
/// the empty query): its matches in a block are counted from the block's table of
/// entries per service and level, without reading the block.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelService {
    /// Levels matched (bit i: `Level::ALL[i]`).
    pub levels: u8,
    /// The service, lowercased; `None`: any.
    pub service: Option<String>,
    /// Whether entries without a level match too (no level test).
    pub levelless: bool,
}

impl Query {
    /// Whether an entry of a block with these facts may match (false: none can).
    pub fn may_match(&self, facts: &dyn Facts) -> bool {
        may_match(&self.root, facts)
    }

    /// Which filters the query may ask a block (`has_word`, `has_value`): so only those
    /// are read.
    pub fn asks(&self) -> Asks {
        let mut asks = Asks::default();
        asks_of(&self.root, &mut asks);
        asks
    }

    /// The query as a `LevelService`, when it is one (level tests ANDed with at most
    /// one case-insensitive service equality, or the empty query).
    pub fn level_service(&self) -> Option<LevelService> {
        let items = match &self.root {
            Node::And(items) => items.as_slice(),
            one => std::slice::from_ref(one),
        };
        let mut out = LevelService {
            levels: 0b111111,
            service: None,
            levelless: true,
        };
        for item in items {
            match item {
                Node::All => {}
                Node::Field(Target::Std(Field::Level), Test::Level(lo, hi)) => {
                    out.levels &= level_mask(lo, hi);
                    out.levelless = false;
                }
                Node::Field(Target::Std(Field::Service), Test::Eq { value, ci: true })
                    if out.service.is_none() =>
                {
                    out.service = Some(value.to_lowercase());
                }
                _ => return None,
            }
        }
        Some(out)
    }
}

/// The filters a query may consult.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Asks {
    pub words: bool,
    pub values: bool,
}

fn asks_of(node: &Node, asks: &mut Asks) {
    match node {
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| asks_of(n, asks)),
        Node::Text(t) => asks.words |= t.words.iter().any(|w| w.len() >= 3),
        Node::Field(Target::Std(f), Test::Eq { .. }) => asks.values |= VALUE_FIELDS.contains(f),
        Node::Field(..) | Node::All | Node::Not(_) => {}
    }
}

fn may_match(node: &Node, facts: &dyn Facts) -> bool {
    match node {
        Node::And(items) => items.iter().all(|n| may_match(n, facts)),
        Node::Or(items) => items.iter().any(|n| may_match(n, facts)),
        Node::Text(t) => t.words.iter().all(|w| facts.has_word(w.as_bytes())),
        Node::Field(target, test) => field_may_match(target, test, facts),
        Node::All | Node::Not(_) => true,
    }
}

fn field_may_match(target: &Target, test: &Test, facts: &dyn Facts) -> bool {
    match (target, test) {
        (Target::Std(Field::Level), Test::Level(lo, hi)) => facts.has_level(level_mask(lo, hi)),
        (Target::Std(Field::Timestamp), Test::Time(lo, hi)) => facts.has_time(lo, hi),
        // Equality compares lowercased text (ASCII or Unicode: `eval::eq_ignore_case`),
        // and exact equality implies it.
        (Target::Std(f), Test::Eq { value, .. }) if VALUE_FIELDS.contains(f) => {
            facts.has_value(*f, &value.to_lowercase())
        }
        _ => true,
    }
}

/// Whether values spanning `(min, max)` may hold one inside the bounds (no span: no
/// values at all).
pub fn span_may_overlap<T: PartialOrd>(span: Option<(T, T)>, lo: &Bound<T>, hi: &Bound<T>) -> bool {
    let Some((min, max)) = span else {
        return false;
    };
    let after_lo = match lo {
        Bound::Unbounded => true,
        Bound::Incl(b) => max >= *b,
        Bound::Excl(b) => max > *b,
    };
    let before_hi = match hi {
        Bound::Unbounded => true,
        Bound::Incl(b) => min <= *b,
        Bound::Excl(b) => min < *b,
    };
    after_lo && before_hi
}

/// The levels inside the bounds, as a mask over `Level::ALL`.
pub fn level_mask(lo: &Bound<Level>, hi: &Bound<Level>) -> u8 {
    Level::ALL
        .iter()
        .enumerate()
        .filter(|(_, l)| span_may_overlap(Some((**l, **l)), lo, hi))
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// The bit of `level` in a level mask.
pub fn level_bit(level: Level) -> u8 {
    1 << level.index()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::timestamp::TimeCtx;
    use crate::query::{compile_query, Options};

    /// A block with the given words, `service` values, levels and time span.
    struct Block {
        words: &'static [&'static str],
        services: &'static [&'static str],
        levels: u8,
        span: Option<(i64, i64)>,
    }

    impl Facts for Block {
        fn has_word(&self, word: &[u8]) -> bool {
            self.words.iter().any(|w| w.as_bytes() == word)
        }
        fn has_value(&self, field: Field, value: &str) -> bool {
            field != Field::Service || self.services.contains(&value)
        }
        fn has_level(&self, mask: u8) -> bool {
            self.levels & mask != 0
        }
        fn has_time(&self, lo: &Bound<i64>, hi: &Bound<i64>) -> bool {
            span_may_overlap(self.span, lo, hi)
        }
    }

    const BLOCK: Block = Block {
        words: &["connection", "refused", "db"],
        services: &["covet-api"],
        levels: 0b000100 | 0b010000, // INFO, ERROR
        span: Some((1_700_000_000_000_000_000, 1_700_000_060_000_000_000)),
    };

    #[test]
    fn queries_say_what_a_block_must_hold() {
        let table: &[(&str, bool)] = &[
            ("", true),
            ("level:ERROR", true),
            ("level:FATAL", false),
            ("level:>=WARN", true),
            ("level:<=DEBUG", false),
            ("service:covet-api", true),
            ("service:COVET-API", true),
            ("service:covet-db", false),
            ("service:covet-db OR level:error", true),
            ("service:covet-db OR level:fatal", false),
            ("NOT service:covet-db", true),
            ("NOT level:error", true),
            ("service:covet-db*", true),
            ("\"x connection refused y\"", true),
            ("\"x connection timeout y\"", false),
            ("\"connection timeout\"", true),
            ("timeout", true),
            ("/time.*out/", true),
            ("level:FATAL AND timeout", false),
            ("timestamp:2023-11-14T22:13:30Z..2023-11-14T22:15Z", true),
            ("timestamp:2023-11-14T23:00Z..2023-11-14T23:30Z", false),
            ("timestamp:<2023-11-14T22:00Z", false),
        ];
        let opts = Options::new(TimeCtx::utc_now_year());
        for (text, want) in table {
            let q = compile_query(text, &opts).expect(text);
            assert_eq!(q.may_match(&BLOCK), *want, "{text}");
        }
    }

    #[test]
    fn level_and_service_queries_are_recognised() {
        let opts = Options::new(TimeCtx::utc_now_year());
        let ls = |text: &str| compile_query(text, &opts).unwrap().level_service();
        let some = |levels, service: Option<&str>| {
            Some(LevelService {
                levels,
                service: service.map(str::to_string),
                levelless: false,
            })
        };
        let any_level = |service: Option<&str>| {
            Some(LevelService {
                levels: 0b111111,
                service: service.map(str::to_string),
                levelless: true,
            })
        };
        assert_eq!(
            ls("level:FATAL service:Covet-DB"),
            some(0b100000, Some("covet-db"))
        );
        assert_eq!(ls("level:>=WARN"), some(0b111000, None));
        assert_eq!(ls("level:>=WARN level:<=ERROR"), some(0b011000, None));
        assert_eq!(ls(""), any_level(None));
        assert_eq!(ls("service:covet-db"), any_level(Some("covet-db")));
        for other in [
            "level:FATAL timeout",
            "level:FATAL OR service:x",
            "level:FATAL service:a service:b",
            "level:FATAL service:covet-*",
            "NOT level:FATAL",
            "timeout",
        ] {
            assert_eq!(ls(other), None, "{other}");
        }
        let sensitive = Options {
            case_sensitive: true,
            ..Options::new(TimeCtx::utc_now_year())
        };
        let q = compile_query("level:FATAL service:covet-db", &sensitive).unwrap();
        assert_eq!(q.level_service(), None);
    }

    #[test]
    fn level_masks_cover_the_bounds() {
        use Bound::*;
        assert_eq!(
            level_mask(&Incl(Level::Error), &Incl(Level::Error)),
            0b010000
        );
        assert_eq!(level_mask(&Incl(Level::Warn), &Unbounded), 0b111000);
        assert_eq!(level_mask(&Unbounded, &Excl(Level::Info)), 0b000011);
        assert_eq!(level_bit(Level::Fatal), 0b100000);
    }
}
