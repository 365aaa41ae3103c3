#!/usr/bin/env bash
# Peak memory (max RSS) of every command on big inputs of several shapes: the check
# behind the "Memory bounds" section of docs/ARCHITECTURE.md (issue 10, case 13).
#
# usage: bash benches/memory.sh [SIZE] [--keep]
#
#   SIZE    input size per shape (K, M, G suffixes, binary; default 200M; the bound
#           is stated for 1G: `bash benches/memory.sh 1G`)
#   --keep  keep the generated inputs in benches/data/memory-SIZE/ (default: removed)
#
# Shapes: json (generated JSON lines), covet (generated covet text, multi-line
# entries), huge-line (one SIZE-byte line, no newline), many-keys (JSON lines, each
# with a key no other line has). Commands: search, search -c, search -c on stdin,
# search --json, search --newest-first (every entry), stats, export ndjson,
# export csv, fields, context, tail -n 100.
#
# Environment: TIMEOUT (seconds per run, default 300), MEMCAP_MB (address-space cap
# per run, default 8192, so a runaway command fails instead of taking the machine),
# CARGO_TARGET_DIR. Prints a markdown table: peak RSS in MiB, wall time, exit code;
# a run killed by the timeout or the cap shows `timeout`/`cap`. Needs GNU time
# (/usr/bin/time, installed with apt-get when missing).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
SIZE="200M"
KEEP=0
ARG="$SIZE"
bench_args --keep KEEP 2,20 "$@"
SIZE="$ARG"
TIMEOUT="${TIMEOUT:-300}"
MEMCAP_MB="${MEMCAP_MB:-8192}"

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >&2
fi

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
log "building release binary and generator"
cargo build --release --bin covet-logs --example genlogs >&2
BIN="$TARGET/release/covet-logs"
GEN="$TARGET/release/examples/genlogs"

DATA="benches/data/memory-$SIZE"
mkdir -p "$DATA"
cleanup() { if [ "$KEEP" -eq 0 ]; then rm -rf "$DATA"; fi; }
trap cleanup EXIT
BYTES=$(numfmt --from=iec "$SIZE")

# ---------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------

gen_json() { "$GEN" --size "$SIZE" --seed 13 --format json --out "$1"; }
gen_covet() { "$GEN" --size "$SIZE" --seed 13 --format text --out "$1"; }
# One line of SIZE bytes and no newline: one entry as big as the input.
gen_huge_line() { head -c "$BYTES" /dev/zero | tr '\0' 'x' > "$1"; }
# Every line brings a key that no other line has.
gen_many_keys() {
    awk -v bytes="$BYTES" 'BEGIN {
        n = 0; total = 0
        while (total < bytes) {
            line = sprintf("{\"timestamp\":\"2024-01-15T00:00:%02d.000Z\",\"level\":\"info\",\"message\":\"m %d\",\"key_%d\":%d}", n % 60, n, n, n)
            print line
            total += length(line) + 1
            n++
        }
    }' > "$1"
}

SHAPES=(json covet huge-line many-keys)
for shape in "${SHAPES[@]}"; do
    file="$DATA/$shape.log"
    if [ ! -s "$file" ]; then
        log "generating $file ($SIZE)"
        "gen_${shape//-/_}" "$file"
    fi
done

# ---------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------

# name|arguments (FILE is replaced by the input, ALL by the empty query that matches
# every entry; a leading `<` feeds the input on stdin)
COMMANDS=(
    "search|search level:ERROR FILE"
    "search -c|search -c level:ERROR FILE"
    "search -c (stdin)|< search -c level:ERROR"
    "search --json|search --json level:ERROR FILE"
    "search --newest-first (all)|search --newest-first ALL FILE"
    "stats|stats FILE"
    "export ndjson|export --format ndjson FILE"
    "export csv|export --format csv FILE"
    "fields|fields FILE"
    "context|context FILE:1 --by none"
    "tail -n 100|tail -n 100 FILE"
)

# Runs one command; prints `RSS_MiB|seconds|exit`.
measure() {
    local file="$1" args="$2" stdin="/dev/null" stats="$DATA/time.txt"
    if [[ "$args" == "< "* ]]; then
        stdin="$file"
        args="${args#< }"
    fi
    # shellcheck disable=SC2086 # the argument list is split on purpose
    set -- ${args//FILE/$file}
    local argv=()
    for a in "$@"; do [ "$a" = ALL ] && argv+=("") || argv+=("$a"); done
    set -- "${argv[@]}"
    local code=0
    (
        ulimit -v $((MEMCAP_MB * 1024))
        # time's %M is the largest RSS among the processes it waited for: covet-logs.
        exec /usr/bin/time -f '%M %e' -o "$stats" timeout "$TIMEOUT" "$BIN" "$@" \
            < "$stdin" > /dev/null 2> "$DATA/stderr.txt"
    ) || code=$?
    local rss secs
    read -r rss secs < <(tail -n 1 "$stats" 2>/dev/null || echo "0 0")
    [[ "$rss" =~ ^[0-9]+$ ]] || rss=0
    local status="$code"
    if [ "$code" -eq 124 ]; then
        status="timeout"
    elif grep -q "memory allocation\|out of memory\|Cannot allocate" "$DATA/stderr.txt"; then
        status="cap"
    fi
    printf '%s|%s|%s\n' "$((rss / 1024))" "${secs:-?}" "$status"
}

printf '\n### memory, %s, %s per shape (%s cores, %s)\n\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$SIZE" "$(nproc)" "$("$BIN" --version)"
printf '| command |'
for shape in "${SHAPES[@]}"; do printf ' %s |' "$shape"; done
printf '\n|---|'
for _ in "${SHAPES[@]}"; do printf -- '---|'; done
printf '\n'
for entry in "${COMMANDS[@]}"; do
    name="${entry%%|*}"
    args="${entry#*|}"
    printf '| %s |' "$name"
    for shape in "${SHAPES[@]}"; do
        file="$DATA/$shape.log"
        cat "$file" > /dev/null # warm the page cache
        IFS='|' read -r rss secs status < <(measure "$file" "$args")
        log "$shape: $name: ${rss} MiB, ${secs} s, exit $status"
        case "$status" in
            0 | 1) printf ' %s MiB, %s s |' "$rss" "$secs" ;;
            *) printf ' %s MiB, %s s (%s) |' "$rss" "$secs" "$status" ;;
        esac
    done
    printf '\n'
done
printf '\nCells: peak RSS (GNU time %%M), wall time; exit 0/1 unless shown. A cell marked\n'
printf '`timeout` ran out of %s s, `cap` hit the %s MiB address-space cap, 2 is an error.\n' \
    "$TIMEOUT" "$MEMCAP_MB"
