//! An entry's level read straight from its bytes, without building a record, where the
//! format allows it: JSON lines written the usual way, the formats defined as data
//! (`pattern::quick_level`), plain text (`text::quick_plain_level`), and any of them in a wrapper (`wrap::with_inner`). Used by level tests (`query::eval`) and by sinks that only
//! count levels (`sink::span`). Each answer is exactly what the parsed record's
//! `level()` gives; `None` means the record must be parsed to know.

use crate::format::alias::{self, Field};
use crate::format::level::Level;
use crate::format::{json, pattern, strip_bom, text, wrap, Format};

/// The entry's level where its bytes decide it: `Some(level)` (`Some(None)`: it has
/// none), `None` when the record must be parsed.
pub fn level(format: Format, raw: &[u8]) -> Option<Option<Level>> {
    match format {
        Format::Json => json_level(raw),
        Format::Pattern(id) => pattern::quick_level(id, raw),
        Format::Plain => text::quick_plain_level(raw),
        // The inner text's level, else the envelope's (as `wrap::parse`).
        Format::Wrapped(w, inner) => wrap::with_inner(w, strip_bom(raw), |text, outer| {
            level(inner.format(), text).map(|l| l.or_else(outer))
        })
        .flatten(),
        _ => None,
    }
}

/// The level of a JSON object written the usual way (`"level":"ERROR"` at the top
/// level, no escapes), read straight from the bytes: `Some(level)` when that decides
/// it, `None` when the record must be parsed (other keys, numbers, escapes). It finds
/// the same value `Record::level` would, by the same search.
fn json_level(raw: &[u8]) -> Option<Option<Level>> {
    let body = json::trim_ascii(strip_bom(raw));
    if body.first() != Some(&b'{') {
        return None;
    }
    let needle = alias::index().needle(Field::Level);
    // Only the object's own keys are found: a stack trace after it is not read.
    match json::find_top_level_key(body, needle)? {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => {
            Some(Level::parse_any(inner).or_else(|| Level::parse_column(inner)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::defs::BUILTIN;
    use crate::format::timestamp::TimeCtx;
    use crate::format::{parse_format_name, Base};

    /// A string as a JSON string literal (what docker writes in `log`).
    fn quoted(s: &[u8]) -> String {
        serde_json::to_string(&String::from_utf8_lossy(s)).unwrap()
    }

    /// Inner lines: every built-in example with its level spelled several ways, JSON
    /// lines, continuation lines, and lines with escapes, control characters, bytes that
    /// are not UTF-8, trailing `\r`.
    fn inner_lines() -> Vec<Vec<u8>> {
        let mut lines: Vec<Vec<u8>> = Vec::new();
        for def in BUILTIN {
            lines.push(def.example.as_bytes().to_vec());
            for (from, to) in [
                ("INFO", "ERROR"),
                ("info", "warn"),
                ("INF", "WRN"),
                (" I", " E"),
            ] {
                lines.push(def.example.replacen(from, to, 1).into_bytes());
            }
        }
        for extra in [
            &b"{\"level\":\"error\",\"msg\":\"x\"}"[..],
            b"{\"level\":\"warn\",\"msg\":\"a \\\"q\\\"\"}",
            b"\tat com.x.Foo.bar(Foo.java:10)",
            b"Caused by: java.io.IOException: closed",
            b"plain words",
            b"2024-01-15 10:00:00.000 [main] ERROR a.B - tab\there",
            b"2024-01-15 10:00:00.000 [main] WARN  a.B - latin1 \xe9t\xe9",
            b"2024-01-15 10:00:00.000 [main] WARN  a.B - cr\r",
            b"",
        ] {
            lines.push(extra.to_vec());
        }
        lines
    }

    /// One physical line of wrapper `name` around `inner` (`partial`: cut there).
    fn envelope(name: &str, inner: &[u8], partial: bool) -> Vec<u8> {
        let tag = if partial { "P" } else { "F" };
        match name {
            "docker" => {
                let mut text = inner.to_vec();
                if !partial {
                    text.push(b'\n');
                }
                format!(
                    r#"{{"log":{},"stream":"stdout","time":"2024-05-07T12:04:17.597069Z"}}"#,
                    quoted(&text)
                )
                .into_bytes()
            }
            "cri" => [
                format!("2024-05-07T12:04:17.597069Z stderr {tag} ").as_bytes(),
                inner,
            ]
            .concat(),
            "compose" => [b"web-1  | ".as_slice(), inner].concat(),
            _ => [b"<11>May  7 12:04:17 host app[7]: @cee: ".as_slice(), inner].concat(),
        }
    }

    #[test]
    fn wrapped_levels_agree_with_the_parsed_record() {
        let ctx = TimeCtx::utc_now_year();
        let lines = inner_lines();
        let inners: Vec<Base> = ["json", "logback", "syslog", "plain"]
            .iter()
            .map(|n| Base::of(parse_format_name(n).flatten().unwrap()).unwrap())
            .collect();
        let (mut quick_read, mut total) = (0, 0);
        for wrapper in ["docker", "cri", "compose", "cee"] {
            let w = wrap::by_name(wrapper).unwrap();
            let mut entries: Vec<Vec<u8>> = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                let one = envelope(wrapper, line, false);
                let next = &lines[(i + 1) % lines.len()];
                entries.push(one.clone());
                entries.push([b"\xEF\xBB\xBF".as_slice(), &one].concat());
                // Two envelopes: a partial line and its rest; a line and a frame.
                let cut = line.len() / 2;
                let mut two = envelope(wrapper, &line[..cut], true);
                two.push(b'\n');
                two.extend(envelope(wrapper, &line[cut..], false));
                entries.push(two);
                let mut framed = one.clone();
                framed.push(b'\n');
                framed.extend(envelope(wrapper, next, false));
                entries.push(framed);
                // Not in the envelope at all.
                entries.push(line.clone());
            }
            for &inner in &inners {
                let format = Format::Wrapped(w, inner);
                for raw in &entries {
                    total += 1;
                    if let Some(l) = level(format, raw) {
                        quick_read += 1;
                        assert_eq!(
                            l,
                            format.parse(raw, &ctx).level(),
                            "{}: {:?}",
                            format.name(),
                            String::from_utf8_lossy(raw)
                        );
                    }
                }
            }
        }
        // Entries of the inner format are read without a record (not vacuous).
        assert!(quick_read >= 100, "{quick_read} of {total}");
        let logback = Base::of(parse_format_name("logback").flatten().unwrap()).unwrap();
        let line = b"2024-01-15 10:00:00.000 [main] ERROR a.B - failed";
        for wrapper in ["docker", "cri", "compose", "cee"] {
            let format = Format::Wrapped(wrap::by_name(wrapper).unwrap(), logback);
            let one = envelope(wrapper, line, false);
            assert_eq!(level(format, &one), Some(Some(Level::Error)), "{wrapper}");
        }
    }

    #[test]
    fn a_json_entry_with_a_stack_trace_has_its_object_level() {
        let ctx = TimeCtx::utc_now_year();
        let trace = "\nerror: {\"level\":\"fatal\"}\n\tat a.B.c(B.java:1)\nCaused by: x";
        for (line, want) in [
            (r#"{"level":"warn","msg":"x"}"#, Some(Level::Warn)),
            (r#"{"msg":"x"}"#, None),
            (r#"{"msg":"x","lvl":"error"}"#, Some(Level::Error)),
        ] {
            let raw = format!("{line}{trace}");
            let rec = Format::Json.parse(raw.as_bytes(), &ctx);
            assert_eq!(rec.level(), want, "{raw}");
            if let Some(quick) = level(Format::Json, raw.as_bytes()) {
                assert_eq!(quick, want, "{raw}");
            }
        }
        let raw = format!(r#"{{"level":"warn","msg":"x"}}{trace}"#);
        assert_eq!(level(Format::Json, raw.as_bytes()), Some(Some(Level::Warn)));
    }
}
