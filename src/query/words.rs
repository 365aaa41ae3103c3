//! Words as the block index sees them: maximal runs of ASCII letters and digits,
//! lowercased. The index stores every word of every entry; a query term promises only
//! the words it holds whole, with a separator on both sides inside the term itself
//! (`a timeout of` promises `timeout`; `timeout` alone promises nothing, since it also
//! matches inside `timeouts`). A leaf: the query's compile step and the index use it.

/// Whether a byte is part of a word (an ASCII letter or digit).
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The byte ranges of the words of `bytes`: maximal runs of ASCII letters and digits.
fn word_ranges(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !WORD_BYTE[bytes[i] as usize] {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && WORD_BYTE[bytes[i] as usize] {
            i += 1;
        }
        (start < i).then_some(start..i)
    })
}

/// Calls `f` with the key (`word_key`) of each word of `bytes` at least `min` bytes
/// long. The words are found 64 bytes at a time (`word_mask`) and hashed where they
/// lie, lowercased on the way, never copied: the block index hashes every word of
/// every entry.
pub fn each_word_key(bytes: &[u8], min: usize, mut f: impl FnMut(u64)) {
    let n = bytes.len();
    let mut word = |start: usize, end: usize| {
        if end - start >= min {
            f(hash_at(bytes, start, end));
        }
    };
    // The start of a word that runs on into the next 64 bytes.
    let mut open: Option<usize> = None;
    let mut base = 0;
    while base < n {
        let len = (n - base).min(64);
        let mask = word_mask(&bytes[base..base + len]);
        let mut i = 0;
        while i < len {
            let rest = mask >> i;
            match open {
                None if rest == 0 => break,
                None => {
                    i += rest.trailing_zeros() as usize;
                    open = Some(base + i);
                }
                Some(start) => {
                    // The run of word bytes from `i`; bits past `len` are clear.
                    let end = i + (!rest).trailing_zeros() as usize;
                    if end >= len {
                        break;
                    }
                    word(start, base + end);
                    open = None;
                    i = end;
                }
            }
        }
        base += len;
    }
    if let Some(start) = open {
        word(start, n);
    }
}

/// Bit `i` set where `chunk[i]` (at most 64 bytes) is a word byte.
fn word_mask(chunk: &[u8]) -> u64 {
    let mut padded = [0u8; 64];
    let block: &[u8; 64] = match chunk.try_into() {
        Ok(full) => full,
        Err(_) => {
            padded[..chunk.len()].copy_from_slice(chunk);
            &padded
        }
    };
    word_mask_64(block)
}

/// The word bytes of 64 bytes, sixteen at a time with SSE2 (always present on x86_64):
/// a letter is a byte whose lowercase (bit 5 set) is in `a..=z`, a digit one in
/// `0..=9`, each an unsigned range test made signed by flipping the top bit.
#[cfg(target_arch = "x86_64")]
fn word_mask_64(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_sub_epi8, _mm_xor_si128,
    };
    let mut mask = 0u64;
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always
    // available; the four unaligned 16-byte loads lie inside the 64-byte `block`.
    unsafe {
        let top = _mm_set1_epi8(i8::MIN);
        let a = _mm_set1_epi8(b'a' as i8);
        let zero = _mm_set1_epi8(b'0' as i8);
        let lower = _mm_set1_epi8(0x20);
        let letters = _mm_set1_epi8(i8::MIN + 26);
        let digits = _mm_set1_epi8(i8::MIN + 10);
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let l = _mm_xor_si128(_mm_sub_epi8(_mm_or_si128(v, lower), a), top);
            let d = _mm_xor_si128(_mm_sub_epi8(v, zero), top);
            let hits = _mm_or_si128(_mm_cmplt_epi8(l, letters), _mm_cmplt_epi8(d, digits));
            mask |= u64::from(_mm_movemask_epi8(hits) as u16) << (16 * k);
        }
    }
    mask
}

/// The word bytes of 64 bytes, one at a time.
#[cfg(not(target_arch = "x86_64"))]
fn word_mask_64(block: &[u8; 64]) -> u64 {
    block
        .iter()
        .enumerate()
        .fold(0, |m, (i, &b)| m | (u64::from(WORD_BYTE[b as usize]) << i))
}

/// The key of one word (letters and digits only; either case gives the same key).
pub fn word_key(word: &[u8]) -> u64 {
    hash_at(word, 0, word.len())
}

const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;
/// Sets bit 5 of every byte: the lowercase of an ASCII letter, a digit unchanged.
const LOWER: u64 = 0x2020_2020_2020_2020;

