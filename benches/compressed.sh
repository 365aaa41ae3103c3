#!/usr/bin/env bash
# Compressed input (issue 16, part 1): a generated JSON-lines file of SIZE (default 1G)
# compressed with `zstd -3` and `gzip -6`, searched by covet-logs (`search -c 'level:ERROR
# timeout'`; decompression on a reading thread of its own while the pool scans) against
# decompression alone in the same run: `zstdcat > /dev/null` for .zst, and for .gz the
# same decoder crate covet-logs uses on one thread (`examples/decode`, flate2 on
# zlib-rs) and `zcat`. Checks first that covet-logs' counts on both files equal the
# generator's truth. Targets: .zst <= 1.15x zstdcat, .gz <= 1.1x the crate decoder.
# Exit 1 when a count disagrees.
#
# usage: bash benches/compressed.sh [SIZE]
# Environment: DATA (default target/compressed-bench/), RUNS (5), COVET_BIN.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
SIZE="${1:-1G}"
RUNS="${RUNS:-5}"
DATA="${DATA:-${CARGO_TARGET_DIR:-$ROOT/target}/compressed-bench}"
REL="${CARGO_TARGET_DIR:-$ROOT/target}/release"
BIN="${COVET_BIN:-$REL/covet-logs}"
Q='level:ERROR timeout'

for tool in zstd zstdcat gzip zcat hyperfine; do
    command -v "$tool" >/dev/null || { log "needs $tool (apt-get install zstd gzip hyperfine)"; exit 2; }
done
cargo build --release --quiet --bin covet-logs --example genlogs --example decode
mkdir -p "$DATA"
F="$DATA/app-$SIZE.json"
if [ ! -f "$F.truth" ]; then
    "$REL/examples/genlogs" --size "$SIZE" --seed 5 --format json --out "$F" --truth "$Q" | cut -f1 >"$F.truth.tmp"
    zstd -q -3 -T0 -f "$F" -o "$F.zst"
    gzip -6 -c "$F" >"$F.gz"
    mv "$F.truth.tmp" "$F.truth"
fi
TRUTH="$(cat "$F.truth")"
for f in "$F.zst" "$F.gz"; do
    got="$("$BIN" search -c "$Q" "$f")"
    log "$(basename "$f"): $(du -h "$f" | cut -f1), count $got, truth $TRUTH"
    if [ "$got" != "$TRUTH" ]; then
        log "counts disagree"
        exit 1
    fi
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$DATA/hf-zst.json" \
    "$BIN search -c '$Q' $F.zst" "zstdcat $F.zst" >&2
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$DATA/hf-gz.json" \
    "$BIN search -c '$Q' $F.gz" "$REL/examples/decode $F.gz" "zcat $F.gz" >&2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$DATA/hf-zst.json" "$DATA/hf-gz.json" "$(stat -c %s "$F")" <<'PY'
import json, sys
z = [r["mean"] for r in json.load(open(sys.argv[1]))["results"]]
g = [r["mean"] for r in json.load(open(sys.argv[2]))["results"]]
gb = int(sys.argv[3]) / 1e9
print(f"| input ({gb:.2f} GB decoded) | covet-logs `search -c` | baseline | ratio | target |")
print("|---|---:|---:|---:|---|")
print(f"| .zst (zstd -3) | {z[0]:.2f} s | `zstdcat` {z[1]:.2f} s | {z[0]/z[1]:.2f}x | <= 1.15x |")
print(f"| .gz (gzip -6) | {g[0]:.2f} s | crate decoder, one thread {g[1]:.2f} s | {g[0]/g[1]:.2f}x | <= 1.1x |")
print(f"| .gz (gzip -6) | {g[0]:.2f} s | `zcat` {g[2]:.2f} s | {g[0]/g[2]:.2f}x | - |")
PY
