#!/usr/bin/env bash
# Load on `covet-logs serve` (issue 15), loopback only, bounded in time:
#
#   1. CLIENTS WebSocket clients (default 100) on /ws/logs while RATE entries per
#      second (default 10000) are appended to a served file for SECS seconds (default
#      60): every client must get every entry; append-to-message latency p50/p99/max;
#      the server's peak RSS (VmHWM); the CPU time of the server and of the client
#      process (the 100 clients and the writer share the same cores as the server).
#   2. SEARCHES concurrent identical searches (default 50) on a SEARCH_SIZE file
#      (default 1G) against one search alone: p50, p99 and p99 / single.
#   3. `different`: 50 DIFFERENT concurrent searches (`level:ERROR|WARN WORD`, 25
#      words of the generator's messages) on the same file: each alone, one after
#      another, then all at once; p50/p99 against the median single; every total must
#      equal its query's alone and `covet-logs search -c` on the file.
#
# usage: bash benches/serve.sh [ws|search|different|all]   (default all)
#
# Environment: CLIENTS, RATE, SECS, SEARCHES, SEARCH_SIZE, SEARCH_QUERY
# (default `level:ERROR timeout`), DATA (default target/serve-bench/), BIN (a directory
# holding `covet-logs` and `examples/{serve-load,genlogs}`; without it the release
# binary and the load client (examples/serve-load.rs) are built and run). The data is
# removed at the end.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
WHAT="${1:-all}"
CLIENTS="${CLIENTS:-100}"
RATE="${RATE:-10000}"
SECS="${SECS:-60}"
SEARCHES="${SEARCHES:-50}"
SEARCH_SIZE="${SEARCH_SIZE:-1G}"
SEARCH_QUERY="${SEARCH_QUERY:-level:ERROR timeout}"
DATA="${DATA:-${CARGO_TARGET_DIR:-$ROOT/target}/serve-bench}"
if [ -n "${BIN:-}" ]; then
    # Given binaries (another commit's copies, say) are run as they are.
    :
else
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release"
    cargo build --release --quiet --bin covet-logs --example serve-load --example genlogs
fi
mkdir -p "$DATA"
# The searches the server records in the history go to a directory of their own.
export COVET_LOGS_STATE_DIR="$DATA/state"
SERVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT

# Starts `serve FILE` on a free loopback port; sets SERVER (pid) and ADDR.
start() {
    "$BIN/covet-logs" serve --addr 127.0.0.1:0 "$@" 2>"$DATA/serve.err" &
    SERVER=$!
    for _ in $(seq 100); do
        ADDR="$(grep -o '127.0.0.1:[0-9]*' "$DATA/serve.err" || true)"
        [ -n "$ADDR" ] && return
        sleep 0.1
    done
    echo "serve.sh: the server did not start" >&2
    cat "$DATA/serve.err" >&2
    exit 1
}

stop() {
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}

server_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "user %.2f s, sys %.2f s", $14 / hz, $15 / hz }' "/proc/$SERVER/stat"
}

peak_rss_mib() {
    awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"
}

if [ "$WHAT" = ws ] || [ "$WHAT" = all ]; then
    : >"$DATA/live.jsonl"
    start "$DATA/live.jsonl"
    echo "## WebSocket: $CLIENTS clients, $RATE entries/s for $SECS s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    # The clients' and the server's CPU time: both share the machine's cores, so a
    # client that costs more leaves the server less (the client process includes
    # the writer).
    /usr/bin/time -f "client CPU user %U s, sys %S s (wall %e s)" \
        "$BIN/examples/serve-load" "$ADDR" "$DATA/live.jsonl" "$CLIENTS" "$RATE" "$SECS" || echo "(a client missed entries)"
    echo "server CPU $(server_cpu); peak RSS $(peak_rss_mib) MiB; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
    stop
fi

if [ "$WHAT" = search ] || [ "$WHAT" = all ]; then
    "$BIN/examples/genlogs" --size "$SEARCH_SIZE" --seed 7 --out "$DATA/big.jsonl"
    start "$DATA/big.jsonl"
    echo "## Search: $SEARCHES concurrent identical searches on $SEARCH_SIZE ($SEARCH_QUERY)"
    Q="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SEARCH_QUERY")"
    "$BIN/examples/serve-load" "$ADDR" search "$Q" "$SEARCHES"
    echo "server peak RSS $(peak_rss_mib) MiB"
    stop
fi

if [ "$WHAT" = different ] || [ "$WHAT" = all ]; then
    [ -f "$DATA/big.jsonl" ] || "$BIN/examples/genlogs" --size "$SEARCH_SIZE" --seed 7 --out "$DATA/big.jsonl"
    : >"$DATA/queries"
    for level in ERROR WARN; do
        for word in timeout failed request process database token size refused query pool \
            connection authentication invalid returned upstream table deadlock detected \
            unexpected payload parse payments write waiting lock; do
            echo "level:$level $word" >>"$DATA/queries"
        done
    done
    start "$DATA/big.jsonl"
    echo "## Search: $(wc -l <"$DATA/queries") different concurrent searches on $SEARCH_SIZE (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "$BIN/examples/serve-load" "$ADDR" searches "$DATA/queries" | tee "$DATA/different.out" | grep -v '^total '
    echo "server peak RSS $(peak_rss_mib) MiB; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
    stop
    # Every total is the CLI's count.
    bad=0
    while read -r _ total q; do
        want="$("$BIN/covet-logs" search -c -q "$q" "$DATA/big.jsonl" || true)"
        if [ "$want" != "$total" ]; then
            echo "MISMATCH with the CLI: $q: API $total, search -c $want"
            bad=1
        fi
    done < <(grep '^total ' "$DATA/different.out")
    [ "$bad" = 0 ] && echo "every total equals covet-logs search -c"
fi
