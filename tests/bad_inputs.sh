#!/bin/sh
# Every file under tests/data/bad/ is refused by every command that reads it: exit status 2, a
# message naming the file, and nothing written (no results directory, no state directory).
# Usage: bad_inputs.sh OVERLAYLAB BAD_DIR
ol=$1
bad=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
n=0
check() {  # FILE COMMAND...
  f=$1
  shift
  n=$((n + 1))
  "$@" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 2 ]; then echo "FAIL $f: $* exited $rc, not 2"; fails=$((fails + 1)); fi
  if ! grep -q "$(basename "$f")" "$work/err"; then echo "FAIL $f: the message does not name the file"; fails=$((fails + 1)); fi
  if [ -e "$work/written" ]; then echo "FAIL $f: $* wrote $(find "$work/written" | head -3)"; fails=$((fails + 1)); fi
  rm -rf "$work/written"
}
for f in "$bad"/*.json; do
  check "$f" "$ol" compare "$f" --out "$work/written" --timeline-svg "$work/written/t.svg" --svg "$work/written/c.svg"
  check "$f" "$ol" run "$f" --out "$work/written" --pcap "$work/written/pcap"
  check "$f" "$ol" config "$f" --state-dir "$work/written"
  check "$f" "$ol" tables "$f"
done
for f in "$bad"/*.sh; do  # a script the kernel refuses (netconfig only parses it; tables applies it)
  check "$f" "$ol" tables "$f"
done
echo "$n refusals checked over $(ls "$bad" | wc -l) bad inputs, $fails failures"
[ "$fails" -eq 0 ]
