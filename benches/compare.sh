#!/usr/bin/env bash
# Compare covet-logs with ripgrep (and jq, for scale) on structured log questions.
#
# usage: bash benches/compare.sh [SIZE] [--record]
#
#   SIZE      how much JSON-lines log to generate (default 1G; K/M/G suffixes, binary)
#   --record  also append a dated section with the results to docs/benchmarks.md
#
# Environment: SEED (default 42), RUNS (hyperfine runs, default 5), WARMUP (default 2),
# SECTIONS (default "base fullparse"): `base` is rows 1-8 (literal queries against rg,
# threads, memory, time window, jq); `fullparse` the questions where every entry is
# parsed (issue 16 part 1): single-field predicates against `stats`, `stats` on JSON
# and on covet text of the same size, `--json` against the raw print, `export`.
#
# For every question the counts of all tools (and the generator's ground truth where
# it can compute one) must agree, else the script exits 1 after printing the table.
# A missed speed target is reported as FAIL in the table but does not change the exit
# status. See docs/benchmarks.md for what each row measures.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

SIZE=1G
RECORD=0
ARG="$SIZE"
bench_args --record RECORD 2,15 "$@"
SIZE="$ARG"
if ! [[ "$SIZE" =~ ^[0-9]+([KkMmGg]([Ii]?[Bb])?)?$ ]]; then
    echo "compare.sh: bad SIZE '$SIZE' (e.g. 1G, 256M)" >&2
    exit 2
fi
SEED="${SEED:-42}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-2}"


# --- tools ----------------------------------------------------------------------------
need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v hyperfine >/dev/null 2>&1 || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi
command -v cargo >/dev/null 2>&1 || { log "cargo is required"; exit 2; }

# --- build ----------------------------------------------------------------------------
# --bins as well: `--examples` alone does not rebuild the covet-logs binary.
log "cargo build --release --bins --examples"
cargo build --release --bins --examples >&2
export PATH="$ROOT/target/release:$ROOT/target/release/examples:$PATH"

# --- data -----------------------------------------------------------------------------
DATA="benches/data"
OUT="$DATA/hyperfine"
mkdir -p "$DATA" "$OUT"
F="$DATA/bench-$SIZE-$SEED.json"
SLICE="$DATA/bench-$SIZE-$SEED-head100M.json"
# The file is reused only when the generator's source is unchanged since it was written.
stamp="$(cat crates/covet-gen/src/lib.rs examples/genlogs.rs | sha256sum | cut -d' ' -f1) $SIZE $SEED"
if [ -f "$F" ] && [ -f "$F.stamp" ] && [ "$(cat "$F.stamp")" = "$stamp" ]; then
    log "reusing $F"
else
    log "generating $F"
    rm -f "$F" "$F.stamp" "$SLICE"
    genlogs --size "$SIZE" --seed "$SEED" --format json --out "$F.tmp"
    mv "$F.tmp" "$F"
    printf '%s\n' "$stamp" >"$F.stamp"
fi
BYTES=$(stat -c %s "$F")
LINES=$(wc -l <"$F")
SLICE_BYTES=$((100 * 1024 * 1024))
if [ "$BYTES" -le "$SLICE_BYTES" ]; then
    SLICE="$F"
elif [ ! -f "$SLICE" ]; then
    # Whole lines only: drop the (possibly cut) last line.
    head -c "$SLICE_BYTES" "$F" | sed '$d' >"$SLICE.tmp"
    mv "$SLICE.tmp" "$SLICE"
fi

# The time window: the whole minute that holds the entry in the middle of the file.
# (`|| true`: head closes the pipe early, and tail's SIGPIPE would trip pipefail.)
mid_line=$(tail -c +$((BYTES / 2)) "$F" | head -n 2 | tail -n 1) || true
mid_ts=$(printf '%s\n' "$mid_line" | jq -r .timestamp)
MINUTE="${mid_ts:0:16}" # 2024-01-15T04:39
T_SINCE="${MINUTE}:00Z"
T_UNTIL=$(date -u -d "@$(($(date -u -d "$T_SINCE" +%s) + 60))" +%Y-%m-%dT%H:%M:%SZ)
log "time window $T_SINCE .. $T_UNTIL"

