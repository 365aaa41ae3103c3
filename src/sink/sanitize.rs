//! Making untrusted text safe for a terminal: control, bidi and zero-width characters
//! are shown escaped (`\x1b`, `\u{202e}`), never written raw. Log text, file names
//! from walked directories, saved filter names and typed queries all go through here
//! before any stream (stdout or stderr); error lines through `Error`'s `Display`.
//! A leaf module: it imports nothing of the crate, so any layer may use it.

use std::borrow::Cow;

/// `s` as one word a POSIX shell reads back as `s`: as it is when it holds only plain
/// characters, else in single quotes (a `'` written `'\''`).
pub fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c));
    match plain {
        true => s.to_string(),
        false => format!("'{}'", s.replace('\'', "'\\''")),
    }
}

/// Whether a character must not reach a terminal as-is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// Escapes unsafe characters; borrows when there is nothing to escape.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Masks unsafe characters with `?`, one column each, for a line that a caret line
/// points into (an escape would shift the columns after it).
pub fn mask(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { '?' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        let cases = [
            ("plain text", "plain text"),
            ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
            ("a\tb\rc", "a\\tb\\rc"),
            ("bidi\u{202e}evil", "bidi\\u{202e}evil"),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("c1\u{9b}x", "c1\\x9bx"),
            ("del\x7f", "del\\x7f"),
            ("héllo ✓", "héllo ✓"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want);
        }
    }

    #[test]
    fn mask_keeps_one_column_per_character() {
        assert_eq!(mask("a\x1b]0;x\x07b\u{202e}c é"), "a?]0;x?b?c é");
        assert_eq!(mask("plain"), "plain");
    }
}
