#!/usr/bin/env bash
# Measure the insights: false alarms over calm generated data sets and the detection of
# injected effects (gen::inject), in release mode. Prints the markdown table recorded in
# docs/benchmarks.md. INSIGHT_SETS data sets per effect (default 200) of INSIGHT_LINES
# entries (default 20000); JSON and text, 4 entry rates, 4 service mixes.
set -euo pipefail
cd "$(dirname "$0")/.."
INSIGHT_SETS=${INSIGHT_SETS:-200} INSIGHT_LINES=${INSIGHT_LINES:-20000} \
    cargo test --release --quiet --lib commands::insights::insight_table -- --ignored --nocapture \
    | grep -E '^(\||[0-9]+ data sets|$)'
