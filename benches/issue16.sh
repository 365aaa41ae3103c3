#!/usr/bin/env bash
# Every target of issue 16 in one run, one after another on the same build: the
# full-parse paths (compare.sh fullparse), compressed input, field queries on text
# formats, many small files, the block index with the scale rows, the cold page cache
# (as root; after the warm parts, since it empties the cache), and the profiles of
# the rows that miss their target (profile.sh).
#
# usage: bash benches/issue16.sh [--record]
#
#   --record  also append the whole run, under one heading, to docs/benchmarks.md
#
# Environment: RUNS (timed runs per row, default 3), TEXT_SIZE (bytes per text format
# and its JSON twin, default 300000000), INDEX_FILES (1 GB files for index.sh, default
# 10), SKIP (rows to leave out, e.g. "cold profile").
#
# The parts' own count checks still apply: the script exits 1 when any part does.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

RECORD=0
ARG=""
bench_args --record RECORD 2,13 "$@"
RUNS="${RUNS:-3}"
TEXT_SIZE="${TEXT_SIZE:-300000000}"
INDEX_FILES="${INDEX_FILES:-10}"
SKIP=" ${SKIP:-} "
require_tools rg hyperfine jq zstd python3

log "cargo build --release --bins --examples"
cargo build --release --bins --examples >&2
export COVET_BIN="$ROOT/target/release/covet-logs" NO_BUILD=1 RUNS
OUT="$ROOT/target/issue16.md"
FAIL=0

# part NAME TITLE CMD...: runs one part (its tables on stdout) under a heading (none
# for the title -: the part writes its own).
part() {
    local name="$1" title="$2"
    shift 2
    if [[ "$SKIP" == *" $name "* ]]; then
        return
    fi
    log "part $name: $*"
    if [ "$title" != - ]; then
        printf '\n### %s\n\n' "$title" >>"$OUT"
    fi
    local t0=$SECONDS
    if ! "$@" >>"$OUT"; then
        echo "(this part exited non-zero: a count disagreed or it could not run)" >>"$OUT"
        FAIL=1
    fi
    log "part $name took $((SECONDS - t0)) s"
}

{
    echo "## Issue 16: every target in one run, $(date -u +%Y-%m-%d\ %H:%M) UTC (\`bash benches/issue16.sh\`, commit $(git rev-parse --short HEAD))"
    echo
    echo "$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg). Warm page cache unless the part says otherwise."
} >"$OUT"

part fullparse "Full-parse paths, 1 GB JSON lines (\`SECTIONS=fullparse bash benches/compare.sh 1G\`)" \
    env SECTIONS=fullparse WARMUP=1 bash benches/compare.sh 1G
part compressed "Compressed input (\`bash benches/compressed.sh 1G\`)" \
    bash benches/compressed.sh 1G
part textfields "Field queries on text formats against JSON (\`bash benches/textfields.sh $TEXT_SIZE\`)" \
    bash benches/textfields.sh "$TEXT_SIZE"
part smallfiles "Many small files (\`bash benches/smallfiles.sh\`)" \
    bash benches/smallfiles.sh
part index "The block index and the scale rows (\`bash benches/index.sh $INDEX_FILES\`)" \
    bash benches/index.sh "$INDEX_FILES"
echo >>"$OUT"
part cold - bash benches/cold.sh 1G 3
echo >>"$OUT"
part profile - bash benches/profile.sh 300M

echo >>"$OUT"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$OUT"
cat "$OUT"
if [ "$RECORD" = 1 ]; then
    { echo; cat "$OUT"; } >>docs/benchmarks.md
fi
exit "$FAIL"
