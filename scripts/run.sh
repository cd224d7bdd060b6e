#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run the main job on the bundled default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/overlaylab ping tests/data/two-nodes-vxlan.sh --from pod-a1 --to 10.244.2.2 --trace
