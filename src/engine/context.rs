//! `-A/-B/-C`: the entries around a match in its own input, the one facility behind
//! `search -C` (grep's groups of matches with the entries around them) and `context`
//! (the selected entry's neighbours). Entries over a size are stepped as the scanner
//! hands them on, in pieces of `max` bytes (`usize::MAX`: whole entries).

use crate::format::timestamp::TimeCtx;
use crate::format::Format;
use crate::scan::region;

/// Steps entry by entry (or piece by piece) through one input's bytes.
pub struct Around<'a> {
    buf: &'a [u8],
    format: Format,
    ctx: &'a TimeCtx,
    max: usize,
}

impl<'a> Around<'a> {
    pub fn new(buf: &'a [u8], format: Format, ctx: &'a TimeCtx, max: usize) -> Around<'a> {
        Around {
            buf,
            format,
            ctx,
            max,
        }
    }

    /// End of the entry (or piece) that starts at `pos`.
    pub fn end(&self, pos: usize) -> usize {
        region::piece_end(self.buf, pos, self.format, self.ctx, self.max)
    }

    /// Hands `f` the starts of up to `n` entries before the one at `start`, nearest
    /// first.
    pub fn each_before(&self, start: usize, n: usize, mut f: impl FnMut(usize)) {
        let mut cur = start;
        for _ in 0..n {
            match region::prev_piece(self.buf, cur, self.format, self.ctx, self.max) {
                Some(p) => {
                    f(p);
                    cur = p;
                }
                None => break,
            }
        }
    }

    /// Hands `f` the start and end of up to `n` entries after the one ending at `end`,
    /// nearest first.
    pub fn each_after(&self, end: usize, n: usize, mut f: impl FnMut(usize, usize)) {
        let mut pos = end;
        for _ in 0..n {
            if pos >= self.buf.len() {
                break;
            }
            let next = self.end(pos);
            f(pos, next);
            pos = next;
        }
    }

    /// The span `start..end` of a match widened by `before` entries and `after`.
    pub fn widen(
        &self,
        (start, end): (usize, usize),
        before: usize,
        after: usize,
    ) -> (usize, usize) {
        let (mut lo, mut hi) = (start, end);
        self.each_before(start, before, |p| lo = p);
        self.each_after(end, after, |_, e| hi = e);
        (lo, hi)
    }

    /// grep's groups: each match's span (in input order) widened, and groups that
    /// touch or overlap merged.
    pub fn groups(
        &self,
        hits: impl IntoIterator<Item = (usize, usize)>,
        before: usize,
        after: usize,
    ) -> Vec<(usize, usize)> {
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for hit in hits {
            let (lo, hi) = self.widen(hit, before, after);
            match groups.last_mut() {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => groups.push((lo, hi)),
            }
        }
        groups
    }

    /// The starts of the entries around the one at `start`: up to `before` before it
    /// (marked -1) and `after` after it (marked 1), in input order.
    pub fn neighbours(&self, start: usize, before: usize, after: usize) -> Vec<(usize, i64)> {
        let mut starts = Vec::new();
        self.each_before(start, before, |p| starts.push((p, -1)));
        starts.reverse();
        self.each_after(self.end(start), after, |p, _| starts.push((p, 1)));
        starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &[u8] = b"a\nb\nc\nd\ne\nf\n";

    fn around(ctx: &TimeCtx) -> Around<'_> {
        Around::new(TEXT, Format::Plain, ctx, usize::MAX)
    }

    #[test]
    fn groups_widen_and_merge_like_grep() {
        let ctx = TimeCtx::utc_now_year();
        let a = around(&ctx);
        // Matches on b (2..4) and e (8..10), one line of context: a..c and d..f touch.
        assert_eq!(a.groups([(2, 4), (8, 10)], 1, 1), vec![(0, 12)]);
        // No context: apart.
        assert_eq!(a.groups([(2, 4), (8, 10)], 0, 0), vec![(2, 4), (8, 10)]);
        // At the edges the widening stops.
        assert_eq!(a.groups([(0, 2)], 3, 0), vec![(0, 2)]);
        assert_eq!(a.groups([(10, 12)], 0, 5), vec![(10, 12)]);
    }

    #[test]
    fn neighbours_are_in_input_order_with_their_side() {
        let ctx = TimeCtx::utc_now_year();
        let a = around(&ctx);
        assert_eq!(a.neighbours(4, 2, 1), vec![(0, -1), (2, -1), (6, 1)]);
        assert_eq!(a.neighbours(10, 1, 3), vec![(8, -1)]);
    }
}
