//! Lazy DFAs walked by hand over one line: the format layer's yes/no and where-does-it-
//! end questions (is this line a header, where does the part before the level end, where
//! does a wrapper's prefix end) asked many times per second on lines of 30 to 200 bytes.
//!
//! `regex_automata`'s `meta::Regex::search_half_with` answers the same, but on a short
//! line its layers (strategy dispatch, prefilter and start-state setup, the unrolled
//! search loop's set-up) cost more than the walk itself: about 150 instructions a call
//! against 5 per byte. A [`Walker`] is the lazy DFA (`hybrid::dfa`) of the same
//! pattern, stepped byte by byte with the caller's cache; the matches are the same
//! (leftmost-first; `earliest` stops at the first match state, as `Input::earliest`).
//! When the walk has to give up (a quit byte: a Unicode word boundary before a non-ASCII
//! byte; a cache that keeps filling), the same search runs on a `meta::Regex` of the
//! pattern, built on first need. A leaf: it knows patterns and bytes, no formats.

use std::sync::OnceLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input, MatchError};

/// A pattern's lazy DFA and how its searches start.
pub struct Walker {
    dfa: DFA,
    /// Searched anchored at the start position (else the match may start anywhere from
    /// it on).
    anchored: bool,
    pattern: String,
    /// The fallback when a walk gives up, built on first need.
    slow: OnceLock<Option<meta::Regex>>,
}

/// A search cache of one [`Walker`] (one per thread: walks need `&mut`).
pub type WalkCache = Cache;

impl Walker {
    /// The walker of `pattern` (regex syntax over bytes, as `regex::bytes` reads it);
    /// `anchored`: every search is anchored at its start position. `None` when the
    /// pattern does not compile to a lazy DFA.
    pub fn new(pattern: &str, anchored: bool) -> Option<Walker> {
        let dfa = DFA::builder()
            .syntax(syntax::Config::new().utf8(false))
            .thompson(
                thompson::Config::new()
                    .utf8(false)
                    .which_captures(WhichCaptures::None),
            )
            .configure(DFA::config().unicode_word_boundary(true))
            .build(pattern)
            .ok()?;
        Some(Walker {
            dfa,
            anchored,
            pattern: pattern.to_string(),
            slow: OnceLock::new(),
        })
    }

    /// A walker that only says whether a line matches from a position
    /// ([`Walker::matches`]), for lines without `\n` (every line the format layer
    /// tests): where the pattern ends in `.*$`, which any rest of such a line matches,
    /// that end is left out of the DFA ([`open_end`]), so the walk stops where the rest
    /// begins instead of at the end of the line. The fallback keeps the whole pattern.
    pub fn matcher(pattern: &str, anchored: bool) -> Option<Walker> {
        let Some(open) = open_end(pattern) else {
            return Walker::new(pattern, anchored);
        };
        let walker = Walker::new(&open, anchored)?;
        Some(Walker {
            pattern: pattern.to_string(),
            ..walker
        })
    }

    /// Whether the pattern matches `line` from `at` (a line without `\n`; see
    /// [`Walker::matcher`]).
    #[inline]
    pub fn matches(&self, cache: &mut WalkCache, line: &[u8], at: usize) -> bool {
        debug_assert!(!line[at..].contains(&b'\n'));
        self.end(cache, line, at, true).is_some()
    }

    /// A new search cache for this walker.
    pub fn create_cache(&self) -> WalkCache {
        self.dfa.create_cache()
    }

    /// Where the leftmost-first match in `line` starting at `at` ends (`earliest`: the
    /// end of the first match seen, enough to say there is one); `None` when there is
    /// no match. The bytes before `at` are looked behind (`^`, `\b`).
    #[inline]
    pub fn end(
        &self,
        cache: &mut WalkCache,
        line: &[u8],
        at: usize,
        earliest: bool,
    ) -> Option<usize> {
        match self.walk(cache, line, at, earliest) {
            Ok(end) => end,
            Err(_) => self.slow_end(line, at, earliest),
        }
    }

