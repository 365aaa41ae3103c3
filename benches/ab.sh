#!/usr/bin/env bash
# Before/after timing of the main rows of compare.sh, stats.sh, context.sh and tail.sh
# for two covet-logs binaries on the same data, in one run (a refactor's speed check).
#
# usage: bash benches/ab.sh BEFORE_BIN AFTER_BIN [SIZE]   (SIZE default 256M)
#
# Each row is timed with hyperfine for both binaries, twice in alternating order
# (before, after, after, before); the median and the best of each binary's runs are
# reported with their after/before ratios (the machine is shared: the best run is the
# least disturbed one), and the ratio of the CPU time (user + system, hyperfine's means)
# the runs took, which other tenants disturb less than the wall clock. Environment: RUNS (per hyperfine call, default 5), SEED (42).
# Data goes to target/ab/ and is kept for a rerun.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
A="$1"; B="$2"; SIZE="${3:-256M}"
RUNS="${RUNS:-5}"; SEED="${SEED:-42}"
DIR=target/ab; mkdir -p "$DIR"
F="$DIR/bench-$SIZE-$SEED.json"
if [ ! -s "$F" ]; then
    cargo build --release --example genlogs >&2
    target/release/examples/genlogs --size "$SIZE" --seed "$SEED" --format json --out "$F"
fi
cat "$F" >/dev/null
LINES=$(wc -l <"$F")
BYTES=$(stat -c %s "$F")
mid_line=$(tail -c +$((BYTES / 2)) "$F" | head -n 2 | tail -n 1) || true
MINUTE=$(printf '%s\n' "$mid_line" | jq -r .timestamp | cut -c1-16)
SINCE="${MINUTE}:00Z"
UNTIL=$(date -u -d "@$(($(date -u -d "$SINCE" +%s) + 60))" +%Y-%m-%dT%H:%M:%SZ)
MID=$((LINES / 2))
read -r LINE TRACE < <(tail -n "+$MID" "$F" | grep -n -m1 '"trace_id"' |
    awk -F: -v m="$MID" '{ n = $1 + m - 1; sub(/^[0-9]+:/, ""); print n, $0 }' |
    { read -r n rest; printf '%s %s\n' "$n" "$(printf '%s' "$rest" | jq -r .trace_id)"; })

ROWS=(
    "compare|search -s -c 'level:ERROR timeout' $F"
    "compare|search -c 'level:ERROR timeout' $F"
    "compare|search -c user_id:user_456 $F"
    "compare|search -c timeout $F"
    "compare|search level:ERROR $F"
    "compare|search -c --since $SINCE --until $UNTIL '' $F"
    "stats|stats $F"
    "context|context --trace $TRACE $F"
    "context|context $F:$LINE --by none --window 1m"
    "tail|tail -n 50 $F"
    "tail|tail -n 50 -q level:ERROR $F"
)
echo "| script | command (F = $(du -h "$F" | cut -f1) JSON, $LINES entries) | before median (best) | after median (best) | after/before median (best) | CPU after/before | outputs equal |"
echo "|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do
    script="${row%%|*}"; args="${row#*|}"
    [[ "$row" =~ ${ONLY:-.} ]] || continue
    same=yes
    cmp -s <(bash -c "$A $args" 2>&1) <(bash -c "$B $args" 2>&1) || same=NO
    j1="$DIR/h1.json"; j2="$DIR/h2.json"
    hyperfine --style none --output=pipe --warmup 1 --runs "$RUNS" --export-json "$j1" \
        "$A $args" "$B $args" >/dev/null 2>&1 || true
    hyperfine --style none --output=pipe --warmup 1 --runs "$RUNS" --export-json "$j2" \
        "$B $args" "$A $args" >/dev/null 2>&1 || true
    cells=$(python3 - "$j1" "$j2" <<'PY'
import json, statistics, sys
r1 = json.load(open(sys.argv[1]))["results"]; r2 = json.load(open(sys.argv[2]))["results"]
a = r1[0]["times"] + r2[1]["times"]; b = r1[1]["times"] + r2[0]["times"]
ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
ba, bb = min(a) * 1000, min(b) * 1000
cpu = lambda r: r["user"] + r["system"]
ca, cb = cpu(r1[0]) + cpu(r2[1]), cpu(r1[1]) + cpu(r2[0])
print(f"{ma:.1f} ms ({ba:.1f}) | {mb:.1f} ms ({bb:.1f}) | {mb / ma:.3f} ({bb / max(ba, 1e-6):.3f}) | {cb / ca:.3f}")
PY
)
    printf '| %s | `%s` | %s | %s |\n' "$script" "${args//$F/F}" "$cells" "$same"
done
