//! The flag groups that several subcommands flatten (`#[command(flatten)]`), each
//! defined once: what to match (`FilterArgs`, with `ZoneArgs`), how to read
//! (`InputArgs` = `--format` + `ReadArgs`), how entries and times are shown
//! (`DisplayArgs`, `ViewArgs`), the `[QUERY] [PATH]...` positionals (`QueryPaths`),
//! and the value types they use. A leaf of `cli`: the
//! per-command files import it, and `cli` re-exports it.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// The positionals of a command that filters as `search` does: `[QUERY] [PATH]...`
/// (`search` words the help of its own; see `SearchArgs`).
#[derive(Debug, Args, Clone)]
pub struct QueryPaths {
    /// The query, as `search`'s (`level:>=WARN "connection refused"`); omitted (or
    /// empty) matches every entry. A first argument that names an existing file or
    /// directory, or a lone file name (`app.log`), is a path; with -q every
    /// argument is a path.
    #[arg(value_name = "QUERY")]
    pub query: Option<std::ffi::OsString>,

    /// Files or directories (or `file://` URLs); `-` is stdin. Default: $COVET_LOGS_PATH,
    /// else piped stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// When to page long output (`--paging`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PagingChoice {
    /// Through the pager when stdout is a terminal and not following.
    Auto,
    /// Through the pager unless following.
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatChoice {
    Auto,
    Json,
    Logfmt,
    Covet,
    Text,
    Plain,
    /// A built-in text format (an index into `format::defs::BUILTIN`).
    Named(u8),
    /// A wrapper (`docker`, `cri`, ...; an index into `format::wrap::WRAPPERS`) whose
    /// inner format is detected.
    Wrapper(u8),
}

/// Every `--format` value: the fixed ones, the wrappers, then each built-in text format
/// by name.
static FORMAT_CHOICES: std::sync::LazyLock<Vec<FormatChoice>> = std::sync::LazyLock::new(|| {
    let fixed = [
        FormatChoice::Auto,
        FormatChoice::Json,
        FormatChoice::Logfmt,
        FormatChoice::Covet,
        FormatChoice::Text,
        FormatChoice::Plain,
    ];
    let named = (0..crate::format::defs::BUILTIN.len())
        .filter_map(|i| u8::try_from(i).ok().map(FormatChoice::Named));
    // Wrappers before the text formats: `cri` and `compose` name both, and the wrapper
    // reads everything the text format does (and the inner line too).
    let wrappers = (0..crate::format::wrap::WRAPPERS.len())
        .filter_map(|i| u8::try_from(i).ok().map(FormatChoice::Wrapper));
    fixed.into_iter().chain(wrappers).chain(named).collect()
});

impl ValueEnum for FormatChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &FORMAT_CHOICES
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let name = match self {
            FormatChoice::Auto => "auto",
            FormatChoice::Json => "json",
            FormatChoice::Logfmt => "logfmt",
            FormatChoice::Covet => "covet",
            FormatChoice::Text => "text",
            FormatChoice::Plain => "plain",
            FormatChoice::Named(i) => crate::format::defs::BUILTIN.get(usize::from(*i))?.name,
            FormatChoice::Wrapper(i) => crate::format::wrap::WRAPPERS.get(usize::from(*i))?.name,
        };
        Some(clap::builder::PossibleValue::new(name))
    }
}

/// What to match: the query and the flags that add to it. Shared by every command.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// The query as an option (`-q 'level:>=WARN service:covet-db'`).
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    pub query_opt: Option<String>,

    /// Apply a saved filter (`covet-logs filters list`), ANDed with the query and the
    /// other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`.
    #[arg(long = "filter", value_name = "NAME")]
    pub saved: Vec<String>,

    /// Match case exactly (default: ignore case).
    #[arg(short = 's', long)]
    pub case_sensitive: bool,

    /// Bare words are regular expressions.
    #[arg(long)]
    pub regex: bool,

    /// Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several).
    #[arg(short = 'l', long = "level", value_name = "LEVEL")]
    pub levels: Vec<String>,

    /// Only these services (wildcards `*` and `?` allowed; repeatable).
    #[arg(long = "service", value_name = "NAME")]
    pub services: Vec<String>,

    /// Only these sources (wildcards allowed; repeatable).
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,

    /// Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`,
    /// `2024-01-15`, `2024-01-15T14:00`, RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Entries before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    #[command(flatten)]
    pub zone: ZoneArgs,
}

/// How timestamps without an offset are read. In `FilterArgs`, and in `context`.
#[derive(Debug, Args, Clone)]
pub struct ZoneArgs {
    /// Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`.
    #[arg(long, value_name = "TZ", default_value = "UTC", env = "COVET_LOGS_TZ")]
    pub tz: String,
}

