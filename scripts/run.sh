#!/usr/bin/env bash
# Quick start, command 1: set up, build, and run the main job on the bundled default scenario:
# two nodes, their control plane, then a ping and a TCP bulk flow in host-gw, udp and vxlan,
# side by side on the terminal, with the CSV in overlaylab-out/two-nodes/ (a scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/overlaylab compare scenarios/two-nodes.json
