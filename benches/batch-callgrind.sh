#!/usr/bin/env bash
# Instructions of the server's shared search pass (engine::batch) for 1, 10 and 50
# DIFFERENT concurrent searches (issue 15), counted by valgrind's callgrind, which
# repeats to within a fraction of a percent where wall clock on a shared machine moves
# by 2-3x. The queries are `benches/serve.sh different`'s (`level:ERROR|WARN WORD`, 25
# words of the generator's messages), the data `genlogs --size SIZE --seed 7`.
#
# For each N a server runs under callgrind, gets a warm-up search, then N searches at
# once (curl), and is stopped; its instructions less those of a server started, warmed
# up and stopped are the figure (HTTP included: small against the scans). The 50 queries one after
# another on one server are measured the same way (what 50 separate scans cost). The
# server's `--debug` lines say how many queries each pass answered (printed: searches
# that arrive while a pass runs get the next one). Every total is checked against
# `covet-logs search -c`.
#
# usage: bash benches/batch-callgrind.sh     Environment: SIZE (default 20M), BIN
# (default target/release), DATA (default /tmp/batch-callgrind). Does not build.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
SIZE="${SIZE:-20M}"
BIN="${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release}"
DATA="${DATA:-/tmp/batch-callgrind}"
mkdir -p "$DATA"
export COVET_LOGS_STATE_DIR="$DATA/state"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT

"$BIN/examples/genlogs" --size "$SIZE" --seed 7 --out "$DATA/big.jsonl"
: >"$DATA/queries"
for level in ERROR WARN; do
    for word in timeout failed request process database token size refused query pool \
        connection authentication invalid returned upstream table deadlock detected \
        unexpected payload parse payments write waiting lock; do
        echo "level:$level $word" >>"$DATA/queries"
    done
done
# Interleaved, so the first 10 are 5 words at both levels.
paste -d '\n' <(head -25 "$DATA/queries") <(tail -25 "$DATA/queries") >"$DATA/mixed"

# start: `serve` under callgrind on a free loopback port; sets SERVER and ADDR.
start() {
    valgrind --tool=callgrind --callgrind-out-file="$DATA/cg.out" \
        "$BIN/covet-logs" serve --debug --addr 127.0.0.1:0 "$DATA/big.jsonl" 2>"$DATA/serve.err" &
    SERVER=$!
    ADDR=""
    for _ in $(seq 600); do
        ADDR="$(grep -o 'http://127.0.0.1:[0-9]*' "$DATA/serve.err" | sed 's,http://,,' || true)"
        [ -n "$ADDR" ] && warm && return
        sleep 0.1
    done
    echo "batch-callgrind.sh: the server did not start" >&2
    exit 1
}

# warm: one search not among the measured ones (`level:INFO timeout`), so that the
# one-off costs of a first search (the thread pool, lazily built automata) are in the
# subtracted baseline.
warm() {
    curl -s -o /dev/null "http://$ADDR/api/v1/logs/search?limit=50&q=level:INFO%20timeout"
}

# stop: ends the server (SIGTERM: callgrind writes its counts when it exits) and sets
# IR to its instructions.
stop() {
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    IR="$(grep -h '^summary:\|^totals:' "$DATA/cg.out" | tail -1 | awk '{print $2}')"
}

# search FILE: one request per line of FILE, all sent at once (URLs encoded first);
# "TOTAL QUERY" lines out.
search() {
    local i=0 url pids=()
    rm -f "$DATA"/out.*
    while read -r url; do
        i=$((i + 1))
        curl -s -o "$DATA/out.$i" "$url" &
        pids+=($!)
    done < <(python3 -c 'import sys, urllib.parse
for q in open(sys.argv[1]).read().splitlines():
    print("http://%s/api/v1/logs/search?limit=50&q=%s" % (sys.argv[2], urllib.parse.quote(q)))' "$1" "$ADDR")
    wait "${pids[@]}"
    python3 -c 'import sys, json
qs = open(sys.argv[1]).read().splitlines()
for i, q in enumerate(qs, 1):
    print(json.load(open("%s/out.%d" % (sys.argv[2], i)))["total"], q)' "$1" "$DATA"
}

# passes: how many queries each pass of the last server answered.
passes() {
    grep -o 'one pass for [0-9]*' "$DATA/serve.err" | awk '{printf "%s ", $4}'
}

echo "## $(date -u +%H:%M) UTC, $SIZE, commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The server's own start, a warm-up search and stop, subtracted from each figure.
start
stop
idle="$IR"
echo "server start, warm-up search and stop alone: $idle instructions"
echo "searches | instructions (start and stop subtracted) | per query | queries per pass"
head -1 "$DATA/mixed" >"$DATA/q1"
head -10 "$DATA/mixed" >"$DATA/q10"
cp "$DATA/mixed" "$DATA/q50"
for n in 1 10 50; do
    start
    search "$DATA/q$n" >"$DATA/n$n.totals"
    stop
    ir=$((IR - idle))
    echo "$n at once | $ir | $((ir / n)) | $(passes)"
done
# Each query alone, one after another (what 50 separate scans cost).
start
while read -r q; do
    echo "$q" >"$DATA/one"
    search "$DATA/one" >>"$DATA/alone.totals"
done <"$DATA/mixed"
stop
ir=$((IR - idle))
echo "50 one after another | $ir | $((ir / 50)) | $(passes)"
echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
# Every total is the CLI's count, at once and alone.
bad=0
while read -r total q; do
    want="$("$BIN/covet-logs" search -c -q "$q" "$DATA/big.jsonl" || true)"
    [ "$want" = "$total" ] || { echo "MISMATCH: $q: API $total, search -c $want"; bad=1; }
done < <(cat "$DATA/n50.totals" "$DATA/alone.totals")
[ "$bad" = 0 ] && echo "every total (50 at once, 50 alone) equals covet-logs search -c"
