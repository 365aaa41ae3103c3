//! Text formats defined as data (`format::defs`), compiled once into matchers: entry
//! starts, records from named captures, the continuation rule for multi-line entries,
//! and detection by scoring every definition on a sample of lines.

use std::cell::RefCell;
use std::sync::{LazyLock, OnceLock};

use regex::bytes::{CaptureLocations, Captures, Regex, RegexSet};
use regex_automata::meta;

use crate::format::defs::{Cont, Def, Msg, Time, BUILTIN};
use crate::format::level::Level;
use crate::format::record::{Field, Kind, Meta, Raw, Record};
use crate::format::seen::Seen;
use crate::format::text::{split_first_line, split_first_line_uncoloured, trim_newlines};
use crate::format::timestamp::{self, TimeCtx};
use crate::format::walk::{WalkCache, Walker};
use crate::format::{covet, json, logfmt};

/// One compiled definition.
pub struct Compiled {
    pub def: &'static Def,
    pub re: Regex,
    /// The pattern without a final `(?P<msg>.*)$`, for reading captures: the message is
    /// the rest of the line after its match (the same split, since `.*$` takes any
    /// rest), and the capture engine stops at the end of the header.
    head: Option<Regex>,
    /// What [`quick_level`] reads with, built on first use.
    levels: OnceLock<LevelReader>,
    /// Whether what is learned of a line is worth remembering ([`Compiled::remembers`]).
    remembers: OnceLock<bool>,
    /// DFA matchers searched with a per-thread cache (the `regex` crate's shared cache
    /// pool costs more than the search on a short header), by [`Dfa`]; built on first
    /// use.
    dfas: [OnceLock<Option<Walker>>; Dfa::COUNT],
    /// How the pairs of a `key=value` tail are found without the capture engine
    /// ([`KvReader`]), built on first use.
    kv: OnceLock<Option<KvReader>>,
}

/// The DFA matchers of a definition, each answering one question about a line without
/// the capture engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dfa {
    /// The matcher without captures: whether the line is one of the format's.
    Start,
    /// The matcher with its `ts` group required ([`requiring`]): no match means no
    /// parse of the line reads a time.
    Timed,
    /// The matcher with a `pri` or `status` group required: no match means no parse of
    /// the line derives a level from them.
    Derived,
}

impl Dfa {
    const COUNT: usize = 3;

    /// The pattern this DFA searches with, from the definition's matcher.
    fn pattern(self, matcher: &str) -> Option<String> {
        match self {
            Dfa::Start => Some(matcher.to_string()),
            Dfa::Timed => requiring(matcher, &["ts"]),
            Dfa::Derived => requiring(matcher, &["pri", "status"]),
        }
    }
}

/// The regexes that read a definition's level from a line without the other fields.
///
/// `whole` is the matcher with only the groups a level is read from (`level`, `pri`,
/// `status`) capturing: the same regex (groups change neither what matches nor where a
/// group's match lies), with fewer slots to track. When the matcher is a sequence
/// whose last level group is followed by more items, it is also split there into a
/// `prefix` (up to and including that group, only level groups capturing) and a
/// `suffix` (the rest, anchored). A line matches the matcher with the prefix's
/// captures exactly when the prefix matches and the suffix matches right after it:
/// the prefix's match is its highest-priority parse, and the matcher's own match is
/// the highest-priority prefix parse that the suffix extends. Only when the suffix
/// does not extend it is `whole` run (another parse of the prefix may). The capture
/// engine so reads only the line up to the level; the rest is checked by a DFA.
///
/// `staged` goes further where it can: the prefix is cut again before the item that
/// holds the last level group, into a `lead` without captures (matched by a DFA), that
/// `item` (read by the capture engine, only the few bytes of the level) and the same
/// suffix. By the same argument, the lead's match is its highest-priority parse, and
/// when the item and then the suffix match right after it, that is the matcher's own
/// parse; otherwise the two-part read above runs.
struct LevelReader {
    whole: Regex,
    groups: LevelGroups,
    split: Option<(Regex, LevelGroups, Regex)>,
    staged: Option<Staged>,
}

/// The three stages of [`LevelReader::staged`], searched anchored on the whole line
/// (look-arounds see the bytes before a stage's start).
struct Staged {
    /// `None` when the lead matches only the empty line start (`^`): it ends where the
    /// read starts.
    lead: Option<Walker>,
    item: Item,
    /// `None` when the item's branches read it ([`Item::Branches`]).
    rest: Option<Walker>,
    /// Whether every stage is a DFA (no capture engine anywhere).
    all_dfas: bool,
    /// The level groups' indexes in `item`.
    groups: LevelGroups,
    /// Which level group (0 level, 1 pri, 2 status) the item is, when it is nothing
    /// but that group: its span is then the item's match, found by a DFA.
    bare: Option<usize>,
}

/// A stage's regex over bytes, as `regex::bytes` builds it; `captures`: with its
/// groups (else only where the match ends is asked).
pub(crate) fn stage(pattern: &str, captures: bool) -> Option<meta::Regex> {
    use regex_automata::nfa::thompson::WhichCaptures;
    let which = match captures {
        true => WhichCaptures::All,
        false => WhichCaptures::Implicit,
    };
    meta::Regex::builder()
        .syntax(regex_automata::util::syntax::Config::new().utf8(false))
        .configure(meta::Config::new().utf8_empty(false).which_captures(which))
        .build(pattern)
        .ok()
}

/// Which of the level groups (`LEVEL_GROUPS` order) `item` (flags, then one item) is,
/// when it is exactly that named group with no other group inside.
fn bare_group(item: &str, names: &Names) -> Option<usize> {
    use regex_syntax::ast::{Ast, GroupKind};
    let ast = regex_syntax::ast::parse::Parser::new().parse(item).ok()?;
    let group = match &ast {
        Ast::Concat(c) => match c.asts.as_slice() {
            [Ast::Flags(_), Ast::Group(g)] => g,
            _ => return None,
        },
        Ast::Group(g) => g,
        _ => return None,
    };
    let GroupKind::CaptureName { name, .. } = &group.kind else {
        return None;
    };
    let groups = bytes_hir(item)?.properties().explicit_captures_len();
    (groups == 1)
        .then(|| names.iter().position(|n| *n == name.name))
        .flatten()
}

/// How [`Staged`] reads the item holding the level.
enum Item {
    /// The item is only its level group: its span is where the item's match ends.
    Bare(Box<Walker>),
    /// The capture engine reads the groups.
    Captures(meta::Regex),
    /// The item is optional (`(?:X)?`, greedy, `X` never empty): a DFA finds where it
    /// ends, and only where it took something does the capture engine read the groups
    /// (where it took nothing, `X` did not match and no group inside took part: Gin's
    /// `[WARNING] ` tag, absent from most lines).
    Optional(Box<Walker>, meta::Regex),
    /// The item is a group of alternatives at most one of which can match at any
    /// position (no prefix literal of one is a prefix of another's): the bytes pick
    /// the branch, which reads itself and the rest after it.
    Branches(Vec<Branch>),
}

/// One alternative of an [`Item::Branches`], followed by the rest of the pattern.
struct Branch {
    /// Every match of the branch and the rest starts with one of these.
    prefixes: Vec<Vec<u8>>,
    read: BranchRead,
}

/// How a [`Branch`] is read.
enum BranchRead {
    /// It holds no level group: only whether it matches.
    Plain(Box<Walker>),
    /// It holds one: read in stages again.
    Staged(Box<Staged>),
}

/// What one thread keeps for a definition's [`Staged`] reads.
struct StageCaches {
    lead: Option<WalkCache>,
    item: ItemCache,
    rest: Option<WalkCache>,
}

/// The cache of an [`Item`] (one per thread and definition, never moved: sizes differ).
#[allow(clippy::large_enum_variant)]
enum ItemCache {
    Bare(WalkCache),
    Captures(Box<CaptureState>),
    Optional(Box<WalkCache>, Box<CaptureState>),
    Branches(Vec<BranchCache>),
}

/// What the capture engine keeps to read an item's groups (one per thread and item).
type CaptureState = (meta::Cache, regex_automata::util::captures::Captures);

/// The cache of a [`Branch`].
enum BranchCache {
    Plain(Box<WalkCache>),
    Staged(Box<StageCaches>),
}

/// Whether `item` (flags, then one item) is `(?:X)?`, greedy, with `X` never empty
/// (see [`Item::Optional`]), read with the item's flags.
fn is_optional(item: &str) -> bool {
    use regex_syntax::hir::HirKind;
    bytes_hir(item).is_some_and(|hir| match hir.kind() {
        HirKind::Repetition(r) => {
            (r.min, r.max) == (0, Some(1))
                && r.greedy
                && r.sub.properties().minimum_len().is_some_and(|n| n > 0)
        }
        _ => false,
    })
}

/// `pattern` as the `regex` crate's bytes API reads it (not required to match UTF-8),
/// for questions of its shape; `None` when it does not parse.
fn bytes_hir(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()
}

/// Whether `pattern` matches nothing but the empty string at the start of the text (`^`,
/// flags): a stage that always ends where it starts, at 0.
fn only_text_start(pattern: &str) -> bool {
    use regex_syntax::hir::Look;
    let Some(hir) = bytes_hir(pattern) else {
        return false;
    };
    let props = hir.properties();
    props.maximum_len() == Some(0)
        && props.look_set_prefix().contains(Look::Start)
        && props.look_set().remove(Look::Start).is_empty()
}

impl Staged {
    fn new(pattern: &str, names: &Names) -> Option<Staged> {
        let (lead, item, rest) = split_at_level(pattern, names)?.2?;
        let bare = bare_group(&item, names);
        let lead = match only_text_start(&lead) {
            true => None,
            false => Some(Walker::new(&lead, true)?),
        };
        if bare.is_none() {
            if let Some(branches) = Branch::all(&item, &rest, names) {
                let item = Item::Branches(branches);
                return Some(Staged {
                    lead,
                    all_dfas: Staged::dfas_only(&item),
                    item,
                    rest: None,
                    groups: LevelGroups::default(),
                    bare,
                });
            }
        }
        let item = level_matcher(&Regex::new(&item).ok()?, names);
        let groups = LevelGroups::of(&item, names);
        let item = match bare {
            Some(_) => Item::Bare(Box::new(Walker::new(item.as_str(), true)?)),
            None if is_optional(item.as_str()) => Item::Optional(
                Box::new(Walker::new(item.as_str(), true)?),
                stage(item.as_str(), true)?,
            ),
            None => Item::Captures(stage(item.as_str(), true)?),
        };
        Some(Staged {
            lead,
            all_dfas: Staged::dfas_only(&item),
            item,
            rest: Some(Walker::matcher(&rest, true)?),
            groups,
            bare,
        })
    }

    /// Whether every stage of `item` is a DFA (no capture engine anywhere).
    fn dfas_only(item: &Item) -> bool {
        match item {
            Item::Bare(_) => true,
            Item::Captures(_) | Item::Optional(..) => false,
            Item::Branches(branches) => branches.iter().all(|b| match &b.read {
                BranchRead::Plain(_) => true,
                BranchRead::Staged(s) => s.all_dfas,
            }),
        }
    }

    fn caches(&self) -> StageCaches {
        StageCaches {
            lead: self.lead.as_ref().map(Walker::create_cache),
            item: match &self.item {
                Item::Bare(w) => ItemCache::Bare(w.create_cache()),
                Item::Captures(re) => {
                    ItemCache::Captures(Box::new((re.create_cache(), re.create_captures())))
                }
                Item::Optional(w, re) => ItemCache::Optional(
                    Box::new(w.create_cache()),
                    Box::new((re.create_cache(), re.create_captures())),
                ),
                Item::Branches(branches) => ItemCache::Branches(
                    branches
                        .iter()
                        .map(|b| match &b.read {
                            BranchRead::Plain(w) => BranchCache::Plain(Box::new(w.create_cache())),
                            BranchRead::Staged(s) => BranchCache::Staged(Box::new(s.caches())),
                        })
                        .collect(),
                ),
            },
            rest: self.rest.as_ref().map(Walker::create_cache),
        }
    }

    /// The level groups' spans (level, pri, status) when all three stages match one
    /// after the other; `None` when not (the line may still match another way).
    fn read(&self, c: &mut StageCaches, line: &[u8]) -> Option<[Option<(usize, usize)>; 3]> {
        self.read_from(c, line, 0)
    }

