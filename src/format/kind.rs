//! The format types as values, a leaf of `format`: `Format` (which format an input
//! is), `Base` (the formats a wrapper can hold) and `Wrapper` (an envelope). What a
//! format does (detect, bounds, parse) is implemented beside the parsers, in
//! `format/mod.rs` and `format/wrap.rs`; the types live here so those parsers, which
//! name them, import a leaf instead of their parent.

/// A wrapper: an index into `wrap::WRAPPERS` (its definition: `Wrapper::def`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Wrapper(pub u8);

/// The formats covet-logs reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON object per line.
    Json,
    /// `key=value` pairs per line.
    Logfmt,
    /// `2024-01-15 14:23:45.123 [ERROR] service source message` plus continuation lines.
    Covet,
    /// A timestamp at the start of each entry; lines without one continue the entry.
    Text,
    /// Text without timestamps: every line is an entry of its own.
    Plain,
    /// A text format defined as data: an index into `defs::BUILTIN`.
    Pattern(u8),
    /// Lines in an envelope (docker json-file, CRI, compose, `@cee:`) around lines of
    /// an inner format (see `wrap`).
    Wrapped(Wrapper, Base),
}

/// The formats a wrapper can hold: every format but a wrapped one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Base {
    Json,
    Logfmt,
    Covet,
    Text,
    Plain,
    Pattern(u8),
}

impl Base {
    pub fn format(self) -> Format {
        match self {
            Base::Json => Format::Json,
            Base::Logfmt => Format::Logfmt,
            Base::Covet => Format::Covet,
            Base::Text => Format::Text,
            Base::Plain => Format::Plain,
            Base::Pattern(id) => Format::Pattern(id),
        }
    }

    /// The base of a format that is not wrapped.
    pub fn of(format: Format) -> Option<Base> {
        Some(match format {
            Format::Json => Base::Json,
            Format::Logfmt => Base::Logfmt,
            Format::Covet => Base::Covet,
            Format::Text => Base::Text,
            Format::Plain => Base::Plain,
            Format::Pattern(id) => Base::Pattern(id),
            Format::Wrapped(..) => return None,
        })
    }
}
