# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_covet_logs_global_optspecs
    string join \n no-config h/help V/version
end

function __fish_covet_logs_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_covet_logs_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_covet_logs_using_subcommand
    set -l cmd (__fish_covet_logs_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c covet-logs -n "__fish_covet_logs_needs_command" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -s V -l version -d 'Print version'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "search" -d 'Find entries matching a query (`covet-logs search \'level:ERROR timeout\' logs/`)'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "tail" -d 'Show the last matching entries, and follow new ones with -f'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "stats" -d 'Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "context" -d 'Show what happened around one entry, correlated by trace, request or user'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "export" -d 'Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "fields" -d 'Every field in the entries: types, share present, distinct and top values'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "filters" -d 'Save, list, show and delete named filters for `--filter NAME`'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "history" -d 'The last searches (query, time, match count), newest first'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "completions" -d 'Print the completion script for a shell (`covet-logs completions bash > ~/.local/share/bash-completion/completions/covet-logs`)'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "man" -d 'Print the man page (`covet-logs man | man -l -`)'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "suggest" -d 'Suggestions for the completion scripts: field names, values, searches, filters'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "formats" -d 'The formats covet-logs reads; `formats detect FILE...` shows what it detects'
complete -c covet-logs -n "__fish_covet_logs_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s q -l query -d 'The query as an option (`-q \'level:>=WARN service:covet-db\'`)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l filter -d 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s l -l level -d 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l service -d 'Only these services (wildcards `*` and `?` allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l source -d 'Only these sources (wildcards allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l since -d 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l until -d 'Entries before this time (same forms as --since)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l tz -d 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l format -d 'Input format (default: detected per input from its first lines)' -r -f -a "auto\t''
json\t''
logfmt\t''
covet\t''
text\t''
plain\t''
docker\t''
cri\t''
compose\t''
cee\t''
syslog5424\t''
access\t''
apache-error\t''
nginx-error\t''
klog\t''
semantic_logger\t''
rails\t''
nlog\t''
nlog-csv\t''
zerolog\t''
gin\t''
gin-debug\t''
log4rs\t''
winston\t''
winston-printf\t''
winston-label\t''
pino-pretty\t''
calico\t''
hclog\t''
logrus\t''
env_logger\t''
tracing\t''
loguru\t''
structlog\t''
python\t''
python-basic\t''
ruby\t''
kafka\t''
spdlog\t''
serilog\t''
logback\t''
spring-boot\t''
syslog-level\t''
pipes\t''
log4j-zookeeper\t''
log4j\t''
log4j-thread-last\t''
log4j-short\t''
jul\t''
cri\t''
journald-iso\t''
syslog\t''
serilog-file\t''
monolog\t''
logcat\t''
oslo\t''
cbs\t''
zap\t''
compose\t''
bgl\t''
thunderbird\t''
healthapp\t''
proxifier\t''
vdsm\t''
mysql-slow\t''
go-log\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s j -l threads -d 'Worker threads (default: all cores)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l chunk-size -d 'Chunk size in bytes for parallel scans (for testing)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l max-entry-size -d 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s g -l glob -d 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l paging -d 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`' -r -f -a "auto\t'Through the pager when stdout is a terminal and not following'
always\t'Through the pager unless following'
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l time-format -d 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s e -l regexp -d 'A query to match (repeatable: entries matching any). With -e, every positional is a path, as in rg' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s m -l max-count -d 'Stop after N matching entries' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s A -l after-context -d 'Show N entries after each match (multi-line entries count as one)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s B -l before-context -d 'Show N entries before each match' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s C -l context -d 'Show N entries before and after each match' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s s -l case-sensitive -d 'Match case exactly (default: ignore case)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l regex -d 'Bare words are regular expressions'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l no-mmap -d 'Read files with plain reads instead of memory maps'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l debug -d 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s L -l follow-links -d 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l json -d 'One JSON object per entry (the LogEntry shape plus file and line)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l raw -d 'Print the original text even on a terminal'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s x -l expand -d 'Show each entry\'s metadata as indented JSON under it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l local -d 'Show times in local time instead of UTC'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l utc -d 'Show times in UTC (the default; overrides an earlier --local)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s i -l ignore-case -d 'Ignore case (already the default; accepted for rg\'s habit). -s matches case'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s v -l invert-match -d 'Entries that do NOT match the query (the --level, --since... flags still apply)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s w -l word-regexp -d 'Words match only whole words (`err` does not match `error`)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s F -l fixed-strings -d 'The query is one literal string, not query syntax (`-F \'a(b\'`)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s n -l line-number -d 'Prefix each line with its line number (piped output; the terminal view shows FILE:LINE permalinks already)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s N -l no-line-number -d 'No line numbers (the default when piped)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s H -l with-filename -d 'Prefix each entry with its file name (the default with several inputs)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l no-filename -d 'Never prefix entries with their file name'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s o -l only-matching -d 'Print only the matched parts of each entry, one per line'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l files -d 'List the files that would be searched, one per line, and exit'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l stats -d 'After the results, a summary line on stderr (entries matched, read, files, time); printed on a terminal anyway'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s c -l count -d 'Print a count of matching entries instead of the entries'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l newest-first -d 'Newest entries first'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s f -l follow -d 'After searching, keep following the files and print new matching entries as they are appended (as `tail -f`)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l no-status -d 'With --follow: no status line on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l no-history -d 'Do not record this search in the history (also: COVET_LOGS_NO_HISTORY=1)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s n -l lines -d 'How many of the last matching entries to show (a multi-line entry counts once)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s q -l query -d 'The query as an option (`-q \'level:>=WARN service:covet-db\'`)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l filter -d 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s l -l level -d 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l service -d 'Only these services (wildcards `*` and `?` allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l source -d 'Only these sources (wildcards allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l since -d 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l until -d 'Entries before this time (same forms as --since)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l tz -d 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l format -d 'Input format (default: detected per input from its first lines)' -r -f -a "auto\t''
json\t''
logfmt\t''
covet\t''
text\t''
plain\t''
docker\t''
cri\t''
compose\t''
cee\t''
syslog5424\t''
access\t''
apache-error\t''
nginx-error\t''
klog\t''
semantic_logger\t''
rails\t''
nlog\t''
nlog-csv\t''
zerolog\t''
gin\t''
gin-debug\t''
log4rs\t''
winston\t''
winston-printf\t''
winston-label\t''
pino-pretty\t''
calico\t''
hclog\t''
logrus\t''
env_logger\t''
tracing\t''
loguru\t''
structlog\t''
python\t''
python-basic\t''
ruby\t''
kafka\t''
spdlog\t''
serilog\t''
logback\t''
spring-boot\t''
syslog-level\t''
pipes\t''
log4j-zookeeper\t''
log4j\t''
log4j-thread-last\t''
log4j-short\t''
jul\t''
cri\t''
journald-iso\t''
syslog\t''
serilog-file\t''
monolog\t''
logcat\t''
oslo\t''
cbs\t''
zap\t''
compose\t''
bgl\t''
thunderbird\t''
healthapp\t''
proxifier\t''
vdsm\t''
mysql-slow\t''
go-log\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s j -l threads -d 'Worker threads (default: all cores)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l chunk-size -d 'Chunk size in bytes for parallel scans (for testing)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l max-entry-size -d 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s g -l glob -d 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l paging -d 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`' -r -f -a "auto\t'Through the pager when stdout is a terminal and not following'
always\t'Through the pager unless following'
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l time-format -d 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s f -l follow -d 'Keep running and print new matching entries as they are appended. Files are followed by name: rotation, truncation and re-creation are handled'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l newest-first -d 'Newest entries first (not with --follow)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l no-status -d 'Do not show the status line on stderr while following'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s s -l case-sensitive -d 'Match case exactly (default: ignore case)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l regex -d 'Bare words are regular expressions'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l no-mmap -d 'Read files with plain reads instead of memory maps'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l debug -d 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s L -l follow-links -d 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l json -d 'One JSON object per entry (the LogEntry shape plus file and line)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l raw -d 'Print the original text even on a terminal'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s x -l expand -d 'Show each entry\'s metadata as indented JSON under it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l local -d 'Show times in local time instead of UTC'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l utc -d 'Show times in UTC (the default; overrides an earlier --local)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s q -l query -d 'The query as an option (`-q \'level:>=WARN service:covet-db\'`)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l filter -d 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s l -l level -d 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l service -d 'Only these services (wildcards `*` and `?` allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l source -d 'Only these sources (wildcards allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l since -d 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l until -d 'Entries before this time (same forms as --since)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l tz -d 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l format -d 'Input format (default: detected per input from its first lines)' -r -f -a "auto\t''
json\t''
logfmt\t''
covet\t''
text\t''
plain\t''
docker\t''
cri\t''
compose\t''
cee\t''
syslog5424\t''
access\t''
apache-error\t''
nginx-error\t''
klog\t''
semantic_logger\t''
rails\t''
nlog\t''
nlog-csv\t''
zerolog\t''
gin\t''
gin-debug\t''
log4rs\t''
winston\t''
winston-printf\t''
winston-label\t''
pino-pretty\t''
calico\t''
hclog\t''
logrus\t''
env_logger\t''
tracing\t''
loguru\t''
structlog\t''
python\t''
python-basic\t''
ruby\t''
kafka\t''
spdlog\t''
serilog\t''
logback\t''
spring-boot\t''
syslog-level\t''
pipes\t''
log4j-zookeeper\t''
log4j\t''
log4j-thread-last\t''
log4j-short\t''
jul\t''
cri\t''
journald-iso\t''
syslog\t''
serilog-file\t''
monolog\t''
logcat\t''
oslo\t''
cbs\t''
zap\t''
compose\t''
bgl\t''
thunderbird\t''
healthapp\t''
proxifier\t''
vdsm\t''
mysql-slow\t''
go-log\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s j -l threads -d 'Worker threads (default: all cores)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l chunk-size -d 'Chunk size in bytes for parallel scans (for testing)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l max-entry-size -d 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s g -l glob -d 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l paging -d 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`' -r -f -a "auto\t'Through the pager when stdout is a terminal and not following'
always\t'Through the pager unless following'
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l time-format -d 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l interval -d 'Volume bucket width (`30s`, `1m`, `1h`, `1d`; default: about 40-60 buckets)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l by -d 'Add a breakdown by this field (`user_id`, `metadata.endpoint`, ...; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l top -d 'Rows per breakdown and number of error templates shown' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l value -d 'A numeric field (`duration_ms`): count, min, mean, p50, p95, p99 and max per group' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l alert -d 'Alert rule, e.g. `error_rate > 5%`, `count(level:FATAL) > 0`, `rate < 10/s` (repeatable). Exit 1 when any fires, 0 when none does' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l width -d 'Lay the dashboard out for this many columns (default: the terminal\'s)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l height -d 'Lay the dashboard out for this many rows (default: the terminal\'s; piped: full)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l warn-rate -d 'Error rate (percent) from which the card turns amber' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l crit-rate -d 'Error rate (percent) from which the card turns red' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l min-confidence -d 'Report an insight only at this confidence (percent, 0-100) or more; on calm data a report holds any insight with chance at most 100 - PCT percent' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s s -l case-sensitive -d 'Match case exactly (default: ignore case)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l regex -d 'Bare words are regular expressions'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l no-mmap -d 'Read files with plain reads instead of memory maps'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l debug -d 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s L -l follow-links -d 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l json -d 'The report as one JSON object (the LogAnalytics shape plus breakdowns, templates and alerts)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l local -d 'Show times in local time instead of UTC'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l utc -d 'Show times in UTC (the default; overrides an earlier --local)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s f -l follow -d 'Keep following the inputs and redraw about once a second (on a terminal; when piped, print one JSON snapshot per second in which something changed)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l full -d 'The whole dashboard (every breakdown, template times, insight actions) even on a terminal, where it is otherwise fitted to the screen'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l trace -d 'Every entry of this trace id (no entry needs to be selected)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l request -d 'Every entry of this request id' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l user -d 'Every entry of this user id' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l by -d 'The correlation key (default: trace when the entry has a trace id, else request, else user, else none: every entry in the window)' -r -f -a "trace\t''
request\t''
user\t''
none\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l filter -d 'Only related entries that also match this saved filter (`covet-logs filters list`); repeatable, ANDed' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l window -d 'How far before and after the selected entry to look: `1m`, `5m`, `15m`, `1h`... (default 5m; for an entry without trace, request or user id, the 20 entries before and after it within 30s, unless --window or --by is given)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s A -l after-context -d 'Show N entries after the selected one in its own file' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s B -l before-context -d 'Show N entries before the selected one in its own file' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s C -l context -d 'Show N entries before and after the selected one in its own file' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l format -d 'Output layout' -r -f -a "text\t'A timeline and a summary for the terminal'
md\t'Markdown, ready to paste into a bug report'"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l input-format -d 'Input format (default: detected per input)' -r -f -a "auto\t''
json\t''
logfmt\t''
covet\t''
text\t''
plain\t''
docker\t''
cri\t''
compose\t''
cee\t''
syslog5424\t''
access\t''
apache-error\t''
nginx-error\t''
klog\t''
semantic_logger\t''
rails\t''
nlog\t''
nlog-csv\t''
zerolog\t''
gin\t''
gin-debug\t''
log4rs\t''
winston\t''
winston-printf\t''
winston-label\t''
pino-pretty\t''
calico\t''
hclog\t''
logrus\t''
env_logger\t''
tracing\t''
loguru\t''
structlog\t''
python\t''
python-basic\t''
ruby\t''
kafka\t''
spdlog\t''
serilog\t''
logback\t''
spring-boot\t''
syslog-level\t''
pipes\t''
log4j-zookeeper\t''
log4j\t''
log4j-thread-last\t''
log4j-short\t''
jul\t''
cri\t''
journald-iso\t''
syslog\t''
serilog-file\t''
monolog\t''
logcat\t''
oslo\t''
cbs\t''
zap\t''
compose\t''
bgl\t''
thunderbird\t''
healthapp\t''
proxifier\t''
vdsm\t''
mysql-slow\t''
go-log\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l tz -d 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l color -d 'When to use colors' -r -f -a "auto\t''
always\t''
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l paging -d 'Page long output through `less -RFX` (or $COVET_LOGS_PAGER, $PAGER): `auto` on a terminal when not following, `always`, `never`' -r -f -a "auto\t'Through the pager when stdout is a terminal and not following'
always\t'Through the pager unless following'
never\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l time-format -d 'How times are shown on the terminal (entries, dashboard, timeline), as strftime: `%H:%M:%S%.3f`, `%b %d %T`, `%s` (default `%Y-%m-%d %H:%M:%S%.3f`). JSON keeps RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s j -l threads -d 'Worker threads (default: all cores)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l chunk-size -d 'Chunk size in bytes for parallel scans (for testing)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l max-entry-size -d 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s g -l glob -d 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l json -d 'One JSON document: the selected entry, the timeline and the summary'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l local -d 'Show times in local time instead of UTC'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l utc -d 'Show times in UTC (the default; overrides an earlier --local)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l no-mmap -d 'Read files with plain reads instead of memory maps'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l debug -d 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s L -l follow-links -d 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l format -d 'Output format. (The input format is `--input-format` here.)' -r -f -a "json\t'One JSON array of LogEntry objects'
ndjson\t'One LogEntry object per line (the same objects as `search --json`)'
csv\t'A header row, then one row per entry; metadata flattened to dotted columns'
txt\t'The terminal layout without color'
raw\t'The original text of each entry'"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s o -l output -d 'Write to FILE (atomically: a temporary file beside it, renamed into place only when the export succeeds). Default: stdout' -r -F
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l fields -d 'Columns (csv) or keys (json, ndjson), comma-separated: `timestamp,level,message, metadata.duration_ms`. Default: every LogEntry field, metadata flattened (csv)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s q -l query -d 'The query as an option (`-q \'level:>=WARN service:covet-db\'`)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l filter -d 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s l -l level -d 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l service -d 'Only these services (wildcards `*` and `?` allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l source -d 'Only these sources (wildcards allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l since -d 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l until -d 'Entries before this time (same forms as --since)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l tz -d 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l input-format -d 'Input format (default: detected per input from its first lines)' -r -f -a "auto\t''
json\t''
logfmt\t''
covet\t''
text\t''
plain\t''
docker\t''
cri\t''
compose\t''
cee\t''
syslog5424\t''
access\t''
apache-error\t''
nginx-error\t''
klog\t''
semantic_logger\t''
rails\t''
nlog\t''
nlog-csv\t''
zerolog\t''
gin\t''
gin-debug\t''
log4rs\t''
winston\t''
winston-printf\t''
winston-label\t''
pino-pretty\t''
calico\t''
hclog\t''
logrus\t''
env_logger\t''
tracing\t''
loguru\t''
structlog\t''
python\t''
python-basic\t''
ruby\t''
kafka\t''
spdlog\t''
serilog\t''
logback\t''
spring-boot\t''
syslog-level\t''
pipes\t''
log4j-zookeeper\t''
log4j\t''
log4j-thread-last\t''
log4j-short\t''
jul\t''
cri\t''
journald-iso\t''
syslog\t''
serilog-file\t''
monolog\t''
logcat\t''
oslo\t''
cbs\t''
zap\t''
compose\t''
bgl\t''
thunderbird\t''
healthapp\t''
proxifier\t''
vdsm\t''
mysql-slow\t''
go-log\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s j -l threads -d 'Worker threads (default: all cores)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l chunk-size -d 'Chunk size in bytes for parallel scans (for testing)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l max-entry-size -d 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s g -l glob -d 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l no-progress -d 'No progress bar, even on a terminal'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s s -l case-sensitive -d 'Match case exactly (default: ignore case)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l regex -d 'Bare words are regular expressions'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l no-mmap -d 'Read files with plain reads instead of memory maps'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l debug -d 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s L -l follow-links -d 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s n -l top -d 'How many top values to show (default 5, or 20 for one field)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s q -l query -d 'The query as an option (`-q \'level:>=WARN service:covet-db\'`)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l filter -d 'Apply a saved filter (`covet-logs filters list`), ANDed with the query and the other flags; repeat to apply several. Built in: `errors`, `warnings`, `slow`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s l -l level -d 'Only these levels: `ERROR`, `>=WARN`, `DEBUG..INFO` (repeat to allow several)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l service -d 'Only these services (wildcards `*` and `?` allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l source -d 'Only these sources (wildcards allowed; repeatable)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l since -d 'Entries at or after this time: `15m`, `2h`, `3d`, `today`, `yesterday`, `2024-01-15`, `2024-01-15T14:00`, RFC 3339' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l until -d 'Entries before this time (same forms as --since)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l tz -d 'Time zone of timestamps that carry no offset: `UTC` (default), `local`, `+05:30`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l format -d 'Input format (default: detected per input from its first lines)' -r -f -a "auto\t''
json\t''
logfmt\t''
covet\t''
text\t''
plain\t''
docker\t''
cri\t''
compose\t''
cee\t''
syslog5424\t''
access\t''
apache-error\t''
nginx-error\t''
klog\t''
semantic_logger\t''
rails\t''
nlog\t''
nlog-csv\t''
zerolog\t''
gin\t''
gin-debug\t''
log4rs\t''
winston\t''
winston-printf\t''
winston-label\t''
pino-pretty\t''
calico\t''
hclog\t''
logrus\t''
env_logger\t''
tracing\t''
loguru\t''
structlog\t''
python\t''
python-basic\t''
ruby\t''
kafka\t''
spdlog\t''
serilog\t''
logback\t''
spring-boot\t''
syslog-level\t''
pipes\t''
log4j-zookeeper\t''
log4j\t''
log4j-thread-last\t''
log4j-short\t''
jul\t''
cri\t''
journald-iso\t''
syslog\t''
serilog-file\t''
monolog\t''
logcat\t''
oslo\t''
cbs\t''
zap\t''
compose\t''
bgl\t''
thunderbird\t''
healthapp\t''
proxifier\t''
vdsm\t''
mysql-slow\t''
go-log\t''"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s j -l threads -d 'Worker threads (default: all cores)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l chunk-size -d 'Chunk size in bytes for parallel scans (for testing)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l max-entry-size -d 'Longest entry kept whole (e.g. 64M, 512K, 1G; default 64M): a longer one is split into pieces of this size, and a notice on stderr says how many were' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s g -l glob -d 'Only files whose path matches this glob, inside walked directories (repeatable; `!GLOB` excludes). Files named as arguments are always read' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l json -d 'One JSON document instead of the table'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s s -l case-sensitive -d 'Match case exactly (default: ignore case)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l regex -d 'Bare words are regular expressions'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l no-mmap -d 'Read files with plain reads instead of memory maps'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l debug -d 'Show strategy decisions (format detected, prefilter, chunks) on stderr'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s L -l follow-links -d 'Follow symbolic links inside directories (links named as arguments are always followed). Each file is read once, however many links lead to it'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand fields" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -f -a "save" -d 'Save a query (and optionally a time window) under a name, for `--filter NAME`'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -f -a "list" -d 'List the saved filters and the built-in presets'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -f -a "show" -d 'Show one filter'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -f -a "rm" -d 'Delete a saved filter (built-in presets cannot be deleted)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and not __fish_seen_subcommand_from save list show rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from save" -l since -d 'Entries at or after this time, resolved when the filter is used (`1h` means the last hour at that moment)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from save" -l until -d 'Entries before this time, resolved when the filter is used' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from save" -l description -d 'A description shown by `filters list`' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from save" -l force -d 'Replace a saved filter of the same name'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from save" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from list" -l json -d 'One JSON object per filter'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from list" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from show" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from rm" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save a query (and optionally a time window) under a name, for `--filter NAME`'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the saved filters and the built-in presets'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one filter'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a saved filter (built-in presets cannot be deleted)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand filters; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -s n -l lines -d 'Show at most N searches (newest first)' -r
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -l json -d 'One JSON object per search'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -l clear -d 'Forget every recorded search'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -f -a "run" -d 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and not __fish_seen_subcommand_from run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and __fish_seen_subcommand_from run" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand completions" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand completions" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand man" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand man" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand suggest" -l kind -d 'What the word is' -r -f -a "query\t'A query word: field names, `field:` values, recent searches'
filter\t'A saved filter name'"
complete -c covet-logs -n "__fish_covet_logs_using_subcommand suggest" -l path -d 'Inputs to sample (default: $COVET_LOGS_PATH)' -r -F
complete -c covet-logs -n "__fish_covet_logs_using_subcommand suggest" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand suggest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and not __fish_seen_subcommand_from detect help" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and not __fish_seen_subcommand_from detect help" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and not __fish_seen_subcommand_from detect help" -f -a "detect" -d 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and not __fish_seen_subcommand_from detect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and __fish_seen_subcommand_from detect" -l no-config -d 'Ignore config.toml (flags and environment variables still apply), as rg\'s --no-config. Read before the other flags (main.rs), since the file sets their defaults'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and __fish_seen_subcommand_from detect" -s h -l help -d 'Print help'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and __fish_seen_subcommand_from help" -f -a "detect" -d 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand formats; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "search" -d 'Find entries matching a query (`covet-logs search \'level:ERROR timeout\' logs/`)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "tail" -d 'Show the last matching entries, and follow new ones with -f'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "stats" -d 'Summarize logs: counts, rates, volume, breakdowns, top errors, insights, alerts'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "context" -d 'Show what happened around one entry, correlated by trace, request or user'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "export" -d 'Write matching entries as JSON, NDJSON, CSV or text, to stdout or a file'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "fields" -d 'Every field in the entries: types, share present, distinct and top values'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "filters" -d 'Save, list, show and delete named filters for `--filter NAME`'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "history" -d 'The last searches (query, time, match count), newest first'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "completions" -d 'Print the completion script for a shell (`covet-logs completions bash > ~/.local/share/bash-completion/completions/covet-logs`)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "man" -d 'Print the man page (`covet-logs man | man -l -`)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "suggest" -d 'Suggestions for the completion scripts: field names, values, searches, filters'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "formats" -d 'The formats covet-logs reads; `formats detect FILE...` shows what it detects'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and not __fish_seen_subcommand_from search tail stats context export fields filters history completions man suggest formats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and __fish_seen_subcommand_from filters" -f -a "save" -d 'Save a query (and optionally a time window) under a name, for `--filter NAME`'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and __fish_seen_subcommand_from filters" -f -a "list" -d 'List the saved filters and the built-in presets'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and __fish_seen_subcommand_from filters" -f -a "show" -d 'Show one filter'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and __fish_seen_subcommand_from filters" -f -a "rm" -d 'Delete a saved filter (built-in presets cannot be deleted)'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "run" -d 'Run search N of the listing again (1 is the newest), with its paths and flags, in the directory it ran in'
complete -c covet-logs -n "__fish_covet_logs_using_subcommand help; and __fish_seen_subcommand_from formats" -f -a "detect" -d 'Say which format each file was detected as, the share of sampled lines it read, and two parsed sample entries'

# covet-logs: query and --filter suggestions from `covet-logs suggest`.
complete -c covet-logs -n "__fish_seen_subcommand_from search tail stats export; and string match -q -- '*:*' (commandline -ct)" -f -a "(covet-logs suggest --kind query -- (commandline -ct) 2>/dev/null)"
complete -c covet-logs -n "__fish_seen_subcommand_from search tail stats export; and not string match -q -- '-*' (commandline -ct); and not string match -q -- '*:*' (commandline -ct)" -a "(covet-logs suggest --kind query -- (commandline -ct) 2>/dev/null)"
complete -c covet-logs -l filter -x -a "(covet-logs suggest --kind filter -- (commandline -ct) 2>/dev/null)"