    /// The item's groups read by the capture engine at `at` into `spans`; where the
    /// item's match ends.
    fn capture(
        &self,
        item: &meta::Regex,
        state: &mut CaptureState,
        line: &[u8],
        at: usize,
        spans: &mut [Option<(usize, usize)>; 3],
    ) -> Option<usize> {
        use regex_automata::{Anchored, Input};
        let (cache, caps) = state;
        let input = Input::new(line).range(at..).anchored(Anchored::Yes);
        item.search_captures_with(cache, &input, caps);
        let span = |i: Option<usize>| i.and_then(|i| caps.get_group(i)).map(|s| (s.start, s.end));
        *spans = [
            span(self.groups.level),
            span(self.groups.pri),
            span(self.groups.status),
        ];
        Some(caps.get_match()?.end())
    }

    /// [`Staged::read`] of the line from `at` on (the stages of a branch).
    fn read_from(
        &self,
        c: &mut StageCaches,
        line: &[u8],
        at: usize,
    ) -> Option<[Option<(usize, usize)>; 3]> {
        let lead_end = match (&self.lead, &mut c.lead) {
            (Some(lead), Some(cache)) => lead.end(cache, line, at, false)?,
            _ => at,
        };
        let mut spans = [None; 3];
        let item_end = match (&self.item, &mut c.item) {
            (Item::Bare(item), ItemCache::Bare(cache)) => {
                let end = item.end(cache, line, lead_end, false)?;
                spans[self.bare?] = Some((lead_end, end));
                end
            }
            (Item::Captures(item), ItemCache::Captures(state)) => {
                self.capture(item, state, line, lead_end, &mut spans)?
            }
            (Item::Optional(end, item), ItemCache::Optional(cache, state)) => {
                match end.end(cache, line, lead_end, false)? {
                    // Nothing taken: no group took part.
                    end if end == lead_end => end,
                    _ => self.capture(item, state, line, lead_end, &mut spans)?,
                }
            }
            (Item::Branches(branches), ItemCache::Branches(caches)) => {
                return Branch::read(branches, caches, line, lead_end);
            }
            _ => return None,
        };
        let (Some(rest), Some(cache)) = (&self.rest, &mut c.rest) else {
            return None;
        };
        rest.matches(cache, line, item_end).then_some(spans)
    }
}

/// Each branch's prefixes cut to at most `len` bytes, without repeats.
fn cut_prefixes(branches: &[Branch], len: usize) -> Vec<Vec<Vec<u8>>> {
    branches
        .iter()
        .map(|b| {
            let mut cut: Vec<Vec<u8>> = b
                .prefixes
                .iter()
                .map(|p| p[..p.len().min(len)].to_vec())
                .collect();
            cut.sort();
            cut.dedup();
            cut
        })
        .collect()
}

/// Whether no prefix of one set is a prefix of (or equal to) one of another set: at
/// most one set's prefixes can start a text.
fn exclusive(sets: &[Vec<Vec<u8>>]) -> bool {
    let overlap = |a: &[Vec<u8>], b: &[Vec<u8>]| {
        a.iter()
            .any(|x| b.iter().any(|y| x.starts_with(y) || y.starts_with(x)))
    };
    sets.iter()
        .enumerate()
        .all(|(i, a)| sets[i + 1..].iter().all(|b| !overlap(a, b)))
}

/// Whether `bytes` starts with `prefix` (a few bytes: compared in line, no `memcmp`
/// call, and most candidates differ at the first byte).
#[inline]
fn has_prefix(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes.iter().zip(prefix).all(|(a, b)| a == b)
}

impl Branch {
    /// The branches of `item` (flags, then a group of alternatives), each followed by
    /// `rest`, when at most one of them can match at any position: each branch's
    /// prefix literals are known (a finite set) and none is a prefix of another
    /// branch's. `None` otherwise, or when a branch cannot be read by DFAs alone.
    fn all(item: &str, rest: &str, names: &Names) -> Option<Vec<Branch>> {
        use regex_syntax::ast::Ast;
        let ast = regex_syntax::ast::parse::Parser::new().parse(item).ok()?;
        let (flags, group) = match &ast {
            Ast::Concat(c) => match c.asts.as_slice() {
                [Ast::Flags(f), Ast::Group(g)] => {
                    (&item[f.span.start.offset..f.span.end.offset], g)
                }
                _ => return None,
            },
            Ast::Group(g) => ("", g),
            _ => return None,
        };
        let Ast::Alternation(alt) = &*group.ast else {
            return None;
        };
        let tail = rest.strip_prefix(flags)?;
        let branches = alt
            .asts
            .iter()
            .map(|b| {
                let text = &item[b.span().start.offset..b.span().end.offset];
                Branch::new(&format!("{flags}{text}{tail}"), names)
            })
            .collect::<Option<Vec<Branch>>>()?;
        // The shortest prefixes that still tell the branches apart (a match starts with
        // a cut literal as well, and fewer, shorter literals are quicker to try).
        let longest = branches
            .iter()
            .flat_map(|b| &b.prefixes)
            .map(Vec::len)
            .max()?;
        let len = (1..=longest).find(|&n| exclusive(&cut_prefixes(&branches, n)))?;
        let cut = cut_prefixes(&branches, len);
        Some(
            branches
                .into_iter()
                .zip(cut)
                .map(|(b, prefixes)| Branch { prefixes, ..b })
                .collect(),
        )
    }

    /// A branch that matches `pattern` (one alternative, then the rest).
    fn new(pattern: &str, names: &Names) -> Option<Branch> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let hir = bytes_hir(pattern)?;
        let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        let prefixes: Vec<Vec<u8>> = seq
            .literals()?
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let has_level = {
            let ast = regex_syntax::ast::parse::Parser::new()
                .parse(pattern)
                .ok()?;
            names.iter().any(|n| has_group(&ast, n))
        };
        let read = match has_level {
            false => BranchRead::Plain(Box::new(Walker::matcher(pattern, true)?)),
            true => BranchRead::Staged(Box::new(Staged::new(pattern, names)?)),
        };
        Some(Branch { prefixes, read })
    }

    /// The spans read by the one branch whose prefix the line has at `at`; `None`
    /// when no branch matches there.
    fn read(
        branches: &[Branch],
        caches: &mut [BranchCache],
        line: &[u8],
        at: usize,
    ) -> Option<[Option<(usize, usize)>; 3]> {
        let here = &line[at..];
        let i = branches
            .iter()
            .position(|b| b.prefixes.iter().any(|p| has_prefix(here, p)))?;
        match (&branches[i].read, &mut caches[i]) {
            (BranchRead::Plain(w), BranchCache::Plain(cache)) => {
                w.matches(cache, line, at).then_some([None; 3])
            }
            (BranchRead::Staged(s), BranchCache::Staged(cache)) => s.read_from(cache, line, at),
            _ => None,
        }
    }
}

/// Where in a definition's captures its level comes from.
#[derive(Debug, Clone, Copy, Default)]
struct LevelGroups {
    level: Option<usize>,
    pri: Option<usize>,
    status: Option<usize>,
}

impl LevelGroups {
    fn is_empty(&self) -> bool {
        self.level.is_none() && self.pri.is_none() && self.status.is_none()
    }

    fn of(re: &Regex, names: &Names) -> LevelGroups {
        let index = |name: &str| re.capture_names().position(|n| n == Some(name));
        LevelGroups {
            level: index(names[0]),
            pri: index(names[1]),
            status: index(names[2]),
        }
    }
}

impl Compiled {
    /// The regex to match and capture with: the header when there is one (a line
    /// matches the header exactly when it matches the whole pattern).
    fn matcher(&self) -> &Regex {
        self.head.as_ref().unwrap_or(&self.re)
    }
}

/// The ending that [`Compiled::head`] drops.
const MSG_TAIL: &str = "(?P<msg>.*)$";

/// All built-in definitions, compiled, and a set of their patterns for detection.
struct Table {
    formats: Vec<Compiled>,
    set: RegexSet,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let defs: Vec<&'static Def> = all_defs().collect();
    // Built-in patterns are read over bytes; user patterns as written.
    let patterns: Vec<String> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i < BUILTIN.len() {
                bytes_pattern(d.pattern)
            } else {
                d.pattern.to_string()
            }
        })
        .collect();
    let formats = defs
        .iter()
        .zip(&patterns)
        // Every pattern compiles: the built-in table is tested, user patterns were
        // checked when read.
        .enumerate()
        .map(|(i, (def, p))| {
            let re = Regex::new(p).expect("format pattern");
            let head = p
                .strip_suffix(MSG_TAIL)
                .filter(|_| i < BUILTIN.len())
                .and_then(|h| Regex::new(h).ok());
            Compiled {
                def,
                re,
                head,
                levels: OnceLock::new(),
                remembers: OnceLock::new(),
                dfas: Default::default(),
                kv: OnceLock::new(),
            }
        })
        .collect();
    // The set needs only to know which patterns match: headers are enough.
    let heads = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| match p.strip_suffix(MSG_TAIL) {
            Some(h) if i < BUILTIN.len() => h,
            _ => p,
        });
    let set = RegexSet::new(heads).expect("format pattern set");
    Table { formats, set }
});

impl Compiled {
    fn level_reader(&self) -> &LevelReader {
        self.levels
            .get_or_init(|| LevelReader::new(self.matcher(), &LEVEL_GROUPS))
    }

    /// Whether a line's header test is asked again soon after it was first answered,
    /// so remembering it pays: the staged reader answers with the level's spans (a
    /// level read follows), the format has no level (the level read asks only the
    /// header test), or a request's line start depends on the line before (which was
    /// tested). Elsewhere the level read asks the capture engine anyway, and in blocks
    /// (mostly lines that are no header) copying each line costs more than it saves
    /// (measured).
    #[inline]
    fn remembers(&self) -> bool {
        *self.remembers.get_or_init(|| {
            let reader = self.level_reader();
            let block = self.def.cont == Cont::Block;
            self.staged_dfas().is_some()
                || (reader.groups.is_empty() && self.def.msg != Msg::SecondLine && !block)
                || self.def.cont == Cont::Request
        })
    }

    /// The staged level reader, where this definition reads a level and the reader's
    /// stages are all DFAs (as cheap as the matcher's DFA, so it can answer the header
    /// test too).
    fn staged_dfas(&self) -> Option<&Staged> {
        let reader = self.level_reader();
        let staged = reader.staged.as_ref()?;
        (!reader.groups.is_empty() && staged.all_dfas).then_some(staged)
    }
}

thread_local! {
    /// Search caches of each definition's [`Compiled::dfas`], on this thread (slot
    /// `id * Dfa::COUNT + dfa`).
    static DFA_CACHES: RefCell<Vec<Option<WalkCache>>> = const { RefCell::new(Vec::new()) };
}

/// Whether definition `id`'s DFA `which` matches `line`; `None` when that DFA could
/// not be built (or this thread's caches are in use).
fn dfa_match(id: u8, which: Dfa, line: &[u8]) -> Option<bool> {
    let c = compiled(id);
    let walker = c.dfas[which as usize]
        .get_or_init(|| {
            let pattern = which.pattern(c.matcher().as_str())?;
            // A pattern that starts with `^` is searched anchored (the same matches,
            // and a line that fails is left at its first bytes).
            Walker::matcher(&pattern, starts_at_text_start(&pattern))
        })
        .as_ref()?;
    DFA_CACHES.with(|cell| {
        let mut all = cell.try_borrow_mut().ok()?;
        let slot = usize::from(id) * Dfa::COUNT + which as usize;
        if all.len() <= slot {
            all.resize_with(slot + 1, || None);
        }
        let cache = all[slot].get_or_insert_with(|| walker.create_cache());
        Some(walker.matches(cache, line, 0))
    })
}

/// Whether every match of `pattern` starts at the start of the text (`^` first).
fn starts_at_text_start(pattern: &str) -> bool {
    bytes_hir(pattern).is_some_and(|hir| {
        hir.properties()
            .look_set_prefix()
            .contains(regex_syntax::hir::Look::Start)
    })
}

/// The level groups' spans (level, pri, status) of a line, as [`LevelReader::spans`]
/// gives them.
type Spans = [Option<(usize, usize)>; 3];

/// What is known of a line: whether the matcher matches it, and when the staged
/// reader read it, the level groups' spans.
type Known = (bool, Option<Spans>);

thread_local! {
    /// The last lines this thread tested, so an entry's first line, tested as an entry
    /// start when the entry above ended, is not walked again for its level.
    static SEEN: RefCell<Seen<Known>> = const { RefCell::new(Seen::new()) };
}

/// What this thread last learned of `line` of definition `id`, if it still knows.
#[inline]
fn recall(id: u8, line: &[u8]) -> Option<Known> {
    if !compiled(id).remembers() {
        return None;
    }
    SEEN.with(|seen| seen.borrow().recall(id, line))
}

#[inline]
fn remember(id: u8, line: &[u8], known: Known) {
    if compiled(id).remembers() {
        SEEN.with(|seen| seen.borrow_mut().remember(id, line, known));
    }
}

