//! The stream cursor (`w1.DEV-INO-OFFSET_...`): the read position, after an entry, of
//! every file a stream knows, by `(device, inode)`, sorted so one set of positions has
//! one spelling (the ring finds a resume point by comparing spellings).

use std::collections::BTreeMap;

/// A file's identity: device and inode.
pub type FileId = (u64, u64);

/// Where a stream stands in each file: the offset after the last entry it sent.
pub type Positions = BTreeMap<FileId, u64>;

/// The prefix of a stream cursor.
pub const STREAM_CURSOR: &str = "w1.";

/// `w1.DEV-INO-OFFSET_...` (decimal, in file order).
pub fn format_cursor(positions: &Positions) -> String {
    let parts: Vec<String> = positions
        .iter()
        .map(|((dev, ino), off)| format!("{dev}-{ino}-{off}"))
        .collect();
    format!("{STREAM_CURSOR}{}", parts.join("_"))
}

/// A stream cursor back to positions.
pub fn parse_cursor(text: &str) -> Option<Positions> {
    let body = text.strip_prefix(STREAM_CURSOR)?;
    let mut out = BTreeMap::new();
    for part in body.split('_').filter(|p| !p.is_empty()) {
        let mut nums = part.split('-').map(|n| n.parse::<u64>());
        match (nums.next(), nums.next(), nums.next(), nums.next()) {
            (Some(Ok(dev)), Some(Ok(ino)), Some(Ok(off)), None) => {
                out.insert((dev, ino), off);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_cursors_round_trip() {
        let mut p = BTreeMap::new();
        p.insert((2049, 77), 1234);
        p.insert((2049, 5), 0);
        let c = format_cursor(&p);
        assert_eq!(c, "w1.2049-5-0_2049-77-1234");
        assert_eq!(parse_cursor(&c), Some(p.clone()));
        // Another spelling of the same positions reads the same, and formats as one.
        let other = parse_cursor("w1.2049-77-01234_2049-5-0").expect("a cursor");
        assert_eq!(format_cursor(&other), c);
        assert_eq!(parse_cursor("w1."), Some(BTreeMap::new()));
        for bad in ["c1.0.5", "w1.1-2", "w1.1-2-x", "w1.1-2-3-4"] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }
}
