
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'covet-logs' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'covet-logs'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'covet-logs' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find entries matching a query (`covet-logs search ''level:ERROR timeout'' logs/`)')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the last matching entries, and follow new ones with -f')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Show what happened around one entry, correlated by trace, request or user')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file')
            [CompletionResult]::new('fields', 'fields', [CompletionResultType]::ParameterValue, 'Every field in the entries: types, share present, distinct and top values')
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Build or refresh the block index of files, so that later queries read only the blocks that may match (kept under $COVET_LOGS_CACHE_DIR, else $XDG_CACHE_HOME/covet-logs, else ~/.cache/covet-logs)')
            [CompletionResult]::new('filters', 'filters', [CompletionResultType]::ParameterValue, 'Save, list, show and delete named filters for `--filter NAME`')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The last searches (query, time, match count), newest first')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (`covet-logs completions bash > ~/.local/share/bash-completion/completions/covet-logs`)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (`covet-logs man | man -l -`)')
            [CompletionResult]::new('suggest', 'suggest', [CompletionResultType]::ParameterValue, 'Suggestions for the completion scripts: field names, values, searches, filters')
            [CompletionResult]::new('formats', 'formats', [CompletionResultType]::ParameterValue, 'The formats covet-logs reads; `formats detect FILE...` shows what it detects')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the inputs over HTTP: the REST + WebSocket API and the dashboard (`covet-logs serve logs/`, then open http://127.0.0.1:7878/)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Run an Apache Ballista scheduler or executor for `--engine df://HOST:PORT` (a build with the `cluster` feature)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;search' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (wildcards `*` and `?` allowed; repeatable)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only these sources (wildcards allowed; repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time (same forms as --since)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--paging', '--paging', [CompletionResultType]::ParameterName, 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A query to match (repeatable: entries matching any). With -e, every positional is a path, as in rg')
            [CompletionResult]::new('--regexp', '--regexp', [CompletionResultType]::ParameterName, 'A query to match (repeatable: entries matching any). With -e, every positional is a path, as in rg')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Stop after N matching entries')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Stop after N matching entries')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this process), `df://HOST:PORT` (an Apache Ballista cluster''s scheduler, see `covet-logs cluster`); both need a build with the `cluster` feature. Other engines print what the local one prints')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Show N entries after each match (multi-line entries count as one)')
            [CompletionResult]::new('--after-context', '--after-context', [CompletionResultType]::ParameterName, 'Show N entries after each match (multi-line entries count as one)')
            [CompletionResult]::new('-B', '-B ', [CompletionResultType]::ParameterName, 'Show N entries before each match')
            [CompletionResult]::new('--before-context', '--before-context', [CompletionResultType]::ParameterName, 'Show N entries before each match')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Show N entries before and after each match')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Show N entries before and after each match')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'Bare words are regular expressions')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per entry (the LogEntry shape plus file and line)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the original text even on a terminal')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Show each entry''s metadata as indented JSON under it')
            [CompletionResult]::new('--expand', '--expand', [CompletionResultType]::ParameterName, 'Show each entry''s metadata as indented JSON under it')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in local time instead of UTC')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default; overrides an earlier --local)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Ignore case (already the default; accepted for rg''s habit). -s matches case')
            [CompletionResult]::new('--ignore-case', '--ignore-case', [CompletionResultType]::ParameterName, 'Ignore case (already the default; accepted for rg''s habit). -s matches case')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Entries that do NOT match the query (the --level, --since... flags still apply)')
            [CompletionResult]::new('--invert-match', '--invert-match', [CompletionResultType]::ParameterName, 'Entries that do NOT match the query (the --level, --since... flags still apply)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Words match only whole words (`err` does not match `error`)')
            [CompletionResult]::new('--word-regexp', '--word-regexp', [CompletionResultType]::ParameterName, 'Words match only whole words (`err` does not match `error`)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'The query is one literal string, not query syntax (`-F ''a(b''`)')
            [CompletionResult]::new('--fixed-strings', '--fixed-strings', [CompletionResultType]::ParameterName, 'The query is one literal string, not query syntax (`-F ''a(b''`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Prefix each line with its line number (piped output; the terminal view shows FILE:LINE permalinks already)')
            [CompletionResult]::new('--line-number', '--line-number', [CompletionResultType]::ParameterName, 'Prefix each line with its line number (piped output; the terminal view shows FILE:LINE permalinks already)')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'No line numbers (the default when piped)')
            [CompletionResult]::new('--no-line-number', '--no-line-number', [CompletionResultType]::ParameterName, 'No line numbers (the default when piped)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Prefix each entry with its file name (the default with several inputs)')
            [CompletionResult]::new('--with-filename', '--with-filename', [CompletionResultType]::ParameterName, 'Prefix each entry with its file name (the default with several inputs)')
            [CompletionResult]::new('--no-filename', '--no-filename', [CompletionResultType]::ParameterName, 'Never prefix entries with their file name')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print only the matched parts of each entry, one per line')
            [CompletionResult]::new('--only-matching', '--only-matching', [CompletionResultType]::ParameterName, 'Print only the matched parts of each entry, one per line')
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'List the files that would be searched, one per line, and exit')
            [CompletionResult]::new('--stats', '--stats', [CompletionResultType]::ParameterName, 'After the results, a summary line on stderr (entries matched, read, files, time); printed on a terminal anyway')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Print a count of matching entries instead of the entries')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print a count of matching entries instead of the entries')
            [CompletionResult]::new('--newest-first', '--newest-first', [CompletionResultType]::ParameterName, 'Newest entries first')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'After searching, keep following the files and print new matching entries as they are appended (as `tail -f`)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'After searching, keep following the files and print new matching entries as they are appended (as `tail -f`)')
            [CompletionResult]::new('--no-status', '--no-status', [CompletionResultType]::ParameterName, 'With --follow: no status line on stderr')
            [CompletionResult]::new('--no-history', '--no-history', [CompletionResultType]::ParameterName, 'Do not record this search in the history (also: COVET_LOGS_NO_HISTORY=1)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;tail' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the last matching entries to show (a multi-line entry counts once)')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'How many of the last matching entries to show (a multi-line entry counts once)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (wildcards `*` and `?` allowed; repeatable)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only these sources (wildcards allowed; repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time (same forms as --since)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--paging', '--paging', [CompletionResultType]::ParameterName, 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep running and print new matching entries as they are appended. Files are followed by name: rotation, truncation and re-creation are handled')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep running and print new matching entries as they are appended. Files are followed by name: rotation, truncation and re-creation are handled')
            [CompletionResult]::new('--newest-first', '--newest-first', [CompletionResultType]::ParameterName, 'Newest entries first (not with --follow)')
            [CompletionResult]::new('--no-status', '--no-status', [CompletionResultType]::ParameterName, 'Do not show the status line on stderr while following')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'Bare words are regular expressions')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per entry (the LogEntry shape plus file and line)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the original text even on a terminal')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Show each entry''s metadata as indented JSON under it')
            [CompletionResult]::new('--expand', '--expand', [CompletionResultType]::ParameterName, 'Show each entry''s metadata as indented JSON under it')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in local time instead of UTC')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default; overrides an earlier --local)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;stats' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (wildcards `*` and `?` allowed; repeatable)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only these sources (wildcards allowed; repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time (same forms as --since)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--paging', '--paging', [CompletionResultType]::ParameterName, 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Volume bucket width (`30s`, `1m`, `1h`, `1d`; default: about 40-60 buckets)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Add a breakdown by this field (`user_id`, `metadata.endpoint`, ...; repeatable)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Rows per breakdown and number of error templates shown')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'A numeric field (`duration_ms`): count, min, mean, p50, p95, p99 and max per group')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Alert rule, e.g. `error_rate > 5%`, `count(level:FATAL) > 0`, `rate < 10/s` (repeatable). Exit 1 when any fires, 0 when none does')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this process), `df://HOST:PORT` (an Apache Ballista cluster''s scheduler, see `covet-logs cluster`); both need a build with the `cluster` feature. Other engines print the report the local one prints (not with `-f`)')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Lay the dashboard out for this many columns (default: the terminal''s)')
            [CompletionResult]::new('--height', '--height', [CompletionResultType]::ParameterName, 'Lay the dashboard out for this many rows (default: the terminal''s; piped: full)')
            [CompletionResult]::new('--warn-rate', '--warn-rate', [CompletionResultType]::ParameterName, 'Error rate (percent) from which the card turns amber')
            [CompletionResult]::new('--crit-rate', '--crit-rate', [CompletionResultType]::ParameterName, 'Error rate (percent) from which the card turns red')
            [CompletionResult]::new('--min-confidence', '--min-confidence', [CompletionResultType]::ParameterName, 'Report an insight only at this confidence (percent, 0-100) or more; on calm data a report holds any insight with chance at most 100 - PCT percent')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'Bare words are regular expressions')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'The report as one JSON object (the LogAnalytics shape plus breakdowns, templates and alerts)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in local time instead of UTC')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default; overrides an earlier --local)')
            [CompletionResult]::new('--alerts', '--alerts', [CompletionResultType]::ParameterName, 'Also check the alert rules saved in the dashboard (`alerts.json` in the config directory), as `--alert` checks its rules; a saved rule that no longer parses is a warning')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep following the inputs and redraw about once a second (on a terminal; when piped, print one JSON snapshot per second in which something changed)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep following the inputs and redraw about once a second (on a terminal; when piped, print one JSON snapshot per second in which something changed)')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'The whole dashboard (every breakdown, template times, insight actions) even on a terminal, where it is otherwise fitted to the screen')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;context' {
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Every entry of this trace id (no entry needs to be selected)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'Every entry of this request id')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Every entry of this user id')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'The correlation key (default: trace when the entry has a trace id, else request, else user, else none: every entry in the window)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only related entries that also match this saved filter (`covet-logs filters list`); repeatable, ANDed')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'How far before and after the selected entry to look: `1m`, `5m`, `15m`, `1h`... (default 5m; for an entry without trace, request or user id, the 20 entries before and after it within 30s, unless --window or --by is given)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Show N entries after the selected one in its own file')
            [CompletionResult]::new('--after-context', '--after-context', [CompletionResultType]::ParameterName, 'Show N entries after the selected one in its own file')
            [CompletionResult]::new('-B', '-B ', [CompletionResultType]::ParameterName, 'Show N entries before the selected one in its own file')
            [CompletionResult]::new('--before-context', '--before-context', [CompletionResultType]::ParameterName, 'Show N entries before the selected one in its own file')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Show N entries before and after the selected one in its own file')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Show N entries before and after the selected one in its own file')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output layout')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors')
            [CompletionResult]::new('--paging', '--paging', [CompletionResultType]::ParameterName, 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON document: the selected entry, the timeline and the summary')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in local time instead of UTC')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC (the default; overrides an earlier --local)')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format. (The input format is `--input-format` here.)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: a temporary file beside it, renamed into place only when the export succeeds). Default: stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (atomically: a temporary file beside it, renamed into place only when the export succeeds). Default: stdout')
            [CompletionResult]::new('--fields', '--fields', [CompletionResultType]::ParameterName, 'Columns (csv) or keys (json, ndjson), comma-separated: `timestamp,level,message, metadata.duration_ms`. Default: every LogEntry field, metadata flattened (csv)')
            [CompletionResult]::new('--partition-by', '--partition-by', [CompletionResultType]::ParameterName, 'With --format parquet and -o DIR: one Parquet file per partition, in directories named as Hive, Spark and DataFusion read them (`DIR/day=2024-01-15/service=covet-api/part-00000.parquet`). DIR must be new or empty; it appears only when the export succeeded')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this process), `df://HOST:PORT` (an Apache Ballista cluster''s scheduler, see `covet-logs cluster`); both need a build with the `cluster` feature. Other engines print what the local one prints')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (wildcards `*` and `?` allowed; repeatable)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only these sources (wildcards allowed; repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time (same forms as --since)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bar, even on a terminal')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'Bare words are regular expressions')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;fields' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many top values to show (default 5, or 20 for one field)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many top values to show (default 5, or 20 for one field)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'The query as an option (`-q ''level:>=WARN service:covet-db''`)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only these services (wildcards `*` and `?` allowed; repeatable)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Only these sources (wildcards allowed; repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time (same forms as --since)')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON document instead of the table')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Match case exactly (default: ignore case)')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'Bare words are regular expressions')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;index' {
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;filters' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a query (and optionally a time window) under a name, for `--filter NAME`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved filters and the built-in presets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one filter')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a saved filter (built-in presets cannot be deleted)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;filters;save' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Entries at or after this time, resolved when the filter is used (`1h` means the last hour at that moment)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Entries before this time, resolved when the filter is used')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'A description shown by `filters list`')
            [CompletionResult]::new('--regex', '--regex', [CompletionResultType]::ParameterName, 'Bare words of the query are regular expressions whenever the filter is used (as `--regex`)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Words match only in their own case whenever the filter is used (as `-s`)')
            [CompletionResult]::new('--case-sensitive', '--case-sensitive', [CompletionResultType]::ParameterName, 'Words match only in their own case whenever the filter is used (as `-s`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a saved filter of the same name')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;filters;list' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per filter')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;filters;show' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;filters;rm' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;filters;help' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a query (and optionally a time window) under a name, for `--filter NAME`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved filters and the built-in presets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one filter')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a saved filter (built-in presets cannot be deleted)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;filters;help;save' {
            break
        }
        'covet-logs;filters;help;list' {
            break
        }
        'covet-logs;filters;help;show' {
            break
        }
        'covet-logs;filters;help;rm' {
            break
        }
        'covet-logs;filters;help;help' {
            break
        }
        'covet-logs;history' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N searches (newest first)')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Show at most N searches (newest first)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per search')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Forget every recorded search')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;history;run' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;history;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;history;help;run' {
            break
        }
        'covet-logs;history;help;help' {
            break
        }
        'covet-logs;completions' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;man' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;suggest' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'What the word is')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Inputs to sample (default: $COVET_LOGS_PATH)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;formats' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;formats;detect' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;formats;help' {
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;formats;help;detect' {
            break
        }
        'covet-logs;formats;help;help' {
            break
        }
        'covet-logs;serve' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on. Any address but loopback requires a token. Port 0 picks a free port; the bound address is printed on stderr')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'A file whose first line is the access token (at least 16 characters), required as `Authorization: Bearer TOKEN` by every API request (also: COVET_LOGS_TOKEN)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format (default: detected per input from its first lines)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: all cores)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Chunk size in bytes for parallel scans (for testing)')
            [CompletionResult]::new('--max-entry-size', '--max-entry-size', [CompletionResultType]::ParameterName, 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read files with plain reads instead of memory maps')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show strategy decisions (format detected, prefilter, chunks) on stderr')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--follow-links', '--follow-links', [CompletionResultType]::ParameterName, 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'covet-logs;cluster' {
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('scheduler', 'scheduler', [CompletionResultType]::ParameterValue, 'Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands their tasks to the executors. Prints the address it listens on, on stderr')
            [CompletionResult]::new('executor', 'executor', [CompletionResultType]::ParameterValue, 'Run an executor: it reads, parses and filters the splits of log files the scheduler gives it (the files must be at the same paths as on the client). Prints the address it listens on, on stderr')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;cluster;scheduler' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on (port 0: any free port)')
            [CompletionResult]::new('--executor-timeout', '--executor-timeout', [CompletionResultType]::ParameterName, 'Seconds without a word from an executor before it is taken for lost and its tasks run on the others; also how long a query waits for a live executor before it is refused (`no executor alive at the scheduler`). A query whose executors are all lost fails then (`every executor was lost during the query`)')
            [CompletionResult]::new('--unauthenticated', '--unauthenticated', [CompletionResultType]::ParameterName, 'Allow a `--bind` address other than loopback. Ballista''s services have no authentication and no encryption: only on a private network you trust')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;cluster;executor' {
            [CompletionResult]::new('--scheduler', '--scheduler', [CompletionResultType]::ParameterName, 'The scheduler''s address')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to serve results on (port 0: any free port)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Tasks run at once (0: one per core)')
            [CompletionResult]::new('--unauthenticated', '--unauthenticated', [CompletionResultType]::ParameterName, 'Allow a `--bind` address other than loopback. Ballista''s services have no authentication and no encryption: only on a private network you trust')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'covet-logs;cluster;help' {
            [CompletionResult]::new('scheduler', 'scheduler', [CompletionResultType]::ParameterValue, 'Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands their tasks to the executors. Prints the address it listens on, on stderr')
            [CompletionResult]::new('executor', 'executor', [CompletionResultType]::ParameterValue, 'Run an executor: it reads, parses and filters the splits of log files the scheduler gives it (the files must be at the same paths as on the client). Prints the address it listens on, on stderr')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;cluster;help;scheduler' {
            break
        }
        'covet-logs;cluster;help;executor' {
            break
        }
        'covet-logs;cluster;help;help' {
            break
        }
        'covet-logs;help' {
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find entries matching a query (`covet-logs search ''level:ERROR timeout'' logs/`)')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the last matching entries, and follow new ones with -f')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Show what happened around one entry, correlated by trace, request or user')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file')
            [CompletionResult]::new('fields', 'fields', [CompletionResultType]::ParameterValue, 'Every field in the entries: types, share present, distinct and top values')
            [CompletionResult]::new('index', 'index', [CompletionResultType]::ParameterValue, 'Build or refresh the block index of files, so that later queries read only the blocks that may match (kept under $COVET_LOGS_CACHE_DIR, else $XDG_CACHE_HOME/covet-logs, else ~/.cache/covet-logs)')
            [CompletionResult]::new('filters', 'filters', [CompletionResultType]::ParameterValue, 'Save, list, show and delete named filters for `--filter NAME`')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The last searches (query, time, match count), newest first')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell (`covet-logs completions bash > ~/.local/share/bash-completion/completions/covet-logs`)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (`covet-logs man | man -l -`)')
            [CompletionResult]::new('suggest', 'suggest', [CompletionResultType]::ParameterValue, 'Suggestions for the completion scripts: field names, values, searches, filters')
            [CompletionResult]::new('formats', 'formats', [CompletionResultType]::ParameterValue, 'The formats covet-logs reads; `formats detect FILE...` shows what it detects')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the inputs over HTTP: the REST + WebSocket API and the dashboard (`covet-logs serve logs/`, then open http://127.0.0.1:7878/)')
            [CompletionResult]::new('cluster', 'cluster', [CompletionResultType]::ParameterValue, 'Run an Apache Ballista scheduler or executor for `--engine df://HOST:PORT` (a build with the `cluster` feature)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'covet-logs;help;search' {
            break
        }
        'covet-logs;help;tail' {
            break
        }
        'covet-logs;help;stats' {
            break
        }
        'covet-logs;help;context' {
            break
        }
        'covet-logs;help;export' {
            break
        }
        'covet-logs;help;fields' {
            break
        }
        'covet-logs;help;index' {
            break
        }
        'covet-logs;help;filters' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save a query (and optionally a time window) under a name, for `--filter NAME`')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved filters and the built-in presets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one filter')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a saved filter (built-in presets cannot be deleted)')
            break
        }
        'covet-logs;help;filters;save' {
            break
        }
        'covet-logs;help;filters;list' {
            break
        }
        'covet-logs;help;filters;show' {
            break
        }
        'covet-logs;help;filters;rm' {
            break
        }
        'covet-logs;help;history' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in')
            break
        }
        'covet-logs;help;history;run' {
            break
        }
        'covet-logs;help;completions' {
            break
        }
        'covet-logs;help;man' {
            break
        }
        'covet-logs;help;suggest' {
            break
        }
        'covet-logs;help;formats' {
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries')
            break
        }
        'covet-logs;help;formats;detect' {
            break
        }
        'covet-logs;help;serve' {
            break
        }
        'covet-logs;help;cluster' {
            [CompletionResult]::new('scheduler', 'scheduler', [CompletionResultType]::ParameterValue, 'Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands their tasks to the executors. Prints the address it listens on, on stderr')
            [CompletionResult]::new('executor', 'executor', [CompletionResultType]::ParameterValue, 'Run an executor: it reads, parses and filters the splits of log files the scheduler gives it (the files must be at the same paths as on the client). Prints the address it listens on, on stderr')
            break
        }
        'covet-logs;help;cluster;scheduler' {
            break
        }
        'covet-logs;help;cluster;executor' {
            break
        }
        'covet-logs;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