/// Whether definition `id`'s matcher matches `line` (as `matcher().is_match`). Where
/// the level reader's stages are all DFAs, they answer (a line they read matches the
/// matcher) and their spans are kept for the level read that follows; otherwise, or
/// when they do not read the line, the matcher's DFA answers.
#[inline]
fn is_header(id: u8, line: &[u8]) -> bool {
    match recall(id, line) {
        Some((header, _)) => header,
        None => test_header(id, line),
    }
}

/// [`is_header`] of a line this thread has not tested yet (an entry-start test of the
/// next line): no look in what it remembers, which would find nothing.
#[inline]
fn test_header(id: u8, line: &[u8]) -> bool {
    if !compiled(id).remembers() {
        return header_by_dfa(id, line);
    }
    let known = match staged_spans(id, line) {
        Some(spans) => (true, Some(spans)),
        None => (header_by_dfa(id, line), None),
    };
    remember(id, line, known);
    known.0
}

/// Whether the matcher matches `line`, by its DFA (by the regex where that was not
/// built).
fn header_by_dfa(id: u8, line: &[u8]) -> bool {
    dfa_match(id, Dfa::Start, line).unwrap_or_else(|| compiled(id).matcher().is_match(line))
}

/// The staged reader's spans of `line`, where definition `id` reads a level and its
/// stages are DFAs only (as cheap as the matcher's DFA); `None` otherwise, when they do
/// not read the line, or when this thread's slots are in use.
fn staged_spans(id: u8, line: &[u8]) -> Option<Spans> {
    let c = compiled(id);
    let staged = c.staged_dfas()?;
    let reader = c.level_reader();
    LOCATIONS.with(|cell| {
        let mut all = cell.try_borrow_mut().ok()?;
        let slots = slots_of(&mut all, id, reader);
        staged.read(slots.staged.as_mut()?, line)
    })
}

/// `pattern` changed so that it matches a line exactly when some parse of the line by
/// `pattern` has one of the `groups` taking part: on the way to a group, alternation
/// branches without one are dropped and an optional item is made to match once (`X?`
/// becomes `X'`, `X*` and `X+` become `X*X'X*`, where `X'` is `X` changed the same way).
/// `None` when no such group is in the pattern or an item on the way is one the rewrite
/// does not handle (a counted repetition, flags inside a sequence): the caller then
/// asks the capture engine.
fn requiring(pattern: &str, groups: &[&str]) -> Option<String> {
    use regex_syntax::ast::{Ast, RepetitionKind};
    fn holds(ast: &Ast, groups: &[&str]) -> bool {
        groups.iter().any(|g| has_group(ast, g))
    }
    fn text<'p>(pattern: &'p str, ast: &Ast) -> &'p str {
        &pattern[ast.span().start.offset..ast.span().end.offset]
    }
    // `top`: the pattern's own sequence, where leading flags (`(?-u)`) apply to all.
    fn render(pattern: &str, ast: &Ast, groups: &[&str], top: bool) -> Option<String> {
        if !holds(ast, groups) {
            return Some(text(pattern, ast).to_string());
        }
        Some(match ast {
            Ast::Group(g) => {
                let open = &pattern[g.span.start.offset..g.ast.span().start.offset];
                let named = match &g.kind {
                    regex_syntax::ast::GroupKind::CaptureName { name, .. } => Some(&name.name),
                    _ => None,
                };
                let inner = if groups.iter().any(|n| named.is_some_and(|m| m == n)) {
                    text(pattern, &g.ast).to_string()
                } else {
                    render(pattern, &g.ast, groups, false)?
                };
                format!("{open}{inner})")
            }
            Ast::Concat(c) => {
                let flags_at = |i: usize, a: &Ast| matches!(a, Ast::Flags(_)) && !(top && i == 0);
                if c.asts.iter().enumerate().any(|(i, a)| flags_at(i, a)) {
                    return None;
                }
                c.asts
                    .iter()
                    .map(|a| render(pattern, a, groups, false))
                    .collect::<Option<String>>()?
            }
            Ast::Alternation(a) => {
                let kept: Option<Vec<String>> = a
                    .asts
                    .iter()
                    .filter(|b| holds(b, groups))
                    .map(|b| render(pattern, b, groups, false))
                    .collect();
                format!("(?:{})", kept?.join("|"))
            }
            Ast::Repetition(r) => {
                let once = render(pattern, &r.ast, groups, false)?;
                let any = format!("(?:{})*", text(pattern, &r.ast));
                match r.op.kind {
                    RepetitionKind::ZeroOrOne => format!("(?:{once})"),
                    RepetitionKind::ZeroOrMore | RepetitionKind::OneOrMore => {
                        format!("{any}(?:{once}){any}")
                    }
                    RepetitionKind::Range(_) => return None,
                }
            }
            _ => return None,
        })
    }
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .ok()?;
    let rendered = holds(&ast, groups)
        .then(|| render(pattern, &ast, groups, true))
        .flatten()?;
    // A DFA needs no names, and the copies of an item would repeat them.
    Some(NAMED_GROUP.replace_all(&rendered, "${1}(?:").into_owned())
}

/// The opening of a named group (`(?P<name>`, `(?<name>`), not escaped.
static NAMED_GROUP: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(^|[^\\])\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>").expect("named group")
});

impl LevelReader {
    fn new(matcher: &Regex, names: &Names) -> LevelReader {
        let whole = level_matcher(matcher, names);
        let split = split_at_level(matcher.as_str(), names).and_then(|(prefix, suffix, _)| {
            // Nothing after the group: the prefix is the whole matcher.
            if prefix.len() == matcher.as_str().len() {
                return None;
            }
            let prefix = level_matcher(&Regex::new(&prefix).ok()?, names);
            let suffix = Regex::new(&format!("^(?:{suffix})")).ok()?;
            Some((prefix.clone(), LevelGroups::of(&prefix, names), suffix))
        });
        LevelReader {
            groups: LevelGroups::of(&whole, names),
            whole,
            split,
            staged: Staged::new(matcher.as_str(), names),
        }
    }

    /// Capture slots for [`LevelReader::read`].
    fn locations(&self) -> [CaptureLocations; 2] {
        let prefix = self.split.as_ref().map_or(&self.whole, |s| &s.0);
        [prefix.capture_locations(), self.whole.capture_locations()]
    }

    /// The level groups' captures of `line` (in the locations returned) when the
    /// matcher matches it.
    fn read<'l>(
        &'l self,
        locs: &'l mut [CaptureLocations; 2],
        line: &[u8],
    ) -> Option<(&'l CaptureLocations, &'l LevelGroups)> {
        let [prefix_locs, whole_locs] = locs;
        if let Some((prefix, groups, suffix)) = &self.split {
            let end = prefix.captures_read(prefix_locs, line)?.end();
            if suffix.is_match(&line[end..]) {
                return Some((prefix_locs, groups));
            }
        }
        self.whole.captures_read(whole_locs, line)?;
        Some((whole_locs, &self.groups))
    }
}

/// A pattern cut after its last level group, when it is a sequence at the top: the
/// prefix and the rest (with the pattern's leading flags; only those when nothing
/// follows the group), cut in the pattern's own text. `None` when flags change later
/// in the sequence, or the rest has a look-around other than the end of the line (the
/// rest is matched on the line from the cut on, where a look-behind would see nothing).
/// Also the three stages of [`Staged`]: the prefix before the item holding that group,
/// the item, and the rest (each with the leading flags), when that prefix holds no
/// level group.
#[allow(clippy::type_complexity)]
fn split_at_level(
    pattern: &str,
    names: &Names,
) -> Option<(String, String, Option<(String, String, String)>)> {
    use regex_syntax::ast::Ast;
    use regex_syntax::hir::Look;
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .ok()?;
    let Ast::Concat(concat) = &ast else {
        return None;
    };
    let items = &concat.asts;
    let flags = match items.first() {
        Some(Ast::Flags(f)) => &pattern[f.span.start.offset..f.span.end.offset],
        _ => "",
    };
    if items.iter().skip(1).any(|a| matches!(a, Ast::Flags(_))) {
        return None;
    }
    let last = items
        .iter()
        .rposition(|a| names.iter().any(|n| has_group(a, n)))?;
    let cut = items[last].span().end.offset;
    let rest = format!("{flags}{}", &pattern[cut..]);
    let hir = bytes_hir(&rest)?;
    let looks = hir.properties().look_set();
    let start = items[last].span().start.offset;
    let lead = &pattern[..start];
    let lead_plain = !items[..last]
        .iter()
        .any(|a| names.iter().any(|n| has_group(a, n)));
    let item = format!("{flags}{}", &pattern[start..cut]);
    let staged = lead_plain.then(|| (lead.to_string(), item, rest.clone()));
    looks
        .remove(Look::End)
        .remove(Look::EndLF)
        .remove(Look::EndCRLF)
        .is_empty()
        .then(|| (pattern[..cut].to_string(), rest, staged))
}

/// Whether `ast` holds a capture group named `name`.
fn has_group(ast: &regex_syntax::ast::Ast, name: &str) -> bool {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(g) => {
            matches!(&g.kind, GroupKind::CaptureName { name: n, .. } if n.name == name)
                || has_group(&g.ast, name)
        }
        Ast::Concat(c) => c.asts.iter().any(|a| has_group(a, name)),
        Ast::Alternation(a) => a.asts.iter().any(|a| has_group(a, name)),
        Ast::Repetition(r) => has_group(&r.ast, name),
        _ => false,
    }
}

/// The groups a level is read from.
const LEVEL_GROUPS: Names = ["level", "pri", "status"];

/// The names of the (up to three) groups a [`LevelReader`] reads, in the order of its
/// spans: [`LEVEL_GROUPS`], or one field's group (`[name, "", ""]`: no group has an
/// empty name).
type Names = [&'static str; 3];

/// `re` with every named group other than [`LEVEL_GROUPS`] made non-capturing; `re`
/// itself when that does not give the same groups back (a pattern written in a way
/// the rewrite does not know).
fn level_matcher(re: &Regex, names: &Names) -> Regex {
    static NAMED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(^|[^\\])\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>").expect("named group")
    });
    let pattern = NAMED.replace_all(re.as_str(), |c: &regex::Captures| {
        if names.contains(&&c[2]) {
            c[0].to_string()
        } else {
            format!("{}(?:", &c[1])
        }
    });
    let names = |r: &Regex| -> Vec<String> {
        r.capture_names()
            .flatten()
            .filter(|n| names.contains(n))
            .map(str::to_string)
            .collect()
    };
    match Regex::new(&pattern) {
        Ok(levels)
            if names(&levels) == names(re)
                && levels.capture_names().flatten().count() == names(re).len() =>
        {
            levels
        }
        _ => re.clone(),
    }
}

/// User formats (`formats.toml`), installed once at start-up before any matching.
static USER: OnceLock<&'static [Def]> = OnceLock::new();

/// Installs the user's formats; they follow the built-in ones (which win a tie).
pub fn install_user(defs: Vec<Def>) {
    let _ = USER.set(Vec::leak(defs));
}

/// Every definition: the built-in ones, then the user's.
pub fn all_defs() -> impl Iterator<Item = &'static Def> {
    BUILTIN
        .iter()
        .chain(USER.get().copied().unwrap_or_default())
}

/// A definition's index by name (built-in or user).
pub fn by_name(name: &str) -> Option<usize> {
    all_defs().position(|d| d.name == name)
}

/// A pattern over bytes, not characters: `.` and `[^x]` also match bytes that are not
/// UTF-8 (Latin-1 text in a log), and `\w`, `\d`, `\s` are ASCII classes (faster).
fn bytes_pattern(pattern: &str) -> String {
    format!("(?-u){pattern}")
}

/// The compiled definition `id` (an index into `defs::BUILTIN`).
pub fn compiled(id: u8) -> &'static Compiled {
    &TABLE.formats[usize::from(id)]
}

/// Whether `line` starts an entry of format `id`: it matches the pattern, or it is a
/// complete entry of another known format (an entry never swallows one). Other lines
/// continue the entry above.
pub fn is_entry_start(id: u8, line: &[u8], ctx: &TimeCtx) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let c = compiled(id);
    if test_header(id, line) {
        return true;
    }
    matches!(c.def.cont, Cont::Shape | Cont::Request) && is_other_entry(line, ctx)
}

/// Whether the rule for `id`'s entry starts looks at the line before
/// ([`Cont::Request`]).
pub fn needs_prev(id: u8) -> bool {
    matches!(compiled(id).def.cont, Cont::Request | Cont::Block)
}

