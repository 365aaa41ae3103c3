#!/usr/bin/env bash
# The block index (issue 16, part 2) on a generated directory: the second question,
# answered from the index, against the same question read whole and against rg, in
# the same run; build time against one `stats` pass; index size against the data; and
# an indexed lookup at 0.1 GB, 1 GB and the whole directory (the scale rows).
#
# usage: bash benches/index.sh [FILES] [--record]
#
#   FILES     how many files of SIZE (default 10, of 1G: 10 GB)
#   --record  also append a dated section with the results to docs/benchmarks.md
#
# Environment: SIZE (per file, default 1G), DIR (default /tmp/index/bench: the data
# and the cache, removed with KEEP=0 at the end), RUNS (timed runs per row, the median
# is shown; default 5), SEED (default 1), NO_BUILD=1 (use the release binaries as
# they are).
#
# Warm cache: every row runs once untimed first. Counts of every tool must agree, else
# the script exits 1 after the table.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

FILES=10
RECORD=0
ARG="$FILES"
bench_args --record RECORD 2,17 "$@"
FILES="$ARG"
SIZE="${SIZE:-1G}"
DIR="${DIR:-/tmp/index/bench}"
RUNS="${RUNS:-5}"
SEED="${SEED:-1}"
KEEP="${KEEP:-1}"

if [ "${NO_BUILD:-0}" != 1 ]; then
    log "cargo build --release --bins --examples"
    cargo build --release --bins --examples >&2
fi
BIN="$ROOT/target/release/covet-logs"
GEN="$ROOT/target/release/examples/genlogs"

DATA="$DIR/data"
SMALL="$DIR/small"
export COVET_LOGS_CACHE_DIR="$DIR/cache"
mkdir -p "$DATA" "$SMALL"
# Consecutive days, so the files read as one rotated series.
for i in $(seq 1 "$FILES"); do
    f="$DATA/app-$(printf %02d "$i").log"
    if [ ! -s "$f" ]; then
        log "generating $f ($SIZE)"
        "$GEN" --size "$SIZE" --seed "$((SEED + i))" --start "2024-01-$(printf %02d "$((i + 9))")T00:00:00Z" --out "$f"
    fi
