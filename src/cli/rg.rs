//! ripgrep's habits on `search`, with rg's meaning where it does not collide with
//! ours (`-l` stays `--level`, as in hl; `-L` is rg's `--follow`).

use clap::Args;

/// The rg flags `search` accepts. Patterns and matching flags are folded into the query
/// text (`config::rg_query`); the output flags go to the printer.
#[derive(Debug, Args, Clone, Default)]
pub struct RgArgs {
    /// Ignore case (already the default; accepted for rg's habit). -s matches case.
    #[arg(short = 'i', long = "ignore-case", overrides_with = "case_sensitive")]
    pub ignore_case: bool,

    /// Entries that do NOT match the query (the --level, --since... flags still apply).
    #[arg(short = 'v', long = "invert-match")]
    pub invert: bool,

    /// A query to match (repeatable: entries matching any). With -e, every positional
    /// is a path, as in rg.
    #[arg(
        short = 'e',
        long = "regexp",
        value_name = "PATTERN",
        allow_hyphen_values = true
    )]
    pub patterns: Vec<String>,

    /// Words match only whole words (`err` does not match `error`).
    #[arg(short = 'w', long = "word-regexp")]
    pub word: bool,

    /// The query is one literal string, not query syntax (`-F 'a(b'`).
    #[arg(short = 'F', long = "fixed-strings")]
    pub fixed: bool,

    /// Prefix each line with its line number (piped output; the terminal view shows
    /// FILE:LINE permalinks already).
    #[arg(short = 'n', long = "line-number", overrides_with = "no_line_number")]
    pub line_number: bool,

    /// No line numbers (the default when piped).
    #[arg(short = 'N', long = "no-line-number")]
    pub no_line_number: bool,

    /// Prefix each entry with its file name (the default with several inputs).
    #[arg(short = 'H', long = "with-filename", overrides_with = "no_filename")]
    pub with_filename: bool,

    /// Never prefix entries with their file name.
    #[arg(long = "no-filename", overrides_with = "with_filename")]
    pub no_filename: bool,

    /// Print only the matched parts of each entry, one per line.
    #[arg(short = 'o', long = "only-matching")]
    pub only_matching: bool,

    /// List the files that would be searched, one per line, and exit.
    #[arg(long = "files")]
    pub files: bool,

    /// After the results, a summary line on stderr (entries matched, read, files,
    /// time); printed on a terminal anyway.
    #[arg(long = "stats")]
    pub stats: bool,
}
