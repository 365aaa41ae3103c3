#!/usr/bin/env bash
# Throughput of `search -c 'level:>=WARN'` on every built-in text format.
#
# For each format benches/genformats.py writes (one per built-in definition), a file of
# SIZE bytes (decimal; default 500 MB) is generated with a known mix of levels and some
# multi-line entries; covet-logs counts `level:>=WARN` with 2 threads, the count must
# equal the generator's truth (and, on a 2 MB sample, the entry count must equal the
# generator's), and the time is measured with hyperfine. JSON lines (genlogs) are timed
# the same way for reference. Where a format spells its levels as words, `rg -c` over
# the same words (WARN|ERROR|FATAL style, a line count that is not the same question)
# is timed as a baseline in the same run.
#
#   bash benches/formats.sh [SIZE_BYTES] [--record] [FORMAT...]
#   COVET_BIN=/path/to/covet-logs bash benches/formats.sh   # time a prebuilt binary
#   RUNS=5 WARMUP=1 KEEP=1 THREADS=2 TARGET=400 bash benches/formats.sh
#
# Exits 1 when a count disagrees with the truth (a missed speed target only prints FAIL).
set -euo pipefail

source "$(dirname "$0")/lib.sh"

SIZE=500000000
RECORD=0
ONLY=()
for arg in "$@"; do
    case "$arg" in
    --record) RECORD=1 ;;
    [0-9]*) SIZE="$arg" ;;
    *) ONLY+=("$arg") ;;
    esac
done
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
THREADS="${THREADS:-2}"
TARGET="${TARGET:-400}"
KEEP="${KEEP:-0}"
SEED="${SEED:-42}"


require_tools rg hyperfine jq python3
covet_bin --bins --examples
GENLOGS="$ROOT/target/release/examples/genlogs"
GEN="$ROOT/benches/genformats.py"
DATA="$ROOT/benches/data/formats"
mkdir -p "$DATA"
stamp="$(sha256sum "$GEN" | cut -d' ' -f1) $SIZE $SEED"

mapfile -t FORMATS < <(python3 "$GEN" --list)
# Built-in definitions the generator does not write yet (a new definition needs a
# template in genformats.py).
mapfile -t DEFS < <("$BIN" formats | awk '/^[a-z0-9]/ { print $1 }' | grep -vxE 'json|logfmt|covet|text|plain')
MISSING=()
for d in "${DEFS[@]}"; do
    printf '%s\n' "${FORMATS[@]}" | grep -qxF "$d" || MISSING+=("$d")
done
[ "${#MISSING[@]}" -eq 0 ] || log "no generator for: ${MISSING[*]}"
[ "${#ONLY[@]}" -eq 0 ] || FORMATS=("${ONLY[@]}")

MISMATCH=0
ROWS=""
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
secs() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.3f ± %.3f", m, s }'; }

# time_pair JSON CMD [CMD]: hyperfine; sets MEAN_A SD_A [MEAN_B SD_B].
time_cmds() {
    local json="$1"
    shift
    hyperfine --style basic --ignore-failure --warmup "$WARMUP" --runs "$RUNS" \
        --export-json "$json" "$@" >&2
    MEAN_A=$(jq -r '.results[0].mean' "$json")
    SD_A=$(jq -r '.results[0].stddev // 0' "$json")
    CPU_A=$(jq -r '.results[0].user + .results[0].system' "$json")
    MEAN_B=$(jq -r '.results[1].mean // empty' "$json")
    SD_B=$(jq -r '.results[1].stddev // 0' "$json")
}

# measure NAME FILE TRUTH RG_REGEX
measure() {
    local name="$1" f="$2" truth="$3" regex="$4" got bytes a b rate status base ratio
    bytes=$(stat -c %s "$f")
    cat "$f" >/dev/null
    got=$("$BIN" search -c -j "$THREADS" 'level:>=WARN' "$f" 2>/dev/null || true)
    status=""
    if [ "$got" != "$truth" ]; then
        log "$name: COUNT MISMATCH: covet-logs $got, truth $truth"
        MISMATCH=1
        status="COUNT MISMATCH ($got)"
    fi
    a="$(printf '%q' "$BIN") search -c -j $THREADS 'level:>=WARN' $(printf '%q' "$f")"
    if [ -n "$regex" ]; then
        b="rg -c -j $THREADS $(printf '%q' "$regex") $(printf '%q' "$f")"
        time_cmds "$DATA/$name.json" "$a" "$b"
    else
        time_cmds "$DATA/$name.json" "$a"
    fi
    rate=$(mbps "$bytes" "$MEAN_A")
    # CPU-bound rate: what THREADS free cores would give (the machine is often shared).
    cpu_rate=$(awk -v b="$bytes" -v c="$CPU_A" -v t="$THREADS" 'BEGIN { printf "%.0f", b / (c / t) / 1e6 }')
    if [ -z "$status" ]; then
        status=$(awk -v r="$rate" -v t="$TARGET" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }')
    fi
    base="—"
    ratio="—"
    if [ -n "$MEAN_B" ]; then
        base="$(secs "$MEAN_B" "$SD_B") ($(mbps "$bytes" "$MEAN_B") MB/s)"
        ratio=$(awk -v a="$MEAN_A" -v b="$MEAN_B" 'BEGIN { printf "%.2f", a / b }')
    fi
    ROWS="$ROWS| $name | $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') | $truth | $(secs "$MEAN_A" "$SD_A") | $rate | $(printf '%.3f' "$CPU_A") | $cpu_rate | $base | $ratio | $status |"$'\n'
    log "$name: $rate MB/s, CPU-bound $cpu_rate MB/s ($status)"
}

