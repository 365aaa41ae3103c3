#!/usr/bin/env bash
# Field queries on text formats against the same query on JSON lines of equal size
# (issue 16 part 1: "field queries on them within 1.5x of the same query on JSON").
#
# For each pair below, benches/genformats.py writes SIZE bytes (decimal; default
# 500 MB) of a text format and SIZE bytes of its JSON twin (the same fields under JSON
# keys, unlisted in `--list`); `covet-logs search -c -j THREADS QUERY` runs on both.
# Each count must equal `rg -c` of a regex that finds the same entries in that file
# (a second, independent count: the field's bytes as the format writes them), and the
# two files' times are taken by hyperfine in the same run; ratio = text / JSON.
#
#   bash benches/textfields.sh [SIZE_BYTES] [--record]
#   COVET_BIN=/path/to/covet-logs RUNS=5 WARMUP=1 THREADS=2 bash benches/textfields.sh
#
# Exits 1 when a count disagrees (a missed 1.5x target only prints FAIL).
set -euo pipefail

source "$(dirname "$0")/lib.sh"

RECORD=0
ARG=500000000
bench_args --record RECORD 2,15 "$@"
SIZE="$ARG"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
THREADS="${THREADS:-2}"
SEED="${SEED:-42}"
TARGET=1.5

require_tools rg hyperfine jq python3
covet_bin --bin covet-logs
GEN="$ROOT/benches/genformats.py"
DATA="$ROOT/benches/data/textfields"
mkdir -p "$DATA"
trap 'rm -rf "$DATA"' EXIT

# text format | JSON twin | query | rg regex on the text | rg regex on the JSON
PAIRS=(
    'access|access-json|status:>=500|" 5[0-9][0-9] [0-9]|"status":5[0-9][0-9][,}]'
    'logback|logback-json|thread:http-nio-8080-exec-3|^[0-9 :.-]+ \[http-nio-8080-exec-3\] |"thread":"http-nio-8080-exec-3"'
    'logrus|logrus-json|port:>=9000|port=9[0-9]{3} component=|"port":9[0-9]{3}[,}]'
)

MISMATCH=0
ROWS=""
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# count FILE QUERY REGEX: covet-logs' count, checked against rg's.
count() {
    local f="$1" query="$2" regex="$3" got want
    got=$("$BIN" search -c -j "$THREADS" "$query" "$f" 2>/dev/null || true)
    want=$(rg -c -e "$regex" "$f" || echo 0)
    if [ "$got" != "$want" ]; then
        log "$(basename "$f"): COUNT MISMATCH for $query: covet-logs $got, rg $want"
        MISMATCH=1
    fi
    printf '%s' "$got"
}

for pair in "${PAIRS[@]}"; do
    IFS='|' read -r text twin query rx_text rx_json <<<"$pair"
    for name in "$text" "$twin"; do
        log "generating $DATA/$name.log"
        python3 "$GEN" "$name" "$SIZE" "$DATA/$name.log" "$SEED" >/dev/null
        cat "$DATA/$name.log" >/dev/null
    done
    n_text=$(count "$DATA/$text.log" "$query" "$rx_text")
    n_json=$(count "$DATA/$twin.log" "$query" "$rx_json")
    json="$DATA/times.json"
    hyperfine --style basic --ignore-failure --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
        "$(printf '%q' "$BIN") search -c -j $THREADS $(printf '%q' "$query") $DATA/$text.log" \
        "$(printf '%q' "$BIN") search -c -j $THREADS $(printf '%q' "$query") $DATA/$twin.log" >&2
    t_text=$(jq -r '.results[0].mean' "$json")
    t_json=$(jq -r '.results[1].mean' "$json")
    sd_text=$(jq -r '.results[0].stddev // 0' "$json")
    sd_json=$(jq -r '.results[1].stddev // 0' "$json")
    ratio=$(awk -v a="$t_text" -v b="$t_json" 'BEGIN { printf "%.2f", a / b }')
    status=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN { print (r <= t) ? "PASS" : "FAIL" }')
    mb() { awk -v b="$(stat -c %s "$1")" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
    ROWS="$ROWS| \`$query\` | $text: $n_text | $(printf '%.3f ± %.3f' "$t_text" "$sd_text") ($(mb "$DATA/$text.log" "$t_text") MB/s) | $twin: $n_json | $(printf '%.3f ± %.3f' "$t_json" "$sd_json") ($(mb "$DATA/$twin.log" "$t_json") MB/s) | $ratio | $status |"$'\n'
    log "$query: text $t_text s, JSON $t_json s, ratio $ratio ($status)"
    rm -f "$DATA/$text.log" "$DATA/$twin.log"
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
report=$(
    echo "Each file: \`benches/genformats.py NAME $SIZE\` (seed $SEED); covet-logs \`search -c -j $THREADS QUERY\`,"
    echo "hyperfine --warmup $WARMUP --runs $RUNS, input in the page cache; every count equal to \`rg -c\` of the"
    echo "field as the file writes it; ratio = text / JSON wall-clock (target ≤ $TARGET)."
    echo
    echo "| query | text file: count | text s | JSON twin: count | JSON s | ratio | result |"
    echo "|---|---|---:|---|---:|---:|---|"
    printf '%s' "$ROWS"
    echo
    echo "Load average before/after: $LOAD_BEFORE / $LOAD_AFTER. $("$BIN" --version) (commit $commit)."
)
printf '%s\n' "$report"
if [ "$RECORD" -eq 1 ] && [ "$MISMATCH" -eq 0 ]; then
    {
        echo
        echo "### Field queries on text formats against JSON, $(date -u +%Y-%m-%d\ %H:%M\ UTC), $SIZE bytes each"
        echo
        printf '%s\n' "$report"
    } >>docs/benchmarks.md
    log "appended the results to docs/benchmarks.md"
fi
exit "$MISMATCH"
