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
$G $S --mode vxlan --walk pod-a:pod-c --view plugins --screenshot docs/plugins-bridge-vs-ptp.png
$G $S --view charts --screenshot docs/charts.png
$G $S --mode vxlan --view tables --screenshot docs/tables.png
$G scenarios/three-nodes-join.json --view charts --screenshot docs/charts-three-nodes-join.png
$G scenarios/three-nodes-join.json --view control --control "node node-3" --screenshot docs/control-node-3-joins.png
$G $S --mode vxlan --walk pod-a:pod-c --view challenge --screenshot docs/challenge.png
# The walk exported as HTML (overlaylab walk --html), as headless Chromium renders it.
build/overlaylab walk $S --mode vxlan --from pod-a --to pod-c --html build/walk-vxlan.html >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$(mktemp -d)" --window-size=1200,1600 \
  --screenshot=docs/walk-html-chromium.png "file://$PWD/build/walk-vxlan.html" 2>/dev/null
