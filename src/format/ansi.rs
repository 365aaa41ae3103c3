//! Terminal colour codes in log text. Console loggers (zerolog's ConsoleWriter, zap's
//! development encoder, logrus on a terminal, Serilog's literate theme, loguru,
//! tracing-subscriber, spdlog, Gin, pino-pretty, winston's `colorize`) wrap levels,
//! keys and messages in SGR escape sequences (`ESC [ params m`); a file captured from a
//! terminal keeps them. This module removes them, so detection and the text formats'
//! patterns see the line a library writes without colour. It is a leaf: it knows
//! nothing of formats, and it never touches the entry's raw bytes (output keeps them).

use std::borrow::Cow;

const ESC: u8 = 0x1b;

/// Whether `text` holds an escape byte at all (the cheap test before any stripping).
#[inline]
pub fn has_escape(text: &[u8]) -> bool {
    memchr::memchr(ESC, text).is_some()
}

/// `text` without its SGR sequences (`ESC [ digits and ; m`) and erase-in-line
/// sequences (`ESC [ K`, `ESC [ 2 K`: `grep --color` writes them after each colour,
/// docker compose before each line); other escape sequences are kept. Borrowed when there is nothing to remove.
pub fn strip(text: &[u8]) -> Cow<'_, [u8]> {
    let Some(first) = memchr::memchr(ESC, text) else {
        return Cow::Borrowed(text);
    };
    let mut out = Vec::with_capacity(text.len());
    out.extend_from_slice(&text[..first]);
    let mut i = first;
    while i < text.len() {
        match sequence_len(&text[i..]) {
            Some(n) => i += n,
            None => {
                out.push(text[i]);
                i += 1;
            }
        }
        let next = memchr::memchr(ESC, &text[i..]).map_or(text.len(), |n| i + n);
        out.extend_from_slice(&text[i..next]);
        i = next;
    }
    if out.len() == text.len() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(out)
}

/// The length of the colour sequence at the start of `s`, if one is there.
fn sequence_len(s: &[u8]) -> Option<usize> {
    let params = s.strip_prefix(&[ESC, b'['])?;
    let n = params
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b';' || **c == b':')
        .count();
    matches!(params.get(n), Some(b'm' | b'K')).then_some(2 + n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_and_keeps_the_rest() {
        let cases: [(&[u8], &[u8]); 8] = [
            (b"plain", b"plain"),
            (b"\x1b[32mINF\x1b[0m msg", b"INF msg"),
            (b"\x1b[1;31mERROR\x1b[m\x1b[K x", b"ERROR x"),
            (b"a\x1b[38;5;208mb\x1b[39mc", b"abc"),
            (b"a\x1b[38:2:1:2:3mb", b"ab"),
            // Not colour: kept as written.
            (b"\x1b[2Kweb-1 | x", b"web-1 | x"),
            (b"\x1b[1Aup", b"\x1b[1Aup"),
            (b"cut \x1b[3", b"cut \x1b[3"),
        ];
        for (input, want) in cases {
            assert_eq!(&*strip(input), want, "{:?}", String::from_utf8_lossy(input));
        }
        assert!(matches!(strip(b"\x1b[1Ax"), Cow::Borrowed(_)));
    }
}
