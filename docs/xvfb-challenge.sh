#!/usr/bin/env bash
# A challenge round on a real X display (Xvfb), driven by real mouse clicks (xdotool): the route
# right, the device wrong, the rest right; then File ▸ Export view as PNG through the GUI's own
# dialog. Writes docs/xvfb-challenge.png (or the file given); OVERLAYLAB_GUI names another build's
# overlaylab-gui. Needs xvfb and xdotool (setup.sh installs them).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(realpath -m "${1:-$HERE/docs/xvfb-challenge.png}")
GUI_BIN=$(realpath -m "${OVERLAYLAB_GUI:-$HERE/build/overlaylab-gui}")
cd "$HERE"
WORK=$(mktemp -d)
rm -f "$OUT"
# A free display number, chosen by Xvfb itself (-displayfd writes it once the server is ready).
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$WORK/display" >/dev/null 2>&1 &
XVFB=$!
GUI=
trap 'kill $GUI $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
[ -s "$WORK/display" ] || { echo "xvfb-challenge: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(cat "$WORK/display")" QT_QPA_PLATFORM=xcb

"$GUI_BIN" scenarios/two-nodes.json --mode vxlan --walk pod-a:pod-c --view challenge --widgets >"$WORK/widgets" 2>/dev/null &
GUI=$!
for _ in $(seq 100); do grep -q next-question "$WORK/widgets" 2>/dev/null && break; sleep 0.1; done
grep -q next-question "$WORK/widgets" || { echo "xvfb-challenge: the GUI did not come up" >&2; exit 1; }

# Clicks the centre of the button or tab the GUI listed under that name.
click() {
  read -r x y < <(awk -F'\t' -v n="$1" '$2 == n { print $3, $4; exit }' "$WORK/widgets")
  [ -n "${x:-}" ] || { echo "xvfb-challenge: no widget named $1" >&2; exit 1; }
  xdotool mousemove "$x" "$y" click 1
  sleep 0.5
}

click choice-2        # 1: the route 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink — right
click next-question
click choice-1        # 2: out of cni0? — wrong (flannel.1)
click next-question
click choice-1        # 3: the PERMANENT neighbour 10.244.2.0 — right
click next-question
click choice-1        # 4: the VXLAN FDB entry to 192.168.100.12 — right
click next-question
click choice-4        # 5: outer destination 192.168.100.12 — right
xdotool key ctrl+e    # File ▸ Export view as PNG…
timeout 20 xdotool search --sync --name "Export the view" >/dev/null
sleep 0.3
xdotool key ctrl+a type --delay 20 "$OUT"
xdotool key Return
for _ in $(seq 50); do [ -s "$OUT" ] && break; sleep 0.1; done
[ -s "$OUT" ] || { echo "xvfb-challenge: no screenshot written" >&2; exit 1; }
echo "xvfb-challenge: wrote $OUT"