    fn walk(
        &self,
        cache: &mut WalkCache,
        line: &[u8],
        at: usize,
        earliest: bool,
    ) -> Result<Option<usize>, MatchError> {
        let input = self.input(line, at, earliest);
        let mut sid = self.dfa.start_state_forward(cache, &input)?;
        let mut last = None;
        let mut at = at;
        // The loop of `regex_automata::hybrid::search::find_fwd`, without its
        // prefilter: runs of states that need no attention cost a table look-up per
        // byte, four bytes a turn; `at` is the byte that led to `sid`.
        macro_rules! next {
            ($sid:expr, $at:expr) => {
                // SAFETY: `$sid` is untagged (every caller checks) and was returned by
                // this DFA for this cache, and `$at < line.len()` (checked by the loop
                // and the `at + 3` test): what `next_state_untagged_unchecked` asks.
                unsafe {
                    self.dfa
                        .next_state_untagged_unchecked(cache, $sid, *line.get_unchecked($at))
                }
            };
        }
        while at < line.len() {
            if sid.is_tagged() {
                sid = self
                    .dfa
                    .next_state(cache, sid, line[at])
                    .map_err(|_| MatchError::gave_up(at))?;
            } else {
                let mut prev = sid;
                while at < line.len() {
                    prev = next!(sid, at);
                    if prev.is_tagged() || at + 3 >= line.len() {
                        std::mem::swap(&mut prev, &mut sid);
                        break;
                    }
                    at += 1;
                    sid = next!(prev, at);
                    if sid.is_tagged() {
                        break;
                    }
                    at += 1;
                    prev = next!(sid, at);
                    if prev.is_tagged() {
                        std::mem::swap(&mut prev, &mut sid);
                        break;
                    }
                    at += 1;
                    sid = next!(prev, at);
                    if sid.is_tagged() {
                        break;
                    }
                    at += 1;
                }
                // An unknown state: the transition is computed from the state before.
                if sid.is_unknown() {
                    sid = self
                        .dfa
                        .next_state(cache, prev, line[at])
                        .map_err(|_| MatchError::gave_up(at))?;
                }
            }
            if sid.is_tagged() {
                // Matches show one byte late: a match state entered on the byte at
                // `at` is a match ending there.
                if sid.is_match() {
                    last = Some(at);
                    if earliest {
                        return Ok(last);
                    }
                } else if sid.is_dead() {
                    return Ok(last);
                } else if sid.is_quit() {
                    return Err(MatchError::quit(line[at], at));
                }
            }
            at += 1;
        }
        sid = self
            .dfa
            .next_eoi_state(cache, sid)
            .map_err(|_| MatchError::gave_up(line.len()))?;
        if sid.is_match() {
            last = Some(line.len());
        }
        Ok(last)
    }

    fn input<'h>(&self, line: &'h [u8], at: usize, earliest: bool) -> Input<'h> {
        let anchored = match self.anchored {
            true => Anchored::Yes,
            false => Anchored::No,
        };
        Input::new(line)
            .range(at..)
            .anchored(anchored)
            .earliest(earliest)
    }

    /// [`Walker::end`] by the meta regex (which never gives up).
    #[cold]
    fn slow_end(&self, line: &[u8], at: usize, earliest: bool) -> Option<usize> {
        let re = self
            .slow
            .get_or_init(|| {
                meta::Regex::builder()
                    .syntax(syntax::Config::new().utf8(false))
                    .configure(
                        meta::Config::new()
                            .utf8_empty(false)
                            .which_captures(WhichCaptures::Implicit),
                    )
                    .build(&self.pattern)
                    .ok()
            })
            .as_ref()?;
        re.search_half(&self.input(line, at, earliest))
            .map(|m| m.offset())
    }
}

