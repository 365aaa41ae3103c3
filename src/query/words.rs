//! Words as the block index sees them: maximal runs of ASCII letters and digits,
//! lowercased. The index stores every word of every entry; a query term promises only
//! the words it holds whole, with a separator on both sides inside the term itself
//! (`a timeout of` promises `timeout`; `timeout` alone promises nothing, since it also
//! matches inside `timeouts`). A leaf: the query's compile step and the index use it.

/// The byte ranges of the words of `bytes`: maximal runs of ASCII letters and digits.
fn word_ranges(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        (start < i).then_some(start..i)
    })
}

/// Calls `f` with each word of `bytes`, lowercased (bytes outside ASCII letters and
/// digits separate words).
pub fn each_word(bytes: &[u8], mut f: impl FnMut(&[u8])) {
    let mut buf = [0u8; 64];
    for range in word_ranges(bytes) {
        let word = &bytes[range];
        if word.len() <= buf.len() {
            for (d, s) in buf.iter_mut().zip(word) {
                *d = s.to_ascii_lowercase();
            }
            f(&buf[..word.len()]);
        } else {
            f(&word.to_ascii_lowercase());
        }
    }
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
    fn words_are_lowercased_alphanumeric_runs() {
        let mut seen = Vec::new();
        each_word(b"GET /api/v2 took=31ms user_42 \xc3\xa9t\xc3\xa9", |w| {
            seen.push(String::from_utf8(w.to_vec()).unwrap())
        });
        assert_eq!(
            seen,
            ["get", "api", "v2", "took", "31ms", "user", "42", "t"]
        );
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
