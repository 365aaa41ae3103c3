#!/usr/bin/env bash
# Benchmark `covet-logs stats` (every card, volume, breakdowns, templates, insights) on
# generated JSON lines, check its counts, and time jq on one count-by-level for scale.
#
# usage: bash benches/stats.sh [SIZE]        (default 1G; K/M/G suffixes)
#
# Environment: SEED (default 42), RUNS (default 5), SKIP_JQ=1 to skip the jq baseline
# (about a minute per GiB), CARGO_TARGET_DIR as for cargo.
#
# Checks (exit 1 when one fails): totalLogs equals the file's line count, and the count
# of each level equals ripgrep's count of `"level":"LEVEL"` (the generator writes that
# spelling once per line). Reports wall time, user CPU and peak RSS of the mapped run,
# and the peak RSS of `cat FILE | covet-logs stats` (target: under 128 MiB).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SIZE="${1:-1G}"
SEED="${SEED:-42}"
RUNS="${RUNS:-5}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET/release/covet-logs"
GEN="$TARGET/release/examples/genlogs"
DATA="benches/data/bench-$SIZE-$SEED.json"

log() { printf 'stats.sh: %s\n' "$*" >&2; }

cargo build --release --bin covet-logs --example genlogs >&2
mkdir -p benches/data
if [ ! -s "$DATA" ]; then
    log "generating $DATA"
    "$GEN" --size "$SIZE" --seed "$SEED" --format json --out "$DATA"
fi
log "warming the page cache"
cat "$DATA" >/dev/null

json=$(mktemp)
trap 'rm -f "$json"' EXIT
"$BIN" stats --json "$DATA" >"$json"
fail=0
lines=$(wc -l <"$DATA")
total=$(jq .totalLogs "$json")
if [ "$total" != "$lines" ]; then
    log "FAIL totalLogs $total != $lines lines"
    fail=1
fi
for level in DEBUG INFO WARN ERROR FATAL; do
    want=$(rg -c "\"level\":\"$level\"" "$DATA" || echo 0)
    got=$(jq "[.levelBreakdown[] | select(.name == \"$level\") | .value] | add // 0" "$json")
    if [ "$want" != "$got" ]; then
        log "FAIL $level: stats $got, rg $want"
        fail=1
    fi
done
insights=$(jq '.insights | length' "$json")
log "totalLogs $total, $insights insight(s), counts checked"

echo "## stats on $(du -h "$DATA" | cut -f1) ($lines entries), $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo '```'
for i in $(seq "$RUNS"); do
    /usr/bin/time -f "stats FILE: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
        "$BIN" stats "$DATA" >/dev/null
done 2>&1
/usr/bin/time -f "cat FILE | stats: %e s wall, %U s user, %M KB peak RSS (covet-logs)" \
    sh -c "cat '$DATA' | '$BIN' stats >/dev/null" 2>&1
if [ "${SKIP_JQ:-0}" != 1 ]; then
    /usr/bin/time -f "jq count by level: %e s wall, %U s user" \
        sh -c "jq -r .level '$DATA' | sort | uniq -c >/dev/null" 2>&1
fi
echo '```'
exit "$fail"
