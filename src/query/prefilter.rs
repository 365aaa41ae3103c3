//! The literal prefilter: finds candidate positions in raw bytes before any parsing.
//!
//! A case-insensitive literal that contains a run of caseless bytes (digits, `_`, `-`,
//! `:`), such as `_456` in `user_456`, is searched by that run with a plain memmem;
//! an all-letter literal goes to the regex engine's literal searcher (Teddy over the
//! case variants of a prefix), several literals to aho-corasick. Candidates are always
//! verified by the full predicate afterwards.

use aho_corasick::automaton::Automaton;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, MatchKind};
use memchr::memmem;
use regex::bytes::Regex as BytesRegex;

/// A literal that must occur in a matching entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lit {
    pub bytes: Vec<u8>,
    pub ci: bool,
}

impl Lit {
    pub fn new(bytes: Vec<u8>, ci: bool) -> Lit {
        Lit { bytes, ci }
    }

    /// The bytes actually searched, and whether the search ignores case.
    fn key(&self) -> (&[u8], bool) {
        if !self.ci || !self.bytes.iter().any(u8::is_ascii_alphabetic) {
            return (&self.bytes, false);
        }
        let run = self
            .bytes
            .split(u8::is_ascii_alphabetic)
            .max_by_key(|r| r.len())
            .unwrap_or(&[]);
        if run.len() >= 3 {
            (run, false)
        } else {
            (&self.bytes, true)
        }
    }

    /// Higher is better: longer keys are rarer, and case-sensitive keys are cheaper.
    pub fn score(&self) -> usize {
        let (key, ci) = self.key();
        key.len() * 2 + usize::from(!ci)
    }
}

/// A compiled literal searcher.
#[derive(Debug)]
pub struct Prefilter {
    kind: Kind,
    describe: String,
}

