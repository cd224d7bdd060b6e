#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run the main job on the bundled default scenario:
# the control plane builds two nodes with flannel's vxlan backend, then one packet is walked from
# pod-a on node-1 to pod-c on node-2, step by step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/overlaylab walk scenarios/two-nodes.json --from pod-a --to pod-c
