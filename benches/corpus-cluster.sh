#!/usr/bin/env bash
# Every file of the shared corpus through a loopback cluster (a scheduler and two
# executors) with small splits (many splits, several waves): four query forms, each
# output and exit code compared with the local engine's. A check, not a timing: prints
# each differing run and exits 1 if there is any.
#
# usage: BIN=target/release/covet-logs CORPUS=../shared/corpus bash benches/corpus-cluster.sh
#   BIN needs `--features cluster`.
set -uo pipefail
BIN=${BIN:-target/release/covet-logs}
CORPUS=${CORPUS:-../shared/corpus}
W=$(mktemp -d)
"$BIN" cluster scheduler --bind 127.0.0.1:0 2>"$W/s.err" & P1=$!
for _ in $(seq 100); do A=$(sed -n 's/.*listening on \([^,]*\).*/\1/p' "$W/s.err"); [ -n "$A" ] && break; sleep 0.1; done
"$BIN" cluster executor --scheduler "$A" --concurrency 1 2>"$W/e1.err" & P2=$!
"$BIN" cluster executor --scheduler "$A" --concurrency 1 2>"$W/e2.err" & P3=$!
sleep 2
trap 'kill $P1 $P2 $P3 2>/dev/null' EXIT
n=0; bad=0
while IFS= read -r -d '' f; do
  n=$((n+1))
  for args in "search --json --query=level:>=WARN" "search -n -C 1 --query=error" "search --newest-first -m 50 --query=-level:INFO" "stats --json"; do
    set -- $args
    "$BIN" "$@" --chunk-size 16384 "$f" >"$W/l.out" 2>"$W/l.err"; lc=$?
    "$BIN" "$1" --engine "df://$A" "${@:2}" --chunk-size 16384 "$f" >"$W/c.out" 2>"$W/c.err"; cc=$?
    if ! cmp -s "$W/l.out" "$W/c.out" || [ $lc != $cc ]; then
      bad=$((bad+1)); echo "DIFF: $f: $args (exit $lc/$cc) $(head -c 200 "$W/c.err")"
    fi
  done
done < <(find "$CORPUS" -type f ! -name 'README*' ! -name '*.md' -size -20M -print0 | sort -z)
echo "files $n, differing runs $bad"
[ "$bad" = 0 ]
