#!/usr/bin/env bash
# Runs the corpus check (see corpus-check.py) with the debug build that `cargo test`
# already made (the corpus files are small; a release build would only cost CI time).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
python3 .ci/corpus-check.py "$1" "${CARGO_TARGET_DIR:-target}/debug/covet-logs"
