//! What a thread last learned about a few lines, kept by the lines' bytes: the scanner
//! asks whether a line starts an entry (to find where the entry above ends) and, a
//! moment later, the same line's level (to filter its entry), and both questions walk
//! the same pattern over the same bytes. [`Seen`] keeps the answer of the first walk
//! for the second question. Keyed by a definition's id and a copy of the line, never by
//! where the line lies (a stream's buffers are reused), so a recalled answer is always
//! the one a new walk would give. A leaf: it knows bytes, not formats.

/// How many lines are kept: enough for an entry's first line to be recalled after the
/// lines below it were tested as entry starts (a Rails request has three).
const SLOTS: usize = 8;

/// Lines longer than this are not kept (the copy would cost more than it saves and
/// the memory would grow with the longest line).
const MAX_LINE: usize = 1024;

/// What tells most lines apart before their bytes are compared: lines of one format
/// share their first bytes (a date), rarely their length and last bytes together. An
/// unused slot's key has a length no kept line has.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    /// The definition's id and the line's length.
    id_len: u64,
    /// The line's last eight bytes (fewer, zero-padded, on a shorter line).
    tail: u64,
}

impl Key {
    const UNUSED: Key = Key {
        id_len: u64::MAX,
        tail: 0,
    };

    #[inline]
    fn of(id: u8, line: &[u8]) -> Key {
        let tail = match line.len().checked_sub(8) {
            Some(at) => u64::from_ne_bytes(line[at..].try_into().expect("eight bytes")),
            None => line.iter().fold(0, |t, &b| t << 8 | u64::from(b)),
        };
        Key {
            id_len: u64::from(id) << 32 | line.len() as u64,
            tail,
        }
    }
}

/// The last [`SLOTS`] lines a thread asked about, with their answers.
pub struct Seen<T> {
    keys: [Key; SLOTS],
    lines: [Vec<u8>; SLOTS],
    answers: [Option<T>; SLOTS],
    /// Bytes kept with an answer (a decoded inner line), empty when none.
    payloads: [Vec<u8>; SLOTS],
    /// The slot written next (the oldest once all are used).
    next: usize,
}

impl<T: Copy> Seen<T> {
    /// An empty memory.
    pub const fn new() -> Seen<T> {
        Seen {
            keys: [Key::UNUSED; SLOTS],
            lines: [const { Vec::new() }; SLOTS],
            answers: [None; SLOTS],
            payloads: [const { Vec::new() }; SLOTS],
            next: 0,
        }
    }

    /// The answer kept for `line` of definition `id` (the answers kept for one line are
    /// all the same: any of them).
    #[inline]
    pub fn recall(&self, id: u8, line: &[u8]) -> Option<T> {
        self.recall_with(id, line).map(|(answer, _)| answer)
    }

    /// [`Seen::recall`], with the bytes kept with the answer.
    #[inline]
    pub fn recall_with(&self, id: u8, line: &[u8]) -> Option<(T, &[u8])> {
        if line.len() > MAX_LINE {
            return None;
        }
        let key = Key::of(id, line);
        let i = (0..SLOTS).find(|&i| self.keys[i] == key && self.lines[i] == line)?;
        Some((self.answers[i]?, &self.payloads[i]))
    }

    /// Keeps `answer` for `line` of definition `id` (in place of the oldest line).
    #[inline]
    pub fn remember(&mut self, id: u8, line: &[u8], answer: T) {
        self.remember_with(id, line, answer, &[]);
    }

    /// [`Seen::remember`], with bytes kept with the answer.
    #[inline]
    pub fn remember_with(&mut self, id: u8, line: &[u8], answer: T, payload: &[u8]) {
        if line.len() > MAX_LINE {
            return;
        }
        let i = self.next;
        self.keys[i] = Key::of(id, line);
        self.lines[i].clear();
        self.lines[i].extend_from_slice(line);
        self.answers[i] = Some(answer);
        self.payloads[i].clear();
        self.payloads[i].extend_from_slice(payload);
        self.next = if i + 1 == SLOTS { 0 } else { i + 1 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recalls_by_id_and_bytes_and_forgets_the_oldest() {
        let mut seen = Seen::new();
        seen.remember(1, b"a line", 10);
        seen.remember(2, b"a line", 20);
        assert_eq!(seen.recall(1, b"a line"), Some(10));
        assert_eq!(seen.recall(2, b"a line"), Some(20));
        assert_eq!(seen.recall(1, b"a lin"), None);
        assert_eq!(seen.recall(3, b"a line"), None);
        for i in 0..SLOTS as u8 - 1 {
            seen.remember(9, &[i], u32::from(i));
        }
        // Eight kept: the first one is gone, the second still there.
        assert_eq!(seen.recall(1, b"a line"), None);
        assert_eq!(seen.recall(2, b"a line"), Some(20));
        assert_eq!(seen.recall(9, &[3]), Some(3));
        // Lines that differ only in their first bytes are told apart.
        seen.remember(5, b"0123456789", 1);
        seen.remember(5, b"x123456789", 2);
        assert_eq!(seen.recall(5, b"0123456789"), Some(1));
        assert_eq!(seen.recall(5, b"x123456789"), Some(2));
        assert_eq!(seen.recall(5, b"y123456789"), None);
        seen.remember_with(6, b"with bytes", 3, b"kept");
        assert_eq!(seen.recall_with(6, b"with bytes"), Some((3, &b"kept"[..])));
        seen.remember(6, b"without", 4);
        assert_eq!(seen.recall_with(6, b"without"), Some((4, &b""[..])));
        let long = vec![b'x'; MAX_LINE + 1];
        seen.remember(4, &long, 1);
        assert_eq!(seen.recall(4, &long), None);
    }
}
