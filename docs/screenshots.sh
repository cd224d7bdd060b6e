#!/usr/bin/env bash
# Regenerates the README's screenshots with the GUI's offscreen renderer (no display needed).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
G=build/overlaylab-gui
S=scenarios/two-nodes.json
$G $S --mode vxlan --walk pod-a:pod-c --step vxlan_xmit --screenshot docs/vxlan-walk-vxlan_xmit.png
$G $S --mode udp --walk pod-a:pod-c --step tun_do_read --screenshot docs/udp-walk-tun_do_read.png
$G $S --mode vxlan --walk pod-a:pod-c --step vxlan_xmit --view side --screenshot docs/side-by-side.png
$G $S --view charts --screenshot docs/charts.png
$G $S --mode vxlan --view tables --screenshot docs/tables.png
$G scenarios/three-nodes-join.json --view charts --screenshot docs/charts-three-nodes-join.png