#[derive(Debug)]
enum Kind {
    Memmem(Box<memmem::Finder<'static>>),
    Regex(BytesRegex),
    Aho(AhoCorasick),
}

impl Prefilter {
    /// Builds a searcher for "any of these literals".
    pub fn new(lits: Vec<Lit>) -> Option<Prefilter> {
        let keys: Vec<(Vec<u8>, bool)> = lits
            .iter()
            .map(|l| {
                let (k, ci) = l.key();
                (k.to_vec(), ci)
            })
            .collect();
        if keys.iter().any(|(k, _)| k.is_empty()) {
            return None;
        }
        let describe = keys
            .iter()
            .map(|(k, ci)| {
                format!(
                    "{:?}{}",
                    String::from_utf8_lossy(k),
                    if *ci { " (case-insensitive)" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(" | ");
        let kind = match keys.as_slice() {
            [(key, false)] => Kind::Memmem(Box::new(memmem::Finder::new(key).into_owned())),
            [(key, true)] => {
                let pattern = format!("(?i-u){}", regex::escape(&String::from_utf8_lossy(key)));
                Kind::Regex(BytesRegex::new(&pattern).ok()?)
            }
            _ => {
                let ci = keys.iter().any(|(_, ci)| *ci);
                let ac = AhoCorasickBuilder::new()
                    .ascii_case_insensitive(ci)
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(keys.iter().map(|(k, _)| k))
                    .ok()?;
                Kind::Aho(ac)
            }
        };
        Some(Prefilter { kind, describe })
    }

    /// Position of the first candidate in `hay`.
    #[inline]
    pub fn find(&self, hay: &[u8]) -> Option<usize> {
        match &self.kind {
            Kind::Memmem(f) => f.find(hay),
            Kind::Regex(re) => re.find(hay).map(|m| m.start()),
            Kind::Aho(ac) => ac.find(hay).map(|m| m.start()),
        }
    }

    /// What is searched, for `--debug`.
    pub fn describe(&self) -> &str {
        &self.describe
    }
}

/// The literals of several queries (at most 64) in one automaton: which of them have
/// one of their literals in some bytes, in one pass over the bytes (a shared scan tests
/// a query only on the entries that hold one of its own literals). Each literal is
/// searched as `Prefilter` searches it (a case-insensitive literal by its caseless run
/// when it has one); when some are searched ignoring case, all are (a case-sensitive
/// literal may then be found in another case: a candidate too many, never one missed).
#[derive(Debug)]
pub struct LiteralSets {
    /// Every distinct searched key, as a DFA walked byte by byte (`holding`): its
    /// states' matches are every key that ends there, overlapping ones included.
    dfa: Option<Box<aho_corasick::dfa::DFA>>,
    /// Per pattern of `dfa`: the queries that hold it (bit i: query i).
    owners: Vec<u64>,
    /// The queries without literals: candidates everywhere.
    always: u64,
}

impl LiteralSets {
    /// The automaton for each query's literals (`None`: a query without one, which
    /// every entry is a candidate of). `None` past 64 queries or aho-corasick's limits.
    pub fn new(sets: &[Option<Vec<Lit>>]) -> Option<LiteralSets> {
        if sets.len() > 64 {
            return None;
        }
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<u64> = Vec::new();
        let (mut always, mut ci) = (0u64, false);
        for (i, lits) in sets.iter().enumerate() {
            let bit = 1u64 << i;
            let searched: Option<Vec<(&[u8], bool)>> = lits
                .as_ref()
                .map(|l| l.iter().map(Lit::key).collect())
                .filter(|k: &Vec<(&[u8], bool)>| {
                    !k.is_empty() && k.iter().all(|(k, _)| !k.is_empty())
                });
            let Some(searched) = searched else {
                always |= bit;
                continue;
            };
            for (key, key_ci) in searched {
                ci |= key_ci;
                match keys.iter().position(|k| k.as_slice() == key) {
                    Some(at) => owners[at] |= bit,
                    None => {
                        keys.push(key.to_vec());
                        owners.push(bit);
                    }
                }
            }
        }
        let dfa = match keys.is_empty() {
            true => None,
            false => Some(Box::new(
                aho_corasick::dfa::Builder::new()
                    .ascii_case_insensitive(ci)
                    .match_kind(MatchKind::Standard)
                    // Every entry is walked whole: the automaton's prefilter would
                    // only add restarts.
                    .prefilter(false)
                    .build(&keys)
                    .ok()?,
            )),
        };
        Some(LiteralSets {
            dfa,
            owners,
            always,
        })
    }

    /// The queries that are candidates in `hay`: those without literals, and those
    /// with one of their literals in it (bit i: query i). One walk of the DFA over the
    /// bytes, a table look-up a byte, with the automaton's concrete type (the crate's
    /// overlapping search goes through its automaton as a trait object: 27% more
    /// instructions in a 50-query pass, docs/benchmarks.md).
    #[inline]
    pub fn holding(&self, hay: &[u8]) -> u64 {
        let mut set = self.always;
        let Some(dfa) = &self.dfa else {
            return set;
        };
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return u64::MAX; // cannot happen for an unanchored search: all candidates
        };
        for &byte in hay {
            sid = dfa.next_state(Anchored::No, sid, byte);
            if dfa.is_special(sid) && dfa.is_match(sid) {
                for i in 0..dfa.match_len(sid) {
                    set |= self.owners[dfa.match_pattern(sid, i).as_usize()];
                }
            }
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_run_is_searched_exactly() {
        let lit = Lit::new(b"user_456".to_vec(), true);
        assert_eq!(lit.key(), (&b"_456"[..], false));
        let p = Prefilter::new(vec![lit]).expect("prefilter");
        assert_eq!(p.find(b"xx USER_456 yy"), Some(7));
    }

    #[test]
    fn letters_only_literal_ignores_case() {
        let p = Prefilter::new(vec![Lit::new(b"timeout".to_vec(), true)]).expect("prefilter");
        assert_eq!(p.find(b"a TimeOut b"), Some(2));
        assert_eq!(p.find(b"a time out b"), None);
    }

    #[test]
    fn several_literals() {
        let p = Prefilter::new(vec![
            Lit::new(b"alpha".to_vec(), true),
            Lit::new(b"beta".to_vec(), false),
        ])
        .expect("prefilter");
        assert_eq!(p.find(b"x BETA ALPHA"), Some(2));
    }

    #[test]
    fn literal_sets_name_the_queries_whose_literals_occur() {
        let sets = LiteralSets::new(&[
            Some(vec![Lit::new(b"lock".to_vec(), true)]),
            Some(vec![Lit::new(b"deadlock".to_vec(), true)]),
            None,
            Some(vec![
                Lit::new(b"user_456".to_vec(), true),
                Lit::new(b"Pool".to_vec(), false),
            ]),
            Some(vec![Lit::new(b"lock".to_vec(), false)]),
        ])
        .expect("sets");
        // Overlapping literals are all found; a case-insensitive literal by its run.
        assert_eq!(sets.holding(b"a DEADLOCK"), 0b10111);
        assert_eq!(sets.holding(b"USER_456 x"), 0b01100);
        assert_eq!(sets.holding(b"Pool"), 0b01100);
        assert_eq!(sets.holding(b"nothing"), 0b00100);
        assert!(LiteralSets::new(&vec![None; 65]).is_none());
        let none = LiteralSets::new(&[None, None]).expect("sets");
        assert_eq!(none.holding(b"x"), 0b11);
    }
}