# --- ground truth (one generator pass for all queries) ----------------------------------
Q_ET='level:ERROR timeout'
Q_ET_CS='level:ERROR case:timeout'
Q_USER='user_id:user_456'
Q_TIMEOUT='timeout'
Q_ERR='level:ERROR'
Q_WIN="since:$T_SINCE until:$T_UNTIL"
Q_ALL='level:>=DEBUG'
Q_DUR='duration_ms:>10000'
Q_STATUS='status:>=500 status:<=599'
# The generator's endpoints under /api/ (its ENDPOINTS table); their truths are summed
# for `metadata.endpoint:/api/*`, and rg's count of the raw spelling checks the table.
API_ENDPOINTS=(/api/v1/users/profile /api/v1/orders /api/v1/products /api/v1/auth/login
    /api/v1/cart /api/v1/search /api/v1/auth/refresh)
ep_truths=()
for ep in "${API_ENDPOINTS[@]}"; do ep_truths+=(--truth "endpoint:$ep"); done
log "computing ground truth with genlogs --truth"
truth_out=$(genlogs --size "$SIZE" --seed "$SEED" --format json \
    --truth "$Q_ET" --truth "$Q_ET_CS" --truth "$Q_USER" --truth "$Q_TIMEOUT" --truth "$Q_ERR" --truth "$Q_WIN" \
    --truth "$Q_ALL" --truth "$Q_DUR" --truth "$Q_STATUS" "${ep_truths[@]}")
declare -A TRUTH
while IFS=$'\t' read -r n q; do
    TRUTH["$q"]="$n"
done <<<"$truth_out"
API_TRUTH=0
for ep in "${API_ENDPOINTS[@]}"; do API_TRUTH=$((API_TRUTH + ${TRUTH["endpoint:$ep"]:-0})); done
for q in "$Q_ET" "$Q_ET_CS" "$Q_USER" "$Q_TIMEOUT" "$Q_ERR" "$Q_WIN" "$Q_ALL" "$Q_DUR" "$Q_STATUS"; do
    [ -n "${TRUTH[$q]:-}" ] || TRUTH["$q"]="missing"
done

log "warming the page cache"
cat "$F" >/dev/null
[ "$SLICE" = "$F" ] || cat "$SLICE" >/dev/null

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- helpers --------------------------------------------------------------------------
q() { printf '%q' "$1"; }
QF=$(q "$F")
QS=$(q "$SLICE")

MISMATCH=0
MISMATCHES=""
ROWS=""
COMMANDS=""

# run_count CMD: prints the command's stdout (a count); fails on exit codes other than
# 0 and 1 (1 is "no match" for both tools).
run_count() {
    local out rc=0
    out=$(bash -c "$1") || rc=$?
    if [ "$rc" -gt 1 ]; then
        log "command failed (exit $rc): $1"
        echo "ERROR"
        return 0
    fi
    printf '%s' "$out" | tr -d '[:space:]'
}

# agree LABEL "name=value"...: all values must be equal; prints them for the table.
agree() {
    local label="$1" first="" ok=1 kv v shown=""
    shift
    for kv in "$@"; do
        v="${kv#*=}"
        [ -n "$first" ] || first="$v"
        [ "$v" = "$first" ] || ok=0
        shown="$shown${shown:+, }$kv"
    done
    # Agreement needs a generator truth among the values and a count above zero (two
    # zeros agreeing prove nothing).
    case " $* " in *" truth="*) ;; *) ok=0 ;; esac
    if [ "$ok" -eq 1 ] && [ "$first" != "ERROR" ] && [ -n "$first" ] && [ "$first" != "0" ] &&
        [ "$first" != "missing" ]; then
        AGREED="$first"
        log "$label: counts agree ($first)"
    else
        AGREED="MISMATCH"
        MISMATCH=1
        MISMATCHES="$MISMATCHES- $label: $shown"$'\n'
        log "$label: COUNT MISMATCH: $shown"
    fi
}