done
[ -s "$SMALL/app.log" ] || "$GEN" --size 100M --seed "$SEED" --out "$SMALL/app.log"
MID="$DATA/app-$(printf %02d "$(((FILES + 1) / 2))").log"
ONE="$DATA/app-01.log"
BYTES=$(du -cb "$DATA"/*.log | tail -1 | cut -f1)
GB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e9 }')

# A trace id from the middle of the middle file; a minute of the same file.
# first_trace FILE OFFSET: the first trace id after OFFSET.
first_trace() {
    { tail -c +"$2" "$1" || true; } | grep -m1 -o '"trace_id":"[0-9a-f]*"' | cut -d'"' -f4
}
TRACE=$(first_trace "$MID" $(($(stat -c %s "$MID") / 2)))
DAY=$(head -c 200 "$MID" | grep -o '"timestamp":"[0-9-]*' | cut -d'"' -f4)
# Ten minutes in (a 100 MB file spans about an hour).
SINCE="${DAY}T00:10:00Z"
UNTIL="${DAY}T00:11:00Z"
TRACE_SMALL=$(first_trace "$SMALL/app.log" $(($(stat -c %s "$SMALL/app.log") / 2)))
TRACE_ONE=$(first_trace "$ONE" $(($(stat -c %s "$ONE") / 2)))

# median_ms CMD...: runs CMD once untimed, then RUNS times; prints the median in ms.
median_ms() {
    "$@" >/dev/null 2>&1 || true
    local times=() t0 t1
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

FAIL=0
ROWS=()
# row NAME TARGET_MS COUNT_INDEXED COUNT_WHOLE COUNT_RG MS_INDEXED MS_WHOLE MS_RG
row() {
    local name="$1" target="$2" ci="$3" cw="$4" cr="$5" mi="$6" mw="$7" mr="$8" ok=ok
    if [ "$ci" != "$cw" ] || { [ "$cr" != "-" ] && [ "$cr" != "$ci" ]; }; then
        ok="COUNTS DIFFER"
        FAIL=1
    elif [ "$target" != "-" ] && [ "$mi" -gt "$target" ]; then
        ok="missed (<= $target ms)"
    fi
    ROWS+=("| $name | $ci | $mi ms | $mw ms | $mr | $ok |")
}

# Exit 1 (nothing matched) is a count of 0 here, not a failure of the script.
count() { { "$BIN" "$@" 2>/dev/null || true; } | tail -1; }
rg_count() { rg -c --no-filename "$@" | awk '{ s += $1 } END { print s + 0 }'; }

# Warm: the build and the stats pass it is compared with both read the data from the
# page cache (a part run right after benches/cold.sh would otherwise build cold).
log "reading $GB GB into the page cache"
cat "$DATA"/*.log >/dev/null
log "index: building ($GB GB in $FILES files)"
rm -rf "$COVET_LOGS_CACHE_DIR"
t0=$(date +%s%N)
"$BIN" index "$DATA" >/dev/null
BUILD_MS=$((($(date +%s%N) - t0) / 1000000))
STATS_MS=$(median_ms "$BIN" stats --index never --json "$DATA")
INDEX_BYTES=$(du -cb "$COVET_LOGS_CACHE_DIR"/index/*.idx | tail -1 | cut -f1)
"$BIN" index "$SMALL" >/dev/null

log "queries"
ci=$(count search -c --index auto "trace_id:$TRACE" "$DATA")
cw=$(count search -c --index never "trace_id:$TRACE" "$DATA")
cr=$(rg_count "$TRACE" "$DATA")
row "\`search -c trace_id:ID\`" 50 "$ci" "$cw" "$cr" \
    "$(median_ms "$BIN" search -c --index auto "trace_id:$TRACE" "$DATA")" \
    "$(median_ms "$BIN" search -c --index never "trace_id:$TRACE" "$DATA")" \
    "$(median_ms rg -c "$TRACE" "$DATA") ms"
related() { { "$BIN" context --json --index "$1" --trace "$TRACE" "$DATA" || true; } | grep -o '"related": *[0-9]*' | grep -o '[0-9]*$' || echo 0; }
ci=$(related auto)
cw=$(related never)
row "\`context --trace ID\`" 50 "$ci" "$cw" "$cr" \
    "$(median_ms "$BIN" context --json --index auto --trace "$TRACE" "$DATA")" \
    "$(median_ms "$BIN" context --json --index never --trace "$TRACE" "$DATA")" \
    "(as above)"
Q='level:FATAL service:covet-db'
RGQ='"level":"FATAL","service":"covet-db"'
ci=$(count search -c --index auto "$Q" "$DATA")
cw=$(count search -c --index never "$Q" "$DATA")
cr=$(rg_count -F "$RGQ" "$DATA")
row "\`search -c '$Q'\`" 200 "$ci" "$cw" "$cr" \
    "$(median_ms "$BIN" search -c --index auto "$Q" "$DATA")" \
    "$(median_ms "$BIN" search -c --index never "$Q" "$DATA")" \
    "$(median_ms rg -c -F "$RGQ" "$DATA") ms"
# Every entry's level, from the summaries' tables (no block read) against a full read;
# rg counts the lines (one generated entry per line).
entries_of() { { "$BIN" fields level --json --index "$1" "$DATA" || true; } | grep -o '"entries": *[0-9]*' | head -1 | grep -o '[0-9]*$' || echo 0; }
ci=$(entries_of auto)
cw=$(entries_of never)
cr=$(rg_count '' "$DATA")
row "\`fields level\` (every entry)" - "$ci" "$cw" "$cr" \
    "$(median_ms "$BIN" fields level --index auto "$DATA")" \
    "$(median_ms "$BIN" fields level --index never "$DATA")" \
    "$(median_ms rg -c '' "$DATA") ms"
W=(-q "" --since "$SINCE" --until "$UNTIL")
ci=$(count search -c --index auto "${W[@]}" "$DATA")
cw=$(count search -c --index never "${W[@]}" "$DATA")
row "one minute (\`search -c --since $SINCE --until $UNTIL\`)" 20 "$ci" "$cw" "-" \
    "$(median_ms "$BIN" search -c --index auto "${W[@]}" "$DATA")" \
    "$(median_ms "$BIN" search -c --index never "${W[@]}" "$DATA")" "-"

log "scale"
# Per size: a literal query, a field query, stats (all read whole) and the indexed
# lookup, each with its time per GB: the first three should stay flat per GB, the
# lookup near constant.
SCALE=()
per_gb() { awk -v ms="$1" -v b="$2" 'BEGIN { printf "%d ms (%.2f s/GB)", ms, ms / 1000 / (b / 1e9) }'; }
for pair in "$SMALL/app.log:$TRACE_SMALL" "$ONE:$TRACE_ONE" "$DATA:$TRACE"; do
    IFS=: read -r path id <<<"$pair"
    bytes=$(du -cb "$path" | tail -1 | cut -f1)
    label=$(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }')
    ci=$(count search -c --index auto "trace_id:$id" "$path")
    cw=$(count search -c --index never "trace_id:$id" "$path")
    [ "$ci" = "$cw" ] || FAIL=1
    lit=$(median_ms "$BIN" search -c --index never 'level:ERROR timeout' "$path")
    field=$(median_ms "$BIN" search -c --index never 'duration_ms:>10000' "$path")
    st=$(median_ms "$BIN" stats --index never --json "$path")
    SCALE+=("| $label | $(per_gb "$lit" "$bytes") | $(per_gb "$field" "$bytes") | $(per_gb "$st" "$bytes") | $ci: $(median_ms "$BIN" search -c --index auto "trace_id:$id" "$path") ms | $(median_ms "$BIN" search -c --index never "trace_id:$id" "$path") ms |")
done

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "### Block index, $(date -u +%Y-%m-%d\ %H:%M) UTC: $GB GB in $FILES files, warm cache"
    echo
    echo "$(nproc) cores, load average at the end $LOAD (shared with other builds), median of $RUNS runs after one untimed."
    echo "Trace $TRACE; window $SINCE..$UNTIL."
    echo
    echo "| question | matches | indexed | read whole (\`--index never\`) | rg | target |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "| cost | measured | target |"
    echo "|---|---|---|"
    ratio=$(awk -v a="$BUILD_MS" -v b="$STATS_MS" 'BEGIN { printf "%.2f", a / b }')
    share=$(awk -v a="$INDEX_BYTES" -v b="$BYTES" 'BEGIN { printf "%.2f", 100 * a / b }')
    echo "| \`index\` build | $BUILD_MS ms = ${ratio}x one \`stats\` pass ($STATS_MS ms) | <= 1.2x |"
    echo "| index size | $INDEX_BYTES bytes = ${share}% of the data | <= 3% |"
    echo
    echo "| data | \`search -c 'level:ERROR timeout'\` | \`search -c 'duration_ms:>10000'\` | \`stats --json\` | \`search -c trace_id:ID\` indexed: matches, time | the same read whole |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${SCALE[@]}"
} | tee "$DIR/result.md"

if [ "$RECORD" = 1 ]; then
    { echo; cat "$DIR/result.md"; } >>docs/benchmarks.md
fi
[ "$KEEP" = 1 ] || rm -rf "$DIR"
exit "$FAIL"
