#!/usr/bin/env bash
# Quick start, command 2: set up, build, and run every test (Catch2 through CTest), then the
# libFuzzer harnesses for FUZZ_SECONDS each (default 30; scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
bash scripts/fuzz.sh
