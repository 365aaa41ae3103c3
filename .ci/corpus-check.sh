#!/usr/bin/env bash
# Runs the corpus check (see corpus-check.py) with a release build of covet-logs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 .ci/corpus-check.py "$1" target/release/covet-logs
