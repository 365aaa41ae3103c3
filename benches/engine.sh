#!/usr/bin/env bash
# The local engine against `--engine datafusion` (feature `cluster`) on the same
# generated JSON lines and covet text, in the same run: for each query, `search -c` by
# both engines and `rg -c` on the JSON file; the counts must agree (else exit 1); the
# table gives each one's best wall time of RUNS and the ratio datafusion / local.
#
# usage: bash benches/engine.sh [SIZE] [BIN]
#
#   SIZE  how much of each format to generate (default 64M; K/M/G suffixes)
#   BIN   the covet-logs binary built with `--features cluster` (default
#         target/release/covet-logs)
#
# Environment: RUNS (default 3), SEED (default 42), DATA (default /tmp/covet-engine).
set -euo pipefail

source "$(dirname "$0")/lib.sh"

SIZE="${1:-64M}"
BIN="${2:-target/release/covet-logs}"
RUNS="${RUNS:-3}"
SEED="${SEED:-42}"
DATA="${DATA:-/tmp/covet-engine}"
mkdir -p "$DATA"
GEN="${GEN:-$(dirname "$BIN")/examples/genlogs}"
[[ -x "$GEN" ]] || GEN="target/release/examples/genlogs"
for f in json text; do
    [[ -s "$DATA/app.$f" ]] || "$GEN" --size "$SIZE" --seed "$SEED" --format "$f" --out "$DATA/app.$f"
done

# best_of CMD...: the best wall time of RUNS runs, in seconds, in BEST; the last run's
# stdout in OUT.
best_of() {
    local best="" t0 t1 dt
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        OUT=$("$@" || true)
        t1=$(date +%s.%N)
        dt=$(echo "$t1 - $t0" | bc)
        if [[ -z "$best" ]] || (($(echo "$dt < $best" | bc))); then best=$dt; fi
    done
    BEST=$best
}

status=0
printf '| input | query | count | local s | datafusion s | ratio | rg -c s |\n|---|---|---|---|---|---|---|\n'
for f in json text; do
    for q in 'level:ERROR' 'timeout' 'duration_ms:>1000' 'level:>=WARN service:covet-db' '-level:DEBUG'; do
        best_of "$BIN" search -c --index never "--query=$q" "$DATA/app.$f"
        tl=$BEST cl=$OUT
        best_of "$BIN" search -c --engine datafusion "--query=$q" "$DATA/app.$f"
        td=$BEST cd=$OUT
        tr="-"
        if [[ "$f" == json && "$q" == timeout ]]; then
            best_of rg -c -i timeout "$DATA/app.$f"
            tr=$BEST
            [[ "$OUT" == "$cl" ]] || { log "rg -c counts $OUT lines, covet-logs $cl entries"; }
        fi
        [[ "$cl" == "$cd" ]] || { log "counts differ on $f '$q': local $cl, datafusion $cd"; status=1; }
        printf '| %s | `%s` | %s | %.2f | %.2f | %.1fx | %s |\n' "$f" "$q" "$cl" "$tl" "$td" \
            "$(echo "$td / $tl" | bc -l)" "$tr"
    done
done
exit $status
