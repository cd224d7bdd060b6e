#!/usr/bin/env bash
# Quick start, command 2: set up, build, and run every test (Catch2 through CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