/// The 128-bit product of `a` and `b`, folded to 64 bits (wyhash's mixer).
fn fold(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// The little-endian word of `bytes[at..end]`'s first (at most 8) bytes, lowercased
/// (every byte is a letter or digit), zero above them.
fn load(bytes: &[u8], at: usize, end: usize) -> u64 {
    let n = (end - at).min(8);
    let mask = if n == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    };
    let x = match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("8 bytes")),
        None => {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(&bytes[at..at + n]);
            u64::from_le_bytes(b)
        }
    };
    (x | LOWER) & mask
}

/// The hash of the word `bytes[start..end]`, 16 bytes per multiply.
fn hash_at(bytes: &[u8], start: usize, end: usize) -> u64 {
    let len = (end - start) as u64;
    let mut h = K0 ^ len;
    let mut at = start;
    while at < end {
        let a = load(bytes, at, end);
        let b = if at + 8 < end {
            load(bytes, at + 8, end)
        } else {
            0
        };
        h = fold(a ^ h, b ^ K1);
        at += 16;
    }
    fold(h ^ K0, len ^ K1)
}

/// The words every text containing `text` contains whole: those with a separator
/// before and after them inside `text`, lowercased.
pub fn enclosed_words(text: &str) -> Vec<String> {
    word_ranges(text.as_bytes())
        .filter(|r| r.start > 0 && r.end < text.len())
        .map(|r| text[r].to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_keys_are_those_of_the_lowercased_alphanumeric_runs() {
        let mut seen = Vec::new();
        let text = b"GET /api/v2 took=31ms user_42 \xc3\xa9t\xc3\xa9 Connection-REFUSED x";
        each_word_key(text, 1, |k| seen.push(k));
        let want = [
            "get",
            "api",
            "v2",
            "took",
            "31ms",
            "user",
            "42",
            "t",
            "connection",
            "refused",
            "x",
        ];
        let want: Vec<u64> = want.iter().map(|w| word_key(w.as_bytes())).collect();
        assert_eq!(seen, want);
        let mut long = Vec::new();
        each_word_key(text, 4, |k| long.push(k));
        assert_eq!(long, [want[3], want[4], want[5], want[8], want[9]]);
    }

    #[test]
    fn word_keys_tell_words_apart_at_every_length() {
        // Every length up to 40 (the 8- and 16-byte loads, the copied tail), each word
        // against itself one letter changed and against itself one letter longer.
        let mut keys = std::collections::HashSet::new();
        for n in 1..=40usize {
            let w: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert_eq!(word_key(&w), word_key(&w.to_ascii_uppercase()), "{n}");
            assert!(keys.insert(word_key(&w)), "{n}");
            for i in 0..n {
                let mut v = w.clone();
                v[i] = b'0' + (i % 10) as u8;
                assert!(keys.insert(word_key(&v)), "{n} {i}");
            }
        }
        // A word at the very end of a buffer (the copied load) keys as one in the middle.
        let text = b"xx abcdefghijk";
        let mut last = 0;
        each_word_key(text, 3, |k| last = k);
        assert_eq!(last, word_key(b"ABCDEFGHIJK"));
    }

    #[test]
    fn the_64_byte_masks_find_the_words_one_byte_at_a_time_finds() {
        // Every byte value, and words across the 64-byte steps and at the very end.
        let mut text: Vec<u8> = (0..=255u8).collect();
        for n in [1usize, 2, 3, 63, 64, 65, 127, 128, 200] {
            text.extend(std::iter::repeat_n(b'Q', n));
            text.push(b' ');
            text.extend(std::iter::repeat_n(b'7', n));
            text.push(0xff);
        }
        text.extend(b"tail");
        for from in 0..70 {
            let bytes = &text[from..];
            let mut want = Vec::new();
            for r in word_ranges(bytes) {
                want.push(word_key(&bytes[r]));
            }
            let mut got = Vec::new();
            each_word_key(bytes, 1, |k| got.push(k));
            assert_eq!(got, want, "from {from}");
        }
    }

    #[test]
    fn only_words_closed_on_both_sides_are_promised() {
        let cases: &[(&str, &[&str])] = &[
            ("timeout", &[]),
            ("connection refused", &[]),
            ("a connection refused b", &["connection", "refused"]),
            ("-Timeout-", &["timeout"]),
            ("user_42", &[]),
            ("x_user_42", &["user"]),
        ];
        for (text, want) in cases {
            assert_eq!(enclosed_words(text), *want, "{text}");
        }
    }
}