/// A line of a [`Cont::Request`] format that continues its request's entry: the
/// pattern reads it without a time, and the line before has the same leading tags. Of
/// a [`Cont::Block`] format: a header line right after another (one header).
pub fn continues_request(id: u8, prev: &[u8], line: &[u8]) -> bool {
    let c = compiled(id);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let prev = prev.strip_suffix(b"\r").unwrap_or(prev);
    match c.def.cont {
        Cont::Request => {}
        // A block's header lines (`# Time:` then `# User@Host:`) are one header.
        Cont::Block => return is_header(id, line) && is_header(id, prev),
        _ => return false,
    }
    // The tags first: they differ on every request's first line, which then needs no
    // captures; then whether the line is the format's at all, and whether any reading
    // of it has a time (a DFA each): only then the capture engine.
    leading_tags(prev) == leading_tags(line) && is_header(id, line) && reads_no_time(id, line)
}

/// Whether `line` (after `prev`) starts an entry of a format whose rule looks at the
/// line before ([`needs_prev`]), decided with one match of the header per line where
/// `continues_request` and then `is_entry_start` would each match it: `Some` when
/// decided, `None` when the caller's rule must decide (colour codes, or a line that is
/// not the format's, which may be another format's entry). The same answer as
/// `!continues_request(id, prev, line) && is_entry_start(id, line)`, or where `None`,
/// as the caller's rule.
pub fn start_after(id: u8, prev: &[u8], line: &[u8]) -> Option<bool> {
    let c = compiled(id);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let prev = prev.strip_suffix(b"\r").unwrap_or(prev);
    if !matches!(c.def.cont, Cont::Request | Cont::Block) || memchr::memchr(0x1b, line).is_some() {
        return None;
    }
    if !is_header(id, line) {
        // Neither a continued request nor a block's header; a block has no other entry
        // starts, a request's format may still see another format's entry.
        return (c.def.cont == Cont::Block).then_some(false);
    }
    Some(match c.def.cont {
        Cont::Block => !is_header(id, prev),
        _ => !(leading_tags(prev) == leading_tags(line) && reads_no_time(id, line)),
    })
}

/// Whether no reading of `line` (one of format `id`'s headers) has a time: a DFA with
/// the `ts` group required says so, else the capture engine.
fn reads_no_time(id: u8, line: &[u8]) -> bool {
    dfa_match(id, Dfa::Timed, line) == Some(false)
        || compiled(id)
            .matcher()
            .captures(line)
            .is_some_and(|caps| caps.name("ts").is_none())
}

/// The `[...] ` tags at the start of a line (Rails' request id), empty when none.
fn leading_tags(line: &[u8]) -> &[u8] {
    let mut end = 0;
    while line[end..].first() == Some(&b'[') {
        match tag_end(line, end) {
            Some(next) => end = next,
            None => break,
        }
    }
    &line[..end]
}

/// Just past the first `] ` at or after `from` (a `memmem` search without its set-up,
/// which costs more than the search on a tag of 40 bytes).
fn tag_end(line: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let close = at + memchr::memchr(b']', &line[at..])?;
        if line.get(close + 1) == Some(&b' ') {
            return Some(close + 2);
        }
        at = close + 1;
    }
}

/// The fields of a request's later lines (`Processing by`, `Completed`): each line the
/// pattern reads adds its captures, and a status worse than the level so far raises it.
fn read_request_lines<'a>(
    c: &'static Compiled,
    rest: Option<&'a [u8]>,
    rec: &mut Record<'a>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
) {
    let Some(rest) = rest else { return };
    let re = c.matcher();
    for line in rest.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(caps) = re.captures(line) else {
            continue;
        };
        for (i, name) in re.capture_names().enumerate() {
            let (Some(name), Some(m)) = (name, caps.get(i)) else {
                continue;
            };
            let value = m.as_bytes().trim_ascii();
            match name {
                "ts" | "msg" | "request_id" | "level" => {}
                _ if value.is_empty() => {}
                _ => pairs.push((name.as_bytes(), Raw::Text(value))),
            }
        }
        if let Some(level) = derived_level(c.def, |name| caps.name(name).map(|m| m.as_bytes())) {
            rec.set_level(rec.level().max(Some(level)));
        }
    }
}

/// Whether a line has the shape of a continuation: indented, a stack frame (`at `,
/// `... N more`, `Caused by:`, `Traceback`), an exception line (`java.io.IOException:
/// x`, `ValueError: x`), part of a JSON block, or empty.
pub fn continues(line: &[u8]) -> bool {
    let Some(&first) = line.first() else {
        return true;
    };
    if matches!(
        first,
        b' ' | b'\t' | b'{' | b'}' | b'[' | b']' | b'"' | b','
    ) {
        // A `[` line continues as part of a JSON block (`[`, `[{`, `["a",`), not as a
        // bracketed tag or time (`[worker-1] ...`, `[INFO] ...`, `[2024-01-15 ...`).
        return first != b'['
            || line
                .get(1)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'{' | b'[' | b'"' | b']'));
    }
    const PREFIXES: [&[u8]; 6] = [
        b"at ",
        // A Python traceback's frame, unindented where a logger strips it (vdsm).
        b"File \"",
        b"Caused by:",
        b"Traceback",
        b"... ",
        b"During handling",
    ];
    PREFIXES.iter().any(|p| line.starts_with(p))
        || is_exception_line(line)
        || is_php_frame(line)
        || is_ruby_frame(line)
}

/// A Ruby backtrace line, `/app/models/user.rb:12:in 'save'` (`from ` before it in
/// `irb`).
fn is_ruby_frame(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"from ").unwrap_or(line);
    // The path has no space: only the bytes before the first one can hold it (a word
    // or two of most lines, too short for a searcher of its own).
    let path = memchr::memchr(b' ', line).map_or(line, |space| &line[..space]);
    let Some(at) = path.windows(4).position(|w| w == b".rb:") else {
        return false;
    };
    let digits = line[at + 4..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    digits > 0 && line[at + 4 + digits..].starts_with(b":in ")
}

/// A PHP stack frame, `#0 /path/file.php(12): f()`.
fn is_php_frame(line: &[u8]) -> bool {
    let digits = line
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    line.first() == Some(&b'#') && digits > 0 && line.get(1 + digits) == Some(&b' ')
}

/// `java.lang.IllegalStateException: boom`, `ValueError: bad`, `KeyError`: a dotted or
/// plain identifier ending in a throwable's suffix, then `:` or the end of the line.
fn is_exception_line(line: &[u8]) -> bool {
    let end = line
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$')))
        .unwrap_or(line.len());
    if end < 4 || !(end == line.len() || line[end] == b':') {
        return false;
    }
    let name = &line[..end];
    const SUFFIXES: [&[u8]; 6] = [
        b"Exception",
        b"Error",
        b"Throwable",
        b"Exit",
        b"Interrupt",
        b"Warning",
    ];
    SUFFIXES
        .iter()
        .any(|s| name.len() > s.len() && name.ends_with(s))
}

/// Whether a line is a complete entry of a known format other than the generic ones:
/// a JSON object, a covet header, or a line of a built-in definition.
pub fn is_other_entry(line: &[u8], ctx: &TimeCtx) -> bool {
    json::looks_like_object(line) || covet::is_header(line, ctx) || TABLE.set.is_match(line)
}

/// Parses one entry of format `id`.
pub fn parse<'a>(id: u8, raw: &'a [u8], ctx: &TimeCtx) -> Record<'a> {
    let c = compiled(id);
    let (first, rest) = split_first_line(raw);
    let re = c.matcher();
    let Some(caps) = re.captures(first) else {
        return parse_other(raw, first, ctx);
    };
    let mut rec = Record::new(Kind::Text, *ctx);
    let mut pairs: Vec<(&'a [u8], Raw<'a>)> = Vec::new();
    let mut rest = rest.map(trim_newlines).filter(|r| !r.is_empty());
    match c.def.msg {
        Msg::SecondLine => rest = take_second_line(&mut rec, &mut pairs, rest),
        Msg::IndentedProps => rest = take_props(rest, &mut pairs),
        Msg::CommentFields => rest = take_comment_fields(&mut rec, first, rest, &mut pairs),
        _ => {}
    }
    read_captures(c.def, re, &caps, first, &mut rec, &mut pairs, ctx);
    if c.def.cont == Cont::Request {
        read_request_lines(c, rest, &mut rec, &mut pairs);
    }
    if c.def.msg == Msg::Csv {
        rest = take_open_column(re, &caps, rest, &mut pairs);
    }
    rec.extra = rest;
    if !pairs.is_empty() {
        offer_id_pairs(&mut rec, &pairs);
        rec.meta = Meta::Pairs(pairs);
    }
    rec
}

/// Pairs named like an id field (`request_id=`, `traceId=`, `user.id=`) fill that
/// field where the line's captures did not, as a logfmt or JSON key does; such a pair
/// then shows as the field, not again in the metadata (`Record::is_standard_key`).
fn offer_id_pairs<'a>(rec: &mut Record<'a>, pairs: &[(&'a [u8], Raw<'a>)]) {
    for (key, value) in pairs {
        let Some((field, rank)) = crate::format::alias::key_field(key) else {
            continue;
        };
        // A capture's value (rank 0) is never replaced: `offer` keeps the lower rank.
        if matches!(
            field,
            Field::TraceId | Field::SpanId | Field::UserId | Field::RequestId
        ) {
            rec.offer(field, rank, value.clone());
        }
    }
}

thread_local! {
    /// Capture slots per definition (prefix, whole), reused by every [`quick_level`]
    /// on this thread (no allocation per entry).
    static LOCATIONS: RefCell<Vec<Option<ReadSlots>>> = const { RefCell::new(Vec::new()) };
}

/// What one thread keeps to read a definition's levels: the staged reader's caches
/// and the capture slots of the prefix and the whole matcher.
struct ReadSlots {
    staged: Option<StageCaches>,
    locs: [CaptureLocations; 2],
}

impl LevelReader {
    fn slots(&self) -> ReadSlots {
        ReadSlots {
            staged: self.staged.as_ref().map(Staged::caches),
            locs: self.locations(),
        }
    }

    /// The spans of the level groups (level, pri, status) of `line` when the matcher
    /// matches it: by the stages where they read it, else by the prefix and suffix or
    /// the whole matcher.
    fn spans(&self, slots: &mut ReadSlots, line: &[u8]) -> Option<[Option<(usize, usize)>; 3]> {
        if let (Some(staged), Some(caches)) = (&self.staged, &mut slots.staged) {
            if let Some(spans) = staged.read(caches, line) {
                return Some(spans);
            }
        }
        let (locs, groups) = self.read(&mut slots.locs, line)?;
        let span = |i: Option<usize>| i.and_then(|i| locs.get(i));
        Some([span(groups.level), span(groups.pri), span(groups.status)])
    }
}

/// A field's reader: a [`LevelReader`] of one named group, for a definition whose
/// record takes that field from the group alone (see [`field_group`]).
type FieldReader = &'static LevelReader;

/// The readers built so far, by definition and group.
#[allow(clippy::type_complexity)]
static FIELD_READERS: LazyLock<std::sync::Mutex<Vec<((u8, &'static str), FieldReader)>>> =
    LazyLock::new(Default::default);

thread_local! {
    /// This thread's readers by definition and the name a term gives (`None`: the
    /// record is read whole for it), with the slots it reads with.
    #[allow(clippy::type_complexity)]
    static FIELD_SLOTS: RefCell<Vec<((u8, String), Option<QuickRead>)>> =
        const { RefCell::new(Vec::new()) };
}

/// The group of format `id` that metadata field `name` is read from, when the parsed
/// record's value for `name` (`Record::lookup`) is exactly that group's text: the group
/// is the only one whose name equals `name` as keys compare (`json::names_equal`), it
/// is none of the groups read into standard fields or parsed further, and nothing else
/// adds pairs (no `kv` or `json` group, a plain message, no request lines).
fn field_group(id: u8, name: &str) -> Option<&'static str> {
    let c = compiled(id);
    if c.def.msg != Msg::Plain || c.def.cont == Cont::Request {
        return None;
    }
    // Groups read into standard fields (`level` only when it reads as a level).
    const READ_APART: [&str; 7] = [
        "ts",
        "level",
        "service",
        "logger",
        "source",
        "msg",
        "request_id",
    ];
    let matcher: &'static Regex = c.matcher();
    let groups: Vec<&'static str> = matcher.capture_names().flatten().collect();
    if groups.iter().any(|g| matches!(*g, "kv" | "json")) {
        return None;
    }
    let mut same = groups
        .into_iter()
        .filter(|g| json::names_equal(g.as_bytes(), name.as_bytes()));
    match (same.next(), same.next()) {
        (Some(group), None) if !READ_APART.contains(&group) => Some(group),
        _ => None,
    }
}

/// The reader of `group` of format `id`, built once.
fn group_reader(id: u8, group: &'static str) -> FieldReader {
    let mut built = FIELD_READERS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, reader)) = built.iter().find(|(key, _)| *key == (id, group)) {
        return reader;
    }
    let reader: FieldReader = Box::leak(Box::new(LevelReader::new(
        compiled(id).matcher(),
        &[group, "", ""],
    )));
    built.push(((id, group), reader));
    reader
}

