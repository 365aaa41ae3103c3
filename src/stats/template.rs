//! Error templates: a message with its variable parts masked as `<*>`, so
//! `Failed to process request: timeout after 30s` and `... after 5s` group together as
//! `Failed to process request: timeout after <*>s`.
//!
//! Masked, word by word (words are split on whitespace): quoted strings (`"x"`, `'x'`),
//! e-mail addresses, paths and URLs, IPv4 addresses (with a port), UUIDs; inside any
//! other word, numbers (`30`, `12.5`, `0x1f`) and runs of hex digits that contain a digit
//! (`1a2b3c4d`). Letters-only words and punctuation stay, so the template still reads as
//! the message. Only the first line of a message is used. This is a fixed rule set, not a
//! learned clustering (no Drain tree): cheap enough for every ERROR and FATAL entry.

/// The placeholder for a masked part.
pub const HOLE: &str = "<*>";

/// Longest template kept (bytes); longer messages are cut at a char boundary.
const MAX_LEN: usize = 200;

/// Writes the template of `msg` into `out` (cleared first).
pub fn mask(msg: &str, out: &mut String) {
    out.clear();
    let line = match memchr::memchr(b'\n', msg.as_bytes()) {
        Some(nl) => &msg[..nl],
        None => msg,
    };
    let mut rest = line.trim();
    while !rest.is_empty() {
        if out.len() >= MAX_LEN {
            break;
        }
        let word_end = rest
            .bytes()
            .position(|c| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        let mut consumed = word_end;
        if !out.is_empty() {
            out.push(' ');
        }
        let quote = word.as_bytes()[0];
        if (quote == b'"' || quote == b'\'' || quote == b'`') && word.len() > 1 {
            // A quoted string, possibly spanning words: up to the closing quote.
            if let Some(close) = rest[1..].find(quote as char) {
                let end = close + 2;
                out.push_str(HOLE);
                // Keep punctuation glued after the closing quote (`'x',`).
                let tail_end = rest[end..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(rest.len(), |i| end + i);
                mask_word(&rest[end..tail_end], out);
                consumed = tail_end;
                rest = rest[consumed..].trim_start();
                continue;
            }
        }
        mask_word(word, out);
        rest = rest[consumed..].trim_start();
    }
    if out.len() > MAX_LEN {
        let mut cut = MAX_LEN;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
}

/// Masks one whitespace-free word.
fn mask_word(word: &str, out: &mut String) {
    if word.is_empty() {
        return;
    }
    if is_plain(word) {
        out.push_str(word);
        return;
    }
    mask_by_rules(word, out);
}

/// `mask_word` without the shortcut for plain words.
fn mask_by_rules(word: &str, out: &mut String) {
    let lead = word.len() - word.trim_start_matches(['(', '[', '{', '<']).len();
    let core_full = &word[lead..];
    let core = core_full.trim_end_matches([')', ']', '}', '>', ',', ';', ':', '.', '!', '?']);
    let trail = &core_full[core.len()..];
    if !core.is_empty() && is_opaque(core) {
        out.push_str(&word[..lead]);
        out.push_str(HOLE);
        out.push_str(trail);
        return;
    }
    mask_numbers(word, out);
}

/// A word no rule changes: shorter than a UUID, without digits (numbers, hex ids with a
/// digit, IPv4 addresses) and without `@`, `/` or `\\` (e-mails, paths, URLs). Most
/// words of a message are like this; they are copied without the rules' work.
fn is_plain(word: &str) -> bool {
    word.len() < 36
        && word
            .bytes()
            .all(|c| !c.is_ascii_digit() && !matches!(c, b'@' | b'/' | b'\\'))
}

/// Words replaced whole: e-mails, paths, URLs, IPv4 addresses, UUIDs.
fn is_opaque(w: &str) -> bool {
    let b = w.as_bytes();
    if let Some(at) = w.find('@') {
        if at > 0 && w[at + 1..].contains('.') {
            return true;
        }
    }
    if w.contains("://") {
        return true;
    }
    if b[0] == b'/' || w.starts_with("./") || w.starts_with("~/") || w.contains('\\') {
        return b.len() > 1;
    }
    if is_ipv4(w) || is_uuid(w) {
        return true;
    }
    false
}

fn is_ipv4(w: &str) -> bool {
    let addr = match w.rsplit_once(':') {
        Some((a, port)) if !port.is_empty() && port.bytes().all(|c| c.is_ascii_digit()) => a,
        _ => w,
    };
    let mut parts = 0;
    for p in addr.split('.') {
        parts += 1;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    parts == 4
}

fn is_uuid(w: &str) -> bool {
    if w.len() != 36 {
        return false;
    }
    let mut groups = 0;
    for (g, n) in w.split('-').zip([8, 4, 4, 4, 12]) {
        groups += 1;
        if g.len() != n || !g.bytes().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    groups == 5
}

/// Masks numbers and hex ids inside a word; everything else is copied.
fn mask_numbers(word: &str, out: &mut String) {
    let b = word.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            // Copy a run of non-alphanumeric chars (UTF-8 safe: whole chars).
            let start = i;
            while i < b.len() && !b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push_str(&word[start..i]);
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        // A decimal fraction continues the number: `12.5`.
        while i + 1 < b.len()
            && b[i] == b'.'
            && b[i + 1].is_ascii_digit()
            && is_digits(&b[start..i])
        {
            i += 1;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
        }
        push_run(&word[start..i], out);
    }
}

fn is_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
}

/// One alphanumeric run: whole hex/number runs become a hole, else digit runs do.
fn push_run(run: &str, out: &mut String) {
    let b = run.as_bytes();
    let has_digit = b.iter().any(u8::is_ascii_digit);
    if !has_digit {
        out.push_str(run);
        return;
    }
    let hex = run
        .strip_prefix("0x")
        .or_else(|| run.strip_prefix("0X"))
        .unwrap_or(run);
    if is_digits(b)
        || (!hex.is_empty()
            && hex.bytes().all(|c| c.is_ascii_hexdigit())
            && (hex.len() >= 4 || hex.len() < run.len()))
    {
        out.push_str(HOLE);
        return;
    }
    // Digits glued to letters (`30s`, `user456`, `v2`): mask each digit run.
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            // `12.5s`: the fraction belongs to the number.
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            out.push_str(HOLE);
        } else {
            let start = i;
            while i < b.len() && !b[i].is_ascii_digit() {
                i += 1;
            }
            out.push_str(&run[start..i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> String {
        let mut out = String::new();
        mask(s, &mut out);
        out
    }

    #[test]
    fn masks_variable_parts() {
        let cases = [
            (
                "Failed to process request: timeout after 30s",
                "Failed to process request: timeout after <*>s",
            ),
            (
                "Authentication failed for user_456: invalid token",
                "Authentication failed for user_<*>: invalid token",
            ),
            (
                "Job job_1a2b3c4d failed: TIMEOUT exceeded after 300s",
                "Job job_<*> failed: TIMEOUT exceeded after <*>s",
            ),
            (
                "Upstream 10.0.3.17 returned 502",
                "Upstream <*> returned <*>",
            ),
            (
                "Connection to 10.0.3.17:5432 lost",
                "Connection to <*> lost",
            ),
            (
                "Cannot open file C:\\data\\export_12.csv: access denied",
                "Cannot open file <*>: access denied",
            ),
            ("GET /api/v1/users/profile failed", "GET <*> failed"),
            (
                "Failed to parse payload: unexpected token '\"' at position 17",
                "Failed to parse payload: unexpected token <*> at position <*>",
            ),
            (
                "Config value \"max conn\" is deprecated, use \"pool.max\"",
                "Config value <*> is deprecated, use <*>",
            ),
            ("mail to bob@example.com bounced", "mail to <*> bounced"),
            (
                "request 123e4567-e89b-12d3-a456-426614174000 failed",
                "request <*> failed",
            ),
            ("total 12.50 EUR (0x1F)", "total <*> EUR (<*>)"),
            (
                "Deadlock detected on table users",
                "Deadlock detected on table users",
            ),
            (
                "the len is 3 but the index is 9",
                "the len is <*> but the index is <*>",
            ),
            ("  spaced   out  \n second line", "spaced out"),
            ("ünïcödé 42 naïve", "ünïcödé <*> naïve"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(m(input), want, "{input:?}");
        }
    }

    #[test]
    fn plain_words_are_what_the_rules_leave_alone() {
        let words = [
            "Failed",
            "request:",
            "(timeout),",
            "user_name",
            "naïve",
            "a-b-c",
            "'x'",
            "deadbeef",
            "abcdefab-abcd-abcd-abcd-abcdefabcdef",
            "x.y",
            "C:",
            "<tag>",
            "ok!",
            "__init__",
        ];
        let mut plain = 0;
        for w in words {
            let mut by_rules = String::new();
            mask_by_rules(w, &mut by_rules);
            if is_plain(w) {
                plain += 1;
                assert_eq!(by_rules, w, "{w}");
            }
        }
        assert!(plain >= 12);
    }

    #[test]
    fn long_and_odd_messages_do_not_panic() {
        let long = "é".repeat(500);
        assert!(m(&long).len() <= MAX_LEN);
        for s in [
            "\"",
            "'",
            "\"unterminated quote",
            "(((",
            "0x",
            "@",
            "/",
            "a@b",
            "1.2.3",
            "x.",
            "ü\u{301}5",
        ] {
            let _ = m(s);
        }
        assert_eq!(m("\"unterminated quote"), "\"unterminated quote");
    }
}
