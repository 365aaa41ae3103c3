
use builtin;
use str;

set edit:completion:arg-completer[covet-logs] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'covet-logs'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'covet-logs'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand search 'Find entries matching a query (`covet-logs search ''level:ERROR timeout'' logs/`)'
            cand tail 'Show the last matching entries, and follow new ones with -f'
            cand stats 'Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts'
            cand context 'Show what happened around one entry, correlated by trace, request or user'
            cand export 'Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file'
            cand fields 'Every field in the entries: types, share present, distinct and top values'
            cand index 'Build or refresh the block index of files, so that later queries read only the blocks that may match (kept under $COVET_LOGS_CACHE_DIR, else $XDG_CACHE_HOME/covet-logs, else ~/.cache/covet-logs)'
            cand filters 'Save, list, show and delete named filters for `--filter NAME`'
            cand history 'The last searches (query, time, match count), newest first'
            cand completions 'Print the completion script for a shell (`covet-logs completions bash > ~/.local/share/bash-completion/completions/covet-logs`)'
            cand man 'Print the man page (`covet-logs man | man -l -`)'
            cand suggest 'Suggestions for the completion scripts: field names, values, searches, filters'
            cand formats 'The formats covet-logs reads; `formats detect FILE...` shows what it detects'
            cand serve 'Serve the inputs over HTTP: the REST + WebSocket API and the dashboard (`covet-logs serve logs/`, then open http://127.0.0.1:7878/)'
            cand cluster 'Run an Apache Ballista scheduler or executor for `--engine df://HOST:PORT` (a build with the `cluster` feature)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;search'= {
            cand -q 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --query 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --filter 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`'
            cand -l 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --level 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --service 'Only these services (wildcards `*` and `?` allowed; repeatable)'
            cand --source 'Only these sources (wildcards allowed; repeatable)'
            cand --since 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339'
            cand --until 'Entries before this time (same forms as --since)'
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --color 'When to use colors'
            cand --paging 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`'
            cand --time-format 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339'
            cand -e 'A query to match (repeatable: entries matching any). With -e, every positional is a path, as in rg'
            cand --regexp 'A query to match (repeatable: entries matching any). With -e, every positional is a path, as in rg'
            cand -m 'Stop after N matching entries'
            cand --max-count 'Stop after N matching entries'
            cand --engine 'Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this process), `df://HOST:PORT` (an Apache Ballista cluster''s scheduler, see `covet-logs cluster`); both need a build with the `cluster` feature. Other engines print what the local one prints'
            cand -A 'Show N entries after each match (multi-line entries count as one)'
            cand --after-context 'Show N entries after each match (multi-line entries count as one)'
            cand -B 'Show N entries before each match'
            cand --before-context 'Show N entries before each match'
            cand -C 'Show N entries before and after each match'
            cand --context 'Show N entries before and after each match'
            cand -s 'Match case exactly (default: ignore case)'
            cand --case-sensitive 'Match case exactly (default: ignore case)'
            cand --regex 'Bare words are regular expressions'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --json 'One JSON object per entry (the LogEntry shape plus file and line)'
            cand --raw 'Print the original text even on a terminal'
            cand -x 'Show each entry''s metadata as indented JSON under it'
            cand --expand 'Show each entry''s metadata as indented JSON under it'
            cand --local 'Show times in local time instead of UTC'
            cand --utc 'Show times in UTC (the default; overrides an earlier --local)'
            cand -i 'Ignore case (already the default; accepted for rg''s habit). -s matches case'
            cand --ignore-case 'Ignore case (already the default; accepted for rg''s habit). -s matches case'
            cand -v 'Entries that do NOT match the query (the --level, --since... flags still apply)'
            cand --invert-match 'Entries that do NOT match the query (the --level, --since... flags still apply)'
            cand -w 'Words match only whole words (`err` does not match `error`)'
            cand --word-regexp 'Words match only whole words (`err` does not match `error`)'
            cand -F 'The query is one literal string, not query syntax (`-F ''a(b''`)'
            cand --fixed-strings 'The query is one literal string, not query syntax (`-F ''a(b''`)'
            cand -n 'Prefix each line with its line number (piped output; the terminal view shows FILE:LINE permalinks already)'
            cand --line-number 'Prefix each line with its line number (piped output; the terminal view shows FILE:LINE permalinks already)'
            cand -N 'No line numbers (the default when piped)'
            cand --no-line-number 'No line numbers (the default when piped)'
            cand -H 'Prefix each entry with its file name (the default with several inputs)'
            cand --with-filename 'Prefix each entry with its file name (the default with several inputs)'
            cand --no-filename 'Never prefix entries with their file name'
            cand -o 'Print only the matched parts of each entry, one per line'
            cand --only-matching 'Print only the matched parts of each entry, one per line'
            cand --files 'List the files that would be searched, one per line, and exit'
            cand --stats 'After the results, a summary line on stderr (entries matched, read, files, time); printed on a terminal anyway'
            cand -c 'Print a count of matching entries instead of the entries'
            cand --count 'Print a count of matching entries instead of the entries'
            cand --newest-first 'Newest entries first'
            cand -f 'After searching, keep following the files and print new matching entries as they are appended (as `tail -f`)'
            cand --follow 'After searching, keep following the files and print new matching entries as they are appended (as `tail -f`)'
            cand --no-status 'With --follow: no status line on stderr'
            cand --no-history 'Do not record this search in the history (also: COVET_LOGS_NO_HISTORY=1)'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;tail'= {
            cand -n 'How many of the last matching entries to show (a multi-line entry counts once)'
            cand --lines 'How many of the last matching entries to show (a multi-line entry counts once)'
            cand -q 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --query 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --filter 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`'
            cand -l 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --level 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --service 'Only these services (wildcards `*` and `?` allowed; repeatable)'
            cand --source 'Only these sources (wildcards allowed; repeatable)'
            cand --since 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339'
            cand --until 'Entries before this time (same forms as --since)'
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --color 'When to use colors'
            cand --paging 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`'
            cand --time-format 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339'
            cand -f 'Keep running and print new matching entries as they are appended. Files are followed by name: rotation, truncation and re-creation are handled'
            cand --follow 'Keep running and print new matching entries as they are appended. Files are followed by name: rotation, truncation and re-creation are handled'
            cand --newest-first 'Newest entries first (not with --follow)'
            cand --no-status 'Do not show the status line on stderr while following'
            cand -s 'Match case exactly (default: ignore case)'
            cand --case-sensitive 'Match case exactly (default: ignore case)'
            cand --regex 'Bare words are regular expressions'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --json 'One JSON object per entry (the LogEntry shape plus file and line)'
            cand --raw 'Print the original text even on a terminal'
            cand -x 'Show each entry''s metadata as indented JSON under it'
            cand --expand 'Show each entry''s metadata as indented JSON under it'
            cand --local 'Show times in local time instead of UTC'
            cand --utc 'Show times in UTC (the default; overrides an earlier --local)'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;stats'= {
            cand -q 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --query 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --filter 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`'
            cand -l 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --level 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --service 'Only these services (wildcards `*` and `?` allowed; repeatable)'
            cand --source 'Only these sources (wildcards allowed; repeatable)'
            cand --since 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339'
            cand --until 'Entries before this time (same forms as --since)'
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --color 'When to use colors'
            cand --paging 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`'
            cand --time-format 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339'
            cand --interval 'Volume bucket width (`30s`, `1m`, `1h`, `1d`; default: about 40-60 buckets)'
            cand --by 'Add a breakdown by this field (`user_id`, `metadata.endpoint`, ...; repeatable)'
            cand --top 'Rows per breakdown and number of error templates shown'
            cand --value 'A numeric field (`duration_ms`): count, min, mean, p50, p95, p99 and max per group'
            cand --alert 'Alert rule, e.g. `error_rate > 5%`, `count(level:FATAL) > 0`, `rate < 10/s` (repeatable). Exit 1 when any fires, 0 when none does'
            cand --engine 'Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this process), `df://HOST:PORT` (an Apache Ballista cluster''s scheduler, see `covet-logs cluster`); both need a build with the `cluster` feature. Other engines print the report the local one prints (not with `-f`)'
            cand --width 'Lay the dashboard out for this many columns (default: the terminal''s)'
            cand --height 'Lay the dashboard out for this many rows (default: the terminal''s; piped: full)'
            cand --warn-rate 'Error rate (percent) from which the card turns amber'
            cand --crit-rate 'Error rate (percent) from which the card turns red'
            cand --min-confidence 'Report an insight only at this confidence (percent, 0-100) or more; on calm data a report holds any insight with chance at most 100 - PCT percent'
            cand -s 'Match case exactly (default: ignore case)'
            cand --case-sensitive 'Match case exactly (default: ignore case)'
            cand --regex 'Bare words are regular expressions'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --json 'The report as one JSON object (the LogAnalytics shape plus breakdowns, templates and alerts)'
            cand --local 'Show times in local time instead of UTC'
            cand --utc 'Show times in UTC (the default; overrides an earlier --local)'
            cand --alerts 'Also check the alert rules saved in the dashboard (`alerts.json` in the config directory), as `--alert` checks its rules; a saved rule that no longer parses is a warning'
            cand -f 'Keep following the inputs and redraw about once a second (on a terminal; when piped, print one JSON snapshot per second in which something changed)'
            cand --follow 'Keep following the inputs and redraw about once a second (on a terminal; when piped, print one JSON snapshot per second in which something changed)'
            cand --full 'The whole dashboard (every breakdown, template times, insight actions) even on a terminal, where it is otherwise fitted to the screen'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;context'= {
            cand --trace 'Every entry of this trace id (no entry needs to be selected)'
            cand --request 'Every entry of this request id'
            cand --user 'Every entry of this user id'
            cand --by 'The correlation key (default: trace when the entry has a trace id, else request, else user, else none: every entry in the window)'
            cand --filter 'Only related entries that also match this saved filter (`covet-logs filters list`); repeatable, ANDed'
            cand --window 'How far before and after the selected entry to look: `1m`, `5m`, `15m`, `1h`... (default 5m; for an entry without trace, request or user id, the 20 entries before and after it within 30s, unless --window or --by is given)'
            cand -A 'Show N entries after the selected one in its own file'
            cand --after-context 'Show N entries after the selected one in its own file'
            cand -B 'Show N entries before the selected one in its own file'
            cand --before-context 'Show N entries before the selected one in its own file'
            cand -C 'Show N entries before and after the selected one in its own file'
            cand --context 'Show N entries before and after the selected one in its own file'
            cand --format 'Output layout'
            cand --input-format 'Input format (default: detected per input)'
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --color 'When to use colors'
            cand --paging 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`'
            cand --time-format 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --json 'One JSON document: the selected entry, the timeline and the summary'
            cand --local 'Show times in local time instead of UTC'
            cand --utc 'Show times in UTC (the default; overrides an earlier --local)'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;export'= {
            cand --format 'Output format. (The input format is `--input-format` here.)'
            cand -o 'Write to FILE (atomically: a temporary file beside it, renamed into place only when the export succeeds). Default: stdout'
            cand --output 'Write to FILE (atomically: a temporary file beside it, renamed into place only when the export succeeds). Default: stdout'
            cand --fields 'Columns (csv) or keys (json, ndjson), comma-separated: `timestamp,level,message, metadata.duration_ms`. Default: every LogEntry field, metadata flattened (csv)'
            cand --partition-by 'With --format parquet and -o DIR: one Parquet file per partition, in directories named as Hive, Spark and DataFusion read them (`DIR/day=2024-01-15/service=covet-api/part-00000.parquet`). DIR must be new or empty; it appears only when the export succeeded'
            cand --engine 'Where the query runs: `local` (default), `datafusion` (Apache DataFusion in this process), `df://HOST:PORT` (an Apache Ballista cluster''s scheduler, see `covet-logs cluster`); both need a build with the `cluster` feature. Other engines print what the local one prints'
            cand -q 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --query 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --filter 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`'
            cand -l 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --level 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --service 'Only these services (wildcards `*` and `?` allowed; repeatable)'
            cand --source 'Only these sources (wildcards allowed; repeatable)'
            cand --since 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339'
            cand --until 'Entries before this time (same forms as --since)'
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --input-format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --no-progress 'No progress bar, even on a terminal'
            cand -s 'Match case exactly (default: ignore case)'
            cand --case-sensitive 'Match case exactly (default: ignore case)'
            cand --regex 'Bare words are regular expressions'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;fields'= {
            cand -n 'How many top values to show (default 5, or 20 for one field)'
            cand --top 'How many top values to show (default 5, or 20 for one field)'
            cand -q 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --query 'The query as an option (`-q ''level:>=WARN service:covet-db''`)'
            cand --filter 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`'
            cand -l 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --level 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)'
            cand --service 'Only these services (wildcards `*` and `?` allowed; repeatable)'
            cand --source 'Only these sources (wildcards allowed; repeatable)'
            cand --since 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339'
            cand --until 'Entries before this time (same forms as --since)'
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --json 'One JSON document instead of the table'
            cand -s 'Match case exactly (default: ignore case)'
            cand --case-sensitive 'Match case exactly (default: ignore case)'
            cand --regex 'Bare words are regular expressions'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;index'= {
            cand --tz 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`'
            cand --format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;filters'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
            cand save 'Save a query (and optionally a time window) under a name, for `--filter NAME`'
            cand list 'List the saved filters and the built-in presets'
            cand show 'Show one filter'
            cand rm 'Delete a saved filter (built-in presets cannot be deleted)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;filters;save'= {
            cand --since 'Entries at or after this time, resolved when the filter is used (`1h` means the last hour at that moment)'
            cand --until 'Entries before this time, resolved when the filter is used'
            cand --description 'A description shown by `filters list`'
            cand --regex 'Bare words of the query are regular expressions whenever the filter is used (as `--regex`)'
            cand -s 'Words match only in their own case whenever the filter is used (as `-s`)'
            cand --case-sensitive 'Words match only in their own case whenever the filter is used (as `-s`)'
            cand --force 'Replace a saved filter of the same name'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;filters;list'= {
            cand --json 'One JSON object per filter'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;filters;show'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;filters;rm'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;filters;help'= {
            cand save 'Save a query (and optionally a time window) under a name, for `--filter NAME`'
            cand list 'List the saved filters and the built-in presets'
            cand show 'Show one filter'
            cand rm 'Delete a saved filter (built-in presets cannot be deleted)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;filters;help;save'= {
        }
        &'covet-logs;filters;help;list'= {
        }
        &'covet-logs;filters;help;show'= {
        }
        &'covet-logs;filters;help;rm'= {
        }
        &'covet-logs;filters;help;help'= {
        }
        &'covet-logs;history'= {
            cand -n 'Show at most N searches (newest first)'
            cand --lines 'Show at most N searches (newest first)'
            cand --json 'One JSON object per search'
            cand --clear 'Forget every recorded search'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
            cand run 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;history;run'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;history;help'= {
            cand run 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;history;help;run'= {
        }
        &'covet-logs;history;help;help'= {
        }
        &'covet-logs;completions'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;man'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;suggest'= {
            cand --kind 'What the word is'
            cand --path 'Inputs to sample (default: $COVET_LOGS_PATH)'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;formats'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
            cand detect 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;formats;detect'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;formats;help'= {
            cand detect 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;formats;help;detect'= {
        }
        &'covet-logs;formats;help;help'= {
        }
        &'covet-logs;serve'= {
            cand --addr 'Address to listen on. Any address but loopback requires a token. Port 0 picks a free port; the bound address is printed on stderr'
            cand --token-file 'A file whose first line is the access token (at least 16 characters), required as `Authorization: Bearer TOKEN` by every API request (also: COVET_LOGS_TOKEN)'
            cand --format 'Input format (default: detected per input from its first lines)'
            cand -j 'Worker threads (default: all cores)'
            cand --threads 'Worker threads (default: all cores)'
            cand --chunk-size 'Chunk size in bytes for parallel scans (for testing)'
            cand --max-entry-size 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were'
            cand -g 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --glob 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read'
            cand --index 'Use the block index (`covet-logs index`): `auto` reads a fresh one when there is one, `always` builds or refreshes it first, `never` ignores it. Results are the same either way; only what is read differs'
            cand --no-mmap 'Read files with plain reads instead of memory maps'
            cand --debug 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
            cand -L 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --follow-links 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'covet-logs;cluster'= {
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
            cand scheduler 'Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands their tasks to the executors. Prints the address it listens on, on stderr'
            cand executor 'Run an executor: it reads, parses and filters the splits of log files the scheduler gives it (the files must be at the same paths as on the client). Prints the address it listens on, on stderr'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;cluster;scheduler'= {
            cand --bind 'Address to listen on (port 0: any free port)'
            cand --executor-timeout 'Seconds without a word from an executor before it is taken for lost and its tasks run on the others; also how long a query waits for a live executor before it is refused (`no executor alive at the scheduler`). A query whose executors are all lost fails then (`every executor was lost during the query`)'
            cand --unauthenticated 'Allow a `--bind` address other than loopback. Ballista''s services have no authentication and no encryption: only on a private network you trust'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;cluster;executor'= {
            cand --scheduler 'The scheduler''s address'
            cand --bind 'Address to serve results on (port 0: any free port)'
            cand --concurrency 'Tasks run at once (0: one per core)'
            cand --unauthenticated 'Allow a `--bind` address other than loopback. Ballista''s services have no authentication and no encryption: only on a private network you trust'
            cand --no-config 'Ignore config.toml (flags and environment variables still apply), as rg''s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'covet-logs;cluster;help'= {
            cand scheduler 'Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands their tasks to the executors. Prints the address it listens on, on stderr'
            cand executor 'Run an executor: it reads, parses and filters the splits of log files the scheduler gives it (the files must be at the same paths as on the client). Prints the address it listens on, on stderr'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;cluster;help;scheduler'= {
        }
        &'covet-logs;cluster;help;executor'= {
        }
        &'covet-logs;cluster;help;help'= {
        }
        &'covet-logs;help'= {
            cand search 'Find entries matching a query (`covet-logs search ''level:ERROR timeout'' logs/`)'
            cand tail 'Show the last matching entries, and follow new ones with -f'
            cand stats 'Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts'
            cand context 'Show what happened around one entry, correlated by trace, request or user'
            cand export 'Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file'
            cand fields 'Every field in the entries: types, share present, distinct and top values'
            cand index 'Build or refresh the block index of files, so that later queries read only the blocks that may match (kept under $COVET_LOGS_CACHE_DIR, else $XDG_CACHE_HOME/covet-logs, else ~/.cache/covet-logs)'
            cand filters 'Save, list, show and delete named filters for `--filter NAME`'
            cand history 'The last searches (query, time, match count), newest first'
            cand completions 'Print the completion script for a shell (`covet-logs completions bash > ~/.local/share/bash-completion/completions/covet-logs`)'
            cand man 'Print the man page (`covet-logs man | man -l -`)'
            cand suggest 'Suggestions for the completion scripts: field names, values, searches, filters'
            cand formats 'The formats covet-logs reads; `formats detect FILE...` shows what it detects'
            cand serve 'Serve the inputs over HTTP: the REST + WebSocket API and the dashboard (`covet-logs serve logs/`, then open http://127.0.0.1:7878/)'
            cand cluster 'Run an Apache Ballista scheduler or executor for `--engine df://HOST:PORT` (a build with the `cluster` feature)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'covet-logs;help;search'= {
        }
        &'covet-logs;help;tail'= {
        }
        &'covet-logs;help;stats'= {
        }
        &'covet-logs;help;context'= {
        }
        &'covet-logs;help;export'= {
        }
        &'covet-logs;help;fields'= {
        }
        &'covet-logs;help;index'= {
        }
        &'covet-logs;help;filters'= {
            cand save 'Save a query (and optionally a time window) under a name, for `--filter NAME`'
            cand list 'List the saved filters and the built-in presets'
            cand show 'Show one filter'
            cand rm 'Delete a saved filter (built-in presets cannot be deleted)'
        }
        &'covet-logs;help;filters;save'= {
        }
        &'covet-logs;help;filters;list'= {
        }
        &'covet-logs;help;filters;show'= {
        }
        &'covet-logs;help;filters;rm'= {
        }
        &'covet-logs;help;history'= {
            cand run 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in'
        }
        &'covet-logs;help;history;run'= {
        }
        &'covet-logs;help;completions'= {
        }
        &'covet-logs;help;man'= {
        }
        &'covet-logs;help;suggest'= {
        }
        &'covet-logs;help;formats'= {
            cand detect 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries'
        }
        &'covet-logs;help;formats;detect'= {
        }
        &'covet-logs;help;serve'= {
        }
        &'covet-logs;help;cluster'= {
            cand scheduler 'Run a scheduler: it plans the queries of `--engine df://HOST:PORT` and hands their tasks to the executors. Prints the address it listens on, on stderr'
            cand executor 'Run an executor: it reads, parses and filters the splits of log files the scheduler gives it (the files must be at the same paths as on the client). Prints the address it listens on, on stderr'
        }
        &'covet-logs;help;cluster;scheduler'= {
        }
        &'covet-logs;help;cluster;executor'= {
        }
        &'covet-logs;help;help'= {
        }
    ]
    $completions[$command]
}
