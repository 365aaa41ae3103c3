//! Making log text safe for a terminal: control, bidi and zero-width characters are
//! shown escaped (`\x1b`, `\u{202e}`), never written raw. Log text is untrusted input.

use std::borrow::Cow;

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
}
