#!/usr/bin/env bash
# Many small files (issue 16, part 1): a directory of FILES files (default 5000) of 200
# JSON entries each (118 MB for 5000), made by splitting one `genlogs` file, so the
# generator's truth for the whole holds for the directory. Checks that covet-logs'
# `search -c 'level:ERROR timeout'` equals the truth and the sum of `rg -c -i`'s
# per-file counts, then times both with hyperfine in the same run (warm cache), plus
# `stats --json` over the directory against `stats` with one thread (`-j 1`), to show
# how it scales. Exit 1 when a count disagrees.
#
# usage: bash benches/smallfiles.sh [FILES]
# Environment: DATA (default target/smallfiles-bench/), RUNS (10), COVET_BIN.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
FILES="${1:-5000}"
RUNS="${RUNS:-10}"
DATA="${DATA:-${CARGO_TARGET_DIR:-$ROOT/target}/smallfiles-bench}"
REL="${CARGO_TARGET_DIR:-$ROOT/target}/release"
BIN="${COVET_BIN:-$REL/covet-logs}"
Q='level:ERROR timeout'
RG='"level":"ERROR".*timeout'

for tool in rg hyperfine; do
    command -v "$tool" >/dev/null || { log "needs $tool (apt-get install ripgrep hyperfine)"; exit 2; }
done
cargo build --release --quiet --bin covet-logs --example genlogs
DIR="$DATA/dir-$FILES"
if [ ! -d "$DIR" ]; then
    mkdir -p "$DIR"
    "$REL/examples/genlogs" --lines $((FILES * 200)) --seed 11 --format json --out "$DATA/all.json" >/dev/null
    split -l 200 -a 6 -d --additional-suffix=.log "$DATA/all.json" "$DIR/app-"
fi
TRUTH="$("$REL/examples/genlogs" --lines $((FILES * 200)) --seed 11 --format json --truth "$Q" | cut -f1)"
COVET="$("$BIN" search -c "$Q" "$DIR")"
RGSUM="$(rg -c -i "$RG" "$DIR" | awk -F: '{ s += $NF } END { print s + 0 }')"
log "files $(find "$DIR" -type f | wc -l), $(du -sh "$DIR" | cut -f1); counts: truth $TRUTH, covet-logs $COVET, rg $RGSUM"
if [ "$TRUTH" != "$COVET" ] || [ "$TRUTH" != "$RGSUM" ]; then
    log "counts disagree"
    exit 1
fi
cat "$DIR"/* >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$DATA/hf-search.json" \
    "$BIN search -c '$Q' $DIR" "rg -c -i '$RG' $DIR" >&2
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$DATA/hf-stats.json" \
    "$BIN stats --json $DIR" "$BIN stats --json -j 1 $DIR" >&2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$DATA/hf-search.json" "$DATA/hf-stats.json" <<'PY'
import json, sys
s = [r["mean"] for r in json.load(open(sys.argv[1]))["results"]]
t = [r["mean"] for r in json.load(open(sys.argv[2]))["results"]]
print("| question | covet-logs | baseline | ratio |")
print("|---|---:|---:|---:|")
print(f"| `search -c 'level:ERROR timeout' DIR` | {s[0]*1000:.0f} ms | rg -c -i {s[1]*1000:.0f} ms | {s[0]/s[1]:.2f}x (target <= 1.2x) |")
print(f"| `stats --json DIR` | {t[0]*1000:.0f} ms | `-j 1` {t[1]*1000:.0f} ms | speedup {t[1]/t[0]:.2f}x |")
PY
