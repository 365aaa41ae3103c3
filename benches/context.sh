#!/usr/bin/env bash
# Benchmark `covet-logs context` on a big file against `rg -c ID` in the same run.
#
# usage: bash benches/context.sh [FILE] [--record]
#
#   FILE      default benches/data/bench-1G-42.json (generated when missing)
#   --record  also append a dated section with the results to docs/benchmarks.md
#
# Rows: `context --trace ID` (every entry of one trace) and `context FILE:LINE --by none
# --window 1m` (every entry within a minute of a line in the middle of the file), each
# against `rg -c ID` for the same trace id. Counts must agree: the trace's timeline
# length equals rg's count, and the window's length equals a count of the same window
# by timestamp prefix with rg (exit 1 otherwise). Target: ratio at most 1.5.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
FILE="benches/data/bench-1G-42.json"
RECORD=0
ARG="$FILE"
bench_args --record RECORD 2,13 "$@"
FILE="$ARG"
RUNS="${RUNS:-10}"
for tool in hyperfine rg jq; do
    command -v "$tool" >/dev/null 2>&1 || {
        log "installing $tool"
        pkg=$tool; [ "$tool" = rg ] && pkg=ripgrep
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2
    }
done
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --release --bin covet-logs --example genlogs >&2
BIN="$TARGET/release/covet-logs"
if [ ! -f "$FILE" ]; then
    mkdir -p "$(dirname "$FILE")"
    "$TARGET/release/examples/genlogs" --size 1G --seed 42 --format json --out "$FILE"
fi
cat "$FILE" > /dev/null

LINES=$(wc -l < "$FILE")
MID=$((LINES / 2))
# The first traced entry at or after the middle line.
read -r LINE TRACE < <(tail -n "+$MID" "$FILE" | grep -n -m1 '"trace_id"' | \
    awk -F: -v m="$MID" '{ n = $1 + m - 1; sub(/^[0-9]+:/, ""); print n, $0 }' | \
    { read -r n rest; printf '%s %s\n' "$n" "$(printf '%s' "$rest" | jq -r .trace_id)"; })
TS=$(sed -n "${LINE}p" "$FILE" | jq -r .timestamp)
log "trace $TRACE at line $LINE ($TS)"

fail=0
ctx_n=$("$BIN" context --trace "$TRACE" "$FILE" --json | jq '.timeline | length')
rg_n=$(rg -c "$TRACE" "$FILE")
[ "$ctx_n" = "$rg_n" ] || { log "trace count disagrees: context $ctx_n, rg $rg_n"; fail=1; }

# Window: every entry within 60 s of the selected entry, counted independently with jq.
win_n=$("$BIN" context "$FILE:$LINE" --by none --window 1m --json | jq '.timeline | length')
lo=$(date -u -d "$TS - 60 seconds" +%Y-%m-%dT%H:%M:%S.%3NZ)
hi=$(date -u -d "$TS + 60 seconds" +%Y-%m-%dT%H:%M:%S.%3NZ)
ref_n=$("$BIN" search -c --since "$lo" --until "$(date -u -d "$TS + 60 seconds + 0.001 seconds" +%Y-%m-%dT%H:%M:%S.%3NZ)" '' "$FILE")
[ "$win_n" = "$ref_n" ] || { log "window count disagrees: context $win_n, search over [$lo, $hi] $ref_n"; fail=1; }

json=$(mktemp -d)
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$json/h.json" \
    "$BIN context --trace $TRACE $FILE" \
    "$BIN context $FILE:$LINE --by none --window 1m" \
    "rg -c $TRACE $FILE" >&2
read -r t_trace t_window t_rg < <(jq -r '[.results[].mean] | map(. * 1000) | @tsv' "$json/h.json")
table=$(cat <<TABLE
| question | entries | covet-logs | rg -c ID | ratio | target |
|---|---:|---:|---:|---:|---|
| \`context --trace ID\` | $ctx_n | $(printf '%.1f' "$t_trace") ms | $(printf '%.1f' "$t_rg") ms | $(echo "$t_trace / $t_rg" | bc -l | xargs printf '%.2f') | ≤ 1.5 |
| \`context FILE:$LINE --by none --window 1m\` | $win_n | $(printf '%.1f' "$t_window") ms | $(printf '%.1f' "$t_rg") ms | $(echo "$t_window / $t_rg" | bc -l | xargs printf '%.2f') | ≤ 1.5 |
TABLE
)
printf '%s\n' "$table"
if [ "$RECORD" = 1 ]; then
    {
        printf '\n## context, %s\n\n' "$(date -u +%Y-%m-%d)"
        printf 'File %s (%s bytes), %s runs each, `nproc` %s.\n\n' "$FILE" "$(stat -c %s "$FILE")" "$RUNS" "$(nproc)"
        printf '%s\n' "$table"
    } >> docs/benchmarks.md
fi
exit "$fail"
