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
# files: one file or directory, e.g. a 10 GB directory, named `dir` in the table),
# QUERIES (the counted queries, default the four below; empty: only the `--json`
# rows). Besides the counts, each input gets a `--json` row (the matches come back),
# two rows of the terminal's forms (`-n`, `-n -C 1`, outputs compared) and a
# first-line row: `search --json | head -n 1`, the time to the first match
# printed (the cluster prints after its first wave of splits).
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

# both INPUT LABEL PIPE ARGS...: `covet-logs ARGS PIPE` on the local engine and on the
# cluster, the best time of each; their outputs (through PIPE: a count, a digest)
# must agree. Prints the row: the output when it is a number, the ratio, and the
# cluster's overhead per GB of the input (`gb`).
both() {
    local input=$1 label=$2 pipe=$3 tl cl tc cc shown
    shift 3
    best_of bash -c "\"\$0\" \"\$@\" --index never $pipe" "$BIN" "$@"
    tl=$BEST cl=$OUT
    best_of bash -c "\"\$0\" \"\$@\" --engine 'df://$SCHED' $pipe" "$BIN" "$@"
    tc=$BEST cc=$OUT
    [[ "$cl" == "$cc" ]] || { log "outputs differ on $input $label: local $cl, cluster $cc"; status=1; }
    [[ "$cl" =~ ^[0-9]+$ ]] && shown=$cl || shown=-
    printf '| %s | %s | %s | %.2f | %.2f | %.1fx | %.1f |\n' "$input" "$label" "$shown" "$tl" "$tc" \
        "$(echo "$tc / $tl" | bc -l)" "$(echo "($tc - $tl) / $gb" | bc -l)"
}

status=0
printf '| input | query | count | local s | cluster s | ratio | overhead s/GB |\n|---|---|---|---|---|---|---|\n'
for f in $FORMATS; do
    in=$(input_of "$f")
    # Per GB of the input as given (a Parquet file is smaller than the JSON it holds).
    gb=$(echo "$(du -sb "$in" | cut -f1) / 1073741824" | bc -l)
    for q in ${QUERIES-level:ERROR timeout duration_ms:>1000 -level:DEBUG}; do
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
    both "$f" "\`--json $q\` (lines)" "| wc -l" search --json "--query=$q" "$in"
    # The terminal's forms: line numbers, and context around each match (the client
    # reads the entries around the matches the cluster found); outputs compared whole.
    both "$f" '`-n level:ERROR`' "| md5sum" search --color never -n level:ERROR "$in"
    both "$f" '`-n -C 1 level:FATAL`' "| md5sum" search --color never -n -C 1 level:FATAL "$in"
    # The time to the first match printed (the pipe closes after it).
    both "$f" "first line of \`--json $q\`" "| head -n 1 | md5sum" search --json "--query=$q" "$in"
done
exit $status