impl Default for ZoneArgs {
    fn default() -> ZoneArgs {
        ZoneArgs {
            tz: "UTC".to_string(),
        }
    }
}

/// `--format` (the input format) and how to read. For the commands whose `--format`
/// is the input's; `export` and `context` call it `--input-format` and flatten
/// `ReadArgs` alone.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Input format (default: detected per input from its first lines).
    #[arg(long, value_enum, default_value = "auto", env = "COVET_LOGS_FORMAT")]
    pub format: FormatChoice,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How to read the inputs: threads, maps, links, entry size, `--debug`. Shared by every
/// command that reads logs.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Read files with plain reads instead of memory maps.
    #[arg(long)]
    pub no_mmap: bool,

    /// Show strategy decisions (format detected, prefilter, chunks) on stderr.
    #[arg(long)]
    pub debug: bool,

    /// Chunk size in bytes for parallel scans (for testing).
    #[arg(long, hide = true, value_name = "BYTES")]
    pub chunk_size: Option<usize>,

    /// Follow symbolic links inside directories (links named as arguments are always
    /// followed). Each file is read once, however many links lead to it.
    #[arg(short = 'L', long)]
    pub follow_links: bool,

    /// Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is
    /// split into pieces of this size, and a notice on stderr says how many were.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_entry_size: Option<usize>,

    /// Only files whose path matches this glob, inside walked directories (repeatable;
    /// `!GLOB` excludes). Files named as arguments are always read.
    #[arg(
        short = 'g',
        long = "glob",
        value_name = "GLOB",
        allow_hyphen_values = true
    )]
    pub globs: Vec<String>,

    /// Use the block index (`covet-logs index`): `auto` reads a fresh one when there
    /// is one, `always` builds or refreshes it first, `never` ignores it. Results are
    /// the same either way; only what is read differs.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        env = "COVET_LOGS_INDEX"
    )]
    pub index: IndexChoice,
}

/// When to use the block index (`--index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndexChoice {
    /// A fresh index when one exists (never built implicitly).
    Auto,
    /// Build or refresh the index of each file first, then use it.
    Always,
    /// Read every file whole.
    Never,
}

/// A size in bytes with an optional binary suffix: `4096`, `1K`, `64M`, `1G` (`KiB`,
/// `MB`... are accepted as the same units).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "'{text}' is not a size such as 4096, 1K, 64M or 1G"
            ))
        }
    };
    num.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("'{text}' is not a size such as 4096, 1K, 64M or 1G"))
}

/// How entries are shown (`search`, `tail`): the entry layout and `ViewArgs`.
#[derive(Debug, Args, Clone)]
pub struct DisplayArgs {
    /// One JSON object per entry (the LogEntry shape plus file and line).
    #[arg(long)]
    pub json: bool,

    /// Print the original text even on a terminal.
    #[arg(long, conflicts_with = "json")]
    pub raw: bool,

    /// Show each entry's metadata as indented JSON under it.
    #[arg(short = 'x', long)]
    pub expand: bool,

    #[command(flatten)]
    pub view: ViewArgs,
}

/// Colors, paging and how times are shown. Shared by every command that shows
/// entries or times on a terminal (`search`, `tail`, `stats`, `context`).
#[derive(Debug, Args, Clone)]
pub struct ViewArgs {
    /// When to use colors.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        env = "COVET_LOGS_COLOR"
    )]
    pub color: ColorChoice,

    /// Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto`
    /// on a terminal when not following, `always`, `never`.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        env = "COVET_LOGS_PAGING"
    )]
    pub paging: PagingChoice,

    /// Show times in local time instead of UTC.
    #[arg(long, overrides_with = "utc")]
    pub local: bool,

    /// Show times in UTC (the default; overrides an earlier --local).
    #[arg(long, overrides_with = "local")]
    pub utc: bool,

    /// How times are shown on the terminal (entries, dashboard, timeline), as
    /// strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`).
    /// JSON keeps RFC 3339.
    #[arg(long, value_name = "STRFTIME")]
    pub time_format: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        for (text, n) in [
            ("4096", Some(4096)),
            ("1K", Some(1024)),
            ("1k", Some(1024)),
            ("64M", Some(64 << 20)),
            ("64MiB", Some(64 << 20)),
            ("2 GB", Some(2 << 30)),
            ("0", None),
            ("", None),
            ("M", None),
            ("12Q", None),
            ("-1K", None),
            ("99999999999999999999G", None),
        ] {
            assert_eq!(parse_size(text).ok(), n, "{text:?}");
        }
    }
}
