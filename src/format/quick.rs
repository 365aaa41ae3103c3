//! An entry's level read straight from its bytes, without building a record, where the
//! format allows it: JSON lines written the usual way and the formats defined as data
//! (`pattern::quick_level`). Used by level tests (`query::eval`) and by sinks that only
//! count levels (`sink::span`). Each answer is exactly what the parsed record's
//! `level()` gives; `None` means the record must be parsed to know.

use crate::format::alias::{self, Field};
use crate::format::level::Level;
use crate::format::{json, pattern, strip_bom, Format};

/// The entry's level where its bytes decide it: `Some(level)` (`Some(None)`: it has
/// none), `None` when the record must be parsed.
pub fn level(format: Format, raw: &[u8]) -> Option<Option<Level>> {
    match format {
        Format::Json => json_level(raw),
        Format::Pattern(id) => pattern::quick_level(id, raw),
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
    match json::find_top_level_key(body, needle)? {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => {
            Some(Level::parse_any(inner).or_else(|| Level::parse_column(inner)))
        }
        _ => None,
    }
}
