#!/usr/bin/env bash
# Where the time goes on the rows of issue 16 that miss their target: each row's
# command is run once under `perf record` (DWARF call graphs, one scan thread, a build
# with line tables), and two views are printed per row:
#   - steps: the share of the samples spent in each of covet-logs' own functions and
#     the functions inlined into them, callees included ("children"), largest first;
#   - flat: the share spent in each function itself ("self"), largest first.
#
# usage: bash benches/profile.sh [SIZE] [ROW...] [--record]
#
#   SIZE      bytes of generated input per row (default 300M; decimal M/G suffixes)
#   ROW       rows to profile (default all): json stats-json stats-text endpoint
#             export-ndjson export-csv text-access index
#   --record  also append the profiles to docs/benchmarks.md
#
# Environment: TOP (lines per view, default 18), DIR (scratch, default
# /tmp/covet-profile; removed at the end unless KEEP=1).
set -euo pipefail

source "$(dirname "$0")/lib.sh"

RECORD=0
SIZE=300M
ROWS=()
for arg in "$@"; do
    case "$arg" in
        --record) RECORD=1 ;;
        -h | --help)
            sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        [0-9]*) SIZE="$arg" ;;
        -*)
            log "unknown option $arg"
            exit 2
            ;;
        *) ROWS+=("$arg") ;;
    esac
done
[ "${#ROWS[@]}" -gt 0 ] || ROWS=(json stats-json stats-text endpoint export-ndjson export-csv text-access index)
TOP="${TOP:-18}"
DIR="${DIR:-/tmp/covet-profile}"
require_tools perf python3

log "cargo build --release --examples (line tables, target/prof)"
CARGO_TARGET_DIR="$ROOT/target/prof" CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    cargo build --release --bins --examples >&2
BIN="$ROOT/target/prof/release/covet-logs"
GEN="$ROOT/target/prof/release/examples/genlogs"
mkdir -p "$DIR"
export COVET_LOGS_CACHE_DIR="$DIR/cache"

JSON="$DIR/app.json"
TEXT="$DIR/app.text"
ACCESS="$DIR/access.log"
[ -s "$JSON" ] || "$GEN" --size "$SIZE" --seed 42 --out "$JSON"
[ -s "$TEXT" ] || "$GEN" --size "$SIZE" --seed 42 --format text --out "$TEXT"
if [ ! -s "$ACCESS" ]; then
    bytes=$(numfmt --from=si "$SIZE")
    python3 "$ROOT/benches/genformats.py" access "$bytes" "$ACCESS" 42 >/dev/null
fi

# The views below end in `head`, which may close its pipe before perf and awk are done.
set +o pipefail

# The frames that are not a step of covet-logs: the thread pool, std, the allocator,
# closures and generic plumbing, kernel entry points.
NOISE='^0x|rayon|std::|core::|alloc::|catch_unwind|call_once|closure|do_call|helper|consume_iter|fold_with|kallsyms|\[k\]|^(main|_start|clone3|start_thread|run|execute|next|map|call|call_mut|halt_unwinding|wait_until_cold|wait_until_out_of_work|main_loop|dispatch|memchr|memchr_raw|search_slice_with_raw.*|find|find_raw.*|__libc.*|__rust.*|\{.*)( \(inlined\))?$'

# profile NAME CMD...: records CMD (its stdout to /dev/null through a pipe) and prints
# both views.
profile() {
    local name="$1"
    shift
    local data="$DIR/$name.perf" shown="$*"
    shown="${shown#"$BIN "}"
    log "profiling $name: $*"
    cat "$JSON" "$TEXT" "$ACCESS" >/dev/null
    perf record -q -F 1999 --call-graph dwarf,16384 -o "$data" -- "$@" 2>/dev/null | cat >/dev/null
    echo "#### \`covet-logs ${shown//"$DIR"/DIR}\` (${name})"
    echo
    echo "Steps (callees included), share of all samples:"
    echo
    echo '```'
    perf report -i "$data" --children --stdio -g none --percent-limit 1 2>/dev/null |
        grep -E '^ +[0-9]' |
        awk '{ c = $1; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print c "\t" $0 }' |
        awk -F'\t' -v noise="$NOISE" '$2 !~ noise && !seen[$2]++' |
        head -n "$TOP" | cut -c1-120
    echo '```'
    echo
    echo "Flat (self), share of all samples:"
    echo
    echo '```'
    perf report -i "$data" --no-children --stdio -g none --percent-limit 0.5 2>/dev/null |
        grep -E '^ +[0-9]' |
        awk '{ s = $1; k = $4; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print s "\t" (k == "[k]" ? "(kernel) " : "") $0 }' |
        head -n "$TOP" | cut -c1-120
    echo '```'
    echo
    rm -f "$data"
}

OUT="$DIR/profiles.md"
{
    echo "### Where the time goes: the missed rows (\`bash benches/profile.sh $SIZE\`), $(date -u +%Y-%m-%d\ %H:%M) UTC"
    echo
    echo "One scan thread (\`-j 1\`), $SIZE of generated input each, in the page cache; a release"
    echo "build with line tables. \"Steps\" include what a function calls (so they nest and"
    echo "do not add up); \"flat\" is each function's own time."
    echo
    for row in "${ROWS[@]}"; do
        case "$row" in
            json) profile json "$BIN" search --json -j 1 level:ERROR "$JSON" ;;
            stats-json) profile stats-json "$BIN" stats --json -j 1 "$JSON" ;;
            stats-text) profile stats-text "$BIN" stats --json -j 1 "$TEXT" ;;
            endpoint) profile endpoint "$BIN" search -c -j 1 'metadata.endpoint:/api/*' "$JSON" ;;
            export-ndjson) profile export-ndjson "$BIN" export --format ndjson -j 1 "$JSON" ;;
            export-csv) profile export-csv "$BIN" export --format csv -j 1 "$JSON" ;;
            text-access) profile text-access "$BIN" search -c -j 1 'status:>=500' "$ACCESS" ;;
            index)
                rm -rf "$COVET_LOGS_CACHE_DIR"
                profile index "$BIN" index -j 1 "$JSON"
                ;;
            *)
                log "unknown row $row"
                exit 2
                ;;
        esac
    done
} | tee "$OUT"

if [ "$RECORD" = 1 ]; then
    { echo; cat "$OUT"; } >>docs/benchmarks.md
fi
[ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
