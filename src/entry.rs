//! One log entry: its borrowed bytes and where it came from.
//!
//! An `Entry` is the raw text of one logical entry (one line, or a line with its
//! continuation: a JSON block, a stack trace) plus its position. Its parsed view, the
//! `Record` with fields decoded on demand, is `format::record`'s.

/// One logical entry as found in its input.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The entry's text, all of its lines, without the final line terminator.
    pub raw: &'a [u8],
    /// Byte offset of the entry's first byte in its input.
    pub offset: u64,
    /// 1-based number of the entry's first line; 0 when line numbers were not counted.
    pub line: u64,
}