/// The value of metadata field `name` in an entry of format `id`, read from its first
/// line without building a record: `Some(Some(text))` is exactly the value
/// `parse(id, raw, ctx).lookup(name)` holds (the group's text, trimmed, or the first
/// pair of that key in a `key=value` tail, see [`KvReader`]), `Some(None)` that it
/// holds none (the group took nothing, or only `-`; no such pair). `None` when only
/// the parse can tell: a name the format reads neither from one group (see
/// [`field_group`]) nor from a tail, a pair whose value has escapes, or a first line
/// that is not of this format.
pub fn quick_field<'r>(id: u8, name: &str, raw: &'r [u8]) -> Option<Option<&'r [u8]>> {
    let name = name.strip_prefix("metadata.").unwrap_or(name);
    if name.contains('.') {
        return None;
    }
    // Colour codes: the full parse reads the line without them.
    let (first, _) = split_first_line_uncoloured(crate::format::text::strip_bom(raw))?;
    FIELD_SLOTS.with(|cell| {
        let mut all = cell.borrow_mut();
        let at = match all.iter().position(|((i, n), _)| *i == id && n == name) {
            Some(at) => at,
            None => {
                all.push(((id, name.to_string()), quick_read(id, name)));
                all.len() - 1
            }
        };
        match all[at].1.as_mut()? {
            QuickRead::Group(reader, slots) => {
                let spans = reader.spans(slots, first)?;
                Some(
                    spans[0]
                        .map(|(s, e)| first[s..e].trim_ascii())
                        .filter(|v| !v.is_empty() && *v != b"-"),
                )
            }
            QuickRead::Pair(kv, cache) => match kv.value(cache, first, name)? {
                Some(Raw::Text(text)) => Some(Some(text)),
                Some(_) => None,
                None => Some(None),
            },
        }
    })
}

/// How [`quick_field`] reads one name of one definition on this thread (one per
/// thread, definition and name: sizes differ, never moved).
#[allow(clippy::large_enum_variant)]
enum QuickRead {
    /// The one group the name is read from, with this thread's slots.
    Group(FieldReader, ReadSlots),
    /// A pair of the line's `key=value` tail, with this thread's walk cache.
    Pair(&'static KvReader, WalkCache),
}

/// The read of metadata field `name` of format `id`, when one is quicker than a parse.
fn quick_read(id: u8, name: &str) -> Option<QuickRead> {
    if let Some(group) = field_group(id, name) {
        let reader = group_reader(id, group);
        return Some(QuickRead::Group(reader, reader.slots()));
    }
    let kv = compiled(id).kv_reader()?;
    // A group of that name would put its pair before the tail's.
    let groups = compiled(id).re.capture_names().flatten();
    if groups
        .clone()
        .any(|g| json::names_equal(g.as_bytes(), name.as_bytes()))
    {
        return None;
    }
    Some(QuickRead::Pair(kv, kv.lead.create_cache()))
}

/// A line ending in a lazy message and an optional `key=value` tail, as several
/// libraries write it (logrus, structlog, Calico's felix): the pattern's last items
/// exactly as written, and how many spaces part the message from the tail's first key.
struct KvTail {
    suffix: &'static str,
    spaces: usize,
    /// Whether the first key may start with a digit, `.` or `-` (`[\w.-]`), or only with
    /// a letter or `_` (then `-` is no key byte either: `[A-Za-z_][\w.]*`).
    any_first: bool,
}

const KV_TAILS: [KvTail; 3] = [
    KvTail {
        suffix: r"(?P<msg>.*?)(?: +(?P<kv>[\w.-]+=.*))?$",
        spaces: 1,
        any_first: true,
    },
    KvTail {
        suffix: r"(?P<msg>.*?)(?: {2,}(?P<kv>[\w.-]+=.*))?$",
        spaces: 2,
        any_first: true,
    },
    KvTail {
        suffix: r"(?P<msg>.*?)(?: (?P<kv>[A-Za-z_][\w.]*=.*))?$",
        spaces: 1,
        any_first: false,
    },
];

/// Reads a [`KvTail`] line's pairs: a DFA of the pattern before the message (`lead`)
/// finds where the message starts, as the matcher does (the lead's match is its
/// highest-priority parse, and the rest matches any line after it); the tail starts
/// at the first run of spaces after that which the separator takes and a key and `=`
/// follow, as the lazy message leaves it.
struct KvReader {
    lead: Walker,
    tail: &'static KvTail,
    /// `\w` is Unicode (a user's pattern): a line with other than ASCII after the
    /// lead is left to the parse.
    unicode: bool,
}

impl Compiled {
    fn kv_reader(&self) -> Option<&KvReader> {
        self.kv.get_or_init(|| KvReader::of(self)).as_ref()
    }
}

impl KvReader {
    fn of(c: &Compiled) -> Option<KvReader> {
        if c.def.msg != Msg::Plain || c.def.cont == Cont::Request || c.head.is_some() {
            return None;
        }
        let pattern = c.re.as_str();
        let (tail, lead) = KV_TAILS
            .iter()
            .find_map(|t| Some((t, pattern.strip_suffix(t.suffix)?)))?;
        let (unicode, bare) = match lead.strip_prefix("(?-u)") {
            Some(rest) => (false, rest),
            None => (true, lead),
        };
        // The lead must be a sequence of items the tail follows: no alternation at
        // its top (`a|b(?P<msg>...`), no flags that would reach into the tail.
        use regex_syntax::ast::Ast;
        let ast = regex_syntax::ast::parse::Parser::new().parse(bare).ok()?;
        let plain = match &ast {
            Ast::Concat(c) => !c.asts.iter().any(|a| matches!(a, Ast::Flags(_))),
            Ast::Alternation(_) | Ast::Flags(_) => false,
            _ => true,
        };
        if !plain {
            return None;
        }
        Some(KvReader {
            lead: Walker::new(lead, true)?,
            tail,
            unicode,
        })
    }

    /// The first value of `name` in `line`'s tail: `Some(None)` when there is none,
    /// `None` when the line is not of this format (or one only the parse reads).
    fn value<'r>(
        &self,
        cache: &mut WalkCache,
        line: &'r [u8],
        name: &str,
    ) -> Option<Option<Raw<'r>>> {
        let start = self.lead.end(cache, line, 0, false)?;
        let rest = &line[start..];
        if self.unicode && !rest.is_ascii() {
            return None;
        }
        let Some(key) = self.tail_start(rest) else {
            return Some(None);
        };
        Some(logfmt::tail_value(
            rest[key..].trim_ascii(),
            name.as_bytes(),
        ))
    }

    /// Where the tail's first key starts in `rest` (the line from the message on): the
    /// key before the first `=` that has a whole key before it and enough spaces
    /// before that (the earliest place the lazy message can stop at is the first such
    /// `=`'s, since a key holds no space).
    fn tail_start(&self, rest: &[u8]) -> Option<usize> {
        let any = self.tail.any_first;
        let key_byte =
            |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || (any && c == b'-');
        memchr::memchr_iter(b'=', rest).find_map(|eq| {
            let key = eq
                - rest[..eq]
                    .iter()
                    .rev()
                    .take_while(|c| key_byte(**c))
                    .count();
            let spaces = rest[..key].iter().rev().take_while(|c| **c == b' ').count();
            let first = rest[key];
            let opens = key < eq && (any || first.is_ascii_alphabetic() || first == b'_');
            (opens && spaces >= self.tail.spaces).then_some(key)
        })
    }
}

/// The level of an entry of format `id`, read from the captures of its first line
/// without building a record: `Some(level)` is exactly what `parse(id, raw,
/// ctx).level()` gives (the same regex, the same rules; no timestamp, message or
/// fields are read). `None` when the first line is not of this format (a line of
/// another format in a mixed stream), which only [`parse`] reads.
pub fn quick_level(id: u8, raw: &[u8]) -> Option<Option<Level>> {
    let c = compiled(id);
    let reader = c.level_reader();
    // Colour codes: the full parse reads the line without them.
    let (first, rest) = split_first_line_uncoloured(crate::format::text::strip_bom(raw))?;
    let request_lines = match rest.map(trim_newlines).filter(|r| !r.is_empty()) {
        // A request's later lines may raise the level (Rails' status), read as `parse`
        // reads them when nothing else takes lines from the rest first.
        Some(rest) if c.def.cont == Cont::Request => match c.def.msg {
            Msg::SecondLine | Msg::IndentedProps | Msg::CommentFields => return None,
            _ => Some(rest),
        },
        _ => None,
    };
    if reader.groups.is_empty() && c.def.msg != Msg::SecondLine {
        // No level anywhere in this format: only whether the line is one of its entries.
        return is_header(id, first).then_some(None);
    }
    LOCATIONS.with(|cell| {
        let mut all = cell.borrow_mut();
        let slots = slots_of(&mut all, id, reader);
        let level = first_line_level(id, slots, first, rest)?;
        let later = request_lines
            .into_iter()
            .flat_map(|r| r.split(|&b| b == b'\n'));
        Some(later.fold(level, |level, line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            level.max(request_line_level(id, slots, line))
        }))
    })
}

/// This thread's slots of definition `id` in `all` (made on first use).
fn slots_of<'s>(
    all: &'s mut Vec<Option<ReadSlots>>,
    id: u8,
    reader: &LevelReader,
) -> &'s mut ReadSlots {
    let slot = usize::from(id);
    if all.len() <= slot {
        all.resize_with(slot + 1, || None);
    }
    all[slot].get_or_insert_with(|| reader.slots())
}

/// The spans of `line` as [`LevelReader::spans`] gives them: recalled when the line was
/// just tested as an entry start, else read (`derived_first`: when no reading of the
/// line has a `pri` or `status`, as a DFA tells, answer `Some` with no spans without
/// reading; a line the matcher does not match answers `None`).
fn spans_of(id: u8, slots: &mut ReadSlots, line: &[u8], derived_first: bool) -> Option<Spans> {
    let c = compiled(id);
    let remembers = c.remembers();
    if remembers {
        match recall(id, line) {
            Some((false, _)) => return None,
            Some((true, Some(spans))) => return Some(spans),
            _ => {}
        }
    }
    // No level group can take part: only whether the line is the format's.
    if c.level_reader().groups.is_empty()
        || derived_first && dfa_match(id, Dfa::Derived, line) == Some(false)
    {
        return is_header(id, line).then_some([None; 3]);
    }
    let spans = c.level_reader().spans(slots, line);
    if remembers {
        remember(id, line, (spans.is_some(), spans));
    }
    spans
}

/// The level of a request's later line, as `read_request_lines` derives it: from its
/// `pri` or `status` when the pattern reads the line (a DFA first tells the lines where
/// neither can take part).
fn request_line_level(id: u8, slots: &mut ReadSlots, line: &[u8]) -> Option<Level> {
    let c = compiled(id);
    let [_, pri, status] = spans_of(id, slots, line, true)?;
    let group = |span: Option<(usize, usize)>| span.map(|(s, e)| &line[s..e]);
    derived_level(c.def, |name| match name {
        "pri" => group(pri),
        "status" => group(status),
        _ => None,
    })
}

/// [`quick_level`] of an entry's first line (and for java.util.logging's two-line
/// records, its second): `None` when the pattern does not read it.
fn first_line_level(
    id: u8,
    slots: &mut ReadSlots,
    first: &[u8],
    rest: Option<&[u8]>,
) -> Option<Option<Level>> {
    let c = compiled(id);
    let reader = c.level_reader();
    // Without a level column, a line no reading of which has a priority or a status
    // (Rails' `Started` line) has no spans: the format's default level below.
    let derived_first = reader.groups.level.is_none() && c.def.msg != Msg::SecondLine;
    let [level, pri, status] = spans_of(id, slots, first, derived_first)?;
    let group = |span: Option<(usize, usize)>| span.map(|(s, e)| &first[s..e]);
    let second = match c.def.msg {
        Msg::SecondLine => rest
            .map(trim_newlines)
            .and_then(|r| second_line_level(split_first_line(r).0).map(|(level, _)| level)),
        _ => None,
    };
    let column = group(level)
        .map(<[u8]>::trim_ascii)
        .filter(|v| !v.is_empty() && *v != b"-")
        .and_then(Level::parse_column);
    Some(column.or(second).or_else(|| {
        derived_level(c.def, |name| match name {
            "pri" => group(pri),
            "status" => group(status),
            _ => None,
        })
        .or(c.def.level)
    }))
}