for name in "${FORMATS[@]}"; do
    f="$DATA/$name.log"
    if [ -f "$f" ] && [ -f "$f.truth" ] && [ "$(sed -n 1p "$f.truth")" = "$stamp" ]; then
        log "reusing $f"
    else
        log "generating $f"
        truth_line=$(python3 "$GEN" "$name" "$SIZE" "$f.tmp" "$SEED")
        mv "$f.tmp" "$f"
        printf '%s\n%s\n' "$stamp" "$truth_line" >"$f.truth"
    fi
    warn=$(sed -n 2p "$f.truth" | cut -f2)
    # Entry bounds on a small sample: every generated entry is one entry, no more.
    sample_truth=$(python3 "$GEN" "$name" 2000000 "$DATA/sample.log" "$SEED")
    sample_entries=$("$BIN" search -c '' "$DATA/sample.log" 2>/dev/null || true)
    if [ "$sample_entries" != "$(printf '%s' "$sample_truth" | cut -f1)" ]; then
        log "$name: ENTRY COUNT MISMATCH on a 2 MB sample: $sample_entries, truth ${sample_truth%%$'\t'*}"
        MISMATCH=1
    fi
    measure "$name" "$f" "$warn" "$(python3 "$GEN" --rg "$name")"
    [ "$KEEP" = 1 ] || rm -f "$f" "$f.truth"
done
rm -f "$DATA/sample.log"

# JSON lines for reference: the same question, counted by genlogs from its structs.
if [ -x "$GENLOGS" ]; then
    f="$DATA/json.log"
    log "generating $f"
    "$GENLOGS" --size "$SIZE" --seed "$SEED" --format json --out "$f"
    truth=$("$GENLOGS" --size "$SIZE" --seed "$SEED" --format json --truth 'level:>=WARN' | cut -f1)
    measure "json (reference)" "$f" "$truth" '"level":"(WARN|ERROR|FATAL)"'
    [ "$KEEP" = 1 ] || rm -f "$f"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
report=$(
    echo "Each file: \`benches/genformats.py FORMAT $SIZE\` (seed $SEED; JSON: \`genlogs --size $SIZE --format json\`)."
    echo "covet-logs: \`search -c -j $THREADS 'level:>=WARN' F\`; baseline: \`rg -c -j $THREADS 'WARN|ERROR|FATAL' F\` with the format's own"
    echo "spellings (a line count, not the same question; — where levels are letters, numbers or absent)."
    echo "hyperfine --warmup $WARMUP --runs $RUNS, input in the page cache; seconds are means ± standard deviation;"
    echo "MB/s = 10^6 bytes of input per wall-clock second; CPU s = user + system seconds of one run; CPU MB/s ="
    echo "bytes / (CPU s / $THREADS), the rate on $THREADS free cores (what a shared machine hides);"
    echo "ratio = covet-logs / rg wall-clock (lower is better); target ≥ $TARGET MB/s (judged on wall-clock)."
    echo
    echo "| format | MB | entries ≥ WARN (= truth) | covet-logs s | MB/s | CPU s | CPU MB/s | rg s | ratio | result |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s' "$ROWS"
    echo
    echo "Machine: $(nproc) cores, $cpu, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
        "load average before/after: $LOAD_BEFORE / $LOAD_AFTER. $("$BIN" --version) (commit $commit)."
    [ "${#MISSING[@]}" -eq 0 ] || echo "Definitions without a generator (not measured): ${MISSING[*]}."
)
printf '%s\n' "$report"

if [ "$RECORD" -eq 1 ] && [ "$MISMATCH" -eq 0 ]; then
    {
        echo
        echo "### Text formats, $(date -u +%Y-%m-%d\ %H:%M\ UTC), $SIZE bytes each"
        echo
        printf '%s\n' "$report"
    } >>docs/benchmarks.md
    log "appended the results to docs/benchmarks.md"
fi
exit "$MISMATCH"
