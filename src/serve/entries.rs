//! The API's LogEntry: `search --json`'s line (the printer's JSON mode) with a `cursor`
//! field appended. `Cursored` is the sink for searches: the cursor names the entry's
//! position (`c1.INPUT.OFFSET`). `Streamed` is the sink for the WebSocket: it records
//! where each entry ends, from which the stream's cursor is made. `Positioned` writes
//! only an entry's cursor, for a shared pass that renders the entries its pages keep
//! afterwards (`engine::batch::render_at`).

use std::io::Write;

use crate::error::Error;
use crate::sink::print::{Item, Printed, Printer};
use crate::sink::{Hit, Sink, Source};

/// The prefix of an entry cursor (a search position).
pub const ENTRY_CURSOR: &str = "c1.";

/// The printer in JSON mode, each entry given its `cursor`.
pub struct Cursored(pub Printer);

impl Sink for Cursored {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        let more = self.0.matched(part, hit, source)?;
        let cursor = format!("{ENTRY_CURSOR}{}.{}", source.index, hit.entry.offset);
        append_cursor(part, &cursor);
        Ok(more)
    }
}

/// Each entry as its position only (`"cursor":"c1.INPUT.OFFSET"`, which
/// `item_position` reads), with the time the printer would give it (`need_ts`, for
/// merging several inputs): a search's page is then rendered from the positions it
/// kept, instead of rendering every match.
pub struct Positioned {
    pub need_ts: bool,
}

impl Sink for Positioned {
    type Part = Printed;

    fn part(&self) -> Printed {
        Printed::default()
    }

    fn matched(&self, part: &mut Printed, hit: &mut Hit, source: &Source) -> Result<bool, Error> {
        let _ = write!(
            part.buf,
            "\"cursor\":\"{ENTRY_CURSOR}{}.{}\"",
            source.index, hit.entry.offset
        );
        let ts = match self.need_ts {
            true => hit.record().ts(),
            false => None,
        };
        part.items.push(Item {
            end: part.buf.len(),
            ts,
        });
        Ok(true)
    }
}

/// Puts `"cursor":"..."` last in the part's last item (a JSON object and a newline).
pub fn append_cursor(part: &mut Printed, cursor: &str) {
    let Some(last) = part.items.last_mut() else {
        return;
    };
    if !part.buf.ends_with(b"}\n") || last.end != part.buf.len() {
        return;
    }
    part.buf.truncate(part.buf.len() - 2);
    part.buf.extend_from_slice(b",\"cursor\":\"");
    part.buf.extend_from_slice(cursor.as_bytes());
    part.buf.extend_from_slice(b"\"}\n");
    last.end = part.buf.len();
}

/// The position an item's entry cursor names: `(input, offset)`.
pub fn item_position(item: &[u8]) -> Option<(usize, u64)> {
    let key = b"\"cursor\":\"c1.";
    let at = memchr::memmem::rfind(item, key)? + key.len();
    let rest = &item[at..];
    let end = memchr::memchr(b'"', rest)?;
    parse_entry_cursor_body(std::str::from_utf8(&rest[..end]).ok()?)
}

/// `c1.INPUT.OFFSET` to `(input, offset)`.
pub fn parse_entry_cursor(text: &str) -> Option<(usize, u64)> {
    parse_entry_cursor_body(text.strip_prefix(ENTRY_CURSOR)?)
}

fn parse_entry_cursor_body(body: &str) -> Option<(usize, u64)> {
    let (input, offset) = body.split_once('.')?;
    Some((input.parse().ok()?, offset.parse().ok()?))
}

/// A followed block's matches: the printed entries, each one's input and where it
/// ends in its file, and the inputs' names.
#[derive(Default)]
pub struct StreamPart {
    pub printed: Printed,
    pub ends: Vec<(usize, u64)>,
    pub names: std::collections::HashMap<usize, String>,
}

/// The printer in JSON mode, recording each entry's end offset (for the stream cursor).
pub struct Streamed(pub Printer);

impl Sink for Streamed {
    type Part = StreamPart;

    fn part(&self) -> StreamPart {
        StreamPart::default()
    }

    fn matched(
        &self,
        part: &mut StreamPart,
        hit: &mut Hit,
        source: &Source,
    ) -> Result<bool, Error> {
        let end = hit.end();
        let more = self.0.matched(&mut part.printed, hit, source)?;
        part.ends.push((source.index, end));
        part.names
            .entry(source.index)
            .or_insert_with(|| source.name.clone());
        Ok(more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let mut p = Printed::default();
        p.buf.extend_from_slice(b"{\"id\":\"a\"}\n");
        p.items.push(crate::sink::print::Item {
            end: p.buf.len(),
            ts: None,
        });
        append_cursor(&mut p, "c1.3.1851");
        assert_eq!(p.item(0), b"{\"id\":\"a\",\"cursor\":\"c1.3.1851\"}\n");
        assert_eq!(item_position(p.item(0)), Some((3, 1851)));
        assert_eq!(parse_entry_cursor("c1.3.1851"), Some((3, 1851)));
        assert_eq!(parse_entry_cursor("c1.3"), None);
        assert_eq!(parse_entry_cursor("w1.3.5"), None);
    }
}