/// An entry that is not of the file's format (a mixed stream): read by the first
/// built-in format whose pattern matches, as JSON, or as generic text.
fn parse_other<'a>(raw: &'a [u8], first: &[u8], ctx: &TimeCtx) -> Record<'a> {
    if json::looks_like_object(first) {
        return crate::format::kind::Format::Json.parse(raw, ctx);
    }
    match TABLE.set.matches(first).iter().next() {
        Some(id) => match u8::try_from(id) {
            Ok(id) if compiled(id).matcher().is_match(first) => parse(id, raw, ctx),
            _ => crate::format::text::parse(raw, ctx),
        },
        None => crate::format::text::parse(raw, ctx),
    }
}

/// The captures of a first line into the record's fields and pairs.
fn read_captures<'a>(
    def: &Def,
    re: &'static Regex,
    caps: &Captures<'a>,
    first: &'a [u8],
    rec: &mut Record<'a>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
    ctx: &TimeCtx,
) {
    let mut message = None;
    let mut level_set = rec.level().is_some();
    for (i, name) in re.capture_names().enumerate() {
        let (Some(name), Some(m)) = (name, caps.get(i)) else {
            continue;
        };
        let value = m.as_bytes().trim_ascii();
        if value.is_empty() || value == b"-" {
            continue;
        }
        if def.msg == Msg::Csv && value.first() == Some(&b'"') {
            let text = csv_unquote(value);
            match name {
                "msg" => rec.offer(Field::Message, 0, text),
                "source" => rec.offer(Field::Source, 0, text),
                _ => pairs.push((name.as_bytes(), text)),
            }
            continue;
        }
        match name {
            "ts" => {
                let (ts, inferred) = read_time(def.time, value, ctx);
                rec.set_ts(ts);
                rec.date_inferred = inferred;
            }
            "level" => match Level::parse_column(value) {
                Some(level) => {
                    rec.set_level(Some(level));
                    level_set = true;
                }
                None => pairs.push((b"level", Raw::Text(value))),
            },
            "service" | "logger" => rec.offer(Field::Service, 0, Raw::Text(value)),
            "source" => rec.offer(Field::Source, 0, Raw::Text(value)),
            "msg" => message = Some(m.as_bytes()),
            "kv" => pairs.extend(logfmt::tail_pairs(value)),
            "json" => json_pairs(value, pairs),
            "request_id" => rec.offer(Field::RequestId, 0, Raw::Text(value)),
            "pri" => pairs.push((b"pri", Raw::Text(value))),
            _ => pairs.push((name.as_bytes(), Raw::Text(value))),
        }
    }
    if !level_set {
        rec.set_level(
            derived_level(def, |name| caps.name(name).map(|m| m.as_bytes())).or(def.level),
        );
    }
    if rec.raw(Field::Message).is_none() {
        let msg = message.unwrap_or_else(|| {
            // No `msg` capture: the rest of the line after the match.
            caps.get(0).map_or(first, |m| &first[m.end()..])
        });
        offer_message(def.msg, msg, rec, pairs);
    }
}

/// The members of a JSON object as fields; anything else is one field, `json`.
fn json_pairs<'a>(value: &'a [u8], pairs: &mut Vec<(&'a [u8], Raw<'a>)>) {
    let mut members = json::Pairs::new(value);
    let read: Vec<_> = members
        .by_ref()
        .filter(|p| !p.key_escaped)
        .map(|p| (p.key, Raw::Json(p.value)))
        .collect();
    if members.ok() {
        pairs.extend(read);
    } else {
        pairs.push((b"json", Raw::Text(value)));
    }
}

/// A CSV column written in double quotes: the text inside, `""` read as `"`. A
/// column whose closing quote is on a later line loses only its opening quote.
fn csv_unquote(value: &[u8]) -> Raw<'_> {
    let inner = &value[1..];
    let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
    if memchr::memmem::find(inner, b"\"\"").is_none() {
        return Raw::Text(inner);
    }
    let text = String::from_utf8_lossy(inner).replace("\"\"", "\"");
    Raw::Owned(text)
}

/// The MySQL slow query log's `# Key: value  Key2: value` lines as fields (the first
/// line too, unless it is the `# Time:` line the timestamp comes from); the other lines
/// (the statements) are the message. Nothing is left over.
fn take_comment_fields<'a>(
    rec: &mut Record<'a>,
    first: &'a [u8],
    rest: Option<&'a [u8]>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
) -> Option<&'a [u8]> {
    if let Some(body) = first.strip_prefix(b"# ") {
        if !body.starts_with(b"Time:") {
            comment_pairs(body, pairs);
        }
    }
    let rest = rest?;
    let mut message: Vec<&[u8]> = Vec::new();
    for line in rest.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match line.strip_prefix(b"# ") {
            Some(body) => comment_pairs(body, pairs),
            None if !line.trim_ascii().is_empty() => message.push(line),
            None => {}
        }
    }
    let text = match message.as_slice() {
        [one] => Raw::Text(one),
        many => Raw::Owned(String::from_utf8_lossy(&many.join(&b'\n')).into_owned()),
    };
    rec.offer(Field::Message, 0, text);
    None
}

/// `User@Host: app[app] @ localhost []  Id:     2`: each `Key:` (a word ending in `:`
/// after a space or the start) and the text up to the next one.
fn comment_pairs<'a>(body: &'a [u8], pairs: &mut Vec<(&'a [u8], Raw<'a>)>) {
    static KEY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)(?:^|\s)([A-Za-z][\w@]*):(?:\s|$)").expect("key"));
    let keys: Vec<(usize, usize, usize)> = KEY
        .captures_iter(body)
        .filter_map(|c| Some((c.get(1)?.start(), c.get(1)?.end(), c.get(0)?.end())))
        .collect();
    for (i, &(start, end, value_at)) in keys.iter().enumerate() {
        let value_end = keys.get(i + 1).map_or(body.len(), |k| k.0);
        let value = body[value_at.min(value_end)..value_end].trim_ascii();
        if !value.is_empty() {
            pairs.push((&body[start..end], Raw::Text(value)));
        }
    }
}

/// A CSV line whose last column opens a quote it does not close on that line (an
/// exception with its stack trace): the lines under it are the rest of that column, up
/// to its closing quote, not text of the message. Returns the lines left over.
fn take_open_column<'a>(
    re: &Regex,
    caps: &Captures<'a>,
    rest: Option<&'a [u8]>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
) -> Option<&'a [u8]> {
    let tail = rest?;
    let line_end = caps.get(0)?.end();
    let (name, open) = re.capture_names().enumerate().find_map(|(i, name)| {
        let m = caps.get(i).filter(|m| m.end() == line_end && i > 0)?;
        let value = m.as_bytes().trim_ascii();
        (value.first() == Some(&b'"') && !csv_closed(value)).then_some((name?, value))
    })?;
    let mut text = open[1..].to_vec();
    text.push(b'\n');
    text.extend_from_slice(tail);
    let text = text.strip_suffix(b"\"").unwrap_or(&text);
    let value = Raw::Owned(String::from_utf8_lossy(text).replace("\"\"", "\""));
    // A message or source column left open keeps its lines as continuation text.
    match pairs.iter_mut().find(|(k, _)| *k == name.as_bytes()) {
        Some(pair) => pair.1 = value,
        None => return rest,
    }
    None
}

/// Whether a column that opens with `"` closes it (`""` is a quote inside).
fn csv_closed(value: &[u8]) -> bool {
    let mut i = 1;
    while i < value.len() {
        if value[i] == b'"' {
            if value.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return true;
        }
        i += 1;
    }
    false
}

/// pino-pretty's `    key: value` lines under the first line, as fields (a value
/// that is JSON as JSON, else as text). The lines stay in the entry's text; when every
/// line was a property, none is added to the message.
fn take_props<'a>(
    rest: Option<&'a [u8]>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
) -> Option<&'a [u8]> {
    let rest = rest?;
    let mut all = true;
    for line in rest.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match prop_line(line) {
            Some(pair) => pairs.push(pair),
            None => all = false,
        }
    }
    (!all).then_some(rest)
}

/// One `    key: value` line (four spaces, a name, a one-line value).
fn prop_line(line: &[u8]) -> Option<(&[u8], Raw<'_>)> {
    let body = line.strip_prefix(b"    ")?;
    let colon = memchr::memchr(b':', body)?;
    let (key, value) = (&body[..colon], body.get(colon + 1..)?.strip_prefix(b" ")?);
    let name_ok = !key.is_empty()
        && key
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.' | b'-'));
    if !name_ok || value.is_empty() || matches!(value.last(), Some(b'{' | b'[')) {
        return None;
    }
    let json_ok = json::parse_first_wins(value).is_some();
    Some((
        key,
        if json_ok {
            Raw::Json(value)
        } else {
            Raw::Text(value)
        },
    ))
}

/// A level from a syslog priority or an HTTP status (`group` gives a capture by name).
fn derived_level<'a>(def: &Def, group: impl Fn(&str) -> Option<&'a [u8]>) -> Option<Level> {
    let number =
        |name: &str| -> Option<u32> { std::str::from_utf8(group(name)?).ok()?.parse().ok() };
    if let Some(pri) = number("pri") {
        return Level::from_number(f64::from(pri % 8));
    }
    if def.status_level {
        return number("status").map(|s| match s {
            500.. => Level::Error,
            400..=499 => Level::Warn,
            _ => Level::Info,
        });
    }
    None
}

/// The message, with klog's quoted form unquoted and its pairs read.
fn offer_message<'a>(
    kind: Msg,
    msg: &'a [u8],
    rec: &mut Record<'a>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
) {
    let msg = msg.trim_ascii_end();
    if kind == Msg::QuotedKv && msg.first() == Some(&b'"') {
        if let Some((text, end)) = unquote(msg) {
            rec.offer(Field::Message, 0, text);
            pairs.extend(logfmt::pairs(&msg[end..]));
            return;
        }
    }
    rec.offer(Field::Message, 0, Raw::Text(msg));
}

/// A double-quoted string at the start of `s` (backslash escapes): its text and the
/// index after the closing quote.
fn unquote(s: &[u8]) -> Option<(Raw<'_>, usize)> {
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, &c) in s.iter().enumerate().skip(1) {
        match c {
            _ if escaped => {
                out.push(match c {
                    b'n' => b'\n',
                    b't' => b'\t',
                    other => other,
                });
                escaped = false;
            }
            b'\\' => escaped = true,
            b'"' => {
                let raw = if out.len() == i - 1 {
                    Raw::Text(&s[1..i])
                } else {
                    Raw::Owned(String::from_utf8_lossy(&out).into_owned())
                };
                return Some((raw, i + 1));
            }
            _ => out.push(c),
        }
    }
    None
}

/// java.util.logging's second line, `LEVEL: message`; returns the lines after it.
fn take_second_line<'a>(
    rec: &mut Record<'a>,
    pairs: &mut Vec<(&'a [u8], Raw<'a>)>,
    rest: Option<&'a [u8]>,
) -> Option<&'a [u8]> {
    let (line, after) = split_first_line(rest?);
    let colon = memchr::memchr(b':', line);
    match second_line_level(line) {
        Some((level, i)) => {
            rec.set_level(Some(level));
            rec.offer(Field::Message, 0, Raw::Text(line[i + 1..].trim_ascii()));
        }
        None => {
            if let Some(i) =
                colon.filter(|&i| i > 0 && line[..i].iter().all(u8::is_ascii_alphabetic))
            {
                pairs.push((b"level", Raw::Text(&line[..i])));
                rec.offer(Field::Message, 0, Raw::Text(line[i + 1..].trim_ascii()));
            } else {
                rec.offer(Field::Message, 0, Raw::Text(line));
            }
        }
    }
    after.map(trim_newlines).filter(|r| !r.is_empty())
}

/// The level of java.util.logging's second line (`LEVEL: message`) and the index of
/// its colon.
fn second_line_level(line: &[u8]) -> Option<(Level, usize)> {
    let i = memchr::memchr(b':', line)?;
    Level::parse_column(&line[..i]).map(|l| (l, i))
}

/// Reads a `ts` capture; true when its date was inferred (a time of day only).
fn read_time(kind: Time, value: &[u8], ctx: &TimeCtx) -> (Option<i64>, bool) {
    let full = timestamp::parse_str(value, ctx)
        .or_else(|| timestamp::parse_leading(value, ctx).map(|(t, _)| t));
    match (full, kind) {
        (Some(t), _) => (Some(t), false),
        (None, Time::TimeOfDay) => {
            let t = timestamp::time_of_day(value, ctx);
            (t, t.is_some())
        }
        (None, Time::Auto) => (None, false),
    }
}

