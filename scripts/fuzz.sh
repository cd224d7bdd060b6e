#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (build-fuzz/, AddressSanitizer + UBSan) and runs each for
# FUZZ_SECONDS (default 30) on a corpus seeded from the repository's own files. A crash, a leak or
# a hang (10 s on one input) fails; the input that did it is kept under build-fuzz/findings/ and
# belongs in tests/fuzz/regressions/<harness>/ with the fix (each is replayed here first).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${FUZZ_BUILD_DIR:-build-fuzz}
SECS=${FUZZ_SECONDS:-30}
HARNESSES=(scenario netconfig wire profile udpd)
CC=clang CXX=clang++ cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOVERLAYLAB_FUZZ=ON -DOVERLAYLAB_GUI=OFF >/dev/null
cmake --build "$B" -j2 --target "${HARNESSES[@]/#/fuzz_}" >/dev/null

seeds() {  # the files each harness starts from
  case "$1" in
    scenario) ls scenarios/*.json tests/data/*.json tests/data/bad/*.json ;;
    netconfig) ls tests/data/*.sh tests/data/bad/*.sh ;;
    wire) ls tests/fuzz/seeds/wire/* ;;
    profile) ls models/cost/default.json tests/data/bad-profile.json results/calibration/*/profile.json ;;
    udpd) ls tests/fuzz/seeds/udpd/* ;;
  esac
}

failed=0
for h in "${HARNESSES[@]}"; do
  corpus="$B/corpus/$h" findings="$B/findings/$h"
  mkdir -p "$corpus" "$findings"
  for f in $(seeds "$h"); do cp "$f" "$corpus/${f//\//_}"; done  # by path: several seeds are named profile.json
  if [ -d "tests/fuzz/regressions/$h" ]; then  # every input that once crashed, first
    "$B/fuzz/fuzz_$h" tests/fuzz/regressions/"$h"/* >/dev/null 2>&1 || { echo "fuzz $h: a regression input crashes again"; failed=1; }
  fi
  log="$B/fuzz-$h.log"
  if ASAN_OPTIONS=detect_leaks=1 "$B/fuzz/fuzz_$h" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz $h: ${SECS} s, $runs inputs, coverage $cov edges, corpus $(ls "$corpus" | wc -l) files: no crash, leak or hang"
  else
    echo "fuzz $h: FAILED; the input is in $findings/, the report in $log:"
    grep -m 5 -E 'ERROR|SUMMARY|Test unit written' "$log" || tail -5 "$log"
    failed=1
  fi
done
exit $failed