/// `pattern` without what a line's rest after a match always matches: where it ends
/// in end-of-text (`$`), each way that can be reached with `.*` (any bytes but `\n`)
/// right before it loses both, and the others keep the `$`. The two patterns match the
/// same texts without `\n`; the new one reaches its match state where the `.*` would
/// begin. `None` when no `.*$` ends the pattern (or it does not parse).
fn open_end(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Hir, HirKind, Look};
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    /// `.*` as bytes: any byte but `\n`, any number of times.
    fn any_rest(h: &Hir) -> bool {
        match h.kind() {
            HirKind::Repetition(r) if r.min == 0 && r.max.is_none() => match r.sub.kind() {
                HirKind::Class(regex_syntax::hir::Class::Bytes(c)) => {
                    let mut not = c.clone();
                    not.negate();
                    not.ranges() == [regex_syntax::hir::ClassBytesRange::new(b'\n', b'\n')]
                }
                _ => false,
            },
            HirKind::Capture(c) => any_rest(&c.sub),
            _ => false,
        }
    }
    /// `h` followed by `$`, with every `.*$` at its end left out; `dropped` is set
    /// when one was.
    fn then_end(h: &Hir, dropped: &mut bool) -> Hir {
        if any_rest(h) {
            *dropped = true;
            return Hir::empty();
        }
        match h.kind() {
            HirKind::Look(Look::End) => h.clone(),
            HirKind::Capture(c) => then_end(&c.sub, dropped),
            HirKind::Concat(items) => {
                let (last, head) = items.split_last().expect("a concatenation has items");
                let mut all = head.to_vec();
                all.push(then_end(last, dropped));
                Hir::concat(all)
            }
            HirKind::Alternation(branches) => {
                Hir::alternation(branches.iter().map(|b| then_end(b, dropped)).collect())
            }
            _ => Hir::concat(vec![h.clone(), Hir::look(Look::End)]),
        }
    }
    let HirKind::Concat(items) = hir.kind() else {
        return None;
    };
    let (last, head) = items.split_last()?;
    if !matches!(last.kind(), HirKind::Look(Look::End)) {
        return None;
    }
    let mut dropped = false;
    let open = then_end(&Hir::concat(head.to_vec()), &mut dropped);
    dropped.then(|| open.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk against the meta regex, on every start position of every line.
    #[test]
    fn walks_end_where_the_meta_regex_ends() {
        let patterns = [
            r"(?-u)^(?P<ts>\d\d:\d\d) \[(?P<t>[^\]]*)\] +(?P<level>[A-Za-z]+) +",
            r"(?-u)[A-Z]+",
            r"(?-u)\d+|\d+x",
            r"(?-u)a*?b",
            r"(?-u) +(?P<service>\S+) +- ",
            r"(?-u)$",
            r"(?-u)^",
            r"\bé\b",
            r"(?-u)(?:abc|a)(?:bcd)?",
        ];
        let lines: [&[u8]; 9] = [
            b"12:00 [main] INFO  a.B - started",
            b"12:00 [main] INFO",
            b"ABC def 123x 45",
            b"aaab aab b",
            b"   svc   - x",
            b"",
            b"caf\xc3\xa9 \xc3\xa9 x",
            b"abcd abc a",
            b"\xff\xfe latin1 \xe9",
        ];
        for p in patterns {
            for anchored in [true, false] {
                let w = Walker::new(p, anchored).expect(p);
                let mut cache = w.create_cache();
                let meta = meta::Regex::builder()
                    .syntax(syntax::Config::new().utf8(false))
                    .configure(meta::Config::new().utf8_empty(false))
                    .build(p)
                    .unwrap();
                for line in lines {
                    for at in 0..=line.len() {
                        for earliest in [false, true] {
                            let want = meta
                                .search_half(&w.input(line, at, earliest))
                                .map(|m| m.offset());
                            let got = w.end(&mut cache, line, at, earliest);
                            if earliest {
                                // Both say whether there is a match.
                                assert_eq!(got.is_some(), want.is_some(), "{p} {line:?} {at}");
                            } else {
                                assert_eq!(got, want, "{p} {anchored} {line:?} {at}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// A matcher walker says what the whole pattern says, on every position of lines
    /// that end in every way the dropped `.*$` could meet (bytes that are not UTF-8,
    /// `\r`, nothing), and stops early where it dropped one.
    #[test]
    fn matchers_without_the_open_end_say_what_the_pattern_says() {
        let patterns = [
            r"(?-u)^(?P<ts>\d+)\|(?P<service>[^|]+)\|(?P<msg>.*)$",
            r"(?-u)^# (?:Time: (?P<ts>\d+)|User@Host: \S+ @ .*)$",
            r"(?-u)^(?P<a>[a-z]+)(?: (?P<b>\d+))?(?P<msg>.*?)$",
            r"(?-u)^x(?:y.*|z)$",
            r"(?-u)\d+ (?P<msg>.*)$",
            r"(?-u)^a.*b$",
            r"^(?P<msg>.*)$",
            r"(?-u)^a$",
            r"(?-u)^a(?:.*)?$",
        ];
        assert_eq!(open_end(patterns[7]), None);
        assert_eq!(open_end(patterns[5]), None);
        assert_eq!(open_end(patterns[6]), None, "Unicode `.` is not any byte");
        for p in &patterns[..5] {
            assert!(open_end(p).is_some(), "{p}");
        }
        let lines: [&[u8]; 12] = [
            b"20171223|Step|onStand 3579",
            b"20171223|Step|",
            b"20171223||x",
            b"# Time: 2021",
            b"# Time: 2021x",
            b"# User@Host: app @ localhost []  Id: 9",
            b"abc 12 rest\r",
            b"abc",
            b"xyz \xff\xfe",
            b"xz",
            b"a\xe9b",
            b"",
        ];
        for p in patterns {
            for anchored in [true, false] {
                let whole = Walker::new(p, anchored).expect(p);
                let open = Walker::matcher(p, anchored).expect(p);
                let (mut wc, mut oc) = (whole.create_cache(), open.create_cache());
                for line in lines {
                    for at in 0..=line.len() {
                        assert_eq!(
                            open.matches(&mut oc, line, at),
                            whole.end(&mut wc, line, at, true).is_some(),
                            "{p} {anchored} {line:?} {at}"
                        );
                    }
                }
            }
        }
        // The walk stops where the message begins.
        let p = patterns[0];
        let open = Walker::matcher(p, true).unwrap();
        let mut cache = open.create_cache();
        assert_eq!(
            open.end(&mut cache, b"1|s|a long message", 0, true),
            Some(4)
        );
    }
}
