#!/usr/bin/env bash
# Installs the Debian packages overlaylab needs, then configures and builds into build/.
# Idempotent: packages already present are not reinstalled and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(g++ cmake make pkg-config catch2 libcli11-dev nlohmann-json3-dev libfmt-dev libpcap-dev
          iproute2 iputils-ping tshark containernetworking-plugins dnsmasq-base iperf3
          qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libboost-graph-dev libgoogle-perftools-dev fonts-dejavu-core
          clang libclang-rt-14-dev munge slurmctld slurmd slurm-client chromium xvfb xdotool)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_EXTRA:-} >/dev/null
cmake --build "$BUILD_DIR" -j2
