#!/usr/bin/env bash
# What a WebSocket resume by entry id costs (`/ws/logs?after=ID`, issue 15) against a
# resume by stream cursor from the same positions, and against `rg` finding the entry.
#
# usage: bash benches/resume.sh [--record]
#
# Two generated JSON files of SIZE each (default 256M; b's own ids renamed `b_...` so
# every id is unique) are served; the entry at 90% of a.jsonl is the one resumed after.
# Its positions are computed here independently (awk): a.jsonl after the entry,
# b.jsonl at its first entry timed later. Rows (handshake time, curl's time to the
# 101 answer, RUNS runs each): after=CURSOR of those positions, after=FILE:LINE,
# after=OWN_ID; baseline `rg -F -m1 '"id":"OWN_ID"'` over both files. Check: the first
# 256 KiB each id resume streams equal the cursor resume's byte for byte (the same
# positions; exit 1 otherwise). --record appends the table to docs/benchmarks.md.
# Data under DATA (default /tmp/covet-resume-bench), removed at the end.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
RECORD=0
bench_args --record RECORD 2,15 "$@"
SIZE="${SIZE:-256M}"
RUNS="${RUNS:-10}"
DATA="${DATA:-/tmp/covet-resume-bench}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --release --quiet --bin covet-logs --example genlogs >&2
BIN="$TARGET/release/covet-logs"
mkdir -p "$DATA"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT

"$TARGET/release/examples/genlogs" --size "$SIZE" --seed 51 --format json --out "$DATA/a.jsonl"
"$TARGET/release/examples/genlogs" --size "$SIZE" --seed 52 --format json |
    sed 's/^{"id":"log_/{"id":"b_/' > "$DATA/b.jsonl"

LINES=$(wc -l < "$DATA/a.jsonl")
LINE=$((LINES * 9 / 10))
ENTRY=$(sed -n "${LINE}p" "$DATA/a.jsonl")
ID=$(printf '%s' "$ENTRY" | jq -r .id)
TS=$(printf '%s' "$ENTRY" | jq -r .timestamp)
# a.jsonl: the bytes up to the end of line LINE; b.jsonl: the bytes before its first
# line timed later than TS (the generator writes one fixed timestamp form).
A_END=$(head -n "$LINE" "$DATA/a.jsonl" | wc -c)
B_AT=$(awk -v t="$TS" '{ match($0, /"timestamp":"[^"]*"/); ts = substr($0, RSTART + 13, RLENGTH - 14);
    if (ts > t) { print off; found = 1; exit } off += length($0) + 1 }
    END { if (!found) print off }' "$DATA/b.jsonl")
dev_ino() { stat -c '%d-%i' "$1"; }
# The cursor's file order is by (device, inode): sort the two parts so it is spelled
# as the server spells it.
CURSOR="w1.$(printf '%s\n' "$(dev_ino "$DATA/a.jsonl")-${A_END}" "$(dev_ino "$DATA/b.jsonl")-${B_AT}" |
    sort -t- -k1,1n -k2,2n | paste -sd_)"
log "entry $ID at a.jsonl:$LINE ($TS); cursor $CURSOR"

cd "$DATA"
"$BIN" serve --addr 127.0.0.1:0 a.jsonl b.jsonl 2>"$DATA/serve.err" &
SERVER=$!
ADDR=""
for _ in $(seq 100); do
    ADDR="$(grep -o '127.0.0.1:[0-9]*' "$DATA/serve.err" || true)"
    [ -n "$ADDR" ] && break
    sleep 0.1
done
[ -n "$ADDR" ] || { log "the server did not start"; exit 1; }

urlenc() { jq -rn --arg v "$1" '$v|@uri'; }
# handshake AFTER: seconds to the 101 answer; the stream's first bytes into FILE.
handshake() {
    curl -s -N --http1.1 --max-time "${2:-0.5}" -o "${3:-/dev/null}" -w '%{time_starttransfer}\n' \
        -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
        -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: covet-logs' \
        "http://$ADDR/ws/logs?after=$(urlenc "$1")" || true
}

fail=0
for after in "$CURSOR" "a.jsonl:$LINE" "$ID"; do
    handshake "$after" 5 "$DATA/first.raw" > /dev/null
    head -c 262144 "$DATA/first.raw" > "$DATA/first.$(printf '%s' "$after" | md5sum | cut -c1-8)"
done
ref="$DATA/first.$(printf '%s' "$CURSOR" | md5sum | cut -c1-8)"
[ "$(stat -c %s "$ref")" -gt 1000 ] || { log "the cursor resume streamed nothing"; fail=1; }
for after in "a.jsonl:$LINE" "$ID"; do
    cmp -s "$ref" "$DATA/first.$(printf '%s' "$after" | md5sum | cut -c1-8)" ||
        { log "after=$after streams other bytes than after=CURSOR"; fail=1; }
done

# median MS of RUNS handshakes
median_ms() {
    local after="$1" i
    for i in $(seq "$RUNS"); do handshake "$after"; done |
        sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] * 1000 }'
}
t_cursor=$(median_ms "$CURSOR")
t_line=$(median_ms "a.jsonl:$LINE")
t_id=$(median_ms "$ID")
t_rg=$(for i in $(seq "$RUNS"); do
    s=$(date +%s.%N); rg -F -m1 -c "\"id\":\"$ID\"" a.jsonl b.jsonl > /dev/null || true; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] * 1000 }')
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
table=$(cat <<TABLE
| after= | handshake (median of $RUNS) | vs cursor | vs rg finding the id |
|---|---:|---:|---:|
| stream cursor (the same positions) | $t_cursor ms | 1.00 | |
| \`a.jsonl:$LINE\` (FILE:LINE) | $t_line ms | $(ratio "$t_line" "$t_cursor") | $(ratio "$t_line" "$t_rg") |
| \`$ID\` (own id) | $t_id ms | $(ratio "$t_id" "$t_cursor") | $(ratio "$t_id" "$t_rg") |
| baseline \`rg -F -m1 -c '"id":"$ID"'\` over both files | $t_rg ms | | 1.00 |
TABLE
)
printf '%s\n' "$table"
if [ "$RECORD" = 1 ]; then
    {
        printf '\n## serve: resume by entry id, %s\n\n' "$(date -u +%Y-%m-%d)"
        printf 'Two files of %s each, %s lines in a.jsonl, `nproc` %s, load average %s.\n\n' \
            "$SIZE" "$LINES" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
        printf '%s\n' "$table"
    } >> "$ROOT/docs/benchmarks.md"
fi
exit "$fail"