/// Whether a match of `c` on a line is plausible: levels read, and no host or service
/// that is a level word.
fn plausible(c: &Compiled, line: &[u8]) -> bool {
    let Some(caps) = c.re.captures(line) else {
        return false;
    };
    let is_level = |name: &str| {
        caps.name(name)
            .is_some_and(|m| Level::parse_name(m.as_bytes()).is_some())
    };
    let level_ok = caps
        .name("level")
        .is_none_or(|m| Level::parse_column(m.as_bytes()).is_some());
    level_ok && !is_level("host") && !is_level("service")
}

/// The result of scoring one definition on a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub id: u8,
    /// Lines the pattern matched.
    pub matched: usize,
    /// Lines matched plus lines that continue an entry (at most all lines).
    pub explained: usize,
}

/// Scores every definition on `lines` (non-empty lines of the sample) and returns the
/// best: most lines matched; on a tie, the earlier (more specific) definition. `None`
/// when no definition matches any line.
pub fn best(lines: &[&[u8]]) -> Option<Score> {
    let table = &*TABLE;
    let mut matched = vec![0usize; table.formats.len()];
    let mut first = vec![lines.len(); table.formats.len()];
    let mut shaped = 0;
    for (at, line) in lines.iter().enumerate() {
        let set = table.set.matches(line);
        let mut any = false;
        for id in set.iter() {
            if plausible(&table.formats[id], line) {
                matched[id] += 1;
                first[id] = first[id].min(at);
                any = true;
            }
        }
        if !any && continues(line) {
            shaped += 1;
        }
    }
    let (id, &n) = matched
        .iter()
        .enumerate()
        .rev()
        .max_by_key(|(_, n)| **n)
        .filter(|(_, n)| **n > 0)?;
    let explained = match table.formats[id].def.cont {
        Cont::Shape => n + shaped,
        // Records over two lines: each match explains its second line too.
        Cont::Any => (2 * n).min(lines.len()),
        // Blocks headed by a match: every line from the first match on.
        Cont::Block => lines.len() - first[id],
        Cont::Request => n + shaped,
    };
    Some(Score {
        id: u8::try_from(id).ok()?,
        matched: n,
        explained,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_after_agrees_with_the_two_step_rule() {
        let ctx = TimeCtx::utc_now_year();
        let mut lines: Vec<Vec<u8>> = BUILTIN
            .iter()
            .map(|d| d.example.as_bytes().to_vec())
            .collect();
        for extra in [
            &b"[9f1c7a52-1b2c-4d3e-8f90-123456789abc] Processing by UsersController#show as HTML"[..],
            b"[9f1c7a52-1b2c-4d3e-8f90-123456789abc] Completed 500 Internal Server Error in 5ms",
            b"[00001f93-1b2c-4d3e-8f90-0000000e2e89] Completed 200 OK in 3ms (Views: 1.0ms)",
            b"[9f1c7a52-1b2c-4d3e-8f90-123456789abc]   Rendered users/show.html.erb (1.2ms)",
            b"Completed 404 Not Found in 2ms",
            b"# Time: 2021-01-26T23:45:57.678222Z",
            b"# User@Host: app[app] @ localhost []  Id: 9271",
            b"# Query_time: 1.052224  Lock_time: 0.00001  Rows_sent: 31",
            b"# Time: 2021-01-26T23:45:57.678222Z\r",
            b"\x1b[32m# Time: 2021-01-26T23:45:57.678222Z\x1b[0m",
            b"SELECT * FROM orders WHERE id = 9271;",
            b"{\"level\":\"error\",\"msg\":\"x\"}",
            b"\tat com.x.Foo.bar(Foo.java:10)",
            b"",
        ] {
            lines.push(extra.to_vec());
        }
        let mut decided = 0;
        for name in ["rails", "mysql-slow"] {
            let id = by_name(name).unwrap() as u8;
            let format = crate::format::Format::Pattern(id);
            for prev in &lines {
                for line in &lines {
                    let two_step =
                        !continues_request(id, prev, line) && format.is_entry_start(line, &ctx);
                    if let Some(start) = start_after(id, prev, line) {
                        decided += 1;
                        assert_eq!(
                            start,
                            two_step,
                            "{name}: {:?} after {:?}",
                            String::from_utf8_lossy(line),
                            String::from_utf8_lossy(prev)
                        );
                    }
                    assert_eq!(
                        format.is_entry_start_after(Some(prev), line, &ctx),
                        two_step,
                        "{name}"
                    );
                }
            }
        }
        assert!(decided > 1000, "{decided}");
    }

    #[test]
    fn every_builtin_pattern_compiles_and_reads_its_example() {
        for (id, def) in BUILTIN.iter().enumerate() {
            let c = compiled(id as u8);
            assert!(
                c.re.is_match(def.example.as_bytes()),
                "{}: {}",
                def.name,
                def.example
            );
            assert!(plausible(c, def.example.as_bytes()), "{}", def.name);
        }
    }

    /// Entries built from every definition's example: the level, priority and status
    /// captures replaced by many spellings, every prefix of the first line, `\r`, a
    /// BOM, continuation and second lines, and other formats' lines.
    fn tricky_entries() -> Vec<Vec<u8>> {
        const SPELLINGS: [&str; 30] = [
            "WARN",
            "warn",
            "WARNING",
            "Warning",
            "W",
            "E",
            "I",
            "F",
            "ERROR",
            "ERRO",
            "error",
            "err",
            "FATAL",
            "FATA",
            "crit",
            "CRITICAL",
            "INFO",
            "info",
            "DEBUG",
            "TRACE",
            "-",
            "",
            " ",
            "http",
            "trace1",
            "5",
            "42",
            "999",
            "Information",
            "SEVERE",
        ];
        let tails = [
            "",
            "\n\tat x.Y.z(Y.java:1)",
            "\nSEVERE: boom",
            "\nWARNING: w\nmore",
            "\nhello: there",
            "\n",
            "\r",
            "\r\nFINE: f",
            // A request's later lines (Rails): they may raise the level.
            "\nProcessing by UsersController#show as HTML\nCompleted 404 Not Found in 3ms",
            "\n[9f1c7a52-1b2c-4d3e-8f90-123456789abc] Completed 503 Service Unavailable in 9ms (Views: 1.0ms)\r",
            "\nCompleted 200 OK in 1ms\nCompleted 500 Internal Server Error in 2ms",
        ];
        let mut firsts: Vec<Vec<u8>> = Vec::new();
        for (id, def) in BUILTIN.iter().enumerate() {
            let example = def.example.as_bytes();
            for end in 0..=example.len() {
                firsts.push(example[..end].to_vec());
            }
            let c = compiled(id as u8);
            let caps = c.matcher().captures(example).expect("example");
            for name in ["level", "pri", "status"] {
                let Some(m) = caps.name(name) else { continue };
                for spelling in SPELLINGS {
                    let mut line = example[..m.start()].to_vec();
                    line.extend_from_slice(spelling.as_bytes());
                    line.extend_from_slice(&example[m.end()..]);
                    firsts.push(line);
                }
            }
        }
        // An optional level tag (Gin's), there, cut, misspelt and absent.
        for tag in [
            "[WARNING] ",
            "[ERROR] ",
            "[WARNING]",
            "[WARN] ",
            "[ERROR",
            "",
            "[] ",
        ] {
            firsts.push(format!("[GIN-debug] {tag}Listening on :8080").into_bytes());
        }
        firsts.push(b"{\"level\":\"error\"}".to_vec());
        firsts.push(b"2024-01-15 14:23:45.123 [ERROR] covet-core request.rs:42 Failed".to_vec());
        let mut out = Vec::new();
        for first in firsts {
            for tail in tails {
                let mut raw = first.clone();
                raw.extend_from_slice(tail.as_bytes());
                out.push(raw.clone());
                out.push([b"\xEF\xBB\xBF".as_slice(), &raw].concat());
            }
        }
        out
    }

    #[test]
    fn quick_level_agrees_with_the_parsed_record() {
        let ctx = TimeCtx::utc_now_year();
        let entries = tricky_entries();
        let mut read = 0;
        for id in 0..BUILTIN.len() as u8 {
            let c = compiled(id);
            for raw in &entries {
                let body = crate::format::strip_bom(raw);
                let (first, _) = split_first_line(body);
                let quick = quick_level(id, raw);
                assert_eq!(is_header(id, first), c.matcher().is_match(first));
                assert_eq!(
                    quick.is_some(),
                    c.matcher().is_match(first),
                    "{}: {:?}",
                    c.def.name,
                    String::from_utf8_lossy(raw)
                );
                if let Some(level) = quick {
                    read += 1;
                    assert_eq!(
                        level,
                        crate::format::Format::Pattern(id).parse(raw, &ctx).level(),
                        "{}: {:?}",
                        c.def.name,
                        String::from_utf8_lossy(raw)
                    );
                }
            }
        }
        // Most definitions read many of the variants (the test is not vacuous).
        assert!(read > 20 * BUILTIN.len(), "{read}");
    }

    /// `quick_field`'s value of `name` in `raw` and the parsed record's, as texts;
    /// `None` when the quick read leaves it to the parse.
    fn quick_and_parsed(
        id: u8,
        name: &str,
        raw: &[u8],
        ctx: &TimeCtx,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let quick = quick_field(id, name, raw)?;
        let got = quick
            .map(|v| crate::format::record::text_value(v).as_text().into_owned())
            .into_iter()
            .collect();
        let rec = crate::format::Format::Pattern(id).parse(raw, ctx);
        let want = rec
            .lookup(name)
            .iter()
            .map(|v| v.as_text().into_owned())
            .collect();
        Some((got, want))
    }

    #[test]
    fn quick_fields_agree_with_the_parsed_record() {
        let ctx = TimeCtx::utc_now_year();
        // Every example as written, with a group's text blanked or dashed where one is
        // written, with a stack trace, a BOM, a CR, colour; and lines of no format.
        let mut entries: Vec<Vec<u8>> = vec![
            b"{\"thread\":\"main\",\"level\":\"info\"}".to_vec(),
            b"plain words".to_vec(),
            Vec::new(),
        ];
        for def in BUILTIN {
            let example = def.example;
            for (from, to) in [
                ("main", "main"),
                ("main", "-"),
                ("main", " "),
                ("200", "-"),
                ("1234", "-"),
                ("INFO", "ERROR"),
            ] {
                entries.push(example.replacen(from, to, 1).into_bytes());
            }
            entries.push(format!("{example}\n\tat x.Y.z(Y.java:1)").into_bytes());
            entries.push(format!("\u{feff}{example}\r").into_bytes());
            entries.push(format!("\x1b[1m{example}\x1b[0m").into_bytes());
        }
        let (mut read, mut held) = (0, 0);
        for id in 0..BUILTIN.len() as u8 {
            let c = compiled(id);
            let names: Vec<String> = c
                .matcher()
                .capture_names()
                .flatten()
                .flat_map(|n| [n.to_string(), format!("metadata.{}", n.to_uppercase())])
                .chain(["nothing".to_string(), "a.b".to_string()])
                .collect();
            for name in &names {
                for raw in &entries {
                    let Some((got, want)) = quick_and_parsed(id, name, raw, &ctx) else {
                        continue;
                    };
                    read += 1;
                    held += usize::from(!got.is_empty());
                    assert_eq!(
                        got,
                        want,
                        "{} {name}: {:?}",
                        c.def.name,
                        String::from_utf8_lossy(raw)
                    );
                }
            }
        }
        // Many fields are read without a record, holding a value or not (not vacuous).
        assert!(held > 5 * BUILTIN.len() && read > held, "{held} of {read}");
    }

    #[test]
    fn quick_tail_pairs_agree_with_the_parsed_record() {
        let ctx = TimeCtx::utc_now_year();
        // After each format's own lead: messages with and without `=`, keys of every
        // byte class, quoted and escaped values, repeated and empty keys, tabs,
        // runs of spaces, non-ASCII bytes.
        let rests = [
            "started port=8080",
            "started  port=8080 x=1",
            "request finished in 3465 ms status=200       port=6498 component=api",
            "a=b c port=1",
            "x  a=b",
            "x a==b port=2",
            "msg 1abc=2 _k=3",
            "msg -k=1 .k=2",
            "msg x-y=1 z=2",
            r#"msg k="quoted value" port="9\"0" "#,
            r#"msg port="90" k=2"#,
            "msg port= other=1",
            "msg port=- port=2",
            "msg PORT=1 port=2",
            "msg p_o-rt=7",
            "msg:k=1 k2=2",
            "port=1 msg",
            " port=1",
            "  port=1",
            "msg\tport=1 next=2",
            "msg caf\u{e9}=1 port=2",
            "msg \u{e9}port=1 port=3",
            "",
            "msg   ",
            "x ==1 port=5",
            "err=exit status 1 port=3",
        ];
        let names = [
            "port",
            "PORT",
            "metadata.port",
            "k",
            "k2",
            "_k",
            "1abc",
            "a",
            "x",
            "x-y",
            "y",
            "z",
            "p_o-rt",
            "port_",
            "status",
            "component",
            "other",
            "next",
            "msg",
            "level",
            "nothing",
            "caf\u{e9}",
            "err",
        ];
        let (mut readers, mut held) = (0, 0);
        for id in 0..BUILTIN.len() as u8 {
            let Some(kv) = compiled(id).kv_reader() else {
                continue;
            };
            readers += 1;
            let example = compiled(id).def.example.as_bytes();
            let mut cache = kv.lead.create_cache();
            let lead = kv
                .lead
                .end(&mut cache, example, 0, false)
                .expect("the example's lead");
            let mut entries: Vec<Vec<u8>> = vec![b"plain words port=1".to_vec()];
            for rest in rests {
                let line = [&example[..lead], rest.as_bytes()].concat();
                entries.push([&line[..], b"\n\tat x.Y.z(Y.java:1) port=9"].concat());
                entries.push([b"\xef\xbb\xbf", &line[..], b"\r"].concat());
                entries.push([b"\x1b[1m", &line[..], b"\x1b[0m"].concat());
                entries.push([&line[..], b"\xff port=4"].concat());
                entries.push(line);
            }
            for name in names {
                for raw in &entries {
                    let Some((got, want)) = quick_and_parsed(id, name, raw, &ctx) else {
                        continue;
                    };
                    held += usize::from(!got.is_empty());
                    let line = String::from_utf8_lossy(raw);
                    assert_eq!(got, want, "{} {name}: {line:?}", compiled(id).def.name);
                }
            }
        }
        // logrus, structlog and felix at least; most reads hold a value.
        assert!(readers >= 3, "{readers}");
        assert!(held > 100 * readers, "{held}");
    }

    #[test]
    fn requiring_a_group_keeps_only_the_ways_through_it() {
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            (
                "^(?:(?P<ts>a)|b|(?P<x>c))$",
                &["ts"],
                Some("^(?:(?:(?:a)))$"),
            ),
            ("^(?P<ts>a)?b$", &["ts"], Some("^(?:(?:a))b$")),
            (
                "(?-u)^(x|(?P<ts>a))*b$",
                &["ts"],
                Some("(?-u)^(?:(x|(?:a)))*(?:((?:(?:a))))(?:(x|(?:a)))*b$"),
            ),
            (
                "^(?:Started (?P<ts>\\d+)|Done (?P<status>\\d{3}))$",
                &["pri", "status"],
                Some("^(?:(?:Done (?:\\d{3})))$"),
            ),
            ("^(?P<ts>a){2}$", &["ts"], None),
            ("^a(?i)(?P<ts>b)$", &["ts"], None),
            ("^abc$", &["ts"], None),
        ];
        for (pattern, groups, want) in cases {
            assert_eq!(requiring(pattern, groups).as_deref(), *want, "{pattern}");
        }
    }

    #[test]
    fn required_group_dfas_never_deny_a_parse_that_has_the_group() {
        // `Dfa::Timed` and `Dfa::Derived` may only say "no" where the capture engine's
        // reading has no such group (they decide without it).
        let (mut denied, mut total) = (0, 0);
        let entries = tricky_entries();
        let lines = entries
            .iter()
            .flat_map(|raw| crate::format::strip_bom(raw).split(|&b| b == b'\n'));
        for line in lines {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            for id in 0..BUILTIN.len() as u8 {
                let Some(caps) = compiled(id).matcher().captures(line) else {
                    continue;
                };
                total += 1;
                if dfa_match(id, Dfa::Timed, line) == Some(false) {
                    denied += 1;
                    assert!(
                        caps.name("ts").is_none(),
                        "{:?}",
                        String::from_utf8_lossy(line)
                    );
                }
                if dfa_match(id, Dfa::Derived, line) == Some(false) {
                    assert!(caps.name("pri").is_none() && caps.name("status").is_none());
                }
            }
        }
        assert!(denied > 0 && total > 100, "{denied} of {total}");
    }

    #[test]
    fn branches_read_the_one_alternative_that_can_match() {
        // Rails' message is such a group: every stage is a DFA.
        let rails = by_name("rails").expect("rails") as u8;
        let staged = compiled(rails)
            .level_reader()
            .staged
            .as_ref()
            .expect("staged");
        assert!(matches!(staged.item, Item::Branches(_)) && staged.all_dfas);
        let pattern = r"(?-u)^(?:\[(?P<tag>[^\]]*)\] )*(?P<msg>ok .*|fail (?P<status>\d{3})(?: .*)?|warn(?: (?P<pri>\d+))?|ERR (?P<level>[A-Z]+))$";
        let staged = Staged::new(pattern, &LEVEL_GROUPS).expect("staged");
        let Item::Branches(branches) = &staged.item else {
            panic!("not branches");
        };
        // The shortest prefixes that tell the four apart.
        let prefixes: Vec<_> = branches.iter().map(|b| b.prefixes.clone()).collect();
        assert_eq!(
            prefixes,
            [
                [b"o".to_vec()],
                [b"f".to_vec()],
                [b"w".to_vec()],
                [b"E".to_vec()]
            ]
        );
        let whole = Regex::new(pattern).unwrap();
        let mut caches = staged.caches();
        let lines: [&[u8]; 12] = [
            b"ok all good",
            b"[a] [b] fail 503 upstream",
            b"fail 404",
            b"fail 40",
            b"warn",
            b"[x] warn 12",
            b"warn x",
            b"ERR BOOM",
            b"ERR boom",
            b"okay",
            b"",
            b"[a] ",
        ];
        for line in lines {
            let want = whole.captures(line).map(|caps| {
                ["level", "pri", "status"].map(|g| caps.name(g).map(|m| (m.start(), m.end())))
            });
            assert_eq!(
                staged.read(&mut caches, line),
                want,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
        // Alternatives one of which starts another: the capture engine reads them.
        let overlapping = Staged::new(r"(?-u)^(?P<msg>a(?P<status>\d{3})|a\d+x)$", &LEVEL_GROUPS)
            .expect("staged");
        assert!(matches!(overlapping.item, Item::Captures(_)) && !overlapping.all_dfas);
    }

    #[test]
    fn staged_reads_agree_with_the_whole_matcher() {
        let entries = tricky_entries();
        let (mut staged_n, mut read) = (0, 0);
        for id in 0..BUILTIN.len() as u8 {
            let reader = compiled(id).level_reader();
            let Some(staged) = &reader.staged else {
                continue;
            };
            staged_n += 1;
            let mut caches = staged.caches();
            for raw in &entries {
                let (first, _) = split_first_line(raw);
                let Some(spans) = staged.read(&mut caches, first) else {
                    continue;
                };
                read += 1;
                let caps = reader.whole.captures(first).expect("the matcher matches");
                let want = [reader.groups.level, reader.groups.pri, reader.groups.status]
                    .map(|g| g.and_then(|i| caps.get(i)).map(|m| (m.start(), m.end())));
                assert_eq!(
                    spans,
                    want,
                    "{}: {:?}",
                    compiled(id).def.name,
                    String::from_utf8_lossy(first)
                );
            }
        }
        assert!(
            staged_n * 2 >= BUILTIN.len(),
            "{staged_n} of {}",
            BUILTIN.len()
        );
        assert!(read > 10 * staged_n, "{read}");
        let bare = (0..BUILTIN.len() as u8)
            .filter(|&id| {
                let reader = compiled(id).level_reader();
                reader.staged.as_ref().is_some_and(|s| s.bare.is_some())
            })
            .count();
        assert!(bare * 3 >= staged_n, "{bare} of {staged_n}");
        assert_eq!(bare_group("(?-u)(?P<level>[A-Z]+)", &LEVEL_GROUPS), Some(0));
        assert_eq!(bare_group("(?P<status>\\d{3})", &LEVEL_GROUPS), Some(2));
        assert_eq!(
            bare_group("(?-u)(?:\\[(?P<level>[A-Z]+)\\] )?", &LEVEL_GROUPS),
            None
        );
        assert_eq!(
            bare_group("(?-u)(?P<level>(?P<x>[A-Z])+)", &LEVEL_GROUPS),
            None
        );
        let optional = (0..BUILTIN.len() as u8)
            .filter(|&id| {
                let reader = compiled(id).level_reader();
                reader
                    .staged
                    .as_ref()
                    .is_some_and(|s| matches!(s.item, Item::Optional(..)))
            })
            .count();
        assert!(optional >= 1, "gin-debug's tag");
        assert!(is_optional("(?-u)(?:\\[(?P<level>[A-Z]+)\\] )?"));
        assert!(!is_optional("(?-u)(?:\\[(?P<level>[A-Z]+)\\] )??"));
        assert!(!is_optional("(?-u)(?:(?P<level>[A-Z]*))?"));
        assert!(!is_optional("(?-u)(?P<level>[A-Z]+)"));
        assert!(!is_optional("(?-u)(?:\\[(?P<level>[A-Z]+)\\] )*"));
    }

    #[test]
    fn level_matchers_capture_only_level_groups() {
        let (mut narrowed, mut split) = (0usize, 0usize);
        for id in 0..BUILTIN.len() as u8 {
            let c = compiled(id);
            let reader = c.level_reader();
            let names: Vec<&str> = reader.whole.capture_names().flatten().collect();
            if names.iter().all(|n| LEVEL_GROUPS.contains(n)) {
                narrowed += 1;
            }
            if reader.split.is_some() {
                split += 1;
            }
        }
        assert!(
            narrowed * 10 >= BUILTIN.len() * 9,
            "{narrowed} of {}",
            BUILTIN.len()
        );
        assert!(split * 2 >= BUILTIN.len(), "{split} of {}", BUILTIN.len());
        // Escaped parentheses and nested groups are left alone or fall back whole.
        let re = Regex::new(r"^\((?P<a>x)\) (?P<ts>(?P<level>[A-Z]))(?P<b>y)").expect("re");
        let levels = level_matcher(&re, &LEVEL_GROUPS);
        assert_eq!(
            levels.capture_names().flatten().collect::<Vec<_>>(),
            ["level"]
        );
        let caps = levels.captures(b"(x) Wy").expect("match");
        assert_eq!(caps.name("level").map(|m| m.range()), Some(4..5));
    }

    #[test]
    fn level_reader_falls_back_when_the_rest_needs_another_parse() {
        // The prefix alone takes all capitals; the whole pattern gives one back.
        let re = Regex::new(r"(?-u)^(?P<ts>\d+) (?P<level>[A-Z]+)B(?P<msg>x*)$").expect("re");
        let reader = LevelReader::new(&re, &LEVEL_GROUPS);
        assert!(reader.split.is_some());
        let mut locs = reader.locations();
        for (line, want) in [
            ("12 WARNB", Some(3..7)),
            ("12 WARNBxx", Some(3..7)),
            ("12 WB", Some(3..4)),
            ("12 WARN", None),
            ("12 WARNBy", None),
            ("x WARNB", None),
        ] {
            let got = reader
                .read(&mut locs, line.as_bytes())
                .and_then(|(l, g)| g.level.and_then(|i| l.get(i)))
                .map(|(s, e)| s..e);
            assert_eq!(got, want, "{line}");
            let full = re
                .captures(line.as_bytes())
                .and_then(|c| c.name("level"))
                .map(|m| m.range());
            assert_eq!(got, full, "{line}");
        }
    }

    #[test]
    fn continuation_shapes() {
        for line in [
            "\tat com.x.Foo.bar(Foo.java:10)",
            "Caused by: java.io.IOException: closed",
            "\t... 12 more",
            "Traceback (most recent call last):",
            "  File \"x.py\", line 3, in <module>",
            "ValueError: bad value",
            "java.lang.IllegalStateException: boom",
            "/app/jobs/payment_job.rb:40:in `perform'",
            "}",
            "[",
            "[{\"a\": 1},",
            "  [1, 2]",
        ] {
            assert!(continues(line.as_bytes()), "{line}");
        }
        for line in [
            "Starting server",
            "[2024-01-15 10:00:00] x",
            "[worker-12] heartbeat",
            "[INFO] started",
            "Error: something",
        ] {
            assert!(!continues(line.as_bytes()), "{line}");
        }
    }
}
