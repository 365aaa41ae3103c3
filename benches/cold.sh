#!/usr/bin/env bash
# Cold page cache (issue 16, part 1): `search -c 'level:ERROR'` on a file and on a
# directory that are not in the page cache, against `rg -c` and `cat > /dev/null` on
# the same bytes, each run after `sync; echo 3 > /proc/sys/vm/drop_caches` (needs root:
# without it the script says so and exits 2, since a warm run would be measured).
# Counts of covet-logs and rg must agree (and equal the generator's truth), else exit 1.
#
# usage: bash benches/cold.sh [SIZE] [FILES]
#   SIZE   per file (default 1G), FILES in the directory row (default 3)
# Environment: DATA (default target/cold-bench/), RUNS (rounds, default 5), COVET_BIN.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
SIZE="${1:-1G}"
FILES="${2:-3}"
RUNS="${RUNS:-5}"
DATA="${DATA:-${CARGO_TARGET_DIR:-$ROOT/target}/cold-bench}"
REL="${CARGO_TARGET_DIR:-$ROOT/target}/release"
BIN="${COVET_BIN:-$REL/covet-logs}"
Q='level:ERROR'
RG='"level":"ERROR"'

command -v rg >/dev/null || { log "needs rg (apt-get install ripgrep)"; exit 2; }
if ! { sync && echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
    log "cannot drop the page cache (run as root): a cold run cannot be measured"
    exit 2
fi
[ -n "${COVET_BIN:-}" ] || cargo build --release --quiet --bin covet-logs --example genlogs
mkdir -p "$DATA/dir"
for i in $(seq 1 "$FILES"); do
    f="$DATA/dir/app-$i.log"
    [ -s "$f" ] || "$REL/examples/genlogs" --size "$SIZE" --seed "$((40 + i))" --out "$f" >/dev/null
done
ONE="$DATA/dir/app-1.log"

# cold_once CMD...: the wall time in ms of one run, the page cache dropped first.
cold_once() {
    local t0 t1
    sync
    echo 3 >/proc/sys/vm/drop_caches
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
least() { printf '%s\n' "$@" | sort -n | head -1; }

FAIL=0
ROWS=()
for target in "$ONE" "$DATA/dir"; do
    covet=$("$BIN" search -c "$Q" "$target" | awk '{ s += $NF } END { print s }')
    rgc=$(rg -c -F "$RG" "$target" | awk -F: '{ s += $NF } END { print s }')
    if [ "$covet" != "$rgc" ]; then
        log "$target: counts differ: covet-logs $covet, rg $rgc"
        FAIL=1
    fi
    bytes=$(du -cb "$target" | tail -1 | cut -f1)
    label=$(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }')
    [ "$target" = "$ONE" ] && what="one file" || what="$FILES files"
    files=$(find "$target" -type f | sort)
    # Rounds of the four, in turn: the disk's speed drifts (a shared machine), and
    # each round sees the same drift.
    cs=() ns=() rs=() ks=()
    for _ in $(seq "$RUNS"); do
        cs+=("$(cold_once "$BIN" search -c "$Q" "$target")")
        ns+=("$(cold_once "$BIN" search -c --no-mmap "$Q" "$target")")
        rs+=("$(cold_once rg -c -F "$RG" "$target")")
        # shellcheck disable=SC2086
        ks+=("$(cold_once cat $files)")
    done
    log "$what: covet-logs ${cs[*]}; --no-mmap ${ns[*]}; rg ${rs[*]}; cat ${ks[*]} (ms)"
    c=$(median "${cs[@]}") n=$(median "${ns[@]}") r=$(median "${rs[@]}") k=$(median "${ks[@]}")
    c0=$(least "${cs[@]}") n0=$(least "${ns[@]}") r0=$(least "${rs[@]}") k0=$(least "${ks[@]}")
    ratio=$(awk -v a="$c" -v b="$k" 'BEGIN { printf "%.2f", a / b }')
    ratio0=$(awk -v a="$c0" -v b="$k0" 'BEGIN { printf "%.2f", a / b }')
    ok=$(awk -v r="$ratio" -v q="$ratio0" 'BEGIN { print (r <= 1.2) ? "met" : (q <= 1.2) ? "met by the fastest runs" : "missed" }')
    ROWS+=("| $what, $label | $covet | $c ($c0) ms | $n ($n0) ms | $r ($r0) ms | $k ($k0) ms | ${ratio}x (${ratio0}x) | $ok |")
done

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "### Cold page cache, $(date -u +%Y-%m-%d\ %H:%M) UTC (\`bash benches/cold.sh $SIZE $FILES\`)"
echo
echo "$(nproc) cores, load average at the end $LOAD; page cache dropped (\`sync; echo 3 > /proc/sys/vm/drop_caches\`, as root) before every run; median of $RUNS rounds, each running the four in turn; in parentheses the fastest of the rounds (this disk, shared, switches between two speeds)."
echo
echo "| input | matches | covet-logs \`search -c '$Q'\` | the same, \`--no-mmap\` | \`rg -c\` | \`cat > /dev/null\` | covet-logs / cat | target <= 1.2x |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
exit "$FAIL"
