#!/usr/bin/env bash
# The local engine against a loopback Ballista cluster (`--engine df://`, feature
# `cluster`) on the same generated JSON lines and covet text, in the same run: a
# scheduler and EXECUTORS executors are started as `covet-logs cluster ...` processes
# on free loopback ports; for each query, `search -c` by both; the counts must agree
# (else exit 1); the table gives each one's best wall time of RUNS, the ratio
# cluster / local, and the cluster's overhead per GB of input.
#
# usage: bash benches/cluster.sh [SIZE] [BIN]
#
#   SIZE  how much of each format to generate (default 256M; K/M/G suffixes)
#   BIN   the covet-logs binary built with `--features cluster` (default
#         target/release/covet-logs)
#
# Environment: RUNS (default 3), SEED (default 42), DATA (default /tmp/covet-cluster),
# EXECUTORS (default 2), CONCURRENCY (tasks per executor, default 1), FORMATS (default
# `json text parquet`: the Parquet input is the JSON one exported by `export --format
# parquet`, so BIN needs the `parquet` feature too), INPUTS (instead of generated
# files: one file or directory, e.g. a 10 GB directory, named `dir` in the table).
set -euo pipefail

source "$(dirname "$0")/lib.sh"

SIZE="${1:-256M}"
BIN="${2:-target/release/covet-logs}"
RUNS="${RUNS:-3}"
SEED="${SEED:-42}"
DATA="${DATA:-/tmp/covet-cluster}"
EXECUTORS="${EXECUTORS:-2}"
CONCURRENCY="${CONCURRENCY:-1}"
FORMATS="${FORMATS:-json text parquet}"
INPUTS="${INPUTS:-}"
mkdir -p "$DATA"
GEN="${GEN:-$(dirname "$BIN")/examples/genlogs}"
[[ -x "$GEN" ]] || GEN="target/release/examples/genlogs"
if [[ -n "$INPUTS" ]]; then
    FORMATS=dir
else
    for f in $FORMATS; do
        case $f in
        parquet)
            [[ -s "$DATA/app.json" ]] || "$GEN" --size "$SIZE" --seed "$SEED" --format json --out "$DATA/app.json"
            [[ -s "$DATA/app.parquet" ]] || "$BIN" export --format parquet -o "$DATA/app.parquet" "$DATA/app.json"
            ;;
        *) [[ -s "$DATA/app.$f" ]] || "$GEN" --size "$SIZE" --seed "$SEED" --format "$f" --out "$DATA/app.$f" ;;
        esac
    done
fi
input_of() { if [[ $1 == dir ]]; then echo "$INPUTS"; else echo "$DATA/app.$1"; fi; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start NAME ARGS...: runs `covet-logs cluster ARGS` in the background and waits for
# its "listening on" line; the address in ADDR.
start() {
    local name=$1
    shift
    "$BIN" cluster "$@" 2>"$DATA/$name.err" &
    PIDS+=($!)
    for _ in $(seq 600); do
        ADDR=$(sed -n 's/.*listening on \([^,]*\).*/\1/p' "$DATA/$name.err")
        [[ -n "$ADDR" ]] && return 0
        sleep 0.1
    done
    log "$name did not start: $(cat "$DATA/$name.err")"
    exit 1
}

start scheduler scheduler --bind 127.0.0.1:0
SCHED=$ADDR
for i in $(seq "$EXECUTORS"); do
    start "executor$i" executor --scheduler "$SCHED" --concurrency "$CONCURRENCY"
done

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
printf '| input | query | count | local s | cluster s | ratio | overhead s/GB |\n|---|---|---|---|---|---|---|\n'
for f in $FORMATS; do
    in=$(input_of "$f")
    # Per GB of the input as given (a Parquet file is smaller than the JSON it holds).
    gb=$(echo "$(du -sb "$in" | cut -f1) / 1073741824" | bc -l)
    for q in 'level:ERROR' 'timeout' 'duration_ms:>1000' '-level:DEBUG'; do
        best_of "$BIN" search -c --index never "--query=$q" "$in"
        tl=$BEST cl=$OUT
        best_of "$BIN" search -c --engine "df://$SCHED" "--query=$q" "$in"
        tc=$BEST cc=$OUT
        [[ "$cl" == "$cc" ]] || { log "counts differ on $f '$q': local $cl, cluster $cc"; status=1; }
        printf '| %s | `-c %s` | %s | %.2f | %.2f | %.1fx | %.1f |\n' "$f" "$q" "$cl" "$tl" "$tc" \
            "$(echo "$tc / $tl" | bc -l)" "$(echo "($tc - $tl) / $gb" | bc -l)"
    done
    # The matches themselves come back to the client (rendered there): lines of --json.
    q='level:ERROR'
    best_of bash -c "\"\$0\" search --json --index never --query='$q' '$in' | wc -l" "$BIN"
    tl=$BEST cl=$OUT
    best_of bash -c "\"\$0\" search --json --engine 'df://$SCHED' --query='$q' '$in' | wc -l" "$BIN"
    tc=$BEST cc=$OUT
    [[ "$cl" == "$cc" ]] || { log "--json lines differ on $f '$q': local $cl, cluster $cc"; status=1; }
    printf '| %s | `--json %s` (lines) | %s | %.2f | %.2f | %.1fx | %.1f |\n' "$f" "$q" "$cl" "$tl" "$tc" \
        "$(echo "$tc / $tl" | bc -l)" "$(echo "($tc - $tl) / $gb" | bc -l)"
done
exit $status
