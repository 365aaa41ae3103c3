//! The literal prefilter: finds candidate positions in raw bytes before any parsing.
//!
//! A case-insensitive literal that contains a run of caseless bytes (digits, `_`, `-`,
//! `:`), such as `_456` in `user_456`, is searched by that run with a plain memmem;
//! an all-letter literal goes to the regex engine's literal searcher (Teddy over the
//! case variants of a prefix), several literals to aho-corasick. Candidates are always
//! verified by the full predicate afterwards.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
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
}