# bench NAME CMD_A CMD_B [extra hyperfine args]: times both, sets MEAN_A/SD_A/MEAN_B/SD_B
# in seconds.
bench() {
    local name="$1" a="$2" b="$3" json
    shift 3
    json="$OUT/$name.json"
    log "hyperfine: $name"
    hyperfine --style basic --ignore-failure --warmup "$WARMUP" --runs "$RUNS" \
        --export-json "$json" "$@" "$a" "$b" >&2
    MEAN_A=$(jq -r '.results[0].mean' "$json")
    SD_A=$(jq -r '.results[0].stddev // 0' "$json")
    MEAN_B=$(jq -r '.results[1].mean' "$json")
    SD_B=$(jq -r '.results[1].stddev // 0' "$json")
}

ms() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.1f ms ± %.1f", m * 1000, s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict VALUE OP LIMIT -> PASS/FAIL
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        ok = (op == "<=") ? v <= l : (op == ">=") ? v >= l : (op == "<") ? v < l : 0
        print ok ? "PASS" : "FAIL" }'
}

row() { ROWS="$ROWS| $1 | $2 | $3 | $4 | $5 | $6 | $7 |"$'\n'; }
cmds() { COMMANDS="$COMMANDS- $1"$'\n'; }

# pair NAME QUESTION COVET_CMD RG_CMD TARGET(ratio <=) COUNT(for the table) [hyperfine args]
pair() {
    local name="$1" question="$2" a="$3" b="$4" target="$5" count="$6" r status
    shift 6
    bench "$name" "$a" "$b" "$@"
    r=$(ratio "$MEAN_A" "$MEAN_B")
    status=$(verdict "$r" "<=" "$target")
    [ "$count" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
    row "$question" "$count" "$(ms "$MEAN_A" "$SD_A")" "$(ms "$MEAN_B" "$SD_B")" "$r" "≤ $target" "$status"
    cmds "$question: \`$a\` vs \`$b\`"
}

# want SECTION: whether SECTIONS asks for it.
want() { [[ " ${SECTIONS:-base fullparse} " == *" $1 "* ]]; }
CPU_FREE="not probed"

if want base; then
# --- 1. level:ERROR timeout (case-sensitive, like rg's pattern) -------------------------
A="covet-logs search -s -c 'level:ERROR timeout' $QF"
B="rg -c '\"level\":\"ERROR\".*timeout' $QF"
agree "level:ERROR timeout (-s)" "covet-logs=$(run_count "$A")" "rg=$(run_count "$B")" \
    "truth=${TRUTH[$Q_ET_CS]}"
pair error_timeout_cs "ERROR + \`timeout\` (case-sensitive, -s)" "$A" "$B" 1.0 "$AGREED"

# --- 1b. the same, case-insensitive (covet-logs' default) -------------------------------
A="covet-logs search -c 'level:ERROR timeout' $QF"
B="rg -c -i '\"level\":\"ERROR\".*timeout' $QF"
agree "level:ERROR timeout (ci)" "covet-logs=$(run_count "$A")" "rg=$(run_count "$B")" \
    "truth=${TRUTH[$Q_ET]}"
pair error_timeout_ci "ERROR + \`timeout\` (ignore case; extra row)" "$A" "$B" 1.0 "$AGREED"

# --- 2. user_id:user_456 --------------------------------------------------------------
A="covet-logs search -c 'user_id:user_456' $QF"
B="rg -c user_456 $QF"
agree "user_id:user_456" "covet-logs=$(run_count "$A")" "rg=$(run_count "$B")" \
    "truth=${TRUTH[$Q_USER]}"
pair user_id "\`user_id:user_456\`" "$A" "$B" 1.2 "$AGREED"

# --- 3. bare word, ignore case ----------------------------------------------------------
A="covet-logs search -c timeout $QF"
B="rg -c -i timeout $QF"
agree "timeout" "covet-logs=$(run_count "$A")" "rg=$(run_count "$B")" \
    "truth=${TRUTH[$Q_TIMEOUT]}"
pair word_ci "word \`timeout\` (ignore case)" "$A" "$B" 1.2 "$AGREED"

# --- 4. print all ERROR entries ---------------------------------------------------------
A="covet-logs search level:ERROR $QF"
B="rg '\"level\":\"ERROR\"' $QF"
agree "level:ERROR" "covet-logs -c=$(run_count "covet-logs search -c level:ERROR $QF")" \
    "rg -c=$(run_count "rg -c '\"level\":\"ERROR\"' $QF")" \
    "covet-logs|wc -l=$(run_count "$A | wc -l")" "rg|wc -l=$(run_count "$B | wc -l")" \
    "truth=${TRUTH[$Q_ERR]}"
# Output through a pipe (not /dev/null), so neither tool can skip the printing.
pair print_errors "print every ERROR entry (output piped)" "$A" "$B" 1.5 "$AGREED" --output=pipe

# --- 5. threads ------------------------------------------------------------------------
# How much CPU the machine gives right now: `nproc` busy loops for 2 s. Far below
# nproc*100% means other work holds the cores, and the speedup below cannot show.
cpu_probe() {
    local n
    n=$(nproc)
    # shellcheck disable=SC2016 # expanded by the inner bash
    /usr/bin/time -f %P -o "$OUT/cpu-probe.txt" bash -c \
        'for _ in $(seq "$1"); do timeout 2 bash -c "while :; do :; done" & done; wait' _ "$n" || true
    printf '%s of %s%%' "$(tail -n 1 "$OUT/cpu-probe.txt")" "$((n * 100))"
}
CPU_FREE=$(cpu_probe)
log "CPU obtained by $(nproc) busy loops: $CPU_FREE"
A="covet-logs search -c 'level:ERROR timeout' --threads 2 $QF"
B="covet-logs search -c 'level:ERROR timeout' --threads 1 $QF"
agree "threads" "threads 2=$(run_count "$A")" "threads 1=$(run_count "$B")" \
    "truth=${TRUTH[$Q_ET]}"
bench threads "$A" "$B"
speedup=$(ratio "$MEAN_B" "$MEAN_A")
status=$(verdict "$speedup" ">=" 1.6)
[ "$AGREED" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
row "ERROR + \`timeout\`: \`--threads 2\` vs \`--threads 1\` (speedup; CPU probe: $CPU_FREE)" "$AGREED" \
    "$(ms "$MEAN_A" "$SD_A")" "$(ms "$MEAN_B" "$SD_B")" "${speedup}x" "≥ 1.6x" "$status"
cmds "threads: \`$A\` vs \`$B\`"

# --- 6. memory on stdin ----------------------------------------------------------------
A="cat $QF | covet-logs search -c 'level:ERROR timeout'"
peak=0
stdin_count=""
for _ in 1 2 3; do
    # A pipe, not `< file`: stdin must not be a regular file that could be mapped.
    # shellcheck disable=SC2002
    c=$(cat "$F" | /usr/bin/time -f %M -o "$OUT/rss.txt" covet-logs search -c 'level:ERROR timeout') || true
    stdin_count="$c"
    kb=$(tail -n 1 "$OUT/rss.txt")
    [ "$kb" -le "$peak" ] || peak="$kb"
done
agree "stdin" "stdin=$stdin_count" "truth=${TRUTH[$Q_ET]}"
mib=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
status=$(verdict "$mib" "<" 64)
[ "$AGREED" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
row "peak RSS reading stdin: \`cat F\` piped to \`search -c 'level:ERROR timeout'\` (max of 3)" "$AGREED" \
    "$mib MiB" "—" "—" "< 64 MiB" "$status"
cmds "memory: \`$A\` under \`/usr/bin/time -f %M\`"

# --- 7. time window ---------------------------------------------------------------------
# The empty query '' is needed: without it the file path would be taken as the query.
A="covet-logs search -c --since $T_SINCE --until $T_UNTIL '' $QF"
B="rg -c '\"timestamp\":\"$MINUTE:' $QF"
agree "time window" "covet-logs=$(run_count "$A")" "rg=$(run_count "$B")" \
    "truth=${TRUTH[$Q_WIN]}"
wruns=$((RUNS > 20 ? RUNS : 20))
log "hyperfine: time_window"
hyperfine --style basic --ignore-failure --warmup "$WARMUP" --runs "$wruns" \
    --export-json "$OUT/time_window.json" "$A" "$B" >&2
MEAN_A=$(jq -r '.results[0].mean' "$OUT/time_window.json")
SD_A=$(jq -r '.results[0].stddev // 0' "$OUT/time_window.json")
MEAN_B=$(jq -r '.results[1].mean' "$OUT/time_window.json")
SD_B=$(jq -r '.results[1].stddev // 0' "$OUT/time_window.json")
wms=$(awk -v m="$MEAN_A" 'BEGIN { printf "%.3f", m * 1000 }')
status=$(verdict "$wms" "<" 20)
[ "$AGREED" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
row "one minute mid-file, \`--since $T_SINCE --until $T_UNTIL\` ($wruns runs)" "$AGREED" \
    "$(ms "$MEAN_A" "$SD_A")" "$(ms "$MEAN_B" "$SD_B")" "$(ratio "$MEAN_A" "$MEAN_B")" \
    "< 20 ms" "$status"
cmds "time window: \`$A\` vs \`$B\`"

# --- 8. jq, for scale (first 100 MiB) -----------------------------------------------------
A="covet-logs search level:ERROR $QS"
B="jq -c 'select(.level==\"ERROR\")' $QS"
# The slice is the first entries of the same stream: the generator's truth for them.
slice_lines=$(wc -l <"$SLICE")
slice_truth=$(genlogs --lines "$slice_lines" --seed "$SEED" --format json --truth "$Q_ERR" | cut -f1)
agree "jq slice" "covet-logs -c=$(run_count "covet-logs search -c level:ERROR $QS")" \
    "rg -c=$(run_count "rg -c '\"level\":\"ERROR\"' $QS")" "jq|wc -l=$(run_count "$B | wc -l")" \
    "truth=$slice_truth"
log "hyperfine: jq (1 warmup, 3 runs)"
hyperfine --style basic --ignore-failure --output=pipe --warmup 1 --runs 3 \
    --export-json "$OUT/jq.json" "$A" "$B" >&2
MEAN_A=$(jq -r '.results[0].mean' "$OUT/jq.json")
SD_A=$(jq -r '.results[0].stddev // 0' "$OUT/jq.json")
MEAN_B=$(jq -r '.results[1].mean' "$OUT/jq.json")
SD_B=$(jq -r '.results[1].stddev // 0' "$OUT/jq.json")
slice_mib=$(awk -v b="$(stat -c %s "$SLICE")" 'BEGIN { printf "%.0f", b / 1048576 }')
status="info"
[ "$AGREED" != "MISMATCH" ] || status="COUNT MISMATCH"
row "print ERROR entries, first $slice_mib MiB, jq as baseline (3 runs)" "$AGREED" \
    "$(ms "$MEAN_A" "$SD_A")" "$(ms "$MEAN_B" "$SD_B")" "$(ratio "$MEAN_A" "$MEAN_B")" "—" "$status"
cmds "jq: \`$A\` vs \`$B\`"

fi # base

if want fullparse; then
# --- 9. full-parse paths (issue 16 part 1) ----------------------------------------------
GB=$(awk -v b="$BYTES" 'BEGIN { printf "%.4f", b / 1e9 }')
# per_gb SECONDS -> seconds per 10^9 bytes of the JSON file
per_gb() { awk -v t="$1" -v g="$GB" 'BEGIN { printf "%.3f", t / g }'; }
mbps() { awk -v t="$1" -v b="$2" 'BEGIN { printf "%.0f", b / t / 1e6 }'; }
STATS_JSON="covet-logs stats $QF"

# 9a. A single-field predicate over every entry, against `stats` on the same file (which
# also reads every entry); the target is both a ratio <= 1 and <= 0.5 s per GB.
field_row() {
    local name="$1" query="$2" truth="$3" extra="$4" a r s status
    a="covet-logs search -c '$query' $QF"
    # shellcheck disable=SC2086 # extra is one "name=value" word or empty
    agree "$query" "covet-logs=$(run_count "$a")" "truth=$truth" $extra
    bench "$name" "$a" "$STATS_JSON"
    r=$(ratio "$MEAN_A" "$MEAN_B")
    s=$(per_gb "$MEAN_A")
    status="$(verdict "$r" "<=" 1.0)/$(verdict "$s" "<=" 0.5)"
    [ "$AGREED" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
    row "\`$query\` (baseline: \`stats\`; $s s/GB)" "$AGREED" "$(ms "$MEAN_A" "$SD_A")" \
        "$(ms "$MEAN_B" "$SD_B")" "$r" "≤ 1.0 / ≤ 0.5 s/GB" "$status"
    cmds "$query: \`$a\` vs \`$STATS_JSON\`"
}
field_row field_duration "$Q_DUR" "${TRUTH[$Q_DUR]}" ""
field_row field_status 'status:500..599' "${TRUTH[$Q_STATUS]}" ""
field_row field_endpoint 'metadata.endpoint:/api/*' "$API_TRUTH" \
    "rg=$(run_count "rg -c '\"endpoint\":\"/api/' $QF")"

# 9b. stats on JSON lines and on covet text of the same size, against an rg pass that
# counts the entries (the same count as stats' totalLogs and the generator's).
FT="$DATA/bench-$SIZE-$SEED.text"
tstamp="$stamp text"
if [ -f "$FT" ] && [ -f "$FT.stamp" ] && [ "$(cat "$FT.stamp")" = "$tstamp" ]; then
    log "reusing $FT"
else
    log "generating $FT"
    rm -f "$FT" "$FT.stamp"
    genlogs --size "$SIZE" --seed "$SEED" --format text --out "$FT.tmp"
    mv "$FT.tmp" "$FT"
    printf '%s\n' "$tstamp" >"$FT.stamp"
fi
cat "$FT" >/dev/null
QFT=$(q "$FT")
TBYTES=$(stat -c %s "$FT")
TEXT_ALL=$(genlogs --size "$SIZE" --seed "$SEED" --format text --truth "$Q_ALL" | cut -f1)
stats_row() {
    local name="$1" label="$2" file="$3" bytes="$4" truth="$5" rgq="$6" limit="$7" a b s status
    a="covet-logs stats $file"
    b="rg -c $rgq $file"
    agree "stats $label" "covet-logs=$(run_count "covet-logs stats --json $file | jq .totalLogs")" \
        "rg=$(run_count "$b")" "truth=$truth"
    bench "$name" "$a" "$b"
    s=$(awk -v t="$MEAN_A" -v b="$bytes" 'BEGIN { printf "%.3f", t / (b / 1e9) }')
    status=$(verdict "$s" "<=" "$limit")
    [ "$AGREED" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
    row "\`stats\`, $label ($s s/GB; baseline: rg counting the entries)" "$AGREED" \
        "$(ms "$MEAN_A" "$SD_A")" "$(ms "$MEAN_B" "$SD_B")" "$(ratio "$MEAN_A" "$MEAN_B")" \
        "≤ $limit s/GB" "$status"
    cmds "stats $label: \`$a\` vs \`$b\`"
}
stats_row stats_json "JSON lines" "$QF" "$BYTES" "${TRUTH[$Q_ALL]}" "'\"level\":\"'" 0.5
stats_row stats_text "covet text, $TBYTES bytes" "$QFT" "$TBYTES" "$TEXT_ALL" \
    "'^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+ \\['" 0.8

# 9c. --json output against the raw print of the same matches (both through a pipe).
A="covet-logs search --json level:ERROR $QF"
B="covet-logs search level:ERROR $QF"
agree "--json level:ERROR" "json|wc -l=$(run_count "$A | wc -l")" \
    "raw|wc -l=$(run_count "$B | wc -l")" "truth=${TRUTH[$Q_ERR]}"
pair json_print "\`search --json level:ERROR\` (baseline: the raw print, output piped)" \
    "$A" "$B" 1.5 "$AGREED" --output=pipe

# 9d. export of the whole file (output piped), against `cat` of the file.
export_row() {
    local fmt="$1" header="$2" a b mb status
    a="covet-logs export --format $fmt $QF"
    b="cat $QF"
    agree "export $fmt" "rows=$(run_count "$a | wc -l | awk -v h=$header '{ print \$1 - h }'")" \
        "truth=${TRUTH[$Q_ALL]}"
    bench "export_$fmt" "$a" "$b" --output=pipe
    mb=$(mbps "$MEAN_A" "$BYTES")
    status=$(verdict "$mb" ">=" 500)
    [ "$AGREED" != "MISMATCH" ] || status="$status, COUNT MISMATCH"
    row "\`export --format $fmt\` ($mb MB/s of input; baseline: \`cat\`)" "$AGREED" \
        "$(ms "$MEAN_A" "$SD_A")" "$(ms "$MEAN_B" "$SD_B")" "$(ratio "$MEAN_A" "$MEAN_B")" \
        "≥ 500 MB/s" "$status"
    cmds "export $fmt: \`$a\` vs \`$b\`"
}
export_row ndjson 0
export_row csv 1
fi # fullparse

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ---------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes)"
fi
report=$(
    echo "Data: \`$F\`: $BYTES bytes, $LINES entries (genlogs --size $SIZE --seed $SEED --format json)."
    echo "hyperfine: --warmup $WARMUP --runs $RUNS (unless noted); means ± standard deviation."
    echo "Ratio = covet-logs mean / baseline mean (lower is better), except the threads row (speedup)."
    echo
    echo "| question | matches | covet-logs | baseline | ratio | target | result |"
    echo "|---|---:|---:|---:|---:|---|---|"
    printf '%s' "$ROWS"
    echo
    echo "Commands (run from the repository root, \`target/release\` first in PATH):"
    echo
    printf '%s' "$COMMANDS"
    echo
    echo "Machine: $(nproc) cores, $cpu, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
        "load average before/after: $LOAD_BEFORE / $LOAD_AFTER;" \
        "CPU obtained by $(nproc) busy loops before the threads row: $CPU_FREE."
    echo "Versions: $(covet-logs --version) (commit $commit), $(rg --version | sed -n 1p)," \
        "$(hyperfine --version), $(jq --version), $(rustc --version)."
    if [ "$MISMATCH" -ne 0 ]; then
        echo
        echo "**Count mismatches:**"
        echo
        printf '%s' "$MISMATCHES"
    fi
)
printf '%s\n' "$report"

if [ "$MISMATCH" -ne 0 ]; then
    log "counts disagree:"
    printf '%s' "$MISMATCHES" >&2
    exit 1
fi

if [ "$RECORD" -eq 1 ]; then
    {
        echo
        echo "### $(date -u +%Y-%m-%d\ %H:%M\ UTC), $SIZE"
        echo
        printf '%s\n' "$report"
    } >>docs/benchmarks.md
    log "appended the results to docs/benchmarks.md"
fi
